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
pub use types::{
    ArgumentError, Config, Error, PorCommand, RcompCompensation, Register, ResetOutcome, Settings, SocScale,
    StateOfCharge, Variant, Voltage,
};
