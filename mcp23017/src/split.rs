//! Pin objects: the 16 pins as independent `embedded_hal::digital` pins sharing one blocking driver.

use core::cell::RefCell;
use core::marker::PhantomData;

use embedded_hal::digital::{ErrorType, InputPin, OutputPin, StatefulOutputPin};

use crate::part::{Mcp23x08, OpenDrainOutputs, Part, PushPullOutputs, TwoPorts};
use crate::{Error, Interface, Mcp23017, PinId, PinMode};

/// A driver shared between pin objects: a `RefCell` for one execution context, or a
/// `critical_section::Mutex<RefCell<_>>` for pins used from interrupts too.
pub trait SharedDevice {
    /// What is shared.
    type Device;

    /// Runs `f` with the device, or returns `None` if it is already in use (a `RefCell` borrowed by an
    /// interrupted caller); never panics.
    fn with<R>(&self, f: impl FnOnce(&mut Self::Device) -> R) -> Option<R>;
}

impl<T> SharedDevice for RefCell<T> {
    type Device = T;

    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let mut device = self.try_borrow_mut().ok()?;
        Some(f(&mut device))
    }
}

impl<T> SharedDevice for critical_section::Mutex<RefCell<T>> {
    type Device = T;

    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        critical_section::with(|cs| {
            let mut device = self.borrow(cs).try_borrow_mut().ok()?;
            Some(f(&mut device))
        })
    }
}

/// Pin mode: input without pull-up.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Input;
/// Pin mode: input with the ~100 kΩ pull-up.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PullUpInput;
/// Pin mode: push-pull output (MCP23x17).
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Output;
/// Pin mode: open-drain output (MCP23x18). `set_high` **releases** the pin (latch 1, high impedance: it reads high
/// only through a pull-up, the chip's own or an external one), `set_low` makes it sink.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OpenDrain;

/// One pin of a shared driver, in mode `MODE` ([`Input`], [`PullUpInput`], [`Output`] on the MCP23x17 or
/// [`OpenDrain`] on the MCP23x18).
///
/// Inputs implement `InputPin` (each read is one write-read of both ports), outputs `OutputPin` and
/// `StatefulOutputPin` (each change is one 3-byte write from the cached latch; the state comes from the cache:
/// on an [`OpenDrain`] pin "set high" is the latch, released, not the level the pin reads).
/// A conversion that fails on the bus consumes the pin: [`split`] the device again to get it back.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pin<'a, S, MODE> {
    shared: &'a S,
    id: PinId,
    mode: PhantomData<MODE>,
}

/// The 16 pins of a device, as [`split`] returns them, in [`Input`] mode (the state
/// [`init`](crate::Mcp23017::init) leaves).
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Parts<'a, S> {
    /// GPA0: port A, bit 0.
    pub a0: Pin<'a, S, Input>,
    /// GPA1: port A, bit 1.
    pub a1: Pin<'a, S, Input>,
    /// GPA2: port A, bit 2.
    pub a2: Pin<'a, S, Input>,
    /// GPA3: port A, bit 3.
    pub a3: Pin<'a, S, Input>,
    /// GPA4: port A, bit 4.
    pub a4: Pin<'a, S, Input>,
    /// GPA5: port A, bit 5.
    pub a5: Pin<'a, S, Input>,
    /// GPA6: port A, bit 6.
    pub a6: Pin<'a, S, Input>,
    /// GPA7: output-only on the MCP23017; [`into_output`](Pin::into_output) it.
    pub a7: Pin<'a, S, Input>,
    /// GPB0: port B, bit 0.
    pub b0: Pin<'a, S, Input>,
    /// GPB1: port B, bit 1.
    pub b1: Pin<'a, S, Input>,
    /// GPB2: port B, bit 2.
    pub b2: Pin<'a, S, Input>,
    /// GPB3: port B, bit 3.
    pub b3: Pin<'a, S, Input>,
    /// GPB4: port B, bit 4.
    pub b4: Pin<'a, S, Input>,
    /// GPB5: port B, bit 5.
    pub b5: Pin<'a, S, Input>,
    /// GPB6: port B, bit 6.
    pub b6: Pin<'a, S, Input>,
    /// GPB7: output-only on the MCP23017; [`into_output`](Pin::into_output) it.
    pub b7: Pin<'a, S, Input>,
}

/// Splits a shared driver into its 16 pins. Sends nothing: the pins are typed [`Input`], as after
/// [`init`](crate::Mcp23017::init); convert them with `into_*`.
///
/// ```
/// # use embedded_hal_mock::eh1::i2c::{Mock, Transaction};
/// use core::cell::RefCell;
/// use embedded_hal::digital::OutputPin;
/// use mcp23017::{Address, Mcp23017};
///
/// # let mut i2c = Mock::new(&[
/// #     Transaction::write_read(0x20, vec![0x05], vec![0x00]),
/// #     Transaction::write_read(0x20, vec![0x0A], vec![0x00]),
/// #     Transaction::write_read(0x20, vec![0x14], vec![0x00, 0x00]),
/// #     Transaction::write(0x20, vec![0x14, 0x01, 0x00]),
/// #     Transaction::write_read(0x20, vec![0x00], vec![0xFF, 0xFF]),
/// #     Transaction::write(0x20, vec![0x00, 0xFE, 0xFF]),
/// #     Transaction::write(0x20, vec![0x14, 0x00, 0x00]),
/// # ]);
/// let mcp = RefCell::new(Mcp23017::new(i2c.clone(), Address::DEFAULT));
/// let pins = mcp23017::split(&mcp);
/// let mut led = pins.a0.into_output(true)?;
/// led.set_low()?;
/// # i2c.done();
/// # Ok::<(), mcp23017::Error<embedded_hal::i2c::ErrorKind>>(())
/// ```
pub fn split<S, IF, P>(shared: &S) -> Parts<'_, S>
where
    S: SharedDevice<Device = Mcp23017<IF, P>>,
    P: TwoPorts,
{
    let pin = |id| Pin {
        shared,
        id,
        mode: PhantomData,
    };
    Parts {
        a0: pin(PinId::A0),
        a1: pin(PinId::A1),
        a2: pin(PinId::A2),
        a3: pin(PinId::A3),
        a4: pin(PinId::A4),
        a5: pin(PinId::A5),
        a6: pin(PinId::A6),
        a7: pin(PinId::A7),
        b0: pin(PinId::B0),
        b1: pin(PinId::B1),
        b2: pin(PinId::B2),
        b3: pin(PinId::B3),
        b4: pin(PinId::B4),
        b5: pin(PinId::B5),
        b6: pin(PinId::B6),
        b7: pin(PinId::B7),
    }
}

/// The 8 pins of an MCP23008/MCP23S08 (GP0..GP7, `PinId::A0..A7`), as [`split_mcp23008`] returns them, in
/// [`Input`] mode.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Parts8<'a, S> {
    /// GP0.
    pub gp0: Pin<'a, S, Input>,
    /// GP1.
    pub gp1: Pin<'a, S, Input>,
    /// GP2.
    pub gp2: Pin<'a, S, Input>,
    /// GP3.
    pub gp3: Pin<'a, S, Input>,
    /// GP4.
    pub gp4: Pin<'a, S, Input>,
    /// GP5.
    pub gp5: Pin<'a, S, Input>,
    /// GP6.
    pub gp6: Pin<'a, S, Input>,
    /// GP7 (refused as an input on the I2C MCP23008 unless allowed: see
    /// [`ArgumentError::OutputOnlyPin`](crate::ArgumentError::OutputOnlyPin)).
    pub gp7: Pin<'a, S, Input>,
}

/// Splits a shared MCP23008/MCP23S08 driver into its 8 pins (the 16-pin parts use [`split`]). Sends nothing.
pub fn split_mcp23008<S, IF>(shared: &S) -> Parts8<'_, S>
where
    S: SharedDevice<Device = Mcp23017<IF, Mcp23x08>>,
{
    let pin = |id| Pin {
        shared,
        id,
        mode: PhantomData,
    };
    Parts8 {
        gp0: pin(PinId::A0),
        gp1: pin(PinId::A1),
        gp2: pin(PinId::A2),
        gp3: pin(PinId::A3),
        gp4: pin(PinId::A4),
        gp5: pin(PinId::A5),
        gp6: pin(PinId::A6),
        gp7: pin(PinId::A7),
    }
}

impl<'a, S, MODE> Pin<'a, S, MODE> {
    /// Which pin this is.
    pub fn id(&self) -> PinId {
        self.id
    }

    fn retype<NEW>(self) -> Pin<'a, S, NEW> {
        Pin {
            shared: self.shared,
            id: self.id,
            mode: PhantomData,
        }
    }
}

impl<'a, S, IF, P, MODE> Pin<'a, S, MODE>
where
    S: SharedDevice<Device = Mcp23017<IF, P>>,
    IF: Interface,
    P: Part,
{
    fn run<R>(
        &self,
        f: impl FnOnce(&mut Mcp23017<IF, P>, PinId) -> Result<R, Error<IF::Error>>,
    ) -> Result<R, Error<IF::Error>> {
        let id = self.id;
        self.shared.with(|device| f(device, id)).unwrap_or(Err(Error::Busy))
    }

    fn convert<NEW>(self, mode: PinMode) -> Result<Pin<'a, S, NEW>, Error<IF::Error>> {
        self.run(|device, id| device.set_pin_mode(id, mode))?;
        Ok(self.retype())
    }

    /// An input without pull-up: pull-up off (if it was on), then the direction. Refused for GPA7/GPB7 on the
    /// MCP23017 unless allowed (see [`ArgumentError::OutputOnlyPin`](crate::ArgumentError::OutputOnlyPin)).
    pub fn into_input(self) -> Result<Pin<'a, S, Input>, Error<IF::Error>> {
        self.convert(PinMode::Input)
    }

    /// An input with pull-up: pull-up on, then the direction. Same GPA7/GPB7 rule as [`into_input`](Self::into_input).
    pub fn into_pull_up_input(self) -> Result<Pin<'a, S, PullUpInput>, Error<IF::Error>> {
        self.convert(PinMode::InputPullUp)
    }
}

impl<'a, S, IF, P, MODE> Pin<'a, S, MODE>
where
    S: SharedDevice<Device = Mcp23017<IF, P>>,
    IF: Interface,
    P: PushPullOutputs,
{
    /// An output driving `high`: the latch first, then the direction, so the pin never shows the old latch.
    pub fn into_output(self, high: bool) -> Result<Pin<'a, S, Output>, Error<IF::Error>> {
        self.convert(PinMode::Output { high })
    }

    /// An output driving high from the start.
    pub fn into_output_high(self) -> Result<Pin<'a, S, Output>, Error<IF::Error>> {
        self.into_output(true)
    }

    /// An output driving low from the start.
    pub fn into_output_low(self) -> Result<Pin<'a, S, Output>, Error<IF::Error>> {
        self.into_output(false)
    }
}

impl<'a, S, IF, P, MODE> Pin<'a, S, MODE>
where
    S: SharedDevice<Device = Mcp23017<IF, P>>,
    IF: Interface,
    P: OpenDrainOutputs,
{
    fn open_drain(self, released: bool, pull_up: bool) -> Result<Pin<'a, S, OpenDrain>, Error<IF::Error>> {
        self.run(|device, id| device.set_open_drain_output(id, released, pull_up))?;
        Ok(self.retype())
    }

    /// An open-drain output without the chip's pull-up (an external one expected), `released` (latch 1) or
    /// sinking: pull-up off, the latch, then the direction (see
    /// [`set_open_drain_output`](Mcp23017::set_open_drain_output)).
    pub fn into_open_drain_output(self, released: bool) -> Result<Pin<'a, S, OpenDrain>, Error<IF::Error>> {
        self.open_drain(released, false)
    }

    /// An open-drain output with the chip's ~100 kΩ pull-up, which on the MCP23x18 acts on outputs too: released,
    /// it reads high with no part outside.
    pub fn into_open_drain_output_pull_up(self, released: bool) -> Result<Pin<'a, S, OpenDrain>, Error<IF::Error>> {
        self.open_drain(released, true)
    }
}

impl<S, IF, P, MODE> ErrorType for Pin<'_, S, MODE>
where
    S: SharedDevice<Device = Mcp23017<IF, P>>,
    IF: Interface,
    P: Part,
    IF::Error: core::fmt::Debug,
{
    type Error = Error<IF::Error>;
}

macro_rules! input_pin {
    ($mode:ty) => {
        impl<S, IF, P> InputPin for Pin<'_, S, $mode>
        where
            S: SharedDevice<Device = Mcp23017<IF, P>>,
            IF: Interface,
            P: Part,
            IF::Error: core::fmt::Debug,
        {
            fn is_high(&mut self) -> Result<bool, Self::Error> {
                self.run(|device, id| device.pin_is_high(id))
            }

            fn is_low(&mut self) -> Result<bool, Self::Error> {
                self.run(|device, id| device.pin_is_high(id)).map(|high| !high)
            }
        }
    };
}

input_pin!(Input);
input_pin!(PullUpInput);

macro_rules! output_pin {
    ($mode:ty, $bound:path) => {
        impl<S, IF, P> OutputPin for Pin<'_, S, $mode>
        where
            S: SharedDevice<Device = Mcp23017<IF, P>>,
            IF: Interface,
            IF::Error: core::fmt::Debug,
            P: $bound,
        {
            fn set_low(&mut self) -> Result<(), Self::Error> {
                self.run(|device, id| device.set_pin(id, false))
            }

            fn set_high(&mut self) -> Result<(), Self::Error> {
                self.run(|device, id| device.set_pin(id, true))
            }
        }

        impl<S, IF, P> StatefulOutputPin for Pin<'_, S, $mode>
        where
            S: SharedDevice<Device = Mcp23017<IF, P>>,
            IF: Interface,
            IF::Error: core::fmt::Debug,
            P: $bound,
        {
            fn is_set_high(&mut self) -> Result<bool, Self::Error> {
                self.run(|device, id| device.pin_is_set_high(id))
            }

            fn is_set_low(&mut self) -> Result<bool, Self::Error> {
                self.run(|device, id| device.pin_is_set_high(id))
                    .map(|high| !high)
            }

            fn toggle(&mut self) -> Result<(), Self::Error> {
                self.run(|device, id| device.toggle_pin(id))
            }
        }
    };
}

output_pin!(Output, PushPullOutputs);
output_pin!(OpenDrain, OpenDrainOutputs);
