//! Stored key material: wrapped data keys and key canaries. Never a plain key.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::{data_keys, key_canaries};
use crate::crypto::{KekId, KeyOwner, OwnerKind, WrappedDataKey};

pub fn owner_kind_str(kind: OwnerKind) -> &'static str {
    match kind {
        OwnerKind::Case => "case",
        OwnerKind::User => "user",
        OwnerKind::SafeHouse => "safe_house",
    }
}

fn owner_kind_parse(text: &str) -> Option<OwnerKind> {
    [OwnerKind::Case, OwnerKind::User, OwnerKind::SafeHouse].into_iter().find(|k| owner_kind_str(*k) == text)
}

/// What is stored for an owner's data key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredKey {
    Wrapped(WrappedDataKey),
    /// Crypto-shredded: the owner's sealed fields can never be read again.
    Shredded {
        at: NaiveDateTime,
    },
}

fn kek_from_db(id: i64) -> QueryResult<KekId> {
    u32::try_from(id)
        .map(KekId)
        .map_err(|_| diesel::result::Error::DeserializationError("kek_id out of range".into()))
}

pub fn insert_data_key(
    conn: &mut DbConn,
    owner: &KeyOwner,
    wrapped: &WrappedDataKey,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(data_keys::table)
        .values((
            data_keys::owner_kind.eq(owner_kind_str(owner.kind)),
            data_keys::owner_id.eq(owner.id.to_string()),
            data_keys::kek_id.eq(Some(i64::from(wrapped.kek_id.0))),
            data_keys::wrapped.eq(Some(&wrapped.bytes)),
            data_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = data_keys)]
struct DataKeyRow {
    owner_kind: String,
    owner_id: String,
    kek_id: Option<i64>,
    wrapped: Option<Vec<u8>>,
    shredded_at: Option<NaiveDateTime>,
}

fn inconsistent() -> diesel::result::Error {
    diesel::result::Error::DeserializationError("data key row is inconsistent".into())
}

impl DataKeyRow {
    fn stored(self) -> QueryResult<StoredKey> {
        match (self.kek_id, self.wrapped, self.shredded_at) {
            (Some(kek), Some(bytes), None) => {
                Ok(StoredKey::Wrapped(WrappedDataKey { kek_id: kek_from_db(kek)?, bytes }))
            }
            (_, _, Some(at)) => Ok(StoredKey::Shredded { at }),
            _ => Err(inconsistent()),
        }
    }

    fn owner(&self) -> QueryResult<KeyOwner> {
        Ok(KeyOwner::new(
            owner_kind_parse(&self.owner_kind).ok_or_else(inconsistent)?,
            self.owner_id.parse().map_err(|_| inconsistent())?,
        ))
    }
}

pub fn load_data_key(conn: &mut DbConn, owner: &KeyOwner) -> QueryResult<Option<StoredKey>> {
    data_keys::table
        .find((owner_kind_str(owner.kind), owner.id.to_string()))
        .select(DataKeyRow::as_select())
        .first(conn)
        .optional()?
        .map(DataKeyRow::stored)
        .transpose()
}

/// Destroys an owner's wrapped data key for good. Returns false when there was no
/// live key (already shredded, or no such owner).
pub fn shred(conn: &mut DbConn, owner: &KeyOwner, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        data_keys::table
            .find((owner_kind_str(owner.kind), owner.id.to_string()))
            .filter(data_keys::shredded_at.is_null()),
    )
    .set((
        data_keys::wrapped.eq(None::<Vec<u8>>),
        data_keys::kek_id.eq(None::<i64>),
        data_keys::shredded_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Live data keys per KEK, and how many are shredded.
pub fn count_by_kek(conn: &mut DbConn) -> QueryResult<(Vec<(KekId, i64)>, i64)> {
    let live: Vec<(Option<i64>, i64)> = data_keys::table
        .filter(data_keys::kek_id.is_not_null())
        .group_by(data_keys::kek_id)
        .select((data_keys::kek_id, diesel::dsl::count_star()))
        .order_by(data_keys::kek_id)
        .load(conn)?;
    let shredded = data_keys::table.filter(data_keys::shredded_at.is_not_null()).count().get_result(conn)?;
    let live = live
        .into_iter()
        .filter_map(|(kek, n)| kek.map(|k| kek_from_db(k).map(|k| (k, n))))
        .collect::<QueryResult<_>>()?;
    Ok((live, shredded))
}

pub fn count_not_under(conn: &mut DbConn, kek: KekId) -> QueryResult<i64> {
    data_keys::table
        .filter(data_keys::kek_id.is_not_null())
        .filter(data_keys::kek_id.ne(i64::from(kek.0)))
        .count()
        .get_result(conn)
}

pub fn count_under(conn: &mut DbConn, kek: KekId) -> QueryResult<i64> {
    data_keys::table.filter(data_keys::kek_id.eq(i64::from(kek.0))).count().get_result(conn)
}

/// Up to `limit` live data keys wrapped under any KEK but `kek`.
pub fn batch_not_under(
    conn: &mut DbConn,
    kek: KekId,
    limit: i64,
) -> QueryResult<Vec<(KeyOwner, WrappedDataKey)>> {
    let rows: Vec<DataKeyRow> = data_keys::table
        .filter(data_keys::kek_id.is_not_null())
        .filter(data_keys::kek_id.ne(i64::from(kek.0)))
        .select(DataKeyRow::as_select())
        .order_by((data_keys::owner_kind, data_keys::owner_id))
        .limit(limit)
        .load(conn)?;
    rows.into_iter()
        .map(|row| match (row.owner()?, row.stored()?) {
            (owner, StoredKey::Wrapped(wrapped)) => Ok((owner, wrapped)),
            _ => Err(inconsistent()),
        })
        .collect()
}

/// Replaces a wrapped key only if it is still the one that was read, so a
/// concurrent shred or rotation is never overwritten.
pub fn replace_wrapped(
    conn: &mut DbConn,
    owner: &KeyOwner,
    old: &WrappedDataKey,
    new: &WrappedDataKey,
) -> QueryResult<bool> {
    let changed = diesel::update(
        data_keys::table
            .find((owner_kind_str(owner.kind), owner.id.to_string()))
            .filter(data_keys::kek_id.eq(i64::from(old.kek_id.0)))
            .filter(data_keys::wrapped.eq(&old.bytes)),
    )
    .set((data_keys::kek_id.eq(Some(i64::from(new.kek_id.0))), data_keys::wrapped.eq(Some(&new.bytes))))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn canaries(conn: &mut DbConn) -> QueryResult<Vec<(KekId, Vec<u8>)>> {
    let rows: Vec<(i64, Vec<u8>)> = key_canaries::table
        .select((key_canaries::kek_id, key_canaries::canary))
        .order_by(key_canaries::kek_id)
        .load(conn)?;
    rows.into_iter().map(|(id, c)| kek_from_db(id).map(|id| (id, c))).collect()
}

/// Stores the canary of a KEK, replacing an older one of the same id (left by a
/// rotation that stopped before its keyring file was written).
pub fn put_canary(conn: &mut DbConn, kek: KekId, canary: &[u8], now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(key_canaries::table.find(i64::from(kek.0))).execute(conn)?;
    diesel::insert_into(key_canaries::table)
        .values((
            key_canaries::kek_id.eq(i64::from(kek.0)),
            key_canaries::canary.eq(canary),
            key_canaries::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// When the canary of a KEK was recorded (at init, or when a rotation made it primary).
pub fn canary_created_at(conn: &mut DbConn, kek: KekId) -> QueryResult<Option<NaiveDateTime>> {
    key_canaries::table.find(i64::from(kek.0)).select(key_canaries::created_at).first(conn).optional()
}

/// One live data key wrapped under `kek`, to test a keyring that has no canary yet.
pub fn one_under(conn: &mut DbConn, kek: KekId) -> QueryResult<Option<(KeyOwner, WrappedDataKey)>> {
    let row: Option<DataKeyRow> = data_keys::table
        .filter(data_keys::kek_id.eq(i64::from(kek.0)))
        .select(DataKeyRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| match (row.owner()?, row.stored()?) {
        (owner, StoredKey::Wrapped(wrapped)) => Ok((owner, wrapped)),
        _ => Err(inconsistent()),
    })
    .transpose()
}
