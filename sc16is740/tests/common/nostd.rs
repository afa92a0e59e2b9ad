//! The std-free half of the test support: everything `tests/sim.rs` uses, on the host and on the target (ci/qemu).

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

pub use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
pub use fugit::RateExtU32;
pub use sc16is740::{
    Address, ArgumentError, BaudRate, Channel, Config, DataBits, Error, FifoConfig, FlowLevels, GpioPin,
    HardwareFlowControl, InterruptSource, Interrupts, IrdaMode, LineError, LineFormat, Parity, Prescaler, ReceiveCheck,
    Rs485, RxTrigger, SoftwareFlowControl, SoftwareFlowRx, SoftwareFlowTx, StopBits, TriggerLevels, TxTrigger,
};

/// The address every I2C mock test talks to (A1 = A0 = VDD).
pub const ADDR: u8 = 0x48;
/// The crystal of every test: 14.7456 MHz (exact divisors for the standard rates).
pub const XTAL: u32 = 14_745_600;

// Sub-address bytes, channel A (register << 3), spelled out from the datasheet rather than taken from the crate.
pub const RHR: u8 = 0x00;
pub const THR: u8 = 0x00;
pub const DLL: u8 = 0x00;
pub const IER: u8 = 0x08;
pub const DLH: u8 = 0x08;
pub const IIR: u8 = 0x10;
pub const FCR: u8 = 0x10;
pub const EFR: u8 = 0x10;
pub const LCR: u8 = 0x18;
pub const MCR: u8 = 0x20;
pub const XON1: u8 = 0x20;
pub const LSR: u8 = 0x28;
pub const XON2: u8 = 0x28;
pub const MSR: u8 = 0x30;
pub const TCR: u8 = 0x30;
pub const XOFF1: u8 = 0x30;
pub const SPR: u8 = 0x38;
pub const TLR: u8 = 0x38;
pub const XOFF2: u8 = 0x38;
pub const TXLVL: u8 = 0x40;
pub const RXLVL: u8 = 0x48;
pub const IODIR: u8 = 0x50;
pub const IOSTATE: u8 = 0x58;
pub const IOINTENA: u8 = 0x60;
pub const IOCONTROL: u8 = 0x70;
pub const EFCR: u8 = 0x78;

/// A NACK on the address byte.
pub fn nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
}

/// The bus error an address NACK gives.
pub fn nacked<T>() -> Result<T, Error<ErrorKind>> {
    Err(Error::Bus(nack()))
}

/// The sheet's test payload without a heap: 0, 1, …, N − 1 (`payload(n)` of the host half, as an array).
pub fn counting<const N: usize>() -> [u8; N] {
    core::array::from_fn(|i| i as u8)
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
