//! The std-free half of the test support: everything `tests/sim.rs` uses, on the host and on the target (ci/qemu).

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

pub use embedded_hal::i2c::ErrorKind;
pub use mcp23017::{
    Address, ArgumentError, Config, Error, HardwareAddress, IntOutput, InterruptStatus, InterruptTrigger, PinId,
    PinMode, Pins, Port,
};

/// The address every I2C mock test talks to (A2..A0 low).
pub const ADDR: u8 = 0x20;

/// A NACK on the address byte.
pub fn nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(embedded_hal::i2c::NoAcknowledgeSource::Address)
}

/// The bus error a NACKed call returns.
pub fn nacked<T>() -> Result<T, Error<ErrorKind>> {
    Err(Error::Bus(nack()))
}

/// An SPI device whose every transaction fails (the SPI mock has no error injection).
#[derive(Debug, Default)]
pub struct FailingSpi {
    /// Transactions attempted.
    pub attempts: u32,
}

impl embedded_hal::spi::ErrorType for FailingSpi {
    type Error = embedded_hal::spi::ErrorKind;
}

impl embedded_hal::spi::SpiDevice for FailingSpi {
    fn transaction(&mut self, _: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.attempts += 1;
        Err(embedded_hal::spi::ErrorKind::Other)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for FailingSpi {
    async fn transaction(&mut self, _: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.attempts += 1;
        Err(embedded_hal::spi::ErrorKind::Other)
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
