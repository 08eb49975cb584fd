"""A small freedesktop notification server for the tests (run as a script on a private bus).

It owns ``org.freedesktop.Notifications`` on the bus named by ``DBUS_SESSION_BUS_ADDRESS``
and answers Notify, CloseNotification, GetCapabilities and GetServerInformation as the
spec (version 1.2) says. Every call is written to standard output as one JSON line; lines
on standard input make it act like a user:

    invoke ID KEY      emit ActionInvoked(ID, KEY)   (a click on a button or the body)
    close ID REASON    emit NotificationClosed(ID, REASON)

It prints ``{"ready": true}`` once it owns the name. Built with jeepney, like Keel's client,
but it speaks only the wire protocol: a wrong argument type in Keel's Notify is refused with
the same InvalidArgs error a real server gives.
"""

from __future__ import annotations

import json
import queue
import sys
import threading

from jeepney import DBusAddress, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"


def _plain(value: object) -> object:
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return [value[0], _plain(value[1])]  # a variant: (signature, value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def main() -> int:
    conn = open_dbus_connection(sys.argv[1] if len(sys.argv) > 1 else "SESSION")
    conn.send_and_get_reply(message_bus.RequestName(NAME, 4))
    emitter = DBusAddress(PATH, interface=NAME)
    commands: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [commands.put(line) for line in sys.stdin],
                     daemon=True).start()
    next_id = 0
    print(json.dumps({"ready": True}), flush=True)
    while True:
        while not commands.empty():
            parts = commands.get().split()
            if parts and parts[0] == "invoke":
                conn.send(new_signal(emitter, "ActionInvoked", "us", (int(parts[1]), parts[2])))
            elif parts and parts[0] == "close":
                conn.send(new_signal(emitter, "NotificationClosed", "uu",
                                     (int(parts[1]), int(parts[2]))))
            elif parts and parts[0] == "quit":
                return 0
        try:
            msg = conn.receive(timeout=0.05)
        except TimeoutError:
            continue
        header = msg.header
        if header.message_type != MessageType.method_call:
            continue
        member = header.fields.get(3)  # HeaderFields.member
        signature = header.fields.get(8, "")  # HeaderFields.signature
        if member == "Notify":
            if signature != NOTIFY_SIGNATURE:
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s", (
                    f"Type of message, ({signature}), does not match expected type "
                    f"({NOTIFY_SIGNATURE})",)))
                continue
            app, replaces, icon, summary, body, actions, hints, timeout = msg.body
            nid = replaces or next_id + 1
            next_id = max(next_id, nid)
            print(json.dumps({"call": "Notify", "id": nid, "app_name": app, "replaces_id": replaces,
                              "app_icon": icon, "summary": summary, "body": body,
                              "actions": list(actions), "hints": _plain(hints),
                              "expire_timeout": timeout}), flush=True)
            conn.send(new_method_return(msg, "u", (nid,)))
        elif member == "CloseNotification":
            print(json.dumps({"call": "CloseNotification", "id": msg.body[0]}), flush=True)
            conn.send(new_method_return(msg))
            conn.send(new_signal(emitter, "NotificationClosed", "uu", (msg.body[0], 3)))
        elif member == "GetCapabilities":
            conn.send(new_method_return(msg, "as", (["actions", "body", "icon-static"],)))
        elif member == "GetServerInformation":
            conn.send(new_method_return(msg, "ssss", ("keel-test", "Keel", "1", "1.2")))
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))


if __name__ == "__main__":
    sys.exit(main())
