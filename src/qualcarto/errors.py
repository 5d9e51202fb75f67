# SPDX-License-Identifier: MIT
"""Errors a user can act on.

Every error the CLI or the app shows is one of these: one line that names the file
(or the thing) and the problem, never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class QualcartoError(Exception):
    """An error whose message is fit to show a user as it is."""


class InputError(QualcartoError):
    """A file could not be read or is not what it claims to be."""

    def __init__(self, source: str | Path, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


class ValidationError(QualcartoError):
    """A request breaks a rule of the data model (bad offsets, unknown code, ...)."""


class NotFoundError(QualcartoError):
    """A named transcript, code, coder or version does not exist."""


class ConflictError(QualcartoError):
    """A write would overwrite a change somebody else made meanwhile."""


class DuplicateCodingError(ValidationError):
    """The same coder already coded exactly this span of this transcript with this code."""


class NothingToMeasureError(ValidationError):
    """The chosen coders, transcripts or group hold nothing to measure: an empty result
    the app shows as a note, not a failure (the CLI still exits 2 with the line)."""


class ConfigError(QualcartoError):
    """A setting the user must provide is missing or wrong."""


class MissingExtraError(QualcartoError):
    """A feature needs an optional extra that is not installed."""
