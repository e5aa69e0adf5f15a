#!/usr/bin/env python3
"""Client: Python 3 with the standard library only (urllib.request, codecs, json).

Reads jobs from stdin (JSON Lines: {"scenario": ID, "request": {...}, "headers": {...}}), sends each
request to $OAI_BASE_URL/chat/completions with the header x-mock-scenario (and the job's headers), and
prints one JSON line per job with what it assembled (see clients/README.md). No retries: urllib has none.

Streams are read incrementally: raw bytes as they arrive (read1), an incremental UTF-8 decoder (a
character split across network reads is completed by the next read), then an SSE line splitter that
accepts CRLF, LF and CR line ends (a CR at the end of a read waits for the next read, in case LF follows).
"""
import codecs
import json
import urllib.error
import urllib.request

from common import BASE_URL, TIMEOUT, StreamAssembler, completion_of, http_error, request_headers, run_jobs


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


def assemble_stream(response):
    stream = StreamAssembler(response.status)
    for data in SseReader(response).events():
        if not stream.add_data(data):
            break
    return stream.result()


def run(job):
    request = urllib.request.Request(
        BASE_URL + "/chat/completions",
        data=json.dumps(job["request"]).encode("utf-8"),
        method="POST",
        headers=request_headers(job),
    )
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as e:
        return http_error(e.read(), e.code)
    with response:
        content_type = response.headers.get("Content-Type", "")
        if "text/event-stream" in content_type:
            return assemble_stream(response)
        return completion_of(response.read().decode("utf-8"), response.status)


if __name__ == "__main__":
    run_jobs(run)
