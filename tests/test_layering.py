"""Architecture rules that code review alone would let slip.

* `flows/` is pure: no platform or I/O library, no adapter, not even through the `bot/` modules it uses
  (checked by importing every flows module in a fresh interpreter).
* `bot/` never reaches `adapters/`: every import is followed, indirect ones included (A imports B, B imports
  an adapter: A reaches it too), as are `importlib.import_module("adapters…")` names. The one exception is
  the process entry point, which starts what the adapters assemble.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "flows", "adapters")
PLATFORM_LIBS = {"aiogram", "wechatpy", "aiohttp", "redis", "fakeredis"}
DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")  # a string that could be a module's name

# Modules of bot/ allowed to import adapters/ directly, and why. Nothing else may reach adapters/.
ALLOWED = {
    "bot.__main__": "the process entry point: `serve` runs adapters.app, `chat` the console, `poll` the poller",
    # Temporary: branch `send` moves the announcement senders onto the channels' output objects; remove this
    # line when it lands (test_allowed_exceptions_are_still_needed fails as a reminder).
    "bot.announcements.senders": "announcements still build their own WeChat client (adapters.wechat_api)",
}


def module_index(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Module name → file, for every module of the project's packages."""
    index = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            index[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return index


def _with_parents(name: str) -> list[str]:
    """Importing ``a.b.c`` runs ``a`` and ``a.b`` first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def project_imports(name: str, path: Path, index: dict[str, Path]) -> set[str]:
    """The project modules ``name`` may import: import statements anywhere in the file (inside functions
    and ``if TYPE_CHECKING`` too, relative ones resolved) and any string that is exactly a module's name
    (what `importlib.import_module` would be given), or an f-string begins with."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def add(target: str) -> None:
        found.update(n for n in _with_parents(target) if n in index)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            add(module)
            for alias in node.names:  # `from adapters import telegram` imports the module adapters.telegram
                add(f"{module}.{alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.fullmatch(node.value):
            add(node.value)
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            head = str(node.values[0].value)  # f"adapters.{name}": the package it names
            if DOTTED.fullmatch(head.rstrip(".")):
                add(head.rstrip("."))
    found.discard(name)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    index = module_index(root)
    return {name: project_imports(name, path, index) for name, path in index.items()}


def path_to_adapters(graph: dict[str, set[str]], start: str, allowed: dict[str, str]) -> list[str] | None:
    """The shortest import chain from ``start`` to a module of adapters/, or None. The adapter imports of
    ``allowed`` modules are not followed."""
    parent: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        if module.split(".")[0] == "adapters":
            chain = [module]
            while (step := parent[chain[-1]]) is not None:
                chain.append(step)
            return chain[::-1]
        for target in sorted(graph.get(module, ()), key=lambda t: (-t.count("."), t)):  # name the module itself
            if module in allowed and target.split(".")[0] == "adapters":
                continue
            if target not in parent:
                parent[target] = module
                queue.append(target)
    return None


def violations(graph: dict[str, set[str]], allowed: dict[str, str]) -> dict[str, str]:
    found = {}
    for module in sorted(graph):
        if module.split(".")[0] in ("bot", "flows") and (chain := path_to_adapters(graph, module, allowed)):
            found[module] = " → ".join(chain)
    return found


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_flows_import_no_platform_or_io_library():
    files = list((ROOT / "flows").rglob("*.py"))
    assert len(files) >= 4
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & PLATFORM_LIBS) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_any_flows_module_loads_no_platform_or_io_library():
    """Not even indirectly, through the bot/ modules the flows use (bot.sessions would bring redis)."""
    modules = sorted(m for m in module_index(ROOT, ("flows",)))
    assert "flows.dialogue" in modules and "flows.base" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"    loaded = sorted(lib for lib in {sorted(PLATFORM_LIBS)!r} if lib in sys.modules)\n"
        "    if loaded:\n"
        "        sys.exit(f'importing {name} loaded {loaded}')\n"
        "print(len(sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr or run.stdout


def test_bot_and_flows_never_reach_adapters():
    graph = import_graph()
    assert "adapters.app" in graph["bot.__main__"]  # the walker sees the entry point's own imports
    assert violations(graph, ALLOWED) == {}


def test_allowed_exceptions_are_still_needed():
    """An exception that no longer imports adapters/ must leave the list, so that it cannot come back."""
    graph = import_graph()
    stale = [m for m in ALLOWED if not any(t.split(".")[0] == "adapters" for t in graph.get(m, ()))]
    assert stale == []


def test_nothing_imports_the_entry_point():
    graph = import_graph()
    assert [m for m, targets in graph.items() if "bot.__main__" in targets] == []


def test_the_walker_follows_indirect_relative_and_importlib_imports(tmp_path):
    """The rule above is only as good as the walker: check it on a small tree with every kind of import."""
    files = {
        "adapters/__init__.py": "",
        "adapters/chan.py": "",
        "bot/__init__.py": "",
        "bot/direct.py": "from adapters.chan import thing\n",
        "bot/indirect.py": "import bot.direct\n",
        "bot/relative.py": "from . import indirect\n",
        "bot/by_name.py": "import importlib\n\ndef load():\n    return importlib.import_module('adapters.chan')\n",
        "bot/names_in_a_tuple.py": "import importlib\nNAMES = ('adapters.chan',)\n",
        "bot/f_string.py": "import importlib\n\ndef load(n):\n    return importlib.import_module(f'adapters.{n}')\n",
        "bot/package_only.py": "from adapters import chan\n",
        "bot/lazy.py": "def f():\n    from bot import by_name\n",
        "bot/clean.py": '"""Talks about adapters.chan in prose only."""\nfrom bot import entry\n',
        "bot/entry.py": "import adapters.chan\n",
        "flows/__init__.py": "",
        "flows/pure.py": "from bot.indirect import x\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = violations(import_graph(tmp_path), {"bot.entry": "the entry point"})
    assert set(found) == {"bot.direct", "bot.indirect", "bot.relative", "bot.by_name", "bot.names_in_a_tuple",
                          "bot.f_string", "bot.package_only", "bot.lazy", "flows.pure"}
    assert found["flows.pure"] == "flows.pure → bot.indirect → bot.direct → adapters.chan"
    assert set(violations(import_graph(tmp_path), {})) == set(found) | {"bot.entry", "bot.clean"}
