use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "point_rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub action: String,
    pub points: i32,
    pub daily_cap: Option<i32>,
    pub enabled: bool,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
