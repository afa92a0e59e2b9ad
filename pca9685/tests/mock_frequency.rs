//! Frequency, prescale, oscillator, sleep, wake, restart and software reset: exact bytes, both drivers.
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
    use fugit::{HertzU32, RateExtU32};
    use pca9685::{Oscillator, Pca9685};

    pub async fn set_frequency_on_a_sleeping_chip_writes_only_prescale() {
        let mut i2c = mock(&[read_mode1(0x11), I2c::write(ADDR, vec![0xFE, 0x79])]);
        let mut delay = CheckedDelay::new(&[]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let actual = pca.set_frequency(50.Hz(), &mut delay).await.unwrap();
        assert_eq!(actual.raw(), 50_029);
        i2c.done();
        delay.done();
    }

    pub async fn set_frequency_on_a_running_chip_follows_the_datasheet_sequence() {
        // awake with AI and ALLCALL (0x21): sleep, prescale, wake, 500 us, RESTART
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0xFE, 0x05]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0xA1]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let actual = pca.set_frequency(1000.Hz(), &mut delay).await.unwrap();
        assert_eq!(actual.raw(), 1_017_253);
        i2c.done();
        delay.done();
    }

    pub async fn set_frequency_reads_mode1_even_with_a_full_cache() {
        // The chip may have been woken behind the driver's back (another master, an earlier firmware).
        let mut i2c = mock(&[
            read_mode1(0x01),
            I2c::write(ADDR, vec![0x00, 0x11]),
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x3C]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.sleep().await.unwrap();
        pca.set_frequency(100.Hz(), &mut NoopDelay).await.unwrap();
        i2c.done();
    }

    pub async fn frequencies_outside_the_prescale_range_send_nothing() {
        let mut i2c = mock(&[]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        for hz in [0, 23, 1744, u32::MAX] {
            let result = pca.set_frequency(HertzU32::from_raw(hz), &mut NoopDelay).await;
            assert_eq!(
                result,
                Err(Error::Argument(ArgumentError::FrequencyOutOfRange)),
                "{hz} Hz"
            );
        }
        assert_eq!(
            pca.set_prescale(2, &mut NoopDelay).await,
            Err(Error::Argument(ArgumentError::PrescaleOutOfRange))
        );
        i2c.done();
    }

    pub async fn range_edges_map_to_prescale_3_and_255() {
        let mut i2c = mock(&[
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x03]),
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0xFF]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_frequency(1743.Hz(), &mut NoopDelay).await.unwrap();
        pca.set_prescale(255, &mut NoopDelay).await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), 23_842);
        i2c.done();
    }

    /// 3 is the smallest prescale the chip takes: accepted by `set_prescale` itself, not only through
    /// `set_frequency` (a mutant `<=` in its range check survived without this).
    pub async fn set_prescale_takes_3_and_refuses_2() {
        let mut i2c = mock(&[read_mode1(0x11), I2c::write(ADDR, vec![0xFE, 0x03])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(
            pca.set_prescale(2, &mut NoopDelay).await,
            Err(Error::Argument(ArgumentError::PrescaleOutOfRange))
        );
        pca.set_prescale(3, &mut NoopDelay).await.unwrap();
        i2c.done();
    }

    pub async fn set_frequency_stops_at_a_bus_error() {
        let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x00], vec![0x00]).with_error(nack())]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(
            pca.set_frequency(50.Hz(), &mut NoopDelay).await,
            Err(Error::Bus(nack()))
        );
        i2c.done();
    }

    pub async fn a_failed_wake_reads_mode1_again() {
        let mut i2c = mock(&[
            // woken with auto-increment on
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x21]).with_error(ErrorKind::Other),
            // the failed write may have reached the chip: MODE1 is unknown, read again
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x21]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.wake(&mut delay).await, Err(Error::Bus(ErrorKind::Other)));
        pca.wake(&mut delay).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn calibrated_oscillator_changes_the_prescale() {
        // 26 MHz / (4096 * 50) = 126.95 -> 127 - 1 = 126; set_oscillator checks EXTCLK (MODE1 read once), and
        // set_frequency reads MODE1 again (it may have changed behind the cache)
        let mut i2c = mock(&[read_mode1(0x11), read_mode1(0x11), I2c::write(ADDR, vec![0xFE, 0x7E])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_oscillator(Oscillator::Calibrated(26.MHz())).await.unwrap();
        let actual = pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        assert_eq!(actual.raw(), 49_982);
        i2c.done();
    }

    pub async fn external_clock_sleeps_then_sets_extclk_in_a_second_write() {
        let mut i2c = mock(&[
            read_mode1(0x01),
            I2c::write(ADDR, vec![0x00, 0x11]),
            I2c::write(ADDR, vec![0x00, 0x51]),
            // 50 MHz / (4096 * 1000) = 12.2 -> 11
            read_mode1(0x51),
            I2c::write(ADDR, vec![0xFE, 0x0B]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_oscillator(Oscillator::External(50.MHz())).await.unwrap();
        pca.set_frequency(1000.Hz(), &mut NoopDelay).await.unwrap();
        assert_eq!(pca.oscillator(), Oscillator::External(50.MHz()));
        i2c.done();
    }

    pub async fn oscillators_out_of_range_send_nothing() {
        let mut i2c = mock(&[]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let error = Err(Error::Argument(ArgumentError::OscillatorOutOfRange));
        assert_eq!(pca.set_oscillator(Oscillator::External(50_000_001.Hz())).await, error);
        assert_eq!(pca.set_oscillator(Oscillator::Calibrated(0.Hz())).await, error);
        assert_eq!(pca.oscillator(), Oscillator::Internal);
        i2c.done();
    }

    pub async fn frequency_and_period_read_prescale_once() {
        // MODE1 once (EXTCLK must agree with the driver's oscillator), PRE_SCALE once
        let mut i2c = mock(&[read_mode1(0x21), I2c::write_read(ADDR, vec![0xFE], vec![0x79])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.frequency().await.unwrap().raw(), 50_029);
        assert_eq!(pca.period().await.unwrap().ticks(), 19_988_480);
        i2c.done();
    }

    pub async fn prescale_reads_the_chip() {
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0xFE], vec![0x1E]),
            I2c::write_read(ADDR, vec![0xFE], vec![0x1E]).with_error(nack()),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.prescale().await, Ok(0x1E));
        assert_eq!(pca.prescale().await, Err(Error::Bus(nack())));
        i2c.done();
    }

    pub async fn sleep_and_wake() {
        let mut i2c = mock(&[
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0x31]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.wake(&mut delay).await.unwrap();
        pca.sleep().await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn restart_from_sleep_waits_then_writes_restart() {
        let mut i2c = mock(&[
            read_mode1(0xB1),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0xA1]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.restart(&mut delay).await, Ok(true));
        i2c.done();
        delay.done();
    }

    pub async fn restart_when_awake_writes_restart_only() {
        let mut i2c = mock(&[read_mode1(0xA1), I2c::write(ADDR, vec![0x00, 0xA1])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let mut delay = CheckedDelay::new(&[]);
        assert_eq!(pca.restart(&mut delay).await, Ok(true));
        i2c.done();
        delay.done();
    }

    pub async fn restart_with_nothing_pending_writes_nothing() {
        let mut i2c = mock(&[read_mode1(0x11)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let mut delay = CheckedDelay::new(&[]);
        assert_eq!(pca.restart(&mut delay).await, Ok(false));
        i2c.done();
        delay.done();
    }

    pub async fn software_reset_is_a_general_call_and_resets_the_cache() {
        let mut i2c = mock(&[
            I2c::write(0x00, vec![0x06]),
            // cache now holds the power-on values: no reads, not even before PRE_SCALE
            I2c::write(ADDR, vec![0xFE, 0x79]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x01, 0x14]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.software_reset().await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), 196_888);
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_output_invert(true).await.unwrap();
        i2c.done();
    }

    pub async fn set_frequency_keeps_channels_halted_before_the_call_halted() {
        // awake with RESTART pending (slept and woken without restart): no RESTART write at the end
        let mut i2c = mock(&[
            read_mode1(0xA1),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0xFE, 0x05]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            // the cache holds the awake MODE1: no read
            I2c::write(ADDR, vec![0x00, 0x20]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_frequency(1000.Hz(), &mut delay).await.unwrap();
        pca.enable_all_call(false).await.unwrap();
        assert_eq!(pca.frequency().await.unwrap().raw(), 1_017_253);
        i2c.done();
        delay.done();
    }

    pub async fn an_interrupted_prescale_change_is_completed_by_the_next_one() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0xFE, 0x05]).with_error(nack()),
            // the retry finds the chip asleep (RESTART pending) and still wakes and restarts it
            read_mode1(0xB1),
            I2c::write(ADDR, vec![0xFE, 0x05]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0xA1]),
            // done: a chip put to sleep behind the driver's back gets PRE_SCALE only, no wake
            read_mode1(0x31),
            I2c::write(ADDR, vec![0xFE, 0x79]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.set_prescale(5, &mut delay).await, Err(Error::Bus(nack())));
        pca.set_prescale(5, &mut delay).await.unwrap();
        pca.set_prescale(0x79, &mut delay).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn an_interrupted_wake_is_completed_without_a_second_sleep() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0xFE, 0x05]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0xA1]).with_error(nack()),
            // awake, RESTART still pending: the same sequence, RESTART included
            read_mode1(0xA1),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0xFE, 0x05]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0xA1]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert!(pca.set_prescale(5, &mut NoopDelay).await.is_err());
        pca.set_prescale(5, &mut NoopDelay).await.unwrap();
        i2c.done();
    }

    pub async fn sleep_wake_restart_and_reset_cancel_an_interrupted_prescale_change() {
        let interrupted = || [read_mode1(0x21), I2c::write(ADDR, vec![0x00, 0x31]).with_error(nack())];
        let mut expected = vec![];
        expected.extend(interrupted());
        // sleep: the user wants it asleep; the next change writes PRE_SCALE only
        expected.extend([
            read_mode1(0x31),
            I2c::write(ADDR, vec![0x00, 0x31]),
            read_mode1(0x31),
            I2c::write(ADDR, vec![0xFE, 0x05]),
        ]);
        expected.extend(interrupted());
        // restart with nothing pending on a sleeping chip
        expected.extend([read_mode1(0x31), read_mode1(0x31), I2c::write(ADDR, vec![0xFE, 0x05])]);
        expected.extend(interrupted());
        expected.extend([
            I2c::write(0x00, vec![0x06]),
            // the reset chip is asleep: PRE_SCALE only, without a read
            I2c::write(ADDR, vec![0xFE, 0x05]),
        ]);
        // wake: the chip is awake, the next change is the plain sequence (RESTART included: none was pending)
        expected.extend(interrupted());
        expected.extend([
            read_mode1(0x31),
            I2c::write(ADDR, vec![0x00, 0x21]),
            read_mode1(0x31),
            I2c::write(ADDR, vec![0xFE, 0x05]),
        ]);
        // set_oscillator(External): it leaves the chip asleep
        expected.extend(interrupted());
        expected.extend([
            read_mode1(0x31),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0x00, 0x71]),
            read_mode1(0x71),
            I2c::write(ADDR, vec![0xFE, 0x05]),
        ]);
        let mut i2c = mock(&expected);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let d = &mut NoopDelay;
        assert!(pca.set_prescale(5, d).await.is_err());
        pca.sleep().await.unwrap();
        pca.set_prescale(5, d).await.unwrap();
        assert!(pca.set_prescale(5, d).await.is_err());
        assert_eq!(pca.restart(d).await, Ok(false));
        pca.set_prescale(5, d).await.unwrap();
        assert!(pca.set_prescale(5, d).await.is_err());
        pca.software_reset().await.unwrap();
        pca.set_prescale(5, d).await.unwrap();
        // the next interruption starts from an awake chip: woken behind the driver's back, which it must be told
        pca.invalidate_cache();
        assert!(pca.set_prescale(5, d).await.is_err());
        pca.wake(d).await.unwrap();
        // another master slept it again: the wake cancelled the completion, so PRE_SCALE only
        pca.set_prescale(5, d).await.unwrap();
        assert!(pca.set_prescale(5, d).await.is_err());
        pca.set_oscillator(Oscillator::External(10.MHz())).await.unwrap();
        pca.set_prescale(5, d).await.unwrap();
        i2c.done();
    }

    pub async fn restart_keeps_the_other_mode1_bits_and_caches_the_result() {
        let mut i2c = mock(&[
            // RESTART, EXTCLK, AI, SLEEP, SUB3, ALLCALL
            read_mode1(0xF3),
            I2c::write(ADDR, vec![0x00, 0x63]),
            I2c::write(ADDR, vec![0x00, 0xE3]),
            // from the cache: awake, RESTART clear
            I2c::write(ADDR, vec![0x00, 0x62]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.restart(&mut delay).await, Ok(true));
        pca.enable_all_call(false).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn restart_stops_at_a_bus_error() {
        let mut i2c = mock(&[
            read_mode1(0xB1),
            I2c::write(ADDR, vec![0x00, 0x21]).with_error(nack()),
            read_mode1(0xB1).with_error(nack()),
            read_mode1(0xB1),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x00, 0xA1]).with_error(nack()),
            // RESTART is not cached: MODE1 (awake) is still known
            I2c::write(ADDR, vec![0x00, 0x20]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.restart(&mut delay).await, Err(Error::Bus(nack())));
        assert_eq!(pca.restart(&mut delay).await, Err(Error::Bus(nack())));
        assert_eq!(pca.restart(&mut delay).await, Err(Error::Bus(nack())));
        pca.enable_all_call(false).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn the_clock_check_refuses_a_mismatch_and_writes_nothing() {
        let mut i2c = mock(&[
            read_mode1(0x51),
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x11]),
            I2c::write(ADDR, vec![0x00, 0x51]),
            // a power cycle behind the driver's back: EXTCLK reads 0 (period() uses the cached MODE1;
            // set_frequency reads it again)
            read_mode1(0x11),
            read_mode1(0x11),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let latched = Err(Error::ExternalClockLatched);
        assert_eq!(pca.set_oscillator(Oscillator::Calibrated(26.MHz())).await, latched);
        assert_eq!(pca.oscillator(), Oscillator::Internal);
        pca.invalidate_cache();
        pca.set_oscillator(Oscillator::External(10.MHz())).await.unwrap();
        pca.invalidate_cache();
        let not_set = Error::ExternalClockNotSet;
        assert_eq!(pca.frequency().await, Err(not_set));
        assert_eq!(pca.period().await, Err(not_set));
        assert_eq!(pca.set_frequency(100.Hz(), &mut NoopDelay).await, Err(not_set));
        i2c.done();
    }

    pub async fn set_prescale_needs_no_clock_check() {
        // a raw prescale involves no clock: a chip on EXTCLK takes it from a driver on the internal oscillator
        let mut i2c = mock(&[read_mode1(0x51), I2c::write(ADDR, vec![0xFE, 0x1E])]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_prescale(30, &mut NoopDelay).await.unwrap();
        i2c.done();
    }

    pub async fn a_failed_software_reset_leaves_the_cache_unknown() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(0x00, vec![0x06]).with_error(nack()),
            // the chip may have reset: read again
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x11]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.enable_all_call(true).await.unwrap();
        assert!(pca.software_reset().await.is_err());
        pca.enable_all_call(true).await.unwrap();
        i2c.done();
    }

    pub async fn software_reset_falls_back_to_the_internal_oscillator() {
        let mut i2c = mock(&[
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x11]),
            I2c::write(ADDR, vec![0x00, 0x51]),
            I2c::write(0x00, vec![0x06]).with_error(nack()),
            I2c::write(0x00, vec![0x06]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_oscillator(Oscillator::External(10.MHz())).await.unwrap();
        assert_eq!(pca.software_reset().await, Err(Error::Bus(nack())));
        assert_eq!(pca.oscillator(), Oscillator::External(10.MHz()));
        pca.software_reset().await.unwrap();
        assert_eq!(pca.oscillator(), Oscillator::Internal);
        i2c.done();
    }
}

both!(
    set_frequency_on_a_sleeping_chip_writes_only_prescale,
    set_frequency_on_a_running_chip_follows_the_datasheet_sequence,
    set_frequency_reads_mode1_even_with_a_full_cache,
    frequencies_outside_the_prescale_range_send_nothing,
    range_edges_map_to_prescale_3_and_255,
    set_prescale_takes_3_and_refuses_2,
    set_frequency_stops_at_a_bus_error,
    a_failed_wake_reads_mode1_again,
    calibrated_oscillator_changes_the_prescale,
    external_clock_sleeps_then_sets_extclk_in_a_second_write,
    oscillators_out_of_range_send_nothing,
    frequency_and_period_read_prescale_once,
    prescale_reads_the_chip,
    sleep_and_wake,
    restart_from_sleep_waits_then_writes_restart,
    restart_when_awake_writes_restart_only,
    restart_with_nothing_pending_writes_nothing,
    software_reset_is_a_general_call_and_resets_the_cache,
    software_reset_falls_back_to_the_internal_oscillator,
    set_frequency_keeps_channels_halted_before_the_call_halted,
    an_interrupted_prescale_change_is_completed_by_the_next_one,
    an_interrupted_wake_is_completed_without_a_second_sleep,
    sleep_wake_restart_and_reset_cancel_an_interrupted_prescale_change,
    restart_keeps_the_other_mode1_bits_and_caches_the_result,
    restart_stops_at_a_bus_error,
    the_clock_check_refuses_a_mismatch_and_writes_nothing,
    a_failed_software_reset_leaves_the_cache_unknown,
    set_prescale_needs_no_clock_check,
);
