// Keeps one JSON value in localStorage (connection, prices, totals, presets); see kept_store.py
// and connection_store.py. It only writes: storage_reader.js reads every store at once.
const KEY = __STORAGE_KEY__;  // filled in by storage_component (browser_storage.py)

export default function ({ data: given }) {
  const data = given && given[0];  // component_data.py: the data inside a one-item list
  // Python sends no value until the browser's answer was taken: a new session never
  // overwrites what this browser kept.
  if (!data || data.value === undefined || data.value === null) return;
  const text = JSON.stringify(data.value);
  try {
    const s = window.localStorage;
    if (s.getItem(KEY) !== text) s.setItem(KEY, text);
  } catch (e) { /* unavailable or full: not kept */ }
}
