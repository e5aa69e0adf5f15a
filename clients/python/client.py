#!/usr/bin/env python3
"""Client: Python 3 with the standard library only (urllib.request, codecs, json).

Reads jobs from stdin (JSON Lines: {"scenario": ID, "request": {...}}), sends each request to
$OAI_BASE_URL/chat/completions with the header x-mock-scenario, and prints one JSON line per job
with what it assembled (see clients/README.md).

Streams are read incrementally: raw bytes as they arrive (read1), an incremental UTF-8 decoder (a
character split across network reads is completed by the next read), then an SSE line splitter that
accepts CRLF, LF and CR line ends (a CR at the end of a read waits for the next read, in case LF follows).
"""
import codecs
import json
import os
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("OAI_BASE_URL", "http://127.0.0.1:4010/v1").rstrip("/")
API_KEY = os.environ.get("OAI_API_KEY", "sk-mock")
TIMEOUT = 30


class SseReader:
    """Server-sent events from a binary response, per the HTML Living Standard."""

    def __init__(self, response):
        self.response = response
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.pending = ""
        self.first = True

    def lines(self):
        while True:
            raw = self.response.read1(65536)
            eof = not raw
            text = self.decoder.decode(raw, final=eof)
            if self.first and text:
                self.first = False
                if text.startswith("\ufeff"):
                    text = text[1:]
            self.pending += text
            start = 0
            buf = self.pending
            i = 0
            n = len(buf)
            while i < n:
                c = buf[i]
                if c == "\n":
                    yield buf[start:i]
                    start = i + 1
                elif c == "\r":
                    if i + 1 < n:
                        yield buf[start:i]
                        start = i + 2 if buf[i + 1] == "\n" else i + 1
                        i = start - 1
                    elif eof:
                        yield buf[start:i]
                        start = i + 1
                    else:
                        break  # a CR at the end of this read: wait for the next one
                i += 1
            self.pending = buf[start:]
            if eof:
                return  # an unterminated last line is discarded, like an incomplete event

    def events(self):
        data = []
        for line in self.lines():
            if line == "":
                if data:
                    yield "\n".join(data)
                data = []
                continue
            if line.startswith(":"):
                continue  # comment (keep-alive)
            field, sep, value = line.partition(":")
            if sep and value.startswith(" "):
                value = value[1:]
            if field == "data":
                data.append(value)
            # event, id, retry: not used by chat completions


class Choice:
    def __init__(self):
        self.content = ""
        self.reasoning = ""
        self.refusal = ""
        self.calls = {}  # index -> {"id", "name", "arguments"}
        self.last_call = None
        self.finish = None

    def add_delta(self, choice):
        delta = choice.get("delta") or {}
        if isinstance(delta.get("content"), str):
            self.content += delta["content"]
        reasoning = delta.get("reasoning_content")
        if not isinstance(reasoning, str):
            reasoning = delta.get("reasoning")
        if isinstance(reasoning, str):
            self.reasoning += reasoning
        if isinstance(delta.get("refusal"), str):
            self.refusal += delta["refusal"]
        for fragment in delta.get("tool_calls") or []:
            if not isinstance(fragment, dict):
                continue
            index = fragment.get("index")
            if not isinstance(index, int):
                known_ids = {c.get("id") for c in self.calls.values()}
                if fragment.get("id") and fragment["id"] not in known_ids:
                    index = len(self.calls)
                else:
                    index = self.last_call if self.last_call is not None else 0
            call = self.calls.setdefault(index, {"id": None, "name": "", "arguments": ""})
            self.last_call = index
            if fragment.get("id"):
                call["id"] = fragment["id"]
            function = fragment.get("function") or {}
            if function.get("name"):
                call["name"] = function["name"]
            if isinstance(function.get("arguments"), str):
                call["arguments"] += function["arguments"]
        if choice.get("finish_reason"):
            self.finish = choice["finish_reason"]

    def result(self):
        out = {"content": self.content or None}
        if self.reasoning:
            out["reasoning"] = self.reasoning
        if self.refusal:
            out["refusal"] = self.refusal
        if self.calls:
            out["tool_calls"] = [tool_call(c["id"], c["name"], c["arguments"]) for _, c in sorted(self.calls.items())]
        if self.finish:
            out["finish_reason"] = self.finish
        return out


def parse_arguments(text):
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def tool_call(call_id, name, arguments):
    out = {"name": name, "arguments": parse_arguments(arguments)}
    if call_id:
        out["id"] = call_id
    return out


def usage_of(usage):
    if not isinstance(usage, dict):
        return None
    return {k: usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}


def error_of(body, status):
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, str):
        err = {"message": err}
    if not isinstance(err, dict):
        if isinstance(body, dict) and body.get("object") == "error":
            err = body
        else:
            return None
    code = err.get("code")
    return {"status": status, "type": err.get("type") if isinstance(err.get("type"), str) else None,
            "code": None if code is None else str(code)}


def attach(out, results):
    if results:
        out.update(results[0])
    if len(results) > 1:
        out["choices"] = results


def assemble_stream(response):
    choices = {}
    out = {}
    usage = None
    for data in SseReader(response).events():
        if data.strip() == "[DONE]":
            break
        chunk = json.loads(data)
        err = error_of(chunk, response.status)
        if err:
            out["error"] = err
            break
        if isinstance(chunk.get("usage"), dict):
            usage = usage_of(chunk["usage"])
        for choice in chunk.get("choices") or []:
            index = choice.get("index", 0) if isinstance(choice.get("index"), int) else 0
            choices.setdefault(index, Choice()).add_delta(choice)
    attach(out, [c.result() for _, c in sorted(choices.items())])
    if usage:
        out["usage"] = usage
    return out


def assemble_completion(body):
    results = []
    for choice in sorted(body.get("choices") or [], key=lambda c: c.get("index", 0)):
        message = choice.get("message") or {}
        r = {"content": message.get("content") or None}
        reasoning = message.get("reasoning_content")
        if not isinstance(reasoning, str):
            reasoning = message.get("reasoning")
        if isinstance(reasoning, str) and reasoning:
            r["reasoning"] = reasoning
        if isinstance(message.get("refusal"), str) and message["refusal"]:
            r["refusal"] = message["refusal"]
        calls = message.get("tool_calls") or []
        if calls:
            r["tool_calls"] = [tool_call(c.get("id"), (c.get("function") or {}).get("name", ""),
                                         (c.get("function") or {}).get("arguments")) for c in calls]
        if choice.get("finish_reason"):
            r["finish_reason"] = choice["finish_reason"]
        results.append(r)
    out = {}
    attach(out, results)
    if isinstance(body.get("usage"), dict):
        out["usage"] = usage_of(body["usage"])
    return out


def run(job):
    request = urllib.request.Request(
        BASE_URL + "/chat/completions",
        data=json.dumps(job["request"]).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "text/event-stream, application/json",
            "Authorization": "Bearer " + API_KEY,
            "x-mock-scenario": job["scenario"],
        },
    )
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        err = error_of(body, e.code) or {"status": e.code, "type": None, "code": None}
        return {"error": err}
    with response:
        content_type = response.headers.get("Content-Type", "")
        if "text/event-stream" in content_type:
            return assemble_stream(response)
        body = json.loads(response.read().decode("utf-8"))
        err = error_of(body, response.status)
        return {"error": err} if err else assemble_completion(body)


def main():
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            result = run(job)
        except Exception as e:  # the harness shows it as the diff
            result = {"exception": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps({"scenario": job["scenario"], **result}, ensure_ascii=False) + "\n")
        out.flush()


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    main()
