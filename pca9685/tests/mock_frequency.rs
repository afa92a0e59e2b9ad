//! Frequency, prescale and oscillator: exact bytes, sync and async through the same bodies.
mod common;

#[maybe_async_cfg::maybe(
    idents(Pca9685(sync = "Pca9685", async = "Pca9685Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use pca9685::Pca9685;

    pub async fn set_frequency_on_a_sleeping_chip_writes_only_prescale() {
        let mut i2c = mock(&[read_mode1(0x11), I2c::write(ADDR, vec![0xFE, 0x79])]);
        let mut delay = CheckedDelay::new(&[]);
        let mut pca = Pca9685::new(i2c.clone(), Address::DEFAULT);
        let actual = pca.set_frequency(fugit::HertzU32::Hz(50), &mut delay).await.unwrap();
        assert_eq!(actual.raw(), 50_029);
        i2c.done();
        delay.done();
    }
}

both!(set_frequency_on_a_sleeping_chip_writes_only_prescale);
