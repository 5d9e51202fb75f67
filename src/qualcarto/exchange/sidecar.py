# SPDX-License-Identifier: MIT
"""What a ``.qdpx`` cannot say, for the next qualcarto store: ``qualcarto.json`` in the archive.

Other tools ignore an archive member they do not know, and the standard part stays
valid, so this file only adds: code ids, keywords, facets, inclusion/exclusion rules,
status and lineage, the codebook's title, facets and cartography settings, each
user's role and kind (machine layers stay machine layers), and each coding's origin
where it is not ``manual``. Import applies it when it is present.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from qualcarto.codebook import Codebook, CodeDef

SIDECAR = "qualcarto.json"
FORMAT = "qualcarto-qdpx-sidecar"
CODE_FIELDS = (
    "keywords",
    "facets",
    "include",
    "exclude",
    "example",
    "status",
    "merged_into",
    "split_from",
)


@dataclass
class Sidecar:
    """The sidecar's content: per code GUID, per user name, per coding GUID."""

    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    title: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    # participant key -> [(author, title, text)]: the case description's authorship
    participant_memos: dict[str, list[list[str]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": 1,
            "codebook": {"title": self.title, "facets": self.facets, "settings": self.settings},
            "codes": self.codes,
            "users": self.users,
            "coding_origins": self.origins,
            "participant_memos": self.participant_memos,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sidecar:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT}")
        book = data.get("codebook", {})
        return cls(
            codes=dict(data["codes"]),
            title=str(book.get("title", "")),
            facets={str(k): list(v) for k, v in book.get("facets", {}).items()},
            settings=dict(book.get("settings", {})),
            users={str(k): dict(v) for k, v in data.get("users", {}).items()},
            origins={str(k): str(v) for k, v in data.get("coding_origins", {}).items()},
            participant_memos={
                str(k): [[str(x) for x in m] for m in v]
                for k, v in data.get("participant_memos", {}).items()
            },
        )

    def user_kinds(self) -> dict[str, str]:
        return {name: u.get("kind", "human") for name, u in self.users.items()}

    def user_roles(self) -> dict[str, str]:
        return {name: u.get("role", "coder") for name, u in self.users.items()}


def make_sidecar(
    codebook: Codebook,
    guids: dict[str, str],
    users: list[tuple[str, str, str]],
    origins: dict[str, str],
    participant_memos: dict[str, list[list[str]]] | None = None,
) -> Sidecar:
    """The sidecar of an export: ``guids`` code id -> GUID, users as (name, role, kind)."""
    codes = {}
    for code in codebook.codes:
        entry: dict[str, Any] = {"id": code.id}
        for name in CODE_FIELDS:
            value = getattr(code, name)
            if value:
                entry[name] = list(value) if isinstance(value, tuple) else value
        codes[guids[code.id]] = entry
    return Sidecar(
        codes=codes,
        title=codebook.title,
        facets={k: list(v) for k, v in codebook.facets.items()},
        settings=dict(codebook.settings),
        users={name: {"role": role, "kind": kind} for name, role, kind in users},
        origins=origins,
        participant_memos=participant_memos or {},
    )


def apply_sidecar(
    sidecar: Sidecar, codebook: Codebook, code_ids: dict[str, str]
) -> tuple[Codebook, dict[str, str]]:
    """The merged codebook with the sidecar's ids and fields; file GUID -> (new) code id.

    A code takes its sidecar id unless another code of the study already has that id.
    """
    rename: dict[str, str] = {}
    taken = {c.id for c in codebook.codes}
    for guid, old in code_ids.items():
        wanted = sidecar.codes.get(guid, {}).get("id")
        if wanted and wanted != old and wanted not in taken:
            rename[old] = wanted
            taken.add(wanted)
    by_old = {old: guid for guid, old in code_ids.items()}
    codes: list[CodeDef] = []
    for code in codebook.codes:
        extra = sidecar.codes.get(by_old.get(code.id, ""), {})
        fields: dict[str, Any] = {k: extra[k] for k in CODE_FIELDS if k in extra}
        if "keywords" in fields:
            fields["keywords"] = tuple(fields["keywords"])
        codes.append(
            replace(
                code,
                id=rename.get(code.id, code.id),
                parent=rename.get(code.parent, code.parent) if code.parent else None,
                **fields,
            )
        )
    facets = {**codebook.facets, **sidecar.facets}
    settings = {**codebook.settings, **sidecar.settings}
    book = replace(
        codebook,
        title=sidecar.title or codebook.title,
        facets=facets,
        settings=settings,
        codes=tuple(codes),
    )
    return book, {guid: rename.get(old, old) for guid, old in code_ids.items()}
