//! SC16IS740 on the nRF52840-DK: a UART echo at 9600 baud 7E1. Every chunk the chip receives is logged (as
//! bytes, and as text when it is all printable) and sent back; line errors (parity, framing, break, overrun)
//! are logged and the echo goes on. Reads sleep on the chip's IRQ pin (`Sc16is7xxIrq`), not on bus polling.
//!
//! Wiring (Arduino header, 3.3 V logic):
//! - SDA P0.26, SCL P0.27: TWIM0 at 400 kHz, 4.7 kΩ pull-ups to 3V3 unless the breakout has them.
//! - IRQ P0.29: open drain, active low; the MCU's internal pull-up holds it high.
//! - I2C/SPI to VDD (I2C mode); A1 and A0 to VDD (address 0x48); RESET (active low) to VDD, or through a
//!   pull-up; VDD 3V3, VSS GND.
//! - XTAL1/XTAL2: a 14.7456 MHz crystal (with its load capacitors), as on most breakouts.
//! - TX to the far end's RX, RX to the far end's TX, GND to its GND (a USB-serial adapter at 3.3 V set to
//!   9600 7E1, or an RS-232 transceiver). RTS and CTS are not used (no flow control).
//!
//! `cargo run --release --bin sc16is740_echo` from `examples/nrf52840-dk`.
#![no_std]
#![no_main]

use defmt::{error, info, warn};
use embassy_executor::Spawner;
use embassy_nrf::gpio::{Input, Pull};
use embassy_nrf::twim::{self, Twim};
use embassy_nrf::{bind_interrupts, peripherals};
use embassy_time::Timer;
use embedded_io_async::{Read, Write};
use fugit::RateExtU32;
use sc16is740::{Address, Config, Error, LineFormat, Sc16is740, Sc16is7xxAsync, Sc16is7xxIrq};
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
});

/// The crystal on XTAL1/XTAL2.
const CRYSTAL_HZ: u32 = 14_745_600;
/// The line: 9600 baud, 7 data bits, even parity, 1 stop bit.
const BAUD: u32 = 9_600;

/// Whether a chunk reads as text: printable ASCII, spaces, tabs and line ends only.
fn printable(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let p = embassy_nrf::init(Default::default());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K400;
    // Every write comes from a stack buffer in RAM (the driver frames sub-address and data there): no TX RAM
    // buffer needed.
    let i2c = Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, &mut []);
    let irq = Input::new(p.P0_29, Pull::Up);

    let mut uart = Sc16is7xxAsync::new_i2c(i2c, Address::DEFAULT, CRYSTAL_HZ.Hz(), Sc16is740);
    // The chip wakes as 6E2: `init` programs everything (format, divisor, FIFOs on and reset, interrupts off).
    let line = Config::new(BAUD.Hz()).format(LineFormat::F7E1);
    loop {
        match uart.init(&line).await {
            Ok(rate) => {
                info!(
                    "SC16IS740 at 0x48: {=u32} baud 7E1 (divisor {=u16}, {=u32} ppm off)",
                    rate.actual.raw(),
                    rate.divisor,
                    rate.error_ppm
                );
                break;
            }
            Err(e) => {
                error!("no SC16IS740 at 0x48: {}", e);
                Timer::after_secs(1).await;
            }
        }
    }

    // Reads enable the RX-data and line-status interrupts themselves and wait for IRQ low.
    let mut port = Sc16is7xxIrq::new(uart, irq);
    let mut buffer = [0u8; 64];
    loop {
        match port.read(&mut buffer).await {
            Ok(count) => {
                let chunk = buffer.get(..count).unwrap_or(&[]);
                info!("received {=usize} bytes: {=[u8]:02x}", count, chunk);
                if printable(chunk) {
                    if let Ok(text) = core::str::from_utf8(chunk) {
                        info!("  as text: {=str}", text);
                    }
                }
                if let Err(e) = port.write_all(chunk).await {
                    warn!("echo failed: {}", e);
                }
            }
            // The bad character is out of the FIFO (or the overrun reported): the next read goes on.
            Err(Error::Line(e)) => warn!("line error: {}", e),
            Err(e) => {
                error!("read failed: {}", e);
                Timer::after_millis(100).await;
            }
        }
    }
}
