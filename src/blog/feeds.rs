//! Atom feeds of published posts: the whole blog, one tag, one author. Like every page they
//! need a login (session cookie or `Authorization: Bearer`); only published, undeleted posts
//! appear, from the same query as the lists.
use actix_web::{HttpRequest, HttpResponse, web};
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::Utc;

use super::{repo::ListFilter, service, views::PostSummary};
use crate::web::routes::Routes;
use crate::{
    auth::{current_user::CurrentUser, types::UserId},
    entities::posts,
    error::{AppError, AppResult},
    state::AppState,
};

pub fn configure(r: &mut Routes) {
    r.get("/blog/feed.atom", site_feed)
        .get("/tags/{name}/feed.atom", tag_feed)
        .get("/blog/authors/{id}/feed.atom", author_feed);
}

const FEED_SIZE: u64 = 50;

async fn site_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> AppResult<HttpResponse> {
    feed(
        &req,
        &state,
        "/blog/feed.atom",
        "Kring",
        ListFilter::default(),
    )
    .await
}

async fn tag_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    _user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let filter = service::tag_filter(&state.db, &name).await?;
    feed(
        &req,
        &state,
        &format!("/tags/{name}/feed.atom"),
        &format!("Kring: #{name}"),
        filter,
    )
    .await
}

async fn author_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    _user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = UserId(path.into_inner());
    let author = crate::auth::repo::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let filter = ListFilter {
        author_id: Some(id.0),
        ..Default::default()
    };
    feed(
        &req,
        &state,
        &format!("/blog/authors/{}/feed.atom", id.0),
        &format!("Kring: {}", author.display_name),
        filter,
    )
    .await
}

async fn feed(
    req: &HttpRequest,
    state: &AppState,
    path: &str,
    title: &str,
    filter: ListFilter,
) -> AppResult<HttpResponse> {
    // Feeds are read without signing in: company-wide posts and open spaces only.
    let page = service::list(
        &state.db,
        crate::spaces::audience::Audience::default(),
        &filter,
        None,
        FEED_SIZE,
    )
    .await?;
    let ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
    // The full bodies, for the entries' content.
    let bodies: std::collections::HashMap<i64, String> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        posts::Entity::find()
            .filter(posts::Column::Id.is_in(ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.body_html))
            .collect()
    };
    let base = state.settings.base_url.as_str().trim_end_matches('/');
    let xml = render(base, path, title, &page.items, &bodies);
    // A reader polls: an unchanged feed is a bodiless 304.
    Ok(crate::web::caching::conditional(
        req,
        "application/atom+xml; charset=utf-8",
        xml,
    ))
}

fn fixed(t: chrono::DateTime<Utc>) -> FixedDateTime {
    t.fixed_offset()
}

/// The feed document (a pure function, so it is unit-tested on its own).
pub fn render(
    base: &str,
    path: &str,
    title: &str,
    posts: &[PostSummary],
    bodies: &std::collections::HashMap<i64, String>,
) -> String {
    let updated = posts
        .iter()
        .map(|p| p.updated_at.max(p.published_at.unwrap_or(p.updated_at)))
        .max()
        .unwrap_or_else(Utc::now);
    let entries: Vec<Entry> = posts
        .iter()
        .map(|p| {
            let url = format!("{base}{}", p.url);
            let mut entry = Entry::default();
            entry.set_id(format!("{base}/blog/posts/{}", p.id));
            entry.set_title(Text::plain(p.title.clone()));
            entry.set_updated(fixed(
                p.updated_at.max(p.published_at.unwrap_or(p.updated_at)),
            ));
            entry.set_published(p.published_at.map(fixed));
            let mut author = Person::default();
            author.set_name(p.author.display_name.clone());
            entry.set_authors(vec![author]);
            entry.set_links(vec![Link {
                href: url,
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                hreflang: Some(p.language.clone()),
                ..Default::default()
            }]);
            entry.set_summary(Some(Text::plain(p.excerpt.clone())));
            let mut content = Content::default();
            content.set_content_type(Some("html".to_owned()));
            content.set_value(bodies.get(&p.id).cloned());
            entry.set_content(Some(content));
            entry.set_categories(
                p.tags
                    .iter()
                    .map(|t| atom_syndication::Category {
                        term: t.clone(),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}{path}"));
    feed.set_title(Text::plain(title.to_owned()));
    feed.set_updated(fixed(updated));
    feed.set_links(vec![
        Link {
            href: format!("{base}{path}"),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Default::default()
        },
        Link {
            href: format!("{base}/blog"),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    let mut author = Person::default();
    author.set_name("Kring");
    feed.set_authors(vec![author]);
    feed.set_generator(Some(atom_syndication::Generator {
        value: "Kring".into(),
        uri: None,
        version: None,
    }));
    feed.set_entries(entries);
    // Text stored before `web::text_guard` refused them may hold characters XML cannot carry
    // (the markup itself holds none): a reader would reject the whole feed.
    let xml = feed.to_string();
    match crate::content::text::xml_safe(&xml) {
        std::borrow::Cow::Borrowed(_) => xml,
        std::borrow::Cow::Owned(clean) => clean,
    }
}
