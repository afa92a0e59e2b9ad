//! Fault tolerance (issue 12): one test per known failure and per invariant this chip can break, through both
//! drivers, against the simulator behind a `FaultyBus`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#![cfg(feature = "sim")]
mod common;

#[maybe_async_cfg::maybe(
    idents(Pca9685(sync = "Pca9685", async = "Pca9685Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use fugit::{ExtU32, RateExtU32};
    use pca9685::sim::{FaultPoint, FaultyBus, FaultyBusError, Output, Pca9685Sim};
    use pca9685::{Oscillator, OutputChange, Pca9685, SubAddress};

    pub type Driver = Pca9685<FaultyBus<Pca9685Sim>>;

    fn driver() -> Driver {
        Pca9685::new(FaultyBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT)
    }

    fn sim(pca: &Driver) -> &Pca9685Sim {
        pca.bus().inner()
    }

    /// Every cached register is unknown or the chip's.
    fn assert_cache_is_the_chips(pca: &Driver) {
        let chip = sim(pca);
        let [mode1, mode2, prescale] = pca.cache();
        for (cached, actual, name) in [
            (mode1, chip.register(0x00) & 0x7F, "MODE1"),
            (mode2, chip.register(0x01), "MODE2"),
            (prescale, chip.register(0xFE), "PRE_SCALE"),
        ] {
            if let Some(cached) = cached {
                assert_eq!(cached, actual, "{name} cache");
            }
        }
    }

    /// Awake, with channel 3 at 512/4096 and AI on.
    async fn running() -> Driver {
        let mut pca = driver();
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_duty_cycle(Channel::C3, 512).await.unwrap();
        pca
    }

    /// The operations of the interruption tests.
    pub const STEPS: usize = 16;

    /// A running chip (channel 3 at 512/4096), or the same put to sleep (RESTART pending).
    pub async fn start(slept: bool) -> Driver {
        let mut pca = running().await;
        pca.bus_mut().inner_mut().set_external_clock(40.MHz());
        if slept {
            pca.sleep().await.unwrap();
        }
        pca
    }

    /// Operation `step` of the interruption tests.
    pub async fn call(pca: &mut Driver, step: usize) -> Result<(), Error<FaultyBusError<ErrorKind>>> {
        let d = &mut NoopDelay;
        let settings = [ChannelSetting::from_duty(1000, 100).unwrap(); 16];
        match step {
            0 => pca.set_frequency(100.Hz(), d).await.map(drop),
            1 => pca.set_prescale(60, d).await,
            2 => pca.wake(d).await,
            3 => pca.sleep().await,
            4 => pca.restart(d).await.map(drop),
            5 => pca.set_oscillator(Oscillator::External(40.MHz())).await,
            6 => pca.software_reset().await,
            7 => pca.set_duty_cycle(Channel::C3, 100).await,
            8 => pca.set_channel_full_off(Channel::C3).await,
            9 => pca.all_off().await,
            10 => pca.set_all_channels(&settings).await,
            11 => pca.enable_all_call(false).await,
            12 => pca.set_output_change(OutputChange::OnAck).await,
            13 => pca.set_auto_increment(false).await,
            14 => pca.set_pulse_width(Channel::C3, 1500.micros()).await.map(drop),
            _ => pca.resync().await,
        }
    }

    /// Everything the chip does: its registers, what each output drives and whether it waits for the rest of
    /// its registers, and whether it sleeps or waits for a restart.
    pub fn snapshot(chip: &Pca9685Sim) -> (Vec<u8>, Vec<(Output, bool)>, bool, bool) {
        (
            (0..=255).map(|r| chip.register(r)).collect(),
            Channel::ALL
                .iter()
                .map(|c| (chip.output(*c), chip.pending_update(*c)))
                .collect(),
            chip.is_sleeping(),
            chip.restart_pending(),
        )
    }

    pub async fn every_operation_failed_at_any_transaction_then_called_again_ends_as_one_call() {
        let points = [
            FaultPoint::BeforeChip,
            FaultPoint::AfterChip,
            FaultPoint::Partway(0),
            FaultPoint::Partway(1),
            FaultPoint::Partway(2),
        ];
        for slept in [false, true] {
            for step in 0..STEPS {
                let mut reference = start(slept).await;
                call(&mut reference, step).await.unwrap();
                let expected = snapshot(sim(&reference));
                for n in 0..5 {
                    for point in points {
                        let mut pca = start(slept).await;
                        pca.bus_mut().fail_nth(n, point);
                        let first = call(&mut pca, step).await;
                        assert_eq!(first.is_err(), pca.bus().faults() == 1);
                        assert_cache_is_the_chips(&pca);
                        pca.bus_mut().stop_failing();
                        call(&mut pca, step).await.unwrap();
                        assert_cache_is_the_chips(&pca);
                        let context = format!("slept {slept}, step {step}, transaction {n} {point:?}");
                        assert_eq!(snapshot(sim(&pca)), expected, "{context}");
                    }
                }
            }
        }
    }

    pub async fn the_cache_accessor_reports_what_the_driver_holds() {
        // the property tests compare `cache()` with the chip: it must not be empty when the driver holds values
        let mut pca = driver();
        assert_eq!(pca.cache(), [None, None, None]);
        pca.resync().await.unwrap();
        assert_eq!(pca.cache(), [Some(0x11), Some(0x04), Some(0x1E)]);
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_prescale(0x79, &mut NoopDelay).await.unwrap();
        pca.set_output_invert(true).await.unwrap();
        assert_eq!(pca.cache(), [Some(0x21), Some(0x14), Some(0x79)]);
        pca.bus_mut().fail_nth(1, FaultPoint::BeforeChip);
        assert!(pca.set_prescale(0x1E, &mut NoopDelay).await.is_err());
        assert_eq!(pca.cache(), [None, Some(0x14), None]);
        pca.invalidate_cache();
        assert_eq!(pca.cache(), [None, None, None]);
    }

    // ---- known failures ---------------------------------------------------------------------------------

    pub async fn internal_oscillator_after_external_is_refused() {
        let mut pca = driver();
        pca.bus_mut().inner_mut().set_external_clock(40.MHz());
        pca.set_oscillator(Oscillator::External(40.MHz())).await.unwrap();
        pca.set_frequency(500.Hz(), &mut NoopDelay).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        // EXTCLK is sticky: the chip cannot go back to the internal oscillator without a reset
        let latched = Err(Error::ExternalClockLatched);
        assert_eq!(pca.set_oscillator(Oscillator::Internal).await, latched);
        assert_eq!(pca.set_oscillator(Oscillator::Calibrated(26.MHz())).await, latched);
        assert_eq!(pca.oscillator(), Oscillator::External(40.MHz()));
        assert_eq!(pca.frequency().await.unwrap().raw(), sim(&pca).frequency_mhz());
        let pulse = pca.set_pulse_width(Channel::C0, 1000.micros()).await.unwrap();
        // 1 ms of a 2.048 ms period (40 MHz / (4096 * 20)) = 2000 counts
        assert_eq!(pulse, 2000);
        assert_eq!(sim(&pca).output(Channel::C0).duty, 2000);
        // after a software reset, the internal oscillator is back
        pca.software_reset().await.unwrap();
        pca.set_oscillator(Oscillator::Internal).await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), sim(&pca).frequency_mhz());
    }

    pub async fn a_chip_left_on_extclk_is_not_computed_with_the_internal_oscillator() {
        // an earlier firmware switched the chip to EXTCLK; this driver starts with the default oscillator
        let mut first = driver();
        first.set_oscillator(Oscillator::External(40.MHz())).await.unwrap();
        let mut bus = first.release();
        bus.inner_mut().set_external_clock(40.MHz());
        let mut pca = Pca9685::new(bus, Address::DEFAULT);
        let latched = Error::ExternalClockLatched;
        assert_eq!(pca.frequency().await, Err(latched));
        assert_eq!(pca.period().await, Err(latched));
        assert_eq!(pca.set_pulse_width(Channel::C0, 1000.micros()).await, Err(latched));
        assert_eq!(pca.set_frequency(50.Hz(), &mut NoopDelay).await, Err(latched));
        assert_eq!(pca.set_oscillator(Oscillator::Internal).await, Err(latched));
        // nothing was written: the prescale is still the one of the first driver's chip
        assert_eq!(sim(&pca).register(0xFE), 0x1E);
        pca.set_oscillator(Oscillator::External(40.MHz())).await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), sim(&pca).frequency_mhz());
    }

    pub async fn full_off_with_change_on_ack_reaches_the_output() {
        let mut pca = running().await;
        pca.set_output_change(OutputChange::OnAck).await.unwrap();
        let check = |pca: &Driver, channel: Channel| {
            assert_eq!(sim(pca).output(channel).duty, 0, "{channel:?}");
            assert!(!sim(pca).pending_update(channel), "{channel:?}");
        };
        pca.set_channel_full_off(Channel::C3).await.unwrap();
        check(&pca, Channel::C3);
        pca.set_duty_cycle(Channel::C4, 100).await.unwrap();
        assert_eq!(sim(&pca).output(Channel::C4).duty, 100);
        pca.set_duty_cycle(Channel::C4, 0).await.unwrap();
        check(&pca, Channel::C4);
        pca.set_channel(Channel::C5, ChannelSetting::FullOn { delay: 0 })
            .await
            .unwrap();
        pca.set_channel(Channel::C5, ChannelSetting::FullOff).await.unwrap();
        check(&pca, Channel::C5);
        pca.set_all(ChannelSetting::from_duty(300, 0).unwrap()).await.unwrap();
        assert!(Channel::ALL.iter().all(|c| sim(&pca).output(*c).duty == 300));
        pca.all_off().await.unwrap();
        for channel in Channel::ALL {
            check(&pca, channel);
        }
    }

    pub async fn a_failed_set_frequency_is_completed_by_the_retry() {
        // every transaction of the sequence fails once, at every point; the retry must leave the chip running
        let points = [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(1)];
        for n in 0..5 {
            for point in points {
                let mut pca = running().await;
                pca.bus_mut().fail_nth(n, point);
                assert!(pca.set_frequency(100.Hz(), &mut NoopDelay).await.is_err());
                assert_cache_is_the_chips(&pca);
                pca.set_frequency(100.Hz(), &mut NoopDelay).await.unwrap();
                assert_cache_is_the_chips(&pca);
                let chip = sim(&pca);
                assert!(!chip.is_sleeping(), "{n} {point:?}");
                assert!(!chip.restart_pending(), "{n} {point:?}");
                assert_eq!(chip.register(0xFE), 0x3C, "{n} {point:?}");
                assert_eq!(
                    chip.output(Channel::C3),
                    Output { duty: 512, phase: 0 },
                    "{n} {point:?}"
                );
            }
        }
    }

    // ---- invariants 1 and 2: the cache after a failed transaction --------------------------------------------

    pub async fn a_sleep_the_chip_took_is_not_undone_by_the_next_setting() {
        let mut pca = running().await;
        pca.bus_mut().fail_nth(0, FaultPoint::AfterChip);
        assert!(pca.sleep().await.is_err());
        assert!(sim(&pca).is_sleeping());
        pca.enable_all_call(false).await.unwrap();
        assert!(sim(&pca).is_sleeping());
        assert_eq!(sim(&pca).register(0x00) & 0x01, 0);
    }

    pub async fn a_reset_the_chip_took_leaves_the_cache_unknown() {
        let mut pca = running().await;
        pca.bus_mut().fail_nth(0, FaultPoint::AfterChip);
        assert!(pca.software_reset().await.is_err());
        assert_eq!(sim(&pca).software_resets(), 1);
        pca.set_output_invert(true).await.unwrap();
        // MODE2 from the chip (0x04) with INVRT, not from the old cache
        assert_eq!(sim(&pca).register(0x01), 0x14);
        pca.enable_all_call(false).await.unwrap();
        // still asleep, as the reset left it
        assert_eq!(sim(&pca).register(0x00), 0x10);
    }

    pub async fn an_extclk_write_the_chip_took_is_not_forgotten() {
        let mut pca = driver();
        pca.bus_mut().inner_mut().set_external_clock(40.MHz());
        pca.bus_mut().fail_nth(2, FaultPoint::AfterChip);
        assert!(pca.set_oscillator(Oscillator::External(40.MHz())).await.is_err());
        assert!(pca.read_mode1().await.unwrap().external_clock());
        // the driver must not compute with 25 MHz for a chip on EXTCLK
        assert_eq!(pca.frequency().await, Err(Error::ExternalClockLatched));
        pca.set_oscillator(Oscillator::External(40.MHz())).await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), sim(&pca).frequency_mhz());
    }

    pub async fn a_fault_before_the_chip_changes_nothing() {
        // every operation, with each of its transactions failing before the chip: an error, the chip as the
        // transactions before it left it, and the cache the chip's or unknown
        for step in 0..14 {
            for n in 0..5 {
                let mut pca = running().await;
                pca.invalidate_cache();
                let d = &mut NoopDelay;
                // what the transactions before the failing one do, from a twin without the fault
                let mut twin = running().await;
                twin.invalidate_cache();
                twin.bus_mut().fail_nth(n, FaultPoint::Partway(0));
                pca.bus_mut().fail_nth(n, FaultPoint::BeforeChip);
                let mut results = vec![];
                for p in [&mut pca, &mut twin] {
                    results.push(match step {
                        0 => p.enable_all_call(false).await,
                        1 => p.set_output_invert(true).await,
                        2 => p.set_auto_increment(false).await,
                        3 => p.sleep().await,
                        4 => p.wake(d).await,
                        5 => p.set_frequency(100.Hz(), d).await.map(drop),
                        6 => p.set_oscillator(Oscillator::External(40.MHz())).await,
                        7 => p.software_reset().await,
                        8 => p.set_duty_cycle(Channel::C3, 7).await,
                        9 => p.set_channel_full_off(Channel::C3).await,
                        10 => p.all_off().await,
                        11 => p.set_output_config(Default::default()).await,
                        12 => p.set_sub_address(SubAddress::One, Address::raw(0x30).unwrap()).await,
                        _ => p.restart(d).await.map(drop),
                    });
                }
                assert_eq!(
                    results[0].is_err(),
                    pca.bus().faults() == 1,
                    "step {step}, transaction {n}"
                );
                if results[0].is_err() {
                    for r in 0..=255 {
                        let (chip, twin) = (sim(&pca).register(r), sim(&twin).register(r));
                        assert_eq!(chip, twin, "step {step}, transaction {n}, register {r:#04x}");
                    }
                }
                assert_cache_is_the_chips(&pca);
            }
        }
    }

    pub async fn a_channel_write_cut_part_way_is_reported_and_the_retry_applies_it() {
        for on_ack in [false, true] {
            for taken in 0..66 {
                let mut pca = running().await;
                if on_ack {
                    pca.set_output_change(OutputChange::OnAck).await.unwrap();
                }
                let settings = [ChannelSetting::from_duty(1000, 100).unwrap(); 16];
                pca.bus_mut().fail_nth(0, FaultPoint::Partway(taken));
                assert!(pca.set_all_channels(&settings).await.is_err(), "{taken}");
                assert_cache_is_the_chips(&pca);
                pca.set_all_channels(&settings).await.unwrap();
                for channel in Channel::ALL {
                    let output = sim(&pca).output(channel);
                    assert_eq!(output, Output { duty: 1000, phase: 100 }, "{taken} {channel:?}");
                    assert!(!sim(&pca).pending_update(channel));
                }
            }
        }
    }

    pub async fn a_stuck_bus_never_makes_an_operation_loop() {
        // the driver never polls: whatever the chip answers, every operation ends after a few transactions
        for byte in [0x00, 0xFF, 0x80, 0x10] {
            let mut pca = running().await;
            pca.bus_mut().stuck_at(Some(byte));
            let d = &mut NoopDelay;
            let c = Channel::C2;
            for step in 0..18 {
                pca.invalidate_cache();
                let before = pca.bus().transactions();
                let _ = match step {
                    0 => pca.set_frequency(50.Hz(), d).await.map(drop),
                    1 => pca.set_prescale(30, d).await,
                    2 => pca.restart(d).await.map(drop),
                    3 => pca.wake(d).await,
                    4 => pca.sleep().await,
                    5 => pca.frequency().await.map(drop),
                    6 => pca.period().await.map(drop),
                    7 => pca.set_pulse_width(c, 1500.micros()).await.map(drop),
                    8 => pca.set_channel_full_off(c).await,
                    9 => pca.all_off().await,
                    10 => pca.channel(c).await.map(drop),
                    11 => pca.channels().await.map(drop),
                    12 => pca.resync().await,
                    13 => pca.set_oscillator(Oscillator::Internal).await,
                    14 => pca.set_oscillator(Oscillator::External(40.MHz())).await,
                    15 => pca.set_output_change(OutputChange::OnAck).await,
                    16 => pca.set_duty_cycle(c, 100).await,
                    _ => pca.software_reset().await,
                };
                assert!(pca.bus().transactions() - before <= 5, "{byte:#04x} step {step}");
            }
        }
    }

    // ---- invariant 3: RESTART is never written back as read ------------------------------------------------

    pub async fn read_modify_writes_never_write_restart_back() {
        // a chip woken after a sleep with PWM running: RESTART reads 1 and the outputs stay dark until restarted
        let mut first = running().await;
        first.sleep().await.unwrap();
        first.wake(&mut NoopDelay).await.unwrap();
        let bus = first.release();
        assert!(bus.inner().restart_pending());
        let mut pca = Pca9685::new(bus, Address::DEFAULT);
        pca.enable_all_call(false).await.unwrap();
        pca.enable_sub_address(SubAddress::One, true).await.unwrap();
        pca.set_auto_increment(false).await.unwrap();
        pca.set_auto_increment(true).await.unwrap();
        pca.invalidate_cache();
        pca.enable_sub_address(SubAddress::One, false).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        assert!(sim(&pca).restart_pending());
        assert_eq!(sim(&pca).output(Channel::C3).duty, 0);
        assert_eq!(pca.restart(&mut NoopDelay).await, Ok(true));
        assert_eq!(sim(&pca).output(Channel::C3).duty, 512);
    }
}

both!(
    every_operation_failed_at_any_transaction_then_called_again_ends_as_one_call,
    the_cache_accessor_reports_what_the_driver_holds,
    internal_oscillator_after_external_is_refused,
    a_chip_left_on_extclk_is_not_computed_with_the_internal_oscillator,
    full_off_with_change_on_ack_reaches_the_output,
    a_failed_set_frequency_is_completed_by_the_retry,
    a_fault_before_the_chip_changes_nothing,
    a_channel_write_cut_part_way_is_reported_and_the_retry_applies_it,
    a_stuck_bus_never_makes_an_operation_loop,
    a_sleep_the_chip_took_is_not_undone_by_the_next_setting,
    a_reset_the_chip_took_leaves_the_cache_unknown,
    an_extclk_write_the_chip_took_is_not_forgotten,
    read_modify_writes_never_write_restart_back,
);

/// Invariant 7: async operations dropped at every await point (every transaction yields before and after it).
#[cfg(feature = "async")]
mod cancellation {
    use super::common::*;
    use fugit::RateExtU32;
    use pca9685::sim::{FaultyBus, Output, Pca9685Sim};
    use pca9685::Pca9685Async;

    type Driver = Pca9685Async<FaultyBus<Pca9685Sim>>;

    fn running() -> Driver {
        let mut pca = Pca9685Async::new(FaultyBus::new(Pca9685Sim::new(Address::DEFAULT)), Address::DEFAULT);
        block_on(pca.wake(&mut NoopDelay)).unwrap();
        block_on(pca.set_duty_cycle(Channel::C3, 512)).unwrap();
        pca.bus_mut().yield_around_transactions(true);
        pca
    }

    #[test]
    fn set_frequency_dropped_at_any_await_point_is_completed_by_the_next_call() {
        for polls in 0..12 {
            let mut pca = running();
            let _ = poll_then_drop(pca.set_frequency(100.Hz(), &mut NoopDelay), polls);
            block_on(pca.set_frequency(100.Hz(), &mut NoopDelay)).unwrap();
            let chip = pca.bus().inner();
            assert!(!chip.is_sleeping(), "dropped after {polls} polls");
            assert!(!chip.restart_pending(), "dropped after {polls} polls");
            assert_eq!(chip.register(0xFE), 0x3C, "dropped after {polls} polls");
            assert_eq!(
                chip.output(Channel::C3),
                Output { duty: 512, phase: 0 },
                "dropped after {polls} polls"
            );
        }
    }

    #[test]
    fn every_operation_dropped_at_any_await_point_then_called_again_ends_as_one_call() {
        use super::asynch::{call, snapshot, start, STEPS};
        for slept in [false, true] {
            for step in 0..STEPS {
                let mut reference = block_on(start(slept));
                block_on(call(&mut reference, step)).unwrap();
                let expected = snapshot(reference.bus().inner());
                for polls in 0..12 {
                    let mut pca = block_on(start(slept));
                    pca.bus_mut().yield_around_transactions(true);
                    let _ = poll_then_drop(call(&mut pca, step), polls);
                    let [mode1, mode2, prescale] = pca.cache();
                    let chip = pca.bus().inner();
                    assert!(mode1.is_none_or(|m| m == chip.register(0x00) & 0x7F));
                    assert!(mode2.is_none_or(|m| m == chip.register(0x01)));
                    assert!(prescale.is_none_or(|p| p == chip.register(0xFE)));
                    block_on(call(&mut pca, step)).unwrap();
                    let context = format!("slept {slept}, step {step}, dropped after {polls} polls");
                    assert_eq!(snapshot(pca.bus().inner()), expected, "{context}");
                }
            }
        }
    }

    #[test]
    fn software_reset_dropped_after_the_chip_took_it_leaves_the_cache_unknown() {
        for polls in 0..4 {
            let mut pca = running();
            let _ = poll_then_drop(pca.software_reset(), polls);
            let reset = pca.bus().inner().software_resets() == 1;
            block_on(pca.set_output_invert(true)).unwrap();
            block_on(pca.enable_all_call(false)).unwrap();
            let chip = pca.bus().inner();
            assert_eq!(chip.register(0x01), 0x14, "dropped after {polls} polls");
            // asleep if the reset happened, else still awake with AI
            let expected = if reset { 0x10 } else { 0x20 };
            assert_eq!(chip.register(0x00), expected, "dropped after {polls} polls");
        }
    }
}
