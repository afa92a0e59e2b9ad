//! Moving bytes: bulk writes and reads, line errors, flush, levels, SPI framing, and the serial traits.
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

    type Uart = Sc16is7xx<sc16is740::I2cInterface<I2cMock>, Sc16is740>;

    /// A driver whose cache knows LCR = 8N1 (so no start-up read), on a mock expecting `rest`.
    async fn ready(rest: &[I2c]) -> (I2cMock, Uart) {
        let i2c = after_init(rest);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        u.init(&Config::default()).await.unwrap();
        (i2c, u)
    }

    pub async fn sixty_four_bytes_into_an_empty_fifo() {
        let data = payload(64);
        let (mut i2c, mut u) = ready(&[r(TXLVL, 64), burst(THR, &data)]).await;
        assert_eq!(u.try_write(&data).await, Ok(64));
        i2c.done();
    }

    pub async fn a_write_takes_only_what_fits() {
        let data = payload(100);
        let (mut i2c, mut u) = ready(&[
            r(TXLVL, 10),
            burst(THR, &data[..10]),
            r(TXLVL, 64),
            burst(THR, &data[..64]),
        ])
        .await;
        assert_eq!(u.try_write(&data).await, Ok(10));
        // more than 64 never goes in one write
        assert_eq!(u.try_write(&data).await, Ok(64));
        i2c.done();
    }

    pub async fn a_full_fifo_means_no_thr_write_at_all() {
        let (mut i2c, mut u) = ready(&[r(TXLVL, 0)]).await;
        assert_eq!(u.try_write(b"hello").await, Ok(0));
        // an empty buffer sends nothing at all
        assert_eq!(u.try_write(&[]).await, Ok(0));
        i2c.done();
    }

    pub async fn a_txlvl_above_64_is_refused() {
        let (mut i2c, mut u) = ready(&[r(TXLVL, 0xFF), r(RXLVL, 65)]).await;
        assert_eq!(u.try_write(b"x").await, Err(Error::InvalidLevel(0xFF)));
        assert_eq!(u.rx_level().await, Err(Error::InvalidLevel(65)));
        i2c.done();
    }

    pub async fn write_all_waits_for_room() {
        let data = payload(70);
        let (mut i2c, mut u) = ready(&[
            // init reset the TX FIFO: 64 spaces known, no TXLVL read for the first burst
            burst(THR, &data[..64]),
            r(TXLVL, 0),
            r(TXLVL, 6),
            burst(THR, &data[64..]),
        ])
        .await;
        u.write_all(&data).await.unwrap();
        i2c.done();
    }

    /// The room a TXLVL read found, minus what went out, is spent before TXLVL is read again.
    pub async fn write_all_spends_the_room_it_knows() {
        let (mut i2c, mut u) = ready(&[
            r(TXLVL, 10),
            burst(THR, b"abcd"),
            // 6 spaces known: "efgh" goes without a read
            burst(THR, b"efgh"),
            // 2 known, 3 wanted: read
            r(TXLVL, 3),
            burst(THR, b"ijk"),
            // after the TX FIFO reset, 64
            w(FCR, 0x05),
            burst(THR, b"lmn"),
        ])
        .await;
        assert_eq!(u.try_write(b"abcd").await, Ok(4));
        u.write_all(b"efgh").await.unwrap();
        u.write_all(b"ijk").await.unwrap();
        u.reset_fifos(false, true).await.unwrap();
        u.write_all(b"lmn").await.unwrap();
        i2c.done();
    }

    /// The FIFOs off hold one character each way: no room is taken for granted after `init` or a TX reset, and
    /// an RX reset alone says nothing about the TX FIFO.
    pub async fn only_a_tx_reset_with_the_fifos_on_makes_the_room_known() {
        let mut all = init_115200();
        // init with the FIFOs off
        all[11] = w(FCR, 0x06);
        all.extend([
            r(TXLVL, 1),
            burst(THR, b"a"),
            // a TX reset with the FIFOs off
            w(FCR, 0x04),
            r(TXLVL, 1),
            burst(THR, b"b"),
            // FIFOs on (the room unknown), then an RX reset alone
            w(FCR, 0x01),
            w(FCR, 0x03),
            r(TXLVL, 64),
            burst(THR, b"c"),
        ]);
        let mut i2c = mock(&all);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        let off = FifoConfig {
            enabled: false,
            ..FifoConfig::default()
        };
        u.init(&Config {
            fifo: off,
            ..Config::default()
        })
        .await
        .unwrap();
        u.write_all(b"a").await.unwrap();
        u.reset_fifos(false, true).await.unwrap();
        u.write_all(b"b").await.unwrap();
        u.set_fifo(FifoConfig::default()).await.unwrap();
        u.reset_fifos(true, false).await.unwrap();
        u.write_all(b"c").await.unwrap();
        i2c.done();
    }

    /// A failed burst leaves the room unknown: the next write reads TXLVL.
    pub async fn a_failed_burst_forgets_the_room() {
        let (mut i2c, mut u) = ready(&[burst(THR, b"ab").with_error(nack()), r(TXLVL, 64), burst(THR, b"ab")]).await;
        assert_eq!(u.write_all(b"ab").await, nacked());
        u.write_all(b"ab").await.unwrap();
        i2c.done();
    }

    pub async fn a_write_reports_a_nack() {
        let (mut i2c, mut u) = ready(&[r(TXLVL, 64), burst(THR, b"ab").with_error(nack())]).await;
        assert_eq!(u.try_write(b"ab").await, nacked());
        i2c.done();
    }

    /// The figure: 16 waiting bytes = RXLVL, LSR, one 1 + 16 write-read.
    pub async fn sixteen_clean_bytes_in_one_burst() {
        let data = payload(16);
        let (mut i2c, mut u) = ready(&[r(RXLVL, 16), r(LSR, 0x61), rb(RHR, &data)]).await;
        let mut buffer = [0; 64];
        assert_eq!(u.try_read(&mut buffer).await, Ok(16));
        assert_eq!(&buffer[..16], &data[..]);
        i2c.done();
    }

    pub async fn unchecked_reads_skip_lsr() {
        let data = payload(16);
        let (mut i2c, mut u) = ready(&[r(RXLVL, 16), rb(RHR, &data), r(RXLVL, 0)]).await;
        u.set_receive_check(ReceiveCheck::Unchecked);
        let mut buffer = [0; 64];
        assert_eq!(u.try_read(&mut buffer).await, Ok(16));
        assert_eq!(u.try_read(&mut buffer).await, Ok(0));
        i2c.done();
    }

    pub async fn an_empty_fifo_costs_one_rxlvl_read() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 0)]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Ok(0));
        assert_eq!(u.try_read(&mut []).await, Ok(0));
        i2c.done();
    }

    pub async fn a_read_stops_at_the_buffer() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 40), r(LSR, 0x61), rb(RHR, &[1, 2, 3])]).await;
        let mut buffer = [0; 3];
        assert_eq!(u.try_read(&mut buffer).await, Ok(3));
        assert_eq!(buffer, [1, 2, 3]);
        i2c.done();
    }

    pub async fn a_bad_character_at_the_top_is_taken_out_and_reported() {
        let (mut i2c, mut u) = ready(&[
            r(RXLVL, 1),
            r(LSR, 0x65),
            r(RHR, 0x41),
            r(RXLVL, 1),
            r(LSR, 0x69),
            r(RHR, 0x42),
            r(RXLVL, 1),
            r(LSR, 0x71),
            r(RHR, 0x00),
        ])
        .await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Parity(0x41))));
        assert_eq!(
            u.try_read(&mut buffer).await,
            Err(Error::Line(LineError::Framing(0x42)))
        );
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Break)));
        i2c.done();
    }

    /// Each error is decoded from its own LSR bit, whatever the others say: parity (bit 2) with no other bit set.
    pub async fn a_parity_flag_alone_is_a_parity_error() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 1), r(LSR, 0x04), r(RHR, 0x43)]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Parity(0x43))));
        i2c.done();
    }

    /// On the slow path (an error waits in the FIFO), an LSR that says the FIFO is empty ends the read: RHR is
    /// never read for a character LSR does not vouch for, even if RXLVL counted more.
    pub async fn the_slow_path_stops_when_lsr_says_empty() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 3), r(LSR, 0xE1), r(RHR, b'o'), r(LSR, 0xE0)]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Ok(1));
        assert_eq!(buffer[0], b'o');
        i2c.done();
    }

    pub async fn good_bytes_before_a_bad_one_come_first() {
        let (mut i2c, mut u) = ready(&[
            r(RXLVL, 5),
            // LSR[7]: an error somewhere in the FIFO, the top character is fine
            r(LSR, 0xE1),
            r(RHR, b'o'),
            r(LSR, 0xE1),
            r(RHR, b'k'),
            // now the top character has a framing error: stop, report it next time
            r(LSR, 0xE9),
            r(RXLVL, 3),
            r(LSR, 0xE9),
            r(RHR, 0x7F),
            // the rest is clean again: one burst
            r(RXLVL, 2),
            r(LSR, 0x61),
            rb(RHR, b"!!"),
        ])
        .await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Ok(2));
        assert_eq!(&buffer[..2], b"ok");
        assert_eq!(
            u.try_read(&mut buffer).await,
            Err(Error::Line(LineError::Framing(0x7F)))
        );
        assert_eq!(u.try_read(&mut buffer).await, Ok(2));
        i2c.done();
    }

    pub async fn the_slow_path_bursts_once_the_fifo_is_clean() {
        // RXLVL counted 4: once LSR says the FIFO is clean, exactly the 3 counted ones left, no second RXLVL
        let (mut i2c, mut u) = ready(&[r(RXLVL, 4), r(LSR, 0xE1), r(RHR, 1), r(LSR, 0x61), rb(RHR, &[2, 3, 4])]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Ok(4));
        assert_eq!(&buffer[..4], &[1, 2, 3, 4]);
        i2c.done();
    }

    pub async fn an_overrun_is_reported_after_the_good_bytes() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 2), r(LSR, 0x63), rb(RHR, b"hi"), r(RXLVL, 0), r(RXLVL, 0)]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Ok(2));
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Overrun)));
        assert_eq!(u.try_read(&mut buffer).await, Ok(0));
        i2c.done();
    }

    pub async fn an_overrun_seen_by_flush_is_not_lost() {
        let (mut i2c, mut u) = ready(&[r(LSR, 0x22), r(LSR, 0x60), r(RXLVL, 0)]).await;
        u.flush().await.unwrap();
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Overrun)));
        i2c.done();
    }

    pub async fn a_read_reports_a_nack() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 4), r(LSR, 0x61), rb(RHR, &[0; 4]).with_error(nack())]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, nacked());
        i2c.done();
    }

    pub async fn a_nack_while_taking_a_bad_character_is_the_error() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 1), r(LSR, 0x65), r(RHR, 0).with_error(nack())]).await;
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, nacked());
        i2c.done();
    }

    /// TEMT (LSR[6]), not an empty FIFO (LSR[5]), ends a flush.
    pub async fn flush_waits_for_the_shift_register() {
        let (mut i2c, mut u) = ready(&[r(LSR, 0x00), r(LSR, 0x20), r(LSR, 0x60), r(LSR, 0x20)]).await;
        u.flush().await.unwrap();
        assert_eq!(u.transmitter_idle().await, Ok(false));
        i2c.done();
    }

    pub async fn waits_end_at_the_deadline_counted_in_polls() {
        // 300 µs at the default 100 µs per poll: three polls, then Timeout
        let (mut i2c, mut u) = ready(&[
            r(LSR, 0x20),
            r(LSR, 0x20),
            r(LSR, 0x20),
            // fill the FIFO (64 spaces known after init's reset): the room is then unknown
            burst(THR, &payload(64)),
            r(TXLVL, 0),
            r(TXLVL, 5),
            burst(THR, b"abcde"),
            r(TXLVL, 0),
            r(TXLVL, 0),
            r(TXLVL, 0),
            // poll cost 0 counts as 1 µs: 2 µs is two polls
            r(LSR, 0x00),
            r(LSR, 0x00),
        ])
        .await;
        u.set_timeout(fugit::MicrosDurationU32::from_ticks(300));
        assert_eq!(u.timeout().ticks(), 300);
        assert_eq!(u.flush().await, Err(Error::Timeout));
        u.write_all(&payload(64)).await.unwrap();
        // progress restarts the count: 5 bytes after one empty poll, then three empty polls
        assert_eq!(u.write_all_counted(b"abcdefg").await, Err((5, Error::Timeout)));
        u.set_poll_cost(fugit::MicrosDurationU32::from_ticks(0));
        u.set_timeout(fugit::MicrosDurationU32::from_ticks(2));
        assert_eq!(u.flush().await, Err(Error::Timeout));
        i2c.done();
    }

    pub async fn a_disabled_transmitter_answers_at_once() {
        let (mut i2c, mut u) = ready(&[
            w(EFCR, 0x04),
            // write_all: EFCR is cached, nothing sent
            // flush: one LSR read decides
            r(LSR, 0x20),
            r(LSR, 0x60),
        ])
        .await;
        u.set_transmitter_enabled(false).await.unwrap();
        assert_eq!(u.write_all(b"abc").await, Err(Error::TransmitterDisabled));
        assert_eq!(u.write_all_counted(b"abc").await, Err((0, Error::TransmitterDisabled)));
        assert_eq!(u.flush().await, Err(Error::TransmitterDisabled));
        assert_eq!(u.flush().await, Ok(()));
        i2c.done();
    }

    pub async fn a_failed_burst_is_counted_out_of_write_all_counted() {
        let (mut i2c, mut u) = ready(&[
            burst(THR, &payload(64)),
            r(TXLVL, 2),
            burst(THR, b"ab"),
            r(TXLVL, 2),
            burst(THR, b"cd").with_error(nack()),
        ])
        .await;
        u.write_all(&payload(64)).await.unwrap();
        assert_eq!(u.write_all_counted(b"abcdef").await, Err((2, Error::Bus(nack()))));
        i2c.done();
    }

    pub async fn line_status_decodes() {
        let (mut i2c, mut u) = ready(&[r(LSR, 0xFF), r(LSR, 0x00)]).await;
        let s = u.line_status().await.unwrap();
        assert!(s.data_ready() && s.overrun() && s.parity_error() && s.framing_error() && s.break_received());
        assert!(s.tx_fifo_empty() && s.transmitter_idle() && s.fifo_error());
        let s = u.line_status().await.unwrap();
        assert!(!s.data_ready() && !s.transmitter_idle() && !s.tx_fifo_empty());
        i2c.done();
    }

    pub async fn levels() {
        let (mut i2c, mut u) = ready(&[r(RXLVL, 64), r(TXLVL, 0), r(TXLVL, 0x40)]).await;
        assert_eq!(u.rx_level().await, Ok(64));
        assert_eq!(u.tx_space().await, Ok(0));
        assert_eq!(u.tx_space().await, Ok(64));
        i2c.done();
    }
}

both!(
    sixty_four_bytes_into_an_empty_fifo,
    a_write_takes_only_what_fits,
    a_full_fifo_means_no_thr_write_at_all,
    a_txlvl_above_64_is_refused,
    write_all_waits_for_room,
    write_all_spends_the_room_it_knows,
    only_a_tx_reset_with_the_fifos_on_makes_the_room_known,
    a_failed_burst_forgets_the_room,
    a_write_reports_a_nack,
    sixteen_clean_bytes_in_one_burst,
    unchecked_reads_skip_lsr,
    an_empty_fifo_costs_one_rxlvl_read,
    a_read_stops_at_the_buffer,
    a_bad_character_at_the_top_is_taken_out_and_reported,
    a_parity_flag_alone_is_a_parity_error,
    good_bytes_before_a_bad_one_come_first,
    the_slow_path_stops_when_lsr_says_empty,
    the_slow_path_bursts_once_the_fifo_is_clean,
    an_overrun_is_reported_after_the_good_bytes,
    an_overrun_seen_by_flush_is_not_lost,
    a_read_reports_a_nack,
    a_nack_while_taking_a_bad_character_is_the_error,
    flush_waits_for_the_shift_register,
    waits_end_at_the_deadline_counted_in_polls,
    a_disabled_transmitter_answers_at_once,
    a_failed_burst_is_counted_out_of_write_all_counted,
    line_status_decodes,
    levels,
);

/// SPI framing: the same driver on an `SpiDevice`, one chip-select frame per access.
#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all()), self = "spi_blocking"),
    async(feature = "async", self = "spi_asynch")
)]
mod spi_cases {
    use super::common::*;
    use super::FailingSpi;
    use sc16is740::{Sc16is752, Sc16is7xx};

    pub async fn spi_write_read_and_channel_b() {
        let data = payload(64);
        let mut frames = Vec::new();
        frames.extend(spi_r(LCR, &[0x03]));
        frames.extend(spi_r(TXLVL, &[64]));
        let mut write = vec![THR];
        write.extend_from_slice(&data);
        frames.extend(spi_w(&write));
        frames.extend(spi_r(RXLVL, &[16]));
        frames.extend(spi_r(LSR, &[0x61]));
        frames.extend(spi_r(RHR, &data[..16]));
        // channel B: sub-address bit 1 (LCR 0x1A, read 0x9A)
        frames.extend(spi_r(LCR | 0x02, &[0x03]));
        frames.extend(spi_w(&[LCR | 0x02, 0x1A]));
        let mut spi = SpiMock::new(&frames);
        let mut u = Sc16is7xx::new_spi(spi.clone(), XTAL.Hz(), Sc16is752);
        assert_eq!(u.try_write(&data).await, Ok(64));
        let mut buffer = [0; 64];
        assert_eq!(u.try_read(&mut buffer).await, Ok(16));
        assert_eq!(&buffer[..16], &data[..16]);
        let mut b = Sc16is7xx::new_spi(spi.clone(), XTAL.Hz(), Sc16is752).on_channel_b();
        assert_eq!(b.channel(), Channel::B);
        b.set_line_format(LineFormat::F7E1).await.unwrap();
        spi.done();
    }

    pub async fn spi_software_reset_has_no_nack_to_forgive() {
        let mut frames = Vec::new();
        frames.extend(spi_w(&[LCR, 0x03]));
        frames.extend(spi_w(&[IOCONTROL, 0x08]));
        frames.extend(spi_r(LCR, &[0x1D]));
        let mut spi = SpiMock::new(&frames);
        let mut u = Sc16is7xx::new_spi(spi.clone(), XTAL.Hz(), Sc16is752);
        u.software_reset(&mut NoopDelay).await.unwrap();
        spi.done();
    }

    pub async fn spi_bus_error() {
        let mut u = Sc16is7xx::new_spi(FailingSpi, XTAL.Hz(), Sc16is752);
        assert_eq!(
            u.rx_level().await,
            Err(Error::Bus(embedded_hal::spi::ErrorKind::ChipSelectFault))
        );
        let mut buffer = [0; 4];
        assert_eq!(
            u.try_read(&mut buffer).await,
            Err(Error::Bus(embedded_hal::spi::ErrorKind::ChipSelectFault))
        );
    }
}

/// An SPI device whose every frame fails.
struct FailingSpi;

impl embedded_hal::spi::ErrorType for FailingSpi {
    type Error = embedded_hal::spi::ErrorKind;
}

impl embedded_hal::spi::SpiDevice for FailingSpi {
    fn transaction(&mut self, _: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        Err(embedded_hal::spi::ErrorKind::ChipSelectFault)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::spi::SpiDevice for FailingSpi {
    async fn transaction(&mut self, _: &mut [embedded_hal::spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        Err(embedded_hal::spi::ErrorKind::ChipSelectFault)
    }
}

mod spi {
    #[test]
    fn write_read_and_channel_b() {
        super::spi_blocking::spi_write_read_and_channel_b();
    }
    #[test]
    fn software_reset() {
        super::spi_blocking::spi_software_reset_has_no_nack_to_forgive();
    }
    #[test]
    fn bus_error() {
        super::spi_blocking::spi_bus_error();
    }
    #[cfg(feature = "async")]
    #[test]
    fn write_read_and_channel_b_async() {
        super::common::block_on(super::spi_asynch::spi_write_read_and_channel_b());
    }
    #[cfg(feature = "async")]
    #[test]
    fn software_reset_async() {
        super::common::block_on(super::spi_asynch::spi_software_reset_has_no_nack_to_forgive());
    }
    #[cfg(feature = "async")]
    #[test]
    fn bus_error_async() {
        super::common::block_on(super::spi_asynch::spi_bus_error());
    }
}

/// The blocking serial traits (embedded-io, embedded-hal-nb) on the blocking driver.
mod traits {
    use super::common::*;
    use sc16is740::{Sc16is740, Sc16is7xx};

    fn ready(rest: &[I2c]) -> (I2cMock, Sc16is7xx<sc16is740::I2cInterface<I2cMock>, Sc16is740>) {
        let i2c = after_init(rest);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        u.init(&Config::default()).unwrap();
        (i2c, u)
    }

    #[test]
    fn embedded_io_read_waits_for_a_byte() {
        use embedded_io::{Read, ReadReady};
        let (mut i2c, mut u) = ready(&[
            r(RXLVL, 0),
            r(RXLVL, 0),
            r(RXLVL, 1),
            r(LSR, 0x61),
            rb(RHR, b"z"),
            r(RXLVL, 0),
            r(RXLVL, 1),
        ]);
        let mut buffer = [0; 4];
        assert_eq!(Read::read(&mut u, &mut buffer), Ok(1));
        assert_eq!(buffer[0], b'z');
        assert_eq!(u.read_ready(), Ok(false));
        // one character waiting is ready
        assert_eq!(u.read_ready(), Ok(true));
        i2c.done();
    }

    #[test]
    fn embedded_io_write_and_flush() {
        use embedded_io::{Write, WriteReady};
        let (mut i2c, mut u) = ready(&[
            r(TXLVL, 0),
            r(TXLVL, 3),
            burst(THR, b"abc"),
            r(LSR, 0x20),
            r(LSR, 0x60),
            r(TXLVL, 1),
            r(TXLVL, 0),
        ]);
        assert_eq!(Write::write(&mut u, b"abcd"), Ok(3));
        Write::flush(&mut u).unwrap();
        assert_eq!(u.write_ready(), Ok(true));
        // a full FIFO is not ready
        assert_eq!(u.write_ready(), Ok(false));
        assert_eq!(Write::write(&mut u, &[]), Ok(0));
        i2c.done();
    }

    #[test]
    fn embedded_io_write_all_and_read_exact() {
        use embedded_io::{Read, Write};
        let (mut i2c, mut u) = ready(&[
            // the TX FIFO init reset has room for all three
            burst(THR, b"abc"),
            r(RXLVL, 2),
            r(LSR, 0x61),
            rb(RHR, b"xy"),
            r(RXLVL, 1),
            r(LSR, 0x61),
            rb(RHR, b"z"),
        ]);
        Write::write_all(&mut u, b"abc").unwrap();
        let mut buffer = [0; 3];
        Read::read_exact(&mut u, &mut buffer).unwrap();
        assert_eq!(&buffer, b"xyz");
        i2c.done();
    }

    #[test]
    fn embedded_io_read_and_write_end_at_the_deadline() {
        use embedded_io::{Read, Write};
        let (mut i2c, mut u) = ready(&[
            r(RXLVL, 0),
            r(RXLVL, 0),
            r(TXLVL, 0),
            r(TXLVL, 0),
            w(EFCR, 0x04),
            r(TXLVL, 0),
        ]);
        u.set_timeout(fugit::MicrosDurationU32::from_ticks(200));
        let mut buffer = [0; 4];
        assert_eq!(Read::read(&mut u, &mut buffer), Err(Error::Timeout));
        assert_eq!(Write::write(&mut u, b"a"), Err(Error::Timeout));
        u.set_transmitter_enabled(false).unwrap();
        // a full FIFO that cannot drain: at once
        assert_eq!(Write::write(&mut u, b"a"), Err(Error::TransmitterDisabled));
        i2c.done();
    }

    #[test]
    fn nb_serial_on_a_disabled_transmitter_does_not_block_for_ever() {
        use embedded_hal_nb::serial::Write;
        let (mut i2c, mut u) = ready(&[w(EFCR, 0x04), r(TXLVL, 0), r(LSR, 0x20), r(LSR, 0x60)]);
        u.set_transmitter_enabled(false).unwrap();
        assert_eq!(
            Write::write(&mut u, b'a'),
            Err(nb::Error::Other(Error::TransmitterDisabled))
        );
        assert_eq!(Write::flush(&mut u), Err(nb::Error::Other(Error::TransmitterDisabled)));
        assert_eq!(Write::flush(&mut u), Ok(()));
        i2c.done();
    }

    #[test]
    fn embedded_io_error_kinds() {
        use embedded_io::Error as _;
        let e: Error<ErrorKind> = Error::Line(LineError::Parity(1));
        assert_eq!(e.kind(), embedded_io::ErrorKind::InvalidData);
        let e: Error<ErrorKind> = Error::Argument(ArgumentError::StopBits);
        assert_eq!(e.kind(), embedded_io::ErrorKind::InvalidInput);
        let e: Error<ErrorKind> = Error::Bus(nack());
        assert_eq!(e.kind(), embedded_io::ErrorKind::Other);
        assert_eq!(Error::<ErrorKind>::Timeout.kind(), embedded_io::ErrorKind::TimedOut);
        assert_eq!(
            Error::<ErrorKind>::TransmitterDisabled.kind(),
            embedded_io::ErrorKind::NotConnected
        );
        assert!(e.is_nack());
    }

    #[test]
    fn nb_serial() {
        use embedded_hal_nb::serial::{Error as _, ErrorKind as NbKind, Read, Write};
        let (mut i2c, mut u) = ready(&[
            r(RXLVL, 0),
            r(RXLVL, 5),
            r(LSR, 0x61),
            rb(RHR, b"q"),
            r(RXLVL, 1),
            r(LSR, 0x63),
            rb(RHR, b"r"),
            r(RXLVL, 0),
            r(TXLVL, 0),
            r(TXLVL, 9),
            burst(THR, b"w"),
            r(LSR, 0x20),
            r(LSR, 0x60),
        ]);
        assert_eq!(Read::read(&mut u), Err(nb::Error::WouldBlock));
        assert_eq!(Read::read(&mut u), Ok(b'q'));
        assert_eq!(Read::read(&mut u), Ok(b'r'));
        match Read::read(&mut u) {
            Err(nb::Error::Other(e)) => assert_eq!(e.kind(), NbKind::Overrun),
            other => panic!("{other:?}"),
        }
        assert_eq!(Write::write(&mut u, b'w'), Err(nb::Error::WouldBlock));
        assert_eq!(Write::write(&mut u, b'w'), Ok(()));
        assert_eq!(Write::flush(&mut u), Err(nb::Error::WouldBlock));
        assert_eq!(Write::flush(&mut u), Ok(()));
        i2c.done();
    }
}
