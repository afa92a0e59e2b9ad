//! A register-level model of the bq24195 that implements the I2C traits, for tests on a PC (ours and yours).
//!
//! It models what a driver can get wrong: the register pointer and auto-increment over REG00–REG08, REG09 refusing
//! multi-byte access (counted by [`Bq24195Sim::multi_byte_fault_accesses`], and the byte reads 0 without clearing
//! the latch), the latched fault register (first read: everything since the last read; second read: the present
//! state; NTC never latched), default mode and host mode, the I2C watchdog expiring and reverting REG00–REG07 to
//! their reset values, the self-clearing REG_RESET (reads 1 once after a reset), WD_RESET and DPDM_EN bits, D+/D−
//! input detection (IINLIM reads 100 mA while it runs, then the detected limit), reserved bits written wrongly
//! (counted), and a status register that follows the input, the battery voltage, the die temperature and the
//! configuration. It answers any other address with a NACK, and an undefined register address too.
//!
//! Model choices where the datasheet pages at hand are silent (see the crate docs): detection finishes after
//! three bus transactions (or at [`Bq24195Sim::finish_input_detection`]) and sets 500 mA for a USB host, 1.5 A for
//! an adapter; the watchdog counts only in host mode and restarts on WD_RESET and on entering host mode.
//!
//! ```
//! use bq24195::{sim::{Bq24195Sim, Supply}, Bq24195, ChargeStatus, Config, Variant};
//!
//! let mut sim = Bq24195Sim::new();
//! sim.plug_in(Supply::Adapter);
//! sim.finish_input_detection();
//! sim.set_battery_mv(3700);
//! let mut charger = Bq24195::new(sim, Variant::Bq24195);
//! charger.init(&Config::electron())?;
//! assert_eq!(charger.status()?.charge, ChargeStatus::FastCharge);
//! let sim = charger.release();
//! assert_eq!(sim.charge_current_ma(), 896);
//! # Ok::<(), bq24195::Error<embedded_hal::i2c::ErrorKind>>(())
//! ```

// Register indices are checked against the 11-entry map before use; the arithmetic is on small counters.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};

use crate::register as reg;
use crate::types::{Config, InputCurrentLimit, NtcFault};

/// What is plugged into VBUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Supply {
    /// A USB host (standard downstream port): detection sets 500 mA.
    UsbHost,
    /// A charging adapter: detection sets 1.5 A.
    Adapter,
}

/// A fault condition the simulated chip can be put into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
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
    control: [u8; reg::CONTROL_COUNT],
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
    reset_reads: u8,
    battery_mv: u16,
    die_temperature_c: u8,
    dpm: bool,
    last_status: u8,
    interrupts: u32,
    writes_during_detection: u32,
    multi_byte_fault_accesses: u32,
    reserved_bit_writes: u32,
    watchdog_expiries: u32,
}

impl Default for Bq24195Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Bq24195Sim {
    /// A chip just powered from a 3.8 V battery, no input: default mode, reset values, watchdog fault set.
    pub fn new() -> Self {
        let mut sim = Self {
            control: reg::RESET,
            pointer: 0,
            host_mode: false,
            watchdog_elapsed_s: 0,
            latched_flags: reg::WATCHDOG_FAULT,
            latched_charge: 0,
            present_flags: 0,
            present_charge: 0,
            ntc: 0,
            supply: None,
            detection: None,
            reset_reads: 0,
            battery_mv: 3800,
            die_temperature_c: 25,
            dpm: false,
            last_status: 0,
            interrupts: 0,
            writes_during_detection: 0,
            multi_byte_fault_accesses: 0,
            reserved_bit_writes: 0,
            watchdog_expiries: 0,
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

    /// Finishes a running input detection now: IINLIM set from the supply, VBUS_STAT valid, DPDM_EN cleared.
    pub fn finish_input_detection(&mut self) {
        if self.detection.take().is_some() {
            let limit = match self.supply {
                Some(Supply::Adapter) => InputCurrentLimit::Ma1500,
                _ => InputCurrentLimit::Ma500,
            };
            self.control[0] = reg::with_field(self.control[0], reg::IINLIM_MASK, limit as u8);
            self.update_interrupt();
        }
    }

    /// The battery voltage, in mV (decides pre-charge, fast charge, done, VSYS regulation).
    pub fn set_battery_mv(&mut self, mv: u16) {
        self.battery_mv = mv;
        self.update_interrupt();
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

    /// The thermistor state (never latched).
    pub fn set_ntc(&mut self, ntc: NtcFault) {
        self.ntc = match ntc {
            NtcFault::Normal => 0,
            NtcFault::Cold => 0b101,
            NtcFault::Hot => 0b110,
            NtcFault::Other(code) => code & reg::NTC_FAULT_MASK,
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
                self.control[7] & reg::INT_MASK_CHARGE == 0
            }
            SimFault::BatteryOvervoltage => {
                self.present_flags |= reg::BAT_FAULT;
                self.latched_flags |= reg::BAT_FAULT;
                self.control[7] & reg::INT_MASK_BATTERY == 0
            }
            SimFault::Boost => {
                self.present_flags |= reg::BOOST_FAULT;
                self.latched_flags |= reg::BOOST_FAULT;
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
            SimFault::BatteryOvervoltage => self.present_flags &= !reg::BAT_FAULT,
            SimFault::Boost => self.present_flags &= !reg::BOOST_FAULT,
            other if self.present_charge == fault_code(other) => self.present_charge = 0,
            _ => {}
        }
        self.update_interrupt();
    }

    /// Lets time pass for the I2C watchdog. In host mode with the watchdog armed, reaching the timeout returns
    /// the chip to default mode: REG00–REG07 to their reset values, WATCHDOG_FAULT set, INT pulsed.
    pub fn elapse(&mut self, time: fugit::SecsDurationU32) {
        let timeout = match reg::field(self.control[5], reg::WATCHDOG_MASK) {
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
            self.control = reg::RESET;
            self.host_mode = false;
            self.watchdog_elapsed_s = 0;
            self.latched_flags |= reg::WATCHDOG_FAULT;
            self.watchdog_expiries += 1;
            self.interrupts += 1;
            self.last_status = self.status();
        }
    }

    /// Power cycle: reset values, default mode, watchdog fault, no detection running.
    pub fn power_on_reset(&mut self) {
        let (supply, battery) = (self.supply, self.battery_mv);
        *self = Self::new();
        self.supply = supply;
        self.battery_mv = battery;
        self.last_status = self.status();
    }

    // ---- what the chip holds and does ---------------------------------------------------------------------

    /// A register as the chip holds it (REG08 computed, REG09 as the next read would return it, without clearing).
    pub fn register(&self, address: u8) -> u8 {
        match address {
            0x00..=0x07 => self.control[usize::from(address)],
            reg::SYSTEM_STATUS => self.status(),
            reg::FAULT => self.fault_register(),
            reg::PART_INFO => reg::PART_INFO_BQ24195,
            _ => 0,
        }
    }

    /// Overwrites a control register behind the driver's back (another master, a glitch).
    pub fn poke(&mut self, address: u8, value: u8) {
        if let Some(slot) = self.control.get_mut(usize::from(address)) {
            *slot = value;
        }
    }

    /// The configuration REG00–REG07 hold.
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
        let config = self.config();
        match reg::field(self.status(), reg::CHRG_STAT_MASK) {
            0b01 if config.force_20_percent => config.precharge_current_ma / 2,
            0b01 => config.precharge_current_ma,
            0b10 if config.force_20_percent => config.fast_charge_current_ma / 5,
            0b10 => config.fast_charge_current_ma,
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

    // ---- internals ----------------------------------------------------------------------------------------

    fn start_detection(&mut self) {
        if self.supply.is_some() {
            self.detection = Some(DETECTION_TRANSACTIONS);
            // while detection runs the chip holds the 100 mA limit
            self.control[0] = reg::with_field(self.control[0], reg::IINLIM_MASK, 0);
        }
    }

    fn status(&self) -> u8 {
        let config = self.config();
        let boosting = config.charge == crate::ChargeConfig::OtgBoost && self.supply.is_none();
        let vbus = match (self.supply, self.detection) {
            (None, _) if boosting => 0b11,
            (None, _) | (Some(_), Some(_)) => 0b00,
            (Some(Supply::UsbHost), None) => 0b01,
            (Some(Supply::Adapter), None) => 0b10,
        };
        let charging = self.supply.is_some()
            && !config.input.hiz
            && config.charge == crate::ChargeConfig::Charge
            && !config.batfet_disabled
            && self.present_charge == 0
            && self.ntc == 0;
        let charge = if !charging {
            0b00
        } else if self.battery_mv < config.battery_low.millivolts() {
            0b01
        } else if config.termination && self.battery_mv >= config.charge_voltage_mv {
            0b11
        } else {
            0b10
        };
        let mut status = reg::with_field(0, reg::VBUS_STAT_MASK, vbus);
        status = reg::with_field(status, reg::CHRG_STAT_MASK, charge);
        status = reg::with_bit(status, reg::DPM_STAT, self.dpm && self.supply.is_some());
        status = reg::with_bit(status, reg::PG_STAT, self.supply.is_some());
        status = reg::with_bit(
            status,
            reg::THERM_STAT,
            charging && self.die_temperature_c >= config.thermal_regulation.celsius(),
        );
        reg::with_bit(
            status,
            reg::VSYS_STAT,
            self.battery_mv < config.minimum_system_voltage_mv,
        )
    }

    fn fault_register(&self) -> u8 {
        let default_mode = if self.host_mode { 0 } else { reg::WATCHDOG_FAULT };
        let charge = if self.latched_charge != 0 {
            self.latched_charge
        } else {
            self.present_charge
        };
        let flags = self.latched_flags | self.present_flags | default_mode;
        reg::with_field(flags, reg::CHRG_FAULT_MASK, charge) | self.ntc
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
            reg::POWER_ON_CONFIG => value & reg::POWER_ON_RESERVED == 0,
            reg::CHARGE_CURRENT => value & reg::CHARGE_CURRENT_RESERVED != 0,
            reg::TERMINATION_TIMER => value & reg::TERMINATION_TIMER_RESERVED != 0,
            reg::THERMAL_REGULATION => value & !reg::TREG_MASK != 0,
            reg::MISC_OPERATION => value & reg::MISC_RESERVED_MASK != reg::MISC_RESERVED_VALUE,
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
            reg::INPUT_SOURCE => {
                if self.detection.is_some() {
                    self.writes_during_detection += 1;
                }
                self.control[0] = value;
            }
            reg::POWER_ON_CONFIG => {
                if value & reg::REG_RESET != 0 {
                    self.control = reg::RESET;
                    self.reset_reads = 1;
                    return;
                }
                if value & reg::WD_RESET != 0 {
                    self.watchdog_elapsed_s = 0;
                }
                self.control[1] = reg::power_on_config_settings(value);
            }
            reg::MISC_OPERATION => {
                self.control[7] = reg::misc_settings(value);
                if value & reg::DPDM_EN != 0 {
                    self.start_detection();
                }
            }
            0x02..=0x06 => self.control[usize::from(register)] = value,
            _ => {}
        }
    }

    fn read_register(&mut self, register: u8, first_of_read: bool) -> u8 {
        match register {
            reg::FAULT if !first_of_read => {
                self.multi_byte_fault_accesses += 1;
                0
            }
            reg::FAULT => {
                let value = self.fault_register();
                self.latched_flags = 0;
                self.latched_charge = 0;
                value
            }
            reg::POWER_ON_CONFIG if self.reset_reads > 0 => {
                self.reset_reads -= 1;
                self.control[1] | reg::REG_RESET
            }
            reg::MISC_OPERATION if self.detection.is_some() => self.control[7] | reg::DPDM_EN,
            other => self.register(other),
        }
    }

    fn run(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        if address != reg::ADDRESS {
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
                        if self.pointer == reg::FAULT && !first {
                            self.multi_byte_fault_accesses += 1;
                        }
                        if self.pointer <= reg::MISC_OPERATION {
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
            } else {
                self.detection = Some(left - 1);
            }
        }
        self.update_interrupt();
        Ok(())
    }

    fn advance(&mut self) {
        // auto-increment runs over REG00–REG08 (and on into REG09, which refuses multi-byte access)
        if self.pointer < reg::PART_INFO {
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

/// Wraps a bus and counts what crosses it, for bus-traffic figures.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    /// The wrapped bus.
    pub bus: B,
    /// What crossed it since the last [`take`](Self::take).
    pub traffic: Traffic,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            traffic: Traffic::default(),
        }
    }

    /// The traffic so far, and resets the count.
    pub fn take(&mut self) -> Traffic {
        core::mem::take(&mut self.traffic)
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
