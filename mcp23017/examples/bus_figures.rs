//! Prints the bus traffic of each mcp23017 operation, counted on the simulator:
//! `cargo run -p mcp23017 --example bus_figures --features sim`.

use core::cell::RefCell;

use embedded_hal::digital::{InputPin, StatefulOutputPin};
use mcp23017::sim::{CountingBus, Mcp23017Sim};
use mcp23017::{Address, Config, HardwareAddress, InterruptTrigger, Mcp23017, PinId, Pins};

type Result = core::result::Result<(), Box<dyn std::error::Error>>;
type Driver = Mcp23017<mcp23017::I2cInterface<CountingBus<Mcp23017Sim>>>;

fn row(mcp: &mut Driver, name: &str) {
    let t = mcp.bus_mut().take();
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
    mcp.set_pull_ups(Pins(0x7F00))?;
    mcp.set_directions(Pins(0x7F00))?;
    row(
        &mut mcp,
        "port A and GPB7 outputs, GPB0..6 inputs with pull-ups (`set_pull_ups`, `set_directions`)",
    );
    mcp.toggle_pin(PinId::A0)?;
    row(&mut mcp, "toggle one pin (`toggle_pin`, from the cached OLAT)");
    mcp.write_outputs(Pins(0x00AA))?;
    row(&mut mcp, "all 16 latches (`write_outputs`)");
    mcp.write_port(mcp23017::Port::A, 0x55)?;
    row(&mut mcp, "one port's latch (`write_port`)");
    mcp.read_levels()?;
    row(&mut mcp, "read both ports (`read_levels`, interrupts off)");
    mcp.set_interrupt(Pins(0x0F00), Some(InterruptTrigger::AnyEdge))?;
    row(&mut mcp, "interrupt on change for 4 pins (`set_interrupt`)");
    mcp.set_interrupt(Pins::from(PinId::B4), Some(InterruptTrigger::WhileLow))?;
    row(
        &mut mcp,
        "a DEFVAL-compare interrupt (DEFVAL+INTCON burst, then GPINTEN)",
    );
    mcp.bus_mut().bus.drive(PinId::B0, false);
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
    shared.borrow_mut().bus_mut().take();
    led.toggle()?;
    let t = shared.borrow_mut().bus_mut().take();
    println!(
        "| toggle through a pin object | {} | {} | {} |",
        t.transactions, t.written, t.read
    );
    let mut button = pins.b1.into_pull_up_input()?;
    shared.borrow_mut().bus_mut().take();
    button.is_high()?;
    let t = shared.borrow_mut().bus_mut().take();
    println!(
        "| read through a pin object (interrupts on) | {} | {} | {} |",
        t.transactions, t.written, t.read
    );

    let mut spi = Mcp23017::new_spi(
        CountingBus::new(Mcp23017Sim::new_spi(HardwareAddress::default())),
        HardwareAddress::default(),
    );
    spi.init(Config::default())?;
    spi.bus_mut().take();
    spi.toggle_pin(PinId::A0)?;
    let t = spi.bus_mut().take();
    println!(
        "| MCP23S17: toggle one pin (opcode counted) | {} | {} | {} |",
        t.transactions, t.written, t.read
    );
    spi.read_levels()?;
    let t = spi.bus_mut().take();
    println!(
        "| MCP23S17: read both ports (opcode counted) | {} | {} | {} |",
        t.transactions, t.written, t.read
    );
    Ok(())
}
