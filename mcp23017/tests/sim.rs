//! Behaviour against the register model: what the pins and the INT outputs do, not only which bytes crossed the
//! bus. Sync and async through the same bodies.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use embedded_hal::i2c::I2c as I2cBus;
    use embedded_hal::spi::SpiDevice as SpiBus;
    use mcp23017::sim::{FaultPoint, FaultyBus, Mcp23017Sim, SharedChipSelect};
    use mcp23017::Mcp23017;

    fn chip() -> Mcp23017Sim {
        Mcp23017Sim::new(Address::DEFAULT)
    }

    pub async fn init_recovers_a_chip_left_in_bank_1_byte_mode_by_an_earlier_firmware() {
        for left_behind in [0x80, 0xA0, 0x20, 0x00, 0xE4] {
            let mut sim = chip();
            sim.poke_iocon(left_behind);
            sim.poke(0, Pins::from_bits_retain(0x1234));
            sim.poke(10, Pins::from_bits_retain(0xFFFF));
            let mut mcp = Mcp23017::new(sim, Address::DEFAULT);
            let config = Config {
                mirror_interrupts: true,
                ..Config::default()
            };
            mcp.init(config).await.unwrap();
            mcp.set_as_outputs(Pins::from_bits_retain(0x00FF), Pins::from_bits_retain(0x00A5))
                .await
                .unwrap();
            let sim = mcp.release();
            assert!(!sim.bank1(), "left {left_behind:#04x}");
            assert_eq!(sim.iocon(), 0x40, "left {left_behind:#04x}");
            assert_eq!(
                sim.directions(),
                Pins::from_bits_retain(0xFF00),
                "left {left_behind:#04x}"
            );
            assert_eq!(
                sim.output_latch(),
                Pins::from_bits_retain(0x00A5),
                "left {left_behind:#04x}"
            );
            assert_eq!(sim.interrupt_enable(), Pins::NONE, "left {left_behind:#04x}");
            assert_eq!(sim.levels().port(Port::A), 0xA5);
        }
    }

    pub async fn byte_mode_keeps_every_16_bit_operation_working() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config {
            sequential: false,
            ..Config::default()
        })
        .await
        .unwrap();
        mcp.set_directions(Pins::from_bits_retain(0x7F00)).await.unwrap();
        mcp.set_pull_ups(Pins::from_bits_retain(0x0300)).await.unwrap();
        mcp.write_outputs(Pins::from_bits_retain(0x80FF)).await.unwrap();
        mcp.set_interrupt(Pins::from_bits_retain(0x0100), Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::from_bits_retain(0x83FF));
        mcp.bus_mut().drive(PinId::B0, false);
        assert!(mcp.bus_mut().int_asserted(Port::B));
        mcp.resync().await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0x7F00));
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::B0));
        assert_eq!(status.triggered, Pins::from(PinId::B0));
        assert!(!mcp.release().int_asserted(Port::B));
    }

    pub async fn a_change_interrupt_captures_the_first_change_and_clears_on_the_status_read() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_inputs(Pins::from_bits_retain(0x0F00), Pins::from_bits_retain(0x0F00))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from_bits_retain(0x0F00), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        mcp.read_levels().await.unwrap();
        let sim = mcp.bus_mut();
        assert!(!sim.int_asserted(Port::B));
        // B0 pressed, released and B1 pressed, before the MCU gets round to it
        sim.drive(PinId::B0, false);
        sim.drive(PinId::B0, true);
        sim.drive(PinId::B1, false);
        assert!(sim.int_asserted(Port::B));
        assert!(!sim.int_asserted(Port::A));
        assert_eq!(sim.int_level(Port::B), Some(false));
        assert_eq!(sim.interrupt_flags(), Pins::from(PinId::B0));
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::B0));
        assert_eq!(status.captured, Pins::from_bits_retain(0x0E00));
        assert_eq!(status.levels, Pins::from_bits_retain(0x0D00));
        assert_eq!(status.falling, Pins::from_bits_retain(0x0300));
        assert_eq!(status.rising, Pins::from_bits_retain(0x0100));
        let sim = mcp.release();
        assert!(!sim.int_asserted(Port::B));
    }

    pub async fn a_compare_interrupt_stays_asserted_while_the_condition_holds() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_inputs(Pins::from(PinId::A0), Pins::from(PinId::A0))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::WhileLow))
            .await
            .unwrap();
        assert!(!mcp.bus_mut().int_asserted(Port::A));
        mcp.bus_mut().drive(PinId::A0, false);
        assert_eq!(mcp.interrupt_status().await.unwrap().triggered, Pins::from(PinId::A0));
        // still low: the read re-armed it at once
        assert!(mcp.bus_mut().int_asserted(Port::A));
        mcp.bus_mut().drive(PinId::A0, true);
        assert!(mcp.interrupt_status().await.unwrap().is_pending());
        assert!(!mcp.release().int_asserted(Port::A));
    }

    pub async fn a_read_of_the_levels_does_not_lose_a_capture() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from(PinId::A1), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        mcp.bus_mut().drive(PinId::A1, true);
        mcp.bus_mut().drive(PinId::A1, false);
        // the pulse is over: the levels show low, and this read cleared the chip's interrupt
        assert!(!mcp.pin_is_high(PinId::A1).await.unwrap());
        assert!(mcp.pending_status().is_some());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.triggered, Pins::from(PinId::A1));
    }

    pub async fn int_outputs_follow_mirror_open_drain_and_polarity() {
        for (output, idle, active) in [
            (IntOutput::ActiveLow, Some(true), Some(false)),
            (IntOutput::ActiveHigh, Some(false), Some(true)),
            (IntOutput::OpenDrain, None, Some(false)),
        ] {
            let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
            mcp.init(Config::default()).await.unwrap();
            mcp.set_int_output(output).await.unwrap();
            mcp.set_int_mirror(true).await.unwrap();
            mcp.set_interrupt(Pins::from(PinId::B3), Some(InterruptTrigger::AnyEdge))
                .await
                .unwrap();
            let mut sim = mcp.release();
            assert_eq!(sim.int_level(Port::A), idle);
            sim.drive(PinId::B3, true);
            assert_eq!(sim.int_level(Port::A), active, "{output:?}: INTA mirrors port B");
            assert_eq!(sim.int_level(Port::B), active);
        }
    }

    pub async fn input_polarity_inverts_reads_and_captures() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_input_polarity(Pins::from_bits_retain(0x0001)).await.unwrap();
        mcp.set_pull_ups(Pins::from_bits_retain(0x0003)).await.unwrap();
        assert_eq!(mcp.read_levels().await.unwrap().port(Port::A), 0x02);
    }

    pub async fn gpio_writes_go_to_the_latch_and_outputs_read_back_their_latch() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_outputs(Pins::ALL, Pins::from_bits_retain(0x8001))
            .await
            .unwrap();
        mcp.toggle_pin(PinId::A1).await.unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::from_bits_retain(0x8003));
        assert_eq!(mcp.read_outputs().await.unwrap(), Pins::from_bits_retain(0x8003));
        let mut sim = mcp.release();
        // a drive from outside loses against an output
        sim.drive(PinId::A0, false);
        assert!(sim.levels().contains_pin(PinId::A0));
    }

    pub async fn gpx7_kept_as_outputs_means_no_hazardous_read() {
        let mut mcp = Mcp23017::new(chip(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_outputs(Pins::GPX7, Pins::NONE).await.unwrap();
        let reads = mcp.bus_mut().gpx7_input_reads();
        assert!(reads > 0, "init's own status read happens with the power-on inputs");
        mcp.read_levels().await.unwrap();
        mcp.resync().await.unwrap();
        assert_eq!(mcp.release().gpx7_input_reads(), reads);
    }

    pub async fn an_absent_chip_is_a_nack_everywhere() {
        let mut mcp = Mcp23017::new(chip(), Address::from_pins(false, false, true));
        assert!(mcp.init(Config::default()).await.unwrap_err().is_nack());
        assert!(mcp.read_levels().await.unwrap_err().is_nack());
        assert!(mcp.set_pin(PinId::A0, true).await.unwrap_err().is_nack());
    }

    pub async fn hardware_addressing_separates_mcp23s17s_on_one_chip_select() {
        let mut rev_a = Mcp23017Sim::new_spi(HardwareAddress::raw(4).unwrap());
        rev_a.set_rev_a(true);
        let bus = SharedChipSelect {
            chips: [
                Mcp23017Sim::new_spi(HardwareAddress::raw(0).unwrap()),
                Mcp23017Sim::new_spi(HardwareAddress::raw(5).unwrap()),
                rev_a,
            ],
        };
        let config = Config {
            hardware_addressing: true,
            ..Config::default()
        };
        let mut five = Mcp23017::new_spi(bus, HardwareAddress::raw(5).unwrap());
        five.init(config).await.unwrap();
        five.set_as_outputs(Pins::PORT_A, Pins::from_bits_retain(0x0055))
            .await
            .unwrap();
        let bus = five.release();
        let mut four = Mcp23017::new_spi(bus, HardwareAddress::raw(4).unwrap());
        four.init(config).await.unwrap();
        four.set_as_outputs(Pins::PORT_B, Pins::from_bits_retain(0xAA00))
            .await
            .unwrap();
        let mut bus = four.release();
        bus.chips[1].drive(PinId::B0, true);
        let mut five = Mcp23017::new_spi(bus, HardwareAddress::raw(5).unwrap());
        five.set_interrupt_enable(Pins::NONE).await.unwrap();
        assert_eq!(five.read_levels().await.unwrap(), Pins::from_bits_retain(0x0155));
        let bus = five.release();
        let [zero, five, four] = &bus.chips;
        assert!(zero.iocon() & 0x08 != 0, "the unaddressed chip took HAEN too");
        assert_eq!(zero.directions(), Pins::ALL);
        assert_eq!(five.output_latch(), Pins::from_bits_retain(0x0055));
        assert_eq!(five.directions(), Pins::PORT_B);
        assert_eq!(four.output_latch(), Pins::from_bits_retain(0xAA00));
        assert_eq!(four.directions(), Pins::PORT_A);
    }

    pub async fn a_failed_write_is_reported_and_a_retry_lands() {
        for point in [
            FaultPoint::BeforeChip,
            FaultPoint::AfterChip,
            FaultPoint::Partway(1),
            FaultPoint::Partway(2),
        ] {
            let mut mcp = Mcp23017::new(FaultyBus::new(chip()), Address::DEFAULT);
            mcp.init(Config::default()).await.unwrap();
            let (outputs, levels) = (Pins::from_bits_retain(0x00FF), Pins::from_bits_retain(0x00A5));
            mcp.bus_mut().fail_nth(0, point);
            assert!(mcp.set_as_outputs(outputs, levels).await.is_err(), "{point:?}");
            if point == FaultPoint::BeforeChip {
                assert_eq!(mcp.bus().inner().directions(), Pins::from_bits_retain(0xFFFF));
            }
            // called again, the call lands as if the first had never been made
            mcp.set_as_outputs(outputs, levels).await.unwrap();
            let bus = mcp.release();
            assert_eq!(bus.faults(), 1);
            assert_eq!(bus.inner().directions(), Pins::from_bits_retain(0xFF00), "{point:?}");
            assert_eq!(bus.inner().output_latch(), levels, "{point:?}");
        }
    }

    // The model's register map and pointer, through the raw bus traits (no driver).

    pub async fn bank_1_puts_each_port_in_its_own_block() {
        let mut sim = chip();
        I2cBus::write(&mut sim, ADDR, &[0x0A, 0x80]).unwrap(); // IOCON.BANK from the power-on map
        assert!(sim.bank1());
        I2cBus::write(&mut sim, ADDR, &[0x1A, 0x5A]).unwrap(); // OLATB
        I2cBus::write(&mut sim, ADDR, &[0x00, 0x0F]).unwrap(); // IODIRA
        I2cBus::write(&mut sim, ADDR, &[0x10, 0xF0]).unwrap(); // IODIRB
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x5A00));
        assert_eq!(sim.directions(), Pins::from_bits_retain(0xF00F));
        let mut iocon = [0; 1];
        I2cBus::write_read(&mut sim, ADDR, &[0x15], &mut iocon).unwrap();
        assert_eq!(iocon, [0x80], "IOCON answers at 0x05 and 0x15");
        // the recovery write of `init`: IOCON with BANK = 0 at 0x05
        I2cBus::write(&mut sim, ADDR, &[0x05, 0x00]).unwrap();
        assert!(!sim.bank1());
        assert_eq!(
            sim.output_latch(),
            Pins::from_bits_retain(0x5A00),
            "registers keep their values across the switch"
        );
    }

    pub async fn sequential_mode_walks_the_map_and_wraps() {
        let mut sim = chip();
        I2cBus::write(&mut sim, ADDR, &[0x14, 0x01, 0x02, 0xFF]).unwrap(); // OLATA, OLATB, then wraps to IODIRA
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x0201));
        assert_eq!(sim.directions(), Pins::from_bits_retain(0xFFFF));
        let mut both = [0; 2];
        I2cBus::write_read(&mut sim, ADDR, &[0x0A], &mut both).unwrap();
        assert_eq!(both, [0, 0], "IOCON twice");
    }

    pub async fn byte_mode_toggles_within_a_pair_in_bank_0_and_stays_put_in_bank_1() {
        let mut sim = chip();
        I2cBus::write(&mut sim, ADDR, &[0x0A, 0x20]).unwrap();
        I2cBus::write(&mut sim, ADDR, &[0x14, 0x11, 0x22, 0x33]).unwrap();
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x2233));
        I2cBus::write(&mut sim, ADDR, &[0x0A, 0xA0]).unwrap();
        I2cBus::write(&mut sim, ADDR, &[0x0A, 0x44, 0x55]).unwrap();
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x2255));
    }

    pub async fn gpio_writes_land_in_olat_and_intf_intcap_ignore_writes() {
        let mut sim = chip();
        I2cBus::write(&mut sim, ADDR, &[0x12, 0xAA, 0x55]).unwrap();
        I2cBus::write(&mut sim, ADDR, &[0x0E, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap();
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x55AA));
        assert_eq!(sim.interrupt_flags(), Pins::NONE);
        assert_eq!(sim.captured(), Pins::NONE);
    }

    pub async fn another_i2c_address_is_a_nack() {
        let mut sim = chip();
        assert!(I2cBus::write(&mut sim, 0x21, &[0x00, 0x00]).is_err());
    }

    pub async fn the_mcp23s17_answers_address_0_until_haen_and_rev_a_answers_4() {
        let mut sim = Mcp23017Sim::new_spi(HardwareAddress::raw(6).unwrap());
        SpiBus::write(&mut sim, &[0x4C, 0x14, 0x01]).unwrap(); // address 6: ignored without HAEN
        assert_eq!(sim.output_latch(), Pins::NONE);
        SpiBus::write(&mut sim, &[0x40, 0x14, 0x02]).unwrap(); // address 0
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x0002));
        SpiBus::write(&mut sim, &[0x40, 0x0A, 0x08]).unwrap(); // HAEN
        SpiBus::write(&mut sim, &[0x40, 0x14, 0x04]).unwrap(); // address 0: no longer
        SpiBus::write(&mut sim, &[0x4C, 0x15, 0x08]).unwrap(); // address 6
        assert_eq!(sim.output_latch(), Pins::from_bits_retain(0x0802));
        let mut answer = [0; 2];
        SpiBus::transaction(
            &mut sim,
            &mut [
                embedded_hal::spi::Operation::Write(&[0x4D, 0x14]),
                embedded_hal::spi::Operation::Read(&mut answer),
            ],
        )
        .unwrap();
        assert_eq!(answer, [0x02, 0x08]);

        let mut rev_a = Mcp23017Sim::new_spi(HardwareAddress::raw(6).unwrap());
        rev_a.set_rev_a(true);
        SpiBus::write(&mut rev_a, &[0x40, 0x14, 0x01]).unwrap();
        assert_eq!(rev_a.output_latch(), Pins::NONE, "A2 is decoded even without HAEN");
        SpiBus::write(&mut rev_a, &[0x48, 0x14, 0x01]).unwrap();
        assert_eq!(rev_a.output_latch(), Pins::from_bits_retain(0x0001));
    }
}

both!(
    a_failed_write_is_reported_and_a_retry_lands,
    init_recovers_a_chip_left_in_bank_1_byte_mode_by_an_earlier_firmware,
    byte_mode_keeps_every_16_bit_operation_working,
    a_change_interrupt_captures_the_first_change_and_clears_on_the_status_read,
    a_compare_interrupt_stays_asserted_while_the_condition_holds,
    a_read_of_the_levels_does_not_lose_a_capture,
    int_outputs_follow_mirror_open_drain_and_polarity,
    input_polarity_inverts_reads_and_captures,
    gpio_writes_go_to_the_latch_and_outputs_read_back_their_latch,
    gpx7_kept_as_outputs_means_no_hazardous_read,
    an_absent_chip_is_a_nack_everywhere,
    hardware_addressing_separates_mcp23s17s_on_one_chip_select,
    bank_1_puts_each_port_in_its_own_block,
    sequential_mode_walks_the_map_and_wraps,
    byte_mode_toggles_within_a_pair_in_bank_0_and_stays_put_in_bank_1,
    gpio_writes_land_in_olat_and_intf_intcap_ignore_writes,
    another_i2c_address_is_a_nack,
    the_mcp23s17_answers_address_0_until_haen_and_rev_a_answers_4,
);
