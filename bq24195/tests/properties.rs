//! Property tests (issue 12): random sequences of public operations, with random bus faults through
//! `sim::FaultyBus` (and, for the async driver, futures dropped at random await points), against the simulator.
//! After every operation, Ok or Err:
//! - the driver's cache equals the chip (REG01–REG07 without their self-clearing bits) or is unknown, and REG00 is
//!   never cached (invariants 1, 2, 7);
//! - no command was written that the operation did not ask for: register resets only by `reset_registers`,
//!   watchdog kicks only by `kick_watchdog`, input detections only by `force_input_detection` or a plug-in; no
//!   reserved bit written wrongly, no REG00 write during detection, no multi-byte access to REG09 (invariant 3);
//! - the call made no more transactions than its bound (invariant 4), none at all for a rejected argument;
//! - a setting that returned `Ok` is what the chip holds (invariant 6);
//! - a latched fault is returned at most once per time it latched, and is returned by the next fault reading when
//!   nothing failed or was dropped since it latched (invariants 5, 7).
//!
//! The case count comes from `PROPTEST_CASES` (default 256); a longer run:
//! `PROPTEST_CASES=10000 cargo test -p bq24195 --all-features --test properties`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use bq24195::sim::{Bq24195Sim, FaultyBus, FaultyBusError, SimFault, Supply};
use common::{ErrorKind, Shared};
use proptest::prelude::*;

type Bus = Shared<FaultyBus<Bq24195Sim>>;
type DriverError = bq24195::Error<FaultyBusError<ErrorKind>>;

/// The test's own view of the self-clearing bits of REG00–REG07 (never the driver's constants).
const SELF_CLEARING: [u8; 8] = [0, 0xC0, 0, 0, 0, 0, 0, 0x80];

/// One step of a run: a public operation, or something happening to the chip.
#[derive(Debug, Clone, Copy)]
enum Op {
    SetChargeConfig(u8),
    SetMinimumSystemVoltage(u16),
    SetFastChargeCurrent(u16),
    SetForce20(bool),
    SetPrechargeCurrent(u16),
    SetTerminationCurrent(u16),
    SetChargeVoltage(u16),
    SetBatteryLow(bool),
    SetRecharge(bool),
    SetTermination(bool),
    SetWatchdog(u8),
    SetSafetyTimer(bool),
    SetThermalRegulation(u8),
    SetTimerSlowdown(bool),
    SetBatfetDisabled(bool),
    SetChargeFaultInterrupt(bool),
    SetHiz(bool),
    SetInputCurrentLimit(u8),
    SetInputVoltageLimit(u16),
    KickWatchdog,
    ForceInputDetection,
    WaitForInputDetection,
    ResetRegisters,
    ApplyConfig(bool),
    ReadConfig,
    InvalidateCache,
    Faults,
    LatchedFaults,
    StatusAndFaults,
    RecoverFromWatchdog,
    Init,
    Getters,
    SetSafetyTimerDuration(u8),
    SetTerminationIndicator(bool),
    SetBatteryFaultInterrupt(bool),
    SetInputSource(bool, u8, u16),
    /// The world: a supply plugged in (starting D+/D− detection).
    PlugIn(bool),
    /// The world: a battery over-voltage that comes and goes (only the latch keeps it).
    FaultComesAndGoes,
}

fn op() -> impl Strategy<Value = Op> {
    (0u8..38, any::<u16>(), any::<bool>()).prop_map(|(kind, n, b)| {
        // values around each field's range, some outside it
        let around = |low: u16, high: u16| low - 100 + n % (high - low + 200);
        match kind {
            0 => Op::SetChargeConfig((n % 3) as u8),
            1 => Op::SetMinimumSystemVoltage(around(3000, 3700)),
            2 => Op::SetFastChargeCurrent(around(512, 4544)),
            3 => Op::SetForce20(b),
            4 => Op::SetPrechargeCurrent(around(128, 2048)),
            5 => Op::SetTerminationCurrent(around(128, 2048)),
            6 => Op::SetChargeVoltage(around(3504, 4400)),
            7 => Op::SetBatteryLow(b),
            8 => Op::SetRecharge(b),
            9 => Op::SetTermination(b),
            10 => Op::SetWatchdog((n % 4) as u8),
            11 => Op::SetSafetyTimer(b),
            12 => Op::SetThermalRegulation((n % 4) as u8),
            13 => Op::SetTimerSlowdown(b),
            14 => Op::SetBatfetDisabled(b),
            15 => Op::SetChargeFaultInterrupt(b),
            16 => Op::SetHiz(b),
            17 => Op::SetInputCurrentLimit((n % 8) as u8),
            18 => Op::SetInputVoltageLimit(around(3880, 5080)),
            19 => Op::KickWatchdog,
            20 => Op::ForceInputDetection,
            21 => Op::WaitForInputDetection,
            22 => Op::ResetRegisters,
            23 => Op::ApplyConfig(b),
            24 => Op::ReadConfig,
            25 => Op::InvalidateCache,
            26 => Op::Faults,
            27 => Op::LatchedFaults,
            28 => Op::StatusAndFaults,
            29 => Op::RecoverFromWatchdog,
            30 => Op::Init,
            31 => Op::Getters,
            32 => Op::PlugIn(b),
            33 => Op::SetSafetyTimerDuration((n % 4) as u8),
            34 => Op::SetTerminationIndicator(b),
            35 => Op::SetBatteryFaultInterrupt(b),
            36 => Op::SetInputSource(b, (n % 8) as u8, around(3880, 5080)),
            _ => Op::FaultComesAndGoes,
        }
    })
}

/// The most transactions one call of `op` may make.
fn bound(op: &Op) -> u32 {
    match op {
        Op::WaitForInputDetection => 20,
        Op::ResetRegisters => 1 + 16,
        Op::Init => 5,
        Op::RecoverFromWatchdog => 3,
        Op::Getters => 8,
        Op::ReadConfig | Op::LatchedFaults | Op::StatusAndFaults => 1,
        Op::InvalidateCache | Op::PlugIn(_) | Op::FaultComesAndGoes => 0,
        _ => 2,
    }
}

/// A register field the chip must hold after an `Ok`: (register, mask, bits).
type Expect = (u8, u8, u8);

/// What an operation returned: fields the chip must hold, and the latched faults it delivered (if it reads them).
type Outcome = (Vec<Expect>, Option<bq24195::Faults>);

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::{Bus, DriverError, Expect, Op, Outcome};
    use crate::common::NoopDelay;
    use bq24195::{
        BatteryLowThreshold, Bq24195, ChargeConfig, Config, InputCurrentLimit, InputSource, RechargeThreshold,
        SafetyTimer, TerminationIndicator, ThermalRegulation, Watchdog,
    };

    fn stepped(value: u16, low: u16, high: u16, step: u16) -> Option<u8> {
        (low..=high).contains(&value).then(|| ((value - low) / step) as u8)
    }

    /// Runs one operation; what the chip must then hold if it returned `Ok` (nothing for the world's steps).
    pub async fn run(bq: &mut Bq24195<Bus>, op: Op) -> Result<Outcome, DriverError> {
        let bit = |on: bool, bit: u8| if on { bit } else { 0 };
        let latched = match op {
            Op::Faults => Some(bq.faults().await?.latched),
            Op::LatchedFaults => Some(bq.latched_faults().await?),
            Op::StatusAndFaults => Some(bq.status_and_faults().await?.faults),
            Op::RecoverFromWatchdog => Some(bq.recover_from_watchdog(&Config::electron()).await?),
            Op::Init => Some(bq.init(&Config::electron()).await?.latched),
            _ => None,
        };
        let expected = match op {
            Op::SetChargeConfig(code) => {
                let config = [ChargeConfig::Disabled, ChargeConfig::Charge, ChargeConfig::OtgBoost][code as usize];
                bq.set_charge_config(config).await?;
                vec![(1, 0x30, code << 4)]
            }
            Op::SetMinimumSystemVoltage(mv) => {
                bq.set_minimum_system_voltage_mv(mv).await?;
                vec![(1, 0x0E, stepped(mv, 3000, 3700, 100).unwrap() << 1)]
            }
            Op::SetFastChargeCurrent(ma) => {
                bq.set_fast_charge_current_ma(ma).await?;
                vec![(2, 0xFC, stepped(ma, 512, 4544, 64).unwrap() << 2)]
            }
            Op::SetForce20(on) => {
                bq.set_force_20_percent(on).await?;
                vec![(2, 0x01, bit(on, 0x01))]
            }
            Op::SetPrechargeCurrent(ma) => {
                bq.set_precharge_current_ma(ma).await?;
                vec![(3, 0xF0, stepped(ma, 128, 2048, 128).unwrap() << 4)]
            }
            Op::SetTerminationCurrent(ma) => {
                bq.set_termination_current_ma(ma).await?;
                vec![(3, 0x0F, stepped(ma, 128, 2048, 128).unwrap())]
            }
            Op::SetChargeVoltage(mv) => {
                bq.set_charge_voltage_mv(mv).await?;
                vec![(4, 0xFC, stepped(mv, 3504, 4400, 16).unwrap() << 2)]
            }
            Op::SetBatteryLow(high) => {
                let threshold = if high {
                    BatteryLowThreshold::Mv3000
                } else {
                    BatteryLowThreshold::Mv2800
                };
                bq.set_battery_low_threshold(threshold).await?;
                vec![(4, 0x02, bit(high, 0x02))]
            }
            Op::SetRecharge(high) => {
                let threshold = if high {
                    RechargeThreshold::Mv300
                } else {
                    RechargeThreshold::Mv100
                };
                bq.set_recharge_threshold(threshold).await?;
                vec![(4, 0x01, bit(high, 0x01))]
            }
            Op::SetTermination(on) => {
                bq.set_termination_enabled(on).await?;
                vec![(5, 0x80, bit(on, 0x80))]
            }
            Op::SetWatchdog(code) => {
                let watchdog = [Watchdog::Disabled, Watchdog::S40, Watchdog::S80, Watchdog::S160][code as usize];
                bq.set_watchdog(watchdog).await?;
                vec![(5, 0x30, code << 4)]
            }
            Op::SetSafetyTimer(on) => {
                bq.set_safety_timer_enabled(on).await?;
                vec![(5, 0x08, bit(on, 0x08))]
            }
            Op::SetThermalRegulation(code) => {
                let threshold = [
                    ThermalRegulation::C60,
                    ThermalRegulation::C80,
                    ThermalRegulation::C100,
                    ThermalRegulation::C120,
                ][code as usize];
                bq.set_thermal_regulation(threshold).await?;
                vec![(6, 0xFF, code)]
            }
            Op::SetTimerSlowdown(on) => {
                bq.set_timer_slowdown(on).await?;
                vec![(7, 0x40, bit(on, 0x40))]
            }
            Op::SetBatfetDisabled(on) => {
                bq.set_batfet_disabled(on).await?;
                vec![(7, 0x20, bit(on, 0x20))]
            }
            Op::SetChargeFaultInterrupt(on) => {
                bq.set_charge_fault_interrupt(on).await?;
                vec![(7, 0x02, bit(on, 0x02))]
            }
            Op::SetHiz(on) => {
                bq.set_hiz(on).await?;
                vec![(0, 0x80, bit(on, 0x80))]
            }
            Op::SetInputCurrentLimit(code) => {
                bq.set_input_current_limit(InputCurrentLimit::ALL[code as usize])
                    .await?;
                vec![(0, 0x07, code)]
            }
            Op::SetInputVoltageLimit(mv) => {
                bq.set_input_voltage_limit_mv(mv).await?;
                vec![(0, 0x78, stepped(mv, 3880, 5080, 80).unwrap() << 3)]
            }
            Op::SetSafetyTimerDuration(code) => {
                let timer = [SafetyTimer::H5, SafetyTimer::H8, SafetyTimer::H12, SafetyTimer::H20][code as usize];
                bq.set_safety_timer(timer).await?;
                vec![(5, 0x06, code << 1)]
            }
            Op::SetTerminationIndicator(early) => {
                let indicator = if early {
                    TerminationIndicator::Below800Ma
                } else {
                    TerminationIndicator::AtTermination
                };
                bq.set_termination_indicator(indicator).await?;
                vec![(5, 0x40, bit(early, 0x40))]
            }
            Op::SetBatteryFaultInterrupt(on) => {
                bq.set_battery_fault_interrupt(on).await?;
                vec![(7, 0x01, bit(on, 0x01))]
            }
            Op::SetInputSource(hiz, limit, mv) => {
                let input = InputSource {
                    hiz,
                    voltage_limit_mv: mv,
                    current_limit: InputCurrentLimit::ALL[limit as usize],
                };
                bq.set_input_source(input).await?;
                let vindpm = stepped(mv, 3880, 5080, 80).unwrap();
                vec![(0, 0xFF, bit(hiz, 0x80) | vindpm << 3 | limit)]
            }
            Op::KickWatchdog => {
                bq.kick_watchdog().await?;
                vec![]
            }
            Op::ForceInputDetection => {
                bq.force_input_detection().await?;
                vec![]
            }
            Op::WaitForInputDetection => {
                bq.wait_for_input_detection(&mut NoopDelay).await?;
                vec![(7, 0x80, 0)]
            }
            Op::ResetRegisters => {
                bq.reset_registers(&mut NoopDelay).await?;
                // the reset values of REG01–REG07 (REG00 may hold a detection result since)
                vec![
                    (1, 0xFF, 0x1B),
                    (2, 0xFF, 0x60),
                    (3, 0xFF, 0x11),
                    (4, 0xFF, 0xB2),
                    (5, 0xFF, 0x9A),
                    (6, 0xFF, 0x03),
                    (7, 0x7F, 0x4B),
                ]
            }
            Op::ApplyConfig(electron) => {
                let config = if electron {
                    Config::electron()
                } else {
                    Config::default()
                };
                bq.apply_config(&config).await?;
                config_registers(electron)
            }
            Op::ReadConfig => {
                bq.read_config().await?;
                vec![]
            }
            Op::InvalidateCache => {
                bq.invalidate_cache();
                vec![]
            }
            Op::Faults | Op::LatchedFaults | Op::StatusAndFaults | Op::RecoverFromWatchdog => vec![],
            Op::Init => config_registers(true),
            Op::Getters => {
                bq.charge_config().await?;
                bq.fast_charge_current_ma().await?;
                bq.precharge_current_ma().await?;
                bq.charge_voltage_mv().await?;
                bq.watchdog().await?;
                bq.thermal_regulation().await?;
                bq.timer_slowdown().await?;
                bq.status().await?;
                vec![]
            }
            Op::PlugIn(_) | Op::FaultComesAndGoes => vec![],
        };
        Ok((expected, latched))
    }

    /// REG00–REG07 of the Electron preset or the reset values, as the test knows them.
    fn config_registers(electron: bool) -> Vec<Expect> {
        let registers: [u8; 8] = if electron {
            [0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B]
        } else {
            [0x30, 0x1B, 0x60, 0x11, 0xB2, 0x9A, 0x03, 0x4B]
        };
        (0u8..)
            .zip(registers)
            .map(|(register, value)| (register, 0x7F | (value & 0x80), value))
            .collect()
    }
}

/// A fresh chip on battery and adapter (detection done), behind a `FaultyBus` shared with the test.
fn chip(seed: u64, per_mille: u16, yields: bool) -> Bus {
    let mut sim = Bq24195Sim::new();
    sim.plug_in(Supply::Adapter);
    sim.finish_input_detection();
    sim.set_battery_mv(3700);
    let mut faulty = FaultyBus::new(sim);
    faulty.fail_randomly(seed, per_mille);
    faulty.yield_around_transactions(yields);
    Shared::new(faulty)
}

/// Counters of the chip before an operation, to compare with after it.
#[derive(Debug, Clone, Copy)]
struct Before {
    transactions: u32,
    resets: u32,
    kicks: u32,
    detections: u32,
}

fn before(bus: &Bus) -> Before {
    let faulty = bus.get();
    let sim = faulty.inner();
    Before {
        transactions: faulty.transactions(),
        resets: sim.register_resets(),
        kicks: sim.watchdog_kicks(),
        detections: sim.input_detections(),
    }
}

/// The world's steps act on the chip directly.
fn world(bus: &Bus, op: Op) {
    let mut faulty = bus.get();
    let sim = faulty.inner_mut();
    match op {
        Op::PlugIn(usb) => sim.plug_in(if usb { Supply::UsbHost } else { Supply::Adapter }),
        Op::FaultComesAndGoes => {
            sim.raise_fault(SimFault::BatteryOvervoltage);
            sim.clear_fault(SimFault::BatteryOvervoltage);
        }
        _ => {}
    }
}

/// The test's account of the battery fault that comes and goes.
#[derive(Debug, Default)]
struct Latch {
    /// It latched and has not been returned since.
    undelivered: bool,
    /// Nothing failed or was dropped since it latched.
    clean: bool,
}

impl Latch {
    fn world(&mut self, op: Op) {
        if matches!(op, Op::FaultComesAndGoes) {
            self.undelivered = true;
            self.clean = true;
        }
    }

    fn after(&mut self, outcome: Option<&Result<Outcome, DriverError>>, faulted: bool) -> Result<(), TestCaseError> {
        match outcome {
            Some(Ok((_, Some(latched)))) => {
                if latched.battery_overvoltage {
                    prop_assert!(self.undelivered, "a latched fault returned twice");
                    self.undelivered = false;
                } else {
                    prop_assert!(!(self.undelivered && self.clean && !faulted), "a latched fault lost");
                }
            }
            Some(Ok(_)) if !faulted => {}
            _ => self.clean = false,
        }
        if faulted {
            self.clean = false;
        }
        Ok(())
    }
}

/// Every check after an operation; `outcome` is `None` when the future was dropped.
fn check(
    bus: &Bus,
    op: Op,
    cache: [Option<u8>; 8],
    was: Before,
    outcome: Option<&Result<Outcome, DriverError>>,
) -> Result<(), TestCaseError> {
    let faulty = bus.get();
    let sim = faulty.inner();
    prop_assert_eq!(cache[0], None, "REG00 is never cached");
    for register in 1..8u8 {
        if let Some(value) = cache[usize::from(register)] {
            let chip = sim.register(register) & !SELF_CLEARING[usize::from(register)];
            prop_assert_eq!(
                value,
                chip,
                "REG{:02X}: cache {:#04x}, chip {:#04x}",
                register,
                value,
                chip
            );
        }
    }
    let transactions = faulty.transactions() - was.transactions;
    prop_assert!(transactions <= bound(&op), "{} transactions", transactions);
    if let Some(Err(bq24195::Error::Argument(_))) = outcome {
        prop_assert_eq!(transactions, 0, "a rejected argument sends nothing");
    }
    let resets = sim.register_resets() - was.resets;
    prop_assert!(
        resets <= u32::from(matches!(op, Op::ResetRegisters)),
        "{} register resets",
        resets
    );
    let kicks = sim.watchdog_kicks() - was.kicks;
    prop_assert!(
        kicks <= u32::from(matches!(op, Op::KickWatchdog)),
        "{} watchdog kicks",
        kicks
    );
    let detections = sim.input_detections() - was.detections;
    let may_detect = matches!(op, Op::ForceInputDetection | Op::PlugIn(_));
    prop_assert!(detections <= u32::from(may_detect), "{} detections", detections);
    prop_assert_eq!(sim.reserved_bit_writes(), 0);
    prop_assert_eq!(sim.writes_during_detection(), 0);
    prop_assert_eq!(sim.multi_byte_fault_accesses(), 0);
    if let Some(Ok((expected, _))) = outcome {
        for &(register, mask, bits) in expected {
            let chip = sim.register(register);
            prop_assert_eq!(chip & mask, bits, "REG{:02X} = {:#04x} after an Ok", register, chip);
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn blocking_driver_matches_the_chip_through_faults(
        ops in proptest::collection::vec(op(), 1..=12),
        seed in any::<u64>(),
        per_mille in 0u16..=300,
    ) {
        let bus = chip(seed, per_mille, false);
        let mut bq = bq24195::Bq24195::new(bus.clone(), common::STANDARD);
        let mut latch = Latch::default();
        for op in ops {
            world(&bus, op);
            latch.world(op);
            let was = before(&bus);
            let faults = bus.get().faults();
            let outcome = blocking::run(&mut bq, op);
            check(&bus, op, bq.cached_registers(), was, Some(&outcome))?;
            latch.after(Some(&outcome), bus.get().faults() != faults)?;
        }
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn async_driver_matches_the_chip_through_faults_and_drops(
        ops in proptest::collection::vec((op(), proptest::option::of(0usize..40)), 1..=12),
        seed in any::<u64>(),
        per_mille in 0u16..=300,
    ) {
        let bus = chip(seed, per_mille, true);
        let mut bq = bq24195::Bq24195Async::new(bus.clone(), common::STANDARD);
        let mut latch = Latch::default();
        for (op, drop_after) in ops {
            world(&bus, op);
            latch.world(op);
            let was = before(&bus);
            let faults = bus.get().faults();
            let outcome = match drop_after {
                Some(polls) => common::poll_then_drop(asynch::run(&mut bq, op), polls),
                None => Some(common::block_on(asynch::run(&mut bq, op))),
            };
            check(&bus, op, bq.cached_registers(), was, outcome.as_ref())?;
            latch.after(outcome.as_ref(), bus.get().faults() != faults)?;
        }
    }
}
