//! PCA9685 on the nRF52840-DK: a servo on channel 0 sweeps between 1.0 and 2.0 ms while an LED on channel 15 fades
//! up and down. Async driver over TWIM0 (SDA P0.26, SCL P0.27), chip at 0x40.
#![no_std]
#![no_main]

use defmt::{info, warn};
use embassy_executor::Spawner;
use embassy_nrf::twim::{self, Twim};
use embassy_nrf::{bind_interrupts, peripherals};
use embassy_time::{Delay, Timer};
use fugit::{ExtU32, RateExtU32};
use pca9685::{Address, Channel, Pca9685Async};
use static_cell::ConstStaticCell;
use {defmt_rtt as _, panic_probe as _};

bind_interrupts!(struct Irqs {
    TWISPI0 => twim::InterruptHandler<peripherals::TWISPI0>;
});

static TWIM_BUFFER: ConstStaticCell<[u8; 80]> = ConstStaticCell::new([0; 80]);

const SERVO: Channel = Channel::C0;
const LED: Channel = Channel::C15;

#[embassy_executor::main]
async fn main(_spawner: Spawner) {
    let p = embassy_nrf::init(Default::default());
    let mut config = twim::Config::default();
    config.frequency = twim::Frequency::K400;
    let i2c = Twim::new(p.TWISPI0, Irqs, p.P0_26, p.P0_27, config, TWIM_BUFFER.take());

    let mut pwm = Pca9685Async::new(i2c, Address::DEFAULT);
    let mut delay = Delay;
    // The chip boots asleep with every output off: set the servo rate, then wake it.
    match pwm.set_frequency(50.Hz(), &mut delay).await {
        Ok(actual) => info!("PWM at {} mHz", actual.raw()),
        Err(e) => warn!("no PCA9685 at 0x40: {}", e),
    }
    if let Err(e) = pwm.wake(&mut delay).await {
        warn!("wake failed: {}", e);
    }
    // Nothing else on this bus answers 0x70, but say so explicitly on a shared bus.
    let _ = pwm.enable_all_call(false).await;

    let mut pulse_us: u32 = 1000;
    let mut step: i32 = 50;
    let mut duty: u16 = 0;
    let mut fade: i32 = 128;
    loop {
        if let Err(e) = pwm.set_pulse_width(SERVO, pulse_us.micros()).await {
            warn!("servo: {}", e);
        }
        if let Err(e) = pwm.set_duty_cycle(LED, duty).await {
            warn!("led: {}", e);
        }
        pulse_us = pulse_us.saturating_add_signed(step);
        if !(1000..=2000).contains(&pulse_us) {
            step = -step;
            pulse_us = pulse_us.clamp(1000, 2000);
        }
        let next = i32::from(duty) + fade;
        if !(0..=4096).contains(&next) {
            fade = -fade;
        }
        duty = u16::try_from(next.clamp(0, 4096)).unwrap_or(0);
        Timer::after_millis(20).await;
    }
}
