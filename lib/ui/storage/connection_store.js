// Keeps the Connection section in localStorage; see connection_store.py.
const KEY = __STORAGE_KEY__;  // filled in by connection_store.py
let session = null;

function storage() {
  try { const s = window.localStorage; s.getItem(KEY); return s; } catch (e) { return null; }
}

export default function ({ data, setTriggerValue }) {
  const s = storage();
  if (data.session !== session) {
    // A new Python session: hand it what this browser remembered (nothing is written before).
    session = data.session;
    setTriggerValue("loaded", s ? s.getItem(KEY) || "{}" : "{}");
    return;
  }
  if (!s || !data.record) return;
  const text = JSON.stringify(data.record);
  try { if (s.getItem(KEY) !== text) s.setItem(KEY, text); } catch (e) { /* full: not kept */ }
}
