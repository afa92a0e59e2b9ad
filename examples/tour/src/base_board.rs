//! The finale: a whole base board on the simulators, as the `base_board` firmware runs it. Five drivers share one
//! simulated I2C wire through `embedded-hal-bus`, the MCP25625 talks to a second CAN node, and the story plays
//! the world around the board: a charger plugged in and out, a draining battery, a button press, a serial device
//! at 9600 baud 7E1 behind the SC16IS740. The bq24195 and the MAX17043 run under the power manager
//! (`bq24195::power`), as Device OS ran them on the Electron: no charging policy is written by hand here.

use core::cell::RefCell;
use std::error::Error;

use bq24195::power::{Event, Events, FuelGauge, Instant, PowerConfig, PowerManager};
use bq24195::sim::{Bq24195Sim, Supply};
use bq24195::{Bq24195, Variant};
use embedded_can::{Frame as _, Id, StandardId};
use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};
use embedded_hal_bus::i2c::RefCellDevice;
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::RateExtU32;
use max17043::sim::Max17043Sim;
use max17043::{Max17043, Settings, StateOfCharge};
use mcp23017::sim::Mcp23017Sim;
use mcp23017::{IntOutput, InterruptTrigger, Mcp23017, PinId, Pins, Port};
use mcp25625::sim::{SimBus, SimNode};
use mcp25625::{BitTiming, Frame, Mcp25625};
use pca9685::sim::Pca9685Sim;
use pca9685::{Channel, ChannelSetting, Pca9685};
use sc16is740::sim::{LineFault, Sc16is7xxSim, SimVariant};
use sc16is740::{Interrupts, LineFormat, Sc16is740, Sc16is7xx};

type Result<T = ()> = core::result::Result<T, Box<dyn Error>>;

/// The same constants as the firmware.
const ALERT_BELOW_PERCENT: u8 = 10;
const RECOVERY_MARGIN_PERCENT: u8 = 5;
const LED_COUNT: usize = 4;
const LED_NORMAL: u16 = 2048;
const LED_DIM: u16 = 128;
const BUTTONS: Pins = Pins::from_bits_truncate(0x0F00);
const BUTTON_ID: u16 = 0x181;
const UART_RX_ID: u16 = 0x301;
const UART_TX_ID: u16 = 0x302;
const UART_CRYSTAL_HZ: u32 = 14_745_600;
const CAN_DATA_MAX: usize = 8;

/// The I2C wire of the board: every chip sees each address byte and the one strapped to it answers, as on a real
/// bus. It counts the transactions each chip answered.
struct Wire {
    pmic: Bq24195Sim,
    gauge: Max17043Sim,
    expander: Mcp23017Sim,
    leds: Pca9685Sim,
    uart: Sc16is7xxSim,
    answered: [u32; 5],
}

const CHIP_NAMES: [&str; 5] = ["bq24195", "MAX17043", "MCP23017", "PCA9685", "SC16IS740"];

impl ErrorType for Wire {
    type Error = ErrorKind;
}

impl I2c for Wire {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> core::result::Result<(), ErrorKind> {
        let chips: [&mut dyn I2c<Error = ErrorKind>; 5] = [
            &mut self.pmic,
            &mut self.gauge,
            &mut self.expander,
            &mut self.leds,
            &mut self.uart,
        ];
        for (chip, count) in chips.into_iter().zip(self.answered.iter_mut()) {
            match chip.transaction(address, operations) {
                Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)) => continue,
                result => {
                    *count = count.saturating_add(1);
                    return result;
                }
            }
        }
        Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address))
    }
}

type Device<'a> = RefCellDevice<'a, Wire>;

/// The MAX17043 driver as the power manager's fuel gauge: the few lines a firmware writes (this crate depends on
/// both; `bq24195` does not depend on `max17043`).
struct Gauge<I2C>(Max17043<I2C>);

impl<I2C: I2c> FuelGauge for Gauge<I2C> {
    type Error = max17043::Error<I2C::Error>;

    fn cell_voltage_mv(&mut self) -> core::result::Result<u16, Self::Error> {
        Ok(u16::try_from(self.0.voltage()?.millivolts()).unwrap_or(u16::MAX))
    }

    fn state_of_charge_256ths(&mut self) -> core::result::Result<u16, Self::Error> {
        Ok(self.0.state_of_charge()?.as_256ths())
    }

    fn quick_start(&mut self) -> core::result::Result<(), Self::Error> {
        self.0.quick_start()
    }

    fn take_low_battery_alert(&mut self) -> core::result::Result<bool, Self::Error> {
        if !self.0.alert()? {
            return Ok(false);
        }
        self.0.clear_alert()?;
        Ok(true)
    }
}

type Power<'a> = PowerManager<Device<'a>, Gauge<Device<'a>>>;

/// The five I2C drivers, each on its own `RefCellDevice` of the one wire; the charger and the gauge inside the
/// power manager.
struct Board<'a> {
    wire: &'a RefCell<Wire>,
    power: Power<'a>,
    expander: Mcp23017<mcp23017::I2cInterface<Device<'a>>>,
    pwm: Pca9685<Device<'a>>,
    uart: Sc16is7xx<sc16is740::I2cInterface<Device<'a>>, Sc16is740>,
    seconds: u32,
    pmic_interrupts: u32,
    low: bool,
}

/// Runs the finale and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("  the finale stopped: {e}");
    }
}

fn standard(id: u16, data: &[u8]) -> Result<Frame> {
    StandardId::new(id)
        .and_then(|id| Frame::new(id, data))
        .ok_or_else(|| "not a valid frame".into())
}

fn show_frame(frame: &Frame) -> String {
    match frame.id() {
        Id::Standard(id) => format!("{:#05x} {:02x?}", id.as_raw(), frame.data()),
        Id::Extended(id) => format!("{:#010x} {:02x?}", id.as_raw(), frame.data()),
    }
}

/// The power manager's events, one line each.
fn show_events(events: &Events) -> Vec<String> {
    events
        .iter()
        .map(|event| match event {
            Event::Faults(faults) => format!(
                "faults read: {:#04x} (watchdog {}, charge {:?})",
                faults.raw, faults.watchdog_expired, faults.charge
            ),
            Event::ConfigApplied(why) => {
                let reasons = [
                    (why.start, "start"),
                    (why.watchdog_expired, "watchdog expired"),
                    (why.registers_changed, "registers changed"),
                    (why.hiz, "HIZ on"),
                    (why.input_limit, "input limit changed"),
                    (why.policy, "battery policy"),
                ];
                let named: Vec<&str> = reasons.iter().filter(|(on, _)| *on).map(|(_, name)| *name).collect();
                format!("config applied ({})", named.join(", "))
            }
            other => format!("{other:?}"),
        })
        .collect()
}

impl Board<'_> {
    /// Polls the power manager at `ms` and prints its events.
    fn poll_power(&mut self, ms: u64, indent: &str) -> Result<Events> {
        let events = self.power.poll(Instant::from_ticks(ms))?;
        for line in show_events(&events) {
            println!("{indent}power: {line}");
        }
        Ok(events)
    }

    /// One status line, as the firmware logs it every second: the power manager's poll (a second has passed,
    /// and after an INT pulse the firmware would poll at once), then source, battery state, VCELL, SoC.
    fn status_line(&mut self) -> Result<(u8, bool)> {
        let interrupts = self.wire.borrow().pmic.interrupts();
        let int = if interrupts > self.pmic_interrupts {
            "  (after an INT pulse)"
        } else {
            ""
        };
        self.pmic_interrupts = interrupts;
        let events = self.power.poll(Instant::from_ticks(u64::from(self.seconds) * 1000))?;
        let gauge = &mut self.power.gauge_mut().0;
        let vcell = gauge.voltage()?;
        let soc = gauge.state_of_charge()?;
        println!(
            "    t={:>2} s  source {:<11} battery {:<12} VCELL {} mV  SoC {:>2}.{:02} %{int}",
            self.seconds,
            format!("{:?},", self.power.power_source()),
            format!("{:?},", self.power.battery_state()),
            vcell.millivolts(),
            soc.centipercent() / 100,
            soc.centipercent() % 100,
        );
        for line in show_events(&events) {
            if !line.starts_with("LowBattery") {
                println!("             power: {line}");
            }
        }
        Ok((soc.whole_percent(), events.low_battery))
    }

    fn set_leds(&mut self, duty: u16) -> Result {
        self.pwm
            .set_channels(Channel::C0, &[ChannelSetting::from_duty(duty, 0)?; LED_COUNT])?;
        Ok(())
    }

    fn led_percent(&self) -> String {
        let duty = self.wire.borrow().leds.output(Channel::C0).duty;
        format!("{:.1} %", f64::from(duty) * 100.0 / 4096.0)
    }

    /// One simulated second: the world changes the battery by `change_256ths`, then the firmware's loop body runs
    /// (status line, ALRT, LEDs).
    fn second(&mut self, change_256ths: i16) -> Result {
        self.seconds = self.seconds.saturating_add(1);
        {
            let mut wire = self.wire.borrow_mut();
            let by = StateOfCharge::from_256ths(change_256ths.unsigned_abs());
            if change_256ths < 0 {
                wire.gauge.discharge(by);
            } else {
                wire.gauge.charge(by);
            }
        }
        let alrt_was_low = self.wire.borrow().gauge.alert_pin_low();
        let (percent, low_battery) = self.status_line()?;
        if low_battery {
            self.low = true;
            self.set_leds(LED_DIM)?;
            println!(
                "    The power manager reports a low battery (ALRT was {}): below {ALERT_BELOW_PERCENT} %. The LEDs dim to {} (alert cleared: ALRT {}).",
                if alrt_was_low { "low" } else { "high" },
                self.led_percent(),
                if self.wire.borrow().gauge.alert_pin_low() { "still low" } else { "released" }
            );
        } else if self.low && percent >= ALERT_BELOW_PERCENT.saturating_add(RECOVERY_MARGIN_PERCENT) {
            self.low = false;
            self.set_leds(LED_NORMAL)?;
            println!(
                "    The battery has recovered: the LEDs are back at {}.",
                self.led_percent()
            );
        }
        Ok(())
    }
}

/// Step 7: CAN frames 0x302 go out on the UART; what the serial device answers comes back as CAN frames 0x301.
fn uart_leg(board: &mut Board<'_>, can: &mut Mcp25625<SimNode<'_>>, logger: &mut Mcp25625<SimNode<'_>>) -> Result {
    let tx_id = Id::Standard(StandardId::new(UART_TX_ID).ok_or("not an 11-bit id")?);
    println!("7. The logger sends a frame for the UART (identifier {UART_TX_ID:#05x}).");
    logger.send(&standard(UART_TX_ID, b"RD?\r")?)?;
    while let Some(frame) = can.try_receive()? {
        if frame.id() != tx_id {
            println!("   The board receives {} (not for the UART).", show_frame(&frame));
            continue;
        }
        board.uart.write_all(frame.data())?;
        println!(
            "   The board receives {} and writes its data to the UART (write_all: one TXLVL read, one burst).",
            show_frame(&frame)
        );
    }
    let mut sent = [0; 64];
    let n = {
        let mut wire = board.wire.borrow_mut();
        wire.uart.settle(); // the characters shift out at 9600 baud
        wire.uart.take_transmitted(0, &mut sent)
    };
    let sent = sent.get(..n).unwrap_or_default();
    println!(
        "   The SC16IS740's TX pin carried {n} characters at 7E1: {sent:02x?} ({:?}).",
        String::from_utf8_lossy(sent)
    );

    let reply = b"T=21.5C\r\n";
    println!(
        "   The serial device answers {:?}; noise on the line adds a character with a parity error before the CR LF.",
        String::from_utf8_lossy(reply)
    );
    {
        let mut wire = board.wire.borrow_mut();
        let (good, last) = reply.split_at(reply.len().saturating_sub(2));
        wire.uart.receive(0, good);
        wire.uart.receive_with_fault(
            0,
            b'#',
            LineFault {
                parity: true,
                ..LineFault::default()
            },
        );
        wire.uart.receive(0, last);
        wire.uart.settle(); // delivered into the RX FIFO, one character time each
    }
    println!(
        "   IRQ is {}; the firmware reads IIR ({:?}) and empties the RX FIFO:",
        if board.wire.borrow().uart.irq_pin_low() {
            "low"
        } else {
            "high (unexpected)"
        },
        board.uart.pending_interrupt()?
    );
    let mut buffer = [0; 64];
    loop {
        let count = match board.uart.try_read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => count,
            Err(sc16is740::Error::Line(e)) => {
                println!("   line error logged, reading goes on: {e}");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        for chunk in buffer.get(..count).unwrap_or_default().chunks(CAN_DATA_MAX) {
            let frame = standard(UART_RX_ID, chunk)?;
            can.send(&frame)?;
            println!("   {count} bytes read: the board sends CAN {}.", show_frame(&frame));
            while let Some(received) = logger.try_receive()? {
                println!(
                    "   The logger receives {} ({:?}).",
                    show_frame(&received),
                    String::from_utf8_lossy(received.data())
                );
            }
        }
    }
    println!(
        "   IRQ is {} again.",
        if board.wire.borrow().uart.irq_pin_low() {
            "still low (unexpected)"
        } else {
            "high"
        }
    );
    Ok(())
}

fn run() -> Result {
    let mut pmic = Bq24195Sim::new();
    pmic.set_battery_mv(3620);
    let wire = RefCell::new(Wire {
        pmic,
        gauge: Max17043Sim::new(max17043::Variant::Max17043, StateOfCharge::from_percent(13)),
        expander: Mcp23017Sim::new(mcp23017::Address::DEFAULT),
        leds: Pca9685Sim::new(pca9685::Address::DEFAULT),
        uart: Sc16is7xxSim::new(SimVariant::Sc16is740, UART_CRYSTAL_HZ.Hz()),
        answered: [0; 5],
    });
    let can_bus = SimBus::new();
    println!("  One I2C wire: bq24195 at 0x6B, MAX17043 at 0x36, MCP23017 at 0x20, PCA9685 at 0x40, SC16IS740 at");
    println!(
        "  0x48, each driver on its own embedded-hal-bus RefCellDevice. The MCP25625 on SPI shares a CAN bus with"
    );
    println!("  a second node, a logger. The battery holds 13 %; nothing is plugged in.");

    let charger = Bq24195::new(RefCellDevice::new(&wire), Variant::Bq24195);
    let gauge = Gauge(Max17043::new(RefCellDevice::new(&wire), max17043::Variant::Max17043));
    let mut board = Board {
        wire: &wire,
        power: PowerManager::new(charger, gauge, PowerConfig::electron()),
        expander: Mcp23017::new(RefCellDevice::new(&wire), mcp23017::Address::DEFAULT),
        pwm: Pca9685::new(RefCellDevice::new(&wire), pca9685::Address::DEFAULT),
        uart: Sc16is7xx::new_i2c(
            RefCellDevice::new(&wire),
            sc16is740::Address::DEFAULT,
            UART_CRYSTAL_HZ.Hz(),
            Sc16is740,
        ),
        seconds: 0,
        pmic_interrupts: 0,
        low: false,
    };

    println!("1. A 5 V adapter is plugged in; the bq24195 runs D+/D- detection (100 mA until it is done).");
    wire.borrow_mut().pmic.set_detection_transactions(8);
    wire.borrow_mut().pmic.plug_in(Supply::Adapter);
    println!("2. First thing, before anything draws current: the power manager starts (its first polls, 50 ms apart).");
    println!("   It checks the part, flushes the fault latch, and applies the Electron preset once detection is over:");
    let mut ms = 0;
    loop {
        let events = board.poll_power(ms, &format!("   t={ms:>3} ms  "))?;
        if events.config_applied.is_some() {
            break;
        }
        ms = board.power.next_poll().ticks();
    }
    wire.borrow_mut().pmic.set_detection_transactions(3);
    let held = board.power.charger_mut().read_config()?;
    println!(
        "   The chip holds input {} mA / {} mV (over the adapter's 1500 mA), charge {} mA to {} mV, watchdog {:?}.",
        held.input.current_limit.milliamps(),
        held.input.voltage_limit_mv,
        held.fast_charge_current_ma,
        held.charge_voltage_mv,
        held.watchdog,
    );

    board.power.gauge_mut().0.configure(Settings {
        rcomp: 0x97,
        alert_threshold_percent: ALERT_BELOW_PERCENT,
        sleep: false,
    })?;
    board.pwm.set_frequency(1.kHz(), &mut NoopDelay)?;
    board.pwm.wake(&mut NoopDelay)?;
    board.pwm.enable_all_call(false)?;
    board.set_leds(LED_NORMAL)?;
    board.expander.init(mcp23017::Config {
        mirror_interrupts: true,
        int_output: IntOutput::OpenDrain,
        ..mcp23017::Config::default()
    })?;
    board.expander.set_as_outputs(BUTTONS.complement(), Pins::NONE)?;
    board.expander.set_as_inputs(BUTTONS, BUTTONS)?;
    board
        .expander
        .set_interrupt(BUTTONS, Some(InterruptTrigger::FallingEdge))?;
    let timing = BitTiming::new(16.MHz(), 500.kHz())?;
    let mut can = Mcp25625::new(can_bus.node(0));
    can.init(&mcp25625::Config::new(timing), &mut NoopDelay)?;
    let mut logger = Mcp25625::new(can_bus.node(1));
    logger.init(&mcp25625::Config::new(timing), &mut NoopDelay)?;
    let rate = board
        .uart
        .init(&sc16is740::Config::new(9_600.Hz()).format(LineFormat::F7E1))?;
    board
        .uart
        .set_interrupts(Interrupts::RX_DATA | Interrupts::LINE_STATUS)?;
    println!(
        "3. The rest of the board: gauge alert below {ALERT_BELOW_PERCENT} %, LEDs C0..C3 at {} (1 kHz), buttons on",
        board.led_percent()
    );
    println!(
        "   GPB0..3 with interrupts on INTA, CAN at 500 kbit/s on both nodes, the UART at {} baud 7E1 (divisor {})",
        rate.actual.raw(),
        rate.divisor
    );
    println!("   with its RX-data and line-status interrupts on IRQ.");

    println!("4. The status line, once a second:");
    for _ in 0..3 {
        board.second(0)?;
    }
    println!("5. The adapter is unplugged; the modem drains the battery (about 1 % a second).");
    wire.borrow_mut().pmic.unplug();
    for _ in 0..5 {
        board.second(-256)?;
    }

    println!("6. Someone presses the button on GPB1.");
    wire.borrow_mut().expander.drive(PinId::B1, false);
    println!(
        "   INTA goes {}; the firmware reads the interrupt status in one burst.",
        if wire.borrow().expander.int_asserted(Port::A) {
            "low"
        } else {
            "nowhere (unexpected)"
        }
    );
    let status = board.expander.interrupt_status()?;
    let pressed = status.triggered.port(Port::B);
    let frame = standard(BUTTON_ID, &[pressed, status.levels.port(Port::B)])?;
    let buffer = can.send(&frame)?;
    println!(
        "   Pressed {pressed:#04x}: the board sends CAN {} from {buffer:?}.",
        show_frame(&frame)
    );
    wire.borrow_mut().expander.drive(PinId::B1, true);
    while let Some(frame) = logger.try_receive()? {
        println!("   The logger receives {}.", show_frame(&frame));
    }

    uart_leg(&mut board, &mut can, &mut logger)?;

    println!("8. The adapter is plugged in again and the battery charges (about 2 % a second). Detection sets");
    println!("   1500 mA; the power manager waits for it to end, then applies the preset's 900 mA again.");
    wire.borrow_mut().pmic.plug_in(Supply::Adapter);
    for _ in 0..4 {
        board.second(512)?;
    }

    let answered = wire.borrow().answered;
    let per_chip: Vec<String> = CHIP_NAMES
        .iter()
        .zip(answered)
        .map(|(name, count)| format!("{name} {count}"))
        .collect();
    println!(
        "   The one I2C wire carried {} transactions: {}.",
        answered.iter().sum::<u32>(),
        per_chip.join(", ")
    );
    Ok(())
}
