//! The MCP23018/MCP23S18: exact bytes of what differs from the MCP23017 (open-drain outputs with pull-ups, INTCC,
//! the IOCON bits it lacks, GPA7/GPB7, the S18's fixed opcode), and behaviour on its sim variant. Sync and async
//! through the same bodies.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        Mcp23018I2c(sync = "Mcp23018I2c", async = "Mcp23018AsyncI2c")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use embedded_hal::i2c::I2c as _;
    use mcp23017::sim::{FaultPoint, FaultyBus, Mcp23017Sim};
    use mcp23017::{InterruptClear, Mcp23017, Mcp23018I2c};

    /// A warm MCP23018 driver on `i2c` (no traffic: the power-on state assumed).
    fn warm(i2c: &I2cMock) -> Mcp23018I2c<I2cMock> {
        let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), Address::DEFAULT);
        mcp.assume_power_on_state();
        mcp
    }

    // ---- exact bytes -------------------------------------------------------------------------------------

    pub async fn open_drain_output_writes_the_pull_up_then_the_latch_then_the_direction() {
        let mut i2c = mock(&[
            write(&[0x0C, 0x01, 0x00]),
            write(&[0x14, 0x01, 0x00]),
            write(&[0x00, 0xFE, 0xFF]),
            // sinking, pull-up kept: the latch, then the direction again
            write(&[0x14, 0x00, 0x00]),
            write(&[0x00, 0xFE, 0xFF]),
        ]);
        let mut mcp = warm(&i2c);
        mcp.set_open_drain_output(PinId::A0, true, true).await.unwrap();
        mcp.set_open_drain_output(PinId::A0, false, true).await.unwrap();
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::A0);
        assert_eq!(mcp.outputs().await.unwrap(), Pins::NONE);
        i2c.done();
    }

    pub async fn open_drain_output_without_pull_up_clears_it_on_port_b() {
        let mut i2c = mock(&[
            write(&[0x0C, 0x00, 0x02]),
            write(&[0x0C, 0x00, 0x00]),
            write(&[0x14, 0x00, 0x02]),
            write(&[0x00, 0xFF, 0xFD]),
        ]);
        let mut mcp = warm(&i2c);
        mcp.set_pull_ups(Pins::B1).await.unwrap();
        mcp.set_open_drain_output(PinId::B1, true, false).await.unwrap();
        assert!(mcp.pin_is_set_high(PinId::B1).await.unwrap());
        i2c.done();
    }

    pub async fn a_failed_latch_write_leaves_olat_unknown_and_the_retry_reads_it() {
        let mut i2c = mock(&[
            write(&[0x0C, 0x04, 0x00]),
            write(&[0x14, 0x04, 0x00]).with_error(nack()),
            // retry: GPPU known, OLAT read back (the failed write did land), direction
            read(0x14, &[0x04, 0x00]),
            write(&[0x00, 0xFB, 0xFF]),
        ]);
        let mut mcp = warm(&i2c);
        assert_eq!(mcp.set_open_drain_output(PinId::A2, true, true).await, nacked());
        mcp.set_open_drain_output(PinId::A2, true, true).await.unwrap();
        i2c.done();
    }

    pub async fn interrupt_clear_sets_intcc_in_both_iocon_copies_and_set_config_keeps_it() {
        let mut i2c = mock(&[
            read(0x05, &[0x00]),
            read(0x0A, &[0x44]),
            write(&[0x0A, 0x45, 0x45]),
            // MIRROR off: INTCC and ODR kept
            write(&[0x0A, 0x05, 0x05]),
            write(&[0x0A, 0x04, 0x04]),
        ]);
        let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), Address::DEFAULT);
        mcp.set_interrupt_clear(InterruptClear::ReadingIntcap).await.unwrap();
        assert_eq!(mcp.interrupt_clear().await.unwrap(), InterruptClear::ReadingIntcap);
        mcp.set_int_mirror(false).await.unwrap();
        assert_eq!(mcp.interrupt_clear().await.unwrap(), InterruptClear::ReadingIntcap);
        mcp.set_interrupt_clear(InterruptClear::ReadingGpio).await.unwrap();
        assert_eq!(mcp.interrupt_clear().await.unwrap(), InterruptClear::ReadingGpio);
        assert_eq!(mcp.config().await.unwrap().int_output, IntOutput::OpenDrain);
        i2c.done();
    }

    pub async fn a_nacked_intcc_write_leaves_iocon_unknown() {
        let mut i2c = mock(&[
            write(&[0x0A, 0x01, 0x01]).with_error(nack()),
            read(0x05, &[0x00]),
            read(0x0A, &[0x01]),
        ]);
        let mut mcp = warm(&i2c);
        assert_eq!(mcp.set_interrupt_clear(InterruptClear::ReadingIntcap).await, nacked());
        assert_eq!(mcp.interrupt_clear().await.unwrap(), InterruptClear::ReadingIntcap);
        i2c.done();
    }

    pub async fn init_clears_intcc_as_at_power_on() {
        let mut i2c = mock(&init_default(0));
        let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(mcp.interrupt_clear().await.unwrap(), InterruptClear::ReadingGpio);
        i2c.done();
    }

    pub async fn a_cold_driver_keeps_intcc_when_it_brings_the_chip_back_from_bank_1() {
        let mut i2c = mock(&[
            read(0x05, &[0x81]),
            read(0x0A, &[0x80]),
            // IOCON without BANK, INTCC kept (an MCP23017 driver writes 0x00 here: bit 0 is not its)
            write(&[0x05, 0x01]),
            read(0x0A, &[0x01]),
        ]);
        let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.interrupt_clear().await.unwrap(), InterruptClear::ReadingIntcap);
        i2c.done();
    }

    pub async fn disslw_and_haen_are_refused_without_traffic() {
        let mut i2c = mock(&[]);
        let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), Address::DEFAULT);
        let refused = Err(Error::Argument(ArgumentError::NotOnThisPart));
        let no_slew = Config {
            slew_rate_control: false,
            ..Config::default()
        };
        let haen = Config {
            hardware_addressing: true,
            ..Config::default()
        };
        assert_eq!(mcp.init(no_slew).await, refused);
        assert_eq!(mcp.set_config(haen).await, refused);
        i2c.done();
    }

    pub async fn iocon_bits_4_and_3_read_as_absent_and_are_written_0() {
        let mut i2c = mock(&[read(0x05, &[0x00]), read(0x0A, &[0x19]), write(&[0x0A, 0x03, 0x03])]);
        let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.config().await.unwrap(), Config::default());
        mcp.set_int_output(IntOutput::ActiveHigh).await.unwrap();
        i2c.done();
    }

    pub async fn gpb7_may_be_an_input_on_the_mcp23018() {
        let mut i2c = mock(&[write(&[0x0C, 0x00, 0x80]), write(&[0x00, 0xFF, 0xFF])]);
        let mut mcp = warm(&i2c);
        mcp.set_pin_mode(PinId::B7, PinMode::InputPullUp).await.unwrap();
        i2c.done();
        // the MCP23017 refuses the same call
        let mut i2c = mock(&[]);
        let mut mcp17 = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp17.assume_power_on_state();
        assert_eq!(
            mcp17.set_pin_mode(PinId::B7, PinMode::InputPullUp).await,
            Err(Error::Argument(ArgumentError::OutputOnlyPin))
        );
        i2c.done();
    }

    pub async fn the_mcp23s18_sends_opcode_0x40_and_0x41() {
        let mut expected = Vec::new();
        let mut burst = vec![0x00, 0xFF, 0xFF];
        burst.extend_from_slice(&[0; 20]);
        for frame in [
            spi_write(0x40, &[0x05, 0x00]),
            spi_write(0x40, &[0x0A, 0x00, 0x00]),
            spi_write(0x40, &burst),
            spi_read(0x41, 0x0E, &[0, 0, 0, 0, 0, 0]),
            spi_write(0x40, &[0x0A, 0x01, 0x01]),
            // pull-up and latch already off after init: the direction alone
            spi_write(0x40, &[0x00, 0xFF, 0x7F]),
        ] {
            expected.extend(frame);
        }
        let mut spi = SpiMock::new(&expected);
        let mut mcp = Mcp23017::new_mcp23s18(spi.clone());
        assert_eq!(mcp.hardware_address(), HardwareAddress::default());
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt_clear(InterruptClear::ReadingIntcap).await.unwrap();
        mcp.set_open_drain_output(PinId::B7, false, false).await.unwrap();
        spi.done();
    }

    // ---- behaviour on the sim ----------------------------------------------------------------------------

    pub async fn a_released_output_reads_its_pull_up_or_what_drives_it() {
        let mut mcp = Mcp23017::new_mcp23018(Mcp23017Sim::mcp23018(Address::DEFAULT), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_open_drain_output(PinId::A0, true, false).await.unwrap();
        // released, no pull-up, nothing outside: low (an MCP23017 output with latch 1 drives high)
        assert!(!mcp.pin_is_high(PinId::A0).await.unwrap());
        mcp.bus_mut().drive(PinId::A0, true);
        assert!(mcp.pin_is_high(PinId::A0).await.unwrap());
        mcp.bus_mut().release_pin(PinId::A0);
        mcp.set_open_drain_output(PinId::A0, true, true).await.unwrap();
        assert!(mcp.pin_is_high(PinId::A0).await.unwrap());
        // sinking wins over the pull-up and over an outside drive
        mcp.set_pin(PinId::A0, false).await.unwrap();
        mcp.bus_mut().drive(PinId::A0, true);
        assert!(!mcp.pin_is_high(PinId::A0).await.unwrap());
        let sim = mcp.release();
        assert_eq!(sim.directions(), Pins::ALL - Pins::A0);
        assert_eq!(sim.pull_ups(), Pins::A0);
        assert_eq!(sim.output_latch(), Pins::NONE);

        // the MCP23017 sim, by contrast, drives the latch
        let mut mcp17 = Mcp23017::new(Mcp23017Sim::new(Address::DEFAULT), Address::DEFAULT);
        mcp17.init(Config::default()).await.unwrap();
        mcp17
            .set_pin_mode(PinId::A0, PinMode::Output { high: true })
            .await
            .unwrap();
        assert!(mcp17.pin_is_high(PinId::A0).await.unwrap());
    }

    pub async fn intcc_selects_the_read_that_clears_and_the_driver_clears_under_both() {
        for clear in [InterruptClear::ReadingGpio, InterruptClear::ReadingIntcap] {
            let mut mcp = Mcp23017::new_mcp23018(Mcp23017Sim::mcp23018(Address::DEFAULT), Address::DEFAULT);
            mcp.init(Config::default()).await.unwrap();
            mcp.set_interrupt_clear(clear).await.unwrap();
            mcp.set_as_inputs(Pins::B0, Pins::B0).await.unwrap();
            mcp.set_interrupt(Pins::B0, Some(InterruptTrigger::FallingEdge))
                .await
                .unwrap();
            mcp.bus_mut().drive(PinId::B0, false);
            assert!(mcp.bus().int_asserted(Port::B));
            // a raw read of the register that does not clear leaves the interrupt pending
            let (keeps, clears) = match clear {
                InterruptClear::ReadingGpio => (0x11, 0x13),
                InterruptClear::ReadingIntcap => (0x13, 0x11),
            };
            let mut byte = [0];
            embedded_hal::i2c::I2c::write_read(mcp.bus_mut(), 0x20, &[keeps], &mut byte).unwrap();
            assert!(mcp.bus().int_asserted(Port::B), "{clear:?}");
            let mut sim = mcp.release();
            sim.write_read(0x20, &[clears], &mut byte).unwrap();
            assert!(!sim.int_asserted(Port::B), "{clear:?}");

            // the driver's service clears under either setting and reports the edge
            let mut mcp = Mcp23017::new_mcp23018(sim, Address::DEFAULT);
            mcp.resync().await.unwrap();
            mcp.set_interrupt(Pins::B0, Some(InterruptTrigger::FallingEdge))
                .await
                .unwrap();
            mcp.bus_mut().release_pin(PinId::B0);
            let status = mcp.interrupt_status().await.unwrap();
            assert_eq!(status.rising, Pins::B0, "{clear:?}");
            assert!(!mcp.bus().int_asserted(Port::B), "{clear:?}");
        }
    }

    pub async fn the_mcp23s18_ignores_other_opcodes_even_after_a_haen_write() {
        let mut sim = Mcp23017Sim::mcp23s18();
        // an MCP23S17-minded firmware sets HAEN, then talks to address 1: the MCP23S18 has no HAEN
        embedded_hal::spi::SpiDevice::write(&mut sim, &[0x40, 0x0A, 0x08]).unwrap();
        embedded_hal::spi::SpiDevice::write(&mut sim, &[0x42, 0x14, 0xFF]).unwrap();
        assert_eq!(sim.iocon(), 0x00);
        assert_eq!(sim.output_latch(), Pins::NONE);
        let mut mcp = Mcp23017::new_mcp23s18(sim);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_open_drain_output(PinId::A3, false, false).await.unwrap();
        let sim = mcp.release();
        assert_eq!(sim.directions(), Pins::ALL - Pins::A3);
        assert!(!sim.levels().contains_pin(PinId::A3));
    }

    pub async fn the_address_from_the_addr_voltage_reaches_the_chip() {
        // ADDR at 2.269 V on 3.3 V: band 5
        let address = Address::from_mcp23018_addr_voltage(2269, 3300).unwrap();
        assert_eq!(address.get(), 0x25);
        let mut wrong = Mcp23017::new_mcp23018(Mcp23017Sim::mcp23018(address), Address::DEFAULT);
        assert_eq!(wrong.init(Config::default()).await, nacked());
        let mut mcp = Mcp23017::new_mcp23018(wrong.release(), address);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(mcp.address(), address);
    }

    pub async fn every_fault_in_open_drain_and_intcc_writes_leaves_the_cache_true() {
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(2)] {
            for n in 0..4 {
                let mut chip = Mcp23017Sim::mcp23018(Address::DEFAULT);
                chip.poke(6, Pins::A1);
                let mut mcp = Mcp23017::new_mcp23018(FaultyBus::new(chip), Address::DEFAULT);
                mcp.resync().await.unwrap();
                mcp.bus_mut().fail_nth(n, point);
                let _ = mcp.set_open_drain_output(PinId::A1, true, false).await;
                let _ = mcp.set_interrupt_clear(InterruptClear::ReadingIntcap).await;
                let belief = mcp.cache_snapshot();
                assert_eq!(mcp.bus().inner().belief_mismatch(&belief), None, "{point:?} at {n}");
                // and a retry completes both
                mcp.set_open_drain_output(PinId::A1, true, false).await.unwrap();
                mcp.set_interrupt_clear(InterruptClear::ReadingIntcap).await.unwrap();
                let sim = mcp.release().into_inner();
                assert_eq!(sim.pull_ups(), Pins::NONE);
                assert_eq!(sim.iocon(), 0x01);
            }
        }
    }
}

both!(
    open_drain_output_writes_the_pull_up_then_the_latch_then_the_direction,
    open_drain_output_without_pull_up_clears_it_on_port_b,
    a_failed_latch_write_leaves_olat_unknown_and_the_retry_reads_it,
    interrupt_clear_sets_intcc_in_both_iocon_copies_and_set_config_keeps_it,
    a_nacked_intcc_write_leaves_iocon_unknown,
    init_clears_intcc_as_at_power_on,
    a_cold_driver_keeps_intcc_when_it_brings_the_chip_back_from_bank_1,
    disslw_and_haen_are_refused_without_traffic,
    iocon_bits_4_and_3_read_as_absent_and_are_written_0,
    gpb7_may_be_an_input_on_the_mcp23018,
    the_mcp23s18_sends_opcode_0x40_and_0x41,
    a_released_output_reads_its_pull_up_or_what_drives_it,
    intcc_selects_the_read_that_clears_and_the_driver_clears_under_both,
    the_mcp23s18_ignores_other_opcodes_even_after_a_haen_write,
    the_address_from_the_addr_voltage_reaches_the_chip,
    every_fault_in_open_drain_and_intcc_writes_leaves_the_cache_true,
);

/// The pins of a split MCP23018: open-drain outputs (`set_high` releases), inputs as on the MCP23017.
#[test]
fn split_pins_of_the_mcp23018_are_open_drain_outputs() {
    use core::cell::RefCell;
    use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
    use mcp23017::Mcp23017;

    let mut i2c = common::mock(&[
        common::write(&[0x0C, 0x01, 0x00]),
        common::write(&[0x14, 0x01, 0x00]),
        common::write(&[0x00, 0xFE, 0xFF]),
        common::write(&[0x14, 0x00, 0x00]),
        common::write(&[0x14, 0x01, 0x00]),
        // B0 as an input without pull-up, and its read (no interrupt enabled: GPIO alone)
        common::write(&[0x00, 0xFE, 0xFF]),
        common::read(0x12, &[0x00, 0x01]),
    ]);
    let mut mcp = Mcp23017::new_mcp23018(i2c.clone(), common::Address::DEFAULT);
    mcp.assume_power_on_state();
    let shared = RefCell::new(mcp);
    let pins = mcp23017::split(&shared);
    let mut line = pins.a0.into_open_drain_output_pull_up(true).unwrap();
    assert!(line.is_set_high().unwrap());
    line.set_low().unwrap();
    line.toggle().unwrap();
    let mut input = pins.b0.into_input().unwrap();
    assert!(input.is_high().unwrap());
    i2c.done();
}

/// The async wait works on the MCP23018 as on the MCP23017.
#[cfg(feature = "async")]
#[test]
fn a_wait_pin_of_the_mcp23018_waits_for_int() {
    use common::*;
    use embedded_hal_async::digital::Wait;
    use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinTx};
    use mcp23017::Mcp23017Async;

    block_on(async {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x0A, 0x01, 0x01]),
            write(&[0x04, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x00, 0x01]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low)]);
        let mut mcp = Mcp23017Async::new_mcp23018(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt_clear(mcp23017::InterruptClear::ReadingIntcap)
            .await
            .unwrap();
        mcp.set_interrupt(Pins::B0, Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        mcp.wait_pin(&mut int, PinId::B0).wait_for_rising_edge().await.unwrap();
        i2c.done();
        int.done();
    });
}
