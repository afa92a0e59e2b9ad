//! Behaviour against the simulated gauge and its battery, sync and async through the same bodies, and the pinned
//! bus-traffic figures.
#![allow(clippy::unwrap_used)]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use embedded_hal::i2c::I2c as _;
    use max17043::sim::{CountingBus, FaultPoint, FaultyBus, FaultyBusError, Max17043Sim, PorResponse, Traffic};

    /// The traffic since the last call, and the count back to zero.
    fn take<B>(bus: &mut CountingBus<B>) -> Traffic {
        let traffic = bus.traffic();
        bus.reset_traffic();
        traffic
    }

    fn percent(p: u8) -> StateOfCharge {
        StateOfCharge::from_percent(p)
    }

    pub async fn readings_follow_the_battery() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(80));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(80));
        // 3.3 V + 0.8 × 0.9 V = 4.02 V
        assert_eq!(gauge.voltage().await.unwrap().millivolts(), 4020);
        assert_eq!(gauge.version().await.unwrap(), max17043::sim::SIM_VERSION);
        let sim = gauge.release();
        sim.discharge(StateOfCharge::from_256ths(0x0180));
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap().centipercent(), 7850);
        assert_eq!(sim.split_reads(), 0);
    }

    pub async fn max17044_reads_the_pack_voltage() {
        let mut sim = Max17043Sim::new(Variant::Max17044, percent(100));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17044);
        assert_eq!(gauge.voltage().await.unwrap().millivolts(), 8400);
    }

    pub async fn normalized_state_of_charge() {
        let mut sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_256ths(0x2A80));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        assert_eq!(gauge.normalized_state_of_charge(4112).await.unwrap(), percent(50));
    }

    pub async fn the_alert_fires_once_and_rearms_only_after_soc_rose_above_the_threshold() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(12));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge.set_alert_threshold(10).await.unwrap();
        assert!(!gauge.alert().await.unwrap());
        let sim = gauge.release();
        sim.discharge(percent(3));
        assert!(sim.alert_pin_low());
        let mut driver = Gauge::new(&mut *sim, Variant::Max17043);
        assert!(driver.alert().await.unwrap());
        driver.clear_alert().await.unwrap();
        assert_eq!(driver.config().await.unwrap().alert_threshold_percent, 10);
        let sim = driver.release();
        assert!(!sim.alert_pin_low());
        // still below: no new alert
        sim.discharge(percent(2));
        assert!(!sim.alert_pin_low());
        // back above, then below again: a new alert
        sim.charge(percent(10));
        assert!(!sim.alert_pin_low());
        sim.discharge(percent(8));
        assert_eq!(sim.battery(), percent(9));
        assert!(sim.alert_pin_low());
    }

    pub async fn the_alert_is_live_from_power_up() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(50));
        sim.remove_battery();
        sim.insert_battery(percent(3));
        {
            // the first reading is 125 ms away
            let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
            assert_eq!(gauge.state_of_charge().await.unwrap(), StateOfCharge::EMPTY);
            assert!(!gauge.alert().await.unwrap());
        }
        sim.elapse_ms(125);
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(3));
        assert!(gauge.alert().await.unwrap());
        gauge.clear_alert().await.unwrap();
        assert!(!gauge.alert().await.unwrap());
    }

    pub async fn sleep_freezes_the_readings_and_wake_takes_500_ms() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(60));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge.sleep().await.unwrap();
        let sim = gauge.release();
        assert!(sim.is_sleeping());
        sim.discharge(percent(10));
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(60));
        gauge.wake().await.unwrap();
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(60));
        let sim = gauge.release();
        assert!(!sim.is_sleeping());
        sim.elapse_ms(499);
        assert_eq!(sim.register(0x04), 60 << 8);
        sim.elapse_ms(1);
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(50));
    }

    pub async fn quick_start_restarts_the_first_reading() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(70));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge.set_rcomp(0x60).await.unwrap();
        gauge.quick_start().await.unwrap();
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 0);
        let sim = gauge.release();
        assert_eq!(sim.quick_starts(), 1);
        sim.elapse_ms(125);
        assert_eq!(sim.config().rcomp, 0x60);
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(70));
    }

    pub async fn power_on_reset_without_acknowledge_resets_the_chip() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(70));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge
            .configure(Settings {
                rcomp: 0x40,
                alert_threshold_percent: 20,
                sleep: false,
            })
            .await
            .unwrap();
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Ok(ResetOutcome::NotAcknowledged)
        );
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        assert_eq!(gauge.config().await.unwrap(), Config::POWER_UP);
        let sim = gauge.release();
        assert_eq!(sim.resets(), 1);
    }

    pub async fn the_por_value_a_chip_does_not_honour_is_ignored() {
        // a chip of the older revision: 0x5400 resets it (and it acknowledges), 0x0054 is reserved
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(70));
        sim.set_por_response(PorResponse {
            honours: PorCommand::Legacy,
            acknowledges: true,
        });
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge.set_rcomp(0x40).await.unwrap();
        // nothing happened, and the read-back says so: RCOMP is still 0x40
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::ResetNotConfirmed)
        );
        assert_eq!(gauge.cached_settings().unwrap().rcomp, 0x40);
        assert_eq!(gauge.rcomp().await.unwrap(), 0x40);
        assert_eq!(
            gauge.power_on_reset(PorCommand::Legacy).await,
            Ok(ResetOutcome::Acknowledged)
        );
        assert_eq!(gauge.rcomp().await.unwrap(), 0x97);
        let sim = gauge.release();
        assert_eq!((sim.resets(), sim.ignored_writes()), (1, 1));
    }

    pub async fn no_battery_and_glitches_are_invalid_readings() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(70));
        sim.glitch_next_read();
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await, Err(Error::InvalidReading(Register::Soc)));
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(70));
        let sim = gauge.release();
        sim.remove_battery();
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        assert_eq!(gauge.voltage().await, Err(Error::InvalidReading(Register::Vcell)));
        assert_eq!(gauge.state_of_charge().await, Err(Error::InvalidReading(Register::Soc)));
        assert_eq!(gauge.version().await, Err(Error::InvalidReading(Register::Version)));
        assert_eq!(gauge.alert().await, Err(Error::InvalidReading(Register::Config)));
    }

    pub async fn an_alert_seen_survives_config_changes_on_the_chip() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(3));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        assert!(gauge.alert().await.unwrap());
        gauge.set_rcomp(0x60).await.unwrap();
        gauge.sleep().await.unwrap();
        gauge.wake().await.unwrap();
        gauge.set_alert_threshold(5).await.unwrap();
        let sim = gauge.release();
        assert!(sim.alert_pin_low());
        assert_eq!(sim.config().rcomp, 0x60);
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        gauge.clear_alert().await.unwrap();
        let sim = gauge.release();
        assert!(!sim.alert_pin_low());
        assert_eq!((sim.config().rcomp, sim.config().alert_threshold_percent), (0x60, 5));
    }

    pub async fn an_alert_the_driver_has_not_seen_survives_set_rcomp() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(12));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge.set_alert_threshold(10).await.unwrap();
        let sim = gauge.release();
        assert!(!sim.alert_pin_low());
        // the chip raises the alert; the driver does not look
        sim.discharge(percent(3));
        assert!(sim.alert_pin_low());
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        gauge.set_rcomp(0x60).await.unwrap();
        // a periodic temperature compensation does not lose it either
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        assert_eq!(gauge.set_rcomp_for_temperature(&compensation, 400).await.unwrap(), 0x8D);
        let sim = gauge.release();
        assert!(sim.alert_pin_low());
        assert_eq!(
            sim.config(),
            Config {
                rcomp: 0x8D,
                sleeping: false,
                alert: true,
                alert_threshold_percent: 10
            }
        );
        let mut gauge = Gauge::new(&mut *sim, Variant::Max17043);
        assert!(gauge.alert().await.unwrap());
        gauge.clear_alert().await.unwrap();
        let sim = gauge.release();
        assert!(!sim.alert_pin_low());
        assert_eq!(sim.ignored_writes(), 0);
    }

    pub async fn clear_alert_keeps_what_the_driver_wrote() {
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(15));
        let mut gauge = Gauge::new(&mut sim, Variant::Max17043);
        gauge
            .configure(Settings {
                rcomp: 0x5A,
                alert_threshold_percent: 20,
                sleep: false,
            })
            .await
            .unwrap();
        assert!(gauge.alert().await.unwrap());
        gauge.clear_alert().await.unwrap();
        let sim = gauge.release();
        assert_eq!(
            sim.config(),
            Config {
                rcomp: 0x5A,
                sleeping: false,
                alert: false,
                alert_threshold_percent: 20
            }
        );
        assert_eq!(sim.ignored_writes(), 0);
    }

    pub async fn another_address_is_not_acknowledged() {
        use embedded_hal::i2c::I2c as _;
        let mut sim = Max17043Sim::new(Variant::Max17043, percent(70));
        assert_eq!(sim.write(0x37, &[0x0C, 0, 0]), Err(address_nack()));
    }

    pub async fn bus_figures() {
        let sim = Max17043Sim::new(Variant::Max17043, percent(50));
        let mut gauge = Gauge::new(CountingBus::new(sim), Variant::Max17043);
        let reading = Traffic {
            transactions: 1,
            written: 1,
            read: 2,
        };
        let one_write = Traffic {
            transactions: 1,
            written: 3,
            read: 0,
        };
        // a CONFIG change that keeps ALRT: a reading of CONFIG, then one 3-byte write
        let read_then_write = Traffic {
            transactions: 2,
            written: 4,
            read: 2,
        };
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        gauge.voltage().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), reading);
        gauge.state_of_charge().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), reading);
        gauge.normalized_state_of_charge(4112).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), reading);
        gauge.version().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), reading);
        gauge.alert().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), reading);
        // the alert-keeping changes read CONFIG every time, whatever the cache holds
        gauge.set_rcomp(0x60).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        gauge.set_rcomp_for_temperature(&compensation, 250).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        gauge.set_alert_threshold(10).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        gauge.sleep().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        gauge.wake().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        // clear_alert and configure write ALRT = 0: one 3-byte write, no read (clear_alert from the cache)
        gauge.clear_alert().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), one_write);
        gauge.configure(Settings::default()).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), one_write);
        gauge.quick_start().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), one_write);
        // the reset is verified by reading CONFIG back
        gauge.power_on_reset(PorCommand::Current).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        // clear_alert on a cold cache costs one reading more
        gauge.invalidate_cache();
        gauge.clear_alert().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        // a change the chip already holds is the reading alone
        gauge.sleep().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), read_then_write);
        gauge.sleep().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), reading);
        assert_eq!(gauge.release().into_inner().split_reads(), 0);
    }

    pub async fn the_sim_is_reached_through_the_driver_and_the_counting_bus() {
        let sim = Max17043Sim::new(Variant::Max17043, percent(50));
        let mut gauge = Gauge::new(CountingBus::new(sim), Variant::Max17043);
        assert_eq!(gauge.bus().traffic(), Traffic::default());
        gauge.bus_mut().inner_mut().discharge(percent(20));
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(30));
        assert_eq!(gauge.bus().inner().battery(), percent(30));
        let once = Traffic {
            transactions: 1,
            written: 1,
            read: 2,
        };
        assert_eq!(gauge.bus().traffic(), once);
        // the count adds up until it is reset
        gauge.voltage().await.unwrap();
        assert_eq!(gauge.bus().traffic().transactions, 2);
        gauge.bus_mut().reset_traffic();
        assert_eq!(gauge.bus().traffic(), Traffic::default());
        gauge.alert().await.unwrap();
        let bus = gauge.release();
        assert_eq!(bus.traffic(), once);
        assert_eq!(bus.into_inner().split_reads(), 0);
    }

    // The fault-injection wrapper itself: where each fault point cuts a transaction, the counters, the generator.

    fn bus() -> FaultyBus<Max17043Sim> {
        FaultyBus::new(Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50)))
    }

    fn rcomp(bus: &FaultyBus<Max17043Sim>) -> u8 {
        bus.inner().config().rcomp
    }

    pub async fn each_fault_point_cuts_a_write_where_it_says() {
        let injected = Err(FaultyBusError::Injected(data_nack()));
        for (point, taken) in [
            (FaultPoint::BeforeChip, false),
            (FaultPoint::Partway(0), false),
            (FaultPoint::Partway(2), false),
            (FaultPoint::Partway(3), true),
            (FaultPoint::AfterChip, true),
        ] {
            let mut bus = bus();
            bus.fail_nth(1, point);
            bus.write(ADDR, &[0x0C, 0x40, 0x1C]).unwrap();
            assert_eq!(bus.write(ADDR, &[0x0C, 0x50, 0x1C]), injected, "{point:?}");
            assert_eq!(rcomp(&bus), if taken { 0x50 } else { 0x40 }, "{point:?}");
            // once only
            bus.write(ADDR, &[0x0C, 0x60, 0x1C]).unwrap();
            assert_eq!(rcomp(&bus), 0x60);
            assert_eq!((bus.transactions(), bus.faults()), (3, 1));
        }
    }

    pub async fn a_read_cut_part_way_moves_the_pointer_and_reads_nothing() {
        let mut bus = bus();
        bus.fail_nth(0, FaultPoint::Partway(1));
        let mut bytes = [0xAA; 2];
        assert!(bus.write_read(ADDR, &[0x08], &mut bytes).is_err());
        assert_eq!(bytes, [0xAA; 2]);
        // the pointer moved to VERSION: a plain read continues there
        bus.read(ADDR, &mut bytes).unwrap();
        assert_eq!(u16::from_be_bytes(bytes), max17043::sim::SIM_VERSION);
    }

    pub async fn stuck_at_answers_one_byte_and_the_error_kind_is_chosen() {
        let mut bus = bus();
        bus.stuck_at(Some(0x00));
        let mut bytes = [0xAA; 2];
        bus.write_read(ADDR, &[0x08], &mut bytes).unwrap();
        assert_eq!(bytes, [0x00; 2]);
        bus.stuck_at(None);
        bus.write_read(ADDR, &[0x08], &mut bytes).unwrap();
        assert_eq!(u16::from_be_bytes(bytes), max17043::sim::SIM_VERSION);
        bus.set_error_kind(ErrorKind::ArbitrationLoss);
        bus.fail_nth(0, FaultPoint::BeforeChip);
        assert_eq!(
            bus.write(ADDR, &[0x0C, 0x97, 0x1C]),
            Err(FaultyBusError::Injected(ErrorKind::ArbitrationLoss))
        );
        // the wrapped bus's own errors come through as such
        assert_eq!(
            bus.write(0x37, &[0x0C, 0x97, 0x1C]),
            Err(FaultyBusError::Bus(address_nack()))
        );
    }

    pub async fn random_faults_are_deterministic_and_follow_the_rate() {
        let run = |seed: u64, per_mille: u16| {
            let mut bus = bus();
            bus.fail_randomly(seed, per_mille);
            let mut outcomes = [false; 1000];
            for outcome in &mut outcomes {
                *outcome = bus.write(ADDR, &[0x0C, 0x97, 0x1C]).is_err();
            }
            (outcomes, bus.faults())
        };
        assert_eq!(run(7, 200), run(7, 200));
        assert_ne!(run(7, 200).0, run(8, 200).0);
        assert_eq!(run(7, 0).1, 0);
        assert_eq!(run(7, 1000).1, 1000);
        let faults = run(7, 200).1;
        assert!((120..280).contains(&faults), "{faults}");
        let mut bus = bus();
        bus.fail_randomly(7, 1000);
        bus.stop_failing();
        bus.write(ADDR, &[0x0C, 0x97, 0x1C]).unwrap();
    }

    pub async fn yield_around_transactions_pends_before_and_after_the_chip() {
        pends_around_the_chip();
    }

    /// The async impls return `Pending` before the chip and after it, so a future can be dropped at either point.
    #[maybe_async_cfg::only_if(key = "async")]
    fn pends_around_the_chip() {
        use embedded_hal_async::i2c::I2c as AsyncI2c;
        let mut bus = bus();
        bus.yield_around_transactions(true);
        assert!(poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x0C, 0x40, 0x1C]), 1).is_none());
        assert_eq!((rcomp(&bus), bus.transactions()), (0x97, 0));
        assert!(poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x0C, 0x40, 0x1C]), 2).is_none());
        assert_eq!((rcomp(&bus), bus.transactions()), (0x40, 1));
        assert_eq!(
            poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x0C, 0x50, 0x1C]), 3),
            Some(Ok(()))
        );
        assert_eq!(rcomp(&bus), 0x50);
        // without the yields, one poll does it
        bus.yield_around_transactions(false);
        assert_eq!(
            poll_then_drop(AsyncI2c::write(&mut bus, ADDR, &[0x0C, 0x60, 0x1C]), 1),
            Some(Ok(()))
        );
    }

    /// The blocking impls ignore the setting: a write reaches the chip at once.
    #[maybe_async_cfg::only_if(key = "sync")]
    fn pends_around_the_chip() {
        let mut bus = bus();
        bus.yield_around_transactions(true);
        bus.write(ADDR, &[0x0C, 0x40, 0x1C]).unwrap();
        assert_eq!((rcomp(&bus), bus.transactions()), (0x40, 1));
    }
}

both!(
    readings_follow_the_battery,
    the_sim_is_reached_through_the_driver_and_the_counting_bus,
    max17044_reads_the_pack_voltage,
    normalized_state_of_charge,
    the_alert_fires_once_and_rearms_only_after_soc_rose_above_the_threshold,
    the_alert_is_live_from_power_up,
    sleep_freezes_the_readings_and_wake_takes_500_ms,
    quick_start_restarts_the_first_reading,
    power_on_reset_without_acknowledge_resets_the_chip,
    the_por_value_a_chip_does_not_honour_is_ignored,
    no_battery_and_glitches_are_invalid_readings,
    clear_alert_keeps_what_the_driver_wrote,
    an_alert_the_driver_has_not_seen_survives_set_rcomp,
    an_alert_seen_survives_config_changes_on_the_chip,
    another_address_is_not_acknowledged,
    bus_figures,
    each_fault_point_cuts_a_write_where_it_says,
    a_read_cut_part_way_moves_the_pointer_and_reads_nothing,
    stuck_at_answers_one_byte_and_the_error_kind_is_chosen,
    random_faults_are_deterministic_and_follow_the_rate,
    yield_around_transactions_pends_before_and_after_the_chip,
);
