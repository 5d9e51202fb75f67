// SPDX-License-Identifier: MIT
// qualcarto's span selector: draws a transcript cut into pieces by Python and reports
// mouse selections as Python str offsets (code points), never UTF-16 positions.
// Text is written with textContent only, so transcript text can never become markup.

function pieceOf(node) {
  const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  return el ? el.closest("[data-s]") : null;
}

// A DOM boundary point (node, offset) as a code-point offset into the transcript.
function offsetOf(box, node, offset, total) {
  if (node.nodeType === Node.TEXT_NODE) {
    const piece = pieceOf(node);
    if (!piece || !box.contains(piece)) return null;
    return Number(piece.dataset.s) + Array.from(node.data.slice(0, offset)).length;
  }
  const kids = node.childNodes;
  if (offset < kids.length) {
    const first = kids[offset].nodeType === Node.ELEMENT_NODE
      ? (kids[offset].matches("[data-s]") ? kids[offset] : kids[offset].querySelector("[data-s]"))
      : pieceOf(kids[offset]);
    return first ? Number(first.dataset.s) : total;
  }
  const all = node.nodeType === Node.ELEMENT_NODE ? node.querySelectorAll("[data-s]") : [];
  const last = all.length ? all[all.length - 1] : pieceOf(node);
  return last ? Number(last.dataset.e) : total;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let box = parentElement.querySelector(".qcs-box");
  if (!box) {
    box = document.createElement("div");
    box.className = "qcs-box";
    box.setAttribute("data-testid", "qc-transcript");
    // One tab stop, so the keyboard can reach and scroll the transcript (axe's
    // scrollable-region-focusable), named for screen readers.
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Transcript");
    parentElement.appendChild(box);
  }
  const points = Array.from(data.text);
  const total = points.length;
  const fragment = document.createDocumentFragment();
  for (const [start, end, kind, background, border, title, ids] of data.pieces) {
    const span = document.createElement("span");
    span.dataset.s = String(start);
    span.dataset.e = String(end);
    span.textContent = points.slice(start, end).join("");
    if (kind) span.className = kind;
    if (background) span.style.background = background;
    if (border) span.style.borderBottom = border;
    if (title) span.title = title;
    if (ids && ids.length) span.dataset.ids = ids.join(",");
    fragment.appendChild(span);
  }
  const scroll = box.scrollTop;
  box.replaceChildren(fragment);
  box.scrollTop = scroll;
  box.style.maxHeight = data.height ? `${data.height}px` : "";

  const report = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(box)) return;
    if (range.collapsed) return;
    const start = box.contains(range.startContainer)
      ? offsetOf(box, range.startContainer, range.startOffset, total) : 0;
    const end = box.contains(range.endContainer)
      ? offsetOf(box, range.endContainer, range.endOffset, total) : total;
    if (start === null || end === null || end <= start) return;
    setTriggerValue("selection", { start, end, nonce: Date.now() });
  };
  const click = (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const piece = event.target.closest ? event.target.closest("[data-ids]") : null;
    if (piece && box.contains(piece)) {
      setTriggerValue("clicked", { ids: piece.dataset.ids.split(",").map(Number), nonce: Date.now() });
    }
  };
  // A drag may end outside the box: listen on the document, for drags begun inside.
  let dragging = false;
  const down = () => { dragging = true; };
  const up = () => { if (dragging) { dragging = false; report(); } };
  const keyup = (event) => { if (event.shiftKey) report(); };
  box.addEventListener("mousedown", down);
  document.addEventListener("mouseup", up);
  box.addEventListener("keyup", keyup);
  box.addEventListener("click", click);
  return () => {
    box.removeEventListener("mousedown", down);
    document.removeEventListener("mouseup", up);
    box.removeEventListener("keyup", keyup);
    box.removeEventListener("click", click);
  };
}
