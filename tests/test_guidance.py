"""The guidance itself, walked leaf by leaf over every flow in both locales (issue 11).

* the first reply of every outcome fits one phone screen (at most 300 characters of zh text, counted
  without whitespace, the local-rules line and any no-medical-advice note included);
* every guidance message (an outcome's first screen and detail sections, FAQ answers) names its sources
  in zh-CN: a Fluent comment ``# seeds: 000, 004`` or ``# conflict: C3`` right above it;
* refund and transfer: jargon explained where an outcome first uses it, full-width punctuation, and the
  Chinese names of menus, forms and apps kept in English.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pytest
from fluent.syntax import ast, parse

from bot.i18n import Translator
from bot.messages import Text
from flows.base import Flow, Guidance
from flows.faq import FAQS
from tests.test_all_paths import FLOWS, LOCALES, keys, walk

ROOT = Path(__file__).resolve().parent.parent
SCREEN = 300  # zh characters on one phone screen
SOURCE = re.compile(r"(?:\bseeds?:?\s*\d{3}(?:\s*,\s*\d{3})*|\bconflict:\s*C\d+)")


@pytest.fixture(scope="module")
def tr() -> Translator:
    return Translator()


def leaves() -> Iterator[tuple[str, Flow, Guidance, dict[str, Any]]]:
    """Every leaf of every flow, 不清楚-style answers included (their value is recorded like any other)."""
    for name, flow in sorted(FLOWS.items()):
        for state, slots in walk(flow, hints=True)[1]:
            yield name, flow, flow.outcomes[state], slots


def first_screen(outcome: Guidance, slots: dict[str, Any]) -> list[Text]:
    """What the dialogue shows when it enters the outcome (flows.dialogue.DialogueManager._enter)."""
    texts = [*outcome.render(slots), Text("common-local-rules")]
    return texts + [Text("common-footer")] if outcome.health else texts


def chars(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def guidance_keys() -> dict[str, str]:
    """Every message id an outcome (first screen or detail section) or an FAQ answer can show → where."""
    found: dict[str, str] = {}
    for name, _, outcome, slots in leaves():
        parts = [outcome.render(slots), *(texts for _, texts in outcome.sections(slots))]
        for key in keys([t for part in parts for t in part]):
            found.setdefault(key, f"{name}.{outcome.state}")
    for faq in FAQS:
        for key in faq.answer:
            found.setdefault(key, f"faq.{faq.id}")
    return found


@lru_cache(maxsize=1)
def zh_comments() -> dict[str, str]:
    """Message id → the comment attached to it, over every zh-CN file."""
    out = {}
    for path in sorted((ROOT / "locales" / "zh-CN").glob("*.ftl")):
        for entry in parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, ast.Message):
                out[entry.id.name] = entry.comment.content if entry.comment else ""
    return out


def test_every_first_screen_fits_one_phone_screen(tr, capsys):
    sizes = []
    for name, _, outcome, slots in leaves():
        zh = "\n\n".join(tr.text(t, "zh-CN") for t in first_screen(outcome, slots))
        sizes.append((chars(zh), name, outcome.state, slots, zh))
        for loc in LOCALES:  # and every section renders in both locales, with nothing left unfilled
            for _, texts in outcome.sections(slots):
                assert all(tr.has(k, loc) for k in keys(texts)), (name, outcome.state, loc)
                assert "{" not in "".join(tr.text(t, loc) for t in texts)
    sizes.sort(key=lambda row: -row[0])
    longest = sizes[0]
    with capsys.disabled():
        print(f"\nlongest first screen: {longest[0]} zh characters ({longest[1]}.{longest[2]} {longest[3]})")
    too_long = [row[:4] for row in sizes if row[0] > SCREEN]
    assert not too_long, f"{len(too_long)} first screens over {SCREEN}: {too_long[:5]}\n\n{longest[4]}"


def test_every_guidance_message_names_its_sources():
    comments = zh_comments()
    found = guidance_keys()
    assert len(found) > 100  # the walk sees the guidance at all
    missing = {key: where for key, where in found.items() if not SOURCE.search(comments.get(key, ""))}
    assert not missing, f"guidance without a '# seeds: NNN' or '# conflict: Cn' comment: {missing}"


def test_the_source_check_catches_a_message_without_comment(tmp_path):
    text = "# seeds: 000\na = 甲\n\nb = 乙\n# conflict: C3\nc = 丙\n"
    msgs = {e.id.name: (e.comment.content if e.comment else "") for e in parse(text).body
            if isinstance(e, ast.Message)}
    assert [k for k, c in msgs.items() if not SOURCE.search(c)] == ["b"]


def test_every_leaf_offers_handoff_and_menu():
    for name, _, outcome, slots in leaves():
        values = [o.value for o in outcome.options(slots)] or ["cmd:menu", "cmd:handoff"]
        assert "cmd:handoff" in values and "cmd:menu" in values, (name, outcome.state)


# -- refund and transfer: plain words, punctuation, Chinese names in English -----------------------------
JARGON = ("统筹地区", "待遇享受期", "参保凭证", "经办机构", "一档", "统筹基金", "市级统筹")
MINE = ("refund", "transfer")


def test_jargon_is_explained_where_an_outcome_first_uses_it(tr):
    for name, _, outcome, slots in leaves():
        if name not in MINE:
            continue
        parts = [outcome.render(slots), *(texts for _, texts in outcome.sections(slots))]
        whole = "\n".join(tr.text(t, "zh-CN") for part in parts for t in part)
        for word in JARGON:
            at = whole.find(word)
            if at >= 0:
                after = whole[at + len(word): at + len(word) + 1]
                assert after == "（", f"{name}.{outcome.state}: 「{word}」 first used without explanation: " \
                                     f"…{whole[max(0, at - 20): at + 30]}…"


def test_jargon_is_explained_once_per_screen(tr):
    """Each screen (the first reply, or one section) stands on its own, but says an explanation only once."""
    for name, _, outcome, slots in leaves():
        if name not in MINE:
            continue
        for screen in [outcome.render(slots), *(texts for _, texts in outcome.sections(slots))]:
            text = "\n".join(tr.text(t, "zh-CN") for t in screen)
            for word in JARGON:
                assert text.count(word + "（") <= 1, f"{name}.{outcome.state}: 「{word}」 explained twice: {text}"


def zh_values(stem: str) -> dict[str, str]:
    out = {}
    for entry in parse((ROOT / "locales" / "zh-CN" / f"{stem}.ftl").read_text(encoding="utf-8")).body:
        if isinstance(entry, ast.Message) and entry.value is not None:
            out[entry.id.name] = "".join(e.value for e in entry.value.elements if isinstance(e, ast.TextElement))
    return out


@pytest.mark.parametrize("stem", ["refund", "transfer", "common", "dialogue"])
def test_chinese_text_uses_full_width_punctuation(stem):
    bad = {k: v for k, v in zh_values(stem).items() if re.search(r"[,;:?!()]", v)}
    assert not bad, bad


def test_defect_17_english_refund_transfer_keep_chinese_names_and_say_not_sure(tr):
    for stem in MINE:
        for key, zh in zh_values(stem).items():
            en = tr.text(Text(key, {"items": ""}), "en")
            names = re.findall(r"《[^》]+》|「[^」]*[\u4e00-\u9fff][^」]*」", zh)
            # the bot's own buttons and commands are translated like any other text
            names = [n for n in names if not re.fullmatch(r"「(返回|转人工|办理医保退费|办理步骤|退保|转档)」", n)]
            for name in names:
                assert name.strip("「」") in en, f"{key}: {name} missing in English: {en}"
            if "→" in zh:
                assert re.search(r"[\u4e00-\u9fff]", en), f"{key}: menu path without its Chinese names: {en}"
        for key in zh_values(stem):
            assert not re.search(r"\bsources?\b", tr.text(Text(key, {"items": ""}), "en"), re.I), key
    assert tr.text("opt-unknown", "en") == "Not sure"


def test_readme_points_to_the_development_set_where_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "section 11 of `../shared/domain.md`" in readme and "domain.md §11" not in readme


def test_every_first_reply_with_its_numbered_options_fits_one_wechat_reply(tr):
    """On WeChat the first screen and its numbered options go out as one passive reply, never split."""
    from adapters.wechat import TEXT_LIMIT
    from bot.messages import Reply

    worst = 0
    for name, _, outcome, slots in leaves():
        options = [*outcome.detail_options(slots), *(outcome.options(slots) or [])]
        reply = Reply(tuple(first_screen(outcome, slots)), tuple(options))
        for loc in LOCALES:
            size = len(tr.render(reply, loc).numbered().encode())
            worst = max(worst, size)
            assert size <= TEXT_LIMIT, (name, outcome.state, slots, size)
    assert worst > 0
