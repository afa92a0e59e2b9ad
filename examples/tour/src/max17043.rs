//! The max17043 chapter: a fuel gauge on a discharging battery, its low-battery alert, sleep and wake.

use core::cell::{Cell, RefCell};

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, Operation};
use max17043::sim::{CountingBus, Max17043Sim, Traffic};
use max17043::{Error, Max17043, Settings, StateOfCharge, Variant};

/// The simulated chip, shared between the driver and the story (which plays the battery).
struct Shared<'a>(&'a RefCell<Max17043Sim>);

impl ErrorType for Shared<'_> {
    type Error = ErrorKind;
}

impl I2c for Shared<'_> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> core::result::Result<(), ErrorKind> {
        self.0.borrow_mut().transaction(address, operations)
    }
}

type Gauge<'a> = Max17043<CountingBus<'a, Shared<'a>>>;
type Result<T = ()> = core::result::Result<T, Error<embedded_hal::i2c::ErrorKind>>;

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("max17043 chapter failed: {e}");
    }
}

fn bus(traffic: &Cell<Traffic>) -> String {
    let t = traffic.take();
    format!(
        "[{} transaction(s), {} byte(s) out, {} in]",
        t.transactions, t.written, t.read
    )
}

fn reading(gauge: &mut Gauge, traffic: &Cell<Traffic>) -> Result {
    let soc = gauge.state_of_charge()?;
    let soc_bus = bus(traffic);
    let volts = gauge.voltage()?;
    println!(
        "  SoC {}.{:02} % {soc_bus}, VCELL {} mV, normalised (4.112 V charge) {} %",
        soc.centipercent() / 100,
        soc.centipercent() % 100,
        volts.millivolts(),
        gauge.normalized_state_of_charge(4112)?.whole_percent(),
    );
    traffic.take();
    Ok(())
}

fn run() -> Result {
    let traffic = Cell::new(Traffic::default());
    let sim = RefCell::new(Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(30)));
    let mut gauge: Gauge = Max17043::new(CountingBus::new(Shared(&sim), &traffic), Variant::Max17043);

    println!("A MAX17043 at 0x36 on a cell at 30 %. Set RCOMP 0x97 and an alert below 20 %:");
    gauge.configure(Settings {
        rcomp: 0x97,
        alert_threshold_percent: 20,
        sleep: false,
    })?;
    println!("  configure {}", bus(&traffic));
    reading(&mut gauge, &traffic)?;

    println!("The cell discharges by 11.5 %:");
    sim.borrow_mut().discharge(StateOfCharge::from_256ths(0x0B80));
    reading(&mut gauge, &traffic)?;
    let alert = gauge.alert()?;
    println!("  ALRT flag {alert} {}", bus(&traffic));
    gauge.clear_alert()?;
    println!("  clear_alert from the cache, no read {}", bus(&traffic));

    println!("Down 3 % more, still below 20 %: no new alert until SoC has risen above it.");
    sim.borrow_mut().discharge(StateOfCharge::from_percent(3));
    println!("  ALRT flag {}", gauge.alert()?);
    traffic.take();

    println!("Sleep, lose 5 %, wake: the readings stay frozen for 500 ms.");
    gauge.sleep()?;
    println!("  sleep {}", bus(&traffic));
    sim.borrow_mut().discharge(StateOfCharge::from_percent(5));
    gauge.wake()?;
    println!("  wake {}", bus(&traffic));
    reading(&mut gauge, &traffic)?;
    sim.borrow_mut().elapse_ms(500);
    println!("  500 ms later:");
    reading(&mut gauge, &traffic)?;

    println!("A glitched read of 0xFFFF is an error, not 256 %:");
    sim.borrow_mut().glitch_next_read();
    match gauge.state_of_charge() {
        Err(e) => println!("  {e}"),
        Ok(soc) => println!("  unexpected: {} %", soc.whole_percent()),
    }
    let config = sim.borrow().config();
    println!(
        "The chip now holds CONFIG: RCOMP {:#04x}, alert below {} %, flag {}, asleep {}.",
        config.rcomp, config.alert_threshold_percent, config.alert, config.sleeping
    );
    println!(
        "True battery: {} %; split reads seen by the chip: {}.",
        sim.borrow().battery().whole_percent(),
        sim.borrow().split_reads()
    );
    Ok(())
}
