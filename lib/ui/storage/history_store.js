// Mirrors the playground's history into localStorage; see history_store.py.
const KEY = __STORAGE_KEY__;  // filled in by history_store.py
const LIVE = "completions-playground.live-run";  // run_snapshot.js: this tab's streaming run
let session = null;   // the Python session these numbers belong to
let applied = 0;

function storage() {
  try { const s = window.localStorage; s.getItem(KEY); return s; } catch (e) { return null; }
}

function stored(s) {
  try { const v = JSON.parse(s.getItem(KEY) || "[]"); return Array.isArray(v) ? v : []; }
  catch (e) { return []; }
}

export default function ({ data: given, setStateValue }) {
  if (pageChanging()) return;  // page_change.js: the new page's drawing writes and tells
  const data = given[0];  // component_data.py: the data inside a one-item list
  const s = storage();
  if (!s) { setStateValue("status", "unavailable"); return; }
  if (data.session !== session) {
    // A new Python session (first render, or a reconnect): its changes are numbered anew.
    // What the browser kept reaches it through storage_reader.js.
    session = data.session;
    applied = 0;
  }
  const fresh = (data.ops || []).filter((op) => op.seq > applied);
  if (!fresh.length) return;
  let entries = stored(s);
  for (const op of fresh) {
    if (op.op === "clear") entries = [];
    else if (op.op === "delete") entries = entries.filter((e) => e.id !== op.id);
    else if (op.op === "put") {
      entries = entries.filter((e) => e.id !== op.entry.id);
      entries.push(op.entry);
      try {  // the run's own end is stored: it was not lost
        if (window.sessionStorage.getItem(LIVE) === op.entry.id) window.sessionStorage.removeItem(LIVE);
      } catch (e) { /* no sessionStorage: nothing was named */ }
    }
  }
  entries.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  if (entries.length > data.limit) entries = entries.slice(entries.length - data.limit);
  let dropped = 0;
  let status = "ok";
  for (;;) {
    try { s.setItem(KEY, JSON.stringify(entries)); break; }
    catch (e) {
      // Quota exceeded: keep as many of the newest entries as fit.
      if (!entries.length) { status = "full"; break; }
      entries.shift();
      dropped += 1;
    }
  }
  applied = fresh[fresh.length - 1].seq;
  setStateValue("ack", applied);
  setStateValue("status", status === "ok" && dropped ? "trimmed" : status);
}
