//! The README's usage, run on the simulator: the chip starts, goes to loopback mode, sends a frame to itself and
//! takes it back. `cargo run -p mcp25625 --example loopback --features sim`.

use mcp25625::embedded_can::{Frame as _, Id, StandardId};
use mcp25625::embedded_hal::{delay::DelayNs, spi::SpiDevice};
use mcp25625::fugit::RateExtU32;
use mcp25625::sim::{CountingBus, Mcp25625Sim};
use mcp25625::{BitTiming, Frame, Mcp25625, Mode};

/// The README's `start`.
fn start<SPI: SpiDevice>(spi: SPI, delay: &mut impl DelayNs) -> Result<Mcp25625<SPI>, mcp25625::Error<SPI::Error>> {
    let mut can = Mcp25625::new(spi);
    let timing = BitTiming::new(16.MHz(), 500.kHz())?; // 16 TQ, sample point 87.5 %
    can.init(&mcp25625::Config::new(timing), delay)?; // normal mode, every frame accepted
    Ok(can)
}

/// The README's `exchange`.
fn exchange<SPI: SpiDevice>(
    can: &mut Mcp25625<SPI>,
    counter: u8,
) -> Result<Option<Frame>, mcp25625::Error<SPI::Error>> {
    // 0x700 is an 11-bit identifier and two bytes fit a frame: neither unwrap can fail
    #[allow(clippy::unwrap_used)]
    let heartbeat = Frame::new(StandardId::new(0x700).unwrap(), &[0x05, counter]).unwrap();
    can.send(&heartbeat)?; // waits for a free TX buffer, at most 100 ms (set_send_timeout)
    can.try_receive() // Ok(None): nothing arrived
}

/// A delay that returns at once: the simulator needs no time.
struct NoDelay;

impl DelayNs for NoDelay {
    fn delay_ns(&mut self, _ns: u32) {}
}

fn main() -> Result<(), mcp25625::Error<mcp25625::embedded_hal::spi::ErrorKind>> {
    let mut can = start(CountingBus::new(Mcp25625Sim::new()), &mut NoDelay)?;
    let traffic = can.bus().traffic();
    println!(
        "started at 500 kbit/s, mode {:?}, in {} SPI frames and {} bytes",
        can.mode(),
        traffic.frames,
        traffic.bytes
    );
    // loopback: what the chip sends comes back to its own receive buffers
    can.set_mode(Mode::Loopback, &mut NoDelay)?;
    for counter in 0..3 {
        can.bus_mut().reset_traffic();
        let received = exchange(&mut can, counter)?;
        let traffic = can.bus().traffic();
        match received {
            Some(frame) => println!(
                "heartbeat {counter}: sent and received id {:#05x}, data {:02x?} ({} SPI frames, {} bytes)",
                match frame.id() {
                    Id::Standard(id) => u32::from(id.as_raw()),
                    Id::Extended(id) => id.as_raw(),
                },
                frame.data(),
                traffic.frames,
                traffic.bytes
            ),
            None => println!("heartbeat {counter}: sent, nothing received"),
        }
    }
    // the chip as the simulator sees it, while the driver still owns it
    let chip = can.bus().inner();
    println!(
        "the chip: mode {:?}, {} frames sent, {} frames stored, {} TXREQ register writes (erratum: must be 0)",
        chip.mode(),
        chip.frames_sent(),
        chip.frames_stored(),
        chip.txreq_register_writes()
    );
    Ok(())
}
