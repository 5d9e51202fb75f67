# SPDX-License-Identifier: MIT
"""Codebook files: YAML in, YAML out, with line numbers in every error.

The format is documented in ``docs/codebook.md``. Reading keeps each code's line so
that a validation error can say exactly where to look.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from qualcarto.codebook.model import Codebook, CodeDef, validate
from qualcarto.errors import InputError
from qualcarto.names import printable
from qualcarto.transcripts.decode import decode_text, read_bytes

MAX_CODEBOOK_BYTES = 5 * 1024 * 1024
_TEXT_FIELDS = ("definition", "include", "exclude", "example")
_KNOWN_FIELDS = {
    "id",
    "name",
    "parent",
    "color",
    "facets",
    "keywords",
    "status",
    "merged_into",
    "split_from",
    *_TEXT_FIELDS,
}


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook file; errors name the file, the line and the code."""
    text = decode_text(read_bytes(path, MAX_CODEBOOK_BYTES), path)
    return parse_codebook(text, str(path))


def parse_codebook(text: str, source: str) -> Codebook:
    """Parse codebook YAML text; ``source`` names it in errors."""
    root, data = load_yaml(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise InputError(source, "a codebook is a mapping with a 'codes' list")
    lines = _code_lines(root)
    facets = data.get("facets") or {}
    if not isinstance(facets, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in facets.values()
    ):
        raise InputError(source, "'facets' maps each facet name to a list of values")
    settings: dict[str, Any] = {}
    if data.get("cartography") is not None:
        if not isinstance(data["cartography"], dict):
            raise InputError(source, "'cartography' maps rows/cols/split to facet names")
        settings["cartography"] = _cartography_settings(data["cartography"], source)
    codes = [
        _code_from_mapping(item, lines[i] if i < len(lines) else None, source)
        for i, item in enumerate(data["codes"])
    ]
    codebook = Codebook(
        title=str(data.get("codebook", "") or ""),
        source=str(data.get("source", "") or ""),
        facets={str(k): list(v) for k, v in facets.items()},
        settings=settings,
        codes=tuple(codes),
    )
    return validate(codebook, source)


def load_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """YAML text as its node tree (which keeps line numbers) and as plain values, safely.

    Aliases are refused outright: our files have no use for them and they enable billion
    laughs. Values PyYAML cannot build (a 5,000-digit number, 31 February, lists nested
    thousands deep) are reported like syntax errors instead of escaping as exceptions.
    """
    try:
        if ("&" in text or "*" in text) and _has_anchor(text):
            raise InputError(source, "YAML anchors/aliases are not allowed")
        # One parse gives both: the composed nodes keep their marks, and the values are
        # constructed from those same nodes.
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
        _refuse_surrogates(data, source)
        return root, data
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(source, f"{where}not valid YAML ({problem})") from exc
    except RecursionError as exc:
        raise InputError(source, "not valid YAML (nested too deeply)") from exc
    except (ValueError, OverflowError) as exc:
        reason = str(exc).split(";")[0]
        raise InputError(source, f"not valid YAML (a value cannot be read: {reason})") from exc


def _refuse_surrogates(data: Any, source: str) -> None:
    """A ``"\\ud800"`` escape builds a lone surrogate, which no file or store can hold."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if any("\ud800" <= c <= "\udfff" for c in value):
                raise InputError(source, f"{printable(value)} holds a lone surrogate")
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _has_anchor(text: str) -> bool:
    return any(
        isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
        for event in yaml.parse(text, Loader=yaml.SafeLoader)
    )


def _code_lines(root: yaml.Node | None) -> list[int]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "codes" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _code_from_mapping(item: Any, line: int | None, source: str) -> CodeDef:
    where = f"line {line}: " if line is not None else ""
    if not isinstance(item, dict):
        raise InputError(source, f"{where}each code is a mapping with at least 'id' and 'name'")
    code_id = str(item.get("id", "") or "")
    if not code_id or "name" not in item:
        raise InputError(source, f"{where}code '{code_id}': 'id' and 'name' are required")
    unknown = sorted(set(item) - _KNOWN_FIELDS)
    if unknown:
        raise InputError(source, f"{where}code '{code_id}': unknown field(s) {', '.join(unknown)}")
    facets = item.get("facets") or {}
    keywords = item.get("keywords") or []
    if not isinstance(facets, dict) or not isinstance(keywords, list):
        raise InputError(
            source, f"{where}code '{code_id}': 'facets' is a mapping, 'keywords' a list"
        )
    split_from = item.get("split_from")
    return CodeDef(
        id=code_id,
        name=_nfc(item["name"]),
        parent=_opt(item.get("parent")),
        color=_opt(item.get("color")),
        facets={str(k): str(v) for k, v in facets.items()},
        keywords=tuple(str(k) for k in keywords),
        status=str(item.get("status", "active")),
        merged_into=_opt(item.get("merged_into")),
        split_from=_opt(split_from),
        line=line,
        **{name: _nfc(item.get(name) or "") for name in _TEXT_FIELDS},
    )


def _nfc(value: Any) -> str:
    """Names and texts as NFC, like transcripts, so a name typed anywhere matches."""
    return unicodedata.normalize("NFC", str(value)).strip()


def _opt(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The codebook in file form, with empty fields left out, ready for YAML or JSON."""
    data: dict[str, Any] = {}
    if codebook.title:
        data["codebook"] = codebook.title
    if codebook.source:
        data["source"] = codebook.source
    data["facets"] = {k: list(v) for k, v in codebook.facets.items()}
    if codebook.settings.get("cartography"):
        data["cartography"] = dict(codebook.settings["cartography"])
    data["codes"] = [_code_to_dict(code) for code in codebook.codes]
    return data


def _code_to_dict(code: CodeDef) -> dict[str, Any]:
    item: dict[str, Any] = {"id": code.id, "name": code.name}
    for name in ("parent", *_TEXT_FIELDS, "color"):
        if getattr(code, name):
            item[name] = getattr(code, name)
    if code.keywords:
        item["keywords"] = list(code.keywords)
    if code.facets:
        item["facets"] = dict(code.facets)
    if code.status != "active":
        item["status"] = code.status
    if code.merged_into:
        item["merged_into"] = code.merged_into
    if code.split_from:
        item["split_from"] = code.split_from
    return item


def export_codebook(codebook: Codebook, fmt: str = "yaml") -> str:
    """The codebook as ``yaml`` or ``json`` text.

    One document (``codebook_to_dict``) in two notations: neither export carries less
    than the other, and both parse back into an equal codebook.
    """
    if fmt == "yaml":
        return dump_codebook(codebook)
    if fmt == "json":
        return json.dumps(codebook_to_dict(codebook), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"codebook export format '{fmt}' is not yaml or json")


def dump_codebook(codebook: Codebook) -> str:
    """YAML text that ``parse_codebook`` reads back into an equal codebook."""
    return yaml.safe_dump(
        codebook_to_dict(codebook), allow_unicode=True, sort_keys=False, width=100
    )


def _cartography_settings(block: dict[Any, Any], source: str) -> dict[str, Any]:
    """The ``cartography:`` block: rows/cols/split facet names, facet ``labels`` for
    titles and a ``no_break`` list of names the figures keep on one line."""
    settings: dict[str, Any] = {}
    for key, value in block.items():
        name = str(key)
        if name == "labels":
            if not isinstance(value, dict):
                raise InputError(source, "cartography labels map facet names to readable names")
            settings[name] = {str(k): str(v) for k, v in value.items()}
        elif name == "no_break":
            if not isinstance(value, list):
                raise InputError(source, "cartography no_break is a list of names")
            settings[name] = [str(v) for v in value]
        else:
            settings[name] = str(value)
    return settings
