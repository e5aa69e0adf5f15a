#!/usr/bin/env python3
"""Client: httpx's AsyncClient, as guides for OpenAI-compatible servers write it.

    async with client.stream("POST", url, json=body, headers=...) as response:
        async for line in response.aiter_lines():
            if line.startswith("data: "): ...

httpx splits the lines (LF, CRLF and CR, decoding UTF-8 incrementally); every "data: " line is taken
as one event's JSON, and "data: [DONE]" ends the stream (a line-by-line reader: an event whose data
spans several lines is not joined). Retry scenarios ("retry": true) get httpx's own retry option,
AsyncHTTPTransport(retries=2), which retries failed connections only, not error statuses.
Job protocol and output: clients/README.md (common.py).
"""
import httpx

from common import BASE_URL, TIMEOUT, StreamAssembler, completion_of, http_error, request_headers, run_jobs_async

clients = {}


def client_for(job):
    retry = bool(job.get("retry"))
    if retry not in clients:
        transport = httpx.AsyncHTTPTransport(retries=2) if retry else httpx.AsyncHTTPTransport()
        clients[retry] = httpx.AsyncClient(transport=transport, timeout=TIMEOUT)
    return clients[retry]


async def run(job):
    client = client_for(job)
    url = BASE_URL + "/chat/completions"
    async with client.stream("POST", url, json=job["request"], headers=request_headers(job)) as response:
        if response.status_code >= 400:
            return http_error(await response.aread(), response.status_code)
        if "text/event-stream" not in response.headers.get("content-type", ""):
            return completion_of(await response.aread(), response.status_code)
        stream = StreamAssembler(response.status_code)
        async for line in response.aiter_lines():
            if line.startswith("data: ") and not stream.add_data(line[len("data: "):]):
                break
        return stream.result()


if __name__ == "__main__":
    run_jobs_async(run)
