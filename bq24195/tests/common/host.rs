//! The host half of the test support: the `embedded-hal-mock` builders and what else needs `std`.

use super::nostd::*;

pub use embedded_hal_mock::eh1::delay::{CheckedDelay, Transaction as Delay};
pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};

/// A mock bus expecting exactly `transactions`; call `.done()` on it at the end.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// The single-register write-read of `register` answering `value`.
pub fn read(register: u8, value: u8) -> I2c {
    I2c::write_read(ADDR, vec![register], vec![value])
}

/// A 2-byte register write.
pub fn write(register: u8, value: u8) -> I2c {
    I2c::write(ADDR, vec![register, value])
}

/// The guarded REG00 read: REG07 then REG00 in one transaction.
pub fn guarded_input(reg07: u8, reg00: u8) -> Vec<I2c> {
    vec![
        I2c::transaction_start(ADDR),
        I2c::write(ADDR, vec![0x07]),
        I2c::read(ADDR, vec![reg07]),
        I2c::write(ADDR, vec![0x00]),
        I2c::read(ADDR, vec![reg00]),
        I2c::transaction_end(ADDR),
    ]
}

/// Status and faults in one transaction.
pub fn status_and_faults(reg08: u8, reg09: u8) -> Vec<I2c> {
    vec![
        I2c::transaction_start(ADDR),
        I2c::write(ADDR, vec![0x08]),
        I2c::read(ADDR, vec![reg08]),
        I2c::write(ADDR, vec![0x09]),
        I2c::read(ADDR, vec![reg09]),
        I2c::transaction_end(ADDR),
    ]
}

/// A bus shared between the driver and the test (which injects faults and moves the simulated world between
/// operations): a handle on one `RefCell`, as `embedded-hal-bus` would give, without the dependency.
#[derive(Debug)]
pub struct Shared<B>(pub std::rc::Rc<std::cell::RefCell<B>>);

impl<B> Clone for Shared<B> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<B> Shared<B> {
    /// Wraps `bus`.
    pub fn new(bus: B) -> Self {
        Self(std::rc::Rc::new(std::cell::RefCell::new(bus)))
    }

    /// The bus, for the test.
    pub fn get(&self) -> std::cell::RefMut<'_, B> {
        self.0.borrow_mut()
    }
}

impl<B: embedded_hal::i2c::ErrorType> embedded_hal::i2c::ErrorType for Shared<B> {
    type Error = B::Error;
}

impl<B: embedded_hal::i2c::I2c> embedded_hal::i2c::I2c for Shared<B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.0.borrow_mut().transaction(address, operations)
    }
}

impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for Shared<B> {
    #[allow(clippy::await_holding_refcell_ref)]
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        // held across the await: the test touches the bus only between polls, and a dropped future releases it
        self.0.borrow_mut().transaction(address, operations).await
    }
}
