// Client: Java 17, java.net.http only. Run as a single source file: `java Client.java`.
//
// Reads jobs from stdin (JSON Lines: {"scenario": ID, "request": {...}}), sends each request to
// $OAI_BASE_URL/chat/completions with the header x-mock-scenario, prints one JSON line per job with
// what it assembled (see clients/README.md). A minimal JSON reader and writer are at the end.
//
// Streams: BodyHandlers.ofInputStream; the bytes are split into lines at LF, CRLF or CR *before*
// decoding, so a UTF-8 character split across network reads is whole when its line is decoded.

import java.io.*;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;

public class Client {
  static final String BASE_URL = env("OAI_BASE_URL", "http://127.0.0.1:4010/v1").replaceAll("/+$", "");
  static final String API_KEY = env("OAI_API_KEY", "sk-mock");
  static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    for (String line : input.split("\n")) {
      if (line.isBlank()) continue;
      Map<String, Object> job = asMap(Json.parse(line));
      String scenario = (String) job.get("scenario");
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("scenario", scenario);
      try {
        result.putAll(run(scenario, job.get("request"), asMap(job.get("headers"))));
      } catch (Exception e) {
        result.put("exception", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.println(Json.write(result));
    }
  }

  static Map<String, Object> run(String scenario, Object request, Map<String, Object> headers) throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(BASE_URL + "/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .setHeader("Content-Type", "application/json")
        .setHeader("Accept", "text/event-stream, application/json")
        .setHeader("Authorization", "Bearer " + API_KEY)
        .setHeader("x-mock-scenario", scenario);
    for (Map.Entry<String, Object> h : headers.entrySet()) builder.setHeader(h.getKey(), String.valueOf(h.getValue()));
    HttpRequest req = builder.POST(HttpRequest.BodyPublishers.ofString(Json.write(request), StandardCharsets.UTF_8)).build();
    HttpResponse<InputStream> res = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    String contentType = res.headers().firstValue("content-type").orElse("");
    try (InputStream body = res.body()) {
      if (res.statusCode() < 300 && contentType.contains("text/event-stream")) return assembleStream(body, res.statusCode());
      String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      Object json;
      try {
        json = Json.parse(text);
      } catch (RuntimeException e) {
        if (res.statusCode() >= 400) return Map.of("error", error(res.statusCode(), null, null));
        throw e;
      }
      Map<String, Object> err = errorOf(json, res.statusCode());
      if (err != null) return Map.of("error", err);
      if (res.statusCode() >= 400) return Map.of("error", error(res.statusCode(), null, null));
      return assembleCompletion(asMap(json));
    }
  }

  // ---- SSE ---------------------------------------------------------------------------------------

  /** Lines of an SSE body: split at LF, CRLF or CR on bytes, each line decoded as UTF-8. */
  static final class LineReader {
    final InputStream in;
    boolean pendingCr = false;

    LineReader(InputStream in) { this.in = new BufferedInputStream(in, 65536); }

    /** The next line without its end, or null at the end of the body (an unterminated last line is dropped). */
    String readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != -1; b = in.read()) {
        boolean afterCr = pendingCr;
        pendingCr = b == '\r';
        if (b == '\n' && afterCr) continue; // the LF of a CRLF
        if (b == '\n' || b == '\r') return line.toString(StandardCharsets.UTF_8);
        line.write(b);
      }
      return null;
    }
  }

  static final class Choice {
    final StringBuilder content = new StringBuilder(), reasoning = new StringBuilder(), refusal = new StringBuilder();
    final TreeMap<Integer, String[]> calls = new TreeMap<>(); // index -> {id, name, arguments}
    Integer lastCall = null;
    String finish = null;

    void addDelta(Map<String, Object> choice) {
      Map<String, Object> delta = asMap(choice.get("delta"));
      if (delta.get("content") instanceof String s) content.append(s);
      if (reasoningOf(delta) instanceof String s) reasoning.append(s);
      if (delta.get("refusal") instanceof String s) refusal.append(s);
      if (delta.get("tool_calls") instanceof List<?> fragments) {
        for (Object f : fragments) {
          Map<String, Object> fragment = asMap(f);
          Integer index = fragment.get("index") instanceof BigDecimal n ? n.intValue() : null;
          Object id = fragment.get("id");
          if (index == null) {
            boolean known = calls.values().stream().anyMatch(c -> id != null && id.equals(c[0]));
            index = (id instanceof String s && !s.isEmpty() && !known) ? calls.size() : (lastCall == null ? 0 : lastCall);
          }
          String[] call = calls.computeIfAbsent(index, k -> new String[] {null, "", ""});
          lastCall = index;
          if (id instanceof String s && !s.isEmpty()) call[0] = s;
          Map<String, Object> fn = asMap(fragment.get("function"));
          if (fn.get("name") instanceof String s && !s.isEmpty()) call[1] = s;
          if (fn.get("arguments") instanceof String s) call[2] += s;
        }
      }
      if (choice.get("finish_reason") instanceof String s && !s.isEmpty()) finish = s;
    }

    Map<String, Object> result() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("content", nonEmpty(content.toString()));
      putIf(out, "reasoning", nonEmpty(reasoning.toString()));
      putIf(out, "refusal", nonEmpty(refusal.toString()));
      if (!calls.isEmpty()) {
        List<Object> list = new ArrayList<>();
        for (String[] c : calls.values()) list.add(toolCall(c[0], c[1], c[2]));
        out.put("tool_calls", list);
      }
      putIf(out, "finish_reason", finish);
      return out;
    }
  }

  static Map<String, Object> assembleStream(InputStream body, int status) throws IOException {
    LineReader reader = new LineReader(body);
    TreeMap<Integer, Choice> choices = new TreeMap<>();
    Map<String, Object> out = new LinkedHashMap<>();
    Object usage = null;
    StringBuilder data = null;
    boolean first = true;
    String line;
    while ((line = reader.readLine()) != null) {
      if (first) {
        first = false;
        if (line.startsWith("\uFEFF")) line = line.substring(1);
      }
      if (line.isEmpty()) {
        if (data == null) continue;
        String event = data.toString();
        data = null;
        if (event.strip().equals("[DONE]")) break;
        Map<String, Object> chunk = asMap(Json.parse(event));
        Map<String, Object> err = errorOf(chunk, status);
        if (err != null) {
          out.put("error", err);
          break;
        }
        if (chunk.get("usage") instanceof Map<?, ?>) usage = usageOf(asMap(chunk.get("usage")));
        if (chunk.get("choices") instanceof List<?> list) {
          for (Object c : list) {
            Map<String, Object> choice = asMap(c);
            choices.computeIfAbsent(intOr(choice.get("index"), 0), k -> new Choice()).addDelta(choice);
          }
        }
        continue;
      }
      if (line.startsWith(":")) continue; // comment, e.g. keep-alive
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      if (field.equals("data")) {
        if (data == null) data = new StringBuilder(value);
        else data.append('\n').append(value);
      }
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Choice c : choices.values()) results.add(c.result());
    Map<String, Object> assembled = attach(results);
    if (usage != null) assembled.put("usage", usage);
    assembled.putAll(out);
    return assembled;
  }

  // ---- non-stream ---------------------------------------------------------------------------------

  static Map<String, Object> assembleCompletion(Map<String, Object> body) {
    TreeMap<Integer, Map<String, Object>> sorted = new TreeMap<>();
    if (body.get("choices") instanceof List<?> list) {
      int position = 0;
      for (Object c : list) {
        Map<String, Object> choice = asMap(c);
        int index = intOr(choice.get("index"), position++);
        Map<String, Object> message = asMap(choice.get("message"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("content", nonEmpty(message.get("content")));
        putIf(r, "reasoning", nonEmpty(reasoningOf(message)));
        putIf(r, "refusal", nonEmpty(message.get("refusal")));
        if (message.get("tool_calls") instanceof List<?> calls && !calls.isEmpty()) {
          List<Object> out = new ArrayList<>();
          for (Object t : calls) {
            Map<String, Object> call = asMap(t);
            Map<String, Object> fn = asMap(call.get("function"));
            out.add(toolCall(call.get("id") instanceof String s ? s : null,
                fn.get("name") instanceof String s ? s : "", fn.get("arguments")));
          }
          r.put("tool_calls", out);
        }
        putIf(r, "finish_reason", nonEmpty(choice.get("finish_reason")));
        sorted.put(index, r);
      }
    }
    Map<String, Object> out = attach(new ArrayList<>(sorted.values()));
    if (body.get("usage") instanceof Map<?, ?>) out.put("usage", usageOf(asMap(body.get("usage"))));
    return out;
  }

  // ---- shared -------------------------------------------------------------------------------------

  static Map<String, Object> attach(List<Map<String, Object>> results) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!results.isEmpty()) out.putAll(results.get(0));
    if (results.size() > 1) out.put("choices", results);
    return out;
  }

  static Map<String, Object> toolCall(String id, String name, Object arguments) {
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "id", id);
    out.put("name", name);
    Object parsed = arguments;
    if (arguments instanceof String s) {
      try {
        parsed = Json.parse(s);
      } catch (RuntimeException e) {
        parsed = s; // not JSON: printed as the raw string
      }
    }
    out.put("arguments", parsed);
    return out;
  }

  static Map<String, Object> usageOf(Map<String, Object> u) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : new String[] {"prompt_tokens", "completion_tokens", "total_tokens"}) out.put(k, u.get(k));
    return out;
  }

  static Map<String, Object> errorOf(Object json, int status) {
    if (!(json instanceof Map<?, ?>)) return null;
    Map<String, Object> body = asMap(json);
    Map<String, Object> err;
    if (body.get("error") instanceof Map<?, ?>) err = asMap(body.get("error"));
    else if (body.get("error") instanceof String) err = Map.of();
    else if ("error".equals(body.get("object"))) err = body;
    else return null;
    Object code = err.get("code");
    return error(status, err.get("type") instanceof String s ? s : null, code == null ? null : Json.text(code));
  }

  static Map<String, Object> error(int status, String type, String code) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", new BigDecimal(status));
    out.put("type", type);
    out.put("code", code);
    return out;
  }

  /** The string when `v` is one and not empty, else null. */
  static String nonEmpty(Object v) {
    return v instanceof String s && !s.isEmpty() ? s : null;
  }

  static int intOr(Object v, int fallback) {
    return v instanceof BigDecimal n ? n.intValue() : fallback;
  }

  /** `reasoning_content` (DeepSeek, vLLM, llama.cpp), else `reasoning` (OpenRouter, newer vLLM). */
  static Object reasoningOf(Map<String, Object> m) {
    return m.get("reasoning_content") instanceof String ? m.get("reasoning_content") : m.get("reasoning");
  }

  static void putIf(Map<String, Object> out, String key, Object value) {
    if (value != null) out.put(key, value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
  }

  /** A minimal JSON reader and writer: objects → LinkedHashMap, arrays → ArrayList, numbers → BigDecimal. */
  static final class Json {
    /** The characters after a backslash (`\\n`), and the ones they stand for. */
    static final String ESCAPES = "\"\\/bfnrt", ESCAPED = "\"\\/\b\f\n\r\t";
    final String s;
    int i = 0;

    Json(String s) { this.s = s; }

    static Object parse(String text) {
      Json p = new Json(text);
      p.ws();
      Object v = p.value();
      p.ws();
      if (p.i != text.length()) throw p.fail("trailing characters");
      return v;
    }

    RuntimeException fail(String what) {
      return new IllegalArgumentException("JSON: " + what + " at " + i);
    }

    void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    Object value() {
      if (i >= s.length()) throw fail("unexpected end");
      char c = s.charAt(i);
      switch (c) {
        case '{': return object();
        case '[': return array();
        case '"': return string();
        case 't': return literal("true", Boolean.TRUE);
        case 'f': return literal("false", Boolean.FALSE);
        case 'n': return literal("null", null);
        default: return number();
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) throw fail("unexpected token");
      i += word.length();
      return v;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      items('}', () -> {
        if (i >= s.length() || s.charAt(i) != '"') throw fail("expected a key");
        String k = string();
        ws();
        if (i >= s.length() || s.charAt(i) != ':') throw fail("expected ':'");
        i++;
        ws();
        m.put(k, value());
      });
      return m;
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      items(']', () -> l.add(value()));
      return l;
    }

    /** The comma-separated items of an object or array, from its opening character to `close`. */
    void items(char close, Runnable item) {
      i++;
      ws();
      if (i < s.length() && s.charAt(i) == close) { i++; return; }
      while (true) {
        ws();
        item.run();
        ws();
        if (i >= s.length()) throw fail("unexpected end");
        char c = s.charAt(i++);
        if (c == close) return;
        if (c != ',') throw fail("expected ',' or '" + close + "'");
      }
    }

    String string() {
      StringBuilder b = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) throw fail("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c < 0x20) throw fail("control character in string");
        if (c != '\\') { b.append(c); continue; }
        if (i >= s.length()) throw fail("unterminated escape");
        char e = s.charAt(i++);
        if (ESCAPES.indexOf(e) >= 0) b.append(ESCAPED.charAt(ESCAPES.indexOf(e)));
        else if (e != 'u') throw fail("bad escape");
        else if (i + 4 > s.length()) throw fail("short \\u escape");
        else {
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); // surrogate pairs combine in UTF-16
          } catch (NumberFormatException x) {
            throw fail("bad \\u escape");
          }
          i += 4;
        }
      }
    }

    BigDecimal number() {
      int start = i;
      if (i < s.length() && s.charAt(i) == '-') i++;
      while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
      try {
        return new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException x) {
        i = start;
        throw fail("bad number");
      }
    }

    static String text(Object v) {
      return v instanceof String str ? str : write(v);
    }

    static String write(Object v) {
      if (v == null) return "null";
      if (v instanceof String str) return quote(str);
      if (v instanceof Number || v instanceof Boolean) return v.toString();
      if (v instanceof Map<?, ?> m) return "{" + String.join(",", m.entrySet().stream().map(e -> quote(String.valueOf(e.getKey())) + ":" + write(e.getValue())).toList()) + "}";
      if (v instanceof List<?> l) return "[" + String.join(",", l.stream().map(Json::write).toList()) + "]";
      return quote(v.toString());
    }

    static String quote(String str) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : str.toCharArray()) {
        int k = "\"\\\n\r\t".indexOf(c); // written as \" \\ \n \r \t
        if (k >= 0) b.append('\\').append("\"\\nrt".charAt(k));
        else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      return b.append('"').toString();
    }
  }
}
