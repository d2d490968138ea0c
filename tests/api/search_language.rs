//! Search that understands Dutch and English together (issue 23): Dutch compounds typed whole
//! or apart, irregular plurals and the fiets/fietsen family, a query in one language finding
//! a document in the other, the company's synonyms (applied on the next search, audited, tag
//! synonyms included), exact matches above expansions, and search without the language data.
use kring::auth::types::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{ApiClient, TestApp, spawn_app, spawn_app_with},
    search::{ids_of, published_post, search},
};

/// The post ids of the hits of `q`, best first.
async fn posts_for(client: &ApiClient, q: &str) -> Vec<i64> {
    ids_of(&search(client, q).await, "post")
}

/// Adds a company synonym group as `social` (a member of the social team); returns the group.
async fn add_synonyms(social: &ApiClient, terms: &[&str]) -> Value {
    let response = social
        .post_json("/api/v1/search/synonyms", &json!({ "terms": terms }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// Publishes posts `(title, body, language)` and lets the indexer catch up; their ids.
async fn publish_all(app: &TestApp, writer: &ApiClient, posts: &[(&str, &str, &str)]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (title, body, language) in posts {
        ids.push(published_post(writer, title, body, language).await);
    }
    app.drain().await;
    ids
}

/// Acceptance 1 (compounds, word forms): real Dutch sentences found by a compound typed whole,
/// typed apart, or by one of its parts; an irregular plural by its singular and the reverse;
/// fiets and fietsen meet.
#[tokio::test]
async fn dutch_compounds_plurals_and_word_families_are_found() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "Vergoeding voor thuiswerken",
                "Wie thuiswerkt krijgt per dag een vaste vergoeding voor stroom en koffie.",
                "nl",
            ),
            (
                "Ziekmelding: zo werkt het",
                "Meld je voor negen uur bij je leidinggevende en in het portaal.",
                "nl",
            ),
            (
                "Het bedrijfsrestaurant gaat verbouwen",
                "In maart is de lunch tijdelijk in de kantine op de tweede verdieping.",
                "nl",
            ),
            (
                "Veiligheidsschoenen bestellen",
                "Op de werkvloer zijn stevige schoenen met stalen neus verplicht.",
                "nl",
            ),
            (
                "Onze vestigingen in drie steden",
                "We werken vanuit Utrecht, Eindhoven en Zwolle.",
                "nl",
            ),
            (
                "Zonnepanelen op het dak van hal B",
                "De installatie levert sinds mei groene stroom.",
                "nl",
            ),
            (
                "Fietsen van de zaak",
                "Met het fietsplan rijd je voordelig naar kantoor.",
                "nl",
            ),
        ],
    )
    .await;
    let [allowance, sick, restaurant, shoes, cities, solar, bikes] = ids[..] else {
        unreachable!()
    };
    for (q, want) in [
        ("thuiswerkvergoeding", allowance),
        ("ziek melden", sick),
        ("restaurant", restaurant),
        ("veiligheid schoenen", shoes),
        ("veiligheidsschoenen", shoes),
        ("stad", cities),
        ("steden", cities),
        ("zonnepaneel", solar),
        ("fiets", bikes),
        ("fietsen", bikes),
    ] {
        let found = posts_for(&writer, q).await;
        assert_eq!(found.first(), Some(&want), "'{q}' finds {found:?}");
    }
}

/// Acceptance 1 (the other language) and 2 (exact matches outrank expansions): a Dutch query
/// finds an English document and the reverse, and where a document holds the typed words it
/// comes before one found through their translation.
#[tokio::test]
async fn a_query_in_one_language_finds_the_other_and_the_typed_words_win() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "How to claim travel expenses",
                "Submit your train tickets and receipts in the expense tool within a month.",
                "en",
            ),
            (
                "Ouderschapsverlof aanvragen",
                "Je vraagt het verlof minstens twee maanden vooraf aan bij HR.",
                "nl",
            ),
            (
                "Parental leave for new fathers",
                "Partners get five weeks of leave after the birth.",
                "en",
            ),
            (
                "Fietsenstalling bij de hoofdingang",
                "De stalling is dag en nacht open voor medewerkers met een pas.",
                "nl",
            ),
        ],
    )
    .await;
    let [travel, parental_nl, parental_en, bike_shed] = ids[..] else {
        unreachable!()
    };
    // Dutch query, English document (and no Dutch one holds these words).
    let found = posts_for(&writer, "reiskosten declareren").await;
    assert_eq!(found.first(), Some(&travel), "{found:?}");
    // English query, Dutch document.
    let found = posts_for(&writer, "bicycle parking").await;
    assert_eq!(found.first(), Some(&bike_shed), "{found:?}");
    // Both languages hold the topic: the document with the typed words comes first, the other
    // follows through the translation.
    let found = posts_for(&writer, "ouderschapsverlof").await;
    assert_eq!(found, [parental_nl, parental_en], "Dutch typed");
    let found = posts_for(&writer, "parental leave").await;
    assert_eq!(found, [parental_en, parental_nl], "English typed");
    // A part of a compound ranks below the whole word typed.
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "Restaurant De Kroon",
                "Het restaurant om de hoek heeft een lunchmenu.",
                "nl",
            ),
            (
                "Bedrijfsrestaurant open",
                "Vanaf maandag weer warme maaltijden.",
                "nl",
            ),
        ],
    )
    .await;
    let found = posts_for(&writer, "restaurant").await;
    assert_eq!(found.first(), Some(&ids[0]), "{found:?}");
    assert!(found.contains(&ids[1]), "{found:?}");
}

/// Everyday words beyond the workplace glossary translate, irregular verb forms meet their
/// base form in both languages ("gestolen" / "stelen", "stolen" / "steal"), and a document
/// holding the typed words stays above a shorter one in the other language found through
/// their translations, whatever the two languages' word statistics (acceptance 2).
#[tokio::test]
async fn everyday_words_irregular_forms_and_the_typed_words_first() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "Coffee machine broken on the second floor",
                "Facilities know about it; use the one in the canteen meanwhile.",
                "en",
            ),
            (
                "Mijn laptop is gestolen in de trein",
                "Meld het meteen bij de servicedesk, die blokkeert het apparaat op afstand.",
                "nl",
            ),
            (
                "Someone stole my bike at the station",
                "Report it to the police and send the report to facilities for the lease bike.",
                "en",
            ),
            (
                "Bestellen via het inkoopsysteem",
                "Iedere bestelling begint in het inkoopsysteem. Kies de leverancier uit de lijst, \
                 vul de kostenplaats in en voeg de documenten toe. Boven de drieduizend euro is \
                 een offerte verplicht, daaronder mag je direct bestellen. De afdeling inkoop \
                 controleert elke aanvraag binnen twee werkdagen en stuurt je een bevestiging.",
                "nl",
            ),
            ("Quote mandatory", "A quote is mandatory.", "en"),
        ],
    )
    .await;
    let [coffee, laptop, bike, ordering, quote] = ids[..] else {
        unreachable!()
    };
    for (q, want) in [
        // Dutch query, English document, through the everyday nouns and words.
        ("koffieautomaat kapot", coffee),
        // Irregular forms, each language in itself.
        ("laptop stelen", laptop),
        ("bike stolen", bike),
        ("steal bike", bike),
    ] {
        let found = posts_for(&writer, q).await;
        assert_eq!(found.first(), Some(&want), "'{q}' finds {found:?}");
    }
    let found = posts_for(&writer, "offerte verplicht").await;
    assert_eq!(
        found,
        [ordering, quote],
        "the long Dutch text with the typed words first, the short English one after"
    );
}

/// A query whose every word only a few documents hold fills its page with documents holding
/// all but one of them, below those; with a page of documents holding every word, the
/// others stay out.
#[tokio::test]
async fn few_matches_of_every_word_are_followed_by_all_but_one() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "Collective labour agreement 2025",
                "The agreement sets the salary scales and the holiday allowance.",
                "en",
            ),
            (
                "Salary increase in July",
                "Everyone gets a salary increase of three percent in July.",
                "en",
            ),
            ("Lunch menu", "Soup and bread every day.", "en"),
        ],
    )
    .await;
    let [agreement, increase, _lunch] = ids[..] else {
        unreachable!()
    };
    let found = posts_for(&writer, "salary increase agreement").await;
    assert_eq!(
        found,
        [increase, agreement],
        "no text holds all three words: those with two come, the one holding more first"
    );
    let result = search(&writer, "salary increase").await;
    assert_eq!(
        ids_of(&result, "post"),
        [increase, agreement],
        "every word first, one of them below"
    );
    assert_eq!(
        result["total"], 1,
        "the total counts the texts with every word"
    );
    // The page sets the near misses apart under their own heading.
    let (reader, _) = app.login_as(&[]).await;
    let html = reader.get_html("/search?q=salary+increase").await;
    let heading = html
        .find("Results with most of your words")
        .expect("the near misses' heading");
    let first = html.find("Salary increase in July").unwrap();
    let second = html.find("Collective labour agreement 2025").unwrap();
    assert!(first < heading && heading < second, "{html}");
    // Ten documents with every word fill a page: no text with only one word follows.
    let mut many = Vec::new();
    for i in 0..10 {
        many.push(format!("Salary increase round {i}"));
    }
    let posts: Vec<(&str, &str, &str)> = many
        .iter()
        .map(|t| (t.as_str(), "Details follow per department.", "en"))
        .collect();
    publish_all(&app, &writer, &posts).await;
    let result = search(&writer, "salary increase").await;
    let found = ids_of(&result, "post");
    assert!(!found.contains(&agreement), "{found:?}");
    assert_eq!(result["total"], 11, "{result}");
}

/// Acceptance 1 (synonyms): a group the social team adds applies to the very next search, no
/// reindex; it is audited; members may not edit groups; bad groups get clear errors; a tag
/// synonym is a search synonym too.
#[tokio::test]
async fn synonyms_of_the_social_team_apply_to_the_next_search() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (member, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &member,
        &[(
            "Besluiten van het managementteam",
            "Het managementteam heeft de nieuwe werktijden vastgesteld.",
            "nl",
        )],
    )
    .await;
    assert!(posts_for(&member, "mt").await.is_empty());

    let response = member
        .post_json(
            "/api/v1/search/synonyms",
            &json!({"terms": ["MT", "managementteam"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    for (terms, problem) in [
        (json!(["MT"]), "one word"),
        (json!(["MT", "mt"]), "the same word twice"),
        (json!(["MT", "één twee drie vier"]), "four words"),
        (json!(["MT", "!!"]), "no letters"),
    ] {
        let response = social
            .post_json("/api/v1/search/synonyms", &json!({ "terms": terms }))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{problem}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["error"]["code"], "validation_failed",
            "{problem}: {body}"
        );
    }

    let group = add_synonyms(&social, &["MT", "managementteam", "management team"]).await;
    // The next search, with no indexing in between.
    assert_eq!(posts_for(&member, "mt").await, ids);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'search.synonyms_added'")
            .await,
        1
    );
    let list = social.get_json("/api/v1/search/synonyms").await;
    assert_eq!(
        list["groups"][0]["terms"],
        json!(["MT", "managementteam", "management team"])
    );
    assert_eq!(
        member.get("/api/v1/search/synonyms").await.status(),
        StatusCode::FORBIDDEN
    );

    // Changed, then removed: both apply at once, both audited.
    let id = group["id"].as_i64().unwrap();
    let response = social
        .put_json(
            &format!("/api/v1/search/synonyms/{id}"),
            &json!({"terms": ["directie", "managementteam"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(posts_for(&member, "mt").await.is_empty());
    assert_eq!(posts_for(&member, "directie").await, ids);
    assert_eq!(
        social
            .delete(&format!("/api/v1/search/synonyms/{id}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(posts_for(&member, "directie").await.is_empty());
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN \
             ('search.synonyms_changed', 'search.synonyms_removed')"
        )
        .await,
        2
    );
    assert_eq!(
        social
            .delete(&format!("/api/v1/search/synonyms/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // An abbreviation that is a function word of a language is not applied in that language:
    // "OR" (ondernemingsraad) finds the works council's Dutch post (beside English texts with
    // the typed "or"), and "ondernemingsraad" does not find an English text only because it
    // says "or".
    add_synonyms(&social, &["OR", "ondernemingsraad"]).await;
    let ids = publish_all(
        &app,
        &member,
        &[
            (
                "Verkiezingen voor de ondernemingsraad",
                "Stem voor vrijdag op je kandidaat.",
                "nl",
            ),
            (
                "Tea or coffee at the town hall",
                "Tell facilities by Friday which one you prefer.",
                "en",
            ),
        ],
    )
    .await;
    assert!(posts_for(&member, "or").await.contains(&ids[0]));
    assert_eq!(posts_for(&member, "ondernemingsraad").await, [ids[0]]);

    // A tag synonym is a search synonym: "k8s" finds a post about Kubernetes.
    let ids = publish_all(
        &app,
        &member,
        &[(
            "Kubernetes upgrade in April",
            "The clusters move to the new version.",
            "en",
        )],
    )
    .await;
    assert!(posts_for(&member, "k8s").await.is_empty());
    kring::tags::ensure(app.db(), &["kubernetes".to_owned()])
        .await
        .unwrap();
    let response = social
        .post_json("/api/v1/tags/kubernetes/synonyms", &json!({"name": "k8s"}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(posts_for(&member, "k8s").await, ids);
}

/// The page of the synonyms for the social team: add a group through the form, see it listed;
/// a bad group shows the form again with the error and what was typed.
#[tokio::test]
async fn the_social_team_edits_synonyms_on_their_page() {
    let app = spawn_app().await;
    let (browser, _) = app.login_as(&[Role::SocialTeam]).await;
    let html = browser.get_html("/search/synonyms").await;
    assert!(html.contains("Search synonyms"), "{html}");
    let response = browser
        .post_form(
            "/search/synonyms",
            &[("terms", "WFH, thuiswerken, remote work")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = browser.get_html("/search/synonyms").await;
    assert!(html.contains("WFH, thuiswerken, remote work"), "{html}");
    let response = browser
        .post_form("/search/synonyms", &[("terms", "alleen")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("at least two different words"), "{html}");
    assert!(html.contains("value=\"alleen\""), "{html}");
    let (member, _) = app.login_as(&[]).await;
    assert_eq!(
        member.get("/search/synonyms").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// Acceptance 3: without the language data search still works (stemming), and `/healthz` and
/// the admin settings page say what is loaded.
#[tokio::test]
async fn search_works_without_the_language_data_and_says_what_is_loaded() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_path_buf();
    let app = spawn_app_with(move |s| s.language_dir = Some(dir)).await;
    let health: Value = reqwest::get(app.url("/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["language"]["dutch_words"], 0, "{health}");
    assert_eq!(
        health["language"]["missing"].as_array().unwrap().len(),
        11,
        "{health}"
    );
    assert!(
        health["language"].get("dir").is_none(),
        "no server path in public"
    );
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[(
            "Fietsen van de zaak",
            "Met het fietsplan naar kantoor.",
            "nl",
        )],
    )
    .await;
    assert_eq!(
        posts_for(&writer, "fiets").await,
        ids,
        "stemming still works"
    );
    assert!(
        posts_for(&writer, "bicycle").await.is_empty(),
        "no translations"
    );
    let (admin, _) = app.login_as(&[Role::Admin]).await;
    let html = admin.get_html("/admin/settings").await;
    assert!(html.contains("Search language data"), "{html}");
    assert!(
        html.contains("nl-words.txt.gz"),
        "the missing files are named"
    );

    // With the data (the default folder): counts on both.
    let app = spawn_app().await;
    let health: Value = reqwest::get(app.url("/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for key in [
        "dutch_words",
        "irregular_plurals",
        "irregular_forms",
        "dutch_to_english",
        "english_to_dutch",
        "glossary",
    ] {
        assert!(
            health["language"][key].as_u64().unwrap() > 100,
            "{key}: {health}"
        );
    }
    assert_eq!(health["language"]["missing"], json!([]));
}

/// "Did you mean" from the index's own words, offered only when the correction finds
/// something the reader may see (never a closed space's word to a non-member), and "ask this
/// as a question" on the page when nothing is found.
#[tokio::test]
async fn did_you_mean_and_ask_this_as_a_question() {
    let app = spawn_app().await;
    let (admin, _) = app.api_user(&[Role::Admin]).await;
    let (writer, writer_user) = app.api_user(&[]).await;
    publish_all(
        &app,
        &writer,
        &[
            (
                "Wachtwoord vergeten",
                "Via de selfservice zet je een nieuw wachtwoord.",
                "nl",
            ),
            (
                "Vergoeding voor thuiswerken",
                "Per thuiswerkdag een vast bedrag.",
                "nl",
            ),
        ],
    )
    .await;
    let results = search(&writer, "wachtwrd vergetn").await;
    assert_eq!(results["did_you_mean"], "wachtwoord vergeten", "{results}");
    // A typo in the last part of a compound the index does not hold as one word.
    let results = search(&writer, "thuiswerkvergoedng").await;
    assert_eq!(results["did_you_mean"], "thuiswerkvergoeding", "{results}");
    let results = search(&writer, "wachtwoord vergeten").await;
    assert!(
        results.get("did_you_mean").is_none(),
        "all words matched: {results}"
    );

    // A word only a closed space holds is not offered to a non-member.
    let space: Value = admin
        .post_json(
            "/api/v1/spaces",
            &json!({"name": "Ondernemingsraad", "kind": "closed", "description": "d"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let space = space["id"].as_i64().unwrap();
    let response = admin
        .put_json(
            &format!("/api/v1/spaces/{space}/members/{}", writer_user.id),
            &json!({"role": "member"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let post: Value = writer
        .post_json(
            "/api/v1/posts",
            &json!({"title": "Zqxreorganisatieplan", "body": "Vertrouwelijk: zqxgeheimwoord.",
                "language": "nl", "space_id": space}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = post["id"].as_i64().unwrap();
    writer
        .post_json(&format!("/api/v1/posts/{id}/publish"), &json!({}))
        .await;
    app.drain().await;
    let results = search(&writer, "zqxreorganisatiepln").await;
    assert_eq!(
        results["did_you_mean"], "zqxreorganisatieplan",
        "member: {results}"
    );
    let (outsider, _) = app.api_user(&[]).await;
    let results = search(&outsider, "zqxreorganisatiepln").await;
    assert_eq!(results["total"], 0, "{results}");
    assert!(results.get("did_you_mean").is_none(), "{results}");
    // Nor does a closed space's word change what a non-member gets: it counts as a word
    // nobody holds (a typo), exactly like one that is nowhere.
    let open = publish_all(
        &app,
        &writer,
        &[("Zqxgeheimwoort", "Een woord dat op het andere lijkt.", "nl")],
    )
    .await;
    for q in ["zqxgeheimwoord", "zqxgeheimwoorx"] {
        let results = search(&outsider, q).await;
        assert_eq!(ids_of(&results, "post"), open, "'{q}': {results}");
        assert_eq!(
            results["did_you_mean"], "zqxgeheimwoort",
            "'{q}': {results}"
        );
    }

    // A word one text holds (the same typo, in its title and its text: counted once) when a
    // near one is in ten times as many.
    let mut many: Vec<(String, &str, &str)> = (0..10)
        .map(|i| (format!("Vergadering {i}"), "Agenda volgt.", "nl"))
        .collect();
    many.push(("Vergadring verzet".into(), "Typfout: vergadring.", "nl"));
    let many: Vec<(&str, &str, &str)> = many.iter().map(|(t, b, l)| (t.as_str(), *b, *l)).collect();
    publish_all(&app, &writer, &many).await;
    let results = search(&writer, "vergadring").await;
    assert_eq!(results["total"], 1, "{results}");
    assert_eq!(results["did_you_mean"], "vergadering", "{results}");

    // The page: the correction as a link; on no results, asking it as a question.
    let (browser, _) = app.login_as(&[]).await;
    let html = browser.get_html("/search?q=wachtwrd+vergetn").await;
    assert!(html.contains("Did you mean"), "{html}");
    assert!(html.contains("/search?q=wachtwoord%20vergeten"), "{html}");
    let html = browser.get_html("/search?q=zqxnergens+te+vinden").await;
    assert!(
        html.contains("href=\"/questions/ask?title=zqxnergens%20te%20vinden\""),
        "{html}"
    );
    let html = browser
        .get_html("/questions/ask?title=zqxnergens%20te%20vinden")
        .await;
    assert!(
        html.contains("value=\"zqxnergens te vinden\""),
        "the title is filled in"
    );
}

/// Similar questions while asking use the same expansion: an English title finds the Dutch
/// question about the same thing, and a compound typed apart finds the compound.
#[tokio::test]
async fn similar_questions_cross_languages_and_compounds() {
    let app = spawn_app().await;
    let (asker, _) = app.api_user(&[Role::SocialTeam]).await;
    let mut ids = Vec::new();
    for (title, body) in [
        (
            "Hoe vraag ik ouderschapsverlof aan?",
            "Mijn dochter wordt in mei geboren en ik wil een dag per week vrij.",
        ),
        (
            "Waar staat het formulier voor een ziekmelding?",
            "Ik kan het niet vinden op het intranet.",
        ),
    ] {
        let response = asker
            .post_json(
                "/api/v1/questions",
                &json!({"title": title, "body": body, "tags": ["hr"], "language": "nl"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{title}");
        ids.push(
            response.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    app.drain().await;
    for (typed, want) in [
        ("How do I request parental leave?", ids[0]),
        ("ziek melden formulier", ids[1]),
    ] {
        let url = format!(
            "/api/v1/questions/similar?title={}",
            url::form_urlencoded::byte_serialize(typed.as_bytes()).collect::<String>()
        );
        let found: Value = asker.get_json(&url).await;
        assert_eq!(found[0]["id"], want, "'{typed}': {found}");
    }
}

/// A query whose words the dictionary or the synonyms know as one phrase still falls back to
/// its words: "draadloze muis" is a glossary phrase ("wireless mouse"), but the post says
/// "wireless mice"; "eerste hulp" is the social team's synonym of "EHBO", but the post holds
/// only "eerste". Before, such a query was all or nothing and found nothing.
#[tokio::test]
async fn a_phrase_of_the_dictionary_or_the_synonyms_falls_back_to_its_words() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "Second monitor and peripherals",
                "Facilities hands out keyboards and wireless mice at the service point.",
                "en",
            ),
            (
                "Verbouwing eerste verdieping",
                "De eerste verdieping is in april dicht vanwege de verbouwing.",
                "nl",
            ),
        ],
    )
    .await;
    let [peripherals, floor] = ids[..] else {
        unreachable!()
    };
    add_synonyms(&social, &["EHBO", "eerste hulp"]).await;
    for (q, want) in [("draadloze muis", peripherals), ("eerste hulp", floor)] {
        let found = posts_for(&writer, q).await;
        assert_eq!(found.first(), Some(&want), "'{q}' finds {found:?}");
    }
    // A filter beside the one run keeps the run required: before, `type:` made it optional
    // and every text of the type was a near miss (one twice: once per language field).
    let question: Value = writer
        .post_json(
            "/api/v1/questions",
            &json!({"title": "Wie heeft de sleutel van de kast?", "body": "De kast in de kantine is op slot.", "tags": ["facilities"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(question["id"].is_i64(), "{question}");
    app.drain().await;
    let results = search(&writer, "eerste hulp type:post").await;
    assert_eq!(ids_of(&results, "post"), [floor], "{results}");
    let results = search(&writer, "eerste hulp type:question").await;
    assert_eq!(results["hits"], json!([]), "{results}");
}

/// A run of three words that is a phrase (here a company synonym) is also its shorter runs:
/// "solar panels roof" is "solar panels" (zonnepanelen) and "roof" (dak), as "roof solar
/// panels" always was. Before, the longest run took the three words and was met only by the
/// phrase's synonym or by every word on its own, so the Dutch post was not found and word order
/// decided the results.
#[tokio::test]
async fn a_long_phrase_is_also_the_shorter_phrases_within_it() {
    let app = spawn_app().await;
    let (social, _) = app.api_user(&[Role::SocialTeam]).await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "Zonnepanelen op het dak",
                "Sinds deze zomer liggen er 420 zonnepanelen op het dak van het kantoor.",
                "nl",
            ),
            (
                "Solar output in winter",
                "In December the solar panels produce almost nothing on cloudy days.",
                "en",
            ),
        ],
    )
    .await;
    let [roof, winter] = ids[..] else {
        unreachable!()
    };
    add_synonyms(&social, &["zonnedak", "solar panel roof"]).await;
    for q in ["solar panels roof", "roof solar panels"] {
        let found = posts_for(&writer, q).await;
        assert_eq!(found.first(), Some(&roof), "'{q}' finds {found:?}");
        assert!(
            !found.contains(&winter) || found.ends_with(&[winter]),
            "'{q}' finds {found:?}"
        );
    }
}

/// With a word no text holds, the other words are still looked for in the other language:
/// the near-miss rounds try the typed words first (narrow) and their translations when those
/// find little, as the every-word rounds do.
#[tokio::test]
async fn near_misses_still_cross_the_language_border() {
    let app = spawn_app().await;
    let (writer, _) = app.api_user(&[]).await;
    let ids = publish_all(
        &app,
        &writer,
        &[
            (
                "How to claim travel expenses",
                "Submit your train tickets and parking receipts in the expenses app within a month.",
                "en",
            ),
            (
                "Ouderschapsverlof aanvragen",
                "Vraag ouderschapsverlof twee maanden van tevoren aan bij HR.",
                "nl",
            ),
        ],
    )
    .await;
    let [travel, parental] = ids[..] else {
        unreachable!()
    };
    let found = posts_for(&writer, "reiskosten declareren zqxwyvuk").await;
    assert_eq!(found.first(), Some(&travel), "{found:?}");
    let found = posts_for(&writer, "parental leave zqxwyvuk").await;
    assert_eq!(found.first(), Some(&parental), "{found:?}");
}
