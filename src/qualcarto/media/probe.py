# SPDX-License-Identifier: MIT
"""Check a recording through PyAV before it is kept: readable, has sound, as long as it says.

Every frame is decoded and dropped at once, so memory stays flat whatever a header claims;
a file whose header promises more than it holds (truncated, or lying) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from qualcarto.errors import InputError

MEDIA_SUFFIXES = (".mp3", ".wav", ".m4a", ".ogg", ".opus", ".oga", ".flac", ".webm", ".mp4")
VIDEO_SUFFIXES = (".webm", ".mp4")
MAX_MEDIA_BYTES = 4 * 1024**3
"""Largest recording accepted (4 GiB: hours of video)."""
_SHORTFALL = 0.9  # decoding fewer seconds than this share of the declared length: refused


@dataclass(frozen=True)
class MediaInfo:
    """What decoding a recording found."""

    kind: str  # audio | video
    duration: float  # seconds that decode
    declared: float | None  # seconds the container claims
    size: int


def clock(seconds: float) -> str:
    """``H:MM:SS`` for messages."""
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def probe(path: Path) -> MediaInfo:
    """Decode ``path`` once, frame by frame; raise an ``InputError`` naming it if it is not sound."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from exc
    if size == 0:
        raise InputError(path, "is empty (0 bytes): not a recording")
    if size > MAX_MEDIA_BYTES:
        raise InputError(path, f"too large ({size / 1e9:.1f} GB; the limit is 4 GB)")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(path, f"not a readable audio or video file ({_reason(exc)})") from exc
    with container:
        if not container.streams.audio:
            raise InputError(path, "holds no audio stream")
        stream = container.streams.audio[0]
        kind = "video" if container.streams.video else "audio"
        declared = _wav_declared_seconds(path) or _declared_seconds(container, stream)
        decoded = 0.0
        try:
            for frame in container.decode(stream):
                if frame.sample_rate:
                    decoded += frame.samples / frame.sample_rate
        except (av.error.FFmpegError, ValueError) as exc:
            raise InputError(
                path, f"damaged after {clock(decoded)} of sound ({_reason(exc)})"
            ) from exc
    if decoded <= 0:
        raise InputError(path, "holds no decodable sound")
    if declared is not None and decoded < _SHORTFALL * declared - 0.5:
        raise InputError(
            path,
            f"truncated or damaged: its header declares {clock(declared)}, "
            f"only {clock(decoded)} decodes",
        )
    return MediaInfo(kind, decoded, declared, size)


def _declared_seconds(
    container: av.container.InputContainer, stream: av.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _wav_declared_seconds(path: Path) -> float | None:
    """The length a RIFF/WAVE header claims (FFmpeg trusts the file size instead, silently)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    at, byte_rate = 12, 0
    while at + 8 <= len(head):
        chunk, size = head[at : at + 4], int.from_bytes(head[at + 4 : at + 8], "little")
        if chunk == b"fmt " and at + 16 <= len(head):
            byte_rate = int.from_bytes(head[at + 16 : at + 20], "little")
        elif chunk == b"data":
            # 0 and 0xFFFFFFFF mean "unknown length" (streamed recorders write them)
            return size / byte_rate if byte_rate and 0 < size < 0xFFFFFFFF else None
        at += 8 + size + (size & 1)
    return None


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:120]
