#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
#[cfg(feature = "power-manager")]
pub mod power;
pub mod register;
#[cfg(feature = "sim")]
pub mod sim;
mod types;

pub use device::Bq24195;
#[cfg(feature = "async")]
pub use device::Bq24195Async;
pub use types::{
    ArgumentError, BatteryLowThreshold, ChargeConfig, ChargeFault, ChargeStatus, Config, Error, FaultReport, Faults,
    InputCurrentLimit, InputSource, NtcFault, PartInfo, RechargeThreshold, SafetyTimer, Snapshot, Status,
    TerminationIndicator, ThermalRegulation, Variant, VbusStatus, Watchdog,
};

pub use embedded_hal;
#[cfg(feature = "async")]
pub use embedded_hal_async;
pub use fugit;
