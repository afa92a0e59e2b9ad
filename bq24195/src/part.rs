//! The parts of the bq2419x family, as types: the driver's second type parameter.
//!
//! | Marker | Part | REG0A PN | Fast charge | OTG boost limit (REG01 bit 0) | IR compensation (REG06 bits 7:2) | Thermistors | Input type from |
//! |---|---|---|---|---|---|---|---|
//! | [`Bq24195OrL`] (default) | bq24195 / bq24195L ([`Variant`]) | 100 | 512–4544 / 512–2496 mA | reserved | reserved | one | D+/D− |
//! | [`Bq24190`] | bq24190 | 100 | 512–4544 mA | 500 mA / 1.3 A | 0–70 mΩ, 0–112 mV | TS1 + TS2 | D+/D− |
//! | [`Bq24192`] | bq24192 | 101 | 512–4544 mA | 500 mA / 1.3 A | 0–70 mΩ, 0–112 mV | TS1 + TS2 | PSEL + OTG pins |
//! | [`Bq24192I`] | bq24192I | 011 | 512–4544 mA | 500 mA / 1.3 A | 0–70 mΩ, 0–112 mV | TS1 + TS2 | PSEL + OTG pins |
//! | [`Bq24196`] | bq24196 | 101 | 512–2496 mA | 500 mA / 1.3 A | reserved | one | PSEL + OTG pins |
//!
//! What a part lacks does not exist for it: the boost current limit is a method of `Bq24195<I2C, P>` only for
//! `P: `[`HasBoostLimit`], IR compensation only for `P: `[`HasIrCompensation`]; ranges that differ are checked
//! per part (the fast-charge current), and the thermistor field of REG09 is decoded per part.
//!
//! REG0A cannot tell every part apart: a bq24190 reads what a bq24195 reads (PN 100), and a bq24196 what a
//! bq24192 reads (PN 101). The part is yours to name; [`check_device`](crate::Bq24195::check_device) accepts
//! the PN of the part named and answers [`Error::OtherPart`](crate::Error::OtherPart) when REG0A names another
//! part of the family.
//!
//! ```
//! use bq24195::sim::Bq24195Sim;
//! use bq24195::{part, Bq24195, BoostCurrentLimit};
//!
//! let mut sim = Bq24195Sim::bq24190();
//! let mut charger = Bq24195::for_part(&mut sim, part::Bq24190);
//! charger.check_device()?;
//! charger.set_boost_current_limit(BoostCurrentLimit::Ma500)?;
//! assert_eq!(charger.boost_current_limit()?, BoostCurrentLimit::Ma500);
//! # Ok::<(), bq24195::Error<bq24195::embedded_hal::i2c::ErrorKind>>(())
//! ```
//!
//! A bq24195 has no boost current limit bit, so its driver has no `set_boost_current_limit`:
//!
//! ```compile_fail,E0599
//! use bq24195::embedded_hal::i2c::I2c;
//! fn boost<I: I2c>(i2c: I) {
//!     let mut charger = bq24195::Bq24195::new(i2c, bq24195::Variant::Bq24195);
//!     let _ = charger.set_boost_current_limit(bq24195::BoostCurrentLimit::Ma500);
//! }
//! ```
//!
//! and a bq24196 has no IR compensation:
//!
//! ```compile_fail,E0599
//! use bq24195::embedded_hal::i2c::I2c;
//! fn compensate<I: I2c>(i2c: I) {
//!     let mut charger = bq24195::Bq24195::for_part(i2c, bq24195::part::Bq24196);
//!     let _ = charger.set_ir_compensation(bq24195::IrCompensation::NONE);
//! }
//! ```

use crate::register as reg;
use crate::types::{Faults, InputDetection, Thermistors, Variant};

pub(crate) use sealed::{Identity, Profile};

pub(crate) mod sealed {
    use crate::register as reg;
    use crate::types::{Faults, Variant};

    /// What REG0A says about the part named.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Identity {
        /// The part named (or one REG0A cannot tell from it).
        Match,
        /// Another part of the bq2419x family.
        OtherPart,
        /// Not a bq2419x at all.
        Unknown,
    }

    /// The facts of a part that shape a [`Config`](crate::Config)'s encoding.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Profile {
        /// The fast-charge current field's range.
        pub ichg: reg::Steps,
        /// REG01 bit 0 is BOOST_LIM (else reserved, written 1).
        pub boost_limit: bool,
        /// REG06 bits 7:2 is BAT_COMP / VCLAMP (else reserved, written 0).
        pub ir_compensation: bool,
    }

    /// The facts the driver's shared code branches on (constants: each part's code keeps only its branch).
    pub trait Sealed {
        /// REG00–REG07 after power-on or a register reset, as the model and the cache take them.
        const RESET: [u8; reg::CONTROL_COUNT];
        /// The registers (bit `n`: REGn) whose reset value the sources confirm: only these are cached by
        /// `assume_power_on_state` and after `reset_registers`; the others are read when first needed.
        const RESET_CONFIRMED: u8;
        /// The reserved bits of REG00–REG07 on this part.
        const RESERVED_MASK: [u8; reg::CONTROL_COUNT];
        /// The values the reserved bits are written with.
        const RESERVED_VALUE: [u8; reg::CONTROL_COUNT];
        /// The encoding facts, given the run-time variant (only the default part has one).
        fn profile(variant: Variant) -> Profile;
        /// What REG0A says.
        fn identify(raw: u8) -> Identity;
        /// REG09 decoded as this part reports it.
        fn decode_faults(raw: u8) -> Faults;
        /// A control register as a read-modify-write starts from on this part (see [`reg::settings`]).
        #[inline]
        fn settings(register: u8, value: u8) -> u8 {
            reg::settings_of(register, value, &Self::RESERVED_MASK, &Self::RESERVED_VALUE)
        }
    }
}

/// A part of the bq2419x family this crate drives.
pub trait Part: sealed::Sealed {
    /// The part's name.
    const NAME: &'static str;
    /// How the part chooses its input current limit at plug-in.
    const INPUT_DETECTION: InputDetection;
    /// The thermistor inputs the part has (and so how REG09 NTC_FAULT reads).
    const THERMISTORS: Thermistors;
    /// The highest fast-charge current the part takes, in mA (for the default part: the bq24195's; the
    /// bq24195L's is [`Variant::max_fast_charge_current_ma`]).
    const MAX_FAST_CHARGE_CURRENT_MA: u16;
}

/// A part named by its type alone (every part but the default one, which needs a [`Variant`]): built with
/// [`Bq24195::for_part`](crate::Bq24195::for_part).
pub trait Sibling: Part {}

/// A part with REG01 bit 0 BOOST_LIM, the OTG boost current limit (500 mA or 1.3 A): bq24190, bq24192, bq24192I,
/// bq24196.
pub trait HasBoostLimit: Part {}

/// A part with IR compensation in REG06 bits 7:2 (BAT_COMP, VCLAMP): bq24190, bq24192, bq24192I.
pub trait HasIrCompensation: Part {}

/// The bq24195 or bq24195L, told apart at run time by [`Variant`]: the driver's default part, as before the
/// siblings came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24195OrL;

/// The bq24190: 4.5 A charger, D+/D− (USB BC1.2) input detection, two thermistor inputs, OTG boost at 5 V with a
/// 500 mA / 1.3 A limit, IR compensation. REG0A reads as a bq24195's (PN 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24190;

/// The bq24192: the bq24190 with the input limit set from the PSEL and OTG pins instead of D+/D−, and a PG pin.
/// REG0A PN 101 (as a bq24196's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24192;

/// The bq24192I: the bq24192 with a lower default charge (4.112 V, REG04 resets to 0x9A; about 1 A). REG0A PN 011,
/// the only PN of the family no other part shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24192I;

/// The bq24196: 2.5 A charger, PSEL and OTG pins, one thermistor input (hot/cold as the bq24195), OTG boost at
/// 5 V with a 500 mA / 1.3 A limit, no IR compensation. REG0A PN 101 (as a bq24192's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24196;

/// REG0A of a bq2419x part of the family: PN 011, 100 or 101 (any TS_PROFILE, any revision).
const fn in_family(raw: u8) -> bool {
    matches!(
        reg::field(raw, reg::PN_MASK),
        reg::PN_BQ24192I | reg::PN_BQ24190 | reg::PN_BQ24192
    )
}

/// A sibling's check: its PN with TS_PROFILE 0 (a TS_PROFILE of 1 is the JEITA bq24193), any revision.
const fn identify_sibling(raw: u8, part_number: u8) -> Identity {
    if reg::field(raw, reg::PN_MASK) == part_number && raw & reg::TS_PROFILE == 0 {
        Identity::Match
    } else if in_family(raw) {
        Identity::OtherPart
    } else {
        Identity::Unknown
    }
}

const PROFILE_4500: Profile = Profile {
    ichg: reg::ICHG,
    boost_limit: true,
    ir_compensation: true,
};

impl sealed::Sealed for Bq24195OrL {
    const RESET: [u8; reg::CONTROL_COUNT] = reg::RESET;
    const RESET_CONFIRMED: u8 = 0xFF;
    const RESERVED_MASK: [u8; reg::CONTROL_COUNT] = reg::RESERVED_MASK;
    const RESERVED_VALUE: [u8; reg::CONTROL_COUNT] = reg::RESERVED_VALUE;
    #[inline]
    fn profile(variant: Variant) -> Profile {
        Profile {
            ichg: variant.charge_current_steps(),
            boost_limit: false,
            ir_compensation: false,
        }
    }
    #[inline]
    fn identify(raw: u8) -> Identity {
        if raw == reg::PART_INFO_BQ24195 {
            Identity::Match
        } else if in_family(raw) {
            Identity::OtherPart
        } else {
            Identity::Unknown
        }
    }
    #[inline]
    fn decode_faults(raw: u8) -> Faults {
        Faults::decode(raw)
    }
}

impl sealed::Sealed for Bq24190 {
    const RESET: [u8; reg::CONTROL_COUNT] = reg::RESET;
    const RESET_CONFIRMED: u8 = reg::RESET_CONFIRMED_BQ24190;
    const RESERVED_MASK: [u8; reg::CONTROL_COUNT] = reg::RESERVED_MASK_BQ24190;
    const RESERVED_VALUE: [u8; reg::CONTROL_COUNT] = reg::RESERVED_VALUE_SIBLINGS;
    fn profile(_: Variant) -> Profile {
        PROFILE_4500
    }
    fn identify(raw: u8) -> Identity {
        identify_sibling(raw, reg::PN_BQ24190)
    }
    fn decode_faults(raw: u8) -> Faults {
        Faults::decode_for(raw, Thermistors::Two)
    }
}

impl sealed::Sealed for Bq24192 {
    const RESET: [u8; reg::CONTROL_COUNT] = reg::RESET;
    const RESET_CONFIRMED: u8 = reg::RESET_CONFIRMED_BQ24190;
    const RESERVED_MASK: [u8; reg::CONTROL_COUNT] = reg::RESERVED_MASK_BQ24190;
    const RESERVED_VALUE: [u8; reg::CONTROL_COUNT] = reg::RESERVED_VALUE_SIBLINGS;
    fn profile(_: Variant) -> Profile {
        PROFILE_4500
    }
    fn identify(raw: u8) -> Identity {
        identify_sibling(raw, reg::PN_BQ24192)
    }
    fn decode_faults(raw: u8) -> Faults {
        Faults::decode_for(raw, Thermistors::Two)
    }
}

impl sealed::Sealed for Bq24192I {
    const RESET: [u8; reg::CONTROL_COUNT] = reg::RESET_BQ24192I;
    const RESET_CONFIRMED: u8 = reg::RESET_CONFIRMED_BQ24190;
    const RESERVED_MASK: [u8; reg::CONTROL_COUNT] = reg::RESERVED_MASK_BQ24190;
    const RESERVED_VALUE: [u8; reg::CONTROL_COUNT] = reg::RESERVED_VALUE_SIBLINGS;
    fn profile(_: Variant) -> Profile {
        PROFILE_4500
    }
    fn identify(raw: u8) -> Identity {
        identify_sibling(raw, reg::PN_BQ24192I)
    }
    fn decode_faults(raw: u8) -> Faults {
        Faults::decode_for(raw, Thermistors::Two)
    }
}

impl sealed::Sealed for Bq24196 {
    const RESET: [u8; reg::CONTROL_COUNT] = reg::RESET;
    const RESET_CONFIRMED: u8 = reg::RESET_CONFIRMED_BQ24196;
    const RESERVED_MASK: [u8; reg::CONTROL_COUNT] = reg::RESERVED_MASK_BQ24196;
    const RESERVED_VALUE: [u8; reg::CONTROL_COUNT] = reg::RESERVED_VALUE_SIBLINGS;
    fn profile(_: Variant) -> Profile {
        Profile {
            ichg: reg::ICHG_BQ24196,
            boost_limit: true,
            ir_compensation: false,
        }
    }
    fn identify(raw: u8) -> Identity {
        identify_sibling(raw, reg::PN_BQ24196)
    }
    fn decode_faults(raw: u8) -> Faults {
        Faults::decode_for(raw, Thermistors::One)
    }
}

impl Part for Bq24195OrL {
    const NAME: &'static str = "bq24195/bq24195L";
    const INPUT_DETECTION: InputDetection = InputDetection::DataLines;
    const THERMISTORS: Thermistors = Thermistors::One;
    const MAX_FAST_CHARGE_CURRENT_MA: u16 = reg::ICHG.max();
}

impl Part for Bq24190 {
    const NAME: &'static str = "bq24190";
    const INPUT_DETECTION: InputDetection = InputDetection::DataLines;
    const THERMISTORS: Thermistors = Thermistors::Two;
    const MAX_FAST_CHARGE_CURRENT_MA: u16 = reg::ICHG.max();
}

impl Part for Bq24192 {
    const NAME: &'static str = "bq24192";
    const INPUT_DETECTION: InputDetection = InputDetection::PselPin;
    const THERMISTORS: Thermistors = Thermistors::Two;
    const MAX_FAST_CHARGE_CURRENT_MA: u16 = reg::ICHG.max();
}

impl Part for Bq24192I {
    const NAME: &'static str = "bq24192I";
    const INPUT_DETECTION: InputDetection = InputDetection::PselPin;
    const THERMISTORS: Thermistors = Thermistors::Two;
    const MAX_FAST_CHARGE_CURRENT_MA: u16 = reg::ICHG.max();
}

impl Part for Bq24196 {
    const NAME: &'static str = "bq24196";
    const INPUT_DETECTION: InputDetection = InputDetection::PselPin;
    const THERMISTORS: Thermistors = Thermistors::One;
    const MAX_FAST_CHARGE_CURRENT_MA: u16 = reg::ICHG_BQ24196.max();
}

impl Sibling for Bq24190 {}
impl Sibling for Bq24192 {}
impl Sibling for Bq24192I {}
impl Sibling for Bq24196 {}

impl HasBoostLimit for Bq24190 {}
impl HasBoostLimit for Bq24192 {}
impl HasBoostLimit for Bq24192I {}
impl HasBoostLimit for Bq24196 {}

impl HasIrCompensation for Bq24190 {}
impl HasIrCompensation for Bq24192 {}
impl HasIrCompensation for Bq24192I {}

#[cfg(test)]
mod tests {
    use super::sealed::Sealed;
    use super::*;

    #[test]
    fn reg0a_is_checked_per_part() {
        // the bytes of the sheet: 0x23 (PN 100), 0x2B (PN 101), 0x1B (PN 011), 0x2F (bq24193: PN 101, JEITA)
        assert_eq!(Bq24195OrL::identify(0x23), Identity::Match);
        assert_eq!(Bq24195OrL::identify(0x2B), Identity::OtherPart);
        assert_eq!(Bq24195OrL::identify(0x22), Identity::OtherPart);
        assert_eq!(Bq24195OrL::identify(0x00), Identity::Unknown);
        assert_eq!(Bq24190::identify(0x23), Identity::Match);
        assert_eq!(Bq24190::identify(0x20), Identity::Match);
        assert_eq!(Bq24190::identify(0x2B), Identity::OtherPart);
        assert_eq!(Bq24190::identify(0xFF), Identity::Unknown);
        assert_eq!(Bq24192::identify(0x2B), Identity::Match);
        assert_eq!(Bq24192::identify(0x2F), Identity::OtherPart);
        assert_eq!(Bq24192::identify(0x1B), Identity::OtherPart);
        assert_eq!(Bq24192::identify(0x23), Identity::OtherPart);
        assert_eq!(Bq24192I::identify(0x1B), Identity::Match);
        assert_eq!(Bq24192I::identify(0x2B), Identity::OtherPart);
        assert_eq!(Bq24196::identify(0x2B), Identity::Match);
        assert_eq!(Bq24196::identify(0x23), Identity::OtherPart);
        assert_eq!(Bq24196::identify(0x33), Identity::Unknown);
    }

    #[test]
    fn part_bits_are_settings_only_where_the_part_has_them() {
        // REG01 bit 0: reserved (forced to 1) on the bq24195, BOOST_LIM elsewhere
        assert_eq!(Bq24195OrL::settings(reg::POWER_ON_CONFIG, 0x1A), 0x1B);
        assert_eq!(Bq24190::settings(reg::POWER_ON_CONFIG, 0x1A), 0x1A);
        assert_eq!(Bq24196::settings(reg::POWER_ON_CONFIG, 0xDA), 0x1A);
        // REG06 bits 7:2: IR compensation on the 190/192/192I, reserved (forced to 0) on the 195 and 196
        assert_eq!(Bq24190::settings(reg::THERMAL_REGULATION, 0xFF), 0xFF);
        assert_eq!(Bq24192I::settings(reg::THERMAL_REGULATION, 0xFF), 0xFF);
        assert_eq!(Bq24196::settings(reg::THERMAL_REGULATION, 0xFF), 0x03);
        assert_eq!(Bq24195OrL::settings(reg::THERMAL_REGULATION, 0xFF), 0x03);
        // REG05 bit 0 (JEITA_ISET in some sources) and REG07 bit 4 (JEITA_VSET) stay reserved, written 0
        assert_eq!(Bq24190::settings(reg::TERMINATION_TIMER, 0xFF), 0xFE);
        assert_eq!(Bq24190::settings(reg::MISC_OPERATION, 0xFF), 0x6B);
        assert_eq!(Bq24190::settings(reg::CHARGE_CURRENT, 0xFF), 0xFD);
        for register in 0..8u8 {
            let index = usize::from(register);
            for reset in [Bq24190::RESET, Bq24192I::RESET, Bq24196::RESET] {
                let value = reset.get(index).copied().unwrap_or(0);
                assert_eq!(Bq24190::settings(register, value), value);
                assert_eq!(Bq24196::settings(register, value), value);
            }
        }
    }

    #[test]
    fn thermistor_codes_are_decoded_per_part() {
        use crate::NtcFault;
        assert_eq!(Bq24190::decode_faults(0x01).ntc, NtcFault::Ts1Cold);
        assert_eq!(Bq24192::decode_faults(0x04).ntc, NtcFault::Ts2Hot);
        assert_eq!(Bq24196::decode_faults(0x01).ntc, NtcFault::Other(1));
        assert_eq!(Bq24196::decode_faults(0x05).ntc, NtcFault::Cold);
        assert_eq!(Bq24195OrL::decode_faults(0x03).ntc, NtcFault::Other(3));
    }
}
