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

/// PRE_SCALE for a PWM frequency: `round(osc / (4096 * f)) - 1`, or `None` when the result falls outside
/// `3..=255` (or `f` is zero).
pub fn prescale_for(oscillator_hz: u32, frequency_hz: u32) -> Option<u8> {
    let denominator = u64::from(STEPS).checked_mul(u64::from(frequency_hz))?;
    if denominator == 0 {
        return None;
    }
    // round half up: floor((osc + d / 2) / d)
    let rounded = u64::from(oscillator_hz)
        .checked_add(denominator / 2)?
        .checked_div(denominator)?;
    let prescale = u8::try_from(rounded.checked_sub(1)?).ok()?;
    (prescale >= PRESCALE_MIN).then_some(prescale)
}

/// Counter ticks in one period: 4096 × (prescale + 1), at most 2^20.
fn period_ticks(prescale: u8) -> u64 {
    u64::from(STEPS).saturating_mul(u64::from(prescale).saturating_add(1))
}

/// `(numerator + denominator / 2) / denominator`, saturating, and 0 for a zero denominator.
fn div_round(numerator: u64, denominator: u64) -> u64 {
    numerator
        .saturating_add(denominator / 2)
        .checked_div(denominator)
        .unwrap_or(0)
}

/// The PWM period for a prescale, in nanoseconds: `4096 * (prescale + 1) / osc`, rounded to the nearest ns
/// (0 for a zero oscillator).
pub fn period_ns(oscillator_hz: u32, prescale: u8) -> u64 {
    // ticks <= 2^20 and 1e9 < 2^30: the product cannot saturate.
    div_round(
        period_ticks(prescale).saturating_mul(1_000_000_000),
        u64::from(oscillator_hz),
    )
}

/// The PWM frequency for a prescale, in millihertz, rounded to the nearest.
pub fn frequency_mhz(oscillator_hz: u32, prescale: u8) -> u32 {
    let millihertz = div_round(u64::from(oscillator_hz).saturating_mul(1000), period_ticks(prescale));
    // osc < 2^32 and ticks >= 4096: the quotient is below 2^32 * 1000 / 4096 < 2^32.
    u32::try_from(millihertz).unwrap_or(u32::MAX)
}

/// Counts for a pulse of `pulse_ns` at the given period: `round(pulse * 4096 / period)`, or `None` above 4096
/// (longer than the period) or for a zero period.
pub fn counts_for_pulse(pulse_ns: u64, period_ns: u64) -> Option<u16> {
    let counts = pulse_ns
        .checked_mul(u64::from(STEPS))?
        .checked_add(period_ns / 2)?
        .checked_div(period_ns)?;
    u16::try_from(counts).ok().filter(|c| u32::from(*c) <= STEPS)
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

    #[test]
    fn addresses() {
        assert_eq!(encode_address(0x70), 0xE0);
        assert_eq!(decode_address(0xE3), 0x71);
        assert_eq!(channel_register(15), 0x42);
    }
}
