//! Property tests of the sibling parts (issue 16, with issue 12's invariants): random sequences of the operations
//! whose code differs by part (BOOST_LIM, IR compensation, the part's range, reserved bits and confirmed resets,
//! whole configs with the sibling fields) and of shared ones that touch the same registers, with random bus faults
//! (and, async, futures dropped at random await points), on the bq24190's and the bq24192I's simulators. After
//! every operation, Ok or Err:
//! - the driver's cache equals the chip (without the self-clearing bits) or is unknown; REG00 is never cached;
//! - no register reset, watchdog kick or input detection the operation did not ask for; no reserved bit written
//!   wrongly; no REG00 write during detection; no multi-byte access to REG09;
//! - no more transactions than the call's bound, none for a rejected argument;
//! - a setting that returned `Ok` is what the chip holds.
//!
//! The case count comes from `PROPTEST_CASES` (default 256).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
mod common;

use bq24195::sim::{Bq24195Sim, FaultyBus, FaultyBusError, SimPart, Supply};
use common::{ErrorKind, Shared};
use proptest::prelude::*;

type Bus = Shared<FaultyBus<Bq24195Sim>>;
type DriverError = bq24195::Error<FaultyBusError<ErrorKind>>;

/// The test's own view of the self-clearing bits of REG00–REG07 (never the driver's constants).
const SELF_CLEARING: [u8; 8] = [0, 0xC0, 0, 0, 0, 0, 0, 0x80];

#[derive(Debug, Clone, Copy)]
enum Op {
    SetBoostLimit(bool),
    SetIrCompensation(u8, u8),
    SetThermalRegulation(u8),
    SetChargeConfig(u8),
    SetFastChargeCurrent(u16),
    SetChargeVoltage(u16),
    SetWatchdog(u8),
    KickWatchdog,
    ResetRegisters,
    ApplyConfig(bool),
    ReadConfig,
    InvalidateCache,
    Faults,
    StatusAndFaults,
    Init,
    Getters,
    /// The world: a supply plugged in.
    PlugIn(bool),
}

fn op() -> impl Strategy<Value = Op> {
    (0u8..17, any::<u16>(), any::<bool>()).prop_map(|(kind, n, b)| {
        let around = |low: u16, high: u16| low - 100 + n % (high - low + 200);
        match kind {
            0 => Op::SetBoostLimit(b),
            1 => Op::SetIrCompensation((n % 90) as u8, ((n >> 8) % 130) as u8),
            2 => Op::SetThermalRegulation((n % 4) as u8),
            3 => Op::SetChargeConfig((n % 3) as u8),
            4 => Op::SetFastChargeCurrent(around(512, 4544)),
            5 => Op::SetChargeVoltage(around(3504, 4400)),
            6 => Op::SetWatchdog((n % 4) as u8),
            7 => Op::KickWatchdog,
            8 => Op::ResetRegisters,
            9 => Op::ApplyConfig(b),
            10 => Op::ReadConfig,
            11 => Op::InvalidateCache,
            12 => Op::Faults,
            13 => Op::StatusAndFaults,
            14 => Op::Init,
            15 => Op::Getters,
            _ => Op::PlugIn(b),
        }
    })
}

fn bound(op: &Op) -> u32 {
    match op {
        Op::ResetRegisters => 1 + 16,
        Op::Init => 5,
        Op::Getters => 3,
        Op::ReadConfig | Op::StatusAndFaults => 1,
        Op::InvalidateCache | Op::PlugIn(_) => 0,
        _ => 2,
    }
}

type Expect = (u8, u8, u8);

/// The whole config the runs apply: the Electron preset with the boost limit at 500 mA and 30 mΩ / 48 mV of IR
/// compensation, as the test knows its registers.
const SIBLING_REGISTERS: [u8; 8] = [0x03, 0x1A, 0x18, 0x11, 0x9A, 0x8A, 0x6F, 0x4B];
const ELECTRON_REGISTERS: [u8; 8] = [0x03, 0x1B, 0x18, 0x11, 0x9A, 0x8A, 0x03, 0x4B];

fn registers(values: [u8; 8]) -> Vec<Expect> {
    (0u8..)
        .zip(values)
        .map(|(register, value)| (register, 0x7F | (value & 0x80), value))
        .collect()
}

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
mod cases {
    use super::{registers, Bus, DriverError, Expect, Op, ELECTRON_REGISTERS, SIBLING_REGISTERS};
    use crate::common::NoopDelay;
    use bq24195::part::{HasBoostLimit, HasIrCompensation, Sibling};
    use bq24195::{BoostCurrentLimit, Bq24195, ChargeConfig, Config, IrCompensation, ThermalRegulation, Watchdog};

    fn stepped(value: u16, low: u16, high: u16, step: u16) -> Option<u8> {
        (low..=high).contains(&value).then(|| ((value - low) / step) as u8)
    }

    pub fn sibling_config() -> Config {
        Config {
            boost_current_limit: BoostCurrentLimit::Ma500,
            ir_compensation: IrCompensation {
                resistance_mohm: 30,
                clamp_mv: 48,
            },
            ..Config::electron()
        }
    }

    /// Runs one operation; what the chip must then hold if it returned `Ok`.
    pub async fn run<P: Sibling + HasBoostLimit + HasIrCompensation>(
        bq: &mut Bq24195<Bus, P>,
        op: Op,
        reset: [u8; 8],
    ) -> Result<Vec<Expect>, DriverError> {
        let bit = |on: bool, bit: u8| if on { bit } else { 0 };
        Ok(match op {
            Op::SetBoostLimit(high) => {
                let limit = if high {
                    BoostCurrentLimit::Ma1300
                } else {
                    BoostCurrentLimit::Ma500
                };
                bq.set_boost_current_limit(limit).await?;
                vec![(1, 0x01, bit(high, 0x01))]
            }
            Op::SetIrCompensation(mohm, mv) => {
                let compensation = IrCompensation {
                    resistance_mohm: mohm,
                    clamp_mv: mv,
                };
                bq.set_ir_compensation(compensation).await?;
                let r = stepped(u16::from(mohm), 0, 70, 10).unwrap();
                let c = stepped(u16::from(mv), 0, 112, 16).unwrap();
                vec![(6, 0xFC, r << 5 | c << 2)]
            }
            Op::SetThermalRegulation(code) => {
                let threshold = [
                    ThermalRegulation::C60,
                    ThermalRegulation::C80,
                    ThermalRegulation::C100,
                    ThermalRegulation::C120,
                ][code as usize];
                bq.set_thermal_regulation(threshold).await?;
                vec![(6, 0x03, code)]
            }
            Op::SetChargeConfig(code) => {
                let config = [ChargeConfig::Disabled, ChargeConfig::Charge, ChargeConfig::OtgBoost][code as usize];
                bq.set_charge_config(config).await?;
                vec![(1, 0x30, code << 4)]
            }
            Op::SetFastChargeCurrent(ma) => {
                bq.set_fast_charge_current_ma(ma).await?;
                vec![(2, 0xFC, stepped(ma, 512, 4544, 64).unwrap() << 2)]
            }
            Op::SetChargeVoltage(mv) => {
                bq.set_charge_voltage_mv(mv).await?;
                vec![(4, 0xFC, stepped(mv, 3504, 4400, 16).unwrap() << 2)]
            }
            Op::SetWatchdog(code) => {
                let watchdog = [Watchdog::Disabled, Watchdog::S40, Watchdog::S80, Watchdog::S160][code as usize];
                bq.set_watchdog(watchdog).await?;
                vec![(5, 0x30, code << 4)]
            }
            Op::KickWatchdog => {
                bq.kick_watchdog().await?;
                vec![]
            }
            Op::ResetRegisters => {
                bq.reset_registers(&mut NoopDelay).await?;
                (1u8..8)
                    .map(|r| (r, if r == 7 { 0x7F } else { 0xFF }, reset[usize::from(r)]))
                    .collect()
            }
            Op::ApplyConfig(sibling) => {
                if sibling {
                    bq.apply_config(&sibling_config()).await?;
                    registers(SIBLING_REGISTERS)
                } else {
                    bq.apply_config(&Config::electron()).await?;
                    registers(ELECTRON_REGISTERS)
                }
            }
            Op::ReadConfig => {
                bq.read_config().await?;
                vec![]
            }
            Op::InvalidateCache => {
                bq.invalidate_cache();
                vec![]
            }
            Op::Faults => {
                bq.faults().await?;
                vec![]
            }
            Op::StatusAndFaults => {
                bq.status_and_faults().await?;
                vec![]
            }
            Op::Init => {
                bq.init(&sibling_config()).await?;
                registers(SIBLING_REGISTERS)
            }
            Op::Getters => {
                bq.boost_current_limit().await?;
                bq.ir_compensation().await?;
                bq.thermal_regulation().await?;
                vec![]
            }
            Op::PlugIn(_) => vec![],
        })
    }
}

fn chip(part: SimPart, seed: u64, per_mille: u16, yields: bool) -> Bus {
    let mut sim = Bq24195Sim::for_part(part);
    sim.plug_in(Supply::Adapter);
    sim.finish_input_detection();
    sim.set_battery_mv(3700);
    let mut faulty = FaultyBus::new(sim);
    faulty.fail_randomly(seed, per_mille);
    faulty.yield_around_transactions(yields);
    Shared::new(faulty)
}

#[derive(Debug, Clone, Copy)]
struct Before {
    transactions: u32,
    resets: u32,
    kicks: u32,
    detections: u32,
}

fn before(bus: &Bus, op: Op) -> Before {
    let mut faulty = bus.get();
    if let Op::PlugIn(usb) = op {
        faulty
            .inner_mut()
            .plug_in(if usb { Supply::UsbHost } else { Supply::Adapter });
    }
    let sim = faulty.inner();
    Before {
        transactions: faulty.transactions(),
        resets: sim.register_resets(),
        kicks: sim.watchdog_kicks(),
        detections: sim.input_detections(),
    }
}

fn check(
    bus: &Bus,
    op: Op,
    cache: [Option<u8>; 8],
    was: Before,
    outcome: Option<&Result<Vec<Expect>, DriverError>>,
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
        "{} resets",
        resets
    );
    let kicks = sim.watchdog_kicks() - was.kicks;
    prop_assert!(kicks <= u32::from(matches!(op, Op::KickWatchdog)), "{} kicks", kicks);
    let detections = sim.input_detections() - was.detections;
    prop_assert!(
        detections <= u32::from(matches!(op, Op::PlugIn(_))),
        "{} detections",
        detections
    );
    prop_assert_eq!(sim.reserved_bit_writes(), 0);
    prop_assert_eq!(sim.writes_during_detection(), 0);
    prop_assert_eq!(sim.multi_byte_fault_accesses(), 0);
    if let Some(Ok(expected)) = outcome {
        for &(register, mask, bits) in expected {
            let chip = sim.register(register);
            prop_assert_eq!(chip & mask, bits, "REG{:02X} = {:#04x} after an Ok", register, chip);
        }
    }
    Ok(())
}

/// The parts the runs cover, with the reset values the test knows for them.
const BQ24190_RESET: [u8; 8] = [0x30, 0x1B, 0x60, 0x11, 0xB2, 0x9A, 0x03, 0x4B];
const BQ24192I_RESET: [u8; 8] = [0x30, 0x1B, 0x20, 0x11, 0x9A, 0x9A, 0x03, 0x4B];

proptest! {
    #[test]
    fn bq24190_and_bq24192i_drivers_match_the_chip_through_faults(
        ops in proptest::collection::vec(op(), 1..=12),
        seed in any::<u64>(),
        per_mille in 0u16..=300,
        i_part in any::<bool>(),
    ) {
        let (part, reset) = if i_part {
            (SimPart::Bq24192I, BQ24192I_RESET)
        } else {
            (SimPart::Bq24190, BQ24190_RESET)
        };
        let bus = chip(part, seed, per_mille, false);
        let mut b190 = bq24195::Bq24195::for_part(bus.clone(), bq24195::part::Bq24190);
        let mut b192i = bq24195::Bq24195::for_part(bus.clone(), bq24195::part::Bq24192I);
        for op in ops {
            let was = before(&bus, op);
            let (outcome, cache) = if i_part {
                (blocking::run(&mut b192i, op, reset), b192i.cached_registers())
            } else {
                (blocking::run(&mut b190, op, reset), b190.cached_registers())
            };
            check(&bus, op, cache, was, Some(&outcome))?;
        }
    }
}

#[cfg(feature = "async")]
proptest! {
    #[test]
    fn the_async_sibling_drivers_too_with_futures_dropped_anywhere(
        ops in proptest::collection::vec((op(), proptest::option::of(0usize..40)), 1..=12),
        seed in any::<u64>(),
        per_mille in 0u16..=300,
        i_part in any::<bool>(),
    ) {
        let (part, reset) = if i_part {
            (SimPart::Bq24192I, BQ24192I_RESET)
        } else {
            (SimPart::Bq24190, BQ24190_RESET)
        };
        let bus = chip(part, seed, per_mille, true);
        let mut b190 = bq24195::Bq24195Async::for_part(bus.clone(), bq24195::part::Bq24190);
        let mut b192i = bq24195::Bq24195Async::for_part(bus.clone(), bq24195::part::Bq24192I);
        for (op, drop_after) in ops {
            let was = before(&bus, op);
            let (outcome, cache) = if i_part {
                let outcome = match drop_after {
                    Some(polls) => common::poll_then_drop(asynch::run(&mut b192i, op, reset), polls),
                    None => Some(common::block_on(asynch::run(&mut b192i, op, reset))),
                };
                (outcome, b192i.cached_registers())
            } else {
                let outcome = match drop_after {
                    Some(polls) => common::poll_then_drop(asynch::run(&mut b190, op, reset), polls),
                    None => Some(common::block_on(asynch::run(&mut b190, op, reset))),
                };
                (outcome, b190.cached_registers())
            };
            check(&bus, op, cache, was, outcome.as_ref())?;
        }
    }
}
