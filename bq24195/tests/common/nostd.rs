//! The std-free half of the test support: everything `tests/sim.rs` uses, on the host and on the target (ci/qemu).

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

pub use bq24195::{ArgumentError, Config, Error, Variant};
pub use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource, Operation};

/// `Variant::Bq24195` (inside the `maybe` test modules the ident `Bq24195` is renamed for the async twin).
pub const STANDARD: Variant = Variant::Bq24195;

/// The chip's fixed address.
pub const ADDR: u8 = 0x6B;

/// A NACK on the address byte.
pub fn nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
}

/// A bus on which every transaction is NACKed (the mock cannot fail a multi-operation transaction).
#[derive(Debug, Default)]
pub struct Nacking {
    /// Transactions attempted.
    pub attempts: u32,
}

impl embedded_hal::i2c::ErrorType for Nacking {
    type Error = ErrorKind;
}

impl embedded_hal::i2c::I2c for Nacking {
    fn transaction(&mut self, _: u8, _: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        self.attempts += 1;
        Err(nack())
    }
}

impl embedded_hal_async::i2c::I2c for Nacking {
    async fn transaction(&mut self, _: u8, _: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        self.attempts += 1;
        Err(nack())
    }
}

/// A delay that returns at once, blocking and async.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopDelay;

impl NoopDelay {
    /// A new delay.
    pub const fn new() -> Self {
        Self
    }
}

impl embedded_hal::delay::DelayNs for NoopDelay {
    fn delay_ns(&mut self, _: u32) {}
}

#[cfg(feature = "async")]
impl embedded_hal_async::delay::DelayNs for NoopDelay {
    async fn delay_ns(&mut self, _: u32) {}
}

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

/// Generates, for each name, a `#[test]` running `blocking::name()` and one running `asynch::name()` to
/// completion: the same body, through both drivers.
#[cfg(not(target_os = "none"))]
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

/// On the target (ci/qemu, which has no test harness): the same bodies as `CASES`, a table of (case, driver,
/// body) that ci/qemu runs.
#[cfg(target_os = "none")]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                pub fn asynch() {
                    super::common::block_on(super::asynch::$name());
                }
            }
        )*
        /// Every case of this file through both drivers: (case, driver, body).
        pub const CASES: &[(&str, &str, fn())] = &[
            $(
                (stringify!($name), "blocking", blocking::$name),
                (stringify!($name), "async", $name::asynch),
            )*
        ];
    };
}
