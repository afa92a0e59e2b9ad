//! The bq24190, bq24192, bq24192I and bq24196: exact bytes of every operation that differs from the bq24195 (error
//! paths included), then behaviour on each part's simulator; sync and async through the same bodies.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use bq24195::part::{self, Part};
    use bq24195::sim::{Bq24195Sim, Supply};
    use bq24195::{
        BoostCurrentLimit, Bq24195, ChargeConfig, InputCurrentLimit, IrCompensation, NtcFault, ThermalRegulation,
        VbusStatus, Watchdog,
    };

    /// `Config::electron()` with the sibling-only fields set: boost limit 500 mA, IR compensation 30 mΩ / 48 mV.
    fn sibling_config() -> Config {
        Config {
            boost_current_limit: BoostCurrentLimit::Ma500,
            ir_compensation: IrCompensation {
                resistance_mohm: 30,
                clamp_mv: 48,
            },
            ..Config::electron()
        }
    }

    // ---- REG0A ----------------------------------------------------------------------------------------------

    pub async fn each_part_accepts_its_pn_and_names_another_part_of_the_family() {
        // bq24190: PN 100 (any revision); 0x2B (PN 101) is a bq24192/196
        let mut i2c = mock(&[read(0x0A, 0x23), read(0x0A, 0x20), read(0x0A, 0x2B), read(0x0A, 0xFF)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        assert_eq!(bq.part_name(), "bq24190");
        let info = bq.check_device().await.unwrap();
        assert_eq!((info.part_number, info.revision), (0b100, 0b11));
        assert_eq!(bq.check_device().await.unwrap().revision, 0);
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x2B)));
        assert_eq!(bq.check_device().await, Err(Error::UnexpectedDevice(0xFF)));
        i2c.done();

        // bq24192: PN 101 with TS_PROFILE 0; the JEITA bq24193 (0x2F) and the bq24192I (0x1B) are other parts
        let mut i2c = mock(&[read(0x0A, 0x2B), read(0x0A, 0x2F), read(0x0A, 0x1B), read(0x0A, 0x23)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192);
        assert_eq!(bq.part_name(), "bq24192");
        assert_eq!(bq.check_device().await.unwrap().part_number, 0b101);
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x2F)));
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x1B)));
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x23)));
        i2c.done();

        // bq24192I: PN 011 only
        let mut i2c = mock(&[read(0x0A, 0x1B), read(0x0A, 0x2B), read(0x0A, 0x3B)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192I);
        assert_eq!(bq.part_name(), "bq24192I");
        assert_eq!(bq.check_device().await.unwrap().part_number, 0b011);
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x2B)));
        assert_eq!(bq.check_device().await, Err(Error::UnexpectedDevice(0x3B)));
        i2c.done();

        // the default part names both of its variants
        let mut i2c = mock(&[]);
        assert_eq!(Bq24195::new(i2c.clone(), STANDARD).part_name(), "bq24195/bq24195L");
        i2c.done();

        // bq24196: PN 101 (as a bq24192); a bq24195's 0x23 is another part
        let mut i2c = mock(&[read(0x0A, 0x2B), read(0x0A, 0x23), read(0x0A, 0x00)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24196);
        assert_eq!(bq.part_name(), "bq24196");
        assert_eq!(bq.check_device().await.unwrap().part_number, 0b101);
        assert_eq!(bq.check_device().await, Err(Error::OtherPart(0x23)));
        assert_eq!(bq.check_device().await, Err(Error::UnexpectedDevice(0x00)));
        i2c.done();
    }

    pub async fn a_nacked_part_check_is_a_bus_error_and_init_stops_there() {
        let mut i2c = mock(&[read(0x0A, 0x1B).with_error(nack()), read(0x0A, 0x2B)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192I);
        assert!(bq.check_device().await.unwrap_err().is_nack());
        // the bq24192I driver on a bq24192: nothing but the REG0A read is sent
        assert_eq!(bq.init(&Config::electron()).await, Err(Error::OtherPart(0x2B)));
        i2c.done();
    }

    pub async fn init_on_a_sibling_writes_its_own_bits() {
        // bq24190: REG01 with BOOST_LIM 0 (0x1A), REG06 with 30 mΩ / 48 mV (0b011_011_11)
        let mut i2c = mock(&[
            read(0x0A, 0x23),
            read(0x09, 0x80),
            read(0x09, 0x00),
            read(0x07, 0x4B),
            I2c::write(ADDR, vec![0x00, 0x03, 0x1A, 0x18, 0x11, 0x9A, 0x8A, 0x6F, 0x4B]),
            // from the cache: no read
            write(0x06, 0x6D),
            write(0x01, 0x1B),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        let report = bq.init(&sibling_config()).await.unwrap();
        assert!(report.latched.watchdog_expired);
        bq.set_thermal_regulation(ThermalRegulation::C80).await.unwrap();
        bq.set_boost_current_limit(BoostCurrentLimit::Ma1300).await.unwrap();
        i2c.done();
    }

    pub async fn a_config_with_a_field_the_part_lacks_is_refused_before_the_bus() {
        let mut i2c = mock(&[]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24196);
        // IR compensation: none on the bq24196
        let refused = bq.apply_config(&sibling_config()).await;
        assert_eq!(refused, Err(Error::Argument(ArgumentError::NotOnThisPart)));
        // 2560 mA: above the bq24196's 2496 mA
        let high = Config {
            fast_charge_current_ma: 2560,
            ..Config::electron()
        };
        let refused = bq.apply_config(&high).await;
        assert_eq!(refused, Err(Error::Argument(ArgumentError::FastChargeCurrent)));
        // the bq24195 has neither the boost limit nor IR compensation
        let mut bq95 = Bq24195::new(i2c.clone(), STANDARD);
        let boost = Config {
            boost_current_limit: BoostCurrentLimit::Ma500,
            ..Config::electron()
        };
        let refused = bq95.apply_config(&boost).await;
        assert_eq!(refused, Err(Error::Argument(ArgumentError::NotOnThisPart)));
        // any non-zero IR compensation field, alone or both (equal values included)
        for (resistance_mohm, clamp_mv) in [(10, 0), (0, 16), (32, 32)] {
            let ir = Config {
                ir_compensation: IrCompensation {
                    resistance_mohm,
                    clamp_mv,
                },
                ..Config::electron()
            };
            let refused = bq95.apply_config(&ir).await;
            assert_eq!(
                refused,
                Err(Error::Argument(ArgumentError::NotOnThisPart)),
                "{resistance_mohm} mΩ, {clamp_mv} mV"
            );
        }
        i2c.done();
    }

    pub async fn the_bq24196_takes_its_boost_limit_but_keeps_reg06_reserved() {
        let mut i2c = mock(&[
            read(0x07, 0x4B),
            I2c::write(ADDR, vec![0x00, 0x03, 0x1A, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B]),
            // a cold REG06 reading garbage in 7:2: TREG written with them 0
            read(0x06, 0xFF),
            write(0x06, 0x00),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24196);
        let config = Config {
            boost_current_limit: BoostCurrentLimit::Ma500,
            ..Config::electron()
        };
        bq.apply_config(&config).await.unwrap();
        bq.invalidate_cache();
        bq.set_thermal_regulation(ThermalRegulation::C60).await.unwrap();
        i2c.done();
    }

    // ---- REG01 BOOST_LIM ------------------------------------------------------------------------------------

    pub async fn boost_limit_is_bit_0_of_reg01_and_kept_by_other_settings() {
        let mut i2c = mock(&[
            read(0x01, 0x1B),
            write(0x01, 0x1A),
            // CHG_CONFIG from the cache keeps BOOST_LIM at 0 (a bq24195 would force the bit to 1)
            write(0x01, 0x2A),
            write(0x01, 0x2B),
            read(0x01, 0x1A),
            read(0x01, 0x1B),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192);
        bq.set_boost_current_limit(BoostCurrentLimit::Ma500).await.unwrap();
        bq.set_charge_config(ChargeConfig::OtgBoost).await.unwrap();
        bq.set_boost_current_limit(BoostCurrentLimit::Ma1300).await.unwrap();
        assert_eq!(bq.boost_current_limit().await, Ok(BoostCurrentLimit::Ma500));
        assert_eq!(bq.boost_current_limit().await, Ok(BoostCurrentLimit::Ma1300));
        assert_eq!(BoostCurrentLimit::Ma1300.milliamps(), 1300);
        i2c.done();
    }

    pub async fn a_cold_reg01_read_keeps_boost_lim_0_and_drops_command_bits() {
        // REG01 read with REG_RESET and WD_RESET still 1 and BOOST_LIM 0: neither command is written back
        let mut i2c = mock(&[read(0x01, 0xDA), write(0x01, 0x0A)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24196);
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        i2c.done();
    }

    pub async fn a_failed_boost_limit_write_leaves_reg01_unknown() {
        let mut i2c = mock(&[
            read(0x01, 0x1B),
            write(0x01, 0x1A).with_error(nack()),
            read(0x01, 0x1A),
            write(0x01, 0x1B),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        let error = bq.set_boost_current_limit(BoostCurrentLimit::Ma500).await.unwrap_err();
        assert!(error.is_nack());
        // the chip took it: REG01 is read again before the next setting
        bq.set_boost_current_limit(BoostCurrentLimit::Ma1300).await.unwrap();
        i2c.done();
    }

    // ---- REG06 IR compensation ------------------------------------------------------------------------------

    pub async fn ir_compensation_rounds_down_and_keeps_treg() {
        let mut i2c = mock(&[
            read(0x06, 0x03),
            // 57 mΩ -> 50 (101), 100 mV -> 96 (110), TREG 11 kept
            write(0x06, 0xBB),
            write(0x06, 0xB9),
            read(0x06, 0xBB),
            write(0x06, 0x03),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192I);
        let applied = bq
            .set_ir_compensation(IrCompensation {
                resistance_mohm: 57,
                clamp_mv: 100,
            })
            .await;
        let expected = IrCompensation {
            resistance_mohm: 50,
            clamp_mv: 96,
        };
        assert_eq!(applied, Ok(expected));
        bq.set_thermal_regulation(ThermalRegulation::C80).await.unwrap();
        assert_eq!(bq.ir_compensation().await, Ok(expected));
        assert_eq!(
            bq.set_ir_compensation(IrCompensation::NONE).await,
            Ok(IrCompensation::NONE)
        );
        i2c.done();
    }

    pub async fn ir_compensation_out_of_range_sends_nothing() {
        let mut i2c = mock(&[]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        for wrong in [
            IrCompensation {
                resistance_mohm: 80,
                clamp_mv: 0,
            },
            IrCompensation {
                resistance_mohm: 0,
                clamp_mv: 128,
            },
        ] {
            let refused = bq.set_ir_compensation(wrong).await;
            assert_eq!(refused, Err(Error::Argument(ArgumentError::IrCompensation)));
        }
        // the top of each range is taken
        assert_eq!(
            IrCompensation {
                resistance_mohm: 70,
                clamp_mv: 112
            }
            .encode(),
            Ok(0xFC)
        );
        i2c.done();
    }

    pub async fn a_cold_reg06_keeps_ir_bits_on_the_bq24190() {
        let mut i2c = mock(&[read(0x06, 0xFF), write(0x06, 0xFC)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        bq.set_thermal_regulation(ThermalRegulation::C60).await.unwrap();
        i2c.done();
    }

    // ---- ranges and reset values ----------------------------------------------------------------------------

    pub async fn fast_charge_current_range_is_the_parts() {
        let mut i2c = mock(&[write(0x02, 0x7C), read(0x02, 0x60), write(0x02, 0xFC)]);
        // bq24196: 2496 mA at most; REG02's reset (2048 mA) is confirmed, so no read first
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24196);
        bq.assume_power_on_state();
        assert_eq!(bq.set_fast_charge_current_ma(2496).await, Ok(2496));
        let refused = bq.set_fast_charge_current_ma(2560).await;
        assert_eq!(refused, Err(Error::Argument(ArgumentError::FastChargeCurrent)));
        assert_eq!(part::Bq24196::MAX_FAST_CHARGE_CURRENT_MA, 2496);
        // bq24190: up to 4544 mA; REG02's reset is not assumed
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        bq.assume_power_on_state();
        assert_eq!(bq.set_fast_charge_current_ma(4544).await, Ok(4544));
        assert_eq!(part::Bq24190::MAX_FAST_CHARGE_CURRENT_MA, 4544);
        i2c.done();
    }

    pub async fn only_confirmed_resets_are_assumed() {
        let mut i2c = mock(&[
            // bq24192I: REG04 (0x9A, 4.112 V) and REG05 assumed; REG02 and REG01 read first
            write(0x04, 0xB2),
            write(0x05, 0x8A),
            read(0x02, 0x20),
            write(0x02, 0x21),
            read(0x01, 0x1B),
            write(0x01, 0x0B),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192I);
        bq.assume_power_on_state();
        assert_eq!(bq.set_charge_voltage_mv(4208).await, Ok(4208));
        bq.set_watchdog(Watchdog::Disabled).await.unwrap();
        bq.set_force_20_percent(true).await.unwrap();
        bq.set_charge_config(ChargeConfig::Disabled).await.unwrap();
        i2c.done();
    }

    pub async fn a_register_reset_loads_only_confirmed_resets() {
        let mut delay = NoopDelay::new();
        let mut i2c = mock(&[
            write(0x01, 0x9B),
            read(0x01, 0x1B),
            write(0x04, 0xB2),
            read(0x06, 0x03),
            write(0x06, 0x23),
        ]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        bq.reset_registers(&mut delay).await.unwrap();
        assert_eq!(bq.set_charge_voltage_mv(4208).await, Ok(4208));
        let applied = bq
            .set_ir_compensation(IrCompensation {
                resistance_mohm: 10,
                clamp_mv: 0,
            })
            .await;
        assert_eq!(applied.map(|c| c.resistance_mohm), Ok(10));
        i2c.done();
    }

    // ---- REG09 thermistors ----------------------------------------------------------------------------------

    pub async fn two_thermistor_parts_decode_ts1_and_ts2() {
        let mut i2c = mock(&[read(0x09, 0x03), read(0x09, 0x04), read(0x09, 0x05), read(0x09, 0x02)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24192);
        let report = bq.faults().await.unwrap();
        assert_eq!(
            (report.latched.ntc, report.current.ntc),
            (NtcFault::Ts2Cold, NtcFault::Ts2Hot)
        );
        let report = bq.faults().await.unwrap();
        assert_eq!(
            (report.latched.ntc, report.current.ntc),
            (NtcFault::Cold, NtcFault::Ts1Hot)
        );
        i2c.done();

        let mut i2c = mock(&status_and_faults(0x00, 0x01));
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24190);
        assert_eq!(bq.status_and_faults().await.unwrap().faults.ntc, NtcFault::Ts1Cold);
        i2c.done();
    }

    pub async fn the_bq24196_decodes_one_thermistor() {
        let mut i2c = mock(&[read(0x09, 0x01), read(0x09, 0x06)]);
        let mut bq = Bq24195::for_part(i2c.clone(), part::Bq24196);
        let report = bq.faults().await.unwrap();
        assert_eq!(
            (report.latched.ntc, report.current.ntc),
            (NtcFault::Other(1), NtcFault::Hot)
        );
        i2c.done();
    }

    // ---- on the simulators ----------------------------------------------------------------------------------

    pub async fn each_simulator_passes_its_own_check_only() {
        let mut sims = [
            Bq24195Sim::new(),
            Bq24195Sim::bq24190(),
            Bq24195Sim::bq24192(),
            Bq24195Sim::bq24192i(),
            Bq24195Sim::bq24196(),
        ];
        // bq24195/190 read alike, and bq24192/196: the only pairs that pass each other's check
        let expected = [
            [true, true, false, false, false],
            [true, true, false, false, false],
            [false, false, true, false, true],
            [false, false, false, true, false],
            [false, false, true, false, true],
        ];
        for (sim, row) in sims.iter_mut().zip(expected) {
            let results = [
                Bq24195::new(&mut *sim, STANDARD).check_device().await.is_ok(),
                Bq24195::for_part(&mut *sim, part::Bq24190).check_device().await.is_ok(),
                Bq24195::for_part(&mut *sim, part::Bq24192).check_device().await.is_ok(),
                Bq24195::for_part(&mut *sim, part::Bq24192I)
                    .check_device()
                    .await
                    .is_ok(),
                Bq24195::for_part(&mut *sim, part::Bq24196).check_device().await.is_ok(),
            ];
            assert_eq!(results, row, "{:?}", sim.part());
        }
    }

    pub async fn the_bq24190_chooses_its_input_limit_from_d_plus_d_minus() {
        let mut sim = Bq24195Sim::bq24190();
        let detection = part::Bq24190::INPUT_DETECTION;
        for (supply, otg, vbus, limit) in [
            (Supply::NonStandard, true, VbusStatus::Unknown, InputCurrentLimit::Ma100),
            (Supply::UsbHost, false, VbusStatus::UsbHost, InputCurrentLimit::Ma100),
            (Supply::UsbHost, true, VbusStatus::UsbHost, InputCurrentLimit::Ma500),
            (
                Supply::Adapter,
                true,
                VbusStatus::AdapterPort,
                InputCurrentLimit::Ma1500,
            ),
        ] {
            sim.unplug();
            sim.set_otg_pin(otg);
            sim.plug_in(supply);
            sim.finish_input_detection();
            let mut bq = Bq24195::for_part(&mut sim, part::Bq24190);
            let status = bq.status().await.unwrap();
            assert!(status.power_good);
            assert_eq!(status.vbus, vbus, "{supply:?}");
            assert_eq!(bq.input_current_limit().await, Ok(limit), "{supply:?}");
            assert_eq!(detection.limit_after(status.vbus, otg), Some(limit));
        }
    }

    pub async fn psel_parts_choose_their_input_limit_from_the_pins() {
        for mut sim in [Bq24195Sim::bq24192(), Bq24195Sim::bq24192i(), Bq24195Sim::bq24196()] {
            for (supply, otg, vbus, limit) in [
                (
                    Supply::Adapter,
                    true,
                    VbusStatus::AdapterPort,
                    InputCurrentLimit::Ma3000,
                ),
                (Supply::UsbHost, false, VbusStatus::UsbHost, InputCurrentLimit::Ma100),
                (Supply::UsbHost, true, VbusStatus::UsbHost, InputCurrentLimit::Ma500),
                (Supply::NonStandard, true, VbusStatus::UsbHost, InputCurrentLimit::Ma500),
            ] {
                sim.unplug();
                sim.set_otg_pin(otg);
                sim.plug_in(supply);
                // forced detection samples the pins again
                let mut bq = Bq24195::for_part(&mut sim, part::Bq24196);
                bq.force_input_detection().await.unwrap();
                bq.wait_for_input_detection(&mut NoopDelay::new()).await.unwrap();
                let status = bq.status().await.unwrap();
                assert_eq!(status.vbus, vbus, "{supply:?}");
                assert_eq!(bq.input_current_limit().await, Ok(limit), "{supply:?}");
                assert_eq!(
                    part::Bq24196::INPUT_DETECTION.limit_after(status.vbus, otg),
                    Some(limit)
                );
            }
        }
    }

    pub async fn an_otg_load_above_the_boost_limit_is_a_boost_fault() {
        let mut sim = Bq24195Sim::bq24196();
        let mut bq = Bq24195::for_part(&mut sim, part::Bq24196);
        bq.faults().await.unwrap();
        bq.disable_watchdog().await.unwrap();
        bq.set_boost_current_limit(BoostCurrentLimit::Ma500).await.unwrap();
        bq.set_charge_config(ChargeConfig::OtgBoost).await.unwrap();
        assert_eq!(bq.status().await.unwrap().vbus, VbusStatus::Otg);
        bq.bus_mut().set_otg_load_ma(800);
        let report = bq.faults().await.unwrap();
        assert!(report.latched.boost && report.current.boost);
        // 1.3 A carries it: the fault is gone
        bq.set_boost_current_limit(BoostCurrentLimit::Ma1300).await.unwrap();
        let report = bq.faults().await.unwrap();
        assert!(!report.current.boost);
        assert!(!bq.faults().await.unwrap().latched.boost);
        // on a PSEL part the boost also needs the OTG pin high
        bq.bus_mut().set_otg_pin(false);
        assert_eq!(bq.status().await.unwrap().vbus, VbusStatus::Unknown);
        assert_eq!(sim.reserved_bit_writes(), 0);
    }

    pub async fn thermistor_states_read_per_part() {
        let mut sim = Bq24195Sim::bq24192();
        sim.set_ntc(NtcFault::Ts2Hot);
        let mut bq = Bq24195::for_part(&mut sim, part::Bq24192);
        assert_eq!(bq.faults().await.unwrap().current.ntc, NtcFault::Ts2Hot);
        // one TS pin: TS1 or TS2 cold reads as the pin's cold
        let mut sim = Bq24195Sim::bq24196();
        sim.set_ntc(NtcFault::Ts1Cold);
        let mut bq = Bq24195::for_part(&mut sim, part::Bq24196);
        assert_eq!(bq.faults().await.unwrap().current.ntc, NtcFault::Cold);
    }

    pub async fn the_bq24192i_resets_to_its_own_values() {
        let mut sim = Bq24195Sim::bq24192i();
        let mut bq = Bq24195::for_part(&mut sim, part::Bq24192I);
        assert_eq!(bq.charge_voltage_mv().await, Ok(4112));
        assert_eq!(bq.fast_charge_current_ma().await, Ok(1024));
        bq.init(&sibling_config()).await.unwrap();
        bq.reset_registers(&mut NoopDelay::new()).await.unwrap();
        assert_eq!(bq.read_config().await.unwrap().charge_voltage_mv, 4112);
        assert_eq!(sim.register(0x04), 0x9A);
        // the bq24192 resets to 4.208 V
        let mut sim = Bq24195Sim::bq24192();
        let mut bq = Bq24195::for_part(&mut sim, part::Bq24192);
        assert_eq!(bq.charge_voltage_mv().await, Ok(4208));
    }

    pub async fn a_whole_sibling_config_round_trips_without_a_reserved_bit_written_wrongly() {
        for (mut sim, config) in [
            (Bq24195Sim::bq24190(), sibling_config()),
            (Bq24195Sim::bq24192(), sibling_config()),
            (Bq24195Sim::bq24192i(), sibling_config()),
        ] {
            let mut bq = Bq24195::for_part(&mut sim, part::Bq24192);
            bq.apply_config(&config).await.unwrap();
            assert_eq!(bq.read_config().await, Ok(config));
            bq.set_boost_current_limit(BoostCurrentLimit::Ma1300).await.unwrap();
            assert_eq!(bq.ir_compensation().await, Ok(config.ir_compensation));
            assert_eq!(sim.reserved_bit_writes(), 0, "{:?}", sim.part());
            assert_eq!(sim.register(0x06) >> 2, 0x1B); // 011 011
        }
        let mut sim = Bq24195Sim::bq24196();
        let config = Config {
            boost_current_limit: BoostCurrentLimit::Ma500,
            ..Config::electron()
        };
        let mut bq = Bq24195::for_part(&mut sim, part::Bq24196);
        bq.apply_config(&config).await.unwrap();
        assert_eq!(bq.read_config().await, Ok(config));
        assert_eq!(sim.reserved_bit_writes(), 0);
        assert_eq!(sim.register(0x01) & 1, 0);
    }
}

both!(
    each_part_accepts_its_pn_and_names_another_part_of_the_family,
    a_nacked_part_check_is_a_bus_error_and_init_stops_there,
    init_on_a_sibling_writes_its_own_bits,
    a_config_with_a_field_the_part_lacks_is_refused_before_the_bus,
    the_bq24196_takes_its_boost_limit_but_keeps_reg06_reserved,
    boost_limit_is_bit_0_of_reg01_and_kept_by_other_settings,
    a_cold_reg01_read_keeps_boost_lim_0_and_drops_command_bits,
    a_failed_boost_limit_write_leaves_reg01_unknown,
    ir_compensation_rounds_down_and_keeps_treg,
    ir_compensation_out_of_range_sends_nothing,
    a_cold_reg06_keeps_ir_bits_on_the_bq24190,
    fast_charge_current_range_is_the_parts,
    only_confirmed_resets_are_assumed,
    a_register_reset_loads_only_confirmed_resets,
    two_thermistor_parts_decode_ts1_and_ts2,
    the_bq24196_decodes_one_thermistor,
    each_simulator_passes_its_own_check_only,
    the_bq24190_chooses_its_input_limit_from_d_plus_d_minus,
    psel_parts_choose_their_input_limit_from_the_pins,
    an_otg_load_above_the_boost_limit_is_a_boost_fault,
    thermistor_states_read_per_part,
    the_bq24192i_resets_to_its_own_values,
    a_whole_sibling_config_round_trips_without_a_reserved_bit_written_wrongly,
);
