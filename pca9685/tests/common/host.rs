//! The host half of the test support: the `embedded-hal-mock` builders (the mocks need `std`).

use super::nostd::*;

pub use embedded_hal_mock::eh1::delay::{CheckedDelay, Transaction as Delay};
pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};

/// A mock bus expecting exactly `transactions`; call `.done()` on it (or use [`done`]) at the end.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// The write-read that fills an empty MODE1 cache.
pub fn read_mode1(value: u8) -> I2c {
    I2c::write_read(ADDR, vec![0x00], vec![value])
}
