//! A register-level model of the bq24195 that implements the I2C traits, for tests on a PC (ours and yours).
//!
//! It models what a driver can get wrong: the register pointer and auto-increment over REG00–REG08, REG09 refusing
//! multi-byte access (counted by [`Bq24195Sim::multi_byte_fault_accesses`], and the byte reads 0 without clearing
//! the latch), the latched fault register (first read: everything since the last read; second read: the present
//! state; NTC never latched), default mode and host mode, the I2C watchdog expiring and reverting REG00–REG07 to
//! their reset values, the self-clearing command bits REG_RESET (the registers reset at once; the bit reads 1 until
//! the reset completes, a few transactions later) and WD_RESET (reads 1 until the timer restart completes), DPDM_EN
//! (reads 1 while detection runs; writing it 1 again restarts detection), D+/D−
//! input detection (IINLIM reads 100 mA while it runs, then the detected limit), reserved bits written wrongly
//! (counted), and a status register that follows the input, the battery voltage, the die temperature and the
//! configuration. It answers any other address with a NACK, and an undefined register address too.
//!
//! Model choices where the datasheet pages at hand are silent (see the crate docs): detection finishes after
//! three bus transactions (or at [`Bq24195Sim::finish_input_detection`]; see
//! [`Bq24195Sim::set_detection_transactions`]) and sets 500 mA for a USB host, 1.5 A for an adapter; a command bit
//! (REG_RESET, WD_RESET) reads 1 during the one transaction after the one that wrote it (see
//! [`Bq24195Sim::set_command_transactions`]); the watchdog counts only in host mode and restarts on WD_RESET and on
//! entering host mode.
//!
//! The model keeps its own register constants (the private `chip` module) and never uses the driver's, so a wrong
//! address, mask or reset value in the driver fails a test. [`FaultyBus`] wraps it (or any bus) to inject faults.
//!
//! Each part of the family has its variant ([`Bq24195Sim::bq24190`], [`bq24192`](Bq24195Sim::bq24192),
//! [`bq24192i`](Bq24195Sim::bq24192i), [`bq24196`](Bq24195Sim::bq24196); [`SimPart`]): its REG0A byte (the
//! siblings' revision bits taken as the bq24195's 11), reset values (the bq24192I's 4.112 V and 1024 mA), reserved
//! bits (BOOST_LIM and IR compensation are settings where the part has them), NTC codes (TS1/TS2 on the
//! bq24190/192/192I), input detection (D+/D− on the bq24195 and bq24190, with the data-contact timeout for
//! [`Supply::NonStandard`]; the PSEL and OTG pins on the others, 3 A for an adapter), and the boost limit
//! ([`Bq24195Sim::set_otg_load_ma`] above it raises a boost fault; on the PSEL parts boost needs the OTG pin high,
//! [`Bq24195Sim::set_otg_pin`]).
//!
//! ```
//! use bq24195::sim::{Bq24195Sim, CountingBus, Supply};
//! use bq24195::{Bq24195, ChargeStatus};
//!
//! let mut sim = Bq24195Sim::new();
//! sim.plug_in(Supply::Adapter);
//! sim.finish_input_detection();
//!
//! // the driver borrows the simulator: inspect it once the driver is done
//! let mut charger = Bq24195::new(&mut sim, bq24195::Variant::Bq24195);
//! charger.init(&bq24195::Config::electron())?;
//! assert!(sim.in_host_mode());
//!
//! // or the driver owns it: `bus()` / `bus_mut()` reach it meanwhile
//! sim.set_battery_mv(3700);
//! let mut charger = Bq24195::new(CountingBus::new(sim), bq24195::Variant::Bq24195);
//! assert_eq!(charger.status()?.charge, ChargeStatus::FastCharge);
//! assert_eq!(charger.bus().inner().charge_current_ma(), 896);
//! assert_eq!(charger.bus().traffic().transactions, 1);
//! charger.bus_mut().inner_mut().unplug();
//! assert!(!charger.status()?.power_good);
//! # Ok::<(), bq24195::Error<bq24195::embedded_hal::i2c::ErrorKind>>(())
//! ```

// Register indices are checked against the 11-entry map before use; the arithmetic is on small counters.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};

use crate::types::{Config, InputCurrentLimit, NtcFault};

/// The model's own register map, written from the datasheet independently of `crate::register`, so that a wrong
/// constant in the driver fails a test instead of being shared by the model.
mod chip {
    pub const ADDRESS: u8 = 0x6B;
    pub const CONTROL_COUNT: usize = 8;
    pub const RESET: [u8; CONTROL_COUNT] = [0x30, 0x1B, 0x60, 0x11, 0xB2, 0x9A, 0x03, 0x4B];

    pub const INPUT_SOURCE: u8 = 0x00;
    pub const POWER_ON_CONFIG: u8 = 0x01;
    pub const CHARGE_CURRENT: u8 = 0x02;
    pub const TERMINATION_TIMER: u8 = 0x05;
    pub const THERMAL_REGULATION: u8 = 0x06;
    pub const MISC_OPERATION: u8 = 0x07;
    pub const SYSTEM_STATUS: u8 = 0x08;
    pub const FAULT: u8 = 0x09;
    pub const PART_INFO: u8 = 0x0A;
    pub const PART_INFO_BQ24195: u8 = 0b0010_0011;
    // REG0A of the siblings: PN in bits 5:3, TS_PROFILE 0, DEV_REG taken as the bq24195's 11 (not confirmed)
    pub const PART_INFO_BQ24190: u8 = 0b0010_0011;
    pub const PART_INFO_BQ24192: u8 = 0b0010_1011;
    pub const PART_INFO_BQ24192I: u8 = 0b0001_1011;
    pub const PART_INFO_BQ24196: u8 = 0b0010_1011;
    // the bq24192I resets to 4.112 V (datasheet) and about 1 A (REG02 derived from its default-mode table)
    pub const RESET_BQ24192I: [u8; CONTROL_COUNT] = [0x30, 0x1B, 0x20, 0x11, 0x9A, 0x9A, 0x03, 0x4B];

    // REG00
    pub const EN_HIZ: u8 = 0x80;
    pub const IINLIM_MASK: u8 = 0x07;
    // REG01
    pub const REG_RESET: u8 = 0x80;
    pub const WD_RESET: u8 = 0x40;
    pub const CHG_CONFIG_MASK: u8 = 0x30;
    pub const SYS_MIN_MASK: u8 = 0x0E;
    pub const POWER_ON_RESERVED: u8 = 0x01;
    pub const BOOST_LIM: u8 = 0x01;
    // REG02
    pub const ICHG_MASK: u8 = 0xFC;
    pub const CHARGE_CURRENT_RESERVED: u8 = 0x02;
    pub const FORCE_20PCT: u8 = 0x01;
    // REG03
    pub const IPRECHG_MASK: u8 = 0xF0;
    // REG04
    pub const VREG_MASK: u8 = 0xFC;
    pub const BATLOWV: u8 = 0x02;
    // REG05
    pub const EN_TERM: u8 = 0x80;
    pub const WATCHDOG_MASK: u8 = 0x30;
    pub const TERMINATION_TIMER_RESERVED: u8 = 0x01;
    // REG06
    pub const TREG_MASK: u8 = 0x03;
    // REG07
    pub const DPDM_EN: u8 = 0x80;
    pub const BATFET_DISABLE: u8 = 0x20;
    pub const MISC_RESERVED_MASK: u8 = 0x1C;
    pub const MISC_RESERVED_VALUE: u8 = 0x08;
    pub const INT_MASK_CHARGE: u8 = 0x02;
    pub const INT_MASK_BATTERY: u8 = 0x01;
    // REG08
    pub const VBUS_STAT_MASK: u8 = 0xC0;
    pub const CHRG_STAT_MASK: u8 = 0x30;
    pub const DPM_STAT: u8 = 0x08;
    pub const PG_STAT: u8 = 0x04;
    pub const THERM_STAT: u8 = 0x02;
    pub const VSYS_STAT: u8 = 0x01;
    // REG09
    pub const WATCHDOG_FAULT: u8 = 0x80;
    pub const BOOST_FAULT: u8 = 0x40;
    pub const CHRG_FAULT_MASK: u8 = 0x30;
    pub const BAT_FAULT: u8 = 0x08;
    pub const NTC_FAULT_MASK: u8 = 0x07;

    pub const fn field(register: u8, mask: u8) -> u8 {
        (register & mask) >> mask.trailing_zeros()
    }

    pub const fn with_field(register: u8, mask: u8, value: u8) -> u8 {
        (register & !mask) | ((value << mask.trailing_zeros()) & mask)
    }

    pub const fn with_bit(register: u8, bit: u8, on: bool) -> u8 {
        if on {
            register | bit
        } else {
            register & !bit
        }
    }
}

/// What is plugged into VBUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Supply {
    /// A USB host (standard downstream port). D+/D− parts (bq24195, bq24190) detect an SDP; on the PSEL parts
    /// (bq24192, bq24192I, bq24196) the board drives PSEL high. Detection sets 500 mA with the OTG pin high (the
    /// model's default), 100 mA with it low; VBUS_STAT 01.
    UsbHost,
    /// A charging adapter. D+/D− parts detect a charging port and set 1.5 A; on the PSEL parts the board drives
    /// PSEL low and the chip sets 3 A. VBUS_STAT 10.
    Adapter,
    /// An adapter with D+/D− left floating (not USB BC1.2). D+/D− parts end in the data-contact timeout: 100 mA,
    /// VBUS_STAT 00 (with power good). The PSEL parts do not look at D+/D−: the model ties PSEL high for it (a
    /// USB PHY that cannot classify the port), so it reads as a USB host.
    NonStandard,
}

/// The part a [`Bq24195Sim`] models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SimPart {
    /// bq24195 (or bq24195L: the model does not tell them apart).
    #[default]
    Bq24195,
    /// bq24190: D+/D− detection, TS1 + TS2, BOOST_LIM, IR compensation.
    Bq24190,
    /// bq24192: PSEL/OTG pins, TS1 + TS2, BOOST_LIM, IR compensation.
    Bq24192,
    /// bq24192I: as the bq24192, with its own REG0A and reset values (4.112 V, 1024 mA).
    Bq24192I,
    /// bq24196: PSEL/OTG pins, one TS pin, BOOST_LIM, no IR compensation.
    Bq24196,
}

impl SimPart {
    const fn reset(self) -> [u8; chip::CONTROL_COUNT] {
        match self {
            Self::Bq24192I => chip::RESET_BQ24192I,
            _ => chip::RESET,
        }
    }

    const fn part_info(self) -> u8 {
        match self {
            Self::Bq24195 => chip::PART_INFO_BQ24195,
            Self::Bq24190 => chip::PART_INFO_BQ24190,
            Self::Bq24192 => chip::PART_INFO_BQ24192,
            Self::Bq24192I => chip::PART_INFO_BQ24192I,
            Self::Bq24196 => chip::PART_INFO_BQ24196,
        }
    }

    /// The input limit comes from the PSEL and OTG pins, not from D+/D−.
    const fn psel(self) -> bool {
        matches!(self, Self::Bq24192 | Self::Bq24192I | Self::Bq24196)
    }

    /// REG01 bit 0 is BOOST_LIM.
    const fn boost_limit(self) -> bool {
        !matches!(self, Self::Bq24195)
    }

    /// REG06 bits 7:2 is IR compensation.
    const fn ir_compensation(self) -> bool {
        matches!(self, Self::Bq24190 | Self::Bq24192 | Self::Bq24192I)
    }

    /// TS1 and TS2.
    const fn two_thermistors(self) -> bool {
        matches!(self, Self::Bq24190 | Self::Bq24192 | Self::Bq24192I)
    }
}

/// A fault condition the simulated chip can be put into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SimFault {
    /// Input fault (VBUS over-voltage or too weak), CHRG_FAULT = 01.
    Input,
    /// Thermal shutdown, CHRG_FAULT = 10.
    ThermalShutdown,
    /// Safety timer expired, CHRG_FAULT = 11.
    SafetyTimer,
    /// Battery over-voltage, BAT_FAULT.
    BatteryOvervoltage,
    /// Boost overload, BOOST_FAULT.
    Boost,
}

/// Transactions after which input detection finishes.
const DETECTION_TRANSACTIONS: u8 = 3;
/// Registers REG00–REG0A.
const REGISTER_COUNT: u8 = 11;

/// The simulated chip.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24195Sim {
    part: SimPart,
    otg_pin: bool,
    otg_load_ma: u16,
    overloaded: bool,
    control: [u8; chip::CONTROL_COUNT],
    pointer: u8,
    host_mode: bool,
    watchdog_elapsed_s: u32,
    latched_flags: u8,
    latched_charge: u8,
    present_flags: u8,
    present_charge: u8,
    ntc: u8,
    supply: Option<Supply>,
    detection: Option<u8>,
    detection_transactions: u8,
    command_transactions: u8,
    reset_running: u8,
    kick_running: u8,
    battery_mv: u16,
    battery_present: bool,
    die_temperature_c: u8,
    dpm: bool,
    last_status: u8,
    interrupts: u32,
    writes_during_detection: u32,
    multi_byte_fault_accesses: u32,
    reserved_bit_writes: u32,
    watchdog_expiries: u32,
    register_resets: u32,
    watchdog_kicks: u32,
    detections: u32,
}

impl Default for Bq24195Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Bq24195Sim {
    /// A bq24195 just powered from a 3.8 V battery, no input: default mode, reset values, watchdog fault set.
    pub fn new() -> Self {
        Self::for_part(SimPart::Bq24195)
    }

    /// A bq24190 just powered (as [`new`](Self::new)).
    pub fn bq24190() -> Self {
        Self::for_part(SimPart::Bq24190)
    }

    /// A bq24192 just powered.
    pub fn bq24192() -> Self {
        Self::for_part(SimPart::Bq24192)
    }

    /// A bq24192I just powered (its own reset values: 4.112 V, 1024 mA).
    pub fn bq24192i() -> Self {
        Self::for_part(SimPart::Bq24192I)
    }

    /// A bq24196 just powered.
    pub fn bq24196() -> Self {
        Self::for_part(SimPart::Bq24196)
    }

    /// `part` just powered from a 3.8 V battery, no input, OTG pin high.
    pub fn for_part(part: SimPart) -> Self {
        let mut sim = Self {
            part,
            otg_pin: true,
            otg_load_ma: 0,
            overloaded: false,
            control: part.reset(),
            pointer: 0,
            host_mode: false,
            watchdog_elapsed_s: 0,
            latched_flags: chip::WATCHDOG_FAULT,
            latched_charge: 0,
            present_flags: 0,
            present_charge: 0,
            ntc: 0,
            supply: None,
            detection: None,
            detection_transactions: DETECTION_TRANSACTIONS,
            command_transactions: 1,
            reset_running: 0,
            kick_running: 0,
            battery_mv: 3800,
            battery_present: true,
            die_temperature_c: 25,
            dpm: false,
            last_status: 0,
            interrupts: 0,
            writes_during_detection: 0,
            multi_byte_fault_accesses: 0,
            reserved_bit_writes: 0,
            watchdog_expiries: 0,
            register_resets: 0,
            watchdog_kicks: 0,
            detections: 0,
        };
        sim.last_status = sim.status();
        sim
    }

    // ---- the world around the chip ------------------------------------------------------------------------

    /// Plugs a supply into VBUS: power good, and D+/D− detection starts.
    pub fn plug_in(&mut self, supply: Supply) {
        self.supply = Some(supply);
        self.start_detection();
        self.update_interrupt();
    }

    /// Unplugs VBUS.
    pub fn unplug(&mut self) {
        self.supply = None;
        self.detection = None;
        self.update_interrupt();
    }

    /// The part modelled.
    pub fn part(&self) -> SimPart {
        self.part
    }

    /// The OTG pin (high by default). With a USB host, detection sets 500 mA with it high and 100 mA with it low;
    /// on the PSEL parts (bq24192, bq24192I, bq24196) OTG boost also needs it high.
    pub fn set_otg_pin(&mut self, high: bool) {
        self.otg_pin = high;
        self.update_boost();
        self.update_interrupt();
    }

    /// The load on VBUS while the chip boosts, in mA. On the parts with BOOST_LIM (all but the bq24195), a load
    /// above the limit (500 mA or 1.3 A) raises a boost fault (present while it lasts, latched), and INT pulses.
    /// The bq24195 model has no overload.
    pub fn set_otg_load_ma(&mut self, ma: u16) {
        self.otg_load_ma = ma;
        self.update_boost();
        self.update_interrupt();
    }

    /// Finishes a running input detection now: IINLIM set from the supply (and on the PSEL parts from the pins),
    /// VBUS_STAT valid, DPDM_EN cleared.
    pub fn finish_input_detection(&mut self) {
        if self.detection.take().is_some() {
            let usb_host = if self.otg_pin {
                InputCurrentLimit::Ma500
            } else {
                InputCurrentLimit::Ma100
            };
            let limit = match (self.supply, self.part.psel()) {
                (Some(Supply::Adapter), false) => InputCurrentLimit::Ma1500,
                (Some(Supply::Adapter), true) => InputCurrentLimit::Ma3000,
                (Some(Supply::NonStandard), false) => InputCurrentLimit::Ma100,
                _ => usb_host,
            };
            self.control[0] = chip::with_field(self.control[0], chip::IINLIM_MASK, limit as u8);
            self.update_interrupt();
        }
    }

    /// The battery voltage, in mV (decides pre-charge, fast charge, done, VSYS regulation).
    pub fn set_battery_mv(&mut self, mv: u16) {
        self.battery_mv = mv;
        self.update_interrupt();
    }

    /// Disconnects the battery. The chip cannot tell (nothing in its registers says so), but it behaves
    /// differently: while it charges, its output reaches the charge voltage at once and it reports "charge done",
    /// recharges, terminates again, pulsing INT after every transaction; while it does not charge, VBAT
    /// collapses and VSYS_STAT reads 1 (the system is held at SYS_MIN).
    pub fn remove_battery(&mut self) {
        self.battery_present = false;
        self.update_interrupt();
    }

    /// Connects a battery at `mv`.
    pub fn insert_battery(&mut self, mv: u16) {
        self.battery_present = true;
        self.battery_mv = mv;
        self.update_interrupt();
    }

    /// Whether a battery is connected.
    pub fn battery_present(&self) -> bool {
        self.battery_present
    }

    /// The die temperature, in °C (thermal regulation above TREG).
    pub fn set_die_temperature_c(&mut self, celsius: u8) {
        self.die_temperature_c = celsius;
        self.update_interrupt();
    }

    /// Whether the input is in voltage or current regulation (DPM_STAT), e.g. because the system load is high.
    pub fn set_dpm(&mut self, dpm: bool) {
        self.dpm = dpm;
        self.update_interrupt();
    }

    /// The thermistor state (never latched), in the part's own codes: on the two-thermistor parts (bq24190,
    /// bq24192, bq24192I) TS1 cold/hot 001/010, TS2 011/100, both 101/110; on the one-pin parts cold 101 and hot
    /// 110, a TS1 or TS2 state reading as the pin's.
    pub fn set_ntc(&mut self, ntc: NtcFault) {
        let two = self.part.two_thermistors();
        self.ntc = match ntc {
            NtcFault::Normal => 0,
            NtcFault::Cold => 0b101,
            NtcFault::Hot => 0b110,
            NtcFault::Ts1Cold if two => 0b001,
            NtcFault::Ts1Hot if two => 0b010,
            NtcFault::Ts2Cold if two => 0b011,
            NtcFault::Ts2Hot if two => 0b100,
            NtcFault::Ts1Cold | NtcFault::Ts2Cold => 0b101,
            NtcFault::Ts1Hot | NtcFault::Ts2Hot => 0b110,
            NtcFault::Other(code) => code & chip::NTC_FAULT_MASK,
        };
        self.interrupts += 1;
    }

    /// A fault condition starts: present, and latched until the next read of REG09. INT pulses unless masked.
    pub fn raise_fault(&mut self, fault: SimFault) {
        let masked = match fault {
            SimFault::Input | SimFault::ThermalShutdown | SimFault::SafetyTimer => {
                let code = fault_code(fault);
                self.present_charge = code;
                self.latched_charge = code;
                self.control[7] & chip::INT_MASK_CHARGE == 0
            }
            SimFault::BatteryOvervoltage => {
                self.present_flags |= chip::BAT_FAULT;
                self.latched_flags |= chip::BAT_FAULT;
                self.control[7] & chip::INT_MASK_BATTERY == 0
            }
            SimFault::Boost => {
                self.present_flags |= chip::BOOST_FAULT;
                self.latched_flags |= chip::BOOST_FAULT;
                false
            }
        };
        if !masked {
            self.interrupts += 1;
        }
        self.last_status = self.status();
    }

    /// A fault condition ends (the latch still reports it once).
    pub fn clear_fault(&mut self, fault: SimFault) {
        match fault {
            SimFault::BatteryOvervoltage => self.present_flags &= !chip::BAT_FAULT,
            SimFault::Boost => self.present_flags &= !chip::BOOST_FAULT,
            other if self.present_charge == fault_code(other) => self.present_charge = 0,
            _ => {}
        }
        self.update_interrupt();
    }

    /// Lets time pass for the I2C watchdog. In host mode with the watchdog armed, reaching the timeout returns
    /// the chip to default mode: REG00–REG07 to their reset values, WATCHDOG_FAULT set, INT pulsed.
    pub fn elapse(&mut self, time: fugit::SecsDurationU32) {
        let timeout = match chip::field(self.control[5], chip::WATCHDOG_MASK) {
            0 => return,
            1 => 40,
            2 => 80,
            _ => 160,
        };
        if !self.host_mode {
            return;
        }
        self.watchdog_elapsed_s = self.watchdog_elapsed_s.saturating_add(time.ticks());
        if self.watchdog_elapsed_s >= timeout {
            self.control = self.part.reset();
            self.host_mode = false;
            self.watchdog_elapsed_s = 0;
            self.latched_flags |= chip::WATCHDOG_FAULT;
            self.watchdog_expiries += 1;
            self.interrupts += 1;
            self.last_status = self.status();
        }
    }

    /// Power cycle: reset values, default mode, watchdog fault, no detection running.
    pub fn power_on_reset(&mut self) {
        let (supply, battery, present) = (self.supply, self.battery_mv, self.battery_present);
        let (otg_pin, load) = (self.otg_pin, self.otg_load_ma);
        *self = Self::for_part(self.part);
        self.otg_pin = otg_pin;
        self.otg_load_ma = load;
        self.supply = supply;
        self.battery_mv = battery;
        self.battery_present = present;
        self.last_status = self.status();
    }

    // ---- what the chip holds and does ---------------------------------------------------------------------

    /// A register as the next read would return it, without the read's effects: REG01 with REG_RESET / WD_RESET
    /// while they still read 1, REG07 with DPDM_EN while detection runs, REG08 computed, REG09 without clearing.
    pub fn register(&self, address: u8) -> u8 {
        match address {
            chip::POWER_ON_CONFIG => {
                let reset = if self.reset_running > 0 { chip::REG_RESET } else { 0 };
                let kick = if self.kick_running > 0 { chip::WD_RESET } else { 0 };
                self.control[1] | reset | kick
            }
            chip::MISC_OPERATION if self.detection.is_some() => self.control[7] | chip::DPDM_EN,
            0x00..=0x07 => self.control[usize::from(address)],
            chip::SYSTEM_STATUS => self.status(),
            chip::FAULT => self.fault_register(),
            chip::PART_INFO => self.part.part_info(),
            _ => 0,
        }
    }

    /// Overwrites a control register behind the driver's back (another master, a glitch).
    pub fn poke(&mut self, address: u8, value: u8) {
        if let Some(slot) = self.control.get_mut(usize::from(address)) {
            *slot = value;
        }
    }

    /// The configuration REG00–REG07 hold, decoded by the crate's own [`Config::decode`] (a convenience for
    /// tests; a test that must catch a wrong decoding compares [`register`](Self::register) bits instead).
    pub fn config(&self) -> Config {
        Config::decode(self.control)
    }

    /// Host mode (a host wrote since power-on or the last watchdog expiry).
    pub fn in_host_mode(&self) -> bool {
        self.host_mode
    }

    /// D+/D− detection is running.
    pub fn input_detection_running(&self) -> bool {
        self.detection.is_some()
    }

    /// The current the chip charges the battery with, in mA (0 when not charging): IPRECHG in pre-charge, ICHG
    /// in fast charge, divided by 2 and 5 under FORCE_20PCT.
    pub fn charge_current_ma(&self) -> u16 {
        let force_20 = self.control[2] & chip::FORCE_20PCT != 0;
        let precharge = 128 + 128 * u16::from(chip::field(self.control[3], chip::IPRECHG_MASK));
        let fast = 512 + 64 * u16::from(chip::field(self.control[2], chip::ICHG_MASK));
        match chip::field(self.status(), chip::CHRG_STAT_MASK) {
            0b01 if force_20 => precharge / 2,
            0b01 => precharge,
            0b10 if force_20 => fast / 5,
            0b10 => fast,
            _ => 0,
        }
    }

    /// INT pulses so far (status changes and unmasked faults).
    pub fn interrupts(&self) -> u32 {
        self.interrupts
    }

    /// How often the watchdog expired.
    pub fn watchdog_expiries(&self) -> u32 {
        self.watchdog_expiries
    }

    /// Writes to REG00 while input detection ran (a driver must make none).
    pub fn writes_during_detection(&self) -> u32 {
        self.writes_during_detection
    }

    /// Bytes of REG09 read or written as part of a multi-byte transfer (a driver must make none).
    pub fn multi_byte_fault_accesses(&self) -> u32 {
        self.multi_byte_fault_accesses
    }

    /// Writes that left a reserved bit at a value the datasheet forbids (a driver must make none).
    pub fn reserved_bit_writes(&self) -> u32 {
        self.reserved_bit_writes
    }

    /// Register resets performed (REG01 written with REG_RESET = 1).
    pub fn register_resets(&self) -> u32 {
        self.register_resets
    }

    /// Watchdog timer restarts asked for (REG01 written with WD_RESET = 1).
    pub fn watchdog_kicks(&self) -> u32 {
        self.watchdog_kicks
    }

    /// D+/D− detections started (plug-ins, and REG07 written with DPDM_EN = 1, which restarts a running one).
    pub fn input_detections(&self) -> u32 {
        self.detections
    }

    /// How many transactions a D+/D− detection lasts (3 by default), counted from the end of the transaction that
    /// started it; `u8::MAX` makes it last until [`finish_input_detection`](Self::finish_input_detection).
    pub fn set_detection_transactions(&mut self, transactions: u8) {
        self.detection_transactions = transactions.max(1);
    }

    /// How many transactions after the one that wrote it a command bit (REG_RESET, WD_RESET) keeps reading 1
    /// (1 by default; 0: it reads 0 at once; `u8::MAX`: until [`power_on_reset`](Self::power_on_reset)).
    pub fn set_command_transactions(&mut self, transactions: u8) {
        self.command_transactions = transactions;
    }

    /// Whether a register reset is still in progress (REG_RESET reads 1).
    pub fn register_reset_running(&self) -> bool {
        self.reset_running > 0
    }

    // ---- internals ----------------------------------------------------------------------------------------

    fn start_detection(&mut self) {
        if self.supply.is_some() {
            self.detections += 1;
            // counted down at the end of every transaction, the starting one included
            self.detection = Some(self.detection_transactions.saturating_add(1));
            // while detection runs the chip holds the 100 mA limit
            self.control[0] = chip::with_field(self.control[0], chip::IINLIM_MASK, 0);
        }
    }

    /// OTG boost runs: CHG_CONFIG 1x with no input, and on the PSEL parts the OTG pin high.
    fn boosting(&self) -> bool {
        chip::field(self.control[1], chip::CHG_CONFIG_MASK) >= 0b10
            && self.supply.is_none()
            && (self.otg_pin || !self.part.psel())
    }

    /// A boost overload starts (boost fault present and latched, INT) or ends (no longer present).
    fn update_boost(&mut self) {
        let limit_ma = if self.control[1] & chip::BOOST_LIM != 0 {
            1300
        } else {
            500
        };
        let overloaded = self.part.boost_limit() && self.boosting() && self.otg_load_ma > limit_ma;
        if overloaded && !self.overloaded {
            self.present_flags |= chip::BOOST_FAULT;
            self.latched_flags |= chip::BOOST_FAULT;
            self.interrupts += 1;
        } else if !overloaded && self.overloaded {
            self.present_flags &= !chip::BOOST_FAULT;
        }
        self.overloaded = overloaded;
    }

    fn status(&self) -> u8 {
        let [input, power_on, _, _, voltage, timer, thermal, misc] = self.control;
        let chg_config = chip::field(power_on, chip::CHG_CONFIG_MASK);
        let vbus = match (self.supply, self.detection) {
            (None, _) if self.boosting() => 0b11,
            (None, _) | (Some(_), Some(_)) => 0b00,
            (Some(Supply::UsbHost), None) => 0b01,
            (Some(Supply::Adapter), None) => 0b10,
            (Some(Supply::NonStandard), None) if self.part.psel() => 0b01,
            (Some(Supply::NonStandard), None) => 0b00,
        };
        let charging = self.supply.is_some()
            && input & chip::EN_HIZ == 0
            && chg_config == 0b01
            && misc & chip::BATFET_DISABLE == 0
            && self.present_charge == 0
            && self.ntc == 0;
        let battery_low_mv = if voltage & chip::BATLOWV != 0 { 3000 } else { 2800 };
        let charge_voltage_mv = 3504 + 16 * u16::from(chip::field(voltage, chip::VREG_MASK));
        let treg_c = [60, 80, 100, 120][usize::from(thermal & chip::TREG_MASK)];
        let sys_min_mv = 3000 + 100 * u16::from(chip::field(power_on, chip::SYS_MIN_MASK));
        let battery_mv = match (self.battery_present, charging) {
            (true, _) => self.battery_mv,
            // no cell: the charger's output sits at the charge voltage while it charges, and collapses otherwise
            (false, true) => charge_voltage_mv,
            (false, false) => 0,
        };
        let charge = if !charging {
            0b00
        } else if battery_mv < battery_low_mv {
            0b01
        } else if timer & chip::EN_TERM != 0 && battery_mv >= charge_voltage_mv {
            0b11
        } else {
            0b10
        };
        let mut status = chip::with_field(0, chip::VBUS_STAT_MASK, vbus);
        status = chip::with_field(status, chip::CHRG_STAT_MASK, charge);
        status = chip::with_bit(status, chip::DPM_STAT, self.dpm && self.supply.is_some());
        status = chip::with_bit(status, chip::PG_STAT, self.supply.is_some());
        status = chip::with_bit(status, chip::THERM_STAT, charging && self.die_temperature_c >= treg_c);
        chip::with_bit(status, chip::VSYS_STAT, battery_mv < sys_min_mv)
    }

    fn fault_register(&self) -> u8 {
        let default_mode = if self.host_mode { 0 } else { chip::WATCHDOG_FAULT };
        let charge = if self.latched_charge != 0 {
            self.latched_charge
        } else {
            self.present_charge
        };
        let flags = self.latched_flags | self.present_flags | default_mode;
        chip::with_field(flags, chip::CHRG_FAULT_MASK, charge) | self.ntc
    }

    fn update_interrupt(&mut self) {
        let status = self.status();
        if status != self.last_status {
            self.interrupts += 1;
            self.last_status = status;
        }
    }

    fn check_reserved(&mut self, register: u8, value: u8) {
        let wrong = match register {
            // BOOST_LIM on every part but the bq24195, where the bit is reserved and written 1
            chip::POWER_ON_CONFIG => !self.part.boost_limit() && value & chip::POWER_ON_RESERVED == 0,
            chip::CHARGE_CURRENT => value & chip::CHARGE_CURRENT_RESERVED != 0,
            chip::TERMINATION_TIMER => value & chip::TERMINATION_TIMER_RESERVED != 0,
            // IR compensation in 7:2 and TREG in 1:0: no reserved bit
            chip::THERMAL_REGULATION if self.part.ir_compensation() => false,
            chip::THERMAL_REGULATION => value & !chip::TREG_MASK != 0,
            chip::MISC_OPERATION => value & chip::MISC_RESERVED_MASK != chip::MISC_RESERVED_VALUE,
            _ => false,
        };
        if wrong {
            self.reserved_bit_writes += 1;
        }
    }

    fn write_register(&mut self, register: u8, value: u8) {
        if !self.host_mode {
            self.host_mode = true;
            self.watchdog_elapsed_s = 0;
        }
        self.check_reserved(register, value);
        match register {
            chip::INPUT_SOURCE => {
                if self.detection.is_some() {
                    self.writes_during_detection += 1;
                }
                self.control[0] = value;
            }
            chip::POWER_ON_CONFIG => {
                if value & chip::REG_RESET != 0 {
                    // every register to its reset value at once; the bit reads 1 until the reset completes
                    self.control = self.part.reset();
                    self.register_resets += 1;
                    self.reset_running = self.command_transactions.saturating_add(1);
                    return;
                }
                if value & chip::WD_RESET != 0 {
                    self.watchdog_elapsed_s = 0;
                    self.watchdog_kicks += 1;
                    self.kick_running = self.command_transactions.saturating_add(1);
                }
                self.control[1] = value & !(chip::REG_RESET | chip::WD_RESET);
            }
            chip::MISC_OPERATION => {
                self.control[7] = value & !chip::DPDM_EN;
                if value & chip::DPDM_EN != 0 {
                    self.start_detection();
                }
            }
            0x02..=0x06 => self.control[usize::from(register)] = value,
            _ => {}
        }
    }

    fn read_register(&mut self, register: u8, first_of_read: bool) -> u8 {
        match register {
            chip::FAULT if !first_of_read => {
                self.multi_byte_fault_accesses += 1;
                0
            }
            chip::FAULT => {
                let value = self.fault_register();
                self.latched_flags = 0;
                self.latched_charge = 0;
                value
            }
            other => self.register(other),
        }
    }

    fn run(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        if address != chip::ADDRESS {
            return Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address));
        }
        let mut previous_was_write = false;
        for operation in operations.iter_mut() {
            match operation {
                Operation::Write(bytes) => {
                    let mut data = bytes.iter();
                    if !previous_was_write {
                        if let Some(pointer) = data.next() {
                            if *pointer >= REGISTER_COUNT {
                                return Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data));
                            }
                            self.pointer = *pointer;
                        }
                    }
                    let mut first = true;
                    for value in data {
                        if self.pointer == chip::FAULT && !first {
                            self.multi_byte_fault_accesses += 1;
                        }
                        if self.pointer <= chip::MISC_OPERATION {
                            self.write_register(self.pointer, *value);
                        }
                        first = false;
                        self.advance();
                    }
                    previous_was_write = true;
                }
                Operation::Read(buffer) => {
                    let mut first = true;
                    for value in buffer.iter_mut() {
                        *value = self.read_register(self.pointer, first);
                        first = false;
                        self.advance();
                    }
                    previous_was_write = false;
                }
            }
        }
        if let Some(left) = self.detection {
            if left <= 1 {
                self.finish_input_detection();
            } else if left != u8::MAX {
                self.detection = Some(left - 1);
            }
        }
        if self.reset_running != u8::MAX {
            self.reset_running = self.reset_running.saturating_sub(1);
        }
        if self.kick_running != u8::MAX {
            self.kick_running = self.kick_running.saturating_sub(1);
        }
        self.update_boost();
        if !self.battery_present && chip::field(self.status(), chip::CHRG_STAT_MASK) != 0 {
            // no cell: terminate, recharge, terminate again, an INT pulse each time
            self.interrupts += 1;
        }
        self.update_interrupt();
        Ok(())
    }

    fn advance(&mut self) {
        // auto-increment runs over REG00–REG08 (and on into REG09, which refuses multi-byte access)
        if self.pointer < chip::PART_INFO {
            self.pointer += 1;
        }
    }
}

const fn fault_code(fault: SimFault) -> u8 {
    match fault {
        SimFault::Input => 0b01,
        SimFault::ThermalShutdown => 0b10,
        SimFault::SafetyTimer => 0b11,
        _ => 0,
    }
}

impl ErrorType for Bq24195Sim {
    type Error = ErrorKind;
}

impl I2c for Bq24195Sim {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.run(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for Bq24195Sim {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.run(address, operations)
    }
}

/// Bus traffic counted by [`CountingBus`]: transactions, and bytes on the wire after each address byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Traffic {
    /// I2C transactions (START … STOP).
    pub transactions: u32,
    /// Bytes written, address bytes excluded.
    pub written: u32,
    /// Bytes read.
    pub read: u32,
}

/// Wraps a bus and counts what crosses it, for bus-traffic figures. Reached through the driver with
/// `bus()`/`bus_mut()` while the driver owns it.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    bus: B,
    traffic: Traffic,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`, with nothing counted yet.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            traffic: Traffic::default(),
        }
    }

    /// What crossed the bus since [`new`](Self::new) or the last [`reset_traffic`](Self::reset_traffic).
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// Starts counting again from zero.
    pub fn reset_traffic(&mut self) {
        self.traffic = Traffic::default();
    }

    /// The wrapped bus.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, mutably (traffic through this reference is not counted).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Unwraps the bus.
    pub fn into_inner(self) -> B {
        self.bus
    }

    fn count(&mut self, operations: &[Operation<'_>]) {
        let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.traffic.transactions = self.traffic.transactions.saturating_add(1);
        for operation in operations {
            match operation {
                Operation::Write(data) => self.traffic.written = self.traffic.written.saturating_add(bytes(data.len())),
                Operation::Read(buffer) => self.traffic.read = self.traffic.read.saturating_add(bytes(buffer.len())),
            }
        }
    }
}

impl<B: ErrorType> ErrorType for CountingBus<B> {
    type Error = B::Error;
}

impl<B: I2c> I2c for CountingBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(address, operations)
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for CountingBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.count(operations);
        self.bus.transaction(address, operations).await
    }
}

/// Where an injected fault strikes a transaction (see [`FaultyBus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultPoint {
    /// The chip sees nothing of the transaction; the host sees the error.
    BeforeChip,
    /// The chip performs the whole transaction (registers change, a read clears what reading clears); then the
    /// host sees the error.
    AfterChip,
    /// The chip takes the first `n` bytes the host writes in the transaction (and the reads before them), and
    /// nothing after; the host sees the error.
    Partway(usize),
}

/// The error of a [`FaultyBus`]: an injected fault, or the wrapped bus's own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultyBusError<E> {
    /// A fault injected by the [`FaultyBus`], reporting this kind.
    Injected(#[cfg_attr(feature = "defmt", defmt(Debug2Format))] ErrorKind),
    /// The wrapped bus failed.
    Bus(E),
}

impl<E: embedded_hal::i2c::Error> embedded_hal::i2c::Error for FaultyBusError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Injected(kind) => *kind,
            Self::Bus(error) => error.kind(),
        }
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for FaultyBusError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Injected(kind) => write!(f, "injected fault: {kind:?}"),
            Self::Bus(error) => write!(f, "bus error: {error:?}"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for FaultyBusError<E> {}

/// The most operations of one transaction that a [`FaultPoint::Partway`] fault can cut (more are cut at 16).
const PARTWAY_OPERATIONS: usize = 16;

/// Wraps a bus (the simulator, a [`CountingBus`], a shared-bus handle) and injects faults: transaction `n` fails
/// once ([`fail_nth`](Self::fail_nth)), or each fails with a probability from a small deterministic generator
/// ([`fail_randomly`](Self::fail_randomly)), at a [`FaultPoint`]; every byte read can be forced to one value
/// ([`stuck_at`](Self::stuck_at)); the async impl can return `Pending` around each transaction so that a test drops
/// a future at every await point ([`yield_around_transactions`](Self::yield_around_transactions)).
/// One call of `transaction` is one transaction.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FaultyBus<B> {
    bus: B,
    nth: Option<(u32, FaultPoint)>,
    random: Option<(u64, u16)>,
    stuck: Option<u8>,
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    kind: ErrorKind,
    yield_around: bool,
    transactions: u32,
    faults: u32,
}

impl<B> FaultyBus<B> {
    /// Wraps `bus`, injecting nothing.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            nth: None,
            random: None,
            stuck: None,
            kind: ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data),
            yield_around: false,
            transactions: 0,
            faults: 0,
        }
    }

    /// The wrapped bus.
    pub fn into_inner(self) -> B {
        self.bus
    }

    /// The wrapped bus.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus.
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Transaction `n` counted from now (0 = the next one) fails once, at `point`.
    pub fn fail_nth(&mut self, n: u32, point: FaultPoint) {
        self.nth = Some((self.transactions.saturating_add(n), point));
    }

    /// Each transaction fails with probability `per_mille` / 1000, at a point chosen at random; `seed` makes the
    /// run repeatable.
    pub fn fail_randomly(&mut self, seed: u64, per_mille: u16) {
        self.random = Some((seed, per_mille));
    }

    /// Ends both fault plans.
    pub fn stop_failing(&mut self) {
        self.nth = None;
        self.random = None;
    }

    /// `Some(byte)`: every byte the host reads is `byte` (a chip answering the same byte for ever, a floating bus);
    /// the chip still performs the transaction. `None` ends it.
    pub fn stuck_at(&mut self, byte: Option<u8>) {
        self.stuck = byte;
    }

    /// The error an injected fault reports (default: a NACK of a data byte).
    pub fn set_error_kind(&mut self, kind: ErrorKind) {
        self.kind = kind;
    }

    /// With `true`, the async impl returns `Pending` once before a transaction reaches the chip and once after
    /// it did (waking itself), so that a test can drop a future at every await point. The blocking impl ignores it.
    pub fn yield_around_transactions(&mut self, on: bool) {
        self.yield_around = on;
    }

    /// Transactions attempted through the wrapper.
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Faults injected so far.
    pub fn faults(&self) -> u32 {
        self.faults
    }

    fn next_random(state: &mut u64) -> u64 {
        // splitmix64
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Counts the transaction and decides whether (and where) it fails.
    fn plan(&mut self, operations: &[Operation<'_>]) -> Option<FaultPoint> {
        let index = self.transactions;
        self.transactions = self.transactions.saturating_add(1);
        let mut point = None;
        if let Some((n, at)) = self.nth {
            if n == index {
                self.nth = None;
                point = Some(at);
            }
        }
        if let Some((state, per_mille)) = self.random.as_mut() {
            let roll = Self::next_random(state) % 1000;
            if point.is_none() && roll < u64::from(*per_mille) {
                let written: usize = operations
                    .iter()
                    .map(|operation| match operation {
                        Operation::Write(bytes) => bytes.len(),
                        Operation::Read(_) => 0,
                    })
                    .sum();
                let choice = Self::next_random(state);
                point = Some(match choice % 3 {
                    0 => FaultPoint::BeforeChip,
                    1 => FaultPoint::AfterChip,
                    _ => FaultPoint::Partway(usize::try_from((choice >> 8) % (written as u64).max(1)).unwrap_or(0)),
                });
            }
        }
        if point.is_some() {
            self.faults = self.faults.saturating_add(1);
        }
        point
    }

    fn stick(&self, operations: &mut [Operation<'_>]) {
        if let Some(byte) = self.stuck {
            for operation in operations.iter_mut() {
                if let Operation::Read(buffer) = operation {
                    buffer.fill(byte);
                }
            }
        }
    }
}

/// The operations the chip sees when it takes only the first `budget` written bytes of a transaction: earlier
/// operations whole, the write that crosses the budget cut, nothing after. Returns how many were filled in.
fn cut<'a>(operations: &'a mut [Operation<'_>], budget: usize, out: &mut [Operation<'a>; PARTWAY_OPERATIONS]) -> usize {
    let mut left = budget;
    let mut count = 0;
    for (slot, operation) in out.iter_mut().zip(operations.iter_mut()) {
        if left == 0 {
            break;
        }
        match operation {
            Operation::Write(bytes) => {
                let take = left.min(bytes.len());
                *slot = Operation::Write(bytes.get(..take).unwrap_or(&[]));
                left -= take;
            }
            Operation::Read(buffer) => *slot = Operation::Read(buffer),
        }
        count += 1;
    }
    count
}

impl<B: ErrorType> ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: I2c> I2c for FaultyBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        let point = self.plan(operations);
        let injected = Err(FaultyBusError::Injected(self.kind));
        match point {
            None => {
                self.bus.transaction(address, operations).map_err(FaultyBusError::Bus)?;
                self.stick(operations);
                Ok(())
            }
            Some(FaultPoint::BeforeChip) | Some(FaultPoint::Partway(0)) => injected,
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations);
                injected
            }
            Some(FaultPoint::Partway(bytes)) => {
                let mut out: [Operation<'_>; PARTWAY_OPERATIONS] = core::array::from_fn(|_| Operation::Write(&[]));
                let count = cut(operations, bytes, &mut out);
                let _ = self.bus.transaction(address, out.get_mut(..count).unwrap_or(&mut []));
                injected
            }
        }
    }
}

/// `Pending` once (waking the task at once), then ready: an await point for a test to drop a future at.
#[cfg(feature = "async")]
struct YieldOnce(bool);

#[cfg(feature = "async")]
impl core::future::Future for YieldOnce {
    type Output = ();
    fn poll(mut self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> core::task::Poll<()> {
        if self.0 {
            core::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            core::task::Poll::Pending
        }
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for FaultyBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        if self.yield_around {
            YieldOnce(false).await;
        }
        let point = self.plan(operations);
        let injected = Err(FaultyBusError::Injected(self.kind));
        let result = match point {
            None => match self.bus.transaction(address, operations).await {
                Ok(()) => {
                    self.stick(operations);
                    Ok(())
                }
                Err(error) => Err(FaultyBusError::Bus(error)),
            },
            Some(FaultPoint::BeforeChip) | Some(FaultPoint::Partway(0)) => injected,
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations).await;
                injected
            }
            Some(FaultPoint::Partway(bytes)) => {
                let mut out: [Operation<'_>; PARTWAY_OPERATIONS] = core::array::from_fn(|_| Operation::Write(&[]));
                let count = cut(operations, bytes, &mut out);
                let _ = self
                    .bus
                    .transaction(address, out.get_mut(..count).unwrap_or(&mut []))
                    .await;
                injected
            }
        };
        if self.yield_around {
            YieldOnce(false).await;
        }
        result
    }
}
