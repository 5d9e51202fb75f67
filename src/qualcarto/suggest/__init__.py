# SPDX-License-Identifier: MIT
"""Code suggestions, offline, measured like a coder.

* :class:`~qualcarto.suggest.rules.RuleSuggester` (core): spaCy phrase patterns built
  from each code's name, definition, include criteria, example and keywords, matched by
  lemma; :class:`~qualcarto.suggest.semantic.SemanticSuggester` (optional extra
  ``semantic``): sentence embeddings from a model shipped inside a PyPI package.
* :func:`suggest_for_transcript`, :func:`pending_suggestions`: suggestions for a stored
  transcript; :func:`accept_suggestion` makes one the coder's own coding (origin
  ``suggestion``, evidence in the audit log); :func:`reject_suggestion` records a no.
* :func:`run_machine_coder` (what ``qualcarto suggest`` calls): a suggester's output as a
  machine coder's layer in the store (:func:`store_machine_layer`) and, if asked, as YAML
  files (:func:`write_layer_folder`, :func:`layer_files`).

How well the suggestions agree with human coding is measured in ``bench/suggest.py``
and reported in ``docs/suggestions.md``.
"""

from qualcarto.suggest.layer import layer_files, store_machine_layer, write_layer
from qualcarto.suggest.machine import (
    MachineRun,
    run_machine_coder,
    suggest_transcripts,
    write_layer_folder,
)
from qualcarto.suggest.model import Evidence, Suggestion, Unit
from qualcarto.suggest.service import (
    METHODS,
    accept_suggestion,
    decided_keys,
    make_suggester,
    pending_suggestions,
    reject_suggestion,
    suggest_for_transcript,
    transcript_units,
)

__all__ = [
    "METHODS",
    "Evidence",
    "MachineRun",
    "Suggestion",
    "Unit",
    "accept_suggestion",
    "decided_keys",
    "layer_files",
    "make_suggester",
    "pending_suggestions",
    "reject_suggestion",
    "run_machine_coder",
    "store_machine_layer",
    "suggest_for_transcript",
    "suggest_transcripts",
    "transcript_units",
    "write_layer",
    "write_layer_folder",
]
