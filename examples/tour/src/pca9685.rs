//! The PCA9685 chapter: a servo and an LED on a simulated chip.

use core::cell::RefCell;

use embedded_hal::pwm::SetDutyCycle;
use embedded_hal_mock::eh1::delay::NoopDelay;
use fugit::{ExtU32, RateExtU32};
use pca9685::sim::{CountingBus, Output, Pca9685Sim};
use pca9685::{Address, Channel, ChannelSetting, Pca9685};

/// The driver owns the simulated chip behind a traffic counter; the story looks at the chip through
/// `pwm.bus().inner()` and reads the count through `pwm.bus().traffic()`.
type Pwm = Pca9685<CountingBus<Pca9685Sim>>;
type Result = core::result::Result<(), pca9685::Error<embedded_hal::i2c::ErrorKind>>;

/// The traffic since the last call, and the count back to zero.
fn bus(pwm: &mut Pwm) -> String {
    let t = pwm.bus().traffic();
    pwm.bus_mut().reset_traffic();
    format!(
        "[{} transaction(s), {} byte(s) out, {} in]",
        t.transactions, t.written, t.read
    )
}

fn show(chip: &Pca9685Sim, channel: Channel) -> String {
    match chip.output(channel) {
        Output { duty: 0, .. } => "off".into(),
        Output { duty: 4096, .. } => "fully on".into(),
        Output { duty, phase } => format!("{:.1} % from count {phase}", f64::from(duty) * 100.0 / 4096.0),
    }
}

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(e) = run() {
        println!("  the chapter stopped: {e}");
    }
}

fn run() -> Result {
    let chip = Pca9685Sim::new(Address::DEFAULT);
    println!(
        "  A PCA9685 at 0x40 powers up asleep: sleeping = {}, C0 is {}.",
        chip.is_sleeping(),
        show(&chip, Channel::C0)
    );

    let mut pwm: Pwm = Pca9685::new(CountingBus::new(chip), Address::DEFAULT);
    let actual = pwm.set_frequency(50.Hz(), &mut NoopDelay)?;
    println!(
        "  Asked for 50 Hz (servo rate); the chip runs at {}.{:03} Hz. {}",
        actual.raw() / 1000,
        actual.raw() % 1000,
        bus(&mut pwm)
    );
    pwm.wake(&mut NoopDelay)?;
    println!(
        "  Woken: sleeping = {} {}",
        pwm.bus().inner().is_sleeping(),
        bus(&mut pwm)
    );
    pwm.enable_all_call(false)?;
    pwm.bus_mut().reset_traffic();

    for micros in [1000, 1500, 2000] {
        let counts = pwm.set_pulse_width(Channel::C0, micros.micros())?;
        println!(
            "  Servo on C0: {micros} µs pulse = {counts} counts of 4096 {}.",
            bus(&mut pwm)
        );
    }
    match pwm.set_pulse_width(Channel::C0, 25_000.micros()) {
        Err(e) => println!("  A 25 ms pulse does not fit a 20 ms period: {e} {}.", bus(&mut pwm)),
        Ok(_) => println!("  (unexpected: a 25 ms pulse was accepted)"),
    }

    let shared = RefCell::new(pwm);
    {
        let channels = pca9685::split(&shared);
        let [.., mut led] = channels;
        for percent in [0, 25, 100] {
            led.set_duty_cycle_percent(percent)?;
        }
        led.set_duty_cycle_fraction(1, 8)?;
    }
    let mut pwm = shared.into_inner();
    println!(
        "  LED on C15 through its SetDutyCycle handle: faded 0 → 25 → 100 %, left at 1/8 {}.",
        bus(&mut pwm)
    );

    pwm.set_channels(
        Channel::C4,
        &[
            ChannelSetting::from_duty(1024, 0)?,
            ChannelSetting::from_duty(1024, 2048)?,
        ],
    )?;
    println!(
        "  C4 and C5 in one transaction, the second half a period later (staggered edges) {}.",
        bus(&mut pwm)
    );

    let actual = pwm.set_frequency(1.kHz(), &mut NoopDelay)?;
    println!(
        "  Frequency changed on the running chip to {}.{:03} Hz: sleep, prescale, wake, 500 µs, restart {}.",
        actual.raw() / 1000,
        actual.raw() % 1000,
        bus(&mut pwm)
    );

    let chip = pwm.release().into_inner();
    println!("  What the chip holds now:");
    for channel in [Channel::C0, Channel::C4, Channel::C5, Channel::C15, Channel::C9] {
        println!("    {channel:?}: {}", show(&chip, channel));
    }
    println!(
        "    PRE_SCALE = {:#04x}, MODE1 = {:#04x}, MODE2 = {:#04x}",
        chip.register(0xFE),
        chip.register(0x00),
        chip.register(0x01)
    );
    Ok(())
}
