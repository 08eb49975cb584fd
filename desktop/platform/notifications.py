"""Native notifications on Linux and other freedesktop desktops, over D-Bus.

The freedesktop Notifications service (``org.freedesktop.Notifications`` on the session
bus: GNOME Shell, KDE Plasma, dunst, mako, xfce4-notifyd…) shows the reminder with Keel's
icon, its text and its buttons, with or without a tray. ``Notify`` returns an id; the
service later emits ``ActionInvoked(id, key)`` when a button (or, with the key
``default``, the notification itself) is clicked, and ``NotificationClosed(id, reason)``
when it goes away.

The messages are built and sent with jeepney (pure Python, imported in a few
milliseconds). PySide6's QtDBus was the first choice, but it cannot send the ``uint32``
that ``Notify``'s second argument must be: a Python int goes out as ``int32`` (or, through
``QDBusArgument``, ``uint16``), and services refuse the call ("does not match expected
type (susssasa{sv}i)"). What to say is decided in :mod:`desktop.core.reminders`; this
module only delivers it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from desktop.core.reminders import Notification

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
APP_NAME = "Keel"
DESKTOP_ENTRY = "io.github.keel_journal.Keel"
CALL_TIMEOUT = 5.0
"""Seconds to wait for the service to answer ``Notify``."""


class NotificationError(RuntimeError):
    """The notification could not be shown; the message says why in a few words."""


def icon_path() -> str:
    """Keel's icon as a file the service can read (or its icon-theme name)."""
    import resources

    png = Path(resources.__file__).parent / "icons" / "keel-128.png"
    return str(png) if png.is_file() else DESKTOP_ENTRY


def supported() -> bool:
    """Whether this platform uses the freedesktop service (not Windows or macOS)."""
    return sys.platform not in ("win32", "darwin")


class DBusNotifier:
    """One connection to the session bus that shows notifications and hears their clicks."""

    def __init__(self, address: str | None = None) -> None:
        try:
            from jeepney.io.blocking import open_dbus_connection
        except ImportError as exc:
            raise NotificationError("the jeepney package is not installed") from exc
        address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS") or None
        if address is None and not os.environ.get("XDG_RUNTIME_DIR"):
            raise NotificationError("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        try:
            self.conn = open_dbus_connection(address or "SESSION")
        except (OSError, ValueError, KeyError, TimeoutError) as exc:
            raise NotificationError(f"cannot reach the session bus ({exc})") from exc
        from jeepney import DBusAddress, MatchRule

        self._address = DBusAddress(PATH, bus_name=SERVICE, interface=INTERFACE)
        self._queue: Any = None
        self._filter: Any = None
        rule = MatchRule(type="signal", interface=INTERFACE, path=PATH)
        try:
            from collections import deque

            from jeepney.bus_messages import message_bus

            self._queue = deque()
            self._filter = self.conn.filter(rule, queue=self._queue)
            self._call(message_bus.AddMatch(rule))
        except NotificationError:
            self.close()
            raise

    def _call(self, message: Any) -> Any:
        from jeepney import MessageType

        try:
            reply = self.conn.send_and_get_reply(message, timeout=CALL_TIMEOUT)
        except TimeoutError as exc:
            raise NotificationError("the notification service did not answer") from exc
        except OSError as exc:
            raise NotificationError(f"the session bus connection failed ({exc})") from exc
        if reply.header.message_type == MessageType.error:
            name = reply.header.fields.get(4, "error")  # HeaderFields.error_name
            if name in ("org.freedesktop.DBus.Error.ServiceUnknown",
                        "org.freedesktop.DBus.Error.NameHasNoOwner"):
                raise NotificationError("no notification service is running on the session bus")
            if str(name).startswith("org.freedesktop.DBus.Error.Spawn"):
                raise NotificationError("the notification service could not be started")
            detail = reply.body[0] if reply.body else ""
            raise NotificationError(f"the notification service refused ({name}: {detail})")
        return reply.body

    def notify(self, note: Notification, replaces: int = 0, timeout_ms: int = -1) -> int:
        """Show ``note``; returns the service's id for it."""
        from jeepney import new_method_call

        actions: list[str] = []
        for key, label in note.actions:
            actions += [key, label]
        hints = {"desktop-entry": ("s", DESKTOP_ENTRY), "urgency": ("y", 1),
                 "category": ("s", "x-keel.reminder")}
        message = new_method_call(self._address, "Notify", "susssasa{sv}i", (
            APP_NAME, replaces, icon_path(), note.summary, note.body, actions, hints,
            timeout_ms))
        body = self._call(message)
        return int(body[0])

    def wait(self, notification_id: int, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a click on notification ``notification_id``:
        the action's key, or None when it was closed or nothing happened in time."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                msg = self.conn.recv_until_filtered(self._queue, timeout=remaining)
            except TimeoutError:
                return None
            except OSError:
                return None  # the bus went away (logout)
            member = msg.header.fields.get(3)  # HeaderFields.member
            if not msg.body or int(msg.body[0]) != notification_id:
                continue
            if member == "ActionInvoked":
                return str(msg.body[1])
            if member == "NotificationClosed":
                return None

    def close(self) -> None:
        """Close the bus connection (a :meth:`wait` on another thread then returns None)."""
        import socket

        with contextlib.suppress(OSError):
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        try:
            if self._filter is not None:
                self._filter.close()
            self.conn.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
