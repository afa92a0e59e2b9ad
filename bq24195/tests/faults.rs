//! Fault tolerance (issue 12): one test per known failure and per invariant this chip can break, through both
//! drivers, against the simulator behind a `FaultyBus`; the cancellation tests drop async futures at every await
//! point.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod common;

/// The test's own view of the chip's bits (never the driver's constants).
mod bits {
    pub const REG_RESET: u8 = 0x80;
    pub const WD_RESET: u8 = 0x40;
    pub const DPDM_EN: u8 = 0x80;
    pub const CHG_CONFIG: u8 = 0x30;
    pub const SYS_MIN: u8 = 0x0E;
    pub const IINLIM: u8 = 0x07;
}

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::bits;
    use super::common::*;
    use bq24195::sim::{Bq24195Sim, FaultPoint, FaultyBus, SimFault, Supply};
    use bq24195::{Bq24195, ChargeConfig, ChargeFault, InputCurrentLimit};
    use fugit::ExtU32;

    type Bus = Shared<FaultyBus<Bq24195Sim>>;

    fn on(sim: Bq24195Sim) -> (Bus, Bq24195<Bus>) {
        let bus = Shared::new(FaultyBus::new(sim));
        let bq = Bq24195::new(bus.clone(), STANDARD);
        (bus, bq)
    }

    fn powered() -> Bq24195Sim {
        let mut sim = Bq24195Sim::new();
        sim.plug_in(Supply::Adapter);
        sim.finish_input_detection();
        sim.set_battery_mv(3700);
        sim
    }

    /// Known failure: a cold-cache read-modify-write of REG01 while REG_RESET still reads 1 (a register reset whose
    /// poll failed) wrote the bit back and reset every register again.
    pub async fn reg01_read_modify_writes_never_write_reg_reset_back() {
        for op in 0..3 {
            let mut sim = powered();
            // the reset takes a while: REG_RESET reads 1 for the next three transactions
            sim.set_command_transactions(3);
            let (bus, mut bq) = on(sim);
            bq.init(&Config::electron()).await.unwrap();
            // the reset's first poll fails before the chip sees it: the caller gets an error, the reset runs
            bus.get().fail_nth(1, FaultPoint::BeforeChip);
            assert!(bq.reset_registers(&mut NoopDelay).await.unwrap_err().is_nack());
            assert!(bus.get().inner().register_reset_running());
            bq.set_fast_charge_current_ma(1024).await.unwrap();
            match op {
                0 => bq.set_charge_config(ChargeConfig::Disabled).await.unwrap(),
                1 => assert_eq!(bq.set_minimum_system_voltage_mv(3000).await, Ok(3000)),
                _ => bq.kick_watchdog().await.unwrap(),
            }
            let sim = bus.get();
            let sim = sim.inner();
            assert_eq!(sim.register_resets(), 1, "op {op}: REG_RESET written back");
            assert_eq!(sim.register(0x01) & bits::REG_RESET, 0, "op {op}: the reset completed");
            assert_eq!(sim.register(0x02), 0x20, "op {op}: the charge current survived");
            match op {
                0 => assert_eq!(sim.register(0x01) & bits::CHG_CONFIG, 0),
                1 => assert_eq!(sim.register(0x01) & bits::SYS_MIN, 0),
                _ => assert_eq!(sim.watchdog_kicks(), 1),
            }
            assert_eq!(sim.reserved_bit_writes(), 0);
        }
    }

    /// Known failure (WD_RESET half): a cold-cache REG01 read-modify-write while WD_RESET still reads 1 kicked the
    /// watchdog again (hiding a host that stopped kicking).
    pub async fn reg01_read_modify_writes_never_write_wd_reset_back() {
        let mut sim = powered();
        sim.set_command_transactions(2);
        let (bus, mut bq) = on(sim);
        bq.kick_watchdog().await.unwrap();
        bq.invalidate_cache();
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        let sim = bus.get();
        assert_eq!(sim.inner().watchdog_kicks(), 1);
        assert_eq!(sim.inner().register(0x01) & (bits::CHG_CONFIG | bits::WD_RESET), 0);
    }

    /// Known failure: a cold-cache read-modify-write of REG07 while D+/D− detection runs wrote DPDM_EN back and
    /// restarted detection.
    pub async fn reg07_read_modify_writes_never_restart_input_detection() {
        for op in 0..4 {
            let mut sim = Bq24195Sim::new();
            sim.set_detection_transactions(4);
            sim.plug_in(Supply::Adapter);
            let (bus, mut bq) = on(sim);
            match op {
                0 => bq.set_timer_slowdown(false).await.unwrap(),
                1 => bq.set_batfet_disabled(false).await.unwrap(),
                2 => bq.set_charge_fault_interrupt(false).await.unwrap(),
                _ => bq.set_battery_fault_interrupt(false).await.unwrap(),
            }
            for _ in 0..4 {
                bq.status().await.unwrap();
            }
            let sim = bus.get();
            let sim = sim.inner();
            assert_eq!(sim.input_detections(), 1, "op {op}: detection restarted");
            assert!(!sim.input_detection_running(), "op {op}");
            assert_eq!(sim.register(0x07) & bits::DPDM_EN, 0);
            assert_eq!(sim.register(0x00) & bits::IINLIM, 0b101, "op {op}: detection set 1.5 A");
        }
    }

    /// REG07 written by the driver from a warm cache while detection runs: DPDM_EN is not in the cache either.
    pub async fn force_input_detection_is_the_only_write_of_dpdm_en() {
        let (bus, mut bq) = on(powered());
        bq.read_config().await.unwrap();
        bq.force_input_detection().await.unwrap();
        bq.set_batfet_disabled(false).await.unwrap();
        bq.wait_for_input_detection(&mut NoopDelay).await.unwrap();
        assert_eq!(
            bus.get().inner().input_detections(),
            2,
            "the plug-in and the forced one"
        );
    }

    /// Known failure (blocking twin of the cancellation one): the second REG09 read failed and the latched faults
    /// that the first read had cleared on the chip were lost with the error.
    pub async fn a_failed_second_fault_read_keeps_the_latched_faults() {
        let mut sim = powered();
        sim.raise_fault(SimFault::ThermalShutdown);
        sim.clear_fault(SimFault::ThermalShutdown);
        let (bus, mut bq) = on(sim);
        bus.get().fail_nth(1, FaultPoint::BeforeChip);
        assert!(bq.faults().await.unwrap_err().is_nack());
        assert_eq!(bq.pending_faults(), Some(0xA0), "watchdog and thermal shutdown, kept");
        let report = bq.faults().await.unwrap();
        assert_eq!(bq.pending_faults(), None);
        assert_eq!(report.latched.charge, ChargeFault::ThermalShutdown);
        assert!(report.latched.watchdog_expired, "the power-on fault came with it");
        assert_eq!(report.current.charge, ChargeFault::Normal);
        // delivered once
        assert_eq!(bq.faults().await.unwrap().latched.charge, ChargeFault::Normal);
    }

    /// The faults read by `init` before its config write failed are kept for the next call.
    pub async fn init_keeps_the_latched_faults_when_its_config_write_fails() {
        let mut sim = powered();
        sim.raise_fault(SimFault::BatteryOvervoltage);
        sim.clear_fault(SimFault::BatteryOvervoltage);
        let (bus, mut bq) = on(sim);
        // REG0A, REG09, REG09, guard, write: the write fails
        bus.get().fail_nth(4, FaultPoint::BeforeChip);
        assert!(bq.init(&Config::electron()).await.unwrap_err().is_nack());
        let latched = bq.latched_faults().await.unwrap();
        assert!(latched.battery_overvoltage && latched.watchdog_expired);
    }

    /// Invariant 1: a watchdog fault seen by a call that then failed still empties the cache (the chip reverted
    /// its registers); the next read-modify-write reads the chip.
    pub async fn a_watchdog_fault_read_by_a_failing_call_empties_the_cache() {
        let mut config = Config::electron();
        config.watchdog = bq24195::Watchdog::S40;
        let (bus, mut bq) = on(powered());
        bq.init(&config).await.unwrap();
        bus.get().inner_mut().elapse(41.secs());
        bus.get().fail_nth(1, FaultPoint::BeforeChip);
        assert!(bq.faults().await.is_err());
        bq.set_force_20_percent(true).await.unwrap();
        assert_eq!(
            bus.get().inner().register(0x02),
            0x61,
            "ICHG at its reset value, FORCE_20PCT on"
        );
    }

    /// Invariant 2: a register reset whose write the chip took although the host saw an error leaves the cache
    /// unknown, not the old settings.
    pub async fn a_reset_write_the_chip_took_leaves_the_cache_unknown() {
        let (bus, mut bq) = on(powered());
        bq.init(&Config::electron()).await.unwrap();
        bus.get().fail_nth(0, FaultPoint::AfterChip);
        assert!(bq.reset_registers(&mut NoopDelay).await.is_err());
        bq.set_force_20_percent(true).await.unwrap();
        assert_eq!(bus.get().inner().register(0x02), 0x61);
    }

    /// Invariant 2: a config write that reached the chip (whole, or its first registers) although the host saw an
    /// error leaves the cache unknown.
    pub async fn a_config_write_the_chip_took_leaves_the_cache_unknown() {
        for point in [FaultPoint::AfterChip, FaultPoint::Partway(4)] {
            let (bus, mut bq) = on(powered());
            bq.read_config().await.unwrap();
            bus.get().fail_nth(1, point);
            assert!(bq.apply_config(&Config::electron()).await.is_err());
            bq.set_force_20_percent(true).await.unwrap();
            assert_eq!(
                bus.get().inner().register(0x02),
                0x19,
                "{point:?}: 896 mA kept, FORCE_20PCT on"
            );
        }
    }

    /// Invariant 2: a one-register write that reached the chip although the host saw an error leaves that register
    /// unknown.
    pub async fn a_setting_the_chip_took_leaves_its_register_unknown() {
        let (bus, mut bq) = on(powered());
        bq.read_config().await.unwrap();
        bus.get().fail_nth(0, FaultPoint::AfterChip);
        assert!(bq.set_fast_charge_current_ma(1024).await.is_err());
        bq.set_force_20_percent(true).await.unwrap();
        assert_eq!(bus.get().inner().register(0x02), 0x21);
    }

    /// Invariant 6: a REG00 setting that cannot take effect (detection would overwrite it) is an error, and
    /// nothing is written; invariant 4: a detection that never ends is waited for until the deadline only.
    pub async fn reg00_settings_during_detection_are_refused_and_the_wait_ends() {
        let mut sim = Bq24195Sim::new();
        sim.set_detection_transactions(u8::MAX);
        sim.plug_in(Supply::UsbHost);
        let (bus, mut bq) = on(sim);
        let refused = Err(Error::InputDetectionRunning);
        assert_eq!(bq.set_input_current_limit(InputCurrentLimit::Ma900).await, refused);
        assert_eq!(bq.set_hiz(true).await, refused);
        assert_eq!(bq.apply_config(&Config::electron()).await, refused);
        bq.set_input_detection_timeout(fugit::MillisDurationU32::millis(120));
        let before = bus.get().transactions();
        assert_eq!(bq.wait_for_input_detection(&mut NoopDelay).await, refused);
        assert_eq!(bus.get().transactions() - before, 3, "3 × 0.5 + 2 × 50 ms ≤ 120 ms");
        let sim = bus.get();
        assert_eq!(sim.inner().writes_during_detection(), 0);
        assert_eq!(sim.inner().register(0x00), 0x30, "REG00 untouched");
        assert!(!sim.inner().in_host_mode(), "nothing written at all");
    }

    /// Invariants 3 and 4: a chip (or a floating bus) answering 0xFF for ever is refused as a part, makes no wait
    /// loop for ever, and a read-modify-write from it writes neither a command bit nor a reserved bit wrongly.
    pub async fn a_chip_answering_0xff_for_ever() {
        let (bus, mut bq) = on(powered());
        bus.get().stuck_at(Some(0xFF));
        assert_eq!(bq.check_device().await, Err(Error::UnexpectedDevice(0xFF)));
        assert_eq!(bq.init(&Config::electron()).await, Err(Error::UnexpectedDevice(0xFF)));
        assert!(!bus.get().inner().in_host_mode(), "init wrote nothing");
        let before = bus.get().transactions();
        assert_eq!(
            bq.wait_for_input_detection(&mut NoopDelay).await,
            Err(Error::InputDetectionRunning)
        );
        assert_eq!(
            bus.get().transactions() - before,
            20,
            "1 s at 50 ms + bus time per poll"
        );
        let before = bus.get().transactions();
        assert_eq!(bq.reset_registers(&mut NoopDelay).await, Err(Error::ResetTimeout));
        assert_eq!(
            bus.get().transactions() - before,
            1 + 16,
            "the write and 10 ms of polls"
        );
        assert_eq!(bus.get().inner().register_resets(), 1);
        bq.invalidate_cache();
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        bq.set_timer_slowdown(true).await.unwrap();
        bq.set_force_20_percent(true).await.unwrap();
        bq.set_watchdog(bq24195::Watchdog::Disabled).await.unwrap();
        bq.set_thermal_regulation(bq24195::ThermalRegulation::C60)
            .await
            .unwrap();
        assert_eq!(
            bq.set_input_current_limit(InputCurrentLimit::Ma900).await,
            Err(Error::InputDetectionRunning)
        );
        let sim = bus.get();
        let sim = sim.inner();
        assert_eq!(sim.register_resets(), 1, "no REG_RESET written back");
        assert_eq!(sim.input_detections(), 1, "no DPDM_EN written back");
        assert_eq!(sim.reserved_bit_writes(), 0);
        assert_eq!(sim.writes_during_detection(), 0);
    }
}

both!(
    reg01_read_modify_writes_never_write_reg_reset_back,
    reg01_read_modify_writes_never_write_wd_reset_back,
    reg07_read_modify_writes_never_restart_input_detection,
    force_input_detection_is_the_only_write_of_dpdm_en,
    a_failed_second_fault_read_keeps_the_latched_faults,
    init_keeps_the_latched_faults_when_its_config_write_fails,
    a_watchdog_fault_read_by_a_failing_call_empties_the_cache,
    a_reset_write_the_chip_took_leaves_the_cache_unknown,
    a_config_write_the_chip_took_leaves_the_cache_unknown,
    a_setting_the_chip_took_leaves_its_register_unknown,
    reg00_settings_during_detection_are_refused_and_the_wait_ends,
    a_chip_answering_0xff_for_ever,
);

/// Cancellation (invariant 7): async futures dropped at every await point. With `yield_around_transactions`,
/// transaction `i` of an operation reaches the chip during poll `2i + 2` and the driver sees its result at poll
/// `2i + 3`; a drop after exactly `2i + 2` polls is a transaction the chip performed and the driver never saw.
#[cfg(feature = "async")]
mod cancellation {
    use super::common::*;
    use bq24195::sim::{Bq24195Sim, FaultyBus, SimFault, Supply};
    use bq24195::{Bq24195Async, ChargeFault, FaultReport, Faults};

    type Bus = Shared<FaultyBus<Bq24195Sim>>;

    /// A chip with a thermal-shutdown fault that came and went: only the latch reports it.
    fn with_a_latched_fault() -> (Bus, Bq24195Async<Bus>) {
        let mut sim = Bq24195Sim::new();
        sim.plug_in(Supply::Adapter);
        sim.finish_input_detection();
        sim.raise_fault(SimFault::ThermalShutdown);
        sim.clear_fault(SimFault::ThermalShutdown);
        let mut faulty = FaultyBus::new(sim);
        faulty.yield_around_transactions(true);
        let bus = Shared::new(faulty);
        let bq = Bq24195Async::new(bus.clone(), STANDARD);
        (bus, bq)
    }

    fn shows_it(faults: &Faults) -> bool {
        faults.charge == ChargeFault::ThermalShutdown
    }

    /// Drops `operation` after each number of polls up to `max_polls`, then reads the faults to completion;
    /// the latched fault must be delivered exactly once, except when the drop fell on the read that took it from
    /// the chip (`lost_at`, counted in polls).
    fn check<F>(max_polls: usize, lost_at: usize, mut operation: F)
    where
        F: FnMut(&mut Bq24195Async<Bus>, usize) -> Option<Faults>,
    {
        for polls in 1..=max_polls {
            let (_bus, mut bq) = with_a_latched_fault();
            let first = operation(&mut bq, polls);
            let FaultReport { latched, .. } = block_on(bq.faults()).unwrap();
            let delivered = usize::from(first.as_ref().is_some_and(shows_it)) + usize::from(shows_it(&latched));
            let expected = usize::from(polls != lost_at);
            assert_eq!(delivered, expected, "dropped after {polls} polls");
        }
    }

    /// Known failure: `faults()` dropped after its first REG09 read lost the latched faults.
    #[test]
    fn faults_dropped_after_the_first_read_keeps_the_latched_faults() {
        check(6, 2, |bq, polls| {
            poll_then_drop(bq.faults(), polls).map(|report| report.unwrap().latched)
        });
    }

    /// Known failure: `init` dropped after its first REG09 read (during the second read or the config write) lost
    /// the latched faults.
    #[test]
    fn init_dropped_after_the_first_fault_read_keeps_the_latched_faults() {
        // REG0A, REG09 (the latch), REG09, guard, write
        check(12, 4, |bq, polls| {
            poll_then_drop(bq.init(&Config::electron()), polls).map(|report| report.unwrap().latched)
        });
    }

    /// Known failure: `recover_from_watchdog` dropped while re-applying the config lost the latched faults it had
    /// read; the next call completes the job (the chip ends in host mode with the config).
    #[test]
    fn recover_from_watchdog_dropped_keeps_the_latched_faults_and_finishes_the_job() {
        // REG09 (the latch), guard, write
        check(8, 2, |bq, polls| {
            poll_then_drop(bq.recover_from_watchdog(&Config::electron()), polls).map(Result::unwrap)
        });
        for polls in 1..=8 {
            let (bus, mut bq) = with_a_latched_fault();
            let _ = poll_then_drop(bq.recover_from_watchdog(&Config::electron()), polls);
            block_on(bq.recover_from_watchdog(&Config::electron())).unwrap();
            let sim = bus.get();
            assert!(sim.inner().in_host_mode(), "dropped after {polls} polls");
            assert_eq!(sim.inner().config(), Config::electron(), "dropped after {polls} polls");
        }
    }

    /// `latched_faults` and `status_and_faults` dropped after their read keep what it returned.
    #[test]
    fn single_fault_reads_dropped_keep_the_latched_faults() {
        check(4, 2, |bq, polls| {
            poll_then_drop(bq.latched_faults(), polls).map(Result::unwrap)
        });
        check(4, 2, |bq, polls| {
            poll_then_drop(bq.status_and_faults(), polls).map(|snapshot| snapshot.unwrap().faults)
        });
    }

    /// `reset_registers` dropped at any point leaves no stale cache: the next setting lands on the reset values.
    #[test]
    fn reset_registers_dropped_leaves_the_cache_unknown() {
        for polls in 1..=8 {
            let (bus, mut bq) = with_a_latched_fault();
            block_on(bq.init(&Config::electron())).unwrap();
            let _ = poll_then_drop(bq.reset_registers(&mut NoopDelay), polls);
            block_on(bq.set_force_20_percent(true)).unwrap();
            let expected = if bus.get().inner().register_resets() == 1 {
                0x61
            } else {
                0x19
            };
            assert_eq!(
                bus.get().inner().register(0x02),
                expected,
                "dropped after {polls} polls"
            );
        }
    }
}
