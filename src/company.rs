//! The company's own defaults: the language of people who chose none (and of browsers that ask
//! for neither Dutch nor English), and the time zone dates are shown in for people who chose
//! none. Admins set them (`/admin/settings`, `PUT /api/v1/admin/settings/company`, audited);
//! each node keeps a copy in memory, refreshed by the housekeeping lane.
use std::sync::RwLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Lang;

/// The default time zone: Kring was made in the Netherlands.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Amsterdam";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Company {
    /// `en` or `nl`.
    pub language: Lang,
    /// An IANA time zone, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
}

impl Default for Company {
    fn default() -> Self {
        Self {
            language: Lang::En,
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
        }
    }
}

impl crate::settings_store::Setting for Company {
    const KEY: &'static str = "company";
}

impl Company {
    pub fn tz(&self) -> chrono_tz::Tz {
        parse_time_zone(&self.time_zone).unwrap_or(chrono_tz::Europe::Amsterdam)
    }
}

/// An IANA time zone name (`Europe/Amsterdam`, `UTC`); `None` for anything else.
pub fn parse_time_zone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse().ok()
}

/// This node's copy of the company defaults.
#[derive(Default)]
pub struct Defaults(RwLock<Company>);

impl Defaults {
    pub fn get(&self) -> Company {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set(&self, company: Company) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = company;
    }

    /// Reads the stored defaults into this node's copy.
    pub async fn refresh<C: sea_orm::ConnectionTrait>(
        &self,
        conn: &C,
    ) -> Result<(), sea_orm::DbErr> {
        self.set(crate::settings_store::get(conn).await?);
        Ok(())
    }
}

/// The language of a person: their own choice, else the company's.
pub async fn language_of<C: sea_orm::ConnectionTrait>(
    conn: &C,
    user: &crate::entities::users::Model,
) -> Result<Lang, sea_orm::DbErr> {
    Ok(own_or(user, default_language(conn).await?))
}

/// The company's default language, as stored.
pub async fn default_language<C: sea_orm::ConnectionTrait>(
    conn: &C,
) -> Result<Lang, sea_orm::DbErr> {
    Ok(crate::settings_store::get::<Company, _>(conn)
        .await?
        .language)
}

/// A person's own language, else `default` (read once for many people).
pub fn own_or(user: &crate::entities::users::Model, default: Lang) -> Lang {
    user.locale
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(default)
}

/// Sets the company defaults (admins; audited) and this node's copy.
pub async fn set(
    db: &sea_orm::DatabaseConnection,
    defaults: &Defaults,
    actor: &crate::auth::current_user::CurrentUser,
    input: &Company,
) -> crate::error::AppResult<Company> {
    use crate::error::{AppError, Msg};
    actor.require(crate::auth::types::Role::Admin)?;
    let tz = parse_time_zone(&input.time_zone).ok_or_else(|| {
        AppError::validation(
            "time_zone",
            Msg::new("err-time-zone").arg("zone", input.time_zone.trim()),
        )
    })?;
    let value = Company {
        language: input.language,
        time_zone: tz.name().to_owned(),
    };
    let txn = crate::db::begin(db).await?;
    let before: Company = crate::settings_store::get(&txn).await?;
    crate::settings_store::put(&txn, &value).await?;
    crate::audit::record(
        &txn,
        Some(actor.id),
        "settings.company_changed",
        None,
        serde_json::json!({"before": before, "after": value}),
    )
    .await?;
    txn.commit().await?;
    defaults.set(value.clone());
    Ok(value)
}

/// Every IANA time zone name, for a picker.
pub fn time_zone_names() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect()
}
