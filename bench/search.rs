//! Benchmark: full-text search on a large community, tantivy (Kring's own code path) against
//! SQLite FTS5 and PostgreSQL full-text search on the same corpus and the same queries.
//!
//! Run it with one command: `./bench/search [--docs N]` (N defaults to 100,000; 1,000,000
//! works). Further options: `--pg-url URL` (an admin URL, default `$KRING_BENCH_PG_URL` or
//! `postgres://postgres@127.0.0.1:5432/postgres`), `--skip-pg`, `--skip-fts5`, `--rounds R`
//! (passes over the query set per measurement, default 10), `--breakdown` (per query also the
//! p99 at 1 client, and a `search timing` line on stderr per tantivy search: rounds run,
//! microseconds counting, ranking the page (beside a did-you-mean when one is looked for) and reading the hits; and a
//! `search round` line per round tried: its step, matches and microseconds), `--keep DIR` (the
//! corpus lives in DIR and is kept; a later run with the same DIR and `--docs` reuses the
//! seeded database instead of seeding again) and `--reuse-index` (with `--keep`: query the
//! index already in DIR instead of rebuilding it; the index time is then not measured). Both
//! are for iterating on query code; a reported run uses neither. Otherwise everything lives in a fresh
//! temporary directory (`$TMPDIR`); at 1,000,000 documents that takes about 5 GB of disk,
//! plus about 2 GB in PostgreSQL (its benchmark database is dropped at the end).
//!
//! What it does:
//! 1. Seeds a fresh SQLite Kring database (`kring::db::connect` + `migrate`) with N documents as
//!    real rows: 1,000 users and 40 tags, then 15% published blog posts, 45% questions and 40%
//!    answers (attached to the questions), half Dutch and half English. The text is generated
//!    deterministically (seeded RNG, chunk by chunk, never the whole corpus in memory) from
//!    Dutch and English workplace vocabularies sampled with a Zipf distribution, plus Dutch
//!    compounds, common collocations (for phrase queries), a long tail of project and customer
//!    names (truly rare words), and some Markdown. Two thirds of the posts and questions are in
//!    one of 1,000 closed spaces (answers in their question's), a third company-wide.
//! 2. tantivy: times `kring::search::indexer::rebuild` on a new `SearchIndex` (indexing
//!    throughput), waits for any background merging to settle, measures the index size,
//!    then runs the fixed query set through `kring::search::query::search` (top 10, total count
//!    and snippets, exactly what `/api/v1/search` does) from 1 client and from 8 concurrent
//!    clients (OS threads sharing the index) as someone who sees every space (an admin), then
//!    as a member of 50 of the 1,000 spaces (the spaces case, `bench/search_spaces.rs`: the
//!    space filter alone, and the whole path with the two statements of the boundary), and
//!    reads the peak RSS (`VmHWM`, reset before indexing and again before serving via
//!    `/proc/self/clear_refs`).
//! 3. SQLite FTS5 and PostgreSQL (tsvector + GIN) get the same documents and the same queries,
//!    and the table shows them side by side, with each engine's p99 as a multiple of tantivy's.
//! 4. Checks the targets of the issue and exits non-zero when one is missed: p99 under 10 ms at
//!    1 client (the target is for 1,000,000 documents, it is checked at every size), PostgreSQL
//!    p99 at least 5x tantivy's and FTS5 p99 above tantivy's (both at 1 and 8 clients), the bulk
//!    reindex extrapolated linearly to 1,000,000 documents under 3 minutes, the peak RSS
//!    while serving under 1 GiB, and the spaces case's p99 under 10 ms at 1 client (with the
//!    filter, and for the whole path). Targets of a skipped engine are reported as not checked.
//!
//! Fairness between the engines:
//! - Same documents: FTS5 and PostgreSQL are loaded from the Kring database, as tantivy is, with
//!   the document shapes of Kring's indexer: posts and questions with their own title, answers
//!   under their question's title, a question's accepted and best three answers as a
//!   lower-weight third text, people by display name; Markdown reduced to plain text with
//!   `kring::content::plain_text`. Load times include reading the Kring database for all three.
//! - Same work per query: the top 10 by relevance, the total number of matches and a snippet per
//!   hit; all words must match, and when nothing does the query is retried with OR (as Kring
//!   does). Titles weigh more than bodies (tantivy indexes the title three times in its one
//!   text field per language, a question's answers as part of that text; FTS5
//!   `bm25(docs, 3.0, 1.0, 0.5)`; PostgreSQL weights A / B / C with `ts_rank`'s defaults
//!   1.0 / 0.4 / 0.2). Kring's search does somewhat more per query than the other two (it
//!   re-ranks by votes, acceptance and recency, counts facets by type and tag, and tries a
//!   typo-tolerant round before falling back to OR), and all of it is measured.
//! - Language analysis: tantivy uses Kring's analysers (Dutch and English Snowball stemming
//!   plus a neutral field). FTS5 uses `tokenize = 'porter unicode61 remove_diacritics 2'`
//!   (English stemming only; FTS5 has no Dutch stemmer). PostgreSQL indexes every document
//!   with its own language's configuration (`dutch` or `english`) and queries with
//!   `websearch_to_tsquery('english', q) || websearch_to_tsquery('dutch', q)`, so a query in
//!   either language finds both.
//! - Each engine gets its usual bulk-load tuning, included in its load time: FTS5 runs
//!   `optimize` after loading; PostgreSQL builds the GIN index after loading and runs
//!   `VACUUM ANALYZE` (with `maintenance_work_mem = 256MB`). Serving settings: FTS5 with WAL
//!   and `mmap_size = 1 GiB` (tantivy memory-maps its index too); PostgreSQL with `jit = off`
//!   (JIT compilation only adds latency to these short queries). tantivy's load time is
//!   `rebuild` alone (it returns once the new index is published and serving); the time any
//!   background merging still takes afterwards is printed separately.
//! - Same client model: closed-loop clients, 1 or 8 at a time, each running the query set
//!   `--rounds` times in a rotated order after one untimed warm-up pass. tantivy's clients are
//!   OS threads calling `query::search` (Kring runs each search on the blocking thread pool,
//!   `web::block`, so 8 concurrent requests are 8 threads); FTS5 and PostgreSQL are queried by
//!   8 tasks through a pool of 8 connections (sqlx via sea-orm, as Kring talks to its
//!   databases; sqlx runs each SQLite connection on its own thread, PostgreSQL each in its own
//!   process). On 2 cores all three are oversubscribed at 8 clients, so the p99 there includes
//!   waiting for a core. Latency is measured at the client, around the whole search call.
//! - The hit counts per query are printed for comparison; they differ a little where the
//!   analysis differs (Kring's double Dutch stemming, Porter versus Snowball English stemming,
//!   PostgreSQL's stop words, Kring's typo tolerance, phrases not looked for in a question's
//!   answers by Kring).
//! - The peak RSS is tantivy's only (the bench process, before FTS5 and PostgreSQL run);
//!   PostgreSQL's memory is in its own processes and not measured.
//!
//! Progress goes to stderr, the report to stdout. The machine's load average is printed with
//! the report: anything else running on it shows up in the latencies.
use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, anyhow, bail};
use chrono::{Duration as Age, Utc};
use kring::{
    config::DatabaseUrl,
    content, db,
    entities::{answers, post_tags, posts, question_tags, questions, tags, users},
    search::{
        boundary::Visible,
        index::SearchIndex,
        indexer,
        query::{self, SearchParams},
    },
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{
    ActiveValue::Set, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    EntityTrait, Statement, TransactionTrait, Value,
};

#[path = "search_spaces.rs"]
mod spaces;

const USAGE: &str = "usage: ./bench/search [--docs N] [--pg-url URL] [--skip-pg] [--skip-fts5] \
                     [--rounds R] [--breakdown] [--keep DIR [--reuse-index]]";
const DEFAULT_DOCS: u64 = 100_000;
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PG_BENCH_DB: &str = "kring_bench_search";
const SEED: u64 = 0x6b72_696e_6753;
const USERS: i64 = 1_000;
/// Documents come in blocks of 20: 3 posts, 9 questions, 8 answers to those questions.
const BLOCK: u64 = 20;
/// Documents generated and inserted per transaction (a multiple of `BLOCK`).
const CHUNK: u64 = 500;
/// Documents read from the Kring database per batch when loading FTS5 and PostgreSQL.
const READ_CHUNK: i64 = 1_000;
const CLIENTS: usize = 8;
const TARGET_P99: Duration = Duration::from_millis(10);
const TARGET_PG_RATIO: f64 = 5.0;
const TARGET_REINDEX_1M: Duration = Duration::from_secs(180);
const TARGET_RSS: u64 = 1 << 30;

// ---------------------------------------------------------------------------------------------
// Vocabularies. Content words are roughly ordered from common to rare: the Zipf rank is the
// position in the list.

const EN_FUNCTION: &[&str] = &[
    "the", "to", "and", "a", "of", "in", "is", "for", "on", "it", "with", "that", "this", "be",
    "are", "can", "i", "you", "we", "at", "or", "as", "from", "have", "not", "do", "if", "but",
    "my", "our", "there", "how", "what", "when", "an", "by", "will", "all", "so", "about", "after",
    "before", "up", "out", "still", "also", "just", "does", "which", "who",
];

const EN_CONTENT: &[&str] = &[
    "team",
    "meeting",
    "work",
    "time",
    "project",
    "people",
    "office",
    "question",
    "week",
    "day",
    "laptop",
    "update",
    "email",
    "manager",
    "customer",
    "access",
    "account",
    "system",
    "issue",
    "help",
    "process",
    "document",
    "report",
    "colleague",
    "request",
    "problem",
    "support",
    "information",
    "change",
    "policy",
    "training",
    "calendar",
    "room",
    "lunch",
    "budget",
    "holiday",
    "expenses",
    "password",
    "printer",
    "home",
    "deadline",
    "release",
    "deployment",
    "server",
    "application",
    "client",
    "feedback",
    "review",
    "plan",
    "planning",
    "schedule",
    "approval",
    "form",
    "invoice",
    "contract",
    "salary",
    "leave",
    "sick",
    "remote",
    "working",
    "run",
    "running",
    "runs",
    "build",
    "test",
    "testing",
    "deploy",
    "pipeline",
    "database",
    "backup",
    "network",
    "wifi",
    "vpn",
    "connection",
    "screen",
    "monitor",
    "keyboard",
    "phone",
    "badge",
    "parking",
    "car",
    "bike",
    "train",
    "travel",
    "trip",
    "hotel",
    "conference",
    "event",
    "party",
    "coffee",
    "kitchen",
    "desk",
    "floor",
    "building",
    "chair",
    "headset",
    "camera",
    "license",
    "software",
    "hardware",
    "tool",
    "dashboard",
    "data",
    "analysis",
    "spreadsheet",
    "presentation",
    "slides",
    "agenda",
    "notes",
    "decision",
    "strategy",
    "goal",
    "quarter",
    "results",
    "revenue",
    "sales",
    "marketing",
    "design",
    "product",
    "feature",
    "bug",
    "fix",
    "ticket",
    "helpdesk",
    "onboarding",
    "checklist",
    "hiring",
    "interview",
    "candidate",
    "vacancy",
    "new",
    "old",
    "good",
    "quick",
    "slow",
    "broken",
    "urgent",
    "available",
    "shared",
    "internal",
    "external",
    "secure",
    "important",
    "simple",
    "difficult",
    "possible",
    "ready",
    "late",
    "early",
    "free",
    "approve",
    "approved",
    "submit",
    "submitted",
    "book",
    "booked",
    "cancel",
    "install",
    "reset",
    "configure",
    "share",
    "find",
    "need",
    "use",
    "check",
    "ask",
    "know",
    "think",
    "try",
    "start",
    "stop",
    "move",
    "order",
    "pay",
    "paid",
    "send",
    "receive",
    "print",
    "connect",
    "login",
    "upgrade",
    "migration",
    "contractor",
    "freelancer",
    "intern",
    "mentor",
    "coaching",
    "career",
    "promotion",
    "appraisal",
    "bonus",
    "pension",
    "insurance",
    "benefits",
    "reimbursement",
    "receipt",
    "mileage",
    "allowance",
    "commute",
    "overtime",
    "timesheet",
    "hours",
    "shift",
    "weekend",
    "evening",
    "morning",
    "afternoon",
    "tomorrow",
    "yesterday",
    "today",
    "monday",
    "friday",
    "deployments",
    "deployed",
    "builds",
    "tests",
    "tickets",
    "bugs",
    "features",
    "goals",
    "tools",
    "receipts",
    "minutes",
    "sprint",
    "backlog",
    "roadmap",
    "stakeholder",
    "escalation",
    "compliance",
    "audit",
    "gdpr",
    "encryption",
    "firewall",
    "latency",
    "throughput",
    "kubernetes",
    "terraform",
    "retrospective",
    "standup",
    "hackathon",
    "townhall",
    "offsite",
    "volunteering",
    "carpool",
    "bicycle",
    "shower",
    "locker",
    "canteen",
    "vending",
    "stationery",
    "toner",
    "scanner",
    "projector",
    "whiteboard",
    "adapter",
    "charger",
    "docking",
    "dongle",
    "ran",
    "printing",
    "connecting",
    "logout",
    "upgraded",
    "migrate",
    "installed",
    "cancelled",
    "ordered",
    "sent",
    "received",
    "tried",
    "started",
    "stopped",
    "moved",
    "checked",
    "asked",
    "needs",
    "using",
    "sharing",
    "mobile",
    "microphone",
    "desks",
    "offboarding",
    "facilities",
    "reception",
    "visitor",
    "guest",
    "delivery",
    "package",
    "security",
    "incident",
    "outage",
    "maintenance",
    "patch",
    "version",
    "repository",
    "branch",
    "merge",
    "sustainability",
    "ergonomics",
    "sabbatical",
    "whistleblower",
    "defibrillator",
];

const EN_COLLOCATIONS: &[&str] = &[
    "deployment pipeline",
    "expense report",
    "out of office",
    "annual leave",
    "password reset",
    "code review",
    "team meeting",
    "new laptop",
];

const EN_QUESTION_STARTS: &[&str] = &[
    "How do I",
    "How can I",
    "Why does the",
    "Where can I find the",
    "Who knows how to",
    "Is it possible to",
    "What is the best way to",
    "Can someone help with",
    "When will the",
    "Does anyone know",
];

const NL_FUNCTION: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "is", "voor", "op", "te", "dat", "met", "die", "niet",
    "je", "ik", "we", "er", "aan", "om", "of", "maar", "bij", "ook", "als", "naar", "zijn", "kan",
    "wat", "nog", "wel", "geen", "hoe", "wie", "waar", "dit", "deze", "uit", "over", "door", "dan",
    "al", "moet", "heb", "heeft", "wordt", "mijn", "ons", "onze", "zo",
];

const NL_CONTENT: &[&str] = &[
    "team",
    "vergadering",
    "werk",
    "tijd",
    "project",
    "mensen",
    "kantoor",
    "vraag",
    "week",
    "dag",
    "laptop",
    "update",
    "mail",
    "manager",
    "klant",
    "toegang",
    "account",
    "systeem",
    "probleem",
    "hulp",
    "proces",
    "document",
    "rapport",
    "collega",
    "verzoek",
    "storing",
    "ondersteuning",
    "informatie",
    "wijziging",
    "beleid",
    "training",
    "agenda",
    "ruimte",
    "lunch",
    "budget",
    "vakantie",
    "declaratie",
    "wachtwoord",
    "printer",
    "thuis",
    "deadline",
    "release",
    "uitrol",
    "server",
    "applicatie",
    "opdrachtgever",
    "feedback",
    "planning",
    "rooster",
    "goedkeuring",
    "formulier",
    "factuur",
    "contract",
    "salaris",
    "verlof",
    "ziek",
    "ziekmelding",
    "thuiswerken",
    "werken",
    "werkt",
    "fiets",
    "fietsen",
    "fietst",
    "trein",
    "auto",
    "parkeren",
    "parkeerplaats",
    "reis",
    "reiskosten",
    "hotel",
    "congres",
    "evenement",
    "feest",
    "borrel",
    "koffie",
    "keuken",
    "bureau",
    "verdieping",
    "gebouw",
    "stoel",
    "headset",
    "camera",
    "scherm",
    "toetsenbord",
    "telefoon",
    "pas",
    "licentie",
    "software",
    "hardware",
    "dashboard",
    "gegevens",
    "analyse",
    "spreadsheet",
    "presentatie",
    "notulen",
    "besluit",
    "strategie",
    "doel",
    "kwartaal",
    "resultaten",
    "omzet",
    "verkoop",
    "marketing",
    "ontwerp",
    "product",
    "functie",
    "fout",
    "melding",
    "ticket",
    "servicedesk",
    "inwerken",
    "sollicitatie",
    "kandidaat",
    "vacature",
    "nieuw",
    "nieuwe",
    "oud",
    "oude",
    "goed",
    "snel",
    "traag",
    "kapot",
    "dringend",
    "beschikbaar",
    "gedeeld",
    "intern",
    "extern",
    "veilig",
    "belangrijk",
    "eenvoudig",
    "moeilijk",
    "mogelijk",
    "klaar",
    "laat",
    "vroeg",
    "gratis",
    "open",
    "dicht",
    "goedkeuren",
    "goedgekeurd",
    "indienen",
    "ingediend",
    "boeken",
    "geboekt",
    "annuleren",
    "installeren",
    "resetten",
    "instellen",
    "delen",
    "vinden",
    "nodig",
    "gebruiken",
    "controleren",
    "vragen",
    "weten",
    "denken",
    "proberen",
    "beginnen",
    "stoppen",
    "verhuizen",
    "bestellen",
    "besteld",
    "betalen",
    "betaald",
    "sturen",
    "versturen",
    "ontvangen",
    "printen",
    "verbinden",
    "inloggen",
    "uitloggen",
    "migratie",
    "werkplek",
    "flexplek",
    "netwerk",
    "wifi",
    "vpn",
    "verbinding",
    "database",
    "aanvragen",
    "aanvraag",
    "afspraak",
    "afspraken",
    "overleg",
    "directie",
    "afdeling",
    "medewerker",
    "medewerkers",
    "leidinggevende",
    "personeelszaken",
    "stagiair",
    "mentor",
    "loopbaan",
    "promotie",
    "beoordeling",
    "bonus",
    "pensioen",
    "verzekering",
    "vergoeding",
    "vergoedingen",
    "onkosten",
    "bonnetje",
    "kilometers",
    "woonwerkverkeer",
    "overuren",
    "uren",
    "urenregistratie",
    "weekend",
    "avond",
    "ochtend",
    "middag",
    "morgen",
    "gisteren",
    "vandaag",
    "maandag",
    "vrijdag",
    "sprint",
    "backlog",
    "roadmap",
    "incident",
    "onderhoud",
    "versie",
    "beveiliging",
    "bezoeker",
    "gast",
    "pakket",
    "levering",
    "receptie",
    "facilitair",
    "schoonmaak",
    "ziekteverzuim",
    "arbo",
    "bedrijfsarts",
    "ondernemingsraad",
    "jubileum",
    "verjaardag",
    "cadeau",
    "taart",
    "kerstpakket",
    "kerstborrel",
    "bedrijfsuitje",
    "heidag",
    "ergonomie",
    "fietsenstalling",
    "douche",
    "kluisje",
    "kantine",
    "koffieautomaat",
    "whiteboard",
    "beamer",
    "oplader",
    "adapter",
    "dockingstation",
    "toner",
    "scanner",
    "nietmachine",
    "vrijwilligerswerk",
    "duurzaamheid",
    "zonnepanelen",
    "laadpaal",
];

const NL_COLLOCATIONS: &[&str] = &[
    "nieuwe laptop",
    "vrije dag",
    "reiskosten declareren",
    "ziek melden",
    "koffie drinken",
    "werkplek reserveren",
    "thuiswerken op vrijdag",
    "printer op de tweede verdieping",
];

const NL_QUESTION_STARTS: &[&str] = &[
    "Hoe kan ik",
    "Hoe werkt de",
    "Waarom werkt de",
    "Waar vind ik de",
    "Wie weet hoe",
    "Is het mogelijk om",
    "Wat is de beste manier om",
    "Kan iemand helpen met",
    "Wanneer komt de",
    "Weet iemand",
];

/// Dutch writes compounds as one word: the first and second parts they are made of.
const NL_COMPOUND_FIRST: &[&str] = &[
    "reis",
    "thuiswerk",
    "vergader",
    "fiets",
    "kantoor",
    "vakantie",
    "laptop",
    "koffie",
    "parkeer",
    "ziekte",
    "project",
    "team",
    "klant",
    "lunch",
    "printer",
    "wachtwoord",
    "salaris",
    "verlof",
    "onkosten",
    "werk",
];
const NL_COMPOUND_SECOND: &[&str] = &[
    "kosten",
    "vergoeding",
    "ruimte",
    "aanvraag",
    "regeling",
    "formulier",
    "beleid",
    "plek",
    "dag",
    "uren",
    "budget",
    "overzicht",
    "planning",
    "tas",
    "pas",
    "systeem",
    "procedure",
    "week",
    "lijst",
    "code",
];

/// Project, product and customer names: a long tail of rare words shared by both languages.
const NAME_SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tor", "vi", "dal", "bre", "nox", "ze", "qua", "fen", "gor", "sil",
    "ta", "mun", "ro", "pe", "lix", "dor", "an", "vel", "ju", "kas", "ter", "ol", "bri", "zan",
    "mo", "ty", "hel", "gra", "nu", "fi", "rak", "sen", "wo", "lem", "ca", "pix",
];
const NAMES: usize = 20_000;

const FIRST_NAMES: &[&str] = &[
    "Anna", "Bram", "Daan", "Emma", "Fleur", "Lars", "Sanne", "Thijs", "Noor", "Ruben", "Sophie",
    "Tim", "Julia", "Jeroen", "Lisa", "Mark", "Eva", "Pieter", "Femke", "Koen", "James", "Olivia",
    "Liam", "Grace", "Noah", "Chloe", "Oliver", "Mia", "Lucas", "Amelia",
];
const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Hall",
    "Green",
    "Clarke",
];

const TAG_NAMES: &[&str] = &[
    "vpn",
    "laptop",
    "printer",
    "expenses",
    "holiday",
    "onboarding",
    "security",
    "hr",
    "it",
    "facilities",
    "travel",
    "parking",
    "lunch",
    "training",
    "wifi",
    "email",
    "calendar",
    "hardware",
    "software",
    "finance",
    "payroll",
    "pension",
    "benefits",
    "remote-work",
    "office",
    "events",
    "sustainability",
    "health",
    "safety",
    "deployment",
    "kantoor",
    "vakantie",
    "declaraties",
    "fietsen",
    "thuiswerken",
    "verlof",
    "salaris",
    "ict",
    "huisvesting",
    "personeelszaken",
];

/// The `i`-th name of the tail: two or three syllables, capitalised ("Kalo", "Renvidal").
fn codename(i: usize) -> String {
    let n = NAME_SYLLABLES.len();
    let mut name = String::new();
    name.push_str(NAME_SYLLABLES[i % n]);
    name.push_str(NAME_SYLLABLES[(i / n) % n]);
    if i >= n * n {
        name.push_str(NAME_SYLLABLES[(i / (n * n)) % n]);
    }
    capitalize(&mut name, 0);
    name
}

/// Upper-cases the first ASCII letter at or after byte `from`.
fn capitalize(text: &mut str, from: usize) {
    if let Some(at) = text[from..].find(|c: char| c.is_ascii_alphabetic()) {
        text[from + at..from + at + 1].make_ascii_uppercase();
    }
}

/// Zipf-like sampling of ranks `0..n`: rank `r` with weight `1 / (r + 1)^s`.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cdf = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Self { cdf }
    }

    fn sample(&self, rng: &mut StdRng) -> usize {
        let u = rng.random::<f64>() * self.cdf.last().copied().unwrap_or(0.0);
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Nl,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }
}

struct Vocab {
    function: &'static [&'static str],
    content: &'static [&'static str],
    collocations: &'static [&'static str],
    question_starts: &'static [&'static str],
    compounds: Option<(&'static [&'static str], &'static [&'static str])>,
    function_zipf: Zipf,
    content_zipf: Zipf,
    first_zipf: Zipf,
    second_zipf: Zipf,
}

impl Vocab {
    fn new(
        function: &'static [&'static str],
        content: &'static [&'static str],
        collocations: &'static [&'static str],
        question_starts: &'static [&'static str],
        compounds: Option<(&'static [&'static str], &'static [&'static str])>,
    ) -> Self {
        let (first, second) = compounds.map_or((1, 1), |(a, b)| (a.len(), b.len()));
        Self {
            function,
            content,
            collocations,
            question_starts,
            compounds,
            function_zipf: Zipf::new(function.len(), 1.0),
            content_zipf: Zipf::new(content.len(), 1.0),
            first_zipf: Zipf::new(first, 1.0),
            second_zipf: Zipf::new(second, 1.0),
        }
    }
}

/// Deterministic Dutch and English text.
struct TextGen {
    en: Vocab,
    nl: Vocab,
    names: Zipf,
}

impl TextGen {
    fn new() -> Self {
        Self {
            en: Vocab::new(
                EN_FUNCTION,
                EN_CONTENT,
                EN_COLLOCATIONS,
                EN_QUESTION_STARTS,
                None,
            ),
            nl: Vocab::new(
                NL_FUNCTION,
                NL_CONTENT,
                NL_COLLOCATIONS,
                NL_QUESTION_STARTS,
                Some((NL_COMPOUND_FIRST, NL_COMPOUND_SECOND)),
            ),
            names: Zipf::new(NAMES, 1.0),
        }
    }

    fn vocab(&self, lang: Lang) -> &Vocab {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
        }
    }

    /// Appends a content word (or a collocation, compound or name); returns the words added.
    fn content_word(&self, v: &Vocab, rng: &mut StdRng, out: &mut String) -> usize {
        let r: f64 = rng.random();
        if r < 0.02 {
            let c = v.collocations[rng.random_range(0..v.collocations.len())];
            out.push_str(c);
            return c.split(' ').count();
        }
        if r < 0.06 {
            out.push_str(&codename(self.names.sample(rng)));
            return 1;
        }
        if r < 0.12
            && let Some((first, second)) = v.compounds
        {
            out.push_str(first[v.first_zipf.sample(rng)]);
            out.push_str(second[v.second_zipf.sample(rng)]);
            return 1;
        }
        out.push_str(v.content[v.content_zipf.sample(rng)]);
        1
    }

    /// Appends about `len` words, the first capitalised, without final punctuation.
    fn sentence(
        &self,
        v: &Vocab,
        rng: &mut StdRng,
        len: usize,
        markdown: bool,
        out: &mut String,
    ) -> usize {
        let start = out.len();
        let mut words = 0;
        while words < len {
            if words > 0 {
                out.push(' ');
            }
            if rng.random_bool(0.4) {
                out.push_str(v.function[v.function_zipf.sample(rng)]);
                words += 1;
            } else if markdown && rng.random_bool(0.03) {
                out.push_str("**");
                words += self.content_word(v, rng, out);
                out.push_str("**");
            } else if markdown && rng.random_bool(0.02) {
                out.push('`');
                words += self.content_word(v, rng, out);
                out.push('`');
            } else {
                words += self.content_word(v, rng, out);
            }
        }
        capitalize(out, start);
        words
    }

    /// A title of 5 to 10 words; a question's starts like one and ends with "?".
    fn title(&self, lang: Lang, rng: &mut StdRng, question: bool) -> String {
        let v = self.vocab(lang);
        let target = rng.random_range(5..=10);
        let mut title = String::with_capacity(80);
        let mut words = 0;
        if question {
            let start = v.question_starts[rng.random_range(0..v.question_starts.len())];
            title.push_str(start);
            words += start.split(' ').count();
        }
        while words < target {
            if !title.is_empty() {
                title.push(' ');
            }
            if rng.random_bool(0.25) {
                title.push_str(v.function[v.function_zipf.sample(rng)]);
                words += 1;
            } else {
                words += self.content_word(v, rng, &mut title);
            }
        }
        capitalize(&mut title, 0);
        if question {
            title.push('?');
        }
        title
    }

    /// A Markdown body of 40 to 150 words (give or take a sentence): paragraphs, sometimes a
    /// heading (posts) or a bullet list, some bold and `code`.
    fn body(&self, lang: Lang, rng: &mut StdRng, heading: bool) -> String {
        let v = self.vocab(lang);
        let target = rng.random_range(40..=150);
        let mut out = String::with_capacity(target * 8);
        let mut words = 0;
        if heading {
            out.push_str("## ");
            let len = rng.random_range(2..=5);
            words += self.sentence(v, rng, len, false, &mut out);
            out.push_str("\n\n");
        }
        let mut list_done = !rng.random_bool(0.2);
        while words < target {
            let sentences = rng.random_range(2..=5);
            for i in 0..sentences {
                if words >= target {
                    break;
                }
                if i > 0 {
                    out.push(' ');
                }
                let len = rng.random_range(6..=16);
                words += self.sentence(v, rng, len, true, &mut out);
                out.push(if rng.random_bool(0.1) { '?' } else { '.' });
            }
            out.push_str("\n\n");
            if !list_done && words < target {
                for _ in 0..rng.random_range(2..=4) {
                    out.push_str("- ");
                    let len = rng.random_range(3..=6);
                    words += self.sentence(v, rng, len, true, &mut out);
                    out.push('\n');
                }
                out.push('\n');
                list_done = true;
            }
        }
        out.truncate(out.trim_end().len());
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Seeding the Kring database.

#[derive(Default)]
struct Seeded {
    posts: u64,
    questions: u64,
    answers: u64,
}

/// A question of the block being generated: id, language, its answers as (id, score).
type BlockQuestion = (i64, Lang, Vec<(i64, i32)>);

fn html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(markdown));
    out
}

fn pick_tags(rng: &mut StdRng) -> Vec<i64> {
    let mut picked = Vec::with_capacity(3);
    for _ in 0..rng.random_range(1..=3) {
        let tag = rng.random_range(1..=TAG_NAMES.len() as i64);
        if !picked.contains(&tag) {
            picked.push(tag);
        }
    }
    picked
}

async fn seed(db: &DatabaseConnection, text: &TextGen, docs: u64) -> anyhow::Result<Seeded> {
    let now = Utc::now();
    let people: Vec<_> = (0..USERS)
        .map(|n| {
            let first = FIRST_NAMES[n as usize % FIRST_NAMES.len()];
            let last = LAST_NAMES[(n as usize / FIRST_NAMES.len()) % LAST_NAMES.len()];
            users::ActiveModel {
                email: Set(format!("user{n}@kring.example")),
                display_name: Set(format!("{first} {last}")),
                password_hash: Set(None),
                locale: Set(Some(if n % 2 == 0 { "nl" } else { "en" }.into())),
                is_leadership: Set(false),
                is_active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                last_login_at: Set(None),
                ..Default::default()
            }
        })
        .collect();
    users::Entity::insert_many(people)
        .exec_without_returning(db)
        .await?;
    let tag_rows: Vec<_> = TAG_NAMES
        .iter()
        .map(|name| tags::ActiveModel {
            name: Set((*name).into()),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    tags::Entity::insert_many(tag_rows)
        .exec_without_returning(db)
        .await?;
    spaces::seed(db).await?;

    let mut seeded = Seeded::default();
    let chunks = docs.div_ceil(CHUNK);
    let started = Instant::now();
    let mut next_report = 0.1;
    for chunk in 0..chunks {
        // Each chunk has its own seed: the corpus is the same whatever the chunk size of readers.
        let mut rng = StdRng::seed_from_u64(SEED ^ chunk.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let first = chunk * CHUNK;
        let end = (first + CHUNK).min(docs);
        let mut post_rows = Vec::new();
        let mut post_tag_rows = Vec::new();
        let mut question_rows = Vec::new();
        let mut question_tag_rows = Vec::new();
        let mut answer_rows = Vec::new();
        for block in (first..end).step_by(BLOCK as usize) {
            let in_block = (end - block).min(BLOCK);
            // Documents are a minute apart, the last one just now.
            let at = |n: u64| now - Age::minutes((docs - block - n) as i64);
            for n in 0..in_block.min(3) {
                seeded.posts += 1;
                let id = seeded.posts as i64;
                let lang = if rng.random_bool(0.5) {
                    Lang::Nl
                } else {
                    Lang::En
                };
                let title = text.title(lang, &mut rng, false);
                let heading = rng.random_bool(0.5);
                let body = text.body(lang, &mut rng, heading);
                for tag in pick_tags(&mut rng) {
                    post_tag_rows.push(post_tags::ActiveModel {
                        post_id: Set(id),
                        tag_id: Set(tag),
                    });
                }
                let derived = content::derived::Derived::of(&body);
                post_rows.push(posts::ActiveModel {
                    id: Set(id),
                    author_id: Set(rng.random_range(1..=USERS)),
                    space_id: Set(spaces::space_of(spaces::POST, id)),
                    slug: Set(format!("{}-{id}", content::slugify(&title, 200))),
                    title: Set(title),
                    body_html: Set(html(&body)),
                    excerpt: Set(content::excerpt(&body, 200)),
                    body_excerpt: Set(Some(derived.excerpt)),
                    reading_minutes: Set(Some(derived.reading_minutes)),
                    body_md: Set(body),
                    language: Set(lang.code().into()),
                    status: Set("published".into()),
                    cover_path: Set(None),
                    scheduled_at: Set(None),
                    published_at: Set(Some(at(n))),
                    is_announcement: Set(false),
                    announcement_until: Set(None),
                    deleted_at: Set(None),
                    created_at: Set(at(n)),
                    updated_at: Set(at(n)),
                });
            }
            let mut block_questions: Vec<BlockQuestion> = Vec::new();
            let mut question_text = Vec::new();
            for _ in 0..in_block.saturating_sub(3).min(9) {
                seeded.questions += 1;
                let lang = if rng.random_bool(0.5) {
                    Lang::Nl
                } else {
                    Lang::En
                };
                question_text.push((
                    text.title(lang, &mut rng, true),
                    text.body(lang, &mut rng, false),
                    pick_tags(&mut rng),
                ));
                block_questions.push((seeded.questions as i64, lang, Vec::new()));
            }
            for n in 12..in_block {
                seeded.answers += 1;
                let id = seeded.answers as i64;
                let q = rng.random_range(0..block_questions.len());
                let question = &mut block_questions[q];
                let (question_id, lang) = (question.0, question.1);
                let score = rng.random_range(0..=6);
                question.2.push((id, score));
                let body = text.body(lang, &mut rng, false);
                answer_rows.push(answers::ActiveModel {
                    id: Set(id),
                    question_id: Set(question_id),
                    author_id: Set(rng.random_range(1..=USERS)),
                    body_html: Set(html(&body)),
                    body_md: Set(body),
                    score: Set(score),
                    outdated_at: Set(None),
                    outdated_by: Set(None),
                    created_at: Set(at(n)),
                    updated_at: Set(at(n)),
                    deleted_at: Set(None),
                });
            }
            for (n, ((id, lang, answered), (title, body, tag_ids))) in
                block_questions.into_iter().zip(question_text).enumerate()
            {
                let created = at(3 + n as u64);
                let last_activity = if answered.is_empty() {
                    created
                } else {
                    at(in_block - 1)
                };
                // A third of the answered questions have accepted their first answer.
                let accepted = answered
                    .first()
                    .filter(|_| rng.random_bool(0.33))
                    .map(|a| a.0);
                for tag in tag_ids {
                    question_tag_rows.push(question_tags::ActiveModel {
                        question_id: Set(id),
                        tag_id: Set(tag),
                    });
                }
                question_rows.push(questions::ActiveModel {
                    id: Set(id),
                    author_id: Set(rng.random_range(1..=USERS)),
                    space_id: Set(spaces::space_of(spaces::QUESTION, id)),
                    title: Set(title),
                    body_html: Set(html(&body)),
                    body_excerpt: Set(Some(content::derived::Derived::of(&body).excerpt)),
                    body_md: Set(body),
                    language: Set(lang.code().into()),
                    status: Set("open".into()),
                    close_reason: Set(None),
                    duplicate_of_id: Set(None),
                    closed_by: Set(None),
                    closed_at: Set(None),
                    score: Set(rng.random_range(-1..=5)),
                    answer_count: Set(answered.len() as i32),
                    accepted_answer_id: Set(accepted),
                    last_activity_at: Set(last_activity),
                    created_at: Set(created),
                    updated_at: Set(created),
                    deleted_at: Set(None),
                });
            }
        }
        let txn = db.begin().await?;
        if !post_rows.is_empty() {
            posts::Entity::insert_many(post_rows)
                .exec_without_returning(&txn)
                .await?;
            post_tags::Entity::insert_many(post_tag_rows)
                .exec_without_returning(&txn)
                .await?;
        }
        if !question_rows.is_empty() {
            questions::Entity::insert_many(question_rows)
                .exec_without_returning(&txn)
                .await?;
            question_tags::Entity::insert_many(question_tag_rows)
                .exec_without_returning(&txn)
                .await?;
        }
        if !answer_rows.is_empty() {
            answers::Entity::insert_many(answer_rows)
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        let done = (chunk + 1) as f64 / chunks as f64;
        if done >= next_report {
            progress(&format!(
                "seeded {:>3.0}% ({} documents, {:.0} s)",
                done * 100.0,
                end,
                started.elapsed().as_secs_f64()
            ));
            next_report += 0.1;
        }
    }
    Ok(seeded)
}

// ---------------------------------------------------------------------------------------------
// The same documents for FTS5 and PostgreSQL, read from the Kring database in the shapes of
// Kring's indexer (`kring::search::indexer::load`).

struct FlatDoc {
    /// Unique across kinds: 4 * entity id + kind.
    id: i64,
    lang: String,
    title: String,
    body: String,
    answers: String,
}

#[derive(Clone, Copy)]
enum Stage {
    Posts,
    Questions,
    Answers,
    People,
    Done,
}

struct CorpusReader {
    stage: Stage,
    after: i64,
}

fn stmt(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

impl CorpusReader {
    fn new() -> Self {
        Self {
            stage: Stage::Posts,
            after: 0,
        }
    }

    /// The next batch of documents, `None` at the end.
    async fn next_chunk(
        &mut self,
        db: &DatabaseConnection,
    ) -> anyhow::Result<Option<Vec<FlatDoc>>> {
        loop {
            let page = vec![self.after.into(), READ_CHUNK.into()];
            let docs = match self.stage {
                Stage::Done => return Ok(None),
                Stage::Posts => {
                    let rows = db
                        .query_all_raw(stmt(
                            "SELECT id, language, title, body_md FROM posts \
                             WHERE status = 'published' AND deleted_at IS NULL AND id > ? \
                             ORDER BY id LIMIT ?",
                            page,
                        ))
                        .await?;
                    let mut docs = Vec::with_capacity(rows.len());
                    for r in rows {
                        docs.push(FlatDoc {
                            id: 4 * r.try_get_by_index::<i64>(0)?,
                            lang: r.try_get_by_index(1)?,
                            title: r.try_get_by_index(2)?,
                            body: content::plain_text(&r.try_get_by_index::<String>(3)?),
                            answers: String::new(),
                        });
                    }
                    docs
                }
                Stage::Questions => {
                    let rows = db
                        .query_all_raw(stmt(
                            "SELECT id, language, title, body_md, accepted_answer_id FROM questions \
                             WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?",
                            page,
                        ))
                        .await?;
                    let (Some(lo), Some(hi)) = (
                        rows.first().map(|r| r.try_get_by_index::<i64>(0)),
                        rows.last().map(|r| r.try_get_by_index::<i64>(0)),
                    ) else {
                        self.stage = Stage::Answers;
                        self.after = 0;
                        continue;
                    };
                    let (lo, hi) = (lo?, hi?);
                    let answer_rows = db
                        .query_all_raw(stmt(
                            "SELECT question_id, id, score, body_md FROM answers \
                             WHERE deleted_at IS NULL AND question_id BETWEEN ? AND ?",
                            vec![lo.into(), hi.into()],
                        ))
                        .await?;
                    let mut by_question: std::collections::HashMap<i64, Vec<(i64, i32, String)>> =
                        std::collections::HashMap::new();
                    for r in answer_rows {
                        by_question
                            .entry(r.try_get_by_index(0)?)
                            .or_default()
                            .push((
                                r.try_get_by_index(1)?,
                                r.try_get_by_index(2)?,
                                r.try_get_by_index(3)?,
                            ));
                    }
                    let mut docs = Vec::with_capacity(rows.len());
                    for r in rows {
                        let id: i64 = r.try_get_by_index(0)?;
                        let accepted: Option<i64> = r.try_get_by_index(4)?;
                        let mut best = by_question.remove(&id).unwrap_or_default();
                        // The accepted answer, then the best by score (ties: oldest first).
                        best.sort_by_key(|a| (accepted != Some(a.0), -a.1, a.0));
                        let answers = best
                            .iter()
                            .take(4)
                            .map(|a| content::plain_text(&a.2))
                            .collect::<Vec<_>>()
                            .join("\n");
                        docs.push(FlatDoc {
                            id: 4 * id + 1,
                            lang: r.try_get_by_index(1)?,
                            title: r.try_get_by_index(2)?,
                            body: content::plain_text(&r.try_get_by_index::<String>(3)?),
                            answers,
                        });
                    }
                    docs
                }
                Stage::Answers => {
                    let rows = db
                        .query_all_raw(stmt(
                            "SELECT a.id, q.language, q.title, a.body_md FROM answers a \
                             JOIN questions q ON q.id = a.question_id \
                             WHERE a.deleted_at IS NULL AND q.deleted_at IS NULL AND a.id > ? \
                             ORDER BY a.id LIMIT ?",
                            page,
                        ))
                        .await?;
                    let mut docs = Vec::with_capacity(rows.len());
                    for r in rows {
                        docs.push(FlatDoc {
                            id: 4 * r.try_get_by_index::<i64>(0)? + 2,
                            lang: r.try_get_by_index(1)?,
                            title: r.try_get_by_index(2)?,
                            body: content::plain_text(&r.try_get_by_index::<String>(3)?),
                            answers: String::new(),
                        });
                    }
                    docs
                }
                Stage::People => {
                    let rows = db
                        .query_all_raw(stmt(
                            "SELECT id, coalesce(locale, 'en'), display_name FROM users \
                             WHERE is_active AND id > ? ORDER BY id LIMIT ?",
                            page,
                        ))
                        .await?;
                    let mut docs = Vec::with_capacity(rows.len());
                    for r in rows {
                        docs.push(FlatDoc {
                            id: 4 * r.try_get_by_index::<i64>(0)? + 3,
                            lang: r.try_get_by_index(1)?,
                            title: r.try_get_by_index(2)?,
                            body: String::new(),
                            answers: String::new(),
                        });
                    }
                    docs
                }
            };
            match docs.last() {
                Some(last) => {
                    self.after = last.id / 4;
                    return Ok(Some(docs));
                }
                None => {
                    self.stage = match self.stage {
                        Stage::Posts => Stage::Questions,
                        Stage::Questions => Stage::Answers,
                        Stage::Answers => Stage::People,
                        Stage::People | Stage::Done => Stage::Done,
                    };
                    self.after = 0;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Queries.

/// The fixed query set, in Kring's syntax (words, "phrases"); FTS5 and PostgreSQL get
/// translations of the same text.
fn query_set() -> Vec<String> {
    let mut queries: Vec<String> = [
        // English: common and rare single words, a stemming case, two and three words, a phrase.
        "meeting",
        "laptop",
        "expenses",
        "running",
        "deployment",
        "sabbatical",
        "ergonomics",
        "holiday request",
        "printer not working",
        "expenses approval manager",
        "\"deployment pipeline\"",
        "vpn password reset",
        "onboarding checklist",
        "kubernetes migration",
        "parking badge",
        // Dutch: the same mix, a compound, a stemming case ("fietsen" finds "fiets").
        "vergadering",
        "fietsen",
        "declaratie",
        "bedrijfsuitje",
        "fietsvergoeding",
        "vakantie aanvragen",
        "thuiswerken vergoeding",
        "\"nieuwe laptop\"",
        "printer werkt niet",
        "ziekmelding formulier",
        "parkeerplaats kantoor",
        "declaratie reiskosten goedkeuren",
        // Both languages, and two words that rarely meet (Kring then falls back to OR).
        "laptop vpn",
        "wifi",
        "sabbatical bedrijfsuitje",
    ]
    .iter()
    .map(|q| (*q).to_owned())
    .collect();
    // A frequent and a rare name from the tail.
    queries.push(codename(2).to_lowercase());
    queries.push(codename(3_000).to_lowercase());
    // A common word with a rare name, a rarer word with the rare name: when fewer than ten
    // texts hold both, the page is filled with texts holding one of them (`Step::Partial`);
    // when none does ("laptop" with the rarest name), the fallback counts every text with
    // either word (about 700,000 here), the costliest query of the set.
    queries.push(format!("laptop {}", codename(3_000).to_lowercase()));
    queries.push(format!("laptop {}", codename(30_000).to_lowercase()));
    queries.push(format!("sabbatical {}", codename(3_000).to_lowercase()));
    queries
}

/// The terms of a query: words and quoted phrases (each a list of words).
fn terms(q: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, part) in q.split('"').enumerate() {
        let words: Vec<String> = part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if i % 2 == 1 {
            if !words.is_empty() {
                out.push(words);
            }
        } else {
            out.extend(words.into_iter().map(|w| vec![w]));
        }
    }
    out
}

/// FTS5 MATCH syntax: every term quoted (a phrase when it has several words), all required, or
/// any of them with `or`.
fn fts5_expr(q: &str, or: bool) -> String {
    terms(q)
        .iter()
        .map(|t| format!("\"{}\"", t.join(" ")))
        .collect::<Vec<_>>()
        .join(if or { " OR " } else { " " })
}

/// `websearch_to_tsquery` syntax: the query as typed, or its terms joined with `or`.
fn websearch_text(q: &str, or: bool) -> String {
    if !or {
        return q.to_owned();
    }
    terms(q)
        .iter()
        .map(|t| {
            if t.len() > 1 {
                format!("\"{}\"", t.join(" "))
            } else {
                t[0].clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A search as `/api/v1/search` runs it in the index, within the `visible` spaces; the total.
fn tantivy_search(idx: &SearchIndex, q: &str, visible: &Visible) -> anyhow::Result<usize> {
    let params = SearchParams {
        q: Some(q.to_owned()),
        ..Default::default()
    };
    let results = query::search(idx, &params, visible)
        .map_err(|e| anyhow!("tantivy search for {q:?}: {e}"))?;
    Ok(results.total)
}

async fn fts5_count(db: &DatabaseConnection, expr: &str) -> anyhow::Result<usize> {
    let row = db
        .query_one_raw(stmt(
            "SELECT count(*) FROM docs WHERE docs MATCH ?",
            vec![expr.into()],
        ))
        .await?
        .context("count(*) returned no row")?;
    Ok(row.try_get_by_index::<i64>(0)? as usize)
}

async fn fts5_search(db: &DatabaseConnection, q: &str) -> anyhow::Result<usize> {
    let mut expr = fts5_expr(q, false);
    let mut total = fts5_count(db, &expr).await?;
    if total == 0 {
        expr = fts5_expr(q, true);
        total = fts5_count(db, &expr).await?;
    }
    if total > 0 {
        // `rank` is configured as bm25(docs, 3.0, 1.0, 0.5); FTS5 sorts by it internally, so
        // the snippets are only made for the ten hits.
        let rows = db
            .query_all_raw(stmt(
                "SELECT rowid, title, snippet(docs, 1, '<b>', '</b>', '…', 24) FROM docs \
                 WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                vec![expr.into()],
            ))
            .await?;
        for r in rows {
            let _: (i64, String, String) = (
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            );
        }
    }
    Ok(total)
}

/// Top 10 by `ts_rank` with snippets for those ten, and the total via a window count.
const PG_SEARCH: &str = "\
SELECT t.id, d.title, ts_headline(\
    CASE WHEN d.lang = 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END, d.body, \
    websearch_to_tsquery('english', $1) || websearch_to_tsquery('dutch', $1), \
    'MinWords=10, MaxWords=30'), t.total \
FROM (SELECT id, ts_rank(tsv, websearch_to_tsquery('english', $1) || websearch_to_tsquery('dutch', $1)) AS rank, \
             count(*) OVER () AS total \
      FROM docs WHERE tsv @@ (websearch_to_tsquery('english', $1) || websearch_to_tsquery('dutch', $1)) \
      ORDER BY rank DESC LIMIT 10) t \
JOIN docs d ON d.id = t.id ORDER BY t.rank DESC";

async fn pg_run(db: &DatabaseConnection, text: String) -> anyhow::Result<usize> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            PG_SEARCH,
            [text.into()],
        ))
        .await?;
    let mut total = 0;
    for r in rows {
        let _: (i64, String, String) = (
            r.try_get_by_index(0)?,
            r.try_get_by_index(1)?,
            r.try_get_by_index(2)?,
        );
        total = r.try_get_by_index::<i64>(3)? as usize;
    }
    Ok(total)
}

async fn pg_search(db: &DatabaseConnection, q: &str) -> anyhow::Result<usize> {
    let total = pg_run(db, websearch_text(q, false)).await?;
    if total > 0 {
        return Ok(total);
    }
    pg_run(db, websearch_text(q, true)).await
}

#[derive(Clone)]
enum SqlEngine {
    Fts5(DatabaseConnection),
    Postgres(DatabaseConnection),
}

impl SqlEngine {
    async fn search(&self, q: &str) -> anyhow::Result<usize> {
        match self {
            SqlEngine::Fts5(db) => fts5_search(db, q).await,
            SqlEngine::Postgres(db) => pg_search(db, q).await,
        }
    }
}

/// The order in which client `client` runs the `n` queries in round `round`.
fn rotated(n: usize, client: usize, round: usize) -> impl Iterator<Item = usize> {
    (0..n).map(move |k| (k + client * 7 + round * 3) % n)
}

/// Latencies, each with the position of its query in the query set.
type Samples = Vec<(usize, Duration)>;

/// Closed-loop clients on OS threads sharing the index; every query's latency.
fn run_tantivy(
    idx: &SearchIndex,
    visible: &Visible,
    queries: &[String],
    clients: usize,
    rounds: usize,
) -> anyhow::Result<Samples> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|client| {
                s.spawn(move || -> anyhow::Result<Samples> {
                    let mut times = Vec::with_capacity(rounds * queries.len());
                    for round in 0..rounds {
                        for q in rotated(queries.len(), client, round) {
                            let start = Instant::now();
                            tantivy_search(idx, &queries[q], visible)?;
                            times.push((q, start.elapsed()));
                        }
                    }
                    Ok(times)
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            all.extend(
                h.join()
                    .map_err(|_| anyhow!("a client thread panicked"))??,
            );
        }
        Ok(all)
    })
}

/// Closed-loop clients as tasks sharing the connection pool; every query's latency.
async fn run_sql(
    engine: &SqlEngine,
    queries: &Arc<Vec<String>>,
    clients: usize,
    rounds: usize,
) -> anyhow::Result<Samples> {
    let mut tasks = tokio::task::JoinSet::new();
    for client in 0..clients {
        let engine = engine.clone();
        let queries = queries.clone();
        tasks.spawn(async move {
            let mut times = Vec::with_capacity(rounds * queries.len());
            for round in 0..rounds {
                for q in rotated(queries.len(), client, round) {
                    let start = Instant::now();
                    engine.search(&queries[q]).await?;
                    times.push((q, start.elapsed()));
                }
            }
            anyhow::Ok(times)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    Ok(all)
}

// ---------------------------------------------------------------------------------------------
// Measuring.

struct Latency {
    p50_1: Duration,
    p99_1: Duration,
    p50_8: Duration,
    p99_8: Duration,
    /// The median of each query at 1 client, in query-set order.
    per_query: Vec<Duration>,
    /// The 99th percentile of each query at 1 client, in query-set order.
    per_query_p99: Vec<Duration>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn p50_p99(samples: &Samples) -> (Duration, Duration) {
    let mut times: Vec<Duration> = samples.iter().map(|s| s.1).collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

impl Latency {
    fn of(one: &Samples, eight: &Samples, queries: usize) -> Self {
        let (p50_1, p99_1) = p50_p99(one);
        let (p50_8, p99_8) = p50_p99(eight);
        let of_query = |q: usize, p: f64| {
            let mut times: Vec<Duration> = one.iter().filter(|s| s.0 == q).map(|s| s.1).collect();
            times.sort();
            percentile(&times, p)
        };
        Self {
            p50_1,
            p99_1,
            p50_8,
            p99_8,
            per_query: (0..queries).map(|q| of_query(q, 0.5)).collect(),
            per_query_p99: (0..queries).map(|q| of_query(q, 0.99)).collect(),
        }
    }
}

struct Measured {
    docs: usize,
    index_time: Duration,
    size: u64,
    latency: Latency,
    /// Total matches per query, in query-set order.
    totals: Vec<usize>,
}

struct EngineRow {
    name: &'static str,
    /// For column headers.
    short: &'static str,
    /// `Err` holds why the engine was skipped or failed.
    outcome: Result<Measured, String>,
    /// Whether a failure (not a deliberate skip) happened.
    failed: bool,
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// A value in kB from /proc/self/status, in bytes.
fn proc_status(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line[key.len()..]
        .trim_start_matches(':')
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Resets the peak RSS (`VmHWM`) to the current RSS; false when the kernel does not allow it.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The 1-minute load average, from /proc/loadavg.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn progress(message: &str) {
    let t = STARTED.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("[{t:>7.1} s] {message}");
}

struct TantivyExtra {
    /// The same queries by a searcher in 50 of the 1,000 spaces.
    spaces: spaces::Measured,
    rss_indexing: Option<u64>,
    rss_serving: Option<u64>,
    rss_now: Option<u64>,
    hwm_reset: bool,
    settle: Duration,
    segments: usize,
}

/// Waits until tantivy's background merges are done: the reader (reloaded) sees the same
/// segments and its directory keeps the same size for three seconds in a row. Returns
/// when the last change was seen (zero when nothing changed after `rebuild`) and the segments.
async fn settle_merges(idx: &SearchIndex) -> anyhow::Result<(Duration, usize)> {
    let start = Instant::now();
    let mut last = (usize::MAX, u64::MAX);
    let mut changed = Duration::ZERO;
    let mut stable = 0;
    loop {
        let live = idx.current();
        live.reader.reload()?;
        let now = (
            live.reader.searcher().segment_readers().len(),
            dir_size(&live.dir),
        );
        drop(live);
        if now == last {
            stable += 1;
        } else {
            if last.0 != usize::MAX {
                changed = start.elapsed();
            }
            stable = 0;
            last = now;
        }
        if stable >= 3 || start.elapsed() > Duration::from_secs(900) {
            return Ok((changed, last.0));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn tantivy_phase(
    db: &DatabaseConnection,
    dir: &Path,
    queries: &[String],
    args: &Args,
) -> anyhow::Result<(Measured, TantivyExtra)> {
    let rounds = args.rounds;
    let index_dir = dir.join("index");
    let idx = SearchIndex::open(
        &index_dir,
        kring::search::language::Language::shared(std::path::Path::new("assets/lang")),
    )?;
    let hwm_reset = reset_peak_rss();
    let start = Instant::now();
    let docs = if args.reuse_index && !idx.fresh {
        progress("tantivy: reusing the index (--reuse-index); the index time is not measured");
        idx.current().reader.searcher().num_docs() as usize
    } else {
        progress("tantivy: rebuilding the index (kring::search::indexer::rebuild)");
        indexer::rebuild(db, &idx).await?
    };
    let index_time = start.elapsed();
    let rss_indexing = proc_status("VmHWM");
    progress(&format!(
        "tantivy: {docs} documents in {:.1} s; waiting for merges",
        index_time.as_secs_f64()
    ));
    let (settle, segments) = settle_merges(&idx).await?;
    // The live generation (the empty one `open` created is deleted once replaced).
    let size = dir_size(&idx.current().dir);
    let totals = queries
        .iter()
        .map(|q| tantivy_search(&idx, q, &Visible::All))
        .collect::<anyhow::Result<Vec<_>>>()?;
    progress("tantivy: querying");
    reset_peak_rss();
    let latency = tokio::task::block_in_place(|| -> anyhow::Result<Latency> {
        let all = Visible::All;
        run_tantivy(&idx, &all, queries, 1, 1)?;
        let one = run_tantivy(&idx, &all, queries, 1, rounds)?;
        run_tantivy(&idx, &all, queries, CLIENTS, 1)?;
        let eight = run_tantivy(&idx, &all, queries, CLIENTS, rounds)?;
        Ok(Latency::of(&one, &eight, queries.len()))
    })?;
    progress("tantivy: querying as a member of 50 of the 1,000 spaces");
    let spaces = spaces::measure(db, &idx, queries, rounds).await?;
    let extra = TantivyExtra {
        spaces,
        rss_indexing,
        rss_serving: proc_status("VmHWM"),
        rss_now: proc_status("VmRSS"),
        hwm_reset,
        settle,
        segments,
    };
    Ok((
        Measured {
            docs,
            index_time,
            size,
            latency,
            totals,
        },
        extra,
    ))
}

async fn measure_sql(
    engine: &SqlEngine,
    queries: &Arc<Vec<String>>,
    rounds: usize,
) -> anyhow::Result<(Latency, Vec<usize>)> {
    let mut totals = Vec::with_capacity(queries.len());
    for q in queries.iter() {
        totals.push(engine.search(q).await?);
    }
    run_sql(engine, queries, 1, 1).await?;
    let one = run_sql(engine, queries, 1, rounds).await?;
    run_sql(engine, queries, CLIENTS, 1).await?;
    let eight = run_sql(engine, queries, CLIENTS, rounds).await?;
    Ok((Latency::of(&one, &eight, queries.len()), totals))
}

// ---------------------------------------------------------------------------------------------
// SQLite FTS5.

async fn fts5_phase(
    kring_db: &DatabaseConnection,
    dir: &Path,
    queries: &Arc<Vec<String>>,
    rounds: usize,
) -> anyhow::Result<Result<Measured, String>> {
    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
    let path = dir.join("fts5.db");
    let mut options = ConnectOptions::new(format!("sqlite://{}?mode=rwc", path.display()));
    options
        .max_connections(CLIENTS as u32)
        .min_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .pragma("mmap_size", "1073741824")
        });
    let db = Database::connect(options).await?;
    let fts5: i64 = db
        .query_one_raw(stmt(
            "SELECT sqlite_compileoption_used('ENABLE_FTS5')",
            vec![],
        ))
        .await?
        .context("no row")?
        .try_get_by_index(0)?;
    if fts5 == 0 {
        return Ok(Err(
            "skipped: this SQLite (sqlx's libsqlite3) was built without FTS5".into(),
        ));
    }
    db.execute_unprepared(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, answers, \
         tokenize = 'porter unicode61 remove_diacritics 2')",
    )
    .await?;
    db.execute_unprepared("INSERT INTO docs(docs, rank) VALUES ('rank', 'bm25(3.0, 1.0, 0.5)')")
        .await?;
    progress("FTS5: loading");
    let start = Instant::now();
    let mut reader = CorpusReader::new();
    let mut docs = 0;
    while let Some(chunk) = reader.next_chunk(kring_db).await? {
        docs += chunk.len();
        let mut sql = String::from("INSERT INTO docs (rowid, title, body, answers) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 4);
        for (i, d) in chunk.into_iter().enumerate() {
            sql.push_str(if i == 0 {
                "(?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?)"
            });
            values.extend([d.id.into(), d.title.into(), d.body.into(), d.answers.into()]);
        }
        let txn = db.begin().await?;
        txn.execute_raw(stmt(&sql, values)).await?;
        txn.commit().await?;
    }
    progress("FTS5: optimize");
    db.execute_unprepared("INSERT INTO docs(docs) VALUES ('optimize')")
        .await?;
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await?;
    let index_time = start.elapsed();
    let size = file_size(&path) + file_size(&dir.join("fts5.db-wal"));
    progress(&format!(
        "FTS5: {docs} documents in {:.1} s; querying",
        index_time.as_secs_f64()
    ));
    let (latency, totals) = measure_sql(&SqlEngine::Fts5(db.clone()), queries, rounds).await?;
    db.close().await?;
    Ok(Ok(Measured {
        docs,
        index_time,
        size,
        latency,
        totals,
    }))
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL.

fn pg(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// A pool of `pool` connections; an unreachable server fails within about 5 seconds.
async fn pg_connect(url: &str, pool: u32) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    Database::connect(options).await
}

async fn pg_drop(admin: &DatabaseConnection) -> anyhow::Result<()> {
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)"
        ))
        .await?;
    Ok(())
}

/// `Ok(Err(reason))` when PostgreSQL cannot be reached.
async fn pg_phase(
    kring_db: &DatabaseConnection,
    admin_url: &str,
    queries: &Arc<Vec<String>>,
    rounds: usize,
) -> anyhow::Result<Result<Measured, String>> {
    let admin = match pg_connect(admin_url, 1).await {
        Ok(admin) => admin,
        Err(e) => return Ok(Err(format!("skipped: cannot connect to {admin_url}: {e}"))),
    };
    if let Err(e) = admin.execute_unprepared("SELECT 1").await {
        return Ok(Err(format!("skipped: {admin_url} does not answer: {e}")));
    }
    pg_drop(&admin).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {PG_BENCH_DB}"))
        .await?;
    let result = pg_measure(kring_db, admin_url, &admin, queries, rounds).await;
    let dropped = pg_drop(&admin).await;
    admin.close().await?;
    let measured = result?;
    dropped?;
    Ok(Ok(measured))
}

async fn pg_measure(
    kring_db: &DatabaseConnection,
    admin_url: &str,
    admin: &DatabaseConnection,
    queries: &Arc<Vec<String>>,
    rounds: usize,
) -> anyhow::Result<Measured> {
    for setting in ["jit = off", "maintenance_work_mem = '256MB'"] {
        admin
            .execute_unprepared(&format!("ALTER DATABASE {PG_BENCH_DB} SET {setting}"))
            .await?;
    }
    let mut url = url::Url::parse(admin_url).context("the PostgreSQL URL")?;
    url.set_path(&format!("/{PG_BENCH_DB}"));
    let db = pg_connect(url.as_str(), CLIENTS as u32).await?;
    let version: String = db
        .query_one_raw(pg("SELECT version()", vec![]))
        .await?
        .context("no row")?
        .try_get_by_index(0)?;
    progress(&format!("PostgreSQL: {version}"));
    let cfg = "CASE WHEN lang = 'nl' THEN 'dutch'::regconfig ELSE 'english'::regconfig END";
    db.execute_unprepared(&format!(
        "CREATE TABLE docs (\
            id bigint PRIMARY KEY, lang text NOT NULL, title text NOT NULL, \
            body text NOT NULL, answers text NOT NULL, \
            tsv tsvector GENERATED ALWAYS AS (\
                setweight(to_tsvector({cfg}, title), 'A') || \
                setweight(to_tsvector({cfg}, body), 'B') || \
                setweight(to_tsvector({cfg}, answers), 'C')) STORED)"
    ))
    .await?;
    progress("PostgreSQL: loading");
    let start = Instant::now();
    let mut reader = CorpusReader::new();
    let mut docs = 0;
    while let Some(chunk) = reader.next_chunk(kring_db).await? {
        docs += chunk.len();
        let mut sql = String::from("INSERT INTO docs (id, lang, title, body, answers) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        for (i, d) in chunk.into_iter().enumerate() {
            let n = i * 5;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5
            ));
            values.extend([
                d.id.into(),
                d.lang.into(),
                d.title.into(),
                d.body.into(),
                d.answers.into(),
            ]);
        }
        db.execute_raw(pg(&sql, values)).await?;
    }
    progress("PostgreSQL: GIN index, VACUUM ANALYZE");
    db.execute_unprepared("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
        .await?;
    db.execute_unprepared("VACUUM ANALYZE docs").await?;
    let index_time = start.elapsed();
    let size: i64 = db
        .query_one_raw(pg("SELECT pg_total_relation_size('docs')", vec![]))
        .await?
        .context("no row")?
        .try_get_by_index(0)?;
    progress(&format!(
        "PostgreSQL: {docs} documents in {:.1} s; querying",
        index_time.as_secs_f64()
    ));
    let measured = measure_sql(&SqlEngine::Postgres(db.clone()), queries, rounds).await;
    db.close().await?;
    let (latency, totals) = measured?;
    Ok(Measured {
        docs,
        index_time,
        size: size as u64,
        latency,
        totals,
    })
}

// ---------------------------------------------------------------------------------------------
// Output.

fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() == columns)
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if row.len() < columns {
                    s.clone()
                } else if c == 0 {
                    format!("{s:<w$}", w = widths[c])
                } else {
                    format!("{s:>w$}", w = widths[c])
                }
            })
            .collect();
        println!("| {} |", cells.join(" | "));
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            println!("|-{}-|", rule.join("-|-"));
        }
    }
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

struct Args {
    docs: u64,
    pg_url: String,
    skip_pg: bool,
    skip_fts5: bool,
    rounds: usize,
    breakdown: bool,
    keep: Option<std::path::PathBuf>,
    reuse_index: bool,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        docs: DEFAULT_DOCS,
        pg_url: std::env::var("KRING_BENCH_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into()),
        skip_pg: false,
        skip_fts5: false,
        rounds: 10,
        breakdown: false,
        keep: None,
        reuse_index: false,
    };
    let number = |name: &str, value: Option<String>| -> anyhow::Result<u64> {
        let value = value.with_context(|| format!("{name} needs a value; {USAGE}"))?;
        value
            .replace(['_', ','], "")
            .parse()
            .with_context(|| format!("{name}: not a number: {value}"))
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            // Cargo passes `--bench` to benchmarks without the default harness.
            "--bench" => {}
            "--docs" => args.docs = number("--docs", inline.or_else(|| it.next()))?,
            "--rounds" => args.rounds = number("--rounds", inline.or_else(|| it.next()))? as usize,
            "--pg-url" => {
                args.pg_url = inline
                    .or_else(|| it.next())
                    .with_context(|| format!("--pg-url needs a value; {USAGE}"))?
            }
            "--skip-pg" => args.skip_pg = true,
            "--skip-fts5" => args.skip_fts5 = true,
            "--breakdown" => args.breakdown = true,
            "--keep" => {
                args.keep = Some(
                    inline
                        .or_else(|| it.next())
                        .with_context(|| format!("--keep needs a directory; {USAGE}"))?
                        .into(),
                )
            }
            "--reuse-index" => args.reuse_index = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    if args.docs < BLOCK {
        bail!("--docs must be at least {BLOCK}");
    }
    if args.rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    if args.reuse_index && args.keep.is_none() {
        bail!("--reuse-index needs --keep DIR");
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    STARTED.get_or_init(Instant::now);
    let args = parse_args()?;
    if args.breakdown {
        // Each tantivy search's phases (`search timing` events) go to stderr.
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "kring::search::query=debug",
            ))
            .with_writer(std::io::stderr)
            .without_time()
            .with_target(false)
            .init();
    }
    let verdict = run(&args).await?;
    if let Err(problem) = verdict {
        println!();
        println!("FAILED: {problem}");
        std::process::exit(1);
    }
    Ok(())
}

/// Runs the benchmark and prints the report; `Ok(Err(..))` names the missed targets (or the
/// engine that failed). The temporary directory is gone when it returns (a `--keep` one stays).
async fn run(args: &Args) -> anyhow::Result<Result<(), String>> {
    let load_at_start = load_average();
    let temp;
    let dir: &Path = match &args.keep {
        Some(keep) => {
            std::fs::create_dir_all(keep)?;
            keep
        }
        None => {
            temp = tempfile::tempdir()?;
            temp.path()
        }
    };
    progress(&format!(
        "corpus of {} documents in {}",
        args.docs,
        dir.display()
    ));
    // A kept corpus is reused when it was seeded completely with the same size.
    let marker = dir.join("seeded");
    let reused = std::fs::read_to_string(&marker).ok().and_then(|s| {
        let n: Vec<u64> = s
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        (n.len() == 5 && n[0] == args.docs && n[4] == spaces::SPACES as u64).then(|| Seeded {
            posts: n[1],
            questions: n[2],
            answers: n[3],
        })
    });
    if reused.is_none() && args.keep.is_some() {
        for entry in std::fs::read_dir(dir)?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
    }
    let _ = std::fs::remove_file(dir.join("fts5.db"));
    let url = format!("sqlite://{}/kring.db?mode=rwc", dir.display());
    let url = DatabaseUrl::parse(&url).map_err(anyhow::Error::msg)?;
    let db = db::connect(&url).await?;
    db::migrate(&db).await?;
    let text = TextGen::new();
    let start = Instant::now();
    let seeded = match reused {
        Some(seeded) => {
            progress("reusing the seeded database (--keep)");
            seeded
        }
        None => {
            let seeded = seed(&db, &text, args.docs).await?;
            if args.keep.is_some() {
                std::fs::write(
                    &marker,
                    format!(
                        "{} {} {} {} {}",
                        args.docs,
                        seeded.posts,
                        seeded.questions,
                        seeded.answers,
                        spaces::SPACES
                    ),
                )?;
            }
            seeded
        }
    };
    let seed_time = start.elapsed();
    let kring_db_size = file_size(&dir.join("kring.db")) + file_size(&dir.join("kring.db-wal"));
    let queries = Arc::new(query_set());

    let (tantivy, extra) = tantivy_phase(&db, dir, &queries, args).await?;
    let mut rows = vec![EngineRow {
        name: "tantivy (Kring)",
        short: "tantivy",
        outcome: Ok(tantivy),
        failed: false,
    }];

    let fts5 = if args.skip_fts5 {
        Ok(Err("skipped (--skip-fts5)".to_owned()))
    } else {
        fts5_phase(&db, dir, &queries, args.rounds).await
    };
    rows.push(match fts5 {
        Ok(outcome) => EngineRow {
            name: "SQLite FTS5",
            short: "FTS5",
            outcome,
            failed: false,
        },
        Err(e) => EngineRow {
            name: "SQLite FTS5",
            short: "FTS5",
            outcome: Err(format!("failed: {e:#}")),
            failed: true,
        },
    });
    let postgres = if args.skip_pg {
        Ok(Err("skipped (--skip-pg)".to_owned()))
    } else {
        pg_phase(&db, &args.pg_url, &queries, args.rounds).await
    };
    rows.push(match postgres {
        Ok(outcome) => EngineRow {
            name: "PostgreSQL FTS",
            short: "PG",
            outcome,
            failed: false,
        },
        Err(e) => EngineRow {
            name: "PostgreSQL FTS",
            short: "PG",
            outcome: Err(format!("failed: {e:#}")),
            failed: true,
        },
    });
    db.close().await?;

    // The report.
    println!();
    println!(
        "Corpus: {} documents ({} posts, {} questions, {} answers; half Dutch, half English) \
         + {USERS} people, seeded in {:.1} s; Kring database {:.0} MiB",
        args.docs,
        seeded.posts,
        seeded.questions,
        seeded.answers,
        seed_time.as_secs_f64(),
        mib(kring_db_size),
    );
    println!(
        "Queries: {} queries, {} timed rounds each at 1 client and at {CLIENTS} concurrent \
         clients ({} cores)",
        queries.len(),
        args.rounds,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!(
        "Machine load (1-minute average) at the start {load_at_start}, at the end {}: other \
         work on the machine shows up in the latencies",
        load_average(),
    );
    println!();
    // Per query: the matches each engine counts and its median latency at 1 client.
    let mut header = vec!["query".to_owned()];
    for r in &rows {
        header.push(format!("{} hits", r.short));
        header.push(format!("{} p50 ms", r.short));
        if args.breakdown {
            header.push(format!("{} p99 ms", r.short));
        }
    }
    let mut table = vec![header];
    for (i, q) in queries.iter().enumerate() {
        let mut row = vec![q.clone()];
        for r in &rows {
            match &r.outcome {
                Ok(m) => {
                    row.push(m.totals[i].to_string());
                    row.push(ms(m.latency.per_query[i]));
                    if args.breakdown {
                        row.push(ms(m.latency.per_query_p99[i]));
                    }
                }
                Err(_) => {
                    row.extend(["-".into(), "-".into()]);
                    if args.breakdown {
                        row.push("-".into());
                    }
                }
            }
        }
        table.push(row);
    }
    print_table(&table);
    println!();

    let base = rows[0].outcome.as_ref().ok().map(|m| &m.latency);
    let mut table = vec![
        [
            "engine",
            "docs",
            "index s",
            "docs/s",
            "size MiB",
            "p50@1 ms",
            "p99@1 ms",
            "p50@8 ms",
            "p99@8 ms",
            "p99@1 vs tantivy",
            "p99@8 vs tantivy",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in &rows {
        match &r.outcome {
            Ok(m) => {
                let l = &m.latency;
                let vs = |a: Duration, b: Option<Duration>| {
                    b.map_or("-".into(), |b| format!("{:.1}x", ratio(a, b)))
                };
                table.push(vec![
                    r.name.into(),
                    m.docs.to_string(),
                    format!("{:.1}", m.index_time.as_secs_f64()),
                    format!("{:.0}", m.docs as f64 / m.index_time.as_secs_f64()),
                    format!("{:.1}", mib(m.size)),
                    ms(l.p50_1),
                    ms(l.p99_1),
                    ms(l.p50_8),
                    ms(l.p99_8),
                    vs(l.p99_1, base.map(|b| b.p99_1)),
                    vs(l.p99_8, base.map(|b| b.p99_8)),
                ]);
            }
            Err(reason) => table.push(vec![format!("{}: {reason}", r.name)]),
        }
    }
    print_table(&table);
    println!();
    let show = |b: Option<u64>| b.map_or("unknown".into(), |b| format!("{:.0} MiB", mib(b)));
    println!(
        "tantivy: peak RSS {} while serving, {} while indexing{} (VmHWM), {} resident after \
         the queries; {} segments, the last background merge seen {:.1} s after rebuild \
         returned",
        show(extra.rss_serving),
        show(extra.rss_indexing),
        if extra.hwm_reset {
            ""
        } else {
            ", both since the start of the process"
        },
        show(extra.rss_now),
        extra.segments,
        extra.settle.as_secs_f64(),
    );
    println!();
    let space_checks = match rows[0].outcome.as_ref() {
        Ok(t) => spaces::report(&extra.spaces, &t.totals, &queries),
        Err(_) => vec![],
    };

    // Targets.
    let t = rows[0].outcome.as_ref().ok();
    let other = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .and_then(|r| r.outcome.as_ref().ok())
    };
    let mut checks: Vec<(String, String, Option<bool>)> = Vec::new();
    if let Some(t) = t {
        let l = &t.latency;
        checks.push((
            format!(
                "tantivy p99 at 1 client < {} ms (target at 1,000,000 docs; {} here)",
                TARGET_P99.as_millis(),
                args.docs
            ),
            format!("{} ms", ms(l.p99_1)),
            Some(l.p99_1 < TARGET_P99),
        ));
        for (clients, tp, name) in [
            (1, l.p99_1, "PostgreSQL FTS"),
            (CLIENTS, l.p99_8, "PostgreSQL FTS"),
        ] {
            let p = other(name).map(|m| {
                if clients == 1 {
                    m.latency.p99_1
                } else {
                    m.latency.p99_8
                }
            });
            checks.push((
                format!("PostgreSQL p99 >= {TARGET_PG_RATIO}x tantivy p99 at {clients} client(s)"),
                p.map_or("not run".into(), |p| format!("{:.1}x", ratio(p, tp))),
                p.map(|p| ratio(p, tp) >= TARGET_PG_RATIO),
            ));
        }
        for (clients, tp) in [(1, l.p99_1), (CLIENTS, l.p99_8)] {
            let p = other("SQLite FTS5").map(|m| {
                if clients == 1 {
                    m.latency.p99_1
                } else {
                    m.latency.p99_8
                }
            });
            checks.push((
                format!("SQLite FTS5 p99 > tantivy p99 at {clients} client(s)"),
                p.map_or("not run".into(), |p| format!("{:.1}x", ratio(p, tp))),
                p.map(|p| p > tp),
            ));
        }
        let per_million = t.index_time.as_secs_f64() * 1_000_000.0 / t.docs as f64;
        checks.push((
            format!(
                "bulk reindex of 1,000,000 docs < {} s{}",
                TARGET_REINDEX_1M.as_secs(),
                if t.docs < 1_000_000 {
                    " (linear extrapolation)"
                } else {
                    " (scaled to 1,000,000)"
                }
            ),
            format!("{per_million:.0} s"),
            Some(per_million < TARGET_REINDEX_1M.as_secs_f64()),
        ));
        checks.push((
            "tantivy peak RSS while serving < 1 GiB".into(),
            show(extra.rss_serving),
            extra.rss_serving.map(|r| r < TARGET_RSS),
        ));
    }
    checks.extend(space_checks);
    let mut table = vec![vec!["target".into(), "measured".into(), "result".into()]];
    for (name, measured, ok) in &checks {
        table.push(vec![
            name.clone(),
            measured.clone(),
            match ok {
                Some(true) => "PASS".into(),
                Some(false) => "MISS".into(),
                None => "not checked".into(),
            },
        ]);
    }
    print_table(&table);

    let missed: Vec<&str> = checks
        .iter()
        .filter(|c| c.2 == Some(false))
        .map(|c| c.0.as_str())
        .collect();
    let failed: Vec<&str> = rows.iter().filter(|r| r.failed).map(|r| r.name).collect();
    if !failed.is_empty() {
        return Ok(Err(format!("an engine failed: {}", failed.join(", "))));
    }
    if !missed.is_empty() {
        return Ok(Err(format!(
            "{} target(s) missed: {}",
            missed.len(),
            missed.join("; ")
        )));
    }
    Ok(Ok(()))
}
