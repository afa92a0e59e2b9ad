//! pca9685: init at 50 Hz (prescale, then wake), three channels' duty cycle, one servo pulse width.
#![no_std]
#![no_main]

use fugit::{MicrosDurationU32, RateExtU32};
use pca9685::{Address, Channel, Pca9685};
use size::{keep, Delay, I2c};

type Driver = Pca9685<I2c>;
size::bench!(Driver, workload);

fn workload() {
    let mut pwm: Driver = Pca9685::new(I2c, Address::DEFAULT);
    keep(pwm.set_frequency(50.Hz(), &mut Delay));
    keep(pwm.wake(&mut Delay));
    keep(pwm.set_duty_cycle(Channel::C0, 1024));
    keep(pwm.set_duty_cycle(Channel::C1, 2048));
    keep(pwm.set_duty_cycle(Channel::C2, 3072));
    keep(pwm.set_pulse_width(Channel::C3, MicrosDurationU32::micros(1500)));
    keep(pwm);
}
