//! MCP23017 on the nRF52840-DK: seven buttons on GPB0..6 toggle seven LEDs on GPA0..6, through the chip's
//! interrupt. Async driver over TWIM0 (SDA P0.26, SCL P0.27), chip at 0x20 (A2..A0 to GND), /RESET to VDD.
//! INTA and INTB are mirrored and open-drain: wire either to P0.03 (the MCU's pull-up holds it high).
//! Buttons between GPB0..6 and GND (the chip's pull-ups); LEDs with resistors from GPA0..6 to GND.
//! GPA7 and GPB7 are output-only on the MCP23017: both are driven low here, never used as inputs.
#![no_std]
#![no_main]

use defmt::{info, warn};
use embassy_executor::Spawner;
use embassy_nrf::gpio::{Input, Pull};
use embassy_nrf::twim::{self, Twim};
use embassy_nrf::{bind_interrupts, peripherals};
use mcp23017::{Address, Config, IntOutput, InterruptTrigger, Mcp23017Async, Pins};
use static_cell::ConstStaticCell;
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
});

static TWIM_BUFFER: ConstStaticCell<[u8; 32]> = ConstStaticCell::new([0; 32]);

/// GPB0..6: the buttons.
const BUTTONS: Pins = Pins::from_bits_truncate(0x7F00);

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let p = embassy_nrf::init(Default::default());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K400;
    let i2c = Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, TWIM_BUFFER.take());
    let mut int = Input::new(p.P0_03, Pull::Up);

    let mut io = Mcp23017Async::new(i2c, Address::DEFAULT);
    let chip = Config {
        mirror_interrupts: true,
        int_output: IntOutput::OpenDrain,
        ..Config::default()
    };
    // A known state whatever ran before (even BANK = 1), then LEDs (and GPx7) low as outputs, buttons pulled up.
    let setup = async {
        io.init(chip).await?;
        io.set_as_outputs(Pins::PORT_A | Pins::GPX7, Pins::NONE).await?;
        io.set_as_inputs(BUTTONS, BUTTONS).await?;
        io.set_interrupt(BUTTONS, Some(InterruptTrigger::FallingEdge)).await
    };
    match setup.await {
        Ok(()) => info!("MCP23017 ready: press a button on GPB0..6"),
        Err(e) => warn!("no MCP23017 at 0x20: {}", e),
    }

    loop {
        match io.wait_for_interrupt(&mut int).await {
            Ok(status) => {
                // A press on GPBn toggles the LED on GPAn: one 3-byte write from the cached latch.
                let pressed = status.triggered.bits() >> 8;
                if pressed != 0 {
                    info!(
                        "pressed {=u16:#x}, buttons now {=u16:#x}",
                        pressed,
                        status.levels.bits() >> 8
                    );
                    if let Err(e) = io.toggle(Pins::from_bits_truncate(pressed)).await {
                        warn!("toggle: {}", e);
                    }
                }
            }
            Err(e) => {
                warn!("interrupt: {}", e);
                embassy_time::Timer::after_millis(100).await;
            }
        }
    }
}
