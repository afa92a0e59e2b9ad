//! The datasheet in code: register addresses, reset values, field masks, and the pure encoding and decoding of
//! fields. Nothing here touches the bus.
//!
//! Public API, for a raw access the driver does not offer (through [`Pca9685::bus_mut`](crate::Pca9685::bus_mut),
//! followed by [`Pca9685::invalidate_cache`](crate::Pca9685::invalidate_cache) if it wrote MODE1, MODE2 or
//! PRE_SCALE): its constants and functions are covered by semantic versioning like the rest of the crate.

/// MODE1: restart, external clock, auto-increment, sleep, sub-address and all-call enables.
pub const MODE1: u8 = 0x00;
/// MODE2: output invert, output change, output driver, output-not-enabled state.
pub const MODE2: u8 = 0x01;
/// SUBADR1 (SUBADR2 and SUBADR3 follow it).
pub const SUBADR1: u8 = 0x02;
/// ALLCALLADR.
pub const ALLCALLADR: u8 = 0x05;
/// LED0_ON_L; channel `n` starts at `LED0_ON_L + 4 * n`.
pub const LED0_ON_L: u8 = 0x06;
/// ALL_LED_ON_L: a write loads the same four bytes into every channel; reads return 0.
pub const ALL_LED_ON_L: u8 = 0xFA;
/// ALL_LED_OFF_H: bit 4 set switches every output fully off (orderly shutdown).
pub const ALL_LED_OFF_H: u8 = 0xFD;
/// PRE_SCALE: writes are ignored unless MODE1.SLEEP is set.
pub const PRE_SCALE: u8 = 0xFE;

/// The software-reset general-call address.
pub const GENERAL_CALL: u8 = 0x00;
/// The software-reset data byte (SWRST), sent to [`GENERAL_CALL`].
pub const SWRST: u8 = 0x06;

/// MODE1 reset value: SLEEP and ALLCALL set.
pub const MODE1_RESET: u8 = 0x11;
/// MODE2 reset value: totem-pole outputs.
pub const MODE2_RESET: u8 = 0x04;
/// PRE_SCALE reset value (30, about 200 Hz on the internal oscillator).
pub const PRE_SCALE_RESET: u8 = 0x1E;
/// SUBADR1..3 and ALLCALLADR reset values (8-bit form: 7-bit address shifted left).
pub const ADDRESS_REGISTERS_RESET: [u8; 4] = [0xE2, 0xE4, 0xE8, 0xE0];

/// MODE1.RESTART: reads 1 when PWM was running as SLEEP was set; writing 1 resumes it.
pub const MODE1_RESTART: u8 = 1 << 7;
/// The command bits of MODE1, which a read-modify-write must never write back as read: RESTART (writing the 1 it
/// reads restarts the halted channels). EXTCLK is sticky but not a command (writing back the 1 it reads changes
/// nothing); every other MODE1 bit is plain. MODE2, SUBADRx, ALLCALLADR and the LED registers hold no command bits.
pub const MODE1_COMMAND_BITS: u8 = MODE1_RESTART;
/// MODE1.EXTCLK: use the EXTCLK pin. Sticky until power cycle or software reset.
pub const MODE1_EXTCLK: u8 = 1 << 6;
/// MODE1.AI: register auto-increment.
pub const MODE1_AI: u8 = 1 << 5;
/// MODE1.SLEEP: oscillator off.
pub const MODE1_SLEEP: u8 = 1 << 4;
/// MODE1.SUB1 (SUB2 is bit 2, SUB3 bit 1).
pub const MODE1_SUB1: u8 = 1 << 3;
/// MODE1.ALLCALL.
pub const MODE1_ALLCALL: u8 = 1 << 0;

/// MODE2.INVRT: output logic inverted.
pub const MODE2_INVRT: u8 = 1 << 4;
/// MODE2.OCH: outputs change on ACK instead of STOP.
pub const MODE2_OCH: u8 = 1 << 3;
/// MODE2.OUTDRV: totem pole (1) or open drain (0).
pub const MODE2_OUTDRV: u8 = 1 << 2;
/// MODE2.OUTNE: output state while /OE is high.
pub const MODE2_OUTNE: u8 = 0b11;
/// MODE2 bits 7:5 are reserved and read 0.
pub const MODE2_WRITABLE: u8 = 0x1F;

/// Bit 4 of LEDn_ON_H (full on) and LEDn_OFF_H (full off).
pub const FULL: u8 = 1 << 4;
/// Counts are 12 bits: 0..=4095.
pub const COUNT_MAX: u16 = 4095;
/// Counter steps in one PWM period.
pub const STEPS: u32 = 4096;

/// Smallest PRE_SCALE the hardware honours.
pub const PRESCALE_MIN: u8 = 3;

/// The internal oscillator's nominal frequency.
pub const INTERNAL_OSCILLATOR_HZ: u32 = 25_000_000;
/// The highest EXTCLK frequency the chip is specified for (see the crate docs: one source only).
pub const EXTERNAL_CLOCK_MAX_HZ: u32 = 50_000_000;
/// The oscillator needs up to 500 µs to start after SLEEP is cleared.
pub const OSCILLATOR_STARTUP_US: u32 = 500;

/// The register holding byte 0 (ON_L) of channel `index` (0..=15).
pub const fn channel_register(index: u8) -> u8 {
    // index <= 15 is guaranteed by `Channel`; 0x06 + 4 * 15 = 0x42, no overflow.
    LED0_ON_L.wrapping_add(index.wrapping_mul(4))
}

/// PRE_SCALE for a PWM frequency: `round(osc / (4096 * f)) - 1` (half up), or `None` when the result falls
/// outside `3..=255` (or `f` is zero). A `const fn`: a constant frequency costs nothing at run time.
///
/// 32-bit arithmetic only (one `udiv` on a Cortex-M4, no 64-bit division routine), exact for every input:
/// - for `f >= 2^20`, `4096 f >= 2^32 > osc`, so `osc / (4096 f) < 1`, the rounded quotient is at most 1 and the
///   prescale at most 0: `None` without computing;
/// - below that, `d = 4096 f < 2^32` fits a `u32`; with `osc = q d + r` (`r < d`), `round(osc / d)` is `q + 1`
///   when `r >= d / 2` (`d` is even), written `r >= d - r` so that nothing overflows; `q + 1 <= 2^20`.
///
/// The unit tests compare it with a 128-bit reference for every `f` below 2^21 at several oscillators, and over
/// random `(osc, f)` pairs of the whole `u32` range.
pub const fn prescale_for(oscillator_hz: u32, frequency_hz: u32) -> Option<u8> {
    if frequency_hz >= 1 << 20 {
        return None;
    }
    // f < 2^20: 4096 f < 2^32 cannot wrap.
    let denominator = frequency_hz.wrapping_mul(STEPS);
    let (quotient, remainder) = match (
        oscillator_hz.checked_div(denominator),
        oscillator_hz.checked_rem(denominator),
    ) {
        (Some(q), Some(r)) => (q, r),
        _ => return None, // f = 0
    };
    // quotient <= (2^32 - 1) / 4096 < 2^20: + 1 cannot wrap; remainder < denominator: no wrap either.
    let rounded = if remainder >= denominator.wrapping_sub(remainder) {
        quotient.wrapping_add(1)
    } else {
        quotient
    };
    // prescale = rounded - 1 in 3..=255; rounded = 0 wraps to u32::MAX, which fails the pattern too.
    match rounded.wrapping_sub(1).to_le_bytes() {
        [prescale, 0, 0, 0] if prescale >= PRESCALE_MIN => Some(prescale),
        _ => None,
    }
}

/// Counter periods of one PWM period divided by 4096: prescale + 1, 1..=256.
const fn divider(prescale: u8) -> u32 {
    // prescale <= 255: no wrap
    (prescale as u32).wrapping_add(1)
}

/// `round(numerator / denominator)` (half up), by binary long division (shifts, compares and subtractions), so
/// that no 64-bit division routine is linked (`__aeabi_uldivmod`, 932 B of flash on a Cortex-M4); 0 for a zero
/// denominator. 64 rounds of a few instructions each: well under 10 µs at 64 MHz, less than one I2C byte.
const fn div_round(numerator: u64, denominator: u64) -> u64 {
    if denominator == 0 {
        return 0;
    }
    let mut quotient = 0u64;
    let mut remainder = 0u64;
    let mut bit = 64u32;
    while bit > 0 {
        bit = bit.wrapping_sub(1);
        // remainder < denominator: shifted left it may exceed 2^64 only when its top bit is set, and then it is
        // above the denominator (the wrapped difference below is the true one, which is below the denominator).
        let carry = remainder >> 63;
        remainder = (remainder << 1) | ((numerator >> bit) & 1);
        if carry != 0 || remainder >= denominator {
            remainder = remainder.wrapping_sub(denominator);
            quotient |= 1 << bit;
        }
    }
    // half up: remainder >= denominator / 2 (rounded up), written so that nothing overflows
    if remainder >= denominator.wrapping_sub(remainder) {
        quotient.saturating_add(1)
    } else {
        quotient
    }
}

/// The PWM period for a prescale, in nanoseconds: `4096 * (prescale + 1) / osc`, rounded to the nearest ns
/// (0 for a zero oscillator).
pub const fn period_ns(oscillator_hz: u32, prescale: u8) -> u64 {
    // 4096 * 256 * 1e9 < 2^50: no wrap.
    let ticks_ns = (divider(prescale) as u64).wrapping_mul(4_096_000_000_000);
    div_round(ticks_ns, oscillator_hz as u64)
}

/// The PWM frequency for a prescale, in millihertz, rounded to the nearest (half up).
///
/// No division of 64-bit values: with `n = prescale + 1` and `v = 1000 osc < 2^42`,
/// `round(v / (4096 n)) = floor(floor((v + 2048 n) / 4096) / n)`, whose inner value, `< 2^30 + 2^7`, fits a `u32`.
pub const fn frequency_mhz(oscillator_hz: u32, prescale: u8) -> u32 {
    let n = divider(prescale);
    // osc * 1000 < 2^42 and 2048 n <= 2^19: the sum fits a u64 with room to spare
    let scaled = (oscillator_hz as u64)
        .wrapping_mul(1000)
        .wrapping_add((n as u64).wrapping_mul(2048))
        >> 12;
    // scaled < 2^30 + 2^7: the cast keeps every bit
    #[allow(clippy::cast_possible_truncation)]
    let scaled = scaled as u32;
    match scaled.checked_div(n) {
        Some(millihertz) => millihertz,
        None => 0, // n >= 1: never
    }
}

/// Counts for a pulse of `pulse_ns` at the given period: `round(pulse * 4096 / period)`, or `None` above 4096
/// (longer than the period) or for a zero period.
pub const fn counts_for_pulse(pulse_ns: u64, period_ns: u64) -> Option<u16> {
    let Some(scaled) = pulse_ns.checked_mul(STEPS as u64) else {
        return None;
    };
    if period_ns == 0 {
        return None;
    }
    within_period(div_round(scaled, period_ns))
}

/// Counts for a servo pulse of `pulse_us` µs at this oscillator and prescale, straight from the clock:
/// `round(pulse * osc / (1e6 * (prescale + 1)))` (one count lasts `(prescale + 1) / osc` s), or `None` above 4096
/// (longer than the period) or for a zero oscillator. Exact: nothing is rounded on the way.
///
/// No division routine: with `n = pulse * osc` (< 2^64) and `d = 1e6 (prescale + 1)` (< 2^28), anything with
/// `n >= 4097 d` is refused by one comparison; below that the quotient has at most 13 bits, and 14 rounds of
/// long division by `D = 2^12 d` (`D < 2^40`; the remainder stays below `2 D`, doubled below `2^42`) give those
/// bits and one more, `[remainder >= d / 2]`, so that `(q + 1) / 2` is the quotient rounded half up.
pub const fn counts_for_pulse_us(oscillator_hz: u32, prescale: u8, pulse_us: u32) -> Option<u16> {
    if oscillator_hz == 0 {
        return None;
    }
    // u32 * u32 < 2^64 and 256 * 1e6 < 2^28: neither wraps.
    let mut remainder = (pulse_us as u64).wrapping_mul(oscillator_hz as u64);
    let count = (divider(prescale) as u64).wrapping_mul(1_000_000);
    if remainder >= count.wrapping_mul(4097) {
        return None;
    }
    let divisor = count << 12;
    let mut quotient = 0u32;
    let mut round = 0u32;
    while round < 14 {
        quotient <<= 1;
        if remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1;
        }
        remainder <<= 1;
        round = round.wrapping_add(1);
    }
    // quotient < 2^14: + 1 cannot wrap
    within_period((quotient.wrapping_add(1) >> 1) as u64)
}

/// `counts` as a `u16` when it is at most 4096 (one period).
const fn within_period(counts: u64) -> Option<u16> {
    if counts <= STEPS as u64 {
        #[allow(clippy::cast_possible_truncation)] // <= 4096
        Some(counts as u16)
    } else {
        None
    }
}

/// Encodes a 7-bit I2C address for SUBADRx / ALLCALLADR (bits 7:1; bit 0 is read-only).
pub const fn encode_address(address: u8) -> u8 {
    address << 1
}

/// Decodes SUBADRx / ALLCALLADR into a 7-bit address.
pub const fn decode_address(register: u8) -> u8 {
    register >> 1
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    #[test]
    fn prescale_matches_the_sheet_vectors() {
        let osc = INTERNAL_OSCILLATOR_HZ;
        assert_eq!(prescale_for(osc, 24), Some(0xFD));
        assert_eq!(prescale_for(osc, 50), Some(0x79));
        assert_eq!(prescale_for(osc, 60), Some(0x65));
        assert_eq!(prescale_for(osc, 100), Some(0x3C));
        assert_eq!(prescale_for(osc, 200), Some(0x1E));
        assert_eq!(prescale_for(osc, 1000), Some(0x05));
        assert_eq!(prescale_for(osc, 1526), Some(0x03));
        assert_eq!(prescale_for(osc, 1743), Some(0x03));
        assert_eq!(prescale_for(osc, 1744), None);
        assert_eq!(prescale_for(osc, 23), None);
        assert_eq!(prescale_for(osc, 0), None);
        assert_eq!(prescale_for(osc, u32::MAX), None);
    }

    #[test]
    fn period_and_frequency() {
        assert_eq!(period_ns(INTERNAL_OSCILLATOR_HZ, 121), 19_988_480);
        assert_eq!(period_ns(INTERNAL_OSCILLATOR_HZ, 3), 655_360);
        assert_eq!(frequency_mhz(INTERNAL_OSCILLATOR_HZ, 121), 50_029);
        assert_eq!(frequency_mhz(INTERNAL_OSCILLATOR_HZ, 30), 196_888);
        assert_eq!(frequency_mhz(0, 3), 0);
        assert_eq!(period_ns(0, 3), 0);
        assert_eq!(frequency_mhz(u32::MAX, 3), 262_144_000);
    }

    #[test]
    fn pulse_counts_round_to_nearest() {
        // 1.5 ms of a 19.98848 ms period: 1500000 * 4096 / 19988480 = 307.38 -> 307
        assert_eq!(counts_for_pulse(1_500_000, 19_988_480), Some(307));
        assert_eq!(counts_for_pulse(19_988_480, 19_988_480), Some(4096));
        assert_eq!(counts_for_pulse(19_988_480 + 3000, 19_988_480), None);
        assert_eq!(counts_for_pulse(1, 0), None);
        assert_eq!(counts_for_pulse(u64::MAX, 1), None);
    }

    /// `round(n / d)` half up, computed independently in 128 bits: `floor((2n + d) / 2d)`.
    fn reference_round(n: u128, d: u128) -> u128 {
        (2 * n + d) / (2 * d)
    }

    fn reference_prescale(osc: u32, f: u32) -> Option<u8> {
        if f == 0 {
            return None;
        }
        let rounded = reference_round(u128::from(osc), 4096 * u128::from(f));
        let prescale = rounded.checked_sub(1)?;
        (3..=255).contains(&prescale).then_some(prescale as u8)
    }

    #[test]
    fn prescale_is_exact_for_every_frequency_below_2_pow_21() {
        // every f the function computes (below 2^20) and the first 2^20 it rejects unseen, at oscillators from
        // the smallest to the largest, the nominal and measured internal ones, the EXTCLK limit, and odd values
        for osc in [
            1,
            3,
            23_000_000,
            25_000_000,
            27_000_000,
            50_000_000,
            1_000_000_007,
            1 << 31,
            u32::MAX,
        ] {
            for f in 0..(1u32 << 21) {
                assert_eq!(prescale_for(osc, f), reference_prescale(osc, f), "osc {osc} f {f}");
            }
        }
    }

    #[test]
    fn prescale_rounds_half_up_at_every_valid_prescale() {
        // at the exact midpoints osc = 4096 f (p + 1.5) the result rounds up, one hertz-step below it does not
        for p in 3u32..=255 {
            for f in [1u32, 7, 24, 50, 1000] {
                let midpoint = 2048 * f * (2 * p + 3);
                assert_eq!(prescale_for(midpoint, f), reference_prescale(midpoint, f));
                assert_eq!(prescale_for(midpoint - 1, f), reference_prescale(midpoint - 1, f));
            }
        }
    }

    #[test]
    fn frequency_is_exact_for_every_prescale() {
        for osc in [0, 1, 23_000_000, 25_000_000, 50_000_000, 1_000_000_007, u32::MAX] {
            for p in 0..=255u8 {
                let expected = reference_round(u128::from(osc) * 1000, 4096 * (u128::from(p) + 1));
                assert_eq!(u128::from(frequency_mhz(osc, p)), expected, "osc {osc} p {p}");
                if osc != 0 {
                    let expected = reference_round(4096 * (u128::from(p) + 1) * 1_000_000_000, u128::from(osc));
                    assert_eq!(u128::from(period_ns(osc, p)), expected, "osc {osc} p {p}");
                }
            }
        }
    }

    #[test]
    fn a_constant_prescale_costs_nothing_at_run_time() {
        const PRESCALE_50_HZ: Option<u8> = prescale_for(INTERNAL_OSCILLATOR_HZ, 50);
        assert_eq!(PRESCALE_50_HZ, Some(121));
    }

    proptest::proptest! {
        #[test]
        fn prescale_matches_the_reference_everywhere(osc: u32, f: u32) {
            proptest::prop_assert_eq!(prescale_for(osc, f), reference_prescale(osc, f));
        }

        #[test]
        fn long_division_rounds_as_the_reference(n: u64, d: u64) {
            let expected = if d == 0 { 0 } else { reference_round(u128::from(n), u128::from(d)) };
            proptest::prop_assert_eq!(u128::from(div_round(n, d)), expected.min(u128::from(u64::MAX)));
        }

        #[test]
        fn long_division_with_a_huge_divisor(n: u64, d in (1u64 << 63)..=u64::MAX) {
            proptest::prop_assert_eq!(u128::from(div_round(n, d)), reference_round(u128::from(n), u128::from(d)));
        }

        #[test]
        fn pulse_counts_match_the_reference(osc: u32, p: u8, us: u32) {
            let expected = if osc == 0 {
                None
            } else {
                let counts = reference_round(u128::from(us) * u128::from(osc), (u128::from(p) + 1) * 1_000_000);
                (counts <= 4096).then_some(counts as u16)
            };
            proptest::prop_assert_eq!(counts_for_pulse_us(osc, p, us), expected);
        }

        #[test]
        fn pulse_counts_of_short_pulses_match_the_reference(osc in 1u32..60_000_000, p: u8, us in 0u32..50_000) {
            let counts = reference_round(u128::from(us) * u128::from(osc), (u128::from(p) + 1) * 1_000_000);
            proptest::prop_assert_eq!(counts_for_pulse_us(osc, p, us), (counts <= 4096).then_some(counts as u16));
        }
    }

    #[test]
    fn pulse_counts_from_the_clock() {
        // 1.5 ms at 50 Hz (prescale 121): 1500 * 25e6 / 122e6 = 307.38 -> 307; 1 ms at 40 MHz, prescale 19: 2000
        assert_eq!(counts_for_pulse_us(INTERNAL_OSCILLATOR_HZ, 121, 1500), Some(307));
        assert_eq!(counts_for_pulse_us(40_000_000, 19, 1000), Some(2000));
        // the whole period is 4096 counts; a pulse that rounds above it is refused
        assert_eq!(counts_for_pulse_us(1_000_000, 0, 4096), Some(4096));
        assert_eq!(counts_for_pulse_us(1_000_000, 0, 4097), None);
        assert_eq!(counts_for_pulse_us(0, 121, 1500), None);
        assert_eq!(counts_for_pulse_us(u32::MAX, 255, u32::MAX), None);
    }

    #[test]
    fn addresses() {
        assert_eq!(encode_address(0x70), 0xE0);
        assert_eq!(decode_address(0xE3), 0x71);
        assert_eq!(channel_register(15), 0x42);
    }
}
