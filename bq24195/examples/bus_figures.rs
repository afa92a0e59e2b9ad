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

fn power_on(bq: &mut Driver) {
    bq.assume_power_on_state();
}

/// `transactions`, bytes `written` (address bytes excluded), bytes `read`.
const fn t(transactions: u32, written: u32, read: u32) -> Traffic {
    Traffic {
        transactions,
        written,
        read,
    }
}

/// Every figure: what was measured, the traffic, and the protocol's minimum for the same job once the chip's
/// state is known (README "Bus traffic" gives the reason of every row above its minimum).
pub fn figures() -> Vec<(&'static str, Traffic, Traffic)> {
    let rows: Vec<(&'static str, Traffic)> = vec![
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
        (
            "start-up: `assume_power_on_state`",
            measure(nothing, |bq| bq.assume_power_on_state()),
        ),
        (
            "start-up: set the charge current after `assume_power_on_state`",
            measure(power_on, |bq| {
                bq.set_fast_charge_current_ma(1408).unwrap();
            }),
        ),
        (
            "start-up: set the charge current, cold cache",
            measure(nothing, |bq| {
                bq.set_fast_charge_current_ma(1408).unwrap();
            }),
        ),
        (
            "start-up: watchdog off and charge current after `assume_power_on_state`",
            measure(power_on, |bq| {
                bq.disable_watchdog().unwrap();
                bq.set_fast_charge_current_ma(1408).unwrap();
            }),
        ),
        (
            "start-up: watchdog off and charge current, cold cache",
            measure(nothing, |bq| {
                bq.disable_watchdog().unwrap();
                bq.set_fast_charge_current_ma(1408).unwrap();
            }),
        ),
    ];
    let minimum = [
        t(1, 2, 0), // one 2-byte write
        t(1, 2, 0), // the same write, had the driver known the register
        t(1, 2, 0),
        t(2, 3, 1), // REG00 changes on its own: read it, write it
        t(1, 2, 0),
        t(1, 1, 1),
        t(1, 2, 2), // REG09 takes no multi-byte read: REG08 and REG09 read one by one
        t(2, 2, 2), // REG09 twice
        t(1, 9, 0), // one auto-increment write of REG00–REG07
        t(1, 1, 8),
        t(4, 12, 3), // REG0A, REG09 twice, the 9-byte write
        t(0, 0, 0),
        t(1, 2, 0), // the start-up row: 1 transaction, 3 bytes with the address byte
        t(1, 2, 0),
        t(2, 4, 0),
        t(2, 4, 0),
    ];
    rows.into_iter()
        .zip(minimum)
        .map(|((name, traffic), minimum)| (name, traffic, minimum))
        .collect()
}

fn main() {
    println!("| Operation | Transactions | Bytes written | Bytes read | Minimum |");
    println!("|---|---|---|---|---|");
    for (name, traffic, minimum) in figures() {
        let above = if traffic == minimum { "" } else { " (above)" };
        println!(
            "| {name} | {} | {} | {} | {} / {} / {}{above} |",
            traffic.transactions, traffic.written, traffic.read, minimum.transactions, minimum.written, minimum.read
        );
    }
    println!();
    println!("Bytes exclude the address byte; a write-read counts as one transaction.");
    println!("Minimum: transactions / written / read the protocol needs once the chip's state is known.");
}
