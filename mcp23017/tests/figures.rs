//! Pinned bus-traffic figures (transactions, and bytes after each I2C address byte), counted on the simulator.
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

    fn traffic(transactions: u32, written: u32, read: u32) -> Traffic {
        Traffic {
            transactions,
            written,
            read,
        }
    }

    /// The traffic counted so far, and a fresh count.
    fn take<B>(bus: &mut CountingBus<B>) -> Traffic {
        let traffic = bus.traffic();
        bus.reset_traffic();
        traffic
    }

    async fn ready() -> Mcp23017<mcp23017::I2cInterface<CountingBus<Mcp23017Sim>>> {
        let bus = CountingBus::new(Mcp23017Sim::new(Address::DEFAULT));
        let mut mcp = Mcp23017::new(bus, Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        take(mcp.bus_mut());
        mcp
    }

    pub async fn init_is_three_writes_and_one_write_read() {
        let bus = CountingBus::new(Mcp23017Sim::new(Address::DEFAULT));
        let mut mcp = Mcp23017::new(bus, Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(4, 2 + 3 + 23 + 1, 6));
    }

    pub async fn port_a_outputs_gpb0_to_gpb6_inputs_with_pull_ups_is_two_transactions_of_three_bytes() {
        // GPB7 stays an output (output-only on the MCP23017): no `allow_gpx7_inputs`. Pull-ups before directions,
        // the order of the driver's own input configuration (`set_as_inputs`, `set_pin_mode`): no input floats.
        let inputs = Pins::from_bits_retain(0x7F00);
        let mut mcp = ready().await;
        mcp.set_pull_ups(inputs).await.unwrap();
        mcp.set_directions(inputs).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(2, 6, 0));
        assert_eq!(mcp.bus_mut().inner_mut().directions(), inputs);
        assert_eq!(mcp.bus_mut().inner_mut().pull_ups(), inputs);
        // the whole of port B as inputs is refused, with nothing sent
        assert_eq!(
            mcp.set_directions(Pins::PORT_B).await,
            Err(Error::Argument(ArgumentError::OutputOnlyPin))
        );
        assert_eq!(take(mcp.bus_mut()), traffic(0, 0, 0));
    }

    /// The start-up row: from power-on at the minimum (2 transactions, 6 bytes), from a cold cache 2 reads
    /// more (0x05 and IOCON: the map an earlier firmware may have left).
    pub async fn the_start_up_from_power_on_is_at_the_minimum_and_from_cold_two_reads_more() {
        let inputs = Pins::from_bits_retain(0x7F00);
        let mut powered_on = Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
        powered_on.assume_power_on_state();
        powered_on.set_pull_ups(inputs).await.unwrap();
        powered_on.set_directions(inputs).await.unwrap();
        assert_eq!(take(powered_on.bus_mut()), traffic(2, 6, 0));
        let mut cold = Mcp23017::new(CountingBus::new(Mcp23017Sim::new(Address::DEFAULT)), Address::DEFAULT);
        cold.set_pull_ups(inputs).await.unwrap();
        cold.set_directions(inputs).await.unwrap();
        assert_eq!(take(cold.bus_mut()), traffic(4, 2 + 6, 2));
    }

    pub async fn reading_one_port_is_one_write_read_of_one_byte_while_interrupts_are_off() {
        let mut mcp = ready().await;
        mcp.read_port(Port::B).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(1, 1, 1));
        mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        take(mcp.bus_mut());
        mcp.read_port(Port::B).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(2, 2, 8));
    }

    pub async fn a_cold_driver_reads_the_map_iocon_and_olat_once() {
        let bus = CountingBus::new(Mcp23017Sim::new(Address::DEFAULT));
        let mut mcp = Mcp23017::new(bus, Address::DEFAULT);
        mcp.toggle_pin(PinId::A0).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(4, 1 + 1 + 1 + 3, 1 + 1 + 2));
        mcp.toggle_pin(PinId::A0).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(1, 3, 0));
    }

    pub async fn toggling_one_pin_is_one_three_byte_write() {
        let mut mcp = ready().await;
        mcp.toggle_pin(PinId::A3).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(1, 3, 0));
        mcp.set_pin(PinId::B6, true).await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(1, 3, 0));
    }

    pub async fn reading_both_ports_is_one_write_read_or_two_with_interrupts_on() {
        let mut mcp = ready().await;
        mcp.read_levels().await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(1, 1, 2));
        // with interrupts on, a service: INTF alone (kept if the clearing read fails), then INTF..GPIO
        mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        take(mcp.bus_mut());
        mcp.read_levels().await.unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(2, 2, 8));
    }

    pub async fn servicing_an_interrupt_is_two_write_reads() {
        let mut mcp = ready().await;
        mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        assert_eq!(take(mcp.bus_mut()), traffic(1, 3, 0));
        mcp.bus_mut().inner_mut().drive(PinId::B0, true);
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.rising, Pins::from(PinId::B0));
        assert_eq!(take(mcp.bus_mut()), traffic(2, 2, 8));
    }
}

both!(
    init_is_three_writes_and_one_write_read,
    port_a_outputs_gpb0_to_gpb6_inputs_with_pull_ups_is_two_transactions_of_three_bytes,
    toggling_one_pin_is_one_three_byte_write,
    the_start_up_from_power_on_is_at_the_minimum_and_from_cold_two_reads_more,
    reading_one_port_is_one_write_read_of_one_byte_while_interrupts_are_off,
    a_cold_driver_reads_the_map_iocon_and_olat_once,
    reading_both_ports_is_one_write_read_or_two_with_interrupts_on,
    servicing_an_interrupt_is_two_write_reads,
);
