"""The store: SQLAlchemy Core over SQLite by default, any SQLAlchemy URL on request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL, make_url

from auditor.config import StoreConfig
from auditor.contract.deliveries import Claim, Delivery, DeliveryState, Outgoing
from auditor.contract.frames import Frames
from auditor.contract.schedule import JobRun, Lease, RunState
from auditor.errors import StoreError
from auditor.source.snapshot import SyncSnapshot
from auditor.store import connect, schedule
from auditor.store import deliveries as ledger
from auditor.store.audits import prune_audits, record_audit, recorded_audit, recorded_audits
from auditor.store.failures import store_errors
from auditor.store.frames import load_frames
from auditor.store.info import StoreInfo, store_info
from auditor.store.interface import PlanState, RunSummary
from auditor.store.migrations import ensure_current
from auditor.store.planstate import plan_state
from auditor.store.recorder import check_snapshot, record_snapshot

if TYPE_CHECKING:
    from auditor.contract.findings import AuditRecord

SQLITE_FILE_NAME = "auditor.sqlite3"


class SqlStore:
    """Implements :class:`~auditor.store.interface.Store` and ``FrameSource``.

    Opening creates or migrates the schema. Every public method is one transaction and
    raises :class:`~auditor.errors.StoreError` (with a hint) when the database fails.
    """

    def __init__(self, engine: Engine, where: str, sqlite_path: Path | None) -> None:
        self._engine = engine
        self.where = where  # for messages: the file, or the URL without its password
        self._sqlite_path = sqlite_path
        self.migrated_from: int | None = None  # the version found on opening

    @classmethod
    def open_path(cls, path: Path | str) -> SqlStore:
        """Open (or create) the SQLite store file ``path``."""
        return cls.open_url(URL.create("sqlite", database=str(Path(path).expanduser())))

    @classmethod
    def open_url(cls, url: str | URL) -> SqlStore:
        """Open (or create) the store at any SQLAlchemy URL."""
        # Never echo the URL as given: it may hold a password.
        with store_errors("open", "the configured store.url"):
            parsed = make_url(url)
        sqlite_path = connect.sqlite_file(parsed)
        where = str(sqlite_path or parsed.render_as_string(hide_password=True))
        with store_errors("open", where), _missing_driver(where):
            if sqlite_path is not None:
                connect.prepare_sqlite_file(sqlite_path)
            store = cls(connect.create_store_engine(parsed), where, sqlite_path)
        try:
            with store_errors("open", where), connect.transaction(store._engine, write=True) as c:
                store.migrated_from = ensure_current(c)
            store._protect()
        except BaseException:
            store.close()
            raise
        return store

    def record(self, snapshot: SyncSnapshot) -> RunSummary:
        check_snapshot(snapshot)
        with store_errors("write to", self.where):
            with connect.transaction(self._engine, write=True) as conn:
                summary = record_snapshot(conn, snapshot)
            self._protect()
        return summary

    def plan_state(self, now: datetime) -> PlanState:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return plan_state(c, now)

    def load_frames(self, start: date, end: date) -> Frames:
        """Lessons dated in [start, end] and their evidence (docs/store.md)."""
        if end < start:
            raise ValueError(f"period end {end} is before its start {start}")
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return load_frames(c, start, end)

    def record_audit(self, audit: AuditRecord, *, keep: int = 0) -> int:
        """Keep an audit run and its findings, and only the ``keep`` newest audits (0: all),
        in one transaction; return the audit's id."""
        with store_errors("write to", self.where):
            with connect.transaction(self._engine, write=True) as conn:
                audit_id = record_audit(conn, audit)
                prune_audits(conn, keep)
            self._protect()
        return audit_id

    def recorded_audits(self) -> list[tuple[int, AuditRecord]]:
        """Every recorded audit (id, record without findings), oldest first: for the archive."""
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return recorded_audits(c)

    def recorded_audit(self, audit_id: int) -> AuditRecord | None:
        """One recorded audit with its findings (the contract's stored fields)."""
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return recorded_audit(c, audit_id)

    # The delivery ledger: one short transaction per step, so that what is written survives
    # a crash between steps (auditor.store.deliveries says why this is exactly once).

    def enqueue_mail(self, items: Sequence[Outgoing], now: datetime) -> list[str]:
        with store_errors("write to", self.where):
            with connect.transaction(self._engine, write=True) as conn:
                keys = ledger.enqueue(conn, items, now)
            self._protect()
        return keys

    def claimable_mail(self, now: datetime, stale_after: timedelta) -> list[str]:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return ledger.claimable_keys(c, now, stale_after)

    def claim_mail(self, key: str, now: datetime, stale_after: timedelta) -> Claim | None:
        with (
            store_errors("write to", self.where),
            connect.transaction(self._engine, write=True) as conn,
        ):
            return ledger.claim(conn, key, now, stale_after, ledger.this_owner())

    def mark_mail(self, key: str, state: DeliveryState, now: datetime, error: str = "") -> None:
        with (
            store_errors("write to", self.where),
            connect.transaction(self._engine, write=True) as conn,
        ):
            ledger.mark(conn, key, state, now, error)

    def release_mail(self, key: str) -> bool:
        """Send ``key`` again on the next run; False when there is no such mail."""
        with (
            store_errors("write to", self.where),
            connect.transaction(self._engine, write=True) as conn,
        ):
            if ledger.message_of(conn, key) is None:
                return False
            ledger.release(conn, key)
            return True

    def deliveries(self, states: Sequence[DeliveryState] = ()) -> list[Delivery]:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return ledger.listing(c, states)

    def mail_message(self, key: str) -> bytes | None:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return ledger.message_of(c, key)

    # The scheduler's records (auditor.store.schedule): one short transaction per step.

    def register_jobs(self, triggers: Mapping[str, str], now: datetime) -> dict[str, datetime]:
        with self._writing() as conn:
            return schedule.register_jobs(conn, triggers, now)

    def last_due(self, job_id: str) -> datetime | None:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return schedule.last_due(c, job_id)

    def begin_run(
        self, job_id: str, due_at: datetime, now: datetime, late: bool, stale_after: timedelta
    ) -> bool:
        with self._writing() as conn:
            owner = ledger.this_owner()
            return schedule.begin_run(conn, job_id, due_at, now, owner, late, stale_after)

    def finish_run(
        self, job_id: str, due_at: datetime, state: RunState, now: datetime, detail: str = ""
    ) -> None:
        with self._writing() as conn:
            schedule.finish_run(conn, job_id, due_at, state, now, detail)

    def skip_runs(self, job_id: str, dues: Sequence[datetime], now: datetime, why: str) -> None:
        with self._writing() as conn:
            schedule.skip_runs(conn, job_id, dues, now, ledger.this_owner(), why)

    def job_runs(self, job_id: str | None = None, limit: int = 50) -> list[JobRun]:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return schedule.runs(c, job_id, limit)

    def take_lease(self, now: datetime, stale_after: timedelta) -> Lease | None:
        """None when this process now holds the scheduler's lease; else who holds it."""
        with self._writing() as conn:
            return schedule.take_lease(conn, ledger.this_owner(), now, stale_after)

    def renew_lease(self, now: datetime) -> bool:
        with self._writing() as conn:
            return schedule.renew_lease(conn, ledger.this_owner(), now)

    def release_lease(self) -> None:
        with self._writing() as conn:
            schedule.release_lease(conn, ledger.this_owner())

    def lease(self) -> Lease | None:
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return schedule.lease(c)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with store_errors("write to", self.where):
            with connect.transaction(self._engine, write=True) as conn:
                yield conn
            self._protect()

    def info(self) -> StoreInfo:
        """What the store holds: for `auditor store info`."""
        with store_errors("read", self.where), connect.transaction(self._engine, write=False) as c:
            return store_info(c, self._sqlite_path)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _protect(self) -> None:
        if self._sqlite_path is not None:
            connect.protect_sqlite_files(self._sqlite_path)


@contextmanager
def _missing_driver(where: str) -> Iterator[None]:
    try:
        yield
    except ImportError as err:
        raise StoreError(
            f"cannot open the store at {where}: the database driver is missing ({err.name})",
            hint="install the Python driver for store.url, or leave store.url empty for SQLite",
        ) from err


def store_url(config: StoreConfig) -> URL:
    """The configured URL, or the SQLite file in the data directory."""
    if config.url:
        return make_url(config.url)
    return URL.create("sqlite", database=str(config.data_path / SQLITE_FILE_NAME))


def open_store(config: StoreConfig, *, create: bool = True) -> SqlStore:
    """Open the configured store: ``store.url``, or ``<data_dir>/auditor.sqlite3``.

    ``create=False`` (what an audit asks) refuses a store file that does not exist yet,
    instead of creating an empty one that would then audit as "nothing found".
    """
    with store_errors("open", "the configured store.url"):
        url = store_url(config)
    path = connect.sqlite_file(url)
    if not create and path is not None and not path.exists():
        raise StoreError(
            f"there is no store at {path}",
            hint="run `auditor sync` first, or point store.data_dir at the synced store",
        )
    return SqlStore.open_url(url)
