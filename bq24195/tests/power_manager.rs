//! The power manager (feature `power-manager`) on the simulated bq24195 and a stand-in gauge, through both
//! managers: one test per scenario, each asserting the states, the events and the register bytes that matter,
//! and the fault-tolerance invariants (a bus error at every step, a stuck bus, a failing gauge, dropped futures).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

/// The test's own view of the chip (never the driver's constants).
mod bits {
    pub const REG00: u8 = 0x00;
    pub const REG01: u8 = 0x01;
    pub const REG04: u8 = 0x04;
    pub const REG05: u8 = 0x05;
    pub const REG07: u8 = 0x07;
    pub const EN_HIZ: u8 = 0x80;
    pub const IINLIM: u8 = 0x07;
    pub const IINLIM_900: u8 = 0b011;
    pub const IINLIM_500: u8 = 0b010;
    pub const IINLIM_1500: u8 = 0b101;
    pub const CHG_CONFIG: u8 = 0x30;
    pub const CHG_CHARGE: u8 = 0x10;
    pub const VRECHG: u8 = 0x01;
    pub const WATCHDOG: u8 = 0x30;
    pub const WATCHDOG_40S: u8 = 0x10;
    pub const EN_TIMER: u8 = 0x08;
    pub const BATFET_DISABLE: u8 = 0x20;
    /// What `Config::electron()` puts in REG00–REG07.
    pub const ELECTRON: [u8; 8] = [0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B];
}

/// A stand-in fuel gauge implementing the manager's gauge traits; the test sets what it reads and sees what the
/// manager asked of it.
mod gauge {
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Debug, Default)]
    pub struct State {
        pub cell_mv: u16,
        pub soc_256ths: u16,
        pub alert: bool,
        pub quick_starts: u32,
        pub voltage_reads: u32,
        /// The next this many calls fail.
        pub fail: u32,
        /// The next this many quick-starts fail.
        pub fail_quick_starts: u32,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct GaugeFault;

    #[derive(Debug, Clone, Default)]
    pub struct TestGauge(pub Rc<RefCell<State>>);

    impl TestGauge {
        pub fn new(cell_mv: u16) -> Self {
            let gauge = Self::default();
            gauge.get().cell_mv = cell_mv;
            gauge.get().soc_256ths = 50 * 256;
            gauge
        }

        pub fn get(&self) -> std::cell::RefMut<'_, State> {
            self.0.borrow_mut()
        }

        fn call(&self) -> Result<(), GaugeFault> {
            let mut state = self.get();
            if state.fail > 0 {
                state.fail -= 1;
                return Err(GaugeFault);
            }
            Ok(())
        }

        fn voltage(&self) -> Result<u16, GaugeFault> {
            self.call()?;
            self.get().voltage_reads += 1;
            Ok(self.get().cell_mv)
        }

        fn soc(&self) -> Result<u16, GaugeFault> {
            self.call()?;
            Ok(self.get().soc_256ths)
        }

        fn quick(&self) -> Result<(), GaugeFault> {
            self.call()?;
            if self.get().fail_quick_starts > 0 {
                self.get().fail_quick_starts -= 1;
                return Err(GaugeFault);
            }
            self.get().quick_starts += 1;
            Ok(())
        }

        fn alert(&self) -> Result<bool, GaugeFault> {
            self.call()?;
            Ok(core::mem::take(&mut self.get().alert))
        }
    }

    impl bq24195::power::FuelGauge for TestGauge {
        type Error = GaugeFault;
        fn cell_voltage_mv(&mut self) -> Result<u16, GaugeFault> {
            self.voltage()
        }
        fn state_of_charge_256ths(&mut self) -> Result<u16, GaugeFault> {
            self.soc()
        }
        fn quick_start(&mut self) -> Result<(), GaugeFault> {
            self.quick()
        }
        fn take_low_battery_alert(&mut self) -> Result<bool, GaugeFault> {
            self.alert()
        }
    }

    #[cfg(feature = "async")]
    impl bq24195::power::FuelGaugeAsync for TestGauge {
        type Error = GaugeFault;
        async fn cell_voltage_mv(&mut self) -> Result<u16, GaugeFault> {
            self.voltage()
        }
        async fn state_of_charge_256ths(&mut self) -> Result<u16, GaugeFault> {
            self.soc()
        }
        async fn quick_start(&mut self) -> Result<(), GaugeFault> {
            self.quick()
        }
        async fn take_low_battery_alert(&mut self) -> Result<bool, GaugeFault> {
            self.alert()
        }
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        PowerManager(sync = "PowerManager", async = "PowerManagerAsync")
    ),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::bits;
    use super::common::*;
    use super::gauge::{GaugeFault, TestGauge};
    use bq24195::power::{
        ApplyReasons, BatteryState, Event, Events, InputLimitPolicy, Instant, PowerConfig, PowerError, PowerManager,
        PowerSource, UsbState,
    };
    use bq24195::sim::{Bq24195Sim, FaultPoint, FaultyBus, SimFault, Supply};
    use bq24195::{Bq24195, ChargeFault, Watchdog};
    use fugit::ExtU32;
    use std::cell::Cell;
    use std::rc::Rc;

    type Bus = Shared<FaultyBus<Bq24195Sim>>;
    type Manager = PowerManager<Bus, TestGauge, Box<dyn FnMut()>>;

    /// The board: the simulated charger behind a fault injector, the stand-in gauge, the manager, a clock, and
    /// a counter of bus clears.
    struct Board {
        bus: Bus,
        gauge: TestGauge,
        pm: Manager,
        now_ms: u64,
        clears: Rc<Cell<u32>>,
    }

    fn sim_on(supply: Option<Supply>, battery_mv: u16) -> Bq24195Sim {
        let mut sim = Bq24195Sim::new();
        sim.set_battery_mv(battery_mv);
        if let Some(supply) = supply {
            sim.plug_in(supply);
            sim.finish_input_detection();
        }
        sim
    }

    fn board(sim: Bq24195Sim, config: PowerConfig) -> Board {
        let bus = Shared::new(FaultyBus::new(sim));
        let gauge = TestGauge::new(3_700);
        let clears = Rc::new(Cell::new(0));
        let counter = clears.clone();
        let clear: Box<dyn FnMut()> = Box::new(move || counter.set(counter.get() + 1));
        let pm = PowerManager::new(Bq24195::new(bus.clone(), STANDARD), gauge.clone(), config).with_bus_clear(clear);
        Board {
            bus,
            gauge,
            pm,
            now_ms: 0,
            clears,
        }
    }

    impl Board {
        /// Polls at `now_ms`.
        async fn poll(&mut self) -> Result<Events, PowerError<FaultyBusError, GaugeFault>> {
            self.pm.poll(Instant::from_ticks(self.now_ms)).await
        }

        /// Polls at `now_ms`, expecting success.
        async fn ok(&mut self) -> Events {
            self.poll().await.unwrap()
        }

        /// Moves the clock to the manager's next poll and polls.
        async fn next(&mut self) -> Events {
            self.now_ms = self.pm.next_poll().ticks().max(self.now_ms);
            self.ok().await
        }

        /// Moves the clock by `ms` and polls (an INT edge, or the firmware's own pace).
        async fn after(&mut self, ms: u64) -> Events {
            self.now_ms += ms;
            self.ok().await
        }

        fn reg(&self, address: u8) -> u8 {
            self.bus.get().inner().register(address)
        }

        fn control(&self) -> [u8; 8] {
            core::array::from_fn(|r| self.reg(r as u8))
        }

        /// No REG00 write during detection, no reserved bit written wrongly, no multi-byte access of REG09.
        fn clean(&self) {
            let bus = self.bus.get();
            let sim = bus.inner();
            assert_eq!(sim.writes_during_detection(), 0);
            assert_eq!(sim.reserved_bit_writes(), 0);
            assert_eq!(sim.multi_byte_fault_accesses(), 0);
        }

        fn transactions(&self) -> u32 {
            self.bus.get().transactions()
        }
    }

    type FaultyBusError = bq24195::sim::FaultyBusError<ErrorKind>;

    fn reasons(events: &Events) -> ApplyReasons {
        events.config_applied.unwrap()
    }

    // ---- power-on with a charged battery ------------------------------------------------------------------

    pub async fn power_on_with_a_charged_battery() {
        // full: above both the reset charge voltage (4208 mV) and the Electron's (4112 mV)
        let mut b = board(sim_on(Some(Supply::Adapter), 4_250), PowerConfig::electron());
        assert_eq!(b.pm.battery_state(), BatteryState::Unknown);
        assert_eq!(b.pm.power_source(), PowerSource::Unknown);
        let first = b.ok().await;
        assert!(!first.is_empty());
        // started: the bus cleared first, the power-on watchdog fault flushed and reported, the Electron config
        // in REG00–REG07 (900 mA over the adapter's 1.5 A, watchdog off, charging and safety timer on)
        assert_eq!(b.clears.get(), 1);
        assert!(first.bus_cleared);
        assert!(first.faults.unwrap().watchdog_expired);
        let why = reasons(&first);
        assert!(why.start && !why.watchdog_expired && !why.registers_changed && !why.hiz && !why.input_limit);
        assert_eq!(first.power_source, Some(PowerSource::UsbAdapter));
        assert_eq!(b.control(), bits::ELECTRON);
        assert!(b.bus.get().inner().in_host_mode());
        // one "done" reading is not enough: the next, a second later, confirms it
        assert_eq!(b.pm.battery_state(), BatteryState::Unknown);
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(1_000));
        let second = b.next().await;
        assert!(!second.is_empty());
        assert_eq!(second.battery_state, Some(BatteryState::Charged));
        assert_eq!(
            second.iter().collect::<Vec<_>>(),
            [Event::BatteryState(BatteryState::Charged)]
        );
        assert_eq!(b.pm.battery_charge_256ths().await, Ok(Some(50 * 256)));
        // settled: every 10 s, three transactions (status + latched faults, REG00–REG07, REG07), nothing written
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(11_000));
        let before = b.transactions();
        assert!(b.next().await.is_empty());
        assert_eq!(b.transactions() - before, 3);
        assert_eq!(b.control(), bits::ELECTRON);
        b.clean();
    }

    // ---- unplug and re-plug ------------------------------------------------------------------------------

    pub async fn unplug_and_replug() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        let first = b.ok().await;
        assert_eq!(first.battery_state, Some(BatteryState::Charging));
        assert_eq!(b.pm.power_source(), PowerSource::UsbAdapter);

        b.bus.get().inner_mut().unplug();
        let unplugged = b.after(100).await;
        assert_eq!(unplugged.power_source, Some(PowerSource::Battery));
        assert_eq!(unplugged.battery_state, Some(BatteryState::Discharging));
        assert_eq!(unplugged.config_applied, None);

        // a USB host this time: detection runs for a few transactions with a transient 100 mA limit
        b.bus.get().inner_mut().plug_in(Supply::UsbHost);
        let detecting = b.after(100).await;
        assert_eq!(detecting.power_source, Some(PowerSource::Unknown));
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(b.now_ms + 50));
        let mut applied = None;
        for _ in 0..10 {
            let events = b.next().await;
            if events.config_applied.is_some() {
                applied = Some(events);
                break;
            }
        }
        // detection chose 500 mA; the config's 900 mA is applied again once detection is over
        let applied = applied.unwrap();
        assert!(reasons(&applied).input_limit);
        assert_eq!(b.pm.power_source(), PowerSource::UsbHost);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_900);
        assert_eq!(b.control(), bits::ELECTRON);
        // the chip charges from the plug-in on (at 100 mA during detection)
        assert_eq!(detecting.battery_state, Some(BatteryState::Charging));
        assert!(b.next().await.is_empty());
        assert_eq!(b.pm.battery_state(), BatteryState::Charging);
        b.clean();
    }

    // ---- an adapter that sets 1500 mA during detection -------------------------------------------------

    async fn plug_adapter_later(config: PowerConfig) -> Board {
        let mut b = board(sim_on(None, 3_700), config);
        b.ok().await;
        assert_eq!(b.pm.power_source(), PowerSource::Battery);
        // the adapter's detection takes until the test ends it
        b.bus.get().inner_mut().set_detection_transactions(u8::MAX);
        b.bus.get().inner_mut().plug_in(Supply::Adapter);
        for _ in 0..5 {
            let events = b.after(50).await;
            assert_eq!(events.config_applied, None, "no write while detection runs");
        }
        assert_eq!(b.pm.power_source(), PowerSource::Unknown);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, 0, "the transient 100 mA");
        b.bus.get().inner_mut().finish_input_detection();
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_1500);
        b
    }

    pub async fn an_adapter_that_sets_1500_ma_gets_the_config_limit() {
        let mut b = plug_adapter_later(PowerConfig::electron()).await;
        let events = b.after(50).await;
        assert_eq!(events.power_source, Some(PowerSource::UsbAdapter));
        let why = reasons(&events);
        assert!(why.input_limit && !why.start && !why.watchdog_expired && !why.registers_changed && !why.policy);
        assert_eq!(b.control(), bits::ELECTRON);
        b.clean();
    }

    pub async fn an_adapter_that_sets_1500_ma_keeps_it_the_device_os_way() {
        let config = PowerConfig {
            input_limit: InputLimitPolicy::DetectedOnUsb,
            ..PowerConfig::electron()
        };
        let mut b = plug_adapter_later(config).await;
        let events = b.after(50).await;
        assert_eq!(events.power_source, Some(PowerSource::UsbAdapter));
        assert_eq!(events.config_applied, None);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_1500);
        let mut expected = bits::ELECTRON;
        expected[0] = (expected[0] & !bits::IINLIM) | bits::IINLIM_1500;
        assert_eq!(b.control(), expected);
        b.clean();
    }

    pub async fn vin_read_as_a_usb_host_gets_the_vin_limit() {
        let config = PowerConfig {
            input_limit: InputLimitPolicy::DetectedOnUsb,
            ..PowerConfig::electron()
        };
        // the board's USB peripheral is unpowered: the "USB host" is VIN
        let mut b = board(sim_on(Some(Supply::UsbHost), 3_700), config);
        b.pm.set_usb_state(UsbState::Unpowered);
        let events = b.ok().await;
        assert_eq!(events.power_source, Some(PowerSource::Vin));
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_900);
        // the USB stack comes up: a real USB host, whose detected 500 mA stays (after a new detection)
        b.pm.set_usb_state(UsbState::Powered);
        b.bus.get().inner_mut().unplug();
        b.after(100).await;
        b.bus.get().inner_mut().plug_in(Supply::UsbHost);
        for _ in 0..10 {
            b.next().await;
        }
        assert_eq!(b.pm.power_source(), PowerSource::UsbHost);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_500);
        // and with VIN settings for every USB host, the config's limit again
        b.pm.set_config(PowerConfig {
            vin_settings_with_usb_host: true,
            ..config
        });
        let events = b.next().await;
        assert_eq!(events.power_source, Some(PowerSource::Vin));
        assert!(reasons(&events).input_limit);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_900);
        b.clean();
    }

    pub async fn detection_that_ends_during_a_poll_reports_the_detected_source() {
        let config = PowerConfig {
            input_limit: InputLimitPolicy::DetectedOnUsb,
            ..PowerConfig::electron()
        };
        let mut b = board(sim_on(None, 3_700), config);
        b.ok().await;
        assert_eq!(b.pm.power_source(), PowerSource::Battery);
        // a USB host whose detection ends after the poll's status read (VBUS_STAT still 00) but before its
        // detection check: the source is the USB host, and its detected 500 mA stays (not VIN's 900 mA)
        // (the sim: a plug-in's detection lasts one transaction more than this)
        b.bus.get().inner_mut().set_detection_transactions(1);
        b.bus.get().inner_mut().plug_in(Supply::UsbHost);
        let events = b.after(100).await;
        assert!(!b.bus.get().inner().input_detection_running());
        assert_eq!(events.power_source, Some(PowerSource::UsbHost));
        assert_eq!(events.config_applied, None);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_500);
        assert!(b.next().await.is_empty());
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, bits::IINLIM_500);
        b.clean();
    }

    // ---- battery removed and put back --------------------------------------------------------------------

    pub async fn battery_removed_and_put_back() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.ok().await;
        assert_eq!(b.pm.battery_state(), BatteryState::Charging);
        // charging for a while first (the settling time counts from the disconnect, not from an earlier change)
        assert!(b.next().await.is_empty());
        assert_eq!(b.now_ms, 10_000);

        // no cell: the charger terminates, recharges and terminates again, pulsing INT; the firmware polls on
        // each edge
        b.bus.get().inner_mut().remove_battery();
        b.gauge.get().cell_mv = 4_112;
        let mut raised = false;
        let mut disconnected = None;
        for _ in 0..12 {
            let interrupts = b.bus.get().inner().interrupts();
            let events = b.after(100).await;
            assert!(b.bus.get().inner().interrupts() > interrupts, "INT keeps pulsing");
            raised |= b.reg(bits::REG04) & bits::VRECHG != 0;
            if events.battery_state == Some(BatteryState::Disconnected) {
                disconnected = Some(events);
                break;
            }
        }
        assert!(raised, "a first streak raises the recharge threshold to 300 mV");
        let disconnected = disconnected.unwrap();
        let why = reasons(&disconnected);
        assert!(why.policy && !why.input_limit && !why.registers_changed && !why.hiz && !why.start);
        // polled every second while VCELL settles (8 s), every 10 s from then on
        let since = b.now_ms;
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(since + 1_000));
        // charging and the safety timer off, the recharge threshold back at 100 mV
        assert_eq!(b.reg(bits::REG01) & bits::CHG_CONFIG, 0);
        assert_eq!(b.reg(bits::REG05) & bits::EN_TIMER, 0);
        assert_eq!(b.reg(bits::REG04) & bits::VRECHG, 0);
        b.gauge.get().cell_mv = 0;
        // the cell voltage is not trusted for 8 s; then it still reads nothing
        let reads = b.gauge.get().voltage_reads;
        b.after(1_000).await;
        assert_eq!(b.gauge.get().voltage_reads, reads);
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(since + 2_000));
        b.after(7_000).await;
        assert_eq!(b.gauge.get().voltage_reads, reads + 1);
        assert_eq!(b.pm.battery_state(), BatteryState::Disconnected);
        // exactly 8 s after: settled
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(since + 18_000));
        assert_eq!(b.pm.battery_charge_256ths().await, Ok(None));

        b.bus.get().inner_mut().insert_battery(3_700);
        b.gauge.get().cell_mv = 3_700;
        let back = b.after(1_000).await;
        assert_eq!(back.battery_state, Some(BatteryState::NotCharging));
        assert!(back.gauge_quick_started);
        assert_eq!(b.gauge.get().quick_starts, 1);
        let why = reasons(&back);
        assert!(why.policy && !why.input_limit && !why.registers_changed);
        assert_eq!(b.control(), bits::ELECTRON);
        let charging = b.after(1_000).await;
        assert_eq!(charging.battery_state, Some(BatteryState::Charging));
        b.clean();
    }

    // ---- charge done, confirmed a second later -----------------------------------------------------------

    pub async fn a_done_reading_is_confirmed_a_second_later_and_charging_in_between_starts_over() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        assert_eq!(b.ok().await.battery_state, Some(BatteryState::Charging));
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(10_000), "charging: settled");
        // the cell reaches the charge voltage: the chip reads "done" (INT), the manager wants a second look 1 s on
        b.bus.get().inner_mut().set_battery_mv(4_250);
        assert!(b.after(100).await.is_empty());
        assert_eq!(b.pm.battery_state(), BatteryState::Charging);
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(1_100));
        // by then the chip charges again: nothing is confirmed, nothing is waited for
        b.bus.get().inner_mut().set_battery_mv(3_700);
        assert!(b.next().await.is_empty());
        assert_eq!(b.now_ms, 1_100);
        assert_eq!(b.pm.battery_state(), BatteryState::Charging);
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(11_100));
        // "done" again, 1.9 s after the first: a first reading again, not a confirmation
        b.bus.get().inner_mut().set_battery_mv(4_250);
        assert_eq!(b.after(900).await.battery_state, None);
        assert_eq!(b.pm.battery_state(), BatteryState::Charging);
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(3_000));
        // the second "done" a second later confirms it; charged is settled
        let charged = b.next().await;
        assert!(!charged.is_empty());
        assert_eq!(charged.battery_state, Some(BatteryState::Charged));
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(13_000));
        b.clean();
    }

    // ---- watchdog ----------------------------------------------------------------------------------------

    fn watchdog_40s() -> PowerConfig {
        let mut config = PowerConfig::electron();
        config.charger.watchdog = Watchdog::S40;
        config
    }

    pub async fn an_armed_watchdog_is_kicked_in_time() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), watchdog_40s());
        b.ok().await;
        assert_eq!(b.reg(bits::REG05) & bits::WATCHDOG, bits::WATCHDOG_40S);
        let kicks = b.bus.get().inner().watchdog_kicks();
        assert!(kicks >= 1, "kicked right after the config");
        for _ in 0..20 {
            let from = b.now_ms;
            b.now_ms = b.pm.next_poll().ticks();
            let seconds = ((b.now_ms - from) / 1000) as u32;
            b.bus.get().inner_mut().elapse(seconds.secs());
            b.ok().await;
        }
        assert!(b.now_ms >= 200_000);
        assert_eq!(b.bus.get().inner().watchdog_expiries(), 0);
        assert!(b.bus.get().inner().watchdog_kicks() >= kicks + 9);
        b.clean();
    }

    pub async fn watchdog_expiry_brings_the_config_back() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), watchdog_40s());
        b.ok().await;
        let held = b.control();
        // the firmware stalls for 45 s: the chip falls back to default mode and its reset values
        b.bus.get().inner_mut().elapse(45.secs());
        assert_eq!(b.bus.get().inner().watchdog_expiries(), 1);
        assert_eq!(b.reg(bits::REG00) & bits::IINLIM, 0);
        let events = b.after(45_000).await;
        assert!(events.faults.unwrap().watchdog_expired);
        let why = reasons(&events);
        assert!(why.watchdog_expired && why.registers_changed && why.input_limit);
        assert_eq!(b.control(), held);
        assert!(b.bus.get().inner().in_host_mode());
        // the Electron config keeps the watchdog off: after an expiry it is off again
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.ok().await;
        b.bus.get().inner_mut().poke(bits::REG05, 0x9A); // watchdog armed behind the manager's back
        let events = b.after(100).await;
        assert!(reasons(&events).registers_changed);
        assert_eq!(b.reg(bits::REG05) & bits::WATCHDOG, 0);
        b.bus.get().inner_mut().elapse(200.secs());
        assert_eq!(b.bus.get().inner().watchdog_expiries(), 0);
        b.clean();
    }

    pub async fn a_register_reset_brings_the_config_back() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.ok().await;
        // another master resets every register
        embedded_hal::i2c::I2c::write(b.bus.get().inner_mut(), ADDR, &[bits::REG01, 0x9B]).unwrap();
        assert_eq!(b.bus.get().inner().register_resets(), 1);
        let events = b.after(100).await;
        let why = reasons(&events);
        assert!(why.registers_changed && why.input_limit && !why.watchdog_expired);
        assert_eq!(b.control(), bits::ELECTRON);
        b.clean();
    }

    // ---- faults ------------------------------------------------------------------------------------------

    pub async fn a_thermal_fault_is_reported_and_charging_resumes() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.ok().await;
        b.bus.get().inner_mut().raise_fault(SimFault::ThermalShutdown);
        let before = b.transactions();
        let events = b.after(10).await;
        // both fault readings: the latched one, then the present one
        assert_eq!(b.transactions() - before, 4);
        let faults = events.faults.unwrap();
        assert_eq!(faults.charge, ChargeFault::ThermalShutdown);
        assert_eq!(events.battery_state, Some(BatteryState::Fault));
        assert_eq!(b.pm.battery_state(), BatteryState::Fault);
        // charging is not turned off by the manager: the chip stopped on its own
        assert_eq!(b.reg(bits::REG01) & bits::CHG_CONFIG, bits::CHG_CHARGE);
        b.bus.get().inner_mut().clear_fault(SimFault::ThermalShutdown);
        let events = b.after(1_000).await;
        assert_eq!(events.battery_state, Some(BatteryState::Charging));
        b.clean();
    }

    pub async fn a_fault_latched_before_the_start_is_reported_by_the_first_poll() {
        let mut sim = sim_on(Some(Supply::Adapter), 3_700);
        // a battery over-voltage came and went before the firmware started: only the latch remembers it
        sim.raise_fault(SimFault::BatteryOvervoltage);
        sim.clear_fault(SimFault::BatteryOvervoltage);
        let mut b = board(sim, PowerConfig::electron());
        let first = b.ok().await;
        let faults = first.faults.unwrap();
        assert!(faults.battery_overvoltage && faults.watchdog_expired);
        // not present any more: charging
        assert_eq!(first.battery_state, Some(BatteryState::Charging));
        b.clean();
    }

    pub async fn hiz_left_on_by_an_earlier_firmware() {
        let mut sim = sim_on(Some(Supply::Adapter), 3_700);
        // the earlier firmware left the buck off and BATFET off
        sim.poke(bits::REG00, 0x80 | 0x30);
        sim.poke(bits::REG07, 0x4B | bits::BATFET_DISABLE);
        let mut b = board(sim, PowerConfig::electron());
        let events = b.ok().await;
        let why = reasons(&events);
        assert!(why.start && why.hiz);
        assert_eq!(b.reg(bits::REG00) & bits::EN_HIZ, 0);
        assert_eq!(b.reg(bits::REG07) & bits::BATFET_DISABLE, 0);
        assert_eq!(b.control(), bits::ELECTRON);
        // a config asking for HIZ or BATFET off is overruled too
        let mut config = PowerConfig::electron();
        config.charger.input.hiz = true;
        config.charger.batfet_disabled = true;
        b.pm.set_config(config);
        assert!(b.after(100).await.config_applied.is_none());
        // and HIZ set later behind the manager's back is cleared
        b.bus.get().inner_mut().poke(bits::REG00, 0x83);
        let events = b.after(100).await;
        assert!(reasons(&events).hiz);
        assert_eq!(b.control(), bits::ELECTRON);
        b.clean();
    }

    pub async fn the_low_battery_alert_is_an_event() {
        let mut b = board(sim_on(None, 3_500), PowerConfig::electron());
        b.ok().await;
        b.gauge.get().alert = true;
        // the clear fails: the alert stays raised and the next poll reports it
        b.gauge.get().fail = 1;
        assert_eq!(b.poll().await.unwrap_err(), PowerError::Gauge(GaugeFault));
        let events = b.after(100).await;
        assert!(events.low_battery);
        assert!(!b.gauge.get().alert);
        assert!(!b.after(100).await.low_battery);
    }

    pub async fn charging_disabled_by_the_config_reads_the_cell() {
        let mut config = PowerConfig::electron();
        config.charger.charge = bq24195::ChargeConfig::Disabled;
        let mut b = board(sim_on(Some(Supply::Adapter), 3_900), config);
        let events = b.ok().await;
        assert_eq!(events.battery_state, Some(BatteryState::NotCharging));
        assert_eq!(b.reg(bits::REG01) & bits::CHG_CONFIG, 0);
        assert_eq!(
            b.reg(bits::REG05) & bits::EN_TIMER,
            0,
            "the safety timer off with charging"
        );
        b.gauge.get().cell_mv = 200;
        assert_eq!(b.after(1_000).await.battery_state, Some(BatteryState::Disconnected));
        b.gauge.get().cell_mv = 3_900;
        assert_eq!(b.after(1_000).await.battery_state, None);
        let back = b.after(1_000).await;
        assert_eq!(back.battery_state, Some(BatteryState::NotCharging));
        assert!(back.gauge_quick_started);
        b.clean();
    }

    // ---- fault tolerance ---------------------------------------------------------------------------------

    /// The scenario the fault tests repeat: start on an adapter, a watchdog expiry, a re-plug through a USB
    /// host; returns the board and every event it delivered, merged.
    async fn story(fail: Option<(u32, FaultPoint)>) -> (Board, Vec<Events>, u32) {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), watchdog_40s());
        if let Some((n, point)) = fail {
            b.bus.get().fail_nth(n, point);
        }
        let mut delivered = Vec::new();
        let mut errors = 0;
        for phase in 0..4 {
            match phase {
                1 => b.bus.get().inner_mut().elapse(45.secs()),
                2 => b.bus.get().inner_mut().unplug(),
                3 => b.bus.get().inner_mut().plug_in(Supply::UsbHost),
                _ => {}
            }
            b.now_ms += if phase == 1 { 45_000 } else { 100 };
            for _ in 0..12 {
                match b.poll().await {
                    Ok(events) => delivered.push(events),
                    Err(_) => errors += 1,
                }
                b.now_ms += 50;
            }
        }
        (b, delivered, errors)
    }

    pub async fn a_bus_error_at_every_step_changes_nothing_in_the_end() {
        let (reference, _, errors) = story(None).await;
        assert_eq!(errors, 0);
        let total = reference.transactions();
        let expected = reference.control();
        assert_eq!(reference.pm.battery_state(), BatteryState::Charging);
        assert_eq!(reference.pm.power_source(), PowerSource::UsbHost);
        for n in 0..total {
            for point in [FaultPoint::BeforeChip, FaultPoint::AfterChip, FaultPoint::Partway(1)] {
                let (b, delivered, errors) = story(Some((n, point))).await;
                assert_eq!(errors, 1, "transaction {n} {point:?}");
                // the same chip, the same beliefs
                assert_eq!(b.control(), expected, "transaction {n} {point:?}");
                assert_eq!(b.pm.battery_state(), BatteryState::Charging);
                assert_eq!(b.pm.power_source(), PowerSource::UsbHost);
                b.clean();
                // nothing lost: the start and the watchdog recovery are reported, and (unless the failing
                // transaction itself took a fault reading off the chip) the watchdog faults too
                let applied: Vec<ApplyReasons> = delivered.iter().filter_map(|e| e.config_applied).collect();
                assert!(applied.iter().any(|r| r.start), "transaction {n} {point:?}");
                assert!(applied.iter().any(|r| r.watchdog_expired), "transaction {n} {point:?}");
                let watchdog_faults = delivered
                    .iter()
                    .filter(|e| e.faults.is_some_and(|f| f.watchdog_expired))
                    .count();
                if point == FaultPoint::BeforeChip {
                    assert_eq!(watchdog_faults, 2, "transaction {n} {point:?}");
                }
                assert!(b.bus.get().inner().watchdog_expiries() >= 1);
            }
        }
    }

    pub async fn a_stuck_bus_is_cleared() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.ok().await;
        assert_eq!(b.clears.get(), 1, "before the first access");
        // a bus error (SDA held low by a chip cut off mid-transfer): cleared before the next attempt
        b.bus.get().set_error_kind(ErrorKind::Bus);
        b.bus.get().fail_nth(0, FaultPoint::BeforeChip);
        assert!(b.poll().await.is_err());
        assert_eq!(b.clears.get(), 1);
        let events = b.after(100).await;
        assert!(events.bus_cleared);
        assert_eq!(b.clears.get(), 2);
        // a NACK once is no reason; twice in a row is
        b.bus.get().set_error_kind(nack());
        b.bus.get().fail_nth(0, FaultPoint::BeforeChip);
        assert!(b.poll().await.is_err());
        assert!(!b.after(100).await.bus_cleared);
        b.bus.get().fail_nth(0, FaultPoint::BeforeChip);
        assert!(b.poll().await.is_err());
        b.bus.get().fail_nth(0, FaultPoint::BeforeChip);
        assert!(b.poll().await.is_err());
        assert_eq!(b.pm.next_poll(), Instant::from_ticks(b.now_ms + 1_000));
        assert!(b.after(1_000).await.bus_cleared);
        assert_eq!(b.clears.get(), 3);
        b.clean();
    }

    pub async fn a_failing_gauge_delays_the_quick_start_but_never_loses_it() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.ok().await;
        b.bus.get().inner_mut().remove_battery();
        b.gauge.get().cell_mv = 4_112;
        for _ in 0..12 {
            if b.after(100).await.battery_state == Some(BatteryState::Disconnected) {
                break;
            }
        }
        assert_eq!(b.pm.battery_state(), BatteryState::Disconnected);
        b.bus.get().inner_mut().insert_battery(3_700);
        b.gauge.get().cell_mv = 3_700;
        b.now_ms += 8_000;
        // the voltage read fails (taken as no cell), then the quick-start fails
        b.gauge.get().fail = 1;
        assert_eq!(b.after(0).await.battery_state, None);
        b.gauge.get().fail_quick_starts = 1;
        b.now_ms += 1_000;
        assert_eq!(b.poll().await.unwrap_err(), PowerError::Gauge(GaugeFault));
        assert_eq!(b.pm.battery_state(), BatteryState::NotCharging);
        let events = b.after(1_000).await;
        assert!(events.gauge_quick_started);
        // the failed poll's NotCharging merged with this poll's reading: the latest state
        assert_eq!(events.battery_state, Some(BatteryState::Charging));
        assert_eq!(b.gauge.get().quick_starts, 1);
        assert_eq!(b.control(), bits::ELECTRON);
        b.clean();
    }

    pub async fn a_chip_that_is_not_a_bq24195_stops_the_start() {
        let mut b = board(sim_on(Some(Supply::Adapter), 3_700), PowerConfig::electron());
        b.bus.get().stuck_at(Some(0xFF));
        assert_eq!(
            b.poll().await.unwrap_err(),
            PowerError::Charger(bq24195::Error::UnexpectedDevice(0xFF))
        );
        assert!(!b.bus.get().inner().in_host_mode(), "nothing written");
        b.bus.get().stuck_at(None);
        let events = b.after(100).await;
        assert!(reasons(&events).start);
        assert_eq!(b.control(), bits::ELECTRON);
    }

    // ---- a sibling part --------------------------------------------------------------------------------------

    pub async fn the_manager_drives_a_sibling_part() {
        // a bq24192 on an adapter: PSEL low, the chip chose 3 A
        let mut sim = Bq24195Sim::bq24192();
        sim.set_battery_mv(3_700);
        sim.plug_in(Supply::Adapter);
        sim.finish_input_detection();
        let bus = Shared::new(FaultyBus::new(sim));
        let mut config = PowerConfig::electron();
        config.input_limit = InputLimitPolicy::DetectedOnUsb;
        config.charger.boost_current_limit = bq24195::BoostCurrentLimit::Ma500;
        config.charger.ir_compensation = bq24195::IrCompensation {
            resistance_mohm: 20,
            clamp_mv: 32,
        };
        let charger = Bq24195::for_part(bus.clone(), bq24195::part::Bq24192);
        let mut pm = PowerManager::new(charger, TestGauge::new(3_700), config);
        let first = pm.poll(Instant::from_ticks(0)).await.unwrap();
        assert!(reasons(&first).start);
        assert_eq!(pm.power_source(), PowerSource::UsbAdapter);
        assert_eq!(first.battery_state, Some(BatteryState::Charging));
        // the detected 3 A kept, BOOST_LIM 0, IR compensation 010 / 010 beside TREG 11
        let reg = |address: u8| bus.get().inner().register(address);
        assert_eq!(reg(bits::REG00) & bits::IINLIM, 0b111);
        assert_eq!(reg(bits::REG01), 0x1A);
        assert_eq!(reg(0x06), 0x4B); // 010 010 11
                                     // settled: nothing applied again, nothing written wrongly
        let settled = pm.poll(Instant::from_ticks(10_000)).await.unwrap();
        assert_eq!(settled.config_applied, None);
        assert_eq!(bus.get().inner().reserved_bit_writes(), 0);
        assert_eq!(bus.get().inner().writes_during_detection(), 0);

        // a bq24192 manager on a bq24192I stops at start, and says why
        let other = Shared::new(FaultyBus::new(Bq24195Sim::bq24192i()));
        let charger = Bq24195::for_part(other, bq24195::part::Bq24192);
        let mut pm = PowerManager::new(charger, TestGauge::new(3_700), PowerConfig::electron());
        let refused = pm.poll(Instant::from_ticks(0)).await;
        assert!(matches!(
            refused,
            Err(PowerError::Charger(bq24195::Error::OtherPart(0x1B)))
        ));
    }
}

both!(
    the_manager_drives_a_sibling_part,
    power_on_with_a_charged_battery,
    unplug_and_replug,
    an_adapter_that_sets_1500_ma_gets_the_config_limit,
    an_adapter_that_sets_1500_ma_keeps_it_the_device_os_way,
    vin_read_as_a_usb_host_gets_the_vin_limit,
    battery_removed_and_put_back,
    detection_that_ends_during_a_poll_reports_the_detected_source,
    a_done_reading_is_confirmed_a_second_later_and_charging_in_between_starts_over,
    an_armed_watchdog_is_kicked_in_time,
    watchdog_expiry_brings_the_config_back,
    a_register_reset_brings_the_config_back,
    a_thermal_fault_is_reported_and_charging_resumes,
    a_fault_latched_before_the_start_is_reported_by_the_first_poll,
    hiz_left_on_by_an_earlier_firmware,
    the_low_battery_alert_is_an_event,
    charging_disabled_by_the_config_reads_the_cell,
    a_bus_error_at_every_step_changes_nothing_in_the_end,
    a_stuck_bus_is_cleared,
    a_failing_gauge_delays_the_quick_start_but_never_loses_it,
    a_chip_that_is_not_a_bq24195_stops_the_start,
);

/// Cancellation (async only): a poll future dropped at any await point leaves the manager as a failed poll
/// would, and the next poll finishes the job without losing an event.
#[cfg(feature = "async")]
mod cancellation {
    use super::bits;
    use super::common::*;
    use super::gauge::TestGauge;
    use bq24195::power::{BatteryState, Events, Instant, PowerConfig, PowerManagerAsync, PowerSource};
    use bq24195::sim::{Bq24195Sim, FaultyBus, Supply};
    use bq24195::Bq24195Async;

    fn at(ms: u64) -> Instant {
        Instant::from_ticks(ms)
    }

    #[test]
    fn a_poll_dropped_at_any_await_point_is_finished_by_the_next() {
        for polls in 1..40 {
            let mut sim = Bq24195Sim::new();
            sim.set_battery_mv(3_700);
            sim.plug_in(Supply::Adapter);
            sim.finish_input_detection();
            let bus = Shared::new(FaultyBus::new(sim));
            bus.get().yield_around_transactions(true);
            let charger = Bq24195Async::new(bus.clone(), STANDARD);
            let mut pm = PowerManagerAsync::new(charger, TestGauge::new(3_700), PowerConfig::electron());
            let mut delivered: Vec<Events> = Vec::new();
            // the start, dropped part-way
            if let Some(result) = poll_then_drop(pm.poll(at(0)), polls) {
                delivered.push(result.unwrap());
            }
            // HIZ set behind the manager's back, and that poll dropped part-way too
            bus.get().inner_mut().poke(0x00, 0x83);
            if let Some(result) = poll_then_drop(pm.poll(at(100)), polls) {
                delivered.push(result.unwrap());
            }
            for ms in [200, 300] {
                delivered.push(block_on(pm.poll(at(ms))).unwrap());
            }
            let control: [u8; 8] = core::array::from_fn(|r| bus.get().inner().register(r as u8));
            assert_eq!(control, bits::ELECTRON, "dropped after {polls} polls");
            assert_eq!(pm.battery_state(), BatteryState::Charging);
            assert_eq!(pm.power_source(), PowerSource::UsbAdapter);
            let applied: Vec<_> = delivered.iter().filter_map(|e| e.config_applied).collect();
            assert!(applied.iter().any(|r| r.start), "dropped after {polls} polls");
            assert!(applied.iter().any(|r| r.hiz), "dropped after {polls} polls");
            let sim = bus.get();
            assert_eq!(sim.inner().writes_during_detection(), 0);
            assert_eq!(sim.inner().reserved_bit_writes(), 0);
        }
    }
}

/// The bus traffic of a settled poll, pinned (README: "three transactions").
mod traffic {
    use super::common::*;
    use super::gauge::TestGauge;
    use bq24195::power::{Instant, PowerConfig, PowerManager};
    use bq24195::sim::{Bq24195Sim, CountingBus, Supply, Traffic};
    use bq24195::Bq24195;

    #[test]
    fn a_settled_poll_reads_status_faults_config_and_detection() {
        let mut sim = Bq24195Sim::new();
        sim.set_battery_mv(3_700);
        sim.plug_in(Supply::Adapter);
        sim.finish_input_detection();
        let charger = Bq24195::new(CountingBus::new(sim), STANDARD);
        let mut pm = PowerManager::new(charger, TestGauge::new(3_700), PowerConfig::electron());
        pm.poll(Instant::from_ticks(0)).unwrap();
        pm.charger_mut().bus_mut().reset_traffic();
        assert!(pm.poll(Instant::from_ticks(10_000)).unwrap().is_empty());
        // REG08 + REG09 (1 + 1, 1 + 1 in one transaction), REG00–REG07 (1 + 8), REG07 (1 + 1)
        assert_eq!(
            pm.charger().bus().traffic(),
            Traffic {
                transactions: 3,
                written: 4,
                read: 11
            }
        );
        // on battery: no detection read
        pm.charger_mut().bus_mut().inner_mut().unplug();
        pm.poll(Instant::from_ticks(20_000)).unwrap();
        pm.charger_mut().bus_mut().reset_traffic();
        pm.poll(Instant::from_ticks(30_000)).unwrap();
        assert_eq!(pm.charger().bus().traffic().transactions, 2);
    }
}
