"""Architecture rules that code review alone would let slip."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_LIBS = {"aiogram", "wechatpy", "aiohttp", "redis", "fakeredis"}


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


def test_flows_never_import_adapters():
    for p in (ROOT / "flows").rglob("*.py"):
        assert "adapters" not in imported_roots(p), p
