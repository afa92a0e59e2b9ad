//! Every public operation of `bq24195`, on an opaque bus with opaque arguments.

use core::hint::black_box;

use bq24195::{
    BatteryLowThreshold, Bq24195, ChargeConfig, Config, Faults, InputCurrentLimit, InputSource, PartInfo,
    RechargeThreshold, SafetyTimer, Status, TerminationIndicator, ThermalRegulation, Variant, Watchdog,
};

use crate::opaque::{any, Delay, I2c};

fn compensation() -> bq24195::IrCompensation {
    bq24195::IrCompensation {
        resistance_mohm: any(40),
        clamp_mv: any(64),
    }
}

fn sibling_config() -> Config {
    let mut config = config();
    config.boost_current_limit = any(bq24195::BoostCurrentLimit::Ma500);
    config.ir_compensation = compensation();
    config
}

/// A sibling part's driver: the operations whose code differs by part (check, config, settings, faults, cache),
/// and the boost limit every sibling has.
fn exercise_sibling<P: bq24195::part::Sibling + bq24195::part::HasBoostLimit + Copy>(part: P) {
    let _ = black_box(sibling_config().encode_for(part));
    let mut bq = Bq24195::for_part(I2c, part);
    let mut delay = Delay;
    let _ = black_box(bq.part_name());
    let _ = black_box(bq.check_device());
    let _ = black_box(bq.init(&sibling_config()));
    let _ = black_box(bq.apply_config(&sibling_config()));
    let _ = black_box(bq.read_config());
    let _ = black_box(bq.faults());
    let _ = black_box(bq.status_and_faults());
    let _ = black_box(bq.recover_from_watchdog(&sibling_config()));
    let _ = black_box(bq.reset_registers(&mut delay));
    bq.assume_power_on_state();
    let _ = black_box(bq.set_fast_charge_current_ma(any(0)));
    let _ = black_box(bq.set_charge_config(any(ChargeConfig::Charge)));
    let _ = black_box(bq.set_thermal_regulation(any(ThermalRegulation::C60)));
    let _ = black_box(bq.set_boost_current_limit(any(bq24195::BoostCurrentLimit::Ma500)));
    let _ = black_box(bq.boost_current_limit());
    let _ = black_box(bq.release());
}

fn config() -> Config {
    let mut config = any(Config::electron());
    config.fast_charge_current_ma = any(896);
    config
}

fn input() -> InputSource {
    InputSource {
        hiz: any(false),
        voltage_limit_mv: any(3880),
        current_limit: any(InputCurrentLimit::Ma900),
    }
}

/// The pure parts: encoders and decoders on any value.
fn pure() {
    let _ = black_box(config().encode(any(Variant::Bq24195L)));
    black_box(Config::decode(any([0u8; 8])));
    let _ = black_box(input().encode());
    black_box(InputSource::decode(any(0)));
    let _ = black_box(InputCurrentLimit::from_milliamps(any(0)));
    black_box(any(InputCurrentLimit::Ma100).milliamps());
    black_box(Status::decode(any(0)));
    black_box(Faults::decode(any(0)));
    black_box(PartInfo::decode(any(0)));
    black_box(any(Variant::Bq24195).max_fast_charge_current_ma());
    black_box(any(Watchdog::S40).timeout());
    black_box(any(SafetyTimer::H8).duration());
    black_box(any(ThermalRegulation::C120).celsius());
    black_box(any(BatteryLowThreshold::Mv3000).millivolts());
    black_box(any(RechargeThreshold::Mv100).millivolts());
    black_box(Faults::decode_for(any(0), any(bq24195::Thermistors::Two)));
    black_box(PartInfo::decode(any(0)).family_parts());
    let _ = black_box(compensation().encode());
    black_box(bq24195::IrCompensation::decode(any(0)));
    black_box(any(bq24195::BoostCurrentLimit::Ma500).milliamps());
    let vbus = Status::decode(any(0)).vbus;
    black_box(any(bq24195::InputDetection::PselPin).limit_after(vbus, any(true)));
}

/// The blocking driver.
pub fn exercise() {
    pure();
    let mut bq = Bq24195::new(I2c, any(Variant::Bq24195));
    let mut delay = Delay;
    let _ = black_box(bq.variant());
    bq.set_reset_timeout(any(fugit::MicrosDurationU32::millis(10)));
    bq.set_input_detection_timeout(any(fugit::MillisDurationU32::secs(1)));
    let _ = black_box((bq.reset_timeout(), bq.input_detection_timeout()));
    let _ = black_box(bq.check_device());
    let _ = black_box(bq.part_info());
    let _ = black_box(bq.init(&config()));
    let _ = black_box(bq.apply_config(&config()));
    let _ = black_box(bq.read_config());
    bq.invalidate_cache();
    let _ = black_box(bq.status());
    let _ = black_box(bq.latched_faults());
    let _ = black_box(bq.faults());
    let _ = black_box(bq.status_and_faults());
    let _ = black_box(bq.recover_from_watchdog(&config()));
    let _ = black_box(bq.set_input_source(input()));
    let _ = black_box(bq.input_source());
    let _ = black_box(bq.set_hiz(any(false)));
    let _ = black_box(bq.hiz());
    let _ = black_box(bq.set_input_voltage_limit_mv(any(0)));
    let _ = black_box(bq.input_voltage_limit_mv());
    let _ = black_box(bq.set_input_current_limit(any(InputCurrentLimit::Ma500)));
    let _ = black_box(bq.input_current_limit());
    let _ = black_box(bq.reset_registers(&mut delay));
    bq.assume_power_on_state();
    let _ = black_box(bq.kick_watchdog());
    let _ = black_box(bq.set_charge_config(any(ChargeConfig::Charge)));
    let _ = black_box(bq.charge_config());
    let _ = black_box(bq.set_minimum_system_voltage_mv(any(0)));
    let _ = black_box(bq.minimum_system_voltage_mv());
    let _ = black_box(bq.set_fast_charge_current_ma(any(0)));
    let _ = black_box(bq.fast_charge_current_ma());
    let _ = black_box(bq.set_force_20_percent(any(false)));
    let _ = black_box(bq.force_20_percent());
    let _ = black_box(bq.set_precharge_current_ma(any(0)));
    let _ = black_box(bq.precharge_current_ma());
    let _ = black_box(bq.set_termination_current_ma(any(0)));
    let _ = black_box(bq.termination_current_ma());
    let _ = black_box(bq.set_charge_voltage_mv(any(0)));
    let _ = black_box(bq.charge_voltage_mv());
    let _ = black_box(bq.set_battery_low_threshold(any(BatteryLowThreshold::Mv2800)));
    let _ = black_box(bq.battery_low_threshold());
    let _ = black_box(bq.set_recharge_threshold(any(RechargeThreshold::Mv300)));
    let _ = black_box(bq.recharge_threshold());
    let _ = black_box(bq.set_termination_enabled(any(true)));
    let _ = black_box(bq.termination_enabled());
    let _ = black_box(bq.set_termination_indicator(any(TerminationIndicator::Below800Ma)));
    let _ = black_box(bq.termination_indicator());
    let _ = black_box(bq.set_watchdog(any(Watchdog::S80)));
    let _ = black_box(bq.disable_watchdog());
    let _ = black_box(bq.watchdog());
    let _ = black_box(bq.set_safety_timer_enabled(any(true)));
    let _ = black_box(bq.safety_timer_enabled());
    let _ = black_box(bq.set_safety_timer(any(SafetyTimer::H20)));
    let _ = black_box(bq.safety_timer());
    let _ = black_box(bq.set_thermal_regulation(any(ThermalRegulation::C60)));
    let _ = black_box(bq.thermal_regulation());
    let _ = black_box(bq.force_input_detection());
    let _ = black_box(bq.input_detection_running());
    let _ = black_box(bq.wait_for_input_detection(&mut delay));
    let _ = black_box(bq.set_timer_slowdown(any(true)));
    let _ = black_box(bq.timer_slowdown());
    let _ = black_box(bq.set_batfet_disabled(any(false)));
    let _ = black_box(bq.batfet_disabled());
    let _ = black_box(bq.set_charge_fault_interrupt(any(true)));
    let _ = black_box(bq.charge_fault_interrupt());
    let _ = black_box(bq.set_battery_fault_interrupt(any(true)));
    let _ = black_box(bq.battery_fault_interrupt());
    let _ = black_box(bq.release());

    exercise_sibling(bq24195::part::Bq24192);
    exercise_sibling(bq24195::part::Bq24192I);
    exercise_sibling(bq24195::part::Bq24196);
    exercise_sibling(bq24195::part::Bq24190);
    let mut bq = Bq24195::for_part(I2c, bq24195::part::Bq24190);
    let _ = black_box(bq.set_ir_compensation(compensation()));
    let _ = black_box(bq.ir_compensation());
}

/// The async driver, each operation polled once.
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::{poll_once, Pin};
    use bq24195::Bq24195Async;

    let mut bq = Bq24195Async::new(I2c, any(Variant::Bq24195));
    let mut delay = Delay;
    let mut pin = Pin;
    let _ = black_box(bq.variant());
    bq.set_reset_timeout(any(fugit::MicrosDurationU32::millis(10)));
    bq.set_input_detection_timeout(any(fugit::MillisDurationU32::secs(1)));
    let _ = black_box((bq.reset_timeout(), bq.input_detection_timeout()));
    poll_once(bq.check_device());
    poll_once(bq.part_info());
    poll_once(bq.init(&config()));
    poll_once(bq.apply_config(&config()));
    poll_once(bq.read_config());
    bq.invalidate_cache();
    poll_once(bq.status());
    poll_once(bq.latched_faults());
    poll_once(bq.faults());
    poll_once(bq.status_and_faults());
    poll_once(bq.wait_for_interrupt(&mut pin));
    poll_once(bq.recover_from_watchdog(&config()));
    poll_once(bq.set_input_source(input()));
    poll_once(bq.input_source());
    poll_once(bq.set_hiz(any(false)));
    poll_once(bq.hiz());
    poll_once(bq.set_input_voltage_limit_mv(any(0)));
    poll_once(bq.input_voltage_limit_mv());
    poll_once(bq.set_input_current_limit(any(InputCurrentLimit::Ma500)));
    poll_once(bq.input_current_limit());
    poll_once(bq.reset_registers(&mut delay));
    poll_once(bq.kick_watchdog());
    poll_once(bq.set_charge_config(any(ChargeConfig::Charge)));
    poll_once(bq.charge_config());
    poll_once(bq.set_minimum_system_voltage_mv(any(0)));
    poll_once(bq.minimum_system_voltage_mv());
    poll_once(bq.set_fast_charge_current_ma(any(0)));
    poll_once(bq.fast_charge_current_ma());
    poll_once(bq.set_force_20_percent(any(false)));
    poll_once(bq.force_20_percent());
    poll_once(bq.set_precharge_current_ma(any(0)));
    poll_once(bq.precharge_current_ma());
    poll_once(bq.set_termination_current_ma(any(0)));
    poll_once(bq.termination_current_ma());
    poll_once(bq.set_charge_voltage_mv(any(0)));
    poll_once(bq.charge_voltage_mv());
    poll_once(bq.set_battery_low_threshold(any(BatteryLowThreshold::Mv2800)));
    poll_once(bq.battery_low_threshold());
    poll_once(bq.set_recharge_threshold(any(RechargeThreshold::Mv300)));
    poll_once(bq.recharge_threshold());
    poll_once(bq.set_termination_enabled(any(true)));
    poll_once(bq.termination_enabled());
    poll_once(bq.set_termination_indicator(any(TerminationIndicator::Below800Ma)));
    poll_once(bq.termination_indicator());
    poll_once(bq.set_watchdog(any(Watchdog::S80)));
    poll_once(bq.disable_watchdog());
    poll_once(bq.watchdog());
    poll_once(bq.set_safety_timer_enabled(any(true)));
    poll_once(bq.safety_timer_enabled());
    poll_once(bq.set_safety_timer(any(SafetyTimer::H20)));
    poll_once(bq.safety_timer());
    poll_once(bq.set_thermal_regulation(any(ThermalRegulation::C60)));
    poll_once(bq.thermal_regulation());
    poll_once(bq.force_input_detection());
    poll_once(bq.input_detection_running());
    poll_once(bq.wait_for_input_detection(&mut delay));
    poll_once(bq.set_timer_slowdown(any(true)));
    poll_once(bq.timer_slowdown());
    poll_once(bq.set_batfet_disabled(any(false)));
    poll_once(bq.batfet_disabled());
    poll_once(bq.set_charge_fault_interrupt(any(true)));
    poll_once(bq.charge_fault_interrupt());
    poll_once(bq.set_battery_fault_interrupt(any(true)));
    poll_once(bq.battery_fault_interrupt());
    let _ = black_box(bq.release());

    // a sibling's own operations and the ones whose code differs by part
    let mut bq = Bq24195Async::for_part(I2c, bq24195::part::Bq24192);
    poll_once(bq.check_device());
    poll_once(bq.init(&sibling_config()));
    poll_once(bq.faults());
    poll_once(bq.status_and_faults());
    poll_once(bq.set_boost_current_limit(any(bq24195::BoostCurrentLimit::Ma500)));
    poll_once(bq.boost_current_limit());
    poll_once(bq.set_ir_compensation(compensation()));
    poll_once(bq.ir_compensation());
    let _ = black_box(bq.release());
}
