//! The baseline: the bus and delay operations alone (every one a workload could issue), no driver.
#![no_std]
#![no_main]

#[no_mangle]
extern "C" fn _start() -> ! {
    size::run(|| {})
}
