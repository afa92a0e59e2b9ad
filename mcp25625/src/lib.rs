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

#[cfg(feature = "sim")]
#[doc(hidden)]
pub use device::CacheView;
#[cfg(feature = "async")]
pub use device::Mcp25625Async;
pub use device::{Mcp25625, NoPin};
pub use types::{
    Acceptance, ArgumentError, BitTiming, BitTimingError, ClockOut, Config, Error, ErrorCounters, ErrorFlags,
    ErrorReport, ErrorState, Filter, FilterNumber, Frame, FrameKind, InterruptCode, Interrupts, Mask, MaskNumber, Mode,
    ReceiveMethod, RxBuffer, RxPinMode, RxStatus, StandbyLevel, Status, TxBuffer, TxPinMode, TxPriority, TxState,
};

pub use embedded_can;
pub use embedded_hal;
#[cfg(feature = "async")]
pub use embedded_hal_async;
pub use fugit;
