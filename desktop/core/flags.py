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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from desktop.core.finance import (
    add_months,
    current_job,
    latest_snapshot,
    lock_in,
    vesting_schedule,
)
from desktop.core.records import (
    Answer,
    BaselineVersion,
    FlagAction,
    JournalSnapshot,
)

EIGHT_WEEKS = timedelta(weeks=8)
QUARTER = timedelta(days=91)
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
    evidence: tuple[str, ...]
    next_step: str


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

    def used_for(self, span: timedelta) -> bool:
        """Whether the first check-in (or answer) is at least ``span`` old."""
        return self.first_use is not None and self.now - self.first_use >= span


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """A named flag rule; call it with ``(snapshot, now)``."""

    id: str
    theme: str
    experts: tuple[int, ...]
    severity: int
    check: Callable[[Rule, RuleContext], Flag | list[Flag] | None]

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
        )


def _rule(
    rule_id: str, theme: str, experts: tuple[int, ...], severity: int
) -> Callable[[Callable[[Rule, RuleContext], Flag | list[Flag] | None]], Rule]:
    def wrap(check: Callable[[Rule, RuleContext], Flag | list[Flag] | None]) -> Rule:
        return Rule(rule_id, theme, experts, severity, check)

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
    rule: Rule, ctx: RuleContext, prompt_id: str, noun: str, message: str, why: str, step: str
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
    return rule.flag(situation, message, why, evidence, step)


@_rule("tripwire-crossed", "tripwires", (4, 10), SEVERITY_TRIPWIRE)
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
        "You set your tripwires while you could judge calmly. Expert 4's warning about slow "
        "drift and Expert 10's advice to speak up when uneasy both point to acting on them "
        "rather than quietly moving the line.",
        evidence,
        "Within a week, write down what you will do about it — raise it, speak up or start "
        "looking — and tell one person you trust.",
    )


@_rule("worry-drift", "value-drift", (4, 1), SEVERITY_WARNING)
def _worry_drift(rule: Rule, ctx: RuleContext) -> Flag | None:
    baseline = _latest_baseline(ctx.snapshot.baselines, ctx.now)
    if baseline is None or baseline.worry is None:
        return None
    latest = ctx.latest("worry-level")
    if latest is None or latest.number is None or latest.answered_at < baseline.created_at:
        return None
    delta = latest.number - baseline.worry
    if abs(delta) < 2:
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
    return rule.flag(
        f"{baseline.id}:{direction}",
        f"Your worry about AI risk has moved {abs(delta):g} points {direction} since your "
        "baseline, with no argument recorded that you would have accepted at the start.",
        "Expert 4 warns that views can shift through the people and work around you without "
        "any argument you would endorse from where you began; Expert 1 sees the same pull "
        "from motivated reasoning and conformity inside labs.",
        evidence,
        "Reread your baseline, write down the argument that moved you, and ask whether the "
        "person who wrote that baseline would accept it.",
    )


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


@_rule("no-xrisk-conversation", "social-circle", (4,), SEVERITY_WARNING)
def _no_conversation(rule: Rule, ctx: RuleContext) -> Flag | None:
    return _lapsed(
        rule, ctx, "xrisk-conversations", "conversation with an x-risk worrier",
        "No conversation with someone who worries about AI x-risk logged in 8 weeks.",
        "Expert 4 warns that the people around you can shift your view of AI risk without "
        "any argument you would have accepted; keeping x-risk worriers in your life is the "
        "counterweight.",
        "Arrange a call or a coffee this week with someone who takes AI x-risk seriously, "
        "and log it at your next check-in.",
    )


@_rule("no-xrisk-reading", "reading", (4,), SEVERITY_WARNING)
def _no_reading(rule: Rule, ctx: RuleContext) -> Flag | None:
    return _lapsed(
        rule, ctx, "xrisk-reading", "reading on AI x-risk",
        "No reading on AI x-risk logged in 8 weeks.",
        "Expert 4 suggests that anyone in a capabilities-adjacent role keep reading current "
        "work on AI x-risk, so their views are tested against it and not only against "
        "colleagues.",
        "Set aside an hour this week for a recent post or paper on AI x-risk, and note what, "
        "if anything, it changed for you.",
    )


@_rule("financial-lock-in", "financial-lock-in", (10,), SEVERITY_WARNING)
def _financial_lock_in(rule: Rule, ctx: RuleContext) -> list[Flag]:
    snapshot = latest_snapshot(ctx.snapshot.snapshots, ctx.now)
    job = current_job(ctx.snapshot.options)
    today = ctx.today
    figures = lock_in(snapshot, job, today)
    flags: list[Flag] = []
    if snapshot is None:
        return flags
    currency = snapshot.currency
    taken = f"snapshot of {_when(snapshot.taken_at, ctx.now)}"

    if figures.runway_months is not None and figures.runway_months < 6:
        assert snapshot.liquid_savings is not None and snapshot.monthly_spending is not None
        flags.append(rule.flag(
            f"runway:{snapshot.id}",
            f"Your savings would cover about {figures.runway_months:.1f} months of spending — "
            "under six.",
            "Expert 10 advises staying out of money situations that make it hard to switch to "
            "work more squarely aimed at doing good; a thin cushion makes every move riskier.",
            [
                f"Savings {_money(snapshot.liquid_savings, currency)} ÷ spending "
                f"{_money(snapshot.monthly_spending, currency)} a month ({taken})",
            ],
            "Set a target of six months' spending in savings and note one cost you could cut; "
            "update your financial snapshot when it changes.",
        ))

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
                "Expert 10 asks you to keep checking that you could still switch jobs; a large "
                "vest just ahead is the kind of pull that makes leaving feel too costly.",
                [
                    f"Vesting by {_day(horizon)}: {_money(amount, currency)}",
                    f"Next vest: {_day(first_day)}, {_money(first_amount, currency)}",
                    spending_line,
                ],
                "Write down now what would make you leave even before this vest, and add it "
                "to your tripwires.",
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
            "Expert 10 asks you to keep checking that you could still switch jobs; a large "
            "vest just ahead is the kind of pull that makes leaving feel too costly.",
            [
                f"Unvested equity {_money(figures.unvested_total, currency)} ({taken})",
                f"Next vest: {_day(figures.next_vest_date)}",
                spending_line,
            ],
            "Write down now what would make you leave even before this vest, and add it "
            "to your tripwires.",
        ))
    return flags


@_rule("conscience-share-zero", "conscience", (10,), SEVERITY_WARNING)
def _conscience_zero(rule: Rule, ctx: RuleContext) -> Flag | None:
    answers = ctx.answered("conscience-share")

    def is_zero(a: Answer) -> bool:
        return a.number is not None and a.number <= 0

    if len(answers) < 3 or not all(is_zero(a) for a in answers[:3]):
        return None
    start = _run_start(answers, is_zero)
    evidence = [f"Conscience share 0% on {_day(a.answered_at)}" for a in answers[:3]]
    if start.answered_at < answers[2].answered_at:
        evidence.append(f"At 0% since {_day(start.answered_at)}")
    return rule.flag(
        start.answered_at.date().isoformat(),
        "For three check-ins running you spent no time questioning your organisation's "
        "decisions.",
        "Expert 10 suggests spending the great bulk of your time doing the job well and a "
        "small share — around 5% — understanding and questioning what the organisation "
        "decides, since staff are part of its conscience.",
        evidence,
        "Pick one recent decision by your organisation and ask someone involved to explain "
        "the thinking behind it.",
    )


@_rule("unease-unspoken", "conscience", (10,), SEVERITY_WARNING)
def _unease_unspoken(rule: Rule, ctx: RuleContext) -> Flag | None:
    recent = ctx.answered("spoke-up-when-uneasy")[:8]
    silent = [a for a in recent if _text_is(a, UNEASY_SILENT)]
    if len(silent) < 2:
        return None
    evidence = [f"Uneasy and did not speak up: {_when(a.answered_at, ctx.now)}" for a in silent]
    evidence.append(f"{len(silent)} of your last {len(recent)} answers")
    return rule.flag(
        silent[0].answered_at.date().isoformat(),
        "Twice or more recently you felt uneasy at work and did not say so.",
        "Expert 10 sees employees who ask about the thinking behind decisions, and speak up "
        "when uncomfortable, as part of an organisation's conscience.",
        evidence,
        "Write down what made you uneasy most recently and raise it with your manager or a "
        "colleague you trust within two weeks.",
    )


@_rule("low-performance", "conscience", (10,), SEVERITY_WARNING)
def _low_performance(rule: Rule, ctx: RuleContext) -> Flag | None:
    answers = ctx.answered("job-performance")

    def is_low(a: Answer) -> bool:
        return a.number is not None and a.number <= 2

    if len(answers) < 2 or not (is_low(answers[0]) and is_low(answers[1])):
        return None
    start = _run_start(answers, is_low)
    evidence = [
        f"Job performance {_number(a.number)}/5 on {_day(a.answered_at)}" for a in answers[:2]
    ]
    return rule.flag(
        start.answered_at.date().isoformat(),
        "You rated your own job performance low (2 or under) twice running.",
        "Expert 10 argues that criticism carries most weight from a strong performer, and that "
        "when the work is not going well the priority is to fix that — or to leave — before "
        "debating strategy.",
        evidence,
        "Name the one thing most holding your work back and talk it through with your manager "
        "— or start asking honestly whether this is the right job.",
    )


@_rule("no-time-outside", "environment", (1,), SEVERITY_NOTICE)
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
        "Expert 1 suggests assuming your workplace shapes your views, and values time in "
        "safety-focused or academic settings too — warning against the comfortable path that "
        "never switches.",
        evidence,
        "Plan a concrete stint away in the next month: a visit, workshop or short project with "
        "a safety-focused group or an academic lab.",
    )


@_rule("offer-deadline", "", (), SEVERITY_WARNING)
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


@_rule("decision-revisit", "", (), SEVERITY_NOTICE)
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


@_rule("tripwire-close", "tripwires", (4, 10), SEVERITY_NOTICE)
def _tripwire_close(rule: Rule, ctx: RuleContext) -> Flag | None:
    latest = ctx.latest("tripwire-crossed")
    if latest is None or not _text_is(latest, TRIPWIRE_CLOSE):
        return None
    return rule.flag(
        latest.answered_at.date().isoformat(),
        "One of your tripwires is getting close.",
        "Deciding in advance what you will do keeps the line where you drew it: Expert 4 "
        "warns that views can slide gradually once you are inside, and Expert 10 urges "
        "speaking up while you are uneasy rather than after.",
        [f"You answered “One is getting close” on {_when(latest.answered_at, ctx.now)}"],
        "Reread that tripwire and write down now what you will do if it is crossed.",
    )


@_rule("prompt-skipped", "", (), SEVERITY_NOTICE)
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


RULES: tuple[Rule, ...] = (
    _tripwire_crossed,
    _worry_drift,
    _no_conversation,
    _no_reading,
    _financial_lock_in,
    _conscience_zero,
    _unease_unspoken,
    _low_performance,
    _no_time_outside,
    _offer_deadline,
    _decision_revisit,
    _tripwire_close,
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
