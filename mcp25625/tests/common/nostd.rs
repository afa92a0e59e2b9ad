//! The std-free half of the test support: everything `tests/sim.rs` uses, on the host and on the target (ci/qemu).

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

pub use embedded_can::{ExtendedId, Frame as _, Id, StandardId};
pub use embedded_hal::spi::ErrorKind;
pub use fugit::RateExtU32;
pub use mcp25625::{
    Acceptance, ArgumentError, BitTiming, BitTimingError, ClockOut, Config, Error, Filter, FilterNumber, Frame,
    Interrupts, Mask, MaskNumber, Mode, ReceiveMethod, RxBuffer, RxPinMode, TxBuffer, TxPinMode, TxPriority,
};

/// 500 kbit/s at 16 MHz, the example configuration.
pub fn config_500k() -> Config {
    Config::new(BitTiming::new(16.MHz(), 500.kHz()).unwrap())
}

pub fn std_frame(id: u16, data: &[u8]) -> Frame {
    Frame::new(StandardId::new(id).unwrap(), data).unwrap()
}

pub fn ext_frame(id: u32, data: &[u8]) -> Frame {
    Frame::new(ExtendedId::new(id).unwrap(), data).unwrap()
}

/// An SPI device that fails every transaction with `ErrorKind::Other`.
#[derive(Debug, Default)]
pub struct FailingSpi;

impl embedded_hal::spi::ErrorType for FailingSpi {
    type Error = ErrorKind;
}

impl embedded_hal::spi::SpiDevice for FailingSpi {
    fn transaction(&mut self, _: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), ErrorKind> {
        Err(ErrorKind::Other)
    }
}

impl embedded_hal_async::spi::SpiDevice for FailingSpi {
    async fn transaction(&mut self, _: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), ErrorKind> {
        Err(ErrorKind::Other)
    }
}

/// Passes transactions to `inner`, except the `fail_at`-th (counting from 1), which fails with
/// `ErrorKind::Other` without reaching it.
#[derive(Debug)]
pub struct FailAt<S> {
    pub inner: S,
    pub fail_at: usize,
    pub count: usize,
}

impl<S> FailAt<S> {
    pub fn new(inner: S, fail_at: usize) -> Self {
        Self {
            inner,
            fail_at,
            count: 0,
        }
    }

    fn fails(&mut self) -> bool {
        self.count += 1;
        self.count == self.fail_at
    }
}

impl<S> embedded_hal::spi::ErrorType for FailAt<S> {
    type Error = ErrorKind;
}

impl<S: embedded_hal::spi::SpiDevice<Error = ErrorKind>> embedded_hal::spi::SpiDevice for FailAt<S> {
    fn transaction(&mut self, operations: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), ErrorKind> {
        if self.fails() {
            return Err(ErrorKind::Other);
        }
        self.inner.transaction(operations)
    }
}

impl<S: embedded_hal_async::spi::SpiDevice<Error = ErrorKind>> embedded_hal_async::spi::SpiDevice for FailAt<S> {
    async fn transaction(&mut self, operations: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), ErrorKind> {
        if self.fails() {
            return Err(ErrorKind::Other);
        }
        self.inner.transaction(operations).await
    }
}

/// An async delay that returns `Pending` once before it ends (an await point a test can drop a future at);
/// the blocking one returns at once.
#[derive(Debug, Default)]
pub struct YieldDelay;

impl embedded_hal::delay::DelayNs for YieldDelay {
    fn delay_ns(&mut self, _: u32) {}
}

impl embedded_hal_async::delay::DelayNs for YieldDelay {
    async fn delay_ns(&mut self, _: u32) {
        let mut yielded = false;
        core::future::poll_fn(|cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }
}

/// Passes transactions to `inner` and panics once more than `limit` were made: a wait that never ends fails
/// the test instead of hanging it.
#[derive(Debug)]
pub struct Budget<S> {
    pub inner: S,
    pub limit: usize,
    pub count: usize,
}

impl<S> Budget<S> {
    pub fn new(inner: S, limit: usize) -> Self {
        Self { inner, limit, count: 0 }
    }

    fn spend(&mut self) {
        self.count += 1;
        assert!(
            self.count <= self.limit,
            "more than {} transactions: an unbounded wait",
            self.limit
        );
    }
}

impl<S: embedded_hal::spi::ErrorType> embedded_hal::spi::ErrorType for Budget<S> {
    type Error = S::Error;
}

impl<S: embedded_hal::spi::SpiDevice> embedded_hal::spi::SpiDevice for Budget<S> {
    fn transaction(&mut self, operations: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), S::Error> {
        self.spend();
        self.inner.transaction(operations)
    }
}

impl<S: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for Budget<S> {
    async fn transaction(&mut self, operations: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), S::Error> {
        self.spend();
        self.inner.transaction(operations).await
    }
}

/// A delay that only adds up what it was asked to wait.
#[derive(Debug, Default)]
pub struct Clock {
    pub waited_ns: u64,
}

impl embedded_hal::delay::DelayNs for Clock {
    fn delay_ns(&mut self, ns: u32) {
        self.waited_ns += u64::from(ns);
    }
}

impl embedded_hal_async::delay::DelayNs for Clock {
    async fn delay_ns(&mut self, ns: u32) {
        self.waited_ns += u64::from(ns);
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
