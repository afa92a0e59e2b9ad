//! The async driver waits for the ALRT pin (an `embedded_hal_async::digital::Wait`): exact pin calls and bytes.
#![allow(clippy::unwrap_used)]
#![cfg(feature = "async")]
mod common;

use common::*;
use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as Pin};
use embedded_hal_mock::eh1::MockError;

#[test]
fn wait_for_alert_waits_for_a_low_level_and_confirms_with_config() {
    let mut i2c = mock(&[read(0x0C, 0x973C)]);
    let mut pin = PinMock::new(&[Pin::wait_for_state(State::Low)]);
    let mut gauge = GaugeAsync::new(i2c.clone(), Variant::Max17043);
    let config = block_on(gauge.wait_for_alert(&mut pin)).unwrap();
    assert!(config.alert);
    assert_eq!(config.alert_threshold_percent, 4);
    // then clear it: one 3-byte write from the cache the read filled
    i2c.update_expectations(&[write(0x0C, 0x971C)]);
    block_on(gauge.clear_alert()).unwrap();
    i2c.done();
    pin.done();
}

#[test]
fn wait_for_alert_ignores_another_device_on_a_shared_line() {
    // low, but ALRT clear (the bq24195 pulsed the shared line): wait for high, then low again
    let mut i2c = mock(&[read(0x0C, 0x971C), read(0x0C, 0x973C)]);
    let mut pin = PinMock::new(&[
        Pin::wait_for_state(State::Low),
        Pin::wait_for_state(State::High),
        Pin::wait_for_state(State::Low),
    ]);
    let mut gauge = GaugeAsync::new(i2c.clone(), Variant::Max17043);
    assert!(block_on(gauge.wait_for_alert(&mut pin)).unwrap().alert);
    i2c.done();
    pin.done();
}

#[test]
fn wait_for_alert_pin_and_bus_errors() {
    let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(address_nack())]);
    let mut pin = PinMock::new(&[
        Pin::wait_for_state(State::Low).with_error(MockError::Io(std::io::ErrorKind::Other)),
        Pin::wait_for_state(State::Low),
    ]);
    let mut gauge = GaugeAsync::new(i2c.clone(), Variant::Max17043);
    assert_eq!(
        block_on(gauge.wait_for_alert(&mut pin)),
        Err(Error::Pin(embedded_hal::digital::ErrorKind::Other))
    );
    assert_eq!(
        block_on(gauge.wait_for_alert(&mut pin)),
        Err(Error::Bus(address_nack()))
    );
    i2c.done();
    pin.done();
}
