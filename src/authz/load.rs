//! Reading the policies: from the copy built into the binary, or from a folder
//! (BINHAN_POLICIES_DIR), and validating them strictly against the schema.

use std::path::{Path, PathBuf};

use cedar_policy::{PolicyId, PolicySet, Schema, ValidationMode, Validator};

/// The policies of `policies/`, built into the binary.
const BUILT_IN: [(&str, &str); 5] = [
    ("cases.cedar", include_str!("../../policies/cases.cedar")),
    ("placements.cedar", include_str!("../../policies/placements.cedar")),
    ("statistics.cedar", include_str!("../../policies/statistics.cedar")),
    ("administration.cedar", include_str!("../../policies/administration.cedar")),
    ("hard-lines.cedar", include_str!("../../policies/hard-lines.cedar")),
];
const BUILT_IN_SCHEMA: &str = include_str!("../../policies/schema.cedarschema");

#[derive(Debug, Clone)]
pub enum PolicySource {
    BuiltIn,
    /// A folder with `schema.cedarschema` and `*.cedar` files.
    Folder(PathBuf),
}

/// Why the policies could not be used, with the file and the validator's words.
#[derive(Debug, Clone, thiserror::Error)]
#[error("policy {file}: {message}")]
pub struct PolicyError {
    pub file: String,
    pub message: String,
}

fn error(file: &str, message: impl std::fmt::Display) -> PolicyError {
    // The validator's messages span lines; an operator reads them in one.
    let message = message.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    PolicyError { file: file.to_string(), message }
}

fn read_folder(folder: &Path) -> Result<(String, Vec<(String, String)>), PolicyError> {
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .map_err(|e| error(&path.display().to_string(), format!("cannot be read: {e}")))
    };
    let schema = read(&folder.join("schema.cedarschema"))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| error(&folder.display().to_string(), format!("cannot be read: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "cedar"))
        .collect();
    files.sort();
    let policies = files
        .iter()
        .map(|p| Ok((p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), read(p)?)))
        .collect::<Result<_, PolicyError>>()?;
    Ok((schema, policies))
}

pub fn load(source: &PolicySource) -> Result<(Schema, PolicySet), PolicyError> {
    let (schema_text, files) = match source {
        PolicySource::BuiltIn => (
            BUILT_IN_SCHEMA.to_string(),
            BUILT_IN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect::<Vec<_>>(),
        ),
        PolicySource::Folder(folder) => read_folder(folder)?,
    };
    let (schema, _warnings) =
        Schema::from_cedarschema_str(&schema_text).map_err(|e| error("schema.cedarschema", e))?;
    let mut set = PolicySet::new();
    for (file, text) in &files {
        let parsed: PolicySet = text.parse().map_err(|e| error(file, e))?;
        for (n, policy) in parsed.policies().enumerate() {
            let name = policy.annotation("id").map_or_else(|| n.to_string(), str::to_string);
            let renamed = policy.new_id(PolicyId::new(format!("{file}#{name}")));
            set.add(renamed).map_err(|e| error(file, e))?;
        }
    }
    if set.policies().next().is_none() {
        return Err(error("policies", "no policy found: everything would be refused"));
    }
    let result = Validator::new(schema.clone()).validate(&set, ValidationMode::Strict);
    if let Some(first) = result.validation_errors().next() {
        let file = first.policy_id().to_string();
        let file = file.split('#').next().unwrap_or_default().to_string();
        return Err(error(&file, first));
    }
    Ok((schema, set))
}
