#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod device;
mod gpio;
mod interface;
mod io;
#[cfg(feature = "async")]
mod irq;
pub mod register;
#[cfg(feature = "sim")]
pub mod sim;
mod types;

pub use device::{Sc16is7xx, Sc16is7xxI2c, Sc16is7xxSpi};
#[cfg(feature = "async")]
pub use device::{Sc16is7xxAsync, Sc16is7xxAsyncI2c, Sc16is7xxAsyncSpi};
pub use gpio::{gpio_pins, Gpio, SharedDevice};
#[cfg(feature = "async")]
pub use interface::AsyncInterface;
pub use interface::{I2cInterface, Interface, ResetNack, SpiInterface};
#[cfg(feature = "async")]
pub use irq::Sc16is7xxIrq;
pub use types::variant::{self, Sc16is740, Sc16is750, Sc16is752, Sc16is760, Sc16is762};
pub use types::{
    Address, AddressPin, ArgumentError, BaudRate, Channel, Config, DataBits, Error, FifoConfig, FlowLevels, GpioPin,
    HardwareFlowControl, InterruptSource, Interrupts, InvalidAddress, IrdaMode, LineError, LineFormat, LineStatus,
    ModemStatus, Parity, Prescaler, ReceiveCheck, Rs485, RxTrigger, SoftwareFlowControl, SoftwareFlowRx,
    SoftwareFlowTx, StopBits, TriggerLevels, TxTrigger, DEFAULT_TOLERANCE_PPM, MAX_CRYSTAL_HZ,
};

pub use embedded_hal;
#[cfg(feature = "async")]
pub use embedded_hal_async;
pub use embedded_io;
#[cfg(feature = "async")]
pub use embedded_io_async;
pub use fugit;
