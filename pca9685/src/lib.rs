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
pub use split::{split, PwmChannel, SharedDevice};
pub use types::{
    Address, ArgumentError, Channel, ChannelSetting, DisabledOutput, Error, InvalidAddress, MillihertzU32, Mode1,
    Oscillator, OutputChange, OutputConfig, OutputDriver, SubAddress,
};

pub use fugit;
