//! Reading and writing the keyring file, which must stay readable by its owner only.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::CryptoError;
use super::keyring::Keyring;

/// A keyring is a few hundred bytes; anything far larger is not one.
const MAX_KEYRING_BYTES: u64 = 1 << 20;

/// The only file mode accepted for a keyring.
const KEYRING_MODE: u32 = 0o600;

fn file_error(path: &Path, reason: impl Into<String>) -> CryptoError {
    CryptoError::KeyringFile { path: path.to_path_buf(), reason: reason.into() }
}

impl Keyring {
    /// Loads a keyring file, refusing it unless its mode is exactly 0600 (on unix).
    ///
    /// # Errors
    /// [`CryptoError::KeyringFile`] naming the path and what was wrong (the mode
    /// found, an I/O error), or [`CryptoError::KeyringFormat`].
    pub fn load_file(path: &Path) -> Result<Self, CryptoError> {
        let mut file = File::open(path).map_err(|err| file_error(path, err.to_string()))?;
        // Checked on the open handle, not the path, so the file cannot be swapped in between.
        let metadata = file.metadata().map_err(|err| file_error(path, err.to_string()))?;
        if !metadata.is_file() {
            return Err(file_error(path, "not a regular file"));
        }
        check_mode(path, &metadata)?;
        if metadata.len() > MAX_KEYRING_BYTES {
            return Err(file_error(path, "too large to be a keyring"));
        }
        // Sized from the metadata so that reading never reallocates and leaves
        // copies of keys in freed memory; `len` is capped just above.
        let capacity = usize::try_from(metadata.len()).unwrap_or(0) + 1;
        let mut text = Zeroizing::new(String::with_capacity(capacity));
        file.read_to_string(&mut text).map_err(|err| file_error(path, err.to_string()))?;
        Self::from_toml_str(&text)
    }

    /// Writes a new keyring file with mode 0600, atomically (temporary file, then
    /// link into place). Refuses to overwrite an existing file: replacing a keyring
    /// by mistake would make every encrypted value unreadable.
    ///
    /// # Errors
    /// [`CryptoError::KeyringFile`] if the file exists or cannot be written.
    pub fn write_file(&self, path: &Path) -> Result<(), CryptoError> {
        self.write_atomically(path, |temp, path| {
            // A hard link fails if `path` exists, which a rename would silently replace.
            fs::hard_link(temp, path)?;
            fs::remove_file(temp)
        })
    }

    /// Replaces an existing keyring file atomically (temporary file with mode 0600,
    /// then rename): readers see the old keyring or the new one, never a mix.
    /// Used after rotating or retiring keys.
    ///
    /// # Errors
    /// [`CryptoError::KeyringFile`] if the file cannot be written.
    pub fn replace_file(&self, path: &Path) -> Result<(), CryptoError> {
        self.write_atomically(path, |temp, path| fs::rename(temp, path))
    }

    fn write_atomically(
        &self,
        path: &Path,
        put_in_place: impl FnOnce(&Path, &Path) -> std::io::Result<()>,
    ) -> Result<(), CryptoError> {
        let temp = temp_path(path)?;
        let result = write_private(&temp, self.to_toml_string().as_bytes())
            .and_then(|()| put_in_place(&temp, path))
            .and_then(|()| sync_parent(path));
        if result.is_err() {
            // The temporary may hold keys; do not leave it behind.
            let _ = fs::remove_file(&temp);
        }
        result.map_err(|err| file_error(path, err.to_string()))
    }
}

#[cfg(unix)]
fn check_mode(path: &Path, metadata: &fs::Metadata) -> Result<(), CryptoError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o7777;
    if mode == KEYRING_MODE {
        Ok(())
    } else {
        Err(file_error(path, format!("mode is {mode:04o}, must be 0600 (chmod 600 the file)")))
    }
}

#[cfg(not(unix))]
fn check_mode(_path: &Path, _metadata: &fs::Metadata) -> Result<(), CryptoError> {
    Ok(())
}

/// A hidden, randomly named file beside the target: same directory, so the
/// final link or rename stays within one filesystem.
fn temp_path(path: &Path) -> Result<PathBuf, CryptoError> {
    let name = path.file_name().ok_or_else(|| file_error(path, "not a file name"))?;
    let suffix = getrandom::u64().map_err(|_| CryptoError::Rng)?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".tmp-{suffix:016x}"));
    Ok(path.with_file_name(temp_name))
}

fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(KEYRING_MODE);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        // The umask can only remove bits; set the mode exactly so load_file accepts it.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(KEYRING_MODE))?;
    }
    file.write_all(contents)?;
    file.sync_all()
}

/// Makes the new directory entry durable, so a crash cannot lose the keyring.
#[cfg(unix)]
fn sync_parent(path: &Path) -> std::io::Result<()> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::crypto::KekId;

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn written_file_has_mode_0600_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.toml");
        let keyring = Keyring::generate().unwrap();
        keyring.write_file(&path).unwrap();
        assert_eq!(mode_of(&path), 0o600);
        let loaded = Keyring::load_file(&path).unwrap();
        assert_eq!(loaded.to_toml_string(), keyring.to_toml_string());
        // Only the keyring itself is left in the directory.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn load_refuses_mode_0644_naming_path_and_mode_not_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.toml");
        let keyring = Keyring::generate().unwrap();
        keyring.write_file(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let err = Keyring::load_file(&path).unwrap_err();
        assert!(matches!(err, CryptoError::KeyringFile { .. }));
        let message = err.to_string();
        assert!(message.contains(path.to_str().unwrap()), "{message}");
        assert!(message.contains("0644"), "{message}");
        let hex = keyring.index_key().to_hex();
        assert!(!message.contains(&hex[..16]), "{message}");
    }

    #[test]
    fn load_refuses_group_readable_0640_and_owner_only_read_0400() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.toml");
        Keyring::generate().unwrap().write_file(&path).unwrap();
        for mode in [0o640, 0o400, 0o700] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            assert!(Keyring::load_file(&path).is_err(), "mode {mode:o}");
        }
    }

    #[test]
    fn write_refuses_to_overwrite_but_replace_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.toml");
        let first = Keyring::generate().unwrap();
        first.write_file(&path).unwrap();
        let rotated = first.with_new_primary().unwrap();
        let err = rotated.write_file(&path).unwrap_err();
        assert!(matches!(err, CryptoError::KeyringFile { .. }));
        assert_eq!(Keyring::load_file(&path).unwrap().primary_id(), KekId(1));
        rotated.replace_file(&path).unwrap();
        assert_eq!(mode_of(&path), 0o600);
        assert_eq!(Keyring::load_file(&path).unwrap().primary_id(), KekId(2));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_file_error_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.toml");
        let message = Keyring::load_file(&path).unwrap_err().to_string();
        assert!(message.contains("absent.toml"), "{message}");
    }
}
