//! Buses, pins and delays whose answers the optimiser cannot see.
#![allow(dead_code)]

use core::future::Future;
use core::hint::black_box;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use embedded_hal::digital;
use embedded_hal::i2c::{self, Operation as I2cOperation};
use embedded_hal::spi::{self, Operation as SpiOperation};

/// Any value, hidden from the optimiser.
pub fn any<T>(value: T) -> T {
    black_box(value)
}

/// An I2C bus that answers unknown bytes and fails or not, unknowably.
pub struct I2c;

impl i2c::ErrorType for I2c {
    type Error = i2c::ErrorKind;
}

fn i2c_result() -> Result<(), i2c::ErrorKind> {
    if black_box(false) {
        Err(black_box(i2c::ErrorKind::Other))
    } else {
        Ok(())
    }
}

impl i2c::I2c for I2c {
    fn transaction(&mut self, address: u8, operations: &mut [I2cOperation<'_>]) -> Result<(), Self::Error> {
        black_box(address);
        for operation in operations {
            match operation {
                I2cOperation::Write(bytes) => {
                    black_box(bytes);
                }
                I2cOperation::Read(buffer) => buffer.iter_mut().for_each(|b| *b = black_box(0)),
            }
        }
        i2c_result()
    }
}

impl embedded_hal_async::i2c::I2c for I2c {
    async fn transaction(&mut self, address: u8, operations: &mut [I2cOperation<'_>]) -> Result<(), Self::Error> {
        i2c::I2c::transaction(self, address, operations)
    }
}

/// An SPI device that answers unknown bytes.
pub struct Spi;

impl spi::ErrorType for Spi {
    type Error = spi::ErrorKind;
}

impl spi::SpiDevice for Spi {
    fn transaction(&mut self, operations: &mut [SpiOperation<'_, u8>]) -> Result<(), Self::Error> {
        for operation in operations {
            match operation {
                SpiOperation::Write(bytes) => {
                    black_box(bytes);
                }
                SpiOperation::Read(buffer) => buffer.iter_mut().for_each(|b| *b = black_box(0)),
                SpiOperation::Transfer(read, write) => {
                    black_box(write);
                    read.iter_mut().for_each(|b| *b = black_box(0));
                }
                SpiOperation::TransferInPlace(buffer) => buffer.iter_mut().for_each(|b| *b = black_box(*b)),
                SpiOperation::DelayNs(ns) => {
                    black_box(ns);
                }
            }
        }
        if black_box(false) {
            Err(black_box(spi::ErrorKind::Other))
        } else {
            Ok(())
        }
    }
}

impl embedded_hal_async::spi::SpiDevice for Spi {
    async fn transaction(&mut self, operations: &mut [SpiOperation<'_, u8>]) -> Result<(), Self::Error> {
        spi::SpiDevice::transaction(self, operations)
    }
}

/// A delay that returns at once.
pub struct Delay;

impl embedded_hal::delay::DelayNs for Delay {
    fn delay_ns(&mut self, ns: u32) {
        black_box(ns);
    }
}

impl embedded_hal_async::delay::DelayNs for Delay {
    async fn delay_ns(&mut self, ns: u32) {
        black_box(ns);
    }
}

/// A pin whose level is unknowable.
pub struct Pin;

impl digital::ErrorType for Pin {
    type Error = digital::ErrorKind;
}

impl digital::InputPin for Pin {
    fn is_high(&mut self) -> Result<bool, Self::Error> {
        Ok(black_box(true))
    }
    fn is_low(&mut self) -> Result<bool, Self::Error> {
        Ok(black_box(false))
    }
}

impl digital::OutputPin for Pin {
    fn set_low(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    fn set_high(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl embedded_hal_async::digital::Wait for Pin {
    async fn wait_for_high(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    async fn wait_for_low(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    async fn wait_for_rising_edge(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
    async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Polls a future once (the opaque bus never waits) and hides the result.
pub fn poll_once<F: Future>(future: F) {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
        black_box(output);
    }
}
