//! The bus-traffic figures of the README, pinned (measured on the simulator by `examples/bus_figures.rs`).
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
    let figures: Vec<Traffic> = bus_figures::figures().into_iter().map(|(_, traffic)| traffic).collect();
    assert_eq!(
        figures,
        vec![
            t(1, 2, 0),  // a single setting = one 2-byte write
            t(2, 3, 1),  // cold: one 1 + 1 read first
            t(1, 2, 0),  // kick
            t(2, 4, 2),  // REG00: guard transaction (REG07 + REG00) + 2-byte write
            t(2, 3, 1),  // REG00 whole: guard read of REG07 + 2-byte write
            t(1, 1, 1),  // status
            t(1, 2, 2),  // status + faults: one transaction
            t(2, 2, 2),  // REG09 twice
            t(2, 10, 1), // whole config: guard + one 9-byte write
            t(1, 1, 8),  // read_config
            t(5, 13, 4), // init
        ]
    );
}
