//! The driver: one source, two drivers. `Mcp23017` (blocking) and, with the `async` feature, `Mcp23017Async`
//! are generated from the same code by `maybe-async-cfg`, which removes `async` and `.await` for the blocking one.

#[cfg(feature = "async")]
use crate::interface::AsyncInterface;
use core::marker::PhantomData;

use crate::interface::{I2cInterface, Interface, SpiInterface};
use crate::part::{Mcp23x08, Mcp23x17, Mcp23x18, OpenDrainOutputs, Part, TwoPorts};
use crate::register as reg;
use crate::types::{
    port_mask, Address, ArgumentError, Config, Error, HardwareAddress, IntOutput, InterruptClear, InterruptStatus,
    InterruptTrigger, InvalidAddress, PinId, PinMode, Pins, Port,
};

/// The registers only the driver writes, as last written or read: one validity bit per register (clear = not
/// known yet) and the values, 16 bytes in all (not eight `Option`s: the driver object stays small enough for a move
/// of it to be a few loads and stores rather than a call of `memcpy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Cache {
    /// Bit `Slot as u8`: that pair is known; bit 7: IOCON is known.
    known: u8,
    iocon: u8,
    pairs: [u16; 7],
}

/// One 16-bit register pair the driver caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Slot {
    Iodir,
    Ipol,
    Gpinten,
    Defval,
    Intcon,
    Gppu,
    Olat,
}

impl Slot {
    /// The register's index in the family's map (0 = IODIR … 10 = OLAT): its address on the MCP23x08, its port A
    /// address halved on the 16-pin parts (see [`reg::address`]).
    const fn index(self) -> u8 {
        match self {
            Self::Iodir => 0,
            Self::Ipol => 1,
            Self::Gpinten => 2,
            Self::Defval => 3,
            Self::Intcon => 4,
            Self::Gppu => 6,
            Self::Olat => 10,
        }
    }

    /// The bits a write of this pair never carries as read (invariant 3): none on this chip, named here so that
    /// every write goes through the mask (see [`reg::IODIR_NOT_WRITTEN_BACK`]).
    const fn not_written_back(self) -> u16 {
        match self {
            Self::Iodir => reg::IODIR_NOT_WRITTEN_BACK,
            Self::Ipol => reg::IPOL_NOT_WRITTEN_BACK,
            Self::Gpinten => reg::GPINTEN_NOT_WRITTEN_BACK,
            Self::Defval => reg::DEFVAL_NOT_WRITTEN_BACK,
            Self::Intcon => reg::INTCON_NOT_WRITTEN_BACK,
            Self::Gppu => reg::GPPU_NOT_WRITTEN_BACK,
            Self::Olat => reg::OLAT_NOT_WRITTEN_BACK,
        }
    }
}

impl Cache {
    const IOCON_KNOWN: u8 = 0x80;

    /// The power-on values of a part whose pins are `pins` (IODIR: every pin an input).
    const fn power_on(pins: u16) -> Self {
        Self {
            known: 0xFF,
            iocon: 0,
            // IODIR, then IPOL, GPINTEN, DEFVAL, INTCON, GPPU, OLAT: 0
            pairs: [pins, 0, 0, 0, 0, 0, 0],
        }
    }

    fn get(&self, slot: Slot) -> Option<u16> {
        if self.known & 1 << slot as u8 != 0 {
            self.pairs.get(slot as usize).copied()
        } else {
            None
        }
    }

    fn set(&mut self, slot: Slot, value: Option<u16>) {
        let bit = 1 << slot as u8;
        match (value, self.pairs.get_mut(slot as usize)) {
            (Some(value), Some(pair)) => {
                *pair = value;
                self.known |= bit;
            }
            _ => self.known &= !bit,
        }
    }

    fn take(&mut self, slot: Slot) -> Option<u16> {
        let value = self.get(slot);
        self.set(slot, None);
        value
    }

    pub(crate) fn iocon(&self) -> Option<u8> {
        (self.known & Self::IOCON_KNOWN != 0).then_some(self.iocon)
    }

    fn set_iocon(&mut self, iocon: Option<u8>) {
        match iocon {
            Some(iocon) => {
                self.iocon = iocon;
                self.known |= Self::IOCON_KNOWN;
            }
            None => self.known &= !Self::IOCON_KNOWN,
        }
    }
}

/// Replaces the byte of `port` in `value`.
const fn with_port(value: u16, port: Port, byte: u8) -> u16 {
    let [a, b] = value.to_le_bytes();
    match port {
        Port::A => u16::from_le_bytes([byte, b]),
        Port::B => u16::from_le_bytes([a, byte]),
    }
}

/// `value` with the bits of `mask` replaced by those of `bits`.
const fn replace(value: u16, mask: u16, bits: u16) -> u16 {
    (value & !mask) | (bits & mask)
}

/// What one interrupt service read, with what earlier ones could not finish.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ServiceRead {
    /// INTF as read together with the capture: the ports whose capture is valid.
    pub(crate) flags: u16,
    /// INTCAP.
    pub(crate) capture: u16,
    /// GPIO, read after the capture.
    pub(crate) levels: u16,
    /// Flags an earlier service read but whose capture may have been lost (its clearing read failed or was
    /// dropped after it reached the chip).
    pub(crate) lost: u16,
}

/// Edges and triggers from one read of INTF, INTCAP and GPIO.
///
/// The chip captures a port's levels at its first change and flags only that pin, so the driver compares, for every
/// pin on interrupt-on-change, the previous levels it read, the captured ones and the present ones. A flag whose
/// capture was lost still tells that the pin left its previous level (unknown history: towards its present
/// level), and that it came back if it is seen at that level again: in a later capture of its port, else in the
/// levels.
pub(crate) fn derive_status(
    read: ServiceRead,
    previous: Option<u16>,
    gpinten: u16,
    intcon: u16,
    rising_wanted: u16,
    falling_wanted: u16,
) -> InterruptStatus {
    let ServiceRead {
        flags,
        capture,
        levels,
        lost,
    } = read;
    let captured_ports = port_mask(flags);
    let c = capture & captured_ports;
    // Unknown history: a flagged pin was the opposite of its capture, anything else is assumed unchanged.
    let p = previous.unwrap_or((captured_ports & (c ^ flags)) | (!captured_ports & levels));
    let on_change = gpinten & !intcon;
    let lost_from = previous.unwrap_or(!levels);
    // A lost pin came back if it was seen at the level it left since: in its port's capture if the port has one
    // (the capture came after the lost clearing read), else in the levels.
    let seen = c | (!captured_ports & levels);
    let came_back = lost & !(seen ^ lost_from);
    let rising = ((captured_ports & ((!p & c) | (!c & levels)))
        | (!captured_ports & !p & levels)
        | (flags & c)
        | (lost & !lost_from)
        | (came_back & lost_from))
        & on_change;
    let falling = ((captured_ports & ((p & !c) | (c & !levels)))
        | (!captured_ports & p & !levels)
        | (flags & !c)
        | (lost & lost_from)
        | (came_back & !lost_from))
        & on_change;
    let flagged = flags | lost;
    let triggered = (rising & rising_wanted) | (falling & falling_wanted) | (flagged & gpinten & intcon);
    InterruptStatus {
        flagged: Pins::from_bits_retain(flagged),
        captured: Pins::from_bits_retain(c),
        levels: Pins::from_bits_retain(levels),
        rising: Pins::from_bits_retain(rising),
        falling: Pins::from_bits_retain(falling),
        triggered: Pins::from_bits_retain(triggered),
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
/// The MCP23017 / MCP23S17 driver, and with `P =` [`Mcp23x18`] the MCP23018 / MCP23S18 driver (aliases
/// [`Mcp23018I2c`], [`Mcp23018Spi`]; built with [`new_mcp23018`](Mcp23017::new_mcp23018) /
/// [`new_mcp23s18`](Mcp23017::new_mcp23s18)). Both parts share every method below; what one part lacks does not
/// exist for it (see [`crate::part`]). On the MCP23x18 an output "high" is a **released** open-drain pin. With
/// `P =` [`Mcp23x08`] it drives the MCP23008 / MCP23S08 ([`new_mcp23008`](Mcp23017::new_mcp23008) /
/// [`new_mcp23s08`](Mcp23017::new_mcp23s08)): 8 pins (`A0..A7`, the low byte of every value), one register per
/// 16-bit pair of the 16-pin parts, so every write and read below is one byte per register shorter.
///
/// The blocking driver is `Mcp23017`; with the `async` feature, `Mcp23017Async` has the same methods as
/// `async fn`s. [`Mcp23017::new`] talks to an MCP23017 on I2C, [`Mcp23017::new_spi`] to an MCP23S17 on an
/// `SpiDevice`.
///
/// Every 16-bit value is a [`Pins`] set: pin n is bit n, **port A in the low byte, sent first**.
///
/// The driver caches the registers only it writes (IODIR, IPOL, GPINTEN, DEFVAL, INTCON, IOCON, GPPU, OLAT):
/// single-pin changes are one write from the cached copy, never a read-modify-write of GPIO. The cache starts
/// empty and fills on first need (after finding the register map an earlier firmware left, see
/// [`resync`](Self::resync)); [`init`](Self::init) fills it with what it wrote, `resync` refills it from the chip.
///
/// **Errors and cancellation:** every register a write touches is unknown from before the write until the chip
/// took it, so after any error (or, async, a dropped future) the cache equals the chip or is unknown, and the next
/// operation reads what is unknown. Calling an operation again completes it. Interrupt flags the chip handed over
/// are kept in the driver until [`interrupt_status`](Self::interrupt_status) reports them.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Mcp23017<IF, P = Mcp23x17> {
    interface: IF,
    part: PhantomData<P>,
    cache: Cache,
    gpx7_inputs_allowed: bool,
    rising_wanted: u16,
    falling_wanted: u16,
    last_levels: Option<u16>,
    pending: Option<InterruptStatus>,
    /// Events a `WaitPin` read for pins other than its own, older than `pending`.
    set_aside: Option<InterruptStatus>,
    unserviced: u16,
    /// No interrupt can be latched on the chip: GPINTEN was 0 at the last clearing read and since.
    quiet: bool,
}

/// The blocking driver for an MCP23017 on an I2C bus: `fn f<I: I2c>(io: &mut Mcp23017I2c<I>)`.
pub type Mcp23017I2c<I2C> = Mcp23017<I2cInterface<I2C>>;
/// The blocking driver for an MCP23S17 on an SPI device.
pub type Mcp23017Spi<SPI> = Mcp23017<SpiInterface<SPI>>;
/// The async driver for an MCP23017 on an I2C bus.
#[cfg(feature = "async")]
pub type Mcp23017AsyncI2c<I2C> = Mcp23017Async<I2cInterface<I2C>>;
/// The async driver for an MCP23S17 on an SPI device.
#[cfg(feature = "async")]
pub type Mcp23017AsyncSpi<SPI> = Mcp23017Async<SpiInterface<SPI>>;
/// The blocking driver for an MCP23018 on an I2C bus ([`Mcp23017::new_mcp23018`]).
pub type Mcp23018I2c<I2C> = Mcp23017<I2cInterface<I2C>, Mcp23x18>;
/// The blocking driver for an MCP23S18 on an SPI device ([`Mcp23017::new_mcp23s18`]).
pub type Mcp23018Spi<SPI> = Mcp23017<SpiInterface<SPI>, Mcp23x18>;
/// The async driver for an MCP23018 on an I2C bus.
#[cfg(feature = "async")]
pub type Mcp23018AsyncI2c<I2C> = Mcp23017Async<I2cInterface<I2C>, Mcp23x18>;
/// The async driver for an MCP23S18 on an SPI device.
#[cfg(feature = "async")]
pub type Mcp23018AsyncSpi<SPI> = Mcp23017Async<SpiInterface<SPI>, Mcp23x18>;
/// The blocking driver for an MCP23008 on an I2C bus ([`Mcp23017::new_mcp23008`]).
pub type Mcp23008I2c<I2C> = Mcp23017<I2cInterface<I2C>, Mcp23x08>;
/// The blocking driver for an MCP23S08 on an SPI device ([`Mcp23017::new_mcp23s08`]).
pub type Mcp23008Spi<SPI> = Mcp23017<SpiInterface<SPI>, Mcp23x08>;
/// The async driver for an MCP23008 on an I2C bus.
#[cfg(feature = "async")]
pub type Mcp23008AsyncI2c<I2C> = Mcp23017Async<I2cInterface<I2C>, Mcp23x08>;
/// The async driver for an MCP23S08 on an SPI device.
#[cfg(feature = "async")]
pub type Mcp23008AsyncSpi<SPI> = Mcp23017Async<SpiInterface<SPI>, Mcp23x08>;

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF> Mcp23017<IF> {
    /// A driver for an MCP23017/MCP23S17 over any [`Interface`] (for a bus wrapper of your own). Sends nothing.
    pub fn with_interface(interface: IF) -> Self {
        Self::with_interface_for(interface, Mcp23x17)
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF, P: Part> Mcp23017<IF, P> {
    /// A driver for the part `P` (say [`Mcp23x18`]) over any [`Interface`]. Sends nothing.
    pub fn with_interface_for(interface: IF, _part: P) -> Self {
        Self {
            interface,
            part: PhantomData,
            cache: Cache::default(),
            gpx7_inputs_allowed: false,
            rising_wanted: 0,
            falling_wanted: 0,
            last_levels: None,
            pending: None,
            set_aside: None,
            unserviced: 0,
            quiet: false,
        }
    }

    /// The driver's cache, for fault-tolerance tests (compare with [`Mcp23017Sim::belief_mismatch`]).
    ///
    /// [`Mcp23017Sim::belief_mismatch`]: crate::sim::Mcp23017Sim::belief_mismatch
    #[cfg(feature = "sim")]
    #[doc(hidden)]
    pub fn cache_snapshot(&self) -> crate::sim::CacheSnapshot {
        crate::sim::CacheSnapshot {
            iodir: self.cache.get(Slot::Iodir),
            ipol: self.cache.get(Slot::Ipol),
            gpinten: self.cache.get(Slot::Gpinten),
            defval: self.cache.get(Slot::Defval),
            intcon: self.cache.get(Slot::Intcon),
            gppu: self.cache.get(Slot::Gppu),
            olat: self.cache.get(Slot::Olat),
            iocon: self.cache.iocon(),
        }
    }

    /// Gives the interface back.
    pub fn release_interface(self) -> IF {
        self.interface
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C> Mcp23017<I2cInterface<I2C>> {
    /// A driver for the MCP23017 at `address` on `i2c`. Sends nothing.
    pub fn new(i2c: I2C, address: Address) -> Self {
        Self::with_interface(I2cInterface { i2c, address })
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C> Mcp23017<I2cInterface<I2C>, Mcp23x18> {
    /// A driver for the MCP23018 at `address` on `i2c` (0x20 + the band of the voltage on ADDR, see
    /// [`Address::from_mcp23018_addr_voltage`]). Sends nothing.
    pub fn new_mcp23018(i2c: I2C, address: Address) -> Self {
        Self::with_interface_for(I2cInterface { i2c, address }, Mcp23x18)
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C> Mcp23017<I2cInterface<I2C>, Mcp23x08> {
    /// A driver for the MCP23008 at `address` on `i2c` (0x20 + A2A1A0). Sends nothing.
    pub fn new_mcp23008(i2c: I2C, address: Address) -> Self {
        Self::with_interface_for(I2cInterface { i2c, address }, Mcp23x08)
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI> Mcp23017<SpiInterface<SPI>, Mcp23x08> {
    /// A driver for the MCP23S08 at hardware address `address` (0..=3, pins A1 and A0; refused above 3: the
    /// MCP23S08 has no A2) on `spi` (SPI mode 0, up to 10 MHz). Sends nothing. An address other than 0 needs
    /// [`Config::hardware_addressing`] in [`init`](Self::init), which then writes IOCON to address 0 first (where a
    /// chip without HAEN answers), then to `address`.
    pub fn new_mcp23s08(spi: SPI, address: HardwareAddress) -> Result<Self, InvalidAddress> {
        if address.get() > 3 {
            return Err(InvalidAddress(address.get()));
        }
        Ok(Self::with_interface_for(SpiInterface { spi, address }, Mcp23x08))
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C, P: Part> Mcp23017<I2cInterface<I2C>, P> {
    /// Gives the bus back.
    pub fn release(self) -> I2C {
        self.interface.i2c
    }

    /// The bus, borrowed (say, the simulator, to inspect it while the driver owns it).
    pub fn bus(&self) -> &I2C {
        &self.interface.i2c
    }

    /// The bus, borrowed (say, the simulator, to drive its pins). What you do to the chip through it bypasses
    /// the driver's cache: [`resync`](Self::resync) afterwards if you change registers.
    pub fn bus_mut(&mut self) -> &mut I2C {
        &mut self.interface.i2c
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI> Mcp23017<SpiInterface<SPI>> {
    /// A driver for the MCP23S17 at hardware address `address` on `spi` (SPI mode 0, up to 10 MHz). Sends
    /// nothing. An address other than 0 needs [`Config::hardware_addressing`] in [`init`](Self::init).
    pub fn new_spi(spi: SPI, address: HardwareAddress) -> Self {
        Self::with_interface(SpiInterface { spi, address })
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI> Mcp23017<SpiInterface<SPI>, Mcp23x18> {
    /// A driver for the MCP23S18 on `spi` (SPI mode 0, up to 10 MHz). Sends nothing. The MCP23S18 has no address
    /// pin: every frame carries opcode 0x40 (write) / 0x41 (read), one chip per chip select. (Microchip lists the
    /// address pin for the MCP23018 only; Linux would also send addresses 1..7 to an MCP23S18, which a chip
    /// without HAEN ignores. The driver never sets HAEN and always sends address 0, which is right either way.)
    pub fn new_mcp23s18(spi: SPI) -> Self {
        Self::with_interface_for(
            SpiInterface {
                spi,
                address: HardwareAddress::default(),
            },
            Mcp23x18,
        )
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI, P: Part> Mcp23017<SpiInterface<SPI>, P> {
    /// Gives the SPI device back.
    pub fn release(self) -> SPI {
        self.interface.spi
    }

    /// The SPI device, borrowed (say, the simulator, to inspect it while the driver owns it).
    pub fn bus(&self) -> &SPI {
        &self.interface.spi
    }

    /// The SPI device, borrowed (say, the simulator, to drive its pins). What you do to the chip through it
    /// bypasses the driver's cache: [`resync`](Self::resync) afterwards if you change registers.
    pub fn bus_mut(&mut self) -> &mut SPI {
        &mut self.interface.spi
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        Interface(sync = "Interface", async = "AsyncInterface")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF: Interface, P: Part> Mcp23017<IF, P> {
    // ---- bus helpers ------------------------------------------------------------------------------------

    /// One write, in whatever map the chip is in (for the map's own recovery and `init`).
    async fn raw_write(&mut self, bytes: &[u8]) -> Result<(), Error<IF::Error>> {
        self.interface.write(bytes).await.map_err(Error::Bus)
    }

    /// One register read alone: the same in either map and either pointer mode.
    async fn raw_byte(&mut self, register: u8) -> Result<u8, Error<IF::Error>> {
        let mut byte = [0];
        self.interface.read(register, &mut byte).await.map_err(Error::Bus)?;
        let [byte] = byte;
        Ok(byte)
    }

    /// The address of register `index` (0 = IODIR … 10 = OLAT; port A on the 16-pin parts, BANK = 0 map).
    const fn at(index: u8) -> u8 {
        index << P::INDEX_SHIFT
    }

    /// `[register, port A, port B]` cut to the part's width (no port B byte on the MCP23x08).
    fn frame(bytes: &[u8; 3]) -> &[u8] {
        bytes.get(..P::FRAME).unwrap_or(bytes)
    }

    /// `pins` if every one of them exists on the part, else [`ArgumentError::NoSuchPin`] (GPB0..7 on the
    /// MCP23x08).
    fn pins_of(pins: Pins) -> Result<u16, ArgumentError> {
        if pins.bits() & !P::PINS != 0 {
            Err(ArgumentError::NoSuchPin)
        } else {
            Ok(pins.bits())
        }
    }

    /// One pair read (port A first) in the BANK = 0 map: 1 + 2 bytes, right in sequential and byte mode alike; on
    /// the MCP23x08 one register, 1 + 1 bytes.
    async fn read_pair(&mut self, register: u8) -> Result<u16, Error<IF::Error>> {
        self.map().await?;
        let mut bytes = [0; 2];
        let width = bytes.get_mut(..P::FRAME.saturating_sub(1)).unwrap_or_default();
        self.interface.read(register, width).await.map_err(Error::Bus)?;
        Ok(reg::decode_pair(bytes))
    }

    /// Writes a register pair (port A first) in one 3-byte write. The pair is unknown while the write is under
    /// way (a failure or a dropped future may have left either byte on the chip) and cached once the chip took it.
    async fn write_slot(&mut self, slot: Slot, value: u16) -> Result<(), Error<IF::Error>> {
        let value = value & !slot.not_written_back();
        let [a, b] = reg::encode_pair(value);
        self.map().await?;
        self.cache.set(slot, None);
        if slot == Slot::Gpinten {
            self.quiet = false;
        }
        self.raw_write(Self::frame(&[Self::at(slot.index()), a, b])).await?;
        self.cache.set(slot, Some(value));
        Ok(())
    }

    /// A cached pair, read from the chip (one write-read of 1 + 2 bytes) if not known yet.
    async fn cached(&mut self, slot: Slot) -> Result<u16, Error<IF::Error>> {
        if let Some(value) = self.cache.get(slot) {
            return Ok(value);
        }
        let value = self.read_pair(Self::at(slot.index())).await?;
        self.cache.set(slot, Some(value));
        Ok(value)
    }

    /// Whether the address pointer increments (IOCON.SEQOP = 0), from the cached IOCON or the chip.
    async fn sequential(&mut self) -> Result<bool, Error<IF::Error>> {
        Ok(self.map().await? & reg::IOCON_SEQOP == 0)
    }

    /// IOCON, and with it the certainty that the chip is in the BANK = 0 map: from the cache, or established.
    ///
    /// A cold driver cannot assume the power-on map: an earlier firmware may have left BANK = 1 (every register
    /// elsewhere) or byte mode (SEQOP = 1). Single-register reads and writes work in every mode, and IOCON's
    /// BANK bit tells the maps apart where the two differ:
    /// 1. 0x05 (IOCON in BANK = 1, GPINTENB in BANK = 0): BANK clear means BANK = 0, and IOCON is read at 0x0A
    ///    (2 reads, the usual case);
    /// 2. else 0x0A (IOCON in BANK = 0, OLATA in BANK = 1): BANK set means BANK = 1, and IOCON without BANK is
    ///    written to 0x05 (the other bits kept) and read back at 0x0A (3 reads, 1 write);
    /// 3. else 0x15 (IOCON again in BANK = 1, OLATB in BANK = 0): a difference means BANK = 0;
    /// 4. else [`resolve`](Self::resolve_map).
    async fn map(&mut self) -> Result<u8, Error<IF::Error>> {
        if let Some(iocon) = self.cache.iocon() {
            return Ok(iocon);
        }
        if !P::BANKS {
            // the MCP23x08: one map, IOCON at 0x05
            let iocon = self.raw_byte(Self::at(reg::IOCON_INDEX)).await? & P::IOCON_READ;
            self.cache.set_iocon(Some(iocon));
            return Ok(iocon);
        }
        let at_05 = self.raw_byte(reg::IOCON_BANK1).await?;
        let iocon = if at_05 & reg::IOCON_BANK == 0 {
            let iocon = self.raw_byte(reg::IOCON).await?;
            if iocon & reg::IOCON_BANK != 0 {
                // not what an MCP23x17 in either map answers
                return Err(Error::UnexpectedDevice);
            }
            iocon
        } else {
            let at_0a = self.raw_byte(reg::IOCON).await?;
            if at_0a & reg::IOCON_BANK != 0 {
                let bank0 = at_05 & P::IOCON_READ & !P::IOCON_NOT_WRITTEN_BACK;
                self.raw_write(&[reg::IOCON_BANK1, bank0]).await?;
                if self.raw_byte(reg::IOCON).await? & P::IOCON_READ != bank0 {
                    return Err(Error::UnexpectedDevice);
                }
                bank0
            } else if self.raw_byte(reg::IOCON_BANK1_B).await? != at_05 {
                at_0a
            } else {
                self.resolve_map(at_05, at_0a).await?
            }
        };
        let iocon = iocon & P::IOCON_READ;
        self.cache.set_iocon(Some(iocon));
        Ok(iocon)
    }

    /// The reads of [`map`](Self::map) fit both a chip in BANK = 0 with GPINTENB = OLATB = `at_05` (GPB7's
    /// interrupt enabled) and IOCON = `at_0a`, and a chip in BANK = 1 with IOCON = `at_05` = IOCON at 0x15 and
    /// OLATA = `at_0a`. IOCON without BANK written to 0x05 brings the second to BANK = 0 and clears GPINTENB.7
    /// in the first; IOCON read back at 0x0A then tells them apart (in the first it did not change) and the
    /// first gets GPINTENB back. Only where IOCON reads the same either way (`at_0a` = `at_05` without BANK)
    /// nothing tells them apart: the driver takes the chip left in BANK = 1 (the usual case) and re-reads
    /// GPINTEN on next need, so the first loses GPB7's interrupt enable, never the truth of the cache.
    async fn resolve_map(&mut self, at_05: u8, at_0a: u8) -> Result<u8, Error<IF::Error>> {
        let bank0 = at_05 & P::IOCON_READ & !P::IOCON_NOT_WRITTEN_BACK;
        let gpinten = self.cache.take(Slot::Gpinten);
        self.quiet = false;
        self.raw_write(&[reg::IOCON_BANK1, bank0]).await?;
        let now = self.raw_byte(reg::IOCON).await?;
        if now & reg::IOCON_BANK != 0 {
            return Err(Error::UnexpectedDevice);
        }
        if now == at_0a && at_0a != bank0 {
            // BANK = 0 all along: GPINTENB back as it was
            self.raw_write(&[reg::IOCON_BANK1, at_05]).await?;
            self.cache.set(Slot::Gpinten, gpinten);
        }
        Ok(now)
    }

    fn check_inputs(&self, inputs: u16) -> Result<(), ArgumentError> {
        if P::GPX7_ERRATUM && IF::GPX7_OUTPUT_ONLY && !self.gpx7_inputs_allowed && inputs & reg::GPX7 != 0 {
            Err(ArgumentError::OutputOnlyPin)
        } else {
            Ok(())
        }
    }

    fn check_config(&self, config: Config) -> Result<(), ArgumentError> {
        if config.encode() & P::IOCON_ABSENT != 0 {
            return Err(ArgumentError::NotOnThisPart);
        }
        match self.interface.hardware_address() {
            Some(hw) if hw.get() != 0 && !config.hardware_addressing => Err(ArgumentError::HardwareAddressingRequired),
            _ => Ok(()),
        }
    }

    // ---- start-up, configuration, cache -----------------------------------------------------------------

    /// Brings a chip in any state to a known one: the power-on register values, IOCON = `config`, no interrupt
    /// pending. Works even if an earlier firmware left the chip in the BANK = 1 map, in byte mode, or (MCP23S17)
    /// with hardware addressing off:
    ///
    /// 1. IOCON (BANK = 0) written to 0x05, IOCON's address in BANK = 1 (in BANK = 0 it lands in GPINTENB, which
    ///    step 3 rewrites; until then port B's interrupt enables may briefly hold that byte);
    /// 2. IOCON written to both its BANK = 0 addresses (0x0A, 0x0B), now certainly the right map;
    /// 3. every writable register to its power-on value (all pins inputs without pull-ups, latches low,
    ///    interrupts off): one 23-byte write from 0x00 to 0x15 in sequential mode, one write per pair in byte mode;
    /// 4. the interrupt flags (one write-read of 1 + 2 bytes), then flags, captures and levels (1 + 6 bytes; in
    ///    byte mode INTF, INTCAP and GPIO one pair each), which clears any interrupt left pending.
    ///
    /// The whole cache is forgotten before step 1 and filled only once step 3 succeeded: an `init` that fails
    /// (or, async, is dropped) part way leaves every register unknown, read from the chip on next need (which
    /// finds the map as [`resync`](Self::resync) does). Retry it.
    ///
    /// On an MCP23S17 at a hardware address other than 0, steps 1 and 2 also go to addresses 0 and 4, where a chip
    /// without HAEN answers (4: Rev. A erratum with A2 high); other MCP23S17s sharing the chip select and still
    /// without HAEN take the same IOCON (and the step-1 byte in GPINTENB).
    ///
    /// GPA7 and GPB7 are inputs afterwards, as at power-on; on an MCP23017 make them outputs (they are
    /// output-only, see [`ArgumentError::OutputOnlyPin`]) or tie them to a fixed level.
    ///
    /// On the MCP23x08 (one map, no banks) steps 1 and 2 are one 2-byte IOCON write at 0x05 (on an MCP23S08 at an
    /// address other than 0, to address 0 first), step 3 one 12-byte write from 0x00 to 0x0A (byte mode: one
    /// 2-byte write per register), step 4 INTF (1 + 1 bytes) then INTF, INTCAP, GPIO (1 + 3).
    pub async fn init(&mut self, config: Config) -> Result<(), Error<IF::Error>> {
        self.check_config(config)?;
        let iocon = config.encode();
        self.cache = Cache::default();
        self.quiet = false;
        self.rising_wanted = 0;
        self.falling_wanted = 0;
        self.pending = None;
        self.set_aside = None;
        self.unserviced = 0;
        self.last_levels = None;
        if P::BANKS {
            self.interface
                .write_unaddressed(&[reg::IOCON_BANK1, iocon])
                .await
                .map_err(Error::Bus)?;
            self.interface
                .write_unaddressed(&[reg::IOCON, iocon, iocon])
                .await
                .map_err(Error::Bus)?;
        } else {
            // one map, no A2 pin on the MCP23S08: IOCON at 0x05, to address 0 too if HAEN was off
            self.interface
                .write_unaddressed_without_a2(&[Self::at(reg::IOCON_INDEX), iocon])
                .await
                .map_err(Error::Bus)?;
        }
        self.cache.set_iocon(Some(iocon));
        if config.sequential && !P::BANKS {
            // IODIR: inputs, IPOL..INTCON 0, IOCON, GPPU 0, INTF and INTCAP (read-only), GPIO and OLAT 0
            self.raw_write(&[0x00, 0xFF, 0, 0, 0, 0, iocon, 0, 0, 0, 0, 0]).await?;
        } else if config.sequential {
            let mut burst = [0u8; 23];
            // IODIRA, IODIRB: inputs
            if let Some(iodir) = burst.get_mut(1..3) {
                iodir.copy_from_slice(&reg::encode_pair(reg::IODIR_RESET));
            }
            // IOCON, IOCON (0x0A, 0x0B)
            if let Some(both) = burst.get_mut(11..13) {
                both.copy_from_slice(&[iocon, iocon]);
            }
            self.raw_write(&burst).await?;
        } else {
            for (slot, value) in [
                (Slot::Iodir, P::PINS),
                (Slot::Ipol, 0),
                (Slot::Gpinten, 0),
                (Slot::Defval, 0),
                (Slot::Intcon, 0),
                (Slot::Gppu, 0),
                (Slot::Olat, 0),
            ] {
                self.write_slot(slot, value).await?;
            }
        }
        self.cache = Cache::power_on(P::PINS);
        self.cache.set_iocon(Some(iocon));
        let serviced = self.service(false).await;
        // what was pending before init is not news
        self.pending = None;
        self.unserviced = 0;
        serviced.map(|_| ())
    }

    /// Refills the cache from the chip: the map and IOCON (2 single-byte reads when the chip is in the BANK = 0
    /// map, more to tell the maps apart, see [`init`](Self::init) for what a chip left in BANK = 1 or byte mode
    /// means; a chip in BANK = 1 is brought to BANK = 0 with its other IOCON bits kept), then IODIR..GPPU (1 + 14
    /// bytes, or one write-read per pair in byte mode) and OLAT (1 + 2 bytes). Touches neither INTCAP nor GPIO,
    /// so no pending interrupt is lost. Use it after a brown-out or another master changed the chip behind the
    /// driver. On an error, what was not read yet stays unknown and is read on next need. On the MCP23x08: IOCON
    /// (one read), IODIR..GPPU (1 + 7 bytes, or one read per register in byte mode), OLAT (1 + 1).
    pub async fn resync(&mut self) -> Result<(), Error<IF::Error>> {
        self.cache = Cache::default();
        self.quiet = false;
        let slots = [Slot::Iodir, Slot::Ipol, Slot::Gpinten, Slot::Defval, Slot::Intcon];
        let sequential = self.sequential().await?;
        if sequential && !P::BANKS {
            let mut block = [0u8; 7];
            self.interface.read(0x00, &mut block).await.map_err(Error::Bus)?;
            let [iodir, ipol, gpinten, defval, intcon, _iocon, gppu] = block;
            for (slot, value) in slots.into_iter().zip([iodir, ipol, gpinten, defval, intcon]) {
                self.cache.set(slot, Some(u16::from(value)));
            }
            self.cache.set(Slot::Gppu, Some(u16::from(gppu)));
        } else if sequential {
            let mut block = [0u8; 14];
            self.interface.read(reg::IODIRA, &mut block).await.map_err(Error::Bus)?;
            let mut pairs = block.chunks_exact(2).map(|pair| match pair {
                [a, b] => Some(reg::decode_pair([*a, *b])),
                _ => None,
            });
            for slot in slots {
                self.cache.set(slot, pairs.next().flatten());
            }
            let _iocon_pair = pairs.next();
            self.cache.set(Slot::Gppu, pairs.next().flatten());
        } else {
            for slot in slots.into_iter().chain([Slot::Gppu]) {
                let value = self.read_pair(Self::at(slot.index())).await?;
                self.cache.set(slot, Some(value));
            }
        }
        let olat = self.read_pair(Self::at(Slot::Olat.index())).await?;
        self.cache.set(Slot::Olat, Some(olat));
        Ok(())
    }

    /// Takes the chip to be in its power-on (or reset) state, without touching the bus: the cache is filled with
    /// the datasheet's power-on values (BANK = 0 map, IOCON 0: sequential, active-low push-pull INT; every pin an
    /// input without pull-up, polarity normal, latches low, interrupts off), no interrupt can be pending, no
    /// trigger is set, and the levels are not known yet. This is the state [`init`](Self::init)`(Config::default())`
    /// leaves, but for the levels (`init` reads them). No operation then reads a register before writing it:
    /// `set_pull_ups` and `set_directions`, say, are one 3-byte write each.
    ///
    /// **Only right after the chip's power-on, or a reset the caller knows happened** (the /RESET pin pulsed, the
    /// supply cycled). Otherwise the cache may disagree with the chip: an earlier firmware may have left the BANK = 1
    /// map (every register elsewhere), byte mode, other directions or latches, or an interrupt pending, and the
    /// driver would then write to the wrong registers or keep stale values. When in doubt, use `init` (any state)
    /// or [`resync`](Self::resync) (reads the chip).
    pub fn assume_power_on_state(&mut self) {
        self.cache = Cache::power_on(P::PINS);
        self.rising_wanted = 0;
        self.falling_wanted = 0;
        self.last_levels = None;
        self.pending = None;
        self.set_aside = None;
        self.unserviced = 0;
        // GPINTEN is 0 at power-on: nothing can be latched, so the levels are read without a service
        self.quiet = true;
    }

    /// Forgets the cache without touching the bus; the next method that needs a register reads it (and, first,
    /// finds the chip's register map and IOCON, as [`resync`](Self::resync) does).
    pub fn invalidate_cache(&mut self) {
        self.cache = Cache::default();
        self.quiet = false;
    }

    /// Lets GPA7/GPB7 be configured as inputs on an MCP23017 (refused by default, see
    /// [`ArgumentError::OutputOnlyPin`]). Sends nothing. Microchip's datasheet (revision D) and its errata make
    /// both pins output-only on every MCP23017 ever shipped: an input there that changes while the chip is being
    /// read can corrupt SDA. The MCP23S17 (SPI) is allowed by default: the failure is described for SDA only.
    pub fn allow_gpx7_inputs(&mut self, allow: bool) {
        self.gpx7_inputs_allowed = allow;
    }

    /// The configuration (IOCON): from the cache, or read from the chip (2 single-byte reads on a chip in the
    /// BANK = 0 map; see [`resync`](Self::resync)).
    ///
    /// On the MCP23x18, which has neither DISSLW nor HAEN, `slew_rate_control` reads `true` and
    /// `hardware_addressing` `false` whatever IOCON's bits 4 and 3 hold.
    pub async fn config(&mut self) -> Result<Config, Error<IF::Error>> {
        Ok(Self::decode_config(self.map().await?))
    }

    /// The settings of an IOCON byte, without the bits the part lacks.
    fn decode_config(iocon: u8) -> Config {
        Config::decode(iocon & !P::IOCON_ABSENT)
    }

    /// Writes IOCON (BANK = 0) to both of its addresses in one 3-byte write (on a cold driver the map is found
    /// first, see [`resync`](Self::resync)). On an error IOCON is unknown and read again on next need.
    ///
    /// On the MCP23x18 the INTCC bit, which `Config` does not hold, keeps its value (see
    /// [`set_interrupt_clear`](Self::set_interrupt_clear)), and a `Config` without slew-rate control or with
    /// hardware addressing is refused ([`ArgumentError::NotOnThisPart`]).
    pub async fn set_config(&mut self, config: Config) -> Result<(), Error<IF::Error>> {
        self.check_config(config)?;
        let kept = self.map().await? & P::IOCON_KEPT;
        let iocon = ((config.encode() & !P::IOCON_ABSENT) | kept) & !P::IOCON_NOT_WRITTEN_BACK;
        self.cache.set_iocon(None);
        self.raw_write(Self::frame(&[Self::at(reg::IOCON_INDEX), iocon, iocon]))
            .await?;
        self.cache.set_iocon(Some(iocon));
        Ok(())
    }

    /// The INT pins' drive (IOCON.ODR, IOCON.INTPOL): one 3-byte write (IOCON read first if not cached).
    pub async fn set_int_output(&mut self, output: IntOutput) -> Result<(), Error<IF::Error>> {
        let config = Config {
            int_output: output,
            ..Self::decode_config(self.map().await?)
        };
        self.set_config(config).await
    }

    // ---- 16-bit and port-wide settings ------------------------------------------------------------------

    /// Directions of all 16 pins (IODIR): `inputs` become inputs, the others outputs, in one 3-byte write.
    /// New outputs drive the latch the chip already holds (see [`write_outputs`](Self::write_outputs), or
    /// [`set_as_outputs`](Self::set_as_outputs) to set both in order).
    pub async fn set_directions(&mut self, inputs: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(inputs)?;
        self.check_inputs(inputs.bits())?;
        self.write_slot(Slot::Iodir, inputs.bits()).await
    }

    /// Pull-ups of all 16 pins (GPPU, ~100 kΩ) in one 3-byte write. On the MCP23x17 they act on inputs only; on
    /// the MCP23x18 on outputs too (a released open-drain output then reads high).
    pub async fn set_pull_ups(&mut self, pull_ups: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pull_ups)?;
        self.write_slot(Slot::Gppu, pull_ups.bits()).await
    }

    /// Input polarity of all 16 pins (IPOL): an `inverted` pin reads (and captures) the opposite of its level.
    /// One 3-byte write.
    pub async fn set_input_polarity(&mut self, inverted: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(inverted)?;
        self.write_slot(Slot::Ipol, inverted.bits()).await
    }

    /// The output latches of all 16 pins (OLAT; bit set = high, on the MCP23x18 released) in one 3-byte write.
    pub async fn write_outputs(&mut self, levels: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(levels)?;
        self.write_slot(Slot::Olat, levels.bits()).await
    }

    /// Drives `pins` high, the other latches unchanged (from the cached OLAT): one 3-byte write.
    pub async fn set_high(&mut self, pins: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pins)?;
        let olat = self.cached(Slot::Olat).await?;
        self.write_slot(Slot::Olat, olat | pins.bits()).await
    }

    /// Drives `pins` low, the other latches unchanged: one 3-byte write.
    pub async fn set_low(&mut self, pins: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pins)?;
        let olat = self.cached(Slot::Olat).await?;
        self.write_slot(Slot::Olat, olat & !pins.bits()).await
    }

    /// Inverts the latches of `pins`: one 3-byte write.
    pub async fn toggle(&mut self, pins: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pins)?;
        let olat = self.cached(Slot::Olat).await?;
        self.write_slot(Slot::Olat, olat ^ pins.bits()).await
    }

    /// Makes `pins` outputs driving `levels`, glitch-free: the latch first (one 3-byte write), then the
    /// direction (one 3-byte write). Other pins keep their latch and direction.
    pub async fn set_as_outputs(&mut self, pins: Pins, levels: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pins)?;
        Self::pins_of(levels)?;
        let olat = self.cached(Slot::Olat).await?;
        let iodir = self.cached(Slot::Iodir).await?;
        self.write_slot(Slot::Olat, replace(olat, pins.bits(), levels.bits()))
            .await?;
        self.write_slot(Slot::Iodir, iodir & !pins.bits()).await
    }

    /// Makes `pins` inputs, with the pull-ups of `pull_ups` (a subset of `pins`): pull-ups first (one 3-byte
    /// write, so a pin never floats), then the direction (one 3-byte write).
    pub async fn set_as_inputs(&mut self, pins: Pins, pull_ups: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pins)?;
        Self::pins_of(pull_ups)?;
        self.check_inputs(pins.bits())?;
        let gppu = self.cached(Slot::Gppu).await?;
        let iodir = self.cached(Slot::Iodir).await?;
        self.write_slot(Slot::Gppu, replace(gppu, pins.bits(), pull_ups.bits()))
            .await?;
        self.write_slot(Slot::Iodir, iodir | pins.bits()).await
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /// The levels of all 16 pins (GPIO, after input polarity): one write-read of 1 + 2 bytes.
    ///
    /// Reading GPIO clears a pending interrupt and, with it, the captured levels. So unless no interrupt was
    /// enabled since the last service (or `init`), the driver services the interrupt instead (as [`interrupt_status`](Self::interrupt_status)
    /// does: 1 + 2 bytes, then 1 + 6) and keeps what it found for the next `interrupt_status`.
    pub async fn read_levels(&mut self) -> Result<Pins, Error<IF::Error>> {
        if self.levels_alone() {
            let levels = self.read_pair(Self::at(reg::GPIO_INDEX)).await?;
            self.last_levels = Some(levels);
            return Ok(Pins::from_bits_retain(levels));
        }
        Ok(self.service(true).await?.levels)
    }

    /// Whether GPIO may be read alone: no interrupt enabled since the last service (or `init`), and no flags of a
    /// failed service waiting to be reported.
    fn levels_alone(&self) -> bool {
        self.quiet && self.cache.get(Slot::Gpinten) == Some(0) && self.unserviced == 0
    }

    /// The output latches (OLAT) read from the chip (one write-read of 1 + 2 bytes); refreshes the cache.
    pub async fn read_outputs(&mut self) -> Result<Pins, Error<IF::Error>> {
        let olat = self.read_pair(Self::at(Slot::Olat.index())).await?;
        self.cache.set(Slot::Olat, Some(olat));
        Ok(Pins::from_bits_retain(olat))
    }

    /// The latches as the driver last wrote them (no bus traffic once cached).
    pub async fn outputs(&mut self) -> Result<Pins, Error<IF::Error>> {
        Ok(Pins::from_bits_retain(self.cached(Slot::Olat).await?))
    }

    /// The directions (IODIR, bit set = input), from the cache.
    pub async fn directions(&mut self) -> Result<Pins, Error<IF::Error>> {
        Ok(Pins::from_bits_retain(self.cached(Slot::Iodir).await?))
    }

    /// The pull-ups (GPPU), from the cache.
    pub async fn pull_ups(&mut self) -> Result<Pins, Error<IF::Error>> {
        Ok(Pins::from_bits_retain(self.cached(Slot::Gppu).await?))
    }

    /// The input polarity (IPOL), from the cache.
    pub async fn input_polarity(&mut self) -> Result<Pins, Error<IF::Error>> {
        Ok(Pins::from_bits_retain(self.cached(Slot::Ipol).await?))
    }

    // ---- single pins ------------------------------------------------------------------------------------

    /// Sets one pin's mode. An output gets its latch before its direction (glitch-free); an input gets its pull-up
    /// before its direction. On the MCP23x18 `Output { high: true }` is a released open-drain pin and the
    /// pull-up is left as it is (see [`set_open_drain_output`](Mcp23017::set_open_drain_output) to set both). The latch or pull-up write (3 bytes) is skipped when the cache shows it already right;
    /// the direction is always written (3 bytes).
    pub async fn set_pin_mode(&mut self, pin: PinId, mode: PinMode) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pin.mask())?;
        let bit = pin.mask().bits();
        let (slot, set, input) = match mode {
            PinMode::Input => (Slot::Gppu, false, true),
            PinMode::InputPullUp => (Slot::Gppu, true, true),
            PinMode::Output { high } => (Slot::Olat, high, false),
        };
        if input {
            self.check_inputs(bit)?;
        }
        let current = self.cached(slot).await?;
        let wanted = if set { current | bit } else { current & !bit };
        if wanted != current {
            self.write_slot(slot, wanted).await?;
        }
        let iodir = self.cached(Slot::Iodir).await?;
        let iodir = if input { iodir | bit } else { iodir & !bit };
        self.write_slot(Slot::Iodir, iodir).await
    }

    /// Drives one output pin: one 3-byte write of both latches from the cache (never a read of GPIO).
    pub async fn set_pin(&mut self, pin: PinId, high: bool) -> Result<(), Error<IF::Error>> {
        if high {
            self.set_high(pin.mask()).await
        } else {
            self.set_low(pin.mask()).await
        }
    }

    /// Inverts one output pin: one 3-byte write.
    pub async fn toggle_pin(&mut self, pin: PinId) -> Result<(), Error<IF::Error>> {
        self.toggle(pin.mask()).await
    }

    /// One pin's level, from [`read_levels`](Self::read_levels).
    pub async fn pin_is_high(&mut self, pin: PinId) -> Result<bool, Error<IF::Error>> {
        Self::pins_of(pin.mask())?;
        Ok(self.read_levels().await?.contains_pin(pin))
    }

    /// One pin's latch as last written (no bus traffic once cached).
    pub async fn pin_is_set_high(&mut self, pin: PinId) -> Result<bool, Error<IF::Error>> {
        Self::pins_of(pin.mask())?;
        Ok(Pins::from_bits_retain(self.cached(Slot::Olat).await?).contains_pin(pin))
    }

    // ---- interrupts -------------------------------------------------------------------------------------

    /// Interrupt-on-change enables of all 16 pins (GPINTEN), one 3-byte write. Only inputs interrupt.
    pub async fn set_interrupt_enable(&mut self, enabled: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(enabled)?;
        self.forget_levels_if_new(enabled.bits());
        self.write_slot(Slot::Gpinten, enabled.bits()).await
    }

    /// Newly enabled pins may have changed unseen since the levels were last read: derive their first edges from
    /// the capture alone.
    fn forget_levels_if_new(&mut self, enabled: u16) {
        if self.cache.get(Slot::Gpinten).map_or(true, |old| enabled & !old != 0) {
            self.last_levels = None;
        }
    }

    /// Interrupt control of all 16 pins (INTCON): a set bit compares with DEFVAL, a clear bit with the previous
    /// level. One 3-byte write.
    pub async fn set_interrupt_compare(&mut self, compare: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(compare)?;
        self.write_slot(Slot::Intcon, compare.bits()).await
    }

    /// The compare values of all 16 pins (DEFVAL): with INTCON set, a pin interrupts while it differs. One 3-byte
    /// write.
    pub async fn set_default_levels(&mut self, levels: Pins) -> Result<(), Error<IF::Error>> {
        Self::pins_of(levels)?;
        self.write_slot(Slot::Defval, levels.bits()).await
    }

    /// Sets what makes `pins` interrupt (`None`: nothing). Enabling writes DEFVAL and INTCON first (one 5-byte
    /// write, two 3-byte writes in byte mode; skipped if the cache shows them right) and GPINTEN last (3 bytes),
    /// so a pin never interrupts against a stale compare value; disabling writes GPINTEN only. Edge directions are
    /// filtered in software (see [`InterruptTrigger`]).
    pub async fn set_interrupt(
        &mut self,
        pins: Pins,
        trigger: Option<InterruptTrigger>,
    ) -> Result<(), Error<IF::Error>> {
        Self::pins_of(pins)?;
        let mask = pins.bits();
        let gpinten = self.cached(Slot::Gpinten).await?;
        let trigger = match trigger {
            Some(trigger) => trigger,
            None => {
                self.write_slot(Slot::Gpinten, gpinten & !mask).await?;
                self.rising_wanted &= !mask;
                self.falling_wanted &= !mask;
                return Ok(());
            }
        };
        let defval = self.cached(Slot::Defval).await?;
        let intcon = self.cached(Slot::Intcon).await?;
        let (compare, default_high, rising, falling) = match trigger {
            InterruptTrigger::RisingEdge => (false, false, true, false),
            InterruptTrigger::FallingEdge => (false, false, false, true),
            InterruptTrigger::AnyEdge => (false, false, true, true),
            InterruptTrigger::WhileHigh => (true, false, false, false),
            InterruptTrigger::WhileLow => (true, true, false, false),
        };
        let new_intcon = if compare { intcon | mask } else { intcon & !mask };
        // DEFVAL matters only where INTCON is set; on-change pins keep theirs.
        let new_defval = if compare {
            replace(defval, mask, if default_high { mask } else { 0 })
        } else {
            defval
        };
        if new_intcon != intcon || new_defval != defval {
            if self.sequential().await? {
                let [d_a, d_b] = reg::encode_pair(new_defval & !reg::DEFVAL_NOT_WRITTEN_BACK);
                let [c_a, c_b] = reg::encode_pair(new_intcon & !reg::INTCON_NOT_WRITTEN_BACK);
                self.cache.set(Slot::Defval, None);
                self.cache.set(Slot::Intcon, None);
                if P::BANKS {
                    self.raw_write(&[reg::DEFVALA, d_a, d_b, c_a, c_b]).await?;
                } else {
                    self.raw_write(&[Self::at(Slot::Defval.index()), d_a, c_a]).await?;
                }
                self.cache.set(Slot::Defval, Some(reg::decode_pair([d_a, d_b])));
                self.cache.set(Slot::Intcon, Some(reg::decode_pair([c_a, c_b])));
            } else {
                self.write_slot(Slot::Defval, new_defval).await?;
                self.write_slot(Slot::Intcon, new_intcon).await?;
            }
        }
        self.forget_levels_if_new(gpinten | mask);
        self.write_slot(Slot::Gpinten, gpinten | mask).await?;
        self.rising_wanted = replace(self.rising_wanted, mask, if rising { mask } else { 0 });
        self.falling_wanted = replace(self.falling_wanted, mask, if falling { mask } else { 0 });
        Ok(())
    }

    /// The interrupt flags (INTF) without clearing anything: one write-read of 1 + 2 bytes.
    pub async fn interrupt_flags(&mut self) -> Result<Pins, Error<IF::Error>> {
        Ok(Pins::from_bits_retain(self.read_pair(Self::at(reg::INTF_INDEX)).await?))
    }

    /// Services the interrupt: reads INTF (one write-read of 1 + 2 bytes), then INTF, INTCAP and GPIO **in that
    /// order, in one burst** (one write-read of 1 + 6 bytes; in byte mode INTCAP and GPIO one pair each), which
    /// clears the pending interrupt after its capture was read, and derives the edges since the previous read of
    /// the levels. A status kept by an earlier [`read_levels`](Self::read_levels) is folded in. GPINTEN and INTCON,
    /// which the edges are worked out with, are read first if not known (1 + 2 bytes each).
    ///
    /// Nothing the chip handed over is lost to an error or (async) a dropped future: the flags of the first read
    /// are kept in the driver until the clearing read is in, so if that read fails or is dropped after the chip
    /// cleared the interrupt, the next call still reports the flagged pins, with the edge away from their previous
    /// level (and back, if they read that level again); and a finished read is kept until a call returns it. So
    /// this call may be dropped (`select`, `with_timeout`) and simply called again. What a lost capture alone held
    /// (other pins of the port that changed and changed back before the read) cannot be recovered.
    ///
    /// Pins on [`InterruptTrigger::WhileHigh`]/[`WhileLow`](InterruptTrigger::WhileLow) interrupt again at once
    /// while their condition holds: disable them (or change the compare value) when handled.
    pub async fn interrupt_status(&mut self) -> Result<InterruptStatus, Error<IF::Error>> {
        let fresh = self.service(true).await?;
        // with no news, the levels just read (not an empty status)
        let latest = self.pending.take().unwrap_or(fresh);
        Ok(match self.set_aside.take() {
            Some(older) => older.merge(latest),
            None => latest,
        })
    }

    /// One service; its status is also folded into `pending` before anything else can happen (no await between).
    /// `keep_flags`: read INTF alone first (in sequential mode; byte mode reads it alone anyway), so that the
    /// flags survive a failed or dropped clearing read; `init`, which discards what was pending, skips it.
    async fn service(&mut self, keep_flags: bool) -> Result<InterruptStatus, Error<IF::Error>> {
        let sequential = self.sequential().await?;
        // which pins interrupt, and how: read if unknown, so that the edges reported are the chip's
        let gpinten = self.cached(Slot::Gpinten).await?;
        let intcon = self.cached(Slot::Intcon).await?;
        let lost = self.unserviced;
        let first = if keep_flags || !sequential {
            self.read_pair(Self::at(reg::INTF_INDEX)).await?
        } else {
            0
        };
        // kept until the clearing read below is in: if that read fails or is dropped, these flags are news
        self.unserviced = lost | first;
        let read = if sequential && !P::BANKS {
            let mut burst = [0u8; 3];
            self.interface
                .read(Self::at(reg::INTF_INDEX), &mut burst)
                .await
                .map_err(Error::Bus)?;
            let [flags, capture, levels] = burst.map(u16::from);
            ServiceRead {
                flags,
                capture,
                levels,
                lost: lost | (first & !flags),
            }
        } else if sequential {
            let mut burst = [0u8; 6];
            self.interface.read(reg::INTFA, &mut burst).await.map_err(Error::Bus)?;
            let [f_a, f_b, c_a, c_b, l_a, l_b] = burst;
            let flags = reg::decode_pair([f_a, f_b]);
            ServiceRead {
                flags,
                capture: reg::decode_pair([c_a, c_b]),
                levels: reg::decode_pair([l_a, l_b]),
                lost: lost | (first & !flags),
            }
        } else {
            let capture = self.read_pair(Self::at(reg::INTCAP_INDEX)).await?;
            // the capture was cleared: if the levels read is lost, the flags stay news
            let levels = self.read_pair(Self::at(reg::GPIO_INDEX)).await?;
            ServiceRead {
                flags: first,
                capture,
                levels,
                lost,
            }
        };
        let status = derive_status(
            read,
            self.last_levels,
            gpinten,
            intcon,
            self.rising_wanted,
            self.falling_wanted,
        );
        self.unserviced = 0;
        self.quiet = self.cache.get(Slot::Gpinten) == Some(0);
        self.last_levels = Some(read.levels);
        if (status.flagged.bits() | status.rising.bits() | status.falling.bits() | status.triggered.bits()) != 0 {
            self.pending = Some(match self.pending {
                Some(older) => older.merge(status),
                None => status,
            });
        }
        Ok(status)
    }

    /// Whether the driver holds interrupt news not yet returned by [`interrupt_status`](Self::interrupt_status):
    /// a status kept by [`read_levels`](Self::read_levels), or flags whose service failed or was dropped before
    /// its clearing read was in. Call `interrupt_status` then without waiting for the INT pin: the chip may
    /// already have cleared it.
    pub fn has_news(&self) -> bool {
        self.pending.is_some() || self.unserviced != 0 || self.set_aside.is_some()
    }

    /// For a `WaitPin`: one service and what it found, the events set aside for others left where they are.
    #[allow(dead_code)] // used by the async `WaitPin` only
    pub(crate) async fn status_for_wait(&mut self) -> Result<InterruptStatus, Error<IF::Error>> {
        let fresh = self.service(true).await?;
        // with no news, the levels just read: an empty status would read as every pin low
        Ok(self.pending.take().unwrap_or(fresh))
    }

    /// For a `WaitPin`: news other than the events set aside for others.
    #[allow(dead_code)] // used by the async `WaitPin` only
    pub(crate) fn has_news_for_wait(&self) -> bool {
        self.pending.is_some() || self.unserviced != 0
    }

    /// For a `WaitPin`: keeps `status` (with the waiting pin's own events removed) for the next
    /// `interrupt_status`.
    #[allow(dead_code)] // used by the async `WaitPin` only
    pub(crate) fn set_aside(&mut self, status: InterruptStatus) {
        if (status.flagged.bits() | status.rising.bits() | status.falling.bits() | status.triggered.bits()) != 0 {
            self.set_aside = Some(match self.set_aside {
                Some(older) => older.merge(status),
                None => status,
            });
        }
    }

    /// A status kept by [`read_levels`](Self::read_levels) (which had to clear a pending interrupt), or other pins'
    /// events a `WaitPin` read, not yet returned by [`interrupt_status`](Self::interrupt_status).
    pub fn pending_status(&self) -> Option<InterruptStatus> {
        match (self.set_aside, self.pending) {
            (Some(older), Some(latest)) => Some(older.merge(latest)),
            (older, latest) => latest.or(older),
        }
    }

    /// The level the INT pins have while an interrupt is pending (from the cached IOCON; active-low if unknown).
    pub fn int_active_high(&self) -> bool {
        self.cache
            .iocon()
            .is_some_and(|iocon| Self::decode_config(iocon).int_output.active_high())
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        Interface(sync = "Interface", async = "AsyncInterface")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF: Interface, P: TwoPorts> Mcp23017<IF, P> {
    // ---- what only the 16-pin parts have: two ports, two INT pins ---------------------------------------

    /// Writes one port's register of a pair in one 2-byte write; the cache keeps the other port once it succeeded.
    async fn write_slot_port(&mut self, slot: Slot, port: Port, byte: u8) -> Result<(), Error<IF::Error>> {
        let byte = byte & !Pins::from_bits_retain(slot.not_written_back()).port(port);
        self.map().await?;
        let before = self.cache.take(slot);
        self.raw_write(&[reg::address(slot.index(), port.index(), false), byte])
            .await?;
        self.cache.set(slot, before.map(|value| with_port(value, port, byte)));
        Ok(())
    }

    /// INTA and INTB mirrored (IOCON.MIRROR): either pin signals both ports. One 3-byte write.
    pub async fn set_int_mirror(&mut self, mirror: bool) -> Result<(), Error<IF::Error>> {
        let config = Config {
            mirror_interrupts: mirror,
            ..Self::decode_config(self.map().await?)
        };
        self.set_config(config).await
    }

    /// One port's directions (bit set = input) in one 2-byte write.
    pub async fn set_port_directions(&mut self, port: Port, inputs: u8) -> Result<(), Error<IF::Error>> {
        self.check_inputs(Pins::from_port(port, inputs).bits())?;
        self.write_slot_port(Slot::Iodir, port, inputs).await
    }

    /// One port's pull-ups in one 2-byte write.
    pub async fn set_port_pull_ups(&mut self, port: Port, pull_ups: u8) -> Result<(), Error<IF::Error>> {
        self.write_slot_port(Slot::Gppu, port, pull_ups).await
    }

    /// One port's input polarity in one 2-byte write.
    pub async fn set_port_input_polarity(&mut self, port: Port, inverted: u8) -> Result<(), Error<IF::Error>> {
        self.write_slot_port(Slot::Ipol, port, inverted).await
    }

    /// One port's output latch in one 2-byte write.
    pub async fn write_port(&mut self, port: Port, levels: u8) -> Result<(), Error<IF::Error>> {
        self.write_slot_port(Slot::Olat, port, levels).await
    }

    /// The levels of one port: one write-read of 1 + 1 byte (GPIOA or GPIOB alone) while no interrupt is enabled;
    /// with interrupts on, the service of [`read_levels`](Self::read_levels), whose status is kept.
    pub async fn read_port(&mut self, port: Port) -> Result<u8, Error<IF::Error>> {
        if self.levels_alone() {
            self.map().await?;
            let byte = self.raw_byte(reg::GPIOA | port.index()).await?;
            self.last_levels = self.last_levels.map(|levels| with_port(levels, port, byte));
            return Ok(byte);
        }
        Ok(self.service(true).await?.levels.port(port))
    }
}

#[maybe_async_cfg::maybe(
    idents(
        Mcp23017(sync = "Mcp23017", async = "Mcp23017Async"),
        Interface(sync = "Interface", async = "AsyncInterface")
    ),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<IF: Interface, P: OpenDrainOutputs> Mcp23017<IF, P> {
    /// Makes `pin` an open-drain output (MCP23x18): `released` = latch 1, the pin let go (high impedance: it
    /// reads high through a pull-up), else latch 0, the pin sinking (up to 25 mA). `pull_up`: the chip's ~100 kΩ
    /// pull-up on the pin, which on this part also acts on outputs (off: an external pull-up is expected).
    ///
    /// Glitch-free order: the pull-up (one 3-byte write), then the latch (3 bytes), then the direction (3 bytes);
    /// the pull-up and latch writes are skipped when the cache shows them already right, the direction is always
    /// written. Never refused: the MCP23x18's GPA7/GPB7 have no restriction.
    pub async fn set_open_drain_output(
        &mut self,
        pin: PinId,
        released: bool,
        pull_up: bool,
    ) -> Result<(), Error<IF::Error>> {
        let bit = pin.mask().bits();
        for (slot, set) in [(Slot::Gppu, pull_up), (Slot::Olat, released)] {
            let current = self.cached(slot).await?;
            let wanted = if set { current | bit } else { current & !bit };
            if wanted != current {
                self.write_slot(slot, wanted).await?;
            }
        }
        let iodir = self.cached(Slot::Iodir).await?;
        self.write_slot(Slot::Iodir, iodir & !bit).await
    }

    /// Which read clears a pending interrupt (IOCON.INTCC, MCP23x18 only): one 3-byte write of both IOCON
    /// addresses, the other IOCON bits kept (IOCON read first if not cached). [`init`](Self::init) leaves the
    /// power-on [`InterruptClear::ReadingGpio`].
    ///
    /// The driver's own service reads INTCAP, then GPIO, so it clears the interrupt under either setting; the
    /// setting matters to what else reads the chip (another master, raw reads through `bus_mut`): with
    /// `ReadingIntcap` a read of GPIO leaves a pending interrupt and its capture alone. The driver still services
    /// before it reads the levels while interrupts are enabled ([`read_levels`](Self::read_levels)): whether a GPIO
    /// read clears nothing at all with INTCC set is not settled by the sources seen, and a lost capture would be a
    /// lost event.
    pub async fn set_interrupt_clear(&mut self, clear: InterruptClear) -> Result<(), Error<IF::Error>> {
        let iocon = self.map().await?;
        let iocon = match clear {
            InterruptClear::ReadingGpio => iocon & !reg::IOCON_INTCC,
            InterruptClear::ReadingIntcap => iocon | reg::IOCON_INTCC,
        } & !P::IOCON_NOT_WRITTEN_BACK;
        self.cache.set_iocon(None);
        self.raw_write(&[reg::IOCON, iocon, iocon]).await?;
        self.cache.set_iocon(Some(iocon));
        Ok(())
    }

    /// The INTCC setting: from the cached IOCON, or read from the chip (see [`config`](Self::config)).
    pub async fn interrupt_clear(&mut self) -> Result<InterruptClear, Error<IF::Error>> {
        Ok(if self.map().await? & reg::IOCON_INTCC != 0 {
            InterruptClear::ReadingIntcap
        } else {
            InterruptClear::ReadingGpio
        })
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<SPI, P: Part> Mcp23017<SpiInterface<SPI>, P> {
    /// The hardware address the driver talks to (always 0 on the MCP23S18).
    pub fn hardware_address(&self) -> HardwareAddress {
        self.interface.address
    }
}

#[maybe_async_cfg::maybe(
    idents(Mcp23017(sync = "Mcp23017", async = "Mcp23017Async")),
    sync(cfg(all())),
    async(feature = "async")
)]
impl<I2C, P: Part> Mcp23017<I2cInterface<I2C>, P> {
    /// The I2C address the driver talks to.
    pub fn address(&self) -> Address {
        self.interface.address
    }
}
