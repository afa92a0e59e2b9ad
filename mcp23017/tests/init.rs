//! Start-up, configuration (IOCON), cache resynchronisation: exact bytes, sync and async through the same bodies.
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

    pub async fn init_recovers_the_bank_then_writes_the_power_on_map_in_one_burst() {
        let mut i2c = mock(&init_default(0x0000));
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        // The cache now holds what init wrote: a pin write costs one write, no read.
        assert_eq!(mcp.directions().await.unwrap(), Pins::ALL);
        assert_eq!(mcp.outputs().await.unwrap(), Pins::NONE);
        i2c.done();
    }

    pub async fn init_with_options_writes_iocon_everywhere() {
        let config = Config {
            mirror_interrupts: true,
            int_output: IntOutput::OpenDrain,
            ..Config::default()
        };
        let mut burst = vec![0x00, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x44, 0x44];
        burst.extend_from_slice(&[0; 10]);
        let mut i2c = mock(&[
            write(&[0x05, 0x44]),
            write(&[0x0A, 0x44, 0x44]),
            write(&burst),
            read(0x0E, &[0, 0, 0, 0, 0, 0]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::from_pins(false, false, false));
        mcp.init(config).await.unwrap();
        assert_eq!(mcp.config().await.unwrap(), config);
        i2c.done();
    }

    pub async fn init_in_byte_mode_writes_one_pair_at_a_time() {
        let config = Config {
            sequential: false,
            ..Config::default()
        };
        let mut i2c = mock(&[
            write(&[0x05, 0x20]),
            write(&[0x0A, 0x20, 0x20]),
            write(&[0x00, 0xFF, 0xFF]),
            write(&[0x02, 0x00, 0x00]),
            write(&[0x04, 0x00, 0x00]),
            write(&[0x06, 0x00, 0x00]),
            write(&[0x08, 0x00, 0x00]),
            write(&[0x0C, 0x00, 0x00]),
            write(&[0x14, 0x00, 0x00]),
            read(0x0E, &[0, 0]),
            read(0x10, &[0, 0]),
            read(0x12, &[0x34, 0x12]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(config).await.unwrap();
        i2c.done();
    }

    pub async fn init_stops_at_the_first_nack() {
        let mut i2c = mock(&[write(&[0x05, 0x00]).with_error(nack())]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.init(Config::default()).await, nacked());
        i2c.done();
    }

    pub async fn init_on_spi_at_address_5_reaches_a_chip_without_haen_first() {
        let config = Config {
            hardware_addressing: true,
            ..Config::default()
        };
        let mut burst = vec![0x00, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x08];
        burst.extend_from_slice(&[0; 10]);
        let mut expected = Vec::new();
        for frame in [
            spi_write(0x40, &[0x05, 0x08]),
            spi_write(0x48, &[0x05, 0x08]),
            spi_write(0x4A, &[0x05, 0x08]),
            spi_write(0x40, &[0x0A, 0x08, 0x08]),
            spi_write(0x48, &[0x0A, 0x08, 0x08]),
            spi_write(0x4A, &[0x0A, 0x08, 0x08]),
            spi_write(0x4A, &burst),
            spi_read(0x4B, 0x0E, &[0, 0, 0, 0, 0, 0]),
        ] {
            expected.extend(frame);
        }
        let mut spi = SpiMock::new(&expected);
        let mut mcp = Mcp23017::new_spi(spi.clone(), HardwareAddress::raw(5).unwrap());
        mcp.init(config).await.unwrap();
        assert_eq!(mcp.hardware_address().get(), 5);
        spi.done();
    }

    pub async fn init_on_spi_at_address_0_sends_to_0_only() {
        let mut expected = Vec::new();
        let mut burst = vec![0x00, 0xFF, 0xFF];
        burst.extend_from_slice(&[0; 20]);
        for frame in [
            spi_write(0x40, &[0x05, 0x00]),
            spi_write(0x40, &[0x0A, 0x00, 0x00]),
            spi_write(0x40, &burst),
            spi_read(0x41, 0x0E, &[0, 0, 0, 0, 0, 0]),
        ] {
            expected.extend(frame);
        }
        let mut spi = SpiMock::new(&expected);
        let mut mcp = Mcp23017::new_spi(spi.clone(), HardwareAddress::default());
        mcp.init(Config::default()).await.unwrap();
        spi.done();
    }

    pub async fn spi_at_a_nonzero_address_without_haen_is_refused_without_traffic() {
        let mut spi = SpiMock::new(&[]);
        let mut mcp = Mcp23017::new_spi(spi.clone(), HardwareAddress::from_pins(true, false, false));
        let refused = Err(Error::Argument(ArgumentError::HardwareAddressingRequired));
        assert_eq!(mcp.init(Config::default()).await, refused);
        assert_eq!(mcp.set_config(Config::default()).await, refused);
        spi.done();
    }

    pub async fn set_config_writes_both_iocon_copies_in_one_write() {
        let config = Config {
            int_output: IntOutput::ActiveHigh,
            slew_rate_control: false,
            hardware_addressing: true,
            ..Config::default()
        };
        let mut i2c = cold_mock(&[write(&[0x0A, 0x1A, 0x1A])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_config(config).await.unwrap();
        assert!(mcp.int_active_high());
        i2c.done();
    }

    pub async fn int_settings_read_iocon_once_then_write_it() {
        let mut i2c = mock(&[
            read(0x05, &[0x00]),
            read(0x0A, &[0x20]),
            write(&[0x0A, 0x24, 0x24]),
            write(&[0x0A, 0x64, 0x64]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.set_int_output(IntOutput::OpenDrain).await.unwrap();
        mcp.set_int_mirror(true).await.unwrap();
        assert!(!mcp.int_active_high());
        i2c.done();
    }

    pub async fn config_reads_iocon_when_not_cached_and_reports_a_nack() {
        let mut i2c = mock(&[
            read(0x05, &[0x00]).with_error(nack()),
            read(0x05, &[0x00]),
            read(0x0A, &[0x00]).with_error(nack()),
            read(0x05, &[0x00]),
            read(0x0A, &[0x42]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.config().await, nacked());
        assert_eq!(mcp.config().await, nacked());
        let config = mcp.config().await.unwrap();
        assert!(config.mirror_interrupts);
        assert_eq!(config.int_output, IntOutput::ActiveHigh);
        i2c.done();
    }

    pub async fn resync_reads_iocon_the_block_and_olat_without_touching_intcap_or_gpio() {
        let block = [0x0F, 0xF0, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xFF, 0x00];
        let mut i2c = cold_mock(&[read(0x00, &block), read(0x14, &[0x05, 0x80])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.resync().await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0xF00F));
        assert_eq!(mcp.input_polarity().await.unwrap(), Pins::from_bits_retain(0x0001));
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::from_bits_retain(0x00FF));
        assert_eq!(mcp.outputs().await.unwrap(), Pins::from_bits_retain(0x8005));
        i2c.done();
    }

    pub async fn resync_in_byte_mode_reads_pair_by_pair() {
        let mut i2c = mock(&[
            read(0x05, &[0x00]),
            read(0x0A, &[0x20]),
            read(0x00, &[0xFF, 0x00]),
            read(0x02, &[0, 0]),
            read(0x04, &[0, 0]),
            read(0x06, &[0, 0]),
            read(0x08, &[0, 0]),
            read(0x0C, &[0, 0x01]),
            read(0x14, &[0, 0]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.resync().await.unwrap();
        assert_eq!(mcp.directions().await.unwrap(), Pins::from_bits_retain(0x00FF));
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::from_bits_retain(0x0100));
        assert!(!mcp.config().await.unwrap().sequential);
        i2c.done();
    }

    pub async fn resync_reports_a_nack() {
        let mut i2c = mock(&[read(0x05, &[0]).with_error(nack())]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.resync().await, nacked());
        i2c.done();
    }

    pub async fn invalidate_cache_makes_the_next_pin_write_read_olat() {
        let mut transactions = init_default(0);
        transactions.extend(map_reads(0x00));
        transactions.push(read(0x14, &[0x00, 0x80]));
        transactions.push(write(&[0x14, 0x01, 0x80]));
        let mut i2c = mock(&transactions);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        mcp.init(Config::default()).await.unwrap();
        mcp.invalidate_cache();
        mcp.set_pin(PinId::A0, true).await.unwrap();
        i2c.done();
    }

    /// A chip left in BANK = 1: 0x05 is IOCON (BANK set), 0x0A is OLATA, here with bit 7 set, which IOCON in
    /// BANK = 0 never has: IOCON without BANK to 0x05, read back at 0x0A.
    pub async fn a_cold_driver_brings_a_chip_left_in_bank_1_to_bank_0_keeping_iocon() {
        let mut i2c = mock(&[
            read(0x05, &[0xE4]),
            read(0x0A, &[0x80]),
            write(&[0x05, 0x64]),
            read(0x0A, &[0x64]),
            read(0x0C, &[0x00, 0x00]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        let config = mcp.config().await.unwrap();
        assert!(config.mirror_interrupts && !config.sequential);
        assert_eq!(config.int_output, IntOutput::OpenDrain);
        // byte mode known: a pair read still works
        assert_eq!(mcp.pull_ups().await.unwrap(), Pins::NONE);
        i2c.done();
    }

    /// 0x05 with bit 7 set and 0x0A without: 0x15 (OLATB in BANK = 0, IOCON in BANK = 1) differs, so BANK = 0
    /// with GPB7's interrupt enabled: nothing is written.
    pub async fn a_cold_driver_tells_gpb7_interrupts_from_bank_1_by_0x15() {
        let mut i2c = mock(&[read(0x05, &[0x80]), read(0x0A, &[0x20]), read(0x15, &[0x00])]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert!(!mcp.config().await.unwrap().sequential);
        i2c.done();
    }

    /// Reads that fit both maps: the write to 0x05 and IOCON read back tell them apart; in BANK = 0 GPINTENB is
    /// written back as it was.
    pub async fn a_cold_driver_resolves_the_ambiguous_reads_with_one_write_and_restores_gpintenb() {
        // BANK = 0, GPINTENB = OLATB = 0x82, IOCON = 0x20: IOCON unchanged by the write, so BANK = 0
        let mut i2c = mock(&[
            read(0x05, &[0x82]),
            read(0x0A, &[0x20]),
            read(0x15, &[0x82]),
            write(&[0x05, 0x02]),
            read(0x0A, &[0x20]),
            write(&[0x05, 0x82]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.config().await.unwrap().int_output, IntOutput::ActiveLow);
        i2c.done();
        // BANK = 1, IOCON = 0x82 (at 0x05 and 0x15), OLATA = 0x20: IOCON now reads 0x02
        let mut i2c = mock(&[
            read(0x05, &[0x82]),
            read(0x0A, &[0x20]),
            read(0x15, &[0x82]),
            write(&[0x05, 0x02]),
            read(0x0A, &[0x02]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.config().await.unwrap().int_output, IntOutput::ActiveHigh);
        i2c.done();
    }

    /// A bus stuck high (no chip answering on SPI, a floating bus): IOCON does not read back, an error instead
    /// of a guessed configuration; nothing cached.
    pub async fn a_cold_driver_refuses_iocon_that_does_not_read_back() {
        let mut i2c = mock(&[
            read(0x05, &[0xFF]),
            read(0x0A, &[0xFF]),
            write(&[0x05, 0x7E]),
            read(0x0A, &[0xFF]),
            read(0x05, &[0x00]),
            read(0x0A, &[0x80]),
        ]);
        let mut mcp = Mcp23017::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(mcp.config().await, Err(Error::UnexpectedDevice));
        assert_eq!(mcp.config().await, Err(Error::UnexpectedDevice));
        i2c.done();
    }

    pub async fn release_gives_the_bus_back() {
        let i2c = mock(&[]);
        let mcp = Mcp23017::new(i2c, Address::raw(0x27).unwrap());
        assert_eq!(mcp.address().get(), 0x27);
        let mut i2c = mcp.release();
        i2c.done();
    }
}

both!(
    init_recovers_the_bank_then_writes_the_power_on_map_in_one_burst,
    init_with_options_writes_iocon_everywhere,
    init_in_byte_mode_writes_one_pair_at_a_time,
    init_stops_at_the_first_nack,
    init_on_spi_at_address_5_reaches_a_chip_without_haen_first,
    init_on_spi_at_address_0_sends_to_0_only,
    spi_at_a_nonzero_address_without_haen_is_refused_without_traffic,
    set_config_writes_both_iocon_copies_in_one_write,
    int_settings_read_iocon_once_then_write_it,
    config_reads_iocon_when_not_cached_and_reports_a_nack,
    resync_reads_iocon_the_block_and_olat_without_touching_intcap_or_gpio,
    resync_in_byte_mode_reads_pair_by_pair,
    resync_reports_a_nack,
    invalidate_cache_makes_the_next_pin_write_read_olat,
    release_gives_the_bus_back,
    a_cold_driver_brings_a_chip_left_in_bank_1_to_bank_0_keeping_iocon,
    a_cold_driver_tells_gpb7_interrupts_from_bank_1_by_0x15,
    a_cold_driver_resolves_the_ambiguous_reads_with_one_write_and_restores_gpintenb,
    a_cold_driver_refuses_iocon_that_does_not_read_back,
);
