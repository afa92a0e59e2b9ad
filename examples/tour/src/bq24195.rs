//! The bq24195 chapter: plug in power, charge, a fault, watchdog expiry and recovery, on the simulated chip; then
//! a sibling part (bq24196) on its own simulator.

use bq24195::sim::{Bq24195Sim, FaultPoint, FaultyBus, SimFault, Supply};
use bq24195::{part, BoostCurrentLimit, Bq24195, Config, Error, Variant, Watchdog};
use embedded_hal::i2c::ErrorKind;
use fugit::ExtU32;

type Charger = Bq24195<Bq24195Sim>;

fn show_status(charger: &mut Charger) -> Result<(), Error<ErrorKind>> {
    let status = charger.status()?;
    println!(
        "   status: input {:?}, power good {}, charge {:?}",
        status.vbus, status.power_good, status.charge
    );
    Ok(())
}

/// Runs the chapter and prints what happened.
pub fn chapter() {
    if let Err(error) = run() {
        println!("the bq24195 chapter failed: {error}");
    }
}

fn run() -> Result<(), Error<ErrorKind>> {
    let mut sim = Bq24195Sim::new();
    sim.set_battery_mv(3650);
    println!("A bq24195 on battery alone, fresh from power-on: default mode, 100 mA input limit.");
    sim.plug_in(Supply::UsbHost);
    println!("1. Plug in a USB host: the chip runs D+/D- detection.");
    let mut charger = Bq24195::new(sim, Variant::Bq24195);
    let early = charger.apply_config(&Config::electron());
    println!("   apply_config during detection -> {early:?} (REG00 left alone)");
    charger.wait_for_input_detection(&mut embedded_hal_mock::eh1::delay::NoopDelay)?;
    println!("   detection done: the chip chose {:?}", charger.input_current_limit()?);

    let mut config = Config::electron();
    config.watchdog = Watchdog::S40;
    let report = charger.init(&config)?;
    println!("2. init with the Electron preset, but the watchdog armed at 40 s:");
    println!(
        "   REG0A 0x23 accepted; faults before: latched watchdog={} (every chip says so after power-on)",
        report.latched.watchdog_expired
    );
    let held = charger.read_config()?;
    println!(
        "   chip now holds: input {} mA / {} mV, charge {} mA to {} mV, termination {} mA",
        held.input.current_limit.milliamps(),
        held.input.voltage_limit_mv,
        held.fast_charge_current_ma,
        held.charge_voltage_mv,
        held.termination_current_ma
    );
    show_status(&mut charger)?;
    let mut sim = charger.release();
    println!("   charging at {} mA", sim.charge_current_ma());

    println!("3. The die overheats: thermal shutdown, then it cools down again.");
    sim.raise_fault(SimFault::ThermalShutdown);
    sim.clear_fault(SimFault::ThermalShutdown);
    let mut charger = Bq24195::new(sim, Variant::Bq24195);
    let faults = charger.faults()?;
    println!("   first read (latched): {:?}", faults.latched.charge);
    println!("   second read (now):    {:?}", faults.current.charge);

    println!("4. The host forgets to kick the watchdog for 45 s.");
    let mut sim = charger.release();
    sim.elapse(45.secs());
    println!(
        "   the chip fell back to default mode: input limit {} mA, charge {} mA",
        sim.config().input.current_limit.milliamps(),
        sim.config().fast_charge_current_ma
    );
    let mut charger = Bq24195::new(sim, Variant::Bq24195);
    let snapshot = charger.status_and_faults()?;
    println!(
        "   INT -> status_and_faults: watchdog expired = {}",
        snapshot.faults.watchdog_expired
    );
    charger.recover_from_watchdog(&config)?;
    let back = charger.read_config()?;
    println!(
        "   recover_from_watchdog re-applied the config: input {} mA, charge {} mA",
        back.input.current_limit.milliamps(),
        back.fast_charge_current_ma
    );
    charger.kick_watchdog()?;
    println!("   and kick_watchdog keeps it there (one 2-byte write).");
    show_status(&mut charger)?;

    println!("5. A battery over-voltage comes and goes; then a glitch on the bus fails the second fault read.");
    let mut sim = charger.release();
    sim.raise_fault(SimFault::BatteryOvervoltage);
    sim.clear_fault(SimFault::BatteryOvervoltage);
    let mut bus = FaultyBus::new(sim);
    bus.fail_nth(1, FaultPoint::BeforeChip);
    let mut charger = Bq24195::new(bus, Variant::Bq24195);
    match charger.faults() {
        Ok(_) => println!("   faults() -> Ok (no glitch after all)"),
        Err(error) => println!("   faults() -> {error}"),
    }
    match charger.faults() {
        Ok(report) => println!(
            "   the next faults() still reports what the first read took off the chip: battery over-voltage = {}",
            report.latched.battery_overvoltage
        ),
        Err(error) => println!("   faults() -> {error}"),
    }
    let sim = charger.release().into_inner();
    println!(
        "   the sim saw {} INT pulses, {} watchdog expiry, {} writes during detection",
        sim.interrupts(),
        sim.watchdog_expiries(),
        sim.writes_during_detection()
    );

    println!("6. A sibling: a bq24196, named by its part type, on its own simulator, plugged into an adapter.");
    let mut sim = Bq24195Sim::bq24196();
    sim.plug_in(Supply::Adapter);
    let mut charger = Bq24195::for_part(sim, part::Bq24196);
    let info = charger.check_device()?;
    charger.wait_for_input_detection(&mut embedded_hal_mock::eh1::delay::NoopDelay)?;
    println!(
        "   REG0A PN {:03b} accepted; PSEL low (adapter): the chip chose {:?}",
        info.part_number,
        charger.input_current_limit()?
    );
    println!(
        "   a 2.5 A part: set_fast_charge_current_ma(3000) -> {:?}",
        charger.set_fast_charge_current_ma(3000)
    );
    charger.set_boost_current_limit(BoostCurrentLimit::Ma500)?;
    println!("   OTG boost limited to 500 mA (REG01 bit 0, reserved on the bq24195)");
    let mut wrong = Bq24195::for_part(Bq24195Sim::bq24190(), part::Bq24192);
    match wrong.check_device() {
        Ok(_) => println!("   a bq24192 driver on a bq24190 -> accepted?"),
        Err(error) => println!("   a bq24192 driver on a bq24190 -> {error}"),
    }
    Ok(())
}
