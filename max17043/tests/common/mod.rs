//! Shared test support: the mock builders and the runner that puts every test body through both drivers.
//!
//! Two halves: `nostd.rs` (block_on, the delays, the helpers, `both!`) builds without `std`, so ci/qemu can run
//! `tests/sim.rs` on an emulated Cortex-M4F (see ci/qemu/README.md); `host.rs` (the `embedded-hal-mock` builders
//! and what else needs `std`) exists only on the host.
#![allow(dead_code, unused_imports)]

// every public operation as a value, for tests/faults.rs and tests/properties.rs (host only)
#[cfg(not(target_os = "none"))]
pub mod ops;

#[macro_use]
mod nostd;
pub use nostd::*;

#[cfg(not(target_os = "none"))]
mod host;
#[cfg(not(target_os = "none"))]
pub use host::*;
