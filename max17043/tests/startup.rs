//! Start-up at the protocol minimum (issue 14): `assume_power_on_state`, byte for byte on a mock, its equivalence
//! with the cold-cache path and with the power-on reset on the simulator, and the pinned start-up figures of
//! `examples/bus_figures.rs`. Sync and async through the same bodies.
#![allow(clippy::unwrap_used)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use max17043::sim::{CountingBus, Max17043Sim, PorResponse, Traffic};

    const READ_THEN_WRITE: Traffic = Traffic {
        transactions: 2,
        written: 4,
        read: 2,
    };
    const ONE_WRITE: Traffic = Traffic {
        transactions: 1,
        written: 3,
        read: 0,
    };

    fn take<B>(bus: &mut CountingBus<B>) -> Traffic {
        let traffic = bus.traffic();
        bus.reset_traffic();
        traffic
    }

    /// A gauge just powered up at `soc` % (a battery inserted), readings ready.
    fn powered_up(soc: u8) -> Max17043Sim {
        let mut sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(90));
        sim.insert_battery(StateOfCharge::from_percent(soc));
        sim.elapse_ms(125);
        sim
    }

    pub async fn assume_power_on_state_sends_nothing_and_caches_the_power_up_config() {
        let mut i2c = mock(&[]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.cached_settings(), None);
        gauge.assume_power_on_state();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0x97,
                alert_threshold_percent: 4,
                sleep: false
            })
        );
        gauge.invalidate_cache();
        assert_eq!(gauge.cached_settings(), None);
        i2c.done();
    }

    pub async fn clear_alert_after_power_on_is_one_write_of_the_power_up_fields() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0x0C, 0x97, 0x1C])]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.assume_power_on_state();
        gauge.clear_alert().await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        i2c.done();
    }

    pub async fn the_size_workload_from_power_on() {
        // voltage, state of charge, alert threshold 10 % (keeping an alert raised at power-up: the read shows
        // ALRT set, 0x973C, and the write carries it), then the clear from the cache: 0C 97 16
        let mut i2c = mock(&[
            read(0x02, 0xB4E0),
            read(0x04, 0x0280),
            read(0x0C, 0x973C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x36]),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x16]),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.assume_power_on_state();
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 3_617_500);
        assert_eq!(gauge.state_of_charge().await.unwrap().centipercent(), 250);
        gauge.set_alert_threshold(10).await.unwrap();
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn configure_after_power_on_is_one_write() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0x0C, 0x60, 0x96])]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.assume_power_on_state();
        let settings = Settings {
            rcomp: 0x60,
            alert_threshold_percent: 10,
            sleep: true,
        };
        gauge.configure(settings).await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(settings));
        i2c.done();
    }

    pub async fn a_failed_clear_after_power_on_keeps_the_cache() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]).with_error(data_nack()),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.assume_power_on_state();
        assert_eq!(gauge.clear_alert().await, Err(Error::Bus(data_nack())));
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn the_assumed_state_is_what_a_read_would_have_cached() {
        // cold path: the driver reads CONFIG after the power-up
        let mut cold = Gauge::new(powered_up(50), Variant::Max17043);
        cold.config().await.unwrap();
        let mut assumed = Gauge::new(powered_up(50), Variant::Max17043);
        assumed.assume_power_on_state();
        assert_eq!(assumed.cached_settings(), cold.cached_settings());
        // and the power-on reset leaves the same state
        let mut sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
        sim.set_por_response(PorResponse::default());
        let mut reset = Gauge::new(sim, Variant::Max17043);
        reset.set_rcomp(0x40).await.unwrap();
        reset.power_on_reset(PorCommand::Current).await.unwrap();
        assert_eq!(reset.cached_settings(), assumed.cached_settings());
    }

    pub async fn from_power_on_both_paths_leave_the_same_chip_at_fewer_bytes() {
        // an alert raised at power-up (2 % is below the 4 % threshold), then the start-up: threshold 10 %, clear
        let mut cold = Gauge::new(CountingBus::new(powered_up(2)), Variant::Max17043);
        let mut assumed = Gauge::new(CountingBus::new(powered_up(2)), Variant::Max17043);
        assumed.assume_power_on_state();
        assert!(cold.bus().inner().alert_pin_low());
        for gauge in [&mut cold, &mut assumed] {
            gauge.set_alert_threshold(10).await.unwrap();
            // the alert-keeping change kept the power-up alert in both
            assert!(gauge.bus().inner().alert_pin_low());
            assert_eq!(take(gauge.bus_mut()), READ_THEN_WRITE);
        }
        cold.invalidate_cache();
        cold.clear_alert().await.unwrap();
        assert_eq!(take(cold.bus_mut()), READ_THEN_WRITE);
        // the assumed state needs no read: its cache was refilled by the acknowledged write
        assumed.clear_alert().await.unwrap();
        assert_eq!(take(assumed.bus_mut()), ONE_WRITE);
        let (cold, assumed) = (cold.release().into_inner(), assumed.release().into_inner());
        for address in [0x02, 0x04, 0x0C] {
            assert_eq!(cold.register(address), assumed.register(address));
        }
        assert_eq!(assumed.config().alert_threshold_percent, 10);
        assert!(!assumed.alert_pin_low());
        assert_eq!(assumed.alerts_cleared_unseen(), 0);
        assert_eq!(assumed.alerts_written_over_clear(), 0);
    }

    pub async fn the_start_up_figures() {
        // what examples/bus_figures.rs prints for the start-up rows (README "Bus traffic")
        let mut gauge = Gauge::new(CountingBus::new(powered_up(50)), Variant::Max17043);
        gauge.assume_power_on_state();
        gauge.clear_alert().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), ONE_WRITE);
        let mut gauge = Gauge::new(CountingBus::new(powered_up(50)), Variant::Max17043);
        gauge.assume_power_on_state();
        gauge.set_alert_threshold(10).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), READ_THEN_WRITE);
        let mut gauge = Gauge::new(CountingBus::new(powered_up(50)), Variant::Max17043);
        gauge.assume_power_on_state();
        gauge.configure(Settings::default()).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), ONE_WRITE);
        let mut gauge = Gauge::new(CountingBus::new(powered_up(50)), Variant::Max17043);
        gauge.clear_alert().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), READ_THEN_WRITE);
        let mut gauge = Gauge::new(CountingBus::new(powered_up(50)), Variant::Max17043);
        gauge.set_alert_threshold(10).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), READ_THEN_WRITE);
        let mut gauge = Gauge::new(CountingBus::new(powered_up(50)), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), ONE_WRITE);
    }
}

both!(
    assume_power_on_state_sends_nothing_and_caches_the_power_up_config,
    clear_alert_after_power_on_is_one_write_of_the_power_up_fields,
    the_size_workload_from_power_on,
    configure_after_power_on_is_one_write,
    a_failed_clear_after_power_on_keeps_the_cache,
    the_assumed_state_is_what_a_read_would_have_cached,
    from_power_on_both_paths_leave_the_same_chip_at_fewer_bytes,
    the_start_up_figures,
);
