//! The driver: one source, two drivers. `Sc16is7xx` (blocking) and, with the `async` feature, `Sc16is7xxAsync`
//! are generated from the same code by `maybe-async-cfg`, which removes `async` and `.await` for the blocking one.

use core::marker::PhantomData;

#[cfg(feature = "async")]
use embedded_hal_async::delay::DelayNs as AsyncDelayNs;

use embedded_hal::delay::DelayNs;
use fugit::HertzU32;

#[cfg(feature = "async")]
use crate::interface::AsyncInterface;
use crate::interface::{I2cInterface, Interface, ResetNack, SpiInterface, MAX_DATA};
use crate::register as reg;
use crate::types::variant::{DualChannel, HasGpio, Variant};
use crate::types::{
    Address, ArgumentError, BaudRate, Channel, Config, Error, FifoConfig, FlowLevels, GpioPin, HardwareFlowControl,
    InterruptSource, Interrupts, IrdaMode, LineError, LineFormat, LineStatus, ModemStatus, ReceiveCheck, Rs485,
    SoftwareFlowControl, TriggerLevels, DEFAULT_TOLERANCE_PPM,
};

/// The registers only the driver writes, as last written or read (`None` = not known yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Cache {
    /// LCR as the frame format (break included), never with DLAB or the 0xBF key.
    pub(crate) lcr: Option<u8>,
    pub(crate) ier: Option<u8>,
    /// FCR without the self-clearing reset bits (FCR is write-only).
    pub(crate) fcr: Option<u8>,
    pub(crate) mcr: Option<u8>,
    pub(crate) efr: Option<u8>,
    pub(crate) efcr: Option<u8>,
    pub(crate) divisor: Option<u16>,
    pub(crate) iodir: Option<u8>,
    /// The GPIO output latch (IOState as written); only the bits of `latch_known` are known. The chip takes a
    /// written bit only for a pin that is an output at the time, and the latch of an input cannot be read back.
    pub(crate) latch: u8,
    pub(crate) latch_known: u8,
    pub(crate) iointena: Option<u8>,
}

impl Cache {
    /// The datasheet's power-on (and reset) values: LCR 0x1D, IER, FCR, MCR, EFR, EFCR, IODir and IOIntEna 0
    /// (TLR 0 as well, see `power_on_state`). The divisor has no reset value, and the latch of a pin that is
    /// not an output cannot be known.
    const POWER_ON: Self = Self {
        lcr: Some(reg::LCR_RESET),
        ier: Some(0),
        fcr: Some(0),
        mcr: Some(0),
        efr: Some(0),
        efcr: Some(0),
        divisor: None,
        iodir: Some(0),
        latch: 0,
        latch_known: 0,
        iointena: Some(0),
    };
}

/// Which LCR-gated register set a sequence opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    /// DLL / DLH (LCR\[7\] = 1).
    Special,
    /// EFR, XON1/2, XOFF1/2 (LCR = 0xBF).
    Enhanced,
}

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The driver for one UART channel of an SC16IS740 / 750 / 760 / 752 / 762.
///
/// The blocking driver is `Sc16is7xx`; with the `async` feature, `Sc16is7xxAsync` has the same methods as
/// `async fn`s. `V` is the part ([`variant`](crate::variant)): GPIO methods exist only for parts with GPIOs,
/// channel B only for the dual parts. Two channels of a dual part are two drivers, each over its own handle of
/// a shared bus (`embedded-hal-bus`).
///
/// The driver caches the registers only it writes (LCR, IER, FCR, MCR, EFR, EFCR, the divisor, the GPIO
/// direction, latch and interrupt enables), so a setting is one write; FCR is write-only, so the cache is the
/// only copy. IOControl, shared by the two channels of a dual part, is read before every change.
///
/// On a dual part the GPIO registers and IOControl belong to the chip, not to a channel, and are reached through
/// channel A's register map: drive the GPIOs through one of the two drivers only (the other's GPIO cache would
/// go stale; `invalidate_cache` refreshes it), preferably channel A's, since a GPIO access from channel B's
/// driver misses its register while channel A's driver is in the middle of a baud-rate or flow-control
/// sequence on another task. Every sequence that opens the special (DLL/DLH) or enhanced (EFR, Xon/Xoff) register
/// set restores LCR before it returns; if the bus fails in the middle, the next operation restores it first.
/// The driver holds `&mut self` through each sequence, so nothing that uses it (an interrupt handler included)
/// can read IIR while LCR = 0xBF turns that address into EFR.
///
/// Faults: a cached register is unknown from before its write until the write succeeded, so after any error (or,
/// async, a future dropped at any await point) the next operation reads what it needs instead of trusting a
/// guess; a sequence left half-done (LCR holding a key, sleep turned off for a divisor change) is finished by the
/// next operation. Every wait ends at [`set_timeout`](Self::set_timeout). Which async operations are not
/// cancel-safe, and what to do instead: see the crate docs ("Async: dropped futures").
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sc16is7xx<IF, V> {
    iface: IF,
    channel: Channel,
    crystal: HertzU32,
    tolerance_ppm: u32,
    receive_check: ReceiveCheck,
    cache: Cache,
    /// A sequence stopped with LCR holding the 0xBF key or DLAB: restore the format before anything else.
    lcr_dirty: bool,
    /// Three state bits, packed (the driver object stays at 44 bytes on I2C):
    /// - [`PENDING_OVERRUN`]: an LSR read saw an overrun that no read has reported yet;
    /// - [`RESUME_SLEEP`]: a divisor change turned sleep mode off and has not turned it back on yet (an error or
    ///   a dropped future in between): the next operation turns it on again;
    /// - [`POWER_ON_STATE`]: the cache was filled by `assume_power_on_state` (or a confirmed software reset) and
    ///   TLR still holds its power-on 0: `init` writes only what differs. `init`, `invalidate_cache` and
    ///   `set_trigger_levels` clear it.
    flags: u8,
    /// Free TX FIFO spaces the driver knows of for sure (a lower bound: the chip only frees spaces): set by a
    /// TX FIFO reset or a TXLVL read, lowered by each burst; 0 (unknown) from before a burst until it succeeded.
    tx_room: u8,
    /// The deadline of every wait, in µs.
    timeout_us: u32,
    /// The bus time charged per poll transaction against the deadline, in µs.
    poll_cost_us: u32,
    variant: PhantomData<V>,
}

/// The blocking driver on I2C: `fn f<I: I2c>(uart: &mut Sc16is7xxI2c<I>)` (the part `V` defaults to the
/// SC16IS740; write `Sc16is7xxI2c<I, Sc16is750>` for another).
pub type Sc16is7xxI2c<I2C, V = crate::Sc16is740> = Sc16is7xx<I2cInterface<I2C>, V>;

/// The blocking driver on an `SpiDevice` (the part `V` defaults to the SC16IS740).
pub type Sc16is7xxSpi<SPI, V = crate::Sc16is740> = Sc16is7xx<SpiInterface<SPI>, V>;

/// The async driver on I2C (the part `V` defaults to the SC16IS740).
#[cfg(feature = "async")]
pub type Sc16is7xxAsyncI2c<I2C, V = crate::Sc16is740> = Sc16is7xxAsync<I2cInterface<I2C>, V>;

/// The async driver on an `SpiDevice` (the part `V` defaults to the SC16IS740).
#[cfg(feature = "async")]
pub type Sc16is7xxAsyncSpi<SPI, V = crate::Sc16is740> = Sc16is7xxAsync<SpiInterface<SPI>, V>;

/// LCR before a software reset when the driver does not know a format other than 0x1D: 8N1 (general set), so
/// that reading back 0x1D proves the reset, and a chip that did not reset is left in a usable format.
const PRE_RESET_LCR: u8 = 0x03;

/// `flags`: an overrun seen by an LSR read and not reported yet.
const PENDING_OVERRUN: u8 = 1 << 0;
/// `flags`: sleep mode to turn back on after a divisor change.
const RESUME_SLEEP: u8 = 1 << 1;
/// `flags`: the cache holds the power-on state (and TLR is 0), vouched for by the caller or a software reset.
const POWER_ON_STATE: u8 = 1 << 2;

/// The default deadline of a wait: 1 s (64 characters at 600 baud).
pub(crate) const DEFAULT_TIMEOUT_US: u32 = 1_000_000;
/// The default bus time charged per poll: 100 µs, a 1 + 1 byte write-read at 400 kHz I2C (about 95 µs).
pub(crate) const DEFAULT_POLL_COST_US: u32 = 100;

/// The register writes of `init`, in order (at most thirteen).
#[derive(Default)]
struct Steps {
    writes: [(u8, u8); 13],
    count: usize,
}

impl Steps {
    fn push(&mut self, register: u8, value: u8) {
        if let Some(slot) = self.writes.get_mut(self.count) {
            *slot = (register, value);
            self.count = self.count.saturating_add(1);
        }
    }

    fn get(&self) -> &[(u8, u8)] {
        self.writes.get(..self.count).unwrap_or(&self.writes)
    }
}

/// Whether a register the cache holds as `cached` (`None`: unknown) differs from `value` in the bits of `mask`.
fn differs(cached: Option<u8>, value: u8, mask: u8) -> bool {
    cached.map_or(true, |old| (old ^ value) & mask != 0)
}

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF, V: Variant> Sc16is7xx<IF, V> {
    /// A driver for channel A over any [`Interface`](crate::Interface). Sends nothing.
    pub fn with_interface(iface: IF, crystal: HertzU32, _variant: V) -> Self {
        Self {
            iface,
            channel: Channel::A,
            crystal,
            tolerance_ppm: DEFAULT_TOLERANCE_PPM,
            receive_check: ReceiveCheck::LineStatus,
            cache: Cache::default(),
            lcr_dirty: false,
            flags: 0,
            tx_room: 0,
            timeout_us: DEFAULT_TIMEOUT_US,
            poll_cost_us: DEFAULT_POLL_COST_US,
            variant: PhantomData,
        }
    }

    /// Gives the interface back.
    pub fn release_interface(self) -> IF {
        self.iface
    }

    /// Whether the state bit `flag` is set.
    fn flag(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Sets or clears the state bit `flag`.
    fn set_flag(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }

    /// The channel this driver talks to.
    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The crystal or clock frequency on XTAL1 the driver computes baud rates from.
    pub fn crystal(&self) -> HertzU32 {
        self.crystal
    }

    /// How reads look for line errors (set by [`init`](Self::init) or [`set_receive_check`](Self::set_receive_check)).
    pub fn receive_check(&self) -> ReceiveCheck {
        self.receive_check
    }

    /// Chooses how reads look for line errors. Sends nothing.
    pub fn set_receive_check(&mut self, check: ReceiveCheck) {
        self.receive_check = check;
    }

    /// The largest baud-rate error [`set_baud_rate`](Self::set_baud_rate) accepts, in ppm (default 2 %).
    pub fn set_baud_tolerance(&mut self, tolerance_ppm: u32) {
        self.tolerance_ppm = tolerance_ppm;
    }

    /// Forgets the cache without touching the bus (after a hardware reset, or after the other channel's driver
    /// reset the chip); the next operation that needs a register reads it. FCR cannot be read: call
    /// [`init`](Self::init) or [`set_fifo`](Self::set_fifo) before [`reset_fifos`](Self::reset_fifos). Sleep
    /// mode that an interrupted divisor change turned off stays off (turn it on with `set_sleep`).
    pub fn invalidate_cache(&mut self) {
        self.cache = Cache::default();
        self.lcr_dirty = false;
        self.set_flag(POWER_ON_STATE, false);
        self.tx_room = 0;
    }

    /// Takes the chip to be in its power-on state, without touching the bus: the cache is filled with the
    /// datasheet's reset values (LCR 0x1D = 6E2, IER, FCR, MCR, EFR, EFCR, TLR, IODir and IOIntEna 0; the divisor
    /// has no reset value and stays unknown), so that no operation reads a register first, and the next
    /// [`init`](Self::init) writes only what differs from that state: 115200 8N1 is five writes (LCR = 0x80,
    /// DLL, DLH, LCR = 0x03, FCR) instead of thirteen.
    ///
    /// **Risk**: call it only right after the chip's power-on, or after a reset (RESET pin or
    /// [`software_reset`](Self::software_reset), which does this itself) that you know happened, before any
    /// other access. Otherwise the cache may disagree with the chip, and the driver then writes what it believes
    /// instead of what the chip needs (say, a divisor without the enhanced-functions gate it takes for granted).
    /// When in doubt, skip it: [`init`](Self::init) on a driver that assumed nothing programs every register.
    pub fn assume_power_on_state(&mut self) {
        self.cache = Cache::POWER_ON;
        self.lcr_dirty = false;
        self.flags = POWER_ON_STATE;
        // the FIFOs are off at power-on: the chip holds one character, not 64
        self.tx_room = 0;
    }

    /// The deadline of every wait ([`flush`](Self::flush), [`write_all`](Self::write_all), the `embedded-io`
    /// `read`/`write`, the IRQ-driven I/O of `Sc16is7xxIrq`): a wait that sees no progress for this long ends with
    /// [`Error::Timeout`]. Default 1 s. Time is counted in bus time: each poll is charged
    /// [`poll_cost`](Self::set_poll_cost) per transaction, so the wait ends after at most
    /// `timeout / poll_cost` polls (at least one).
    pub fn set_timeout(&mut self, timeout: fugit::MicrosDurationU32) {
        self.timeout_us = timeout.ticks();
    }

    /// The deadline of every wait (default 1 s).
    pub fn timeout(&self) -> fugit::MicrosDurationU32 {
        fugit::MicrosDurationU32::from_ticks(self.timeout_us)
    }

    /// The bus time charged against the deadline for each poll transaction (default 100 µs: a 1 + 1 byte
    /// write-read at 400 kHz I2C takes about 95 µs; at 100 kHz set 400 µs, on SPI at 4 MHz about 10 µs). A
    /// figure at least as long as your bus's makes the wait end no later than the deadline; 0 counts as 1 µs.
    pub fn set_poll_cost(&mut self, per_transaction: fugit::MicrosDurationU32) {
        self.poll_cost_us = per_transaction.ticks();
    }

    /// How many polls without progress a wait makes before [`Error::Timeout`]: `timeout / poll_cost`, at least 1.
    pub(crate) fn poll_budget(&self) -> u32 {
        self.timeout_us
            .checked_div(self.poll_cost_us)
            .unwrap_or(self.timeout_us)
            .max(1)
    }

    /// The FIFO configuration last written, if any.
    pub fn fifo(&self) -> Option<FifoConfig> {
        self.cache.fcr.map(FifoConfig::decode)
    }
}

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF, V: DualChannel> Sc16is7xx<IF, V> {
    /// The same driver on channel B of a dual part (give it its own bus handle: the channels are independent).
    pub fn on_channel_b(mut self) -> Self {
        self.channel = Channel::B;
        self.invalidate_cache();
        self
    }
}

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C, V: Variant> Sc16is7xx<I2cInterface<I2C>, V> {
    /// A driver for channel A of the chip at `address` on `i2c` (up to 400 kHz), clocked by `crystal`. Sends
    /// nothing.
    pub fn new_i2c(i2c: I2C, address: Address, crystal: HertzU32, variant: V) -> Self {
        Self::with_interface(I2cInterface { i2c, address }, crystal, variant)
    }

    /// Gives the bus back.
    pub fn release(self) -> I2C {
        self.iface.i2c
    }

    /// The bus, borrowed (say, the simulator, to look at it while the driver owns it).
    pub fn bus(&self) -> &I2C {
        &self.iface.i2c
    }

    /// The bus, borrowed mutably (say, the simulator, to feed it characters). What you change through it
    /// bypasses the driver's cache.
    pub fn bus_mut(&mut self) -> &mut I2C {
        &mut self.iface.i2c
    }
}

#[maybe_async_cfg::maybe(
    idents(Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI, V: Variant> Sc16is7xx<SpiInterface<SPI>, V> {
    /// A driver for channel A of the chip on `spi` (mode 0; up to 4 MHz, 15 MHz on the SC16IS760), clocked by
    /// `crystal`. Sends nothing.
    pub fn new_spi(spi: SPI, crystal: HertzU32, variant: V) -> Self {
        Self::with_interface(SpiInterface { spi }, crystal, variant)
    }

    /// Gives the SPI device back.
    pub fn release(self) -> SPI {
        self.iface.spi
    }

    /// The SPI device, borrowed (say, the simulator, to look at it while the driver owns it).
    pub fn bus(&self) -> &SPI {
        &self.iface.spi
    }

    /// The SPI device, borrowed mutably. What you change through it bypasses the driver's cache.
    pub fn bus_mut(&mut self) -> &mut SPI {
        &mut self.iface.spi
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync"),
        Interface(sync = "Interface", async = "AsyncInterface"),
        DelayNs(sync = "DelayNs", async = "AsyncDelayNs")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF: Interface, V: Variant> Sc16is7xx<IF, V> {
    // ---- bus helpers ------------------------------------------------------------------------------------

    fn sub(&self, register: u8) -> u8 {
        reg::subaddress(register, self.channel.bits())
    }

    async fn write_sub(&mut self, sub: u8, value: u8) -> Result<(), Error<IF::Error>> {
        self.iface.write_byte(sub, value).await.map_err(Error::Bus)
    }

    async fn read_sub(&mut self, sub: u8) -> Result<u8, Error<IF::Error>> {
        let mut value = [0];
        self.iface.read(sub, &mut value).await.map_err(Error::Bus)?;
        Ok(value[0])
    }

    // one call per register write, not the bus call's set-up at every site
    #[inline(never)]
    async fn write_reg(&mut self, register: u8, value: u8) -> Result<(), Error<IF::Error>> {
        self.write_sub(self.sub(register), value).await
    }

    async fn read_reg(&mut self, register: u8) -> Result<u8, Error<IF::Error>> {
        self.read_sub(self.sub(register)).await
    }

    /// Device-wide registers (GPIO, IOControl) are addressed through channel A.
    async fn write_device_reg(&mut self, register: u8, value: u8) -> Result<(), Error<IF::Error>> {
        self.write_sub(reg::subaddress(register, 0), value).await
    }

    async fn read_device_reg(&mut self, register: u8) -> Result<u8, Error<IF::Error>> {
        self.read_sub(reg::subaddress(register, 0)).await
    }

    // ---- LCR and the gated register sets ----------------------------------------------------------------

    /// The frame-format LCR, from the cache or the chip. A chip left with DLAB set keeps its format in LCR\[6:0\];
    /// one left with the 0xBF key has no format to recover ([`Error::NotConfigured`]: call `init`).
    async fn lcr(&mut self) -> Result<u8, Error<IF::Error>> {
        if let Some(lcr) = self.cache.lcr {
            return Ok(lcr);
        }
        let raw = self.read_reg(reg::LCR).await?;
        // 0xBF carries no format, and neither does 0x80 (the divisor key this driver uses)
        if raw == reg::LCR_ENHANCED || raw == reg::LCR_DIVISOR {
            self.lcr_dirty = true;
            return Err(Error::NotConfigured);
        }
        if raw & reg::lcr::DLAB != 0 {
            self.lcr_dirty = true;
        }
        let lcr = raw & !reg::lcr::DLAB;
        self.cache.lcr = Some(lcr);
        Ok(lcr)
    }

    /// Makes sure LCR holds the frame format (general register set) before a general-set access: on a cold
    /// cache one LCR read finds out (a chip left with DLAB set by an interrupted earlier firmware is put back).
    async fn general(&mut self) -> Result<(), Error<IF::Error>> {
        self.general_lcr().await?;
        if self.flag(RESUME_SLEEP) {
            self.finish_sleep().await?;
        }
        Ok(())
    }

    /// LCR back to the format, and nothing else (see [`general`](Self::general)).
    async fn general_lcr(&mut self) -> Result<(), Error<IF::Error>> {
        if self.cache.lcr.is_none() {
            self.lcr().await?;
        }
        if self.lcr_dirty {
            let lcr = self.lcr().await?;
            self.leave(lcr).await?;
        }
        Ok(())
    }

    /// Sleep mode back on after a divisor change (IER\[4\]).
    ///
    /// IER\[4\] is gated by EFR\[4\]: the divisor change that turned sleep off turned EFR\[4\] on first (or
    /// found it on), and nothing turns it off, so here the cache knows it on and IER is one write, without the
    /// enhanced-set sequence (about 180 bytes of flash). Were it not known on (the cache forgotten since),
    /// sleep stays off: the cache then still equals the chip, rather than holding a write the chip ignored.
    async fn finish_sleep(&mut self) -> Result<(), Error<IF::Error>> {
        let ier = self.ier().await?;
        if ier & reg::ier::SLEEP == 0 && matches!(self.cache.efr, Some(efr) if efr & reg::efr::ENHANCED != 0) {
            let ier = ier | reg::ier::SLEEP;
            self.cache.ier = None;
            self.write_reg(reg::IER, ier).await?;
            self.cache.ier = Some(ier);
        }
        self.set_flag(RESUME_SLEEP, false);
        Ok(())
    }

    /// Opens a gated register set; returns the format LCR to [`leave`](Self::leave) with.
    async fn enter(&mut self, set: Set) -> Result<u8, Error<IF::Error>> {
        let lcr = self.lcr().await?;
        // two keys that no format can collide with: `format | DLAB` is 0xBF for the format 0x3F
        let key = match set {
            Set::Special => reg::LCR_DIVISOR,
            Set::Enhanced => reg::LCR_ENHANCED,
        };
        self.lcr_dirty = true;
        self.write_reg(reg::LCR, key).await?;
        Ok(lcr)
    }

    async fn leave(&mut self, lcr: u8) -> Result<(), Error<IF::Error>> {
        self.write_reg(reg::LCR, lcr).await?;
        self.lcr_dirty = false;
        Ok(())
    }

    /// EFR with `clear` cleared and `set` set (LCR = 0xBF, EFR, LCR restored: 3 writes; 4 transactions when
    /// EFR is not cached yet). With `always` false, an unchanged EFR is not written.
    async fn update_efr(&mut self, clear: u8, set: u8, always: bool) -> Result<(), Error<IF::Error>> {
        let lcr = self.enter(Set::Enhanced).await?;
        let old = self.efr().await? & !reg::efr::NEVER_WRITE_BACK;
        let new = (old & !clear) | set;
        if always || new != old {
            self.write_efr(new).await?;
        }
        self.leave(lcr).await
    }

    /// Writes EFR (enhanced set open): the cached copy is unknown until the write succeeded.
    async fn write_efr(&mut self, efr: u8) -> Result<(), Error<IF::Error>> {
        self.cache.efr = None;
        self.write_reg(reg::EFR, efr).await?;
        self.cache.efr = Some(efr);
        Ok(())
    }

    /// EFR from the cache, or read (and cached); only with the enhanced set open.
    async fn efr(&mut self) -> Result<u8, Error<IF::Error>> {
        match self.cache.efr {
            Some(efr) => Ok(efr),
            None => {
                let efr = self.read_reg(reg::EFR).await?;
                self.cache.efr = Some(efr);
                Ok(efr)
            }
        }
    }

    /// EFR\[4\] on (the gate of IER\[7:4\], FCR\[5:4\], MCR\[7:5\], MCR\[2\]); nothing sent when the cache has it.
    async fn ensure_enhanced(&mut self) -> Result<(), Error<IF::Error>> {
        if matches!(self.cache.efr, Some(efr) if efr & reg::efr::ENHANCED != 0) {
            return Ok(());
        }
        self.update_efr(0, reg::efr::ENHANCED, false).await
    }

    // ---- cached general registers ----------------------------------------------------------------------

    async fn mcr(&mut self) -> Result<u8, Error<IF::Error>> {
        match self.cache.mcr {
            Some(mcr) => Ok(mcr),
            None => {
                let mcr = self.read_reg(reg::MCR).await?;
                self.cache.mcr = Some(mcr);
                Ok(mcr)
            }
        }
    }

    async fn write_mcr(&mut self, old: u8, new: u8) -> Result<(), Error<IF::Error>> {
        if (old ^ new) & reg::mcr::GATED != 0 {
            self.ensure_enhanced().await?;
        }
        self.put_mcr(new).await
    }

    /// Writes MCR: the cached copy is unknown until the write succeeded.
    async fn put_mcr(&mut self, mcr: u8) -> Result<(), Error<IF::Error>> {
        self.cache.mcr = None;
        self.write_reg(reg::MCR, mcr).await?;
        self.cache.mcr = Some(mcr);
        Ok(())
    }

    async fn update_mcr(&mut self, clear: u8, set: u8) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let old = self.mcr().await?;
        let new = ((old & !clear) | set) & !reg::mcr::NEVER_WRITE_BACK;
        self.write_mcr(old, new).await
    }

    async fn ier(&mut self) -> Result<u8, Error<IF::Error>> {
        match self.cache.ier {
            Some(ier) => Ok(ier),
            None => {
                let ier = self.read_reg(reg::IER).await?;
                self.cache.ier = Some(ier);
                Ok(ier)
            }
        }
    }

    async fn write_ier(&mut self, old: u8, new: u8) -> Result<(), Error<IF::Error>> {
        if (old ^ new) & reg::ier::GATED != 0 {
            self.ensure_enhanced().await?;
        }
        let new = new & !reg::ier::NEVER_WRITE_BACK;
        self.cache.ier = None;
        self.write_reg(reg::IER, new).await?;
        self.cache.ier = Some(new);
        Ok(())
    }

    async fn efcr(&mut self) -> Result<u8, Error<IF::Error>> {
        match self.cache.efcr {
            Some(efcr) => Ok(efcr),
            None => {
                let efcr = self.read_reg(reg::EFCR).await?;
                self.cache.efcr = Some(efcr);
                Ok(efcr)
            }
        }
    }

    async fn update_efcr(&mut self, clear: u8, set: u8) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let efcr = ((self.efcr().await? & !clear) | set) & !reg::efcr::NEVER_WRITE_BACK;
        self.cache.efcr = None;
        self.write_reg(reg::EFCR, efcr).await?;
        self.cache.efcr = Some(efcr);
        Ok(())
    }

    /// Writes TCR or TLR: MCR\[2\] on, the register, MCR\[2\] back off (so that 0x6/0x7 read MSR/SPR again).
    async fn write_overlay(&mut self, register: u8, value: u8) -> Result<(), Error<IF::Error>> {
        self.ensure_enhanced().await?;
        let mcr = self.mcr().await? & !reg::mcr::NEVER_WRITE_BACK;
        self.put_mcr(mcr | reg::mcr::TCR_TLR).await?;
        self.write_reg(register, value).await?;
        self.put_mcr(mcr).await
    }

    /// Makes sure 0x6/0x7 are MSR/SPR, not TCR/TLR (a failed overlay write, or an earlier firmware, can leave
    /// MCR\[2\] on).
    async fn plain_overlay(&mut self) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        // on a cold cache, one MCR read: an earlier firmware may have left MCR\[2\] on
        let mcr = self.mcr().await?;
        if mcr & reg::mcr::TCR_TLR != 0 {
            self.put_mcr(mcr & !reg::mcr::TCR_TLR).await?;
        }
        Ok(())
    }

    async fn read_level(&mut self, register: u8) -> Result<u8, Error<IF::Error>> {
        let level = self.read_reg(register).await?;
        if level > reg::FIFO_SIZE {
            return Err(Error::InvalidLevel(level));
        }
        Ok(level)
    }

    /// LSR, remembering an overrun for the next read to report.
    async fn read_lsr_tracked(&mut self) -> Result<u8, Error<IF::Error>> {
        let lsr = self.read_reg(reg::LSR).await?;
        if lsr & reg::lsr::OVERRUN != 0 {
            self.set_flag(PENDING_OVERRUN, true);
        }
        Ok(lsr)
    }

    // ---- set-up -----------------------------------------------------------------------------------------

    /// Programs the channel completely, whatever state it was left in: flow control off (EFR, with the
    /// enhanced functions on), interrupts off, TLR 0 (FCR's trigger levels count), the prescaler and divisor,
    /// the frame format, the FIFOs (enabled and both reset), RS-485, IrDA and TX/RX disable off (EFCR 0).
    /// Thirteen 1-byte writes; the cache then holds every register written.
    ///
    /// Right after [`assume_power_on_state`](Self::assume_power_on_state) (or a
    /// [`software_reset`](Self::software_reset)) it writes only what differs from the power-on state, in the
    /// same order: for 115200 8N1 at ÷1, LCR = 0x80, DLL, DLH, LCR = 0x03 and FCR, five writes, the minimum
    /// (the enhanced functions stay off until a setting needs them; a ÷4 prescaler or a TX trigger other than 8
    /// turns them on first, three writes more). Any later `init` programs everything again.
    ///
    /// Faults: every register `init` writes is unknown until the last write succeeded, and LCR is marked as
    /// holding a register-set key meanwhile, so after an error the next operation puts the format it knew back
    /// (or reads what LCR holds) first.
    ///
    /// The chip wakes with LCR = 0x1D (6 data bits, even parity, 2 stop bits): without `init` (or
    /// [`set_line_format`](Self::set_line_format)) it does not speak 8N1.
    pub async fn init(&mut self, config: &Config) -> Result<BaudRate, Error<IF::Error>> {
        let rate = BaudRate::compute(self.crystal, config.baud, config.tolerance_ppm)?;
        let format = config.format.encode()?;
        let fifo = config.fifo.encode();
        let prescaler = match rate.prescaler {
            crate::Prescaler::Div1 => 0,
            crate::Prescaler::Div4 => reg::mcr::PRESCALER_4,
        };
        let [dll, dlh] = rate.divisor.to_le_bytes();
        self.tolerance_ppm = config.tolerance_ppm;
        self.receive_check = config.receive_check;
        self.tx_room = 0;
        // a cache vouched for by the power-on state is the chip's; anything else is programmed from scratch
        let trusted = self.flag(POWER_ON_STATE) && !self.lcr_dirty;
        self.flags = 0;
        if !trusted {
            self.cache = Cache::default();
        }
        let c = self.cache;
        // the gated bits written below (IER[7:4], MCR[7] and MCR[2], FCR[5:4]) need EFR[4] first
        let gated = !trusted
            || differs(c.ier, 0, reg::ier::GATED)
            || differs(c.mcr, prescaler, reg::mcr::GATED)
            || differs(c.fcr, fifo, reg::fcr::GATED);
        // The writes, in order; every register they touch is unknown until the last one succeeded, and LCR is
        // marked as holding a key (the next operation writes the format it knew back) while a set is open.
        let mut steps = Steps::default();
        let efr_ok =
            matches!(c.efr, Some(efr) if efr & !reg::efr::ENHANCED == 0 && (!gated || efr & reg::efr::ENHANCED != 0));
        if !efr_ok {
            // flow control and special-character detection off, the enhanced functions on
            steps.push(reg::LCR, reg::LCR_ENHANCED);
            steps.push(reg::EFR, reg::efr::ENHANCED);
            steps.push(reg::LCR, format);
            self.cache.efr = None;
        }
        // IER before the divisor: sleep (IER[4]) must be off while it is written
        if c.ier != Some(0) {
            steps.push(reg::IER, 0);
            self.cache.ier = None;
        }
        if !trusted {
            // TLR 0, so that FCR's trigger levels count
            steps.push(reg::MCR, prescaler | reg::mcr::TCR_TLR);
            steps.push(reg::SPR_TLR, 0);
        }
        if !trusted || c.mcr != Some(prescaler) {
            steps.push(reg::MCR, prescaler);
            self.cache.mcr = None;
        }
        if c.divisor != Some(rate.divisor) {
            steps.push(reg::LCR, reg::LCR_DIVISOR);
            steps.push(reg::DLL, dll);
            steps.push(reg::DLH, dlh);
            steps.push(reg::LCR, format);
            self.cache.divisor = None;
        } else if c.lcr != Some(format) {
            steps.push(reg::LCR, format);
        }
        steps.push(reg::IIR_FCR, fifo | reg::fcr::RX_RESET | reg::fcr::TX_RESET);
        self.cache.fcr = None;
        if c.efcr != Some(0) {
            steps.push(reg::EFCR, 0);
            self.cache.efcr = None;
        }
        // LCR: the format written back by the next operation if this one stops part way (the old one, or, on a
        // cold cache, whatever the chip holds then)
        self.lcr_dirty = true;
        for &(register, value) in steps.get() {
            self.write_reg(register, value).await?;
        }
        self.lcr_dirty = false;
        self.cache = Cache {
            lcr: Some(format),
            ier: Some(0),
            fcr: Some(fifo),
            mcr: Some(prescaler),
            efr: Some(if efr_ok { c.efr.unwrap_or(0) } else { reg::efr::ENHANCED }),
            efcr: Some(0),
            divisor: Some(rate.divisor),
            ..c
        };
        // an empty TX FIFO: 64 spaces (one character with the FIFOs off, which the driver does not count on)
        if fifo & reg::fcr::FIFO_ENABLE != 0 {
            self.tx_room = reg::FIFO_SIZE;
        }
        Ok(rate)
    }

    /// Resets the whole chip (both channels of a dual part) through IOControl\[3\], waits 5 µs (the datasheet
    /// asks for 3 µs) and proves the reset by reading LCR back: only its reset value 0x1D makes it a success.
    /// Over I2C the chip does not acknowledge the data byte of the reset write, but a NACK proves nothing (a
    /// byte refused before the chip took it is a NACK too), so the read-back decides. Before the reset LCR is
    /// set to 0x03 (8N1: general set, not 0x1D) unless the driver knows it already holds another format, so that a
    /// chip that did not reset cannot read back 0x1D. Transactions: (LCR write), IOControl write, LCR read.
    ///
    /// The whole cache is forgotten before the reset write: after an error (or a future dropped anywhere in
    /// here) the next operation reads what it needs. An unconfirmed reset is [`Error::ResetFailed`] (or the
    /// reset write's bus error, when that write failed). A confirmed one leaves the driver as
    /// [`assume_power_on_state`](Self::assume_power_on_state) does, so the [`init`](Self::init) to call next
    /// writes only what differs from the reset state; call `invalidate_cache` on the other channel's driver.
    pub async fn software_reset<D: DelayNs>(&mut self, delay: &mut D) -> Result<(), Error<IF::Error>> {
        let format_known = !self.lcr_dirty && matches!(self.cache.lcr, Some(lcr) if lcr != reg::LCR_RESET);
        self.invalidate_cache();
        self.flags = 0;
        // IOControl is in the general set; a chip in an unknown state (even holding the 0xBF key) gets LCR
        // cleared of DLAB first, with a value the reset changes
        if !format_known {
            self.write_reg(reg::LCR, PRE_RESET_LCR).await?;
        }
        let sub = reg::subaddress(reg::IOCONTROL, 0);
        let written = match self.iface.write(sub, &[reg::iocontrol::SRESET]).await {
            Ok(()) => Ok(()),
            Err(e) => match IF::reset_nack(&e) {
                // a NACK of the data byte (or of a byte the bus cannot name): the read-back decides
                ResetNack::Data | ResetNack::Unknown => Err(e),
                ResetNack::NotANack => return Err(Error::Bus(e)),
            },
        };
        delay.delay_us(5).await;
        let lcr = self.read_reg(reg::LCR).await?;
        if lcr != reg::LCR_RESET {
            return Err(match written {
                Err(e) => Error::Bus(e),
                Ok(()) => Error::ResetFailed,
            });
        }
        self.assume_power_on_state();
        Ok(())
    }

    /// Proves a chip answers: writes 0xA5 to the scratch pad and reads it back (a 2-byte write and a 1 + 1
    /// write-read); anything else is [`Error::NoDevice`]. The chip has no ID register.
    pub async fn check_presence(&mut self) -> Result<(), Error<IF::Error>> {
        self.write_scratch(0xA5).await?;
        if self.read_scratch().await? == 0xA5 {
            Ok(())
        } else {
            Err(Error::NoDevice)
        }
    }

    /// Writes the scratch-pad register (SPR).
    pub async fn write_scratch(&mut self, value: u8) -> Result<(), Error<IF::Error>> {
        self.plain_overlay().await?;
        self.write_reg(reg::SPR_TLR, value).await
    }

    /// Reads the scratch-pad register (SPR).
    pub async fn read_scratch(&mut self) -> Result<u8, Error<IF::Error>> {
        self.plain_overlay().await?;
        self.read_reg(reg::SPR_TLR).await
    }

    /// Sets the baud rate: divisor and prescaler from the crystal (see [`BaudRate::compute`]); returns what the
    /// chip runs at. LCR = format | DLAB, DLL, DLH, LCR = format: four writes, plus the MCR prescaler write (and
    /// EFR\[4\] when not on yet) only when the prescaler changes, plus an IER write before and after when sleep
    /// mode is on (the divisor must not be written while it is).
    pub async fn set_baud_rate(&mut self, baud: HertzU32) -> Result<BaudRate, Error<IF::Error>> {
        let rate = BaudRate::compute(self.crystal, baud, self.tolerance_ppm)?;
        self.set_divisor(rate.divisor, rate.prescaler).await?;
        Ok(rate)
    }

    /// Sets a raw divisor (0 stops the baud clock) and prescaler.
    ///
    /// The divisor takes two writes (the chip does not auto-increment its sub-address): the cached divisor is
    /// unknown from before the DLL write until DLH is written, so after an error or a dropped future
    /// [`baud_rate`](Self::baud_rate) reads what the chip holds (possibly a mix of old and new). Sleep mode, if on,
    /// is turned off for the divisor write and on again afterwards; if the call ends in between, the next
    /// operation turns it back on.
    pub async fn set_divisor(&mut self, divisor: u16, prescaler: crate::Prescaler) -> Result<(), Error<IF::Error>> {
        self.general_lcr().await?;
        let mcr = self.mcr().await? & !reg::mcr::NEVER_WRITE_BACK;
        let wanted = match prescaler {
            crate::Prescaler::Div1 => mcr & !reg::mcr::PRESCALER_4,
            crate::Prescaler::Div4 => mcr | reg::mcr::PRESCALER_4,
        };
        if wanted != mcr {
            self.write_mcr(mcr, wanted).await?;
        }
        let ier = self.ier().await?;
        if ier & reg::ier::SLEEP != 0 {
            // the datasheet: no divisor write while sleep mode is on
            self.set_flag(RESUME_SLEEP, true);
            self.write_ier(ier, ier & !reg::ier::SLEEP).await?;
        }
        let [dll, dlh] = divisor.to_le_bytes();
        self.cache.divisor = None;
        let lcr = self.enter(Set::Special).await?;
        self.write_reg(reg::DLL, dll).await?;
        self.write_reg(reg::DLH, dlh).await?;
        self.cache.divisor = Some(divisor);
        self.leave(lcr).await?;
        if self.flag(RESUME_SLEEP) {
            self.finish_sleep().await?;
        }
        Ok(())
    }

    /// The divisor and prescaler the chip holds (cached, or read: LCR | DLAB, DLL, DLH, LCR), and the baud
    /// rate they give.
    pub async fn baud_rate(&mut self) -> Result<(u16, crate::Prescaler, HertzU32), Error<IF::Error>> {
        self.general().await?;
        let mcr = self.mcr().await?;
        let divisor = match self.cache.divisor {
            Some(divisor) => divisor,
            None => {
                let lcr = self.enter(Set::Special).await?;
                let dll = self.read_reg(reg::DLL).await?;
                let dlh = self.read_reg(reg::DLH).await?;
                self.leave(lcr).await?;
                let divisor = u16::from_le_bytes([dll, dlh]);
                self.cache.divisor = Some(divisor);
                divisor
            }
        };
        let prescaler = if mcr & reg::mcr::PRESCALER_4 != 0 {
            crate::Prescaler::Div4
        } else {
            crate::Prescaler::Div1
        };
        Ok((
            divisor,
            prescaler,
            BaudRate::from_divisor(self.crystal, divisor, prescaler),
        ))
    }

    /// Sets the frame format (LCR\[5:0\]: 5–8 data bits, parity none / odd / even / forced 1 / forced 0, 1, 1.5 or
    /// 2 stop bits); a break in progress stays. One write (plus an LCR read on a cold cache).
    pub async fn set_line_format(&mut self, format: LineFormat) -> Result<(), Error<IF::Error>> {
        let bits = format.encode()?;
        self.general().await?;
        let lcr = (self.lcr().await? & reg::lcr::BREAK) | bits;
        self.put_lcr(lcr).await
    }

    /// The frame format (from the cache, or LCR read).
    pub async fn line_format(&mut self) -> Result<LineFormat, Error<IF::Error>> {
        self.general().await?;
        Ok(LineFormat::decode(self.lcr().await?))
    }

    /// Holds TX low (a break) until called with `false` (LCR\[6\]). One write.
    pub async fn set_break(&mut self, on: bool) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let old = self.lcr().await?;
        let lcr = if on {
            old | reg::lcr::BREAK
        } else {
            old & !reg::lcr::BREAK
        };
        self.put_lcr(lcr).await
    }

    /// Writes the format LCR: the cached copy is unknown (read again next time) until the write succeeded.
    async fn put_lcr(&mut self, lcr: u8) -> Result<(), Error<IF::Error>> {
        let lcr = lcr & !reg::lcr::NEVER_WRITE_BACK;
        self.cache.lcr = None;
        self.write_reg(reg::LCR, lcr).await?;
        self.cache.lcr = Some(lcr);
        Ok(())
    }

    // ---- FIFOs ------------------------------------------------------------------------------------------

    /// Writes FCR: FIFOs on or off and the coarse trigger levels. One write (plus EFR\[4\] first for a TX trigger
    /// other than 8, which FCR\[5:4\] only takes with the enhanced functions on). FCR cannot be read back: after
    /// an error the driver no longer knows it, and [`reset_fifos`](Self::reset_fifos) answers
    /// [`Error::NotConfigured`] until `set_fifo` (or `init`) succeeds.
    pub async fn set_fifo(&mut self, fifo: FifoConfig) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let fcr = fifo.encode();
        let gated_before = self.cache.fcr.map_or(true, |old| old & reg::fcr::GATED != 0);
        if fcr & reg::fcr::GATED != 0 || gated_before {
            self.ensure_enhanced().await?;
        }
        let fcr = fcr & !reg::fcr::NEVER_WRITE_BACK;
        // FCR is write-only: after a failed write it stays unknown until set_fifo or init
        self.cache.fcr = None;
        // FIFOs turned off hold one character: the room known so far no longer counts
        self.tx_room = 0;
        self.write_reg(reg::IIR_FCR, fcr).await?;
        self.cache.fcr = Some(fcr);
        Ok(())
    }

    /// Empties the RX and/or TX FIFO (FCR\[1\]/\[2\], self-clearing; the character in the TX shift register still
    /// goes out). One write; the FIFO settings come from the cache (FCR is write-only), so
    /// [`Error::NotConfigured`] before `init`, `set_fifo` or `assume_power_on_state`. The chip needs two XTAL1 periods before the
    /// FIFOs are used again, less than the next bus transaction takes.
    pub async fn reset_fifos(&mut self, rx: bool, tx: bool) -> Result<(), Error<IF::Error>> {
        let fcr = self.cache.fcr.ok_or(Error::NotConfigured)?;
        self.general().await?;
        let mut resets = 0;
        if rx {
            resets |= reg::fcr::RX_RESET;
        }
        if tx {
            resets |= reg::fcr::TX_RESET;
        }
        self.write_reg(reg::IIR_FCR, (fcr & !reg::fcr::NEVER_WRITE_BACK) | resets)
            .await?;
        if tx && fcr & reg::fcr::FIFO_ENABLE != 0 {
            self.tx_room = reg::FIFO_SIZE;
        }
        Ok(())
    }

    /// Sets the fine trigger levels (TLR, steps of 4; 0 = FCR's level for that direction); returns the levels
    /// applied. MCR\[2\] on, TLR, MCR\[2\] off: three writes. With a non-zero RX level, leave FCR's RX trigger at 8.
    pub async fn set_trigger_levels(&mut self, levels: TriggerLevels) -> Result<TriggerLevels, Error<IF::Error>> {
        let (tlr, applied) = levels.encode()?;
        self.general().await?;
        // TLR is no longer known to be 0
        self.set_flag(POWER_ON_STATE, false);
        self.write_overlay(reg::SPR_TLR, tlr).await?;
        Ok(applied)
    }

    /// Characters waiting in the RX FIFO (RXLVL, one 1 + 1 write-read); above 64 is [`Error::InvalidLevel`].
    pub async fn rx_level(&mut self) -> Result<u8, Error<IF::Error>> {
        self.general().await?;
        self.read_level(reg::RXLVL).await
    }

    /// Free spaces in the TX FIFO (TXLVL, one 1 + 1 write-read); above 64 is [`Error::InvalidLevel`].
    pub async fn tx_space(&mut self) -> Result<u8, Error<IF::Error>> {
        self.general().await?;
        self.read_level(reg::TXLVL).await
    }

    // ---- data -------------------------------------------------------------------------------------------

    /// Writes as many bytes of `data` as the TX FIFO has room for, without waiting: one TXLVL read, then one
    /// burst write of up to 64 bytes into THR. Returns how many were taken (0 when the FIFO is full: then
    /// nothing is written, never a zero-length THR write).
    ///
    /// On an error the burst may have been taken in part (a bus error cannot say which byte it struck), or not
    /// at all when the TXLVL read failed. Async: not cancel-safe, a future dropped after the burst reached the
    /// chip has sent bytes without telling you how many; put a timeout on the wait for room (IRQ, `tx_space`),
    /// not on this call.
    pub async fn try_write(&mut self, data: &[u8]) -> Result<usize, Error<IF::Error>> {
        if data.is_empty() {
            return Ok(0);
        }
        self.general().await?;
        let space = self.read_level(reg::TXLVL).await?;
        self.burst_write(data, space).await
    }

    /// One burst of up to `space` bytes of `data` into THR (none when `space` is 0); `tx_room` is unknown until
    /// the burst succeeded, then `space` minus the burst.
    async fn burst_write(&mut self, data: &[u8], space: u8) -> Result<usize, Error<IF::Error>> {
        let count = space
            .min(u8::try_from(data.len()).unwrap_or(u8::MAX))
            .min(reg::FIFO_SIZE);
        let Some(chunk) = data.get(..usize::from(count)).filter(|chunk| !chunk.is_empty()) else {
            return Ok(0);
        };
        self.tx_room = 0;
        let sub = self.sub(reg::RHR_THR);
        self.iface.write(sub, chunk).await.map_err(Error::Bus)?;
        self.tx_room = space.saturating_sub(count);
        Ok(chunk.len())
    }

    /// Reads the bytes waiting in the RX FIFO into `buffer`, without waiting; returns how many (0 = none).
    ///
    /// It reads RXLVL first: an empty FIFO costs that one read. With [`ReceiveCheck::LineStatus`] (the
    /// default) it then reads LSR and bursts exactly the characters RXLVL counted, all of which were in the FIFO
    /// when LSR vouched for them (a character arriving in between waits for the next read). A character with a
    /// parity or framing error, or a break, is taken out and returned as [`Error::Line`], and the good
    /// characters before it come first (read one by one, with LSR between, only while LSR\[7\] says an error
    /// waits in the FIFO). An overrun is reported as [`LineError::Overrun`] once the FIFO has been drained. With
    /// [`ReceiveCheck::Unchecked`]: RXLVL and the burst only.
    ///
    /// On an error after the burst reached the chip, the bytes it took out of the FIFO are lost (the error tells
    /// you so). Async: not cancel-safe for the same reason, a future dropped after the burst loses those bytes;
    /// wait for data (IRQ, `rx_level`) under your timeout, then call this without one.
    pub async fn try_read(&mut self, buffer: &mut [u8]) -> Result<usize, Error<IF::Error>> {
        if buffer.is_empty() {
            return Ok(0);
        }
        self.general().await?;
        let level = usize::from(self.read_level(reg::RXLVL).await?).min(buffer.len());
        let count = if level == 0 {
            0
        } else {
            match self.receive_check {
                ReceiveCheck::Unchecked => self.burst(buffer, level).await?,
                ReceiveCheck::LineStatus => {
                    let lsr = self.read_lsr_tracked().await?;
                    if lsr & reg::lsr::CHAR_ERRORS != 0 {
                        return Err(self.take_bad_character(lsr).await);
                    } else if lsr & reg::lsr::FIFO_ERROR != 0 {
                        self.read_until_error(buffer, level).await?
                    } else {
                        self.burst(buffer, level).await?
                    }
                }
            }
        };
        if count == 0 && self.flag(PENDING_OVERRUN) {
            self.set_flag(PENDING_OVERRUN, false);
            return Err(Error::Line(LineError::Overrun));
        }
        Ok(count)
    }

    /// One burst read of `count` characters into the start of `buffer`.
    async fn burst(&mut self, buffer: &mut [u8], count: usize) -> Result<usize, Error<IF::Error>> {
        let part = buffer.get_mut(..count).unwrap_or(&mut []);
        if part.is_empty() {
            return Ok(0);
        }
        let sub = self.sub(reg::RHR_THR);
        self.iface.read(sub, part).await.map_err(Error::Bus)?;
        Ok(part.len())
    }

    /// Takes the character LSR flags as bad out of the FIFO and makes the error.
    async fn take_bad_character(&mut self, lsr: u8) -> Error<IF::Error> {
        match self.read_reg(reg::RHR_THR).await {
            Ok(byte) => Error::Line(LineError::from_lsr(lsr, byte).unwrap_or(LineError::Framing(byte))),
            Err(e) => e,
        }
    }

    /// Good characters one at a time (at most `level`, which RXLVL counted) while LSR\[7\] says a bad one waits
    /// further down; stops before the bad one (the next read reports it), or bursts the rest of the counted
    /// characters once LSR says the FIFO is clean.
    async fn read_until_error(&mut self, buffer: &mut [u8], level: usize) -> Result<usize, Error<IF::Error>> {
        let mut count: usize = 0;
        while count < level {
            let Some(slot) = buffer.get_mut(count) else { break };
            *slot = self.read_reg(reg::RHR_THR).await?;
            count = count.saturating_add(1);
            if count >= level {
                break;
            }
            let lsr = self.read_lsr_tracked().await?;
            if lsr & reg::lsr::DATA_READY == 0 || lsr & reg::lsr::CHAR_ERRORS != 0 {
                break;
            }
            if lsr & reg::lsr::FIFO_ERROR == 0 {
                let rest = buffer.get_mut(count..).unwrap_or(&mut []);
                let more = self.burst(rest, level.saturating_sub(count)).await?;
                count = count.saturating_add(more);
                break;
            }
        }
        Ok(count)
    }

    /// Reads LSR (one 1 + 1 write-read). Reading clears the overrun flag: an overrun seen here is yours, the
    /// driver does not report it again.
    pub async fn line_status(&mut self) -> Result<LineStatus, Error<IF::Error>> {
        self.general().await?;
        Ok(LineStatus(self.read_reg(reg::LSR).await?))
    }

    /// Whether the transmitter is idle: FIFO and shift register empty (LSR\[6\]), i.e. the last byte is out.
    pub async fn transmitter_idle(&mut self) -> Result<bool, Error<IF::Error>> {
        self.general().await?;
        Ok(self.read_lsr_tracked().await? & reg::lsr::TX_EMPTY != 0)
    }

    /// Whether EFCR\[2\] holds the transmitter (cached; read once on a cold cache).
    pub(crate) async fn transmitter_disabled(&mut self) -> Result<bool, Error<IF::Error>> {
        self.general().await?;
        Ok(self.efcr().await? & reg::efcr::TX_DISABLE != 0)
    }

    /// Waits until the last byte has left the shift register (LSR\[6\], not just an empty FIFO), polling LSR.
    ///
    /// Bounded: [`Error::Timeout`] after [`timeout`](Self::set_timeout) (each LSR poll charged
    /// [`poll_cost`](Self::set_poll_cost)), e.g. while auto-CTS or a received Xoff holds the transmitter. With
    /// the transmitter disabled (EFCR\[2\]) one LSR read decides: idle is `Ok`, anything waiting is
    /// [`Error::TransmitterDisabled`] at once.
    pub async fn flush(&mut self) -> Result<(), Error<IF::Error>> {
        if self.transmitter_disabled().await? {
            return if self.transmitter_idle().await? {
                Ok(())
            } else {
                Err(Error::TransmitterDisabled)
            };
        }
        for _ in 0..self.poll_budget() {
            if self.transmitter_idle().await? {
                return Ok(());
            }
        }
        Err(Error::Timeout)
    }

    /// Writes all of `data`, waiting for room (polling TXLVL). The room the driver knows of (after a TX FIFO reset,
    /// or what a TXLVL read found minus what went since) is spent first without a read: `write_all` right after
    /// `init` is one burst. On error an unknown number of bytes went out:
    /// use [`write_all_counted`](Self::write_all_counted) to know how many. [`Error::TransmitterDisabled`] at
    /// once (nothing written) with the transmitter disabled; [`Error::Timeout`] when the FIFO takes no byte for
    /// the [`timeout`](Self::set_timeout).
    pub async fn write_all(&mut self, data: &[u8]) -> Result<(), Error<IF::Error>> {
        self.write_all_counted(data).await.map_err(|(_, e)| e)
    }

    /// [`write_all`](Self::write_all) that says, on error, how many bytes of `data` the chip took for sure: the
    /// error comes with that count, and the bytes after it are not on the chip, except for the burst that
    /// failed (up to 64 bytes, which the chip may have taken in part: a bus error in a THR burst cannot say
    /// where it struck). Bytes go out in order and never twice.
    pub async fn write_all_counted(&mut self, data: &[u8]) -> Result<(), (usize, Error<IF::Error>)> {
        if data.is_empty() {
            return Ok(());
        }
        if self.transmitter_disabled().await.map_err(|e| (0, e))? {
            return Err((0, Error::TransmitterDisabled));
        }
        let mut written: usize = 0;
        let mut idle: u32 = 0;
        while let Some(rest) = data.get(written..).filter(|rest| !rest.is_empty()) {
            // room known for the whole next burst (after a TX FIFO reset, say): no TXLVL read
            let count = if usize::from(self.tx_room) >= rest.len().min(MAX_DATA) {
                let room = self.tx_room;
                self.general().await.map_err(|e| (written, e))?;
                self.burst_write(rest, room).await
            } else {
                self.try_write(rest).await
            }
            .map_err(|e| (written, e))?;
            if count == 0 {
                idle = idle.saturating_add(1);
                if idle >= self.poll_budget() {
                    return Err((written, Error::Timeout));
                }
            } else {
                idle = 0;
                written = written.saturating_add(count);
            }
        }
        Ok(())
    }

    /// Waits until at least one byte was written (the `embedded-io` `write`), bounded like `write_all`.
    pub(crate) async fn write_some(&mut self, data: &[u8]) -> Result<usize, Error<IF::Error>> {
        if data.is_empty() {
            return Ok(0);
        }
        for _ in 0..self.poll_budget() {
            let count = self.try_write(data).await?;
            if count > 0 {
                return Ok(count);
            }
            if self.transmitter_disabled().await? {
                return Err(Error::TransmitterDisabled);
            }
        }
        Err(Error::Timeout)
    }

    /// Waits until at least one byte was read (the `embedded-io` `read`), bounded by the
    /// [`timeout`](Self::set_timeout).
    pub(crate) async fn read_some(&mut self, buffer: &mut [u8]) -> Result<usize, Error<IF::Error>> {
        if buffer.is_empty() {
            return Ok(0);
        }
        for _ in 0..self.poll_budget() {
            let count = self.try_read(buffer).await?;
            if count > 0 {
                return Ok(count);
            }
        }
        Err(Error::Timeout)
    }

    /// The driver's belief, register by register (`None`: unknown, read next time), for tests against the sim.
    #[doc(hidden)]
    #[cfg(feature = "sim")]
    pub fn cached_registers(&self) -> [(crate::sim::Reg, Option<u8>); 10] {
        use crate::sim::Reg;
        let c = &self.cache;
        let [dll, dlh] = match c.divisor {
            Some(d) => d.to_le_bytes().map(Some),
            None => [None, None],
        };
        [
            (Reg::Lcr, if self.lcr_dirty { None } else { c.lcr }),
            (Reg::Ier, c.ier),
            (Reg::Fcr, c.fcr),
            (Reg::Mcr, c.mcr),
            (Reg::Efr, c.efr),
            (Reg::Efcr, c.efcr),
            (Reg::Dll, dll),
            (Reg::Dlh, dlh),
            (Reg::IoDir, c.iodir),
            (Reg::IoIntEna, c.iointena),
        ]
    }

    /// The GPIO latch bits the driver knows, and their values, for tests against the sim.
    #[doc(hidden)]
    #[cfg(feature = "sim")]
    pub fn cached_latch(&self) -> (u8, u8) {
        (self.cache.latch_known, self.cache.latch & self.cache.latch_known)
    }

    // ---- interrupts -------------------------------------------------------------------------------------

    /// Enables exactly these interrupts (IER; the sleep bit stays as it is). The IRQ pin is open-drain, active
    /// low, shared by both channels of a dual part. One write (plus EFR\[4\] for Xoff, RTS or CTS).
    pub async fn set_interrupts(&mut self, interrupts: Interrupts) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let old = self.ier().await?;
        // only the defined interrupts: one made with `from_bits_retain` may carry bit 4, which is sleep mode
        let new = (old & reg::ier::SLEEP) | interrupts.intersection(Interrupts::all()).bits();
        self.write_ier(old, new).await
    }

    /// The enabled interrupts (cached, or IER read).
    pub async fn interrupts(&mut self) -> Result<Interrupts, Error<IF::Error>> {
        self.general().await?;
        Ok(Interrupts::from_bits_truncate(self.ier().await?))
    }

    /// Reads IIR: the highest-priority pending interrupt, or `None` (one 1 + 1 write-read). Reading IIR clears a
    /// TX-ready interrupt. Two sources are serviced here, so that IRQ can go high again:
    /// - [`InterruptSource::LineStatus`]: LSR is read (that clears it); an overrun is remembered and reported by
    ///   the read that drains the FIFO, a bad character stays flagged for the next read to report.
    /// - [`InterruptSource::RxTimeout`] with an empty RX FIFO is the chip's erratum (the interrupt stays until RHR
    ///   is read): RXLVL and LSR are read and, if LSR still shows no data, RHR once (the character it returns is
    ///   no character). A character landing between the LSR and RHR reads would be lost; the window is one
    ///   transaction.
    pub async fn pending_interrupt(&mut self) -> Result<Option<InterruptSource>, Error<IF::Error>> {
        self.general().await?;
        let source = InterruptSource::decode(self.read_reg(reg::IIR_FCR).await?);
        if source == Some(InterruptSource::LineStatus) {
            self.read_lsr_tracked().await?;
        }
        if source == Some(InterruptSource::RxTimeout)
            && self.read_level(reg::RXLVL).await? == 0
            && self.read_lsr_tracked().await? & reg::lsr::DATA_READY == 0
        {
            self.read_reg(reg::RHR_THR).await?;
        }
        Ok(source)
    }

    /// Sleep mode (IER\[4\], with the enhanced functions on): the chip sleeps once both FIFOs are empty and the
    /// line idle, and wakes on RX activity or any register access. One write.
    pub async fn set_sleep(&mut self, on: bool) -> Result<(), Error<IF::Error>> {
        self.set_flag(RESUME_SLEEP, false);
        self.general().await?;
        let old = self.ier().await?;
        let new = if on {
            old | reg::ier::SLEEP
        } else {
            old & !reg::ier::SLEEP
        };
        self.write_ier(old, new).await
    }

    // ---- modem lines, loopback --------------------------------------------------------------------------

    /// Reads MSR: CTS (and DSR, RI, CD on GPIO parts with the modem pins on) and what changed.
    pub async fn modem_status(&mut self) -> Result<ModemStatus, Error<IF::Error>> {
        self.plain_overlay().await?;
        Ok(ModemStatus(self.read_reg(reg::MSR_TCR).await?))
    }

    /// Drives RTS active (low) or inactive (MCR\[1\]); auto-RTS and RS-485 direction override it. One write.
    pub async fn set_rts(&mut self, active: bool) -> Result<(), Error<IF::Error>> {
        let (clear, set) = if active { (0, reg::mcr::RTS) } else { (reg::mcr::RTS, 0) };
        self.update_mcr(clear, set).await
    }

    /// Drives DTR active (low) or inactive (MCR\[0\]; GPIO5 on GPIO parts with the modem pins on). One write.
    pub async fn set_dtr(&mut self, active: bool) -> Result<(), Error<IF::Error>> {
        let (clear, set) = if active { (0, reg::mcr::DTR) } else { (reg::mcr::DTR, 0) };
        self.update_mcr(clear, set).await
    }

    /// Local loopback (MCR\[4\]): TX goes to RX inside the chip, RTS/DTR to CTS/DSR. One write.
    pub async fn set_loopback(&mut self, on: bool) -> Result<(), Error<IF::Error>> {
        let (clear, set) = if on {
            (0, reg::mcr::LOOPBACK)
        } else {
            (reg::mcr::LOOPBACK, 0)
        };
        self.update_mcr(clear, set).await
    }

    /// Turns the transmitter off (EFCR\[2\]: characters stay in the FIFO) or on. One write.
    pub async fn set_transmitter_enabled(&mut self, enabled: bool) -> Result<(), Error<IF::Error>> {
        let (clear, set) = if enabled {
            (reg::efcr::TX_DISABLE, 0)
        } else {
            (0, reg::efcr::TX_DISABLE)
        };
        self.update_efcr(clear, set).await
    }

    /// Turns the receiver off (EFCR\[1\]: incoming characters are dropped) or on. One write.
    pub async fn set_receiver_enabled(&mut self, enabled: bool) -> Result<(), Error<IF::Error>> {
        let (clear, set) = if enabled {
            (reg::efcr::RX_DISABLE, 0)
        } else {
            (0, reg::efcr::RX_DISABLE)
        };
        self.update_efcr(clear, set).await
    }

    // ---- flow control, RS-485, IrDA ---------------------------------------------------------------------

    /// Auto-RTS / auto-CTS (EFR\[7:6\]); with auto-RTS the TCR halt/resume levels are programmed first (MCR\[2\]
    /// on, TCR, MCR\[2\] off), then EFR (LCR = 0xBF, EFR, LCR restored). Returns the levels applied.
    pub async fn set_hardware_flow_control(
        &mut self,
        flow: HardwareFlowControl,
    ) -> Result<FlowLevels, Error<IF::Error>> {
        let (tcr, applied) = flow.levels.encode()?;
        self.general().await?;
        if flow.auto_rts {
            self.write_overlay(reg::MSR_TCR, tcr).await?;
        }
        let mut bits = reg::efr::ENHANCED;
        if flow.auto_rts {
            bits |= reg::efr::AUTO_RTS;
        }
        if flow.auto_cts {
            bits |= reg::efr::AUTO_CTS;
        }
        self.update_efr(reg::efr::AUTO_RTS | reg::efr::AUTO_CTS, bits, true)
            .await?;
        Ok(applied)
    }

    /// Xon/Xoff flow control, in the datasheet's order: software flow off and the four characters written
    /// (LCR = 0xBF), the TCR levels, Xon Any (MCR\[5\]), then EFR\[3:0\]. Returns the levels applied.
    pub async fn set_software_flow_control(
        &mut self,
        flow: &SoftwareFlowControl,
    ) -> Result<FlowLevels, Error<IF::Error>> {
        let (tcr, applied) = flow.levels.encode()?;
        self.general().await?;
        let lcr = self.enter(Set::Enhanced).await?;
        let old = self.efr().await?;
        let quiet = (old & !reg::efr::SOFTWARE_FLOW & !reg::efr::NEVER_WRITE_BACK) | reg::efr::ENHANCED;
        self.write_efr(quiet).await?;
        self.write_reg(reg::XON1, flow.xon1).await?;
        self.write_reg(reg::XON2, flow.xon2).await?;
        self.write_reg(reg::XOFF1, flow.xoff1).await?;
        self.write_reg(reg::XOFF2, flow.xoff2).await?;
        self.leave(lcr).await?;
        self.write_overlay(reg::MSR_TCR, tcr).await?;
        let mcr = self.mcr().await?;
        let xon_any = if flow.xon_any {
            mcr | reg::mcr::XON_ANY
        } else {
            mcr & !reg::mcr::XON_ANY
        };
        if xon_any != mcr {
            self.write_mcr(mcr, xon_any).await?;
        }
        self.update_efr(reg::efr::SOFTWARE_FLOW, flow.efr_bits(), true).await?;
        Ok(applied)
    }

    /// Special-character detection (EFR\[5\]): a received `character` (written to XOFF2) raises the Xoff
    /// interrupt and is stored in the FIFO; `None` turns it off. One enhanced-set session: LCR = 0xBF, XOFF2,
    /// EFR, LCR restored.
    pub async fn set_special_character(&mut self, character: Option<u8>) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let c = match character {
            Some(c) => c,
            None => return self.update_efr(reg::efr::SPECIAL_CHAR, 0, true).await,
        };
        let lcr = self.enter(Set::Enhanced).await?;
        self.write_reg(reg::XOFF2, c).await?;
        let old = self.efr().await?;
        let efr = (old & !reg::efr::NEVER_WRITE_BACK) | reg::efr::SPECIAL_CHAR | reg::efr::ENHANCED;
        self.write_efr(efr).await?;
        self.leave(lcr).await
    }

    /// RS-485: automatic direction on RTS and its polarity, 9-bit multidrop, and automatic address detection
    /// (the address in XOFF2 with special-character detection). EFCR is one write; an address adds the
    /// special-character sequence. The other EFCR bits (TX/RX disable, IrDA pulse) stay.
    pub async fn set_rs485(&mut self, rs485: Rs485) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        if let Some(address) = rs485.address {
            self.set_special_character(Some(address)).await?;
        } else if !matches!(self.cache.efr, Some(efr) if efr & reg::efr::SPECIAL_CHAR == 0) {
            // an unknown EFR (a failed or dropped earlier call) may hold it: find out
            self.set_special_character(None).await?;
        }
        let mut set = 0;
        if rs485.auto_direction {
            set |= reg::efcr::AUTO_RS485;
        }
        if rs485.invert_rts {
            set |= reg::efcr::RTS_INVERT;
        }
        if rs485.multidrop {
            set |= reg::efcr::MULTIDROP;
        }
        self.update_efcr(
            reg::efcr::AUTO_RS485 | reg::efcr::RTS_INVERT | reg::efcr::MULTIDROP,
            set,
        )
        .await
    }

    /// IrDA (MCR\[6\]) and its pulse width (EFCR\[7\]); [`IrdaMode::Fast`] is refused (no traffic) on the
    /// SC16IS740, SC16IS750 and SC16IS752, which only do 115.2 kbit/s.
    pub async fn set_irda(&mut self, mode: IrdaMode) -> Result<(), Error<IF::Error>> {
        if mode == IrdaMode::Fast && !V::IRDA_FAST {
            return Err(ArgumentError::IrdaFast.into());
        }
        let fast = if mode == IrdaMode::Fast {
            reg::efcr::IRDA_FAST
        } else {
            0
        };
        self.update_efcr(reg::efcr::IRDA_FAST, fast).await?;
        let (clear, set) = if mode == IrdaMode::Off {
            (reg::mcr::IRDA, 0)
        } else {
            (0, reg::mcr::IRDA)
        };
        self.update_mcr(clear, set).await
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Sc16is7xx(sync = "Sc16is7xx", async = "Sc16is7xxAsync"),
        Interface(sync = "Interface", async = "AsyncInterface")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF: Interface, V: HasGpio> Sc16is7xx<IF, V> {
    /// Sets which GPIOs are outputs (IODir, bit n = 1: output). One write. Set the output levels with
    /// [`set_gpio_outputs`](Self::set_gpio_outputs) *after* this: the latch only drives pins that are outputs.
    pub async fn set_gpio_direction(&mut self, outputs: u8) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        self.cache.iodir = None;
        self.write_device_reg(reg::IODIR, outputs).await?;
        self.cache.iodir = Some(outputs);
        Ok(())
    }

    /// The GPIO directions (cached, or IODir read).
    pub async fn gpio_direction(&mut self) -> Result<u8, Error<IF::Error>> {
        self.general().await?;
        match self.cache.iodir {
            Some(iodir) => Ok(iodir),
            None => {
                let iodir = self.read_device_reg(reg::IODIR).await?;
                self.cache.iodir = Some(iodir);
                Ok(iodir)
            }
        }
    }

    /// Sets the levels of the output pins (IOState write; input pins ignore their bit: the chip keeps their old
    /// latch, and so does the driver's copy). One write (plus an IODir read on a cold cache).
    pub async fn set_gpio_outputs(&mut self, levels: u8) -> Result<(), Error<IF::Error>> {
        let iodir = self.gpio_direction().await?;
        self.write_latch(iodir, levels).await
    }

    /// Writes IOState; the latch bits of the outputs are unknown until the write succeeded, then `levels`.
    async fn write_latch(&mut self, iodir: u8, levels: u8) -> Result<(), Error<IF::Error>> {
        self.cache.latch_known &= !iodir;
        self.write_device_reg(reg::IOSTATE, levels).await?;
        self.cache.latch = (self.cache.latch & !iodir) | (levels & iodir);
        self.cache.latch_known |= iodir;
        Ok(())
    }

    /// The latch with the bits of `need` (outputs) known: from the cache, or IOControl and IOState read once for
    /// the outputs whose latch the driver does not know (a GPIO output drives its latch; a modem pin does not).
    async fn output_latch(&mut self, iodir: u8, need: u8) -> Result<u8, Error<IF::Error>> {
        if need & iodir & !self.cache.latch_known != 0 {
            // a modem pin (IOControl[2:1]) reads its modem line, not the latch: IOControl says which they are
            let iocontrol = self.read_device_reg(reg::IOCONTROL).await?;
            let mut modem = 0;
            if iocontrol & reg::iocontrol::MODEM_A != 0 {
                modem |= 0xF0;
            }
            if iocontrol & reg::iocontrol::MODEM_B != 0 {
                modem |= 0x0F;
            }
            let trusted = iodir & !modem;
            let levels = self.read_device_reg(reg::IOSTATE).await?;
            self.cache.latch = (self.cache.latch & !trusted) | (levels & trusted);
            self.cache.latch_known |= trusted;
        }
        Ok(self.cache.latch)
    }

    /// Sets one output pin from the cached latch: one write, no read of the pins (plus, on a cold cache, an
    /// IODir and an IOState read). On an input pin the chip ignores the level (make it an output first).
    pub async fn set_gpio_pin(&mut self, pin: GpioPin, high: bool) -> Result<(), Error<IF::Error>> {
        let iodir = self.gpio_direction().await?;
        // the other outputs keep their level; the bits of inputs do not matter to the chip
        let latch = self.output_latch(iodir, iodir & !pin.mask()).await?;
        let levels = if high { latch | pin.mask() } else { latch & !pin.mask() };
        self.write_latch(iodir, levels).await
    }

    /// The output latch: bit n is the level output n drives (from the cache; on a cold cache IOState is read
    /// for the outputs). The bit of an input pin is its latch as last written while it was an output, 0 when
    /// the driver never saw one (the chip cannot report it).
    pub async fn gpio_output_latch(&mut self) -> Result<u8, Error<IF::Error>> {
        let iodir = self.gpio_direction().await?;
        let latch = self.output_latch(iodir, iodir).await?;
        Ok(latch & self.cache.latch_known)
    }

    /// Reads the levels of all 8 pins (IOState; clears the GPIO interrupt). One 1 + 1 write-read.
    pub async fn gpio_levels(&mut self) -> Result<u8, Error<IF::Error>> {
        self.general().await?;
        self.read_device_reg(reg::IOSTATE).await
    }

    /// Makes `pin` an output driving `high`, direction first, then the level (the chip only drives a latch
    /// level on a pin that is already an output). Two writes.
    pub async fn configure_gpio_output(&mut self, pin: GpioPin, high: bool) -> Result<(), Error<IF::Error>> {
        let iodir = self.gpio_direction().await? | pin.mask();
        self.set_gpio_direction(iodir).await?;
        self.set_gpio_pin(pin, high).await
    }

    /// Makes `pin` an input (there are no pull-ups on these pins). One write.
    pub async fn configure_gpio_input(&mut self, pin: GpioPin) -> Result<(), Error<IF::Error>> {
        let iodir = self.gpio_direction().await? & !pin.mask();
        self.set_gpio_direction(iodir).await
    }

    /// Which input pins raise the interrupt on a change (IOIntEna). One write.
    pub async fn set_gpio_interrupts(&mut self, pins: u8) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        self.cache.iointena = None;
        self.write_device_reg(reg::IOINTENA, pins).await?;
        self.cache.iointena = Some(pins);
        Ok(())
    }

    /// Turns the change interrupt of one input pin on or off, from the cached IOIntEna (read once on a cold
    /// cache). One write.
    pub async fn set_gpio_interrupt(&mut self, pin: GpioPin, on: bool) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        let old = match self.cache.iointena {
            Some(v) => v,
            None => self.read_device_reg(reg::IOINTENA).await?,
        };
        let new = if on { old | pin.mask() } else { old & !pin.mask() };
        self.cache.iointena = None;
        self.write_device_reg(reg::IOINTENA, new).await?;
        self.cache.iointena = Some(new);
        Ok(())
    }

    async fn update_iocontrol(&mut self, clear: u8, set: u8) -> Result<(), Error<IF::Error>> {
        self.general().await?;
        // IOControl is shared by both channels of a dual part, each with its own driver: never from a cache
        let old = self.read_device_reg(reg::IOCONTROL).await?;
        // never write the self-clearing reset bit back
        let new = ((old & !clear) | set) & !reg::iocontrol::NEVER_WRITE_BACK;
        self.write_device_reg(reg::IOCONTROL, new).await
    }

    /// Input latching (IOControl\[0\]): a change on an input is held in IOState until read. One write.
    pub async fn set_gpio_latch(&mut self, on: bool) -> Result<(), Error<IF::Error>> {
        let (clear, set) = if on {
            (0, reg::iocontrol::IO_LATCH)
        } else {
            (reg::iocontrol::IO_LATCH, 0)
        };
        self.update_iocontrol(clear, set).await
    }

    /// Gives this channel's four GPIOs to the modem lines (IOControl\[1\] for channel A: GPIO7..4 = RI, CD, DTR,
    /// DSR; IOControl\[2\] for channel B of a dual part: GPIO3..0) or back to GPIO. One write.
    pub async fn set_modem_pins(&mut self, on: bool) -> Result<(), Error<IF::Error>> {
        let bit = match self.channel {
            Channel::A => reg::iocontrol::MODEM_A,
            Channel::B => reg::iocontrol::MODEM_B,
        };
        let (clear, set) = if on { (0, bit) } else { (bit, 0) };
        self.update_iocontrol(clear, set).await
    }
}
