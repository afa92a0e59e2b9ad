#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
mod interface;
pub mod register;
#[cfg(feature = "sim")]
pub mod sim;
mod split;
mod types;
#[cfg(feature = "async")]
mod wait;

pub use device::Mcp23017;
#[cfg(feature = "async")]
pub use device::Mcp23017Async;
/// The `fugit` crate, whose durations the driver takes (`WaitPin::with_timeout`).
pub use fugit;
#[cfg(feature = "async")]
pub use interface::AsyncInterface;
pub use interface::{I2cInterface, Interface, SpiInterface};
pub use split::{split, Input, Output, Parts, Pin, PullUpInput, SharedDevice};
pub use types::{
    Address, ArgumentError, Config, Error, HardwareAddress, IntOutput, InterruptStatus, InterruptTrigger, PinId,
    PinMode, Pins, Port,
};
#[cfg(feature = "async")]
pub use wait::WaitPin;
