//! Page-number pagination for admin lists (small, ordered tables). Feeds that grow without
//! bound use keyset pagination in their own modules.
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const DEFAULT_PER_PAGE: u64 = 25;
pub const MAX_PER_PAGE: u64 = 100;

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
            page: q.page.unwrap_or(1).max(1),
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
