"""Versioned parts of the profile: baseline statements, tripwires, financial snapshots.

Editing a baseline or a tripwire appends a version; nothing is overwritten, so the trends
page can show how the user's words changed.

The one reader and the one writer of each, in SQL against :class:`db.access.Session`
(docs/ARCHITECTURE.md, "One data path"): the app, the snapshot behind Today, the
Keel-format import and the demo generator all call these. ``insert_*`` write inside the
caller's transaction (an import keeps the file's ids by passing ``ident``); the
``db``-taking functions beside them only open that transaction. No SQLAlchemy here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from db.rows import (  # noqa: F401 - re-exported
    BASELINE_COLUMNS,
    MONEY_COLUMNS,
    TRIPWIRE_COLUMNS,
    TRIPWIRE_VERSION_COLUMNS,
    baseline_from_row,
    snapshot_from_row,
    tripwire_from_row,
)
from db.timeutil import to_stored, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import (
    BaselineVersion,
    FinancialSnapshot,
    Tripwire,
)

if TYPE_CHECKING:
    from db.access import Journal, Session

SELECT_BASELINES = f"SELECT {BASELINE_COLUMNS} FROM baseline_versions"
INSERT_BASELINE = f"INSERT INTO baseline_versions ({BASELINE_COLUMNS}) VALUES (?, ?, ?, ?)"

SELECT_TRIPWIRES = f"SELECT {TRIPWIRE_COLUMNS} FROM tripwires"
SELECT_TRIPWIRE_VERSIONS = f"SELECT {TRIPWIRE_VERSION_COLUMNS} FROM tripwire_versions"
ALL_TRIPWIRES = f"{SELECT_TRIPWIRES} ORDER BY created_at, id"
LIVE_TRIPWIRES = f"{SELECT_TRIPWIRES} WHERE archived_at IS NULL ORDER BY created_at, id"
INSERT_TRIPWIRE = f"INSERT INTO tripwires ({TRIPWIRE_COLUMNS}) VALUES (?, ?, ?)"
INSERT_TRIPWIRE_VERSION = (f"INSERT INTO tripwire_versions (id, {TRIPWIRE_VERSION_COLUMNS}) "
                           "VALUES (?, ?, ?, ?)")
ARCHIVE_TRIPWIRE = "UPDATE tripwires SET archived_at = ? WHERE id = ? AND archived_at IS NULL"

SELECT_MONEY = f"SELECT {MONEY_COLUMNS} FROM financial_snapshots"
INSERT_MONEY = f"INSERT INTO financial_snapshots ({MONEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
UPDATE_MONEY = ("UPDATE financial_snapshots SET liquid_savings = ?, monthly_spending = ?, "
                "unvested_equity = ?, currency = ? WHERE id = ?")
DELETE_MONEY = "DELETE FROM financial_snapshots WHERE id = ?"


# --------------------------------------------------------------------------- baselines


def insert_baseline(session: Session, text: str, worry: int | None,
                    when: datetime | None = None, ident: int | None = None) -> int:
    """The writer of a baseline version, inside the caller's write transaction; its id."""
    if worry is not None and not 0 <= worry <= 10:
        raise InvalidInput("Worry is rated from 0 to 10.")
    rows = session.execute(INSERT_BASELINE, (ident, clean_text(text, "baseline statement"),
                                             worry, to_stored(when or utcnow())))
    assert rows.lastrowid is not None
    return rows.lastrowid


def read_baselines(session: Session) -> list[BaselineVersion]:
    """Every baseline version, oldest first."""
    return [baseline_from_row(r)
            for r in session.execute(f"{SELECT_BASELINES} ORDER BY created_at, id")]


def add_baseline(
    db: Journal, text: str, worry: int | None, when: datetime | None = None
) -> BaselineVersion:
    """Store a new version of the baseline statement (editing is adding a version)."""
    with db.write() as session:
        ident = insert_baseline(session, text, worry, when)
        row = session.execute(f"{SELECT_BASELINES} WHERE id = ?", (ident,)).first()
    assert row is not None
    return baseline_from_row(row)


def baselines(db: Journal) -> list[BaselineVersion]:
    """Every baseline version, oldest first (:func:`read_baselines`)."""
    with db.read() as session:
        return read_baselines(session)


def latest_baseline(db: Journal) -> BaselineVersion | None:
    """The current baseline statement, or None before onboarding."""
    with db.read() as session:
        row = session.execute(
            f"{SELECT_BASELINES} ORDER BY created_at DESC, id DESC LIMIT 1").first()
    return None if row is None else baseline_from_row(row)


# --------------------------------------------------------------------------- tripwires


def _tripwire_text(text: str) -> str:
    text = clean_text(text, "tripwire", limit=5000).strip()
    if not text:
        raise InvalidInput("A tripwire needs some words.")
    return text


def insert_tripwire(session: Session, when: datetime | None = None,
                    archived_at: datetime | None = None, ident: int | None = None) -> int:
    """The writer of a tripwire (its words are versions: :func:`insert_tripwire_version`),
    inside the caller's write transaction; its id."""
    rows = session.execute(INSERT_TRIPWIRE, (
        ident, to_stored(when or utcnow()),
        to_stored(archived_at)))
    assert rows.lastrowid is not None
    return rows.lastrowid


def insert_tripwire_version(session: Session, tripwire_id: int, text: str,
                            when: datetime | None = None, ident: int | None = None) -> int:
    """The writer of a tripwire's wording (appended; earlier ones stay as history)."""
    rows = session.execute(INSERT_TRIPWIRE_VERSION, (
        ident, tripwire_id, _tripwire_text(text), to_stored(when or utcnow())))
    assert rows.lastrowid is not None
    return rows.lastrowid


def read_tripwires(session: Session, include_archived: bool = True) -> list[Tripwire]:
    """Tripwires oldest first, each with its full history (archived ones if asked)."""
    versions: dict[int, list[tuple[object, ...]]] = {}
    for version in session.execute(f"{SELECT_TRIPWIRE_VERSIONS} ORDER BY id"):
        versions.setdefault(version[0], []).append(version)
    rows = session.execute(ALL_TRIPWIRES if include_archived else LIVE_TRIPWIRES)
    return [tripwire_from_row(row, versions.get(row[0], ())) for row in rows]


def _read_tripwire(session: Session, tripwire_id: int) -> Tripwire | None:
    row = session.execute(f"{SELECT_TRIPWIRES} WHERE id = ?", (tripwire_id,)).first()
    if row is None:
        return None
    return tripwire_from_row(row, session.execute(
        f"{SELECT_TRIPWIRE_VERSIONS} WHERE tripwire_id = ? ORDER BY id", (tripwire_id,)))


def add_tripwire(db: Journal, text: str, when: datetime | None = None) -> Tripwire:
    """Store a new tripwire with its first version."""
    stamp = when or utcnow()
    clean = _tripwire_text(text)
    with db.write() as session:
        ident = insert_tripwire(session, stamp)
        insert_tripwire_version(session, ident, clean, stamp)
        found = _read_tripwire(session, ident)
    assert found is not None
    return found


def edit_tripwire(
    db: Journal, tripwire_id: int, text: str, when: datetime | None = None
) -> Tripwire:
    """Reword a tripwire: appends a version; the old wording stays in its history."""
    clean = _tripwire_text(text)
    with db.write() as session:
        found = _read_tripwire(session, tripwire_id)
        if found is None:
            raise LookupError(f"Tripwire {tripwire_id} no longer exists.")
        if not found.history or found.history[-1].text != clean:
            insert_tripwire_version(session, tripwire_id, clean, when)
            found = _read_tripwire(session, tripwire_id)
    assert found is not None
    return found


def archive_tripwire(db: Journal, tripwire_id: int, when: datetime | None = None) -> None:
    """Retire a tripwire; it and its history stay readable."""
    with db.write() as session:
        if session.execute("SELECT 1 FROM tripwires WHERE id = ?",
                           (tripwire_id,)).scalar() is None:
            raise LookupError(f"Tripwire {tripwire_id} no longer exists.")
        session.execute(ARCHIVE_TRIPWIRE, (to_stored(when or utcnow()), tripwire_id))


def tripwires(db: Journal, include_archived: bool = False) -> list[Tripwire]:
    """Tripwires oldest first, each with its newest text and its full history
    (:func:`read_tripwires`)."""
    with db.read() as session:
        return read_tripwires(session, include_archived)


# --------------------------------------------------------------------------- money


def _amount(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    value = float(value)
    if value < 0 or value != value:
        raise InvalidInput(f"The {what} cannot be negative.")
    return value


def _currency(currency: str) -> str:
    return clean_text(currency, "currency", limit=10).strip().upper() or "USD"


def insert_money_snapshot(
    session: Session,
    liquid_savings: float | None,
    monthly_spending: float | None,
    unvested_equity: float | None,
    next_vest_date: date | None,
    currency: str = "USD",
    when: datetime | None = None,
    ident: int | None = None,
) -> int:
    """The writer of a financial snapshot, inside the caller's write transaction; its id."""
    rows = session.execute(INSERT_MONEY, (
        ident, to_stored(when or utcnow()),
        _amount(liquid_savings, "savings"),
        _amount(monthly_spending, "monthly spending"),
        _amount(unvested_equity, "unvested equity"),
        None if next_vest_date is None else next_vest_date.isoformat(),
        _currency(currency)))
    assert rows.lastrowid is not None
    return rows.lastrowid


def read_money_snapshots(session: Session) -> list[FinancialSnapshot]:
    """Every financial snapshot, oldest first."""
    return [snapshot_from_row(r)
            for r in session.execute(f"{SELECT_MONEY} ORDER BY taken_at, id")]


def _read_money(session: Session, snapshot_id: int) -> FinancialSnapshot | None:
    row = session.execute(f"{SELECT_MONEY} WHERE id = ?", (snapshot_id,)).first()
    return None if row is None else snapshot_from_row(row)


def add_snapshot(
    db: Journal,
    liquid_savings: float | None,
    monthly_spending: float | None,
    unvested_equity: float | None,
    next_vest_date: date | None,
    currency: str = "USD",
    when: datetime | None = None,
) -> FinancialSnapshot:
    """Record where the user stands financially today (history is kept)."""
    with db.write() as session:
        found = _read_money(session, insert_money_snapshot(
            session, liquid_savings, monthly_spending, unvested_equity, next_vest_date,
            currency, when))
    assert found is not None
    return found


def update_snapshot(
    db: Journal,
    snapshot_id: int,
    liquid_savings: float | None,
    monthly_spending: float | None,
    unvested_equity: float | None,
    currency: str = "USD",
) -> FinancialSnapshot | None:
    """Correct a snapshot's figures (a typo); its date stays. None if it is gone."""
    values = (_amount(liquid_savings, "savings"), _amount(monthly_spending, "monthly spending"),
              _amount(unvested_equity, "unvested equity"), _currency(currency))
    with db.write() as session:
        if not session.execute(UPDATE_MONEY, (*values, snapshot_id)).rowcount:
            return None
        return _read_money(session, snapshot_id)


def delete_snapshot(db: Journal, snapshot_id: int) -> bool:
    """Remove one financial snapshot (one entered by mistake); False if it was gone."""
    with db.write() as session:
        return bool(session.execute(DELETE_MONEY, (snapshot_id,)).rowcount)


def snapshots(db: Journal) -> list[FinancialSnapshot]:
    """Every financial snapshot, oldest first (:func:`read_money_snapshots`)."""
    with db.read() as session:
        return read_money_snapshots(session)


def latest_snapshot(db: Journal) -> FinancialSnapshot | None:
    """The newest financial snapshot, or None."""
    with db.read() as session:
        row = session.execute(f"{SELECT_MONEY} ORDER BY taken_at DESC, id DESC LIMIT 1").first()
    return None if row is None else snapshot_from_row(row)
