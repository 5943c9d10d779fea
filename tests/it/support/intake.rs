//! A report as a social worker types it in, for the tests that send intakes over
//! HTTP (the process tests, the load test).

use serde_json::{Value, json};

/// The texts of a report, other than the survivor's name.
pub struct IntakeTexts {
    pub phone: &'static str,
    pub address: &'static str,
    pub narrative: &'static str,
    pub place: &'static str,
    pub perpetrator: &'static str,
}

pub fn intake_texts() -> IntakeTexts {
    IntakeTexts {
        phone: "0912 345 678",
        address: "Tổ dân phố 5, phường Thành Sen",
        narrative: "Bị chồng đánh, đe doạ khi say rượu.",
        place: "Tại nhà",
        perpetrator: "Trần Văn Hùng",
    }
}

/// The body of `POST /api/v1/cases`: survivor, incident, perpetrator, reported
/// an hour ago to `commune`.
pub fn intake_json(name: &str, commune: &str) -> Value {
    let t = intake_texts();
    json!({
        "report_source": "police",
        "report_channel": "phone",
        "reported_at": (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
        "commune_code": commune,
        "survivor": {"full_name": name, "sex": "female", "age_group": "25-59", "phone": t.phone,
                     "address": t.address},
        "incident": {"forms": ["physical", "mental"], "narrative": t.narrative, "place": t.place},
        "perpetrator": {"relationship": "spouse", "full_name": t.perpetrator, "sex": "male"}
    })
}
