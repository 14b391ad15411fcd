"""Every `st.session_state` key the app uses, named once.

Request widgets are keyed by their request field's name (`temperature`, `stop`, …; see
lib/request/fields.py), so a field can be followed by one name from widget to body to export.
Everything else a page keeps in the session is listed here. Keys that start with "_" are the
app's own bookkeeping; the others belong to a widget of the same key.
"""

# -- fragments (a namespace of their own: `st.rerun(scope=...)` names them) -------------------
LIVE = "live"  # the playground's live region: toolbar, document, cards, status, details
HISTORY_MIRROR = "history_mirror"  # the history's localStorage mirror (every page)
SIDEBAR = "sidebar"  # the playground's sidebar: the Connection section and the request form
RUNNING_TOTAL = "running_total"  # the sidebar's running total of costs (redrawn at a run's end)
STORAGE_READER = "storage_reader"  # reads everything the browser keeps, once per session

# -- the browser's storage (lib/ui/storage/browser_storage.py) -----------------------------
STORAGE_SESSION = "_storage_session"  # this session's id, told to the reader
STORAGE_ANSWER = "_storage_answer"  # what the browser kept, once it said
STORAGE_TAKERS = "_storage_takers"  # per storage key: what takes the answer on this page

# -- runs -------------------------------------------------------------------------------------
RUN = "_run"  # the current Run (lib/run/model.py), with its worker
RUN_ON_END = "_run_on_end"  # called with the current run when it ends (the document's part)
LIVE_FRAMES = "_live_frames"  # what the live region's last frame carried, per run
RUN_SNAPSHOT = "_run_snapshot"  # when the streaming run was last kept in the browser's history
INTERRUPTED_RUN = "_interrupted_run"  # a run this tab had streaming on a server that went away
RUN_END = "run_end"  # component: tells the server once per run that a frame showed its end
RUN_RETIME = "run_retime"  # component: asks for the ticker again with a new frame length
TICKER_SECONDS = "_ticker_seconds"  # the ticker's frame length; since when a shorter one is due
LIVE_CARDS = "live_cards"  # component: a streaming run's cards
ACTION = "_action"  # "submit", "regenerate" or "branch", queued for this script run
RENDER_MARKDOWN = "render_markdown"  # widget: show the document (and cards) as Markdown

# -- compare (lib/ui/compare/) ----------------------------------------------------------------
COMPARE_ON = "compare_on"  # widget: the result area is a comparison's columns
COMPARE_COLUMNS = "_compare_columns"  # the columns (lib/compare/columns.Column), in order
COMPARE = "_compare"  # the comparison sent last: its group, runs, connection names
COMPARE_NOTES = "_compare_notes"  # why a column uses another connection than it names
COMPARE_CONN = "compare_conn_"  # widget key prefix + column number: the column's connection
COMPARE_MODEL = "compare_model_"  # widget key prefix + column number: the column's model
COMPARE_FIELD = "compare_field_"  # widget key prefix + column number: a field to override
COMPARE_VALUE = "compare_value_"  # widget key prefix + column number: the override's value
COMPARE_LEFT = "compare_left"  # widget: the diff's left column
COMPARE_RIGHT = "compare_right"  # widget: the diff's right column
COMPARE_DIFF = "_compare_diff"  # the diff drawn last: which columns of which comparison, and it

# -- the document (lib/ui/document/) -----------------------------------------------------
DOCUMENT = "_document"  # the segments, their revision, and the prompt text last written
DOCUMENT_RUN = "_document_run"  # the run writing into the document, and which choice it shows
DOCUMENT_EDITOR = "document_editor"  # the editor component's state and triggers
DOCUMENT_DOWNLOAD = "document_download"  # widget: the whole document of a windowed one
DOCUMENT_SHOW_ALL = "document_show_all"  # widget: load the whole of a windowed document
SHOW_PROBABILITIES = "show_probabilities"  # widget: shade the document's tokens

# -- playground buttons (widgets) -------------------------------------------------------------
SUBMIT = "btn_submit"
STOP = "btn_stop"
REGENERATE = "btn_regenerate"
UNDO = "btn_undo"
STOP_SUGGESTION = "_stop_suggestion"  # widget: the stop-sequence chips

# -- sections drawn only while open (widgets: open or not; their fields keep their values) -----
SHARE_MENU = "share_menu"  # the Share · Export · Import · Code menu
ADVANCED_SECTION = "advanced_section"  # the request form's Advanced fields
SERVER_SAMPLERS_SECTION = "server_samplers_section"  # the server's own samplers
INJECT_SECTION = "inject_section"  # Start text / Restart text
PRESETS_SECTION = "presets_section"  # the sidebar's Presets
RUN_DETAILS = "run_details"  # a finished run's stats and raw JSON

# -- connection ------------------------------------------------------------------------------
BASE_URL = "base_url"  # widget
API_KEY = "api_key"  # widget, type=password; never leaves this session
MODELS = "_models"  # ids from /v1/models, with the base URL they came from
CONNECTION_EDITED = "_connection_edited"  # keeps the Connection section open while filled in
CONNECTION_KIND = "connection_kind"  # widget: "local" (the embedded model) or "server"
REMEMBER_KEY = "remember_key"  # widget: keep the typed key in this browser's localStorage
SAVED_CONNECTIONS = "_saved_connections"  # named connections: name, base_url, optional key
SAVED_PICK = "saved_connection"  # widget: the saved connection to switch to
SAVE_NAME = "save_connection_name"  # widget: name for "Save connection"
CONNECTION_STORE_SESSION = "_connection_store_session"
CONNECTION_RESTORED = "_connection_restored"  # the browser's stored connection was read back
CONNECTION_ECHO = "_connection_echo"  # what a restore replaced: a late echo of it is no change
CONNECTION_TO_SHOW = "_connection_to_show"  # what a restore set, until the sidebar shows it
GET_STARTED_SHOWN = "_get_started_shown"  # the page shows how to get a first answer
CONFIRM_REPLACE = "_confirm_replace_connection"  # the saved name "Save connection" would replace
SERVER_MODEL = "_server_model"  # the server's model, kept while the local model is in use
MODEL_KIND = "_model_kind"  # the connection kind ("local"/"server") the model box is for

# -- tokens and context (lib/ui/playground/tokens_view.py) -------------------------------------
TOKENIZERS = "_tokenizers"  # what each connection (base URL, model) answered to the probes
TOKEN_COUNTS = "_token_counts"  # the last prompts counted, with their counts
CONTEXT_LENGTHS = "_context_lengths"  # context lengths set per connection (base URL)
CONTEXT_LENGTH = "context_length"  # widget: the current connection's context length
CONTEXT_FOR = "_context_for"  # the base URL the context widget shows
SERVER_KIND = "_server_kind"  # the connection's server kind (lib/tokens): its samplers show
TOKENIZER_ASKED = "_tokenizer_asked"  # when a count first waited for its tokenizer
TOKENS_COUNTED = "tokens_counted"  # component: the tokenizer loaded, the count is exact now
TOKENS_SECTION = "tokens_section"  # widget: the sidebar's Tokens and cost section, open or not
PRICE_EDITOR = "price_editor"  # widget: the price table's editor
PRICE_EDITOR_GEN = "_price_editor_gen"  # renews the editor after its rows were taken in
PRICE_PROBLEM = "_price_problem"  # why the last edit of the table was not taken

# -- presets (lib/ui/playground/presets_view.py) --------------------------------------------
PRESET_PICK = "preset_pick"  # widget: the preset to open, rename or delete
PRESET_NAME = "preset_name"  # widget: the name for Save preset / Rename
PRESET_WITH_DOCUMENT = "preset_with_document"  # widget: Save preset keeps the document too
PRESET_IMPORT = "preset_import"  # widget: presets JSON pasted to import
PRESET_NOTE = "_preset_note"  # what the last preset action did
PRESET_LINK_DONE = "_preset_link_done"  # the preset a link named was opened (or missed)

# -- gate ------------------------------------------------------------------------------------
PASSWORD = "app_password"  # widget of the password form
PASSWORD_PASSED = "_password_ok"
PASSWORD_WAITING = "_password_waiting"  # the submitted password waits for its turn
PASSWORD_WRONG = "_password_wrong"  # the last attempt was checked and wrong
PASSWORD_PASS = "_password_pass"  # a pass earned now, not yet kept by the browser
GATE_SESSION = "_gate_session"  # this session's place in the line of attempts

# -- language ----------------------------------------------------------------------------------
LANGUAGE = "language"  # widget
LANGUAGE_CHOSEN = "_language_chosen"
LANGUAGE_LINK_READ = "_language_link_read"

# -- share links, request import ---------------------------------------------------------------
LINK_APPLIED = "_link_applied"
LINK_NOTES = "_link_notes"
SHARE_QUERY = "_share_query"  # the widget values and the link query worked out for them
LOAD_NOTES = "_load_notes"
IMPORT_NOTES = "_import_request_notes"
IMPORT_TEXT = "import_request_text"  # widget

# -- history ---------------------------------------------------------------------------------
HISTORY = "history"  # the entries, oldest first
HISTORY_OPS = "_history_ops"  # changes not yet acknowledged by the browser's storage
HISTORY_SEQ = "_history_seq"
HISTORY_SESSION = "_history_session"
HISTORY_LOADED = "_history_loaded"
HISTORY_DROPPED = "_history_dropped"
HISTORY_STATUS = "_history_status"
HISTORY_SEARCH = "history_search"  # widget
HISTORY_MODELS = "history_models"  # widget
HISTORY_STATUSES = "history_statuses"  # widget
HISTORY_PAGE = "history_page"  # widget
HISTORY_SORT = "history_sort"  # widget: newest first, or most expensive first
HISTORY_PRICED = "history_priced"  # widget: only runs with a cost
HISTORY_COMPARISONS = "history_comparisons"  # widget: only comparisons, one group each
HISTORY_ON_SCREEN = "_history_on_screen"  # the History page drew the entries last
HISTORY_FLASH = "_history_flash"  # a confirmation shown until the next action
IMPORT_GENERATION = "_import_generation"  # renews the file uploader after an import
HISTORY_PASTE = "history_import_text"  # widget key prefix: a history file pasted as text
PASTE_GENERATION = "_paste_generation"  # renews the paste box after an import
CONFIRM_CLEAR = "_confirm_clear"
SWITCH_TO_PLAYGROUND = "_switch_to_playground"
