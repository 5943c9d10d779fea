//! The SQL type of personal-data columns. Only [`SealedBlob`] converts to it, so a
//! plaintext `String` or `Vec<u8>` written to such a column does not compile:
//!
//! ```compile_fail
//! use binhan::store::{DbConn, schema::survivors};
//! use diesel::prelude::*;
//! // A name in plaintext is refused by the type system.
//! fn write(conn: &mut DbConn) -> QueryResult<usize> {
//!     diesel::update(survivors::table).set(survivors::full_name.eq("Nguyễn Thị Hoa")).execute(conn)
//! }
//! ```
//!
//! ```compile_fail
//! use binhan::store::{DbConn, schema::survivors};
//! use diesel::prelude::*;
//! // So are raw bytes.
//! fn write(conn: &mut DbConn) -> QueryResult<usize> {
//!     diesel::update(survivors::table).set(survivors::phone.eq(Some(b"0912345678".to_vec()))).execute(conn)
//! }
//! ```
//!
//! Only a sealed blob goes in:
//!
//! ```
//! use binhan::crypto::{DataKey, FieldRef};
//! use binhan::store::{DbConn, schema::survivors};
//! use diesel::prelude::*;
//! fn write(conn: &mut DbConn, key: &DataKey, case_id: uuid::Uuid) -> QueryResult<usize> {
//!     let field = FieldRef::new("survivors", "phone", case_id);
//!     let sealed = key.seal_str(1, &field, "0912345678").expect("sealed");
//!     diesel::update(survivors::table).set(survivors::phone.eq(Some(sealed))).execute(conn)
//! }
//! ```

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Binary, HasSqlType};
use diesel::sqlite::Sqlite;

use super::connection::MultiBackend;
use crate::crypto::SealedBlob;

/// A sealed field: `version | key id | nonce | ciphertext+tag` (see `crypto`).
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(name = "bytea"))]
#[diesel(sqlite_type(name = "Binary"))]
pub struct Sealed;

impl HasSqlType<Sealed> for MultiBackend {
    fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
        MultiBackend::lookup_sql_type::<Sealed>(lookup)
    }
}

impl ToSql<Sealed, Pg> for SealedBlob {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <[u8] as ToSql<Binary, Pg>>::to_sql(self.as_bytes(), out)
    }
}

impl ToSql<Sealed, Sqlite> for SealedBlob {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        <[u8] as ToSql<Binary, Sqlite>>::to_sql(self.as_bytes(), out)
    }
}

impl ToSql<Sealed, MultiBackend> for SealedBlob {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Sealed, self));
        Ok(IsNull::No)
    }
}

impl FromSql<Sealed, Pg> for SealedBlob {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <Vec<u8> as FromSql<Binary, Pg>>::from_sql(bytes).map(SealedBlob::from_stored)
    }
}

impl FromSql<Sealed, Sqlite> for SealedBlob {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <Vec<u8> as FromSql<Binary, Sqlite>>::from_sql(bytes).map(SealedBlob::from_stored)
    }
}

impl FromSql<Sealed, MultiBackend> for SealedBlob {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        bytes.from_sql::<SealedBlob, Sealed>()
    }
}

/// Generates `AsExpression` and `Queryable` for the crypto layer's own type, which
/// knows nothing of SQL.
#[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
#[diesel(foreign_derive)]
#[diesel(sql_type = Sealed)]
#[allow(dead_code)]
struct SealedBlobProxy(SealedBlob);
