//! The keyring's text form (TOML):
//!
//! ```toml
//! [[kek]]
//! id = 1
//! state = "primary"        # or "decrypt_only", or "retired" (then no key line)
//! key = "<64 hex digits>"
//!
//! [blind_index]
//! key = "<64 hex digits>"
//! ```
//!
//! The table is walked by hand rather than through serde so that no error
//! message can echo a value: serde and the TOML parser quote offending input,
//! and in this file the input is key material.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use toml::{Table, Value};
use zeroize::{Zeroize, Zeroizing};

use super::CryptoError;
use super::cipher::AeadKey;
use super::keyring::{Kek, KekId, KekState, Keyring};
use super::secret_key::Key256;

impl Keyring {
    /// Parses a keyring from its TOML text (a file's contents or an environment variable).
    ///
    /// # Errors
    /// [`CryptoError::KeyringFormat`] naming the entry at fault, never its value.
    pub fn from_toml_str(text: &str) -> Result<Self, CryptoError> {
        let mut table: Table = text.parse().map_err(|err: toml::de::Error| {
            // Only the line number: the parser's own message quotes the input.
            match err.span() {
                Some(span) => {
                    let before = &text.as_bytes()[..span.start.min(text.len())];
                    let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
                    format_error(format!("TOML syntax error on line {line}"))
                }
                None => format_error("TOML syntax error".into()),
            }
        })?;
        let parsed = parse_table(&table);
        wipe_strings(&mut table);
        parsed
    }

    /// The keyring as TOML text, for writing a new or rotated keyring file.
    /// The buffer is wiped when dropped.
    #[must_use]
    pub fn to_toml_string(&self) -> Zeroizing<String> {
        // Sized up front: growing the buffer would leave copies of keys in freed memory.
        let mut out = Zeroizing::new(String::with_capacity(256 + 160 * self.keks().len()));
        out.push_str(
            "# Bình An keyring. Keep this file secret, mode 0600, and backed up apart\n\
             # from the database: without it, no personal data can be read.\n",
        );
        for (id, kek) in self.keks() {
            // Writing to a String cannot fail.
            let _ = write!(out, "\n[[kek]]\nid = {id}\nstate = \"{}\"\n", kek.state);
            if let Some(key) = &kek.key {
                out.push_str("key = \"");
                out.push_str(&key.key().to_hex());
                out.push_str("\"\n");
            }
        }
        out.push_str("\n[blind_index]\nkey = \"");
        out.push_str(&self.index_key().to_hex());
        out.push_str("\"\n");
        out
    }
}

fn format_error(message: String) -> CryptoError {
    CryptoError::KeyringFormat(message)
}

fn parse_table(table: &Table) -> Result<Keyring, CryptoError> {
    for name in table.keys() {
        if name != "kek" && name != "blind_index" {
            return Err(format_error(format!(
                "unexpected entry {}; expected [[kek]] and [blind_index]",
                quote_name(name)
            )));
        }
    }
    let entries = match table.get("kek") {
        Some(Value::Array(entries)) => entries,
        Some(_) => {
            return Err(format_error("kek must be an array of tables [[kek]]".into()));
        }
        None => return Err(format_error("no [[kek]] entry".into())),
    };
    let mut keks = BTreeMap::new();
    for (position, entry) in entries.iter().enumerate() {
        let (id, kek) = parse_kek(position + 1, entry)?;
        if keks.insert(id, kek).is_some() {
            return Err(format_error(format!("kek {id} appears more than once")));
        }
    }
    let index_key = parse_blind_index(table.get("blind_index"))?;
    Keyring::assemble(keks, index_key)
}

fn parse_kek(position: usize, entry: &Value) -> Result<(KekId, Kek), CryptoError> {
    let where_ = format!("[[kek]] number {position}");
    let Value::Table(fields) = entry else {
        return Err(format_error(format!("{where_} is not a table")));
    };
    for name in fields.keys() {
        if !matches!(name.as_str(), "id" | "state" | "key") {
            return Err(format_error(format!(
                "{where_}: unexpected field {}; expected id, state, key",
                quote_name(name)
            )));
        }
    }
    let id = match fields.get("id") {
        Some(Value::Integer(id)) => u32::try_from(*id)
            .map(KekId)
            .map_err(|_| format_error(format!("{where_}: id must be between 0 and {}", u32::MAX)))?,
        Some(_) => return Err(format_error(format!("{where_}: id must be an integer"))),
        None => return Err(format_error(format!("{where_}: id is missing"))),
    };
    let state = match fields.get("state") {
        Some(Value::String(state)) => KekState::parse(state).ok_or_else(|| {
            format_error(format!("kek {id}: state must be primary, decrypt_only or retired"))
        })?,
        Some(_) => return Err(format_error(format!("kek {id}: state must be a string"))),
        None => return Err(format_error(format!("kek {id}: state is missing"))),
    };
    let key = match fields.get("key") {
        Some(value) => Some(AeadKey::new(parse_key(value, &format!("kek {id}"))?)),
        None => None,
    };
    Ok((id, Kek { state, key }))
}

fn parse_blind_index(section: Option<&Value>) -> Result<Key256, CryptoError> {
    let Some(Value::Table(fields)) = section else {
        return Err(format_error("[blind_index] section is missing".into()));
    };
    for name in fields.keys() {
        if name != "key" {
            return Err(format_error(format!(
                "[blind_index]: unexpected field {}; expected key",
                quote_name(name)
            )));
        }
    }
    match fields.get("key") {
        Some(value) => parse_key(value, "[blind_index]"),
        None => Err(format_error("[blind_index]: key is missing".into())),
    }
}

fn parse_key(value: &Value, owner: &str) -> Result<Key256, CryptoError> {
    match value {
        Value::String(hex) => Key256::from_hex(hex)
            .ok_or_else(|| format_error(format!("{owner}: key must be 64 hexadecimal digits"))),
        _ => Err(format_error(format!("{owner}: key must be a string"))),
    }
}

/// Field names are quoted to help fix typos, unless long enough to be a pasted key.
fn quote_name(name: &str) -> String {
    if name.chars().count() <= 24 { format!("`{name}`") } else { "(a long name, not shown)".into() }
}

/// Best effort: the parsed table holds copies of the key hex strings.
fn wipe_strings(table: &mut Table) {
    for (_, value) in table.iter_mut() {
        wipe_value(value);
    }
}

fn wipe_value(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe_value),
        Value::Table(table) => wipe_strings(table),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    const KEY_B: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    fn keyring_text(keks: &str) -> String {
        format!("{keks}\n[blind_index]\nkey = \"{KEY_B}\"\n")
    }

    #[test]
    fn toml_round_trip_keeps_ids_states_and_keys() {
        let keyring = Keyring::generate()
            .unwrap()
            .with_new_primary()
            .unwrap()
            .with_new_primary()
            .unwrap()
            .retire(KekId(1))
            .unwrap();
        let text = keyring.to_toml_string();
        let back = Keyring::from_toml_str(&text).unwrap();
        assert_eq!(back.ids_and_states(), keyring.ids_and_states());
        assert_eq!(back.primary_id(), KekId(3));
        assert_eq!(back.to_toml_string(), text);
        assert_eq!(back.index_key().expose(), keyring.index_key().expose());
    }

    #[test]
    fn retired_kek_is_written_without_key() {
        let keyring = Keyring::generate().unwrap().with_new_primary().unwrap().retire(KekId(1)).unwrap();
        let text = keyring.to_toml_string();
        assert_eq!(text.matches("key = ").count(), 2, "kek 2 and blind index");
    }

    #[test]
    fn reads_the_documented_format() {
        let text = keyring_text(&format!(
            "[[kek]]\nid = 1\nstate = \"decrypt_only\"\nkey = \"{KEY_A}\"\n\
             [[kek]]\nid = 7\nstate = \"primary\"\nkey = \"{KEY_B}\"\n"
        ));
        let keyring = Keyring::from_toml_str(&text).unwrap();
        assert_eq!(keyring.primary_id(), KekId(7));
    }

    fn format_error_of(text: &str) -> String {
        match Keyring::from_toml_str(text) {
            Err(CryptoError::KeyringFormat(message)) => message,
            other => panic!("expected a format error, got {other:?}"),
        }
    }

    #[test]
    fn rejects_zero_or_two_primaries() {
        let none = keyring_text(&format!("[[kek]]\nid = 1\nstate = \"decrypt_only\"\nkey = \"{KEY_A}\"\n"));
        assert!(format_error_of(&none).contains("no primary"));
        let two = keyring_text(&format!(
            "[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{KEY_A}\"\n\
             [[kek]]\nid = 2\nstate = \"primary\"\nkey = \"{KEY_A}\"\n"
        ));
        assert!(format_error_of(&two).contains("more than one primary"));
    }

    #[test]
    fn rejects_duplicate_ids() {
        let text = keyring_text(&format!(
            "[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{KEY_A}\"\n\
             [[kek]]\nid = 1\nstate = \"decrypt_only\"\nkey = \"{KEY_A}\"\n"
        ));
        assert!(format_error_of(&text).contains("more than once"));
    }

    #[test]
    fn rejects_a_retired_kek_that_keeps_its_key() {
        let text = keyring_text(&format!(
            "[[kek]]\nid = 1\nstate = \"retired\"\nkey = \"{KEY_A}\"\n\
             [[kek]]\nid = 2\nstate = \"primary\"\nkey = \"{KEY_B}\"\n"
        ));
        assert!(format_error_of(&text).contains("retired"));
    }

    #[test]
    fn rejects_missing_blind_index_key() {
        let text = format!("[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{KEY_A}\"\n");
        assert!(format_error_of(&text).contains("blind_index"));
    }

    #[test]
    fn format_errors_never_echo_key_material() {
        let almost = &KEY_A[..63];
        let bad_digit = format!("{}g", &KEY_A[..63]);
        let cases = [
            // a key one digit short, and one with a non-hex digit
            format!("[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{almost}\"\n"),
            format!("[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{bad_digit}\"\n"),
            // a key pasted into the state field, or as a field name
            format!("[[kek]]\nid = 1\nstate = \"{KEY_A}\"\nkey = \"{KEY_A}\"\n"),
            format!("[[kek]]\nid = 1\nstate = \"primary\"\n{KEY_A} = 1\n"),
            // a syntax error on the key line
            format!("[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{KEY_A}\n"),
            format!("[[kek]]\nid = 1\nstate = \"primary\"\nkey = {KEY_A}\n"),
        ];
        for case in cases {
            let message = Keyring::from_toml_str(&keyring_text(&case)).unwrap_err().to_string();
            assert!(!message.contains(&KEY_A[..16]), "{message}");
            assert!(!message.contains(&KEY_B[..16]), "{message}");
        }
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let text = "[[kek]]\nid = 1\nstate = primary\n";
        assert!(format_error_of(text).contains("line 3"), "{}", format_error_of(text));
    }
}
