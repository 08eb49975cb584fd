"""Write docs/EXPERTS.md: each expert's view in Keel's words, and every place Keel uses it.

    .venv/bin/python docs/make_experts.py

The summaries below are written by hand (paraphrase only; the seed's own words appear
only as the short quoted locators). The "where Keel uses it" tables are generated from
the prompt library, the assessment, the panel rules and the flag rules, so they cannot
drift from the code: ``tests/unit/test_provenance.py`` fails when the file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "EXPERTS.md"

SUMMARIES: dict[int, tuple[str, str]] = {
    1: ("Mostly permissive, with conditions",
        "Would like labs to slow down somewhat, but is not sure that capabilities work does "
        "more harm than good, and says this advice would probably change if they were highly "
        "confident that advancing capabilities is very bad. Lab jobs, especially technical "
        "ones, teach good skills: an early-career person who finds a lab role more interesting "
        "and a better fit than the alternatives should probably take it, since on many views "
        "the skills gained probably outweigh a junior person's push to capabilities. Ask about safety "
        "teams; a reasonable fraction of the time a role can be tilted toward safety (not "
        "always). Some roles, usually more senior ones — fundraising for a lab, comms that "
        "build hype about its results — are highly leveraged and teach little that transfers; "
        "likely bad unless you truly back the lab. Assume your workplace shapes you: in this "
        "expert's experience lab staff tend to come to find alignment fairly easy, which they "
        "guess is in good part conformity and motivated reasoning; spend time both inside and "
        "outside labs, and resist the comfortable, ever-promoted path."),
    2: ("Permissive, hedged",
        "Two sentences: some parts of safety work are closely tied to capabilities "
        "(amplification and its variants) and are worth doing on balance, though without "
        "high confidence; telling concerned people to stick to 'pure' safety falls short of the "
        "best, because a complete solution needs the mixed areas too."),
    3: ("Restrictive",
        "If general AI arrives before we know how to aim it, humanity is likely to destroy "
        "itself, because the most over-optimistic actor will deploy first. While capabilities "
        "outpace alignment, capabilities work's first-order effect is to hasten that, and "
        "it seems to them to swamp second-order gains such as insight or cultural influence; joining also "
        "weakens the signal sent by those who refuse. Not entirely cut and dried: capabilities "
        "research done strictly in private, by a team that understands the danger and can "
        "notice an unfriendly system and refrain from deploying it, is possible — noticing "
        "being the harder part. Teams that promise privacy later tend to leave a trail of "
        "published breadcrumbs first; a team focused on alignment that already refuses to "
        "publish is somewhat better. Guesses that even private advances burn the serial time "
        "alignment needs; rule of thumb: do not push capabilities forward, and if you must, "
        "do it in private."),
    4: ("Two-sided, openly uncertain",
        "Sees several considerations of comparable size pointing both ways (skills for aligned "
        "people, political will inside labs, less time for alignment and for climbing the "
        "ladder, fewer actors at crunch time, geopolitics of unclear sign) and says you should "
        "not be confident in any one answer. Main advice: don't underestimate value drift — someone can come "
        "to believe AI risk is exaggerated without ever meeting an argument they would have "
        "accepted at the start. In a capabilities role, keep x-risk worriers in your social "
        "life and keep reading x-risk work. Without knowing you, guesses: in favour of a "
        "skill-building capabilities role with those precautions (against without them); in "
        "favour of a role used to lobby for x-risk work if it is very senior (against if "
        "junior)."),
    5: ("Restrictive",
        "There is no plan for AGI not destroying the world, so publishing capability "
        "advances, opening models or code, pointing at techniques, exciting demos and making "
        "AI look profitable are unacceptable ways of spending a shared commons. Take a job "
        "only where the company won't push the edge, won't open-source anything and won't "
        "draw new entrants; ideally get a clear statement that research stays closed, and "
        "work with colleagues who won't mind not publishing. Closed is cooperation, open is "
        "defection — make sure your work does not contribute to destruction, or do not work. "
        "Distrust thin stories of distant alignment relevance."),
    6: ("Nuanced: judge the work, not the label",
        "The simple take (capabilities bring AGI closer, which is bad) is probably right on "
        "average but too crude to guide anything. Asks six questions: direct effect on "
        "timelines, acceleration of others, takeoff speed, misalignment risk (and misuse, "
        "generally less severe), effect on alignment research, and how the work is used and "
        "disclosed (safeguards can mitigate much of the harm but can be brittle). Thinks "
        "publicly disclosed AGI-bottleneck work — chiefly making large-model training more "
        "efficient — is probably net harmful, though not obviously; such work may make less "
        "difference when it is idiosyncratic or others would do it anyway. Advice: be somewhat cautious; "
        "avoid bottleneck work unless it clearly helps alignment or is carefully mitigated, "
        "even for learning or career; discuss alignment-targeted work that touches bottlenecks in "
        "advance, expecting most such discussions to end in going ahead; give tangential work "
        "less scrutiny; students need not worry much and should probably pick what teaches them "
        "most (an alignment project makes learning about alignment more likely)."),
    7: ("Sceptical by default (one sentence)",
        "Timelines are short and we are racing; some capability-advancing research can be "
        "justified by a large payoff elsewhere, but the default should be scepticism. Keel "
        "does not stretch this sentence further."),
    8: ("Permissive",
        "Much value in concerned people working in areas that look like capabilities, when "
        "there are other good grounds for it: the line between safety and capabilities is often too "
        "fuzzy to guide action (labs that differentially publish safety work deserve credit, and "
        "even a pure safety gain can endanger); safety insight will come from fields coded as "
        "capabilities today, so diversify where people skill up; safety-aware people spread "
        "through ML shape norms and decisions; and one more researcher is about 1 in 6,000 "
        "NeurIPS authors, in a field funded by billions. Does not think shortening timelines "
        "now costs much safety, compared with being better placed near the critical period. "
        "The last argument does not apply to big actors such as "
        "major labs or funders."),
    9: ("Restrictive",
        "Alignment is unlikely to be solved before the first AGI at the current pace, so any "
        "slowdown of capabilities and speed-up of alignment matters. Concerned people should "
        "be very careful before taking capabilities work and strongly consider working on "
        "alignment directly — the field is small and talent concentrated, so a strong person "
        "choosing safety has a double effect. Judge the team and the kind of work, not only the "
        "organisation: some criticised labs have teams truly devoted to alignment, "
        "some safety-branded ones have large teams accelerating capabilities. Calls acting "
        "on two common arguments — 'alignment is empirical, so speed up' and 'speed up the "
        "friendly actors' — extremely irresponsible, and urges defiance of them."),
    10: ("Permissive, with conditions",
         "Thinks the EA community seems to overfocus on the harm of speeding capabilities: it "
         "is bad, other things being equal, but one engineer's or researcher's marginal impact is usually "
         "small, and it does not seem hard for benefits to outweigh it — helping an "
         "organisation do better safety work and be influential, and career capital of all "
         "kinds. Those who take such roles should "
         "pay attention to what the company does, ask to understand its thinking and speak up "
         "when uneasy; spend nearly all (95%+) of work time doing the job well, since "
         "criticism weighs more from a high performer — and if not performing well, focus on "
         "that or leave rather than debate strategy; the other 5% can matter, as "
         "employees are part of an organisation's conscience. Avoid financial or "
         "psychological situations that make it overly hard to switch to work more focused "
         "on doing good, and keep asking whether you still could."),
    11: ("Conditional: good faith between labs",
         "Expects that what matters most, of what people can affect, is whether the first few "
         "major labs can deal in good faith with one another and with the public — well "
         "enough to set and uphold norms that stop many smaller labs doing something rash. "
         "Capabilities work at a large lab that fosters "
         "such good faith is probably net positive (though a genius insight that would bring "
         "AGI months sooner is probably better not revealed); a significant contribution is "
         "roughly a 1% shift in one lab's trust that another will not defect, without "
         "deception — 0.1% might be too small, 10% more than enough. If you cannot judge your "
         "contribution, probably do no capabilities research anywhere. Rudimentary work at a "
         "small lab is probably acceptable if it neither pushes the state of the art nor joins large "
         "defections against major labs, such as reproducing and releasing a frontier model."),
}

KEEL_OWN = (
    ("Tripwires", "the lines you set in advance for leaving or speaking up; prompts "
     "`tripwire-crossed` and `tripwire-still-right`, flags `tripwire-crossed` and "
     "`tripwire-close`"),
    ("Decision revisits", "prompt `decision-revisit` and the flag of the same name"),
    ("8 weeks", "without a logged conversation with an x-risk worrier, or without x-risk "
     "reading (flags `no-xrisk-conversation`, `no-xrisk-reading`)"),
    ("6 months", "of savings (flag `financial-lock-in`, the Trends runway line)"),
    ("more than a year of spending vesting within six months", "flag `financial-lock-in`"),
    ("3 months", "the switch window in prompts `switch-within-3-months` and `new-option-check`"),
    ("2 points", "a move of worry from the baseline on the 0–10 scale (flags `worry-drift`, "
     "`worry-rose`; only a fall is attributed to Experts 4 and 1)"),
    ("2 of the last 8 answers", "uneasy and silent (flag `unease-unspoken`)"),
    ("2 or under, twice running", "self-rated job performance (flag `low-performance`)"),
    ("3 months", "without time outside the lab (flag `no-time-outside`)"),
    ("6 months", "how long a check-in answer about the work itself keeps its concern flag up"),
    ("5% line on Trends", "drawn as a ceiling beside Expert 10's 95%+, not as a target; no "
     "flag fires when the share is zero"),
)


def _uses() -> dict[int, list[tuple[str, str, str, str]]]:
    """Expert → (kind, item, role, locator) for every place Keel cites them."""
    from desktop.core.assessment import load_assessment
    from desktop.core.flags import RULES
    from desktop.core.panel import RULE_INFO
    from desktop.core.prompt_library import load_library

    uses: dict[int, list[tuple[str, str, str, str]]] = {n: [] for n in range(1, 12)}
    for p in load_library().prompts:
        for c in p.sources:
            uses[c.expert].append(("prompt", f"`{p.id}` — {p.question}", "cited", c.locator))
    for q in load_assessment():
        for c in q.sources:
            uses[c.expert].append(("assessment", f"`{q.id}` — {q.question}", "cited",
                                   c.locator))
    for rule_id, info in RULE_INFO.items():
        for c in info.sources:
            uses[c.expert].append(("panel", f"`{rule_id}` — {info.title}", "cited", c.locator))
        for c in info.counter_sources:
            uses[c.expert].append(("panel", f"`{rule_id}` — {info.title}", "other view",
                                   c.locator))
    for rule in RULES:
        for c in rule.sources:
            uses[c.expert].append(("flag", f"`{rule.id}`", "cited", c.locator))
        for c in rule.counter_sources:
            uses[c.expert].append(("flag", f"`{rule.id}`", "other view", c.locator))
    return uses


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The whole of docs/EXPERTS.md."""
    from desktop.core.provenance import DISCLAIMER

    lines = [
        "# The experts in Keel",
        "",
        "<!-- Generated by docs/make_experts.py; edit the summaries there, not here. -->",
        "",
        DISCLAIMER + " The collection is kept beside the code as "
        "`shared/seeds/expert-advice-capabilities-roles.txt`.",
        "",
        "Read this page side by side with the seed. For each expert: a summary in Keel's "
        "words (permissive views as well as cautious ones), then every place Keel uses that "
        "expert — prompts, assessment questions, panel rules and flags, as the point itself "
        "(*cited*) or as the other side of another expert's point (*other view*) — with the "
        "locator: a few words copied from that expert's section, quoted, to find the passage "
        "by. `tests/unit/test_provenance.py` checks every locator against the seed and fails "
        "when one is not in the named expert's section.",
        "",
        "In the app and in exports the voices are kept apart: **Raised by Expert N** for the "
        "expert's point, **Why Keel asks** for Keel's own reasoning, **Keel's threshold** for "
        "a number Keel chose.",
        "",
    ]
    uses = _uses()
    for number in range(1, 12):
        stance, summary = SUMMARIES[number]
        lines += [f"## Expert {number} — {stance}", "", summary, ""]
        rows = uses[number]
        lines += [f"Used in {len(rows)} places:", "",
                  "| where | item | as | locator |", "| --- | --- | --- | --- |"]
        lines += [f"| {kind} | {_cell(item)} | {role} | “{_cell(loc)}” |"
                  for kind, item, role, loc in rows]
        lines.append("")
    lines += [
        "## Keel's own ideas and thresholds",
        "",
        "None of these comes from an expert. The app labels them as Keel's wherever they "
        "appear.",
        "",
    ]
    lines += [f"- **{name}**: {where}" for name, where in KEEL_OWN]
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
