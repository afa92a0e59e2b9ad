//! Shared test support: SPI mock builders, a failing bus, and the runner that puts every test body through
//! both drivers.
//!
//! Two halves: `nostd.rs` (block_on, the delays, the helpers, `both!`) builds without `std`, so ci/qemu can run
//! `tests/sim.rs` on an emulated Cortex-M4F (see ci/qemu/README.md); `host.rs` (the `embedded-hal-mock` builders
//! and what else needs `std`) exists only on the host.
#![allow(dead_code, unused_imports)]

#[macro_use]
mod nostd;
pub use nostd::*;

#[cfg(not(target_os = "none"))]
mod host;
#[cfg(not(target_os = "none"))]
pub use host::*;
