//! Shared test support: the mock builders and the runner that puts every test body through both drivers.
#![allow(dead_code, unused_imports, clippy::arithmetic_side_effects)]

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

pub use bq24195::{ArgumentError, Config, Error, Variant};
pub use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource, Operation};
pub use embedded_hal_mock::eh1::delay::{CheckedDelay, NoopDelay, Transaction as Delay};
pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};

/// `Variant::Bq24195` (inside the `maybe` test modules the ident `Bq24195` is renamed for the async twin).
pub const STANDARD: Variant = Variant::Bq24195;

/// The chip's fixed address.
pub const ADDR: u8 = 0x6B;

/// Drives a future whose bus never waits (a mock or the simulator) to completion.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut context = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// Polls `future` at most `polls` times with a no-op waker, then drops it; the output if it finished.
pub fn poll_then_drop<F: Future>(future: F, polls: usize) -> Option<F::Output> {
    let mut future = pin!(future);
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut context = Context::from_waker(&waker);
    for _ in 0..polls {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return Some(output);
        }
    }
    None
}

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
