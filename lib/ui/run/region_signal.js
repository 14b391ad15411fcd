// Tells the server a streaming frame's request once; see region_signal.py.
// The requests it has told live in the window, so a later drawing of the same one stays quiet.
const TOLD = (window.__completionsPlaygroundRegionSignal ||= {});

export default function ({ data, setTriggerValue }) {
  const request = data.request;
  if (!request || TOLD[request] || pageChanging()) return;
  TOLD[request] = Date.now();
  setTriggerValue("asked", request);
}
