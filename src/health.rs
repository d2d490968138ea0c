//! What `/healthz` reports beyond "the database answers a SELECT": the outcome of real writes.
//!
//! A database that answers reads may still refuse every write (a full disk, a lock that does not
//! clear). Requests and background work report the storage faults they meet here; the fault is
//! cleared by the next write that succeeds: the search index's own commits for the index, and for
//! the database a small probe write that the background work makes every second while (and only
//! while) a fault is recorded, so a node that load balancers took out of rotation still finds
//! out that space is back. Health polls themselves never write.
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// A storage fault: why writes cannot succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// No space left (SQLite `SQLITE_FULL`, PostgreSQL `53100`, `ENOSPC`).
    DiskFull,
    /// An I/O error (SQLite `SQLITE_IOERR`, PostgreSQL `58030`, other `io::Error`s).
    Io,
    /// The database stayed locked past the busy timeout.
    Locked,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DiskFull => "disk_full",
            Self::Io => "io_error",
            Self::Locked => "locked",
        }
    }

    /// The storage fault behind a database error, if it is one.
    pub fn of_db(err: &sea_orm::DbErr) -> Option<Self> {
        use sea_orm::{DbErr, RuntimeErr};
        let sqlx = match err {
            DbErr::Exec(RuntimeErr::SqlxError(e))
            | DbErr::Query(RuntimeErr::SqlxError(e))
            | DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
            _ => return None,
        };
        match sqlx.as_ref() {
            sea_orm::sqlx::Error::Io(e) => Some(Self::of_io(e)),
            sea_orm::sqlx::Error::Database(db) => {
                let code = db.code()?;
                if let Ok(sqlite) = code.parse::<i32>() {
                    // SQLite: the primary result code is the low byte of the extended one.
                    match sqlite & 0xff {
                        13 => Some(Self::DiskFull),
                        10 => Some(Self::Io),
                        5 | 6 => Some(Self::Locked),
                        _ => None,
                    }
                } else {
                    // PostgreSQL SQLSTATE: 53100 disk full, 58030 I/O error.
                    match code.as_ref() {
                        "53100" => Some(Self::DiskFull),
                        "58030" => Some(Self::Io),
                        _ => None,
                    }
                }
            }
            _ => None,
        }
    }

    pub fn of_io(err: &std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::StorageFull {
            Self::DiskFull
        } else {
            Self::Io
        }
    }

    /// The storage fault anywhere in an error's chain (a `DbErr`, an `io::Error`, or tantivy's
    /// I/O errors, which carry the `io::Error` as their source).
    pub fn of_error(err: &(dyn std::error::Error + 'static)) -> Option<Self> {
        let mut next = Some(err);
        while let Some(e) = next {
            if let Some(db) = e.downcast_ref::<sea_orm::DbErr>() {
                return Self::of_db(db);
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return Some(Self::of_io(io));
            }
            if let Some(io) = e.downcast_ref::<tantivy::TantivyError>()
                && let Some(fault) = Self::of_tantivy(io)
            {
                return Some(fault);
            }
            next = e.source();
        }
        None
    }

    fn of_tantivy(err: &tantivy::TantivyError) -> Option<Self> {
        use tantivy::TantivyError;
        match err {
            TantivyError::IoError(io) => Some(Self::of_io(io)),
            TantivyError::OpenWriteError(tantivy::directory::error::OpenWriteError::IoError {
                io_error,
                ..
            }) => Some(Self::of_io(io_error)),
            _ => None,
        }
    }

    /// The storage fault anywhere in an `anyhow` chain.
    pub fn of_anyhow(err: &anyhow::Error) -> Option<Self> {
        err.chain().find_map(Self::of_error)
    }
}

/// A recorded fault and since when it holds.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Failing {
    pub fault: Fault,
    pub since: DateTime<Utc>,
}

/// The outcome of the last writes, per store.
#[derive(Default)]
pub struct WriteHealth {
    database: Mutex<Option<Failing>>,
    index: Mutex<Option<Failing>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Database,
    Index,
}

impl WriteHealth {
    fn slot(&self, store: Store) -> &Mutex<Option<Failing>> {
        match store {
            Store::Database => &self.database,
            Store::Index => &self.index,
        }
    }

    /// Records a failed write; only storage faults count (a refused duplicate is not one).
    pub fn failed(&self, store: Store, fault: Fault) {
        let mut slot = self.slot(store).lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none_or(|f| f.fault != fault) {
            tracing::error!(
                store = ?store,
                fault = fault.as_str(),
                "writes are failing; /healthz answers 503 until one succeeds"
            );
            *slot = Some(Failing {
                fault,
                since: Utc::now(),
            });
        }
    }

    /// Records a write that succeeded.
    pub fn succeeded(&self, store: Store) {
        let mut slot = self.slot(store).lock().unwrap_or_else(|e| e.into_inner());
        if let Some(failing) = slot.take() {
            tracing::info!(
                store = ?store,
                fault = failing.fault.as_str(),
                since = %failing.since,
                "writes succeed again"
            );
        }
    }

    /// Records the outcome of a write that may have failed for any reason.
    pub fn record<T>(&self, store: Store, result: &anyhow::Result<T>) {
        match result {
            Ok(_) => self.succeeded(store),
            Err(e) => {
                if let Some(fault) = Fault::of_anyhow(e) {
                    self.failed(store, fault);
                }
            }
        }
    }

    pub fn failing(&self, store: Store) -> Option<Failing> {
        *self.slot(store).lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_faults_are_told_apart_from_other_errors() {
        let full = std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left");
        assert_eq!(Fault::of_io(&full), Fault::DiskFull);
        let wrapped = anyhow::Error::new(full).context("writing the index");
        assert_eq!(Fault::of_anyhow(&wrapped), Some(Fault::DiskFull));
        let tantivy = tantivy::TantivyError::from(std::io::Error::other("disk I/O error"));
        assert_eq!(
            Fault::of_anyhow(&anyhow::Error::new(tantivy)),
            Some(Fault::Io)
        );
        assert_eq!(
            Fault::of_anyhow(&anyhow::anyhow!("a rule was broken")),
            None
        );
        let unique = sea_orm::DbErr::RecordNotInserted;
        assert_eq!(Fault::of_db(&unique), None);
    }

    #[test]
    fn a_fault_holds_until_a_write_succeeds() {
        let health = WriteHealth::default();
        assert!(health.failing(Store::Database).is_none());
        health.failed(Store::Database, Fault::DiskFull);
        let since = health.failing(Store::Database).unwrap().since;
        health.failed(Store::Database, Fault::DiskFull);
        assert_eq!(health.failing(Store::Database).unwrap().since, since);
        assert!(health.failing(Store::Index).is_none(), "stores are apart");
        health.succeeded(Store::Database);
        assert!(health.failing(Store::Database).is_none());
    }
}
