//! Shared test support: the mock builders and the runner that puts every test body through both drivers.
#![allow(dead_code, unused_imports)]

pub mod ops;

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

/// Polls `future` at most `polls` times with a no-op waker, then drops it: `Some(output)` if it finished.
pub fn poll_then_drop<F: Future>(future: F, polls: usize) -> Option<F::Output> {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(NoopWaker));
    let mut context = Context::from_waker(&waker);
    for _ in 0..polls {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Some(output);
        }
    }
    None
}

/// The simulator behind a `FaultyBus`, shared through a `RefCell` so that a test can look at the chip (and change
/// its battery) while a driver owns a handle, without losing the driver's cache.
pub type Chip = std::cell::RefCell<max17043::sim::FaultyBus<max17043::sim::Max17043Sim>>;

/// A new chip at `soc` percent behind a `FaultyBus` without faults.
pub fn chip(soc: u8) -> Chip {
    std::cell::RefCell::new(max17043::sim::FaultyBus::new(max17043::sim::Max17043Sim::new(
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
