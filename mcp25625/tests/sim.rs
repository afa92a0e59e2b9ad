//! Behaviour against the simulated chip and bus, sync and async through the same bodies, and the pinned bus
//! figures.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(Mcp25625(sync = "Mcp25625", async = "Mcp25625Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use mcp25625::sim::{CountingBus, FaultPoint, FaultyBus, Mcp25625Sim, SimBus, Traffic};
    use mcp25625::{ErrorState, Mcp25625};

    pub async fn two_nodes_exchange_frames() {
        let bus = SimBus::new();
        let mut a = Mcp25625::new(bus.node(0));
        let mut b = Mcp25625::new(bus.node(1));
        a.init(&config_500k(), &mut NoopDelay).await.unwrap();
        b.init(&config_500k(), &mut NoopDelay).await.unwrap();
        let ping = ext_frame(0x1234_5678, &[1, 2, 3, 4, 5, 6, 7, 8]);
        let pong = Frame::new_remote(StandardId::new(0x7FF).unwrap(), 2).unwrap();
        a.send(&ping).await.unwrap();
        assert_eq!(b.try_receive().await.unwrap(), Some(ping));
        b.send(&pong).await.unwrap();
        let got = a.try_receive().await.unwrap().unwrap();
        assert!(got.is_remote_frame() && got.is_standard() && got.dlc() == 2);
        assert_eq!(got, pong);
        assert_eq!(a.try_receive().await.unwrap(), None);
        assert_eq!(b.try_receive().await.unwrap(), None);
        // the sender's TXnIF is set; nothing was ever sent by writing TXREQ
        assert!(a.interrupt_flags().await.unwrap().contains(Interrupts::TX2));
        assert_eq!(bus.with_chip(0, |c| c.txreq_register_writes()), 0);
        assert_eq!(bus.with_chip(1, |c| c.frames_sent()), 1);
    }

    pub async fn loopback_returns_every_kind_of_frame() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k().mode(Mode::Loopback), &mut NoopDelay)
            .await
            .unwrap();
        let frames = [
            std_frame(0x123, &[0xAA, 0x55]),
            ext_frame(0x1FFF_FFFF, &[]),
            Frame::new_remote(StandardId::new(0x001).unwrap(), 8).unwrap(),
            Frame::new_remote(ExtendedId::new(0x0ABC_DEF0).unwrap(), 0).unwrap(),
        ];
        for frame in frames {
            can.send(&frame).await.unwrap();
            assert_eq!(can.try_receive().await.unwrap(), Some(frame));
        }
        let sim = can.release();
        assert_eq!(sim.sent().count(), 0);
        assert_eq!(sim.frames_sent(), 4);
    }

    pub async fn a_filter_drops_what_it_does_not_match() {
        let bus = SimBus::new();
        let mut a = Mcp25625::new(bus.node(0));
        let mut b = Mcp25625::new(bus.node(1));
        a.init(&config_500k(), &mut NoopDelay).await.unwrap();
        let config = config_500k().mode(Mode::Configuration).acceptance(Acceptance::Filtered);
        b.init(&config, &mut NoopDelay).await.unwrap();
        b.set_mask(MaskNumber::M0, Mask::standard(0x7FF)).await.unwrap();
        b.set_filter(FilterNumber::F0, Filter::standard(0x123)).await.unwrap();
        b.set_filter(FilterNumber::F1, Filter::standard(0x123)).await.unwrap();
        b.set_mask(MaskNumber::M1, Mask::extended(0x1FFF_FF00)).await.unwrap();
        for n in [FilterNumber::F2, FilterNumber::F3, FilterNumber::F4] {
            b.set_filter(n, Filter::Extended(0x0ABC_DE00)).await.unwrap();
        }
        b.set_filter(FilterNumber::F5, Filter::Extended(0x1000_0000))
            .await
            .unwrap();
        b.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        a.send(&std_frame(0x124, &[1])).await.unwrap();
        a.send(&std_frame(0x123, &[2])).await.unwrap();
        a.send(&ext_frame(0x0ABC_DE42, &[3])).await.unwrap();
        a.send(&ext_frame(0x0ABC_DF42, &[4])).await.unwrap();
        // an extended frame whose SID bits look like 0x123 does not pass a standard filter
        a.send(&ext_frame(0x123 << 18, &[5])).await.unwrap();
        assert_eq!(b.try_receive().await.unwrap(), Some(std_frame(0x123, &[2])));
        let status = b.rx_status().await.unwrap();
        assert!(status.rxb1 && !status.rxb0);
        assert_eq!(status.filter, 2);
        assert_eq!(b.try_receive().await.unwrap(), Some(ext_frame(0x0ABC_DE42, &[3])));
        assert_eq!(b.try_receive().await.unwrap(), None);
        // the dropped frames were still acknowledged: the sender sent all five
        assert_eq!(bus.with_chip(0, |c| c.frames_sent()), 5);
    }

    pub async fn standard_filters_can_look_at_two_data_bytes() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        let config = config_500k().mode(Mode::Configuration).acceptance(Acceptance::Filtered);
        can.init(&config, &mut NoopDelay).await.unwrap();
        can.set_mask(MaskNumber::M0, Mask(0x1FFC_FF00)).await.unwrap();
        let filter = Filter::Standard {
            id: 0x200,
            data: [0x42, 0x00],
        };
        can.set_filter(FilterNumber::F0, filter).await.unwrap();
        can.set_filter(FilterNumber::F1, filter).await.unwrap();
        can.set_mask(MaskNumber::M1, Mask::extended(0x1FFF_FFFF)).await.unwrap();
        for n in [FilterNumber::F2, FilterNumber::F3, FilterNumber::F4, FilterNumber::F5] {
            can.set_filter(n, Filter::Extended(0)).await.unwrap();
        }
        can.set_mode(Mode::Loopback, &mut NoopDelay).await.unwrap();
        can.send(&std_frame(0x200, &[0x41, 9])).await.unwrap();
        can.send(&std_frame(0x200, &[0x42, 9])).await.unwrap();
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(0x200, &[0x42, 9])));
        assert_eq!(can.try_receive().await.unwrap(), None);
    }

    pub async fn rollover_keeps_order_and_overflow_is_reported_and_cleared() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k().mode(Mode::Loopback), &mut NoopDelay)
            .await
            .unwrap();
        for n in 1..=3u8 {
            can.send(&std_frame(u16::from(n), &[n])).await.unwrap();
        }
        let report = can.service_errors().await.unwrap();
        assert!(report.flags.rx1_overflow());
        assert!(report.interrupts.contains(Interrupts::ERROR));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(1, &[1])));
        assert_eq!(can.try_receive().await.unwrap(), Some(std_frame(2, &[2])));
        assert_eq!(can.try_receive().await.unwrap(), None);
        assert!(!can.error_flags().await.unwrap().overflow());
        assert!(!can.interrupt_flags().await.unwrap().contains(Interrupts::ERROR));
        // without rollover a second frame overflows RXB0
        can.set_acceptance(Acceptance::All, false).await.unwrap();
        can.send(&std_frame(4, &[])).await.unwrap();
        can.send(&std_frame(5, &[])).await.unwrap();
        assert!(can.error_flags().await.unwrap().rx0_overflow());
    }

    pub async fn equal_priority_frames_leave_in_order() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k().mode(Mode::Configuration), &mut NoopDelay)
            .await
            .unwrap();
        let frames = [std_frame(0x300, &[1]), std_frame(0x300, &[2]), std_frame(0x300, &[3])];
        for frame in &frames {
            assert!(can.try_send(frame).await.unwrap().is_some());
        }
        assert_eq!(can.try_send(&frames[0]).await.unwrap(), None);
        // entering normal mode lets the chip send them: TXB2, TXB1, TXB0
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        let sim = can.release();
        assert_eq!(sim.sent().count(), frames.len());
        for (sent, frame) in sim.sent().zip(&frames) {
            assert_eq!(sent, frame);
        }
    }

    pub async fn higher_priority_goes_first() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k().mode(Mode::Configuration), &mut NoopDelay)
            .await
            .unwrap();
        let low = std_frame(0x1, &[1]);
        let high = std_frame(0x2, &[2]);
        can.try_send_with_priority(&low, TxPriority::Low).await.unwrap();
        can.try_send_with_priority(&high, TxPriority::Highest).await.unwrap();
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        let sim = can.release();
        assert_eq!(sim.sent().count(), 2);
        for (sent, frame) in sim.sent().zip(&[high, low]) {
            assert_eq!(sent, frame);
        }
    }

    pub async fn configuration_mode_aborts_pending_frames() {
        let mut sim = Mcp25625Sim::new();
        sim.set_acknowledged(false);
        let mut can = Mcp25625::new(sim);
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        assert_eq!(can.try_send(&std_frame(7, &[])).await.unwrap(), Some(TxBuffer::B2));
        let state = can.tx_state(TxBuffer::B2).await.unwrap();
        assert!(state.pending() && state.error());
        can.set_mode(Mode::Configuration, &mut NoopDelay).await.unwrap();
        let state = can.tx_state(TxBuffer::B2).await.unwrap();
        assert!(!state.pending() && state.aborted());
        // entering configuration mode cleared the error counters
        assert_eq!(can.error_counters().await.unwrap(), mcp25625::ErrorCounters::default());
        // a frame queued in configuration mode is not aborted by the ABAT of the mode change
        can.try_send(&std_frame(8, &[])).await.unwrap();
        assert!(can.tx_state(TxBuffer::B2).await.unwrap().pending());
    }

    pub async fn abort_and_one_shot() {
        let mut sim = Mcp25625Sim::new();
        sim.set_acknowledged(false);
        let mut can = Mcp25625::new(sim);
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        can.try_send(&std_frame(7, &[])).await.unwrap();
        can.abort(TxBuffer::B2).await.unwrap();
        assert!(can.tx_state(TxBuffer::B2).await.unwrap().aborted());
        can.try_send(&std_frame(8, &[])).await.unwrap();
        can.abort_all().await.unwrap();
        assert!(!can.status().await.unwrap().tx_requested(TxBuffer::B2));
        can.set_one_shot(true).await.unwrap();
        can.try_send(&std_frame(9, &[])).await.unwrap();
        let state = can.tx_state(TxBuffer::B2).await.unwrap();
        assert!(!state.pending() && state.error());
        assert!(can.interrupt_flags().await.unwrap().contains(Interrupts::MESSAGE_ERROR));
    }

    pub async fn bus_off_and_recovery() {
        let bus = SimBus::new();
        let mut a = Mcp25625::new(bus.node(0));
        let mut b = Mcp25625::new(bus.node(1));
        a.init(&config_500k(), &mut NoopDelay).await.unwrap();
        b.init(&config_500k(), &mut NoopDelay).await.unwrap();
        bus.set_fault(true);
        a.try_send(&std_frame(0x10, &[1])).await.unwrap();
        let report = a.service_errors().await.unwrap();
        assert_eq!(report.flags.state(), ErrorState::BusOff);
        assert!(bus.with_chip(0, |c| c.transmit_errors()) > 255);
        assert_eq!(a.error_counters().await.unwrap().transmit, 255);
        bus.set_fault(false);
        bus.idle(127);
        assert_eq!(a.error_flags().await.unwrap().state(), ErrorState::BusOff);
        bus.idle(1);
        assert_eq!(a.error_flags().await.unwrap().state(), ErrorState::Active);
        // the pending frame went out after recovery
        assert_eq!(b.try_receive().await.unwrap(), Some(std_frame(0x10, &[1])));
    }

    pub async fn sleeping_node_wakes_on_bus_activity() {
        let bus = SimBus::new();
        let mut a = Mcp25625::new(bus.node(0));
        let mut b = Mcp25625::new(bus.node(1));
        a.init(&config_500k(), &mut NoopDelay).await.unwrap();
        let interrupts = Interrupts::RX0 | Interrupts::RX1 | Interrupts::WAKE_UP;
        b.init(&config_500k().interrupts(interrupts), &mut NoopDelay)
            .await
            .unwrap();
        b.sleep(&mut NoopDelay).await.unwrap();
        assert_eq!(bus.with_chip(1, |c| c.mode()), Some(Mode::Sleep));
        a.try_send(&std_frame(0x55, &[])).await.unwrap();
        assert_eq!(bus.with_chip(1, |c| c.mode()), Some(Mode::ListenOnly));
        assert!(bus.with_chip(1, |c| c.interrupt_pending()));
        b.wake(Mode::Normal, &mut NoopDelay).await.unwrap();
        assert_eq!(bus.with_chip(1, |c| c.mode()), Some(Mode::Normal));
        assert!(!b.interrupt_flags().await.unwrap().contains(Interrupts::WAKE_UP));
        // the waking frame is lost; a's retries reach b once it listens again
        assert_eq!(b.try_receive().await.unwrap(), Some(std_frame(0x55, &[])));
    }

    pub async fn wake_by_spi_and_mode_timeout() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        can.sleep(&mut NoopDelay).await.unwrap();
        // a sleeping chip ignores plain mode requests
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(30));
        can.wake(Mode::Loopback, &mut NoopDelay).await.unwrap();
        assert_eq!(can.read_mode().await.unwrap().0, Some(Mode::Loopback));
        let mut sim = can.release();
        sim.refuse_mode_changes(true);
        let mut can = Mcp25625::new(sim);
        let result = can.set_mode(Mode::Normal, &mut NoopDelay).await;
        assert_eq!(
            result,
            Err(Error::ModeTimeout {
                requested: Mode::Normal,
                current: Some(Mode::Loopback)
            })
        );
    }

    pub async fn settings_reach_the_chip() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        let mut config = config_500k().mode(Mode::Configuration);
        config.clock_out = ClockOut::Divide4;
        can.init(&config, &mut NoopDelay).await.unwrap();
        assert_eq!(
            can.bit_timing().await.unwrap(),
            BitTiming::new(16.MHz(), 500.kHz()).unwrap()
        );
        can.set_wake_filter(true).await.unwrap();
        can.set_clock_out(ClockOut::StartOfFrame).await.unwrap();
        can.set_rx_pin(RxBuffer::B1, RxPinMode::BufferFull).await.unwrap();
        can.set_tx_pins([TxPinMode::RequestToSend; 3]).await.unwrap();
        let timing = BitTiming::new(16.MHz(), 1000.kHz()).unwrap();
        can.set_bit_timing(timing).await.unwrap();
        let sim = can.release();
        assert_eq!(sim.register(0x0F) & 0x07, 0x04);
        assert_eq!(sim.register(0x28), 0xC0 | timing.cnf()[2]);
        assert_eq!(sim.register(0x0C), 0x0A);
        assert_eq!(sim.register(0x0D), 0x38 | 0x07); // pins pulled high, all in request-to-send mode
                                                     // CANCTRL answers in every row
        assert_eq!(sim.register(0x3F), sim.register(0x0F));
    }

    pub async fn rx_and_tx_pins_work() {
        let mut can = Mcp25625::new(Mcp25625Sim::new());
        can.init(&config_500k().mode(Mode::Configuration), &mut NoopDelay)
            .await
            .unwrap();
        can.set_tx_pins([TxPinMode::RequestToSend, TxPinMode::Input, TxPinMode::Input])
            .await
            .unwrap();
        assert_eq!(can.tx_pin_levels().await.unwrap(), [true, true, true]);
        can.set_rx_pin(RxBuffer::B0, RxPinMode::BufferFull).await.unwrap();
        can.set_rx_pin(RxBuffer::B1, RxPinMode::Output(false)).await.unwrap();
        can.set_mode(Mode::Loopback, &mut NoopDelay).await.unwrap();
        // load TXB0 without requesting it, then pull TX0RTS low
        can.modify_raw(0x30, 0x03, 0x00).await.unwrap();
        let mut sim = can.release();
        assert_eq!(sim.rx_pin_high(0), Some(true));
        assert_eq!(sim.rx_pin_high(1), Some(false));
        sim.drive_tx_pin(1, false);
        sim.drive_tx_pin(0, false);
        assert_eq!(sim.rx_pin_high(0), Some(false));
        let mut can = Mcp25625::new(sim);
        assert_eq!(can.tx_pin_levels().await.unwrap(), [false, false, true]);
        assert!(can.try_receive().await.unwrap().is_some());
        let sim = can.release();
        assert_eq!(sim.rx_pin_high(0), Some(true));
        assert_eq!(sim.frames_sent(), 1);
        assert_eq!(sim.txreq_register_writes(), 0);
    }

    pub async fn pinned_bus_figures() {
        let mut can = Mcp25625::new(CountingBus::new(Mcp25625Sim::new()));
        // the traffic since the last look, read through the driver that owns the counting bus
        macro_rules! take {
            () => {{
                let traffic = can.bus().traffic();
                can.bus_mut().reset_traffic();
                traffic
            }};
        }
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        assert_eq!(
            take!(),
            Traffic {
                frames: 6,
                bytes: 1 + 4 + 6 + 3 + 3 + 3
            }
        );
        can.set_mode(Mode::Loopback, &mut NoopDelay).await.unwrap();
        take!();
        let frame = ext_frame(0x1234_5678, &[1, 2, 3, 4, 5, 6, 7, 8]);
        can.send(&frame).await.unwrap();
        assert_eq!(
            take!(),
            Traffic {
                frames: 3,
                bytes: 2 + 14 + 1
            }
        );
        // READ STATUS, READ of RXB0, BIT MODIFY of RX0IF, READ STATUS (did a frame roll over meanwhile?)
        assert_eq!(can.try_receive().await.unwrap(), Some(frame));
        assert_eq!(
            take!(),
            Traffic {
                frames: 4,
                bytes: 2 + 15 + 4 + 2
            }
        );
        // the opt-in READ RX BUFFER form: the buffer is freed as CS rises
        can.set_receive_method(ReceiveMethod::ReadRxBuffer);
        can.send(&frame).await.unwrap();
        take!();
        assert_eq!(can.try_receive().await.unwrap(), Some(frame));
        assert_eq!(
            take!(),
            Traffic {
                frames: 3,
                bytes: 2 + 14 + 2
            }
        );
        // without rollover, no second status read
        can.set_acceptance(Acceptance::All, false).await.unwrap();
        can.send(&frame).await.unwrap();
        take!();
        assert_eq!(can.try_receive().await.unwrap(), Some(frame));
        assert_eq!(
            take!(),
            Traffic {
                frames: 2,
                bytes: 2 + 14
            }
        );
    }

    pub async fn a_failed_transaction_is_reported_and_a_retry_lands() {
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(1)] {
            let mut can = Mcp25625::new(FaultyBus::new(Mcp25625Sim::new()));
            can.init(&config_500k().mode(Mode::Configuration), &mut NoopDelay)
                .await
                .unwrap();
            can.bus_mut().fail_nth(0, point);
            assert!(can.set_mode(Mode::Loopback, &mut NoopDelay).await.is_err(), "{point:?}");
            // called again, the call lands as if the first had never been made
            can.set_mode(Mode::Loopback, &mut NoopDelay).await.unwrap();
            assert_eq!(can.bus().inner().mode(), Some(Mode::Loopback), "{point:?}");
            // a frame whose first transaction never reached the chip is not sent; sent again, it arrives once
            let frame = std_frame(0x123, &[1, 2, 3]);
            can.bus_mut().fail_nth(0, FaultPoint::BeforeChip);
            assert!(can.send(&frame).await.is_err());
            can.send(&frame).await.unwrap();
            assert_eq!(can.try_receive().await.unwrap(), Some(frame));
            assert_eq!(can.try_receive().await.unwrap(), None);
            assert_eq!(can.bus().faults(), 2);
        }
    }
}

both!(
    two_nodes_exchange_frames,
    loopback_returns_every_kind_of_frame,
    a_filter_drops_what_it_does_not_match,
    standard_filters_can_look_at_two_data_bytes,
    rollover_keeps_order_and_overflow_is_reported_and_cleared,
    equal_priority_frames_leave_in_order,
    higher_priority_goes_first,
    configuration_mode_aborts_pending_frames,
    abort_and_one_shot,
    bus_off_and_recovery,
    sleeping_node_wakes_on_bus_activity,
    wake_by_spi_and_mode_timeout,
    settings_reach_the_chip,
    rx_and_tx_pins_work,
    pinned_bus_figures,
    a_failed_transaction_is_reported_and_a_retry_lands,
);
