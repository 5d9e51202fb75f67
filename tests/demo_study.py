# SPDX-License-Identifier: MIT
"""What the demo study's transcripts must satisfy, as functions the tests (and writers) use.

- Originality: no run of 8 or more words shared with the paper, compared after lower-casing,
  expanding contractions and dropping punctuation, so a lightly re-punctuated sentence of
  the paper still counts as copied.
- The paper's themes: every on-ramp/challenge paragraph of section 5 and motivation of
  section 6, with the interviewees it credits by id or by naming their organisation.
- The paper is shared material (``../shared/seeds``): :func:`shared_material.paper_text` skips a test when
  it is absent and fails it when ``CI`` is set (the team's rule for shared material;
  written here until a shared helper lands).

Run it on one transcript while writing one::

    python tests/demo_study.py I6            # words, copied runs, layer quotes of I6
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

import yaml

from shared_material import paper_text

ROOT = Path(__file__).resolve().parents[1]
RUN = 8
WORDS = (4000, 9000)
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
# Shorter names the paper also uses for an interviewee's organisation.
SHORT_NAMES = {"I3": ["Eleuther"], "I4": ["BigScience"], "I8": ["Ai2"], "I10": ["SpeakLeash"]}
IDS = re.compile(r"\bI(\d{1,2})(?:\s*[-–]\s*I?(\d{1,2}))?\b")
CELL = re.compile(r"^5\.\d\.\d (Pre-training|Post-training|Post-release): (.+?) Collaborations\s*$")
THEME = re.compile(r"^(Challenge|On-ramp): (.*)$")
MOTIVATION = re.compile(r"^6\.(\d)\.\d (.+)$")
HEADING = re.compile(r"^\d+(\.\d+)* \S")
CATEGORIES = {"1": "social", "2": "economic", "3": "technological"}


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
    theirs = words(source)
    source_runs = {tuple(theirs[i : i + run]) for i in range(len(theirs) - run + 1)}
    mine = words(text)
    return [
        " ".join(mine[i : i + run])
        for i in range(len(mine) - run + 1)
        if tuple(mine[i : i + run]) in source_runs
    ]


def word_count(text: str) -> int:
    return len(text.split())


def paper_themes(paper: str) -> list[dict[str, str]]:
    """Each section-5 theme and section-6 motivation: its cell or category, heading and text.

    A theme's text runs from its "Challenge:"/"On-ramp:" line to the next theme or heading,
    so a section summary or a cell's introduction is never read as part of a theme.
    """
    themes: list[dict[str, str]] = []
    cell: tuple[str, str] | None = None
    open_theme = False
    for line in paper.splitlines():
        if m := CELL.match(line):
            cell, open_theme = (m[1].lower(), m[2].lower()), False
        elif (m := MOTIVATION.match(line)) and m[1] in CATEGORIES:
            themes.append({"kind": "motivation", "category": CATEGORIES[m[1]],
                           "heading": m[2], "text": ""})  # fmt: skip
            cell, open_theme = None, True
        elif HEADING.match(line):
            cell, open_theme = (None if re.match(r"^[6-9]", line) else cell), False
        elif cell and (m := THEME.match(line)):
            themes.append({"kind": "theme", "stage": cell[0], "collab_type": cell[1],
                           "polarity": "challenge" if m[1] == "Challenge" else "on-ramp",
                           "heading": m[2], "text": m[2]})  # fmt: skip
            open_theme = True
        elif open_theme and line.strip():
            themes[-1]["text"] += " " + line
    return themes


def aliases() -> dict[str, list[str]]:
    """Names by which the paper refers to each interviewee's organisation."""
    with (ROOT / "transcripts" / "participants.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found: dict[str, list[str]] = {}
    for row in rows:
        parts = [p.strip() for p in re.split(r"[(),]", row["organization"])]
        found[row["id"]] = [p for p in parts if len(p) >= 4] + SHORT_NAMES.get(row["id"], [])
    return found


def cited(text: str, names: dict[str, list[str]]) -> set[str]:
    """Interviewees a paragraph names: by id, or by an organisation not introducing an id.

    "I12 from Typhoon" cites I12 only; "SpeakLeash also collects ..." cites every
    interviewee of SpeakLeash.
    """
    found: set[str] = set()
    for low, high in IDS.findall(text):
        found |= {f"I{n}" for n in range(int(low), int(high or low) + 1)}
    every = "|".join(re.escape(n) for n in sorted({n for v in names.values() for n in v}, key=len,
                                                  reverse=True))  # fmt: skip
    rest = re.sub(rf"{IDS.pattern} (?:from|at) (?:the )?(?:{every})", " ", text)
    for pid, own in names.items():
        if any(name in rest for name in own):
            found.add(pid)
    return found


def main(key: str) -> int:
    text = (ROOT / "transcripts" / f"{key}.txt").read_text(encoding="utf-8")
    norm = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    print(f"{key}: {word_count(text)} words (target {WORDS[0]:,}-{WORDS[1]:,})")
    copied = shared_runs(text, paper_text())
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
                print(
                    f"   {layer.name}/{key}: {item['code']}: quote found {found} times: {quote[:70]}"
                )
    print(f"{key}: {bad} layer quotes not found exactly once")
    return 1 if copied or bad else 0


if __name__ == "__main__":
    sys.exit(max(main(k) for k in sys.argv[1:]))
