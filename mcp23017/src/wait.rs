//! Async waiting on one expander pin through the MCU pin wired to INTA/INTB.

use embedded_hal_async::digital::Wait;

use crate::{AsyncInterface, Error, InterruptStatus, Mcp23017Async, PinId};

/// One expander pin as an `embedded_hal_async::digital::Wait`, built on the MCU pin wired to the chip's INT
/// output (INTA for port A, INTB for port B, either with [`Config::mirror_interrupts`](crate::Config)).
///
/// Each wait first looks at what the driver already knows, then waits for the INT pin's active level and
/// services the interrupt ([`interrupt_status`](Mcp23017Async::interrupt_status)), until the pin did what was
/// asked. The pin must have interrupt-on-change enabled
/// ([`set_interrupt`](Mcp23017Async::set_interrupt) with [`InterruptTrigger::AnyEdge`](crate::InterruptTrigger),
/// or the edge wanted). Statuses read while waiting are consumed: events of other pins are not kept.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct WaitPin<'a, IF, INT> {
    driver: &'a mut Mcp23017Async<IF>,
    int: &'a mut INT,
    pin: PinId,
}

impl<IF: AsyncInterface> Mcp23017Async<IF> {
    /// `pin` as an async `Wait` pin, through `int`, the MCU input wired to the chip's INT output.
    pub fn wait_pin<'a, INT: Wait>(&'a mut self, int: &'a mut INT, pin: PinId) -> WaitPin<'a, IF, INT> {
        WaitPin { driver: self, int, pin }
    }

    /// Waits until `int` (the MCU input wired to INTA/INTB) shows an interrupt, then services it
    /// ([`interrupt_status`](Self::interrupt_status)). Returns at once if an earlier read kept a pending status.
    pub async fn wait_for_interrupt<INT: Wait>(&mut self, int: &mut INT) -> Result<InterruptStatus, Error<IF::Error>> {
        if self.pending_status().is_none() {
            let wait = if self.int_active_high() {
                int.wait_for_high().await
            } else {
                int.wait_for_low().await
            };
            wait.map_err(|_| Error::InterruptPin)?;
        }
        self.interrupt_status().await
    }
}

impl<IF, INT> WaitPin<'_, IF, INT>
where
    IF: AsyncInterface,
    INT: Wait,
{
    async fn until(&mut self, done: impl Fn(&InterruptStatus) -> bool) -> Result<(), Error<IF::Error>> {
        loop {
            let status = self.driver.wait_for_interrupt(self.int).await?;
            if done(&status) {
                return Ok(());
            }
        }
    }

    async fn until_level(&mut self, high: bool) -> Result<(), Error<IF::Error>> {
        let pin = self.pin;
        if self.driver.pin_is_high(pin).await? == high {
            return Ok(());
        }
        self.until(|status| status.levels.contains(pin) == high || edge(status, pin, high))
            .await
    }
}

/// Whether the status shows `pin` reaching `high` (an edge the levels may no longer show).
fn edge(status: &InterruptStatus, pin: PinId, high: bool) -> bool {
    if high {
        status.rising.contains(pin)
    } else {
        status.falling.contains(pin)
    }
}

impl<IF, INT> embedded_hal::digital::ErrorType for WaitPin<'_, IF, INT>
where
    IF: AsyncInterface,
    IF::Error: core::fmt::Debug,
{
    type Error = Error<IF::Error>;
}

impl<IF, INT> Wait for WaitPin<'_, IF, INT>
where
    IF: AsyncInterface,
    IF::Error: core::fmt::Debug,
    INT: Wait,
{
    async fn wait_for_high(&mut self) -> Result<(), Self::Error> {
        self.until_level(true).await
    }

    async fn wait_for_low(&mut self) -> Result<(), Self::Error> {
        self.until_level(false).await
    }

    async fn wait_for_rising_edge(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.until(|status| status.rising.contains(pin)).await
    }

    async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.until(|status| status.falling.contains(pin)).await
    }

    async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.until(|status| status.rising.contains(pin) || status.falling.contains(pin))
            .await
    }
}
