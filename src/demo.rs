//! `kring seed-demo`: a small living community in Dutch and English. Idempotent: running it
//! twice adds nothing twice. Grows with each feature.
use crate::{
    auth::{
        current_user::CurrentUser,
        repo,
        service::{self, NewUser},
        types::{DisplayName, Email, NewPassword, Role, Roles},
    },
    blog::{
        self,
        comments::CommentInput,
        types::{PostInput, PostStatus},
    },
    i18n::Lang,
};
use sea_orm::DatabaseConnection;

/// The password of every demo account (printed by the command).
pub const DEMO_PASSWORD: &str = "kring-demo-2026";

struct Person {
    email: &'static str,
    name: &'static str,
    roles: &'static [Role],
    leadership: bool,
    lang: Lang,
}

const PEOPLE: &[Person] = &[
    Person {
        email: "admin@kring.example",
        name: "Ada Admin",
        roles: &[Role::Admin],
        leadership: false,
        lang: Lang::En,
    },
    Person {
        email: "ceo@kring.example",
        name: "Carla de Wit",
        roles: &[],
        leadership: true,
        lang: Lang::Nl,
    },
    Person {
        email: "social@kring.example",
        name: "Sanne Jansen",
        roles: &[Role::SocialTeam],
        leadership: false,
        lang: Lang::Nl,
    },
    Person {
        email: "editor@kring.example",
        name: "Eric Editor",
        roles: &[Role::Editor],
        leadership: false,
        lang: Lang::En,
    },
    Person {
        email: "ambassador@kring.example",
        name: "Amira Bakker",
        roles: &[Role::Ambassador],
        leadership: false,
        lang: Lang::Nl,
    },
    Person {
        email: "anna@kring.example",
        name: "Anna de Vries",
        roles: &[],
        leadership: false,
        lang: Lang::Nl,
    },
    Person {
        email: "ben@kring.example",
        name: "Ben Turner",
        roles: &[],
        leadership: false,
        lang: Lang::En,
    },
];

struct DemoPost {
    author: &'static str,
    title: &'static str,
    body: &'static str,
    tags: &'static [&'static str],
    lang: Lang,
    /// (commenter, text); each commenter also likes the post.
    comments: &'static [(&'static str, &'static str)],
}

const POSTS: &[DemoPost] = &[
    DemoPost {
        author: "ceo@kring.example",
        title: "Onze plannen voor 2027",
        body: "Beste collega's,\n\nVolgend jaar zetten we drie stappen:\n\n1. **Kennis delen** wordt onderdeel van ieders werk: stel je vraag in Kring in plaats van in een mail aan vijf mensen.\n2. We openen vestigingen in Gent en Keulen; de ambassadeurs daar schrijven hier over hun eerste maanden.\n3. Elke maand zetten we een *Social Guru* in het zonnetje.\n\nIk lees graag jullie reacties.\n\nCarla",
        tags: &["strategie", "2027"],
        lang: Lang::Nl,
        comments: &[
            (
                "anna@kring.example",
                "Mooi plan! Komt er ook een vraag-en-antwoordsessie over Keulen?",
            ),
            ("ben@kring.example", "Looking forward to the Ghent updates."),
        ],
    },
    DemoPost {
        author: "ambassador@kring.example",
        title: "Thuiswerken: zo houd je het gezond",
        body: "Na drie jaar hybride werken deel ik wat voor mij werkt.\n\n## Ritme\n\nBegin om dezelfde tijd en sluit af met een **vaste afsluiter**: laptop dicht, wandeling.\n\n## Werkplek\n\n- Scherm op ooghoogte\n- Een echte stoel, geen keukenstoel\n- Daglicht van opzij\n\nDe thuiswerkvergoeding vraag je aan via het HR-portaal.",
        tags: &["thuiswerken", "gezondheid"],
        lang: Lang::Nl,
        comments: &[(
            "anna@kring.example",
            "Die vaste afsluiter ga ik proberen, dank je!",
        )],
    },
    DemoPost {
        author: "ambassador@kring.example",
        title: "How we cut our onboarding time in half",
        body: "New colleagues in our team used to need six weeks before their first real contribution. Now it is three.\n\nWhat changed:\n\n- A **buddy** for the first month\n- Every recurring question answered *once*, here in Kring, and linked from the onboarding checklist\n- A demo of their first piece of work in week two\n\nAsk me anything in the comments.",
        tags: &["onboarding", "teamwork"],
        lang: Lang::En,
        comments: &[(
            "ben@kring.example",
            "The buddy system made a big difference for me when I started.",
        )],
    },
    DemoPost {
        author: "ben@kring.example",
        title: "Three tips for better video calls",
        body: "1. Share the agenda in the invitation.\n2. Start with the decision you need.\n3. End five minutes early, so people can reach their next call.",
        tags: &["meetings"],
        lang: Lang::En,
        comments: &[],
    },
];

async fn current(db: &DatabaseConnection, email: &str) -> anyhow::Result<CurrentUser> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = repo::find_by_email(db, &email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user {} is missing", email.as_str()))?;
    service::active_user(db, crate::auth::types::UserId(user.id))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("demo user {} is deactivated", email.as_str()))
}

/// Writes the demo posts that do not exist yet, with their comments and likes.
async fn seed_posts(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("{e}");
    let editor = current(db, "editor@kring.example").await?;
    let mut created = 0;
    for demo in POSTS {
        let slug = crate::content::slugify(demo.title, 200);
        if !matches!(
            blog::repo::find_by_slug(db, &slug).await?,
            blog::repo::SlugLookup::Missing
        ) {
            continue;
        }
        let author = current(db, demo.author).await?;
        let input = PostInput {
            title: demo.title.into(),
            body: demo.body.into(),
            tags: demo.tags.iter().map(|t| t.to_string()).collect(),
            language: Some(demo.lang),
            ..Default::default()
        };
        let post = blog::service::create(db, &author, &input)
            .await
            .map_err(fail)?;
        let id = post.summary.id;
        let post = blog::service::publish(db, &author, id, None)
            .await
            .map_err(fail)?;
        if post.summary.status == PostStatus::InReview {
            blog::service::approve(db, &editor, id, None)
                .await
                .map_err(fail)?;
        }
        for (who, text) in demo.comments {
            let commenter = current(db, who).await?;
            let input = CommentInput {
                body: text.to_string(),
                parent_id: None,
            };
            blog::comments::add(db, &commenter, id, &input)
                .await
                .map_err(fail)?;
            blog::service::like(db, &commenter, id, true)
                .await
                .map_err(fail)?;
        }
        created += 1;
    }
    Ok(created)
}

struct DemoQuestion {
    author: &'static str,
    title: &'static str,
    body: &'static str,
    tags: &'static [&'static str],
    lang: Lang,
    /// (author, body, voters who vote it up).
    answers: &'static [(&'static str, &'static str, &'static [&'static str])],
    /// Index into `answers` of the accepted one.
    accepted: Option<usize>,
    /// Title of the question this one duplicates (closed by the editor).
    duplicate_of: Option<&'static str>,
}

const QUESTIONS: &[DemoQuestion] = &[
    DemoQuestion {
        author: "anna@kring.example",
        title: "How do I connect to the VPN from home?",
        body: "The VPN client asks for a certificate I do not have. Where do I get it?",
        tags: &["vpn", "remote-work"],
        lang: Lang::En,
        answers: &[(
            "ambassador@kring.example",
            "Open the **Company Portal** app and install the *Kring VPN* profile: it brings the certificate along. Restart the VPN client afterwards.",
            &["ben@kring.example", "anna@kring.example"],
        )],
        accepted: Some(0),
        duplicate_of: None,
    },
    DemoQuestion {
        author: "ben@kring.example",
        title: "Hoe declareer ik reiskosten voor een klantbezoek?",
        body: "Ik ben met de auto naar een klant geweest. Via welk formulier declareer ik de kilometers?",
        tags: &["declaraties"],
        lang: Lang::Nl,
        answers: &[(
            "social@kring.example",
            "In het HR-portaal onder *Declaraties → Reiskosten*. Vul het adres van de klant in, dan rekent het portaal de kilometers zelf uit.",
            &["anna@kring.example"],
        )],
        accepted: None,
        duplicate_of: None,
    },
    DemoQuestion {
        author: "ben@kring.example",
        title: "Where can I find the brand templates for presentations?",
        body: "I need the new slide template for a customer pitch next week.",
        tags: &["branding"],
        lang: Lang::En,
        answers: &[],
        accepted: None,
        duplicate_of: None,
    },
    DemoQuestion {
        author: "anna@kring.example",
        title: "Wie weet hoe de nieuwe printer op de derde verdieping werkt?",
        body: "Hij vraagt om een pincode die ik niet heb.",
        tags: &["printen"],
        lang: Lang::Nl,
        answers: &[],
        accepted: None,
        duplicate_of: None,
    },
    DemoQuestion {
        author: "ben@kring.example",
        title: "VPN connection from home does not work",
        body: "It says the certificate is missing.",
        tags: &["vpn"],
        lang: Lang::En,
        answers: &[],
        accepted: None,
        duplicate_of: Some("How do I connect to the VPN from home?"),
    },
];

/// Asks the demo questions that do not exist yet, with their answers, votes, acceptance and
/// duplicates.
async fn seed_questions(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use crate::{
        entities::questions,
        qa::types::{AnswerInput, CloseInput, CloseReason, QuestionInput, VoteValue},
    };
    let fail = |e: crate::error::AppError| anyhow::anyhow!("{e}");
    let find = |title: &'static str| async move {
        questions::Entity::find()
            .filter(questions::Column::Title.eq(title))
            .one(db)
            .await
    };
    let editor = current(db, "editor@kring.example").await?;
    let mut created = 0;
    for demo in QUESTIONS {
        if find(demo.title).await?.is_some() {
            continue;
        }
        let tags: Vec<String> = demo.tags.iter().map(|t| t.to_string()).collect();
        // The demo opens its tags as an operator would; members may then use them.
        crate::tags::ensure(db, &tags).await?;
        let author = current(db, demo.author).await?;
        let input = QuestionInput {
            title: demo.title.into(),
            body: demo.body.into(),
            tags,
            language: Some(demo.lang),
            space_id: None,
        };
        let question = crate::qa::service::ask(db, &author, &input)
            .await
            .map_err(fail)?;
        let id = question.summary.id;
        for (n, (who, body, voters)) in demo.answers.iter().enumerate() {
            let answerer = current(db, who).await?;
            let answer = crate::qa::service::answer(
                db,
                &answerer,
                id,
                &AnswerInput {
                    body: body.to_string(),
                },
            )
            .await
            .map_err(fail)?;
            for voter in *voters {
                let voter = current(db, voter).await?;
                crate::qa::votes::on_answer(db, &voter, answer.id, Some(VoteValue(1)))
                    .await
                    .map_err(fail)?;
            }
            if demo.accepted == Some(n) {
                crate::qa::service::accept(db, &author, answer.id)
                    .await
                    .map_err(fail)?;
            }
        }
        if let Some(original) = demo.duplicate_of {
            let original = find(original)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo question '{original}' is missing"))?;
            let input = CloseInput {
                reason: CloseReason::Duplicate,
                duplicate_of: Some(original.id),
            };
            crate::qa::service::close(db, &editor, id, &input)
                .await
                .map_err(fail)?;
        }
        created += 1;
    }
    Ok(created)
}

const DEPARTMENTS: &[&str] = &["Communicatie", "Finance", "HR", "IT", "Sales"];

/// A demo profile: (email, job title, department, location, languages, expertise, bio).
type DemoProfile = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
);

const PROFILES: &[DemoProfile] = &[
    (
        "ceo@kring.example",
        "CEO",
        "Communicatie",
        "Utrecht, NL",
        &["nl", "en"],
        &["strategy"],
        "I write to all of you every month. Ask me anything.",
    ),
    (
        "social@kring.example",
        "Community manager",
        "Communicatie",
        "Utrecht, NL",
        &["nl", "en"],
        &["community", "declaraties"],
        "I run the social team and the **Social Guru** award.",
    ),
    (
        "editor@kring.example",
        "Editor",
        "Communicatie",
        "Gent, BE",
        &["nl"],
        &["writing"],
        "I help you make your post shine.",
    ),
    (
        "ambassador@kring.example",
        "IT ambassador",
        "IT",
        "Eindhoven, NL",
        &["nl", "en"],
        &["vpn", "remote-work"],
        "Ask me about working from anywhere.",
    ),
    (
        "anna@kring.example",
        "Account manager",
        "Sales",
        "Amsterdam, NL",
        &["nl", "en", "de"],
        &["crm"],
        "Customers first.",
    ),
    (
        "ben@kring.example",
        "Controller",
        "Finance",
        "London, UK",
        &["en"],
        &["expenses"],
        "Spreadsheets and good coffee.",
    ),
];

/// Departments, profiles and a few follows, where missing.
async fn seed_people(db: &DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};

    use crate::{entities::departments, people::types::ProfilePatch};
    let fail = |e: crate::error::AppError| anyhow::anyhow!("{e}");
    let rows: Vec<_> = DEPARTMENTS
        .iter()
        .map(|name| departments::ActiveModel {
            name: Set(name.to_string()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .collect();
    departments::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(departments::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let all = departments::Entity::find().all(db).await?;
    for (email, job, department, location, languages, expertise, bio) in PROFILES {
        let person = current(db, email).await?;
        let existing = crate::entities::profiles::Entity::find_by_id(person.id.0)
            .one(db)
            .await?;
        if existing.is_some() {
            continue;
        }
        let patch = ProfilePatch {
            job_title: Some(job.to_string()),
            department_id: Some(all.iter().find(|d| d.name == *department).map(|d| d.id)),
            location: Some(location.to_string()),
            languages: Some(languages.iter().map(|l| l.to_string()).collect()),
            bio: Some(bio.to_string()),
            expertise: Some(expertise.iter().map(|t| t.to_string()).collect()),
            ..Default::default()
        };
        crate::people::service::update(db, &person, person.id.0, &patch)
            .await
            .map_err(fail)?;
    }
    let anna = current(db, "anna@kring.example").await?;
    for followee in ["ambassador@kring.example", "ceo@kring.example"] {
        let followee = current(db, followee).await?;
        crate::people::service::follow(db, &anna, followee.id.0)
            .await
            .map_err(fail)?;
    }
    Ok(())
}

pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<String> {
    let mut created = 0;
    for person in PEOPLE {
        let email = Email::parse(person.email).map_err(|e| anyhow::anyhow!("{e}"))?;
        if repo::find_by_email(db, &email).await?.is_some() {
            continue;
        }
        let new = NewUser {
            email,
            display_name: DisplayName::parse(person.name).map_err(|e| anyhow::anyhow!("{e}"))?,
            password: NewPassword::parse(DEMO_PASSWORD, &[]).map_err(|e| anyhow::anyhow!("{e}"))?,
            roles: Roles::new(person.roles.iter().copied()),
            is_leadership: person.leadership,
            locale: Some(person.lang),
        };
        service::create_user_as_operator(db, new)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        created += 1;
    }
    let posts = seed_posts(db).await?;
    let questions = seed_questions(db).await?;
    seed_people(db).await?;
    Ok(format!(
        "demo community ready: {created} new users (of {}), {posts} new posts (of {}), {questions} new questions (of {}). Log in as admin@kring.example, ceo@, social@, editor@, ambassador@, anna@ or ben@kring.example with the password {DEMO_PASSWORD}",
        PEOPLE.len(),
        POSTS.len(),
        QUESTIONS.len()
    ))
}
