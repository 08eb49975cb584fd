"""The themes of Keel's prompt library: the experts' warnings, grouped.

Each theme is one worry raised by one or more of the 11 experts (DESIGN.md's table).
Titles and summaries are Keel's own words; expert numbers say whose reasoning the
theme's prompts rest on (exactly the experts its prompts cite — a test keeps them equal).
Tripwires are Keel's own device and name no expert. Prompts, flags and the check-in page
group by these ids.
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
        (4, 1, 9, 8),
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
        "Keep money, equity, lifestyle and habits of mind from making a move to more "
        "good-focused work hard.",
        (10,),
    ),
    Theme(
        "conscience", "Conscience",
        "Do the job well first; the small remainder — noticing, asking, speaking up when "
        "uneasy — can matter. A ceiling, not a quota.",
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
        "Some roles — usually more senior ones, such as fundraising or hype-making comms — "
        "move capabilities far more than they teach.",
        (1, 5, 4),
    ),
    Theme(
        "disclosure", "Disclosure and the commons",
        "What your team publishes, opens or shows off can spread capabilities beyond it.",
        (3, 5, 6),
    ),
    Theme(
        "agi-bottleneck", "AGI-bottleneck work",
        "Work that makes training large models more efficient can bring AGI sooner; weigh "
        "its alignment upside, and discuss alignment-aimed work in advance.",
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
        (1, 8, 10, 9, 2),
    ),
    Theme(
        "tripwires", "Tripwires",
        "The lines you set in advance: what would make you leave or speak up (Keel's own "
        "device).",
        (),
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
