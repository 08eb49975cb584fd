"""A realistic, deterministic demo journal for screenshots, trying Keel out and benchmarks.

The person: an ML engineer who joined Meridian AI (a fictional frontier lab) on a
capabilities-adjacent team ``years`` ago and is now weighing a move toward safety work.
Every organisation and person is invented; every sentence is Keel's own.

What the generated journal shows on purpose:

* a weekly check-in rhythm with a few missed weeks, the last one 8 days and some hours
  before ``now`` — so a check-in is due;
* worry about AI risk drifting down about two points from the baseline with no argument
  the user would have endorsed at the start — so the value-drift flag fires;
* conversations with x-risk worriers thinning out, none in the last nine weeks;
* an offer from Halcyon Safety Institute with a deadline ten days after ``now``, and a
  decision whose revisit date has passed without a revisit.

Sizes follow the benchmark issue: about one free entry a week for short spans (2 years →
~104 entries) and about one a day from 5 years up (10 years → ~3,650; 100 → ~36,500).
Rows are written with bulk ``INSERT``s in a few transactions, so 10 years takes a few
seconds and 100 years well under a minute. Only ``random.Random(seed)`` is used: the same
arguments give the same journal.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from db.assessments import insert_assessment_answer
from db.checkins import AnswerInput, insert_checkin
from db.engine import Database
from db.events import insert_event
from db.journal import insert_entry
from db.options import insert_decision, insert_option
from db.profile_history import (
    insert_baseline,
    insert_money_snapshot,
    insert_tripwire,
    insert_tripwire_version,
)
from db.settings import PROFILE_KEY, write_value
from db.timeutil import from_db, to_db
from desktop.core.records import AnswerKind, Decision, JobOption, Profile

if TYPE_CHECKING:
    from db.access import Session

Progress = Callable[[int, int], None]

CHUNK = 2000
"""Rows per progress step; each chunk is one transaction."""


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` wrote."""

    years: float
    entries: int
    checkins: int
    answers: int
    options: int
    decisions: int
    first_day: date
    last_checkin_at: datetime

    def __str__(self) -> str:
        return (
            f"{self.years:g} years from {self.first_day.isoformat()}: "
            f"{self.entries:,} entries, {self.checkins:,} check-ins "
            f"({self.answers:,} answers), {self.options} job options, "
            f"{self.decisions} decisions"
        )


HAS_CONTENT = ("SELECT EXISTS (SELECT 1 FROM entries) OR EXISTS (SELECT 1 FROM checkins) "
               "OR EXISTS (SELECT 1 FROM job_options)")


def is_empty(db: Database) -> bool:
    """Whether the journal has no entries, check-ins or job options yet."""
    with db.read() as session:
        return not session.execute(HAS_CONTENT).scalar()


# --------------------------------------------------------------------------- prompts

WEEKLY, FORTNIGHTLY, MONTHLY, QUARTERLY = 7, 14, 28, 91

PROMPTS: tuple[tuple[str, str, int], ...] = (
    ("worry-level", "scale", WEEKLY),
    ("view-shift-argument", "text", MONTHLY),
    ("view-shift-endorsed", "choice", MONTHLY),
    ("xrisk-conversations", "number", WEEKLY),
    ("xrisk-reading", "number", WEEKLY),
    ("switch-within-3-months", "yesno", MONTHLY),
    ("conscience-share", "number", WEEKLY),
    ("spoke-up-when-uneasy", "choice", WEEKLY),
    ("job-performance", "scale", FORTNIGHTLY),
    ("time-outside-lab", "number", WEEKLY),
    ("take-job-today", "yesno", QUARTERLY),
    ("safety-tilt-asked", "choice", QUARTERLY),
    ("agi-bottleneck-work", "yesno", MONTHLY),
    ("agi-bottleneck-discussed", "yesno", MONTHLY),
    ("team-publishes-capabilities", "choice", QUARTERLY),
    ("team-direction", "choice", QUARTERLY),
    ("bottleneck-upside", "choice", QUARTERLY),
    ("good-faith-action", "text", MONTHLY),
    ("tripwire-crossed", "choice", WEEKLY),
)
"""(prompt id, answer kind, days between askings) for the prompts the demo answers."""

SKIP_REASONS = (
    "Long week; I'll come back to this one.",
    "Travelling — didn't have a clear answer.",
    "Not sure how to count this honestly this week.",
    "Too tired to think about it properly.",
    "Skipping; I want to talk this through with someone first.",
)

ARGUMENTS = (
    "A colleague walked me through why she thinks evals will catch most dangerous behaviour "
    "before deployment. It sounded reasonable in the room.",
    "Mostly the mood at the offsite: everyone seemed calm about the next model, and I "
    "caught myself borrowing their calm.",
    "A long thread arguing that scaling is hitting diminishing returns. I did not check "
    "the numbers.",
    "Watching the red-team results come back cleaner than I expected.",
    "Nothing I could point to — it just feels less urgent when the work is going well.",
    "A talk claiming that interpretability is further along than I assumed.",
)
NO_SHIFT = (
    "Nothing really moved this month.",
    "No change I can name.",
    "Same view as last month, I think.",
)
GOOD_FAITH = (
    "Answered a journalist's background questions carefully and without hype.",
    "Pushed for the model card to state the known failure modes plainly.",
    "Shared our eval methodology with a friend at another lab so they could compare.",
    "Gave a talk at a local meetup that was honest about what we don't know.",
    "Flagged an overclaiming sentence in a launch post draft; it was removed.",
    "Nothing this month, honestly.",
    "Helped a policy researcher understand how our release process works.",
)
REFLECTIONS = (
    "A steady week. I notice I answer the worry question faster than I used to, which "
    "is itself worth noticing.",
    "Busy sprint. I want to protect *Thursday evenings* for reading again.",
    "Good conversation with my manager about **what we publish**. Nothing decided.",
    "Felt the pull of the comfortable path this week: the project is fun and the team "
    "is kind. That is the comfortable path Expert 1 warns about.",
    "Tired. Skipped the reading group. Next week.",
    "I keep meaning to call the people from the reading group. Put it in the calendar.",
    "",
    "The vesting date is coming up and I can feel it shaping how I think about leaving.",
    "Spoke up in the design review about the release timeline. Felt awkward, was right "
    "to do it.",
    "",
)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class _Answers:
    """Plausible answers with gentle drift over the span (``t`` runs from 0 to 1)."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.shifted = False
        self.bottleneck = False
        self.last_zero_conscience = False

    def value(self, prompt_id: str, t: float, when: datetime, last: bool) -> tuple[Any, Any]:
        """(text, number) for one prompt."""
        rng = self.rng
        recent = self.now - when
        if prompt_id == "worry-level":
            if last:
                return None, 5.0
            noise = rng.choice((-1, 0, 0, 0, 0, 1))
            return None, float(round(_clamp(7.2 - 2.2 * t + noise, 3, 9)))
        if prompt_id == "view-shift-argument":
            self.shifted = rng.random() < 0.3 + 0.2 * t
            return (rng.choice(ARGUMENTS) if self.shifted else rng.choice(NO_SHIFT)), None
        if prompt_id == "view-shift-endorsed":
            if not self.shifted:
                return "My view did not move", None
            return rng.choice(
                ("No — I would not have accepted it then", "Not sure", "Not sure")
            ), None
        if prompt_id == "xrisk-conversations":
            if recent < timedelta(days=64):
                return None, 0.0
            rate = 2.2 - 1.4 * t
            return None, float(max(0, round(rng.gauss(rate, 0.9))))
        if prompt_id == "xrisk-reading":
            return None, round(_clamp(rng.gauss(2.5 - 1.2 * t, 0.8), 0.5, 6), 1)
        if prompt_id == "switch-within-3-months":
            return None, 1.0 if rng.random() < 0.8 - 0.6 * t else 0.0
        if prompt_id == "conscience-share":
            if not self.last_zero_conscience and not last and rng.random() < 0.06:
                self.last_zero_conscience = True
                return None, 0.0
            self.last_zero_conscience = False
            return None, float(round(_clamp(rng.gauss(5.5 - 1.5 * t, 2), 1, 15)))
        if prompt_id == "spoke-up-when-uneasy":
            roll = rng.random()
            if roll < 0.72:
                return "I was not uneasy", None
            if roll < 0.97 or recent < timedelta(days=90):
                return "I was uneasy and spoke up", None
            return "I was uneasy and did not speak up", None
        if prompt_id == "job-performance":
            return None, float(rng.choice((3, 4, 4, 4, 4, 5, 5)))
        if prompt_id == "time-outside-lab":
            return None, round(_clamp(rng.gauss(6 - 2 * t, 2.5), 1, 16), 1)
        if prompt_id == "take-job-today":
            return None, 1.0 if rng.random() < 0.9 - 0.5 * t else 0.0
        if prompt_id == "safety-tilt-asked":
            if t < 0.3:
                return "I have not asked", None
            return rng.choice(
                ("I asked and it did not move", "I asked and it moved", "I have not asked")
            ), None
        if prompt_id == "agi-bottleneck-work":
            self.bottleneck = rng.random() < 0.2 + 0.3 * t
            return None, 1.0 if self.bottleneck else 0.0
        if prompt_id == "agi-bottleneck-discussed":
            if not self.bottleneck:
                return None, 0.0
            return None, 1.0 if rng.random() < 0.6 else 0.0
        if prompt_id == "team-publishes-capabilities":
            return rng.choice(
                ("Publishes papers", "Publishes papers", "Publicises demos", "Several of these")
            ), None
        if prompt_id == "team-direction":
            return rng.choice(("No real change", "No real change", "Toward safety")), None
        if prompt_id == "bottleneck-upside":
            if not self.bottleneck:
                return "I do no such work", None
            return "Careful limits on use and sharing", None
        if prompt_id == "good-faith-action":
            return rng.choice(GOOD_FAITH), None
        if prompt_id == "tripwire-crossed":
            if not last and rng.random() < 0.03:
                return "One is getting close", None
            return "None crossed", None
        raise KeyError(prompt_id)


# --------------------------------------------------------------------------- free entries

COLLEAGUES = ("Priya", "Tomás", "Wen", "Adaeze", "Jonas", "Mira", "Kofi", "Saoirse")
FRIENDS = ("Ruth", "Dev", "Hana", "Marcus", "Ilse")

TOPICS: dict[str, dict[str, Any]] = {
    "work": {
        "titles": ("Sprint notes", "A long day on the training stack", "Design review",
                   "What I shipped this week", "Debugging the data loader", "On-call week"),
        "tags": ("work", "meridian"),
        "sentences": (
            "Spent most of the week on the evaluation harness; it finally runs end to end.",
            "{colleague} and I paired on a flaky distributed test that turned out to be a "
            "clock problem.",
            "The team is excited about the next run, and I notice I am too.",
            "I wrote a design doc for the new checkpointing scheme and got useful pushback.",
            "Our throughput numbers went up again, and everybody cheered. I cheered as well, "
            "then wondered what exactly we were cheering for.",
            "Most of my time went into code review, which I enjoy more than I admit.",
            "I shipped a fix that saves the team hours a week. It felt good to be useful.",
            "The planning meeting ran long and nobody asked what the work is *for*.",
        ),
    },
    "risk": {
        "titles": ("Where I stand on risk", "Thinking about drift", "A worry I can't shake",
                   "Notes after the reading group", "Am I still calibrated?"),
        "tags": ("safety", "doubts"),
        "sentences": (
            "I reread my baseline statement tonight. Some of it feels like it was written "
            "by a more alarmed person.",
            "The honest question is whether my view changed because of an argument or "
            "because of who I have lunch with.",
            "I still think the risk is serious; I just feel it less often.",
            "Read a long post on deceptive alignment and felt the old worry come back.",
            "It is easy to be calm about risk when every day is a sequence of solvable "
            "engineering problems.",
            "I want to write down what evidence would actually lower my worry, so I can "
            "tell later whether I saw it.",
            "Expert 4's point about drift keeps coming back to me: you can end up somewhere "
            "new without ever meeting an argument you'd have accepted at the start.",
        ),
    },
    "people": {
        "titles": ("Dinner with {friend}", "Call with {friend}", "A good conversation",
                   "Catching up", "Weekend"),
        "tags": ("conversations", "friends"),
        "sentences": (
            "Had dinner with {friend}, who still thinks we are moving far too fast.",
            "{friend} asked me point blank whether I would know if I had been captured by "
            "the culture. I did not have a good answer.",
            "I realised most of the people I talk to about AI now work where I work.",
            "Long walk with {friend}. We talked about everything except work, which was "
            "lovely.",
            "{friend} sent me a paper and said: read this before you decide anything.",
            "I owe {friend} a call; it has been too long.",
        ),
    },
    "money": {
        "titles": ("Money check", "The vesting question", "Budget review",
                   "Golden handcuffs?", "Savings"),
        "tags": ("money",),
        "sentences": (
            "Looked at the savings spreadsheet. Runway is fine, but spending crept up again.",
            "The next vest is a big one, and I can feel it shaping how I think about timing.",
            "If I left tomorrow I could manage for a while; I want to keep it that way.",
            "We moved to a bigger flat. I should check whether that makes leaving harder.",
            "I set up an automatic transfer to the *leaving fund*. Small, but it counts.",
        ),
    },
    "career": {
        "titles": ("Career thinking", "What would I do next?", "Skills I am building",
                   "Looking sideways", "Options"),
        "tags": ("career",),
        "sentences": (
            "The skills I am building — large-scale training, infra, evals — would carry "
            "over to a safety team. That is reassuring and also a convenient thought.",
            "I asked my manager whether part of my role could move toward the safety evals "
            "work. The answer was *maybe next half*.",
            "Made a list of three safety teams I would genuinely like to work on.",
            "Expert 8 would say the marginal harm of one engineer is small. Expert 9 would "
            "answer that the field is small and its talent concentrated.",
            "I am good at this job. That is part of what makes it hard to think clearly.",
        ),
    },
    "life": {
        "titles": ("A quieter week", "Sunday", "Small things", "Running again", "Gratitude"),
        "tags": ("life", "gratitude"),
        "sentences": (
            "Went running three times this week and slept better for it.",
            "Cooked for friends on Saturday; nobody mentioned AI for four hours.",
            "I have been reading novels again, which helps.",
            "Called my parents. They still don't quite know what I do.",
            "The garden is finally coming back after the winter.",
        ),
    },
}
RECENT_TOPIC = {
    "titles": ("The Halcyon offer", "Weighing the offer", "Lattice interview",
               "Decision time", "Pros and cons"),
    "tags": ("offer", "career", "halcyon"),
    "sentences": (
        "Halcyon's offer is real now. The pay is lower and the work is exactly what I said "
        "I wanted three years ago.",
        "The Lattice interview went well; their evals team is small and serious.",
        "What holds me at Meridian is partly the team and partly the next vest. I should "
        "be honest about which is which.",
        "{friend} asked what I would advise a friend in my position. I knew the answer.",
        "I want to decide before the deadline, not let the deadline decide for me.",
    ),
}
LIST_HEADS = (
    "Things I want to remember:", "What went well:", "Open questions:",
    "For next week:", "What I'm unsure about:",
)
LIST_ITEMS = (
    "read one recent x-risk paper properly", "call {friend}", "ask about the safety evals "
    "rotation", "update the savings sheet", "sleep before midnight", "write the design doc",
    "say no to one meeting", "go to the reading group", "re-read my tripwires",
    "check what we are publishing next quarter", "finish the novel", "take a real day off",
)
CLOSINGS = (
    "Enough for tonight.", "More next week.", "Writing this down helps.",
    "I'll look at this again at the next check-in.", "Onwards, carefully.",
)


def _fill(text: str, rng: random.Random) -> str:
    if "{" not in text:
        return text
    return text.format(colleague=rng.choice(COLLEAGUES), friend=rng.choice(FRIENDS))


def _entry(rng: random.Random, recent: bool) -> tuple[str, str, tuple[str, ...]]:
    """(title, Markdown body of 60–250 words, tags) for one free entry."""
    if recent and rng.random() < 0.6:
        topic = RECENT_TOPIC
    else:
        topic = TOPICS[rng.choice(tuple(TOPICS))]
    other = TOPICS[rng.choice(tuple(TOPICS))]
    title = _fill(rng.choice(topic["titles"]), rng)
    own = list(topic["sentences"])
    rng.shuffle(own)
    extra = list(other["sentences"]) if other is not topic else []
    rng.shuffle(extra)
    pool = own[:3] + (own[3:] + extra[:2])
    blocks: list[str] = []
    words = 0
    shape = rng.random()
    para = [_fill(s, rng) for s in pool[: rng.randint(2, 3)]]
    blocks.append(" ".join(para))
    words += sum(len(s.split()) for s in para)
    if shape < 0.3:
        items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
        numbered = rng.random() < 0.4
        lines = [
            (f"{i + 1}. " if numbered else "- ") + _fill(item, rng).capitalize()
            for i, item in enumerate(items)
        ]
        blocks.append(rng.choice(LIST_HEADS) + "\n\n" + "\n".join(lines))
        words += 4 + sum(len(x.split()) for x in lines)
    elif shape < 0.38:
        rows = [
            f"| {label} | {rng.randint(0, 12)} | {rng.choice(('up', 'same', 'down'))} |"
            for label in ("Reading (hours)", "Conversations", "Outside the lab (hours)")
        ]
        blocks.append("| This week | Count | Trend |\n| --- | ---: | --- |\n" + "\n".join(rows))
        words += 30
    elif shape < 0.5:
        blocks.append("> " + _fill(rng.choice(pool[3:] or pool), rng))
        words += 15
    rest = pool[len(para):][::-1]
    while words < 60 or (rest and rng.random() < 0.5 and words < 180):
        if not rest:
            rest = list(other["sentences"])
        sentence = _fill(rest.pop(), rng)
        blocks.append(sentence)
        words += len(sentence.split())
    blocks.append(rng.choice(CLOSINGS))
    if rng.random() < 0.15:
        blocks.insert(0, f"### {title}")
    tags = tuple(dict.fromkeys(topic["tags"][: rng.randint(1, len(topic["tags"]))]))
    return title, "\n\n".join(blocks), tags


# --------------------------------------------------------------------------- fixed parts

BASELINE_V1 = (
    "I think there is a real chance — maybe one in five — that advanced AI goes badly for "
    "humanity this century, mostly through systems pursuing goals nobody intended. I took "
    "the Meridian job because I believe the work will happen anyway and I would rather be "
    "close to it, but I know that is also what a person who wanted the job would tell "
    "themselves."
)
BASELINE_V2 = (
    "Same core view as when I started: a serious chance (around 20%) that advanced AI goes "
    "badly, mainly through misalignment, and timelines shorter than most people assume. "
    "Why: the pace of capability gains I see first-hand, and how little we can yet check "
    "about what models are doing. I am at Meridian to learn and, if possible, to tilt my "
    "work toward safety. If I stop being able to say this plainly, something has changed."
)
TRIPWIRES = (
    ("My team starts open-sourcing frontier model weights.",
     "My team open-sources the weights of a frontier-scale model, or plans to without an "
     "external safety review."),
    ("I am asked to work on training-efficiency tricks for the largest runs without a "
     "chance to discuss it first.", None),
    ("Leadership drops or quietly waters down a published safety commitment.", None),
    ("I can no longer name anyone outside work who would push back on my views about AI "
     "risk.", None),
)


def _options(start: datetime, now: datetime) -> list[dict[str, Any]]:
    today = now.date()
    vest_start = max(start.date(), today - timedelta(days=900))
    return [
        {
            "organisation": "Quanta Systems", "role": "ML Engineer", "team": "Recommendations",
            "function": "engineering", "seniority": "junior", "work_kind": "unrelated",
            "frontier": False, "status": "left", "pay": 145000.0,
            "publishes": "Nothing external.",
            "notes": "My first job out of the master's. Good people, work I did not care about.",
            "created_at": start, "updated_at": start + timedelta(days=14),
        },
        {
            "organisation": "Meridian AI", "role": "Senior ML Engineer",
            "team": "Training Infrastructure", "function": "engineering",
            "seniority": "senior", "work_kind": "capabilities", "frontier": True,
            "status": "current", "pay": 310000.0, "equity_value": 640000.0,
            "vesting_start": vest_start, "cliff_date": vest_start + timedelta(days=365),
            "vest_end_date": vest_start + timedelta(days=4 * 365),
            "publishes": "Occasional papers on training methods; launch demos.",
            "open_sources": "Small tools, never weights.",
            "disclosure_commitments": "A published responsible-scaling policy; nothing "
                                      "team-specific in writing.",
            "notes": "Joined as a mid-level engineer; promoted once. Latest equity is a "
                     "refresh grant vesting quarterly after a one-year cliff.",
            "created_at": start, "updated_at": start + timedelta(days=14),
        },
        {
            "organisation": "Northwind Robotics", "role": "Perception Engineer",
            "team": "Autonomy", "function": "engineering", "seniority": "mid",
            "work_kind": "unrelated", "frontier": False, "status": "declined",
            "pay": 180000.0, "publishes": "Robotics papers, occasionally.",
            "notes": "Offer at the same time as Meridian. Declined: less interesting work.",
            "created_at": start, "updated_at": start + timedelta(days=14),
        },
        {
            "organisation": "Halcyon Safety Institute",
            "role": "Research Engineer, Interpretability", "team": "Model Internals",
            "function": "research", "seniority": "mid", "work_kind": "safety",
            "frontier": False, "status": "offer", "pay": 215000.0,
            "offer_deadline": today + timedelta(days=10),
            "publishes": "Interpretability papers and tools; a review step for anything "
                         "that could help capabilities.",
            "open_sources": "Interpretability tooling.",
            "disclosure_commitments": "Written policy: capability-relevant findings go "
                                      "through an internal review before release.",
            "notes": "Lower pay, no equity. The team lead was candid about what they "
                     "don't know yet.",
            "created_at": now - timedelta(days=41), "updated_at": now - timedelta(days=6),
        },
        {
            "organisation": "Lattice Labs", "role": "ML Engineer, Evaluations",
            "team": "Evals", "function": "engineering", "seniority": "senior",
            "work_kind": "mixed", "frontier": False, "status": "interviewing",
            "pay": 240000.0, "equity_value": 80000.0,
            "publishes": "Benchmarks and eval results.",
            "notes": "Small lab building products on open models. Second-round interview "
                     "next week.",
            "created_at": now - timedelta(days=26), "updated_at": now - timedelta(days=12),
        },
    ]


_ASSESSMENT: dict[str, tuple[Any, Any, Any, Any, Any]] = {
    # question id: answers for (Quanta, Meridian, Northwind, Halcyon, Lattice)
    "timelines-effect": (0, 3, 0, 0, 1),
    "acceleration-of-others": (1, 3, 1, 0, 2),
    "takeoff-speed": ("No clear effect", "More abrupt", "No clear effect", "More gradual",
                      "Not sure"),
    "misalignment-risk": ("No clear change", "Raises it a little", "No clear change",
                          "Lowers the risk", "Not sure"),
    "enables-alignment": (0, 1, 0, 4, 2),
    "use-and-disclosure": (
        "Internal product use only.",
        "Methods papers go out after review; the review has been loosened once already.",
        "Mostly internal; some robotics papers.",
        "Findings reviewed for capability relevance before release, by written policy.",
        "Eval results are public by design; the models they test are already open.",
    ),
    "agi-bottleneck": (0, 1, 0, 0, 0),
    "team-judgement": ("Can't tell yet", "Mostly capabilities", "Can't tell yet",
                       "Mostly alignment", "A mix"),
    "safety-tilt-possible": ("Not asked yet", "Asked: perhaps", "Not asked yet",
                             "Asked: yes", "Asked: perhaps"),
    "role-leverage": (0, 2, 1, 1, 1),
    "lobby-for-safety": (0, 1, 0, 1, 1),
    "keeps-perspective": (1, 0, 1, 1, 1),
    "good-faith": ("No real effect", "A small effect", "No real effect",
                   "A real effect (about Expert 11's 1% bar)", "A small effect"),
    "open-or-closed": ("Closed, nothing stated", "Partly published", "Partly published",
                       "Closed, with a clear statement", "Published openly"),
    "hype-or-fundraising": ("Neither", "Neither", "Neither", "Neither", "Neither"),
    "fit-and-interest": ("No", "Yes", "No", "Yes", "About the same"),
    "alignment-targeted": ("No", "No", "No", "Yes, alignment is the aim", "Partly"),
    "notice-and-refrain": ("Can't tell", "Probably", "Can't tell", "Probably", "Probably"),
    "big-payoff": ("No capability side", "A modest one", "No capability side",
                   "No capability side", "A big payoff I can name"),
    "small-lab-frontier": ("Neither", "Not a small lab", "Neither", "Neither", "Not sure"),
    "career-capital": (1, 4, 2, 3, 3),
    "transferable-skills": (
        "Production ML, but little that matters for safety.",
        "Large-scale training and infrastructure; directly useful to a safety team.",
        "Perception and robotics; not much carries over.",
        "Interpretability methods and research taste.",
        "Evaluation design, which safety work needs badly.",
    ),
}


# --------------------------------------------------------------------------- generate


def generate(
    db: Database,
    years: float,
    now: datetime,
    seed: int = 7,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write a demo journal covering ``years`` up to ``now``; see the module docstring."""
    rng = random.Random(seed)
    now_n: datetime = to_db(now)  # type: ignore[assignment]
    span = timedelta(days=max(28.0, years * 365.25))
    start = (now_n - span).replace(hour=9, minute=0, second=0, microsecond=0)

    # ---- check-in dates: weekly, backwards from 8 days and some hours ago
    last_checkin = (
        now_n - timedelta(days=8, hours=rng.randint(1, 14), minutes=rng.randint(0, 50))
    ).replace(second=0, microsecond=0)
    dates: list[datetime] = []
    day = last_checkin
    while day >= start:
        dates.append(day)
        day -= timedelta(days=7)
    dates.reverse()
    kept = [
        d for i, d in enumerate(dates)
        if i >= len(dates) - 3 or rng.random() > 0.045
    ]
    entry_rate = 52.0 if years < 5 else 365.0
    n_entries = max(1, round(years * entry_rate))
    total = len(kept) + n_entries
    done = 0

    def report(step: int) -> None:
        nonlocal done
        done += step
        if progress is not None:
            progress(min(done, total), total)

    answers_gen = _Answers(rng, now_n)
    span_s = max(1.0, (last_checkin - start).total_seconds())

    with db.write() as sql:
        _write_fixed(sql, rng, start, now_n, last_checkin)

    # ---- check-ins and answers, in chunks, through the app's own writer (which also
    # keeps each prompt's state: last asked, last answered, skips in a row)
    last_asked: dict[str, datetime] = {}
    pending: list[tuple[datetime, datetime, bool, str, list[AnswerInput]]] = []
    total_answers = 0
    for index, when in enumerate(kept):
        is_last = index == len(kept) - 1
        completed = when + timedelta(minutes=rng.randint(5, 25))
        t = (when - start).total_seconds() / span_s
        adhoc = rng.random() < 0.02
        reflection = rng.choice(REFLECTIONS)
        items: list[AnswerInput] = []
        for prompt_id, kind, every in PROMPTS:
            previous = last_asked.get(prompt_id)
            if previous is not None and (when - previous).days < every - 2:
                continue
            text, number = answers_gen.value(prompt_id, t, when, is_last)
            skipped = index > 0 and not is_last and rng.random() < 0.012 and (
                prompt_id != "worry-level"
            )
            items.append(AnswerInput(
                prompt_id, AnswerKind(kind), text=None if skipped else text,
                number=None if skipped else number, skipped=skipped,
                skip_reason=rng.choice(SKIP_REASONS) if skipped else None))
            last_asked[prompt_id] = completed
        pending.append((when, completed, adhoc, reflection, items))
        if len(pending) >= CHUNK // 10 or is_last:
            with db.write() as sql:
                for started, done_at, was_adhoc, text, answers in pending:
                    insert_checkin(sql, text, answers, done_at, started=started,
                                   adhoc=was_adhoc)
                    total_answers += len(answers)
            report(len(pending))
            pending = []

    # ---- free entries
    entry_span = (now_n - timedelta(hours=20) - start).total_seconds()
    step = entry_span / n_entries
    entries: list[tuple[str, str, tuple[str, ...], datetime, datetime]] = []
    recent_from = now_n - timedelta(days=45)
    for i in range(n_entries):
        created = start + timedelta(seconds=step * (i + rng.uniform(0.1, 0.9)))
        created = created.replace(hour=rng.choice((7, 12, 20, 21, 21, 22)),
                                  minute=rng.randint(0, 59), second=rng.randint(0, 59),
                                  microsecond=0)
        if created > now_n - timedelta(hours=1):
            created = now_n - timedelta(hours=2)
        title, body, entry_tags = _entry(rng, created >= recent_from)
        edited = created + timedelta(minutes=rng.randint(0, 30)) if rng.random() < 0.2 else created
        entries.append((body, title, entry_tags, created, edited))
        if len(entries) >= CHUNK or i == n_entries - 1:
            with db.write() as sql:
                for body, title, entry_tags, created, edited in entries:
                    insert_entry(sql, body, title, entry_tags, when=created, updated=edited)
            report(len(entries))
            entries = []

    return DemoSummary(
        years=years,
        entries=n_entries,
        checkins=len(kept),
        answers=total_answers,
        options=5,
        decisions=2,
        first_day=start.date(),
        last_checkin_at=from_db(kept[-1] if kept else last_checkin),  # type: ignore[arg-type]
    )


def _write_fixed(
    sql: Session, rng: random.Random, start: datetime, now: datetime, last_checkin: datetime
) -> None:
    """Profile, baselines, tripwires, money, options, assessment, decisions and events."""
    profile = Profile(
        situation="at-lab", rhythm="weekly", preferred_weekday=last_checkin.weekday(),
        onboarded=True,
    )
    write_value(sql, PROFILE_KEY, asdict(profile))

    span = now - start
    second = start + min(timedelta(days=45), span / 10)
    insert_baseline(sql, BASELINE_V1, 7, when=start)  # the app's own writers, as below
    insert_baseline(sql, BASELINE_V2, 7, when=second)
    for n, (first, edit) in enumerate(TRIPWIRES):
        created = start + timedelta(hours=n)
        tripwire_id = insert_tripwire(sql, created)
        insert_tripwire_version(sql, tripwire_id, first, created)
        if edit:
            insert_tripwire_version(sql, tripwire_id, edit, start + span * 0.4)

    options = [replace(option, id=insert_option(sql, option))
               for option in (JobOption(id=None, **values) for values in _options(start, now))]
    quanta, meridian, northwind = options[:3]

    # money: a snapshot every quarter, spending creeping up, savings growing
    assert meridian.vesting_start and meridian.cliff_date and meridian.vest_end_date
    vest_dates = []
    vest = meridian.cliff_date
    while vest <= meridian.vest_end_date:
        vest_dates.append(vest)
        vest = vest + timedelta(days=91)
    taken = start + timedelta(days=3)
    savings, spending, quarter = 38000.0, 5200.0, 0
    while taken < now - timedelta(days=5):
        frac = quarter / max(1, span.days / 91)
        upcoming = [v for v in vest_dates if v > taken.date()]
        left = len(upcoming) / max(1, len(vest_dates))
        insert_money_snapshot(sql, round(savings, -2), round(spending, -1),
                              round(640000 * left, -3) if upcoming else 0.0,
                              upcoming[0] if upcoming else None, "USD", when=taken)
        savings = max(12000.0, savings + rng.gauss(16000, 6000)
                      - (45000 if rng.random() < 0.05 else 0))
        spending = min(11000.0, spending * (1 + rng.uniform(0.0, 0.025 + 0.02 * frac)))
        taken += timedelta(days=91)
        quarter += 1

    # assessment: answered when each option was added; two Meridian answers revised later
    from desktop.core.assessment import load_assessment

    kinds = {q.id: q.answer.value for q in load_assessment()}
    rows = []
    for position, option in enumerate(options):
        for question_id, values in _ASSESSMENT.items():
            if question_id not in kinds:
                continue
            value = values[position]
            is_text = kinds[question_id] in ("choice", "text")
            rows.append({
                "option_id": option.id, "question_id": question_id,
                "answered_at": option.created_at + timedelta(hours=2),
                "value_text": value if is_text else None,
                "value_number": None if is_text else float(value),
            })
    revised = start + span * 0.6
    rows += [
        {"option_id": meridian.id, "question_id": "safety-tilt-possible",
         "answered_at": revised, "value_text": "Asked: perhaps", "value_number": None},
        {"option_id": meridian.id, "question_id": "timelines-effect",
         "answered_at": revised, "value_text": None, "value_number": 3.0},
    ]
    # the first answers Meridian had before the revision
    rows += [
        {"option_id": meridian.id, "question_id": "timelines-effect",
         "answered_at": start + timedelta(hours=1), "value_text": None, "value_number": 2.0},
    ]
    for row in rows:  # the app's own writer of assessment answers
        insert_assessment_answer(sql, row["option_id"], row["question_id"], row["value_text"],
                                 row["value_number"], when=row["answered_at"])

    # decisions: joining Meridian (revisited), and staying for now (revisit overdue)
    joined = start + timedelta(days=10)
    stay = max(start + timedelta(days=14), now - timedelta(days=200))
    stay_revisit = min(stay.date() + timedelta(days=182), now.date() - timedelta(days=4))
    for decision in (
        Decision(
            id=None,
            decided_at=joined, chosen_option_id=meridian.id,
            summary="Join Meridian AI's training infrastructure team",
            reasons="- The best engineers I have met\n- I will learn large-scale training "
                    "faster there than anywhere\n- I can still move toward safety work later",
            alternatives=(northwind.id, quanta.id),
            revisit_conditions="If my work moves onto the largest training runs, or if I "
                               "stop reading about risk.",
            revisit_on=joined.date() + timedelta(days=182),
            revisited_at=joined + timedelta(days=190),
        ),
        Decision(
            id=None,
            decided_at=stay, chosen_option_id=None,
            summary="Stay at Meridian for now and ask for the safety evals rotation",
            reasons="The rotation would tilt my work toward safety without a pay cut. The "
                    "next vest is also close, which I am not proud of as a reason.",
            alternatives=(),
            revisit_conditions="If the rotation is refused, or if a safety team makes an "
                               "offer.",
            revisit_on=stay_revisit,
        ),
    ):
        insert_decision(sql, decision)  # the app's own writer of decisions
    events = [("on-new-option", o.id, o.created_at) for o in options]
    events.append(("on-accept", meridian.id, joined))
    events += [("on-vesting", meridian.id, datetime.combine(v, datetime.min.time()))
               for v in vest_dates if v <= now.date()]
    for kind, ref_id, when in events:
        insert_event(sql, kind, ref_id, when)  # the app's own writer of events
