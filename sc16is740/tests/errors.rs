//! The error types as a user meets them: each message names its cause, and the `embedded-io` and
//! `embedded-hal-nb` kinds match the error.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use common::*;
use sc16is740::InvalidAddress;

type E = Error<ErrorKind>;

#[test]
fn every_message_names_its_cause() {
    assert_eq!(
        ArgumentError::StopBits.to_string(),
        "1.5 stop bits need 5 data bits, 2 stop bits need more"
    );
    assert_eq!(LineError::Parity(0x55).to_string(), "parity error on 0x55");
    assert_eq!(LineError::Break.to_string(), "break received");
    assert_eq!(InvalidAddress(0x20).to_string(), "I2C address 0x20 outside 0x48..=0x57");
    assert_eq!(E::Timeout.to_string(), "SC16IS7xx wait ended at its deadline");
    assert_eq!(
        E::Line(LineError::Framing(0x7E)).to_string(),
        "SC16IS7xx line error: framing error on 0x7e"
    );
    assert_eq!(
        E::Argument(ArgumentError::GpioPin).to_string(),
        "SC16IS7xx argument error: GPIO number above 7"
    );
    assert_eq!(
        E::from(InvalidAddress(0x20)),
        E::Argument(ArgumentError::InvalidAddress)
    );
}

#[test]
fn embedded_io_kinds() {
    use embedded_io::{Error as _, ErrorKind as Kind};
    assert_eq!(E::NoDevice.kind(), Kind::NotFound);
    assert_eq!(E::InvalidLevel(65).kind(), Kind::InvalidData);
    assert_eq!(E::Line(LineError::Overrun).kind(), Kind::InvalidData);
    assert_eq!(E::NotConfigured.kind(), Kind::Other);
    assert_eq!(E::ResetFailed.kind(), Kind::Other);
}

#[test]
fn embedded_hal_nb_kinds() {
    use embedded_hal_nb::serial::{Error as _, ErrorKind as Kind};
    assert_eq!(E::Line(LineError::Overrun).kind(), Kind::Overrun);
    assert_eq!(E::Line(LineError::Parity(0)).kind(), Kind::Parity);
    assert_eq!(E::Line(LineError::Framing(0)).kind(), Kind::FrameFormat);
    assert_eq!(E::Line(LineError::Break).kind(), Kind::FrameFormat);
    assert_eq!(E::Timeout.kind(), Kind::Other);
}

#[test]
fn only_a_nack_is_a_nack() {
    assert!(E::Bus(nack()).is_nack());
    assert!(!E::Bus(ErrorKind::ArbitrationLoss).is_nack());
    assert!(!E::Timeout.is_nack());
}
