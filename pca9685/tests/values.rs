//! Value types at their edges, written against the datasheet's ranges (surviving mutants of ci/mutants.sh).
#![allow(clippy::unwrap_used)]

use embedded_hal::i2c::{ErrorKind, NoAcknowledgeSource};
use pca9685::{Address, ArgumentError, ChannelSetting, InvalidAddress};

#[test]
fn addresses_at_the_edges_of_the_7_bit_range() {
    assert_eq!(Address::try_from(0x7F).unwrap().get(), 0x7F);
    assert_eq!(Address::try_from(0x01).unwrap().get(), 0x01);
    assert_eq!(Address::try_from(0x80), Err(InvalidAddress(0x80)));
    assert_eq!(Address::try_from(0x00), Err(InvalidAddress(0x00)));
    assert_eq!(InvalidAddress(0x80).to_string(), "I2C address 0x80 outside 0x01..=0x7F");
}

#[test]
fn duty_cycles_at_the_edges_of_the_period() {
    assert_eq!(ChannelSetting::from_duty(0, 7), Ok(ChannelSetting::FullOff));
    assert_eq!(
        ChannelSetting::from_duty(4096, 7),
        Ok(ChannelSetting::FullOn { delay: 7 })
    );
    assert_eq!(
        ChannelSetting::from_duty(4095, 0),
        Ok(ChannelSetting::Pwm { on: 0, off: 4095 })
    );
    assert_eq!(
        ChannelSetting::from_duty(4095, 2),
        Ok(ChannelSetting::Pwm { on: 2, off: 1 })
    );
    assert_eq!(ChannelSetting::from_duty(4097, 0), Err(ArgumentError::DutyOutOfRange));
    assert_eq!(
        ChannelSetting::from_duty(1, 4095),
        Ok(ChannelSetting::Pwm { on: 4095, off: 0 })
    );
    assert_eq!(ChannelSetting::from_duty(1, 4096), Err(ArgumentError::CountOutOfRange));
}

#[test]
fn only_a_nack_is_a_nack() {
    let nack = pca9685::Error::Bus(ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address));
    assert!(nack.is_nack());
    assert!(!pca9685::Error::Bus(ErrorKind::ArbitrationLoss).is_nack());
    assert!(!pca9685::Error::<ErrorKind>::Argument(ArgumentError::DutyOutOfRange).is_nack());
}
