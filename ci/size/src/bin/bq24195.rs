//! bq24195: init with the Electron preset, set the charge current, read status and faults.
#![no_std]
#![no_main]

use bq24195::{Bq24195, Config, Variant};
use size::{keep, I2c};

type Driver = Bq24195<I2c>;
size::bench!(Driver, workload);

fn workload() {
    let mut charger: Driver = Bq24195::new(I2c, Variant::Bq24195);
    keep(charger.init(&Config::electron()));
    keep(charger.set_fast_charge_current_ma(512));
    keep(charger.status_and_faults());
    keep(charger);
}
