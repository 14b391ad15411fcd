// Keeps the run streaming on this page in the browser's history as it would be if its server
// went away now: stopped, interrupted, with what had arrived. See run_snapshot.py.
const KEY = __STORAGE_KEY__;  // the history's key (history_store.py)
const LIVE = "completions-playground.live-run";  // sessionStorage: this tab's streaming run

function interrupted(e) { return !!(e && e.stats && e.stats.stopped_by === "interrupted"); }

export default function ({ data: given }) {
  const data = given && given[0];  // component_data.py: the data inside a one-item list
  const entry = data && data.entry;
  if (!entry) return;
  try {
    const s = window.localStorage;
    let entries = JSON.parse(s.getItem(KEY) || "[]");
    if (!Array.isArray(entries)) entries = [];
    const old = entries.find((e) => e.id === entry.id);
    if (old && !interrupted(old)) return;  // the run's own end was stored: it wins
    entries = entries.filter((e) => e.id !== entry.id);
    entries.push(entry);
    entries.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    if (entries.length > data.limit) entries = entries.slice(entries.length - data.limit);
    s.setItem(KEY, JSON.stringify(entries));
    window.sessionStorage.setItem(LIVE, entry.id);
  } catch (e) {
    // Storage refused or full: the history's own mirror tells the page.
  }
}
