//! Register fields decoded from the bit positions of the datasheet (SC16IS740/750/760, LSR and FCR), written here as
//! literals rather than taken from the driver's constants.
use sc16is740::{FifoConfig, LineStatus, RxTrigger, TxTrigger};

/// Each LSR accessor reads its own bit and no other: LSR[0] data ready, [1] overrun, [2] parity, [3] framing,
/// [4] break, [5] THR empty, [6] transmitter empty, [7] error in the RX FIFO.
#[test]
fn each_line_status_flag_is_its_own_bit() {
    type Flag = fn(LineStatus) -> bool;
    let flags: [(u8, Flag); 8] = [
        (0, LineStatus::data_ready),
        (1, LineStatus::overrun),
        (2, LineStatus::parity_error),
        (3, LineStatus::framing_error),
        (4, LineStatus::break_received),
        (5, LineStatus::tx_fifo_empty),
        (6, LineStatus::transmitter_idle),
        (7, LineStatus::fifo_error),
    ];
    for (bit, flag) in flags {
        for set in 0..8u8 {
            assert_eq!(
                flag(LineStatus(1 << set)),
                set == bit,
                "bit {set} read by the flag of bit {bit}"
            );
            assert_eq!(
                flag(LineStatus(!(1 << set))),
                set != bit,
                "all but bit {set}, flag of bit {bit}"
            );
        }
    }
}

/// FCR: [0] FIFO enable, [5:4] TX trigger (8, 16, 32, 56 spaces), [7:6] RX trigger (8, 16, 56, 60 characters).
#[test]
fn fifo_config_decodes_and_encodes_each_trigger_from_its_bits() {
    let rx = [
        RxTrigger::Chars8,
        RxTrigger::Chars16,
        RxTrigger::Chars56,
        RxTrigger::Chars60,
    ];
    let tx = [
        TxTrigger::Spaces8,
        TxTrigger::Spaces16,
        TxTrigger::Spaces32,
        TxTrigger::Spaces56,
    ];
    for (r, &rx_trigger) in (0u8..).zip(rx.iter()) {
        for (t, &tx_trigger) in (0u8..).zip(tx.iter()) {
            for enabled in [false, true] {
                let fcr = (r << 6) | (t << 4) | u8::from(enabled);
                let config = FifoConfig {
                    enabled,
                    rx_trigger,
                    tx_trigger,
                };
                assert_eq!(FifoConfig::decode(fcr), config, "FCR {fcr:#04x}");
                assert_eq!(config.encode(), fcr, "{config:?}");
                // the reset and DMA bits (1..3) do not change the settings read
                assert_eq!(
                    FifoConfig::decode(fcr | 0b1110),
                    config,
                    "FCR {fcr:#04x} with bits 1..3"
                );
            }
        }
    }
}
