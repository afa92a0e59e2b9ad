//! Shared test support: the mock builders and the runner that puts every test body through both drivers.
#![allow(dead_code, unused_imports)]

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

pub use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};
pub use max17043::{
    ArgumentError, Config, Error, PorCommand, RcompCompensation, Register, ResetOutcome, Settings, SocScale,
    StateOfCharge, Variant, Voltage,
};

/// The blocking driver, under a name that does not collide with `Variant::Max17043` when `maybe-async-cfg`
/// renames identifiers in the test bodies.
pub use max17043::Max17043 as Gauge;
/// The async driver.
#[cfg(feature = "async")]
pub use max17043::Max17043Async as GaugeAsync;

/// The gauge's fixed address.
pub const ADDR: u8 = 0x36;

/// A waker that does nothing (`Waker::noop` needs Rust 1.85; the MSRV is 1.81).
struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

/// Drives a future whose bus never waits (a mock or the simulator) to completion.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(NoopWaker));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

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

/// A NACK of the address byte (no chip).
pub fn address_nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
}

/// A NACK of a data byte.
pub fn data_nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)
}

/// Generates, for each name, a `#[test]` running `blocking::name()` and one running `asynch::name()` to
/// completion: the same body, through both drivers.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn blocking() {
                    super::blocking::$name();
                }
                #[cfg(feature = "async")]
                #[test]
                fn asynch() {
                    super::common::block_on(super::asynch::$name());
                }
            }
        )*
    };
}
