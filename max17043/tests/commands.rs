//! Quick-start and the power-on-reset command: exact bytes, the missing acknowledge, sync and async.
#![allow(clippy::unwrap_used)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;

    pub async fn quick_start_writes_0x4000_to_mode() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0x06, 0x40, 0x00])]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.quick_start().await.unwrap();
        // quick-start leaves CONFIG alone: the cache stays as it was (empty)
        assert_eq!(gauge.cached_settings(), None);
        i2c.done();
    }

    pub async fn quick_start_bus_error() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0x06, 0x40, 0x00]).with_error(address_nack())]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.quick_start().await, Err(Error::Bus(address_nack())));
        i2c.done();
    }

    pub async fn power_on_reset_writes_0x0054_by_default_and_reads_config_back() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0xFE, 0x00, 0x54]), read(0x0C, 0x971C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let outcome = gauge.power_on_reset(PorCommand::default()).await.unwrap();
        assert_eq!(outcome, ResetOutcome::Acknowledged);
        // the cache now holds the power-up CONFIG, as read back
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        i2c.done();
    }

    pub async fn power_on_reset_legacy_writes_0x5400() {
        // ALRT (live from power-up) and bit 6 do not matter to the read-back
        let mut i2c = mock(&[I2c::write(ADDR, vec![0xFE, 0x54, 0x00]), read(0x0C, 0x977C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(
            gauge.power_on_reset(PorCommand::Legacy).await,
            Ok(ResetOutcome::Acknowledged)
        );
        i2c.done();
    }

    pub async fn power_on_reset_data_nack_then_power_up_config_is_a_reset() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]).with_error(data_nack()),
            read(0x0C, 0x971C),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]).with_error(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Unknown)),
            read(0x0C, 0x973C),
            // after the reset, a clear needs no read: the cache holds 0x971C
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Ok(ResetOutcome::NotAcknowledged)
        );
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Ok(ResetOutcome::NotAcknowledged)
        );
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn power_on_reset_without_the_power_up_config_is_not_confirmed() {
        // each field alone tells: RCOMP, SLEEP, ATHD; the cache takes what was read
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]).with_error(data_nack()),
            read(0x0C, 0x961C),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]),
            read(0x0C, 0x979C),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]),
            read(0x0C, 0x971D),
            write(0x0C, 0x971D),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        for sleep in [false, true] {
            assert_eq!(
                gauge.power_on_reset(PorCommand::Current).await,
                Err(Error::ResetNotConfirmed)
            );
            assert_eq!(gauge.cached_settings().unwrap().sleep, sleep);
        }
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::ResetNotConfirmed)
        );
        assert_eq!(gauge.cached_settings().unwrap().alert_threshold_percent, 3);
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn power_on_reset_on_a_missing_chip_behind_a_hal_that_cannot_place_nacks_is_an_error() {
        // every NACK reported as Unknown: the write looks like the resetting chip's NACK, the read-back tells
        let unknown = ErrorKind::NoAcknowledge(NoAcknowledgeSource::Unknown);
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]).with_error(unknown),
            I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(unknown),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::Bus(unknown))
        );
        assert_eq!(gauge.cached_settings(), None);
        i2c.done();
    }

    pub async fn power_on_reset_other_errors_leave_config_unknown() {
        let failed_read = || I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(address_nack());
        let mut i2c = mock(&[
            read(0x0C, 0x409E),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]).with_error(address_nack()),
            I2c::write(ADDR, vec![0xFE, 0x54, 0x00]).with_error(ErrorKind::Bus),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]).with_error(data_nack()),
            failed_read(),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]),
            read(0x0C, 0xFFFF),
            // unknown: the next clear reads first
            read(0x0C, 0x971C),
            write(0x0C, 0x971C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.config().await.unwrap();
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::Bus(address_nack()))
        );
        assert_eq!(gauge.cached_settings(), None);
        assert_eq!(
            gauge.power_on_reset(PorCommand::Legacy).await,
            Err(Error::Bus(ErrorKind::Bus))
        );
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::Bus(address_nack()))
        );
        assert_eq!(
            gauge.power_on_reset(PorCommand::Current).await,
            Err(Error::InvalidReading(Register::Config))
        );
        assert_eq!(gauge.cached_settings(), None);
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }
}

both!(
    quick_start_writes_0x4000_to_mode,
    quick_start_bus_error,
    power_on_reset_writes_0x0054_by_default_and_reads_config_back,
    power_on_reset_legacy_writes_0x5400,
    power_on_reset_data_nack_then_power_up_config_is_a_reset,
    power_on_reset_without_the_power_up_config_is_not_confirmed,
    power_on_reset_other_errors_leave_config_unknown,
    power_on_reset_on_a_missing_chip_behind_a_hal_that_cannot_place_nacks_is_an_error,
);
