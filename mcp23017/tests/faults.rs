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
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
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
        mcp.set_as_outputs(Pins::PORT_A, Pins(0x00A5)).await.unwrap();
        mcp.set_as_inputs(Pins(0x0300), Pins(0x0300)).await.unwrap();
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
            assert_eq!(chip.directions(), Pins(0xFF00), "{context}");
            assert_eq!(chip.output_latch(), Pins(0x00A5), "{context}");
            assert_eq!(chip.pull_ups(), Pins(0x0300), "{context}");
            assert_eq!(chip.input_polarity(), Pins::NONE, "{context}");
            assert_eq!(chip.interrupt_enable(), Pins(0x0300), "{context}");
            assert_eq!(chip.interrupt_compare(), Pins(0x0200), "{context}");
            assert_eq!(chip.default_levels(), Pins(0x0200), "{context}");
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
        assert_eq!(status.levels, Pins(0x02A5), "{context}");
        assert!(
            !sim(&mut mcp).int_asserted(Port::B),
            "{context}: the status read cleared the interrupt"
        );
        assert_eq!(mcp.read_levels().await.unwrap(), Pins(0x02A5), "{context}");
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
}

both!(
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
            mcp.set_as_inputs(Pins(0x0003), Pins::NONE).await.unwrap();
            mcp.set_interrupt(Pins(0x0003), Some(InterruptTrigger::AnyEdge))
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
                    .filter(|s| s.rising.contains(PinId::A0))
                    .count();
                let falling = statuses
                    .iter()
                    .flatten()
                    .filter(|s| s.falling.contains(PinId::A0))
                    .count();
                assert_eq!((rising, falling), (1, 1), "{context}");
                assert!(
                    statuses.iter().flatten().all(|s| !s.rising.contains(PinId::A1)),
                    "{context}"
                );
                assert!(!mcp.bus_mut().inner().int_asserted(Port::A));
            }
        }
    }
}
