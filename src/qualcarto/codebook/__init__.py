# SPDX-License-Identifier: MIT
"""The codebook: YAML files, validation, versions in the store, diffs and migrations."""

from qualcarto.codebook.diff import CodebookDiff, codings_target, diff_codebooks
from qualcarto.codebook.files import (
    codebook_to_dict,
    dump_codebook,
    export_codebook,
    load_codebook,
    parse_codebook,
)
from qualcarto.codebook.model import Codebook, CodeDef, validate
from qualcarto.codebook.versions import (
    PublishResult,
    codebook_frame,
    codes_frame,
    get_version,
    latest_version,
    publish,
    publish_codebook,
    version_codebook,
)

__all__ = [
    "CodeDef",
    "Codebook",
    "CodebookDiff",
    "PublishResult",
    "codebook_frame",
    "codebook_to_dict",
    "codes_frame",
    "codings_target",
    "diff_codebooks",
    "dump_codebook",
    "export_codebook",
    "get_version",
    "latest_version",
    "load_codebook",
    "parse_codebook",
    "publish",
    "publish_codebook",
    "validate",
    "version_codebook",
]
