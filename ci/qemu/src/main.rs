//! Every simulator test body of every driver (the `both!` cases of each crate's `tests/sim.rs`), blocking and
//! async, on an emulated Cortex-M4F: QEMU's `mps2-an386`, output and exit status through semihosting.
//!
//! The test files are the crates' own (`#[path]` modules below), not copies: on the target their `both!` macro
//! (`tests/common/nostd.rs`) makes a table `CASES` of (case, driver, body) instead of `#[test]` functions. This
//! harness runs each body, names it, and prints the stack it used. A failed check or any other panic (an overflow
//! included) prints the file and line and ends the run with exit status 1; a hard fault prints the faulting
//! address and ends it the same way (`run.sh` turns the address into a file and line); a hang is ended by
//! `run.sh`'s timeout. See README.md.
#![no_std]
#![no_main]

use core::panic::PanicInfo;
use core::ptr::{addr_of, read_volatile, write_volatile};

use cortex_m_rt::{entry, exception, ExceptionFrame};
use cortex_m_semihosting::{debug, hprint, hprintln};

#[path = "../../../bq24195/tests/sim.rs"]
mod bq24195_sim;
#[path = "../../../max17043/tests/sim.rs"]
mod max17043_sim;
#[path = "../../../mcp23017/tests/sim.rs"]
mod mcp23017_sim;
#[path = "../../../mcp25625/tests/sim.rs"]
mod mcp25625_sim;
#[path = "../../../pca9685/tests/sim.rs"]
mod pca9685_sim;
#[path = "../../../sc16is740/tests/sim.rs"]
mod sc16is740_sim;

/// One test body through one driver: (case, driver, body), as each file's `both!` lists them.
type Case = (&'static str, &'static str, fn());

/// Every crate's cases. A new crate joins with a `#[path]` module above and a line here.
const SUITES: [(&str, &[Case]); 6] = [
    ("bq24195", bq24195_sim::CASES),
    ("max17043", max17043_sim::CASES),
    ("mcp23017", mcp23017_sim::CASES),
    ("sc16is740", sc16is740_sim::CASES),
    ("pca9685", pca9685_sim::CASES),
    ("mcp25625", mcp25625_sim::CASES),
];

/// The pattern painted below the stack pointer before each case; the lowest word that lost it after the case is
/// the deepest the case reached.
const PAINT: u32 = 0x5AC4_C0DE;
/// How far below the stack pointer is painted and searched (the deepest case today uses under a tenth of it).
const WINDOW: usize = 512 * 1024;

extern "C" {
    /// The lowest address the stack may reach (cortex-m-rt's linker script: the end of `.bss`).
    static _stack_end: u32;
}

/// The stack pointer of the caller's frame, give or take this function's own few words.
#[inline(always)]
fn stack_pointer() -> usize {
    cortex_m::register::msp::read() as usize
}

/// Paints the window below the current stack pointer (nothing lives there: no interrupt is enabled) and returns
/// it: from `WINDOW` below the stack pointer (not below the end of `.bss`) to 64 bytes below it (room for this
/// function's own frame).
#[inline(never)]
fn paint() -> (usize, usize) {
    let top = (stack_pointer() - 64) & !3;
    let end_of_bss = addr_of!(_stack_end) as usize;
    let bottom = top.saturating_sub(WINDOW).max(end_of_bss);
    let mut address = bottom;
    while address < top {
        // SAFETY: free stack below this frame, word-aligned, inside RAM.
        unsafe { write_volatile(address as *mut u32, PAINT) };
        address += 4;
    }
    (bottom, top)
}

/// The bytes used below `since` (the stack pointer before the case ran), or `None` if the whole painted window
/// was used.
fn stack_used((bottom, top): (usize, usize), since: usize) -> Option<usize> {
    let mut address = bottom;
    // SAFETY: the window painted before the case, below the current frame.
    while address < top && unsafe { read_volatile(address as *const u32) } == PAINT {
        address += 4;
    }
    (address > bottom).then(|| since - address)
}

#[entry]
fn main() -> ! {
    hprintln!("qemu: every sim test body of every driver, blocking and async, on a Cortex-M4F");
    if let Some(how) = option_env!("QEMU_SELFTEST") {
        hprint!("selftest: a case that fails ({}) ... ", how);
        fail_on_purpose(how);
        hprintln!("it did not fail: QEMU_SELFTEST is assert, overflow, fault or hang");
    }
    let mut total = 0;
    let mut deepest = ("", "", "", 0);
    for (krate, cases) in SUITES {
        let (mut blocking, mut asynch) = (0, 0);
        for &(name, driver, body) in cases {
            hprint!("{} {} {} ... ", krate, name, driver);
            let window = paint();
            let since = stack_pointer();
            body();
            match stack_used(window, since) {
                Some(bytes) => {
                    hprintln!("ok, stack {} B", bytes);
                    if bytes > deepest.3 {
                        deepest = (krate, name, driver, bytes);
                    }
                }
                None => {
                    hprintln!(
                        "ok, stack more than {} B (the whole window: raise WINDOW in main.rs)",
                        WINDOW
                    );
                    exit_failure();
                }
            }
            match driver {
                "blocking" => blocking += 1,
                _ => asynch += 1,
            }
        }
        hprintln!("{}: {} cases blocking, {} async", krate, blocking, asynch);
        total += blocking + asynch;
    }
    let (krate, name, driver, bytes) = deepest;
    hprintln!("deepest stack: {} B ({} {}, {})", bytes, krate, name, driver);
    hprintln!("qemu: {} passed, 0 failed", total);
    debug::exit(debug::EXIT_SUCCESS);
    loop {}
}

/// What `QEMU_SELFTEST=<how> bash ci/qemu/run.sh` builds in, to see the harness catch each way a case can fail:
/// a failed check, an overflow, a hard fault, a hang. Each of these runs must end with exit status 1.
#[inline(never)]
fn fail_on_purpose(how: &str) {
    use core::hint::black_box;
    match how {
        "assert" => assert_eq!(black_box(1), 2, "a failed check"),
        "overflow" => {
            black_box(black_box(u8::MAX) + 1);
        }
        "fault" => cortex_m::asm::udf(),
        "hang" => loop {
            cortex_m::asm::nop();
        },
        _ => {}
    }
}

fn exit_failure() -> ! {
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}

/// A failed check, an `unwrap` on an error, an overflow: the message with its file and line, then exit status 1.
#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    hprintln!("FAILED\n{}", info);
    exit_failure()
}

/// A hard fault (a bad address, an undefined instruction, a stack run into `.bss`...): where, then exit status 1.
#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    hprintln!(
        "FAILED\nhard fault at pc {:#010x} (lr {:#010x})",
        frame.pc(),
        frame.lr()
    );
    exit_failure()
}
