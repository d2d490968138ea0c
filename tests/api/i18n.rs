use reqwest::StatusCode;

use crate::helpers::{PASSWORD, location, spawn_app};

#[tokio::test]
async fn the_browser_language_picks_dutch_or_english() {
    let app = spawn_app().await;
    app.create_user(&[]).await;
    let client = &app.browser().client;
    let dutch = client
        .get(app.url("/login"))
        .header("accept-language", "nl-NL,nl;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dutch.contains("<html lang=\"nl\">"));
    assert!(dutch.contains("<h1>Inloggen</h1>"));
    let english = client
        .get(app.url("/login"))
        .header("accept-language", "de-DE,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("<h1>Log in</h1>"));
}

#[tokio::test]
async fn switching_language_sticks_for_the_browser_and_the_user() {
    let app = spawn_app().await;
    let (browser, user) = app.login_as(&[]).await;
    assert!(
        browser
            .get_html("/account")
            .await
            .contains("<h1>Your account</h1>")
    );

    let response = browser
        .post_form("/language", &[("lang", "nl"), ("next", "/account")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account");
    let html = browser.get_html("/account").await;
    assert!(html.contains("<h1>Je account</h1>"), "{html}");
    assert!(html.contains("<html lang=\"nl\">"));

    // Remembered for the user: another browser gets Dutch after logging in.
    let other = app.browser();
    other.login(&user.email, PASSWORD).await;
    assert!(
        other
            .get_html("/account")
            .await
            .contains("<h1>Je account</h1>")
    );

    // Error pages and form errors speak Dutch too.
    let response = other.get("/bestaat-niet").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Pagina niet gevonden")
    );
    let response = other.post_form("/account/tokens", &[("name", "")]).await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Geef de token een naam")
    );

    let response = browser.post_form("/language", &[("lang", "fr")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn anonymous_visitors_can_switch_language() {
    let app = spawn_app().await;
    app.create_user(&[]).await;
    let browser = app.browser();
    browser
        .post_form("/language", &[("lang", "nl"), ("next", "/login")])
        .await;
    let response = browser.login("nobody@example.com", "wrong password").await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Onjuist e-mailadres of wachtwoord.")
    );
}
