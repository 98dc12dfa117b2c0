"""An assistive technology in a few lines: it reads an application's accessible tree on the AT-SPI
bus and acts on it (``Press``, text entry) the way switch access or voice control does, over D-Bus
(jeepney, pure Python). Nothing of Qt is used here: the kiosk runs in a process of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from jeepney import DBusAddress, MatchRule, Properties, message_bus, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ACCESSIBLE = "org.a11y.atspi.Accessible"
REGISTRY_ROOT = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
STATE_SHOWING = 25  # AtspiStateType: on the screen now (its window and every parent shown)
CALL_TIMEOUT_SECONDS = 10.0
REGISTRY = DBusAddress(
    "/org/a11y/atspi/registry", bus_name="org.a11y.atspi.Registry", interface="org.a11y.atspi.Registry"
)
# What the kiosk says on the bus when its screen changes (Qt sends only events someone registered for).
EVENTS = {"object:": "org.a11y.atspi.Event.Object", "window:": "org.a11y.atspi.Event.Window"}
# The longest wait for the next event before looking again: an event that came while the tree was
# being read was taken with those replies.
EVENT_WAIT_SECONDS = 1.0
T = TypeVar("T")


@dataclass(frozen=True)
class Node:
    bus_name: str
    path: str
    object_name: str  # Qt's object name: the last part of the accessible id Qt gives AT-SPI


class AssistiveTechnology:
    """A client of the accessibility bus of the D-Bus session at ``session_address``."""

    def __init__(self, session_address: str) -> None:
        with open_dbus_connection(bus=session_address) as session:
            bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
            self.address = session.send_and_get_reply(new_method_call(bus, "GetAddress")).body[0]
        self.connection: DBusConnection = open_dbus_connection(bus=self.address)
        for event, interface in EVENTS.items():
            rule = MatchRule(type="signal", interface=interface)
            self.connection.send_and_get_reply(message_bus.AddMatch(rule), timeout=CALL_TIMEOUT_SECONDS)
            self.connection.send_and_get_reply(
                new_method_call(REGISTRY, "RegisterEvent", "s", (event,)), timeout=CALL_TIMEOUT_SECONDS
            )

    def wait_until(self, what: str, condition: Callable[[], T | None], timeout: float) -> T:
        """Look again at each event the application sends, until ``condition`` gives something; fail
        saying ``what`` never came."""
        deadline = time.monotonic() + timeout
        while not (found := condition()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"waited {timeout:.0f} s for {what}")
            with suppress(TimeoutError):  # no event: look again all the same
                self.connection.receive(timeout=min(remaining, EVENT_WAIT_SECONDS))
        return found

    def close(self) -> None:
        self.connection.close()

    def _call(self, node: tuple[str, str], interface: str, method: str, signature: str | None = None, *body: Any):  # type: ignore[no-untyped-def]
        address = DBusAddress(node[1], bus_name=node[0], interface=interface)
        reply = self.connection.send_and_get_reply(
            new_method_call(address, method, signature, body), timeout=CALL_TIMEOUT_SECONDS
        )
        return reply.body

    def _property(self, node: tuple[str, str], name: str) -> Any:
        address = DBusAddress(node[1], bus_name=node[0], interface=ACCESSIBLE)
        reply = self.connection.send_and_get_reply(Properties(address).get(name), timeout=CALL_TIMEOUT_SECONDS)
        return reply.body[0][1]

    def applications(self) -> list[tuple[str, str]]:
        return list(self._call(REGISTRY_ROOT, ACCESSIBLE, "GetChildren")[0])

    def _showing(self, node: tuple[str, str]) -> bool:
        words = self._call(node, ACCESSIBLE, "GetState")[0]
        return bool(words[STATE_SHOWING // 32] & (1 << STATE_SHOWING % 32))

    def shown(self, *, hidden_too: bool = False) -> dict[str, Node]:
        """Every control on the screen now, by its object name (what a person can see and reach);
        ``hidden_too``: every one the application has."""
        found: dict[str, Node] = {}
        pending = self.applications()
        while pending:
            node = pending.pop()
            if not hidden_too and not self._showing(node):
                continue  # a hidden screen, and everything in it
            identifier = str(self._property(node, "AccessibleId"))
            name = identifier.rsplit(".", 1)[-1]
            if name:
                found.setdefault(name, Node(node[0], node[1], name))
            pending.extend(self._call(node, ACCESSIBLE, "GetChildren")[0])
        return found

    def wait_shown(self, object_name: str, timeout: float = 20.0) -> Node:
        return self.wait_until(f"{object_name} on the screen", lambda: self.shown().get(object_name), timeout)

    def press(self, node: Node) -> None:
        """The control's "Press" action, as switch access or voice control presses it."""
        where = (node.bus_name, node.path)
        actions = [name for name, _description, _keys in self._call(where, "org.a11y.atspi.Action", "GetActions")[0]]
        assert "Press" in actions, f"{node.object_name} offers {actions}"
        assert self._call(where, "org.a11y.atspi.Action", "DoAction", "i", actions.index("Press"))[0]

    def insert_text(self, node: Node, position: int, text: str) -> None:
        """Text entry through the field's accessible editable text, as voice control types."""
        where = (node.bus_name, node.path)
        assert self._call(where, "org.a11y.atspi.EditableText", "InsertText", "isi", position, text, len(text))[0]

    def text(self, node: Node) -> str:
        return str(self._call((node.bus_name, node.path), "org.a11y.atspi.Text", "GetText", "ii", 0, -1)[0])
