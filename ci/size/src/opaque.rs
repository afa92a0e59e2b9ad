//! The bus and delay every binary uses: answers and outcomes the optimiser cannot see (`core::hint::black_box`).
//!
//! Each operation is `#[inline(never)]`, like a real HAL's transfer routine, so the bus code is one copy of each
//! function, the same in every binary (the baseline calls them all): Δflash is the driver's code alone.

use core::hint::black_box;

use embedded_hal::delay::DelayNs;
use embedded_hal::i2c::{self, Operation as I2cOperation};
use embedded_hal::spi::{self, Operation as SpiOperation};

/// Hides a value (a result, a driver) from the optimiser, so the code that made it stays.
pub fn keep<T>(value: T) {
    black_box(value);
}

/// Bytes the optimiser cannot predict.
fn answer(buffer: &mut [u8]) {
    buffer.iter_mut().for_each(|byte| *byte = black_box(0));
}

/// Success or failure, unknowably.
fn outcome<E>(error: E) -> Result<(), E> {
    if black_box(false) {
        Err(black_box(error))
    } else {
        Ok(())
    }
}

/// An I2C bus.
pub struct I2c;

impl i2c::ErrorType for I2c {
    type Error = i2c::ErrorKind;
}

impl i2c::I2c for I2c {
    #[inline(never)]
    fn read(&mut self, address: u8, read: &mut [u8]) -> Result<(), Self::Error> {
        black_box(address);
        answer(read);
        outcome(i2c::ErrorKind::Other)
    }

    #[inline(never)]
    fn write(&mut self, address: u8, write: &[u8]) -> Result<(), Self::Error> {
        black_box((address, write));
        outcome(i2c::ErrorKind::Other)
    }

    #[inline(never)]
    fn write_read(&mut self, address: u8, write: &[u8], read: &mut [u8]) -> Result<(), Self::Error> {
        black_box((address, write));
        answer(read);
        outcome(i2c::ErrorKind::Other)
    }

    #[inline(never)]
    fn transaction(&mut self, address: u8, operations: &mut [I2cOperation<'_>]) -> Result<(), Self::Error> {
        black_box(address);
        for operation in operations {
            match operation {
                I2cOperation::Write(write) => {
                    black_box(write);
                }
                I2cOperation::Read(read) => answer(read),
            }
        }
        outcome(i2c::ErrorKind::Other)
    }
}

/// An SPI device (the chip-select is the device's business).
pub struct Spi;

impl spi::ErrorType for Spi {
    type Error = spi::ErrorKind;
}

impl spi::SpiDevice for Spi {
    #[inline(never)]
    fn read(&mut self, read: &mut [u8]) -> Result<(), Self::Error> {
        answer(read);
        outcome(spi::ErrorKind::Other)
    }

    #[inline(never)]
    fn write(&mut self, write: &[u8]) -> Result<(), Self::Error> {
        black_box(write);
        outcome(spi::ErrorKind::Other)
    }

    #[inline(never)]
    fn transfer(&mut self, read: &mut [u8], write: &[u8]) -> Result<(), Self::Error> {
        black_box(write);
        answer(read);
        outcome(spi::ErrorKind::Other)
    }

    #[inline(never)]
    fn transfer_in_place(&mut self, buffer: &mut [u8]) -> Result<(), Self::Error> {
        black_box(&*buffer);
        answer(buffer);
        outcome(spi::ErrorKind::Other)
    }

    #[inline(never)]
    fn transaction(&mut self, operations: &mut [SpiOperation<'_, u8>]) -> Result<(), Self::Error> {
        for operation in operations {
            match operation {
                SpiOperation::Write(write) => {
                    black_box(write);
                }
                SpiOperation::Read(read) => answer(read),
                SpiOperation::Transfer(read, write) => {
                    black_box(write);
                    answer(read);
                }
                SpiOperation::TransferInPlace(buffer) => {
                    black_box(&*buffer);
                    answer(buffer);
                }
                SpiOperation::DelayNs(ns) => {
                    black_box(ns);
                }
            }
        }
        outcome(spi::ErrorKind::Other)
    }
}

/// A delay that returns at once.
pub struct Delay;

impl DelayNs for Delay {
    #[inline(never)]
    fn delay_ns(&mut self, ns: u32) {
        black_box(ns);
    }

    #[inline(never)]
    fn delay_us(&mut self, us: u32) {
        black_box(us);
    }

    #[inline(never)]
    fn delay_ms(&mut self, ms: u32) {
        black_box(ms);
    }
}

/// The baseline: every bus and delay operation once, with arguments the optimiser cannot see. Every binary runs
/// it, so all of them hold the same bus code.
pub fn buses() {
    use embedded_hal::i2c::I2c as _;
    use embedded_hal::spi::SpiDevice as _;
    let any = black_box::<u8>;
    let mut read = [0u8; 16];
    let write = [0u8; 16];

    let i2c = &mut I2c;
    keep(i2c.read(any(0), black_box(&mut read[..])));
    keep(i2c.write(any(0), black_box(&write[..])));
    keep(i2c.write_read(any(0), black_box(&write[..]), black_box(&mut read[..])));
    let (first, second) = read.split_at_mut(8);
    let mut operations = [
        I2cOperation::Write(black_box(&write[..])),
        I2cOperation::Read(black_box(first)),
    ];
    keep(i2c.transaction(any(0), black_box(&mut operations[..])));

    let spi = &mut Spi;
    keep(spi.read(black_box(&mut *second)));
    keep(spi.write(black_box(&write[..])));
    keep(spi.transfer(black_box(&mut *second), black_box(&write[..])));
    keep(spi.transfer_in_place(black_box(&mut *second)));
    let mut operations = [
        SpiOperation::Write(black_box(&write[..])),
        SpiOperation::Read(black_box(second)),
    ];
    keep(spi.transaction(black_box(&mut operations[..])));

    let delay = &mut Delay;
    delay.delay_ns(black_box(0));
    delay.delay_us(black_box(0));
    delay.delay_ms(black_box(0));
}
