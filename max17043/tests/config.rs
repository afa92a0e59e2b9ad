//! CONFIG: RCOMP, the alert threshold and flag, sleep and wake, the cache. Exact bytes, sync and async.
#![allow(clippy::unwrap_used)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;

    pub async fn config_reads_and_decodes() {
        let mut i2c = mock(&[read(0x0C, 0x971C), read(0x0C, 0x973C), read(0x0C, 0x40DF)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.config().await.unwrap(), Config::POWER_UP);
        let config = gauge.config().await.unwrap();
        assert!(config.alert && !config.sleeping);
        assert_eq!(
            gauge.config().await.unwrap(),
            Config {
                rcomp: 0x40,
                sleeping: true,
                alert: false,
                alert_threshold_percent: 1
            }
        );
        i2c.done();
    }

    pub async fn config_of_0xffff_is_invalid_and_fills_no_cache() {
        let mut i2c = mock(&[read(0x0C, 0xFFFF)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.config().await, Err(Error::InvalidReading(Register::Config)));
        assert_eq!(gauge.cached_settings(), None);
        i2c.done();
    }

    pub async fn configure_is_one_3_byte_write_without_a_read() {
        let mut i2c = mock(&[
            write(0x0C, 0x971C),
            write(0x0C, 0x5A96),
            // the cache then serves a clear, which needs no read either
            write(0x0C, 0x5A96),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        let settings = Settings {
            rcomp: 0x5A,
            alert_threshold_percent: 10,
            sleep: true,
        };
        gauge.configure(settings).await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(settings));
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn configure_rejects_a_threshold_out_of_range_without_bus_traffic() {
        let mut i2c = mock(&[]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        for percent in [0, 33, 255] {
            let settings = Settings {
                alert_threshold_percent: percent,
                ..Settings::default()
            };
            assert_eq!(
                gauge.configure(settings).await,
                Err(Error::Argument(ArgumentError::AlertThresholdOutOfRange))
            );
        }
        i2c.done();
    }

    pub async fn set_rcomp_reads_config_then_writes_it_back_with_alrt_as_read() {
        // Another master left RCOMP 0x50, asleep, 10 %, and the chip raised ALRT (0x50B6): the change reads CONFIG
        // and keeps SLEEP, ATHD and the alert. Every change reads again: when ALRT reads 0 (another master cleared
        // it), 0 is written back; never 1 over 0.
        let mut i2c = mock(&[
            read(0x0C, 0x50B6),
            write(0x0C, 0x40B6),
            read(0x0C, 0x4096),
            write(0x0C, 0x3896),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.set_rcomp(0x40).await.unwrap();
        gauge.set_rcomp(0x38).await.unwrap();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0x38,
                alert_threshold_percent: 10,
                sleep: true
            })
        );
        i2c.done();
    }

    pub async fn rcomp_is_read_from_config() {
        let mut i2c = mock(&[read(0x0C, 0x5A1C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.rcomp().await.unwrap(), 0x5A);
        i2c.done();
    }

    pub async fn set_rcomp_for_temperature_writes_the_compensated_value() {
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        // 40 °C: 0x97 - 10 = 0x8D; 0 °C: 0x97 + 100 = 0xFB. Each is a read and a write; the alert the chip raised
        // between the two calls (0x8D3C) is written back.
        let mut i2c = mock(&[
            write(0x0C, 0x971C),
            read(0x0C, 0x971C),
            write(0x0C, 0x8D1C),
            read(0x0C, 0x8D3C),
            write(0x0C, 0xFB3C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        assert_eq!(gauge.set_rcomp_for_temperature(&compensation, 400).await.unwrap(), 0x8D);
        assert_eq!(gauge.cached_settings().unwrap().rcomp, 0x8D);
        assert_eq!(gauge.set_rcomp_for_temperature(&compensation, 0).await.unwrap(), 0xFB);
        assert_eq!(gauge.cached_settings().unwrap().rcomp, 0xFB);
        i2c.done();
    }

    pub async fn set_alert_threshold_encodes_32_minus_percent() {
        let mut i2c = mock(&[
            read(0x0C, 0x971C),
            write(0x0C, 0x9716),
            read(0x0C, 0x9716),
            write(0x0C, 0x971F),
            read(0x0C, 0x971F),
            write(0x0C, 0x9700),
            read(0x0C, 0x9700),
            write(0x0C, 0x970C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        for percent in [10, 1, 32, 20] {
            gauge.set_alert_threshold(percent).await.unwrap();
        }
        assert_eq!(gauge.cached_settings().unwrap().alert_threshold_percent, 20);
        i2c.done();
    }

    pub async fn set_alert_threshold_out_of_range_sends_nothing() {
        let mut i2c = mock(&[]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(
            gauge.set_alert_threshold(0).await,
            Err(Error::Argument(ArgumentError::AlertThresholdOutOfRange))
        );
        assert_eq!(
            gauge.set_alert_threshold(33).await,
            Err(Error::Argument(ArgumentError::AlertThresholdOutOfRange))
        );
        i2c.done();
    }

    pub async fn alert_threshold_is_read_from_config() {
        let mut i2c = mock(&[read(0x0C, 0x9716), read(0x0C, 0x973C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.alert_threshold().await.unwrap(), 10);
        assert_eq!(gauge.alert_threshold().await.unwrap(), 4);
        i2c.done();
    }

    pub async fn alert_reads_the_flag() {
        let mut i2c = mock(&[read(0x0C, 0x973C), read(0x0C, 0x971C), read(0x0C, 0x975C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert!(gauge.alert().await.unwrap());
        assert!(!gauge.alert().await.unwrap());
        // bit 6 is don't-care, not the flag
        assert!(!gauge.alert().await.unwrap());
        i2c.done();
    }

    pub async fn clear_alert_is_one_3_byte_write_from_the_cache() {
        // the sheet's sequence: ALRT set in 0x973C, cleared with `0C 97 1C`; a second clear needs no read either
        let mut i2c = mock(&[read(0x0C, 0x973C), write(0x0C, 0x971C), write(0x0C, 0x971C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert!(gauge.alert().await.unwrap());
        gauge.clear_alert().await.unwrap();
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn config_changes_keep_an_alert_the_chip_raised_until_it_is_cleared() {
        let mut i2c = mock(&[
            write(0x0C, 0x971C),
            // the chip raised ALRT after `configure`, the driver has not looked: the change reads it and keeps it
            read(0x0C, 0x973C),
            write(0x0C, 0x9736),
            // every change writes it back as read
            read(0x0C, 0x9736),
            write(0x0C, 0x8036),
            read(0x0C, 0x8036),
            write(0x0C, 0x80B6),
            read(0x0C, 0x80B6),
            write(0x0C, 0x8036),
            read(0x0C, 0x8036),
            write(0x0C, 0x8034),
            // cleared from the cache without a read; then read as 0 and written back as 0
            write(0x0C, 0x8014),
            read(0x0C, 0x8014),
            write(0x0C, 0x7014),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        gauge.set_alert_threshold(10).await.unwrap();
        gauge.set_rcomp(0x80).await.unwrap();
        gauge.sleep().await.unwrap();
        gauge.wake().await.unwrap();
        gauge.set_alert_threshold(12).await.unwrap();
        gauge.clear_alert().await.unwrap();
        gauge.set_rcomp(0x70).await.unwrap();
        i2c.done();
    }

    pub async fn configure_clears_an_alert_the_driver_has_seen() {
        let mut i2c = mock(&[
            read(0x0C, 0x973C),
            write(0x0C, 0x971C),
            read(0x0C, 0x971C),
            write(0x0C, 0x401C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert!(gauge.alert().await.unwrap());
        gauge.configure(Settings::default()).await.unwrap();
        gauge.set_rcomp(0x40).await.unwrap();
        i2c.done();
    }

    pub async fn power_on_reset_sets_the_cache_to_the_power_up_config() {
        // RCOMP 0x40 and 10 % before the reset; afterwards a clear writes the power-up fields without a read
        let mut i2c = mock(&[
            read(0x0C, 0x4036),
            I2c::write(ADDR, vec![0xFE, 0x00, 0x54]),
            read(0x0C, 0x971C),
            write(0x0C, 0x971C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert!(gauge.alert().await.unwrap());
        gauge.power_on_reset(PorCommand::Current).await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn clear_alert_keeps_rcomp_sleep_and_threshold() {
        // cold cache: one read, then ALRT = 0 with everything else as read (bit 6 not written)
        let mut i2c = mock(&[read(0x0C, 0x42F6), write(0x0C, 0x4296)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn clear_alert_bus_errors() {
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(address_nack()),
            read(0x0C, 0x973C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]).with_error(data_nack()),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.clear_alert().await, Err(Error::Bus(address_nack())));
        assert_eq!(gauge.clear_alert().await, Err(Error::Bus(data_nack())));
        i2c.done();
    }

    pub async fn sleep_and_wake_flip_only_the_sleep_bit() {
        // the sheet's sequences: sleep from default `0C 97 9C`, wake `0C 97 1C`
        let mut i2c = mock(&[
            read(0x0C, 0x971C),
            write(0x0C, 0x979C),
            read(0x0C, 0x979C),
            write(0x0C, 0x971C),
            // an alert raised meanwhile is kept
            read(0x0C, 0x973C),
            write(0x0C, 0x97BC),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.sleep().await.unwrap();
        assert!(gauge.cached_settings().unwrap().sleep);
        gauge.wake().await.unwrap();
        assert!(!gauge.cached_settings().unwrap().sleep);
        gauge.sleep().await.unwrap();
        i2c.done();
    }

    pub async fn a_failed_write_leaves_the_cache_unknown() {
        // the chip may have taken the write (a NACK of its last byte, an error after it): the next clear reads
        // CONFIG first and keeps what the chip holds (here: asleep)
        let mut i2c = mock(&[
            write(0x0C, 0x971C),
            read(0x0C, 0x971C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x9C]).with_error(data_nack()),
            read(0x0C, 0x979C),
            write(0x0C, 0x979C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        assert_eq!(gauge.sleep().await, Err(Error::Bus(data_nack())));
        assert_eq!(gauge.cached_settings(), None);
        gauge.clear_alert().await.unwrap();
        assert!(gauge.cached_settings().unwrap().sleep);
        i2c.done();
    }

    pub async fn invalidate_cache_forces_a_read() {
        let mut i2c = mock(&[write(0x0C, 0x971C), read(0x0C, 0x40BC), write(0x0C, 0x409C)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        gauge.invalidate_cache();
        assert_eq!(gauge.cached_settings(), None);
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn every_config_read_passes_a_bus_error_on_and_keeps_the_cache() {
        let failed_read = || I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(address_nack());
        let mut i2c = mock(&[
            write(0x0C, 0x5A96),
            failed_read(),
            failed_read(),
            failed_read(),
            failed_read(),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let settings = Settings {
            rcomp: 0x5A,
            alert_threshold_percent: 10,
            sleep: true,
        };
        gauge.configure(settings).await.unwrap();
        assert_eq!(gauge.config().await, Err(Error::Bus(address_nack())));
        assert_eq!(gauge.rcomp().await, Err(Error::Bus(address_nack())));
        assert_eq!(gauge.alert_threshold().await, Err(Error::Bus(address_nack())));
        assert_eq!(gauge.alert().await, Err(Error::Bus(address_nack())));
        assert_eq!(gauge.cached_settings(), Some(settings));
        i2c.done();
    }

    pub async fn every_alert_keeping_change_sends_nothing_after_a_failed_read() {
        let failed_read = || I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(address_nack());
        let mut i2c = mock(&[
            write(0x0C, 0x5A96),
            failed_read(),
            failed_read(),
            failed_read(),
            failed_read(),
            failed_read(),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let settings = Settings {
            rcomp: 0x5A,
            alert_threshold_percent: 10,
            sleep: true,
        };
        gauge.configure(settings).await.unwrap();
        let nack = Err(Error::Bus(address_nack()));
        assert_eq!(gauge.set_rcomp(0x40).await, nack);
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        assert_eq!(
            gauge.set_rcomp_for_temperature(&compensation, 400).await,
            Err(Error::Bus(address_nack()))
        );
        assert_eq!(gauge.set_alert_threshold(20).await, nack);
        assert_eq!(gauge.sleep().await, nack);
        assert_eq!(gauge.wake().await, nack);
        assert_eq!(gauge.cached_settings(), Some(settings));
        i2c.done();
    }

    pub async fn every_config_write_passes_a_bus_error_on_and_forgets_the_cache() {
        // The chip holds RCOMP 0x30, 25 % and a raised alert, asleep (0x30B7) or awake (0x3037), while the cache
        // holds the power-up fields: the alert-keeping writes are built from the read, and when one fails the cache
        // is unknown (the chip may have taken it), so the next clear reads CONFIG first.
        let failed_write = |bytes: [u8; 3]| I2c::write(ADDR, bytes.to_vec()).with_error(data_nack());
        let mut i2c = mock(&[
            write(0x0C, 0x971C),
            read(0x0C, 0x30B7),
            failed_write([0x0C, 0x40, 0xB7]),
            read(0x0C, 0x30B7),
            failed_write([0x0C, 0x8D, 0xB7]),
            read(0x0C, 0x30B7),
            failed_write([0x0C, 0x30, 0xB6]),
            read(0x0C, 0x30B7),
            failed_write([0x0C, 0x30, 0x97]),
            read(0x0C, 0x3037),
            failed_write([0x0C, 0x30, 0xB7]),
            read(0x0C, 0x30B7),
            failed_write([0x0C, 0x30, 0x37]),
            failed_write([0x0C, 0x5A, 0x96]),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.configure(Settings::default()).await.unwrap();
        let nack = Err(Error::Bus(data_nack()));
        assert_eq!(gauge.set_rcomp(0x40).await, nack);
        assert_eq!(gauge.cached_settings(), None);
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        assert_eq!(
            gauge.set_rcomp_for_temperature(&compensation, 400).await,
            Err(Error::Bus(data_nack()))
        );
        assert_eq!(gauge.set_alert_threshold(10).await, nack);
        assert_eq!(gauge.clear_alert().await, nack);
        assert_eq!(gauge.cached_settings(), None);
        assert_eq!(gauge.sleep().await, nack);
        assert_eq!(gauge.wake().await, nack);
        let settings = Settings {
            rcomp: 0x5A,
            alert_threshold_percent: 10,
            sleep: true,
        };
        assert_eq!(gauge.configure(settings).await, nack);
        assert_eq!(gauge.cached_settings(), None);
        i2c.done();
    }

    pub async fn wake_from_a_cold_cache_reads_config_first() {
        // another master left the gauge asleep with RCOMP 0x30 and 25 %, and ALRT is set: wake keeps all three
        let mut i2c = mock(&[read(0x0C, 0x30A7), write(0x0C, 0x3027)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.wake().await.unwrap();
        assert_eq!(gauge.cached_settings().unwrap().alert_threshold_percent, 25);
        i2c.done();
    }

    pub async fn set_rcomp_for_temperature_from_a_cold_cache() {
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        // at 20 °C the value is RCOMP0, which the chip already holds: read, nothing to write, the cache filled
        let mut i2c = mock(&[
            read(0x0C, 0x9716),
            I2c::write_read(ADDR, vec![0x0C], vec![0, 0]).with_error(address_nack()),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        assert_eq!(gauge.set_rcomp_for_temperature(&compensation, 200).await.unwrap(), 0x97);
        assert_eq!(gauge.cached_settings().unwrap().alert_threshold_percent, 10);
        gauge.invalidate_cache();
        assert_eq!(
            gauge.set_rcomp_for_temperature(&compensation, 200).await,
            Err(Error::Bus(address_nack()))
        );
        i2c.done();
    }

    pub async fn a_config_write_after_an_invalid_read_sends_nothing() {
        let mut i2c = mock(&[
            read(0x0C, 0xFFFF),
            read(0x0C, 0xFFFF),
            read(0x0C, 0xFFFF),
            read(0x0C, 0xFFFF),
            read(0x0C, 0xFFFF),
            read(0x0C, 0xFFFF),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        let invalid = Err(Error::InvalidReading(Register::Config));
        assert_eq!(gauge.clear_alert().await, invalid);
        assert_eq!(gauge.wake().await, invalid);
        assert_eq!(gauge.sleep().await, invalid);
        assert_eq!(gauge.set_rcomp(0x40).await, invalid);
        assert_eq!(gauge.set_alert_threshold(10).await, invalid);
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        assert_eq!(
            gauge.set_rcomp_for_temperature(&compensation, 400).await,
            Err(Error::InvalidReading(Register::Config))
        );
        assert_eq!(gauge.cached_settings(), None);
        i2c.done();
    }
    pub async fn a_setter_whose_field_is_already_set_writes_nothing() {
        // each change reads CONFIG; when the chip already holds the value, nothing is written (no needless write,
        // no race with the chip's ALRT) and the cache takes the read; an alert stays as it is
        let mut i2c = mock(&[
            read(0x0C, 0x979C),
            read(0x0C, 0x97BC),
            read(0x0C, 0x971C),
            read(0x0C, 0x973C),
            read(0x0C, 0x5A16),
            read(0x0C, 0x5AB6),
            read(0x0C, 0x8D00),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.sleep().await.unwrap();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0x97,
                alert_threshold_percent: 4,
                sleep: true
            })
        );
        gauge.sleep().await.unwrap();
        gauge.wake().await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        gauge.wake().await.unwrap();
        gauge.set_rcomp(0x5A).await.unwrap();
        gauge.set_alert_threshold(10).await.unwrap();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0x5A,
                alert_threshold_percent: 10,
                sleep: true
            })
        );
        let compensation = RcompCompensation {
            rcomp0: 0x97,
            temp_co_up_milli: -500,
            temp_co_down_milli: -5000,
        };
        assert_eq!(gauge.set_rcomp_for_temperature(&compensation, 400).await.unwrap(), 0x8D);
        assert_eq!(gauge.cached_settings().unwrap().alert_threshold_percent, 32);
        i2c.done();
    }

    pub async fn sleep_twice_and_wake_twice() {
        let mut i2c = mock(&[
            read(0x0C, 0x971C),
            write(0x0C, 0x979C),
            read(0x0C, 0x979C),
            read(0x0C, 0x979C),
            write(0x0C, 0x971C),
            read(0x0C, 0x971C),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.sleep().await.unwrap();
        gauge.sleep().await.unwrap();
        assert!(gauge.cached_settings().unwrap().sleep);
        gauge.wake().await.unwrap();
        gauge.wake().await.unwrap();
        assert!(!gauge.cached_settings().unwrap().sleep);
        i2c.done();
    }

    pub async fn every_change_keeps_the_other_fields_at_their_extremes() {
        // RCOMP 0xFF / 0x00, ATHD 0x1F / 0x00, SLEEP and ALRT each way, bit 6 set as read (never written back):
        // each change touches its own bits only
        let mut i2c = mock(&[
            read(0x0C, 0xFF7F),
            write(0x0C, 0xFFBF),
            read(0x0C, 0x00E0),
            write(0x0C, 0x0020),
            read(0x0C, 0x12FC),
            write(0x0C, 0x12A0),
            read(0x0C, 0x12DF),
            write(0x0C, 0x129E),
            read(0x0C, 0xFFC0),
            write(0x0C, 0x0080),
            read(0x0C, 0x0060),
            write(0x0C, 0xFF20),
        ]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.sleep().await.unwrap();
        gauge.wake().await.unwrap();
        gauge.set_alert_threshold(32).await.unwrap();
        gauge.set_alert_threshold(2).await.unwrap();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0x12,
                alert_threshold_percent: 2,
                sleep: true
            })
        );
        gauge.set_rcomp(0x00).await.unwrap();
        gauge.set_rcomp(0xFF).await.unwrap();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0xFF,
                alert_threshold_percent: 32,
                sleep: false
            })
        );
        i2c.done();
    }

    pub async fn clear_alert_from_a_cold_cache_masks_alrt_and_bit_6() {
        let mut i2c = mock(&[read(0x0C, 0x01FF), write(0x0C, 0x019F), write(0x0C, 0x019F)]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.clear_alert().await.unwrap();
        assert_eq!(
            gauge.cached_settings(),
            Some(Settings {
                rcomp: 0x01,
                alert_threshold_percent: 1,
                sleep: true
            })
        );
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }
}

both!(
    a_setter_whose_field_is_already_set_writes_nothing,
    sleep_twice_and_wake_twice,
    every_change_keeps_the_other_fields_at_their_extremes,
    clear_alert_from_a_cold_cache_masks_alrt_and_bit_6,
    config_reads_and_decodes,
    config_of_0xffff_is_invalid_and_fills_no_cache,
    configure_is_one_3_byte_write_without_a_read,
    configure_rejects_a_threshold_out_of_range_without_bus_traffic,
    set_rcomp_reads_config_then_writes_it_back_with_alrt_as_read,
    rcomp_is_read_from_config,
    set_rcomp_for_temperature_writes_the_compensated_value,
    set_alert_threshold_encodes_32_minus_percent,
    set_alert_threshold_out_of_range_sends_nothing,
    alert_threshold_is_read_from_config,
    alert_reads_the_flag,
    clear_alert_is_one_3_byte_write_from_the_cache,
    clear_alert_keeps_rcomp_sleep_and_threshold,
    clear_alert_bus_errors,
    sleep_and_wake_flip_only_the_sleep_bit,
    a_failed_write_leaves_the_cache_unknown,
    invalidate_cache_forces_a_read,
    a_config_write_after_an_invalid_read_sends_nothing,
    every_config_read_passes_a_bus_error_on_and_keeps_the_cache,
    every_alert_keeping_change_sends_nothing_after_a_failed_read,
    every_config_write_passes_a_bus_error_on_and_forgets_the_cache,
    wake_from_a_cold_cache_reads_config_first,
    set_rcomp_for_temperature_from_a_cold_cache,
    config_changes_keep_an_alert_the_chip_raised_until_it_is_cleared,
    configure_clears_an_alert_the_driver_has_seen,
    power_on_reset_sets_the_cache_to_the_power_up_config,
);
