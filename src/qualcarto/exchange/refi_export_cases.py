# SPDX-License-Identifier: MIT
"""Participants in REFI-QDA: typed variables, and one case per participant with its sources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcarto.exchange.refi_common import PROJECT_NS, stable_guid, xml_datetime
from qualcarto.exchange.refi_write import sub_element, text_element, xml_text
from qualcarto.store import Memo, Participant, Transcript, User
from qualcarto.transcripts.attributes import attribute_types

VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def _value_text(kind: str, value: Any) -> str:
    if kind == "Boolean":
        return "true" if value is True or str(value).lower() in ("true", "1") else "false"
    if kind == "DateTime":
        moment = datetime.fromisoformat(str(value))
        return xml_datetime(moment) or str(value)
    return str(value)


def add_cases(
    root: etree._Element,
    session: Session,
    transcripts: dict[str, Transcript],
    sources: dict[str, str],
) -> None:
    """Variables, then one ``Case`` per participant of an exported transcript, typed values."""
    by_participant: dict[int, list[str]] = {}
    for name, transcript in transcripts.items():
        if transcript.participant_id is not None:
            by_participant.setdefault(transcript.participant_id, []).append(name)
    participants = [
        p
        for p in session.scalars(select(Participant).order_by(Participant.key))
        if p.id in by_participant
    ]
    variables = list(dict.fromkeys(k for p in participants for k in p.attributes))
    types = {k: v for k, v in attribute_types(session).items() if v in VALUE_ELEMENTS}
    described: dict[int, list[str]] = {}
    for participant_id, text in session.execute(
        select(Memo.participant_id, Memo.text)
        .join(User, User.id == Memo.author_id)
        .where(Memo.subject == "participant")
        .order_by(User.name, Memo.title)
    ):
        if participant_id is not None:
            described.setdefault(participant_id, []).append(text)
    if variables:
        element = sub_element(root, PROJECT_NS, "Variables")
        for name in variables:
            sub_element(
                element,
                PROJECT_NS,
                "Variable",
                guid=stable_guid("variable", name),
                name=name,
                typeOfVariable=types.get(name, "Text"),
            )
    if not participants:
        return
    cases = sub_element(root, PROJECT_NS, "Cases")
    for participant in participants:
        case = sub_element(
            cases,
            PROJECT_NS,
            "Case",
            guid=stable_guid("case", participant.key),
            name=participant.key,
        )
        text_element(
            case, PROJECT_NS, "Description", "\n\n".join(described.get(participant.id, []))
        )
        for name in variables:
            if name in participant.attributes:
                kind = types.get(name, "Text")
                value = sub_element(case, PROJECT_NS, "VariableValue")
                sub_element(
                    value, PROJECT_NS, "VariableRef", targetGUID=stable_guid("variable", name)
                )
                sub_element(value, PROJECT_NS, VALUE_ELEMENTS[kind]).text = xml_text(
                    _value_text(kind, participant.attributes[name])
                )
        for name in sorted(by_participant[participant.id]):
            sub_element(case, PROJECT_NS, "SourceRef", targetGUID=sources[name])
