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

/// TLR and TCR take levels in steps of 4 up to 60 inclusive: 60 is the top step (nibble 15), 61 is refused; a level
/// between steps rounds down.
#[test]
fn fifo_levels_go_up_to_60_inclusive() {
    use sc16is740::{ArgumentError, FlowLevels, TriggerLevels};
    let top = TriggerLevels { rx: 60, tx: 60 };
    assert_eq!(top.encode(), Ok((0xFF, top)));
    assert_eq!(TriggerLevels { rx: 61, tx: 0 }.encode(), Err(ArgumentError::FifoLevel));
    assert_eq!(
        TriggerLevels { rx: 7, tx: 59 }.encode(),
        Ok((0x1E, TriggerLevels { rx: 4, tx: 56 }))
    );
    let flow = FlowLevels { halt: 60, resume: 0 };
    assert_eq!(flow.encode(), Ok((0x0F, flow)));
    assert_eq!(
        FlowLevels { halt: 61, resume: 0 }.encode(),
        Err(ArgumentError::FlowLevels)
    );
}

/// The rate a divisor gives is rounded to the nearest hertz: 1.8432 MHz / (16 × 13) = 8861.54 Hz reads 8862 Hz,
/// 1.8432 MHz / (16 × 7) = 16457.14 Hz reads 16457 Hz, and the ÷4 prescaler divides by 4 more.
#[test]
fn the_rate_of_a_divisor_rounds_to_the_nearest_hertz() {
    use fugit::HertzU32;
    use sc16is740::{BaudRate, Prescaler};
    let xtal = HertzU32::from_raw(1_843_200);
    assert_eq!(BaudRate::from_divisor(xtal, 13, Prescaler::Div1).raw(), 8862);
    assert_eq!(BaudRate::from_divisor(xtal, 7, Prescaler::Div1).raw(), 16457);
    assert_eq!(BaudRate::from_divisor(xtal, 1, Prescaler::Div4).raw(), 28800);
    assert_eq!(BaudRate::from_divisor(xtal, 0, Prescaler::Div1).raw(), 0);
}

/// ÷4 wins where it is closer, even though ÷1 reaches the rate: at small divisors the nearest ÷1 divisor can be
/// further off in relative terms. 18.384 MHz for 100 kbit/s: ÷1 gives 18 384 000 / (16 × 11) = 104 455 Hz
/// (44 550 ppm), ÷4 gives 4 596 000 / (16 × 3) = 95 750 Hz (42 500 ppm).
#[test]
fn the_prescaler_with_the_smaller_error_wins() {
    use fugit::HertzU32;
    use sc16is740::{BaudRate, Prescaler};
    let fields = |rate: BaudRate| (rate.divisor, rate.prescaler, rate.actual.raw(), rate.error_ppm);
    let rate = BaudRate::compute(HertzU32::from_raw(18_384_000), HertzU32::from_raw(100_000), 50_000);
    assert_eq!(rate.map(fields), Ok((3, Prescaler::Div4, 95_750, 42_500)));
    // and ÷1 where it is closer: 14.7456 MHz for 115 200 (divisor 8, exact)
    let rate = BaudRate::compute(HertzU32::from_raw(14_745_600), HertzU32::from_raw(115_200), 0);
    assert_eq!(rate.map(fields), Ok((8, Prescaler::Div1, 115_200, 0)));
}
