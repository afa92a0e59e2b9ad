//! mcp25625: init at 500 kbit/s from a 16 MHz crystal, send one standard and one extended frame, receive one.
#![no_std]
#![no_main]

use embedded_can::{ExtendedId, Frame as _, StandardId};
use fugit::RateExtU32;
use mcp25625::{BitTiming, Config, Frame, Mcp25625};
use size::{keep, Delay, Spi};

type Driver = Mcp25625<Spi>;
size::bench!(Driver, workload);

fn workload() {
    let mut can: Driver = Mcp25625::new(Spi);
    if let Ok(timing) = BitTiming::new(16.MHz(), 500.kHz()) {
        keep(can.init(&Config::new(timing), &mut Delay));
    }
    if let Some(frame) = StandardId::new(0x123).and_then(|id| Frame::new(id, &[1, 2, 3, 4])) {
        keep(can.send(&frame));
    }
    if let Some(frame) = ExtendedId::new(0x1234_5678).and_then(|id| Frame::new(id, &[5, 6, 7, 8, 9, 10, 11, 12])) {
        keep(can.send(&frame));
    }
    keep(can.receive());
    keep(can);
}
