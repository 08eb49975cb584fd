"""The themes of Keel's prompt library: the experts' warnings, grouped.

Each theme is one worry raised by one or more of the 11 experts (DESIGN.md's table).
Titles and summaries are Keel's own words; expert numbers say whose reasoning the
theme rests on. Prompts, flags and the check-in page group by these ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    """One theme of the prompt library."""

    id: str
    title: str
    summary: str
    """One line in Keel's own words: what the theme watches for."""
    experts: tuple[int, ...]
    """The experts (1–11) whose advice the theme comes from."""


THEMES: tuple[Theme, ...] = (
    Theme(
        "value-drift", "Value drift",
        "Notice when your view of AI risk moves without an argument you would have accepted "
        "at the start.",
        (1, 4, 9),
    ),
    Theme(
        "social-circle", "Social circle",
        "Keep people who take AI x-risk seriously among those you talk to.",
        (4,),
    ),
    Theme(
        "reading", "Reading",
        "Stay in touch with current thinking on AI x-risk, not only with your own field.",
        (4,),
    ),
    Theme(
        "financial-lock-in", "Financial lock-in",
        "Keep money, equity and lifestyle from making a move to safer work hard.",
        (10,),
    ),
    Theme(
        "conscience", "Conscience",
        "Do the job well, and keep a small share of attention for questioning what the "
        "organisation decides.",
        (10,),
    ),
    Theme(
        "environment", "Environment",
        "Spend time away from capabilities-lab surroundings, and watch for a comfortable "
        "path that never changes.",
        (1,),
    ),
    Theme(
        "safety-tilt", "Tilt toward safety",
        "Ask whether your role can lean toward safety projects instead of assuming it cannot.",
        (1,),
    ),
    Theme(
        "role-leverage", "Role leverage",
        "Some roles move capabilities far more than others: fundraising, hype and senior "
        "posts more than junior learning.",
        (1, 4),
    ),
    Theme(
        "disclosure", "Disclosure and the commons",
        "What your team publishes, opens or shows off can spread capabilities beyond it.",
        (3, 5, 6),
    ),
    Theme(
        "agi-bottleneck", "AGI-bottleneck work",
        "Work that makes training large models cheaper or faster can pull timelines in; "
        "talk it through first.",
        (6, 7),
    ),
    Theme(
        "team", "Team, not label",
        "Judge the team and the kind of work, not the reputation of the organisation.",
        (9,),
    ),
    Theme(
        "good-faith", "Good faith between labs",
        "Ask whether your role helps leading labs and the public trust one another.",
        (11,),
    ),
    Theme(
        "career-capital", "Career capital",
        "Keep track of the skills, standing and spread of experience you are building.",
        (1, 2, 8),
    ),
    Theme(
        "tripwires", "Tripwires",
        "The lines you set in advance: what would make you leave or speak up.",
        (4, 10),
    ),
)
"""All themes, in the order Keel shows them."""

THEME_IDS: tuple[str, ...] = tuple(theme.id for theme in THEMES)

CUSTOM_THEME = Theme(
    "own", "Your own questions",
    "Questions you wrote for yourself.",
    (),
)
"""Theme of a user's own prompt when they do not file it under one of :data:`THEMES`."""

_BY_ID = {theme.id: theme for theme in (*THEMES, CUSTOM_THEME)}


def theme_by_id(theme_id: str) -> Theme | None:
    """Return the theme with this id (including :data:`CUSTOM_THEME`), or None."""
    return _BY_ID.get(theme_id)


def theme_title(theme_id: str) -> str:
    """Human title of a theme; an unknown id is shown as it is."""
    theme = _BY_ID.get(theme_id)
    return theme.title if theme else theme_id
