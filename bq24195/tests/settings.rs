//! REG01–REG07 settings: exact bytes, the cache, error paths; sync and async through the same bodies.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use bq24195::{
        BatteryLowThreshold, Bq24195, ChargeConfig, RechargeThreshold, SafetyTimer, TerminationIndicator,
        ThermalRegulation, Watchdog,
    };

    pub async fn charge_config_reads_once_then_writes_from_the_cache() {
        let mut i2c = mock(&[
            read(0x01, 0x1B),
            write(0x01, 0x0B),
            write(0x01, 0x2B),
            write(0x01, 0x1B),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        bq.set_charge_config(ChargeConfig::OtgBoost).await.unwrap();
        bq.set_charge_config(ChargeConfig::Charge).await.unwrap();
        i2c.done();
    }

    pub async fn charge_config_reads_back_both_boost_codes() {
        let mut i2c = mock(&[read(0x01, 0x2B), read(0x01, 0x3B), read(0x01, 0x0B), read(0x01, 0x1B)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.charge_config().await.unwrap(), ChargeConfig::OtgBoost);
        assert_eq!(bq.charge_config().await.unwrap(), ChargeConfig::OtgBoost);
        assert_eq!(bq.charge_config().await.unwrap(), ChargeConfig::Disabled);
        assert_eq!(bq.charge_config().await.unwrap(), ChargeConfig::Charge);
        i2c.done();
    }

    pub async fn minimum_system_voltage_rounds_down_and_rejects_out_of_range() {
        let mut i2c = mock(&[read(0x01, 0x1B), write(0x01, 0x11), write(0x01, 0x1F), read(0x01, 0x1D)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_minimum_system_voltage_mv(3050).await, Ok(3000));
        assert_eq!(bq.set_minimum_system_voltage_mv(3700).await, Ok(3700));
        let low = bq.set_minimum_system_voltage_mv(2999).await;
        assert_eq!(low, Err(Error::Argument(ArgumentError::MinimumSystemVoltage)));
        let high = bq.set_minimum_system_voltage_mv(3701).await;
        assert_eq!(high, Err(Error::Argument(ArgumentError::MinimumSystemVoltage)));
        assert_eq!(bq.minimum_system_voltage_mv().await, Ok(3600));
        i2c.done();
    }

    pub async fn kick_watchdog_sets_wd_reset_on_the_cached_register() {
        let mut i2c = mock(&[
            read(0x01, 0x1B),
            write(0x01, 0x5B),
            write(0x01, 0x5B),
            write(0x01, 0x0B),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.kick_watchdog().await.unwrap();
        bq.kick_watchdog().await.unwrap();
        // WD_RESET is never cached: the next setting does not kick again
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        i2c.done();
    }

    pub async fn self_clearing_bits_read_back_are_not_cached() {
        // REG01 read while REG_RESET and WD_RESET still read 1
        let mut i2c = mock(&[read(0x01, 0xDB), write(0x01, 0x5B)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.charge_config().await, Ok(ChargeConfig::Charge));
        bq.kick_watchdog().await.unwrap();
        i2c.done();
    }

    pub async fn cold_read_modify_writes_drop_command_bits_and_fix_reserved_bits() {
        let mut i2c = mock(&[
            // REG01 read during a register reset and a kick: neither is written back
            read(0x01, 0xDB),
            write(0x01, 0x0B),
            read(0x01, 0x9B),
            write(0x01, 0x5B),
            read(0x01, 0xCA),
            write(0x01, 0x03),
            // REG07 read during detection: DPDM_EN not written back; reserved bits 4:2 written 010
            read(0x07, 0xCB),
            write(0x07, 0x6B),
            read(0x07, 0xFF),
            write(0x07, 0x6A),
            // reserved REG02 bit 1, REG05 bit 0, REG06 bits 7:2 written 0
            read(0x02, 0xFF),
            write(0x02, 0xFC),
            read(0x05, 0xFF),
            write(0x05, 0x7E),
            read(0x06, 0xFF),
            write(0x06, 0x00),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        bq.invalidate_cache();
        bq.kick_watchdog().await.unwrap();
        bq.invalidate_cache();
        assert_eq!(bq.set_minimum_system_voltage_mv(3100).await, Ok(3100));
        bq.set_batfet_disabled(true).await.unwrap();
        bq.invalidate_cache();
        bq.set_battery_fault_interrupt(false).await.unwrap();
        bq.set_force_20_percent(false).await.unwrap();
        bq.set_termination_enabled(false).await.unwrap();
        bq.set_thermal_regulation(ThermalRegulation::C60).await.unwrap();
        i2c.done();
    }

    pub async fn reset_registers_polls_until_the_bit_clears_and_loads_reset_values() {
        let mut i2c = mock(&[
            write(0x01, 0x9B),
            read(0x01, 0x9B),
            read(0x01, 0x1B),
            // the cache now holds the reset values: one write, no read
            write(0x05, 0x8A),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(100)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.reset_registers(&mut delay).await.unwrap();
        bq.disable_watchdog().await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn reset_registers_gives_up_at_its_deadline() {
        // default 10 ms: 16 polls 100 µs apart, each charged 500 µs of bus time (16 × 500 + 15 × 100 ≤ 10 000)
        let mut expected = vec![write(0x01, 0x9B)];
        expected.extend((0..16).map(|_| read(0x01, 0x9B)));
        let mut i2c = mock(&expected);
        let delays: Vec<Delay> = (0..15).map(|_| Delay::delay_us(100)).collect();
        let mut delay = CheckedDelay::new(&delays);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.reset_timeout(), fugit::MicrosDurationU32::millis(10));
        assert_eq!(bq.reset_registers(&mut delay).await, Err(Error::ResetTimeout));
        i2c.done();
        delay.done();
        // 2 ms: 3 polls (3 × 500 + 2 × 100 = 1700; a fourth would end at 2300); zero: one poll
        let mut expected = vec![write(0x01, 0x9B)];
        expected.extend((0..3).map(|_| read(0x01, 0x9B)));
        expected.extend([write(0x01, 0x9B), read(0x01, 0x9B)]);
        let mut i2c = mock(&expected);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(100), Delay::delay_us(100)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_reset_timeout(fugit::MicrosDurationU32::millis(2));
        assert_eq!(bq.reset_registers(&mut delay).await, Err(Error::ResetTimeout));
        bq.set_reset_timeout(fugit::MicrosDurationU32::from_ticks(0));
        assert_eq!(bq.reset_registers(&mut delay).await, Err(Error::ResetTimeout));
        i2c.done();
        delay.done();
    }

    pub async fn fast_charge_current_rounds_down_within_the_variant_range() {
        let mut i2c = mock(&[
            read(0x02, 0x60),
            write(0x02, 0x38),
            write(0x02, 0x1C),
            write(0x02, 0xFC),
            write(0x02, 0x00),
            read(0x02, 0x1C),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_fast_charge_current_ma(1408).await, Ok(1408));
        assert_eq!(bq.set_fast_charge_current_ma(1000).await, Ok(960));
        assert_eq!(bq.set_fast_charge_current_ma(4544).await, Ok(4544));
        assert_eq!(bq.set_fast_charge_current_ma(512).await, Ok(512));
        for ma in [511, 4545, u16::MAX] {
            let result = bq.set_fast_charge_current_ma(ma).await;
            assert_eq!(result, Err(Error::Argument(ArgumentError::FastChargeCurrent)));
        }
        assert_eq!(bq.fast_charge_current_ma().await, Ok(960));
        i2c.done();
    }

    pub async fn bq24195l_caps_the_fast_charge_current_at_2496_ma() {
        let mut i2c = mock(&[read(0x02, 0x60), write(0x02, 0x7C)]);
        let mut bq = Bq24195::new(i2c.clone(), Variant::Bq24195L);
        assert_eq!(bq.variant(), Variant::Bq24195L);
        let result = bq.set_fast_charge_current_ma(2560).await;
        assert_eq!(result, Err(Error::Argument(ArgumentError::FastChargeCurrent)));
        assert_eq!(bq.set_fast_charge_current_ma(2496).await, Ok(2496));
        i2c.done();
    }

    pub async fn force_20_percent_is_bit_0_of_reg02() {
        let mut i2c = mock(&[read(0x02, 0x60), write(0x02, 0x61), write(0x02, 0x60), read(0x02, 0x61)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_force_20_percent(true).await.unwrap();
        bq.set_force_20_percent(false).await.unwrap();
        assert_eq!(bq.force_20_percent().await, Ok(true));
        i2c.done();
    }

    pub async fn precharge_and_termination_currents_share_reg03() {
        let mut i2c = mock(&[
            read(0x03, 0x11),
            write(0x03, 0x71),
            write(0x03, 0x70),
            read(0x03, 0xF3),
            read(0x03, 0xF3),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_precharge_current_ma(1100).await, Ok(1024));
        assert_eq!(bq.set_termination_current_ma(128).await, Ok(128));
        for ma in [127, 2049] {
            let pre = bq.set_precharge_current_ma(ma).await;
            assert_eq!(pre, Err(Error::Argument(ArgumentError::PrechargeCurrent)));
            let term = bq.set_termination_current_ma(ma).await;
            assert_eq!(term, Err(Error::Argument(ArgumentError::TerminationCurrent)));
        }
        assert_eq!(bq.precharge_current_ma().await, Ok(2048));
        assert_eq!(bq.termination_current_ma().await, Ok(512));
        i2c.done();
    }

    pub async fn charge_voltage_thresholds_share_reg04() {
        let mut i2c = mock(&[
            read(0x04, 0xB2),
            write(0x04, 0xAE),
            write(0x04, 0x9A),
            write(0x04, 0x98),
            write(0x04, 0x99),
            read(0x04, 0x99),
            read(0x04, 0x99),
            read(0x04, 0x99),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_charge_voltage_mv(4200).await, Ok(4192));
        assert_eq!(bq.set_charge_voltage_mv(4112).await, Ok(4112));
        for mv in [3503, 4401] {
            let result = bq.set_charge_voltage_mv(mv).await;
            assert_eq!(result, Err(Error::Argument(ArgumentError::ChargeVoltage)));
        }
        bq.set_battery_low_threshold(BatteryLowThreshold::Mv2800).await.unwrap();
        bq.set_recharge_threshold(RechargeThreshold::Mv300).await.unwrap();
        assert_eq!(bq.charge_voltage_mv().await, Ok(4112));
        assert_eq!(bq.battery_low_threshold().await, Ok(BatteryLowThreshold::Mv2800));
        assert_eq!(bq.recharge_threshold().await, Ok(RechargeThreshold::Mv300));
        i2c.done();
    }

    pub async fn termination_watchdog_and_safety_timer_share_reg05() {
        let mut i2c = mock(&[
            read(0x05, 0x9A),
            write(0x05, 0x1A),
            write(0x05, 0x5A),
            write(0x05, 0x7A),
            write(0x05, 0x4A),
            write(0x05, 0x42),
            write(0x05, 0x44),
            write(0x05, 0xC4),
            read(0x05, 0xC4),
            read(0x05, 0xC4),
            read(0x05, 0xC4),
            read(0x05, 0xC4),
            read(0x05, 0xC4),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_termination_enabled(false).await.unwrap();
        bq.set_termination_indicator(TerminationIndicator::Below800Ma)
            .await
            .unwrap();
        bq.set_watchdog(Watchdog::S160).await.unwrap();
        bq.disable_watchdog().await.unwrap();
        bq.set_safety_timer_enabled(false).await.unwrap();
        bq.set_safety_timer(SafetyTimer::H12).await.unwrap();
        bq.set_termination_enabled(true).await.unwrap();
        assert_eq!(bq.termination_enabled().await, Ok(true));
        assert_eq!(bq.termination_indicator().await, Ok(TerminationIndicator::Below800Ma));
        assert_eq!(bq.watchdog().await, Ok(Watchdog::Disabled));
        assert_eq!(bq.safety_timer_enabled().await, Ok(false));
        assert_eq!(bq.safety_timer().await, Ok(SafetyTimer::H12));
        i2c.done();
    }

    pub async fn thermal_regulation_is_reg06() {
        let mut i2c = mock(&[read(0x06, 0x03), write(0x06, 0x01), read(0x06, 0x02)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_thermal_regulation(ThermalRegulation::C80).await.unwrap();
        assert_eq!(bq.thermal_regulation().await, Ok(ThermalRegulation::C100));
        i2c.done();
    }

    pub async fn misc_operation_bits_share_reg07() {
        let mut i2c = mock(&[
            read(0x07, 0x4B),
            write(0x07, 0x0B),
            write(0x07, 0x2B),
            write(0x07, 0x29),
            write(0x07, 0x28),
            write(0x07, 0x2A),
            write(0x07, 0x6A),
            read(0x07, 0x6A),
            read(0x07, 0x6A),
            read(0x07, 0x6A),
            read(0x07, 0x6A),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_timer_slowdown(false).await.unwrap();
        bq.set_batfet_disabled(true).await.unwrap();
        bq.set_charge_fault_interrupt(false).await.unwrap();
        bq.set_battery_fault_interrupt(false).await.unwrap();
        bq.set_charge_fault_interrupt(true).await.unwrap();
        bq.set_timer_slowdown(true).await.unwrap();
        assert_eq!(bq.timer_slowdown().await, Ok(true));
        assert_eq!(bq.batfet_disabled().await, Ok(true));
        assert_eq!(bq.charge_fault_interrupt().await, Ok(true));
        assert_eq!(bq.battery_fault_interrupt().await, Ok(false));
        i2c.done();
    }

    pub async fn input_detection_is_forced_from_the_cache_and_polled() {
        let mut i2c = mock(&[
            read(0x07, 0x4B),
            write(0x07, 0xCB),
            read(0x07, 0xCB),
            read(0x07, 0x4B),
            write(0x07, 0x6B),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_ms(50)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.force_input_detection().await.unwrap();
        bq.wait_for_input_detection(&mut delay).await.unwrap();
        // DPDM_EN is never cached: the next REG07 setting does not restart detection
        bq.set_batfet_disabled(true).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn waiting_for_input_detection_gives_up_after_one_second() {
        // 20 polls 50 ms apart, each charged 500 µs of bus time: 20 × 0.5 + 19 × 50 = 960 ms ≤ 1 s
        let expected: Vec<I2c> = (0..20).map(|_| read(0x07, 0xCB)).collect();
        let mut i2c = mock(&expected);
        let delays: Vec<Delay> = (0..19).map(|_| Delay::delay_ms(50)).collect();
        let mut delay = CheckedDelay::new(&delays);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.input_detection_timeout(), fugit::MillisDurationU32::secs(1));
        let result = bq.wait_for_input_detection(&mut delay).await;
        assert_eq!(result, Err(Error::InputDetectionRunning));
        i2c.done();
        delay.done();
        // 200 ms: 4 polls (4 × 0.5 + 3 × 50 = 152 ms; a fifth would end at 202.5 ms)
        let expected: Vec<I2c> = (0..4).map(|_| read(0x07, 0xCB)).collect();
        let mut i2c = mock(&expected);
        let delays: Vec<Delay> = (0..3).map(|_| Delay::delay_ms(50)).collect();
        let mut delay = CheckedDelay::new(&delays);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_input_detection_timeout(fugit::MillisDurationU32::millis(200));
        let result = bq.wait_for_input_detection(&mut delay).await;
        assert_eq!(result, Err(Error::InputDetectionRunning));
        i2c.done();
        delay.done();
    }

    pub async fn input_detection_running_reads_dpdm_en() {
        let mut i2c = mock(&[read(0x07, 0xCB), read(0x07, 0x4B)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.input_detection_running().await, Ok(true));
        assert_eq!(bq.input_detection_running().await, Ok(false));
        i2c.done();
    }

    pub async fn a_failed_write_leaves_its_register_unknown() {
        let mut i2c = mock(&[
            read(0x01, 0x1B),
            write(0x01, 0x0B).with_error(nack()),
            // the host cannot tell whether the chip took the byte: REG01 is read again (here it did not)
            read(0x01, 0x1B),
            write(0x01, 0x11),
            // the other registers stay cached
            read(0x02, 0x60),
            write(0x02, 0x20).with_error(nack()),
            read(0x02, 0x20),
            write(0x02, 0x21),
            write(0x01, 0x13),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let error = bq.set_charge_config(ChargeConfig::Disabled).await.unwrap_err();
        assert!(error.is_nack());
        assert_eq!(bq.set_minimum_system_voltage_mv(3000).await, Ok(3000));
        assert!(bq.set_fast_charge_current_ma(1024).await.unwrap_err().is_nack());
        // here the chip had taken it
        bq.set_force_20_percent(true).await.unwrap();
        assert_eq!(bq.set_minimum_system_voltage_mv(3100).await, Ok(3100));
        i2c.done();
    }

    pub async fn a_nacked_read_sends_nothing_else() {
        let mut i2c = mock(&[read(0x04, 0xB2).with_error(nack()), read(0x04, 0xB2), write(0x04, 0x9A)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_charge_voltage_mv(4112).await, Err(Error::Bus(nack())));
        assert_eq!(bq.set_charge_voltage_mv(4112).await, Ok(4112));
        i2c.done();
    }
}

both!(
    charge_config_reads_once_then_writes_from_the_cache,
    charge_config_reads_back_both_boost_codes,
    minimum_system_voltage_rounds_down_and_rejects_out_of_range,
    kick_watchdog_sets_wd_reset_on_the_cached_register,
    self_clearing_bits_read_back_are_not_cached,
    cold_read_modify_writes_drop_command_bits_and_fix_reserved_bits,
    reset_registers_polls_until_the_bit_clears_and_loads_reset_values,
    reset_registers_gives_up_at_its_deadline,
    fast_charge_current_rounds_down_within_the_variant_range,
    bq24195l_caps_the_fast_charge_current_at_2496_ma,
    force_20_percent_is_bit_0_of_reg02,
    precharge_and_termination_currents_share_reg03,
    charge_voltage_thresholds_share_reg04,
    termination_watchdog_and_safety_timer_share_reg05,
    thermal_regulation_is_reg06,
    misc_operation_bits_share_reg07,
    input_detection_is_forced_from_the_cache_and_polled,
    waiting_for_input_detection_gives_up_after_one_second,
    input_detection_running_reads_dpdm_en,
    a_failed_write_leaves_its_register_unknown,
    a_nacked_read_sends_nothing_else,
);
