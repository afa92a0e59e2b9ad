#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
mod interface;
pub mod part;
pub mod register;
#[cfg(feature = "sim")]
pub mod sim;
mod split;
mod types;
#[cfg(feature = "async")]
mod wait;

/// The `bitflags` crate, whose `Flags` trait `Pins` implements.
pub use bitflags;
#[cfg(feature = "async")]
pub use device::{
    Mcp23008AsyncI2c, Mcp23008AsyncSpi, Mcp23017Async, Mcp23017AsyncI2c, Mcp23017AsyncSpi, Mcp23018AsyncI2c,
    Mcp23018AsyncSpi,
};
pub use device::{Mcp23008I2c, Mcp23008Spi, Mcp23017, Mcp23017I2c, Mcp23017Spi, Mcp23018I2c, Mcp23018Spi};
/// The `embedded-hal` crate, whose traits the driver and the pins implement.
pub use embedded_hal;
#[cfg(feature = "async")]
/// The `embedded-hal-async` crate (feature `async`), whose traits the async driver and `WaitPin` use.
pub use embedded_hal_async;
/// The `fugit` crate, whose durations the driver takes (`WaitPin::with_timeout`).
pub use fugit;
#[cfg(feature = "async")]
pub use interface::AsyncInterface;
pub use interface::{I2cInterface, Interface, SpiInterface};
pub use split::{split, split_mcp23008, Input, OpenDrain, Output, Parts, Parts8, Pin, PullUpInput, SharedDevice};
pub use types::{
    Address, ArgumentError, Config, Error, HardwareAddress, IntOutput, InterruptClear, InterruptStatus,
    InterruptTrigger, InvalidAddress, PinId, PinMode, Pins, Port,
};
#[cfg(feature = "async")]
pub use wait::WaitPin;
