//! Prints the bus-traffic figures of the max17043 driver, measured on the simulator:
//! `cargo run -p max17043 --example bus_figures --features sim`.

use core::cell::Cell;

use max17043::sim::{CountingBus, Max17043Sim, Traffic};
use max17043::{Error, Max17043, PorCommand, RcompCompensation, Settings, StateOfCharge, Variant};

type Gauge<'a> = Max17043<CountingBus<'a, Max17043Sim>>;
type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

fn row(traffic: &Cell<Traffic>, what: &str) {
    let t = traffic.take();
    println!(
        "| {what:<46} | {:>12} | {:>13} | {:>10} |",
        t.transactions, t.written, t.read
    );
}

fn main() -> Result {
    let traffic = Cell::new(Traffic::default());
    let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
    let mut gauge: Gauge = Max17043::new(CountingBus::new(sim, &traffic), Variant::Max17043);

    println!("| Operation                                      | Transactions | Bytes written | Bytes read |");
    println!("|------------------------------------------------|--------------|---------------|------------|");
    gauge.voltage()?;
    row(&traffic, "`voltage` (VCELL)");
    gauge.state_of_charge()?;
    row(&traffic, "`state_of_charge` (SOC)");
    gauge.normalized_state_of_charge(4112)?;
    row(&traffic, "`normalized_state_of_charge`");
    gauge.version()?;
    row(&traffic, "`version`");
    gauge.alert()?;
    row(&traffic, "`alert` / `config` / `rcomp` (CONFIG read)");
    gauge.set_rcomp(0x60)?;
    row(&traffic, "`set_rcomp` (read + write)");
    let compensation = RcompCompensation {
        rcomp0: 0x97,
        temp_co_up_milli: -500,
        temp_co_down_milli: -5000,
    };
    gauge.set_rcomp_for_temperature(&compensation, 250)?;
    row(&traffic, "`set_rcomp_for_temperature` (read + write)");
    gauge.set_alert_threshold(10)?;
    row(&traffic, "`set_alert_threshold` (read + write)");
    gauge.sleep()?;
    row(&traffic, "`sleep` (read + write)");
    gauge.wake()?;
    row(&traffic, "`wake` (read + write)");
    gauge.clear_alert()?;
    row(&traffic, "`clear_alert` (cache warm)");
    gauge.configure(Settings::default())?;
    row(&traffic, "`configure` (any cache)");
    gauge.quick_start()?;
    row(&traffic, "`quick_start`");
    gauge.power_on_reset(PorCommand::Current)?;
    row(&traffic, "`power_on_reset` (write + read-back)");
    gauge.invalidate_cache();
    gauge.clear_alert()?;
    row(&traffic, "`clear_alert` (cache cold: read + write)");
    gauge.sleep()?;
    traffic.take();
    gauge.sleep()?;
    row(&traffic, "`sleep` (already asleep: read only)");
    Ok(())
}
