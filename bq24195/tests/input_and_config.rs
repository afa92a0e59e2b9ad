//! REG00 (guarded against D+/D− detection), the whole `Config`, start-up: exact bytes, both drivers.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use bq24195::{Bq24195, ChargeConfig, InputCurrentLimit, InputSource};

    const ELECTRON: [u8; 9] = [0x00, 0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B];

    pub async fn hiz_is_a_guarded_read_modify_write_of_reg00() {
        let mut expected = guarded_input(0x4B, 0x32);
        expected.push(write(0x00, 0xB2));
        // REG00 is re-read every time: the chip rewrites IINLIM after detection
        expected.extend(guarded_input(0x4B, 0x35));
        expected.push(write(0x00, 0x35));
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_hiz(true).await.unwrap();
        bq.set_hiz(false).await.unwrap();
        i2c.done();
    }

    pub async fn input_voltage_limit_rounds_down_to_80_mv() {
        let mut expected = guarded_input(0x4B, 0x30);
        expected.push(write(0x00, 0x28));
        expected.extend(guarded_input(0x4B, 0x28));
        expected.push(write(0x00, 0x78));
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_input_voltage_limit_mv(4300).await, Ok(4280));
        assert_eq!(bq.set_input_voltage_limit_mv(5080).await, Ok(5080));
        for mv in [3879, 5081] {
            let result = bq.set_input_voltage_limit_mv(mv).await;
            assert_eq!(result, Err(Error::Argument(ArgumentError::InputVoltageLimit)));
        }
        i2c.done();
    }

    pub async fn input_current_limit_writes_iinlim() {
        let mut expected = guarded_input(0x4B, 0x30);
        expected.push(write(0x00, 0x33));
        expected.extend(guarded_input(0x4B, 0x33));
        expected.push(write(0x00, 0x37));
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_input_current_limit(InputCurrentLimit::Ma900).await.unwrap();
        bq.set_input_current_limit(InputCurrentLimit::Ma3000).await.unwrap();
        i2c.done();
    }

    pub async fn reg00_is_left_alone_while_detection_runs() {
        let mut expected = guarded_input(0xCB, 0x30);
        expected.extend(guarded_input(0xCB, 0x30));
        expected.extend(guarded_input(0xCB, 0x30));
        expected.push(read(0x07, 0xCB));
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.set_hiz(false).await, Err(Error::InputDetectionRunning));
        assert_eq!(
            bq.set_input_voltage_limit_mv(3880).await,
            Err(Error::InputDetectionRunning)
        );
        let limit = bq.set_input_current_limit(InputCurrentLimit::Ma900).await;
        assert_eq!(limit, Err(Error::InputDetectionRunning));
        let source = InputSource {
            hiz: false,
            voltage_limit_mv: 3880,
            current_limit: InputCurrentLimit::Ma900,
        };
        assert_eq!(bq.set_input_source(source).await, Err(Error::InputDetectionRunning));
        i2c.done();
    }

    pub async fn input_source_is_written_whole_after_a_guard_read() {
        let mut i2c = mock(&[
            read(0x07, 0x4B),
            write(0x00, 0x03),
            read(0x00, 0x5F),
            read(0x00, 0xB2),
            read(0x00, 0x5F),
            read(0x00, 0x5F),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let asked = InputSource {
            hiz: false,
            voltage_limit_mv: 3900,
            current_limit: InputCurrentLimit::Ma900,
        };
        let applied = bq.set_input_source(asked).await.unwrap();
        assert_eq!(applied.voltage_limit_mv, 3880);
        let bad = InputSource {
            voltage_limit_mv: 3000,
            ..asked
        };
        assert_eq!(
            bq.set_input_source(bad).await,
            Err(Error::Argument(ArgumentError::InputVoltageLimit))
        );
        let read_back = bq.input_source().await.unwrap();
        assert_eq!(
            read_back,
            InputSource {
                hiz: false,
                voltage_limit_mv: 4760,
                current_limit: InputCurrentLimit::Ma3000
            }
        );
        assert_eq!(bq.hiz().await, Ok(true));
        assert_eq!(bq.input_voltage_limit_mv().await, Ok(4760));
        assert_eq!(bq.input_current_limit().await, Ok(InputCurrentLimit::Ma3000));
        i2c.done();
    }

    pub async fn a_nacked_guard_transaction_is_a_bus_error() {
        let mut bq = Bq24195::new(Nacking::default(), STANDARD);
        let result = bq.set_hiz(false).await;
        assert!(result.unwrap_err().is_nack());
        assert_eq!(bq.release().attempts, 1);
    }

    pub async fn apply_config_is_one_guard_read_and_one_9_byte_write() {
        let mut i2c = mock(&[
            read(0x07, 0x4B),
            I2c::write(ADDR, ELECTRON.to_vec()),
            // every control register is cached now: a setting is one 2-byte write
            write(0x01, 0x0B),
            write(0x05, 0x9A),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.apply_config(&Config::electron()).await.unwrap();
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        bq.set_watchdog(bq24195::Watchdog::S40).await.unwrap();
        i2c.done();
    }

    pub async fn apply_config_refuses_during_detection_and_checks_arguments_first() {
        let mut i2c = mock(&[read(0x07, 0xCB)]);
        let mut bq = Bq24195::new(i2c.clone(), Variant::Bq24195L);
        let mut too_much = Config::electron();
        too_much.fast_charge_current_ma = 4544;
        let result = bq.apply_config(&too_much).await;
        assert_eq!(result, Err(Error::Argument(ArgumentError::FastChargeCurrent)));
        assert_eq!(
            bq.apply_config(&Config::electron()).await,
            Err(Error::InputDetectionRunning)
        );
        i2c.done();
    }

    pub async fn a_nacked_config_write_leaves_the_cache_empty() {
        let mut i2c = mock(&[
            read(0x07, 0x4B),
            I2c::write(ADDR, ELECTRON.to_vec()).with_error(nack()),
            read(0x01, 0x1B),
            write(0x01, 0x0B),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.apply_config(&Config::electron()).await, Err(Error::Bus(nack())));
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        i2c.done();
    }

    pub async fn read_config_is_one_8_byte_read_that_fills_the_cache() {
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x00], ELECTRON[1..].to_vec()),
            write(0x02, 0x20),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.read_config().await, Ok(Config::electron()));
        assert_eq!(bq.set_fast_charge_current_ma(1024).await, Ok(1024));
        i2c.done();
    }

    pub async fn invalidate_cache_makes_the_next_setting_read_first() {
        let mut i2c = mock(&[
            I2c::write_read(ADDR, vec![0x00], ELECTRON[1..].to_vec()),
            read(0x06, 0x03),
            write(0x06, 0x00),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.read_config().await.unwrap();
        bq.invalidate_cache();
        bq.set_thermal_regulation(bq24195::ThermalRegulation::C60)
            .await
            .unwrap();
        i2c.done();
    }

    pub async fn init_checks_the_part_flushes_the_faults_and_applies_the_config() {
        let mut i2c = mock(&[
            read(0x0A, 0x23),
            read(0x09, 0x80),
            read(0x09, 0x80),
            read(0x07, 0x4B),
            I2c::write(ADDR, ELECTRON.to_vec()),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let report = bq.init(&Config::electron()).await.unwrap();
        assert!(report.latched.watchdog_expired && report.current.watchdog_expired);
        i2c.done();
    }

    pub async fn init_stops_at_an_unexpected_device() {
        // a bq24192 / bq24196 (PN 101) is another part of the family; 0x00 is no part of it
        let mut i2c = mock(&[read(0x0A, 0x2B), read(0x0A, 0x00)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.init(&Config::electron()).await, Err(Error::OtherPart(0x2B)));
        assert_eq!(bq.init(&Config::electron()).await, Err(Error::UnexpectedDevice(0x00)));
        i2c.done();
    }
}

both!(
    hiz_is_a_guarded_read_modify_write_of_reg00,
    input_voltage_limit_rounds_down_to_80_mv,
    input_current_limit_writes_iinlim,
    reg00_is_left_alone_while_detection_runs,
    input_source_is_written_whole_after_a_guard_read,
    a_nacked_guard_transaction_is_a_bus_error,
    apply_config_is_one_guard_read_and_one_9_byte_write,
    apply_config_refuses_during_detection_and_checks_arguments_first,
    a_nacked_config_write_leaves_the_cache_empty,
    read_config_is_one_8_byte_read_that_fills_the_cache,
    invalidate_cache_makes_the_next_setting_read_first,
    init_checks_the_part_flushes_the_faults_and_applies_the_config,
    init_stops_at_an_unexpected_device,
);
