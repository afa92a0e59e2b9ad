//! The state machine: one source, two managers. `PowerManager` (blocking) and, with the `async` feature,
//! `PowerManagerAsync` are generated from the same code by `maybe-async-cfg`, as the drivers are.

#[cfg(feature = "async")]
use embedded_hal_async::i2c::I2c as AsyncI2c;

use embedded_hal::i2c::{Error as _, ErrorKind, I2c};

use crate::device::Bq24195;
#[cfg(feature = "async")]
use crate::device::Bq24195Async;
use crate::part::{self, Part};
use crate::types::{ChargeConfig, Config, Error, Faults, RechargeThreshold, Status, VbusStatus};

use super::battery::{Inference, DONE_WINDOW_MS};
use super::gauge::FuelGauge;
#[cfg(feature = "async")]
use super::gauge::FuelGaugeAsync;
use super::{
    ApplyReasons, BatteryState, Events, InputLimitPolicy, Instant, PowerConfig, PowerError, PowerSource, UsbState,
};

/// The poll period once everything is settled (Device OS: 10 s).
const SETTLED_MS: u64 = 10_000;
/// The poll period while the battery state settles or after a failed poll (Device OS: 1 s).
const CHANGING_MS: u64 = DONE_WINDOW_MS;
/// The poll period while input detection runs or a config waits to be applied (Device OS polls DPDM every 50 ms).
const DETECTION_MS: u64 = 50;

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        PowerManager(sync = "PowerManager", async = "PowerManagerAsync")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The power manager (see the [module docs](crate::power)): owns the charger driver and the gauge, and is driven
/// by [`poll`](Self::poll).
///
/// The blocking manager is `PowerManager` on a `Bq24195` and a [`FuelGauge`]; with the `async` feature,
/// `PowerManagerAsync` is the same on a `Bq24195Async` and a `FuelGaugeAsync`, with `poll` an `async fn`.
///
/// # Errors, faults and cancellation
///
/// A poll is a sequence of steps, each of which can fail; what a step learned is kept when a later one fails:
/// the events wait for the next successful poll, a config that must be applied stays due, a quick-start stays
/// due. After any failure the next poll reads everything again (status, faults, REG00–REG07), so the manager
/// never acts on a belief the chip does not share. Async: a `poll` future dropped at any await point leaves the
/// manager as a failed poll would (the driver's own guarantees cover the chip); poll again.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PowerManager<I2C, G, C = fn(), P = part::Bq24195OrL> {
    charger: Bq24195<I2C, P>,
    gauge: G,
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    bus_clear: Option<C>,
    config: PowerConfig,
    usb: UsbState,
    started: bool,
    battery: Inference,
    source: PowerSource,
    detecting: bool,
    /// Power good at the last poll.
    power_good: bool,
    /// Reasons for an apply that has not succeeded yet.
    due: ApplyReasons,
    /// The config last applied successfully.
    applied: Option<Config>,
    quick_start_due: bool,
    clear_due: bool,
    /// Polls failed in a row.
    failures: u8,
    last_poll_ms: u64,
    last_kick_ms: Option<u64>,
    pending: Events,
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        PowerManager(sync = "PowerManager", async = "PowerManagerAsync"),
        FuelGauge(sync = "FuelGauge", async = "FuelGaugeAsync"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, G: FuelGauge, P: Part> PowerManager<I2C, G, fn(), P> {
    /// A manager for `charger` (any part of the family) and `gauge`, applying `config`. Sends nothing: the first
    /// [`poll`](Self::poll) starts it (checks the part, flushes the fault latch, applies the config).
    pub fn new(charger: Bq24195<I2C, P>, gauge: G, config: PowerConfig) -> Self {
        Self {
            charger,
            gauge,
            bus_clear: None,
            config,
            usb: UsbState::Unknown,
            started: false,
            battery: Inference::new(),
            source: PowerSource::Unknown,
            detecting: false,
            power_good: false,
            due: ApplyReasons::default(),
            applied: None,
            quick_start_due: false,
            clear_due: false,
            failures: 0,
            last_poll_ms: 0,
            last_kick_ms: None,
            pending: Events::default(),
        }
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        PowerManager(sync = "PowerManager", async = "PowerManagerAsync"),
        FuelGauge(sync = "FuelGauge", async = "FuelGaugeAsync"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, G: FuelGauge, C: FnMut(), P: Part> PowerManager<I2C, G, C, P> {
    /// The function that frees a stuck bus (typically: clock SCL nine times with SDA released, then a STOP, on
    /// the pins of the I2C peripheral). The manager calls it before its first access, and after a poll failed
    /// with a bus or arbitration error or two polls in a row failed.
    pub fn with_bus_clear<F: FnMut()>(self, bus_clear: F) -> PowerManager<I2C, G, F, P> {
        PowerManager {
            charger: self.charger,
            gauge: self.gauge,
            bus_clear: Some(bus_clear),
            config: self.config,
            usb: self.usb,
            started: self.started,
            battery: self.battery,
            source: self.source,
            detecting: self.detecting,
            power_good: self.power_good,
            due: self.due,
            applied: self.applied,
            quick_start_due: self.quick_start_due,
            clear_due: self.clear_due,
            failures: self.failures,
            last_poll_ms: self.last_poll_ms,
            last_kick_ms: self.last_kick_ms,
            pending: self.pending,
        }
    }

    /// The battery state (Device OS `System.batteryState()`).
    pub fn battery_state(&self) -> BatteryState {
        self.battery.state
    }

    /// The power source (Device OS `System.powerSource()`).
    pub fn power_source(&self) -> PowerSource {
        self.source
    }

    /// The configuration.
    pub fn config(&self) -> &PowerConfig {
        &self.config
    }

    /// A new configuration: applied by the next poll (`ApplyReasons::policy`).
    pub fn set_config(&mut self, config: PowerConfig) {
        self.config = config;
    }

    /// What the board's USB stack knows (for the VIN-read-as-USB-host case); takes effect at the next poll. Call
    /// it when the USB state changes, and poll.
    pub fn set_usb_state(&mut self, usb: UsbState) {
        self.usb = usb;
    }

    /// The charger driver, e.g. for a reading of your own. A setting written through it is undone by the next
    /// poll if it differs from the config.
    pub fn charger_mut(&mut self) -> &mut Bq24195<I2C, P> {
        &mut self.charger
    }

    /// The charger driver.
    pub fn charger(&self) -> &Bq24195<I2C, P> {
        &self.charger
    }

    /// The gauge, e.g. for the state of charge and the cell voltage on a status line.
    pub fn gauge_mut(&mut self) -> &mut G {
        &mut self.gauge
    }

    /// The gauge.
    pub fn gauge(&self) -> &G {
        &self.gauge
    }

    /// Gives the charger driver and the gauge back.
    pub fn release(self) -> (Bq24195<I2C, P>, G) {
        (self.charger, self.gauge)
    }

    /// The state of charge in 1/256 % from the gauge, or `None` while no battery is known to be there
    /// (disconnected or unknown), as Device OS's `System.batteryCharge()` refuses then.
    pub async fn battery_charge_256ths(&mut self) -> Result<Option<u16>, G::Error> {
        match self.battery.state {
            BatteryState::Unknown | BatteryState::Disconnected => Ok(None),
            _ => Ok(Some(self.gauge.state_of_charge_256ths().await?)),
        }
    }

    /// When the manager wants the next poll: 1 s after a failed poll; 50 ms after the last one while input
    /// detection runs or a config waits to be applied; 1 s while the battery state settles; 10 s otherwise; and
    /// never later than half the watchdog period after the last kick. Poll on the INT / ALRT edge as well.
    pub fn next_poll(&self) -> Instant {
        let period = if self.failures > 0 {
            CHANGING_MS
        } else if !self.started || self.detecting || !self.due.is_empty() {
            DETECTION_MS
        } else if self.battery.settling(self.last_poll_ms) {
            CHANGING_MS
        } else {
            SETTLED_MS
        };
        let mut at = self.last_poll_ms.saturating_add(period);
        if let (Some(half), Some(kicked)) = (self.half_watchdog_ms(), self.last_kick_ms) {
            at = at.min(kicked.saturating_add(half));
        }
        Instant::from_ticks(at)
    }

    fn half_watchdog_ms(&self) -> Option<u64> {
        self.config
            .charger
            .watchdog
            .timeout()
            .map(|t| u64::from(t.ticks()).saturating_mul(500))
    }

    /// One step of the state machine at `now`: reads the charger (and the gauge when needed), applies the config
    /// when the chip differs from it, kicks the watchdog when due, and returns what happened since the last
    /// successful poll. On an error everything learned is kept (see the type's docs); poll again.
    ///
    /// Bus traffic of a settled poll: status and latched faults (one transaction, 2 + 2 bytes), REG00–REG07
    /// (1 + 8 bytes), REG07 for input detection when power is good (1 + 1 bytes), the gauge's alert; plus the
    /// second fault reading when the first was not empty, the config write (a guard read and 10 bytes) when it is
    /// due, a watchdog kick (2 bytes) when due, and the gauge's cell voltage while the battery presence is in
    /// question.
    pub async fn poll(&mut self, now: Instant) -> Result<Events, PowerError<I2C::Error, G::Error>> {
        let now_ms = now.ticks();
        self.last_poll_ms = now_ms;
        match self.step(now_ms).await {
            Ok(()) => {
                self.failures = 0;
                Ok(core::mem::take(&mut self.pending))
            }
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                let stuck = match &e {
                    PowerError::Charger(Error::Bus(bus)) => {
                        matches!(bus.kind(), ErrorKind::Bus | ErrorKind::ArbitrationLoss)
                    }
                    _ => false,
                };
                if stuck || self.failures >= 2 {
                    self.clear_due = true;
                }
                Err(e)
            }
        }
    }

    async fn step(&mut self, now_ms: u64) -> Result<(), PowerError<I2C::Error, G::Error>> {
        if !self.started || self.clear_due {
            if let Some(clear) = self.bus_clear.as_mut() {
                clear();
                self.pending.bus_cleared = true;
            }
            self.clear_due = false;
        }
        if !self.started {
            self.charger.check_device().await?;
            // flush the fault latch (the power-on watchdog fault included)
            let report = self.charger.faults().await?;
            self.pending.merge_faults(report);
            self.due.start = true;
            self.started = true;
        }

        // status, then the faults twice (the second read only if the first was not empty)
        let snapshot = self.charger.status_and_faults().await?;
        let mut status = snapshot.status;
        self.note_faults(snapshot.faults);
        let present = if snapshot.faults.is_empty() {
            snapshot.faults
        } else {
            let current = self.charger.latched_faults().await?;
            self.note_faults(current);
            current
        };

        // what the chip holds, and whether input detection runs
        let held = self.charger.read_config().await?;
        let fresh_input = self.detecting || !self.power_good;
        self.detecting = status.power_good && self.charger.input_detection_running().await?;
        if status.power_good && !self.detecting && fresh_input {
            // input detection ended (or power just came) since the status was read: VBUS_STAT may have changed
            status = self.charger.status().await?;
        }
        self.power_good = status.power_good;

        self.update_source(&status);

        // the battery, with the cell voltage when its presence is in question
        let charging_wanted = self.config.charger.charge == ChargeConfig::Charge;
        let cell_mv = if self.battery.needs_cell_voltage(now_ms, charging_wanted) {
            self.gauge.cell_voltage_mv().await.ok()
        } else {
            None
        };
        let outcome = self.battery.update(now_ms, &status, &present, charging_wanted, cell_mv);
        if let Some(state) = outcome.changed {
            self.pending.battery_state = Some(state);
        }
        self.quick_start_due |= outcome.quick_start;

        // the config: applied when the chip differs from it, never while input detection runs
        let wanted = self.wanted(&held);
        if held != wanted && !self.detecting {
            self.due.merge(self.reasons(&held, &wanted));
        }
        if !self.due.is_empty() && !self.detecting {
            match self.charger.apply_config(&wanted).await {
                Ok(()) => {
                    self.pending.applied(self.due);
                    self.due = ApplyReasons::default();
                    self.applied = Some(wanted);
                    self.last_kick_ms = None;
                }
                Err(Error::InputDetectionRunning) => self.detecting = true,
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(half) = self.half_watchdog_ms() {
            let kick_due = self
                .last_kick_ms
                .map_or(true, |kicked| now_ms.saturating_sub(kicked) >= half);
            if kick_due && self.applied.is_some() {
                self.charger.kick_watchdog().await?;
                self.last_kick_ms = Some(now_ms);
            }
        }

        // the gauge: a quick-start for a returned battery, the low-battery alert
        if self.quick_start_due {
            self.gauge.quick_start().await.map_err(PowerError::Gauge)?;
            self.quick_start_due = false;
            self.pending.gauge_quick_started = true;
        }
        if self.battery.state != BatteryState::Disconnected
            && self.gauge.take_low_battery_alert().await.map_err(PowerError::Gauge)?
        {
            self.pending.low_battery = true;
        }
        Ok(())
    }

    /// A fault reading: kept for the events; a watchdog fault makes the config due.
    fn note_faults(&mut self, faults: Faults) {
        self.pending.add_faults(faults);
        if faults.watchdog_expired && self.applied.is_some() {
            self.due.watchdog_expired = true;
        }
    }

    fn update_source(&mut self, status: &Status) {
        let usb_is_vin = self.config.vin_settings_with_usb_host || self.usb == UsbState::Unpowered;
        let source = match status.vbus {
            VbusStatus::Otg => PowerSource::UsbOtg,
            _ if !status.power_good => PowerSource::Battery,
            _ if self.detecting => PowerSource::Unknown,
            VbusStatus::UsbHost if usb_is_vin => PowerSource::Vin,
            VbusStatus::UsbHost => PowerSource::UsbHost,
            VbusStatus::AdapterPort => PowerSource::UsbAdapter,
            VbusStatus::Unknown => PowerSource::Vin,
        };
        if source != self.source {
            self.source = source;
            self.pending.power_source = Some(source);
        }
    }

    /// The config the chip should hold now: the user's, with the buck and BATFET on, charging off while the
    /// battery is disconnected, the safety timer off while charging is, the recharge threshold at 300 mV while a
    /// missing battery is suspected, and the input limit per the policy.
    fn wanted(&self, held: &Config) -> Config {
        let mut wanted = self.config.charger;
        wanted.input.hiz = false;
        wanted.batfet_disabled = false;
        if self.battery.state == BatteryState::Disconnected && wanted.charge == ChargeConfig::Charge {
            wanted.charge = ChargeConfig::Disabled;
        }
        if wanted.charge != ChargeConfig::Charge {
            wanted.safety_timer = false;
        }
        if self.battery.suspect {
            wanted.recharge = RechargeThreshold::Mv300;
        }
        let keep_detected = self.config.input_limit == InputLimitPolicy::DetectedOnUsb
            && matches!(
                self.source,
                PowerSource::UsbHost | PowerSource::UsbAdapter | PowerSource::UsbOtg
            );
        if keep_detected {
            wanted.input.current_limit = held.input.current_limit;
        }
        wanted
    }

    /// Why the chip's `held` config differs from `wanted`.
    fn reasons(&self, held: &Config, wanted: &Config) -> ApplyReasons {
        let mut reasons = ApplyReasons {
            hiz: held.input.hiz,
            ..ApplyReasons::default()
        };
        if self.applied.is_none() {
            // before the first apply the chip holds whatever it held: only HIZ is worth a word
            return reasons;
        }
        let mut rest = *held;
        rest.input = wanted.input;
        if self.applied.is_some_and(|applied| applied != *wanted) {
            reasons.policy = true;
        } else if rest != *wanted {
            reasons.registers_changed = true;
        }
        if held.input.current_limit != wanted.input.current_limit
            || held.input.voltage_limit_mv != wanted.input.voltage_limit_mv
        {
            reasons.input_limit = true;
        }
        reasons
    }
}
