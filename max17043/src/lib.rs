#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
pub mod part;
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
    ArgumentError, ChargeRate, Config, Error, Hibernation, PorCommand, RcompCompensation, Register, ResetOutcome,
    ResetVoltage, Settings, SocScale, StateOfCharge, Status, StatusFlags, Variant, Voltage, VoltageAlert,
};

/// The blocking driver for a MAX17048 (`Max17043<I2C, part::Max17048>`).
pub type Max17048<I2C> = Max17043<I2C, part::Max17048>;
/// The blocking driver for a MAX17049 (`Max17043<I2C, part::Max17049>`).
pub type Max17049<I2C> = Max17043<I2C, part::Max17049>;
/// The async driver for a MAX17048.
#[cfg(feature = "async")]
pub type Max17048Async<I2C> = Max17043Async<I2C, part::Max17048>;
/// The async driver for a MAX17049.
#[cfg(feature = "async")]
pub type Max17049Async<I2C> = Max17043Async<I2C, part::Max17049>;
