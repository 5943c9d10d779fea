//! What makes a password acceptable (design §5, ASVS V6.2): at least 12
//! characters, at most 128, and not guessable — zxcvbn's estimate must reach
//! "safely unguessable" (score 3 of 4), with the account's own names counted as
//! known words, so "hanh.nguyen2025!" for user hanh.nguyen is refused.

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
    inputs.retain(|w| !w.is_empty());
    match zxcvbn::zxcvbn(password, &inputs).score() {
        zxcvbn::Score::Three | zxcvbn::Score::Four => Ok(()),
        _ => Err(PasswordProblem::TooGuessable),
    }
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
    fn a_few_unrelated_words_are_accepted() {
        assert_eq!(check_new_password("lúa chín đồng xanh mây trôi", &[]), Ok(()));
        assert_eq!(check_new_password("correct horse battery staple", &[]), Ok(()));
    }

    #[test]
    fn a_very_long_password_is_refused() {
        assert_eq!(check_new_password(&"a".repeat(129), &[]), Err(PasswordProblem::TooLong));
    }
}
