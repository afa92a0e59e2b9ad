//! Channel handles: the 16 outputs as independent `embedded_hal::pwm::SetDutyCycle` objects sharing one driver.

use core::cell::RefCell;

use embedded_hal::i2c::I2c;
use embedded_hal::pwm::{ErrorKind, ErrorType, SetDutyCycle};

use crate::{ArgumentError, Channel, Error, Pca9685};

/// A driver shared between channel handles: a `RefCell` for one execution context, or a
/// `critical_section::Mutex<RefCell<_>>` for handles used from interrupts too.
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

/// One output of a shared driver, as an `embedded_hal::pwm::SetDutyCycle`.
///
/// The duty cycle runs from 0 (full off) to 4096 (full on); each change is one 5-byte write, except full off: 2 bytes
/// with outputs changing at STOP, 5 with outputs changing on ACK (MODE2 read once if the driver has not cached it).
/// An error leaves the channel as [`Pca9685::set_channel`] says: write it again.
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PwmChannel<'a, S> {
    shared: &'a S,
    channel: Channel,
}

impl<S> PwmChannel<'_, S> {
    /// The output this handle drives.
    pub fn channel(&self) -> Channel {
        self.channel
    }
}

/// Splits a shared driver into its 16 channel handles, in channel order.
///
/// ```
/// # use embedded_hal_mock::eh1::i2c::{Mock, Transaction};
/// use core::cell::RefCell;
/// use embedded_hal::pwm::SetDutyCycle;
/// use pca9685::{Address, Pca9685};
///
/// # let mut i2c = Mock::new(&[
/// #     Transaction::write_read(0x40, vec![0x00], vec![0x01]),
/// #     Transaction::write(0x40, vec![0x00, 0x21]),
/// #     Transaction::write(0x40, vec![0x06, 0x00, 0x00, 0x00, 0x08]),
/// # ]);
/// let pca = RefCell::new(Pca9685::new(i2c.clone(), Address::DEFAULT));
/// let [mut servo, ..] = pca9685::split(&pca);
/// servo.set_duty_cycle_percent(50)?;
/// # i2c.done();
/// # Ok::<(), pca9685::Error<embedded_hal::i2c::ErrorKind>>(())
/// ```
pub fn split<S: SharedDevice>(shared: &S) -> [PwmChannel<'_, S>; 16] {
    Channel::ALL.map(|channel| PwmChannel { shared, channel })
}

impl<E: core::fmt::Debug> embedded_hal::pwm::Error for Error<E> {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

impl<S, I2C> ErrorType for PwmChannel<'_, S>
where
    S: SharedDevice<Device = Pca9685<I2C>>,
    I2C: I2c,
{
    type Error = Error<I2C::Error>;
}

impl<S, I2C> SetDutyCycle for PwmChannel<'_, S>
where
    S: SharedDevice<Device = Pca9685<I2C>>,
    I2C: I2c,
{
    fn max_duty_cycle(&self) -> u16 {
        4096
    }

    fn set_duty_cycle(&mut self, duty: u16) -> Result<(), Self::Error> {
        let channel = self.channel;
        self.shared
            .with(|device| device.set_duty_cycle(channel, duty))
            .unwrap_or(Err(Error::Busy))
    }

    /// `num / denom` of the period, rounded down to a count. `denom == 0` or `num > denom` is
    /// [`ArgumentError::DutyOutOfRange`], with nothing sent (the trait's default would divide by zero).
    fn set_duty_cycle_fraction(&mut self, num: u16, denom: u16) -> Result<(), Self::Error> {
        let duty = duty_for_fraction(num, denom, self.max_duty_cycle()).ok_or(ArgumentError::DutyOutOfRange)?;
        self.set_duty_cycle(duty)
    }

    /// `percent / 100` of the period, rounded down to a count. Above 100 is [`ArgumentError::DutyOutOfRange`],
    /// with nothing sent.
    fn set_duty_cycle_percent(&mut self, percent: u8) -> Result<(), Self::Error> {
        self.set_duty_cycle_fraction(u16::from(percent), 100)
    }
}

/// `num * max / denom` rounded down, or `None` for a zero denominator or a fraction above 1.
fn duty_for_fraction(num: u16, denom: u16, max: u16) -> Option<u16> {
    if num > denom {
        return None;
    }
    let scaled = u32::from(num).checked_mul(u32::from(max))?;
    u16::try_from(scaled.checked_div(u32::from(denom))?).ok()
}
