# SPDX-License-Identifier: MIT
"""The codebook beside the transcript: numbered recent codes, search, definitions, counts."""

from __future__ import annotations

import re
import string
from collections import Counter

import pandas as pd
import streamlit as st

from app_pages.coding_actions import CHOICE, RECENT, apply_codes
from app_pages.common import md
from qualcarto.codebook import Codebook

OPTION_LIMIT = 5_000  # codes offered at once: a longer list only slows the browser
TREE_LIMIT = 2_000  # codes drawn in the tree: more would only slow the browser
_MARKS = frozenset(string.punctuation)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def swatch(color: str | None, label: str = "") -> str:
    """HTML for a colour chip (and an escaped label): only a valid ``#rrggbb`` is drawn."""
    fill = color if color and _HEX.match(color) else None
    chip = (
        f'<span role="img" aria-label="colour {fill}" title="{fill}" style="display:inline-block;'
        f"width:.9em;height:.9em;border-radius:.2em;background:{fill};vertical-align:-.1em;"
        'border:1px solid rgba(0,0,0,.35);margin-right:.35em"></span>'
        if fill
        else '<span role="img" aria-label="no colour" style="display:inline-block;width:.9em;'
        'height:.9em;border-radius:.2em;border:1px dashed #888;margin-right:.35em"></span>'
    )
    return chip + literal_html(label)


def literal_html(text: str) -> str:
    """Text shown as itself inside markdown with HTML: every ASCII mark as a numeric entity.

    ``html.escape`` alone stops tags but not markdown (``![x](https://…)`` still loads
    an image); an entity is decoded to plain text by both markdown and HTML.
    """
    return "".join(f"&#{ord(c)};" if c in _MARKS else c for c in text)


def _names(book: Codebook) -> dict[str, str]:
    """Each leaf's own name; a parent's name is added only where two leaves share one."""
    leaves = book.leaves()
    taken = Counter(c.name for c in leaves)
    return {
        c.id: c.name if taken[c.name] == 1 else f"{c.name} ({' › '.join(book.path(c.id)[:-1])})"
        for c in leaves
    }


def _matches(book: Codebook, code_id: str, query: str) -> bool:
    code = book.by_id()[code_id]
    haystack = " ".join([code.id, *book.path(code_id), code.definition, *code.keywords])
    return query.lower() in haystack.lower()


def code_picker(book: Codebook, user: str, has_selection: bool) -> None:
    """Numbered recent codes (keys 1-9), a code search, and the chosen codes' criteria."""
    by_id = book.by_id()
    names = _names(book)
    recent = [c for c in st.session_state.get(RECENT, []) if c in by_id]
    if recent:
        st.caption("Recent codes: press 1–9 (or click) to code the selection")
        for number, code_id in enumerate(recent[:9], start=1):
            st.button(
                md(f"{number} · {names.get(code_id, by_id[code_id].name)}"),
                key=f"recent_{code_id}",
                on_click=apply_codes,
                args=(user, [code_id]),
                disabled=not has_selection,
                width="stretch",
                help=md(" › ".join(book.path(code_id))),
            )
    query = st.text_input(
        "Find a code", key="code_find", placeholder="name, definition, keyword (press /)"
    )
    options = [c.id for c in book.leaves() if not query or _matches(book, c.id, query)]
    if len(options) > OPTION_LIMIT:
        st.caption(f"{len(options):,} codes: the first {OPTION_LIMIT:,} are listed, find to narrow")
        options = options[:OPTION_LIMIT]
    chosen_now = [c for c in st.session_state.get(CHOICE) or [] if c in by_id]
    options += [c for c in chosen_now if c not in options]  # a filter never drops a choice
    chosen = st.multiselect(
        "Codes to apply",
        options,
        key=CHOICE,
        format_func=lambda c: names.get(c, c),
        placeholder="Choose one or more codes",
        select_all=False,
        help=md("; ".join(" › ".join(book.path(c)) for c in chosen_now)) or "Codes of the codebook",
    )
    st.button(
        "Apply to selection",
        key="apply_codes",
        type="primary",
        on_click=apply_codes,
        args=(user,),
        disabled=not (has_selection and chosen),
        width="stretch",
        help="Enter in the transcript",
    )
    for code_id in chosen or options[:1]:
        code = by_id[code_id]
        with st.expander(md(" › ".join(book.path(code_id))), expanded=bool(chosen)):
            st.markdown(
                swatch(code.color, f"{code.color or 'no colour'} · {code.id}"),
                unsafe_allow_html=True,
            )
            for label, value in (
                ("Definition", code.definition),
                ("Include", code.include),
                ("Exclude", code.exclude),
                ("Example", code.example),
            ):
                if value:
                    st.caption(label)
                    st.text(value)


def code_tree(book: Codebook, codings: pd.DataFrame, study: dict[str, int]) -> None:
    """The codebook as a tree with each code's codings here and in the whole study."""
    here = codings["code_id"].value_counts().to_dict()
    lines: list[str] = []
    active = book.walk(active=True)
    for code, depth in active[:TREE_LIMIT]:
        counts = f"{here.get(code.id, 0)} here · {study.get(code.id, 0)} in the study"
        lines.append(
            f'<li style="margin-left:{min(depth, 40) * 1.1}em">{swatch(code.color, code.name)}'
            f' <small style="opacity:.7">{"" if book.has_children(code.id) else counts}</small></li>'
        )
    with st.expander(f"Code tree · {len(codings)} codings shown here"):
        st.markdown(
            f'<ul style="list-style:none;padding:0;margin:0">{"".join(lines)}</ul>',
            unsafe_allow_html=True,
        )
        if len(active) > TREE_LIMIT:
            st.caption(
                f"The first {TREE_LIMIT:,} of {len(active):,} codes: "
                "the Codebook page searches them all."
            )
