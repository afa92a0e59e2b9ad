//! The host half of the test support: the `embedded-hal-mock` builders and what else needs `std`.

use super::nostd::*;

pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};
pub use embedded_hal_mock::eh1::spi::{Mock as SpiMock, Transaction as Spi};

/// A mock bus expecting exactly `transactions`; call `.done()` on it at the end.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// A write of `bytes` (register first) to the chip.
pub fn write(bytes: &[u8]) -> I2c {
    I2c::write(ADDR, bytes.to_vec())
}

/// A write-read from `register` answering `answer`.
pub fn read(register: u8, answer: &[u8]) -> I2c {
    I2c::write_read(ADDR, vec![register], answer.to_vec())
}

/// What a cold driver reads first to learn the register map and IOCON (a chip in the BANK = 0 map, GPB7's
/// interrupt off): 0x05 (GPINTENB here, IOCON in BANK = 1) with BANK clear, then IOCON at 0x0A.
pub fn map_reads(iocon: u8) -> [I2c; 2] {
    [read(0x05, &[0x00]), read(0x0A, &[iocon])]
}

/// A mock bus for a cold driver: [`map_reads`] (IOCON = 0), then `transactions`.
pub fn cold_mock(transactions: &[I2c]) -> I2cMock {
    let mut all = map_reads(0x00).to_vec();
    all.extend_from_slice(transactions);
    I2cMock::new(&all)
}

/// [`map_reads`] on SPI, read opcode `opcode`.
pub fn spi_map_reads(opcode: u8, iocon: u8) -> Vec<Spi<u8>> {
    let mut all = spi_read(opcode, 0x05, &[0x00]).to_vec();
    all.extend(spi_read(opcode, 0x0A, &[iocon]));
    all
}

/// One SPI frame: chip select low, `header` (opcode), `bytes`, chip select high.
pub fn spi_write(opcode: u8, bytes: &[u8]) -> [Spi<u8>; 4] {
    [
        Spi::transaction_start(),
        Spi::write_vec(vec![opcode]),
        Spi::write_vec(bytes.to_vec()),
        Spi::transaction_end(),
    ]
}

/// One SPI read frame: opcode and register out, `answer` in.
pub fn spi_read(opcode: u8, register: u8, answer: &[u8]) -> [Spi<u8>; 4] {
    [
        Spi::transaction_start(),
        Spi::write_vec(vec![opcode, register]),
        Spi::read_vec(answer.to_vec()),
        Spi::transaction_end(),
    ]
}

/// The I2C traffic of `init(Config::default())`: IOCON at 0x05, IOCON at 0x0A/0x0B, the 23-byte power-on burst,
/// the interrupt status read answering `levels`.
pub fn init_default(levels: u16) -> Vec<I2c> {
    let [a, b] = levels.to_le_bytes();
    let mut burst = vec![0x00, 0xFF, 0xFF];
    burst.extend_from_slice(&[0; 20]);
    vec![
        write(&[0x05, 0x00]),
        write(&[0x0A, 0x00, 0x00]),
        write(&burst),
        read(0x0E, &[0, 0, 0, 0, a, b]),
    ]
}
