//! The max17043 chapter: a fuel gauge on a discharging battery, its low-battery alert, sleep and wake.

use max17043::sim::{CountingBus, Max17043Sim};
use max17043::{Max17043, Settings, StateOfCharge, Variant};

/// The driver owns the simulated chip behind a traffic counter; the story plays the battery through
/// `gauge.bus_mut().inner_mut()`, and reads the count through `gauge.bus().traffic()`.
type Gauge = Max17043<CountingBus<Max17043Sim>>;
type Result<T = ()> = core::result::Result<T, max17043::Error<max17043::embedded_hal::i2c::ErrorKind>>;

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("max17043 chapter failed: {e}");
    }
}

/// The traffic since the last call, and the count back to zero.
fn bus(gauge: &mut Gauge) -> String {
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
