//! Async pins waiting on the MCU pin wired to INT (`embedded_hal_async::digital::Wait`).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#![cfg(feature = "async")]
mod common;

use common::*;
use embedded_hal_async::digital::Wait;
use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as PinTx};
use mcp23017::Mcp23017Async;

async fn ready(i2c: &I2cMock) -> Mcp23017Async<mcp23017::I2cInterface<I2cMock>> {
    let mut mcp = Mcp23017Async::new(i2c.clone(), Address::DEFAULT);
    mcp.init(Config::default()).await.unwrap();
    mcp.set_interrupt(Pins::from(PinId::B0), Some(InterruptTrigger::AnyEdge))
        .await
        .unwrap();
    mcp
}

#[test]
fn wait_for_rising_edge_waits_for_int_low_and_skips_other_events() {
    block_on(async {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            // first interrupt: B0 fell? no, B1 (not enabled) — status shows no B0 edge
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x00, 0x01]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low), PinTx::wait_for_state(State::Low)]);
        let mut mcp = ready(&i2c).await;
        mcp.wait_pin(&mut int, PinId::B0).wait_for_rising_edge().await.unwrap();
        i2c.done();
        int.done();
    });
}

#[test]
fn wait_for_high_returns_at_once_when_the_pin_is_high() {
    block_on(async {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            read(0x0E, &[0, 0]),
            read(0x0E, &[0, 0, 0, 0, 0x00, 0x01]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[]);
        let mut mcp = ready(&i2c).await;
        mcp.wait_pin(&mut int, PinId::B0).wait_for_high().await.unwrap();
        i2c.done();
        int.done();
    });
}

#[test]
fn wait_for_low_and_falling_and_any_edge() {
    block_on(async {
        let mut transactions = init_default(0x0100);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            // wait_for_low: B0 high now, then it falls
            read(0x0E, &[0, 0]),
            read(0x0E, &[0, 0, 0, 0, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
            // wait_for_rising then falling via any edge
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[
            PinTx::wait_for_state(State::Low),
            PinTx::wait_for_state(State::Low),
            PinTx::wait_for_state(State::Low),
        ]);
        let mut mcp = ready(&i2c).await;
        let mut pin = mcp.wait_pin(&mut int, PinId::B0);
        pin.wait_for_low().await.unwrap();
        pin.wait_for_any_edge().await.unwrap();
        pin.wait_for_falling_edge().await.unwrap();
        i2c.done();
        int.done();
    });
}

#[test]
fn an_active_high_int_is_awaited_high_and_a_kept_status_needs_no_wait() {
    block_on(async {
        let mut i2c = cold_mock(&[
            write(&[0x0A, 0x02, 0x02]),
            write(&[0x04, 0x01, 0x00]),
            read(0x08, &[0x00, 0x00]),
            // read_levels keeps a pending A0 rise
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x01, 0x00, 0x01, 0x00]),
            read(0x0E, &[0, 0]),
            read(0x0E, &[0, 0, 0, 0, 0x01, 0x00]),
            read(0x0E, &[0x01, 0x00]),
            read(0x0E, &[0x01, 0x00, 0x00, 0x00, 0x00, 0x00]),
        ]);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::High)]);
        let mut mcp = Mcp23017Async::new(i2c.clone(), Address::DEFAULT);
        mcp.set_config(Config {
            int_output: IntOutput::ActiveHigh,
            ..Config::default()
        })
        .await
        .unwrap();
        mcp.set_interrupt_enable(Pins::from(PinId::A0)).await.unwrap();
        assert!(mcp.read_levels().await.unwrap().contains_pin(PinId::A0));
        let status = mcp.wait_for_interrupt(&mut int).await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::A0));
        let status = mcp.wait_for_interrupt(&mut int).await.unwrap();
        assert_eq!(status.flagged, Pins::from(PinId::A0));
        i2c.done();
        int.done();
    });
}

#[test]
fn an_int_pin_error_is_reported() {
    block_on(async {
        let mut i2c = cold_mock(&[write(&[0x0A, 0x00, 0x00])]);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low)
            .with_error(embedded_hal_mock::eh1::MockError::Io(std::io::ErrorKind::Other))]);
        let mut mcp = Mcp23017Async::new(i2c.clone(), Address::DEFAULT);
        mcp.set_config(Config::default()).await.unwrap();
        assert_eq!(mcp.wait_for_interrupt(&mut int).await, Err(Error::InterruptPin));
        i2c.done();
        int.done();
    });
}

/// A wait on B0 while the driver already holds B0's rise (kept by `read_levels`): it returns without waiting for
/// the INT pin (the pin mock expects no wait).
#[test]
fn a_wait_uses_the_news_the_driver_holds_without_waiting_for_int() {
    block_on(async {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x01]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[]);
        let mut mcp = ready(&i2c).await;
        assert!(mcp.read_levels().await.unwrap().contains_pin(PinId::B0));
        mcp.wait_pin(&mut int, PinId::B0).wait_for_rising_edge().await.unwrap();
        assert!(!mcp.has_news());
        i2c.done();
        int.done();
    });
}

/// A wait for B0 low while B0 is high: an INT with nothing new (another chip on a shared open-drain INT line) must
/// not end it (the levels read say B0 is still high); B0's fall does.
#[test]
fn a_wait_for_low_is_not_ended_by_a_service_with_nothing_new() {
    block_on(async {
        let mut transactions = init_default(0x0100);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            // B0 high
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x01]),
            // INT active, nothing new
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x01]),
            // B0 fell
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low), PinTx::wait_for_state(State::Low)]);
        let mut mcp = ready(&i2c).await;
        mcp.wait_pin(&mut int, PinId::B0).wait_for_low().await.unwrap();
        i2c.done();
        int.done();
    });
}

/// A wait for B0 high ends on B0's pulse (flagged, captured high, low again when read): the edge says it was high.
#[test]
fn a_wait_for_high_ends_on_a_pulse_the_levels_no_longer_show() {
    block_on(async {
        let mut transactions = init_default(0);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x00]),
            read(0x0E, &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low)]);
        let mut mcp = ready(&i2c).await;
        mcp.wait_pin(&mut int, PinId::B0).wait_for_high().await.unwrap();
        i2c.done();
        int.done();
    });
}

/// A wait for any edge of B0 waits for INT and services it until B0 moves: here it fell.
#[test]
fn a_wait_for_any_edge_waits_for_the_edge() {
    block_on(async {
        let mut transactions = init_default(0x0100);
        transactions.extend([
            write(&[0x04, 0x00, 0x01]),
            read(0x0E, &[0x00, 0x01]),
            read(0x0E, &[0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
        ]);
        let mut i2c = mock(&transactions);
        let mut int = PinMock::new(&[PinTx::wait_for_state(State::Low)]);
        let mut mcp = ready(&i2c).await;
        mcp.wait_pin(&mut int, PinId::B0).wait_for_any_edge().await.unwrap();
        i2c.done();
        int.done();
    });
}
