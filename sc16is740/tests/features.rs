//! FIFO control, trigger levels, interrupts, sleep, modem lines, flow control, RS-485, IrDA and GPIO: exact
//! bytes, both drivers.
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
    use sc16is740::{Sc16is740, Sc16is750, Sc16is752, Sc16is760, Sc16is7xx};

    type Uart<V> = Sc16is7xx<sc16is740::I2cInterface<I2cMock>, V>;

    async fn ready<V: sc16is740::variant::Variant>(variant: V, rest: &[I2c]) -> (I2cMock, Uart<V>) {
        let i2c = after_init(rest);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), variant);
        u.init(&Config::default()).await.unwrap();
        (i2c, u)
    }

    pub async fn fifo_control_is_written_whole_from_the_cache() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[w(FCR, 0xF1), w(FCR, 0xF3), w(FCR, 0xF5), w(FCR, 0xF7), w(FCR, 0x00)],
        )
        .await;
        let fifo = FifoConfig {
            enabled: true,
            rx_trigger: RxTrigger::Chars60,
            tx_trigger: TxTrigger::Spaces56,
        };
        u.set_fifo(fifo).await.unwrap();
        u.reset_fifos(true, false).await.unwrap();
        u.reset_fifos(false, true).await.unwrap();
        u.reset_fifos(true, true).await.unwrap();
        assert_eq!(u.fifo(), Some(fifo));
        u.set_fifo(FifoConfig {
            enabled: false,
            rx_trigger: RxTrigger::Chars8,
            tx_trigger: TxTrigger::Spaces8,
        })
        .await
        .unwrap();
        i2c.done();
    }

    pub async fn fifo_reset_needs_a_known_fcr() {
        let mut i2c = mock(&[]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        assert_eq!(u.reset_fifos(true, true).await, Err(Error::NotConfigured));
        i2c.done();
    }

    pub async fn a_tx_trigger_on_a_cold_chip_enables_the_enhanced_functions_first() {
        let mut i2c = mock(&[
            r(LCR, 0x03),
            w(LCR, 0xBF),
            r(EFR, 0x00),
            w(EFR, 0x10),
            w(LCR, 0x03),
            w(FCR, 0x11),
        ]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        u.set_fifo(FifoConfig {
            enabled: true,
            rx_trigger: RxTrigger::Chars8,
            tx_trigger: TxTrigger::Spaces16,
        })
        .await
        .unwrap();
        i2c.done();
    }

    pub async fn fine_trigger_levels_go_through_the_tlr_overlay() {
        let (mut i2c, mut u) = ready(Sc16is740, &[w(MCR, 0x04), w(TLR, 0x72), w(MCR, 0x00)]).await;
        assert_eq!(
            u.set_trigger_levels(TriggerLevels { rx: 30, tx: 8 }).await,
            Ok(TriggerLevels { rx: 28, tx: 8 })
        );
        assert_eq!(
            u.set_trigger_levels(TriggerLevels { rx: 61, tx: 8 }).await,
            Err(Error::Argument(ArgumentError::FifoLevel))
        );
        i2c.done();
    }

    pub async fn interrupts_and_the_gate() {
        let (mut i2c, mut u) = ready(Sc16is740, &[w(IER, 0x05), w(IER, 0x85), w(IER, 0x95), w(IER, 0x10)]).await;
        u.set_interrupts(Interrupts::RX_DATA | Interrupts::LINE_STATUS)
            .await
            .unwrap();
        assert_eq!(u.interrupts().await, Ok(Interrupts::RX_DATA | Interrupts::LINE_STATUS));
        u.set_interrupts(Interrupts::RX_DATA | Interrupts::LINE_STATUS | Interrupts::CTS)
            .await
            .unwrap();
        u.set_sleep(true).await.unwrap();
        // the sleep bit stays when the interrupt set changes
        u.set_interrupts(Interrupts::empty()).await.unwrap();
        assert_eq!(u.interrupts().await, Ok(Interrupts::empty()));
        i2c.done();
    }

    pub async fn an_unknown_bit_4_never_moves_the_sleep_bit() {
        // IER bit 4 is sleep mode: an `Interrupts` that carries it (from_bits_retain) leaves sleep as it was, off
        // then on
        let (mut i2c, mut u) = ready(Sc16is740, &[w(IER, 0x01), w(IER, 0x11), w(IER, 0x14)]).await;
        u.set_interrupts(Interrupts::from_bits_retain(0x11)).await.unwrap();
        u.set_sleep(true).await.unwrap();
        u.set_interrupts(Interrupts::from_bits_retain(0x14)).await.unwrap();
        i2c.done();
    }

    pub async fn a_gated_interrupt_on_a_cold_chip() {
        let mut i2c = mock(&[
            r(LCR, 0x03),
            r(IER, 0x01),
            w(LCR, 0xBF),
            r(EFR, 0x00),
            w(EFR, 0x10),
            w(LCR, 0x03),
            w(IER, 0x40),
        ]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        u.set_interrupts(Interrupts::RTS).await.unwrap();
        i2c.done();
    }

    pub async fn interrupt_write_nack_forgets_ier() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[w(IER, 0x01).with_error(nack()), r(IER, 0x00), w(IER, 0x10)],
        )
        .await;
        assert_eq!(u.set_interrupts(Interrupts::RX_DATA).await, nacked());
        // the write may have reached the chip: IER is read again
        u.set_sleep(true).await.unwrap();
        i2c.done();
    }

    pub async fn pending_interrupts_and_the_rx_timeout_erratum() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[
                r(IIR, 0xC1),
                // RX time-out with an empty FIFO: read RHR once to clear it
                r(IIR, 0xCC),
                r(RXLVL, 0),
                r(LSR, 0x60),
                r(RHR, 0x00),
                // a real time-out: data waits, no extra read
                r(IIR, 0xCC),
                r(RXLVL, 5),
                // the erratum, but a character arrived between RXLVL and LSR: no RHR read
                r(IIR, 0xCC),
                r(RXLVL, 0),
                r(LSR, 0x61),
                // a line-status interrupt: LSR is read to clear it, the overrun remembered
                r(IIR, 0xC6),
                r(LSR, 0x62),
                r(RXLVL, 0),
                r(IIR, 0xC4),
                r(IIR, 0xC2),
                r(IIR, 0xC0),
                r(IIR, 0xF0),
                r(IIR, 0xD0),
                r(IIR, 0xE0),
            ],
        )
        .await;
        assert_eq!(u.pending_interrupt().await, Ok(None));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::RxTimeout)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::RxTimeout)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::RxTimeout)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::LineStatus)));
        let mut buffer = [0; 4];
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Overrun)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::RxData)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::TxReady)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::ModemStatus)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::Gpio)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::Xoff)));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::CtsRts)));
        i2c.done();
    }

    pub async fn modem_lines_and_loopback() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[
                r(MSR, 0x11),
                w(MCR, 0x02),
                w(MCR, 0x03),
                w(MCR, 0x13),
                w(MCR, 0x11),
                w(MCR, 0x01),
            ],
        )
        .await;
        let m = u.modem_status().await.unwrap();
        assert!(m.cts() && m.cts_changed() && !m.dsr() && !m.ri() && !m.cd());
        u.set_rts(true).await.unwrap();
        u.set_dtr(true).await.unwrap();
        u.set_loopback(true).await.unwrap();
        u.set_rts(false).await.unwrap();
        u.set_loopback(false).await.unwrap();
        i2c.done();
    }

    /// Every MSR bit in its own place: CD 7, RI 6, DSR 5, CTS 4, ΔCD 3, ΔRI 2, ΔDSR 1, ΔCTS 0.
    pub async fn modem_status_bits() {
        let (mut i2c, mut u) = ready(Sc16is750, &[r(MSR, 0xA5), r(MSR, 0x5A)]).await;
        let m = u.modem_status().await.unwrap();
        assert_eq!(
            (
                m.cd(),
                m.ri(),
                m.dsr(),
                m.cts(),
                m.cd_changed(),
                m.ri_trailing_edge(),
                m.dsr_changed(),
                m.cts_changed()
            ),
            (true, false, true, false, false, true, false, true)
        );
        let m = u.modem_status().await.unwrap();
        assert_eq!(
            (
                m.cd(),
                m.ri(),
                m.dsr(),
                m.cts(),
                m.cd_changed(),
                m.ri_trailing_edge(),
                m.dsr_changed(),
                m.cts_changed()
            ),
            (false, true, false, true, true, false, true, false)
        );
        i2c.done();
    }

    pub async fn transmitter_and_receiver_disable() {
        let (mut i2c, mut u) = ready(Sc16is740, &[w(EFCR, 0x04), w(EFCR, 0x06), w(EFCR, 0x02), w(EFCR, 0x00)]).await;
        u.set_transmitter_enabled(false).await.unwrap();
        u.set_receiver_enabled(false).await.unwrap();
        u.set_transmitter_enabled(true).await.unwrap();
        u.set_receiver_enabled(true).await.unwrap();
        i2c.done();
    }

    pub async fn hardware_flow_control_programs_tcr_first() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[
                w(MCR, 0x04),
                w(TCR, 0x6C),
                w(MCR, 0x00),
                w(LCR, 0xBF),
                w(EFR, 0xD0),
                w(LCR, 0x03),
                // CTS only: no TCR
                w(LCR, 0xBF),
                w(EFR, 0x90),
                w(LCR, 0x03),
            ],
        )
        .await;
        let levels = u
            .set_hardware_flow_control(HardwareFlowControl {
                auto_rts: true,
                auto_cts: true,
                levels: FlowLevels { halt: 48, resume: 24 },
            })
            .await
            .unwrap();
        assert_eq!(levels, FlowLevels { halt: 48, resume: 24 });
        u.set_hardware_flow_control(HardwareFlowControl {
            auto_rts: false,
            auto_cts: true,
            levels: FlowLevels::default(),
        })
        .await
        .unwrap();
        assert_eq!(
            u.set_hardware_flow_control(HardwareFlowControl {
                auto_rts: true,
                auto_cts: false,
                levels: FlowLevels { halt: 24, resume: 24 },
            })
            .await,
            Err(Error::Argument(ArgumentError::FlowLevels))
        );
        i2c.done();
    }

    pub async fn software_flow_control_in_the_datasheet_order() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[
                w(LCR, 0xBF),
                w(EFR, 0x10),
                w(XON1, 0x11),
                w(XON2, 0x12),
                w(XOFF1, 0x13),
                w(XOFF2, 0x14),
                w(LCR, 0x03),
                w(MCR, 0x04),
                w(TCR, 0x5E),
                w(MCR, 0x00),
                w(MCR, 0x20),
                w(LCR, 0xBF),
                // TX Xon1/Xoff1 (EFR[3:2] = 10), RX Xon2/Xoff2 (EFR[1:0] = 01)
                w(EFR, 0x19),
                w(LCR, 0x03),
            ],
        )
        .await;
        let flow = SoftwareFlowControl {
            transmit: SoftwareFlowTx::Xon1Xoff1,
            receive: SoftwareFlowRx::Xon2Xoff2,
            xon1: 0x11,
            xon2: 0x12,
            xoff1: 0x13,
            xoff2: 0x14,
            xon_any: true,
            levels: FlowLevels { halt: 56, resume: 20 },
        };
        assert_eq!(
            u.set_software_flow_control(&flow).await,
            Ok(FlowLevels { halt: 56, resume: 20 })
        );
        i2c.done();
    }

    pub async fn software_flow_control_refuses_bad_levels_without_traffic() {
        let mut i2c = mock(&[]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        let flow = SoftwareFlowControl {
            levels: FlowLevels { halt: 8, resume: 60 },
            ..SoftwareFlowControl::default()
        };
        assert_eq!(
            u.set_software_flow_control(&flow).await,
            Err(Error::Argument(ArgumentError::FlowLevels))
        );
        i2c.done();
    }

    pub async fn rs485_with_address_detection() {
        let (mut i2c, mut u) = ready(
            Sc16is740,
            &[
                w(LCR, 0xBF),
                w(XOFF2, 0x42),
                w(EFR, 0x30),
                w(LCR, 0x03),
                w(EFCR, 0x31),
                // address off again: special character off, then EFCR
                w(LCR, 0xBF),
                w(EFR, 0x10),
                w(LCR, 0x03),
                w(EFCR, 0x10),
            ],
        )
        .await;
        u.set_rs485(Rs485 {
            auto_direction: true,
            invert_rts: true,
            multidrop: true,
            address: Some(0x42),
        })
        .await
        .unwrap();
        u.set_rs485(Rs485 {
            auto_direction: true,
            ..Rs485::default()
        })
        .await
        .unwrap();
        i2c.done();
    }

    pub async fn irda_modes_by_part() {
        let mut i2c = mock(&[]);
        let mut u740 = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        assert_eq!(
            u740.set_irda(IrdaMode::Fast).await,
            Err(Error::Argument(ArgumentError::IrdaFast))
        );
        let mut u752 = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is752);
        assert_eq!(
            u752.set_irda(IrdaMode::Fast).await,
            Err(Error::Argument(ArgumentError::IrdaFast))
        );
        i2c.done();
        let (mut i2c, mut u) = ready(
            Sc16is760,
            &[
                w(EFCR, 0x80),
                w(MCR, 0x40),
                w(EFCR, 0x00),
                w(MCR, 0x40),
                w(EFCR, 0x00),
                w(MCR, 0x00),
            ],
        )
        .await;
        u.set_irda(IrdaMode::Fast).await.unwrap();
        u.set_irda(IrdaMode::Standard).await.unwrap();
        u.set_irda(IrdaMode::Off).await.unwrap();
        i2c.done();
    }

    pub async fn gpio_registers_and_the_cached_latch() {
        let (mut i2c, mut u) = ready(
            Sc16is750,
            &[
                w(IODIR, 0x0F),
                w(IOSTATE, 0x05),
                w(IOSTATE, 0x07),
                w(IOSTATE, 0x06),
                r(IOSTATE, 0xA6),
                w(IOINTENA, 0xF0),
                // IOControl is shared by a dual part's two drivers: read before every change
                r(IOCONTROL, 0x00),
                w(IOCONTROL, 0x01),
                r(IOCONTROL, 0x01),
                w(IOCONTROL, 0x03),
                // direction before level
                w(IODIR, 0x1F),
                w(IOSTATE, 0x16),
                w(IODIR, 0x1E),
            ],
        )
        .await;
        u.set_gpio_direction(0x0F).await.unwrap();
        u.set_gpio_outputs(0x05).await.unwrap();
        u.set_gpio_pin(GpioPin::new(1).unwrap(), true).await.unwrap();
        u.set_gpio_pin(GpioPin::new(0).unwrap(), false).await.unwrap();
        assert_eq!(u.gpio_levels().await, Ok(0xA6));
        u.set_gpio_interrupts(0xF0).await.unwrap();
        u.set_gpio_latch(true).await.unwrap();
        u.set_modem_pins(true).await.unwrap();
        u.configure_gpio_output(GpioPin::new(4).unwrap(), true).await.unwrap();
        u.configure_gpio_input(GpioPin::new(0).unwrap()).await.unwrap();
        assert_eq!(u.gpio_direction().await, Ok(0x1E));
        assert_eq!(u.gpio_output_latch().await, Ok(0x16));
        assert_eq!(GpioPin::new(8), Err(ArgumentError::GpioPin));
        i2c.done();
    }

    pub async fn channel_b_uses_its_sub_address_but_gpio_is_device_wide() {
        let mut i2c = mock(&[
            r(LCR | 0x02, 0x03),
            w(IODIR, 0xFF),
            r(IOCONTROL, 0x02),
            w(IOCONTROL, 0x06),
        ]);
        let mut b = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is752).on_channel_b();
        b.set_gpio_direction(0xFF).await.unwrap();
        b.set_modem_pins(true).await.unwrap();
        i2c.done();
        // a cold IER read goes to channel B too
        let mut i2c = mock(&[r(LCR | 0x02, 0x03), r(IER | 0x02, 0x00), w(IER | 0x02, 0x01)]);
        let mut b = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is752).on_channel_b();
        b.set_interrupts(Interrupts::RX_DATA).await.unwrap();
        i2c.done();
    }

    pub async fn gpio_nack() {
        let (mut i2c, mut u) = ready(
            Sc16is750,
            &[
                // IODir first: the chip takes the latch only for outputs
                r(IODIR, 0x03),
                w(IOSTATE, 0x01).with_error(nack()),
                // which outputs are modem pins (their IOState bit is the modem line, not the latch)
                r(IOCONTROL, 0x00),
                r(IOSTATE, 0x00),
                w(IOSTATE, 0x02),
            ],
        )
        .await;
        assert_eq!(u.set_gpio_outputs(0x01).await, nacked());
        // nothing cached from the failed write: the latch of the other output is read once
        u.set_gpio_pin(GpioPin::new(1).unwrap(), true).await.unwrap();
        i2c.done();
    }
}

both!(
    fifo_control_is_written_whole_from_the_cache,
    fifo_reset_needs_a_known_fcr,
    a_tx_trigger_on_a_cold_chip_enables_the_enhanced_functions_first,
    fine_trigger_levels_go_through_the_tlr_overlay,
    interrupts_and_the_gate,
    an_unknown_bit_4_never_moves_the_sleep_bit,
    a_gated_interrupt_on_a_cold_chip,
    interrupt_write_nack_forgets_ier,
    pending_interrupts_and_the_rx_timeout_erratum,
    modem_lines_and_loopback,
    modem_status_bits,
    transmitter_and_receiver_disable,
    hardware_flow_control_programs_tcr_first,
    software_flow_control_in_the_datasheet_order,
    software_flow_control_refuses_bad_levels_without_traffic,
    rs485_with_address_detection,
    irda_modes_by_part,
    gpio_registers_and_the_cached_latch,
    channel_b_uses_its_sub_address_but_gpio_is_device_wide,
    gpio_nack,
);

/// The GPIOs as embedded-hal pins over a shared blocking driver.
mod pins {
    use super::common::*;
    use core::cell::RefCell;
    use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
    use sc16is740::{Sc16is750, Sc16is7xx};

    #[test]
    fn pins_share_the_driver() {
        let mut i2c = after_init(&[
            r(IODIR, 0x00),
            w(IODIR, 0x01),
            // no other output: nothing to read before the level
            w(IOSTATE, 0x01),
            w(IOSTATE, 0x00),
            r(IOSTATE, 0x80),
            w(IODIR, 0x00),
            r(IOINTENA, 0x00),
            w(IOINTENA, 0x01),
            w(IOINTENA, 0x81),
            w(IOINTENA, 0x80),
        ]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).unwrap();
        let shared = RefCell::new(u);
        let [mut p0, .., mut p7] = sc16is740::gpio_pins(&shared);
        assert_eq!(p7.pin().get(), 7);
        p0.into_output(true).unwrap();
        assert!(p0.is_set_high().unwrap());
        p0.set_low().unwrap();
        assert!(p0.is_set_low().unwrap());
        assert!(p7.is_high().unwrap());
        p0.into_input().unwrap();
        p0.set_interrupt(true).unwrap();
        p7.set_interrupt(true).unwrap();
        p0.set_interrupt(false).unwrap();
        {
            let _held = shared.borrow_mut();
            assert_eq!(p0.set_high(), Err(Error::Busy));
        }
        i2c.done();
    }

    /// Each state read both ways: a low input is low and not high, a high output is set high and not set low,
    /// a low output the reverse.
    #[test]
    fn pin_states_read_both_ways() {
        use embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin};
        let mut i2c = after_init(&[
            r(IOSTATE, 0x7F),
            r(IOSTATE, 0x7F),
            r(IODIR, 0x00),
            w(IODIR, 0x02),
            w(IOSTATE, 0x02),
            w(IOSTATE, 0x00),
        ]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).unwrap();
        let shared = RefCell::new(u);
        let [_, mut p1, .., mut p7] = sc16is740::gpio_pins(&shared);
        assert!(!p7.is_high().unwrap());
        assert!(p7.is_low().unwrap());
        p1.into_output(true).unwrap();
        assert!(p1.is_set_high().unwrap());
        assert!(!p1.is_set_low().unwrap());
        p1.set_low().unwrap();
        assert!(!p1.is_set_high().unwrap());
        assert!(p1.is_set_low().unwrap());
        i2c.done();
    }

    #[test]
    fn pins_through_a_critical_section_mutex() {
        let mut i2c = after_init(&[r(IODIR, 0x04), w(IOSTATE, 0x04), r(IOSTATE, 0x04)]);
        let mut u = Sc16is7xx::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).unwrap();
        let shared = critical_section::Mutex::new(RefCell::new(u));
        let [_, _, mut p2, ..] = sc16is740::gpio_pins(&shared);
        p2.set_high().unwrap();
        assert!(!p2.is_low().unwrap());
        i2c.done();
    }
}

/// Interrupt-driven async I/O through the IRQ pin.
#[cfg(feature = "async")]
mod irq {
    use super::common::*;
    use embedded_hal_mock::eh1::digital::{Mock as PinMock, State, Transaction as Pin};
    use embedded_io_async::{Read, Write};
    use sc16is740::{Sc16is740, Sc16is7xxAsync, Sc16is7xxIrq};

    #[test]
    fn reads_sleep_on_the_pin_and_clear_the_erratum() {
        block_on(async {
            let mut i2c = after_init(&[
                r(RXLVL, 0),
                w(IER, 0x05),
                r(IIR, 0xC4),
                r(RXLVL, 3),
                r(LSR, 0x61),
                rb(RHR, b"abc"),
                // the second read: interrupts already on, an erratum time-out, then data
                r(RXLVL, 0),
                r(IIR, 0xCC),
                r(RXLVL, 0),
                r(LSR, 0x60),
                r(RHR, 0x00),
                r(RXLVL, 1),
                r(LSR, 0x61),
                rb(RHR, b"d"),
            ]);
            let mut pin = PinMock::new(&[Pin::wait_for_state(State::Low), Pin::wait_for_state(State::Low)]);
            let mut u = Sc16is7xxAsync::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            let mut uart = Sc16is7xxIrq::new(u, pin.clone());
            let mut buffer = [0; 8];
            assert_eq!(uart.read(&mut buffer).await, Ok(3));
            assert_eq!(&buffer[..3], b"abc");
            assert_eq!(uart.read(&mut buffer).await, Ok(1));
            assert_eq!(uart.read(&mut []).await, Ok(0));
            i2c.done();
            pin.done();
        });
    }

    /// RX data already enabled by the caller: the read adds the line-status interrupt and keeps RX data on.
    #[test]
    fn a_read_adds_its_interrupts_to_those_already_on() {
        block_on(async {
            let mut i2c = after_init(&[
                w(IER, 0x01),
                r(RXLVL, 0),
                w(IER, 0x05),
                r(IIR, 0xC4),
                r(RXLVL, 1),
                r(LSR, 0x61),
                rb(RHR, b"z"),
            ]);
            let mut pin = PinMock::new(&[Pin::wait_for_state(State::Low)]);
            let mut u = Sc16is7xxAsync::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            u.set_interrupts(Interrupts::RX_DATA).await.unwrap();
            let mut uart = Sc16is7xxIrq::new(u, pin.clone());
            let mut buffer = [0; 8];
            assert_eq!(uart.read(&mut buffer).await, Ok(1));
            assert_eq!(buffer[0], b'z');
            i2c.done();
            pin.done();
        });
    }

    #[test]
    fn a_full_fifo_waits_for_tx_ready_then_turns_it_off() {
        block_on(async {
            let mut i2c = after_init(&[
                r(TXLVL, 0),
                w(IER, 0x02),
                r(IIR, 0xC2),
                r(TXLVL, 64),
                burst(THR, b"hello"),
                w(IER, 0x00),
                r(LSR, 0x60),
            ]);
            let mut pin = PinMock::new(&[Pin::wait_for_state(State::Low)]);
            let mut u = Sc16is7xxAsync::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            let mut uart = Sc16is7xxIrq::new(u, pin.clone());
            assert_eq!(uart.write(b"hello").await, Ok(5));
            uart.flush().await.unwrap();
            assert_eq!(uart.write(&[]).await, Ok(0));
            let (_driver, _pin) = uart.release();
            i2c.done();
            pin.done();
        });
    }

    #[test]
    fn a_pin_error_is_reported() {
        block_on(async {
            let mut i2c = after_init(&[r(RXLVL, 0), w(IER, 0x05)]);
            let mut pin = PinMock::new(&[Pin::wait_for_state(State::Low)
                .with_error(embedded_hal_mock::eh1::MockError::Io(std::io::ErrorKind::Other))]);
            let mut u = Sc16is7xxAsync::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            let mut uart = Sc16is7xxIrq::new(u, pin.clone());
            let mut buffer = [0; 8];
            assert_eq!(
                uart.read(&mut buffer).await,
                Err(Error::IrqPin(embedded_hal::digital::ErrorKind::Other))
            );
            i2c.done();
            pin.done();
        });
    }

    /// `write_all`, `read_exact` and `flush` of the async `embedded-io` traits, on the driver and on
    /// `Sc16is7xxIrq` (no IRQ wait needed: the data is there, the FIFO has room).
    #[test]
    fn async_embedded_io_write_all_read_exact_and_flush() {
        block_on(async {
            let transfer = [
                burst(THR, b"abc"),
                r(RXLVL, 2),
                r(LSR, 0x61),
                rb(RHR, b"xy"),
                r(RXLVL, 1),
                r(LSR, 0x61),
                rb(RHR, b"z"),
                r(LSR, 0x60),
            ];
            let mut all = transfer.to_vec();
            all.extend(init_115200());
            // through Sc16is7xxIrq: its writes read TXLVL (the pin driver polls before it sleeps)
            all.extend([
                r(TXLVL, 64),
                burst(THR, b"abc"),
                r(RXLVL, 2),
                r(LSR, 0x61),
                rb(RHR, b"xy"),
                r(RXLVL, 1),
                r(LSR, 0x61),
                rb(RHR, b"z"),
                r(LSR, 0x60),
            ]);
            let mut i2c = after_init(&all);
            let mut u = Sc16is7xxAsync::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            let mut buffer = [0; 3];
            Write::write_all(&mut u, b"abc").await.unwrap();
            Read::read_exact(&mut u, &mut buffer).await.unwrap();
            assert_eq!(&buffer, b"xyz");
            Write::flush(&mut u).await.unwrap();
            u.init(&Config::default()).await.unwrap();
            let mut pin = PinMock::new(&[]);
            let mut uart = Sc16is7xxIrq::new(u, pin.clone());
            let mut buffer = [0; 3];
            Write::write_all(&mut uart, b"abc").await.unwrap();
            Read::read_exact(&mut uart, &mut buffer).await.unwrap();
            assert_eq!(&buffer, b"xyz");
            Write::flush(&mut uart).await.unwrap();
            i2c.done();
            pin.done();
        });
    }

    #[test]
    fn async_embedded_io_polls_without_a_pin() {
        block_on(async {
            let mut i2c = after_init(&[
                r(RXLVL, 0),
                r(RXLVL, 1),
                r(LSR, 0x61),
                rb(RHR, b"x"),
                r(TXLVL, 0),
                r(TXLVL, 2),
                burst(THR, b"xy"),
                r(LSR, 0x60),
            ]);
            let mut u = Sc16is7xxAsync::new_i2c(i2c.clone(), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            let mut buffer = [0; 4];
            assert_eq!(Read::read(&mut u, &mut buffer).await, Ok(1));
            assert_eq!(Write::write(&mut u, b"xyz").await, Ok(2));
            Write::flush(&mut u).await.unwrap();
            i2c.done();
        });
    }
}
