"""Every message the interface shows, in English and Simplified Chinese, side by side.

Keys are grouped by where the message appears. Placeholders are `str.format` fields and must
match between the languages (a test checks); literal braces are doubled. A message that counts
gives English "one"/"other" forms, chosen by its `count` parameter (see lib/i18n.py). API field
names (`max_tokens`, `top_p`, …) are never translated. The Chinese field explanations follow the
relay's own Chinese documentation.
"""

CATALOG: dict[str, dict[str, str | dict[str, str]]] = {
    # -- app and navigation ----------------------------------------------------------------
    "app.title": {"en": "Completions Playground", "zh": "文本补全调试台"},
    "nav.playground": {"en": "Playground", "zh": "调试台"},
    "nav.history": {"en": "History", "zh": "历史记录"},
    "language.label": {"en": "Language / 语言", "zh": "语言 / Language"},
    # -- password gate ---------------------------------------------------------------------
    "gate.password": {"en": "Password", "zh": "密码"},
    "gate.enter": {"en": "Enter", "zh": "进入"},
    "gate.wrong": {"en": "Wrong password.", "zh": "密码错误。"},
    "gate.in_line": {
        "en": "Passwords are checked one at a time to slow down guessing. Yours is next in "
        "about {seconds} s; keep this page open.",
        "zh": "为减缓猜测，密码逐个检查。大约 {seconds} 秒后轮到你，请保持页面打开。",
    },
    # -- log-in (st.login, when secrets have an [auth] section) ----------------------------
    "auth.intro": {
        "en": "Log in to use this app.",
        "zh": "请先登录再使用本应用。",
    },
    "auth.login": {"en": "Log in", "zh": "登录"},
    "auth.login_with": {"en": "Log in with {provider}", "zh": "使用 {provider} 登录"},
    "auth.logout": {"en": "Log out", "zh": "退出登录"},
    "auth.signed_in_as": {"en": "Logged in as {who}", "zh": "已登录：{who}"},
    "auth.failed": {
        "en": "Log-in could not start. The server log says why.",
        "zh": "无法开始登录，原因见服务器日志。",
    },
    # -- configuration errors (the app stops and shows only these) -------------------------
    "config.title": {
        "en": "This app cannot start: its configuration has a problem.",
        "zh": "本应用无法启动：配置有误。",
    },
    "config.fix": {
        "en": "The host has to fix the configuration; nothing else works until then.",
        "zh": "需要部署者修正配置；修正之前其他功能都不可用。",
    },
    "config.bad_secrets_file": {
        "en": "The secrets file exists but cannot be read (a TOML syntax error, or its "
        "permissions). The server log names the line.",
        "zh": "secrets 文件存在但无法读取（TOML 语法错误或文件权限问题）。服务器日志中有出错的行号。",
    },
    "config.not_count": {
        "en": "{name} from {source} must be a whole number of at least 1.",
        "zh": "来自{source}的 {name} 必须是不小于 1 的整数。",
    },
    "config.not_flag": {
        "en": "{name} from {source} must be true or false (also yes/no or 1/0).",
        "zh": "来自{source}的 {name} 必须是 true 或 false（也可以是 yes/no 或 1/0）。",
    },
    "config.not_text": {
        "en": "{name} from {source} must be text (in TOML, a string in quotes).",
        "zh": "来自{source}的 {name} 必须是文本（在 TOML 中用引号括起来）。",
    },
    "config.not_section": {
        "en": "{name} from {source} must be a section ([{name}] in TOML).",
        "zh": "来自{source}的 {name} 必须是一个表（TOML 中的 [{name}]）。",
    },
    "config.not_prices": {
        "en": "{name} from {source} must be a list of prices: "
        '[{{"model": "…", "prompt": 1.5, "completion": 2.0, "currency": "USD"}}]'
        " (per 1M tokens, 0 or more).",
        "zh": "来自{source}的 {name} 必须是价格列表："
        '[{{"model": "…", "prompt": 1.5, "completion": 2.0, "currency": "USD"}}]'
        "（每 1M 标记的价格，不小于 0）。",
    },
    "config.wrong_case": {
        "en": "{found} from {source} differs from {name} only in letter case. Setting names "
        "are case-sensitive, so it would be ignored: rename it to {name}.",
        "zh": "来自{source}的 {found} 与 {name} 只有大小写不同。设置名区分大小写，它会被忽略：请改名为 {name}。",
    },
    "config.auth_missing": {
        "en": "The [auth] section lacks {names}.",
        "zh": "[auth] 部分缺少 {names}。",
    },
    "config.auth_no_provider": {
        "en": "The [auth] section names no log-in provider ({names}).",
        "zh": "[auth] 部分没有配置登录提供方（{names}）。",
    },
    "config.no_authlib": {
        "en": "Log-in is configured ([auth]) but the Authlib package is not installed "
        "(pip install Authlib).",
        "zh": "已配置登录（[auth]），但没有安装 Authlib 包（pip install Authlib）。",
    },
    # -- connection ------------------------------------------------------------------------
    "conn.title": {"en": "Connection", "zh": "连接"},
    "conn.base_url": {"en": "Base URL", "zh": "接口地址"},
    "conn.base_url_help": {
        "en": "The server's URL including /v1, e.g. https://api.gptnb.me/v1 or "
        "http://127.0.0.1:8000/v1 for a local vLLM or llama.cpp server.",
        "zh": "服务器地址，包含 /v1，例如 https://api.gptnb.me/v1，"
        "或本地 vLLM / llama.cpp 服务器的 http://127.0.0.1:8000/v1。",
    },
    "conn.api_key": {"en": "API key", "zh": "API 密钥"},
    "conn.api_key_help": {
        "en": "Sent as 'Authorization: Bearer …'. Kept only in this browser session; "
        "never put in links, logs or exports.",
        "zh": "以 'Authorization: Bearer …' 发送。只保存在本浏览器会话中，"
        "不会出现在链接、日志或导出文件里。",
    },
    "conn.url_from": {"en": "Base URL from {source}.", "zh": "接口地址来自{source}。"},
    "conn.key_from": {
        "en": "Using the API key from {source}.",
        "zh": "使用来自{source}的 API 密钥。",
    },
    "conn.source.secrets": {"en": "secrets", "zh": "secrets 配置"},
    "conn.source.environment": {"en": "the environment", "zh": "环境变量"},
    "conn.source.default": {"en": "the default", "zh": "默认值"},
    "conn.locked": {
        "en": "Server: {host} (set by the host).",
        "zh": "服务器：{host}（由部署方设定）。",
    },
    "conn.key_withheld": {
        "en": "The configured API key is only sent to the configured server; type a key for "
        "this one.",
        "zh": "预设的 API 密钥只会发送给预设的服务器；请为这个服务器填写密钥。",
    },
    "conn.test": {"en": "Test connection", "zh": "测试连接"},
    "conn.testing": {"en": "Asking the server for its models…", "zh": "正在向服务器获取模型列表…"},
    "conn.failed": {"en": "Connection failed: {error}", "zh": "连接失败：{error}"},
    "conn.ok": {
        "en": {
            "one": "Connected: {count} model available.",
            "other": "Connected: {count} models available.",
        },
        "zh": "连接成功：可用模型 {count} 个。",
    },
    "conn.need_key": {
        "en": "Add an API key under Connection in the sidebar to send requests.",
        "zh": "请在侧边栏“连接”中填写 API 密钥后再发送请求。",
    },
    "conn.bad_url": {
        "en": "The base URL must start with http:// or https:// and name a host.",
        "zh": "接口地址必须以 http:// 或 https:// 开头，并包含主机名。",
    },
    "conn.url_credentials": {
        "en": "Put the key in the API key field, not in the base URL.",
        "zh": "请把密钥填在“API 密钥”一栏，不要写进接口地址。",
    },
    "conn.bad_key": {
        "en": "The API key contains spaces, line breaks or non-ASCII characters; "
        "paste it again without them.",
        "zh": "API 密钥中含有空格、换行或非 ASCII 字符，请去掉后重新粘贴。",
    },
    "conn.current": {"en": "Using: {name}", "zh": "当前连接：{name}"},
    "conn.kind": {"en": "Server", "zh": "服务器"},
    "conn.kind.local": {
        "en": "Local model (Gemma 3 270M, offline)",
        "zh": "本地模型（Gemma 3 270M，离线）",
    },
    "conn.kind.server": {"en": "A server (base URL and key)", "zh": "服务器（接口地址和密钥）"},
    "conn.local_note": {
        "en": "Runs on this computer with llama.cpp, at {url}. It returns one choice even when "
        "n is larger than 1, and it cannot take token-id prompts: send text.",
        "zh": "在本机用 llama.cpp 运行，地址 {url}。即使 n 大于 1 也只返回一个结果，"
        "并且不能接受标记 ID 形式的提示词：请发送文本。",
    },
    "conn.remember_key": {"en": "Remember the key in this browser", "zh": "在此浏览器中记住密钥"},
    "conn.remember_key_help": {
        "en": "Anyone with access to this browser profile can read a remembered key.",
        "zh": "能使用此浏览器配置文件的任何人都可以读取记住的密钥。",
    },
    "conn.saved": {"en": "Saved connections", "zh": "已保存的连接"},
    "conn.saved_none": {"en": "(choose one)", "zh": "（选择一个）"},
    "conn.save_name": {"en": "Name for this connection", "zh": "此连接的名称"},
    "conn.save": {"en": "Save connection", "zh": "保存连接"},
    "conn.delete": {"en": "Delete saved connection", "zh": "删除已保存的连接"},
    "conn.replace_ask": {
        "en": "“{name}” is already saved. Replace its base URL, key and model with these?",
        "zh": "“{name}”已保存。要用当前的接口地址、密钥和模型替换它吗？",
    },
    "conn.replace": {"en": "Replace", "zh": "替换"},
    "conn.replace_cancel": {"en": "Cancel", "zh": "取消"},
    "local.starting": {"en": "Starting the local model…", "zh": "正在启动本地模型…"},
    "local.ready": {"en": "The local model is ready.", "zh": "本地模型已就绪。"},
    "local.failed": {
        "en": "The local model could not be started ({reason}); see the app server's log.",
        "zh": "无法启动本地模型（{reason}）；请查看应用服务器的日志。",
    },
    "local.not_ready": {
        "en": "The local model is not running; reload the page to start it again.",
        "zh": "本地模型没有在运行；请刷新页面重新启动。",
    },
    "start.title": {"en": "Get started", "zh": "开始使用"},
    "start.server": {
        "en": "Connect to a server: open Connection in the sidebar and enter its base URL "
        "and API key.",
        "zh": "连接服务器：在侧边栏打开“连接”，填写接口地址和 API 密钥。",
    },
    "start.local": {
        "en": "Or run a small model on this computer, offline (builds llama.cpp, a few "
        "minutes), then restart the app:",
        "zh": "或者在本机离线运行一个小模型（需编译 llama.cpp，约几分钟），然后重启应用：",
    },
    # -- request form ----------------------------------------------------------------------
    "form.prompt": {"en": "Prompt", "zh": "提示词 (prompt)"},
    "form.prompt_form": {"en": "Prompt form", "zh": "提示词形式"},
    "form.mode.text": {"en": "Text", "zh": "文本"},
    "form.mode.strings": {"en": "Texts (JSON)", "zh": "文本数组 (JSON)"},
    "form.mode.tokens": {"en": "Token ids (JSON)", "zh": "标记 ID (JSON)"},
    "form.mode.token_lists": {"en": "Token lists (JSON)", "zh": "标记数组 (JSON)"},
    "form.advanced": {"en": "Advanced", "zh": "高级参数"},
    "form.inject": {"en": "Inject text", "zh": "插入文本"},
    "form.start_text": {"en": "Inject start text", "zh": "插入起始文本"},
    "form.restart_text": {"en": "Inject restart text", "zh": "插入续写文本"},
    "form.extra_json": {"en": "Extra JSON", "zh": "附加 JSON"},
    "form.stop_placeholder": {"en": "Type a sequence, e.g. \\n", "zh": "输入停止序列，例如 \\n"},
    "form.off": {"en": "off", "zh": "关闭"},
    "form.example_text": {"en": "Say this is a test", "zh": "请说：这是一个测试"},
    "form.example_strings": {
        "en": '["Say this is a test", "Write a haiku"]',
        "zh": '["请说：这是一个测试", "写一首俳句"]',
    },
    "form.none": {"en": "none", "zh": "无"},
    "form.server_default": {"en": "server default", "zh": "服务器默认值"},
    "form.stop_suggestions": {"en": "Stop suggestions", "zh": "常用停止序列"},
    "help.model": {
        "en": "ID of the model to use. Pick one from the server's list (Test connection "
        "fetches it) or type any id.",
        "zh": "要使用的模型 ID。可从服务器的模型列表中选择（“测试连接”会获取列表），"
        "也可直接输入任意 ID。",
    },
    "help.prompt": {
        "en": "The text to complete. With no prompt the model starts a new document.",
        "zh": "生成补全的提示。未指定提示时，模型会生成新文档的开头。",
    },
    "help.prompt_mode": {
        "en": "prompt may be text, a list of texts, a list of token ids, or a list of lists "
        "of token ids (the list forms are typed as JSON).",
        "zh": "prompt 可以是字符串、字符串数组、标记数组或标记数组的数组（数组形式请输入 JSON）。",
    },
    "help.max_tokens": {
        "en": "Most tokens to generate (≥ {low:g}). The prompt plus max_tokens must fit the "
        "model's context length.",
        "zh": "补全时生成的最大令牌数（≥ {low:g}）。提示加上 max_tokens 不能超过模型的上下文长度。",
    },
    "help.temperature": {
        "en": "Sampling temperature, {low:g} to {high:g}. Higher (0.8) is more random, lower "
        "(0.2) more focused. Change this or top_p, not both.",
        "zh": "采样温度，介于 {low:g} 和 {high:g} 之间。较高的值（如 0.8）使输出更随机，较低的值（如 0.2）"
        "使输出更集中和确定。建议只改变它或 top_p 之一。",
    },
    "help.top_p": {
        "en": "Nucleus sampling, {low:g} to {high:g}: only the tokens making up the top_p "
        "probability mass are considered (0.1 = top 10%). Change this or temperature, not both.",
        "zh": "核采样，介于 {low:g} 和 {high:g} 之间：只考虑构成前 top_p 概率质量的标记（0.1 即前 10%）。"
        "建议只改变它或 temperature 之一。",
    },
    "help.n": {
        "en": "How many completions to generate for the prompt ({low:g} to {high:g}). Uses quota "
        "quickly.",
        "zh": "为每个提示生成多少个补全（{low:g} 到 {high:g}）。会很快消耗令牌配额，请谨慎使用。",
    },
    "help.stream": {
        "en": "Show tokens as they are generated (server-sent events ending in [DONE]).",
        "zh": "边生成边显示（以 data: [DONE] 结束的服务器发送事件）。",
    },
    "help.logprobs": {
        "en": "Return the log probabilities of the chosen token and the top logprobs "
        "alternatives at each position ({low:g} to {high:g}).",
        "zh": "返回所选标记及每个位置上最可能的 logprobs 个候选标记的对数概率（{low:g} 到 {high:g}）。",
    },
    "help.stop": {
        "en": "Up to {most} sequences where the server stops generating; the returned text does "
        "not contain them. Type \\n for a newline, \\t for a tab.",
        "zh": "最多 {most} 个停止序列，遇到时停止生成；返回的文本不包含停止序列。"
        "输入 \\n 表示换行，\\t 表示制表符。",
    },
    "help.suffix": {
        "en": "Text that comes after the completion (insert mode, on models that support it).",
        "zh": "补全之后的文本（插入模式，仅部分模型支持）。",
    },
    "help.echo": {
        "en": "Return the prompt in addition to the completion.",
        "zh": "除补全外，同时返回提示。",
    },
    "help.presence_penalty": {
        "en": "{low:g} to {high:g}. Positive values penalize tokens that already appeared, "
        "encouraging new topics.",
        "zh": "{low:g} 到 {high:g}。正值会惩罚已出现过的标记，鼓励谈论新话题。",
    },
    "help.frequency_penalty": {
        "en": "{low:g} to {high:g}. Positive values penalize tokens by how often they already "
        "appeared, reducing repetition.",
        "zh": "{low:g} 到 {high:g}。正值按标记已出现的频率进行惩罚，减少重复。",
    },
    "help.best_of": {
        "en": "Generate best_of completions server-side and return the best n (≥ n, at most "
        "{high:g}). Cannot be used with stream.",
        "zh": "在服务器端生成 best_of 个补全并返回最好的 n 个（≥ n，最多 {high:g}）。不能与 stream 同用。",
    },
    "help.logit_bias": {
        "en": "JSON mapping token ids to a bias from {low:g} to {high:g}, "
        'e.g. {{"50256": -100}} to ban <|endoftext|>.',
        "zh": '把标记 ID 映射到 {low:g} 到 {high:g} 之间偏置值的 JSON，例如 {{"50256": -100}} '
        "可禁止 <|endoftext|>。",
    },
    "help.seed": {
        "en": "Integer for best-effort deterministic sampling.",
        "zh": "用于尽量确定性采样的整数种子。",
    },
    "help.user": {
        "en": "An id for the end user, for the provider's abuse monitoring.",
        "zh": "终端用户的标识，供服务商监控滥用。",
    },
    "help.top_k": {
        "en": "Sample only from the k most likely tokens (from {low}; 0 or -1: all, by server). "
        "Empty: the server's default.",
        "zh": "只从概率最高的 k 个标记中采样（不小于 {low}；0 或 -1 表示全部，视服务器而定）。留空：使用服务器默认值。",
    },
    "help.min_p": {
        "en": "Drop tokens less likely than min_p times the most likely one ({low}–{high}). "
        "Empty: the server's default.",
        "zh": "舍弃概率低于最高概率 min_p 倍的标记（{low}–{high}）。留空：使用服务器默认值。",
    },
    "help.repeat_penalty": {
        "en": "llama.cpp's penalty for repeating recent tokens; 1 is none ({low}–{high}). Empty: "
        "the server's default.",
        "zh": "llama.cpp 对重复近期标记的惩罚；1 表示不惩罚（{low}–{high}）。留空：使用服务器默认值。",
    },
    "help.repetition_penalty": {
        "en": "vLLM's penalty for repeating tokens; 1 is none ({low}–{high}). Empty: the server's "
        "default.",
        "zh": "vLLM 对重复标记的惩罚；1 表示不惩罚（{low}–{high}）。留空：使用服务器默认值。",
    },
    "help.mirostat_mode": {
        "en": "Mirostat sampling (llama-cpp-python): 0 off, 1 Mirostat, 2 Mirostat 2.0.",
        "zh": "Mirostat 采样（llama-cpp-python）：0 关闭，1 为 Mirostat，2 为 Mirostat 2.0。",
    },
    "help.mirostat": {
        "en": "Mirostat sampling (llama.cpp): 0 off, 1 Mirostat, 2 Mirostat 2.0.",
        "zh": "Mirostat 采样（llama.cpp）：0 关闭，1 为 Mirostat，2 为 Mirostat 2.0。",
    },
    "help.mirostat_tau": {
        "en": "Mirostat's target surprise ({low}–{high}). Empty: the server's default.",
        "zh": "Mirostat 的目标“意外度”（{low}–{high}）。留空：使用服务器默认值。",
    },
    "help.mirostat_eta": {
        "en": "Mirostat's learning rate ({low}–{high}). Empty: the server's default.",
        "zh": "Mirostat 的学习率（{low}–{high}）。留空：使用服务器默认值。",
    },
    "help.grammar": {
        "en": 'A GBNF grammar the output must follow, e.g. root ::= "yes" | "no".',
        "zh": '输出必须遵循的 GBNF 语法，例如 root ::= "yes" | "no"。',
    },
    "form.server_samplers": {
        "en": "Samplers of this server ({server})",
        "zh": "该服务器的采样参数（{server}）",
    },
    "form.server_fields_unsent": {
        "en": "Set but not sent, since this server does not take them: {names}.",
        "zh": "已设置但不会发送（该服务器不支持）：{names}。",
    },
    "form.grammar_json": {"en": "JSON grammar example", "zh": "JSON 语法示例"},
    "help.include_usage": {
        "en": "Ask for a final chunk with token usage (stream_options.include_usage).",
        "zh": "要求在流的最后返回一个包含令牌用量的数据块（stream_options.include_usage）。",
    },
    "help.extra_json": {
        "en": "A JSON object merged into the request body last, for server-specific fields "
        'such as {{"top_k": 40}} or {{"repetition_penalty": 1.1}}.',
        "zh": "最后合并进请求体的 JSON 对象，用于服务器特有的字段，"
        '例如 {{"top_k": 40}} 或 {{"repetition_penalty": 1.1}}。',
    },
    "help.start_text": {
        "en": "Added after the document when it is sent, and kept in it (e.g. \\nAnswer:). "
        "Escapes like \\n work.",
        "zh": "发送前追加到提示末尾（例如 \\nAnswer:），支持 \\n 等转义。",
    },
    "help.restart_text": {
        "en": "Added to the document after each completion, where you go on writing "
        "(e.g. \\nQuestion:).",
        "zh": "每次补全后追加到文档中，方便接着写（例如 \\nQuestion:）。",
    },
    # -- playground actions ----------------------------------------------------------------
    "play.submit": {"en": "Submit", "zh": "提交"},
    "play.submit_help": {
        "en": "Send the whole document as the prompt (Ctrl+Enter, or ⌘+Enter in the document)",
        "zh": "把整个文档作为提示发送（Ctrl+Enter；在文档中也可用 ⌘+Enter）",
    },
    "play.stop": {"en": "Stop", "zh": "停止"},
    "play.stop_help": {
        "en": "Stop the stream (Esc); what arrived stays",
        "zh": "停止流式输出（Esc）；已收到的文本会保留",
    },
    "play.regenerate": {"en": "Regenerate", "zh": "重新生成"},
    "play.regenerate_help": {
        "en": "Take the last completion out of the document and send the document again. In the "
        "list and token forms: send the last request again exactly as it was sent.",
        "zh": "从文档中去掉上一次补全，再发送文档。列表和标记形式下：按原样重发上一个请求。",
    },
    "play.undo": {"en": "Undo", "zh": "撤销"},
    "play.undo_help": {
        "en": "Take the last completion out of the document (Ctrl+Z in the document does too)",
        "zh": "从文档中去掉上一次补全（在文档中按 Ctrl+Z 也可以）",
    },
    "play.form_changed": {
        "en": "The form differs from the last request: Submit sends the form; Regenerate "
        "re-sends the last request unchanged.",
        "zh": "表单与上次请求不同：“提交”发送当前表单；“重新生成”原样重发上次请求。",
    },
    "play.markdown": {"en": "Markdown preview", "zh": "Markdown 预览"},
    # -- the document ----------------------------------------------------------------------
    "doc.label": {"en": "Document", "zh": "文档"},
    "doc.placeholder": {
        "en": "Write here. Ctrl+Enter sends the whole document; the completion continues it "
        "right here.",
        "zh": "在这里写作。Ctrl+Enter 发送整个文档，补全会直接接在后面。",
    },
    "doc.suffix": {
        "en": "suffix: the text after the insertion point (set in the sidebar)",
        "zh": "suffix：插入点之后的文本（在侧边栏设置）",
    },
    "doc.show_probabilities": {"en": "Show probabilities", "zh": "显示概率"},
    "doc.show_probabilities_help": {
        "en": "Shade each generated token by its probability (needs logprobs); click a token "
        "to see the alternatives and branch from one.",
        "zh": "按概率给每个生成的标记着色（需要 logprobs）；点击标记可查看候选并从其中一个分支。",
    },
    "doc.alternatives": {"en": "Top alternatives", "zh": "候选标记"},
    "doc.no_alternatives": {
        "en": "The server sent no alternatives for this token.",
        "zh": "服务器没有为这个标记返回候选。",
    },
    "doc.branch_hint": {
        "en": "Choose one to branch: the document is cut here, the alternative goes in, and "
        "generation continues from it as a new run.",
        "zh": "选择一个即可分支：文档在此处截断，放入该候选，并作为新的运行继续生成。",
    },
    "doc.chosen": {"en": "the token the model chose", "zh": "模型选中的标记"},
    "doc.use_this": {"en": "Use this", "zh": "用这个"},
    "doc.use_this_help": {
        "en": "Put this choice into the document instead of the one there",
        "zh": "用这个选项替换文档中的补全",
    },
    "doc.preview_empty": {"en": "The document is empty.", "zh": "文档为空。"},
    "doc.hidden": {
        "en": {
            "one": "… {count} character before this is not shown here.",
            "other": "… {count} characters before this are not shown here.",
        },
        "zh": "…… 前面还有 {count} 个字符未在此显示。",
    },
    "doc.hidden_live": {
        "en": {
            "one": "… {count} character before this; the end of the text shows as it arrives.",
            "other": "… {count} characters before this; the end of the text shows as it arrives.",
        },
        "zh": "…… 前面还有 {count} 个字符；这里随到随显示文本的结尾。",
    },
    "doc.window": {
        "en": "A long document: the editor shows its last {shown} of {count} characters and "
        "is read-only. Ctrl+Enter and Submit still send all of it.",
        "zh": "文档很长：编辑器只显示最后 {shown} 个字符（共 {count} 个），且为只读。"
        "Ctrl+Enter 和“提交”仍会发送全文。",
    },
    "doc.download": {"en": "Download the document", "zh": "下载文档"},
    "doc.show_all": {"en": "Show all", "zh": "显示全部"},
    "doc.show_all_help": {
        "en": "Load the whole document into the editor to edit it (slow for very long texts).",
        "zh": "把整个文档载入编辑器以便编辑（文本很长时会较慢）。",
    },
    # -- results ---------------------------------------------------------------------------
    "run.status": {"en": "Status: **{status}**", "zh": "状态：**{status}**"},
    "run.status.running": {"en": "running…", "zh": "运行中…"},
    "run.status.waiting": {"en": "running… {seconds} s", "zh": "运行中… {seconds} 秒"},
    "run.status.ok": {"en": "done", "zh": "完成"},
    "run.status.error": {"en": "failed", "zh": "失败"},
    "run.status.stopped": {"en": "stopped", "zh": "已停止"},
    "run.choice": {"en": "Choice {index}", "zh": "结果 {index}"},
    "run.finish_reason": {"en": "finish_reason: {reason}", "zh": "finish_reason：{reason}"},
    "run.stopped_note": {
        "en": "Stopped. The text above is what arrived before Stop.",
        "zh": "已停止。上面是停止前收到的文本。",
    },
    "run.partial_note": {
        "en": "The text above is what arrived before the error.",
        "zh": "上面是出错前收到的文本。",
    },
    "run.ttft": {"en": "Time to first token", "zh": "首个标记耗时"},
    "run.total": {"en": "Total time", "zh": "总耗时"},
    "run.tokens_per_s": {"en": "tokens/s", "zh": "标记/秒"},
    "run.chunks_per_s": {"en": "chunks/s", "zh": "数据块/秒"},
    "run.tokens": {
        "en": "Tokens (prompt / completion / total)",
        "zh": "标记数（提示 / 补全 / 合计）",
    },
    "run.seconds": {"en": "{value} s", "zh": "{value} 秒"},
    "run.speed_usage": {
        "en": "Speed counts completion_tokens from the server's usage.",
        "zh": "速度按服务器 usage 中的 completion_tokens 计算。",
    },
    "run.speed_chunks": {
        "en": "The server sent no usage, so speed counts stream chunks (about one token each).",
        "zh": "服务器没有返回 usage，速度按流式数据块计算（每块约一个标记）。",
    },
    "run.speed_logprobs": {
        "en": "The server sent no usage: completion tokens are counted from its logprobs tokens.",
        "zh": "服务器没有返回 usage：补全标记数按其 logprobs 中的标记计数。",
    },
    "run.speed_tokenizer": {
        "en": "The server sent no usage: tokens are counted with the connection's tokenizer.",
        "zh": "服务器没有返回 usage：标记数由该连接的分词器计数。",
    },
    "run.counted": {"en": "(counted)", "zh": "（计数）"},
    "run.server_speeds": {
        "en": "prompt {prompt} t/s · generation {generation} t/s",
        "zh": "提示处理 {prompt} 标记/秒 · 生成 {generation} 标记/秒",
    },
    # -- tokens and context before sending (lib/ui/playground/tokens_view.py) ---------------
    "tokens.prompt": {"en": "Prompt: {mark}{count} tokens", "zh": "提示：{mark}{count} 个标记"},
    "tokens.context": {
        "en": "context {used} / {context} (prompt + max_tokens)",
        "zh": "上下文 {used} / {context}（提示 + max_tokens）",
    },
    "tokens.source.server": {
        "en": "Counted by the server's own tokenizer ({detail}).",
        "zh": "由服务器自己的分词器计数（{detail}）。",
    },
    "tokens.source.tiktoken": {
        "en": "Counted with tiktoken ({detail}), the model's encoding.",
        "zh": "用 tiktoken（{detail}，该模型的编码）计数。",
    },
    "tokens.source.estimate": {
        "en": "An estimate (≈): this server has no tokenizer the app can ask, and the model is "
        "not a known OpenAI id. About 4 characters a token for English, one a character for "
        "other scripts.",
        "zh": "估算值（≈）：该服务器没有可调用的分词器，模型也不是已知的 OpenAI 模型。英文约 4 个"
        "字符一个标记，其他文字约一个字符一个标记。",
    },
    "tokens.over_context": {
        "en": "The prompt ({prompt} tokens) plus max_tokens ({max_tokens}) is {used} tokens, "
        "more than this model's context of {context}: the server will refuse it or cut the "
        "completion short. Shorten the prompt or lower max_tokens.",
        "zh": "提示（{prompt} 个标记）加 max_tokens（{max_tokens}）共 {used} 个标记，超过该模型的"
        "上下文长度 {context}：服务器会拒绝请求或提前截断补全。请缩短提示或调低 max_tokens。",
    },
    "tokens.sidebar": {"en": "Tokens and cost", "zh": "标记与费用"},
    "tokens.context_setting": {"en": "Context length", "zh": "上下文长度"},
    "tokens.context_help": {
        "en": "Tokens this model takes in all (prompt + completion), for this connection. Empty: "
        "what the server says, or a known OpenAI id's.",
        "zh": "该连接下此模型可容纳的标记总数（提示 + 补全）。留空：使用服务器报告的值或已知 "
        "OpenAI 模型的值。",
    },
    "tokens.prices": {
        "en": "Prices per 1M tokens (kept in this browser)",
        "zh": "每 1M 标记的价格（保存在本浏览器中）",
    },
    "tokens.price_model": {"en": "model", "zh": "模型"},
    "tokens.price_prompt": {"en": "prompt per 1M", "zh": "提示 / 1M"},
    "tokens.price_completion": {"en": "completion per 1M", "zh": "补全 / 1M"},
    "tokens.price_currency": {"en": "currency", "zh": "币种"},
    "tokens.price_bad": {
        "en": "Row {row} of the prices was not taken: it needs a model, prompt and completion "
        "prices from 0 up, and a currency of at most 8 letters.",
        "zh": "价格表第 {row} 行未被采用：需要模型、不小于 0 的提示和补全价格，以及不超过 8 个字母的币种。",
    },
    "tokens.total": {"en": "Spent in this browser: {total}", "zh": "本浏览器累计花费：{total}"},
    "tokens.total_none": {"en": "Nothing priced spent yet.", "zh": "尚无计价的花费。"},
    "tokens.reset_total": {"en": "Reset total", "zh": "清零累计"},
    # -- presets (lib/ui/playground/presets_view.py) ---------------------------------------
    "preset.title": {"en": "Presets", "zh": "预设"},
    "preset.pick": {"en": "Preset", "zh": "预设"},
    "preset.pick_placeholder": {"en": "Choose a preset", "zh": "选择一个预设"},
    "preset.open": {"en": "Open", "zh": "打开"},
    "preset.delete": {"en": "Delete", "zh": "删除"},
    "preset.name": {"en": "Name", "zh": "名称"},
    "preset.with_document": {"en": "With the document", "zh": "包含文档"},
    "preset.save": {"en": "Save preset", "zh": "保存预设"},
    "preset.rename": {"en": "Rename", "zh": "重命名"},
    "preset.export": {"en": "Export presets", "zh": "导出预设"},
    "preset.import_label": {"en": "Presets JSON to import", "zh": "要导入的预设 JSON"},
    "preset.import": {"en": "Import presets", "zh": "导入预设"},
    "preset.link_hint": {
        "en": "A link with ?{param}=NAME opens a preset: a built-in one anywhere, a saved one "
        "in this browser.",
        "zh": "带 ?{param}=名称 的链接会打开预设：内置预设在任何地方都能打开，已保存的预设只在本浏览器中。",
    },
    "preset.opened": {"en": "Opened “{name}”.", "zh": "已打开“{name}”。"},
    "preset.saved": {"en": "Saved “{name}” in this browser.", "zh": "已在本浏览器中保存“{name}”。"},
    "preset.renamed": {"en": "Renamed “{old}” to “{name}”.", "zh": "已将“{old}”重命名为“{name}”。"},
    "preset.deleted": {"en": "Deleted “{name}”.", "zh": "已删除“{name}”。"},
    "preset.imported": {
        "en": {"one": "Imported {count} preset.", "other": "Imported {count} presets."},
        "zh": "已导入 {count} 个预设。",
    },
    "preset.name_needed": {"en": "Give the preset a name first.", "zh": "请先为预设命名。"},
    "preset.link_missing": {
        "en": "The link names a preset “{name}” that this browser does not have.",
        "zh": "链接中的预设“{name}”在本浏览器中不存在。",
    },
    "preset.not_json": {"en": "That is not JSON.", "zh": "这不是 JSON。"},
    "preset.not_presets": {
        "en": "That is not a presets file (a list of at most {most} presets).",
        "zh": "这不是预设文件（最多 {most} 个预设的列表）。",
    },
    "preset.bad_entry": {
        "en": "Preset {n} needs a name, a request object and, if any, a document text.",
        "zh": "第 {n} 个预设需要名称、请求对象，以及（如有）文档文本。",
    },
    "preset.builtin.relay": {
        "en": "Example: the relay docs' request (Say this is a test)",
        "zh": "示例：中转文档中的请求（Say this is a test）",
    },
    "preset.builtin.story": {"en": "Example: a story (English)", "zh": "示例：写故事（英文）"},
    "preset.builtin.poem_zh": {"en": "Example: a poem (Chinese)", "zh": "示例：写诗（中文）"},
    "run.cost": {
        "en": "cost {cost} (this browser: {total})",
        "zh": "费用 {cost}（本浏览器累计：{total}）",
    },
    "hist.sort": {"en": "Order", "zh": "排序"},
    "hist.sort.newest": {"en": "Newest first", "zh": "最新在前"},
    "hist.sort.cost": {"en": "Most expensive first", "zh": "费用最高在前"},
    "hist.priced_only": {"en": "Only runs with a cost", "zh": "只看有费用的运行"},
    "hist.comparisons_only": {
        "en": "Only comparisons, grouped",
        "zh": "只看对比（按组显示）",
    },
    "hist.comparison_column": {"en": "Comparison · column {column}", "zh": "对比 · 第 {column} 列"},
    "hist.no_comparisons": {
        "en": "No comparison matches. Turn on Compare in the playground to make one.",
        "zh": "没有匹配的对比。在调试台打开“对比”即可创建。",
    },
    "hist.comparison": {
        "en": {
            "one": "Comparison of {count} column: {models} · {prompt}",
            "other": "Comparison of {count} columns: {models} · {prompt}",
        },
        "zh": "{count} 列对比：{models} · {prompt}",
    },
    "hist.reopen_comparison": {"en": "Reopen comparison", "zh": "重新打开对比"},
    "tokens.context_unknown": {"en": "unknown", "zh": "未知"},
    "run.response_id": {"en": "Response id: {id}", "zh": "响应 ID：{id}"},
    "run.details": {"en": "Details and raw JSON", "zh": "详情与原始 JSON"},
    "run.live_line": {
        "en": "{status} {seconds} s · {rate} chunks/s",
        "zh": "{status} {seconds} 秒 · {rate} 数据块/秒",
    },
    "run.ttft_short": {"en": "first token", "zh": "首标记"},
    "run.expected_n": {
        "en": "Asked for n={n} choices; the server returned {got}. Some servers (llama.cpp, "
        "for one) ignore n.",
        "zh": "请求了 n={n} 个结果，服务器返回了 {got} 个。有些服务器（例如 llama.cpp）会忽略 n。",
    },
    "run.expected_batch": {
        "en": "{prompts} prompts × n={n} = {expected} choices expected; the server returned "
        "{got}. Some servers (llama.cpp, for one) ignore n or batches.",
        "zh": "{prompts} 个提示 × n={n} = 应有 {expected} 个结果，服务器返回了 {got} 个。"
        "有些服务器（例如 llama.cpp）会忽略 n 或批量提示。",
    },
    "run.cut": {
        "en": "Output cut at {chars} characters, the most one run keeps here; the connection "
        "was closed.",
        "zh": "输出在 {chars} 个字符处被截断（单次运行的上限），连接已关闭。",
    },
    "run.abandoned": {
        "en": "Stopped because no page was showing this run.",
        "zh": "因为没有页面在显示此次运行，已自动停止。",
    },
    "run.interrupted": {
        "en": "Interrupted: the server running it was restarting or went away. What had "
        "arrived is kept, here and in History.",
        "zh": "已中断：运行它的服务器正在重启或已断开。已收到的内容会保留在这里和历史记录中。",
    },
    "hist.interrupted": {
        "en": "Interrupted: the server running it was restarting or went away. This is what "
        "had arrived.",
        "zh": "已中断：运行它的服务器正在重启或已断开。这里是当时已收到的内容。",
    },
    "run.lost": {
        "en": "The run that was streaming when this page lost its server was interrupted. What "
        "had arrived is kept in History.",
        "zh": "此页面与服务器断开时正在进行的运行已中断。已收到的内容保存在历史记录中。",
    },
    "run.restarting": {
        "en": "This server is restarting; try again in a moment.",
        "zh": "服务器正在重启，请稍后再试。",
    },
    "run.tail": {
        "en": {
            "one": "… {count} earlier character; the whole text shows when the run ends.",
            "other": "… {count} earlier characters; the whole text shows when the run ends.",
        },
        "zh": "…… 前面还有 {count} 个字符；运行结束后显示全文。",
    },
    "run.head": {
        "en": "Showing the first {shown} of {count} characters.",
        "zh": "显示前 {shown} 个字符，共 {count} 个。",
    },
    "run.download_text": {"en": "Download the whole text", "zh": "下载全文"},
    "run.more_choices": {
        "en": "Showing the first {shown} choices; the rest are in the raw JSON and the history.",
        "zh": "只显示前 {shown} 个结果；其余的在原始 JSON 和历史记录中。",
    },
    "run.raw_too_large": {
        "en": "The response is {size} KB: too large to show here. Download it instead.",
        "zh": "响应大小为 {size} KB，太大，无法在此显示。请下载查看。",
    },
    "run.download_response": {"en": "Download response JSON", "zh": "下载响应 JSON"},
    "run.request_sent": {"en": "Request as sent", "zh": "发送的请求"},
    "run.response_received": {"en": "Response as received", "zh": "收到的响应"},
    "run.response_accumulated": {
        "en": "Response accumulated from the stream",
        "zh": "由流式数据拼合的响应",
    },
    "run.probabilities": {"en": "Token probabilities", "zh": "标记概率"},
    "run.no_logprobs": {
        "en": "logprobs were requested but the server returned none.",
        "zh": "请求了 logprobs，但服务器没有返回。",
    },
    "run.logprob_summary": {
        "en": "Choice {index} — mean logprob {mean}, perplexity {perplexity}",
        "zh": "结果 {index} — 平均对数概率 {mean}，困惑度 {perplexity}",
    },
    "run.token_table": {
        "en": "Table of tokens and alternatives",
        "zh": "标记与候选标记表",
    },
    "run.legend": {
        "en": "Shading: green = likely, red = unlikely. Hover a token for its probability and "
        "the top alternatives.",
        "zh": "底色：绿色表示概率高，红色表示概率低。鼠标悬停在标记上可查看概率和候选标记。",
    },
    "run.top_alternatives": {"en": "top alternatives", "zh": "候选标记"},
    "run.na": {"en": "n/a", "zh": "无"},
    "run.col.token": {"en": "token", "zh": "标记"},
    "run.col.probability": {"en": "probability", "zh": "概率"},
    "run.col.logprob": {"en": "logprob", "zh": "对数概率"},
    "run.col.alternatives": {"en": "alternatives", "zh": "候选"},
    # -- errors: a plain-words reason before the server's own message ------------------------
    "error.line": {"en": "{reason}. {detail}", "zh": "{reason}。{detail}"},
    "error.400": {"en": "The server rejected the request", "zh": "服务器拒绝了请求"},
    "error.401": {"en": "API key rejected", "zh": "API 密钥无效"},
    "error.402": {"en": "Payment required or quota used up", "zh": "需要付费或额度已用完"},
    "error.403": {"en": "Access denied", "zh": "无权访问"},
    "error.404": {
        "en": "Not found — check the model id and the base URL",
        "zh": "未找到——请检查模型 ID 和接口地址",
    },
    "error.408": {"en": "The server timed out", "zh": "服务器超时"},
    "error.413": {"en": "The request is too large", "zh": "请求过大"},
    "error.422": {"en": "The server could not process the request", "zh": "服务器无法处理该请求"},
    "error.429": {"en": "Rate limited or out of quota", "zh": "请求过于频繁或额度不足"},
    "error.5xx": {"en": "The server failed", "zh": "服务器出错"},
    "error.4xx": {"en": "The request failed", "zh": "请求失败"},
    "error.connection_error": {"en": "Could not connect", "zh": "无法连接"},
    "error.timeout": {"en": "The server took too long", "zh": "服务器响应超时"},
    "error.stream_dropped": {"en": "The connection dropped", "zh": "连接中断"},
    "error.invalid_response": {
        "en": "The server's answer could not be read",
        "zh": "无法解析服务器的响应",
    },
    "error.invalid_request": {"en": "The request could not be sent", "zh": "请求无法发送"},
    "error.other": {"en": "The server reported an error", "zh": "服务器报告了错误"},
    # client-side failure descriptions (server messages are shown as sent)
    "client.connect_timeout": {
        "en": "Timed out connecting to {host} after {seconds} s.",
        "zh": "连接 {host} 超时（{seconds} 秒）。",
    },
    "client.read_timeout": {
        "en": "{host} sent nothing for {seconds} s (read timeout).",
        "zh": "{host} 在 {seconds} 秒内没有发送任何数据（读取超时）。",
    },
    "client.dns": {
        "en": "Could not find the host {host} (DNS lookup failed).",
        "zh": "找不到主机 {host}（DNS 解析失败）。",
    },
    "client.refused": {
        "en": "{host} refused the connection; is the server running and the port right?",
        "zh": "{host} 拒绝连接；服务器是否在运行、端口是否正确？",
    },
    "client.tls": {
        "en": "TLS/SSL handshake with {host} failed.",
        "zh": "与 {host} 的 TLS/SSL 握手失败。",
    },
    "client.bad_url": {
        "en": "The base URL is not a valid http(s) URL.",
        "zh": "接口地址不是有效的 http(s) 地址。",
    },
    "client.unreachable": {
        "en": "Could not reach {host}: {reason}.",
        "zh": "无法访问 {host}：{reason}。",
    },
    "client.reset": {
        "en": "{host} closed the connection without answering (connection reset): the "
        "server may be overloaded or restarting, or a proxy or firewall on the way cut it. "
        "Send again; if it keeps happening, check the base URL and the network.",
        "zh": "{host} 未作回答就关闭了连接（连接被重置）：服务器可能负载过高或正在重启，"
        "也可能是途中的代理或防火墙切断了连接。请再发送一次；如果反复出现，请检查接口地址和网络。",
    },
    "client.dropped": {
        "en": "The connection to {host} dropped before the answer was complete.",
        "zh": "与 {host} 的连接在回答完整之前中断。",
    },
    "client.header": {
        "en": "The {name} header contains characters that cannot be sent (spaces, line breaks "
        "or non-ASCII); check the API key.",
        "zh": "{name} 请求头含有无法发送的字符（空格、换行或非 ASCII 字符），请检查 API 密钥。",
    },
    "client.too_large": {
        "en": "The server's answer is larger than {most} MiB, the most this app reads "
        "(MAX_RESPONSE_BYTES); it was not read. Ask for less (max_tokens, n, logprobs) or stream.",
        "zh": "服务器的响应超过 {most} MiB（本应用读取的上限 MAX_RESPONSE_BYTES），未读取。"
        "请减少请求量（max_tokens、n、logprobs）或使用流式输出。",
    },
    "client.not_json": {
        "en": "The server answered {status} with something other than JSON.",
        "zh": "服务器返回了 {status}，但内容不是 JSON。",
    },
    "client.models_not_json": {
        "en": "The model list is not JSON; is the base URL right (it usually ends in /v1)?",
        "zh": "模型列表不是 JSON；接口地址是否正确（通常以 /v1 结尾）？",
    },
    "client.models_no_data": {
        "en": "The model list has no 'data' array.",
        "zh": "模型列表中没有 'data' 数组。",
    },
    "client.event_not_json": {
        "en": "The server sent a stream event that is not JSON: {data}",
        "zh": "服务器发送的流事件不是 JSON：{data}",
    },
    "client.event_not_object": {
        "en": "The server sent a stream event that is not an object: {data}",
        "zh": "服务器发送的流事件不是对象：{data}",
    },
    "client.empty": {"en": "The server returned an empty response.", "zh": "服务器返回了空响应。"},
    "client.not_sse_or_json": {
        "en": "The server's answer is neither an event stream nor JSON: {data}",
        "zh": "服务器的响应既不是事件流也不是 JSON：{data}",
    },
    "client.not_completion": {
        "en": "The server's answer is JSON but not a completion: {data}",
        "zh": "服务器的响应是 JSON，但不是补全结果：{data}",
    },
    "client.bad_utf8": {
        "en": "The server sent text that is not valid UTF-8.",
        "zh": "服务器发送的文本不是有效的 UTF-8。",
    },
    "client.stream_error": {
        "en": "The server reported an error",
        "zh": "服务器报告了错误",
    },
    "client.unexpected": {
        "en": "Unexpected client error: {name}",
        "zh": "客户端意外错误：{name}",
    },
    "client.http_empty": {"en": "{reason} (empty response body)", "zh": "{reason}（响应体为空）"},
    "client.http_html": {
        "en": "{reason} — the server or a gateway in front of it returned an HTML page",
        "zh": "{reason}——服务器或其前面的网关返回了一个 HTML 页面",
    },
    "client.http_text": {"en": "{reason}: {text}", "zh": "{reason}：{text}"},
    "client.retry_after": {"en": "(retry after {seconds} s)", "zh": "（{seconds} 秒后重试）"},
    # -- validation problems ---------------------------------------------------------------
    "problem.not_object": {
        "en": "The request must be a JSON object.",
        "zh": "请求必须是 JSON 对象。",
    },
    "problem.not_json": {
        "en": "{field} cannot be sent as JSON ({detail}).",
        "zh": "{field} 无法作为 JSON 发送（{detail}）。",
    },
    "problem.model_missing": {
        "en": "model is required: pick or type a model id.",
        "zh": "model 为必填项：请选择或输入模型 ID。",
    },
    "problem.not_string": {"en": "{field} must be text.", "zh": "{field} 必须是文本。"},
    "problem.not_bool": {
        "en": "{field} must be true or false.",
        "zh": "{field} 必须是 true 或 false。",
    },
    "problem.not_number": {"en": "{field} must be a number.", "zh": "{field} 必须是数字。"},
    "problem.not_integer": {"en": "{field} must be a whole number.", "zh": "{field} 必须是整数。"},
    "problem.too_low": {
        "en": "{field} must be at least {low:g} (got {value}).",
        "zh": "{field} 不能小于 {low:g}（当前为 {value}）。",
    },
    "problem.too_high": {
        "en": "{field} must be at most {high:g} (got {value}).",
        "zh": "{field} 不能大于 {high:g}（当前为 {value}）。",
    },
    "problem.out_of_range": {
        "en": "{field} must be between {low:g} and {high:g} (got {value}).",
        "zh": "{field} 必须介于 {low:g} 和 {high:g} 之间（当前为 {value}）。",
    },
    "problem.prompt_type": {
        "en": "prompt must be text, a list of texts, a list of token ids, or a list of lists "
        "of token ids.",
        "zh": "prompt 必须是字符串、字符串数组、标记数组或标记数组的数组。",
    },
    "problem.prompt_empty_list": {
        "en": "prompt must not be an empty list.",
        "zh": "prompt 不能是空数组。",
    },
    "problem.token_id": {
        "en": "prompt token ids must be whole numbers of 0 or more.",
        "zh": "prompt 中的标记 ID 必须是不小于 0 的整数。",
    },
    "problem.stop_type": {
        "en": "stop must be text or a list of up to {most} texts.",
        "zh": "stop 必须是字符串或最多 {most} 个字符串的数组。",
    },
    "problem.stop_too_many": {
        "en": "stop takes at most {most} sequences (got {count}).",
        "zh": "stop 最多 {most} 个序列（当前 {count} 个）。",
    },
    "problem.stop_empty": {"en": "stop sequences must not be empty.", "zh": "stop 序列不能为空。"},
    "problem.best_of_stream": {
        "en": "best_of cannot be used with stream; turn one of them off.",
        "zh": "best_of 不能与 stream 同时使用，请关闭其中之一。",
    },
    "problem.host_limit": {
        "en": "{field} may be at most {high} on this instance (got {value}).",
        "zh": "在此实例上 {field} 不能大于 {high}（当前为 {value}）。",
    },
    "problem.host_length": {
        "en": "{field} must be a whole number from 0 to {high} on this instance, as max_tokens "
        "(got {value}).",
        "zh": "在此实例上 {field} 必须是 0 到 {high} 之间的整数，与 max_tokens 相同（当前为 {value}）。",
    },
    "problem.max_tokens_required": {
        "en": "This instance needs max_tokens (at most {high}).",
        "zh": "此实例要求填写 max_tokens（不超过 {high}）。",
    },
    "problem.local_token_prompt": {
        "en": "The local model (llama.cpp) does not take token-id prompts; use Text or a list "
        "of texts, or connect to a server that does.",
        "zh": "本地模型（llama.cpp）不支持标记 ID 形式的提示；请改用文本或文本列表，或连接支持它的服务器。",
    },
    "problem.too_many_choices": {
        "en": "{prompts} prompts × n={n} asks for {total} choices; one request may ask for at "
        "most {most}.",
        "zh": "{prompts} 个提示 × n={n} 共需 {total} 个结果；一次请求最多 {most} 个。",
    },
    "problem.not_overridable": {
        "en": "A column cannot change {field}: every column sends the form's.",
        "zh": "单独一列不能更改 {field}：所有列都发送表单中的值。",
    },
    "problem.best_of_lt_n": {
        "en": "best_of ({best_of}) must be at least n ({n}).",
        "zh": "best_of（{best_of}）不能小于 n（{n}）。",
    },
    "problem.logit_bias_type": {
        "en": "logit_bias must be an object mapping token ids to numbers.",
        "zh": "logit_bias 必须是把标记 ID 映射到数字的对象。",
    },
    "problem.logit_bias_key": {
        "en": "logit_bias keys must be token ids (whole numbers), not {key}.",
        "zh": "logit_bias 的键必须是标记 ID（整数），而不是 {key}。",
    },
    "problem.logit_bias_value": {
        "en": "logit_bias for token {key} must be between {low:g} and {high:g} (got {value}).",
        "zh": "标记 {key} 的 logit_bias 必须介于 {low:g} 和 {high:g} 之间（当前为 {value}）。",
    },
    "problem.stream_options_type": {
        "en": 'stream_options must be an object such as {{"include_usage": true}}.',
        "zh": 'stream_options 必须是对象，例如 {{"include_usage": true}}。',
    },
    "problem.stream_options_without_stream": {
        "en": "stream_options can only be sent when stream is on.",
        "zh": "只有开启 stream 时才能发送 stream_options。",
    },
    "problem.json_syntax": {
        "en": "{field} is not valid JSON: {where}.",
        "zh": "{field} 不是有效的 JSON：{where}。",
    },
    "json.where": {
        "en": "line {line}, column {column}: {reason}",
        "zh": "第 {line} 行第 {column} 列：{reason}",
    },
    "json.expecting_value": {"en": "Expecting value", "zh": "此处应为一个值"},
    "json.property_name": {
        "en": "Expecting property name enclosed in double quotes",
        "zh": "此处应为用双引号括起的属性名",
    },
    "json.comma": {"en": "Expecting ',' delimiter", "zh": "此处应为逗号 ','"},
    "json.colon": {"en": "Expecting ':' delimiter", "zh": "此处应为冒号 ':'"},
    "json.unterminated": {"en": "Unterminated string starting at", "zh": "字符串没有结束"},
    "json.extra_data": {"en": "Extra data", "zh": "JSON 之后还有多余内容"},
    "json.control_char": {"en": "Invalid control character at", "zh": "含有无效的控制字符"},
    "json.bad_escape": {"en": "Invalid \\escape", "zh": "无效的转义序列"},
    "json.number_too_long": {
        "en": "a number has more than {digits} digits",
        "zh": "数字超过 {digits} 位",
    },
    "json.too_deep": {"en": "nested too deeply to read", "zh": "嵌套层级过深，无法读取"},
    "problem.json_too_deep": {
        "en": "{field} is nested too deeply to read.",
        "zh": "{field} 嵌套层级过深，无法读取。",
    },
    "problem.json_not_object": {
        "en": '{field} must be a JSON object, like {{"top_k": 40}}.',
        "zh": '{field} 必须是 JSON 对象，例如 {{"top_k": 40}}。',
    },
    "field.extra_json": {"en": "extra JSON", "zh": "附加 JSON"},
    # -- loading requests into the form ----------------------------------------------------
    "load.reset": {
        "en": "{name}: {value} cannot be used here; reset to the default.",
        "zh": "{name}：{value} 无法使用，已重置为默认值。",
    },
    "load.kept": {
        "en": "{name} is not in the request; the {name} chosen in the form is sent.",
        "zh": "请求中没有 {name}；将发送表单中选定的 {name}。",
    },
    "load.form_value": {
        "en": "{name} is not in the request; the form sends {value}.",
        "zh": "请求中没有 {name}；表单将发送 {value}。",
    },
    "load.some_fields": {
        "en": "Some fields could not be loaded as they are: {notes}",
        "zh": "部分字段无法按原样加载：{notes}",
    },
    # -- share, export, import, code -------------------------------------------------------
    "menu.button": {"en": "Share · Export · Code", "zh": "分享 · 导出 · 代码"},
    "share.button": {"en": "Share", "zh": "分享"},
    "share.caption": {
        "en": "Anyone with this link opens the same request (never your key or server).",
        "zh": "打开此链接即可看到相同的请求（不含你的密钥和服务器地址）。",
    },
    "share.link_notes": {
        "en": "This link had values that could not be used: {notes}",
        "zh": "链接中有些值无法使用：{notes}",
    },
    "share.bad_value": {
        "en": "{name}={value} is not a valid value; it was reset to the default.",
        "zh": "{name}={value} 不是有效值，已重置为默认值。",
    },
    "share.unknown": {
        "en": "Unknown link parameter '{name}' was ignored.",
        "zh": "已忽略未知的链接参数 '{name}'。",
    },
    "share.damaged_prompt": {
        "en": "The link's prompt is damaged and was not loaded.",
        "zh": "链接中的提示已损坏，未能加载。",
    },
    "share.too_long": {
        "en": "The prompt is {count} characters: too long for a link (or the address bar), "
        "so the link leaves it out. Export the request to share all of it.",
        "zh": "提示有 {count} 个字符，放进链接（或地址栏）太长，所以链接不含提示。"
        "要分享全部内容，请导出请求。",
    },
    # -- compare: columns in a link, their connections and limits ---------------------------
    "compare.bad_value": {
        "en": "Column {column}: {name}={value} is not a valid value; the column follows the form "
        "there.",
        "zh": "第 {column} 列：{name}={value} 不是有效值，该列此项沿用表单的设置。",
    },
    "compare.bad_conn": {
        "en": "Column {column}: a link names a saved connection only, never a server address or "
        "a key; the column uses the current connection.",
        "zh": "第 {column} 列：链接只能写已保存连接的名称，不能写服务器地址或密钥；该列使用当前连接。",
    },
    "compare.column_count": {
        "en": "A comparison has {low} to {high} columns (this one has {count}).",
        "zh": "对比需要 {low} 到 {high} 列（当前 {count} 列）。",
    },
    "compare.column_problem": {
        "en": "Column {column}: {problem}",
        "zh": "第 {column} 列：{problem}",
    },
    "compare.too_many_choices": {
        "en": "The columns ask for {total} completions in all; one comparison may ask for at "
        "most {most} (n, or best_of when larger, summed over the columns).",
        "zh": "各列共需生成 {total} 个结果；一次对比最多 {most} 个（各列的 n 或更大的 best_of 之和）。",
    },
    "compare.unknown_conn": {
        "en": "Column {column}: there is no saved connection named '{name}' here; the column "
        "uses the current connection.",
        "zh": "第 {column} 列：这里没有名为“{name}”的已保存连接；该列使用当前连接。",
    },
    "compare.no_local": {
        "en": "Column {column}: the local model is not offered here; the column uses the "
        "current connection.",
        "zh": "第 {column} 列：此处不提供本地模型；该列使用当前连接。",
    },
    "compare.locked": {
        "en": "Column {column}: this instance only sends to its own server; the column uses "
        "it (models and settings still differ per column).",
        "zh": "第 {column} 列：此实例只向自己的服务器发送请求；该列使用它（各列的模型和参数仍可不同）。",
    },
    # -- compare: the switch, the columns, the diff ------------------------------------------
    "compare.switch": {"en": "Compare", "zh": "对比"},
    "compare.column": {"en": "Column {number}", "zh": "第 {number} 列"},
    "compare.add": {"en": "Add column", "zh": "添加一列"},
    "compare.remove": {"en": "Remove this column", "zh": "删除此列"},
    "compare.conn": {"en": "Connection", "zh": "连接"},
    "compare.conn_current": {"en": "Current connection", "zh": "当前连接"},
    "compare.conn_local": {"en": "Local model", "zh": "本地模型"},
    "compare.model": {"en": "Model", "zh": "模型"},
    "compare.form_model": {"en": "the form's model", "zh": "表单中的模型"},
    "compare.fields": {"en": "Fields", "zh": "参数"},
    "compare.field": {"en": "Field this column changes", "zh": "此列改动的参数"},
    "compare.value": {"en": "Value", "zh": "值"},
    "compare.value_help": {
        "en": "Written as in a share link (temperature: 1.5; stop: a JSON list). Empty: this "
        "column leaves the field out.",
        "zh": "写法同分享链接（temperature：1.5；stop：JSON 列表）。留空：此列不发送该参数。",
    },
    "compare.set": {"en": "Set", "zh": "设置"},
    "compare.unset": {"en": "Follow the form", "zh": "沿用表单"},
    "compare.bad_override": {
        "en": "{name} = {value} is not a valid value; nothing was changed.",
        "zh": "{name} = {value} 不是有效值；未作更改。",
    },
    "compare.export": {"en": "Export comparison (JSON)", "zh": "导出对比（JSON）"},
    "compare.view_code": {"en": "View code", "zh": "查看代码"},
    "compare.diff": {"en": "Diff", "zh": "差异"},
    "compare.diff_left": {"en": "Left", "zh": "左"},
    "compare.diff_right": {"en": "Right", "zh": "右"},
    "compare.same_column": {
        "en": "Pick two different columns.",
        "zh": "请选择两个不同的列。",
    },
    "compare.by_tokens": {
        "en": "Aligned by the tokens the servers returned.",
        "zh": "按服务器返回的词元对齐。",
    },
    "compare.by_words": {
        "en": "Aligned by words (a column has no token probabilities).",
        "zh": "按词对齐（有一列没有词元概率）。",
    },
    "compare.identical": {"en": "The two completions are the same.", "zh": "两个结果完全相同。"},
    "compare.first_at": {
        "en": {
            "one": "They part ways at character {chars} (token {token}); {count} difference in "
            "all.",
            "other": "They part ways at character {chars} (token {token}); {count} differences "
            "in all.",
        },
        "zh": "二者在第 {chars} 个字符（第 {token} 个词元）处开始不同；共 {count} 处差异。",
    },
    "compare.more_differences": {
        "en": "The first {shown} of {count} differences are listed; all are marked above.",
        "zh": "仅列出 {count} 处差异中的前 {shown} 处；上方已全部标出。",
    },
    "compare.difference": {
        "en": "Difference {number}, at character {chars}: {left} “{left_text}” · {right} "
        "“{right_text}”",
        "zh": "差异 {number}，第 {chars} 个字符处：{left}“{left_text}” · {right}“{right_text}”",
    },
    "compare.chances": {
        "en": "{left} gave {right}'s token {left_saw}; {right} gave {left}'s {right_saw}",
        "zh": "{left} 给 {right} 的词元 {left_saw}；{right} 给 {left} 的词元 {right_saw}",
    },
    "compare.not_in_top": {"en": "not in top {k}", "zh": "不在前 {k} 名"},
    "compare.branch_with": {"en": "Branch: {column}", "zh": "分支：{column}"},
    "compare.branch_help": {
        "en": "Continue the document from here with this column's token (then press Submit).",
        "zh": "从这里以该列的词元续写文档（然后按提交）。",
    },
    "compare.not_overridable": {
        "en": "Column {column} cannot change {name}: every column sends the form's.",
        "zh": "第 {column} 列不能更改 {name}：所有列都发送表单中的值。",
    },
    "export.too_long": {
        "en": "The request is {count} characters: too long to show here; download it.",
        "zh": "请求有 {count} 个字符，太长，无法在此显示；请下载。",
    },
    "export.button": {"en": "Export request", "zh": "导出请求"},
    "export.download": {"en": "Download request.json", "zh": "下载 request.json"},
    "import.button": {"en": "Import request", "zh": "导入请求"},
    "import.label": {"en": "Request JSON or curl command", "zh": "请求 JSON 或 curl 命令"},
    "import.load": {"en": "Load into the form", "zh": "填入表单"},
    "import.loaded": {"en": "Request loaded into the form.", "zh": "请求已填入表单。"},
    "import.empty": {
        "en": "Paste a request body (JSON) or a curl command first.",
        "zh": "请先粘贴请求体（JSON）或 curl 命令。",
    },
    "import.curl_unreadable": {
        "en": "The curl command could not be read ({reason}).",
        "zh": "无法解析该 curl 命令（{reason}）。",
    },
    "import.curl_no_data": {
        "en": "The curl command has no -d / --data / --data-raw body.",
        "zh": "该 curl 命令没有 -d / --data / --data-raw 请求体。",
    },
    "import.curl_file": {
        "en": "The curl command reads its body from a file; paste the JSON instead.",
        "zh": "该 curl 命令从文件读取请求体，请直接粘贴 JSON。",
    },
    "import.not_json": {
        "en": "The request is not valid JSON ({detail}).",
        "zh": "请求不是有效的 JSON（{detail}）。",
    },
    "import.nested": {"en": "The request is nested too deeply.", "zh": "请求嵌套层级过深。"},
    "import.not_object": {
        "en": 'The request must be a JSON object such as {{"model": …, "prompt": …}}.',
        "zh": '请求必须是 JSON 对象，例如 {{"model": …, "prompt": …}}。',
    },
    "code.button": {"en": "View code", "zh": "查看代码"},
    "code.lang.javascript": {
        "en": "JavaScript · fetch, browser/Node 18+",
        "zh": "JavaScript · fetch（浏览器 / Node 18+）",
    },
    "code.lang.http": {"en": "raw HTTP", "zh": "HTTP 原始请求"},
    "code.caption": {
        "en": "The key is read from the OPENAI_API_KEY environment variable.",
        "zh": "密钥从环境变量 OPENAI_API_KEY 读取。",
    },
    "code.too_long": {
        "en": "The request is {count} characters: the code is a download away.",
        "zh": "请求有 {count} 个字符：代码请下载查看。",
    },
    "code.download": {"en": "Download the code", "zh": "下载代码"},
    # -- history page ----------------------------------------------------------------------
    "hist.caption": {
        "en": {
            "one": "{count} run, kept in this browser only (never on the server, never with the "
            "key).",
            "other": "{count} runs, kept in this browser only (never on the server, never with "
            "the key).",
        },
        "zh": "共 {count} 条记录，只保存在本浏览器中（不在服务器上，也不含密钥）。",
    },
    "hist.download_all": {"en": "Download all", "zh": "全部下载"},
    "hist.clear": {"en": "Clear", "zh": "清空"},
    "hist.import": {"en": "Import", "zh": "导入"},
    "hist.import_label": {
        "en": "History file exported by this app",
        "zh": "本应用导出的历史记录文件",
    },
    "hist.paste_label": {
        "en": "…or paste or drop the file's text here (for files over {size} MB too)",
        "zh": "……或把文件的文本粘贴或拖放到这里（超过 {size} MB 的文件也可以）",
    },
    "hist.paste_import": {"en": "Import pasted text", "zh": "导入粘贴的文本"},
    "hist.paste_empty": {
        "en": "Paste the text of an exported history file first.",
        "zh": "请先粘贴导出的历史记录文件的文本。",
    },
    "hist.search": {"en": "Search prompt and output", "zh": "搜索提示和输出"},
    "hist.model": {"en": "Model", "zh": "模型"},
    "hist.status": {"en": "Status", "zh": "状态"},
    "hist.any": {"en": "All", "zh": "全部"},
    "hist.empty": {
        "en": "No runs yet. Submit a prompt in the Playground and it appears here.",
        "zh": "还没有记录。在调试台提交一个提示后会显示在这里。",
    },
    "hist.no_match": {"en": "No run matches the filter.", "zh": "没有符合筛选条件的记录。"},
    "hist.page": {"en": "Page (of {pages})", "zh": "页码（共 {pages} 页）"},
    "hist.showing": {
        "en": {
            "one": "Showing {shown} of {count} matching run.",
            "other": "Showing {shown} of {count} matching runs.",
        },
        "zh": "显示 {count} 条匹配记录中的 {shown} 条。",
    },
    "hist.open": {"en": "Open in playground", "zh": "在调试台打开"},
    "hist.open_document": {"en": "Open with completion", "zh": "连同补全打开"},
    "hist.open_document_help": {
        "en": "Load the request, with its prompt and completion as the document",
        "zh": "载入请求，并把提示和补全作为文档",
    },
    "hist.download": {"en": "Download", "zh": "下载"},
    "hist.delete": {"en": "Delete", "zh": "删除"},
    "hist.deleted": {"en": "Entry deleted.", "zh": "已删除该记录。"},
    "hist.request_json": {
        "en": "Request JSON (copy with the icon)",
        "zh": "请求 JSON（点击图标复制）",
    },
    "hist.response_json": {"en": "Response JSON", "zh": "响应 JSON"},
    "hist.meta": {"en": "Base URL: {url} · id {id}", "zh": "接口地址：{url} · ID {id}"},
    "hist.no_model": {"en": "(no model)", "zh": "（无模型）"},
    "hist.empty_prompt": {"en": "(empty prompt)", "zh": "（空提示）"},
    "hist.tokens": {
        "en": {"one": "{count} token", "other": "{count} tokens"},
        "zh": "{count} 个标记",
    },
    "hist.clear_title": {"en": "Clear history?", "zh": "清空历史记录？"},
    "hist.clear_body": {
        "en": {
            "one": "This deletes the {count} entry from this browser.",
            "other": "This deletes all {count} entries from this browser.",
        },
        "zh": "这将从本浏览器中删除全部 {count} 条记录。",
    },
    "hist.clear_confirm": {"en": "Clear everything", "zh": "全部清空"},
    "hist.cancel": {"en": "Cancel", "zh": "取消"},
    "hist.cleared": {"en": "History cleared.", "zh": "历史记录已清空。"},
    "hist.imported": {
        "en": {"one": "Imported {count} entry.", "other": "Imported {count} entries."},
        "zh": "已导入 {count} 条记录。",
    },
    "hist.skipped": {
        "en": {
            "one": "{count} already present was skipped.",
            "other": "{count} already present were skipped.",
        },
        "zh": "跳过已存在的 {count} 条。",
    },
    "hist.kept_newest": {
        "en": {
            "one": "The history holds at most {limit} runs: kept the newest {kept:,} of "
            "{count:,} new entry.",
            "other": "The history holds at most {limit} runs: kept the newest {kept:,} of "
            "{count:,} new entries.",
        },
        "zh": "历史记录最多保存 {limit} 条：在 {count:,} 条新记录中保留了最新的 {kept:,} 条。",
    },
    "hist.imported_badge": {"en": "Imported", "zh": "导入"},
    "hist.imported_note": {
        "en": "From an imported file: this browser did not run it, and its text may say anything.",
        "zh": "来自导入的文件：并非在本浏览器中运行，其中的文字可能是任意内容。",
    },
    "hist.not_imported": {
        "en": "Nothing was imported. {problems}",
        "zh": "未导入任何内容。{problems}",
    },
    "hist.storage_unavailable": {
        "en": "This browser does not allow local storage, so the history lasts only until the "
        "page is reloaded.",
        "zh": "此浏览器不允许本地存储，历史记录在刷新页面后将丢失。",
    },
    "hist.storage_full": {
        "en": "The browser's storage is full, so the history will not survive a reload.",
        "zh": "浏览器存储空间已满，历史记录在刷新页面后将丢失。",
    },
    "hist.storage_trimmed": {
        "en": "The browser's storage is full; only the newest entries that fit will survive a "
        "reload.",
        "zh": "浏览器存储空间已满；刷新页面后只保留能存下的最新记录。",
    },
    "hist.dropped": {
        "en": {
            "one": "The history keeps the newest {limit} runs; {count} older was dropped.",
            "other": "The history keeps the newest {limit} runs; {count} older were dropped.",
        },
        "zh": "历史记录只保留最新的 {limit} 条；已丢弃较早的 {count} 条。",
    },
    # history import problems
    "histfile.too_large": {
        "en": "The file is too large ({size} KiB; at most {most} KiB).",
        "zh": "文件过大（{size} KiB；最多 {most} KiB）。",
    },
    "histfile.not_utf8": {"en": "The file is not UTF-8 text.", "zh": "文件不是 UTF-8 文本。"},
    "histfile.not_json": {
        "en": "The file is not JSON ({detail}).",
        "zh": "文件不是 JSON（{detail}）。",
    },
    "histfile.not_object": {
        "en": "The file is JSON but not a history export (expected an object).",
        "zh": "文件是 JSON，但不是历史记录导出文件（应为对象）。",
    },
    "histfile.wrong_format": {
        "en": "The file is not a history export (format is not '{name}').",
        "zh": "文件不是历史记录导出文件（format 不是 '{name}'）。",
    },
    "histfile.wrong_version": {
        "en": "The file is version {found} of the history format; this app reads version "
        "{expected}.",
        "zh": "文件是第 {found} 版历史记录格式；本应用只能读取第 {expected} 版。",
    },
    "histfile.no_entries": {
        "en": "The file has no 'entries' list.",
        "zh": "文件中没有 'entries' 列表。",
    },
    "histfile.entry_not_object": {
        "en": "Entry {n} is not an object.",
        "zh": "第 {n} 条记录不是对象。",
    },
    "histfile.entry_missing": {
        "en": "Entry {n} has no '{key}'.",
        "zh": "第 {n} 条记录缺少 '{key}'。",
    },
    "histfile.entry_type": {
        "en": "Entry {n}: '{key}' has the wrong type.",
        "zh": "第 {n} 条记录：'{key}' 的类型不对。",
    },
    "histfile.entry_status": {
        "en": "Entry {n}: status must be one of {statuses}.",
        "zh": "第 {n} 条记录：status 必须是 {statuses} 之一。",
    },
    "histfile.entry_date": {
        "en": "Entry {n}: created_at is not a date and time.",
        "zh": "第 {n} 条记录：created_at 不是日期时间。",
    },
    "histfile.more": {
        "en": {"one": "…and {count} more problem.", "other": "…and {count} more problems."},
        "zh": "……另有 {count} 个问题。",
    },
    "histfile.nested": {
        "en": "The file is nested too deeply to read.",
        "zh": "文件嵌套层级过深，无法读取。",
    },
}
