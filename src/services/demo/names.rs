//! Fictional Vietnamese names and phone numbers, composed from common parts so
//! that no one is anybody: family name, middle name, given name.

use super::random::Rng;

const FAMILY: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
    "Đinh", "Thái",
];
const WOMAN_MIDDLE: [&str; 8] = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Thanh", "Ngọc", "Thị Kim"];
const WOMAN_GIVEN: [&str; 24] = [
    "Lan", "Hoa", "Hương", "Huyền", "Trang", "Linh", "Nga", "Hằng", "Thảo", "Yến", "Loan", "Nhung", "Oanh",
    "Phương", "Quyên", "Sen", "Tâm", "Thủy", "Vân", "Xuân", "Liên", "Mận", "Hiền", "Diệp",
];
const MAN_MIDDLE: [&str; 6] = ["Văn", "Văn", "Văn", "Đình", "Quang", "Minh"];
const MAN_GIVEN: [&str; 20] = [
    "Hùng", "Tuấn", "Minh", "Nam", "Cường", "Hải", "Sơn", "Thắng", "Tiến", "Long", "Bình", "Toàn", "Quý",
    "Lực", "Đức", "Khánh", "Hòa", "Trung", "Vinh", "Phúc",
];
const CHILD_MIDDLE_GIRL: [&str; 4] = ["Thị", "Ngọc", "Bảo", "Khánh"];
const CHILD_GIVEN_GIRL: [&str; 10] = ["Ánh", "Vy", "Ngân", "My", "Trâm", "Nhi", "Châu", "Hà", "Giang", "Thư"];
const CHILD_MIDDLE_BOY: [&str; 3] = ["Văn", "Gia", "Đức"];
const CHILD_GIVEN_BOY: [&str; 8] = ["Bảo", "Huy", "Khang", "Phát", "An", "Kiên", "Nhân", "Tùng"];

pub fn family(rng: &mut Rng) -> &'static str {
    rng.pick(&FAMILY)
}

pub fn woman(rng: &mut Rng) -> String {
    format!("{} {} {}", family(rng), rng.pick(&WOMAN_MIDDLE), rng.pick(&WOMAN_GIVEN))
}

pub fn man(rng: &mut Rng) -> String {
    let family = family(rng);
    man_of(rng, family)
}

/// A man of a given family: a child's father carries the child's family name.
pub fn man_of(rng: &mut Rng, family: &str) -> String {
    format!("{family} {} {}", rng.pick(&MAN_MIDDLE), rng.pick(&MAN_GIVEN))
}

pub fn child(rng: &mut Rng, family: &str, girl: bool) -> String {
    if girl {
        format!("{family} {} {}", rng.pick(&CHILD_MIDDLE_GIRL), rng.pick(&CHILD_GIVEN_GIRL))
    } else {
        format!("{family} {} {}", rng.pick(&CHILD_MIDDLE_BOY), rng.pick(&CHILD_GIVEN_BOY))
    }
}

/// A mobile number as people write it: `09x xxx xxxx`.
pub fn phone(rng: &mut Rng) -> String {
    format!("09{} {:03} {:04}", rng.range(0, 10), rng.range(0, 1000), rng.range(0, 10_000))
}

/// Where she lives, as a village or residential group, without a street.
pub fn address(rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        format!("Thôn {}", rng.range(1, 13))
    } else {
        format!("Tổ dân phố {}", rng.range(1, 16))
    }
}
