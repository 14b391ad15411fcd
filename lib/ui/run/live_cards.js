// The cards of a run's other choices while it streams: one mounted element for the whole run,
// each frame a data change of it (see live_cards.py). Model text is untrusted: it goes in as
// text only (textContent), never as markup.

function child(parent, className, tag = "div") {
  // Not querySelector(":scope > …"): the parent may be a shadow root, where :scope matches nothing.
  let node = [...parent.children].find((c) => c.classList.contains(className));
  if (!node) {
    node = document.createElement(tag);
    node.className = className;
    parent.append(node);
  }
  return node;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function drawCard(card, data, setTriggerValue) {
  const head = child(card, "cp-card-head");
  setText(child(head, "cp-card-label"), data.label || "");
  // A comparison's column has its own Stop while it streams (closes only its connection).
  const stop = child(head, "cp-card-stop", "button");
  stop.type = "button";
  setText(stop, data.stop || "");
  stop.hidden = !data.stop;
  stop.onclick = () => setTriggerValue("stop", data.index);
  const body = child(card, "cp-card-text", "pre");
  // Follow the stream unless the reader scrolled up to read.
  const following = body.scrollHeight - body.scrollTop - body.clientHeight < 24;
  setText(body, data.text || "");
  if (following) body.scrollTop = body.scrollHeight;
  const note = child(card, "cp-card-note");
  setText(note, data.note || "");
  note.hidden = !data.note;
  setText(child(card, "cp-card-finish"), data.finish || "");
}

export default function ({ data: given, parentElement, setTriggerValue }) {
  const data = given[0];  // component_data.py: the data inside a one-item list
  const grid = child(parentElement, "cp-cards");
  grid.style.setProperty("--cp-card-columns", String(data.columns || 1));
  const wanted = new Set((data.cards || []).map((c) => String(c.index)));
  for (const card of [...grid.children]) {
    if (!wanted.has(card.dataset.index)) card.remove();
  }
  for (const item of data.cards || []) {
    const index = String(item.index);
    let card = [...grid.children].find((c) => c.dataset.index === index);
    if (!card) {
      card = document.createElement("div");
      card.className = "cp-card";
      card.dataset.index = index;
      grid.append(card);
    }
    drawCard(card, item, setTriggerValue);
  }
}
