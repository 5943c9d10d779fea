use std::collections::BTreeSet;
use std::path::Path;

use super::i18n::{Lang, catalog, defined_keys};
use super::*;
use crate::domain::role::Role;

/// The message keys written literally in `source` as `.t("…")`, `.t1("…", …)`,
/// `.t_with("…", …)` or `.t_count("…", …)`.
fn literal_keys(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    // `http::refusals` names its keys through local `t("…")` and `with("…", …)`.
    // The case page's next actions name theirs as `words_key: "…"`.
    for call in [".t(", ".t1(", ".t_with(", ".t_count(", " t(", "(t(", " with(", "(with(", "words_key:"] {
        for (at, _) in source.match_indices(call) {
            // The key may follow on the next line.
            let Some(rest) = source[at + call.len()..].trim_start().strip_prefix('"') else { continue };
            if let Some(end) = rest.find('"') {
                keys.push(rest[..end].to_string());
            }
        }
    }
    // The catalog's own calls, whose key follows the language, and the report
    // view's `t(lang, "key")`.
    for (call, after_language) in
        [(".message(", true), (".message_with(", true), (".message_count(", true), ("t(lang,", false)]
    {
        for (at, _) in source.match_indices(call) {
            let mut after = &source[at + call.len()..];
            if after_language {
                let Some(comma) = after.find(',').filter(|c| *c < 24 && !after[..*c].contains('"')) else {
                    continue;
                };
                after = &after[comma + 1..];
            }
            let Some(rest) = after.trim_start().strip_prefix('"') else { continue };
            if let Some(end) = rest.find('"') {
                keys.push(rest[..end].to_string());
            }
        }
    }
    keys
}

fn files_in(dir: &Path, extension: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(files_in(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            let text = std::fs::read_to_string(&path).expect("read file");
            files.push((path.display().to_string(), text));
        }
    }
    files
}

/// Every key the templates and the page code use.
fn used_keys() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used: BTreeSet<String> = dynamic_keys().into_iter().collect();
    used.extend(vocab::vocabulary_keys());
    let sources = files_in(&root.join("frontend/templates"), "html")
        .into_iter()
        .chain(files_in(&root.join("src/http/pages"), "rs"))
        .chain(
            files_in(&root.join("src/http"), "rs")
                .into_iter()
                .filter(|(name, _)| name.ends_with("refusals.rs")),
        );
    for (name, text) in sources {
        if name.ends_with("tests.rs") {
            continue;
        }
        // Unit tests ask for keys that do not exist on purpose.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        used.extend(literal_keys(code));
    }
    used
}

#[test]
fn every_message_used_by_templates_and_code_exists_in_both_languages() {
    let used = used_keys();
    assert!(used.contains("login-heading") && used.contains("role-admin"));
    for lang in Lang::ALL {
        let missing: Vec<_> = used.iter().filter(|k| !catalog().has(lang, k)).collect();
        assert!(missing.is_empty(), "missing in {}.ftl: {missing:?}", lang.code());
    }
}

#[test]
fn every_message_in_the_files_is_used_somewhere() {
    let used = used_keys();
    for lang in Lang::ALL {
        let unused: Vec<_> = defined_keys(lang.source()).into_iter().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "unused in {}.ftl: {unused:?}", lang.code());
    }
}

#[test]
fn only_paths_of_this_site_are_accepted_as_redirect_targets() {
    for good in ["/", "/login", "/cases/abc-123", "/a%20b"] {
        assert_eq!(same_site_path(good), Some(good), "{good}");
    }
    for bad in [
        "",
        "login",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/x?y=1",
        "/x#y",
        "/x\r\nSet-Cookie: a=b",
        "javascript:alert(1)",
        &format!("/{}", "a".repeat(250)),
    ] {
        assert_eq!(same_site_path(bad), None, "{bad:?}");
    }
}

fn signed_in(role: Role, lang: Lang) -> PageContext {
    PageContext::new(lang, "/")
        .with_user(UserView {
            display_name: "Trần Thị Thử".into(),
            role,
            scope: Scope::Communes(vec!["Xã Cẩm Xuyên".into()]),
        })
        .with_csrf_token("token-123")
}

async fn body_of(response: actix_web::HttpResponse) -> String {
    let bytes = actix_web::body::to_bytes(response.into_body()).await.unwrap_or_default();
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// Words that promise a function instead of giving it (issue 15 item 14).
const PLACEHOLDERS: [&str; 6] =
    ["khi sẵn sàng", "sẽ có", "sắp có", "when ready", "when it is ready", "coming soon"];

#[actix_web::test]
async fn each_role_home_names_the_role_and_the_person_and_promises_nothing_in_both_languages() {
    for lang in Lang::ALL {
        for role in Role::ALL {
            let ctx = signed_in(role, lang);
            let response = render_home(&ctx);
            assert_eq!(response.status(), 200);
            let html = body_of(response).await;
            let role_name = catalog().message(lang, role_key(role));
            assert!(html.contains(&format!("<h1>{role_name}</h1>")), "{role:?} {lang:?}");
            assert!(html.contains("Trần Thị Thử"));
            assert!(html.contains("Xã Cẩm Xuyên"));
            for words in PLACEHOLDERS {
                assert!(!html.to_lowercase().contains(words), "{role:?} {lang:?}: {words}");
            }
            assert!(html.contains(&format!(r#"<html lang="{}">"#, lang.code())));
            let admin_links =
                html.contains(r#"href="/admin/users""#) && html.contains(r#"href="/admin/safe-houses""#);
            assert_eq!(admin_links, role == Role::Admin, "{role:?}: the registers an administrator keeps");
        }
    }
}

#[test]
fn every_home_page_shows_work_and_no_message_promises_a_function_that_is_not_there() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("frontend");
    let catalogs = files_in(&root.join("locales"), "ftl");
    assert_eq!(catalogs.len(), 2, "both languages read");
    for (name, text) in catalogs.into_iter().chain(files_in(&root.join("templates"), "html")) {
        for words in PLACEHOLDERS {
            assert!(!text.to_lowercase().contains(words), "{name}: {words}");
        }
    }
}

#[actix_web::test]
async fn every_post_form_carries_the_csrf_token() {
    let ctx = signed_in(Role::Supervisor, Lang::Vi);
    let ok = actix_web::http::StatusCode::OK;
    let form = views::NewAccountForm::default();
    let errors = [views::FieldMessage::new("username", "admin-error-username")];
    let mut pages = vec![
        body_of(render_home(&ctx)).await,
        body_of(render_login(&ctx, &LoginForm::default())).await,
        body_of(render_error(&ctx, actix_web::http::StatusCode::NOT_FOUND)).await,
        body_of(render(
            ok,
            &views::AccountPage {
                ctx: &ctx,
                title: "t".into(),
                username: "u".into(),
                second_factor: true,
                errors: &[],
            },
        ))
        .await,
        body_of(render(
            ok,
            &views::AdminUserFormPage {
                ctx: &ctx,
                title: "t".into(),
                editing: None,
                form: &form,
                roles: vec![("admin", "Quản trị".into(), true)],
                groups: Vec::new(),
                houses: vec![("h-1".into(), "Nhà thử (Phường Thành Sen)".into(), true)],
                errors: &errors,
            },
        ))
        .await,
        body_of(render(ok, &views::ChoosePasswordPage { ctx: &ctx, title: "t".into(), errors: &errors }))
            .await,
        body_of(render(
            ok,
            &views::AdminConfirmPage {
                ctx: &ctx,
                title: "t".into(),
                action: admin::AccountAction::Disable,
                username: "u".into(),
                display_name: "d".into(),
            },
        ))
        .await,
        body_of(render(
            ok,
            &views::AccountChangesPage {
                ctx: &ctx,
                title: "t".into(),
                waiting: vec![views::AccountChangeLine {
                    id: "c-1".into(),
                    username: "u".into(),
                    display_name: "d".into(),
                    what: "w".into(),
                    requested_by: "a".into(),
                    requested_at: "t".into(),
                    decided: String::new(),
                    may_decide: true,
                }],
                recent: Vec::new(),
                notice: None,
            },
        ))
        .await,
        body_of(render(
            ok,
            &views::EnrolPage { ctx: &ctx, title: "t".into(), username: String::new(), errors: &errors },
        ))
        .await,
    ];
    for step in [
        views::SecondFactorStep::Replace,
        views::SecondFactorStep::Scan {
            qr_svg: "<svg></svg>".into(),
            secret: "ABCD".into(),
            otpauth_uri: "o".into(),
        },
        views::SecondFactorStep::Retry,
    ] {
        let page = views::SecondFactorPage { ctx: &ctx, title: "t".into(), step };
        pages.push(body_of(render(ok, &page)).await);
    }
    for html in pages {
        let forms = html.matches("<form").count();
        assert!(!html.contains(r#"method="get""#));
        let posts = html.matches(r#"method="post""#).count();
        let tokens = html.matches(r#"<input type="hidden" name="csrf_token" value="token-123">"#).count();
        assert!(forms > 0);
        assert_eq!(forms, posts, "every form posts");
        assert_eq!(tokens, posts, "every POST form carries the token");
    }
}

#[actix_web::test]
async fn the_title_never_shows_who_is_signed_in() {
    let ctx = signed_in(Role::SocialWorker, Lang::Vi);
    let html = body_of(render_home(&ctx)).await;
    let title = html
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title)
        .expect("title");
    assert_eq!(title, "Bình An – Trang chính");
}

#[actix_web::test]
async fn home_without_a_signed_in_user_sends_the_browser_to_sign_in() {
    let response = render_home(&PageContext::new(Lang::Vi, "/"));
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers().get("location").map(|v| v.as_bytes()), Some(&b"/login"[..]));
}

#[actix_web::test]
async fn a_failed_sign_in_keeps_the_username_marks_the_field_and_says_what_to_fix() {
    let ctx = PageContext::new(Lang::En, "/login");
    let form = LoginForm { username: "hanh.nt".into(), message: Some(LoginMessage::CodeFormat) };
    let response = render_login(&ctx, &form);
    assert_eq!(response.status(), 422);
    let html = body_of(response).await;
    assert!(html.contains(r#"value="hanh.nt""#));
    assert!(html.contains("6-digit code") && html.contains("recovery code"));
    assert!(html.contains(r#"role="alert""#));
    let totp = html.split(r#"id="totp""#).nth(1).expect("code field");
    let attrs = totp.split('>').next().expect("attributes");
    assert!(attrs.contains(r#"aria-invalid="true""#) && attrs.contains("autofocus"), "{attrs}");
    assert!(
        !attrs.contains("pattern=") && !attrs.contains(r#"inputmode="numeric""#),
        "recovery codes fit: {attrs}"
    );
}

#[actix_web::test]
async fn a_wrong_password_and_a_locked_account_get_the_same_answer() {
    let ctx = PageContext::new(Lang::Vi, "/login");
    let form = LoginForm { username: "x".into(), message: Some(LoginMessage::InvalidCredentials) };
    let response = render_login(&ctx, &form);
    assert_eq!(response.status(), 401);
    let html = body_of(response).await;
    assert!(html.contains("tắt bộ gõ tiếng Việt"));
}

#[test]
fn error_pages_exist_for_forbidden_not_found_and_server_errors() {
    assert_eq!(views::error_keys(403).0, "error-403-title");
    assert_eq!(views::error_keys(404).0, "error-404-title");
    assert_eq!(views::error_keys(500).0, "error-500-title");
    assert_eq!(views::error_keys(502).0, "error-500-title");
    assert_eq!(views::error_keys(503).0, "error-503-title");
    assert_eq!(views::error_keys(405).0, "error-other-title");
}

/// Words the field trial found drifting from `shared/GLOSSARY.md`, each with the
/// glossary's word the pages use instead.
const NOT_THE_GLOSSARYS_WORDS: [(&str, &str); 5] = [
    ("người gây bạo lực", "người có hành vi bạo lực"),
    ("giường", "chỗ"),
    ("giám sát viên", "cán bộ giám sát"),
    ("nạn nhân", "người bị bạo lực"),
    ("rất nghiêm trọng", "rất cao (the glossary's risk levels)"),
];

#[test]
fn the_vietnamese_catalogue_templates_and_demo_keep_to_the_glossarys_terms() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = vec![("frontend/locales/vi.ftl".to_string(), Lang::Vi.source().to_string())];
    texts.extend(files_in(&root.join("frontend/templates"), "html"));
    texts.extend(files_in(&root.join("src/services/demo"), "rs"));
    let mut drift = Vec::new();
    for (name, text) in &texts {
        for (number, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            for (word, instead) in NOT_THE_GLOSSARYS_WORDS {
                if lower.contains(word) {
                    drift.push(format!("{name}:{}: “{word}”: say “{instead}”", number + 1));
                }
            }
            // GBVIMS means nothing to a commune worker unless it is said what it is.
            if name.ends_with("vi.ftl")
                && line.contains("GBVIMS")
                && !line.contains("phân loại quốc tế GBVIMS")
            {
                drift.push(format!("{name}:{}: GBVIMS without “phân loại quốc tế”", number + 1));
            }
        }
    }
    assert!(drift.is_empty(), "words that are not the glossary's:\n{}", drift.join("\n"));
}
