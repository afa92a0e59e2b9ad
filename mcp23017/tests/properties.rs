//! Property tests (issue 12): random sequences of public operations against the simulator behind a `FaultyBus`
//! with random faults, from a chip left in a random IOCON (BANK = 1 and byte mode included) by "an earlier
//! firmware". After every operation, Ok or Err:
//! - the driver's belief holds: every cached register equals the chip's or is unknown (invariants 1, 2);
//! - the call made at most [`MAX_TRANSACTIONS`] transactions (invariant 4);
//! - a call that met no fault succeeded (invariant 6: no error the chip did not cause);
//! - no interrupt flag the chip raised goes unreported: every flag seen on the chip is in the `flagged` of a later
//!   `interrupt_status`, up to one fault-free status at the end (invariants 5, 7).
//!
//! The async twin runs the same with every transaction an await point and futures dropped at random ones.
//! `PROPTEST_CASES` sets the case count (256 by default); a longer run:
//! `PROPTEST_CASES=10000 cargo test -p mcp23017 --all-features --test properties`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use common::ops::Op;
use common::*;
use mcp23017::sim::{FaultPoint, FaultyBus, Mcp23017Sim};
use mcp23017::I2cInterface;
use proptest::prelude::*;

/// The most transactions one call may make: a cold byte-mode `set_interrupt` after the longest map search
/// (3 reads, a write, a read-back, a write back) reads three pairs and writes three.
const MAX_TRANSACTIONS: u32 = 20;

#[derive(Debug, Clone)]
enum Step {
    Op(Op),
    /// The outside world drives these pins to these levels.
    Drive(u16, u16),
}

/// A step, the fault planned at one of its transactions, and (async) the polls before it is dropped.
type PlannedStep = (Step, Option<(u32, FaultPoint)>, usize);

#[derive(Debug, Clone)]
struct Case {
    left_iocon: u8,
    init_first: bool,
    seed: u64,
    per_mille: u16,
    /// Each step with a fault planned at one of its transactions, and (async) the polls before it is dropped.
    steps: Vec<PlannedStep>,
}

fn config() -> impl Strategy<Value = Config> {
    (any::<bool>(), 0u8..3, any::<bool>(), any::<bool>()).prop_map(|(mirror, int, sequential, slew)| Config {
        mirror_interrupts: mirror,
        int_output: [IntOutput::ActiveLow, IntOutput::ActiveHigh, IntOutput::OpenDrain][usize::from(int)],
        sequential,
        slew_rate_control: slew,
        hardware_addressing: false,
    })
}

fn port() -> impl Strategy<Value = Port> {
    prop_oneof![Just(Port::A), Just(Port::B)]
}

fn pin() -> impl Strategy<Value = PinId> {
    (0u8..16).prop_map(|i| PinId::new(i).unwrap())
}

fn trigger() -> impl Strategy<Value = Option<InterruptTrigger>> {
    prop_oneof![
        Just(None),
        Just(Some(InterruptTrigger::RisingEdge)),
        Just(Some(InterruptTrigger::FallingEdge)),
        Just(Some(InterruptTrigger::AnyEdge)),
        Just(Some(InterruptTrigger::WhileHigh)),
        Just(Some(InterruptTrigger::WhileLow)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let mode = prop_oneof![
        Just(PinMode::Input),
        Just(PinMode::InputPullUp),
        any::<bool>().prop_map(|high| PinMode::Output { high }),
    ];
    let u = any::<u16>;
    prop_oneof![
        1 => config().prop_map(Op::Init),
        1 => config().prop_map(Op::SetConfig),
        1 => (0u8..3).prop_map(|i| Op::SetIntOutput(
            [IntOutput::ActiveLow, IntOutput::ActiveHigh, IntOutput::OpenDrain][usize::from(i)]
        )),
        1 => any::<bool>().prop_map(Op::SetIntMirror),
        1 => u().prop_map(Op::SetDirections),
        1 => (port(), any::<u8>()).prop_map(|(p, b)| Op::SetPortDirections(p, b)),
        1 => u().prop_map(Op::SetPullUps),
        1 => (port(), any::<u8>()).prop_map(|(p, b)| Op::SetPortPullUps(p, b)),
        1 => u().prop_map(Op::SetInputPolarity),
        1 => (port(), any::<u8>()).prop_map(|(p, b)| Op::SetPortInputPolarity(p, b)),
        1 => u().prop_map(Op::WriteOutputs),
        1 => (port(), any::<u8>()).prop_map(|(p, b)| Op::WritePort(p, b)),
        1 => u().prop_map(Op::SetHigh),
        1 => u().prop_map(Op::SetLow),
        1 => u().prop_map(Op::Toggle),
        1 => (u(), u()).prop_map(|(p, l)| Op::SetAsOutputs(p, l)),
        1 => (u(), u()).prop_map(|(p, l)| Op::SetAsInputs(p, l)),
        1 => (pin(), mode).prop_map(|(p, m)| Op::SetPinMode(p, m)),
        1 => (pin(), any::<bool>()).prop_map(|(p, h)| Op::SetPin(p, h)),
        6 => (u(), trigger()).prop_map(|(p, t)| Op::SetInterrupt(p, t)),
        1 => u().prop_map(Op::SetInterruptEnable),
        1 => u().prop_map(Op::SetInterruptCompare),
        1 => u().prop_map(Op::SetDefaultLevels),
        6 => Just(Op::InterruptStatus),
        6 => Just(Op::InterruptStatus),
        1 => Just(Op::InterruptFlags),
        3 => Just(Op::ReadLevels),
        1 => Just(Op::ReadOutputs),
        1 => Just(Op::Outputs),
        1 => Just(Op::Directions),
        1 => Just(Op::ReadConfig),
        1 => Just(Op::Resync),
        1 => (any::<u8>(), u(), u()).prop_map(|(i, d, o)| Op::Foreign(i, d, o)),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => op().prop_map(Step::Op),
        2 => (any::<u16>(), any::<u16>()).prop_map(|(p, l)| Step::Drive(p, l)),
    ]
}

fn fault() -> impl Strategy<Value = Option<(u32, FaultPoint)>> {
    let point = prop_oneof![
        Just(FaultPoint::BeforeChip),
        Just(FaultPoint::AfterChip),
        (0usize..6).prop_map(FaultPoint::Partway),
    ];
    prop_oneof![2 => Just(None), 1 => (0u32..3, point).prop_map(Some)]
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<u8>(),
        any::<bool>(),
        any::<u64>(),
        prop_oneof![Just(0u16), 0u16..200],
        prop::collection::vec((step(), fault(), 0usize..10), 1..=12),
    )
        .prop_map(|(left_iocon, init_first, seed, per_mille, steps)| Case {
            left_iocon,
            init_first,
            seed,
            per_mille,
            steps,
        })
}

type Bus = FaultyBus<Mcp23017Sim>;

fn chip(case: &Case) -> Bus {
    let mut sim = Mcp23017Sim::new(Address::DEFAULT);
    sim.poke_iocon(case.left_iocon);
    FaultyBus::new(sim)
}

/// What the checks keep across a sequence.
#[derive(Default)]
struct Books {
    raised: u16,
    reported: u16,
}

impl Books {
    fn observe(&mut self, bus: &Bus) {
        self.raised |= bus.inner().interrupt_flags().bits();
    }

    fn check(&self) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            self.raised & !self.reported,
            0,
            "flags raised {:#06x}, reported {:#06x}",
            self.raised,
            self.reported
        );
        Ok(())
    }
}

fn poke_foreign(bus: &mut Bus, step: &Step) {
    match *step {
        Step::Op(Op::Foreign(iocon, iodir, olat)) => {
            let sim = bus.inner_mut();
            sim.poke_iocon(iocon);
            sim.poke(0, Pins::from_bits_retain(iodir));
            sim.poke(10, Pins::from_bits_retain(olat));
        }
        Step::Drive(pins, levels) => bus
            .inner_mut()
            .drive_pins(Pins::from_bits_retain(pins), Pins::from_bits_retain(levels)),
        Step::Op(_) => {}
    }
}

/// The checks after one call: belief, transactions, and that an error came from a fault.
fn after_call<E: core::fmt::Debug>(
    sim: &Mcp23017Sim,
    cache: &mcp23017::sim::CacheSnapshot,
    used: u32,
    faults: u32,
    step: &Step,
    result: Option<&Result<(), Error<E>>>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(sim.belief_mismatch(cache), None, "{:?}: cache {:?}", step, cache);
    prop_assert!(used <= MAX_TRANSACTIONS, "{:?}: {} transactions", step, used);
    if faults == 0 {
        if let Some(Err(e)) = result {
            prop_assert!(false, "{:?} failed without a fault: {:?}", step, e);
        }
    }
    Ok(())
}

fn run_blocking(case: &Case) -> Result<(), TestCaseError> {
    use common::ops::blocking::apply;
    use mcp23017::Mcp23017;
    let mut mcp: mcp23017::Mcp23017<I2cInterface<Bus>> = Mcp23017::new(chip(case), Address::DEFAULT);
    mcp.allow_gpx7_inputs(true);
    if case.init_first {
        mcp.init(Config::default()).unwrap();
    }
    mcp.bus_mut().fail_randomly(case.seed, case.per_mille);
    let mut books = Books::default();
    for (step, fault, _) in &case.steps {
        poke_foreign(mcp.bus_mut(), step);
        books.observe(mcp.bus_mut());
        if let Some((n, point)) = fault {
            mcp.bus_mut().fail_nth(*n, *point);
        }
        let (transactions, faults) = (mcp.bus_mut().transactions(), mcp.bus_mut().faults());
        let result = match step {
            Step::Op(Op::InterruptStatus) => mcp.interrupt_status().map(|status| {
                books.reported |= status.flagged.bits();
            }),
            Step::Op(Op::Init(config)) => {
                let result = mcp.init(*config);
                // init discards what was pending: only what the chip still holds is owed
                books = Books::default();
                result
            }
            Step::Op(op) => apply(&mut mcp, *op),
            Step::Drive(..) => Ok(()),
        };
        books.observe(mcp.bus_mut());
        let used = mcp.bus_mut().transactions() - transactions;
        let faults = mcp.bus_mut().faults() - faults;
        let cache = mcp.cache_snapshot();
        after_call(mcp.bus_mut().inner(), &cache, used, faults, step, Some(&result))?;
    }
    mcp.bus_mut().stop_failing();
    let status = mcp.interrupt_status().unwrap();
    books.reported |= status.flagged.bits();
    books.check()
}

#[cfg(feature = "async")]
fn run_async(case: &Case) -> Result<(), TestCaseError> {
    use common::ops::asynch::apply;
    use mcp23017::Mcp23017Async;
    let mut mcp: Mcp23017Async<I2cInterface<Bus>> = Mcp23017Async::new(chip(case), Address::DEFAULT);
    mcp.allow_gpx7_inputs(true);
    if case.init_first {
        block_on(mcp.init(Config::default())).unwrap();
    }
    mcp.bus_mut().fail_randomly(case.seed, case.per_mille);
    mcp.bus_mut().yield_around_transactions(true);
    let mut books = Books::default();
    for (step, fault, polls) in &case.steps {
        poke_foreign(mcp.bus_mut(), step);
        books.observe(mcp.bus_mut());
        if let Some((n, point)) = fault {
            mcp.bus_mut().fail_nth(*n, *point);
        }
        let (transactions, faults) = (mcp.bus_mut().transactions(), mcp.bus_mut().faults());
        let result = match step {
            Step::Op(Op::InterruptStatus) => poll_then_drop(mcp.interrupt_status(), *polls).map(|result| {
                result.map(|status| {
                    books.reported |= status.flagged.bits();
                })
            }),
            Step::Op(Op::Init(config)) => {
                let result = poll_then_drop(mcp.init(*config), *polls);
                books = Books::default();
                result
            }
            Step::Op(Op::Foreign(..)) => {
                // the firmware tells the driver, whatever it is doing
                mcp.invalidate_cache();
                Some(Ok(()))
            }
            Step::Op(op) => poll_then_drop(apply(&mut mcp, *op), *polls),
            Step::Drive(..) => Some(Ok(())),
        };
        books.observe(mcp.bus_mut());
        let used = mcp.bus_mut().transactions() - transactions;
        let faults = mcp.bus_mut().faults() - faults;
        let cache = mcp.cache_snapshot();
        after_call(mcp.bus_mut().inner(), &cache, used, faults, step, result.as_ref())?;
    }
    mcp.bus_mut().stop_failing();
    let status = block_on(mcp.interrupt_status()).unwrap();
    books.reported |= status.flagged.bits();
    books.check()
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn blocking_driver_belief_holds_under_random_faults(case in case()) {
        run_blocking(&case)?;
    }

    #[cfg(feature = "async")]
    #[test]
    fn async_driver_belief_holds_under_random_faults_and_dropped_futures(case in case()) {
        run_async(&case)?;
    }
}
