//! The datasheet in code: register addresses, power-up values, field masks, timing facts, and the pure encoding
//! and decoding of fields. Nothing here touches the bus.
//!
//! Every register is 16 bits wide, big-endian: the MSB lives at the even address `N`, the LSB at `N + 1`, and
//! both bytes must be read in one transaction for the value to be valid.
//!
//! This module is public for what the driver does not offer (a raw access on your own bus, a test of your own),
//! and it is part of the API: its names and values are covered by semantic versioning like the rest of the crate.
//! A constant is removed or changed only with a major version.

/// The fixed 7-bit I2C address (0x6C to write, 0x6D to read in 8-bit form).
pub const ADDRESS: u8 = 0x36;

/// VCELL (read-only): the 12-bit cell voltage in bits 15:4.
pub const VCELL: u8 = 0x02;
/// SOC (read-only): state of charge, MSB = whole percent, LSB = 1/256 percent.
pub const SOC: u8 = 0x04;
/// MODE (write-only): special commands; only quick-start is defined.
pub const MODE: u8 = 0x06;
/// VERSION (read-only): the production version of the IC.
pub const VERSION: u8 = 0x08;
/// CONFIG (read/write): RCOMP in the MSB; SLEEP, ALRT and ATHD in the LSB.
pub const CONFIG: u8 = 0x0C;
/// COMMAND (write-only): the power-on-reset command.
pub const COMMAND: u8 = 0xFE;

/// MODE value that restarts the fuel-gauge algorithm as at power-up (quick-start).
pub const MODE_QUICK_START: u16 = 0x4000;

/// COMMAND value of the power-on reset in the newer datasheet revision, Linux, Particle and `max170xx`:
/// bytes `00 54`.
pub const COMMAND_POR: u16 = 0x0054;
/// COMMAND value of the power-on reset in the older datasheet revision and SparkFun's libraries: bytes `54 00`
/// (also the MAX17048's value).
pub const COMMAND_POR_LEGACY: u16 = 0x5400;

/// CONFIG power-up value: RCOMP 0x97, awake, no alert, alert threshold 4 %.
pub const CONFIG_RESET: u16 = 0x971C;
/// RCOMP power-up value (CONFIG MSB).
pub const RCOMP_RESET: u8 = 0x97;

/// CONFIG LSB bit 7: SLEEP. 1 forces Sleep, 0 leaves it.
pub const CONFIG_SLEEP: u8 = 1 << 7;
/// CONFIG LSB bit 6: not writable, reads 0 or 1.
pub const CONFIG_DONT_CARE: u8 = 1 << 6;
/// CONFIG LSB bit 5: ALRT, set by the IC when SOC falls below the threshold; cleared only by writing 0.
pub const CONFIG_ALRT: u8 = 1 << 5;
/// CONFIG LSB bits 4:0: ATHD, alert threshold stored as `32 - percent`.
pub const CONFIG_ATHD: u8 = 0x1F;
/// The CONFIG LSB bits only the driver writes (SLEEP and ATHD); ALRT belongs to the chip, bit 6 to nobody.
pub const CONFIG_DRIVER_BITS: u8 = CONFIG_SLEEP | CONFIG_ATHD;
/// The CONFIG LSB bits a read-modify-write must not treat as its own (invariant 3 of issue 12): ALRT, latched by
/// the chip and cleared only by writing 0 (so a change writes it back exactly as just read, 1 over 1 or 0 over 0,
/// never from the cache and never 1 over 0; only a deliberate clear writes 0), and bit 6, not writable. Never
/// cached.
pub const CONFIG_CHIP_BITS: u8 = CONFIG_ALRT | CONFIG_DONT_CARE;

/// MODE is write-only and every bit of it is a command (quick-start is 0x4000; the rest is reserved): nothing of it
/// is cached, read back or written back.
pub const MODE_COMMAND_BITS: u16 = 0xFFFF;
/// COMMAND is write-only and every bit of it is a command (the power-on reset): nothing of it is cached, read back
/// or written back.
pub const COMMAND_COMMAND_BITS: u16 = 0xFFFF;

/// Lowest alert threshold, in percent.
pub const ALERT_THRESHOLD_MIN: u8 = 1;
/// Highest alert threshold, in percent.
pub const ALERT_THRESHOLD_MAX: u8 = 32;

/// The value a register reads when the gauge is unpowered (no battery) or the bus glitched.
pub const INVALID: u16 = 0xFFFF;
/// The VERSION no gauge has: what a bus held low reads (Particle's presence test rejects it with 0xFFFF).
pub const VERSION_NONE: u16 = 0x0000;

/// VCELL step of the MAX17043 (one cell), in µV.
pub const VCELL_STEP_UV_MAX17043: u32 = 1250;
/// VCELL step of the MAX17044 (two cells), in µV.
pub const VCELL_STEP_UV_MAX17044: u32 = 2500;

/// 100 % in the SOC register's unit (1/256 %).
pub const SOC_FULL: u16 = 100 * 256;

/// The first VCELL and SOC values are ready this long after power-on (or a POR command), in ms.
pub const FIRST_READING_MS: u32 = 125;
/// After the first one, VCELL is averaged over cycles of this length, in ms.
pub const CONVERSION_CYCLE_MS: u32 = 500;
/// VCELL needs this long to update after the gauge leaves Sleep, in ms.
pub const WAKE_SETTLE_MS: u32 = 500;

// ---- MAX17048 / MAX17049 ---------------------------------------------------------------------------------------
//
// The MAX17048 (one cell) and MAX17049 (two cells) keep the map above and add the registers below. Sources: the
// MAX17048/49 datasheet (19-6171) as quoted by the drivers named in the crate docs; where they disagree the crate
// docs say so.

/// HIBRT (read/write, MAX17048/49): MSB HibThr (0.208 %/h per LSB), LSB ActThr (1.25 mV per LSB).
pub const HIBRT: u8 = 0x0A;
/// VALRT (read/write, MAX17048/49): MSB VALRT.MIN, LSB VALRT.MAX, 20 mV per LSB.
pub const VALRT: u8 = 0x14;
/// CRATE (read-only, MAX17048/49): signed charge rate, 0.208 %/h per LSB, positive while charging.
pub const CRATE: u8 = 0x16;
/// VRESET/ID (MAX17048/49): MSB bits 7:1 VRESET (40 mV per LSB), bit 0 Dis; LSB the factory ID (read-only).
pub const VRESET_ID: u8 = 0x18;
/// STATUS (read/write, MAX17048/49): the alert flags and EnVR in the MSB; the LSB is don't-care.
pub const STATUS: u8 = 0x1A;

/// The model-access register (MAX17048/49, write-only): [`MODEL_UNLOCK`] opens the TABLE to writes, [`MODEL_LOCK`]
/// closes it.
pub const MODEL_ACCESS: u8 = 0x3E;
/// The value that unlocks model access.
pub const MODEL_UNLOCK: u16 = 0x4A57;
/// The value that locks model access again.
pub const MODEL_LOCK: u16 = 0x0000;
/// TABLE (MAX17048/49, write-only while unlocked): the 64 bytes of a custom ModelGauge model, 0x40 to 0x7F.
pub const TABLE: u8 = 0x40;
/// The TABLE's length in bytes.
pub const TABLE_LEN: usize = 64;

/// HIBRT power-up value: HibThr 0x80 (26.6 %/h), ActThr 0x30 (60 mV).
pub const HIBRT_RESET: u16 = 0x8030;
/// HIBRT that keeps the gauge in hibernation.
pub const HIBRT_ALWAYS: u16 = 0xFFFF;
/// HIBRT that never lets the gauge hibernate.
pub const HIBRT_NEVER: u16 = 0x0000;
/// VALRT power-up value: MIN 0 V, MAX 5.10 V (no voltage alert).
pub const VALRT_RESET: u16 = 0x00FF;
/// VRESET/ID power-up MSB: VRESET 0x4B (3.00 V), comparator enabled.
pub const VRESET_RESET: u8 = 0x96;

/// MODE bit 13 (MAX17048/49): EnSleep. CONFIG.SLEEP is honoured only while it is 1.
pub const MODE_EN_SLEEP: u16 = 1 << 13;
/// MODE bit 12 (MAX17048/49, read-only): HibStat, 1 while the gauge hibernates.
pub const MODE_HIB_STAT: u16 = 1 << 12;

/// CONFIG LSB bit 6 on the MAX17048/49: ALSC, an alert (STATUS.SC) at every 1 % change of SOC. Driver-owned there.
pub const CONFIG_ALSC: u8 = 1 << 6;

/// STATUS MSB bit 0 (bit 8 of the word): RI, reset indicator, set at power-up (the gauge is not configured).
pub const STATUS_RI: u8 = 1 << 0;
/// STATUS MSB bit 1: VH, VCELL went above VALRT.MAX.
pub const STATUS_VH: u8 = 1 << 1;
/// STATUS MSB bit 2: VL, VCELL went below VALRT.MIN.
pub const STATUS_VL: u8 = 1 << 2;
/// STATUS MSB bit 3: VR, voltage reset (VCELL fell below VRESET: a battery removed and put back).
pub const STATUS_VR: u8 = 1 << 3;
/// STATUS MSB bit 4: HD, SOC fell below the CONFIG.ATHD threshold.
pub const STATUS_HD: u8 = 1 << 4;
/// STATUS MSB bit 5: SC, SOC changed by 1 % (with CONFIG.ALSC = 1).
pub const STATUS_SC: u8 = 1 << 5;
/// STATUS MSB bit 6 (bit 14 of the word): EnVR, an enable (not a flag): 1 lets a voltage reset raise ALRT.
pub const STATUS_EN_VR: u8 = 1 << 6;
/// The STATUS MSB flag bits, set by the chip and cleared by writing 0 (never 1 over 0 from this driver).
pub const STATUS_FLAGS: u8 = 0x3F;

/// The MAX17048 COMMAND value of the power-on reset (the chip resets as the last bit arrives and does not
/// acknowledge it).
pub const COMMAND_POR_MAX17048: u16 = COMMAND_POR_LEGACY;

/// µV per VCELL LSB × 8 on the MAX17048 (78.125 µV = 625 / 8 per cell).
pub const VCELL_EIGHTHS_UV_MAX17048: u32 = 625;
/// µV per VCELL LSB × 8 on the MAX17049 (156.25 µV = 625 / 4: it reports the two-cell pack).
pub const VCELL_EIGHTHS_UV_MAX17049: u32 = 1250;
/// CRATE and HibThr: 0.208 %/h per LSB, in 1/1000 %/h.
pub const CRATE_MILLI_PERCENT_PER_HOUR: i32 = 208;
/// VALRT: 20 mV per LSB.
pub const VALRT_STEP_MV: u32 = 20;
/// VRESET: 40 mV per LSB.
pub const VRESET_STEP_MV: u32 = 40;
/// HIBRT ActThr: 1.25 mV per LSB, in µV.
pub const ACT_THR_STEP_UV: u32 = 1250;

/// The MAX17048/49 VCELL in µV: all 16 bits, `eighths_uv / 8` µV per LSB. At most 65535 × 1250 / 8, which fits.
pub const fn vcell_microvolts_16(raw: u16, eighths_uv: u32) -> u32 {
    (raw as u32).saturating_mul(eighths_uv) / 8
}

/// The two bytes written for a 16-bit value, MSB first.
pub const fn to_bytes(value: u16) -> [u8; 2] {
    value.to_be_bytes()
}

/// A 16-bit value from the two bytes read, MSB first.
pub const fn from_bytes(bytes: [u8; 2]) -> u16 {
    u16::from_be_bytes(bytes)
}

/// The 12-bit VCELL count from the raw register (bits 3:0 are don't-care).
pub const fn vcell_counts(raw: u16) -> u16 {
    raw >> 4
}

/// The cell voltage in µV for a raw VCELL value and a step of `step_uv` µV. At most 4095 × 2500 µV, which fits.
pub const fn vcell_microvolts(raw: u16, step_uv: u32) -> u32 {
    // 4095 * 2500 = 10_237_500: no overflow for either step, but say so to the linter by saturating.
    (vcell_counts(raw) as u32).saturating_mul(step_uv)
}

/// ATHD field for an alert threshold in percent (1..=32), or `None` outside that range.
pub const fn encode_alert_threshold(percent: u8) -> Option<u8> {
    if percent < ALERT_THRESHOLD_MIN || percent > ALERT_THRESHOLD_MAX {
        None
    } else {
        // 32 - 32 = 0 and 32 - 1 = 31: the subtraction cannot wrap and the result fits in 5 bits.
        Some(ALERT_THRESHOLD_MAX.wrapping_sub(percent) & CONFIG_ATHD)
    }
}

/// Alert threshold in percent (1..=32) from the CONFIG LSB (only bits 4:0 are looked at).
pub const fn decode_alert_threshold(config_lsb: u8) -> u8 {
    // ATHD <= 31: 32 - ATHD is in 1..=32.
    ALERT_THRESHOLD_MAX.wrapping_sub(config_lsb & CONFIG_ATHD)
}

/// The CONFIG word for the driver-owned fields, with ALRT = 0 (the only value software may write to it).
pub const fn encode_config(rcomp: u8, sleep: bool, athd: u8) -> u16 {
    let lsb = (if sleep { CONFIG_SLEEP } else { 0 }) | (athd & CONFIG_ATHD);
    u16::from_be_bytes([rcomp, lsb])
}

/// Particle's usable fraction of the cell at a charge (termination) voltage, in per mille:
/// `1 - (4.2 V - (max(4.2 V, v) - 0.1 V)) - 0.05`, computed in mV as `max(4200, v) - 3350`.
/// 850 ‰ at the Particle default of 4112 mV (and at anything up to 4200 mV).
pub const fn usable_fraction_permille(charge_voltage_mv: u16) -> u32 {
    let reference = if charge_voltage_mv > 4200 {
        charge_voltage_mv
    } else {
        4200
    };
    // reference >= 4200 > 3350: the subtraction cannot wrap.
    (reference as u32).wrapping_sub(3350)
}

/// The normalised state of charge, in 1/256 %: `soc / usable fraction`, clamped to 100 %.
pub fn normalize_soc(soc_256ths: u16, charge_voltage_mv: u16) -> u16 {
    let usable = usable_fraction_permille(charge_voltage_mv);
    let scaled = u32::from(soc_256ths)
        .saturating_mul(1000)
        .checked_div(usable)
        .unwrap_or(u32::MAX);
    u16::try_from(scaled.min(u32::from(SOC_FULL))).unwrap_or(SOC_FULL)
}

/// RCOMP for a temperature, Maxim's way: `RCOMP0 + (T - 20 °C) × TempCo`, with `TempCoUp` above 20 °C and
/// `TempCoDown` below. Temperature in 0.1 °C, coefficients in 1/1000 of an RCOMP step per °C; the result is
/// rounded to the nearest step and clamped to 0..=255.
pub fn compensated_rcomp(rcomp0: u8, temp_co_up_milli: i32, temp_co_down_milli: i32, decidegrees_c: i32) -> u8 {
    let delta = i64::from(decidegrees_c).saturating_sub(200);
    let coefficient = if delta > 0 {
        temp_co_up_milli
    } else {
        temp_co_down_milli
    };
    // delta (0.1 °C) × coefficient (1/1000 per °C) is in 1/10000 of a step.
    let ten_thousandths = delta.saturating_mul(i64::from(coefficient));
    let half = if ten_thousandths < 0 { -5000 } else { 5000 };
    let steps = ten_thousandths.saturating_add(half).checked_div(10_000).unwrap_or(0);
    let rcomp = i64::from(rcomp0).saturating_add(steps).clamp(0, 255);
    u8::try_from(rcomp).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_bits_are_split_between_driver_and_chip() {
        assert_eq!(CONFIG_DRIVER_BITS, 0x9F);
        assert_eq!(CONFIG_CHIP_BITS, 0x60);
        assert_eq!(CONFIG_DRIVER_BITS & CONFIG_CHIP_BITS, 0);
        assert_eq!(CONFIG_DRIVER_BITS | CONFIG_CHIP_BITS, 0xFF);
        assert_eq!(MODE_QUICK_START & !MODE_COMMAND_BITS, 0);
        assert_eq!((COMMAND_POR | COMMAND_POR_LEGACY) & !COMMAND_COMMAND_BITS, 0);
    }

    #[test]
    fn vcell_matches_the_sheet_vectors() {
        assert_eq!(vcell_counts(0xD000), 3328);
        assert_eq!(vcell_microvolts(0xD000, VCELL_STEP_UV_MAX17043), 4_160_000);
        assert_eq!(vcell_microvolts(0xD000, VCELL_STEP_UV_MAX17044), 8_320_000);
        assert_eq!(vcell_microvolts(0xB4E0, VCELL_STEP_UV_MAX17043), 3_617_500);
        assert_eq!(vcell_microvolts(0xC8A0, VCELL_STEP_UV_MAX17043), 4_012_500);
        assert_eq!(vcell_microvolts(0xA000, VCELL_STEP_UV_MAX17043), 3_200_000);
        assert_eq!(vcell_microvolts(0xFFF0, VCELL_STEP_UV_MAX17043), 5_118_750);
        assert_eq!(vcell_microvolts(0x0010, VCELL_STEP_UV_MAX17043), 1_250);
        // bits 3:0 are ignored
        assert_eq!(vcell_microvolts(0x001F, VCELL_STEP_UV_MAX17043), 1_250);
    }

    #[test]
    fn max17048_vcell_and_bits() {
        assert_eq!(vcell_microvolts_16(0xD000, VCELL_EIGHTHS_UV_MAX17048), 4_160_000);
        assert_eq!(vcell_microvolts_16(0xD000, VCELL_EIGHTHS_UV_MAX17049), 8_320_000);
        assert_eq!(vcell_microvolts_16(0x0001, VCELL_EIGHTHS_UV_MAX17048), 78);
        assert_eq!(vcell_microvolts_16(0x0008, VCELL_EIGHTHS_UV_MAX17048), 625);
        assert_eq!(vcell_microvolts_16(0xFFFF, VCELL_EIGHTHS_UV_MAX17049), 10_239_843);
        assert_eq!(MODE_EN_SLEEP, 0x2000);
        assert_eq!(MODE_HIB_STAT, 0x1000);
        assert_eq!(u16::from(STATUS_HD) << 8, 0x1000);
        assert_eq!(u16::from(STATUS_SC) << 8, 0x2000);
        assert_eq!(u16::from(STATUS_EN_VR) << 8, 0x4000);
        assert_eq!(STATUS_FLAGS & STATUS_EN_VR, 0);
        assert_eq!(CONFIG_ALSC, 0x40);
    }

    #[test]
    fn bytes_are_big_endian() {
        assert_eq!(to_bytes(MODE_QUICK_START), [0x40, 0x00]);
        assert_eq!(to_bytes(COMMAND_POR), [0x00, 0x54]);
        assert_eq!(to_bytes(COMMAND_POR_LEGACY), [0x54, 0x00]);
        assert_eq!(from_bytes([0x97, 0x1C]), CONFIG_RESET);
    }

    #[test]
    fn alert_threshold_is_stored_as_32_minus_percent() {
        assert_eq!(encode_alert_threshold(4), Some(0x1C));
        assert_eq!(encode_alert_threshold(10), Some(0x16));
        assert_eq!(encode_alert_threshold(20), Some(0x0C));
        assert_eq!(encode_alert_threshold(1), Some(0x1F));
        assert_eq!(encode_alert_threshold(32), Some(0x00));
        assert_eq!(encode_alert_threshold(0), None);
        assert_eq!(encode_alert_threshold(33), None);
        assert_eq!(encode_alert_threshold(255), None);
        assert_eq!(decode_alert_threshold(0x1C), 4);
        assert_eq!(decode_alert_threshold(0x3C), 4);
        assert_eq!(decode_alert_threshold(0x9C), 4);
        assert_eq!(decode_alert_threshold(0x16), 10);
        assert_eq!(decode_alert_threshold(0x00), 32);
        assert_eq!(decode_alert_threshold(0xFF), 1);
    }

    #[test]
    fn config_words_match_the_sheet_sequences() {
        assert_eq!(encode_config(0x97, false, 0x1C), 0x971C);
        assert_eq!(encode_config(0x97, false, 0x16), 0x9716);
        assert_eq!(encode_config(0x97, true, 0x1C), 0x979C);
        assert_eq!(encode_config(0x40, false, 0x1C), 0x401C);
        // ATHD is masked to 5 bits: nothing can leak into ALRT.
        assert_eq!(encode_config(0x97, false, 0xFF), 0x971F);
    }

    #[test]
    fn usable_fraction_follows_particle() {
        assert_eq!(usable_fraction_permille(4112), 850);
        assert_eq!(usable_fraction_permille(4200), 850);
        assert_eq!(usable_fraction_permille(0), 850);
        assert_eq!(usable_fraction_permille(4400), 1050);
        assert_eq!(usable_fraction_permille(u16::MAX), 62185);
    }

    #[test]
    fn normalized_soc() {
        // 85 % of a cell charged to 4.112 V is full
        assert_eq!(normalize_soc(85 * 256, 4112), SOC_FULL);
        assert_eq!(normalize_soc(0x6400, 4112), SOC_FULL);
        // 42.5 % / 0.85 = 50 %
        assert_eq!(normalize_soc(0x2A80, 4112), 50 * 256);
        assert_eq!(normalize_soc(0, 4112), 0);
        assert_eq!(normalize_soc(u16::MAX, 4112), SOC_FULL);
        // at 4.4 V the usable fraction is 1.05: 52.5 % / 1.05 = 50 %
        assert_eq!(normalize_soc(0x3480, 4400), 50 * 256);
    }

    #[test]
    fn rcomp_compensation() {
        // TempCoUp -0.5, TempCoDown -5.0 (Maxim's example coefficients)
        assert_eq!(compensated_rcomp(0x97, -500, -5000, 200), 0x97);
        assert_eq!(compensated_rcomp(0x97, -500, -5000, 400), 0x97 - 10);
        assert_eq!(compensated_rcomp(0x97, -500, -5000, 0), 0x97 + 100);
        assert_eq!(compensated_rcomp(0x97, -500, -5000, 210), 0x97 - 1); // -0.5 rounds away from zero
        assert_eq!(compensated_rcomp(0x97, -500, -5000, -400), 255);
        assert_eq!(compensated_rcomp(0x10, -500, -5000, 1000), 0);
        assert_eq!(compensated_rcomp(0x97, i32::MIN, i32::MAX, i32::MAX), 0);
        assert_eq!(compensated_rcomp(0x97, i32::MAX, i32::MIN, i32::MIN), 255);
    }
}
