# SPDX-License-Identifier: MIT
"""Element builders every REFI-QDA writer uses, and the ``origin`` it stamps."""

from __future__ import annotations

import re

from lxml import etree

from qualcarto import __version__

ORIGIN = f"qualcarto {__version__}"
# What XML 1.0 cannot hold at all (most C0 controls, surrogates, U+FFFE/U+FFFF). Names
# are validated on the way in (``qualcarto.names``); a store written before that rule may
# still hold one, and one such name must not stop every export for everyone.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` with each character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def sub_element(
    parent: etree._Element, ns: str, tag: str, **attributes: str | None
) -> etree._Element:
    """A child ``ns:tag`` of ``parent`` with the attributes that are not None."""
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_text(value))
    return element


def text_element(parent: etree._Element, ns: str, tag: str, text: str) -> None:
    """A child ``ns:tag`` holding ``text``, left out when ``text`` is empty."""
    if text:
        sub_element(parent, ns, tag).text = xml_text(text)


def xml_bytes(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, indented."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
