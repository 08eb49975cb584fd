"""The user's settings per prompt (on/off, cadence, snooze) and the prompts they wrote."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.engine import Database
from db.rows import custom_prompt_from_row, state_from_row  # noqa: F401 - re-exported
from db.timeutil import to_db, utcnow
from db.validation import InvalidInput, clean_text
from desktop.core.records import CADENCES, EVENT_CADENCES, AnswerKind, Prompt, PromptState

CUSTOM_PREFIX = "own-"


def _state(session: Session, prompt_id: str) -> models.PromptState:
    row = session.get(models.PromptState, prompt_id)
    if row is None:
        row = models.PromptState(prompt_id=prompt_id, enabled=True, skip_streak=0)
        session.add(row)
    return row


def get_states(db: Database) -> dict[str, PromptState]:
    """Every stored prompt state by prompt id (prompts never touched have none):
    :func:`db.snapshot.read_prompt_states`."""
    from db.snapshot import read_prompt_states

    with db.read() as session:
        return {state.prompt_id: state for state in read_prompt_states(session)}


def set_enabled(db: Database, prompt_id: str, enabled: bool) -> None:
    """Switch one prompt on or off."""
    with db.transaction() as session:
        _state(session, prompt_id).enabled = enabled


def set_cadence_override(db: Database, prompt_id: str, cadence: str | None) -> None:
    """Ask a prompt on another cadence than the library's; None restores the default."""
    if cadence is not None and cadence not in CADENCES + EVENT_CADENCES:
        raise InvalidInput(f"“{cadence}” is not a cadence Keel knows.")
    with db.transaction() as session:
        _state(session, prompt_id).cadence_override = cadence


def snooze_prompt(db: Database, prompt_id: str, until: datetime | None) -> None:
    """Do not ask a prompt before ``until`` (None ends the snooze)."""
    snooze_all(db, [prompt_id], until)


def snooze_all(db: Database, prompt_ids: Iterable[str], until: datetime | None) -> None:
    """Snooze several prompts at once (one transaction)."""
    stored = to_db(until)
    with db.transaction() as session:
        for prompt_id in prompt_ids:
            _state(session, prompt_id).snoozed_until = stored


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


def list_custom_prompts(db: Database, include_archived: bool = False) -> list[Prompt]:
    """The user's own prompts, oldest first (archived ones only when asked):
    :func:`db.snapshot.read_custom_prompts` in a read transaction of its own."""
    from db.snapshot import read_custom_prompts

    with db.read() as session:
        return read_custom_prompts(session, include_archived)


def add_custom_prompt(
    db: Database,
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
    values = _fields(theme, question, why, answer, labels, unit, minimum, maximum, cadence)
    with db.transaction() as session:
        used = [
            int(m.group(1))
            for ident in session.scalars(select(models.CustomPrompt.id))
            if (m := re.fullmatch(r"own-(\d+)", ident))
        ]
        row = models.CustomPrompt(
            id=f"{CUSTOM_PREFIX}{max(used, default=0) + 1}",
            created_at=to_db(utcnow()),
            archived=False,
            **values,
        )
        session.add(row)
        session.flush()
        return custom_prompt_from_row(row)


def update_custom_prompt(
    db: Database,
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
    with db.transaction() as session:
        row = session.get(models.CustomPrompt, prompt_id)
        if row is None:
            raise LookupError(f"Prompt {prompt_id} no longer exists.")
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return custom_prompt_from_row(row)


def archive_custom_prompt(db: Database, prompt_id: str) -> None:
    """Stop asking one of the user's prompts; its past answers are kept."""
    with db.transaction() as session:
        row = session.get(models.CustomPrompt, prompt_id)
        if row is None:
            raise LookupError(f"Prompt {prompt_id} no longer exists.")
        row.archived = True
