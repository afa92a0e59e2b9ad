//! The power manager (feature `power-manager`): what Particle Device OS's system power manager did for an
//! Electron, as a component a firmware drives. It keeps the charger configured, tells the battery state and the
//! power source, and reports faults and the low-battery alert as events.
//!
//! # What it does
//!
//! - **Battery state** ([`BatteryState`], Device OS's set). The chip cannot tell whether a battery is connected;
//!   the manager infers it as Device OS does: a streak of "charge done" readings less than 1 s apart (a charger
//!   with no cell terminates again and again) first raises the recharge threshold to 300 mV (back to 100 mV once
//!   the charge is confirmed done or charging goes on steadily), and a second streak declares the battery
//!   disconnected; so does VSYS_STAT (system held at SYS_MIN) while charging is allowed but
//!   the chip does not charge. While disconnected, charging and its safety timer are off; 8 s later the cell
//!   voltage (from the gauge) shows whether a battery came back (≥ 1.0 V), and so does the system running without
//!   input. When it comes back the gauge is quick-started and charging turned on again. With charging disabled by
//!   the config, a cell voltage below 1.0 V means disconnected (two readings at or above it bring it back).
//!   Charged is confirmed by a second "done" reading at least 1 s after the first. A fault that stops charging
//!   (battery over-voltage, thermal shutdown, expired safety timer, thermistor hot or cold) is
//!   [`BatteryState::Fault`]; Device OS reports only the battery over-voltage so.
//! - **Power source** ([`PowerSource`]) from VBUS_STAT once input detection is over. On a Gen 3 board VIN feeds
//!   VBUS, and with the USB peripheral unpowered the chip reads VIN as a USB host: tell the manager what the USB
//!   stack knows ([`set_usb_state`](PowerManager::set_usb_state)), and a "USB host" with the USB state
//!   [`UsbState::Unpowered`] is VIN, as in Device OS. [`PowerConfig::vin_settings_with_usb_host`] makes every USB
//!   host count as VIN (Device OS's `USE_VIN_SETTINGS_WITH_USB_HOST`).
//! - **The policy.** The [`PowerConfig`]'s charger [`Config`] is applied at start with the buck on
//!   (HIZ cleared) and BATFET on, whatever the config says about them. Every poll reads REG00–REG07 back (one
//!   9-byte read) and applies the config again when they differ: after a watchdog expiry, a register reset, HIZ
//!   left on by an earlier firmware, or a plug-in whose input detection changed the input limit
//!   ([`InputLimitPolicy`] says which limit wins). Never while D+/D− detection runs: no REG00 write then. The
//!   watchdog is kicked at half its period when the config arms it, and kept off when it does not. The safety
//!   timer is off whenever charging is. Faults are read twice (latched, then present) and reported. The gauge's
//!   low-battery alert is reported (and cleared). A bus stuck by an MCU reset in the middle of a transfer is
//!   cleared by the function you give ([`with_bus_clear`](PowerManager::with_bus_clear)): before the first access,
//!   and after a poll failed with a bus or arbitration error, or two polls in a row failed.
//!
//! # Shape
//!
//! A state machine: call [`poll`](PowerManager::poll) with the time now (a `fugit` millisecond instant) at
//! [`next_poll`](PowerManager::next_poll) (10 s when settled, 1 s while the battery state settles, 50 ms while
//! input detection runs or the config waits to be applied) and whenever the INT / ALRT line falls (the bq24195
//! and the MAX17043 share it on the B Series SoM). It returns the [`Events`] since the previous successful poll.
//! A poll that fails returns the error and keeps everything it learned: the events are returned by the next
//! successful poll, and the work left (a config to apply, a quick-start) is done then. `PowerManager` is
//! blocking; with the `async` feature `PowerManagerAsync` is the same on `Bq24195Async` and a
//! `FuelGaugeAsync`. No heap, no callbacks.
//!
//! It drives any part of the family: `PowerManager::new` takes the driver of a bq24195/L (`Bq24195::new`) or of a
//! sibling (`Bq24195::for_part(i2c, part::Bq24192)`), and the part is the manager's last type parameter. The
//! policy is the same on every part; the config it keeps applied carries the sibling fields (boost limit, IR
//! compensation) like any other.
//!
//! # The gauge
//!
//! The manager reaches the fuel gauge through [`FuelGauge`] (blocking) or `FuelGaugeAsync`, so this crate does
//! not depend on a gauge driver. For the `max17043` crate the implementation is a few lines in your firmware
//! (the board's `Gauge` wrapper stands for `max17043::Max17043<I2C>`):
//!
//! ```ignore
//! struct Gauge<I2C>(max17043::Max17043<I2C>);
//!
//! impl<I2C: embedded_hal::i2c::I2c> bq24195::power::FuelGauge for Gauge<I2C> {
//!     type Error = max17043::Error<I2C::Error>;
//!     fn cell_voltage_mv(&mut self) -> Result<u16, Self::Error> {
//!         Ok(u16::try_from(self.0.voltage()?.millivolts()).unwrap_or(u16::MAX))
//!     }
//!     fn state_of_charge_256ths(&mut self) -> Result<u16, Self::Error> {
//!         Ok(self.0.state_of_charge()?.as_256ths())
//!     }
//!     fn quick_start(&mut self) -> Result<(), Self::Error> {
//!         self.0.quick_start()
//!     }
//!     fn take_low_battery_alert(&mut self) -> Result<bool, Self::Error> {
//!         if !self.0.alert()? {
//!             return Ok(false);
//!         }
//!         self.0.clear_alert()?;
//!         Ok(true)
//!     }
//! }
//! ```
//!
//! The async twin is the same with `FuelGaugeAsync`, `async fn` and `.await`. A complete, compiling example with
//! a stand-in gauge:
//!
//! ```
//! use bq24195::embedded_hal::i2c::I2c;
//! use bq24195::fugit::TimerInstantU64;
//! use bq24195::power::{BatteryState, FuelGauge, PowerConfig, PowerManager};
//! use bq24195::Bq24195;
//!
//! /// A gauge that always reads a healthy cell (stands for a real gauge driver).
//! struct Healthy;
//!
//! impl FuelGauge for Healthy {
//!     type Error = core::convert::Infallible;
//!     fn cell_voltage_mv(&mut self) -> Result<u16, Self::Error> {
//!         Ok(3_900)
//!     }
//!     fn state_of_charge_256ths(&mut self) -> Result<u16, Self::Error> {
//!         Ok(80 * 256)
//!     }
//!     fn quick_start(&mut self) -> Result<(), Self::Error> {
//!         Ok(())
//!     }
//!     fn take_low_battery_alert(&mut self) -> Result<bool, Self::Error> {
//!         Ok(false)
//!     }
//! }
//!
//! fn run<I2C: I2c>(i2c: I2C, now_ms: u64) -> Result<BatteryState, bq24195::power::PowerError<I2C::Error, core::convert::Infallible>> {
//!     let charger = Bq24195::new(i2c, bq24195::Variant::Bq24195);
//!     let mut power = PowerManager::new(charger, Healthy, PowerConfig::electron());
//!     for event in power.poll(TimerInstantU64::from_ticks(now_ms))? {
//!         // log it, show it, act on it
//!         let _ = event;
//!     }
//!     Ok(power.battery_state())
//! }
//! # let mut sim = bq24195::sim::Bq24195Sim::new();
//! # sim.plug_in(bq24195::sim::Supply::Adapter);
//! # sim.finish_input_detection();
//! # assert_eq!(run(&mut sim, 0).ok(), Some(BatteryState::Charging));
//! ```

mod battery;
mod gauge;
mod manager;

pub use gauge::FuelGauge;
#[cfg(feature = "async")]
pub use gauge::FuelGaugeAsync;
pub use manager::PowerManager;
#[cfg(feature = "async")]
pub use manager::PowerManagerAsync;

use crate::types::{Config, FaultReport, Faults};

/// Time for [`PowerManager::poll`]: milliseconds since any fixed point (boot), as a `fugit` instant.
pub type Instant = fugit::TimerInstantU64<1_000>;

/// The battery state, Device OS's set (`System.batteryState()`).
///
/// `#[non_exhaustive]`: a later version may tell more states apart; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum BatteryState {
    /// Not known yet (before the first poll).
    Unknown,
    /// Input power, a battery, and no charging: charging disabled by the config, or stopped by the chip.
    NotCharging,
    /// Pre-charge or fast charge.
    Charging,
    /// Charge done, confirmed.
    Charged,
    /// No input power: the battery supplies the system.
    Discharging,
    /// A fault stops charging: battery over-voltage, thermal shutdown, safety timer expired, thermistor hot or
    /// cold.
    Fault,
    /// No battery connected (inferred, see the module docs); charging is off meanwhile.
    Disconnected,
}

/// Where the power comes from, Device OS's set (`System.powerSource()`).
///
/// `#[non_exhaustive]`: a later version may tell more sources apart; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PowerSource {
    /// Not known yet, or input detection is running.
    Unknown,
    /// VIN (VBUS_STAT "unknown" with power good, or a USB host reading the board says is VIN).
    Vin,
    /// A USB host (standard downstream port).
    UsbHost,
    /// A USB charging adapter.
    UsbAdapter,
    /// USB OTG: the chip boosts the battery onto VBUS.
    UsbOtg,
    /// No input: the battery.
    Battery,
}

/// What the board knows of its USB peripheral, for the VIN-read-as-USB-host case (see the module docs).
///
/// Exhaustive on purpose: the three answers a board can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum UsbState {
    /// The board does not know (no USB stack): a "USB host" reading is taken at its word.
    #[default]
    Unknown,
    /// The USB peripheral is not powered (Device OS: below `HAL_USB_STATE_POWERED`): a "USB host" reading is VIN.
    Unpowered,
    /// The USB peripheral is powered (or further): a "USB host" reading is a USB host.
    Powered,
}

/// Which input current limit wins once input detection has chosen one.
///
/// Exhaustive on purpose: a new policy would come with a major version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InputLimitPolicy {
    /// The config's limit, always: a plug-in whose detection changed the limit gets the config again (what a
    /// firmware that re-applies its config on power good does). Mind that a USB 2.0 host port allows 500 mA: with
    /// the Electron's 900 mA, a board that may be plugged into a computer should use
    /// [`DetectedOnUsb`](Self::DetectedOnUsb).
    #[default]
    Config,
    /// Device OS's way: on a USB host, a USB adapter or OTG the limit detection chose is kept (e.g. 1.5 A from an
    /// adapter); on VIN the config's limit (Device OS's `powerSourceMaxCurrent`) applies.
    DetectedOnUsb,
}

/// The manager's configuration.
///
/// Exhaustive on purpose, so that it can be built with a struct literal; a new field would come with a major
/// version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PowerConfig {
    /// The charger's configuration; HIZ and BATFET_DISABLE are ignored (the manager keeps the buck and BATFET
    /// on). `charge` other than `ChargeConfig::Charge` disables charging (and the safety timer).
    pub charger: Config,
    /// Which input current limit wins after input detection.
    pub input_limit: InputLimitPolicy,
    /// Treat every USB host as VIN (Device OS's `USE_VIN_SETTINGS_WITH_USB_HOST`).
    pub vin_settings_with_usb_host: bool,
}

impl PowerConfig {
    /// The Electron's: [`Config::electron`], the config's input limit always, USB hosts taken at their word.
    pub const fn electron() -> Self {
        Self::new(Config::electron())
    }

    /// `charger`, with the default policies.
    pub const fn new(charger: Config) -> Self {
        Self {
            charger,
            input_limit: InputLimitPolicy::Config,
            vin_settings_with_usb_host: false,
        }
    }
}

/// Why the manager wrote the charger config (several at once are possible).
///
/// `#[non_exhaustive]`: read back from the manager, never built by the user; a later version may add reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct ApplyReasons {
    /// The first apply after start.
    pub start: bool,
    /// The I2C watchdog expired (the chip fell back to default mode and reset values).
    pub watchdog_expired: bool,
    /// REG01–REG07 differed from the config: a register reset, or a write behind the manager's back.
    pub registers_changed: bool,
    /// HIZ was on (the buck off), e.g. left so by an earlier firmware.
    pub hiz: bool,
    /// The input limits differed: input detection after a plug-in changed them.
    pub input_limit: bool,
    /// The battery policy changed what it wants: charging off or on for a missing or returned battery, the
    /// recharge threshold, the safety timer, or the input limit for a new power source.
    pub policy: bool,
}

impl ApplyReasons {
    /// No reason at all.
    pub const fn is_empty(&self) -> bool {
        !(self.start || self.watchdog_expired || self.registers_changed || self.hiz || self.input_limit || self.policy)
    }

    fn merge(&mut self, other: Self) {
        self.start |= other.start;
        self.watchdog_expired |= other.watchdog_expired;
        self.registers_changed |= other.registers_changed;
        self.hiz |= other.hiz;
        self.input_limit |= other.input_limit;
        self.policy |= other.policy;
    }
}

/// What happened since the previous successful [`poll`](PowerManager::poll). Iterate it for one [`Event`] each.
///
/// Several changes of one kind between two successful polls are merged: the battery state and the power source
/// report the latest value, faults are merged (flags of all readings, the older charge fault, the newer thermistor
/// state), reasons are combined.
///
/// `#[non_exhaustive]`: read back from the manager, never built by the user; a later version may add fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct Events {
    /// The battery state changed to this.
    pub battery_state: Option<BatteryState>,
    /// The power source changed to this.
    pub power_source: Option<PowerSource>,
    /// Faults read (latched and present, merged); at start this includes the power-on watchdog fault every chip
    /// reports.
    pub faults: Option<Faults>,
    /// The charger config was written, and why.
    pub config_applied: Option<ApplyReasons>,
    /// The gauge raised its low-battery alert (cleared since).
    pub low_battery: bool,
    /// The gauge was quick-started (a battery came back).
    pub gauge_quick_started: bool,
    /// The bus-clear function was called.
    pub bus_cleared: bool,
}

impl Events {
    /// Nothing happened.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn merge_faults(&mut self, report: FaultReport) {
        for reading in [report.latched, report.current] {
            self.add_faults(reading);
        }
    }

    fn add_faults(&mut self, reading: Faults) {
        if reading.is_empty() {
            return;
        }
        let raw = match self.faults {
            Some(older) => crate::register::merge_faults(older.raw, reading.raw),
            None => reading.raw,
        };
        self.faults = Some(Faults::decode(raw));
    }

    fn applied(&mut self, reasons: ApplyReasons) {
        let mut all = self.config_applied.unwrap_or_default();
        all.merge(reasons);
        self.config_applied = Some(all);
    }

    /// The events one at a time.
    pub fn iter(&self) -> EventIter {
        EventIter { events: *self, next: 0 }
    }
}

/// One event (see [`Events`]).
///
/// `#[non_exhaustive]`: a later version may add events; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Event {
    /// The battery state changed.
    BatteryState(BatteryState),
    /// The power source changed.
    PowerSource(PowerSource),
    /// Faults were read.
    Faults(Faults),
    /// The charger config was written.
    ConfigApplied(ApplyReasons),
    /// The gauge's low-battery alert.
    LowBattery,
    /// The gauge was quick-started.
    GaugeQuickStarted,
    /// The bus-clear function was called.
    BusCleared,
}

/// Iterator over [`Events`].
#[derive(Debug, Clone)]
pub struct EventIter {
    events: Events,
    next: u8,
}

impl Iterator for EventIter {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        let e = &self.events;
        while self.next < 7 {
            let index = self.next;
            self.next = self.next.saturating_add(1);
            let event = match index {
                0 => e.bus_cleared.then_some(Event::BusCleared),
                1 => e.faults.map(Event::Faults),
                2 => e.config_applied.map(Event::ConfigApplied),
                3 => e.power_source.map(Event::PowerSource),
                4 => e.battery_state.map(Event::BatteryState),
                5 => e.gauge_quick_started.then_some(Event::GaugeQuickStarted),
                _ => e.low_battery.then_some(Event::LowBattery),
            };
            if event.is_some() {
                return event;
            }
        }
        None
    }
}

impl IntoIterator for Events {
    type Item = Event;
    type IntoIter = EventIter;

    fn into_iter(self) -> EventIter {
        self.iter()
    }
}

/// A failed poll: the charger's error, or the gauge's.
///
/// `#[non_exhaustive]`: a new failure brings a new variant; a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PowerError<E, G> {
    /// The charger driver failed (a bus error, or `Error::UnexpectedDevice` / `Error::OtherPart` at start).
    Charger(crate::Error<E>),
    /// The fuel gauge failed.
    Gauge(G),
}

impl<E, G> From<crate::Error<E>> for PowerError<E, G> {
    fn from(e: crate::Error<E>) -> Self {
        Self::Charger(e)
    }
}

impl<E: core::fmt::Debug, G: core::fmt::Debug> core::fmt::Display for PowerError<E, G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Charger(e) => write!(f, "power manager: {e}"),
            Self::Gauge(e) => write!(f, "power manager: fuel gauge error: {e:?}"),
        }
    }
}

impl<E: core::fmt::Debug, G: core::fmt::Debug> core::error::Error for PowerError<E, G> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_iterate_in_order_and_merge() {
        let mut events = Events::default();
        assert!(events.is_empty());
        assert_eq!(events.iter().next(), None);
        events.add_faults(Faults::decode(0x80));
        events.add_faults(Faults::decode(0x20));
        events.add_faults(Faults::decode(0));
        events.applied(ApplyReasons {
            start: true,
            ..ApplyReasons::default()
        });
        events.applied(ApplyReasons {
            hiz: true,
            ..ApplyReasons::default()
        });
        events.battery_state = Some(BatteryState::Charging);
        events.low_battery = true;
        let all: [Option<Event>; 5] = {
            let mut it = events.into_iter();
            [it.next(), it.next(), it.next(), it.next(), it.next()]
        };
        let reasons = ApplyReasons {
            start: true,
            hiz: true,
            ..ApplyReasons::default()
        };
        assert_eq!(
            all,
            [
                Some(Event::Faults(Faults::decode(0xA0))),
                Some(Event::ConfigApplied(reasons)),
                Some(Event::BatteryState(BatteryState::Charging)),
                Some(Event::LowBattery),
                None
            ]
        );
        assert!(!reasons.is_empty() && ApplyReasons::default().is_empty());
    }

    #[test]
    fn power_error_displays() {
        extern crate std;
        use std::string::ToString;
        let e: PowerError<u8, u8> = crate::Error::ResetTimeout.into();
        assert!(e.to_string().starts_with("power manager: "));
        assert_eq!(
            PowerError::<u8, u8>::Gauge(7).to_string(),
            "power manager: fuel gauge error: 7"
        );
    }
}
