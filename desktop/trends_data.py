"""What the Trends page shows, read from the journal in one call (plain Python, no Qt).

:func:`load_trends` runs in a worker (``run_in_background``): it groups every numeric
answer by prompt, downsamples long series (a ten-year weekly series becomes monthly
means), and gathers the baseline, the latest stated view, tripwires and runway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from desktop.core.records import AnswerKind, BaselineVersion, Prompt, Tripwire

if TYPE_CHECKING:
    from db.engine import Database

MAX_POINTS = 300
"""A series longer than this is averaged by week, then by month, until it fits."""
CONSCIENCE_PROMPT = "conscience-share"
CONSCIENCE_MARK = 5.0
"""The 5% that Expert 10 leaves beside 95%+ on doing the job well: a ceiling, not a target."""
WORRY_PROMPT = "worry-level"
VIEW_PROMPT = "view-shift-argument"
RUNWAY_MARK = 6.0
"""Months of runway under which the lock-in flag is raised."""

Point = tuple[datetime, float]


@dataclass(frozen=True)
class TrendPrompt:
    """One numeric or scale prompt the user answered."""

    prompt_id: str
    question: str
    theme: str
    count: int
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    last_value: float | None = None
    last_at: datetime | None = None


@dataclass(frozen=True)
class TrendsData:
    """Everything the Trends page renders."""

    prompts: tuple[TrendPrompt, ...] = ()
    series: dict[str, list[Point]] = field(default_factory=dict)
    """Prompt id → chart points (already downsampled), oldest first."""
    raw_counts: dict[str, int] = field(default_factory=dict)
    baseline: BaselineVersion | None = None
    baseline_versions: int = 0
    latest_view: tuple[str, datetime] | None = None
    """The latest answer to "which argument moved your view?" and when."""
    latest_worry: Point | None = None
    tripwires: tuple[Tripwire, ...] = ()
    runway: list[Point] = field(default_factory=list)
    """Months of runway (savings / monthly spending) at each financial snapshot."""


def _bucket_mean(points: Sequence[Point], key: object) -> list[Point]:
    buckets: dict[object, list[Point]] = {}
    for point in points:
        buckets.setdefault(key(point[0]), []).append(point)  # type: ignore[operator]
    out = []
    for members in buckets.values():
        mean_t = members[0][0] + (members[-1][0] - members[0][0]) / 2
        out.append((mean_t, sum(v for _, v in members) / len(members)))
    out.sort(key=lambda p: p[0])
    return out


def _week(when: datetime) -> tuple[int, int]:
    iso = when.isocalendar()
    return iso[0], iso[1]


def _month(when: datetime) -> tuple[int, int]:
    return when.year, when.month


def _quarter(when: datetime) -> tuple[int, int]:
    return when.year, (when.month - 1) // 3


def downsample(points: Sequence[Point], max_points: int = MAX_POINTS) -> list[Point]:
    """``points`` as they are when short; else weekly, monthly or quarterly means (the
    finest that fits in ``max_points``), each placed mid-way through its answers."""
    ordered = sorted(points, key=lambda p: p[0])
    if len(ordered) <= max_points:
        return ordered
    for key in (_week, _month, _quarter):
        reduced = _bucket_mean(ordered, key)
        if len(reduced) <= max_points:
            return reduced
    return reduced


def _range(prompt: Prompt) -> tuple[float | None, float | None]:
    if prompt.answer is AnswerKind.SCALE:
        low = prompt.minimum if prompt.minimum is not None else 0
        high = prompt.maximum if prompt.maximum is not None else low + max(len(prompt.labels) - 1, 1)
        return low, high
    return prompt.minimum, prompt.maximum


def load_trends(db: Database, now: datetime) -> TrendsData:
    """Read the journal and prepare every chart and card of the Trends page at ``now``."""
    from db.checkins import all_answers
    from db.profile_history import baselines, tripwires
    from desktop.due_now import all_prompts

    prompts, _ = all_prompts(db)
    by_id = {p.id: p for p in prompts}
    raw: dict[str, list[Point]] = {}
    latest_view: tuple[str, datetime] | None = None
    for answer in all_answers(db):
        if answer.skipped or answer.answered_at > now:
            continue
        if answer.prompt_id == VIEW_PROMPT and answer.text and answer.text.strip():
            latest_view = (answer.text.strip(), answer.answered_at)
        if answer.number is None or answer.kind not in (AnswerKind.SCALE, AnswerKind.NUMBER):
            continue
        raw.setdefault(answer.prompt_id, []).append((answer.answered_at, float(answer.number)))

    order = {p.id: i for i, p in enumerate(prompts)}
    rows = []
    for prompt_id, points in raw.items():
        prompt = by_id.get(prompt_id)
        low, high = _range(prompt) if prompt else (None, None)
        last_at, last_value = max(points, key=lambda p: p[0])
        rows.append(TrendPrompt(
            prompt_id=prompt_id,
            question=prompt.question if prompt else prompt_id,
            theme=prompt.theme if prompt else "",
            count=len(points),
            unit=prompt.unit if prompt else "",
            minimum=low,
            maximum=high,
            last_value=last_value,
            last_at=last_at,
        ))
    rows.sort(key=lambda r: (order.get(r.prompt_id, len(order)), r.prompt_id))

    versions = [b for b in baselines(db) if b.created_at <= now]
    baseline = max(versions, key=lambda b: b.created_at, default=None)
    worry = raw.get(WORRY_PROMPT)
    return TrendsData(
        prompts=tuple(rows),
        series={pid: downsample(points) for pid, points in raw.items()},
        raw_counts={pid: len(points) for pid, points in raw.items()},
        baseline=baseline,
        baseline_versions=len(versions),
        latest_view=latest_view,
        latest_worry=max(worry, key=lambda p: p[0]) if worry else None,
        tripwires=tuple(tripwires(db, include_archived=True)),
        runway=_runway(db),
    )


def _runway(db: Database) -> list[Point]:
    """Runway as one figure: every snapshot's and every check-in runway answer."""
    from db.checkins import answers_for_prompt
    from db.profile_history import snapshots
    from desktop.core.finance import RUNWAY_PROMPT, runway_history

    return runway_history(snapshots(db), answers_for_prompt(db, RUNWAY_PROMPT))


def since_label(when: datetime | date, now: datetime) -> str:
    """"3 years ago", "5 months ago", "2 weeks ago", "today"."""
    day = when.date() if isinstance(when, datetime) else when
    days = (now.date() - day).days
    if days < 1:
        return "today"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 62:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"

