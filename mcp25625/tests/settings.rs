//! Filters, masks, interrupts, errors, pins, clock output, bit timing, status: exact bytes, sync and async
//! through the same bodies.
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

    pub async fn filters_and_masks_in_configuration_mode() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x00, 0x24, 0x60, 0x00, 0x00]),
            w(&[0x02, 0x18, 0x91, 0xA8, 0x56, 0x78]),
            w(&[0x02, 0x14, 0xFF, 0xE0, 0x12, 0x34]),
            w(&[0x02, 0x20, 0xFF, 0xE0, 0x00, 0x00]),
            w(&[0x02, 0x24, 0xFF, 0xE3, 0xFF, 0xFF]),
            w(&[0x02, 0x60, 0x04]),
            w(&[0x02, 0x70, 0x00]),
            w(&[0x02, 0x60, 0x60]),
            w(&[0x02, 0x70, 0x60]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_filter(FilterNumber::F0, Filter::standard(0x123)).await.unwrap();
        can.set_filter(FilterNumber::F5, Filter::Extended(0x1234_5678))
            .await
            .unwrap();
        let with_data = Filter::Standard {
            id: 0x7FF,
            data: [0x12, 0x34],
        };
        can.set_filter(FilterNumber::F4, with_data).await.unwrap();
        can.set_mask(MaskNumber::M0, Mask::standard(0x7FF)).await.unwrap();
        can.set_mask(MaskNumber::M1, Mask::extended(0x1FFF_FFFF)).await.unwrap();
        can.set_acceptance(Acceptance::Filtered, true).await.unwrap();
        can.set_acceptance(Acceptance::All, false).await.unwrap();
        spi.done();
    }

    pub async fn configuration_only_settings_refuse_other_modes_without_traffic() {
        let mut spi = after_reset(&[w(&[0x02, 0x0F, 0x07]), r(&[0x03, 0x0E], &[0x00])]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        let refused = Err(Error::Argument(ArgumentError::NotInConfigurationMode));
        assert_eq!(can.set_filter(FilterNumber::F0, Filter::standard(1)).await, refused);
        assert_eq!(can.set_mask(MaskNumber::M0, Mask::ACCEPT_ALL).await, refused);
        let timing = BitTiming::new(16.MHz(), 500.kHz()).unwrap();
        assert_eq!(can.set_bit_timing(timing).await, refused);
        assert_eq!(can.set_tx_pins([TxPinMode::Input; 3]).await, refused);
        assert_eq!(can.set_wake_filter(true).await, refused);
        assert_eq!(can.set_clock_out(ClockOut::StartOfFrame).await, refused);
        spi.done();
    }

    pub async fn bit_timing_written_and_read_back() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x28, 0x02, 0xBF, 0x01]),
            r(&[0x03, 0x28], &[0x02, 0xBF, 0x01]),
            r(&[0x03, 0x28], &[0x80, 0x80, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        let timing = BitTiming::new(20.MHz(), 250.kHz()).unwrap();
        can.set_bit_timing(timing).await.unwrap();
        assert_eq!(can.bit_timing().await.unwrap(), timing);
        assert_eq!(
            can.bit_timing().await,
            Err(Error::Argument(ArgumentError::BitTiming(
                BitTimingError::SegmentOutOfRange
            )))
        );
        spi.done();
    }

    pub async fn clock_out_one_shot_and_wake_filter() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x0F, 0x80 | 0x08 | 0x07]),
            w(&[0x05, 0x28, 0x80, 0x80]),
            w(&[0x02, 0x0F, 0x80 | 0x08 | 0x04]),
            w(&[0x05, 0x28, 0x80, 0x00]),
            w(&[0x02, 0x0F, 0x80 | 0x08 | 0x05]),
            w(&[0x02, 0x0F, 0x80 | 0x08]),
            w(&[0x02, 0x0F, 0x80]),
            w(&[0x05, 0x28, 0x40, 0x40]),
            // CNF3 written later keeps WAKFIL
            w(&[0x02, 0x28, 0x41, 0xB5, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_one_shot(true).await.unwrap();
        can.set_clock_out(ClockOut::StartOfFrame).await.unwrap();
        can.set_clock_out(ClockOut::Divide2).await.unwrap();
        can.set_clock_out(ClockOut::Disabled).await.unwrap();
        can.set_one_shot(false).await.unwrap();
        can.set_wake_filter(true).await.unwrap();
        can.set_bit_timing(BitTiming::new(16.MHz(), 500.kHz()).unwrap())
            .await
            .unwrap();
        spi.done();
    }

    pub async fn interrupts_and_errors() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x2B, 0xA3]),
            r(&[0x03, 0x2C], &[0x21]),
            w(&[0x05, 0x2C, 0x04, 0x00]),
            r(&[0x03, 0x2D], &[0x15]),
            r(&[0x03, 0x1C], &[0x88, 0x02]),
            // service: overflow and ERRIF/MERRF cleared
            r(&[0x03, 0x2C], &[0xA1, 0x40]),
            w(&[0x05, 0x2D, 0x40, 0x00]),
            w(&[0x05, 0x2C, 0xA0, 0x00]),
            // service with nothing to clear: one read only
            r(&[0x03, 0x2C], &[0x01, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        let interrupts = Interrupts::MESSAGE_ERROR | Interrupts::ERROR | Interrupts::RX0 | Interrupts::RX1;
        can.set_interrupts(interrupts).await.unwrap();
        assert_eq!(can.interrupts(), Some(interrupts));
        let flags = can.interrupt_flags().await.unwrap();
        assert!(flags.contains(Interrupts::ERROR | Interrupts::RX0) && !flags.contains(Interrupts::TX0));
        can.clear_interrupts(Interrupts::TX0).await.unwrap();
        let eflg = can.error_flags().await.unwrap();
        assert!(eflg.tx_passive() && eflg.tx_warning() && !eflg.bus_off());
        assert_eq!(eflg.state(), mcp25625::ErrorState::Passive);
        let counters = can.error_counters().await.unwrap();
        assert_eq!((counters.transmit, counters.receive), (0x88, 2));
        let report = can.service_errors().await.unwrap();
        assert!(report.flags.rx0_overflow() && report.flags.overflow() && !report.flags.rx1_overflow());
        assert!(report.interrupts.contains(Interrupts::MESSAGE_ERROR));
        let report = can.service_errors().await.unwrap();
        assert!(!report.flags.overflow());
        spi.done();
    }

    pub async fn status_instructions() {
        let mut spi = mock(&[r(&[0xA0], &[0x49]), r(&[0xB0], &[0x4A])]);
        let mut can = Mcp25625::new(spi.clone());
        let status = can.status().await.unwrap();
        assert!(status.rx_pending(RxBuffer::B0) && status.tx_requested(TxBuffer::B2));
        assert!(status.tx_done(TxBuffer::B0) && !status.tx_done(TxBuffer::B1));
        let rx = can.rx_status().await.unwrap();
        assert!(rx.rxb0 && !rx.rxb1);
        assert_eq!((rx.kind, rx.filter), (mcp25625::FrameKind::StandardRemote, 2));
        spi.done();
    }

    pub async fn pins() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x0C, 0x05]),
            w(&[0x02, 0x0C, 0x2D]),
            w(&[0x02, 0x0C, 0x2C]),
            w(&[0x02, 0x0C, 0x28]),
            w(&[0x02, 0x0C, 0x00]),
            w(&[0x02, 0x0D, 0x05]),
            r(&[0x03, 0x0D], &[0x28]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_rx_pin(RxBuffer::B0, RxPinMode::BufferFull).await.unwrap();
        can.set_rx_pin(RxBuffer::B1, RxPinMode::Output(true)).await.unwrap();
        can.set_rx_pin(RxBuffer::B0, RxPinMode::Output(false)).await.unwrap();
        can.set_rx_pin(RxBuffer::B0, RxPinMode::Disabled).await.unwrap();
        can.set_rx_pin(RxBuffer::B1, RxPinMode::Disabled).await.unwrap();
        let rts = TxPinMode::RequestToSend;
        can.set_tx_pins([rts, TxPinMode::Input, rts]).await.unwrap();
        assert_eq!(can.tx_pin_levels().await.unwrap(), [true, false, true]);
        spi.done();
    }

    pub async fn raw_access() {
        let mut spi = mock(&[r(&[0x03, 0x60], &[0x64, 0x24]), w(&[0x05, 0x60, 0x04, 0x00])]);
        let mut can = Mcp25625::new(spi.clone());
        let mut regs = [0u8; 2];
        can.read_raw(0x60, &mut regs).await.unwrap();
        assert_eq!(regs, [0x64, 0x24]);
        can.modify_raw(0x60, 0x04, 0x00).await.unwrap();
        spi.done();
    }

    pub async fn bus_errors_are_reported() {
        let mut can = Mcp25625::new(FailingSpi);
        let bus = Error::Bus(ErrorKind::Other);
        assert_eq!(can.set_filter(FilterNumber::F0, Filter::standard(1)).await, Err(bus));
        assert_eq!(can.set_mask(MaskNumber::M0, Mask::ACCEPT_ALL).await, Err(bus));
        assert_eq!(can.set_acceptance(Acceptance::All, true).await, Err(bus));
        let timing = BitTiming::new(16.MHz(), 500.kHz()).unwrap();
        assert_eq!(can.set_bit_timing(timing).await, Err(bus));
        assert_eq!(can.bit_timing().await, Err(bus));
        assert_eq!(can.set_one_shot(true).await, Err(bus));
        assert_eq!(can.set_clock_out(ClockOut::StartOfFrame).await, Err(bus));
        assert_eq!(can.set_wake_filter(true).await, Err(bus));
        assert_eq!(can.set_interrupts(Interrupts::all()).await, Err(bus));
        assert_eq!(can.interrupts(), None);
        assert_eq!(can.interrupt_flags().await, Err(bus));
        assert_eq!(can.clear_interrupts(Interrupts::all()).await, Err(bus));
        assert_eq!(can.error_flags().await, Err(bus));
        assert_eq!(can.error_counters().await, Err(bus));
        assert_eq!(can.service_errors().await, Err(bus));
        assert_eq!(can.status().await, Err(bus));
        assert_eq!(can.rx_status().await, Err(bus));
        assert_eq!(can.set_rx_pin(RxBuffer::B0, RxPinMode::BufferFull).await, Err(bus));
        assert_eq!(can.set_tx_pins([TxPinMode::Input; 3]).await, Err(bus));
        assert_eq!(can.tx_pin_levels().await, Err(bus));
        assert_eq!(can.read_raw(0, &mut [0]).await, Err(bus));
        assert_eq!(can.modify_raw(0x60, 1, 1).await, Err(bus));
    }

    /// CNF3's SOF (bit 7) and WAKFIL (bit 6) as `bit_timing` read them back go into the next CNF3 write, and
    /// the PHSEG2 bits of that read do not.
    pub async fn flags_read_back_by_bit_timing_stay_in_the_next_timing_write() {
        let mut spi = after_reset(&[
            // SOF set, PS2 = 2 TQ (16 MHz, 500 kbit/s)
            r(&[0x03, 0x28], &[0x81, 0xB5, 0x00]),
            // 20 MHz, 250 kbit/s: CNF3 PS2 = 3 TQ, with SOF
            w(&[0x02, 0x28, 0x82, 0xBF, 0x01]),
            // WAKFIL set
            r(&[0x03, 0x28], &[0x41, 0xB5, 0x00]),
            w(&[0x02, 0x28, 0x42, 0xBF, 0x01]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        let fast = BitTiming::new(16.MHz(), 500.kHz()).unwrap();
        let slow = BitTiming::new(20.MHz(), 250.kHz()).unwrap();
        assert_eq!(can.bit_timing().await.unwrap(), fast);
        can.set_bit_timing(slow).await.unwrap();
        assert_eq!(can.bit_timing().await.unwrap(), fast);
        can.set_bit_timing(slow).await.unwrap();
        spi.done();
    }

    /// Turning the wake filter on keeps the start-of-frame output: the next CNF3 write carries SOF and WAKFIL.
    pub async fn the_wake_filter_keeps_start_of_frame() {
        let mut spi = after_reset(&[
            w(&[0x05, 0x28, 0x80, 0x80]),
            // REQOP configuration, CLKEN
            w(&[0x02, 0x0F, 0x80 | 0x04]),
            w(&[0x05, 0x28, 0x40, 0x40]),
            w(&[0x02, 0x28, 0xC1, 0xB5, 0x00]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_clock_out(ClockOut::StartOfFrame).await.unwrap();
        can.set_wake_filter(true).await.unwrap();
        can.set_bit_timing(BitTiming::new(16.MHz(), 500.kHz()).unwrap())
            .await
            .unwrap();
        spi.done();
    }

    /// Each TXnRTS level is its own bit of TXRTSCTRL (bits 3, 4, 5); the other bits say nothing.
    pub async fn tx_pin_levels_bit_by_bit() {
        let mut spi = mock(&[
            r(&[0x03, 0x0D], &[0x08]),
            r(&[0x03, 0x0D], &[0x10]),
            r(&[0x03, 0x0D], &[0x20]),
            r(&[0x03, 0x0D], &[0xC7]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        assert_eq!(can.tx_pin_levels().await.unwrap(), [true, false, false]);
        assert_eq!(can.tx_pin_levels().await.unwrap(), [false, true, false]);
        assert_eq!(can.tx_pin_levels().await.unwrap(), [false, false, true]);
        assert_eq!(can.tx_pin_levels().await.unwrap(), [false, false, false]);
        spi.done();
    }
}

both!(
    filters_and_masks_in_configuration_mode,
    configuration_only_settings_refuse_other_modes_without_traffic,
    bit_timing_written_and_read_back,
    clock_out_one_shot_and_wake_filter,
    interrupts_and_errors,
    status_instructions,
    pins,
    raw_access,
    bus_errors_are_reported,
    flags_read_back_by_bit_timing_stay_in_the_next_timing_write,
    the_wake_filter_keeps_start_of_frame,
    tx_pin_levels_bit_by_bit,
);
