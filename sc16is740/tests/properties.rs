//! Property tests (issue 12): random sequences of public operations against the simulator behind a
//! `FaultyBus` that fails transactions at random; after every operation, Ok or Err, the driver's cache equals
//! the chip or is unknown, the call made a bounded number of transactions, and the bytes written and received
//! come out in order, never twice (a byte is only lost or unaccounted for where an operation said so with an
//! error). The async twin also drops its futures at random await points.
//!
//! `PROPTEST_CASES=10000 cargo test -p sc16is740 --all-features --test properties` for a longer run.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use core::cell::RefCell;
use proptest::prelude::*;
use sc16is740::sim::{FaultyBus, Reg, Sc16is7xxSim, SharedSim, SimVariant};

/// The most transactions one operation may make with the test's timeout (20 polls without progress): a
/// bounded number, plus for `write_all` a TXLVL read and a burst per byte at worst (the FIFO draining one
/// character per transaction).
fn max_transactions(op: &Op) -> u32 {
    match op {
        Op::WriteAll(n) => 64 + 2 * u32::from(*n),
        _ => 64,
    }
}

/// One public operation (or a stimulus on the line).
#[derive(Debug, Clone)]
enum Op {
    Init(u8, u8),
    SetBaud(u8),
    BaudRate,
    SetFormat(u8),
    LineFormat,
    SetBreak(bool),
    SetFifo(u8),
    ResetFifos(bool, bool),
    SetTriggers(u8, u8),
    SetInterrupts(u8),
    SetSleep(bool),
    SetRts(bool),
    SetTxEnabled(bool),
    SetRxEnabled(bool),
    HwFlow(bool, bool),
    SwFlow(bool),
    Special(Option<u8>),
    Rs485(bool, bool),
    SoftwareReset,
    Scratch(u8),
    WriteAll(u8),
    TryWrite(u8),
    IoWrite(u8),
    TryRead(u8),
    Flush,
    GpioDirection(u8),
    GpioOutputs(u8),
    GpioPin(u8, bool),
    GpioLatch,
    GpioInterrupts(u8),
    Receive(u8),
    Cts(bool),
    Divisor(u16, bool),
    Irda(bool),
    Dtr(bool),
    GpioLatching(bool),
    ModemPins(bool),
    PendingInterrupt,
    ModemStatus,
    Presence,
    Forget,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4u8, 0..4u8).prop_map(|(b, f)| Op::Init(b, f)),
        (0..4u8).prop_map(Op::SetBaud),
        Just(Op::BaudRate),
        (0..4u8).prop_map(Op::SetFormat),
        Just(Op::LineFormat),
        any::<bool>().prop_map(Op::SetBreak),
        any::<u8>().prop_map(Op::SetFifo),
        (any::<bool>(), any::<bool>()).prop_map(|(r, t)| Op::ResetFifos(r, t)),
        (0..16u8, 0..16u8).prop_map(|(r, t)| Op::SetTriggers(r, t)),
        (0..16u8).prop_map(Op::SetInterrupts),
        any::<bool>().prop_map(Op::SetSleep),
        any::<bool>().prop_map(Op::SetRts),
        any::<bool>().prop_map(Op::SetTxEnabled),
        any::<bool>().prop_map(Op::SetRxEnabled),
        (any::<bool>(), any::<bool>()).prop_map(|(r, c)| Op::HwFlow(r, c)),
        any::<bool>().prop_map(Op::SwFlow),
        proptest::option::of(1..3u8).prop_map(Op::Special),
        (any::<bool>(), any::<bool>()).prop_map(|(d, m)| Op::Rs485(d, m)),
        Just(Op::SoftwareReset),
        any::<u8>().prop_map(Op::Scratch),
        (1..100u8).prop_map(Op::WriteAll),
        (1..80u8).prop_map(Op::TryWrite),
        (1..80u8).prop_map(Op::IoWrite),
        (1..16u8).prop_map(Op::TryRead),
        Just(Op::Flush),
        any::<u8>().prop_map(Op::GpioDirection),
        any::<u8>().prop_map(Op::GpioOutputs),
        (0..8u8, any::<bool>()).prop_map(|(p, h)| Op::GpioPin(p, h)),
        Just(Op::GpioLatch),
        any::<u8>().prop_map(Op::GpioInterrupts),
        (1..6u8).prop_map(Op::Receive),
        any::<bool>().prop_map(Op::Cts),
        (1..4000u16, any::<bool>()).prop_map(|(d, p)| Op::Divisor(d, p)),
        any::<bool>().prop_map(Op::Irda),
        any::<bool>().prop_map(Op::Dtr),
        any::<bool>().prop_map(Op::GpioLatching),
        any::<bool>().prop_map(Op::ModemPins),
        Just(Op::PendingInterrupt),
        Just(Op::ModemStatus),
        Just(Op::Presence),
        Just(Op::Forget),
    ]
}

const BAUDS: [u32; 4] = [115_200, 9_600, 300, 38_400];

fn format(i: u8) -> common::LineFormat {
    use common::{DataBits, LineFormat, Parity, StopBits};
    match i {
        0 => LineFormat::F8N1,
        1 => LineFormat::F7E1,
        // LCR 0x3F: with DLAB, the enhanced-set key
        2 => LineFormat::new(DataBits::Eight, Parity::Forced0, StopBits::Two),
        _ => LineFormat::F8N2,
    }
}

/// What went onto the TX line, as the test knows it: bytes certainly taken, and bytes of which any prefix
/// may have been taken (a failed burst, a FIFO that may have been reset).
#[derive(Debug, Default)]
struct TxModel {
    segments: Vec<(Vec<u8>, bool)>,
    next: u8,
}

impl TxModel {
    /// Fresh payload bytes (1..=254, never 0: a break shows on the line as 0x00).
    fn payload(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                self.next = self.next % 254 + 1;
                self.next
            })
            .collect()
    }

    fn certain(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.segments.push((bytes.to_vec(), true));
        }
    }

    fn uncertain(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.segments.push((bytes.to_vec(), false));
        }
    }

    /// A TX FIFO reset may have dropped any tail of what is not on the line yet.
    fn fifo_may_be_reset(&mut self) {
        for segment in &mut self.segments {
            segment.1 = false;
        }
    }

    /// Whether `line` is what the segments allow: each certain one whole, any prefix of each uncertain one.
    fn explains(&self, line: &[u8]) -> bool {
        let mut positions = vec![0usize];
        for (bytes, certain) in &self.segments {
            let mut next = Vec::new();
            for &p in &positions {
                if *certain {
                    if line.get(p..p + bytes.len()) == Some(&bytes[..]) {
                        next.push(p + bytes.len());
                    }
                } else {
                    for k in 0..=bytes.len() {
                        if line.get(p..p + k) == Some(&bytes[..k]) {
                            next.push(p + k);
                        } else {
                            break;
                        }
                    }
                }
            }
            next.sort_unstable();
            next.dedup();
            positions = next;
        }
        positions.contains(&line.len())
    }
}

/// The driver's cache against the chip: every known register equal, the known latch bits equal.
fn check_cache(chip: &Sc16is7xxSim, cached: &[(Reg, Option<u8>)], latch: (u8, u8), what: &str) {
    for (register, value) in cached {
        if let Some(value) = value {
            assert_eq!(*value, chip.reg(0, *register), "{register:?} after {what}");
        }
    }
    let (known, bits) = latch;
    assert_eq!(bits, chip.gpio_latch() & known, "GPIO latch after {what}");
}

/// Line and FIFO back to a state that lets every byte out, then the line is read.
fn drain(chip: &RefCell<Sc16is7xxSim>) -> Vec<u8> {
    let mut c = chip.borrow_mut();
    let efcr = c.reg(0, Reg::Efcr);
    c.poke(0, Reg::Efcr, efcr & !0x04);
    c.set_cts(0, true);
    c.settle();
    let mut line = [0; 1024];
    let n = c.take_transmitted(0, &mut line);
    line[..n].iter().copied().filter(|b| *b != 0).collect()
}

/// The bytes read are the bytes received, in order, each at most once.
fn in_order(received: &[u8], read: &[u8]) -> bool {
    let mut at = 0;
    for byte in read {
        match received[at..].iter().position(|r| r == byte) {
            Some(i) => at += i + 1,
            None => return false,
        }
    }
    true
}

#[maybe_async_cfg::maybe(
    idents(
        Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync"),
        Interface(sync = "Interface", async = "AsyncInterface"),
        embedded_io(sync = "embedded_io", async = "embedded_io_async")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod driver {
    use super::common::*;
    use super::{format, Op, TxModel, BAUDS};
    use core::cell::RefCell;
    use sc16is740::sim::Sc16is7xxSim;
    use sc16is740::Interface;
    use sc16is740::{Sc16is750, Sc16is7xx};

    /// The line side of the test: what was fed to the receiver and what the reads returned.
    #[derive(Debug, Default)]
    pub struct Rx {
        pub fed: Vec<u8>,
        pub read: Vec<u8>,
        next: u8,
    }

    /// Runs `op`; records what it says about bytes in `tx` and `rx`.
    pub async fn run<IF: Interface>(
        u: &mut Sc16is7xx<IF, Sc16is750>,
        chip: &RefCell<Sc16is7xxSim>,
        op: &Op,
        tx: &mut TxModel,
        rx: &mut Rx,
    ) {
        let pin = |p: u8| GpioPin::new(p).unwrap();
        match *op {
            Op::Init(b, f) => {
                tx.fifo_may_be_reset();
                let config = Config::new(BAUDS[usize::from(b)].Hz()).format(format(f));
                let _ = u.init(&config).await;
            }
            Op::SetBaud(b) => drop(u.set_baud_rate(BAUDS[usize::from(b)].Hz()).await),
            Op::BaudRate => drop(u.baud_rate().await),
            Op::SetFormat(f) => drop(u.set_line_format(format(f)).await),
            Op::LineFormat => drop(u.line_format().await),
            Op::SetBreak(on) => drop(u.set_break(on).await),
            Op::SetFifo(bits) => drop(u.set_fifo(FifoConfig::decode(bits | 0x01)).await),
            Op::ResetFifos(r, t) => {
                if t {
                    tx.fifo_may_be_reset();
                }
                let _ = u.reset_fifos(r, t).await;
            }
            Op::SetTriggers(r, t) => {
                let levels = TriggerLevels { rx: r * 4, tx: t * 4 };
                let _ = u.set_trigger_levels(levels).await;
            }
            Op::SetInterrupts(bits) => drop(u.set_interrupts(Interrupts::from_bits_truncate(bits)).await),
            Op::SetSleep(on) => drop(u.set_sleep(on).await),
            Op::SetRts(on) => drop(u.set_rts(on).await),
            Op::SetTxEnabled(on) => drop(u.set_transmitter_enabled(on).await),
            Op::SetRxEnabled(on) => drop(u.set_receiver_enabled(on).await),
            Op::HwFlow(rts, cts) => {
                let flow = HardwareFlowControl {
                    auto_rts: rts,
                    auto_cts: cts,
                    levels: FlowLevels::default(),
                };
                let _ = u.set_hardware_flow_control(flow).await;
            }
            Op::SwFlow(xon_any) => {
                let flow = SoftwareFlowControl {
                    xon_any,
                    ..SoftwareFlowControl::default()
                };
                let _ = u.set_software_flow_control(&flow).await;
            }
            Op::Special(c) => drop(u.set_special_character(c).await),
            Op::Rs485(auto_direction, multidrop) => {
                let rs485 = Rs485 {
                    auto_direction,
                    multidrop,
                    ..Rs485::default()
                };
                let _ = u.set_rs485(rs485).await;
            }
            Op::SoftwareReset => {
                tx.fifo_may_be_reset();
                let _ = u.software_reset(&mut NoopDelay).await;
            }
            Op::Scratch(v) => {
                let _ = u.write_scratch(v).await;
                let _ = u.read_scratch().await;
            }
            Op::WriteAll(n) => {
                let data = tx.payload(usize::from(n));
                // until the call returns (it may be dropped), any prefix of the data may be out
                tx.uncertain(&data);
                let result = u.write_all_counted(&data).await;
                tx.segments.pop();
                match result {
                    Ok(()) => tx.certain(&data),
                    Err((k, _)) => {
                        tx.certain(&data[..k]);
                        tx.uncertain(&data[k..(k + 64).min(data.len())]);
                    }
                }
            }
            Op::TryWrite(n) => {
                let data = tx.payload(usize::from(n));
                tx.uncertain(&data);
                let result = u.try_write(&data).await;
                tx.segments.pop();
                match result {
                    Ok(k) => tx.certain(&data[..k]),
                    Err(_) => tx.uncertain(&data[..data.len().min(64)]),
                }
            }
            Op::IoWrite(n) => {
                let data = tx.payload(usize::from(n));
                tx.uncertain(&data);
                let result = embedded_io_write(u, &data).await;
                tx.segments.pop();
                match result {
                    Ok(k) => tx.certain(&data[..k]),
                    Err(_) => tx.uncertain(&data[..data.len().min(64)]),
                }
            }
            Op::TryRead(n) => {
                let mut buffer = vec![0; usize::from(n)];
                if let Ok(k) = u.try_read(&mut buffer).await {
                    rx.read.extend_from_slice(&buffer[..k]);
                }
            }
            Op::Flush => drop(u.flush().await),
            Op::GpioDirection(d) => drop(u.set_gpio_direction(d).await),
            Op::GpioOutputs(l) => drop(u.set_gpio_outputs(l).await),
            Op::GpioPin(p, high) => drop(u.set_gpio_pin(pin(p), high).await),
            Op::GpioLatch => drop(u.gpio_output_latch().await),
            Op::GpioInterrupts(m) => drop(u.set_gpio_interrupts(m).await),
            Op::Receive(n) => {
                // 0x03..=0x1F, which every word length (5 to 8 bits) carries, without DC1/DC3 (Xon/Xoff) and
                // the special characters 1 and 2
                let bytes: Vec<u8> = (0..n)
                    .map(|_| loop {
                        rx.next = rx.next % 0x1F + 1;
                        if !matches!(rx.next, 0x01 | 0x02 | 0x11 | 0x13) {
                            break rx.next;
                        }
                    })
                    .collect();
                rx.fed.extend_from_slice(&bytes);
                chip.borrow_mut().receive(0, &bytes);
            }
            Op::Cts(on) => chip.borrow_mut().set_cts(0, on),
            Op::Divisor(d, div4) => {
                let prescaler = if div4 { Prescaler::Div4 } else { Prescaler::Div1 };
                let _ = u.set_divisor(d, prescaler).await;
            }
            Op::Irda(on) => drop(u.set_irda(if on { IrdaMode::Standard } else { IrdaMode::Off }).await),
            Op::Dtr(on) => drop(u.set_dtr(on).await),
            Op::GpioLatching(on) => drop(u.set_gpio_latch(on).await),
            Op::ModemPins(on) => drop(u.set_modem_pins(on).await),
            Op::PendingInterrupt => drop(u.pending_interrupt().await),
            Op::ModemStatus => drop(u.modem_status().await),
            Op::Presence => drop(u.check_presence().await),
            Op::Forget => u.invalidate_cache(),
        }
    }

    async fn embedded_io_write<IF: Interface>(
        u: &mut Sc16is7xx<IF, Sc16is750>,
        data: &[u8],
    ) -> Result<usize, Error<IF::Error>> {
        use embedded_io::Write;
        u.write(data).await
    }
}

fn new_chip() -> RefCell<Sc16is7xxSim> {
    RefCell::new(Sc16is7xxSim::new(
        SimVariant::Sc16is750,
        sc16is740::fugit::HertzU32::from_raw(common::XTAL),
    ))
}

/// The body of the blocking properties, the same over I2C and SPI (a macro, since `bus_mut` belongs to each
/// interface's driver): random faults, then after every operation the transaction bound, the cache against the
/// chip and no stray access; at the end the line explained by what the driver reported and the reads in order.
///
/// With `from_power_on`, the driver starts from `assume_power_on_state` on the fresh chip (the simulator starts
/// in its power-on state) and the faults from the first operation, instead of a fault-free `init`.
macro_rules! blocking_property {
    ($driver:ident, $chip:ident, $ops:ident, $seed:ident, $per_mille:ident) => {
        blocking_property!($driver, $chip, $ops, $seed, $per_mille, false)
    };
    ($driver:ident, $chip:ident, $ops:ident, $seed:ident, $per_mille:ident, $from_power_on:expr) => {
        let mut u = $driver;
        let chip = &$chip;
        u.set_timeout(fugit::MicrosDurationU32::from_ticks(2_000));
        if $from_power_on {
            u.assume_power_on_state();
            check_cache(
                &chip.borrow(),
                &u.cached_registers(),
                u.cached_latch(),
                "assume_power_on_state",
            );
        } else {
            let _ = u.init(&common::Config::default());
        }
        u.bus_mut().fail_randomly($seed, $per_mille);
        let (mut tx, mut rx) = (TxModel::default(), blocking::Rx::default());
        for op in &$ops {
            let before = u.bus_mut().transactions();
            blocking::run(&mut u, chip, op, &mut tx, &mut rx);
            let made = u.bus_mut().transactions() - before;
            prop_assert!(made <= max_transactions(op), "{op:?} made {made} transactions");
            check_cache(
                &chip.borrow(),
                &u.cached_registers(),
                u.cached_latch(),
                &format!("{op:?}"),
            );
            prop_assert_eq!(
                chip.borrow().stray_accesses(),
                0,
                "a register access missed after {:?}",
                op
            );
        }
        u.bus_mut().stop_failing();
        let line = drain(chip);
        prop_assert!(tx.explains(&line), "line {line:02x?} vs {:?}", tx.segments);
        prop_assert!(
            in_order(&rx.fed, &rx.read),
            "read {:02x?} from {:02x?}",
            rx.read,
            rx.fed
        );
    };
}

proptest! {
    #[test]
    fn blocking_operations_keep_the_cache_true_and_the_bytes_in_order(
        ops in proptest::collection::vec(op(), 1..12),
        seed in any::<u64>(),
        per_mille in 0u16..250,
    ) {
        use common::RateExtU32;
        let chip = new_chip();
        let u = sc16is740::Sc16is7xx::new_i2c(
            FaultyBus::new(SharedSim(&chip)),
            sc16is740::Address::DEFAULT,
            common::XTAL.Hz(),
            sc16is740::Sc16is750,
        );
        blocking_property!(u, chip, ops, seed, per_mille);
    }
}

proptest! {
    /// From the power-on state (issue 14): an `init` among the operations first writes only what differs from
    /// the assumed state, under faults like every other operation.
    #[test]
    fn blocking_operations_from_the_power_on_state_keep_the_cache_true(
        ops in proptest::collection::vec(op(), 1..12),
        seed in any::<u64>(),
        per_mille in 0u16..250,
    ) {
        use common::RateExtU32;
        let chip = new_chip();
        let u = sc16is740::Sc16is7xx::new_i2c(
            FaultyBus::new(SharedSim(&chip)),
            sc16is740::Address::DEFAULT,
            common::XTAL.Hz(),
            sc16is740::Sc16is750,
        );
        blocking_property!(u, chip, ops, seed, per_mille, true);
    }
}

proptest! {
    /// The same over SPI (no NACKs there: every injected fault is a plain bus error).
    #[test]
    fn blocking_operations_over_spi_keep_the_cache_true_and_the_bytes_in_order(
        ops in proptest::collection::vec(op(), 1..12),
        seed in any::<u64>(),
        per_mille in 0u16..250,
    ) {
        use common::RateExtU32;
        let chip = new_chip();
        let u = sc16is740::Sc16is7xx::new_spi(FaultyBus::new(SharedSim(&chip)), common::XTAL.Hz(), sc16is740::Sc16is750);
        blocking_property!(u, chip, ops, seed, per_mille);
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn async_operations_dropped_at_random_await_points_keep_the_cache_true(
        ops in proptest::collection::vec((op(), 0..48usize), 1..12),
        seed in any::<u64>(),
        per_mille in 0u16..150,
    ) {
        use common::{block_on, poll_then_drop, RateExtU32};
        let chip = new_chip();
        let mut u = sc16is740::Sc16is7xxAsync::new_i2c(
            FaultyBus::new(SharedSim(&chip)),
            sc16is740::Address::DEFAULT,
            common::XTAL.Hz(),
            sc16is740::Sc16is750,
        );
        u.set_timeout(fugit::MicrosDurationU32::from_ticks(2_000));
        let _ = block_on(u.init(&common::Config::default()));
        u.bus_mut().fail_randomly(seed, per_mille);
        let (mut tx, mut rx) = (TxModel::default(), asynch::Rx::default());
        for (op, polls) in &ops {
            let before = u.bus_mut().transactions();
            // 0: run to the end; otherwise dropped after that many polls (if not done by then)
            if *polls == 0 {
                block_on(asynch::run(&mut u, &chip, op, &mut tx, &mut rx));
            } else {
                u.bus_mut().yield_around_transactions(true);
                let _ = poll_then_drop(asynch::run(&mut u, &chip, op, &mut tx, &mut rx), *polls);
                u.bus_mut().yield_around_transactions(false);
            }
            let made = u.bus_mut().transactions() - before;
            prop_assert!(made <= max_transactions(op), "{op:?} made {made} transactions");
            check_cache(&chip.borrow(), &u.cached_registers(), u.cached_latch(), &format!("{op:?} ({polls} polls)"));
            prop_assert_eq!(chip.borrow().stray_accesses(), 0, "a register access missed after {:?}", op);
        }
        u.bus_mut().stop_failing();
        let line = drain(&chip);
        prop_assert!(tx.explains(&line), "line {line:02x?} vs {:?}", tx.segments);
        prop_assert!(in_order(&rx.fed, &rx.read), "read {:02x?} from {:02x?}", rx.read, rx.fed);
    }
}

/// Settings only (no data on the line): what the retry property replays.
#[cfg(feature = "async")]
fn setting() -> impl Strategy<Value = Op> {
    op().prop_filter("a setting", |op| {
        !matches!(
            op,
            Op::WriteAll(_)
                | Op::TryWrite(_)
                | Op::IoWrite(_)
                | Op::TryRead(_)
                | Op::Flush
                | Op::Receive(_)
                | Op::ResetFifos(..)
                | Op::PendingInterrupt
                | Op::ModemStatus
        )
    })
}

/// The registers a setting leaves behind (the computed ones, LSR, MSR, IIR and the levels, left out).
///
/// EFR\[4\] is compared out: it is the gate of IER\[7:4\], FCR\[5:4\] and MCR\[7:5,2\], not a setting, and the
/// driver turns it on whenever it cannot prove a gated field unchanged. From the power-on state (after a
/// software reset) it is off; a setting dropped after marking the write-only FCR unknown turns it on when
/// retried, where the uninterrupted one had no need to. Every setting bit is still compared.
#[cfg(feature = "async")]
fn settings_of(chip: &Sc16is7xxSim) -> Vec<(Reg, u8)> {
    use Reg::*;
    let mut all: Vec<(Reg, u8)> = [
        Ier, Fcr, Lcr, Mcr, Spr, Tcr, Tlr, IoDir, IoIntEna, IoControl, Efcr, Dll, Dlh, Efr, Xon1, Xon2, Xoff1, Xoff2,
    ]
    .into_iter()
    .map(|r| {
        (
            r,
            if r == Efr {
                chip.reg(0, r) & !0x10
            } else {
                chip.reg(0, r)
            },
        )
    })
    .collect();
    all.push((IoState, chip.gpio_latch()));
    all
}

#[cfg(feature = "async")]
proptest! {
    /// Invariant 7: a setting that failed or was dropped anywhere, then called again without faults, leaves the
    /// chip exactly as a setting that never failed (here: called twice, to compare like with like).
    #[test]
    fn async_settings_dropped_or_failed_then_retried_end_like_uninterrupted_ones(
        ops in proptest::collection::vec((setting(), 0..48usize), 1..12),
        seed in any::<u64>(),
        per_mille in 0u16..300,
    ) {
        use common::{block_on, poll_then_drop, RateExtU32};
        let (chip, reference) = (new_chip(), new_chip());
        let make = |c| {
            let mut u = sc16is740::Sc16is7xxAsync::new_i2c(
                FaultyBus::new(SharedSim(c)),
                sc16is740::Address::DEFAULT,
                common::XTAL.Hz(),
                sc16is740::Sc16is750,
            );
            u.set_timeout(fugit::MicrosDurationU32::from_ticks(2_000));
            u
        };
        let (mut u, mut r) = (make(&chip), make(&reference));
        let _ = block_on(u.init(&common::Config::default()));
        let _ = block_on(r.init(&common::Config::default()));
        let (mut tx, mut rx) = (TxModel::default(), asynch::Rx::default());
        for (i, (op, polls)) in ops.iter().enumerate() {
            u.bus_mut().fail_randomly(seed.wrapping_add(i as u64), per_mille);
            if *polls == 0 {
                block_on(asynch::run(&mut u, &chip, op, &mut tx, &mut rx));
            } else {
                u.bus_mut().yield_around_transactions(true);
                let _ = poll_then_drop(asynch::run(&mut u, &chip, op, &mut tx, &mut rx), *polls);
                u.bus_mut().yield_around_transactions(false);
            }
            u.bus_mut().stop_failing();
            block_on(asynch::run(&mut u, &chip, op, &mut tx, &mut rx));
            block_on(asynch::run(&mut r, &reference, op, &mut tx, &mut rx));
            block_on(asynch::run(&mut r, &reference, op, &mut tx, &mut rx));
            prop_assert_eq!(
                settings_of(&chip.borrow()),
                settings_of(&reference.borrow()),
                "after {:?} ({} polls)",
                op,
                polls
            );
        }
    }
}
