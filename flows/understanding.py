"""Understanding free text: global commands, the errand (or FAQ, or out-of-scope topic) a message is
about, slots it already answers, and which offered choice an answer means.

Vocabulary, typo fixes and rules live in `flows/data/*.toml`; this module only knows how to apply them.
Matching is done on a normalised string (full-width folded, punctuation and spaces removed, typos fixed),
with phrases from concept lists, ordered rules and, for answers, the longest phrase that matches.
rapidfuzz catches typed labels with a slip ("职工医宝" for 职工医保).
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from rapidfuzz import fuzz

DATA_DIR = Path(__file__).resolve().parent / "data"

_PUNCT = re.compile(r"[\s,，。.!！~～、;；:：'\"“”‘’()（）【】\[\]<>《》…?？]+")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_DURATION = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十半]+)(?P<more1>多)?(?:个)?(?P<more2>多)?"
    r"(?P<unit>月|年|周|星期|礼拜|天)(?P<half>半)?"
    r"|(?P<en>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?P<enunit>month|year|week|day)"
)
_UNIT_MONTHS = {"月": 1.0, "年": 12.0, "周": 0.25, "星期": 0.25, "礼拜": 0.25, "天": 1 / 30,
                "month": 1.0, "year": 12.0, "week": 0.25, "day": 1 / 30}
_MORE_AFTER = re.compile(r"(以上|还多|出头|开外|多(?!少))")
_MORE_BEFORE = re.compile(r"(超过|超出|多于|大于|不止|morethan|over)$")
SHORT_LAPSE, LONG_LAPSE = "≤3个月", ">3个月"
SHORT_ANSWER = 10  # characters: longer answers must name a choice by one of its phrases


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCT.sub("", text)


def cn_number(s: str) -> float | None:
    """'3' → 3, '十二' → 12, '两' → 2, '半' → 0.5; None when it is not a number."""
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if s == "半":
        return 0.5
    if not s or any(c not in _CN_DIGITS and c != "十" for c in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        return float((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0))
    if len(s) == 1:
        return float(_CN_DIGITS[s])
    return None  # "一两" and other ranges: too vague to count


@dataclass(frozen=True)
class Understanding:
    """intent: a flow name, "faq", "out_of_scope", "handoff", or None when nothing was recognised.
    faq: the FAQ id when intent is "faq"; topic: for "out_of_scope", "insurance", "health" or "other"."""

    intent: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    faq: str | None = None
    score: float = 0.0
    topic: str | None = None


class _Lexicon:
    """Literal phrases and "re:" patterns, matched on normalised text; reports spans for overlap checks."""

    def __init__(self, phrases: Iterable[str], clean) -> None:
        self.literals: list[str] = []
        self.patterns: list[re.Pattern[str]] = []
        for p in phrases:
            if p.startswith("re:"):
                self.patterns.append(re.compile(p[3:]))
            elif clean(p):
                self.literals.append(clean(p))

    def spans(self, t: str) -> list[tuple[int, int]]:
        out = []
        for lit in self.literals:
            start = t.find(lit)
            while start >= 0:
                out.append((start, start + len(lit)))
                start = t.find(lit, start + 1)
        for pat in self.patterns:
            out += [m.span() for m in pat.finditer(t) if m.end() > m.start()]
        return out

    def matches(self, t: str) -> bool:
        return any(lit in t for lit in self.literals) or any(p.search(t) for p in self.patterns)

    def without_single_chars(self) -> "_Lexicon":
        copy = _Lexicon([], str)
        copy.literals = [lit for lit in self.literals if len(lit) > 1]
        copy.patterns = list(self.patterns)
        return copy


@dataclass(frozen=True)
class _Rule:
    intent: str
    all: tuple[tuple[str, ...], ...]
    none: tuple[str, ...]
    score: float
    faq: str | None
    topic: str | None
    slots: dict[str, str]
    drop: tuple[str, ...]


class Understander:
    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        with open(data_dir / "commands.toml", "rb") as f:
            commands = tomllib.load(f)
        with open(data_dir / "intents.toml", "rb") as f:
            data = tomllib.load(f)
        self._typos = [(re.compile(k[3:]) if k.startswith("re:") else normalize(k), normalize(v))
                       for k, v in data.get("typos", {}).items()]
        self._canonical = [(k, v) for k, v in data.get("canonical", {}).items()]
        fillers = commands.pop("fillers", {})
        self._prefixes = sorted((self.clean(p) for p in fillers.get("prefix", [])), key=len, reverse=True)
        self._suffixes = sorted((self.clean(s) for s in fillers.get("suffix", [])), key=len, reverse=True)
        self._commands: dict[str, str] = {}
        for name, by_locale in commands.items():
            for phrases in by_locale.values():
                for p in phrases:
                    self._commands.setdefault(self.clean(p) or p, name)
        self._concepts = {name: _Lexicon(words, self.clean) for name, words in data.get("concepts", {}).items()}
        self._rules = [self._rule(r) for r in data.get("rules", [])]
        self._request_concepts = set(data.get("requests", {}).get("concepts", []))
        if self._request_concepts - set(self._concepts):
            raise ValueError(f"intents.toml: [requests] names unknown concepts {self._request_concepts - set(self._concepts)}")
        self._relevant = {k: tuple(v) for k, v in data.get("relevant", {}).items()}
        self._slots = {slot: {value: _Lexicon(ph, self.clean) for value, ph in values.items()}
                       for slot, values in data.get("slots", {}).items()}
        self._answers = {slot: {value: _Lexicon(ph, self.clean) for value, ph in values.items()}
                         for slot, values in data.get("answers", {}).items()}
        generic = data.get("generic", {})
        self._unsure = _Lexicon(generic.get("unsure", []), self.clean)
        self._yes = {self.clean(w) for w in generic.get("yes", [])}
        self._no = {self.clean(w) for w in generic.get("no", [])}
        ordinals = data.get("ordinals", {})
        self._ordinal_words = {self.clean(k): v for k, v in ordinals.get("words", {}).items()}
        self._ordinal_patterns = [re.compile(p[3:]) for p in ordinals.get("patterns", [])]
        self._lapse_markers = _Lexicon(data.get("lapse_markers", {}).get("words", []), self.clean)

    def _rule(self, r: dict[str, Any]) -> _Rule:
        groups = tuple(tuple(item.split("|")) for item in r.get("all", []))
        for name in (n for g in groups for n in g):
            if name not in self._concepts:
                raise ValueError(f"intents.toml: rule {r} names unknown concept {name!r}")
        return _Rule(r["intent"], groups, tuple(r.get("none", [])), float(r.get("score", 0)), r.get("faq"),
                     r.get("topic"), dict(r.get("slots", {})), tuple(r.get("drop", ())))

    # -- normalisation -------------------------------------------------------------------------------
    def clean(self, text: str) -> str:
        t = normalize(text)
        for wrong, right in self._typos:
            t = wrong.sub(right, t) if isinstance(wrong, re.Pattern) else t.replace(wrong, right)
        for wrong, right in self._canonical:
            t = t.replace(wrong, right)
        return t

    # -- global commands -----------------------------------------------------------------------------
    def command(self, text: str) -> str | None:
        """The global command a whole message asks for, or None."""
        raw = unicodedata.normalize("NFKC", text or "").strip().lower()
        if raw in self._commands:  # "?" and "/start" survive only before punctuation folding
            return self._commands[raw]
        t = self.clean(text)
        for _ in range(3):
            if t in self._commands:
                return self._commands[t]
            stripped = t
            for p in self._prefixes:
                if stripped.startswith(p) and len(stripped) > len(p):
                    stripped = stripped[len(p):]
                    break
            for s in self._suffixes:
                if stripped.endswith(s) and len(stripped) > len(s):
                    stripped = stripped[: -len(s)]
                    break
            if stripped == t:
                return None
            t = stripped
        return self._commands.get(t)

    # -- what a message is about ---------------------------------------------------------------------
    def is_request(self, text: str) -> bool:
        """Phrased as a request or question rather than a statement (see [requests] in intents.toml)."""
        return bool(self.concepts_in(text) & self._request_concepts)

    def concepts_in(self, text: str) -> set[str]:
        t = self.clean(text)
        return {name for name, lex in self._concepts.items() if lex.matches(t)}

    def understand(self, text: str) -> Understanding:
        t = self.clean(text)
        if not t:
            return Understanding(None)
        found = {name for name, lex in self._concepts.items() if lex.matches(t)}
        best: _Rule | None = None
        for rule in self._rules:
            if all(any(c in found for c in group) for group in rule.all) and not any(c in found for c in rule.none):
                if best is None or rule.score > best.score:
                    best = rule
        # A question about pensions, housing funds or contribution bases is not a 医保 errand, even when
        # it mentions 居民 or 交 (dev set #41, #42) — unless it names 医保 too.
        vetoed = "other_insurance" in found and "medical_insurance" not in found
        if vetoed and (best is None or best.intent not in ("handoff", "out_of_scope")):
            return Understanding("out_of_scope", score=1.0, topic="insurance")
        if best is None:
            if len(t) <= 1 or t.isdigit():
                return Understanding(None)
            if "insurance" in found:
                # Something about 医保 that no errand or FAQ covers; too short to judge → let the menu ask.
                return Understanding(None if len(t) <= 4 else "out_of_scope", score=0.5, topic="insurance")
            # "好的", "嗯嗯": too little to call out of scope; the dialogue shows the menu instead.
            return Understanding("out_of_scope" if len(t) >= 4 else None, score=0.5, topic="other")
        slots = {k: v for k, v in self.slots_in(text, best.intent).items() if k not in best.drop}
        slots.update(best.slots)
        return Understanding(best.intent, slots, faq=best.faq, score=best.score, topic=best.topic)

    # -- slots ----------------------------------------------------------------------------------------
    def slots_in(self, text: str, intent: str | None = None) -> dict[str, Any]:
        """Slot values a message states outright; with ``intent``, only the slots relevant to it."""
        t = self.clean(text)
        found: dict[str, Any] = {}
        for slot, values in self._slots.items():
            value = self._pick(t, values)
            if value is not None:
                found[slot] = value
        lapse = self.lapse_in(t, need_marker=True)
        if lapse is not None:
            found["lapse"] = lapse
        if intent is not None:
            keep = self._relevant.get(intent, ())
            found = {k: v for k, v in found.items() if k in keep}
        return found

    @staticmethod
    def _pick(t: str, values: dict[str, _Lexicon]) -> str | None:
        """The one value whose phrases occur. Of overlapping phrases the longer (then the earlier) wins, so
        "没有报销过" means 没用过; phrases of two values in different places make it ambiguous → None."""
        hits = [(s, e, v) for v, lex in values.items() for s, e in lex.spans(t)]
        if not hits:
            return None
        def beats(o: tuple[int, int, str], h: tuple[int, int, str]) -> bool:
            overlap = o[0] < h[1] and h[0] < o[1]
            return overlap and ((o[1] - o[0], -o[0]) > (h[1] - h[0], -h[0]))

        kept = [h for h in hits if not any(beats(o, h) for o in hits)]
        winners = {v for _, _, v in kept}
        if len(winners) == 1:
            return winners.pop()
        return None

    def lapse_in(self, t: str, need_marker: bool = True) -> str | None:
        """≤3个月 / >3个月 from "断了3个月", "半年没交", "两个多月"; exactly three months is ≤3 (domain.md C4).

        ``t`` is cleaned text. With ``need_marker`` a lapse word must occur, so "交了5年" is not a lapse."""
        if need_marker and not self._lapse_markers.matches(t):
            return None
        for m in _DURATION.finditer(t):
            prefix = t[: m.start()]
            if re.search(r"(满|够|不到|未满|没满)$", prefix):
                continue  # "未交满6个月" is how long one has paid, not a gap
            if need_marker and re.search(r"(?<![断没未停欠漏不])交了?$", prefix):
                continue  # "交了5年" is how long one has paid
            if m.group("en"):
                n = float(_EN_NUMBERS.get(m.group("en"), 0) or m.group("en"))
                months = n * _UNIT_MONTHS[m.group("enunit")]
                more = False
            else:
                n = cn_number(m.group("n"))
                if n is None:
                    continue
                months = n * _UNIT_MONTHS[m.group("unit")] + (6 if m.group("half") and m.group("unit") == "年" else 0)
                more = bool(m.group("more1") or m.group("more2"))
            # "3个月以上", "超过三个月", "more than 3 months": beyond the stated length
            more = more or bool(_MORE_AFTER.match(t, m.end()) or _MORE_BEFORE.search(prefix))
            return LONG_LAPSE if months > 3 or (more and months >= 3) else SHORT_LAPSE
        phrases = self._slots.get("lapse", {})
        return self._pick(t, phrases) if phrases else None

    # -- answers to the current question --------------------------------------------------------------
    def ordinal(self, text: str) -> int | None:
        """1-based option number from "2", "第二个", "选3", "the first one"; None otherwise."""
        t = self.clean(text)
        for pat in self._ordinal_patterns:
            m = pat.match(t)
            if m:
                n = m.group("n")
                return int(n) if n.isdigit() else self._ordinal_words.get(n)
        return None

    def match_choice(self, text: str, slot: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
        """Which choice a free-text answer means: its label or value, a phrase for that value, a stated
        duration (for lapse), "不清楚"/yes/no words, or a near-miss of a label. Returns a value or None.

        ``choices`` pairs each value with its labels (in the session's and the default locale)."""
        t = self.clean(text)
        if not t:
            return None
        values = [v for v, _ in choices]
        for value, labels in choices:
            if t == self.clean(value) or any(t == self.clean(label) for label in labels):
                return value
        # Phrases for this slot: answers first (they know negation: "没有报销过"), then slot phrases.
        lexicon = {**self._slots.get(slot, {}), **self._answers.get(slot, {})}
        if slot in self._answers and slot in self._slots:
            lexicon = {v: _Lexicon([], self.clean) for v in {*self._slots[slot], *self._answers[slot]}}
            for v in lexicon:
                for src in (self._slots[slot], self._answers[slot]):
                    if v in src:
                        lexicon[v].literals += src[v].literals
                        lexicon[v].patterns += src[v].patterns
        offered = {v: lex for v, lex in lexicon.items() if v in values}
        if len(t) > 2:  # "是", "对", "没" inside a sentence ("…是公费医疗吗") are not answers by themselves
            offered = {v: lex.without_single_chars() for v, lex in offered.items()}
        picked = self._pick(t, offered) if offered else None
        if picked is not None:
            return picked
        if slot == "lapse":
            lapse = self.lapse_in(t, need_marker=False)
            if lapse in values:
                return lapse
        if len(t) > SHORT_ANSWER:
            return None  # a long message that names no choice is not answered by "不" or a near-miss
        unsure = next((v for v in values if v in ("不清楚", "不确定")), None)
        if unsure is not None and self._unsure.matches(t):
            return unsure
        if t in self._yes or t in self._no:
            want = ("是", "有", "yes") if t in self._yes else ("否", "没有", "no")
            hit = [v for v in values if v in want]
            if len(hit) == 1:
                return hit[0]
        hits = [v for v, labels in choices if len(t) >= 2 and any(t in self.clean(label) for label in labels)]
        if len(hits) == 1:
            return hits[0]
        return self._fuzzy_choice(t, choices)

    def _fuzzy_choice(self, t: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
        """A label typed with a slip (one wrong character in a short label): rapidfuzz, unique best only."""
        if len(t) < 3:
            return None
        scored = sorted(
            ((max(fuzz.ratio(t, self.clean(label)) for label in labels), value) for value, labels in choices if labels),
            reverse=True,
        )
        if scored and scored[0][0] >= 75 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 10):
            return scored[0][1]
        return None
