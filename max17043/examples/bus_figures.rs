//! Prints the bus-traffic figures of the max17043 driver, measured on the simulator:
//! `cargo run -p max17043 --example bus_figures --features sim`.

use max17043::sim::{CountingBus, Max17043Sim, Traffic};
use max17043::{
    Error, Hibernation, Max17043, PorCommand, RcompCompensation, ResetVoltage, Settings, StateOfCharge, StatusFlags,
    Variant,
};

type Gauge = Max17043<CountingBus<Max17043Sim>>;
type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

/// Prints the traffic since the last row beside the protocol minimum (transactions, bytes written, bytes read),
/// and sets the count back to zero.
fn row_min(gauge: &mut Gauge, what: &str, minimum: (u32, u32, u32)) {
    let t: Traffic = gauge.bus().traffic();
    gauge.bus_mut().reset_traffic();
    let (transactions, written, read) = minimum;
    let minimum = format!("{transactions} / {written} / {read}");
    println!(
        "| {what:<52} | {:>12} | {:>13} | {:>10} | {minimum:>9} |",
        t.transactions, t.written, t.read
    );
}

/// One reading: a write-read of 1 + 2 bytes.
const READING: (u32, u32, u32) = (1, 1, 2);
/// One 3-byte register write.
const ONE_WRITE: (u32, u32, u32) = (1, 3, 0);

/// Nothing on the bus.
const NOTHING: (u32, u32, u32) = (0, 0, 0);

fn main() -> Result {
    let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
    let mut gauge: Gauge = Max17043::new(CountingBus::new(sim), Variant::Max17043);

    println!(
        "| Operation                                            | Transactions | Bytes written | Bytes read | Minimum   |"
    );
    println!(
        "|------------------------------------------------------|--------------|---------------|------------|-----------|"
    );
    gauge.voltage()?;
    row_min(&mut gauge, "`voltage` (VCELL)", READING);
    gauge.state_of_charge()?;
    row_min(&mut gauge, "`state_of_charge` (SOC)", READING);
    gauge.normalized_state_of_charge(4112)?;
    row_min(&mut gauge, "`normalized_state_of_charge`", READING);
    gauge.version()?;
    row_min(&mut gauge, "`version`", READING);
    gauge.alert()?;
    row_min(&mut gauge, "`alert` / `config` / `rcomp` (CONFIG read)", READING);
    gauge.set_rcomp(0x60)?;
    row_min(&mut gauge, "`set_rcomp` (read + write)", ONE_WRITE);
    let compensation = RcompCompensation {
        rcomp0: 0x97,
        temp_co_up_milli: -500,
        temp_co_down_milli: -5000,
    };
    gauge.set_rcomp_for_temperature(&compensation, 250)?;
    row_min(&mut gauge, "`set_rcomp_for_temperature` (read + write)", ONE_WRITE);
    gauge.set_alert_threshold(10)?;
    row_min(&mut gauge, "`set_alert_threshold` (read + write)", ONE_WRITE);
    gauge.sleep()?;
    row_min(&mut gauge, "`sleep` (read + write)", ONE_WRITE);
    gauge.wake()?;
    row_min(&mut gauge, "`wake` (read + write)", ONE_WRITE);
    gauge.clear_alert()?;
    row_min(&mut gauge, "`clear_alert` (cache warm)", ONE_WRITE);
    gauge.configure(Settings::default())?;
    row_min(&mut gauge, "`configure` (any cache)", ONE_WRITE);
    gauge.quick_start()?;
    row_min(&mut gauge, "`quick_start`", ONE_WRITE);
    gauge.power_on_reset(PorCommand::Current)?;
    row_min(&mut gauge, "`power_on_reset` (write + read-back)", ONE_WRITE);
    gauge.invalidate_cache();
    gauge.clear_alert()?;
    row_min(&mut gauge, "`clear_alert` (cache cold: read + write)", ONE_WRITE);
    gauge.sleep()?;
    gauge.bus_mut().reset_traffic();
    gauge.sleep()?;
    row_min(&mut gauge, "`sleep` (already asleep: read only)", NOTHING);

    // Start-up, the size workload's operations: from the power-on state, then from a cold cache.
    let mut gauge = start_up(true);
    gauge.clear_alert()?;
    row_min(&mut gauge, "start-up, power-on state: `clear_alert`", ONE_WRITE);
    let mut gauge = start_up(true);
    gauge.set_alert_threshold(10)?;
    row_min(&mut gauge, "start-up, power-on state: `set_alert_threshold`", ONE_WRITE);
    let mut gauge = start_up(true);
    gauge.configure(Settings::default())?;
    row_min(&mut gauge, "start-up, power-on state: `configure`", ONE_WRITE);
    let mut gauge = start_up(false);
    gauge.clear_alert()?;
    row_min(&mut gauge, "start-up, cold cache: `clear_alert`", ONE_WRITE);
    let mut gauge = start_up(false);
    gauge.set_alert_threshold(10)?;
    row_min(&mut gauge, "start-up, cold cache: `set_alert_threshold`", ONE_WRITE);
    let mut gauge = start_up(false);
    gauge.configure(Settings::default())?;
    row_min(&mut gauge, "start-up, cold cache: `configure`", ONE_WRITE);
    max17048()
}

/// The MAX17048 / MAX17049 operations (the shared readings and CONFIG changes cost what they cost above).
fn max17048() -> Result {
    type Gauge48 = max17043::Max17048<CountingBus<Max17043Sim>>;
    fn row48(gauge: &mut Gauge48, what: &str, minimum: (u32, u32, u32)) {
        let t: Traffic = gauge.bus().traffic();
        gauge.bus_mut().reset_traffic();
        let (transactions, written, read) = minimum;
        let minimum = format!("{transactions} / {written} / {read}");
        println!(
            "| {what:<52} | {:>12} | {:>13} | {:>10} | {minimum:>9} |",
            t.transactions, t.written, t.read
        );
    }
    let mut sim = Max17043Sim::max17048(StateOfCharge::from_percent(50));
    sim.insert_battery(StateOfCharge::from_percent(50));
    sim.elapse_ms(1000);
    let mut gauge: Gauge48 = Max17043::for_part(CountingBus::new(sim), max17043::part::Max17048);

    println!();
    println!(
        "| MAX17048 / MAX17049 operation                        | Transactions | Bytes written | Bytes read | Minimum   |"
    );
    println!(
        "|------------------------------------------------------|--------------|---------------|------------|-----------|"
    );
    gauge.assume_power_on_state();
    gauge.clear_alert()?;
    row48(&mut gauge, "start-up, power-on state: `clear_alert`", ONE_WRITE);
    gauge.clear_status(StatusFlags::RESET)?;
    row48(&mut gauge, "`clear_status` (a flag set: read + write)", ONE_WRITE);
    gauge.clear_status(StatusFlags::RESET)?;
    row48(&mut gauge, "`clear_status` (none set: read only)", READING);
    gauge.status()?;
    row48(
        &mut gauge,
        "`status`, `charge_rate`, `hibernation`, … (reading)",
        READING,
    );
    gauge.set_hibernation(Hibernation::NEVER)?;
    row48(&mut gauge, "`set_hibernation` / `set_voltage_alert`", ONE_WRITE);
    gauge.set_reset_voltage(ResetVoltage::from_millivolts(2500, false).unwrap_or(ResetVoltage::POWER_UP))?;
    row48(&mut gauge, "`set_reset_voltage` (read + write)", ONE_WRITE);
    gauge.set_voltage_reset_alert(true)?;
    row48(&mut gauge, "`set_voltage_reset_alert` (read + write)", ONE_WRITE);
    gauge.set_soc_change_alert(true)?;
    row48(&mut gauge, "`set_soc_change_alert` (read + write)", ONE_WRITE);
    gauge.sleep()?;
    row48(&mut gauge, "`sleep` (EnSleep, then read + write)", (2, 6, 0));
    gauge.wake()?;
    row48(&mut gauge, "`wake` (read + write)", ONE_WRITE);
    gauge.quick_start()?;
    row48(&mut gauge, "`quick_start` (MODE read + write)", ONE_WRITE);
    gauge.power_on_reset()?;
    row48(&mut gauge, "`power_on_reset` (write + read-back)", ONE_WRITE);
    gauge.load_model(&[0; 64])?;
    row48(&mut gauge, "`load_model` (unlock, TABLE, lock)", (3, 71, 0));
    Ok(())
}

/// A gauge just powered up (a battery inserted, the readings ready), and a driver that either assumes the power-on
/// state (`assume_power_on_state`) or starts with a cold cache.
fn start_up(assume_power_on_state: bool) -> Gauge {
    let mut sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
    sim.insert_battery(StateOfCharge::from_percent(50));
    sim.elapse_ms(125);
    let mut gauge: Gauge = Max17043::new(CountingBus::new(sim), Variant::Max17043);
    if assume_power_on_state {
        gauge.assume_power_on_state();
    }
    gauge
}
