# assemble.awk — the parser of the curl client (clients/shell/client.sh). POSIX awk (mawk, gawk,
# busybox awk); run with LC_ALL=C so that strings are bytes and UTF-8 passes through untouched.
#
# Input: what `curl -sS -N -D -` prints: the response headers (status line first), a blank line, the
# body. A `text/event-stream` body is read as server-sent events line by line; any other body is
# collected and parsed as one JSON document at the end.
# Output: one line of JSON, what a chat completions client assembles (see clients/README.md).
#
# The JSON parser flattens a document into J[path] (scalar value, strings decoded to UTF-8 bytes),
# T[path] (o a s n b z = object array string number boolean null), N[path] (member count) and
# K[path, i] (the i-th key of an object), with paths like "$.choices.0.delta.content".

BEGIN {
  HEX = "0123456789abcdef"
  phase = "headers"; status = 0; ctype = ""; sse = 0
  body = ""; data = ""; has_data = 0; stopped = 0; nchoice = 0; exception = ""
  for (i = 0; i < 32; i++) CTRL[sprintf("%c", i)] = sprintf("\\u%04x", i)
  CTRL["\n"] = "\\n"; CTRL["\r"] = "\\r"; CTRL["\t"] = "\\t"
}

# ---- JSON parser ------------------------------------------------------------------------------

function json_parse(text, root) {
  split("", J); split("", T); split("", N); split("", K)
  JS = text; JP = 1; JL = length(text); JERR = ""
  ws()
  if (!value(root)) return 0
  ws()
  if (JP <= JL) { JERR = "trailing characters at " JP; return 0 }
  return 1
}

function ws(   c) {
  while (JP <= JL) {
    c = substr(JS, JP, 1)
    if (c == " " || c == "\t" || c == "\n" || c == "\r") JP++
    else break
  }
}

function value(path,   c, rest) {
  if (JP > JL) { JERR = "unexpected end"; return 0 }
  c = substr(JS, JP, 1)
  if (c == "{") return object(path)
  if (c == "[") return array(path)
  if (c == "\"") { if (!string()) return 0; T[path] = "s"; J[path] = STR; return 1 }
  if (substr(JS, JP, 4) == "true") { JP += 4; T[path] = "b"; J[path] = "true"; return 1 }
  if (substr(JS, JP, 5) == "false") { JP += 5; T[path] = "b"; J[path] = "false"; return 1 }
  if (substr(JS, JP, 4) == "null") { JP += 4; T[path] = "z"; J[path] = "null"; return 1 }
  rest = substr(JS, JP, 64)
  if (match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
    T[path] = "n"; J[path] = substr(rest, 1, RLENGTH); JP += RLENGTH; return 1
  }
  JERR = "unexpected character at " JP
  return 0
}

function object(path,   n, key, c) {
  JP++; T[path] = "o"; n = 0; N[path] = 0
  ws()
  if (substr(JS, JP, 1) == "}") { JP++; return 1 }
  while (1) {
    ws()
    if (substr(JS, JP, 1) != "\"") { JERR = "expected a key at " JP; return 0 }
    if (!string()) return 0
    key = STR
    ws()
    if (substr(JS, JP, 1) != ":") { JERR = "expected : at " JP; return 0 }
    JP++; ws()
    if (!((path "." key) in T)) { n++; K[path, n] = key; N[path] = n }   # a repeated key keeps its place
    if (!value(path "." key)) return 0
    ws()
    c = substr(JS, JP, 1); JP++
    if (c == "}") return 1
    if (c != ",") { JERR = "expected , or } at " (JP - 1); return 0 }
  }
}

function array(path,   n, c) {
  JP++; T[path] = "a"; n = 0; N[path] = 0
  ws()
  if (substr(JS, JP, 1) == "]") { JP++; return 1 }
  while (1) {
    ws()
    if (!value(path "." n)) return 0
    n++; N[path] = n
    ws()
    c = substr(JS, JP, 1); JP++
    if (c == "]") return 1
    if (c != ",") { JERR = "expected , or ] at " (JP - 1); return 0 }
  }
}

# Reads the string at JP into STR (escapes decoded; \u escapes become UTF-8 bytes).
function string(   out, rest, c, cp, lo) {
  JP++; out = ""
  while (1) {
    rest = substr(JS, JP, 256)
    if (match(rest, /^[^"\\]+/)) { out = out substr(rest, 1, RLENGTH); JP += RLENGTH; continue }
    if (JP > JL) { JERR = "unterminated string"; return 0 }
    c = substr(JS, JP, 1)
    if (c == "\"") { JP++; STR = out; return 1 }
    c = substr(JS, JP + 1, 1); JP += 2
    if (c == "n") out = out "\n"
    else if (c == "t") out = out "\t"
    else if (c == "r") out = out "\r"
    else if (c == "b") out = out "\b"
    else if (c == "f") out = out "\f"
    else if (c == "/" || c == "\\" || c == "\"") out = out c
    else if (c == "u") {
      cp = hex4(substr(JS, JP, 4)); JP += 4
      if (cp < 0) { JERR = "bad \\u escape"; return 0 }
      if (cp >= 55296 && cp <= 56319 && substr(JS, JP, 2) == "\\u") {
        lo = hex4(substr(JS, JP + 2, 4))
        if (lo >= 56320 && lo <= 57343) { cp = 65536 + (cp - 55296) * 1024 + (lo - 56320); JP += 6 }
      }
      out = out utf8(cp)
    } else { JERR = "bad escape"; return 0 }
  }
}

function hex4(s,   i, d, v) {
  if (length(s) != 4) return -1
  v = 0
  for (i = 1; i <= 4; i++) {
    d = index(HEX, tolower(substr(s, i, 1)))
    if (d == 0) return -1
    v = v * 16 + d - 1
  }
  return v
}

function utf8(cp) {
  if (cp < 128) return sprintf("%c", cp)
  if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
  if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
  return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}

# ---- JSON writer --------------------------------------------------------------------------------

function quote(s,   out, i, c, rest) {
  out = ""
  while (length(s) > 0) {
    if (match(s, /^[^"\\\001-\037]+/)) { out = out substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1); continue }
    c = substr(s, 1, 1); s = substr(s, 2)
    if (c == "\"" || c == "\\") out = out "\\" c
    else if (c in CTRL) out = out CTRL[c]
    else out = out c
  }
  return "\"" out "\""
}

# Re-serializes the parsed value at path (compact).
function serialize(path,   out, i) {
  if (T[path] == "s") return quote(J[path])
  if (T[path] == "o") {
    out = "{"
    for (i = 1; i <= N[path]; i++) out = out (i > 1 ? "," : "") quote(K[path, i]) ":" serialize(path "." K[path, i])
    return out "}"
  }
  if (T[path] == "a") {
    out = "["
    for (i = 0; i < N[path]; i++) out = out (i > 0 ? "," : "") serialize(path "." i)
    return out "]"
  }
  return J[path]
}

function str_at(path) { return (path in T && T[path] == "s") ? J[path] : "" }
function has_str(path) { return path in T && T[path] == "s" }

# ---- assembly ---------------------------------------------------------------------------------------

function choice_slot(ix) {
  if (!(ix in SEEN_CHOICE)) { SEEN_CHOICE[ix] = 1; CHOICES[++nchoice] = ix }
}

# Merges choices of the parsed chunk (stream: delta) or completion (message) at $.
function take_choices(kind,   n, i, p, idx, m, r, nt, j, f, ti, id, known, k) {
  n = N["$.choices"]
  for (i = 0; i < n; i++) {
    p = "$.choices." i
    idx = (p ".index" in T && T[p ".index"] == "n") ? J[p ".index"] + 0 : i
    choice_slot(idx)
    m = p "." kind
    if (has_str(m ".content")) CONTENT[idx] = CONTENT[idx] J[m ".content"]
    if (has_str(m ".reasoning_content")) REASON[idx] = REASON[idx] J[m ".reasoning_content"]
    else if (has_str(m ".reasoning")) REASON[idx] = REASON[idx] J[m ".reasoning"]
    if (has_str(m ".refusal")) REFUSAL[idx] = REFUSAL[idx] J[m ".refusal"]
    nt = (m ".tool_calls" in T && T[m ".tool_calls"] == "a") ? N[m ".tool_calls"] : 0
    for (j = 0; j < nt; j++) {
      f = m ".tool_calls." j
      id = str_at(f ".id")
      if (kind == "message") ti = j
      else if (f ".index" in T && T[f ".index"] == "n") ti = J[f ".index"] + 0
      else {
        known = 0
        for (k = 0; k < NCALLS[idx]; k++) if (CALL_ID[idx, CALL_AT[idx, k]] == id) known = 1
        if (id != "" && !known) ti = NCALLS[idx] + 0
        else ti = (idx in LAST_CALL) ? LAST_CALL[idx] : 0
      }
      if (!((idx, ti) in CALL_SEEN)) { CALL_SEEN[idx, ti] = 1; CALL_AT[idx, NCALLS[idx]++] = ti }
      LAST_CALL[idx] = ti
      if (id != "") CALL_ID[idx, ti] = id
      if (str_at(f ".function.name") != "") CALL_NAME[idx, ti] = J[f ".function.name"]
      if (has_str(f ".function.arguments")) CALL_ARGS[idx, ti] = CALL_ARGS[idx, ti] J[f ".function.arguments"]
      else if (kind == "message" && (f ".function.arguments") in T) CALL_ARGS[idx, ti] = serialize(f ".function.arguments")
    }
    if (str_at(p ".finish_reason") != "") FINISH[idx] = J[p ".finish_reason"]
  }
}

function take_usage(   u) {
  u = "$.usage"
  if (u in T && T[u] == "o") {
    USAGE = "{\"prompt_tokens\":" num(u ".prompt_tokens") ",\"completion_tokens\":" num(u ".completion_tokens") ",\"total_tokens\":" num(u ".total_tokens") "}"
  }
}
function num(path) { return (path in T && T[path] == "n") ? J[path] : "null" }

# The error of the parsed document, as JSON, or "" when it is none.
function take_error(   e, type, code) {
  if ("$.error" in T && T["$.error"] == "o") e = "$.error"
  else if ("$.error" in T && T["$.error"] == "s") e = "$.none"
  else if (str_at("$.object") == "error") e = "$"
  else return ""
  type = has_str(e ".type") ? quote(J[e ".type"]) : "null"
  if (!((e ".code") in T) || T[e ".code"] == "z") code = "null"
  else if (T[e ".code"] == "s") code = quote(J[e ".code"])
  else code = quote(J[e ".code"])
  return "{\"status\":" status ",\"type\":" type ",\"code\":" code "}"
}

function dispatch(text,   err) {
  if (text ~ /^[ \t]*\[DONE\][ \t]*$/) { stopped = 1; return }
  if (!json_parse(text, "$")) { exception = "an event is not JSON (" JERR ")"; stopped = 1; return }
  err = take_error()
  if (err != "") { ERROR = err; stopped = 1; return }
  take_usage()
  if ("$.choices" in T && T["$.choices"] == "a") take_choices("delta")
}

# ---- input ------------------------------------------------------------------------------------------

{ sub(/\r$/, "") }

phase == "headers" {
  if ($0 ~ /^HTTP\//) { split($0, parts, " "); status = parts[2] + 0; next }
  if ($0 == "") {
    if (status >= 100 && status < 200) next   # 100 Continue: the real headers follow
    phase = "body"; sse = (tolower(ctype) ~ /text\/event-stream/) && status < 300
    next
  }
  if (tolower($0) ~ /^content-type:/) { ctype = $0; sub(/^[^:]*:[ \t]*/, "", ctype) }
  next
}

phase == "body" && !sse { body = body (body == "" ? "" : "\n") $0; next }

phase == "body" && sse && !stopped {
  if (first_line_seen == 0) { first_line_seen = 1; sub(/^\357\273\277/, "") }   # BOM
  if ($0 == "") { if (has_data) dispatch(data); data = ""; has_data = 0; next }
  if ($0 ~ /^:/) next                                                           # comment
  field = $0; val = ""
  if ((c = index($0, ":")) > 0) { field = substr($0, 1, c - 1); val = substr($0, c + 1); sub(/^ /, "", val) }
  if (field == "data") { data = has_data ? data "\n" val : val; has_data = 1 }
  next
}

END {
  if (status == 0) { print "{\"exception\":\"no HTTP response\"}"; exit }
  if (!sse) {
    if (!json_parse(body, "$")) {
      if (status >= 400) print "{\"error\":{\"status\":" status ",\"type\":null,\"code\":null}}"
      else print "{\"exception\":" quote("the body is not JSON (" JERR ")") "}"
      exit
    }
    err = take_error()
    if (err == "" && status >= 400) err = "{\"status\":" status ",\"type\":null,\"code\":null}"
    if (err != "") { print "{\"error\":" err "}"; exit }
    take_usage()
    if ("$.choices" in T && T["$.choices"] == "a") take_choices("message")
  }
  # sort the choice indexes (insertion sort; n is tiny)
  for (i = 2; i <= nchoice; i++) { v = CHOICES[i]; for (j = i - 1; j >= 1 && CHOICES[j] > v; j--) CHOICES[j + 1] = CHOICES[j]; CHOICES[j + 1] = v }
  list = ""
  for (i = 1; i <= nchoice; i++) { one = choice_json(CHOICES[i]); list = list (i > 1 ? "," : "") one; if (i == 1) first = one }
  out = ""
  if (nchoice > 0) out = substr(first, 2, length(first) - 2)
  if (nchoice > 1) out = out ",\"choices\":[" list "]"
  if (USAGE != "") out = out (out == "" ? "" : ",") "\"usage\":" USAGE
  if (ERROR != "") out = out (out == "" ? "" : ",") "\"error\":" ERROR
  if (exception != "") out = out (out == "" ? "" : ",") "\"exception\":" quote(exception)
  print "{" out "}"
}

function choice_json(idx,   out, k, ti, calls, args) {
  out = "\"content\":" (CONTENT[idx] == "" ? "null" : quote(CONTENT[idx]))
  if (REASON[idx] != "") out = out ",\"reasoning\":" quote(REASON[idx])
  if (REFUSAL[idx] != "") out = out ",\"refusal\":" quote(REFUSAL[idx])
  if (NCALLS[idx] > 0) {
    sort_calls(idx)
    calls = ""
    for (k = 0; k < NCALLS[idx]; k++) {
      ti = CALL_AT[idx, k]
      # the arguments are parsed; valid JSON is written back as a JSON value, anything else as a string
      args = json_parse(CALL_ARGS[idx, ti], "$") ? serialize("$") : quote(CALL_ARGS[idx, ti])
      calls = calls (k > 0 ? "," : "") "{" ((idx, ti) in CALL_ID ? "\"id\":" quote(CALL_ID[idx, ti]) "," : "") \
        "\"name\":" quote(CALL_NAME[idx, ti]) ",\"arguments\":" args "}"
    }
    out = out ",\"tool_calls\":[" calls "]"
  }
  if (FINISH[idx] != "") out = out ",\"finish_reason\":" quote(FINISH[idx])
  return "{" out "}"
}

function sort_calls(idx,   i, j, v) {
  for (i = 1; i < NCALLS[idx]; i++) {
    v = CALL_AT[idx, i]
    for (j = i - 1; j >= 0 && CALL_AT[idx, j] > v; j--) CALL_AT[idx, j + 1] = CALL_AT[idx, j]
    CALL_AT[idx, j + 1] = v
  }
}
