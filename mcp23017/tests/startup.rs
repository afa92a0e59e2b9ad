//! Start-up from the chip's power-on state (`assume_power_on_state`): exact bytes of the start-up operations on
//! the mock (the protocol minimum), and on the simulator the same chip and the same cache as the paths that read.
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
    use mcp23017::sim::{CountingBus, Mcp23017Sim, Traffic};
    use mcp23017::Mcp23017;

    /// GPB0..GPB6 (GPB7 is output-only on the MCP23017).
    const INPUTS: u16 = 0x7F00;

    /// The start-up: port A outputs, port B inputs with pull-ups: GPPU then IODIR, one 3-byte write each,
    /// nothing read (2 transactions, 6 bytes after the address: the minimum). Then the rest of the size workload:
    /// one port's latch (2 bytes), one port's levels (1 + 1: GPIOB alone, no interrupt can be pending), and the
    /// interrupt status (INTF alone, then INTF..GPIO).
    pub async fn from_power_on_the_start_up_writes_only_what_changes() {
        let mut i2c = mock(&[
            write(&[0x0C, 0x00, 0x7F]),
            write(&[0x00, 0x00, 0x7F]),
            write(&[0x14, 0x55]),
            read(0x13, &[0x41]),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x55, 0x41]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.assume_power_on_state();
        mcp.set_pull_ups(Pins::from_bits_retain(INPUTS)).await.unwrap();
        mcp.set_directions(Pins::from_bits_retain(INPUTS)).await.unwrap();
        mcp.write_port(Port::A, 0x55).await.unwrap();
        assert_eq!(mcp.read_port(Port::B).await.unwrap(), 0x41);
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.levels, Pins::from_bits_retain(0x4155));
        assert!(!status.is_pending());
        i2c.done();
    }

    /// The same with the glitch-free setters: the latch and pull-ups, known from the power-on state, need no read;
    /// and the cached configuration answers without the bus.
    pub async fn from_power_on_nothing_is_read_before_a_write() {
        let mut i2c = mock(&[
            write(&[0x14, 0x00, 0x00]),
            write(&[0x00, 0x00, 0xFF]),
            write(&[0x0C, 0x00, 0x7F]),
            write(&[0x00, 0x00, 0xFF]),
            write(&[0x14, 0x01, 0x00]),
            read(0x12, &[0x01, 0x7F]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.assume_power_on_state();
        assert_eq!(mcp.config().await.unwrap(), Config::default());
        assert_eq!(mcp.directions().await.unwrap(), Pins::ALL);
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::NONE);
        assert_eq!(mcp.input_polarity().await.unwrap(), Pins::NONE);
        assert!(!mcp.int_active_high());
        mcp.set_as_outputs(Pins::PORT_A, Pins::NONE).await.unwrap();
        mcp.set_as_inputs(Pins::from_bits_retain(INPUTS), Pins::from_bits_retain(INPUTS))
            .await
            .unwrap();
        mcp.toggle_pin(PinId::A0).await.unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::from_bits_retain(0x7F01));
        assert!(!mcp.has_news());
        assert_eq!(mcp.pending_status(), None);
        i2c.done();
    }

    /// `assume_power_on_state` forgets what the driver held: triggers, kept statuses, flags of a failed service.
    pub async fn assuming_the_power_on_state_forgets_triggers_and_news() {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x01, 0x00]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0; 6]).with_error(nack()),
            // after the assumption: GPIO alone, nothing kept
            read(0x12, &[0x01, 0x00]),
            // A0's interrupt enabled again, through GPINTEN alone: it rose, but no trigger is left
            write(&[0x04, 0x01, 0x00]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x01, 0x00, 0x01, 0x00]),
        ]);
        let mut i2c = mock(&transactions);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::A0, Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert!(mcp.has_news());
        mcp.assume_power_on_state();
        assert!(!mcp.has_news());
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::A0);
        mcp.set_interrupt_enable(Pins::A0).await.unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!((status.flagged, status.rising), (Pins::A0, Pins::A0));
        assert_eq!(status.triggered, Pins::NONE);
        i2c.done();
    }

    fn sim_driver() -> Mcp23017<mcp23017::I2cInterface<CountingBus<Mcp23017Sim>>> {
        Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT)
    }

    /// On a chip just powered on, the assumed cache is what reading the chip (`resync`) and `init` find, every
    /// register of it right; the start-up from it leaves the chip as the cold path does, with 2 writes instead of
    /// the cold path's map reads first.
    pub async fn after_power_on_the_assumed_state_is_what_the_chip_holds() {
        let mut assumed = sim_driver();
        assumed.bus_mut().inner_mut().power_on_reset();
        assumed.assume_power_on_state();
        let belief = assumed.cache_snapshot();
        assert_eq!(assumed.bus_mut().inner_mut().belief_mismatch(&belief), None);
        assert_eq!(belief.iocon, Some(0x00));
        assert_eq!(assumed.bus_mut().traffic(), Traffic::default());

        let mut read = sim_driver();
        read.resync().await.unwrap();
        assert_eq!(read.cache_snapshot(), belief);
        let mut initialised = sim_driver();
        initialised.init(Config::default()).await.unwrap();
        assert_eq!(initialised.cache_snapshot(), belief);

        let mut cold = sim_driver();
        for mcp in [&mut assumed, &mut cold] {
            mcp.bus_mut().reset_traffic();
            mcp.set_pull_ups(Pins::from_bits_retain(INPUTS)).await.unwrap();
            mcp.set_directions(Pins::from_bits_retain(INPUTS)).await.unwrap();
        }
        let minimum = Traffic {
            transactions: 2,
            written: 6,
            read: 0,
        };
        assert_eq!(assumed.bus_mut().traffic(), minimum);
        assert_eq!(
            cold.bus_mut().traffic(),
            Traffic {
                transactions: 4,
                written: 8,
                read: 2
            }
        );
        for mcp in [&mut assumed, &mut cold] {
            let chip = mcp.bus_mut().inner_mut();
            assert_eq!(chip.directions(), Pins::from_bits_retain(INPUTS));
            assert_eq!(chip.pull_ups(), Pins::from_bits_retain(INPUTS));
        }
        // every register of the chips alike: what the cold one reads back is what the assumed one believes
        cold.resync().await.unwrap();
        assert_eq!(assumed.cache_snapshot(), cold.cache_snapshot());
        let belief = assumed.cache_snapshot();
        assert_eq!(assumed.bus_mut().inner_mut().belief_mismatch(&belief), None);
    }
}

both!(
    from_power_on_the_start_up_writes_only_what_changes,
    from_power_on_nothing_is_read_before_a_write,
    assuming_the_power_on_state_forgets_triggers_and_news,
    after_power_on_the_assumed_state_is_what_the_chip_holds,
);
