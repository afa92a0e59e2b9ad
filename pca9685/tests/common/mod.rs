//! Shared test support: the mock builders and the runner that puts every test body through both drivers.
#![allow(dead_code, unused_imports)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

pub use embedded_hal::i2c::ErrorKind;
pub use embedded_hal_mock::eh1::delay::{CheckedDelay, NoopDelay, Transaction as Delay};
pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};
pub use pca9685::{Address, ArgumentError, Channel, ChannelSetting, Error};

/// The address every mock test talks to.
pub const ADDR: u8 = 0x40;

/// Drives a future whose bus never waits (a mock or the simulator) to completion.
#[allow(clippy::incompatible_msrv)] // tests run on the current toolchain, not the MSRV one
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A mock bus expecting exactly `transactions`; call `.done()` on it (or use [`done`]) at the end.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// The write-read that fills an empty MODE1 cache.
pub fn read_mode1(value: u8) -> I2c {
    I2c::write_read(ADDR, vec![0x00], vec![value])
}

/// A NACK on the address byte.
pub fn nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(embedded_hal::i2c::NoAcknowledgeSource::Address)
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

/// Polls `future` at most `polls` times with a no-op waker, then drops it: `Some(output)` if it finished, `None`
/// if it was dropped at an await point (as a `select` or a `with_timeout` in firmware would drop it).
#[allow(clippy::incompatible_msrv)] // tests run on the current toolchain, not the MSRV one
pub fn poll_then_drop<F: Future>(future: F, polls: usize) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..polls {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Some(output);
        }
    }
    None
}
