//! Fault tolerance (issue 12): the known failures and the invariants, on the simulator behind a `FaultyBus`,
//! through both drivers; the cancellation tests drop the async futures at every await point.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod common;

#[maybe_async_cfg::maybe(
    idents(
        Gauge(sync = "Gauge", async = "GaugeAsync"),
        flavor(sync = "blocking", async = "asynch")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::ops::flavor::apply;
    use super::common::ops::{Op, CONFIG_WRITERS};
    use super::common::*;
    use max17043::sim::{FaultPoint, FaultyBusError, PorResponse};

    /// What the user configured before the faults: different from the power-up CONFIG in every field.
    pub const USER: Settings = Settings {
        rcomp: 0x40,
        alert_threshold_percent: 10,
        sleep: false,
    };

    /// A chip configured with [`USER`] and a driver whose cache knows it.
    async fn configured(chip: &Chip) -> Gauge<Shared<'_>> {
        let mut gauge = Gauge::new(Shared(chip), Variant::Max17043);
        gauge.configure(USER).await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(USER));
        gauge
    }

    /// Issue 12, known failure: a data NACK that came before the chip took the whole command (the chip saw the
    /// register pointer, or the pointer and the MSB) was taken for a reset, the power-up CONFIG cached, and the
    /// next `clear_alert` overwrote the user's RCOMP and threshold. The read-back now tells them apart.
    pub async fn power_on_reset_nacked_before_the_chip_took_it_is_not_a_reset() {
        let chip = chip(70);
        let mut gauge = configured(&chip).await;
        for taken in [0, 1, 2] {
            chip.borrow_mut().fail_nth(0, FaultPoint::Partway(taken));
            assert_eq!(
                gauge.power_on_reset(PorCommand::Current).await,
                Err(Error::ResetNotConfirmed)
            );
            assert_cache_matches(gauge.cached_settings(), &chip);
            gauge.clear_alert().await.unwrap();
            assert_eq!(chip_settings(&chip), USER);
        }
        assert_eq!(chip.borrow().inner().resets(), 0);
    }

    /// The chip's own NACK of the last byte (it resets while the byte is clocked in) is still a reset: verified
    /// by the read-back, the power-up CONFIG cached.
    pub async fn power_on_reset_nacked_by_a_resetting_chip_is_a_verified_reset() {
        let chip = chip(70);
        let mut gauge = configured(&chip).await;
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Ok(ResetOutcome::NotAcknowledged)
        );
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        assert_eq!(chip.borrow().inner().resets(), 1);
        // the injected NACK after the chip took every byte is the same thing to the driver
        gauge.configure(USER).await.unwrap();
        chip.borrow_mut().fail_nth(0, FaultPoint::Partway(3));
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Ok(ResetOutcome::NotAcknowledged)
        );
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        assert_eq!(chip.borrow().inner().resets(), 2);
    }

    /// Invariant 6: a chip that honours the other COMMAND value acknowledges and ignores the command; that was
    /// `Ok(Acknowledged)` with the power-up CONFIG cached.
    pub async fn power_on_reset_the_chip_ignores_is_an_error() {
        let chip = chip(70);
        chip.borrow_mut().inner_mut().set_por_response(PorResponse {
            honours: PorCommand::Legacy,
            acknowledges: true,
        });
        let mut gauge = configured(&chip).await;
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::ResetNotConfirmed)
        );
        assert_eq!(gauge.cached_settings(), Some(USER));
        assert_eq!(
            gauge.power_on_reset(PorCommand::Legacy).await,
            Ok(ResetOutcome::Acknowledged)
        );
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        assert_eq!(chip.borrow().inner().resets(), 1);
    }

    /// Invariant 2: a reset the chip performed while the host saw another error (an arbitration loss after the
    /// last byte) left the user's CONFIG in the cache, and the next `clear_alert` wrote it over the reset chip.
    pub async fn power_on_reset_that_reached_the_chip_leaves_config_unknown() {
        let chip = chip(70);
        let mut gauge = configured(&chip).await;
        chip.borrow_mut().set_error_kind(ErrorKind::ArbitrationLoss);
        chip.borrow_mut().fail_nth(0, FaultPoint::AfterChip);
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::Bus(FaultyBusError::Injected(ErrorKind::ArbitrationLoss)))
        );
        assert_eq!(chip.borrow().inner().resets(), 1);
        assert_cache_matches(gauge.cached_settings(), &chip);
        gauge.clear_alert().await.unwrap();
        assert_eq!(chip_settings(&chip), Settings::default());
    }

    /// Invariants 1 and 2 for every CONFIG writer: a write that failed at any point (before the chip, part way,
    /// after it) leaves the cache unknown or equal to the chip, and the next `clear_alert` keeps what the chip
    /// holds. Before, a failed write kept the old cache, so after a write the chip took the cache was stale.
    pub async fn a_failed_config_write_leaves_the_cache_unknown_or_right() {
        let points = [
            FaultPoint::BeforeChip,
            FaultPoint::Partway(1),
            FaultPoint::Partway(2),
            FaultPoint::Partway(3),
            FaultPoint::AfterChip,
        ];
        for op in CONFIG_WRITERS {
            for point in points {
                let chip = chip(70);
                let mut gauge = configured(&chip).await;
                if op == Op::Wake {
                    gauge.sleep().await.unwrap();
                }
                // the write is the last transaction of every writer: after the CONFIG read of the changes that
                // keep ALRT, the first of `configure` and of `clear_alert` on a warm cache
                let write = match op {
                    Op::Configure(_) | Op::ClearAlert => 0,
                    _ => 1,
                };
                chip.borrow_mut().fail_nth(write, point);
                assert!(apply(&mut gauge, op).await.is_err(), "{op:?} at {point:?}");
                assert_cache_matches(gauge.cached_settings(), &chip);
                let before = chip_settings(&chip);
                gauge.clear_alert().await.unwrap();
                assert_eq!(chip_settings(&chip), before, "{op:?} at {point:?}");
            }
        }
    }

    /// Invariant 1: a CONFIG read that fails changes nothing on the chip and leaves a right cache.
    pub async fn a_failed_config_read_writes_nothing() {
        // `configure` reads nothing
        for op in &CONFIG_WRITERS[1..] {
            let op = *op;
            for point in [FaultPoint::BeforeChip, FaultPoint::Partway(1), FaultPoint::AfterChip] {
                let chip = chip(70);
                let mut gauge = configured(&chip).await;
                gauge.invalidate_cache();
                chip.borrow_mut().fail_nth(0, point);
                assert!(apply(&mut gauge, op).await.is_err(), "{op:?} at {point:?}");
                assert_eq!(chip_settings(&chip), USER, "{op:?} at {point:?}");
                assert_cache_matches(gauge.cached_settings(), &chip);
            }
        }
    }

    /// A chip that answers 0x00 for ever (SDA held low) made `version` report 0x0000, a version no gauge has.
    pub async fn a_bus_stuck_at_0x00_is_no_version() {
        let chip = chip(70);
        let mut gauge = Gauge::new(Shared(&chip), Variant::Max17043);
        chip.borrow_mut().stuck_at(Some(0x00));
        assert_eq!(gauge.version().await, Err(Error::InvalidReading(Register::Version)));
        chip.borrow_mut().stuck_at(Some(0xFF));
        assert_eq!(gauge.version().await, Err(Error::InvalidReading(Register::Version)));
        chip.borrow_mut().stuck_at(None);
        assert_eq!(gauge.version().await, Ok(max17043::sim::SIM_VERSION));
    }

    /// A stuck bus makes the read-back fail: the reset is not reported done, and no operation takes more than two
    /// transactions (the driver never loops on the chip).
    pub async fn a_stuck_bus_reports_no_reset_and_never_loops() {
        for byte in [0x00, 0xFF] {
            let chip = chip(70);
            let mut gauge = configured(&chip).await;
            chip.borrow_mut().stuck_at(Some(byte));
            let result = gauge.power_on_reset(PorCommand::Current).await;
            let expected = if byte == 0xFF {
                Error::InvalidReading(Register::Config)
            } else {
                Error::ResetNotConfirmed
            };
            assert_eq!(result, Err(expected));
            let ops = [
                Op::Voltage,
                Op::StateOfCharge,
                Op::Version,
                Op::QuickStart,
                Op::PowerOnReset(PorCommand::Legacy),
                Op::Config,
                Op::Sleep,
                Op::Wake,
                Op::SetRcomp(0x33),
                Op::SetAlertThreshold(7),
                Op::ClearAlert,
                Op::Alert,
            ];
            for op in ops {
                let before = chip.borrow().transactions();
                let _ = apply(&mut gauge, op).await;
                assert!(chip.borrow().transactions() <= before + 2, "{op:?}");
            }
        }
    }

    /// ALRT is a latched alert: no change but `clear_alert` clears an alert nobody has read, and no write ever
    /// sets ALRT over a clear one.
    pub async fn only_clear_alert_clears_an_alert_nobody_has_seen() {
        let ops = [
            Op::SetRcomp(0x60),
            Op::SetRcompForTemperature(0),
            Op::SetAlertThreshold(12),
            Op::Sleep,
            Op::Wake,
            Op::QuickStart,
        ];
        let chip = chip(5);
        let mut gauge = configured(&chip).await;
        let cleared_unseen = || chip.borrow().inner().alerts_cleared_unseen();
        for op in ops {
            // awake and settled (after Sleep, after a quick-start), then a new alert, raised while the driver
            // does not look
            gauge.wake().await.unwrap();
            chip.borrow_mut().inner_mut().elapse_ms(500);
            chip.borrow_mut().inner_mut().charge(StateOfCharge::from_percent(10));
            chip.borrow_mut().inner_mut().discharge(StateOfCharge::from_percent(10));
            assert!(chip.borrow().inner().alert_pin_low());
            let before = cleared_unseen();
            apply(&mut gauge, op).await.unwrap();
            assert!(chip.borrow().inner().alert_pin_low(), "{op:?}");
            // the same change again, now that a read has seen the alert: kept as well
            apply(&mut gauge, op).await.unwrap();
            assert!(chip.borrow().inner().alert_pin_low(), "{op:?}");
            assert_eq!(cleared_unseen(), before, "{op:?}");
            // cleared on purpose, then the change again over a clear ALRT: never written 1
            gauge.clear_alert().await.unwrap();
            assert!(!chip.borrow().inner().alert_pin_low());
            apply(&mut gauge, op).await.unwrap();
            assert!(!chip.borrow().inner().alert_pin_low(), "{op:?}");
        }
        assert_eq!(chip.borrow().inner().alerts_written_over_clear(), 0);
    }
}

both!(
    power_on_reset_nacked_before_the_chip_took_it_is_not_a_reset,
    power_on_reset_nacked_by_a_resetting_chip_is_a_verified_reset,
    power_on_reset_the_chip_ignores_is_an_error,
    power_on_reset_that_reached_the_chip_leaves_config_unknown,
    a_failed_config_write_leaves_the_cache_unknown_or_right,
    a_failed_config_read_writes_nothing,
    a_bus_stuck_at_0x00_is_no_version,
    a_stuck_bus_reports_no_reset_and_never_loops,
    only_clear_alert_clears_an_alert_nobody_has_seen,
);

/// Invariant 7: the async operations dropped at every await point (the `FaultyBus` yields once before each
/// transaction reaches the chip and once after), then run again to completion.
#[cfg(feature = "async")]
mod cancellation {
    use super::asynch::USER;
    use super::common::ops::asynch::apply;
    use super::common::ops::{Op, CONFIG_WRITERS};
    use super::common::*;

    /// Every operation, dropped after each of its polls: the cache stays unknown or right, and running the same
    /// operation again ends where one uninterrupted call would have. Before, a CONFIG write dropped after the chip
    /// took it left the old cache behind.
    #[test]
    fn every_operation_dropped_at_every_await_point() {
        let mut ops = CONFIG_WRITERS.to_vec();
        ops.extend([
            Op::PowerOnReset(PorCommand::Current),
            Op::Config,
            Op::Alert,
            Op::Rcomp,
            Op::AlertThreshold,
            Op::QuickStart,
            Op::Version,
        ]);
        for op in ops {
            // what one uninterrupted call leaves on the chip
            let reference = chip(70);
            let mut gauge = GaugeAsync::new(Shared(&reference), Variant::Max17043);
            block_on(gauge.configure(USER)).unwrap();
            block_on(apply(&mut gauge, op)).unwrap();
            let expected = chip_settings(&reference);
            for polls in 0..8 {
                let chip = chip(70);
                let mut gauge = GaugeAsync::new(Shared(&chip), Variant::Max17043);
                block_on(gauge.configure(USER)).unwrap();
                chip.borrow_mut().yield_around_transactions(true);
                let finished = poll_then_drop(apply(&mut gauge, op), polls).is_some();
                assert_cache_matches(gauge.cached_settings(), &chip);
                block_on(apply(&mut gauge, op)).unwrap();
                assert_cache_matches(gauge.cached_settings(), &chip);
                assert_eq!(chip_settings(&chip), expected, "{op:?} dropped after {polls} polls");
                block_on(gauge.clear_alert()).unwrap();
                assert_eq!(chip_settings(&chip), expected, "{op:?} dropped after {polls} polls");
                if finished {
                    break;
                }
            }
        }
    }

    /// The ALRT pin of a simulated chip: low while the chip's ALRT is set.
    struct AlrtPin<'a>(&'a Chip);

    impl AlrtPin<'_> {
        async fn wait_for(&mut self, low: bool) -> Result<(), core::convert::Infallible> {
            core::future::poll_fn(|_| {
                if self.0.borrow().inner().alert_pin_low() == low {
                    core::task::Poll::Ready(Ok(()))
                } else {
                    core::task::Poll::Pending
                }
            })
            .await
        }
    }

    impl embedded_hal::digital::ErrorType for AlrtPin<'_> {
        type Error = core::convert::Infallible;
    }

    impl embedded_hal_async::digital::Wait for AlrtPin<'_> {
        async fn wait_for_high(&mut self) -> Result<(), Self::Error> {
            self.wait_for(false).await
        }
        async fn wait_for_low(&mut self) -> Result<(), Self::Error> {
            self.wait_for(true).await
        }
        async fn wait_for_rising_edge(&mut self) -> Result<(), Self::Error> {
            self.wait_for(false).await
        }
        async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
            self.wait_for(true).await
        }
        async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
            let low = self.0.borrow().inner().alert_pin_low();
            self.wait_for(!low).await
        }
    }

    /// `wait_for_alert` dropped at every await point loses no alert (ALRT stays latched on the chip) and leaves
    /// the cache right; the next call reports it.
    #[test]
    fn wait_for_alert_dropped_at_every_await_point_loses_no_alert() {
        for polls in 0..6 {
            let chip = chip(5);
            let mut gauge = GaugeAsync::new(Shared(&chip), Variant::Max17043);
            block_on(gauge.configure(USER)).unwrap();
            assert!(chip.borrow().inner().alert_pin_low());
            chip.borrow_mut().yield_around_transactions(true);
            let mut pin = AlrtPin(&chip);
            let finished = poll_then_drop(gauge.wait_for_alert(&mut pin), polls).is_some();
            assert!(chip.borrow().inner().alert_pin_low(), "dropped after {polls} polls");
            assert_cache_matches(gauge.cached_settings(), &chip);
            let config = block_on(gauge.wait_for_alert(&mut pin)).unwrap();
            assert!(config.alert);
            assert_eq!(config.alert_threshold_percent, 10);
            if finished {
                break;
            }
        }
    }
}
