//! The bus-traffic figures of the README, pinned (measured on the simulator by `examples/bus_figures.rs`), with
//! the protocol minimum of each row.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

#[path = "../examples/bus_figures.rs"]
mod bus_figures;

use bq24195::sim::Traffic;

fn t(transactions: u32, written: u32, read: u32) -> Traffic {
    Traffic {
        transactions,
        written,
        read,
    }
}

#[test]
fn figures_are_pinned() {
    let figures: Vec<(Traffic, Traffic)> = bus_figures::figures()
        .into_iter()
        .map(|(_, traffic, minimum)| (traffic, minimum))
        .collect();
    assert_eq!(
        figures,
        vec![
            (t(1, 2, 0), t(1, 2, 0)),   // a single setting = one 2-byte write
            (t(2, 3, 1), t(1, 2, 0)),   // cold: one 1 + 1 read first
            (t(1, 2, 0), t(1, 2, 0)),   // kick
            (t(2, 4, 2), t(2, 3, 1)),   // REG00: guard transaction (REG07 + REG00) + 2-byte write
            (t(2, 3, 1), t(1, 2, 0)),   // REG00 whole: guard read of REG07 + 2-byte write
            (t(1, 1, 1), t(1, 1, 1)),   // status
            (t(1, 2, 2), t(1, 2, 2)),   // status + faults: one transaction
            (t(2, 2, 2), t(2, 2, 2)),   // REG09 twice
            (t(2, 10, 1), t(1, 9, 0)),  // whole config: guard + one 9-byte write
            (t(1, 1, 8), t(1, 1, 8)),   // read_config
            (t(5, 13, 4), t(4, 12, 3)), // init: check, REG09 twice, guard, write
            (t(0, 0, 0), t(0, 0, 0)),   // assume_power_on_state: no traffic
            (t(1, 2, 0), t(1, 2, 0)),   // charge current from power-on: `02 38`
            (t(2, 3, 1), t(1, 2, 0)),   // charge current, cold: REG02 read first
            (t(2, 4, 0), t(2, 4, 0)),   // watchdog off + charge current from power-on
            (t(4, 6, 2), t(2, 4, 0)),   // the same, cold: REG05 and REG02 read first
        ]
    );
}
