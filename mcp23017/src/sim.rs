//! A register-level model of the MCP23017 / MCP23S17 that implements the I2C and SPI traits, for tests on a PC
//! (ours and yours).
//!
//! It models what a driver can get wrong: both bank layouts (IOCON.BANK) and the pointer in sequential and byte
//! mode (IOCON.SEQOP), IOCON at both of its addresses, GPIO writes landing in OLAT, GPIO reads returning pin
//! levels (outputs read their latch, inputs after IPOL, pull-ups on undriven inputs), interrupt-on-change against
//! the previous level or against DEFVAL, the capture of a port's levels at its first interrupt, flags of the first
//! pin only, clearing by a read of INTCAP or GPIO (and an immediate new interrupt while a DEFVAL condition
//! holds), the INTA/INTB outputs (MIRROR, ODR, INTPOL), MCP23S17 addressing through HAEN with the Rev. A A2
//! erratum, and a count of I2C reads made while GPA7/GPB7 were inputs (the SDA erratum). It answers another I2C
//! address with a NACK. Timing is not modelled.
//!
//! [`Mcp23017Sim::mcp23018`] and [`Mcp23017Sim::mcp23s18`] model the MCP23018/MCP23S18 instead: open-drain
//! outputs (a latch of 1 releases the pin, which then reads what drives it, else its pull-up, else low), pull-ups
//! acting on outputs too, IOCON.INTCC (0: only a GPIO read clears an interrupt; 1: only an INTCAP read does),
//! IOCON bits 4 and 3 unimplemented (read 0), and on SPI the fixed opcode 0x40/0x41.
//!
//! [`Mcp23017Sim::mcp23008`] and [`Mcp23017Sim::mcp23s08`] model the MCP23008/MCP23S08: one 8-bit port (pins
//! `A0..A7`; port B reads 0 and ignores drives), its own map of 11 registers at 0x00..0x0A with no banks, the
//! sequential pointer wrapping after 0x0A and standing still in byte mode, IOCON bits 7, 6 and 0 unimplemented,
//! one INT pin (`Port::A`), and on SPI the opcode `0100 0 A1 A0 R/W` honoured through HAEN.
//!
//! Assumptions where the datasheet is silent (see the crate README): in BANK = 1 with SEQOP = 0 the pointer runs
//! through the unimplemented gap addresses (they read 0, ignore writes) and wraps after 0x1A; IPOL applies to
//! inputs only; INTCAP holds the GPIO value (after IPOL); an undriven input without pull-up reads low.
//!
//! ```
//! use mcp23017::{sim::Mcp23017Sim, Address, Config, Mcp23017, PinId, Pins};
//!
//! let mut mcp = Mcp23017::new(Mcp23017Sim::new(Address::DEFAULT), Address::DEFAULT);
//! mcp.init(Config::default())?;
//! mcp.set_as_outputs(Pins::PORT_A, Pins::from_bits_retain(0x0005))?;
//! let chip = mcp.release();
//! assert_eq!(chip.directions(), Pins::PORT_B);
//! assert_eq!(chip.levels().port(mcp23017::Port::A), 0x05);
//! # Ok::<(), mcp23017::Error<embedded_hal::i2c::ErrorKind>>(())
//! ```

// Register indices are `usize`s below 11 and ports 0 or 1 (masked), so indexing cannot go out of range.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use embedded_hal::i2c::{self, NoAcknowledgeSource};
use embedded_hal::spi;

use crate::{Address, HardwareAddress, PinId, Pins, Port};

mod faulty;
pub use faulty::{FaultKind, FaultPoint, FaultyBus, FaultyBusError};

/// The sim's own copy of the chip's facts (datasheet DS20001952C, tables 3-1..3-5), never the driver's
/// `register` module: a wrong constant in the driver then fails a test instead of agreeing with itself.
mod chip {
    /// IOCON.BANK: 1 = the BANK = 1 map (registers of one port together).
    pub const BANK: u8 = 0x80;
    /// IOCON.MIRROR: INTA and INTB OR-ed.
    pub const MIRROR: u8 = 0x40;
    /// IOCON.SEQOP: 1 = byte mode (the address pointer does not increment).
    pub const SEQOP: u8 = 0x20;
    /// IOCON.HAEN: MCP23S17 hardware addressing.
    pub const HAEN: u8 = 0x08;
    /// IOCON.ODR: open-drain INT pins.
    pub const ODR: u8 = 0x04;
    /// IOCON.INTPOL: active-high INT pins.
    pub const INTPOL: u8 = 0x02;
    /// Bit 0 of IOCON is unimplemented on the MCP23x17 and reads 0.
    pub const IOCON_IMPLEMENTED: u8 = 0xFE;
    /// The last address of the BANK = 0 map (OLATB); the sequential pointer wraps to 0 after it.
    pub const BANK0_LAST: u8 = 0x15;
    /// The last address of the BANK = 1 map (OLATB); the wrap point there is undocumented (assumption).
    pub const BANK1_LAST: u8 = 0x1A;
    /// SPI opcode: 0100 A2 A1 A0 R/W.
    pub const SPI_OPCODE: u8 = 0x40;
    /// SPI opcode read bit.
    pub const SPI_READ: u8 = 0x01;
    /// GPA7 and GPB7 (the SDA erratum).
    pub const GPX7: u16 = 0x8080;

    /// The MCP23008/MCP23S08's own facts (datasheet DS21919E, registers 1-1..1-11).
    pub mod x08 {
        /// The last register (OLAT); the sequential pointer wraps to 0 after it.
        pub const LAST: u8 = 0x0A;
        /// IOCON bits 5..1 are implemented (SEQOP, DISSLW, HAEN, ODR, INTPOL).
        pub const IOCON_IMPLEMENTED: u8 = 0x3E;
        /// SPI opcode: 0100 0 A1 A0 R/W; the bits compared.
        pub const SPI_OPCODE_MASK: u8 = 0xF8;
    }

    /// The MCP23018/MCP23S18's own facts (datasheet DS22103A, and the Linux and Zephyr drivers where it is
    /// silent).
    pub mod x18 {
        /// IOCON.INTCC: 1 = reading INTCAP clears the interrupt, 0 = reading GPIO does.
        pub const INTCC: u8 = 0x01;
        /// IOCON bits 4 (DISSLW) and 3 (HAEN) are taken as unimplemented (read 0).
        pub const IOCON_IMPLEMENTED: u8 = 0xE7;
    }
}

const IODIR: usize = 0;
const IPOL: usize = 1;
const GPINTEN: usize = 2;
const DEFVAL: usize = 3;
const INTCON: usize = 4;
const IOCON: usize = 5;
const GPPU: usize = 6;
const INTF: usize = 7;
const INTCAP: usize = 8;
const GPIO: usize = 9;
const OLAT: usize = 10;

/// What a driver believes the chip's registers hold (`None` = unknown, read on next need), as the doc-hidden
/// `cache_snapshot` of the driver reports it, for fault-tolerance tests: every `Some` must equal the chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CacheSnapshot {
    /// IODIR, port A in the low byte.
    pub iodir: Option<u16>,
    /// IPOL.
    pub ipol: Option<u16>,
    /// GPINTEN.
    pub gpinten: Option<u16>,
    /// DEFVAL.
    pub defval: Option<u16>,
    /// INTCON.
    pub intcon: Option<u16>,
    /// GPPU.
    pub gppu: Option<u16>,
    /// OLAT.
    pub olat: Option<u16>,
    /// IOCON (a driver that knows it also knows the chip is in the BANK = 0 map).
    pub iocon: Option<u8>,
}

impl Mcp23017Sim {
    /// The first register whose cached value differs from the chip's, by name, or `None` if the belief holds.
    pub fn belief_mismatch(&self, cache: &CacheSnapshot) -> Option<&'static str> {
        let pairs = [
            ("IODIR", cache.iodir, self.directions()),
            ("IPOL", cache.ipol, self.input_polarity()),
            ("GPINTEN", cache.gpinten, self.interrupt_enable()),
            ("DEFVAL", cache.defval, self.default_levels()),
            ("INTCON", cache.intcon, self.interrupt_compare()),
            ("GPPU", cache.gppu, self.pull_ups()),
            ("OLAT", cache.olat, self.output_latch()),
        ];
        for (name, cached, chip) in pairs {
            if cached.is_some_and(|value| value != chip.bits()) {
                return Some(name);
            }
        }
        match cache.iocon {
            Some(iocon) if iocon != self.iocon() => Some("IOCON"),
            _ => None,
        }
    }
}

/// The simulated chip.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp23017Sim {
    /// The MCP23018/MCP23S18 instead of the MCP23017/MCP23S17.
    x18: bool,
    /// The MCP23008/MCP23S08: one port, its own map.
    x08: bool,
    i2c_address: u8,
    hardware_address: u8,
    rev_a: bool,
    /// `[index][port]`; GPIO is not stored (it is the pin levels).
    registers: [[u8; 2]; 11],
    pointer: u8,
    /// Pins driven from outside, and their levels.
    driven: u16,
    driven_levels: u16,
    /// The levels the interrupt-on-change logic compares with.
    reference: [u8; 2],
    gpx7_input_reads: u32,
}

impl Mcp23017Sim {
    /// An MCP23017 strapped to `address`, in its power-on state.
    pub fn new(address: Address) -> Self {
        Self {
            x18: false,
            x08: false,
            i2c_address: address.get(),
            hardware_address: address.get() & 0x07,
            rev_a: false,
            registers: Self::POWER_ON,
            pointer: 0,
            driven: 0,
            driven_levels: 0,
            reference: [0; 2],
            gpx7_input_reads: 0,
        }
    }

    /// An MCP23S17 with A2..A0 strapped to `address`, in its power-on state (HAEN clear: it answers address 0).
    pub fn new_spi(address: HardwareAddress) -> Self {
        let mut sim = Self::new(Address::from_pins(false, false, false));
        sim.i2c_address = 0;
        sim.hardware_address = address.get();
        sim
    }

    /// An MCP23018 at `address` (the band of the voltage on its ADDR pin, see
    /// [`Address::from_mcp23018_addr_voltage`]), in its power-on state (the same register values as the
    /// MCP23017's).
    pub fn mcp23018(address: Address) -> Self {
        Self {
            x18: true,
            ..Self::new(address)
        }
    }

    /// An MCP23S18 (no address pin: it answers opcode 0x40/0x41 only), in its power-on state.
    pub fn mcp23s18() -> Self {
        Self {
            x18: true,
            ..Self::new_spi(HardwareAddress::default())
        }
    }

    /// An MCP23008 at `address` (0x20 + A2A1A0), in its power-on state (IODIR 0xFF, all else 0).
    pub fn mcp23008(address: Address) -> Self {
        let mut sim = Self {
            x08: true,
            ..Self::new(address)
        };
        sim.registers = Self::POWER_ON_X08;
        sim
    }

    /// An MCP23S08 with A1, A0 strapped to `address` (its bit 2 is ignored: no A2 pin), in its power-on state
    /// (HAEN clear: it answers address 0).
    pub fn mcp23s08(address: HardwareAddress) -> Self {
        let mut sim = Self {
            x08: true,
            ..Self::new_spi(address)
        };
        sim.hardware_address = address.get() & 0x03;
        sim.registers = Self::POWER_ON_X08;
        sim
    }

    /// Whether this models the MCP23008/MCP23S08.
    pub fn is_mcp23x08(&self) -> bool {
        self.x08
    }

    const POWER_ON_X08: [[u8; 2]; 11] = {
        let mut registers = [[0; 2]; 11];
        registers[IODIR] = [0xFF, 0x00];
        registers
    };

    /// Whether this models the MCP23018/MCP23S18.
    pub fn is_mcp23x18(&self) -> bool {
        self.x18
    }

    const POWER_ON: [[u8; 2]; 11] = {
        let mut registers = [[0; 2]; 11];
        registers[IODIR] = [0xFF, 0xFF];
        registers
    };

    /// Rev. A silicon (erratum DS80311A): with HAEN clear, a chip whose A2 is tied high answers address 4 instead
    /// of 0.
    pub fn set_rev_a(&mut self, rev_a: bool) {
        self.rev_a = rev_a;
    }

    /// Power cycle (or the RESET pin): every register to its power-on value, the pointer to 0.
    pub fn power_on_reset(&mut self) {
        self.registers = if self.x08 { Self::POWER_ON_X08 } else { Self::POWER_ON };
        self.pointer = 0;
        self.reference = [self.port_levels(0), self.port_levels(1)];
    }

    /// Writes IOCON behind the driver's back (say, an earlier firmware that left BANK = 1 or byte mode).
    pub fn poke_iocon(&mut self, iocon: u8) {
        let implemented = if self.x08 {
            chip::x08::IOCON_IMPLEMENTED
        } else if self.x18 {
            chip::x18::IOCON_IMPLEMENTED
        } else {
            chip::IOCON_IMPLEMENTED
        };
        self.registers[IOCON] = [iocon & implemented; 2];
    }

    /// Writes a register pair behind the driver's back: `index` 0 = IODIR … 10 = OLAT (INTF, INTCAP and GPIO
    /// ignored), `value` port A in the low byte.
    pub fn poke(&mut self, index: u8, value: Pins) {
        let index = usize::from(index);
        if index < self.registers.len() && !matches!(index, INTF | INTCAP | GPIO) {
            let [a, b] = value.bits().to_le_bytes();
            self.registers[index] = [a, if self.x08 { 0 } else { b }];
            self.evaluate_all();
        }
    }

    /// Drives `pin` from outside to `high`. On an output pin the drive has no effect (the latch wins), but for a
    /// released open-drain output of the MCP23x18 (latch 1), which reads what drives it.
    pub fn drive(&mut self, pin: PinId, high: bool) {
        self.drive_pins(pin.mask(), if high { pin.mask() } else { Pins::NONE });
    }

    /// Drives every pin of `pins` from outside, to the level in `levels`.
    pub fn drive_pins(&mut self, pins: Pins, levels: Pins) {
        self.driven |= pins.bits();
        self.driven_levels = (self.driven_levels & !pins.bits()) | (levels.bits() & pins.bits());
        self.evaluate_all();
    }

    /// Stops driving `pin`: it reads high with its pull-up, low without.
    pub fn release_pin(&mut self, pin: PinId) {
        self.driven &= !pin.mask().bits();
        self.evaluate_all();
    }

    fn pair(&self, index: usize) -> Pins {
        Pins::from_bits_retain(u16::from_le_bytes(self.registers[index]))
    }

    /// IODIR (set = input).
    pub fn directions(&self) -> Pins {
        self.pair(IODIR)
    }
    /// IPOL.
    pub fn input_polarity(&self) -> Pins {
        self.pair(IPOL)
    }
    /// GPINTEN.
    pub fn interrupt_enable(&self) -> Pins {
        self.pair(GPINTEN)
    }
    /// DEFVAL.
    pub fn default_levels(&self) -> Pins {
        self.pair(DEFVAL)
    }
    /// INTCON.
    pub fn interrupt_compare(&self) -> Pins {
        self.pair(INTCON)
    }
    /// GPPU.
    pub fn pull_ups(&self) -> Pins {
        self.pair(GPPU)
    }
    /// OLAT.
    pub fn output_latch(&self) -> Pins {
        self.pair(OLAT)
    }
    /// INTF.
    pub fn interrupt_flags(&self) -> Pins {
        self.pair(INTF)
    }
    /// INTCAP.
    pub fn captured(&self) -> Pins {
        self.pair(INTCAP)
    }
    /// IOCON.
    pub fn iocon(&self) -> u8 {
        self.registers[IOCON][0]
    }
    /// The register map in use is BANK = 1.
    pub fn bank1(&self) -> bool {
        self.iocon() & chip::BANK != 0
    }

    /// The electrical level of every pin: outputs drive their latch, inputs read what drives them (or their
    /// pull-up, or low).
    pub fn levels(&self) -> Pins {
        Pins::from_bits_retain(u16::from_le_bytes([self.pin_levels(0), self.pin_levels(1)]))
    }

    /// How many I2C reads happened while GPA7 or GPB7 was an input (on real parts such a read can corrupt SDA).
    pub fn gpx7_input_reads(&self) -> u32 {
        self.gpx7_input_reads
    }

    /// Whether the INT output of `port` signals an interrupt (with MIRROR, either port's).
    pub fn int_asserted(&self, port: Port) -> bool {
        let flags = self.registers[INTF];
        if self.iocon() & chip::MIRROR != 0 {
            flags != [0, 0]
        } else {
            flags[usize::from(port.index())] != 0
        }
    }

    /// The INT pin of `port` as the MCU sees it: `Some(level)` when driven, `None` when open-drain and released.
    pub fn int_level(&self, port: Port) -> Option<bool> {
        let asserted = self.int_asserted(port);
        let iocon = self.iocon();
        if iocon & chip::ODR != 0 {
            if asserted {
                Some(false)
            } else {
                None
            }
        } else {
            Some(asserted == (iocon & chip::INTPOL != 0))
        }
    }

    fn pin_levels(&self, port: usize) -> u8 {
        if self.x08 && port & 1 == 1 {
            // no port B
            return 0;
        }
        let byte = |value: u16| value.to_le_bytes()[port & 1];
        let iodir = self.registers[IODIR][port & 1];
        let olat = self.registers[OLAT][port & 1];
        let driven = byte(self.driven);
        // what an undriven-by-the-chip pin reads: the outside drive, else its pull-up, else low
        let floating = (driven & byte(self.driven_levels)) | (!driven & self.registers[GPPU][port & 1]);
        if self.x18 {
            // open-drain: an output with latch 0 sinks, one with latch 1 is released like an input
            let released = iodir | olat;
            released & floating
        } else {
            (!iodir & olat) | (iodir & floating)
        }
    }

    /// GPIO as read: pin levels, inputs through IPOL.
    fn port_levels(&self, port: usize) -> u8 {
        let p = port & 1;
        self.pin_levels(p) ^ (self.registers[IPOL][p] & self.registers[IODIR][p])
    }

    fn evaluate_all(&mut self) {
        self.evaluate(0);
        self.evaluate(1);
    }

    fn evaluate(&mut self, port: usize) {
        let p = port & 1;
        let level = self.port_levels(p);
        if self.registers[INTF][p] == 0 {
            let enabled = self.registers[GPINTEN][p] & self.registers[IODIR][p];
            let intcon = self.registers[INTCON][p];
            let changed = enabled & !intcon & (level ^ self.reference[p]);
            let differs = enabled & intcon & (level ^ self.registers[DEFVAL][p]);
            let fired = changed | differs;
            if fired != 0 {
                self.registers[INTF][p] = fired;
                self.registers[INTCAP][p] = level;
                // frozen until the interrupt is cleared
                return;
            }
        }
        if self.registers[INTF][p] == 0 {
            self.reference[p] = level;
        }
    }

    fn clear_interrupt(&mut self, port: usize) {
        let p = port & 1;
        self.registers[INTF][p] = 0;
        self.reference[p] = self.port_levels(p);
        self.evaluate(p);
    }

    /// (register index, port) at `address` in the current bank layout, or `None` for an unimplemented address.
    fn decode(&self, address: u8) -> Option<(usize, usize)> {
        if self.x08 {
            (address <= chip::x08::LAST).then_some((usize::from(address), 0))
        } else if self.bank1() {
            let index = usize::from(address & 0x0F);
            (address <= chip::BANK1_LAST && index <= OLAT).then_some((index, usize::from(address >> 4)))
        } else {
            (address <= chip::BANK0_LAST).then_some((usize::from(address >> 1), usize::from(address & 1)))
        }
    }

    fn advance(&mut self) {
        let byte_mode = self.iocon() & chip::SEQOP != 0;
        if self.x08 {
            self.pointer = match byte_mode {
                true => self.pointer,
                false if self.pointer >= chip::x08::LAST => 0,
                false => self.pointer + 1,
            };
            return;
        }
        self.pointer = match (self.bank1(), byte_mode) {
            (false, true) => self.pointer ^ 1,
            (true, true) => self.pointer,
            (false, false) if self.pointer >= chip::BANK0_LAST => 0,
            (true, false) if self.pointer >= chip::BANK1_LAST => 0,
            _ => self.pointer + 1,
        };
    }

    fn write_byte(&mut self, value: u8) {
        if let Some((index, port)) = self.decode(self.pointer) {
            match index {
                IOCON => self.poke_iocon(value),
                INTF | INTCAP => {}
                GPIO | OLAT => self.registers[OLAT][port] = value,
                _ => self.registers[index][port] = value,
            }
            if index == GPINTEN || index == INTCON {
                // a newly enabled pin compares with its level from now on
                self.reference[port] = self.port_levels(port);
            }
            self.evaluate_all();
        }
        self.advance();
    }

    fn read_byte(&mut self) -> u8 {
        let value = match self.decode(self.pointer) {
            Some((GPIO, port)) => {
                let value = self.port_levels(port);
                if !self.x18 || self.iocon() & chip::x18::INTCC == 0 {
                    self.clear_interrupt(port);
                }
                value
            }
            Some((INTCAP, port)) => {
                let value = self.registers[INTCAP][port];
                if !self.x18 || self.iocon() & chip::x18::INTCC != 0 {
                    self.clear_interrupt(port);
                }
                value
            }
            Some((index, port)) => self.registers[index][port],
            None => 0,
        };
        self.advance();
        value
    }

    fn spi_selected(&self, opcode: u8) -> bool {
        if self.x08 {
            let address = (opcode >> 1) & 0x03;
            return opcode & chip::x08::SPI_OPCODE_MASK == chip::SPI_OPCODE
                && address
                    == if self.iocon() & chip::HAEN != 0 {
                        self.hardware_address
                    } else {
                        0
                    };
        }
        if opcode & 0xF0 != chip::SPI_OPCODE {
            return false;
        }
        let address = (opcode >> 1) & 0x07;
        if self.iocon() & chip::HAEN != 0 {
            address == self.hardware_address
        } else if self.rev_a {
            address == self.hardware_address & 0x04
        } else {
            address == 0
        }
    }
}

/// One SPI frame in progress (chip select low).
struct Frame {
    position: usize,
    selected: bool,
    read: bool,
}

impl Mcp23017Sim {
    fn exchange(&mut self, frame: &mut Frame, out: u8) -> u8 {
        let position = frame.position;
        frame.position = position.saturating_add(1);
        match position {
            0 => {
                frame.selected = self.spi_selected(out);
                frame.read = out & chip::SPI_READ != 0;
                0xFF
            }
            _ if !frame.selected => 0xFF,
            1 => {
                self.pointer = out;
                0xFF
            }
            _ if frame.read => self.read_byte(),
            _ => {
                self.write_byte(out);
                0xFF
            }
        }
    }

    fn run_i2c(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), i2c::ErrorKind> {
        if address != self.i2c_address || address == 0 {
            return Err(i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address));
        }
        if operations.iter().any(|op| matches!(op, i2c::Operation::Read(_)))
            && self.pair(IODIR).bits() & chip::GPX7 != 0
        {
            self.gpx7_input_reads = self.gpx7_input_reads.saturating_add(1);
        }
        let mut previous_was_write = false;
        for operation in operations {
            match operation {
                i2c::Operation::Write(bytes) => {
                    let mut data = bytes.iter();
                    if !previous_was_write {
                        if let Some(pointer) = data.next() {
                            self.pointer = *pointer;
                        }
                    }
                    for value in data {
                        self.write_byte(*value);
                    }
                    previous_was_write = true;
                }
                i2c::Operation::Read(buffer) => {
                    for value in buffer.iter_mut() {
                        *value = self.read_byte();
                    }
                    previous_was_write = false;
                }
            }
        }
        Ok(())
    }

    fn run_spi(&mut self, operations: &mut [spi::Operation<'_, u8>]) {
        let mut frame = Frame {
            position: 0,
            selected: false,
            read: false,
        };
        for operation in operations {
            match operation {
                spi::Operation::Write(bytes) => {
                    for out in bytes.iter() {
                        self.exchange(&mut frame, *out);
                    }
                }
                spi::Operation::Read(buffer) => {
                    for into in buffer.iter_mut() {
                        *into = self.exchange(&mut frame, 0);
                    }
                }
                spi::Operation::Transfer(read, write) => {
                    let length = read.len().max(write.len());
                    for i in 0..length {
                        let out = write.get(i).copied().unwrap_or(0);
                        let answer = self.exchange(&mut frame, out);
                        if let Some(into) = read.get_mut(i) {
                            *into = answer;
                        }
                    }
                }
                spi::Operation::TransferInPlace(buffer) => {
                    for byte in buffer.iter_mut() {
                        *byte = self.exchange(&mut frame, *byte);
                    }
                }
                spi::Operation::DelayNs(_) => {}
            }
        }
    }
}

impl i2c::ErrorType for Mcp23017Sim {
    type Error = i2c::ErrorKind;
}

impl i2c::I2c for Mcp23017Sim {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.run_i2c(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for Mcp23017Sim {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.run_i2c(address, operations)
    }
}

impl spi::ErrorType for Mcp23017Sim {
    type Error = core::convert::Infallible;
}

impl spi::SpiDevice for Mcp23017Sim {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run_spi(operations);
        Ok(())
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for Mcp23017Sim {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run_spi(operations);
        Ok(())
    }
}

/// Several MCP23S17s on one chip select (a shared SPI device), for testing hardware addressing.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SharedChipSelect<const N: usize> {
    /// The chips.
    pub chips: [Mcp23017Sim; N],
}

impl<const N: usize> spi::ErrorType for SharedChipSelect<N> {
    type Error = core::convert::Infallible;
}

impl<const N: usize> spi::SpiDevice for SharedChipSelect<N> {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run(operations);
        Ok(())
    }
}

#[cfg(feature = "async")]
impl<const N: usize> embedded_hal_async::spi::SpiDevice for SharedChipSelect<N> {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.run(operations);
        Ok(())
    }
}

impl<const N: usize> SharedChipSelect<N> {
    /// Every chip sees the frame (writes and reads; a transfer is not modelled here).
    fn run(&mut self, operations: &mut [spi::Operation<'_, u8>]) {
        // Every chip sees the frame; the selected one answers (reads of the others are 0xFF, wired-AND here).
        let mut answers: [Option<u8>; 64] = [None; 64];
        for chip in self.chips.iter_mut() {
            let mut copy = [0u8; 64];
            let mut frame = Frame {
                position: 0,
                selected: false,
                read: false,
            };
            let mut slot = 0usize;
            for operation in operations.iter() {
                match operation {
                    spi::Operation::Write(bytes) => {
                        for out in bytes.iter() {
                            chip.exchange(&mut frame, *out);
                        }
                    }
                    spi::Operation::Read(buffer) => {
                        for _ in 0..buffer.len() {
                            let answer = chip.exchange(&mut frame, 0);
                            if let Some(c) = copy.get_mut(slot) {
                                *c = answer;
                            }
                            slot += 1;
                        }
                    }
                    _ => {}
                }
            }
            for (into, answer) in answers.iter_mut().zip(copy.iter()).take(slot) {
                *into = Some(into.unwrap_or(0xFF) & *answer);
            }
        }
        let mut slot = 0usize;
        for operation in operations.iter_mut() {
            if let spi::Operation::Read(buffer) = operation {
                for into in buffer.iter_mut() {
                    *into = answers.get(slot).copied().flatten().unwrap_or(0xFF);
                    slot += 1;
                }
            }
        }
    }
}

/// Bus traffic counted by [`CountingBus`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Traffic {
    /// Transactions (I2C START … STOP, or one SPI chip-select window).
    pub transactions: u32,
    /// Bytes written: after the address byte on I2C; opcode included on SPI.
    pub written: u32,
    /// Bytes read.
    pub read: u32,
}

/// Wraps a bus and counts what crosses it, for bus-traffic figures. The same shape as [`FaultyBus`]:
/// `new(bus)`, `inner()`, `inner_mut()`, `into_inner()`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    bus: B,
    traffic: Traffic,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`, with nothing counted yet.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            traffic: Traffic::default(),
        }
    }

    /// What crossed the bus since `new` or the last [`reset_traffic`](Self::reset_traffic).
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// Starts counting again from zero.
    pub fn reset_traffic(&mut self) {
        self.traffic = Traffic::default();
    }

    /// The wrapped bus, borrowed.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, borrowed mutably (what goes through it directly is not counted).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Gives the wrapped bus back.
    pub fn into_inner(self) -> B {
        self.bus
    }

    fn add(&mut self, written: usize, read: usize) {
        let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.traffic.written = self.traffic.written.saturating_add(bytes(written));
        self.traffic.read = self.traffic.read.saturating_add(bytes(read));
    }

    fn count_i2c(&mut self, operations: &[i2c::Operation<'_>]) {
        self.traffic.transactions = self.traffic.transactions.saturating_add(1);
        for operation in operations {
            match operation {
                i2c::Operation::Write(data) => self.add(data.len(), 0),
                i2c::Operation::Read(buffer) => self.add(0, buffer.len()),
            }
        }
    }

    fn count_spi(&mut self, operations: &[spi::Operation<'_, u8>]) {
        self.traffic.transactions = self.traffic.transactions.saturating_add(1);
        for operation in operations {
            match operation {
                spi::Operation::Write(data) => self.add(data.len(), 0),
                spi::Operation::Read(buffer) => self.add(0, buffer.len()),
                spi::Operation::Transfer(read, write) => self.add(write.len(), read.len()),
                spi::Operation::TransferInPlace(buffer) => self.add(buffer.len(), buffer.len()),
                spi::Operation::DelayNs(_) => {}
            }
        }
    }
}

impl<B: i2c::ErrorType> i2c::ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: i2c::I2c> i2c::I2c for CountingBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.count_i2c(operations);
        self.bus.transaction(address, operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for CountingBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.count_i2c(operations);
        self.bus.transaction(address, operations).await
    }
}

impl<B: spi::ErrorType> spi::ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: spi::SpiDevice> spi::SpiDevice for CountingBus<B> {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count_spi(operations);
        self.bus.transaction(operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for CountingBus<B> {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.count_spi(operations);
        self.bus.transaction(operations).await
    }
}
