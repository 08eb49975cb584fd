"""Flag rules: notice when one of the experts' warnings applies to the user's own record.

Each rule is a plain function over a :class:`JournalSnapshot` and an injected ``now``.
A rule returns nothing, one :class:`Flag` or several. A flag's ``key`` names the situation
that raised it (rule id plus the triggering date, prompt or option), so dismissing or
snoozing it sticks for as long as the situation is the same and a new situation flags
afresh.

:func:`active_flags` runs every rule in :data:`RULES` over one shared index of the
answers (built once, newest first), so a ten-year journal is evaluated in a few
milliseconds, and drops flags the user dismissed or snoozed.

Housekeeping flags (skipped prompts, decision revisits, offer deadlines) have an empty
``theme`` and no experts: they are about the journal, not about one expert's warning.
Tripwire flags have no experts either: tripwires are Keel's own device.

Each flag keeps the voices apart: ``point`` is the experts' point (paraphrased, with a
:class:`~desktop.core.provenance.Cite` per expert in ``sources``), ``why`` is Keel's own
reasoning, ``threshold`` names any number Keel chose (8 weeks, 6 months…), and
``counterpoint`` gives the other side where the seed has one. Concerns about the work
itself (Experts 3, 5, 6, 7, 9 and 11) come from the user's own check-in answers and
option assessments (the "concerns about the work" rules), so they reach Today and the
briefing like the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from desktop.core.assessment import latest_answers
from desktop.core.finance import (
    add_months,
    current_job,
    latest_runway_answer,
    latest_snapshot,
    lock_in,
    vesting_schedule,
)
from desktop.core.provenance import Cites, cite, experts_of
from desktop.core.records import (
    Answer,
    AnswerKind,
    AssessmentAnswer,
    BaselineVersion,
    FlagAction,
    JobOption,
    JournalSnapshot,
)

EIGHT_WEEKS = timedelta(weeks=8)
"""Keel's threshold for a lapsed conversation or reading habit (not an expert's number)."""
QUARTER = timedelta(days=91)
RUNWAY_MONTHS = 6
"""Keel's threshold for a thin savings cushion (not an expert's number)."""
WORRY_SHIFT = 2
"""Keel's threshold for a move in worry from the baseline, in points on the 0–10 scale."""
LOW_PERFORMANCE = 2
"""Keel's threshold for a low self-rated job performance on the 1–5 scale."""
RECENT_ANSWER = timedelta(days=182)
"""How long a check-in answer about the work itself keeps its concern flag up."""
TRIPWIRE_MEMORY = timedelta(weeks=26)
"""How long an answer "One was crossed" keeps its flag up unless dismissed."""
DEFAULT_SNOOZE = timedelta(days=7)
"""Length of a snooze recorded without an end time."""

SEVERITY_TRIPWIRE = 3
SEVERITY_WARNING = 2
SEVERITY_NOTICE = 1

UNEASY_SILENT = "i was uneasy and did not speak up"
TRIPWIRE_CROSSED = "one was crossed"
TRIPWIRE_CLOSE = "one is getting close"

_PROMPT_LABELS = {
    "worry-level": "How worried are you about AI risk?",
    "view-shift-argument": "What moved your view?",
    "view-shift-endorsed": "Would you have accepted that argument from where you started?",
    "xrisk-conversations": "Conversations with people who worry about AI x-risk",
    "xrisk-reading": "Hours reading about AI x-risk",
    "switch-within-3-months": "Could you switch jobs within three months?",
    "conscience-share": "Share of time spent questioning your organisation's decisions",
    "spoke-up-when-uneasy": "Did you speak up when uneasy?",
    "job-performance": "How well are you doing your job?",
    "time-outside-lab": "Hours spent outside the lab environment",
    "tripwire-crossed": "Have any of your tripwires been crossed?",
}
"""Short labels for the shipped prompts, used in evidence lines (the prompt library is not
imported here, so a custom prompt is named by its id)."""


@dataclass(frozen=True)
class Flag:
    """One warning that applies now, with the concern behind it and one next step."""

    id: str
    """The rule that raised it."""
    key: str
    """Names this situation; dismissals and snoozes refer to it (``FlagAction.flag_id``)."""
    theme: str
    experts: tuple[int, ...]
    severity: int
    """3 a tripwire crossed, 2 a warning, 1 a notice."""
    message: str
    why: str
    """Keel's own reasoning ("Why Keel asks"), never presented as an expert's."""
    evidence: tuple[str, ...]
    next_step: str
    point: str = ""
    """The experts' point, paraphrased and attributed by number ("Raised by Expert 4")."""
    threshold: str = ""
    """A number Keel chose that made the flag fire ("Keel's threshold"), or empty."""
    counterpoint: str = ""
    """The other side, where the seed has one, attributed by number."""
    sources: Cites = ()
    """Per expert behind ``point``, a locator copied from their section of the seed."""
    counter_sources: Cites = ()
    """The same for the experts the counterpoint names."""


# --------------------------------------------------------------------------- context


@dataclass
class RuleContext:
    """The journal indexed once for all rules: answers by prompt id, newest first."""

    snapshot: JournalSnapshot
    now: datetime
    by_prompt: dict[str, list[Answer]]
    first_use: datetime | None
    disabled: frozenset[str]
    _answered: dict[str, list[Answer]] = field(default_factory=dict)
    _assessments: dict[int, dict[str, AssessmentAnswer]] | None = None

    @classmethod
    def build(cls, snapshot: JournalSnapshot, now: datetime) -> RuleContext:
        """Index the snapshot's answers (and those inside its check-ins) by prompt id."""
        by_prompt: dict[str, list[Answer]] = {}
        seen: set[object] = set()
        first_use: datetime | None = None

        def add(answer: Answer) -> None:
            nonlocal first_use
            ident: object = (
                answer.id
                if answer.id is not None
                else (answer.prompt_id, answer.answered_at, answer.checkin_id)
            )
            if ident in seen:
                return
            seen.add(ident)
            if answer.answered_at > now:
                return
            by_prompt.setdefault(answer.prompt_id, []).append(answer)
            if first_use is None or answer.answered_at < first_use:
                first_use = answer.answered_at

        for answer in snapshot.answers:
            add(answer)
        for checkin in snapshot.checkins:
            if checkin.started_at <= now and (
                first_use is None or checkin.started_at < first_use
            ):
                first_use = checkin.started_at
            for answer in checkin.answers:
                add(answer)
        for answers in by_prompt.values():
            answers.sort(key=lambda a: a.answered_at, reverse=True)
        disabled = frozenset(s.prompt_id for s in snapshot.prompt_states if not s.enabled)
        return cls(snapshot, now, by_prompt, first_use, disabled)

    @property
    def today(self) -> date:
        return self.now.date()

    def answers(self, prompt_id: str) -> list[Answer]:
        """All answers and skips to one prompt, newest first."""
        return self.by_prompt.get(prompt_id, [])

    def answered(self, prompt_id: str) -> list[Answer]:
        """Answers to one prompt that were not skipped, newest first."""
        cached = self._answered.get(prompt_id)
        if cached is None:
            cached = [a for a in self.answers(prompt_id) if not a.skipped]
            self._answered[prompt_id] = cached
        return cached

    def latest(
        self, prompt_id: str, where: Callable[[Answer], bool] | None = None
    ) -> Answer | None:
        """The newest non-skipped answer to a prompt (matching ``where`` if given)."""
        for answer in self.answered(prompt_id):
            if where is None or where(answer):
                return answer
        return None

    def assessment(self, option_id: int) -> dict[str, AssessmentAnswer]:
        """The current assessment answers of one option (question id → newest answer)."""
        if self._assessments is None:
            grouped: dict[int, list[AssessmentAnswer]] = {}
            for answer in self.snapshot.assessments:
                if answer.answered_at <= self.now:
                    grouped.setdefault(answer.option_id, []).append(answer)
            self._assessments = {oid: latest_answers(items) for oid, items in grouped.items()}
        return self._assessments.get(option_id, {})

    def used_for(self, span: timedelta) -> bool:
        """Whether the first check-in (or answer) is at least ``span`` old."""
        return self.first_use is not None and self.now - self.first_use >= span


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """A named flag rule; call it with ``(snapshot, now)``."""

    id: str
    theme: str
    severity: int
    check: Callable[[Rule, RuleContext], Flag | list[Flag] | None]
    sources: Cites = ()
    """Per expert whose point the flag raises, a locator from their section of the seed."""
    counter_sources: Cites = ()
    """The same for the experts its counterpoint names."""

    @property
    def experts(self) -> tuple[int, ...]:
        """The experts whose point the flag raises (none for Keel's own checks)."""
        return experts_of(self.sources)

    def __call__(self, snapshot: JournalSnapshot, now: datetime) -> Flag | list[Flag] | None:
        """Evaluate this rule alone."""
        return self.check(self, RuleContext.build(snapshot, now))

    def evaluate(self, ctx: RuleContext) -> list[Flag]:
        """Evaluate this rule over an already built context; always a list."""
        result = self.check(self, ctx)
        if result is None:
            return []
        return [result] if isinstance(result, Flag) else list(result)

    def flag(
        self,
        situation: str,
        message: str,
        why: str,
        evidence: Iterable[str],
        next_step: str,
        severity: int | None = None,
        *,
        point: str = "",
        threshold: str = "",
        counterpoint: str = "",
    ) -> Flag:
        """Make a flag of this rule; ``situation`` completes its key."""
        return Flag(
            id=self.id,
            key=f"{self.id}:{situation}",
            theme=self.theme,
            experts=self.experts,
            severity=self.severity if severity is None else severity,
            message=message,
            why=why,
            evidence=tuple(evidence),
            next_step=next_step,
            point=point,
            threshold=threshold,
            counterpoint=counterpoint,
            sources=self.sources,
            counter_sources=self.counter_sources if counterpoint else (),
        )


def _rule(
    rule_id: str, theme: str, severity: int, sources: Cites = (), counter: Cites = (),
) -> Callable[[Callable[[Rule, RuleContext], Flag | list[Flag] | None]], Rule]:
    def wrap(check: Callable[[Rule, RuleContext], Flag | list[Flag] | None]) -> Rule:
        return Rule(rule_id, theme, severity, check, sources, counter)

    return wrap


def _day(when: datetime | date) -> str:
    day = when.date() if isinstance(when, datetime) else when
    return f"{day.day} {day:%b %Y}"


def _ago(when: datetime | date, now: datetime) -> str:
    day = when.date() if isinstance(when, datetime) else when
    days = (now.date() - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 105:
        return f"{days // 7} weeks ago"
    months = round(days / 30.44)
    if months < 24:
        return f"{months} months ago"
    return f"{days // 365} years ago"


def _when(when: datetime | date, now: datetime) -> str:
    return f"{_day(when)} ({_ago(when, now)})"


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}"


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _run_start(answers: list[Answer], matches: Callable[[Answer], bool]) -> Answer:
    """The oldest answer of the run of matching answers at the head of ``answers``."""
    start = answers[0]
    for answer in answers:
        if not matches(answer):
            break
        start = answer
    return start


def _text_is(answer: Answer, expected: str) -> bool:
    return (answer.text or "").strip().casefold() == expected


def _lapsed(
    rule: Rule, ctx: RuleContext, prompt_id: str, noun: str, message: str, why: str, step: str,
    point: str,
) -> Flag | None:
    if prompt_id in ctx.disabled or not ctx.used_for(EIGHT_WEEKS):
        return None
    last = ctx.latest(prompt_id, lambda a: (a.number or 0) > 0)
    if last is not None and ctx.now - last.answered_at < EIGHT_WEEKS:
        return None
    evidence = []
    if last is not None:
        evidence.append(f"Last logged {noun}: {_when(last.answered_at, ctx.now)}")
    else:
        assert ctx.first_use is not None
        evidence.append(f"No {noun} logged since your first check-in on {_day(ctx.first_use)}")
    since = ctx.now - EIGHT_WEEKS
    zeros = sum(1 for a in ctx.answered(prompt_id) if a.answered_at >= since)
    if zeros:
        plural = "s" if zeros != 1 else ""
        evidence.append(f"{zeros} answer{plural} in the last 8 weeks logged none")
    situation = last.answered_at.date().isoformat() if last is not None else "never"
    return rule.flag(situation, message, why, evidence, step, point=point,
                     threshold=f"8 weeks without any {noun} logged")


@_rule("tripwire-crossed", "tripwires", SEVERITY_TRIPWIRE)
def _tripwire_crossed(rule: Rule, ctx: RuleContext) -> Flag | None:
    crossed = ctx.latest("tripwire-crossed", lambda a: _text_is(a, TRIPWIRE_CROSSED))
    if crossed is None or ctx.now - crossed.answered_at > TRIPWIRE_MEMORY:
        return None
    evidence = [f"You answered “One was crossed” on {_when(crossed.answered_at, ctx.now)}"]
    evidence += [
        f"Your tripwire: “{tripwire.text}”"
        for tripwire in ctx.snapshot.tripwires
        if tripwire.archived_at is None
    ][:3]
    return rule.flag(
        crossed.answered_at.date().isoformat(),
        "You recorded that one of your tripwires has been crossed.",
        "Tripwires are Keel's own device, not the experts': you set them while you could "
        "judge calmly, so that a crossed line leads to a decision rather than a quietly "
        "moved line.",
        evidence,
        "Within a week, write down what you will do about it — raise it, speak up or start "
        "looking — and tell one person you trust.",
    )


@_rule("worry-drift", "value-drift", SEVERITY_WARNING, cite(
    (4, "without ever encountering an argument for that conclusion"),
    (1, "motivated reasoning and social conformity effects"),
))
def _worry_drift(rule: Rule, ctx: RuleContext) -> Flag | None:
    """Worry fell from the baseline with no endorsed argument: the drift the experts describe."""
    return _worry_moved(rule, ctx, down=True)


@_rule("worry-rose", "value-drift", SEVERITY_NOTICE)
def _worry_rose(rule: Rule, ctx: RuleContext) -> Flag | None:
    """Worry rose with no endorsed argument: Keel's own check, not an expert's."""
    return _worry_moved(rule, ctx, down=False)


def _worry_moved(rule: Rule, ctx: RuleContext, down: bool) -> Flag | None:
    baseline = _latest_baseline(ctx.snapshot.baselines, ctx.now)
    if baseline is None or baseline.worry is None:
        return None
    latest = ctx.latest("worry-level")
    if latest is None or latest.number is None or latest.answered_at < baseline.created_at:
        return None
    delta = latest.number - baseline.worry
    if abs(delta) < WORRY_SHIFT or (delta < 0) != down:
        return None
    since_baseline = [
        a for a in ctx.answered("view-shift-endorsed") if a.answered_at >= baseline.created_at
    ]
    if any((a.text or "").strip().casefold().startswith("yes") for a in since_baseline):
        return None
    direction = "up" if delta > 0 else "down"
    evidence = [
        f"Baseline worry: {baseline.worry}/10 on {_day(baseline.created_at)}",
        f"Latest worry: {_number(latest.number)}/10 on {_when(latest.answered_at, ctx.now)}",
    ]
    if since_baseline:
        last = since_baseline[0]
        evidence.append(
            f"Your last answer on whether the argument would have convinced you at the start: "
            f"“{last.text}” ({_day(last.answered_at)})"
        )
    else:
        evidence.append("No argument recorded since the baseline that you would have accepted then")
    message = (f"Your worry about AI risk has moved {abs(delta):g} points {direction} since "
               "your baseline, with no argument recorded that you would have accepted at the "
               "start.")
    step = ("Reread your baseline, write down the argument that moved you, and ask whether "
            "the person who wrote that baseline would accept it.")
    threshold = f"a move of {WORRY_SHIFT} points or more on the 0–10 scale"
    if not down:
        return rule.flag(
            f"{baseline.id}:{direction}", message,
            "The experts' warnings about drift describe views sliding toward calm; Keel also "
            "notes a rise you cannot trace to an argument, because any unexplained move is "
            "worth understanding.",
            evidence, step, threshold=threshold)
    return rule.flag(
        f"{baseline.id}:{direction}", message,
        "Keel compares your answers with the baseline you wrote, so a gradual slide shows up "
        "as a number rather than a feeling.",
        evidence, step,
        point="Expert 4 warns not to underestimate value drift: people inside labs can come "
              "to believe AI risk is exaggerated without meeting an argument they would have "
              "endorsed at the start. In Expert 1's experience lab staff tend to come to see "
              "alignment as fairly easy, which Expert 1 guesses is in good part motivated "
              "reasoning and conformity.",
        threshold=threshold)


def _latest_baseline(
    baselines: Iterable[BaselineVersion], now: datetime
) -> BaselineVersion | None:
    latest: BaselineVersion | None = None
    for baseline in baselines:
        if baseline.created_at > now:
            continue
        if latest is None or baseline.created_at > latest.created_at:
            latest = baseline
    return latest


@_rule("no-xrisk-conversation", "social-circle", SEVERITY_WARNING,
       cite((4, "your social life continues to have")))
def _no_conversation(rule: Rule, ctx: RuleContext) -> Flag | None:
    return _lapsed(
        rule, ctx, "xrisk-conversations", "conversation with an x-risk worrier",
        "No conversation with someone who worries about AI x-risk logged in 8 weeks.",
        "Keel counts the conversations you log, so a circle that quietly loses its worriers "
        "shows up before it is gone.",
        "Arrange a call or a coffee this week with someone who takes AI x-risk seriously, "
        "and log it at your next check-in.",
        "Expert 4 asks anyone in a capabilities-enhancing role to make sure their social life "
        "still includes people who worry about AI x-risk, as a guard against value drift.",
    )


@_rule("no-xrisk-reading", "reading", SEVERITY_WARNING,
       cite((4, "continue reading ongoing work on AI x-risk")))
def _no_reading(rule: Rule, ctx: RuleContext) -> Flag | None:
    return _lapsed(
        rule, ctx, "xrisk-reading", "reading on AI x-risk",
        "No reading on AI x-risk logged in 8 weeks.",
        "Keel counts the hours you log, so your views keep meeting current x-risk thinking "
        "and not only your colleagues'.",
        "Set aside an hour this week for a recent post or paper on AI x-risk, and note what, "
        "if anything, it changed for you.",
        "Expert 4 asks anyone in a capabilities-enhancing role to keep up with current "
        "writing on AI x-risk, as a guard against value drift.",
    )


_LOCK_IN_POINT = (
    "Expert 10 advises avoiding a financial or psychological situation that makes it overly "
    "hard to switch to work aimed more squarely at doing good, and constantly asking "
    "whether you still could."
)
_VEST_WHY = ("A large vest just ahead is the kind of pull that makes leaving feel too "
             "costly; Keel compares it with your spending so the size of the pull is visible.")
_VEST_THRESHOLD = "more than a year of your spending vesting within six months"


@_rule("financial-lock-in", "financial-lock-in", SEVERITY_WARNING,
       cite((10, "financial or psychological situation")))
def _financial_lock_in(rule: Rule, ctx: RuleContext) -> list[Flag]:
    snapshot = latest_snapshot(ctx.snapshot.snapshots, ctx.now)
    job = current_job(ctx.snapshot.options)
    today = ctx.today
    answer = latest_runway_answer(a for a in ctx.snapshot.answers if a.answered_at <= ctx.now)
    figures = lock_in(snapshot, job, today, runway_answer=answer)
    flags: list[Flag] = []
    if snapshot is None and answer is None:
        return flags

    if figures.runway_months is not None and figures.runway_months < RUNWAY_MONTHS:
        if figures.runway_from == "check-in" and figures.runway_at is not None:
            key = f"runway:answer:{figures.runway_at.date().isoformat()}"
            evidence = (f"Your check-in answer of {_when(figures.runway_at, ctx.now)}: about "
                        f"{figures.runway_months:.1f} months")
        else:
            assert snapshot is not None
            assert snapshot.liquid_savings is not None and snapshot.monthly_spending is not None
            key = f"runway:{snapshot.id}"
            evidence = (f"Savings {_money(snapshot.liquid_savings, snapshot.currency)} ÷ "
                        f"spending {_money(snapshot.monthly_spending, snapshot.currency)} a "
                        f"month (snapshot of {_when(snapshot.taken_at, ctx.now)})")
        flags.append(rule.flag(
            key,
            f"Your savings would cover about {figures.runway_months:.1f} months of spending — "
            "under six.",
            "A thin cushion makes every move riskier; Keel watches runway because it is the "
            "easiest part of lock-in to measure.",
            [evidence],
            "Set a target of six months' spending in savings and note one cost you could cut; "
            "update the figures in Settings › Finances when they change.",
            point=_LOCK_IN_POINT,
            threshold=f"under {RUNWAY_MONTHS} months of savings",
        ))

    if snapshot is None:
        return flags
    currency = snapshot.currency
    taken = f"snapshot of {_when(snapshot.taken_at, ctx.now)}"
    spending = snapshot.monthly_spending
    if job is None or spending is None or spending <= 0:
        return flags
    horizon = add_months(today, 6)
    year = 12 * spending
    window = vesting_schedule(job, after=today, until=horizon)
    spending_line = f"Monthly spending {_money(spending, currency)} ({taken})"
    if window:
        amount = sum(a for _, a in window)
        if amount > year:
            cliff = job.cliff_date
            ahead = cliff is not None and today < cliff <= horizon
            situation = f"vest:{job.id}:" + (f"cliff-{cliff}" if ahead else "ongoing")
            first_day, first_amount = window[0]
            flags.append(rule.flag(
                situation,
                f"{_money(amount, currency)} of equity vests in the next six months — more than "
                "a year of your spending.",
                _VEST_WHY,
                [
                    f"Vesting by {_day(horizon)}: {_money(amount, currency)}",
                    f"Next vest: {_day(first_day)}, {_money(first_amount, currency)}",
                    spending_line,
                ],
                "Write down now what would make you leave even before this vest, and add it "
                "to your tripwires.",
                point=_LOCK_IN_POINT, threshold=_VEST_THRESHOLD,
            ))
    elif (
        not vesting_schedule(job)
        and figures.next_vest_date is not None
        and figures.next_vest_date <= horizon
        and figures.unvested_total is not None
        and figures.unvested_total > year
    ):
        flags.append(rule.flag(
            f"vest:{figures.next_vest_date.isoformat()}",
            f"{_money(figures.unvested_total, currency)} of unvested equity, with a vest "
            f"due on {_day(figures.next_vest_date)} — more than a year of your spending.",
            _VEST_WHY,
            [
                f"Unvested equity {_money(figures.unvested_total, currency)} ({taken})",
                f"Next vest: {_day(figures.next_vest_date)}",
                spending_line,
            ],
            "Write down now what would make you leave even before this vest, and add it "
            "to your tripwires.",
            point=_LOCK_IN_POINT, threshold=_VEST_THRESHOLD,
        ))
    return flags


def _performing_low(ctx: RuleContext) -> bool:
    """The user's last two job-performance answers are low (the low-performance flag's test)."""
    answers = ctx.answered("job-performance")
    return len(answers) >= 2 and all(
        a.number is not None and a.number <= LOW_PERFORMANCE for a in answers[:2])


@_rule("unease-unspoken", "conscience", SEVERITY_WARNING,
       cite((10, "speaks up when you're unhappy or uncomfortable")))
def _unease_unspoken(rule: Rule, ctx: RuleContext) -> Flag | None:
    """Troubled and silent — unless the job itself is going badly, when Expert 10 puts it first."""
    recent = ctx.answered("spoke-up-when-uneasy")[:8]
    silent = [a for a in recent if _text_is(a, UNEASY_SILENT)]
    if len(silent) < 2 or _performing_low(ctx):
        return None
    evidence = [f"Uneasy and did not speak up: {_when(a.answered_at, ctx.now)}" for a in silent]
    evidence.append(f"{len(silent)} of your last {len(recent)} answers")
    return rule.flag(
        silent[0].answered_at.date().isoformat(),
        "Twice or more recently you felt uneasy at work and did not say so.",
        "Keel asks about what went unsaid, not about how much time you spend questioning: "
        "one concern raised well is the point, not a share of your week.",
        evidence,
        "Write down what made you uneasy most recently and raise it with your manager or a "
        "colleague you trust within two weeks.",
        point="Expert 10 advises spending nearly all work time doing the job well, yet thinks "
              "the small remainder — paying attention, asking for the thinking behind "
              "decisions, speaking up when uncomfortable — can matter, since staff are part of "
              "an organisation's conscience.",
        threshold="uneasy and silent in 2 of your last 8 answers",
    )


@_rule("low-performance", "conscience", SEVERITY_WARNING,
       cite((10, "if you're not performing well I would focus exclusively on that")))
def _low_performance(rule: Rule, ctx: RuleContext) -> Flag | None:
    answers = ctx.answered("job-performance")

    def is_low(a: Answer) -> bool:
        return a.number is not None and a.number <= LOW_PERFORMANCE

    if not _performing_low(ctx):
        return None
    start = _run_start(answers, is_low)
    evidence = [
        f"Job performance {_number(a.number)}/5 on {_day(a.answered_at)}" for a in answers[:2]
    ]
    return rule.flag(
        start.answered_at.date().isoformat(),
        "You rated your own job performance low (2 or under) twice running.",
        "Keel asks how the job is going because the rest of its conscience questions assume "
        "it is going well; while it is not, Keel holds back its prompt to speak up more.",
        evidence,
        "Name the one thing most holding your work back and talk it through with your manager "
        "— or start asking honestly whether this is the right job.",
        point="Expert 10 finds criticism far more powerful from a high performer, and advises "
              "someone not performing well to focus on that, or leave, rather than spend "
              "energy debating company strategy.",
        threshold=f"{LOW_PERFORMANCE} or under on the 1–5 scale, twice running",
    )


@_rule("no-time-outside", "environment", SEVERITY_NOTICE,
       cite((1, "some time outside those environments")))
def _no_time_outside(rule: Rule, ctx: RuleContext) -> Flag | None:
    if ctx.snapshot.profile.situation != "at-lab":
        return None
    if "time-outside-lab" in ctx.disabled or not ctx.used_for(QUARTER):
        return None
    since = ctx.now - QUARTER
    recent = []
    for answer in ctx.answered("time-outside-lab"):
        if answer.answered_at < since:
            break
        recent.append(answer)
    if sum(a.number or 0 for a in recent) > 0:
        return None
    last = ctx.latest("time-outside-lab", lambda a: (a.number or 0) > 0)
    if recent:
        evidence = [f"{len(recent)} answer{'s' if len(recent) != 1 else ''} since "
                    f"{_day(since)} logged no time outside"]
    else:
        evidence = [f"No time outside the lab logged since {_day(since)}"]
    if last is not None:
        evidence.append(f"Last time outside logged: {_when(last.answered_at, ctx.now)}")
    return rule.flag(
        last.answered_at.date().isoformat() if last else "never",
        "No time logged outside the lab environment in the last three months.",
        "Keel sums the hours you log outside the lab, so a quarter spent entirely inside it "
        "is visible rather than a vague impression.",
        evidence,
        "Plan a concrete stint away in the next month: a visit, workshop or short project with "
        "a safety-focused group or an academic lab.",
        point="Expert 1 advises assuming you are psychologically affected by where you work, "
              "and would be most excited by alignment researchers who split their time between "
              "labs and places outside them (a safety-only organisation, a safety-focused "
              "academic group, independent research).",
        threshold="three months with no time outside logged",
    )


@_rule("offer-deadline", "", SEVERITY_WARNING)
def _offer_deadline(rule: Rule, ctx: RuleContext) -> list[Flag]:
    today = ctx.today
    flags = []
    options = sorted(
        (
            o for o in ctx.snapshot.options
            if o.status in ("offer", "interviewing")
            and o.offer_deadline is not None
            and today <= o.offer_deadline <= today + timedelta(days=7)
        ),
        key=lambda o: (o.offer_deadline, o.title),
    )
    for option in options:
        deadline = option.offer_deadline
        assert deadline is not None
        days = (deadline - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        flags.append(rule.flag(
            f"{option.id if option.id is not None else option.title}:{deadline.isoformat()}",
            f"The deadline for {option.title} is {when}.",
            "Deadlines push toward a quick yes; the experts' questions — the team, the kind of "
            "work, what gets published — are easier to weigh before the pressure peaks.",
            [f"Status: {option.status}", f"Offer deadline: {_day(deadline)}"],
            "Fill in the assessment for this option, read its panel, and book an hour to decide "
            "before the deadline.",
        ))
    return flags


@_rule("decision-revisit", "", SEVERITY_NOTICE)
def _decision_revisit(rule: Rule, ctx: RuleContext) -> list[Flag]:
    today = ctx.today
    due = sorted(
        (
            d for d in ctx.snapshot.decisions
            if d.revisit_on is not None and d.revisit_on <= today and d.revisited_at is None
        ),
        key=lambda d: (d.revisit_on, d.decided_at),
    )
    flags = []
    for decision in due:
        assert decision.revisit_on is not None
        summary = decision.summary.strip() or "a decision"
        if len(summary) > 80:
            summary = summary[:79].rstrip() + "…"
        evidence = [
            f"Decided on {_day(decision.decided_at)}",
            f"Revisit due {_when(decision.revisit_on, ctx.now)}",
        ]
        if decision.revisit_conditions.strip():
            evidence.append(f"You said you would revisit if: {decision.revisit_conditions.strip()}")
        ident = decision.id if decision.id is not None else decision.decided_at.isoformat()
        flags.append(rule.flag(
            f"{ident}:{decision.revisit_on.isoformat()}",
            f"Time to revisit your decision: {summary}",
            "A decision is easier to judge honestly with hindsight, against the reasons and "
            "revisit conditions you wrote down at the time.",
            evidence,
            "Reread the decision's reasons and answer: knowing what you know now, would you "
            "decide the same?",
        ))
    return flags


@_rule("tripwire-close", "tripwires", SEVERITY_NOTICE)
def _tripwire_close(rule: Rule, ctx: RuleContext) -> Flag | None:
    latest = ctx.latest("tripwire-crossed")
    if latest is None or not _text_is(latest, TRIPWIRE_CLOSE):
        return None
    return rule.flag(
        latest.answered_at.date().isoformat(),
        "One of your tripwires is getting close.",
        "Tripwires are Keel's own device, not the experts': deciding in advance what you "
        "will do keeps the line where you drew it.",
        [f"You answered “One is getting close” on {_when(latest.answered_at, ctx.now)}"],
        "Reread that tripwire and write down now what you will do if it is crossed.",
    )


@_rule("prompt-skipped", "", SEVERITY_NOTICE)
def _prompt_skipped(rule: Rule, ctx: RuleContext) -> list[Flag]:
    flags: dict[str, Flag] = {}

    def skipped(a: Answer) -> bool:
        return a.skipped

    for prompt_id, answers in ctx.by_prompt.items():
        if prompt_id in ctx.disabled or len(answers) < 3:
            continue
        if not all(a.skipped for a in answers[:3]):
            continue
        start = _run_start(answers, skipped)
        evidence = [
            f"Skipped on {_day(a.answered_at)}" + (f" ({a.skip_reason})" if a.skip_reason else "")
            for a in answers[:3]
        ]
        flags[prompt_id] = _skip_flag(
            rule, prompt_id, start.answered_at.date().isoformat(), evidence
        )
    for state in ctx.snapshot.prompt_states:
        if not state.enabled or state.skip_streak < 3 or state.prompt_id in flags:
            continue
        answers = ctx.answers(state.prompt_id)
        if answers and answers[0].skipped:
            situation = _run_start(answers, skipped).answered_at.date().isoformat()
        else:
            situation = "streak"
        evidence = [f"Skipped {state.skip_streak} times running"]
        if state.last_asked_at is not None:
            evidence.append(f"Last asked {_when(state.last_asked_at, ctx.now)}")
        flags[state.prompt_id] = _skip_flag(rule, state.prompt_id, situation, evidence)
    return [flags[prompt_id] for prompt_id in sorted(flags)]


def _skip_flag(rule: Rule, prompt_id: str, since: str, evidence: list[str]) -> Flag:
    label = _PROMPT_LABELS.get(prompt_id, prompt_id)
    return rule.flag(
        f"{prompt_id}:{since}",
        f"You have skipped “{label}” three times running.",
        "A question you keep passing over has either stopped fitting your situation or become "
        "uncomfortable to answer — both are worth knowing.",
        evidence,
        "Answer it at your next check-in, or switch it off or change how often it is asked in "
        "Settings.",
    )


# ----------------------------------------------------------------- concerns about the work
#
# From the user's own answers: the newest check-in answer to a prompt about the work (if
# recent), and the current assessment answers of each option still in play.

INACTIVE_STATUSES = ("declined", "left")
OPEN_LABELS = ("Partly published", "Published openly", "Models or code open-sourced")
_CAPABILITY_KINDS = ("capabilities", "mixed")


def _recent(ctx: RuleContext, prompt_id: str) -> Answer | None:
    latest = ctx.latest(prompt_id)
    if latest is None or ctx.now - latest.answered_at > RECENT_ANSWER:
        return None
    return latest


def _assessed(
    ctx: RuleContext, question_id: str, matches: Callable[[AssessmentAnswer], bool],
    capability_work_only: bool = True, checkin_prompt: str = "",
) -> list[tuple[JobOption, AssessmentAnswer]]:
    """Options in play whose current answer to ``question_id`` matches, oldest option first.

    For the job the user holds, a recent answer to ``checkin_prompt`` (the same question
    asked at check-ins) is newer than the assessment made while weighing it, so it speaks
    for that job instead.
    """
    superseded = bool(checkin_prompt) and _recent(ctx, checkin_prompt) is not None
    found = []
    for option in sorted(ctx.snapshot.options, key=lambda o: (o.id or 0, o.title)):
        if option.status in INACTIVE_STATUSES or option.id is None:
            continue
        if superseded and option.status == "current":
            continue
        if capability_work_only and option.work_kind not in _CAPABILITY_KINDS:
            continue
        answer = ctx.assessment(option.id).get(question_id)
        if answer is not None and matches(answer):
            found.append((option, answer))
    return found


def _choice_in(*labels: str) -> Callable[[AssessmentAnswer], bool]:
    wanted = {label.casefold() for label in labels}
    return lambda a: (a.text or "").strip().casefold() in wanted


def _said(answer: Answer | AssessmentAnswer) -> str:
    if answer.text:
        return answer.text.strip()
    if isinstance(answer, Answer) and answer.kind is AnswerKind.YESNO:
        return "Yes" if answer.number else "No"
    return _number(answer.number)


_ASSESSMENT_STEP = ("Reread this option's panel and write down what would have to be true "
                    "for this not to apply.")
_CONCERN_WHY = ("Keel raises this from your own answer, so concerns about the work itself "
                "sit on Today beside the ones about your habits.")


@_rule("commons", "disclosure", SEVERITY_WARNING, cite(
    (5, "burn the capabilities commons"), (3, "publish a trail of breadcrumbs")))
def _commons(rule: Rule, ctx: RuleContext) -> list[Flag]:
    point = ("Expert 5 regards publishing capability advances, opening models or code and "
             "showing off exciting results as burning a shared commons while there is no plan "
             "for AGI going well, and advises working only where research stays closed — or not "
             "working. Expert 3 warns that teams promising privacy 'when it matters' tend to "
             "publish a trail of breadcrumbs to their insights first.")
    flags = []
    latest = _recent(ctx, "team-publishes-capabilities")
    if latest is not None and not _text_is(latest, "no") and latest.text:
        flags.append(rule.flag(
            f"team:{latest.answered_at.date().isoformat()}",
            "You said your team publishes, open-sources or publicises its capability results.",
            _CONCERN_WHY,
            [f"Your answer on {_when(latest.answered_at, ctx.now)}: “{_said(latest)}”"],
            "Find out what review stands between a capability result and its release, and "
            "write down whether you could accept it.",
            point=point))
    for option, answer in _assessed(ctx, "open-or-closed", _choice_in(*OPEN_LABELS),
                                    checkin_prompt="team-publishes-capabilities"):
        flags.append(rule.flag(
            f"option:{option.id}:{answer.answered_at.date().isoformat()}",
            f"{option.title}: you assessed its work as “{_said(answer)}”.",
            _CONCERN_WHY,
            [f"Assessment of {option.title}: open or closed — “{_said(answer)}”"],
            _ASSESSMENT_STEP, point=point))
    return flags



@_rule("employer-test", "disclosure", SEVERITY_NOTICE,
       cite((5, "isn't going to push the edge of capabilities")))
def _employer_test(rule: Rule, ctx: RuleContext) -> list[Flag]:
    return [rule.flag(
        f"option:{option.id}:{answer.answered_at.date().isoformat()}",
        f"{option.title}: you doubt it stays back from the edge of capabilities.",
        _CONCERN_WHY,
        [f"Assessment of {option.title}: stays back from the edge, opens nothing, excites "
         f"no entrants — “{_said(answer)}”"],
        _ASSESSMENT_STEP,
        point="Expert 5 advises taking a job only with a company that won't push the edge of "
              "capabilities, won't open-source anything and won't excite new entrants to the "
              "field — and otherwise not working.",
    ) for option, answer in _assessed(ctx, "edge-and-entrants",
                                      _choice_in("Some of these", "None of these"))]


_MARGINAL = ("Expert 10 thinks a single engineer's or researcher's marginal effect on "
             "capabilities is usually small and can be outweighed by the benefits of the role.")


@_rule("bottleneck-no-upside", "agi-bottleneck", SEVERITY_WARNING, cite(
    (6, "Avoid AGI-bottleneck work that doesn't have either"), (7, "by default be skeptical"),
), cite((10, "the marginal impact of an engineer or researcher is usually small")))
def _bottleneck_no_upside(rule: Rule, ctx: RuleContext) -> list[Flag]:
    point = ("Expert 6 advises avoiding work that chips away at bottlenecks to AGI — such as "
             "making large-model training more efficient — unless it has a clear alignment "
             "upside or is carefully mitigated, even when it helps your learning or career. "
             "Expert 7 says to be sceptical of capability-advancing work by default.")
    flags = []
    latest = _recent(ctx, "bottleneck-upside")
    if latest is not None and _text_is(latest, "neither"):
        flags.append(rule.flag(
            f"work:{latest.answered_at.date().isoformat()}",
            "You said your efficiency work on large models has neither a clear alignment "
            "benefit nor careful limits on its spread.",
            _CONCERN_WHY,
            [f"Your answer on {_when(latest.answered_at, ctx.now)}: “{_said(latest)}”"],
            "Write down which of the two you could add — an alignment aim or limits on use and "
            "sharing — and raise it with your manager.",
            point=point, counterpoint=_MARGINAL))
    for option, answer in _assessed(ctx, "alignment-targeted", _choice_in("No"),
                                    checkin_prompt="bottleneck-upside"):
        if not ctx.assessment(option.id or 0).get("agi-bottleneck") or not (
                ctx.assessment(option.id or 0)["agi-bottleneck"].number):
            continue
        flags.append(rule.flag(
            f"option:{option.id}:{answer.answered_at.date().isoformat()}",
            f"{option.title}: AGI-bottleneck work that you say is not aimed at alignment.",
            _CONCERN_WHY,
            [f"Assessment of {option.title}: AGI-bottleneck work — Yes; aimed at alignment — No"],
            _ASSESSMENT_STEP, point=point, counterpoint=_MARGINAL))
    return flags


@_rule("bottleneck-undiscussed", "agi-bottleneck", SEVERITY_NOTICE, cite(
    (6, "worth discussing the project with people in advance")))
def _bottleneck_undiscussed(rule: Rule, ctx: RuleContext) -> Flag | None:
    if ctx.snapshot.profile.situation == "student":
        return None  # Expert 6: students need not sweat it
    work = _recent(ctx, "agi-bottleneck-work")
    discussed = _recent(ctx, "agi-bottleneck-discussed")
    upside = _recent(ctx, "bottleneck-upside")
    if work is None or not work.number or discussed is None or discussed.number != 0:
        return None
    if upside is not None and not _text_is(upside, "clear alignment benefit"):
        return None  # no alignment aim: Expert 6's advice is to avoid it (bottleneck-no-upside)
    evidence = [f"Efficiency work on large models: Yes ({_day(work.answered_at)})",
                f"Discussed with others beforehand: No ({_day(discussed.answered_at)})"]
    if upside is None:
        evidence.append("Whether it has a clear alignment benefit: not answered yet")
    return rule.flag(
        discussed.answered_at.date().isoformat(),
        "You do efficiency work on large models and have not discussed it with others.",
        _CONCERN_WHY,
        evidence,
        "Describe the project to two people you trust on AI risk and ask whether it is "
        "worthwhile overall; if it is not aimed at alignment, answer the question on its "
        "alignment benefit too.",
        point="For alignment-targeted work that also touches AGI bottlenecks, Expert 6 "
              "suggests talking the project over with others beforehand, expects most such "
              "discussions to end in going ahead, but thinks the stakes make them worth having.")


@_rule("friendly-actor", "value-drift", SEVERITY_NOTICE, cite(
    (9, "should be defiant of these arguments"),
), cite((8, "shortening timelines today costs us that much safety")))
def _friendly_actor(rule: Rule, ctx: RuleContext) -> Flag | None:
    latest = _recent(ctx, "friendly-actor-argument")
    if latest is None or not (latest.text or "").casefold().startswith("it persuaded me"):
        return None
    return rule.flag(
        latest.answered_at.date().isoformat(),
        "You found the argument for speeding up 'responsible' labs persuasive.",
        "Keel does not treat a changed view as drift by itself; this is a contested argument, "
        "so it asks you to write down why you accept it.",
        [f"Your answer on {_when(latest.answered_at, ctx.now)}: “{_said(latest)}”"],
        "Write down the argument as you now hold it, and whether the person who wrote your "
        "baseline would have accepted it.",
        point="Expert 9 calls acting on the view that 'friendly' actors should be sped up to "
              "reach AGI first extremely irresponsible, and urges people to be defiant of it "
              "as a pretext for speeding up capabilities.",
        counterpoint="Expert 8 does not believe shortening timelines today costs much safety, "
                     "relative to being better placed closer to the critical period.")


@_rule("team-toward-capabilities", "team", SEVERITY_WARNING, cite(
    (9, "large teams focusing on accelerating capabilities"),
), cite((8, "this distinction shouldn't be used to guide action")))
def _team_toward_capabilities(rule: Rule, ctx: RuleContext) -> list[Flag]:
    point = ("Expert 9 says the team and the kind of work matter as well as the organisation: "
             "work on teams focused on accelerating capabilities is probably harmful, even "
             "inside organisations known for talking about safety.")
    counter = ("Expert 8 finds the line between safety and capabilities so blurry in practice "
               "that it often shouldn't guide action.")
    flags = []
    latest = _recent(ctx, "team-direction")
    if latest is not None and _text_is(latest, "toward capabilities"):
        flags.append(rule.flag(
            f"team:{latest.answered_at.date().isoformat()}",
            "You said your team's work has moved toward capabilities.",
            _CONCERN_WHY,
            [f"Your answer on {_when(latest.answered_at, ctx.now)}: “{_said(latest)}”"],
            "Write down what the team now spends its effort on, and whether you would join it "
            "today as it is.",
            point=point, counterpoint=counter))
    for option, answer in _assessed(ctx, "team-judgement", _choice_in("Mostly capabilities"),
                                    capability_work_only=False, checkin_prompt="team-direction"):
        flags.append(rule.flag(
            f"option:{option.id}:{answer.answered_at.date().isoformat()}",
            f"{option.title}: you judge the team's work as mostly capabilities.",
            _CONCERN_WHY,
            [f"Assessment of {option.title}: team judgement — “{_said(answer)}”"],
            _ASSESSMENT_STEP, point=point, counterpoint=counter))
    return flags


_OVERFOCUS = ("Expert 10 thinks the EA community seems generally to dwell too much on the harm "
              "of speeding up capabilities.")


@_rule("good-faith-unjudged", "good-faith", SEVERITY_WARNING, cite(
    (11, "not try to work on AI capabilities research in any setting"),
), cite((10, "overfocus on the badness of speeding capabilities")))
def _good_faith_unjudged(rule: Rule, ctx: RuleContext) -> list[Flag]:
    point = ("Expert 11 suggests that someone who feels unable to judge whether they are "
             "improving good faith between the major labs and the public should probably stay "
             "out of capabilities research altogether, wherever it is done.")
    flags = []
    latest = _recent(ctx, "good-faith-judgement")
    if (ctx.snapshot.profile.situation == "at-lab" and latest is not None
            and latest.number is not None and latest.number <= 2):
        flags.append(rule.flag(
            f"lab:{latest.answered_at.date().isoformat()}",
            "You doubt you can tell whether your lab's conduct raises or lowers trust "
            "between labs.",
            _CONCERN_WHY,
            [f"Your confidence on {_when(latest.answered_at, ctx.now)}: "
             f"{_number(latest.number)}/5"],
            "Ask two colleagues how they read relations between your lab, other labs and the "
            "public, and note whether their answers give you a basis to judge.",
            point=point, counterpoint=_OVERFOCUS,
            threshold="a confidence of 2 or under on the 1–5 scale"))
    for option, answer in _assessed(ctx, "good-faith", _choice_in("I can't judge this"),
                                    checkin_prompt="good-faith-judgement"):
        flags.append(rule.flag(
            f"option:{option.id}:{answer.answered_at.date().isoformat()}",
            f"{option.title}: you can't judge its effect on good faith between labs.",
            _CONCERN_WHY,
            [f"Assessment of {option.title}: good faith — “{_said(answer)}”"],
            _ASSESSMENT_STEP, point=point, counterpoint=_OVERFOCUS))
    return flags


@_rule("no-big-payoff", "agi-bottleneck", SEVERITY_NOTICE, cite(
    (7, "worth it if it brings a big payoff"),
), cite((10, "the marginal impact of an engineer or researcher is usually small")))
def _no_big_payoff(rule: Rule, ctx: RuleContext) -> list[Flag]:
    return [rule.flag(
        f"option:{option.id}:{answer.answered_at.date().isoformat()}",
        f"{option.title}: you could not name a big payoff for its capability side.",
        _CONCERN_WHY,
        [f"Assessment of {option.title}: big payoff elsewhere — “{_said(answer)}”"],
        _ASSESSMENT_STEP,
        point="Expert 7 thinks timelines are short and that capability-advancing research can "
              "be worth it when it pays off handsomely in some other way — but deserves "
              "scepticism by default.",
        counterpoint=_MARGINAL,
    ) for option, answer in _assessed(ctx, "big-payoff", _choice_in("None I can name"))]


@_rule("cannot-hold-back", "disclosure", SEVERITY_WARNING, cite(
    (3, "capable of noticing when the deployed system would not be friendly"),
), cite((8, "shortening timelines today costs us that much safety")))
def _cannot_hold_back(rule: Rule, ctx: RuleContext) -> list[Flag]:
    return [rule.flag(
        f"option:{option.id}:{answer.answered_at.date().isoformat()}",
        f"{option.title}: you doubt the team could notice an unsafe system and hold it back.",
        _CONCERN_WHY,
        [f"Assessment of {option.title}: could notice and hold back — “{_said(answer)}”"],
        _ASSESSMENT_STEP,
        point="Expert 3 thinks prosocial capability research is possible only in private, "
              "by a team that understands the dangers and is capable of noticing when a system "
              "would not be friendly and refraining from deploying it — and guesses that even then "
              "capability advances burn serial time alignment needs.",
        counterpoint="Expert 8 does not believe shortening timelines today costs much safety, "
                     "relative to being better placed closer to the critical period.",
    ) for option, answer in _assessed(ctx, "notice-and-refrain",
                                      _choice_in("Doubtful", "Can't tell"))]


RULES: tuple[Rule, ...] = (
    _tripwire_crossed,
    _worry_drift,
    _worry_rose,
    _no_conversation,
    _no_reading,
    _financial_lock_in,
    _commons,
    _cannot_hold_back,
    _bottleneck_no_upside,
    _team_toward_capabilities,
    _good_faith_unjudged,
    _unease_unspoken,
    _low_performance,
    _no_time_outside,
    _offer_deadline,
    _decision_revisit,
    _tripwire_close,
    _employer_test,
    _bottleneck_undiscussed,
    _friendly_actor,
    _no_big_payoff,
    _prompt_skipped,
)
"""Every flag rule, in the order flags of equal severity are shown."""

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


# --------------------------------------------------------------------------- public API


def all_flags(snapshot: JournalSnapshot, now: datetime) -> list[Flag]:
    """Every flag the rules raise at ``now``, dismissed or not, by severity then rule order."""
    ctx = RuleContext.build(snapshot, now)
    flags = [flag for rule in RULES for flag in rule.evaluate(ctx)]
    flags.sort(key=lambda f: -f.severity)  # stable: rule order kept within a severity
    return flags


def is_hidden(flag: Flag, actions: Iterable[FlagAction], now: datetime) -> bool:
    """Whether a dismissal (of this flag's key, or of its whole rule) or a running snooze hides it.

    A snooze recorded without ``until`` lasts :data:`DEFAULT_SNOOZE`.
    """
    for action in actions:
        if action.flag_id not in (flag.key, flag.id):
            continue
        if action.action == "dismissed":
            return True
        if action.action == "snoozed":
            until = action.until or action.created_at + DEFAULT_SNOOZE
            if until > now:
                return True
    return False


def active_flags(snapshot: JournalSnapshot, now: datetime) -> list[Flag]:
    """Flags to show now: :func:`all_flags` minus those dismissed or snoozed past ``now``."""
    actions = snapshot.flag_actions
    return [flag for flag in all_flags(snapshot, now) if not is_hidden(flag, actions, now)]


def flag_history(snapshot: JournalSnapshot) -> list[FlagAction]:
    """Every dismissal and snooze, newest first."""
    return sorted(snapshot.flag_actions, key=lambda a: a.created_at, reverse=True)
