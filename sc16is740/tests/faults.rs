//! Fault tolerance (issue 12): one test per known failure, and per invariant this chip can break, through both
//! drivers; the async twins are also dropped at their await points.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use core::cell::RefCell;
    use sc16is740::sim::{FaultPoint, FaultyBus, Reg, Sc16is7xxSim, SharedSim, SimVariant};
    use sc16is740::{Sc16is740, Sc16is750, Sc16is7xx};

    pub type Bus<'a> = FaultyBus<SharedSim<'a>>;
    pub type Uart<'a, V> = Sc16is7xx<sc16is740::I2cInterface<Bus<'a>>, V>;

    pub fn chip(variant: SimVariant) -> RefCell<Sc16is7xxSim> {
        RefCell::new(Sc16is7xxSim::new(variant, XTAL.Hz()))
    }

    pub async fn uart<'a, V: sc16is740::variant::Variant>(
        chip: &'a RefCell<Sc16is7xxSim>,
        variant: V,
        config: &Config,
    ) -> Uart<'a, V> {
        let mut u = Sc16is7xx::new_i2c(FaultyBus::new(SharedSim(chip)), Address::DEFAULT, XTAL.Hz(), variant);
        u.init(config).await.unwrap();
        u
    }

    /// LCR 0x3F: 8 data bits, forced-0 parity, 2 stop bits; with DLAB it is the 0xBF key of the enhanced set.
    fn f8_forced0_2() -> LineFormat {
        LineFormat::new(DataBits::Eight, Parity::Forced0, StopBits::Two)
    }

    pub async fn the_format_0x3f_still_reaches_the_divisor_latch() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::new(115_200.Hz()).format(f8_forced0_2())).await;
        assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x3F);
        assert_eq!(c.borrow().divisor(0), 8, "init wrote the divisor");
        u.set_baud_rate(9_600.Hz()).await.unwrap();
        assert_eq!(c.borrow().divisor(0), 96, "set_baud_rate wrote the divisor");
        u.invalidate_cache();
        assert_eq!(u.baud_rate().await.unwrap().0, 96, "baud_rate read the divisor");
        assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x3F);
        assert_eq!(c.borrow().stray_accesses(), 0);
    }

    /// Every transaction of `set_baud_rate` failed at every point: the driver's divisor is the chip's (or read
    /// again), LCR is the format again after the next call, and a retry finishes the job.
    pub async fn a_failed_divisor_write_never_leaves_a_stale_divisor() {
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(1)] {
            for n in 0..8 {
                let c = chip(SimVariant::Sc16is740);
                let mut u = uart(&c, Sc16is740, &Config::new(115_200.Hz())).await;
                u.bus_mut().fail_nth(n, point);
                // 300 baud: divisor 0x0C00, both bytes differ from 115 200's 0x0008
                let result = u.set_baud_rate(300.Hz()).await;
                u.bus_mut().stop_failing();
                let (divisor, _, _) = u.baud_rate().await.unwrap();
                assert_eq!(divisor, c.borrow().divisor(0), "{point:?} at {n}: {result:?}");
                assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x03, "{point:?} at {n}");
                u.set_baud_rate(300.Hz()).await.unwrap();
                assert_eq!(c.borrow().divisor(0), 0x0C00);
            }
        }
    }

    /// Auto-CTS with CTS never asserted: the transmitter is held for ever; flush ends with `Timeout`.
    pub async fn flush_on_a_held_transmitter_times_out() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_hardware_flow_control(HardwareFlowControl {
            auto_rts: false,
            auto_cts: true,
            levels: FlowLevels::default(),
        })
        .await
        .unwrap();
        u.write_all(b"held").await.unwrap();
        // a backstop for the driver that polls for ever
        u.bus_mut().fail_nth(100_000, FaultPoint::BeforeChip);
        let before = u.bus_mut().transactions();
        assert_eq!(u.flush().await, Err(Error::Timeout));
        assert!(u.bus_mut().transactions() - before <= 10_002);
        // and the same for a write that never finds room
        u.write_all(&payload(60)).await.unwrap();
        let before = u.bus_mut().transactions();
        assert_eq!(u.write_all(&payload(8)).await, Err(Error::Timeout));
        assert!(u.bus_mut().transactions() - before <= 10_002);
    }

    /// A received Xoff holds the transmitter for ever: flush ends with `Timeout` after the deadline's polls.
    pub async fn flush_behind_a_received_xoff_times_out() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_software_flow_control(&SoftwareFlowControl::default())
            .await
            .unwrap();
        c.borrow_mut().receive(0, &[0x13]);
        c.borrow_mut().deliver_now(0);
        assert!(c.borrow().tx_held_by_xoff(0));
        u.write_all(b"held").await.unwrap();
        u.set_timeout(fugit::MicrosDurationU32::from_ticks(500));
        let before = u.bus_mut().transactions();
        assert_eq!(u.flush().await, Err(Error::Timeout));
        assert_eq!(u.bus_mut().transactions() - before, 5, "500 µs at 100 µs per LSR poll");
        assert_eq!(c.borrow().transmitted_len(0), 0);
    }

    /// EFCR\[2\]: flush and write_all return at once.
    pub async fn a_disabled_transmitter_is_an_error_at_once() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_transmitter_enabled(false).await.unwrap();
        u.bus_mut().fail_nth(100_000, FaultPoint::BeforeChip);
        let before = u.bus_mut().transactions();
        assert_eq!(u.write_all(&payload(70)).await, Err(Error::TransmitterDisabled));
        assert!(u.bus_mut().transactions() - before <= 1);
        assert_eq!(c.borrow().reg(0, Reg::Txlvl), 64, "nothing written");
        assert_eq!(u.try_write(b"ab").await, Ok(2));
        let before = u.bus_mut().transactions();
        assert_eq!(u.flush().await, Err(Error::TransmitterDisabled));
        assert!(u.bus_mut().transactions() - before <= 2);
    }

    /// The chip refused the reset write before it saw the data byte (a data NACK all the same): no reset, so
    /// software_reset is an error and the driver still knows the format.
    pub async fn a_reset_write_refused_before_the_chip_is_no_reset() {
        for n in 0..3 {
            let c = chip(SimVariant::Sc16is740);
            let mut u = uart(&c, Sc16is740, &Config::default()).await;
            u.bus_mut().fail_nth(n, FaultPoint::BeforeChip);
            let result = u.software_reset(&mut NoopDelay).await;
            u.bus_mut().stop_failing();
            if c.borrow().software_resets() == 0 {
                assert!(result.is_err(), "at {n}: no reset, yet {result:?}");
            }
            let chip_format = LineFormat::decode(c.borrow().reg(0, Reg::Lcr));
            assert_eq!(u.line_format().await, Ok(chip_format), "at {n}");
        }
        // and a real reset is still a success
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        assert_eq!(u.software_reset(&mut NoopDelay).await, Ok(()));
        assert_eq!(c.borrow().software_resets(), 1);
    }

    /// A pin written while it is an input: the chip's latch keeps its old level for it, so must the driver.
    pub async fn a_pin_written_as_an_input_keeps_the_latch() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = uart(&c, Sc16is750, &Config::default()).await;
        u.set_gpio_direction(0x00).await.unwrap();
        u.set_gpio_outputs(0x00).await.unwrap();
        let p0 = GpioPin::new(0).unwrap();
        u.set_gpio_pin(p0, true).await.unwrap(); // an input: the chip ignores the bit
        u.set_gpio_direction(0x01).await.unwrap();
        let driven = c.borrow().gpio_output_levels() & 0x01;
        assert_eq!(u.gpio_output_latch().await.unwrap() & 0x01, driven);
        u.set_gpio_outputs(0xFF).await.unwrap(); // GPIO1..7 are inputs
        u.set_gpio_direction(0xFF).await.unwrap();
        assert_eq!(u.gpio_output_latch().await.unwrap(), c.borrow().gpio_output_levels());
    }

    /// A read-modify-write of MCR after a failed TCR write finds MCR\[2\] (an access mode, not a setting) on the
    /// chip and never writes it back.
    pub async fn an_rmw_never_writes_an_access_or_command_bit_back() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        c.borrow_mut().poke(0, Reg::Mcr, 0x04);
        u.invalidate_cache();
        u.set_rts(true).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Mcr) & 0x04, 0);
        assert_eq!(u.read_scratch().await.unwrap(), c.borrow().reg(0, Reg::Spr));
    }

    /// A baud change that fails anywhere after turning sleep off: the next operation turns it back on.
    pub async fn a_failed_baud_change_turns_sleep_back_on() {
        for n in 0..6 {
            let c = chip(SimVariant::Sc16is740);
            let mut u = uart(&c, Sc16is740, &Config::new(115_200.Hz())).await;
            u.set_sleep(true).await.unwrap();
            u.bus_mut().fail_nth(n, FaultPoint::BeforeChip);
            let result = u.set_baud_rate(300.Hz()).await;
            u.bus_mut().stop_failing();
            assert_eq!(u.rx_level().await, Ok(0));
            assert_eq!(c.borrow().reg(0, Reg::Ier) & 0x10, 0x10, "at {n}: {result:?}");
            assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x03, "at {n}");
        }
    }

    /// A chip (or a floating bus) that answers one byte for ever: every operation ends, within a bounded number
    /// of transactions, whatever the byte.
    pub async fn a_chip_answering_one_byte_for_ever_never_hangs_a_call() {
        for byte in [0x00, 0xFF, 0x1D, 0x20, 0x40, 0x60, 0x80, 0xBF] {
            let c = chip(SimVariant::Sc16is750);
            let mut u = uart(&c, Sc16is750, &Config::default()).await;
            u.set_timeout(fugit::MicrosDurationU32::from_ticks(1_000));
            u.bus_mut().stuck_at(Some(byte));
            // a backstop for a driver that would poll for ever
            u.bus_mut().fail_nth(10_000, FaultPoint::BeforeChip);
            let mut buffer = [0; 16];
            let mut calls = 0;
            let mut bounded = |u: &mut Uart<'_, Sc16is750>, before: u32, what: &str| {
                calls += 1;
                let made = u.bus_mut().transactions() - before;
                assert!(made <= 40, "stuck at {byte:#04x}: {what} made {made} transactions");
            };
            u.invalidate_cache();
            let t = u.bus_mut().transactions();
            let _ = u.flush().await;
            bounded(&mut u, t, "flush");
            let t = u.bus_mut().transactions();
            let _ = u.write_all(&payload(20)).await;
            bounded(&mut u, t, "write_all");
            let t = u.bus_mut().transactions();
            let _ = u.try_read(&mut buffer).await;
            bounded(&mut u, t, "try_read");
            let t = u.bus_mut().transactions();
            let _ = u.software_reset(&mut NoopDelay).await;
            bounded(&mut u, t, "software_reset");
            let t = u.bus_mut().transactions();
            let _ = u.baud_rate().await;
            bounded(&mut u, t, "baud_rate");
            let t = u.bus_mut().transactions();
            let _ = u.set_baud_rate(9_600.Hz()).await;
            bounded(&mut u, t, "set_baud_rate");
            let t = u.bus_mut().transactions();
            let _ = u.pending_interrupt().await;
            bounded(&mut u, t, "pending_interrupt");
            let t = u.bus_mut().transactions();
            let _ = u.set_gpio_pin(GpioPin::new(1).unwrap(), true).await;
            bounded(&mut u, t, "set_gpio_pin");
            let t = u.bus_mut().transactions();
            let _ = u.check_presence().await;
            bounded(&mut u, t, "check_presence");
            let t = u.bus_mut().transactions();
            let _ = u.init(&Config::default()).await;
            bounded(&mut u, t, "init");
            assert_eq!(calls, 10);
            assert_eq!(u.bus_mut().faults(), 0, "the backstop was reached");
        }
    }

    /// RS-485 without an address turns special-character detection off even when EFR is unknown (a failed or
    /// dropped earlier call, or a cold cache): found by the retry property.
    pub async fn rs485_without_an_address_turns_detection_off_from_an_unknown_efr() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_rs485(Rs485 {
            address: Some(0x42),
            ..Rs485::default()
        })
        .await
        .unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efr) & 0x20, 0x20);
        u.invalidate_cache();
        u.set_rs485(Rs485::default()).await.unwrap();
        assert_eq!(
            c.borrow().reg(0, Reg::Efr) & 0x20,
            0,
            "special-character detection left on"
        );
    }

    /// A modem pin that is an output reads its modem line (DTR), not the latch: a cold latch read must not take
    /// it for the latch (found by the property test).
    pub async fn a_cold_latch_read_skips_the_modem_pins() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = uart(&c, Sc16is750, &Config::default()).await;
        u.set_modem_pins(true).await.unwrap();
        u.set_gpio_direction(0x21).await.unwrap(); // GPIO5 (DTR, high while inactive) and GPIO0
        u.invalidate_cache();
        let _ = u.gpio_output_latch().await.unwrap();
        let (known, bits) = u.cached_latch();
        assert_eq!(bits, c.borrow().gpio_latch() & known, "known bits {known:#04x}");
        assert_eq!(known & 0x01, 0x01, "GPIO0's latch is known");
    }

    /// IOControl read as all ones (a stuck bus, or a glitch): the read-modify-write never writes the
    /// self-clearing software reset back, so the chip is not reset by a GPIO setting.
    pub async fn an_iocontrol_read_with_the_reset_bit_never_resets_the_chip() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = uart(&c, Sc16is750, &Config::default()).await;
        u.bus_mut().stuck_at(Some(0xFF));
        let _ = u.set_gpio_latch(true).await;
        u.bus_mut().stuck_at(None);
        assert_eq!(c.borrow().software_resets(), 0);
        assert_eq!(c.borrow().reg(0, Reg::IoControl) & 0x01, 0x01);
    }

    /// write_all_counted: the bytes confirmed taken before a failure, and never more than the chip holds.
    pub async fn a_partial_write_says_how_much_the_chip_took() {
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(10)] {
            for n in 0..6 {
                let c = chip(SimVariant::Sc16is740);
                let mut u = uart(&c, Sc16is740, &Config::default()).await;
                c.borrow_mut().set_chars_per_transaction(8);
                let data = payload(100);
                u.bus_mut().fail_nth(n, point);
                let result = u.write_all_counted(&data).await;
                u.bus_mut().stop_failing();
                c.borrow_mut().settle();
                let mut line = [0; 256];
                let sent = c.borrow_mut().take_transmitted(0, &mut line);
                assert_eq!(&line[..sent], &data[..sent], "in order, no duplicate");
                match result {
                    Ok(()) => assert_eq!(sent, 100),
                    Err((taken, _)) => {
                        assert!(taken <= sent, "{point:?} at {n}: {taken} > {sent}");
                        assert!(sent <= taken + 64, "{point:?} at {n}: {sent} unaccounted");
                    }
                }
            }
        }
    }
}

both!(
    the_format_0x3f_still_reaches_the_divisor_latch,
    a_failed_divisor_write_never_leaves_a_stale_divisor,
    flush_on_a_held_transmitter_times_out,
    a_disabled_transmitter_is_an_error_at_once,
    a_reset_write_refused_before_the_chip_is_no_reset,
    a_pin_written_as_an_input_keeps_the_latch,
    an_rmw_never_writes_an_access_or_command_bit_back,
    a_partial_write_says_how_much_the_chip_took,
    a_failed_baud_change_turns_sleep_back_on,
    a_chip_answering_one_byte_for_ever_never_hangs_a_call,
    rs485_without_an_address_turns_detection_off_from_an_unknown_efr,
    a_cold_latch_read_skips_the_modem_pins,
    flush_behind_a_received_xoff_times_out,
    an_iocontrol_read_with_the_reset_bit_never_resets_the_chip,
);

/// Futures dropped at every await point (every bus transaction yields before and after the chip sees it).
#[cfg(feature = "async")]
mod cancellation {
    use super::asynch::{chip, uart};
    use super::common::*;
    use core::future::Future;
    use core::pin::Pin;
    use core::task::{Context, Poll};
    use embedded_io_async::Write as _;
    use sc16is740::sim::{Reg, SimIrqPin, SimVariant};
    use sc16is740::{Sc16is740, Sc16is7xxIrq};

    /// Pending once, then ready.
    struct Yield(bool);
    impl Future for Yield {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    /// An async delay that yields once.
    struct YieldingDelay;
    impl embedded_hal_async::delay::DelayNs for YieldingDelay {
        async fn delay_ns(&mut self, _: u32) {
            Yield(false).await
        }
    }

    /// A pin that yields once before each wait.
    struct YieldingPin<'a>(SimIrqPin<'a>);
    impl embedded_hal::digital::ErrorType for YieldingPin<'_> {
        type Error = sc16is740::sim::SimPinError;
    }
    impl embedded_hal_async::digital::Wait for YieldingPin<'_> {
        async fn wait_for_high(&mut self) -> Result<(), Self::Error> {
            Yield(false).await;
            self.0.wait_for_high().await
        }
        async fn wait_for_low(&mut self) -> Result<(), Self::Error> {
            Yield(false).await;
            self.0.wait_for_low().await
        }
        async fn wait_for_rising_edge(&mut self) -> Result<(), Self::Error> {
            Yield(false).await;
            self.0.wait_for_rising_edge().await
        }
        async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
            Yield(false).await;
            self.0.wait_for_falling_edge().await
        }
        async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
            Yield(false).await;
            self.0.wait_for_any_edge().await
        }
    }

    #[test]
    fn set_baud_rate_dropped_anywhere_keeps_sleep_and_the_divisor() {
        block_on(async {
            for polls in 1..40 {
                let c = chip(SimVariant::Sc16is740);
                let mut u = uart(&c, Sc16is740, &Config::new(115_200.Hz())).await;
                u.set_sleep(true).await.unwrap();
                u.bus_mut().yield_around_transactions(true);
                let done = poll_then_drop(u.set_baud_rate(300.Hz()), polls);
                u.bus_mut().yield_around_transactions(false);
                // the driver's divisor is the chip's, mixed or not
                let (divisor, _, _) = u.baud_rate().await.unwrap();
                assert_eq!(divisor, c.borrow().divisor(0), "dropped after {polls} polls");
                // the next call finishes the job, sleep on again
                u.set_baud_rate(300.Hz()).await.unwrap();
                assert_eq!(c.borrow().divisor(0), 0x0C00);
                assert_eq!(
                    c.borrow().reg(0, Reg::Ier) & 0x10,
                    0x10,
                    "sleep, after {polls} polls ({done:?})"
                );
                assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x03);
                if done.is_some() {
                    break;
                }
            }
        });
    }

    #[test]
    fn software_reset_dropped_anywhere_forgets_the_old_configuration() {
        block_on(async {
            for polls in 1..20 {
                let c = chip(SimVariant::Sc16is740);
                let mut u = uart(&c, Sc16is740, &Config::default()).await;
                u.bus_mut().yield_around_transactions(true);
                let done = poll_then_drop(u.software_reset(&mut YieldingDelay), polls);
                u.bus_mut().yield_around_transactions(false);
                let chip_format = LineFormat::decode(c.borrow().reg(0, Reg::Lcr));
                assert_eq!(u.line_format().await, Ok(chip_format), "dropped after {polls} polls");
                if done.is_some() {
                    break;
                }
            }
        });
    }

    /// IRQ held low by a source the IRQ reader does not service (modem status): the read ends at the deadline.
    #[test]
    fn an_irq_read_woken_for_ever_without_data_times_out() {
        block_on(async {
            let c = chip(SimVariant::Sc16is740);
            let mut u = uart(&c, Sc16is740, &Config::default()).await;
            u.set_interrupts(Interrupts::MODEM_STATUS).await.unwrap();
            c.borrow_mut().set_cts(0, true);
            u.set_timeout(fugit::MicrosDurationU32::from_ticks(1_000));
            let mut port = Sc16is7xxIrq::new(u, SimIrqPin::new(&c, 0));
            let mut buffer = [0; 4];
            let before = port.uart.bus_mut().transactions();
            assert_eq!(
                embedded_io_async::Read::read(&mut port, &mut buffer).await,
                Err(Error::Timeout)
            );
            // 1 ms at 100 µs per transaction: 5 rounds of RXLVL and IIR, plus the IER write of the first
            assert_eq!(port.uart.bus_mut().transactions() - before, 11);
        });
    }

    #[test]
    fn an_irq_write_dropped_while_waiting_turns_tx_ready_off_later() {
        block_on(async {
            let c = chip(SimVariant::Sc16is740);
            let mut u = uart(&c, Sc16is740, &Config::default()).await;
            c.borrow_mut().set_chars_per_transaction(0);
            u.write_all(&payload(64)).await.unwrap();
            let mut port = Sc16is7xxIrq::new(u, YieldingPin(SimIrqPin::new(&c, 0)));
            // dropped in its wait for IRQ, with TX-ready turned on for it
            assert_eq!(poll_then_drop(port.write(b"x"), 1), None);
            assert_eq!(c.borrow().reg(0, Reg::Ier) & 0x02, 0x02);
            c.borrow_mut().set_chars_per_transaction(1);
            c.borrow_mut().settle();
            assert_eq!(port.write(b"y").await, Ok(1));
            assert_eq!(c.borrow().reg(0, Reg::Ier) & 0x02, 0, "TX-ready left on");
        });
    }
}
