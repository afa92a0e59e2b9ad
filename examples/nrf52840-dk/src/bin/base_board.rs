//! The whole base board on the nRF52840-DK: every driver at once, the way a product runs them.
//!
//! - Start-up: the I2C bus is cleared (a chip cut off mid-transfer by an MCU reset may hold SDA low), then,
//!   blocking, the bq24195 and the MAX17043 are probed; both blocking drivers share the TWIM through
//!   `embedded-hal-bus` `RefCellDevice`s.
//! - Then, async: the TWIM moves into an embassy mutex and the five I2C chips share it through
//!   `embassy-embedded-hal` `I2cDevice`s; the MCP25625 has the SPIM to itself (`ExclusiveDevice`). The power
//!   manager (`bq24195::power`) applies the Electron preset (900 mA input limit) before any task is spawned.
//!   - `power_task` (the power manager over the bq24195 and the MAX17043, as Device OS ran them on the Electron):
//!     polls when the manager asks and on each INT / ALRT edge, logs its events and a status line (battery
//!     state, power source, VCELL, SoC); its low-battery event dims the LEDs.
//!   - `led_task` (PCA9685): four status LEDs, bright, or dim while the battery is low.
//!   - `buttons_task` (MCP23017): a press on GPB0..3 becomes a CAN frame.
//!   - `can_task` (MCP25625): sends what the other tasks queue, logs what it receives, passes UART frames on.
//!   - `uart_task` (SC16IS740): 9600 baud 7E1 (a format the nRF52840's own UARTs lack); bytes received go out
//!     as CAN frames 0x301, the data of CAN frames 0x302 is written to the UART; line errors are logged.
//!
//! Wiring: the table in this directory's README ("base_board"). `cargo run --release --bin base_board`.
#![no_std]
#![no_main]

use core::cell::RefCell;

use bq24195::power::{Event, FuelGaugeAsync, PowerConfig, PowerManagerAsync};
use defmt::{error, info, warn};
use embassy_embedded_hal::shared_bus::asynch::i2c::I2cDevice;
use embassy_executor::Spawner;
use embassy_futures::select::{select, select3, Either, Either3};
use embassy_nrf::gpio::{Flex, Input, Level, Output, OutputDrive, Pull};
use embassy_nrf::spim::{self, Spim};
use embassy_nrf::twim::{self, Twim};
use embassy_nrf::{bind_interrupts, peripherals, Peri};
use embassy_sync::blocking_mutex::raw::{CriticalSectionRawMutex, NoopRawMutex};
use embassy_sync::channel::{Channel, Receiver, Sender};
use embassy_sync::mutex::Mutex;
use embassy_sync::signal::Signal;
use embassy_time::{block_for, Delay, Duration, Instant, Timer};
use embedded_can::{Frame as _, Id, StandardId};
use embedded_hal_bus::i2c::RefCellDevice;
use embedded_hal_bus::spi::ExclusiveDevice;
use fugit::RateExtU32;
use mcp23017::{IntOutput, InterruptTrigger, Mcp23017Async, Pins, Port};
use mcp25625::{BitTiming, Frame, Mcp25625Async, StandbyLevel};
use pca9685::{Channel as PwmChannel, ChannelSetting, Pca9685Async};
use sc16is740::{Config as UartConfig, Interrupts, LineFormat, Sc16is740, Sc16is7xxAsync};
use static_cell::{ConstStaticCell, StaticCell};
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
    SPI2 => spim::InterruptHandler<peripherals::SPI2>;
});

// ---- the board ------------------------------------------------------------------------------------------

/// The TWIM shared by the five I2C chips once the async tasks run.
type I2cBus = Mutex<NoopRawMutex, Twim<'static>>;
/// One chip's handle on the shared TWIM.
type I2cDev = I2cDevice<'static, NoopRawMutex, Twim<'static>>;
type SpiDev = ExclusiveDevice<Spim<'static>, Output<'static>, Delay>;

type Gauge = PowerGauge<I2cDev>;
/// The power manager over the bq24195 and the MAX17043.
type Power = PowerManagerAsync<I2cDev, Gauge, fn()>;
type Expander = Mcp23017Async<mcp23017::I2cInterface<I2cDev>>;
type Pwm = Pca9685Async<I2cDev>;
type Can = Mcp25625Async<SpiDev, Output<'static>>;
type Uart = Sc16is7xxAsync<sc16is740::I2cInterface<I2cDev>, Sc16is740>;

/// The gauge raises ALRT below this state of charge.
const ALERT_BELOW_PERCENT: u8 = 10;
/// The LEDs come back to full brightness once the state of charge is this far above the alert threshold.
const RECOVERY_MARGIN_PERCENT: u8 = 5;

/// The status LEDs on the PCA9685.
const LED_FIRST: PwmChannel = PwmChannel::C0;
const LED_COUNT: usize = 4;
/// Duty cycles of 4096: normal and battery-low brightness.
const LED_NORMAL: u16 = 2048;
const LED_DIM: u16 = 128;

/// GPB0..3: the buttons (to GND, the chip's pull-ups). Every other pin is an output driven low.
const BUTTONS: Pins = Pins::from_bits_truncate(0x0F00);
const UNUSED_EXPANDER_PINS: Pins = BUTTONS.complement();

const OSCILLATOR_MHZ: u32 = 16;
const BITRATE_KBPS: u32 = 500;

/// The SC16IS740's crystal: the standard baud rates divide it exactly.
const UART_CRYSTAL_HZ: u32 = 14_745_600;
/// The serial device on the SC16IS740 speaks 9600 baud 7E1, as the Electron's `Serial1.begin(9600, SERIAL_7E1)`.
const UART_BAUD: u32 = 9_600;
const UART_FORMAT: LineFormat = LineFormat::F7E1;
/// Bytes read from the RX FIFO at a time (its depth).
const UART_CHUNK: usize = 64;
/// Data bytes of a classic CAN frame.
const CAN_DATA_MAX: usize = 8;

const fn standard_id(raw: u16) -> StandardId {
    match StandardId::new(raw) {
        Some(id) => id,
        // evaluated at compile time: a bad constant fails the build, never the firmware
        None => panic!("not an 11-bit identifier"),
    }
}

/// Button presses: data = [buttons pressed (bit n = GPBn), port B levels]. CANopen TPDO1 of node 1.
const BUTTON_ID: StandardId = standard_id(0x181);
/// Bytes received on the UART, up to 8 per frame.
const UART_RX_ID: StandardId = standard_id(0x301);
/// Frames with this identifier are written to the UART.
const UART_TX_ID: StandardId = standard_id(0x302);

// ---- between the tasks ----------------------------------------------------------------------------------

/// Frames for the CAN bus: button presses and UART bytes.
static TO_CAN: Channel<CriticalSectionRawMutex, Frame, 8> = Channel::new();
/// Frames of `UART_TX_ID` from the CAN bus, for the UART.
static TO_UART: Channel<CriticalSectionRawMutex, Frame, 8> = Channel::new();
/// `true` when the gauge reports a low battery, `false` when the charge has recovered.
static BATTERY_LOW: Signal<CriticalSectionRawMutex, bool> = Signal::new();

/// TWIM copies writes that sit in flash through this buffer (the longest is the bq24195's 9-byte configuration).
static TWIM_BUFFER: ConstStaticCell<[u8; 32]> = ConstStaticCell::new([0; 32]);
static I2C_BUS: StaticCell<I2cBus> = StaticCell::new();

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let mut p = embassy_nrf::init(Default::default());
    clear_bus(p.P0_26.reborrow(), p.P0_27.reborrow());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K400; // all five I2C chips do fast mode
    let twim = Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, TWIM_BUFFER.take());

    // Blocking start-up first: the PMIC before anything else draws current.
    let twim = RefCell::new(twim);
    start_up_blocking(&twim);
    let bus: &'static I2cBus = I2C_BUS.init(Mutex::new(twim.into_inner()));

    let charger = bq24195::Bq24195Async::new(I2cDevice::new(bus), bq24195::Variant::Bq24195);
    let gauge = PowerGauge(max17043::Max17043Async::new(
        I2cDevice::new(bus),
        max17043::Variant::Max17043,
    ));
    let mut power =
        PowerManagerAsync::new(charger, gauge, PowerConfig::electron()).with_bus_clear(bus_clear_requested as fn());
    // The PMIC before anything else draws current: the manager's first polls (50 ms apart while input detection
    // runs) apply the preset; at most 2 s.
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        match power.poll(now()).await {
            Ok(events) => {
                log_events(events);
                if events.config_applied.is_some() {
                    break;
                }
            }
            Err(e) => error!("power manager start: {}", e),
        }
        Timer::at(Instant::from_millis(power.next_poll().ticks())).await;
    }
    let expander = Mcp23017Async::new(I2cDevice::new(bus), mcp23017::Address::DEFAULT);
    let pwm = Pca9685Async::new(I2cDevice::new(bus), pca9685::Address::DEFAULT);
    let uart = Sc16is7xxAsync::new_i2c(
        I2cDevice::new(bus),
        sc16is740::Address::DEFAULT,
        UART_CRYSTAL_HZ.Hz(),
        Sc16is740,
    );

    let mut config = spim::Config::default();
    config.frequency = spim::Frequency::M8; // the chip allows 10 MHz
    config.mode = spim::MODE_0;
    let spim = Spim::new(p.SPI2, Irqs, p.P1_15, p.P1_14, p.P1_13, config);
    let cs = Output::new(p.P1_12, Level::High, OutputDrive::Standard);
    let Ok(spi) = ExclusiveDevice::new(spim, cs, Delay);
    // the transceiver stays in standby until `init` (in can_task) wakes it
    let standby = Output::new(p.P1_10, Level::High, OutputDrive::Standard);
    let can = Mcp25625Async::with_standby(spi, standby, StandbyLevel::High);

    let spawned = [
        power_task(power, Input::new(p.P0_28, Pull::Up), Input::new(p.P0_03, Pull::Up)).map(|task| spawner.spawn(task)),
        led_task(pwm).map(|task| spawner.spawn(task)),
        buttons_task(expander, Input::new(p.P0_04, Pull::Up)).map(|task| spawner.spawn(task)),
        can_task(can, Input::new(p.P1_11, Pull::Up)).map(|task| spawner.spawn(task)),
        uart_task(uart, Input::new(p.P0_29, Pull::Up), TO_UART.receiver(), TO_CAN.sender())
            .map(|task| spawner.spawn(task)),
    ];
    for result in spawned {
        if let Err(e) = result {
            // each task is spawned once into a pool of one: this cannot fail unless the code above changes
            defmt::panic!("spawn: {}", e);
        }
    }
}

/// Frees a bus that a chip holds (SDA low) because the MCU was reset in the middle of a transfer: up to nine SCL
/// pulses until SDA is released, then a STOP. Run before the TWIM takes the pins (Device OS resets its bus the
/// same way before the first access).
fn clear_bus(sda: Peri<'_, impl embassy_nrf::gpio::Pin>, scl: Peri<'_, impl embassy_nrf::gpio::Pin>) {
    let mut sda = Flex::new(sda);
    let mut scl = Flex::new(scl);
    // open drain with pull-ups: "high" releases the line
    sda.set_high();
    scl.set_high();
    sda.set_as_input_output(Pull::Up, OutputDrive::Standard0Disconnect1);
    scl.set_as_input_output(Pull::Up, OutputDrive::Standard0Disconnect1);
    let half_period = Duration::from_micros(5);
    for _ in 0..9 {
        if sda.is_high() {
            break;
        }
        scl.set_low();
        block_for(half_period);
        scl.set_high();
        block_for(half_period);
    }
    // STOP: SDA rises while SCL is high
    sda.set_low();
    block_for(half_period);
    scl.set_high();
    block_for(half_period);
    sda.set_high();
    block_for(half_period);
}

/// Called by the power manager when the bus looks stuck after start-up. The TWIM owns SCL and SDA by then, so this
/// firmware only reports it (the boot-time `clear_bus` covers the MCU-reset case); a board that can release the
/// pins (disable the TWIM, clock SCL, enable it again) does that here.
fn bus_clear_requested() {
    warn!("power manager: the bus looks stuck (a reset clears it at boot)");
}

/// The blocking part: two blocking drivers on one TWIM through `embedded-hal-bus`, before any task runs.
fn start_up_blocking(twim: &RefCell<Twim<'static>>) {
    let mut charger = bq24195::Bq24195::new(RefCellDevice::new(twim), bq24195::Variant::Bq24195);
    match charger.check_device() {
        Ok(part) => info!("bq24195 found: {}", part),
        Err(e) => error!("bq24195: {}", e),
    }

    let mut gauge = max17043::Max17043::new(RefCellDevice::new(twim), max17043::Variant::Max17043);
    match gauge.version() {
        Ok(version) => info!("MAX17043 found, VERSION {=u16:#06x}", version),
        Err(e) => error!("no gauge at 0x36: {}", e),
    }
}

// ---- power: PMIC and fuel gauge -------------------------------------------------------------------------

/// The MAX17043 driver as the power manager's fuel gauge: the few lines the `bq24195::power` docs show (the
/// firmware depends on both crates; `bq24195` does not depend on `max17043`).
struct PowerGauge<I2C>(max17043::Max17043Async<I2C>);

impl<I2C: embedded_hal_async::i2c::I2c> FuelGaugeAsync for PowerGauge<I2C> {
    type Error = max17043::Error<I2C::Error>;

    async fn cell_voltage_mv(&mut self) -> Result<u16, Self::Error> {
        Ok(u16::try_from(self.0.voltage().await?.millivolts()).unwrap_or(u16::MAX))
    }

    async fn state_of_charge_256ths(&mut self) -> Result<u16, Self::Error> {
        Ok(self.0.state_of_charge().await?.as_256ths())
    }

    async fn quick_start(&mut self) -> Result<(), Self::Error> {
        self.0.quick_start().await
    }

    async fn take_low_battery_alert(&mut self) -> Result<bool, Self::Error> {
        if !self.0.alert().await? {
            return Ok(false);
        }
        self.0.clear_alert().await?;
        Ok(true)
    }
}

/// The time for the power manager: milliseconds since boot.
fn now() -> bq24195::power::Instant {
    bq24195::power::Instant::from_ticks(Instant::now().as_millis())
}

fn log_events(events: bq24195::power::Events) {
    for event in events {
        match event {
            Event::BatteryState(state) => info!("battery state: {}", state),
            Event::PowerSource(source) => info!("power source: {}", source),
            Event::Faults(faults) => warn!("bq24195 faults: {}", faults),
            Event::ConfigApplied(why) => info!("bq24195 config applied: {}", why),
            Event::LowBattery => warn!("low battery: SoC below {=u8} %", ALERT_BELOW_PERCENT),
            other => info!("power: {}", other),
        }
    }
}

#[embassy_executor::task]
async fn power_task(mut power: Power, mut int: Input<'static>, mut alrt: Input<'static>) {
    Timer::after_millis(u64::from(max17043::register::FIRST_READING_MS)).await;
    // This one write also clears an alert raised at power-up.
    let settings = max17043::Settings {
        rcomp: 0x97,
        alert_threshold_percent: ALERT_BELOW_PERCENT,
        sleep: false,
    };
    if let Err(e) = power.gauge_mut().0.configure(settings).await {
        error!("gauge configure: {}", e);
    }

    let mut low = false;
    loop {
        match power.poll(now()).await {
            Ok(events) => {
                log_events(events);
                if events.low_battery && !low {
                    low = true;
                    BATTERY_LOW.signal(true);
                }
            }
            Err(e) => error!("power manager: {}", e),
        }
        if let Some(percent) = status_line(&mut power).await {
            if low && percent >= ALERT_BELOW_PERCENT.saturating_add(RECOVERY_MARGIN_PERCENT) {
                info!("battery recovered: LEDs back to full brightness");
                low = false;
                BATTERY_LOW.signal(false);
            }
        }
        // Only pins and a timer are raced, so an I2C transaction is never cancelled halfway.
        let next = Instant::from_millis(power.next_poll().ticks());
        if alrt.is_low() {
            // ALRT still held (the alert not cleared yet, or a glitch on the line): do not spin on it
            Timer::after_millis(100).await;
            continue;
        }
        match select3(Timer::at(next), int.wait_for_falling_edge(), alrt.wait_for_low()).await {
            Either3::First(()) => {}
            Either3::Second(()) => info!("bq24195 INT"),
            Either3::Third(()) => info!("MAX17043 ALRT"),
        }
    }
}

/// Logs one status line (battery state, power source, VCELL, SoC); returns the state of charge in whole percent
/// if the gauge answered and a battery is there.
async fn status_line(power: &mut Power) -> Option<u8> {
    let (state, source) = (power.battery_state(), power.power_source());
    let soc = power.battery_charge_256ths().await;
    let vcell = power.gauge_mut().0.voltage().await;
    match (vcell, soc) {
        (Ok(v), Ok(Some(soc))) => {
            let centi = u32::from(soc) * 100 / 256;
            info!(
                "battery {}, source {}, VCELL {=u32} mV, SoC {=u32}.{=u32:02} %",
                state,
                source,
                v.millivolts(),
                centi / 100,
                centi % 100
            );
            u8::try_from(soc >> 8).ok()
        }
        (Ok(v), Ok(None)) => {
            info!(
                "battery {}, source {}, VCELL {=u32} mV, SoC -",
                state,
                source,
                v.millivolts()
            );
            None
        }
        (Err(e), _) | (_, Err(e)) => {
            error!("battery {}, source {}; gauge: {}", state, source, e);
            None
        }
    }
}

// ---- LEDs -----------------------------------------------------------------------------------------------

#[embassy_executor::task]
async fn led_task(mut pwm: Pwm) {
    // The chip boots asleep with every output off: set the rate, wake it, and keep off the all-call address.
    let setup = async {
        pwm.set_frequency(1.kHz(), &mut Delay).await?;
        pwm.wake(&mut Delay).await?;
        pwm.enable_all_call(false).await
    };
    if let Err(e) = setup.await {
        error!("no PCA9685 at 0x40: {}", e);
    }
    let mut duty = LED_NORMAL;
    loop {
        match ChannelSetting::from_duty(duty, 0) {
            // the four LEDs in one transaction
            Ok(setting) => match pwm.set_channels(LED_FIRST, &[setting; LED_COUNT]).await {
                Ok(()) => info!("LEDs at {=u16}/4096", duty),
                Err(e) => error!("LEDs: {}", e),
            },
            Err(e) => error!("duty {=u16}: {}", duty, e),
        }
        duty = if BATTERY_LOW.wait().await { LED_DIM } else { LED_NORMAL };
    }
}

// ---- buttons --------------------------------------------------------------------------------------------

#[embassy_executor::task]
async fn buttons_task(mut io: Expander, mut int: Input<'static>) {
    let config = mcp23017::Config {
        mirror_interrupts: true,
        int_output: IntOutput::OpenDrain,
        ..mcp23017::Config::default()
    };
    let setup = async {
        io.init(config).await?;
        io.set_as_outputs(UNUSED_EXPANDER_PINS, Pins::NONE).await?;
        io.set_as_inputs(BUTTONS, BUTTONS).await?;
        io.set_interrupt(BUTTONS, Some(InterruptTrigger::FallingEdge)).await
    };
    if let Err(e) = setup.await {
        error!("no MCP23017 at 0x20: {}", e);
    }
    loop {
        match io.wait_for_interrupt(&mut int).await {
            Ok(status) => {
                let pressed = status.triggered.port(Port::B);
                if pressed == 0 {
                    continue;
                }
                let data = [pressed, status.levels.port(Port::B)];
                let Some(frame) = Frame::new(BUTTON_ID, &data) else {
                    defmt::unreachable!() // two bytes always fit
                };
                info!("buttons {=u8:#04x} pressed: queued {}", pressed, frame);
                if TO_CAN.try_send(frame).is_err() {
                    warn!("CAN queue full: button frame dropped");
                }
            }
            Err(e) => {
                error!("expander interrupt: {}", e);
                Timer::after_millis(100).await;
            }
        }
    }
}

// ---- CAN ------------------------------------------------------------------------------------------------

#[embassy_executor::task]
async fn can_task(mut can: Can, mut int: Input<'static>) {
    let Ok(timing) = BitTiming::new(OSCILLATOR_MHZ.MHz(), BITRATE_KBPS.kHz()) else {
        defmt::panic!("{} kbit/s cannot be made from {} MHz", BITRATE_KBPS, OSCILLATOR_MHZ);
    };
    // normal mode, every frame accepted, INT on received frames only
    if let Err(e) = can.init(&mcp25625::Config::new(timing), &mut Delay).await {
        error!("no MCP25625: {}", defmt::Debug2Format(&e));
        return;
    }
    info!("CAN on the bus at {} kbit/s", BITRATE_KBPS);

    loop {
        // Drain what arrived; reading a buffer clears its RXnIF, so INT rises again.
        loop {
            match can.try_receive().await {
                Ok(Some(frame)) if frame.id() == Id::Standard(UART_TX_ID) => {
                    if TO_UART.try_send(frame).is_err() {
                        warn!("UART queue full: {} dropped", frame);
                    }
                }
                Ok(Some(frame)) => info!("CAN received {}", frame),
                Ok(None) => break,
                Err(e) => {
                    error!("CAN receive: {}", defmt::Debug2Format(&e));
                    Timer::after_millis(100).await;
                    break;
                }
            }
        }
        // Only a channel, a pin and a timer are raced, so an SPI transaction is never cancelled halfway.
        match select3(TO_CAN.receive(), int.wait_for_low(), Timer::after_secs(1)).await {
            Either3::First(frame) => match can.try_send(&frame).await {
                Ok(Some(buffer)) => info!("CAN sent {} from {}", frame, buffer),
                Ok(None) => warn!("every TX buffer busy (no node acknowledging?): {} dropped", frame),
                Err(e) => error!("CAN send: {}", defmt::Debug2Format(&e)),
            },
            Either3::Second(()) => {}
            Either3::Third(()) => match can.service_errors().await {
                Ok(report) if report.flags.0 != 0 => {
                    warn!("CAN error state {}, flags {}", report.flags.state(), report.flags)
                }
                Ok(_) => {}
                Err(e) => error!("CAN errors: {}", defmt::Debug2Format(&e)),
            },
        }
    }
}

// ---- UART -----------------------------------------------------------------------------------------------

/// The SC16IS740 at 0x48 (A1 and A0 to VDD) on one more `I2cDevice` of the shared TWIM: 9600 baud 7E1, FIFOs on,
/// the RX-data and line-status interrupts on IRQ (P0.29, open drain, active low).
///
/// Received bytes are packed up to 8 at a time into frames of `UART_RX_ID` for `to_can`; the data of each frame
/// from `from_can` (identifier `UART_TX_ID`, passed on by `can_task`) is written to the UART with `write_all`.
/// A line error (parity, framing, break, overrun) is logged and the task goes on: the driver has taken the bad
/// character out and returned the good ones around it.
///
/// Neither direction blocks the other, and no bus transaction is ever cancelled halfway: only the IRQ pin and the
/// channel are raced (both can be dropped at any point without losing anything), and the driver calls run to
/// completion after the race. That is why this task does not use `Sc16is7xxIrq` here: racing its `read` against
/// the channel would drop a read in the middle of its LSR / RXLVL / RHR sequence, losing bytes already taken out
/// of the FIFO and leaving the shared TWIM with a cut transfer. Instead it keeps the driver and the pin apart and
/// does what `Sc16is7xxIrq::read` does: interrupts on, wait for IRQ low, read IIR (which also clears the RX
/// time-out erratum), then `try_read`.
#[embassy_executor::task]
async fn uart_task(
    mut uart: Uart,
    mut irq: Input<'static>,
    from_can: Receiver<'static, CriticalSectionRawMutex, Frame, 8>,
    to_can: Sender<'static, CriticalSectionRawMutex, Frame, 8>,
) {
    let config = UartConfig::new(UART_BAUD.Hz()).format(UART_FORMAT);
    match uart.init(&config).await {
        Ok(rate) => info!(
            "SC16IS740: {=u32} baud 7E1 (divisor {=u16}, {=u32} Hz)",
            UART_BAUD,
            rate.divisor,
            rate.actual.raw()
        ),
        Err(e) => {
            error!("no SC16IS740 at 0x48: {}", e);
            return;
        }
    }
    // RX data covers the trigger level (8 characters) and the RX time-out (fewer, then 4 quiet character times).
    if let Err(e) = uart.set_interrupts(Interrupts::RX_DATA | Interrupts::LINE_STATUS).await {
        error!("SC16IS740 interrupts: {}", e);
        return;
    }

    let mut buffer = [0u8; UART_CHUNK];
    loop {
        forward_received(&mut uart, &mut buffer, &to_can).await;
        // Only a pin and a channel are raced, so an I2C transaction is never cancelled halfway.
        match select(irq.wait_for_low(), from_can.receive()).await {
            Either::First(()) => match uart.pending_interrupt().await {
                // the data (or the line error) is read at the top of the loop, which releases IRQ
                Ok(Some(_)) => {}
                // IRQ low with nothing pending: a glitch on the line; do not spin on it
                Ok(None) => Timer::after_millis(1).await,
                Err(e) => {
                    error!("SC16IS740 IIR: {}", e);
                    Timer::after_millis(100).await;
                }
            },
            // at most 8 bytes into a 64-byte FIFO: `write_all` polls TXLVL only if the FIFO is full
            Either::Second(frame) => match uart.write_all(frame.data()).await {
                Ok(()) => info!("UART wrote {=[u8]:02x}", frame.data()),
                Err(e) => error!("UART write: {}", e),
            },
        }
    }
}

/// Empties the RX FIFO into frames of `UART_RX_ID`; a line error is logged and reading goes on.
async fn forward_received(
    uart: &mut Uart,
    buffer: &mut [u8; UART_CHUNK],
    to_can: &Sender<'static, CriticalSectionRawMutex, Frame, 8>,
) {
    loop {
        match uart.try_read(buffer).await {
            Ok(0) => return,
            Ok(count) => {
                for chunk in buffer.get(..count).unwrap_or_default().chunks(CAN_DATA_MAX) {
                    let Some(frame) = Frame::new(UART_RX_ID, chunk) else {
                        defmt::unreachable!() // at most 8 bytes always fit
                    };
                    info!("UART received {=[u8]:02x}: queued {}", chunk, frame);
                    // waits while the CAN queue is full: the 64-byte RX FIFO holds what arrives meanwhile
                    to_can.send(frame).await;
                }
            }
            Err(sc16is740::Error::Line(e)) => warn!("UART line error: {}", e),
            Err(e) => {
                error!("UART read: {}", e);
                Timer::after_millis(100).await;
                return;
            }
        }
    }
}
