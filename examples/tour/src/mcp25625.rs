//! The mcp25625 chapter: two simulated MCP25625s on one simulated CAN bus.

use embedded_can::{ExtendedId, Frame as _, Id, StandardId};
use embedded_hal::spi::ErrorKind;
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::RateExtU32;
use mcp25625::sim::{CountingBus, SimBus, SimNode, Traffic};
use mcp25625::{Acceptance, BitTiming, Config, Error, Filter, FilterNumber, Frame, Mask, MaskNumber, Mcp25625, Mode};

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("the chapter failed: {e}");
    }
}

fn show(frame: &Frame) -> String {
    let id = match frame.id() {
        Id::Standard(id) => format!("std {:#05x}", id.as_raw()),
        Id::Extended(id) => format!("ext {:#010x}", id.as_raw()),
    };
    if frame.is_remote_frame() {
        format!("{id} remote (dlc {})", frame.dlc())
    } else {
        format!("{id} {:02x?}", frame.data())
    }
}

fn standard(id: u16, data: &[u8]) -> Frame {
    StandardId::new(id)
        .and_then(|id| Frame::new(id, data))
        .unwrap_or_else(|| unreachable!("a valid frame"))
}

/// The SPI traffic since the last look, read through the driver that owns the counting bus.
fn take(can: &mut Mcp25625<CountingBus<SimNode<'_>>>) -> Traffic {
    let traffic = can.bus().traffic();
    can.bus_mut().reset_traffic();
    traffic
}

fn run() -> Result<(), Error<ErrorKind>> {
    let bus = SimBus::new();
    let mut engine = Mcp25625::new(CountingBus::new(bus.node(0)));
    let mut dash = Mcp25625::new(bus.node(1));
    let timing = BitTiming::new(16.MHz(), 500.kHz())?;
    println!(
        "500 kbit/s at 16 MHz: CNF1..3 = {:02x?}, {} TQ per bit, sample point {} per mille",
        timing.cnf(),
        timing.quanta_per_bit(),
        timing.sample_point_permille()
    );
    println!("1 Mbit/s at 8 MHz: {:?}", BitTiming::new(8.MHz(), 1000.kHz()).err());

    engine.init(&Config::new(timing), &mut NoopDelay)?;
    let t = take(&mut engine);
    println!("engine initialised in {} SPI frames, {} bytes", t.frames, t.bytes);
    // the dashboard only wants 0x100..=0x10F and the extended diagnostics ID
    let filtered = Config::new(timing)
        .mode(Mode::Configuration)
        .acceptance(Acceptance::Filtered);
    dash.init(&filtered, &mut NoopDelay)?;
    dash.set_mask(MaskNumber::M0, Mask::standard(0x7F0))?;
    dash.set_filter(FilterNumber::F0, Filter::standard(0x100))?;
    dash.set_filter(FilterNumber::F1, Filter::standard(0x100))?;
    dash.set_mask(MaskNumber::M1, Mask::extended(0x1FFF_FFFF))?;
    for n in [FilterNumber::F2, FilterNumber::F3, FilterNumber::F4, FilterNumber::F5] {
        dash.set_filter(n, Filter::Extended(0x18DA_F110))?;
    }
    dash.set_mode(Mode::Normal, &mut NoopDelay)?;
    println!("both nodes initialised; the dashboard filters on 0x100..=0x10F and ext 0x18daf110");

    let rpm = standard(0x105, &[0x0B, 0xB8]);
    let radio = standard(0x2A0, &[0x01]);
    let diag = ExtendedId::new(0x18DA_F110)
        .and_then(|id| Frame::new(id, &[0x02, 0x10, 0x03]))
        .unwrap_or_else(|| unreachable!("a valid frame"));
    for frame in [&rpm, &radio, &diag] {
        take(&mut engine);
        let buffer = engine.send(frame)?;
        let t = take(&mut engine);
        println!(
            "engine sends {} from {buffer:?} ({} bytes of SPI)",
            show(frame),
            t.bytes
        );
    }
    while let Some(frame) = dash.try_receive()? {
        println!("dashboard receives {}", show(&frame));
    }
    println!("(0x2a0 was acknowledged on the bus but dropped by the dashboard's filter)");

    let remote = StandardId::new(0x10A)
        .and_then(|id| Frame::new_remote(id, 4))
        .unwrap_or_else(|| unreachable!("a valid frame"));
    dash.send(&remote)?;
    take(&mut engine);
    if let Some(frame) = engine.try_receive()? {
        println!(
            "engine receives {} ({} bytes of SPI)",
            show(&frame),
            take(&mut engine).bytes
        );
    }

    println!("-- CANH shorted: every frame the engine sends fails --");
    bus.set_fault(true);
    engine.try_send(&standard(0x101, &[0x42]))?;
    let report = engine.service_errors()?;
    println!(
        "engine: TEC {} (chip count), state {:?}, ERRIF {}",
        bus.with_chip(0, |chip| chip.transmit_errors()),
        report.flags.state(),
        report.interrupts.contains(mcp25625::Interrupts::ERROR)
    );
    bus.set_fault(false);
    bus.idle(127);
    println!(
        "fault cleared, 127 x 11 recessive bits: {:?}",
        engine.error_flags()?.state()
    );
    bus.idle(1);
    let counters = engine.error_counters()?;
    println!(
        "128th sequence: {:?}, TEC {} REC {}; the pending frame goes out",
        engine.error_flags()?.state(),
        counters.transmit,
        counters.receive
    );
    if let Some(frame) = dash.try_receive()? {
        println!("dashboard receives {}", show(&frame));
    }
    let cnf = [0x2A, 0x29, 0x28].map(|address| bus.with_chip(0, |chip| chip.register(address)));
    println!(
        "engine chip holds: mode {:?}, CNF1..3 {:02x?}, CANINTE {:#04x}, RXB0CTRL {:#04x}",
        bus.with_chip(0, |chip| chip.mode()),
        cnf,
        bus.with_chip(0, |chip| chip.register(0x2B)),
        bus.with_chip(0, |chip| chip.register(0x60))
    );
    println!(
        "never a TXREQ register write (erratum): engine {}, dashboard {}",
        bus.with_chip(0, |chip| chip.txreq_register_writes()),
        bus.with_chip(1, |chip| chip.txreq_register_writes())
    );
    glitches(timing);
    Ok(())
}

/// A bus that fails now and then: what the driver does about it.
fn glitches(timing: BitTiming) {
    use mcp25625::sim::{FaultPoint, FaultyBus, Mcp25625Sim};
    println!("-- a glitching SPI bus --");
    let mut can = Mcp25625::new(FaultyBus::new(Mcp25625Sim::new()));
    if let Err(e) = can.init(&Config::new(timing), &mut NoopDelay) {
        println!("init failed: {e}");
        return;
    }
    let frame = standard(0x123, &[1, 2, 3]);
    can.bus_mut().inner_mut().inject(&frame);
    // the clear of RX0IF fails after the chip took it: the driver already holds the frame
    can.bus_mut().fail_nth(2, FaultPoint::AfterChip);
    println!(
        "receive with a failing clear: {:?}",
        can.try_receive().map(|f| f.map(|f| show(&f)))
    );
    println!("next receive: {:?}", can.try_receive().map(|f| f.map(|f| show(&f))));
    // the RTS fails: the frame may be on its way, and the caller is told so
    can.bus_mut().fail_nth(2, FaultPoint::AfterChip);
    println!("send with a failing RTS: {:?}", can.try_send(&frame).err());
    // a mode change whose confirmation is lost: the driver no longer claims a mode
    can.bus_mut().fail_nth(1, FaultPoint::BeforeChip);
    let _ = can.set_mode(Mode::Configuration, &mut NoopDelay);
    println!("mode after a lost confirmation: {:?}", can.mode());
    can.bus_mut().inner_mut().set_acknowledged(false);
    for id in 1..=3 {
        let _ = can.set_mode(Mode::Normal, &mut NoopDelay);
        let _ = can.try_send(&standard(id, &[]));
    }
    can.set_send_timeout(fugit::MicrosDurationU32::millis(1));
    println!(
        "nobody acknowledges: send gives {:?} after 1 ms of bus time",
        can.send(&frame).err()
    );
}
