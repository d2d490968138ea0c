use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: i64,
    /// The space it is in; none: company-wide.
    pub space_id: Option<i64>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body_md: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    /// The body's excerpt, derived when the body is written (none: written before it was kept;
    /// see `content::derived`).
    #[sea_orm(column_type = "Text", nullable)]
    pub body_excerpt: Option<String>,
    pub language: String,
    pub status: String,
    pub close_reason: Option<String>,
    pub duplicate_of_id: Option<i64>,
    pub closed_by: Option<i64>,
    pub closed_at: Option<DateTimeUtc>,
    pub score: i32,
    pub answer_count: i32,
    pub accepted_answer_id: Option<i64>,
    pub last_activity_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
