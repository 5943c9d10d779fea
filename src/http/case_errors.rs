//! How the refusals of case work read on the API and the pages: each with a
//! stable code, a Vietnamese title and detail first, the English after.

use crate::domain::lifecycle::CaseStatus;
use crate::error::{AppError, FieldError};
use crate::http::pages::Lang;
use crate::http::pages::i18n::catalog;
use crate::http::pages::vocab::label_key;
use crate::services::cases::access::CaseError;

fn vi(key: &str) -> String {
    catalog().message(Lang::Vi, key)
}

fn status_names(steps: &[CaseStatus]) -> String {
    steps
        .iter()
        .map(|s| vi(&crate::http::pages::vocab::label_key("status", s.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        let refused = |code, title, detail: String, allowed: Vec<String>| AppError::Refused {
            code,
            title,
            detail,
            allowed,
            current_version: None,
        };
        match e {
            CaseError::NotFound => AppError::NotFound,
            CaseError::Forbidden => AppError::Forbidden,
            CaseError::Invalid(problems) => AppError::Invalid(
                problems.into_iter().map(|p| FieldError { field: p.field.to_string(), message: p.message }).collect(),
            ),
            CaseError::Stale { current } => AppError::Refused {
                code: "stale_version",
                title: "Hồ sơ vừa được người khác lưu (changed by someone else)",
                detail: format!(
                    "Hồ sơ đã được lưu bởi người khác sau khi bạn mở nó: hãy xem lại và lưu lại. \
                     Someone saved this case after you opened it (now version {current}): review and save again."
                ),
                allowed: Vec::new(),
                current_version: Some(current),
            },
            CaseError::Transition(t) => refused(
                "transition_not_allowed",
                "Không thể chuyển bước này (step not allowed)",
                format!(
                    "Hồ sơ ở bước “{}” không thể chuyển sang “{}”; có thể chuyển sang: {}. {t}.",
                    vi(&format!("status-{}", t.from.as_str())),
                    vi(&format!("status-{}", t.to.as_str())),
                    status_names(t.allowed),
                ),
                t.allowed.iter().map(|s| s.as_str().to_string()).collect(),
            ),
            CaseError::ReferralStep(r) => refused(
                "referral_step_not_allowed",
                "Không thể chuyển trạng thái chuyển gửi (referral step not allowed)",
                format!("Chuyển gửi đang ở trạng thái “{}”. {r}.", r.from.as_str()),
                r.allowed.iter().map(|s| s.as_str().to_string()).collect(),
            ),
            CaseError::ConsentMissing { purpose, missing } => refused(
                "consent_required",
                "Chưa có sự đồng ý cần thiết (consent required)",
                format!(
                    "Cần sự đồng ý cho mục đích “{}” của: {}; hoặc giám sát viên phê duyệt ngoại lệ vì lợi ích tốt nhất. \
                     Consent for {} is missing from: {}; or a supervisor approves a best-interest override.",
                    vi(&format!("consent-purpose-{}", purpose.as_str())),
                    missing.iter().map(|g| vi(&format!("consent-giver-{}", g.as_str()))).collect::<Vec<_>>().join(", "),
                    purpose.as_str(),
                    missing.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(", "),
                ),
                missing.iter().map(|g| g.as_str().to_string()).collect(),
            ),
            CaseError::ClosureBlocked(b) => refused(
                "closure_blocked",
                "Chưa thể đóng hồ sơ (the case cannot close yet)",
                format!(
                    "Còn {} chuyển gửi đang mở và {} lượt tạm lánh đang diễn ra: hãy kết thúc chúng trước. {b}.",
                    b.open_referrals, b.active_placements
                ),
                Vec::new(),
            ),
            CaseError::AlreadyDecided => refused(
                "already_decided",
                "Yêu cầu này đã được quyết định (already decided)",
                "Yêu cầu này đã được quyết định. This request was decided already.".into(),
                Vec::new(),
            ),
            CaseError::AlreadyDone => refused(
                "already_done",
                "Việc này đã được thực hiện (already done)",
                "Việc này đã được thực hiện hoặc hồ sơ đã bị xóa dữ liệu. This was done already, or the case was erased.".into(),
                Vec::new(),
            ),
            CaseError::AlreadyRequested => refused(
                "already_requested",
                "Đã có yêu cầu đang chờ giám sát viên (a request is waiting)",
                "Một yêu cầu cùng loại đang chờ giám sát viên quyết định. A request of this kind already waits for a supervisor.".into(),
                Vec::new(),
            ),
            CaseError::PlacementStep(p) => refused(
                "placement_step_not_allowed",
                "Không thể chuyển trạng thái tạm lánh (placement step not allowed)",
                format!(
                    "Lượt tạm lánh đang ở trạng thái “{}”; có thể chuyển sang: {}. {p}.",
                    vi(&label_key("placement-status", p.from.as_str())),
                    p.allowed.iter().map(|s| vi(&label_key("placement-status", s.as_str()))).collect::<Vec<_>>().join(", "),
                ),
                p.allowed.iter().map(|s| s.as_str().to_string()).collect(),
            ),
            CaseError::Beds(b) => refused(
                "not_enough_beds",
                "Không đủ giường (not enough beds)",
                match b {
                    crate::domain::placement::BedsRefused::MoreThanCapacity { capacity, needed } => format!(
                        "Nơi này chỉ có {capacity} giường, cần {needed} giường (người bị bạo lực và trẻ đi cùng): hãy chọn nơi khác. {b}."
                    ),
                    crate::domain::placement::BedsRefused::NotEnoughFree { free, needed } => format!(
                        "Hiện chỉ còn {free} giường trống, cần {needed}: hãy chọn nơi khác hoặc chờ. {b}."
                    ),
                },
                Vec::new(),
            ),
            CaseError::OverrideOnlyForChildren => refused(
                "override_only_for_children",
                "Chỉ hồ sơ trẻ em mới có ngoại lệ về sự đồng ý (override only for a child's case)",
                "Sự từ chối hoặc rút lại đồng ý của người trưởng thành phải được tôn trọng; ngoại lệ vì lợi ích tốt nhất chỉ dành cho trẻ em. \
                 An adult's refusal or withdrawal of consent stands; a best-interest override is only for a child."
                    .into(),
                Vec::new(),
            ),
            CaseError::CaseClosed => refused(
                "case_closed",
                "Hồ sơ đã đóng (the case is closed)",
                "Hồ sơ đã đóng: hãy mở lại hồ sơ trước. The case is closed: reopen it first.".into(),
                Vec::new(),
            ),
            CaseError::HouseUnavailable(why) => refused(
                "safe_house_unavailable",
                "Nơi tạm lánh không nhận được (safe house unavailable)",
                format!(
                    "{} The safe house cannot take this placement: {why}.",
                    match why {
                        "inactive" => "Nơi tạm lánh này đang ngừng hoạt động.",
                        "no_children" => "Nơi tạm lánh này không nhận trẻ em.",
                        _ => "Nơi tạm lánh này không nhận được lượt tạm lánh này.",
                    }
                ),
                Vec::new(),
            ),
            CaseError::PlacementOpen { id, status, house: _ } => AppError::PlacementOpen {
                detail: format!(
                    "Hồ sơ này đã có một lượt tạm lánh đang mở (trạng thái “{}”): mỗi hồ sơ chỉ có một. \
                     Hãy hủy yêu cầu đó; nếu cần chuyển nơi, nơi tạm lánh ghi nhận rời đi với lý do “{}”, rồi gửi yêu cầu mới. \
                     The case already has an open placement ({status}): one at a time. Cancel it; to move, \
                     the house checks out with the outcome transferred, then send a new request.",
                    vi(&label_key("placement-status", status.as_str())),
                    vi(&label_key("check-out-outcome", "transferred")),
                ),
                placement_id: id,
                placement_status: status.as_str(),
            },
            CaseError::Keys(e) => match e {
                crate::services::keys::KeysError::Store(store) => store.into(),
                other => AppError::Internal(other.to_string()),
            },
        }
    }
}
