//! Reset, detection, initialisation, modes, sleep and wake with the standby pin: exact bytes, sync and async
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

    pub async fn reset_detects_the_chip() {
        let mut spi = mock(&reset_frames());
        let mut delay = CheckedDelay::new(&[Delay::delay_us(2000)]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut delay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Configuration));
        spi.done();
        delay.done();
    }

    pub async fn reset_reports_a_missing_chip() {
        for answer in [[0xFF, 0xFF], [0x00, 0x00], [0x80, 0x97], [0x00, 0x87]] {
            let mut spi = mock(&[w(&[0xC0]), r(&[0x03, 0x0E], &answer)]);
            let mut can = Mcp25625::new(spi.clone());
            let result = can.reset(&mut NoopDelay).await;
            assert_eq!(
                result,
                Err(Error::NotDetected {
                    canstat: answer[0],
                    canctrl: answer[1]
                })
            );
            spi.done();
        }
    }

    pub async fn init_at_500k_takes_six_frames() {
        let mut frames = reset_frames();
        frames.extend([
            w(&[0x02, 0x28, 0x01, 0xB5, 0x00, 0x03]),
            w(&[0x02, 0x60, 0x64]),
            w(&[0x02, 0x0F, 0x00]),
            r(&[0x03, 0x0E], &[0x00]),
        ]);
        let mut spi = mock(&frames);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(2000)]);
        let mut can = Mcp25625::new(spi.clone());
        can.init(&config_500k(), &mut delay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Normal));
        assert_eq!(can.interrupts(), Some(Interrupts::RX0 | Interrupts::RX1));
        spi.done();
        delay.done();
    }

    pub async fn init_with_every_option() {
        let mut config = config_500k()
            .mode(Mode::Loopback)
            .acceptance(Acceptance::Filtered)
            .interrupts(Interrupts::all());
        config.rollover = false;
        config.one_shot = true;
        config.clock_out = ClockOut::StartOfFrame;
        config.wake_filter = true;
        config.bit_timing = config.bit_timing.with_triple_sampling(true);
        let mut frames = reset_frames();
        frames.extend([
            // CNF3 with SOF and WAKFIL, CNF2 with SAM; RXB0CTRL keeps its reset value: no write
            w(&[0x02, 0x28, 0xC1, 0xF5, 0x00, 0xFF]),
            w(&[0x02, 0x0F, 0x40 | 0x08 | 0x04]),
            r(&[0x03, 0x0E], &[0x40]),
        ]);
        let mut spi = mock(&frames);
        let mut can = Mcp25625::new(spi.clone());
        can.init(&config, &mut NoopDelay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Loopback));
        spi.done();
    }

    pub async fn init_staying_in_configuration_sends_no_mode_request() {
        let mut frames = reset_frames();
        frames.extend([w(&[0x02, 0x28, 0x01, 0xB5, 0x00, 0x03]), w(&[0x02, 0x60, 0x64])]);
        let mut config = config_500k().mode(Mode::Configuration);
        config.clock_out = ClockOut::Divide8;
        let mut spi = mock(&frames);
        let mut can = Mcp25625::new(spi.clone());
        can.init(&config, &mut NoopDelay).await.unwrap();
        spi.done();
    }

    pub async fn mode_change_polls_canstat_until_it_agrees() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x0F, 0x60 | 0x07]),
            r(&[0x03, 0x0E], &[0x80]),
            r(&[0x03, 0x0E], &[0x60]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(10)]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_mode(Mode::ListenOnly, &mut delay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::ListenOnly));
        spi.done();
        delay.done();
    }

    pub async fn mode_change_times_out() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x0F, 0x07]),
            r(&[0x03, 0x0E], &[0x80]),
            r(&[0x03, 0x0E], &[0xE0]),
        ]);
        // each CANSTAT read is charged 4 µs (3 bytes + 1): 4 + 10 + 4, and no time is left for a wait and
        // another read within 20 µs
        let mut delay = CheckedDelay::new(&[Delay::delay_us(10)]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_mode_timeout(fugit::MicrosDurationU32::micros(20));
        let result = can.set_mode(Mode::Normal, &mut delay).await;
        assert_eq!(
            result,
            Err(Error::ModeTimeout {
                requested: Mode::Normal,
                current: None
            })
        );
        spi.done();
        delay.done();
    }

    pub async fn configuration_aborts_pending_frames_in_the_same_write() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x0F, 0x80 | 0x10 | 0x07]),
            r(&[0x03, 0x0E], &[0x80]),
            r(&[0x03, 0x0E], &[0x8C]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_mode(Mode::Configuration, &mut NoopDelay).await.unwrap();
        let (mode, code) = can.read_mode().await.unwrap();
        assert_eq!((mode, code), (Some(Mode::Configuration), mcp25625::InterruptCode::Rx0));
        spi.done();
    }

    pub async fn the_first_send_after_configuration_clears_abat() {
        let mut spi = after_reset(&[
            w(&[0x02, 0x0F, 0x80 | 0x10 | 0x07]),
            r(&[0x03, 0x0E], &[0x80]),
            r(&[0xA0], &[0x00]),
            w(&[0x02, 0x0F, 0x80 | 0x07]),
            w(&[0x44, 0x00, 0x20, 0x00, 0x00, 0x00]),
            w(&[0x84]),
            r(&[0xA0], &[0x40]),
            w(&[0x42, 0x00, 0x20, 0x00, 0x00, 0x00]),
            w(&[0x82]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        can.set_mode(Mode::Configuration, &mut NoopDelay).await.unwrap();
        let frame = std_frame(1, &[]);
        assert_eq!(can.try_send(&frame).await.unwrap(), Some(TxBuffer::B2));
        assert_eq!(can.try_send(&frame).await.unwrap(), Some(TxBuffer::B1));
        spi.done();
    }

    pub async fn sleep_then_standby_and_wake_in_the_right_order() {
        let mut frames = reset_frames();
        frames.extend([
            w(&[0x02, 0x28, 0x01, 0xB5, 0x00, 0x03]),
            w(&[0x02, 0x60, 0x64]),
            w(&[0x02, 0x0F, 0x00]),
            r(&[0x03, 0x0E], &[0x00]),
            // sleep: abort + REQOP 001, confirmed, then STBY high
            w(&[0x02, 0x0F, 0x30]),
            r(&[0x03, 0x0E], &[0x20]),
            // wake: WAKIE, WAKIF, wait, STBY low, normal, WAKIF cleared, WAKIE restored
            w(&[0x05, 0x2B, 0x40, 0x40]),
            w(&[0x05, 0x2C, 0x40, 0x40]),
            w(&[0x02, 0x0F, 0x00]),
            r(&[0x03, 0x0E], &[0x00]),
            w(&[0x05, 0x2C, 0x40, 0x00]),
            w(&[0x05, 0x2B, 0x40, 0x00]),
        ]);
        let mut spi = mock(&frames);
        let mut pin = PinMock::new(&[Pin::set(State::Low), Pin::set(State::High), Pin::set(State::Low)]);
        let mut can = Mcp25625::with_standby(spi.clone(), pin.clone(), mcp25625::StandbyLevel::High);
        can.init(&config_500k(), &mut NoopDelay).await.unwrap();
        can.sleep(&mut NoopDelay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Sleep));
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Normal));
        assert_eq!(
            can.wake(Mode::Sleep, &mut NoopDelay).await,
            Err(ArgumentError::WrongMode.into())
        );
        let (_, standby) = can.release_with_standby();
        assert!(standby.is_some());
        spi.done();
        pin.done();
    }

    pub async fn a_failed_wake_is_finished_by_the_next_mode_change() {
        let mut frames = reset_frames();
        frames.extend([
            // sleep, confirmed
            w(&[0x02, 0x0F, 0x30 | 0x07]),
            r(&[0x03, 0x0E], &[0x20]),
            // wake: WAKIE, WAKIF, normal requested; (the confirmation fails)
            w(&[0x05, 0x2B, 0x40, 0x40]),
            w(&[0x05, 0x2C, 0x40, 0x40]),
            w(&[0x02, 0x0F, 0x07]),
            // set_mode: the mode is unknown, read with CANCTRL; requested, confirmed; then WAKIF cleared and
            // WAKIE restored
            r(&[0x03, 0x0E], &[0x00, 0x07]),
            w(&[0x02, 0x0F, 0x07]),
            r(&[0x03, 0x0E], &[0x00]),
            w(&[0x05, 0x2C, 0x40, 0x00]),
            w(&[0x05, 0x2B, 0x40, 0x00]),
        ]);
        let mut spi = mock(&frames);
        let mut can = Mcp25625::new(FailAt::new(spi.clone(), 8));
        can.reset(&mut NoopDelay).await.unwrap();
        can.sleep(&mut NoopDelay).await.unwrap();
        assert_eq!(
            can.wake(Mode::Normal, &mut NoopDelay).await,
            Err(Error::Bus(ErrorKind::Other))
        );
        assert_eq!((can.mode(), can.interrupts()), (None, None));
        can.set_mode(Mode::Normal, &mut NoopDelay).await.unwrap();
        assert_eq!(can.mode(), Some(Mode::Normal));
        assert_eq!(can.interrupts(), Some(Interrupts::empty()));
        spi.done();
    }

    pub async fn standby_pin_polarity_and_errors() {
        let mut pin = PinMock::new(&[
            Pin::set(State::Low),
            Pin::set(State::High),
            Pin::set(State::High).with_error(embedded_hal_mock::eh1::MockError::Io(std::io::ErrorKind::Other)),
        ]);
        let mut spi = mock(&[]);
        // standby is the low level here
        let mut can = Mcp25625::with_standby(spi.clone(), pin.clone(), mcp25625::StandbyLevel::Low);
        can.set_transceiver_standby(true).unwrap();
        can.set_transceiver_standby(false).unwrap();
        assert_eq!(
            can.set_transceiver_standby(false),
            Err(Error::Pin(embedded_hal::digital::ErrorKind::Other))
        );
        spi.done();
        pin.done();
    }

    pub async fn bus_errors_are_reported() {
        let mut can = Mcp25625::new(FailingSpi);
        assert_eq!(can.reset(&mut NoopDelay).await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(
            can.init(&config_500k(), &mut NoopDelay).await,
            Err(Error::Bus(ErrorKind::Other))
        );
        assert_eq!(
            can.set_mode(Mode::Normal, &mut NoopDelay).await,
            Err(Error::Bus(ErrorKind::Other))
        );
        assert_eq!(can.read_mode().await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(can.sleep(&mut NoopDelay).await, Err(Error::Bus(ErrorKind::Other)));
        assert_eq!(
            can.wake(Mode::Normal, &mut NoopDelay).await,
            Err(Error::Bus(ErrorKind::Other))
        );
    }

    /// `read_mode` keeps a mode it confirms and forgets one the chip has left (here: listen-only, as after a
    /// wake by bus activity): a configuration-only setting then reads the mode again (and refuses) instead of
    /// writing into a chip that ignores the write.
    pub async fn read_mode_forgets_a_mode_the_chip_left() {
        let mut spi = after_reset(&[
            r(&[0x03, 0x0E], &[0x80]),
            r(&[0x03, 0x0E], &[0x60]),
            r(&[0x03, 0x0E], &[0x60, 0x60]),
        ]);
        let mut can = Mcp25625::new(spi.clone());
        can.reset(&mut NoopDelay).await.unwrap();
        assert_eq!(can.read_mode().await.unwrap().0, Some(Mode::Configuration));
        assert_eq!(can.mode(), Some(Mode::Configuration));
        assert_eq!(can.read_mode().await.unwrap().0, Some(Mode::ListenOnly));
        assert_eq!(can.mode(), None);
        assert_eq!(
            can.set_filter(FilterNumber::F0, Filter::standard(1)).await,
            Err(Error::Argument(ArgumentError::NotInConfigurationMode))
        );
        assert_eq!(can.mode(), Some(Mode::ListenOnly));
        spi.done();
    }
}

both!(
    reset_detects_the_chip,
    reset_reports_a_missing_chip,
    init_at_500k_takes_six_frames,
    init_with_every_option,
    init_staying_in_configuration_sends_no_mode_request,
    mode_change_polls_canstat_until_it_agrees,
    mode_change_times_out,
    configuration_aborts_pending_frames_in_the_same_write,
    the_first_send_after_configuration_clears_abat,
    sleep_then_standby_and_wake_in_the_right_order,
    a_failed_wake_is_finished_by_the_next_mode_change,
    standby_pin_polarity_and_errors,
    bus_errors_are_reported,
    read_mode_forgets_a_mode_the_chip_left,
);
