#!/usr/bin/env python3
"""Client: requests with stream=True and iter_lines(), as guides for OpenAI-compatible servers write it.

    response = session.post(url, json=body, headers=..., stream=True)
    for line in response.iter_lines():
        if line: line = line.decode("utf-8"); if line.startswith("data: "): ...

iter_lines() splits the bytes into lines; every "data: " line is taken as one event's JSON and
"data: [DONE]" ends the stream (a line-by-line reader: an event whose data spans several lines is not
joined). Retry scenarios ("retry": true) mount urllib3's Retry the way requests' documentation shows:
2 retries on 429/500/502/503/504, POST allowed, backoff factor 0.5, Retry-After honoured, the last
response returned when retries run out. Job protocol and output: clients/README.md (common.py).
"""
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from common import BASE_URL, TIMEOUT, StreamAssembler, completion_of, http_error, request_headers, run_jobs

plain = requests.Session()
retrying = requests.Session()
retrying.mount(
    "http://",
    HTTPAdapter(
        max_retries=Retry(
            total=2,
            backoff_factor=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=None,  # None: every method, POST included (the default leaves POST out)
            respect_retry_after_header=True,
            raise_on_status=False,
        )
    ),
)


def run(job):
    session = retrying if job.get("retry") else plain
    url = BASE_URL + "/chat/completions"
    with session.post(url, json=job["request"], headers=request_headers(job), stream=True, timeout=TIMEOUT) as response:
        if response.status_code >= 400:
            return http_error(response.content, response.status_code)
        if "text/event-stream" not in response.headers.get("content-type", ""):
            return completion_of(response.content, response.status_code)
        stream = StreamAssembler(response.status_code)
        for line in response.iter_lines():
            line = line.decode("utf-8")
            if line.startswith("data: ") and not stream.add_data(line[len("data: "):]):
                break
        return stream.result()


if __name__ == "__main__":
    run_jobs(run)
