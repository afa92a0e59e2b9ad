//! Start-up from the chip's power-on state (`assume_power_on_state`) at the bus minimum, and from a cold cache:
//! exact bytes through both drivers, and on the simulator the same chip as the cold path.
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
    use fugit::RateExtU32;
    use pca9685::sim::{CountingBus, Pca9685Sim, Traffic};
    use pca9685::{Oscillator, Pca9685};

    /// The power-on values the datasheet gives: MODE1 0x11, MODE2 0x04, PRE_SCALE 0x1E.
    const POWER_ON: [Option<u8>; 3] = [Some(0x11), Some(0x04), Some(0x1E)];

    pub async fn assume_power_on_state_sends_nothing_and_fills_the_cache() {
        let mut i2c = mock(&[]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        assert_eq!(pca.cache(), [None, None, None]);
        pca.assume_power_on_state();
        assert_eq!(pca.cache(), POWER_ON);
        // what the cache says, read from no chip: the power-on frequency (prescale 30)
        assert_eq!(pca.frequency().await.unwrap().raw(), 196_888);
        i2c.done();
    }

    pub async fn init_at_50_hz_from_power_on_is_two_writes_of_two_bytes() {
        // the minimum: PRE_SCALE while asleep, then MODE1 awake with auto-increment (ALLCALL kept), 500 us
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0xFE, 0x79]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            // the first channel write needs no MODE1 write of its own
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x04]),
            // nor does a servo pulse: MODE1 and PRE_SCALE are known
            I2c::write(ADDR, vec![0x0A, 0x00, 0x00, 0x33, 0x01]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.assume_power_on_state();
        assert_eq!(pca.set_frequency(50.Hz(), &mut delay).await.unwrap().raw(), 50_029);
        pca.wake(&mut delay).await.unwrap();
        pca.set_duty_cycle(Channel::C0, 1024).await.unwrap();
        assert_eq!(
            pca.set_pulse_width(Channel::C1, fugit::MicrosDurationU32::micros(1500))
                .await,
            Ok(307)
        );
        assert_eq!(pca.cache(), [Some(0x21), Some(0x04), Some(0x79)]);
        i2c.done();
        delay.done();
    }

    pub async fn init_at_50_hz_from_a_cold_cache_reads_mode1_once() {
        // the chip may have been running before the MCU reset: MODE1 is read before PRE_SCALE is written
        let mut i2c = mock(&[
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x79]),
            I2c::write(ADDR, vec![0x00, 0x21]),
            I2c::write(ADDR, vec![0x06, 0x00, 0x00, 0x00, 0x04]),
        ]);
        let mut delay = CheckedDelay::new(&[Delay::delay_us(500)]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_frequency(50.Hz(), &mut delay).await.unwrap();
        pca.wake(&mut delay).await.unwrap();
        pca.set_duty_cycle(Channel::C0, 1024).await.unwrap();
        i2c.done();
        delay.done();
    }

    pub async fn a_software_reset_leaves_the_driver_as_assume_power_on_state() {
        let mut i2c = mock(&[
            read_mode1(0x21),
            I2c::write(ADDR, vec![0x00, 0x31]),
            I2c::write(ADDR, vec![0x00, 0x71]),
            I2c::write(0x00, vec![0x06]),
            // the same minimum start-up as after assume_power_on_state
            I2c::write(ADDR, vec![0xFE, 0x79]),
            I2c::write(ADDR, vec![0x00, 0x21]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let mut twin_bus = mock(&[]);
        let mut twin = Pca9685::new(twin_bus.clone(), Address::DEFAULT);
        pca.set_oscillator(Oscillator::External(10.MHz())).await.unwrap();
        pca.software_reset().await.unwrap();
        twin.assume_power_on_state();
        assert_eq!(pca.cache(), POWER_ON);
        assert_eq!(pca.cache(), twin.cache());
        // EXTCLK is cleared by the reset: the driver falls back to the internal oscillator
        assert_eq!(pca.oscillator(), Oscillator::Internal);
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        i2c.done();
        twin_bus.done();
    }

    pub async fn assume_power_on_state_drops_an_external_oscillator_and_keeps_a_calibrated_one() {
        let mut i2c = mock(&[
            read_mode1(0x11),
            I2c::write(ADDR, vec![0x00, 0x11]),
            I2c::write(ADDR, vec![0x00, 0x51]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.set_oscillator(Oscillator::External(10.MHz())).await.unwrap();
        pca.assume_power_on_state();
        assert_eq!(pca.oscillator(), Oscillator::Internal);
        pca.set_oscillator(Oscillator::Calibrated(26.MHz())).await.unwrap();
        pca.assume_power_on_state();
        assert_eq!(pca.oscillator(), Oscillator::Calibrated(26.MHz()));
        i2c.done();
    }

    pub async fn the_trusted_sleep_ends_with_the_next_sleep_or_an_invalidated_cache() {
        // only the asserted power-on state skips the MODE1 read: after the driver's own sleep (another master
        // may wake the chip later), or once the cache was invalidated, set_frequency reads MODE1 again
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0x00, 0x11]),
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x79]),
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x79]),
            // the MODE1 just read is not an asserted power-on state either
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x79]),
            // still trusted after a failed software reset? No: the cache is empty
            I2c::write(0x00, vec![0x06]).with_error(nack()),
            read_mode1(0x11),
            I2c::write(ADDR, vec![0xFE, 0x79]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.assume_power_on_state();
        pca.sleep().await.unwrap();
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.assume_power_on_state();
        pca.invalidate_cache();
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.assume_power_on_state();
        assert!(pca.software_reset().await.is_err());
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        i2c.done();
    }

    pub async fn a_failed_prescale_write_after_power_on_is_read_again() {
        // the write may have reached the chip or not: PRE_SCALE unknown, MODE1 still known asleep
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0xFE, 0x79]).with_error(nack()),
            I2c::write(ADDR, vec![0xFE, 0x79]),
        ]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        pca.assume_power_on_state();
        assert_eq!(
            pca.set_frequency(50.Hz(), &mut NoopDelay).await,
            Err(Error::Bus(nack()))
        );
        assert_eq!(pca.cache(), [Some(0x11), Some(0x04), None]);
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        assert_eq!(pca.cache(), [Some(0x11), Some(0x04), Some(0x79)]);
        i2c.done();
    }

    /// Start-up on a freshly powered simulated chip; returns the chip and the traffic.
    async fn start_up(assume: bool) -> (Pca9685Sim, Traffic) {
        let bus = CountingBus::new(Pca9685Sim::new(Address::DEFAULT));
        let mut pca = Pca9685::new(bus, Address::DEFAULT);
        if assume {
            pca.assume_power_on_state();
        }
        pca.set_frequency(50.Hz(), &mut NoopDelay).await.unwrap();
        pca.wake(&mut NoopDelay).await.unwrap();
        pca.set_duty_cycle(Channel::C0, 1024).await.unwrap();
        let traffic = pca.bus().traffic();
        (pca.release().into_inner(), traffic)
    }

    pub async fn on_a_powered_up_chip_the_assumed_state_is_what_the_driver_would_read() {
        // the cache assume_power_on_state fills equals what a resync reads from a freshly powered chip
        let mut assumed = Pca9685::new(Pca9685Sim::new(Address::DEFAULT), Address::DEFAULT);
        assumed.assume_power_on_state();
        let mut read = Pca9685::new(Pca9685Sim::new(Address::DEFAULT), Address::DEFAULT);
        read.resync().await.unwrap();
        assert_eq!(assumed.cache(), read.cache());
        // the start-up from the assumed state leaves the chip exactly as the cold path does, one read cheaper
        let (warm, warm_traffic) = start_up(true).await;
        let (cold, cold_traffic) = start_up(false).await;
        for register in (0x00..=0x45).chain([0xFE]) {
            assert_eq!(
                warm.register(register),
                cold.register(register),
                "register {register:#04x}"
            );
        }
        assert!(!warm.is_sleeping());
        assert_eq!(warm.output(Channel::C0).duty, 1024);
        assert_eq!(warm.frequency_mhz(), 50_029);
        let traffic = |transactions, written, read| Traffic {
            transactions,
            written,
            read,
        };
        assert_eq!(warm_traffic, traffic(3, 9, 0));
        assert_eq!(cold_traffic, traffic(4, 10, 1));
    }
}

both!(
    assume_power_on_state_sends_nothing_and_fills_the_cache,
    init_at_50_hz_from_power_on_is_two_writes_of_two_bytes,
    init_at_50_hz_from_a_cold_cache_reads_mode1_once,
    a_software_reset_leaves_the_driver_as_assume_power_on_state,
    assume_power_on_state_drops_an_external_oscillator_and_keeps_a_calibrated_one,
    the_trusted_sleep_ends_with_the_next_sleep_or_an_invalidated_cache,
    a_failed_prescale_write_after_power_on_is_read_again,
    on_a_powered_up_chip_the_assumed_state_is_what_the_driver_would_read,
);
