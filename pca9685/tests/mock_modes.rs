//! MODE1/MODE2 settings, addresses, cache and read-back: exact bytes, both drivers.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Pca9685(sync = "Pca9685", async = "Pca9685Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use pca9685::{DisabledOutput, OutputChange, OutputConfig, OutputDriver, Pca9685, SubAddress};

    pub async fn whole_output_config_is_one_write_without_a_read() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0x01, 0x1A]), I2c::write(ADDR, vec![0x01, 0x04])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let config = OutputConfig {
            invert: true,
            change: OutputChange::OnAck,
            driver: OutputDriver::OpenDrain,
            disabled: DisabledOutput::HighImpedance,
        };
        pca.set_output_config(config).await.unwrap();
        pca.set_output_config(OutputConfig::default()).await.unwrap();
        i2c.done();
    }

    pub async fn single_mode2_fields_read_once_then_write_from_the_cache() {
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x01], vec![0x04]),
            I2c::write(ADDR, vec![0x01, 0x14]),
            I2c::write(ADDR, vec![0x01, 0x10]),
            I2c::write(ADDR, vec![0x01, 0x18]),
            I2c::write(ADDR, vec![0x01, 0x19]),
            I2c::write(ADDR, vec![0x01, 0x1A]),
            I2c::write(ADDR, vec![0x01, 0x18]),
            I2c::write(ADDR, vec![0x01, 0x1C]),
            I2c::write(ADDR, vec![0x01, 0x14]),
            I2c::write(ADDR, vec![0x01, 0x04]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_output_invert(true).await.unwrap();
        pca.set_output_driver(OutputDriver::OpenDrain).await.unwrap();
        pca.set_output_change(OutputChange::OnAck).await.unwrap();
        pca.set_disabled_output(DisabledOutput::HighOrHighImpedance)
            .await
            .unwrap();
        pca.set_disabled_output(DisabledOutput::HighImpedance).await.unwrap();
        pca.set_disabled_output(DisabledOutput::Low).await.unwrap();
        pca.set_output_driver(OutputDriver::TotemPole).await.unwrap();
        pca.set_output_change(OutputChange::OnStop).await.unwrap();
        pca.set_output_invert(false).await.unwrap();
        i2c.done();
    }

    pub async fn output_config_reads_mode2() {
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x01], vec![0xFD]),
            I2c::write(ADDR, vec![0x01, 0x0D]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let config = pca.output_config().await.unwrap();
        assert_eq!(
            config,
            OutputConfig {
                invert: true,
                change: OutputChange::OnAck,
                driver: OutputDriver::TotemPole,
                disabled: DisabledOutput::HighOrHighImpedance,
            }
        );
        // reserved bits 7:5 never written back
        pca.set_output_invert(false).await.unwrap();
        i2c.done();
    }

    /// Each MODE2 field decoded from its own datasheet bits (INVRT 4, OCH 3, OUTDRV 2, OUTNE 1:0), from a read with
    /// only that field set: a decoder that ORs instead of masking, or drops a case, fails.
    pub async fn output_config_decodes_each_mode2_field_alone() {
        let reads = [0x00u8, 0x10, 0x08, 0x04, 0x01, 0x02, 0x03];
        let mut i2c = mock(&reads.map(|value| I2c::write_read(ADDR, vec![0x01], vec![value])));
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let base = OutputConfig {
            invert: false,
            change: OutputChange::OnStop,
            driver: OutputDriver::OpenDrain,
            disabled: DisabledOutput::Low,
        };
        let expected = [
            base,
            OutputConfig { invert: true, ..base },
            OutputConfig {
                change: OutputChange::OnAck,
                ..base
            },
            OutputConfig {
                driver: OutputDriver::TotemPole,
                ..base
            },
            OutputConfig {
                disabled: DisabledOutput::HighOrHighImpedance,
                ..base
            },
            OutputConfig {
                disabled: DisabledOutput::HighImpedance,
                ..base
            },
            OutputConfig {
                disabled: DisabledOutput::HighImpedance,
                ..base
            },
        ];
        for (value, want) in reads.iter().zip(expected) {
            assert_eq!(pca.output_config().await.unwrap(), want, "MODE2 {value:#04x}");
        }
        i2c.done();
    }

    pub async fn all_call_and_sub_address_enables_never_write_restart() {
        let mut i2c = mock(&[
            read_mode1(0xA1),
            I2c::write(ADDR, vec![0x00, 0x20]),
            I2c::write(ADDR, vec![0x00, 0x24]),
            I2c::write(ADDR, vec![0x00, 0x2C]),
            I2c::write(ADDR, vec![0x00, 0x2E]),
            I2c::write(ADDR, vec![0x00, 0x26]),
            I2c::write(ADDR, vec![0x00, 0x27]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.enable_all_call(false).await.unwrap();
        pca.enable_sub_address(SubAddress::Two, true).await.unwrap();
        pca.enable_sub_address(SubAddress::One, true).await.unwrap();
        pca.enable_sub_address(SubAddress::Three, true).await.unwrap();
        pca.enable_sub_address(SubAddress::One, false).await.unwrap();
        pca.enable_all_call(true).await.unwrap();
        i2c.done();
    }

    pub async fn addresses_are_written_and_read_shifted() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0x02, 0xE6]),
            I2c::write(ADDR, vec![0x03, 0xE4]),
            I2c::write(ADDR, vec![0x04, 0x90]),
            I2c::write(ADDR, vec![0x05, 0xFC]),
            I2c::write_read(ADDR, vec![0x04], vec![0xE8]),
            I2c::write_read(ADDR, vec![0x05], vec![0xE1]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_sub_address(SubAddress::One, Address::raw(0x73).unwrap())
            .await
            .unwrap();
        pca.set_sub_address(SubAddress::Two, Address::raw(0x72).unwrap())
            .await
            .unwrap();
        pca.set_sub_address(SubAddress::Three, Address::raw(0x48).unwrap())
            .await
            .unwrap();
        pca.set_all_call_address(Address::raw(0x7E).unwrap()).await.unwrap();
        assert_eq!(pca.sub_address(SubAddress::Three).await, Ok(0x74));
        assert_eq!(pca.all_call_address().await, Ok(0x70));
        i2c.done();
    }

    pub async fn auto_increment_off_is_turned_back_on_for_the_next_burst() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x01]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x08]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_auto_increment(false).await.unwrap();
        pca.set_duty_cycle(Channel::C0, 2048).await.unwrap();
        i2c.done();
    }

    pub async fn read_mode1_decodes_every_flag() {
        let mut i2c = mock(&[read_mode1(0xFF), read_mode1(0x00)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let all = pca.read_mode1().await.unwrap();
        assert!(all.restart_pending() && all.external_clock() && all.auto_increment() && all.sleeping());
        assert!(all.all_call_enabled());
        assert!([SubAddress::One, SubAddress::Two, SubAddress::Three]
            .iter()
            .all(|s| all.sub_address_enabled(*s)));
        let none = pca.read_mode1().await.unwrap();
        assert!(!none.restart_pending() && !none.external_clock() && !none.auto_increment() && !none.sleeping());
        assert!(!none.all_call_enabled() && !none.sub_address_enabled(SubAddress::Two));
        i2c.done();
    }

    pub async fn resync_refills_the_cache_and_invalidate_empties_it() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write_read(ADDR, vec![0x01], vec![0x04]),
            I2c::write_read(ADDR, vec![0xFE], vec![0x79]),
            // from the cache: no reads
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0x01, 0x14]),
            // after invalidate_cache: read again
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x10]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.resync().await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), 50_029);
        pca.sleep().await.unwrap();
        pca.set_output_invert(true).await.unwrap();
        pca.invalidate_cache();
        pca.enable_all_call(false).await.unwrap();
        i2c.done();
    }

    pub async fn resync_stops_at_the_first_bus_error() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write_read(ADDR, vec![0x01], vec![0x04]).with_error(nack()),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.resync().await, Err(Error::Bus(nack())));
        i2c.done();
    }

    pub async fn mode1_setters_write_even_when_the_bit_is_already_in_that_state() {
        let mut i2c = mock(&[
            // awake, AI, SUB1..3 and ALLCALL all set
            read_mode1(0x2F),
            I2c::write(ADDR, vec![0x00, 0x2F]),
            I2c::write(ADDR, vec![0x00, 0x2F]),
            I2c::write(ADDR, vec![0x00, 0x2F]),
            I2c::write(ADDR, vec![0x00, 0x2F]),
            I2c::write(ADDR, vec![0x00, 0x2F]),
            I2c::write(ADDR, vec![0x00, 0x2F]),
            I2c::write(ADDR, vec![0x00, 0x3F]),
            I2c::write(ADDR, vec![0x00, 0x3F]),
            // asleep with every other bit clear
            read_mode1(0x10),
            I2c::write(ADDR, vec![0x00, 0x10]),
            I2c::write(ADDR, vec![0x00, 0x10]),
            I2c::write(ADDR, vec![0x00, 0x10]),
            I2c::write(ADDR, vec![0x00, 0x10]),
            I2c::write(ADDR, vec![0x00, 0x10]),
            I2c::write(ADDR, vec![0x00, 0x10]),
            // wake turns auto-increment on again
            I2c::write(ADDR, vec![0x00, 0x20]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500), Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.enable_all_call(true).await.unwrap();
        pca.enable_sub_address(SubAddress::One, true).await.unwrap();
        pca.enable_sub_address(SubAddress::Two, true).await.unwrap();
        pca.enable_sub_address(SubAddress::Three, true).await.unwrap();
        pca.set_auto_increment(true).await.unwrap();
        pca.wake(&mut delay).await.unwrap();
        pca.sleep().await.unwrap();
        pca.sleep().await.unwrap();
        pca.invalidate_cache();
        pca.enable_all_call(false).await.unwrap();
        pca.enable_sub_address(SubAddress::One, false).await.unwrap();
        pca.enable_sub_address(SubAddress::Two, false).await.unwrap();
        pca.enable_sub_address(SubAddress::Three, false).await.unwrap();
        pca.set_auto_increment(false).await.unwrap();
        pca.sleep().await.unwrap();
        pca.wake(&mut delay).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn mode2_setters_write_even_when_the_field_is_already_in_that_state() {
        let mut i2c = mock(&[
            // INVRT, OCH, OUTDRV and OUTNE = 01
            I2c::write_read(ADDR, vec![0x01], vec![0x1D]),
            I2c::write(ADDR, vec![0x01, 0x1D]),
            I2c::write(ADDR, vec![0x01, 0x1D]),
            I2c::write(ADDR, vec![0x01, 0x1D]),
            I2c::write(ADDR, vec![0x01, 0x1D]),
            // everything clear
            I2c::write_read(ADDR, vec![0x01], vec![0x00]),
            I2c::write(ADDR, vec![0x01, 0x00]),
            I2c::write(ADDR, vec![0x01, 0x00]),
            I2c::write(ADDR, vec![0x01, 0x00]),
            I2c::write(ADDR, vec![0x01, 0x00]),
            // OUTNE 10 to 10, then 11 read back as high impedance and written as 10
            I2c::write_read(ADDR, vec![0x01], vec![0x06]),
            I2c::write(ADDR, vec![0x01, 0x06]),
            I2c::write_read(ADDR, vec![0x01], vec![0x07]),
            I2c::write(ADDR, vec![0x01, 0x06]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_output_invert(true).await.unwrap();
        pca.set_output_change(OutputChange::OnAck).await.unwrap();
        pca.set_output_driver(OutputDriver::TotemPole).await.unwrap();
        pca.set_disabled_output(DisabledOutput::HighOrHighImpedance)
            .await
            .unwrap();
        pca.invalidate_cache();
        pca.set_output_invert(false).await.unwrap();
        pca.set_output_change(OutputChange::OnStop).await.unwrap();
        pca.set_output_driver(OutputDriver::OpenDrain).await.unwrap();
        pca.set_disabled_output(DisabledOutput::Low).await.unwrap();
        pca.invalidate_cache();
        pca.set_disabled_output(DisabledOutput::HighImpedance).await.unwrap();
        pca.invalidate_cache();
        pca.set_disabled_output(DisabledOutput::HighImpedance).await.unwrap();
        i2c.done();
    }

    pub async fn a_failed_mode_write_is_read_again_before_the_next_change() {
        // a write the host saw fail may have reached the chip: MODE1 and MODE2 are read again
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x20]).with_error(nack()),
            read_mode1(0x20),
            I2c::write(ADDR, vec![0x00, 0x28]),
            I2c::write(ADDR, vec![0x01, 0x14]).with_error(nack()),
            I2c::write_read(ADDR, vec![0x01], vec![0x04]),
            I2c::write(ADDR, vec![0x01, 0x0C]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert!(pca.enable_all_call(false).await.unwrap_err().is_nack());
        pca.enable_sub_address(SubAddress::One, true).await.unwrap();
        let config = OutputConfig {
            invert: true,
            ..OutputConfig::default()
        };
        assert!(pca.set_output_config(config).await.unwrap_err().is_nack());
        pca.set_output_change(OutputChange::OnAck).await.unwrap();
        i2c.done();
    }

    pub async fn another_address_and_release() {
        let i2c = mock(&[
            I2c::write_read(0x7F, vec![0x01], vec![0x04]),
            I2c::write(0x7F, vec![0xFD, 0x10]),
        ]);
        let mut pca = Pca9685::new(i2c, Address::from_pins(true, true, true, true, true, true));
        assert_eq!(pca.address().get(), 0x7F);
        pca.all_off().await.unwrap();
        let mut bus = pca.release();
        bus.done();
    }
}

both!(
    output_config_decodes_each_mode2_field_alone,
    whole_output_config_is_one_write_without_a_read,
    single_mode2_fields_read_once_then_write_from_the_cache,
    output_config_reads_mode2,
    all_call_and_sub_address_enables_never_write_restart,
    addresses_are_written_and_read_shifted,
    auto_increment_off_is_turned_back_on_for_the_next_burst,
    read_mode1_decodes_every_flag,
    resync_refills_the_cache_and_invalidate_empties_it,
    resync_stops_at_the_first_bus_error,
    mode1_setters_write_even_when_the_bit_is_already_in_that_state,
    mode2_setters_write_even_when_the_field_is_already_in_that_state,
    a_failed_mode_write_is_read_again_before_the_next_change,
    another_address_and_release,
);

#[test]
fn addresses() {
    use pca9685::{Address, InvalidAddress};
    assert_eq!(Address::default().get(), 0x40);
    assert_eq!(Address::from_pins(false, false, false, false, false, true).get(), 0x41);
    assert_eq!(Address::from_pins(true, false, false, false, false, false).get(), 0x60);
    assert_eq!(Address::raw(0), Err(InvalidAddress(0)));
    assert_eq!(Address::raw(0x80), Err(InvalidAddress(0x80)));
    assert_eq!(Address::raw(0x70).map(Address::get), Ok(0x70));
    assert_eq!(
        Address::try_from(0x41),
        Ok(Address::from_pins(false, false, false, false, false, true))
    );
    assert_eq!(Address::try_from(0), Err(InvalidAddress(0)));
    assert_eq!(Address::try_from(0x80), Err(InvalidAddress(0x80)));
    let invalid: pca9685::Error<()> = InvalidAddress(0x80).into();
    assert_eq!(
        invalid,
        pca9685::Error::Argument(pca9685::ArgumentError::InvalidAddress)
    );
}

#[test]
fn errors_display() {
    use pca9685::{ArgumentError, Error};
    let e: Error<&str> = Error::Argument(ArgumentError::FrequencyOutOfRange);
    assert_eq!(
        e.to_string(),
        "PCA9685 argument error: frequency needs a prescale outside 3..=255"
    );
    assert_eq!(Error::Bus("nack").to_string(), "PCA9685 bus error: \"nack\"");
    assert_eq!(Error::<()>::Busy.to_string(), "PCA9685 driver already borrowed");
    assert_eq!(
        Error::<()>::ExternalClockLatched.to_string(),
        "PCA9685 runs from EXTCLK, which only a reset clears"
    );
    assert_eq!(
        Error::<()>::ExternalClockNotSet.to_string(),
        "PCA9685 does not run from EXTCLK (reset since it was set)"
    );
    let _: &dyn core::error::Error = &e;
}

#[test]
fn channel_setting_encode_decode_round_trip() {
    use pca9685::ChannelSetting;
    for on in (0..4096).step_by(97) {
        for off in (0..4096).step_by(89) {
            let setting = ChannelSetting::Pwm { on, off };
            match setting.encode() {
                Ok(bytes) => assert_eq!(ChannelSetting::decode(bytes), setting),
                Err(_) => assert_eq!(on, off),
            }
        }
    }
    for delay in [0, 1, 0x800, 4095] {
        let setting = ChannelSetting::FullOn { delay };
        assert_eq!(ChannelSetting::decode(setting.encode().unwrap()), setting);
    }
    assert_eq!(ChannelSetting::decode([0, 0, 0, 0]), ChannelSetting::FullOff);
    assert_eq!(ChannelSetting::from_duty(100, 4000).unwrap().duty(), 100);
    assert_eq!(ChannelSetting::FullOff.duty(), 0);
    assert_eq!(ChannelSetting::FullOn { delay: 3 }.duty(), 4096);
    assert_eq!(pca9685::Channel::new(16), None);
    assert_eq!(pca9685::Channel::new(15), Some(pca9685::Channel::C15));
}
