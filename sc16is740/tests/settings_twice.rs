//! Settings against the simulator, both drivers: a setting applied twice holds (a bit already set is kept, not
//! toggled), a setting turned off again clears exactly its bits, and the settings around it stay.
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
    use sc16is740::{Sc16is750, Sc16is7xx};

    fn chip() -> RefCell<Sc16is7xxSim> {
        RefCell::new(Sc16is7xxSim::new(SimVariant::Sc16is750, XTAL.Hz()))
    }

    async fn ready(chip: &RefCell<Sc16is7xxSim>) -> Sc16is7xx<sc16is740::I2cInterface<SharedSim<'_>>, Sc16is750> {
        let mut u = Sc16is7xx::new_i2c(SharedSim(chip), Address::DEFAULT, XTAL.Hz(), Sc16is750);
        u.init(&Config::default()).await.unwrap();
        u
    }

    pub async fn break_and_sleep_set_twice_stay_set() {
        let c = chip();
        let mut u = ready(&c).await;
        for _ in 0..2 {
            u.set_break(true).await.unwrap();
            u.set_sleep(true).await.unwrap();
            assert_eq!(c.borrow().reg(0, Reg::Lcr), 0x43);
            assert_eq!(c.borrow().reg(0, Reg::Ier), 0x10);
        }
        u.set_break(false).await.unwrap();
        u.set_sleep(false).await.unwrap();
        assert_eq!((c.borrow().reg(0, Reg::Lcr), c.borrow().reg(0, Reg::Ier)), (0x03, 0x00));
    }

    /// Auto-CTS, then special-character detection and Xon/Xoff with Xon Any, each twice: every EFR bit stays.
    pub async fn flow_control_settings_keep_each_other() {
        let c = chip();
        let mut u = ready(&c).await;
        u.set_hardware_flow_control(HardwareFlowControl {
            auto_rts: false,
            auto_cts: true,
            levels: FlowLevels::default(),
        })
        .await
        .unwrap();
        for _ in 0..2 {
            u.set_special_character(Some(0x21)).await.unwrap();
            assert_eq!(c.borrow().reg(0, Reg::Efr), 0x10 | 0x80 | 0x20);
            assert_eq!(c.borrow().reg(0, Reg::Xoff2), 0x21);
        }
        let flow = SoftwareFlowControl {
            xon_any: true,
            ..SoftwareFlowControl::default()
        };
        for _ in 0..2 {
            u.set_software_flow_control(&flow).await.unwrap();
            let (efr, mcr) = (c.borrow().reg(0, Reg::Efr), c.borrow().reg(0, Reg::Mcr));
            assert_eq!(efr & 0xF0, 0x10 | 0x80 | 0x20, "EFR {efr:#04x}");
            assert_ne!(efr & 0x0F, 0, "EFR {efr:#04x}");
            assert_eq!(mcr, 0x20, "MCR {mcr:#04x}");
        }
        // all off again: only the enhanced functions stay
        u.set_software_flow_control(&SoftwareFlowControl {
            transmit: SoftwareFlowTx::None,
            receive: SoftwareFlowRx::None,
            ..SoftwareFlowControl::default()
        })
        .await
        .unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Mcr), 0x00, "Xon Any left on");
        u.set_special_character(None).await.unwrap();
        u.set_hardware_flow_control(HardwareFlowControl {
            auto_rts: true,
            auto_cts: true,
            levels: FlowLevels::default(),
        })
        .await
        .unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efr), 0x10 | 0xC0);
        u.set_hardware_flow_control(HardwareFlowControl::default())
            .await
            .unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efr), 0x10);
        assert_eq!(c.borrow().gated_writes_dropped(), 0);
    }

    /// RS-485 on, then off: the three EFCR bits go, the transmitter-disable bit set apart stays; RS-485 without
    /// an address turns special-character detection (address detection) off.
    pub async fn rs485_off_clears_its_bits_only() {
        let c = chip();
        let mut u = ready(&c).await;
        u.set_special_character(Some(0x42)).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efr), 0x30);
        u.set_receiver_enabled(false).await.unwrap();
        let on = Rs485 {
            auto_direction: true,
            invert_rts: true,
            multidrop: true,
            address: None,
        };
        u.set_rs485(on).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efr), 0x10);
        u.set_rs485(on).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efcr), 0x31 | 0x02);
        u.set_rs485(Rs485::default()).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::Efcr), 0x02);
    }

    /// GPIO: an output configured twice stays an output driving its level, a pin set twice stays set, an input
    /// interrupt and the IOControl bits enabled twice stay enabled.
    pub async fn gpio_settings_twice_hold() {
        let c = chip();
        let mut u = ready(&c).await;
        let (p3, p5) = (GpioPin::new(3).unwrap(), GpioPin::new(5).unwrap());
        for _ in 0..2 {
            u.configure_gpio_output(p3, true).await.unwrap();
            assert_eq!(c.borrow().reg(0, Reg::IoDir), 0x08);
            assert_eq!(c.borrow().gpio_output_levels() & 0x08, 0x08);
            // the driver's own view of the latch (for tests against the simulator): GPIO3 known, high
            assert_eq!(u.cached_latch(), (0x08, 0x08));
        }
        u.configure_gpio_output(p5, false).await.unwrap();
        for _ in 0..2 {
            u.set_gpio_pin(p3, true).await.unwrap();
            u.set_gpio_pin(p5, true).await.unwrap();
            assert_eq!(c.borrow().gpio_output_levels() & 0x28, 0x28);
        }
        u.set_gpio_pin(p5, false).await.unwrap();
        assert_eq!(c.borrow().gpio_output_levels() & 0x28, 0x08);
        assert_eq!(u.gpio_output_latch().await, Ok(0x08));
        u.configure_gpio_input(p5).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::IoDir), 0x08);
        for _ in 0..2 {
            u.set_gpio_interrupt(p5, true).await.unwrap();
            assert_eq!(c.borrow().reg(0, Reg::IoIntEna), 0x20);
            u.set_gpio_latch(true).await.unwrap();
            u.set_modem_pins(true).await.unwrap();
            assert_eq!(c.borrow().reg(0, Reg::IoControl), 0x03);
        }
        u.set_gpio_interrupt(p5, false).await.unwrap();
        u.set_gpio_latch(false).await.unwrap();
        assert_eq!(c.borrow().reg(0, Reg::IoIntEna), 0x00);
        assert_eq!(c.borrow().reg(0, Reg::IoControl), 0x02);
    }
}

both!(
    break_and_sleep_set_twice_stay_set,
    flow_control_settings_keep_each_other,
    rs485_off_clears_its_bits_only,
    gpio_settings_twice_hold,
);
