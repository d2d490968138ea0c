use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub job_title: String,
    pub department_id: Option<i64>,
    pub location: String,
    pub languages: String,
    #[sea_orm(column_type = "Text")]
    pub bio_md: String,
    #[sea_orm(column_type = "Text")]
    pub bio_html: String,
    #[sea_orm(column_type = "Text")]
    pub links: String,
    pub photo_key: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
