//! The host half of the test support: the `embedded-hal-mock` builders and what else needs `std`.

use super::nostd::*;

pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};
pub use embedded_hal_mock::eh1::spi::{Mock as SpiMock, Transaction as Spi};

/// A write of `value` to sub-address `sub`.
pub fn w(sub: u8, value: u8) -> I2c {
    I2c::write(ADDR, vec![sub, value])
}

/// A write of several bytes to sub-address `sub` (a burst).
pub fn burst(sub: u8, data: &[u8]) -> I2c {
    let mut bytes = vec![sub];
    bytes.extend_from_slice(data);
    I2c::write(ADDR, bytes)
}

/// A write-read of sub-address `sub` answering `answer`.
pub fn r(sub: u8, answer: u8) -> I2c {
    I2c::write_read(ADDR, vec![sub], vec![answer])
}

/// A burst read of sub-address `sub` answering `answer`.
pub fn rb(sub: u8, answer: &[u8]) -> I2c {
    I2c::write_read(ADDR, vec![sub], answer.to_vec())
}

/// `init(&Config::default())`: 115 200 baud 8N1 from 14.7456 MHz, FIFOs on and reset.
pub fn init_115200() -> Vec<I2c> {
    vec![
        w(LCR, 0xBF),
        w(EFR, 0x10),
        w(LCR, 0x03),
        w(IER, 0x00),
        w(MCR, 0x04),
        w(TLR, 0x00),
        w(MCR, 0x00),
        w(LCR, 0x80),
        w(DLL, 0x08),
        w(DLH, 0x00),
        w(LCR, 0x03),
        w(FCR, 0x07),
        w(EFCR, 0x00),
    ]
}

/// A mock that expects `init_115200` then `rest`.
pub fn after_init(rest: &[I2c]) -> I2cMock {
    let mut all = init_115200();
    all.extend_from_slice(rest);
    I2cMock::new(&all)
}

/// A mock expecting exactly `transactions`.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// One SPI frame writing `bytes` (sub-address first).
pub fn spi_w(bytes: &[u8]) -> [Spi<u8>; 3] {
    [
        Spi::transaction_start(),
        Spi::write_vec(bytes.to_vec()),
        Spi::transaction_end(),
    ]
}

/// One SPI frame reading `answer` from `sub` (the read flag 0x80 is added here).
pub fn spi_r(sub: u8, answer: &[u8]) -> [Spi<u8>; 4] {
    [
        Spi::transaction_start(),
        Spi::write_vec(vec![sub | 0x80]),
        Spi::read_vec(answer.to_vec()),
        Spi::transaction_end(),
    ]
}

/// The sheet's 64-byte test payload: 0, 1, …, 63.
pub fn payload(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}
