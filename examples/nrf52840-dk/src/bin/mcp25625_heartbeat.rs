//! MCP25625 (or MCP2515 + transceiver) on the nRF52840-DK: a loopback self-test, then a heartbeat frame every
//! second and every received frame logged.
//!
//! Wiring (Arduino header): SCK P1.15, MISO P1.14, MOSI P1.13, CS P1.12, INT P1.11 (pull-up), STBY P1.10.
//! Set `OSCILLATOR` to the chip's crystal and `BITRATE` to the bus's; terminate the bus with 120 Ω at both ends.
#![no_std]
#![no_main]

use embassy_nrf::gpio::{Input, Level, Output, OutputDrive, Pull};
use embassy_nrf::{bind_interrupts, peripherals, spim};
use embassy_time::{with_timeout, Delay, Duration, Instant, Timer};
use embedded_can::{Frame as _, StandardId};
use embedded_hal_bus::spi::ExclusiveDevice;
use fugit::RateExtU32;
use mcp25625::{BitTiming, Config, Frame, Mcp25625Async, Mode, StandbyLevel};
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    SPI2 => spim::InterruptHandler<peripherals::SPI2>;
});

const OSCILLATOR_MHZ: u32 = 16;
const BITRATE_KBPS: u32 = 500;
/// CANopen-style heartbeat of node 1.
const HEARTBEAT_ID: u16 = 0x701;

#[embassy_executor::main]
async fn main(_spawner: embassy_executor::Spawner) {
    let p = embassy_nrf::init(Default::default());
    let mut config = spim::Config::default();
    config.frequency = spim::Frequency::M8; // the chip allows 10 MHz
    config.mode = spim::MODE_0; // mode 0,0 (the RTS erratum concerns mode 1,1)
    let bus = spim::Spim::new(p.SPI2, Irqs, p.P1_15, p.P1_14, p.P1_13, config);
    let cs = Output::new(p.P1_12, Level::High, OutputDrive::Standard);
    let Ok(spi) = ExclusiveDevice::new(bus, cs, Delay);
    let standby = Output::new(p.P1_10, Level::High, OutputDrive::Standard);
    let mut int = Input::new(p.P1_11, Pull::Up);

    let Ok(timing) = BitTiming::new(OSCILLATOR_MHZ.MHz(), BITRATE_KBPS.kHz()) else {
        defmt::panic!("{} kbit/s cannot be made from {} MHz", BITRATE_KBPS, OSCILLATOR_MHZ);
    };
    defmt::info!(
        "bit timing: CNF {=[u8]:02x}, {} TQ, sample point {} per mille",
        timing.cnf(),
        timing.quanta_per_bit(),
        timing.sample_point_permille()
    );
    let mut can = Mcp25625Async::with_standby(spi, standby, StandbyLevel::High);

    // self-test in loopback: nothing reaches the bus
    if let Err(e) = can.init(&Config::new(timing).mode(Mode::Loopback), &mut Delay).await {
        defmt::panic!("no MCP25625: {}", defmt::Debug2Format(&e));
    }
    let Some(probe) = StandardId::new(0x7FF).and_then(|id| Frame::new(id, &[0xC0, 0xFF, 0xEE])) else {
        defmt::unreachable!()
    };
    let looped = async {
        can.send(&probe).await?;
        can.receive().await
    };
    match with_timeout(Duration::from_millis(100), looped).await {
        Ok(Ok(frame)) if frame == probe => defmt::info!("loopback self-test passed: {}", frame),
        Ok(Ok(frame)) => defmt::error!("loopback returned {} instead of {}", frame, probe),
        Ok(Err(e)) => defmt::error!("loopback failed: {}", defmt::Debug2Format(&e)),
        Err(_) => defmt::error!("loopback timed out"),
    }

    if let Err(e) = can.set_mode(Mode::Normal, &mut Delay).await {
        defmt::panic!("normal mode refused: {}", defmt::Debug2Format(&e));
    }
    defmt::info!("on the bus at {} kbit/s", BITRATE_KBPS);

    let mut counter: u8 = 0;
    let mut next = Instant::now();
    loop {
        let now = Instant::now();
        if now >= next {
            next += Duration::from_secs(1);
            let Some(heartbeat) = StandardId::new(HEARTBEAT_ID).and_then(|id| Frame::new(id, &[0x05, counter])) else {
                defmt::unreachable!()
            };
            match can.try_send(&heartbeat).await {
                Ok(Some(buffer)) => defmt::info!("heartbeat {} from {}", counter, buffer),
                Ok(None) => defmt::warn!(
                    "heartbeat {}: every TX buffer busy (no other node acknowledging?)",
                    counter
                ),
                Err(e) => defmt::error!("send: {}", defmt::Debug2Format(&e)),
            }
            counter = counter.wrapping_add(1);
            match can.service_errors().await {
                Ok(report) if report.flags.0 != 0 => {
                    defmt::warn!("error state {}, flags {}", report.flags.state(), report.flags)
                }
                Ok(_) => {}
                Err(e) => defmt::error!("errors: {}", defmt::Debug2Format(&e)),
            }
            continue;
        }
        // cancelled only while waiting on INT, never inside an SPI transaction's middle in practice
        match with_timeout(next - now, can.receive_on_interrupt(&mut int)).await {
            Ok(Ok(frame)) => defmt::info!("received {}", frame),
            Ok(Err(e)) => {
                defmt::error!("receive: {}", defmt::Debug2Format(&e));
                Timer::after_millis(100).await;
            }
            Err(_) => {}
        }
    }
}
