//! Property tests of the power manager (feature `power-manager`): random worlds (supplies plugged and unplugged,
//! the battery taken out and put back, thermal faults, watchdog expiries, HIZ and register resets behind its back,
//! gauge alerts) and random bus faults through `sim::FaultyBus`, polled at random times. After every poll, Ok or
//! Err:
//! - no REG00 write during input detection, no reserved bit written wrongly, no multi-byte access to REG09, no
//!   register reset the test did not make;
//! - the poll made no more than 12 transactions.
//!
//! And once the faults stop and the world settles (adapter in, battery in, no fault), a few polls at
//! `next_poll` bring the chip back to the config and the manager to the truth: the Electron registers (or the
//! config with the watchdog armed), source USB adapter, battery charging.
//!
//! The async manager runs the same worlds with its poll futures dropped at random await points.
//!
//! The case count comes from `PROPTEST_CASES` (default 256).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use std::cell::RefCell;
use std::rc::Rc;

use bq24195::power::{BatteryState, FuelGauge, Instant, PowerConfig, PowerManager, PowerSource};
use bq24195::sim::{Bq24195Sim, FaultyBus, SimFault, Supply};
use bq24195::{Bq24195, Watchdog};
use common::Shared;
use fugit::ExtU32;
use proptest::prelude::*;

type Bus = Shared<FaultyBus<Bq24195Sim>>;

/// What the stand-in gauge reads.
#[derive(Debug, Default)]
struct World {
    cell_mv: u16,
    alert: bool,
}

#[derive(Debug, Clone)]
struct Gauge(Rc<RefCell<World>>);

impl FuelGauge for Gauge {
    type Error = ();
    fn cell_voltage_mv(&mut self) -> Result<u16, ()> {
        Ok(self.0.borrow().cell_mv)
    }
    fn state_of_charge_256ths(&mut self) -> Result<u16, ()> {
        Ok(50 * 256)
    }
    fn quick_start(&mut self) -> Result<(), ()> {
        Ok(())
    }
    fn take_low_battery_alert(&mut self) -> Result<bool, ()> {
        Ok(core::mem::take(&mut self.0.borrow_mut().alert))
    }
}

#[cfg(feature = "async")]
impl bq24195::power::FuelGaugeAsync for Gauge {
    type Error = ();
    async fn cell_voltage_mv(&mut self) -> Result<u16, ()> {
        Ok(self.0.borrow().cell_mv)
    }
    async fn state_of_charge_256ths(&mut self) -> Result<u16, ()> {
        Ok(50 * 256)
    }
    async fn quick_start(&mut self) -> Result<(), ()> {
        Ok(())
    }
    async fn take_low_battery_alert(&mut self) -> Result<bool, ()> {
        Ok(core::mem::take(&mut self.0.borrow_mut().alert))
    }
}

/// Both managers behind one face, so that one run drives either; the async one can drop its poll future after a
/// number of polls (with the bus yielding around every transaction).
trait Manager {
    /// Polls at `ms`; `drop_after` polls of an async future, then it is dropped (`None`: run to the end).
    fn poll_at(&mut self, ms: u64, drop_after: Option<usize>);
    fn next_ms(&self) -> u64;
    fn state(&self) -> (BatteryState, PowerSource);
}

impl Manager for PowerManager<Bus, Gauge> {
    fn poll_at(&mut self, ms: u64, _: Option<usize>) {
        let _ = self.poll(Instant::from_ticks(ms));
    }
    fn next_ms(&self) -> u64 {
        self.next_poll().ticks()
    }
    fn state(&self) -> (BatteryState, PowerSource) {
        (self.battery_state(), self.power_source())
    }
}

#[cfg(feature = "async")]
impl Manager for bq24195::power::PowerManagerAsync<Bus, Gauge> {
    fn poll_at(&mut self, ms: u64, drop_after: Option<usize>) {
        let future = self.poll(Instant::from_ticks(ms));
        match drop_after {
            Some(polls) => {
                let _ = common::poll_then_drop(future, polls);
            }
            None => {
                let _ = common::block_on(future);
            }
        }
    }
    fn next_ms(&self) -> u64 {
        self.next_poll().ticks()
    }
    fn state(&self) -> (BatteryState, PowerSource) {
        (self.battery_state(), self.power_source())
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Poll {
        after_ms: u16,
        fault_per_mille: u16,
        drop_after: Option<u8>,
    },
    Plug(bool),
    Unplug,
    FinishDetection,
    RemoveBattery,
    InsertBattery,
    Thermal(bool),
    Elapse(u8),
    Hiz,
    ResetByOther,
    Alert,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0u16..3_000, prop_oneof![Just(0u16), 0u16..300], proptest::option::of(1u8..30))
            .prop_map(|(after_ms, fault_per_mille, drop_after)| Step::Poll { after_ms, fault_per_mille, drop_after }),
        1 => any::<bool>().prop_map(Step::Plug),
        1 => Just(Step::Unplug),
        1 => Just(Step::FinishDetection),
        1 => Just(Step::RemoveBattery),
        1 => Just(Step::InsertBattery),
        1 => any::<bool>().prop_map(Step::Thermal),
        1 => (0u8..60).prop_map(Step::Elapse),
        1 => Just(Step::Hiz),
        1 => Just(Step::ResetByOther),
        1 => Just(Step::Alert),
    ]
}

/// The test's own bytes for the Electron config, and the same with the 40 s watchdog armed (REG05 0x9A).
const ELECTRON: [u8; 8] = [0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B];

fn check_clean(bus: &Bus, resets_by_test: u32) {
    let b = bus.get();
    let sim = b.inner();
    assert_eq!(sim.writes_during_detection(), 0);
    assert_eq!(sim.reserved_bit_writes(), 0);
    assert_eq!(sim.multi_byte_fault_accesses(), 0);
    assert_eq!(sim.register_resets(), resets_by_test);
}

fn run<M: Manager>(steps: &[Step], seed: u64, watchdog: bool, make: impl FnOnce(Bus, Gauge, PowerConfig) -> M) {
    let mut sim = Bq24195Sim::new();
    sim.set_battery_mv(3_700);
    let bus = Shared::new(FaultyBus::new(sim));
    let world = Rc::new(RefCell::new(World {
        cell_mv: 3_700,
        alert: false,
    }));
    let mut config = PowerConfig::electron();
    if watchdog {
        config.charger.watchdog = Watchdog::S40;
    }
    let mut pm = make(bus.clone(), Gauge(world.clone()), config);
    let mut now_ms = 0u64;
    let mut resets = 0;
    for (index, step) in steps.iter().enumerate() {
        match *step {
            Step::Poll {
                after_ms,
                fault_per_mille,
                drop_after,
            } => {
                now_ms += u64::from(after_ms);
                bus.get().fail_randomly(seed ^ index as u64, fault_per_mille);
                let before = bus.get().transactions();
                bus.get().yield_around_transactions(drop_after.is_some());
                pm.poll_at(now_ms, drop_after.map(usize::from));
                bus.get().yield_around_transactions(false);
                bus.get().stop_failing();
                assert!(bus.get().transactions() - before <= 12, "step {index}");
            }
            Step::Plug(adapter) => {
                let supply = if adapter { Supply::Adapter } else { Supply::UsbHost };
                bus.get().inner_mut().plug_in(supply);
            }
            Step::Unplug => bus.get().inner_mut().unplug(),
            Step::FinishDetection => bus.get().inner_mut().finish_input_detection(),
            Step::RemoveBattery => {
                bus.get().inner_mut().remove_battery();
                world.borrow_mut().cell_mv = 0;
            }
            Step::InsertBattery => {
                bus.get().inner_mut().insert_battery(3_700);
                world.borrow_mut().cell_mv = 3_700;
            }
            Step::Thermal(on) => {
                if on {
                    bus.get().inner_mut().raise_fault(SimFault::ThermalShutdown);
                } else {
                    bus.get().inner_mut().clear_fault(SimFault::ThermalShutdown);
                }
            }
            Step::Elapse(s) => bus.get().inner_mut().elapse(u32::from(s).secs()),
            Step::Hiz => {
                let reg00 = bus.get().inner().register(0);
                bus.get().inner_mut().poke(0, reg00 | 0x80);
            }
            Step::ResetByOther => {
                embedded_hal::i2c::I2c::write(bus.get().inner_mut(), 0x6B, &[0x01, 0x9B]).unwrap();
                resets += 1;
            }
            Step::Alert => world.borrow_mut().alert = true,
        }
        check_clean(&bus, resets);
    }

    // the world settles: adapter in, detection over, battery in, no fault
    {
        let mut b = bus.get();
        let sim = b.inner_mut();
        sim.unplug();
        sim.plug_in(Supply::Adapter);
        sim.finish_input_detection();
        sim.insert_battery(3_700);
        sim.clear_fault(SimFault::ThermalShutdown);
    }
    world.borrow_mut().cell_mv = 3_700;
    for _ in 0..30 {
        now_ms = pm.next_ms().max(now_ms + 1);
        pm.poll_at(now_ms, None);
        check_clean(&bus, resets);
        if pm.state() == (BatteryState::Charging, PowerSource::UsbAdapter) {
            break;
        }
    }
    // one more settled poll: the config is in place
    now_ms = pm.next_ms().max(now_ms + 1);
    let before = bus.get().faults();
    pm.poll_at(now_ms, None);
    assert_eq!(bus.get().faults(), before);
    let mut expected = ELECTRON;
    if watchdog {
        expected[5] = 0x9A;
    }
    // without the command bits, which read 1 for a moment after a kick (REG01 bits 7:6, REG07 bit 7)
    let self_clearing = [0, 0xC0, 0, 0, 0, 0, 0, 0x80];
    let control: [u8; 8] = core::array::from_fn(|r| bus.get().inner().register(r as u8) & !self_clearing[r]);
    assert_eq!(control, expected);
    assert_eq!(pm.state(), (BatteryState::Charging, PowerSource::UsbAdapter));
    assert!(bus.get().inner().in_host_mode());
}

use bq24195::Variant;

proptest! {
    #[test]
    fn any_world_and_any_faults_keep_the_invariants_and_converge(
        steps in proptest::collection::vec(step(), 1..40),
        seed in any::<u64>(),
        watchdog in any::<bool>(),
    ) {
        run(&steps, seed, watchdog, |bus, gauge, config| {
            PowerManager::new(Bq24195::new(bus, Variant::Bq24195), gauge, config)
        });
    }

    /// The async manager, its poll futures dropped at random await points too.
    #[cfg(feature = "async")]
    #[test]
    fn the_async_manager_too_with_futures_dropped_anywhere(
        steps in proptest::collection::vec(step(), 1..40),
        seed in any::<u64>(),
        watchdog in any::<bool>(),
    ) {
        run(&steps, seed, watchdog, |bus, gauge, config| {
            bq24195::power::PowerManagerAsync::new(bq24195::Bq24195Async::new(bus, Variant::Bq24195), gauge, config)
        });
    }
}
