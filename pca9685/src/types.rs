//! What the user passes in and gets back: addresses, channels, settings, configuration enums, errors.

use crate::register;

/// Millihertz, for frequencies that are not whole hertz (a PWM period is rarely a whole number of them).
pub type MillihertzU32 = fugit::Rate<u32, 1, 1000>;

/// The chip's 7-bit I2C address.
///
/// A PCA9685 answers `0x40 | A5..A0` (0x40–0x7F). [`Address::raw`] also accepts an all-call or sub-call address,
/// so that one driver can talk to a group of chips at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Address(u8);

impl Address {
    /// The address with every address pin tied low: 0x40.
    pub const DEFAULT: Self = Self(0x40);

    /// The address from the levels of pins A5..A0 (`true` = tied high).
    pub const fn from_pins(a5: bool, a4: bool, a3: bool, a2: bool, a1: bool, a0: bool) -> Self {
        Self(0x40 | (a5 as u8) << 5 | (a4 as u8) << 4 | (a3 as u8) << 3 | (a2 as u8) << 2 | (a1 as u8) << 1 | a0 as u8)
    }

    /// A raw 7-bit address (0x01–0x7F). 0x00 is the general-call address and is rejected.
    pub const fn raw(address: u8) -> Result<Self, InvalidAddress> {
        if address == 0 || address > 0x7F {
            Err(InvalidAddress(address))
        } else {
            Ok(Self(address))
        }
    }

    /// The 7-bit address.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for Address {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The same check as [`Address::raw`]: `Address::try_from(0x41)`.
impl TryFrom<u8> for Address {
    type Error = InvalidAddress;

    fn try_from(address: u8) -> Result<Self, InvalidAddress> {
        Self::raw(address)
    }
}

/// An address outside 0x01–0x7F was given to [`Address::raw`] or [`Address::try_from`]. `?` turns it into
/// [`Error::Argument`]`(`[`ArgumentError::InvalidAddress`]`)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct InvalidAddress(pub u8);

/// One of the 16 outputs, LED0..LED15.
///
/// Exhaustive on purpose: the chip has exactly 16 channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
#[repr(u8)]
pub enum Channel {
    C0 = 0,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C8,
    C9,
    C10,
    C11,
    C12,
    C13,
    C14,
    C15,
}

impl Channel {
    /// Every channel, in register order.
    pub const ALL: [Channel; 16] = [
        Channel::C0,
        Channel::C1,
        Channel::C2,
        Channel::C3,
        Channel::C4,
        Channel::C5,
        Channel::C6,
        Channel::C7,
        Channel::C8,
        Channel::C9,
        Channel::C10,
        Channel::C11,
        Channel::C12,
        Channel::C13,
        Channel::C14,
        Channel::C15,
    ];

    /// The channel with this index, or `None` above 15.
    pub fn new(index: u8) -> Option<Self> {
        Self::ALL.get(usize::from(index)).copied()
    }

    /// The channel's index, 0..=15.
    pub const fn index(self) -> u8 {
        self as u8
    }
}

/// What one output does, as held in its four LEDn registers.
///
/// Counts are 0..=4095 within a period of 4096 steps. The output turns on when the counter reaches `on` and off
/// when it reaches `off`; with `on > off` the pulse wraps into the next period.
///
/// Exhaustive on purpose: these are the three things the four registers can say (full off wins over full on, which
/// wins over the counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ChannelSetting {
    /// Permanently on (ON_H bit 4), switched on at count `delay` after a change. Clears full off in the same write.
    FullOn {
        /// The count at which the output turns on, 0..=4095.
        delay: u16,
    },
    /// Permanently off (OFF_H bit 4). Wins over full on.
    FullOff,
    /// A pulse from count `on` to count `off`. `on == off` is rejected: the chip's output is then undefined.
    Pwm {
        /// Turn-on count, 0..=4095.
        on: u16,
        /// Turn-off count, 0..=4095.
        off: u16,
    },
}

impl ChannelSetting {
    /// The setting for a duty cycle of `duty` / 4096 starting at count `phase`: 0 is full off, 4096 full on
    /// (delayed by `phase`), anything between a pulse of `duty` counts.
    pub fn from_duty(duty: u16, phase: u16) -> Result<Self, ArgumentError> {
        if phase > register::COUNT_MAX {
            return Err(ArgumentError::CountOutOfRange);
        }
        match duty {
            0 => Ok(Self::FullOff),
            4096 => Ok(Self::FullOn { delay: phase }),
            d if d < 4096 => Ok(Self::Pwm {
                on: phase,
                // both below 4096: the sum fits in u16, the mask wraps it into the period.
                off: (phase.wrapping_add(d)) & register::COUNT_MAX,
            }),
            _ => Err(ArgumentError::DutyOutOfRange),
        }
    }

    /// The duty cycle this setting produces, in 1/4096 of a period.
    pub fn duty(self) -> u16 {
        match self {
            Self::FullOn { .. } => 4096,
            Self::FullOff => 0,
            Self::Pwm { on, off } => off.wrapping_sub(on) & register::COUNT_MAX,
        }
    }

    /// The four register bytes ON_L, ON_H, OFF_L, OFF_H.
    pub fn encode(self) -> Result<[u8; 4], ArgumentError> {
        match self {
            Self::FullOn { delay } => {
                let [l, h] = checked_count(delay)?.to_le_bytes();
                Ok([l, h | register::FULL, 0, 0])
            }
            Self::FullOff => Ok([0, 0, 0, register::FULL]),
            Self::Pwm { on, off } => {
                if on == off {
                    return Err(ArgumentError::OnEqualsOff);
                }
                let [on_l, on_h] = checked_count(on)?.to_le_bytes();
                let [off_l, off_h] = checked_count(off)?.to_le_bytes();
                Ok([on_l, on_h, off_l, off_h])
            }
        }
    }

    /// Decodes the four register bytes, with the chip's precedence: full off wins over full on, which wins over
    /// the counts. Reserved bits are ignored. `on == off` (which the driver never writes) decodes as `FullOff`,
    /// which is what the output does.
    pub fn decode(bytes: [u8; 4]) -> Self {
        let [on_l, on_h, off_l, off_h] = bytes;
        let on = u16::from_le_bytes([on_l, on_h]) & register::COUNT_MAX;
        let off = u16::from_le_bytes([off_l, off_h]) & register::COUNT_MAX;
        if off_h & register::FULL != 0 || (on_h & register::FULL == 0 && on == off) {
            Self::FullOff
        } else if on_h & register::FULL != 0 {
            Self::FullOn { delay: on }
        } else {
            Self::Pwm { on, off }
        }
    }
}

fn checked_count(count: u16) -> Result<u16, ArgumentError> {
    if count > register::COUNT_MAX {
        Err(ArgumentError::CountOutOfRange)
    } else {
        Ok(count)
    }
}

/// The clock the PWM counter runs from.
///
/// Exhaustive on purpose: MODE1.EXTCLK chooses between the internal oscillator (nominal or measured) and the pin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Oscillator {
    /// The internal oscillator at its nominal 25 MHz. Real parts run at 23–27 MHz.
    Internal,
    /// The internal oscillator, at a frequency you measured (for accurate servo timing).
    Calibrated(fugit::HertzU32),
    /// A clock on the EXTCLK pin (at most 50 MHz). Once selected, it stays selected until a power cycle or a
    /// software reset.
    External(fugit::HertzU32),
}

impl Oscillator {
    /// The frequency the driver computes with.
    pub const fn frequency(self) -> fugit::HertzU32 {
        match self {
            Self::Internal => fugit::HertzU32::from_raw(register::INTERNAL_OSCILLATOR_HZ),
            Self::Calibrated(f) | Self::External(f) => f,
        }
    }
}

/// When a new channel setting reaches the outputs (MODE2.OCH).
///
/// Exhaustive on purpose: it mirrors a 1-bit register field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum OutputChange {
    /// At the I2C STOP: every register written in one transaction changes together (power-on default).
    #[default]
    OnStop,
    /// At the ACK of the last of a channel's four registers.
    OnAck,
}

/// How the outputs are driven (MODE2.OUTDRV).
///
/// Exhaustive on purpose: it mirrors a 1-bit register field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum OutputDriver {
    /// Push-pull (power-on default).
    #[default]
    TotemPole,
    /// Open drain: the output only sinks current.
    OpenDrain,
}

/// What the outputs do while the /OE pin is high (MODE2.OUTNE).
///
/// Exhaustive on purpose: it mirrors the 2-bit register field (whose values 0b10 and 0b11 both mean high
/// impedance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DisabledOutput {
    /// Outputs low (power-on default).
    #[default]
    Low,
    /// Outputs high with a totem-pole driver, high impedance with an open-drain one.
    HighOrHighImpedance,
    /// Outputs high impedance.
    HighImpedance,
}

/// One of the three sub-call addresses (SUBADR1..3).
///
/// Exhaustive on purpose: the chip has exactly three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SubAddress {
    /// SUBADR1, 0x71 from power-up.
    One,
    /// SUBADR2, 0x72 from power-up.
    Two,
    /// SUBADR3, 0x74 from power-up.
    Three,
}

impl SubAddress {
    pub(crate) const fn register(self) -> u8 {
        register::SUBADR1.wrapping_add(self as u8)
    }
    pub(crate) const fn enable_bit(self) -> u8 {
        register::MODE1_SUB1 >> self as u8
    }
}

/// The output stage (MODE2), as one value.
///
/// Exhaustive on purpose, so that you can build it with a struct literal (or `..Default::default()`); a new field
/// would come with a new major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OutputConfig {
    /// Invert the output logic (MODE2.INVRT): `true` suits LEDs wired from the supply to the output.
    pub invert: bool,
    /// When changes reach the outputs.
    pub change: OutputChange,
    /// Totem pole or open drain.
    pub driver: OutputDriver,
    /// The outputs' state while /OE is high.
    pub disabled: DisabledOutput,
}

impl OutputConfig {
    pub(crate) fn encode(self) -> u8 {
        let mut mode2 = match self.disabled {
            DisabledOutput::Low => 0b00,
            DisabledOutput::HighOrHighImpedance => 0b01,
            DisabledOutput::HighImpedance => 0b10,
        };
        if self.invert {
            mode2 |= register::MODE2_INVRT;
        }
        if self.change == OutputChange::OnAck {
            mode2 |= register::MODE2_OCH;
        }
        if self.driver == OutputDriver::TotemPole {
            mode2 |= register::MODE2_OUTDRV;
        }
        mode2
    }

    pub(crate) fn decode(mode2: u8) -> Self {
        Self {
            invert: mode2 & register::MODE2_INVRT != 0,
            change: if mode2 & register::MODE2_OCH != 0 {
                OutputChange::OnAck
            } else {
                OutputChange::OnStop
            },
            driver: if mode2 & register::MODE2_OUTDRV != 0 {
                OutputDriver::TotemPole
            } else {
                OutputDriver::OpenDrain
            },
            disabled: match mode2 & register::MODE2_OUTNE {
                0b00 => DisabledOutput::Low,
                0b01 => DisabledOutput::HighOrHighImpedance,
                _ => DisabledOutput::HighImpedance,
            },
        }
    }
}

/// MODE1 as read from the chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mode1(pub u8);

impl Mode1 {
    /// PWM was running when the chip was put to sleep; [`restart`](crate::Pca9685::restart) resumes it.
    pub const fn restart_pending(self) -> bool {
        self.0 & register::MODE1_RESTART != 0
    }
    /// The counter runs from the EXTCLK pin.
    pub const fn external_clock(self) -> bool {
        self.0 & register::MODE1_EXTCLK != 0
    }
    /// Register auto-increment is on.
    pub const fn auto_increment(self) -> bool {
        self.0 & register::MODE1_AI != 0
    }
    /// The oscillator is off.
    pub const fn sleeping(self) -> bool {
        self.0 & register::MODE1_SLEEP != 0
    }
    /// The chip answers this sub-call address.
    pub const fn sub_address_enabled(self, sub: SubAddress) -> bool {
        self.0 & sub.enable_bit() != 0
    }
    /// The chip answers the all-call address.
    pub const fn all_call_enabled(self) -> bool {
        self.0 & register::MODE1_ALLCALL != 0
    }
}

/// What was wrong with an argument.
///
/// `#[non_exhaustive]`: a new variant is not a breaking change, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ArgumentError {
    /// A count above 4095.
    CountOutOfRange,
    /// A duty cycle above 4096, or a duty fraction above 1 or with a zero denominator.
    DutyOutOfRange,
    /// A pulse with the same on and off count, which the chip does not define.
    OnEqualsOff,
    /// A frequency whose prescale falls outside 3..=255 at the configured oscillator.
    FrequencyOutOfRange,
    /// A prescale below 3.
    PrescaleOutOfRange,
    /// An external clock above 50 MHz, or a zero oscillator frequency.
    OscillatorOutOfRange,
    /// A pulse longer than the PWM period.
    PulseOutsidePeriod,
    /// A run of channels that goes past channel 15, or an empty one.
    ChannelRangeOutOfBounds,
    /// An I2C address outside 0x01–0x7F.
    InvalidAddress,
}

/// Everything that can go wrong, with the bus error `E`.
///
/// `#[non_exhaustive]`: a new variant is not a breaking change, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E> {
    /// The I2C bus reported an error (a NACK included: see [`Error::is_nack`]).
    Bus(E),
    /// An argument was out of range; nothing was sent.
    Argument(ArgumentError),
    /// The shared driver behind a channel handle was already borrowed (only possible from an interrupt that
    /// preempted another user of a `RefCell`-shared driver).
    Busy,
    /// The chip runs from its EXTCLK pin (MODE1.EXTCLK reads 1), but the driver's oscillator is `Internal` or
    /// `Calibrated`: nothing was written. EXTCLK is sticky: only a power cycle or
    /// [`software_reset`](crate::Pca9685::software_reset) returns the chip to its internal oscillator; or tell the
    /// driver the external frequency with `set_oscillator(Oscillator::External(f))`.
    ExternalClockLatched,
    /// The driver's oscillator is `External`, but the chip's MODE1.EXTCLK reads 0 (a power cycle, or a software
    /// reset the driver did not see complete): nothing was written. Call `set_oscillator` again.
    ExternalClockNotSet,
}

impl<E> From<ArgumentError> for Error<E> {
    fn from(e: ArgumentError) -> Self {
        Self::Argument(e)
    }
}

impl<E: embedded_hal::i2c::Error> Error<E> {
    /// The chip did not acknowledge (absent, wrong address, or a register it refuses).
    pub fn is_nack(&self) -> bool {
        matches!(self, Self::Bus(e) if matches!(e.kind(), embedded_hal::i2c::ErrorKind::NoAcknowledge(_)))
    }
}

impl core::fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::CountOutOfRange => "count above 4095",
            Self::DutyOutOfRange => "duty cycle above 4096, or a fraction above 1 or over zero",
            Self::OnEqualsOff => "on count equals off count",
            Self::FrequencyOutOfRange => "frequency needs a prescale outside 3..=255",
            Self::PrescaleOutOfRange => "prescale below 3",
            Self::OscillatorOutOfRange => "oscillator frequency zero or above 50 MHz",
            Self::PulseOutsidePeriod => "pulse longer than the PWM period",
            Self::ChannelRangeOutOfBounds => "channel range empty or past channel 15",
            Self::InvalidAddress => "I2C address outside 0x01..=0x7F",
        })
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bus(e) => write!(f, "PCA9685 bus error: {e:?}"),
            Self::Argument(e) => write!(f, "PCA9685 argument error: {e}"),
            Self::Busy => f.write_str("PCA9685 driver already borrowed"),
            Self::ExternalClockLatched => f.write_str("PCA9685 runs from EXTCLK, which only a reset clears"),
            Self::ExternalClockNotSet => f.write_str("PCA9685 does not run from EXTCLK (reset since it was set)"),
        }
    }
}

impl core::error::Error for ArgumentError {}
impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

impl core::fmt::Display for InvalidAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "I2C address {:#04x} outside 0x01..=0x7F", self.0)
    }
}
impl core::error::Error for InvalidAddress {}

impl<E> From<InvalidAddress> for Error<E> {
    fn from(_: InvalidAddress) -> Self {
        Self::Argument(ArgumentError::InvalidAddress)
    }
}
