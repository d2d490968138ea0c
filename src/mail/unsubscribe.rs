//! Unsubscribe links: `/unsubscribe/{user}/{category}/{signature}`, signed with the secret key
//! so they work without logging in and only for that user and category.
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn mac(secret: &[u8], user_id: i64, category: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("unsubscribe:{user_id}:{category}").as_bytes());
    mac
}

/// The path of the unsubscribe link for this user and category.
pub fn path(secret: &[u8], user_id: i64, category: &str) -> String {
    let signature = hex::encode(mac(secret, user_id, category).finalize().into_bytes());
    format!("/unsubscribe/{user_id}/{category}/{signature}")
}

/// Whether `signature` is the one for this user and category (in constant time).
pub fn verify(secret: &[u8], user_id: i64, category: &str, signature: &str) -> bool {
    let Ok(bytes) = hex::decode(signature) else {
        return false;
    };
    mac(secret, user_id, category).verify_slice(&bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_valid_only_for_its_user_and_category() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let link = path(secret, 7, "mentions");
        let signature = link.rsplit('/').next().unwrap();
        assert!(verify(secret, 7, "mentions", signature));
        assert!(!verify(secret, 8, "mentions", signature));
        assert!(!verify(secret, 7, "replies", signature));
        assert!(!verify(
            b"another secret key of some length",
            7,
            "mentions",
            signature
        ));
        assert!(!verify(secret, 7, "mentions", "nothex"));
    }
}
