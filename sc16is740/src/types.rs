//! What the user passes and gets back: addresses, variants, line formats, FIFO and flow-control settings,
//! status decodes, and `Error<E>`.

use fugit::HertzU32;

use crate::register as reg;

// ---- addressing --------------------------------------------------------------------------------------------

/// What an address pin (A1 or A0) is tied to: the chip decodes four levels per pin.
///
/// Exhaustive on purpose: it mirrors a closed register field (the four levels an address pin decodes), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AddressPin {
    /// Tied to VDD.
    Vdd,
    /// Tied to VSS (ground).
    Vss,
    /// Tied to SCL.
    Scl,
    /// Tied to SDA.
    Sda,
}

impl AddressPin {
    const fn code(self) -> u8 {
        match self {
            Self::Vdd => 0,
            Self::Vss => 1,
            Self::Scl => 2,
            Self::Sda => 3,
        }
    }
}

/// A 7-bit I2C address of the chip: 0x48..=0x57.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Address(u8);

impl Address {
    /// A1 = A0 = VDD: 0x48 (the datasheet's 8-bit 0x90).
    pub const DEFAULT: Self = Self(0x48);

    /// The address set by the A1 and A0 pins: 0x48 + 4·A1 + A0 with VDD = 0, VSS = 1, SCL = 2, SDA = 3.
    ///
    /// One report has the HVQFN package mis-decode A0/A1 tied to SCL/SDA; prefer VDD/VSS straps where you can.
    pub const fn from_pins(a1: AddressPin, a0: AddressPin) -> Self {
        // 0x48 + 4·A1 + A0 (at most 0x57: no wrap; an OR would collide with bit 3 of 0x48)
        Self(0x48u8.wrapping_add(a1.code() << 2).wrapping_add(a0.code()))
    }

    /// A raw 7-bit address, checked to be one the chip can answer (0x48..=0x57). The datasheet prints 8-bit
    /// (write) addresses: halve those first.
    pub const fn raw(address: u8) -> Result<Self, InvalidAddress> {
        if address >= 0x48 && address <= 0x57 {
            Ok(Self(address))
        } else {
            Err(InvalidAddress(address))
        }
    }

    /// The 7-bit address.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Address {
    type Error = InvalidAddress;

    /// The same as [`Address::raw`].
    fn try_from(address: u8) -> Result<Self, InvalidAddress> {
        Self::raw(address)
    }
}

impl Default for Address {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A raw I2C address outside 0x48..=0x57.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct InvalidAddress(pub u8);

/// A UART channel: A on every part, B on the dual-channel SC16IS752 / SC16IS762.
///
/// Exhaustive on purpose: it mirrors a closed register field (the channel bits of the sub-address), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Channel {
    /// Channel A (the only one of the SC16IS740 / 750 / 760).
    #[default]
    A,
    /// Channel B (SC16IS752 / SC16IS762).
    B,
}

impl Channel {
    pub(crate) const fn bits(self) -> u8 {
        match self {
            Self::A => 0,
            Self::B => 1,
        }
    }
}

// ---- variants ----------------------------------------------------------------------------------------------

/// The parts of the family, as types: the driver offers GPIO only on parts that have it and channel B only on
/// the dual parts, at compile time.
pub mod variant {
    mod sealed {
        pub trait Sealed {}
    }

    /// A part of the SC16IS7xx family.
    pub trait Variant: sealed::Sealed {
        /// The part's name.
        const NAME: &'static str;
        /// Whether the part has the 8 GPIOs (and the modem pins DTR, DSR, CD, RI on them).
        const GPIO: bool;
        /// Whether the part's IrDA reaches 1.152 Mbit/s (1/4-bit pulses): the SC16IS760 and SC16IS762 (NXP's
        /// fast-IrDA application note names those two; the 740, 750 and 752 stop at 115.2 kbit/s).
        const IRDA_FAST: bool;
    }

    /// A part with the 8 GPIOs (SC16IS750, SC16IS760, SC16IS752, SC16IS762).
    pub trait HasGpio: Variant {}

    /// A dual-channel part (SC16IS752, SC16IS762): channel B exists.
    pub trait DualChannel: Variant {}

    macro_rules! part {
        ($name:ident, $text:literal, gpio: $gpio:literal, irda_fast: $fast:literal) => {
            #[doc = concat!("The ", $text, ".")]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
            #[cfg_attr(feature = "defmt", derive(defmt::Format))]
            pub struct $name;
            impl sealed::Sealed for $name {}
            impl Variant for $name {
                const NAME: &'static str = $text;
                const GPIO: bool = $gpio;
                const IRDA_FAST: bool = $fast;
            }
        };
    }

    part!(Sc16is740, "SC16IS740 (one channel, no GPIO)", gpio: false, irda_fast: false);
    part!(Sc16is750, "SC16IS750 (one channel, 8 GPIOs)", gpio: true, irda_fast: false);
    part!(Sc16is760, "SC16IS760 (one channel, 8 GPIOs, 15 Mbit/s SPI, fast IrDA)", gpio: true, irda_fast: true);
    part!(Sc16is752, "SC16IS752 (two channels, 8 GPIOs)", gpio: true, irda_fast: false);
    part!(Sc16is762, "SC16IS762 (two channels, 8 GPIOs, fast IrDA)", gpio: true, irda_fast: true);

    impl HasGpio for Sc16is750 {}
    impl HasGpio for Sc16is760 {}
    impl HasGpio for Sc16is752 {}
    impl HasGpio for Sc16is762 {}
    impl DualChannel for Sc16is752 {}
    impl DualChannel for Sc16is762 {}
}

// ---- line format -------------------------------------------------------------------------------------------

/// Data bits per character.
///
/// Exhaustive on purpose: it mirrors a closed register field (LCR\[1:0\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DataBits {
    /// 5 bits.
    Five,
    /// 6 bits.
    Six,
    /// 7 bits (7E1, 7O1…).
    Seven,
    /// 8 bits.
    Eight,
}

/// Parity.
///
/// Exhaustive on purpose: it mirrors a closed register field (LCR\[5:3\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Parity {
    /// No parity bit.
    None,
    /// Odd parity.
    Odd,
    /// Even parity.
    Even,
    /// A parity bit always 1 ("mark").
    Forced1,
    /// A parity bit always 0 ("space").
    Forced0,
}

/// Stop bits.
///
/// Exhaustive on purpose: it mirrors a closed register field (LCR\[2\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StopBits {
    /// 1 stop bit.
    One,
    /// 1.5 stop bits: only with 5 data bits.
    OnePointFive,
    /// 2 stop bits: with 6, 7 or 8 data bits.
    Two,
}

/// A frame format: data bits, parity, stop bits (LCR\[5:0\]).
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LineFormat {
    /// Data bits.
    pub data_bits: DataBits,
    /// Parity.
    pub parity: Parity,
    /// Stop bits.
    pub stop_bits: StopBits,
}

impl LineFormat {
    /// 8 data bits, no parity, 1 stop bit (LCR 0x03).
    pub const F8N1: Self = Self::new(DataBits::Eight, Parity::None, StopBits::One);
    /// 8 data bits, no parity, 2 stop bits (LCR 0x07).
    pub const F8N2: Self = Self::new(DataBits::Eight, Parity::None, StopBits::Two);
    /// 8 data bits, even parity, 1 stop bit (LCR 0x1B).
    pub const F8E1: Self = Self::new(DataBits::Eight, Parity::Even, StopBits::One);
    /// 8 data bits, odd parity, 1 stop bit (LCR 0x0B).
    pub const F8O1: Self = Self::new(DataBits::Eight, Parity::Odd, StopBits::One);
    /// 7 data bits, even parity, 1 stop bit (LCR 0x1A).
    pub const F7E1: Self = Self::new(DataBits::Seven, Parity::Even, StopBits::One);
    /// 7 data bits, odd parity, 1 stop bit (LCR 0x0A).
    pub const F7O1: Self = Self::new(DataBits::Seven, Parity::Odd, StopBits::One);

    /// A format from its three parts (checked when it is applied: see [`encode`](Self::encode)).
    pub const fn new(data_bits: DataBits, parity: Parity, stop_bits: StopBits) -> Self {
        Self {
            data_bits,
            parity,
            stop_bits,
        }
    }

    /// LCR\[5:0\] for this format; 1.5 stop bits need 5 data bits and 2 stop bits need more than 5
    /// ([`ArgumentError::StopBits`]), since LCR\[2\] means one or the other by word length.
    pub const fn encode(self) -> Result<u8, ArgumentError> {
        let word = match self.data_bits {
            DataBits::Five => 0b00,
            DataBits::Six => 0b01,
            DataBits::Seven => 0b10,
            DataBits::Eight => 0b11,
        };
        let five = matches!(self.data_bits, DataBits::Five);
        let stop = match (self.stop_bits, five) {
            (StopBits::One, _) => 0,
            (StopBits::OnePointFive, true) | (StopBits::Two, false) => 1 << 2,
            _ => return Err(ArgumentError::StopBits),
        };
        let parity = match self.parity {
            Parity::None => 0b000,
            Parity::Odd => 0b001,
            Parity::Even => 0b011,
            Parity::Forced1 => 0b101,
            Parity::Forced0 => 0b111,
        };
        Ok(word | stop | (parity << 3))
    }

    /// The format LCR\[5:0\] describes (every bit pattern is a format).
    pub const fn decode(lcr: u8) -> Self {
        let data_bits = match lcr & 0b11 {
            0b00 => DataBits::Five,
            0b01 => DataBits::Six,
            0b10 => DataBits::Seven,
            _ => DataBits::Eight,
        };
        let stop_bits = match (lcr & (1 << 2) != 0, matches!(data_bits, DataBits::Five)) {
            (false, _) => StopBits::One,
            (true, true) => StopBits::OnePointFive,
            (true, false) => StopBits::Two,
        };
        let parity = match (lcr >> 3) & 0b111 {
            0b001 => Parity::Odd,
            0b011 => Parity::Even,
            0b101 => Parity::Forced1,
            0b111 => Parity::Forced0,
            _ => Parity::None,
        };
        Self {
            data_bits,
            parity,
            stop_bits,
        }
    }
}

impl Default for LineFormat {
    fn default() -> Self {
        Self::F8N1
    }
}

// ---- baud rate ---------------------------------------------------------------------------------------------

/// The clock prescaler (MCR\[7\]).
///
/// Exhaustive on purpose: it mirrors a closed register field (MCR\[7\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Prescaler {
    /// ÷1.
    Div1,
    /// ÷4.
    Div4,
}

impl Prescaler {
    /// The division factor.
    pub const fn factor(self) -> u32 {
        match self {
            Self::Div1 => 1,
            Self::Div4 => 4,
        }
    }
}

/// The highest crystal or external clock the driver accepts (the datasheet's external-clock limit at 3.3 V; at
/// 2.5 V it is lower, about 48 MHz, which the driver cannot know).
pub const MAX_CRYSTAL_HZ: u32 = 80_000_000;

/// A baud-rate setting: the divisor latch, the prescaler, and the rate they give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BaudRate {
    /// DLH:DLL, 1..=65535.
    pub divisor: u16,
    /// The clock prescaler.
    pub prescaler: Prescaler,
    /// The rate the chip runs at: crystal / (prescaler · 16 · divisor), rounded to the nearest hertz.
    pub actual: HertzU32,
    /// The error of `actual` against the request, in parts per million (absolute).
    pub error_ppm: u32,
}

impl BaudRate {
    /// The setting closest to `baud` from a `crystal`: the divisor is rounded to the nearest (lower error than
    /// the truncation other drivers use), ÷1 is preferred and ÷4 used when it is closer or ÷1 cannot reach (a
    /// divisor above 65535). A request no divisor reaches is [`ArgumentError::BaudRateUnreachable`]; one whose
    /// error exceeds `tolerance_ppm` is [`ArgumentError::BaudRateOutOfTolerance`].
    ///
    /// ```
    /// use sc16is740::{BaudRate, Prescaler};
    /// use fugit::RateExtU32;
    /// let b = BaudRate::compute(14_745_600.Hz(), 115_200.Hz(), 20_000).unwrap();
    /// assert_eq!((b.divisor, b.prescaler, b.actual.raw(), b.error_ppm), (8, Prescaler::Div1, 115_200, 0));
    /// ```
    pub fn compute(crystal: HertzU32, baud: HertzU32, tolerance_ppm: u32) -> Result<Self, ArgumentError> {
        let crystal = crystal.raw();
        let baud = baud.raw();
        if crystal == 0 || crystal > MAX_CRYSTAL_HZ {
            return Err(ArgumentError::Crystal);
        }
        if baud == 0 {
            return Err(ArgumentError::BaudRateUnreachable);
        }
        let candidate = |prescaler: Prescaler| -> Option<Self> {
            let clock = u64::from(crystal).checked_div(u64::from(prescaler.factor()))?;
            let step = u64::from(baud).checked_mul(16)?;
            // nearest divisor: (clock + step / 2) / step
            let divisor = clock.checked_add(step / 2)?.checked_div(step)?;
            let divisor = u16::try_from(divisor).ok().filter(|d| *d != 0)?;
            let denominator = step.checked_div(u64::from(baud))?.checked_mul(u64::from(divisor))?;
            let actual = clock.checked_add(denominator / 2)?.checked_div(denominator)?;
            let actual = u32::try_from(actual).ok()?;
            let difference = u64::from(actual.abs_diff(baud));
            let error = difference.checked_mul(1_000_000)?.checked_div(u64::from(baud))?;
            Some(Self {
                divisor,
                prescaler,
                actual: HertzU32::from_raw(actual),
                error_ppm: u32::try_from(error).unwrap_or(u32::MAX),
            })
        };
        let best = match (candidate(Prescaler::Div1), candidate(Prescaler::Div4)) {
            (Some(one), Some(four)) if four.error_ppm < one.error_ppm => four,
            (Some(one), _) => one,
            (None, Some(four)) => four,
            (None, None) => return Err(ArgumentError::BaudRateUnreachable),
        };
        if best.error_ppm > tolerance_ppm {
            return Err(ArgumentError::BaudRateOutOfTolerance);
        }
        Ok(best)
    }

    /// The rate a raw divisor and prescaler give from `crystal` (0 Hz for a zero divisor).
    pub fn from_divisor(crystal: HertzU32, divisor: u16, prescaler: Prescaler) -> HertzU32 {
        let denominator = u64::from(prescaler.factor())
            .saturating_mul(16)
            .saturating_mul(u64::from(divisor));
        let actual = u64::from(crystal.raw())
            .saturating_add(denominator / 2)
            .checked_div(denominator)
            .unwrap_or(0);
        HertzU32::from_raw(u32::try_from(actual).unwrap_or(u32::MAX))
    }
}

/// The default baud-rate tolerance: 2 % (20 000 ppm), within what two UARTs with the usual 16× sampling accept.
pub const DEFAULT_TOLERANCE_PPM: u32 = 20_000;

// ---- FIFOs -------------------------------------------------------------------------------------------------

/// The RX FIFO trigger level of FCR\[7:6\], in characters.
///
/// Exhaustive on purpose: it mirrors a closed register field (FCR\[7:6\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RxTrigger {
    /// 8 characters.
    #[default]
    Chars8,
    /// 16 characters.
    Chars16,
    /// 56 characters.
    Chars56,
    /// 60 characters.
    Chars60,
}

/// The TX FIFO trigger level of FCR\[5:4\], in free spaces (needs the enhanced functions, which the driver
/// enables itself).
///
/// Exhaustive on purpose: it mirrors a closed register field (FCR\[5:4\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TxTrigger {
    /// 8 spaces.
    #[default]
    Spaces8,
    /// 16 spaces.
    Spaces16,
    /// 32 spaces.
    Spaces32,
    /// 56 spaces.
    Spaces56,
}

/// The FIFO control register's settings (FCR is write-only: the driver keeps what it wrote).
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FifoConfig {
    /// FIFOs on (FCR\[0\]); off, the chip holds one character each way.
    pub enabled: bool,
    /// RX trigger level.
    pub rx_trigger: RxTrigger,
    /// TX trigger level.
    pub tx_trigger: TxTrigger,
}

impl Default for FifoConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            rx_trigger: RxTrigger::Chars8,
            tx_trigger: TxTrigger::Spaces8,
        }
    }
}

impl FifoConfig {
    /// FCR without the self-clearing reset bits.
    pub const fn encode(self) -> u8 {
        let rx = match self.rx_trigger {
            RxTrigger::Chars8 => 0,
            RxTrigger::Chars16 => 1,
            RxTrigger::Chars56 => 2,
            RxTrigger::Chars60 => 3,
        };
        let tx = match self.tx_trigger {
            TxTrigger::Spaces8 => 0,
            TxTrigger::Spaces16 => 1,
            TxTrigger::Spaces32 => 2,
            TxTrigger::Spaces56 => 3,
        };
        (rx << reg::fcr::RX_TRIGGER_SHIFT) | (tx << reg::fcr::TX_TRIGGER_SHIFT) | (self.enabled as u8)
    }

    /// The settings an FCR value holds.
    pub const fn decode(fcr: u8) -> Self {
        Self {
            enabled: fcr & reg::fcr::FIFO_ENABLE != 0,
            rx_trigger: match (fcr >> reg::fcr::RX_TRIGGER_SHIFT) & 3 {
                0 => RxTrigger::Chars8,
                1 => RxTrigger::Chars16,
                2 => RxTrigger::Chars56,
                _ => RxTrigger::Chars60,
            },
            tx_trigger: match (fcr >> reg::fcr::TX_TRIGGER_SHIFT) & 3 {
                0 => TxTrigger::Spaces8,
                1 => TxTrigger::Spaces16,
                2 => TxTrigger::Spaces32,
                _ => TxTrigger::Spaces56,
            },
        }
    }
}

/// Encodes a FIFO level in steps of 4 (TCR and TLR nibbles): rounds down, `max` 60, returns (nibble, applied).
pub(crate) const fn level_nibble(level: u8) -> Result<(u8, u8), ArgumentError> {
    if level > 60 {
        return Err(ArgumentError::FifoLevel);
    }
    Ok((level >> 2, level & !3))
}

/// Fine trigger levels (TLR), in characters (RX) and spaces (TX), in steps of 4 up to 60; 0 leaves that
/// direction to the coarse FCR level. A level between steps rounds down to the step below.
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TriggerLevels {
    /// RX trigger in characters (0 = FCR's).
    pub rx: u8,
    /// TX trigger in free spaces (0 = FCR's).
    pub tx: u8,
}

impl TriggerLevels {
    /// TLR and the levels applied (rounded down to a multiple of 4); 1..=3 would round to 0, which means
    /// something else ("use FCR's level"), so it is [`ArgumentError::FifoLevel`] like a level above 60.
    pub const fn encode(self) -> Result<(u8, Self), ArgumentError> {
        if matches!(self.rx, 1..=3) || matches!(self.tx, 1..=3) {
            return Err(ArgumentError::FifoLevel);
        }
        let (rx, rx_applied) = match level_nibble(self.rx) {
            Ok(v) => v,
            Err(e) => return Err(e),
        };
        let (tx, tx_applied) = match level_nibble(self.tx) {
            Ok(v) => v,
            Err(e) => return Err(e),
        };
        Ok((
            (rx << 4) | tx,
            Self {
                rx: rx_applied,
                tx: tx_applied,
            },
        ))
    }
}

/// Flow-control levels (TCR), RX FIFO characters in steps of 4 up to 60: at `halt` the chip stops the far end
/// (auto-RTS deasserts RTS, or Xoff is sent); at `resume` it lets it go on. `halt` must be above `resume`.
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FlowLevels {
    /// RX FIFO level that halts the far end.
    pub halt: u8,
    /// RX FIFO level that resumes it.
    pub resume: u8,
}

impl Default for FlowLevels {
    /// Halt at 48, resume at 24 (what Linux uses).
    fn default() -> Self {
        Self { halt: 48, resume: 24 }
    }
}

impl FlowLevels {
    /// TCR (resume in bits 7:4, halt in bits 3:0, both ÷4) and the levels applied (rounded down to a multiple
    /// of 4); [`ArgumentError::FlowLevels`] unless halt > resume after rounding.
    ///
    /// ```
    /// use sc16is740::FlowLevels;
    /// assert_eq!(FlowLevels { halt: 48, resume: 24 }.encode().unwrap().0, 0x6C);
    /// ```
    pub const fn encode(self) -> Result<(u8, Self), ArgumentError> {
        let (halt, halt_applied) = match level_nibble(self.halt) {
            Ok(v) => v,
            Err(_) => return Err(ArgumentError::FlowLevels),
        };
        let (resume, resume_applied) = match level_nibble(self.resume) {
            Ok(v) => v,
            Err(_) => return Err(ArgumentError::FlowLevels),
        };
        if halt <= resume {
            return Err(ArgumentError::FlowLevels);
        }
        Ok((
            (resume << 4) | halt,
            Self {
                halt: halt_applied,
                resume: resume_applied,
            },
        ))
    }
}

// ---- flow control ------------------------------------------------------------------------------------------

/// Hardware flow control (EFR\[7:6\] with the TCR levels).
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HardwareFlowControl {
    /// Auto-RTS: the chip deasserts RTS at the halt level and asserts it again at the resume level.
    pub auto_rts: bool,
    /// Auto-CTS: transmission pauses while CTS is inactive (high).
    pub auto_cts: bool,
    /// The RX FIFO levels for auto-RTS.
    pub levels: FlowLevels,
}

/// Which Xon/Xoff characters the transmitter sends (EFR\[3:2\]).
///
/// Exhaustive on purpose: it mirrors a closed register field (EFR\[3:2\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SoftwareFlowTx {
    /// None.
    #[default]
    None,
    /// Xon1 / Xoff1.
    Xon1Xoff1,
    /// Xon2 / Xoff2.
    Xon2Xoff2,
    /// The two-character sequences Xon1+Xon2 / Xoff1+Xoff2.
    Both,
}

/// Which Xon/Xoff characters the receiver acts on (EFR\[1:0\]).
///
/// Exhaustive on purpose: it mirrors a closed register field (EFR\[1:0\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SoftwareFlowRx {
    /// None.
    #[default]
    None,
    /// Xon1 / Xoff1.
    Xon1Xoff1,
    /// Xon2 / Xoff2.
    Xon2Xoff2,
    /// Both: the sequences Xon1+Xon2 / Xoff1+Xoff2 when the transmitter sends both or none, either character
    /// when the transmitter sends one pair (the chip's table).
    Both,
}

/// Software (Xon/Xoff) flow control.
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SoftwareFlowControl {
    /// What the transmitter sends.
    pub transmit: SoftwareFlowTx,
    /// What the receiver acts on.
    pub receive: SoftwareFlowRx,
    /// Xon character 1 (usually DC1, 0x11).
    pub xon1: u8,
    /// Xon character 2.
    pub xon2: u8,
    /// Xoff character 1 (usually DC3, 0x13).
    pub xoff1: u8,
    /// Xoff character 2.
    pub xoff2: u8,
    /// Xon Any: after an Xoff, any received character resumes transmission (MCR\[5\]).
    pub xon_any: bool,
    /// The RX FIFO levels at which Xoff and Xon are sent.
    pub levels: FlowLevels,
}

impl Default for SoftwareFlowControl {
    /// DC1/DC3 as Xon1/Xoff1 both ways, levels 48/24.
    fn default() -> Self {
        Self {
            transmit: SoftwareFlowTx::Xon1Xoff1,
            receive: SoftwareFlowRx::Xon1Xoff1,
            xon1: 0x11,
            xon2: 0x11,
            xoff1: 0x13,
            xoff2: 0x13,
            xon_any: false,
            levels: FlowLevels::default(),
        }
    }
}

impl SoftwareFlowControl {
    /// EFR\[3:0\].
    pub const fn efr_bits(&self) -> u8 {
        let tx = match self.transmit {
            SoftwareFlowTx::None => 0b00,
            SoftwareFlowTx::Xon1Xoff1 => 0b10,
            SoftwareFlowTx::Xon2Xoff2 => 0b01,
            SoftwareFlowTx::Both => 0b11,
        };
        let rx = match self.receive {
            SoftwareFlowRx::None => 0b00,
            SoftwareFlowRx::Xon1Xoff1 => 0b10,
            SoftwareFlowRx::Xon2Xoff2 => 0b01,
            SoftwareFlowRx::Both => 0b11,
        };
        (tx << 2) | rx
    }
}

/// RS-485 half-duplex settings (EFCR, and the address character in XOFF2).
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Rs485 {
    /// The transmitter drives RTS as the transceiver's direction line (EFCR\[4\]).
    pub auto_direction: bool,
    /// RTS high while transmitting instead of low (EFCR\[5\]).
    pub invert_rts: bool,
    /// 9-bit multidrop mode (EFCR\[0\]).
    pub multidrop: bool,
    /// Automatic address detection in multidrop mode: the address is written to XOFF2 and special-character
    /// detection (EFR\[5\]) is turned on.
    pub address: Option<u8>,
}

/// IrDA mode (MCR\[6\], EFCR\[7\]).
///
/// Exhaustive on purpose: it mirrors a closed register field (MCR\[6\] with EFCR\[7\]), so a `match` needs no `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum IrdaMode {
    /// Plain UART.
    #[default]
    Off,
    /// IrDA SIR, 3/16-bit pulses, up to 115.2 kbit/s.
    Standard,
    /// IrDA with 1/4-bit pulses up to 1.152 Mbit/s (SC16IS760 and 762; refused on the 740, 750 and 752).
    Fast,
}

/// How [`try_read`](crate::Sc16is7xx::try_read) (and the read traits) look for line errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ReceiveCheck {
    /// Read LSR first (one more 1 + 1 write-read per read): overrun, parity, framing and break are reported as
    /// [`Error::Line`], the good bytes before a bad one are returned first, and an empty FIFO costs only that
    /// one read.
    #[default]
    LineStatus,
    /// RXLVL and the burst only (the fewest bytes): line errors go unseen unless you read
    /// [`line_status`](crate::Sc16is7xx::line_status) or enable the line-status interrupt yourself.
    Unchecked,
}

/// Everything [`init`](crate::Sc16is7xx::init) programs.
///
/// Exhaustive on purpose: you build it with a struct literal (`..Default::default()` for the rest); a new field
/// would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// The baud rate.
    pub baud: HertzU32,
    /// The largest baud-rate error accepted, in ppm.
    pub tolerance_ppm: u32,
    /// The frame format.
    pub format: LineFormat,
    /// The FIFOs.
    pub fifo: FifoConfig,
    /// How reads look for line errors.
    pub receive_check: ReceiveCheck,
}

impl Config {
    /// `baud`, 8N1, FIFOs on, 2 % tolerance, line errors checked.
    pub const fn new(baud: HertzU32) -> Self {
        Self {
            baud,
            tolerance_ppm: DEFAULT_TOLERANCE_PPM,
            format: LineFormat::F8N1,
            fifo: FifoConfig {
                enabled: true,
                rx_trigger: RxTrigger::Chars8,
                tx_trigger: TxTrigger::Spaces8,
            },
            receive_check: ReceiveCheck::LineStatus,
        }
    }

    /// The same with another frame format.
    pub const fn format(mut self, format: LineFormat) -> Self {
        self.format = format;
        self
    }
}

impl Default for Config {
    /// 115 200 baud 8N1.
    fn default() -> Self {
        Self::new(HertzU32::from_raw(115_200))
    }
}

// ---- status ------------------------------------------------------------------------------------------------

bitflags::bitflags! {
    /// Interrupt enables (IER\[7:5\] and IER\[3:0\]): a `bitflags` set (`|`, `&`, `!`, `contains`, `iter`;
    /// `Interrupts::empty()` for none). IER\[4\] is sleep mode (`set_sleep`), not an interrupt: it is not a flag
    /// here, and `from_bits_truncate` drops it. The gated ones (`XOFF`, `RTS`, `CTS`) make the driver enable the
    /// enhanced functions first.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Interrupts: u8 {
        /// RX data at the trigger level, and RX time-out (IER\[0\]).
        const RX_DATA = reg::ier::RHR;
        /// TX FIFO at its trigger level (IER\[1\]).
        const TX_READY = reg::ier::THR;
        /// Receiver line status: overrun, parity, framing, break (IER\[2\]).
        const LINE_STATUS = reg::ier::LINE_STATUS;
        /// Modem status change (IER\[3\]).
        const MODEM_STATUS = reg::ier::MODEM_STATUS;
        /// Xoff or special character received (IER\[5\]).
        const XOFF = reg::ier::XOFF;
        /// RTS went inactive (IER\[6\]).
        const RTS = reg::ier::RTS;
        /// CTS went inactive (IER\[7\]).
        const CTS = reg::ier::CTS;
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Interrupts {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Interrupts({=u8:#04x})", self.bits());
    }
}

/// What IIR says is pending, highest priority first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum InterruptSource {
    /// A receiver line error (read [`line_status`](crate::Sc16is7xx::line_status) or the data).
    LineStatus,
    /// Characters waited below the trigger level for 4 character times. With an empty FIFO this is the
    /// silicon erratum, which [`pending_interrupt`](crate::Sc16is7xx::pending_interrupt) has already cleared.
    RxTimeout,
    /// The RX FIFO reached its trigger level.
    RxData,
    /// The TX FIFO has room at its trigger level (cleared by this IIR read).
    TxReady,
    /// A modem input changed (read [`modem_status`](crate::Sc16is7xx::modem_status)).
    ModemStatus,
    /// A GPIO input with its interrupt enabled changed (read the GPIO levels to clear it).
    Gpio,
    /// Xoff or the special character was received.
    Xoff,
    /// CTS or RTS went inactive.
    CtsRts,
    /// A source code the datasheet does not list (IIR\[5:0\]).
    Unknown(u8),
}

impl InterruptSource {
    /// The source an IIR value reports, `None` when nothing is pending.
    pub const fn decode(iir: u8) -> Option<Self> {
        if iir & reg::iir::NONE_PENDING != 0 {
            return None;
        }
        Some(match iir & reg::iir::SOURCE {
            reg::iir::LINE_STATUS => Self::LineStatus,
            reg::iir::RX_TIMEOUT => Self::RxTimeout,
            reg::iir::RHR => Self::RxData,
            reg::iir::THR => Self::TxReady,
            reg::iir::MODEM_STATUS => Self::ModemStatus,
            reg::iir::GPIO => Self::Gpio,
            reg::iir::XOFF => Self::Xoff,
            reg::iir::CTS_RTS => Self::CtsRts,
            other => Self::Unknown(other),
        })
    }
}

/// The line status register (LSR). Reading it clears the overrun flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LineStatus(pub u8);

impl LineStatus {
    /// At least one character waits in the RX FIFO.
    pub const fn data_ready(self) -> bool {
        self.0 & reg::lsr::DATA_READY != 0
    }
    /// A character was lost: it arrived with the RX FIFO full.
    pub const fn overrun(self) -> bool {
        self.0 & reg::lsr::OVERRUN != 0
    }
    /// The next character to read has a parity error.
    pub const fn parity_error(self) -> bool {
        self.0 & reg::lsr::PARITY != 0
    }
    /// The next character to read has a framing error.
    pub const fn framing_error(self) -> bool {
        self.0 & reg::lsr::FRAMING != 0
    }
    /// The next character to read is a break (0x00).
    pub const fn break_received(self) -> bool {
        self.0 & reg::lsr::BREAK != 0
    }
    /// The TX FIFO is empty (the last byte may still be shifting out).
    pub const fn tx_fifo_empty(self) -> bool {
        self.0 & reg::lsr::THR_EMPTY != 0
    }
    /// The transmitter is idle: FIFO and shift register empty.
    pub const fn transmitter_idle(self) -> bool {
        self.0 & reg::lsr::TX_EMPTY != 0
    }
    /// Some character in the RX FIFO has a parity, framing or break error.
    pub const fn fifo_error(self) -> bool {
        self.0 & reg::lsr::FIFO_ERROR != 0
    }
}

/// The modem status register (MSR): input states (true = the line is active, i.e. the pin is low) and which
/// changed since the last read (reading clears the deltas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ModemStatus(pub u8);

impl ModemStatus {
    /// CTS active.
    pub const fn cts(self) -> bool {
        self.0 & reg::msr::CTS != 0
    }
    /// DSR active (GPIO parts with modem pins on).
    pub const fn dsr(self) -> bool {
        self.0 & reg::msr::DSR != 0
    }
    /// RI active (GPIO parts with modem pins on).
    pub const fn ri(self) -> bool {
        self.0 & reg::msr::RI != 0
    }
    /// CD active (GPIO parts with modem pins on).
    pub const fn cd(self) -> bool {
        self.0 & reg::msr::CD != 0
    }
    /// CTS changed.
    pub const fn cts_changed(self) -> bool {
        self.0 & reg::msr::DELTA_CTS != 0
    }
    /// DSR changed.
    pub const fn dsr_changed(self) -> bool {
        self.0 & reg::msr::DELTA_DSR != 0
    }
    /// RI went inactive.
    pub const fn ri_trailing_edge(self) -> bool {
        self.0 & reg::msr::DELTA_RI != 0
    }
    /// CD changed.
    pub const fn cd_changed(self) -> bool {
        self.0 & reg::msr::DELTA_CD != 0
    }
}

/// A line error on received data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum LineError {
    /// Characters were lost: they arrived while the RX FIFO was full. The bytes in the FIFO were good and
    /// were returned before this error.
    Overrun,
    /// A character with a parity error, taken out of the FIFO.
    Parity(u8),
    /// A character with a framing error (wrong baud rate or format on the far end), taken out of the FIFO.
    Framing(u8),
    /// A break (the line held low for a whole character), taken out of the FIFO.
    Break,
}

impl LineError {
    /// The error the LSR flags of the top character describe, with that character.
    pub(crate) const fn from_lsr(lsr: u8, byte: u8) -> Option<Self> {
        if lsr & reg::lsr::BREAK != 0 {
            Some(Self::Break)
        } else if lsr & reg::lsr::FRAMING != 0 {
            Some(Self::Framing(byte))
        } else if lsr & reg::lsr::PARITY != 0 {
            Some(Self::Parity(byte))
        } else {
            None
        }
    }
}

/// A GPIO number, 0..=7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct GpioPin(u8);

impl GpioPin {
    /// GPIO `n`, or [`ArgumentError::GpioPin`] above 7.
    pub const fn new(n: u8) -> Result<Self, ArgumentError> {
        if n < 8 {
            Ok(Self(n))
        } else {
            Err(ArgumentError::GpioPin)
        }
    }
    /// The pin number.
    pub const fn get(self) -> u8 {
        self.0
    }
    /// The pin's bit in the GPIO registers.
    pub const fn mask(self) -> u8 {
        1 << (self.0 & 7)
    }
    /// GPIO 0..=7 in order.
    pub const ALL: [Self; 8] = [Self(0), Self(1), Self(2), Self(3), Self(4), Self(5), Self(6), Self(7)];
}

// ---- errors ------------------------------------------------------------------------------------------------

/// An argument the chip cannot take; nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ArgumentError {
    /// The crystal or clock is 0 Hz or above 80 MHz.
    Crystal,
    /// No divisor and prescaler reach the baud rate (0, above crystal / 16, or below crystal / (4 · 16 · 65535)).
    BaudRateUnreachable,
    /// The closest baud rate misses the request by more than the tolerance.
    BaudRateOutOfTolerance,
    /// 1.5 stop bits with more than 5 data bits, or 2 stop bits with 5.
    StopBits,
    /// A FIFO trigger level above 60, or 1..=3 (which would round to 0, "use FCR's level").
    FifoLevel,
    /// Flow-control levels with halt not above resume (after rounding to steps of 4), or above 60.
    FlowLevels,
    /// Fast IrDA on a part that only does 115.2 kbit/s (SC16IS740, 750, 752).
    IrdaFast,
    /// A GPIO number above 7.
    GpioPin,
    /// An I2C address outside 0x48..=0x57.
    InvalidAddress,
}

/// Everything a driver operation can fail with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E> {
    /// The bus reported an error (a NACK included).
    Bus(E),
    /// An argument was out of range; nothing was sent.
    Argument(ArgumentError),
    /// Received data had a line error; the good bytes before it were returned by earlier reads.
    Line(LineError),
    /// TXLVL or RXLVL read a value above 64, which the chip cannot hold (a bus glitch, or an SPI error
    /// turned into a byte).
    InvalidLevel(u8),
    /// The scratch-pad test read back something else than was written: no chip, or not this one.
    NoDevice,
    /// Something only the driver can know is missing: the write-only FCR has not been written yet (call
    /// [`init`](crate::Sc16is7xx::init) or [`set_fifo`](crate::Sc16is7xx::set_fifo) first), or the chip was
    /// found holding the LCR = 0xBF key, which carries no frame format (call `init` or
    /// [`software_reset`](crate::Sc16is7xx::software_reset)).
    NotConfigured,
    /// The shared driver behind a GPIO pin was already borrowed.
    Busy,
    /// The IRQ pin reported an error.
    IrqPin(embedded_hal::digital::ErrorKind),
    /// A wait ended at its deadline ([`set_timeout`](crate::Sc16is7xx::set_timeout)): the transmitter held (auto-CTS,
    /// Xoff) or the line idle for that long, or a chip that always answers the same.
    Timeout,
    /// The transmitter is disabled (EFCR\[2\]): what waits in the TX FIFO never leaves; nothing was written.
    TransmitterDisabled,
    /// A software reset was not confirmed: after the wait LCR did not read back its reset value 0x1D. The chip
    /// may or may not have reset; the driver's cache is cleared.
    ResetFailed,
}

impl<E> From<ArgumentError> for Error<E> {
    fn from(e: ArgumentError) -> Self {
        Self::Argument(e)
    }
}

impl<E> From<InvalidAddress> for Error<E> {
    fn from(_: InvalidAddress) -> Self {
        Self::Argument(ArgumentError::InvalidAddress)
    }
}

impl<E: embedded_hal::i2c::Error> Error<E> {
    /// The chip did not acknowledge on I2C (absent, or the wrong address).
    pub fn is_nack(&self) -> bool {
        matches!(self, Self::Bus(e) if matches!(e.kind(), embedded_hal::i2c::ErrorKind::NoAcknowledge(_)))
    }
}

impl core::fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Crystal => "crystal frequency zero or above 80 MHz",
            Self::BaudRateUnreachable => "no divisor reaches the baud rate",
            Self::BaudRateOutOfTolerance => "closest baud rate outside the tolerance",
            Self::StopBits => "1.5 stop bits need 5 data bits, 2 stop bits need more",
            Self::FifoLevel => "FIFO trigger level above 60, or 1 to 3",
            Self::FlowLevels => "flow-control halt level not above the resume level, or above 60",
            Self::IrdaFast => "fast IrDA on a part limited to 115.2 kbit/s",
            Self::GpioPin => "GPIO number above 7",
            Self::InvalidAddress => "I2C address outside 0x48..=0x57",
        })
    }
}

impl core::fmt::Display for LineError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Overrun => f.write_str("RX overrun: characters lost"),
            Self::Parity(b) => write!(f, "parity error on {b:#04x}"),
            Self::Framing(b) => write!(f, "framing error on {b:#04x}"),
            Self::Break => f.write_str("break received"),
        }
    }
}

impl core::fmt::Display for InvalidAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "I2C address {:#04x} outside 0x48..=0x57", self.0)
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bus(e) => write!(f, "SC16IS7xx bus error: {e:?}"),
            Self::Argument(e) => write!(f, "SC16IS7xx argument error: {e}"),
            Self::Line(e) => write!(f, "SC16IS7xx line error: {e}"),
            Self::InvalidLevel(v) => write!(f, "SC16IS7xx FIFO level {v} above 64"),
            Self::NoDevice => f.write_str("SC16IS7xx scratch-pad test failed: no chip"),
            Self::NotConfigured => f.write_str("SC16IS7xx not configured yet (FIFO control, or LCR left at 0xBF)"),
            Self::Busy => f.write_str("SC16IS7xx driver already borrowed"),
            Self::IrqPin(kind) => write!(f, "SC16IS7xx IRQ pin error: {kind:?}"),
            Self::Timeout => f.write_str("SC16IS7xx wait ended at its deadline"),
            Self::TransmitterDisabled => f.write_str("SC16IS7xx transmitter disabled"),
            Self::ResetFailed => f.write_str("SC16IS7xx software reset not confirmed"),
        }
    }
}

impl core::error::Error for ArgumentError {}
impl core::error::Error for LineError {}
impl core::error::Error for InvalidAddress {}
impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

impl<E: core::fmt::Debug> embedded_io::Error for Error<E> {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            Self::Argument(_) => embedded_io::ErrorKind::InvalidInput,
            Self::Line(_) | Self::InvalidLevel(_) => embedded_io::ErrorKind::InvalidData,
            Self::NoDevice => embedded_io::ErrorKind::NotFound,
            Self::Timeout => embedded_io::ErrorKind::TimedOut,
            Self::TransmitterDisabled => embedded_io::ErrorKind::NotConnected,
            _ => embedded_io::ErrorKind::Other,
        }
    }
}

impl<E: core::fmt::Debug> embedded_hal_nb::serial::Error for Error<E> {
    fn kind(&self) -> embedded_hal_nb::serial::ErrorKind {
        use embedded_hal_nb::serial::ErrorKind;
        match self {
            Self::Line(LineError::Overrun) => ErrorKind::Overrun,
            Self::Line(LineError::Parity(_)) => ErrorKind::Parity,
            Self::Line(LineError::Framing(_) | LineError::Break) => ErrorKind::FrameFormat,
            _ => ErrorKind::Other,
        }
    }
}

impl<E: core::fmt::Debug> embedded_hal::digital::Error for Error<E> {
    fn kind(&self) -> embedded_hal::digital::ErrorKind {
        embedded_hal::digital::ErrorKind::Other
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use fugit::RateExtU32;

    #[test]
    fn lcr_values_match_the_sheet() {
        assert_eq!(LineFormat::F8N1.encode(), Ok(0x03));
        assert_eq!(LineFormat::F8E1.encode(), Ok(0x1B));
        assert_eq!(LineFormat::F8O1.encode(), Ok(0x0B));
        assert_eq!(LineFormat::F8N2.encode(), Ok(0x07));
        assert_eq!(LineFormat::F7E1.encode(), Ok(0x1A));
        let reset = LineFormat::decode(reg::LCR_RESET);
        assert_eq!(reset, LineFormat::new(DataBits::Six, Parity::Even, StopBits::Two));
        let f = LineFormat::new(DataBits::Five, Parity::Forced1, StopBits::OnePointFive);
        assert_eq!(f.encode(), Ok(0x2C));
        assert_eq!(
            LineFormat::new(DataBits::Eight, Parity::Forced0, StopBits::One).encode(),
            Ok(0x3B)
        );
        assert_eq!(
            LineFormat::new(DataBits::Five, Parity::None, StopBits::Two).encode(),
            Err(ArgumentError::StopBits)
        );
        assert_eq!(
            LineFormat::new(DataBits::Eight, Parity::None, StopBits::OnePointFive).encode(),
            Err(ArgumentError::StopBits)
        );
        for lcr in 0..0x40u8 {
            let format = LineFormat::decode(lcr);
            if let Ok(encoded) = format.encode() {
                // parity patterns xx0 all decode to None, which encodes as 000
                if lcr & 0x08 != 0 {
                    assert_eq!(encoded, lcr);
                }
            }
        }
    }

    /// The sheet's divisor table (section 4.1).
    #[test]
    fn divisors_match_the_sheet() {
        let table: &[(u32, u32, u16, Prescaler)] = &[
            (14_745_600, 9_600, 96, Prescaler::Div1),
            (14_745_600, 115_200, 8, Prescaler::Div1),
            (14_745_600, 921_600, 1, Prescaler::Div1),
            (14_745_600, 19_200, 48, Prescaler::Div1),
            (14_745_600, 38_400, 24, Prescaler::Div1),
            (14_745_600, 57_600, 16, Prescaler::Div1),
            (14_745_600, 230_400, 4, Prescaler::Div1),
            (14_745_600, 460_800, 2, Prescaler::Div1),
            (1_843_200, 9_600, 12, Prescaler::Div1),
            (1_843_200, 115_200, 1, Prescaler::Div1),
            (1_843_200, 19_200, 6, Prescaler::Div1),
            (1_843_200, 38_400, 3, Prescaler::Div1),
            (1_843_200, 57_600, 2, Prescaler::Div1),
            (3_072_000, 9_600, 20, Prescaler::Div1),
            (3_072_000, 19_200, 10, Prescaler::Div1),
            (3_072_000, 38_400, 5, Prescaler::Div1),
        ];
        for &(crystal, baud, divisor, prescaler) in table {
            let b = BaudRate::compute(crystal.Hz(), baud.Hz(), 0).unwrap();
            assert_eq!(
                (b.divisor, b.prescaler),
                (divisor, prescaler),
                "{crystal} Hz, {baud} baud"
            );
            assert_eq!(b.actual.raw(), baud);
        }
        let b = BaudRate::compute(24_000_000.Hz(), 115_200.Hz(), DEFAULT_TOLERANCE_PPM).unwrap();
        assert_eq!((b.divisor, b.actual.raw(), b.error_ppm), (13, 115_385, 1_605));
        let b = BaudRate::compute(24_000_000.Hz(), 9_600.Hz(), DEFAULT_TOLERANCE_PPM).unwrap();
        assert_eq!((b.divisor, b.error_ppm), (156, 1_562));
        // 57600 from 3.072 MHz is 11 % off; 921600 from 1.8432 MHz unreachable
        assert_eq!(
            BaudRate::compute(3_072_000.Hz(), 57_600.Hz(), DEFAULT_TOLERANCE_PPM),
            Err(ArgumentError::BaudRateOutOfTolerance)
        );
        assert_eq!(
            BaudRate::compute(1_843_200.Hz(), 921_600.Hz(), DEFAULT_TOLERANCE_PPM),
            Err(ArgumentError::BaudRateUnreachable)
        );
        // 50 baud from 14.7456 MHz needs 18432 at ÷1: fine; 10 baud needs ÷4 (92160 > 65535)
        let b = BaudRate::compute(14_745_600.Hz(), 10.Hz(), 0).unwrap();
        assert_eq!((b.divisor, b.prescaler), (23_040, Prescaler::Div4));
        assert_eq!(
            BaudRate::compute(14_745_600.Hz(), 1.Hz(), u32::MAX),
            Err(ArgumentError::BaudRateUnreachable)
        );
        assert_eq!(BaudRate::compute(0.Hz(), 9_600.Hz(), 0), Err(ArgumentError::Crystal));
        assert_eq!(
            BaudRate::compute(80_000_001.Hz(), 9_600.Hz(), 0),
            Err(ArgumentError::Crystal)
        );
        assert_eq!(
            BaudRate::compute(14_745_600.Hz(), 0.Hz(), 0),
            Err(ArgumentError::BaudRateUnreachable)
        );
        assert_eq!(
            BaudRate::compute(u32::MAX.Hz(), u32::MAX.Hz(), 0),
            Err(ArgumentError::Crystal)
        );
        assert_eq!(
            BaudRate::compute(80_000_000.Hz(), u32::MAX.Hz(), u32::MAX),
            Err(ArgumentError::BaudRateUnreachable)
        );
        assert_eq!(
            BaudRate::from_divisor(14_745_600.Hz(), 8, Prescaler::Div1).raw(),
            115_200
        );
        assert_eq!(BaudRate::from_divisor(14_745_600.Hz(), 0, Prescaler::Div4).raw(), 0);
    }

    #[test]
    fn levels_round_down_and_check() {
        assert_eq!(
            FlowLevels { halt: 48, resume: 24 }.encode(),
            Ok((0x6C, FlowLevels { halt: 48, resume: 24 }))
        );
        assert_eq!(
            FlowLevels { halt: 50, resume: 25 }.encode(),
            Ok((0x6C, FlowLevels { halt: 48, resume: 24 }))
        );
        assert_eq!(
            FlowLevels { halt: 24, resume: 24 }.encode(),
            Err(ArgumentError::FlowLevels)
        );
        assert_eq!(
            FlowLevels { halt: 26, resume: 24 }.encode(),
            Err(ArgumentError::FlowLevels)
        );
        assert_eq!(
            FlowLevels { halt: 64, resume: 24 }.encode(),
            Err(ArgumentError::FlowLevels)
        );
        assert_eq!(
            TriggerLevels { rx: 30, tx: 4 }.encode(),
            Ok((0x71, TriggerLevels { rx: 28, tx: 4 }))
        );
        assert_eq!(TriggerLevels { rx: 61, tx: 0 }.encode(), Err(ArgumentError::FifoLevel));
        assert_eq!(TriggerLevels { rx: 0, tx: 3 }.encode(), Err(ArgumentError::FifoLevel));
        assert_eq!(
            TriggerLevels { rx: 0, tx: 4 }.encode(),
            Ok((0x01, TriggerLevels { rx: 0, tx: 4 }))
        );
    }

    #[test]
    fn fcr_and_addresses() {
        let fifo = FifoConfig {
            enabled: true,
            rx_trigger: RxTrigger::Chars56,
            tx_trigger: TxTrigger::Spaces16,
        };
        assert_eq!(fifo.encode(), 0x91);
        assert_eq!(FifoConfig::decode(0x91), fifo);
        assert_eq!(Address::from_pins(AddressPin::Vdd, AddressPin::Vdd).get(), 0x48);
        assert_eq!(Address::from_pins(AddressPin::Vdd, AddressPin::Vss).get(), 0x49);
        assert_eq!(Address::from_pins(AddressPin::Vss, AddressPin::Vdd).get(), 0x4C);
        assert_eq!(Address::from_pins(AddressPin::Scl, AddressPin::Sda).get(), 0x53);
        assert_eq!(Address::from_pins(AddressPin::Scl, AddressPin::Vdd).get(), 0x50);
        assert_eq!(Address::from_pins(AddressPin::Sda, AddressPin::Vss).get(), 0x55);
        assert_eq!(Address::from_pins(AddressPin::Vss, AddressPin::Sda).get(), 0x4F);
        assert_eq!(Address::from_pins(AddressPin::Sda, AddressPin::Sda).get(), 0x57);
        assert_eq!(Address::raw(0x47), Err(InvalidAddress(0x47)));
        assert_eq!(Address::raw(0x58), Err(InvalidAddress(0x58)));
        assert_eq!(
            Address::try_from(0x4D),
            Ok(Address::from_pins(AddressPin::Vss, AddressPin::Vss))
        );
        assert_eq!(Address::try_from(0x20), Err(InvalidAddress(0x20)));
        // IER[4] is sleep mode, not an interrupt: it is not representable in `Interrupts`
        assert_eq!(Interrupts::from_bits(0x10), None);
        assert_eq!(Interrupts::from_bits_truncate(0xFF).bits(), 0xEF);
        assert_eq!((Interrupts::all() & !Interrupts::TX_READY).bits(), 0xED);
        assert_eq!(InterruptSource::decode(0x01), None);
        assert_eq!(InterruptSource::decode(0xCC), Some(InterruptSource::RxTimeout));
        assert_eq!(InterruptSource::decode(0xC6), Some(InterruptSource::LineStatus));
        assert_eq!(InterruptSource::decode(0x30), Some(InterruptSource::Gpio));
        assert_eq!(InterruptSource::decode(0x0E), Some(InterruptSource::Unknown(0x0E)));
    }
}
