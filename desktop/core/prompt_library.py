"""Load and check the prompt library: TOML files of ``[[prompt]]`` tables.

The shipped library lives in the ``resources.prompts`` package (one file per theme;
``resources/prompts/README.md`` documents the format). :func:`load_library` reads it
with :mod:`tomllib` and never raises on bad content: a file that is not valid TOML
becomes one :class:`LibraryProblem` naming the file and line, a prompt that breaks an
invariant is skipped with a problem naming the file, prompt and key, and every valid
prompt still loads. The caller shows the problems and carries on.

:func:`prompt_from_dict` applies the same checks to one table, for users' own prompts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeGuard

from desktop.core.provenance import cites_from_mapping
from desktop.core.records import CADENCES, EVENT_CADENCES, AnswerKind, Prompt, Situation
from desktop.core.themes import CUSTOM_THEME, THEME_IDS

PROMPT_KEYS = frozenset({
    "id", "theme", "experts", "question", "why", "answer", "labels", "unit",
    "min", "max", "cadence", "applies", "priority", "source", "keel_own",
})
REQUIRED_KEYS = ("id", "theme", "experts", "question", "why", "answer", "cadence")
ALL_CADENCES = CADENCES + EVENT_CADENCES
SITUATIONS = tuple(s.value for s in Situation)
EXPERT_RANGE = range(1, 12)
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class LibraryProblem:
    """One thing wrong in a library file, in words a user can act on."""

    file: str
    """File name (or path for files outside the shipped library)."""
    prompt: str
    """The prompt's id, or ``#3`` (its position in the file) when it has no usable id;
    empty for a problem with the whole file."""
    key: str
    """The offending key, empty when the problem is not about one key."""
    message: str
    line: int | None = None
    """Line number, known for TOML syntax errors."""

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        if self.prompt:
            where += f", prompt {self.prompt}"
        if self.key:
            where += f", key '{self.key}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class LibraryLoad:
    """What :func:`load_library` found: the valid prompts and every problem."""

    prompts: tuple[Prompt, ...]
    problems: tuple[LibraryProblem, ...]

    @property
    def ok(self) -> bool:
        """True when the library loaded without a single problem."""
        return not self.problems


class PromptError(ValueError):
    """A prompt table breaks one or more invariants.

    ``issues`` holds ``(key, message)`` pairs; the key is empty when no single key is at fault.
    """

    def __init__(self, issues: Sequence[tuple[str, str]]) -> None:
        self.issues: tuple[tuple[str, str], ...] = tuple(issues)
        super().__init__("; ".join(f"{k}: {m}" if k else m for k, m in self.issues))


def default_folder() -> Traversable:
    """The shipped library: the ``resources.prompts`` package folder.

    Found with :func:`importlib.resources.files`, so it works from a source checkout,
    an installed wheel and a PyInstaller bundle alike.
    """
    return resources.files("resources.prompts")


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _string_list(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check(d: Mapping[str, Any], custom: bool, require_source: bool = False,
           ) -> list[tuple[str, str]]:
    """Every broken invariant of one prompt table, as (key, message) pairs."""
    issues: list[tuple[str, str]] = []
    for key in sorted(set(d) - PROMPT_KEYS):
        issues.append((key, f"unknown key '{key}' (allowed: {', '.join(sorted(PROMPT_KEYS))})"))
    required = [k for k in REQUIRED_KEYS if not (custom and k in ("experts", "why"))]
    for key in required:
        if key not in d:
            issues.append((key, f"the required key '{key}' is missing"))

    pid = d.get("id")
    if "id" in d and (not isinstance(pid, str) or not _KEBAB.match(pid)):
        issues.append(("id", "the id must be lower-case words joined by hyphens, "
                             "like 'worry-level'"))

    theme = d.get("theme")
    themes = (*THEME_IDS, CUSTOM_THEME.id) if custom else THEME_IDS
    if "theme" in d and theme not in themes:
        issues.append(("theme", f"unknown theme {theme!r} (known: {', '.join(themes)})"))

    keel_own = d.get("keel_own", False)
    if not isinstance(keel_own, bool):
        issues.append(("keel_own", "keel_own must be true or false"))
        keel_own = False
    if "experts" in d:
        experts = d["experts"]
        if not isinstance(experts, list) or not all(
            isinstance(e, int) and not isinstance(e, bool) for e in experts
        ):
            issues.append(("experts", "experts must be a list of whole numbers, like [4, 10]"))
        elif keel_own and experts:
            issues.append(("experts", "a prompt that is Keel's own idea names no expert"))
        elif not experts and not custom and not keel_own:
            issues.append(("experts", "name at least one expert (1–11), or mark the prompt "
                                      "keel_own = true if it is Keel's own idea"))
        elif any(e not in EXPERT_RANGE for e in experts):
            issues.append(("experts", "expert numbers run from 1 to 11"))
        elif len(set(experts)) != len(experts):
            issues.append(("experts", "an expert is listed twice"))
        else:
            issues.extend(_check_source(d, experts, require_source))

    for key in ("question", "why"):
        if key not in d:
            continue
        value = d[key]
        if not isinstance(value, str) or (not value.strip() and (key == "question" or not custom)):
            issues.append((key, f"'{key}' must be non-empty text"))
        elif "\n" in value.strip():
            issues.append((key, f"'{key}' must fit on one line"))

    kind: AnswerKind | None = None
    if "answer" in d:
        try:
            kind = AnswerKind(d["answer"])
        except ValueError:
            issues.append(("answer", f"unknown answer kind {d['answer']!r} "
                                     f"(known: {', '.join(k.value for k in AnswerKind)})"))

    labels = d.get("labels")
    if "labels" in d and (
        not _string_list(labels) or not all(str(v).strip() for v in labels)
    ):
        issues.append(("labels", "labels must be a list of non-empty texts"))
        labels = None
    if kind in (AnswerKind.SCALE, AnswerKind.CHOICE):
        if "labels" not in d:
            issues.append(("labels", f"a {kind.value} answer needs its labels"))
        elif labels is not None and len(labels) < 2:
            issues.append(("labels", f"a {kind.value} answer needs at least two labels"))
        elif labels is not None and len(set(labels)) != len(labels):
            issues.append(("labels", "a label is listed twice"))
    elif kind is not None and "labels" in d:
        issues.append(("labels", f"labels only apply to scale and choice answers, "
                                 f"not {kind.value}"))

    if kind is AnswerKind.NUMBER:
        unit = d.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            issues.append(("unit", "a number answer needs its unit, like \"hours\""))
    elif kind is not None and "unit" in d:
        issues.append(("unit", f"a unit only applies to number answers, not {kind.value}"))

    for key in ("min", "max"):
        if key not in d:
            continue
        if not _is_number(d[key]):
            issues.append((key, f"'{key}' must be a number"))
        elif kind is not None and kind not in (AnswerKind.SCALE, AnswerKind.NUMBER):
            issues.append((key, f"'{key}' only applies to scale and number answers"))
    lo, hi = d.get("min"), d.get("max")
    if _is_number(lo) and _is_number(hi) and lo >= hi:
        issues.append(("max", "'max' must be greater than 'min'"))
    if kind is AnswerKind.SCALE and _string_list(labels) and labels:
        for key in ("min", "max"):
            if key in d and (not _is_number(d[key]) or d[key] != int(d[key])):
                issues.append((key, f"a scale's '{key}' must be a whole number"))
        if (_is_number(lo) and _is_number(hi) and lo < hi
                and int(hi) - int(lo) + 1 != len(labels)):
            issues.append(("labels", f"a scale from {lo} to {hi} needs {int(hi) - int(lo) + 1} "
                                     f"labels, not {len(labels)}"))

    if "cadence" in d and d["cadence"] not in ALL_CADENCES:
        issues.append(("cadence", f"unknown cadence {d['cadence']!r} "
                                  f"(known: {', '.join(ALL_CADENCES)})"))

    if "applies" in d:
        applies = d["applies"]
        if not _string_list(applies):
            issues.append(("applies", "applies must be a list of situations"))
        else:
            unknown = [a for a in applies if a not in SITUATIONS]
            if unknown:
                issues.append(("applies", f"unknown situation {unknown[0]!r} "
                                          f"(known: {', '.join(SITUATIONS)})"))
            elif len(set(applies)) != len(applies):
                issues.append(("applies", "a situation is listed twice"))

    if "priority" in d:
        pr = d["priority"]
        if not isinstance(pr, int) or isinstance(pr, bool) or pr not in (1, 2, 3):
            issues.append(("priority", "priority must be 1 (most important), 2 or 3"))
    return issues


def _check_source(d: Mapping[str, Any], experts: list[int], required: bool,
                  ) -> list[tuple[str, str]]:
    """``source`` maps each expert to a locator: a few words copied from their section.

    Required in the shipped library; a user's own file may leave it out.
    """
    source = d.get("source")
    if source is None:
        if experts and required:
            return [("source", "give a source locator for each expert, like "
                               "source = { 4 = \"a few words from Expert 4's section\" }")]
        return []
    if not isinstance(source, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in source.items()
    ):
        return [("source", "source must map expert numbers to short non-empty texts")]
    if set(source) != {str(e) for e in experts}:
        return [("source", "source must name exactly the prompt's experts "
                           f"({', '.join(str(e) for e in experts) or 'none'})")]
    return []


def prompt_from_dict(d: Mapping[str, Any], source: str = "", *, custom: bool = False,
                     require_source: bool = False) -> Prompt:
    """Build a :class:`Prompt` from one ``[[prompt]]`` table, checking every invariant.

    ``source`` is recorded as the prompt's ``source_file``. With ``custom=True`` (a
    user's own prompt) ``experts`` may be empty or missing, ``why`` may be missing and
    the theme may also be :data:`~desktop.core.themes.CUSTOM_THEME`. A scale without
    ``min``/``max`` runs from 0 to ``len(labels) - 1``; given only one end, the other
    follows from the number of labels. ``require_source`` (the shipped library) demands a
    ``source`` locator per expert. Raises :class:`PromptError` listing every broken
    invariant.
    """
    if not isinstance(d, Mapping):
        raise PromptError([("", "a prompt must be a table of keys and values")])
    issues = _check(d, custom, require_source)
    if issues:
        raise PromptError(issues)
    kind = AnswerKind(d["answer"])
    labels = tuple(d.get("labels", ()))
    minimum: float | None = d.get("min")
    maximum: float | None = d.get("max")
    if kind is AnswerKind.SCALE:
        if minimum is None:
            minimum = 0 if maximum is None else int(maximum) - len(labels) + 1
        if maximum is None:
            maximum = int(minimum) + len(labels) - 1
    return Prompt(
        id=d["id"],
        theme=d["theme"],
        experts=tuple(d.get("experts", ())),
        question=d["question"].strip(),
        why=d.get("why", "").strip(),
        answer=kind,
        cadence=d["cadence"],
        applies=tuple(d.get("applies", ())),
        labels=labels,
        unit=d.get("unit", "").strip() if kind is AnswerKind.NUMBER else "",
        minimum=minimum,
        maximum=maximum,
        priority=d.get("priority", 2),
        custom=custom,
        source_file=source,
        sources=cites_from_mapping(d.get("experts", ()), d.get("source") or {}),
        keel_own=bool(d.get("keel_own", False)),
    )


def _library_files(folder: Path | Traversable | None) -> list[Traversable]:
    root = default_folder() if folder is None else folder
    files = [f for f in root.iterdir() if f.name.endswith(".toml") and f.is_file()]

    def order(f: Traversable) -> tuple[int, str]:
        stem = f.name.removesuffix(".toml")
        rank = THEME_IDS.index(stem) if stem in THEME_IDS else len(THEME_IDS)
        return (rank, f.name)

    return sorted(files, key=order)


def _read_file(
    file: Path | Traversable, label: str, seen: dict[str, str], shipped: bool = False,
) -> tuple[list[Prompt], list[LibraryProblem]]:
    prompts: list[Prompt] = []
    problems: list[LibraryProblem] = []
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        match = _LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        return [], [LibraryProblem(label, "", "", f"not valid TOML: {exc}", line)]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [LibraryProblem(label, "", "", f"could not be read: {exc}")]

    for key in sorted(set(data) - {"prompt"}):
        problems.append(LibraryProblem(
            label, "", key, f"unknown top-level key '{key}'; prompts go in [[prompt]] tables"))
    tables = data.get("prompt", [])
    if not isinstance(tables, list):
        problems.append(LibraryProblem(
            label, "", "prompt", "write each prompt as a [[prompt]] table"))
        return prompts, problems

    for index, table in enumerate(tables, start=1):
        raw_id = table.get("id") if isinstance(table, dict) else None
        name = raw_id if isinstance(raw_id, str) and raw_id else f"#{index}"
        try:
            prompt = prompt_from_dict(table, label, require_source=shipped)
        except PromptError as exc:
            problems.extend(LibraryProblem(label, name, k, m) for k, m in exc.issues)
            continue
        if prompt.id in seen:
            problems.append(LibraryProblem(
                label, prompt.id, "id",
                f"the id '{prompt.id}' is already used in {seen[prompt.id]}; "
                "this copy was skipped"))
            continue
        seen[prompt.id] = label
        prompts.append(prompt)
    return prompts, problems


def load_library(
    folder: Path | None = None, extra_files: Sequence[Path] = (),
) -> LibraryLoad:
    """Load every ``*.toml`` in ``folder`` (default: the shipped library), then ``extra_files``.

    Never raises for bad content: problems are collected in :attr:`LibraryLoad.problems`
    and the valid prompts are returned in file order (files ordered as
    :data:`~desktop.core.themes.THEMES`, then by name), prompts in their order in the file.
    An id seen twice keeps its first occurrence. A missing folder is itself a problem.
    """
    seen: dict[str, str] = {}
    prompts: list[Prompt] = []
    problems: list[LibraryProblem] = []
    sources: list[tuple[Path | Traversable, str, bool]] = []
    try:
        sources.extend((f, f.name, folder is None) for f in _library_files(folder))
    except (OSError, ModuleNotFoundError) as exc:
        problems.append(LibraryProblem(str(folder or "resources/prompts"), "", "",
                                       f"the prompt library could not be opened: {exc}"))
    sources.extend((Path(f), str(f), False) for f in extra_files)
    for file, label, shipped in sources:
        found, wrong = _read_file(file, label, seen, shipped)
        prompts.extend(found)
        problems.extend(wrong)
    return LibraryLoad(tuple(prompts), tuple(problems))


