//! MAX17048 / MAX17049 (issue 16): the exact bytes of every operation that differs from the MAX17043, its error
//! paths, and its behaviour on the simulator. Sync and async through the same bodies.
#![allow(clippy::unwrap_used)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use max17043::part;
    use max17043::sim::Max17043Sim;
    use max17043::{ChargeRate, Hibernation, ResetVoltage, Status, StatusFlags, VoltageAlert};

    fn percent(p: u8) -> StateOfCharge {
        StateOfCharge::from_percent(p)
    }

    // ---- exact bytes --------------------------------------------------------------------------------------

    pub async fn vcell_is_16_bits_of_78_125_uv_per_cell() {
        let mut i2c = mock(&[read(0x02, 0xD000), read(0x02, 0xB4E3), read(0x02, 0x0001)]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 4_160_000);
        // the low 4 bits count here (a MAX17043 would read 3_617_500)
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 3_617_734);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 78);
        i2c.done();
    }

    pub async fn max17049_vcell_reads_the_pack() {
        let mut i2c = mock(&[read(0x02, 0xD000), read(0x02, 0xFFFE)]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17049);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 8_320_000);
        assert_eq!(gauge.voltage().await.unwrap().microvolts(), 10_239_687);
        i2c.done();
    }

    pub async fn charge_rate_is_signed() {
        let mut i2c = mock(&[
            read(0x16, 0xFFF6),
            read(0x16, 0x0005),
            read(0x16, 0xFFFF),
            read(0x16, 0x8000),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let rate = gauge.charge_rate().await.unwrap();
        assert_eq!((rate.raw(), rate.milli_percent_per_hour()), (-10, -2080));
        assert_eq!(gauge.charge_rate().await.unwrap().milli_percent_per_hour(), 1040);
        // 0xFFFF is a valid rate here, not an invalid reading
        assert_eq!(gauge.charge_rate().await.unwrap().milli_percent_per_hour(), -208);
        assert_eq!(
            gauge.charge_rate().await.unwrap().milli_percent_per_hour(),
            -32768 * 208
        );
        i2c.done();
    }

    pub async fn hibernation_reads_and_writes_hibrt() {
        let mut i2c = mock(&[
            read(0x0A, 0x8030),
            read(0x0A, 0xFFFF),
            I2c::write(ADDR, vec![0x0A, 0xFF, 0xFF]),
            I2c::write(ADDR, vec![0x0A, 0x00, 0x00]),
            I2c::write(ADDR, vec![0x0A, 0x12, 0x34]).with_error(data_nack()),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let hib = gauge.hibernation().await.unwrap();
        assert_eq!(hib, Hibernation::POWER_UP);
        assert_eq!(hib.hibernate_threshold_milli_percent_per_hour(), 26_624);
        assert_eq!(hib.active_threshold_microvolts(), 60_000);
        assert_eq!(gauge.hibernation().await.unwrap(), Hibernation::ALWAYS);
        gauge.set_hibernation(Hibernation::ALWAYS).await.unwrap();
        gauge.set_hibernation(Hibernation::NEVER).await.unwrap();
        let custom = Hibernation {
            hibernate_threshold: 0x12,
            active_threshold: 0x34,
        };
        assert_eq!(gauge.set_hibernation(custom).await, Err(Error::Bus(data_nack())));
        i2c.done();
    }

    pub async fn hibernation_status_is_mode_bit_12() {
        let mut i2c = mock(&[read(0x06, 0x1000), read(0x06, 0x2000), read(0x06, 0xFFFF)]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        assert!(gauge.is_hibernating().await.unwrap());
        assert!(!gauge.is_hibernating().await.unwrap());
        assert_eq!(gauge.is_hibernating().await, Err(Error::InvalidReading(Register::Mode)));
        i2c.done();
    }

    pub async fn voltage_alert_window() {
        let mut i2c = mock(&[read(0x14, 0x00FF), I2c::write(ADDR, vec![0x14, 0xA5, 0xD7])]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let window = gauge.voltage_alert().await.unwrap();
        assert_eq!(window, VoltageAlert::POWER_UP);
        assert_eq!((window.min_millivolts(), window.max_millivolts()), (0, 5100));
        let window = VoltageAlert::from_millivolts(3300, 4300).unwrap();
        assert_eq!((window.min, window.max), (165, 215));
        gauge.set_voltage_alert(window).await.unwrap();
        assert_eq!(VoltageAlert::from_millivolts(4000, 3000), None);
        assert_eq!(VoltageAlert::from_millivolts(0, 5101), None);
        i2c.done();
    }

    pub async fn reset_voltage_and_id() {
        let mut i2c = mock(&[
            read(0x18, 0x960C),
            read(0x18, 0x960C),
            read(0x18, 0x960C),
            I2c::write(ADDR, vec![0x18, 0x7E, 0x0C]),
            // already held: the read is the whole call
            read(0x18, 0x7F0C),
            // a failed read writes nothing
            I2c::write_read(ADDR, vec![0x18], vec![0, 0]).with_error(data_nack()),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let reset = gauge.reset_voltage().await.unwrap();
        assert_eq!(reset, ResetVoltage::POWER_UP);
        assert_eq!(
            (reset.threshold, reset.millivolts(), reset.comparator_disabled),
            (0x4B, 3000, false)
        );
        assert_eq!(gauge.id().await.unwrap(), 0x0C);
        let wanted = ResetVoltage::from_millivolts(2520, false).unwrap();
        assert_eq!(wanted.to_byte(), 0x7E);
        gauge.set_reset_voltage(wanted).await.unwrap();
        gauge
            .set_reset_voltage(ResetVoltage::from_millivolts(2520, true).unwrap())
            .await
            .unwrap();
        assert_eq!(gauge.set_reset_voltage(wanted).await, Err(Error::Bus(data_nack())));
        assert_eq!(ResetVoltage::from_millivolts(5081, false), None);
        i2c.done();
    }

    pub async fn status_flags_are_the_msb() {
        let mut i2c = mock(&[read(0x1A, 0x0100), read(0x1A, 0x7FFF), read(0x1A, 0xFFFF)]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        assert_eq!(
            gauge.status().await.unwrap(),
            Status {
                flags: StatusFlags::RESET,
                voltage_reset_alert: false
            }
        );
        let all = gauge.status().await.unwrap();
        assert_eq!(all.flags, StatusFlags::all());
        assert!(all.voltage_reset_alert);
        assert_eq!(gauge.status().await, Err(Error::InvalidReading(Register::Status)));
        i2c.done();
    }

    pub async fn clear_status_writes_0_only_over_the_flags_asked_and_set() {
        let mut i2c = mock(&[
            // RI with EnVR: EnVR and the LSB as read
            read(0x1A, 0x41AB),
            I2c::write(ADDR, vec![0x1A, 0x40, 0xAB]),
            // VH among HD and RI: HD and RI written 1 over their 1
            read(0x1A, 0x1300),
            I2c::write(ADDR, vec![0x1A, 0x11, 0x00]),
            // all
            read(0x1A, 0x1300),
            I2c::write(ADDR, vec![0x1A, 0x00, 0x00]),
            // nothing asked is set: the read alone
            read(0x1A, 0x0100),
            // a failed write is an error, and nothing is cached: the next call reads again
            read(0x1A, 0x1000),
            I2c::write(ADDR, vec![0x1A, 0x00, 0x00]).with_error(data_nack()),
            read(0x1A, 0x1000),
            I2c::write(ADDR, vec![0x1A, 0x00, 0x00]),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let read = gauge.clear_status(StatusFlags::RESET).await.unwrap();
        assert_eq!(read.flags, StatusFlags::RESET);
        assert!(read.voltage_reset_alert);
        gauge.clear_status(StatusFlags::VOLTAGE_HIGH).await.unwrap();
        let read = gauge.clear_status(StatusFlags::all()).await.unwrap();
        assert_eq!(
            read.flags,
            StatusFlags::SOC_LOW | StatusFlags::VOLTAGE_HIGH | StatusFlags::RESET
        );
        gauge
            .clear_status(StatusFlags::SOC_LOW | StatusFlags::SOC_CHANGE)
            .await
            .unwrap();
        assert_eq!(
            gauge.clear_status(StatusFlags::SOC_LOW).await,
            Err(Error::Bus(data_nack()))
        );
        gauge.clear_status(StatusFlags::SOC_LOW).await.unwrap();
        i2c.done();
    }

    pub async fn voltage_reset_alert_is_en_vr() {
        let mut i2c = mock(&[
            read(0x1A, 0x0100),
            I2c::write(ADDR, vec![0x1A, 0x41, 0x00]),
            read(0x1A, 0x4100),
            read(0x1A, 0x5100),
            I2c::write(ADDR, vec![0x1A, 0x11, 0x00]),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        gauge.set_voltage_reset_alert(true).await.unwrap();
        gauge.set_voltage_reset_alert(true).await.unwrap();
        gauge.set_voltage_reset_alert(false).await.unwrap();
        i2c.done();
    }

    pub async fn alsc_is_a_driver_field_on_the_max17048() {
        let mut i2c = mock(&[
            read(0x0C, 0x975C),
            // the cache keeps ALSC: the clear writes it back
            I2c::write(ADDR, vec![0x0C, 0x97, 0x5C]),
            // ALSC on, with an alert pending: ALRT as read
            read(0x0C, 0x973C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x7C]),
            read(0x0C, 0x975C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]),
            // configure writes every driver field: ALSC 0
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        assert!(gauge.soc_change_alert().await.unwrap());
        gauge.clear_alert().await.unwrap();
        gauge.set_soc_change_alert(true).await.unwrap();
        gauge.set_soc_change_alert(false).await.unwrap();
        gauge.configure(Settings::default()).await.unwrap();
        i2c.done();
    }

    pub async fn configure_to_sleep_sets_en_sleep_first() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0x06, 0x20, 0x00]),
            I2c::write(ADDR, vec![0x0C, 0x60, 0x96]),
            I2c::write(ADDR, vec![0x06, 0x20, 0x00]).with_error(data_nack()),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        let asleep = Settings {
            rcomp: 0x60,
            alert_threshold_percent: 10,
            sleep: true,
        };
        gauge.configure(asleep).await.unwrap();
        assert_eq!(gauge.cached_settings(), Some(asleep));
        // a failed MODE write: nothing more sent, the cache as it was
        assert_eq!(gauge.configure(asleep).await, Err(Error::Bus(data_nack())));
        assert_eq!(gauge.cached_settings(), Some(asleep));
        i2c.done();
    }

    pub async fn configure_to_sleep_puts_the_sim_to_sleep() {
        let mut sim = Max17043Sim::max17048(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge
            .configure(Settings {
                sleep: true,
                ..Settings::default()
            })
            .await
            .unwrap();
        assert!(sim.is_sleeping());
    }

    pub async fn bit_6_stays_the_chips_on_the_max17043() {
        // the same CONFIG read on a MAX17043: bit 6 is not the driver's, the clear writes it 0
        let mut i2c = mock(&[read(0x0C, 0x975C), I2c::write(ADDR, vec![0x0C, 0x97, 0x1C])]);
        let mut gauge = Gauge::new(i2c.clone(), Variant::Max17043);
        gauge.config().await.unwrap();
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn sleep_sets_en_sleep_first() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0x06, 0x20, 0x00]),
            read(0x0C, 0x971C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x9C]),
            read(0x0C, 0x979C),
            I2c::write(ADDR, vec![0x0C, 0x97, 0x1C]),
            // a failed MODE write: nothing else is sent
            I2c::write(ADDR, vec![0x06, 0x20, 0x00]).with_error(data_nack()),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        gauge.sleep().await.unwrap();
        gauge.wake().await.unwrap();
        assert_eq!(gauge.sleep().await, Err(Error::Bus(data_nack())));
        i2c.done();
    }

    pub async fn quick_start_keeps_en_sleep() {
        let mut i2c = mock(&[
            read(0x06, 0x2000),
            I2c::write(ADDR, vec![0x06, 0x60, 0x00]),
            read(0x06, 0x1000),
            I2c::write(ADDR, vec![0x06, 0x40, 0x00]),
            read(0x06, 0xFFFF),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        gauge.quick_start().await.unwrap();
        gauge.quick_start().await.unwrap();
        assert_eq!(gauge.quick_start().await, Err(Error::InvalidReading(Register::Mode)));
        i2c.done();
    }

    pub async fn power_on_reset_is_5400_and_not_acknowledged() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0xFE, 0x54, 0x00]).with_error(data_nack()),
            read(0x0C, 0x971C),
            I2c::write(ADDR, vec![0xFE, 0x54, 0x00]).with_error(address_nack()),
            I2c::write(ADDR, vec![0xFE, 0x54, 0x00]).with_error(data_nack()),
            read(0x0C, 0x975C),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        assert_eq!(gauge.power_on_reset().await, Ok(ResetOutcome::NotAcknowledged));
        assert_eq!(gauge.cached_settings(), Some(Settings::default()));
        assert_eq!(gauge.power_on_reset().await, Err(Error::Bus(address_nack())));
        assert_eq!(gauge.cached_settings(), None);
        // ALSC still on: no reset
        assert_eq!(gauge.power_on_reset().await, Err(Error::ResetNotConfirmed));
        i2c.done();
    }

    pub async fn start_up_from_power_on() {
        let mut i2c = mock(&[I2c::write(ADDR, vec![0x0C, 0x97, 0x1C])]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17049);
        gauge.assume_power_on_state();
        gauge.clear_alert().await.unwrap();
        i2c.done();
    }

    pub async fn bus_figures() {
        use max17043::sim::{CountingBus, Traffic};
        fn take<B>(bus: &mut CountingBus<B>) -> (u32, u32, u32) {
            let Traffic {
                transactions,
                written,
                read,
            } = bus.traffic();
            bus.reset_traffic();
            (transactions, written, read)
        }
        let mut sim = Max17043Sim::max17048(percent(50));
        sim.insert_battery(percent(50));
        sim.elapse_ms(1000);
        let mut gauge = Gauge::for_part(CountingBus::new(sim), part::Max17048);
        gauge.assume_power_on_state();
        gauge.clear_alert().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (1, 3, 0));
        gauge.clear_status(StatusFlags::RESET).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.clear_status(StatusFlags::RESET).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (1, 1, 2));
        gauge.status().await.unwrap();
        gauge.charge_rate().await.unwrap();
        gauge.hibernation().await.unwrap();
        gauge.voltage_alert().await.unwrap();
        gauge.reset_voltage().await.unwrap();
        gauge.id().await.unwrap();
        gauge.is_hibernating().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (7, 7, 14));
        gauge.set_hibernation(Hibernation::NEVER).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (1, 3, 0));
        gauge.set_voltage_alert(VoltageAlert::POWER_UP).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (1, 3, 0));
        gauge
            .set_reset_voltage(ResetVoltage::from_millivolts(2500, false).unwrap())
            .await
            .unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.set_voltage_reset_alert(true).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.set_soc_change_alert(true).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.sleep().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (3, 7, 2));
        gauge.wake().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.quick_start().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.power_on_reset().await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (2, 4, 2));
        gauge.load_model(&[0; 64]).await.unwrap();
        assert_eq!(take(gauge.bus_mut()), (3, 71, 0));
        assert_eq!(gauge.release().into_inner().split_reads(), 0);
    }

    fn model() -> [u8; 64] {
        core::array::from_fn(|i| u8::try_from(i).unwrap().wrapping_mul(7).wrapping_add(1))
    }

    fn table_write() -> I2c {
        let mut bytes = vec![0x40];
        bytes.extend_from_slice(&model());
        I2c::write(ADDR, bytes)
    }

    pub async fn load_model_unlocks_writes_and_locks() {
        let mut i2c = mock(&[
            I2c::write(ADDR, vec![0x3E, 0x4A, 0x57]),
            table_write(),
            I2c::write(ADDR, vec![0x3E, 0x00, 0x00]),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17049);
        gauge.load_model(&model()).await.unwrap();
        i2c.done();
    }

    pub async fn load_model_locks_after_any_failure() {
        let mut i2c = mock(&[
            // the table write fails: the lock is still sent, the table's error returned
            I2c::write(ADDR, vec![0x3E, 0x4A, 0x57]),
            table_write().with_error(data_nack()),
            I2c::write(ADDR, vec![0x3E, 0x00, 0x00]),
            // the unlock fails (the chip may have taken it): no table, the lock
            I2c::write(ADDR, vec![0x3E, 0x4A, 0x57]).with_error(arbitration()),
            I2c::write(ADDR, vec![0x3E, 0x00, 0x00]),
            // the lock fails: its error, and lock_model closes access
            I2c::write(ADDR, vec![0x3E, 0x4A, 0x57]),
            table_write(),
            I2c::write(ADDR, vec![0x3E, 0x00, 0x00]).with_error(address_nack()),
            I2c::write(ADDR, vec![0x3E, 0x00, 0x00]),
        ]);
        let mut gauge = Gauge::for_part(i2c.clone(), part::Max17048);
        assert_eq!(gauge.load_model(&model()).await, Err(Error::Bus(data_nack())));
        assert_eq!(gauge.load_model(&model()).await, Err(Error::Bus(arbitration())));
        assert_eq!(gauge.load_model(&model()).await, Err(Error::Bus(address_nack())));
        gauge.lock_model().await.unwrap();
        i2c.done();
    }

    fn arbitration() -> ErrorKind {
        ErrorKind::ArbitrationLoss
    }

    // ---- behaviour on the simulator -----------------------------------------------------------------------

    pub async fn the_sim_reads_cell_and_pack() {
        let mut sim = Max17043Sim::max17048(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert_eq!(gauge.voltage().await.unwrap().millivolts(), 3750);
        assert_eq!(gauge.state_of_charge().await.unwrap(), percent(50));
        assert_eq!(gauge.id().await.unwrap(), max17043::sim::SIM_ID);
        let mut sim = Max17043Sim::max17049(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17049);
        assert_eq!(gauge.voltage().await.unwrap().millivolts(), 7500);
        assert_eq!(sim.split_reads(), 0);
    }

    pub async fn start_up_after_power_on_clears_ri_after_configuring() {
        let mut sim = Max17043Sim::max17048(percent(80));
        sim.insert_battery(percent(60));
        sim.elapse_ms(1000);
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert_eq!(gauge.status().await.unwrap().flags, StatusFlags::RESET);
        gauge.configure(Settings::default()).await.unwrap();
        gauge.clear_status(StatusFlags::RESET).await.unwrap();
        assert!(gauge.status().await.unwrap().flags.is_empty());
        // the reset command brings RI back
        assert_eq!(gauge.power_on_reset().await, Ok(ResetOutcome::NotAcknowledged));
        assert!(gauge.status().await.unwrap().flags.contains(StatusFlags::RESET));
        assert_eq!(sim.resets(), 1);
        assert_eq!(sim.status_cleared_unseen(), 0);
        assert_eq!(sim.status_written_over_clear(), 0);
    }

    pub async fn the_max17043_reset_value_does_not_reset_a_max17048() {
        let mut sim = Max17043Sim::max17048(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge.set_rcomp(0x40).await.unwrap();
        // 0x0054 is not the MAX17048's command: the driver never sends it to one (no PorCommand here), and the
        // sim ignores it
        use embedded_hal::i2c::I2c as _;
        sim.write(ADDR, &[0xFE, 0x00, 0x54]).unwrap();
        assert_eq!(sim.resets(), 0);
        assert_eq!(sim.config().rcomp, 0x40);
    }

    pub async fn low_soc_raises_hd_and_alrt() {
        let mut sim = Max17043Sim::max17048(percent(10));
        sim.discharge(percent(8));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert!(gauge.alert().await.unwrap());
        let fired = gauge.clear_status(StatusFlags::all()).await.unwrap();
        assert_eq!(fired.flags, StatusFlags::SOC_LOW);
        gauge.clear_alert().await.unwrap();
        assert!(!sim.alert_pin_low());
        assert!(sim.status_flags().is_empty());
        assert_eq!(sim.status_cleared_unseen(), 0);
        assert_eq!(sim.alerts_cleared_unseen(), 0);
    }

    pub async fn soc_change_alert() {
        let mut sim = Max17043Sim::max17048(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge.set_soc_change_alert(true).await.unwrap();
        assert!(!gauge.alert().await.unwrap());
        sim.discharge(percent(1));
        assert!(sim.alert_pin_low());
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert!(gauge.status().await.unwrap().flags.contains(StatusFlags::SOC_CHANGE));
        assert!(gauge.soc_change_alert().await.unwrap());
    }

    pub async fn voltage_window_is_per_cell() {
        // 50 %: 3.75 V per cell
        let mut sim = Max17043Sim::max17049(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17049);
        gauge
            .set_voltage_alert(VoltageAlert::from_millivolts(3300, 3800).unwrap())
            .await
            .unwrap();
        assert!(!gauge.alert().await.unwrap());
        gauge
            .set_voltage_alert(VoltageAlert::from_millivolts(3300, 3700).unwrap())
            .await
            .unwrap();
        assert!(gauge.alert().await.unwrap());
        assert_eq!(gauge.status().await.unwrap().flags, StatusFlags::VOLTAGE_HIGH);
        // still outside the window: the flag comes back at once after a clear
        gauge.clear_status(StatusFlags::VOLTAGE_HIGH).await.unwrap();
        assert!(gauge.status().await.unwrap().flags.is_empty());
        gauge.bus_mut().elapse_ms(500);
        assert_eq!(gauge.status().await.unwrap().flags, StatusFlags::VOLTAGE_HIGH);
        gauge.set_voltage_alert(VoltageAlert::POWER_UP).await.unwrap();
        gauge.clear_status(StatusFlags::all()).await.unwrap();
        gauge.clear_alert().await.unwrap();
        let mut sim2 = Max17043Sim::max17049(percent(5));
        let mut low = Gauge::for_part(&mut sim2, part::Max17049);
        low.set_voltage_alert(VoltageAlert::from_millivolts(3400, 5100).unwrap())
            .await
            .unwrap();
        assert!(low.status().await.unwrap().flags.contains(StatusFlags::VOLTAGE_LOW));
    }

    pub async fn sleep_needs_en_sleep() {
        use embedded_hal::i2c::I2c as _;
        let mut sim = Max17043Sim::max17048(percent(50));
        // CONFIG.SLEEP alone, as a MAX17043 driver would write it: the MAX17048 stays awake
        sim.write(ADDR, &[0x0C, 0x97, 0x9C]).unwrap();
        assert!(!sim.is_sleeping());
        sim.write(ADDR, &[0x0C, 0x97, 0x1C]).unwrap();
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge.sleep().await.unwrap();
        gauge.quick_start().await.unwrap();
        assert!(sim.is_sleeping());
        assert!(sim.en_sleep());
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge.wake().await.unwrap();
        assert!(!sim.is_sleeping());
    }

    pub async fn hibernation_follows_the_charge_rate() {
        let mut sim = Max17043Sim::max17048(percent(50));
        sim.set_charge_rate(ChargeRate::from_raw(5));
        sim.elapse_ms(6 * 60 * 1000);
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert!(gauge.is_hibernating().await.unwrap());
        assert_eq!(gauge.charge_rate().await.unwrap().milli_percent_per_hour(), 1040);
        gauge.set_hibernation(Hibernation::NEVER).await.unwrap();
        sim.elapse_ms(1000);
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert!(!gauge.is_hibernating().await.unwrap());
        gauge.set_hibernation(Hibernation::ALWAYS).await.unwrap();
        sim.elapse_ms(1);
        assert!(sim.is_hibernating());
    }

    pub async fn voltage_reset_alerts_only_with_en_vr() {
        let mut sim = Max17043Sim::max17048(percent(50));
        sim.voltage_reset_event();
        assert!(!sim.alert_pin_low());
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert_eq!(
            gauge.clear_status(StatusFlags::all()).await.unwrap().flags,
            StatusFlags::VOLTAGE_RESET
        );
        gauge.set_voltage_reset_alert(true).await.unwrap();
        sim.voltage_reset_event();
        assert!(sim.alert_pin_low());
        assert!(sim.voltage_reset_alert_enabled());
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        // clearing the flag keeps EnVR
        gauge.clear_status(StatusFlags::VOLTAGE_RESET).await.unwrap();
        assert!(sim.voltage_reset_alert_enabled());
        assert_eq!(sim.status_written_over_clear(), 0);
    }

    pub async fn the_model_lands_in_the_table_and_access_is_locked() {
        let mut sim = Max17043Sim::max17048(percent(50));
        // a table write while locked is ignored
        use embedded_hal::i2c::I2c as _;
        sim.write(ADDR, &[0x40, 0xAA, 0xBB]).unwrap();
        assert_eq!(sim.table_writes_locked(), 1);
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge.load_model(&model()).await.unwrap();
        assert_eq!(sim.model_table(), model());
        assert!(!sim.is_model_unlocked());
        assert_eq!(sim.table_writes_locked(), 1);
    }

    pub async fn reset_voltage_keeps_the_id() {
        let mut sim = Max17043Sim::max17048(percent(50));
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        gauge
            .set_reset_voltage(ResetVoltage::from_millivolts(2500, true).unwrap())
            .await
            .unwrap();
        assert_eq!(sim.register(0x18), 0x7D0C);
        let mut gauge = Gauge::for_part(&mut sim, part::Max17048);
        assert_eq!(gauge.reset_voltage().await.unwrap().millivolts(), 2480);
        assert_eq!(sim.ignored_writes(), 0);
    }
}

both!(
    vcell_is_16_bits_of_78_125_uv_per_cell,
    max17049_vcell_reads_the_pack,
    charge_rate_is_signed,
    hibernation_reads_and_writes_hibrt,
    hibernation_status_is_mode_bit_12,
    voltage_alert_window,
    reset_voltage_and_id,
    status_flags_are_the_msb,
    clear_status_writes_0_only_over_the_flags_asked_and_set,
    voltage_reset_alert_is_en_vr,
    alsc_is_a_driver_field_on_the_max17048,
    bit_6_stays_the_chips_on_the_max17043,
    configure_to_sleep_sets_en_sleep_first,
    configure_to_sleep_puts_the_sim_to_sleep,
    sleep_sets_en_sleep_first,
    quick_start_keeps_en_sleep,
    power_on_reset_is_5400_and_not_acknowledged,
    start_up_from_power_on,
    the_sim_reads_cell_and_pack,
    start_up_after_power_on_clears_ri_after_configuring,
    the_max17043_reset_value_does_not_reset_a_max17048,
    low_soc_raises_hd_and_alrt,
    soc_change_alert,
    voltage_window_is_per_cell,
    sleep_needs_en_sleep,
    hibernation_follows_the_charge_rate,
    voltage_reset_alerts_only_with_en_vr,
    reset_voltage_keeps_the_id,
    bus_figures,
    load_model_unlocks_writes_and_locks,
    load_model_locks_after_any_failure,
    the_model_lands_in_the_table_and_access_is_locked,
);
