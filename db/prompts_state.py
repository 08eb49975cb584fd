"""The user's settings per prompt (on/off, cadence, snooze) and the prompts they wrote.

The one reader and writer of prompt states and of the user's own prompts, in SQL on
:class:`db.access.Session` (docs/ARCHITECTURE.md, "One data path"). A prompt state comes
into being the first time anything is set or recorded for its prompt, with the model's
defaults (on, no skips); each writer sets only its own columns. No SQLAlchemy here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from db.rows import (
    CUSTOM_PROMPT_COLUMNS,
    PROMPT_STATE_COLUMNS,
    custom_prompt_from_row,
    state_from_row,
)
from db.timeutil import to_stored, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import CADENCES, EVENT_CADENCES, AnswerKind, Prompt, PromptState

if TYPE_CHECKING:
    from db.access import Journal, Session

CUSTOM_PREFIX = "own-"

SELECT_PROMPT_STATES = f"SELECT {PROMPT_STATE_COLUMNS} FROM prompt_states ORDER BY prompt_id"
SET_ENABLED = ("INSERT INTO prompt_states (prompt_id, enabled, skip_streak) VALUES (?, ?, 0) "
               "ON CONFLICT (prompt_id) DO UPDATE SET enabled = excluded.enabled")
SET_CADENCE = ("INSERT INTO prompt_states (prompt_id, enabled, skip_streak, "
               "cadence_override) VALUES (?, 1, 0, ?) "
               "ON CONFLICT (prompt_id) DO UPDATE SET cadence_override = excluded.cadence_override")
SET_SNOOZE = ("INSERT INTO prompt_states (prompt_id, enabled, skip_streak, "
              "snoozed_until) VALUES (?, 1, 0, ?) "
              "ON CONFLICT (prompt_id) DO UPDATE SET snoozed_until = excluded.snoozed_until")
RECORD_ASKED = (
    "INSERT INTO prompt_states (prompt_id, enabled, skip_streak, last_asked_at, "
    "last_answered_at) "
    "VALUES (:prompt_id, 1, :skipped, :at, CASE WHEN :skipped THEN NULL ELSE :at END) "
    "ON CONFLICT (prompt_id) DO UPDATE SET last_asked_at = excluded.last_asked_at, "
    "skip_streak = CASE WHEN :skipped THEN coalesce(prompt_states.skip_streak, 0) + 1 "
    "ELSE 0 END, "
    "last_answered_at = CASE WHEN :skipped THEN prompt_states.last_answered_at "
    "ELSE excluded.last_answered_at END")
"""One answer (or skip) to a prompt: asked now; answered now, or one more skip in a row."""
PUT_PROMPT_STATE = (f"INSERT OR REPLACE INTO prompt_states ({PROMPT_STATE_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)")

SELECT_CUSTOM_PROMPTS = f"SELECT {CUSTOM_PROMPT_COLUMNS} FROM custom_prompts"
ALL_CUSTOM_PROMPTS = SELECT_CUSTOM_PROMPTS + " ORDER BY created_at, id"
ACTIVE_CUSTOM_PROMPTS = SELECT_CUSTOM_PROMPTS + " WHERE archived = 0 ORDER BY created_at, id"
ONE_CUSTOM_PROMPT = SELECT_CUSTOM_PROMPTS + " WHERE id = ?"
CUSTOM_PROMPT_IDS = "SELECT id FROM custom_prompts"
INSERT_CUSTOM_PROMPT = (
    "INSERT INTO custom_prompts (id, theme, question, why, answer, spec, cadence, "
    "created_at, archived) VALUES (:id, :theme, :question, :why, :answer, :spec, :cadence, "
    ":created_at, :archived)")
UPDATE_CUSTOM_PROMPT = (
    "UPDATE custom_prompts SET theme = :theme, question = :question, why = :why, "
    "answer = :answer, spec = :spec, cadence = :cadence WHERE id = :id")
ARCHIVE_CUSTOM_PROMPT = "UPDATE custom_prompts SET archived = 1 WHERE id = ?"


def read_prompt_states(session: Session) -> list[PromptState]:
    """Every stored prompt state, by prompt id, in the caller's transaction."""
    return [state_from_row(r) for r in session.execute(SELECT_PROMPT_STATES)]


def get_states(db: Journal) -> dict[str, PromptState]:
    """Every stored prompt state by prompt id (prompts never touched have none)."""
    with db.read() as session:
        return {state.prompt_id: state for state in read_prompt_states(session)}


def record_asked(session: Session, asked: Iterable[tuple[str, bool]], when: datetime) -> None:
    """The prompts of ``asked`` (``(prompt id, skipped)``, in order) were asked at
    ``when``, in the caller's write transaction: what a saved check-in records."""
    at = to_stored(when)
    session.execute_many(RECORD_ASKED, [
        {"prompt_id": prompt_id, "skipped": int(skipped), "at": at}
        for prompt_id, skipped in asked])


def put_prompt_state(session: Session, state: PromptState) -> None:
    """Store ``state`` whole (replacing any stored one), inside the caller's write
    transaction: how a Keel-format import restores the file's prompt states."""
    if state.cadence_override is not None \
            and state.cadence_override not in CADENCES + EVENT_CADENCES:
        raise InvalidInput(f"“{state.cadence_override}” is not a cadence Keel knows.")
    session.execute(PUT_PROMPT_STATE, (
        state.prompt_id, bool(state.enabled), state.cadence_override,
        to_stored(state.last_asked_at), to_stored(state.last_answered_at),
        to_stored(state.snoozed_until), int(state.skip_streak)))


def set_enabled(db: Journal, prompt_id: str, enabled: bool) -> None:
    """Switch one prompt on or off."""
    with db.write() as session:
        session.execute(SET_ENABLED, (prompt_id, bool(enabled)))


def set_cadence_override(db: Journal, prompt_id: str, cadence: str | None) -> None:
    """Ask a prompt on another cadence than the library's; None restores the default."""
    if cadence is not None and cadence not in CADENCES + EVENT_CADENCES:
        raise InvalidInput(f"“{cadence}” is not a cadence Keel knows.")
    with db.write() as session:
        session.execute(SET_CADENCE, (prompt_id, cadence))


def snooze_prompt(db: Journal, prompt_id: str, until: datetime | None) -> None:
    """Do not ask a prompt before ``until`` (None ends the snooze)."""
    snooze_all(db, [prompt_id], until)


def snooze_all(db: Journal, prompt_ids: Iterable[str], until: datetime | None) -> None:
    """Snooze several prompts at once (one transaction)."""
    stored = to_stored(until)
    with db.write() as session:
        session.execute_many(SET_SNOOZE, [(prompt_id, stored) for prompt_id in prompt_ids])


# --------------------------------------------------------------------------- own prompts


def _fields(
    theme: str,
    question: str,
    why: str,
    answer: AnswerKind | str,
    labels: Sequence[str],
    unit: str,
    minimum: float | None,
    maximum: float | None,
    cadence: str,
) -> dict[str, object]:
    try:
        kind = AnswerKind(answer)
    except ValueError:
        raise InvalidInput(f"“{answer}” is not an answer kind Keel knows.") from None
    if cadence not in CADENCES + EVENT_CADENCES:
        raise InvalidInput(f"“{cadence}” is not a cadence Keel knows.")
    question = clean_text(question, "question", limit=2000).strip()
    if not question:
        raise InvalidInput("Your prompt needs a question.")
    clean_labels = [clean_text(x, "label", limit=200).strip() for x in labels]
    clean_labels = [x for x in clean_labels if x]
    if kind is AnswerKind.CHOICE and len(clean_labels) < 2:
        raise InvalidInput("A choice prompt needs at least two choices.")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvalidInput("The smallest allowed answer is larger than the largest.")
    spec: dict[str, object] = {"labels": clean_labels, "unit": clean_text(unit, "unit", 50)}
    if minimum is not None:
        spec["min"] = float(minimum)
    if maximum is not None:
        spec["max"] = float(maximum)
    return {
        "theme": clean_text(theme, "theme", limit=50).strip() or "own",
        "question": question,
        "why": clean_text(why, "why", limit=2000).strip(),
        "answer": kind.value,
        "spec": json.dumps(spec, ensure_ascii=False),
        "cadence": cadence,
    }


def read_custom_prompts(session: Session, include_archived: bool = False) -> list[Prompt]:
    """The user's own prompts, oldest first (archived ones only when asked), in the
    caller's transaction."""
    return [custom_prompt_from_row(r) for r in session.execute(
        ALL_CUSTOM_PROMPTS if include_archived else ACTIVE_CUSTOM_PROMPTS)]


def _custom_prompt(session: Session, prompt_id: str) -> Prompt:
    row = session.execute(ONE_CUSTOM_PROMPT, (prompt_id,)).first()
    if row is None:
        raise LookupError(f"Prompt {prompt_id} no longer exists.")
    return custom_prompt_from_row(row)


def list_custom_prompts(db: Journal, include_archived: bool = False) -> list[Prompt]:
    """:func:`read_custom_prompts` in a read transaction of its own."""
    with db.read() as session:
        return read_custom_prompts(session, include_archived)


def insert_custom_prompt(session: Session, prompt_id: str, theme: str, question: str, why: str,
                         answer: AnswerKind | str, labels: Sequence[str] = (), unit: str = "",
                         minimum: float | None = None, maximum: float | None = None,
                         cadence: str = "weekly", created: datetime | None = None,
                         archived: bool = False) -> None:
    """The writer of one of the user's own prompts, inside the caller's write
    transaction (the app's rules for the wording and answer settings apply)."""
    if not re.fullmatch(r"own-\d+", prompt_id or ""):
        raise InvalidInput(f"“{prompt_id[:40]}” is not an id of an own prompt (own-<n>).")
    values = _fields(theme, question, why, answer, labels, unit, minimum, maximum, cadence)
    session.execute(INSERT_CUSTOM_PROMPT, {
        **values, "id": prompt_id, "created_at": to_stored(created or utcnow()),
        "archived": bool(archived)})


def add_custom_prompt(
    db: Journal,
    theme: str,
    question: str,
    why: str,
    answer: AnswerKind,
    labels: Sequence[str] = (),
    unit: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
    cadence: str = "weekly",
) -> Prompt:
    """Store a prompt the user wrote; its id is ``own-<n>`` and never reused."""
    with db.write() as session:
        used = [
            int(m.group(1))
            for (ident,) in session.execute(CUSTOM_PROMPT_IDS)
            if (m := re.fullmatch(r"own-(\d+)", ident))
        ]
        prompt_id = f"{CUSTOM_PREFIX}{max(used, default=0) + 1}"
        insert_custom_prompt(session, prompt_id, theme, question, why, answer, labels, unit,
                             minimum, maximum, cadence)
        return _custom_prompt(session, prompt_id)


def update_custom_prompt(
    db: Journal,
    prompt_id: str,
    theme: str,
    question: str,
    why: str,
    answer: AnswerKind,
    labels: Sequence[str] = (),
    unit: str = "",
    minimum: float | None = None,
    maximum: float | None = None,
    cadence: str = "weekly",
) -> Prompt:
    """Replace the wording and answer settings of one of the user's prompts."""
    values = _fields(theme, question, why, answer, labels, unit, minimum, maximum, cadence)
    with db.write() as session:
        if not session.execute(UPDATE_CUSTOM_PROMPT, {**values, "id": prompt_id}).rowcount:
            raise LookupError(f"Prompt {prompt_id} no longer exists.")
        return _custom_prompt(session, prompt_id)


def archive_custom_prompt(db: Journal, prompt_id: str) -> None:
    """Stop asking one of the user's prompts; its past answers are kept."""
    with db.write() as session:
        if not session.execute(ARCHIVE_CUSTOM_PROMPT, (prompt_id,)).rowcount:
            raise LookupError(f"Prompt {prompt_id} no longer exists.")
