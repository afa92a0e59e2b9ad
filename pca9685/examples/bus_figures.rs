//! Prints the bus traffic of each pca9685 operation, counted on the simulator, beside the protocol minimum:
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

/// One row: the traffic since the last call, and the protocol minimum (transactions, written, read).
fn row(pca: &mut Driver, name: &str, minimum: (u32, u32, u32)) {
    let t = take(pca);
    let (transactions, written, read) = minimum;
    println!(
        "| {name} | {} | {} | {} | {transactions} / {written} / {read} |",
        t.transactions, t.written, t.read
    );
}

/// A driver on a freshly powered simulated chip.
fn fresh() -> Driver {
    Pca9685::new(CountingBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT)
}

fn main() -> Result {
    println!("| operation | transactions | bytes written | bytes read | minimum |");
    println!("|---|---|---|---|---|");

    let mut pca = fresh();
    pca.assume_power_on_state();
    pca.set_frequency(50.Hz(), &mut NoopDelay)?;
    pca.wake(&mut NoopDelay)?;
    row(
        &mut pca,
        "init at 50 Hz from power-on (`assume_power_on_state`, `set_frequency`, `wake`)",
        (2, 4, 0),
    );
    pca.set_duty_cycle(Channel::C0, 1024)?;
    row(&mut pca, "then the first channel write", (1, 5, 0));

    let mut pca = fresh();
    pca.set_frequency(50.Hz(), &mut NoopDelay)?;
    pca.wake(&mut NoopDelay)?;
    row(
        &mut pca,
        "init at 50 Hz from a cold cache (reads MODE1 once)",
        (3, 5, 1),
    );
    pca.set_duty_cycle(Channel::C0, 1024)?;
    row(&mut pca, "then the first channel write", (1, 5, 0));

    let mut pca = fresh();
    pca.wake(&mut NoopDelay)?;
    row(
        &mut pca,
        "wake a fresh chip (reads MODE1 once, then writes it)",
        (2, 3, 1),
    );
    pca.set_frequency(50.Hz(), &mut NoopDelay)?;
    pca.set_duty_cycle(Channel::C0, 1)?;
    take(&mut pca);
    pca.set_duty_cycle(Channel::C0, 2048)?;
    row(&mut pca, "one channel (`set_duty_cycle`)", (1, 5, 0));
    pca.set_channel_full_off(Channel::C0)?;
    row(
        &mut pca,
        "the first full off on a cold MODE2 cache (reads MODE2 once)",
        (1, 5, 0),
    );
    pca.set_channel_full_off(Channel::C0)?;
    row(
        &mut pca,
        "one channel full off (MODE2 cached, outputs change at STOP)",
        (1, 2, 0),
    );
    pca.set_output_change(pca9685::OutputChange::OnAck)?;
    take(&mut pca);
    pca.set_channel_full_off(Channel::C0)?;
    row(&mut pca, "one channel full off, outputs change on ACK", (1, 5, 0));
    pca.set_output_change(pca9685::OutputChange::OnStop)?;
    take(&mut pca);
    pca.set_all_channels(&[ChannelSetting::from_duty(100, 0)?; 16])?;
    row(&mut pca, "all 16 channels (`set_all_channels`)", (1, 65, 0));
    pca.channels()?;
    row(&mut pca, "every channel read back (`channels`)", (1, 1, 64));
    pca.set_output_invert(false)?;
    take(&mut pca);
    pca.set_output_invert(true)?;
    row(&mut pca, "a MODE2 setting from the cache", (1, 2, 0));
    pca.set_frequency(100.Hz(), &mut NoopDelay)?;
    row(&mut pca, "new frequency on a running chip", (4, 8, 0));
    let shared = RefCell::new(pca);
    let [mut servo, ..] = pca9685::split(&shared);
    servo.set_duty_cycle(307)?;
    row(
        &mut shared.borrow_mut(),
        "a duty change through a channel handle",
        (1, 5, 0),
    );
    Ok(())
}
