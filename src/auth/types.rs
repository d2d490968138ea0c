//! Parsed input types for accounts: once a value has one of these types it is valid.
use std::{collections::BTreeSet, fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, Msg};

/// A user's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user may do. Every user is a member; the other roles add to it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Ambassador,
    Editor,
    SocialTeam,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Member,
        Role::Ambassador,
        Role::Editor,
        Role::SocialTeam,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Ambassador => "ambassador",
            Role::Editor => "editor",
            Role::SocialTeam => "social_team",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                AppError::validation("roles", Msg::new("err-role-unknown").arg("role", &s))
            })
    }
}

/// A set of roles, always containing `member`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Roles(BTreeSet<Role>);

impl Roles {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut set: BTreeSet<Role> = roles.into_iter().collect();
        set.insert(Role::Member);
        Self(set)
    }

    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Self, AppError> {
        names
            .iter()
            .map(|n| n.as_ref().parse::<Role>())
            .collect::<Result<Vec<_>, _>>()
            .map(Self::new)
    }

    pub fn contains(&self, role: Role) -> bool {
        role == Role::Member || self.0.contains(&role)
    }

    /// The roles stored in `user_roles` (member is implied, not stored).
    pub fn stored(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied().filter(|r| *r != Role::Member)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn to_vec(&self) -> Vec<Role> {
        self.0.iter().copied().collect()
    }
}

/// An email address, trimmed and lower-cased (so uniqueness is case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let email = input.trim().to_lowercase();
        let invalid = || AppError::validation("email", Msg::new("err-email-invalid"));
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

/// A person's name as shown to colleagues.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(AppError::validation(
                "display_name",
                Msg::new("err-name-empty"),
            ));
        }
        if name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(AppError::validation(
                "display_name",
                Msg::new("err-name-too-long"),
            ));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password someone chooses. The minimum follows NIST SP 800-63B's advice (length over
/// composition rules); the maximum keeps hashing cheap to refuse.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    /// The lowest zxcvbn score accepted: 3 of 4, "safely unguessable" (OWASP's advice).
    pub const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

    /// A password of 10 to 256 characters that a guesser would not find early: its strength is
    /// estimated with zxcvbn, with `about` (the person's email and name) as words it must not
    /// lean on. A refusal says why, in the reader's language.
    pub fn parse(input: &str, about: &[&str]) -> Result<Self, AppError> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(AppError::validation(
                "password",
                Msg::new("err-password-too-short").arg("min", Self::MIN_CHARS),
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(AppError::validation(
                "password",
                Msg::new("err-password-too-long").arg("max", Self::MAX_CHARS),
            ));
        }
        let mut context: Vec<&str> = Vec::new();
        for part in about {
            context.push(part);
            context.extend(
                part.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() >= 3),
            );
        }
        let estimate = zxcvbn::zxcvbn(input, &context);
        if estimate.score() < Self::MIN_SCORE {
            return Err(AppError::validation(
                "password",
                Msg::new(weakness(input, &context, &estimate)),
            ));
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The message key that says why a password is easy to guess.
fn weakness(password: &str, about: &[&str], estimate: &zxcvbn::Entropy) -> &'static str {
    use zxcvbn::feedback::Warning as W;
    let lower = password.to_lowercase();
    if about
        .iter()
        .any(|w| w.len() >= 3 && lower.contains(&w.to_lowercase()))
    {
        return "err-password-weak-personal";
    }
    match estimate.feedback().and_then(|f| f.warning()) {
        Some(
            W::ThisIsATop10Password
            | W::ThisIsATop100Password
            | W::ThisIsACommonPassword
            | W::ThisIsSimilarToACommonlyUsedPassword,
        ) => "err-password-weak-common",
        Some(W::StraightRowsOfKeysAreEasyToGuess | W::ShortKeyboardPatternsAreEasyToGuess) => {
            "err-password-weak-keyboard"
        }
        Some(
            W::RepeatsLikeAaaAreEasyToGuess | W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        ) => "err-password-weak-repeats",
        Some(W::SequencesLikeAbcAreEasyToGuess) => "err-password-weak-sequence",
        Some(W::RecentYearsAreEasyToGuess | W::DatesAreOftenEasyToGuess) => {
            "err-password-weak-dates"
        }
        Some(
            W::AWordByItselfIsEasyToGuess
            | W::NamesAndSurnamesByThemselvesAreEasyToGuess
            | W::CommonNamesAndSurnamesAreEasyToGuess,
        ) => "err-password-weak-words",
        None => "err-password-weak",
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// The name of a personal access token ("CI", "laptop script").
pub struct TokenName(String);

impl TokenName {
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let name = input.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::validation("name", Msg::new("err-token-name")));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Anna.de.Vries@Example.COM ")
                .unwrap()
                .as_str(),
            "anna.de.vries@example.com"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.com",
            "a b@example.com",
            "anna@example",
            "anna@@x.nl",
            "anna@x..nl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            Email::parse("a@sub.example.nl").unwrap().domain(),
            "sub.example.nl"
        );
    }

    #[test]
    fn roles_always_include_member() {
        let roles = Roles::parse(&["admin", "social-team"]).unwrap();
        assert!(roles.contains(Role::Member));
        assert!(roles.contains(Role::SocialTeam));
        assert_eq!(
            roles.stored().collect::<Vec<_>>(),
            vec![Role::SocialTeam, Role::Admin]
        );
        assert!(Roles::parse(&["king"]).is_err());
    }

    #[test]
    fn passwords_have_a_length_range() {
        assert!(NewPassword::parse("short", &[]).is_err());
        assert!(NewPassword::parse("a long enough passphrase", &[]).is_ok());
        assert!(NewPassword::parse(&"x".repeat(257), &[]).is_err());
        let key =
            |p: &str| match NewPassword::parse(p, &["anna.devries@example.com", "Anna de Vries"]) {
                Err(AppError::Validation { msg, .. }) => msg.key,
                Err(other) => panic!("{other:?}"),
                Ok(_) => "accepted",
            };
        assert_eq!(key("aaaaaaaaaa"), "err-password-weak-repeats");
        assert_eq!(key("1234567890"), "err-password-weak-common");
        assert_eq!(key("qwertyuiop"), "err-password-weak-common");
        assert_eq!(
            key("anna.devries@example.com"),
            "err-password-weak-personal"
        );
        assert_eq!(key("Devries2026"), "err-password-weak-personal");
        assert_eq!(key("a long test password"), "accepted");
        assert_eq!(key("zomer op het terras 7"), "accepted");
        assert_eq!(
            format!(
                "{:?}",
                NewPassword::parse("a long enough passphrase", &[]).unwrap()
            ),
            "NewPassword(***)"
        );
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Anna ").unwrap().as_str(), "Anna");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
    }
}
