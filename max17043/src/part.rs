//! The parts of the family, as types: the driver's second type parameter. What a part lacks does not exist for it:
//! CRATE, HIBRT, VALRT, VRESET/ID, STATUS and ALSC are methods of `Max17043<I2C, P>` only for `P:
//! `[`Max17048Family`], and the POR command choice ([`PorCommand`](crate::PorCommand)) and
//! [`Variant`] only for [`Max17043Or44`], the default.
//!
//! ```
//! use max17043::sim::Max17043Sim;
//! use max17043::{part, Max17043, StateOfCharge};
//!
//! let mut sim = Max17043Sim::max17048(StateOfCharge::from_percent(50));
//! let mut gauge = Max17043::for_part(&mut sim, part::Max17048);
//! assert_eq!(gauge.voltage()?.millivolts(), 3750);
//! assert_eq!(gauge.charge_rate()?.milli_percent_per_hour(), 0);
//! # Ok::<(), max17043::Error<max17043::embedded_hal::i2c::ErrorKind>>(())
//! ```

//!
//! A MAX17043 has no CRATE, so its driver has no `charge_rate`:
//!
//! ```compile_fail
//! use max17043::embedded_hal::i2c::I2c;
//! fn rate<I: I2c>(i2c: I) {
//!     let mut gauge = max17043::Max17043::new(i2c, max17043::Variant::Max17043);
//!     let _ = gauge.charge_rate();
//! }
//! ```
//!
//! and a MAX17048 has one reset value, so its `power_on_reset` takes no [`PorCommand`](crate::PorCommand):
//!
//! ```compile_fail
//! use max17043::embedded_hal::i2c::I2c;
//! fn reset<I: I2c>(i2c: I) {
//!     let mut gauge = max17043::Max17043::for_part(i2c, max17043::part::Max17048);
//!     let _ = gauge.power_on_reset(max17043::PorCommand::Current);
//! }
//! ```

use crate::register as reg;
use crate::types::Variant;

pub(crate) mod sealed {
    use crate::types::Variant;

    /// The facts the driver's shared code branches on (constants: each part's code keeps only its branch).
    pub trait Sealed {
        /// The CONFIG LSB bits a read-modify-write must not take as its own: ALRT, and bit 6 where it is not ALSC.
        const CONFIG_CHIP_BITS: u8;
        /// CONFIG.SLEEP is honoured only with MODE.EnSleep, and a MODE write must keep EnSleep.
        const EN_SLEEP: bool;
        /// VCELL in µV from the raw register.
        fn vcell_microvolts(raw: u16, variant: Variant) -> u32;
    }
}

/// A part of the MAX1704x family this crate drives.
pub trait Part: sealed::Sealed {
    /// The part's name.
    const NAME: &'static str;
}

/// The MAX17048 and MAX17049: CRATE, HIBRT and hibernation, VALRT, VRESET/ID, STATUS and its alerts, ALSC,
/// MODE.EnSleep.
pub trait Max17048Family: Part {
    /// Cells in series the part gauges (1 on the MAX17048, 2 on the MAX17049).
    const CELLS: u8;
}

/// The MAX17043 (one cell) or MAX17044 (two cells), told apart at run time by [`Variant`]: the driver's default
/// part, as before the MAX17048 came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Max17043Or44;

/// The MAX17048: one cell, VCELL 78.125 µV per LSB, no sense resistor, CRATE, hibernation, voltage alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Max17048;

/// The MAX17049: the MAX17048 for two cells in series; VCELL reads the pack, 156.25 µV per LSB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Max17049;

impl sealed::Sealed for Max17043Or44 {
    const CONFIG_CHIP_BITS: u8 = reg::CONFIG_CHIP_BITS;
    const EN_SLEEP: bool = false;
    fn vcell_microvolts(raw: u16, variant: Variant) -> u32 {
        reg::vcell_microvolts(raw, variant.vcell_step_uv())
    }
}

impl sealed::Sealed for Max17048 {
    const CONFIG_CHIP_BITS: u8 = reg::CONFIG_ALRT;
    const EN_SLEEP: bool = true;
    fn vcell_microvolts(raw: u16, _: Variant) -> u32 {
        reg::vcell_microvolts_16(raw, reg::VCELL_EIGHTHS_UV_MAX17048)
    }
}

impl sealed::Sealed for Max17049 {
    const CONFIG_CHIP_BITS: u8 = reg::CONFIG_ALRT;
    const EN_SLEEP: bool = true;
    fn vcell_microvolts(raw: u16, _: Variant) -> u32 {
        reg::vcell_microvolts_16(raw, reg::VCELL_EIGHTHS_UV_MAX17049)
    }
}

impl Part for Max17043Or44 {
    const NAME: &'static str = "MAX17043/MAX17044";
}

impl Part for Max17048 {
    const NAME: &'static str = "MAX17048";
}

impl Part for Max17049 {
    const NAME: &'static str = "MAX17049";
}

impl Max17048Family for Max17048 {
    const CELLS: u8 = 1;
}

impl Max17048Family for Max17049 {
    const CELLS: u8 = 2;
}
