//! Behaviour against the simulated chip, through both drivers: charging, every field round-tripped, the watchdog
//! expiring and the config coming back, the latched fault register, input detection, register reset.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use bq24195::sim::{Bq24195Sim, FaultPoint, FaultyBus, FaultyBusError, SimFault, Supply};
    use bq24195::{
        BatteryLowThreshold, Bq24195, ChargeConfig, ChargeFault, ChargeStatus, InputCurrentLimit, NtcFault,
        RechargeThreshold, SafetyTimer, TerminationIndicator, ThermalRegulation, VbusStatus, Watchdog,
    };
    use embedded_hal::i2c::{Error as _, I2c as _};
    use fugit::ExtU32;

    fn powered(supply: Supply) -> Bq24195Sim {
        let mut sim = Bq24195Sim::new();
        sim.plug_in(supply);
        sim.finish_input_detection();
        sim.set_battery_mv(3700);
        sim
    }

    fn clean(sim: &Bq24195Sim) {
        assert_eq!(sim.reserved_bit_writes(), 0);
        assert_eq!(sim.multi_byte_fault_accesses(), 0);
        assert_eq!(sim.writes_during_detection(), 0);
    }

    pub async fn the_electron_preset_charges_at_896_ma() {
        let mut bq = Bq24195::new(powered(Supply::Adapter), STANDARD);
        let report = bq.init(&Config::electron()).await.unwrap();
        assert!(
            report.latched.watchdog_expired,
            "every chip reports the watchdog fault after power-on"
        );
        let status = bq.status().await.unwrap();
        assert_eq!(
            (status.vbus, status.charge),
            (VbusStatus::AdapterPort, ChargeStatus::FastCharge)
        );
        assert!(status.power_good);
        assert_eq!(bq.read_config().await.unwrap(), Config::electron());
        let sim = bq.release();
        assert_eq!(sim.charge_current_ma(), 896);
        assert!(sim.in_host_mode());
        assert_eq!(sim.config(), Config::electron());
        clean(&sim);
    }

    pub async fn every_stepped_field_round_trips_and_rounds_down() {
        let mut bq = Bq24195::new(powered(Supply::UsbHost), STANDARD);
        for code in 0..=15u16 {
            let mv = 3880 + 80 * code;
            let asked = if code == 15 { mv } else { mv + 79 };
            assert_eq!(bq.set_input_voltage_limit_mv(asked).await, Ok(mv));
            assert_eq!(bq.input_voltage_limit_mv().await, Ok(mv));
        }
        for code in 0..=7u16 {
            let mv = 3000 + 100 * code;
            let asked = if code == 7 { mv } else { mv + 99 };
            assert_eq!(bq.set_minimum_system_voltage_mv(asked).await, Ok(mv));
            assert_eq!(bq.minimum_system_voltage_mv().await, Ok(mv));
        }
        for code in 0..=63u16 {
            let ma = 512 + 64 * code;
            let asked = if code == 63 { ma } else { ma + 63 };
            assert_eq!(bq.set_fast_charge_current_ma(asked).await, Ok(ma));
            assert_eq!(bq.fast_charge_current_ma().await, Ok(ma));
        }
        for code in 0..=15u16 {
            let ma = 128 + 128 * code;
            let asked = if code == 15 { ma } else { ma + 127 };
            assert_eq!(bq.set_precharge_current_ma(asked).await, Ok(ma));
            assert_eq!(bq.precharge_current_ma().await, Ok(ma));
            assert_eq!(bq.set_termination_current_ma(asked).await, Ok(ma));
            assert_eq!(bq.termination_current_ma().await, Ok(ma));
        }
        for code in 0..=56u16 {
            let mv = 3504 + 16 * code;
            let asked = if code == 56 { mv } else { mv + 15 };
            assert_eq!(bq.set_charge_voltage_mv(asked).await, Ok(mv));
            assert_eq!(bq.charge_voltage_mv().await, Ok(mv));
        }
        clean(&bq.release());
    }

    pub async fn every_enumerated_and_boolean_field_round_trips() {
        let mut bq = Bq24195::new(powered(Supply::UsbHost), STANDARD);
        for limit in InputCurrentLimit::ALL {
            bq.set_input_current_limit(limit).await.unwrap();
            assert_eq!(bq.input_current_limit().await, Ok(limit));
        }
        for on in [true, false] {
            bq.set_hiz(on).await.unwrap();
            assert_eq!(bq.hiz().await, Ok(on));
            bq.set_force_20_percent(on).await.unwrap();
            assert_eq!(bq.force_20_percent().await, Ok(on));
            bq.set_termination_enabled(on).await.unwrap();
            assert_eq!(bq.termination_enabled().await, Ok(on));
            bq.set_safety_timer_enabled(on).await.unwrap();
            assert_eq!(bq.safety_timer_enabled().await, Ok(on));
            bq.set_timer_slowdown(on).await.unwrap();
            assert_eq!(bq.timer_slowdown().await, Ok(on));
            bq.set_batfet_disabled(on).await.unwrap();
            assert_eq!(bq.batfet_disabled().await, Ok(on));
            bq.set_charge_fault_interrupt(on).await.unwrap();
            assert_eq!(bq.charge_fault_interrupt().await, Ok(on));
            bq.set_battery_fault_interrupt(on).await.unwrap();
            assert_eq!(bq.battery_fault_interrupt().await, Ok(on));
        }
        for config in [ChargeConfig::Disabled, ChargeConfig::OtgBoost, ChargeConfig::Charge] {
            bq.set_charge_config(config).await.unwrap();
            assert_eq!(bq.charge_config().await, Ok(config));
        }
        for threshold in [BatteryLowThreshold::Mv2800, BatteryLowThreshold::Mv3000] {
            bq.set_battery_low_threshold(threshold).await.unwrap();
            assert_eq!(bq.battery_low_threshold().await, Ok(threshold));
        }
        for threshold in [RechargeThreshold::Mv300, RechargeThreshold::Mv100] {
            bq.set_recharge_threshold(threshold).await.unwrap();
            assert_eq!(bq.recharge_threshold().await, Ok(threshold));
        }
        for indicator in [TerminationIndicator::Below800Ma, TerminationIndicator::AtTermination] {
            bq.set_termination_indicator(indicator).await.unwrap();
            assert_eq!(bq.termination_indicator().await, Ok(indicator));
        }
        for watchdog in [Watchdog::S40, Watchdog::S80, Watchdog::S160, Watchdog::Disabled] {
            bq.set_watchdog(watchdog).await.unwrap();
            assert_eq!(bq.watchdog().await, Ok(watchdog));
        }
        for timer in [SafetyTimer::H5, SafetyTimer::H8, SafetyTimer::H12, SafetyTimer::H20] {
            bq.set_safety_timer(timer).await.unwrap();
            assert_eq!(bq.safety_timer().await, Ok(timer));
        }
        for threshold in [
            ThermalRegulation::C60,
            ThermalRegulation::C80,
            ThermalRegulation::C100,
            ThermalRegulation::C120,
        ] {
            bq.set_thermal_regulation(threshold).await.unwrap();
            assert_eq!(bq.thermal_regulation().await, Ok(threshold));
        }
        clean(&bq.release());
    }

    pub async fn watchdog_expiry_reverts_the_chip_and_recovery_reapplies_the_config() {
        let mut config = Config::electron();
        config.watchdog = Watchdog::S40;
        let mut bq = Bq24195::new(powered(Supply::Adapter), STANDARD);
        bq.init(&config).await.unwrap();
        // kicked in time: nothing happens
        let mut sim = bq.release();
        sim.elapse(30.secs());
        let mut bq = Bq24195::new(sim, STANDARD);
        bq.read_config().await.unwrap();
        bq.kick_watchdog().await.unwrap();
        let mut sim = bq.release();
        sim.elapse(30.secs());
        assert_eq!(sim.watchdog_expiries(), 0);
        // not kicked: the chip falls back to default mode and reset values
        sim.elapse(11.secs());
        assert_eq!(sim.watchdog_expiries(), 1);
        assert_eq!(sim.config(), Config::default());
        assert!(!sim.in_host_mode());
        let mut bq = Bq24195::new(sim, STANDARD);
        let snapshot = bq.status_and_faults().await.unwrap();
        assert!(snapshot.faults.watchdog_expired);
        let faults = bq.recover_from_watchdog(&config).await.unwrap();
        assert!(
            faults.watchdog_expired,
            "still in default mode until the config is written"
        );
        assert!(bq.latched_faults().await.unwrap().is_empty());
        let sim = bq.release();
        assert_eq!(sim.config(), config);
        assert!(sim.in_host_mode());
        clean(&sim);
    }

    pub async fn a_disabled_watchdog_never_expires() {
        let mut bq = Bq24195::new(powered(Supply::Adapter), STANDARD);
        bq.init(&Config::electron()).await.unwrap();
        let mut sim = bq.release();
        sim.elapse(1000.secs());
        assert_eq!(sim.watchdog_expiries(), 0);
        assert_eq!(sim.config(), Config::electron());
    }

    pub async fn the_fault_register_is_latched_except_the_thermistor() {
        let mut bq = Bq24195::new(powered(Supply::Adapter), STANDARD);
        bq.init(&Config::electron()).await.unwrap();
        let mut sim = bq.release();
        sim.raise_fault(SimFault::ThermalShutdown);
        sim.clear_fault(SimFault::ThermalShutdown);
        sim.raise_fault(SimFault::BatteryOvervoltage);
        sim.set_ntc(NtcFault::Hot);
        let mut bq = Bq24195::new(sim, STANDARD);
        let report = bq.faults().await.unwrap();
        assert_eq!(report.latched.charge, ChargeFault::ThermalShutdown);
        assert_eq!(report.current.charge, ChargeFault::Normal);
        assert!(report.latched.battery_overvoltage && report.current.battery_overvoltage);
        assert_eq!((report.latched.ntc, report.current.ntc), (NtcFault::Hot, NtcFault::Hot));
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::NotCharging);
        let mut sim = bq.release();
        sim.clear_fault(SimFault::BatteryOvervoltage);
        sim.set_ntc(NtcFault::Normal);
        let mut bq = Bq24195::new(sim, STANDARD);
        let report = bq.faults().await.unwrap();
        // already reported while present: nothing new to latch
        assert!(report.latched.is_empty() && report.current.is_empty());
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::FastCharge);
        clean(&bq.release());
    }

    pub async fn reg00_waits_for_input_detection() {
        let mut sim = Bq24195Sim::new();
        sim.plug_in(Supply::Adapter);
        let mut bq = Bq24195::new(sim, STANDARD);
        let early = bq.set_input_current_limit(InputCurrentLimit::Ma900).await;
        assert_eq!(early, Err(Error::InputDetectionRunning));
        bq.wait_for_input_detection(&mut NoopDelay).await.unwrap();
        assert_eq!(bq.input_current_limit().await, Ok(InputCurrentLimit::Ma1500));
        assert_eq!(bq.status().await.unwrap().vbus, VbusStatus::AdapterPort);
        bq.set_input_current_limit(InputCurrentLimit::Ma900).await.unwrap();
        // forced detection runs again and sets the detected limit
        bq.force_input_detection().await.unwrap();
        assert_eq!(
            bq.apply_config(&Config::electron()).await,
            Err(Error::InputDetectionRunning)
        );
        bq.wait_for_input_detection(&mut NoopDelay).await.unwrap();
        assert_eq!(bq.input_current_limit().await, Ok(InputCurrentLimit::Ma1500));
        bq.apply_config(&Config::electron()).await.unwrap();
        assert_eq!(bq.input_current_limit().await, Ok(InputCurrentLimit::Ma900));
        clean(&bq.release());
    }

    pub async fn register_reset_restores_the_defaults() {
        let mut bq = Bq24195::new(powered(Supply::Adapter), STANDARD);
        bq.init(&Config::electron()).await.unwrap();
        bq.reset_registers(&mut NoopDelay).await.unwrap();
        assert_eq!(bq.read_config().await.unwrap(), Config::default());
        // the cache holds the reset values: a setting from it lands on the defaults
        bq.disable_watchdog().await.unwrap();
        let sim = bq.release();
        let expected = Config {
            watchdog: Watchdog::Disabled,
            ..Config::default()
        };
        assert_eq!(sim.config(), expected);
        clean(&sim);
    }

    pub async fn charging_follows_battery_temperature_and_settings() {
        let mut bq = Bq24195::new(powered(Supply::UsbHost), STANDARD);
        bq.init(&Config::electron()).await.unwrap();
        let mut sim = bq.release();
        sim.set_battery_mv(2900);
        let mut bq = Bq24195::new(sim, STANDARD);
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::PreCharge);
        bq.set_battery_low_threshold(BatteryLowThreshold::Mv2800).await.unwrap();
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::FastCharge);
        bq.set_force_20_percent(true).await.unwrap();
        let mut sim = bq.release();
        assert_eq!(sim.charge_current_ma(), 179);
        sim.set_die_temperature_c(85);
        let mut bq = Bq24195::new(sim, STANDARD);
        assert!(!bq.status().await.unwrap().thermal_regulation);
        bq.set_thermal_regulation(ThermalRegulation::C80).await.unwrap();
        assert!(bq.status().await.unwrap().thermal_regulation);
        bq.set_batfet_disabled(true).await.unwrap();
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::NotCharging);
        bq.set_batfet_disabled(false).await.unwrap();
        let mut sim = bq.release();
        sim.set_battery_mv(4112);
        let mut bq = Bq24195::new(sim, STANDARD);
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::Done);
        bq.set_hiz(true).await.unwrap();
        assert_eq!(bq.status().await.unwrap().charge, ChargeStatus::NotCharging);
        let mut sim = bq.release();
        sim.unplug();
        let mut bq = Bq24195::new(sim, STANDARD);
        bq.set_charge_config(ChargeConfig::OtgBoost).await.unwrap();
        assert_eq!(bq.status().await.unwrap().vbus, VbusStatus::Otg);
        clean(&bq.release());
    }

    pub async fn the_sim_nacks_other_addresses_and_undefined_registers() {
        let mut sim = Bq24195Sim::new();
        let mut byte = [0];
        assert!(embedded_hal::i2c::I2c::write_read(&mut sim, 0x6A, &[0x00], &mut byte).is_err());
        assert!(embedded_hal::i2c::I2c::write_read(&mut sim, ADDR, &[0x0B], &mut byte).is_err());
        // and counts a multi-byte read through REG09, which the chip does not support
        let mut two = [0; 2];
        embedded_hal::i2c::I2c::write_read(&mut sim, ADDR, &[0x08], &mut two).unwrap();
        assert_eq!(sim.multi_byte_fault_accesses(), 1);
        let mut bq = Bq24195::new(sim, STANDARD);
        assert_eq!(bq.check_device().await.unwrap().raw, 0x23);
    }

    pub async fn interrupts_pulse_on_status_changes_and_unmasked_faults() {
        let mut bq = Bq24195::new(Bq24195Sim::new(), STANDARD);
        bq.init(&Config::electron()).await.unwrap();
        bq.set_charge_fault_interrupt(false).await.unwrap();
        let mut sim = bq.release();
        let before = sim.interrupts();
        sim.raise_fault(SimFault::SafetyTimer);
        assert_eq!(sim.interrupts(), before, "charge-fault INT masked");
        sim.raise_fault(SimFault::BatteryOvervoltage);
        assert_eq!(sim.interrupts(), before + 1);
        sim.plug_in(Supply::UsbHost);
        assert!(sim.interrupts() > before + 1);
    }

    // The fault-injecting wrapper does what it says: where a fault strikes, what the chip then saw.

    pub async fn faults_strike_before_after_or_partway() {
        let mut bus = FaultyBus::new(Bq24195Sim::new());
        bus.fail_nth(1, FaultPoint::BeforeChip);
        bus.write(ADDR, &[0x02, 0x20]).unwrap();
        let kind = NoAcknowledge(NoAcknowledgeSource::Data);
        assert_eq!(bus.write(ADDR, &[0x02, 0x40]), Err(FaultyBusError::Injected(kind)));
        assert_eq!(bus.inner().register(0x02), 0x20, "before the chip: nothing written");
        bus.fail_nth(0, FaultPoint::AfterChip);
        assert!(bus.write(ADDR, &[0x02, 0x44]).is_err());
        assert_eq!(bus.inner().register(0x02), 0x44, "after the chip: written");
        // the chip takes the pointer and the first data byte of an auto-increment write
        bus.fail_nth(0, FaultPoint::Partway(2));
        assert!(bus.write(ADDR, &[0x02, 0x08, 0x22]).is_err());
        assert_eq!((bus.inner().register(0x02), bus.inner().register(0x03)), (0x08, 0x11));
        // a read after the chip cleared the latch
        bus.inner_mut().raise_fault(SimFault::BatteryOvervoltage);
        bus.inner_mut().clear_fault(SimFault::BatteryOvervoltage);
        bus.fail_nth(0, FaultPoint::AfterChip);
        let mut byte = [0];
        assert!(bus.write_read(ADDR, &[0x09], &mut byte).is_err());
        assert_eq!(bus.inner().register(0x09) & 0x08, 0, "the latch was read and cleared");
        assert_eq!((bus.transactions(), bus.faults()), (5, 4));
        bus.set_error_kind(ErrorKind::ArbitrationLoss);
        bus.fail_nth(0, FaultPoint::BeforeChip);
        assert_eq!(
            bus.write(ADDR, &[0x02, 0x00]).unwrap_err().kind(),
            ErrorKind::ArbitrationLoss
        );
        // the wrapped bus's own errors come through
        assert_eq!(
            bus.write(0x6A, &[0x00]).unwrap_err(),
            FaultyBusError::Bus(NoAcknowledge(NoAcknowledgeSource::Address))
        );
        use ErrorKind::NoAcknowledge;
    }

    pub async fn random_faults_are_repeatable_and_stop() {
        let run = |seed| {
            let mut bus = FaultyBus::new(Bq24195Sim::new());
            bus.fail_randomly(seed, 500);
            let mut outcomes = [false; 64];
            for outcome in &mut outcomes {
                *outcome = bus.write(ADDR, &[0x06, 0x03]).is_ok();
            }
            (outcomes, bus.faults())
        };
        let (first, faults) = run(7);
        assert_eq!(run(7).0, first, "the same seed, the same faults");
        assert!((16..48).contains(&faults), "about half of 64: {faults}");
        let mut bus = FaultyBus::new(Bq24195Sim::new());
        bus.fail_randomly(7, 1000);
        assert!(bus.write(ADDR, &[0x06, 0x03]).is_err());
        bus.stop_failing();
        assert!(bus.write(ADDR, &[0x06, 0x03]).is_ok());
    }

    pub async fn a_stuck_bus_answers_one_byte_but_the_chip_still_acts() {
        let mut bus = FaultyBus::new(Bq24195Sim::new());
        bus.stuck_at(Some(0xFF));
        let mut bytes = [0; 2];
        bus.write_read(ADDR, &[0x0A], &mut bytes[..1]).unwrap();
        assert_eq!(bytes[0], 0xFF);
        bus.write(ADDR, &[0x06, 0x00]).unwrap();
        assert_eq!(bus.inner().register(0x06), 0x00);
        bus.stuck_at(None);
        bus.write_read(ADDR, &[0x0A], &mut bytes[..1]).unwrap();
        assert_eq!(bytes[0], 0x23);
        let sim = bus.into_inner();
        assert!(sim.in_host_mode());
    }

    pub async fn async_transactions_yield_before_and_after_the_chip() {
        yields_around_the_chip();
    }

    /// The async impls return `Pending` before the chip and after it, so a future can be dropped at either point.
    #[maybe_async_cfg::only_if(key = "async")]
    fn yields_around_the_chip() {
        use embedded_hal_async::i2c::I2c as AsyncI2c;
        let mut bus = FaultyBus::new(Bq24195Sim::new());
        bus.yield_around_transactions(true);
        assert!(poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x06, 0x00]), 1).is_none());
        assert_eq!(bus.inner().register(0x06), 0x03, "dropped before the chip");
        assert!(poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x06, 0x00]), 2).is_none());
        assert_eq!(bus.inner().register(0x06), 0x00, "dropped after the chip");
        assert_eq!(
            poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x06, 0x01]), 3),
            Some(Ok(()))
        );
        assert_eq!(
            bus.transactions(),
            2,
            "a transaction dropped before the chip is not counted"
        );
    }

    /// The blocking impls ignore the setting: a write reaches the chip at once.
    #[maybe_async_cfg::only_if(key = "sync")]
    fn yields_around_the_chip() {
        let mut bus = FaultyBus::new(Bq24195Sim::new());
        bus.yield_around_transactions(true);
        bus.write(ADDR, &[0x06, 0x00]).unwrap();
        assert_eq!((bus.inner().register(0x06), bus.transactions()), (0x00, 1));
    }

    // The command and self-clearing bits of the model, as the datasheet describes them.

    fn reg01(sim: &mut Bq24195Sim) -> u8 {
        let mut byte = [0];
        sim.write_read(ADDR, &[0x01], &mut byte).unwrap();
        byte[0]
    }

    pub async fn reg_reset_resets_at_once_and_reads_1_until_done() {
        let mut sim = Bq24195Sim::new();
        sim.write(ADDR, &[0x02, 0x20]).unwrap();
        sim.set_command_transactions(2);
        sim.write(ADDR, &[0x01, 0x8B]).unwrap();
        assert_eq!(sim.register(0x02), 0x60, "every register to its reset value");
        assert_eq!(sim.register_resets(), 1);
        assert_eq!(reg01(&mut sim), 0x9B);
        assert_eq!(reg01(&mut sim), 0x9B);
        assert_eq!(reg01(&mut sim), 0x1B);
        assert!(!sim.register_reset_running());
    }

    pub async fn wd_reset_kicks_and_reads_1_until_done() {
        let mut sim = Bq24195Sim::new();
        sim.write(ADDR, &[0x01, 0x4B]).unwrap();
        assert_eq!(sim.watchdog_kicks(), 1);
        assert_eq!(sim.register(0x01), 0x4B, "charging off, the kick still running");
        assert_eq!(reg01(&mut sim), 0x4B);
        assert_eq!(reg01(&mut sim), 0x0B);
        sim.set_command_transactions(0);
        sim.write(ADDR, &[0x01, 0x5B]).unwrap();
        assert_eq!(reg01(&mut sim), 0x1B, "done at once");
        assert_eq!(sim.register_resets(), 0);
    }

    pub async fn dpdm_en_reads_1_while_detection_runs_and_a_write_restarts_it() {
        let mut sim = Bq24195Sim::new();
        sim.set_detection_transactions(2);
        sim.plug_in(Supply::UsbHost);
        assert_eq!(sim.register(0x07), 0xCB);
        assert_eq!(sim.register(0x00) & 0x07, 0, "100 mA while it runs");
        sim.write(ADDR, &[0x07, 0xCB]).unwrap();
        assert_eq!(sim.input_detections(), 2, "restarted");
        sim.write(ADDR, &[0x06, 0x03]).unwrap();
        assert!(sim.input_detection_running());
        sim.write(ADDR, &[0x06, 0x03]).unwrap();
        assert!(!sim.input_detection_running());
        assert_eq!(sim.register(0x07), 0x4B);
        assert_eq!(sim.register(0x00) & 0x07, 0b010, "500 mA for a USB host");
    }
}

both!(
    the_electron_preset_charges_at_896_ma,
    every_stepped_field_round_trips_and_rounds_down,
    every_enumerated_and_boolean_field_round_trips,
    watchdog_expiry_reverts_the_chip_and_recovery_reapplies_the_config,
    a_disabled_watchdog_never_expires,
    the_fault_register_is_latched_except_the_thermistor,
    reg00_waits_for_input_detection,
    register_reset_restores_the_defaults,
    charging_follows_battery_temperature_and_settings,
    the_sim_nacks_other_addresses_and_undefined_registers,
    interrupts_pulse_on_status_changes_and_unmasked_faults,
    faults_strike_before_after_or_partway,
    random_faults_are_repeatable_and_stop,
    a_stuck_bus_answers_one_byte_but_the_chip_still_acts,
    async_transactions_yield_before_and_after_the_chip,
    reg_reset_resets_at_once_and_reads_1_until_done,
    wd_reset_kicks_and_reads_1_until_done,
    dpdm_en_reads_1_while_detection_runs_and_a_write_restarts_it,
);
