//! Random secrets for the rest of the system: session tokens, CSRF tokens,
//! recovery codes and generated passwords, straight from the OS.

use zeroize::Zeroizing;

use super::CryptoError;

/// `bytes` random bytes as lowercase hex (a 32-byte token is 64 characters).
pub fn random_hex(bytes: usize) -> Result<Zeroizing<String>, CryptoError> {
    let mut raw = Zeroizing::new(vec![0u8; bytes]);
    getrandom::fill(&mut raw).map_err(|_| CryptoError::Rng)?;
    Ok(Zeroizing::new(hex::encode(&*raw)))
}

/// `bytes` random bytes.
pub fn random_bytes(bytes: usize) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let mut raw = Zeroizing::new(vec![0u8; bytes]);
    getrandom::fill(&mut raw).map_err(|_| CryptoError::Rng)?;
    Ok(raw)
}

/// Letters and digits that cannot be mistaken for one another when read aloud or
/// copied from paper (no 0/o, 1/l/i).
const READABLE: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// `groups` groups of `len` readable characters joined by '-', for codes a person
/// types (recovery codes, first passwords). Each character carries ~4.95 bits.
pub fn readable_code(groups: usize, len: usize) -> Result<Zeroizing<String>, CryptoError> {
    let mut out = Zeroizing::new(String::with_capacity(groups * (len + 1)));
    let mut raw = Zeroizing::new(vec![0u8; groups * len * 2]);
    getrandom::fill(&mut raw).map_err(|_| CryptoError::Rng)?;
    for (i, pair) in raw.chunks_exact(2).enumerate() {
        if i > 0 && i % len == 0 {
            out.push('-');
        }
        // 16 bits reduced modulo 31: the bias is below 0.05 %.
        let n = u16::from_be_bytes([pair[0], pair[1]]) as usize % READABLE.len();
        out.push(READABLE[n] as char);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_asked_length_and_differ() {
        let a = random_hex(32).unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(*a, *random_hex(32).unwrap());
    }

    #[test]
    fn readable_codes_are_grouped_and_use_no_ambiguous_characters() {
        let code = readable_code(3, 5).unwrap();
        assert_eq!(code.len(), 17);
        assert_eq!(code.matches('-').count(), 2);
        assert!(code.chars().all(|c| c == '-' || READABLE.contains(&(c as u8))));
    }
}
