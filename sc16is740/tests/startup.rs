//! Start-up from the chip's power-on state (`assume_power_on_state`, and the software reset that leaves the same
//! state): exact bytes at the protocol minimum, both drivers, and the assumed state checked against the simulator.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use core::cell::RefCell;
    use sc16is740::sim::{Reg, Sc16is7xxSim, SharedSim, SimVariant};
    use sc16is740::{Sc16is740, Sc16is750, Sc16is7xx};

    fn uart(i2c: &I2cMock) -> Sc16is7xx<sc16is740::I2cInterface<I2cMock>, Sc16is740> {
        Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740)
    }

    /// 115200 8N1 from power-on: the divisor (which has no reset value) behind LCR = 0x80, the format, FCR.
    fn init_115200_from_power_on() -> Vec<I2c> {
        vec![w(LCR, 0x80), w(DLL, 0x08), w(DLH, 0x00), w(LCR, 0x03), w(FCR, 0x07)]
    }

    /// The row: 5 transactions, 15 bytes with the address bytes; then the workload's write is one burst.
    pub async fn init_from_power_on_is_five_writes() {
        let mut all = init_115200_from_power_on();
        all.push(burst(THR, b"hello from the base board\r\n"));
        let mut i2c = mock(&all);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        let rate = u.init(&Config::default()).await.unwrap();
        assert_eq!((rate.divisor, rate.prescaler), (8, Prescaler::Div1));
        assert_eq!(u.fifo(), Some(FifoConfig::default()));
        // the TX FIFO was just reset: no TXLVL read
        u.write_all(b"hello from the base board\r\n").await.unwrap();
        i2c.done();
    }

    pub async fn assuming_the_power_on_state_sends_nothing() {
        let mut i2c = mock(&[w(LCR, 0x1A), w(IER, 0x01), r(RXLVL, 0)]);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        // the settings come from the assumed cache: no read first
        u.set_line_format(LineFormat::F7E1).await.unwrap();
        u.set_interrupts(Interrupts::RX_DATA).await.unwrap();
        assert_eq!(u.rx_level().await, Ok(0));
        assert_eq!(u.fifo(), Some(FifoConfig::decode(0)));
        i2c.done();
    }

    pub async fn the_spi_bytes_are_the_same() {
        let mut frames = Vec::new();
        for bytes in [[LCR, 0x80], [DLL, 0x08], [DLH, 0x00], [LCR, 0x03], [FCR, 0x07]] {
            frames.extend(spi_w(&bytes));
        }
        let mut spi = SpiMock::new(&frames);
        let mut u = Sc16is7xx::new_spi(spi.clone(), XTAL.Hz(), Sc16is740);
        u.assume_power_on_state();
        u.init(&Config::default()).await.unwrap();
        spi.done();
    }

    /// 9600 7E1 with a TX trigger of 32 (FCR[5:4], a gated field): EFR[4] first, then the minimum otherwise.
    pub async fn a_gated_setting_turns_the_enhanced_functions_on_first() {
        let config = Config {
            fifo: FifoConfig {
                enabled: true,
                rx_trigger: RxTrigger::Chars8,
                tx_trigger: TxTrigger::Spaces32,
            },
            ..Config::new(9_600.Hz()).format(LineFormat::F7E1)
        };
        let mut i2c = mock(&[
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x1A),
            w(LCR, 0x80),
            w(DLL, 0x60),
            w(DLH, 0x00),
            w(LCR, 0x1A),
            w(FCR, 0x27),
        ]);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        u.init(&config).await.unwrap();
        i2c.done();
    }

    /// 10 baud needs the ÷4 prescaler (MCR[7], gated): EFR[4], MCR, then the divisor.
    pub async fn the_prescaler_from_power_on() {
        let mut i2c = mock(&[
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x03),
            w(MCR, 0x80),
            w(LCR, 0x80),
            w(DLL, 0x00),
            w(DLH, 0x5A),
            w(LCR, 0x03),
            w(FCR, 0x07),
        ]);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        let rate = u.init(&Config::new(10.Hz())).await.unwrap();
        assert_eq!((rate.divisor, rate.prescaler), (23_040, Prescaler::Div4));
        i2c.done();
    }

    /// A change made after the assumption is known too: only what still differs is written.
    pub async fn settings_made_before_init_are_not_written_again() {
        let mut i2c = mock(&[
            // set_baud_rate from the assumed cache: the divisor sequence alone
            w(LCR, 0x80),
            w(DLL, 0x08),
            w(DLH, 0x00),
            w(LCR, 0x1D),
            // init: divisor known, only the format and FCR
            w(LCR, 0x03),
            w(FCR, 0x07),
        ]);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        u.set_baud_rate(115_200.Hz()).await.unwrap();
        u.init(&Config::default()).await.unwrap();
        i2c.done();
    }

    /// Only the next `init` trusts the assumption: a second one programs everything again, and so does one after
    /// `invalidate_cache`.
    pub async fn later_inits_program_everything() {
        let mut all = init_115200_from_power_on();
        all.extend(init_115200());
        all.extend(init_115200());
        let mut i2c = mock(&all);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        u.init(&Config::default()).await.unwrap();
        u.init(&Config::default()).await.unwrap();
        u.assume_power_on_state();
        u.invalidate_cache();
        u.init(&Config::default()).await.unwrap();
        i2c.done();
    }

    /// TLR written after the assumption: `init` can no longer take it for 0 and programs everything.
    pub async fn trigger_levels_end_the_assumption() {
        let mut all = vec![
            // EFR[4] first (power-on: off), then MCR[2], TLR, MCR
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x1D),
            w(MCR, 0x04),
            w(TLR, 0x11),
            w(MCR, 0x00),
        ];
        all.extend(init_115200());
        let mut i2c = mock(&all);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        u.set_trigger_levels(TriggerLevels { rx: 4, tx: 4 }).await.unwrap();
        u.init(&Config::default()).await.unwrap();
        i2c.done();
    }

    /// A failed write in the minimal init: the next operation restores LCR to what the cache holds (the reset
    /// format), and the next init programs everything.
    pub async fn a_failed_minimal_init_is_repaired() {
        let mut all = vec![w(LCR, 0x80), w(DLL, 0x08).with_error(nack()), w(LCR, 0x1D), r(RXLVL, 0)];
        all.extend(init_115200());
        let mut i2c = mock(&all);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        assert_eq!(u.init(&Config::default()).await, nacked());
        assert_eq!(u.rx_level().await, Ok(0));
        u.init(&Config::default()).await.unwrap();
        i2c.done();
    }

    /// An IER write that failed after the assumption leaves IER unknown: it may hold gated bits (IER[7:4]), so
    /// `init` turns the enhanced functions on before it clears IER.
    pub async fn an_unknown_ier_opens_the_gate_first() {
        let mut all = vec![w(IER, 0x01).with_error(nack())];
        all.extend([w(LCR, 0xBF), w(EFR, 0x10), w(LCR, 0x03), w(IER, 0x00)]);
        all.extend(init_115200_from_power_on());
        let mut i2c = mock(&all);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        assert_eq!(u.set_interrupts(Interrupts::RX_DATA).await, nacked());
        u.init(&Config::default()).await.unwrap();
        i2c.done();
    }

    /// FCR from power-on: FIFOs on with the plain trigger levels is one write (FCR[5:4] neither set nor cleared,
    /// so the enhanced functions stay off); a TX trigger of 56 (FCR[5:4], gated) opens the gate first, and back to
    /// 8 is one write again (EFR[4] known on).
    pub async fn fifo_settings_from_power_on_open_the_gate_only_for_the_tx_trigger() {
        let mut i2c = mock(&[
            w(FCR, 0x01),
            w(LCR, 0xBF),
            w(EFR, 0x10),
            w(LCR, 0x1D),
            w(FCR, 0x31),
            w(FCR, 0x01),
        ]);
        let mut u = uart(&i2c);
        u.assume_power_on_state();
        u.set_fifo(FifoConfig::default()).await.unwrap();
        let fifo56 = FifoConfig {
            tx_trigger: TxTrigger::Spaces56,
            ..FifoConfig::default()
        };
        u.set_fifo(fifo56).await.unwrap();
        u.set_fifo(FifoConfig::default()).await.unwrap();
        i2c.done();
    }

    /// A confirmed software reset leaves the driver as `assume_power_on_state` does.
    pub async fn a_software_reset_then_init_is_at_the_minimum() {
        let mut all = vec![
            w(IOCONTROL, 0x08).with_error(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)),
            r(LCR, 0x1D),
        ];
        all.extend(init_115200_from_power_on());
        let mut i2c = after_init(&all);
        let mut u = uart(&i2c);
        u.init(&Config::default()).await.unwrap();
        u.software_reset(&mut NoopDelay).await.unwrap();
        u.init(&Config::default()).await.unwrap();
        i2c.done();
    }

    fn sim(variant: SimVariant) -> RefCell<Sc16is7xxSim> {
        RefCell::new(Sc16is7xxSim::new(variant, XTAL.Hz()))
    }

    /// Every register the assumed cache names holds that value in the simulator after a power-on, and TLR is 0.
    pub async fn the_assumed_state_is_the_simulated_power_on_state() {
        for variant in [SimVariant::Sc16is740, SimVariant::Sc16is750] {
            let chip = sim(variant);
            chip.borrow_mut().power_on_reset();
            let mut u = Sc16is7xx::new_i2c(SharedSim(&chip), Address::DEFAULT, XTAL.Hz(), Sc16is750);
            u.assume_power_on_state();
            let mut known = 0;
            for (register, cached) in u.cached_registers() {
                if let Some(value) = cached {
                    assert_eq!(chip.borrow().reg(0, register), value, "{register:?}");
                    known += 1;
                }
            }
            // all but the divisor, which has no reset value
            assert_eq!(known, 8);
            assert_eq!(chip.borrow().reg(0, Reg::Tlr), 0);
            // what a driver with a cold cache reads is what the other one assumed
            let mut cold = Sc16is7xx::new_i2c(SharedSim(&chip), Address::DEFAULT, XTAL.Hz(), Sc16is750);
            assert_eq!(cold.line_format().await, u.line_format().await);
            assert_eq!(cold.interrupts().await, u.interrupts().await);
            assert_eq!(cold.gpio_direction().await, u.gpio_direction().await);
            assert_eq!(chip.borrow().transactions(), 3);
        }
    }

    /// From power-on, the assumed path and the cold path leave the same registers (but EFR[4], which the minimal
    /// path leaves off until a setting needs it), and the two UARTs then talk.
    pub async fn both_paths_end_in_the_same_chip() {
        let (ca, cb) = (sim(SimVariant::Sc16is750), sim(SimVariant::Sc16is750));
        let mut a = Sc16is7xx::new_i2c(SharedSim(&ca), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        let mut b = Sc16is7xx::new_i2c(SharedSim(&cb), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        a.assume_power_on_state();
        a.init(&Config::default()).await.unwrap();
        b.init(&Config::default()).await.unwrap();
        assert_eq!((ca.borrow().transactions(), cb.borrow().transactions()), (5, 13));
        for register in [
            Reg::Ier,
            Reg::Fcr,
            Reg::Lcr,
            Reg::Mcr,
            Reg::Spr,
            Reg::Tcr,
            Reg::Tlr,
            Reg::IoDir,
            Reg::IoIntEna,
            Reg::IoControl,
            Reg::Efcr,
            Reg::Dll,
            Reg::Dlh,
        ] {
            assert_eq!(
                ca.borrow().reg(0, register),
                cb.borrow().reg(0, register),
                "{register:?}"
            );
        }
        assert_eq!(
            (ca.borrow().reg(0, Reg::Efr), cb.borrow().reg(0, Reg::Efr)),
            (0x00, 0x10)
        );
        // each driver's cache agrees with its chip
        for (u, c) in [(a.cached_registers(), &ca), (b.cached_registers(), &cb)] {
            for (register, cached) in u {
                if let Some(value) = cached {
                    assert_eq!(c.borrow().reg(0, register), value, "{register:?}");
                }
            }
        }
        // a gated setting later still takes effect: the driver knows EFR[4] is off and turns it on first
        a.set_fifo(FifoConfig {
            enabled: true,
            rx_trigger: RxTrigger::Chars8,
            tx_trigger: TxTrigger::Spaces56,
        })
        .await
        .unwrap();
        assert_eq!(ca.borrow().reg(0, Reg::Fcr), 0x31);
        assert_eq!(ca.borrow().gated_writes_dropped(), 0);
        // and the two talk
        ca.borrow_mut().settle();
        Sc16is7xxSim::connect(&mut ca.borrow_mut(), 0, &mut cb.borrow_mut(), 0);
        a.write_all(b"power-on").await.unwrap();
        ca.borrow_mut().settle();
        Sc16is7xxSim::connect(&mut ca.borrow_mut(), 0, &mut cb.borrow_mut(), 0);
        cb.borrow_mut().settle();
        let mut buffer = [0; 16];
        assert_eq!(b.try_read(&mut buffer).await, Ok(8));
        assert_eq!(&buffer[..8], b"power-on");
    }

    /// After a software reset on the simulator the driver's cache agrees with the chip, and init is five writes.
    pub async fn a_software_reset_on_the_simulator_matches_the_assumption() {
        let chip = sim(SimVariant::Sc16is750);
        let mut u = Sc16is7xx::new_i2c(SharedSim(&chip), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::new(9_600.Hz()).format(LineFormat::F8O1)).await.unwrap();
        u.set_loopback(true).await.unwrap();
        u.software_reset(&mut NoopDelay).await.unwrap();
        for (register, cached) in u.cached_registers() {
            if let Some(value) = cached {
                assert_eq!(chip.borrow().reg(0, register), value, "{register:?}");
            }
        }
        let before = chip.borrow().transactions();
        u.init(&Config::default()).await.unwrap();
        assert_eq!(chip.borrow().transactions() - before, 5);
        assert_eq!(chip.borrow().baud_rate(0), 115_200);
        assert_eq!(chip.borrow().reg(0, Reg::Mcr), 0);
    }
}

both!(
    init_from_power_on_is_five_writes,
    assuming_the_power_on_state_sends_nothing,
    the_spi_bytes_are_the_same,
    a_gated_setting_turns_the_enhanced_functions_on_first,
    the_prescaler_from_power_on,
    settings_made_before_init_are_not_written_again,
    later_inits_program_everything,
    trigger_levels_end_the_assumption,
    a_failed_minimal_init_is_repaired,
    an_unknown_ier_opens_the_gate_first,
    fifo_settings_from_power_on_open_the_gate_only_for_the_tx_trigger,
    a_software_reset_then_init_is_at_the_minimum,
    the_assumed_state_is_the_simulated_power_on_state,
    both_paths_end_in_the_same_chip,
    a_software_reset_on_the_simulator_matches_the_assumption,
);
