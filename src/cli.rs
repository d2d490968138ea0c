//! The commands behind `kring`'s subcommands.
use std::io::{BufRead, IsTerminal};

use anyhow::Context;

use crate::{
    auth::{
        service::{self, AccountInput, NewUser},
        types::Roles,
    },
    bench_seed,
    config::Settings,
    db, demo,
    startup::Application,
};

/// Connects for a command run beside (or instead of) the server; the consequences of domain
/// events are installed as the server installs them.
async fn connect(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    crate::effects::install();
    db::connect(&settings.database).await
}

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    tracing::info!("Kring is ready: open {} in your browser", app.url());
    app.run_until_stopped().await
}

pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let db = connect(&settings).await?;
    db::migrate(&db).await?;
    println!("migrations applied to {}", settings.database);
    Ok(())
}

#[derive(clap::Args, Debug)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub email: String,
    /// The display name.
    #[arg(long)]
    pub name: String,
    /// A role (member, ambassador, editor, social_team, admin); repeat for several.
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Mark the user as leadership (their posts become announcements).
    #[arg(long)]
    pub leadership: bool,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn create_user(settings: Settings, args: CreateUserArgs) -> anyhow::Result<()> {
    let password = read_password(args.password_stdin)?;
    let roles = Roles::parse(&args.roles).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut new = NewUser::parse(
        &AccountInput {
            email: args.email,
            display_name: args.name,
            password,
        },
        roles,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    new.is_leadership = args.leadership;
    let db = connect(&settings).await?;
    db::migrate(&db).await?;
    let user = service::create_user_as_operator(&db, new)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let roles = crate::auth::repo::roles_of(&db, crate::auth::types::UserId(user.id)).await?;
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    println!(
        "created user {} <{}> with roles {}",
        user.id,
        user.email,
        names.join(", ")
    );
    Ok(())
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("no terminal to ask for a password; pass --password-stdin and pipe it in");
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Password again: ")?;
    if first != second {
        anyhow::bail!("the passwords differ");
    }
    Ok(first)
}

pub async fn seed_demo(settings: Settings) -> anyhow::Result<()> {
    let db = connect(&settings).await?;
    db::migrate(&db).await?;
    let report = demo::seed(&db).await?;
    println!("{report}");
    Ok(())
}

/// Seeds a large generated community for `bench/http` (hidden), then builds its search index.
pub async fn bench_seed(settings: Settings, args: bench_seed::BenchSeedArgs) -> anyhow::Result<()> {
    let db = connect(&settings).await?;
    db::migrate(&db).await?;
    bench_seed::seed(&db, &args).await?;
    reindex(settings).await
}

/// Rebuilds the search index into a new generation beside the live one, with a progress bar,
/// then publishes it; a server running on the same data directory swaps to it without a
/// failed query.
pub async fn reindex(settings: Settings) -> anyhow::Result<()> {
    let db = connect(&settings).await?;
    db::migrate(&db).await?;
    let root = settings.data_dir.join("index");
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} documents ({per_sec}, {eta} left)",
        )?
        .progress_chars("=> "),
    );
    let language =
        crate::search::language::Language::shared(&crate::search::language::dir(&settings));
    let total = crate::search::indexer::reindex(&db, &root, &language, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "reindexed {total} documents in {:.1} s into {}",
        started.elapsed().as_secs_f64(),
        root.display()
    );
    Ok(())
}
