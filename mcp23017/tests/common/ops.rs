//! Every public operation of the driver as data, for the fault and property tests: `apply` runs one through
//! either driver (the same body, `blocking::apply` and `asynch::apply`).

use mcp23017::{Config, IntOutput, InterruptTrigger, PinId, PinMode, Pins, Port};

/// One public operation (or, for `Foreign`, another firmware changing the chip, after which the driver is told
/// with `invalidate_cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Init(Config),
    SetConfig(Config),
    SetIntOutput(IntOutput),
    SetIntMirror(bool),
    SetDirections(u16),
    SetPortDirections(Port, u8),
    SetPullUps(u16),
    SetPortPullUps(Port, u8),
    SetInputPolarity(u16),
    SetPortInputPolarity(Port, u8),
    WriteOutputs(u16),
    WritePort(Port, u8),
    SetHigh(u16),
    SetLow(u16),
    Toggle(u16),
    SetAsOutputs(u16, u16),
    SetAsInputs(u16, u16),
    SetPinMode(PinId, PinMode),
    SetPin(PinId, bool),
    SetInterrupt(u16, Option<InterruptTrigger>),
    SetInterruptEnable(u16),
    SetInterruptCompare(u16),
    SetDefaultLevels(u16),
    InterruptStatus,
    InterruptFlags,
    ReadLevels,
    ReadOutputs,
    Outputs,
    Directions,
    ReadConfig,
    Resync,
    /// Another firmware left IOCON = the byte and IODIR/OLAT as given; the driver forgets its cache.
    Foreign(u8, u16, u16),
}

/// The fault-free twin of each operation the tests need, as a list covering every write of the driver.
pub fn every_write() -> Vec<Op> {
    let edge = Some(InterruptTrigger::AnyEdge);
    let level = Some(InterruptTrigger::WhileLow);
    vec![
        Op::SetConfig(Config {
            mirror_interrupts: true,
            int_output: IntOutput::OpenDrain,
            ..Config::default()
        }),
        Op::SetIntOutput(IntOutput::ActiveHigh),
        Op::SetIntMirror(true),
        Op::SetDirections(0x7F0F),
        Op::SetPortDirections(Port::B, 0x0F),
        Op::SetPullUps(0x0F0F),
        Op::SetPortPullUps(Port::A, 0x33),
        Op::SetInputPolarity(0x0101),
        Op::SetPortInputPolarity(Port::B, 0x02),
        Op::WriteOutputs(0xA55A),
        Op::WritePort(Port::B, 0xC3),
        Op::SetHigh(0x8001),
        Op::SetLow(0x0001),
        Op::Toggle(0x00F0),
        Op::SetAsOutputs(0x00FF, 0x0055),
        Op::SetAsInputs(0x0F00, 0x0300),
        Op::SetPinMode(PinId::A3, PinMode::Output { high: true }),
        Op::SetPinMode(PinId::B2, PinMode::InputPullUp),
        Op::SetPin(PinId::B7, true),
        Op::SetInterrupt(0x0300, edge),
        Op::SetInterrupt(0x0400, level),
        Op::SetInterrupt(0x0100, None),
        Op::SetInterruptEnable(0x0F00),
        Op::SetInterruptCompare(0x0100),
        Op::SetDefaultLevels(0x0101),
        Op::Init(Config {
            sequential: false,
            ..Config::default()
        }),
        Op::Init(Config::default()),
        Op::Resync,
    ]
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        Interface(sync = "Interface", async = "AsyncInterface")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
pub mod run {
    use super::Op;
    use mcp23017::{Error, Interface, Mcp23017, Pins};

    /// Runs `op` (`Foreign` included: `poke` is the sim's side of it, called by the caller before).
    pub async fn apply<IF: Interface>(mcp: &mut Mcp23017<IF>, op: Op) -> Result<(), Error<IF::Error>> {
        match op {
            Op::Init(config) => mcp.init(config).await,
            Op::SetConfig(config) => mcp.set_config(config).await,
            Op::SetIntOutput(output) => mcp.set_int_output(output).await,
            Op::SetIntMirror(mirror) => mcp.set_int_mirror(mirror).await,
            Op::SetDirections(pins) => mcp.set_directions(Pins::from_bits_retain(pins)).await,
            Op::SetPortDirections(port, byte) => mcp.set_port_directions(port, byte).await,
            Op::SetPullUps(pins) => mcp.set_pull_ups(Pins::from_bits_retain(pins)).await,
            Op::SetPortPullUps(port, byte) => mcp.set_port_pull_ups(port, byte).await,
            Op::SetInputPolarity(pins) => mcp.set_input_polarity(Pins::from_bits_retain(pins)).await,
            Op::SetPortInputPolarity(port, byte) => mcp.set_port_input_polarity(port, byte).await,
            Op::WriteOutputs(pins) => mcp.write_outputs(Pins::from_bits_retain(pins)).await,
            Op::WritePort(port, byte) => mcp.write_port(port, byte).await,
            Op::SetHigh(pins) => mcp.set_high(Pins::from_bits_retain(pins)).await,
            Op::SetLow(pins) => mcp.set_low(Pins::from_bits_retain(pins)).await,
            Op::Toggle(pins) => mcp.toggle(Pins::from_bits_retain(pins)).await,
            Op::SetAsOutputs(pins, levels) => {
                mcp.set_as_outputs(Pins::from_bits_retain(pins), Pins::from_bits_retain(levels))
                    .await
            }
            Op::SetAsInputs(pins, pull_ups) => {
                mcp.set_as_inputs(Pins::from_bits_retain(pins), Pins::from_bits_retain(pull_ups))
                    .await
            }
            Op::SetPinMode(pin, mode) => mcp.set_pin_mode(pin, mode).await,
            Op::SetPin(pin, high) => mcp.set_pin(pin, high).await,
            Op::SetInterrupt(pins, trigger) => mcp.set_interrupt(Pins::from_bits_retain(pins), trigger).await,
            Op::SetInterruptEnable(pins) => mcp.set_interrupt_enable(Pins::from_bits_retain(pins)).await,
            Op::SetInterruptCompare(pins) => mcp.set_interrupt_compare(Pins::from_bits_retain(pins)).await,
            Op::SetDefaultLevels(pins) => mcp.set_default_levels(Pins::from_bits_retain(pins)).await,
            Op::InterruptStatus => mcp.interrupt_status().await.map(|_| ()),
            Op::InterruptFlags => mcp.interrupt_flags().await.map(|_| ()),
            Op::ReadLevels => mcp.read_levels().await.map(|_| ()),
            Op::ReadOutputs => mcp.read_outputs().await.map(|_| ()),
            Op::Outputs => mcp.outputs().await.map(|_| ()),
            Op::Directions => mcp.directions().await.map(|_| ()),
            Op::ReadConfig => mcp.config().await.map(|_| ()),
            Op::Resync => mcp.resync().await,
            Op::Foreign(..) => {
                mcp.invalidate_cache();
                Ok(())
            }
        }
    }
}
