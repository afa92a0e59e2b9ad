//! The driver: one source, two drivers. `Bq24195` (blocking, `embedded-hal`) and, with the `async` feature,
//! `Bq24195Async` (`embedded-hal-async`) are generated from the same code by `maybe-async-cfg`, which removes
//! `async` and `.await` for the blocking one.

#[cfg(feature = "async")]
use embedded_hal_async::{delay::DelayNs as AsyncDelayNs, i2c::I2c as AsyncI2c};

use core::marker::PhantomData;

use embedded_hal::i2c::Operation;
use embedded_hal::{delay::DelayNs, i2c::I2c};

use crate::part::{self, HasBoostLimit, HasIrCompensation, Identity, Part, Sibling};
use crate::register as reg;
use crate::types::{
    ArgumentError, BatteryLowThreshold, BoostCurrentLimit, ChargeConfig, Config, Error, FaultReport, Faults,
    InputCurrentLimit, InputSource, IrCompensation, PartInfo, RechargeThreshold, SafetyTimer, Snapshot, Status,
    TerminationIndicator, ThermalRegulation, Variant, Watchdog,
};

/// How many polls, `interval_us` apart and each charged [`reg::POLL_BUS_TIME_US`] of bus time, end within
/// `deadline_us`: `n` polls take `n × bus + (n − 1) × interval`. At least one.
fn polls_within(deadline_us: u32, interval_us: u32) -> u32 {
    deadline_us
        .saturating_add(interval_us)
        .checked_div(reg::POLL_BUS_TIME_US.saturating_add(interval_us))
        .unwrap_or(1)
        .max(1)
}

/// The bit of `register` in the cache's `known` mask; 0 for a register the cache does not hold (above REG07).
const fn mask_of(register: u8) -> u8 {
    match 1u8.checked_shl(register as u32) {
        Some(bit) => bit,
        None => 0,
    }
}

#[maybe_async_cfg::maybe(
    idents(Bq24195(sync = "Bq24195", async = "Bq24195Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The driver of the bq2419x family: bq24195 / bq24195L (the default part, `P = part::Bq24195OrL`, built with
/// `new` and a [`Variant`]) and bq24190, bq24192, bq24192I, bq24196 (`P = part::Bq24190` and so on, built with
/// `for_part`; aliases `Bq24190<I2C>` and so on). The methods a part lacks do not exist for it: see
/// [`crate::part`].
///
/// The blocking driver is `Bq24195`; with the `async` feature, `Bq24195Async` has the same methods as
/// `async fn`s, plus `wait_for_interrupt` on an `embedded_hal_async::digital::Wait` INT pin.
///
/// The driver caches REG01–REG07, which only it writes, so that a setting costs one 2-byte write. The cache
/// starts empty (the chip may have been configured before an MCU reset) and fills from the chip the first time a
/// setter needs a register; right after the chip's power-on,
/// [`assume_power_on_state`](Self::assume_power_on_state) fills it with the reset values instead, without a read.
/// REG00 is never cached: the chip rewrites its input current limit after D+/D− detection, so REG00 settings read
/// it fresh, and only when detection is not running.
///
/// The control registers return to their reset values when the I2C watchdog expires or after
/// [`reset_registers`](Self::reset_registers): the driver forgets its cache whenever it reads a watchdog fault,
/// and loads the reset values after a register reset.
///
/// # Errors, faults and cancellation
///
/// After any error the cache equals the chip or is forgotten: a write marks the registers it touches unknown
/// before it is sent and caches them again only once the chip acknowledged, so a write that reached the chip
/// although the host saw an error (or an async call dropped while it was on the bus) makes the next setting of
/// those registers read them first. A read-modify-write never writes back REG01 REG_RESET / WD_RESET or REG07
/// DPDM_EN (they would reset every register, kick the watchdog or restart input detection) and always writes the
/// reserved bits as the datasheet wants them.
///
/// REG09 is cleared by reading it. The latched faults a call has read are kept in the driver until a call returns
/// them: if the call fails or (async) is dropped after that read, the next [`faults`](Self::faults),
/// [`latched_faults`](Self::latched_faults), [`status_and_faults`](Self::status_and_faults),
/// [`recover_from_watchdog`](Self::recover_from_watchdog) or [`init`](Self::init) returns them, merged with what
/// it reads. Only a REG09 read that fails (or is dropped) after the chip performed it loses what it cleared;
/// nothing can recover that, and the error (or the drop) is the caller's notice.
///
/// Every wait has a deadline the user can set ([`set_reset_timeout`](Self::set_reset_timeout), default 10 ms;
/// [`set_input_detection_timeout`](Self::set_input_detection_timeout), default 1 s); each poll is charged its
/// delay plus [`POLL_BUS_TIME_US`](crate::register::POLL_BUS_TIME_US) (0.5 ms) of bus time, so the wait ends no
/// later than the deadline whatever the chip answers.
///
/// Async: every operation is cancel-safe in this sense: dropped at any await point it leaves the driver as a
/// failed call would, and calling it again completes the job. Only `wait_for_interrupt` waits for something
/// other than the bus (the INT edge); wrap it in a timeout of your own, it is cancel-safe too.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Bq24195<I2C, P = part::Bq24195OrL> {
    i2c: I2C,
    /// The bq24195 or bq24195L on the default part; unused (the default) on the siblings.
    variant: Variant,
    /// REG01–REG07 as last written or read, as [`reg::settings`] gives them: REG01 without REG_RESET/WD_RESET,
    /// REG07 without DPDM_EN, reserved bits as written. Entry `n` holds REGn when bit `n` of `known` is set
    /// (bit 0, REG00, never is). Packed (a mask and 8 bytes, not 8 `Option<u8>`): a smaller object, and
    /// forgetting everything is one store.
    cache: [u8; reg::CONTROL_COUNT],
    /// Which entries of `cache` hold the chip's register (bit `n`: REGn).
    known: u8,
    /// Latched REG09 readings taken from the chip and not yet returned to the caller, merged (0: none; a
    /// reading of 0 merged into another changes nothing, so "none" and "no fault" need not be told apart).
    pending_faults: u8,
    reset_timeout: fugit::MicrosDurationU32,
    detection_timeout: fugit::MillisDurationU32,
    part: PhantomData<P>,
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        I2c(sync = "I2c", async = "AsyncI2c"),
        DelayNs(sync = "DelayNs", async = "AsyncDelayNs")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c> Bq24195<I2C, part::Bq24195OrL> {
    /// A driver for a bq24195 or bq24195L (`variant`) at its fixed address 0x6B. Sends nothing; call
    /// [`check_device`](Self::check_device) (or [`init`](Self::init)) first. For a bq24190, bq24192, bq24192I or
    /// bq24196, see [`for_part`](Bq24195::for_part).
    pub fn new(i2c: I2C, variant: Variant) -> Self {
        Self::with_variant(i2c, variant)
    }

    /// The part the driver was told it talks to.
    pub fn variant(&self) -> Variant {
        self.variant
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, P: Sibling> Bq24195<I2C, P> {
    /// A driver for the sibling part named by its marker, at the fixed address 0x6B: `Bq24195::for_part(i2c,
    /// part::Bq24190)`. Sends nothing. REG0A cannot tell a bq24190 from a bq24195 or a bq24192 from a bq24196,
    /// so the part is yours to name; [`check_device`](Self::check_device) accepts the PN of the part named.
    pub fn for_part(i2c: I2C, _part: P) -> Self {
        Self::with_variant(i2c, Variant::default())
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        I2c(sync = "I2c", async = "AsyncI2c"),
        DelayNs(sync = "DelayNs", async = "AsyncDelayNs")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, P: Part> Bq24195<I2C, P> {
    fn with_variant(i2c: I2C, variant: Variant) -> Self {
        Self {
            i2c,
            variant,
            cache: [0; reg::CONTROL_COUNT],
            known: 0,
            pending_faults: 0,
            reset_timeout: fugit::MicrosDurationU32::from_ticks(reg::RESET_TIMEOUT_US),
            detection_timeout: fugit::MillisDurationU32::from_ticks(reg::DETECTION_TIMEOUT_MS),
            part: PhantomData,
        }
    }

    /// The deadline of [`reset_registers`](Self::reset_registers) (default 10 ms: 16 polls 100 µs apart, each
    /// charged 0.5 ms of bus time). At least one poll is always made.
    pub fn set_reset_timeout(&mut self, timeout: fugit::MicrosDurationU32) {
        self.reset_timeout = timeout;
    }

    /// The deadline of [`reset_registers`](Self::reset_registers).
    pub fn reset_timeout(&self) -> fugit::MicrosDurationU32 {
        self.reset_timeout
    }

    /// The deadline of [`wait_for_input_detection`](Self::wait_for_input_detection) (default 1 s, as Device OS
    /// waits: 20 polls 50 ms apart, each charged 0.5 ms of bus time). At least one poll is always made.
    pub fn set_input_detection_timeout(&mut self, timeout: fugit::MillisDurationU32) {
        self.detection_timeout = timeout;
    }

    /// The deadline of [`wait_for_input_detection`](Self::wait_for_input_detection).
    pub fn input_detection_timeout(&self) -> fugit::MillisDurationU32 {
        self.detection_timeout
    }

    /// The cache of REG00–REG07 (`None`: unknown; REG00 is never cached), for the property tests.
    #[doc(hidden)]
    #[cfg(feature = "sim")]
    pub fn cached_registers(&self) -> [Option<u8>; reg::CONTROL_COUNT] {
        let mut registers = [None; reg::CONTROL_COUNT];
        for ((slot, value), register) in registers.iter_mut().zip(self.cache).zip(0u8..) {
            if self.known & mask_of(register) != 0 {
                *slot = Some(value);
            }
        }
        registers
    }

    /// The latched REG09 reading taken from the chip and not yet returned, for the property tests.
    #[doc(hidden)]
    #[cfg(feature = "sim")]
    pub fn pending_faults(&self) -> Option<u8> {
        (self.pending_faults != 0).then_some(self.pending_faults)
    }

    /// Gives the bus back.
    pub fn release(self) -> I2C {
        self.i2c
    }

    /// The bus, for inspection while the driver owns it (a simulator's state, a `sim::CountingBus`'s traffic).
    pub fn bus(&self) -> &I2C {
        &self.i2c
    }

    /// The bus, mutably: to drive a simulator or reset a counter while the driver owns it. Writing to the chip
    /// through it behind the driver's back makes the driver's register cache wrong: call
    /// [`invalidate_cache`](Self::invalidate_cache) after such a write.
    pub fn bus_mut(&mut self) -> &mut I2C {
        &mut self.i2c
    }

    /// The part's name ("bq24190", or "bq24195/bq24195L" for the default part).
    pub fn part_name(&self) -> &'static str {
        P::NAME
    }

    // ---- bus helpers ------------------------------------------------------------------------------------

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Error<I2C::Error>> {
        self.i2c.write(reg::ADDRESS, bytes).await.map_err(Error::Bus)
    }

    async fn read(&mut self, register: u8, buffer: &mut [u8]) -> Result<(), Error<I2C::Error>> {
        self.i2c
            .write_read(reg::ADDRESS, &[register], buffer)
            .await
            .map_err(Error::Bus)
    }

    /// Two single-register reads in one transaction (write 1, read 1, repeated start, write 1, read 1).
    async fn read_two(&mut self, first: u8, second: u8) -> Result<(u8, u8), Error<I2C::Error>> {
        let (first, second) = ([first], [second]);
        let mut values = ([0], [0]);
        self.i2c
            .transaction(
                reg::ADDRESS,
                &mut [
                    Operation::Write(&first),
                    Operation::Read(&mut values.0),
                    Operation::Write(&second),
                    Operation::Read(&mut values.1),
                ],
            )
            .await
            .map_err(Error::Bus)?;
        let ([a], [b]) = values;
        Ok((a, b))
    }

    async fn read_register(&mut self, register: u8) -> Result<u8, Error<I2C::Error>> {
        let mut value = [0];
        self.read(register, &mut value).await?;
        let [value] = value;
        Ok(value)
    }

    /// Caches a control register REG01–REG07 as [`reg::settings`] gives it (REG00 is never cached: the chip
    /// rewrites it) and returns that value.
    fn remember(&mut self, register: u8, value: u8) -> u8 {
        let value = P::settings(register, value);
        if register != reg::INPUT_SOURCE {
            if let Some(slot) = self.cache.get_mut(usize::from(register)) {
                *slot = value;
                self.known |= mask_of(register);
            }
        }
        value
    }

    fn forget(&mut self, register: u8) {
        self.known &= !mask_of(register);
    }

    /// Caches REG01–REG07 from values that are already settings (no command bit, reserved bits as written:
    /// [`Config::encode`]'s output and the reset values, both pinned by tests); REG00 stays unknown.
    fn remember_settings(&mut self, registers: [u8; reg::CONTROL_COUNT]) {
        self.cache = registers;
        self.known = reg::CACHED_REGISTERS;
    }

    /// Caches REG01–REG07 as read from the chip (through [`reg::settings`]); REG00 stays unknown.
    fn remember_all(&mut self, registers: [u8; reg::CONTROL_COUNT]) {
        for (register, value) in (0u8..).zip(registers) {
            self.remember(register, value);
        }
    }

    /// A control register from the chip (one write-read of 1 + 1 bytes), refreshing the cache; as read.
    async fn fetch(&mut self, register: u8) -> Result<u8, Error<I2C::Error>> {
        let value = self.read_register(register).await?;
        self.remember(register, value);
        Ok(value)
    }

    /// A control register (REG01–REG07) as a read-modify-write starts from ([`reg::settings`]: no command bit,
    /// reserved bits as written): from the cache, or from the chip when the cache does not hold it.
    async fn cached(&mut self, register: u8) -> Result<u8, Error<I2C::Error>> {
        match self.cache.get(usize::from(register)) {
            Some(&value) if self.known & mask_of(register) != 0 => Ok(value),
            _ => {
                let value = self.read_register(register).await?;
                Ok(self.remember(register, value))
            }
        }
    }

    /// Writes one control register (one 2-byte write): unknown while the write is on its way (it may reach the
    /// chip although the host sees an error), cached once the chip acknowledged.
    async fn write_register(&mut self, register: u8, value: u8) -> Result<(), Error<I2C::Error>> {
        self.forget(register);
        self.write(&[register, value]).await?;
        self.remember(register, value);
        Ok(())
    }

    /// Replaces the field under `mask` of a control register REG01–REG07 with `bits` (already in place).
    async fn update(&mut self, register: u8, mask: u8, bits: u8) -> Result<(), Error<I2C::Error>> {
        let value = (self.cached(register).await? & !mask) | (bits & mask);
        self.write_register(register, value).await
    }

    /// REG07 and REG00 in one transaction (two single-register reads, 2 + 2 bytes), refusing while D+/D−
    /// detection runs. Returns REG00.
    async fn input_source_when_idle(&mut self) -> Result<u8, Error<I2C::Error>> {
        let (misc, input) = self.read_two(reg::MISC_OPERATION, reg::INPUT_SOURCE).await?;
        self.remember(reg::MISC_OPERATION, misc);
        if misc & reg::DPDM_EN != 0 {
            return Err(Error::InputDetectionRunning);
        }
        Ok(input)
    }

    /// Reads REG07 (1 + 1 bytes) and refuses while D+/D− detection runs.
    async fn ensure_detection_idle(&mut self) -> Result<(), Error<I2C::Error>> {
        if self.fetch(reg::MISC_OPERATION).await? & reg::DPDM_EN != 0 {
            Err(Error::InputDetectionRunning)
        } else {
            Ok(())
        }
    }

    /// Replaces a field of REG00 after a fresh, guarded read; one transaction of 2 + 2 bytes, then one 2-byte
    /// write.
    async fn update_input_source(&mut self, mask: u8, bits: u8) -> Result<(), Error<I2C::Error>> {
        let value = (self.input_source_when_idle().await? & !mask) | (bits & mask);
        self.write_register(reg::INPUT_SOURCE, value).await
    }

    /// A REG09 reading: a watchdog fault means the chip reloaded (at least some of) its reset values.
    fn note_faults(&mut self, raw: u8) -> Faults {
        if raw & reg::WATCHDOG_FAULT != 0 {
            self.invalidate_cache();
        }
        P::decode_faults(raw)
    }

    /// A latched REG09 reading the chip has handed over (and cleared): kept in the driver, merged with any
    /// earlier one not yet returned, until [`deliver_faults`](Self::deliver_faults) returns it to the caller.
    #[inline(never)]
    fn keep_faults(&mut self, raw: u8) {
        self.note_faults(raw);
        self.pending_faults = reg::merge_faults(self.pending_faults, raw);
    }

    /// The latched faults kept so far, handed to the caller (the last step of a call: nothing can fail after it).
    fn deliver_faults(&mut self) -> Faults {
        P::decode_faults(core::mem::take(&mut self.pending_faults))
    }

    // ---- identification, start-up, whole configuration --------------------------------------------------

    /// Reads REG0A (one write-read of 1 + 1 bytes) and checks it names the part: 0x23 on the default part (a
    /// bq24195 or bq24195L); on a sibling its PN (bq24190 100, bq24192 and bq24196 101, bq24192I 011) with
    /// TS_PROFILE 0, any revision. REG0A naming another part of the family is [`Error::OtherPart`], anything else
    /// [`Error::UnexpectedDevice`]. A bq24190 reads as a bq24195 and a bq24196 as a bq24192 (see [`crate::part`]).
    pub async fn check_device(&mut self) -> Result<PartInfo, Error<I2C::Error>> {
        let raw = self.read_register(reg::PART_INFO).await?;
        match P::identify(raw) {
            Identity::Match => Ok(PartInfo::decode(raw)),
            Identity::OtherPart => Err(Error::OtherPart(raw)),
            Identity::Unknown => Err(Error::UnexpectedDevice(raw)),
        }
    }

    /// REG0A decoded, without judging it.
    pub async fn part_info(&mut self) -> Result<PartInfo, Error<I2C::Error>> {
        Ok(PartInfo::decode(self.read_register(reg::PART_INFO).await?))
    }

    /// Start-up in one call: [`check_device`](Self::check_device), then both fault readings (which flushes the
    /// fault latch, including the watchdog fault every chip reports after power-on), then
    /// [`apply_config`](Self::apply_config). Returns the fault readings taken before the config was applied.
    ///
    /// If it fails (or is dropped) after the first fault reading, the latched faults are kept for the next fault
    /// reading call; call `init` again.
    pub async fn init(&mut self, config: &Config) -> Result<FaultReport, Error<I2C::Error>> {
        self.check_device().await?;
        let latched = self.read_register(reg::FAULT).await?;
        self.keep_faults(latched);
        let current = self.read_register(reg::FAULT).await?;
        let current = self.note_faults(current);
        self.apply_config(config).await?;
        Ok(FaultReport {
            latched: self.deliver_faults(),
            current,
        })
    }

    /// Writes the whole charger configuration: a guard read of REG07 (1 + 1 bytes, refusing with
    /// [`Error::InputDetectionRunning`] while D+/D− detection runs), then REG00–REG07 in one 9-byte
    /// auto-increment write. The config is checked before anything is sent. The cache is forgotten before the
    /// write and filled once the chip acknowledged it: after an error (part of the write may have reached the
    /// chip) the next settings read their registers first.
    pub async fn apply_config(&mut self, config: &Config) -> Result<(), Error<I2C::Error>> {
        let registers = config.encode_with(P::profile(self.variant))?;
        // the guard's REG07 reading is not cached: the whole cache is forgotten next
        if self.read_register(reg::MISC_OPERATION).await? & reg::DPDM_EN != 0 {
            return Err(Error::InputDetectionRunning);
        }
        let [r0, r1, r2, r3, r4, r5, r6, r7] = registers;
        self.invalidate_cache();
        self.write(&[reg::INPUT_SOURCE, r0, r1, r2, r3, r4, r5, r6, r7]).await?;
        self.remember_settings(registers);
        Ok(())
    }

    /// Reads REG00–REG07 in one auto-increment write-read (1 + 8 bytes), refreshes the whole cache, and returns
    /// the configuration the chip holds.
    pub async fn read_config(&mut self) -> Result<Config, Error<I2C::Error>> {
        let mut registers = [0u8; reg::CONTROL_COUNT];
        self.read(reg::INPUT_SOURCE, &mut registers).await?;
        self.remember_all(registers);
        Ok(Config::decode(registers))
    }

    /// Takes the chip to be in its power-on state, without touching the bus: the cache of REG01–REG07 is
    /// filled with the datasheet's reset values ([`register::RESET`](crate::register::RESET)), as after a successful
    /// [`reset_registers`](Self::reset_registers). A setter of REG01–REG07 then costs one 2-byte write from the
    /// start (`set_fast_charge_current_ma` after power-on: `02 xx`, instead of a 1 + 1-byte read first), and a
    /// mock test of your own need not replay a start-up.
    ///
    /// **Only right after the chip's power-on, or a register reset you know happened** (and before anything
    /// else wrote to it, such as a bootloader or an earlier run of the firmware across an MCU reset: the chip
    /// keeps its registers while it stays powered). Otherwise the cache disagrees with the chip, and the next
    /// read-modify-write writes the reset value of every other field of that register back to the chip. If in
    /// doubt, do not call it: the cold cache costs one read per register, once.
    ///
    /// REG00 stays uncached (the chip rewrites it after input detection), faults read but not yet returned are
    /// kept, and the deadlines are left as they are. It does not check the part: call
    /// [`check_device`](Self::check_device) for that.
    ///
    /// On a sibling part only the registers whose reset value its datasheet pages confirm are assumed (bq24190,
    /// bq24192, bq24192I: REG04 and REG05; bq24196: REG02, see
    /// [`register::RESET_CONFIRMED_BQ24190`](crate::register::RESET_CONFIRMED_BQ24190)); the others are read when
    /// first needed, as on a cold cache.
    pub fn assume_power_on_state(&mut self) {
        self.cache = P::RESET;
        self.known = reg::CACHED_REGISTERS & P::RESET_CONFIRMED;
    }

    /// Forgets the cache without touching the bus; the next setter of each register reads it first.
    pub fn invalidate_cache(&mut self) {
        self.known = 0;
    }

    // ---- status and faults ------------------------------------------------------------------------------

    /// System status (REG08): one write-read of 1 + 1 bytes.
    pub async fn status(&mut self) -> Result<Status, Error<I2C::Error>> {
        Ok(Status::decode(self.read_register(reg::SYSTEM_STATUS).await?))
    }

    /// The **latched** faults: one read of REG09 (1 + 1 bytes), which returns every fault since the previous read,
    /// including those already gone, and clears the latch (merged with latched faults an earlier call read but
    /// could not return). A watchdog fault empties the driver's cache.
    pub async fn latched_faults(&mut self) -> Result<Faults, Error<I2C::Error>> {
        let raw = self.read_register(reg::FAULT).await?;
        self.keep_faults(raw);
        Ok(self.deliver_faults())
    }

    /// Both fault readings: REG09 read twice (two write-reads of 1 + 1 bytes; REG09 takes no multi-byte read).
    /// The first is the latched one (merged with latched faults an earlier call read but could not return), the
    /// second the present state. If the second read fails (or the call is dropped after the first), the latched
    /// reading is kept for the next call.
    pub async fn faults(&mut self) -> Result<FaultReport, Error<I2C::Error>> {
        let first = self.read_register(reg::FAULT).await?;
        self.keep_faults(first);
        let second = self.read_register(reg::FAULT).await?;
        let current = self.note_faults(second);
        Ok(FaultReport {
            latched: self.deliver_faults(),
            current,
        })
    }

    /// Status and latched faults in one I2C transaction: REG08 then REG09, each as a single-register read
    /// (write 1, read 1, repeated start, write 1, read 1), since REG09 takes no multi-byte read. This is what to
    /// call when INT pulses.
    pub async fn status_and_faults(&mut self) -> Result<Snapshot, Error<I2C::Error>> {
        let (status, fault) = self.read_two(reg::SYSTEM_STATUS, reg::FAULT).await?;
        self.keep_faults(fault);
        Ok(Snapshot {
            status: Status::decode(status),
            faults: self.deliver_faults(),
        })
    }

    /// Host-mode upkeep: reads the latched faults and, if the watchdog expired (the chip fell back to default
    /// mode and reset values), applies `config` again. Returns the latched faults it read. If input detection
    /// happens to run, this returns [`Error::InputDetectionRunning`]; call it again later: the chip keeps reporting
    /// the watchdog fault for as long as it stays in default mode. If the config write fails (or the call is
    /// dropped), the faults read are kept and the next call applies the config again.
    pub async fn recover_from_watchdog(&mut self, config: &Config) -> Result<Faults, Error<I2C::Error>> {
        let raw = self.read_register(reg::FAULT).await?;
        self.keep_faults(raw);
        let expired = self.pending_faults & reg::WATCHDOG_FAULT != 0;
        if expired {
            self.apply_config(config).await?;
        }
        Ok(self.deliver_faults())
    }

    // ---- REG00: input source ----------------------------------------------------------------------------

    /// Writes REG00 whole (HIZ, VINDPM, IINLIM): a guard read of REG07 (1 + 1 bytes), then one 2-byte write.
    /// Returns what was applied (the voltage rounded down to its 80 mV step).
    pub async fn set_input_source(&mut self, input: InputSource) -> Result<InputSource, Error<I2C::Error>> {
        let value = input.encode()?;
        self.ensure_detection_idle().await?;
        self.write_register(reg::INPUT_SOURCE, value).await?;
        Ok(InputSource::decode(value))
    }

    /// REG00 from the chip (1 + 1 bytes).
    pub async fn input_source(&mut self) -> Result<InputSource, Error<I2C::Error>> {
        Ok(InputSource::decode(self.fetch(reg::INPUT_SOURCE).await?))
    }

    /// High-impedance input (EN_HIZ): `true` turns the buck off and runs the system from the battery; `false`
    /// (the Electron setting) lets the input supply the system. Guarded read-modify-write of REG00.
    pub async fn set_hiz(&mut self, hiz: bool) -> Result<(), Error<I2C::Error>> {
        self.update_input_source(reg::EN_HIZ, if hiz { reg::EN_HIZ } else { 0 })
            .await
    }

    /// EN_HIZ from the chip.
    pub async fn hiz(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.input_source().await?.hiz)
    }

    /// Input voltage limit (VINDPM), 3880–5080 mV, rounded down to an 80 mV step; returns the applied value.
    /// Guarded read-modify-write of REG00.
    pub async fn set_input_voltage_limit_mv(&mut self, mv: u16) -> Result<u16, Error<I2C::Error>> {
        let code = reg::VINDPM.encode(mv).ok_or(ArgumentError::InputVoltageLimit)?;
        self.update_input_source(reg::VINDPM_MASK, reg::with_field(0, reg::VINDPM_MASK, code))
            .await?;
        Ok(reg::VINDPM.decode(code))
    }

    /// VINDPM from the chip, in mV.
    pub async fn input_voltage_limit_mv(&mut self) -> Result<u16, Error<I2C::Error>> {
        Ok(self.input_source().await?.voltage_limit_mv)
    }

    /// Input current limit (IINLIM). Guarded read-modify-write of REG00. The chip sets IINLIM itself after D+/D−
    /// detection; a limit written before detection settles can be overridden.
    pub async fn set_input_current_limit(&mut self, limit: InputCurrentLimit) -> Result<(), Error<I2C::Error>> {
        self.update_input_source(reg::IINLIM_MASK, limit.code()).await
    }

    /// IINLIM from the chip.
    pub async fn input_current_limit(&mut self) -> Result<InputCurrentLimit, Error<I2C::Error>> {
        Ok(self.input_source().await?.current_limit)
    }

    // ---- REG01: power-on configuration ------------------------------------------------------------------

    /// Register reset (REG_RESET): every control register returns to its reset value (watchdog 40 s, input limit
    /// 100 mA, ...). Writes REG01 with REG_RESET, then polls REG01 (1 + 1 bytes each, 100 µs apart) until the
    /// chip clears the bit, within the [reset deadline](Self::set_reset_timeout) (default 10 ms: 16 polls);
    /// [`Error::ResetTimeout`] otherwise. The cache is forgotten before the write and holds the reset values once
    /// the bit read 0; after an error the next settings read their registers first (and never write REG_RESET
    /// back, even while it still reads 1).
    pub async fn reset_registers<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<I2C::Error>> {
        let reset = [reg::POWER_ON_CONFIG, reg::RESET[1] | reg::REG_RESET];
        self.invalidate_cache();
        self.write(&reset).await?;
        let polls = polls_within(self.reset_timeout.ticks(), reg::RESET_POLL_INTERVAL_US);
        for poll in 1..=polls {
            if self.read_register(reg::POWER_ON_CONFIG).await? & reg::REG_RESET == 0 {
                self.assume_power_on_state();
                return Ok(());
            }
            if poll < polls {
                delay.delay_us(reg::RESET_POLL_INTERVAL_US).await;
            }
        }
        Err(Error::ResetTimeout)
    }

    /// Restarts the I2C watchdog timer (WD_RESET): one 2-byte write of REG01 from the cache (REG_RESET never
    /// set). Call it more often than the watchdog period to stay in host mode. TI's sister parts want consecutive
    /// kicks at least 20 µs apart.
    pub async fn kick_watchdog(&mut self) -> Result<(), Error<I2C::Error>> {
        let value = self.cached(reg::POWER_ON_CONFIG).await? | reg::WD_RESET;
        self.write(&[reg::POWER_ON_CONFIG, value]).await
    }

    /// Charger configuration (CHG_CONFIG): disabled, charge, or OTG boost.
    pub async fn set_charge_config(&mut self, config: ChargeConfig) -> Result<(), Error<I2C::Error>> {
        let bits = reg::with_field(0, reg::CHG_CONFIG_MASK, config.code());
        self.update(reg::POWER_ON_CONFIG, reg::CHG_CONFIG_MASK, bits).await
    }

    /// CHG_CONFIG from the chip.
    pub async fn charge_config(&mut self) -> Result<ChargeConfig, Error<I2C::Error>> {
        let value = self.fetch(reg::POWER_ON_CONFIG).await?;
        Ok(ChargeConfig::from_code(reg::field(value, reg::CHG_CONFIG_MASK)))
    }

    /// Minimum system voltage (SYS_MIN), 3000–3700 mV, rounded down to a 100 mV step; returns the applied value.
    pub async fn set_minimum_system_voltage_mv(&mut self, mv: u16) -> Result<u16, Error<I2C::Error>> {
        let code = reg::SYS_MIN.encode(mv).ok_or(ArgumentError::MinimumSystemVoltage)?;
        let bits = reg::with_field(0, reg::SYS_MIN_MASK, code);
        self.update(reg::POWER_ON_CONFIG, reg::SYS_MIN_MASK, bits).await?;
        Ok(reg::SYS_MIN.decode(code))
    }

    /// SYS_MIN from the chip, in mV.
    pub async fn minimum_system_voltage_mv(&mut self) -> Result<u16, Error<I2C::Error>> {
        let value = self.fetch(reg::POWER_ON_CONFIG).await?;
        Ok(reg::SYS_MIN.decode(reg::field(value, reg::SYS_MIN_MASK)))
    }

    // ---- REG02: charge current --------------------------------------------------------------------------

    /// Fast-charge current (ICHG), 512–4544 mA (bq24195L and bq24196: 512–2496 mA), rounded down to a 64 mA step; returns
    /// the applied value. With FORCE_20PCT the chip charges at a fifth of it.
    pub async fn set_fast_charge_current_ma(&mut self, ma: u16) -> Result<u16, Error<I2C::Error>> {
        let steps = P::profile(self.variant).ichg;
        let code = steps.encode(ma).ok_or(ArgumentError::FastChargeCurrent)?;
        let bits = reg::with_field(0, reg::ICHG_MASK, code);
        self.update(reg::CHARGE_CURRENT, reg::ICHG_MASK, bits).await?;
        Ok(steps.decode(code))
    }

    /// ICHG from the chip, in mA (as programmed, before FORCE_20PCT).
    pub async fn fast_charge_current_ma(&mut self) -> Result<u16, Error<I2C::Error>> {
        let value = self.fetch(reg::CHARGE_CURRENT).await?;
        Ok(reg::ICHG.decode(reg::field(value, reg::ICHG_MASK)))
    }

    /// The 20 % mode (FORCE_20PCT): fast charge at ICHG / 5 and pre-charge at IPRECHG / 2. The charge current can
    /// then fall below ITERM: consider turning termination off.
    pub async fn set_force_20_percent(&mut self, on: bool) -> Result<(), Error<I2C::Error>> {
        self.update(
            reg::CHARGE_CURRENT,
            reg::FORCE_20PCT,
            if on { reg::FORCE_20PCT } else { 0 },
        )
        .await
    }

    /// FORCE_20PCT from the chip.
    pub async fn force_20_percent(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::CHARGE_CURRENT).await? & reg::FORCE_20PCT != 0)
    }

    // ---- REG03: pre-charge and termination current ------------------------------------------------------

    /// Pre-charge current (IPRECHG), 128–2048 mA, rounded down to a 128 mA step; returns the applied value.
    pub async fn set_precharge_current_ma(&mut self, ma: u16) -> Result<u16, Error<I2C::Error>> {
        let steps = reg::PRECHARGE_TERMINATION_STEPS;
        let code = steps.encode(ma).ok_or(ArgumentError::PrechargeCurrent)?;
        let bits = reg::with_field(0, reg::IPRECHG_MASK, code);
        self.update(reg::PRECHARGE_TERMINATION, reg::IPRECHG_MASK, bits).await?;
        Ok(steps.decode(code))
    }

    /// IPRECHG from the chip, in mA.
    pub async fn precharge_current_ma(&mut self) -> Result<u16, Error<I2C::Error>> {
        let value = self.fetch(reg::PRECHARGE_TERMINATION).await?;
        Ok(reg::PRECHARGE_TERMINATION_STEPS.decode(reg::field(value, reg::IPRECHG_MASK)))
    }

    /// Termination current (ITERM), 128–2048 mA, rounded down to a 128 mA step; returns the applied value.
    pub async fn set_termination_current_ma(&mut self, ma: u16) -> Result<u16, Error<I2C::Error>> {
        let steps = reg::PRECHARGE_TERMINATION_STEPS;
        let code = steps.encode(ma).ok_or(ArgumentError::TerminationCurrent)?;
        self.update(reg::PRECHARGE_TERMINATION, reg::ITERM_MASK, code).await?;
        Ok(steps.decode(code))
    }

    /// ITERM from the chip, in mA.
    pub async fn termination_current_ma(&mut self) -> Result<u16, Error<I2C::Error>> {
        let value = self.fetch(reg::PRECHARGE_TERMINATION).await?;
        Ok(reg::PRECHARGE_TERMINATION_STEPS.decode(reg::field(value, reg::ITERM_MASK)))
    }

    // ---- REG04: charge voltage --------------------------------------------------------------------------

    /// Charge voltage (VREG), 3504–4400 mV, rounded down to a 16 mV step; returns the applied value.
    pub async fn set_charge_voltage_mv(&mut self, mv: u16) -> Result<u16, Error<I2C::Error>> {
        let code = reg::VREG.encode(mv).ok_or(ArgumentError::ChargeVoltage)?;
        let bits = reg::with_field(0, reg::VREG_MASK, code);
        self.update(reg::CHARGE_VOLTAGE, reg::VREG_MASK, bits).await?;
        Ok(reg::VREG.decode(code))
    }

    /// VREG from the chip, in mV. Codes above 56 (undocumented, never written by the driver) decode by the same
    /// formula, up to 4512 mV.
    pub async fn charge_voltage_mv(&mut self) -> Result<u16, Error<I2C::Error>> {
        let value = self.fetch(reg::CHARGE_VOLTAGE).await?;
        Ok(reg::VREG.decode(reg::field(value, reg::VREG_MASK)))
    }

    /// Pre-charge to fast-charge threshold (BATLOWV).
    pub async fn set_battery_low_threshold(&mut self, threshold: BatteryLowThreshold) -> Result<(), Error<I2C::Error>> {
        let bits = if threshold == BatteryLowThreshold::Mv3000 {
            reg::BATLOWV
        } else {
            0
        };
        self.update(reg::CHARGE_VOLTAGE, reg::BATLOWV, bits).await
    }

    /// BATLOWV from the chip.
    pub async fn battery_low_threshold(&mut self) -> Result<BatteryLowThreshold, Error<I2C::Error>> {
        Ok(Config::decode(self.with_register(reg::CHARGE_VOLTAGE).await?).battery_low)
    }

    /// Recharge threshold below VREG (VRECHG).
    pub async fn set_recharge_threshold(&mut self, threshold: RechargeThreshold) -> Result<(), Error<I2C::Error>> {
        let bits = if threshold == RechargeThreshold::Mv300 {
            reg::VRECHG
        } else {
            0
        };
        self.update(reg::CHARGE_VOLTAGE, reg::VRECHG, bits).await
    }

    /// VRECHG from the chip.
    pub async fn recharge_threshold(&mut self) -> Result<RechargeThreshold, Error<I2C::Error>> {
        Ok(Config::decode(self.with_register(reg::CHARGE_VOLTAGE).await?).recharge)
    }

    /// The reset values with one register replaced by its value on the chip, for decoding one field through
    /// [`Config::decode`].
    async fn with_register(&mut self, register: u8) -> Result<[u8; reg::CONTROL_COUNT], Error<I2C::Error>> {
        let value = self.fetch(register).await?;
        let mut registers = reg::RESET;
        if let Some(slot) = registers.get_mut(usize::from(register)) {
            *slot = value;
        }
        Ok(registers)
    }

    // ---- REG05: termination, watchdog, safety timer -----------------------------------------------------

    /// Charge termination (EN_TERM).
    pub async fn set_termination_enabled(&mut self, on: bool) -> Result<(), Error<I2C::Error>> {
        self.update(reg::TERMINATION_TIMER, reg::EN_TERM, if on { reg::EN_TERM } else { 0 })
            .await
    }

    /// EN_TERM from the chip.
    pub async fn termination_enabled(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::TERMINATION_TIMER).await? & reg::EN_TERM != 0)
    }

    /// When STAT reports "done" (TERM_STAT).
    pub async fn set_termination_indicator(
        &mut self,
        indicator: TerminationIndicator,
    ) -> Result<(), Error<I2C::Error>> {
        let bits = if indicator == TerminationIndicator::Below800Ma {
            reg::TERM_STAT
        } else {
            0
        };
        self.update(reg::TERMINATION_TIMER, reg::TERM_STAT, bits).await
    }

    /// TERM_STAT from the chip.
    pub async fn termination_indicator(&mut self) -> Result<TerminationIndicator, Error<I2C::Error>> {
        Ok(Config::decode(self.with_register(reg::TERMINATION_TIMER).await?).termination_indicator)
    }

    /// The I2C watchdog (WATCHDOG): off, or armed at 40 / 80 / 160 s. Armed, it must be
    /// [kicked](Self::kick_watchdog) in time or the chip returns to default mode and reset values.
    pub async fn set_watchdog(&mut self, watchdog: Watchdog) -> Result<(), Error<I2C::Error>> {
        let bits = reg::with_field(0, reg::WATCHDOG_MASK, watchdog.code());
        self.update(reg::TERMINATION_TIMER, reg::WATCHDOG_MASK, bits).await
    }

    /// Turns the I2C watchdog off: the chip stays in host mode (from reset values: `05 8A`).
    pub async fn disable_watchdog(&mut self) -> Result<(), Error<I2C::Error>> {
        self.set_watchdog(Watchdog::Disabled).await
    }

    /// WATCHDOG from the chip.
    pub async fn watchdog(&mut self) -> Result<Watchdog, Error<I2C::Error>> {
        let value = self.fetch(reg::TERMINATION_TIMER).await?;
        Ok(Watchdog::from_code(reg::field(value, reg::WATCHDOG_MASK)))
    }

    /// The charge safety timer (EN_TIMER). Without a battery the pre-charge timer expires and reports a fault;
    /// turn it off when charging is off.
    pub async fn set_safety_timer_enabled(&mut self, on: bool) -> Result<(), Error<I2C::Error>> {
        self.update(
            reg::TERMINATION_TIMER,
            reg::EN_TIMER,
            if on { reg::EN_TIMER } else { 0 },
        )
        .await
    }

    /// EN_TIMER from the chip.
    pub async fn safety_timer_enabled(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::TERMINATION_TIMER).await? & reg::EN_TIMER != 0)
    }

    /// Fast-charge safety timer duration (CHG_TIMER).
    pub async fn set_safety_timer(&mut self, timer: SafetyTimer) -> Result<(), Error<I2C::Error>> {
        let bits = reg::with_field(0, reg::CHG_TIMER_MASK, timer.code());
        self.update(reg::TERMINATION_TIMER, reg::CHG_TIMER_MASK, bits).await
    }

    /// CHG_TIMER from the chip.
    pub async fn safety_timer(&mut self) -> Result<SafetyTimer, Error<I2C::Error>> {
        let value = self.fetch(reg::TERMINATION_TIMER).await?;
        Ok(SafetyTimer::from_code(reg::field(value, reg::CHG_TIMER_MASK)))
    }

    // ---- REG06: thermal regulation ----------------------------------------------------------------------

    /// Thermal regulation threshold (TREG).
    pub async fn set_thermal_regulation(&mut self, threshold: ThermalRegulation) -> Result<(), Error<I2C::Error>> {
        self.update(reg::THERMAL_REGULATION, reg::TREG_MASK, threshold.code())
            .await
    }

    /// TREG from the chip.
    pub async fn thermal_regulation(&mut self) -> Result<ThermalRegulation, Error<I2C::Error>> {
        Ok(ThermalRegulation::from_code(self.fetch(reg::THERMAL_REGULATION).await?))
    }

    // ---- REG07: misc operation --------------------------------------------------------------------------

    /// Forces D+/D− input detection (DPDM_EN): one 2-byte write of REG07 from the cache. While it runs, REG00
    /// setters and [`apply_config`](Self::apply_config) refuse with [`Error::InputDetectionRunning`]; the chip
    /// sets IINLIM from the result.
    pub async fn force_input_detection(&mut self) -> Result<(), Error<I2C::Error>> {
        let value = self.cached(reg::MISC_OPERATION).await? | reg::DPDM_EN;
        self.write(&[reg::MISC_OPERATION, value]).await
    }

    /// Whether D+/D− detection is running (DPDM_EN reads 1): one write-read of 1 + 1 bytes.
    pub async fn input_detection_running(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::MISC_OPERATION).await? & reg::DPDM_EN != 0)
    }

    /// Waits for D+/D− detection to finish, polling DPDM_EN every 50 ms within the
    /// [detection deadline](Self::set_input_detection_timeout) (default 1 s, as Device OS waits: 20 polls);
    /// [`Error::InputDetectionRunning`] if it is still running then.
    pub async fn wait_for_input_detection<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<I2C::Error>> {
        let deadline_us = self.detection_timeout.ticks().saturating_mul(1000);
        let interval_us = reg::DETECTION_POLL_INTERVAL_MS.saturating_mul(1000);
        let polls = polls_within(deadline_us, interval_us);
        for poll in 1..=polls {
            if !self.input_detection_running().await? {
                return Ok(());
            }
            if poll < polls {
                delay.delay_ms(reg::DETECTION_POLL_INTERVAL_MS).await;
            }
        }
        Err(Error::InputDetectionRunning)
    }

    /// Safety timer slow-down (TMR2X_EN): the timer runs at half rate during DPM or thermal regulation.
    pub async fn set_timer_slowdown(&mut self, on: bool) -> Result<(), Error<I2C::Error>> {
        self.update(reg::MISC_OPERATION, reg::TMR2X_EN, if on { reg::TMR2X_EN } else { 0 })
            .await
    }

    /// TMR2X_EN from the chip.
    pub async fn timer_slowdown(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::MISC_OPERATION).await? & reg::TMR2X_EN != 0)
    }

    /// BATFET off (BATFET_DISABLE): `true` disconnects the battery (ship mode; with no input the system loses
    /// power), `false` connects it.
    pub async fn set_batfet_disabled(&mut self, disabled: bool) -> Result<(), Error<I2C::Error>> {
        let bits = if disabled { reg::BATFET_DISABLE } else { 0 };
        self.update(reg::MISC_OPERATION, reg::BATFET_DISABLE, bits).await
    }

    /// BATFET_DISABLE from the chip.
    pub async fn batfet_disabled(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::MISC_OPERATION).await? & reg::BATFET_DISABLE != 0)
    }

    /// INT pulses on a charge fault (INT_MASK bit 1); on from reset.
    pub async fn set_charge_fault_interrupt(&mut self, on: bool) -> Result<(), Error<I2C::Error>> {
        let bits = if on { reg::INT_MASK_CHARGE } else { 0 };
        self.update(reg::MISC_OPERATION, reg::INT_MASK_CHARGE, bits).await
    }

    /// INT_MASK bit 1 from the chip.
    pub async fn charge_fault_interrupt(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::MISC_OPERATION).await? & reg::INT_MASK_CHARGE != 0)
    }

    /// INT pulses on a battery fault (INT_MASK bit 0); on from reset.
    pub async fn set_battery_fault_interrupt(&mut self, on: bool) -> Result<(), Error<I2C::Error>> {
        let bits = if on { reg::INT_MASK_BATTERY } else { 0 };
        self.update(reg::MISC_OPERATION, reg::INT_MASK_BATTERY, bits).await
    }

    /// INT_MASK bit 0 from the chip.
    pub async fn battery_fault_interrupt(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.fetch(reg::MISC_OPERATION).await? & reg::INT_MASK_BATTERY != 0)
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, P: HasBoostLimit> Bq24195<I2C, P> {
    /// The OTG boost current limit (REG01 BOOST_LIM): 500 mA or 1.3 A (reset). One 2-byte write of REG01 from the
    /// cache (REG01 is read first on a cold cache). The boost itself is [`ChargeConfig::OtgBoost`]; on the PSEL
    /// parts (bq24192, bq24192I, bq24196) it also needs the OTG pin high. Above the limit the chip reports a
    /// boost fault ([`Faults::boost`]).
    pub async fn set_boost_current_limit(&mut self, limit: BoostCurrentLimit) -> Result<(), Error<I2C::Error>> {
        let bits = if limit == BoostCurrentLimit::Ma1300 {
            reg::BOOST_LIM
        } else {
            0
        };
        self.update(reg::POWER_ON_CONFIG, reg::BOOST_LIM, bits).await
    }

    /// BOOST_LIM from the chip (1 + 1 bytes).
    pub async fn boost_current_limit(&mut self) -> Result<BoostCurrentLimit, Error<I2C::Error>> {
        Ok(BoostCurrentLimit::from_register(
            self.fetch(reg::POWER_ON_CONFIG).await?,
        ))
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Bq24195(sync = "Bq24195", async = "Bq24195Async"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, P: HasIrCompensation> Bq24195<I2C, P> {
    /// IR compensation (REG06 BAT_COMP and VCLAMP), each rounded down to its step (10 mΩ, 16 mV); returns what
    /// was applied. Out of range (above 70 mΩ or 112 mV) is [`ArgumentError::IrCompensation`] and nothing is sent.
    /// One 2-byte write of REG06 from the cache (read first on a cold cache); TREG is kept.
    pub async fn set_ir_compensation(
        &mut self,
        compensation: IrCompensation,
    ) -> Result<IrCompensation, Error<I2C::Error>> {
        let bits = compensation.encode()?;
        self.update(reg::THERMAL_REGULATION, reg::BAT_COMP_MASK | reg::VCLAMP_MASK, bits)
            .await?;
        Ok(IrCompensation::decode(bits))
    }

    /// BAT_COMP and VCLAMP from the chip (1 + 1 bytes).
    pub async fn ir_compensation(&mut self) -> Result<IrCompensation, Error<I2C::Error>> {
        Ok(IrCompensation::decode(self.fetch(reg::THERMAL_REGULATION).await?))
    }
}

#[cfg(feature = "async")]
impl<I2C: AsyncI2c, P: Part> Bq24195Async<I2C, P> {
    /// Waits for the INT pin's falling edge (the chip pulses it low for 256 µs on a status change or a fault), then
    /// reads status and latched faults in one transaction (see
    /// [`status_and_faults`](Self::status_and_faults)). The pin is open drain: give it a pull-up.
    pub async fn wait_for_interrupt<W: embedded_hal_async::digital::Wait>(
        &mut self,
        int: &mut W,
    ) -> Result<Snapshot, Error<I2C::Error>> {
        use embedded_hal::digital::Error as _;
        int.wait_for_falling_edge().await.map_err(|e| Error::Pin(e.kind()))?;
        self.status_and_faults().await
    }
}
