# SPDX-License-Identifier: MIT
"""Recordings: import and check media, transcribe locally, tie text offsets to seconds."""

from qualcarto.media.importer import (
    MediaImportReport,
    caption_beside,
    import_recordings,
    import_recordings_with,
    is_media,
    split_media,
)
from qualcarto.media.probe import MEDIA_SUFFIXES, MediaInfo, probe
from qualcarto.media.timing import TimedPiece, TimedText, TimedTurn, compose, time_range
from qualcarto.media.transcribe import INSTALL_HINT, TranscribeOptions, Transcriber

__all__ = [
    "INSTALL_HINT",
    "MEDIA_SUFFIXES",
    "MediaImportReport",
    "MediaInfo",
    "TimedPiece",
    "TimedText",
    "TimedTurn",
    "TranscribeOptions",
    "Transcriber",
    "caption_beside",
    "compose",
    "import_recordings",
    "import_recordings_with",
    "is_media",
    "probe",
    "split_media",
    "time_range",
]
