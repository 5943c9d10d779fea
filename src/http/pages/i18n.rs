//! Languages of the pages and their messages (Fluent files in `frontend/locales`,
//! embedded in the binary and parsed once into [`catalog`]).

use std::sync::LazyLock;

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// Name of the cookie set by the language switch: `__Host-` so that it is Secure,
/// for this host only and for every path (ASVS 3.3.1, 3.3.3).
pub const LANG_COOKIE: &str = "__Host-lang";

/// A language the pages are written in. Vietnamese first: it is what the people who
/// use Bình An read; English is for visitors and support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 code, as in `<html lang>` and the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The language of a request: the `lang` cookie of the language switch, else the
    /// browser's `Accept-Language`, else Vietnamese.
    pub fn of_request(req: &HttpRequest) -> Lang {
        if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|cookie| Lang::from_code(cookie.value())) {
            return lang;
        }
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default()
    }

    /// The supported language the browser prefers most (RFC 9110 §12.5.4: the
    /// highest `q`, the earlier entry on a tie; `q=0` means "not this one").
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let primary = tag.split('-').next().unwrap_or_default();
            let Some(lang) = Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary)) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// The Fluent source of this language's messages.
    pub fn source(self) -> &'static str {
        match self {
            Lang::Vi => include_str!("../../../frontend/locales/vi.ftl"),
            Lang::En => include_str!("../../../frontend/locales/en.ftl"),
        }
    }
}

/// Every message of every language, parsed once and shared by all workers.
pub struct Catalog {
    vi: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::load);

/// A value for a placeable: words, or a count the message may choose a plural
/// form by (English "1 place" against "2 places"; Vietnamese has one form).
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Count(u64),
}

/// The shared catalog. `http::app` touches it, so the files are parsed at start-up
/// rather than on the first page.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    fn load() -> Catalog {
        Catalog { vi: bundle(Lang::Vi), en: bundle(Lang::En) }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The text of message `key`. A missing key (the unit tests prove there is none)
    /// shows as the key itself and is logged, so a page never fails for want of a word.
    pub fn message(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    /// The text of message `key` with its `{ $name }` placeables filled in.
    pub fn message_with(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, *value);
        }
        self.format(lang, key, Some(&fluent_args))
    }

    /// The text of message `key` with its placeables filled in, numbers as numbers so
    /// that the message can choose its plural form for each.
    pub fn message_args(&self, lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, *text),
                Arg::Count(n) => fluent_args.set(*name, *n),
            }
        }
        self.format(lang, key, Some(&fluent_args))
    }

    /// The text of message `key` with the number `n` as `{ $name }`, so the message
    /// can choose its plural form.
    pub fn message_count(&self, lang: Lang, key: &str, name: &str, n: u64) -> String {
        let mut fluent_args = FluentArgs::with_capacity(1);
        fluent_args.set(name, n);
        self.format(lang, key, Some(&fluent_args))
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(lang = lang.code(), key, "message missing");
            return key.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            // Only the key and the kind of error: argument values never reach the log.
            tracing::warn!(lang = lang.code(), key, errors = errors.len(), "message incomplete");
        }
        text.into_owned()
    }
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let resource = match FluentResource::try_new(lang.source().to_string()) {
        Ok(resource) => resource,
        // The unit tests parse both files without error; should a broken file ship
        // anyway, the entries that did parse are still served and the rest logged.
        Err((resource, errors)) => {
            tracing::error!(lang = lang.code(), errors = ?errors, "message file has errors");
            resource
        }
    };
    let locale: Vec<unic_langid::LanguageIdentifier> = lang.code().parse().into_iter().collect();
    let mut bundle = FluentBundle::new_concurrent(locale);
    // Pages are left-to-right only: no Unicode isolation marks around values.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(lang = lang.code(), errors = ?errors, "message file has duplicate keys");
    }
    bundle
}

/// The keys defined in a Fluent source: every line that starts a message.
pub fn defined_keys(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter_map(|line| {
            let (key, _) = line.split_once('=')?;
            let key = key.trim_end();
            let starts_a_message = key.starts_with(|c: char| c.is_ascii_lowercase())
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            starts_a_message.then_some(key)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_is_the_default_without_any_preference() {
        assert_eq!(Lang::default(), Lang::Vi);
        assert_eq!(Lang::from_accept_language(""), None);
        assert_eq!(Lang::from_accept_language("fr-FR, de;q=0.5"), None);
    }

    #[test]
    fn accept_language_picks_the_most_preferred_supported_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("vi-VN, en;q=0.8"), Some(Lang::Vi));
        assert_eq!(Lang::from_accept_language("fr, en;q=0.5, vi;q=0.7"), Some(Lang::Vi));
        assert_eq!(Lang::from_accept_language("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("en;q=0, vi;q=0.1"), Some(Lang::Vi));
        assert_eq!(Lang::from_accept_language("en;q=0"), None);
        assert_eq!(Lang::from_accept_language("en;q=oops"), Some(Lang::En));
    }

    #[test]
    fn both_message_files_parse_without_errors_or_duplicates() {
        for lang in Lang::ALL {
            let parsed = FluentResource::try_new(lang.source().to_string());
            assert!(parsed.is_ok(), "{}.ftl: {:?}", lang.code(), parsed.err().map(|e| e.1));
            let keys = defined_keys(lang.source());
            let mut unique = keys.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(keys.len(), unique.len(), "{}.ftl has a duplicate key", lang.code());
        }
    }

    #[test]
    fn both_languages_define_the_same_keys() {
        let mut vi = defined_keys(Lang::Vi.source());
        let mut en = defined_keys(Lang::En.source());
        vi.sort_unstable();
        en.sort_unstable();
        let only_vi: Vec<_> = vi.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !vi.contains(k)).collect();
        assert!(
            only_vi.is_empty() && only_en.is_empty(),
            "only in vi.ftl: {only_vi:?}; only in en.ftl: {only_en:?}"
        );
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let text = catalog().message_with(Lang::En, "scope-province", &[("name", "Hà Tĩnh")]);
        assert_eq!(text, "The whole province of Hà Tĩnh");
        assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'), "{text:?}");
    }

    #[test]
    fn a_missing_key_shows_as_itself_instead_of_failing_the_page() {
        assert_eq!(catalog().message(Lang::Vi, "no-such-key"), "no-such-key");
    }
}
