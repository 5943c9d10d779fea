//! Normal forms for blind indexes: two spellings a social worker would call
//! "the same person" must give the same string, since the index can only
//! reveal exact equality.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Vietnamese name: Unicode NFD, combining marks dropped, đ/Đ → d, lowercase,
/// whitespace collapsed to single spaces, trimmed.
///
/// "Nguyễn Thị Hoa", "nguyen thi  hoa" and "NGUYỄN THỊ HOA" all give
/// "nguyen thi hoa"; NFC and NFD spellings of one name agree.
#[must_use]
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfd() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_combining_mark(c) || is_invisible(c) {
            continue;
        }
        // Lowercasing can itself produce a mark ('İ' → "i\u{307}").
        for lower in c.to_lowercase().filter(|l| !is_combining_mark(*l)) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(fold_d(lower));
        }
    }
    out
}

/// Đ has no decomposition, so NFD leaves it; Ð (Icelandic eth) is what some
/// keyboards and old-encoding conversions produce for it.
fn fold_d(c: char) -> char {
    match c {
        'đ' | 'ð' => 'd',
        other => other,
    }
}

/// Zero-width characters that copy-paste from chat apps leaves inside names.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Vietnamese phone number in national form: digits only, with the country
/// code 84 (written "+84", "0084" or "84") replaced by the leading 0.
///
/// "+84 912 345 678", "0084912345678", "84912345678" and "0912345678" all give
/// "0912345678". Anything else keeps its digits as they are.
#[must_use]
pub fn normalize_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let subscriber = if let Some(rest) = digits.strip_prefix("0084") {
        Some(rest)
    } else if digits.starts_with("84") && (11..=12).contains(&digits.len()) {
        // 84 + 9 or 10 digits: an international number without "+". A national
        // number always starts with 0, so this cannot be one.
        digits.get(2..)
    } else {
        None
    };
    match subscriber {
        // "+84 0912…" is a common mistake: keep a single leading 0.
        Some(rest) if rest.starts_with('0') => rest.to_owned(),
        Some(rest) if !rest.is_empty() => format!("0{rest}"),
        _ => digits,
    }
}

/// Identity document number (CCCD, CMND, passport): ASCII digits and letters,
/// letters uppercased; spaces, dots and dashes dropped.
#[must_use]
pub fn normalize_id_number(id: &str) -> String {
    id.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_marks_case_and_extra_spaces() {
        assert_eq!(normalize_name("Nguyễn Thị Hoa"), "nguyen thi hoa");
        assert_eq!(normalize_name("  nguyen thi  hoa "), "nguyen thi hoa");
        assert_eq!(normalize_name("NGUYỄN THỊ HOA"), "nguyen thi hoa");
        assert_eq!(normalize_name("Nguyễn\tThị\u{a0}Hoa"), "nguyen thi hoa");
    }

    #[test]
    fn d_with_stroke_becomes_d() {
        assert_eq!(normalize_name("Đặng Văn Đức"), "dang van duc");
        assert_eq!(normalize_name("đỗ"), "do");
        assert_eq!(normalize_name("\u{D0}ặng"), "dang");
    }

    #[test]
    fn nfc_and_nfd_spellings_agree() {
        let nfc = "Nguyễn Thị Hòa";
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{300}a";
        assert_ne!(nfc, nfd);
        assert_eq!(normalize_name(nfc), normalize_name(nfd));
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(normalize_name("Ho\u{200B}a"), "hoa");
    }

    #[test]
    fn blank_names_normalize_to_empty() {
        assert_eq!(normalize_name(""), "");
        assert_eq!(normalize_name(" \t\n "), "");
    }

    #[test]
    fn phone_forms_share_the_national_form() {
        for form in [
            "+84 912 345 678",
            "0084912345678",
            "84912345678",
            "0912345678",
            "0912.345.678",
            "(+84) 912-345-678",
            "+84 0912 345 678",
        ] {
            assert_eq!(normalize_phone(form), "0912345678", "{form}");
        }
    }

    #[test]
    fn landline_with_country_code_keeps_its_area_code() {
        assert_eq!(normalize_phone("+84 239 3855 123"), "02393855123");
        assert_eq!(normalize_phone("02393855123"), "02393855123");
    }

    #[test]
    fn short_and_foreign_numbers_keep_their_digits() {
        assert_eq!(normalize_phone("111"), "111");
        assert_eq!(normalize_phone("8412345"), "8412345");
        assert_eq!(normalize_phone("+1 555 0100"), "15550100");
        assert_eq!(normalize_phone(""), "");
        assert_eq!(normalize_phone("không có"), "");
    }

    #[test]
    fn id_numbers_keep_digits_and_uppercase_letters() {
        assert_eq!(normalize_id_number("042 195 012 345"), "042195012345");
        assert_eq!(normalize_id_number("042-195.012345"), "042195012345");
        assert_eq!(normalize_id_number("c1234567"), "C1234567");
        assert_eq!(normalize_id_number(" "), "");
    }
}
