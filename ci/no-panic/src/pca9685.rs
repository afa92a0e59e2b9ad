//! Every public operation of `pca9685`.

use crate::opaque::{any, Delay, I2c};
use pca9685::{
    Address, Channel, ChannelSetting, DisabledOutput, Oscillator, OutputChange, OutputConfig, OutputDriver, SubAddress,
};

fn channel() -> Channel {
    Channel::new(any(3)).unwrap_or(Channel::C0)
}

fn setting() -> ChannelSetting {
    match any(0u8) {
        0 => ChannelSetting::FullOn { delay: any(0) },
        1 => ChannelSetting::FullOff,
        _ => ChannelSetting::Pwm {
            on: any(0),
            off: any(1),
        },
    }
}

fn address() -> Address {
    Address::raw(any(0x40)).unwrap_or(Address::DEFAULT)
}

fn sub() -> SubAddress {
    match any(0u8) {
        0 => SubAddress::One,
        1 => SubAddress::Two,
        _ => SubAddress::Three,
    }
}

fn oscillator() -> Oscillator {
    match any(0u8) {
        0 => Oscillator::Internal,
        1 => Oscillator::Calibrated(fugit::HertzU32::from_raw(any(25_000_000))),
        _ => Oscillator::External(fugit::HertzU32::from_raw(any(25_000_000))),
    }
}

fn output_config() -> OutputConfig {
    OutputConfig {
        invert: any(false),
        change: if any(false) {
            OutputChange::OnAck
        } else {
            OutputChange::OnStop
        },
        driver: if any(false) {
            OutputDriver::OpenDrain
        } else {
            OutputDriver::TotemPole
        },
        disabled: match any(0u8) {
            0 => DisabledOutput::Low,
            1 => DisabledOutput::HighOrHighImpedance,
            _ => DisabledOutput::HighImpedance,
        },
    }
}

/// The blocking driver, the channel handles, and the pure helpers.
pub fn exercise() {
    let _ = any(ChannelSetting::from_duty(any(0), any(0)));
    let _ = any(ChannelSetting::decode(any([0; 4])).duty());
    let _ = any(setting().encode());
    let _ = any(pca9685::register::prescale_for(any(0), any(0)));
    let _ = any(pca9685::register::period_ns(any(0), any(0)));
    let _ = any(pca9685::register::frequency_mhz(any(0), any(0)));
    let _ = any(pca9685::register::counts_for_pulse(any(0), any(0)));
    let _ = any(pca9685::register::channel_register(any(0)));
    let _ = any(pca9685::register::encode_address(any(0x40)));
    let _ = any(pca9685::register::decode_address(any(0x80)));
    let _ = any(Address::try_from(any(0x41u8)));
    let _ = any(Address::from_pins(
        any(false),
        any(false),
        any(false),
        any(false),
        any(false),
        any(false),
    ));

    let mut d = pca9685::Pca9685::new(I2c, address());
    let delay = &mut Delay;
    let _ = any(d.address());
    let _ = any(d.bus());
    let _ = any(d.bus_mut());
    let _ = any(d.oscillator());
    let _ = any(d.read_mode1());
    let _ = any(d.output_config());
    let _ = any(d.prescale());
    let _ = any(d.resync());
    d.invalidate_cache();
    let _ = any(d.sleep());
    let _ = any(d.wake(delay));
    let _ = any(d.restart(delay));
    let _ = any(d.software_reset());
    d.assume_power_on_state();
    let _ = any(d.set_oscillator(oscillator()));
    let _ = any(d.set_frequency(fugit::HertzU32::from_raw(any(50)), delay));
    let _ = any(d.set_prescale(any(121), delay));
    let _ = any(d.frequency());
    let _ = any(d.period());
    let _ = any(d.set_channel(channel(), setting()));
    let _ = any(d.set_channel_on_off(channel(), any(0), any(1)));
    let _ = any(d.set_channel_full_on(channel(), any(0)));
    let _ = any(d.set_channel_full_off(channel()));
    let _ = any(d.set_duty_cycle(channel(), any(0)));
    let _ = any(d.set_duty_cycle_with_phase(channel(), any(0), any(0)));
    let _ = any(d.set_pulse_width(channel(), fugit::MicrosDurationU32::from_ticks(any(1500))));
    let settings = [setting(); 16];
    let length = usize::from(any(16u8)).min(16);
    let _ = any(d.set_channels(channel(), settings.get(..length).unwrap_or(&[])));
    let _ = any(d.set_all_channels(&settings));
    let _ = any(d.set_all(setting()));
    let _ = any(d.all_off());
    let _ = any(d.channel(channel()));
    let _ = any(d.channels());
    let _ = any(d.set_auto_increment(any(true)));
    let _ = any(d.set_output_config(output_config()));
    let _ = any(d.set_output_invert(any(false)));
    let _ = any(d.set_output_change(output_config().change));
    let _ = any(d.set_output_driver(output_config().driver));
    let _ = any(d.set_disabled_output(output_config().disabled));
    let _ = any(d.set_sub_address(sub(), address()));
    let _ = any(d.sub_address(sub()));
    let _ = any(d.enable_sub_address(sub(), any(true)));
    let _ = any(d.set_all_call_address(address()));
    let _ = any(d.all_call_address());
    let _ = any(d.enable_all_call(any(false)));

    let shared = core::cell::RefCell::new(d);
    for mut handle in pca9685::split(&shared) {
        use embedded_hal::pwm::SetDutyCycle;
        let _ = any(handle.set_duty_cycle(any(2048)));
        let _ = any(handle.max_duty_cycle());
        let _ = any(handle.set_duty_cycle_fully_off());
        let _ = any(handle.set_duty_cycle_fully_on());
        let _ = any(handle.set_duty_cycle_fraction(any(1), any(0)));
        let _ = any(handle.set_duty_cycle_percent(any(101)));
        let _ = any(handle.channel());
    }
    let shared = critical_section::Mutex::new(core::cell::RefCell::new(shared.into_inner()));
    let [mut first, ..] = pca9685::split(&shared);
    {
        use embedded_hal::pwm::SetDutyCycle;
        let _ = any(first.set_duty_cycle(any(1)));
        let _ = any(first.max_duty_cycle());
        let _ = any(first.set_duty_cycle_fully_off());
        let _ = any(first.set_duty_cycle_fully_on());
        let _ = any(first.set_duty_cycle_fraction(any(1), any(0)));
        let _ = any(first.set_duty_cycle_percent(any(101)));
    }
    let _ = any(shared.into_inner().into_inner().release());
}

/// The async driver: each operation polled once (the opaque bus never waits).
#[cfg(feature = "async")]
pub fn exercise_async() {
    use crate::opaque::poll_once;
    let mut d = pca9685::Pca9685Async::new(I2c, address());
    let mut delay = Delay;
    poll_once(d.read_mode1());
    poll_once(d.output_config());
    poll_once(d.prescale());
    poll_once(d.resync());
    poll_once(d.sleep());
    poll_once(d.wake(&mut delay));
    poll_once(d.restart(&mut delay));
    poll_once(d.software_reset());
    poll_once(d.set_oscillator(oscillator()));
    poll_once(d.set_frequency(fugit::HertzU32::from_raw(any(50)), &mut delay));
    poll_once(d.set_prescale(any(121), &mut delay));
    poll_once(d.frequency());
    poll_once(d.period());
    poll_once(d.set_channel(channel(), setting()));
    poll_once(d.set_channel_on_off(channel(), any(0), any(1)));
    poll_once(d.set_channel_full_on(channel(), any(0)));
    poll_once(d.set_channel_full_off(channel()));
    poll_once(d.set_duty_cycle(channel(), any(0)));
    poll_once(d.set_duty_cycle_with_phase(channel(), any(0), any(0)));
    poll_once(d.set_pulse_width(channel(), fugit::MicrosDurationU32::from_ticks(any(1500))));
    let settings = [setting(); 16];
    let length = usize::from(any(16u8)).min(16);
    poll_once(d.set_channels(channel(), settings.get(..length).unwrap_or(&[])));
    poll_once(d.set_all_channels(&settings));
    poll_once(d.set_all(setting()));
    poll_once(d.all_off());
    poll_once(d.channel(channel()));
    poll_once(d.channels());
    poll_once(d.set_auto_increment(any(true)));
    poll_once(d.set_output_config(output_config()));
    poll_once(d.set_output_invert(any(false)));
    poll_once(d.set_output_change(output_config().change));
    poll_once(d.set_output_driver(output_config().driver));
    poll_once(d.set_disabled_output(output_config().disabled));
    poll_once(d.set_sub_address(sub(), address()));
    poll_once(d.sub_address(sub()));
    poll_once(d.enable_sub_address(sub(), any(true)));
    poll_once(d.set_all_call_address(address()));
    poll_once(d.all_call_address());
    poll_once(d.enable_all_call(any(false)));
    let _ = any(d.release());
}
