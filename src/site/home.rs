//! The home page: what starts a conversation. Announcements first, then what is new for the
//! viewer (open questions in the tags they follow, news from the people they follow), the
//! latest questions and posts, and a first-run checklist for a new member and a new admin.
use sea_orm::{
    ConnectionTrait, DatabaseConnection, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use serde::Serialize;

use crate::{
    auth::{
        current_user::CurrentUser,
        policy::{self, SignInPolicy, StoredSignIn},
        types::Role,
    },
    blog::{self, types::EditorialReview},
    config::Settings,
    db::{Reused, id_of},
    entities::{app_settings, departments, profiles, questions, tag_follows, users},
    error::AppResult,
    gamification::guru::{self, AwardView},
    people::{feed, views::Activity},
    qa::{self, repo::ListFilter as QuestionFilter, types::Sort, views::QuestionSummary},
    settings_store::Setting,
    spaces::audience::Audience,
    tags::popular::{self, Popular, PopularTags},
};

/// How many items each list of the home page shows.
const LIST_SIZE: usize = 5;
/// How many tags the member checklist offers to follow.
const SUGGESTED_TAGS: u64 = 8;
/// How many tags a new member is asked to follow.
pub const TAGS_TO_FOLLOW: i64 = 3;
// The step is shown while fewer than `TAGS_TO_FOLLOW` are followed, and leaves those out.
const _: () = assert!(SUGGESTED_TAGS + TAGS_TO_FOLLOW as u64 - 1 <= popular::KEPT);
/// How long after joining a member still counts as new (and sees their checklist).
const NEW_MEMBER_DAYS: i64 = 30;

#[derive(Serialize)]
pub struct Home {
    pub announcements: Vec<blog::views::PostSummary>,
    pub posts: Vec<blog::views::PostSummary>,
    pub questions: Vec<QuestionSummary>,
    /// Open questions without a good answer in the tags the viewer follows (not their own).
    pub for_you: Vec<QuestionSummary>,
    /// New from the people and tags the viewer follows.
    pub following: Vec<Activity>,
    pub guru: Option<AwardView>,
    pub member_checklist: Option<Checklist>,
    pub admin_checklist: Option<Checklist>,
    /// Popular tags the viewer does not follow yet, while the checklist asks for them.
    pub suggested_tags: Vec<String>,
}

/// A first-run checklist; shown until every step is done.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Checklist {
    pub steps: Vec<Step>,
    pub done: usize,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Step {
    /// The step's name; its text is `checklist-<key>` and `checklist-<key>-hint`.
    pub key: &'static str,
    pub done: bool,
    /// Where the step is done.
    pub url: String,
}

impl Checklist {
    /// The checklist, or none once every step is done.
    fn of(steps: Vec<Step>) -> Option<Self> {
        let done = steps.iter().filter(|s| s.done).count();
        (done < steps.len()).then_some(Self { steps, done })
    }
}

/// What the checklists are made of, read in one statement.
#[derive(Debug, Default, FromQueryResult)]
struct Facts {
    /// 1 while the viewer joined less than [`NEW_MEMBER_DAYS`] ago.
    new_member: i64,
    photo: i64,
    followed_tags: i64,
    /// Whether the viewer asked a question, anyone else has an account, a department exists:
    /// `EXISTS`, not counts, so the home page does not read every person.
    questions: bool,
    other_people: bool,
    departments: bool,
    review_chosen: i64,
    sign_in_chosen: i64,
    /// While the viewer follows fewer than [`TAGS_TO_FOLLOW`] tags: the ids of those they
    /// follow, joined with commas (the suggestions leave them out).
    followed_ids: Option<String>,
}

pub async fn load(
    db: &DatabaseConnection,
    settings: &Settings,
    popular: &PopularTags,
    user: &CurrentUser,
) -> AppResult<Home> {
    let audience = Audience::of(user);
    let (announcements, posts) = blog::service::with_latest(db, user).await?;
    // The latest questions and those for the viewer, in one statement built once per audience
    // shape (see `Reused`: building it was a tenth of the page's instructions).
    static QUESTIONS: [Reused; Audience::SHAPES] = [const { Reused::new() }; Audience::SHAPES];
    let backend = db.get_database_backend();
    let statement = QUESTIONS[audience.shape()].statement(backend, vec![user.id.0.into()], |p| {
        let viewer = id_of(&p[0]);
        let (latest, open) = question_lists(viewer);
        qa::service::first_pages_select(
            backend,
            audience.with_reader(viewer),
            &[(&latest.0, latest.1), (&open.0, open.1)],
        )
        .unwrap_or_else(|| unreachable!("two lists make a statement"))
    });
    let rows = db.query_all_raw(statement).await?;
    let (latest, open) = question_lists(user.id.0);
    let mut lists =
        qa::service::first_pages_of(rows, &[(&latest.0, latest.1), (&open.0, open.1)])?.into_iter();
    let questions = lists.next().unwrap_or_default();
    let mut for_you = lists.next().unwrap_or_default();
    for_you.retain(|q| q.author.id != user.id.0);
    for_you.truncate(LIST_SIZE);
    let mut following = feed::following(db, user, None).await?.items;
    following.truncate(LIST_SIZE);
    let (facts, guru) = facts(db, user).await?;
    let member_checklist = member_checklist(user, &facts);
    let admin_checklist = user
        .has(Role::Admin)
        .then(|| admin_checklist(settings, &facts))
        .flatten();
    let suggested_tags = match &member_checklist {
        Some(checklist) if checklist.steps.iter().any(|s| s.key == "tags" && !s.done) => {
            suggested_tags(&popular.get(db).await?, facts.followed_ids.as_deref())
        }
        _ => Vec::new(),
    };
    Ok(Home {
        announcements,
        posts,
        questions,
        for_you,
        following,
        guru,
        member_checklist,
        admin_checklist,
        suggested_tags,
    })
}

/// The home page's question lists and their lengths: the latest questions, and the open ones
/// in the tags `viewer` follows (twice as many, as the viewer's own are left out).
fn question_lists(viewer: i64) -> ((QuestionFilter, u64), (QuestionFilter, u64)) {
    (
        (QuestionFilter::default(), LIST_SIZE as u64),
        (
            QuestionFilter {
                sort: Sort::Unanswered,
                followed_by: Some(viewer),
                ..QuestionFilter::default()
            },
            2 * LIST_SIZE as u64,
        ),
    )
}

/// A new member's first steps: a photo, three tags to follow, a first question. Someone who
/// joined more than a month ago is not new, done or not.
fn member_checklist(user: &CurrentUser, facts: &Facts) -> Option<Checklist> {
    if facts.new_member == 0 {
        return None;
    }
    Checklist::of(vec![
        Step {
            key: "photo",
            done: facts.photo > 0,
            url: format!("/people/{}/edit", user.id.0),
        },
        Step {
            key: "tags",
            done: facts.followed_tags >= TAGS_TO_FOLLOW,
            url: "/questions".into(),
        },
        Step {
            key: "question",
            done: facts.questions,
            url: "/questions/ask".into(),
        },
    ])
}

/// A new admin's first steps: invite people, departments, the review mode, how people sign in.
/// A choice counts once it was saved (keeping the default on purpose is a choice too).
fn admin_checklist(settings: &Settings, facts: &Facts) -> Option<Checklist> {
    let sign_in_from_environment = policy::effective(settings, &StoredSignIn::default()).is_some();
    Checklist::of(vec![
        Step {
            key: "invite",
            done: facts.other_people,
            url: "/admin/invitations".into(),
        },
        Step {
            key: "departments",
            done: facts.departments,
            url: "/admin/departments".into(),
        },
        Step {
            key: "review",
            done: facts.review_chosen > 0,
            url: "/admin/settings".into(),
        },
        Step {
            key: "sign-in",
            done: facts.sign_in_chosen > 0 || sign_in_from_environment,
            url: "/admin/sign-in".into(),
        },
    ])
}

/// Counts (`(SELECT COUNT(*) FROM table WHERE …)`) and flags (`EXISTS (…)`) as columns of the
/// facts statement.
use crate::db::{count_of as count, exists_in};

/// The facts the checklists need, and the Guru of the month that closed last (one statement).
async fn facts(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> AppResult<(Facts, Option<AwardView>)> {
    let me = user.id.0;
    let joined_since = chrono::Utc::now() - chrono::Duration::days(NEW_MEMBER_DAYS);
    let saved = |keys: &[&str]| {
        count(
            app_settings::Entity,
            [Expr::col(app_settings::Column::Key).is_in(keys.iter().copied())],
        )
    };
    let columns = [
        (
            "new_member",
            count(
                users::Entity,
                [
                    Expr::col(users::Column::Id).eq(me),
                    Expr::col(users::Column::CreatedAt).gte(joined_since),
                ],
            ),
        ),
        (
            "photo",
            count(
                profiles::Entity,
                [
                    Expr::col(profiles::Column::UserId).eq(me),
                    Expr::col(profiles::Column::PhotoKey).is_not_null(),
                ],
            ),
        ),
        (
            "followed_tags",
            count(
                tag_follows::Entity,
                [Expr::col(tag_follows::Column::UserId).eq(me)],
            ),
        ),
        (
            "questions",
            exists_in(
                questions::Entity,
                [Expr::col(questions::Column::AuthorId).eq(me)],
            ),
        ),
        (
            "other_people",
            exists_in(users::Entity, [Expr::col(users::Column::Id).ne(me)]),
        ),
        ("departments", exists_in(departments::Entity, [])),
        ("review_chosen", saved(&[EditorialReview::KEY])),
        (
            "sign_in_chosen",
            saved(&[StoredSignIn::KEY, SignInPolicy::KEY]),
        ),
    ];
    let backend = db.get_database_backend();
    let mut statement = Query::select();
    for (name, column) in columns {
        statement.expr_as(column, Alias::new(name));
    }
    let followed = count(
        tag_follows::Entity,
        [Expr::col(tag_follows::Column::UserId).eq(me)],
    );
    let followed_ids = Query::select()
        .expr(crate::db::comma_list(
            backend,
            Expr::cust(r#"CAST("tag_id" AS TEXT)"#),
        ))
        .from_subquery(
            Query::select()
                .column(tag_follows::Column::TagId)
                .from(tag_follows::Entity)
                .and_where(Expr::col(tag_follows::Column::UserId).eq(me))
                .limit(TAGS_TO_FOLLOW as u64)
                .to_owned(),
            Alias::new("followed"),
        )
        .to_owned();
    statement.expr_as(
        Expr::case(followed.lt(TAGS_TO_FOLLOW), crate::db::scalar(followed_ids)),
        Alias::new("followed_ids"),
    );
    // One row to hang the Guru on.
    statement.from_subquery(
        Query::select().expr(Expr::cust("1")).to_owned(),
        Alias::new("one_row"),
    );
    guru::join_latest(&mut statement, chrono::Utc::now());
    let Some(row) = crate::db::one(db, &statement).await? else {
        return Ok((Facts::default(), None));
    };
    Ok((Facts::from_query_result(&row, "")?, guru::latest_of(&row)?))
}

/// The names of the most used tags less those the viewer follows (`followed`: their ids
/// joined with commas), at most [`SUGGESTED_TAGS`].
fn suggested_tags(popular: &[Popular], followed: Option<&str>) -> Vec<String> {
    let followed: Vec<i64> = followed
        .into_iter()
        .flat_map(|f| f.split(','))
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    popular
        .iter()
        .filter(|tag| !followed.contains(&tag.id))
        .take(SUGGESTED_TAGS as usize)
        .map(|tag| tag.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Popular, SUGGESTED_TAGS, suggested_tags};

    #[test]
    fn suggestions_keep_the_order_and_leave_out_followed_tags() {
        let popular: Vec<Popular> = (1..=10)
            .map(|id| Popular {
                id,
                name: format!("tag{id}"),
            })
            .collect();
        let names = suggested_tags(&popular, Some("2,9"));
        assert_eq!(names.len(), SUGGESTED_TAGS as usize);
        assert_eq!(
            names,
            [
                "tag1", "tag3", "tag4", "tag5", "tag6", "tag7", "tag8", "tag10"
            ]
        );
        assert_eq!(suggested_tags(&popular[..2], None), ["tag1", "tag2"]);
    }
}
