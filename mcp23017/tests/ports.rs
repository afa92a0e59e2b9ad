//! Directions, pull-ups, polarity, latches, reads and single pins: exact bytes, sync and async through the same
//! bodies.
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
    use mcp23017::Mcp23017;

    fn initialised(mut transactions: Vec<I2c>) -> (I2cMock, Vec<I2c>) {
        let mut all = init_default(0);
        all.append(&mut transactions);
        (mock(&all), all)
    }

    pub async fn sixteen_bit_settings_are_one_write_each_port_a_first() {
        let mut i2c = cold_mock(&[
            write(&[0x00, 0x00, 0x7F]),
            write(&[0x0C, 0x00, 0x7F]),
            write(&[0x02, 0x34, 0x12]),
            write(&[0x14, 0xAA, 0x55]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_directions(Pins::from_bits_retain(0x7F00)).await.unwrap();
        mcp.set_pull_ups(Pins::from_bits_retain(0x7F00)).await.unwrap();
        mcp.set_input_polarity(Pins::from_bits_retain(0x1234)).await.unwrap();
        mcp.write_outputs(Pins::from_bits_retain(0x55AA)).await.unwrap();
        // all four now cached: no reads
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0x7F00));
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::from_bits_retain(0x7F00));
        assert_eq!(mcp.input_polarity().await.unwrap(), Pins::from_bits_retain(0x1234));
        assert_eq!(mcp.outputs().await.unwrap(), Pins::from_bits_retain(0x55AA));
        i2c.done();
    }

    pub async fn gpa7_and_gpb7_as_inputs_are_refused_on_the_mcp23017_unless_allowed() {
        let mut i2c = cold_mock(&[write(&[0x00, 0x00, 0xFF]), write(&[0x01, 0x80])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        let refused = Err(Error::Argument(ArgumentError::OutputOnlyPin));
        assert_eq!(mcp.set_directions(Pins::from_bits_retain(0xFF00)).await, refused);
        assert_eq!(mcp.set_directions(Pins::from_bits_retain(0x0080)).await, refused);
        assert_eq!(mcp.set_port_directions(Port::B, 0x80).await, refused);
        assert_eq!(mcp.set_pin_mode(PinId::A7, PinMode::Input).await, refused);
        assert_eq!(mcp.set_pin_mode(PinId::B7, PinMode::InputPullUp).await, refused);
        assert_eq!(mcp.set_as_inputs(Pins::PORT_B, Pins::NONE).await, refused);
        mcp.allow_gpx7_inputs(true);
        mcp.set_directions(Pins::from_bits_retain(0xFF00)).await.unwrap();
        mcp.set_port_directions(Port::B, 0x80).await.unwrap();
        i2c.done();
    }

    pub async fn the_mcp23s17_accepts_gpb7_as_an_input() {
        let mut expected = spi_map_reads(0x41, 0x00);
        expected.extend(spi_write(0x40, &[0x00, 0x00, 0xFF]));
        let mut spi = SpiMock::new(&expected);
        let mut mcp = Mcp23017::new_spi(spi.clone(), HardwareAddress::default());
        mcp.set_directions(Pins::PORT_B).await.unwrap();
        spi.done();
    }

    pub async fn port_settings_are_one_two_byte_write_and_keep_the_other_port_cached() {
        let (mut i2c, _) = initialised(vec![
            write(&[0x01, 0x0F]),
            write(&[0x0C, 0x03]),
            write(&[0x03, 0x01]),
            write(&[0x15, 0xF0]),
            write(&[0x14, 0x01]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_port_directions(Port::B, 0x0F).await.unwrap();
        mcp.set_port_pull_ups(Port::A, 0x03).await.unwrap();
        mcp.set_port_input_polarity(Port::B, 0x01).await.unwrap();
        mcp.write_port(Port::B, 0xF0).await.unwrap();
        mcp.write_port(Port::A, 0x01).await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0x0FFF));
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::from_bits_retain(0x0003));
        assert_eq!(mcp.input_polarity().await.unwrap(), Pins::from_bits_retain(0x0100));
        assert_eq!(mcp.outputs().await.unwrap(), Pins::from_bits_retain(0xF001));
        i2c.done();
    }

    pub async fn a_port_write_on_an_empty_cache_leaves_the_pair_unknown() {
        let mut i2c = cold_mock(&[write(&[0x15, 0xF0]), read(0x14, &[0x0F, 0xF0])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.write_port(Port::B, 0xF0).await.unwrap();
        assert_eq!(mcp.outputs().await.unwrap(), Pins::from_bits_retain(0xF00F));
        i2c.done();
    }

    pub async fn set_high_low_toggle_write_both_latches_from_the_cache() {
        let (mut i2c, _) = initialised(vec![
            write(&[0x14, 0x01, 0x00]),
            write(&[0x14, 0x01, 0x80]),
            write(&[0x14, 0x00, 0x80]),
            write(&[0x14, 0xFF, 0x7F]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_high(Pins::from(PinId::A0)).await.unwrap();
        mcp.set_pin(PinId::B7, true).await.unwrap();
        mcp.set_low(Pins::from(PinId::A0)).await.unwrap();
        mcp.toggle(Pins::ALL).await.unwrap();
        i2c.done();
    }

    pub async fn a_pin_write_on_an_empty_cache_reads_olat_never_gpio() {
        let mut i2c = cold_mock(&[
            read(0x14, &[0x10, 0x00]),
            write(&[0x14, 0x10, 0x01]),
            write(&[0x14, 0x00, 0x01]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_pin(PinId::B0, true).await.unwrap();
        mcp.toggle_pin(PinId::A4).await.unwrap();
        assert!(mcp.pin_is_set_high(PinId::B0).await.unwrap());
        assert!(!mcp.pin_is_set_high(PinId::A4).await.unwrap());
        i2c.done();
    }

    /// A failed write may have reached the chip (a NACK of the last data byte): the pair is read again.
    pub async fn a_failed_write_leaves_the_pair_unknown() {
        let mut i2c = cold_mock(&[
            read(0x14, &[0x00, 0x00]),
            write(&[0x14, 0x01, 0x00]).with_error(nack()),
            read(0x14, &[0x01, 0x00]),
            write(&[0x14, 0x03, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.set_pin(PinId::A0, true).await, nacked());
        mcp.set_pin(PinId::A1, true).await.unwrap();
        i2c.done();
    }

    pub async fn set_as_outputs_writes_the_latch_before_the_direction() {
        let (mut i2c, _) = initialised(vec![write(&[0x14, 0x05, 0x00]), write(&[0x00, 0xF0, 0xFF])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_as_outputs(Pins::from_bits_retain(0x000F), Pins::from_bits_retain(0x0005))
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn set_as_inputs_writes_the_pull_ups_before_the_direction() {
        let (mut i2c, _) = initialised(vec![
            write(&[0x00, 0x00, 0x00]),
            write(&[0x0C, 0x00, 0x0F]),
            write(&[0x00, 0x00, 0x7F]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_directions(Pins::NONE).await.unwrap();
        mcp.set_as_inputs(Pins::from_bits_retain(0x7F00), Pins::from_bits_retain(0x0F00))
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn read_levels_is_one_two_byte_write_read_while_interrupts_are_off() {
        let (mut i2c, _) = initialised(vec![
            read(0x12, &[0x34, 0x12]),
            read(0x13, &[0x80]),
            read(0x12, &[0x07]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::from_bits_retain(0x1234));
        // one port: its register alone
        assert_eq!(mcp.read_port(Port::B).await.unwrap(), 0x80);
        assert_eq!(mcp.read_port(Port::A).await.unwrap(), 0x07);
        i2c.done();
    }

    pub async fn read_levels_reads_the_capture_first_when_interrupts_may_be_on() {
        // GPINTEN unknown: the driver must not let a GPIO read swallow a capture.
        let mut i2c = cold_mock(&[
            read(0x04, &[0x01, 0x00]),
            read(0x08, &[0x00, 0x00]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x01, 0x00, 0x00, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::NONE);
        let kept = mcp.pending_status().unwrap();
        assert_eq!(
            (kept.flagged, kept.captured),
            (Pins::from_bits_retain(0x0001), Pins::from_bits_retain(0x0001))
        );
        i2c.done();
    }

    pub async fn pin_is_high_reads_both_ports_once() {
        let (mut i2c, _) = initialised(vec![read(0x12, &[0x00, 0x01])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert!(mcp.pin_is_high(PinId::B0).await.unwrap());
        i2c.done();
    }

    pub async fn reads_report_a_nack() {
        let mut i2c = mock(&[
            read(0x05, &[0]).with_error(nack()),
            read(0x05, &[0]),
            read(0x0A, &[0]),
            read(0x04, &[0; 2]).with_error(nack()),
            read(0x14, &[0, 0]).with_error(nack()),
            read(0x00, &[0, 0]).with_error(nack()),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.read_levels().await, nacked());
        assert_eq!(mcp.read_levels().await, nacked());
        assert_eq!(mcp.read_outputs().await, nacked());
        assert_eq!(mcp.directions().await, nacked());
        i2c.done();
    }

    pub async fn read_outputs_reads_olat_and_refreshes_the_cache() {
        let mut i2c = cold_mock(&[read(0x14, &[0x81, 0x00]), write(&[0x14, 0x80, 0x00])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.read_outputs().await.unwrap(), Pins::from_bits_retain(0x0081));
        mcp.set_pin(PinId::A0, false).await.unwrap();
        i2c.done();
    }

    pub async fn set_pin_mode_output_writes_the_latch_only_when_needed_then_the_direction() {
        let (mut i2c, _) = initialised(vec![
            write(&[0x14, 0x08, 0x00]),
            write(&[0x00, 0xF7, 0xFF]),
            write(&[0x00, 0xF3, 0xFF]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_pin_mode(PinId::A3, PinMode::Output { high: true })
            .await
            .unwrap();
        // A2's latch is already low: only the direction is written.
        mcp.set_pin_mode(PinId::A2, PinMode::Output { high: false })
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn an_spi_error_is_reported_and_stops_the_operation() {
        let mut mcp = Mcp23017::new_spi(FailingSpi::default(), HardwareAddress::default());
        let failed = Err(Error::Bus(embedded_hal::spi::ErrorKind::Other));
        assert_eq!(mcp.init(Config::default()).await, failed);
        assert_eq!(mcp.read_levels().await.map(|_| ()), failed);
        assert_eq!(mcp.set_pin(PinId::A0, true).await, failed);
        assert_eq!(mcp.set_directions(Pins::NONE).await, failed);
        assert_eq!(mcp.release().attempts, 4);
    }

    pub async fn set_pin_mode_input_sets_the_pull_up_before_the_direction() {
        let (mut i2c, _) = initialised(vec![
            write(&[0x00, 0xFE, 0xFF]),
            write(&[0x0C, 0x01, 0x00]),
            write(&[0x00, 0xFF, 0xFF]),
            write(&[0x0C, 0x00, 0x00]),
            write(&[0x00, 0xFF, 0xFF]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_pin_mode(PinId::A0, PinMode::Output { high: false })
            .await
            .unwrap();
        mcp.set_pin_mode(PinId::A0, PinMode::InputPullUp).await.unwrap();
        mcp.set_pin_mode(PinId::A0, PinMode::Input).await.unwrap();
        i2c.done();
    }
}

both!(
    sixteen_bit_settings_are_one_write_each_port_a_first,
    gpa7_and_gpb7_as_inputs_are_refused_on_the_mcp23017_unless_allowed,
    the_mcp23s17_accepts_gpb7_as_an_input,
    port_settings_are_one_two_byte_write_and_keep_the_other_port_cached,
    a_port_write_on_an_empty_cache_leaves_the_pair_unknown,
    set_high_low_toggle_write_both_latches_from_the_cache,
    a_pin_write_on_an_empty_cache_reads_olat_never_gpio,
    a_failed_write_leaves_the_pair_unknown,
    set_as_outputs_writes_the_latch_before_the_direction,
    set_as_inputs_writes_the_pull_ups_before_the_direction,
    read_levels_is_one_two_byte_write_read_while_interrupts_are_off,
    read_levels_reads_the_capture_first_when_interrupts_may_be_on,
    pin_is_high_reads_both_ports_once,
    reads_report_a_nack,
    read_outputs_reads_olat_and_refreshes_the_cache,
    set_pin_mode_output_writes_the_latch_only_when_needed_then_the_direction,
    set_pin_mode_input_sets_the_pull_up_before_the_direction,
    an_spi_error_is_reported_and_stops_the_operation,
);
