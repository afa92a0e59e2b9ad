//! VCELL, SOC, normalised SOC and VERSION: exact bytes, sync and async through the same bodies.
#![allow(clippy::unwrap_used)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;

    pub async fn voltage_is_one_write_read_of_1_plus_2_bytes() {
        let mut i2c = mock(&[
            read(0x02, 0xD000),
            read(0x02, 0xFFF0),
            read(0x02, 0x0010),
            read(0x02, 0xB4E0),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 4_160_000);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 5_118_750);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 1_250);
        assert_eq!(gauge.voltage().await.unwrap().millivolts(), 3618);
        i2c.done();
    }

    pub async fn max17044_voltage_is_2_5_mv_per_step() {
        let mut i2c = mock(&[read(0x02, 0xD000), read(0x02, 0xFFF0)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17044);
        assert_eq!(gauge.variant(), Variant::Max17044);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 8_320_000);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 10_237_500);
        i2c.done();
    }

    pub async fn voltage_of_0xffff_is_an_invalid_reading() {
        let mut i2c = mock(&[read(0x02, 0xFFFF)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.voltage().await, Err(Error::InvalidReading(Register::Vcell)));
        i2c.done();
    }

    pub async fn voltage_bus_error_is_passed_on() {
        let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x02], vec![0, 0]).with_error(address_nack())]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let error = gauge.voltage().await.unwrap_err();
        assert_eq!(error, Error::Bus(address_nack()));
        assert!(error.is_nack());
        i2c.done();
    }

    pub async fn state_of_charge_vectors() {
        let mut i2c = mock(&[
            read(0x04, 0x0180),
            read(0x04, 0x6400),
            read(0x04, 0x1029),
            read(0x04, 0x0000),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let soc = gauge.state_of_charge().await.unwrap();
        assert_eq!(
            (soc.as_256ths(), soc.whole_percent(), soc.centipercent()),
            (0x0180, 1, 150)
        );
        assert_eq!(gauge.state_of_charge().await.unwrap(), StateOfCharge::FULL);
        assert_eq!(gauge.state_of_charge().await.unwrap().centipercent(), 1616);
        assert_eq!(gauge.state_of_charge().await.unwrap(), StateOfCharge::EMPTY);
        i2c.done();
    }

    pub async fn state_of_charge_above_100_percent_is_passed_on() {
        let mut i2c = mock(&[read(0x04, 0x67B3)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await.unwrap().whole_percent(), 103);
        i2c.done();
    }

    pub async fn state_of_charge_of_0xffff_is_an_invalid_reading_not_256_percent() {
        let mut i2c = mock(&[read(0x04, 0xFFFF)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.state_of_charge().await, Err(Error::InvalidReading(Register::Soc)));
        i2c.done();
    }

    pub async fn state_of_charge_bus_error() {
        let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x04], vec![0, 0]).with_error(ErrorKind::ArbitrationLoss)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let error = gauge.state_of_charge().await.unwrap_err();
        assert_eq!(error, Error::Bus(ErrorKind::ArbitrationLoss));
        assert!(!error.is_nack());
        i2c.done();
    }

    pub async fn double_soc_models_are_halved() {
        let mut i2c = mock(&[read(0x04, 0xC800), read(0x04, 0x0301)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043).with_soc_scale(SocScale::Double);
        assert_eq!(gauge.soc_scale(), SocScale::Double);
        assert_eq!(gauge.state_of_charge().await.unwrap(), StateOfCharge::FULL);
        assert_eq!(gauge.state_of_charge().await.unwrap().as_256ths(), 0x0180);
        i2c.done();
    }

    pub async fn normalized_state_of_charge_like_particle() {
        // 42.5 % at Particle's 4.112 V charge voltage (85 % usable) is 50 %; 90.5 % is above 85 %: 100 %.
        let mut i2c = mock(&[read(0x04, 0x2A80), read(0x04, 0x5A80), read(0x04, 0xFFFF)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(
            gauge.normalized_state_of_charge(4112).await.unwrap(),
            StateOfCharge::from_percent(50)
        );
        assert_eq!(
            gauge.normalized_state_of_charge(4112).await.unwrap(),
            StateOfCharge::FULL
        );
        assert_eq!(
            gauge.normalized_state_of_charge(4112).await,
            Err(Error::InvalidReading(Register::Soc))
        );
        i2c.done();
    }

    pub async fn version_is_read_as_is() {
        // 0x0000 (a bus held low) and 0xFFFF (no battery, a floating bus) are no version; 0x0001 and 0xFFFE are
        let mut i2c = mock(&[
            read(0x08, 0x0012),
            read(0x08, 0x0001),
            read(0x08, 0xFFFE),
            read(0x08, 0x0000),
            read(0x08, 0xFFFF),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.version().await.unwrap(), 0x0012);
        assert_eq!(gauge.version().await.unwrap(), 0x0001);
        assert_eq!(gauge.version().await.unwrap(), 0xFFFE);
        assert_eq!(gauge.version().await, Err(Error::InvalidReading(Register::Version)));
        assert_eq!(gauge.version().await, Err(Error::InvalidReading(Register::Version)));
        i2c.done();
    }

    pub async fn normalized_state_of_charge_bus_error() {
        let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x04], vec![0, 0]).with_error(address_nack())]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(
            gauge.normalized_state_of_charge(4112).await,
            Err(Error::Bus(address_nack()))
        );
        i2c.done();
    }

    pub async fn version_bus_error() {
        let mut i2c = mock(&[I2c::write_read(ADDR, vec![0x08], vec![0, 0]).with_error(address_nack())]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.version().await, Err(Error::Bus(address_nack())));
        i2c.done();
    }

    pub async fn release_gives_the_bus_back() {
        let i2c = mock(&[]);
        let gauge = Gauge::new(i2c, Variant::Max17043);
        assert_eq!(gauge.cached_settings(), None);
        let mut i2c = gauge.release();
        i2c.done();
    }
}

both!(
    voltage_is_one_write_read_of_1_plus_2_bytes,
    max17044_voltage_is_2_5_mv_per_step,
    voltage_of_0xffff_is_an_invalid_reading,
    voltage_bus_error_is_passed_on,
    state_of_charge_vectors,
    state_of_charge_above_100_percent_is_passed_on,
    state_of_charge_of_0xffff_is_an_invalid_reading_not_256_percent,
    state_of_charge_bus_error,
    double_soc_models_are_halved,
    normalized_state_of_charge_like_particle,
    version_is_read_as_is,
    version_bus_error,
    normalized_state_of_charge_bus_error,
    release_gives_the_bus_back,
);
