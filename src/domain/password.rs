//! What makes a password acceptable (design §5, ASVS V6.2): at least 12
//! characters, at most 128, and not guessable — zxcvbn's estimate must reach
//! "safely unguessable" (score 3 of 4), with the account's own names counted as
//! known words, so "hanh.nguyen2025!" for user hanh.nguyen is refused. The words
//! of this service's own context ([`CONTEXT_WORDS`]: its name, the province, the
//! roles) count as known for every account (ASVS 6.1.2, 6.2.11).

/// Why a password was refused; each says what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password must have at least 12 characters")]
    TooShort,
    #[error("the password must have at most 128 characters")]
    TooLong,
    #[error("the password is too common or too easy to guess: use a few unrelated words")]
    TooGuessable,
}

pub const MIN_CHARS: usize = 12;

/// Words anyone who knows the service would try first, for every account: the
/// service, its province and city, the kind of work and the roles, written
/// without accents or spaces (a password is compared in the same folded form).
pub const CONTEXT_WORDS: &[&str] =
    &["binhan", "hatinh", "thanhsen", "matkhau", "baoluc", "giadinh", "canbo", "giamsat", "quantri", "admin"];

/// Letters a password must keep once the context words, the account's own names
/// and the digits are taken out: "BinhAn2025binhan" keeps none.
const MIN_OWN_LETTERS: usize = 8;

pub const MAX_CHARS: usize = 128;

impl PasswordProblem {
    /// The same, for a Vietnamese reader.
    pub fn vietnamese(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "Mật khẩu phải có ít nhất 12 ký tự.",
            PasswordProblem::TooLong => "Mật khẩu chỉ được dài tối đa 128 ký tự.",
            PasswordProblem::TooGuessable => {
                "Mật khẩu quá phổ biến hoặc dễ đoán: hãy dùng vài từ không liên quan đến nhau."
            }
        }
    }
}

/// Checks a new password; `known` are words an attacker would try first (the
/// username, the display name).
pub fn check_new_password(password: &str, known: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let mut inputs: Vec<&str> = known.iter().flat_map(|k| k.split(|c: char| !c.is_alphanumeric())).collect();
    inputs.extend(known.iter().copied());
    inputs.extend(CONTEXT_WORDS.iter().copied());
    inputs.retain(|w| !w.is_empty());
    if own_letters(password, &inputs) < MIN_OWN_LETTERS {
        return Err(PasswordProblem::TooGuessable);
    }
    match zxcvbn::zxcvbn(password, &inputs).score() {
        zxcvbn::Score::Three | zxcvbn::Score::Four => Ok(()),
        _ => Err(PasswordProblem::TooGuessable),
    }
}

/// Lower-case ASCII letters and digits, accents and everything else dropped
/// ("Bình An!" is "binhan").
fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// How many letters of the password are not one of the `words` (of four
/// characters or more once folded) and not digits.
fn own_letters(password: &str, words: &[&str]) -> usize {
    let mut rest = folded(password);
    let mut words: Vec<String> = words.iter().map(|w| folded(w)).filter(|w| w.len() >= 4).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for word in &words {
        rest = rest.replace(word.as_str(), "");
    }
    rest.chars().filter(char::is_ascii_alphabetic).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_password_is_refused() {
        assert_eq!(check_new_password("Tr0ub4dor&3", &[]), Err(PasswordProblem::TooShort));
    }

    #[test]
    fn common_passwords_of_twelve_characters_are_refused() {
        for common in ["password1234", "123456789012", "qwertyuiopas", "iloveyou1234", "abc123abc123"] {
            assert_eq!(check_new_password(common, &[]), Err(PasswordProblem::TooGuessable), "{common}");
        }
    }

    #[test]
    fn the_users_own_name_does_not_make_a_password() {
        assert_eq!(
            check_new_password("hanh.nguyen2025", &["hanh.nguyen", "Nguyễn Thị Hạnh"]),
            Err(PasswordProblem::TooGuessable)
        );
    }

    #[test]
    fn the_name_of_the_service_and_of_the_province_do_not_make_a_password() {
        for guess in ["BinhAn2025binhan", "hatinh2025hatinh!", "Bình An Hà Tĩnh 2025", "quantri.binhan.2025"]
        {
            assert_eq!(check_new_password(guess, &[]), Err(PasswordProblem::TooGuessable), "{guess}");
        }
    }

    #[test]
    fn a_passphrase_of_128_characters_is_accepted() {
        let long: String = "núi cao sông dài mây trắng bay, ".repeat(4).chars().take(MAX_CHARS).collect();
        assert_eq!(long.chars().count(), 128);
        assert_eq!(check_new_password(&long, &[]), Ok(()));
    }

    #[test]
    fn a_few_unrelated_words_are_accepted() {
        assert_eq!(check_new_password("lúa chín đồng xanh mây trôi", &[]), Ok(()));
        assert_eq!(check_new_password("correct horse battery staple", &[]), Ok(()));
    }

    #[test]
    fn a_very_long_password_is_refused() {
        assert_eq!(check_new_password(&"a".repeat(129), &[]), Err(PasswordProblem::TooLong));
    }
}
