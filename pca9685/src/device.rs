//! The driver: one source, two drivers. `Pca9685` (blocking, `embedded-hal`) and, with the `async` feature,
//! `Pca9685Async` (`embedded-hal-async`) are generated from the same code by `maybe-async-cfg`, which removes
//! `async` and `.await` for the blocking one.

#[cfg(feature = "async")]
use embedded_hal_async::{delay::DelayNs as AsyncDelayNs, i2c::I2c as AsyncI2c};

use embedded_hal::{delay::DelayNs, i2c::I2c};

use crate::register as reg;
use crate::types::{
    Address, ArgumentError, Channel, ChannelSetting, DisabledOutput, Error, MillihertzU32, Mode1, Oscillator,
    OutputChange, OutputConfig, OutputDriver, SubAddress,
};

#[maybe_async_cfg::maybe(
    idents(Pca9685(sync = "Pca9685", async = "Pca9685Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The PCA9685 driver.
///
/// The blocking driver is `Pca9685`; with the `async` feature, `Pca9685Async` has the same methods as `async fn`s.
///
/// The chip powers up **asleep, with every output off**: nothing moves until [`wake`](Self::wake) (or
/// [`set_frequency`](Self::set_frequency) followed by `wake`).
///
/// The driver caches MODE1, MODE2 and PRE_SCALE, which only it writes, so that a setting costs one write. The
/// cache starts empty (the chip may have been running since before the MCU reset) and fills from the chip the
/// first time a method needs it; [`resync`](Self::resync) refills it after someone else touched the chip.
/// Right after the chip's power-on, [`assume_power_on_state`](Self::assume_power_on_state) fills it with the reset
/// values instead, without bus traffic, so that start-up needs no reads.
///
/// # Errors, faults and cancellation
/// After any error the cache equals the chip or is unknown: a register is unknown from before its write until the
/// chip acknowledged it (a write the host saw fail may have reached the chip), and the next method that needs it
/// reads it again. Channel registers are not cached: a failed channel write may have reached the chip whole, in
/// part or not at all; write it again. A PRE_SCALE change interrupted after it put the chip to sleep is completed
/// by the next one (see [`set_prescale`](Self::set_prescale)). No method polls the chip: the only waits are the
/// fixed 500 µs oscillator start-up, and no method makes more than five transactions.
///
/// For the async driver, a future dropped at an await point leaves the driver exactly as such an error would, and
/// the next call works; the crate README lists, per operation, what the chip is left doing and what to call.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pca9685<I2C> {
    i2c: I2C,
    address: Address,
    oscillator: Oscillator,
    /// MODE1 as last written or read, with RESTART always clear. `None`: unknown, read before use.
    mode1: Option<u8>,
    mode2: Option<u8>,
    prescale: Option<u8>,
    /// What the driver knows beyond the cache.
    progress: Progress,
}

/// What the driver knows beyond its cache of MODE1, MODE2 and PRE_SCALE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Progress {
    /// Nothing more.
    Idle,
    /// The cache holds the power-on state, as asserted by `assume_power_on_state` or set by an acknowledged
    /// software reset: while the cached MODE1 says asleep, a PRE_SCALE change trusts it and reads nothing.
    PowerOn,
    /// A PRE_SCALE change began on an awake chip and was interrupted (an error, or a dropped future) after it may
    /// have put the chip to sleep: the next one wakes the chip again, and writes RESTART if `restart`.
    Interrupted {
        /// The channels were running before the change (RESTART not pending): restart them at the end.
        restart: bool,
    },
}

#[maybe_async_cfg::maybe(
    idents(
        Pca9685(sync = "Pca9685", async = "Pca9685Async"),
        I2c(sync = "I2c", async = "AsyncI2c"),
        DelayNs(sync = "DelayNs", async = "AsyncDelayNs")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C: I2c> Pca9685<I2C> {
    /// A driver for the chip at `address`, on internal-oscillator timing. Sends nothing.
    pub fn new(i2c: I2C, address: Address) -> Self {
        Self {
            i2c,
            address,
            oscillator: Oscillator::Internal,
            mode1: None,
            mode2: None,
            prescale: None,
            progress: Progress::Idle,
        }
    }

    /// Gives the bus back.
    pub fn release(self) -> I2C {
        self.i2c
    }

    /// The bus, to inspect it while the driver owns it: a simulated chip (`pca.bus().output(Channel::C0)`) or
    /// a `sim::CountingBus`'s traffic. (Or give the driver `&mut sim` as its bus, and look at `sim` once the
    /// driver is gone.)
    pub fn bus(&self) -> &I2C {
        &self.i2c
    }

    /// The bus, mutably: to change a simulated chip or a fault plan between operations, or for a raw access
    /// the driver does not offer (see the `register` module). A write to MODE1, MODE2 or PRE_SCALE behind the
    /// driver's back needs [`invalidate_cache`](Self::invalidate_cache) afterwards.
    pub fn bus_mut(&mut self) -> &mut I2C {
        &mut self.i2c
    }

    /// The driver's cache: MODE1 (RESTART masked), MODE2 and PRE_SCALE, `None` where unknown. For tests that
    /// compare the driver's belief with a simulated chip.
    #[doc(hidden)]
    #[cfg(feature = "sim")]
    pub fn cache(&self) -> [Option<u8>; 3] {
        [self.mode1, self.mode2, self.prescale]
    }

    /// The address the driver talks to.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The oscillator the driver computes frequencies and pulse widths with.
    pub fn oscillator(&self) -> Oscillator {
        self.oscillator
    }

    // ---- bus helpers ------------------------------------------------------------------------------------

    /// A register write of two bytes: one copy of the call, however many places write a register.
    #[inline(never)]
    async fn write_register(&mut self, register: u8, value: u8) -> Result<(), Error<I2C::Error>> {
        self.write(&[register, value]).await
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), Error<I2C::Error>> {
        self.i2c.write(self.address.get(), bytes).await.map_err(Error::Bus)
    }

    async fn read(&mut self, register: u8, buffer: &mut [u8]) -> Result<(), Error<I2C::Error>> {
        self.i2c
            .write_read(self.address.get(), &[register], buffer)
            .await
            .map_err(Error::Bus)
    }

    async fn read_register(&mut self, register: u8) -> Result<u8, Error<I2C::Error>> {
        let mut value = [0];
        self.read(register, &mut value).await?;
        Ok(value[0])
    }

    /// MODE1 from the cache, or from the chip when the cache is empty.
    async fn cached_mode1(&mut self) -> Result<u8, Error<I2C::Error>> {
        match self.mode1 {
            Some(mode1) => Ok(mode1),
            None => Ok(self.read_mode1().await?.0 & !reg::MODE1_COMMAND_BITS),
        }
    }

    async fn cached_mode2(&mut self) -> Result<u8, Error<I2C::Error>> {
        match self.mode2 {
            Some(mode2) => Ok(mode2),
            None => {
                let mode2 = self.read_register(reg::MODE2).await? & reg::MODE2_WRITABLE;
                self.mode2 = Some(mode2);
                Ok(mode2)
            }
        }
    }

    /// Writes MODE1 (never with a command bit) and caches it once the chip acknowledged. Until then the cache is
    /// unknown: a write that fails (or is dropped) may still have reached the chip.
    async fn write_mode1(&mut self, mode1: u8) -> Result<(), Error<I2C::Error>> {
        let mode1 = mode1 & !reg::MODE1_COMMAND_BITS;
        self.mode1 = None;
        self.write_register(reg::MODE1, mode1).await?;
        self.mode1 = Some(mode1);
        Ok(())
    }

    async fn update_mode1(&mut self, clear: u8, set: u8) -> Result<(), Error<I2C::Error>> {
        let mode1 = self.cached_mode1().await?;
        self.write_mode1((mode1 & !clear) | set).await
    }

    async fn update_mode2(&mut self, clear: u8, set: u8) -> Result<(), Error<I2C::Error>> {
        let mode2 = (self.cached_mode2().await? & !clear) | set;
        self.write_mode2(mode2).await
    }

    async fn write_mode2(&mut self, mode2: u8) -> Result<(), Error<I2C::Error>> {
        self.mode2 = None;
        self.write_register(reg::MODE2, mode2).await?;
        self.mode2 = Some(mode2);
        Ok(())
    }

    /// Multi-byte transfers need MODE1.AI; turn it on once (one 2-byte write) if the chip does not have it.
    async fn ensure_auto_increment(&mut self) -> Result<(), Error<I2C::Error>> {
        let mode1 = self.cached_mode1().await?;
        if mode1 & reg::MODE1_AI == 0 {
            self.write_mode1(mode1 | reg::MODE1_AI).await?;
        }
        Ok(())
    }

    async fn cached_prescale(&mut self) -> Result<u8, Error<I2C::Error>> {
        match self.prescale {
            Some(prescale) => Ok(prescale),
            None => self.prescale().await,
        }
    }

    /// Checks that MODE1.EXTCLK agrees with the driver's oscillator.
    fn check_clock(&self, mode1: u8) -> Result<(), Error<I2C::Error>> {
        let chip_external = mode1 & reg::MODE1_EXTCLK != 0;
        match (self.oscillator, chip_external) {
            (Oscillator::External(_), false) => Err(Error::ExternalClockNotSet),
            (Oscillator::Internal | Oscillator::Calibrated(_), true) => Err(Error::ExternalClockLatched),
            _ => Ok(()),
        }
    }

    /// The frequency the chip's counter runs at, once MODE1.EXTCLK (cached, or read once) agrees with the
    /// driver's oscillator.
    async fn clock_hz(&mut self) -> Result<u32, Error<I2C::Error>> {
        let mode1 = self.cached_mode1().await?;
        self.check_clock(mode1)?;
        Ok(self.oscillator.frequency().raw())
    }

    // ---- state and synchronisation ----------------------------------------------------------------------

    /// Reads MODE1 from the chip (one write-read of 1 + 1 bytes) and refreshes the cache.
    pub async fn read_mode1(&mut self) -> Result<Mode1, Error<I2C::Error>> {
        let mode1 = self.read_register(reg::MODE1).await?;
        self.mode1 = Some(mode1 & !reg::MODE1_COMMAND_BITS);
        Ok(Mode1(mode1))
    }

    /// Reads the output stage configuration (MODE2) from the chip and refreshes the cache.
    pub async fn output_config(&mut self) -> Result<OutputConfig, Error<I2C::Error>> {
        let mode2 = self.read_register(reg::MODE2).await? & reg::MODE2_WRITABLE;
        self.mode2 = Some(mode2);
        Ok(OutputConfig::decode(mode2))
    }

    /// Reads PRE_SCALE from the chip and refreshes the cache.
    pub async fn prescale(&mut self) -> Result<u8, Error<I2C::Error>> {
        let prescale = self.read_register(reg::PRE_SCALE).await?;
        self.prescale = Some(prescale);
        Ok(prescale)
    }

    /// Refills the driver's cache (MODE1, MODE2, PRE_SCALE) from the chip: three write-reads. Use it after
    /// another master, a general-call reset you did not send, or a brown-out changed the chip behind the driver.
    pub async fn resync(&mut self) -> Result<(), Error<I2C::Error>> {
        self.read_mode1().await?;
        self.output_config().await?;
        self.prescale().await?;
        Ok(())
    }

    /// Forgets the cache without touching the bus; the next method that needs it reads the chip.
    pub fn invalidate_cache(&mut self) {
        self.mode1 = None;
        self.mode2 = None;
        self.prescale = None;
        if self.progress == Progress::PowerOn {
            self.progress = Progress::Idle;
        }
    }

    // ---- sleep, wake, restart, reset --------------------------------------------------------------------

    /// Puts the chip to sleep (MODE1.SLEEP): oscillator off, outputs off. If PWM was running, the chip sets
    /// RESTART so that [`restart`](Self::restart) can resume it. Always one write (from the cached MODE1), even
    /// when the chip already sleeps; cancels the completion of an interrupted PRE_SCALE change.
    pub async fn sleep(&mut self) -> Result<(), Error<I2C::Error>> {
        self.progress = Progress::Idle;
        self.update_mode1(0, reg::MODE1_SLEEP).await
    }

    /// Wakes the chip (clears MODE1.SLEEP) and waits the 500 µs the oscillator needs. Channels that were
    /// running before a sleep stay off until [`restart`](Self::restart); new channel settings work at once.
    ///
    /// The same write turns on register auto-increment (MODE1.AI), which every multi-byte channel write needs, so
    /// the first one costs no MODE1 write of its own.
    ///
    /// Cancels the completion of an interrupted PRE_SCALE change (see [`set_prescale`](Self::set_prescale)). An
    /// async caller that drops it during the wait gets an awake chip whose oscillator may need the rest of the
    /// 500 µs.
    pub async fn wake<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<I2C::Error>> {
        self.progress = Progress::Idle;
        self.update_mode1(reg::MODE1_SLEEP, reg::MODE1_AI).await?;
        delay.delay_us(reg::OSCILLATOR_STARTUP_US).await;
        Ok(())
    }

    /// Resumes the PWM that was running when the chip was put to sleep, with its old settings (datasheet
    /// "restart mode"): reads MODE1; if RESTART is set, clears SLEEP (if set), waits 500 µs and writes RESTART.
    /// Returns whether there was anything to restart. Interrupted (an error, a dropped future), RESTART is still
    /// pending and a second call finishes the job.
    pub async fn restart<D: DelayNs>(&mut self, delay: &mut D) -> Result<bool, Error<I2C::Error>> {
        self.progress = Progress::Idle;
        let mode1 = self.read_mode1().await?;
        if !mode1.restart_pending() {
            return Ok(false);
        }
        let awake = mode1.0 & !(reg::MODE1_SLEEP | reg::MODE1_COMMAND_BITS);
        if mode1.sleeping() {
            self.write_mode1(awake).await?;
            delay.delay_us(reg::OSCILLATOR_STARTUP_US).await;
        }
        self.write_register(reg::MODE1, awake | reg::MODE1_RESTART).await?;
        Ok(true)
    }

    /// Software reset through the I2C general call (address 0x00, byte 0x06). **Every PCA9685 on the bus**
    /// returns to its power-on state: asleep, all outputs off, EXTCLK cleared, prescale 30. The driver's cache
    /// follows (and an external oscillator setting falls back to the internal one).
    ///
    /// On an error the chip may or may not have reset: the cache is emptied (read again when needed) and the
    /// oscillator setting kept, so a driver set to `External` then reports [`Error::ExternalClockNotSet`] from the
    /// next clock-dependent call if the reset did happen.
    pub async fn software_reset(&mut self) -> Result<(), Error<I2C::Error>> {
        // The chip may reset even if the host sees an error (or drops the future): unknown until acknowledged.
        self.invalidate_cache();
        self.progress = Progress::Idle;
        self.i2c
            .write(reg::GENERAL_CALL, &[reg::SWRST])
            .await
            .map_err(Error::Bus)?;
        self.assume_power_on_state();
        Ok(())
    }

    /// Tells the driver that the chip is in its power-on state, without any bus traffic: the cache holds the
    /// datasheet's reset values (MODE1 0x11: asleep, all-call on; MODE2 0x04: totem pole; PRE_SCALE 30), an
    /// `External` oscillator setting falls back to `Internal` (a reset clears EXTCLK), and an interrupted
    /// PRE_SCALE change is forgotten. A [`software_reset`](Self::software_reset) leaves the driver in exactly this
    /// state.
    ///
    /// Start-up then runs at the bus minimum: [`set_frequency`](Self::set_frequency) trusts the cached "asleep"
    /// and writes PRE_SCALE alone (a driver that did not see the power-on state reads MODE1 first, since another
    /// master or an earlier firmware may have woken the chip), and [`wake`](Self::wake) writes MODE1 alone, with
    /// auto-increment on: 50 Hz and awake is two writes of two bytes (`FE 79`, `00 21`), and the first channel
    /// write one write of five.
    ///
    /// **Risk:** call it only right after the chip's power-on, or right after a reset you know happened (a general
    /// call you sent some other way). On a chip that has been running since before your MCU reset, or that
    /// anyone configured since, the cache then disagrees with the chip: a PRE_SCALE write to a chip that is in fact
    /// awake is ignored by the chip while `set_frequency` reports success, a MODE1 or MODE2 setting writes back
    /// bits the chip does not hold, and a frequency, period or pulse width is computed with the wrong prescale.
    /// When in doubt, skip it: a fresh driver reads what it needs once (one write-read of MODE1 more at start-up);
    /// [`resync`](Self::resync) reads all three registers.
    pub fn assume_power_on_state(&mut self) {
        self.mode1 = Some(reg::MODE1_RESET);
        self.mode2 = Some(reg::MODE2_RESET);
        self.prescale = Some(reg::PRE_SCALE_RESET);
        self.progress = Progress::PowerOn;
        if let Oscillator::External(_) = self.oscillator {
            self.oscillator = Oscillator::Internal;
        }
    }

    // ---- clock and frequency ----------------------------------------------------------------------------

    /// Sets the oscillator the driver computes with.
    ///
    /// `Internal` and `Calibrated(f)` write nothing; they need MODE1 (from the cache, or read once) to check that
    /// the chip is not on EXTCLK, which is sticky: on a chip whose MODE1.EXTCLK is set they return
    /// [`Error::ExternalClockLatched`] and keep the old oscillator (a power cycle or a
    /// [`software_reset`](Self::software_reset) is the only way back).
    ///
    /// `External(f)` (at most 50 MHz) switches the chip to its EXTCLK pin: it puts the chip to sleep, then sets
    /// EXTCLK in a second write, as the datasheet requires, and leaves it asleep: set the frequency, then
    /// [`wake`](Self::wake). EXTCLK stays set until a power cycle or a [`software_reset`](Self::software_reset).
    pub async fn set_oscillator(&mut self, oscillator: Oscillator) -> Result<(), Error<I2C::Error>> {
        let hz = oscillator.frequency().raw();
        let limit = match oscillator {
            Oscillator::External(_) => reg::EXTERNAL_CLOCK_MAX_HZ,
            _ => u32::MAX,
        };
        if hz == 0 || hz > limit {
            return Err(ArgumentError::OscillatorOutOfRange.into());
        }
        if let Oscillator::External(_) = oscillator {
            self.progress = Progress::Idle;
            let mode1 = self.cached_mode1().await? | reg::MODE1_SLEEP;
            self.write_mode1(mode1).await?;
            self.write_mode1(mode1 | reg::MODE1_EXTCLK).await?;
        } else if self.cached_mode1().await? & reg::MODE1_EXTCLK != 0 {
            return Err(Error::ExternalClockLatched);
        }
        self.oscillator = oscillator;
        Ok(())
    }

    /// Sets the PWM frequency: prescale = round(oscillator / (4096 × f)) − 1, which must fall in 3..=255
    /// (about 24 Hz to 1526 Hz on the internal oscillator), else [`ArgumentError::FrequencyOutOfRange`] and
    /// nothing is sent. Returns the frequency the chip really runs at. See [`set_prescale`](Self::set_prescale)
    /// for the bus sequence; the MODE1 it reads must agree with the driver's oscillator, as in
    /// [`frequency`](Self::frequency), else nothing is written.
    pub async fn set_frequency<D: DelayNs>(
        &mut self,
        frequency: fugit::HertzU32,
        delay: &mut D,
    ) -> Result<MillihertzU32, Error<I2C::Error>> {
        let prescale = reg::prescale_for(self.oscillator.frequency().raw(), frequency.raw())
            .ok_or(ArgumentError::FrequencyOutOfRange)?;
        self.write_prescale(prescale, delay, true).await?;
        Ok(self.frequency_for(prescale))
    }

    /// Writes PRE_SCALE (3..=255). The chip ignores PRE_SCALE while awake, so the driver needs MODE1: from the
    /// cache when it knows the chip asleep (after [`assume_power_on_state`](Self::assume_power_on_state), a
    /// [`sleep`](Self::sleep) or a [`software_reset`](Self::software_reset)), else read from the chip (which may
    /// have been running since before an MCU reset, and whose RESTART bit is never cached). Then:
    /// - asleep: writes PRE_SCALE, nothing else;
    /// - awake: sleeps, writes PRE_SCALE, wakes (with auto-increment on, as [`wake`](Self::wake)), waits 500 µs,
    ///   and writes RESTART so the running channels resume (unless they were already halted, RESTART pending,
    ///   before the call: then they stay halted).
    ///
    /// If this sequence fails part way (a bus error, or an async caller dropping the future), the chip may be
    /// left asleep; the driver remembers it, and the next `set_prescale` or `set_frequency` completes the job,
    /// waking the chip and restarting its channels, as one uninterrupted call would have. A [`sleep`](Self::sleep),
    /// [`wake`](Self::wake), [`restart`](Self::restart) or [`software_reset`](Self::software_reset) in between
    /// cancels that.
    pub async fn set_prescale<D: DelayNs>(&mut self, prescale: u8, delay: &mut D) -> Result<(), Error<I2C::Error>> {
        if prescale < reg::PRESCALE_MIN {
            return Err(ArgumentError::PrescaleOutOfRange.into());
        }
        self.write_prescale(prescale, delay, false).await
    }

    async fn write_prescale<D: DelayNs>(
        &mut self,
        prescale: u8,
        delay: &mut D,
        check_clock: bool,
    ) -> Result<(), Error<I2C::Error>> {
        // MODE1.RESTART, which only matters on an awake chip, is never cached: a chip the cache knows asleep needs
        // no read, any other one does (and an interrupted change has emptied the cache).
        let read = match self.mode1 {
            Some(mode1) if mode1 & reg::MODE1_SLEEP != 0 && self.progress == Progress::PowerOn => mode1,
            _ => self.read_mode1().await?.0,
        };
        if check_clock {
            self.check_clock(read)?;
        }
        let mode1 = read & !reg::MODE1_COMMAND_BITS;
        let asleep = mode1 & reg::MODE1_SLEEP != 0;
        let restart = match self.progress {
            Progress::Interrupted { restart } => restart,
            _ if asleep => {
                self.prescale = None;
                self.write_register(reg::PRE_SCALE, prescale).await?;
                self.prescale = Some(prescale);
                return Ok(());
            }
            // channels halted (RESTART pending) before the call stay halted
            _ => read & reg::MODE1_RESTART == 0,
        };
        // From here the chip may be asleep until the last step: remember to finish the job, and treat MODE1 and
        // PRE_SCALE as unknown until it is done.
        self.progress = Progress::Interrupted { restart };
        self.mode1 = None;
        self.prescale = None;
        // woken with auto-increment on, as `wake` does
        let awake = (mode1 & !reg::MODE1_SLEEP) | reg::MODE1_AI;
        if !asleep {
            self.write_register(reg::MODE1, mode1 | reg::MODE1_SLEEP).await?;
        }
        self.write_register(reg::PRE_SCALE, prescale).await?;
        self.write_register(reg::MODE1, awake).await?;
        delay.delay_us(reg::OSCILLATOR_STARTUP_US).await;
        if restart {
            self.write_register(reg::MODE1, awake | reg::MODE1_RESTART).await?;
        }
        self.mode1 = Some(awake);
        self.prescale = Some(prescale);
        self.progress = Progress::Idle;
        Ok(())
    }

    /// The PWM frequency the chip runs at (prescale from the cache, or read once), at the configured oscillator.
    /// MODE1 (cached, or read once) must agree with that oscillator: [`Error::ExternalClockLatched`] for a chip on
    /// EXTCLK while the driver's oscillator is internal, [`Error::ExternalClockNotSet`] the other way round.
    pub async fn frequency(&mut self) -> Result<MillihertzU32, Error<I2C::Error>> {
        self.clock_hz().await?;
        let prescale = self.cached_prescale().await?;
        Ok(self.frequency_for(prescale))
    }

    /// The PWM period (prescale from the cache, or read once), at the configured oscillator; checks MODE1.EXTCLK as
    /// [`frequency`](Self::frequency) does.
    pub async fn period(&mut self) -> Result<fugit::NanosDurationU64, Error<I2C::Error>> {
        let clock = self.clock_hz().await?;
        let prescale = self.cached_prescale().await?;
        Ok(fugit::NanosDurationU64::from_ticks(reg::period_ns(clock, prescale)))
    }

    fn frequency_for(&self, prescale: u8) -> MillihertzU32 {
        MillihertzU32::from_raw(reg::frequency_mhz(self.oscillator.frequency().raw(), prescale))
    }

    // ---- channels ---------------------------------------------------------------------------------------

    /// Sets one channel: one write of 5 bytes (register + ON_L, ON_H, OFF_L, OFF_H); full off is the write of
    /// [`set_channel_full_off`](Self::set_channel_full_off). A bus error may leave the channel's registers old,
    /// new, or (a write cut part way) mixed: write it again.
    pub async fn set_channel(&mut self, channel: Channel, setting: ChannelSetting) -> Result<(), Error<I2C::Error>> {
        if setting == ChannelSetting::FullOff {
            return self.set_channel_full_off(channel).await;
        }
        let [a, b, c, d] = setting.encode()?;
        self.ensure_auto_increment().await?;
        self.write(&[reg::channel_register(channel.index()), a, b, c, d]).await
    }

    /// A pulse from count `on` to count `off` (both 0..=4095, not equal).
    pub async fn set_channel_on_off(&mut self, channel: Channel, on: u16, off: u16) -> Result<(), Error<I2C::Error>> {
        self.set_channel(channel, ChannelSetting::Pwm { on, off }).await
    }

    /// Permanently on, switched on at count `delay` (0..=4095); clears full off in the same write.
    pub async fn set_channel_full_on(&mut self, channel: Channel, delay: u16) -> Result<(), Error<I2C::Error>> {
        self.set_channel(channel, ChannelSetting::FullOn { delay }).await
    }

    /// Permanently off: bit 4 of LEDn_OFF_H, which wins over everything else. With outputs changing at STOP
    /// (the default) one write of 2 bytes to LEDn_OFF_H; with [`OutputChange::OnAck`] the chip updates an output
    /// only once all four of its registers were written, so one write of 5 bytes (ON_L..OFF_H, the counts
    /// cleared). Needs MODE2 (from the cache, or read once).
    pub async fn set_channel_full_off(&mut self, channel: Channel) -> Result<(), Error<I2C::Error>> {
        let register = reg::channel_register(channel.index());
        self.write_full_off(register).await
    }

    /// Full off through the four registers starting at `register` (a channel's, or ALL_LED_ON_L).
    async fn write_full_off(&mut self, register: u8) -> Result<(), Error<I2C::Error>> {
        if self.cached_mode2().await? & reg::MODE2_OCH == 0 {
            self.write_register(register.wrapping_add(3), reg::FULL).await
        } else {
            // ChannelSetting::FullOff encoded: counts cleared, full off set
            self.ensure_auto_increment().await?;
            self.write(&[register, 0, 0, 0, reg::FULL]).await
        }
    }

    /// Duty cycle in 1/4096 of the period (0 = full off, 4096 = full on), starting at count 0.
    pub async fn set_duty_cycle(&mut self, channel: Channel, duty: u16) -> Result<(), Error<I2C::Error>> {
        self.set_duty_cycle_with_phase(channel, duty, 0).await
    }

    /// Duty cycle in 1/4096 of the period, starting at count `phase` (0..=4095). Staggering the phases of
    /// channels spreads their switching edges.
    pub async fn set_duty_cycle_with_phase(
        &mut self,
        channel: Channel,
        duty: u16,
        phase: u16,
    ) -> Result<(), Error<I2C::Error>> {
        let setting = ChannelSetting::from_duty(duty, phase)?;
        self.set_channel(channel, setting).await
    }

    /// A servo pulse of `pulse` µs starting at count 0, rounded to the nearest count at the current frequency and
    /// oscillator. A pulse longer than the period is [`ArgumentError::PulseOutsidePeriod`]. Returns the counts.
    /// Checks MODE1.EXTCLK as [`frequency`](Self::frequency) does, before anything is written.
    pub async fn set_pulse_width(
        &mut self,
        channel: Channel,
        pulse: fugit::MicrosDurationU32,
    ) -> Result<u16, Error<I2C::Error>> {
        let clock = self.clock_hz().await?;
        let prescale = self.cached_prescale().await?;
        let counts =
            reg::counts_for_pulse_us(clock, prescale, pulse.ticks()).ok_or(ArgumentError::PulseOutsidePeriod)?;
        self.set_duty_cycle(channel, counts).await?;
        Ok(counts)
    }

    /// Sets `settings.len()` consecutive channels starting at `first`, in one write of 1 + 4 × n bytes. The run
    /// must not be empty or go past channel 15. Every setting is checked before anything is sent.
    pub async fn set_channels(&mut self, first: Channel, settings: &[ChannelSetting]) -> Result<(), Error<I2C::Error>> {
        let mut buffer = [0u8; 65];
        let available = 16usize.saturating_sub(usize::from(first.index()));
        if settings.is_empty() || settings.len() > available {
            return Err(ArgumentError::ChannelRangeOutOfBounds.into());
        }
        let length = settings.len().saturating_mul(4).saturating_add(1);
        if let Some((head, body)) = buffer.split_first_mut() {
            *head = reg::channel_register(first.index());
            for (chunk, setting) in body.chunks_exact_mut(4).zip(settings) {
                chunk.copy_from_slice(&setting.encode()?);
            }
        }
        self.ensure_auto_increment().await?;
        let bytes = buffer.get(..length).ok_or(ArgumentError::ChannelRangeOutOfBounds)?;
        self.i2c.write(self.address.get(), bytes).await.map_err(Error::Bus)
    }

    /// Sets all 16 channels in one write of 65 bytes.
    pub async fn set_all_channels(&mut self, settings: &[ChannelSetting; 16]) -> Result<(), Error<I2C::Error>> {
        self.set_channels(Channel::C0, settings).await
    }

    /// Loads the same setting into every channel through the ALL_LED registers: one write of 5 bytes.
    pub async fn set_all(&mut self, setting: ChannelSetting) -> Result<(), Error<I2C::Error>> {
        let [a, b, c, d] = setting.encode()?;
        self.ensure_auto_increment().await?;
        self.write(&[reg::ALL_LED_ON_L, a, b, c, d]).await
    }

    /// Orderly shutdown: every output full off (ALL_LED_OFF_H bit 4), one write of 2 bytes; with
    /// [`OutputChange::OnAck`], one write of 5 bytes to all four ALL_LED registers (see
    /// [`set_channel_full_off`](Self::set_channel_full_off)). Needs MODE2 (from the cache, or read once).
    pub async fn all_off(&mut self) -> Result<(), Error<I2C::Error>> {
        self.write_full_off(reg::ALL_LED_ON_L).await
    }

    /// Reads one channel back: one write-read of 1 + 4 bytes.
    pub async fn channel(&mut self, channel: Channel) -> Result<ChannelSetting, Error<I2C::Error>> {
        let mut bytes = [0u8; 4];
        self.ensure_auto_increment().await?;
        self.read(reg::channel_register(channel.index()), &mut bytes).await?;
        Ok(ChannelSetting::decode(bytes))
    }

    /// Reads all 16 channels back: one write-read of 1 + 64 bytes.
    pub async fn channels(&mut self) -> Result<[ChannelSetting; 16], Error<I2C::Error>> {
        let mut bytes = [0u8; 64];
        self.ensure_auto_increment().await?;
        self.read(reg::LED0_ON_L, &mut bytes).await?;
        let mut settings = [ChannelSetting::FullOff; 16];
        for (setting, chunk) in settings.iter_mut().zip(bytes.chunks_exact(4)) {
            let mut four = [0u8; 4];
            four.copy_from_slice(chunk);
            *setting = ChannelSetting::decode(four);
        }
        Ok(settings)
    }

    // ---- MODE1 and MODE2 settings -----------------------------------------------------------------------

    /// Register auto-increment (MODE1.AI). The driver turns it on by itself: in every write that wakes the chip
    /// ([`wake`](Self::wake), a PRE_SCALE change on a running chip) and before a multi-byte transfer that finds it
    /// off; turning it off makes every multi-byte method turn it on again.
    pub async fn set_auto_increment(&mut self, enabled: bool) -> Result<(), Error<I2C::Error>> {
        let (clear, set) = bit_change(reg::MODE1_AI, enabled);
        self.update_mode1(clear, set).await
    }

    /// The whole output stage (MODE2) in one 2-byte write.
    pub async fn set_output_config(&mut self, config: OutputConfig) -> Result<(), Error<I2C::Error>> {
        self.write_mode2(config.encode()).await
    }

    /// Output logic inverted (MODE2.INVRT).
    pub async fn set_output_invert(&mut self, invert: bool) -> Result<(), Error<I2C::Error>> {
        let (clear, set) = bit_change(reg::MODE2_INVRT, invert);
        self.update_mode2(clear, set).await
    }

    /// When new settings reach the outputs (MODE2.OCH).
    pub async fn set_output_change(&mut self, change: OutputChange) -> Result<(), Error<I2C::Error>> {
        let (clear, set) = bit_change(reg::MODE2_OCH, change == OutputChange::OnAck);
        self.update_mode2(clear, set).await
    }

    /// Totem pole or open drain (MODE2.OUTDRV).
    pub async fn set_output_driver(&mut self, driver: OutputDriver) -> Result<(), Error<I2C::Error>> {
        let (clear, set) = bit_change(reg::MODE2_OUTDRV, driver == OutputDriver::TotemPole);
        self.update_mode2(clear, set).await
    }

    /// The outputs' state while /OE is high (MODE2.OUTNE).
    pub async fn set_disabled_output(&mut self, state: DisabledOutput) -> Result<(), Error<I2C::Error>> {
        let outne = OutputConfig {
            disabled: state,
            ..OutputConfig::default()
        }
        .encode()
            & reg::MODE2_OUTNE;
        self.update_mode2(reg::MODE2_OUTNE, outne).await
    }

    // ---- sub-call and all-call addresses ----------------------------------------------------------------

    /// Sets a sub-call address (SUBADRx). It is answered only once enabled.
    pub async fn set_sub_address(&mut self, sub: SubAddress, address: Address) -> Result<(), Error<I2C::Error>> {
        self.write_register(sub.register(), reg::encode_address(address.get()))
            .await
    }

    /// Reads a sub-call address.
    pub async fn sub_address(&mut self, sub: SubAddress) -> Result<u8, Error<I2C::Error>> {
        Ok(reg::decode_address(self.read_register(sub.register()).await?))
    }

    /// Answer (or stop answering) a sub-call address (MODE1.SUBx). Off from power-up.
    pub async fn enable_sub_address(&mut self, sub: SubAddress, enabled: bool) -> Result<(), Error<I2C::Error>> {
        let (clear, set) = bit_change(sub.enable_bit(), enabled);
        self.update_mode1(clear, set).await
    }

    /// Sets the all-call address (ALLCALLADR, 0x70 from power-up).
    pub async fn set_all_call_address(&mut self, address: Address) -> Result<(), Error<I2C::Error>> {
        self.write_register(reg::ALLCALLADR, reg::encode_address(address.get()))
            .await
    }

    /// Reads the all-call address.
    pub async fn all_call_address(&mut self) -> Result<u8, Error<I2C::Error>> {
        Ok(reg::decode_address(self.read_register(reg::ALLCALLADR).await?))
    }

    /// Answer (or stop answering) the all-call address (MODE1.ALLCALL). **On from power-up**: a chip strapped to
    /// 0x70, or any other device at 0x70, collides with it until it is disabled.
    pub async fn enable_all_call(&mut self, enabled: bool) -> Result<(), Error<I2C::Error>> {
        let (clear, set) = bit_change(reg::MODE1_ALLCALL, enabled);
        self.update_mode1(clear, set).await
    }
}

/// The (clear, set) masks that turn `bit` on or off.
const fn bit_change(bit: u8, on: bool) -> (u8, u8) {
    if on {
        (0, bit)
    } else {
        (bit, 0)
    }
}
