//! Start-up from the chip's power-on state (issue 14): `assume_power_on_state` sends nothing and makes every
//! REG01–REG07 setting one 2-byte write from the start (exact bytes on a mock), a register reset ends in the same
//! state, and on the simulator the assumed state is what a cold driver reads and leads to the same chip.
//! Sync and async through the same bodies.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod common;

/// REG00–REG07 after power-on, as the test knows them from the datasheet (never the driver's constants); the
/// driver caches REG01–REG07 only.
const POWER_ON: [Option<u8>; 8] = [
    None,
    Some(0x1B),
    Some(0x60),
    Some(0x11),
    Some(0xB2),
    Some(0x9A),
    Some(0x03),
    Some(0x4B),
];

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use super::POWER_ON;
    use bq24195::sim::{Bq24195Sim, CountingBus, Supply, Traffic};
    use bq24195::{
        Bq24195, ChargeConfig, InputCurrentLimit, RechargeThreshold, SafetyTimer, ThermalRegulation, Watchdog,
    };

    pub async fn assuming_the_power_on_state_sends_nothing() {
        let mut i2c = mock(&[]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.cached_registers(), [None; 8]);
        bq.assume_power_on_state();
        assert_eq!(bq.cached_registers(), POWER_ON);
        i2c.done();
    }

    /// The start-up row: setting the charge current after power-on is one transaction, `02 38` after the
    /// address byte (3 bytes on the wire, counting it), instead of a read of REG02 first.
    pub async fn charge_current_from_power_on_is_one_write() {
        let mut i2c = mock(&[write(0x02, 0x38)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.assume_power_on_state();
        assert_eq!(bq.set_fast_charge_current_ma(1408).await, Ok(1408));
        i2c.done();
    }

    /// The same from a cold cache: REG02 is read first (FORCE_20PCT and the reserved bit are unknown).
    pub async fn charge_current_from_a_cold_cache_reads_reg02_first() {
        let mut i2c = mock(&[read(0x02, 0x61), write(0x02, 0x39)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_fast_charge_current_ma(1408).await, Ok(1408));
        i2c.done();
    }

    /// Every field of REG01–REG07 after power-on: one 2-byte write each, no read, every byte built on the reset
    /// value and the writes before it.
    pub async fn every_setting_from_power_on_is_one_write() {
        let mut i2c = mock(&[
            write(0x01, 0x0B), // charging off
            write(0x01, 0x01), // SYS_MIN 3000 mV
            write(0x01, 0x41), // watchdog kick: WD_RESET on the cached value
            write(0x02, 0x61), // FORCE_20PCT
            write(0x02, 0x39), // ICHG 1408 mA, FORCE_20PCT kept
            write(0x03, 0x01), // IPRECHG 128 mA
            write(0x03, 0x00), // ITERM 128 mA
            write(0x04, 0x9A), // VREG 4112 mV
            write(0x04, 0x9B), // VRECHG 300 mV
            write(0x05, 0x8A), // watchdog off
            write(0x05, 0x8E), // safety timer 20 h
            write(0x06, 0x01), // TREG 80 °C
            write(0x07, 0x6B), // BATFET off
            write(0x07, 0xEB), // forced input detection: DPDM_EN on the cached value
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.assume_power_on_state();
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        assert_eq!(bq.set_minimum_system_voltage_mv(3000).await, Ok(3000));
        bq.kick_watchdog().await.unwrap();
        bq.set_force_20_percent(true).await.unwrap();
        assert_eq!(bq.set_fast_charge_current_ma(1408).await, Ok(1408));
        assert_eq!(bq.set_precharge_current_ma(128).await, Ok(128));
        assert_eq!(bq.set_termination_current_ma(128).await, Ok(128));
        assert_eq!(bq.set_charge_voltage_mv(4112).await, Ok(4112));
        bq.set_recharge_threshold(RechargeThreshold::Mv300).await.unwrap();
        bq.set_watchdog(Watchdog::Disabled).await.unwrap();
        bq.set_safety_timer(SafetyTimer::H20).await.unwrap();
        bq.set_thermal_regulation(ThermalRegulation::C80).await.unwrap();
        bq.set_batfet_disabled(true).await.unwrap();
        bq.force_input_detection().await.unwrap();
        i2c.done();
    }

    /// REG00 is not assumed: the chip rewrites it after input detection, so its settings keep the guarded read.
    pub async fn reg00_settings_still_read_after_power_on() {
        let mut expected = guarded_input(0x4B, 0x30);
        expected.push(write(0x00, 0x33));
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.assume_power_on_state();
        bq.set_input_current_limit(InputCurrentLimit::Ma900).await.unwrap();
        i2c.done();
    }

    /// A register reset the driver performed ends in the state `assume_power_on_state` gives.
    pub async fn a_register_reset_ends_in_the_assumed_state() {
        let mut i2c = mock(&[write(0x01, 0x9B), read(0x01, 0x1B), write(0x02, 0x38)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.reset_registers(&mut NoopDelay).await.unwrap();
        assert_eq!(bq.cached_registers(), POWER_ON);
        let mut assumed = Bq24195::new(mock(&[]), STANDARD);
        assumed.assume_power_on_state();
        assert_eq!(bq.cached_registers(), assumed.cached_registers());
        assert_eq!(bq.set_fast_charge_current_ma(1408).await, Ok(1408));
        i2c.done();
        assumed.release().done();
    }

    /// Faults read off the chip and not yet returned survive the call: it only replaces the register cache.
    pub async fn assuming_the_power_on_state_keeps_faults_not_yet_returned() {
        let mut i2c = mock(&[read(0x09, 0x80), read(0x09, 0x00).with_error(nack()), read(0x09, 0x00)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert!(bq.faults().await.unwrap_err().is_nack());
        bq.assume_power_on_state();
        let latched = bq.latched_faults().await.unwrap();
        assert!(latched.watchdog_expired);
        assert_eq!(latched.raw, 0x80);
        i2c.done();
    }

    fn powered_on() -> Bq24195Sim {
        let mut sim = Bq24195Sim::new();
        sim.plug_in(Supply::Adapter);
        sim.finish_input_detection();
        sim
    }

    /// The settings of a typical start-up, run by a driver on `sim`; the traffic they made.
    async fn start_up(bq: &mut Bq24195<CountingBus<&mut Bq24195Sim>>) -> Traffic {
        bq.bus_mut().reset_traffic();
        bq.disable_watchdog().await.unwrap();
        bq.set_fast_charge_current_ma(1408).await.unwrap();
        bq.set_charge_voltage_mv(4112).await.unwrap();
        bq.set_termination_current_ma(256).await.unwrap();
        bq.set_minimum_system_voltage_mv(3500).await.unwrap();
        bq.set_thermal_regulation(ThermalRegulation::C100).await.unwrap();
        bq.set_timer_slowdown(false).await.unwrap();
        bq.bus().traffic()
    }

    /// On the simulator just after power-on: the assumed cache equals what a cold driver reads, the same settings
    /// leave the chip with the same registers, and the assumed start-up writes the same bytes without the reads.
    pub async fn on_the_sim_the_assumed_state_is_what_the_chip_holds() {
        let mut cold_sim = powered_on();
        let mut assumed_sim = powered_on();
        let mut reset_sim = powered_on();
        reset_sim.poke(0x02, 0x20);
        reset_sim.poke(0x05, 0x8A);

        let mut cold = Bq24195::new(CountingBus::new(&mut cold_sim), STANDARD);
        let mut read_back = cold.read_config().await.map(|_| cold.cached_registers()).unwrap();
        cold.invalidate_cache();
        let cold_traffic = start_up(&mut cold).await;

        let mut assumed = Bq24195::new(CountingBus::new(&mut assumed_sim), STANDARD);
        assumed.assume_power_on_state();
        assert_eq!(
            read_back,
            assumed.cached_registers(),
            "what a cold driver reads after power-on"
        );
        let assumed_traffic = start_up(&mut assumed).await;

        let mut reset = Bq24195::new(CountingBus::new(&mut reset_sim), STANDARD);
        reset.reset_registers(&mut NoopDelay).await.unwrap();
        read_back = reset.cached_registers();
        assert_eq!(read_back, POWER_ON, "after a register reset");
        let reset_traffic = start_up(&mut reset).await;

        // one setting in each of REG01–REG07: the cold driver reads each register first, the others never
        assert_eq!(
            cold_traffic,
            Traffic {
                transactions: 14,
                written: 21,
                read: 7
            }
        );
        let minimum = Traffic {
            transactions: 7,
            written: 14,
            read: 0,
        };
        assert_eq!(assumed_traffic, minimum);
        assert_eq!(reset_traffic, minimum);
        for register in 0x00..=0x07 {
            let chip = cold_sim.register(register);
            assert_eq!(assumed_sim.register(register), chip, "REG{register:02X}");
            // REG00 holds the input detection's result, which the register reset replaced by 100 mA
            if register != 0x00 {
                assert_eq!(
                    reset_sim.register(register),
                    chip,
                    "REG{register:02X} after a register reset"
                );
            }
        }
        assert_eq!(cold_sim.register(0x02), 0x38);
        assert_eq!(cold_sim.register(0x05), 0x8A);
    }

    /// After a power cycle of the chip (not of the MCU), a driver that assumes the power-on state agrees with the
    /// chip again, whatever it had written before.
    pub async fn after_a_power_cycle_the_assumed_state_is_the_chip_state() {
        let mut sim = powered_on();
        {
            let mut bq = Bq24195::new(CountingBus::new(&mut sim), STANDARD);
            bq.apply_config(&Config::electron()).await.unwrap();
        }
        sim.power_on_reset();
        let mut bq = Bq24195::new(CountingBus::new(&mut sim), STANDARD);
        bq.assume_power_on_state();
        let assumed = bq.cached_registers();
        let config = bq.read_config().await.unwrap();
        assert_eq!(bq.cached_registers(), assumed);
        assert_eq!(config, Config::default());
    }
}

both!(
    assuming_the_power_on_state_sends_nothing,
    charge_current_from_power_on_is_one_write,
    charge_current_from_a_cold_cache_reads_reg02_first,
    every_setting_from_power_on_is_one_write,
    reg00_settings_still_read_after_power_on,
    a_register_reset_ends_in_the_assumed_state,
    assuming_the_power_on_state_keeps_faults_not_yet_returned,
    on_the_sim_the_assumed_state_is_what_the_chip_holds,
    after_a_power_cycle_the_assumed_state_is_the_chip_state,
);
