//! The max17043 chapter: a fuel gauge on a discharging battery, its low-battery alert, sleep and wake.

use max17043::sim::{CountingBus, Max17043Sim};
use max17043::{part, ChargeRate, Max17043, Max17048, Settings, StateOfCharge, StatusFlags, Variant, VoltageAlert};

/// The driver owns the simulated chip behind a traffic counter; the story plays the battery through
/// `gauge.bus_mut().inner_mut()`, and reads the count through `gauge.bus().traffic()`.
type Gauge = Max17043<CountingBus<Max17043Sim>>;
type Result<T = ()> = core::result::Result<T, max17043::Error<max17043::embedded_hal::i2c::ErrorKind>>;

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("max17043 chapter failed: {e}");
    }
    if let Err(e) = run_max17048() {
        println!("max17043 chapter (MAX17048) failed: {e}");
    }
}

/// The traffic since the last call, and the count back to zero.
fn bus<P: part::Part>(gauge: &mut Max17043<CountingBus<Max17043Sim>, P>) -> String {
    let t = gauge.bus().traffic();
    gauge.bus_mut().reset_traffic();
    format!(
        "[{} transaction(s), {} byte(s) out, {} in]",
        t.transactions, t.written, t.read
    )
}

fn reading(gauge: &mut Gauge) -> Result {
    let soc = gauge.state_of_charge()?;
    let soc_bus = bus(gauge);
    let volts = gauge.voltage()?;
    println!(
        "  SoC {}.{:02} % {soc_bus}, VCELL {} mV, normalised (4.112 V charge) {} %",
        soc.centipercent() / 100,
        soc.centipercent() % 100,
        volts.millivolts(),
        gauge.normalized_state_of_charge(4112)?.whole_percent(),
    );
    gauge.bus_mut().reset_traffic();
    Ok(())
}

fn run() -> Result {
    let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(30));
    let mut gauge: Gauge = Max17043::new(CountingBus::new(sim), Variant::Max17043);

    println!("A MAX17043 at 0x36 on a cell at 30 %. Set RCOMP 0x97 and an alert below 20 %:");
    gauge.configure(Settings {
        rcomp: 0x97,
        alert_threshold_percent: 20,
        sleep: false,
    })?;
    println!("  configure {}", bus(&mut gauge));
    reading(&mut gauge)?;

    println!("The cell discharges by 11.5 %:");
    gauge
        .bus_mut()
        .inner_mut()
        .discharge(StateOfCharge::from_256ths(0x0B80));
    reading(&mut gauge)?;
    let alert = gauge.alert()?;
    println!("  ALRT flag {alert} {}", bus(&mut gauge));
    gauge.clear_alert()?;
    println!("  clear_alert from the cache, no read {}", bus(&mut gauge));

    println!("Down 3 % more, still below 20 %: no new alert until SoC has risen above it.");
    gauge.bus_mut().inner_mut().discharge(StateOfCharge::from_percent(3));
    println!("  ALRT flag {}", gauge.alert()?);
    gauge.bus_mut().reset_traffic();

    println!("Sleep, lose 5 %, wake: the readings stay frozen for 500 ms.");
    gauge.sleep()?;
    println!("  sleep {}", bus(&mut gauge));
    gauge.bus_mut().inner_mut().discharge(StateOfCharge::from_percent(5));
    gauge.wake()?;
    println!("  wake {}", bus(&mut gauge));
    reading(&mut gauge)?;
    gauge.bus_mut().inner_mut().elapse_ms(500);
    println!("  500 ms later:");
    reading(&mut gauge)?;

    println!("A glitched read of 0xFFFF is an error, not 256 %:");
    gauge.bus_mut().inner_mut().glitch_next_read();
    match gauge.state_of_charge() {
        Err(e) => println!("  {e}"),
        Ok(soc) => println!("  unexpected: {} %", soc.whole_percent()),
    }
    let config = gauge.bus().inner().config();
    println!(
        "The chip now holds CONFIG: RCOMP {:#04x}, alert below {} %, flag {}, asleep {}.",
        config.rcomp, config.alert_threshold_percent, config.alert, config.sleeping
    );
    println!(
        "True battery: {} %; split reads seen by the chip: {}.",
        gauge.bus().inner().battery().whole_percent(),
        gauge.bus().inner().split_reads()
    );
    Ok(())
}

/// The MAX17048: the same driver with the part named, and what that part adds (STATUS, CRATE, hibernation).
fn run_max17048() -> Result {
    let mut sim = Max17043Sim::max17048(StateOfCharge::from_percent(30));
    sim.power_on_reset();
    sim.elapse_ms(1000);
    let mut gauge: Max17048<CountingBus<Max17043Sim>> = Max17043::for_part(CountingBus::new(sim), part::Max17048);

    println!("A MAX17048 (no sense resistor) just powered on a cell at 30 %: configure, then clear STATUS.RI:");
    gauge.configure(Settings {
        rcomp: 0x97,
        alert_threshold_percent: 20,
        sleep: false,
    })?;
    let was = gauge.clear_status(StatusFlags::RESET)?;
    println!(
        "  STATUS before {:?}, now {:?} {}",
        was.flags,
        gauge.status()?.flags,
        bus(&mut gauge)
    );
    let window = VoltageAlert::from_millivolts(3300, 4300).unwrap_or(VoltageAlert::POWER_UP);
    gauge.set_voltage_alert(window)?;
    println!(
        "  voltage alert outside {}..{} mV {}",
        window.min_millivolts(),
        window.max_millivolts(),
        bus(&mut gauge)
    );

    println!("Discharging at 2.08 %/h, down 11.5 %: the low-charge flag fires.");
    gauge.bus_mut().inner_mut().set_charge_rate(ChargeRate::from_raw(-10));
    gauge
        .bus_mut()
        .inner_mut()
        .discharge(StateOfCharge::from_256ths(0x0B80));
    gauge.bus_mut().reset_traffic();
    let rate = gauge.charge_rate()?;
    println!(
        "  CRATE {} milli-%/h {}",
        rate.milli_percent_per_hour(),
        bus(&mut gauge)
    );
    let fired = gauge.clear_status(StatusFlags::SOC_LOW)?;
    println!("  STATUS said {:?}; SOC_LOW cleared {}", fired.flags, bus(&mut gauge));
    gauge.clear_alert()?;
    println!("  then CONFIG.ALRT, from the cache {}", bus(&mut gauge));

    println!("At rest for 6 minutes, the gauge hibernates (3 uA) and keeps gauging:");
    gauge.bus_mut().inner_mut().set_charge_rate(ChargeRate::from_raw(0));
    gauge.bus_mut().inner_mut().elapse_ms(6 * 60 * 1000 + 1);
    gauge.bus_mut().reset_traffic();
    println!("  hibernating {} {}", gauge.is_hibernating()?, bus(&mut gauge));
    Ok(())
}
