//! The small public types on their own: each bit of EFLG and TXBnCTRL, each ICOD code, each segment range of a
//! timing, the error texts. Expected values from the datasheet (reference sheet §3.3, §3.6, §3.8, §4), not from
//! the driver's constants.
#![allow(clippy::unwrap_used, clippy::panic)]

use mcp25625::{ArgumentError, BitTiming, BitTimingError, ErrorFlags, InterruptCode, TxState};

#[test]
fn rx_warning_is_eflg_bit_1_alone() {
    assert!(ErrorFlags(0x02).rx_warning());
    assert!(!ErrorFlags(!0x02).rx_warning());
    assert!(!ErrorFlags(0x00).rx_warning());
}

#[test]
fn tx_state_bits_one_by_one() {
    // TXBnCTRL: ABTF bit 6, MLOA bit 5, TXERR bit 4, TXREQ bit 3
    let only = |bits: u8| {
        let s = TxState(bits);
        [s.aborted(), s.lost_arbitration(), s.error(), s.pending()]
    };
    assert_eq!(only(0x40), [true, false, false, false]);
    assert_eq!(only(0x20), [false, true, false, false]);
    assert_eq!(only(0x10), [false, false, true, false]);
    assert_eq!(only(0x08), [false, false, false, true]);
    assert_eq!(only(0x87), [false; 4]);
}

#[test]
fn every_interrupt_code() {
    // CANSTAT.ICOD, bits 3:1; OPMOD (7:5) and the unimplemented bits 4 and 0 set around it
    let codes = [
        InterruptCode::None,
        InterruptCode::Error,
        InterruptCode::WakeUp,
        InterruptCode::Tx0,
        InterruptCode::Tx1,
        InterruptCode::Tx2,
        InterruptCode::Rx0,
        InterruptCode::Rx1,
    ];
    for (icod, code) in (0u8..).zip(codes) {
        assert_eq!(InterruptCode::decode(icod << 1), code, "ICOD {icod}");
        assert_eq!(
            InterruptCode::decode(0xF1 | icod << 1),
            code,
            "ICOD {icod} among other bits"
        );
    }
}

#[test]
fn each_segment_range_is_checked() {
    // a valid timing: BRP 0, SJW 1, PropSeg 4, PS1 4, PS2 4 (13 TQ); then one segment out of its range
    assert!(BitTiming::from_segments(0, 1, 4, 4, 4, false).is_ok());
    let out = Err(BitTimingError::SegmentOutOfRange);
    // PropSeg 0 or 9 (8..=25 TQ and PS2 ≤ PropSeg + PS1 still hold)
    assert_eq!(BitTiming::from_segments(0, 1, 0, 8, 7, false), out);
    assert_eq!(BitTiming::from_segments(0, 1, 9, 4, 4, false), out);
    // PS1 0 or 9
    assert_eq!(BitTiming::from_segments(0, 1, 8, 0, 7, false), out);
    assert_eq!(BitTiming::from_segments(0, 1, 4, 9, 4, false), out);
    // PS2 1 or 9
    assert_eq!(BitTiming::from_segments(0, 1, 4, 4, 1, false), out);
    assert_eq!(BitTiming::from_segments(0, 1, 8, 8, 9, false), out);
}

#[test]
fn argument_errors_say_what_is_wrong() {
    assert_eq!(
        ArgumentError::NotInConfigurationMode.to_string(),
        "needs configuration mode"
    );
    assert_eq!(ArgumentError::WrongMode.to_string(), "not possible in the current mode");
    assert!(ArgumentError::BitTiming(BitTimingError::BrpOutOfRange)
        .to_string()
        .starts_with("invalid bit timing: "));
}
