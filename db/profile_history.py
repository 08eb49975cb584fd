"""Versioned parts of the profile: baseline statements, tripwires, financial snapshots.

Editing a baseline or a tripwire appends a version; nothing is overwritten, so the trends
page can show how the user's words changed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from db import models
from db.engine import Database
from db.rows import baseline_from_row, snapshot_from_row, tripwire_from_row  # noqa: F401 - re-exported
from db.timeutil import to_db, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import (
    BaselineVersion,
    FinancialSnapshot,
    Tripwire,
)

# --------------------------------------------------------------------------- baselines


def add_baseline(
    db: Database, text: str, worry: int | None, when: datetime | None = None
) -> BaselineVersion:
    """Store a new version of the baseline statement (editing is adding a version)."""
    if worry is not None and not 0 <= worry <= 10:
        raise InvalidInput("Worry is rated from 0 to 10.")
    with db.transaction() as session:
        row = models.BaselineVersion(
            text=clean_text(text, "baseline statement"),
            worry=worry,
            created_at=to_db(when or utcnow()),
        )
        session.add(row)
        session.flush()
        return baseline_from_row(row)


def baselines(db: Database) -> list[BaselineVersion]:
    """Every baseline version, oldest first (:func:`db.snapshot.read_baselines`)."""
    from db.snapshot import read_baselines

    with db.read() as session:
        return read_baselines(session)


def latest_baseline(db: Database) -> BaselineVersion | None:
    """The current baseline statement, or None before onboarding."""
    found = baselines(db)
    return found[-1] if found else None


# --------------------------------------------------------------------------- tripwires


def _tripwire_text(text: str) -> str:
    text = clean_text(text, "tripwire", limit=5000).strip()
    if not text:
        raise InvalidInput("A tripwire needs some words.")
    return text


def add_tripwire(db: Database, text: str, when: datetime | None = None) -> Tripwire:
    """Store a new tripwire with its first version."""
    stamp = to_db(when or utcnow())
    with db.transaction() as session:
        row = models.Tripwire(created_at=stamp)
        row.versions = [models.TripwireVersion(text=_tripwire_text(text), created_at=stamp)]
        session.add(row)
        session.flush()
        return tripwire_from_row(row)


def edit_tripwire(
    db: Database, tripwire_id: int, text: str, when: datetime | None = None
) -> Tripwire:
    """Reword a tripwire: appends a version; the old wording stays in its history."""
    clean = _tripwire_text(text)
    with db.transaction() as session:
        row = session.get(models.Tripwire, tripwire_id)
        if row is None:
            raise LookupError(f"Tripwire {tripwire_id} no longer exists.")
        if not row.versions or row.versions[-1].text != clean:
            row.versions.append(
                models.TripwireVersion(text=clean, created_at=to_db(when or utcnow()))
            )
        session.flush()
        return tripwire_from_row(row)


def archive_tripwire(db: Database, tripwire_id: int, when: datetime | None = None) -> None:
    """Retire a tripwire; it and its history stay readable."""
    with db.transaction() as session:
        row = session.get(models.Tripwire, tripwire_id)
        if row is None:
            raise LookupError(f"Tripwire {tripwire_id} no longer exists.")
        if row.archived_at is None:
            row.archived_at = to_db(when or utcnow())


def tripwires(db: Database, include_archived: bool = False) -> list[Tripwire]:
    """Tripwires oldest first, each with its newest text and its full history
    (:func:`db.snapshot.read_tripwires`)."""
    from db.snapshot import read_tripwires

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


def add_snapshot(
    db: Database,
    liquid_savings: float | None,
    monthly_spending: float | None,
    unvested_equity: float | None,
    next_vest_date: date | None,
    currency: str = "USD",
    when: datetime | None = None,
) -> FinancialSnapshot:
    """Record where the user stands financially today (history is kept)."""
    with db.transaction() as session:
        row = models.FinancialSnapshot(
            taken_at=to_db(when or utcnow()),
            liquid_savings=_amount(liquid_savings, "savings"),
            monthly_spending=_amount(monthly_spending, "monthly spending"),
            unvested_equity=_amount(unvested_equity, "unvested equity"),
            next_vest_date=next_vest_date,
            currency=clean_text(currency, "currency", limit=10).strip().upper() or "USD",
        )
        session.add(row)
        session.flush()
        return snapshot_from_row(row)


def update_snapshot(
    db: Database,
    snapshot_id: int,
    liquid_savings: float | None,
    monthly_spending: float | None,
    unvested_equity: float | None,
    currency: str = "USD",
) -> FinancialSnapshot | None:
    """Correct a snapshot's figures (a typo); its date stays. None if it is gone."""
    with db.transaction() as session:
        row = session.get(models.FinancialSnapshot, snapshot_id)
        if row is None:
            return None
        row.liquid_savings = _amount(liquid_savings, "savings")
        row.monthly_spending = _amount(monthly_spending, "monthly spending")
        row.unvested_equity = _amount(unvested_equity, "unvested equity")
        row.currency = clean_text(currency, "currency", limit=10).strip().upper() or "USD"
        session.flush()
        return snapshot_from_row(row)


def delete_snapshot(db: Database, snapshot_id: int) -> bool:
    """Remove one financial snapshot (one entered by mistake); False if it was gone."""
    with db.transaction() as session:
        row = session.get(models.FinancialSnapshot, snapshot_id)
        if row is None:
            return False
        session.delete(row)
        return True


def snapshots(db: Database) -> list[FinancialSnapshot]:
    """Every financial snapshot, oldest first (:func:`db.snapshot.read_money_snapshots`)."""
    from db.snapshot import read_money_snapshots

    with db.read() as session:
        return read_money_snapshots(session)


def latest_snapshot(db: Database) -> FinancialSnapshot | None:
    """The newest financial snapshot, or None."""
    with db.reading() as session:
        row = session.scalars(
            select(models.FinancialSnapshot)
            .order_by(models.FinancialSnapshot.taken_at.desc(), models.FinancialSnapshot.id.desc())
            .limit(1)
        ).first()
        return None if row is None else snapshot_from_row(row)
