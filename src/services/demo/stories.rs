//! The kinds of case the demo tells, each consistent in itself: the forms of
//! violence and Article 3 acts with the GBVIMS type and context, who did it, the
//! risk factors that come with it, the help it usually needs, and a plain sentence
//! or two of what was reported (no graphic detail).

use crate::domain::vocabulary::{MeasureType, ServiceType};

/// Who the survivor is, which decides the stories that fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survivor {
    Woman,
    Elder,
    Child,
}

pub struct Story {
    pub survivor: Survivor,
    /// The forms of violence every case of this story has.
    pub forms: &'static [&'static str],
    /// Forms that come with it in some cases (each in about half of them).
    pub often_also: &'static [&'static str],
    /// Where it happened, as a worker writes it: a child's story never happens at
    /// her in-laws'.
    pub places: &'static [&'static str],
    pub acts: &'static [&'static str],
    pub gbv_type: &'static str,
    pub context: &'static str,
    /// The perpetrator's relation to her, the first the most common.
    pub relationships: &'static [&'static str],
    pub perpetrator_male: bool,
    /// The risk factors a checklist of this story may find.
    pub risk_factors: &'static [&'static str],
    pub services: &'static [ServiceType],
    pub measures: &'static [MeasureType],
    pub narratives: &'static [&'static str],
}

use MeasureType as M;
use ServiceType as S;

const PARTNER: &[&str] = &["spouse", "spouse", "spouse", "partner", "former_spouse"];

const WOMAN_AT_HOME: &[&str] =
    &["Tại nhà riêng", "Tại nhà riêng", "Tại nhà bố mẹ chồng", "Trên đường đi làm về"];
const ELDER_AT_HOME: &[&str] = &["Tại nhà riêng", "Tại nhà con trai"];
const CHILD_AT_HOME: &[&str] = &["Tại nhà", "Tại nhà ông bà"];
const CHILD_PLACES: &[&str] = &["Tại nhà", "Trên đường đi học về", "Tại nhà người quen của gia đình"];

/// Stories with their weights among the cases of one kind of survivor.
pub const STORIES: &[(u32, Story)] = &[
    (
        40,
        Story {
            survivor: Survivor::Woman,
            forms: &["physical"],
            often_also: &["mental"],
            places: WOMAN_AT_HOME,
            acts: &["harm_health_life", "offending_dignity"],
            gbv_type: "physical_assault",
            context: "intimate_partner",
            relationships: PARTNER,
            perpetrator_male: true,
            risk_factors: &[
                "threats_to_kill",
                "escalation",
                "substance_abuse",
                "prior_reports",
                "children_at_risk",
                "survivor_fears_for_life",
                "strangulation",
                "weapon",
                "no_safe_place",
                "separation",
                "pregnancy",
            ],
            services: &[S::Health, S::Police, S::Psychosocial, S::LegalAid, S::SafeHouse],
            measures: &[
                M::OrderToStop,
                M::SummonsToCommunePolice,
                M::NoContactOrder,
                M::MedicalCare,
                M::PerpetratorEducation,
            ],
            narratives: &[
                "Chị cho biết chồng thường say rượu và đánh chị. Tối hôm đó chị phải sang nhà hàng xóm lánh tạm.",
                "Trưởng thôn báo chị bị chồng đánh sau một lần cãi nhau về tiền. Chị bị bầm tím ở tay.",
                "Chị đến Ủy ban xã trình báo bị chồng xô ngã và đe dọa. Chị lo cho hai con nhỏ.",
                "Hàng xóm gọi điện báo nghe tiếng la hét. Chị xác nhận bị đánh nhiều lần trong tháng.",
            ],
        },
    ),
    (
        20,
        Story {
            survivor: Survivor::Woman,
            forms: &["mental"],
            often_also: &["economic"],
            places: WOMAN_AT_HOME,
            acts: &["offending_dignity", "isolation"],
            gbv_type: "psychological_abuse",
            context: "intimate_partner",
            relationships: PARTNER,
            perpetrator_male: true,
            risk_factors: &[
                "stalking",
                "escalation",
                "separation",
                "substance_abuse",
                "survivor_fears_for_life",
            ],
            services: &[S::Psychosocial, S::LegalAid],
            measures: &[M::OrderToStop, M::CommunityCriticism, M::LegalAidAndCounselling],
            narratives: &[
                "Chị cho biết chồng thường xuyên chửi mắng và không cho chị gặp bạn bè, người thân.",
                "Chị kể chồng kiểm tra điện thoại, theo dõi chị đi làm và đe dọa sẽ bỏ con lại cho chị.",
                "Chị đến Hội Phụ nữ xin tư vấn vì bị chồng xúc phạm trước mặt các con.",
            ],
        },
    ),
    (
        12,
        Story {
            survivor: Survivor::Woman,
            forms: &["economic"],
            often_also: &["mental"],
            places: WOMAN_AT_HOME,
            acts: &["economic_control", "property_appropriation", "forced_eviction"],
            gbv_type: "denial_of_resources",
            context: "intimate_partner",
            relationships: &["spouse", "spouse", "in_law", "former_spouse"],
            perpetrator_male: true,
            risk_factors: &["separation", "no_safe_place", "children_at_risk", "escalation"],
            services: &[S::LegalAid, S::Livelihood, S::SafeHouse],
            measures: &[M::OrderToStop, M::LegalAidAndCounselling, M::AdministrativeMeasures],
            narratives: &[
                "Chị cho biết chồng giữ toàn bộ tiền công của chị và đuổi chị ra khỏi nhà.",
                "Sau khi ly thân, chị bị gia đình chồng không cho về lấy đồ đạc và giấy tờ.",
                "Chị kể chồng bán xe máy của chị và không cho chị tiền mua sữa cho con.",
            ],
        },
    ),
    (
        8,
        Story {
            survivor: Survivor::Woman,
            forms: &["sexual"],
            often_also: &["physical", "mental"],
            places: WOMAN_AT_HOME,
            acts: &["forced_sex", "harm_health_life"],
            gbv_type: "sexual_assault",
            context: "intimate_partner",
            relationships: PARTNER,
            perpetrator_male: true,
            risk_factors: &[
                "sexual_violence",
                "threats_to_kill",
                "escalation",
                "survivor_fears_for_life",
                "separation",
            ],
            services: &[S::Health, S::Psychosocial, S::Police, S::SafeHouse],
            measures: &[M::NoContactOrder, M::MedicalCare, M::CriminalProcedure],
            narratives: &[
                "Chị cho biết bị chồng cưỡng ép quan hệ và đánh khi chị từ chối. Chị đã đến trạm y tế.",
                "Chị tìm đến đường dây nóng, kể bị người chồng cũ quấy rối và ép buộc.",
            ],
        },
    ),
    (
        10,
        Story {
            survivor: Survivor::Elder,
            forms: &["economic"],
            often_also: &["mental"],
            places: ELDER_AT_HOME,
            acts: &["neglect", "property_appropriation", "offending_dignity"],
            gbv_type: "denial_of_resources",
            context: "family_non_partner",
            relationships: &["child", "child", "in_law", "other_relative"],
            perpetrator_male: true,
            risk_factors: &["substance_abuse", "no_safe_place", "prior_reports", "escalation"],
            services: &[S::Health, S::SocialProtectionCentre, S::LegalAid],
            measures: &[M::OrderToStop, M::CommunityCriticism, M::MedicalCare],
            narratives: &[
                "Cụ cho biết con trai lấy hết tiền lương hưu và không chăm sóc khi cụ ốm.",
                "Tổ trưởng dân phố báo cụ sống một mình, bị con dâu mắng chửi và không cho ăn uống đầy đủ.",
            ],
        },
    ),
    (
        12,
        Story {
            survivor: Survivor::Child,
            forms: &["physical"],
            often_also: &["mental"],
            places: CHILD_PLACES,
            acts: &["harm_health_life", "forced_to_witness"],
            gbv_type: "physical_assault",
            context: "family_non_partner",
            relationships: &["parent", "step_parent", "parent"],
            perpetrator_male: true,
            risk_factors: &[
                "children_at_risk",
                "escalation",
                "substance_abuse",
                "prior_reports",
                "no_safe_place",
            ],
            services: &[S::Health, S::ChildProtection, S::Psychosocial, S::Education],
            measures: &[M::OrderToStop, M::SummonsToCommunePolice, M::NoContactOrder, M::MedicalCare],
            narratives: &[
                "Giáo viên chủ nhiệm báo em có vết bầm ở tay và lưng, em nói bị bố đánh khi bố say.",
                "Hàng xóm báo em thường bị đánh và phải chứng kiến bố đánh mẹ.",
            ],
        },
    ),
    (
        7,
        Story {
            survivor: Survivor::Child,
            forms: &["sexual"],
            often_also: &["mental"],
            places: CHILD_PLACES,
            acts: &["forced_sex"],
            gbv_type: "sexual_assault",
            context: "child_sexual_abuse",
            relationships: &["non_family", "other_relative", "step_parent"],
            perpetrator_male: true,
            risk_factors: &["sexual_violence", "children_at_risk", "survivor_fears_for_life"],
            services: &[S::Health, S::Police, S::ChildProtection, S::Psychosocial],
            measures: &[M::NoContactOrder, M::MedicalCare, M::CriminalProcedure],
            narratives: &[
                "Mẹ em đến trình báo em bị một người quen của gia đình sàm sỡ. Em đang sợ hãi, không muốn đi học.",
                "Nhà trường báo em kể với cô giáo bị người họ hàng có hành vi xâm hại.",
            ],
        },
    ),
    (
        5,
        Story {
            survivor: Survivor::Child,
            forms: &["mental"],
            often_also: &[],
            places: CHILD_AT_HOME,
            acts: &["neglect"],
            gbv_type: "denial_of_resources",
            context: "family_non_partner",
            relationships: &["parent", "other_relative"],
            perpetrator_male: false,
            risk_factors: &["children_at_risk", "no_safe_place"],
            services: &[S::ChildProtection, S::Education, S::SocialProtectionCentre],
            measures: &[M::OrderToStop, M::CommunityCriticism],
            narratives: &[
                "Trưởng thôn báo em thường bị bỏ ở nhà một mình nhiều ngày, không được đi học đều.",
            ],
        },
    ),
    (
        3,
        Story {
            survivor: Survivor::Child,
            forms: &["mental"],
            often_also: &[],
            places: CHILD_AT_HOME,
            acts: &["forced_marriage_divorce"],
            gbv_type: "forced_marriage",
            context: "early_marriage",
            relationships: &["parent"],
            perpetrator_male: true,
            risk_factors: &["children_at_risk", "separation"],
            services: &[S::ChildProtection, S::Education, S::LegalAid],
            measures: &[M::OrderToStop, M::LegalAidAndCounselling],
            narratives: &[
                "Nhà trường báo em sắp bị gia đình ép nghỉ học để lấy chồng. Em muốn tiếp tục đi học.",
            ],
        },
    ),
];

/// A story for this kind of survivor, by weight.
pub fn story_for(rng: &mut super::random::Rng, survivor: Survivor) -> &'static Story {
    let fitting: Vec<(u32, &'static Story)> =
        STORIES.iter().filter(|(_, s)| s.survivor == survivor).map(|(w, s)| (*w, s)).collect();
    rng.weighted(&fitting)
}

/// How a report came in: (weight, source, channel).
pub const REPORTS: &[(u32, (&str, &str))] = &[
    (20, ("village_head", "phone")),
    (18, ("self", "in_person")),
    (12, ("commune_committee", "in_person")),
    (12, ("police", "referral")),
    (10, ("mass_organisation", "in_person")),
    (8, ("hotline", "phone")),
    (6, ("health_facility", "referral")),
    (4, ("self", "message")),
    (3, ("other", "phone")),
];

/// How a child's case came in: teachers and neighbours first.
pub const CHILD_REPORTS: &[(u32, (&str, &str))] = &[
    (30, ("school", "in_person")),
    (20, ("village_head", "phone")),
    (15, ("police", "referral")),
    (15, ("health_facility", "referral")),
    (10, ("commune_committee", "in_person")),
    (10, ("hotline", "phone")),
];

/// How to reach her safely: a woman or an elder has a phone of her own; a child is
/// reached through an adult she trusts.
pub fn safe_contacts(survivor: Survivor) -> &'static [&'static str] {
    match survivor {
        Survivor::Woman => &[
            "Chỉ nhắn tin, không gọi vào buổi tối.",
            "Không gọi số nhà. Liên lạc qua chị gái.",
            "Gọi giờ hành chính; nếu người khác nghe máy thì nói gọi từ trạm y tế.",
            "Gặp trực tiếp tại nhà văn hóa thôn.",
            "Liên lạc qua mẹ đẻ.",
        ],
        Survivor::Elder => {
            &["Gọi vào buổi sáng, khi con trai đi làm.", "Gặp trực tiếp tại nhà văn hóa thôn."]
        }
        Survivor::Child => &[
            "Liên lạc qua giáo viên chủ nhiệm.",
            "Gặp em tại trường, có cô giáo chủ nhiệm cùng.",
            "Liên lạc qua bà ngoại.",
        ],
    }
}

/// What a worker writes after a contact, short and factual, in the words she uses
/// for this survivor: "chị" for a woman, "cụ" for an elder, "em" for a child.
pub fn notes(survivor: Survivor) -> &'static [&'static str] {
    match survivor {
        Survivor::Woman => &[
            "Đã gặp trực tiếp, chị bình tĩnh hơn và đồng ý tiếp tục tham vấn.",
            "Đã trao đổi với trưởng thôn về việc theo dõi an toàn.",
            "Gọi điện hỏi thăm, tình hình gia đình tạm ổn.",
            "Chị cho biết đã về ở cùng bố mẹ đẻ một thời gian.",
            "Đã phối hợp với công an xã nhắc nhở người có hành vi bạo lực.",
        ],
        Survivor::Elder => &[
            "Đã đến thăm, cụ khỏe hơn và được hàng xóm giúp đỡ.",
            "Đã trao đổi với tổ trưởng dân phố về việc chăm sóc cụ.",
            "Đã phối hợp với công an xã nhắc nhở người có hành vi bạo lực.",
        ],
        Survivor::Child => &[
            "Đã gặp em tại trường, có giáo viên chủ nhiệm cùng; em bình tĩnh hơn.",
            "Em đã đi học lại đều, giáo viên chủ nhiệm theo dõi thêm.",
            "Đã trao đổi với người giám hộ về kế hoạch an toàn cho em.",
            "Đã phối hợp với công an xã nhắc nhở người có hành vi bạo lực.",
        ],
    }
}

pub const FOLLOW_UPS: &[&str] = &[
    "Gọi điện hỏi thăm tình hình an toàn.",
    "Thăm nhà, kiểm tra kế hoạch an toàn.",
    "Hỏi kết quả khám sức khỏe.",
    "Trao đổi về kết quả trợ giúp pháp lý.",
];
