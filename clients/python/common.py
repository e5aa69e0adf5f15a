"""Shared by the Python clients: the job protocol (JSON Lines in, one JSON line out per job) and the
assembly of chunks and completions into the harness's output (see clients/README.md).

Each client program does its own HTTP and its own reading of the stream; this module only turns the
parsed chunks (or the completion body) into what the harness compares with a fixture's expect.
"""
import asyncio
import json
import os
import sys

BASE_URL = os.environ.get("OAI_BASE_URL", "http://127.0.0.1:4010/v1").rstrip("/")
API_KEY = os.environ.get("OAI_API_KEY", "sk-mock")
TIMEOUT = 30


def request_headers(job):
    """The headers of a job's request: JSON, the key, x-mock-scenario, then the job's own."""
    return {
        "Content-Type": "application/json",
        "Accept": "text/event-stream, application/json",
        "Authorization": "Bearer " + API_KEY,
        "x-mock-scenario": job["scenario"],
        **job.get("headers", {}),
    }


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


class StreamAssembler:
    """Chunks of a stream in, the assembled output out; an error object in the stream ends it."""

    def __init__(self, status):
        self.status = status
        self.choices = {}
        self.usage = None
        self.error = None

    def add(self, chunk):
        """Returns False once the stream has reported an error (nothing more is read)."""
        err = error_of(chunk, self.status)
        if err:
            self.error = err
            return False
        if isinstance(chunk.get("usage"), dict):
            self.usage = usage_of(chunk["usage"])
        for choice in chunk.get("choices") or []:
            index = choice.get("index", 0) if isinstance(choice.get("index"), int) else 0
            self.choices.setdefault(index, Choice()).add_delta(choice)
        return True

    def add_data(self, data):
        """One event's data: a chunk's JSON, or [DONE]. Returns False once the stream has ended."""
        if data.strip() == "[DONE]":
            return False
        return self.add(json.loads(data))

    def result(self):
        out = {}
        if self.error:
            out["error"] = self.error
        attach(out, [c.result() for _, c in sorted(self.choices.items())])
        if self.usage:
            out["usage"] = self.usage
        return out


def completion_of(raw, status):
    """The output for a whole (non-stream) answer of a 2xx status: its error object, else the completion."""
    body = json.loads(raw)
    err = error_of(body, status)
    return {"error": err} if err else assemble_completion(body)


def http_error(raw, status):
    """The output for an HTTP error response body (bytes)."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except ValueError:
        body = None
    return {"error": error_of(body, status) or {"status": status, "type": None, "code": None}}


def _jobs():
    for line in sys.stdin:
        if line.strip():
            yield json.loads(line)


def _emit(job, result):
    sys.stdout.write(json.dumps({"scenario": job["scenario"], **result}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _describe(e):
    return "%s: %s" % (type(e).__name__, e)


def run_jobs(run):
    """Read the jobs from stdin, run each with run(job) -> dict, print one line each."""
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    for job in _jobs():
        try:
            result = run(job)
        except Exception as e:  # the harness shows it as the diff
            result = {"exception": _describe(e)}
        _emit(job, result)


def run_jobs_async(run):
    """The same for a coroutine run(job)."""
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")

    async def main():
        for job in _jobs():
            try:
                result = await run(job)
            except Exception as e:
                result = {"exception": _describe(e)}
            _emit(job, result)

    asyncio.run(main())
