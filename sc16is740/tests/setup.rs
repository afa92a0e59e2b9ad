//! Start-up, reset, presence, baud rate and frame format: exact bytes, both drivers.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use sc16is740::{Sc16is740, Sc16is7xx};

    fn uart(i2c: &I2cMock) -> Sc16is7xx<sc16is740::I2cInterface<I2cMock>, Sc16is740> {
        Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740)
    }

    pub async fn init_programs_everything_in_thirteen_writes() {
        let mut i2c = after_init(&[]);
        let mut u = uart(&i2c);
        let rate = u.init(&Config::default()).await.unwrap();
        assert_eq!(
            (rate.divisor, rate.prescaler, rate.actual.raw(), rate.error_ppm),
            (8, Prescaler::Div1, 115_200, 0)
        );
        assert_eq!(u.fifo(), Some(FifoConfig::default()));
        i2c.done();
    }

    pub async fn init_7e1_9600_with_triggers() {
        let config = Config {
            fifo: FifoConfig {
                enabled: true,
                rx_trigger: RxTrigger::Chars56,
                tx_trigger: TxTrigger::Spaces32,
            },
            ..Config::new(9_600.Hz()).format(LineFormat::F7E1)
        };
        let mut i2c = mock(&[
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x1A),
            w(IER, 0x00),
            w(MCR, 0x04),
            w(TLR, 0x00),
            w(MCR, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x60),
            w(DLH, 0x00),
            w(LCR, 0x1A),
            // RX 56 = 10 in bits 7:6, TX 32 = 10 in bits 5:4, FIFO on, both reset
            w(FCR, 0xA7),
            w(EFCR, 0x00),
        ]);
        uart(&i2c).init(&config).await.unwrap();
        i2c.done();
    }

    pub async fn init_with_the_prescaler_for_a_slow_rate() {
        // 10 baud needs 92160 at ÷1: ÷4 and 23040 (0x5A00)
        let mut i2c = mock(&[
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x03),
            w(IER, 0x00),
            w(MCR, 0x84),
            w(TLR, 0x00),
            w(MCR, 0x80),
            w(LCR, 0x80),
            w(DLL, 0x00),
            w(DLH, 0x5A),
            w(LCR, 0x03),
            w(FCR, 0x07),
            w(EFCR, 0x00),
        ]);
        let rate = uart(&i2c).init(&Config::new(10.Hz())).await.unwrap();
        assert_eq!((rate.divisor, rate.prescaler), (23_040, Prescaler::Div4));
        i2c.done();
    }

    pub async fn init_refuses_bad_arguments_without_traffic() {
        let mut i2c = mock(&[]);
        let mut u = uart(&i2c);
        assert_eq!(
            u.init(&Config::new(57_600.Hz()).format(LineFormat::new(DataBits::Five, Parity::None, StopBits::Two)))
                .await,
            Err(Error::Argument(ArgumentError::StopBits))
        );
        assert_eq!(
            u.init(&Config::new(2_000_000.Hz())).await,
            Err(Error::Argument(ArgumentError::BaudRateUnreachable))
        );
        let mut strict = Config::new(115_000.Hz());
        strict.tolerance_ppm = 1_000;
        assert_eq!(
            u.init(&strict).await,
            Err(Error::Argument(ArgumentError::BaudRateOutOfTolerance))
        );
        i2c.done();
    }

    pub async fn init_reports_a_nack() {
        let mut i2c = mock(&[w(LCR, 0xBF).with_error(nack())]);
        assert_eq!(uart(&i2c).init(&Config::default()).await, nacked());
        i2c.done();
    }

    pub async fn a_failed_sequence_restores_lcr_before_the_next_access() {
        // init dies after opening the enhanced set; the next operation puts the format back first
        let mut i2c = mock(&[
            w(LCR, 0xBF),
            w(EFR, 0x10).with_error(nack()),
            r(LCR, 0xBF),
            // a software reset still works from there
            w(LCR, 0x03),
            w(IOCONTROL, 0x08).with_error(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)),
            r(LCR, 0x1D),
            r(RXLVL, 0x00),
        ]);
        let mut u = uart(&i2c);
        assert_eq!(u.init(&Config::default()).await, nacked());
        // nothing known about the format: the chip holds the 0xBF key, so the driver cannot recover one
        assert_eq!(u.rx_level().await, Err(Error::NotConfigured));
        u.software_reset(&mut NoopDelay).await.unwrap();
        assert_eq!(u.rx_level().await, Ok(0));
        i2c.done();
    }

    pub async fn a_failed_divisor_write_is_repaired_by_the_next_operation() {
        let mut i2c = after_init(&[
            w(LCR, 0x80),
            w(DLL, 0x60).with_error(nack()),
            // next operation: LCR back to the format first, then RXLVL
            w(LCR, 0x03),
            r(RXLVL, 0x05),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(u.set_baud_rate(9_600.Hz()).await, nacked());
        assert_eq!(u.rx_level().await, Ok(5));
        i2c.done();
    }

    pub async fn a_cold_driver_reads_lcr_once_and_puts_back_a_left_dlab() {
        // an earlier firmware was reset in the middle of a baud change: LCR = 0x9A (7E1 with DLAB)
        let mut i2c = mock(&[r(LCR, 0x9A), w(LCR, 0x1A), r(RXLVL, 0x00), r(TXLVL, 0x40)]);
        let mut u = uart(&i2c);
        assert_eq!(u.rx_level().await, Ok(0));
        assert_eq!(u.tx_space().await, Ok(64));
        assert_eq!(u.line_format().await, Ok(LineFormat::F7E1));
        i2c.done();
    }

    pub async fn software_reset_takes_a_data_nack_only_with_lcr_read_back() {
        let data_nack = ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data);
        let mut i2c = mock(&[
            // nothing known about LCR: DLAB (and a 0xBF key) cleared first, with a value other than 0x1D
            w(LCR, 0x03),
            w(IOCONTROL, 0x08).with_error(data_nack),
            // the reset value proves the reset
            r(LCR, 0x1D),
            // after the reset, LCR is the sourced 0x1D: a format change is one write
            w(LCR, 0x03),
        ]);
        let mut u = uart(&i2c);
        u.software_reset(&mut NoopDelay).await.unwrap();
        u.set_line_format(LineFormat::F8N1).await.unwrap();
        i2c.done();
        // the same NACK, but LCR still holds what was written before: no reset, the NACK is the error
        let mut i2c = mock(&[
            w(LCR, 0x03),
            w(IOCONTROL, 0x08).with_error(data_nack),
            r(LCR, 0x03),
            r(LCR, 0x03),
        ]);
        let mut u = uart(&i2c);
        assert_eq!(u.software_reset(&mut NoopDelay).await, Err(Error::Bus(data_nack)));
        // and nothing is assumed: the format is read
        assert_eq!(u.line_format().await, Ok(LineFormat::F8N1));
        i2c.done();
        // a known format other than 0x1D needs no LCR write first; an ACKed write without a reset is refused
        let mut all = init_115200();
        all.extend([w(IOCONTROL, 0x08), r(LCR, 0x03)]);
        let mut i2c = mock(&all);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(u.software_reset(&mut NoopDelay).await, Err(Error::ResetFailed));
        i2c.done();
    }

    /// A HAL that cannot say which byte was refused: the reset counts only if the chip answers afterwards.
    pub async fn software_reset_with_an_unplaced_nack_checks_the_chip() {
        let unknown = ErrorKind::NoAcknowledge(NoAcknowledgeSource::Unknown);
        let mut i2c = mock(&[w(LCR, 0x03), w(IOCONTROL, 0x08).with_error(unknown), r(LCR, 0x1D)]);
        uart(&i2c).software_reset(&mut NoopDelay).await.unwrap();
        i2c.done();
        let mut i2c = mock(&[
            w(LCR, 0x03),
            w(IOCONTROL, 0x08).with_error(unknown),
            r(LCR, 0x1D).with_error(unknown),
        ]);
        assert_eq!(
            uart(&i2c).software_reset(&mut NoopDelay).await,
            Err(Error::Bus(unknown))
        );
        i2c.done();
    }

    /// An earlier firmware left MCR[2] on: SPR would be TLR. A cold driver reads MCR once and clears it.
    pub async fn presence_on_a_chip_left_with_the_tlr_overlay_on() {
        let mut i2c = mock(&[r(LCR, 0x03), r(MCR, 0x06), w(MCR, 0x02), w(SPR, 0xA5), r(SPR, 0xA5)]);
        uart(&i2c).check_presence().await.unwrap();
        i2c.done();
    }

    pub async fn software_reset_reports_an_address_nack() {
        let mut i2c = mock(&[w(LCR, 0x03), w(IOCONTROL, 0x08).with_error(nack())]);
        assert_eq!(uart(&i2c).software_reset(&mut NoopDelay).await, nacked());
        i2c.done();
    }

    pub async fn presence_is_a_scratch_pad_round_trip() {
        let mut i2c = after_init(&[w(SPR, 0xA5), r(SPR, 0xA5), w(SPR, 0xA5), r(SPR, 0xFF)]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(u.check_presence().await, Ok(()));
        assert_eq!(u.check_presence().await, Err(Error::NoDevice));
        i2c.done();
    }

    pub async fn presence_reports_a_nack() {
        let mut i2c = mock(&[r(LCR, 0x03).with_error(nack())]);
        assert_eq!(uart(&i2c).check_presence().await, nacked());
        i2c.done();
    }

    /// The sheet's vector: 115200 at 14.7456 MHz is `18 83`, `00 08`, `08 00`, `18 03`.
    pub async fn baud_rate_is_four_writes_when_the_prescaler_stays() {
        let mut i2c = mock(&[
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x03),
            w(IER, 0x00),
            w(MCR, 0x04),
            w(TLR, 0x00),
            w(MCR, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x60),
            w(DLH, 0x00),
            w(LCR, 0x03),
            w(FCR, 0x07),
            w(EFCR, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x08),
            w(DLH, 0x00),
            w(LCR, 0x03),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::new(9_600.Hz())).await.unwrap();
        let rate = u.set_baud_rate(115_200.Hz()).await.unwrap();
        assert_eq!(rate.actual.raw(), 115_200);
        i2c.done();
    }

    pub async fn baud_rate_switches_the_prescaler_with_enhanced_functions_on() {
        let mut i2c = after_init(&[
            // EFR[4] is cached on: MCR[7] is one write
            w(MCR, 0x80),
            w(LCR, 0x80),
            w(DLL, 0x00),
            w(DLH, 0x5A),
            w(LCR, 0x03),
            // back to ÷1
            w(MCR, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x60),
            w(DLH, 0x00),
            w(LCR, 0x03),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(u.set_baud_rate(10.Hz()).await.unwrap().prescaler, Prescaler::Div4);
        assert_eq!(u.set_baud_rate(9_600.Hz()).await.unwrap().prescaler, Prescaler::Div1);
        i2c.done();
    }

    pub async fn baud_rate_on_a_cold_cache_enables_enhanced_functions_first() {
        let mut i2c = mock(&[
            r(LCR, 0x03),
            r(MCR, 0x00),
            // the prescaler is gated by EFR[4]: LCR = 0xBF, read EFR, set bit 4, LCR back
            w(LCR, 0xBF),
            r(EFR, 0x00),
            w(EFR, 0x10),
            w(LCR, 0x03),
            w(MCR, 0x80),
            r(IER, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x00),
            w(DLH, 0x5A),
            w(LCR, 0x03),
        ]);
        uart(&i2c).set_baud_rate(10.Hz()).await.unwrap();
        i2c.done();
    }

    pub async fn baud_rate_wakes_the_chip_around_the_divisor() {
        let mut i2c = after_init(&[
            w(IER, 0x10),
            // sleep is on: off for the divisor, on again after
            w(IER, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x60),
            w(DLH, 0x00),
            w(LCR, 0x03),
            w(IER, 0x10),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.set_sleep(true).await.unwrap();
        u.set_baud_rate(9_600.Hz()).await.unwrap();
        i2c.done();
    }

    pub async fn baud_rate_out_of_range_sends_nothing() {
        let mut i2c = mock(&[]);
        let mut u = uart(&i2c);
        assert_eq!(
            u.set_baud_rate(1_000_000.Hz()).await,
            Err(Error::Argument(ArgumentError::BaudRateOutOfTolerance))
        );
        assert_eq!(
            u.set_baud_rate(0.Hz()).await,
            Err(Error::Argument(ArgumentError::BaudRateUnreachable))
        );
        u.set_baud_tolerance(0);
        assert_eq!(
            u.set_baud_rate(115_201.Hz()).await,
            Err(Error::Argument(ArgumentError::BaudRateOutOfTolerance))
        );
        let mut bad = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, 0.Hz(), Sc16is740);
        assert_eq!(
            bad.set_baud_rate(9_600.Hz()).await,
            Err(Error::Argument(ArgumentError::Crystal))
        );
        i2c.done();
    }

    pub async fn baud_rate_reads_back_the_divisor_on_a_cold_cache() {
        let mut i2c = mock(&[
            r(LCR, 0x03),
            r(MCR, 0x80),
            w(LCR, 0x80),
            r(DLL, 0x18),
            r(DLH, 0x00),
            w(LCR, 0x03),
        ]);
        let mut u = uart(&i2c);
        let (divisor, prescaler, rate) = u.baud_rate().await.unwrap();
        assert_eq!((divisor, prescaler, rate.raw()), (24, Prescaler::Div4, 9_600));
        // cached now: no traffic
        assert_eq!(u.baud_rate().await.unwrap().0, 24);
        i2c.done();
    }

    pub async fn raw_divisor() {
        let mut i2c = after_init(&[w(LCR, 0x80), w(DLL, 0x34), w(DLH, 0x12), w(LCR, 0x03)]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.set_divisor(0x1234, Prescaler::Div1).await.unwrap();
        i2c.done();
    }

    pub async fn line_format_is_one_write_and_keeps_a_break() {
        let mut i2c = after_init(&[
            w(LCR, 0x1A),
            w(LCR, 0x5A),
            w(LCR, 0x47),
            w(LCR, 0x07),
            w(LCR, 0x2C),
            w(LCR, 0x3B),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.set_line_format(LineFormat::F7E1).await.unwrap();
        u.set_break(true).await.unwrap();
        u.set_line_format(LineFormat::F8N2).await.unwrap();
        u.set_break(false).await.unwrap();
        u.set_line_format(LineFormat::new(DataBits::Five, Parity::Forced1, StopBits::OnePointFive))
            .await
            .unwrap();
        u.set_line_format(LineFormat::new(DataBits::Eight, Parity::Forced0, StopBits::One))
            .await
            .unwrap();
        assert_eq!(u.line_format().await.unwrap().parity, Parity::Forced0);
        i2c.done();
    }

    pub async fn line_format_refuses_impossible_stop_bits_without_traffic() {
        let mut i2c = mock(&[]);
        let mut u = uart(&i2c);
        let f = LineFormat::new(DataBits::Seven, Parity::Odd, StopBits::OnePointFive);
        assert_eq!(
            u.set_line_format(f).await,
            Err(Error::Argument(ArgumentError::StopBits))
        );
        i2c.done();
    }

    pub async fn a_divisor_write_that_fails_leaves_sleep_to_the_next_operation() {
        let mut i2c = after_init(&[
            w(IER, 0x10),
            // set_baud_rate(9600): sleep off, the divisor latch opened with 0x80, DLL refused
            w(IER, 0x00),
            w(LCR, 0x80),
            w(DLL, 0x60).with_error(nack()),
            // the next operation: the format back, sleep back on, then its own read
            w(LCR, 0x03),
            w(IER, 0x10),
            r(RXLVL, 0x00),
            // the divisor is unknown: read back
            w(LCR, 0x80),
            r(DLL, 0x60),
            r(DLH, 0x00),
            w(LCR, 0x03),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.set_sleep(true).await.unwrap();
        assert_eq!(u.set_baud_rate(9_600.Hz()).await, nacked());
        assert_eq!(u.rx_level().await, Ok(0));
        assert_eq!(u.baud_rate().await.unwrap().0, 0x60);
        i2c.done();
    }

    pub async fn a_chip_holding_the_divisor_key_has_no_format_to_recover() {
        let mut i2c = mock(&[r(LCR, 0x80), r(LCR, 0x80)]);
        let mut u = uart(&i2c);
        assert_eq!(u.rx_level().await, Err(Error::NotConfigured));
        assert_eq!(u.line_format().await, Err(Error::NotConfigured));
        i2c.done();
    }

    pub async fn rs485_on_a_cold_cache_reads_efr_before_leaving_special_characters_on() {
        let mut i2c = after_init(&[
            r(LCR, 0x03),
            w(LCR, 0xBF),
            r(EFR, 0x30),
            w(EFR, 0x10),
            w(LCR, 0x03),
            r(EFCR, 0x01),
            w(EFCR, 0x00),
        ]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.invalidate_cache();
        u.set_rs485(Rs485::default()).await.unwrap();
        i2c.done();
    }

    pub async fn line_format_reports_a_nack_and_forgets_lcr() {
        let mut i2c = after_init(&[w(LCR, 0x1A).with_error(nack()), r(LCR, 0x03), w(LCR, 0x43)]);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(u.set_line_format(LineFormat::F7E1).await, nacked());
        // the write may have reached the chip: LCR is read again, and the break goes on top of what it holds
        u.set_break(true).await.unwrap();
        i2c.done();
    }
}

both!(
    init_programs_everything_in_thirteen_writes,
    init_7e1_9600_with_triggers,
    init_with_the_prescaler_for_a_slow_rate,
    init_refuses_bad_arguments_without_traffic,
    init_reports_a_nack,
    a_failed_sequence_restores_lcr_before_the_next_access,
    a_failed_divisor_write_is_repaired_by_the_next_operation,
    a_cold_driver_reads_lcr_once_and_puts_back_a_left_dlab,
    software_reset_takes_a_data_nack_only_with_lcr_read_back,
    software_reset_reports_an_address_nack,
    software_reset_with_an_unplaced_nack_checks_the_chip,
    presence_on_a_chip_left_with_the_tlr_overlay_on,
    presence_is_a_scratch_pad_round_trip,
    presence_reports_a_nack,
    baud_rate_is_four_writes_when_the_prescaler_stays,
    baud_rate_switches_the_prescaler_with_enhanced_functions_on,
    baud_rate_on_a_cold_cache_enables_enhanced_functions_first,
    baud_rate_wakes_the_chip_around_the_divisor,
    baud_rate_out_of_range_sends_nothing,
    baud_rate_reads_back_the_divisor_on_a_cold_cache,
    raw_divisor,
    line_format_is_one_write_and_keeps_a_break,
    line_format_refuses_impossible_stop_bits_without_traffic,
    line_format_reports_a_nack_and_forgets_lcr,
    a_divisor_write_that_fails_leaves_sleep_to_the_next_operation,
    a_chip_holding_the_divisor_key_has_no_format_to_recover,
    rs485_on_a_cold_cache_reads_efr_before_leaving_special_characters_on,
);
