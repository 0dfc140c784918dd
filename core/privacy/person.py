"""Names without a model: gazetteer rules over runs of capitalised words, lower-case names after strong cues, and the
people the identity graph knows.

Rules (each candidate is a run of capitalised words separated by single spaces, never inside a URL, e-mail, path,
handle or code span):
* First Last...: the first word is a known first name (not an ambiguous one), or it is any capitalised non-common
  word followed by a known surname; the run continues over capitalised non-common words (at most four words).
* an ambiguous first name (May, Will, Grace, ...) only when a known surname follows;
* a known first name alone ("Catherine is ...") is a name; common words (Sync, Dashboard, March) never are;
* initials: "J. Smith", "Ana M. Ruiz".
* lower-case only after a strong cue: "my name is ana lopez", "call me ana".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from groundswell.core.privacy.names import PLACE_OR_ORG_WORDS, Gazetteer, gazetteer
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = ["KnownNames", "NameGazetteerRecognizer", "has_strong_cue", "opaque_regions"]

_LETTERS = r"[^\W\d_]"
# A word (letters, inner apostrophes or hyphens) or an initial ("J."), not glued to a URL, path, handle or e-mail.
_TOKEN = re.compile(rf"(?<![\w@/.#:\\<-]){_LETTERS}+(?:['’-]{_LETTERS}+)*(?:\.(?=\s))?(?![\w@/\\>]|\.\w|:\/\/|['’-]\w)")
# Regions where nothing is a name: URLs, e-mail addresses, inline or fenced code.
_OPAQUE = re.compile(r"```.*?```|`[^`\n]*`|\b\w+://\S+|\bwww\.\S+|\S+@\S+", re.S)
_STRONG_CUE = re.compile(r"(?i:\bmy name is|\bmy name's|\bname:|\bcall me|\bi am called|\bi'm called)[ \t]+")
_LOWER_WORD = re.compile(rf"{_LETTERS}+(?:['’-]{_LETTERS}+)*")
_MAX_RUN = 4


def opaque_regions(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and code in ``text``: no name is ever found inside them."""
    if "`" not in text and "@" not in text and "/" not in text:
        return []
    return [m.span() for m in _OPAQUE.finditer(text)]


def has_strong_cue(text: str) -> bool:
    return _STRONG_CUE.search(text) is not None


def _capitalised(word: str) -> bool:
    """ "Maria", "O'Neil", "McDonald", "Jean-Luc"; not "SSO", "iOS" or "x"."""
    return len(word) >= 2 and word[0].isupper() and any(ch.islower() for ch in word[1:])


def _initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


class KnownNames:
    """People the identity graph knows: full names matched case-insensitively on word boundaries.

    A single-word name is used alone only when it is longer than two characters and not an ambiguous first name or
    a common word; short or ambiguous parts ("Al", "May") count only as part of a full name. Lookup is by token
    (a dict from first word to the full names starting with it), so thousands of names cost no more than a few.
    """

    def __init__(self, names: Iterable[str], gaz: Gazetteer) -> None:
        self.first: set[str] = set()
        self.last: set[str] = set()
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for name in names:
            words = tuple(_LOWER_WORD.findall(name))
            if "@" in name or any(ch.isdigit() for ch in name):
                continue  # an address or a handle, not a name: the other recognizers deal with those
            if len(words) >= 2:
                self.first.update(_name_case(w) for w in words[:1] if len(w) > 2)
                self.last.update(_name_case(w) for w in words[-1:] if len(w) > 2)
            elif not words or len(words[0]) <= 2 or words[0].capitalize() in gaz.ambiguous | gaz.common:
                continue
            self._by_first.setdefault(words[0].casefold(), []).append(tuple(w.casefold() for w in words))
        for options in self._by_first.values():
            options.sort(key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def spans(self, text: str) -> list[tuple[int, int]]:
        if not self._by_first:
            return []
        tokens = list(_LOWER_WORD.finditer(text))
        folded = [t.group().casefold() for t in tokens]
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            match = next((n for n in self._by_first.get(folded[i], ()) if _follows(tokens, folded, i, n, text)), None)
            if match is None:
                i += 1
                continue
            found.append((tokens[i].start(), tokens[i + len(match) - 1].end()))
            i += len(match)
        return found


def _follows(tokens: list[re.Match[str]], folded: list[str], i: int, name: tuple[str, ...], text: str) -> bool:
    """``name`` starts at token ``i``, its words separated by whitespace only."""
    j = i + len(name)
    if j > len(tokens) or tuple(folded[i:j]) != name:
        return False
    return all(not text[tokens[k].end() : tokens[k + 1].start()].strip() for k in range(i, j - 1))


class NameGazetteerRecognizer(EntityRecognizer):
    """PERSON spans from the gazetteer rules above, plus ``known_names`` (scored highest)."""

    def __init__(self, known_names: Iterable[str] = (), gaz: Gazetteer | None = None) -> None:
        super().__init__(supported_entities=["PERSON"], name="NameGazetteerRecognizer", supported_language="en")
        base = gaz or gazetteer()
        self.known = KnownNames(known_names, base)
        self.gaz = base.with_names(self.known.first, self.known.last) if self.known else base

    def load(self) -> None:
        """Nothing to load: the gazetteer is built once per process."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = [(s, e, 0.9) for s, e in self.known.spans(text)]
        found += self._runs(text)
        found += self._after_strong_cues(text)
        return [RecognizerResult("PERSON", s, e, score) for s, e, score in found]

    def _runs(self, text: str) -> list[tuple[int, int, float]]:
        """Names in each run of capitalised words joined by single spaces (a sentence-final period ends a run)."""
        results: list[tuple[int, int, float]] = []
        run: list[tuple[str, int, int]] = []
        for match in _TOKEN.finditer(text):
            word, start, end = match.group(), match.start(), match.end()
            if word.endswith(".") and not _initial(word):
                word, end = word[:-1], end - 1
            name_like = _capitalised(word) or _initial(word)
            joined = bool(run) and text[run[-1][2] : start] == " " and text[start - 1 : start] == " "
            if not (name_like and joined):
                results += self._names_in_run(run)
                run = []
            if name_like:
                run.append((word, start, end))
            if match.end() != end:  # "Tom." ends the sentence and the run
                results += self._names_in_run(run)
                run = []
        results += self._names_in_run(run)
        return results

    def _names_in_run(self, run: list[tuple[str, int, int]]) -> list[tuple[int, int, float]]:
        words = [word for word, _, _ in run]
        if any(_base(word).rstrip(".") in PLACE_OR_ORG_WORDS for word in words):
            return []  # "Pedro Ulisses Avenue", "Johnson Inc", "Russell Investments"
        results: list[tuple[int, int, float]] = []
        i = 0
        while i < len(words):
            end, score = self._name_at(words, i)
            if end > i:
                results.append((run[i][1], run[end - 1][2], score))
                i = end
            else:
                i += 1
        return results

    def _name_at(self, words: list[str], i: int) -> tuple[int, float]:
        """(index after the name starting at ``words[i]``, score), or (i, 0) when no name starts there."""
        gaz = self.gaz
        word = _base(words[i])
        nxt = _base(words[i + 1]) if i + 1 < len(words) else ""
        if word in gaz.ambiguous:
            return (self._extend(words, i + 1), 0.6) if nxt in gaz.last else (i, 0.0)
        if _initial(words[i]):
            return (self._extend(words, i + 1), 0.6) if nxt in gaz.last or nxt in gaz.first else (i, 0.0)
        if word in gaz.common:
            return i, 0.0
        if word in gaz.first:
            end = self._extend(words, i + 1)
            return end, 0.7 if end > i + 1 else 0.5
        if nxt in gaz.last:  # an unknown but capitalised first name before a known surname
            return self._extend(words, i + 1), 0.6
        return i, 0.0

    def _extend(self, words: list[str], j: int) -> int:
        """Past the following name-like words (initials, capitalised non-common words); a name has at most
        ``_MAX_RUN`` words, counting the one before ``j``."""
        limit = min(len(words), j - 1 + _MAX_RUN)
        while j < limit and (_initial(words[j]) or _base(words[j]) not in self.gaz.common):
            j += 1
        return j

    def _after_strong_cues(self, text: str) -> list[tuple[int, int, float]]:
        """Lower-case names after "my name is" / "call me": a known first name, then an optional known surname."""
        results: list[tuple[int, int, float]] = []
        for cue in _STRONG_CUE.finditer(text):
            first = _LOWER_WORD.match(text, cue.end())
            if first is None or first.group().capitalize() not in self.gaz.first:
                continue
            end = first.end()
            second = _LOWER_WORD.match(text, end + 1) if text[end : end + 1] == " " else None
            if second is not None and second.group().capitalize() in self.gaz.last:
                end = second.end()
            results.append((first.start(), end, 0.6))
        return results


def _name_case(word: str) -> str:
    """ "ana" -> "Ana"; "McDonald" stays as written."""
    return word if word[:1].isupper() else word.capitalize()


def _base(word: str) -> str:
    """ "Szczepańska's" -> "Szczepańska"; hyphenated names are looked up by their first part too."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word
