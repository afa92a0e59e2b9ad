//! max17043: read the voltage and the state of charge, set the alert threshold, clear the alert.
#![no_std]
#![no_main]

use max17043::{Max17043, Variant};
use size::{keep, I2c};

type Driver = Max17043<I2c>;
size::bench!(Driver, workload);

fn workload() {
    let mut gauge: Driver = Max17043::new(I2c, Variant::Max17043);
    keep(gauge.voltage());
    keep(gauge.state_of_charge());
    keep(gauge.set_alert_threshold(10));
    keep(gauge.clear_alert());
    keep(gauge);
}
