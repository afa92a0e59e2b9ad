//! Battery-state inference: pure logic on the readings, no bus. The chip cannot tell whether a battery is
//! connected; this decides it from what it can read, the way Particle Device OS does (see the module docs).

use crate::types::{ChargeFault, ChargeStatus, Faults, NtcFault, Status};

use super::BatteryState;

/// "Charge done" readings closer together than this are a streak (Device OS's 1 s charged mute window); a done
/// reading followed by another one at least this much later confirms [`BatteryState::Charged`].
pub(crate) const DONE_WINDOW_MS: u64 = 1_000;
/// Done readings in one streak that make the manager suspect a missing battery (Device OS: 4).
pub(crate) const DONE_STREAK: u8 = 4;
/// How long VCELL needs to settle after charging was turned off before it shows the battery (Device OS: 8 s).
pub(crate) const SETTLE_MS: u64 = 8_000;
/// Below this cell voltage, with charging off, no battery is connected (Device OS: 1.0 V).
pub(crate) const CONNECTED_MV: u16 = 1_000;
/// VCELL readings at or above [`CONNECTED_MV`] in a row that bring a battery back while charging is disabled by
/// the config (Device OS: 2).
pub(crate) const VCELL_DEBOUNCE: u8 = 2;

/// The inference's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Inference {
    pub(crate) state: BatteryState,
    /// Done readings in the present streak.
    streak: u8,
    /// When the last done reading was taken (ms).
    last_done_ms: Option<u64>,
    /// A first streak was seen: the recharge threshold is raised to 300 mV; a second streak means no battery.
    pub(crate) suspect: bool,
    /// When the battery was declared disconnected (ms): VCELL is trusted [`SETTLE_MS`] later.
    disconnected_ms: u64,
    /// VCELL readings at or above [`CONNECTED_MV`] in a row, while disconnected.
    vcell_ok: u8,
}

/// What one reading changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Outcome {
    /// The state changed to this.
    pub(crate) changed: Option<BatteryState>,
    /// The battery came back: quick-start the gauge.
    pub(crate) quick_start: bool,
}

/// A fault that stops charging (present now): battery over-voltage, thermal shutdown, an expired safety timer, or
/// a thermistor out of its window. An input fault is not one (with power good low it only means unplugged).
pub(crate) fn charging_fault(faults: &Faults) -> bool {
    faults.battery_overvoltage
        || matches!(
            faults.charge,
            ChargeFault::ThermalShutdown | ChargeFault::SafetyTimerExpired
        )
        || matches!(faults.ntc, NtcFault::Hot | NtcFault::Cold)
}

fn elapsed(now_ms: u64, since_ms: u64) -> u64 {
    now_ms.saturating_sub(since_ms)
}

impl Inference {
    pub(crate) const fn new() -> Self {
        Self {
            state: BatteryState::Unknown,
            streak: 0,
            last_done_ms: None,
            suspect: false,
            disconnected_ms: 0,
            vcell_ok: 0,
        }
    }

    /// The state is settling (a done reading waits for confirmation, the state is unknown, VCELL settles after
    /// charging was turned off): the manager polls every second meanwhile.
    pub(crate) fn settling(&self, now_ms: u64) -> bool {
        (self.last_done_ms.is_some() && self.state != BatteryState::Charged)
            || self.state == BatteryState::Unknown
            || (self.state == BatteryState::Disconnected && elapsed(now_ms, self.disconnected_ms) < SETTLE_MS)
    }

    /// Whether the next [`update`](Self::update) needs the cell voltage: always while the config disables
    /// charging, and once VCELL has settled after the manager turned charging off for a missing battery.
    pub(crate) fn needs_cell_voltage(&self, now_ms: u64, charging_wanted: bool) -> bool {
        !charging_wanted
            || (self.state == BatteryState::Disconnected && elapsed(now_ms, self.disconnected_ms) >= SETTLE_MS)
    }

    fn set(&mut self, state: BatteryState, now_ms: u64, outcome: &mut Outcome) {
        if state == self.state {
            return;
        }
        if self.state == BatteryState::Disconnected {
            outcome.quick_start = true;
        }
        if state == BatteryState::Disconnected {
            self.disconnected_ms = now_ms;
        }
        self.vcell_ok = 0;
        if matches!(state, BatteryState::Charged | BatteryState::Disconnected) {
            // charged indeed, or no battery: either way the raised recharge threshold has done its job
            self.suspect = false;
        }
        self.clear_streak();
        self.state = state;
        outcome.changed = Some(state);
    }

    fn clear_streak(&mut self) {
        self.streak = 0;
        self.last_done_ms = None;
    }

    /// The state from the status and the present faults without any presence question: fault, discharging, not
    /// charging.
    fn idle_state(status: &Status, faults: &Faults) -> BatteryState {
        if charging_fault(faults) {
            BatteryState::Fault
        } else if !status.power_good {
            BatteryState::Discharging
        } else {
            BatteryState::NotCharging
        }
    }

    /// One reading: the status, the faults present now, whether the config wants the battery charged (`false`
    /// also for OTG boost), and the cell voltage if [`needs_cell_voltage`](Self::needs_cell_voltage) said so
    /// (`None` if it was not read or could not be: taken as no voltage).
    pub(crate) fn update(
        &mut self,
        now_ms: u64,
        status: &Status,
        faults: &Faults,
        charging_wanted: bool,
        cell_mv: Option<u16>,
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let cell_present = cell_mv.is_some_and(|mv| mv >= CONNECTED_MV);

        if !charging_wanted {
            // Charging is off by the config: with charging off, VCELL shows whether a cell is there.
            self.clear_streak();
            if !cell_present {
                self.set(BatteryState::Disconnected, now_ms, &mut outcome);
                return outcome;
            }
            if self.state == BatteryState::Disconnected {
                self.vcell_ok = self.vcell_ok.saturating_add(1);
                if self.vcell_ok < VCELL_DEBOUNCE {
                    return outcome;
                }
            }
            self.set(Self::idle_state(status, faults), now_ms, &mut outcome);
            return outcome;
        }

        if self.state == BatteryState::Disconnected {
            // The manager turned charging off; the system running without input proves a battery, and so does a
            // settled cell voltage.
            if !status.power_good {
                self.set(BatteryState::Discharging, now_ms, &mut outcome);
            } else if cell_present {
                self.set(Self::idle_state(status, faults), now_ms, &mut outcome);
            }
            return outcome;
        }

        match status.charge {
            ChargeStatus::Done => {
                let rapid = self
                    .last_done_ms
                    .is_some_and(|last| elapsed(now_ms, last) < DONE_WINDOW_MS);
                if rapid {
                    self.streak = self.streak.saturating_add(1);
                } else {
                    if self.last_done_ms.is_some() && self.state != BatteryState::Charged {
                        // done again after a quiet window: charged indeed
                        self.set(BatteryState::Charged, now_ms, &mut outcome);
                    }
                    self.streak = 1;
                }
                self.last_done_ms = Some(now_ms);
                if self.streak >= DONE_STREAK {
                    if self.suspect {
                        self.set(BatteryState::Disconnected, now_ms, &mut outcome);
                    } else {
                        // first streak: raise the recharge threshold to 300 mV and watch for another
                        self.suspect = true;
                        self.streak = 0;
                    }
                }
            }
            ChargeStatus::PreCharge | ChargeStatus::FastCharge => {
                // charging, and not in the middle of a streak of done readings: a cell takes the current, so the
                // suspicion (and the 300 mV recharge threshold) ends
                let quiet = self
                    .last_done_ms
                    .map_or(true, |last| elapsed(now_ms, last) >= DONE_WINDOW_MS);
                if quiet {
                    self.suspect = false;
                }
                self.clear_streak();
                self.set(BatteryState::Charging, now_ms, &mut outcome);
            }
            ChargeStatus::NotCharging => {
                self.clear_streak();
                let state = if status.power_good && status.vsys_regulation && !charging_fault(faults) {
                    // charging allowed, input good, not charging, and the system held at SYS_MIN: no cell
                    BatteryState::Disconnected
                } else {
                    Self::idle_state(status, faults)
                };
                self.set(state, now_ms, &mut outcome);
            }
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(raw: u8) -> Status {
        Status::decode(raw)
    }

    const DONE_PG: u8 = 0x34;
    const FAST_PG: u8 = 0x24;
    const IDLE_PG: u8 = 0x04;
    const IDLE_PG_VSYS: u8 = 0x05;
    const NO_INPUT: u8 = 0x00;

    #[test]
    fn charging_then_charged_after_a_quiet_window() {
        let mut i = Inference::new();
        let none = Faults::decode(0);
        assert_eq!(
            i.update(0, &status(FAST_PG), &none, true, None).changed,
            Some(BatteryState::Charging)
        );
        assert_eq!(i.update(1_000, &status(DONE_PG), &none, true, None).changed, None);
        assert_eq!(
            i.update(2_000, &status(DONE_PG), &none, true, None).changed,
            Some(BatteryState::Charged)
        );
        assert_eq!(i.update(3_000, &status(DONE_PG), &none, true, None).changed, None);
        assert_eq!(i.state, BatteryState::Charged);
    }

    #[test]
    fn two_rapid_streaks_mean_no_battery_and_the_cell_voltage_brings_it_back() {
        let mut i = Inference::new();
        let none = Faults::decode(0);
        let mut t = 0;
        for _ in 0..4 {
            assert_eq!(i.update(t, &status(DONE_PG), &none, true, None).changed, None);
            t += 100;
        }
        assert!(i.suspect);
        for n in 0..4 {
            let changed = i.update(t, &status(DONE_PG), &none, true, None).changed;
            assert_eq!(changed, (n == 3).then_some(BatteryState::Disconnected));
            t += 100;
        }
        assert!(!i.suspect);
        assert!(!i.needs_cell_voltage(t, true));
        // (a first streak followed by steady charging ends the suspicion: see below)
        t += SETTLE_MS;
        assert!(i.needs_cell_voltage(t, true));
        assert_eq!(i.update(t, &status(IDLE_PG_VSYS), &none, true, Some(0)).changed, None);
        let back = i.update(t + 1_000, &status(IDLE_PG), &none, true, Some(3_700));
        assert_eq!(back.changed, Some(BatteryState::NotCharging));
        assert!(back.quick_start);
    }

    #[test]
    fn steady_charging_ends_the_suspicion_a_flicker_does_not() {
        let mut i = Inference::new();
        let none = Faults::decode(0);
        for t in [0, 100, 200, 300] {
            i.update(t, &status(DONE_PG), &none, true, None);
        }
        assert!(i.suspect);
        i.update(400, &status(FAST_PG), &none, true, None);
        assert!(i.suspect, "a charging reading inside the streak");
        i.update(1_500, &status(FAST_PG), &none, true, None);
        assert!(!i.suspect, "charging a second later");
    }

    #[test]
    fn vsys_regulation_while_not_charging_means_no_battery() {
        let mut i = Inference::new();
        let none = Faults::decode(0);
        assert_eq!(
            i.update(0, &status(IDLE_PG_VSYS), &none, true, None).changed,
            Some(BatteryState::Disconnected)
        );
        // running from the battery proves one
        let back = i.update(100, &status(NO_INPUT), &none, true, None);
        assert_eq!(back.changed, Some(BatteryState::Discharging));
        assert!(back.quick_start);
    }

    #[test]
    fn faults_and_no_input() {
        let mut i = Inference::new();
        let thermal = Faults::decode(0x20);
        assert_eq!(
            i.update(0, &status(IDLE_PG_VSYS), &thermal, true, None).changed,
            Some(BatteryState::Fault)
        );
        assert_eq!(
            i.update(1, &status(NO_INPUT), &Faults::decode(0x10), true, None)
                .changed,
            Some(BatteryState::Discharging)
        );
        assert!(charging_fault(&Faults::decode(0x08)));
        assert!(charging_fault(&Faults::decode(0x30)));
        assert!(charging_fault(&Faults::decode(0x05)));
        assert!(charging_fault(&Faults::decode(0x06)));
        assert!(!charging_fault(&Faults::decode(0x10)));
        assert!(!charging_fault(&Faults::decode(0x80)));
    }

    #[test]
    fn charging_disabled_by_the_config_reads_the_cell() {
        let mut i = Inference::new();
        let none = Faults::decode(0);
        assert!(i.needs_cell_voltage(0, false));
        assert_eq!(
            i.update(0, &status(IDLE_PG), &none, false, Some(500)).changed,
            Some(BatteryState::Disconnected)
        );
        assert_eq!(i.update(1, &status(IDLE_PG), &none, false, Some(3_800)).changed, None);
        let back = i.update(2, &status(IDLE_PG), &none, false, Some(3_800));
        assert_eq!(back.changed, Some(BatteryState::NotCharging));
        assert!(back.quick_start);
        assert_eq!(
            i.update(3, &status(NO_INPUT), &none, false, Some(3_800)).changed,
            Some(BatteryState::Discharging)
        );
        assert_eq!(
            i.update(4, &status(NO_INPUT), &none, false, None).changed,
            Some(BatteryState::Disconnected)
        );
    }
}
