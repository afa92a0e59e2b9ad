//! Puts `memory.x` on the linker search path and passes the linker scripts itself: arguments given through
//! `rustflags` in `.cargo/config.toml` are silently dropped when `RUSTFLAGS` is set, which links firmware with no
//! vector table.

use std::{env, fs, path::PathBuf};

const MEMORY: &str = "MEMORY
{
  /* nRF52840 without a SoftDevice */
  FLASH : ORIGIN = 0x00000000, LENGTH = 1024K
  RAM : ORIGIN = 0x20000000, LENGTH = 256K
}
";

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("memory.x"), MEMORY).expect("OUT_DIR is writable");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-link-arg-bins=--nmagic");
    println!("cargo:rustc-link-arg-bins=-Tlink.x");
    println!("cargo:rustc-link-arg-bins=-Tdefmt.x");
}
