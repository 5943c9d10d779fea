//! The hash chain, pure: how an event is encoded and hashed, and how a sequence of
//! stored events is checked.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// An event as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub outcome: String,
    pub request_id: Option<String>,
    pub reason: Option<String>,
    pub client_addr: Option<String>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// SHA-256(prev_hash ‖ encoding), where the encoding gives every field a presence
/// byte and a length, so no two different events encode alike. Timestamps are
/// encoded to the microsecond, the precision both databases keep.
pub fn event_hash(prev_hash: &[u8], event: &StoredEvent) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"binhan-audit-v1");
    h.update(prev_hash);
    h.update(event.seq.to_be_bytes());
    h.update(event.at.and_utc().timestamp_micros().to_be_bytes());
    for field in [
        event.actor_id.as_deref(),
        event.actor_role.as_deref(),
        Some(event.action.as_str()),
        event.resource_type.as_deref(),
        event.resource_id.as_deref(),
        Some(event.outcome.as_str()),
        event.request_id.as_deref(),
        event.reason.as_deref(),
        event.client_addr.as_deref(),
    ] {
        match field {
            None => h.update([0u8]),
            Some(text) => {
                h.update([1u8]);
                h.update((text.len() as u64).to_be_bytes());
                h.update(text.as_bytes());
            }
        }
    }
    h.finalize().into()
}

/// The first place where the chain does not hold, named by sequence number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("event {seq}: its contents do not match its hash (the row was edited)")]
    Edited { seq: i64 },
    #[error("event {seq}: it does not follow event {previous} (an event was removed, inserted or moved)")]
    Unlinked { seq: i64, previous: i64 },
    #[error("event {expected} is missing: the sequence jumps from {previous} to {found}")]
    Gap { expected: i64, previous: i64, found: i64 },
    #[error("the log ends at event {last} but its head says {head} (events were removed from the end)")]
    Truncated { last: i64, head: i64 },
}

/// Checks a chain given in sequence order, and its head (last seq and hash).
/// Feeding events in batches: pass the previous batch's result as `start`.
pub fn verify_chain<'a>(
    events: impl IntoIterator<Item = &'a StoredEvent>,
    start: (i64, [u8; 32]),
) -> Result<(i64, [u8; 32]), Broken> {
    let (mut last_seq, mut last_hash) = start;
    for event in events {
        if event.seq != last_seq + 1 {
            return Err(if event.seq > last_seq + 1 {
                Broken::Gap { expected: last_seq + 1, previous: last_seq, found: event.seq }
            } else {
                Broken::Unlinked { seq: event.seq, previous: last_seq }
            });
        }
        if event.prev_hash != last_hash {
            return Err(Broken::Unlinked { seq: event.seq, previous: last_seq });
        }
        let hash = event_hash(&event.prev_hash, event);
        if event.hash != hash {
            return Err(Broken::Edited { seq: event.seq });
        }
        last_seq = event.seq;
        last_hash = hash;
    }
    Ok((last_seq, last_hash))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn chain(n: i64) -> Vec<StoredEvent> {
        let mut prev = GENESIS.to_vec();
        (1..=n)
            .map(|seq| {
                let mut e = StoredEvent {
                    seq,
                    at: chrono::DateTime::from_timestamp(1_760_000_000 + seq, 0).unwrap().naive_utc(),
                    actor_id: Some(format!("user-{}", seq % 3)),
                    actor_role: Some("social_worker".into()),
                    action: "case.read".into(),
                    resource_type: Some("case".into()),
                    resource_id: Some(format!("case-{seq}")),
                    outcome: "success".into(),
                    request_id: None,
                    reason: None,
                    client_addr: Some("203.0.113.5".into()),
                    prev_hash: prev.clone(),
                    hash: Vec::new(),
                };
                e.hash = event_hash(&prev, &e).to_vec();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(20);
        assert_eq!(verify_chain(&events, (0, GENESIS)).unwrap().0, 20);
    }

    #[test]
    fn none_and_empty_text_encode_differently() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.reason = None;
        b.reason = Some(String::new());
        assert_ne!(event_hash(&GENESIS, &a), event_hash(&GENESIS, &b));
    }

    proptest! {
        #[test]
        fn editing_any_field_of_any_event_is_found_at_that_event(at in 0usize..20, field in 0usize..5) {
            let mut events = chain(20);
            let e = &mut events[at];
            match field {
                0 => e.action = "case.update".into(),
                1 => e.resource_id = Some("another".into()),
                2 => e.outcome = "denied".into(),
                3 => e.at += chrono::Duration::microseconds(1),
                _ => e.actor_id = None,
            }
            prop_assert_eq!(verify_chain(&events, (0, GENESIS)), Err(Broken::Edited { seq: at as i64 + 1 }));
        }

        #[test]
        fn deleting_any_event_is_found(at in 0usize..19) {
            let mut events = chain(20);
            events.remove(at);
            let seq = at as i64 + 1;
            prop_assert_eq!(verify_chain(&events, (0, GENESIS)), Err(Broken::Gap { expected: seq, previous: seq - 1, found: seq + 1 }));
        }

        #[test]
        fn swapping_two_events_is_found(a in 0usize..20, b in 0usize..20) {
            prop_assume!(a != b);
            let mut events = chain(20);
            events.swap(a, b);
            prop_assert!(verify_chain(&events, (0, GENESIS)).is_err());
        }
    }
}
