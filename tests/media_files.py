# SPDX-License-Identifier: MIT
"""Small recordings made on the spot for media tests: tones as wav and mp3, and broken ones."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import av
import numpy as np

RATE = 16_000


def tone(seconds: float) -> np.ndarray:
    """A 440 Hz tone as 16-bit samples."""
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * math.pi * 440 * t) * 8000).astype(np.int16)


def write_wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(tone(seconds).tobytes())
    return path


def write_mp3(path: Path, seconds: float) -> Path:
    """An mp3 encoded by PyAV (its header records the length)."""
    samples = tone(seconds)
    with av.open(str(path), "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=RATE, layout="mono")
        step = 1152
        for begin in range(0, len(samples), step):
            chunk = samples[begin : begin + step].astype(np.float32) / 32768
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
            frame.sample_rate = RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def write_truncated_mp3(path: Path, seconds: float) -> Path:
    """A real mp3 cut off at 40 % of its bytes."""
    write_mp3(path, seconds)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 5])
    return path


def write_lying_wav(path: Path, claimed_seconds: float, real_seconds: float = 1.0) -> Path:
    """A wav whose header claims ``claimed_seconds`` but which holds ``real_seconds`` of sound."""
    data = tone(real_seconds).tobytes()
    claimed = int(claimed_seconds * RATE * 2)
    header = b"RIFF" + struct.pack("<I", 36 + claimed) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    header += b"data" + struct.pack("<I", claimed)
    path.write_bytes(header + data)
    return path


VTT = """WEBVTT

00:00:00.200 --> 00:00:01.400
<v Interviewer>How did you start?

00:00:01.600 --> 00:00:02.800
<v Ana>With the tokenizer. Then the docs.
"""
