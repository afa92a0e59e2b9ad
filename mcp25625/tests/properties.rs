//! Property tests (issue 12): random sequences of public operations against the simulator behind a `FaultyBus`
//! with random faults (and, for the async driver, futures dropped at random await points). After every
//! operation, Ok or Err: every value the driver caches is unknown or equal to the chip's; the call made a bounded
//! number of transactions; frames received are the frames that arrived, in order, none lost or duplicated;
//! frames sent are frames the caller queued (or was told may have been sent), in order, none twice, and none
//! the caller was told was not sent.
//!
//! `PROPTEST_CASES=10000 cargo test -p mcp25625 --all-features --test properties` for a longer run.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    clippy::cast_possible_truncation
)]
mod common;

use common::*;
use mcp25625::sim::{FaultPoint, FaultyBus, Mcp25625Sim};
use mcp25625::CacheView;
use proptest::prelude::*;

// the simulator's registers, spelled out here as the datasheet gives them
const CANCTRL: u8 = 0x0F;
const CNF3: u8 = 0x28;
const CANINTE: u8 = 0x2B;
const CANINTF: u8 = 0x2C;
const BFPCTRL: u8 = 0x0C;
const RXB0CTRL: u8 = 0x60;
const TXB_CTRL: [u8; 3] = [0x30, 0x40, 0x50];

/// The most transactions one operation may make (init with a slow mode confirmation is the longest).
const MAX_TRANSACTIONS: u32 = 40;

#[derive(Debug, Clone)]
enum Op {
    Init {
        mode: Mode,
        rollover: bool,
    },
    Reset,
    /// `configure` (no RESET): from whatever the driver knows.
    Configure {
        mode: Mode,
        rollover: bool,
        filtered: bool,
        interrupts: u8,
    },
    /// The chip is reset behind the driver's back (a RESET the caller knows happened), then the driver is
    /// told so with `assume_power_on_state`.
    PowerOn,
    SetMode(Mode),
    TrySend,
    Send,
    AbortAll,
    Abort(u8),
    ClearTxFlags,
    SetTxPins(bool),
    TryReceive,
    Receive,
    SetOneShot(bool),
    SetInterrupts(u8),
    SetRxPin(bool),
    SetFilter,
    SetBitTiming,
    SetClockOut(bool),
    SetWakeFilter(bool),
    SetAcceptance(bool),
    ReadMode,
    ServiceErrors,
    /// Test-side, no driver call: a frame arrives from the bus (when the chip has room for it).
    Arrive,
    /// Test-side: the rest of the bus acknowledges frames or not.
    Acknowledge(bool),
    /// Test-side: the chip confirms mode requests after this many CS frames.
    ModeDelay(u32),
    /// Test-side: the chip ignores mode requests (never confirms them), or not.
    RefuseModes(bool),
    Wake(Mode),
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::Normal),
        Just(Mode::ListenOnly),
        Just(Mode::Configuration),
        Just(Mode::Sleep),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (mode(), any::<bool>()).prop_map(|(mode, rollover)| Op::Init { mode, rollover }),
        1 => Just(Op::Reset),
        1 => (mode(), any::<bool>(), any::<bool>(), any::<u8>()).prop_map(|(mode, rollover, filtered, interrupts)| {
            Op::Configure { mode, rollover, filtered, interrupts }
        }),
        1 => Just(Op::PowerOn),
        1 => mode().prop_map(Op::SetMode),
        3 => Just(Op::TrySend),
        1 => Just(Op::Send),
        1 => Just(Op::AbortAll),
        1 => (0u8..3).prop_map(Op::Abort),
        1 => Just(Op::ClearTxFlags),
        1 => any::<bool>().prop_map(Op::SetTxPins),
        5 => Just(Op::TryReceive),
        1 => Just(Op::Receive),
        1 => any::<bool>().prop_map(Op::SetOneShot),
        1 => any::<u8>().prop_map(Op::SetInterrupts),
        1 => any::<bool>().prop_map(Op::SetRxPin),
        1 => Just(Op::SetFilter),
        1 => Just(Op::SetBitTiming),
        1 => any::<bool>().prop_map(Op::SetClockOut),
        1 => any::<bool>().prop_map(Op::SetWakeFilter),
        1 => any::<bool>().prop_map(Op::SetAcceptance),
        1 => Just(Op::ReadMode),
        1 => Just(Op::ServiceErrors),
        6 => Just(Op::Arrive),
        1 => any::<bool>().prop_map(Op::Acknowledge),
        1 => (0u32..4).prop_map(Op::ModeDelay),
        1 => any::<bool>().prop_map(Op::RefuseModes),
        1 => prop_oneof![Just(Mode::Normal), Just(Mode::ListenOnly), Just(Mode::Configuration)].prop_map(Op::Wake),
    ]
}

fn fault() -> impl Strategy<Value = Option<(u32, FaultPoint)>> {
    let point = prop_oneof![
        Just(FaultPoint::BeforeChip),
        Just(FaultPoint::AfterChip),
        (0usize..16).prop_map(FaultPoint::Partway),
    ];
    prop_oneof![1 => Just(None), 2 => (0u32..5, point).prop_map(Some)]
}

/// What an operation told the caller about frames.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// Nothing to record.
    Other,
    /// The frame was queued.
    Queued(Frame),
    /// The caller was told it was not sent.
    NotSent(Frame),
    /// The caller cannot know (MaybeSent, or a dropped future).
    MaybeSent(Frame),
    /// A frame received.
    Received(Frame),
}

/// The test's own record of the frames.
#[derive(Debug, Default)]
struct Ledger {
    counter: u16,
    /// Frames that reached a receive buffer, in arrival order; the first `delivered` were returned (or, with
    /// `lossy`, passed over).
    arrived: Vec<Frame>,
    delivered: usize,
    /// READ RX BUFFER: a frame may be lost to a fault, and the order of the two buffers with it (never a frame
    /// twice).
    lossy: bool,
    received: Vec<Frame>,
    /// Frames the caller tried to send, in order, and whether it may be on the bus.
    attempts: Vec<(Frame, bool)>,
}

impl Ledger {
    fn next_frame(&mut self, base: u16) -> Frame {
        self.counter += 1;
        let n = self.counter;
        std_frame(base + (n & 0xFF), &[n as u8, (n >> 8) as u8])
    }
}

type Bus = FaultyBus<Mcp25625Sim>;

#[maybe_async_cfg::maybe(
    idents(Mcp25625(sync = "Mcp25625", async = "Mcp25625Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod drive {
    use super::*;
    use mcp25625::Mcp25625;

    /// A driver on a chip initialised into normal mode (with or without rollover).
    pub async fn driver(rollover: bool) -> Mcp25625<Bus> {
        let mut can = Mcp25625::new(FaultyBus::new(Mcp25625Sim::new()));
        let mut config = config_500k();
        config.rollover = rollover;
        can.init(&config, &mut NoopDelay).await.unwrap();
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(200));
        can.set_send_timeout(fugit::MicrosDurationU32::micros(30));
        can.set_receive_timeout(fugit::MicrosDurationU32::micros(30));
        can
    }

    /// Runs one driver operation; `frame` is the frame a send sends.
    pub async fn apply(can: &mut Mcp25625<Bus>, op: &Op, frame: Frame) -> Outcome {
        let d = &mut NoopDelay;
        match op {
            Op::Init { mode, rollover } => {
                let mut config = config_500k().mode(*mode);
                config.rollover = *rollover;
                let _ = can.init(&config, d).await;
            }
            Op::Reset => {
                let _ = can.reset(d).await;
            }
            Op::Configure {
                mode,
                rollover,
                filtered,
                interrupts,
            } => {
                let acceptance = if *filtered {
                    Acceptance::Filtered
                } else {
                    Acceptance::All
                };
                let mut config = config_500k()
                    .mode(*mode)
                    .acceptance(acceptance)
                    .interrupts(Interrupts::from_bits_truncate(*interrupts));
                config.rollover = *rollover;
                let _ = can.configure(&config, d).await;
            }
            Op::PowerOn => {
                // behind the driver's back, past the faulty bus: the caller resets the chip and knows it
                embedded_hal::spi::SpiDevice::write(can.bus_mut().inner_mut(), &[0xC0]).unwrap();
                can.assume_power_on_state();
            }
            Op::SetMode(mode) => {
                let _ = can.set_mode(*mode, d).await;
            }
            Op::TrySend => {
                return match can.try_send(&frame).await {
                    Ok(Some(_)) => Outcome::Queued(frame),
                    Ok(None) | Err(Error::Bus(_)) => Outcome::NotSent(frame),
                    Err(Error::MaybeSent { .. }) => Outcome::MaybeSent(frame),
                    Err(e) => panic!("try_send: {e:?}"),
                };
            }
            Op::Send => {
                return match can.send(&frame).await {
                    Ok(_) => Outcome::Queued(frame),
                    Err(Error::Bus(_) | Error::Timeout) => Outcome::NotSent(frame),
                    Err(Error::MaybeSent { .. }) => Outcome::MaybeSent(frame),
                    Err(e) => panic!("send: {e:?}"),
                };
            }
            Op::AbortAll => {
                let _ = can.abort_all().await;
            }
            Op::Abort(n) => {
                let buffer = [TxBuffer::B0, TxBuffer::B1, TxBuffer::B2][usize::from(*n)];
                let _ = can.abort(buffer).await;
            }
            Op::ClearTxFlags => {
                let _ = can
                    .clear_interrupts(Interrupts::TX0 | Interrupts::TX1 | Interrupts::TX2)
                    .await;
            }
            Op::SetTxPins(rts) => {
                let pin = if *rts {
                    TxPinMode::RequestToSend
                } else {
                    TxPinMode::Input
                };
                let _ = can.set_tx_pins([pin; 3]).await;
            }
            Op::TryReceive => {
                if let Ok(Some(frame)) = can.try_receive().await {
                    return Outcome::Received(frame);
                }
            }
            Op::Receive => {
                if let Ok(frame) = can.receive().await {
                    return Outcome::Received(frame);
                }
            }
            Op::SetOneShot(on) => {
                let _ = can.set_one_shot(*on).await;
            }
            Op::SetInterrupts(bits) => {
                let _ = can.set_interrupts(Interrupts::from_bits_truncate(*bits)).await;
            }
            Op::SetRxPin(high) => {
                let _ = can.set_rx_pin(RxBuffer::B1, RxPinMode::Output(*high)).await;
            }
            Op::SetFilter => {
                let _ = can.set_filter(FilterNumber::F1, Filter::standard(0x7FF)).await;
            }
            Op::SetBitTiming => {
                let _ = can.set_bit_timing(BitTiming::new(16.MHz(), 250.kHz()).unwrap()).await;
            }
            Op::SetClockOut(sof) => {
                let out = if *sof {
                    ClockOut::StartOfFrame
                } else {
                    ClockOut::Divide2
                };
                let _ = can.set_clock_out(out).await;
            }
            Op::SetWakeFilter(on) => {
                let _ = can.set_wake_filter(*on).await;
            }
            Op::SetAcceptance(rollover) => {
                let _ = can.set_acceptance(Acceptance::All, *rollover).await;
            }
            Op::ReadMode => {
                let _ = can.read_mode().await;
            }
            Op::ServiceErrors => {
                let _ = can.service_errors().await;
            }
            Op::Wake(mode) => {
                let _ = can.wake(*mode, d).await;
            }
            Op::Arrive | Op::Acknowledge(_) | Op::ModeDelay(_) | Op::RefuseModes(_) => {}
        }
        Outcome::Other
    }

    /// Receives every frame left, without faults.
    pub async fn drain(can: &mut Mcp25625<Bus>, ledger: &mut Ledger) {
        can.bus_mut().stop_failing();
        for _ in 0..8 {
            match can.try_receive().await.unwrap() {
                Some(frame) => record(ledger, Outcome::Received(frame)),
                None => break,
            }
        }
    }
}

/// The test-side operations: they touch the simulator only.
fn test_side(sim: &mut Mcp25625Sim, op: &Op, ledger: &mut Ledger) {
    match op {
        Op::Arrive => {
            // only when the chip has room (an overflow is the chip's loss, not the driver's), and not while it
            // sleeps (bus activity would wake it behind the driver's back)
            let flags = sim.register(CANINTF) & 3;
            let rollover = sim.register(RXB0CTRL) & 0x04 != 0;
            let room = if rollover { flags != 3 } else { flags & 1 == 0 };
            if room && sim.mode() != Some(Mode::Sleep) {
                let frame = ledger.next_frame(0x400);
                let before = sim.frames_stored();
                sim.inject(&frame);
                if sim.frames_stored() != before {
                    ledger.arrived.push(frame);
                }
            }
        }
        Op::Acknowledge(on) => sim.set_acknowledged(*on),
        Op::ModeDelay(frames) => sim.set_mode_delay(*frames),
        Op::RefuseModes(refuse) => sim.refuse_mode_changes(*refuse),
        _ => {}
    }
}

fn record(ledger: &mut Ledger, outcome: Outcome) {
    match outcome {
        Outcome::Other => {}
        Outcome::Queued(frame) | Outcome::MaybeSent(frame) => ledger.attempts.push((frame, true)),
        Outcome::NotSent(frame) => ledger.attempts.push((frame, false)),
        Outcome::Received(frame) if ledger.lossy => {
            assert!(ledger.arrived.contains(&frame), "{frame:?} never arrived: {ledger:?}");
            assert!(
                !ledger.received.contains(&frame),
                "{frame:?} received twice: {ledger:?}"
            );
            ledger.received.push(frame);
        }
        Outcome::Received(frame) => {
            let expected = ledger.arrived.get(ledger.delivered).copied();
            assert_eq!(
                Some(frame),
                expected,
                "received out of order, twice, or never arrived (arrived {:?}, delivered {})",
                ledger.arrived,
                ledger.delivered
            );
            ledger.delivered += 1;
        }
    }
}

/// A RESET reached the chip: the frames in its buffers are gone (the one the driver holds is not).
fn chip_was_reset(ledger: &mut Ledger, cache: &CacheView) {
    let keep = ledger.delivered + usize::from(cache.holds_frame);
    ledger.arrived.truncate(keep.min(ledger.arrived.len()));
}

/// The driver's belief against the chip, and the frames sent against what the caller was told.
fn check(cache: &CacheView, sim: &Mcp25625Sim, ledger: &Ledger, op: &Op) {
    let context = || format!("after {op:?}: {cache:?}");
    if let Some(mode) = cache.mode {
        assert_eq!(sim.mode(), Some(mode), "OPMOD, {}", context());
        assert_eq!(sim.requested_mode(), Some(mode), "REQOP, {}", context());
    }
    if let Some(bits) = cache.canctrl {
        assert_eq!(sim.register(CANCTRL) & 0x0F, bits, "CANCTRL, {}", context());
    }
    if !cache.abort_may_be_set {
        assert_eq!(sim.register(CANCTRL) & 0x10, 0, "ABAT set, {}", context());
    }
    if let Some(flags) = cache.cnf3_flags {
        assert_eq!(sim.register(CNF3) & 0xC0, flags, "CNF3, {}", context());
    }
    if let Some(value) = cache.caninte {
        assert_eq!(sim.register(CANINTE), value, "CANINTE, {}", context());
    }
    if let Some(value) = cache.bfpctrl {
        assert_eq!(sim.register(BFPCTRL), value, "BFPCTRL, {}", context());
    }
    for (n, base) in TXB_CTRL.into_iter().enumerate() {
        if let Some(priority) = cache.priorities[n] {
            assert_eq!(sim.register(base) & 3, priority, "TXP{n}, {}", context());
        }
        if let Some(header) = cache.tx_headers[n] {
            let chip: Vec<u8> = (1..=5).map(|i| sim.register(base + i)).collect();
            assert_eq!(chip, header, "TXB{n} header, {}", context());
        }
    }
    if let Some(rollover) = cache.rollover {
        assert_eq!(sim.register(RXB0CTRL) & 0x04 != 0, rollover, "BUKT, {}", context());
    }
    if let Some(bits) = cache.rxb0ctrl {
        assert_eq!(sim.register(RXB0CTRL) & 0x64, bits, "RXM and BUKT, {}", context());
    }
    // frames on the bus: each one the caller may have queued, in the order queued, none twice
    let mut attempts = ledger.attempts.iter();
    for sent in sim.sent() {
        let found = attempts.by_ref().find(|(frame, _)| frame == sent);
        match found {
            Some((_, true)) => {}
            Some((_, false)) => panic!("{sent:?} was sent although the caller was told it was not"),
            None => panic!("{sent:?} sent out of order or twice: {:?}", ledger.attempts),
        }
    }
}

/// A frame the caller was told is queued: on the bus already, or pending in a TX buffer (TXREQ set, or its one
/// one-shot attempt failed, and the buffer holds it: standard identifier, two data bytes, as
/// `Ledger::next_frame` makes them).
fn queued_or_sent(sim: &Mcp25625Sim, frame: &Frame) -> bool {
    if sim.sent().any(|sent| sent == frame) {
        return true;
    }
    let Id::Standard(id) = frame.id() else { return false };
    let id = id.as_raw();
    let data = frame.data();
    let expected = [(id >> 3) as u8, ((id & 7) << 5) as u8, 0, 0, 2, data[0], data[1]];
    TXB_CTRL.into_iter().any(|base| {
        let held: Vec<u8> = (1..=7).map(|i| sim.register(base + i)).collect();
        // TXREQ: pending; TXERR or MLOA: tried once and failed in one-shot mode
        sim.register(base) & (0x08 | 0x10 | 0x20) != 0 && held == expected
    })
}

fn before_op(can_bus: &mut Bus, fault: Option<(u32, FaultPoint)>) -> (u32, u32) {
    can_bus.stop_failing();
    if let Some((n, point)) = fault {
        can_bus.fail_nth(n, point);
    }
    (can_bus.transactions(), can_bus.inner().resets())
}

fn after_op(bus: &mut Bus, start: (u32, u32), op: &Op) -> bool {
    let made = bus.transactions() - start.0;
    assert!(made <= MAX_TRANSACTIONS, "{op:?} made {made} transactions");
    bus.stop_failing();
    bus.inner().resets() != start.1
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn blocking_driver_keeps_its_belief_and_the_frames(
        rollover in any::<bool>(),
        ops in proptest::collection::vec((op(), fault()), 1..=12)
    ) {
        let mut can = blocking::driver(rollover);
        let mut ledger = Ledger::default();
        for (op, fault) in &ops {
            test_side(can.bus_mut().inner_mut(), op, &mut ledger);
            let frame = ledger.next_frame(0x100);
            let start = before_op(can.bus_mut(), *fault);
            let outcome = blocking::apply(&mut can, op, frame);
            let reset = after_op(can.bus_mut(), start, op);
            if reset {
                chip_was_reset(&mut ledger, &can.cache_view());
            }
            if let Outcome::Queued(frame) = outcome {
                assert!(queued_or_sent(can.bus_mut().inner(), &frame), "{frame:?} neither queued nor sent");
            }
            record(&mut ledger, outcome);
            check(&can.cache_view(), can.bus_mut().inner(), &ledger, op);
        }
        blocking::drain(&mut can, &mut ledger);
        prop_assert_eq!(ledger.delivered, ledger.arrived.len(), "frames left behind: {:?}", ledger);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    /// The opt-in READ RX BUFFER: frames may be lost to faults (and the order of the buffers with them), never
    /// duplicated; the rest holds.
    #[test]
    fn read_rx_buffer_may_lose_but_never_duplicates(
        rollover in any::<bool>(),
        ops in proptest::collection::vec((op(), fault()), 1..=12)
    ) {
        let mut can = blocking::driver(rollover);
        can.set_receive_method(ReceiveMethod::ReadRxBuffer);
        let mut ledger = Ledger { lossy: true, ..Ledger::default() };
        for (op, fault) in &ops {
            test_side(can.bus_mut().inner_mut(), op, &mut ledger);
            let frame = ledger.next_frame(0x100);
            let start = before_op(can.bus_mut(), *fault);
            let outcome = blocking::apply(&mut can, op, frame);
            let reset = after_op(can.bus_mut(), start, op);
            if reset {
                chip_was_reset(&mut ledger, &can.cache_view());
            }
            if let Outcome::Queued(frame) = outcome {
                assert!(queued_or_sent(can.bus_mut().inner(), &frame), "{frame:?} neither queued nor sent");
            }
            record(&mut ledger, outcome);
            check(&can.cache_view(), can.bus_mut().inner(), &ledger, op);
        }
        blocking::drain(&mut can, &mut ledger);
    }
}

#[cfg(feature = "async")]
proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn async_driver_keeps_its_belief_and_the_frames_when_dropped(
        rollover in any::<bool>(),
        ops in proptest::collection::vec((op(), fault(), proptest::option::of(0usize..24)), 1..=12)
    ) {
        let mut can = block_on(asynch::driver(rollover));
        can.bus_mut().yield_around_transactions(true);
        let mut ledger = Ledger::default();
        for (op, fault, polls) in &ops {
            test_side(can.bus_mut().inner_mut(), op, &mut ledger);
            let frame = ledger.next_frame(0x100);
            let start = before_op(can.bus_mut(), *fault);
            let outcome = match polls {
                None => block_on(asynch::apply(&mut can, op, frame)),
                Some(polls) => poll_then_drop(asynch::apply(&mut can, op, frame), *polls).unwrap_or(
                    match op {
                        Op::TrySend | Op::Send => Outcome::MaybeSent(frame),
                        _ => Outcome::Other,
                    },
                ),
            };
            let reset = after_op(can.bus_mut(), start, op);
            if reset {
                chip_was_reset(&mut ledger, &can.cache_view());
            }
            if let Outcome::Queued(frame) = outcome {
                assert!(queued_or_sent(can.bus_mut().inner(), &frame), "{frame:?} neither queued nor sent");
            }
            record(&mut ledger, outcome);
            check(&can.cache_view(), can.bus_mut().inner(), &ledger, op);
        }
        block_on(asynch::drain(&mut can, &mut ledger));
        prop_assert_eq!(ledger.delivered, ledger.arrived.len(), "frames left behind: {:?}", ledger);
    }
}
