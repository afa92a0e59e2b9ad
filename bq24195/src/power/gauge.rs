//! The fuel gauge as the power manager sees it: a small trait, so that this crate does not depend on a gauge
//! driver. One source, two traits: `FuelGauge` (blocking) and, with the `async` feature, `FuelGaugeAsync`.

#[maybe_async_cfg::maybe(
    idents(FuelGauge(sync = "FuelGauge", async = "FuelGaugeAsync")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// What the power manager needs from a fuel gauge (a MAX17043 on a Gen 3 base board): the cell voltage, the state
/// of charge, a quick-start, and the low-battery alert.
///
/// The blocking trait is `FuelGauge`; with the `async` feature, `FuelGaugeAsync` has the same methods as
/// `async fn`s. Implement it for your gauge driver in a few lines (the module docs show them for `max17043`).
#[allow(async_fn_in_trait)]
pub trait FuelGauge {
    /// The gauge's error.
    type Error;

    /// The cell voltage, in mV. An error here is taken as "no cell voltage" by the battery-presence check (a
    /// gauge without a cell has no power), not reported.
    async fn cell_voltage_mv(&mut self) -> Result<u16, Self::Error>;

    /// The state of charge, in 1/256 % (the MAX17043 SOC register's unit: 0x6400 = 100 %).
    async fn state_of_charge_256ths(&mut self) -> Result<u16, Self::Error>;

    /// Restarts the gauge's estimate from the present cell voltage (MAX17043 quick-start). Called when a battery
    /// comes back; repeating it is harmless.
    async fn quick_start(&mut self) -> Result<(), Self::Error>;

    /// Whether the gauge raised its low-battery alert, clearing the alert if so (which releases the ALRT line).
    /// Return `Ok(true)` only once the alert is cleared: an error leaves it raised, and the next call reports it.
    async fn take_low_battery_alert(&mut self) -> Result<bool, Self::Error>;
}
