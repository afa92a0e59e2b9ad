//! The driver: one source, two drivers. `Max17043` (blocking, `embedded-hal`) and, with the `async` feature,
//! `Max17043Async` (`embedded-hal-async`) are generated from the same code by `maybe-async-cfg`, which removes
//! `async` and `.await` for the blocking one.

#[cfg(feature = "async")]
use embedded_hal_async::i2c::I2c as AsyncI2c;

use embedded_hal::i2c::{Error as _, ErrorKind, I2c, NoAcknowledgeSource};

use core::marker::PhantomData;

use crate::part::{self, Max17048Family, Part};
use crate::register as reg;
use crate::types::{
    ArgumentError, ChargeRate, Config, Error, Hibernation, PorCommand, RcompCompensation, Register, ResetOutcome,
    ResetVoltage, Settings, SocScale, StateOfCharge, Status, StatusFlags, Variant, Voltage, VoltageAlert,
};

/// What the driver knows of CONFIG: RCOMP and the LSB's SLEEP and ATHD, which only it writes. ALRT is not cached:
/// the chip sets it at any time, so a write that must keep it takes it from a read made just before
/// ([`ReadConfig`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct CachedConfig {
    rcomp: u8,
    lsb: u8,
}

impl CachedConfig {
    const POWER_UP: Self = Self::from_raw(reg::CONFIG_RESET, reg::CONFIG_CHIP_BITS);

    /// The driver-owned fields (the part's chip bits, ALRT and on the MAX17043/44 bit 6, masked off).
    const fn new(rcomp: u8, lsb: u8, chip_bits: u8) -> Self {
        Self {
            rcomp,
            lsb: lsb & !chip_bits,
        }
    }

    /// The driver-owned fields of a CONFIG read.
    const fn from_raw(raw: u16, chip_bits: u8) -> Self {
        let [rcomp, lsb] = raw.to_be_bytes();
        Self::new(rcomp, lsb, chip_bits)
    }

    /// The 3-byte CONFIG write with ALRT = 0: clears a pending alert.
    const fn clearing_alert(self) -> [u8; 3] {
        [reg::CONFIG, self.rcomp, self.lsb]
    }
}

/// A CONFIG just read: the driver-owned fields as the chip holds them, and its ALRT bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ReadConfig {
    fields: CachedConfig,
    alert: u8,
}

impl ReadConfig {
    const fn from_raw(raw: u16, chip_bits: u8) -> Self {
        let [_, lsb] = raw.to_be_bytes();
        Self {
            fields: CachedConfig::from_raw(raw, chip_bits),
            alert: lsb & reg::CONFIG_ALRT,
        }
    }

    /// The 3-byte CONFIG write of `fields` with ALRT as just read: 1 only over the 1 the chip holds (what the
    /// read-modify-writes of Particle and SparkFun do), never 1 over 0; 0 over 0.
    const fn keeping_alert(self, fields: CachedConfig) -> [u8; 3] {
        [reg::CONFIG, fields.rcomp, fields.lsb | self.alert]
    }
}

#[maybe_async_cfg::maybe(
    idents(Max17043(sync = "Max17043", async = "Max17043Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The driver of the family: MAX17043 / MAX17044 (the default part, `P = part::Max17043Or44`, built with
/// `new`) and MAX17048 / MAX17049 (`P = part::Max17048` or `part::Max17049`, built with `for_part`; aliases
/// `Max17048<I2C>` and `Max17049<I2C>`). The methods a part lacks do not exist for it: see [`crate::part`].
///
/// The blocking driver is `Max17043`; with the `async` feature, `Max17043Async` has the same methods as
/// `async fn`s, plus `wait_for_alert` on an `embedded_hal_async::digital::Wait` pin.
///
/// Every register is read with one write-read of 1 + 2 bytes (the chip needs both bytes in one transaction).
/// ALRT belongs to the chip, so a CONFIG change that must keep an alert reads CONFIG first (1 + 2 bytes) and
/// writes it back as read (3 bytes). [`configure`](Self::configure) and [`clear_alert`](Self::clear_alert)
/// write ALRT = 0 and need no read: for them the driver caches the CONFIG bits only it writes (RCOMP, SLEEP,
/// ATHD). The cache starts empty (the gauge runs from the battery and may have been configured before the MCU
/// reset) and fills from every CONFIG read and acknowledged write. It is emptied before every CONFIG write that
/// changes a field and refilled once the write is acknowledged: after an error, or an async call dropped part way,
/// it is unknown (never stale) and the next call that needs it reads CONFIG.
///
/// The driver never waits and never polls: every call is one or two transactions. See the crate documentation,
/// "Faults and errors" and "Async: dropped futures", for what each error and each dropped future leaves.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Max17043<I2C, P = part::Max17043Or44> {
    i2c: I2C,
    variant: Variant,
    soc_scale: SocScale,
    config: Option<CachedConfig>,
    part: PhantomData<P>,
}

// `maybe-async-cfg` renames every `Max17043` identifier in these blocks, `Variant::Max17043` included: the
// driver code below never names that variant (and the tests import the drivers under other names).
#[maybe_async_cfg::maybe(
    idents(
        Max17043(sync = "Max17043", async = "Max17043Async"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c> Max17043<I2C, part::Max17043Or44> {
    /// A driver for a MAX17043 or MAX17044 at 0x36 (the only address the family has). Sends nothing. For a
    /// MAX17048 or MAX17049, see [`for_part`](Max17043::for_part).
    pub fn new(i2c: I2C, variant: Variant) -> Self {
        Self {
            i2c,
            variant,
            soc_scale: SocScale::Standard,
            config: None,
            part: PhantomData,
        }
    }

    /// The chip variant the driver decodes VCELL for.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Power-on reset through COMMAND (`FE 00 54` with [`PorCommand::Current`], `FE 54 00` with
    /// [`PorCommand::Legacy`]), verified by reading CONFIG back (one write-read of 1 + 2 bytes): every register
    /// returns to its power-up value, and the driver's CONFIG cache with it. Values are ready again 125 ms later.
    ///
    /// The chip may reset while the last byte is clocked in and not acknowledge it, so a NACK on a data byte (or
    /// one the HAL cannot place) is not an error by itself, but it may also come before the chip took the whole
    /// command: the read-back tells. CONFIG reading RCOMP 0x97, awake, 4 % is the reset, and the answer is
    /// [`ResetOutcome::Acknowledged`] or [`ResetOutcome::NotAcknowledged`] from the write; anything else is
    /// [`Error::ResetNotConfirmed`] (the chip did not reset: a NACK before it took the command, or a chip that
    /// honours the other [`PorCommand`] value) with the CONFIG read back cached. If CONFIG already held the
    /// power-up value, the read-back cannot tell a reset from none.
    ///
    /// Any other error (a NACK of the address, an arbitration loss, a failed read-back) may come after the chip
    /// reset: the CONFIG cache is then unknown and read again by the next operation that needs it, and the call
    /// can simply be repeated. An async call dropped at any await point leaves the cache unknown, like an error
    /// (the chip may or may not have reset).
    ///
    /// No wait: the read-back follows the write at once (no source gives a start-up time for the I2C interface
    /// after the command). If a chip does not answer that soon, the read-back's bus error leaves CONFIG unknown:
    /// read [`config`](Self::config) a moment later to see whether it reset.
    ///
    /// Prefer [`quick_start`](Self::quick_start) unless you need the registers reset too.
    pub async fn power_on_reset(&mut self, command: PorCommand) -> Result<ResetOutcome, Error<I2C::Error>> {
        self.reset_with(command.value()).await
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Max17043(sync = "Max17043", async = "Max17043Async"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, P: Part> Max17043<I2C, P> {
    /// The same driver for a battery model that reports double SOC (see [`SocScale`]). Sends nothing.
    pub fn with_soc_scale(mut self, scale: SocScale) -> Self {
        self.soc_scale = scale;
        self
    }

    /// Gives the bus back.
    pub fn release(self) -> I2C {
        self.i2c
    }

    /// The bus, to look at while the driver owns it (a `sim::CountingBus`'s count, a simulator's registers).
    pub fn bus(&self) -> &I2C {
        &self.i2c
    }

    /// The bus, to change while the driver owns it (a simulator's battery, a `sim::CountingBus` reset). A
    /// transaction made through it behind the driver's back may leave the CONFIG cache wrong: call
    /// [`invalidate_cache`](Self::invalidate_cache) after writing CONFIG that way.
    pub fn bus_mut(&mut self) -> &mut I2C {
        &mut self.i2c
    }

    /// The SOC scale the driver decodes with.
    pub fn soc_scale(&self) -> SocScale {
        self.soc_scale
    }

    /// The driver-owned CONFIG fields as last written or read, without touching the bus (`None` until the first
    /// CONFIG read or write).
    pub fn cached_settings(&self) -> Option<Settings> {
        self.config.map(|c| Settings {
            rcomp: c.rcomp,
            alert_threshold_percent: reg::decode_alert_threshold(c.lsb),
            sleep: c.lsb & reg::CONFIG_SLEEP != 0,
        })
    }

    /// Forgets the CONFIG cache without touching the bus; the next [`clear_alert`](Self::clear_alert) reads
    /// CONFIG first (the other changes but [`configure`](Self::configure) always do). Call it when something other
    /// than this driver may have written CONFIG (another bus master, a gauge that lost power).
    pub fn invalidate_cache(&mut self) {
        self.config = None;
    }

    /// Fills the CONFIG cache with the chip's power-on values (RCOMP 0x97, awake, alert at 4 %), without touching
    /// the bus, as [`power_on_reset`](Self::power_on_reset) leaves it after a confirmed reset. From this state
    /// [`clear_alert`](Self::clear_alert) is one 3-byte write with no read (and [`configure`](Self::configure)
    /// always is). What it does not change: the alert-keeping setters still read CONFIG first, because ALRT is live
    /// from power-up and only a read shows whether the chip raised it.
    ///
    /// **The risk:** call it only right after the gauge's power-on (a battery inserted) or a reset you know
    /// happened. The gauge runs from the battery and keeps CONFIG across an MCU reset, so after anything else the
    /// cache may disagree with the chip, and a `clear_alert` would then write the power-on RCOMP, SLEEP and ATHD
    /// over the chip's own. [`invalidate_cache`](Self::invalidate_cache) undoes it.
    pub fn assume_power_on_state(&mut self) {
        self.config = Some(CachedConfig::POWER_UP);
    }

    // ---- bus helpers ------------------------------------------------------------------------------------
    //
    // Only two, and tiny: an async helper that several methods share is compiled out of line, and its state
    // machine then keeps the compiler's "resumed after completion" panic, which `ci/no-panic` would find. The
    // decoding and the cache bookkeeping are plain functions.

    /// One write-read of 1 + 2 bytes: the register word, MSB first; 0xFFFF is an impossible reading. The
    /// register's address is its discriminant, so the error needs nothing but the argument.
    async fn read(&mut self, register: Register) -> Result<u16, Error<I2C::Error>> {
        let mut bytes = [0; 2];
        self.i2c
            .write_read(reg::ADDRESS, &[register as u8], &mut bytes)
            .await
            .map_err(Error::Bus)?;
        match reg::from_bytes(bytes) {
            reg::INVALID => Err(Error::InvalidReading(register)),
            value => Ok(value),
        }
    }

    /// One write-read of 1 + 2 bytes of a register where every word is a valid value (MAX17048/49 registers).
    async fn read_any(&mut self, address: u8) -> Result<u16, Error<I2C::Error>> {
        let mut bytes = [0; 2];
        self.i2c
            .write_read(reg::ADDRESS, &[address], &mut bytes)
            .await
            .map_err(Error::Bus)?;
        Ok(reg::from_bytes(bytes))
    }

    /// One write of 3 bytes: register, MSB, LSB.
    async fn write_raw(&mut self, bytes: [u8; 3]) -> Result<(), I2C::Error> {
        self.i2c.write(reg::ADDRESS, &bytes).await
    }

    // ---- measurements -----------------------------------------------------------------------------------

    /// The cell (MAX17043) or pack (MAX17044) voltage from VCELL: one write-read of 1 + 2 bytes.
    ///
    /// The first value is ready 125 ms after power-on; VCELL then averages over 500 ms cycles, and needs 500 ms
    /// to update after [`wake`](Self::wake).
    pub async fn voltage(&mut self) -> Result<Voltage, Error<I2C::Error>> {
        let raw = self.read(Register::Vcell).await?;
        Ok(Voltage::from_microvolts(P::vcell_microvolts(raw, self.variant)))
    }

    /// The state of charge from SOC, in 1/256 %: one write-read of 1 + 2 bytes. The first value is ready
    /// 125 ms after power-on.
    pub async fn state_of_charge(&mut self) -> Result<StateOfCharge, Error<I2C::Error>> {
        let raw = self.read(Register::Soc).await?;
        Ok(self.soc_from_raw(raw))
    }

    /// The state of charge scaled to the part of the cell a charger stopping at `charge_voltage_mv` can fill, as
    /// Particle's `getNormalizedSoC` does: usable fraction = `max(4200, v) − 3350` ‰ (85 % at Particle's
    /// 4112 mV), result = SOC / fraction, clamped to 100 %. Integer arithmetic; one SOC read.
    pub async fn normalized_state_of_charge(
        &mut self,
        charge_voltage_mv: u16,
    ) -> Result<StateOfCharge, Error<I2C::Error>> {
        let raw = self.read(Register::Soc).await?;
        let soc = self.soc_from_raw(raw);
        Ok(StateOfCharge::from_256ths(reg::normalize_soc(
            soc.as_256ths(),
            charge_voltage_mv,
        )))
    }

    /// The VERSION register: one write-read of 1 + 2 bytes. Its value is not documented; 0x0000 and 0xFFFF mean no
    /// working gauge (a bus stuck low or high, no battery) and are [`Error::InvalidReading`]. The driver checks
    /// nothing else.
    pub async fn version(&mut self) -> Result<u16, Error<I2C::Error>> {
        match self.read(Register::Version).await? {
            reg::VERSION_NONE => Err(Error::InvalidReading(Register::Version)),
            version => Ok(version),
        }
    }

    // ---- commands -----------------------------------------------------------------------------------------

    /// Quick-start (MODE = 0x4000, bytes `06 40 00`): restarts the fuel-gauge algorithm as at power-up, taking a
    /// new first guess of SOC from the voltage. Use it after a noisy power-up or a battery change; the new values
    /// are ready after 125 ms. CONFIG is not touched. MODE is a command register: nothing of it is cached.
    ///
    /// An error (or a dropped async call) may come after the chip took the command; repeating it is harmless.
    ///
    /// On the MAX17048/49 MODE also holds EnSleep, which a write of 0x4000 would clear: the driver reads MODE first
    /// (1 + 2 bytes; 0xFFFF is [`Error::InvalidReading`] and nothing is written) and writes EnSleep back as read
    /// (`06 40 00` or `06 60 00`).
    pub async fn quick_start(&mut self) -> Result<(), Error<I2C::Error>> {
        let mut value = reg::MODE_QUICK_START;
        if P::EN_SLEEP {
            value |= self.read(Register::Mode).await? & reg::MODE_EN_SLEEP;
        }
        let [msb, lsb] = reg::to_bytes(value);
        self.write_raw([reg::MODE, msb, lsb]).await.map_err(Error::Bus)
    }

    /// The power-on-reset command `value` and the CONFIG read-back (see `power_on_reset`).
    async fn reset_with(&mut self, value: u16) -> Result<ResetOutcome, Error<I2C::Error>> {
        let [msb, lsb] = reg::to_bytes(value);
        self.config = None;
        let outcome = match self.write_raw([reg::COMMAND, msb, lsb]).await {
            Ok(()) => ResetOutcome::Acknowledged,
            Err(e) => match e.kind() {
                ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data | NoAcknowledgeSource::Unknown) => {
                    ResetOutcome::NotAcknowledged
                }
                _ => return Err(Error::Bus(e)),
            },
        };
        let raw = self.read(Register::Config).await?;
        let read = CachedConfig::from_raw(raw, P::CONFIG_CHIP_BITS);
        self.config = Some(read);
        if read == CachedConfig::POWER_UP {
            Ok(outcome)
        } else {
            Err(Error::ResetNotConfirmed)
        }
    }

    // ---- CONFIG -------------------------------------------------------------------------------------------

    /// Reads CONFIG (one write-read of 1 + 2 bytes) and refreshes the cache.
    pub async fn config(&mut self) -> Result<Config, Error<I2C::Error>> {
        let raw = self.read(Register::Config).await?;
        Ok(self.cache_config(raw))
    }

    /// Writes every driver-owned CONFIG field at once: one 3-byte write, no read. ALRT is written 0, which clears
    /// a pending alert, also one nobody has read (a power-up alert, say): read [`alert`](Self::alert) first if that
    /// matters, or use the alert-keeping setters. A threshold outside 1..=32 % is
    /// [`ArgumentError::AlertThresholdOutOfRange`] and nothing is sent. A bus error (or a dropped async call)
    /// leaves the cache unknown: the chip may have taken the write.
    ///
    /// On the MAX17048/49 ALSC is a driver-owned field too and is written 0 (`set_soc_change_alert` sets it), and
    /// `sleep: true` first writes MODE.EnSleep (`06 20 00`, as [`sleep`](Self::sleep) does; without it the chip
    /// ignores CONFIG.SLEEP): two writes then. A failed MODE write sends nothing more and leaves the cache as it
    /// was.
    pub async fn configure(&mut self, settings: Settings) -> Result<(), Error<I2C::Error>> {
        let athd = reg::encode_alert_threshold(settings.alert_threshold_percent)
            .ok_or(ArgumentError::AlertThresholdOutOfRange)?;
        if P::EN_SLEEP && settings.sleep {
            let [msb, lsb] = reg::to_bytes(reg::MODE_EN_SLEEP);
            self.write_raw([reg::MODE, msb, lsb]).await.map_err(Error::Bus)?;
        }
        let lsb = if settings.sleep { reg::CONFIG_SLEEP | athd } else { athd };
        let config = CachedConfig::new(settings.rcomp, lsb, P::CONFIG_CHIP_BITS);
        self.config = None;
        self.write_raw(config.clearing_alert()).await.map_err(Error::Bus)?;
        self.config = Some(config);
        Ok(())
    }

    /// RCOMP, read from CONFIG (one write-read of 1 + 2 bytes; the cache is refreshed too).
    pub async fn rcomp(&mut self) -> Result<u8, Error<I2C::Error>> {
        let raw = self.read(Register::Config).await?;
        Ok(self.cache_config(raw).rcomp)
    }

    /// Sets RCOMP (CONFIG MSB), keeping a pending alert: one write-read of 1 + 2 bytes (CONFIG), then one 3-byte
    /// write with SLEEP, ATHD and ALRT as read. ALRT is written back as read, so an alert the chip raised at any
    /// time before the read stays set (the ALRT pin stays low); the race window is the one write transaction
    /// after the read (plus whatever the bus does between the two). Bus error or 0xFFFF on the read: nothing is
    /// written. If CONFIG already holds `rcomp`, the read is the whole call. The cache is unknown from the write
    /// until it is acknowledged: a failed write (or a dropped async call) leaves it unknown, and the next call that
    /// needs it reads CONFIG.
    pub async fn set_rcomp(&mut self, rcomp: u8) -> Result<(), Error<I2C::Error>> {
        let read = ReadConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS);
        let config = CachedConfig::new(rcomp, read.fields.lsb, P::CONFIG_CHIP_BITS);
        if let Some(bytes) = self.begin_change(read, config) {
            self.write_raw(bytes).await.map_err(Error::Bus)?;
            self.config = Some(config);
        }
        Ok(())
    }

    /// Sets RCOMP for a temperature in 0.1 °C from your cell's coefficients (see [`RcompCompensation`]), and
    /// returns the value written. Same bus traffic as [`set_rcomp`](Self::set_rcomp) (a read and a write), and it
    /// keeps a pending alert the same way, so it can run periodically without losing a low-battery alert.
    pub async fn set_rcomp_for_temperature(
        &mut self,
        compensation: &RcompCompensation,
        decidegrees_c: i32,
    ) -> Result<u8, Error<I2C::Error>> {
        let rcomp = compensation.rcomp(decidegrees_c);
        let read = ReadConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS);
        let config = CachedConfig::new(rcomp, read.fields.lsb, P::CONFIG_CHIP_BITS);
        if let Some(bytes) = self.begin_change(read, config) {
            self.write_raw(bytes).await.map_err(Error::Bus)?;
            self.config = Some(config);
        }
        Ok(rcomp)
    }

    /// The alert threshold in percent (1..=32), read from CONFIG (one write-read of 1 + 2 bytes; the cache is
    /// refreshed too).
    pub async fn alert_threshold(&mut self) -> Result<u8, Error<I2C::Error>> {
        let raw = self.read(Register::Config).await?;
        Ok(self.cache_config(raw).alert_threshold_percent)
    }

    /// Sets the alert threshold, 1..=32 % (stored as 32 − percent): a CONFIG read (1 + 2 bytes) and one 3-byte
    /// write, RCOMP, SLEEP and ALRT as read (see [`set_rcomp`](Self::set_rcomp)). Out of range is
    /// [`ArgumentError::AlertThresholdOutOfRange`] and nothing is sent.
    pub async fn set_alert_threshold(&mut self, percent: u8) -> Result<(), Error<I2C::Error>> {
        let athd = reg::encode_alert_threshold(percent).ok_or(ArgumentError::AlertThresholdOutOfRange)?;
        let read = ReadConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS);
        let config = CachedConfig::new(
            read.fields.rcomp,
            (read.fields.lsb & !reg::CONFIG_ATHD) | athd,
            P::CONFIG_CHIP_BITS,
        );
        if let Some(bytes) = self.begin_change(read, config) {
            self.write_raw(bytes).await.map_err(Error::Bus)?;
            self.config = Some(config);
        }
        Ok(())
    }

    /// Whether the alert flag (CONFIG.ALRT) is set: one write-read of 1 + 2 bytes (the cache is refreshed too).
    ///
    /// The alert is live from power-up: if the first SOC is already below the threshold the flag is set at once.
    /// It stays set (and the ALRT pin low) until cleared, and fires again only after SOC rose above the threshold
    /// and fell below it again.
    pub async fn alert(&mut self) -> Result<bool, Error<I2C::Error>> {
        let raw = self.read(Register::Config).await?;
        Ok(self.cache_config(raw).alert)
    }

    /// Clears the alert flag and releases the ALRT pin: one 3-byte write of CONFIG with ALRT = 0 and RCOMP,
    /// SLEEP and ATHD from the cache (read once if the cache is empty). No read is needed: ALRT is the only bit the
    /// chip sets, and it is the one being cleared. With [`configure`](Self::configure), the one CONFIG change
    /// that is a single write. A failed write (or a dropped async call) leaves the cache as it was: the write
    /// carries the fields the chip already holds, so they are right whether or not the chip took it.
    pub async fn clear_alert(&mut self) -> Result<(), Error<I2C::Error>> {
        let cached = match self.config {
            Some(config) => config,
            None => CachedConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS),
        };
        // No need to forget the cache around this write: it writes back the fields the chip already holds, so
        // whether or not the chip took it (or a dropped call reached it), RCOMP, SLEEP and ATHD stay as cached.
        self.write_raw(cached.clearing_alert()).await.map_err(Error::Bus)?;
        self.config = Some(cached);
        Ok(())
    }

    /// Puts the gauge in Sleep (CONFIG.SLEEP = 1): a CONFIG read (1 + 2 bytes) and one 3-byte write, RCOMP, ATHD
    /// and ALRT as read (see [`set_rcomp`](Self::set_rcomp)). In Sleep it draws about 1 µA and stops tracking the
    /// cell. (The gauge also sleeps by itself when SDA and SCL are both held low for more than 2.5 s.)
    ///
    /// On the MAX17048/49 the chip honours CONFIG.SLEEP only with MODE.EnSleep = 1, so `sleep` first writes MODE
    /// = 0x2000 (`06 20 00`: EnSleep; the quick-start bit 0 is no command, HibStat is read-only): one more 3-byte
    /// write, every time (nothing of MODE is cached). `wake` leaves EnSleep set.
    pub async fn sleep(&mut self) -> Result<(), Error<I2C::Error>> {
        if P::EN_SLEEP {
            let [msb, lsb] = reg::to_bytes(reg::MODE_EN_SLEEP);
            self.write_raw([reg::MODE, msb, lsb]).await.map_err(Error::Bus)?;
        }
        let read = ReadConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS);
        let config = CachedConfig::new(
            read.fields.rcomp,
            read.fields.lsb | reg::CONFIG_SLEEP,
            P::CONFIG_CHIP_BITS,
        );
        if let Some(bytes) = self.begin_change(read, config) {
            self.write_raw(bytes).await.map_err(Error::Bus)?;
            self.config = Some(config);
        }
        Ok(())
    }

    /// Wakes the gauge (CONFIG.SLEEP = 0): a CONFIG read (1 + 2 bytes; the chip answers in Sleep) and one 3-byte
    /// write, RCOMP, ATHD and ALRT as read (see [`set_rcomp`](Self::set_rcomp)). VCELL needs 500 ms
    /// ([`WAKE_SETTLE_MS`](reg::WAKE_SETTLE_MS)) to update afterwards: wait before trusting it.
    pub async fn wake(&mut self) -> Result<(), Error<I2C::Error>> {
        let read = ReadConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS);
        let config = CachedConfig::new(
            read.fields.rcomp,
            read.fields.lsb & !reg::CONFIG_SLEEP,
            P::CONFIG_CHIP_BITS,
        );
        if let Some(bytes) = self.begin_change(read, config) {
            self.write_raw(bytes).await.map_err(Error::Bus)?;
            self.config = Some(config);
        }
        Ok(())
    }

    // ---- plain helpers ------------------------------------------------------------------------------------

    fn soc_from_raw(&self, raw: u16) -> StateOfCharge {
        StateOfCharge::from_256ths(match self.soc_scale {
            SocScale::Standard => raw,
            SocScale::Double => raw >> 1,
        })
    }

    /// Before the write of a CONFIG change: `None` if CONFIG as read already holds `config` (nothing to write, the
    /// read cached), else the bytes to write with ALRT as read, and the cache unknown until the write is
    /// acknowledged (a write that fails or is dropped may have reached the chip).
    fn begin_change(&mut self, read: ReadConfig, config: CachedConfig) -> Option<[u8; 3]> {
        if read.fields == config {
            self.config = Some(config);
            None
        } else {
            self.config = None;
            Some(read.keeping_alert(config))
        }
    }

    /// Caches the driver-owned bits of a CONFIG just read, and decodes it.
    fn cache_config(&mut self, raw: u16) -> Config {
        self.config = Some(CachedConfig::from_raw(raw, P::CONFIG_CHIP_BITS));
        Config::decode(raw)
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Max17043(sync = "Max17043", async = "Max17043Async"),
        I2c(sync = "I2c", async = "AsyncI2c")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c, P: Max17048Family> Max17043<I2C, P> {
    /// A driver for a MAX17048 or MAX17049 at 0x36, the part named by its marker: `Max17043::for_part(i2c,
    /// part::Max17048)`. Sends nothing. The two cannot be told apart on the bus (the same VERSION), and the VCELL
    /// scale differs, so the part is yours to name.
    pub fn for_part(i2c: I2C, _part: P) -> Self {
        Self {
            i2c,
            variant: Variant::default(),
            soc_scale: SocScale::Standard,
            config: None,
            part: PhantomData,
        }
    }

    /// Power-on reset through COMMAND (`FE 54 00`, the MAX17048's value), verified by reading CONFIG back, as
    /// [`Max17043::power_on_reset`](Max17043::power_on_reset) does on the MAX17043: the chip resets as the last bit
    /// arrives and does not acknowledge it ([`ResetOutcome::NotAcknowledged`] is the expected answer). Afterwards
    /// STATUS.RI is set: configure the gauge, then clear it ([`clear_status`](Self::clear_status) with
    /// [`StatusFlags::RESET`]). The first SOC comes about 1 s later on this part.
    pub async fn power_on_reset(&mut self) -> Result<ResetOutcome, Error<I2C::Error>> {
        self.reset_with(reg::COMMAND_POR_MAX17048).await
    }

    /// The charge rate from CRATE (signed, 0.208 %/h per step): one write-read of 1 + 2 bytes. Every word is a
    /// valid rate, so no reading is rejected.
    pub async fn charge_rate(&mut self) -> Result<ChargeRate, Error<I2C::Error>> {
        let raw = self.read_any(reg::CRATE).await?;
        Ok(ChargeRate::from_raw(i16::from_be_bytes(raw.to_be_bytes())))
    }

    /// HIBRT (one write-read of 1 + 2 bytes). 0xFFFF is valid here ([`Hibernation::ALWAYS`]).
    pub async fn hibernation(&mut self) -> Result<Hibernation, Error<I2C::Error>> {
        Ok(Hibernation::from_raw(self.read_any(reg::HIBRT).await?))
    }

    /// Writes HIBRT: one 3-byte write, no read (both bytes are the driver's: nothing of the chip's to keep).
    /// Nothing of it is cached, so an error leaves nothing to forget: repeat the call.
    pub async fn set_hibernation(&mut self, hibernation: Hibernation) -> Result<(), Error<I2C::Error>> {
        let [msb, lsb] = reg::to_bytes(hibernation.raw());
        self.write_raw([reg::HIBRT, msb, lsb]).await.map_err(Error::Bus)
    }

    /// Whether the gauge hibernates now (MODE.HibStat): one write-read of 1 + 2 bytes; 0xFFFF is
    /// [`Error::InvalidReading`].
    pub async fn is_hibernating(&mut self) -> Result<bool, Error<I2C::Error>> {
        Ok(self.read(Register::Mode).await? & reg::MODE_HIB_STAT != 0)
    }

    /// VALRT, the cell-voltage alert window (one write-read of 1 + 2 bytes).
    pub async fn voltage_alert(&mut self) -> Result<VoltageAlert, Error<I2C::Error>> {
        Ok(VoltageAlert::from_raw(self.read_any(reg::VALRT).await?))
    }

    /// Writes VALRT: one 3-byte write, no read (both bytes are the driver's). While VCELL is outside the window the
    /// chip keeps setting STATUS.VH or VL (and ALRT): after an alert, widen the window or the alert comes back at
    /// once. [`VoltageAlert::POWER_UP`] turns the alert off.
    pub async fn set_voltage_alert(&mut self, window: VoltageAlert) -> Result<(), Error<I2C::Error>> {
        let [msb, lsb] = reg::to_bytes(window.raw());
        self.write_raw([reg::VALRT, msb, lsb]).await.map_err(Error::Bus)
    }

    /// VRESET and its comparator switch, from VRESET/ID (one write-read of 1 + 2 bytes).
    pub async fn reset_voltage(&mut self) -> Result<ResetVoltage, Error<I2C::Error>> {
        let [msb, _] = reg::to_bytes(self.read_any(reg::VRESET_ID).await?);
        Ok(ResetVoltage::from_byte(msb))
    }

    /// Sets VRESET and its comparator switch: a read of VRESET/ID (1 + 2 bytes) and one 3-byte write carrying the
    /// ID byte back as read (the ID is factory-programmed and said to ignore writes; the driver never writes it a
    /// value of its own). If the chip already holds the value, the read is the whole call.
    pub async fn set_reset_voltage(&mut self, reset: ResetVoltage) -> Result<(), Error<I2C::Error>> {
        let [msb, id] = reg::to_bytes(self.read_any(reg::VRESET_ID).await?);
        let wanted = reset.to_byte();
        if msb == wanted {
            return Ok(());
        }
        self.write_raw([reg::VRESET_ID, wanted, id]).await.map_err(Error::Bus)
    }

    /// The factory ID (the LSB of VRESET/ID): one write-read of 1 + 2 bytes.
    pub async fn id(&mut self) -> Result<u8, Error<I2C::Error>> {
        let [_, id] = reg::to_bytes(self.read_any(reg::VRESET_ID).await?);
        Ok(id)
    }

    /// STATUS: the alert flags and EnVR (one write-read of 1 + 2 bytes). 0xFFFF (every flag, EnVR and both
    /// don't-care parts high) is taken for a bus fault: [`Error::InvalidReading`].
    pub async fn status(&mut self) -> Result<Status, Error<I2C::Error>> {
        Ok(Status::decode(self.read(Register::Status).await?))
    }

    /// Clears the `flags` that STATUS holds, and returns STATUS as read before (what fired): a read (1 + 2 bytes)
    /// and, if any of `flags` is set, one 3-byte write. The write carries 0 for the flags being cleared and every
    /// other bit as just read: a flag is written 1 only over the 1 the chip holds (never 1 over 0), EnVR and the
    /// don't-care bits as read. A flag is cleared only after the read returned it, so no alert is cleared unseen;
    /// the race window is the one write transaction after the read, in which a flag the chip raises anew is
    /// cleared by the 0 written over it (the word holds every flag: no write can avoid that). If none of `flags`
    /// is set, nothing is written. A failed write (or a dropped async call) may or may not have cleared them:
    /// nothing is cached, repeat the call.
    ///
    /// CONFIG.ALRT stays as it is: clear it afterwards with [`clear_alert`](Self::clear_alert) (STATUS first,
    /// then ALRT, as the datasheet's service order has it).
    pub async fn clear_status(&mut self, flags: StatusFlags) -> Result<Status, Error<I2C::Error>> {
        let raw = self.read(Register::Status).await?;
        let read = Status::decode(raw);
        let [msb, lsb] = reg::to_bytes(raw);
        let clearing = read.flags.bits() & flags.bits();
        if clearing != 0 {
            self.write_raw([reg::STATUS, msb & !clearing, lsb])
                .await
                .map_err(Error::Bus)?;
        }
        Ok(read)
    }

    /// Sets EnVR (a voltage reset raises ALRT): a STATUS read and, if EnVR differs, one 3-byte write with every
    /// flag as just read (the race window of [`clear_status`](Self::clear_status): a flag raised between the read
    /// and the write is cleared by it).
    pub async fn set_voltage_reset_alert(&mut self, enable: bool) -> Result<(), Error<I2C::Error>> {
        let [msb, lsb] = reg::to_bytes(self.read(Register::Status).await?);
        let wanted = if enable {
            msb | reg::STATUS_EN_VR
        } else {
            msb & !reg::STATUS_EN_VR
        };
        if wanted != msb {
            self.write_raw([reg::STATUS, wanted, lsb]).await.map_err(Error::Bus)?;
        }
        Ok(())
    }

    /// Loads a custom ModelGauge model (the 64 bytes Maxim's characterisation gives for your cell) into TABLE:
    /// three writes, `3E 4A 57` (unlock model access), `40` and the 64 bytes in one transaction, `3E 00 00` (lock).
    /// Only the TABLE is written: the RCOMP for the model is yours to set ([`set_rcomp`](Self::set_rcomp)), and a
    /// model whose specification asks for more (Maxim's full procedure also saves and restores OCV and verifies
    /// SOC) needs that done around this call.
    ///
    /// Faults: model access must not stay open. If the unlock or the table write fails (the chip may have taken
    /// the unlock), the driver sends the lock at once and returns the first error; if the lock itself fails, the
    /// error is that one's and access may still be open: call [`lock_model`](Self::lock_model) until it succeeds.
    /// A dropped async call may leave it open too: call `lock_model`. A table cut part way holds part of the new
    /// model: load it again.
    pub async fn load_model(&mut self, table: &[u8; reg::TABLE_LEN]) -> Result<(), Error<I2C::Error>> {
        let [msb, lsb] = reg::to_bytes(reg::MODEL_UNLOCK);
        let mut first = self.write_raw([reg::MODEL_ACCESS, msb, lsb]).await.err();
        if first.is_none() {
            let mut bytes = [0; reg::TABLE_LEN + 1];
            bytes[0] = reg::TABLE;
            for (to, from) in bytes.iter_mut().skip(1).zip(table) {
                *to = *from;
            }
            first = self.i2c.write(reg::ADDRESS, &bytes).await.err();
        }
        self.lock_model().await?;
        match first {
            Some(e) => Err(Error::Bus(e)),
            None => Ok(()),
        }
    }

    /// Locks model access (`3E 00 00`): one 3-byte write. Harmless when it is locked already.
    pub async fn lock_model(&mut self) -> Result<(), Error<I2C::Error>> {
        let [msb, lsb] = reg::to_bytes(reg::MODEL_LOCK);
        self.write_raw([reg::MODEL_ACCESS, msb, lsb]).await.map_err(Error::Bus)
    }

    /// CONFIG.ALSC as last written or read, without touching the bus (`None` while the CONFIG cache is unknown).
    pub fn cached_soc_change_alert(&self) -> Option<bool> {
        self.config.map(|c| c.lsb & reg::CONFIG_ALSC != 0)
    }

    /// CONFIG.ALSC: an alert at every 1 % change of SOC (one write-read of 1 + 2 bytes; the cache is refreshed).
    pub async fn soc_change_alert(&mut self) -> Result<bool, Error<I2C::Error>> {
        let raw = self.read(Register::Config).await?;
        self.cache_config(raw);
        Ok(raw.to_be_bytes()[1] & reg::CONFIG_ALSC != 0)
    }

    /// Sets CONFIG.ALSC, keeping a pending alert: a CONFIG read and one 3-byte write with RCOMP, SLEEP, ATHD and
    /// ALRT as read (see [`set_rcomp`](Self::set_rcomp)). [`configure`](Self::configure) writes ALSC = 0.
    pub async fn set_soc_change_alert(&mut self, enable: bool) -> Result<(), Error<I2C::Error>> {
        let read = ReadConfig::from_raw(self.read(Register::Config).await?, P::CONFIG_CHIP_BITS);
        let lsb = if enable {
            read.fields.lsb | reg::CONFIG_ALSC
        } else {
            read.fields.lsb & !reg::CONFIG_ALSC
        };
        let config = CachedConfig::new(read.fields.rcomp, lsb, P::CONFIG_CHIP_BITS);
        if let Some(bytes) = self.begin_change(read, config) {
            self.write_raw(bytes).await.map_err(Error::Bus)?;
            self.config = Some(config);
        }
        Ok(())
    }
}

#[cfg(feature = "async")]
impl<I2C: AsyncI2c, P: Part> Max17043Async<I2C, P> {
    /// Waits until the gauge raises its alert, on the ALRT pin (open drain, active low: use a pull-up), and
    /// returns CONFIG as read then. The flag stays set: call [`clear_alert`](Self::clear_alert) when handled.
    ///
    /// Waits for a low *level*, not an edge, so an alert raised before the call (or at power-up) is not missed.
    /// Each time the pin is low the driver reads CONFIG (1 + 2 bytes); if ALRT is not set, another device shares
    /// the line (on Particle boards the bq24195 INT does), and the driver waits for the line to go high again
    /// before watching it anew.
    ///
    /// It waits as long as the battery takes: bound it with your executor's timeout if you need to. Cancel-safe:
    /// ALRT stays latched on the chip until cleared, so a dropped call loses no alert.
    pub async fn wait_for_alert<A>(&mut self, alrt: &mut A) -> Result<Config, Error<I2C::Error>>
    where
        A: embedded_hal_async::digital::Wait,
    {
        use embedded_hal::digital::Error as _;
        loop {
            alrt.wait_for_low().await.map_err(|e| Error::Pin(e.kind()))?;
            let raw = self.read(Register::Config).await?;
            let config = self.cache_config(raw);
            if config.alert {
                return Ok(config);
            }
            alrt.wait_for_high().await.map_err(|e| Error::Pin(e.kind()))?;
        }
    }
}
