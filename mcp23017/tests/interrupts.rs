//! Interrupt configuration and servicing: exact bytes and derived edges, sync and async through the same bodies.
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

    fn after_init(levels: u16, mut transactions: Vec<I2c>) -> I2cMock {
        let mut all = init_default(levels);
        all.append(&mut transactions);
        mock(&all)
    }

    pub async fn an_edge_trigger_writes_gpinten_only_when_intcon_is_already_clear() {
        let mut i2c = after_init(0, vec![write(&[0x04, 0x00, 0x0F])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from_bits_retain(0x0F00), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn a_level_trigger_writes_defval_and_intcon_in_one_burst_before_gpinten() {
        let mut i2c = after_init(
            0,
            vec![
                write(&[0x06, 0x00, 0x01, 0x00, 0x01]),
                write(&[0x04, 0x00, 0x01]),
                write(&[0x06, 0x00, 0x01, 0x01, 0x01]),
                write(&[0x04, 0x01, 0x01]),
                // back to an edge: INTCON cleared, DEFVAL left as it is
                write(&[0x06, 0x00, 0x01, 0x00, 0x01]),
                write(&[0x04, 0x01, 0x01]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::WhileLow))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::WhileHigh))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn disabling_writes_gpinten_only() {
        let mut i2c = after_init(0, vec![write(&[0x04, 0xFF, 0xFF]), write(&[0x04, 0xF0, 0xFF])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::ALL, Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from_bits_retain(0x000F), None).await.unwrap();
        i2c.done();
    }

    pub async fn in_byte_mode_defval_and_intcon_are_two_writes() {
        let mut i2c = cold_mock(&[
            write(&[0x0A, 0x20, 0x20]),
            read(0x04, &[0, 0]),
            read(0x06, &[0, 0]),
            read(0x08, &[0, 0]),
            write(&[0x06, 0x00, 0x00]),
            write(&[0x08, 0x02, 0x00]),
            write(&[0x04, 0x02, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_config(Config {
            sequential: false,
            ..Config::default()
        })
        .await
        .unwrap();
        mcp.set_interrupt(Pins::from(PinId::A1), Some(InterruptTrigger::WhileHigh))
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn set_interrupt_reports_a_nack_and_changes_nothing() {
        let mut i2c = after_init(
            0,
            vec![
                write(&[0x04, 0x01, 0x00]).with_error(nack()),
                read(0x04, &[0x01, 0x00]),
                read(0x0E, &[0x01, 0]),
                read(0x0E, &[0x01, 0, 0x01, 0, 0x01, 0]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(
            mcp.set_interrupt(Pins::from_bits_retain(0x0001), Some(InterruptTrigger::AnyEdge))
                .await,
            nacked()
        );
        // the write may have reached the chip: GPINTEN unknown; nothing is triggered since no trigger was recorded
        assert_eq!(mcp.cache_snapshot().gpinten, None);
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.triggered, Pins::NONE);
        i2c.done();
    }

    pub async fn raw_interrupt_registers_are_one_write_each() {
        let mut i2c = cold_mock(&[
            write(&[0x04, 0x0F, 0xF0]),
            write(&[0x08, 0x01, 0x00]),
            write(&[0x06, 0x01, 0x80]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_interrupt_enable(Pins::from_bits_retain(0xF00F)).await.unwrap();
        mcp.set_interrupt_compare(Pins::from_bits_retain(0x0001)).await.unwrap();
        mcp.set_default_levels(Pins::from_bits_retain(0x8001)).await.unwrap();
        i2c.done();
    }

    pub async fn interrupt_flags_read_intf_alone() {
        let mut i2c = cold_mock(&[read(0x0E, &[0x00, 0x04])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.interrupt_flags().await.unwrap(), Pins::from(PinId::B2));
        i2c.done();
    }

    pub async fn the_status_reads_flags_capture_then_levels_and_derives_edges() {
        let mut i2c = after_init(
            0,
            vec![
                write(&[0x04, 0x00, 0x0F]),
                // B0 rose (flagged, captured high); B1 rose after the capture (captured low, now high)
                read(0x0E, &[0x00, 0x01]),
                read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x00, 0x03]),
                // B0 fell: port B's capture shows it low; B1 unchanged
                read(0x0E, &[0x00, 0x01]),
                read(0x0E, &[0x00, 0x01, 0x00, 0x02, 0x00, 0x02]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from_bits_retain(0x0F00), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert!(status.is_pending());
        assert_eq!(status.flagged, Pins::from(PinId::B0));
        assert_eq!(status.captured, Pins::from_bits_retain(0x0100));
        assert_eq!(status.levels, Pins::from_bits_retain(0x0300));
        assert_eq!(
            (status.rising, status.falling),
            (Pins::from_bits_retain(0x0300), Pins::NONE)
        );
        assert_eq!(status.triggered, Pins::from_bits_retain(0x0300));
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(
            (status.rising, status.falling),
            (Pins::NONE, Pins::from_bits_retain(0x0100))
        );
        i2c.done();
    }

    pub async fn a_rising_edge_trigger_ignores_falling_edges() {
        let mut i2c = after_init(
            0x0001,
            vec![
                write(&[0x04, 0x01, 0x00]),
                read(0x0E, &[0x01, 0x00]),
                read(0x0E, &[0x01, 0x00, 0x00, 0x00, 0x00, 0x00]),
                read(0x0E, &[0x01, 0x00]),
                read(0x0E, &[0x01, 0x00, 0x01, 0x00, 0x01, 0x00]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        let fell = mcp.interrupt_status().await.unwrap();
        assert_eq!(
            (fell.falling, fell.triggered),
            (Pins::from_bits_retain(0x0001), Pins::NONE)
        );
        let rose = mcp.interrupt_status().await.unwrap();
        assert_eq!(
            (rose.rising, rose.triggered),
            (Pins::from_bits_retain(0x0001), Pins::from_bits_retain(0x0001))
        );
        i2c.done();
    }

    pub async fn a_level_trigger_is_reported_while_flagged() {
        let mut i2c = after_init(
            0xFFFF,
            vec![
                write(&[0x06, 0x00, 0x01, 0x00, 0x01]),
                write(&[0x04, 0x00, 0x01]),
                read(0x0E, &[0x00, 0x01]),
                read(0x0E, &[0x00, 0x01, 0x00, 0xFE, 0x00, 0xFE]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::WhileLow))
            .await
            .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.triggered, Pins::from(PinId::B0));
        assert_eq!((status.rising, status.falling), (Pins::NONE, Pins::NONE));
        i2c.done();
    }

    pub async fn a_capture_swallowed_by_a_read_of_the_levels_is_kept_for_the_status() {
        let mut i2c = after_init(
            0,
            vec![
                write(&[0x04, 0x01, 0x00]),
                read(0x0E, &[0x01, 0x00]),
                read(0x0E, &[0x01, 0x00, 0x01, 0x00, 0x00, 0x00]),
                read(0x0E, &[0x00, 0x00]),
                read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        // A0 pulsed high and back low: the levels show low, the capture shows the pulse.
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::NONE);
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::A0));
        assert_eq!(
            (status.rising, status.falling),
            (Pins::from_bits_retain(0x0001), Pins::from_bits_retain(0x0001))
        );
        assert_eq!(mcp.pending_status(), None);
        i2c.done();
    }

    pub async fn in_byte_mode_the_status_is_three_reads_in_capture_first_order() {
        let mut i2c = cold_mock(&[
            write(&[0x0A, 0x20, 0x20]),
            read(0x04, &[0x00, 0x80]),
            read(0x08, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x80]),
            read(0x10, &[0x00, 0x80]),
            read(0x12, &[0x00, 0x80]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_config(Config {
            sequential: false,
            ..Config::default()
        })
        .await
        .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::B7));
        // GPINTEN and INTCON read first (not known yet): B7 is an edge pin, it rose
        assert_eq!(status.rising, Pins::from(PinId::B7));
        i2c.done();
    }

    pub async fn the_status_reports_a_nack() {
        let mut i2c = cold_mock(&[
            read(0x04, &[0; 2]).with_error(nack()),
            read(0x04, &[0; 2]),
            read(0x08, &[0; 2]),
            read(0x0E, &[0; 2]).with_error(nack()),
            read(0x0E, &[0; 2]).with_error(nack()),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert_eq!(mcp.interrupt_flags().await, nacked());
        i2c.done();
    }

    /// The clearing burst failed after INTF was read alone: the chip may have cleared the interrupt (a NACK of
    /// the last byte), so the flags are kept and the next status reports the edge from the previous level.
    pub async fn flags_read_before_a_failed_clearing_read_are_reported_next_time() {
        let mut i2c = after_init(
            0,
            vec![
                write(&[0x04, 0x01, 0x00]),
                read(0x0E, &[0x00, 0x00]),
                read(0x0E, &[0; 6]),
                read(0x0E, &[0x01, 0x00]),
                read(0x0E, &[0; 6]).with_error(nack()),
                read(0x0E, &[0x00, 0x00]),
                read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            ],
        );
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(Pins::from(PinId::A0), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        // the levels, as known since A0's interrupt was enabled
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::NONE);
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert!(mcp.has_news());
        // A0 was low when last read, it interrupted, and reads low again: up and back down
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::A0));
        assert_eq!(
            (status.rising, status.falling),
            (Pins::from_bits_retain(0x0001), Pins::from_bits_retain(0x0001))
        );
        assert_eq!(status.triggered, Pins::from_bits_retain(0x0001));
        assert_eq!(status.captured, Pins::NONE);
        assert!(!mcp.has_news());
        i2c.done();
    }
}

both!(
    an_edge_trigger_writes_gpinten_only_when_intcon_is_already_clear,
    a_level_trigger_writes_defval_and_intcon_in_one_burst_before_gpinten,
    disabling_writes_gpinten_only,
    in_byte_mode_defval_and_intcon_are_two_writes,
    set_interrupt_reports_a_nack_and_changes_nothing,
    raw_interrupt_registers_are_one_write_each,
    interrupt_flags_read_intf_alone,
    the_status_reads_flags_capture_then_levels_and_derives_edges,
    a_rising_edge_trigger_ignores_falling_edges,
    a_level_trigger_is_reported_while_flagged,
    a_capture_swallowed_by_a_read_of_the_levels_is_kept_for_the_status,
    in_byte_mode_the_status_is_three_reads_in_capture_first_order,
    the_status_reports_a_nack,
    flags_read_before_a_failed_clearing_read_are_reported_next_time,
);
