"""One input widget per answer kind of a prompt (scale, number, yes/no, choice, text).

Every widget offers the same small interface (:class:`AnswerWidget`): ``value()`` returns
``(text, number)`` in the typed columns the database stores — or ``None`` while nothing is
answered — ``set_value`` puts a stored value back, ``changed`` fires on every edit, and
``validate()`` returns a message for input that cannot be saved (shown inline by the
prompt card, never in a popup). ``draft()``/``restore()`` carry exactly what was typed,
even when it is not valid yet, so an autosaved draft never loses a keystroke.

Stored values follow ``desktop/core/assessment.py``'s conventions: a scale stores
``minimum + position`` of the chosen label, yes/no stores 1 or 0, a choice stores its
label as text, a number its value.

Button rows use a "roving" tab stop: Tab enters a row once (on the picked button, or
the first), the arrow keys move and pick within it, Space picks the focused button.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.records import AnswerKind, Prompt, with_unit

Value = tuple[str | None, float | None]
"""``(text, number)`` as stored in an answer's typed columns."""

_PREV_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Up)
_NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Down)


class AnswerWidget(QWidget):
    """Base of the answer widgets: the interface the prompt card and the page rely on."""

    changed = Signal()
    """The user changed the answer (or ``set_value``/``restore`` put one in)."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = prompt

    def value(self) -> Value | None:
        """The answer as ``(text, number)``, or None when unanswered or not valid."""
        raise NotImplementedError

    def set_value(self, text: str | None, number: float | None) -> None:
        """Show a stored answer; ``(None, None)`` clears the widget."""
        raise NotImplementedError

    def validate(self) -> str | None:
        """A message saying why the current input cannot be saved, or None when it can."""
        return None

    def draft(self) -> Any:
        """What the user typed, as JSON-able data (kept even when not valid)."""
        current = self.value()
        return None if current is None else list(current)

    def restore(self, data: Any) -> None:
        """Put back what :meth:`draft` returned."""
        if isinstance(data, list | tuple) and len(data) == 2:
            self.set_value(data[0], data[1])
        else:
            self.set_value(None, None)

    def first_focus(self) -> QWidget:
        """The widget Tab should land on when it enters this answer."""
        return self

    def focus_chain(self) -> list[QWidget]:
        """Every focusable part of the answer, in tab order."""
        return [self.first_focus()]


class _ButtonRow(AnswerWidget):
    """Exclusive checkable buttons with a roving tab stop and arrow-key picking."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QAbstractButton] = []
        self.group.buttonToggled.connect(self._on_group_toggled)

    def _add_button(self, button: QAbstractButton) -> None:
        button.setCheckable(True)
        button.installEventFilter(self)
        self.group.addButton(button, len(self.buttons))
        self.buttons.append(button)
        self._update_tab_stops()

    def checked_index(self) -> int | None:
        index = self.group.checkedId()
        return None if index < 0 else index

    def set_checked_index(self, index: int | None) -> None:
        """Check one button (or none) without a flood of ``changed`` signals."""
        if index == self.checked_index():
            return
        self.group.blockSignals(True)
        self.group.setExclusive(False)
        for i, button in enumerate(self.buttons):
            button.setChecked(i == index)
        self.group.setExclusive(True)
        self.group.blockSignals(False)
        self._update_tab_stops()
        self.changed.emit()

    def first_focus(self) -> QWidget:
        index = self.checked_index()
        return self.buttons[index if index is not None else 0]

    def focus_chain(self) -> list[QWidget]:
        return list(self.buttons)

    def _update_tab_stops(self) -> None:
        stop = self.checked_index() or 0
        for i, button in enumerate(self.buttons):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if i == stop
                                  else Qt.FocusPolicy.ClickFocus)

    @Slot(QAbstractButton, bool)
    def _on_group_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._update_tab_stops()
            self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and watched in self.buttons:
            key = event.key()  # type: ignore[attr-defined]
            position = self.buttons.index(watched)  # type: ignore[arg-type]
            target = None
            if key in _PREV_KEYS:
                target = max(0, position - 1)
            elif key in _NEXT_KEYS:
                target = min(len(self.buttons) - 1, position + 1)
            elif key == Qt.Key.Key_Home:
                target = 0
            elif key == Qt.Key.Key_End:
                target = len(self.buttons) - 1
            if target is not None:
                if self.isEnabled():
                    self.buttons[target].setChecked(True)
                    self.buttons[target].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)


def _short(label: str) -> tuple[str, str]:
    """Split a scale label like ``"0 — not worried"`` into ``("0", "not worried")``."""
    for sep in (" — ", " - ", " – "):
        if sep in label:
            head, tail = label.split(sep, 1)
            return head.strip(), tail.strip()
    return label, ""


class ScaleAnswer(_ButtonRow):
    """A row of segmented buttons, one per scale label (low → high)."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt, parent)
        self.minimum = prompt.minimum if prompt.minimum is not None else 0
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        ends: list[str] = []
        for column, label in enumerate(prompt.labels):
            head, tail = _short(label)
            button = QPushButton(head, objectName="scaleButton")
            button.setAccessibleName(label)
            button.setToolTip(label)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(head) + 24)
            self._add_button(button)
            grid.addWidget(button, 0, column)
            ends.append(tail)
        last = len(prompt.labels) - 1
        if last > 0 and (ends[0] or ends[last]):
            low = QLabel(ends[0], objectName="mutedLabel")
            high = QLabel(ends[last], objectName="mutedLabel",
                          alignment=Qt.AlignmentFlag.AlignRight)
            half = max(1, (last + 1) // 2)
            grid.addWidget(low, 1, 0, 1, half)
            grid.addWidget(high, 1, last + 1 - half, 1, half)

    def value(self) -> Value | None:
        index = self.checked_index()
        return None if index is None else (None, float(self.minimum + index))

    def set_value(self, text: str | None, number: float | None) -> None:
        if number is None:
            self.set_checked_index(None)
            return
        index = round(number - self.minimum)
        self.set_checked_index(index if 0 <= index < len(self.buttons) else None)


class YesNoAnswer(_ButtonRow):
    """Two segmented buttons: Yes and No."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt, parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for caption in ("Yes", "No"):
            button = QPushButton(caption, objectName="scaleButton")
            button.setAccessibleName(caption)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(caption) * 3)
            self._add_button(button)
            row.addWidget(button)
        row.addStretch(1)

    def value(self) -> Value | None:
        index = self.checked_index()
        return None if index is None else (None, 1.0 if index == 0 else 0.0)

    def set_value(self, text: str | None, number: float | None) -> None:
        self.set_checked_index(None if number is None else (0 if number else 1))


class ChoiceAnswer(_ButtonRow):
    """Radio buttons, one per option, stacked."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt, parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for label in prompt.labels:
            button = QRadioButton(label)
            button.setAccessibleName(label)
            button.setAutoExclusive(False)  # the group is exclusive; it can also clear
            self._add_button(button)
            column.addWidget(button)

    def value(self) -> Value | None:
        index = self.checked_index()
        return None if index is None else (self.prompt.labels[index], None)

    def set_value(self, text: str | None, number: float | None) -> None:
        labels = list(self.prompt.labels)
        self.set_checked_index(labels.index(text) if text in labels else None)


def _format_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


class NumberAnswer(AnswerWidget):
    """A number field with its unit. Empty means "not answered".

    A line edit rather than a spin box: a spin box silently clamps or reverts what is
    typed out of range, and the check-in must keep every keystroke and say what is wrong.
    Up/Down step by one within the allowed range.
    """

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt, parent)
        self.edit = QLineEdit(objectName="numberAnswer")
        self.edit.setPlaceholderText("Not answered")
        self.edit.setAccessibleName(f"Number{f' in {prompt.unit}' if prompt.unit else ''}")
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0") * 16)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.installEventFilter(self)
        self.unit_label = QLabel(prompt.unit)
        self.unit_label.setBuddy(self.edit)
        self.range_label = QLabel(self._range_text(), objectName="mutedLabel")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.unit_label)
        row.addSpacing(8)
        row.addWidget(self.range_label)
        row.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._on_edit_text_edited)

    def _range_text(self) -> str:
        lo, hi = self.prompt.minimum, self.prompt.maximum
        if lo is not None and hi is not None:
            return f"{_format_number(lo)} to {_format_number(hi)}"
        if lo is not None:
            return f"{_format_number(lo)} or more" if lo else ""
        if hi is not None:
            return f"up to {_format_number(hi)}"
        return ""

    @Slot(str)
    def _on_edit_text_edited(self, _text: str) -> None:
        self.changed.emit()

    def _parse(self) -> float | None:
        text = self.edit.text().strip().replace(",", ".")
        if not text:
            return None
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number

    def validate(self) -> str | None:
        try:
            number = self._parse()
        except ValueError:
            return f"“{self.edit.text().strip()}” is not a number — type digits, e.g. 3 or 2.5."
        if number is None:
            return None
        lo, hi = self.prompt.minimum, self.prompt.maximum
        said = _format_number(number)
        least = with_unit(_format_number(lo), self.prompt.unit) if lo is not None else ""
        most = with_unit(_format_number(hi), self.prompt.unit) if hi is not None else ""
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            if lo is not None and hi is not None:
                return f"{said} is out of range: answer between {_format_number(lo)} and {most}."
            if lo is not None:
                return f"{said} is too small: the lowest answer is {least}."
            return f"{said} is too large: the highest answer is {most}."
        return None

    def value(self) -> Value | None:
        if self.validate() is not None:
            return None
        number = self._parse()
        return None if number is None else (None, number)

    def set_value(self, text: str | None, number: float | None) -> None:
        self.edit.setText("" if number is None else _format_number(number))
        self.changed.emit()

    def draft(self) -> Any:
        return self.edit.text()

    def restore(self, data: Any) -> None:
        if isinstance(data, str):
            self.edit.setText(data)
            self.changed.emit()
        else:
            super().restore(data)

    def first_focus(self) -> QWidget:
        return self.edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(1 if key == Qt.Key.Key_Up else -1)
                return True
        return super().eventFilter(watched, event)

    def _step(self, delta: int) -> None:
        try:
            number = self._parse()
        except ValueError:
            return
        lo, hi = self.prompt.minimum, self.prompt.maximum
        if number is None:
            number = lo if lo is not None else 0.0
        else:
            number += delta
        if lo is not None:
            number = max(lo, number)
        if hi is not None:
            number = min(hi, number)
        self.edit.setText(_format_number(number))
        self.changed.emit()


class TextAnswer(AnswerWidget):
    """A few lines of free text (Tab moves on to the next prompt)."""

    def __init__(self, prompt: Prompt, parent: QWidget | None = None) -> None:
        super().__init__(prompt, parent)
        self.edit = QPlainTextEdit(objectName="textAnswer")
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Write as much or as little as you like")
        self.edit.setAccessibleName("Your answer")
        lines = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(lines * 4 + 16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Value | None:
        text = self.edit.toPlainText()
        return (text.strip(), None) if text.strip() else None

    def set_value(self, text: str | None, number: float | None) -> None:
        if self.edit.toPlainText() != (text or ""):
            self.edit.setPlainText(text or "")

    def draft(self) -> Any:
        return self.edit.toPlainText()

    def restore(self, data: Any) -> None:
        self.set_value(data if isinstance(data, str) else None, None)

    def first_focus(self) -> QWidget:
        return self.edit


_WIDGETS: dict[AnswerKind, type[AnswerWidget]] = {
    AnswerKind.SCALE: ScaleAnswer,
    AnswerKind.NUMBER: NumberAnswer,
    AnswerKind.YESNO: YesNoAnswer,
    AnswerKind.CHOICE: ChoiceAnswer,
    AnswerKind.TEXT: TextAnswer,
}


def answer_widget_for(prompt: Prompt, parent: QWidget | None = None) -> AnswerWidget:
    """The input widget for a prompt's answer kind."""
    return _WIDGETS[AnswerKind(prompt.answer)](prompt, parent)
