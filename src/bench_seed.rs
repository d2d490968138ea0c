//! `kring bench-seed` (hidden): a large generated community for `bench/http`, written through
//! the same service functions the API calls (`qa::service::ask`, `answer`, votes, comments,
//! `blog::service::create`/`publish`, likes), so the search outbox, the points ledger and the
//! notifications hold what production would hold. Only the password hash is computed once and
//! shared by every account (argon2 on purpose takes tens of milliseconds per hash).
//!
//! It refuses a database that already has people, and writes a JSON file for the benchmark:
//! the bench users' API tokens, the password, and ids to request (questions, answers, posts
//! with their slugs, people, tags, search words).
use std::{
    future::Future,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Instant,
};

use anyhow::Context;
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::{
    auth::{
        current_user::CurrentUser,
        password,
        service::{self, CreatedBy, NewAccount},
        types::{DisplayName, Email, Role, Roles, UserId},
    },
    blog::{self, comments::CommentInput as PostCommentInput, types::PostInput},
    i18n::Lang,
    qa::{
        comments::CommentInput,
        types::{AnswerInput, QuestionInput, VoteValue},
    },
};

/// The password of every bench account.
pub const BENCH_PASSWORD: &str = "kring-bench-2026";
/// How many accounts get an API token (the load generator rotates them); they author no
/// seeded content, so they may vote on and like all of it.
const TOKEN_USERS: usize = 64;

#[derive(clap::Args, Debug, Clone)]
pub struct BenchSeedArgs {
    #[arg(long, default_value_t = 20_000)]
    pub questions: usize,
    #[arg(long, default_value_t = 50_000)]
    pub answers: usize,
    #[arg(long, default_value_t = 4_000)]
    pub posts: usize,
    #[arg(long, default_value_t = 2_000)]
    pub people: usize,
    /// How many writes run at once.
    #[arg(long, default_value_t = 4)]
    pub jobs: usize,
    /// Where the JSON for the benchmark is written.
    #[arg(long, default_value = "bench-seed.json")]
    pub out: std::path::PathBuf,
}

#[derive(Serialize, Default)]
struct Manifest {
    password: String,
    /// (user id, email, API token) of the bench users.
    users: Vec<TokenUser>,
    questions: Vec<i64>,
    answers: Vec<i64>,
    posts: Vec<(i64, String)>,
    people: Vec<i64>,
    tags: Vec<String>,
    words: Vec<&'static str>,
    seconds: f64,
}

#[derive(Serialize)]
struct TokenUser {
    id: i64,
    email: String,
    token: String,
}

const NOUNS: &str = concat!(
    "vpn|laptop|printer|expenses|holiday|badge|parking|lunch|onboarding|contract|",
    "invoice|budget|training|meeting|pension|salary|roster|office|server|backup|",
    "password|phone|monitor|travel|insurance|declaratie|thuiswerken|verlof|",
    "reiskosten|vergadering|fiets|kantoor|rooster|pensioen|opleiding|klant|offerte|",
    "planning|project|release",
);
const VERBS: &str = concat!(
    "request|configure|book|cancel|renew|report|share|approve|find|install|reset|",
    "claim|plan|move|update",
);
const PLACES: &str = concat!(
    "Utrecht|Gent|Keulen|Eindhoven|London|Amsterdam|the warehouse|the head office|",
    "the lab|home",
);
const SENTENCES: &str = concat!(
    "I tried the portal first but it keeps asking for a code I never received.|",
    "Our team lead said there is a form for this, but nobody knows where it lives.|",
    "Last year this worked through the service desk; since the reorganisation it does not.|",
    "Ik heb het intranet doorzocht maar vind alleen een verouderde handleiding.|",
    "De collega die dit altijd regelde is met pensioen, dus wie weet het nu?|",
    "It would help to have the steps written down once, so new colleagues can find them.|",
    "We need this before the end of the quarter for a customer project.|",
    "Volgens mij moet je eerst toestemming van je manager hebben, klopt dat?|",
    "The documentation mentions **two approval steps** and a *cost centre*.|",
    "Has anyone done this recently and can share what to expect?",
);
const DEPARTMENTS: &str = "Communicatie|Finance|HR|IT|Sales|Engineering|Legal|Operations";

/// A cheap deterministic mix (splitmix64), so every run seeds the same community.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick<T: Copy>(list: &[T], n: u64) -> T {
    list[(mix(n) % list.len() as u64) as usize]
}

/// One of the `|`-separated words of `list`.
fn word(list: &'static str, n: u64) -> &'static str {
    let count = list.split('|').count() as u64;
    list.split('|')
        .nth((mix(n) % count) as usize)
        .unwrap_or_default()
}

fn paragraph(seed: u64, sentences: u64) -> String {
    (0..sentences)
        .map(|k| word(SENTENCES, seed * 31 + k))
        .collect::<Vec<_>>()
        .join(" ")
}

fn fail(e: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Runs `work(i)` for every `i` below `total`, `jobs` at a time on the runtime's threads,
/// printing progress; returns the results in order.
async fn parallel<T, F, Fut>(
    label: &str,
    total: usize,
    jobs: usize,
    work: F,
) -> anyhow::Result<Vec<T>>
where
    T: Send + Default + Clone + 'static,
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let started = Instant::now();
    let work = Arc::new(work);
    let next = Arc::new(AtomicUsize::new(0));
    let step = (total / 10).max(1);
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..jobs.max(1) {
        let (work, next) = (work.clone(), next.clone());
        let label = label.to_owned();
        set.spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<_, anyhow::Error>(out);
                }
                let value = work(i).await.with_context(|| format!("{label} #{i}"))?;
                out.push((i, value));
                if (i + 1) % step == 0 {
                    eprintln!("  {label}: {}/{total}", i + 1);
                }
            }
        });
    }
    let mut results = vec![T::default(); total];
    while let Some(done) = set.join_next().await {
        for (i, value) in done.context("a seeding task failed")?? {
            results[i] = value;
        }
    }
    eprintln!(
        "{label}: {total} in {:.1} s ({:.0}/s)",
        started.elapsed().as_secs_f64(),
        total as f64 / started.elapsed().as_secs_f64().max(0.001)
    );
    Ok(results)
}

/// Creates the accounts in transactions of 500, all with one password hash. The first is an
/// admin and editor (approves posts in review).
async fn seed_people(db: &DatabaseConnection, count: usize) -> anyhow::Result<Vec<CurrentUser>> {
    let started = Instant::now();
    let hash = password::hash(BENCH_PASSWORD).await?;
    let mut ids = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let txn = crate::db::begin(db).await?;
        for &n in chunk {
            let email = Email::parse(&format!("bench{n}@kring.example")).map_err(fail)?;
            let name = format!(
                "{} {}",
                pick(
                    &[
                        "Anna", "Ben", "Carla", "Daan", "Eva", "Finn", "Greta", "Hugo"
                    ],
                    n as u64
                ),
                pick(
                    &["de Vries", "Jansen", "Bakker", "Smith", "Visser", "Turner"],
                    n as u64 + 7
                )
            );
            let display_name = DisplayName::parse(&format!("{name} {n}")).map_err(fail)?;
            let roles = if n == 0 {
                Roles::new([Role::Admin, Role::Editor])
            } else {
                Roles::new([])
            };
            let account = NewAccount {
                email: &email,
                display_name: &display_name,
                roles: &roles,
                is_leadership: false,
                locale: Some(if n % 2 == 0 { Lang::Nl } else { Lang::En }),
                pending: false,
            };
            let user = service::insert_new_account(
                &txn,
                CreatedBy::Operator,
                &account,
                Some(hash.clone()),
            )
            .await
            .map_err(fail)?;
            ids.push(user.id);
        }
        txn.commit().await?;
    }
    let mut people = Vec::with_capacity(count);
    for id in ids {
        people.push(
            service::active_user(db, UserId(id))
                .await
                .map_err(fail)?
                .context("a bench user is not active")?,
        );
    }
    eprintln!(
        "people: {count} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(people)
}

/// Departments and a profile for everyone.
async fn seed_profiles(ctx: &Arc<Ctx>, jobs: usize) -> anyhow::Result<()> {
    use sea_orm::{ActiveValue::Set, EntityTrait};

    use crate::{entities::departments, people::types::ProfilePatch};
    let rows: Vec<_> = DEPARTMENTS
        .split('|')
        .map(|name| departments::ActiveModel {
            name: Set(name.to_string()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .collect();
    departments::Entity::insert_many(rows)
        .exec_without_returning(&ctx.db)
        .await?;
    let departments: Arc<Vec<i64>> = Arc::new(
        departments::Entity::find()
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect(),
    );
    let c = ctx.clone();
    parallel("profiles", ctx.people.len(), jobs, move |n| {
        let (c, departments) = (c.clone(), departments.clone());
        async move {
            let person = &c.people[n];
            let seed = n as u64 * 13;
            let patch = ProfilePatch {
                job_title: Some(format!("{} specialist", word(NOUNS, seed))),
                department_id: Some(Some(pick(&departments, seed))),
                location: Some(word(PLACES, seed + 1).to_owned()),
                languages: Some(vec!["nl".into(), "en".into()]),
                bio: Some(paragraph(seed, 2)),
                expertise: Some(vec![
                    pick_ref(&c.tags, seed).clone(),
                    pick_ref(&c.tags, seed + 1).clone(),
                ]),
                ..Default::default()
            };
            crate::people::service::update(&c.db, person, person.id.0, &patch)
                .await
                .map_err(fail)?;
            Ok(())
        }
    })
    .await?;
    Ok(())
}

struct Ctx {
    db: DatabaseConnection,
    people: Vec<CurrentUser>,
    tags: Vec<String>,
}

impl Ctx {
    /// An author of seeded content: never one of the token users (when there are others).
    fn author(&self, seed: u64) -> &CurrentUser {
        let others = self.people.len().saturating_sub(TOKEN_USERS);
        if others == 0 {
            return pick_ref(&self.people, seed);
        }
        &self.people[TOKEN_USERS + (mix(seed) % others as u64) as usize]
    }

    /// Anyone but `not`.
    fn other(&self, seed: u64, not: i64) -> &CurrentUser {
        let person = pick_ref(&self.people, seed);
        if person.id.0 != not {
            person
        } else {
            pick_ref(&self.people, seed + 1)
        }
    }
}

fn pick_ref<T>(list: &[T], n: u64) -> &T {
    &list[(mix(n) % list.len() as u64) as usize]
}

async fn seed_questions(ctx: &Arc<Ctx>, count: usize, jobs: usize) -> anyhow::Result<Vec<i64>> {
    let c = ctx.clone();
    parallel("questions", count, jobs, move |n| {
        let c = c.clone();
        async move {
            let seed = n as u64 * 7 + 1;
            let author = c.author(seed);
            let tags = vec![
                pick_ref(&c.tags, seed).clone(),
                pick_ref(&c.tags, seed + 3).clone(),
            ];
            let input = QuestionInput {
                title: format!(
                    "How do I {} the {} in {}? (case {n})",
                    word(VERBS, seed),
                    word(NOUNS, seed + 1),
                    word(PLACES, seed + 2)
                ),
                body: format!(
                    "{}\n\n- {}\n- {}\n\n{}",
                    paragraph(seed, 3),
                    word(NOUNS, seed + 4),
                    word(NOUNS, seed + 5),
                    paragraph(seed + 9, 2)
                ),
                tags,
                language: Some(if n % 3 == 0 { Lang::Nl } else { Lang::En }),
                space_id: None,
            };
            let question = crate::qa::service::ask(&c.db, author, &input)
                .await
                .map_err(fail)?;
            Ok(question.summary.id)
        }
    })
    .await
}

/// Answers spread over the questions (a few questions get many); every third question's first
/// answer is accepted, and about half the answers get an up-vote.
async fn seed_answers(
    ctx: &Arc<Ctx>,
    questions: &Arc<Vec<(i64, i64)>>,
    count: usize,
    jobs: usize,
) -> anyhow::Result<Vec<i64>> {
    let (c, qs) = (ctx.clone(), questions.clone());
    parallel("answers", count, jobs, move |n| {
        let (c, qs) = (c.clone(), qs.clone());
        async move {
            let seed = n as u64 * 11 + 5;
            // The first answers go one per question, so most questions have one.
            let q = if n < qs.len() {
                n
            } else {
                (mix(seed) % qs.len() as u64) as usize
            };
            let (question_id, asker) = qs[q];
            let mut author = c.author(seed);
            if author.id.0 == asker {
                author = c.author(seed + 1);
            }
            let body = format!(
                "{}\n\n1. Open the {} page.\n2. Choose *{}*.\n\n{}",
                paragraph(seed, 2),
                word(NOUNS, seed + 2),
                word(VERBS, seed + 3),
                paragraph(seed + 5, 1)
            );
            let answer =
                crate::qa::service::answer(&c.db, author, question_id, &AnswerInput { body })
                    .await
                    .map_err(fail)?;
            if n < qs.len() && n % 3 == 0 {
                let asker = c.people.iter().find(|p| p.id.0 == asker).context("asker")?;
                crate::qa::service::accept(&c.db, asker, answer.id)
                    .await
                    .map_err(fail)?;
            }
            if n % 2 == 0 {
                let voter = c.other(seed + 6, author.id.0);
                crate::qa::votes::on_answer(&c.db, voter, answer.id, Some(VoteValue(1)))
                    .await
                    .map_err(fail)?;
            }
            if n % 5 == 0 {
                let commenter = c.other(seed + 8, -1);
                let input = CommentInput {
                    body: paragraph(seed + 7, 1),
                };
                crate::qa::comments::on_question(&c.db, commenter, question_id, &input)
                    .await
                    .map_err(fail)?;
            }
            Ok(answer.id)
        }
    })
    .await
}

/// Published posts (approved by the admin when review is on), with likes and comments.
async fn seed_posts(
    ctx: &Arc<Ctx>,
    count: usize,
    jobs: usize,
) -> anyhow::Result<Vec<(i64, String)>> {
    let c = ctx.clone();
    parallel("posts", count, jobs, move |n| {
        let c = c.clone();
        async move {
            let seed = n as u64 * 17 + 3;
            let author = c.author(seed);
            let input = PostInput {
                title: format!(
                    "What we learned about {} in {} ({n})",
                    word(NOUNS, seed),
                    word(PLACES, seed + 1)
                ),
                body: format!(
                    "{}\n\n## What worked\n\n{}\n\n## What did not\n\n{}",
                    paragraph(seed, 3),
                    paragraph(seed + 1, 3),
                    paragraph(seed + 2, 2)
                ),
                tags: vec![
                    pick_ref(&c.tags, seed).clone(),
                    pick_ref(&c.tags, seed + 1).clone(),
                ],
                language: Some(if n % 2 == 0 { Lang::Nl } else { Lang::En }),
                ..Default::default()
            };
            let post = blog::service::create(&c.db, author, &input)
                .await
                .map_err(fail)?;
            let id = post.summary.id;
            let post = blog::service::publish(&c.db, author, id, None)
                .await
                .map_err(fail)?;
            let post = if post.summary.status == blog::types::PostStatus::InReview {
                blog::service::approve(&c.db, &c.people[0], id, None)
                    .await
                    .map_err(fail)?
            } else {
                post
            };
            for k in 0..2 {
                let reader = c.other(seed + 10 + k, author.id.0);
                blog::service::like(&c.db, reader, id, true)
                    .await
                    .map_err(fail)?;
            }
            if n % 2 == 0 {
                let input = PostCommentInput {
                    body: paragraph(seed + 4, 1),
                    parent_id: None,
                };
                blog::comments::add(&c.db, c.other(seed + 5, -1), id, &input)
                    .await
                    .map_err(fail)?;
            }
            Ok((id, post.summary.slug))
        }
    })
    .await
}

/// Seeds the whole community and writes the manifest.
pub async fn seed(db: &DatabaseConnection, args: &BenchSeedArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    if crate::auth::repo::count_users(db).await? > 0 {
        anyhow::bail!("the database already has people; bench-seed wants an empty one");
    }
    let people = seed_people(db, args.people.max(2)).await?;
    let nouns: Vec<&str> = NOUNS.split('|').collect();
    let tags: Vec<String> = (0..nouns.len() * 2)
        .map(|n| format!("{}-{}", nouns[n % nouns.len()], n / nouns.len() + 1))
        .collect();
    crate::tags::ensure(db, &tags).await?;
    let ctx = Arc::new(Ctx {
        db: db.clone(),
        people,
        tags,
    });
    seed_profiles(&ctx, args.jobs).await?;
    let questions = seed_questions(&ctx, args.questions.max(1), args.jobs).await?;
    let with_askers: Vec<(i64, i64)> = questions
        .iter()
        .enumerate()
        .map(|(n, id)| (*id, ctx.author(n as u64 * 7 + 1).id.0))
        .collect();
    let answers = seed_answers(&ctx, &Arc::new(with_askers), args.answers, args.jobs).await?;
    let posts = seed_posts(&ctx, args.posts.max(1), args.jobs).await?;
    let mut manifest = Manifest {
        password: BENCH_PASSWORD.into(),
        questions,
        answers,
        posts,
        people: ctx.people.iter().map(|p| p.id.0).collect(),
        tags: ctx.tags.clone(),
        words: NOUNS.split('|').collect(),
        ..Default::default()
    };
    for person in ctx.people.iter().take(TOKEN_USERS) {
        let token = service::create_token(db, person, "bench")
            .await
            .map_err(fail)?;
        manifest.users.push(TokenUser {
            id: person.id.0,
            email: person.email.clone(),
            token: token.token,
        });
    }
    manifest.seconds = started.elapsed().as_secs_f64();
    write_manifest(&args.out, &manifest)?;
    eprintln!(
        "bench community seeded in {:.1} s; manifest in {}",
        manifest.seconds,
        args.out.display()
    );
    Ok(())
}

fn write_manifest(path: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let json = serde_json::to_string(manifest)?;
    std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))
}
