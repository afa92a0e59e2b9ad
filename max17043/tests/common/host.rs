//! The host half of the test support: the `embedded-hal-mock` builders and what else needs `std`.

use super::nostd::*;

pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};

/// A mock bus expecting exactly `transactions`; call `.done()` on it at the end.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// One register read: write the register address, repeated start, read MSB and LSB.
pub fn read(register: u8, value: u16) -> I2c {
    I2c::write_read(ADDR, vec![register], value.to_be_bytes().to_vec())
}

/// One register write: address, MSB, LSB.
pub fn write(register: u8, value: u16) -> I2c {
    let [msb, lsb] = value.to_be_bytes();
    I2c::write(ADDR, vec![register, msb, lsb])
}
