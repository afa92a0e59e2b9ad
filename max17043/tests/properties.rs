//! Property tests (issue 12): random sequences of public operations on the simulator behind a `FaultyBus` with
//! random faults, the battery moving between them. After every operation, `Ok` or `Err`:
//! - the driver's CONFIG cache is unknown or equals the chip's RCOMP, SLEEP and ATHD (invariants 1 and 2);
//! - a setter that returned `Ok` left the chip holding what it was asked for (invariant 6);
//! - the call made at most two transactions (invariant 4: no loop on the chip), also on a bus that reads 0xFF;
//! - no write set ALRT over a clear one, and only `clear_alert` and `configure` cleared an alert no read had
//!   returned (invariant 3);
//! - after an error or a dropped future, the same operation run again on a quiet bus completes (invariant 7).
//!
//! The async twin runs the same with every future dropped after a random number of polls, the bus yielding
//! around each transaction (invariant 7). `PROPTEST_CASES` sets the case count (256 by default);
//! `PROPTEST_CASES=10000 cargo test -p max17043 --all-features --test properties` for a longer run.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod common;

use common::ops::{Op, COMPENSATION};
use common::*;
use max17043::sim::{FaultPoint, PorResponse};
use proptest::prelude::*;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Voltage),
        Just(Op::StateOfCharge),
        Just(Op::NormalizedStateOfCharge),
        Just(Op::Version),
        Just(Op::QuickStart),
        prop_oneof![Just(PorCommand::Current), Just(PorCommand::Legacy)].prop_map(Op::PowerOnReset),
        Just(Op::Config),
        (any::<u8>(), 0u8..=34, any::<bool>()).prop_map(|(rcomp, alert_threshold_percent, sleep)| {
            Op::Configure(Settings {
                rcomp,
                alert_threshold_percent,
                sleep,
            })
        }),
        Just(Op::Rcomp),
        any::<u8>().prop_map(Op::SetRcomp),
        (-400i32..=600).prop_map(Op::SetRcompForTemperature),
        Just(Op::AlertThreshold),
        (0u8..=34).prop_map(Op::SetAlertThreshold),
        Just(Op::Alert),
        Just(Op::ClearAlert),
        Just(Op::Sleep),
        Just(Op::Wake),
        Just(Op::InvalidateCache),
    ]
}

fn fault_point() -> impl Strategy<Value = FaultPoint> {
    prop_oneof![
        Just(FaultPoint::BeforeChip),
        Just(FaultPoint::AfterChip),
        (0usize..=3).prop_map(FaultPoint::Partway),
    ]
}

fn error_kind() -> impl Strategy<Value = ErrorKind> {
    prop_oneof![
        Just(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)),
        Just(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Unknown)),
        Just(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)),
        Just(ErrorKind::ArbitrationLoss),
        Just(ErrorKind::Bus),
    ]
}

/// One step: the battery moves and time passes, a fault may be planned, then the operation runs (in the async
/// test, for at most `polls` polls).
#[derive(Debug, Clone)]
struct Step {
    op: Op,
    fault: Option<(u32, FaultPoint)>,
    battery: i8,
    elapse_ms: u16,
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    polls: usize,
    /// The bus reads 0xFF for this step (a floating bus, no battery).
    stuck: bool,
    /// After an error or a drop, the faults stop and the same operation runs again to completion.
    retry: bool,
}

fn step() -> impl Strategy<Value = Step> {
    (
        op(),
        proptest::option::of((0u32..2, fault_point())),
        -15i8..=15,
        prop_oneof![Just(0u16), 0u16..=600],
        0usize..8,
        proptest::bool::weighted(0.05),
        any::<bool>(),
    )
        .prop_map(|(op, fault, battery, elapse_ms, polls, stuck, retry)| Step {
            op,
            fault,
            battery,
            elapse_ms,
            polls,
            stuck,
            retry,
        })
}

/// The chip and the faults of one case.
#[derive(Debug, Clone)]
struct Setup {
    soc: u8,
    por: PorResponse,
    kind: ErrorKind,
    seed: u64,
    per_mille: u16,
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        0u8..=100,
        prop_oneof![Just(PorCommand::Current), Just(PorCommand::Legacy)],
        any::<bool>(),
        error_kind(),
        any::<u64>(),
        prop_oneof![Just(0u16), 0u16..=300],
    )
        .prop_map(|(soc, honours, acknowledges, kind, seed, per_mille)| Setup {
            soc,
            por: PorResponse { honours, acknowledges },
            kind,
            seed,
            per_mille,
        })
}

fn new_chip(setup: &Setup) -> Chip {
    let chip = chip(setup.soc);
    {
        let mut bus = chip.borrow_mut();
        bus.inner_mut().set_por_response(setup.por);
        bus.set_error_kind(setup.kind);
        bus.fail_randomly(setup.seed, setup.per_mille);
    }
    chip
}

/// Moves the battery and the clock, and plans the step's fault.
fn before(chip: &Chip, step: &Step) {
    let mut bus = chip.borrow_mut();
    let delta = StateOfCharge::from_percent(step.battery.unsigned_abs());
    if step.battery < 0 {
        bus.inner_mut().discharge(delta);
    } else {
        bus.inner_mut().charge(delta);
    }
    bus.inner_mut().elapse_ms(u32::from(step.elapse_ms));
    if let Some((n, point)) = step.fault {
        bus.fail_nth(n, point);
    }
    bus.stuck_at(step.stuck.then_some(0xFF));
}

/// What the chip holds that the checks look at.
struct Seen {
    transactions: u32,
    cleared_unseen: u32,
}

fn seen(chip: &Chip) -> Seen {
    let bus = chip.borrow();
    Seen {
        transactions: bus.transactions(),
        cleared_unseen: bus.inner().alerts_cleared_unseen(),
    }
}

/// The checks after an operation; `result` is `None` when the future was dropped.
fn check(
    chip: &Chip,
    step: &Step,
    was: &Seen,
    result: Option<Outcome>,
    cached: Option<Settings>,
) -> Result<(), TestCaseError> {
    let now = seen(chip);
    let op = step.op;
    prop_assert!(
        now.transactions - was.transactions <= 2,
        "{op:?}: {} transactions",
        now.transactions - was.transactions
    );
    if let Some(cached) = cached {
        prop_assert_eq!(cached, chip_settings(chip), "{:?}: cache differs from the chip", op);
    }
    let sim_alerts_over_clear = chip.borrow().inner().alerts_written_over_clear();
    prop_assert_eq!(sim_alerts_over_clear, 0, "{:?}: ALRT written 1 over 0", op);
    if !matches!(op, Op::ClearAlert | Op::Configure(_)) {
        prop_assert_eq!(
            now.cleared_unseen,
            was.cleared_unseen,
            "{:?} cleared an unseen alert",
            op
        );
    }
    if let Some(Err(Error::Argument(_))) = result {
        prop_assert_eq!(
            now.transactions,
            was.transactions,
            "{:?}: an argument error sent something",
            op
        );
    }
    if let Some(Ok(())) = result {
        let chip_now = chip_settings(chip);
        match op {
            Op::Configure(settings) => prop_assert_eq!(chip_now, settings),
            Op::SetRcomp(rcomp) => prop_assert_eq!(chip_now.rcomp, rcomp),
            Op::SetRcompForTemperature(t) => prop_assert_eq!(chip_now.rcomp, COMPENSATION.rcomp(t)),
            Op::SetAlertThreshold(percent) => prop_assert_eq!(chip_now.alert_threshold_percent, percent),
            Op::Sleep => prop_assert!(chip_now.sleep),
            Op::Wake => prop_assert!(!chip_now.sleep),
            Op::PowerOnReset(_) => prop_assert_eq!(chip_now, Settings::default()),
            Op::ClearAlert => prop_assert!(!chip.borrow().inner().alert_pin_low()),
            _ => {}
        }
    }
    Ok(())
}

type Outcome = Result<(), Error<max17043::sim::FaultyBusError<ErrorKind>>>;

/// Stops the faults for a retry.
fn quiet(chip: &Chip) {
    let mut bus = chip.borrow_mut();
    bus.stop_failing();
    bus.stuck_at(None);
}

/// Starts the random faults again after a retry.
fn resume(chip: &Chip, setup: &Setup, index: usize) {
    chip.borrow_mut()
        .fail_randomly(setup.seed ^ (index as u64 + 1), setup.per_mille);
}

/// A retry on a quiet bus completes the job (invariant 7: the next call does what one uninterrupted call would):
/// `Ok`, but for an argument out of range and a reset command this chip does not honour.
fn completes(setup: &Setup, op: Op, result: &Outcome) -> Result<(), TestCaseError> {
    match (op, result) {
        (_, Ok(())) | (_, Err(Error::Argument(_))) => Ok(()),
        (Op::PowerOnReset(command), Err(Error::ResetNotConfirmed)) if command != setup.por.honours => Ok(()),
        _ => Err(TestCaseError::fail(format!(
            "{op:?} retried on a quiet bus: {result:?}"
        ))),
    }
}

proptest! {
    #[test]
    fn blocking_driver_keeps_its_belief_equal_to_the_chip(
        setup in setup(),
        steps in proptest::collection::vec(step(), 1..=12),
    ) {
        let chip = new_chip(&setup);
        let mut gauge = Gauge::new(Shared(&chip), Variant::Max17043);
        for (index, step) in steps.iter().enumerate() {
            before(&chip, step);
            let was = seen(&chip);
            let result = ops::blocking::apply(&mut gauge, step.op);
            let failed = result.is_err();
            check(&chip, step, &was, Some(result), gauge.cached_settings())?;
            if step.retry && failed {
                quiet(&chip);
                let was = seen(&chip);
                let result = ops::blocking::apply(&mut gauge, step.op);
                completes(&setup, step.op, &result)?;
                check(&chip, step, &was, Some(result), gauge.cached_settings())?;
                resume(&chip, &setup, index);
            }
        }
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn async_driver_keeps_its_belief_equal_to_the_chip_with_dropped_futures(
        setup in setup(),
        steps in proptest::collection::vec(step(), 1..=12),
    ) {
        let chip = new_chip(&setup);
        chip.borrow_mut().yield_around_transactions(true);
        let mut gauge = GaugeAsync::new(Shared(&chip), Variant::Max17043);
        for (index, step) in steps.iter().enumerate() {
            before(&chip, step);
            let was = seen(&chip);
            let result = poll_then_drop(ops::asynch::apply(&mut gauge, step.op), step.polls);
            let failed = !matches!(result, Some(Ok(())));
            check(&chip, step, &was, result, gauge.cached_settings())?;
            if step.retry && failed {
                quiet(&chip);
                let was = seen(&chip);
                let result = block_on(ops::asynch::apply(&mut gauge, step.op));
                completes(&setup, step.op, &result)?;
                check(&chip, step, &was, Some(result), gauge.cached_settings())?;
                resume(&chip, &setup, index);
            }
        }
    }
}
