//! Checks of OWASP ASVS 5.0 requirements of chapters V8 and V11–V16 that no other
//! test covered (issue 17; the matrix is docs/SECURITY.md): the dependency tree
//! (no broken or legacy cryptography, no HTTP client, crates.io only), the key and
//! data inventories of docs/SECURITY.md against the code, the password hash, what
//! the server never serves, types and parameters it never coerces, failures that
//! answer generically and undo everything, and its JSON log.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use actix_web::test::{TestRequest, call_service, init_service, read_body};
use binhan::domain::role::Role;
use binhan::http::app;
use binhan::services::auth::enrol_with_secret;
use chrono::Utc;
use diesel::RunQueryDsl;
use serde_json::json;

use crate::on_both_backends;
use crate::support::api::{SECRET, get, post, send, sign_in};
use crate::support::app::{account, state};
use crate::support::db::{TestDb, load_units};
use crate::support::intake::intake_json;
use crate::support::process::{
    binhan, free_port, http_post_json, http_request, run_within, send_signal, wait_exit,
};

fn repo_file(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The packages of Cargo.lock: name → (source, has a checksum, dependencies' names).
struct Package {
    source: Option<String>,
    checksum: bool,
    dependencies: Vec<String>,
}

fn lock_packages() -> BTreeMap<String, Vec<Package>> {
    let lock: toml::Value = toml::from_str(&repo_file("Cargo.lock")).expect("Cargo.lock is TOML");
    let mut packages: BTreeMap<String, Vec<Package>> = BTreeMap::new();
    for p in lock["package"].as_array().expect("packages") {
        let text = |key: &str| p.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let dependencies = p
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|d| {
                d.iter()
                    .filter_map(|x| x.as_str())
                    .map(|x| x.split(' ').next().unwrap_or(x).to_string())
                    .collect()
            })
            .unwrap_or_default();
        packages.entry(text("name").expect("a name")).or_default().push(Package {
            source: text("source"),
            checksum: p.get("checksum").is_some(),
            dependencies,
        });
    }
    packages
}

fn dependents_of(packages: &BTreeMap<String, Vec<Package>>, name: &str) -> BTreeSet<String> {
    packages
        .iter()
        .filter(|(_, versions)| versions.iter().any(|p| p.dependencies.iter().any(|d| d == name)))
        .map(|(n, _)| n.clone())
        .collect()
}

/// The cryptographic crates reviewed and named in the inventory of docs/SECURITY.md
/// ("Keys and algorithms"): RustCrypto's, the OS random source, and totp-rs.
const REVIEWED_CRYPTO: [&str; 24] = [
    "aes",
    "aes-gcm",
    "argon2",
    "blake2",
    "chacha20",
    "cipher",
    "crypto-common",
    "ctr",
    "ctutils",
    "digest",
    "getrandom",
    "ghash",
    "hkdf",
    "hmac",
    "password-hash",
    "polyval",
    "rand",
    "rand_core",
    "sha1",
    "sha2",
    "sha3",
    "totp-rs",
    "universal-hash",
    "zeroize",
];

/// A word in a crate's name that makes it cryptographic.
fn looks_cryptographic(name: &str) -> bool {
    const WORDS: [&str; 36] = [
        "aes", "gcm", "ccm", "siv", "sha1", "sha2", "sha3", "md5", "md4", "md", "hmac", "hkdf", "pbkdf2",
        "scrypt", "bcrypt", "argon2", "blake2", "blake3", "chacha20", "salsa20", "poly1305", "ring",
        "rustls", "openssl", "rsa", "des", "ecdsa", "ed25519", "x25519", "p256", "cipher", "digest",
        "crypto", "totp", "ghash", "ctr",
    ];
    name.split(['-', '_']).any(|word| WORDS.contains(&word))
}

#[test]
fn no_md5_ecb_cbc_or_rsa_is_built_and_sha1_serves_only_the_second_factor() {
    let packages = lock_packages();
    for banned in
        ["md5", "md-5", "md4", "ecb", "cbc", "block-modes", "rsa", "des", "rc4", "blowfish", "openssl"]
    {
        assert!(!packages.contains_key(banned), "Cargo.lock holds {banned}");
    }
    let sha1_users = dependents_of(&packages, "sha1");
    assert_eq!(sha1_users, BTreeSet::from(["totp-rs".to_string()]), "SHA-1 is used by more than TOTP");
    assert!(!repo_file("src/services/auth.rs").contains("Sha1"), "SHA-1 is named by the code itself");
}

#[test]
fn every_cryptographic_crate_of_the_lock_file_is_reviewed_and_in_the_inventory() {
    let packages = lock_packages();
    let security = repo_file("docs/SECURITY.md");
    let mut problems = Vec::new();
    for name in packages.keys() {
        let reviewed = REVIEWED_CRYPTO.contains(&name.as_str());
        if looks_cryptographic(name) && !reviewed {
            problems.push(format!(
                "{name} is cryptographic and not reviewed (REVIEWED_CRYPTO, docs/SECURITY.md)"
            ));
        }
        if reviewed && !security.contains(&format!("`{name}`")) {
            problems.push(format!("{name} is missing from the inventory of docs/SECURITY.md"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_dependency_comes_from_crates_io_with_a_checksum() {
    let packages = lock_packages();
    let mut ours = 0;
    for (name, versions) in &packages {
        for p in versions {
            match &p.source {
                None => {
                    ours += 1;
                    assert_eq!(name, "binhan", "{name} is built from a path, not from crates.io");
                }
                Some(source) => {
                    assert_eq!(source, "registry+https://github.com/rust-lang/crates.io-index", "{name}");
                    assert!(p.checksum, "{name} has no checksum in Cargo.lock");
                }
            }
        }
    }
    assert_eq!(ours, 1, "only binhan itself is built from the repository");
}

#[test]
fn the_server_has_no_http_client_so_its_only_peer_is_its_database() {
    let packages = lock_packages();
    for client in [
        "awc",
        "reqwest",
        "ureq",
        "isahc",
        "curl",
        "hyper",
        "hyper-util",
        "attohttpc",
        "surf",
        "lettre",
        "ldap3",
    ] {
        assert!(!packages.contains_key(client), "Cargo.lock holds the client {client}");
    }
    for source in ["src/services", "src/http", "src/cli", "src/store"] {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(source);
        for file in files_under(&dir) {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(!text.contains("TcpStream::connect"), "{} opens a connection of its own", file.display());
            assert!(!text.contains("std::process::Command"), "{} runs a program", file.display());
        }
    }
}

fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_policies_decide_on_no_contextual_attribute() {
    let schema = repo_file("policies/schema.cedarschema");
    assert!(
        !schema.contains("context"),
        "the Cedar schema declares a context: document it in docs/SECURITY.md (8.1.3)"
    );
    let authz = repo_file("src/authz/mod.rs");
    assert!(authz.contains("Context::empty()"), "the policies are asked with an empty context");
    assert!(!authz.contains("Context::from"), "the policies are asked with a context: document it (8.1.3)");
    for file in ["policies/cases.cedar", "policies/placements.cedar", "policies/hard-lines.cedar"] {
        assert!(!repo_file(file).contains("context."), "{file} reads a context attribute");
    }
}

#[test]
fn every_sealed_column_is_classified_in_the_security_document() {
    let schema = repo_file("src/store/schema.rs");
    let security = repo_file("docs/SECURITY.md");
    let mut table = String::new();
    let mut sealed = Vec::new();
    for line in schema.lines() {
        let trimmed = line.trim();
        if let Some((name, _)) = trimmed.split_once(" (").filter(|_| trimmed.ends_with('{')) {
            table = name.to_string();
        } else if trimmed.contains("Sealed,") || trimmed.ends_with("Sealed>,") {
            let column = trimmed.split(" ->").next().unwrap().trim();
            sealed.push(format!("{table}.{column}"));
        }
    }
    assert!(sealed.len() >= 20, "the schema's sealed columns were read: {sealed:?}");
    let missing: Vec<&String> = sealed.iter().filter(|c| !security.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "sealed columns without a class in docs/SECURITY.md: {missing:?}");
}

#[test]
fn the_security_document_sets_remediation_deadlines_and_keeps_a_logging_inventory() {
    let security = repo_file("docs/SECURITY.md");
    for heading in [
        "## Dependency remediation",
        "## Resource-heavy functions",
        "## Logging inventory",
        "## Keys and algorithms",
        "## Data classes",
        "## Communication",
    ] {
        assert!(security.contains(heading), "docs/SECURITY.md has no section {heading:?}");
    }
    for severity in ["| Critical |", "| High |", "| Medium |", "| Low |"] {
        assert!(security.contains(severity), "the remediation table has no row {severity:?}");
    }
    for log in ["`audit_events`", "standard error", "reverse proxy"] {
        assert!(security.contains(log), "the logging inventory does not name {log}");
    }
}

#[test]
fn passwords_are_stored_with_argon2id_of_19_mib_2_passes_1_lane_and_a_16_byte_salt() {
    let hash = binhan::services::auth::hash_password("lúa chín vàng đồng quê").unwrap();
    let parts: Vec<&str> = hash.split('$').collect();
    assert_eq!(parts[1], "argon2id", "{hash}");
    assert_eq!(parts[2], "v=19", "{hash}");
    assert_eq!(parts[3], "m=19456,t=2,p=1", "{hash}");
    let salt_chars = parts[4].len();
    assert!(salt_chars >= 22, "a salt of at least 16 bytes (22 base64 characters): {hash}");
    let again = binhan::services::auth::hash_password("lúa chín vàng đồng quê").unwrap();
    assert_ne!(hash, again, "each hash has its own salt");
}

/// A worker of Thành Sen (18073), a supervisor and an administrator.
fn people(db: &TestDb) {
    let mut conn = db.migrated();
    load_units(&mut conn);
    account(db, &mut conn, "hanh", Role::SocialWorker);
    let dung = account(db, &mut conn, "dung", Role::Supervisor);
    enrol_with_secret(&mut conn, &db.keys(), dung.id, SECRET, Utc::now().naive_utc()).unwrap();
    let an = account(db, &mut conn, "anvan", Role::Admin);
    enrol_with_secret(&mut conn, &db.keys(), an.id, SECRET, Utc::now().naive_utc()).unwrap();
}

fn sql(db: &TestDb, statement: &str) {
    let mut conn = db.conn();
    diesel::sql_query(statement).execute(&mut conn).unwrap_or_else(|e| panic!("{statement}: {e}"));
}

fn count(db: &TestDb, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = db.conn();
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<Count>(&mut conn).unwrap().n
}

on_both_backends! {
    async fn git_metadata_directory_listings_and_trace_are_not_served(db: TestDb) {
        db.migrated();
        let app = init_service(app(state(&db))).await;
        for uri in ["/.git/HEAD", "/.git/config", "/static/", "/static", "/static/..%2f.git%2fHEAD", "/.env"] {
            let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
            assert_eq!(res.status(), 404, "{uri}");
            let body = String::from_utf8_lossy(&read_body(res).await).to_string();
            assert!(!body.contains("refs/heads") && !body.contains("app.css"), "{uri}: {body}");
        }
        for uri in ["/", "/login", "/api/v1/me", "/healthz"] {
            let req = TestRequest::default()
                .method(actix_web::http::Method::TRACE)
                .uri(uri)
                .insert_header(("X-Trace-Probe", "echo-me"))
                .to_request();
            let res = call_service(&app, req).await;
            assert!(matches!(res.status().as_u16(), 404 | 405), "TRACE {uri}: {}", res.status());
            let body = String::from_utf8_lossy(&read_body(res).await).to_string();
            assert!(!body.contains("echo-me"), "TRACE {uri} echoes the request");
        }
    }
}

on_both_backends! {
    async fn the_content_security_policy_and_the_pages_let_no_third_party_in(db: TestDb) {
        db.migrated();
        let app = init_service(app(state(&db))).await;
        let res = call_service(&app, TestRequest::get().uri("/login").to_request()).await;
        assert_eq!(res.status(), 200);
        let csp = res.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        for directive in csp.split(';') {
            let sources: Vec<&str> = directive.split_whitespace().skip(1).collect();
            for source in sources {
                assert!(
                    ["'self'", "'none'", "data:"].contains(&source),
                    "{directive}: {source} lets another site in"
                );
            }
        }
        let html = String::from_utf8_lossy(&read_body(res).await).to_string();
        for attribute in ["src=\"", "href=\"", "action=\""] {
            for value in html.split(attribute).skip(1).map(|rest| rest.split('"').next().unwrap_or_default()) {
                assert!(value.starts_with('/') || value.starts_with('#'), "{attribute}{value} leaves the site");
            }
        }
    }
}

on_both_backends! {
    async fn a_case_address_dressed_as_a_stylesheet_or_a_script_is_not_the_case(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (status, created) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap();
        let page = call_service(&app, TestRequest::get().uri(&format!("/cases/{id}")).cookie(hanh.clone()).to_request()).await;
        assert_eq!(page.status(), 200, "the case page itself opens");
        for uri in [
            format!("/cases/{id}/x.css"),
            format!("/cases/{id}.css"),
            format!("/cases/{id}/app.js"),
            format!("/static/{id}.css"),
            format!("/api/v1/cases/{id}.json"),
            format!("/api/v1/cases/{id}/x.css"),
        ] {
            let res = call_service(&app, TestRequest::get().uri(&uri).cookie(hanh.clone()).to_request()).await;
            assert!(!res.status().is_success(), "{uri}: {}", res.status());
            let cache = res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
            assert_eq!(cache.as_deref(), Some("no-store"), "{uri}");
            let body = String::from_utf8_lossy(&read_body(res).await).to_string();
            assert!(!body.contains("Nguyễn Thị Hoa"), "{uri} shows the case");
        }
    }
}

on_both_backends! {
    async fn a_query_parameter_given_twice_is_refused(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let dung = sign_in(&app, "dung", true).await;
        let (status, _) = send(&app, get("/cases?limit=5", &dung)).await;
        assert_eq!(status, 200, "one limit is read");
        for query in ["limit=5&limit=200", "status=intake&status=closed", "commune=18073&commune=18077"] {
            let (status, body) = send(&app, get(&format!("/cases?{query}"), &dung)).await;
            assert_eq!(status, 400, "{query}: {body}");
        }
    }
}

on_both_backends! {
    async fn json_values_of_the_wrong_type_are_refused_not_coerced(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        for body in [
            json!({"username": 1, "password": "lúa chín vàng đồng quê"}),
            json!({"username": "hanh", "password": true}),
            json!({"username": ["hanh"], "password": "lúa chín vàng đồng quê"}),
            json!({"username": "hanh", "password": ["lúa chín vàng đồng quê"]}),
        ] {
            let req = TestRequest::post().uri("/api/v1/auth/login").set_json(&body);
            let (status, answer) = send(&app, req).await;
            assert_eq!(status, 400, "{body}: {answer}");
        }
        let hanh = sign_in(&app, "hanh", false).await;
        let (status, created) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap();
        for version in [json!("1"), json!([1]), json!(true), json!({"n": 1})] {
            let edit = json!({"version": version, "phone": "0912 000 222"});
            let req = crate::support::api::patch(&format!("/cases/{id}"), &hanh, edit);
            let (status, answer) = send(&app, req).await;
            assert!(matches!(status, 400 | 422), "version {version}: {status} {answer}");
        }
    }
}

on_both_backends! {
    async fn no_answer_carries_a_password_hash_a_second_factor_secret_or_key_material(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let an = sign_in(&app, "anvan", true).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let (status, created) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap().to_string();
        let mut answers = Vec::new();
        for (cookie, uri) in [
            (&an, "/api/v1/me".to_string()),
            (&an, "/admin/users".to_string()),
            (&hanh, "/api/v1/me".to_string()),
            (&hanh, format!("/api/v1/cases/{id}")),
            (&hanh, "/api/v1/cases".to_string()),
            (&hanh, format!("/cases/{id}")),
        ] {
            let res = call_service(&app, TestRequest::get().uri(&uri).cookie(cookie.clone()).to_request()).await;
            assert_eq!(res.status(), 200, "{uri}");
            answers.push((uri, String::from_utf8_lossy(&read_body(res).await).to_string()));
        }
        for (uri, body) in answers {
            for secret in ["password_hash", "$argon2", "totp_secret", "wrapped", "_index", "token_hash", "csrf_token\":"] {
                assert!(!body.contains(secret), "{uri} carries {secret}");
            }
        }
        let (_, me) = send(&app, get("/me", &hanh)).await;
        let keys: BTreeSet<&str> = me.as_object().unwrap().keys().map(String::as_str).collect();
        for key in &keys {
            assert!(!key.contains("password") && !key.contains("secret"), "/me has the key {key}");
        }
    }
}

on_both_backends! {
    async fn a_database_failure_answers_a_generic_problem_without_sql_or_paths(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let dung = sign_in(&app, "dung", true).await;
        sql(&db, "ALTER TABLE cases RENAME TO cases_gone");
        let res = call_service(&app, get("/cases", &dung).to_request()).await;
        let status = res.status().as_u16();
        assert!(status >= 500, "a broken database is a server error: {status}");
        assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
        let body = String::from_utf8_lossy(&read_body(res).await).to_string();
        for leak in ["cases_gone", "no such table", "relation", "SELECT", "FROM", "diesel", "src/", ".rs", "panicked"] {
            assert!(!body.contains(leak), "the answer shows {leak:?}: {body}");
        }
        let page = TestRequest::get().uri("/cases").cookie(dung.clone()).insert_header(("Accept", "text/html"));
        let res = call_service(&app, page.to_request()).await;
        assert!(res.status().as_u16() >= 500);
        let body = String::from_utf8_lossy(&read_body(res).await).to_string();
        assert!(!body.contains("cases_gone") && !body.contains("SELECT"), "the page shows the query: {body}");
        sql(&db, "ALTER TABLE cases_gone RENAME TO cases");
    }
}

on_both_backends! {
    async fn a_change_whose_audit_event_cannot_be_written_leaves_nothing_behind(db: TestDb) {
        people(&db);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let before = (count(&db, "cases"), count(&db, "survivors"), count(&db, "data_keys"));
        sql(&db, "ALTER TABLE audit_events RENAME TO audit_events_gone");
        let (status, answer) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert!(status >= 500, "an intake whose audit event fails is not recorded: {status} {answer}");
        sql(&db, "ALTER TABLE audit_events_gone RENAME TO audit_events");
        assert_eq!((count(&db, "cases"), count(&db, "survivors"), count(&db, "data_keys")), before);
        let (status, created) = send(&app, post("/cases", &hanh, intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert_eq!(status, 201, "with its audit log back the same intake is recorded: {created}");
    }
}

on_both_backends! {
    async fn a_commune_taken_from_a_worker_closes_its_cases_on_her_next_request(db: TestDb) {
        people(&db);
        let lan = account(&db, &mut db.conn(), "lan", Role::SocialWorker);
        let app = init_service(app(state(&db))).await;
        let hanh = sign_in(&app, "hanh", false).await;
        let lan_cookie = sign_in(&app, "lan", false).await;
        // Lan records a case of Thành Sen: Hạnh reads it because she works there.
        let (status, created) = send(&app, post("/cases", &lan_cookie, intake_json("Nguyễn Thị Hoa", "18073"))).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap().to_string();
        let case = format!("/cases/{id}");
        assert_eq!(send(&app, get(&case, &hanh)).await.0, 200);
        // Hạnh is moved to another commune while her session lives on.
        sql(&db, &format!("UPDATE user_communes SET commune_code = '18077' WHERE user_id <> '{}'", lan.id));
        let (status, _) = send(&app, get(&case, &hanh)).await;
        assert_eq!(status, 404, "the same session no longer reaches the case");
        let (status, list) = send(&app, get("/cases", &hanh)).await;
        assert_eq!(status, 200, "{list}");
        assert!(!list.to_string().contains(&id), "the list no longer shows it");
        assert_eq!(send(&app, get(&case, &lan_cookie)).await.0, 200, "Lan, still of Thành Sen, reads it");
    }
}

/// `binhan serve` with JSON logs: each line one object stamped in UTC, a user's
/// control characters never split or forge a line, nothing is written but
/// standard error (no log file in the data folder), security events (a
/// cross-site request, a form without its token) are warnings and an unexpected
/// failure an error with its request id.
#[test]
fn the_json_log_is_one_utc_stamped_object_a_line_on_standard_error_only() {
    let db = TestDb::sqlite();
    let data = db.data_dir();
    let mut init = binhan();
    init.env("BINHAN_DATA_DIR", &data).arg("init");
    assert!(run_within(init, Duration::from_secs(60)).status.success());
    let mut add = binhan()
        .env("BINHAN_DATA_DIR", &data)
        .args(["user", "add", "hanh", "--name", "Hạnh", "--role", "social_worker", "--commune", "18073"])
        .args(["--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(crate::support::app::PASSWORD.as_bytes()).unwrap();
    assert!(wait_exit(&mut add, Duration::from_secs(60)).success());
    let before: BTreeSet<String> = file_names(&data);

    let port = free_port();
    let logs = tempfile::tempdir().unwrap();
    let log_path = logs.path().join("stderr.log");
    let mut server = binhan()
        .env("BINHAN_DATA_DIR", &data)
        .env("BINHAN_BIND", format!("127.0.0.1:{port}"))
        .env("BINHAN_LOG", "info")
        .env("BINHAN_LOG_FORMAT", "json")
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    crate::support::process::wait_for_status(&mut server, port, "/readyz", 200, Duration::from_secs(30));
    let forged = r#"{"username": "x\r\n{\"level\":\"ERROR\",\"fields\":{\"message\":\"forged\"}}\n", "password": "y\u0000z"}"#;
    assert_eq!(http_post_json(port, "/api/v1/auth/login", forged, None).unwrap().0, 401);
    let _ = http_request(port, "GET", "/cases/%0d%0a%7B%22forged%22%3A1%7D", None, None);
    let _ = http_request(port, "GET", "/no-such-page", None, None);
    // Security events: a cross-site request and a form without its token.
    let cross_site = raw_request(
        port,
        "POST /api/v1/auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(cross_site.starts_with("HTTP/1.1 403"), "{cross_site}");
    let form = "username=hanh&password=x&csrf_token=forged";
    let no_token = raw_request(
        port,
        &format!(
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-origin\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert!(no_token.starts_with("HTTP/1.1 403"), "{no_token}");
    let cookie = crate::support::process::sign_in_over_http(port, "hanh");
    // An unexpected failure (the cases table gone) is logged at error level.
    let mut conn = binhan::store::connect(
        &binhan::store::DatabaseUrl::Sqlite(data.join("binhan.sqlite3")),
        binhan::store::SqliteSettings::default(),
    )
    .unwrap();
    diesel::sql_query("ALTER TABLE cases RENAME TO cases_gone").execute(&mut conn).unwrap();
    let (status, _, _) = http_request(port, "GET", "/api/v1/cases", None, Some(&cookie)).unwrap();
    assert_eq!(status, 500);
    send_signal(&server, "TERM");
    assert!(wait_exit(&mut server, Duration::from_secs(15)).success());
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut server.stdout.take().unwrap(), &mut stdout).unwrap();
    assert!(stdout.trim().is_empty(), "serve writes its log to standard error only: {stdout}");

    let logged = std::fs::read_to_string(&log_path).unwrap();
    assert!(logged.lines().count() >= 4, "the requests were logged: {logged}");
    for line in logged.lines() {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"));
        let stamp = entry["timestamp"].as_str().unwrap_or_else(|| panic!("no timestamp: {line}"));
        let parsed = chrono::DateTime::parse_from_rfc3339(stamp).unwrap_or_else(|e| panic!("{stamp}: {e}"));
        assert!(stamp.ends_with('Z'), "{stamp} is not UTC");
        assert!((Utc::now() - parsed.with_timezone(&Utc)).num_minutes().abs() < 10, "{stamp} is not now");
        assert!(entry["level"].is_string(), "no level: {line}");
        assert!(!line.contains("forged"), "a user's text reached the log: {line}");
    }
    for event in ["cross-site request refused", "form token missing or wrong"] {
        let line = logged.lines().find(|l| l.contains(event));
        assert!(
            line.is_some_and(|l| l.contains("\"level\":\"WARN\"")),
            "{event} is logged as a warning: {logged}"
        );
    }
    assert!(!logged.contains("evil.example"), "the client's origin is not logged");
    let failure = logged.lines().find(|l| l.contains("\"level\":\"ERROR\"") && l.contains("request failed"));
    assert!(
        failure.is_some_and(|l| l.contains("request_id")),
        "the failure is logged with its request: {logged}"
    );
    let after = file_names(&data);
    let new: Vec<&String> = after
        .difference(&before)
        .filter(|name| !name.starts_with("binhan.sqlite3")) // the database's -wal/-shm files
        .collect();
    assert!(new.is_empty(), "serve wrote files of its own to the data folder: {new:?}");
}

fn raw_request(port: u16, request: &str) -> String {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

fn file_names(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect()
}

#[test]
fn the_script_keeps_only_the_lock_state_in_browser_storage() {
    let script = repo_file("frontend/static/app.js");
    for api in ["sessionStorage", "indexedDB", "document.cookie", "caches.open"] {
        assert!(!script.contains(api), "app.js uses {api}");
    }
    let code: Vec<&str> = script.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
    let storage: Vec<&&str> = code.iter().filter(|l| l.contains("localStorage")).collect();
    assert_eq!(storage.len(), 3, "localStorage only through read/write/forget: {storage:?}");
    for line in &code {
        for helper in ["read(", "write(", "forget("] {
            for call in line.split(helper).skip(1) {
                if line.contains(&format!("function {helper}")) {
                    continue;
                }
                let key = call.split([',', ')']).next().unwrap_or_default().trim();
                assert!(["LOCKED", "ACTIVITY"].contains(&key), "app.js stores {key:?}: {line}");
            }
        }
    }
    assert!(
        script.contains("var LOCKED = 'binhan.locked';")
            && script.contains("var ACTIVITY = 'binhan.activity';")
    );
}

on_both_backends! {
    async fn an_administrator_without_a_second_factor_reaches_no_administration(db: TestDb) {
        let mut conn = db.migrated();
        load_units(&mut conn);
        account(&db, &mut conn, "moi", Role::Admin);
        let an = account(&db, &mut conn, "anvan", Role::Admin);
        enrol_with_secret(&mut conn, &db.keys(), an.id, SECRET, Utc::now().naive_utc()).unwrap();
        let app = init_service(app(state(&db))).await;

        let login = |user: &str| {
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(json!({"username": user, "password": crate::support::app::PASSWORD}))
                .to_request()
        };
        let res = call_service(&app, login("anvan")).await;
        assert_ne!(res.status(), 200, "an enrolled administrator needs her code");
        assert!(res.response().cookies().next().is_none(), "no session without the code");

        let res = call_service(&app, login("moi")).await;
        assert_eq!(res.status(), 200);
        let cookie = res.response().cookies().find(|c| c.name().contains("session")).unwrap().into_owned();
        let res = call_service(&app, get("/audit/verify", &cookie).to_request()).await;
        assert_eq!(res.status(), 403, "the API refuses her until the second factor is set up");
        for page in ["/admin/users", "/admin/users/new", "/admin/safe-houses"] {
            let res = call_service(&app, TestRequest::get().uri(page).cookie(cookie.clone()).to_request()).await;
            assert_eq!(res.status(), 303, "{page}");
            let to = res.headers().get("location").unwrap().to_str().unwrap();
            assert!(to.starts_with("/account/second-factor"), "{page} sends her to {to}");
        }
        let full = sign_in(&app, "anvan", true).await;
        assert_eq!(send(&app, get("/audit/verify", &full)).await.0, 200, "with both factors she verifies the log");
    }
}

async fn panics() -> actix_web::HttpResponse {
    panic!("a bug at src/services/cases/secret.rs line 42")
}

async fn fine() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().body("fine")
}

#[actix_web::test]
async fn a_handler_that_panics_answers_a_generic_500_and_the_next_request_is_served() {
    let mounted = repo_file("src/http/mod.rs");
    assert!(mounted.contains(".wrap_fn(middleware::catch_panics)"), "the app mounts the last-resort handler");
    let app = init_service(
        actix_web::App::new()
            .wrap_fn(binhan::http::middleware::catch_panics)
            .route("/panics", actix_web::web::get().to(panics))
            .route("/fine", actix_web::web::get().to(fine)),
    )
    .await;
    for _ in 0..3 {
        let res = call_service(&app, TestRequest::get().uri("/panics").to_request()).await;
        assert_eq!(res.status(), 500);
        assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
        let body = String::from_utf8_lossy(&read_body(res).await).to_string();
        assert!(body.contains("internal_error"), "{body}");
        assert!(
            !body.contains("secret.rs") && !body.contains("line 42") && !body.contains("panic"),
            "{body}"
        );
        let res = call_service(&app, TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(res.status(), 200, "the server goes on serving");
    }
}
