//! What the user passes in and gets back: the chip variant, voltages, states of charge, CONFIG, errors.

use crate::register as reg;

/// Which chip of the family is on the bus. The register map is the same; VCELL's step differs.
///
/// `#[non_exhaustive]`: a later version may support more gauges of the family; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Variant {
    /// MAX17043: one cell, 1.25 mV per VCELL step (0–5.11875 V).
    #[default]
    Max17043,
    /// MAX17044: two cells in series, 2.5 mV per VCELL step (0–10.2375 V).
    Max17044,
}

impl Variant {
    /// The VCELL step in µV.
    pub const fn vcell_step_uv(self) -> u32 {
        match self {
            Self::Max17043 => reg::VCELL_STEP_UV_MAX17043,
            Self::Max17044 => reg::VCELL_STEP_UV_MAX17044,
        }
    }
}

/// How the loaded battery model scales the SOC register. It cannot be read from the chip.
///
/// Exhaustive on purpose: Maxim's models use one of these two scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SocScale {
    /// The datasheet's scale: MSB = whole percent, LSB = 1/256 % (Particle's "18-bit" precision).
    #[default]
    Standard,
    /// Custom models that report double SOC (1/512 % per step; Linux `maxim,double-soc`, Particle's
    /// "19-bit" precision). The driver halves the raw value so that [`StateOfCharge`] keeps its 1/256 % unit.
    Double,
}

/// A cell (MAX17043) or pack (MAX17044) voltage, in µV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Voltage {
    microvolts: u32,
}

impl Voltage {
    /// A voltage of `microvolts` µV.
    pub const fn from_microvolts(microvolts: u32) -> Self {
        Self { microvolts }
    }

    /// The voltage in µV (exact: every VCELL step is a whole number of µV).
    pub const fn microvolts(self) -> u32 {
        self.microvolts
    }

    /// The voltage in mV, rounded to the nearest (half up).
    pub const fn millivolts(self) -> u32 {
        // microvolts <= 10_237_500: adding 500 cannot overflow.
        self.microvolts.saturating_add(500) / 1000
    }

    /// The voltage in volts, for display. Nothing in the driver needs it.
    pub fn volts_f32(self) -> f32 {
        // u32 -> f32 loses precision above 2^24 µV (16.7 V), beyond any VCELL value.
        #[allow(clippy::cast_precision_loss)]
        let microvolts = self.microvolts as f32;
        microvolts / 1_000_000.0
    }
}

/// A state of charge in 1/256 %, the SOC register's own unit (0x6400 = 100 %).
///
/// The chip clamps its model to the register's range, and some models report a little above 100 % when the
/// cell is full: values above 100 % are passed on as read, never clamped silently. 0xFFFF never gets here: it is
/// [`Error::InvalidReading`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StateOfCharge {
    raw: u16,
}

impl StateOfCharge {
    /// 100 %.
    pub const FULL: Self = Self { raw: reg::SOC_FULL };
    /// 0 %.
    pub const EMPTY: Self = Self { raw: 0 };

    /// A state of charge in 1/256 %.
    pub const fn from_256ths(raw: u16) -> Self {
        Self { raw }
    }

    /// A whole percentage (saturating at 255 %).
    pub const fn from_percent(percent: u8) -> Self {
        Self {
            raw: (percent as u16) << 8,
        }
    }

    /// The value in 1/256 %.
    pub const fn as_256ths(self) -> u16 {
        self.raw
    }

    /// Whole percent, rounded down (the register's MSB): 1.5 % is 1.
    pub const fn whole_percent(self) -> u8 {
        self.raw.to_be_bytes()[0]
    }

    /// Percent, rounded to the nearest (half up): 1.5 % is 2.
    pub const fn percent_rounded(self) -> u16 {
        // whole part (<= 255) plus the half bit (0 or 1): at most 256, no wrap.
        (self.raw >> 8).wrapping_add((self.raw >> 7) & 1)
    }

    /// Hundredths of a percent, rounded down: 1.5 % is 150, 16.16015625 % is 1616.
    pub const fn centipercent(self) -> u32 {
        // raw * 100 <= 6_553_500: fits in u32.
        (self.raw as u32).wrapping_mul(100) >> 8
    }

    /// Percent as a float, for display. Nothing in the driver needs it.
    pub fn percent_f32(self) -> f32 {
        f32::from(self.raw) / 256.0
    }
}

/// CONFIG as read from the chip.
///
/// Exhaustive on purpose (it mirrors the register's closed set of fields, and tests build it with a struct
/// literal): a new field would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// RCOMP, the ModelGauge compensation byte (0x97 from power-up).
    pub rcomp: u8,
    /// SLEEP: the gauge is in Sleep and does not track the cell.
    pub sleeping: bool,
    /// ALRT: SOC fell below the threshold; the ALRT pin is low until the flag is cleared.
    pub alert: bool,
    /// The alert threshold, 1..=32 % (4 % from power-up).
    pub alert_threshold_percent: u8,
}

impl Config {
    /// The power-up CONFIG (0x971C).
    pub const POWER_UP: Self = Self::decode(reg::CONFIG_RESET);

    /// Decodes a raw CONFIG word (bit 6, which reads 0 or 1, is ignored).
    pub const fn decode(raw: u16) -> Self {
        let [rcomp, lsb] = raw.to_be_bytes();
        Self {
            rcomp,
            sleeping: lsb & reg::CONFIG_SLEEP != 0,
            alert: lsb & reg::CONFIG_ALRT != 0,
            alert_threshold_percent: reg::decode_alert_threshold(lsb),
        }
    }
}

/// Everything in CONFIG the driver writes, for [`configure`](crate::Max17043::configure): one 3-byte write.
///
/// Exhaustive on purpose, so that you can build it with a struct literal: a new field would come with a major
/// version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Settings {
    /// RCOMP (0x97 from power-up; the right value for a cell comes from Maxim's characterisation).
    pub rcomp: u8,
    /// The alert threshold, 1..=32 %.
    pub alert_threshold_percent: u8,
    /// Put the gauge in Sleep.
    pub sleep: bool,
}

impl Default for Settings {
    /// The power-up settings: RCOMP 0x97, alert at 4 %, awake.
    fn default() -> Self {
        Self {
            rcomp: reg::RCOMP_RESET,
            alert_threshold_percent: 4,
            sleep: false,
        }
    }
}

/// Temperature compensation of RCOMP from your cell's coefficients (Maxim's method):
/// `RCOMP = RCOMP0 + (T − 20 °C) × TempCoUp` above 20 °C, `× TempCoDown` below, rounded and clamped to 0..=255.
///
/// Exhaustive on purpose, so that you can build it with a struct literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RcompCompensation {
    /// RCOMP at 20 °C.
    pub rcomp0: u8,
    /// Change per °C above 20 °C, in 1/1000 of an RCOMP step (−0.5 per °C is −500).
    pub temp_co_up_milli: i32,
    /// Change per °C below 20 °C, in 1/1000 of an RCOMP step (−5.0 per °C is −5000).
    pub temp_co_down_milli: i32,
}

impl RcompCompensation {
    /// RCOMP for a temperature in 0.1 °C (25.3 °C is 253).
    pub fn rcomp(&self, decidegrees_c: i32) -> u8 {
        reg::compensated_rcomp(
            self.rcomp0,
            self.temp_co_up_milli,
            self.temp_co_down_milli,
            decidegrees_c,
        )
    }
}

// ---- MAX17048 / MAX17049 ------------------------------------------------------------------------------------

/// The MAX17048/49 charge rate from CRATE: signed, 0.208 %/h per LSB, positive while charging.
///
/// Every value is a valid reading (0xFFFF is −0.208 %/h), so CRATE has no impossible value to reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ChargeRate {
    raw: i16,
}

impl ChargeRate {
    /// A charge rate from the raw register (as a signed word).
    pub const fn from_raw(raw: i16) -> Self {
        Self { raw }
    }

    /// The raw register, signed.
    pub const fn raw(self) -> i16 {
        self.raw
    }

    /// The rate in 1/1000 %/h (−32768 × 208 fits an `i32`).
    pub const fn milli_percent_per_hour(self) -> i32 {
        (self.raw as i32).wrapping_mul(reg::CRATE_MILLI_PERCENT_PER_HOUR)
    }
}

/// HIBRT (MAX17048/49): when the gauge hibernates. It enters hibernation once |CRATE| stays below the hibernate
/// threshold for 6 minutes, and leaves it when a cell-voltage sample differs from its estimate by more than the
/// active threshold. In hibernation it keeps gauging, at fewer samples (3 µA instead of 23 µA).
///
/// Exhaustive on purpose: it mirrors the register's two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Hibernation {
    /// HibThr, 0.208 %/h per step (0x80 = 26.6 %/h from power-up).
    pub hibernate_threshold: u8,
    /// ActThr, 1.25 mV per step (0x30 = 60 mV from power-up).
    pub active_threshold: u8,
}

impl Hibernation {
    /// The power-up value, 0x8030.
    pub const POWER_UP: Self = Self::from_raw(reg::HIBRT_RESET);
    /// 0xFFFF: always hibernate.
    pub const ALWAYS: Self = Self::from_raw(reg::HIBRT_ALWAYS);
    /// 0x0000: never hibernate.
    pub const NEVER: Self = Self::from_raw(reg::HIBRT_NEVER);

    /// From the raw register.
    pub const fn from_raw(raw: u16) -> Self {
        let [hibernate_threshold, active_threshold] = raw.to_be_bytes();
        Self {
            hibernate_threshold,
            active_threshold,
        }
    }

    /// The raw register.
    pub const fn raw(self) -> u16 {
        u16::from_be_bytes([self.hibernate_threshold, self.active_threshold])
    }

    /// The hibernate threshold in 1/1000 %/h.
    pub const fn hibernate_threshold_milli_percent_per_hour(self) -> u32 {
        (self.hibernate_threshold as u32).wrapping_mul(reg::CRATE_MILLI_PERCENT_PER_HOUR as u32)
    }

    /// The active threshold in µV.
    pub const fn active_threshold_microvolts(self) -> u32 {
        (self.active_threshold as u32).wrapping_mul(reg::ACT_THR_STEP_UV)
    }
}

/// VALRT (MAX17048/49): the cell-voltage window; outside it the chip sets STATUS.VH or VL and raises ALRT. 20 mV
/// per step, compared with the voltage of one cell (on the MAX17049 per cell, as SparkFun reads the datasheet; the
/// MAX17048-only libraries cannot tell: see the crate docs).
///
/// Exhaustive on purpose: it mirrors the register's two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct VoltageAlert {
    /// VALRT.MIN: alert below `min × 20 mV` (0 from power-up: never).
    pub min: u8,
    /// VALRT.MAX: alert above `max × 20 mV` (0xFF = 5.1 V from power-up: never).
    pub max: u8,
}

impl VoltageAlert {
    /// The power-up window, 0x00FF: 0 V to 5.1 V, no alert.
    pub const POWER_UP: Self = Self::from_raw(reg::VALRT_RESET);

    /// From the raw register.
    pub const fn from_raw(raw: u16) -> Self {
        let [min, max] = raw.to_be_bytes();
        Self { min, max }
    }

    /// The raw register.
    pub const fn raw(self) -> u16 {
        u16::from_be_bytes([self.min, self.max])
    }

    /// The window for `min_mv..=max_mv`, each rounded down to the 20 mV step; `None` above 5100 mV or with
    /// `min_mv > max_mv`.
    pub const fn from_millivolts(min_mv: u16, max_mv: u16) -> Option<Self> {
        if min_mv > max_mv || max_mv > 5100 {
            return None;
        }
        // both <= 5100: / 20 <= 255
        Some(Self {
            min: (min_mv / 20).to_be_bytes()[1],
            max: (max_mv / 20).to_be_bytes()[1],
        })
    }

    /// The lower bound in mV.
    pub const fn min_millivolts(self) -> u32 {
        (self.min as u32).wrapping_mul(reg::VALRT_STEP_MV)
    }

    /// The upper bound in mV.
    pub const fn max_millivolts(self) -> u32 {
        (self.max as u32).wrapping_mul(reg::VALRT_STEP_MV)
    }
}

/// VRESET (MAX17048/49, the MSB of VRESET/ID): the voltage below which the chip takes the cell for removed (and a
/// later rise for a new one: STATUS.VR), 40 mV per step, and whether that comparator is off.
///
/// Exhaustive on purpose: it mirrors the register's byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResetVoltage {
    /// VRESET, 7 bits, 40 mV per step (0x4B = 3.0 V from power-up). Bits above 6 are ignored.
    pub threshold: u8,
    /// Dis: the comparator is off (saves about 0.5 µA in hibernation).
    pub comparator_disabled: bool,
}

impl ResetVoltage {
    /// The power-up value: 3.0 V, comparator on.
    pub const POWER_UP: Self = Self::from_byte(reg::VRESET_RESET);

    /// From the register's MSB.
    pub const fn from_byte(msb: u8) -> Self {
        Self {
            threshold: msb >> 1,
            comparator_disabled: msb & 1 != 0,
        }
    }

    /// The register's MSB.
    pub const fn to_byte(self) -> u8 {
        ((self.threshold & 0x7F) << 1) | self.comparator_disabled as u8
    }

    /// The threshold for `mv`, rounded down to the 40 mV step; `None` above 5080 mV.
    pub const fn from_millivolts(mv: u16, comparator_disabled: bool) -> Option<Self> {
        if mv > 5080 {
            return None;
        }
        Some(Self {
            threshold: (mv / 40).to_be_bytes()[1],
            comparator_disabled,
        })
    }

    /// The threshold in mV.
    pub const fn millivolts(self) -> u32 {
        ((self.threshold & 0x7F) as u32).wrapping_mul(reg::VRESET_STEP_MV)
    }
}

bitflags::bitflags! {
    /// A set of STATUS alert flags (MAX17048/49): what raised ALRT, and which flags to clear. Bit n is STATUS bit
    /// n + 8 (the register's MSB); EnVR and bit 15 are not flags and cannot be in a set.
    ///
    /// A `bitflags` set: `|`, `&`, `!`, `-`, `contains`, `insert`, `remove`, `iter`, `from_bits_truncate`, `bits`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct StatusFlags: u8 {
        /// RI: the chip reset (power-up or POR command) and is not configured yet.
        const RESET = reg::STATUS_RI;
        /// VH: VCELL went above VALRT.MAX.
        const VOLTAGE_HIGH = reg::STATUS_VH;
        /// VL: VCELL went below VALRT.MIN.
        const VOLTAGE_LOW = reg::STATUS_VL;
        /// VR: voltage reset (the cell was taken for removed and put back).
        const VOLTAGE_RESET = reg::STATUS_VR;
        /// HD: SOC fell below the alert threshold (CONFIG.ATHD).
        const SOC_LOW = reg::STATUS_HD;
        /// SC: SOC changed by 1 % (CONFIG.ALSC on).
        const SOC_CHANGE = reg::STATUS_SC;
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for StatusFlags {
    fn format(&self, f: defmt::Formatter) {
        defmt::write!(f, "StatusFlags({=u8:#04x})", self.bits());
    }
}

/// STATUS as read (MAX17048/49): the flags and the EnVR enable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Status {
    /// The alert flags set.
    pub flags: StatusFlags,
    /// EnVR: a voltage reset raises ALRT.
    pub voltage_reset_alert: bool,
}

impl Status {
    /// Decodes a raw STATUS word (the LSB and bit 15 are ignored).
    pub const fn decode(raw: u16) -> Self {
        let msb = raw.to_be_bytes()[0];
        Self {
            flags: StatusFlags::from_bits_truncate(msb),
            voltage_reset_alert: msb & reg::STATUS_EN_VR != 0,
        }
    }
}

/// Which value the power-on-reset command writes to COMMAND. The datasheet revisions disagree; see the crate
/// documentation for the evidence.
///
/// Exhaustive on purpose: these are the two values the datasheet revisions give; every other value is reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PorCommand {
    /// 0x0054 (bytes `FE 00 54`): the newer datasheet revision, Linux, Particle Device OS and `max170xx`.
    #[default]
    Current,
    /// 0x5400 (bytes `FE 54 00`): the older datasheet revision and SparkFun's libraries.
    Legacy,
}

impl PorCommand {
    /// The 16-bit COMMAND value.
    pub const fn value(self) -> u16 {
        match self {
            Self::Current => reg::COMMAND_POR,
            Self::Legacy => reg::COMMAND_POR_LEGACY,
        }
    }
}

/// How the chip answered the power-on-reset write, once the read-back of CONFIG confirmed the reset.
///
/// Exhaustive on purpose: the write was acknowledged or it was not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ResetOutcome {
    /// Every byte was acknowledged.
    Acknowledged,
    /// The chip took its address but did not acknowledge a data byte (or the HAL could not say which byte): the
    /// expected behaviour of a gauge that resets while the last bit is clocked in, as the MAX17048 does.
    NotAcknowledged,
}

/// A register, to say which one gave an impossible reading.
///
/// `#[non_exhaustive]`: a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
#[repr(u8)]
pub enum Register {
    /// VCELL (0x02).
    Vcell = reg::VCELL,
    /// SOC (0x04).
    Soc = reg::SOC,
    /// VERSION (0x08).
    Version = reg::VERSION,
    /// CONFIG (0x0C).
    Config = reg::CONFIG,
    /// MODE (0x06), read on the MAX17048/49 (EnSleep, HibStat).
    Mode = reg::MODE,
    /// STATUS (0x1A, MAX17048/49).
    Status = reg::STATUS,
}

impl Register {
    /// The register's address.
    pub const fn address(self) -> u8 {
        // the discriminant is the address
        self as u8
    }
}

/// What was wrong with an argument.
///
/// `#[non_exhaustive]`: a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ArgumentError {
    /// An alert threshold outside 1..=32 %.
    AlertThresholdOutOfRange,
}

/// Everything that can go wrong, with the bus error `E`.
///
/// `#[non_exhaustive]`: a later version may add a variant without a major version; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E> {
    /// The I2C bus reported an error (a NACK included: see [`Error::is_nack`]).
    Bus(E),
    /// An argument was out of range; nothing was sent.
    Argument(ArgumentError),
    /// A register read 0xFFFF: the gauge is unpowered (no battery when it started) or the bus glitched (such a
    /// reading would otherwise decode as 5.12 V and 256 %); or VERSION read 0x0000, which no gauge has (a bus held
    /// low).
    InvalidReading(Register),
    /// After a power-on-reset command, CONFIG did not read back the power-up RCOMP, SLEEP and ATHD: the chip did not
    /// reset (a NACK before it took the whole command, or a chip that honours the other [`PorCommand`] value). The
    /// driver's cache holds the CONFIG read back.
    ResetNotConfirmed,
    /// The ALRT pin given to `wait_for_alert` reported an error.
    Pin(#[cfg_attr(feature = "defmt", defmt(Debug2Format))] embedded_hal::digital::ErrorKind),
}

impl<E> From<ArgumentError> for Error<E> {
    fn from(e: ArgumentError) -> Self {
        Self::Argument(e)
    }
}

impl<E: embedded_hal::i2c::Error> Error<E> {
    /// The chip did not acknowledge (absent, wrong address, or a byte it refused).
    pub fn is_nack(&self) -> bool {
        matches!(self, Self::Bus(e) if matches!(e.kind(), embedded_hal::i2c::ErrorKind::NoAcknowledge(_)))
    }
}

impl core::fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::AlertThresholdOutOfRange => "alert threshold outside 1..=32 %",
        })
    }
}

impl core::fmt::Display for Register {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Vcell => "VCELL",
            Self::Soc => "SOC",
            Self::Version => "VERSION",
            Self::Config => "CONFIG",
            Self::Mode => "MODE",
            Self::Status => "STATUS",
        })
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bus(e) => write!(f, "MAX1704x bus error: {e:?}"),
            Self::Argument(e) => write!(f, "MAX1704x argument error: {e}"),
            Self::InvalidReading(Register::Version) => {
                f.write_str("MAX1704x VERSION read 0x0000 or 0xFFFF (no gauge, no battery or a bus fault)")
            }
            Self::InvalidReading(r) => write!(f, "MAX1704x {r} read 0xFFFF (no battery or bus glitch)"),
            Self::ResetNotConfirmed => {
                f.write_str("MAX1704x did not reset: CONFIG did not read back its power-up value")
            }
            Self::Pin(e) => write!(f, "MAX1704x ALRT pin error: {e:?}"),
        }
    }
}

impl core::error::Error for ArgumentError {}
impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soc_vectors_from_the_sheet() {
        let soc = StateOfCharge::from_256ths(0x0180);
        assert_eq!(
            (soc.whole_percent(), soc.centipercent(), soc.percent_rounded()),
            (1, 150, 2)
        );
        let soc = StateOfCharge::from_256ths(0x6400);
        assert_eq!((soc.whole_percent(), soc.centipercent()), (100, 10_000));
        assert_eq!(soc, StateOfCharge::FULL);
        assert_eq!(StateOfCharge::from_256ths(0x5A80).centipercent(), 9050);
        assert_eq!(StateOfCharge::from_256ths(0x3280).centipercent(), 5050);
        assert_eq!(StateOfCharge::from_256ths(0x1029).centipercent(), 1616);
        assert_eq!(StateOfCharge::from_256ths(0x0119).centipercent(), 109);
        assert_eq!(StateOfCharge::from_256ths(0x0080).centipercent(), 50);
        assert_eq!(StateOfCharge::from_256ths(0x0080).percent_rounded(), 1);
        assert_eq!(StateOfCharge::from_256ths(0x007F).percent_rounded(), 0);
        assert_eq!(StateOfCharge::from_256ths(u16::MAX).percent_rounded(), 256);
        assert_eq!(StateOfCharge::from_256ths(u16::MAX).centipercent(), 25_599);
        assert_eq!(StateOfCharge::from_percent(42).as_256ths(), 0x2A00);
        assert!((StateOfCharge::from_256ths(0x0180).percent_f32() - 1.5).abs() < f32::EPSILON);
    }

    #[test]
    fn voltage_units() {
        let v = Voltage::from_microvolts(5_118_750);
        assert_eq!(v.millivolts(), 5119);
        assert_eq!(Voltage::from_microvolts(3_617_500).millivolts(), 3618);
        assert_eq!(Voltage::from_microvolts(1_250).millivolts(), 1);
        assert!((v.volts_f32() - 5.118_75).abs() < 1e-6);
        assert_eq!(Voltage::from_microvolts(u32::MAX).millivolts(), 4_294_967);
    }

    #[test]
    fn config_vectors_from_the_sheet() {
        assert_eq!(
            Config::decode(0x971C),
            Config {
                rcomp: 0x97,
                sleeping: false,
                alert: false,
                alert_threshold_percent: 4
            }
        );
        assert_eq!(Config::POWER_UP, Config::decode(0x971C));
        assert!(Config::decode(0x973C).alert);
        assert!(!Config::decode(0x973C).sleeping);
        assert!(Config::decode(0x979C).sleeping);
        assert!(!Config::decode(0x975C).alert); // bit 6 is don't-care
        assert_eq!(Config::decode(0x9716).alert_threshold_percent, 10);
        assert_eq!(Config::decode(0x970C).alert_threshold_percent, 20);
        assert_eq!(Config::decode(0x4000).rcomp, 0x40);
    }

    #[test]
    fn errors_display_what_went_wrong() {
        extern crate std;
        use std::string::ToString;
        type E = Error<()>;
        assert_eq!(
            E::InvalidReading(Register::Soc).to_string(),
            "MAX1704x SOC read 0xFFFF (no battery or bus glitch)"
        );
        assert_eq!(
            E::InvalidReading(Register::Version).to_string(),
            "MAX1704x VERSION read 0x0000 or 0xFFFF (no gauge, no battery or a bus fault)"
        );
        assert_eq!(
            E::ResetNotConfirmed.to_string(),
            "MAX1704x did not reset: CONFIG did not read back its power-up value"
        );
        assert_eq!(
            Error::Bus(embedded_hal::i2c::ErrorKind::ArbitrationLoss).to_string(),
            "MAX1704x bus error: ArbitrationLoss"
        );
        assert_eq!(
            E::from(ArgumentError::AlertThresholdOutOfRange).to_string(),
            "MAX1704x argument error: alert threshold outside 1..=32 %"
        );
        assert_eq!(
            E::Pin(embedded_hal::digital::ErrorKind::Other).to_string(),
            "MAX1704x ALRT pin error: Other"
        );
        let names = [Register::Vcell, Register::Soc, Register::Version, Register::Config].map(|r| r.to_string());
        assert_eq!(names, ["VCELL", "SOC", "VERSION", "CONFIG"]);
        let addresses = [Register::Vcell, Register::Soc, Register::Version, Register::Config].map(Register::address);
        assert_eq!(addresses, [0x02, 0x04, 0x08, 0x0C]);
    }

    #[test]
    fn max17048_values() {
        assert_eq!(ChargeRate::from_raw(-10).milli_percent_per_hour(), -2080);
        assert_eq!(ChargeRate::from_raw(i16::MIN).milli_percent_per_hour(), -6_815_744);
        assert_eq!(ChargeRate::from_raw(i16::MAX).milli_percent_per_hour(), 6_815_536);
        assert_eq!(Hibernation::POWER_UP.raw(), 0x8030);
        assert_eq!(Hibernation::ALWAYS.hibernate_threshold_milli_percent_per_hour(), 53_040);
        assert_eq!(Hibernation::ALWAYS.active_threshold_microvolts(), 318_750);
        assert_eq!(
            VoltageAlert::from_millivolts(3319, 4300),
            Some(VoltageAlert { min: 165, max: 215 })
        );
        assert_eq!(VoltageAlert::from_millivolts(0, 5100), Some(VoltageAlert::POWER_UP));
        assert_eq!(VoltageAlert::from_raw(0xA5D7).raw(), 0xA5D7);
        assert_eq!(ResetVoltage::POWER_UP.millivolts(), 3000);
        assert_eq!(
            ResetVoltage::from_byte(0x97),
            ResetVoltage {
                threshold: 0x4B,
                comparator_disabled: true
            }
        );
        assert_eq!(
            ResetVoltage {
                threshold: 0xFF,
                comparator_disabled: false
            }
            .to_byte(),
            0xFE
        );
        assert_eq!(
            ResetVoltage {
                threshold: 0xFF,
                comparator_disabled: false
            }
            .millivolts(),
            5080
        );
        assert_eq!(
            ResetVoltage::from_millivolts(5080, true).map(ResetVoltage::to_byte),
            Some(0xFF)
        );
        assert_eq!(ResetVoltage::from_millivolts(5081, true), None);
        let bits = [
            StatusFlags::RESET,
            StatusFlags::VOLTAGE_HIGH,
            StatusFlags::VOLTAGE_LOW,
            StatusFlags::VOLTAGE_RESET,
            StatusFlags::SOC_LOW,
            StatusFlags::SOC_CHANGE,
        ]
        .map(|f| u16::from(f.bits()) << 8);
        assert_eq!(bits, [0x0100, 0x0200, 0x0400, 0x0800, 0x1000, 0x2000]);
        assert_eq!(StatusFlags::all().bits(), 0x3F);
        // EnVR, bit 15 and the LSB are not flags
        assert_eq!(
            Status::decode(0xC0FF),
            Status {
                flags: StatusFlags::empty(),
                voltage_reset_alert: true
            }
        );
        assert_eq!(Status::decode(0x3F00).flags, StatusFlags::all());
        assert_eq!(Register::Mode.address(), 0x06);
        assert_eq!(Register::Status.address(), 0x1A);
        extern crate std;
        use std::string::ToString;
        assert_eq!(
            Error::<()>::InvalidReading(Register::Status).to_string(),
            "MAX1704x STATUS read 0xFFFF (no battery or bus glitch)"
        );
        assert_eq!(Register::Mode.to_string(), "MODE");
    }

    #[test]
    fn variants_and_commands() {
        assert_eq!(Variant::Max17043.vcell_step_uv(), 1250);
        assert_eq!(Variant::Max17044.vcell_step_uv(), 2500);
        assert_eq!(PorCommand::default().value(), 0x0054);
        assert_eq!(PorCommand::Legacy.value(), 0x5400);
        assert_eq!(Register::Config.address(), 0x0C);
    }
}
