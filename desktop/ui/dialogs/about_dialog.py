"""About Keel: what it is, where its advice comes from, and that it stays on this machine."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

import desktop
from desktop.core.provenance import DISCLAIMER

ABOUT_HTML = """
<h2>Keel {version}</h2>
<p>A private reflection journal for people who work in, or are weighing, jobs that may
advance AI capabilities.</p>
<p>Keel's prompts, flags and panel paraphrase the answers of eleven anonymous experts
to a question 80,000 Hours asked about roles that may advance AI capabilities. The experts
stay anonymous here: Keel refers to them by number only ("Expert 4"), and names each
point's source with a few words of the collection so you can check it.</p>
<p><b>Not 80,000 Hours' advice.</b> {disclaimer}</p>
<p>Where Keel adds an idea of its own — tripwires, a threshold such as eight weeks or six
months — it says so ("Keel's threshold", "Why Keel asks"). The experts disagree with one
another; Keel never tells you what to decide.</p>
<p>Your journal lives only on this computer. Keel makes no network connections.</p>
"""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Keel")
        text = QLabel(ABOUT_HTML.format(version=desktop.__version__, disclaimer=DISCLAIMER), wordWrap=True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setMinimumWidth(420)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> None:
        cls(parent).exec()
