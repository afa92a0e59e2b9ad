//! Pin objects (blocking): `embedded_hal::digital` traits, typestate conversions, the shared-device mutexes.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use common::*;
use core::cell::RefCell;
use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
use mcp23017::{split, Mcp23017};

#[test]
fn an_output_pin_is_latch_first_then_one_write_per_change_and_its_state_comes_from_the_cache() {
    let mut transactions = init_default(0);
    transactions.extend([
        write(&[0x14, 0x00, 0x01]),
        write(&[0x00, 0xFF, 0xFE]),
        write(&[0x14, 0x00, 0x00]),
        write(&[0x14, 0x00, 0x01]),
        write(&[0x14, 0x00, 0x00]),
        write(&[0x14, 0x00, 0x01]),
    ]);
    let mut i2c = mock(&transactions);
    let mcp = RefCell::new(Mcp23017::new(i2c.clone(), Address::DEFAULT));
    mcp.borrow_mut().init(Config::default()).unwrap();
    let pins = split(&mcp);
    let mut led = pins.b0.into_output_high().unwrap();
    assert_eq!(led.id(), PinId::B0);
    assert!(led.is_set_high().unwrap());
    assert!(!led.is_set_low().unwrap());
    led.set_low().unwrap();
    assert!(led.is_set_low().unwrap());
    assert!(!led.is_set_high().unwrap());
    led.toggle().unwrap();
    assert!(led.is_set_high().unwrap());
    led.set_low().unwrap();
    led.set_high().unwrap();
    assert!(led.is_set_high().unwrap() && !led.is_set_low().unwrap());
    i2c.done();
}

#[test]
fn input_pins_read_both_ports_in_one_write_read() {
    let mut transactions = init_default(0);
    transactions.extend([
        write(&[0x0C, 0x01, 0x00]),
        write(&[0x00, 0xFF, 0xFF]),
        read(0x12, &[0x01, 0x00]),
        read(0x12, &[0x00, 0x00]),
        write(&[0x00, 0xFD, 0xFF]),
        write(&[0x00, 0xFF, 0xFF]),
        read(0x12, &[0x02, 0x00]),
    ]);
    let mut i2c = mock(&transactions);
    let mcp = RefCell::new(Mcp23017::new(i2c.clone(), Address::DEFAULT));
    mcp.borrow_mut().init(Config::default()).unwrap();
    let pins = split(&mcp);
    let mut button = pins.a0.into_pull_up_input().unwrap();
    assert!(button.is_high().unwrap());
    assert!(button.is_low().unwrap());
    // to an output and back to a plain input (pull-up already off: direction only)
    let mut plain = pins.a1.into_output_low().unwrap().into_input().unwrap();
    assert!(plain.is_high().unwrap());
    i2c.done();
}

#[test]
fn gpa7_cannot_become_an_input_on_the_mcp23017() {
    let mut i2c = mock(&[]);
    let mcp = RefCell::new(Mcp23017::new(i2c.clone(), Address::DEFAULT));
    let pins = split(&mcp);
    assert_eq!(
        pins.a7.into_pull_up_input().err(),
        Some(Error::Argument(ArgumentError::OutputOnlyPin))
    );
    assert_eq!(
        pins.b7.into_input().err(),
        Some(Error::Argument(ArgumentError::OutputOnlyPin))
    );
    i2c.done();
}

#[test]
fn a_borrowed_refcell_is_busy_not_a_panic() {
    let mut i2c = mock(&[]);
    let mcp = RefCell::new(Mcp23017::new(i2c.clone(), Address::DEFAULT));
    let pins = split(&mcp);
    let held = mcp.borrow_mut();
    assert_eq!(pins.a0.into_output_high().err(), Some(Error::Busy));
    drop(held);
    i2c.done();
}

#[test]
fn a_critical_section_mutex_shares_the_device_too() {
    let mut i2c = cold_mock(&[
        read(0x14, &[0, 0]),
        read(0x00, &[0xFF, 0xFF]),
        write(&[0x00, 0xFE, 0xFF]).with_error(nack()),
        read(0x00, &[0xFF, 0xFF]),
        write(&[0x00, 0xFD, 0xFF]),
    ]);
    let mcp = critical_section::Mutex::new(RefCell::new(Mcp23017::new(i2c.clone(), Address::DEFAULT)));
    let pins = split(&mcp);
    // the latch is already low: no latch write, then the direction write fails
    assert_eq!(pins.a0.into_output_low().err(), Some(Error::Bus(nack())));
    // the failed write may have reached the chip: IODIR is read again before the next direction write
    assert!(pins.a1.into_output_low().is_ok());
    i2c.done();
}

#[test]
fn the_mcp23s17_pins_work_the_same_over_spi() {
    let mut expected = spi_map_reads(0x41, 0x00);
    for frame in [
        spi_read(0x41, 0x14, &[0x00, 0x00]),
        spi_write(0x40, &[0x14, 0x00, 0x80]),
        spi_read(0x41, 0x00, &[0xFF, 0xFF]),
        spi_write(0x40, &[0x00, 0xFF, 0x7F]),
    ] {
        expected.extend(frame);
    }
    let mut spi = SpiMock::new(&expected);
    let mcp = RefCell::new(Mcp23017::new_spi(spi.clone(), HardwareAddress::default()));
    let pins = split(&mcp);
    let b7 = pins.b7.into_output_high().unwrap();
    assert_eq!(b7.id(), PinId::B7);
    spi.done();
}

#[test]
fn errors_say_what_went_wrong() {
    let busy: Error<ErrorKind> = Error::Busy;
    assert_eq!(busy.to_string(), "MCP230xx driver already borrowed");
    let refused: Error<ErrorKind> = ArgumentError::OutputOnlyPin.into();
    assert_eq!(
        refused.to_string(),
        "MCP230xx argument error: GPA7/GPB7 are output-only on the MCP23017"
    );
    assert!(Error::Bus(nack()).is_nack());
    assert!(!refused.is_nack());
    assert_eq!(
        embedded_hal::digital::Error::kind(&busy),
        embedded_hal::digital::ErrorKind::Other
    );
    assert_eq!(
        ArgumentError::HardwareAddressingRequired.to_string(),
        "an MCP23S17 at a non-zero address needs HAEN"
    );
    assert_eq!(Error::<ErrorKind>::InterruptPin.to_string(), "MCP230xx INT pin error");
}
