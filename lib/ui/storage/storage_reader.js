// Reads everything this app keeps in the browser at once, once per Python session; see
// browser_storage.py. One answer for every store: answers from several components arrive in
// one batch of widget updates that Streamlit can only tie to one of their fragments.
const PREFIX = "completions-playground.";
const LIVE = "completions-playground.live-run";  // sessionStorage: this tab's streaming run
// The Python session each reader element answered. Per element, not per window: an answer
// can be lost to a page change, and the next page's reader answers until Python has one.
const ANSWERED = new WeakMap();

function kept() {
  const found = {};
  try {
    const s = window.localStorage;
    for (let i = 0; i < s.length; i += 1) {
      const key = s.key(i);
      if (key && key.startsWith(PREFIX)) found[key] = s.getItem(key);
    }
  } catch (e) { return null; }  // no localStorage: nothing was kept, nothing will be
  return found;
}

export default function ({ data: given, parentElement, setTriggerValue }) {
  const data = given[0];  // component_data.py: the data inside a one-item list
  if (data.taken || ANSWERED.get(parentElement) === data.session) return;
  // Each page has a reader of its own (browser_storage.py): one the last page drew stays quiet.
  if (pageChanging(parentElement, data)) return;
  ANSWERED.set(parentElement, data.session);  // a new Python session: a first render, a reconnect
  let live = null;
  try { live = window.sessionStorage.getItem(LIVE); } catch (e) { live = null; }
  setTriggerValue("loaded", JSON.stringify({ kept: kept(), live }));
}
