//! The std-free half of the test support: everything `tests/sim.rs` uses, on the host and on the target (ci/qemu).

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

pub use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
/// The blocking driver, under a name that does not collide with `Variant::Max17043` when `maybe-async-cfg`
/// renames identifiers in the test bodies.
pub use max17043::Max17043 as Gauge;
/// The async driver.
#[cfg(feature = "async")]
pub use max17043::Max17043Async as GaugeAsync;
pub use max17043::{
    ArgumentError, Config, Error, PorCommand, RcompCompensation, Register, ResetOutcome, Settings, SocScale,
    StateOfCharge, Variant, Voltage,
};

/// The gauge's fixed address.
pub const ADDR: u8 = 0x36;

/// A NACK of the address byte (no chip).
pub fn address_nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
}

/// A NACK of a data byte.
pub fn data_nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)
}

/// The simulator behind a `FaultyBus`, shared through a `RefCell` so that a test can look at the chip (and change
/// its battery) while a driver owns a handle, without losing the driver's cache.
pub type Chip = core::cell::RefCell<max17043::sim::FaultyBus<max17043::sim::Max17043Sim>>;

/// A new chip at `soc` percent behind a `FaultyBus` without faults.
pub fn chip(soc: u8) -> Chip {
    core::cell::RefCell::new(max17043::sim::FaultyBus::new(max17043::sim::Max17043Sim::new(
        Variant::Max17043,
        StateOfCharge::from_percent(soc),
    )))
}

/// A driver's handle on a shared [`Chip`].
#[derive(Debug, Clone, Copy)]
pub struct Shared<'a>(pub &'a Chip);

impl embedded_hal::i2c::ErrorType for Shared<'_> {
    type Error = max17043::sim::FaultyBusError<ErrorKind>;
}

impl embedded_hal::i2c::I2c for Shared<'_> {
    fn transaction(
        &mut self,
        address: u8,
        operations: &mut [embedded_hal::i2c::Operation<'_>],
    ) -> Result<(), Self::Error> {
        self.0.borrow_mut().transaction(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for Shared<'_> {
    // The borrow lives across the wrapper's yields; nothing else borrows the chip while a future is alive.
    #[allow(clippy::await_holding_refcell_ref)]
    async fn transaction(
        &mut self,
        address: u8,
        operations: &mut [embedded_hal::i2c::Operation<'_>],
    ) -> Result<(), Self::Error> {
        let result = embedded_hal_async::i2c::I2c::transaction(&mut *self.0.borrow_mut(), address, operations).await;
        result
    }
}

/// The driver-owned CONFIG fields as the simulated chip holds them.
pub fn chip_settings(chip: &Chip) -> Settings {
    let config = chip.borrow().inner().config();
    Settings {
        rcomp: config.rcomp,
        alert_threshold_percent: config.alert_threshold_percent,
        sleep: config.sleeping,
    }
}

/// Invariants 1 and 2: the driver's CONFIG cache is unknown or equals the chip.
#[track_caller]
pub fn assert_cache_matches(cached: Option<Settings>, chip: &Chip) {
    if let Some(cached) = cached {
        assert_eq!(
            cached,
            chip_settings(chip),
            "the driver's CONFIG cache differs from the chip's"
        );
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
