//! Status, the latched fault register, the watchdog, identification, INT: exact bytes, both drivers.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use bq24195::{Bq24195, ChargeConfig, ChargeFault, ChargeStatus, NtcFault, VbusStatus};

    pub async fn status_decodes_reg08() {
        let mut i2c = mock(&[read(0x08, 0x64), read(0x08, 0x05)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let status = bq.status().await.unwrap();
        assert_eq!(
            (status.vbus, status.charge),
            (VbusStatus::UsbHost, ChargeStatus::FastCharge)
        );
        assert!(status.power_good && !status.dpm && !status.thermal_regulation && !status.vsys_regulation);
        let idle = bq.status().await.unwrap();
        assert_eq!(
            (idle.vbus, idle.charge),
            (VbusStatus::Unknown, ChargeStatus::NotCharging)
        );
        assert!(idle.power_good && idle.vsys_regulation);
        i2c.done();
    }

    pub async fn faults_reads_reg09_twice_latched_first() {
        let mut i2c = mock(&[read(0x09, 0x30), read(0x09, 0x05), read(0x09, 0x20)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let report = bq.faults().await.unwrap();
        assert_eq!(report.latched.charge, ChargeFault::SafetyTimerExpired);
        assert_eq!(report.current.charge, ChargeFault::Normal);
        assert_eq!(report.current.ntc, NtcFault::Cold);
        let latched = bq.latched_faults().await.unwrap();
        assert_eq!(latched.charge, ChargeFault::ThermalShutdown);
        i2c.done();
    }

    pub async fn status_and_faults_is_one_transaction_of_two_single_reads() {
        let mut i2c = mock(&status_and_faults(0x34, 0x08));
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let snapshot = bq.status_and_faults().await.unwrap();
        assert_eq!(snapshot.status.charge, ChargeStatus::Done);
        assert!(snapshot.faults.battery_overvoltage);
        i2c.done();
    }

    pub async fn a_watchdog_fault_empties_the_cache() {
        let mut expected = vec![
            read(0x01, 0x1B),
            write(0x01, 0x0B),
            read(0x09, 0x80),
            read(0x01, 0x1B),
            write(0x01, 0x0B),
        ];
        expected.extend(status_and_faults(0x00, 0x80));
        expected.extend([read(0x01, 0x1B), write(0x01, 0x0B)]);
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        assert!(bq.latched_faults().await.unwrap().watchdog_expired);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        assert!(bq.status_and_faults().await.unwrap().faults.watchdog_expired);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        i2c.done();
    }

    /// The counterpart: a fault reading without the watchdog bit (every other fault bit set) keeps the cache, so
    /// the next change of REG01 is one write (a surviving mutant made every fault reading empty the cache).
    pub async fn a_fault_without_the_watchdog_keeps_the_cache() {
        let mut i2c = mock(&[read(0x01, 0x1B), write(0x01, 0x0B), read(0x09, 0x7F), write(0x01, 0x1B)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        assert!(!bq.latched_faults().await.unwrap().watchdog_expired);
        bq.set_charge_config(ChargeConfig::Charge).await.unwrap();
        i2c.done();
    }

    pub async fn recover_from_watchdog_reapplies_the_config_only_after_expiry() {
        let mut i2c = mock(&[
            read(0x09, 0x00),
            read(0x09, 0x80),
            read(0x07, 0x4B),
            I2c::write(ADDR, vec![0x00, 0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B]),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let quiet = bq.recover_from_watchdog(&Config::electron()).await.unwrap();
        assert!(quiet.is_empty());
        let expired = bq.recover_from_watchdog(&Config::electron()).await.unwrap();
        assert!(expired.watchdog_expired);
        i2c.done();
    }

    pub async fn a_latched_reading_a_failed_call_took_comes_with_the_next() {
        let mut expected = vec![
            // faults(): the first read takes a thermal shutdown off the chip, the second fails
            read(0x09, 0x25),
            read(0x09, 0).with_error(nack()),
            // latched_faults(): merged with a battery fault and a hot thermistor read now
            read(0x09, 0x0E),
            read(0x09, 0x40),
            read(0x09, 0).with_error(nack()),
        ];
        // status_and_faults(): the boost fault kept by the failed faults() comes with it
        expected.extend(status_and_faults(0x00, 0x00));
        expected.extend([
            // recover_from_watchdog(): a watchdog fault read, the config write fails ...
            read(0x09, 0x80),
            read(0x07, 0x4B),
            I2c::write(ADDR, vec![0x00, 0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B]).with_error(nack()),
            // ... so the next call applies it again although the chip reads no fault by now
            read(0x09, 0x00),
            read(0x07, 0x4B),
            I2c::write(ADDR, vec![0x00, 0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B]),
        ]);
        let mut i2c = mock(&expected);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert!(bq.faults().await.unwrap_err().is_nack());
        let latched = bq.latched_faults().await.unwrap();
        assert_eq!(
            latched.raw, 0x2E,
            "the older charge fault, both flags, the newer NTC state"
        );
        assert_eq!(
            (latched.charge, latched.battery_overvoltage, latched.ntc),
            (ChargeFault::ThermalShutdown, true, NtcFault::Hot)
        );
        assert!(bq.faults().await.unwrap_err().is_nack());
        assert_eq!(bq.status_and_faults().await.unwrap().faults.raw, 0x40);
        assert!(bq
            .recover_from_watchdog(&Config::electron())
            .await
            .unwrap_err()
            .is_nack());
        let faults = bq.recover_from_watchdog(&Config::electron()).await.unwrap();
        assert!(faults.watchdog_expired);
        i2c.done();
    }

    pub async fn check_device_wants_0x23_in_reg0a() {
        let mut i2c = mock(&[read(0x0A, 0x23), read(0x0A, 0x2F), read(0x0A, 0x2F)]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        let info = bq.check_device().await.unwrap();
        assert_eq!((info.part_number, info.jeita, info.revision), (0b100, false, 0b11));
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x2F)));
        let other = bq.part_info().await.unwrap();
        assert_eq!((other.part_number, other.jeita), (0b101, true));
        i2c.done();
    }

    pub async fn read_errors_are_bus_errors() {
        let mut i2c = mock(&[
            read(0x08, 0).with_error(nack()),
            read(0x09, 0).with_error(nack()),
            read(0x0A, 0).with_error(nack()),
        ]);
        let mut bq = Bq24195::new(i2c.clone(), STANDARD);
        assert_eq!(bq.status().await, Err(Error::Bus(nack())));
        assert!(bq.faults().await.unwrap_err().is_nack());
        assert!(bq.check_device().await.unwrap_err().is_nack());
        i2c.done();
        let mut bq = Bq24195::new(Nacking::default(), STANDARD);
        assert!(bq.status_and_faults().await.unwrap_err().is_nack());
    }
}

both!(
    a_fault_without_the_watchdog_keeps_the_cache,
    status_decodes_reg08,
    faults_reads_reg09_twice_latched_first,
    status_and_faults_is_one_transaction_of_two_single_reads,
    a_watchdog_fault_empties_the_cache,
    recover_from_watchdog_reapplies_the_config_only_after_expiry,
    a_latched_reading_a_failed_call_took_comes_with_the_next,
    check_device_wants_0x23_in_reg0a,
    read_errors_are_bus_errors,
);

#[cfg(feature = "async")]
mod interrupt {
    use super::common::*;
    use bq24195::{Bq24195Async, ChargeStatus};
    use embedded_hal_mock::eh1::digital::{Edge, Mock as PinMock, Transaction as Pin};
    use embedded_hal_mock::eh1::MockError;

    #[test]
    fn wait_for_interrupt_waits_for_the_falling_edge_then_reads_status_and_faults() {
        let mut i2c = mock(&status_and_faults(0x24, 0x00));
        let mut int = PinMock::new(&[Pin::wait_for_edge(Edge::Falling)]);
        let mut bq = Bq24195Async::new(i2c.clone(), STANDARD);
        let snapshot = block_on(bq.wait_for_interrupt(&mut int)).unwrap();
        assert_eq!(snapshot.status.charge, ChargeStatus::FastCharge);
        assert!(snapshot.faults.is_empty());
        i2c.done();
        int.done();
    }

    #[test]
    fn a_pin_error_is_reported_and_nothing_is_read() {
        let mut i2c = mock(&[]);
        let error = MockError::Io(std::io::ErrorKind::Other);
        let mut int = PinMock::new(&[Pin::wait_for_edge(Edge::Falling).with_error(error)]);
        let mut bq = Bq24195Async::new(i2c.clone(), STANDARD);
        let result = block_on(bq.wait_for_interrupt(&mut int));
        assert_eq!(result, Err(Error::Pin(embedded_hal::digital::ErrorKind::Other)));
        i2c.done();
        int.done();
    }
}
