//! The small public types on their own: each bit of EFLG and TXBnCTRL, each ICOD code, each segment range of a
//! timing, the error texts. Expected values from the datasheet (reference sheet §3.3, §3.6, §3.8, §4), not from
//! the driver's constants.
#![allow(clippy::unwrap_used, clippy::panic)]

use mcp25625::{
    ArgumentError, BitTiming, BitTimingError, Error, ErrorFlags, ErrorState, FrameKind, InterruptCode, Mode, RxBuffer,
    RxStatus, Status, TxBuffer, TxState,
};

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
fn each_segment_limit_is_accepted() {
    // the ends of each range are in it: PropSeg 1 and 8, PS1 1 and 8, PS2 2 and 8 (the other rules still hold)
    for (prop, ps1, ps2) in [(1, 4, 4), (8, 4, 4), (4, 1, 4), (4, 8, 4), (3, 3, 2), (4, 4, 8)] {
        let timing = BitTiming::from_segments(0, 1, prop, ps1, ps2, false);
        assert!(timing.is_ok(), "PropSeg {prop}, PS1 {ps1}, PS2 {ps2}: {timing:?}");
        let segments = timing.map(|t| (t.prop_seg(), t.phase_seg1(), t.phase_seg2()));
        assert_eq!(segments, Ok((prop, ps1, ps2)));
    }
}

#[test]
fn a_standard_mask_keeps_its_11_bits_in_place_and_drops_the_rest() {
    // the 11 standard bits sit above the 18 extended ones (SIDH:SIDL of the mask registers)
    assert_eq!(mcp25625::Mask::standard(0x123).0, 0x123 << 18);
    assert_eq!(mcp25625::Mask::standard(0x0F0F).0, 0x70F << 18);
    assert_eq!(mcp25625::Mask::standard(0).0, 0);
    assert_eq!(mcp25625::Mask::extended(0xFFFF_FFFF).0, 0x1FFF_FFFF);
    assert_eq!(mcp25625::Mask::extended(0x0ABC_DEF1).0, 0x0ABC_DEF1);
}

#[test]
fn the_published_command_masks_are_the_datasheets() {
    // the bits a read-modify-write must never write back as read (register module, public): CANCTRL REQOP
    // (bits 7..5) and ABAT (bit 4); EFLG RX1OVR and RX0OVR (bits 7, 6); TXBnCTRL ABTF, MLOA, TXERR, TXREQ (6..3)
    assert_eq!(mcp25625::register::CANCTRL_COMMAND_BITS, 0xF0);
    assert_eq!(mcp25625::register::EFLG_COMMAND_BITS, 0xC0);
    assert_eq!(mcp25625::register::TXBCTRL_COMMAND_BITS, 0x78);
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

#[test]
fn error_flags_bit_by_bit() {
    // EFLG: RX1OVR bit 7, RX0OVR 6, TXBO 5, TXEP 4, RXEP 3, TXWAR 2, RXWAR 1 (EWARN 0 has no accessor)
    let read = |eflg: u8| {
        let f = ErrorFlags(eflg);
        [
            f.rx1_overflow(),
            f.rx0_overflow(),
            f.bus_off(),
            f.tx_passive(),
            f.rx_passive(),
            f.tx_warning(),
            f.rx_warning(),
        ]
    };
    for (i, bit) in [0x80u8, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02].into_iter().enumerate() {
        let mut one = [false; 7];
        one[i] = true;
        assert_eq!(read(bit), one, "EFLG {bit:#04x} alone");
        assert_eq!(read(!bit), one.map(|b| !b), "EFLG all but {bit:#04x}");
    }
    assert!(ErrorFlags(0x80).overflow() && ErrorFlags(0x40).overflow());
    assert!(!ErrorFlags(0x3F).overflow());
}

#[test]
fn error_state_from_eflg() {
    assert_eq!(ErrorFlags(0x00).state(), ErrorState::Active);
    assert_eq!(ErrorFlags(0xC0).state(), ErrorState::Active);
    // EWARN with TXWAR or RXWAR
    assert_eq!(ErrorFlags(0x05).state(), ErrorState::Warning);
    assert_eq!(ErrorFlags(0x03).state(), ErrorState::Warning);
    assert_eq!(ErrorFlags(0x08 | 0x03).state(), ErrorState::Passive);
    assert_eq!(ErrorFlags(0x10 | 0x05).state(), ErrorState::Passive);
    assert_eq!(ErrorFlags(0x20 | 0x15).state(), ErrorState::BusOff);
    assert_eq!(ErrorFlags(0x20).state(), ErrorState::BusOff);
}

#[test]
fn read_status_bit_by_bit() {
    // READ STATUS: RX0IF bit 0, RX1IF 1, TXB0 TXREQ 2, TX0IF 3, TXB1 TXREQ 4, TX1IF 5, TXB2 TXREQ 6, TX2IF 7
    let read = |byte: u8| {
        let s = Status(byte);
        [
            s.rx_pending(RxBuffer::B0),
            s.rx_pending(RxBuffer::B1),
            s.tx_requested(TxBuffer::B0),
            s.tx_done(TxBuffer::B0),
            s.tx_requested(TxBuffer::B1),
            s.tx_done(TxBuffer::B1),
            s.tx_requested(TxBuffer::B2),
            s.tx_done(TxBuffer::B2),
        ]
    };
    for i in 0..8 {
        let bit = 1u8 << i;
        let mut one = [false; 8];
        one[i] = true;
        assert_eq!(read(bit), one, "status {bit:#04x} alone");
        assert_eq!(read(!bit), one.map(|b| !b), "status all but {bit:#04x}");
    }
}

#[test]
fn rx_status_every_field() {
    // bits 7:6 which buffers, 4:3 the kind (IDE, RTR), 2:0 the filter (6, 7: RXF0, RXF1 rolled over)
    let kinds = [
        FrameKind::StandardData,
        FrameKind::StandardRemote,
        FrameKind::ExtendedData,
        FrameKind::ExtendedRemote,
    ];
    for (code, kind) in (0u8..).zip(kinds) {
        assert_eq!(RxStatus::decode(code << 3).kind, kind, "kind {code}");
        assert_eq!(
            RxStatus::decode(0xE7 | code << 3).kind,
            kind,
            "kind {code} among other bits"
        );
    }
    for hit in 0u8..8 {
        let s = RxStatus::decode(0xF8 | hit);
        let (filter, rolled) = if hit < 6 { (hit, false) } else { (hit - 6, true) };
        assert_eq!((s.filter, s.rolled_over), (filter, rolled), "filter hit {hit}");
    }
    let buffers = |byte: u8| {
        let s = RxStatus::decode(byte);
        (s.rxb0, s.rxb1)
    };
    assert_eq!(buffers(0x00), (false, false));
    assert_eq!(buffers(0x40), (true, false));
    assert_eq!(buffers(0x80), (false, true));
    assert_eq!(buffers(0xC0), (true, true));
    assert_eq!(buffers(0x3F), (false, false));
}

#[test]
fn mode_codes_both_ways() {
    // REQOP / OPMOD in bits 7:5: 000 normal, 001 sleep, 010 loopback, 011 listen-only, 100 configuration
    let modes = [
        (Mode::Normal, 0x00),
        (Mode::Sleep, 0x20),
        (Mode::Loopback, 0x40),
        (Mode::ListenOnly, 0x60),
        (Mode::Configuration, 0x80),
    ];
    for (mode, code) in modes {
        assert_eq!(mode.code(), code, "{mode:?}");
        assert_eq!(Mode::from_register(code), Some(mode), "{code:#04x}");
        assert_eq!(
            Mode::from_register(code | 0x1F),
            Some(mode),
            "{code:#04x} among other bits"
        );
    }
    for invalid in [0xA0, 0xC0, 0xE0, 0xFF] {
        assert_eq!(Mode::from_register(invalid), None, "{invalid:#04x}");
    }
}

#[test]
fn error_texts() {
    assert!(!BitTimingError::BrpOutOfRange.to_string().is_empty());
    let e: Error<()> = Error::Timeout;
    assert!(e.to_string().contains("deadline"));
    let e: Error<()> = BitTimingError::BrpOutOfRange.into();
    assert_eq!(
        e,
        Error::Argument(ArgumentError::BitTiming(BitTimingError::BrpOutOfRange))
    );
    assert_eq!(
        ArgumentError::from(BitTimingError::QuantaOutOfRange),
        ArgumentError::BitTiming(BitTimingError::QuantaOutOfRange)
    );
}

/// CLKOUT: CANCTRL.CLKEN is bit 2, CLKPRE bits 1:0 (00 = Fosc, 01 = /2, 10 = /4, 11 = /8); the start-of-frame
/// signal is CLKEN with CNF3.SOF (bit 7).
#[test]
fn every_clock_out_setting() {
    use mcp25625::ClockOut;
    assert_eq!(ClockOut::Disabled.encode(), (0x00, 0x00));
    assert_eq!(ClockOut::Divide1.encode(), (0x04, 0x00));
    assert_eq!(ClockOut::Divide2.encode(), (0x05, 0x00));
    assert_eq!(ClockOut::Divide4.encode(), (0x06, 0x00));
    assert_eq!(ClockOut::Divide8.encode(), (0x07, 0x00));
    assert_eq!(ClockOut::StartOfFrame.encode(), (0x04, 0x80));
}

/// Triple sampling reads back as set, and is CNF2.SAM (bit 6).
#[test]
fn triple_sampling_reads_back() {
    let t = BitTiming::from_segments(0, 1, 4, 4, 4, false).unwrap();
    assert!(!t.triple_sampling());
    let t = t.with_triple_sampling(true);
    assert!(t.triple_sampling());
    assert_eq!(t.cnf()[1] & 0x40, 0x40);
}
