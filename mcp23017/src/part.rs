//! The parts of the family, as types: the driver's second type parameter. The MCP23017/MCP23S17 is the default
//! ([`Mcp23x17`]); the MCP23018/MCP23S18 ([`Mcp23x18`]) has the same register map, open-drain outputs and the
//! INTCC bit; the MCP23008/MCP23S08 ([`Mcp23x08`]) has 8 pins and its own map. What a part lacks does not exist
//! for it: push-pull output pins ([`Pin::into_output`]) only on [`PushPullOutputs`] parts, open-drain ones
//! ([`Pin::into_open_drain_output`]) and the INTCC methods
//! ([`set_interrupt_clear`](crate::Mcp23017::set_interrupt_clear)) only on [`OpenDrainOutputs`] parts, the
//! per-port methods, MIRROR and [`split`](crate::split) only on [`TwoPorts`] parts. A pin the MCP23x08 lacks
//! (port B) is refused at run time ([`ArgumentError::NoSuchPin`](crate::ArgumentError::NoSuchPin)): pins are
//! one `Pins` type across the family.
//!
//! [`Pin::into_output`]: crate::Pin::into_output
//! [`Pin::into_open_drain_output`]: crate::Pin::into_open_drain_output
//!
//! ```
//! use mcp23017::sim::Mcp23017Sim;
//! use mcp23017::{Address, Config, Mcp23018I2c, PinId, Pins};
//!
//! let address = Address::DEFAULT;
//! let mut io = Mcp23018I2c::new_mcp23018(Mcp23017Sim::mcp23018(address), address);
//! io.init(Config::default())?;
//! io.set_pull_ups(Pins::A0)?; // on the MCP23018 the pull-up also acts on an output
//! io.set_open_drain_output(PinId::A0, true, true)?; // released: the pull-up takes it high
//! assert!(io.pin_is_high(PinId::A0)?);
//! # Ok::<(), mcp23017::Error<embedded_hal::i2c::ErrorKind>>(())
//! ```
//!
//! An MCP23018 has no push-pull output, so its pins have no `into_output`:
//!
//! ```compile_fail
//! use core::cell::RefCell;
//! fn push_pull<I: mcp23017::embedded_hal::i2c::I2c>(i2c: I) {
//!     let io = RefCell::new(mcp23017::Mcp23017::new_mcp23018(i2c, mcp23017::Address::DEFAULT));
//!     let pins = mcp23017::split(&io);
//!     let _ = pins.a0.into_output(true);
//! }
//! ```
//!
//! an MCP23008 has one port, so no per-port method:
//!
//! ```compile_fail
//! fn port<I: mcp23017::embedded_hal::i2c::I2c>(i2c: I) {
//!     let mut io = mcp23017::Mcp23017::new_mcp23008(i2c, mcp23017::Address::DEFAULT);
//!     let _ = io.write_port(mcp23017::Port::A, 0x0F);
//! }
//! ```
//!
//! and an MCP23017 has no INTCC bit:
//!
//! ```compile_fail
//! fn intcc<I: mcp23017::embedded_hal::i2c::I2c>(i2c: I) {
//!     let mut io = mcp23017::Mcp23017::new(i2c, mcp23017::Address::DEFAULT);
//!     let _ = io.set_interrupt_clear(mcp23017::InterruptClear::ReadingIntcap);
//! }
//! ```

use crate::register as reg;

pub(crate) mod sealed {
    /// The facts the driver's shared code branches on (constants: each part's code keeps only its branch).
    pub trait Sealed {
        /// GPA7/GPB7 are output-only on the I2C part (the MCP23017 SDA erratum).
        const GPX7_ERRATUM: bool;
        /// The IOCON bits the chip implements and the driver caches as read.
        const IOCON_READ: u8;
        /// The IOCON bits a read-modify-write never writes back as read.
        const IOCON_NOT_WRITTEN_BACK: u8;
        /// The IOCON bits a `Config` write keeps from the chip (bits `Config` does not hold).
        const IOCON_KEPT: u8;
        /// The IOCON bits `Config` holds that the part lacks: refused when asked for, written 0.
        const IOCON_ABSENT: u8;
        /// Two ports, two register maps (IOCON.BANK): the 16-pin parts.
        const BANKS: bool;
        /// Register `index` (0 = IODIR … 10 = OLAT) is at `index << INDEX_SHIFT` (port A, BANK = 0).
        const INDEX_SHIFT: u8;
        /// Bytes of a one-register write: the address, then one byte per port.
        const FRAME: usize;
        /// The pins the part has.
        const PINS: u16;
    }
}

/// A part of the MCP23x17 family this crate drives (sealed).
pub trait Part: sealed::Sealed {
    /// The part's name (I2C / SPI).
    const NAME: &'static str;
}

/// A part whose outputs drive both levels (push-pull): the MCP23017/MCP23S17 and the MCP23008/MCP23S08.
pub trait PushPullOutputs: Part {}

/// A part with two 8-bit ports (16 pins, INTA and INTB, IOCON.MIRROR): per-port methods
/// ([`write_port`](crate::Mcp23017::write_port), …), [`set_int_mirror`](crate::Mcp23017::set_int_mirror) and
/// [`split`](crate::split) exist for these only (the MCP23x08 has [`split_mcp23008`](crate::split_mcp23008)).
pub trait TwoPorts: Part {}

/// A part whose outputs only sink (open-drain): a latch bit of 1 releases the pin (high impedance), so it reads
/// high only with a pull-up, the chip's own ([`set_pull_ups`](crate::Mcp23017::set_pull_ups) acts on outputs too)
/// or an external one. The MCP23018/MCP23S18; it also has IOCON.INTCC.
pub trait OpenDrainOutputs: Part {}

/// The MCP23008 (I2C, 0x20–0x27 from A2..A0) / MCP23S08 (SPI, hardware address 0–3 from A1, A0 with HAEN): 8
/// push-pull GPIO (GP0..GP7 = `PinId::A0..A7`, port A), one INT pin, its own register map (11 registers at
/// 0x00..0x0A, no banks), no MIRROR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp23x08;

/// The MCP23017 (I2C) / MCP23S17 (SPI): the driver's default part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp23x17;

/// The MCP23018 (I2C, address from a voltage on ADDR) / MCP23S18 (SPI, fixed opcode 0x40): the MCP23017's register
/// map with open-drain outputs (25 mA sink per pin), IOCON.INTCC, and neither DISSLW nor HAEN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp23x18;

impl sealed::Sealed for Mcp23x17 {
    const BANKS: bool = true;
    const INDEX_SHIFT: u8 = 1;
    const FRAME: usize = 3;
    const PINS: u16 = 0xFFFF;
    const GPX7_ERRATUM: bool = true;
    const IOCON_READ: u8 = reg::IOCON_WRITABLE;
    const IOCON_NOT_WRITTEN_BACK: u8 = reg::IOCON_NOT_WRITTEN_BACK;
    const IOCON_KEPT: u8 = 0;
    const IOCON_ABSENT: u8 = 0;
}

impl sealed::Sealed for Mcp23x18 {
    const BANKS: bool = true;
    const INDEX_SHIFT: u8 = 1;
    const FRAME: usize = 3;
    const PINS: u16 = 0xFFFF;
    // DS22103A sets no GPA7/GPB7 restriction (whether the MCP23017 erratum applies is not published: the driver
    // follows the datasheet; `allow_gpx7_inputs(false)` does not restrict them here).
    const GPX7_ERRATUM: bool = false;
    // bits 4 and 3 believed unimplemented; cached as read, so a chip that does implement them is still told right
    const IOCON_READ: u8 = 0xFF;
    const IOCON_NOT_WRITTEN_BACK: u8 = reg::IOCON_BANK;
    const IOCON_KEPT: u8 = reg::IOCON_INTCC;
    const IOCON_ABSENT: u8 = reg::IOCON_DISSLW | reg::IOCON_HAEN;
}

impl sealed::Sealed for Mcp23x08 {
    const BANKS: bool = false;
    const INDEX_SHIFT: u8 = 0;
    const FRAME: usize = 2;
    const PINS: u16 = 0x00FF;
    // Microchip's note on the GPIO7 input glitch names the MCP23008 too (datasheet status unknown): treated as the
    // MCP23017's, GP7 refused as an input on I2C unless allowed.
    const GPX7_ERRATUM: bool = true;
    // bits 7 and 6 (no BANK, no MIRROR) and 0 are unimplemented: not cached, never written back
    const IOCON_READ: u8 = 0x3E;
    const IOCON_NOT_WRITTEN_BACK: u8 = 0xC1;
    const IOCON_KEPT: u8 = 0;
    const IOCON_ABSENT: u8 = reg::IOCON_MIRROR;
}

impl Part for Mcp23x17 {
    const NAME: &'static str = "MCP23017/MCP23S17";
}

impl Part for Mcp23x18 {
    const NAME: &'static str = "MCP23018/MCP23S18";
}

impl Part for Mcp23x08 {
    const NAME: &'static str = "MCP23008/MCP23S08";
}

impl PushPullOutputs for Mcp23x17 {}
impl PushPullOutputs for Mcp23x08 {}
impl TwoPorts for Mcp23x17 {}
impl TwoPorts for Mcp23x18 {}
impl OpenDrainOutputs for Mcp23x18 {}
