//! Property tests (issue 12): random sequences of public operations against the simulator behind a `FaultyBus`
//! that fails random transactions at random points; for the async driver, futures are also dropped at random await
//! points. After every operation, Ok or not: every cached register is unknown or equal to the chip's, the call made
//! at most `MAX_TRANSACTIONS` transactions, a successful call did what it says on the chip, and a call that met no
//! fault did not fail. `PROPTEST_CASES` sets the case count (proptest's default: 256).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#![cfg(feature = "sim")]
mod common;

use common::*;
use pca9685::sim::{FaultPoint, FaultyBus, FaultyBusError, Pca9685Sim};
use pca9685::{Oscillator, OutputChange};
use proptest::prelude::*;

/// The most transactions any one operation may make: a PRE_SCALE change on a running chip (read MODE1, sleep,
/// PRE_SCALE, wake, RESTART).
const MAX_TRANSACTIONS: u32 = 5;
/// The frequency fed to the simulated chip's EXTCLK pin, and told to the driver with `Oscillator::External`.
const EXTCLK_HZ: u32 = 40_000_000;

type BusError = Error<FaultyBusError<ErrorKind>>;

#[derive(Debug, Clone)]
enum Op {
    Wake,
    Sleep,
    Restart,
    SoftwareReset,
    /// The chip's supply cycled (the simulator's power-on reset), then `assume_power_on_state`.
    PowerCycle,
    SetFrequency(u32),
    SetPrescale(u8),
    SetOscillator(bool),
    Frequency,
    Period,
    SetDuty(Channel, u16),
    SetFullOff(Channel),
    SetChannel(Channel, ChannelSetting),
    SetChannels(Channel, usize, ChannelSetting),
    SetAll(ChannelSetting),
    AllOff,
    SetPulseWidth(Channel, u32),
    ReadChannel(Channel),
    ReadChannels,
    SetAutoIncrement(bool),
    SetOutputChange(bool),
    SetOutputInvert(bool),
    EnableAllCall(bool),
    ReadMode1,
    OutputConfig,
    Prescale,
    Resync,
    InvalidateCache,
}

/// What a successful operation returned, to be checked against the chip.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Nothing,
    Millihertz(u32),
    Restarted(bool),
    Counts(u16),
    Setting(ChannelSetting),
    Settings([ChannelSetting; 16]),
}

#[maybe_async_cfg::maybe(
    idents(Pca9685(sync = "Pca9685", async = "Pca9685Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use super::{BusError, Op, Value, EXTCLK_HZ};
    use fugit::{ExtU32, HertzU32};
    use pca9685::sim::{FaultyBus, Pca9685Sim};
    use pca9685::{Oscillator, OutputChange, Pca9685};

    pub type Driver = Pca9685<FaultyBus<Pca9685Sim>>;

    pub async fn apply(pca: &mut Driver, op: &Op) -> Result<Value, BusError> {
        let d = &mut NoopDelay;
        let nothing = |()| Value::Nothing;
        match *op {
            Op::Wake => pca.wake(d).await.map(nothing),
            Op::Sleep => pca.sleep().await.map(nothing),
            Op::Restart => pca.restart(d).await.map(Value::Restarted),
            Op::SoftwareReset => pca.software_reset().await.map(nothing),
            Op::PowerCycle => {
                pca.bus_mut().inner_mut().power_on_reset();
                pca.assume_power_on_state();
                Ok(Value::Nothing)
            }
            Op::SetFrequency(hz) => pca
                .set_frequency(HertzU32::from_raw(hz), d)
                .await
                .map(|f| Value::Millihertz(f.raw())),
            Op::SetPrescale(prescale) => pca.set_prescale(prescale, d).await.map(nothing),
            Op::SetOscillator(external) => {
                let oscillator = if external {
                    Oscillator::External(HertzU32::from_raw(EXTCLK_HZ))
                } else {
                    Oscillator::Internal
                };
                pca.set_oscillator(oscillator).await.map(nothing)
            }
            Op::Frequency => pca.frequency().await.map(|f| Value::Millihertz(f.raw())),
            Op::Period => pca.period().await.map(|_| Value::Nothing),
            Op::SetDuty(channel, duty) => pca.set_duty_cycle(channel, duty).await.map(nothing),
            Op::SetFullOff(channel) => pca.set_channel_full_off(channel).await.map(nothing),
            Op::SetChannel(channel, setting) => pca.set_channel(channel, setting).await.map(nothing),
            Op::SetChannels(first, n, setting) => pca.set_channels(first, &[setting; 16][..n]).await.map(nothing),
            Op::SetAll(setting) => pca.set_all(setting).await.map(nothing),
            Op::AllOff => pca.all_off().await.map(nothing),
            Op::SetPulseWidth(channel, us) => pca.set_pulse_width(channel, us.micros()).await.map(Value::Counts),
            Op::ReadChannel(channel) => pca.channel(channel).await.map(Value::Setting),
            Op::ReadChannels => pca.channels().await.map(Value::Settings),
            Op::SetAutoIncrement(on) => pca.set_auto_increment(on).await.map(nothing),
            Op::SetOutputChange(on_ack) => {
                let change = if on_ack {
                    OutputChange::OnAck
                } else {
                    OutputChange::OnStop
                };
                pca.set_output_change(change).await.map(nothing)
            }
            Op::SetOutputInvert(invert) => pca.set_output_invert(invert).await.map(nothing),
            Op::EnableAllCall(on) => pca.enable_all_call(on).await.map(nothing),
            Op::ReadMode1 => pca.read_mode1().await.map(|_| Value::Nothing),
            Op::OutputConfig => pca.output_config().await.map(|_| Value::Nothing),
            Op::Prescale => pca.prescale().await.map(|_| Value::Nothing),
            Op::Resync => pca.resync().await.map(nothing),
            Op::InvalidateCache => {
                pca.invalidate_cache();
                Ok(Value::Nothing)
            }
        }
    }
}

/// What the test expects of the chip across operations: whether it sleeps (`None`: unknown, after a failed or
/// dropped sleep, wake, restart or reset), and whether a PRE_SCALE change was interrupted (the chip may sleep
/// until the next one completes it).
#[derive(Debug, Default)]
struct Model {
    sleeping: Option<bool>,
    prescale_interrupted: bool,
}

/// The chip's LED registers of a channel, decoded as the driver decodes them.
fn chip_setting(chip: &Pca9685Sim, channel: Channel) -> ChannelSetting {
    let base = 6 + 4 * channel.index();
    ChannelSetting::decode([0, 1, 2, 3].map(|i| chip.register(base + i)))
}

/// What a channel write leaves in the registers: full off keeps the counts with OCH = 0.
fn assert_channel(chip: &Pca9685Sim, channel: Channel, setting: ChannelSetting) -> Result<(), TestCaseError> {
    prop_assert_eq!(chip_setting(chip, channel), setting, "{:?}", channel);
    prop_assert!(
        !chip.pending_update(channel),
        "{:?} registers written but not applied",
        channel
    );
    Ok(())
}

/// Every check after one operation. `outcome` is `None` for a dropped future.
fn check(
    op: &Op,
    outcome: Option<&Result<Value, BusError>>,
    faulted: bool,
    transactions: u32,
    cache: [Option<u8>; 3],
    chip: &Pca9685Sim,
    model: &mut Model,
) -> Result<(), TestCaseError> {
    // invariants 1, 2, 7: the cache is the chip's, or unknown
    let [mode1, mode2, prescale] = cache;
    if let Some(mode1) = mode1 {
        prop_assert_eq!(mode1, chip.register(0x00) & 0x7F, "MODE1 cache");
    }
    if let Some(mode2) = mode2 {
        prop_assert_eq!(mode2, chip.register(0x01), "MODE2 cache");
    }
    if let Some(prescale) = prescale {
        prop_assert_eq!(prescale, chip.register(0xFE), "PRE_SCALE cache");
    }
    // invariant 4: a bounded number of transactions
    prop_assert!(transactions <= MAX_TRANSACTIONS, "{} transactions", transactions);
    prop_assert_eq!(chip.test_mode_writes(), 0);
    let ok = matches!(outcome, Some(Ok(_)));
    // a call that met no fault and was not dropped fails only for a reason of the chip's state
    if !faulted {
        if let Some(Err(e)) = outcome {
            prop_assert!(
                matches!(
                    e,
                    Error::Argument(_) | Error::ExternalClockLatched | Error::ExternalClockNotSet
                ),
                "{:?} without a fault: {:?}",
                op,
                e
            );
        }
    }
    let extclk = chip.register(0x00) & 0x40 != 0;
    match (op, outcome) {
        // invariant 6: what the driver reports is what the chip does
        (Op::Frequency | Op::SetFrequency(_), Some(Ok(Value::Millihertz(f)))) => {
            prop_assert_eq!(*f, chip.frequency_mhz(), "reported frequency");
        }
        (Op::SetOscillator(false), Some(Ok(_))) => prop_assert!(!extclk),
        (_, Some(Err(Error::ExternalClockLatched))) => prop_assert!(extclk),
        (_, Some(Err(Error::ExternalClockNotSet))) => prop_assert!(!extclk),
        (Op::SetDuty(channel, duty), Some(Ok(_))) => {
            assert_channel(chip, *channel, ChannelSetting::from_duty(*duty, 0).unwrap())?;
        }
        (Op::SetFullOff(channel), Some(Ok(_))) => assert_channel(chip, *channel, ChannelSetting::FullOff)?,
        (Op::SetChannel(channel, setting), Some(Ok(_))) => assert_channel(chip, *channel, *setting)?,
        (Op::SetChannels(first, n, setting), Some(Ok(_))) => {
            for channel in &Channel::ALL[usize::from(first.index())..][..*n] {
                assert_channel(chip, *channel, *setting)?;
            }
        }
        (Op::SetAll(setting), Some(Ok(_))) => {
            for channel in Channel::ALL {
                assert_channel(chip, channel, *setting)?;
            }
        }
        (Op::AllOff, Some(Ok(_))) => {
            for channel in Channel::ALL {
                assert_channel(chip, channel, ChannelSetting::FullOff)?;
            }
        }
        (Op::SetPulseWidth(channel, _), Some(Ok(Value::Counts(counts)))) => {
            assert_channel(chip, *channel, ChannelSetting::from_duty(*counts, 0).unwrap())?;
        }
        (Op::ReadChannel(channel), Some(Ok(Value::Setting(setting)))) => {
            prop_assert_eq!(*setting, chip_setting(chip, *channel));
        }
        (Op::ReadChannels, Some(Ok(Value::Settings(settings)))) => {
            for channel in Channel::ALL {
                prop_assert_eq!(settings[usize::from(channel.index())], chip_setting(chip, channel));
            }
        }
        (Op::SetPrescale(p), Some(Ok(_))) => prop_assert_eq!(chip.register(0xFE), *p),
        _ => {}
    }
    // the sleep state: set by sleep, wake, restart and reset; kept by everything else, except that an interrupted
    // PRE_SCALE change may leave the chip asleep until the next one completes it
    let prescale_op = matches!(op, Op::SetPrescale(_) | Op::SetFrequency(_));
    match op {
        Op::Wake => model.sleeping = ok.then_some(false),
        Op::Sleep | Op::SoftwareReset | Op::PowerCycle | Op::SetOscillator(true) => model.sleeping = ok.then_some(true),
        Op::Restart => match outcome {
            Some(Ok(Value::Restarted(true))) => model.sleeping = Some(false),
            Some(Ok(_)) if !model.prescale_interrupted => {}
            _ => model.sleeping = None,
        },
        _ => {
            if let Some(sleeping) = model.sleeping {
                if (prescale_op && ok) || (!prescale_op && !model.prescale_interrupted) {
                    prop_assert_eq!(chip.is_sleeping(), sleeping, "sleep state after {:?}", op);
                }
            }
        }
    }
    match op {
        Op::Wake | Op::Sleep | Op::SoftwareReset | Op::PowerCycle | Op::SetOscillator(true) | Op::Restart => {
            model.prescale_interrupted = false;
        }
        _ if prescale_op => model.prescale_interrupted = !ok,
        _ => {}
    }
    Ok(())
}

fn channel() -> impl Strategy<Value = Channel> {
    (0u8..16).prop_map(|i| Channel::new(i).unwrap())
}

fn setting() -> impl Strategy<Value = ChannelSetting> {
    prop_oneof![
        Just(ChannelSetting::FullOff),
        (0u16..4096).prop_map(|delay| ChannelSetting::FullOn { delay }),
        (0u16..4096, 1u16..4096).prop_map(|(on, d)| ChannelSetting::Pwm {
            on,
            off: (on + d) & 0x0FFF
        }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    // the multi-step operations (a PRE_SCALE change, the oscillator) and the wake that makes them multi-step
    // weigh more: their interruptions are where the bugs hide
    prop_oneof![
        4 => Just(Op::Wake),
        1 => Just(Op::Sleep),
        1 => Just(Op::Restart),
        1 => Just(Op::SoftwareReset),
        1 => Just(Op::PowerCycle),
        4 => (40u32..1500).prop_map(Op::SetFrequency),
        4 => (3u8..=255).prop_map(Op::SetPrescale),
        2 => any::<bool>().prop_map(Op::SetOscillator),
        1 => Just(Op::Frequency),
        1 => Just(Op::Period),
        2 => (channel(), 0u16..=4096).prop_map(|(c, d)| Op::SetDuty(c, d)),
        2 => channel().prop_map(Op::SetFullOff),
        1 => (channel(), setting()).prop_map(|(c, s)| Op::SetChannel(c, s)),
        1 => (0u8..16, 1usize..=16, setting()).prop_map(|(first, n, s)| {
            let n = n.min(16 - usize::from(first));
            Op::SetChannels(Channel::new(first).unwrap(), n, s)
        }),
        1 => setting().prop_map(Op::SetAll),
        1 => Just(Op::AllOff),
        1 => (channel(), 500u32..2500).prop_map(|(c, us)| Op::SetPulseWidth(c, us)),
        1 => channel().prop_map(Op::ReadChannel),
        1 => Just(Op::ReadChannels),
        1 => any::<bool>().prop_map(Op::SetAutoIncrement),
        2 => any::<bool>().prop_map(Op::SetOutputChange),
        1 => any::<bool>().prop_map(Op::SetOutputInvert),
        1 => any::<bool>().prop_map(Op::EnableAllCall),
        1 => Just(Op::ReadMode1),
        1 => Just(Op::OutputConfig),
        1 => Just(Op::Prescale),
        1 => Just(Op::Resync),
        1 => Just(Op::InvalidateCache),
    ]
}

fn fault() -> impl Strategy<Value = Option<(u32, FaultPoint)>> {
    let point = prop_oneof![
        Just(FaultPoint::BeforeChip),
        Just(FaultPoint::AfterChip),
        (0usize..6).prop_map(FaultPoint::Partway),
    ];
    proptest::option::weighted(0.3, (0u32..MAX_TRANSACTIONS, point))
}

fn chip() -> FaultyBus<Pca9685Sim> {
    let mut sim = Pca9685Sim::new(Address::DEFAULT);
    sim.set_external_clock(fugit::HertzU32::from_raw(EXTCLK_HZ));
    FaultyBus::new(sim)
}

/// Plans the fault of one operation; returns the fault and transaction counters before it.
fn arm(bus: &mut FaultyBus<Pca9685Sim>, fault: Option<(u32, FaultPoint)>) -> (u32, u32) {
    bus.stop_failing();
    if let Some((n, point)) = fault {
        bus.fail_nth(n, point);
    }
    (bus.faults(), bus.transactions())
}

proptest! {
    #[test]
    fn blocking_driver_matches_the_chip_through_faults(
        steps in proptest::collection::vec((op(), fault()), 1..=12)
    ) {
        let mut pca = blocking::Driver::new(chip(), Address::DEFAULT);
        let mut model = Model::default();
        for (op, fault) in &steps {
            let (faults, transactions) = arm(pca.bus_mut(), *fault);
            let outcome = blocking::apply(&mut pca, op);
            let bus = pca.bus();
            check(
                op,
                Some(&outcome),
                bus.faults() != faults,
                bus.transactions() - transactions,
                pca.cache(),
                bus.inner(),
                &mut model,
            )?;
        }
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn async_driver_matches_the_chip_through_faults_and_dropped_futures(
        steps in proptest::collection::vec((op(), fault(), proptest::option::weighted(0.3, 0usize..12)), 1..=12)
    ) {
        let mut pca = asynch::Driver::new(chip(), Address::DEFAULT);
        pca.bus_mut().yield_around_transactions(true);
        let mut model = Model::default();
        for (op, fault, polls) in &steps {
            let (faults, transactions) = arm(pca.bus_mut(), *fault);
            let outcome = match polls {
                Some(polls) => poll_then_drop(asynch::apply(&mut pca, op), *polls),
                None => Some(block_on(asynch::apply(&mut pca, op))),
            };
            let bus = pca.bus();
            check(
                op,
                outcome.as_ref(),
                bus.faults() != faults || outcome.is_none(),
                bus.transactions() - transactions,
                pca.cache(),
                bus.inner(),
                &mut model,
            )?;
        }
    }
}

#[test]
fn the_fault_plan_hits_the_chosen_transaction() {
    // the tools themselves: a fault before the chip changes nothing, after it changes the chip
    let mut pca = blocking::Driver::new(chip(), Address::DEFAULT);
    pca.bus_mut().fail_nth(0, FaultPoint::BeforeChip);
    assert!(pca.set_output_change(OutputChange::OnAck).is_err());
    assert_eq!(pca.bus().inner().register(0x01), 0x04);
    pca.bus_mut().fail_nth(0, FaultPoint::AfterChip);
    assert!(pca.set_output_config(pca9685::OutputConfig::default()).is_err());
    assert_eq!(pca.bus().inner().register(0x01), 0x04);
    // the MODE1 read is transaction 0; the write (2 bytes) is cut after both: the chip took it
    pca.bus_mut().fail_nth(1, FaultPoint::Partway(2));
    assert!(pca.enable_all_call(false).is_err());
    assert_eq!(pca.bus().inner().register(0x00), 0x10);
    // cut after the register pointer: the chip changed nothing
    pca.bus_mut().fail_nth(1, FaultPoint::Partway(1));
    assert!(pca.enable_all_call(true).is_err());
    assert_eq!(pca.bus().inner().register(0x00), 0x10);
    assert!(pca.set_oscillator(Oscillator::Internal).is_ok());
    assert_eq!(pca.bus().faults(), 4);
    assert_eq!(pca.bus().transactions(), 7);
    pca.bus_mut().stuck_at(Some(0xFF));
    assert_eq!(pca.prescale(), Ok(0xFF));
    pca.bus_mut().stuck_at(None);
    pca.bus_mut().fail_randomly(7, 1000);
    assert!(pca.prescale().is_err());
    pca.bus_mut().stop_failing();
    assert_eq!(pca.prescale(), Ok(0x1E));
}
