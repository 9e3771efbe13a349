"""Builds flows/data/soundalike.json from pypinyin: the pinyin of the [soundalike] words of intents.toml, and
for each of their syllables every character that can be read so. The bot loads this small table (a few ms)
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


def build(words: list[str]) -> dict:
    from pypinyin import Style, lazy_pinyin, pinyin_dict

    spelled = {w: lazy_pinyin(w, style=Style.NORMAL) for w in words}
    syllables = sorted({s for ss in spelled.values() for s in ss})
    chars: dict[str, list[str]] = {s: [] for s in syllables}
    for cp, raw in sorted(pinyin_dict.pinyin_dict.items()):
        if 0x3400 <= cp <= 0x9FFF:
            for r in sorted({_plain(r) for r in raw.split(",")}):
                if r in chars:
                    chars[r].append(chr(cp))
    return {"words": spelled, "syllables": {s: "".join(c) for s, c in chars.items()}}


def words_from(data_dir: Path = DATA_DIR) -> list[str]:
    with open(data_dir / "intents.toml", "rb") as f:
        return list(tomllib.load(f).get("soundalike", {}).get("words", []))


def render(table: dict) -> str:
    return json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


if __name__ == "__main__":
    TABLE.write_text(render(build(words_from())), encoding="utf-8")
    print(f"wrote {TABLE}")
