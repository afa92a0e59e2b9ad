//! Every public operation of `max17043`, on an opaque bus with opaque arguments.

use crate::opaque::{any, I2c};
use max17043::{Max17043, PorCommand, RcompCompensation, Settings, SocScale, StateOfCharge, Variant, Voltage};

fn variant() -> Variant {
    if any(false) {
        Variant::Max17044
    } else {
        Variant::Max17043
    }
}

fn scale() -> SocScale {
    if any(false) {
        SocScale::Double
    } else {
        SocScale::Standard
    }
}

fn command() -> PorCommand {
    if any(false) {
        PorCommand::Legacy
    } else {
        PorCommand::Current
    }
}

fn settings() -> Settings {
    Settings {
        rcomp: any(0x97),
        alert_threshold_percent: any(4),
        sleep: any(false),
    }
}

fn compensation() -> RcompCompensation {
    RcompCompensation {
        rcomp0: any(0x97),
        temp_co_up_milli: any(-500),
        temp_co_down_milli: any(-5000),
    }
}

/// The value helpers, on opaque values.
fn values() {
    let soc = StateOfCharge::from_256ths(any(0x0180));
    let _ = any((
        soc.whole_percent(),
        soc.percent_rounded(),
        soc.centipercent(),
        soc.as_256ths(),
    ));
    let _ = any(StateOfCharge::from_percent(any(255)));
    let volts = Voltage::from_microvolts(any(5_118_750));
    let _ = any((volts.microvolts(), volts.millivolts()));
    let _ = any(compensation().rcomp(any(253)));
    let _ = any(max17043::Config::decode(any(0x971C)));
    let _ = any(max17043::register::normalize_soc(any(0x2A80), any(4112)));
}

/// The blocking driver.
pub fn exercise() {
    values();
    let mut gauge = Max17043::new(I2c, variant()).with_soc_scale(scale());
    let _ = any((gauge.variant(), gauge.soc_scale(), gauge.cached_settings()));
    let _ = any((gauge.bus() as *const I2c, gauge.bus_mut() as *mut I2c));
    let _ = any(gauge.voltage());
    let _ = any(gauge.state_of_charge());
    let _ = any(gauge.normalized_state_of_charge(any(4112)));
    let _ = any(gauge.version());
    let _ = any(gauge.quick_start());
    let _ = any(gauge.power_on_reset(command()));
    let _ = any(gauge.config());
    let _ = any(gauge.configure(settings()));
    let _ = any(gauge.rcomp());
    let _ = any(gauge.set_rcomp(any(0x97)));
    let _ = any(gauge.set_rcomp_for_temperature(&compensation(), any(253)));
    let _ = any(gauge.alert_threshold());
    let _ = any(gauge.set_alert_threshold(any(10)));
    let _ = any(gauge.alert());
    let _ = any(gauge.clear_alert());
    let _ = any(gauge.sleep());
    let _ = any(gauge.wake());
    gauge.invalidate_cache();
    let _ = any(gauge.clear_alert());
    gauge.assume_power_on_state();
    let _ = any(gauge.release());
    exercise_max17048(max17043::part::Max17048);
    exercise_max17048(max17043::part::Max17049);
}

/// A MAX17048 or MAX17049 driver's own operations (and the shared ones whose code differs by part), blocking.
fn exercise_max17048<P: max17043::part::Max17048Family + Copy>(part: P) {
    use max17043::{ChargeRate, Hibernation, ResetVoltage, StatusFlags, VoltageAlert};
    let _ = any((
        ChargeRate::from_raw(any(-10)).milli_percent_per_hour(),
        Hibernation::from_raw(any(0x8030)).hibernate_threshold_milli_percent_per_hour(),
        Hibernation::from_raw(any(0x8030)).active_threshold_microvolts(),
        VoltageAlert::from_millivolts(any(3300), any(4300)),
        VoltageAlert::from_raw(any(0x00FF)).max_millivolts(),
        ResetVoltage::from_millivolts(any(3000), any(false)),
        ResetVoltage::from_byte(any(0x96)).millivolts(),
        max17043::Status::decode(any(0x0100)),
    ));
    let mut gauge = Max17043::for_part(I2c, part);
    gauge.assume_power_on_state();
    let _ = any(gauge.voltage());
    let _ = any(gauge.quick_start());
    let _ = any(gauge.power_on_reset());
    let _ = any(gauge.charge_rate());
    let _ = any(gauge.hibernation());
    let _ = any(gauge.set_hibernation(Hibernation::from_raw(any(0x8030))));
    let _ = any(gauge.is_hibernating());
    let _ = any(gauge.voltage_alert());
    let _ = any(gauge.set_voltage_alert(VoltageAlert::from_raw(any(0x00FF))));
    let _ = any(gauge.reset_voltage());
    let _ = any(gauge.set_reset_voltage(ResetVoltage::from_byte(any(0x96))));
    let _ = any(gauge.id());
    let _ = any(gauge.status());
    let _ = any(gauge.clear_status(StatusFlags::from_bits_truncate(any(0x3F))));
    let _ = any(gauge.set_voltage_reset_alert(any(true)));
    let _ = any(gauge.soc_change_alert());
    let _ = any(gauge.set_soc_change_alert(any(true)));
    let _ = any(gauge.sleep());
    let _ = any(gauge.wake());
    let _ = any(gauge.clear_alert());
    let _ = any(gauge.load_model(&any([0x5A; 64])));
    let _ = any(gauge.lock_model());
    let _ = any(gauge.release());
}

/// The async driver.
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::{poll_once, Pin};
    use max17043::Max17043Async;

    poll_once(async {
        let mut gauge = Max17043Async::new(I2c, variant()).with_soc_scale(scale());
        let _ = any((gauge.variant(), gauge.soc_scale(), gauge.cached_settings()));
        let _ = any((gauge.bus() as *const I2c, gauge.bus_mut() as *mut I2c));
        let _ = any(gauge.voltage().await);
        let _ = any(gauge.state_of_charge().await);
        let _ = any(gauge.normalized_state_of_charge(any(4112)).await);
        let _ = any(gauge.version().await);
        let _ = any(gauge.quick_start().await);
        let _ = any(gauge.power_on_reset(command()).await);
        let _ = any(gauge.config().await);
        let _ = any(gauge.configure(settings()).await);
        let _ = any(gauge.rcomp().await);
        let _ = any(gauge.set_rcomp(any(0x97)).await);
        let _ = any(gauge.set_rcomp_for_temperature(&compensation(), any(253)).await);
        let _ = any(gauge.alert_threshold().await);
        let _ = any(gauge.set_alert_threshold(any(10)).await);
        let _ = any(gauge.alert().await);
        // once: an async method awaited from two places is compiled out of line and keeps the compiler's
        // "resumed after completion" panic (see the crate's report); the blocking proof calls it twice
        let _ = any(gauge.clear_alert().await);
        let _ = any(gauge.sleep().await);
        let _ = any(gauge.wake().await);
        gauge.invalidate_cache();
        gauge.assume_power_on_state();
        let mut alrt = Pin;
        let _ = any(gauge.wait_for_alert(&mut alrt).await);
        let _ = any(gauge.release());
    });
    poll_once(async {
        let mut gauge = Max17043Async::for_part(I2c, max17043::part::Max17048);
        let _ = any(gauge.voltage().await);
        let _ = any(gauge.quick_start().await);
        let _ = any(gauge.power_on_reset().await);
        let _ = any(gauge.charge_rate().await);
        let _ = any(gauge.hibernation().await);
        let _ = any(gauge
            .set_hibernation(max17043::Hibernation::from_raw(any(0x8030)))
            .await);
        let _ = any(gauge.is_hibernating().await);
        let _ = any(gauge.voltage_alert().await);
        let _ = any(gauge
            .set_voltage_alert(max17043::VoltageAlert::from_raw(any(0x00FF)))
            .await);
        let _ = any(gauge.reset_voltage().await);
        let _ = any(gauge
            .set_reset_voltage(max17043::ResetVoltage::from_byte(any(0x96)))
            .await);
        let _ = any(gauge.id().await);
        let _ = any(gauge.status().await);
        let _ = any(gauge
            .clear_status(max17043::StatusFlags::from_bits_truncate(any(0x3F)))
            .await);
        let _ = any(gauge.set_voltage_reset_alert(any(true)).await);
        let _ = any(gauge.soc_change_alert().await);
        let _ = any(gauge.set_soc_change_alert(any(true)).await);
        let _ = any(gauge.sleep().await);
        let _ = any(gauge.wake().await);
        let _ = any(gauge.load_model(&any([0x5A; 64])).await);
        let _ = any(gauge.lock_model().await);
        let _ = any(gauge.release());
    });
}
