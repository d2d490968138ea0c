//! Login throttling, per account and per client IP (GCRA rate limiters from `governor`).
//!
//! Every attempt counts before the password is checked, so a throttled attacker learns nothing
//! about the password. Five attempts per account per minute (the sixth gets 429 with
//! `Retry-After`); thirty per IP, higher because an office may share one address.
use std::{net::IpAddr, num::NonZeroU32};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

pub const PER_ACCOUNT_PER_MINUTE: u32 = 5;
pub const PER_IP_PER_MINUTE: u32 = 30;

pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).expect("non-zero quota"));
        Self {
            per_account: RateLimiter::keyed(quota(PER_ACCOUNT_PER_MINUTE)),
            per_ip: RateLimiter::keyed(quota(PER_IP_PER_MINUTE)),
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

    /// Forgets keys whose limits have fully recovered (called by the housekeeping job).
    pub fn shrink(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
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
}
