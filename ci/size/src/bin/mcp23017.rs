//! mcp23017 (I2C): configure port A as outputs and port B as inputs with pull-ups, write port A, read port B,
//! read the interrupt status.
#![no_std]
#![no_main]

use mcp23017::{Address, Config, I2cInterface, Mcp23017, Pins, Port};
use size::{keep, I2c};

type Driver = Mcp23017<I2cInterface<I2c>>;
size::bench!(Driver, workload);

fn workload() {
    let mut io: Driver = Mcp23017::new(I2c, Address::DEFAULT);
    keep(io.init(Config::default()));
    keep(io.set_as_outputs(Pins::PORT_A, Pins::NONE));
    // GPB0..GPB6: GPB7 is output-only on the MCP23017
    keep(io.set_as_inputs(Pins::from_bits_truncate(0x7F00), Pins::from_bits_truncate(0x7F00)));
    keep(io.write_port(Port::A, 0x55));
    keep(io.read_port(Port::B));
    keep(io.interrupt_status());
    keep(io);
}
