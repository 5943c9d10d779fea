//! The cost of one access decision: building the request's entities (the user, her
//! role, the record) and evaluating every policy, as each request does.

use std::hint::black_box;

use binhan::authz::{Action, CaseFacts, Policies, PolicySource, Principal, Resource};
use binhan::domain::role::Role;
use criterion::Criterion;

pub fn decision(c: &mut Criterion) {
    let policies = Policies::load(&PolicySource::BuiltIn).expect("valid policies");
    let worker = Principal {
        id: "0199c0de-0000-7000-8000-000000000001".into(),
        role: Role::SocialWorker,
        communes: vec!["18073".into(), "18100".into()],
        safe_house: None,
        province: "42".into(),
    };
    let case = |commune: &str| {
        Resource::Case(CaseFacts {
            id: "0199c0de-0000-7000-9000-000000000001".into(),
            commune: commune.into(),
            province: "42".into(),
            assigned_to: None,
            child: true,
            status: "assessment".into(),
        })
    };
    let (mine, other) = (case("18073"), case("18211"));
    let mut group = c.benchmark_group("policy_decision");
    group.bench_function("case_read_allowed", |b| {
        b.iter(|| assert!(policies.is_allowed(black_box(&worker), Action::CaseRead, black_box(&mine))))
    });
    group.bench_function("case_read_denied", |b| {
        b.iter(|| assert!(!policies.is_allowed(black_box(&worker), Action::CaseRead, black_box(&other))))
    });
    group.bench_function("require_not_visible_404", |b| {
        b.iter(|| policies.require(black_box(&worker), Action::CaseUpdate, black_box(&other)).is_err())
    });
    group.finish();
}
