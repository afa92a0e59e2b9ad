//! Prints the bus traffic of each pca9685 operation, counted on the simulator:
//! `cargo run -p pca9685 --example bus_figures --features sim`.

use core::cell::{Cell, RefCell};

use embedded_hal::pwm::SetDutyCycle;
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::RateExtU32;
use pca9685::sim::{CountingBus, Pca9685Sim, Traffic};
use pca9685::{Address, Channel, ChannelSetting, Error, Pca9685};

type Driver<'a> = Pca9685<CountingBus<'a, Pca9685Sim>>;
type Result = core::result::Result<(), Error<embedded_hal::i2c::ErrorKind>>;

fn row(traffic: &Cell<Traffic>, name: &str) {
    let t = traffic.take();
    println!("| {name} | {} | {} | {} |", t.transactions, t.written, t.read);
}

fn main() -> Result {
    let traffic = Cell::new(Traffic::default());
    let mut pca: Driver = Pca9685::new(
        CountingBus::new(Pca9685Sim::new(Address::DEFAULT), &traffic),
        Address::DEFAULT,
    );
    println!("| operation | transactions | bytes written | bytes read |");
    println!("|---|---|---|---|");
    pca.wake(&mut NoopDelay)?;
    row(&traffic, "wake a fresh chip (reads MODE1 once, then writes it)");
    pca.set_frequency(50.Hz(), &mut NoopDelay)?;
    pca.set_duty_cycle(Channel::C0, 1)?;
    traffic.take();
    pca.set_duty_cycle(Channel::C0, 2048)?;
    row(&traffic, "one channel (`set_duty_cycle`)");
    pca.set_channel_full_off(Channel::C0)?;
    row(&traffic, "the first full off on a cold MODE2 cache (reads MODE2 once)");
    pca.set_channel_full_off(Channel::C0)?;
    row(&traffic, "one channel full off (MODE2 cached, outputs change at STOP)");
    pca.set_output_change(pca9685::OutputChange::OnAck)?;
    traffic.take();
    pca.set_channel_full_off(Channel::C0)?;
    row(&traffic, "one channel full off, outputs change on ACK");
    pca.set_output_change(pca9685::OutputChange::OnStop)?;
    traffic.take();
    pca.set_all_channels(&[ChannelSetting::from_duty(100, 0)?; 16])?;
    row(&traffic, "all 16 channels (`set_all_channels`)");
    pca.channels()?;
    row(&traffic, "every channel read back (`channels`)");
    pca.set_output_invert(false)?;
    traffic.take();
    pca.set_output_invert(true)?;
    row(&traffic, "a MODE2 setting from the cache");
    pca.set_frequency(100.Hz(), &mut NoopDelay)?;
    row(&traffic, "new frequency on a running chip");
    let shared = RefCell::new(pca);
    let [mut servo, ..] = pca9685::split(&shared);
    servo.set_duty_cycle(307)?;
    row(&traffic, "a duty change through a channel handle");
    Ok(())
}
