// Put before the script of every component that sends values (lib/ui/components.py).
//
// From a click on a page link until the browser's address shows the new page, the old page
// is still on screen and Streamlit still sends a value with the old page's id, although the
// request for the new page went first. The server then runs the old page's fragment after
// starting the new page, and the browser, given a page it no longer shows, breaks ("Cannot set
// a node at a delta path": a blank page). Streamlit stops its own timers at that click; a
// component drawn in that time sends nothing and keeps nothing of what it would have sent, so
// its drawing on the new page sends it.
const PAGE_CHANGE = (window.__completionsPlaygroundPageChange ||= (() => {
  const change = { from: null, at: 0 };
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[data-testid$='NavLink']");
    if (!link || !link.href) return;
    const to = new URL(link.href, window.location.href).pathname;
    if (to === window.location.pathname) return;
    change.from = window.location.pathname;
    change.at = Date.now();
  }, true);  // capture: before Streamlit's own handler asks for the new page
  return change;
})());
// A page change that never came (the server went away) stops holding values back.
const PAGE_CHANGE_LIMIT_MS = 10000;
// Elements drawn by a page that was left: quiet for good. Streamlit may call the script of
// such an element after the new page arrived (its first call waits for the script to load),
// and would send its value with the old page's fragment, which the server drops.
const LEFT_BEHIND = new WeakSet();

// The page the address shows, out of `pages` (url paths; the default page's is "").
function shownPage(pages) {
  const path = window.location.pathname.replace(/\/+$/, "");
  return pages.find((page) => page && path.endsWith(`/${page}`)) || "";
}

// Whether a value must not be sent now. For a component that each page draws as an element of
// its own (its key names the page): `element`, its parentElement, and `drawnOn`, the
// {page, pages} it was drawn on.
function pageChanging(element, drawnOn) {
  if (element && LEFT_BEHIND.has(element)) return true;
  if (element && drawnOn && shownPage(drawnOn.pages) !== drawnOn.page) {
    LEFT_BEHIND.add(element);
    return true;
  }
  const change = PAGE_CHANGE;
  if (change.from === null) return false;
  if (window.location.pathname === change.from && Date.now() - change.at < PAGE_CHANGE_LIMIT_MS) {
    if (element) LEFT_BEHIND.add(element);
    return true;
  }
  change.from = null;
  return false;
}

