//! Every public operation of `mcp23017`.

use crate::opaque::{any, I2c, Spi};
use mcp23017::part::{Part, TwoPorts};
use mcp23017::{
    Address, Config, HardwareAddress, IntOutput, Interface, InterruptClear, InterruptStatus, InterruptTrigger,
    Mcp23017, PinId, PinMode, Pins, Port,
};

fn address() -> Address {
    Address::raw(any(0x20))
        .or_else(|_| Address::try_from(any(0x21)))
        .unwrap_or(Address::DEFAULT)
}

fn hardware_address() -> HardwareAddress {
    HardwareAddress::raw(any(0))
        .or_else(|_| HardwareAddress::try_from(any(1)))
        .unwrap_or_default()
}

fn pin() -> PinId {
    PinId::new(any(3)).unwrap_or(PinId::A0)
}

fn pins() -> Pins {
    Pins::from_bits_truncate(any(0x00FF))
}

fn port() -> Port {
    if any(false) {
        Port::B
    } else {
        Port::A
    }
}

fn int_output() -> IntOutput {
    match any(0u8) {
        0 => IntOutput::ActiveLow,
        1 => IntOutput::ActiveHigh,
        _ => IntOutput::OpenDrain,
    }
}

fn config() -> Config {
    Config {
        mirror_interrupts: any(false),
        int_output: int_output(),
        sequential: any(true),
        slew_rate_control: any(true),
        hardware_addressing: any(false),
    }
}

fn mode() -> PinMode {
    match any(0u8) {
        0 => PinMode::Input,
        1 => PinMode::InputPullUp,
        _ => PinMode::Output { high: any(false) },
    }
}

fn trigger() -> Option<InterruptTrigger> {
    match any(0u8) {
        0 => Some(InterruptTrigger::RisingEdge),
        1 => Some(InterruptTrigger::FallingEdge),
        2 => Some(InterruptTrigger::AnyEdge),
        3 => Some(InterruptTrigger::WhileHigh),
        4 => Some(InterruptTrigger::WhileLow),
        _ => None,
    }
}

fn pure() {
    use mcp23017::register as reg;
    let _ = any(reg::address(any(0), any(0), any(false)));
    let _ = any(reg::spi_opcode(any(0), any(false)));
    let _ = any(reg::encode_pair(any(0)));
    let _ = any(reg::decode_pair(any([0; 2])));
    let _ = any(Address::from_pins(any(false), any(false), any(false)).get());
    let _ = any(Address::from_mcp23018_addr_voltage(any(1031), any(3300)));
    let _ = any(address().mcp23018_addr_millivolts(any(3300)));
    let _ = any(HardwareAddress::from_pins(any(false), any(false), any(false)).get());
    let _ = any(Config::decode(any(0)).encode());
    let _ = any(int_output().active_high());
    let p = pin();
    let _ = any((p.index(), p.port(), p.mask(), p.is_output_only_on_mcp23017()));
    let _ = any(port().index());
    let _ = any(port().pins());
    let set = pins();
    let _ = any(Pins::from_port(port(), any(0)).port(port()));
    let _ = any((
        set.contains_pin(p),
        set.contains(pins()),
        set.with(p, any(true)),
        set.is_empty(),
        set | pins(),
        set & pins(),
        !set,
    ));
    let mut iter = set.pin_ids();
    let _ = any((iter.next(), iter.last()));
    let mut flags = set.iter();
    let _ = any((flags.next(), flags.last()));
    let mut status = InterruptStatus::default();
    status.flagged = pins();
    let _ = any(status.merge(any(status)).is_pending());
}

fn interrupt_clear() -> InterruptClear {
    if any(false) {
        InterruptClear::ReadingIntcap
    } else {
        InterruptClear::ReadingGpio
    }
}

fn two_ports<IF: Interface, P: TwoPorts>(d: &mut Mcp23017<IF, P>)
where
    IF::Error: core::fmt::Debug,
{
    driver(d);
    let _ = any(d.set_int_mirror(any(true)));
    let _ = any(d.set_port_directions(port(), any(0)));
    let _ = any(d.set_port_pull_ups(port(), any(0)));
    let _ = any(d.set_port_input_polarity(port(), any(0)));
    let _ = any(d.write_port(port(), any(0)));
    let _ = any(d.read_port(port()));
}

fn driver<IF: Interface, P: Part>(d: &mut Mcp23017<IF, P>)
where
    IF::Error: core::fmt::Debug,
{
    let _ = any(d.init(config()));
    d.assume_power_on_state();
    let _ = any(d.resync());
    d.invalidate_cache();
    d.allow_gpx7_inputs(any(false));
    let _ = any(d.config());
    let _ = any(d.set_config(config()));
    let _ = any(d.set_int_output(int_output()));
    let _ = any(d.set_directions(pins()));
    let _ = any(d.set_pull_ups(pins()));
    let _ = any(d.set_input_polarity(pins()));
    let _ = any(d.write_outputs(pins()));
    let _ = any(d.set_high(pins()));
    let _ = any(d.set_low(pins()));
    let _ = any(d.toggle(pins()));
    let _ = any(d.set_as_outputs(pins(), pins()));
    let _ = any(d.set_as_inputs(pins(), pins()));
    let _ = any(d.read_levels());
    let _ = any(d.read_outputs());
    let _ = any(d.outputs());
    let _ = any(d.directions());
    let _ = any(d.pull_ups());
    let _ = any(d.input_polarity());
    let _ = any(d.set_pin_mode(pin(), mode()));
    let _ = any(d.set_pin(pin(), any(true)));
    let _ = any(d.toggle_pin(pin()));
    let _ = any(d.pin_is_high(pin()));
    let _ = any(d.pin_is_set_high(pin()));
    let _ = any(d.set_interrupt_enable(pins()));
    let _ = any(d.set_interrupt_compare(pins()));
    let _ = any(d.set_default_levels(pins()));
    let _ = any(d.set_interrupt(pins(), trigger()));
    let _ = any(d.interrupt_flags());
    let _ = any(d.interrupt_status());
    let _ = any(d.pending_status());
    let _ = any(d.has_news());
    let _ = any(d.int_active_high());
}

/// The blocking driver on I2C and SPI, the pin objects, and the pure helpers.
pub fn exercise() {
    use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
    pure();

    let mut d = Mcp23017::new(I2c, address());
    let _ = any(d.address());
    two_ports(&mut d);
    let _ = any(d.bus_mut());

    let shared = core::cell::RefCell::new(d);
    let parts = mcp23017::split(&shared);
    if let Ok(mut input) = parts.b0.into_input() {
        let _ = any(input.is_high());
        let _ = any(input.is_low());
        let _ = any(input.id());
    }
    if let Ok(mut input) = parts.b1.into_pull_up_input() {
        let _ = any(input.is_high());
        let _ = any(input.is_low());
    }
    if let Ok(mut output) = parts.a0.into_output(any(false)) {
        let _ = any(output.set_high());
        let _ = any(output.set_low());
        let _ = any(output.toggle());
        let _ = any(output.is_set_high());
        let _ = any(output.is_set_low());
    }
    let _ = any(parts.a1.into_output_high().is_ok());
    let _ = any(parts.a2.into_output_low().is_ok());

    let shared = critical_section::Mutex::new(core::cell::RefCell::new(shared.into_inner()));
    let parts = mcp23017::split(&shared);
    if let Ok(mut output) = parts.a3.into_output_low() {
        let _ = any(output.set_high());
    }
    let _ = any(shared.into_inner().into_inner().release());

    let mut d = Mcp23017::new_spi(Spi, hardware_address());
    let _ = any(d.hardware_address());
    two_ports(&mut d);
    let _ = any(d.bus_mut());
    let _ = any(d.release());
    let _ = any(Mcp23017::with_interface(any(0u8)).release_interface());

    // the MCP23018 / MCP23S18
    let mut d = Mcp23017::new_mcp23018(I2c, address());
    two_ports(&mut d);
    let _ = any(d.set_open_drain_output(pin(), any(true), any(false)));
    let _ = any(d.set_interrupt_clear(interrupt_clear()));
    let _ = any(d.interrupt_clear());
    let shared = core::cell::RefCell::new(d);
    let parts = mcp23017::split(&shared);
    if let Ok(mut output) = parts.a0.into_open_drain_output(any(true)) {
        let _ = any(output.set_high());
        let _ = any(output.set_low());
        let _ = any(output.toggle());
        let _ = any(output.is_set_high());
        let _ = any(output.is_set_low());
    }
    let _ = any(parts.a1.into_open_drain_output_pull_up(any(false)).is_ok());
    let _ = any(shared.into_inner().release());
    let mut d = Mcp23017::new_mcp23s18(Spi);
    two_ports(&mut d);
    let _ = any(d.set_open_drain_output(pin(), any(true), any(true)));
    let _ = any(d.set_interrupt_clear(interrupt_clear()));
    let _ = any(d.release());

    // the MCP23008 / MCP23S08
    let mut d = Mcp23017::new_mcp23008(I2c, address());
    driver(&mut d);
    let shared = core::cell::RefCell::new(d);
    let parts = mcp23017::split_mcp23008(&shared);
    if let Ok(mut output) = parts.gp0.into_output(any(false)) {
        let _ = any(output.set_high());
        let _ = any(output.toggle());
    }
    if let Ok(mut input) = parts.gp1.into_pull_up_input() {
        let _ = any(input.is_high());
    }
    let _ = any(shared.into_inner().release());
    if let Ok(mut d) = Mcp23017::new_mcp23s08(Spi, hardware_address()) {
        driver(&mut d);
        let _ = any(d.release());
    }
}

/// The async driver: each operation polled once (the opaque bus never waits).
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::poll_once;
    use embedded_hal_async::digital::Wait;
    use mcp23017::{AsyncInterface, Mcp23017Async};

    fn two_ports<IF: AsyncInterface, P: TwoPorts>(d: &mut Mcp23017Async<IF, P>)
    where
        IF::Error: core::fmt::Debug,
    {
        driver(d);
        poll_once(d.set_int_mirror(any(true)));
        poll_once(d.set_port_directions(port(), any(0)));
        poll_once(d.set_port_pull_ups(port(), any(0)));
        poll_once(d.set_port_input_polarity(port(), any(0)));
        poll_once(d.write_port(port(), any(0)));
        poll_once(d.read_port(port()));
    }

    fn driver<IF: AsyncInterface, P: Part>(d: &mut Mcp23017Async<IF, P>)
    where
        IF::Error: core::fmt::Debug,
    {
        poll_once(d.init(config()));
        poll_once(d.resync());
        d.invalidate_cache();
        d.allow_gpx7_inputs(any(false));
        poll_once(d.config());
        poll_once(d.set_config(config()));
        poll_once(d.set_int_output(int_output()));
        poll_once(d.set_directions(pins()));
        poll_once(d.set_pull_ups(pins()));
        poll_once(d.set_input_polarity(pins()));
        poll_once(d.write_outputs(pins()));
        poll_once(d.set_high(pins()));
        poll_once(d.set_low(pins()));
        poll_once(d.toggle(pins()));
        poll_once(d.set_as_outputs(pins(), pins()));
        poll_once(d.set_as_inputs(pins(), pins()));
        poll_once(d.read_levels());
        poll_once(d.read_outputs());
        poll_once(d.outputs());
        poll_once(d.directions());
        poll_once(d.pull_ups());
        poll_once(d.input_polarity());
        poll_once(d.set_pin_mode(pin(), mode()));
        poll_once(d.set_pin(pin(), any(true)));
        poll_once(d.toggle_pin(pin()));
        poll_once(d.pin_is_high(pin()));
        poll_once(d.pin_is_set_high(pin()));
        poll_once(d.set_interrupt_enable(pins()));
        poll_once(d.set_interrupt_compare(pins()));
        poll_once(d.set_default_levels(pins()));
        poll_once(d.set_interrupt(pins(), trigger()));
        poll_once(d.interrupt_flags());
        poll_once(d.interrupt_status());
        let _ = any(d.pending_status());
        let _ = any(d.has_news());
        let _ = any(d.int_active_high());
        let mut int = crate::opaque::Pin;
        poll_once(d.wait_for_interrupt(&mut int));
        let timeout = fugit::MicrosDurationU32::micros(any(100_000));
        let mut wait = d.wait_pin(&mut int, pin()).with_timeout(timeout);
        poll_once(wait.wait_for_high());
        poll_once(wait.wait_for_low());
        poll_once(wait.wait_for_rising_edge());
        poll_once(wait.wait_for_falling_edge());
        poll_once(wait.wait_for_any_edge());
    }

    let mut d = Mcp23017Async::new(I2c, address());
    two_ports(&mut d);
    let _ = any(d.release());
    let mut d = Mcp23017Async::new_spi(Spi, hardware_address());
    two_ports(&mut d);
    let _ = any(d.release());
    let mut d = Mcp23017Async::new_mcp23018(I2c, address());
    two_ports(&mut d);
    poll_once(d.set_open_drain_output(pin(), any(true), any(false)));
    poll_once(d.set_interrupt_clear(interrupt_clear()));
    poll_once(d.interrupt_clear());
    let _ = any(d.release());
    let mut d = Mcp23017Async::new_mcp23s18(Spi);
    two_ports(&mut d);
    let _ = any(d.release());
    let mut d = Mcp23017Async::new_mcp23008(I2c, address());
    driver(&mut d);
    let _ = any(d.release());
    if let Ok(mut d) = Mcp23017Async::new_mcp23s08(Spi, hardware_address()) {
        driver(&mut d);
        let _ = any(d.release());
    }
}
