//! Prints the bus-traffic figures of the mcp25625 driver, measured on the simulator:
//! `cargo run -p mcp25625 --example bus_figures --features sim`.
#![allow(clippy::unwrap_used)]

use embedded_can::{ExtendedId, Frame as _, StandardId};
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::RateExtU32;
use mcp25625::sim::{CountingBus, Mcp25625Sim, Traffic};
use mcp25625::{
    Acceptance, BitTiming, Config, Filter, FilterNumber, Frame, Interrupts, Mask, MaskNumber, Mcp25625, Mode,
    ReceiveMethod,
};

type Can = Mcp25625<CountingBus<Mcp25625Sim>>;

/// The traffic since the last look, counted from zero again.
fn take(can: &mut Can) -> Traffic {
    let traffic = can.bus().traffic();
    can.bus_mut().reset_traffic();
    traffic
}

/// One row: the traffic since the last look, and the protocol minimum for the operation (frames, bytes).
fn row(what: &str, can: &mut Can, minimum: (u32, u32)) {
    let t = take(can);
    let min = format!("{} / {}", minimum.0, minimum.1);
    println!("| {what:<70} | {:>6} | {:>5} | {min:>7} |", t.frames, t.bytes);
}

fn main() {
    let mut can: Can = Mcp25625::new(CountingBus::new(Mcp25625Sim::new()));
    let config = Config::new(BitTiming::new(16.MHz(), 500.kHz()).unwrap());
    let delay = &mut NoopDelay;
    let frame = Frame::new(ExtendedId::new(0x1234_5678).unwrap(), &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
    let short = Frame::new(StandardId::new(0x123).unwrap(), &[0xAA, 0x55]).unwrap();
    let mut smallest = config.interrupts(Interrupts::empty()).acceptance(Acceptance::Filtered);
    smallest.rollover = false;

    println!("| Operation                                                              | Frames | Bytes | Minimum |");
    println!("|------------------------------------------------------------------------|-------:|------:|--------:|");
    // start-up from power-on: the driver is told, nothing is read
    can.assume_power_on_state();
    can.configure(&config, delay).unwrap();
    row(
        "start-up from power-on: assume_power_on_state + configure, Config::new",
        &mut can,
        (4, 15),
    );
    let mut can: Can = Mcp25625::new(CountingBus::new(Mcp25625Sim::new()));
    can.assume_power_on_state();
    can.configure(&smallest, delay).unwrap();
    row(
        "the same, smallest config (no interrupts, filtered, no rollover)",
        &mut can,
        (3, 11),
    );
    // start-up from an unknown state
    let mut can: Can = Mcp25625::new(CountingBus::new(Mcp25625Sim::new()));
    can.init(&config, delay).unwrap();
    row(
        "init (RESET, detection), 500 kbit/s at 16 MHz, into normal mode",
        &mut can,
        (5, 16),
    );
    let sim = can.release().into_inner();
    let mut can: Can = Mcp25625::new(CountingBus::new(sim));
    can.configure(&config, delay).unwrap();
    row("configure from a cold cache, chip in normal mode", &mut can, (7, 25));
    can.init(&config.mode(Mode::Configuration), delay).unwrap();
    row("init, configuration mode, CLKOUT off", &mut can, (5, 16));
    can.set_mask(MaskNumber::M0, Mask::standard(0x7FF)).unwrap();
    row("set_mask", &mut can, (1, 6));
    can.set_filter(FilterNumber::F0, Filter::standard(0x123)).unwrap();
    row("set_filter", &mut can, (1, 6));
    can.set_mode(Mode::Loopback, delay).unwrap();
    row("set_mode (request + one CANSTAT read)", &mut can, (2, 6));
    can.send(&frame).unwrap();
    row(
        "send an 8-byte extended frame (status, LOAD TX BUFFER, RTS)",
        &mut can,
        (3, 17),
    );
    can.try_receive().unwrap().unwrap();
    row("receive it (status, READ, clear RX0IF, status)", &mut can, (2, 16));
    can.send(&frame).unwrap();
    row(
        "send it again: same ID and length, only the data is loaded",
        &mut can,
        (3, 12),
    );
    can.try_receive().unwrap().unwrap();
    take(&mut can);
    can.send(&short).unwrap();
    row("send a 2-byte standard frame", &mut can, (3, 11));
    can.try_receive().unwrap().unwrap();
    row("receive it", &mut can, (2, 16));
    can.try_receive().unwrap();
    row("poll for a frame when there is none", &mut can, (1, 2));
    can.set_receive_method(ReceiveMethod::ReadRxBuffer);
    can.send(&short).unwrap();
    take(&mut can);
    can.try_receive().unwrap().unwrap();
    row(
        "receive with ReceiveMethod::ReadRxBuffer (not loss-free)",
        &mut can,
        (2, 16),
    );
    can.set_receive_method(ReceiveMethod::ReadThenClear);
    can.service_errors().unwrap();
    row("service_errors with nothing to clear", &mut can, (1, 4));
    can.error_counters().unwrap();
    row("error_counters (TEC and REC)", &mut can, (1, 4));
    can.abort_all().unwrap();
    row("abort_all", &mut can, (2, 6));
    can.sleep(delay).unwrap();
    row("sleep", &mut can, (2, 6));
    can.wake(Mode::Normal, delay).unwrap();
    row("wake into normal mode", &mut can, (6, 22));
}
