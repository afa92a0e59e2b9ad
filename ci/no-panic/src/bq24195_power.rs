//! Every public operation of `bq24195::power` (feature `power-manager`), on an opaque bus and an opaque gauge.

use core::hint::black_box;

use bq24195::power::{Events, FuelGauge, Instant, PowerConfig, PowerManager, UsbState};
use bq24195::{Bq24195, Variant};

use crate::opaque::{any, I2c};

/// A gauge whose answers the optimiser cannot see.
pub struct Gauge;

impl FuelGauge for Gauge {
    type Error = ();
    fn cell_voltage_mv(&mut self) -> Result<u16, ()> {
        any(Ok(0))
    }
    fn state_of_charge_256ths(&mut self) -> Result<u16, ()> {
        any(Ok(0))
    }
    fn quick_start(&mut self) -> Result<(), ()> {
        any(Ok(()))
    }
    fn take_low_battery_alert(&mut self) -> Result<bool, ()> {
        any(Ok(false))
    }
}

#[cfg(feature = "async")]
impl bq24195::power::FuelGaugeAsync for Gauge {
    type Error = ();
    async fn cell_voltage_mv(&mut self) -> Result<u16, ()> {
        any(Ok(0))
    }
    async fn state_of_charge_256ths(&mut self) -> Result<u16, ()> {
        any(Ok(0))
    }
    async fn quick_start(&mut self) -> Result<(), ()> {
        any(Ok(()))
    }
    async fn take_low_battery_alert(&mut self) -> Result<bool, ()> {
        any(Ok(false))
    }
}

fn clear() {
    black_box(());
}

fn pure(events: Events) {
    for event in any(events) {
        black_box(event);
    }
    black_box(any(events).is_empty());
}

/// The blocking manager, polled at unknowable times, many times (the state machine's every path).
pub fn exercise() {
    let charger = Bq24195::new(I2c, any(Variant::Bq24195));
    let mut power = PowerManager::new(charger, Gauge, any(PowerConfig::electron())).with_bus_clear(clear as fn());
    power.set_usb_state(any(UsbState::Unpowered));
    power.set_config(any(PowerConfig::electron()));
    for _ in 0..any(8) {
        if let Ok(events) = power.poll(any(Instant::from_ticks(0))) {
            pure(events);
        }
        black_box(power.next_poll());
        black_box((power.battery_state(), power.power_source()));
        let _ = black_box(power.battery_charge_256ths());
    }
    black_box(power.config());
    black_box(power.charger());
    black_box(power.gauge());
    black_box(power.charger_mut());
    black_box(power.gauge_mut());
    let _ = black_box(power.release());
}

/// The async manager, polled once each time.
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::poll_once;
    use bq24195::power::PowerManagerAsync;
    use bq24195::Bq24195Async;

    let charger = Bq24195Async::new(I2c, any(Variant::Bq24195));
    let mut power = PowerManagerAsync::new(charger, Gauge, any(PowerConfig::electron())).with_bus_clear(clear as fn());
    power.set_usb_state(any(UsbState::Powered));
    for _ in 0..any(8) {
        poll_once(power.poll(any(Instant::from_ticks(0))));
        black_box(power.next_poll());
        poll_once(power.battery_charge_256ths());
    }
    let _ = black_box(power.release());
}
