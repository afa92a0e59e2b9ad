//! Placeholder: this example arrives with its driver crate.
#![no_std]
#![no_main]

use {defmt_rtt as _, panic_probe as _};

#[embassy_executor::main]
async fn main(_spawner: embassy_executor::Spawner) {
    let _p = embassy_nrf::init(Default::default());
    defmt::info!("placeholder");
}
