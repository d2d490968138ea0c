//! Who sees what: the boundary of spaces as one rule. Content is visible when it is
//! company-wide, in an open space, or in a space the reader is a member of; admins and the social
//! team (who manage every space) see everything. The rule is a SQL condition evaluated in the
//! same statement as the read, so a membership change counts on the very next request.
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};

use crate::{
    auth::{
        current_user::CurrentUser,
        types::{Role, UserId},
    },
    db::{Reused, id_of},
    entities::{space_members, spaces},
};

/// The default is nobody signed in: company-wide content and open spaces only, so a list that
/// forgets to say who reads it shows less, never more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Admins and the social team: every space.
    Everyone,
    /// A colleague (or nobody signed in): company-wide, open spaces and their own spaces.
    Reader(Option<UserId>),
}

impl Default for Audience {
    fn default() -> Self {
        Self::Reader(None)
    }
}

impl Audience {
    pub fn of(user: &CurrentUser) -> Self {
        if user.has(Role::Admin) || user.has(Role::SocialTeam) {
            Self::Everyone
        } else {
            Self::Reader(Some(user.id))
        }
    }

    pub fn of_maybe(user: Option<&CurrentUser>) -> Self {
        user.map_or(Self::Reader(None), Self::of)
    }

    /// How many shapes the condition takes ([`Self::shape`]): a statement reused across
    /// readers (`db::reused::Reused`) takes one per shape.
    pub const SHAPES: usize = 3;

    /// Which of the [`Self::SHAPES`] the condition takes: everyone, a reader, nobody.
    pub fn shape(&self) -> usize {
        match self {
            Self::Everyone => 0,
            Self::Reader(Some(_)) => 1,
            Self::Reader(None) => 2,
        }
    }

    /// The same shape for another reader (a reused statement is built for a stand-in).
    pub fn with_reader(self, reader: i64) -> Self {
        match self {
            Self::Reader(Some(_)) => Self::Reader(Some(UserId(reader))),
            other => other,
        }
    }

    /// The statement of what `viewer` reads of the row `id`, one of `statements` (one per
    /// shape): `build(audience, reader, id)` builds it once per backend and shape, for
    /// stand-ins (see `Reused`), and each call fills in the reader and the id.
    pub fn reused_for<S: sea_orm::sea_query::QueryStatementBuilder>(
        statements: &[Reused; Self::SHAPES],
        backend: sea_orm::DbBackend,
        viewer: &CurrentUser,
        id: i64,
        build: impl Fn(Self, i64, i64) -> S,
    ) -> sea_orm::Statement {
        let audience = Self::of(viewer);
        statements[audience.shape()].statement(backend, vec![viewer.id.0.into(), id.into()], |p| {
            let reader = id_of(&p[0]);
            build(audience.with_reader(reader), reader, id_of(&p[1]))
        })
    }

    /// Spaces whose content everyone may read.
    fn open_spaces() -> SelectStatement {
        Query::select()
            .column(spaces::Column::Id)
            .from(spaces::Entity)
            .and_where(spaces::Column::Kind.eq("open"))
            .to_owned()
    }

    /// Spaces the person is a member of (not a pending request).
    fn member_of(user: UserId) -> SelectStatement {
        Query::select()
            .column(space_members::Column::SpaceId)
            .from(space_members::Entity)
            .and_where(space_members::Column::UserId.eq(user.0))
            .and_where(space_members::Column::State.eq("member"))
            .to_owned()
    }

    /// The condition on a row's space column (`posts.space_id`, `questions.space_id`).
    pub fn condition(&self, space: impl ColumnTrait) -> Condition {
        match self {
            Self::Everyone => Condition::all(),
            Self::Reader(user) => {
                let mut any = Condition::any()
                    .add(space.is_null())
                    .add(space.in_subquery(Self::open_spaces()));
                if let Some(user) = user {
                    any = any.add(space.in_subquery(Self::member_of(*user)));
                }
                any
            }
        }
    }

    /// The same condition as an expression over any space column expression.
    pub fn condition_on(&self, space: Expr) -> Condition {
        match self {
            Self::Everyone => Condition::all(),
            Self::Reader(user) => {
                let mut any = Condition::any()
                    .add(space.clone().is_null())
                    .add(space.clone().in_subquery(Self::open_spaces()));
                if let Some(user) = user {
                    any = any.add(space.in_subquery(Self::member_of(*user)));
                }
                any
            }
        }
    }

    /// Whether the reader sees content in this space (`None`: company-wide).
    pub async fn sees<C: ConnectionTrait>(
        &self,
        conn: &C,
        space: Option<i64>,
    ) -> Result<bool, DbErr> {
        let Some(space) = space else {
            return Ok(true);
        };
        if *self == Self::Everyone {
            return Ok(true);
        }
        let found = spaces::Entity::find_by_id(space)
            .filter(self.condition(spaces::Column::Id))
            .select_only()
            .column(spaces::Column::Id)
            .into_tuple::<i64>()
            .one(conn)
            .await?;
        Ok(found.is_some())
    }

    /// The spaces whose content the reader sees, for filters outside SQL (the search index);
    /// `None` for every space.
    pub async fn space_ids<C: ConnectionTrait>(&self, conn: &C) -> Result<Option<Vec<i64>>, DbErr> {
        if *self == Self::Everyone {
            return Ok(None);
        }
        let ids = spaces::Entity::find()
            .filter(self.condition(spaces::Column::Id))
            .select_only()
            .column(spaces::Column::Id)
            .into_tuple::<i64>()
            .all(conn)
            .await?;
        Ok(Some(ids))
    }
}
