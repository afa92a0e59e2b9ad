//! Prints the bus-traffic figures of the max17043 driver, measured on the simulator:
//! `cargo run -p max17043 --example bus_figures --features sim`.

use max17043::sim::{CountingBus, Max17043Sim, Traffic};
use max17043::{Error, Max17043, PorCommand, RcompCompensation, Settings, StateOfCharge, Variant};

type Gauge = Max17043<CountingBus<Max17043Sim>>;
type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

/// Prints the traffic since the last row, and sets the count back to zero.
fn row(gauge: &mut Gauge, what: &str) {
    let t: Traffic = gauge.bus().traffic();
    gauge.bus_mut().reset_traffic();
    println!(
        "| {what:<46} | {:>12} | {:>13} | {:>10} |",
        t.transactions, t.written, t.read
    );
}

fn main() -> Result {
    let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
    let mut gauge: Gauge = Max17043::new(CountingBus::new(sim), Variant::Max17043);

    println!("| Operation                                      | Transactions | Bytes written | Bytes read |");
    println!("|------------------------------------------------|--------------|---------------|------------|");
    gauge.voltage()?;
    row(&mut gauge, "`voltage` (VCELL)");
    gauge.state_of_charge()?;
    row(&mut gauge, "`state_of_charge` (SOC)");
    gauge.normalized_state_of_charge(4112)?;
    row(&mut gauge, "`normalized_state_of_charge`");
    gauge.version()?;
    row(&mut gauge, "`version`");
    gauge.alert()?;
    row(&mut gauge, "`alert` / `config` / `rcomp` (CONFIG read)");
    gauge.set_rcomp(0x60)?;
    row(&mut gauge, "`set_rcomp` (read + write)");
    let compensation = RcompCompensation {
        rcomp0: 0x97,
        temp_co_up_milli: -500,
        temp_co_down_milli: -5000,
    };
    gauge.set_rcomp_for_temperature(&compensation, 250)?;
    row(&mut gauge, "`set_rcomp_for_temperature` (read + write)");
    gauge.set_alert_threshold(10)?;
    row(&mut gauge, "`set_alert_threshold` (read + write)");
    gauge.sleep()?;
    row(&mut gauge, "`sleep` (read + write)");
    gauge.wake()?;
    row(&mut gauge, "`wake` (read + write)");
    gauge.clear_alert()?;
    row(&mut gauge, "`clear_alert` (cache warm)");
    gauge.configure(Settings::default())?;
    row(&mut gauge, "`configure` (any cache)");
    gauge.quick_start()?;
    row(&mut gauge, "`quick_start`");
    gauge.power_on_reset(PorCommand::Current)?;
    row(&mut gauge, "`power_on_reset` (write + read-back)");
    gauge.invalidate_cache();
    gauge.clear_alert()?;
    row(&mut gauge, "`clear_alert` (cache cold: read + write)");
    gauge.sleep()?;
    gauge.bus_mut().reset_traffic();
    gauge.sleep()?;
    row(&mut gauge, "`sleep` (already asleep: read only)");
    Ok(())
}
