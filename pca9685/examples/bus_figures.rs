//! Prints the bus traffic of each pca9685 operation, counted on the simulator:
//! `cargo run -p pca9685 --example bus_figures --features sim`.

use core::cell::RefCell;

use embedded_hal::pwm::SetDutyCycle;
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::RateExtU32;
use pca9685::sim::{CountingBus, Pca9685Sim, Traffic};
use pca9685::{Address, Channel, ChannelSetting, Error, Pca9685};

type Driver = Pca9685<CountingBus<Pca9685Sim>>;
type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

/// The traffic since the last call, read through the driver.
fn take(pca: &mut Driver) -> Traffic {
    let traffic = pca.bus().traffic();
    pca.bus_mut().reset_traffic();
    traffic
}

fn row(pca: &mut Driver, name: &str) {
    let t = take(pca);
    println!("| {name} | {} | {} | {} |", t.transactions, t.written, t.read);
}

fn main() -> Result {
    let mut pca: Driver = Pca9685::new(CountingBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT);
    println!("| operation | transactions | bytes written | bytes read |");
    println!("|---|---|---|---|");
    pca.wake(&mut NoopDelay)?;
    row(&mut pca, "wake a fresh chip (reads MODE1 once, then writes it)");
    pca.set_frequency(50.Hz(), &mut NoopDelay)?;
    pca.set_duty_cycle(Channel::C0, 1)?;
    take(&mut pca);
    pca.set_duty_cycle(Channel::C0, 2048)?;
    row(&mut pca, "one channel (`set_duty_cycle`)");
    pca.set_channel_full_off(Channel::C0)?;
    row(&mut pca, "the first full off on a cold MODE2 cache (reads MODE2 once)");
    pca.set_channel_full_off(Channel::C0)?;
    row(&mut pca, "one channel full off (MODE2 cached, outputs change at STOP)");
    pca.set_output_change(pca9685::OutputChange::OnAck)?;
    take(&mut pca);
    pca.set_channel_full_off(Channel::C0)?;
    row(&mut pca, "one channel full off, outputs change on ACK");
    pca.set_output_change(pca9685::OutputChange::OnStop)?;
    take(&mut pca);
    pca.set_all_channels(&[ChannelSetting::from_duty(100, 0)?; 16])?;
    row(&mut pca, "all 16 channels (`set_all_channels`)");
    pca.channels()?;
    row(&mut pca, "every channel read back (`channels`)");
    pca.set_output_invert(false)?;
    take(&mut pca);
    pca.set_output_invert(true)?;
    row(&mut pca, "a MODE2 setting from the cache");
    pca.set_frequency(100.Hz(), &mut NoopDelay)?;
    row(&mut pca, "new frequency on a running chip");
    let shared = RefCell::new(pca);
    let [mut servo, ..] = pca9685::split(&shared);
    servo.set_duty_cycle(307)?;
    row(&mut shared.borrow_mut(), "a duty change through a channel handle");
    Ok(())
}
