//! Page-number pagination for admin lists (small, ordered tables). Feeds that grow without
//! bound use keyset pagination in their own modules.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use utoipa::{IntoParams, ToSchema};

pub const DEFAULT_PER_PAGE: u64 = 25;
pub const MAX_PER_PAGE: u64 = 100;
/// Pages beyond this one are read as this one (empty in practice), so the offset can neither
/// overflow nor exceed what the database takes (a signed 64-bit integer).
pub const MAX_PAGE: u64 = 1_000_000;

#[derive(Clone, Copy, Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: Option<u64>,
    /// Items per page, at most 100.
    pub per_page: Option<u64>,
}

#[derive(Clone, Copy, Debug)]
pub struct Pagination {
    pub page: u64,
    pub per_page: u64,
}

impl From<PageQuery> for Pagination {
    fn from(q: PageQuery) -> Self {
        Self {
            page: q.page.unwrap_or(1).clamp(1, MAX_PAGE),
            per_page: q
                .per_page
                .unwrap_or(DEFAULT_PER_PAGE)
                .clamp(1, MAX_PER_PAGE),
        }
    }
}

impl Pagination {
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub pages: u64,
}

impl<T> Paged<T> {
    pub fn new(items: Vec<T>, total: u64, p: Pagination) -> Self {
        Self {
            items,
            page: p.page,
            per_page: p.per_page,
            total,
            pages: total.div_ceil(p.per_page).max(1),
        }
    }
}

/// Where a keyset-paginated list continues: the sort time and id of the last item shown.
/// Lists ordered by `(time DESC, id DESC)` continue with rows strictly after it, so rows added
/// meanwhile never shift a page: every row is shown exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keyset {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl Keyset {
    /// `<seconds>.<nanoseconds>_<id>`. Nanoseconds, because SQLite keeps the nanoseconds of
    /// `Utc::now()`: a cursor rounded to microseconds would skip the rows that share the last
    /// row's microsecond.
    pub fn encode(&self) -> String {
        format!(
            "{}.{:09}_{}",
            self.at.timestamp(),
            self.at.timestamp_subsec_nanos(),
            self.id
        )
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let (at, id) = raw.split_once('_')?;
        let (secs, nanos) = at.split_once('.')?;
        if nanos.len() != 9 {
            return None;
        }
        Some(Self {
            at: DateTime::from_timestamp(secs.parse().ok()?, nanos.parse().ok()?)?,
            id: id.parse().ok()?,
        })
    }

    /// Decodes a `before` parameter; a mangled one is a 400.
    pub fn parse(raw: &str) -> AppResult<Self> {
        Self::decode(raw).ok_or_else(|| AppError::BadRequest("invalid cursor".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keysets_keep_nanoseconds_and_refuse_garbage() {
        let k = Keyset {
            at: DateTime::from_timestamp(1_795_384_379, 843_619_220).unwrap(),
            id: 8,
        };
        assert_eq!(k.encode(), "1795384379.843619220_8");
        assert_eq!(Keyset::decode(&k.encode()), Some(k));
        for raw in ["", "_", "x_1", "1_2", "1.x_2", "1.2_x", "1.2000000000_3"] {
            assert!(Keyset::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn huge_page_numbers_cannot_overflow_the_offset() {
        let p = Pagination::from(PageQuery {
            page: Some(u64::MAX),
            per_page: Some(u64::MAX),
        });
        assert_eq!((p.page, p.per_page), (MAX_PAGE, MAX_PER_PAGE));
        assert!(i64::try_from(p.offset()).is_ok());
        let p = Pagination::from(PageQuery {
            page: Some(0),
            per_page: Some(0),
        });
        assert_eq!((p.page, p.per_page, p.offset()), (1, 1, 0));
    }
}
