//! Edges derived from one service after earlier ones lost their capture (a clearing read that failed after the chip
//! may have taken it): exact bytes on the mock, one pin per situation, sync and async through the same bodies.
//!
//! Every pin below tells its own story; the expected sets are what the pin must have done, worked out from that
//! story (levels last read, the flag whose capture was lost, the capture of the port, the levels now).
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

    /// Levels known from an earlier read, lost flags on both ports:
    /// - A0 (any edge): low when read, flagged now, captured high, high now: rose.
    /// - A1 (rising): high when read, flagged by a service whose clearing read was lost (it fell), then captured
    ///   high again in port A's capture (A0's): it also rose, and both are reported though the capture is A0's.
    /// - B0 (rising): low when read, high now, no flag on port B (it changed between the INTF and GPIO reads of the
    ///   burst): rose.
    /// - B1 (falling): high when read, low now: fell, and triggered.
    /// - B2 (any edge): low when read, flag lost, low again now: rose and fell.
    /// - B3 (rising): high when read, flag lost (by a second failed service), high again now: fell and rose.
    pub async fn lost_flags_with_known_levels_report_both_edges_of_a_pin_that_came_back() {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x02, 0x09]),
            write(&[0x04, 0x02, 0x0B]),
            write(&[0x04, 0x03, 0x0F]),
            // the levels, read with nothing pending
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x02, 0x0A]),
            // A1 and B2 flagged; the clearing read fails
            read(0x0E, &[0x02, 0x04]),
            read(0x0E, &[0; 6]).with_error(nack()),
            // it had reached the chip: B3 flagged next; that clearing read fails too
            read(0x0E, &[0x00, 0x08]),
            read(0x0E, &[0; 6]).with_error(nack()),
            // A0 flagged; port B's capture bits are stale (no flag there)
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x03, 0xFF, 0x03, 0x09]),
        ]);
        let mut i2c = mock(&transactions);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0902), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        mcp.set_interrupt(bits(0x0200), Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        mcp.set_interrupt(bits(0x0401), Some(InterruptTrigger::AnyEdge))
            .await
            .unwrap();
        let quiet = mcp.interrupt_status().await.unwrap();
        assert_eq!(quiet.levels, bits(0x0A02));
        let mut nothing = quiet;
        nothing.levels = Pins::NONE;
        assert_eq!(nothing, InterruptStatus::default());
        assert_eq!(mcp.interrupt_status().await, nacked());
        assert_eq!(mcp.interrupt_status().await, nacked());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, bits(0x0C03));
        assert_eq!(status.captured, bits(0x0003));
        assert_eq!(status.levels, bits(0x0903));
        assert_eq!(status.rising, bits(0x0D03));
        assert_eq!(status.falling, bits(0x0E02));
        assert_eq!(status.triggered, bits(0x0F03));
        assert!(!mcp.has_news());
        i2c.done();
    }

    /// Levels unknown (the pins were just enabled), one lost flag:
    /// - A0 (rising): flagged, captured high, high now: rose.
    /// - A1 (rising): captured low in A0's capture, high now: rose after the capture.
    /// - A2 (falling): captured high, low now: fell after the capture.
    /// - A3 (rising): captured high, high now: nothing seen.
    /// - A4 (falling): captured low, high now: rose, which its trigger leaves out.
    /// - B1 (rising): flag lost, port B not captured now, high now: it left the level it is not at (rose).
    pub async fn lost_flags_with_unknown_levels_are_taken_towards_the_present_level() {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x0B, 0x02]),
            write(&[0x04, 0x1F, 0x02]),
            read(0x0E, &[0x00, 0x02]),
            read(0x0E, &[0; 6]).with_error(nack()),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x0D, 0xFF, 0x1B, 0x02]),
        ]);
        let mut i2c = mock(&transactions);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x020B), Some(InterruptTrigger::RisingEdge))
            .await
            .unwrap();
        mcp.set_interrupt(bits(0x0014), Some(InterruptTrigger::FallingEdge))
            .await
            .unwrap();
        assert_eq!(mcp.interrupt_status().await, nacked());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, bits(0x0201));
        assert_eq!(status.captured, bits(0x000D));
        assert_eq!(status.levels, bits(0x021B));
        assert_eq!(status.rising, bits(0x0213));
        assert_eq!(status.falling, bits(0x0004));
        assert_eq!(status.triggered, bits(0x0207));
        i2c.done();
    }

    /// Pins compared with DEFVAL (while high) have no edges; a flag, lost or not, triggers them:
    /// - A0: flagged by a service whose clearing read failed, flagged again (still high);
    /// - B0: flagged, high;
    /// - B1: enabled, not flagged: not triggered.
    pub async fn level_pins_trigger_on_their_flags_lost_or_not_and_have_no_edges() {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x06, 0x00, 0x00, 0x01, 0x03]),
            write(&[0x04, 0x01, 0x03]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0; 6]).with_error(nack()),
            read(0x0E, &[0x01, 0x01]),
            read(0x0E, &[0x01, 0x01, 0x01, 0x01, 0x01, 0x01]),
        ]);
        let mut i2c = mock(&transactions);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.set_interrupt(bits(0x0301), Some(InterruptTrigger::WhileHigh))
            .await
            .unwrap();
        assert_eq!(mcp.interrupt_status().await, nacked());
        let status = mcp.interrupt_status().await.unwrap();
        assert_eq!(status.flagged, bits(0x0101));
        assert_eq!(status.captured, bits(0x0101));
        assert_eq!((status.rising, status.falling), (Pins::NONE, Pins::NONE));
        assert_eq!(status.triggered, bits(0x0101));
        i2c.done();
    }
}

both!(
    lost_flags_with_known_levels_report_both_edges_of_a_pin_that_came_back,
    lost_flags_with_unknown_levels_are_taken_towards_the_present_level,
    level_pins_trigger_on_their_flags_lost_or_not_and_have_no_edges,
);
