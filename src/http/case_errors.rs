//! How the refusals of case work read on the API: each with a stable code, a
//! Vietnamese title with the English after, and a detail that states the fact in
//! both languages from the same catalogue the pages use (`http::refusals`).

use crate::error::{AppError, FieldError};
use crate::http::pages::Lang;
use crate::http::refusals::fact;
use crate::services::cases::access::{CaseError, Versioned};

/// The fact in Vietnamese, then in English.
fn both(error: &CaseError) -> String {
    match (fact(Lang::Vi, error), fact(Lang::En, error)) {
        (Some(vi), Some(en)) => format!("{vi} {en}"),
        _ => String::new(),
    }
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        let detail = both(&e);
        let refused = |code, title, allowed: Vec<String>| AppError::Refused {
            code,
            title,
            detail: detail.clone(),
            allowed,
            current_version: None,
        };
        match e {
            CaseError::NotFound => AppError::NotFound,
            CaseError::Forbidden => AppError::Forbidden,
            CaseError::RateLimited { retry_after_s } => AppError::TooManyLookups { retry_after_s },
            CaseError::Invalid(problems) => AppError::Invalid(
                problems
                    .into_iter()
                    .map(|p| FieldError { field: p.field.to_string(), message: p.message })
                    .collect(),
            ),
            CaseError::Stale { record, current } => AppError::Refused {
                code: "stale_version",
                title: match record {
                    Versioned::Case => "Hồ sơ vừa được người khác lưu (the case was changed by someone else)",
                    Versioned::Referral => {
                        "Chuyển gửi vừa được người khác cập nhật (the referral was changed by someone else)"
                    }
                    Versioned::Placement => {
                        "Lượt tạm lánh vừa được người khác cập nhật (the placement was changed by someone else)"
                    }
                },
                detail,
                allowed: Vec::new(),
                current_version: Some(current),
            },
            CaseError::Transition(t) => refused(
                "transition_not_allowed",
                "Không thể chuyển bước này (step not allowed)",
                t.allowed.iter().map(|s| s.as_str().to_string()).collect(),
            ),
            CaseError::ReferralStep(r) => refused(
                "referral_step_not_allowed",
                "Không thể chuyển trạng thái chuyển gửi (referral step not allowed)",
                r.allowed.iter().map(|s| s.as_str().to_string()).collect(),
            ),
            CaseError::ConsentMissing { missing, .. } => refused(
                "consent_required",
                "Chưa có sự đồng ý cần thiết (consent required)",
                missing.iter().map(|g| g.as_str().to_string()).collect(),
            ),
            CaseError::ClosureBlocked(_) => {
                refused("closure_blocked", "Chưa thể đóng hồ sơ (the case cannot close yet)", Vec::new())
            }
            CaseError::AlreadyDecided => {
                refused("already_decided", "Yêu cầu này đã được quyết định (already decided)", Vec::new())
            }
            CaseError::AlreadyDone => {
                refused("already_done", "Việc này đã được thực hiện (already done)", Vec::new())
            }
            CaseError::AlreadyRequested => refused(
                "already_requested",
                "Đã có đề nghị đang chờ cán bộ giám sát (a request is waiting)",
                Vec::new(),
            ),
            CaseError::PlacementStep(p) => refused(
                "placement_step_not_allowed",
                "Không thể chuyển trạng thái tạm lánh (placement step not allowed)",
                p.allowed.iter().map(|s| s.as_str().to_string()).collect(),
            ),
            CaseError::Beds(_) => refused("not_enough_beds", "Không đủ chỗ (not enough places)", Vec::new()),
            CaseError::OverrideOnlyForChildren => refused(
                "override_only_for_children",
                "Chỉ hồ sơ trẻ em mới có ngoại lệ về sự đồng ý (override only for a child's case)",
                Vec::new(),
            ),
            CaseError::CaseClosed => refused("case_closed", "Hồ sơ đã đóng (the case is closed)", Vec::new()),
            CaseError::HouseUnavailable(_) => refused(
                "safe_house_unavailable",
                "Nơi tạm lánh không nhận được (safe house unavailable)",
                Vec::new(),
            ),
            CaseError::PlacementOpen { id, status, .. } => {
                AppError::PlacementOpen { detail, placement_id: id, placement_status: status.as_str() }
            }
            CaseError::Keys(e) => match e {
                crate::services::keys::KeysError::Store(store) => store.into(),
                other => AppError::Internal(other.to_string()),
            },
        }
    }
}
