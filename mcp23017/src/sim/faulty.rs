//! `FaultyBus`: a bus wrapper that fails chosen transactions, before the chip saw them, after it performed them, or
//! part way through the bytes the host wrote (issue 12; the same shape in every crate of the workspace).

use embedded_hal::i2c::{self, NoAcknowledgeSource};
use embedded_hal::spi;

/// Where an injected fault cuts a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultPoint {
    /// The chip sees nothing of the transaction.
    BeforeChip,
    /// The chip performs the whole transaction (its registers change, a read clears what reading clears), then
    /// the host sees the error.
    AfterChip,
    /// The chip takes the first `n` bytes the host wrote in the transaction (on SPI the opcode counts) and nothing
    /// after: no byte is read. `Partway(0)` is `BeforeChip`.
    Partway(usize),
}

/// The error an injected fault reports, per bus kind (see [`FaultyBus::set_error_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// On the I2C traits (default: `NoAcknowledge(Data)`).
    I2c(i2c::ErrorKind),
    /// On the SPI traits (default: `Other`).
    Spi(spi::ErrorKind),
}

#[cfg(feature = "defmt")]
impl defmt::Format for FaultKind {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self));
    }
}

impl From<i2c::ErrorKind> for FaultKind {
    fn from(kind: i2c::ErrorKind) -> Self {
        Self::I2c(kind)
    }
}

impl From<spi::ErrorKind> for FaultKind {
    fn from(kind: spi::ErrorKind) -> Self {
        Self::Spi(kind)
    }
}

/// The error of a [`FaultyBus`]: an injected fault, or the wrapped bus's own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FaultyBusError<E> {
    /// A fault injected by the plan.
    Injected(FaultKind),
    /// The wrapped bus failed.
    Bus(E),
}

impl<E: i2c::Error> i2c::Error for FaultyBusError<E> {
    fn kind(&self) -> i2c::ErrorKind {
        match self {
            Self::Injected(FaultKind::I2c(kind)) => *kind,
            Self::Injected(FaultKind::Spi(_)) => i2c::ErrorKind::Other,
            Self::Bus(e) => e.kind(),
        }
    }
}

impl<E: spi::Error> spi::Error for FaultyBusError<E> {
    fn kind(&self) -> spi::ErrorKind {
        match self {
            Self::Injected(FaultKind::Spi(kind)) => *kind,
            Self::Injected(FaultKind::I2c(_)) => spi::ErrorKind::Other,
            Self::Bus(e) => e.kind(),
        }
    }
}

/// Wraps any bus (a sim, a [`CountingBus`](super::CountingBus), a shared-bus handle) and fails the transactions
/// its plan says, for fault-tolerance tests. One call of `transaction` is one transaction. Implements the
/// blocking and async I2C and `SpiDevice` traits the wrapped bus implements.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FaultyBus<B> {
    bus: B,
    nth: Option<(u32, FaultPoint)>,
    random: Option<(u64, u16)>,
    stuck: Option<u8>,
    kind: Option<FaultKind>,
    yield_around: bool,
    transactions: u32,
    faults: u32,
}

/// The most bytes a `Partway` fault hands to the chip (more than any transaction of this driver).
const PARTWAY_CAPACITY: usize = 64;

impl<B> FaultyBus<B> {
    /// `bus` without faults.
    pub fn new(bus: B) -> Self {
        Self {
            bus,
            nth: None,
            random: None,
            stuck: None,
            kind: None,
            yield_around: false,
            transactions: 0,
            faults: 0,
        }
    }

    /// The wrapped bus.
    pub fn into_inner(self) -> B {
        self.bus
    }

    /// The wrapped bus, borrowed.
    pub fn inner(&self) -> &B {
        &self.bus
    }

    /// The wrapped bus, borrowed mutably (say, to drive the sim's pins).
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Transaction `n` counted from now (0 = the next one) fails once, at `point`.
    pub fn fail_nth(&mut self, n: u32, point: FaultPoint) {
        self.nth = Some((n, point));
    }

    /// Each transaction fails with probability `per_mille`/1000, at a point chosen at random, from a small
    /// deterministic generator seeded with `seed`.
    pub fn fail_randomly(&mut self, seed: u64, per_mille: u16) {
        // xorshift needs a non-zero state
        self.random = Some((seed | 1, per_mille));
    }

    /// Ends both plans ([`fail_nth`](Self::fail_nth), [`fail_randomly`](Self::fail_randomly)).
    pub fn stop_failing(&mut self) {
        self.nth = None;
        self.random = None;
    }

    /// `Some(byte)`: every byte the host reads is `byte` (a chip that answers the same byte for ever, a floating
    /// bus); the chip still performs the transaction. `None` ends it.
    pub fn stuck_at(&mut self, byte: Option<u8>) {
        self.stuck = byte;
    }

    /// The error an injected fault reports (I2C default `NoAcknowledge(Data)`; SPI `Other`).
    pub fn set_error_kind(&mut self, kind: impl Into<FaultKind>) {
        self.kind = Some(kind.into());
    }

    /// `true`: the async impls return `Pending` once before a transaction reaches the chip and once after it did,
    /// so a test can drop a future at every await point. The blocking impls ignore it.
    pub fn yield_around_transactions(&mut self, on: bool) {
        self.yield_around = on;
    }

    /// Transactions attempted so far (failed ones included).
    pub fn transactions(&self) -> u32 {
        self.transactions
    }

    /// Faults injected so far.
    pub fn faults(&self) -> u32 {
        self.faults
    }

    fn next_random(state: &mut u64) -> u64 {
        let mut x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        x
    }

    /// Counts the transaction and decides its fate; `written` = the bytes the host writes before its first read.
    fn plan(&mut self, written: usize) -> Option<FaultPoint> {
        self.transactions = self.transactions.saturating_add(1);
        let mut fault = None;
        if let Some((n, point)) = self.nth {
            if n == 0 {
                fault = Some(point);
                self.nth = None;
            } else {
                self.nth = Some((n.saturating_sub(1), point));
            }
        }
        if let (None, Some((state, per_mille))) = (fault, self.random.as_mut()) {
            let r = Self::next_random(state);
            if r % 1000 < u64::from(*per_mille) {
                let cut = usize::try_from(r >> 32).unwrap_or(0) % written.saturating_add(1);
                fault = Some(match (r >> 16) % 3 {
                    0 => FaultPoint::BeforeChip,
                    1 => FaultPoint::AfterChip,
                    _ => FaultPoint::Partway(cut),
                });
            }
        }
        if fault.is_some() {
            self.faults = self.faults.saturating_add(1);
        }
        fault
    }

    fn injected<E>(&self, default: FaultKind) -> FaultyBusError<E> {
        FaultyBusError::Injected(match (self.kind, default) {
            (Some(kind @ FaultKind::I2c(_)), FaultKind::I2c(_))
            | (Some(kind @ FaultKind::Spi(_)), FaultKind::Spi(_)) => kind,
            _ => default,
        })
    }
}

const I2C_DEFAULT: FaultKind = FaultKind::I2c(i2c::ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data));
const SPI_DEFAULT: FaultKind = FaultKind::Spi(spi::ErrorKind::Other);

/// The bytes written before the first read.
fn i2c_written(operations: &[i2c::Operation<'_>]) -> usize {
    let mut total = 0usize;
    for operation in operations {
        match operation {
            i2c::Operation::Write(bytes) => total = total.saturating_add(bytes.len()),
            i2c::Operation::Read(_) => break,
        }
    }
    total
}

/// The first `n` bytes written before the first read, gathered into `buffer`; returns how many.
fn i2c_gather(operations: &[i2c::Operation<'_>], n: usize, buffer: &mut [u8; PARTWAY_CAPACITY]) -> usize {
    let mut taken = 0usize;
    for operation in operations {
        match operation {
            i2c::Operation::Write(bytes) => {
                for byte in bytes.iter() {
                    if taken >= n {
                        return taken;
                    }
                    if let Some(slot) = buffer.get_mut(taken) {
                        *slot = *byte;
                        taken = taken.saturating_add(1);
                    }
                }
            }
            i2c::Operation::Read(_) => break,
        }
    }
    taken
}

fn i2c_stick(operations: &mut [i2c::Operation<'_>], stuck: Option<u8>) {
    if let Some(byte) = stuck {
        for operation in operations {
            if let i2c::Operation::Read(buffer) = operation {
                buffer.fill(byte);
            }
        }
    }
}

fn spi_written(operations: &[spi::Operation<'_, u8>]) -> usize {
    let mut total = 0usize;
    for operation in operations {
        match operation {
            spi::Operation::Write(bytes) => total = total.saturating_add(bytes.len()),
            spi::Operation::Transfer(_, bytes) => total = total.saturating_add(bytes.len()),
            spi::Operation::TransferInPlace(bytes) => total = total.saturating_add(bytes.len()),
            spi::Operation::Read(_) => break,
            spi::Operation::DelayNs(_) => {}
        }
    }
    total
}

fn spi_gather(operations: &[spi::Operation<'_, u8>], n: usize, buffer: &mut [u8; PARTWAY_CAPACITY]) -> usize {
    let mut taken = 0usize;
    for operation in operations {
        let bytes: &[u8] = match operation {
            spi::Operation::Write(bytes) => bytes,
            spi::Operation::Transfer(_, bytes) => bytes,
            spi::Operation::TransferInPlace(bytes) => bytes,
            spi::Operation::Read(_) => break,
            spi::Operation::DelayNs(_) => continue,
        };
        for byte in bytes.iter() {
            if taken >= n {
                return taken;
            }
            if let Some(slot) = buffer.get_mut(taken) {
                *slot = *byte;
                taken = taken.saturating_add(1);
            }
        }
    }
    taken
}

fn spi_stick(operations: &mut [spi::Operation<'_, u8>], stuck: Option<u8>) {
    if let Some(byte) = stuck {
        for operation in operations {
            match operation {
                spi::Operation::Read(buffer) | spi::Operation::TransferInPlace(buffer) => buffer.fill(byte),
                spi::Operation::Transfer(buffer, _) => buffer.fill(byte),
                spi::Operation::Write(_) | spi::Operation::DelayNs(_) => {}
            }
        }
    }
}

impl<B: i2c::ErrorType> i2c::ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: i2c::I2c> i2c::I2c for FaultyBus<B> {
    fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        match self.plan(i2c_written(operations)) {
            None => {
                let result = self.bus.transaction(address, operations).map_err(FaultyBusError::Bus);
                i2c_stick(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => Err(self.injected(I2C_DEFAULT)),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations);
                Err(self.injected(I2C_DEFAULT))
            }
            Some(FaultPoint::Partway(n)) => {
                let mut buffer = [0; PARTWAY_CAPACITY];
                let taken = i2c_gather(operations, n, &mut buffer);
                if let Some(bytes) = buffer.get(..taken).filter(|bytes| !bytes.is_empty()) {
                    let _ = self.bus.transaction(address, &mut [i2c::Operation::Write(bytes)]);
                }
                Err(self.injected(I2C_DEFAULT))
            }
        }
    }
}

impl<B: spi::ErrorType> spi::ErrorType for FaultyBus<B> {
    type Error = FaultyBusError<B::Error>;
}

impl<B: spi::SpiDevice> spi::SpiDevice for FaultyBus<B> {
    fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        match self.plan(spi_written(operations)) {
            None => {
                let result = self.bus.transaction(operations).map_err(FaultyBusError::Bus);
                spi_stick(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => Err(self.injected(SPI_DEFAULT)),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(operations);
                Err(self.injected(SPI_DEFAULT))
            }
            Some(FaultPoint::Partway(n)) => {
                let mut buffer = [0; PARTWAY_CAPACITY];
                let taken = spi_gather(operations, n, &mut buffer);
                if let Some(bytes) = buffer.get(..taken).filter(|bytes| !bytes.is_empty()) {
                    let _ = self.bus.transaction(&mut [spi::Operation::Write(bytes)]);
                }
                Err(self.injected(SPI_DEFAULT))
            }
        }
    }
}

/// Returns `Pending` once (waking itself), then `Ready`: one await point.
#[cfg(feature = "async")]
struct YieldOnce(bool);

#[cfg(feature = "async")]
impl core::future::Future for YieldOnce {
    type Output = ();

    fn poll(mut self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> core::task::Poll<()> {
        if self.0 {
            core::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            core::task::Poll::Pending
        }
    }
}

#[cfg(feature = "async")]
impl<B> FaultyBus<B> {
    async fn maybe_yield(&self) {
        if self.yield_around {
            YieldOnce(false).await;
        }
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::i2c::I2c> embedded_hal_async::i2c::I2c for FaultyBus<B> {
    async fn transaction(&mut self, address: u8, operations: &mut [i2c::Operation<'_>]) -> Result<(), Self::Error> {
        self.maybe_yield().await;
        let result = match self.plan(i2c_written(operations)) {
            None => {
                let result = self
                    .bus
                    .transaction(address, operations)
                    .await
                    .map_err(FaultyBusError::Bus);
                i2c_stick(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => return Err(self.injected(I2C_DEFAULT)),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(address, operations).await;
                Err(self.injected(I2C_DEFAULT))
            }
            Some(FaultPoint::Partway(n)) => {
                let mut buffer = [0; PARTWAY_CAPACITY];
                let taken = i2c_gather(operations, n, &mut buffer);
                if let Some(bytes) = buffer.get(..taken).filter(|bytes| !bytes.is_empty()) {
                    let _ = self.bus.transaction(address, &mut [i2c::Operation::Write(bytes)]).await;
                }
                Err(self.injected(I2C_DEFAULT))
            }
        };
        self.maybe_yield().await;
        result
    }
}

#[cfg(feature = "async")]
impl<B: embedded_hal_async::spi::SpiDevice> embedded_hal_async::spi::SpiDevice for FaultyBus<B> {
    async fn transaction(&mut self, operations: &mut [spi::Operation<'_, u8>]) -> Result<(), Self::Error> {
        self.maybe_yield().await;
        let result = match self.plan(spi_written(operations)) {
            None => {
                let result = self.bus.transaction(operations).await.map_err(FaultyBusError::Bus);
                spi_stick(operations, self.stuck);
                result
            }
            Some(FaultPoint::BeforeChip) => return Err(self.injected(SPI_DEFAULT)),
            Some(FaultPoint::AfterChip) => {
                let _ = self.bus.transaction(operations).await;
                Err(self.injected(SPI_DEFAULT))
            }
            Some(FaultPoint::Partway(n)) => {
                let mut buffer = [0; PARTWAY_CAPACITY];
                let taken = spi_gather(operations, n, &mut buffer);
                if let Some(bytes) = buffer.get(..taken).filter(|bytes| !bytes.is_empty()) {
                    let _ = self.bus.transaction(&mut [spi::Operation::Write(bytes)]).await;
                }
                Err(self.injected(SPI_DEFAULT))
            }
        };
        self.maybe_yield().await;
        result
    }
}
