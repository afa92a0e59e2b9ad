//! The serial traits: `embedded-io` (blocking and async) and `embedded-hal-nb`, on the driver itself.
//!
//! `Read::read` and `Write::write` wait (polling the chip) until at least one byte moved, as the traits
//! require; the driver's own [`try_read`](crate::Sc16is7xx::try_read) and
//! [`try_write`](crate::Sc16is7xx::try_write) never wait. For interrupt-driven async I/O, see
//! [`Sc16is7xxIrq`](crate::Sc16is7xxIrq).

use crate::interface::Interface;
use crate::types::variant::Variant;
use crate::{Error, Sc16is7xx};

impl<IF: Interface, V: Variant> embedded_io::ErrorType for Sc16is7xx<IF, V> {
    type Error = Error<IF::Error>;
}

impl<IF: Interface, V: Variant> embedded_io::Read for Sc16is7xx<IF, V> {
    /// Waits for at least one byte, polling RXLVL; [`Error::Timeout`] after the driver's
    /// [`timeout`](Sc16is7xx::set_timeout).
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.read_some(buf)
    }

    fn read_exact(&mut self, mut buf: &mut [u8]) -> Result<(), embedded_io::ReadExactError<Self::Error>> {
        while !buf.is_empty() {
            match embedded_io::Read::read(self, buf) {
                Ok(0) => return Err(embedded_io::ReadExactError::UnexpectedEof),
                Ok(n) => buf = core::mem::take(&mut buf).get_mut(n..).unwrap_or(&mut []),
                Err(e) => return Err(embedded_io::ReadExactError::Other(e)),
            }
        }
        Ok(())
    }
}

impl<IF: Interface, V: Variant> embedded_io::ReadReady for Sc16is7xx<IF, V> {
    /// One RXLVL read.
    fn read_ready(&mut self) -> Result<bool, Self::Error> {
        Ok(self.rx_level()? > 0)
    }
}

impl<IF: Interface, V: Variant> embedded_io::Write for Sc16is7xx<IF, V> {
    /// Waits for room for at least one byte, polling TXLVL; returns how many the chip took (an error: none for
    /// sure, but the failed burst may have been taken in part). [`Error::TransmitterDisabled`] once the FIFO is
    /// full with the transmitter disabled, [`Error::Timeout`] after the driver's
    /// [`timeout`](Sc16is7xx::set_timeout).
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.write_some(buf)
    }

    /// Waits until the transmitter is idle (LSR\[6\]: the last byte has left the shift register).
    fn flush(&mut self) -> Result<(), Self::Error> {
        Sc16is7xx::flush(self)
    }

    fn write_all(&mut self, buf: &[u8]) -> Result<(), Self::Error> {
        Sc16is7xx::write_all(self, buf)
    }
}

impl<IF: Interface, V: Variant> embedded_io::WriteReady for Sc16is7xx<IF, V> {
    /// One TXLVL read.
    fn write_ready(&mut self) -> Result<bool, Self::Error> {
        Ok(self.tx_space()? > 0)
    }
}

impl<IF: Interface, V: Variant> Sc16is7xx<IF, V> {
    /// `WouldBlock`, or the error that says it would block for ever (EFCR cached: usually no transaction).
    fn would_block(&mut self) -> nb::Error<Error<IF::Error>> {
        match self.transmitter_disabled() {
            Ok(false) => nb::Error::WouldBlock,
            Ok(true) => nb::Error::Other(Error::TransmitterDisabled),
            Err(e) => nb::Error::Other(e),
        }
    }
}

impl<IF: Interface, V: Variant> embedded_hal_nb::serial::ErrorType for Sc16is7xx<IF, V> {
    type Error = Error<IF::Error>;
}

impl<IF: Interface, V: Variant> embedded_hal_nb::serial::Read<u8> for Sc16is7xx<IF, V> {
    fn read(&mut self) -> nb::Result<u8, Self::Error> {
        let mut byte = [0];
        match self.try_read(&mut byte) {
            Ok(0) => Err(nb::Error::WouldBlock),
            Ok(_) => Ok(byte[0]),
            Err(e) => Err(nb::Error::Other(e)),
        }
    }
}

impl<IF: Interface, V: Variant> embedded_hal_nb::serial::Write<u8> for Sc16is7xx<IF, V> {
    /// `WouldBlock` while the FIFO is full; [`Error::TransmitterDisabled`] when it is full and the transmitter
    /// disabled (it would block for ever).
    fn write(&mut self, word: u8) -> nb::Result<(), Self::Error> {
        match self.try_write(&[word]) {
            Ok(0) => Err(self.would_block()),
            Ok(_) => Ok(()),
            Err(e) => Err(nb::Error::Other(e)),
        }
    }

    /// `WouldBlock` until the transmitter is idle; [`Error::TransmitterDisabled`] when bytes wait behind a
    /// disabled transmitter (it would block for ever).
    fn flush(&mut self) -> nb::Result<(), Self::Error> {
        match self.transmitter_idle() {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.would_block()),
            Err(e) => Err(nb::Error::Other(e)),
        }
    }
}

#[cfg(feature = "async")]
mod asynch {
    use crate::interface::AsyncInterface;
    use crate::types::variant::Variant;
    use crate::{Error, Sc16is7xxAsync};

    impl<IF: AsyncInterface, V: Variant> embedded_io_async::ErrorType for Sc16is7xxAsync<IF, V> {
        type Error = Error<IF::Error>;
    }

    /// Polls the chip; with an IRQ pin, use [`Sc16is7xxIrq`](crate::Sc16is7xxIrq) instead.
    impl<IF: AsyncInterface, V: Variant> embedded_io_async::Read for Sc16is7xxAsync<IF, V> {
        /// Not cancel-safe: see [`Sc16is7xxAsync::try_read`].
        async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
            self.read_some(buf).await
        }

        async fn read_exact(
            &mut self,
            mut buf: &mut [u8],
        ) -> Result<(), embedded_io_async::ReadExactError<Self::Error>> {
            while !buf.is_empty() {
                match embedded_io_async::Read::read(self, buf).await {
                    Ok(0) => return Err(embedded_io_async::ReadExactError::UnexpectedEof),
                    Ok(n) => buf = core::mem::take(&mut buf).get_mut(n..).unwrap_or(&mut []),
                    Err(e) => return Err(embedded_io_async::ReadExactError::Other(e)),
                }
            }
            Ok(())
        }
    }

    impl<IF: AsyncInterface, V: Variant> embedded_io_async::Write for Sc16is7xxAsync<IF, V> {
        /// Not cancel-safe: see [`Sc16is7xxAsync::try_write`].
        async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
            self.write_some(buf).await
        }

        async fn flush(&mut self) -> Result<(), Self::Error> {
            Sc16is7xxAsync::flush(self).await
        }

        async fn write_all(&mut self, buf: &[u8]) -> Result<(), Self::Error> {
            Sc16is7xxAsync::write_all(self, buf).await
        }
    }
}
