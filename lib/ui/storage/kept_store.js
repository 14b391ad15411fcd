// Keeps one JSON value in localStorage (connection, prices, totals, presets); see kept_store.py
// and connection_store.py.
const KEY = __STORAGE_KEY__;  // filled in by storage_component (browser_storage.py)
let session = null;

function storage() {
  try { const s = window.localStorage; s.getItem(KEY); return s; } catch (e) { return null; }
}

export default function ({ data, setTriggerValue }) {
  const s = storage();
  if (data.session !== session) {
    // A new Python session: hand it what this browser kept ("null": nothing yet).
    session = data.session;
    setTriggerValue("loaded", s ? s.getItem(KEY) || "null" : "null");
    return;
  }
  if (!s || data.value === undefined || data.value === null) return;
  const text = JSON.stringify(data.value);
  try { if (s.getItem(KEY) !== text) s.setItem(KEY, text); } catch (e) { /* full: not kept */ }
}
