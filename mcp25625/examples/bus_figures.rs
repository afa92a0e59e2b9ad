//! Prints the bus-traffic figures of the mcp25625 driver, measured on the simulator:
//! `cargo run -p mcp25625 --example bus_figures --features sim`.
#![allow(clippy::unwrap_used)]

use embedded_can::{ExtendedId, Frame as _, StandardId};
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::RateExtU32;
use mcp25625::sim::{CountingBus, Mcp25625Sim, Traffic};
use mcp25625::{BitTiming, Config, Filter, FilterNumber, Frame, Mask, MaskNumber, Mcp25625, Mode, ReceiveMethod};

type Can = Mcp25625<CountingBus<Mcp25625Sim>>;

/// The traffic since the last look, counted from zero again.
fn take(can: &mut Can) -> Traffic {
    let traffic = can.bus().traffic();
    can.bus_mut().reset_traffic();
    traffic
}

fn row(what: &str, can: &mut Can) {
    let t = take(can);
    println!("| {what:<62} | {:>6} | {:>5} |", t.frames, t.bytes);
}

fn main() {
    let mut can: Can = Mcp25625::new(CountingBus::new(Mcp25625Sim::new()));
    let config = Config::new(BitTiming::new(16.MHz(), 500.kHz()).unwrap());
    let delay = &mut NoopDelay;
    let frame = Frame::new(ExtendedId::new(0x1234_5678).unwrap(), &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
    let short = Frame::new(StandardId::new(0x123).unwrap(), &[0xAA, 0x55]).unwrap();

    println!("| Operation                                                      | Frames | Bytes |");
    println!("|----------------------------------------------------------------|-------:|------:|");
    can.init(&config.mode(Mode::Configuration), delay).unwrap();
    row("init, 500 kbit/s at 16 MHz, configuration mode, CLKOUT off", &mut can);
    can.set_mask(MaskNumber::M0, Mask::standard(0x7FF)).unwrap();
    row("set_mask", &mut can);
    can.set_filter(FilterNumber::F0, Filter::standard(0x123)).unwrap();
    row("set_filter", &mut can);
    can.set_mode(Mode::Loopback, delay).unwrap();
    row("set_mode (request + one CANSTAT read)", &mut can);
    can.init(&config, delay).unwrap();
    row("init, 500 kbit/s at 16 MHz, into normal mode", &mut can);
    can.set_mode(Mode::Loopback, delay).unwrap();
    take(&mut can);
    can.send(&frame).unwrap();
    row("send an 8-byte extended frame (status, LOAD TX BUFFER, RTS)", &mut can);
    can.try_receive().unwrap().unwrap();
    row("receive it (status, READ, clear RX0IF, status)", &mut can);
    can.send(&frame).unwrap();
    row("send it again: same ID and length, only the data is loaded", &mut can);
    can.try_receive().unwrap().unwrap();
    take(&mut can);
    can.send(&short).unwrap();
    row("send a 2-byte standard frame", &mut can);
    can.try_receive().unwrap().unwrap();
    row("receive it", &mut can);
    can.try_receive().unwrap();
    row("poll for a frame when there is none", &mut can);
    can.set_receive_method(ReceiveMethod::ReadRxBuffer);
    can.send(&short).unwrap();
    take(&mut can);
    can.try_receive().unwrap().unwrap();
    row("receive with ReceiveMethod::ReadRxBuffer (not loss-free)", &mut can);
    can.set_receive_method(ReceiveMethod::ReadThenClear);
    can.service_errors().unwrap();
    row("service_errors with nothing to clear", &mut can);
    can.error_counters().unwrap();
    row("error_counters (TEC and REC)", &mut can);
    can.abort_all().unwrap();
    row("abort_all", &mut can);
    can.sleep(delay).unwrap();
    row("sleep", &mut can);
    can.wake(Mode::Normal, delay).unwrap();
    row("wake into normal mode", &mut can);
}
