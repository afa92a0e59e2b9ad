//! Prints the bus-traffic figures of the bq24195 driver, measured on the simulator:
//! `cargo run -p bq24195 --example bus_figures --features sim`. `tests/bus_figures.rs` pins the same numbers.
#![allow(dead_code, clippy::unwrap_used, clippy::arithmetic_side_effects)]

use bq24195::sim::{Bq24195Sim, CountingBus, Supply, Traffic};
use bq24195::{Bq24195, Config, InputCurrentLimit, InputSource, Variant};

type Driver = Bq24195<CountingBus<Bq24195Sim>>;

fn driver() -> Driver {
    let mut sim = Bq24195Sim::new();
    sim.plug_in(Supply::Adapter);
    sim.finish_input_detection();
    Bq24195::new(CountingBus::new(sim), Variant::Bq24195)
}

/// The traffic of `operation` alone: counted from zero once `prepare` has run, read while the driver owns the bus.
fn measure(prepare: fn(&mut Driver), operation: fn(&mut Driver)) -> Traffic {
    let mut bq = driver();
    prepare(&mut bq);
    bq.bus_mut().reset_traffic();
    operation(&mut bq);
    bq.bus().traffic()
}

fn nothing(_: &mut Driver) {}

fn warm(bq: &mut Driver) {
    bq.read_config().unwrap();
}

/// Every figure: what was measured, and the traffic.
pub fn figures() -> Vec<(&'static str, Traffic)> {
    vec![
        (
            "one setting, cached register (`set_charge_voltage_mv`)",
            measure(warm, |bq| {
                bq.set_charge_voltage_mv(4112).unwrap();
            }),
        ),
        (
            "one setting, cold cache (first `set_charge_voltage_mv`)",
            measure(nothing, |bq| {
                bq.set_charge_voltage_mv(4112).unwrap();
            }),
        ),
        (
            "`kick_watchdog` (cached REG01)",
            measure(warm, |bq| bq.kick_watchdog().unwrap()),
        ),
        (
            "one REG00 setting (`set_input_current_limit`, guarded)",
            measure(warm, |bq| bq.set_input_current_limit(InputCurrentLimit::Ma900).unwrap()),
        ),
        (
            "`set_input_source` (REG00 whole, guarded)",
            measure(warm, |bq| {
                let input = InputSource {
                    hiz: false,
                    voltage_limit_mv: 3880,
                    current_limit: InputCurrentLimit::Ma900,
                };
                bq.set_input_source(input).unwrap();
            }),
        ),
        (
            "`status`",
            measure(nothing, |bq| {
                let _ = bq.status().unwrap();
            }),
        ),
        (
            "`status_and_faults`",
            measure(nothing, |bq| {
                let _ = bq.status_and_faults().unwrap();
            }),
        ),
        (
            "`faults` (latched + current)",
            measure(nothing, |bq| {
                let _ = bq.faults().unwrap();
            }),
        ),
        (
            "`apply_config` (whole charger)",
            measure(nothing, |bq| bq.apply_config(&Config::electron()).unwrap()),
        ),
        (
            "`read_config`",
            measure(nothing, |bq| {
                let _ = bq.read_config().unwrap();
            }),
        ),
        (
            "`init` (check, flush faults, apply)",
            measure(nothing, |bq| {
                let _ = bq.init(&Config::electron()).unwrap();
            }),
        ),
    ]
}

fn main() {
    println!("| Operation | Transactions | Bytes written | Bytes read |");
    println!("|---|---|---|---|");
    for (name, traffic) in figures() {
        println!(
            "| {name} | {} | {} | {} |",
            traffic.transactions, traffic.written, traffic.read
        );
    }
    println!();
    println!("Bytes exclude the address byte; a write-read counts as one transaction.");
}
