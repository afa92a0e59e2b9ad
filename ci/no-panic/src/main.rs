//! Link-time proof that the drivers have no panic path. See README.md.
//!
//! Every public operation of every driver is called on buses, pins and delays whose answers the optimiser
//! cannot see (`core::hint::black_box`), with arguments it cannot see either. The panic handler calls a function
//! that exists nowhere: if any panic survives optimisation, the link fails and names that function.
#![no_std]
#![no_main]

mod opaque;

mod bq24195;
mod bq24195_power;
mod max17043;
mod mcp23017;
mod mcp25625;
mod pca9685;
mod sc16is740;

#[no_mangle]
pub extern "C" fn _start() -> ! {
    pca9685::exercise();
    bq24195::exercise();
    bq24195_power::exercise();
    max17043::exercise();
    mcp23017::exercise();
    sc16is740::exercise();
    mcp25625::exercise();
    #[cfg(feature = "async")]
    {
        pca9685::exercise_async();
        bq24195::exercise_async();
        bq24195_power::exercise_async();
        max17043::exercise_async();
        mcp23017::exercise_async();
        sc16is740::exercise_async();
        mcp25625::exercise_async();
    }
    loop {
        core::hint::spin_loop();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    extern "Rust" {
        // Defined nowhere: a reference to it survives only if some panic does.
        fn a_driver_operation_can_panic_see_ci_no_panic_readme() -> !;
    }
    // SAFETY: never called in a passing build; the link fails first.
    unsafe { a_driver_operation_can_panic_see_ci_no_panic_readme() }
}

// A critical-section implementation for drivers that share pins through `critical_section::Mutex`.
struct SingleCore;
critical_section::set_impl!(SingleCore);
// SAFETY: this binary never runs; it only has to link.
unsafe impl critical_section::Impl for SingleCore {
    unsafe fn acquire() -> bool {
        core::hint::black_box(false)
    }
    unsafe fn release(_: bool) {}
}
