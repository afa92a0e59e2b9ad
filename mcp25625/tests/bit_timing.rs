//! `BitTiming::new` / `with_sample_point` (a `const fn` on 32-bit integers) against an independent reference: a
//! brute-force search over every BRP and every PropSeg/PS1/PS2, in 128-bit arithmetic, that picks by the
//! documented order (sample point nearest the request, then the bit nearest 16 TQ, then the longer bit, then the
//! lower sample point). Over a grid of crystals, rates, sample points and SJWs, random constructed clock/rate
//! pairs up to the 32-bit limits, and random pairs of any kind (mostly not achievable).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use fugit::HertzU32;
use mcp25625::{BitTiming, BitTimingError};
use proptest::prelude::*;

/// One valid timing found by brute force: (brp, prop, ps1, ps2).
type Candidate = (u32, u32, u32, u32);

/// Every rule, written out again from the datasheet sheet (§4.2), not taken from the driver.
fn valid(sjw: u32, prop: u32, ps1: u32, ps2: u32) -> bool {
    let ntq = 1 + prop + ps1 + ps2;
    (1..=8).contains(&prop)
        && (1..=8).contains(&ps1)
        && (2..=8).contains(&ps2)
        && ps2 > sjw
        && ps1 >= sjw
        && prop + ps1 >= ps2
        && (8..=25).contains(&ntq)
}

/// The reference: the best (brp, tseg1, ps2) or `None`.
fn reference(osc: u32, rate: u32, target: u32, sjw: u32) -> Option<(u32, u32, u32)> {
    let mut best: Option<(Candidate, u128, u128)> = None; // candidate, |error| numerator, denominator
    for brp in 0..64u32 {
        // every bit length the segment limits allow (1 + 1 + 1 + 2 ..= 1 + 8 + 8 + 8); `valid` then applies 8..=25
        for ntq in 5..=25u32 {
            if rate == 0 || u128::from(osc) != 2 * u128::from(brp + 1) * u128::from(ntq) * u128::from(rate) {
                continue;
            }
            for ps2 in 2..=8u32 {
                for ps1 in 1..=8u32 {
                    let Some(prop) = ntq.checked_sub(1 + ps1 + ps2) else {
                        continue;
                    };
                    if !valid(sjw, prop, ps1, ps2) {
                        continue;
                    }
                    let ntq = u128::from(ntq);
                    // |(1 + tseg1) / ntq − target / 1000| = |1000 (1 + tseg1) − target ntq| / (1000 ntq)
                    let error = (1000 * u128::from(1 + prop + ps1)).abs_diff(u128::from(target) * ntq);
                    let better = match best {
                        None => true,
                        Some(((_, _, _, best_ps2), best_error, best_ntq)) => {
                            let (lhs, rhs) = (error * best_ntq, best_error * ntq);
                            let (d, best_d) = (ntq.abs_diff(16), best_ntq.abs_diff(16));
                            lhs < rhs
                                || (lhs == rhs && d < best_d)
                                || (lhs == rhs && d == best_d && ntq > best_ntq)
                                // the same bit, equally near: the lower sample point (longer PS2)
                                || (lhs == rhs && ntq == best_ntq && ps2 > best_ps2)
                        }
                    };
                    if better {
                        best = Some(((brp, prop, ps1, ps2), error, ntq));
                    }
                }
            }
        }
    }
    best.map(|((brp, prop, ps1, ps2), _, _)| (brp, prop + ps1, ps2))
}

/// The computed timing equals the reference's choice, split as documented (PS1 takes the odd quantum, at
/// least SJW), or both find nothing.
fn check(osc: u32, rate: u32, target: u16, sjw: u8) {
    let ours = BitTiming::with_sample_point(HertzU32::from_raw(osc), HertzU32::from_raw(rate), target, sjw);
    let expected = reference(osc, rate, u32::from(target), u32::from(sjw));
    let case = format!("{osc} Hz, {rate} bit/s, {target} ‰, SJW {sjw}");
    match (ours, expected) {
        (Ok(t), Some((brp, tseg1, ps2))) => {
            assert_eq!(u32::from(t.brp()), brp, "BRP, {case}");
            assert_eq!(u32::from(t.phase_seg2()), ps2, "PS2, {case}");
            assert_eq!(u32::from(t.prop_seg() + t.phase_seg1()), tseg1, "PropSeg + PS1, {case}");
            assert_eq!(
                u32::from(t.phase_seg1()),
                tseg1.div_ceil(2).max(u32::from(sjw)),
                "split, {case}"
            );
            assert_eq!(t.sjw(), sjw, "{case}");
            assert!(!t.triple_sampling(), "{case}");
            assert_eq!(t.bitrate(HertzU32::from_raw(osc)).raw(), rate, "{case}");
            // the register bytes decode to the same timing
            assert_eq!(BitTiming::from_cnf(t.cnf()), Ok(t), "{case}");
        }
        (Err(BitTimingError::BitrateNotAchievable), None) => {}
        (ours, expected) => panic!("{case}: computed {ours:?}, reference {expected:?}"),
    }
}

#[test]
fn a_grid_of_crystals_rates_sample_points_and_sjws() {
    let crystals_khz = [
        1_000, 4_000, 8_000, 10_000, 12_000, 16_000, 20_000, 24_000, 25_000, 32_000, 40_000,
    ];
    let rates = [
        5_000, 10_000, 20_000, 33_333, 40_000, 50_000, 62_500, 80_000, 83_333, 100_000, 125_000, 200_000, 250_000,
        400_000, 500_000, 666_666, 800_000, 1_000_000,
    ];
    for osc in crystals_khz.map(|k| k * 1000) {
        for rate in rates {
            for target in [500, 600, 625, 700, 750, 800, 850, 875, 900, 950] {
                for sjw in 1..=4 {
                    check(osc, rate, target, sjw);
                }
            }
        }
    }
}

#[test]
fn the_sheets_worked_vectors() {
    // the datasheet's example (DS21801F p.41): 20 MHz, 125 kbit/s at 62.5 % → BRP 4, 16 TQ, PS2 6, PropSeg +
    // PS1 = 9 (the sheet splits 2/7, the driver 4/5: same bit, same sample point)
    let t = BitTiming::with_sample_point(HertzU32::MHz(20), HertzU32::kHz(125), 625, 1).unwrap();
    assert_eq!((t.brp(), t.quanta_per_bit(), t.phase_seg2()), (4, 16, 6));
    assert_eq!(t.prop_seg() + t.phase_seg1(), 9);
    assert_eq!(t.sample_point_permille(), 625);
    assert_eq!(t.cnf(), [0x04, 0xA3, 0x05]);
    assert_eq!(
        BitTiming::from_cnf([0x04, 0xB1, 0x05]).unwrap().sample_point_permille(),
        625
    );
    // Table A (87.5 %) and Table B (75 %) of the sheet: BRP, PS2 and PropSeg + PS1 as the table gives them
    for (mhz, kbit, target, brp, tseg1, ps2) in [
        (8, 125, 875, 1, 13, 2),
        (8, 250, 875, 0, 13, 2),
        (8, 500, 875, 0, 5, 2),
        (16, 125, 875, 3, 13, 2),
        (16, 250, 875, 1, 13, 2),
        (16, 500, 875, 0, 13, 2),
        (16, 1000, 875, 0, 5, 2),
        (20, 125, 875, 4, 13, 2),
        (20, 250, 875, 1, 16, 3),
        (20, 500, 875, 0, 16, 3),
        (20, 1000, 875, 0, 7, 2),
        (8, 125, 750, 1, 11, 4),
        (16, 500, 750, 0, 11, 4),
        (20, 250, 750, 1, 14, 5),
        (20, 1000, 750, 0, 6, 3),
    ] {
        let t = BitTiming::with_sample_point(HertzU32::MHz(mhz), HertzU32::kHz(kbit), target, 1).unwrap();
        let row = format!("{mhz} MHz {kbit} kbit/s {target} ‰");
        assert_eq!(t.brp(), brp, "{row}");
        assert_eq!(t.prop_seg() + t.phase_seg1(), tseg1, "{row}");
        assert_eq!(t.phase_seg2(), ps2, "{row}");
        check(mhz * 1_000_000, kbit * 1000, target, 1);
    }
    // 8 MHz cannot make 1 Mbit/s (4 TQ per bit)
    assert_eq!(
        BitTiming::new(HertzU32::MHz(8), HertzU32::MHz(1)),
        Err(BitTimingError::BitrateNotAchievable)
    );
}

/// Computed at compile time: the point of the `const fn`.
const AT_COMPILE_TIME: BitTiming = match BitTiming::new(HertzU32::MHz(16), HertzU32::kHz(500)) {
    Ok(timing) => timing,
    Err(_) => panic!("not reachable"),
};
const REFUSED: Result<BitTiming, BitTimingError> = BitTiming::new(HertzU32::MHz(8), HertzU32::MHz(1));

#[test]
fn usable_in_const_context() {
    assert_eq!(AT_COMPILE_TIME.cnf(), [0x00, 0xB5, 0x01]);
    assert_eq!(
        AT_COMPILE_TIME,
        BitTiming::new(HertzU32::MHz(16), HertzU32::kHz(500)).unwrap()
    );
    assert_eq!(REFUSED, Err(BitTimingError::BitrateNotAchievable));
    const FROM_CNF: Result<BitTiming, BitTimingError> = BitTiming::from_cnf([0x00, 0xB5, 0x01]);
    assert_eq!(FROM_CNF, Ok(AT_COMPILE_TIME));
    const RATE: u32 = AT_COMPILE_TIME.bitrate(HertzU32::MHz(16)).raw();
    assert_eq!(RATE, 500_000);
}

#[test]
fn brp_63_and_bit_lengths_past_8_bits() {
    let t = BitTiming::new(HertzU32::from_raw(2_048_000), HertzU32::from_raw(1000)).unwrap();
    assert_eq!((t.brp(), t.quanta_per_bit()), (63, 16));
    assert_eq!(BitTiming::from_cnf(t.cnf()), Ok(t));
    let t = BitTiming::new(HertzU32::from_raw(544_000), HertzU32::from_raw(1000)).unwrap();
    assert_eq!((t.brp(), t.quanta_per_bit()), (16, 16));
}

#[test]
fn the_32_bit_edges() {
    // the largest clocks: 2 × 64 × 25 × rate near 2³², where the old code needed 64 bits
    for (osc, rate) in [
        (u32::MAX, 1),
        (u32::MAX, u32::MAX),
        (4_294_967_040, 1), // 2³² − 256 = 2⁸ × (2²⁴ − 1)
        (4_294_967_040, 256),
        (4_194_270_720, 10_922_580), // 2 × 16 × 12 × 10 922 580: a 12-TQ bit near the 32-bit limit
        (4_000_000_000, 1_000_000),
        (4_000_000_000, 80_000_000),
        (3_200_000_000, 1_000_000),
        // BRP 63 (2 × 64 × 16 TQ) is the only choice
        (2_048_000, 1000),
        // 544 = 2 × 272: 272 quanta at BRP 0 (16 if cut to 8 bits) against the real 16 at BRP 16
        (544_000, 1000),
        (0, 0),
        (0, 1),
        (1, 0),
        (16, 1),
        (256, 1),
    ] {
        for sjw in 1..=4 {
            check(osc, rate, 875, sjw);
            check(osc, rate, 500, sjw);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A pair built to be achievable at some BRP and bit length (also lengths outside 8..=25, refused).
    #[test]
    fn constructed_pairs(brp in 0u32..64, ntq in 4u32..=30, rate in 1u32..=u32::MAX / 3840, target in 500u16..=950, sjw in 1u8..=4) {
        let osc = u64::from(2 * (brp + 1) * ntq) * u64::from(rate);
        prop_assume!(osc <= u64::from(u32::MAX));
        check(u32::try_from(osc).unwrap(), rate, target, sjw);
    }

    /// Realistic crystals and rates in whole kHz and bit/s.
    #[test]
    fn realistic_pairs(osc_khz in 1_000u32..=40_000, rate in 1_000u32..=1_000_000, target in 500u16..=950, sjw in 1u8..=4) {
        check(osc_khz * 1000, rate, target, sjw);
    }

    /// Anything at all (mostly not achievable, which must then be refused).
    #[test]
    fn any_pairs(osc in any::<u32>(), rate in any::<u32>(), target in 500u16..=950, sjw in 1u8..=4) {
        check(osc, rate, target, sjw);
    }
}
