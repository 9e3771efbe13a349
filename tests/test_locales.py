"""Every locale id used by the code exists in every locale, and the locales define the same ids."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.i18n import SUPPORTED, Translator
from flows import build_flows

ROOT = Path(__file__).resolve().parent.parent
ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
NOT_IDS = {"utf-8", "zh-cn"}


def ids_in_code() -> dict[str, str]:
    """String constants in the code that look like locale ids (lower-case, hyphenated)."""
    found: dict[str, str] = {}
    for package in ("bot", "flows", "adapters"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and ID.match(node.value):
                    if node.value not in NOT_IDS:
                        found.setdefault(node.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def ids_in_flows() -> set[str]:
    ids = set()
    for flow in build_flows().values():
        ids.add(flow.title)
        for q in flow.questions.values():
            ids.add(q.prompt)
            for c in q.choices:
                ids.add(c.label)
                if c.hint:
                    ids.add(c.hint)
    return ids


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator()


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_id_used_in_code_exists(translator, locale):
    available = translator.ids(locale)
    code = ids_in_code()
    assert len(code) > 50  # the scan sees the code's ids at all
    missing = {i: where for i, where in code.items() if i not in available and _looks_like_message(i, translator)}
    assert not missing, f"{locale} lacks: {missing}"


def _looks_like_message(candidate: str, tr: Translator) -> bool:
    # Hyphenated constants that no locale defines at all are not message ids (e.g. header names);
    # an id defined in SOME locale but not this one is exactly what this test exists to catch.
    return any(candidate in tr.ids(loc) for loc in SUPPORTED) or candidate.split("-")[0] in _prefixes(tr)


def _prefixes(tr: Translator) -> set[str]:
    return {i.split("-")[0] for loc in SUPPORTED for i in tr.ids(loc)}


@pytest.mark.parametrize("locale", SUPPORTED)
def test_every_flow_id_exists(translator, locale):
    missing = sorted(i for i in ids_in_flows() if not translator.has(i, locale))
    assert not missing, f"{locale} lacks: {missing}"


def test_locales_define_the_same_ids(translator):
    zh, en = translator.ids("zh-CN"), translator.ids("en")
    assert sorted(zh - en) == [] and sorted(en - zh) == []


def test_no_placeholder_or_empty_messages(translator):
    for loc in SUPPORTED:
        for i in translator.ids(loc):
            text = translator.text(i, loc)
            assert text.strip() and text != i, (loc, i)


def test_params_render_in_both_locales(translator):
    from bot.messages import Text

    zh = translator.text(Text("refund-materials", {"items": [Text("mat-id-card"), Text("mat-bank-card")]}), "zh-CN")
    en = translator.text(Text("refund-materials", {"items": [Text("mat-id-card"), Text("mat-bank-card")]}), "en")
    assert "身份证原件和复印件、本人银行卡" in zh
    assert "ID card (original and copy), your bank card" in en
