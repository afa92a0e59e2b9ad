//! The decoders and unit conversions, against the datasheet's bit positions and values written out here (not the
//! driver's constants), one field at a time, so a wrong or shifted bit fails.
#![allow(clippy::unwrap_used)]

use bq24195::fugit::SecsDurationU32;
use bq24195::{
    BatteryLowThreshold, ChargeFault, ChargeStatus, Faults, NtcFault, RechargeThreshold, Status, ThermalRegulation,
    VbusStatus, Watchdog,
};

#[test]
fn thresholds_and_timeouts_in_their_units() {
    assert_eq!(BatteryLowThreshold::Mv2800.millivolts(), 2800);
    assert_eq!(BatteryLowThreshold::Mv3000.millivolts(), 3000);
    assert_eq!(RechargeThreshold::Mv100.millivolts(), 100);
    assert_eq!(RechargeThreshold::Mv300.millivolts(), 300);
    assert_eq!(Watchdog::Disabled.timeout(), None);
    assert_eq!(Watchdog::S40.timeout(), Some(SecsDurationU32::from_ticks(40)));
    assert_eq!(Watchdog::S80.timeout(), Some(SecsDurationU32::from_ticks(80)));
    assert_eq!(Watchdog::S160.timeout(), Some(SecsDurationU32::from_ticks(160)));
    let celsius = [
        ThermalRegulation::C60,
        ThermalRegulation::C80,
        ThermalRegulation::C100,
        ThermalRegulation::C120,
    ]
    .map(ThermalRegulation::celsius);
    assert_eq!(celsius, [60, 80, 100, 120]);
}

/// REG08: VBUS_STAT 7:6, CHRG_STAT 5:4, DPM_STAT 3, PG_STAT 2, THERM_STAT 1, VSYS_STAT 0.
#[test]
fn status_flags_each_from_its_own_bit() {
    let flags = |s: Status| (s.dpm, s.power_good, s.thermal_regulation, s.vsys_regulation);
    assert_eq!(flags(Status::decode(0x00)), (false, false, false, false));
    assert_eq!(flags(Status::decode(0b1000)), (true, false, false, false));
    assert_eq!(flags(Status::decode(0b0100)), (false, true, false, false));
    assert_eq!(flags(Status::decode(0b0010)), (false, false, true, false));
    assert_eq!(flags(Status::decode(0b0001)), (false, false, false, true));
    assert_eq!(flags(Status::decode(0xF0)), (false, false, false, false));
    assert_eq!(flags(Status::decode(0x0F)), (true, true, true, true));
    let s = Status::decode(0b1011_0000);
    assert_eq!((s.vbus, s.charge), (VbusStatus::AdapterPort, ChargeStatus::Done));
}

/// REG09: WATCHDOG_FAULT 7, BOOST_FAULT 6, CHRG_FAULT 5:4, BAT_FAULT 3, NTC_FAULT 2:0.
#[test]
fn faults_each_from_its_own_bits() {
    let none = Faults::decode(0x00);
    assert!(none.is_empty());
    assert!(!none.watchdog_expired && !none.boost && !none.battery_overvoltage);
    assert_eq!((none.charge, none.ntc), (ChargeFault::Normal, NtcFault::Normal));

    let watchdog = Faults::decode(0x80);
    assert!(watchdog.watchdog_expired && !watchdog.boost && !watchdog.battery_overvoltage);
    assert!(!watchdog.is_empty());
    let boost = Faults::decode(0x40);
    assert!(!boost.watchdog_expired && boost.boost && !boost.battery_overvoltage);
    let battery = Faults::decode(0x08);
    assert!(!battery.watchdog_expired && !battery.boost && battery.battery_overvoltage);
    assert_eq!(battery.charge, ChargeFault::Normal);
    assert_eq!(Faults::decode(0x10).charge, ChargeFault::Input);
    assert_eq!(Faults::decode(0x20).charge, ChargeFault::ThermalShutdown);
    assert_eq!(Faults::decode(0x30).charge, ChargeFault::SafetyTimerExpired);
    assert_eq!(Faults::decode(0x05).ntc, NtcFault::Cold);
    assert_eq!(Faults::decode(0x06).ntc, NtcFault::Hot);
    let others = Faults::decode(0x37);
    assert!(!others.watchdog_expired && !others.boost && !others.battery_overvoltage);
}
