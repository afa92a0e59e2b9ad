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

fn row(mcp: &mut Driver, name: &str) {
    let t = take(mcp.bus_mut());
    println!("| {name} | {} | {} | {} |", t.transactions, t.written, t.read);
}

fn main() -> Result {
    let mut mcp: Driver = Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
    println!("| operation (MCP23017, I2C) | transactions | bytes written | bytes read |");
    println!("|---|---|---|---|");
    mcp.init(Config::default())?;
    row(
        &mut mcp,
        "`init` from any state (IOCON at 0x05, IOCON pair, 0x00..0x15, status)",
    );
    let mut cold: Driver = Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
    cold.toggle_pin(PinId::A0)?;
    row(
        &mut cold,
        "toggle one pin on a cold driver, chip in the BANK = 0 map (0x05, IOCON, OLAT, then the write)",
    );
    mcp.set_pull_ups(Pins::from_bits_retain(0x7F00))?;
    mcp.set_directions(Pins::from_bits_retain(0x7F00))?;
    row(
        &mut mcp,
        "port A and GPB7 outputs, GPB0..6 inputs with pull-ups (`set_pull_ups`, `set_directions`)",
    );
    mcp.toggle_pin(PinId::A0)?;
    row(&mut mcp, "toggle one pin (`toggle_pin`, from the cached OLAT)");
    mcp.write_outputs(Pins::from_bits_retain(0x00AA))?;
    row(&mut mcp, "all 16 latches (`write_outputs`)");
    mcp.write_port(mcp23017::Port::A, 0x55)?;
    row(&mut mcp, "one port's latch (`write_port`)");
    mcp.read_levels()?;
    row(&mut mcp, "read both ports (`read_levels`, interrupts off)");
    mcp.set_interrupt(Pins::from_bits_retain(0x0F00), Some(InterruptTrigger::AnyEdge))?;
    row(&mut mcp, "interrupt on change for 4 pins (`set_interrupt`)");
    mcp.set_interrupt(Pins::from(PinId::B4), Some(InterruptTrigger::WhileLow))?;
    row(
        &mut mcp,
        "a DEFVAL-compare interrupt (DEFVAL+INTCON burst, then GPINTEN)",
    );
    mcp.bus_mut().inner_mut().drive(PinId::B0, false);
    mcp.interrupt_status()?;
    row(
        &mut mcp,
        "service an interrupt (`interrupt_status`: INTF alone, then INTF, INTCAP, GPIO in one burst)",
    );
    mcp.read_levels()?;
    row(
        &mut mcp,
        "read both ports with interrupts on (the same service, status kept)",
    );
    mcp.set_as_outputs(Pins::from(PinId::A1), Pins::from(PinId::A1))?;
    row(&mut mcp, "one pin to output high, glitch-free (latch, then direction)");
    mcp.resync()?;
    row(&mut mcp, "`resync` the cache (map and IOCON, IODIR..GPPU, OLAT)");

    let shared = RefCell::new(mcp);
    let pins = mcp23017::split(&shared);
    let mut led = pins.a2.into_output_low()?;
    take(shared.borrow_mut().bus_mut());
    led.toggle()?;
    let t = take(shared.borrow_mut().bus_mut());
    println!(
        "| toggle through a pin object | {} | {} | {} |",
        t.transactions, t.written, t.read
    );
    let mut button = pins.b1.into_pull_up_input()?;
    take(shared.borrow_mut().bus_mut());
    button.is_high()?;
    let t = take(shared.borrow_mut().bus_mut());
    println!(
        "| read through a pin object (interrupts on) | {} | {} | {} |",
        t.transactions, t.written, t.read
    );

    let mut spi = Mcp23017::new_spi(
        CountingBus::new(Mcp23017Sim::new_spi(HardwareAddress::default())),
        HardwareAddress::default(),
    );
    spi.init(Config::default())?;
    take(spi.bus_mut());
    spi.toggle_pin(PinId::A0)?;
    let t = take(spi.bus_mut());
    println!(
        "| MCP23S17: toggle one pin (opcode counted) | {} | {} | {} |",
        t.transactions, t.written, t.read
    );
    spi.read_levels()?;
    let t = take(spi.bus_mut());
    println!(
        "| MCP23S17: read both ports (opcode counted) | {} | {} | {} |",
        t.transactions, t.written, t.read
    );
    Ok(())
}
