"""The floor F: a bare PySide6 window (QMainWindow + QLabel), shown, quit on the first loop turn."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
