//! A register-level model of the MAX17043 / MAX17044 with a battery behind it, implementing the I2C traits, for
//! tests on a PC (ours and yours).
//!
//! What it models:
//! - the register file, 16-bit big-endian, with the pointer auto-incrementing and 0xFF past 0xFF; a register
//!   written byte by byte takes effect when its LSB arrives; reads that start at an odd address or stop after
//!   one byte are counted as split reads (the chip makes no promise about them);
//! - a battery: a state of charge you discharge or charge, and an open-circuit voltage that follows it
//!   (3.3 V empty to 4.2 V full per cell; twice that on a MAX17044);
//! - timing: VCELL and SOC read 0 until 125 ms after power-on, a POR command or a quick-start; they follow the
//!   battery while awake; after a wake VCELL and SOC stay frozen for 500 ms;
//! - CONFIG: RCOMP, SLEEP, ATHD as written; bit 6 not writable (reads 1 here); ALRT set by the model, cleared by
//!   writing 0 (writing 1 leaves it as it is);
//! - the alert: live from power-up, set when SOC falls below the threshold, re-armed only once SOC is back at or
//!   above it;
//! - Sleep: the registers stop following the battery;
//! - MODE 0x4000 quick-start and the COMMAND power-on reset, with a choice of which value the chip honours and
//!   whether it acknowledges the last byte (by default: 0x0054, not acknowledged);
//! - no battery (every byte reads 0xFF) and a one-off bus glitch (one read of 0xFFFF);
//! - any address other than 0x36 is not acknowledged;
//! - what a driver must never do to ALRT, counted: clearing an alert no read has returned
//!   ([`alerts_cleared_unseen`](Max17043Sim::alerts_cleared_unseen)) and writing 1 over a clear one
//!   ([`alerts_written_over_clear`](Max17043Sim::alerts_written_over_clear)).
//!
//! - the MAX17048 and MAX17049 ([`Max17043Sim::max17048`], [`Max17043Sim::max17049`]): VCELL as 16 bits of 78.125 µV
//!   per cell (the pack on the 49), CONFIG.ALSC writable, Sleep only with MODE.EnSleep, a MODE write's quick-start and
//!   EnSleep, HIBRT with hibernation after 6 minutes of |CRATE| under HibThr (0xFFFF always, 0x0000 never; ActThr is
//!   not modelled), CRATE as you set it, VALRT compared per cell (VH, VL set while outside the window), VRESET/ID
//!   with a read-only ID, STATUS flags set by the model (HD, SC, VH, VL, VR, RI at power-up) and cleared by writing
//!   0, EnVR, ALRT for every flag but RI, the 0x5400 reset never acknowledged; and what a driver must never do to
//!   STATUS, counted ([`status_cleared_unseen`](Max17043Sim::status_cleared_unseen),
//!   [`status_written_over_clear`](Max17043Sim::status_written_over_clear));
//!
//! [`FaultyBus`] wraps the model (or any bus) and makes transactions fail before the chip, after it or part way,
//! answers one byte for ever, and lets async tests drop futures at every await point; [`CountingBus`] counts the
//! traffic. The model keeps its own register constants, independent of the driver's.
//!
//! ```
//! use max17043::{sim::Max17043Sim, Max17043, StateOfCharge, Variant};
//!
//! let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
//! let mut gauge = Max17043::new(sim, Variant::Max17043);
//! assert_eq!(gauge.state_of_charge()?.whole_percent(), 50);
//! assert_eq!(gauge.voltage()?.millivolts(), 3750);
//! # Ok::<(), max17043::Error<embedded_hal::i2c::ErrorKind>>(())
//! ```

// The register file is a 256-entry array indexed by a `u8`, so no index can go out of range; the model's
// arithmetic is on small values (percentages, milliseconds) with saturating time.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use embedded_hal::i2c::{ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};

use crate::{PorCommand, StateOfCharge, Variant};

/// The chip's facts as the model knows them, from the datasheet, independent of the driver's `register` module:
/// a wrong constant in the driver then fails a test instead of agreeing with itself.
mod reg {
    pub const ADDRESS: u8 = 0x36;
    pub const VCELL: u8 = 0x02;
    pub const SOC: u8 = 0x04;
    pub const MODE: u8 = 0x06;
    pub const VERSION: u8 = 0x08;
    pub const CONFIG: u8 = 0x0C;
    pub const COMMAND: u8 = 0xFE;
    pub const MODE_QUICK_START: u16 = 0x4000;
    pub const POR_NEW_REVISION: u16 = 0x0054;
    pub const POR_OLD_REVISION: u16 = 0x5400;
    pub const CONFIG_RESET: u16 = 0x971C;
    pub const CONFIG_SLEEP: u8 = 0x80;
    pub const CONFIG_DONT_CARE: u8 = 0x40;
    pub const CONFIG_ALRT: u8 = 0x20;
    pub const CONFIG_ATHD: u8 = 0x1F;
    /// What a write sets directly: SLEEP and ATHD (ALRT only clears, bit 6 is not writable).
    pub const CONFIG_WRITABLE: u8 = CONFIG_SLEEP | CONFIG_ATHD;
    pub const FIRST_READING_MS: u32 = 125;
    pub const WAKE_SETTLE_MS: u32 = 500;
    pub const SOC_FULL: u16 = 0x6400;
    pub const VCELL_STEP_UV_1_CELL: u32 = 1250;
    pub const VCELL_STEP_UV_2_CELLS: u32 = 2500;

    // MAX17048/49
    pub const HIBRT: u8 = 0x0A;
    pub const VALRT: u8 = 0x14;
    pub const CRATE: u8 = 0x16;
    pub const VRESET_ID: u8 = 0x18;
    pub const STATUS: u8 = 0x1A;
    pub const POR_MAX17048: u16 = 0x5400;
    pub const MODEL_ACCESS: u8 = 0x3E;
    pub const MODEL_UNLOCK: u16 = 0x4A57;
    pub const TABLE_FIRST: u8 = 0x40;
    pub const TABLE_LAST: u8 = 0x7F;
    pub const HIBRT_RESET: u16 = 0x8030;
    pub const VALRT_RESET: u16 = 0x00FF;
    pub const VRESET_RESET: u8 = 0x96;
    pub const CONFIG_ALSC: u8 = 0x40;
    pub const MODE_QUICK_START_BIT: u16 = 0x4000;
    pub const MODE_EN_SLEEP: u16 = 0x2000;
    pub const MODE_HIB_STAT: u16 = 0x1000;
    /// STATUS MSB: RI, VH, VL, VR, HD, SC (bits 0..=5), EnVR (bit 6).
    pub const ST_RI: u8 = 0x01;
    pub const ST_VH: u8 = 0x02;
    pub const ST_VL: u8 = 0x04;
    pub const ST_VR: u8 = 0x08;
    pub const ST_HD: u8 = 0x10;
    pub const ST_SC: u8 = 0x20;
    pub const ST_EN_VR: u8 = 0x40;
    pub const ST_FLAGS: u8 = 0x3F;
    /// Hibernation after |CRATE| stays under HibThr this long.
    pub const HIBERNATE_AFTER_MS: u32 = 6 * 60 * 1000;

    /// Threshold in percent = 32 − ATHD.
    pub const fn decode_alert_threshold(lsb: u8) -> u8 {
        32 - (lsb & CONFIG_ATHD)
    }
}

/// The VERSION the model reports.
pub const SIM_VERSION: u16 = 0x0012;

/// The factory ID a simulated MAX17048/49 reports (the LSB of VRESET/ID).
pub const SIM_ID: u8 = 0x0C;

/// What a MAX17048/49 adds to the model.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Extension {
    cells: u8,
    en_sleep: bool,
    hibrt: u16,
    valrt: u16,
    crate_raw: i16,
    vreset: u8,
    /// STATUS MSB.
    status: u8,
    /// The flags a read has returned set since the chip raised them.
    status_seen: u8,
    /// How long |CRATE| has been under HibThr.
    low_rate_ms: u32,
    hibernating: bool,
    /// The whole percent of SOC at the last update (for SC).
    last_percent: u8,
    status_cleared_unseen: u32,
    status_written_over_clear: u32,
    model_unlocked: bool,
    table: [u8; 64],
    table_writes_locked: u32,
}

impl Extension {
    fn new(cells: u8) -> Self {
        Self {
            cells,
            en_sleep: false,
            hibrt: reg::HIBRT_RESET,
            valrt: reg::VALRT_RESET,
            crate_raw: 0,
            vreset: reg::VRESET_RESET,
            status: 0,
            status_seen: 0,
            low_rate_ms: 0,
            hibernating: false,
            last_percent: 0,
            status_cleared_unseen: 0,
            status_written_over_clear: 0,
            model_unlocked: false,
            table: [0; 64],
            table_writes_locked: 0,
        }
    }

    /// The power-up registers, RI set.
    fn reset(&mut self) {
        *self = Self {
            status: reg::ST_RI,
            status_cleared_unseen: self.status_cleared_unseen,
            status_written_over_clear: self.status_written_over_clear,
            table: self.table,
            table_writes_locked: self.table_writes_locked,
            ..Self::new(self.cells)
        };
    }
}

/// How the simulated chip answers the power-on-reset command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PorResponse {
    /// The COMMAND value that resets it (the other one is reserved and ignored).
    pub honours: PorCommand,
    /// Whether it acknowledges the last byte of the command (it resets either way).
    pub acknowledges: bool,
}

impl Default for PorResponse {
    /// 0x0054, not acknowledged: the newer datasheet's value and the pessimistic answer.
    fn default() -> Self {
        Self {
            honours: PorCommand::Current,
            acknowledges: false,
        }
    }
}

/// The simulated gauge and its battery.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Max17043Sim {
    variant: Variant,
    /// A MAX17048 or MAX17049: its registers and behaviour.
    ext: Option<Extension>,
    /// The battery's true state of charge, in 1/256 %.
    battery_soc: u16,
    battery_present: bool,
    vcell: u16,
    soc: u16,
    config: u16,
    /// Set once SOC has been at or above the threshold since the last alert.
    armed: bool,
    /// Milliseconds since power-on, a POR command or a quick-start (saturating).
    since_start_ms: u32,
    /// Milliseconds since the last wake, while that is under 500 ms.
    since_wake_ms: Option<u32>,
    pointer: u8,
    /// A read went past 0xFF: the rest of it reads 0xFF.
    past_end: bool,
    /// The MSB of a register write, waiting for its LSB.
    pending_msb: Option<u8>,
    por: PorResponse,
    glitch_next_read: bool,
    resets: u32,
    quick_starts: u32,
    split_reads: u32,
    ignored_writes: u32,
    /// A read has returned CONFIG's LSB with ALRT set since the chip raised it.
    alert_seen: bool,
    alerts_cleared_unseen: u32,
    alerts_written_over_clear: u32,
}

impl Max17043Sim {
    /// A gauge that has been running for a while (its readings are valid), awake, with the power-up CONFIG
    /// (RCOMP 0x97, alert at 4 %, ALRT clear), on a battery at `soc`.
    pub fn new(variant: Variant, soc: StateOfCharge) -> Self {
        let mut sim = Self {
            variant,
            ext: None,
            battery_soc: soc.as_256ths(),
            battery_present: true,
            vcell: 0,
            soc: 0,
            config: reg::CONFIG_RESET,
            armed: true,
            since_start_ms: reg::FIRST_READING_MS,
            since_wake_ms: None,
            pointer: 0,
            past_end: false,
            pending_msb: None,
            por: PorResponse::default(),
            glitch_next_read: false,
            resets: 0,
            quick_starts: 0,
            split_reads: 0,
            ignored_writes: 0,
            alert_seen: false,
            alerts_cleared_unseen: 0,
            alerts_written_over_clear: 0,
        };
        sim.update();
        sim
    }

    /// A MAX17048 (one cell, VCELL 78.125 µV per LSB) running for a while and configured (STATUS clear), with the
    /// power-up CONFIG, HIBRT, VALRT and VRESET, on a battery at `soc`. It resets only on COMMAND 0x5400, never
    /// acknowledged. EnSleep is 0: CONFIG.SLEEP alone does not put it to sleep.
    pub fn max17048(soc: StateOfCharge) -> Self {
        Self::with_extension(Variant::Max17043, 1, soc)
    }

    /// A MAX17049 (two cells, VCELL reads the pack, 156.25 µV per LSB; VALRT and VRESET per cell), otherwise as
    /// [`max17048`](Self::max17048).
    pub fn max17049(soc: StateOfCharge) -> Self {
        Self::with_extension(Variant::Max17044, 2, soc)
    }

    fn with_extension(variant: Variant, cells: u8, soc: StateOfCharge) -> Self {
        let mut sim = Self::new(variant, soc);
        sim.ext = Some(Extension::new(cells));
        sim.por = PorResponse {
            honours: PorCommand::Legacy,
            acknowledges: false,
        };
        sim.update();
        if let Some(ext) = sim.ext.as_mut() {
            ext.status = 0;
        }
        sim
    }

    /// Chooses how the chip answers the power-on-reset command.
    pub fn set_por_response(&mut self, response: PorResponse) {
        self.por = response;
    }

    // ---- the battery ----------------------------------------------------------------------------------------

    /// The battery's true state of charge.
    pub fn battery(&self) -> StateOfCharge {
        StateOfCharge::from_256ths(self.battery_soc)
    }

    /// Sets the battery's state of charge (the registers follow if the gauge is awake and ready).
    pub fn set_battery(&mut self, soc: StateOfCharge) {
        self.battery_soc = soc.as_256ths();
        self.update();
    }

    /// Takes `by` out of the battery (down to 0 %).
    pub fn discharge(&mut self, by: StateOfCharge) {
        self.set_battery(StateOfCharge::from_256ths(
            self.battery_soc.saturating_sub(by.as_256ths()),
        ));
    }

    /// Puts `by` into the battery (up to 100 %).
    pub fn charge(&mut self, by: StateOfCharge) {
        let soc = self.battery_soc.saturating_add(by.as_256ths()).min(reg::SOC_FULL);
        self.set_battery(StateOfCharge::from_256ths(soc));
    }

    /// Removes the battery: the gauge loses power and every byte reads 0xFF.
    pub fn remove_battery(&mut self) {
        self.battery_present = false;
    }

    /// Inserts a battery at `soc`: the gauge powers up (CONFIG back to 0x971C, readings 0 for 125 ms).
    pub fn insert_battery(&mut self, soc: StateOfCharge) {
        self.battery_present = true;
        self.battery_soc = soc.as_256ths();
        self.power_on_reset();
    }

    /// The next register read returns 0xFFFF (a bus glitch).
    pub fn glitch_next_read(&mut self) {
        self.glitch_next_read = true;
    }

    /// Lets `ms` milliseconds pass.
    pub fn elapse_ms(&mut self, ms: u32) {
        if let Some(ext) = self.ext.as_mut() {
            let [hib_thr, _] = ext.hibrt.to_be_bytes();
            if ext.hibrt == 0xFFFF {
                ext.hibernating = true;
            } else if ext.crate_raw.unsigned_abs() < u16::from(hib_thr) {
                ext.low_rate_ms = ext.low_rate_ms.saturating_add(ms);
                ext.hibernating = ext.low_rate_ms >= reg::HIBERNATE_AFTER_MS;
            } else {
                ext.low_rate_ms = 0;
                ext.hibernating = false;
            }
        }
        self.since_start_ms = self.since_start_ms.saturating_add(ms);
        if let Some(since) = self.since_wake_ms {
            let since = since.saturating_add(ms);
            self.since_wake_ms = (since < reg::WAKE_SETTLE_MS).then_some(since);
        }
        self.update();
    }

    /// Power cycle: CONFIG to 0x971C, VCELL and SOC to 0 until 125 ms have passed, the alert armed (on a
    /// MAX17048/49 also HIBRT, VALRT, VRESET, MODE to their power-up values and STATUS to RI).
    pub fn power_on_reset(&mut self) {
        if let Some(ext) = self.ext.as_mut() {
            ext.reset();
        }
        self.config = reg::CONFIG_RESET;
        self.vcell = 0;
        self.soc = 0;
        self.armed = true;
        self.since_start_ms = 0;
        self.since_wake_ms = None;
        self.pending_msb = None;
        self.update();
    }

    // ---- what the chip holds --------------------------------------------------------------------------------

    /// The raw value of a register as the chip holds it (bit 6 of CONFIG reads 1 on a MAX17043/44).
    pub fn register(&self, address: u8) -> u16 {
        if let Some(ext) = &self.ext {
            match address {
                reg::CONFIG => return self.config,
                reg::MODE => {
                    let hib = if ext.hibernating { reg::MODE_HIB_STAT } else { 0 };
                    let sleep = if ext.en_sleep { reg::MODE_EN_SLEEP } else { 0 };
                    return hib | sleep;
                }
                reg::HIBRT => return ext.hibrt,
                reg::VALRT => return ext.valrt,
                reg::CRATE => return u16::from_be_bytes(ext.crate_raw.to_be_bytes()),
                reg::VRESET_ID => return u16::from_be_bytes([ext.vreset, SIM_ID]),
                reg::STATUS => return u16::from(ext.status) << 8,
                _ => {}
            }
        }
        match address {
            reg::VCELL => self.vcell,
            reg::SOC => self.soc,
            reg::VERSION => SIM_VERSION,
            reg::CONFIG => self.config | u16::from(reg::CONFIG_DONT_CARE),
            _ => 0,
        }
    }

    /// CONFIG as the chip holds it.
    pub fn config(&self) -> crate::Config {
        crate::Config::decode(self.config)
    }

    /// The ALRT pin is driven low.
    pub fn alert_pin_low(&self) -> bool {
        self.config & u16::from(reg::CONFIG_ALRT) != 0
    }

    /// The gauge is in Sleep (on a MAX17048/49: CONFIG.SLEEP with MODE.EnSleep).
    pub fn is_sleeping(&self) -> bool {
        let enabled = self.ext.as_ref().map_or(true, |ext| ext.en_sleep);
        enabled && self.config & u16::from(reg::CONFIG_SLEEP) != 0
    }

    // ---- MAX17048 / MAX17049 --------------------------------------------------------------------------------

    /// Sets what CRATE reports (MAX17048/49; ignored on a MAX17043/44).
    pub fn set_charge_rate(&mut self, rate: crate::ChargeRate) {
        if let Some(ext) = self.ext.as_mut() {
            ext.crate_raw = rate.raw();
            if rate.raw().unsigned_abs() >= u16::from(ext.hibrt.to_be_bytes()[0]) && ext.hibrt != 0xFFFF {
                ext.hibernating = false;
                ext.low_rate_ms = 0;
            }
        }
    }

    /// The STATUS flags set (MAX17048/49; none on a MAX17043/44).
    pub fn status_flags(&self) -> crate::StatusFlags {
        crate::StatusFlags::from_bits_truncate(self.ext.as_ref().map_or(0, |ext| ext.status))
    }

    /// STATUS.EnVR.
    pub fn voltage_reset_alert_enabled(&self) -> bool {
        self.ext.as_ref().is_some_and(|ext| ext.status & reg::ST_EN_VR != 0)
    }

    /// MODE.EnSleep.
    pub fn en_sleep(&self) -> bool {
        self.ext.as_ref().is_some_and(|ext| ext.en_sleep)
    }

    /// The gauge hibernates (MODE.HibStat).
    pub fn is_hibernating(&self) -> bool {
        self.ext.as_ref().is_some_and(|ext| ext.hibernating)
    }

    /// A voltage-reset event (the cell taken for removed and put back): STATUS.VR, and ALRT if EnVR is set.
    pub fn voltage_reset_event(&mut self) {
        let en_vr = self.voltage_reset_alert_enabled();
        self.raise(reg::ST_VR, en_vr);
    }

    /// Model access is unlocked (register 0x3E holds 0x4A57).
    pub fn is_model_unlocked(&self) -> bool {
        self.ext.as_ref().is_some_and(|ext| ext.model_unlocked)
    }

    /// The TABLE as written (64 bytes, 0x40 to 0x7F; zeros on a MAX17043/44). It survives a reset in the model.
    pub fn model_table(&self) -> [u8; 64] {
        self.ext.as_ref().map_or([0; 64], |ext| ext.table)
    }

    /// How many TABLE words were written while model access was locked (and ignored).
    pub fn table_writes_locked(&self) -> u32 {
        self.ext.as_ref().map_or(0, |ext| ext.table_writes_locked)
    }

    /// How many STATUS writes cleared a flag that no read had returned set since the chip raised it.
    pub fn status_cleared_unseen(&self) -> u32 {
        self.ext.as_ref().map_or(0, |ext| ext.status_cleared_unseen)
    }

    /// How many STATUS writes had a flag 1 while the chip held 0 (the model ignores it; a driver must never).
    pub fn status_written_over_clear(&self) -> u32 {
        self.ext.as_ref().map_or(0, |ext| ext.status_written_over_clear)
    }

    /// Sets a STATUS flag (newly raised: unseen) and, if `alert`, ALRT.
    fn raise(&mut self, flag: u8, alert: bool) {
        let Some(ext) = self.ext.as_mut() else { return };
        if ext.status & flag != 0 {
            return;
        }
        ext.status |= flag;
        ext.status_seen &= !flag;
        if alert {
            self.config |= u16::from(reg::CONFIG_ALRT);
            self.alert_seen = false;
        }
    }

    /// How many power-on-reset commands reset the chip.
    pub fn resets(&self) -> u32 {
        self.resets
    }

    /// How many quick-starts the chip has seen.
    pub fn quick_starts(&self) -> u32 {
        self.quick_starts
    }

    /// How many reads started at an odd address or read a single byte (a driver must never do this).
    pub fn split_reads(&self) -> u32 {
        self.split_reads
    }

    /// How many register writes were ignored: read-only registers, reserved values, a lone MSB.
    pub fn ignored_writes(&self) -> u32 {
        self.ignored_writes
    }

    /// How many CONFIG writes cleared ALRT while no read had returned it set since the chip raised it (an alert
    /// nobody saw). Only `clear_alert`, `configure` or a reset should ever do that.
    pub fn alerts_cleared_unseen(&self) -> u32 {
        self.alerts_cleared_unseen
    }

    /// How many CONFIG writes had ALRT = 1 while the chip held 0 (the model ignores the 1; what a real chip does
    /// with it is undocumented, so a driver must never do it).
    pub fn alerts_written_over_clear(&self) -> u32 {
        self.alerts_written_over_clear
    }

    // ---- the model ------------------------------------------------------------------------------------------

    fn threshold_256ths(&self) -> u16 {
        u16::from(reg::decode_alert_threshold(self.config.to_be_bytes()[1])) << 8
    }

    fn open_circuit_uv(&self) -> u32 {
        // 3.3 V empty, 4.2 V full, linear in SOC; per cell.
        // 900 mV over 25600 steps of 1/256 %: 1125 / 32 µV per step.
        let cell = 3_300_000 + u32::from(self.battery_soc.min(reg::SOC_FULL)) * 1125 / 32;
        match self.variant {
            Variant::Max17043 => cell,
            Variant::Max17044 => cell * 2,
        }
    }

    /// Brings VCELL and SOC up to date when the chip would, then runs the alert comparator.
    fn update(&mut self) {
        let ready = self.since_start_ms >= reg::FIRST_READING_MS;
        if !ready || self.is_sleeping() || self.since_wake_ms.is_some() {
            return;
        }
        if let Some(ext) = &self.ext {
            // 78.125 µV = 625 / 8 µV per cell: counts = µV × 8 / (625 × cells), rounded
            let divisor = 625 * u32::from(ext.cells);
            let counts = ((self.open_circuit_uv() * 8 + divisor / 2) / divisor).min(0xFFFF);
            self.vcell = u16::try_from(counts).unwrap_or(0xFFFF);
        } else {
            let step = match self.variant {
                Variant::Max17043 => reg::VCELL_STEP_UV_1_CELL,
                Variant::Max17044 => reg::VCELL_STEP_UV_2_CELLS,
            };
            let counts = ((self.open_circuit_uv() + step / 2) / step).min(4095);
            self.vcell = u16::try_from(counts).unwrap_or(4095) << 4;
        }
        self.soc = self.battery_soc;
        let threshold = self.threshold_256ths();
        if self.soc < threshold {
            if self.armed {
                self.config |= u16::from(reg::CONFIG_ALRT);
                self.armed = false;
                self.alert_seen = false;
                if let Some(ext) = self.ext.as_mut() {
                    ext.status |= reg::ST_HD;
                    ext.status_seen &= !reg::ST_HD;
                }
            }
        } else {
            self.armed = true;
        }
        if let Some(ext) = &self.ext {
            let percent = self.soc.to_be_bytes()[0];
            let changed = percent != ext.last_percent;
            let alsc = self.config.to_be_bytes()[1] & reg::CONFIG_ALSC != 0;
            let cell_mv = self.open_circuit_uv() / u32::from(ext.cells) / 1000;
            let [min, max] = ext.valrt.to_be_bytes();
            if changed && alsc {
                self.raise(reg::ST_SC, true);
            }
            if cell_mv > u32::from(max) * 20 {
                self.raise(reg::ST_VH, true);
            }
            if cell_mv < u32::from(min) * 20 {
                self.raise(reg::ST_VL, true);
            }
            if let Some(ext) = self.ext.as_mut() {
                ext.last_percent = percent;
            }
        }
    }

    fn commit(&mut self, address: u8, value: u16) -> Result<(), ErrorKind> {
        if self.ext.is_some() {
            return self.commit_extended(address, value);
        }
        match address {
            reg::CONFIG => {
                let [rcomp, lsb] = value.to_be_bytes();
                let was_sleeping = self.is_sleeping();
                let held = self.config.to_be_bytes()[1] & reg::CONFIG_ALRT;
                if lsb & reg::CONFIG_ALRT == 0 && held != 0 && !self.alert_seen {
                    self.alerts_cleared_unseen += 1;
                }
                if lsb & reg::CONFIG_ALRT != 0 && held == 0 {
                    self.alerts_written_over_clear += 1;
                }
                let alert = if lsb & reg::CONFIG_ALRT == 0 { 0 } else { held };
                self.config = u16::from_be_bytes([rcomp, (lsb & reg::CONFIG_WRITABLE) | alert]);
                if was_sleeping && !self.is_sleeping() {
                    self.since_wake_ms = Some(0);
                }
                self.update();
            }
            reg::MODE if value == reg::MODE_QUICK_START => {
                self.quick_starts += 1;
                self.vcell = 0;
                self.soc = 0;
                self.since_start_ms = 0;
            }
            reg::COMMAND if value == honoured_por(self.por.honours) => {
                self.power_on_reset();
                self.resets += 1;
                if !self.por.acknowledges {
                    return Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data));
                }
            }
            _ => self.ignored_writes += 1,
        }
        Ok(())
    }

    /// A register write on a MAX17048/49.
    fn commit_extended(&mut self, address: u8, value: u16) -> Result<(), ErrorKind> {
        let [msb, lsb] = value.to_be_bytes();
        let was_sleeping = self.is_sleeping();
        let Some(ext) = self.ext.as_mut() else {
            return Ok(());
        };
        match address {
            reg::CONFIG => {
                let held = self.config.to_be_bytes()[1] & reg::CONFIG_ALRT;
                if lsb & reg::CONFIG_ALRT == 0 && held != 0 && !self.alert_seen {
                    self.alerts_cleared_unseen += 1;
                }
                if lsb & reg::CONFIG_ALRT != 0 && held == 0 {
                    self.alerts_written_over_clear += 1;
                }
                let alert = if lsb & reg::CONFIG_ALRT == 0 { 0 } else { held };
                let writable = reg::CONFIG_WRITABLE | reg::CONFIG_ALSC;
                self.config = u16::from_be_bytes([msb, (lsb & writable) | alert]);
                if was_sleeping && !self.is_sleeping() {
                    self.since_wake_ms = Some(0);
                }
                self.update();
            }
            reg::MODE => {
                ext.en_sleep = value & reg::MODE_EN_SLEEP != 0;
                if value & reg::MODE_QUICK_START_BIT != 0 {
                    self.quick_starts += 1;
                    self.vcell = 0;
                    self.soc = 0;
                    self.since_start_ms = 0;
                }
                if was_sleeping && !self.is_sleeping() {
                    self.since_wake_ms = Some(0);
                }
            }
            reg::HIBRT => ext.hibrt = value,
            reg::VALRT => {
                ext.valrt = value;
                self.update();
            }
            reg::VRESET_ID => ext.vreset = msb,
            reg::STATUS => {
                let flags = ext.status & reg::ST_FLAGS;
                let written = msb & reg::ST_FLAGS;
                let cleared = flags & !written;
                if cleared & !ext.status_seen != 0 {
                    ext.status_cleared_unseen += 1;
                }
                if written & !flags != 0 {
                    ext.status_written_over_clear += 1;
                }
                ext.status = (flags & written) | (msb & reg::ST_EN_VR);
            }
            reg::MODEL_ACCESS => ext.model_unlocked = value == reg::MODEL_UNLOCK,
            reg::TABLE_FIRST..=reg::TABLE_LAST => {
                if ext.model_unlocked {
                    let at = usize::from(address - reg::TABLE_FIRST);
                    ext.table[at] = msb;
                    ext.table[at + 1] = lsb;
                } else {
                    ext.table_writes_locked += 1;
                }
            }
            reg::COMMAND if value == reg::POR_MAX17048 => {
                self.power_on_reset();
                self.resets += 1;
                return Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data));
            }
            _ => self.ignored_writes += 1,
        }
        Ok(())
    }

    fn write_byte(&mut self, value: u8) -> Result<(), ErrorKind> {
        let address = self.pointer;
        self.pointer = self.pointer.wrapping_add(1);
        if address % 2 == 0 {
            if self.pending_msb.replace(value).is_some() {
                self.ignored_writes += 1;
            }
            Ok(())
        } else {
            match self.pending_msb.take() {
                Some(msb) => self.commit(address - 1, u16::from_be_bytes([msb, value])),
                None => {
                    self.ignored_writes += 1;
                    Ok(())
                }
            }
        }
    }

    fn read_byte(&mut self, glitch: bool) -> u8 {
        if self.past_end || glitch || !self.battery_present {
            return 0xFF;
        }
        let address = self.pointer;
        match address.checked_add(1) {
            Some(next) => self.pointer = next,
            None => self.past_end = true,
        }
        let [msb, lsb] = self.register(address & 0xFE).to_be_bytes();
        if address == reg::CONFIG + 1 && lsb & reg::CONFIG_ALRT != 0 {
            self.alert_seen = true;
        }
        if address == reg::STATUS {
            if let Some(ext) = self.ext.as_mut() {
                ext.status_seen |= ext.status & reg::ST_FLAGS;
            }
        }
        if address % 2 == 0 {
            msb
        } else {
            lsb
        }
    }

    fn run(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), ErrorKind> {
        if address != reg::ADDRESS {
            return Err(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address));
        }
        let mut previous_was_write = false;
        for operation in operations {
            match operation {
                Operation::Write(bytes) => {
                    let mut data = bytes.iter();
                    if !previous_was_write {
                        if let Some(pointer) = data.next() {
                            self.pointer = *pointer;
                            self.pending_msb = None;
                            self.past_end = false;
                        }
                    }
                    for value in data {
                        if self.battery_present {
                            self.write_byte(*value)?;
                        }
                    }
                    previous_was_write = true;
                }
                Operation::Read(buffer) => {
                    if self.pointer % 2 == 1 || buffer.len() == 1 {
                        self.split_reads += 1;
                    }
                    let glitch = core::mem::take(&mut self.glitch_next_read);
                    for value in buffer.iter_mut() {
                        *value = self.read_byte(glitch);
                    }
                    previous_was_write = false;
                }
            }
        }
        Ok(())
    }
}

/// The COMMAND value a chip of this revision resets on.
const fn honoured_por(command: PorCommand) -> u16 {
    match command {
        PorCommand::Current => reg::POR_NEW_REVISION,
        PorCommand::Legacy => reg::POR_OLD_REVISION,
    }
}

impl ErrorType for Max17043Sim {
    type Error = ErrorKind;
}

impl I2c for Max17043Sim {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        self.run(address, operations)
    }
}

#[cfg(feature = "async")]
impl embedded_hal_async::i2c::I2c for Max17043Sim {
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

/// Wraps a bus and counts what crosses it, for bus-traffic figures. Give it to a driver as its bus and look at
/// the count through the driver's `bus()` (or `bus_mut()` to reset it, or to reach the sim behind it):
///
/// ```
/// use max17043::sim::{CountingBus, Max17043Sim, Traffic};
/// use max17043::{Max17043, StateOfCharge, Variant};
///
/// let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
/// let mut gauge = Max17043::new(CountingBus::new(sim), Variant::Max17043);
/// gauge.state_of_charge()?;
/// assert_eq!(gauge.bus().traffic(), Traffic { transactions: 1, written: 1, read: 2 });
/// gauge.bus_mut().reset_traffic();
/// gauge.bus_mut().inner_mut().discharge(StateOfCharge::from_percent(20));
/// assert_eq!(gauge.state_of_charge()?.whole_percent(), 30);
/// assert_eq!(gauge.release().traffic().transactions, 1);
/// Ok::<(), max17043::Error<max17043::embedded_hal::i2c::ErrorKind>>(())
/// ```
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CountingBus<B> {
    bus: B,
    traffic: Traffic,
}

impl<B> CountingBus<B> {
    /// Wraps `bus`, with the count at zero.
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

    /// Sets the count back to zero.
    pub fn reset_traffic(&mut self) {
        self.traffic = Traffic::default();
    }

    /// The wrapped bus, to look at.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, to change (a sim's battery, say) while a driver owns the wrapper.
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// The wrapped bus.
    pub fn into_inner(self) -> B {
        self.bus
    }

    fn count(&mut self, operations: &[Operation<'_>]) {
        let bytes = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let traffic = &mut self.traffic;
        traffic.transactions = traffic.transactions.saturating_add(1);
        for operation in operations {
            match operation {
                Operation::Write(data) => traffic.written = traffic.written.saturating_add(bytes(data.len())),
                Operation::Read(buffer) => traffic.read = traffic.read.saturating_add(bytes(buffer.len())),
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

// ---- fault injection ------------------------------------------------------------------------------------------

/// Where an injected fault hits a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultPoint {
    /// The chip sees nothing of the transaction.
    BeforeChip,
    /// The chip performs the whole transaction (its registers change), then the host sees the error.
    AfterChip,
    /// The chip takes the first `n` bytes the host writes in the transaction (the register pointer first), and
    /// nothing after: no later byte, no read.
    Partway(usize),
}

/// The error of a [`FaultyBus`]: an injected fault, or the wrapped bus's own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultyBusError<E> {
    /// A fault injected by the wrapper, reporting this kind.
    Injected(#[cfg_attr(feature = "defmt", defmt(Debug2Format))] ErrorKind),
    /// The wrapped bus failed by itself.
    Bus(E),
}

impl<E: embedded_hal::i2c::Error> embedded_hal::i2c::Error for FaultyBusError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Injected(kind) => *kind,
            Self::Bus(e) => e.kind(),
        }
    }
}

impl<E: core::fmt::Debug> core::fmt::Display for FaultyBusError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Injected(kind) => write!(f, "injected fault: {kind:?}"),
            Self::Bus(e) => write!(f, "bus error: {e:?}"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for FaultyBusError<E> {}

/// The most operations one transaction may have for [`FaultPoint::Partway`] (the driver uses at most 2).
const PARTWAY_OPERATIONS: usize = 8;

/// Wraps a bus (the simulator, a [`CountingBus`], a shared-bus handle) and makes its transactions fail on
/// demand: transaction `n` ([`fail_nth`](Self::fail_nth)), or each with a probability
/// ([`fail_randomly`](Self::fail_randomly)), before the chip sees it, after it took it, or part way; it can also
/// answer one byte for ever ([`stuck_at`](Self::stuck_at)), and make the async transactions return `Pending`
/// around the chip's part so that a test can drop a future at every await point
/// ([`yield_around_transactions`](Self::yield_around_transactions)).
///
/// ```
/// use max17043::sim::{FaultPoint, FaultyBus, Max17043Sim};
/// use max17043::{Max17043, StateOfCharge, Variant};
///
/// let sim = Max17043Sim::new(Variant::Max17043, StateOfCharge::from_percent(50));
/// let mut bus = FaultyBus::new(sim);
/// bus.fail_nth(0, FaultPoint::BeforeChip);
/// let mut gauge = Max17043::new(bus, Variant::Max17043);
/// assert!(gauge.state_of_charge().is_err());
/// assert_eq!(gauge.state_of_charge()?.whole_percent(), 50);
/// assert_eq!(gauge.release().faults(), 1);
/// # Ok::<(), max17043::Error<max17043::sim::FaultyBusError<embedded_hal::i2c::ErrorKind>>>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FaultyBus<B> {
    bus: B,
    /// Transactions to go before the planned one fails, and how it fails.
    nth: Option<(u32, FaultPoint)>,
    /// The random plan: generator state and the probability in per mille.
    random: Option<(u64, u16)>,
    stuck: Option<u8>,
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    kind: ErrorKind,
    yield_around: bool,
    transactions: u32,
    faults: u32,
}

impl<B> FaultyBus<B> {
    /// Wraps `bus`, with no fault planned.
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

    /// The wrapped bus, to look at.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, to change (a sim's battery, say) while a driver owns the wrapper.
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Transaction `n`, counted from now (0 = the next one), fails once, at `point`.
    pub fn fail_nth(&mut self, n: u32, point: FaultPoint) {
        self.nth = Some((n, point));
    }

    /// Each transaction fails with a probability of `per_mille` / 1000, at a point chosen at random, from a small
    /// deterministic generator seeded with `seed`.
    pub fn fail_randomly(&mut self, seed: u64, per_mille: u16) {
        self.random = Some((seed, per_mille));
    }

    /// Ends both plans ([`fail_nth`](Self::fail_nth) and [`fail_randomly`](Self::fail_randomly)).
    pub fn stop_failing(&mut self) {
        self.nth = None;
        self.random = None;
    }

    /// `Some(byte)`: every byte the host reads is `byte` (a chip answering the same byte for ever, a floating
    /// bus); `None` ends it.
    pub fn stuck_at(&mut self, byte: Option<u8>) {
        self.stuck = byte;
    }

    /// The error an injected fault reports (by default a NACK of a data byte).
    pub fn set_error_kind(&mut self, kind: ErrorKind) {
        self.kind = kind;
    }

    /// `true`: each async transaction returns `Pending` once before it reaches the chip and once after it did, so
    /// that a test can drop a future at every await point. The blocking transactions ignore it.
    pub fn yield_around_transactions(&mut self, on: bool) {
        self.yield_around = on;
    }

    /// Transactions started through the wrapper (faulty ones included).
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Faults injected so far.
    pub fn faults(&self) -> u32 {
        self.faults
    }

    /// Counts a transaction and decides whether and where it fails.
    fn plan(&mut self, written: usize) -> Option<FaultPoint> {
        self.transactions = self.transactions.saturating_add(1);
        let point = match self.nth {
            Some((0, point)) => {
                self.nth = None;
                Some(point)
            }
            Some((n, point)) => {
                self.nth = Some((n - 1, point));
                None
            }
            None => None,
        };
        let point = point.or_else(|| {
            let (state, per_mille) = self.random.as_mut()?;
            let roll = splitmix64(state);
            if roll % 1000 >= u64::from(*per_mille) {
                return None;
            }
            let choice = splitmix64(state);
            Some(match choice % 3 {
                0 => FaultPoint::BeforeChip,
                1 => FaultPoint::AfterChip,
                _ => FaultPoint::Partway((choice >> 8) as usize % (written + 1)),
            })
        });
        if point.is_some() {
            self.faults = self.faults.saturating_add(1);
        }
        point
    }

    /// Every byte read is the stuck byte, if there is one.
    fn stick(&self, operations: &mut [Operation<'_>]) {
        if let Some(byte) = self.stuck {
            for operation in operations {
                if let Operation::Read(buffer) = operation {
                    buffer.fill(byte);
                }
            }
        }
    }
}

/// One step of SplitMix64: a small, good, deterministic generator.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The bytes the host writes in a transaction.
fn written_bytes(operations: &[Operation<'_>]) -> usize {
    operations
        .iter()
        .map(|operation| match operation {
            Operation::Write(bytes) => bytes.len(),
            Operation::Read(_) => 0,
        })
        .sum()
}

/// The part of a transaction the chip sees when it takes only the first `n` written bytes: the operations up to
/// the `n`th written byte (a write cut there), nothing after. Returns how many of `out` are filled.
fn truncate<'a>(operations: &'a mut [Operation<'_>], n: usize, out: &mut [Operation<'a>; PARTWAY_OPERATIONS]) -> usize {
    let mut left = n;
    let mut count = 0;
    for operation in operations.iter_mut() {
        if left == 0 || count == PARTWAY_OPERATIONS {
            break;
        }
        out[count] = match operation {
            Operation::Write(bytes) => {
                let take = left.min(bytes.len());
                left -= take;
                Operation::Write(&bytes[..take])
            }
            Operation::Read(buffer) => Operation::Read(&mut buffer[..]),
        };
        count += 1;
    }
    count
}

impl<B: ErrorType> ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: I2c> I2c for FaultyBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [Operation<'_>]) -> Result<(), Self::Error> {
        let injected = FaultyBusError::Injected(self.kind);
        match self.plan(written_bytes(operations)) {
            None => {
                self.bus.transaction(address, operations).map_err(FaultyBusError::Bus)?;
                self.stick(operations);
                Ok(())
            }
            Some(FaultPoint::BeforeChip) => Err(injected),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations);
                Err(injected)
            }
            Some(FaultPoint::Partway(n)) => {
                let mut out: [Operation<'_>; PARTWAY_OPERATIONS] = core::array::from_fn(|_| Operation::Write(&[]));
                let count = truncate(operations, n, &mut out);
                if count > 0 {
                    let _ = self.bus.transaction(address, &mut out[..count]);
                }
                Err(injected)
            }
        }
    }
}

/// Returns `Pending` once (waking itself at once), then `Ready`.
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
        let injected = FaultyBusError::Injected(self.kind);
        let result = match self.plan(written_bytes(operations)) {
            None => match self.bus.transaction(address, operations).await {
                Ok(()) => {
                    self.stick(operations);
                    Ok(())
                }
                Err(e) => Err(FaultyBusError::Bus(e)),
            },
            Some(FaultPoint::BeforeChip) => Err(injected),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations).await;
                Err(injected)
            }
            Some(FaultPoint::Partway(n)) => {
                let mut out: [Operation<'_>; PARTWAY_OPERATIONS] = core::array::from_fn(|_| Operation::Write(&[]));
                let count = truncate(operations, n, &mut out);
                if count > 0 {
                    let _ = self.bus.transaction(address, &mut out[..count]).await;
                }
                Err(injected)
            }
        };
        if self.yield_around {
            YieldOnce(false).await;
        }
        result
    }
}
