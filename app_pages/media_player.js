// SPDX-License-Identifier: MIT
// qualcarto's media sync: a list of timed turns bound to the page's <audio>/<video>.
// Clicking a turn seeks there; while playing, the current turn is marked in the list
// and in the transcript (the span selector's pieces carry their offsets in data-s/e).

export default function (component) {
  const { data, parentElement } = component;
  let list = parentElement.querySelector(".qmp-turns");
  if (!list) {
    list = document.createElement("ol");
    list.className = "qmp-turns";
    list.setAttribute("aria-label", "Turns of the recording");
    list.setAttribute("data-testid", "qc-turns");
    parentElement.appendChild(list);
  }
  const turns = data.turns;
  const items = turns.map(([from, until, start, end, label], index) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.dataset.turn = String(index);
    button.dataset.seconds = String(from);
    li.appendChild(button);
    return li;
  });
  list.replaceChildren(...items);

  const media = () => document.querySelector(`.st-key-${data.player} audio, .st-key-${data.player} video`);
  let current = -1;
  const mark = (index) => {
    if (index === current && (index < 0 || document.querySelector(".qcs-box .qmp-playing"))) return;
    current = index;
    list.querySelectorAll("button").forEach((b, i) => b.setAttribute("aria-current", String(i === index)));
    document.querySelectorAll(".qcs-box .qmp-playing").forEach((el) => el.classList.remove("qmp-playing"));
    if (index < 0) return;
    const [, , start, end] = turns[index];
    document.querySelectorAll(".qcs-box [data-s]").forEach((el) => {
      if (Number(el.dataset.s) >= start && Number(el.dataset.e) <= end) el.classList.add("qmp-playing");
    });
    const button = list.querySelectorAll("button")[index];
    if (button) list.scrollTop = button.offsetTop - list.offsetTop;
  };
  const turnAt = (seconds) => {
    let found = -1;
    turns.forEach(([from], i) => { if (from <= seconds + 0.05) found = i; });
    return found;
  };
  const click = (event) => {
    const button = event.target.closest ? event.target.closest("button[data-turn]") : null;
    const player = media();
    if (!button || !player) return;
    player.currentTime = Number(button.dataset.seconds);
    mark(Number(button.dataset.turn));
  };
  let bound = null;
  const follow = () => { if (bound) mark(turnAt(bound.currentTime)); };
  const bind = () => {
    const player = media();
    if (player === bound) return;
    if (bound) bound.removeEventListener("timeupdate", follow);
    bound = player;
    if (bound) bound.addEventListener("timeupdate", follow);
  };
  bind();
  const timer = setInterval(bind, 500); // the player may mount after this component
  list.addEventListener("click", click);
  return () => {
    clearInterval(timer);
    list.removeEventListener("click", click);
    if (bound) bound.removeEventListener("timeupdate", follow);
  };
}
