//! Prints the bus traffic of each mcp23017 operation, counted on the simulator:
//! `cargo run -p mcp23017 --example bus_figures --features sim`.

use core::cell::RefCell;

use embedded_hal::digital::{InputPin, StatefulOutputPin};
use mcp23017::sim::{CountingBus, Mcp23017Sim, Traffic};
use mcp23017::{Address, Config, HardwareAddress, InterruptTrigger, Mcp23017, PinId, Pins};

type Result = core::result::Result<(), Box<dyn std::error::Error>>;
type Driver = mcp23017::Mcp23017I2c<CountingBus<Mcp23017Sim>>;

/// The traffic counted so far, and a fresh count.
fn take<B>(bus: &mut CountingBus<B>) -> Traffic {
    let traffic = bus.traffic();
    bus.reset_traffic();
    traffic
}

/// One row: what was counted, and the protocol minimum (transactions / bytes written / bytes read).
fn line(name: &str, t: Traffic, minimum: (u32, u32, u32)) {
    let (transactions, written, read) = minimum;
    let above = if (t.transactions, t.written, t.read) == minimum {
        ""
    } else {
        " (above)"
    };
    println!(
        "| {name} | {} | {} | {} | {transactions} / {written} / {read}{above} |",
        t.transactions, t.written, t.read
    );
}

fn row(mcp: &mut Driver, name: &str, minimum: (u32, u32, u32)) {
    let t = take(mcp.bus_mut());
    line(name, t, minimum);
}

fn fresh() -> Driver {
    Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT)
}

fn main() -> Result {
    println!("| operation (MCP23017, I2C) | transactions | bytes written | bytes read | minimum |");
    println!("|---|---|---|---|---|");
    let startup = Pins::from_bits_retain(0x7F00);
    let mut powered_on = fresh();
    powered_on.assume_power_on_state();
    powered_on.set_pull_ups(startup)?;
    powered_on.set_directions(startup)?;
    row(
        &mut powered_on,
        "start-up from power-on: `assume_power_on_state`, port A out, GPB0..6 in with pull-ups (`set_pull_ups`, `set_directions`)",
        (2, 6, 0),
    );
    let mut cold = fresh();
    cold.set_pull_ups(startup)?;
    cold.set_directions(startup)?;
    row(
        &mut cold,
        "the same start-up from a cold cache (0x05 and IOCON read first)",
        (2, 6, 0),
    );
    let mut mcp = fresh();
    mcp.init(Config::default())?;
    row(
        &mut mcp,
        "`init` from any state (IOCON at 0x05, IOCON pair, 0x00..0x15, status)",
        (4, 29, 6),
    );
    let mut cold: Driver = Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
    cold.toggle_pin(PinId::A0)?;
    row(
        &mut cold,
        "toggle one pin on a cold driver, chip in the BANK = 0 map (0x05, IOCON, OLAT, then the write)",
        (1, 2, 0),
    );
    mcp.set_pull_ups(Pins::from_bits_retain(0x7F00))?;
    mcp.set_directions(Pins::from_bits_retain(0x7F00))?;
    row(
        &mut mcp,
        "port A and GPB7 outputs, GPB0..6 inputs with pull-ups (`set_pull_ups`, `set_directions`)",
        (2, 6, 0),
    );
    mcp.toggle_pin(PinId::A0)?;
    row(
        &mut mcp,
        "toggle one pin (`toggle_pin`, from the cached OLAT)",
        (1, 2, 0),
    );
    mcp.write_outputs(Pins::from_bits_retain(0x00AA))?;
    row(&mut mcp, "all 16 latches (`write_outputs`)", (1, 3, 0));
    mcp.write_port(mcp23017::Port::A, 0x55)?;
    row(&mut mcp, "one port's latch (`write_port`)", (1, 2, 0));
    mcp.read_levels()?;
    row(&mut mcp, "read both ports (`read_levels`, interrupts off)", (1, 1, 2));
    mcp.read_port(mcp23017::Port::B)?;
    row(&mut mcp, "read one port (`read_port`, interrupts off)", (1, 1, 1));
    mcp.set_interrupt(Pins::from_bits_retain(0x0F00), Some(InterruptTrigger::AnyEdge))?;
    row(&mut mcp, "interrupt on change for 4 pins (`set_interrupt`)", (1, 2, 0));
    mcp.set_interrupt(Pins::from(PinId::B4), Some(InterruptTrigger::WhileLow))?;
    row(
        &mut mcp,
        "a DEFVAL-compare interrupt (DEFVAL+INTCON burst, then GPINTEN)",
        (2, 6, 0),
    );
    mcp.bus_mut().inner_mut().drive(PinId::B0, false);
    mcp.interrupt_status()?;
    row(
        &mut mcp,
        "service an interrupt (`interrupt_status`: INTF alone, then INTF, INTCAP, GPIO in one burst)",
        (1, 1, 6),
    );
    mcp.read_levels()?;
    row(
        &mut mcp,
        "read both ports with interrupts on (the same service, status kept)",
        (1, 1, 6),
    );
    mcp.set_as_outputs(Pins::from(PinId::A1), Pins::from(PinId::A1))?;
    row(
        &mut mcp,
        "one pin to output high, glitch-free (latch, then direction)",
        (2, 4, 0),
    );
    mcp.resync()?;
    row(
        &mut mcp,
        "`resync` the cache (map and IOCON, IODIR..GPPU, OLAT)",
        (4, 4, 18),
    );

    let shared = RefCell::new(mcp);
    let pins = mcp23017::split(&shared);
    let mut led = pins.a2.into_output_low()?;
    take(shared.borrow_mut().bus_mut());
    led.toggle()?;
    let t = take(shared.borrow_mut().bus_mut());
    line("toggle through a pin object", t, (1, 2, 0));
    let mut button = pins.b1.into_pull_up_input()?;
    take(shared.borrow_mut().bus_mut());
    button.is_high()?;
    let t = take(shared.borrow_mut().bus_mut());
    line("read through a pin object (interrupts on)", t, (1, 1, 6));

    let mut spi = Mcp23017::new_spi(
        CountingBus::new(Mcp23017Sim::new_spi(HardwareAddress::default())),
        HardwareAddress::default(),
    );
    spi.init(Config::default())?;
    take(spi.bus_mut());
    spi.toggle_pin(PinId::A0)?;
    let t = take(spi.bus_mut());
    line("MCP23S17: toggle one pin (opcode counted)", t, (1, 3, 0));
    spi.read_levels()?;
    let t = take(spi.bus_mut());
    line("MCP23S17: read both ports (opcode counted)", t, (1, 2, 2));
    Ok(())
}
