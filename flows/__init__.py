"""Conversation flows. `build_flows()` builds each flow's state machine once, at start-up."""
from __future__ import annotations

import importlib

from flows.base import Flow
from flows.dialogue import MenuEntry

# Flow modules, in menu order. A module listed here exposes build() -> Flow.
FLOW_MODULES = ("flows.refund", "flows.transfer", "flows.family", "flows.reactivation")

MENU = (
    MenuEntry("refund", "menu-refund", "refund"),
    MenuEntry("transfer", "menu-transfer", "transfer"),
    MenuEntry("family", "menu-family", "family"),
    MenuEntry("reactivation", "menu-reactivation", "reactivation"),
    MenuEntry("card", "menu-card", "reactivation", {"react_task": "卡激活"}),
)


def build_flows() -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    for module_name in FLOW_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name == module_name:  # not written yet: the menu simply leaves it out
                continue
            raise
        flow = module.build()
        flows[flow.name] = flow
    return flows
