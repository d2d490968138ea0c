use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qa_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub question_id: Option<i64>,
    pub answer_id: Option<i64>,
    pub editor_id: Option<i64>,
    pub title: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body_md: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub tags: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
