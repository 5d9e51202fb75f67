# SPDX-License-Identifier: MIT
"""Transcripts: read txt/md/docx/vtt/srt, normalize, find turns and sentences, import."""

from qualcarto.transcripts.frames import participants_frame, transcripts_frame
from qualcarto.transcripts.importer import (
    ImportReport,
    collect_files,
    import_transcripts,
    import_transcripts_in_batches,
    import_with,
)
from qualcarto.transcripts.lookup import get_transcript
from qualcarto.transcripts.participants import read_participants
from qualcarto.transcripts.readers import SUFFIXES, read_transcript
from qualcarto.transcripts.turns import TurnSpan, find_turns

__all__ = [
    "SUFFIXES",
    "ImportReport",
    "TurnSpan",
    "collect_files",
    "find_turns",
    "get_transcript",
    "import_transcripts",
    "import_transcripts_in_batches",
    "import_with",
    "participants_frame",
    "read_participants",
    "read_transcript",
    "transcripts_frame",
]
