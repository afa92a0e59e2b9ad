//! The MCP23008/MCP23S08: exact bytes of its own register map (one byte per register, IOCON at 0x05, the
//! 0x00..0x0A burst, INTF/INTCAP/GPIO at 0x07..0x09), the pins and settings it lacks, the S08's addressing; and
//! behaviour on its sim variant. Sync and async through the same bodies.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#[macro_use]
mod common;

/// `init(Config::default())` on an MCP23008: IOCON, the 12-byte power-on burst, the 1 + 3 status read answering
/// `levels`.
fn init8(levels: u8) -> Vec<common::I2c> {
    vec![
        common::write(&[0x05, 0x00]),
        common::write(&[0x00, 0xFF, 0, 0, 0, 0, 0x00, 0, 0, 0, 0, 0]),
        common::read(0x07, &[0, 0, levels]),
    ]
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        Mcp23008I2c(sync = "Mcp23008I2c", async = "Mcp23008AsyncI2c")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use super::init8;
    use mcp23017::sim::{FaultPoint, FaultyBus, Mcp23017Sim, SharedChipSelect};
    use mcp23017::{InvalidAddress, Mcp23008I2c, Mcp23017};

    /// A warm MCP23008 driver on `i2c` (no traffic: the power-on state assumed).
    fn warm(i2c: &I2cMock) -> Mcp23008I2c<I2cMock> {
        let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), Address::DEFAULT);
        mcp.assume_power_on_state();
        mcp
    }

    fn no_such_pin<T>() -> Result<T, Error<ErrorKind>> {
        Err(Error::Argument(ArgumentError::NoSuchPin))
    }

    // ---- exact bytes -------------------------------------------------------------------------------------

    pub async fn init_writes_iocon_at_0x05_then_the_whole_map_in_one_burst() {
        let mut i2c = mock(&init8(0x5A));
        let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::PORT_A);
        assert_eq!(mcp.pending_status(), None);
        i2c.done();
    }

    pub async fn init_in_byte_mode_writes_one_register_at_a_time() {
        let config = Config {
            sequential: false,
            int_output: IntOutput::OpenDrain,
            ..Config::default()
        };
        let mut i2c = mock(&[
            write(&[0x05, 0x24]),
            write(&[0x00, 0xFF]),
            write(&[0x01, 0x00]),
            write(&[0x02, 0x00]),
            write(&[0x03, 0x00]),
            write(&[0x04, 0x00]),
            write(&[0x06, 0x00]),
            write(&[0x0A, 0x00]),
            read(0x07, &[0x00]),
            read(0x08, &[0x00]),
            read(0x09, &[0x81]),
        ]);
        let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), Address::DEFAULT);
        mcp.init(config).await.unwrap();
        assert_eq!(mcp.config().await.unwrap(), config);
        i2c.done();
    }

    pub async fn a_cold_driver_reads_iocon_once_then_olat_then_writes_one_byte() {
        let mut i2c = mock(&[read(0x05, &[0x00]), read(0x0A, &[0x10]), write(&[0x0A, 0x11])]);
        let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), Address::DEFAULT);
        mcp.toggle_pin(PinId::A0).await.unwrap();
        assert_eq!(mcp.outputs().await.unwrap(), Pins::A0 | Pins::A4);
        i2c.done();
    }

    pub async fn settings_are_one_byte_writes_at_the_index_addresses() {
        let mut i2c = mock(&[
            write(&[0x06, 0x30]),
            write(&[0x01, 0x40]),
            write(&[0x0A, 0x0F]),
            write(&[0x00, 0xF0]),
            read(0x09, &[0xA5]),
            read(0x0A, &[0x0F]),
        ]);
        let mut mcp = warm(&i2c);
        mcp.set_pull_ups(Pins::A4 | Pins::A5).await.unwrap();
        mcp.set_input_polarity(Pins::A6).await.unwrap();
        mcp.set_as_outputs(Pins::from_bits_retain(0x0F), Pins::from_bits_retain(0x0F))
            .await
            .unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::from_bits_retain(0xA5));
        assert_eq!(mcp.read_outputs().await.unwrap(), Pins::from_bits_retain(0x0F));
        i2c.done();
    }

    pub async fn port_b_pins_are_refused_without_traffic() {
        let mut i2c = mock(&[]);
        let mut mcp = warm(&i2c);
        assert_eq!(mcp.set_directions(Pins::ALL).await, no_such_pin());
        assert_eq!(mcp.set_pin(PinId::B0, true).await, no_such_pin());
        assert_eq!(mcp.pin_is_high(PinId::B7).await, no_such_pin());
        assert_eq!(mcp.set_pin_mode(PinId::B1, PinMode::Input).await, no_such_pin());
        assert_eq!(
            mcp.set_interrupt(Pins::B2, Some(InterruptTrigger::AnyEdge)).await,
            no_such_pin()
        );
        assert_eq!(mcp.write_outputs(Pins::B3).await, no_such_pin());
        assert_eq!(mcp.set_as_inputs(Pins::A0, Pins::B0).await, no_such_pin());
        i2c.done();
    }

    pub async fn mirror_is_refused_and_iocon_bits_7_6_0_are_neither_cached_nor_written_back() {
        let mut i2c = mock(&[read(0x05, &[0xC5]), write(&[0x05, 0x02])]);
        let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), Address::DEFAULT);
        let mirror = Config {
            mirror_interrupts: true,
            ..Config::default()
        };
        assert_eq!(
            mcp.set_config(mirror).await,
            Err(Error::Argument(ArgumentError::NotOnThisPart))
        );
        assert_eq!(mcp.config().await.unwrap().int_output, IntOutput::OpenDrain);
        // what the driver believes holds only the implemented bits
        assert_eq!(mcp.cache_snapshot().iocon, Some(0x04));
        mcp.set_int_output(IntOutput::ActiveHigh).await.unwrap();
        assert_eq!(mcp.cache_snapshot().iocon, Some(0x02));
        i2c.done();
    }

    pub async fn a_level_interrupt_writes_defval_and_intcon_in_one_burst_then_gpinten() {
        let mut i2c = mock(&[write(&[0x03, 0x02, 0x02]), write(&[0x02, 0x02])]);
        let mut mcp = warm(&i2c);
        mcp.set_interrupt(Pins::A1, Some(InterruptTrigger::WhileLow))
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn the_service_reads_intf_then_intf_intcap_gpio_in_one_burst() {
        let mut i2c = mock(&[
            write(&[0x02, 0x02]),
            read(0x07, &[0x02]),
            read(0x07, &[0x02, 0x00, 0x02]),
        ]);
        let mut mcp = warm(&i2c);
        mcp.set_interrupt(Pins::A1, Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::A1);
        assert_eq!(status.falling, Pins::A1);
        assert_eq!(status.rising, Pins::A1);
        assert_eq!(status.triggered, Pins::A1);
        i2c.done();
    }

    pub async fn a_nacked_service_keeps_its_flags() {
        let mut i2c = mock(&[
            write(&[0x02, 0x01]),
            read(0x07, &[0x01]),
            read(0x07, &[0x01, 0x00, 0x00]).with_error(nack()),
            read(0x07, &[0x00]),
            read(0x07, &[0x00, 0x00, 0x00]),
        ]);
        let mut mcp = warm(&i2c);
        mcp.set_interrupt(Pins::A0, Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert!(mcp.has_news());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::A0);
        i2c.done();
    }

    pub async fn resync_reads_iocon_then_seven_registers_then_olat() {
        let mut i2c = mock(&[
            read(0x05, &[0x00]),
            read(0x00, &[0x0F, 0x01, 0x02, 0x03, 0x04, 0x00, 0x06]),
            read(0x0A, &[0xA0]),
        ]);
        let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), Address::DEFAULT);
        mcp.resync().await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0x0F));
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::from_bits_retain(0x06));
        assert_eq!(mcp.outputs().await.unwrap(), Pins::from_bits_retain(0xA0));
        i2c.done();
    }

    pub async fn gp7_is_refused_as_an_input_on_i2c_unless_allowed() {
        let mut i2c = mock(&[write(&[0x00, 0xFF])]);
        let mut mcp = warm(&i2c);
        assert_eq!(
            mcp.set_pin_mode(PinId::A7, PinMode::Input).await,
            Err(Error::Argument(ArgumentError::OutputOnlyPin))
        );
        mcp.allow_gpx7_inputs(true);
        mcp.set_pin_mode(PinId::A7, PinMode::Input).await.unwrap();
        i2c.done();
    }

    pub async fn the_mcp23s08_at_address_2_sets_haen_at_address_0_first() {
        let mut expected = Vec::new();
        for frame in [
            spi_write(0x40, &[0x05, 0x08]),
            spi_write(0x44, &[0x05, 0x08]),
            spi_write(0x44, &[0x00, 0xFF, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 0]),
            spi_read(0x45, 0x07, &[0, 0, 0]),
            // GP7 as an input: allowed on SPI
            spi_write(0x44, &[0x06, 0x80]),
            spi_write(0x44, &[0x00, 0xFF]),
        ] {
            expected.extend(frame);
        }
        let mut spi = SpiMock::new(&expected);
        let mut mcp = Mcp23017::new_mcp23s08(spi.clone(), HardwareAddress::raw(2).unwrap()).unwrap();
        let haen = Config {
            hardware_addressing: true,
            ..Config::default()
        };
        mcp.init(haen).await.unwrap();
        mcp.set_pin_mode(PinId::A7, PinMode::InputPullUp).await.unwrap();
        spi.done();
    }

    pub async fn the_mcp23s08_at_address_0_writes_iocon_once() {
        let mut expected = Vec::new();
        for frame in [
            spi_write(0x40, &[0x05, 0x20]),
            spi_write(0x40, &[0x00, 0xFF]),
            spi_write(0x40, &[0x01, 0x00]),
            spi_write(0x40, &[0x02, 0x00]),
            spi_write(0x40, &[0x03, 0x00]),
            spi_write(0x40, &[0x04, 0x00]),
            spi_write(0x40, &[0x06, 0x00]),
            spi_write(0x40, &[0x0A, 0x00]),
            spi_read(0x41, 0x07, &[0]),
            spi_read(0x41, 0x08, &[0]),
            spi_read(0x41, 0x09, &[0]),
        ] {
            expected.extend(frame);
        }
        let mut spi = SpiMock::new(&expected);
        let mut mcp = Mcp23017::new_mcp23s08(spi.clone(), HardwareAddress::default()).unwrap();
        let byte_mode = Config {
            sequential: false,
            ..Config::default()
        };
        mcp.init(byte_mode).await.unwrap();
        spi.done();
    }

    pub async fn the_mcp23s08_refuses_address_4_and_a_nonzero_address_without_haen() {
        let mut spi = SpiMock::new(&[]);
        assert_eq!(
            Mcp23017::new_mcp23s08(spi.clone(), HardwareAddress::raw(4).unwrap()).err(),
            Some(InvalidAddress(4))
        );
        let mut mcp = Mcp23017::new_mcp23s08(spi.clone(), HardwareAddress::raw(3).unwrap()).unwrap();
        assert_eq!(
            mcp.init(Config::default()).await,
            Err(Error::Argument(ArgumentError::HardwareAddressingRequired))
        );
        spi.done();
    }

    // ---- behaviour on the sim ----------------------------------------------------------------------------

    pub async fn pins_pull_ups_and_polarity_on_the_sim() {
        let mut mcp = Mcp23017::new_mcp23008(Mcp23017Sim::mcp23008(Address::DEFAULT), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_outputs(Pins::from_bits_retain(0x0F), Pins::from_bits_retain(0x05))
            .await
            .unwrap();
        mcp.set_as_inputs(Pins::A4 | Pins::A5 | Pins::A6, Pins::A4)
            .await
            .unwrap();
        mcp.set_input_polarity(Pins::A6).await.unwrap();
        mcp.bus_mut().drive(PinId::A5, true);
        // outputs 0101, A4 pulled up, A5 driven high, A6 undriven low read inverted, A7 undriven
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::from_bits_retain(0x75));
        let sim = mcp.release();
        assert_eq!(sim.directions(), Pins::from_bits_retain(0xF0));
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x05));
        assert_eq!(sim.levels(), Pins::from_bits_retain(0x35));
    }

    pub async fn an_edge_interrupts_the_one_int_pin_and_the_service_clears_it() {
        let mut mcp = Mcp23017::new_mcp23008(Mcp23017Sim::mcp23008(Address::DEFAULT), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_inputs(Pins::A1, Pins::A1).await.unwrap();
        mcp.set_interrupt(Pins::A1, Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        mcp.bus_mut().drive(PinId::A1, false);
        assert!(mcp.bus().int_asserted(Port::A));
        assert_eq!(mcp.bus().int_level(Port::A), Some(false));
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.triggered, Pins::A1);
        assert_eq!(status.levels, Pins::NONE);
        assert!(!mcp.bus().int_asserted(Port::A));
    }

    pub async fn init_recovers_a_chip_left_in_byte_mode_and_resync_reads_it_back() {
        let mut sim = Mcp23017Sim::mcp23008(Address::DEFAULT);
        sim.poke_iocon(0x24);
        sim.poke(0, Pins::from_bits_retain(0x0F));
        let mut mcp = Mcp23017::new_mcp23008(sim, Address::DEFAULT);
        mcp.resync().await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0x0F));
        assert!(!mcp.config().await.unwrap().sequential);
        mcp.init(Config::default()).await.unwrap();
        mcp.write_outputs(Pins::A3).await.unwrap();
        let sim = mcp.release();
        assert_eq!(sim.iocon(), 0x00);
        assert_eq!(sim.directions(), Pins::PORT_A);
        assert_eq!(sim.output_latch(), Pins::A3);
    }

    pub async fn haen_separates_two_mcp23s08s_on_one_chip_select() {
        let bus = SharedChipSelect {
            chips: [
                Mcp23017Sim::mcp23s08(HardwareAddress::raw(0).unwrap()),
                Mcp23017Sim::mcp23s08(HardwareAddress::raw(3).unwrap()),
            ],
        };
        let haen = Config {
            hardware_addressing: true,
            ..Config::default()
        };
        let mut three = Mcp23017::new_mcp23s08(bus, HardwareAddress::raw(3).unwrap()).unwrap();
        three.init(haen).await.unwrap();
        three
            .set_as_outputs(Pins::PORT_A, Pins::from_bits_retain(0x3C))
            .await
            .unwrap();
        let bus = three.release();
        // the IOCON write at address 0 reached both (neither had HAEN); only chip 3 took the rest
        assert_eq!(bus.chips[0].iocon(), 0x08);
        assert_eq!(bus.chips[0].directions(), Pins::PORT_A);
        assert_eq!(bus.chips[1].output_latch(), Pins::from_bits_retain(0x3C));
        assert_eq!(bus.chips[1].directions(), Pins::NONE);
    }

    pub async fn every_fault_in_init_and_writes_leaves_the_cache_true() {
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(2)] {
            for n in 0..6 {
                let mut chip = Mcp23017Sim::mcp23008(Address::DEFAULT);
                chip.poke(10, Pins::A7);
                let mut mcp = Mcp23017::new_mcp23008(FaultyBus::new(chip), Address::DEFAULT);
                mcp.bus_mut().fail_nth(n, point);
                let _ = mcp.init(Config::default()).await;
                let _ = mcp.set_as_outputs(Pins::A0 | Pins::A1, Pins::A1).await;
                let _ = mcp.set_interrupt(Pins::A2, Some(InterruptTrigger::WhileHigh)).await;
                let belief = mcp.cache_snapshot();
                assert_eq!(mcp.bus().inner().belief_mismatch(&belief), None, "{point:?} at {n}");
                mcp.init(Config::default()).await.unwrap();
                mcp.set_as_outputs(Pins::A0 | Pins::A1, Pins::A1).await.unwrap();
                let sim = mcp.release().into_inner();
                assert_eq!(sim.output_latch(), Pins::A1);
                assert_eq!(sim.directions(), Pins::from_bits_retain(0xFC));
            }
        }
    }
}

both!(
    init_writes_iocon_at_0x05_then_the_whole_map_in_one_burst,
    init_in_byte_mode_writes_one_register_at_a_time,
    a_cold_driver_reads_iocon_once_then_olat_then_writes_one_byte,
    settings_are_one_byte_writes_at_the_index_addresses,
    port_b_pins_are_refused_without_traffic,
    mirror_is_refused_and_iocon_bits_7_6_0_are_neither_cached_nor_written_back,
    a_level_interrupt_writes_defval_and_intcon_in_one_burst_then_gpinten,
    the_service_reads_intf_then_intf_intcap_gpio_in_one_burst,
    a_nacked_service_keeps_its_flags,
    resync_reads_iocon_then_seven_registers_then_olat,
    gp7_is_refused_as_an_input_on_i2c_unless_allowed,
    the_mcp23s08_at_address_2_sets_haen_at_address_0_first,
    the_mcp23s08_refuses_address_4_and_a_nonzero_address_without_haen,
    the_mcp23s08_at_address_0_writes_iocon_once,
    pins_pull_ups_and_polarity_on_the_sim,
    an_edge_interrupts_the_one_int_pin_and_the_service_clears_it,
    init_recovers_a_chip_left_in_byte_mode_and_resync_reads_it_back,
    haen_separates_two_mcp23s08s_on_one_chip_select,
    every_fault_in_init_and_writes_leaves_the_cache_true,
);

/// The 8 pins of a split MCP23008, as `embedded-hal` pins.
#[test]
fn split_mcp23008_gives_eight_push_pull_pins() {
    use core::cell::RefCell;
    use embedded_hal::digital::{InputPin, OutputPin};
    use mcp23017::Mcp23017;

    let mut i2c = common::mock(&[
        common::write(&[0x0A, 0x01]),
        common::write(&[0x00, 0xFE]),
        common::write(&[0x0A, 0x00]),
        common::write(&[0x06, 0x02]),
        common::write(&[0x00, 0xFE]),
        common::read(0x09, &[0x00]),
    ]);
    let mut mcp = Mcp23017::new_mcp23008(i2c.clone(), common::Address::DEFAULT);
    mcp.assume_power_on_state();
    let shared = RefCell::new(mcp);
    let pins = mcp23017::split_mcp23008(&shared);
    let mut led = pins.gp0.into_output(true).unwrap();
    led.set_low().unwrap();
    let mut button = pins.gp1.into_pull_up_input().unwrap();
    assert!(button.is_low().unwrap());
    i2c.done();
}

/// A wait on a pin the MCP23008 does not have ends at once; on one it has, it waits for INT.
#[cfg(feature = "async")]
#[test]
fn a_wait_pin_of_the_mcp23008() {
    use common::*;
    use embedded_hal_async::digital::Wait;
    use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinTx};
    use mcp23017::Mcp23017Async;

    block_on(async {
        let mut transactions = init8(0);
        transactions.extend([
            write(&[0x02, 0x08]),
            read(0x07, &[0x08]),
            read(0x07, &[0x08, 0x08, 0x08]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low)]);
        let mut mcp = Mcp23017Async::new_mcp23008(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::A3, Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        assert_eq!(
            mcp.wait_pin(&mut int, PinId::B0).wait_for_any_edge().await,
            Err(Error::Argument(ArgumentError::NoSuchPin))
        );
        mcp.wait_pin(&mut int, PinId::A3).wait_for_rising_edge().await.unwrap();
        i2c.done();
        int.done();
    });
}
