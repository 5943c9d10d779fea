use proptest::prelude::*;

use super::*;

fn options() -> ListOptions {
    ListOptions {
        province: UnitCode::parse("42").unwrap(),
        valid_from: None,
        valid_to: None,
        effective: None,
    }
}

fn units(list: UnitList) -> Vec<AdminUnit> {
    match list {
        UnitList::Units(units) => units.into_iter().map(|n| n.item).collect(),
        UnitList::Successions(_) => panic!("expected units"),
    }
}

const COMMUNES_2025: &str = include_str!("../../../reference/ha-tinh/hatinh_communes_2025.csv");
const UNITS_PRE_2025: &str = include_str!("../../../reference/ha-tinh/hatinh_units_pre2025.csv");
const MERGE_2025: &str = include_str!("../../../reference/ha-tinh/hatinh_merge_2025.csv");

#[test]
fn the_2025_list_of_ha_tinh_has_60_xa_and_9_phuong_under_the_province() {
    let communes = units(parse_unit_list(COMMUNES_2025.as_bytes(), &options()).unwrap());
    assert_eq!(communes.len(), 69);
    assert_eq!(communes.iter().filter(|u| u.kind == UnitKind::Xa).count(), 60);
    assert_eq!(communes.iter().filter(|u| u.kind == UnitKind::Phuong).count(), 9);
    assert!(communes.iter().all(|u| u.parent_code.as_ref().unwrap().as_str() == "42"));
    assert!(communes.iter().all(|u| u.valid_from == Some(REFORM_DATE) && u.valid_to.is_none()));
}

#[test]
fn the_pre_reform_list_reads_kinds_from_name_prefixes() {
    let list = units(parse_unit_list(UNITS_PRE_2025.as_bytes(), &options()).unwrap());
    assert_eq!(list.len(), 221);
    assert_eq!(list.iter().filter(|u| u.kind == UnitKind::District).count(), 12);
    let nam_ha = list.iter().find(|u| u.code.as_str() == "18073").unwrap();
    assert_eq!((nam_ha.name.as_str(), nam_ha.kind), ("Nam Hà", UnitKind::Phuong));
    assert_eq!(nam_ha.valid_to, Some(PRE_REFORM_LIST_TO));
}

#[test]
fn the_merger_mapping_marks_the_two_split_communes_as_partial() {
    let UnitList::Successions(rows) = parse_unit_list(MERGE_2025.as_bytes(), &options()).unwrap() else {
        panic!("expected successions")
    };
    assert_eq!(rows.len(), 212);
    let mut partial: Vec<_> =
        rows.iter().filter(|r| r.item.share == Share::Partial).map(|r| r.item.old_code.as_str()).collect();
    partial.dedup();
    assert_eq!(partial, ["18082", "18796"]);
}

#[test]
fn a_broken_row_names_its_line_and_reason() {
    let text = "code,name,kind\n18073,Thành Sen,phuong\n1807,Trần Phú,phuong\n";
    let err = parse_unit_list(text.as_bytes(), &options()).unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.reason.contains("1807"), "{err}");

    let text = "code,name,kind\n18073,Thành Sen,phuong\n18100,Trần Phú\n";
    assert_eq!(
        parse_unit_list(text.as_bytes(), &options()).unwrap_err().to_string(),
        "line 3: has 2 columns where the header has 3"
    );

    let text = "code,name,kind\n18073,Thành Sen,ward\n";
    assert!(parse_unit_list(text.as_bytes(), &options()).unwrap_err().reason.contains("ward"));
}

#[test]
fn invalid_utf8_is_refused_with_its_line() {
    let mut bytes = b"code,name,kind\n18073,Th\xe0nh,phuong\n".to_vec();
    bytes.extend_from_slice(b"18100,Tr,phuong\n");
    let err = parse_unit_list(&bytes, &options()).unwrap_err();
    assert_eq!(err.line, 2);
}

#[test]
fn an_unknown_header_says_which_headers_are_accepted() {
    let err = parse_unit_list(b"ma,ten\n1,2\n", &options()).unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.reason.contains("code,name,kind"));
}

#[test]
fn a_code_twice_for_the_same_period_is_refused() {
    let text = "code,name,kind\n18073,A,phuong\n18073,B,phuong\n";
    assert_eq!(parse_unit_list(text.as_bytes(), &options()).unwrap_err().line, 3);
}

#[test]
fn a_byte_order_mark_from_a_spreadsheet_is_ignored() {
    let text = "\u{feff}code,name,kind\n42,Hà Tĩnh,province\n";
    let list = units(parse_unit_list(text.as_bytes(), &options()).unwrap());
    assert_eq!(list[0].parent_code, None);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_unit_list(&bytes, &options());
    }

    #[test]
    fn any_accepted_list_names_only_well_formed_codes(rows in proptest::collection::vec(("[0-9]{1,6}", "[a-zA-Zà-ỹ ]{0,12}", "(xa|phuong|district|province|x)"), 1..20)) {
        let mut text = String::from("code,name,kind\n");
        for (code, name, kind) in &rows {
            text.push_str(&format!("{code},{name},{kind}\n"));
        }
        if let Ok(UnitList::Units(units)) = parse_unit_list(text.as_bytes(), &options()) {
            for unit in units {
                prop_assert_eq!(unit.item.code.as_str().len(), unit.item.kind.code_len());
                prop_assert!(!unit.item.name.is_empty());
            }
        }
    }
}
