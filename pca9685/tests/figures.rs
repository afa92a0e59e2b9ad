//! Pinned bus-traffic figures (transactions, and bytes after each address byte), counted on the simulator.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#![cfg(feature = "sim")]
mod common;

use common::*;
use core::cell::RefCell;
use embedded_hal::pwm::SetDutyCycle;
use fugit::RateExtU32;
use pca9685::sim::{CountingBus, Pca9685Sim, Traffic};
use pca9685::Pca9685;

fn tx(transactions: u32, written: u32, read: u32) -> Traffic {
    Traffic {
        transactions,
        written,
        read,
    }
}

type Driver = Pca9685<CountingBus<Pca9685Sim>>;

/// A running chip whose driver cache is full (the steady state after the first operations).
fn running() -> Driver {
    let mut pca = Pca9685::new(CountingBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT);
    pca.wake(&mut NoopDelay).unwrap();
    pca.set_frequency(50.Hz(), &mut NoopDelay).unwrap();
    pca.set_duty_cycle(Channel::C0, 1).unwrap();
    pca.bus_mut().reset_traffic();
    pca
}

/// The traffic since the last call, read through the driver.
fn take(pca: &mut Driver) -> Traffic {
    let traffic = pca.bus().traffic();
    pca.bus_mut().reset_traffic();
    traffic
}

#[test]
fn all_sixteen_channels_is_one_write_of_65_bytes() {
    let mut pca = running();
    pca.set_all_channels(&[ChannelSetting::from_duty(100, 0).unwrap(); 16])
        .unwrap();
    assert_eq!(take(&mut pca), tx(1, 65, 0));
}

#[test]
fn one_channel_is_one_write_of_5_bytes() {
    let mut pca = running();
    pca.set_duty_cycle(Channel::C7, 2000).unwrap();
    assert_eq!(take(&mut pca), tx(1, 5, 0));
    // full off needs MODE2.OCH: the first one reads MODE2 once
    pca.set_channel_full_off(Channel::C7).unwrap();
    assert_eq!(take(&mut pca), tx(2, 3, 1));
    pca.set_channel_full_off(Channel::C7).unwrap();
    assert_eq!(take(&mut pca), tx(1, 2, 0));
    pca.all_off().unwrap();
    assert_eq!(take(&mut pca), tx(1, 2, 0));
}

#[test]
fn full_off_with_change_on_ack_writes_all_four_registers() {
    let mut pca = running();
    pca.set_output_change(pca9685::OutputChange::OnAck).unwrap();
    take(&mut pca);
    pca.set_channel_full_off(Channel::C7).unwrap();
    assert_eq!(take(&mut pca), tx(1, 5, 0));
    pca.all_off().unwrap();
    assert_eq!(take(&mut pca), tx(1, 5, 0));
}

#[test]
fn a_duty_change_through_a_channel_handle_is_one_write_of_5_bytes() {
    let shared = RefCell::new(running());
    let [_, _, mut servo, ..] = pca9685::split(&shared);
    servo.set_duty_cycle(307).unwrap();
    assert_eq!(take(&mut shared.borrow_mut()), tx(1, 5, 0));
}

#[test]
fn changing_frequency_on_a_running_chip_is_the_datasheet_sequence() {
    // read MODE1, sleep, PRE_SCALE, wake, (500 us), RESTART
    let mut pca = running();
    pca.set_frequency(100.Hz(), &mut NoopDelay).unwrap();
    assert_eq!(take(&mut pca), tx(5, 9, 1));
}

#[test]
fn a_setting_from_the_cache_is_one_write_of_2_bytes() {
    let mut pca = running();
    pca.set_output_invert(true).unwrap();
    pca.enable_all_call(false).unwrap();
    assert_eq!(take(&mut pca), tx(3, 5, 1)); // the first MODE2 setting reads MODE2 once
    pca.set_output_driver(pca9685::OutputDriver::OpenDrain).unwrap();
    assert_eq!(take(&mut pca), tx(1, 2, 0));
}

#[test]
fn reading_every_channel_back_is_one_write_read() {
    let mut pca = running();
    pca.channels().unwrap();
    assert_eq!(take(&mut pca), tx(1, 1, 64));
}

/// A driver on a freshly powered simulated chip.
fn fresh() -> Driver {
    Pca9685::new(CountingBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT)
}

#[test]
fn init_at_50_hz_from_power_on_is_at_the_minimum() {
    // PRE_SCALE, then MODE1 awake with auto-increment: 2 transactions of 2 bytes (6 with the address bytes)
    let mut pca = fresh();
    pca.assume_power_on_state();
    pca.set_frequency(50.Hz(), &mut NoopDelay).unwrap();
    pca.wake(&mut NoopDelay).unwrap();
    assert_eq!(take(&mut pca), tx(2, 4, 0));
    pca.set_duty_cycle(Channel::C0, 1024).unwrap();
    assert_eq!(take(&mut pca), tx(1, 5, 0));
}

#[test]
fn init_at_50_hz_from_a_cold_cache_reads_mode1_once() {
    let mut pca = fresh();
    pca.set_frequency(50.Hz(), &mut NoopDelay).unwrap();
    pca.wake(&mut NoopDelay).unwrap();
    assert_eq!(take(&mut pca), tx(3, 5, 1));
    // wake turned auto-increment on: the first channel write is one write
    pca.set_duty_cycle(Channel::C0, 1024).unwrap();
    assert_eq!(take(&mut pca), tx(1, 5, 0));
}

#[test]
fn waking_a_fresh_chip_reads_mode1_once() {
    let mut pca = fresh();
    pca.wake(&mut NoopDelay).unwrap();
    assert_eq!(take(&mut pca), tx(2, 3, 1));
}
