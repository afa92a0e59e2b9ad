//! Fault tolerance (issue 12): one test per known failure (each failed on the code before its fix), and one per
//! invariant this chip can break, through both drivers, against the simulator behind a `FaultyBus`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Mcp25625(sync = "Mcp25625", async = "Mcp25625Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use mcp25625::sim::{FaultPoint, FaultyBus, Mcp25625Sim};
    use mcp25625::Mcp25625;

    type Can = Mcp25625<FaultyBus<Mcp25625Sim>>;

    // the simulator's registers, spelled out here as the datasheet gives them
    const CANCTRL: u8 = 0x0F;
    const CANINTE: u8 = 0x2B;
    const CANINTF: u8 = 0x2C;
    const EFLG: u8 = 0x2D;
    const WAK: u8 = 0x40;
    const ABAT: u8 = 0x10;
    const RXF0SIDH: u8 = 0x00;

    async fn started(config: Config) -> Can {
        let mut can = Mcp25625::new(FaultyBus::new(Mcp25625Sim::new()));
        can.init(&config, &mut NoopDelay).await.unwrap();
        can
    }

    fn sim(can: &mut Can) -> &mut Mcp25625Sim {
        can.bus_mut().inner_mut()
    }

    fn fail(can: &mut Can, n: u32, point: FaultPoint) {
        can.bus_mut().fail_nth(n, point);
    }

    fn last_sent(can: &mut Can) -> Option<Frame> {
        sim(can).sent().last().copied()
    }

    // ---- known failures ---------------------------------------------------------------------------------

    /// Before: the header cache survived a reset whose detection read failed; the frame went out as ID 0, DLC 0.
    pub async fn reset_with_failed_detection_forgets_the_tx_headers() {
        let mut can = started(config_500k()).await;
        let frame = std_frame(0x123, &[1, 2]);
        can.send(&frame).await.unwrap();
        assert_eq!(last_sent(&mut can), Some(frame));
        // RESET reaches the chip (the TX buffers are cleared), the detection read fails
        fail(&mut can, 1, FaultPoint::BeforeChip);
        assert!(can.reset(&mut NoopDelay).await.is_err());
        assert_eq!(can.cache_view().tx_headers, [None; 3]);
        assert_eq!(can.mode(), None);
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        can.send(&frame).await.unwrap();
        assert_eq!(last_sent(&mut can), Some(frame));
    }

    /// Before: a failed second CANCTRL write left ABAT set, the driver believed it clear: nothing was sent again.
    pub async fn abort_all_failing_half_way_does_not_stop_sending() {
        let mut can = started(config_500k()).await;
        fail(&mut can, 1, FaultPoint::BeforeChip);
        assert!(can.abort_all().await.is_err());
        assert_ne!(sim(&mut can).register(CANCTRL) & ABAT, 0, "ABAT left set on the chip");
        let frame = std_frame(0x42, &[7]);
        assert!(can.try_send(&frame).await.unwrap().is_some());
        assert_eq!(last_sent(&mut can), Some(frame));
        assert_eq!(sim(&mut can).register(CANCTRL) & ABAT, 0);
    }

    /// Before: the failed confirmation kept the old mode in the cache, and the next CANCTRL write (one-shot)
    /// asked for it again.
    pub async fn set_mode_with_failed_confirmation_then_one_shot_keeps_the_chip_mode() {
        let mut can = started(config_500k()).await;
        fail(&mut can, 1, FaultPoint::BeforeChip);
        assert!(can.set_mode(Mode::Configuration, &mut NoopDelay).await.is_err());
        assert_eq!(can.mode(), None);
        assert_eq!(sim(&mut can).mode(), Some(Mode::Configuration));
        can.set_one_shot(true).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Configuration));
        assert_eq!(sim(&mut can).mode(), Some(Mode::Configuration));
        assert_eq!(sim(&mut can).register(CANCTRL) & 0x08, 0x08);
    }

    /// Before: a sleep whose confirmation failed left the driver believing in normal mode, so set_mode(Normal)
    /// skipped the wake-up and timed out on a sleeping chip.
    pub async fn sleep_with_failed_confirmation_then_set_mode_wakes_the_chip() {
        let mut can = started(config_500k()).await;
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(100));
        fail(&mut can, 1, FaultPoint::BeforeChip);
        assert!(can.sleep(&mut NoopDelay).await.is_err());
        assert_eq!(sim(&mut can).mode(), Some(Mode::Sleep));
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        assert_eq!(sim(&mut can).mode(), Some(Mode::Normal));
    }

    /// Before: a wake that failed after setting WAKIE left it on (and WAKIF set) for good.
    pub async fn failed_wake_is_finished_by_the_next_mode_change() {
        let mut can = started(config_500k()).await;
        can.sleep(&mut NoopDelay).await.unwrap();
        // wake: WAKIE (0), WAKIF (1), CANCTRL (2), CANSTAT (3): the confirmation fails
        fail(&mut can, 3, FaultPoint::BeforeChip);
        assert!(can.wake(Mode::Normal, &mut NoopDelay).await.is_err());
        assert_ne!(sim(&mut can).register(CANINTE) & WAK, 0);
        assert_eq!(can.interrupts(), None);
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        assert_eq!(can.interrupts(), Some(Interrupts::RX0 | Interrupts::RX1));
        assert_eq!(sim(&mut can).mode(), Some(Mode::Normal));
        assert_eq!(sim(&mut can).register(CANINTE) & WAK, 0, "WAKIE left on");
        assert_eq!(sim(&mut can).register(CANINTF) & WAK, 0, "WAKIF left set");
    }

    /// Before: with nobody to acknowledge, `send` read the status for ever.
    pub async fn send_to_nobody_ends() {
        let mut can = Mcp25625::new(Budget::new(Mcp25625Sim::new(), 200_000));
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        can.bus_mut().inner.set_acknowledged(false);
        for id in 1..=3 {
            assert!(can.try_send(&std_frame(id, &[])).await.unwrap().is_some());
        }
        assert_eq!(can.send(&std_frame(4, &[])).await, Err(Error::Timeout));
        // 100 ms at 3 µs per READ STATUS
        let polls = can.bus_mut().count;
        assert!((33_000..=33_400).contains(&polls), "{polls}");
        // a deadline the user sets
        can.set_send_timeout(fugit::MicrosDurationU32::micros(30));
        let before = can.bus_mut().count;
        assert_eq!(can.send(&std_frame(4, &[])).await, Err(Error::Timeout));
        assert_eq!(can.bus_mut().count - before, 10);
    }

    /// Before: `receive` read the status for ever when no frame came.
    pub async fn receive_without_frames_ends() {
        let mut can = Mcp25625::new(Budget::new(Mcp25625Sim::new(), 600_000));
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        assert_eq!(can.receive().await, Err(Error::Timeout));
        can.set_receive_timeout(fugit::MicrosDurationU32::micros(9));
        let before = can.bus_mut().count;
        assert_eq!(can.receive().await, Err(Error::Timeout));
        assert_eq!(can.bus_mut().count - before, 3);
    }

    /// Before: 10 µs between CANSTAT reads, for the whole timeout: 100 000 reads for a 1 s timeout.
    pub async fn a_mode_change_the_chip_never_confirms_makes_few_reads() {
        let mut can = Mcp25625::new(Budget::new(Mcp25625Sim::new(), 200_000));
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(1_000_000));
        can.bus_mut().inner.refuse_mode_changes(true);
        let before = can.bus_mut().count;
        assert_eq!(
            can.set_mode(Mode::Sleep, &mut NoopDelay).await,
            Err(Error::ModeTimeout {
                requested: Mode::Sleep,
                current: Some(Mode::Normal)
            })
        );
        let reads = can.bus_mut().count - before;
        assert!(reads <= 70, "{reads} transactions for one mode change");
        // the longest timeout: still capped
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(u32::MAX));
        let before = can.bus_mut().count;
        assert!(can.set_mode(Mode::Sleep, &mut NoopDelay).await.is_err());
        // 10 µs doubling up to 268 s (a sixteenth of the timeout): 26 reads, then 16 more at the longest wait
        let made = can.bus_mut().count - before;
        assert_eq!(made, 1 + 42);
    }

    /// Invariant 4: the waits add up to the deadline, charged with the bus time of each read.
    pub async fn a_mode_change_waits_no_longer_than_its_timeout() {
        let mut can = started(config_500k()).await;
        sim(&mut can).refuse_mode_changes(true);
        can.set_mode_timeout(fugit::MicrosDurationU32::millis(50));
        let mut clock = Clock::default();
        let before = can.bus_mut().transactions();
        assert!(can.set_mode(Mode::Configuration, &mut clock).await.is_err());
        let reads = u64::from(can.bus_mut().transactions() - before - 1);
        let waited = clock.waited_ns;
        let charged = waited + reads * 4_000;
        assert!(
            (49_990_000..=50_000_000).contains(&charged),
            "{waited} ns waited, {reads} reads"
        );
        // 10 µs doubling up to 3125 µs (a sixteenth of 50 ms): 10 reads, then 15 more
        assert_eq!(reads, 25);
    }

    /// Invariant 4: a bus that answers 0xFF for ever (no chip) ends every wait.
    pub async fn a_stuck_bus_ends_every_wait() {
        let mut can = started(config_500k()).await;
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(500));
        can.set_send_timeout(fugit::MicrosDurationU32::micros(300));
        can.set_receive_timeout(fugit::MicrosDurationU32::micros(300));
        can.bus_mut().stuck_at(Some(0xFF));
        let reset = can.reset(&mut NoopDelay).await;
        assert_eq!(
            reset,
            Err(Error::NotDetected {
                canstat: 0xFF,
                canctrl: 0xFF
            })
        );
        // CANSTAT 0xFF is no mode
        assert!(can.set_mode(Mode::Normal, &mut NoopDelay).await.is_err());
        // READ STATUS 0xFF: every TX buffer pending
        assert_eq!(can.send(&std_frame(1, &[])).await, Err(Error::Timeout));
        assert!(can.bus_mut().transactions() < 400);
    }

    /// Before: RXB0 was always drained first, so a frame waiting in RXB1 (rolled over) came after a newer one
    /// that refilled RXB0.
    pub async fn rollover_frames_come_out_in_arrival_order() {
        let mut can = started(config_500k()).await;
        let [a, b, c] = [std_frame(0x10, &[1]), std_frame(0x20, &[2]), std_frame(0x30, &[3])];
        sim(&mut can).inject(&a);
        sim(&mut can).inject(&b);
        assert_eq!(sim(&mut can).rx_arrival(1), Some(2), "B rolled over into RXB1");
        assert_eq!(can.try_receive().await.unwrap(), Some(a));
        sim(&mut can).inject(&c);
        assert_eq!(sim(&mut can).rx_arrival(0), Some(3), "C refilled RXB0");
        assert_eq!(can.try_receive().await.unwrap(), Some(b));
        assert_eq!(can.try_receive().await.unwrap(), Some(c));
        assert_eq!(can.try_receive().await.unwrap(), None);
    }

    /// Before: READ RX BUFFER freed the buffer even when the host never got the bytes: the frame was lost.
    pub async fn a_failed_receive_loses_no_frame() {
        for point in [
            FaultPoint::BeforeChip,
            FaultPoint::AfterChip,
            FaultPoint::Partway(1),
            FaultPoint::Partway(3),
        ] {
            for nth in 0..4 {
                let mut can = started(config_500k()).await;
                let frame = ext_frame(0x1234_5678, &[1, 2, 3, 4, 5, 6, 7, 8]);
                sim(&mut can).inject(&frame);
                fail(&mut can, nth, point);
                let first = can.try_receive().await;
                can.bus_mut().stop_failing();
                let got = match first {
                    Ok(Some(got)) => got,
                    Ok(None) => panic!("{point:?} at {nth}: no frame"),
                    Err(_) => can.try_receive().await.unwrap().unwrap_or_else(|| {
                        panic!("{point:?} at {nth}: the frame was lost");
                    }),
                };
                assert_eq!(got, frame, "{point:?} at {nth}");
                assert_eq!(can.try_receive().await.unwrap(), None, "{point:?} at {nth}: duplicated");
            }
        }
    }

    /// Before: a failed RTS was a plain bus error, so the caller sent the frame again although the chip may have
    /// taken it.
    pub async fn a_failed_rts_is_not_a_plain_bus_error() {
        let mut can = started(config_500k()).await;
        // try_send: READ STATUS (0), LOAD TX BUFFER (1), RTS (2)
        fail(&mut can, 2, FaultPoint::AfterChip);
        let result = can.try_send(&std_frame(0x55, &[1])).await;
        assert!(matches!(
            result,
            Err(Error::MaybeSent {
                buffer: TxBuffer::B2,
                ..
            })
        ));
        assert_eq!(sim(&mut can).frames_sent(), 1);
        // the RTS that never reached the chip: told the same way
        fail(&mut can, 2, FaultPoint::BeforeChip);
        let result = can.try_send(&std_frame(0x56, &[2])).await;
        assert!(matches!(result, Err(Error::MaybeSent { .. })));
        assert_eq!(sim(&mut can).frames_sent(), 1);
        // a failed load is "not sent"
        fail(&mut can, 1, FaultPoint::AfterChip);
        let result = can.try_send(&std_frame(0x57, &[3])).await;
        assert!(matches!(result, Err(Error::Bus(_))));
        assert_eq!(sim(&mut can).frames_sent(), 1);
    }

    /// Found by the property test: a chip still between two modes (REQOP ≠ OPMOD) may switch right after the
    /// driver read it, so a CANCTRL write made then does not make the mode known.
    pub async fn a_chip_between_two_modes_is_not_claimed() {
        let mut can = Mcp25625::new(FaultyBus::new(Mcp25625Sim::new()));
        sim(&mut can).set_mode_delay(3);
        // RESET, detection, CNF, RXB0CTRL, CANCTRL (sleep requested), CANSTAT (fails)
        fail(&mut can, 5, FaultPoint::BeforeChip);
        assert!(can
            .init(&config_500k().mode(Mode::Sleep), &mut NoopDelay)
            .await
            .is_err());
        // the send clears ABAT: CANSTAT/CANCTRL read (configuration, sleep requested), CANCTRL written
        let _ = can.try_send(&std_frame(1, &[])).await;
        if let Some(mode) = can.mode() {
            assert_eq!(sim(&mut can).mode(), Some(mode));
        }
    }

    /// Invariant 3: ABAT and REQOP read from the chip are never written back.
    pub async fn command_bits_are_never_written_back() {
        let mut can = started(config_500k()).await;
        // the chip holds ABAT (a half-done abort_all of another driver instance) and a request for sleep that
        // is not confirmed yet
        sim(&mut can).set_mode_delay(100);
        can.modify_raw(CANCTRL, 0xF0, 0x20 | ABAT).await.unwrap();
        assert_eq!(can.mode(), None);
        can.set_one_shot(true).await.unwrap();
        let canctrl = sim(&mut can).register(CANCTRL);
        assert_eq!(canctrl & ABAT, 0, "ABAT written back");
        assert_eq!(
            canctrl & 0xE0,
            0x00,
            "REQOP written back (sleep) instead of the mode the chip is in"
        );
        assert_eq!(sim(&mut can).requested_mode(), Some(Mode::Normal));
    }

    /// Invariant 5: a frame read whose RXnIF clear failed is kept, its flag cleared once, nothing duplicated
    /// or lost; a newer frame that refilled the buffer after the clear stays for the next call.
    pub async fn a_frame_held_across_a_failed_clear_is_cleared_once() {
        let [a, b] = [std_frame(0x10, &[1]), std_frame(0x20, &[2])];
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip] {
            let mut can = started(config_500k()).await;
            sim(&mut can).inject(&a);
            // READ STATUS (0), READ RXB0 (1), BIT MODIFY RX0IF (2)
            fail(&mut can, 2, point);
            assert!(can.try_receive().await.is_err());
            assert!(can.cache_view().holds_frame);
            // a newer frame arrives (into RXB0 if the clear reached the chip, else rolled over into RXB1)
            sim(&mut can).inject(&b);
            assert_eq!(can.try_receive().await.unwrap(), Some(a), "{point:?}");
            assert_eq!(can.try_receive().await.unwrap(), Some(b), "{point:?}");
            assert_eq!(can.try_receive().await.unwrap(), None, "{point:?}");
        }
    }

    /// Invariant 5: an overflow flag cleared by a `service_errors` that then failed is reported by the next call.
    pub async fn service_errors_never_clears_an_overflow_unseen() {
        let mut can = started(config_500k()).await;
        let frame = std_frame(1, &[1]);
        for _ in 0..3 {
            sim(&mut can).inject(&frame);
        }
        assert_ne!(sim(&mut can).register(EFLG) & 0xC0, 0, "an RX overflow");
        // READ (0), EFLG clear (1), CANINTF clear (2) fails after the chip took it
        fail(&mut can, 2, FaultPoint::AfterChip);
        assert!(can.service_errors().await.is_err());
        assert_eq!(sim(&mut can).register(EFLG) & 0xC0, 0, "cleared on the chip");
        let report = can.service_errors().await.unwrap();
        assert!(report.flags.overflow() && report.interrupts.contains(Interrupts::ERROR));
        let report = can.service_errors().await.unwrap();
        assert!(!report.flags.overflow() && !report.interrupts.contains(Interrupts::ERROR));
    }

    /// Found by the property test: a failed wake, then a failed `set_interrupts`, then a mode change: the wake's
    /// clean-up must not restore the CANINTE it saw before, over the one written since.
    pub async fn a_wake_clean_up_does_not_undo_a_later_set_interrupts() {
        let mut can = started(config_500k()).await;
        fail(&mut can, 0, FaultPoint::BeforeChip);
        assert!(can.wake(Mode::Normal, &mut NoopDelay).await.is_err());
        fail(&mut can, 0, FaultPoint::AfterChip);
        assert!(can.set_interrupts(Interrupts::TX0).await.is_err());
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        let chip = sim(&mut can).register(CANINTE);
        assert_eq!(chip, 0x04);
        if let Some(cached) = can.interrupts() {
            assert_eq!(cached.bits(), chip);
        }
    }

    // ---- invariants -------------------------------------------------------------------------------------

    /// Invariant 6: a configuration setter outside configuration mode is refused, also when the mode is unknown.
    pub async fn configuration_setters_refuse_other_modes() {
        let mut can = started(config_500k().mode(Mode::Configuration)).await;
        // the mode change reaches the chip, its confirmation fails: the mode is unknown
        fail(&mut can, 1, FaultPoint::BeforeChip);
        assert!(can.set_mode(Mode::Loopback, &mut NoopDelay).await.is_err());
        assert_eq!(sim(&mut can).mode(), Some(Mode::Loopback));
        let refused = Err(Error::Argument(ArgumentError::NotInConfigurationMode));
        assert_eq!(can.set_filter(FilterNumber::F0, Filter::standard(0x7FF)).await, refused);
        assert_eq!(can.mode(), Some(Mode::Loopback), "the mode was read");
        assert_eq!(can.set_mask(MaskNumber::M0, Mask::standard(0x7FF)).await, refused);
        let timing = BitTiming::new(16.MHz(), 250.kHz()).unwrap();
        assert_eq!(can.set_bit_timing(timing).await, refused);
        assert_eq!(can.set_tx_pins([TxPinMode::RequestToSend; 3]).await, refused);
        assert_eq!(can.set_wake_filter(true).await, refused);
        assert_eq!(sim(&mut can).register(RXF0SIDH), 0);
        // back in configuration mode they work
        can.set_mode(Mode::Configuration, &mut NoopDelay).await.unwrap();
        can.set_filter(FilterNumber::F0, Filter::standard(0x7FF)).await.unwrap();
        assert_eq!(sim(&mut can).register(RXF0SIDH), 0xFF);
    }
}

both!(
    reset_with_failed_detection_forgets_the_tx_headers,
    abort_all_failing_half_way_does_not_stop_sending,
    set_mode_with_failed_confirmation_then_one_shot_keeps_the_chip_mode,
    sleep_with_failed_confirmation_then_set_mode_wakes_the_chip,
    failed_wake_is_finished_by_the_next_mode_change,
    send_to_nobody_ends,
    receive_without_frames_ends,
    a_mode_change_the_chip_never_confirms_makes_few_reads,
    a_mode_change_waits_no_longer_than_its_timeout,
    a_stuck_bus_ends_every_wait,
    a_chip_between_two_modes_is_not_claimed,
    command_bits_are_never_written_back,
    a_frame_held_across_a_failed_clear_is_cleared_once,
    service_errors_never_clears_an_overflow_unseen,
    a_wake_clean_up_does_not_undo_a_later_set_interrupts,
    rollover_frames_come_out_in_arrival_order,
    a_failed_receive_loses_no_frame,
    a_failed_rts_is_not_a_plain_bus_error,
    configuration_setters_refuse_other_modes,
);

/// Cancellation (invariant 7): async operations dropped at an await point, then the next call.
#[cfg(feature = "async")]
mod cancellation {
    use super::common::*;
    use mcp25625::sim::{FaultyBus, Mcp25625Sim};
    use mcp25625::Mcp25625Async;

    type Can = Mcp25625Async<FaultyBus<Mcp25625Sim>>;

    const CANINTE: u8 = 0x2B;
    const CANINTF: u8 = 0x2C;
    const WAK: u8 = 0x40;
    const RXF0SIDH: u8 = 0x00;

    fn started(config: Config) -> Can {
        let mut can = Mcp25625Async::new(FaultyBus::new(Mcp25625Sim::new()));
        block_on(can.init(&config, &mut NoopDelay)).unwrap();
        can.bus_mut().yield_around_transactions(true);
        can
    }

    fn sim(can: &mut Can) -> &mut Mcp25625Sim {
        can.bus_mut().inner_mut()
    }

    /// Every transaction is two await points (before the chip, after it): `2 * n` polls stop a future right
    /// after its `n`-th transaction reached the chip.
    fn after_transactions(n: usize) -> usize {
        2 * n
    }

    #[test]
    fn abort_all_dropped_between_its_writes_does_not_stop_sending() {
        let mut can = started(config_500k());
        assert!(poll_then_drop(can.abort_all(), after_transactions(1)).is_none());
        let frame = std_frame(0x42, &[7]);
        assert!(block_on(can.try_send(&frame)).unwrap().is_some());
        assert_eq!(sim(&mut can).sent().last(), Some(&frame));
    }

    #[test]
    fn reset_dropped_in_the_oscillator_wait_forgets_the_tx_headers() {
        let mut can = started(config_500k());
        let frame = std_frame(0x123, &[1, 2]);
        block_on(can.send(&frame)).unwrap();
        // RESET reaches the chip, then the future waits for the oscillator and is dropped there
        assert!(poll_then_drop(can.reset(&mut YieldDelay), after_transactions(1) + 1).is_none());
        block_on(can.set_mode(Mode::Normal, &mut NoopDelay)).unwrap();
        block_on(can.send(&frame)).unwrap();
        assert_eq!(sim(&mut can).sent().last(), Some(&frame));
    }

    #[test]
    fn set_mode_dropped_at_the_confirmation_then_configuration_setters_refuse() {
        let mut can = started(config_500k().mode(Mode::Configuration));
        // the request reaches the chip (normal mode), the confirmation never comes back
        assert!(poll_then_drop(can.set_mode(Mode::Normal, &mut NoopDelay), after_transactions(1)).is_none());
        assert_eq!(sim(&mut can).mode(), Some(Mode::Normal));
        assert!(block_on(can.set_filter(FilterNumber::F0, Filter::standard(0x7FF))).is_err());
        assert!(block_on(can.set_mask(MaskNumber::M0, Mask::standard(0x7FF))).is_err());
        let timing = BitTiming::new(16.MHz(), 250.kHz()).unwrap();
        assert!(block_on(can.set_bit_timing(timing)).is_err());
        assert_eq!(sim(&mut can).register(RXF0SIDH), 0);
    }

    #[test]
    fn wake_dropped_at_the_confirmation_is_finished_by_the_next_mode_change() {
        let mut can = started(config_500k());
        block_on(can.sleep(&mut NoopDelay)).unwrap();
        // WAKIE, WAKIF, CANCTRL reach the chip; dropped before the confirmation
        assert!(poll_then_drop(can.set_mode(Mode::Normal, &mut NoopDelay), after_transactions(3)).is_none());
        block_on(can.set_mode(Mode::Normal, &mut NoopDelay)).unwrap();
        assert_eq!(sim(&mut can).mode(), Some(Mode::Normal));
        assert_eq!(sim(&mut can).register(CANINTE) & WAK, 0, "WAKIE left on");
        assert_eq!(sim(&mut can).register(CANINTF) & WAK, 0, "WAKIF left set");
    }

    /// An INT pin held low by another flag: the waits on it return at once.
    struct AlwaysLow;

    impl embedded_hal::digital::ErrorType for AlwaysLow {
        type Error = core::convert::Infallible;
    }

    impl embedded_hal_async::digital::Wait for AlwaysLow {
        async fn wait_for_high(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
        async fn wait_for_low(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
        async fn wait_for_rising_edge(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
        async fn wait_for_falling_edge(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
        async fn wait_for_any_edge(&mut self) -> Result<(), Self::Error> {
            Ok(())
        }
    }

    /// Invariant 4: with INT held low by another flag, the INT-driven waits poll the chip; they end.
    #[test]
    fn the_int_driven_waits_end_when_int_stays_low() {
        let mut can = started(config_500k());
        can.bus_mut().yield_around_transactions(false);
        sim(&mut can).set_acknowledged(false);
        for id in 1..=3 {
            assert!(block_on(can.try_send(&std_frame(id, &[]))).unwrap().is_some());
        }
        can.set_send_timeout(fugit::MicrosDurationU32::micros(80));
        can.set_receive_timeout(fugit::MicrosDurationU32::micros(30));
        let before = can.bus_mut().transactions();
        let sent = block_on(can.send_on_interrupt(&std_frame(4, &[]), &mut AlwaysLow));
        assert_eq!(sent, Err(Error::Timeout));
        // 8 µs a round (READ STATUS and the TXnIF clear): 10 rounds, the last without its clear
        assert_eq!(can.bus_mut().transactions() - before, 10 + 9);
        let before = can.bus_mut().transactions();
        assert_eq!(block_on(can.receive_on_interrupt(&mut AlwaysLow)), Err(Error::Timeout));
        assert_eq!(can.bus_mut().transactions() - before, 10);
    }

    #[test]
    fn receive_dropped_at_any_point_loses_no_frame() {
        for polls in 0..12 {
            let mut can = started(config_500k());
            let frame = std_frame(0x321, &[9, 8, 7]);
            sim(&mut can).inject(&frame);
            let first = poll_then_drop(can.try_receive(), polls);
            let got = match first {
                Some(result) => result.unwrap(),
                None => block_on(can.try_receive()).unwrap(),
            };
            assert_eq!(got, Some(frame), "dropped after {polls} polls");
            assert_eq!(
                block_on(can.try_receive()).unwrap(),
                None,
                "duplicated after {polls} polls"
            );
        }
    }
}

/// The fault-injection wrapper itself.
mod faulty_bus {
    use super::common::*;
    use mcp25625::sim::{FaultPoint, FaultyBus, FaultyBusError, Mcp25625Sim};
    use mcp25625::Mcp25625;

    fn faults_with(seed: u64) -> (u32, u32) {
        let mut bus = FaultyBus::new(Mcp25625Sim::new());
        bus.fail_randomly(seed, 300);
        let mut can = Mcp25625::new(bus);
        for _ in 0..1000 {
            let _ = can.status();
        }
        let bus = can.release();
        (bus.transactions(), bus.faults())
    }

    #[test]
    fn random_faults_are_deterministic_and_about_as_frequent_as_asked() {
        let (transactions, faults) = faults_with(7);
        assert_eq!(transactions, 1000);
        assert!((250..350).contains(&faults), "{faults}");
        assert_eq!(faults_with(7), (transactions, faults));
        assert_ne!(faults_with(8), (transactions, faults));
    }

    #[test]
    fn error_kind_partway_and_stop() {
        let mut bus = FaultyBus::new(Mcp25625Sim::new());
        bus.set_error_kind(ErrorKind::ModeFault);
        // a WRITE of CANINTE cut after its address: the chip took no data
        bus.fail_nth(0, FaultPoint::Partway(2));
        let mut can = Mcp25625::new(bus);
        assert_eq!(
            can.set_interrupts(Interrupts::all()),
            Err(Error::Bus(FaultyBusError::Injected(ErrorKind::ModeFault)))
        );
        assert_eq!(can.bus_mut().inner().register(0x2B), 0);
        // cut after its data byte: the chip took it
        can.bus_mut().fail_nth(0, FaultPoint::Partway(3));
        assert!(can.set_interrupts(Interrupts::all()).is_err());
        assert_eq!(can.bus_mut().inner().register(0x2B), 0xFF);
        can.bus_mut().fail_randomly(1, 1000);
        can.bus_mut().stop_failing();
        can.set_interrupts(Interrupts::empty()).unwrap();
        use embedded_hal::spi::Error as _;
        assert_eq!(
            FaultyBusError::<ErrorKind>::Bus(ErrorKind::Overrun).kind(),
            ErrorKind::Overrun
        );
        assert_eq!(can.bus_mut().faults(), 2);
    }
}
