// Reads everything this app keeps in the browser at once, once per Python session; see
// browser_storage.py. One answer for every store: answers from several components arrive in
// one batch of widget updates that Streamlit can only tie to one of their fragments.
const PREFIX = "completions-playground.";
const LIVE = "completions-playground.live-run";  // sessionStorage: this tab's streaming run
let session = null;

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

export default function ({ data, setTriggerValue }) {
  if (data.session === session) return;
  session = data.session;  // a new Python session (first render, or a reconnect)
  let live = null;
  try { live = window.sessionStorage.getItem(LIVE); } catch (e) { live = null; }
  setTriggerValue("loaded", JSON.stringify({ kept: kept(), live }));
}
