//! MAX17043 fuel gauge on the nRF52840-DK: prints voltage and state of charge every 5 s, and reacts to the
//! low-battery alert on the ALRT pin as soon as the gauge raises it.
//!
//! Wiring (Arduino header): SDA P0.26, SCL P0.27 (4.7 kΩ pull-ups to 3V3 unless the breakout has them),
//! ALRT P0.03 (open drain; the internal pull-up is enabled), GND. The gauge is powered from the cell
//! (VDD and CELL to battery +). `cargo run --release --bin max17043_gauge` from `examples/nrf52840-dk`.
#![no_std]
#![no_main]

use embassy_nrf::gpio::{Input, Pull};
use embassy_nrf::{bind_interrupts, peripherals, twim};
use embassy_time::{with_timeout, Duration, Timer};
use max17043::{register, Max17043Async, Settings, Variant};
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
});

/// The alert fires below this state of charge.
const ALERT_BELOW_PERCENT: u8 = 10;
/// The charge voltage of the charger feeding the cell (Particle's default), for the normalised state of charge.
const CHARGE_VOLTAGE_MV: u16 = 4112;

#[embassy_executor::main]
async fn main(_spawner: embassy_executor::Spawner) {
    let p = embassy_nrf::init(Default::default());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K400;
    // Every write comes from a stack buffer in RAM: no TX RAM buffer needed.
    let twim = twim::Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, &mut []);
    let mut alrt = Input::new(p.P0_03, Pull::Up);

    // The first readings exist 125 ms after the gauge powers up (with the battery).
    Timer::after_millis(u64::from(register::FIRST_READING_MS)).await;

    let mut gauge = Max17043Async::new(twim, Variant::Max17043);
    match gauge.version().await {
        Ok(version) => defmt::info!("MAX17043 found, VERSION {=u16:#06x}", version),
        Err(e) => defmt::error!("no gauge at 0x36: {}", e),
    }
    // RCOMP 0x97 (the power-up value; use your cell's), alert below 10 %, awake. This one 3-byte write also
    // clears an alert raised at power-up (the alert is live from the first reading).
    let settings = Settings {
        rcomp: 0x97,
        alert_threshold_percent: ALERT_BELOW_PERCENT,
        sleep: false,
    };
    if let Err(e) = gauge.configure(settings).await {
        defmt::error!("configure failed: {}", e);
    }

    loop {
        match gauge.voltage().await {
            Ok(v) => defmt::info!("VCELL {=u32} mV", v.millivolts()),
            Err(e) => defmt::warn!("VCELL: {}", e),
        }
        match gauge.state_of_charge().await {
            Ok(soc) => {
                let centi = soc.centipercent();
                defmt::info!("SoC {=u32}.{=u32:02} %", centi / 100, centi % 100);
            }
            Err(e) => defmt::warn!("SoC: {}", e),
        }
        if let Ok(normalized) = gauge.normalized_state_of_charge(CHARGE_VOLTAGE_MV).await {
            defmt::info!("normalised SoC {=u8} %", normalized.whole_percent());
        }

        // Sleep until the next report, unless the gauge pulls ALRT low first.
        match with_timeout(Duration::from_secs(5), gauge.wait_for_alert(&mut alrt)).await {
            Err(_timeout) => {}
            Ok(Ok(config)) => {
                defmt::warn!("low battery: SoC fell below {=u8} %", config.alert_threshold_percent);
                // Release the pin. The gauge alerts again only after SoC rose above the threshold and fell
                // below it again.
                if let Err(e) = gauge.clear_alert().await {
                    defmt::error!("clear_alert failed: {}", e);
                }
            }
            Ok(Err(e)) => {
                defmt::error!("waiting for the alert failed: {}", e);
                Timer::after_secs(5).await;
            }
        }
    }
}
