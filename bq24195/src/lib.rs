#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
pub mod part;
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
    ArgumentError, BatteryLowThreshold, BoostCurrentLimit, ChargeConfig, ChargeFault, ChargeStatus, Config, Error,
    FaultReport, Faults, InputCurrentLimit, InputDetection, InputSource, IrCompensation, NtcFault, PartInfo,
    RechargeThreshold, SafetyTimer, Snapshot, Status, TerminationIndicator, ThermalRegulation, Thermistors, Variant,
    VbusStatus, Watchdog,
};

/// The blocking driver for a bq24190 (`Bq24195<I2C, part::Bq24190>`).
pub type Bq24190<I2C> = Bq24195<I2C, part::Bq24190>;
/// The blocking driver for a bq24192 (`Bq24195<I2C, part::Bq24192>`).
pub type Bq24192<I2C> = Bq24195<I2C, part::Bq24192>;
/// The blocking driver for a bq24192I (`Bq24195<I2C, part::Bq24192I>`).
pub type Bq24192I<I2C> = Bq24195<I2C, part::Bq24192I>;
/// The blocking driver for a bq24196 (`Bq24195<I2C, part::Bq24196>`).
pub type Bq24196<I2C> = Bq24195<I2C, part::Bq24196>;
/// The async driver for a bq24190.
#[cfg(feature = "async")]
pub type Bq24190Async<I2C> = Bq24195Async<I2C, part::Bq24190>;
/// The async driver for a bq24192.
#[cfg(feature = "async")]
pub type Bq24192Async<I2C> = Bq24195Async<I2C, part::Bq24192>;
/// The async driver for a bq24192I.
#[cfg(feature = "async")]
pub type Bq24192IAsync<I2C> = Bq24195Async<I2C, part::Bq24192I>;
/// The async driver for a bq24196.
#[cfg(feature = "async")]
pub type Bq24196Async<I2C> = Bq24195Async<I2C, part::Bq24196>;

pub use embedded_hal;
#[cfg(feature = "async")]
pub use embedded_hal_async;
pub use fugit;
