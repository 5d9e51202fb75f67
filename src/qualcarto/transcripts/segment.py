# SPDX-License-Identifier: MIT
"""Sentences with spaCy's rule-based sentencizer: offline, no model download."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from qualcarto.transcripts.turns import TurnSpan

if TYPE_CHECKING:
    from spacy.language import Language

_CHUNK = 100_000  # characters per spaCy call; keeps memory flat for very long turns


@lru_cache(maxsize=1)
def sentence_pipeline() -> Language:
    """A blank English pipeline with the sentencizer, loaded once per process."""
    # spaCy takes a second or more to import: only an import of transcripts pays for it,
    # not every command that merely touches the transcripts package (coding list, status).
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = _CHUNK * 2
    return nlp


def sentences(text: str, turns: list[TurnSpan]) -> Iterator[tuple[int, int, int]]:
    """Yield ``(turn_index, start, end)`` of each sentence; sentences never cross a turn."""
    nlp = sentence_pipeline()
    pieces: list[tuple[int, int, str]] = []
    for turn_index, turn in enumerate(turns):
        for start, end in _chunks(text, turn.body_start, turn.end):
            pieces.append((turn_index, start, text[start:end]))
    docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=64)
    for (turn_index, offset, _), doc in zip(pieces, docs, strict=True):
        for sent in doc.sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                yield turn_index, start, end


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut ``[start, end)`` into pieces of at most _CHUNK characters.

    Cuts fall on a line break, else after a sentence end, else at a space, so that a cut
    rarely splits a sentence that spaCy would have kept whole.
    """
    while end - start > _CHUNK:
        cut = text.rfind("\n", start, start + _CHUNK)
        if cut <= start:
            ends = [text.rfind(mark, start, start + _CHUNK) for mark in (". ", "? ", "! ")]
            cut = max(ends) + 2 if max(ends) > start else -1
        if cut <= start:
            cut = text.rfind(" ", start, start + _CHUNK)
        if cut <= start:
            cut = start + _CHUNK
        yield start, cut
        start = cut
    if end > start:
        yield start, end
