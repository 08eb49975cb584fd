"""One Keel per data folder: a lock file says who runs, a local socket raises its window.

A second launch finds the lock held, sends "show" (or "checkin") to the first instance
and exits. A lock left by a killed process is stale: QLockFile sees that the process
named in it no longer exists and takes it over.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

from desktop.paths import Paths

log = logging.getLogger(__name__)


def acquire_lock(paths: Paths) -> QLockFile | None:
    """The held lock, or None when another live Keel holds it."""
    lock = QLockFile(str(paths.lock_file))
    lock.setStaleLockTime(0)  # never stale by age, only when its process is gone
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    # Permission problems and the like: run without single-instance protection is worse
    # than a clear failure, so report it as held.
    return None


def send_to_running(paths: Paths, message: str = "show", timeout_ms: int = 1500,
                    attempts: int = 3) -> bool:
    """Ask the running instance to act; True when it acknowledged.

    The first instance starts listening just after its window first paints, so a launch
    in that instant retries briefly before giving up."""
    import time

    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    for attempt in range(attempts):
        socket.connectToServer(paths.instance_key)
        if socket.waitForConnected(timeout_ms):
            break
        if attempt + 1 < attempts:
            time.sleep(0.3)
    else:
        return False
    socket.write(message.encode() + b"\n")
    socket.flush()
    # flush() usually writes everything, and waitForBytesWritten() is then False.
    sent = socket.bytesToWrite() == 0 or socket.waitForBytesWritten(timeout_ms)
    ok = sent and socket.waitForReadyRead(timeout_ms)
    socket.disconnectFromServer()
    return ok


class InstanceServer(QObject):
    message_received = Signal(str)
    """Another launch asked us to do something ("show", "checkin")."""

    def __init__(self, paths: Paths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer

        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(paths.instance_key)  # a socket left by a killed process
        if not self._server.listen(paths.instance_key):
            log.warning("single-instance server could not listen: %s", self._server.errorString())
        self._server.newConnection.connect(self._on_server_new_connection)

    @Slot()
    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data()).decode(errors="replace").strip()
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self.message_received.emit(data or "show")

    def close(self) -> None:
        self._server.close()
