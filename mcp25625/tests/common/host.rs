//! The host half of the test support: the `embedded-hal-mock` builders and what else needs `std`.

use super::nostd::*;

pub use embedded_hal_mock::eh1::delay::{CheckedDelay, Transaction as Delay};
pub use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as Pin};
pub use embedded_hal_mock::eh1::spi::{Mock as SpiMock, Transaction as Spi};

/// One CS frame that only writes `bytes`.
pub fn w(bytes: &[u8]) -> Vec<Spi<u8>> {
    vec![
        Spi::transaction_start(),
        Spi::write_vec(bytes.to_vec()),
        Spi::transaction_end(),
    ]
}

/// One CS frame writing `command`, then reading `answer`.
pub fn r(command: &[u8], answer: &[u8]) -> Vec<Spi<u8>> {
    vec![
        Spi::transaction_start(),
        Spi::write_vec(command.to_vec()),
        Spi::read_vec(answer.to_vec()),
        Spi::transaction_end(),
    ]
}

/// A mock expecting exactly these frames, in order.
pub fn mock(frames: &[Vec<Spi<u8>>]) -> SpiMock<u8> {
    SpiMock::new(&frames.concat())
}

/// RESET, the 2 ms wait, and the detection read answering a healthy chip.
pub fn reset_frames() -> Vec<Vec<Spi<u8>>> {
    vec![w(&[0xC0]), r(&[0x03, 0x0E], &[0x80, 0x87])]
}

/// A mock expecting RESET and the detection read first (the driver's cache then holds the reset values), then
/// `frames`.
pub fn after_reset(frames: &[Vec<Spi<u8>>]) -> SpiMock<u8> {
    let mut all = reset_frames();
    all.extend(frames.iter().cloned());
    SpiMock::new(&all.concat())
}
