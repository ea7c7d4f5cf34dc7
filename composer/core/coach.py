"""The personalization coach: how much of a letter is the writer's own words.

Offices weigh a letter written by a person above a form letter (a pack may
cite the research that found it: ``Campaign.coach_research``). The coach
compares each paragraph of the letter with the campaign's stock paragraphs
and counts which words are the writer's own.

A word counts as stock when it sits in a run of :data:`SHINGLE_WORDS`
consecutive words that also occurs in some stock paragraph. Small edits
therefore count only where they are made: changing one word of a stock
paragraph makes that one word the writer's own, and the rest stays stock.
Everything is plain set look-ups, cheap enough to run as the user types.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from composer.core.campaigns import Campaign
from composer.i18n import N_

SHINGLE_WORDS = 4
# A personal sentence: at least this many words of one's own, and mostly one's own.
PERSONAL_MIN_WORDS = 5
PERSONAL_MIN_SHARE = 0.6

# Shown in the coach pane through _().
INVITATION = N_(
    "Add a sentence in your own words: why this matters to you, where you live, "
    "or what you do for a living."
)

# "U.S.", "1,000", "call-up" and "don't" are one word each, as the editor counts them.
_WORD = re.compile(r"[^\W_]+(?:['.,\u2010\u2011-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+")
_Shingle = tuple[str, ...]


def words(text: str) -> list[str]:
    """The words of `text`, lowercased, with typographic apostrophes made plain."""
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def _shingles(tokens: list[str], size: int) -> list[_Shingle]:
    return [tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


@dataclass(frozen=True)
class ParagraphReport:
    """One paragraph of the letter and how much of it is stock.

    Attributes:
        text: the paragraph as written.
        words: its word count.
        own_words: words that are in no stock run.
        argument_id: the stock paragraph it follows most, if any.
    """

    text: str
    words: int
    own_words: int
    argument_id: str | None

    @property
    def stock_words(self) -> int:
        """Words taken from stock paragraphs."""
        return self.words - self.own_words


@dataclass(frozen=True)
class CoachReport:
    """How personal a letter is.

    Attributes:
        paragraphs: every non-empty paragraph, in order.
        personal_sentences: sentences that are mostly the writer's own words.
    """

    paragraphs: tuple[ParagraphReport, ...] = ()
    personal_sentences: tuple[str, ...] = ()

    @property
    def total_words(self) -> int:
        """Words in the letter."""
        return sum(p.words for p in self.paragraphs)

    @property
    def own_words(self) -> int:
        """Words that are the writer's own."""
        return sum(p.own_words for p in self.paragraphs)

    @property
    def stock_words(self) -> int:
        """Words taken from stock paragraphs."""
        return self.total_words - self.own_words

    @property
    def own_share(self) -> float:
        """The writer's own words as a fraction of all words (0 for an empty letter)."""
        return self.own_words / self.total_words if self.total_words else 0.0

    @property
    def own_percent(self) -> int:
        """The own share in whole percent, never rounded up to 100 while stock remains."""
        percent = round(self.own_share * 100)
        return 99 if percent == 100 and self.stock_words else percent

    @property
    def has_personal_sentence(self) -> bool:
        """Whether the writer said something of their own."""
        return bool(self.personal_sentences)

    @property
    def stock_arguments(self) -> tuple[str, ...]:
        """The stock paragraphs the letter uses, in order."""
        seen: list[str] = []
        for paragraph in self.paragraphs:
            if paragraph.argument_id and paragraph.argument_id not in seen:
                seen.append(paragraph.argument_id)
        return tuple(seen)

    @property
    def is_stock_only(self) -> bool:
        """A letter of stock paragraphs with nothing personal: worth a warning before it goes."""
        return self.stock_words > 0 and not self.has_personal_sentence


class Coach:
    """Compares letters with a fixed set of stock paragraphs.

    Args:
        stock: (argument id, plain text) of every stock paragraph.
        shingle: how many consecutive words make a run.
    """

    def __init__(self, stock: Iterable[tuple[str, str]], shingle: int = SHINGLE_WORDS) -> None:
        self.shingle = shingle
        # A run's words joined by spaces → the stock paragraphs holding it. Most runs have
        # one owner, so equal owner tuples are shared: the index stays a few hundred kB.
        self._owners: dict[str, tuple[str, ...]] = {}
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        for argument_id, text in stock:
            for run in _shingles(words(text), shingle):
                key = " ".join(run)
                owners = self._owners.get(key, ())
                if argument_id not in owners:
                    grown = (*owners, argument_id)
                    self._owners[key] = shared.setdefault(grown, grown)

    @classmethod
    def for_campaign(cls, campaign: Campaign | None) -> Coach:
        """A coach that knows every argument of `campaign` (none for None)."""
        if campaign is None:
            return cls(())
        return cls((a.id, a.plain_text) for a in campaign.arguments)

    def _own_flags(self, tokens: list[str]) -> tuple[list[bool], str | None]:
        """Per word: True when it is the writer's own; and the stock paragraph most followed."""
        own = [True] * len(tokens)
        votes: Counter[str] = Counter()
        for start, run in enumerate(_shingles(tokens, self.shingle)):
            owners = self._owners.get(" ".join(run))
            if owners:
                votes.update(owners)
                for index in range(start, start + self.shingle):
                    own[index] = False
        best = votes.most_common(1)
        return own, (best[0][0] if best else None)

    def _personal(self, paragraph: str, own: list[bool]) -> list[str]:
        found: list[str] = []
        offset = 0
        for sentence in _SENTENCE_END.split(paragraph):
            count = len(words(sentence))
            flags = own[offset : offset + count]
            offset += count
            mine = sum(flags)
            if mine >= PERSONAL_MIN_WORDS and mine >= PERSONAL_MIN_SHARE * count:
                found.append(sentence.strip())
        return found

    def assess(self, text: str) -> CoachReport:
        """How much of `text` (the letter's body as plain text, one paragraph a line) is own."""
        paragraphs: list[ParagraphReport] = []
        personal: list[str] = []
        for line in text.replace("\u2029", "\n").replace("\u2028", "\n").splitlines():
            tokens = words(line)
            if not tokens:
                continue
            own, argument_id = self._own_flags(tokens)
            paragraphs.append(ParagraphReport(line.strip(), len(tokens), sum(own), argument_id))
            personal += self._personal(line, own)
        return CoachReport(tuple(paragraphs), tuple(personal))
