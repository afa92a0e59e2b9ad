//! Sending and receiving frames: exact bytes, sync and async through the same bodies.
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
    use mcp25625::Mcp25625;

    pub async fn send_extended_8_bytes_is_status_load_rts() {
        let frame = ext_frame(0x1234_5678, &[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x00]),
            // LOAD TX BUFFER TXB2 from SIDH: 14 bytes
            w(&[0x44, 0x91, 0xA8, 0x56, 0x78, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]),
            w(&[0x84]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_send(&frame).await.unwrap(), Some(TxBuffer::B2));
        spi.done();
    }

    pub async fn send_standard_and_remote_frames() {
        let data = std_frame(0x123, &[0xAA, 0x55]);
        let remote = Frame::new_remote(StandardId::new(0x7FF).unwrap(), 4).unwrap();
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x00]),
            w(&[0x44, 0x24, 0x60, 0x00, 0x00, 0x02, 0xAA, 0x55]),
            w(&[0x84]),
            // TXB2 pending: the next frame goes below it, into TXB1; RTR in DLC bit 6
            r(&[0xA0], &[0x40]),
            w(&[0x42, 0xFF, 0xE0, 0x00, 0x00, 0x44]),
            w(&[0x82]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_send(&data).await.unwrap(), Some(TxBuffer::B2));
        assert_eq!(can.try_send(&remote).await.unwrap(), Some(TxBuffer::B1));
        spi.done();
    }

    pub async fn a_repeated_identifier_loads_only_the_data() {
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x00]),
            w(&[0x44, 0x91, 0xA8, 0x56, 0x78, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]),
            w(&[0x84]),
            r(&[0xA0], &[0x08]),
            w(&[0x45, 8, 7, 6, 5, 4, 3, 2, 1]),
            w(&[0x84]),
            // another length: the whole buffer again
            r(&[0xA0], &[0x08]),
            w(&[0x44, 0x91, 0xA8, 0x56, 0x78, 0x01, 9]),
            w(&[0x84]),
            // a remote frame repeated: nothing to load, RTS alone
            r(&[0xA0], &[0x08]),
            w(&[0x44, 0x91, 0xA8, 0x56, 0x78, 0x40]),
            w(&[0x84]),
            r(&[0xA0], &[0x08]),
            w(&[0x84]),
            // a reset forgets what the buffers hold
            w(&[0xC0]),
            r(&[0x03, 0x0E], &[0x80, 0x87]),
            r(&[0xA0], &[0x00]),
            w(&[0x44, 0x91, 0xA8, 0x56, 0x78, 0x40]),
            w(&[0x84]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        let id = 0x1234_5678;
        let remote = Frame::new_remote(ExtendedId::new(id).unwrap(), 0).unwrap();
        for frame in [
            ext_frame(id, &[1, 2, 3, 4, 5, 6, 7, 8]),
            ext_frame(id, &[8, 7, 6, 5, 4, 3, 2, 1]),
            ext_frame(id, &[9]),
            remote,
            remote,
        ] {
            assert_eq!(can.try_send(&frame).await.unwrap(), Some(TxBuffer::B2));
        }
        can.reset(&mut NoopDelay).await.unwrap();
        can.try_send(&remote).await.unwrap();
        spi.done();
    }

    pub async fn a_failed_load_forgets_the_buffer() {
        let frame = std_frame(1, &[1]);
        let full = w(&[0x40, 0x00, 0x20, 0x00, 0x00, 0x01, 1]);
        // transactions: load, RTS, (load fails), load, RTS
        let mut spi = after_reset(&[full.clone(), w(&[0x81]), full, w(&[0x81])]);
        let mut can = Mcp25625::new(FailAt::new(spi.clone(), 5));
        can.reset(&mut NoopDelay).await.unwrap();
        let lowest = TxPriority::Lowest;
        can.send_from(TxBuffer::B0, &frame, lowest).await.unwrap();
        let result = can.send_from(TxBuffer::B0, &frame, lowest).await;
        assert_eq!(result, Err(Error::Bus(ErrorKind::Other)));
        // the buffer may hold anything now: the whole frame is loaded again
        can.send_from(TxBuffer::B0, &frame, lowest).await.unwrap();
        spi.done();
    }

    pub async fn equal_priority_never_overtakes() {
        // TXB0 pending (TXB1, TXB2 free): a new lowest-priority frame must wait
        let mut spi = after_reset(&[r(&[0xA0], &[0x04])]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_send(&std_frame(1, &[])).await.unwrap(), None);
        spi.done();
    }

    pub async fn priority_is_written_only_when_it_changes() {
        let frame = std_frame(0x10, &[9]);
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x00]),
            w(&[0x05, 0x50, 0x03, 0x03]),
            w(&[0x44, 0x02, 0x00, 0x00, 0x00, 0x01, 9]),
            w(&[0x84]),
            // same identifier and length in TXB2: data only
            r(&[0xA0], &[0x08]),
            w(&[0x45, 9]),
            w(&[0x84]),
            // TXB2 (highest) pending: a highest-priority frame goes to TXB1, whose priority changes
            r(&[0xA0], &[0x40]),
            w(&[0x05, 0x40, 0x03, 0x03]),
            w(&[0x42, 0x02, 0x00, 0x00, 0x00, 0x01, 9]),
            w(&[0x82]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        let highest = TxPriority::Highest;
        assert_eq!(
            can.try_send_with_priority(&frame, highest).await.unwrap(),
            Some(TxBuffer::B2)
        );
        assert_eq!(
            can.try_send_with_priority(&frame, highest).await.unwrap(),
            Some(TxBuffer::B2)
        );
        assert_eq!(
            can.try_send_with_priority(&frame, highest).await.unwrap(),
            Some(TxBuffer::B1)
        );
        spi.done();
    }

    pub async fn send_from_a_chosen_buffer_and_blocking_send() {
        let frame = std_frame(0x001, &[]);
        let mut spi = after_reset(&[
            w(&[0x05, 0x30, 0x03, 0x01]),
            w(&[0x40, 0x00, 0x20, 0x00, 0x00, 0x00]),
            w(&[0x81]),
            // send: all three buffers busy at first, then all free
            r(&[0xA0], &[0x54]),
            r(&[0xA0], &[0x00]),
            w(&[0x44, 0x00, 0x20, 0x00, 0x00, 0x00]),
            w(&[0x84]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.send_from(TxBuffer::B0, &frame, TxPriority::Low).await.unwrap();
        assert_eq!(can.send(&frame).await.unwrap(), TxBuffer::B2);
        spi.done();
    }

    pub async fn abort_one_and_all() {
        let mut spi = after_reset(&[
            w(&[0x05, 0x40, 0x08, 0x00]),
            w(&[0x02, 0x0F, 0x80 | 0x10 | 0x07]),
            w(&[0x02, 0x0F, 0x80 | 0x07]),
            r(&[0x03, 0x30], &[0x40]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.abort(TxBuffer::B1).await.unwrap();
        can.abort_all().await.unwrap();
        let state = can.tx_state(TxBuffer::B0).await.unwrap();
        assert!(state.aborted() && !state.pending() && !state.error() && !state.lost_arbitration());
        spi.done();
    }

    pub async fn receive_is_status_plus_read_rx_buffer() {
        let rx = [0x91, 0xA8, 0x56, 0x78, 0x08, 1, 2, 3, 4, 5, 6, 7, 8];
        let mut spi = after_reset(&[r(&[0xA0], &[0x03]), r(&[0x90], &rx)]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_receive_method(ReceiveMethod::ReadRxBuffer);
        let frame = can.try_receive().await.unwrap().unwrap();
        assert_eq!(frame, ext_frame(0x1234_5678, &[1, 2, 3, 4, 5, 6, 7, 8]));
        spi.done();
    }

    pub async fn receive_from_rxb1_and_nothing() {
        let rx = [0x24, 0x70, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[r(&[0xA0], &[0x02]), r(&[0x94], &rx), r(&[0xA0], &[0xFC])]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_receive_method(ReceiveMethod::ReadRxBuffer);
        let frame = can.try_receive().await.unwrap().unwrap();
        assert!(frame.is_remote_frame() && frame.is_standard());
        assert_eq!(frame.id(), Id::Standard(StandardId::new(0x123).unwrap()));
        assert_eq!(can.try_receive().await.unwrap(), None);
        spi.done();
    }

    pub async fn blocking_receive_waits() {
        let rx = [0x24, 0x60, 0x00, 0x00, 0x01, 7, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x00]),
            r(&[0xA0], &[0x01]),
            r(&[0x90], &rx),
            r(&[0x94], &rx),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_receive_method(ReceiveMethod::ReadRxBuffer);
        assert_eq!(can.receive().await.unwrap().data(), [7]);
        assert_eq!(can.read_rx_buffer(RxBuffer::B1).await.unwrap(), std_frame(0x123, &[7]));
        spi.done();
    }

    pub async fn the_default_receive_reads_then_clears_and_checks_for_a_rollover() {
        let rx = [0x91, 0xA8, 0x56, 0x78, 0x08, 1, 2, 3, 4, 5, 6, 7, 8];
        let rx1 = [0x24, 0x60, 0x00, 0x00, 0x01, 7, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            w(&[0x02, 0x60, 0x64]),
            w(&[0x02, 0x70, 0x60]),
            // RXB0 full: READ of its 13 registers, RX0IF cleared, READ STATUS: a frame rolled over meanwhile
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &rx),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            r(&[0xA0], &[0x02]),
            // ... and a newer one refilled RXB0: RXB1 first
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x71], &rx1),
            w(&[0x05, 0x2C, 0x02, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_acceptance(Acceptance::All, true).await.unwrap();
        let first = can.try_receive().await.unwrap();
        assert_eq!(first, Some(ext_frame(0x1234_5678, &[1, 2, 3, 4, 5, 6, 7, 8])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[7])));
        spi.done();
    }

    pub async fn a_frame_whose_clear_failed_is_checked_and_cleared_next_time() {
        let rx = [0x24, 0x60, 0x00, 0x00, 0x01, 7, 0, 0, 0, 0, 0, 0, 0];
        let other = [0x24, 0x60, 0x00, 0x00, 0x01, 8, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &rx),
            // (the clear fails)
            // next call: RX0IF still set and the same frame there: cleared now, returned
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &rx),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &other),
            // (the clear fails again)
            // next call: another frame is there now (the clear had reached the chip): left for later
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &rx),
        ]);
        // transactions 1-2 are the reset's, then: status, read, the clear fails
        let mut can = Mcp25625::new(FailAt::new(FailAt::new(spi.clone(), 5), 11));
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_receive().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[7])));
        assert_eq!(can.try_receive().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[8])));
        spi.done();
    }

    pub async fn a_rollover_seen_during_a_retried_clear_still_comes_before_the_refill() {
        let a = [0x24, 0x60, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0, 0, 0, 0];
        let b = [0x24, 0x60, 0x00, 0x00, 0x01, 2, 0, 0, 0, 0, 0, 0, 0];
        let c = [0x24, 0x60, 0x00, 0x00, 0x01, 3, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            w(&[0x02, 0x60, 0x64]),
            w(&[0x02, 0x70, 0x60]),
            // frame A in RXB0 alone: read, the clear fails
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &a),
            // next call: A still there and B rolled over into RXB1 meanwhile; the clear fails again
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &a),
            // next call: the second clear had reached the chip and C refilled RXB0: A is returned, and B
            // (which rolled over before C arrived) must come next
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &c),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x71], &b),
            w(&[0x05, 0x2C, 0x02, 0x00]),
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &c),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            r(&[0xA0], &[0x00]),
        ]);
        // transactions 1-2 are the reset's, 3-4 the acceptance; the clears are transactions 7 and 10
        let mut can = Mcp25625::new(FailAt::new(FailAt::new(spi.clone(), 7), 10));
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_acceptance(Acceptance::All, true).await.unwrap();
        assert_eq!(can.try_receive().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(can.try_receive().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[1])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[2])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[3])));
        spi.done();
    }

    pub async fn a_failed_rts_may_have_sent_the_frame() {
        let frame = std_frame(1, &[1]);
        let mut spi = after_reset(&[r(&[0xA0], &[0x00]), w(&[0x44, 0x00, 0x20, 0x00, 0x00, 0x01, 1])]);
        let mut can = Mcp25625::new(FailAt::new(spi.clone(), 5));
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(
            can.try_send(&frame).await,
            Err(Error::MaybeSent {
                buffer: TxBuffer::B2,
                bus: ErrorKind::Other
            })
        );
        spi.done();
    }

    pub async fn an_unknown_driver_reads_canctrl_before_writing_it() {
        let mut spi = mock(&[
            // abort_all on a new driver: CANSTAT and CANCTRL read (normal, one-shot, CLKOUT off, ABAT set)
            r(&[0x03, 0x0E], &[0x00, 0x18]),
            w(&[0x02, 0x0F, 0x18]),
            w(&[0x02, 0x0F, 0x08]),
            // the first send on a new driver: the priority is written, the whole frame loaded
            r(&[0xA0], &[0x00]),
            w(&[0x05, 0x50, 0x03, 0x00]),
            w(&[0x44, 0x00, 0x20, 0x00, 0x00, 0x00]),
            w(&[0x84]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        assert_eq!(can.mode(), None);
        can.abort_all().await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Normal));
        assert_eq!(can.try_send(&std_frame(1, &[])).await.unwrap(), Some(TxBuffer::B2));
        spi.done();
    }

    pub async fn bus_errors_are_reported() {
        let frame = std_frame(1, &[]);
        let mut can = Mcp25625::new(FailingSpi);
        let bus = Error::Bus(ErrorKind::Other);
        assert_eq!(can.try_send(&frame).await, Err(bus));
        assert_eq!(can.send(&frame).await, Err(bus));
        assert_eq!(can.send_from(TxBuffer::B0, &frame, TxPriority::Lowest).await, Err(bus));
        assert_eq!(can.send_from(TxBuffer::B0, &frame, TxPriority::High).await, Err(bus));
        assert_eq!(can.try_receive().await, Err(bus));
        assert_eq!(can.receive().await, Err(bus));
        assert_eq!(can.read_rx_buffer(RxBuffer::B0).await, Err(bus));
        assert_eq!(can.abort(TxBuffer::B0).await, Err(bus));
        assert_eq!(can.abort_all().await, Err(bus));
        assert_eq!(can.tx_state(TxBuffer::B0).await, Err(bus));
    }

    /// A frame taken from RXB0 (RXB1 full too) whose RX0IF clear failed; the caller then empties RXB1 by hand.
    /// The next call finds RXB0 refilled by a newer frame and RXB1 empty: that RXB0 frame is older than anything
    /// landing in RXB1 afterwards, so of the two found next, RXB0's comes first.
    pub async fn a_refilled_rxb0_comes_before_a_later_rxb1() {
        let a = [0x24, 0x60, 0x00, 0x00, 0x01, 0xAA, 0, 0, 0, 0, 0, 0, 0];
        let b = [0x8A, 0xC0, 0x00, 0x00, 0x01, 0xBB, 0, 0, 0, 0, 0, 0, 0];
        let c = [0xF1, 0x20, 0x00, 0x00, 0x01, 0xCC, 0, 0, 0, 0, 0, 0, 0];
        // transactions: RESET, detection, READ STATUS, READ RXB0, (the clear fails), READ RX BUFFER of RXB1, ...
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &a),
            r(&[0x94], &b),
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &c),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &c),
            w(&[0x05, 0x2C, 0x01, 0x00]),
        ]);
        let mut can = Mcp25625::new(FailAt::new(spi.clone(), 5));
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_receive().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(
            can.read_rx_buffer(RxBuffer::B1).await.unwrap(),
            std_frame(0x456, &[0xBB])
        );
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[0xAA])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x789, &[0xCC])));
        spi.done();
    }

    /// A frame taken from RXB0 while RXB1 was empty, whose RX0IF clear failed. The next call finds RXB0 refilled
    /// by a newer frame and RXB1 full as well: which of the two came first cannot be told, and RXB0's (filled
    /// first under rollover) is taken first.
    pub async fn after_a_failed_clear_an_unknown_order_takes_rxb0_first() {
        let a = [0x24, 0x60, 0x00, 0x00, 0x01, 0xAA, 0, 0, 0, 0, 0, 0, 0];
        let c = [0xF1, 0x20, 0x00, 0x00, 0x01, 0xCC, 0, 0, 0, 0, 0, 0, 0];
        // transactions: RESET, detection, READ STATUS, READ RXB0, (the clear fails), ...
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x01]),
            r(&[0x03, 0x61], &a),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &c),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &c),
            w(&[0x05, 0x2C, 0x01, 0x00]),
        ]);
        let mut can = Mcp25625::new(FailAt::new(spi.clone(), 5));
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_receive().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[0xAA])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x789, &[0xCC])));
        spi.done();
    }

    /// RXB0 taken while RXB1 was full (rollover off): RXB1's frame was there before RXB0 was refilled, so when
    /// both are full next, RXB1 is taken first.
    pub async fn a_frame_waiting_in_rxb1_comes_before_a_refilled_rxb0() {
        let a = [0x24, 0x60, 0x00, 0x00, 0x01, 0xAA, 0, 0, 0, 0, 0, 0, 0];
        let b = [0x8A, 0xC0, 0x00, 0x00, 0x01, 0xBB, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x61], &a),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            r(&[0xA0], &[0x03]),
            r(&[0x03, 0x71], &b),
            w(&[0x05, 0x2C, 0x02, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x123, &[0xAA])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x456, &[0xBB])));
        spi.done();
    }

    /// A pending buffer whose priority the driver no longer knows (a raw write of its TXBnCTRL) counts as one of
    /// the same priority: a new frame never goes into a higher-numbered buffer, which could overtake it.
    pub async fn a_pending_buffer_of_unknown_priority_is_not_overtaken() {
        let mut spi = after_reset(&[
            w(&[0x05, 0x40, 0x03, 0x03]),
            // TXB1 pending (TXREQ, bit 4 of READ STATUS)
            r(&[0xA0], &[0x10]),
            w(&[0x05, 0x30, 0x03, 0x02]),
            w(&[0x40, 0x24, 0x60, 0x00, 0x00, 0x01, 0xAA]),
            w(&[0x81]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.modify_raw(0x40, 0x03, 0x03).await.unwrap();
        let sent = can
            .try_send_with_priority(&std_frame(0x123, &[0xAA]), TxPriority::High)
            .await;
        assert_eq!(sent.unwrap(), Some(TxBuffer::B0));
        spi.done();
    }
}

both!(
    the_default_receive_reads_then_clears_and_checks_for_a_rollover,
    a_frame_whose_clear_failed_is_checked_and_cleared_next_time,
    a_rollover_seen_during_a_retried_clear_still_comes_before_the_refill,
    a_failed_rts_may_have_sent_the_frame,
    an_unknown_driver_reads_canctrl_before_writing_it,
    a_repeated_identifier_loads_only_the_data,
    a_failed_load_forgets_the_buffer,
    send_extended_8_bytes_is_status_load_rts,
    send_standard_and_remote_frames,
    equal_priority_never_overtakes,
    priority_is_written_only_when_it_changes,
    send_from_a_chosen_buffer_and_blocking_send,
    abort_one_and_all,
    receive_is_status_plus_read_rx_buffer,
    receive_from_rxb1_and_nothing,
    blocking_receive_waits,
    bus_errors_are_reported,
    a_refilled_rxb0_comes_before_a_later_rxb1,
    after_a_failed_clear_an_unknown_order_takes_rxb0_first,
    a_frame_waiting_in_rxb1_comes_before_a_refilled_rxb0,
    a_pending_buffer_of_unknown_priority_is_not_overtaken,
);

/// The `embedded-can` traits (blocking driver only).
mod traits {
    use super::common::*;
    use mcp25625::Mcp25625;

    #[test]
    fn nb_and_blocking_can() {
        let frame = std_frame(0x123, &[0xAA, 0x55]);
        let rx = [0x24, 0x60, 0x00, 0x00, 0x02, 0xAA, 0x55, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x04]),
            r(&[0xA0], &[0x00]),
            w(&[0x44, 0x24, 0x60, 0x00, 0x00, 0x02, 0xAA, 0x55]),
            w(&[0x84]),
            r(&[0xA0], &[0x00]),
            r(&[0xA0], &[0x01]),
            r(&[0x90], &rx),
            r(&[0xA0], &[0x00]),
            w(&[0x45, 0xAA, 0x55]),
            w(&[0x84]),
            r(&[0xA0], &[0x01]),
            r(&[0x90], &rx),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).unwrap();
        can.set_receive_method(ReceiveMethod::ReadRxBuffer);
        assert!(matches!(
            embedded_can::nb::Can::transmit(&mut can, &frame),
            Err(nb::Error::WouldBlock)
        ));
        assert_eq!(embedded_can::nb::Can::transmit(&mut can, &frame), Ok(None));
        assert!(matches!(
            embedded_can::nb::Can::receive(&mut can),
            Err(nb::Error::WouldBlock)
        ));
        assert_eq!(embedded_can::nb::Can::receive(&mut can), Ok(frame));
        embedded_can::blocking::Can::transmit(&mut can, &frame).unwrap();
        assert_eq!(embedded_can::blocking::Can::receive(&mut can), Ok(frame));
        spi.done();
        use embedded_can::Error as _;
        assert_eq!(Error::Bus(ErrorKind::Other).kind(), embedded_can::ErrorKind::Other);
    }
}

/// Waiting on the INT pin (async driver only).
#[cfg(feature = "async")]
mod interrupt_pin {
    use super::common::*;
    use mcp25625::Mcp25625Async;

    #[test]
    fn receive_waits_for_int_low_then_reads() {
        let rx = [0x24, 0x60, 0x00, 0x00, 0x01, 0x5A, 0, 0, 0, 0, 0, 0, 0];
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x00]),
            r(&[0xA0], &[0x01]),
            // the default receive: READ of RXB0, then RX0IF cleared
            r(&[0x03, 0x61], &rx),
            w(&[0x05, 0x2C, 0x01, 0x00]),
            r(&[0x03, 0x2C], &[0x04]),
        ]);
        let mut int = PinMock::new(&[Pin::wait_for_state(State::Low), Pin::wait_for_state(State::Low)]);
        let mut can = Mcp25625Async::new(spi.clone());
        block_on(can.reset(&mut NoopDelay)).unwrap();
        let frame = block_on(can.receive_on_interrupt(&mut int)).unwrap();
        assert_eq!(frame, std_frame(0x123, &[0x5A]));
        assert_eq!(block_on(can.wait_for_interrupt(&mut int)).unwrap(), Interrupts::TX0);
        spi.done();
        int.done();
    }

    #[test]
    fn send_waits_for_int_low_then_clears_tx_flags() {
        let mut spi = after_reset(&[
            r(&[0xA0], &[0x54]),
            w(&[0x05, 0x2C, 0x1C, 0x00]),
            r(&[0xA0], &[0x08]),
            w(&[0x44, 0x00, 0x20, 0x00, 0x00, 0x00]),
            w(&[0x84]),
        ]);
        let mut int = PinMock::new(&[Pin::wait_for_state(State::Low)]);
        let mut can = Mcp25625Async::new(spi.clone());
        block_on(can.reset(&mut NoopDelay)).unwrap();
        let buffer = block_on(can.send_on_interrupt(&std_frame(1, &[]), &mut int)).unwrap();
        assert_eq!(buffer, TxBuffer::B2);
        spi.done();
        int.done();
    }
}
