//! The MCP23017 chapter: LEDs on port A, buttons with interrupts on port B, on a simulated chip that an earlier
//! firmware left in the BANK = 1 map.

use core::cell::RefCell;

use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
use mcp23017::sim::{CountingBus, Mcp23017Sim, Traffic};
use mcp23017::{Address, Config, IntOutput, InterruptTrigger, Mcp23017, PinId, Pins, Port};

type Result = core::result::Result<(), mcp23017::Error<embedded_hal::i2c::ErrorKind>>;

/// Buttons on GPB0..3.
const BUTTONS: Pins = Pins::B0.union(Pins::B1).union(Pins::B2).union(Pins::B3);

/// The traffic counted so far, and a fresh count.
fn take<B>(bus: &mut CountingBus<B>) -> Traffic {
    let traffic = bus.traffic();
    bus.reset_traffic();
    traffic
}

fn names(pins: Pins) -> String {
    let list: Vec<String> = pins.pin_ids().map(|pin| format!("{pin:?}")).collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("  the chapter stopped: {e}");
    }
}

fn run() -> Result {
    let mut chip = Mcp23017Sim::new(Address::DEFAULT);
    chip.poke_iocon(0xA0);
    println!("  An MCP23017 at 0x20, left by an earlier firmware in BANK = 1, byte mode (IOCON = 0xA0).");

    let mut io = Mcp23017::new(CountingBus::new(chip), Address::DEFAULT);
    io.init(Config {
        mirror_interrupts: true,
        int_output: IntOutput::OpenDrain,
        ..Config::default()
    })?;
    let t = take(io.bus_mut());
    println!(
        "  init: {} transactions, {} bytes out, {} in; IOCON is now {:#04x} (BANK = 0, MIRROR, ODR).",
        t.transactions,
        t.written,
        t.read,
        io.bus_mut().inner_mut().iocon()
    );

    io.set_as_outputs(Pins::PORT_A, Pins::NONE)?;
    io.set_as_inputs(BUTTONS, BUTTONS)?;
    io.set_interrupt(BUTTONS, Some(InterruptTrigger::FallingEdge))?;
    take(io.bus_mut());
    println!("  LEDs on GPA0..7 (latches low before the directions), buttons with pull-ups on GPB0..3.");
    match io.set_pin_mode(PinId::B7, mcp23017::PinMode::InputPullUp) {
        Err(e) => println!("  GPB7 as a button is refused: {e}."),
        Ok(()) => println!("  (unexpected: GPB7 became an input)"),
    }

    let shared = RefCell::new(io);
    {
        let pins = mcp23017::split(&shared);
        let mut led = pins.a0.into_output_low()?;
        let mut button = pins.b1.into_pull_up_input()?;
        take(shared.borrow_mut().bus_mut());
        led.set_high()?;
        led.toggle()?;
        led.toggle()?;
        let t = take(shared.borrow_mut().bus_mut());
        println!(
            "  LED A0 through its OutputPin: on, off, on = {} writes of {} bytes; is_set_high = {} (from the cache).",
            t.transactions,
            t.written.checked_div(t.transactions).unwrap_or(0),
            led.is_set_high()?
        );
        println!("  Button B1 through its InputPin: pressed = {}.", button.is_low()?);
    }
    let mut io = shared.into_inner();

    io.bus_mut().inner_mut().drive(PinId::B2, false);
    io.bus_mut().inner_mut().drive(PinId::B2, true);
    io.bus_mut().inner_mut().drive(PinId::B0, false);
    println!(
        "  B2 tapped, then B0 pressed: INTA (open-drain, mirrored) is {:?}.",
        io.bus_mut().inner_mut().int_level(Port::A)
    );
    take(io.bus_mut());
    let status = io.interrupt_status()?;
    let t = take(io.bus_mut());
    println!(
        "  INTF alone, then one burst ({} write-reads, {} bytes in): flagged {}, captured B = {:#04x}, now B = {:#04x}.",
        t.transactions,
        t.read,
        names(status.flagged),
        status.captured.port(Port::B),
        status.levels.port(Port::B)
    );
    println!(
        "  Edges worked out: falling {}, rising {}; buttons pressed: {}.",
        names(status.falling),
        names(status.rising),
        names(status.triggered)
    );
    println!(
        "  INTA after the read: {:?} (released).",
        io.bus_mut().inner_mut().int_level(Port::A)
    );

    let chip = io.release().into_inner();
    println!("  What the chip holds now:");
    println!(
        "    IODIR = {:#06x}, GPPU = {:#06x}, OLAT = {:#06x}, GPINTEN = {:#06x}, pins = {:#06x}",
        chip.directions().bits(),
        chip.pull_ups().bits(),
        chip.output_latch().bits(),
        chip.interrupt_enable().bits(),
        chip.levels().bits()
    );
    mcp23018()
}

/// The MCP23018: the same driver with the part type, open-drain outputs, the address from a voltage on ADDR.
fn mcp23018() -> Result {
    let address = Address::from_mcp23018_addr_voltage(1031, 3300).unwrap_or_default();
    println!(
        "  An MCP23018 with ADDR at 1.031 V of 3.3 V answers {:#04x}; its outputs only sink (open-drain).",
        address.get()
    );
    let mut io = Mcp23017::new_mcp23018(Mcp23017Sim::mcp23018(address), address);
    io.init(Config::default())?;
    io.set_open_drain_output(PinId::A0, true, false)?;
    let alone = io.pin_is_high(PinId::A0)?;
    io.set_open_drain_output(PinId::A0, true, true)?;
    let pulled_up = io.pin_is_high(PinId::A0)?;
    io.set_pin(PinId::A0, false)?;
    println!(
        "  GPA0 released reads high = {alone} alone, {pulled_up} with its pull-up (on outputs too here); sinking: {}.",
        io.pin_is_high(PinId::A0)?
    );
    mcp23008()
}

/// The MCP23008: the same driver on 8 pins and its own register map, one byte per register.
fn mcp23008() -> Result {
    let mut io = Mcp23017::new_mcp23008(
        CountingBus::new(Mcp23017Sim::mcp23008(Address::DEFAULT)),
        Address::DEFAULT,
    );
    io.init(Config::default())?;
    let t = take(io.bus_mut());
    io.set_as_outputs(Pins::PORT_A, Pins::A0)?;
    let outputs = take(io.bus_mut());
    println!(
        "  An MCP23008: init is {} transactions, {} bytes out; GP0..7 as outputs, GP0 high: {} writes of {} bytes; GPB0 is {}.",
        t.transactions,
        t.written,
        outputs.transactions,
        outputs.written.checked_div(outputs.transactions).unwrap_or(0),
        match io.set_pin(PinId::B0, true) {
            Err(e) => format!("refused ({e})"),
            Ok(()) => "(unexpectedly) there".into(),
        }
    );
    Ok(())
}
