//! Settings on a chip the driver has not programmed (a cold cache: what an earlier firmware left is read first),
//! and the driver's own settings read back: exact bytes, both drivers. Among them the cases where the
//! enhanced-functions gate (EFR\[4\]) must be left alone: a change that touches no gated bit is one write, even
//! when the register holds gated bits the driver did not set.
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
    use sc16is740::{Sc16is740, Sc16is750, Sc16is752, Sc16is7xx};

    fn cold(i2c: &I2cMock) -> Sc16is7xx<sc16is740::I2cInterface<I2cMock>, Sc16is740> {
        Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740)
    }

    /// MCR left with the ÷4 prescaler (a gated bit): RTS alone changes, no EFR sequence.
    pub async fn an_mcr_change_outside_the_gated_bits_is_one_write() {
        let mut i2c = mock(&[r(LCR, 0x03), r(MCR, 0x80), w(MCR, 0x82)]);
        let mut u = cold(&i2c);
        u.set_rts(true).await.unwrap();
        i2c.done();
    }

    /// From power-on (EFR[4] known off): loopback and RTS are not gated, so EFR is never opened.
    pub async fn ungated_mcr_bits_from_power_on_leave_efr_alone() {
        let mut i2c = mock(&[w(MCR, 0x10), w(MCR, 0x12)]);
        let mut u = cold(&i2c);
        u.assume_power_on_state();
        u.set_loopback(true).await.unwrap();
        u.set_rts(true).await.unwrap();
        i2c.done();
    }

    /// IER left with sleep on (a gated bit): a new interrupt set keeps it and is one write.
    pub async fn an_ier_change_outside_the_gated_bits_is_one_write() {
        let mut i2c = mock(&[r(LCR, 0x03), r(IER, 0x10), w(IER, 0x11)]);
        let mut u = cold(&i2c);
        u.set_interrupts(Interrupts::RX_DATA).await.unwrap();
        i2c.done();
    }

    /// A transmitter already disabled stays disabled when disabled again (EFCR[2] set, not toggled), and the
    /// other EFCR bits stay.
    pub async fn disabling_a_disabled_transmitter_keeps_it_disabled() {
        let mut i2c = mock(&[r(LCR, 0x03), r(EFCR, 0x14), w(EFCR, 0x14), w(EFCR, 0x16), w(EFCR, 0x16)]);
        let mut u = cold(&i2c);
        u.set_transmitter_enabled(false).await.unwrap();
        u.set_receiver_enabled(false).await.unwrap();
        u.set_receiver_enabled(false).await.unwrap();
        i2c.done();
    }

    /// After `init` every setting it wrote reads back from the cache, without a bus access.
    pub async fn init_leaves_every_setting_cached() {
        let mut i2c = mock(&init_115200());
        let mut u = cold(&i2c);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(
            u.baud_rate().await.map(|(d, p, rate)| (d, p, rate.raw())),
            Ok((8, Prescaler::Div1, 115_200))
        );
        assert_eq!(u.line_format().await, Ok(LineFormat::F8N1));
        assert_eq!(u.interrupts().await, Ok(Interrupts::empty()));
        assert_eq!(u.fifo(), Some(FifoConfig::default()));
        i2c.done();
    }

    /// Two slow rates in a row both need ÷4: the prescaler (MCR[7]) stays, only the divisor is written, and the
    /// rate reads back with ÷4 from the cache.
    pub async fn a_prescaler_already_on_stays_on() {
        let mut all = vec![
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
        ];
        // 12 baud: 76800 at ÷1 is too large, so ÷4 and 19200 (0x4B00)
        all.extend([w(LCR, 0x80), w(DLL, 0x00), w(DLH, 0x4B), w(LCR, 0x03)]);
        let mut i2c = mock(&all);
        let mut u = cold(&i2c);
        u.init(&Config::new(10.Hz())).await.unwrap();
        let rate = u.set_baud_rate(12.Hz()).await.unwrap();
        assert_eq!((rate.divisor, rate.prescaler), (19_200, Prescaler::Div4));
        assert_eq!(
            u.baud_rate().await.map(|(d, p, _)| (d, p)),
            Ok((19_200, Prescaler::Div4))
        );
        i2c.done();
    }

    /// One output pin set on a cold cache (a dual part): the other outputs keep the latch read from IOState,
    /// except those IOControl gives to a channel's modem lines (IOControl[1]: GPIO7..4, IOControl[2]: GPIO3..0),
    /// which read their modem line, not the latch, and are not trusted.
    pub async fn a_cold_pin_write_trusts_only_the_gpio_outputs() {
        for (iodir, iocontrol, levels, pin, written) in [
            (0x0F, 0x04, 0x0A, 0, 0x01),
            (0x0F, 0x00, 0x0A, 0, 0x0B),
            (0xF0, 0x02, 0xA0, 4, 0x10),
            (0xF0, 0x00, 0xA0, 4, 0xB0),
            (0xFF, 0x06, 0xAA, 4, 0x10),
        ] {
            let mut i2c = mock(&[
                r(LCR, 0x03),
                r(IODIR, iodir),
                r(IOCONTROL, iocontrol),
                r(IOSTATE, levels),
                w(IOSTATE, written),
            ]);
            let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is752);
            u.set_gpio_pin(GpioPin::new(pin).unwrap(), true).await.unwrap();
            i2c.done();
        }
    }

    /// A failed IOState write leaves the outputs' latch unknown: the next pin write reads it back (the chip may
    /// have taken the failed write) before writing.
    pub async fn a_failed_pin_write_makes_the_latch_unknown() {
        let mut all = init_115200();
        all.extend([
            w(IODIR, 0x03),
            w(IOSTATE, 0x00),
            w(IOSTATE, 0x01).with_error(nack()),
            r(IOCONTROL, 0x00),
            r(IOSTATE, 0x01),
            w(IOSTATE, 0x03),
        ]);
        let mut i2c = mock(&all);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).await.unwrap();
        u.set_gpio_direction(0x03).await.unwrap();
        u.set_gpio_outputs(0x00).await.unwrap();
        assert_eq!(u.set_gpio_pin(GpioPin::new(0).unwrap(), true).await, nacked());
        u.set_gpio_pin(GpioPin::new(1).unwrap(), true).await.unwrap();
        i2c.done();
    }

    /// The pin written is known, another output is not (made an output without a level): its latch is read
    /// first, so the write keeps what it drives.
    pub async fn a_pin_write_reads_the_other_outputs_it_does_not_know() {
        let mut all = init_115200();
        all.extend([
            w(IODIR, 0x01),
            w(IOSTATE, 0x01),
            w(IODIR, 0x03),
            r(IOCONTROL, 0x00),
            r(IOSTATE, 0x03),
            w(IOSTATE, 0x02),
        ]);
        let mut i2c = mock(&all);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).await.unwrap();
        u.set_gpio_direction(0x01).await.unwrap();
        u.set_gpio_pin(GpioPin::new(0).unwrap(), true).await.unwrap();
        u.set_gpio_direction(0x03).await.unwrap();
        u.set_gpio_pin(GpioPin::new(0).unwrap(), false).await.unwrap();
        i2c.done();
    }

    /// A divisor change stopped after it turned sleep off: the next operation turns sleep back on with one IER
    /// write (EFR[4] known on); after `invalidate_cache` nothing vouches for EFR[4], and sleep stays off (IER
    /// read, not written).
    pub async fn sleep_comes_back_after_an_interrupted_divisor_change_unless_forgotten() {
        let mut all = init_115200();
        all.extend([
            w(IER, 0x10),
            // set_baud_rate: sleep off, then the divisor key fails
            w(IER, 0x00),
            w(LCR, 0x80).with_error(nack()),
            // next operation: LCR back, sleep back on, then its own read
            w(LCR, 0x03),
            w(IER, 0x10),
            r(RXLVL, 0),
            // again, but the IER write fails and the cache is forgotten
            w(IER, 0x00).with_error(nack()),
            r(LCR, 0x03),
            r(IER, 0x00),
            r(RXLVL, 0),
            r(RXLVL, 0),
        ]);
        let mut i2c = mock(&all);
        let mut u = cold(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.set_sleep(true).await.unwrap();
        assert_eq!(u.set_baud_rate(9_600.Hz()).await.map(drop), nacked());
        assert_eq!(u.rx_level().await, Ok(0));
        assert_eq!(u.set_baud_rate(9_600.Hz()).await.map(drop), nacked());
        u.invalidate_cache();
        assert_eq!(u.rx_level().await, Ok(0));
        assert_eq!(u.rx_level().await, Ok(0));
        i2c.done();
    }

    /// An input remembers the latch it had as an output: reading the other outputs' latch back (one made an
    /// output without a level) keeps it, and writes carry it.
    pub async fn an_inputs_remembered_latch_survives_a_latch_read() {
        let mut all = init_115200();
        all.extend([
            w(IODIR, 0x05),
            w(IOSTATE, 0x04),
            w(IODIR, 0x01),
            w(IODIR, 0x03),
            r(IOCONTROL, 0x00),
            r(IOSTATE, 0x00),
            w(IOSTATE, 0x05),
        ]);
        let mut i2c = mock(&all);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).await.unwrap();
        u.set_gpio_direction(0x05).await.unwrap();
        u.set_gpio_outputs(0x04).await.unwrap();
        u.configure_gpio_input(GpioPin::new(2).unwrap()).await.unwrap();
        u.set_gpio_direction(0x03).await.unwrap();
        u.set_gpio_pin(GpioPin::new(0).unwrap(), true).await.unwrap();
        assert_eq!(u.gpio_output_latch().await, Ok(0x05));
        i2c.done();
    }

    /// How reads check line errors: the default, `init`'s choice, and `set_receive_check`.
    pub async fn the_receive_check_reads_back() {
        let mut all = init_115200();
        all.extend(init_115200());
        let mut i2c = mock(&all);
        let mut u = cold(&i2c);
        assert_eq!(u.receive_check(), ReceiveCheck::LineStatus);
        let config = Config {
            receive_check: ReceiveCheck::Unchecked,
            ..Config::default()
        };
        u.init(&config).await.unwrap();
        assert_eq!(u.receive_check(), ReceiveCheck::Unchecked);
        u.set_receive_check(ReceiveCheck::LineStatus);
        assert_eq!(u.receive_check(), ReceiveCheck::LineStatus);
        u.set_receive_check(ReceiveCheck::Unchecked);
        assert_eq!(u.receive_check(), ReceiveCheck::Unchecked);
        u.init(&Config::default()).await.unwrap();
        assert_eq!(u.receive_check(), ReceiveCheck::LineStatus);
        i2c.done();
    }
}

both!(
    an_mcr_change_outside_the_gated_bits_is_one_write,
    ungated_mcr_bits_from_power_on_leave_efr_alone,
    an_ier_change_outside_the_gated_bits_is_one_write,
    disabling_a_disabled_transmitter_keeps_it_disabled,
    the_receive_check_reads_back,
    init_leaves_every_setting_cached,
    a_prescaler_already_on_stays_on,
    a_cold_pin_write_trusts_only_the_gpio_outputs,
    a_failed_pin_write_makes_the_latch_unknown,
    a_pin_write_reads_the_other_outputs_it_does_not_know,
    sleep_comes_back_after_an_interrupted_divisor_change_unless_forgotten,
    an_inputs_remembered_latch_survives_a_latch_read,
);
