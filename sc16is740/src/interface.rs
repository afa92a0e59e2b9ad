//! The bus abstraction: the same driver over I2C and over an `SpiDevice`.

#[cfg(feature = "async")]
use embedded_hal_async::{i2c::I2c as AsyncI2c, spi::SpiDevice as AsyncSpiDevice};

use embedded_hal::i2c::{I2c, NoAcknowledgeSource};
use embedded_hal::spi::{Operation, SpiDevice};

use crate::register as reg;
use crate::types::Address;

/// The longest data part of one write: a full TX FIFO.
pub(crate) const MAX_DATA: usize = reg::FIFO_SIZE as usize;

/// The sub-address byte followed by up to 64 data bytes, in one buffer so that it goes out as one write.
/// Word-aligned and a whole number of words long, so that clearing it is the compiler's `memclr4` (which any
/// firmware clearing an aligned buffer links anyway), not the 208-byte unaligned `memclr` too.
#[repr(align(4))]
struct Frame([u8; MAX_DATA + 4]);

impl Frame {
    /// Fills in the sub-address and the data (at most 64 bytes of it); returns the bytes to send.
    fn fill(&mut self, sub: u8, data: &[u8]) -> &[u8] {
        self.0[0] = sub;
        for (slot, byte) in self.0.iter_mut().skip(1).zip(data) {
            *slot = *byte;
        }
        let length = data.len().min(MAX_DATA).saturating_add(1);
        self.0.get(..length).unwrap_or(&self.0)
    }
}

/// How a bus error on the software-reset write is taken: the chip NACKs the data byte of that write on I2C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ResetNack {
    /// A real error.
    NotANack,
    /// The NACK of the data byte: the reset happened.
    Data,
    /// A NACK of a byte the bus cannot name: the driver checks that the chip answers.
    Unknown,
}

/// The chip on an I2C bus: `S addr+W sub data… P` and `S addr+W sub Sr addr+R data… P`.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct I2cInterface<I2C> {
    pub(crate) i2c: I2C,
    pub(crate) address: Address,
}

/// The chip on an SPI device (mode 0): one chip-select frame per access, sub-address bit 7 = 1 for a read.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SpiInterface<SPI> {
    pub(crate) spi: SPI,
}

#[maybe_async_cfg::maybe(
    idents(Interface(sync = "Interface", async = "AsyncInterface")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// How the driver reaches the chip (blocking: `Interface`; async: `AsyncInterface`), implemented by
/// [`I2cInterface`] and [`SpiInterface`]. Every call is one bus transaction.
#[allow(async_fn_in_trait)]
pub trait Interface {
    /// The bus error.
    type Error: core::fmt::Debug;

    /// Writes `data` (at most 64 bytes; more are not sent) to the register of sub-address `sub`: the chip
    /// does not auto-increment, so every byte goes to that register (a burst into THR).
    async fn write(&mut self, sub: u8, data: &[u8]) -> Result<(), Self::Error>;

    /// Writes one byte to the register of sub-address `sub` (the same bytes on the bus as `write` with one
    /// byte; a provided method, which the I2C and SPI interfaces override to send it from a 2-byte buffer).
    async fn write_byte(&mut self, sub: u8, value: u8) -> Result<(), Self::Error> {
        self.write(sub, &[value]).await
    }

    /// Reads `buffer.len()` bytes from the register of sub-address `sub` (a burst from RHR).
    async fn read(&mut self, sub: u8, buffer: &mut [u8]) -> Result<(), Self::Error>;

    /// What `error` on the software-reset write says (the chip does not acknowledge its data byte on I2C).
    fn reset_nack(error: &Self::Error) -> ResetNack;
}

#[maybe_async_cfg::maybe(
    idents(
        Interface(sync = "Interface", async = "AsyncInterface"),
        I2c(sync = "I2c", async = "AsyncI2c"),
        I2cInterface(sync = "I2cInterface", async = "I2cInterface")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c> Interface for I2cInterface<I2C> {
    type Error = I2C::Error;

    async fn write(&mut self, sub: u8, data: &[u8]) -> Result<(), Self::Error> {
        let mut frame = Frame([0; MAX_DATA + 4]);
        self.i2c.write(self.address.get(), frame.fill(sub, data)).await
    }

    async fn write_byte(&mut self, sub: u8, value: u8) -> Result<(), Self::Error> {
        self.i2c.write(self.address.get(), &[sub, value]).await
    }

    async fn read(&mut self, sub: u8, buffer: &mut [u8]) -> Result<(), Self::Error> {
        self.i2c.write_read(self.address.get(), &[sub], buffer).await
    }

    fn reset_nack(error: &Self::Error) -> ResetNack {
        use embedded_hal::i2c::{Error, ErrorKind};
        match error.kind() {
            ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data) => ResetNack::Data,
            ErrorKind::NoAcknowledge(NoAcknowledgeSource::Unknown) => ResetNack::Unknown,
            _ => ResetNack::NotANack,
        }
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Interface(sync = "Interface", async = "AsyncInterface"),
        SpiDevice(sync = "SpiDevice", async = "AsyncSpiDevice"),
        SpiInterface(sync = "SpiInterface", async = "SpiInterface")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI: SpiDevice> Interface for SpiInterface<SPI> {
    type Error = SPI::Error;

    async fn write(&mut self, sub: u8, data: &[u8]) -> Result<(), Self::Error> {
        let mut frame = Frame([0; MAX_DATA + 4]);
        self.spi.write(frame.fill(sub, data)).await
    }

    async fn write_byte(&mut self, sub: u8, value: u8) -> Result<(), Self::Error> {
        self.spi.write(&[sub, value]).await
    }

    async fn read(&mut self, sub: u8, buffer: &mut [u8]) -> Result<(), Self::Error> {
        self.spi
            .transaction(&mut [Operation::Write(&[sub | reg::SPI_READ]), Operation::Read(buffer)])
            .await
    }

    fn reset_nack(_: &Self::Error) -> ResetNack {
        ResetNack::NotANack
    }
}
