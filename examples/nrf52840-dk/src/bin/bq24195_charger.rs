//! bq24195 charger on the nRF52840-DK: configure it like an Electron, then print status and faults every second
//! (and at once when INT pulses), re-applying the configuration if the chip's watchdog ever expired.
//!
//! Wiring: SDA P0.26, SCL P0.27 (TWIM0, 100 kHz, external pull-ups), INT P0.28 (internal pull-up), 3.3 V logic.
#![no_std]
#![no_main]

use bq24195::{Bq24195Async, Config, Error, Variant};
use embassy_executor::Spawner;
use embassy_nrf::gpio::{Input, Pull};
use embassy_nrf::twim::{self, Twim};
use embassy_nrf::{bind_interrupts, peripherals};
use embassy_time::{with_timeout, Duration};
use static_cell::ConstStaticCell;
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
});

/// TWIM copies writes from flash through this buffer (the longest write is the 9-byte configuration).
static TX_BUFFER: ConstStaticCell<[u8; 16]> = ConstStaticCell::new([0; 16]);

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let p = embassy_nrf::init(Default::default());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K100;
    let i2c = Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, TX_BUFFER.take());
    let mut int = Input::new(p.P0_28, Pull::Up);

    let mut charger = Bq24195Async::new(i2c, Variant::Bq24195);
    let settings = Config::electron();
    match charger.init(&settings).await {
        Ok(report) => defmt::info!("bq24195 configured; faults before: {}", report),
        Err(Error::UnexpectedDevice(id)) => defmt::panic!("not a bq24195: REG0A = {=u8:#04x}", id),
        Err(e) => defmt::error!("bq24195 init failed: {}", e),
    }
    match charger.read_config().await {
        Ok(held) => defmt::info!("chip holds {}", held),
        Err(e) => defmt::error!("read_config: {}", e),
    }

    loop {
        // at most a second of waiting for INT; then read anyway
        let snapshot = match with_timeout(Duration::from_secs(1), charger.wait_for_interrupt(&mut int)).await {
            Ok(result) => {
                defmt::info!("INT");
                result
            }
            Err(_) => charger.status_and_faults().await,
        };
        match snapshot {
            Ok(snapshot) => {
                defmt::info!("status {} / latched faults {}", snapshot.status, snapshot.faults);
                if snapshot.faults.watchdog_expired {
                    defmt::warn!("watchdog expired: re-applying the configuration");
                    if let Err(e) = charger.apply_config(&settings).await {
                        defmt::error!("apply_config: {}", e);
                    }
                }
            }
            Err(e) => defmt::error!("bq24195: {}", e),
        }
    }
}
