//! The fictional service providers cases are referred to: every kind of service
//! province-wide, and the health station and police of Chị Hạnh's communes, as a
//! worker would find them near her.

use chrono::NaiveDateTime;
use diesel::Connection;
use uuid::Uuid;

use super::communes::HANH_COMMUNES;
use crate::audit::{Actor, Event, Outcome};
use crate::domain::vocabulary::ServiceType;
use crate::store::DbConn;
use crate::store::case_work::{ProviderRow, insert_provider};

/// (service, commune or province-wide, name)
const PROVIDERS: &[(ServiceType, Option<&str>, &str)] = &[
    (ServiceType::Health, Some(HANH_COMMUNES[0]), "Trạm Y tế phường Thành Sen"),
    (ServiceType::Health, Some(HANH_COMMUNES[1]), "Trạm Y tế phường Trần Phú"),
    (ServiceType::Police, Some(HANH_COMMUNES[0]), "Công an phường Thành Sen"),
    (ServiceType::Police, Some(HANH_COMMUNES[1]), "Công an phường Trần Phú"),
    (ServiceType::Health, None, "Phòng khám Đa khoa Hồng Lam"),
    (ServiceType::Police, None, "Đội tiếp nhận tin báo Công an tỉnh"),
    (ServiceType::LegalAid, None, "Trung tâm Trợ giúp pháp lý Sông La"),
    (ServiceType::Psychosocial, None, "Phòng tham vấn tâm lý Ánh Dương"),
    (ServiceType::SocialProtectionCentre, None, "Trung tâm Bảo trợ xã hội Hồng Lĩnh"),
    (ServiceType::SafeHouse, None, "Nhà tạm lánh Bình Yên"),
    (ServiceType::Education, None, "Trung tâm Giáo dục thường xuyên Ngàn Phố"),
    (ServiceType::Livelihood, None, "Câu lạc bộ Sinh kế Hoa Sen"),
    (ServiceType::ChildProtection, None, "Văn phòng Bảo vệ trẻ em Cầu Vồng"),
];

pub struct Providers(Vec<ProviderRow>);

impl Providers {
    /// Registers the providers, each with its audit event, in one transaction.
    pub fn register(conn: &mut DbConn, now: NaiveDateTime) -> diesel::QueryResult<Providers> {
        conn.transaction(|conn| {
            let mut rows = Vec::new();
            for (service, commune, name) in PROVIDERS {
                let row = ProviderRow {
                    id: Uuid::now_v7().to_string(),
                    name: (*name).into(),
                    service_type: service.as_str().into(),
                    commune_code: commune.map(str::to_string),
                    active: true,
                };
                insert_provider(conn, &row)?;
                let event = Event::new(&Actor::command("demo"), "provider.create", Outcome::Success, now);
                crate::store::audit::append(conn, &event.on("service_provider", &row.id))?;
                rows.push(row);
            }
            Ok(Providers(rows))
        })
    }

    /// The provider of `service` in the case's commune, or the province-wide one.
    pub fn for_case(&self, service: ServiceType, commune: &str) -> Option<&str> {
        let of_service = || self.0.iter().filter(|p| p.service_type == service.as_str());
        of_service()
            .find(|p| p.commune_code.as_deref() == Some(commune))
            .or_else(|| of_service().find(|p| p.commune_code.is_none()))
            .map(|p| p.id.as_str())
    }
}
