// SPDX-License-Identifier: MIT
// qualcarto's span selector: draws a transcript cut into pieces by Python, the coding
// stripes in its margin and the handles of the coding being edited, and reports what the
// coder did as Python str offsets (code points), never UTF-16 positions. Python decides
// what every report means. Text is written with textContent only, so transcript text,
// code names and coder names can never become markup.

const KEYS = [
  ["1 … 9", "apply recent code 1 … 9 to the selection"],
  ["Enter", "apply the codes chosen in the picker"],
  ["/", "find a code (focus the code search)"],
  ["Esc", "clear the selection, close this help"],
  ["Shift + → / ←", "move the selection's end by one word"],
  ["Alt + Shift + ← / →", "move the selection's start by one word"],
  ["Ctrl/⌘ + Z", "undo the last add, edit or delete"],
  ["drag a handle, Shift + click", "move a boundary of the coding being edited"],
  ["?", "show or hide this help"],
];

function pieceOf(node) {
  const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  return el ? el.closest("[data-s]") : null;
}

// A DOM boundary point (node, offset) as a code-point offset into the transcript.
function offsetOf(text, node, offset, total) {
  if (node.nodeType === Node.TEXT_NODE) {
    const piece = pieceOf(node);
    if (!piece || !text.contains(piece)) return null;
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

// The piece holding a code-point offset (binary search: pieces are in text order).
function pieceAt(pieces, offset) {
  let lo = 0, hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, p = pieces[mid];
    if (offset < Number(p.dataset.s)) hi = mid - 1;
    else if (offset >= Number(p.dataset.e)) lo = mid + 1;
    else return p;
  }
  return pieces.length ? pieces[pieces.length - 1] : null;
}

// A collapsed DOM range at a code-point offset, for measuring where it is drawn.
function rangeAt(pieces, offset, total) {
  const piece = pieceAt(pieces, Math.min(offset, total - 1));
  if (!piece || !piece.firstChild) return null;
  const node = piece.firstChild;
  const inside = Math.max(0, Math.min(offset, total - 1) - Number(piece.dataset.s));
  const units = Array.from(node.data).slice(0, inside).join("").length;
  const range = document.createRange();
  range.setStart(node, units);
  range.setEnd(node, Math.min(node.data.length, units + 1));
  return range;
}

function pointOffset(text, x, y, total) {
  const caret = document.caretRangeFromPoint
    ? document.caretRangeFromPoint(x, y)
    : (() => {
        const p = document.caretPositionFromPoint(x, y);
        if (!p) return null;
        const r = document.createRange();
        r.setStart(p.offsetNode, p.offset);
        return r;
      })();
  if (!caret || !text.contains(caret.startContainer)) return null;
  return offsetOf(text, caret.startContainer, caret.startOffset, total);
}

function drawHelp(root) {
  let help = root.querySelector(".qcs-help");
  if (help) return help;
  help = document.createElement("div");
  help.className = "qcs-help";
  help.setAttribute("role", "dialog");
  help.setAttribute("aria-label", "Keyboard shortcuts");
  help.setAttribute("data-testid", "qc-help");
  help.hidden = true;
  const title = document.createElement("strong");
  title.textContent = "Keyboard shortcuts (focus the transcript, or anywhere outside a text field)";
  const list = document.createElement("dl");
  for (const [key, what] of KEYS) {
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = what;
    list.append(dt, dd);
  }
  help.append(title, list);
  root.appendChild(help);
  return help;
}

// How long each part of a draw took (ms), for bench/ui.py: window.qcsTimings keeps the last 50.
const CHUNK = 2000;

function timed(marks) {
  const log = (window.qcsTimings = window.qcsTimings || []);
  log.push(marks);
  if (log.length > 50) log.shift();
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const t0 = performance.now();
  const marks = { began: t0 };
  let root = parentElement.querySelector(".qcs-root");
  const fresh = !root;
  if (fresh) {
    root = document.createElement("div");
    root.className = "qcs-root";
    root.innerHTML =
      '<div class="qcs-box" data-testid="qc-transcript-pane" tabindex="0" role="region"' +
      ' aria-label="Transcript: select text to code it; press ? for keys">' +
      '<div class="qcs-text" data-testid="qc-transcript"></div>' +
      '<div class="qcs-margin" data-testid="qc-margin" role="group" aria-label="Coding stripes"></div></div>';
    parentElement.appendChild(root);
  }
  const box = root.querySelector(".qcs-box");
  const text = root.querySelector(".qcs-text");
  const margin = root.querySelector(".qcs-margin");
  const help = drawHelp(root);
  // The text is drawn in blocks of about CHUNK characters, each ending at a line break, so
  // a change (an Apply) lays out one block again, not a 300,000-character paragraph.
  if (root.qcsText !== data.text) {
    const points = Array.from(data.text);
    const bounds = [0];
    for (let i = CHUNK; i < points.length; i += 1) {
      if (points[i - 1] === "\n" && i - bounds[bounds.length - 1] >= CHUNK) bounds.push(i);
    }
    bounds.push(points.length);
    const blocks = bounds.slice(1).map(() => {
      const block = document.createElement("div");
      block.className = "qcs-chunk";
      return block;
    });
    text.replaceChildren(...blocks);
    Object.assign(root, { qcsText: data.text, qcsPoints: points, qcsBounds: bounds, qcsBlocks: blocks,
      qcsBlockKeys: blocks.map(() => null), qcsBlockSpans: blocks.map(() => []), qcsPlaces: null });
  }
  const points = root.qcsPoints;
  const total = points.length;
  const bounds = root.qcsBounds;
  // Pieces cut at block bounds; a block whose pieces are unchanged keeps its spans.
  // A piece's look (colours, hover text) follows from its codings: worked out here once per
  // set of codings, so Python sends each coding's colour and label once, not per piece.
  const byId = new Map((data.marks || []).map((m) => [m[0], m]));
  const looks = new Map();
  const lookOf = (ids) => {
    const which = ids.join(",");
    if (!looks.has(which)) {
      const colors = ids.map((id) => (byId.has(id) ? byId.get(id)[3] : "#888888"));
      const title = ids.map((id) => (byId.has(id) ? byId.get(id)[4] : "")).join("\n");
      looks.set(which, colors.length === 1
        ? [`${colors[0]}38`, `2px solid ${colors[0]}`, title]
        : [`linear-gradient(${colors.slice(0, 6).map((c) => `${c}55`).join(", ")})`,
           `3px double ${colors[0]}`, title]);
    }
    return looks.get(which);
  };
  const parts = root.qcsBlocks.map(() => []);
  let block = 0;
  for (const [first, end, kind, ids] of data.pieces) {
    const [background, border, title] = ids.length ? lookOf(ids) : ["", "", ""];
    let start = first;
    while (start < end) {
      while (start >= bounds[block + 1]) block += 1;
      const stop = Math.min(end, bounds[block + 1]);
      parts[block].push([start, stop, kind, background, border, title, ids]);
      start = stop;
    }
  }
  const keptTop = box.scrollTop;
  box.style.height = data.height ? `${data.height}px` : "";
  for (const handle of text.querySelectorAll(".qcs-handle")) handle.remove();
  let redrawn = 0;
  parts.forEach((list, index) => {
    const key = JSON.stringify(list);
    if (root.qcsBlockKeys[index] === key) return;
    redrawn += 1;
    const spans = list.map(([start, end, kind, background, border, title, ids]) => {
      const span = document.createElement("span");
      span.dataset.s = String(start);
      span.dataset.e = String(end);
      span.textContent = points.slice(start, end).join("");
      if (kind) span.className = kind;
      if (background) span.style.background = background;
      if (border) span.style.borderBottom = border;
      if (title) span.title = title;
      if (ids && ids.length) span.dataset.ids = ids.join(",");
      return span;
    });
    root.qcsBlocks[index].replaceChildren(...spans);
    root.qcsBlockKeys[index] = key;
    root.qcsBlockSpans[index] = spans;
  });
  const pieces = [].concat(...root.qcsBlockSpans);
  marks.pieces = performance.now() - t0;
  marks.blocks = redrawn;

  // Read everything the drawing needs first (one layout), then write: no read after a write.
  const origin = text.getBoundingClientRect().top;
  const topOf = (offset) => {
    const range = rangeAt(pieces, offset, total);
    return range ? range.getBoundingClientRect().top - origin : 0;
  };
  // Colours and outlines do not move text, so a stripe measured before keeps its place
  // while the text and the pane's width stay the same.
  const layout = `${data.doc}:${text.clientWidth}:${total}`;
  const places = root.qcsLayout === layout && root.qcsPlaces ? root.qcsPlaces : new Map();
  const measured = (data.stripes ? data.marks || [] : []).map(([id, start, end, color, label]) => {
    const where = `${start}:${end}`;
    if (!places.has(where)) {
      const a = rangeAt(pieces, start, total), b = rangeAt(pieces, Math.max(start, end - 1), total);
      const top = a ? a.getBoundingClientRect().top - origin : 0;
      const bottom = b ? b.getBoundingClientRect().bottom - origin : top + 16;
      places.set(where, [top, Math.max(bottom, top + 16)]);
    }
    const [top, bottom] = places.get(where);
    return { id, top, bottom, color, label };
  }).sort((x, y) => x.top - y.top || y.bottom - x.bottom);
  root.qcsLayout = layout;
  root.qcsPlaces = places;
  const height = text.scrollHeight;
  const active = data.active;
  const handles = [];
  if (active) {
    const left = text.getBoundingClientRect().left;
    for (const [side, offset] of [["start", active[1]], ["end", active[2]]]) {
      const range = rangeAt(pieces, side === "start" ? offset : Math.max(offset - 1, 0), total);
      if (!range) continue;
      const rect = range.getBoundingClientRect();
      handles.push({ side, offset, left: (side === "start" ? rect.left : rect.right) - left,
        top: rect.top - origin, height: rect.height });
    }
  }
  marks.measured = performance.now() - t0;

  // Margin stripes: one per coding, in lanes so overlapping codings sit side by side. A
  // stripe drawn before is kept (or only moved); the margin's order is the text's order.
  const lanes = [];
  const drawn = root.qcsStripes || new Map();
  const wanted = new Map();
  let cursor = margin.firstChild;
  for (const s of measured) {
    let lane = lanes.findIndex((bottom) => bottom <= s.top);
    if (lane < 0) lane = lanes.length < 8 ? lanes.push(0) - 1 : lanes.indexOf(Math.min(...lanes));
    lanes[lane] = s.bottom + 2;
    const sig = `${s.top}|${s.bottom}|${lane}|${s.color}|${s.label}`;
    let stripe = drawn.get(s.id);
    if (!stripe || stripe.qcsSig !== sig) {
      if (!stripe) {
        stripe = document.createElement("button");
        stripe.type = "button";
        stripe.className = "qcs-stripe";
        stripe.dataset.id = String(s.id);
        stripe.appendChild(document.createElement("span"));
      }
      stripe.style.top = `${s.top}px`;
      stripe.style.height = `${s.bottom - s.top}px`;
      stripe.style.left = `${lane * 20}px`;
      stripe.style.borderLeftColor = s.color;
      stripe.title = s.label;
      stripe.setAttribute("aria-label", `Coding: ${s.label}`);
      stripe.firstChild.textContent = s.label;
      stripe.qcsSig = sig;
    }
    wanted.set(s.id, stripe);
    if (stripe === cursor) cursor = cursor.nextSibling;
    else margin.insertBefore(stripe, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
  root.qcsStripes = wanted;
  margin.style.width = `${Math.max(1, lanes.length) * 20 + 4}px`;
  margin.style.height = `${height}px`;
  marks.stripes = performance.now() - t0;

  // Handles on the coding being edited: drag one (or Shift+click the text) to move it.
  for (const { side, offset, left, top, height: tall } of handles) {
    const handle = document.createElement("span");
    handle.className = `qcs-handle qcs-handle-${side}`;
    handle.dataset.side = side;
    handle.setAttribute("data-testid", `qc-handle-${side}`);
    handle.setAttribute("role", "slider");
    handle.setAttribute("aria-label", `${side} of the coding being edited`);
    handle.setAttribute("aria-valuenow", String(offset));
    handle.tabIndex = 0;
    handle.style.left = `${left - 3}px`;
    handle.style.top = `${top}px`;
    handle.style.height = `${tall}px`;
    text.appendChild(handle);
  }

  // Keep the coder's place: the same scroll after a redraw; on a new pane or a new
  // request from Python (a link, another transcript) go to the offset it names.
  const memory = `qcs-view:${data.address ? "code" : "pane"}:${data.doc}`;
  const saved = JSON.parse(sessionStorage.getItem(memory) || "null");
  if (!fresh && box.dataset.doc === data.doc && box.dataset.jump === data.jump) {
    box.scrollTop = keptTop;
  } else if (saved && saved.jump === data.jump && saved.length === total) {
    box.scrollTop = saved.top;
  } else if (data.at !== null && data.at !== undefined) {
    box.scrollTop = Math.max(0, topOf(data.at) - 8);
  } else {
    box.scrollTop = 0;
  }
  box.dataset.doc = data.doc;
  box.dataset.jump = data.jump;

  const viewOffset = () => {
    const r = box.getBoundingClientRect();
    const found = pointOffset(text, r.left + 24, r.top + 26, total);
    return found === null ? 0 : found;
  };
  let timer = null;
  const remember = () => {
    sessionStorage.setItem(memory, JSON.stringify({ jump: data.jump, top: box.scrollTop, length: total }));
    if (!data.address) return;
    const url = new URL(window.location.href);
    const at = String(box.scrollTop > 4 ? viewOffset() : 0);
    if (url.searchParams.get("t") === data.doc && url.searchParams.get("at") === at) return;
    url.searchParams.set("t", data.doc);
    url.searchParams.set("at", at);
    window.history.replaceState(window.history.state, "", url);
  };
  timer = setTimeout(remember, 0); // after this draw: reading the view forces a layout
  const scrolled = () => { clearTimeout(timer); timer = setTimeout(remember, 150); };

  const report = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!range.intersectsNode(text) || range.collapsed) return;
    const start = text.contains(range.startContainer)
      ? offsetOf(text, range.startContainer, range.startOffset, total) : 0;
    const end = text.contains(range.endContainer)
      ? offsetOf(text, range.endContainer, range.endOffset, total) : total;
    if (start === null || end === null || end <= start) return;
    setTriggerValue("selection", { start, end, nonce: Date.now() });
  };
  const moveBoundary = (side, offset) => {
    if (!active || offset === null) return;
    if (side === "nearest") {
      side = Math.abs(offset - active[1]) <= Math.abs(offset - active[2]) ? "start" : "end";
    }
    const start = side === "start" ? offset : active[1];
    const end = side === "end" ? offset : active[2];
    setTriggerValue("boundary", { id: active[0], start, end, nonce: Date.now() });
  };
  const click = (event) => {
    const stripe = event.target.closest ? event.target.closest(".qcs-stripe") : null;
    if (stripe) {
      setTriggerValue("clicked", { ids: [Number(stripe.dataset.id)], nonce: Date.now() });
      return;
    }
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const piece = event.target.closest ? event.target.closest("[data-ids]") : null;
    if (piece && text.contains(piece)) {
      setTriggerValue("clicked", { ids: piece.dataset.ids.split(",").map(Number), nonce: Date.now() });
    }
  };
  // A drag may end outside the pane: listen on the document, for drags begun inside.
  let dragging = false, handleSide = null;
  const down = (event) => {
    const handle = event.target.closest ? event.target.closest(".qcs-handle") : null;
    if (handle) {
      handleSide = handle.dataset.side;
      event.preventDefault();
      return;
    }
    if (event.shiftKey && active && text.contains(event.target)) {
      event.preventDefault();
      moveBoundary("nearest", pointOffset(text, event.clientX, event.clientY, total));
      return;
    }
    dragging = text.contains(event.target);
  };
  const up = (event) => {
    if (handleSide) {
      let offset = pointOffset(text, event.clientX, event.clientY, total);
      if (offset !== null && handleSide === "end") {
        const range = rangeAt(pieces, offset, total);
        const rect = range ? range.getBoundingClientRect() : null;
        if (rect && event.clientX > rect.left + rect.width / 2) offset += 1;
      }
      moveBoundary(handleSide, offset);
      handleSide = null;
      return;
    }
    if (dragging) { dragging = false; report(); }
  };
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const key = (event) => {
    if (typing(document.activeElement) || typing(event.target)) return;
    const send = (detail) => {
      event.preventDefault();
      setTriggerValue("shortcut", { ...detail, nonce: Date.now() });
    };
    if (event.key === "?") { event.preventDefault(); help.hidden = !help.hidden; return; }
    if (event.key === "Escape") {
      if (!help.hidden) { help.hidden = true; return; }
      window.getSelection()?.removeAllRanges();
      send({ action: "clear" });
      return;
    }
    if (event.key === "/") {
      const search = document.querySelector('input[aria-label="Find a code"]');
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
      send({ action: "undo" });
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    if (/^[1-9]$/.test(event.key) && !event.altKey) { send({ action: "apply", slot: Number(event.key) }); return; }
    if (event.key === "Enter" && (event.target === box || event.target === document.body)) {
      send({ action: "apply", slot: 0 });
      return;
    }
    if (event.shiftKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      send({ action: "extend", side: event.altKey ? "start" : "end", step: event.key === "ArrowRight" ? 1 : -1 });
    }
  };
  // The function runs again on every new data: drop the listeners of the previous run
  // first (a cleanup is not always called), so one key press is one report.
  if (root.qcsCleanup) root.qcsCleanup();
  root.addEventListener("mousedown", down);
  document.addEventListener("mouseup", up);
  document.addEventListener("keydown", key);
  root.addEventListener("click", click);
  box.addEventListener("scroll", scrolled, { passive: true });
  const cleanup = () => {
    clearTimeout(timer);
    root.removeEventListener("mousedown", down);
    document.removeEventListener("mouseup", up);
    document.removeEventListener("keydown", key);
    root.removeEventListener("click", click);
    box.removeEventListener("scroll", scrolled);
    if (root.qcsCleanup === cleanup) root.qcsCleanup = null;
  };
  root.qcsCleanup = cleanup;
  marks.total = performance.now() - t0;
  timed(marks);
  return cleanup;
}
