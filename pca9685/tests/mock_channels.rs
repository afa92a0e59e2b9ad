//! Channel settings, ranges, ALL_LED, read-back and servo pulses: exact bytes, both drivers.
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
    use fugit::ExtU32;
    use pca9685::Pca9685;

    /// A driver whose MODE1 cache already holds AI (as after its first multi-byte transfer).
    fn steady(expected: &[I2c]) -> I2cMock {
        let mut all = vec![read_mode1(0x21)];
        all.extend_from_slice(expected);
        mock(&all)
    }

    pub async fn first_multi_byte_write_turns_on_auto_increment_once() {
        // datasheet example 1: LED0, ON 409 (0x199), OFF 1228 (0x4CC)
        let mut i2c = mock(&[
            read_mode1(0x01),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x06, 0x99, 0x01, 0xCC, 0x04]),
            I2c::write(ADDR, vec![0x0A, 0x99, 0x01, 0xCC, 0x04]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_channel_on_off(Channel::C0, 409, 1228).await.unwrap();
        pca.set_channel_on_off(Channel::C1, 409, 1228).await.unwrap();
        i2c.done();
    }

    pub async fn wrapped_pulse_of_datasheet_example_2() {
        // LED4, ON 3685 (0xE65), OFF 3275 (0xCCB): the pulse wraps into the next period
        let mut i2c = steady(&[I2c::write(ADDR, vec![0x16, 0x65, 0x0E, 0xCB, 0x0C])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_channel_on_off(Channel::C4, 3685, 3275).await.unwrap();
        i2c.done();
    }

    pub async fn full_on_clears_full_off_in_the_same_write() {
        let mut i2c = steady(&[
            I2c::write(ADDR, vec![0x06, 0x00, 0x10, 0x00, 0x00]),
            I2c::write(ADDR, vec![0x42, 0x23, 0x11, 0x00, 0x00]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_channel_full_on(Channel::C0, 0).await.unwrap();
        pca.set_channel_full_on(Channel::C15, 0x123).await.unwrap();
        i2c.done();
    }

    pub async fn full_off_is_one_byte_to_off_h() {
        // outputs change at STOP (MODE2.OCH = 0, read once): LEDn_OFF_H alone
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x01], vec![0x04]),
            I2c::write(ADDR, vec![0x09, 0x10]),
            I2c::write(ADDR, vec![0x45, 0x10]),
            I2c::write(ADDR, vec![0x0D, 0x10]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_channel_full_off(Channel::C0).await.unwrap();
        pca.set_channel_full_off(Channel::C15).await.unwrap();
        pca.set_duty_cycle(Channel::C1, 0).await.unwrap();
        i2c.done();
    }

    pub async fn full_off_with_change_on_ack_writes_all_four_registers() {
        // MODE2.OCH = 1: an output changes only once all four of its registers were written
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x01], vec![0x0C]),
            read_mode1(0x01),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x10]),
            I2c::write(ADDR, vec![0x42, 0x00, 0x00, 0x00, 0x10]),
            I2c::write(ADDR, vec![0x0A, 0x00, 0x00, 0x00, 0x10]),
            I2c::write(ADDR, vec![0xFA, 0x00, 0x00, 0x00, 0x10]),
            // back to change on STOP: two bytes again
            I2c::write(ADDR, vec![0x01, 0x04]),
            I2c::write(ADDR, vec![0x09, 0x10]),
            I2c::write(ADDR, vec![0xFD, 0x10]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_channel_full_off(Channel::C0).await.unwrap();
        pca.set_channel_full_off(Channel::C15).await.unwrap();
        pca.set_duty_cycle(Channel::C1, 0).await.unwrap();
        pca.all_off().await.unwrap();
        pca.set_output_change(pca9685::OutputChange::OnStop).await.unwrap();
        pca.set_channel(Channel::C0, ChannelSetting::FullOff).await.unwrap();
        pca.all_off().await.unwrap();
        i2c.done();
    }

    pub async fn duty_cycles_and_phase() {
        let mut i2c = steady(&[
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x08]),
            I2c::write(ADDR, vec![0x06, 0x00, 0x10, 0x00, 0x00]),
            // duty 1024 from count 3500 (0xDAC): off = (3500 + 1024) mod 4096 = 428 (0x1AC)
            I2c::write(ADDR, vec![0x0A, 0xAC, 0x0D, 0xAC, 0x01]),
            I2c::write(ADDR, vec![0x0E, 0x00, 0x00, 0x01, 0x00]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_duty_cycle(Channel::C0, 2048).await.unwrap();
        pca.set_duty_cycle(Channel::C0, 4096).await.unwrap();
        pca.set_duty_cycle_with_phase(Channel::C1, 1024, 3500).await.unwrap();
        pca.set_duty_cycle(Channel::C2, 1).await.unwrap();
        i2c.done();
    }

    pub async fn arguments_out_of_range_send_nothing() {
        let mut i2c = mock(&[]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let argument = |e| Err(Error::Argument(e));
        assert_eq!(
            pca.set_duty_cycle(Channel::C0, 4097).await,
            argument(ArgumentError::DutyOutOfRange)
        );
        assert_eq!(
            pca.set_duty_cycle_with_phase(Channel::C0, 10, 4096).await,
            argument(ArgumentError::CountOutOfRange)
        );
        assert_eq!(
            pca.set_channel_on_off(Channel::C0, 4096, 1).await,
            argument(ArgumentError::CountOutOfRange)
        );
        assert_eq!(
            pca.set_channel_on_off(Channel::C0, 1, 4096).await,
            argument(ArgumentError::CountOutOfRange)
        );
        assert_eq!(
            pca.set_channel_on_off(Channel::C0, 7, 7).await,
            argument(ArgumentError::OnEqualsOff)
        );
        assert_eq!(
            pca.set_channel_full_on(Channel::C0, 4096).await,
            argument(ArgumentError::CountOutOfRange)
        );
        assert_eq!(
            pca.set_channels(Channel::C15, &[ChannelSetting::FullOff; 2]).await,
            argument(ArgumentError::ChannelRangeOutOfBounds)
        );
        assert_eq!(
            pca.set_channels(Channel::C0, &[]).await,
            argument(ArgumentError::ChannelRangeOutOfBounds)
        );
        assert_eq!(
            pca.set_channels(Channel::C0, &[ChannelSetting::FullOff; 17]).await,
            argument(ArgumentError::ChannelRangeOutOfBounds)
        );
        let bad = [ChannelSetting::FullOff, ChannelSetting::Pwm { on: 5, off: 5 }];
        assert_eq!(
            pca.set_channels(Channel::C0, &bad).await,
            argument(ArgumentError::OnEqualsOff)
        );
        assert_eq!(
            pca.set_all(ChannelSetting::Pwm { on: 0, off: 5000 }).await,
            argument(ArgumentError::CountOutOfRange)
        );
        i2c.done();
    }

    pub async fn all_sixteen_channels_in_one_write_of_65_bytes() {
        let settings: [ChannelSetting; 16] = core::array::from_fn(|n| match n {
            0 => ChannelSetting::FullOff,
            1 => ChannelSetting::FullOn { delay: 0x0AB },
            n => ChannelSetting::Pwm {
                on: n as u16 * 256,
                off: n as u16 * 256 + 0x55,
            },
        });
        let mut expected = vec![0x06, 0x00, 0x00, 0x00, 0x10, 0xAB, 0x10, 0x00, 0x00];
        for n in 2u16..16 {
            let (on, off) = (n * 256, n * 256 + 0x55);
            expected.extend_from_slice(&[(on & 0xFF) as u8, (on >> 8) as u8, (off & 0xFF) as u8, (off >> 8) as u8]);
        }
        assert_eq!(expected.len(), 65);
        assert_eq!(&expected[9..13], &[0x00, 0x02, 0x55, 0x02]);
        let mut i2c = steady(&[I2c::write(ADDR, expected)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_all_channels(&settings).await.unwrap();
        i2c.done();
    }

    pub async fn a_contiguous_range_in_one_write() {
        let mut i2c = steady(&[I2c::write(
            ADDR,
            vec![
                0x3A, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0xFF, 0x0F, 0x00, 0x10, 0x00, 0x00,
            ],
        )]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let run = [
            ChannelSetting::FullOff,
            ChannelSetting::Pwm { on: 0, off: 4095 },
            ChannelSetting::FullOn { delay: 0 },
        ];
        pca.set_channels(Channel::C13, &run).await.unwrap();
        i2c.done();
    }

    pub async fn all_led_registers_and_orderly_shutdown() {
        let mut i2c = steady(&[
            I2c::write(ADDR, vec![0xFA, 0x00, 0x00, 0x00, 0x08]),
            I2c::write_read(ADDR, vec![0x01], vec![0x04]),
            I2c::write(ADDR, vec![0xFD, 0x10]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_all(ChannelSetting::from_duty(2048, 0).unwrap()).await.unwrap();
        pca.all_off().await.unwrap();
        i2c.done();
    }

    pub async fn channel_read_back_with_precedence() {
        let mut i2c = steady(&[
            I2c::write_read(ADDR, vec![0x06], vec![0x99, 0x01, 0xCC, 0x04]),
            I2c::write_read(ADDR, vec![0x0A], vec![0x00, 0x10, 0x00, 0x10]),
            I2c::write_read(ADDR, vec![0x0E], vec![0x05, 0xF1, 0x00, 0x00]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(
            pca.channel(Channel::C0).await,
            Ok(ChannelSetting::Pwm { on: 409, off: 1228 })
        );
        // full off wins over full on
        assert_eq!(pca.channel(Channel::C1).await, Ok(ChannelSetting::FullOff));
        // reserved bits 7:5 ignored
        assert_eq!(
            pca.channel(Channel::C2).await,
            Ok(ChannelSetting::FullOn { delay: 0x105 })
        );
        i2c.done();
    }

    pub async fn all_channels_read_back_in_one_write_read() {
        let mut answer = vec![0u8; 64];
        answer[3] = 0x10; // C0 full off
        answer[4..8].copy_from_slice(&[0x00, 0x10, 0x00, 0x00]); // C1 full on
        for n in 2..16 {
            answer[n * 4..n * 4 + 4].copy_from_slice(&[0x00, 0x00, n as u8, 0x00]);
        }
        let mut i2c = steady(&[I2c::write_read(ADDR, vec![0x06], answer)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let channels = pca.channels().await.unwrap();
        assert_eq!(channels[0], ChannelSetting::FullOff);
        assert_eq!(channels[1], ChannelSetting::FullOn { delay: 0 });
        assert_eq!(channels[15], ChannelSetting::Pwm { on: 0, off: 15 });
        i2c.done();
    }

    pub async fn servo_pulse_width_rounds_to_the_nearest_count() {
        // 50 Hz (prescale 121, period 19.98848 ms): 1500 us = 307.38 counts -> 307 (0x133)
        // MODE1 first: EXTCLK must agree with the driver's oscillator
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write_read(ADDR, vec![0xFE], vec![0x79]),
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x33, 0x01]),
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0xCD, 0x00]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.set_pulse_width(Channel::C0, 1500.micros()).await, Ok(307));
        assert_eq!(pca.set_pulse_width(Channel::C0, 1000.micros()).await, Ok(205));
        assert_eq!(
            pca.set_pulse_width(Channel::C0, 20_000.micros()).await,
            Err(Error::Argument(ArgumentError::PulseOutsidePeriod))
        );
        i2c.done();
    }

    pub async fn channel_write_reports_a_bus_error() {
        let mut i2c = steady(&[I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x08]).with_error(nack())]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let error = pca.set_duty_cycle(Channel::C0, 2048).await.unwrap_err();
        assert!(error.is_nack());
        assert_eq!(error, Error::Bus(nack()));
        i2c.done();
    }

    pub async fn a_nack_while_reading_mode1_stops_a_channel_write() {
        let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x00], vec![0x00]).with_error(nack())]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.set_duty_cycle(Channel::C0, 2048).await, Err(Error::Bus(nack())));
        i2c.done();
    }
}

both!(
    first_multi_byte_write_turns_on_auto_increment_once,
    wrapped_pulse_of_datasheet_example_2,
    full_on_clears_full_off_in_the_same_write,
    full_off_is_one_byte_to_off_h,
    full_off_with_change_on_ack_writes_all_four_registers,
    duty_cycles_and_phase,
    arguments_out_of_range_send_nothing,
    all_sixteen_channels_in_one_write_of_65_bytes,
    a_contiguous_range_in_one_write,
    all_led_registers_and_orderly_shutdown,
    channel_read_back_with_precedence,
    all_channels_read_back_in_one_write_read,
    servo_pulse_width_rounds_to_the_nearest_count,
    channel_write_reports_a_bus_error,
    a_nack_while_reading_mode1_stops_a_channel_write,
);
