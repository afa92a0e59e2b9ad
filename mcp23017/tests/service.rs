//! Interrupt configuration and servicing details: which triggers a change keeps, when the levels read are
//! forgotten, flags that survive failed clearing reads, what a read of the levels keeps for the status. Exact bytes
//! on the mock, sync and async through the same bodies.
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

    fn bits(pins: u16) -> Pins {
        Pins::from_bits_retain(pins)
    }

    fn after_init(transactions: &[I2c]) -> I2cMock {
        let mut all = init_default(0);
        all.extend_from_slice(transactions);
        mock(&all)
    }

    /// A0 and B0 on any edge; A0 disabled, then A0, B0, B1, B2 enabled again with GPINTEN alone (no trigger):
    /// A0 rose, B0 fell, B1 rose and B2 fell after port B's capture. Only B0 still has a trigger.
    pub async fn disabling_a_pin_forgets_its_trigger_and_keeps_the_others() {
        let mut i2c = after_init(&[
            write(&[0x04, 0x01, 0x01]),
            write(&[0x04, 0x00, 0x01]),
            write(&[0x04, 0x01, 0x07]),
            read(0x0E, &[0x01, 0x01]),
            read(0x0E, &[0x01, 0x01, 0x01, 0x04, 0x01, 0x02]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0101), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        mcp.set_interrupt(bits(0x0001), None).await.unwrap();
        mcp.set_interrupt_enable(bits(0x0701)).await.unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.rising, bits(0x0201));
        assert_eq!(status.falling, bits(0x0500));
        assert_eq!(status.triggered, bits(0x0100));
        i2c.done();
    }

    /// WhileHigh then WhileLow on the same pin: INTCON stays set, DEFVAL changes; GPINTEN written again as it is.
    pub async fn a_level_trigger_set_again_changes_defval_only() {
        let mut i2c = after_init(&[
            write(&[0x06, 0x00, 0x00, 0x01, 0x00]),
            write(&[0x04, 0x01, 0x00]),
            write(&[0x06, 0x01, 0x00, 0x01, 0x00]),
            write(&[0x04, 0x01, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0001), Some(InterruptTrigger::WhileHigh))
            .await
            .unwrap();
        mcp.set_interrupt(bits(0x0001), Some(InterruptTrigger::WhileLow))
            .await
            .unwrap();
        i2c.done();
    }

    /// A pin newly enabled may have changed unseen: the levels read before are forgotten (A1 rose while not
    /// enabled, and is not reported; B0's change, in the same window, neither). A new trigger for a pin already
    /// enabled keeps them (B0's fall, read without a flag of port B, is reported).
    pub async fn enabling_a_new_pin_forgets_the_levels_read_and_retriggering_keeps_them() {
        let mut i2c = after_init(&[
            write(&[0x04, 0x01, 0x01]),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            write(&[0x04, 0x03, 0x01]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x03, 0x00, 0x03, 0x01]),
            write(&[0x04, 0x03, 0x01]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x02, 0x00, 0x02, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0101), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        assert_eq!(mcp.interrupt_status().await.unwrap().levels, Pins::NONE);
        mcp.set_interrupt(bits(0x0002), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!((status.rising, status.falling), (bits(0x0001), Pins::NONE));
        mcp.set_interrupt(bits(0x0001), Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!((status.rising, status.falling), (Pins::NONE, bits(0x0101)));
        assert_eq!(status.triggered, bits(0x0101));
        i2c.done();
    }

    /// A0's flag is read, its clearing read fails before the chip took it; the flag is read again and the next
    /// clearing read fails after the chip took it (the interrupt is cleared): the flag is still reported, once.
    pub async fn a_flag_read_twice_before_failed_clearing_reads_is_still_reported() {
        let mut i2c = after_init(&[
            write(&[0x04, 0x01, 0x00]),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0; 6]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0; 6]).with_error(nack()),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0; 6]).with_error(nack()),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x01, 0x00]),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x01, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0001), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        mcp.interrupt_status().await.unwrap();
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert_eq!(mcp.interrupt_status().await, nacked());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, bits(0x0001));
        assert_eq!((status.rising, status.falling), (bits(0x0001), Pins::NONE));
        assert_eq!(status.triggered, bits(0x0001));
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!((status.flagged, status.rising), (Pins::NONE, Pins::NONE));
        assert_eq!(status.levels, bits(0x0001));
        i2c.done();
    }

    /// INTF read alone shows A0 and B0; the burst's INTF no longer shows A0 (cleared in between, say by another
    /// master's read): A0's flag is still reported, with the edge to its present level.
    pub async fn a_flag_gone_from_the_burst_is_still_reported() {
        let mut i2c = after_init(&[
            write(&[0x04, 0x01, 0x01]),
            read(0x0E, &[0x01, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x01, 0x01]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0101), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, bits(0x0101));
        assert_eq!(status.captured, bits(0x0100));
        assert_eq!((status.rising, status.falling), (bits(0x0101), Pins::NONE));
        i2c.done();
    }

    /// One service finding nothing, the levels `levels`.
    fn quiet(levels: u16) -> [I2c; 2] {
        let [a, b] = levels.to_le_bytes();
        [read(0x0E, &[0x00, 0x00]), read(0x0E, &[0x00, 0x00, 0x00, 0x00, a, b])]
    }

    /// A0's flag was read by a service whose clearing read failed; the next service reads it again alone, but the
    /// burst no longer shows it: it is reported once, still flagged.
    pub async fn a_lost_flag_read_again_but_gone_from_the_burst_is_still_reported() {
        let mut i2c = after_init(&[
            write(&[0x04, 0x01, 0x01]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0; 6]).with_error(nack()),
            read(0x0E, &[0x01, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x01, 0x01]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0101), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        assert_eq!(mcp.interrupt_status().await, nacked());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, bits(0x0101));
        assert_eq!((status.rising, status.falling), (bits(0x0101), Pins::NONE));
        i2c.done();
    }

    /// `read_levels` has to service the interrupt while one may be latched; whatever that service found is kept
    /// for `interrupt_status`, be it a flag alone, an edge alone, or an edge with its trigger:
    /// 1. a flag of A1, whose interrupt was disabled after it fired (no edge, no trigger);
    /// 2. B0 (enabled without a trigger) rose, read without a flag of port B; then fell;
    /// 3. A0 (falling edge) rose (no trigger), then fell (its trigger);
    /// 4. A0 flagged, rose (no trigger).
    ///
    /// Once nothing can be latched (GPINTEN 0 at the last service), a read of the levels is GPIO alone.
    pub async fn read_levels_keeps_any_news_for_the_status() {
        let mut t = vec![
            write(&[0x04, 0x02, 0x00]),
            write(&[0x04, 0x00, 0x00]),
            // 1: a flag alone
            read(0x0E, &[0x02, 0x00]),
            read(0x0E, &[0x02, 0x00, 0x02, 0x00, 0x00, 0x00]),
        ];
        t.extend(quiet(0));
        // 2
        t.push(write(&[0x04, 0x01, 0x01]));
        for levels in [0x0000, 0x0100, 0x0100, 0x0100, 0x0000, 0x0000] {
            t.extend(quiet(levels));
        }
        // 3
        t.push(write(&[0x04, 0x01, 0x01]));
        for levels in [0x0001, 0x0001, 0x0000, 0x0000] {
            t.extend(quiet(levels));
        }
        // 4
        t.extend([
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x01, 0x00, 0x01, 0x00]),
        ]);
        t.extend(quiet(0x0001));
        // GPINTEN cleared: a service still, then GPIO alone
        t.push(write(&[0x04, 0x00, 0x00]));
        t.extend(quiet(0x0001));
        t.push(read(0x12, &[0x01, 0x00]));
        let mut i2c = after_init(&t);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();

        mcp.set_interrupt(bits(0x0002), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        mcp.set_interrupt(bits(0x0002), None).await.unwrap();
        mcp.read_levels().await.unwrap();
        let kept = mcp.pending_status().unwrap();
        assert_eq!(
            (kept.flagged, kept.rising, kept.falling),
            (bits(0x0002), Pins::NONE, Pins::NONE)
        );
        assert_eq!(kept.triggered, Pins::NONE);
        assert_eq!(mcp.interrupt_status().await.unwrap(), kept);

        mcp.set_interrupt_enable(bits(0x0101)).await.unwrap();
        mcp.read_levels().await.unwrap();
        assert!(!mcp.has_news());
        assert_eq!(mcp.read_levels().await.unwrap(), bits(0x0100));
        let kept = mcp.pending_status().unwrap();
        assert_eq!(
            (kept.flagged, kept.rising, kept.falling),
            (Pins::NONE, bits(0x0100), Pins::NONE)
        );
        assert_eq!(mcp.interrupt_status().await.unwrap(), kept);
        mcp.read_levels().await.unwrap();
        assert!(!mcp.has_news());
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::NONE);
        let kept = mcp.pending_status().unwrap();
        assert_eq!(
            (kept.flagged, kept.rising, kept.falling),
            (Pins::NONE, Pins::NONE, bits(0x0100))
        );
        assert_eq!(mcp.interrupt_status().await.unwrap(), kept);

        mcp.set_interrupt(bits(0x0001), Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), bits(0x0001));
        let kept = mcp.pending_status().unwrap();
        assert_eq!((kept.rising, kept.triggered), (bits(0x0001), Pins::NONE));
        assert_eq!(mcp.interrupt_status().await.unwrap(), kept);
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::NONE);
        let kept = mcp.pending_status().unwrap();
        assert_eq!(
            (kept.rising, kept.falling, kept.triggered),
            (Pins::NONE, bits(0x0001), bits(0x0001))
        );
        assert_eq!(mcp.interrupt_status().await.unwrap(), kept);

        mcp.read_levels().await.unwrap();
        let kept = mcp.pending_status().unwrap();
        assert_eq!(
            (kept.flagged, kept.rising, kept.falling),
            (bits(0x0001), bits(0x0001), Pins::NONE)
        );
        assert_eq!(kept.triggered, Pins::NONE);
        assert_eq!(mcp.interrupt_status().await.unwrap(), kept);

        mcp.set_interrupt_enable(Pins::NONE).await.unwrap();
        mcp.read_levels().await.unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), bits(0x0001));
        assert!(!mcp.has_news());
        i2c.done();
    }

    /// With no interrupt enabled, a read of the levels is GPIO alone, unless a service failed with flags read:
    /// then it services again, and keeps the flags for the status.
    pub async fn read_levels_after_a_failed_service_services_again() {
        let mut i2c = after_init(&[
            read(0x12, &[0x00, 0x00]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0; 6]).with_error(nack()),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x01, 0x00]),
            read(0x12, &[0x01, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        assert_eq!(mcp.read_levels().await.unwrap(), Pins::NONE);
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert_eq!(mcp.read_levels().await.unwrap(), bits(0x0001));
        assert_eq!(mcp.pending_status().unwrap().flagged, bits(0x0001));
        assert_eq!(mcp.read_levels().await.unwrap(), bits(0x0001));
        i2c.done();
    }
}

both!(
    disabling_a_pin_forgets_its_trigger_and_keeps_the_others,
    a_level_trigger_set_again_changes_defval_only,
    enabling_a_new_pin_forgets_the_levels_read_and_retriggering_keeps_them,
    a_flag_read_twice_before_failed_clearing_reads_is_still_reported,
    a_flag_gone_from_the_burst_is_still_reported,
    a_lost_flag_read_again_but_gone_from_the_burst_is_still_reported,
    read_levels_keeps_any_news_for_the_status,
    read_levels_after_a_failed_service_services_again,
);

/// A wait on A0 sets aside whatever other pins did, whichever of flags, edges and triggers it holds:
/// 1. B0 (enabled without a trigger) rose, read without a flag of port B: an edge alone;
/// 2. B0 fell: an edge alone;
/// 3. B1 (falling edge) flagged, rose: a flag and an edge, no trigger;
/// 4. B2 (falling edge) fell: an edge and its trigger;
/// 5. A0 rose and fell back (the wait's own event, not set aside), A1 (no trigger) rose and fell in A0's capture.
///
/// The next status reports all of them, and nothing of A0.
#[cfg(feature = "async")]
#[test]
fn a_wait_sets_aside_every_kind_of_news_of_other_pins() {
    use common::*;
    use embedded_hal_async::digital::Wait;
    use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinTx};
    fn service(flags: [u8; 2], capture: [u8; 2], levels: [u8; 2]) -> [I2c; 2] {
        [
            read(0x0E, &flags),
            read(
                0x0E,
                &[flags[0], flags[1], capture[0], capture[1], levels[0], levels[1]],
            ),
        ]
    }
    block_on(async {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x02, 0x01]),
            write(&[0x04, 0x03, 0x01]),
            write(&[0x04, 0x03, 0x07]),
        ]);
        for [f, c, l] in [
            // the levels before the wait: B2 high
            [[0, 0], [0, 0], [0x00, 0x04]],
            [[0, 0], [0, 0], [0x00, 0x05]],
            [[0, 0], [0, 0], [0x00, 0x04]],
            [[0, 0x02], [0, 0x06], [0x00, 0x06]],
            [[0, 0], [0, 0], [0x00, 0x02]],
            [[0x01, 0], [0x03, 0], [0x00, 0x02]],
            // the status after the wait: nothing new
            [[0, 0], [0, 0], [0x00, 0x02]],
        ] {
            transactions.extend(service(f, c, l));
        }
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&vec![PinTx::wait_for_state(State::Low); 5]);
        let mut mcp = mcp23017::Mcp23017Async::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt_enable(Pins::from_bits_retain(0x0102)).await.unwrap();
        mcp.set_interrupt(Pins::A0, Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        mcp.set_interrupt(Pins::from_bits_retain(0x0600), Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        assert_eq!(
            mcp.interrupt_status().await.unwrap().levels,
            Pins::from_bits_retain(0x0400)
        );
        mcp.wait_pin(&mut int, PinId::A0).wait_for_rising_edge().await.unwrap();
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, Pins::B1);
        assert_eq!(status.rising, Pins::A1 | Pins::B0 | Pins::B1);
        assert_eq!(status.falling, Pins::A1 | Pins::B0 | Pins::B2);
        assert_eq!(status.triggered, Pins::B2);
        i2c.done();
        int.done();
    });
}
