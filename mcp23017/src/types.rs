//! What the user passes in and gets back: addresses, pins, pin sets, configuration, interrupt status, errors.

use crate::register as reg;

/// The MCP23017's 7-bit I2C address, 0x20–0x27 from pins A2..A0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Address(u8);

impl Address {
    /// A2..A0 tied low: 0x20.
    pub const DEFAULT: Self = Self(reg::I2C_BASE_ADDRESS);

    /// The address from the levels of A2, A1, A0 (`true` = tied high).
    pub const fn from_pins(a2: bool, a1: bool, a0: bool) -> Self {
        Self(reg::I2C_BASE_ADDRESS | (a2 as u8) << 2 | (a1 as u8) << 1 | a0 as u8)
    }

    /// A raw 7-bit address, which must be in 0x20..=0x27 (the same as `Address::try_from`).
    pub const fn raw(address: u8) -> Result<Self, InvalidAddress> {
        if address & !0x07 == reg::I2C_BASE_ADDRESS {
            Ok(Self(address))
        } else {
            Err(InvalidAddress(address))
        }
    }

    /// The 7-bit address.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// The MCP23018's address from the voltage on its ADDR pin: a 3-bit converter splits 0..VDD into eight
    /// equal bands, band n (n/8 to (n+1)/8 of VDD) giving 0x20 + n (ADDR at VSS: 0x20, at VDD: 0x27). `None` if
    /// `vdd_millivolts` is 0 or `addr_millivolts` above it.
    ///
    /// The chip samples ADDR once after power-up and keeps the address until the next power-on or RESET, so the
    /// voltage must be stable before the first bus access. A voltage near a band edge is read either way: design
    /// for the middle of a band ([`mcp23018_addr_millivolts`](Self::mcp23018_addr_millivolts)).
    ///
    /// ```
    /// use mcp23017::Address;
    /// assert_eq!(Address::from_mcp23018_addr_voltage(1031, 3300).map(Address::get), Some(0x22));
    /// assert_eq!(Address::from_mcp23018_addr_voltage(3300, 3300).map(Address::get), Some(0x27));
    /// ```
    pub fn from_mcp23018_addr_voltage(addr_millivolts: u32, vdd_millivolts: u32) -> Option<Self> {
        if addr_millivolts > vdd_millivolts {
            return None;
        }
        // addr ≤ vdd: the band is 0..=8 (8 only at addr = vdd, the top band's upper edge)
        let band = u64::from(addr_millivolts)
            .saturating_mul(8)
            .checked_div(u64::from(vdd_millivolts))?;
        let band = u8::try_from(band).map_or(7, |band| band.min(7));
        Some(Self(reg::I2C_BASE_ADDRESS | band))
    }

    /// The ADDR voltage to design for, for this address on an MCP23018 at `vdd_millivolts`: the middle of its
    /// band, (2n + 1)/16 of VDD for 0x20 + n, rounded (at 3.3 V: 206, 619, 1031, 1444, 1856, 2269, 2681,
    /// 3094 mV; a divider of R2 = 2n + 1 units to VSS and R1 = 15 − 2n units to VDD). Keep the divider's total
    /// error within the half band either side (about ±6 % of VDD).
    pub fn mcp23018_addr_millivolts(self, vdd_millivolts: u32) -> u32 {
        let odd = u64::from(self.0 & 0x07).saturating_mul(2).saturating_add(1);
        let sixteenths = odd.saturating_mul(u64::from(vdd_millivolts)).saturating_add(8);
        // at most 15/16 of a u32 (plus rounding): fits
        u32::try_from(sixteenths / 16).unwrap_or(u32::MAX)
    }
}

impl Default for Address {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u8> for Address {
    type Error = InvalidAddress;

    /// The 7-bit I2C address, which must be in 0x20..=0x27.
    fn try_from(address: u8) -> Result<Self, InvalidAddress> {
        Self::raw(address)
    }
}

impl From<Address> for u8 {
    fn from(address: Address) -> u8 {
        address.get()
    }
}

impl TryFrom<u8> for HardwareAddress {
    type Error = InvalidAddress;

    /// The MCP23S17 hardware address, which must be in 0..=7.
    fn try_from(address: u8) -> Result<Self, InvalidAddress> {
        Self::raw(address)
    }
}

/// An address the chip cannot have: an I2C address outside 0x20..=0x27 ([`Address`]) or an MCP23S17 hardware
/// address above 7 ([`HardwareAddress`]). Holds the refused value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct InvalidAddress(pub u8);

impl core::fmt::Display for InvalidAddress {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{:#04x} is not an MCP230xx address (I2C 0x20..=0x27, SPI hardware address 0..=7)",
            self.0
        )
    }
}

impl core::error::Error for InvalidAddress {}

/// The MCP23S17's hardware address, 0..=7 from pins A2..A0, sent in every SPI opcode.
///
/// The chip honours it only once IOCON.HAEN is set ([`Config::hardware_addressing`]); until then it answers
/// address 0, or, on Rev. A silicon with A2 tied high, address 4 (erratum DS80311A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HardwareAddress(u8);

impl HardwareAddress {
    /// The address from the levels of A2, A1, A0.
    pub const fn from_pins(a2: bool, a1: bool, a0: bool) -> Self {
        Self((a2 as u8) << 2 | (a1 as u8) << 1 | a0 as u8)
    }

    /// A raw address, which must be in 0..=7 (the same as `HardwareAddress::try_from`).
    pub const fn raw(address: u8) -> Result<Self, InvalidAddress> {
        if address <= 7 {
            Ok(Self(address))
        } else {
            Err(InvalidAddress(address))
        }
    }

    /// The address, 0..=7.
    pub const fn get(self) -> u8 {
        self.0
    }
}

/// One of the two 8-bit ports.
///
/// Exhaustive on purpose: the chip has two ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Port {
    /// GPA0..GPA7: the low byte of every 16-bit value, sent first.
    A,
    /// GPB0..GPB7: the high byte, sent second.
    B,
}

impl Port {
    /// 0 for A, 1 for B: the offset of port B's register in each BANK = 0 pair.
    pub const fn index(self) -> u8 {
        match self {
            Self::A => 0,
            Self::B => 1,
        }
    }

    /// The port's eight pins as a set.
    pub const fn pins(self) -> Pins {
        match self {
            Self::A => Pins::PORT_A,
            Self::B => Pins::PORT_B,
        }
    }
}

/// One of the 16 pins: `A0` = GPA0 … `B7` = GPB7.
///
/// Exhaustive on purpose: the chip has 16 pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(missing_docs)]
#[repr(u8)]
pub enum PinId {
    A0 = 0,
    A1,
    A2,
    A3,
    A4,
    A5,
    A6,
    A7,
    B0,
    B1,
    B2,
    B3,
    B4,
    B5,
    B6,
    B7,
}

impl PinId {
    /// Every pin, A0 first.
    pub const ALL: [PinId; 16] = [
        PinId::A0,
        PinId::A1,
        PinId::A2,
        PinId::A3,
        PinId::A4,
        PinId::A5,
        PinId::A6,
        PinId::A7,
        PinId::B0,
        PinId::B1,
        PinId::B2,
        PinId::B3,
        PinId::B4,
        PinId::B5,
        PinId::B6,
        PinId::B7,
    ];

    /// The pin with this index (0..=15; 8 = B0), or `None`.
    pub fn new(index: u8) -> Option<Self> {
        Self::ALL.get(usize::from(index)).copied()
    }

    /// The pin's index, 0..=15: its bit in every 16-bit value.
    pub const fn index(self) -> u8 {
        self as u8
    }

    /// The pin's port.
    pub const fn port(self) -> Port {
        if (self as u8) < 8 {
            Port::A
        } else {
            Port::B
        }
    }

    /// The pin alone, as a set.
    pub const fn mask(self) -> Pins {
        Pins::from_bits_retain(1 << (self as u8 & 0x0F))
    }

    /// GPA7 or GPB7, output-only on the MCP23017 (see [`ArgumentError::OutputOnlyPin`]).
    pub const fn is_output_only_on_mcp23017(self) -> bool {
        matches!(self, Self::A7 | Self::B7)
    }
}

bitflags::bitflags! {
    /// A set of pins, one bit each: bit n = pin n, port A in the low byte. Also used for the levels of pins
    /// (bit set = high).
    ///
    /// A `bitflags` set: `|`, `&`, `!`, `-`, `contains`, `insert`, `remove`, `iter` (each pin as a one-pin set),
    /// `from_bits_truncate`, `bits`. Every one of the 16 bits is a pin, so every `u16` is a valid set. A pin is
    /// also a [`PinId`] (`Pins::from(PinId::B0)` = `Pins::B0`); [`pin_ids`](Self::pin_ids) iterates them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Pins: u16 {
        /// GPA0.
        const A0 = 1 << 0;
        /// GPA1.
        const A1 = 1 << 1;
        /// GPA2.
        const A2 = 1 << 2;
        /// GPA3.
        const A3 = 1 << 3;
        /// GPA4.
        const A4 = 1 << 4;
        /// GPA5.
        const A5 = 1 << 5;
        /// GPA6.
        const A6 = 1 << 6;
        /// GPA7 (output-only on the MCP23017).
        const A7 = 1 << 7;
        /// GPB0.
        const B0 = 1 << 8;
        /// GPB1.
        const B1 = 1 << 9;
        /// GPB2.
        const B2 = 1 << 10;
        /// GPB3.
        const B3 = 1 << 11;
        /// GPB4.
        const B4 = 1 << 12;
        /// GPB5.
        const B5 = 1 << 13;
        /// GPB6.
        const B6 = 1 << 14;
        /// GPB7 (output-only on the MCP23017).
        const B7 = 1 << 15;
        /// GPA0..GPA7.
        const PORT_A = 0x00FF;
        /// GPB0..GPB7.
        const PORT_B = 0xFF00;
        /// GPA7 and GPB7, output-only on the MCP23017.
        const GPX7 = reg::GPX7;
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Pins {
    fn format(&self, f: defmt::Formatter) {
        defmt::write!(f, "Pins({=u16:#06x})", self.bits());
    }
}

impl Pins {
    /// No pin (`Pins::empty()`).
    pub const NONE: Self = Self::empty();
    /// All 16 pins (`Pins::all()`).
    pub const ALL: Self = Self::all();

    /// The set from the byte of one port (bit n = pin n of that port).
    pub const fn from_port(port: Port, byte: u8) -> Self {
        match port {
            Port::A => Self::from_bits_retain(byte as u16),
            Port::B => Self::from_bits_retain((byte as u16) << 8),
        }
    }

    /// The byte of one port.
    pub const fn port(self, port: Port) -> u8 {
        let [a, b] = self.bits().to_le_bytes();
        match port {
            Port::A => a,
            Port::B => b,
        }
    }

    /// Whether `pin` is in the set (or, for levels, high).
    pub const fn contains_pin(self, pin: PinId) -> bool {
        self.bits() & pin.mask().bits() != 0
    }

    /// The set with `pin` added (`true`) or removed (`false`).
    pub const fn with(self, pin: PinId, set: bool) -> Self {
        if set {
            self.union(pin.mask())
        } else {
            self.difference(pin.mask())
        }
    }

    /// The pins of the set as [`PinId`]s, A0 first.
    pub fn pin_ids(self) -> impl Iterator<Item = PinId> {
        PinId::ALL.into_iter().filter(move |pin| self.contains_pin(*pin))
    }
}

impl From<PinId> for Pins {
    fn from(pin: PinId) -> Self {
        pin.mask()
    }
}

/// How the INTA/INTB outputs drive (IOCON.ODR and IOCON.INTPOL).
///
/// Exhaustive on purpose: the three drives those two bits can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum IntOutput {
    /// Push-pull, low while an interrupt is pending (power-on setting).
    #[default]
    ActiveLow,
    /// Push-pull, high while an interrupt is pending.
    ActiveHigh,
    /// Open-drain, pulled low while an interrupt is pending: several chips can share one MCU pin (with a pull-up).
    OpenDrain,
}

impl IntOutput {
    /// The level of the INT pin while an interrupt is pending: `true` = high.
    pub const fn active_high(self) -> bool {
        matches!(self, Self::ActiveHigh)
    }
}

/// The chip configuration held in IOCON, apart from BANK (the driver always uses the BANK = 0 map).
///
/// Exhaustive on purpose, so that you can build it with a struct literal (`..Config::default()`); IOCON has no
/// other bit to add (a new field would come with a major version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// MIRROR: INTA and INTB both signal an interrupt on either port (one MCU pin for both). Off at power-on.
    pub mirror_interrupts: bool,
    /// The INT pins' drive (ODR, INTPOL).
    pub int_output: IntOutput,
    /// `true` (power-on) = SEQOP = 0: the address pointer increments, so the driver reads the interrupt flags,
    /// captures and levels in one burst. `false` = byte mode: the pointer toggles between the two registers of a
    /// pair; the driver's 16-bit transfers still take one transaction, its bursts become one per pair.
    pub sequential: bool,
    /// DISSLW inverted: `true` (power-on) = SDA slew-rate control enabled.
    pub slew_rate_control: bool,
    /// HAEN: the MCP23S17 decodes A2..A0 (the MCP23S08 A1, A0) in its opcode. Needed for an MCP23S17 or MCP23S08
    /// at a hardware address other than 0; no effect on the MCP23017 and MCP23008, whose address pins always
    /// count; absent on the MCP23018/MCP23S18 (refused).
    pub hardware_addressing: bool,
}

impl Default for Config {
    /// The power-on settings.
    fn default() -> Self {
        Self {
            mirror_interrupts: false,
            int_output: IntOutput::ActiveLow,
            sequential: true,
            slew_rate_control: true,
            hardware_addressing: false,
        }
    }
}

impl Config {
    /// The IOCON byte (BANK = 0).
    pub const fn encode(self) -> u8 {
        let mut iocon = 0;
        if self.mirror_interrupts {
            iocon |= reg::IOCON_MIRROR;
        }
        if !self.sequential {
            iocon |= reg::IOCON_SEQOP;
        }
        if !self.slew_rate_control {
            iocon |= reg::IOCON_DISSLW;
        }
        if self.hardware_addressing {
            iocon |= reg::IOCON_HAEN;
        }
        iocon |= match self.int_output {
            IntOutput::ActiveLow => 0,
            IntOutput::ActiveHigh => reg::IOCON_INTPOL,
            IntOutput::OpenDrain => reg::IOCON_ODR,
        };
        iocon
    }

    /// The settings of an IOCON byte (BANK ignored; ODR wins over INTPOL, as on the chip).
    pub const fn decode(iocon: u8) -> Self {
        Self {
            mirror_interrupts: iocon & reg::IOCON_MIRROR != 0,
            int_output: if iocon & reg::IOCON_ODR != 0 {
                IntOutput::OpenDrain
            } else if iocon & reg::IOCON_INTPOL != 0 {
                IntOutput::ActiveHigh
            } else {
                IntOutput::ActiveLow
            },
            sequential: iocon & reg::IOCON_SEQOP == 0,
            slew_rate_control: iocon & reg::IOCON_DISSLW == 0,
            hardware_addressing: iocon & reg::IOCON_HAEN != 0,
        }
    }
}

/// Which read clears a pending interrupt on the MCP23018/MCP23S18 (IOCON.INTCC; the MCP23x17 has no such bit:
/// there either read clears it).
///
/// Exhaustive on purpose: the bit's two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InterruptClear {
    /// INTCC = 0 (power-on): reading GPIO clears the interrupt.
    #[default]
    ReadingGpio,
    /// INTCC = 1: reading INTCAP clears the interrupt; GPIO can be read without clearing it.
    ReadingIntcap,
}

/// The mode of one pin, as [`set_pin_mode`](crate::Mcp23017::set_pin_mode) sets it.
///
/// Exhaustive on purpose: the modes a pin of the chip has (IODIR, GPPU, OLAT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PinMode {
    /// Input without pull-up.
    Input,
    /// Input with the ~100 kΩ pull-up.
    InputPullUp,
    /// Output, driving `high` (`true`) or low from the moment it becomes an output. On the MCP23018/MCP23S18,
    /// whose outputs are open-drain, `high` means released (high impedance: high only through a pull-up).
    Output {
        /// The level driven.
        high: bool,
    },
}

/// What makes an input pin interrupt.
///
/// The chip only knows "changed" (INTCON = 0) and "differs from DEFVAL" (INTCON = 1); the edge directions are
/// told apart by the driver from the captured levels, so a `RisingEdge` pin still makes the INT pin fire on a
/// falling edge, and [`InterruptStatus::triggered`] leaves it out.
///
/// Exhaustive on purpose: the chip's two interrupt modes (GPINTEN with INTCON = 0 or 1, DEFVAL) and the edge
/// filter the driver builds on the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InterruptTrigger {
    /// Low to high (interrupt-on-change, filtered in software).
    RisingEdge,
    /// High to low (interrupt-on-change, filtered in software).
    FallingEdge,
    /// Any change.
    AnyEdge,
    /// While the pin is high (compare with DEFVAL = 0). The INT output stays active as long as the pin is high.
    WhileHigh,
    /// While the pin is low (compare with DEFVAL = 1). The INT output stays active as long as the pin is low.
    WhileLow,
}

/// One interrupt service: flags, captured levels and present levels, read in one burst, with the edges the driver
/// derived from them.
///
/// `#[non_exhaustive]`: a later version may report more; read its fields, or start from
/// `InterruptStatus::default()` to build one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct InterruptStatus {
    /// INTF: the pin(s) that caused each port's pending interrupt. The chip flags only the first change per port.
    pub flagged: Pins,
    /// INTCAP: the levels of a port when its interrupt fired; bits of a port without a flag are zero (INTCAP is
    /// undefined before a port's first interrupt).
    pub captured: Pins,
    /// GPIO: the levels when the status was read, after the capture (reading them re-armed the interrupt).
    pub levels: Pins,
    /// Pins seen going low to high since the previous read of the levels.
    pub rising: Pins,
    /// Pins seen going high to low since the previous read of the levels.
    pub falling: Pins,
    /// Pins whose configured [`InterruptTrigger`] happened.
    pub triggered: Pins,
}

impl InterruptStatus {
    /// Whether any interrupt was pending.
    pub const fn is_pending(&self) -> bool {
        self.flagged.bits() != 0
    }

    /// The status with `later` folded in: flags, edges and triggers of both, captures and levels of `later`
    /// (captures of `self` where `later` has none).
    pub const fn merge(self, later: Self) -> Self {
        let later_ports = port_mask(later.flagged.bits());
        Self {
            flagged: Pins::from_bits_retain(self.flagged.bits() | later.flagged.bits()),
            captured: Pins::from_bits_retain((self.captured.bits() & !later_ports) | later.captured.bits()),
            levels: later.levels,
            rising: Pins::from_bits_retain(self.rising.bits() | later.rising.bits()),
            falling: Pins::from_bits_retain(self.falling.bits() | later.falling.bits()),
            triggered: Pins::from_bits_retain(self.triggered.bits() | later.triggered.bits()),
        }
    }
}

/// The pins of every port that has a bit in `pins`.
pub(crate) const fn port_mask(pins: u16) -> u16 {
    let a = if pins & 0x00FF != 0 { 0x00FF } else { 0 };
    let b = if pins & 0xFF00 != 0 { 0xFF00 } else { 0 };
    a | b
}

/// An argument the driver refused; nothing was sent.
///
/// `#[non_exhaustive]`: a new check may add a variant in a minor version; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ArgumentError {
    /// GPA7 or GPB7 asked to be an input on an MCP23017 (GP7 on an MCP23008, by caution): both are output-only
    /// (an input changing during an I2C read can corrupt SDA). Allow it explicitly with
    /// [`allow_gpx7_inputs`](crate::Mcp23017::allow_gpx7_inputs) if the board really needs it.
    OutputOnlyPin,
    /// An MCP23S17 at a hardware address other than 0 needs [`Config::hardware_addressing`]: without HAEN it only
    /// answers address 0.
    HardwareAddressingRequired,
    /// A setting the part lacks: on the MCP23018/MCP23S18 a [`Config`] without slew-rate control (no DISSLW bit)
    /// or with hardware addressing (no HAEN bit, no address pins on the MCP23S18); on the MCP23008/MCP23S08 one
    /// with `mirror_interrupts` (one INT pin, no MIRROR bit).
    NotOnThisPart,
    /// A pin the part does not have: GPB0..GPB7 on the MCP23008/MCP23S08 (its GP0..GP7 are `A0..A7`).
    NoSuchPin,
}

/// The driver's error: the bus error, a refused argument, or a shared driver in use.
///
/// `#[non_exhaustive]`: a new failure may add a variant in a minor version; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E> {
    /// The bus reported an error (for I2C a NACK included: see [`Error::is_nack`]).
    Bus(E),
    /// An argument was refused; nothing was sent.
    Argument(ArgumentError),
    /// The shared driver behind a pin was already borrowed (only possible from an interrupt that preempted another
    /// user of a `RefCell`-shared driver).
    Busy,
    /// The MCU pin wired to INT reported an error while a pin waited for an interrupt.
    InterruptPin,
    /// IOCON did not read as an MCP23x17's can (its BANK bit where the map says it is clear, or not what was just
    /// written): no MCP23x17 answering (an SPI chip at another hardware address, a bus stuck at one level), or
    /// another master changing it. IOCON stays unknown.
    UnexpectedDevice,
    /// A wait serviced the INT pin for its whole timeout without the event (see `WaitPin::with_timeout`, feature
    /// `async`): an INT pin that stays active (wrong polarity, a level interrupt of another pin still holding it).
    Timeout,
}

impl<E> From<ArgumentError> for Error<E> {
    fn from(e: ArgumentError) -> Self {
        Self::Argument(e)
    }
}

impl<E: embedded_hal::i2c::Error> Error<E> {
    /// The chip did not acknowledge (absent, or at another address).
    pub fn is_nack(&self) -> bool {
        matches!(self, Self::Bus(e) if matches!(e.kind(), embedded_hal::i2c::ErrorKind::NoAcknowledge(_)))
    }
}

impl core::fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::OutputOnlyPin => "GPA7/GPB7 are output-only on the MCP23017",
            Self::HardwareAddressingRequired => "an MCP23S17 at a non-zero address needs HAEN",
            Self::NotOnThisPart => "a setting this part lacks (MCP23x18: DISSLW, HAEN; MCP23x08: MIRROR)",
            Self::NoSuchPin => "a pin this part does not have (MCP23x08: port B)",
        })
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Bus(e) => write!(f, "MCP230xx bus error: {e:?}"),
            Self::Argument(e) => write!(f, "MCP230xx argument error: {e}"),
            Self::Busy => f.write_str("MCP230xx driver already borrowed"),
            Self::InterruptPin => f.write_str("MCP230xx INT pin error"),
            Self::UnexpectedDevice => f.write_str("MCP230xx IOCON not as an MCP230xx answers"),
            Self::Timeout => f.write_str("MCP230xx wait timed out with the INT pin still active"),
        }
    }
}

impl core::error::Error for ArgumentError {}
impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

impl<E: core::fmt::Debug> embedded_hal::digital::Error for Error<E> {
    fn kind(&self) -> embedded_hal::digital::ErrorKind {
        embedded_hal::digital::ErrorKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(Address::from_pins(true, false, true).get(), 0x25);
        assert_eq!(Address::raw(0x27).map(Address::get), Ok(0x27));
        assert_eq!(Address::raw(0x28), Err(InvalidAddress(0x28)));
        assert_eq!(Address::try_from(0x1F), Err(InvalidAddress(0x1F)));
        assert_eq!(Address::try_from(0x24).map(u8::from), Ok(0x24));
        assert_eq!(HardwareAddress::from_pins(false, true, true).get(), 3);
        assert_eq!(HardwareAddress::raw(8), Err(InvalidAddress(8)));
        assert_eq!(HardwareAddress::try_from(7).map(HardwareAddress::get), Ok(7));
    }

    #[test]
    fn mcp23018_addr_voltage_bands() {
        let at = |mv| Address::from_mcp23018_addr_voltage(mv, 3300).map(Address::get);
        // the middles of the eight bands at 3.3 V, and the band edges (412.5 mV steps)
        let middles = [206, 619, 1031, 1444, 1856, 2269, 2681, 3094];
        for (address, mv) in (0x20..=0x27).zip(middles) {
            assert_eq!(at(mv), Some(address), "{mv} mV");
            let address = Address::raw(address).unwrap();
            assert_eq!(address.mcp23018_addr_millivolts(3300), mv);
        }
        assert_eq!(at(0), Some(0x20));
        assert_eq!(at(412), Some(0x20));
        assert_eq!(at(413), Some(0x21));
        assert_eq!(at(2887), Some(0x26));
        assert_eq!(at(2888), Some(0x27));
        assert_eq!(at(3300), Some(0x27));
        assert_eq!(at(3301), None);
        assert_eq!(Address::from_mcp23018_addr_voltage(0, 0), None);
        assert_eq!(
            Address::from_mcp23018_addr_voltage(u32::MAX, u32::MAX).map(Address::get),
            Some(0x27)
        );
        assert_eq!(
            Address::raw(0x27).unwrap().mcp23018_addr_millivolts(u32::MAX),
            4_026_531_839
        );
    }

    #[test]
    fn pins_and_ports() {
        assert_eq!(PinId::B0.mask(), Pins::from_bits_retain(0x0100));
        assert_eq!(PinId::new(15), Some(PinId::B7));
        assert_eq!(PinId::new(16), None);
        assert_eq!(PinId::A7.port(), Port::A);
        assert_eq!(Pins::from_port(Port::B, 0x81), Pins::from_bits_retain(0x8100));
        assert_eq!(Pins::from_bits_retain(0x1234).port(Port::A), 0x34);
        assert_eq!(Pins::from_bits_retain(0x1234).port(Port::B), 0x12);
        assert!(Pins::from_bits_retain(0x0101).pin_ids().eq([PinId::A0, PinId::B0]));
        assert!(Pins::from_bits_retain(0x0101).iter().eq([Pins::A0, Pins::B0]));
        assert_eq!(
            Pins::from_bits_truncate(0x0F00),
            Pins::B0 | Pins::B1 | Pins::B2 | Pins::B3
        );
        assert_eq!(!Pins::PORT_A, Pins::PORT_B);
        assert_eq!(Pins::NONE.with(PinId::A3, true), Pins::from_bits_retain(0x0008));
    }

    #[test]
    fn iocon_encoding() {
        assert_eq!(Config::default().encode(), 0x00);
        let config = Config {
            mirror_interrupts: true,
            int_output: IntOutput::OpenDrain,
            sequential: false,
            slew_rate_control: false,
            hardware_addressing: true,
        };
        assert_eq!(config.encode(), 0x7C);
        assert_eq!(Config::decode(0x7C), config);
        assert_eq!(Config::decode(0x02).int_output, IntOutput::ActiveHigh);
        assert_eq!(Config::decode(0x06).int_output, IntOutput::OpenDrain);
    }

    #[test]
    fn merge_keeps_the_older_capture_of_a_quiet_port() {
        let first = InterruptStatus {
            flagged: Pins::from_bits_retain(0x0001),
            captured: Pins::from_bits_retain(0x0001),
            rising: Pins::from_bits_retain(0x0001),
            ..Default::default()
        };
        let second = InterruptStatus {
            flagged: Pins::from_bits_retain(0x0100),
            captured: Pins::from_bits_retain(0x0000),
            levels: Pins::from_bits_retain(0x0001),
            falling: Pins::from_bits_retain(0x0100),
            ..Default::default()
        };
        let merged = first.merge(second);
        assert_eq!(merged.flagged, Pins::from_bits_retain(0x0101));
        assert_eq!(merged.captured, Pins::from_bits_retain(0x0001));
        assert_eq!(merged.levels, Pins::from_bits_retain(0x0001));
        assert_eq!(
            (merged.rising, merged.falling),
            (Pins::from_bits_retain(0x0001), Pins::from_bits_retain(0x0100))
        );
    }
}
