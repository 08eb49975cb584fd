"""Yes/no questions behind one ``ask()`` so tests replace a single function."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class Confirm:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, confirm: str = "OK",
            destructive: bool = False) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        yes = box.addButton(confirm, QMessageBox.ButtonRole.DestructiveRole if destructive
                            else QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel if destructive else yes)
        box.exec()
        return box.clickedButton() is yes
