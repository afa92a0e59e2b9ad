//! The per-chip bus abstraction: the same driver over I2C (MCP23017) and SPI (MCP23S17).

#[cfg(feature = "async")]
use embedded_hal_async::{i2c::I2c as AsyncI2c, spi::SpiDevice as AsyncSpiDevice};

use embedded_hal::{i2c::I2c, spi::SpiDevice};

use crate::register as reg;
use crate::types::{Address, HardwareAddress};

/// The MCP23017 on an I2C bus: frames are `S addr+W register data… P` and `S addr+W register Sr addr+R data… P`.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct I2cInterface<I2C> {
    /// The bus.
    pub(crate) i2c: I2C,
    /// The chip's address.
    pub(crate) address: Address,
}

/// The MCP23S17 on an SPI device: frames are `opcode register data…` in one chip-select window, opcode
/// `0x40 | A2A1A0 << 1 | R/W`.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SpiInterface<SPI> {
    /// The device (the chip select belongs to it).
    pub(crate) spi: SPI,
    /// The chip's hardware address.
    pub(crate) address: HardwareAddress,
}

#[maybe_async_cfg::maybe(
    idents(Interface(sync = "Interface", async = "AsyncInterface")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// How the driver reaches the chip's registers: implemented by [`I2cInterface`] and [`SpiInterface`] (blocking:
/// `Interface`; async: `AsyncInterface`). Every call is one bus transaction.
#[allow(async_fn_in_trait)]
pub trait Interface {
    /// The bus error.
    type Error;

    /// Whether GPA7/GPB7 are output-only on this part (the MCP23017, I2C).
    const GPX7_OUTPUT_ONLY: bool;

    /// Writes `bytes` = register address, then data, in one transaction.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Reads `buffer.len()` bytes from `register` on, in one transaction.
    async fn read(&mut self, register: u8, buffer: &mut [u8]) -> Result<(), Self::Error>;

    /// Writes `bytes` so that a chip with hardware addressing not yet enabled receives it too: on I2C the same as
    /// [`write`](Self::write) (address pins always count); on SPI, for a non-zero hardware address, first to address
    /// 0 and to address 4 (erratum DS80311A: a Rev. A chip with A2 high answers 4 while HAEN is clear), then to the
    /// chip's own address.
    async fn write_unaddressed(&mut self, bytes: &[u8]) -> Result<(), Self::Error>;

    /// As [`write_unaddressed`](Self::write_unaddressed) for a part without pin A2 (the MCP23S08): on SPI, for a
    /// non-zero hardware address, first to address 0, then to the chip's own (no erratum write to address 4). By
    /// default the same as `write_unaddressed`.
    async fn write_unaddressed_without_a2(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.write_unaddressed(bytes).await
    }

    /// The SPI hardware address, or `None` on I2C.
    fn hardware_address(&self) -> Option<HardwareAddress>;
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

    const GPX7_OUTPUT_ONLY: bool = true;

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.i2c.write(self.address.get(), bytes).await
    }

    async fn read(&mut self, register: u8, buffer: &mut [u8]) -> Result<(), Self::Error> {
        self.i2c.write_read(self.address.get(), &[register], buffer).await
    }

    async fn write_unaddressed(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        self.i2c.write(self.address.get(), bytes).await
    }

    fn hardware_address(&self) -> Option<HardwareAddress> {
        None
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

    const GPX7_OUTPUT_ONLY: bool = false;

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        let opcode = [reg::spi_opcode(self.address.get(), false)];
        self.spi
            .transaction(&mut [
                embedded_hal::spi::Operation::Write(&opcode),
                embedded_hal::spi::Operation::Write(bytes),
            ])
            .await
    }

    async fn read(&mut self, register: u8, buffer: &mut [u8]) -> Result<(), Self::Error> {
        let header = [reg::spi_opcode(self.address.get(), true), register];
        self.spi
            .transaction(&mut [
                embedded_hal::spi::Operation::Write(&header),
                embedded_hal::spi::Operation::Read(buffer),
            ])
            .await
    }

    async fn write_unaddressed(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        let own = self.address.get();
        if own == 0 {
            return self.write(bytes).await;
        }
        for hw in [0, 4] {
            if hw != own {
                let opcode = [reg::spi_opcode(hw, false)];
                self.spi
                    .transaction(&mut [
                        embedded_hal::spi::Operation::Write(&opcode),
                        embedded_hal::spi::Operation::Write(bytes),
                    ])
                    .await?;
            }
        }
        self.write(bytes).await
    }

    async fn write_unaddressed_without_a2(&mut self, bytes: &[u8]) -> Result<(), Self::Error> {
        if self.address.get() != 0 {
            let opcode = [reg::spi_opcode(0, false)];
            self.spi
                .transaction(&mut [
                    embedded_hal::spi::Operation::Write(&opcode),
                    embedded_hal::spi::Operation::Write(bytes),
                ])
                .await?;
        }
        self.write(bytes).await
    }

    fn hardware_address(&self) -> Option<HardwareAddress> {
        Some(self.address)
    }
}
