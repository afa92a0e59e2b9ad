//! Channel handles as `embedded_hal::pwm::SetDutyCycle`, shared through a `RefCell` or a critical-section mutex.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use common::*;
use core::cell::RefCell;
use embedded_hal::pwm::SetDutyCycle;
use pca9685::Pca9685;

#[test]
fn handles_share_one_driver_through_a_refcell() {
    let mut i2c = mock(&[
        read_mode1(0x21),
        I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x08]),
        I2c::write(ADDR, vec![0x42, 0x00, 0x10, 0x00, 0x00]),
        I2c::write_read(ADDR, vec![0x01], vec![0x04]),
        I2c::write(ADDR, vec![0x45, 0x10]),
        I2c::write(ADDR, vec![0x0A, 0x00, 0x00, 0x00, 0x04]),
    ]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [mut c0, mut c1, .., mut c15] = pca9685::split(&shared);
    assert_eq!(c0.max_duty_cycle(), 4096);
    assert_eq!(c15.channel(), Channel::C15);
    c0.set_duty_cycle_percent(50).unwrap();
    c15.set_duty_cycle_fully_on().unwrap();
    c15.set_duty_cycle_fully_off().unwrap();
    c1.set_duty_cycle_fraction(1, 4).unwrap();
    assert_eq!(
        c1.set_duty_cycle(4097),
        Err(Error::Argument(ArgumentError::DutyOutOfRange))
    );
    i2c.done();
}

#[test]
fn a_borrowed_driver_is_busy_not_a_panic() {
    let mut i2c = mock(&[]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [mut c0, ..] = pca9685::split(&shared);
    let guard = shared.borrow_mut();
    assert_eq!(c0.set_duty_cycle(1), Err(Error::Busy));
    drop(guard);
    i2c.done();
}

#[test]
fn handles_share_one_driver_through_a_critical_section_mutex() {
    let mut i2c = mock(&[read_mode1(0x21), I2c::write(ADDR, vec![0x0E, 0x00, 0x00, 0x00, 0x01])]);
    let shared = critical_section::Mutex::new(RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT)));
    let mut channels = pca9685::split(&shared);
    channels[2].set_duty_cycle(256).unwrap();
    i2c.done();
}

#[test]
fn a_bus_error_reaches_the_handle() {
    let mut i2c = mock(&[
        read_mode1(0x21),
        I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x08]).with_error(nack()),
    ]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [mut c0, ..] = pca9685::split(&shared);
    let error = c0.set_duty_cycle(2048).unwrap_err();
    assert_eq!(
        embedded_hal::pwm::Error::kind(&error),
        embedded_hal::pwm::ErrorKind::Other
    );
    assert_eq!(error, Error::Bus(nack()));
    i2c.done();
}

#[test]
fn a_fraction_is_scaled_to_counts_rounding_down() {
    let mut i2c = mock(&[
        read_mode1(0x21),
        // 1/3 of 4096 = 1365 = 0x0555 on channel 1 (LED1_ON_L = 0x0A)
        I2c::write(ADDR, vec![0x0A, 0x00, 0x00, 0x55, 0x05]),
        // 65535/65535: full on, without overflowing the product
        I2c::write(ADDR, vec![0x0A, 0x00, 0x10, 0x00, 0x00]),
        // 0/7: full off, the FULL bit of LED1_OFF_H alone (outputs change at STOP: MODE2 read once)
        I2c::write_read(ADDR, vec![0x01], vec![0x04]),
        I2c::write(ADDR, vec![0x0D, 0x10]),
        // 33 % of 4096 = 1351.68, rounded down to 1351 = 0x0547
        I2c::write(ADDR, vec![0x0A, 0x00, 0x00, 0x47, 0x05]),
        // 100 %: full on
        I2c::write(ADDR, vec![0x0A, 0x00, 0x10, 0x00, 0x00]),
    ]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [_, mut c1, ..] = pca9685::split(&shared);
    c1.set_duty_cycle_fraction(1, 3).unwrap();
    c1.set_duty_cycle_fraction(u16::MAX, u16::MAX).unwrap();
    c1.set_duty_cycle_fraction(0, 7).unwrap();
    c1.set_duty_cycle_percent(33).unwrap();
    c1.set_duty_cycle_percent(100).unwrap();
    i2c.done();
}

#[test]
fn an_invalid_fraction_is_an_argument_error_with_no_bus_traffic() {
    let mut i2c = mock(&[]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [mut c0, ..] = pca9685::split(&shared);
    let out_of_range = Err(Error::Argument(ArgumentError::DutyOutOfRange));
    assert_eq!(c0.set_duty_cycle_fraction(0, 0), out_of_range);
    assert_eq!(c0.set_duty_cycle_fraction(1, 0), out_of_range);
    assert_eq!(c0.set_duty_cycle_fraction(u16::MAX, 0), out_of_range);
    assert_eq!(c0.set_duty_cycle_fraction(5, 4), out_of_range);
    assert_eq!(c0.set_duty_cycle_fraction(u16::MAX, u16::MAX - 1), out_of_range);
    assert_eq!(c0.set_duty_cycle_percent(101), out_of_range);
    assert_eq!(c0.set_duty_cycle_percent(u8::MAX), out_of_range);
    i2c.done();
}

#[test]
fn an_invalid_fraction_is_checked_before_the_busy_driver() {
    let mut i2c = mock(&[]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [mut c0, ..] = pca9685::split(&shared);
    let guard = shared.borrow_mut();
    assert_eq!(
        c0.set_duty_cycle_fraction(1, 0),
        Err(Error::Argument(ArgumentError::DutyOutOfRange))
    );
    assert_eq!(c0.set_duty_cycle_fraction(1, 2), Err(Error::Busy));
    drop(guard);
    i2c.done();
}

#[test]
fn a_handle_fully_off_with_change_on_ack_writes_all_four_registers() {
    let mut i2c = mock(&[
        read_mode1(0x21),
        I2c::write_read(ADDR, vec![0x01], vec![0x0C]),
        I2c::write(ADDR, vec![0x0E, 0x00, 0x00, 0x00, 0x10]),
    ]);
    let shared = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
    let [_, _, mut c2, ..] = pca9685::split(&shared);
    shared.borrow_mut().read_mode1().unwrap();
    c2.set_duty_cycle_fully_off().unwrap();
    i2c.done();
}
