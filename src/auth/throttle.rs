//! Login throttling, per account and per client IP (GCRA rate limiters from `governor`).
//!
//! Every attempt counts before the password is checked, so a throttled attacker learns nothing
//! about the password. Five attempts per account per minute (the sixth gets 429 with
//! `Retry-After`); thirty per IP, higher because an office may share one address.
//!
//! Password-reset requests have limiters of their own, per typed address and per IP, counted
//! the same way for known and unknown addresses (so a 429 tells nothing about who has an
//! account): five per address and twenty per IP, each replenished over an hour.
use std::{net::IpAddr, num::NonZeroU32};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

pub const PER_ACCOUNT_PER_MINUTE: u32 = 5;
pub const PER_IP_PER_MINUTE: u32 = 30;
/// Password-reset emails one address may ask for per hour.
pub const RESETS_PER_ADDRESS_PER_HOUR: u32 = 5;
/// Password-reset requests one client IP may make per hour (for any addresses).
pub const RESETS_PER_IP_PER_HOUR: u32 = 20;
/// Registrations one client IP may submit per hour (known and new addresses alike).
pub const REGISTRATIONS_PER_IP_PER_HOUR: u32 = 10;

pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    resets_per_address: DefaultKeyedRateLimiter<String>,
    resets_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    registrations_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

/// `n` requests at once, then one more every hour / `n`.
fn per_hour(n: u32) -> Quota {
    let n = NonZeroU32::new(n).expect("non-zero quota");
    Quota::with_period(std::time::Duration::from_secs(3600) / n.get())
        .expect("a non-zero period")
        .allow_burst(n)
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).expect("non-zero quota"));
        Self {
            per_account: RateLimiter::keyed(quota(PER_ACCOUNT_PER_MINUTE)),
            per_ip: RateLimiter::keyed(quota(PER_IP_PER_MINUTE)),
            resets_per_address: RateLimiter::keyed(per_hour(RESETS_PER_ADDRESS_PER_HOUR)),
            resets_per_ip: RateLimiter::keyed(per_hour(RESETS_PER_IP_PER_HOUR)),
            registrations_per_ip: RateLimiter::keyed(per_hour(REGISTRATIONS_PER_IP_PER_HOUR)),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginThrottle {
    /// Counts one attempt; `Err(seconds)` when the account or the address must wait.
    pub fn attempt(&self, account: &str, ip: Option<IpAddr>) -> Result<(), u64> {
        let now = self.clock.now();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(now).as_secs().max(1);
        if let Some(ip) = ip {
            self.per_ip.check_key(&ip).map_err(wait)?;
        }
        self.per_account
            .check_key(&account.trim().to_lowercase())
            .map_err(wait)
    }

    /// Counts one password-reset request for the typed address (known or not);
    /// `Err(seconds)` when the address or the client must wait.
    pub fn reset_request(&self, address: &str, ip: Option<IpAddr>) -> Result<(), u64> {
        let now = self.clock.now();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(now).as_secs().max(1);
        if let Some(ip) = ip {
            self.resets_per_ip.check_key(&ip).map_err(wait)?;
        }
        self.resets_per_address
            .check_key(&address.trim().to_lowercase())
            .map_err(wait)
    }

    /// Counts one registration from this client; `Err(seconds)` when it must wait.
    pub fn registration(&self, ip: Option<IpAddr>) -> Result<(), u64> {
        let Some(ip) = ip else {
            return Ok(());
        };
        let now = self.clock.now();
        self.registrations_per_ip
            .check_key(&ip)
            .map_err(|e| e.wait_time_from(now).as_secs().max(1))
    }

    /// Forgets keys whose limits have fully recovered (called by the housekeeping job).
    pub fn shrink(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
        self.resets_per_address.retain_recent();
        self.resets_per_ip.retain_recent();
        self.registrations_per_ip.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixth_attempt_on_an_account_waits() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            assert!(t.attempt("Anna@x.nl", Some(ip)).is_ok());
        }
        let wait = t.attempt("anna@x.nl", Some(ip)).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        // Another account from the same address still may try.
        assert!(t.attempt("bram@x.nl", Some(ip)).is_ok());
    }

    #[test]
    fn one_address_is_limited_across_accounts() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        for i in 0..PER_IP_PER_MINUTE {
            assert!(t.attempt(&format!("user{i}@x.nl"), Some(ip)).is_ok());
        }
        assert!(t.attempt("other@x.nl", Some(ip)).is_err());
    }

    #[test]
    fn reset_requests_are_limited_per_address_and_per_ip() {
        let t = LoginThrottle::default();
        let ip: IpAddr = "10.0.0.3".parse().unwrap();
        for _ in 0..RESETS_PER_ADDRESS_PER_HOUR {
            assert!(t.reset_request("Anna@x.nl", Some(ip)).is_ok());
        }
        let wait = t.reset_request(" anna@x.nl", Some(ip)).unwrap_err();
        assert!((1..=3600).contains(&wait), "{wait}");
        // Logging in is limited separately.
        assert!(t.attempt("anna@x.nl", Some(ip)).is_ok());

        let ip: IpAddr = "10.0.0.4".parse().unwrap();
        for i in 0..RESETS_PER_IP_PER_HOUR {
            assert!(t.reset_request(&format!("user{i}@x.nl"), Some(ip)).is_ok());
        }
        assert!(t.reset_request("other@x.nl", Some(ip)).is_err());
    }
}
