"""The experts' panel: which of the 11 experts' concerns apply to one job option, and why.

Each rule is a small function of the option's fields and its current assessment answers
(see :mod:`desktop.core.assessment` for how answers are stored). A rule returns at most
one :class:`PanelItem`: a short paraphrase in Keel's words, the experts' numbers, the
field or answer that triggered it and, where the experts disagree, the other side.

The panel lists considerations. It never adds them up: there is no score and no verdict,
because the experts themselves disagree and the weighing is the user's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

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

    @property
    def title(self) -> str:
        """Short heading of the rule, e.g. ``Role leverage``."""
        return RULE_TITLES.get(self.rule_id, self.rule_id)

    @property
    def attribution(self) -> str:
        """``Expert 4`` or ``Experts 3 and 5``."""
        return experts_label(self.experts)


def experts_label(experts: tuple[int, ...]) -> str:
    """``Expert 4``, ``Experts 3 and 5`` or ``Experts 1, 4 and 10``."""
    numbers = [str(e) for e in experts]
    if len(numbers) == 1:
        return f"Expert {numbers[0]}"
    return f"Experts {', '.join(numbers[:-1])} and {numbers[-1]}"


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
    "mixed precision", "mixed-precision", "fp8", "hardware",
)
_LOBBY_VERBS = ("lobby", "advocat", "push for", "pushing for", "argue for", "arguing for",
                "champion")
_SAFETY_WORDS = ("safety", "x-risk", "xrisk", "existential", "alignment")
_HYPE_WORDS = ("hype", "launch", "demo", "marketing", "announce", "showcase", "press")

# Choice labels the rules read; tests check they match resources/assessment.toml.
TILT_NOT_ASKED = "Not asked yet"
TEAM_ALIGNMENT = "Mostly alignment"
TEAM_CAPABILITIES = "Mostly capabilities"
TEAM_UNSURE = "Can't tell yet"
OPEN_LABELS = ("Partly published", "Published openly", "Models or code open-sourced")
GOOD_FAITH_BELOW_BAR = ("It would harm it", "No real effect", "A small effect")
GOOD_FAITH_AT_BAR = ("A real effect (about Expert 11's 1% bar)", "A large effect")
GOOD_FAITH_CANNOT_JUDGE = "I can't judge this"

_SCALE_HIGH = 3  # "A lot" / "A good deal" on a five-point scale (0-based)
_SCALE_LOW = 1   # "A little" or below


def _lobby_sentence(notes: str) -> str | None:
    for sentence in re.split(r"[.!?\n]+", notes):
        lowered = sentence.lower()
        if any(v in lowered for v in _LOBBY_VERBS) and any(w in lowered for w in _SAFETY_WORDS):
            return sentence.strip()
    return None


def _precautions(option: JobOption, answers: Answers) -> str | None:
    """What shows Expert 1's or 4's precautions are in place, or None."""
    tilt = _text(answers, "safety-tilt-possible")
    if tilt and tilt != TILT_NOT_ASKED:
        return f"Safety tilt: {tilt}"
    if _yes(answers, "keeps-perspective"):
        return "Keeps x-risk perspective: Yes"
    if option.work_kind in ("safety", "mixed"):
        return f"Kind of work: {option.work_kind}"
    return None


_JUNIOR = ("student", "junior")
_SENIOR = ("senior", "leadership")
_TECHNICAL = ("research", "engineering")


# --- the rules ------------------------------------------------------------------------

def rule_fundraising_comms(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 1: fundraising and hype-making communications are highly leveraged."""
    if option.function == "fundraising":
        trigger = "Function: fundraising"
    elif option.function == "communications":
        hype = _mentions(f"{option.role} {option.team} {option.notes}", _HYPE_WORDS)
        if hype:
            trigger = f"Function: communications; mentions “{hype}”"
        elif option.work_kind in ("capabilities", "mixed") or option.frontier:
            trigger = f"Function: communications; kind of work: {option.work_kind}"
        else:
            return None
    else:
        return None
    return PanelItem(
        "leverage-fundraising-comms", (1,), "caution",
        "Expert 1 sees raising money for a lab, or communications that build excitement "
        "about its capability results, as strongly multiplying capabilities while teaching "
        "little that carries over to safety work — likely harmful unless you genuinely "
        "share the lab's views on safety and values.",
        trigger,
    )


def rule_senior_capabilities(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 1: senior capabilities roles are highly leveraged."""
    if option.seniority not in _SENIOR or option.work_kind not in ("capabilities", "mixed"):
        return None
    return PanelItem(
        "leverage-senior-capabilities", (1,), "caution",
        "Expert 1 counts senior capability roles among the most leveraged for speeding "
        "overall progress, and notes they build few skills that transfer to safety-only "
        "projects.",
        f"Seniority: {option.seniority}; kind of work: {option.work_kind}",
        "Expert 4 favours a very senior role if you will use it to argue for x-risk work "
        "inside the organisation.",
    )


def rule_leverage_answer(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 1: the user rates the role's leverage high (when no field rule already says so)."""
    leverage = _number(answers, "role-leverage")
    if leverage is None or leverage < _SCALE_HIGH:
        return None
    if rule_fundraising_comms(option, answers) or rule_senior_capabilities(option, answers):
        return None
    return PanelItem(
        "leverage-assessed", (1,), "caution",
        "You rate this role as strongly multiplying the organisation's capability push. "
        "Expert 1 thinks such leveraged roles are likely harmful unless you truly back the "
        "organisation's approach to safety.",
        "Assessment: role leverage is high",
    )


def _clauses(parts: list[str]) -> str:
    """Join clauses with "; ", dropping each one's own closing punctuation (a user's
    "launch demos." must not read "launch demos.; Open or closed")."""
    return "; ".join(part.strip().rstrip(".;,:").rstrip() for part in parts if part.strip())


def rule_open_frontier(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 3 and 5: a frontier organisation that publishes or open-sources capabilities."""
    if option.frontier is not True:
        return None
    triggers: list[str] = []
    if _stated(option.open_sources):
        triggers.append(f"Open-sources: {option.open_sources.strip()}")
    if _stated(option.publishes) and option.work_kind in ("capabilities", "mixed"):
        triggers.append(f"Publishes: {option.publishes.strip()}")
    disclosure = _text(answers, "open-or-closed")
    if disclosure in OPEN_LABELS:
        triggers.append(f"Open or closed: {disclosure}")
    if not triggers:
        return None
    only_papers = not _stated(option.open_sources) and disclosure != OPEN_LABELS[-1]
    counterpoint = (
        "Expert 8 replies that safety and capabilities research are often too entangled "
        "to separate, and that one more researcher adds little to a field already funded "
        "in billions — though Expert 8 says this does not hold for big actors such as "
        "major labs."
        if only_papers else ""
    )
    return PanelItem(
        "open-frontier", (3, 5), "caution",
        "Experts 3 and 5 warn that publishing capability advances, releasing models or code, "
        "or showing off exciting results spreads capabilities to everyone. Expert 3 accepts "
        "capability work only when kept strictly private; Expert 5 asks for a written "
        "commitment that the research stays closed.",
        _clauses(["Frontier: yes", *triggers]),
        counterpoint,
    )


def _bottleneck_trigger(option: JobOption, answers: Answers) -> str | None:
    said = _yes(answers, "agi-bottleneck")
    if said is False:
        return None  # the user's own judgement wins over keyword guessing
    if said:
        return "Assessment: AGI-bottleneck work — Yes"
    word = _mentions(f"{option.role}\n{option.team}\n{option.notes}", _BOTTLENECK_WORDS)
    return f"Role, team or notes mention “{word}”" if word else None


def rule_agi_bottleneck(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 6 and 7: AGI-bottleneck work with no stated alignment upside."""
    trigger = _bottleneck_trigger(option, answers)
    upside = _number(answers, "enables-alignment")
    if trigger is None or (upside is not None and upside > _SCALE_LOW):
        return None
    upside_note = "no alignment upside stated" if upside is None else "little alignment upside"
    return PanelItem(
        "agi-bottleneck", (6, 7), "caution",
        "Expert 6 advises steering clear of work that removes obstacles to AGI, such as making "
        "large-model training cheaper, unless it has a clear alignment upside or careful "
        "safeguards — even when it is good for your career. Expert 7 says to start sceptical "
        "of any capability work and accept it only for a large payoff elsewhere.",
        f"{trigger}; {upside_note}",
        "Expert 10 thinks a single engineer's or researcher's marginal effect is usually "
        "small and easily outweighed by what the role gives you and the organisation.",
    )


def rule_agi_bottleneck_with_upside(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 6: AGI-bottleneck work aimed at alignment deserves a conversation in advance."""
    trigger = _bottleneck_trigger(option, answers)
    upside = _number(answers, "enables-alignment")
    if trigger is None or upside is None or upside <= _SCALE_LOW:
        return None
    return PanelItem(
        "agi-bottleneck-discuss", (6,), "consider",
        "Expert 6 suggests talking alignment-motivated work that also removes AGI obstacles "
        "through with other people before starting; most such talks should end in going "
        "ahead, but the stakes justify checking.",
        f"{trigger}; alignment upside rated high",
    )


def rule_junior_skill_building(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 1, 4 and 10: a junior technical role with precautions leans positive."""
    if (option.seniority not in _JUNIOR or option.function not in _TECHNICAL
            or option.work_kind == "unrelated"):
        return None
    if _yes(answers, "keeps-perspective") is False:
        return None
    precaution = _precautions(option, answers)
    if precaution is None:
        return None
    return PanelItem(
        "junior-skill-building", (1, 4, 10), "supportive",
        "Experts 1, 4 and 10 lean toward taking an early-career technical role to build "
        "skills: on many views the skills gained outweigh a junior person's small push to "
        "capabilities — provided you guard against drifting views and look for safety work "
        "within the role.",
        f"Seniority: {option.seniority}; {precaution}",
        "Expert 9 urges strongly preferring direct alignment work where you can get it; "
        "Expert 3 holds that speeding capabilities outweighs what you would learn.",
    )


def rule_skill_building_unguarded(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 4: a junior capabilities role without the precautions."""
    if (option.seniority not in _JUNIOR or option.function not in _TECHNICAL
            or option.work_kind == "unrelated"):
        return None
    if _yes(answers, "keeps-perspective") is not False and _precautions(option, answers):
        return None
    if _yes(answers, "keeps-perspective") is False:
        trigger = "Keeps x-risk perspective: No"
    else:
        trigger = f"Seniority: {option.seniority}; kind of work: {option.work_kind}; " \
                  "safety tilt not asked"
    return PanelItem(
        "skill-building-unguarded", (1, 4), "consider",
        "Expert 4 supports a skill-building capabilities role only with precautions — keeping "
        "people who worry about x-risk around you and reading current x-risk work — and is "
        "against it without them. Expert 1 suggests asking whether the role can lean toward "
        "safety projects.",
        trigger,
    )


def rule_lobbying_seniority(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 4: lobbying for x-risk work helps from a very senior role, not a junior one."""
    if _yes(answers, "lobby-for-safety"):
        trigger = "Assessment: means to argue for x-risk work — Yes"
    else:
        sentence = _lobby_sentence(option.notes)
        if sentence is None:
            return None
        trigger = f"Notes: “{sentence}”"
    if option.seniority in _SENIOR:
        return PanelItem(
            "lobbying-seniority", (4,), "supportive",
            "Expert 4 leans in favour of a capabilities role that you will use to press for "
            "x-risk work, when the role is very senior.",
            f"Seniority: {option.seniority}; {trigger}",
            "Expert 3 answers that inside influence does not outweigh the direct effect of "
            "speeding capabilities, and that joining weakens the signal sent by those who refuse.",
        )
    return PanelItem(
        "lobbying-seniority", (4,), "caution",
        "Expert 4 leans against taking a junior capabilities role in order to press for "
        "x-risk work: the plan is favoured only for very senior roles.",
        f"Seniority: {option.seniority}; {trigger}",
    )


def rule_small_lab(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 11: rudimentary work at a small lab not pushing the state of the art."""
    if option.frontier is not False or option.work_kind == "unrelated":
        return None
    if _stated(option.open_sources):
        return PanelItem(
            "small-lab", (11,), "consider",
            "Expert 11 considers modest capability work for a small lab acceptable, provided "
            "it neither pushes the state of the art nor helps route around the safeguards "
            "major labs put on their systems — for instance by rebuilding and releasing a "
            "frontier model.",
            f"Frontier: no; open-sources: {option.open_sources.strip()}",
        )
    return PanelItem(
        "small-lab", (11,), "supportive",
        "Expert 11 considers modest capability work for a small lab acceptable, provided "
        "it does not push the state of the art or undercut major labs' efforts to keep "
        "harmful technology contained.",
        "Frontier: no",
    )


def rule_good_faith(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 11: the good-faith test for capabilities work at a major lab."""
    answer = _text(answers, "good-faith")
    if not answer:
        return None
    trigger = f"Good faith: {answer}"
    if answer == GOOD_FAITH_CANNOT_JUDGE:
        return PanelItem(
            "good-faith", (11,), "caution",
            "Expert 11 suggests that if you cannot judge whether you would improve trust "
            "between the leading labs and the public, you are badly placed to do capability "
            "research anywhere.",
            trigger,
        )
    if answer in GOOD_FAITH_AT_BAR:
        return PanelItem(
            "good-faith", (11,), "supportive",
            "Expert 11 thinks capability work at a major lab is probably worth it if it "
            "honestly improves good faith between the leading labs and the public by "
            "roughly a percent or more.",
            trigger,
            "Experts 3 and 9 doubt that any such benefit outweighs speeding capabilities.",
        )
    if answer in GOOD_FAITH_BELOW_BAR and option.work_kind in ("capabilities", "mixed"):
        return PanelItem(
            "good-faith", (11,), "caution",
            "Expert 11's justification for capability work at a major lab rests on a real "
            "gain in good faith between labs and the public; a tiny or no effect falls short.",
            trigger,
        )
    return None


def rule_team_judgement(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 9: judge the team and the type of work, not the organisation's label."""
    answer = _text(answers, "team-judgement")
    if not answer:
        return None
    trigger = f"Team judgement: {answer}"
    if answer == TEAM_ALIGNMENT:
        stance = "supportive"
        summary = ("Expert 9 thinks work on a team that genuinely cares about alignment is "
                   "probably helpful, even inside an organisation criticised for capabilities.")
    elif answer == TEAM_CAPABILITIES:
        stance = "caution"
        summary = ("Expert 9 thinks work on a team focused on speeding capabilities is probably "
                   "harmful, even inside an organisation known for talking about safety.")
    else:
        stance = "consider"
        summary = ("Expert 9 says the team and the type of work matter more than the "
                   "organisation's reputation; find out what this team actually does.")
    return PanelItem("team-judgement", (9,), stance, summary, trigger)


def rule_career_capital(option: JobOption, answers: Answers) -> PanelItem | None:
    """Experts 2 and 8: career capital and skills that may later serve safety."""
    capital = _number(answers, "career-capital")
    skills = _text(answers, "transferable-skills")
    if capital is None and not skills:
        return None
    parts = []
    if capital is not None:
        parts.append("Career capital: " + ("high" if capital >= _SCALE_HIGH
                                           else "low" if capital <= _SCALE_LOW else "moderate"))
    if skills:
        parts.append(f"Transferable skills: {skills if len(skills) <= 60 else skills[:57] + '…'}")
    low = capital is not None and capital <= _SCALE_LOW and not skills
    return PanelItem(
        "career-capital", (2, 8), "consider" if low else "supportive",
        "Expert 8 recommends that people worried about AI risk build skills across many areas "
        "of ML, expecting safety insights from fields that look like capabilities today; "
        "Expert 2 thinks safety areas entangled with capabilities are worth pursuing."
        + (" You rate what this role would build as low." if low else ""),
        _clauses(parts),
        "Expert 5 warns against thin stories of distant alignment relevance; Expert 6 would "
        "not let a career upside justify AGI-bottleneck work.",
    )


def rule_safety_entangled(option: JobOption, answers: Answers) -> PanelItem | None:
    """Expert 2: some safety work is closely tied to capabilities."""
    if option.work_kind != "safety":
        return None
    return PanelItem(
        "safety-entangled", (2, 8), "consider",
        "Expert 2 notes that parts of safety work (amplification and its relatives) are tied "
        "closely to capabilities, and thinks them worth doing on balance; Expert 8 adds that "
        "even a pure safety gain can backfire if it hides later risk or makes deploying a "
        "risky model tempting.",
        "Kind of work: safety",
        "Expert 3 accepts capability side-effects of alignment research only if the work "
        "is kept private.",
    )


Rule = Callable[[JobOption, Answers], PanelItem | None]

RULES: tuple[Rule, ...] = (
    rule_fundraising_comms,
    rule_senior_capabilities,
    rule_leverage_answer,
    rule_open_frontier,
    rule_agi_bottleneck,
    rule_agi_bottleneck_with_upside,
    rule_junior_skill_building,
    rule_skill_building_unguarded,
    rule_lobbying_seniority,
    rule_small_lab,
    rule_good_faith,
    rule_team_judgement,
    rule_career_capital,
    rule_safety_entangled,
)
"""Every rule, in the order the panel lists its items."""

RULE_TITLES: dict[str, str] = {
    "leverage-fundraising-comms": "Role leverage: fundraising and hype",
    "leverage-senior-capabilities": "Role leverage: senior capabilities role",
    "leverage-assessed": "Role leverage: your own rating",
    "open-frontier": "Publishing and open-sourcing at the frontier",
    "agi-bottleneck": "AGI-bottleneck work",
    "agi-bottleneck-discuss": "AGI-bottleneck work with an alignment aim",
    "junior-skill-building": "Early-career skill building",
    "skill-building-unguarded": "Skill building without precautions",
    "lobbying-seniority": "Pressing for x-risk work from inside",
    "small-lab": "Small lab, not at the frontier",
    "good-faith": "Good faith between labs and the public",
    "team-judgement": "The team, not the organisation",
    "career-capital": "Career capital and skills",
    "safety-entangled": "Safety work tied to capabilities",
}
"""Rule id → short heading, in panel order (the comparison's row order)."""


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
