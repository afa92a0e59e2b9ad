//! Fault tolerance (issue 12): the known failures and one test per invariant this chip can break, through both
//! drivers, against the simulator behind `sim::FaultyBus`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        run_ops(sync = "blocking", async = "asynch")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::ops::run_ops::apply;
    use super::common::ops::{every_write, Op};
    use super::common::*;
    use mcp23017::sim::{FaultPoint, FaultyBus, Mcp23017Sim};
    use mcp23017::{I2cInterface, Mcp23017};

    type Driver = Mcp23017<I2cInterface<FaultyBus<Mcp23017Sim>>>;

    const POINTS: [FaultPoint; 5] = [
        FaultPoint::BeforeChip,
        FaultPoint::AfterChip,
        FaultPoint::Partway(1),
        FaultPoint::Partway(2),
        FaultPoint::Partway(3),
    ];

    fn cold(sim: Mcp23017Sim) -> Driver {
        Mcp23017::new(FaultyBus::new(sim), Address::DEFAULT)
    }

    async fn ready(config: Config) -> Driver {
        let mut mcp = cold(Mcp23017Sim::new(Address::DEFAULT));
        mcp.init(config).await.unwrap();
        mcp
    }

    fn sim(mcp: &mut Driver) -> &mut Mcp23017Sim {
        mcp.bus_mut().inner_mut()
    }

    /// Invariants 1 and 2: every register the driver believes it knows, the chip holds.
    fn assert_belief(mcp: &mut Driver, context: &str) {
        let cache = mcp.cache_snapshot();
        let chip = sim(mcp).clone();
        assert_eq!(
            chip.belief_mismatch(&cache),
            None,
            "{context}: cache {cache:?}, chip {chip:?}"
        );
    }

    // ---- known failure 1: a failed init ------------------------------------------------------------------

    /// Known failure (issue 12): `init` failing after its first write (IOCON at 0x05, GPINTENB in the BANK = 0
    /// map) kept the old cache: "no interrupt enabled" while the chip had port-B interrupt-on-change on.
    pub async fn init_failing_after_its_first_write_leaves_no_stale_belief() {
        let config = Config {
            mirror_interrupts: true,
            int_output: IntOutput::OpenDrain,
            ..Config::default()
        };
        for n in 1..4 {
            for point in POINTS {
                let mut mcp = ready(Config::default()).await;
                mcp.bus_mut().fail_nth(n, point);
                assert!(mcp.init(config).await.is_err(), "transaction {n} {point:?}");
                assert_belief(&mut mcp, &format!("init failing at transaction {n} {point:?}"));
                // what the driver then does is right for the chip: enabling A0 leaves whatever port B holds
                mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::AnyEdge))
                    .await
                    .unwrap();
                assert_belief(&mut mcp, "after set_interrupt");
                // and a retry brings everything to the power-on values
                mcp.init(config).await.unwrap();
                assert_eq!(sim(&mut mcp).interrupt_enable(), Pins::NONE);
                assert_eq!(sim(&mut mcp).iocon(), 0x44);
                assert_belief(&mut mcp, "after the retry");
            }
        }
    }

    // ---- known failure 2: a cold driver on a chip in byte mode or BANK = 1 -------------------------------

    /// The scenario a cold driver (no `init`, an MCU reset that keeps the expander's outputs) runs on a chip an
    /// earlier firmware left with IOCON = `left`; every register must land where the BANK = 0 map says.
    async fn cold_driver_on_a_chip_left_with(left: u8) {
        let mut chip = Mcp23017Sim::new(Address::DEFAULT);
        chip.poke_iocon(left);
        let mut mcp = cold(chip);
        let context = format!("IOCON left at {left:#04x}");
        mcp.set_as_outputs(Pins::PORT_A, Pins::from_bits_retain(0x00A5))
            .await
            .unwrap();
        mcp.set_as_inputs(Pins::from_bits_retain(0x0300), Pins::from_bits_retain(0x0300))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from(PinId::B1), Some(InterruptTrigger::WhileLow))
            .await
            .unwrap();
        {
            let chip = sim(&mut mcp);
            assert!(!chip.bank1(), "{context}: the driver works in the BANK = 0 map");
            assert_eq!(chip.iocon(), left & 0x7E, "{context}: the other IOCON bits are kept");
            assert_eq!(chip.directions(), Pins::from_bits_retain(0xFF00), "{context}");
            assert_eq!(chip.output_latch(), Pins::from_bits_retain(0x00A5), "{context}");
            assert_eq!(chip.pull_ups(), Pins::from_bits_retain(0x0300), "{context}");
            assert_eq!(chip.input_polarity(), Pins::NONE, "{context}");
            assert_eq!(chip.interrupt_enable(), Pins::from_bits_retain(0x0300), "{context}");
            assert_eq!(chip.interrupt_compare(), Pins::from_bits_retain(0x0200), "{context}");
            assert_eq!(chip.default_levels(), Pins::from_bits_retain(0x0200), "{context}");
        }
        assert_belief(&mut mcp, &context);
        sim(&mut mcp).drive(PinId::B0, false);
        assert!(sim(&mut mcp).int_asserted(Port::B), "{context}");
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::B0), "{context}");
        assert_eq!(
            status.captured.port(Port::B),
            0x02,
            "{context}: B1 high by its pull-up, B0 low"
        );
        assert_eq!(status.falling, Pins::from(PinId::B0), "{context}");
        assert_eq!(status.triggered, Pins::from(PinId::B0), "{context}");
        assert_eq!(status.levels, Pins::from_bits_retain(0x02A5), "{context}");
        assert!(
            !sim(&mut mcp).int_asserted(Port::B),
            "{context}: the status read cleared the interrupt"
        );
        assert_eq!(
            mcp.read_levels().await.unwrap(),
            Pins::from_bits_retain(0x02A5),
            "{context}"
        );
        assert_belief(&mut mcp, &context);
    }

    /// Known failure (issue 12): on a cold cache the driver assumed sequential addressing; a chip left in byte
    /// mode took the DEFVAL+INTCON burst as DEFVAL twice and the status burst as INTF three times.
    pub async fn a_cold_driver_works_on_a_chip_left_in_byte_mode() {
        cold_driver_on_a_chip_left_with(0x20).await;
        cold_driver_on_a_chip_left_with(0x64).await;
    }

    /// Known failure (issue 12), the worse half: a chip left in the BANK = 1 map has every register elsewhere.
    pub async fn a_cold_driver_works_on_a_chip_left_in_bank_1() {
        cold_driver_on_a_chip_left_with(0x80).await;
        cold_driver_on_a_chip_left_with(0xA0).await;
        cold_driver_on_a_chip_left_with(0xC6).await;
    }

    /// The power-on map and sequential mode, the state the driver used to assume: still right, and cheap.
    pub async fn a_cold_driver_works_on_a_chip_in_the_power_on_mode() {
        cold_driver_on_a_chip_left_with(0x00).await;
        cold_driver_on_a_chip_left_with(0x44).await;
    }

    /// Every register pair and IOCON of the chip, to compare two runs.
    fn registers(chip: &Mcp23017Sim) -> [u16; 8] {
        [
            chip.directions().bits(),
            chip.input_polarity().bits(),
            chip.interrupt_enable().bits(),
            chip.default_levels().bits(),
            chip.interrupt_compare().bits(),
            chip.pull_ups().bits(),
            chip.output_latch().bits(),
            u16::from(chip.iocon()),
        ]
    }

    /// A state other than power-on, so that a stale cache differs from the chip.
    async fn busy(mcp: &mut Driver) {
        for op in [
            Op::SetAsOutputs(0x00F0, 0x0030),
            Op::SetPullUps(0x0100),
            Op::SetInterrupt(0x0100, Some(InterruptTrigger::WhileHigh)),
            Op::SetInputPolarity(0x0200),
        ] {
            apply(mcp, op).await.unwrap();
        }
    }

    /// Invariants 1, 2 and 6 for every write of the driver: failing at any of its first transactions, before the
    /// chip, after it, or part way through the bytes, it leaves every cached register equal to the chip's or
    /// unknown; and the retry leaves the chip as one uninterrupted call would have (toggle aside, which a
    /// failure after the chip did toggle).
    pub async fn a_failure_anywhere_in_any_write_leaves_the_belief_true_and_a_retry_completes_it() {
        let points = [
            FaultPoint::BeforeChip,
            FaultPoint::AfterChip,
            FaultPoint::Partway(1),
            FaultPoint::Partway(2),
            FaultPoint::Partway(3),
            FaultPoint::Partway(4),
        ];
        for op in every_write() {
            let mut reference = ready(Config::default()).await;
            reference.allow_gpx7_inputs(true);
            busy(&mut reference).await;
            apply(&mut reference, op).await.unwrap();
            let expected = registers(sim(&mut reference));
            for n in 0..4 {
                for point in points {
                    let context = format!("{op:?} failing at transaction {n} {point:?}");
                    let mut mcp = ready(Config::default()).await;
                    mcp.allow_gpx7_inputs(true);
                    busy(&mut mcp).await;
                    mcp.bus_mut().fail_nth(n, point);
                    let _ = apply(&mut mcp, op).await;
                    assert_belief(&mut mcp, &context);
                    mcp.bus_mut().stop_failing();
                    apply(&mut mcp, op).await.unwrap();
                    assert_belief(&mut mcp, &context);
                    if !matches!(op, Op::Toggle(_)) {
                        assert_eq!(registers(sim(&mut mcp)), expected, "{context}: the retry");
                    }
                }
            }
        }
    }

    /// The same from a cold driver on a chip left in BANK = 1 byte mode: a failure while the map is being
    /// found (its reads, its write to 0x05, the read-back) leaves nothing believed that is not so.
    pub async fn a_failure_while_the_map_is_found_leaves_the_belief_true() {
        for left in [0xA0, 0x80, 0x20, 0x00] {
            for n in 0..6 {
                for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(1)] {
                    let context = format!("IOCON left {left:#04x}, failing at transaction {n} {point:?}");
                    let mut chip = Mcp23017Sim::new(Address::DEFAULT);
                    chip.poke_iocon(left);
                    chip.poke(2, Pins::from_bits_retain(0x0100));
                    let mut mcp = cold(chip);
                    mcp.bus_mut().fail_nth(n, point);
                    let _ = mcp
                        .set_as_outputs(Pins::from_bits_retain(0x000F), Pins::from_bits_retain(0x0005))
                        .await;
                    assert_belief(&mut mcp, &context);
                    mcp.bus_mut().stop_failing();
                    mcp.set_as_outputs(Pins::from_bits_retain(0x000F), Pins::from_bits_retain(0x0005))
                        .await
                        .unwrap();
                    assert_belief(&mut mcp, &context);
                    let chip = sim(&mut mcp);
                    assert!(!chip.bank1(), "{context}");
                    assert_eq!(chip.iocon(), left & 0x7E, "{context}");
                    assert_eq!(chip.output_latch(), Pins::from_bits_retain(0x0005), "{context}");
                    assert_eq!(chip.directions(), Pins::from_bits_retain(0xFFF0), "{context}");
                    assert_eq!(chip.interrupt_enable(), Pins::from_bits_retain(0x0100), "{context}");
                }
            }
        }
    }

    /// A chip that answers one byte for ever (a floating bus, a stuck SDA): every call ends, in a few
    /// transactions, and IOCON that cannot be an MCP23x17's is an error rather than a belief.
    pub async fn a_bus_stuck_at_one_byte_never_hangs_and_never_guesses_the_map() {
        for stuck in [0xFF, 0x00, 0x80, 0xA5] {
            let mut mcp = cold(Mcp23017Sim::new(Address::DEFAULT));
            mcp.bus_mut().stuck_at(Some(stuck));
            mcp.allow_gpx7_inputs(true);
            let config = mcp.config().await;
            if stuck & 0x80 != 0 {
                // BANK set at 0x05 and at 0x0A, and IOCON without it does not read back: no MCP23x17
                assert_eq!(config, Err(Error::UnexpectedDevice), "stuck at {stuck:#04x}");
                assert_eq!(mcp.cache_snapshot().iocon, None);
            } else {
                assert_eq!(config, Ok(Config::decode(stuck)));
            }
            for op in every_write()
                .into_iter()
                .chain([Op::InterruptStatus, Op::ReadLevels, Op::ReadConfig])
            {
                let before = mcp.bus_mut().transactions();
                let _ = apply(&mut mcp, op).await;
                let used = mcp.bus_mut().transactions() - before;
                assert!(used <= 20, "stuck at {stuck:#04x}, {op:?}: {used} transactions");
            }
        }
    }
}

both!(
    a_failure_anywhere_in_any_write_leaves_the_belief_true_and_a_retry_completes_it,
    a_failure_while_the_map_is_found_leaves_the_belief_true,
    a_bus_stuck_at_one_byte_never_hangs_and_never_guesses_the_map,
    init_failing_after_its_first_write_leaves_no_stale_belief,
    a_cold_driver_works_on_a_chip_left_in_byte_mode,
    a_cold_driver_works_on_a_chip_left_in_bank_1,
    a_cold_driver_works_on_a_chip_in_the_power_on_mode,
);

/// Cancellation (invariant 7): async futures dropped at every await point.
#[cfg(feature = "async")]
mod cancel {
    use super::common::*;
    use mcp23017::sim::{FaultyBus, Mcp23017Sim};
    use mcp23017::{I2cInterface, Mcp23017Async};

    type Driver = Mcp23017Async<I2cInterface<FaultyBus<Mcp23017Sim>>>;

    fn ready(config: Config) -> Driver {
        let mut mcp = Mcp23017Async::new(FaultyBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
        block_on(async {
            mcp.init(config).await.unwrap();
            mcp.set_as_inputs(Pins::from_bits_retain(0x0003), Pins::NONE)
                .await
                .unwrap();
            mcp.set_interrupt(Pins::from_bits_retain(0x0003), Some(InterruptTrigger::AnyEdge))
                .await
                .unwrap();
            // the levels as the driver knows them before the edge
            mcp.interrupt_status().await.unwrap();
        });
        mcp.bus_mut().yield_around_transactions(true);
        mcp
    }

    /// Known failure (issue 12): `interrupt_status` dropped after its INTCAP read lost the edge, for the chip
    /// had cleared the interrupt. Dropped at every await point, the edge is reported exactly once: by the dropped
    /// call if it finished, else by the next one.
    #[test]
    fn interrupt_status_dropped_at_any_await_point_keeps_the_edge() {
        for sequential in [true, false] {
            for polls in 0..12 {
                let mut mcp = ready(Config {
                    sequential,
                    ..Config::default()
                });
                // a pulse: only the capture (and the flag) remember that A0 was high
                mcp.bus_mut().inner_mut().drive(PinId::A0, true);
                mcp.bus_mut().inner_mut().drive(PinId::A0, false);
                let first = poll_then_drop(mcp.interrupt_status(), polls);
                let next = block_on(mcp.interrupt_status()).unwrap();
                let statuses = [first.map(Result::unwrap), Some(next)];
                let context = format!("sequential {sequential}, dropped after {polls} polls: {first:?} {next:?}");
                let rising = statuses
                    .iter()
                    .flatten()
                    .filter(|s| s.rising.contains_pin(PinId::A0))
                    .count();
                let falling = statuses
                    .iter()
                    .flatten()
                    .filter(|s| s.falling.contains_pin(PinId::A0))
                    .count();
                assert_eq!((rising, falling), (1, 1), "{context}");
                assert!(
                    statuses.iter().flatten().all(|s| !s.rising.contains_pin(PinId::A1)),
                    "{context}"
                );
                assert!(!mcp.bus_mut().inner().int_asserted(Port::A));
            }
        }
    }

    fn registers(chip: &Mcp23017Sim) -> [u16; 8] {
        [
            chip.directions().bits(),
            chip.input_polarity().bits(),
            chip.interrupt_enable().bits(),
            chip.default_levels().bits(),
            chip.interrupt_compare().bits(),
            chip.pull_ups().bits(),
            chip.output_latch().bits(),
            u16::from(chip.iocon()),
        ]
    }

    /// Invariant 7: every write dropped at every await point (each transaction yields before and after the
    /// chip) leaves the belief true, and calling it again leaves the chip as one uninterrupted call would have.
    #[test]
    fn every_write_dropped_at_any_await_point_then_called_again_completes_the_job() {
        use super::common::ops::{asynch::apply, every_write, Op};
        for byte_mode in [false, true] {
            let config = Config {
                sequential: !byte_mode,
                ..Config::default()
            };
            for op in every_write() {
                let mut reference = ready(config);
                reference.allow_gpx7_inputs(true);
                block_on(apply(&mut reference, op)).unwrap();
                let expected = registers(reference.bus_mut().inner());
                for polls in 0..40 {
                    let mut mcp = ready(config);
                    mcp.allow_gpx7_inputs(true);
                    let context = format!("byte mode {byte_mode}, {op:?} dropped after {polls} polls");
                    let finished = poll_then_drop(apply(&mut mcp, op), polls);
                    let cache = mcp.cache_snapshot();
                    assert_eq!(mcp.bus_mut().inner().belief_mismatch(&cache), None, "{context}");
                    if matches!(op, Op::Toggle(_)) && finished.is_none() {
                        continue;
                    }
                    block_on(apply(&mut mcp, op)).unwrap();
                    let cache = mcp.cache_snapshot();
                    assert_eq!(mcp.bus_mut().inner().belief_mismatch(&cache), None, "{context}");
                    if !matches!(op, Op::Toggle(_)) {
                        assert_eq!(registers(mcp.bus_mut().inner()), expected, "{context}");
                    }
                }
            }
        }
    }

    /// An INT pin that is active whenever asked (wired with the wrong polarity, or held by a level interrupt).
    struct AlwaysActive;

    impl embedded_hal::digital::ErrorType for AlwaysActive {
        type Error = core::convert::Infallible;
    }

    impl embedded_hal_async::digital::Wait for AlwaysActive {
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

    /// Invariant 4: a wait on an expander pin whose INT line stays active used to service the chip for ever;
    /// it now ends in `Error::Timeout` once the services were charged the timeout, and the timeout is the user's.
    #[test]
    fn a_wait_with_the_int_pin_stuck_active_ends_in_timeout() {
        use embedded_hal_async::digital::Wait;
        use fugit::MicrosDurationU32 as Duration;
        use mcp23017::WaitPin;
        let mut mcp = ready(Config::default());
        block_on(mcp.set_interrupt(Pins::from_bits_retain(0x0100), Some(InterruptTrigger::WhileLow))).unwrap();
        // yielding around each transaction, so that a wait that never times out is dropped by `poll_then_drop`
        // (and fails the test) instead of spinning in one poll
        mcp.bus_mut().yield_around_transactions(true);
        // B0 (an input without pull-up, reading low) holds INTB, A0 never rises
        let mut int = AlwaysActive;
        let before = mcp.bus_mut().transactions();
        let result = poll_then_drop(mcp.wait_pin(&mut int, PinId::A0).wait_for_rising_edge(), 100_000);
        assert_eq!(result, Some(Err(Error::Timeout)));
        let services = u64::from(mcp.bus_mut().transactions() - before) / 2;
        let default = WaitPin::<I2cInterface<FaultyBus<Mcp23017Sim>>, AlwaysActive>::DEFAULT_TIMEOUT;
        let charge = WaitPin::<I2cInterface<FaultyBus<Mcp23017Sim>>, AlwaysActive>::SERVICE_BUS_TIME;
        assert_eq!(default, Duration::millis(100));
        assert_eq!(services, u64::from(default.ticks() / charge.ticks()));
        // a shorter timeout, set by the user
        let before = mcp.bus_mut().transactions();
        let pin = mcp.wait_pin(&mut int, PinId::A0).with_timeout(Duration::millis(3));
        let result = poll_then_drop(
            async move {
                let mut pin = pin;
                embedded_hal_async::digital::Wait::wait_for_rising_edge(&mut pin).await
            },
            1000,
        );
        assert_eq!(result, Some(Err(Error::Timeout)));
        assert_eq!(mcp.bus_mut().transactions() - before, 2 * 2);
    }

    /// Invariant 5: a wait on A0 used to consume the statuses it read, so B0's edge, read in the same service,
    /// was lost. Now other pins' events are set aside for the next `interrupt_status`, also when the wait is
    /// dropped at any await point; A0's own edge is reported once, by the wait or else by the status.
    #[test]
    fn a_wait_keeps_other_pins_events_for_the_next_status() {
        use embedded_hal_async::digital::Wait;
        for polls in 0..14 {
            let mut mcp = ready(Config {
                mirror_interrupts: true,
                ..Config::default()
            });
            block_on(mcp.set_as_inputs(Pins::from_bits_retain(0x0100), Pins::NONE)).unwrap();
            block_on(mcp.set_interrupt(Pins::from_bits_retain(0x0101), Some(InterruptTrigger::RisingEdge))).unwrap();
            block_on(mcp.interrupt_status()).unwrap();
            mcp.bus_mut()
                .inner_mut()
                .drive_pins(Pins::from_bits_retain(0x0101), Pins::from_bits_retain(0x0101));
            let mut int = AlwaysActive;
            let waited = poll_then_drop(
                async {
                    let mut pin = mcp.wait_pin(&mut int, PinId::A0);
                    pin.wait_for_rising_edge().await
                },
                polls,
            );
            let status = block_on(mcp.interrupt_status()).unwrap();
            let context = format!("dropped after {polls} polls: {waited:?}, then {status:?}");
            assert!(status.rising.contains_pin(PinId::B0), "{context}");
            assert_eq!(status.rising.contains_pin(PinId::A0), waited.is_none(), "{context}");
            if let Some(result) = waited {
                result.unwrap();
            }
            assert!(!mcp.has_news());
        }
    }

    /// The MCP23S17 on SPI: a cold driver on a chip left in BANK = 1 and byte mode, with faults.
    #[test]
    fn an_mcp23s17_left_in_bank_1_works_cold_over_spi_despite_faults() {
        for n in 0..8 {
            let mut chip = Mcp23017Sim::new_spi(HardwareAddress::default());
            chip.poke_iocon(0xA0);
            let mut mcp = Mcp23017Async::new_spi(FaultyBus::new(chip), HardwareAddress::default());
            mcp.bus_mut().fail_nth(n, mcp23017::sim::FaultPoint::AfterChip);
            mcp.bus_mut().yield_around_transactions(true);
            let _ = poll_then_drop(
                mcp.set_as_outputs(Pins::from_bits_retain(0x00FF), Pins::from_bits_retain(0x0081)),
                1000,
            );
            block_on(mcp.set_as_outputs(Pins::from_bits_retain(0x00FF), Pins::from_bits_retain(0x0081))).unwrap();
            let cache = mcp.cache_snapshot();
            let chip = mcp.bus_mut().inner();
            assert_eq!(chip.belief_mismatch(&cache), None, "failing at {n}");
            assert_eq!(
                (chip.iocon(), chip.output_latch(), chip.directions()),
                (0x20, Pins::from_bits_retain(0x0081), Pins::from_bits_retain(0xFF00))
            );
        }
    }
}

/// The fault-injecting bus itself, through the raw bus traits.
mod faulty_bus {
    use super::common::*;
    use embedded_hal::i2c::{ErrorKind as I2cKind, I2c as I2cBus, NoAcknowledgeSource};
    use embedded_hal::spi::ErrorKind as SpiKind;
    use mcp23017::sim::{FaultKind, FaultPoint, FaultyBus, FaultyBusError, Mcp23017Sim};

    fn bus() -> FaultyBus<Mcp23017Sim> {
        FaultyBus::new(Mcp23017Sim::new(Address::DEFAULT))
    }

    #[test]
    fn each_fault_point_does_what_it_says_to_the_chip() {
        let mut b = bus();
        b.fail_nth(1, FaultPoint::BeforeChip);
        b.write(ADDR, &[0x14, 0x01, 0x02]).unwrap();
        let injected = FaultyBusError::Injected(FaultKind::I2c(I2cKind::NoAcknowledge(NoAcknowledgeSource::Data)));
        assert_eq!(b.write(ADDR, &[0x14, 0x03, 0x04]), Err(injected));
        assert_eq!(
            b.inner().output_latch(),
            Pins::from_bits_retain(0x0201),
            "before the chip: nothing"
        );
        b.fail_nth(0, FaultPoint::AfterChip);
        assert!(b.write(ADDR, &[0x14, 0x05, 0x06]).is_err());
        assert_eq!(
            b.inner().output_latch(),
            Pins::from_bits_retain(0x0605),
            "after the chip: all of it"
        );
        b.fail_nth(0, FaultPoint::Partway(2));
        assert!(b.write(ADDR, &[0x14, 0x07, 0x08]).is_err());
        assert_eq!(
            b.inner().output_latch(),
            Pins::from_bits_retain(0x0607),
            "part way: the register and one byte"
        );
        b.fail_nth(0, FaultPoint::Partway(1));
        let mut read = [0xEE; 2];
        assert!(b.write_read(ADDR, &[0x14], &mut read).is_err());
        assert_eq!(read, [0xEE; 2], "part way: no byte read");
        assert_eq!((b.transactions(), b.faults()), (5, 4));
        b.write_read(ADDR, &[0x14], &mut read).unwrap();
        assert_eq!(read, [0x07, 0x06]);
    }

    #[test]
    fn an_after_chip_read_clears_what_reading_clears() {
        let mut b = bus();
        b.write(ADDR, &[0x04, 0x01]).unwrap(); // GPINTENA: A0
        b.inner_mut().drive(PinId::A0, true);
        assert!(b.inner().int_asserted(Port::A));
        b.fail_nth(0, FaultPoint::AfterChip);
        let mut capture = [0; 2];
        assert!(b.write_read(ADDR, &[0x10], &mut capture).is_err());
        assert!(!b.inner().int_asserted(Port::A));
    }

    #[test]
    fn stuck_at_answers_one_byte_and_random_faults_are_deterministic() {
        let mut b = bus();
        b.stuck_at(Some(0x5A));
        let mut read = [0; 3];
        b.write_read(ADDR, &[0x00], &mut read).unwrap();
        assert_eq!(read, [0x5A; 3]);
        b.stuck_at(None);
        b.write_read(ADDR, &[0x00], &mut read).unwrap();
        assert_eq!(read, [0xFF, 0xFF, 0x00]);
        let pattern = |seed| {
            let mut b = bus();
            b.fail_randomly(seed, 300);
            (0..64)
                .map(|_| b.write(ADDR, &[0x14, 0x00]).is_err())
                .collect::<Vec<_>>()
        };
        assert_eq!(pattern(7), pattern(7));
        let failures = pattern(7).iter().filter(|f| **f).count();
        assert!((8..=32).contains(&failures), "{failures} of 64 at 30 %");
        let mut b = bus();
        b.fail_randomly(7, 1000);
        b.stop_failing();
        assert!(b.write(ADDR, &[0x14, 0x00]).is_ok());
    }

    #[test]
    fn the_error_kind_is_settable_per_bus_kind() {
        use embedded_hal::spi::SpiDevice;
        let mut b = FaultyBus::new(Mcp23017Sim::new_spi(HardwareAddress::default()));
        b.fail_nth(0, FaultPoint::BeforeChip);
        assert_eq!(
            SpiDevice::write(&mut b, &[0x40, 0x14, 0x01]),
            Err(FaultyBusError::Injected(FaultKind::Spi(SpiKind::Other)))
        );
        b.set_error_kind(SpiKind::ModeFault);
        b.fail_nth(0, FaultPoint::Partway(3));
        assert!(SpiDevice::write(&mut b, &[0x40, 0x14, 0x01, 0x02]).is_err());
        assert_eq!(
            b.inner().output_latch(),
            Pins::from_bits_retain(0x0001),
            "opcode, register, one byte"
        );
        let mut i = bus();
        i.set_error_kind(I2cKind::ArbitrationLoss);
        i.fail_nth(0, FaultPoint::BeforeChip);
        let e = I2cBus::write(&mut i, ADDR, &[0x14, 0x00]).unwrap_err();
        assert_eq!(embedded_hal::i2c::Error::kind(&e), I2cKind::ArbitrationLoss);
    }

    #[cfg(feature = "async")]
    #[test]
    fn async_transactions_yield_before_and_after_the_chip() {
        use embedded_hal_async::i2c::I2c as AsyncI2c;
        let mut b = bus();
        b.yield_around_transactions(true);
        assert!(poll_then_drop(AsyncI2c::write(&mut b, ADDR, &[0x14, 0x01]), 1).is_none());
        assert_eq!(b.inner().output_latch(), Pins::NONE, "dropped before the chip");
        assert!(poll_then_drop(AsyncI2c::write(&mut b, ADDR, &[0x14, 0x02]), 2).is_none());
        assert_eq!(
            b.inner().output_latch(),
            Pins::from_bits_retain(0x0002),
            "dropped after the chip"
        );
        assert_eq!(
            poll_then_drop(AsyncI2c::write(&mut b, ADDR, &[0x14, 0x03]), 3),
            Some(Ok(()))
        );
    }
}
