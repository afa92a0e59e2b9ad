//! Behaviour against the simulator: two UARTs on a wire, line errors, loopback, flow control, the register
//! sets left as the driver found them, GPIO, reset, the erratum, and IRQ-driven async I/O.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
#[macro_use]
mod common;

#[maybe_async_cfg::maybe(
    idents(
        Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync"),
        Sc16is7xxI2c(sync = "Sc16is7xxI2c", async = "Sc16is7xxAsyncI2c"),
        Sc16is7xxSpi(sync = "Sc16is7xxSpi", async = "Sc16is7xxAsyncSpi")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::common::*;
    use core::cell::RefCell;
    use sc16is740::sim::{FaultPoint, FaultyBus, LineFault, Reg, Sc16is7xxSim, SharedSim, SimVariant};
    use sc16is740::{Sc16is740, Sc16is750, Sc16is752, Sc16is7xx, Sc16is7xxI2c, Sc16is7xxSpi};

    // the alias a user writes (Sc16is7xxAsyncI2c for the async twin)
    type Uart<'a, V> = Sc16is7xxI2c<SharedSim<'a>, V>;

    async fn uart<'a, V: sc16is740::variant::Variant>(
        chip: &'a RefCell<Sc16is7xxSim>,
        variant: V,
        config: &Config,
    ) -> Uart<'a, V> {
        let mut u = Sc16is7xx::new_i2c(SharedSim(chip), Address::DEFAULT, XTAL.Hz(), variant);
        u.init(config).await.unwrap();
        u
    }

    fn chip(variant: SimVariant) -> RefCell<Sc16is7xxSim> {
        RefCell::new(Sc16is7xxSim::new(variant, XTAL.Hz()))
    }

    fn wire(a: &RefCell<Sc16is7xxSim>, b: &RefCell<Sc16is7xxSim>) {
        a.borrow_mut().settle();
        Sc16is7xxSim::connect(&mut a.borrow_mut(), 0, &mut b.borrow_mut(), 0);
        b.borrow_mut().settle();
    }

    pub async fn two_uarts_talk_in_7e1() {
        let (ca, cb) = (chip(SimVariant::Sc16is740), chip(SimVariant::Sc16is740));
        let config = Config::new(9_600.Hz()).format(LineFormat::F7E1);
        let mut a = uart(&ca, Sc16is740, &config).await;
        let mut b = uart(&cb, Sc16is740, &config).await;
        let message: [u8; 100] = core::array::from_fn(|i| b'!' + (i % 90) as u8);
        let (mut got, mut received) = ([0; 100], 0);
        let mut buffer = [0; 64];
        // 50 at a time: a 100-character burst into the other side would overrun its 64-byte FIFO
        for chunk in message.chunks(50) {
            a.write_all(chunk).await.unwrap();
            a.flush().await.unwrap();
            wire(&ca, &cb);
            loop {
                let n = b.try_read(&mut buffer).await.unwrap();
                if n == 0 {
                    break;
                }
                got[received..received + n].copy_from_slice(&buffer[..n]);
                received += n;
            }
        }
        assert_eq!(got[..received], message);
        assert_eq!(ca.borrow().baud_rate(0), 9_600);
        assert_eq!(ca.borrow().reg(0, Reg::Lcr), 0x1A);
    }

    pub async fn a_format_mismatch_is_a_framing_error() {
        let (ca, cb) = (chip(SimVariant::Sc16is740), chip(SimVariant::Sc16is740));
        let mut a = uart(&ca, Sc16is740, &Config::new(115_200.Hz())).await;
        let mut b = uart(&cb, Sc16is740, &Config::new(115_200.Hz()).format(LineFormat::F8N2)).await;
        a.write_all(b"?").await.unwrap();
        wire(&ca, &cb);
        let mut buffer = [0; 8];
        let got = b.try_read(&mut buffer).await;
        assert!(matches!(got, Err(Error::Line(LineError::Framing(_)))), "{got:?}");
        // and a baud-rate mismatch too
        b.set_line_format(LineFormat::F8N1).await.unwrap();
        b.set_baud_rate(57_600.Hz()).await.unwrap();
        a.write_all(b"?").await.unwrap();
        wire(&ca, &cb);
        let got = b.try_read(&mut buffer).await;
        assert!(matches!(got, Err(Error::Line(LineError::Framing(_)))), "{got:?}");
        assert_eq!(b.try_read(&mut buffer).await, Ok(0));
    }

    pub async fn good_bytes_around_a_bad_one_are_kept() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        {
            let mut sim = c.borrow_mut();
            sim.receive(0, b"ok");
            sim.receive_with_fault(
                0,
                0x55,
                LineFault {
                    parity: true,
                    ..LineFault::default()
                },
            );
            sim.receive(0, b"fine");
            sim.receive_with_fault(
                0,
                0x00,
                LineFault {
                    break_: true,
                    framing: true,
                    parity: false,
                },
            );
            sim.deliver_now(0);
        }
        let mut buffer = [0; 64];
        assert_eq!(u.try_read(&mut buffer).await, Ok(2));
        assert_eq!(&buffer[..2], b"ok");
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Parity(0x55))));
        let n = u.try_read(&mut buffer).await.unwrap();
        assert_eq!(&buffer[..n], b"fine");
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Break)));
        assert_eq!(u.try_read(&mut buffer).await, Ok(0));
    }

    /// A bad character that lands between the RXLVL and LSR reads is not burst out unchecked. The model
    /// delivers one queued character per transaction: 'b' lands before the RXLVL read (RXLVL = 2), the bad 'X'
    /// before the LSR read. The two counted good ones come back, the bad one is reported by the next read. (Reading
    /// LSR before RXLVL, as the driver once did, burst all three and lost the error.)
    pub async fn a_bad_character_arriving_mid_read_is_still_caught() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        {
            let mut sim = c.borrow_mut();
            sim.receive(0, b"a");
            sim.deliver_now(0);
            sim.set_chars_per_transaction(1);
            sim.receive(0, b"b");
            sim.receive_with_fault(
                0,
                b'X',
                LineFault {
                    framing: true,
                    ..LineFault::default()
                },
            );
        }
        let mut buffer = [0; 8];
        let first = u.try_read(&mut buffer).await;
        let got = [buffer[0], buffer[1]];
        let second = u.try_read(&mut buffer).await;
        assert_eq!((first, &got), (Ok(2), b"ab"));
        assert_eq!(second, Err(Error::Line(LineError::Framing(b'X'))));
    }

    /// IOControl is shared by a dual part's channels: one driver's change keeps the other's bit.
    pub async fn two_drivers_share_iocontrol() {
        let c = chip(SimVariant::Sc16is752);
        let mut a = uart(&c, Sc16is752, &Config::default()).await;
        let mut b = Sc16is7xx::new_i2c(SharedSim(&c), Address::DEFAULT, XTAL.Hz(), Sc16is752).on_channel_b();
        b.init(&Config::default()).await.unwrap();
        a.set_modem_pins(true).await.unwrap();
        b.set_modem_pins(true).await.unwrap();
        a.set_gpio_latch(true).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::IoControl), 0x07);
    }

    pub async fn an_overrun_comes_after_the_sixty_four_good_bytes() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        c.borrow_mut().receive(0, &counting::<70>());
        c.borrow_mut().deliver_now(0);
        let mut buffer = [0; 128];
        assert_eq!(u.try_read(&mut buffer).await, Ok(64));
        assert_eq!(&buffer[..64], &counting::<64>()[..]);
        assert_eq!(u.try_read(&mut buffer).await, Err(Error::Line(LineError::Overrun)));
        assert_eq!(u.try_read(&mut buffer).await, Ok(0));
    }

    pub async fn loopback_hears_itself() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_loopback(true).await.unwrap();
        u.write_all(b"ping").await.unwrap();
        u.flush().await.unwrap();
        c.borrow_mut().settle();
        let mut buffer = [0; 8];
        assert_eq!(u.try_read(&mut buffer).await, Ok(4));
        assert_eq!(&buffer[..4], b"ping");
        assert_eq!(c.borrow_mut().take_transmitted(0, &mut buffer), 0);
    }

    pub async fn every_sequence_leaves_the_general_set_and_no_gated_write_is_lost() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = uart(&c, Sc16is750, &Config::new(10.Hz())).await;
        assert_eq!(c.borrow().prescaler(0), 4);
        u.set_sleep(true).await.unwrap();
        u.set_baud_rate(230_400.Hz()).await.unwrap();
        assert_eq!((c.borrow().prescaler(0), c.borrow().baud_rate(0)), (1, 230_400));
        u.set_fifo(FifoConfig {
            enabled: true,
            rx_trigger: RxTrigger::Chars16,
            tx_trigger: TxTrigger::Spaces56,
        })
        .await
        .unwrap();
        u.set_trigger_levels(TriggerLevels { rx: 20, tx: 40 }).await.unwrap();
        u.set_hardware_flow_control(HardwareFlowControl {
            auto_rts: true,
            auto_cts: false,
            levels: FlowLevels::default(),
        })
        .await
        .unwrap();
        u.set_software_flow_control(&SoftwareFlowControl::default())
            .await
            .unwrap();
        u.set_rs485(Rs485 {
            auto_direction: true,
            invert_rts: true,
            multidrop: true,
            address: Some(0x21),
        })
        .await
        .unwrap();
        u.set_irda(IrdaMode::Standard).await.unwrap();
        u.set_interrupts(Interrupts::RX_DATA | Interrupts::CTS | Interrupts::XOFF)
            .await
            .unwrap();
        u.write_scratch(0x5A).await.unwrap();
        assert_eq!(u.read_scratch().await, Ok(0x5A));
        u.check_presence().await.unwrap();
        let sim = c.borrow();
        assert_eq!(sim.reg(0, Reg::Lcr), 0x03);
        assert_eq!(sim.reg(0, Reg::Mcr) & 0x04, 0, "MCR[2] left on");
        assert_eq!(sim.reg(0, Reg::Tlr), 0x5A);
        assert_eq!(sim.reg(0, Reg::Tcr), 0x6C);
        assert_eq!(sim.reg(0, Reg::Fcr), 0x71);
        assert_eq!(sim.reg(0, Reg::Efr), 0x10 | 0x40 | 0x20 | 0x0A);
        assert_eq!(
            (sim.reg(0, Reg::Xon1), sim.reg(0, Reg::Xoff1), sim.reg(0, Reg::Xoff2)),
            (0x11, 0x13, 0x21)
        );
        assert_eq!(sim.reg(0, Reg::Efcr), 0x31);
        assert_eq!(sim.reg(0, Reg::Ier), 0x10 | 0x80 | 0x20 | 0x01);
        assert_eq!(sim.reg(0, Reg::Mcr), 0x40);
        assert_eq!(sim.stray_accesses(), 0);
        assert_eq!(sim.gated_writes_dropped(), 0);
        assert_eq!(sim.divisor_writes_while_asleep(), 0);
    }

    pub async fn auto_cts_holds_the_transmitter() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_hardware_flow_control(HardwareFlowControl {
            auto_rts: false,
            auto_cts: true,
            levels: FlowLevels::default(),
        })
        .await
        .unwrap();
        u.write_all(b"wait").await.unwrap();
        c.borrow_mut().advance(20);
        assert_eq!(c.borrow().transmitted_len(0), 0);
        assert_eq!(u.transmitter_idle().await, Ok(false));
        c.borrow_mut().set_cts(0, true);
        c.borrow_mut().settle();
        assert_eq!(c.borrow().transmitted_len(0), 4);
        assert!(u.modem_status().await.unwrap().cts());
    }

    pub async fn software_reset_then_init() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::new(9_600.Hz())).await;
        u.software_reset(&mut NoopDelay).await.unwrap();
        assert_eq!(c.borrow().software_resets(), 1);
        assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x1D);
        assert_eq!(
            u.line_format().await.unwrap(),
            LineFormat::new(DataBits::Six, Parity::Even, StopBits::Two)
        );
        u.init(&Config::default()).await.unwrap();
        assert_eq!(c.borrow().baud_rate(0), 115_200);
    }

    pub async fn the_rx_timeout_erratum_is_cleared() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        u.set_interrupts(Interrupts::RX_DATA).await.unwrap();
        c.borrow_mut().force_rx_timeout_erratum(0);
        assert!(c.borrow().irq_asserted(0));
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::RxTimeout)));
        assert!(!c.borrow().irq_asserted(0));
        assert_eq!(u.pending_interrupt().await, Ok(None));
    }

    pub async fn a_glitched_txlvl_is_refused() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = uart(&c, Sc16is740, &Config::default()).await;
        c.borrow_mut().set_txlvl_glitch(0, Some(0xFF));
        assert_eq!(u.try_write(b"x").await, Err(Error::InvalidLevel(0xFF)));
        assert_eq!(u.try_write(b"x").await, Ok(1));
        assert_eq!(c.borrow().empty_thr_writes(), 0);
    }

    pub async fn gpio_outputs_drive_and_inputs_read() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = uart(&c, Sc16is750, &Config::default()).await;
        u.configure_gpio_output(GpioPin::new(0).unwrap(), true).await.unwrap();
        u.configure_gpio_output(GpioPin::new(7).unwrap(), false).await.unwrap();
        assert_eq!(c.borrow().gpio_output_levels() & 0x81, 0x01);
        u.set_gpio_pin(GpioPin::new(7).unwrap(), true).await.unwrap();
        assert_eq!(c.borrow().gpio_output_levels() & 0x81, 0x81);
        c.borrow_mut().set_gpio_inputs(0x10);
        assert_eq!(u.gpio_levels().await.unwrap() & 0x91, 0x91);
        u.set_gpio_interrupts(0x10).await.unwrap();
        u.set_interrupts(Interrupts::empty()).await.unwrap();
        c.borrow_mut().set_gpio_inputs(0x00);
        assert_eq!(u.pending_interrupt().await, Ok(Some(InterruptSource::Gpio)));
        u.gpio_levels().await.unwrap();
        assert_eq!(u.pending_interrupt().await, Ok(None));
    }

    pub async fn two_channels_of_a_752_are_independent() {
        let c = chip(SimVariant::Sc16is752);
        let mut a = uart(&c, Sc16is752, &Config::new(9_600.Hz())).await;
        let mut b = Sc16is7xx::new_i2c(SharedSim(&c), Address::DEFAULT, XTAL.Hz(), Sc16is752).on_channel_b();
        b.init(&Config::new(115_200.Hz()).format(LineFormat::F8O1))
            .await
            .unwrap();
        assert_eq!((c.borrow().baud_rate(0), c.borrow().baud_rate(1)), (9_600, 115_200));
        assert_eq!((c.borrow().reg(0, Reg::Lcr), c.borrow().reg(1, Reg::Lcr)), (0x03, 0x0B));
        b.write_all(b"B").await.unwrap();
        a.write_all(b"A").await.unwrap();
        c.borrow_mut().settle();
        let mut line = [0; 4];
        assert_eq!(c.borrow_mut().take_transmitted(1, &mut line), 1);
        assert_eq!(line[0], b'B');
        assert_eq!(c.borrow_mut().take_transmitted(0, &mut line), 1);
        assert_eq!(line[0], b'A');
    }

    pub async fn a_wrong_address_is_a_nack() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = Sc16is7xx::new_i2c(SharedSim(&c), Address::raw(0x4D).unwrap(), XTAL.Hz(), Sc16is740);
        let e = u.check_presence().await.unwrap_err();
        assert!(e.is_nack());
    }

    /// Every operation on an absent chip (nothing at 0x4D) reports the NACK, none panics or hangs.
    pub async fn every_operation_reports_a_nack_from_an_absent_chip() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = Sc16is7xx::new_i2c(SharedSim(&c), Address::raw(0x4D).unwrap(), XTAL.Hz(), Sc16is750);
        let pin = GpioPin::new(1).unwrap();
        let mut buffer = [0; 4];
        let results = [
            u.init(&Config::default()).await.map(drop),
            u.software_reset(&mut NoopDelay).await,
            u.check_presence().await,
            u.write_scratch(1).await,
            u.read_scratch().await.map(drop),
            u.set_baud_rate(9_600.Hz()).await.map(drop),
            u.set_divisor(1, Prescaler::Div1).await,
            u.baud_rate().await.map(drop),
            u.set_line_format(LineFormat::F8N1).await,
            u.line_format().await.map(drop),
            u.set_break(true).await,
            u.set_fifo(FifoConfig::default()).await,
            u.set_trigger_levels(TriggerLevels::default()).await.map(drop),
            u.rx_level().await.map(drop),
            u.tx_space().await.map(drop),
            u.try_write(b"x").await.map(drop),
            u.try_read(&mut buffer).await.map(drop),
            u.line_status().await.map(drop),
            u.transmitter_idle().await.map(drop),
            u.flush().await,
            u.write_all(b"x").await,
            u.set_interrupts(Interrupts::RX_DATA).await,
            u.interrupts().await.map(drop),
            u.pending_interrupt().await.map(drop),
            u.set_sleep(true).await,
            u.modem_status().await.map(drop),
            u.set_rts(true).await,
            u.set_dtr(true).await,
            u.set_loopback(true).await,
            u.set_transmitter_enabled(true).await,
            u.set_receiver_enabled(true).await,
            u.set_hardware_flow_control(HardwareFlowControl::default())
                .await
                .map(drop),
            u.set_software_flow_control(&SoftwareFlowControl::default())
                .await
                .map(drop),
            u.set_special_character(Some(1)).await,
            u.set_rs485(Rs485::default()).await,
            u.set_irda(IrdaMode::Standard).await,
            u.set_gpio_direction(1).await,
            u.gpio_direction().await.map(drop),
            u.set_gpio_outputs(1).await,
            u.set_gpio_pin(pin, true).await,
            u.gpio_output_latch().await.map(drop),
            u.gpio_levels().await.map(drop),
            u.configure_gpio_output(pin, true).await,
            u.configure_gpio_input(pin).await,
            u.set_gpio_interrupts(1).await,
            u.set_gpio_latch(true).await,
            u.set_modem_pins(true).await,
        ];
        for (i, result) in results.iter().enumerate() {
            assert!(matches!(result, Err(e) if e.is_nack()), "operation {i}: {result:?}");
        }
        // each stopped at its first transaction
        assert_eq!(c.borrow().transactions() as usize, results.len());
        // FCR was never written: nothing to reset from, nothing sent
        assert_eq!(u.reset_fifos(true, true).await, Err(Error::NotConfigured));
    }

    pub async fn spi_works_the_same() {
        let c = chip(SimVariant::Sc16is750);
        let mut u = Sc16is7xx::new_spi(SharedSim(&c), XTAL.Hz(), Sc16is750);
        u.init(&Config::new(38_400.Hz())).await.unwrap();
        u.check_presence().await.unwrap();
        u.set_loopback(true).await.unwrap();
        u.write_all(&counting::<64>()).await.unwrap();
        c.borrow_mut().settle();
        let mut buffer = [0; 64];
        assert_eq!(u.try_read(&mut buffer).await, Ok(64));
        assert_eq!(&buffer[..], &counting::<64>()[..]);
        assert_eq!(c.borrow().baud_rate(0), 38_400);
    }

    pub async fn a_failed_write_is_reported_and_a_retry_lands() {
        for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(1)] {
            let c = chip(SimVariant::Sc16is740);
            let mut u = Sc16is7xx::new_i2c(FaultyBus::new(SharedSim(&c)), Address::DEFAULT, XTAL.Hz(), Sc16is740);
            u.init(&Config::default()).await.unwrap();
            u.bus_mut().fail_nth(0, point);
            assert!(u.set_line_format(LineFormat::F7E1).await.is_err(), "{point:?}");
            // called again, the call lands as if the first had never been made
            u.set_line_format(LineFormat::F7E1).await.unwrap();
            assert_eq!(u.line_format().await, Ok(LineFormat::F7E1), "{point:?}");
            assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x1A, "{point:?}");
            assert_eq!(u.bus().faults(), 1);
            // and the UART still carries data
            u.write_all(b"ok").await.unwrap();
            u.flush().await.unwrap();
            c.borrow_mut().settle();
            let mut line = [0; 4];
            assert_eq!(c.borrow_mut().take_transmitted(0, &mut line), 2, "{point:?}");
        }
    }

    pub async fn a_read_sleeps_until_data_arrives() {
        read_until_data_arrives().await;
    }

    /// IRQ-driven async I/O on the simulator's IRQ pin: the reader sleeps until the RX time-out wakes it.
    #[maybe_async_cfg::only_if(key = "async")]
    async fn read_until_data_arrives() {
        use embedded_io_async::{Read, Write};
        use sc16is740::sim::SimIrqPin;
        use sc16is740::Sc16is7xxIrq;
        let c = chip(SimVariant::Sc16is740);
        let mut u = Sc16is7xx::new_i2c(SharedSim(&c), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        u.init(&Config::default()).await.unwrap();
        let mut uart = Sc16is7xxIrq::new(u, SimIrqPin::new(&c, 0));
        // three characters arrive later: below the trigger level of 8, so the RX time-out wakes the reader
        c.borrow_mut().receive(0, b"abc");
        let mut buffer = [0; 16];
        let n = uart.read(&mut buffer).await.unwrap();
        assert_eq!(&buffer[..n], &b"abc"[..n]);
        uart.write_all(b"echo").await.unwrap();
        uart.flush().await.unwrap();
        c.borrow_mut().settle();
        let mut line = [0; 8];
        assert_eq!(c.borrow_mut().take_transmitted(0, &mut line), 4);
    }

    /// The blocking driver has no IRQ wrapper: the same exchange, polled.
    #[maybe_async_cfg::only_if(key = "sync")]
    fn read_until_data_arrives() {
        let c = chip(SimVariant::Sc16is740);
        let mut u = Sc16is7xx::new_i2c(SharedSim(&c), Address::DEFAULT, XTAL.Hz(), Sc16is740);
        u.init(&Config::default()).unwrap();
        let mut buffer = [0; 16];
        assert_eq!(u.try_read(&mut buffer), Ok(0));
        // three characters arrive on the line, one after the other: polled until all are in
        c.borrow_mut().receive(0, b"abc");
        let mut got = 0;
        for _ in 0..100 {
            got += u.try_read(&mut buffer[got..]).unwrap();
            if got == 3 {
                break;
            }
        }
        assert_eq!(&buffer[..got], b"abc");
        u.write_all(b"echo").unwrap();
        u.flush().unwrap();
        c.borrow_mut().settle();
        let mut line = [0; 8];
        assert_eq!(c.borrow_mut().take_transmitted(0, &mut line), 4);
    }

    pub async fn the_spi_aliases_name_the_drivers() {
        let chip = chip(SimVariant::Sc16is750);
        let mut u: Sc16is7xxSpi<SharedSim<'_>, Sc16is750> = Sc16is7xx::new_spi(SharedSim(&chip), XTAL.Hz(), Sc16is750);
        assert_eq!(
            u.init(&Config::default()).await.map(|rate| rate.actual.raw()),
            Ok(115_200)
        );
        let _: Sc16is7xxSpi<SharedSim<'_>> = Sc16is7xx::new_spi(SharedSim(&chip), XTAL.Hz(), Sc16is740);
        #[cfg(feature = "async")]
        {
            let _: sc16is740::Sc16is7xxAsyncSpi<SharedSim<'_>> =
                sc16is740::Sc16is7xxAsync::new_spi(SharedSim(&chip), XTAL.Hz(), Sc16is740);
        }
    }
}

both!(
    two_uarts_talk_in_7e1,
    a_format_mismatch_is_a_framing_error,
    good_bytes_around_a_bad_one_are_kept,
    a_bad_character_arriving_mid_read_is_still_caught,
    two_drivers_share_iocontrol,
    an_overrun_comes_after_the_sixty_four_good_bytes,
    loopback_hears_itself,
    every_sequence_leaves_the_general_set_and_no_gated_write_is_lost,
    auto_cts_holds_the_transmitter,
    software_reset_then_init,
    the_rx_timeout_erratum_is_cleared,
    a_glitched_txlvl_is_refused,
    gpio_outputs_drive_and_inputs_read,
    two_channels_of_a_752_are_independent,
    a_wrong_address_is_a_nack,
    every_operation_reports_a_nack_from_an_absent_chip,
    spi_works_the_same,
    a_failed_write_is_reported_and_a_retry_lands,
    a_read_sleeps_until_data_arrives,
    the_spi_aliases_name_the_drivers,
);
