"""The prompt library as a two-level tree for Settings: themes, then their prompts.

Column 0 holds the question with a check box (asked or switched off), column 1 the cadence
(the library's default or the user's override), column 2 the experts the prompt comes
from. Edits go through two callbacks, so the model never touches storage itself; when a
callback raises, the edit is refused and :attr:`PromptSettingsModel.write_failed` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.core.records import CADENCES, EVENT_CADENCES, Prompt, PromptState
from desktop.core.themes import CUSTOM_THEME, THEMES, theme_title

QUESTION_COLUMN, CADENCE_COLUMN, EXPERTS_COLUMN = range(3)
HEADERS = ("Question", "Cadence", "Experts")
PromptRole = Qt.ItemDataRole.UserRole + 1
"""The :class:`Prompt` of a prompt row (None on a theme row)."""
CadenceChoicesRole = Qt.ItemDataRole.UserRole + 2
"""On the cadence column: the (value, label) pairs an editor may offer."""

EVENT_LABELS = {
    "on-new-option": "On a new option",
    "on-accept": "On accepting",
    "on-vesting": "On vesting",
    "decision-revisit": "On revisiting",
}

_Index = QModelIndex | QPersistentModelIndex


def cadence_label(cadence: str) -> str:
    """Words for a cadence id (``fortnightly`` → ``Fortnightly``)."""
    return EVENT_LABELS.get(cadence, cadence.capitalize())


@dataclass
class PromptRow:
    prompt: Prompt
    state: PromptState


@dataclass
class ThemeGroup:
    theme_id: str
    title: str
    rows: list[PromptRow]


class PromptSettingsModel(QAbstractItemModel):
    """Themes at the top level, prompts below; checkable and cadence-editable."""

    write_failed = Signal(str)
    """An edit could not be stored (argument: a sentence for the user)."""

    def __init__(
        self,
        set_enabled: Callable[[str, bool], None] | None = None,
        set_cadence: Callable[[str, str | None], None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._set_enabled = set_enabled
        self._set_cadence = set_cadence
        self.groups: list[ThemeGroup] = []
        self._now: datetime | None = None

    # Loading -------------------------------------------------------------------
    def set_prompts(self, prompts: Sequence[Prompt], states: Mapping[str, PromptState],
                    now: datetime | None = None) -> bool:
        """Show *prompts* grouped in the themes' order. With *now*, a prompt snoozed past
        it says until when. When the same prompts are shown, only the rows whose prompt or
        settings changed are updated (``dataChanged``): a finished check-in moves the
        asked dates of a dozen prompts, and a reset made the tree measure all its rows.
        Returns True when the columns may need fitting again: the tree was rebuilt (a
        model reset: prompts came or went) or a prompt's text or cadence changed."""
        changed_now = now != self._now
        self._now = now
        order = [t.id for t in THEMES] + [CUSTOM_THEME.id]
        by_theme: dict[str, list[PromptRow]] = {}
        for prompt in prompts:
            state = states.get(prompt.id) or PromptState(prompt_id=prompt.id)
            by_theme.setdefault(prompt.theme, []).append(PromptRow(prompt, state))
        ids = sorted(by_theme, key=lambda t: (order.index(t) if t in order else len(order), t))
        groups = [ThemeGroup(t, theme_title(t), by_theme[t]) for t in ids]
        if not self._same_shape(groups):
            self.beginResetModel()
            self.groups = groups
            self.endResetModel()
            return True
        wider = False
        for number, (old, new) in enumerate(zip(self.groups, groups, strict=True)):
            moved = [r for r, (a, b) in enumerate(zip(old.rows, new.rows, strict=True))
                     if a != b or (changed_now and b.state.snoozed_until is not None)]
            wider = wider or any(
                a.prompt != b.prompt or a.state.cadence_override != b.state.cadence_override
                for a, b in zip(old.rows, new.rows, strict=True))
            old.rows = new.rows
            if moved:
                parent = self.index(number, 0)
                self.dataChanged.emit(self.index(moved[0], 0, parent),
                                      self.index(moved[-1], len(HEADERS) - 1, parent))
                self.dataChanged.emit(parent, parent)  # the theme's "n of m on"
        return wider

    def _same_shape(self, groups: list[ThemeGroup]) -> bool:
        """The same themes holding the same prompts, in the same order."""
        return len(groups) == len(self.groups) and all(
            a.theme_id == b.theme_id and a.title == b.title
            and [r.prompt.id for r in a.rows] == [r.prompt.id for r in b.rows]
            for a, b in zip(self.groups, groups, strict=True))

    # Structure -----------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def _row(self, index: _Index) -> PromptRow | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[index.internalId() - 1].rows[index.row()]

    # Data ----------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row(index)
        column = index.column()
        if row is None:
            group = self.groups[index.row()]
            if column == QUESTION_COLUMN and role == Qt.ItemDataRole.DisplayRole:
                on = sum(1 for r in group.rows if r.state.enabled)
                return f"{group.title}  ({on} of {len(group.rows)} on)"
            if column == QUESTION_COLUMN and role == Qt.ItemDataRole.AccessibleTextRole:
                return f"Theme {group.title}"
            return None
        prompt, state = row.prompt, row.state
        if role == PromptRole:
            return prompt
        if column == QUESTION_COLUMN:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return prompt.question
            if role == Qt.ItemDataRole.ToolTipRole:
                return prompt.why or prompt.question
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if state.enabled else Qt.CheckState.Unchecked
        elif column == CADENCE_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                text = (f"{cadence_label(state.cadence_override)} (changed)"
                        if state.cadence_override else cadence_label(prompt.cadence))
                until = state.snoozed_until
                if until is not None and self._now is not None and until > self._now:
                    text += f" · snoozed until {until.strftime('%d %b').lstrip('0')}"
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                return (f"Library default: {cadence_label(prompt.cadence)}"
                        + ("" if prompt.cadence in EVENT_CADENCES else
                           " — double-click to change"))
            if role == Qt.ItemDataRole.EditRole:
                return state.cadence_override or ""
            if role == CadenceChoicesRole:
                default = ("", f"Default — {cadence_label(prompt.cadence)}")
                return [default, *((c, cadence_label(c)) for c in CADENCES)]
        elif column == EXPERTS_COLUMN and role == Qt.ItemDataRole.DisplayRole:
            if prompt.custom:
                return "yours"
            return ", ".join(str(n) for n in prompt.experts)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._row(index)
        if row is None:
            return base
        if index.column() == QUESTION_COLUMN:
            return base | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == CADENCE_COLUMN and row.prompt.cadence not in EVENT_CADENCES:
            return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemNeverHasChildren
        return base | Qt.ItemFlag.ItemNeverHasChildren

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self._row(index)
        if row is None:
            return False
        prompt_id = row.prompt.id
        try:
            if index.column() == QUESTION_COLUMN and role == Qt.ItemDataRole.CheckStateRole:
                enabled = Qt.CheckState(value) == Qt.CheckState.Checked
                if self._set_enabled is not None:
                    self._set_enabled(prompt_id, enabled)
                row.state = replace(row.state, enabled=enabled)
            elif index.column() == CADENCE_COLUMN and role == Qt.ItemDataRole.EditRole:
                if not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
                    return False
                cadence = str(value or "") or None
                if cadence is not None and cadence not in CADENCES:
                    return False
                if cadence == row.prompt.cadence:
                    cadence = None
                if self._set_cadence is not None:
                    self._set_cadence(prompt_id, cadence)
                row.state = replace(row.state, cadence_override=cadence)
            else:
                return False
        except Exception as exc:  # noqa: BLE001 - refused edit, told to the user
            from desktop.ui.errors import user_message

            self.write_failed.emit(user_message(exc))
            return False
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        parent = self.parent(index)
        self.dataChanged.emit(parent, parent, [Qt.ItemDataRole.DisplayRole])
        return True

    # Lookup --------------------------------------------------------------------
    def index_of(self, prompt_id: str, column: int = QUESTION_COLUMN) -> QModelIndex:
        """The index of a prompt's row, or an invalid index."""
        for g, group in enumerate(self.groups):
            for r, row in enumerate(group.rows):
                if row.prompt.id == prompt_id:
                    return self.index(r, column, self.index(g, 0))
        return QModelIndex()

    def prompt_count(self) -> int:
        """How many prompts the model holds, over all themes."""
        return sum(len(g.rows) for g in self.groups)
