//! The chip's register map (IOCON.BANK = 0, the power-on layout the driver works in), IOCON bits, bus
//! framing constants, and the pure encoding of 16-bit port values. No bus here.
//!
//! In the BANK = 0 map every register is a pair: port A at an even address, port B at the next one. A 16-bit
//! value travels **port A byte first**: pin n is bit n, GPA0..GPA7 = bits 0..7, GPB0..GPB7 = bits 8..15.
//!
//! Public API, for a raw access the driver does not offer (say, on the bus borrowed with `bus_mut()`): its
//! constants and functions are covered by semver like the rest of the crate. Registers written behind the driver's
//! back leave its cache stale: call `resync` afterwards.

/// I/O direction, port A (1 = input). Port B is the next address in every pair below.
pub const IODIRA: u8 = 0x00;
/// Input polarity, port A (1 = GPIO reads the inverted level).
pub const IPOLA: u8 = 0x02;
/// Interrupt-on-change enable, port A.
pub const GPINTENA: u8 = 0x04;
/// Default compare value for interrupts, port A.
pub const DEFVALA: u8 = 0x06;
/// Interrupt control, port A (1 = compare with DEFVAL, 0 = compare with the previous level).
pub const INTCONA: u8 = 0x08;
/// Configuration; the same register also answers at 0x0B.
pub const IOCON: u8 = 0x0A;
/// Pull-up enable, port A (~100 kΩ).
pub const GPPUA: u8 = 0x0C;
/// Interrupt flags, port A (read-only).
pub const INTFA: u8 = 0x0E;
/// Interrupt capture, port A (read-only; reading it clears the port's interrupt).
pub const INTCAPA: u8 = 0x10;
/// Port levels, port A (reading it clears the port's interrupt; writing it writes OLAT).
pub const GPIOA: u8 = 0x12;
/// Output latch, port A.
pub const OLATA: u8 = 0x14;
/// The last register of the BANK = 0 map.
pub const OLATB: u8 = 0x15;

/// IOCON's register index (its address on the MCP23x08; 0x0A = index × 2 on the 16-pin parts).
pub const IOCON_INDEX: u8 = 5;
/// INTF's register index.
pub const INTF_INDEX: u8 = 7;
/// INTCAP's register index.
pub const INTCAP_INDEX: u8 = 8;
/// GPIO's register index.
pub const GPIO_INDEX: u8 = 9;

/// The MCP23008/MCP23S08's register map (one port, no banks): each register at its index.
pub mod mcp23008 {
    /// I/O direction (1 = input).
    pub const IODIR: u8 = 0x00;
    /// Input polarity.
    pub const IPOL: u8 = 0x01;
    /// Interrupt-on-change enable.
    pub const GPINTEN: u8 = 0x02;
    /// Default compare value.
    pub const DEFVAL: u8 = 0x03;
    /// Interrupt control.
    pub const INTCON: u8 = 0x04;
    /// Configuration: SEQOP, DISSLW, HAEN (MCP23S08), ODR, INTPOL; bits 7, 6 and 0 unimplemented.
    pub const IOCON: u8 = 0x05;
    /// Pull-up enable.
    pub const GPPU: u8 = 0x06;
    /// Interrupt flags (read-only).
    pub const INTF: u8 = 0x07;
    /// Interrupt capture (read-only; reading it clears the interrupt).
    pub const INTCAP: u8 = 0x08;
    /// Port levels (reading clears the interrupt; writing writes OLAT).
    pub const GPIO: u8 = 0x09;
    /// Output latch; the sequential pointer wraps to 0x00 after it.
    pub const OLAT: u8 = 0x0A;
}

/// IOCON's address when the chip is in BANK = 1 (0x05; it is GPINTENB in BANK = 0). A write of IOCON with
/// BANK = 0 to this address brings a chip in either bank to the BANK = 0 map.
pub const IOCON_BANK1: u8 = 0x05;
/// IOCON's second address in BANK = 1 (0x15; it is OLATB in BANK = 0).
pub const IOCON_BANK1_B: u8 = 0x15;

/// The address of register `index` (0 = IODIR … 10 = OLAT) of `port` (0 = A, 1 = B) in either bank layout.
pub const fn address(index: u8, port: u8, bank1: bool) -> u8 {
    let port = port & 1;
    let index = if index > 10 { 10 } else { index };
    if bank1 {
        index | port << 4
    } else {
        index << 1 | port
    }
}

/// IOCON.BANK: 1 = registers of one port together (BANK = 1 map). The driver always clears it.
pub const IOCON_BANK: u8 = 0x80;
/// IOCON.MIRROR: INTA and INTB both report either port.
pub const IOCON_MIRROR: u8 = 0x40;
/// IOCON.SEQOP: 1 = the address pointer does **not** increment (byte mode).
pub const IOCON_SEQOP: u8 = 0x20;
/// IOCON.DISSLW: 1 = SDA slew-rate control disabled.
pub const IOCON_DISSLW: u8 = 0x10;
/// IOCON.HAEN: MCP23S17 hardware address pins enabled (no effect on the MCP23017).
pub const IOCON_HAEN: u8 = 0x08;
/// IOCON.ODR: INT pins open-drain (overrides INTPOL).
pub const IOCON_ODR: u8 = 0x04;
/// IOCON.INTPOL: INT pins active-high (push-pull only).
pub const IOCON_INTPOL: u8 = 0x02;
/// IOCON.INTCC, MCP23018/MCP23S18 only: 1 = reading INTCAP clears the interrupt, 0 (power-on) = reading GPIO
/// does. Unimplemented (reads 0) on the MCP23x17.
pub const IOCON_INTCC: u8 = 0x01;
/// The bits IOCON implements on the MCP23x17 (bit 0 reads 0 there; it is INTCC on the MCP23x18).
pub const IOCON_WRITABLE: u8 = 0xFE;

// ---- Bits a read-modify-write never writes back as read (issue 12, invariant 3) -------------------------------
// The MCP23x17 has no self-clearing or command bit in a register the driver writes: INTF, INTCAP and GPIO (whose
// read clears an interrupt) are never read to be written back, and GPIO is never written (OLAT is). One mask per
// register, applied by every write of the driver, so that a bit found later is masked in one place.

/// IODIR: none.
pub const IODIR_NOT_WRITTEN_BACK: u16 = 0;
/// IPOL: none.
pub const IPOL_NOT_WRITTEN_BACK: u16 = 0;
/// GPINTEN: none.
pub const GPINTEN_NOT_WRITTEN_BACK: u16 = 0;
/// DEFVAL: none.
pub const DEFVAL_NOT_WRITTEN_BACK: u16 = 0;
/// INTCON: none.
pub const INTCON_NOT_WRITTEN_BACK: u16 = 0;
/// GPPU: none.
pub const GPPU_NOT_WRITTEN_BACK: u16 = 0;
/// OLAT: none.
pub const OLAT_NOT_WRITTEN_BACK: u16 = 0;
/// IOCON on the MCP23x17: BANK (written back as read from a chip left in BANK = 1, it would move every register
/// the driver addresses) and the unimplemented bit 0. On the MCP23x18 BANK only (bit 0 is INTCC there).
pub const IOCON_NOT_WRITTEN_BACK: u8 = IOCON_BANK | 0x01;

/// IODIR after power-on: every pin an input.
pub const IODIR_RESET: u16 = 0xFFFF;

/// The MCP23017's I2C address with A2..A0 low.
pub const I2C_BASE_ADDRESS: u8 = 0x20;
/// The MCP23S17's SPI opcode with A2..A0 = 0, write.
pub const SPI_OPCODE: u8 = 0x40;
/// The read bit of the SPI opcode.
pub const SPI_READ: u8 = 0x01;

/// GPA7 and GPB7: output-only on the MCP23017 (erratum, datasheet revision D).
pub const GPX7: u16 = 0x8080;

/// The SPI opcode for hardware address `hw` (0..=7), write or read.
pub const fn spi_opcode(hw: u8, read: bool) -> u8 {
    SPI_OPCODE | (hw & 0x07) << 1 | if read { SPI_READ } else { 0 }
}

/// A 16-bit value as it travels: `[port A, port B]`.
pub const fn encode_pair(value: u16) -> [u8; 2] {
    value.to_le_bytes()
}

/// The 16-bit value of a `[port A, port B]` pair.
pub const fn decode_pair(bytes: [u8; 2]) -> u16 {
    u16::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank0_addresses_are_paired() {
        assert_eq!(address(0, 0, false), IODIRA);
        assert_eq!(address(0, 1, false), 0x01);
        assert_eq!(address(5, 0, false), IOCON);
        assert_eq!(address(5, 1, false), 0x0B);
        assert_eq!(address(7, 1, false), 0x0F);
        assert_eq!(address(9, 0, false), GPIOA);
        assert_eq!(address(10, 1, false), OLATB);
    }

    #[test]
    fn bank1_addresses_are_split() {
        assert_eq!(address(0, 1, true), 0x10);
        assert_eq!(address(5, 0, true), IOCON_BANK1);
        assert_eq!(address(5, 1, true), 0x15);
        assert_eq!(address(9, 1, true), 0x19);
        assert_eq!(address(10, 1, true), 0x1A);
        assert_eq!(address(200, 0, true), 0x0A);
    }

    #[test]
    fn spi_opcodes_match_the_sheet() {
        assert_eq!(spi_opcode(0, false), 0x40);
        assert_eq!(spi_opcode(3, true), 0x47);
        assert_eq!(spi_opcode(7, false), 0x4E);
    }

    #[test]
    fn port_a_travels_first() {
        assert_eq!(encode_pair(0x55AA), [0xAA, 0x55]);
        assert_eq!(decode_pair([0x12, 0x34]), 0x3412);
    }

    #[test]
    fn iocon_bits_match_the_sheet() {
        assert_eq!(
            [
                IOCON_BANK,
                IOCON_MIRROR,
                IOCON_SEQOP,
                IOCON_DISSLW,
                IOCON_HAEN,
                IOCON_ODR,
                IOCON_INTPOL,
                IOCON_INTCC
            ],
            [0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01]
        );
    }
}
