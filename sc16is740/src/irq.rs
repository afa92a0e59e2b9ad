//! Interrupt-driven async I/O: the async driver plus the MCU pin wired to the chip's IRQ output.

use embedded_hal::digital::Error as _;
use embedded_hal_async::digital::Wait;

use crate::interface::AsyncInterface;
use crate::types::variant::Variant;
use crate::{Error, Interrupts, Sc16is7xxAsync};

/// The async driver with the MCU input wired to IRQ (open-drain, active low: pull it up), for
/// `embedded_io_async::{Read, Write}` that sleep on the pin instead of polling the bus.
///
/// Every wait is bounded by the driver's [`timeout`](Sc16is7xxAsync::set_timeout), counted in bus time: each
/// wake-up round costs two transactions (the FIFO level and IIR), each charged
/// [`poll_cost`](Sc16is7xxAsync::set_poll_cost), so a pin that keeps waking the loop without data ends in
/// [`Error::Timeout`](crate::Error::Timeout); the sleep on the pin itself is not counted (put your own timeout
/// on the pin, as the cancel-safety note below says).
///
/// Cancel safety: a write dropped while it waits for IRQ leaves TX-ready on; the next read or write of this
/// `Sc16is7xxIrq` turns it off. The bytes of a read or a write dropped after its burst are lost or sent
/// unreported, as with [`Sc16is7xxAsync::try_read`] and [`Sc16is7xxAsync::try_write`]: wait for IRQ (or
/// the data) with your timeout, then call `read` without one.
///
/// A read that finds nothing enables the RX-data and line-status interrupts (once; they stay on), waits for
/// IRQ low and reads IIR (which also clears the RX time-out erratum), then tries again. A write that finds the
/// FIFO full enables the TX-ready interrupt, waits, and turns it off again once the bytes are in (unless it was
/// on before). Other
/// interrupts you enable yourself (modem status, GPIO) keep IRQ low until you service them: the waits then
/// return at once and the loop polls. So do the RX interrupts during a long write while unread data waits, and,
/// on a dual part, anything pending on the other channel (the IRQ pin is shared).
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sc16is7xxIrq<IF, V, P> {
    /// The driver; use it directly for everything else.
    pub uart: Sc16is7xxAsync<IF, V>,
    irq: P,
    /// A write turned the TX-ready interrupt on and has not turned it off yet (an error, or a future dropped
    /// while waiting): the next read or write turns it off.
    tx_ready_added: bool,
}

impl<IF: AsyncInterface, V: Variant, P: Wait> Sc16is7xxIrq<IF, V, P> {
    /// Pairs the driver with its IRQ pin. Sends nothing.
    pub fn new(uart: Sc16is7xxAsync<IF, V>, irq: P) -> Self {
        Self {
            uart,
            irq,
            tx_ready_added: false,
        }
    }

    /// The driver and the pin back.
    pub fn release(self) -> (Sc16is7xxAsync<IF, V>, P) {
        (self.uart, self.irq)
    }

    async fn wait_irq(&mut self) -> Result<(), Error<IF::Error>> {
        self.irq.wait_for_low().await.map_err(|e| Error::IrqPin(e.kind()))?;
        self.uart.pending_interrupt().await?;
        Ok(())
    }

    /// Enables `wanted` on top of what is on; whether it had to (so that it can be turned off again).
    async fn enable(&mut self, wanted: Interrupts) -> Result<bool, Error<IF::Error>> {
        let enabled = self.uart.interrupts().await?;
        if enabled.contains(wanted) {
            return Ok(false);
        }
        self.uart.set_interrupts(enabled | wanted).await?;
        Ok(true)
    }

    /// Loop rounds within the deadline: each round is at least two transactions (the FIFO level, then IIR after
    /// the wake), each charged the driver's poll cost.
    fn rounds(&self) -> u32 {
        (self.uart.poll_budget() / 2).max(1)
    }

    /// Turns the TX-ready interrupt off again if a write turned it on.
    async fn tx_ready_off(&mut self) -> Result<(), Error<IF::Error>> {
        if self.tx_ready_added {
            let enabled = self.uart.interrupts().await?;
            self.uart
                .set_interrupts(enabled.difference(Interrupts::TX_READY))
                .await?;
            self.tx_ready_added = false;
        }
        Ok(())
    }
}

impl<IF: AsyncInterface, V: Variant, P: Wait> embedded_io_async::ErrorType for Sc16is7xxIrq<IF, V, P> {
    type Error = Error<IF::Error>;
}

impl<IF: AsyncInterface, V: Variant, P: Wait> embedded_io_async::Read for Sc16is7xxIrq<IF, V, P> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.tx_ready_off().await?;
        for _ in 0..self.rounds() {
            let count = self.uart.try_read(buf).await?;
            if count > 0 {
                return Ok(count);
            }
            self.enable(Interrupts::RX_DATA | Interrupts::LINE_STATUS).await?;
            self.wait_irq().await?;
        }
        Err(Error::Timeout)
    }

    async fn read_exact(&mut self, mut buf: &mut [u8]) -> Result<(), embedded_io_async::ReadExactError<Self::Error>> {
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

impl<IF: AsyncInterface, V: Variant, P: Wait> embedded_io_async::Write for Sc16is7xxIrq<IF, V, P> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        for _ in 0..self.rounds() {
            let count = self.uart.try_write(buf).await?;
            if count > 0 {
                self.tx_ready_off().await?;
                return Ok(count);
            }
            if !self.tx_ready_added {
                let enabled = self.uart.interrupts().await?;
                if !enabled.contains(Interrupts::TX_READY) {
                    // marked before the write: a future dropped from here on leaves it to the next call
                    self.tx_ready_added = true;
                    self.uart.set_interrupts(enabled | Interrupts::TX_READY).await?;
                }
            }
            self.wait_irq().await?;
        }
        Err(Error::Timeout)
    }

    /// Polls LSR until the transmitter is idle (the chip has no interrupt for an empty shift register).
    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.uart.flush().await
    }

    async fn write_all(&mut self, mut buf: &[u8]) -> Result<(), Self::Error> {
        while !buf.is_empty() {
            let n = embedded_io_async::Write::write(self, buf).await?;
            buf = buf.get(n..).unwrap_or(&[]);
        }
        Ok(())
    }
}
