//! The datasheet in code: register addresses, reset values, field masks, and the pure encoding and decoding of
//! the stepped fields. Nothing here touches the bus.
//!
//! Public API, for a raw access the driver does not offer (through [`Bq24195::bus_mut`](crate::Bq24195::bus_mut),
//! then [`Bq24195::invalidate_cache`](crate::Bq24195::invalidate_cache)): its constants, types and functions are
//! covered by semantic versioning like the rest of the crate. A constant whose value is wrong for the chip is
//! fixed in a patch release.

/// The chip's fixed 7-bit I2C address (no address pins).
pub const ADDRESS: u8 = 0x6B;

/// REG00 Input Source Control: EN_HIZ, VINDPM, IINLIM.
pub const INPUT_SOURCE: u8 = 0x00;
/// REG01 Power-On Configuration: REG_RESET, WD_RESET, CHG_CONFIG, SYS_MIN.
pub const POWER_ON_CONFIG: u8 = 0x01;
/// REG02 Charge Current Control: ICHG, FORCE_20PCT.
pub const CHARGE_CURRENT: u8 = 0x02;
/// REG03 Pre-Charge / Termination Current Control: IPRECHG, ITERM.
pub const PRECHARGE_TERMINATION: u8 = 0x03;
/// REG04 Charge Voltage Control: VREG, BATLOWV, VRECHG.
pub const CHARGE_VOLTAGE: u8 = 0x04;
/// REG05 Charge Termination / Timer Control: EN_TERM, TERM_STAT, WATCHDOG, EN_TIMER, CHG_TIMER.
pub const TERMINATION_TIMER: u8 = 0x05;
/// REG06 Thermal Regulation Control: TREG.
pub const THERMAL_REGULATION: u8 = 0x06;
/// REG07 Misc Operation Control: DPDM_EN, TMR2X_EN, BATFET_DISABLE, INT_MASK.
pub const MISC_OPERATION: u8 = 0x07;
/// REG08 System Status (read-only).
pub const SYSTEM_STATUS: u8 = 0x08;
/// REG09 Fault (read-only, latched; never part of a multi-byte transfer).
pub const FAULT: u8 = 0x09;
/// REG0A Vendor / Part / Revision Status (read-only).
pub const PART_INFO: u8 = 0x0A;

/// Number of control registers (REG00–REG07), written in one multi-byte write by `apply_config`.
pub const CONTROL_COUNT: usize = 8;

/// Reset values of REG00–REG07, in register order.
pub const RESET: [u8; CONTROL_COUNT] = [0x30, 0x1B, 0x60, 0x11, 0xB2, 0x9A, 0x03, 0x4B];

/// The control registers the driver caches, one bit per register (bit `n`: REGn): REG01–REG07. REG00 is never
/// cached (the chip rewrites its input current limit after D+/D− detection).
pub const CACHED_REGISTERS: u8 = 0b1111_1110;

/// REG0A as read from a bq24195 or bq24195L (PN 100, TS_PROFILE 0, DEV_REG 11). A bq24190 reads the same.
pub const PART_INFO_BQ24195: u8 = 0x23;

/// REG0A PN (bits 5:3) of the bq24190, as of the bq24195/L.
pub const PN_BQ24190: u8 = 0b100;
/// REG0A PN of the bq24192 (and of the bq24193 and bq24196).
pub const PN_BQ24192: u8 = 0b101;
/// REG0A PN of the bq24192I.
pub const PN_BQ24192I: u8 = 0b011;
/// REG0A PN of the bq24196 (the bq24192's: REG0A cannot tell them apart).
pub const PN_BQ24196: u8 = 0b101;

/// Reset values of REG00–REG07 on the bq24192I: REG04 0x9A (4.112 V, datasheet) and REG02 0x20 (1024 mA,
/// derived from the datasheet's 1.012 A default charge current, unconfirmed); the rest as the bq24195's.
pub const RESET_BQ24192I: [u8; CONTROL_COUNT] = [0x30, 0x1B, 0x20, 0x11, 0x9A, 0x9A, 0x03, 0x4B];

/// The registers of the bq24190, bq24192 and bq24192I whose reset value the datasheet pages at hand confirm
/// (bit `n`: REGn): REG04 and REG05. The others are taken from the bq24195's (and its unconfirmed bits, such as
/// BOOST_LIM's reset) and never assumed by the driver: it reads them when first needed.
pub const RESET_CONFIRMED_BQ24190: u8 = (1 << CHARGE_VOLTAGE) | (1 << TERMINATION_TIMER);
/// The registers of the bq24196 whose reset value the pages at hand confirm: REG02 (2048 mA).
pub const RESET_CONFIRMED_BQ24196: u8 = 1 << CHARGE_CURRENT;

// ---- REG00 ----------------------------------------------------------------------------------------------------
/// REG00 bit 7: high-impedance input (buck off, system on the battery).
pub const EN_HIZ: u8 = 1 << 7;
/// REG00 bits 6:3: input voltage limit (VINDPM).
pub const VINDPM_MASK: u8 = 0b0111_1000;
/// REG00 bits 2:0: input current limit (IINLIM).
pub const IINLIM_MASK: u8 = 0b0000_0111;

// ---- REG01 ----------------------------------------------------------------------------------------------------
/// REG01 bit 7: register reset (self-clearing).
pub const REG_RESET: u8 = 1 << 7;
/// REG01 bit 6: I2C watchdog timer reset (self-clearing).
pub const WD_RESET: u8 = 1 << 6;
/// REG01 bits 5:4: charger configuration (00 off, 01 charge, 1x OTG boost).
pub const CHG_CONFIG_MASK: u8 = 0b0011_0000;
/// REG01 bits 3:1: minimum system voltage (SYS_MIN).
pub const SYS_MIN_MASK: u8 = 0b0000_1110;
/// REG01 bit 0: reserved on bq24195/L, reads 1 and is written back as 1 (BOOST_LIM on bq24190/192).
pub const POWER_ON_RESERVED: u8 = 1 << 0;
/// REG01 bit 0 on the bq24190, bq24192, bq24192I and bq24196: BOOST_LIM, the OTG boost current limit
/// (0 = 500 mA, 1 = 1.3 A).
pub const BOOST_LIM: u8 = 1 << 0;

// ---- REG02 ----------------------------------------------------------------------------------------------------
/// REG02 bits 7:2: fast-charge current (ICHG).
pub const ICHG_MASK: u8 = 0b1111_1100;
/// REG02 bit 1: reserved, written 0.
pub const CHARGE_CURRENT_RESERVED: u8 = 1 << 1;
/// REG02 bit 0: FORCE_20PCT (fast charge at ICHG / 5, pre-charge at IPRECHG / 2).
pub const FORCE_20PCT: u8 = 1 << 0;

// ---- REG03 ----------------------------------------------------------------------------------------------------
/// REG03 bits 7:4: pre-charge current (IPRECHG).
pub const IPRECHG_MASK: u8 = 0b1111_0000;
/// REG03 bits 3:0: termination current (ITERM).
pub const ITERM_MASK: u8 = 0b0000_1111;

// ---- REG04 ----------------------------------------------------------------------------------------------------
/// REG04 bits 7:2: charge voltage (VREG).
pub const VREG_MASK: u8 = 0b1111_1100;
/// REG04 bit 1: pre-charge to fast-charge threshold (0 = 2.8 V, 1 = 3.0 V).
pub const BATLOWV: u8 = 1 << 1;
/// REG04 bit 0: recharge threshold below VREG (0 = 100 mV, 1 = 300 mV).
pub const VRECHG: u8 = 1 << 0;

// ---- REG05 ----------------------------------------------------------------------------------------------------
/// REG05 bit 7: charge termination enabled.
pub const EN_TERM: u8 = 1 << 7;
/// REG05 bit 6: STAT goes high early (charge current below 800 mA) instead of at ITERM.
pub const TERM_STAT: u8 = 1 << 6;
/// REG05 bits 5:4: I2C watchdog (00 off, 01 40 s, 10 80 s, 11 160 s).
pub const WATCHDOG_MASK: u8 = 0b0011_0000;
/// REG05 bit 3: charge safety timer enabled.
pub const EN_TIMER: u8 = 1 << 3;
/// REG05 bits 2:1: fast-charge safety timer (5 / 8 / 12 / 20 h).
pub const CHG_TIMER_MASK: u8 = 0b0000_0110;
/// REG05 bit 0: reserved, written 0.
pub const TERMINATION_TIMER_RESERVED: u8 = 1 << 0;

// ---- REG06 ----------------------------------------------------------------------------------------------------
/// REG06 bits 1:0: thermal regulation threshold (60 / 80 / 100 / 120 °C). Bits 7:2 are reserved on bq24195/L.
pub const TREG_MASK: u8 = 0b0000_0011;
/// REG06 bits 7:5 on the bq24190, bq24192 and bq24192I: BAT_COMP, the IR compensation resistance.
pub const BAT_COMP_MASK: u8 = 0b1110_0000;
/// REG06 bits 4:2 on the bq24190, bq24192 and bq24192I: VCLAMP, the IR compensation voltage clamp.
pub const VCLAMP_MASK: u8 = 0b0001_1100;

// ---- REG07 ----------------------------------------------------------------------------------------------------
/// REG07 bit 7: force D+/D− input detection; reads 1 while detection runs.
pub const DPDM_EN: u8 = 1 << 7;
/// REG07 bit 6: safety timer at half rate during DPM or thermal regulation.
pub const TMR2X_EN: u8 = 1 << 6;
/// REG07 bit 5: BATFET off (ship mode).
pub const BATFET_DISABLE: u8 = 1 << 5;
/// REG07 bit 4 on the bq24190 family: JEITA_VSET, which only the JEITA bq24193 uses; reserved (written 0) on
/// every part this crate drives.
pub const JEITA_VSET: u8 = 1 << 4;
/// REG07 bits 4:2: reserved, must be written 0, 1, 0.
pub const MISC_RESERVED_MASK: u8 = 0b0001_1100;
/// REG07 bits 4:2 as they must be written.
pub const MISC_RESERVED_VALUE: u8 = 0b0000_1000;
/// REG07 bit 1: INT pulse on a charge fault.
pub const INT_MASK_CHARGE: u8 = 1 << 1;
/// REG07 bit 0: INT pulse on a battery fault.
pub const INT_MASK_BATTERY: u8 = 1 << 0;

// ---- REG08 ----------------------------------------------------------------------------------------------------
/// REG08 bits 7:6: VBUS status.
pub const VBUS_STAT_MASK: u8 = 0b1100_0000;
/// REG08 bits 5:4: charge status.
pub const CHRG_STAT_MASK: u8 = 0b0011_0000;
/// REG08 bit 3: in VINDPM or IINDPM.
pub const DPM_STAT: u8 = 1 << 3;
/// REG08 bit 2: power good.
pub const PG_STAT: u8 = 1 << 2;
/// REG08 bit 1: in thermal regulation.
pub const THERM_STAT: u8 = 1 << 1;
/// REG08 bit 0: in VSYSMIN regulation (battery below SYS_MIN).
pub const VSYS_STAT: u8 = 1 << 0;

// ---- REG09 ----------------------------------------------------------------------------------------------------
/// REG09 bit 7: the I2C watchdog expired; the chip is in default mode.
pub const WATCHDOG_FAULT: u8 = 1 << 7;
/// REG09 bit 6: boost (OTG) fault. Named BOOST_FAULT in the bq24190/196 datasheets; "reserved" in some bq24195
/// sources.
pub const BOOST_FAULT: u8 = 1 << 6;
/// REG09 bits 5:4: charge fault.
pub const CHRG_FAULT_MASK: u8 = 0b0011_0000;
/// REG09 bit 3: battery over-voltage.
pub const BAT_FAULT: u8 = 1 << 3;
/// REG09 bits 2:0: thermistor (NTC) fault; not latched.
pub const NTC_FAULT_MASK: u8 = 0b0000_0111;

// ---- REG0A ----------------------------------------------------------------------------------------------------
/// REG0A bits 5:3: part number.
pub const PN_MASK: u8 = 0b0011_1000;
/// REG0A bit 2: thermistor profile.
pub const TS_PROFILE: u8 = 1 << 2;
/// REG0A bits 1:0: revision.
pub const DEV_REG_MASK: u8 = 0b0000_0011;

// ---- self-clearing and command bits, reserved bits: one mask per control register ---------------------------
// A read-modify-write clears the self-clearing / command bits of the value it read (from the chip or the cache)
// and puts the reserved bits at the value the datasheet wants written; `settings` does both.

/// REG00: no self-clearing bit (IINLIM is rewritten by D+/D− detection, which is why REG00 is never cached).
pub const INPUT_SOURCE_SELF_CLEARING: u8 = 0;
/// REG01: REG_RESET (reads 1 until the register reset completes) and WD_RESET (reads 1 until the watchdog timer
/// restarted). Written back as read, either repeats its command.
pub const POWER_ON_CONFIG_SELF_CLEARING: u8 = REG_RESET | WD_RESET;
/// REG02: none.
pub const CHARGE_CURRENT_SELF_CLEARING: u8 = 0;
/// REG03: none.
pub const PRECHARGE_TERMINATION_SELF_CLEARING: u8 = 0;
/// REG04: none.
pub const CHARGE_VOLTAGE_SELF_CLEARING: u8 = 0;
/// REG05: none.
pub const TERMINATION_TIMER_SELF_CLEARING: u8 = 0;
/// REG06: none.
pub const THERMAL_REGULATION_SELF_CLEARING: u8 = 0;
/// REG07: DPDM_EN (reads 1 while D+/D− detection runs; written back as read, it restarts detection).
pub const MISC_SELF_CLEARING: u8 = DPDM_EN;

/// The self-clearing / command bits of REG00–REG07, in register order.
pub const SELF_CLEARING: [u8; CONTROL_COUNT] = [
    INPUT_SOURCE_SELF_CLEARING,
    POWER_ON_CONFIG_SELF_CLEARING,
    CHARGE_CURRENT_SELF_CLEARING,
    PRECHARGE_TERMINATION_SELF_CLEARING,
    CHARGE_VOLTAGE_SELF_CLEARING,
    TERMINATION_TIMER_SELF_CLEARING,
    THERMAL_REGULATION_SELF_CLEARING,
    MISC_SELF_CLEARING,
];

/// The reserved bits of REG00–REG07, in register order (REG06 bits 7:2 are reserved on the bq24195/L).
pub const RESERVED_MASK: [u8; CONTROL_COUNT] = [
    0,
    POWER_ON_RESERVED,
    CHARGE_CURRENT_RESERVED,
    0,
    0,
    TERMINATION_TIMER_RESERVED,
    !TREG_MASK,
    MISC_RESERVED_MASK,
];

/// The values the reserved bits of REG00–REG07 are written with.
pub const RESERVED_VALUE: [u8; CONTROL_COUNT] = [0, POWER_ON_RESERVED, 0, 0, 0, 0, 0, MISC_RESERVED_VALUE];

/// The reserved bits of REG00–REG07 on the bq24190, bq24192 and bq24192I: REG01 bit 0 is BOOST_LIM and REG06 bits 7:2
/// IR compensation (settings, not reserved); REG05 bit 0 (JEITA_ISET in two drivers, reserved in the datasheet) and
/// REG07 bit 4 (JEITA_VSET, bq24193 only) are kept reserved and written 0.
pub const RESERVED_MASK_BQ24190: [u8; CONTROL_COUNT] = [
    0,
    0,
    CHARGE_CURRENT_RESERVED,
    0,
    0,
    TERMINATION_TIMER_RESERVED,
    0,
    MISC_RESERVED_MASK,
];

/// The reserved bits of REG00–REG07 on the bq24196: REG01 bit 0 is BOOST_LIM; REG06 bits 7:2 are reserved (no IR
/// compensation).
pub const RESERVED_MASK_BQ24196: [u8; CONTROL_COUNT] = [
    0,
    0,
    CHARGE_CURRENT_RESERVED,
    0,
    0,
    TERMINATION_TIMER_RESERVED,
    !TREG_MASK,
    MISC_RESERVED_MASK,
];

/// The values the reserved bits are written with on the bq24190, bq24192, bq24192I and bq24196.
pub const RESERVED_VALUE_SIBLINGS: [u8; CONTROL_COUNT] = [0, 0, 0, 0, 0, 0, 0, MISC_RESERVED_VALUE];

/// A control register's value as a read-modify-write starts from on the bq24195/L: self-clearing and command
/// bits cleared, reserved bits as the datasheet wants them written (so a chip, or a floating bus, answering
/// garbage cannot make a setting write a command or a forbidden reserved value). Other registers come back
/// unchanged. [`settings_of`] does the same for another part's reserved bits.
pub fn settings(register: u8, value: u8) -> u8 {
    settings_of(register, value, &RESERVED_MASK, &RESERVED_VALUE)
}

/// [`settings`] with a part's own reserved bits (`RESERVED_MASK_BQ24190` and `RESERVED_VALUE_SIBLINGS`, for
/// example).
#[inline]
pub fn settings_of(
    register: u8,
    value: u8,
    reserved_mask: &[u8; CONTROL_COUNT],
    reserved_values: &[u8; CONTROL_COUNT],
) -> u8 {
    let index = usize::from(register);
    let self_clearing = SELF_CLEARING.get(index).copied().unwrap_or(0);
    let reserved = reserved_mask.get(index).copied().unwrap_or(0);
    let reserved_value = reserved_values.get(index).copied().unwrap_or(0);
    (value & !self_clearing & !reserved) | (reserved_value & reserved)
}

// ---- REG09 latch --------------------------------------------------------------------------------------------

/// Two latched REG09 readings as one: the watchdog, boost and battery flags of either; the charge fault of the
/// older one if it had one (the chip latches one code at a time), else the newer one's; the NTC field (never
/// latched) of the newer one.
pub const fn merge_faults(older: u8, newer: u8) -> u8 {
    let flags = (older | newer) & (WATCHDOG_FAULT | BOOST_FAULT | BAT_FAULT);
    let charge = if older & CHRG_FAULT_MASK != 0 { older } else { newer } & CHRG_FAULT_MASK;
    flags | charge | (newer & NTC_FAULT_MASK)
}

// ---- timing ---------------------------------------------------------------------------------------------------
/// The pause between two polls of REG_RESET in `reset_registers`, in µs.
pub const RESET_POLL_INTERVAL_US: u32 = 100;
/// The default deadline of `reset_registers`, in µs (bus time included): 10 ms, 16 polls.
pub const RESET_TIMEOUT_US: u32 = 10_000;
/// The pause between two polls of DPDM_EN in `wait_for_input_detection`, in ms (as Device OS polls).
pub const DETECTION_POLL_INTERVAL_MS: u32 = 50;
/// The default deadline of `wait_for_input_detection`, in ms (bus time included): 1 s, as Device OS waits; 20 polls.
pub const DETECTION_TIMEOUT_MS: u32 = 1_000;
/// The bus time each poll is charged against a deadline, in µs: a single-register write-read (1 + 1 bytes, about
/// 40 bit times with START, repeated START, STOP and the ACKs) takes 0.4 ms at 100 kHz; 0.5 ms is charged.
pub const POLL_BUS_TIME_US: u32 = 500;

/// A linear field: `value = base + step × code`, `code` in `0..=max_code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Steps {
    /// The value of code 0.
    pub base: u16,
    /// The value of one code step.
    pub step: u16,
    /// The highest code the driver writes.
    pub max_code: u8,
}

/// VINDPM: 3880 mV + 80 mV × code, codes 0..=15 (3880–5080 mV).
pub const VINDPM: Steps = Steps {
    base: 3880,
    step: 80,
    max_code: 15,
};
/// SYS_MIN: 3000 mV + 100 mV × code, codes 0..=7 (3000–3700 mV).
pub const SYS_MIN: Steps = Steps {
    base: 3000,
    step: 100,
    max_code: 7,
};
/// ICHG: 512 mA + 64 mA × code, codes 0..=63 (512–4544 mA) on the bq24195; 0..=31 (512–2496 mA) on the bq24195L.
pub const ICHG: Steps = Steps {
    base: 512,
    step: 64,
    max_code: 63,
};
/// ICHG on the bq24195L: codes 0..=31.
pub const ICHG_L: Steps = Steps {
    base: 512,
    step: 64,
    max_code: 31,
};
/// ICHG on the bq24196, a 2.5 A charger: codes 0..=31 (512–2496 mA). Its datasheet's REG02 page was not at hand;
/// one figure of it reaches 4020 mA and the Linux driver programs it up to 4544 mA. The cap keeps the part
/// within its rating until the page settles it.
pub const ICHG_BQ24196: Steps = ICHG_L;
/// BAT_COMP (bq24190/192/192I): 0 mΩ + 10 mΩ × code, codes 0..=7 (0–70 mΩ).
pub const BAT_COMP: Steps = Steps {
    base: 0,
    step: 10,
    max_code: 7,
};
/// VCLAMP (bq24190/192/192I): 0 mV + 16 mV × code, codes 0..=7 (0–112 mV).
pub const VCLAMP: Steps = Steps {
    base: 0,
    step: 16,
    max_code: 7,
};
/// IPRECHG and ITERM: 128 mA + 128 mA × code, codes 0..=15 (128–2048 mA).
pub const PRECHARGE_TERMINATION_STEPS: Steps = Steps {
    base: 128,
    step: 128,
    max_code: 15,
};
/// VREG: 3504 mV + 16 mV × code; documented up to code 56 (4400 mV). Codes 57–63 are undocumented and never
/// written.
pub const VREG: Steps = Steps {
    base: 3504,
    step: 16,
    max_code: 56,
};

impl Steps {
    /// The highest value the driver writes.
    pub const fn max(self) -> u16 {
        // at most 3504 + 16 × 56 or 512 + 64 × 63: no overflow for the constants above
        self.base.saturating_add(self.step.saturating_mul(self.max_code as u16))
    }

    /// The code for `value`, rounded down to the step below; `None` below the base or above the maximum
    /// (a value above the top step is out of range, not rounded down to it).
    ///
    /// `const` and `#[inline]`: with a constant value (a preset [`Config`](crate::Config), a literal current) it
    /// folds to the code at compile time; otherwise it is a compare, a subtraction and a division.
    #[inline]
    pub const fn encode(self, value: u16) -> Option<u8> {
        if value > self.max() {
            return None;
        }
        let Some(above) = value.checked_sub(self.base) else {
            return None;
        };
        let Some(code) = above.checked_div(self.step) else {
            return None;
        };
        if code > self.max_code as u16 {
            return None;
        }
        // at most max_code, a u8
        let [low, _] = code.to_le_bytes();
        Some(low)
    }

    /// The value of a code (any 8-bit code: codes beyond `max_code` decode by the same formula).
    pub const fn decode(self, code: u8) -> u16 {
        self.base.saturating_add(self.step.saturating_mul(code as u16))
    }
}

/// The field of `register` under `mask`, shifted down to bit 0.
pub const fn field(register: u8, mask: u8) -> u8 {
    (register & mask) >> mask.trailing_zeros()
}

/// `register` with the field under `mask` replaced by `value` (shifted up from bit 0, excess bits dropped).
pub const fn with_field(register: u8, mask: u8, value: u8) -> u8 {
    (register & !mask) | ((value << mask.trailing_zeros()) & mask)
}

/// `register` with `bit` set or cleared.
pub const fn with_bit(register: u8, bit: u8, on: bool) -> u8 {
    if on {
        register | bit
    } else {
        register & !bit
    }
}

/// REG01 with the self-clearing command bits removed, as the driver caches it.
pub const fn power_on_config_settings(value: u8) -> u8 {
    value & !(REG_RESET | WD_RESET)
}

/// REG07 with the self-clearing DPDM_EN removed, as the driver caches it.
pub const fn misc_settings(value: u8) -> u8 {
    value & !DPDM_EN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepped_fields_floor_and_reject() {
        assert_eq!(ICHG.encode(1408), Some(14));
        assert_eq!(ICHG.encode(1000), Some(7));
        assert_eq!(ICHG.decode(7), 960);
        assert_eq!(ICHG.encode(4544), Some(63));
        assert_eq!(ICHG.encode(4545), None);
        assert_eq!(ICHG.encode(4543), Some(62));
        assert_eq!(VREG.encode(4401), None);
        assert_eq!(ICHG.encode(4608), None);
        assert_eq!(ICHG.encode(511), None);
        assert_eq!(ICHG_L.encode(2496), Some(31));
        assert_eq!(ICHG_L.encode(2560), None);
        assert_eq!(VREG.encode(4200), Some(43));
        assert_eq!(VREG.decode(43), 4192);
        assert_eq!(VREG.encode(4400), Some(56));
        assert_eq!(VREG.encode(4416), None);
        assert_eq!(VREG.encode(4112), Some(38));
        assert_eq!(VINDPM.encode(4760), Some(11));
        assert_eq!(VINDPM.encode(4300), Some(5));
        assert_eq!(VINDPM.decode(5), 4280);
        assert_eq!(VINDPM.encode(3879), None);
        assert_eq!(VINDPM.encode(5080), Some(15));
        assert_eq!(VINDPM.encode(5160), None);
        assert_eq!(SYS_MIN.encode(3700), Some(7));
        assert_eq!(SYS_MIN.encode(2999), None);
        assert_eq!(PRECHARGE_TERMINATION_STEPS.encode(256), Some(1));
        assert_eq!(PRECHARGE_TERMINATION_STEPS.encode(2048), Some(15));
        assert_eq!(PRECHARGE_TERMINATION_STEPS.encode(2176), None);
        assert_eq!(ICHG.encode(u16::MAX), None);
        assert_eq!(VREG.decode(63), 4512);
        assert_eq!(ICHG.max(), 4544);
        assert_eq!(VREG.max(), 4400);
    }

    #[test]
    fn encode_vectors_of_the_sheet() {
        // IINLIM 500 mA / 1.5 A from the reset value
        assert_eq!(with_field(RESET[0], IINLIM_MASK, 0b010), 0x32);
        assert_eq!(with_field(RESET[0], IINLIM_MASK, 0b101), 0x35);
        // IINLIM 3 A, VINDPM 4.76 V
        assert_eq!(with_field(with_field(RESET[0], IINLIM_MASK, 7), VINDPM_MASK, 11), 0x5F);
        assert_eq!(with_bit(RESET[0], EN_HIZ, true), 0xB0);
        // charging off, OTG, kick, reset
        assert_eq!(with_field(RESET[1], CHG_CONFIG_MASK, 0), 0x0B);
        assert_eq!(with_field(RESET[1], CHG_CONFIG_MASK, 0b10), 0x2B);
        assert_eq!(RESET[1] | WD_RESET, 0x5B);
        assert_eq!(RESET[1] | REG_RESET, 0x9B);
        assert_eq!(with_field(RESET[1], SYS_MIN_MASK, 0), 0x11);
        assert_eq!(with_field(RESET[1], SYS_MIN_MASK, 7), 0x1F);
        assert_eq!(with_field(RESET[2], ICHG_MASK, 14), 0x38);
        assert_eq!(with_field(0, ICHG_MASK, 8), 0x20);
        assert_eq!(with_field(0, ICHG_MASK, 31), 0x7C);
        assert_eq!(with_field(0, ICHG_MASK, 63), 0xFC);
        assert_eq!(with_field(RESET[2], ICHG_MASK, 7), 0x1C);
        assert_eq!(RESET[2] | FORCE_20PCT, 0x61);
        assert_eq!(with_field(with_field(RESET[3], IPRECHG_MASK, 0), ITERM_MASK, 0), 0x00);
        assert_eq!(with_field(RESET[4], VREG_MASK, 38), 0x9A);
        assert_eq!(with_field(RESET[4], VREG_MASK, 56), 0xE2);
        assert_eq!(with_field(RESET[4], VREG_MASK, 43), 0xAE);
        assert_eq!(with_field(RESET[5], WATCHDOG_MASK, 0), 0x8A);
        assert_eq!(with_field(RESET[5], CHG_TIMER_MASK, 3), 0x9E);
        assert_eq!(with_field(RESET[6], TREG_MASK, 1), 0x01);
        assert_eq!(with_bit(RESET[7], BATFET_DISABLE, true), 0x6B);
        assert_eq!(RESET[7] | DPDM_EN, 0xCB);
    }

    #[test]
    fn fields_decode() {
        assert_eq!(field(0x30, VINDPM_MASK), 6);
        assert_eq!(VINDPM.decode(field(0x30, VINDPM_MASK)), 4360);
        assert_eq!(field(0x1B, SYS_MIN_MASK), 5);
        assert_eq!(ICHG.decode(field(0x60, ICHG_MASK)), 2048);
        assert_eq!(VREG.decode(field(0xB2, VREG_MASK)), 4208);
        assert_eq!(field(0x23, PN_MASK), 0b100);
        assert_eq!(field(0x23, DEV_REG_MASK), 0b11);
        assert_eq!(power_on_config_settings(0xDB), 0x1B);
        assert_eq!(misc_settings(0xCB), 0x4B);
    }

    #[test]
    fn settings_clear_commands_and_fix_reserved_bits() {
        assert_eq!(settings(POWER_ON_CONFIG, 0xDB), 0x1B);
        assert_eq!(settings(POWER_ON_CONFIG, 0x9B), 0x1B);
        assert_eq!(settings(POWER_ON_CONFIG, 0x5A), 0x1B);
        assert_eq!(settings(POWER_ON_CONFIG, 0xFF), 0x3F);
        assert_eq!(settings(MISC_OPERATION, 0xCB), 0x4B);
        assert_eq!(settings(MISC_OPERATION, 0xFF), 0x6B);
        assert_eq!(settings(MISC_OPERATION, 0x00), 0x08);
        assert_eq!(settings(CHARGE_CURRENT, 0xFF), 0xFD);
        assert_eq!(settings(TERMINATION_TIMER, 0xFF), 0xFE);
        assert_eq!(settings(THERMAL_REGULATION, 0xFF), 0x03);
        assert_eq!(settings(INPUT_SOURCE, 0xFF), 0xFF);
        assert_eq!(settings(PRECHARGE_TERMINATION, 0xFF), 0xFF);
        assert_eq!(settings(CHARGE_VOLTAGE, 0xFF), 0xFF);
        assert_eq!(settings(SYSTEM_STATUS, 0xFF), 0xFF);
        for (register, value) in (0u8..).zip(RESET) {
            assert_eq!(settings(register, value), value, "reset values are settings");
        }
    }

    #[test]
    fn fault_readings_merge() {
        // flags of both, the older charge fault, the newer NTC state
        assert_eq!(merge_faults(0x80, 0x08), 0x88);
        assert_eq!(merge_faults(0x40, 0x00), 0x40);
        assert_eq!(merge_faults(0x20, 0x10), 0x20);
        assert_eq!(merge_faults(0x00, 0x30), 0x30);
        assert_eq!(merge_faults(0x05, 0x06), 0x06);
        assert_eq!(merge_faults(0x05, 0x00), 0x00);
        assert_eq!(merge_faults(0xFF, 0x00), 0xF8);
    }
}
