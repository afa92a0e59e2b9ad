//! A user's own `Interface` (and `AsyncInterface`): one that implements only the required methods gets every
//! register write through its `write`, byte for byte what the I2C and SPI interfaces send.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use common::*;
use sc16is740::{Interface, ResetNack, Sc16is740, Sc16is7xx};

/// Records every write as (sub-address, data); reads answer 0.
#[derive(Default)]
struct Recorder {
    writes: Vec<(u8, Vec<u8>)>,
}

impl Interface for Recorder {
    type Error = core::convert::Infallible;

    fn write(&mut self, sub: u8, data: &[u8]) -> Result<(), Self::Error> {
        self.writes.push((sub, data.to_vec()));
        Ok(())
    }

    fn read(&mut self, _: u8, buffer: &mut [u8]) -> Result<(), Self::Error> {
        buffer.fill(0);
        Ok(())
    }

    fn reset_nack(_: &Self::Error) -> ResetNack {
        ResetNack::NotANack
    }
}

#[cfg(feature = "async")]
impl sc16is740::AsyncInterface for Recorder {
    type Error = core::convert::Infallible;

    async fn write(&mut self, sub: u8, data: &[u8]) -> Result<(), Self::Error> {
        self.writes.push((sub, data.to_vec()));
        Ok(())
    }

    async fn read(&mut self, _: u8, buffer: &mut [u8]) -> Result<(), Self::Error> {
        buffer.fill(0);
        Ok(())
    }

    fn reset_nack(_: &Self::Error) -> ResetNack {
        ResetNack::NotANack
    }
}

/// The register writes of a start-up from power-on: LCR = 0x80, DLL, DLH, LCR = 0x03, FCR, then a 7E1 format.
fn expected() -> Vec<(u8, Vec<u8>)> {
    vec![
        (LCR, vec![0x80]),
        (DLL, vec![0x08]),
        (DLH, vec![0x00]),
        (LCR, vec![0x03]),
        (FCR, vec![0x07]),
        (LCR, vec![0x1A]),
    ]
}

#[test]
fn register_writes_go_through_the_users_write() {
    let mut u = Sc16is7xx::with_interface(Recorder::default(), XTAL.Hz(), Sc16is740);
    u.assume_power_on_state();
    u.init(&Config::default()).unwrap();
    u.set_line_format(LineFormat::F7E1).unwrap();
    assert_eq!(u.release_interface().writes, expected());
}

#[cfg(feature = "async")]
#[test]
fn register_writes_go_through_the_users_async_write() {
    let mut u = sc16is740::Sc16is7xxAsync::with_interface(Recorder::default(), XTAL.Hz(), Sc16is740);
    u.assume_power_on_state();
    block_on(u.init(&Config::default())).unwrap();
    block_on(u.set_line_format(LineFormat::F7E1)).unwrap();
    assert_eq!(u.release_interface().writes, expected());
}
