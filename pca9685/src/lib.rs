#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
pub mod register;
#[cfg(feature = "sim")]
pub mod sim;
mod split;
mod types;

pub use device::Pca9685;
#[cfg(feature = "async")]
pub use device::Pca9685Async;
/// The `embedded-hal` the driver is built on, for the bus and PWM traits (`pca9685::embedded_hal::i2c::I2c`).
pub use embedded_hal;
/// The `embedded-hal-async` the async driver is built on (feature `async`).
#[cfg(feature = "async")]
pub use embedded_hal_async;
pub use split::{split, PwmChannel, SharedDevice};
pub use types::{
    Address, ArgumentError, Channel, ChannelSetting, DisabledOutput, Error, InvalidAddress, MillihertzU32, Mode1,
    Oscillator, OutputChange, OutputConfig, OutputDriver, SubAddress,
};

/// The `fugit` the driver's frequencies and durations are in (`pca9685::fugit::RateExtU32`).
pub use fugit;
