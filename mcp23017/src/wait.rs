//! Async waiting on one expander pin through the MCU pin wired to INTA/INTB.

use core::future::Future;

use embedded_hal_async::digital::Wait;

use crate::part::{Mcp23x17, Part};
use crate::{AsyncInterface, Error, InterruptStatus, Mcp23017Async, PinId};

/// One expander pin as an `embedded_hal_async::digital::Wait`, built on the MCU pin wired to the chip's INT
/// output (INTA for port A, INTB for port B, either with [`Config::mirror_interrupts`](crate::Config)).
///
/// Each wait first looks at what the driver already knows, then waits for the INT pin's active level and
/// services the interrupt ([`interrupt_status`](Mcp23017Async::interrupt_status)), until the pin did what was
/// asked. The pin must have interrupt-on-change enabled
/// ([`set_interrupt`](Mcp23017Async::set_interrupt) with [`InterruptTrigger::AnyEdge`](crate::InterruptTrigger),
/// or the edge wanted). Events of other pins read while waiting are kept for the next
/// [`interrupt_status`](Mcp23017Async::interrupt_status) (or `wait_for_interrupt`); this pin's own are consumed.
///
/// **Bounded:** waiting for the INT pin to become active is waiting for the outside world, as any
/// `embedded-hal` `Wait` does (bound it with your executor's timeout, e.g. `embassy_time::with_timeout`; the
/// wait is cancel-safe, see below). What the driver bounds is its own polling: each service made while the INT
/// pin was already active when the wait for it began (an INT pin that stays active: wrong polarity, a level
/// interrupt of another pin) is charged [`SERVICE_BUS_TIME`](Self::SERVICE_BUS_TIME); a wait for INT that
/// actually had to wait starts the count again. Once the charges reach the timeout
/// ([`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT), or [`with_timeout`](Self::with_timeout)) the wait ends in
/// [`Error::Timeout`].
///
/// **Cancel-safe:** dropping a wait loses nothing the chip handed over: other pins' events are set aside as they
/// are read, and the service itself keeps its flags and status for the next call
/// ([`interrupt_status`](Mcp23017Async::interrupt_status)). What a dropped wait had seen of its own pin is
/// reported by the next `interrupt_status`, not by the next wait.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct WaitPin<'a, IF, INT, P = Mcp23x17> {
    driver: &'a mut Mcp23017Async<IF, P>,
    int: &'a mut INT,
    pin: PinId,
    timeout_us: u64,
}

impl<IF: AsyncInterface, P: Part> Mcp23017Async<IF, P> {
    /// `pin` as an async `Wait` pin, through `int`, the MCU input wired to the chip's INT output, with the
    /// [default timeout](WaitPin::DEFAULT_TIMEOUT).
    pub fn wait_pin<'a, INT: Wait>(&'a mut self, int: &'a mut INT, pin: PinId) -> WaitPin<'a, IF, INT, P> {
        WaitPin {
            driver: self,
            int,
            pin,
            timeout_us: duration_us(WaitPin::<IF, INT, P>::DEFAULT_TIMEOUT),
        }
    }

    /// Waits until `int` (the MCU input wired to INTA/INTB) shows an interrupt, then services it
    /// ([`interrupt_status`](Self::interrupt_status)). Returns at once, without waiting for `int`, if the driver
    /// holds news ([`has_news`](Self::has_news)). Cancel-safe: dropped while waiting for `int` it sent nothing;
    /// dropped while servicing, see `interrupt_status`.
    pub async fn wait_for_interrupt<INT: Wait>(&mut self, int: &mut INT) -> Result<InterruptStatus, Error<IF::Error>> {
        if !self.has_news() {
            self.wait_for_int(int).await?;
        }
        self.interrupt_status().await
    }

    /// Waits for `int`'s active level; `true` if it was active at once, without waiting.
    async fn wait_for_int<INT: Wait>(&mut self, int: &mut INT) -> Result<bool, Error<IF::Error>> {
        let active_high = self.int_active_high();
        let mut wait = core::pin::pin!(async {
            if active_high {
                int.wait_for_high().await
            } else {
                int.wait_for_low().await
            }
        });
        let mut at_once = true;
        let result = core::future::poll_fn(|cx| {
            let poll = wait.as_mut().poll(cx);
            if poll.is_pending() {
                at_once = false;
            }
            poll
        })
        .await;
        result.map_err(|_| Error::InterruptPin)?;
        Ok(at_once)
    }
}

fn duration_us(duration: fugit::MicrosDurationU32) -> u64 {
    u64::from(duration.ticks())
}

impl<IF, INT, P> WaitPin<'_, IF, INT, P>
where
    IF: AsyncInterface,
    INT: Wait,
    P: Part,
{
    /// How long a wait may keep servicing an INT pin that is active at once, by default: 100 ms.
    pub const DEFAULT_TIMEOUT: fugit::MicrosDurationU32 = fugit::MicrosDurationU32::millis(100);

    /// The bus time charged to each service made while the INT pin was already active: 1.5 ms, a conservative
    /// figure for I2C at 100 kHz (the INTF read and the INTF..GPIO burst are about 130 bit times; byte mode
    /// about 150), so on a faster bus the wait ends earlier than its timeout, never later.
    pub const SERVICE_BUS_TIME: fugit::MicrosDurationU32 = fugit::MicrosDurationU32::micros(1500);

    /// This pin's waits end in [`Error::Timeout`] once services with the INT pin active at once have been charged
    /// `timeout` (see the type's docs): a service whose charge would pass it is not made.
    pub fn with_timeout(mut self, timeout: fugit::MicrosDurationU32) -> Self {
        self.timeout_us = duration_us(timeout);
        self
    }

    async fn until(&mut self, done: impl Fn(&InterruptStatus) -> bool) -> Result<(), Error<IF::Error>> {
        if self.pin.mask().bits() & !P::PINS != 0 {
            // a pin the part does not have never changes
            return Err(Error::Argument(crate::ArgumentError::NoSuchPin));
        }
        let charge = duration_us(Self::SERVICE_BUS_TIME);
        let mut charged = 0u64;
        loop {
            let at_once = self.driver.has_news_for_wait() || self.driver.wait_for_int(self.int).await?;
            if at_once {
                charged = charged.saturating_add(charge);
                if charged > self.timeout_us {
                    return Err(Error::Timeout);
                }
            } else {
                charged = 0;
            }
            let status = self.driver.status_for_wait().await?;
            let found = done(&status);
            self.driver.set_aside(without(status, self.pin));
            if found {
                return Ok(());
            }
        }
    }

    async fn until_level(&mut self, high: bool) -> Result<(), Error<IF::Error>> {
        let pin = self.pin;
        if self.driver.pin_is_high(pin).await? == high {
            return Ok(());
        }
        self.until(|status| status.levels.contains_pin(pin) == high || edge(status, pin, high))
            .await
    }
}

/// `status` without `pin`'s own events (they are the wait's).
fn without(status: InterruptStatus, pin: PinId) -> InterruptStatus {
    let others = !pin.mask().bits();
    InterruptStatus {
        flagged: crate::Pins::from_bits_retain(status.flagged.bits() & others),
        rising: crate::Pins::from_bits_retain(status.rising.bits() & others),
        falling: crate::Pins::from_bits_retain(status.falling.bits() & others),
        triggered: crate::Pins::from_bits_retain(status.triggered.bits() & others),
        ..status
    }
}

/// Whether the status shows `pin` reaching `high` (an edge the levels may no longer show).
fn edge(status: &InterruptStatus, pin: PinId, high: bool) -> bool {
    if high {
        status.rising.contains_pin(pin)
    } else {
        status.falling.contains_pin(pin)
    }
}

impl<IF, INT, P> embedded_hal::digital::ErrorType for WaitPin<'_, IF, INT, P>
where
    IF: AsyncInterface,
    P: Part,
    IF::Error: core::fmt::Debug,
{
    type Error = Error<IF::Error>;
}

impl<IF, INT, P> Wait for WaitPin<'_, IF, INT, P>
where
    IF: AsyncInterface,
    P: Part,
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
        self.until(|status| status.rising.contains_pin(pin)).await
    }

    async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.until(|status| status.falling.contains_pin(pin)).await
    }

    async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.until(|status| status.rising.contains_pin(pin) || status.falling.contains_pin(pin))
            .await
    }
}
