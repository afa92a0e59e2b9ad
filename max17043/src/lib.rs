#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
pub mod register;
#[cfg(feature = "sim")]
pub mod sim;
mod types;

pub use device::Max17043;
#[cfg(feature = "async")]
pub use device::Max17043Async;
/// The `embedded-hal` the driver is built on, for the bus traits (`max17043::embedded_hal::i2c::I2c`).
pub use embedded_hal;
/// The `embedded-hal-async` the async driver is built on (feature `async`).
#[cfg(feature = "async")]
pub use embedded_hal_async;
pub use types::{
    ArgumentError, Config, Error, PorCommand, RcompCompensation, Register, ResetOutcome, Settings, SocScale,
    StateOfCharge, Variant, Voltage,
};
