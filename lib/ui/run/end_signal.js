// Tells the server, once per run, that a streaming frame showed the run's end; see end_signal.py.
// The ids it has told live in the window, so a later drawing of the same run stays quiet.
const TOLD = (window.__completionsPlaygroundRunEnd ||= {});

export default function ({ data, setTriggerValue }) {
  const run = data.ended;
  if (!run || TOLD[run] || pageChanging()) return;
  TOLD[run] = Date.now();
  setTriggerValue("ended", run);
}
