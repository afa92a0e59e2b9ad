//! Every public operation of the driver as a value, for the fault and property tests.

use super::*;
use max17043::sim::FaultyBusError;

/// The temperature compensation the operations use (Maxim's example coefficients).
pub const COMPENSATION: RcompCompensation = RcompCompensation {
    rcomp0: 0x97,
    temp_co_up_milli: -500,
    temp_co_down_milli: -5000,
};

/// Every public operation of the driver, with its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Voltage,
    StateOfCharge,
    NormalizedStateOfCharge,
    Version,
    QuickStart,
    PowerOnReset(PorCommand),
    Config,
    Configure(Settings),
    Rcomp,
    SetRcomp(u8),
    SetRcompForTemperature(i32),
    AlertThreshold,
    SetAlertThreshold(u8),
    Alert,
    ClearAlert,
    Sleep,
    Wake,
    InvalidateCache,
}

/// Every CONFIG writer, each with an argument that changes CONFIG from [`USER`].
pub const CONFIG_WRITERS: [Op; 7] = [
    Op::Configure(Settings {
        rcomp: 0x5A,
        alert_threshold_percent: 20,
        sleep: true,
    }),
    Op::SetRcomp(0x60),
    Op::SetRcompForTemperature(400),
    Op::SetAlertThreshold(25),
    Op::Sleep,
    Op::Wake,
    Op::ClearAlert,
];

#[maybe_async_cfg::maybe(
    idents(Gauge(sync = "Gauge", async = "GaugeAsync")),
    sync(cfg(all()), self = "blocking"),
    async(feature = "async", self = "asynch")
)]
pub mod flavor {
    use super::super::*;
    use super::{Op, COMPENSATION};
    use max17043::sim::FaultyBusError;

    /// Runs `op`; `Ok(())` or the error, whatever the operation returns on success.
    pub async fn apply(gauge: &mut Gauge<Shared<'_>>, op: Op) -> Result<(), Error<FaultyBusError<ErrorKind>>> {
        match op {
            Op::Voltage => gauge.voltage().await.map(drop),
            Op::StateOfCharge => gauge.state_of_charge().await.map(drop),
            Op::NormalizedStateOfCharge => gauge.normalized_state_of_charge(4112).await.map(drop),
            Op::Version => gauge.version().await.map(drop),
            Op::QuickStart => gauge.quick_start().await,
            Op::PowerOnReset(command) => gauge.power_on_reset(command).await.map(drop),
            Op::Config => gauge.config().await.map(drop),
            Op::Configure(settings) => gauge.configure(settings).await,
            Op::Rcomp => gauge.rcomp().await.map(drop),
            Op::SetRcomp(rcomp) => gauge.set_rcomp(rcomp).await,
            Op::SetRcompForTemperature(t) => gauge.set_rcomp_for_temperature(&COMPENSATION, t).await.map(drop),
            Op::AlertThreshold => gauge.alert_threshold().await.map(drop),
            Op::SetAlertThreshold(percent) => gauge.set_alert_threshold(percent).await,
            Op::Alert => gauge.alert().await.map(drop),
            Op::ClearAlert => gauge.clear_alert().await,
            Op::Sleep => gauge.sleep().await,
            Op::Wake => gauge.wake().await,
            Op::InvalidateCache => {
                gauge.invalidate_cache();
                Ok(())
            }
        }
    }
}
