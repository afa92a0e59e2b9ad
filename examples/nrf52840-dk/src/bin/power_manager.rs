//! The power manager alone on the nRF52840-DK: the bq24195 and the MAX17043 run as Device OS ran them on the
//! Electron (`bq24195::power::PowerManagerAsync`), and a status line shows the battery state, the power source,
//! the state of charge and the cell voltage after every poll; each event is logged as it comes.
//!
//! Wiring: SDA P0.26, SCL P0.27 (TWIM0, 100 kHz, external pull-ups); the bq24195 INT and the MAX17043 ALRT both
//! on P0.28 (open drain, internal pull-up), as they share `LOW_BAT_UC` on a B Series SoM; 3.3 V logic.
#![no_std]
#![no_main]

use bq24195::power::{BatteryState, Event, FuelGaugeAsync, PowerConfig, PowerManagerAsync};
use bq24195::{Bq24195Async, Variant};
use embassy_executor::Spawner;
use embassy_futures::select::{select, Either};
use embassy_nrf::gpio::{Flex, Input, OutputDrive, Pull};
use embassy_nrf::twim::{self, Twim};
use embassy_nrf::{bind_interrupts, peripherals, Peri};
use embassy_time::{block_for, Duration, Instant, Timer};
use embedded_hal_async::i2c::I2c;
use max17043::Max17043Async;
use static_cell::ConstStaticCell;
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
});

/// TWIM copies writes from flash through this buffer (the longest write is the 9-byte configuration).
static TX_BUFFER: ConstStaticCell<[u8; 16]> = ConstStaticCell::new([0; 16]);

/// The MAX17043 driver as the power manager's fuel gauge: the few lines the `bq24195::power` docs show.
struct Gauge<I2C>(Max17043Async<I2C>);

impl<I2C: I2c> FuelGaugeAsync for Gauge<I2C> {
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
/// firmware only reports it; a board that can release the pins (disable the TWIM, clock SCL, enable it again)
/// does that here.
fn bus_clear_requested() {
    defmt::warn!("power manager: the bus looks stuck (a reset clears it at boot)");
}

fn now() -> bq24195::power::Instant {
    bq24195::power::Instant::from_ticks(Instant::now().as_millis())
}

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let mut p = embassy_nrf::init(Default::default());
    clear_bus(p.P0_26.reborrow(), p.P0_27.reborrow());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K100;
    let twim = Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, TX_BUFFER.take());
    let bus = embassy_sync::mutex::Mutex::<embassy_sync::blocking_mutex::raw::NoopRawMutex, _>::new(twim);
    let mut line = Input::new(p.P0_28, Pull::Up);

    let charger = Bq24195Async::new(
        embassy_embedded_hal::shared_bus::asynch::i2c::I2cDevice::new(&bus),
        Variant::Bq24195,
    );
    let gauge = Gauge(Max17043Async::new(
        embassy_embedded_hal::shared_bus::asynch::i2c::I2cDevice::new(&bus),
        max17043::Variant::Max17043,
    ));
    let mut power =
        PowerManagerAsync::new(charger, gauge, PowerConfig::electron()).with_bus_clear(bus_clear_requested as fn());

    loop {
        match power.poll(now()).await {
            Ok(events) => {
                for event in events {
                    match event {
                        Event::BatteryState(state) => defmt::info!("battery state: {}", state),
                        Event::PowerSource(source) => defmt::info!("power source: {}", source),
                        Event::Faults(faults) => defmt::warn!("faults: {}", faults),
                        Event::ConfigApplied(why) => defmt::info!("config applied: {}", why),
                        Event::LowBattery => defmt::warn!("low battery"),
                        other => defmt::info!("{}", other),
                    }
                }
            }
            Err(e) => defmt::error!("power: {}", e),
        }
        status_line(&mut power).await;

        // Only a pin and a timer are raced, so an I2C transaction is never cancelled halfway.
        let next = Instant::from_millis(power.next_poll().ticks());
        if line.is_low() {
            // the line is still held (an alert not cleared yet, or a glitch): do not spin on it
            Timer::after_millis(100).await;
        } else if let Either::Second(()) = select(Timer::at(next), line.wait_for_falling_edge()).await {
            defmt::info!("INT / ALRT");
        }
    }
}

/// One line: battery state, power source, state of charge, cell voltage.
async fn status_line<I2C: I2c, C: FnMut()>(power: &mut PowerManagerAsync<I2C, Gauge<I2C>, C>) {
    let state = power.battery_state();
    let source = power.power_source();
    let soc = match power.battery_charge_256ths().await {
        Ok(Some(soc)) => u32::from(soc) * 100 / 256,
        Ok(None) => 0,
        Err(_) => 0,
    };
    let gauge = &mut power.gauge_mut().0;
    let vcell = gauge.voltage().await.map(|v| v.millivolts()).unwrap_or(0);
    if state == BatteryState::Disconnected || state == BatteryState::Unknown {
        defmt::info!("battery {}, source {}, SoC -, VCELL {=u32} mV", state, source, vcell);
    } else {
        defmt::info!(
            "battery {}, source {}, SoC {=u32}.{=u32:02} %, VCELL {=u32} mV",
            state,
            source,
            soc / 100,
            soc % 100,
            vcell
        );
    }
}
