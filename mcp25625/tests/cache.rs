//! What the driver's cache knows after one operation, and what it lets the driver skip (issue 12's mutation
//! score): exact bytes on a mock, and the cache against the simulator's registers. Sync and async through the
//! same bodies.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Mcp25625(sync = "Mcp25625", async = "Mcp25625Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use mcp25625::sim::Mcp25625Sim;
    use mcp25625::Mcp25625;

    // the datasheet's addresses, spelled out here
    const TXB_CTRL: [u8; 3] = [0x30, 0x40, 0x50];

    /// Writing RXB0CTRL leaves the other cached values known: after `set_acceptance`, a send into TXB2 needs no
    /// TXP write (the priorities are known from the reset) and loads the header (not known yet), even one of
    /// all zeros (identifier 0, no data).
    pub async fn acceptance_leaves_the_tx_cache_as_it_was() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x60, 0x64]),
            w(&[0x02, 0x70, 0x60]),
            r(&[0xA0], &[0x00]),
            w(&[0x44, 0x00, 0x00, 0x00, 0x00, 0x00]),
            w(&[0x84]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_acceptance(Acceptance::All, true).await.unwrap();
        assert_eq!(can.cache_view().rxb0ctrl, Some(0x64));
        assert_eq!(can.cache_view().rollover, Some(true));
        assert_eq!(can.cache_view().tx_headers, [None; 3]);
        assert_eq!(can.send(&std_frame(0, &[])).await.unwrap(), TxBuffer::B2);
        spi.done();
    }

    /// From a cold cache, RXB0CTRL is written even when the configuration wants its reset value (0): the driver
    /// does not know what the chip holds.
    pub async fn a_cold_configure_writes_rxb0ctrl_even_at_its_reset_value() {
        let mut spi = mock(&[
            r(&[0x03, 0x0E], &[0x80, 0x87]),
            w(&[0x02, 0x28, 0x01, 0xB5, 0x00, 0x00]),
            w(&[0x02, 0x60, 0x00]),
            w(&[0x02, 0x0F, 0x00]),
            r(&[0x03, 0x0E], &[0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        let mut config = config_500k()
            .interrupts(Interrupts::empty())
            .acceptance(Acceptance::Filtered);
        config.rollover = false;
        can.configure(&config, &mut NoopDelay).await.unwrap();
        assert_eq!(can.cache_view().rxb0ctrl, Some(0x00));
        assert_eq!(can.cache_view().rollover, Some(false));
        spi.done();
    }

    /// A raw BIT MODIFY forgets exactly what it touched: a TXBnCTRL (that buffer's priority, so the next send
    /// into it writes TXP again), BFPCTRL (read again by `set_rx_pin`), CANCTRL through its mirror in another
    /// row (the mode and CANCTRL read again).
    pub async fn raw_writes_forget_what_they_touch() {
        let mut spi = after_reset(&[
            w(&[0x05, 0x40, 0x03, 0x03]),
            w(&[0x05, 0x40, 0x03, 0x00]),
            w(&[0x42, 0x24, 0x60, 0x00, 0x00, 0x02, 0xAA, 0x55]),
            w(&[0x82]),
            w(&[0x05, 0x0C, 0x3F, 0x08]),
            // bits 7:6 (unimplemented) read as garbage: masked off
            r(&[0x03, 0x0C], &[0xC8]),
            w(&[0x02, 0x0C, 0x1C]),
            w(&[0x05, 0x3F, 0x08, 0x08]),
            r(&[0x03, 0x0E], &[0x80, 0x8F]),
            w(&[0x02, 0x0F, 0x87]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        // TXB1's priority, behind the driver's back: known no longer
        can.modify_raw(0x40, 0x03, 0x03).await.unwrap();
        assert_eq!(can.cache_view().priorities, [Some(0), None, Some(0)]);
        can.send_from(TxBuffer::B1, &std_frame(0x123, &[0xAA, 0x55]), TxPriority::Lowest)
            .await
            .unwrap();
        // BFPCTRL
        can.modify_raw(0x0C, 0x3F, 0x08).await.unwrap();
        assert_eq!(can.cache_view().bfpctrl, None);
        assert_eq!(can.cache_view().mode, Some(Mode::Configuration));
        can.set_rx_pin(RxBuffer::B0, RxPinMode::Output(true)).await.unwrap();
        // CANCTRL (OSM) through its mirror at 0x3F
        can.modify_raw(0x3F, 0x08, 0x08).await.unwrap();
        assert_eq!(can.cache_view().mode, None);
        assert_eq!(can.cache_view().bfpctrl, Some(0x1C));
        can.set_one_shot(false).await.unwrap();
        spi.done();
    }

    /// A raw write of RXB0CTRL makes it unknown: `configure` writes it again, even at the reset value.
    pub async fn a_raw_rxb0ctrl_write_is_forgotten() {
        let mut spi = mock(&[
            w(&[0x05, 0x60, 0x04, 0x04]),
            w(&[0x02, 0x28, 0x01, 0xB5, 0x00]),
            w(&[0x02, 0x60, 0x00]),
            w(&[0x02, 0x0F, 0x00]),
            r(&[0x03, 0x0E], &[0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.assume_power_on_state();
        can.modify_raw(0x60, 0x04, 0x04).await.unwrap();
        assert_eq!(can.cache_view().rxb0ctrl, None);
        assert_eq!(can.cache_view().priorities, [Some(0); 3]);
        let mut config = config_500k()
            .interrupts(Interrupts::empty())
            .acceptance(Acceptance::Filtered);
        config.rollover = false;
        can.configure(&config, &mut NoopDelay).await.unwrap();
        spi.done();
    }

    /// An error flag and an overflow whose clear failed (still set on the chip) are reported again by the next
    /// `service_errors`, which clears them: read again, not cancelled out by what was kept.
    pub async fn flags_whose_clear_failed_are_reported_again() {
        let mut spi = after_reset(&[
            r(&[0x03, 0x2C], &[0x20, 0x41]),
            // (the EFLG clear, the 4th transaction, fails before the chip)
            r(&[0x03, 0x2C], &[0x20, 0x41]),
            w(&[0x05, 0x2D, 0x40, 0x00]),
            w(&[0x05, 0x2C, 0x20, 0x00]),
        ]);
        let mut can = Mcp25625::new(FailAt::new(spi.clone(), 4));
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.service_errors().await, Err(Error::Bus(ErrorKind::Other)));
        let report = can.service_errors().await.unwrap();
        assert_eq!(report.interrupts, Interrupts::ERROR);
        assert!(report.flags.rx0_overflow());
        assert_eq!(report.flags.0, 0x41);
        spi.done();
    }

    /// A cold driver learns ABAT from the chip: clear there, so the first send writes no CANCTRL (its
    /// priority is unknown, so TXP is written).
    pub async fn a_cold_send_reads_abat_and_skips_the_clear() {
        let mut spi = mock(&[
            r(&[0xA0], &[0x00]),
            r(&[0x03, 0x0E], &[0x00, 0x00]),
            w(&[0x05, 0x50, 0x03, 0x00]),
            w(&[0x44, 0x24, 0x60, 0x00, 0x00, 0x00]),
            w(&[0x84]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        assert!(can.cache_view().abort_may_be_set);
        assert_eq!(can.try_send(&std_frame(0x123, &[])).await.unwrap(), Some(TxBuffer::B2));
        assert!(!can.cache_view().abort_may_be_set);
        assert_eq!(can.mode(), Some(Mode::Normal));
        spi.done();
    }

    /// The cache view (what the property tests compare with the chip) says, per buffer, the priority and the
    /// header the chip holds, and `None` for a header never loaded.
    pub async fn the_cache_view_matches_the_chip_buffer_by_buffer() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k().mode(Mode::Loopback), &mut NoopDelay)
            .await
            .unwrap();
        let view = can.cache_view();
        assert_eq!(view.priorities, [Some(0); 3]);
        assert_eq!(view.tx_headers, [None; 3]);
        can.send_from(TxBuffer::B1, &ext_frame(0x1234_5678, &[1, 2, 3]), TxPriority::Low)
            .await
            .unwrap();
        let view = can.cache_view();
        assert_eq!(view.priorities, [Some(0), Some(1), Some(0)]);
        assert_eq!(view.tx_headers, [None, Some([0x91, 0xA8, 0x56, 0x78, 0x03]), None]);
        can.send_from(TxBuffer::B0, &std_frame(0x123, &[9]), TxPriority::Highest)
            .await
            .unwrap();
        can.send_from(TxBuffer::B2, &std_frame(0x7FF, &[]), TxPriority::High)
            .await
            .unwrap();
        let view = can.cache_view();
        assert_eq!(view.priorities, [Some(3), Some(1), Some(2)]);
        let sim = can.bus();
        for (n, base) in TXB_CTRL.into_iter().enumerate() {
            assert_eq!(view.priorities[n], Some(sim.register(base) & 3), "TXP{n}");
            let header: Vec<u8> = (1..=5).map(|i| sim.register(base + i)).collect();
            assert_eq!(view.tx_headers[n].map(|h| h.to_vec()), Some(header), "TXB{n} header");
        }
        assert_eq!(view.tx_headers[0], Some([0x24, 0x60, 0x00, 0x00, 0x01]));
        assert_eq!(view.tx_headers[2], Some([0xFF, 0xE0, 0x00, 0x00, 0x00]));
    }

    /// A raw BIT MODIFY of CANINTE (0x2B) makes the enabled interrupts unknown.
    pub async fn a_raw_caninte_write_is_forgotten() {
        let mut spi = after_reset(&[w(&[0x05, 0x2B, 0x01, 0x01])]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.interrupts(), Some(Interrupts::empty()));
        can.modify_raw(0x2B, 0x01, 0x01).await.unwrap();
        assert_eq!(can.interrupts(), None);
        spi.done();
    }

    /// RXB0 taken while RXB1 held a frame: RXB1's frame is older than the next one in RXB0. Clearing RX1IF by
    /// hand throws that frame away and with it what the driver knew of the order: of two frames found later,
    /// RXB0's (filled first) is taken first.
    pub async fn clearing_receive_flags_forgets_the_receive_order() {
        let a = [0x24, 0x60, 0x00, 0x00, 0x01, 0xAA, 0, 0, 0, 0, 0, 0, 0];
        let c = [0xF1, 0x20, 0x00, 0x00, 0x01, 0xCC, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &a),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            w(&[0x05, 0x2C, 0x02, 0x00]),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &c),
            w(&[0x05, 0x2C, 0x01, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[0xAA])));
        can.clear_interrupts(Interrupts::RX1).await.unwrap();
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x789, &[0xCC])));
        spi.done();
    }

    /// `receive` charges each READ STATUS its bus time (2 bytes: 3 µs) against its deadline: with 9 µs, three
    /// reads, then `Timeout`. (In this file, which runs before faults.rs, so that a deadline never reached fails
    /// at once instead of hanging the sim-based waits there.)
    pub async fn receive_gives_up_after_its_deadline_in_bus_time() {
        let none = r(&[0xA0], &[0x00]);
        let mut spi = mock(&[none.clone(), none.clone(), none]);
        let mut can = Mcp25625::new(spi.clone());
        can.set_receive_timeout(fugit::MicrosDurationU32::micros(9));
        assert_eq!(can.receive().await, Err(Error::Timeout));
        spi.done();
    }

    /// A raw BIT MODIFY of CNF3 (0x28) makes SOF and WAKFIL unknown: the next timing write reads CNF3 first and
    /// keeps what the raw write set.
    pub async fn a_raw_cnf3_write_is_forgotten() {
        let mut spi = after_reset(&[
            w(&[0x05, 0x28, 0x80, 0x80]),
            r(&[0x03, 0x28], &[0x81]),
            w(&[0x02, 0x28, 0x81, 0xB5, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.modify_raw(0x28, 0x80, 0x80).await.unwrap();
        can.set_bit_timing(BitTiming::new(16.MHz(), 500.kHz()).unwrap())
            .await
            .unwrap();
        spi.done();
    }

    /// A raw BIT MODIFY of CANINTF (0x2C) forgets the receive order, as `clear_interrupts` does: after RX1IF was
    /// cleared by hand, of two frames found later RXB0's is taken first.
    pub async fn a_raw_canintf_write_forgets_the_receive_order() {
        let a = [0x24, 0x60, 0x00, 0x00, 0x01, 0xAA, 0, 0, 0, 0, 0, 0, 0];
        let c = [0xF1, 0x20, 0x00, 0x00, 0x01, 0xCC, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &a),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            w(&[0x05, 0x2C, 0x02, 0x00]),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &c),
            w(&[0x05, 0x2C, 0x01, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[0xAA])));
        can.modify_raw(0x2C, 0x02, 0x00).await.unwrap();
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x789, &[0xCC])));
        spi.done();
    }
}

both!(
    acceptance_leaves_the_tx_cache_as_it_was,
    a_cold_configure_writes_rxb0ctrl_even_at_its_reset_value,
    the_cache_view_matches_the_chip_buffer_by_buffer,
    raw_writes_forget_what_they_touch,
    a_raw_rxb0ctrl_write_is_forgotten,
    flags_whose_clear_failed_are_reported_again,
    a_cold_send_reads_abat_and_skips_the_clear,
    a_raw_caninte_write_is_forgotten,
    clearing_receive_flags_forgets_the_receive_order,
    receive_gives_up_after_its_deadline_in_bus_time,
    a_raw_cnf3_write_is_forgotten,
    a_raw_canintf_write_forgets_the_receive_order,
);
