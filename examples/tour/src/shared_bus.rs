//! Two drivers on one I2C bus, with one application error type: the code the root README shows (a test below
//! keeps the README's copy equal to this one), run here on two simulated chips routed by address.

// README: begin
use core::cell::RefCell;

use embedded_hal::delay::DelayNs;
use embedded_hal::i2c::I2c;
use embedded_hal_bus::i2c::RefCellDevice;
use pca9685::fugit::RateExtU32;

/// The application's one error type: `?` works on both drivers' results.
#[derive(Debug)]
pub enum AppError<E> {
    /// The PWM controller failed.
    Leds(pca9685::Error<E>),
    /// The fuel gauge failed.
    Gauge(max17043::Error<E>),
}

impl<E> From<pca9685::Error<E>> for AppError<E> {
    fn from(error: pca9685::Error<E>) -> Self {
        AppError::Leds(error)
    }
}

impl<E> From<max17043::Error<E>> for AppError<E> {
    fn from(error: max17043::Error<E>) -> Self {
        AppError::Gauge(error)
    }
}

/// Lights LED 0 as bright as the battery is full: the gauge and the PWM controller share one bus.
pub fn battery_led<I2C: I2c>(i2c: I2C, delay: &mut impl DelayNs) -> Result<u16, AppError<I2C::Error>> {
    let bus = RefCell::new(i2c);
    let mut leds = pca9685::Pca9685::new(RefCellDevice::new(&bus), pca9685::Address::DEFAULT);
    let mut gauge = max17043::Max17043::new(RefCellDevice::new(&bus), max17043::Variant::Max17043);

    leds.set_frequency(1.kHz(), delay)?;
    leds.wake(delay)?;
    let percent = gauge.state_of_charge()?.whole_percent().min(100);
    let duty = u16::from(percent) * 40; // 0 ..= 4000 of 4096
    leds.set_duty_cycle(pca9685::Channel::C0, duty)?;
    Ok(duty)
}
// README: end

use embedded_hal::i2c::{ErrorKind, ErrorType, NoAcknowledgeSource, Operation};
use embedded_hal_mock::eh1::delay::NoopDelay;
use max17043::sim::Max17043Sim;
use max17043::StateOfCharge;
use pca9685::sim::Pca9685Sim;

/// The two simulated chips on one wire: each transaction goes to the chip that acknowledges the address.
struct Wire {
    gauge: Max17043Sim,
    leds: Pca9685Sim,
}

impl ErrorType for Wire {
    type Error = ErrorKind;
}

impl I2c for Wire {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        match self.gauge.transaction(address, operations) {
            Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)) => self.leds.transaction(address, operations),
            result => result,
        }
    }
}

/// The README's code on a gauge at `percent`: what it returned, and the duty the simulated PCA9685 drives.
fn run(percent: u8) -> (Result<u16, AppError<ErrorKind>>, u16) {
    let mut wire = Wire {
        gauge: Max17043Sim::new(max17043::Variant::Max17043, StateOfCharge::from_percent(percent)),
        leds: Pca9685Sim::new(pca9685::Address::DEFAULT),
    };
    let result = battery_led(&mut wire, &mut NoopDelay);
    (result, wire.leds.output(pca9685::Channel::C0).duty)
}

/// The tour's section: two drivers on one bus, one error type.
pub fn chapter() {
    match run(64) {
        (Ok(duty), driven) => {
            println!("gauge at 64 %: LED 0 set to {duty}/4096, and the PCA9685 drives {driven}/4096");
            println!("(both drivers on one RefCell bus, both errors into one AppError through `?`)");
        }
        (Err(error), _) => println!("the shared bus failed: {error:?}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    /// The root README shows the code between the markers above, verbatim.
    #[test]
    fn the_readme_shows_this_code() {
        let source = include_str!("shared_bus.rs");
        let code = source
            .split("// README: begin\n")
            .nth(1)
            .unwrap()
            .split("// README: end")
            .next()
            .unwrap();
        let readme = include_str!("../../../README.md");
        let block = readme
            .split("```rust\n")
            .find(|block| block.contains("pub enum AppError"))
            .unwrap();
        let block = block.split("```").next().unwrap();
        assert_eq!(
            block, code,
            "README.md's shared-bus example differs from examples/tour/src/shared_bus.rs"
        );
    }

    #[test]
    fn the_led_follows_the_gauge() {
        let (result, driven) = super::run(64);
        assert_eq!(result.unwrap(), 2560);
        assert_eq!(driven, 2560);
        let (result, driven) = super::run(0);
        assert_eq!(result.unwrap(), 0);
        assert_eq!(driven, 0);
    }
}
