//! What every binary of the size benchmark shares: the opaque bus and delay, the baseline's bus calls, the entry
//! point and the driver-size marker. See README.md.
#![no_std]

mod opaque;

pub use opaque::{buses, keep, Delay, I2c, Spi};

/// Runs the baseline (every bus operation), then the workload, then idles: the body of every binary's `_start`.
pub fn run(workload: fn()) -> ! {
    buses();
    workload();
    loop {
        core::hint::spin_loop();
    }
}

/// `bench!(Driver, workload)`: the binary's entry point, running `workload` after the baseline; the workload in a
/// function of its own, `size_workload`, whose call tree check.sh walks for the stack figure; and the
/// `DRIVER_SIZE` marker, a byte array as long as the driver object (`size_of::<Driver>()`), in a section of its
/// own: check.sh reads its length with `llvm-nm --print-size` and leaves it out of the flash figure.
#[macro_export]
macro_rules! bench {
    ($driver:ty, $workload:path) => {
        #[no_mangle]
        #[used]
        #[link_section = ".driver_size"]
        static DRIVER_SIZE: [u8; core::mem::size_of::<$driver>()] = [0; core::mem::size_of::<$driver>()];

        #[no_mangle]
        #[inline(never)]
        fn size_workload() {
            $workload()
        }

        #[no_mangle]
        extern "C" fn _start() -> ! {
            $crate::run(size_workload)
        }
    };
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {
        core::hint::spin_loop();
    }
}
