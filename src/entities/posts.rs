use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: i64,
    /// The space it is in; none: company-wide.
    pub space_id: Option<i64>,
    pub title: String,
    #[sea_orm(unique)]
    pub slug: String,
    #[sea_orm(column_type = "Text")]
    pub body_md: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    #[sea_orm(column_type = "Text")]
    pub excerpt: String,
    /// The body's excerpt and reading time, derived when the body is written (none: written
    /// before they were kept; see `content::derived`).
    #[sea_orm(column_type = "Text", nullable)]
    pub body_excerpt: Option<String>,
    pub reading_minutes: Option<i32>,
    pub language: String,
    pub status: String,
    pub cover_path: Option<String>,
    pub scheduled_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub is_announcement: bool,
    pub announcement_until: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::AuthorId",
        to = "super::users::Column::Id"
    )]
    Author,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Author.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
