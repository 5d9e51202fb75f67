# SPDX-License-Identifier: MIT
"""Checks a demo transcript must pass: length, originality against the paper, placed quotes.

Originality: no run of 8 or more words shared with the paper, compared after lower-casing,
expanding contractions and dropping punctuation, so a lightly re-punctuated sentence of the
paper still counts as copied. Run it on one transcript while writing one:

    python tests/demo_checks.py I6            # words, copied runs, layer quotes of I6
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT.parent / "shared" / "seeds" / "001_24b8080fd264fa4e.txt"
RUN = 8
CONTRACTIONS = {
    "n't": " not",
    "'re": " are",
    "'ve": " have",
    "'ll": " will",
    "'d": " would",
    "'m": " am",
    "'s": "",  # possessive or "is": dropping it never hides a copied run of content words
}
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def words(text: str) -> list[str]:
    """Lower-case words with contractions expanded and punctuation dropped."""
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\bcan't\b", "can not", text)
    text = re.sub(r"\bwon't\b", "will not", text)
    for short, long in CONTRACTIONS.items():
        text = text.replace(short, long)
    return _WORD.findall(text)


def shared_runs(text: str, source: str, run: int = RUN) -> list[str]:
    """Every run of ``run`` words of ``text`` that also occurs in ``source``."""
    source_runs = {tuple(w[i : i + run]) for w in [words(source)] for i in range(len(w) - run + 1)}
    mine = words(text)
    return [
        " ".join(mine[i : i + run])
        for i in range(len(mine) - run + 1)
        if tuple(mine[i : i + run]) in source_runs
    ]


def word_count(text: str) -> int:
    return len(text.split())


def main(key: str) -> int:
    text = (ROOT / "transcripts" / f"{key}.txt").read_text(encoding="utf-8")
    norm = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    print(f"{key}: {word_count(text)} words (target 4,000-9,000)")
    copied = shared_runs(text, PAPER.read_text(encoding="utf-8"))
    print(f"{key}: {len(copied)} runs of {RUN}+ words shared with the paper")
    for run in copied[:20]:
        print("   copied:", run)
    bad = 0
    for layer in sorted((ROOT / "transcripts" / "codings").glob("*/")):
        path = layer / f"{key}.yaml"
        if not path.exists() or layer.name == "auto":
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            quote = unicodedata.normalize("NFC", str(item["quote"]).strip())
            found = norm.count(quote)
            if found != 1:
                bad += 1
                print(f"   {layer.name}/{key}: {item['code']}: quote found {found} times: {quote[:70]}")
    print(f"{key}: {bad} layer quotes not found exactly once")
    return 1 if copied or bad else 0


if __name__ == "__main__":
    sys.exit(max(main(k) for k in sys.argv[1:]))
