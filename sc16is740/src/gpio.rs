//! The GPIOs of the SC16IS750 / 760 / 752 / 762 as `embedded-hal` digital pins sharing one driver.

use core::cell::RefCell;

use embedded_hal::digital::{ErrorType, InputPin, OutputPin, StatefulOutputPin};

use crate::interface::Interface;
use crate::types::variant::HasGpio;
use crate::{Error, GpioPin, Sc16is7xx};

/// A driver shared between pin handles: a `RefCell` for one execution context, or a
/// `critical_section::Mutex<RefCell<_>>` for handles used from interrupts too.
pub trait SharedDevice {
    /// What is shared.
    type Device;

    /// Runs `f` with the device, or returns `None` if it is already in use; never panics.
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

/// One GPIO of a shared blocking driver, as `embedded_hal::digital::{InputPin, OutputPin, StatefulOutputPin}`.
///
/// Output writes come from the driver's cached latch (one 2-byte write, never a read of the pins);
/// [`into_output`](Self::into_output) sets the direction before the level, as the chip needs.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Gpio<'a, S> {
    shared: &'a S,
    pin: GpioPin,
}

/// Splits a shared driver into its 8 GPIO handles, GPIO0 first.
///
/// ```
/// use core::cell::RefCell;
/// use embedded_hal::digital::OutputPin;
/// use sc16is740::fugit::RateExtU32;
/// use sc16is740::{sim::{Sc16is7xxSim, SimVariant}, Address, Sc16is750, Sc16is7xx};
///
/// let chip = Sc16is7xxSim::new(SimVariant::Sc16is750, 14_745_600.Hz());
/// let uart = RefCell::new(Sc16is7xx::new_i2c(chip, Address::DEFAULT, 14_745_600.Hz(), Sc16is750));
/// let [mut led, ..] = sc16is740::gpio_pins(&uart);
/// led.into_output(false)?;
/// led.set_high()?;
/// assert_eq!(uart.into_inner().release().gpio_output_levels() & 1, 1);
/// # Ok::<(), sc16is740::Error<embedded_hal::i2c::ErrorKind>>(())
/// ```
pub fn gpio_pins<S: SharedDevice>(shared: &S) -> [Gpio<'_, S>; 8] {
    GpioPin::ALL.map(|pin| Gpio { shared, pin })
}

impl<S> Gpio<'_, S> {
    /// The pin this handle drives.
    pub fn pin(&self) -> GpioPin {
        self.pin
    }
}

impl<S, IF, V> Gpio<'_, S>
where
    S: SharedDevice<Device = Sc16is7xx<IF, V>>,
    IF: Interface,
    V: HasGpio,
{
    /// Makes the pin an output driving `high` (direction, then level).
    pub fn into_output(&mut self, high: bool) -> Result<(), Error<IF::Error>> {
        let pin = self.pin;
        self.shared
            .with(|d| d.configure_gpio_output(pin, high))
            .unwrap_or(Err(Error::Busy))
    }

    /// Makes the pin an input.
    pub fn into_input(&mut self) -> Result<(), Error<IF::Error>> {
        let pin = self.pin;
        self.shared
            .with(|d| d.configure_gpio_input(pin))
            .unwrap_or(Err(Error::Busy))
    }

    /// Turns this input's change interrupt on or off (IOIntEna). A change then raises IRQ with
    /// [`InterruptSource::Gpio`](crate::InterruptSource::Gpio); reading the pin levels clears it.
    pub fn set_interrupt(&mut self, on: bool) -> Result<(), Error<IF::Error>> {
        let pin = self.pin;
        self.shared
            .with(|d| d.set_gpio_interrupt(pin, on))
            .unwrap_or(Err(Error::Busy))
    }
}

impl<S, IF, V> ErrorType for Gpio<'_, S>
where
    S: SharedDevice<Device = Sc16is7xx<IF, V>>,
    IF: Interface,
    V: HasGpio,
{
    type Error = Error<IF::Error>;
}

impl<S, IF, V> InputPin for Gpio<'_, S>
where
    S: SharedDevice<Device = Sc16is7xx<IF, V>>,
    IF: Interface,
    V: HasGpio,
{
    /// One IOState read.
    fn is_high(&mut self) -> Result<bool, Self::Error> {
        let mask = self.pin.mask();
        let levels = self.shared.with(|d| d.gpio_levels()).unwrap_or(Err(Error::Busy))?;
        Ok(levels & mask != 0)
    }

    fn is_low(&mut self) -> Result<bool, Self::Error> {
        self.is_high().map(|high| !high)
    }
}

impl<S, IF, V> OutputPin for Gpio<'_, S>
where
    S: SharedDevice<Device = Sc16is7xx<IF, V>>,
    IF: Interface,
    V: HasGpio,
{
    fn set_low(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.shared
            .with(|d| d.set_gpio_pin(pin, false))
            .unwrap_or(Err(Error::Busy))
    }

    fn set_high(&mut self) -> Result<(), Self::Error> {
        let pin = self.pin;
        self.shared
            .with(|d| d.set_gpio_pin(pin, true))
            .unwrap_or(Err(Error::Busy))
    }
}

impl<S, IF, V> StatefulOutputPin for Gpio<'_, S>
where
    S: SharedDevice<Device = Sc16is7xx<IF, V>>,
    IF: Interface,
    V: HasGpio,
{
    /// From the cached latch (no bus traffic once known).
    fn is_set_high(&mut self) -> Result<bool, Self::Error> {
        let mask = self.pin.mask();
        let latch = self
            .shared
            .with(|d| d.gpio_output_latch())
            .unwrap_or(Err(Error::Busy))?;
        Ok(latch & mask != 0)
    }

    fn is_set_low(&mut self) -> Result<bool, Self::Error> {
        self.is_set_high().map(|high| !high)
    }
}
