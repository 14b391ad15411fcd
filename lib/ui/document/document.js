// The playground's document editor; see editor.py.
//
// Model text is untrusted: it only ever enters the page as text nodes (textContent,
// createTextNode, appendData), never as markup, in the document and in the popover alike.
//
// One editor element lives for the whole page (in REGISTRY). Python draws the component under
// one key, so every drawing (each streaming frame too) is a new call with new data on the same
// mount, and the person's caret, scroll position and undo steps survive it. Should the page be
// redrawn so that the component mounts again, the new mount adopts the same editor.
// REGISTRY.mounts counts the mounts (a test reads it).
const REGISTRY = (window.__completionsPlaygroundDocument ||= { mounts: 0 });
const COMMIT_MS = 400;      // typing pauses this long before the document goes to Python
const COALESCE_MS = 1000;   // edits closer together than this are one undo step
const UNDO_LIMIT = 200;
const UNLIKELY = 0.1;       // tokens below this probability are underlined as well as shaded
const MIN_HEIGHT_REM = 10;  // the document is never shorter than this
const STATUS_ROOM_REM = 5;  // left free under the document: the prompt's token line and the run's status line
const CATCH_UP_CHARS = 16000;  // a streaming text missing more than this starts again instead
// Bidirectional controls (in model text, a token, a suffix, or typed) would reorder what
// follows them, so the document would show another order than the one it sends. Each is
// shown as a named mark, in an isolate of its own where it reorders nothing.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const BIDI_NAMES = {
  "\u061c": "ALM", "\u200e": "LRM", "\u200f": "RLM", "\u202a": "LRE", "\u202b": "RLE",
  "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO", "\u2066": "LRI", "\u2067": "RLI",
  "\u2068": "FSI", "\u2069": "PDI",
};

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function visible(token) {
  const shown = token.replace(/\n/g, "↵").replace(/\t/g, "⇥").replace(BIDI, (c) => `⟨${BIDI_NAMES[c]}⟩`);
  return token.trim() ? shown : shown.replace(/ /g, "␣");
}

// Appends `text` to `parent` as text nodes, with a mark (holding the character itself, so the
// text read back is unchanged) for each bidirectional control.
function appendText(parent, text) {
  let from = 0;
  for (const found of text.matchAll(BIDI)) {
    if (found.index > from) parent.append(document.createTextNode(text.slice(from, found.index)));
    const mark = el("span", "cp-bidi", found[0]);
    mark.dataset.name = BIDI_NAMES[found[0]];
    mark.title = BIDI_NAMES[found[0]];
    mark.setAttribute("contenteditable", "false");
    parent.append(mark);
    from = found.index + found[0].length;
  }
  if (from < text.length) parent.append(document.createTextNode(text.slice(from)));
}

function rem() {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

function percent(p, labels) {
  return p == null ? labels.na : (100 * p).toFixed(2) + "%";
}

function shade(p) {
  return p == null ? "transparent" : `hsla(${Math.round(120 * p)},75%,45%,0.35)`;
}

function plain(segments) {
  return segments.map((s) => ({ text: s.text, kind: s.kind, run: s.run || null }));
}

function textOf(segments) {
  return segments.map((s) => s.text).join("");
}

function same(a, b) {
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
}

function merged(segments) {
  const out = [];
  for (const s of segments) {
    if (!s.text) continue;
    const last = out[out.length - 1];
    if (last && last.kind === s.kind && s.kind !== "model" && (last.run || null) === (s.run || null)) {
      out[out.length - 1] = { ...last, text: last.text + s.text };
    } else out.push(s);
  }
  return out;
}

// The segments after characters [start, end) were replaced by `inserted`: whatever a person
// types is theirs, so it becomes user text even in the middle of a completion.
function edited(segments, start, end, inserted) {
  const out = [];
  let pos = 0;
  let placed = false;
  for (const s of segments) {
    const a = pos;
    const len = s.text.length;
    pos += len;
    const before = s.text.slice(0, Math.max(0, Math.min(len, start - a)));
    const after = s.text.slice(Math.max(0, Math.min(len, end - a)));
    if (before.length === len) { out.push(s); continue; }
    if (before) out.push({ text: before, kind: s.kind, run: s.run || null });
    if (!placed) { placed = true; if (inserted) out.push({ text: inserted, kind: "user", run: null }); }
    if (after) out.push(after.length === len ? s : { text: after, kind: s.kind, run: s.run || null });
  }
  if (!placed && inserted) out.push({ text: inserted, kind: "user", run: null });
  return merged(out);
}

class Editor {
  constructor() {
    this.root = el("div", "cp-doc");
    this.box = el("div", "cp-editor");
    this.box.setAttribute("role", "textbox");
    this.box.setAttribute("aria-multiline", "true");
    this.box.setAttribute("spellcheck", "false");
    this.box.setAttribute("tabindex", "0");
    this.box.dataset.testid = "document";
    this.pop = el("div", "cp-pop");
    this.pop.setAttribute("role", "dialog");
    this.pop.setAttribute("tabindex", "-1");  // a click on its text keeps the focus inside
    this.pop.hidden = true;
    this.root.append(this.box, this.pop);
    this.segments = [];
    this.rev = null;
    this.ver = null;     // which drawing of the document the segments are (see editor.py)
    this.hidden = 0;     // characters before the segments that a huge document leaves out
    this.first = 0;      // the index in the whole document of the first segment held
    this.undo = [];
    this.redo = [];
    this.lastEdit = 0;
    this.seq = 0;
    this.timer = null;
    this.api = null;
    this.labels = {};
    this.locked = false;
    this.probabilities = false;
    this.suffix = "";
    this.live = null;
    this.follow = true;
    this.scrollTop = 0;
    this.wantFocus = false;
    this.fitted = false;
    this.told = {};
    this.listen();
  }

  // Python → browser ------------------------------------------------------------------------
  update(data) {
    this.labels = data.labels || {};
    this.liveWindow = data.live_window || 64000;
    // Compare leaves more room under the document: the columns' tops stay in the window.
    this.room = data.room_rem || STATUS_ROOM_REM;
    this.box.setAttribute("aria-label", this.labels.document || "");
    this.box.dataset.placeholder = data.placeholder || "";
    this.box.setAttribute("aria-placeholder", data.placeholder || "");
    const doc = data.doc || { rev: null, ver: null, segments: [] };
    const probabilities = !!data.probabilities;
    const suffix = data.suffix || "";
    const live = data.live || null;
    const changed = doc.rev !== this.rev;
    const fresh = !!doc.segments && doc.ver !== this.ver;
    if (fresh) {
      if (changed) {
        clearTimeout(this.timer);
        this.timer = null;
        if (this.rev !== null && !same(this.segments, doc.segments)) this.remember();
      }
      // Or the same revision with other segments: its tokens now, or all of a huge one.
      this.segments = doc.segments;
      this.rev = doc.rev;
      this.ver = doc.ver;
      this.hidden = doc.hidden || 0;
      this.first = doc.first || 0;
    }
    if (doc.segments) {
      if (doc.ack) this.tell("has", doc.ver);
    } else if (doc.ver !== this.ver) {
      // Python took this editor for one that holds its document, and it does not (its data
      // went by unseen): saying what it holds brings the segments with the next drawing.
      this.tell("has", this.ver);
    }
    const redraw = fresh || probabilities !== this.probabilities || suffix !== this.suffix
      || (!live && this.live);
    this.probabilities = probabilities;
    this.suffix = suffix;
    this.setLocked(!!live || probabilities || this.hidden > 0);
    if (redraw) {
      this.live = null;
      this.render();
    }
    if (live) this.stream(live);
    if (live && live.feed) this.watchFeed(live);
    else this.stopFeed();
    // While a run streams the document keeps its size: frames must not move the page.
    if (!live || !this.fitted) this.fit();
    this.restoreScroll();
    if (!live && this.wantFocus && changed) {
      this.wantFocus = false;
      this.box.focus();
      this.caret(textOf(this.segments).length);
    }
  }

  // A state value for Python, sent once per value (each one reruns the editor's fragment).
  // None goes while another page is on its way (page_change.js): the new page's mount tells.
  tell(name, value) {
    if (!this.api || this.told[name] === value || pageChanging()) return;
    this.told[name] = value;
    this.api.setStateValue(name, value);
  }

  setLocked(locked) {
    this.locked = locked;
    this.box.setAttribute("contenteditable", locked ? "false" : "plaintext-only");
    this.box.setAttribute("aria-readonly", locked ? "true" : "false");
    this.root.classList.toggle("cp-locked", locked);
  }

  // Drawing ---------------------------------------------------------------------------------
  // The document takes the window's height below its top (scrolling does not change that),
  // leaving room for the run's status line under it, as writing tools do.
  fit() {
    if (!this.box.isConnected) return;
    this.watchPage();
    // Where its top is with nothing scrolled (the window's scroll is the root element's).
    let top = this.root.getBoundingClientRect().top;
    for (let e = this.root.parentNode; e; e = e.parentNode || e.host) top += e.scrollTop || 0;
    const unit = rem();
    const height = Math.max(MIN_HEIGHT_REM * unit, window.innerHeight - top - (this.room || STATUS_ROOM_REM) * unit);
    this.box.style.height = `${Math.floor(height)}px`;
    this.fitted = true;
  }

  // What is above the document can change size after it was fitted (the page's own CSS comes
  // late, notes come and go): the page's main block changes size with it, so fit again then.
  watchPage() {
    if (this.pageWatch) return;
    let node = this.root;
    while (node && !(node.dataset && node.dataset.testid === "stMainBlockContainer")) {
      node = node.parentNode || node.host;
    }
    if (!node) return;
    this.pageWatch = new ResizeObserver(() => { if (!this.live) this.fit(); });
    this.pageWatch.observe(node, { box: "border-box" });
  }

  render() {
    this.closePop();
    const box = this.box;
    box.textContent = "";
    if (this.hidden) box.append(this.elided(this.labels.hidden, this.hidden));
    let first = true;
    this.segments.forEach((s, i) => {
      if (s.kind !== "model") { appendText(box, s.text); return; }
      const span = el("span", s.picked ? "cp-model cp-picked" : "cp-model");
      if (this.probabilities && Array.isArray(s.tokens)) {
        s.tokens.forEach((t, j) => {
          const tok = el("span", "cp-tok");
          appendText(tok, t[0]);
          tok.dataset.seg = String(this.first + i);  // its index in the whole document
          tok.dataset.tok = String(j);
          tok.style.background = shade(t[1]);
          if (t[1] != null && t[1] < UNLIKELY) tok.classList.add("cp-unlikely");
          tok.setAttribute("role", "button");
          tok.setAttribute("tabindex", first ? "0" : "-1");
          tok.setAttribute("aria-label", `${visible(t[0])} ${percent(t[1], this.labels)}`);
          tok.setAttribute("aria-haspopup", "dialog");
          first = false;
          span.append(tok);
        });
      } else {
        appendText(span, s.text);
      }
      box.append(span);
    });
    if (this.suffix) {
      const tail = el("span", "cp-suffix");
      appendText(tail, this.suffix);
      tail.setAttribute("contenteditable", "false");
      tail.title = this.labels.suffix || "";
      box.append(tail);
    }
  }

  // A marker for characters left out, not part of the text (never read back or sent).
  elided(label, count) {
    const mark = el("span", "cp-elided", (label || "… {count}").replace("{count}", count.toLocaleString()));
    mark.setAttribute("contenteditable", "false");
    return mark;
  }

  // The run's feed (lib/run/feed.py): between frames, the text comes from there as it grows,
  // and frames only check that it keeps coming. A feed that fails, or stalls while frames show
  // the text growing (a proxy holding the response back), is dropped and the server told:
  // frames carry the text at their full rate again.
  watchFeed(live) {
    const feed = this.feed;
    if (!feed || feed.url !== live.feed) {
      this.stopFeed();
      this.readFeed(live);
    } else if (!feed.done && live.total > feed.total) {
      if (feed.behind === feed.total) this.loseFeed();  // two frames, and nothing came between
      else feed.behind = feed.total;
    } else {
      feed.behind = null;
    }
  }

  async readFeed(live) {
    const controller = new AbortController();
    const feed = { url: live.feed, run: live.run, total: 0, behind: null, done: false, controller };
    this.feed = feed;
    const from = this.live && this.live.run === live.run ? this.live.length : 0;
    try {
      const response = await fetch(`${live.feed}?from=${from}`, {
        cache: "no-store", credentials: "same-origin", signal: controller.signal });
      if (!response.ok || !response.body) throw new Error(`feed: ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const lines = (rest + value).split("\n");
        rest = lines.pop();
        for (const line of lines) {
          const part = JSON.parse(line);
          if (part.end) {
            feed.done = true;
            if (this.feed === feed && !pageChanging()) this.api.setTriggerValue("fed_end", feed.run);
            return;
          }
          feed.total = part.total;
          if (this.feed === feed && this.live && this.live.run === feed.run) {
            this.stream({ run: feed.run, offset: part.offset, text: part.text, total: part.total });
          }
        }
      }
      throw new Error("feed: closed before the run ended");
    } catch (e) {
      if (this.feed === feed && !controller.signal.aborted) this.loseFeed();
    }
  }

  loseFeed() {
    const feed = this.feed;
    feed.done = true;
    feed.controller.abort();
    this.tell("feed", `${feed.run}:lost`);
  }

  stopFeed() {
    if (this.feed && !this.feed.done) this.feed.controller.abort();
    this.feed = null;
  }

  stream(live) {
    if (!this.live || this.live.run !== live.run) {
      const before = this.box.querySelector(".cp-suffix");
      const start = document.createDocumentFragment();
      appendText(start, live.start || "");
      const span = el("span", "cp-model cp-live");
      this.box.insertBefore(start, before);
      this.box.insertBefore(span, before);
      this.live = { run: live.run, span, length: 0, dropped: 0, mark: null };
      this.follow = true;
    }
    const shown = this.live;
    const text = live.text || "";
    const offset = live.offset || 0;
    const end = offset + text.length;
    // A frame carries the completion from `offset`: what is new plus a margin for frames the
    // browser skipped. Text only grows while a run streams, so append what is new, as a node
    // of its own (the browser then lays out only the new words).
    if (offset <= shown.length) {
      if (end > shown.length) appendText(shown.span, text.slice(shown.length - offset));
      shown.length = Math.max(shown.length, end);
      shown.waited = 0;
    } else if (offset - shown.length > CATCH_UP_CHARS) {
      // So far behind (a browser that cannot keep up with the stream) that catching up would
      // only make it slower: start again from here; the marker says what is left out.
      shown.span.textContent = "";
      appendText(shown.span, text);
      shown.length = end;
      shown.dropped = offset;
      shown.waited = 0;
    } else if (!shown.waited || shown.waited++ > 3) {
      // The frames that carried what lies between went by unseen: keep the text whole, and
      // ask for the frames to start where it ends (again, should the answer go by unseen too).
      this.gaps = (this.gaps || 0) + 1;
      shown.waited = 1;
      this.tell("live_from", `${live.run}.${shown.length}.${this.gaps}`);
    }
    shown.span.dataset.chars = String(live.total || shown.length);
    this.keepEnd(shown);
    if (this.follow) this.box.scrollTop = this.box.scrollHeight;
  }

  // A long completion keeps only its end on the page while it streams (the document shows
  // more of it once it ended): the browser lays out the text a frame lands in, so a frame then
  // costs the same at a million characters as at twenty thousand.
  keepEnd(shown) {
    const held = shown.length - shown.dropped;
    if (held > this.liveWindow * 1.25) {
      let drop = held - this.liveWindow;
      const span = shown.span;
      while (drop > 0 && span.firstChild) {
        const node = span.firstChild;
        const length = node.textContent.length;
        if (length <= drop || node.nodeType !== Node.TEXT_NODE) {
          node.remove();
        } else {
          node.deleteData(0, drop);
        }
        shown.dropped += Math.min(length, drop);
        drop -= length;
      }
    }
    if (!shown.dropped) return;
    if (!shown.mark) {
      shown.mark = this.elided(this.labels.hidden_live, 0);
      shown.span.before(shown.mark);
    }
    shown.mark.textContent = (this.labels.hidden_live || "… {count}").replace(
      "{count}", shown.dropped.toLocaleString());
  }

  restoreScroll() {
    if (this.live && this.follow) this.box.scrollTop = this.box.scrollHeight;
    else if (this.box.scrollTop !== this.scrollTop) this.box.scrollTop = this.scrollTop;
  }

  // Reading what the person typed ------------------------------------------------------------
  domText() {
    let out = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.data;
        else if (child.nodeName === "BR") out += "\n";
        else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.classList.contains("cp-suffix") || child.classList.contains("cp-elided")) continue;
          if ((child.nodeName === "DIV" || child.nodeName === "P") && out) out += "\n";
          walk(child);
        }
      }
    };
    walk(this.box);
    return out;
  }

  absorb() {
    const now = this.domText();
    const old = textOf(this.segments);
    if (now === old) return;
    let p = 0;
    const max = Math.min(now.length, old.length);
    while (p < max && now[p] === old[p]) p++;
    let s = 0;
    while (s < max - p && now[now.length - 1 - s] === old[old.length - 1 - s]) s++;
    const inserted = now.slice(p, now.length - s);
    this.segments = edited(this.segments, p, old.length - s, inserted);
    this.render();
    this.caret(p + inserted.length);
    this.schedule();
  }

  caret(position) {
    const walker = document.createTreeWalker(this.box, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentNode.closest && n.parentNode.closest(".cp-suffix, .cp-elided")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let left = position;
    let node = walker.nextNode();
    let last = null;
    while (node) {
      if (left <= node.data.length) break;
      left -= node.data.length;
      last = node;
      node = walker.nextNode();
    }
    const range = document.createRange();
    const at = node || last;
    const offset = node ? left : last && last.data.length;
    const mark = at && at.parentNode.classList.contains("cp-bidi") ? at.parentNode : null;
    // Never inside a bidi mark: it is not editable, so what is typed there would be lost.
    if (mark) offset ? range.setStartAfter(mark) : range.setStartBefore(mark);
    else if (at) range.setStart(at, offset);
    else range.setStart(this.box, 0);
    range.collapse(true);
    const sel = this.box.getRootNode().getSelection ? this.box.getRootNode().getSelection()
      : window.getSelection();
    (sel || window.getSelection()).removeAllRanges();
    (sel || window.getSelection()).addRange(range);
  }

  // Browser → Python ------------------------------------------------------------------------
  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.commit(), COMMIT_MS);
  }

  commit() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.api || pageChanging()) return;
    this.seq += 1;
    this.api.setStateValue("doc", { base: this.rev, seq: this.seq, segments: plain(this.segments) });
  }

  send(trigger, extra) {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.api || pageChanging()) return;
    this.seq += 1;
    // A huge document is only partly here (and read-only): Python sends the one it holds.
    const doc = this.hidden ? { windowed: true } : { segments: plain(this.segments) };
    this.api.setTriggerValue(trigger, { base: this.rev, seq: this.seq, ...doc, ...extra });
  }

  // Undo: our own steps, because the browser's cannot follow text that Python put there.
  remember() {
    this.undo.push(this.segments);
    if (this.undo.length > UNDO_LIMIT) this.undo.shift();
    this.redo = [];
  }

  step(from, to) {
    if (!from.length) return;
    to.push(this.segments);
    this.segments = from.pop();
    this.lastEdit = 0;
    this.render();
    this.box.focus();
    this.caret(textOf(this.segments).length);
    this.commit();
  }

  listen() {
    const box = this.box;
    box.addEventListener("beforeinput", (e) => {
      if (this.locked) { e.preventDefault(); return; }
      if (e.inputType === "historyUndo") { e.preventDefault(); this.step(this.undo, this.redo); return; }
      if (e.inputType === "historyRedo") { e.preventDefault(); this.step(this.redo, this.undo); return; }
      const now = Date.now();
      if (now - this.lastEdit > COALESCE_MS) this.remember();
      this.lastEdit = now;
    });
    box.addEventListener("input", (e) => { if (!e.isComposing) this.absorb(); });
    box.addEventListener("compositionend", () => this.absorb());
    box.addEventListener("blur", () => { if (this.timer) this.commit(); });
    box.addEventListener("scroll", () => {
      this.scrollTop = box.scrollTop;
      if (this.live) this.follow = box.scrollTop + box.clientHeight >= box.scrollHeight - 24;
    });
    box.addEventListener("keydown", (e) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === "Enter") {
        // Ours, not the page's Submit shortcut: the document goes with it, exactly as shown.
        e.preventDefault();
        e.stopPropagation();
        if (this.live) return;
        this.wantFocus = true;
        this.send("submit", {});
        return;
      }
      if (mod && !e.altKey && (e.key === "z" || e.key === "Z" || e.key === "y")) {
        if (this.locked) return;
        e.preventDefault();
        const redo = e.key === "y" || e.shiftKey;
        this.step(redo ? this.redo : this.undo, redo ? this.undo : this.redo);
        return;
      }
      const tok = e.target.closest && e.target.closest(".cp-tok");
      if (!tok) return;
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.openPop(tok); }
      else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        const all = [...box.querySelectorAll(".cp-tok")];
        const next = all[all.indexOf(tok) + (e.key === "ArrowRight" ? 1 : -1)];
        if (next) { tok.setAttribute("tabindex", "-1"); next.setAttribute("tabindex", "0"); next.focus(); }
      }
    });
    box.addEventListener("click", (e) => {
      const tok = e.target.closest && e.target.closest(".cp-tok");
      if (tok) this.openPop(tok);
    });
    this.pop.addEventListener("keydown", (e) => {
      const items = [...this.pop.querySelectorAll("button:not([disabled])")];
      const at = items.indexOf(e.target);
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        this.closePop(true);
      } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && items.length) {
        e.preventDefault();
        items[(at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length].focus();
      }
    });
    document.addEventListener("mousedown", (e) => {
      if (this.pop.hidden) return;
      const path = e.composedPath ? e.composedPath() : [];
      if (!path.includes(this.pop) && !path.some((n) => n.classList && n.classList.contains("cp-tok"))) {
        this.closePop();
      }
    });
    // The popover belongs to its token: once the focus goes elsewhere it closes, and Esc
    // closes it wherever the focus is.
    this.pop.addEventListener("focusout", (e) => {
      const to = e.relatedTarget;
      if (this.pop.hidden || (to && (this.pop.contains(to) || to === this.popFor))) return;
      this.closePop();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || this.pop.hidden) return;
      e.preventDefault();
      this.closePop();
    });
    window.addEventListener("resize", () => { if (!this.live) this.fit(); });
  }

  // Probabilities popover -------------------------------------------------------------------
  openPop(tok) {
    const i = Number(tok.dataset.seg);
    const j = Number(tok.dataset.tok);
    const token = ((this.segments[i - this.first] || {}).tokens || [])[j];
    if (!token) return;
    const L = this.labels;
    const pop = this.pop;
    pop.textContent = "";
    pop.setAttribute("aria-label", L.alternatives || "");
    const head = el("div", "cp-pop-head");
    head.append(el("span", "cp-pop-token", visible(token[0])), el("span", "cp-pop-p", percent(token[1], L)));
    pop.append(head);
    const alternatives = token[2] || [];
    if (!alternatives.length) pop.append(el("div", "cp-pop-note", L.no_alternatives || ""));
    else {
      pop.append(el("div", "cp-pop-note", L.alternatives || ""));
      const list = el("div", "cp-pop-list");
      for (const [text, p] of alternatives) {
        const item = el("button", "cp-alt");
        item.type = "button";
        item.append(el("span", "cp-alt-text", visible(text)), el("span", "cp-alt-p", percent(p, L)));
        if (text === token[0]) {
          item.disabled = true;
          item.classList.add("cp-chosen");
          item.title = L.chosen || "";
        } else {
          item.title = L.branch_hint || "";
          item.addEventListener("click", () => {
            this.closePop();
            this.send("branch", { seg: i, tok: j, alt: text });
          });
        }
        list.append(item);
      }
      pop.append(list);
      pop.append(el("div", "cp-pop-hint", L.branch_hint || ""));
    }
    this.popFor = tok;
    pop.hidden = false;
    this.placePop(tok);
    const first = pop.querySelector("button:not([disabled])");
    if (first) first.focus();
    else pop.focus();
  }

  // Under the token, or above it when there is no room below, and always inside the part of
  // the document on screen: never over the status line under the document.
  placePop(tok) {
    const pop = this.pop;
    const root = this.root.getBoundingClientRect();
    const box = this.box.getBoundingClientRect();
    const r = tok.getBoundingClientRect();
    const gap = 4;
    const top = Math.max(box.top, 0) + gap;
    const bottom = Math.min(box.bottom, window.innerHeight) - gap;
    pop.style.maxHeight = `${Math.max(0, bottom - top)}px`;
    const height = pop.offsetHeight;
    let y = r.bottom + gap;
    if (y + height > bottom) y = r.top - gap - height;
    if (y < top) y = Math.max(top, Math.min(r.bottom + gap, bottom - height));
    pop.style.left = `${Math.max(0, Math.min(r.left - root.left, root.width - pop.offsetWidth))}px`;
    pop.style.top = `${y - root.top}px`;
  }

  closePop(refocus) {
    if (this.pop.hidden) return;
    this.pop.hidden = true;
    const tok = this.popFor;
    this.popFor = null;
    if (refocus && tok && tok.isConnected) tok.focus();
  }
}

// The newest mount holds the editor (an older mount taken down later must not take it along).
function attach() {
  const parent = REGISTRY.parent;
  const root = REGISTRY.editor && REGISTRY.editor.root;
  if (root && parent && parent.isConnected && root.parentNode !== parent) parent.append(root);
}

export default function ({ data: given, parentElement, setStateValue, setTriggerValue }) {
  const data = given[0];  // component_data.py: the data inside a one-item list
  const editor = (REGISTRY.editor ||= new Editor());
  editor.api = { setStateValue, setTriggerValue };
  if (REGISTRY.parent !== parentElement) {
    REGISTRY.parent = parentElement;
    REGISTRY.mounts += 1;
    editor.told = {};  // a new mount's state starts empty: tell it again
  }
  attach();
  editor.update(data);
  return () => setTimeout(attach, 0);
}
