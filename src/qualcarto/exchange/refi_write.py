# SPDX-License-Identifier: MIT
"""Element builders every REFI-QDA writer uses, and the ``origin`` it stamps."""

from __future__ import annotations

from lxml import etree

from qualcarto import __version__

ORIGIN = f"qualcarto {__version__}"


def sub_element(
    parent: etree._Element, ns: str, tag: str, **attributes: str | None
) -> etree._Element:
    """A child ``ns:tag`` of ``parent`` with the attributes that are not None."""
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for key, value in attributes.items():
        if value is not None:
            element.set(key, value)
    return element


def text_element(parent: etree._Element, ns: str, tag: str, text: str) -> None:
    """A child ``ns:tag`` holding ``text``, left out when ``text`` is empty."""
    if text:
        sub_element(parent, ns, tag).text = text


def xml_bytes(root: etree._Element) -> bytes:
    """The document as UTF-8 bytes with an XML declaration, indented."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
