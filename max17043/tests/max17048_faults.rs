//! Fault tolerance of the MAX17048 / MAX17049 operations (issue 12's invariants, issue 16's parts): random bus
//! faults before, after and part way through every transaction, on the simulator, through both drivers.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use max17043::part;
    use max17043::sim::{FaultPoint, FaultyBus, Max17043Sim};
    use max17043::{Hibernation, ResetVoltage, StatusFlags, VoltageAlert};
    use std::cell::RefCell;

    fn chip48(soc: u8) -> Chip {
        RefCell::new(FaultyBus::new(Max17043Sim::max17048(StateOfCharge::from_percent(soc))))
    }

    /// The CONFIG cache is unknown or equals the chip, ALSC included (a warm-cache clear writes it back).
    #[track_caller]
    fn assert_cache(gauge: &Gauge<Shared<'_>, part::Max17048>, chip: &Chip) {
        assert_cache_matches(gauge.cached_settings(), chip);
        if let Some(alsc) = gauge.cached_soc_change_alert() {
            let lsb = chip.borrow().inner().register(0x0C).to_be_bytes()[1];
            assert_eq!(alsc, lsb & 0x40 != 0, "the cached ALSC differs from the chip's");
        }
    }

    /// Every operation that writes, again and again under random faults: afterwards no STATUS flag was ever
    /// written 1 over 0 or cleared before a read returned it, no ALRT was written 1 over 0, EnVR and EnSleep
    /// changed only when asked, and the CONFIG cache never disagreed with the chip.
    pub async fn random_faults_break_no_invariant() {
        for seed in 0..40u64 {
            let chip = chip48(50);
            let mut gauge = Gauge::for_part(Shared(&chip), part::Max17048);
            chip.borrow_mut().fail_randomly(seed, 300);
            for step in 0..60u64 {
                let op = (seed * 7 + step * 13) % 16;
                let (en_vr, en_sleep) = {
                    let bus = chip.borrow();
                    (bus.inner().voltage_reset_alert_enabled(), bus.inner().en_sleep())
                };
                match op {
                    0 => drop(gauge.status().await),
                    1 => drop(gauge.clear_status(StatusFlags::all()).await),
                    2 => drop(gauge.set_voltage_reset_alert(step % 2 == 0).await),
                    3 => drop(gauge.set_soc_change_alert(step % 3 == 0).await),
                    4 => drop(gauge.sleep().await),
                    5 => drop(gauge.wake().await),
                    6 => drop(gauge.quick_start().await),
                    7 => drop(gauge.set_rcomp(0x40 + (step as u8 % 8)).await),
                    8 => drop(gauge.set_alert_threshold(1 + (step as u8 % 30)).await),
                    9 => drop(gauge.clear_alert().await),
                    10 => drop(gauge.set_hibernation(Hibernation::from_raw(step as u16)).await),
                    11 => drop(
                        gauge
                            .set_voltage_alert(VoltageAlert::from_millivolts(3500, 3700 + step as u16).unwrap())
                            .await,
                    ),
                    12 => drop(gauge.set_reset_voltage(ResetVoltage::from_byte(step as u8)).await),
                    13 => drop(gauge.power_on_reset().await),
                    14 => chip.borrow_mut().inner_mut().discharge(StatusFlagsStep::soc(step)),
                    _ => chip.borrow_mut().inner_mut().voltage_reset_event(),
                }
                let bus = chip.borrow();
                let sim = bus.inner();
                if op != 2 && op != 13 && op != 15 {
                    assert_eq!(sim.voltage_reset_alert_enabled(), en_vr, "EnVR changed by op {op}");
                }
                if op == 6 || op == 5 {
                    assert_eq!(sim.en_sleep(), en_sleep, "EnSleep changed by op {op}");
                }
                drop(bus);
                assert_cache(&gauge, &chip);
            }
            let bus = chip.borrow();
            let sim = bus.inner();
            assert_eq!(sim.status_written_over_clear(), 0, "seed {seed}");
            assert_eq!(sim.status_cleared_unseen(), 0, "seed {seed}");
            assert_eq!(sim.alerts_written_over_clear(), 0, "seed {seed}");
            assert_eq!(sim.split_reads(), 0, "seed {seed}");
        }
    }

    /// A STATUS clear cut at every point: the flag is cleared only by a whole write, never unseen, and EnVR stays.
    pub async fn clear_status_cut_anywhere() {
        let points = [
            (0, FaultPoint::BeforeChip),
            (0, FaultPoint::AfterChip),
            (0, FaultPoint::Partway(1)),
            (1, FaultPoint::BeforeChip),
            (1, FaultPoint::Partway(1)),
            (1, FaultPoint::Partway(2)),
            (1, FaultPoint::AfterChip),
        ];
        for (nth, point) in points {
            let chip = chip48(50);
            chip.borrow_mut().inner_mut().voltage_reset_event();
            let mut gauge = Gauge::for_part(Shared(&chip), part::Max17048);
            gauge.set_voltage_reset_alert(true).await.unwrap();
            chip.borrow_mut().fail_nth(nth, point);
            assert!(gauge.clear_status(StatusFlags::VOLTAGE_RESET).await.is_err());
            let cleared = chip.borrow().inner().status_flags().is_empty();
            // only a write the chip took whole clears the flag
            assert_eq!(cleared, nth == 1 && point == FaultPoint::AfterChip, "{nth} {point:?}");
            assert!(chip.borrow().inner().voltage_reset_alert_enabled());
            // repeating the call finishes the job
            gauge.clear_status(StatusFlags::VOLTAGE_RESET).await.unwrap();
            assert!(chip.borrow().inner().status_flags().is_empty());
            assert_eq!(chip.borrow().inner().status_cleared_unseen(), 0);
            assert_eq!(chip.borrow().inner().status_written_over_clear(), 0);
        }
    }

    /// A sleep cut after the EnSleep write: the gauge is not asleep, and the repeat puts it to sleep.
    pub async fn sleep_cut_after_en_sleep() {
        for nth in 0..3 {
            let chip = chip48(50);
            let mut gauge = Gauge::for_part(Shared(&chip), part::Max17048);
            chip.borrow_mut().fail_nth(nth, FaultPoint::BeforeChip);
            assert!(gauge.sleep().await.is_err());
            assert!(!chip.borrow().inner().is_sleeping());
            assert_cache(&gauge, &chip);
            gauge.sleep().await.unwrap();
            assert!(chip.borrow().inner().is_sleeping());
        }
    }

    /// A model load cut anywhere: afterwards access is locked unless the lock itself failed, and a repeat (or
    /// `lock_model`) ends with the whole table and access locked.
    pub async fn load_model_cut_anywhere() {
        let table: [u8; 64] = core::array::from_fn(|i| i as u8 ^ 0x5A);
        let mut points = vec![];
        for nth in 0..3 {
            points.push((nth, FaultPoint::BeforeChip));
            points.push((nth, FaultPoint::AfterChip));
            for n in [1, 2, 3, 30, 64] {
                points.push((nth, FaultPoint::Partway(n)));
            }
        }
        for (nth, point) in points {
            let chip = chip48(50);
            let mut gauge = Gauge::for_part(Shared(&chip), part::Max17048);
            chip.borrow_mut().fail_nth(nth, point);
            assert!(gauge.load_model(&table).await.is_err());
            // the lock (transaction 2) reaches the chip unless cut before its last byte
            let lock_failed = nth == 2 && matches!(point, FaultPoint::BeforeChip | FaultPoint::Partway(1 | 2));
            assert_eq!(
                chip.borrow().inner().is_model_unlocked(),
                lock_failed,
                "{nth} {point:?}"
            );
            gauge.lock_model().await.unwrap();
            assert!(!chip.borrow().inner().is_model_unlocked());
            gauge.load_model(&table).await.unwrap();
            assert_eq!(chip.borrow().inner().model_table(), table, "{nth} {point:?}");
            assert!(!chip.borrow().inner().is_model_unlocked());
        }
    }

    /// The battery steps the random run takes.
    struct StatusFlagsStep;

    impl StatusFlagsStep {
        fn soc(step: u64) -> StateOfCharge {
            StateOfCharge::from_256ths(if step % 4 == 0 { 0x0180 } else { 0x0040 })
        }
    }
}

both!(
    random_faults_break_no_invariant,
    clear_status_cut_anywhere,
    sleep_cut_after_en_sleep,
    load_model_cut_anywhere
);

/// Async cancellation: every MAX17048 operation that writes, dropped after each of its polls.
#[cfg(feature = "async")]
mod dropped {
    use super::common::*;
    use max17043::part;
    use max17043::sim::{FaultyBus, Max17043Sim};
    use max17043::{Hibernation, Max17048Async, ResetVoltage, StatusFlags, VoltageAlert};
    use std::cell::RefCell;

    type Driver<'a> = Max17048Async<Shared<'a>>;

    /// One operation by number, to completion or to a drop.
    async fn op(gauge: &mut Driver<'_>, n: u8) -> Result<(), Error<max17043::sim::FaultyBusError<ErrorKind>>> {
        match n {
            0 => gauge.clear_status(StatusFlags::all()).await.map(drop),
            1 => gauge.set_voltage_reset_alert(false).await,
            2 => gauge.set_soc_change_alert(true).await,
            3 => gauge.sleep().await,
            4 => gauge.quick_start().await,
            5 => gauge.set_hibernation(Hibernation::NEVER).await,
            6 => {
                gauge
                    .set_voltage_alert(VoltageAlert::from_millivolts(3000, 4300).unwrap())
                    .await
            }
            7 => {
                gauge
                    .set_reset_voltage(ResetVoltage::from_millivolts(2500, false).unwrap())
                    .await
            }
            8 => gauge.power_on_reset().await.map(drop),
            _ => gauge.load_model(&[0x5A; 64]).await,
        }
    }

    /// The chip after the set-up: RI and VR set and seen, EnVR on, EnSleep on, ALSC off.
    fn set_up(chip: &RefCell<FaultyBus<Max17043Sim>>) -> Driver<'_> {
        chip.borrow_mut().inner_mut().voltage_reset_event();
        let mut gauge = Max17048Async::for_part(Shared(chip), part::Max17048);
        block_on(gauge.set_voltage_reset_alert(true)).unwrap();
        block_on(gauge.status()).unwrap();
        gauge
    }

    #[test]
    fn every_operation_dropped_at_every_await_point() {
        for n in 0..10 {
            let reference = RefCell::new(FaultyBus::new(Max17043Sim::max17048(StateOfCharge::from_percent(50))));
            let mut gauge = set_up(&reference);
            block_on(op(&mut gauge, n)).ok();
            let expected: Vec<u16> = [0x0C, 0x0A, 0x14, 0x18, 0x1A]
                .iter()
                .map(|&a| reference.borrow().inner().register(a))
                .collect();
            for polls in 0..8 {
                let chip = RefCell::new(FaultyBus::new(Max17043Sim::max17048(StateOfCharge::from_percent(50))));
                let mut gauge = set_up(&chip);
                chip.borrow_mut().yield_around_transactions(true);
                let finished = poll_then_drop(op(&mut gauge, n), polls).is_some();
                assert_cache_matches(gauge.cached_settings(), &chip);
                chip.borrow_mut().yield_around_transactions(false);
                // the repeat ends where one whole call does
                block_on(op(&mut gauge, n)).ok();
                assert_cache_matches(gauge.cached_settings(), &chip);
                let now: Vec<u16> = [0x0C, 0x0A, 0x14, 0x18, 0x1A]
                    .iter()
                    .map(|&a| chip.borrow().inner().register(a))
                    .collect();
                assert_eq!(now, expected, "op {n} dropped after {polls} polls");
                let bus = chip.borrow();
                assert_eq!(bus.inner().status_written_over_clear(), 0);
                assert_eq!(bus.inner().status_cleared_unseen(), 0);
                assert_eq!(bus.inner().alerts_written_over_clear(), 0);
                assert!(!bus.inner().is_model_unlocked());
                if finished {
                    break;
                }
            }
        }
    }
}
