//! The entry point of the fuzz target `request_bodies` (fuzz/): bytes read as the
//! body of each JSON request of the API, the way the handlers read them, without
//! a server or a database.

use actix_web::ResponseError;
use actix_web::error::JsonPayloadError;
use serde::de::DeserializeOwned;

use super::{approvals, auth, body, case_work, cases, placements};
use crate::error::AppError;

/// Reads `bytes` as every request body type of the API; the answer is the status
/// each would get before any database work: 200 when it reads, 400 (not JSON,
/// wrong types) or 422 (an intake that breaks a rule) with a problem otherwise.
/// An intake that reads is also validated, as intake does before it stores it.
/// Never panics, whatever the bytes.
#[must_use]
pub fn read_bodies(bytes: &[u8], now: chrono::DateTime<chrono::Utc>) -> Vec<u16> {
    let mut statuses = vec![
        status(read::<auth::LoginBody>(bytes)),
        status(read::<auth::UnlockBody>(bytes)),
        status(read::<auth::PasswordBody>(bytes)),
        status(read::<auth::ConfirmBody>(bytes)),
        status(read::<cases::SearchBody>(bytes)),
        status(read::<cases::DuplicateBody>(bytes)),
        status(read::<cases::EditBody>(bytes)),
        status(read::<cases::TransitionBody>(bytes)),
        status(read::<cases::ClosureBody>(bytes)),
        status(read::<case_work::RiskBody>(bytes)),
        status(read::<case_work::ConsentBody>(bytes)),
        status(read::<case_work::OverrideBody>(bytes)),
        status(read::<case_work::MeasureBody>(bytes)),
        status(read::<case_work::NoteBody>(bytes)),
        status(read::<case_work::ReferralBody>(bytes)),
        status(read::<case_work::ReferralPatch>(bytes)),
        status(read::<case_work::ErasureBody>(bytes)),
        status(read::<placements::HouseBody>(bytes)),
        status(read::<placements::PlacementBody>(bytes)),
        status(read::<placements::StepBody>(bytes)),
        status(read::<placements::VersionBody>(bytes)),
        status(read::<approvals::DecisionBody>(bytes)),
    ];
    let intake = read::<cases::IntakeBody>(bytes).and_then(cases::IntakeBody::into_draft).and_then(|draft| {
        crate::domain::intake::validate(&draft, now).map(drop).map_err(|problems| {
            AppError::Invalid(
                problems
                    .into_iter()
                    .map(|p| crate::error::FieldError { field: p.field.to_string(), message: p.message })
                    .collect(),
            )
        })
    });
    statuses.push(status(intake));
    statuses
}

fn read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| body::problem(&JsonPayloadError::Deserialize(e)))
}

fn status<T>(outcome: Result<T, AppError>) -> u16 {
    match outcome {
        Ok(_) => 200,
        Err(error) => {
            // The problem is built as it would be sent.
            let _ = error.problem();
            error.status_code().as_u16()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_do_not_read_are_400_and_an_empty_intake_is_422() {
        let now = chrono::Utc::now();
        assert!(read_bodies(b"not json", now).iter().all(|&s| s == 400));
        let empty = read_bodies(b"{}", now);
        assert_eq!(empty.last(), Some(&422), "an empty intake breaks its rules");
        assert!(empty.iter().all(|&s| s == 200 || s == 400 || s == 422));
    }
}
