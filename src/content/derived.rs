//! What lists show of a text beside its title, derived from its Markdown once, when it is
//! written (as its HTML is), instead of on every read: the excerpt and the minutes it takes to
//! read. A post keeps both (`posts.body_excerpt`, `posts.reading_minutes`), a question its
//! excerpt (`questions.body_excerpt`).
//!
//! Rows written before these columns existed hold NULL there. Readers derive the values from the
//! body while they do ([`Derived::excerpt_or`], [`Derived::minutes_or`]), and [`fill_missing`]
//! fills them in the background after start.
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    UpdateMany,
    sea_query::{Expr, ExprTrait, SimpleExpr},
};

use crate::entities::{posts, questions};

/// How long an excerpt is, in characters (plus "…").
pub const EXCERPT_CHARS: usize = 200;

/// Rows filled per statement by [`fill_missing`].
const BATCH: u64 = 200;

/// What a text's Markdown yields for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub excerpt: String,
    pub reading_minutes: i32,
}

impl Derived {
    /// Both, from one pass over the Markdown.
    pub fn of(markdown: &str) -> Self {
        let text = super::plain_text(markdown);
        Derived {
            excerpt: super::cut(&text, EXCERPT_CHARS),
            reading_minutes: i32::try_from(super::minutes_to_read(&text)).unwrap_or(i32::MAX),
        }
    }

    /// The excerpt kept with a text, or derived from `markdown` when none is kept yet.
    pub fn excerpt_or(kept: Option<String>, markdown: &str) -> String {
        kept.unwrap_or_else(|| super::excerpt(markdown, EXCERPT_CHARS))
    }

    /// The reading time kept with a text, or derived from `markdown` when none is kept yet.
    pub fn minutes_or(kept: Option<i32>, markdown: &str) -> u32 {
        kept.and_then(|m| u32::try_from(m).ok())
            .unwrap_or_else(|| super::reading_minutes(markdown))
    }
}

/// Derives what posts and questions written before the columns existed lack, a batch at a time,
/// and returns how many rows it filled. A row is only written while its body is still the one
/// the values were derived from, so a body saved meanwhile (which brings its own) keeps them.
pub async fn fill_missing<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    let posts = fill(
        conn,
        (posts::Column::Id, posts::Column::BodyMd),
        posts::Column::BodyExcerpt
            .is_null()
            .or(posts::Column::ReadingMinutes.is_null()),
        |update: UpdateMany<posts::Entity>, derived| {
            update
                .col_expr(posts::Column::BodyExcerpt, Expr::value(derived.excerpt))
                .col_expr(
                    posts::Column::ReadingMinutes,
                    Expr::value(derived.reading_minutes),
                )
        },
    )
    .await?;
    let questions = fill(
        conn,
        (questions::Column::Id, questions::Column::BodyMd),
        questions::Column::BodyExcerpt.is_null(),
        |update: UpdateMany<questions::Entity>, derived| {
            update.col_expr(questions::Column::BodyExcerpt, Expr::value(derived.excerpt))
        },
    )
    .await?;
    Ok(posts + questions)
}

/// [`fill_missing`] for the rows of one table that match `missing`, in the order of their ids.
async fn fill<C, E>(
    conn: &C,
    (id_column, body_column): (E::Column, E::Column),
    missing: SimpleExpr,
    set: impl Fn(UpdateMany<E>, Derived) -> UpdateMany<E>,
) -> Result<u64, DbErr>
where
    C: ConnectionTrait,
    E: EntityTrait,
{
    let (mut filled, mut after) = (0, i64::MIN);
    loop {
        let rows: Vec<(i64, String)> = E::find()
            .select_only()
            .columns([id_column, body_column])
            .filter(missing.clone())
            .filter(id_column.gt(after))
            .order_by_asc(id_column)
            .limit(BATCH)
            .into_tuple()
            .all(conn)
            .await?;
        let Some(&(last, _)) = rows.last() else {
            return Ok(filled);
        };
        for (id, body) in rows {
            let derived = Derived::of(&body);
            filled += set(E::update_many(), derived)
                .filter(id_column.eq(id))
                .filter(body_column.eq(body))
                .exec(conn)
                .await?
                .rows_affected;
        }
        after = last;
    }
}
