//! Shared test support: mock builders in the chip's own terms and the runner that puts every test body
//! through both drivers.
#![allow(dead_code, unused_imports)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

pub use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
pub use embedded_hal_mock::eh1::delay::NoopDelay;
pub use embedded_hal_mock::eh1::i2c::{Mock as I2cMock, Transaction as I2c};
pub use embedded_hal_mock::eh1::spi::{Mock as SpiMock, Transaction as Spi};
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

/// A write of `value` to sub-address `sub`.
pub fn w(sub: u8, value: u8) -> I2c {
    I2c::write(ADDR, vec![sub, value])
}

/// A write of several bytes to sub-address `sub` (a burst).
pub fn burst(sub: u8, data: &[u8]) -> I2c {
    let mut bytes = vec![sub];
    bytes.extend_from_slice(data);
    I2c::write(ADDR, bytes)
}

/// A write-read of sub-address `sub` answering `answer`.
pub fn r(sub: u8, answer: u8) -> I2c {
    I2c::write_read(ADDR, vec![sub], vec![answer])
}

/// A burst read of sub-address `sub` answering `answer`.
pub fn rb(sub: u8, answer: &[u8]) -> I2c {
    I2c::write_read(ADDR, vec![sub], answer.to_vec())
}

/// A NACK on the address byte.
pub fn nack() -> ErrorKind {
    ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
}

/// The bus error an address NACK gives.
pub fn nacked<T>() -> Result<T, Error<ErrorKind>> {
    Err(Error::Bus(nack()))
}

/// `init(&Config::default())`: 115 200 baud 8N1 from 14.7456 MHz, FIFOs on and reset.
pub fn init_115200() -> Vec<I2c> {
    vec![
        w(LCR, 0xBF),
        w(EFR, 0x10),
        w(LCR, 0x03),
        w(IER, 0x00),
        w(MCR, 0x04),
        w(TLR, 0x00),
        w(MCR, 0x00),
        w(LCR, 0x80),
        w(DLL, 0x08),
        w(DLH, 0x00),
        w(LCR, 0x03),
        w(FCR, 0x07),
        w(EFCR, 0x00),
    ]
}

/// A mock that expects `init_115200` then `rest`.
pub fn after_init(rest: &[I2c]) -> I2cMock {
    let mut all = init_115200();
    all.extend_from_slice(rest);
    I2cMock::new(&all)
}

/// A mock expecting exactly `transactions`.
pub fn mock(transactions: &[I2c]) -> I2cMock {
    I2cMock::new(transactions)
}

/// One SPI frame writing `bytes` (sub-address first).
pub fn spi_w(bytes: &[u8]) -> [Spi<u8>; 3] {
    [
        Spi::transaction_start(),
        Spi::write_vec(bytes.to_vec()),
        Spi::transaction_end(),
    ]
}

/// One SPI frame reading `answer` from `sub` (the read flag 0x80 is added here).
pub fn spi_r(sub: u8, answer: &[u8]) -> [Spi<u8>; 4] {
    [
        Spi::transaction_start(),
        Spi::write_vec(vec![sub | 0x80]),
        Spi::read_vec(answer.to_vec()),
        Spi::transaction_end(),
    ]
}

/// The sheet's 64-byte test payload: 0, 1, …, 63.
pub fn payload(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
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

/// Polls `future` at most `polls` times with a no-op waker, then drops it; its output if it finished.
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
