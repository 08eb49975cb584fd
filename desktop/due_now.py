"""What is due right now, from the stored journal: one function the CLI, the check-in
page, the Today page and the tray all call, so they never disagree."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.prompt_library import LibraryProblem, load_library
from desktop.core.records import JournalSnapshot, Prompt
from desktop.core.schedule import DuePlan, due_prompts, one_checkin_per_period

if TYPE_CHECKING:
    from db.access import Journal

@cache
def _load(user_files: tuple[tuple[str, float], ...]) -> tuple[tuple[Prompt, ...], tuple[LibraryProblem, ...]]:
    load = load_library(extra_files=[Path(name) for name, _mtime in user_files])
    return load.prompts, load.problems


def user_library_files(data_dir: Path) -> tuple[tuple[str, float], ...]:
    """The user's own library files, ``<data folder>/prompts/*.toml`` (same format as the
    shipped library), with their modification times so an edit is picked up."""
    folder = data_dir / "prompts"
    try:
        return tuple((str(f), f.stat().st_mtime) for f in sorted(folder.glob("*.toml")))
    except OSError:
        return ()


def all_prompts(db: Journal) -> tuple[list[Prompt], list[str]]:
    """The library (shipped plus the user's files) and the user's own prompts from the
    database, and any problems loading the library, each naming the file and the key."""
    from db.snapshot import read_custom_prompts

    prompts, problems = _load(user_library_files(db.path.parent))
    with db.read() as session:
        own = read_custom_prompts(session)
    return [*prompts, *own], [str(p) for p in problems]


def library_prompts(data_dir: Path) -> tuple[list[Prompt], list[str]]:
    """The library: shipped plus the user's own files in *data_dir*, with problems."""
    prompts, problems = _load(user_library_files(data_dir))
    return list(prompts), [str(p) for p in problems]


def due_inputs(db: Journal) -> tuple[JournalSnapshot, list[Prompt], list[str]]:
    """What deciding what is due reads, in one read transaction: the due part of the
    snapshot (:func:`db.snapshot.read_due_inputs`), every prompt (the library and the
    user's own) and the library's problems."""
    from db.snapshot import read_custom_prompts, read_due_inputs

    with db.read() as session:
        snapshot = read_due_inputs(session)
        own = read_custom_prompts(session)
    prompts, problems = library_prompts(db.path.parent)
    return snapshot, [*prompts, *own], problems


def due_from_snapshot(snapshot: JournalSnapshot, prompts: list[Prompt], now: datetime,
                      tz: tzinfo, limit: int = 12) -> DuePlan:
    """The due plan at ``now`` from a snapshot already read: the one place it is decided
    (the Today page, the check-in page, the tray, ``keel due`` and ``keel remind``)."""
    states = {s.prompt_id: s for s in snapshot.prompt_states}
    plan = due_prompts(prompts, states, snapshot.profile, now, tz, events=list(snapshot.events),
                       decisions=list(snapshot.decisions), limit=limit)
    done = [c.completed_at for c in snapshot.checkins if c.completed_at is not None]
    return one_checkin_per_period(plan, max(done, default=None), snapshot.profile, now, tz)


def compute_due(db: Journal, now: datetime, tz: tzinfo | None = None,
                limit: int = 12) -> tuple[DuePlan, list[str]]:
    """The due plan for ``now`` and the library problems to report: :func:`due_inputs`
    then :func:`due_from_snapshot`."""
    from desktop.context import local_zone

    snapshot, prompts, problems = due_inputs(db)
    return due_from_snapshot(snapshot, prompts, now, tz or local_zone(), limit), problems
