"""The experts' panel: which of the 11 experts' concerns apply to one job option, and why.

Each rule is a small function of the option's fields and its current assessment answers
(see :mod:`desktop.core.assessment` for how answers are stored). A rule returns at most
one :class:`PanelItem`: a short paraphrase in Keel's words, the experts' numbers, the
field or answer that triggered it and, where the experts disagree, the other side.

Every rule is registered in :data:`RULE_INFO` with its title, the experts it cites and,
per expert, a locator copied from that expert's section of the seed (the same for the
counterpoint). A rule fires only within its expert's stated scope; when the option lacks
the fact that decides the scope (is the comms work hype-making? is the work aimed at
alignment?), it asks for that fact instead of guessing.

The panel lists considerations. It never adds them up: there is no score and no verdict,
because the experts themselves disagree and the weighing is the user's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from desktop.core.provenance import Cites, cite, experts_of
from desktop.core.provenance import experts_label as experts_label
from desktop.core.records import AssessmentAnswer, JobOption

STANCES = ("caution", "supportive", "consider")
STANCE_LABELS = {"caution": "Caution", "supportive": "Leans positive", "consider": "Consider"}

Answers = Mapping[str, AssessmentAnswer]


@dataclass(frozen=True)
class PanelItem:
    """One expert concern (or encouragement) that applies to an option."""

    rule_id: str
    experts: tuple[int, ...]
    stance: str
    """``caution``, ``supportive`` or ``consider``."""
    summary: str
    """A short paraphrase in Keel's words, attributed by expert number."""
    trigger: str
    """The field or answer that made the rule apply, e.g. ``Function: fundraising``."""
    counterpoint: str = ""
    """Where experts disagree: the other side, attributed by number."""
    sources: Cites = ()
    """Per cited expert, a locator copied from their section of the seed."""
    counter_sources: Cites = ()
    """The same for the experts the counterpoint names."""
    ask: str = ""
    """When the panel lacks the deciding fact: the assessment question to answer."""

    @property
    def title(self) -> str:
        """Short heading of the rule, e.g. ``Role leverage``."""
        return RULE_TITLES.get(self.rule_id, self.rule_id)

    @property
    def attribution(self) -> str:
        """``Expert 4`` or ``Experts 3 and 5``."""
        return experts_label(self.experts)

    @property
    def counter_experts(self) -> tuple[int, ...]:
        """The experts the counterpoint names."""
        return experts_of(self.counter_sources)


@dataclass(frozen=True)
class RuleInfo:
    """What a panel rule cites: its title, its sources and its counterpoint's sources."""

    title: str
    sources: Cites
    counter_sources: Cites = ()


# --- reading fields and answers -------------------------------------------------------

_NEGATIVE = re.compile(r"^(no|none|nothing|n/?a|never|not|nil)\b|^[-—–]+$", re.IGNORECASE)


def _stated(text: str) -> bool:
    """True when a free-text field says something other than "none"/"nothing"."""
    text = text.strip()
    return bool(text) and not _NEGATIVE.match(text)


def _yes(answers: Answers, question_id: str) -> bool | None:
    answer = answers.get(question_id)
    if answer is None or answer.number is None:
        return None
    return bool(answer.number)


def _number(answers: Answers, question_id: str) -> float | None:
    answer = answers.get(question_id)
    return None if answer is None else answer.number


def _text(answers: Answers, question_id: str) -> str:
    answer = answers.get(question_id)
    return "" if answer is None or answer.text is None else answer.text.strip()


def _mentions(text: str, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` found in ``text`` (case-insensitive), or None."""
    lowered = text.lower()
    for word in words:
        if word in lowered:
            return word
    return None


_BOTTLENECK_WORDS = (
    "training efficiency", "efficient training", "training throughput", "optimiser",
    "optimizer", "low precision", "low-precision", "reduced precision", "reduced-precision",
    "mixed precision", "mixed-precision", "fp8",
)
_LOBBY_VERBS = ("lobby", "advocat", "push for", "pushing for", "argue for", "arguing for",
                "champion")
_SAFETY_WORDS = ("safety", "x-risk", "xrisk", "existential", "alignment")

# Choice labels the rules read; tests check they match resources/assessment.toml.
TILT_NOT_ASKED = "Not asked yet"
TEAM_ALIGNMENT = "Mostly alignment"
TEAM_CAPABILITIES = "Mostly capabilities"
TEAM_UNSURE = "Can't tell yet"
OPEN_LABELS = ("Partly published", "Published openly", "Models or code open-sourced")
CLOSED_LABELS = ("Closed, with a clear statement", "Closed, nothing stated")
GOOD_FAITH_BELOW_BAR = ("It would harm it", "No real effect", "A small effect")
GOOD_FAITH_AT_BAR = ("A real effect (about Expert 11's 1% bar)", "A large effect")
GOOD_FAITH_CANNOT_JUDGE = "I can't judge this"
HYPE_NEITHER = "Neither"
HYPE_LABELS = ("Fundraising", "Hype-making communications")
FIT_YES = "Yes"
FIT_NO = "No"
ALIGNMENT_AIM = ("Yes, alignment is the aim", "Partly")
ALIGNMENT_NOT = "No"
COUNTERFACTUAL_LOW = ("Yes, largely", "Partly")
SMALL_LAB_FINE = "Neither"
SMALL_LAB_PROBLEMS = ("Pushes the state of the art", "Routes around major labs' safeguards")
SMALL_LAB_NOT = "Not a small lab"
CONFIDENT = ("Sure it is good", "Sure it is bad")
NO_PAYOFF = "None I can name"
CANNOT_REFRAIN = ("Doubtful", "Can't tell")
EDGE_FAILS = ("Some of these", "None of these")
COLLEAGUES_MIND = ("Some would mind", "Most would mind")
MISUSE_HIGH = "Noticeably"

_SCALE_HIGH = 3  # "A lot" / "A good deal" on a five-point scale (0-based)
_SCALE_LOW = 1   # "A little" or below

_JUNIOR = ("student", "junior")
_SENIOR = ("senior", "leadership")
_VERY_SENIOR = ("leadership",)
_TECHNICAL = ("research", "engineering")
_CAPABILITY_KINDS = ("capabilities", "mixed")


def _capability_work(option: JobOption) -> bool:
    """The option's own fields say the work advances capabilities (at least in part)."""
    return option.work_kind in _CAPABILITY_KINDS


def _lobby_sentence(notes: str) -> str | None:
    for sentence in re.split(r"[.!?\n]+", notes):
        lowered = sentence.lower()
        if any(v in lowered for v in _LOBBY_VERBS) and any(w in lowered for w in _SAFETY_WORDS):
            return sentence.strip()
    return None


# --- what each rule cites -------------------------------------------------------------

RULE_INFO: dict[str, RuleInfo] = {
    "leverage-fundraising-comms": RuleInfo(
        "Role leverage: fundraising and hype",
        cite((1, "comms for an AI lab that involves creating hype"))),
    "leverage-ask": RuleInfo(
        "Role leverage: is this role one of them?",
        cite((1, "some roles (usually more senior ones)"))),
    "leverage-assessed": RuleInfo(
        "Role leverage: your own rating",
        cite((1, "some roles (usually more senior ones)")),
        cite((4, "very senior role (and against if it is junior)"))),
    "open-frontier": RuleInfo(
        "Publishing and open-sourcing at the frontier",
        cite((5, "burn the capabilities commons"), (3, "publish a trail of breadcrumbs")),
        cite((8, "so fuzzy as to often not be useful"), (8, "doesn't apply to big actors"))),
    "employer-test": RuleInfo(
        "An employer that stays back from the edge",
        cite((5, "isn't going to push the edge of capabilities"))),
    "private-not-enough": RuleInfo(
        "Private capability work and serial time",
        cite((3, "capabilities advancements are burning time that we need")),
        cite((8, "shortening timelines today costs us that much safety"))),
    "agi-bottleneck": RuleInfo(
        "AGI-bottleneck work",
        cite((6, "Avoid AGI-bottleneck work that doesn't have either"),
             (7, "by default be skeptical")),
        cite((10, "the marginal impact of an engineer or researcher is usually small"))),
    "agi-bottleneck-discuss": RuleInfo(
        "AGI-bottleneck work with an alignment aim",
        cite((6, "worth discussing the project with people in advance"))),
    "agi-bottleneck-ask": RuleInfo(
        "Is this AGI-bottleneck work?",
        cite((6, "improves the efficiency of training large models"))),
    "student-project": RuleInfo(
        "Student projects",
        cite((6, "Students: don't sweat it."))),
    "tangential": RuleInfo(
        "Work only tangentially related to AGI",
        cite((6, "deserves less scrutiny from an AGI perspective"))),
    "misuse": RuleInfo(
        "Misuse",
        cite((6, "such as misuse risk"))),
    "big-payoff": RuleInfo(
        "Capability work with no big payoff named",
        cite((7, "worth it if it brings a big payoff")),
        cite((10, "the marginal impact of an engineer or researcher is usually small"))),
    "junior-skill-building": RuleInfo(
        "Early-career skill building",
        cite((1, "a better personal fit for you than other roles"),
             (4, "if you took the precautions above (and against if you don't)")),
        cite((9, "strongly consider working on alignment and AI safety directly"),
             (3, "completely dominate various positive second-order effects"))),
    "skill-building-unguarded": RuleInfo(
        "Skill building without precautions",
        cite((4, "if you took the precautions above (and against if you don't)"))),
    "lobbying-seniority": RuleInfo(
        "Pressing for x-risk work from inside",
        cite((4, "very senior role (and against if it is junior)")),
        cite((3, "undermines the positive cultural effect"))),
    "two-way": RuleInfo(
        "Considerations in both directions",
        cite((4, "you shouldn't be confident in any particular answer"))),
    "small-lab": RuleInfo(
        "Small lab, not at the frontier",
        cite((11, "Work on rudimentary AI capabilities for a small lab"))),
    "good-faith": RuleInfo(
        "Good faith between labs and the public",
        cite((11, "good-faith relationships with that lab and other labs and the public"))),
    "good-faith-judge": RuleInfo(
        "Can you judge good faith between labs?",
        cite((11, "not try to work on AI capabilities research in any setting")),
        cite((10, "overfocus on the badness of speeding capabilities"))),
    "good-faith-worth": RuleInfo(
        "Good faith as the reason to join a major lab",
        cite((11, "probably worth it if you're able to contribute significantly")),
        cite((3, "completely dominate various positive second-order effects"))),
    "team-judgement": RuleInfo(
        "The team, not the organisation",
        cite((9, "not only the organization, but the team and type of work")),
        cite((8, "this distinction shouldn't be used to guide action"))),
    "career-capital": RuleInfo(
        "Career capital and skills",
        cite((10, "gaining career capital of all kinds"), (8, "a much more diversified portfolio")),
        cite((9, "the AI field is small and has an extreme concentration of talent"),
             (5, "paper-thin excuses about far-flung dreams"),
             (6, "even if there is a learning or career upside"))),
    "safety-entangled": RuleInfo(
        "Safety work tied to capabilities",
        cite((2, "worth pursuing on net (though without high confidence)"),
             (8, "even a pure gain in safety can be endangering")),
        cite((3, "so long as it is done strictly in private"))),
}
"""Rule id → title and sources, in panel order (the comparison's row order)."""

RULE_TITLES: dict[str, str] = {rule_id: info.title for rule_id, info in RULE_INFO.items()}
"""Rule id → short heading, in panel order (the comparison's row order)."""


def _clauses(parts: list[str]) -> str:
    """Join clauses with "; ", dropping each one's own closing punctuation (a user's
    "launch demos." must not read "launch demos.; Open or closed")."""
    return "; ".join(part.strip().rstrip(".;,:").rstrip() for part in parts if part.strip())


def _item(rule_id: str, stance: str, summary: str, trigger: str, counterpoint: str = "",
          ask: str = "") -> PanelItem:
    info = RULE_INFO[rule_id]
    return PanelItem(
        rule_id, experts_of(info.sources), stance, summary, trigger,
        counterpoint, info.sources, info.counter_sources if counterpoint else (), ask)


# --- the rules ------------------------------------------------------------------------

def rule_fundraising_comms(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 1: fundraising for a lab and comms that create hype are highly leveraged."""
    said = _text(answers, "hype-or-fundraising")
    if said in HYPE_LABELS:
        trigger = f"Assessment: {said}"
    elif option.function == "fundraising" and option.frontier is True and not said:
        trigger = "Function: fundraising; frontier lab"
    else:
        return None
    return _item(
        "leverage-fundraising-comms", "caution",
        "Expert 1 sees raising money for an AI lab, or comms that create hype around its "
        "capability results, as strongly multiplying capabilities while teaching little "
        "that carries over to safety work — likely harmful unless you truly back the lab and "
        "share its views on safety and values.",
        trigger)


def rule_leverage_ask(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 1's caution depends on a fact the fields do not hold: ask for it."""
    if _text(answers, "hype-or-fundraising") in (*HYPE_LABELS, HYPE_NEITHER):
        return None
    if option.function in ("fundraising", "communications"):
        if option.function == "fundraising" and option.frontier is True:
            return None
        trigger = f"Function: {option.function}"
        ask = "Would this role involve raising money for an AI lab, or hype-making comms?"
    elif (option.seniority in _SENIOR and _capability_work(option)
          and _number(answers, "role-leverage") is None):
        trigger = f"Seniority: {option.seniority}; kind of work: {option.work_kind}"
        ask = "How much does this role multiply the organisation's overall capability push?"
    else:
        return None
    return _item(
        "leverage-ask", "consider",
        "Expert 1 counts some roles — usually more senior ones, e.g. fundraising for a lab "
        "or comms that create hype about its results — as highly leveraged for capabilities. "
        "Keel cannot tell from the option whether this role is one of them.",
        trigger, ask=ask)


def rule_leverage_answer(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 1: the user rates the role's leverage high (when no other rule already says so)."""
    leverage = _number(answers, "role-leverage")
    if leverage is None or leverage < _SCALE_HIGH:
        return None
    if rule_fundraising_comms(option, answers):
        return None
    senior = option.seniority in _SENIOR
    return _item(
        "leverage-assessed", "caution",
        "You rate this role as strongly multiplying the organisation's capability push. "
        "Expert 1 thinks such leveraged roles, which teach little that transfers to safety, "
        "are probably harmful unless you truly back the lab and share its views on safety.",
        "Assessment: role leverage is high",
        "Expert 4 guesses, without knowing you, that they would favour a very senior "
        "capabilities role that you will use to lobby for x-risk work inside." if senior else "")


def rule_open_frontier(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 5 and 3: a frontier organisation that publishes or open-sources capabilities."""
    if option.frontier is not True:
        return None
    triggers: list[str] = []
    if _stated(option.open_sources):
        triggers.append(f"Open-sources: {option.open_sources.strip()}")
    if _stated(option.publishes) and _capability_work(option):
        triggers.append(f"Publishes: {option.publishes.strip()}")
    disclosure = _text(answers, "open-or-closed")
    if disclosure in OPEN_LABELS:
        triggers.append(f"Open or closed: {disclosure}")
    if not triggers:
        return None
    only_papers = not _stated(option.open_sources) and disclosure != OPEN_LABELS[-1]
    counterpoint = (
        "Expert 8 finds safety and capabilities research often too entangled for the "
        "distinction to guide action, and thinks one more concerned researcher adds little "
        "to a field already funded in billions — while saying this does not apply to big "
        "actors such as significant labs."
        if only_papers else ""
    )
    return _item(
        "open-frontier", "caution",
        "Expert 5 regards publishing capability advances, opening models or code, or "
        "showing off exciting results as burning a shared commons, and would rather you "
        "worked somewhere that keeps its research closed — or not at all. Expert 3 warns "
        "that teams promising privacy 'when it matters' tend to leave a trail of "
        "breadcrumbs to their insights first.",
        _clauses(["Frontier: yes", *triggers]),
        counterpoint)


def rule_employer_test(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 5's test of an employer, from the user's answers."""
    edge = _text(answers, "edge-and-entrants")
    colleagues = _text(answers, "colleagues-publishing")
    triggers = []
    if edge in EDGE_FAILS:
        triggers.append(f"Stays back from the edge: {edge}")
    if colleagues in COLLEAGUES_MIND:
        triggers.append(f"Colleagues and publishing: {colleagues}")
    if not triggers:
        return None
    return _item(
        "employer-test", "caution",
        "Expert 5 advises taking a job only with a company that won't push the edge of "
        "capabilities, won't open-source anything and won't excite new entrants, ideally "
        "with colleagues who won't mind not publishing — and otherwise not working.",
        _clauses(triggers))


def rule_private_not_enough(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 3: even private capability work burns serial time; the team must be able to hold back."""
    if not _capability_work(option) or option.frontier is not True:
        return None
    refrain = _text(answers, "notice-and-refrain")
    disclosure = _text(answers, "open-or-closed")
    if refrain in CANNOT_REFRAIN:
        stance, trigger = "caution", f"Could the team hold back an unsafe system: {refrain}"
    elif disclosure in CLOSED_LABELS:
        stance, trigger = "consider", f"Open or closed: {disclosure}"
    else:
        return None
    return _item(
        "private-not-enough", stance,
        "Expert 3 guesses that capability advances burn the serial time alignment needs, "
        "even when kept private. The only clearly good case in Expert 3's book is private "
        "work whose capability gains follow necessarily from alignment progress on its "
        "most serially bottlenecked problems — and Expert 3 thinks few can tell where those "
        "bottlenecks are. Private work at all needs a team that understands the dangers and "
        "can notice an unfriendly system and refrain from deploying it.",
        trigger,
        "Expert 8 does not believe shortening timelines today costs much safety, relative to "
        "being better placed closer to the critical period.")


def _bottleneck_said(answers: Answers) -> bool | None:
    return _yes(answers, "agi-bottleneck")


def rule_agi_bottleneck_ask(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 6: the notes suggest efficiency work but the user has not said; ask."""
    if _bottleneck_said(answers) is not None or option.work_kind == "unrelated":
        return None
    word = _mentions(f"{option.role}\n{option.team}\n{option.notes}", _BOTTLENECK_WORDS)
    if word is None:
        return None
    return _item(
        "agi-bottleneck-ask", "consider",
        "Expert 6 sees making the training of large, world-understanding models more "
        "efficient as the biggest kind of work likely to bring AGI sooner (and would not "
        "count most academic ML work as such). Keel cannot tell from the option whether "
        "this work is of that kind.",
        f"Role, team or notes mention “{word}”",
        ask="Does the work attack a bottleneck on the way to AGI?")


def rule_student_project(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 6: students need not sweat it."""
    if option.seniority != "student" or option.work_kind == "unrelated":
        return None
    return _item(
        "student-project", "consider",
        "Expert 6's advice to students is not to sweat it: most student projects end up "
        "mattering little, so you should probably choose the one you will learn most from "
        "(an alignment project makes learning about alignment more likely).",
        "Seniority: student")


def rule_agi_bottleneck(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 6 and 7: AGI-bottleneck work that is not aimed at alignment."""
    if not _bottleneck_said(answers) or option.seniority == "student":
        return None
    aim = _text(answers, "alignment-targeted")
    upside = _number(answers, "enables-alignment")
    if aim in ALIGNMENT_AIM or (upside is not None and upside > _SCALE_LOW):
        return None
    notes = ["Assessment: AGI-bottleneck work — Yes"]
    notes.append(f"aimed at alignment: {aim}" if aim else "no alignment aim stated")
    counterfactual = _text(answers, "counterfactual")
    extra = ""
    if counterfactual in COUNTERFACTUAL_LOW:
        notes.append(f"others would do it anyway or hard to build on: {counterfactual}")
        extra = (" Expert 6 also notes that such work may make less difference when it is "
                 "hard to build on or much like what others are doing anyway.")
    return _item(
        "agi-bottleneck", "caution",
        "Expert 6 advises avoiding work that chips away at bottlenecks to AGI, such as making "
        "large-model training more efficient, unless it has a clear alignment upside or is "
        "carefully mitigated — even when it is good for your learning or career — and thinks "
        "bottleneck work that is shared publicly probably does more harm than good, though "
        "not obviously so. Expert 7 says to be sceptical of capability-advancing work by default, while "
        "thinking some of it is worth it for a large payoff elsewhere." + extra,
        _clauses(notes),
        "Expert 10 thinks a single engineer's or researcher's marginal effect is usually "
        "small and can be outweighed by what the role gives you and the organisation.")


def rule_agi_bottleneck_with_upside(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 6: AGI-bottleneck work aimed at alignment deserves a conversation in advance."""
    if not _bottleneck_said(answers) or option.seniority == "student":
        return None
    aim = _text(answers, "alignment-targeted")
    upside = _number(answers, "enables-alignment")
    if aim in ALIGNMENT_AIM:
        trigger = f"AGI-bottleneck work — Yes; aimed at alignment: {aim}"
    elif aim != ALIGNMENT_NOT and upside is not None and upside > _SCALE_LOW:
        trigger = "AGI-bottleneck work — Yes; alignment upside rated high"
    else:
        return None
    return _item(
        "agi-bottleneck-discuss", "consider",
        "For alignment-targeted work that also touches AGI bottlenecks, Expert 6 suggests "
        "discussing the project with others in advance; Expert 6 expects most such "
        "discussions to end in going ahead, but thinks the stakes make them worth having.",
        trigger)


def rule_tangential(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 6: work only tangentially related to AGI deserves less scrutiny."""
    if not _yes(answers, "tangential"):
        return None
    return _item(
        "tangential", "supportive",
        "Expert 6 thinks work only tangentially related to AGI — ML theory, or applying ML "
        "to a real-world problem — needs less scrutiny even if it can be called "
        "capabilities; its effect is probably dominated by the problem it solves and by "
        "your learning and career.",
        "Assessment: only tangentially related to AGI — Yes")


def rule_misuse(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 6: weigh misuse too."""
    said = _text(answers, "misuse-risk")
    if said != MISUSE_HIGH:
        return None
    return _item(
        "misuse", "consider",
        "Expert 6 suggests also weighing other risks, misuse among them, while noting these "
        "are usually thought less grave from an existential point of view.",
        f"Could make misuse easier: {said}")


def rule_big_payoff(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 7: capability-advancing work needs a big payoff elsewhere."""
    said = _text(answers, "big-payoff")
    if said != NO_PAYOFF:
        return None
    return _item(
        "big-payoff", "caution",
        "Expert 7 thinks timelines are short: capability-advancing research can be worth it "
        "when it pays off handsomely in some other way, but deserves scepticism by "
        "default. You could not name such a payoff.",
        f"Big payoff elsewhere: {said}",
        "Expert 10 thinks a single engineer's or researcher's marginal effect is usually "
        "small and can be outweighed by what the role gives you and the organisation.")


def _early_technical(option: JobOption) -> bool:
    return (option.seniority in _JUNIOR and option.function in _TECHNICAL
            and _capability_work(option))


def rule_junior_skill_building(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 1 and 4: an early-career technical capabilities role, with the conditions met."""
    if not _early_technical(option) or option.seniority == "student":
        return None
    if _yes(answers, "keeps-perspective") is not True or _text(answers, "fit-and-interest") != FIT_YES:
        return None
    return _item(
        "junior-skill-building", "supportive",
        "Expert 1 thinks that, early in a career, a technical role at a lab you find more "
        "interesting and a better fit than your alternatives is probably worth it on a wide "
        "range of views — the skills gained probably outweigh a junior person's push to "
        "capabilities — while saying this advice would probably change if they were highly "
        "confident that advancing capabilities is extremely bad. Expert 4 guesses, without "
        "knowing you, that they would favour such a skill-building role if you keep the "
        "precautions against drifting views.",
        f"Seniority: {option.seniority}; better fit: Yes; keeps x-risk perspective: Yes",
        "Expert 9 urges strongly considering direct alignment work wherever possible; "
        "Expert 3 holds that speeding capabilities dominates second-order benefits such as "
        "insight into capabilities research.")


def rule_skill_building_unguarded(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 4: an early-career capabilities role with the precautions refused or unanswered."""
    if not _early_technical(option) or option.seniority == "student":
        return None
    keeps = _yes(answers, "keeps-perspective")
    if keeps is True:
        return None
    if keeps is False:
        return _item(
            "skill-building-unguarded", "caution",
            "Expert 4 guesses — without knowing you — that they would be in favour of a "
            "capabilities role for skilling up only with precautions (keeping people who "
            "worry about x-risk in your life and reading current x-risk work), and against "
            "it without them.",
            "Keeps x-risk perspective: No")
    return _item(
        "skill-building-unguarded", "consider",
        "Expert 4's guess about a skill-building capabilities role turns on precautions: in "
        "favour if you keep x-risk worriers in your life and keep reading x-risk work, "
        "against if you don't. Keel does not know yet which applies.",
        f"Seniority: {option.seniority}; kind of work: {option.work_kind}",
        ask="Will you keep people who worry about AI x-risk in your life, and keep reading?")


def rule_lobbying_seniority(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 4: lobbying for x-risk work from a capabilities role — very senior yes, junior no."""
    if not _capability_work(option):
        return None
    if _yes(answers, "lobby-for-safety"):
        trigger = "Assessment: means to argue for x-risk work — Yes"
    else:
        sentence = _lobby_sentence(option.notes)
        if sentence is None:
            return None
        trigger = f"Notes: “{sentence}”"
    trigger = f"Seniority: {option.seniority}; {trigger}"
    if option.seniority in _VERY_SENIOR:
        return _item(
            "lobbying-seniority", "supportive",
            "Expert 4 guesses they would be in favour of a capabilities role that you will use "
            "to lobby for x-risk work, when the role is very senior.",
            trigger,
            "Expert 3 counts among the harms of capabilities work that it undermines the "
            "cultural effect of conscientious people refusing to do it.")
    if option.seniority in _JUNIOR:
        return _item(
            "lobbying-seniority", "caution",
            "Expert 4 guesses they would be against taking a junior capabilities role in "
            "order to lobby for x-risk work: the plan is favoured only for very senior roles.",
            trigger)
    return _item(
        "lobbying-seniority", "consider",
        "Expert 4's guess favours lobbying from inside in a very senior role and counts "
        "against it in a junior one. This role sits between; Keel suggests asking how much "
        "sway it will really have.",
        trigger)


def rule_two_way(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 4: considerations of comparable size point both ways; don't be confident."""
    said = _text(answers, "confidence")
    if said not in CONFIDENT:
        return None
    return _item(
        "two-way", "consider",
        "Expert 4 sees considerations of comparable size in both directions — for: more "
        "aligned people gaining skills, building political will inside organisations, and "
        "fewer actors building AGI at crunch time; against: less time for alignment and "
        "governance, and for climbing the ladder; geopolitics of unclear sign — and thinks "
        "you should not be confident in any one answer.",
        f"Your confidence: {said}")


def rule_small_lab(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 11: rudimentary capability work at a small lab, within the expert's conditions."""
    if option.frontier is not False or not _capability_work(option):
        return None
    said = _text(answers, "small-lab-frontier")
    if said == SMALL_LAB_NOT:
        return None
    condition = ("probably acceptable provided it does not push the state of the art or "
                 "join large defections against major labs trying to keep harmful technology "
                 "contained")
    if said == SMALL_LAB_FINE:
        return _item("small-lab", "supportive",
                     f"Expert 11 thinks rudimentary capability work for a small lab is {condition}.",
                     f"Frontier: no; state of the art or routing around safeguards: {said}")
    if said in SMALL_LAB_PROBLEMS:
        return _item("small-lab", "caution",
                     f"Expert 11 thinks rudimentary capability work for a small lab is {condition} "
                     "— for instance not rebuilding and releasing a frontier model in ways "
                     "that route around its makers' safeguards. You say this work does one "
                     "of those.",
                     f"Frontier: no; {said}")
    return _item("small-lab", "consider",
                 f"Expert 11 thinks rudimentary capability work for a small lab is {condition}. "
                 "Keel cannot tell from the option which applies here.",
                 "Frontier: no",
                 ask="Would the work push the state of the art, or route around major labs' "
                     "safeguards?")


def rule_good_faith_judge(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 11: if you cannot judge good faith, probably do no capability research anywhere."""
    if _text(answers, "good-faith") != GOOD_FAITH_CANNOT_JUDGE or not _capability_work(option):
        return None
    return _item(
        "good-faith-judge", "caution",
        "Expert 11 suggests that if you feel unable to judge whether you would improve good "
        "faith between the leading labs and the public, you should probably stay out of "
        "capabilities research altogether, wherever it is done.",
        f"Good faith: {GOOD_FAITH_CANNOT_JUDGE}",
        "Expert 10 thinks the EA community seems generally to dwell too much on the harm of "
        "speeding up capabilities.")


def rule_good_faith(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 11: the good-faith test for capability work at a major lab."""
    answer = _text(answers, "good-faith")
    if not answer or option.frontier is not True or not _capability_work(option):
        return None
    trigger = f"Frontier: yes; good faith: {answer}"
    if answer in GOOD_FAITH_AT_BAR:
        return _item(
            "good-faith-worth", "supportive",
            "Expert 11 thinks capability work at a major lab is probably worthwhile if you "
            "contribute significantly to good faith between the leading labs and the public "
            "— about a 1% shift in another lab's trust, without deception; 0.1% might be too "
            "small, 10% is more than enough.",
            trigger,
            "Expert 3 holds that the first-order effect of speeding capabilities dominates "
            "second-order benefits such as cultural influence on researchers.")
    if answer in GOOD_FAITH_BELOW_BAR:
        return _item(
            "good-faith", "caution",
            "Expert 11's case for capability work at a major lab rests on a significant gain "
            "in good faith between labs and the public (about 1%; 0.1% might be too small); "
            "you expect little or no effect.",
            trigger)
    return None


def rule_team_judgement(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 9: judge the team and the type of work, not the organisation's label."""
    answer = _text(answers, "team-judgement")
    if not answer:
        return None
    trigger = f"Team judgement: {answer}"
    counterpoint = ""
    ask = ""
    if answer == TEAM_ALIGNMENT:
        stance = "supportive"
        summary = ("Expert 9 thinks work on a team truly devoted to alignment is "
                   "probably helpful, even inside an organisation criticised for capabilities.")
    elif answer == TEAM_CAPABILITIES:
        stance = "caution"
        summary = ("Expert 9 thinks work on a team focused on accelerating capabilities is "
                   "probably harmful, even inside an organisation known for talking about safety.")
        counterpoint = ("Expert 8 finds the line between safety and capabilities so blurry "
                        "in practice that it often shouldn't guide action.")
    else:
        stance = "consider"
        summary = ("Expert 9 says the team and the type of work matter as well as the "
                   "organisation; find out what this team actually does.")
        ask = "What is this team's work mostly aimed at?" if answer == TEAM_UNSURE else ""
    return _item("team-judgement", stance, summary, trigger, counterpoint, ask)


def rule_career_capital(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 10 and 8: career capital and a diversified portfolio of skills.

    Both argue about roles that advance (or look like they advance) capabilities — the
    benefit is weighed against that push — so the rule stays out of safety work and work
    unrelated to AI, where there is no push to weigh it against.
    """
    capital = _number(answers, "career-capital")
    if capital is None or option.work_kind in ("safety", "unrelated"):
        return None
    level = "high" if capital >= _SCALE_HIGH else "low" if capital <= _SCALE_LOW else "moderate"
    skills = _text(answers, "transferable-skills")
    parts = [f"Career capital: {level}"]
    if skills:
        short = skills if len(skills) <= 60 else skills[:57] + "…"
        parts.append(f"transferable skills, in your words: {short}")
    trigger = _clauses(parts)
    summary = ("Expert 10 counts career capital of all kinds — understanding of AI, "
               "connections, accomplishments — among the benefits that can outweigh a usually "
               "small push to capabilities; Expert 8 recommends that people concerned about AI "
               "risk skill up across a diversified portfolio of ML areas.")
    if level != "high":
        summary += f" You rate what this role would build as {level}; read your own words on skills above."
    return _item(
        "career-capital", "supportive" if level == "high" else "consider", summary, trigger,
        "Expert 9 stresses that the field is small and talent concentrated, so strong "
        "people's choices matter a lot; Expert 5 warns against paper-thin stories of distant "
        "alignment relevance; Expert 6 would not let a learning or career upside justify "
        "AGI-bottleneck work.")


def rule_safety_entangled(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 2 and 8: some safety work is closely tied to capabilities."""
    if option.work_kind != "safety":
        return None
    return _item(
        "safety-entangled", "consider",
        "Expert 2 notes that parts of safety work (amplification and its variants) are "
        "closely tied to capabilities, and thinks them worth doing on balance, though without "
        "high confidence; Expert 8 adds that even a pure safety gain can be endangering if "
        "it hides later risk or tempts someone to deploy a risky model.",
        "Kind of work: safety",
        "Expert 3 thinks research that advances capabilities in pursuit of alignment can be "
        "prosocial only if kept strictly private, by a team that understands the dangers and "
        "can refrain from deploying unsafe systems.")


Rule = Callable[[JobOption, Answers], PanelItem | None]

RULES: tuple[Rule, ...] = (
    rule_fundraising_comms,
    rule_leverage_ask,
    rule_leverage_answer,
    rule_open_frontier,
    rule_employer_test,
    rule_private_not_enough,
    rule_agi_bottleneck,
    rule_agi_bottleneck_with_upside,
    rule_agi_bottleneck_ask,
    rule_student_project,
    rule_tangential,
    rule_misuse,
    rule_big_payoff,
    rule_junior_skill_building,
    rule_skill_building_unguarded,
    rule_lobbying_seniority,
    rule_two_way,
    rule_small_lab,
    rule_good_faith,
    rule_good_faith_judge,
    rule_team_judgement,
    rule_career_capital,
    rule_safety_entangled,
)
"""Every rule, in the order the panel lists its items."""


def panel(option: JobOption, answers: Mapping[str, AssessmentAnswer]) -> list[PanelItem]:
    """The experts' considerations that apply to ``option``, in rule order.

    ``answers`` maps question id → current answer (see
    :func:`desktop.core.assessment.latest_answers`). Returns considerations only —
    never a score or verdict.
    """
    items = []
    for rule in RULES:
        item = rule(option, answers)
        if item is not None:
            items.append(item)
    return items
