#!/bin/sh
# Client: curl and POSIX sh + awk, no JSON tool. One scenario per run:
#   clients/shell/client.sh BASE_URL SCENARIO < request.json
# BASE_URL ends with /v1 (e.g. http://127.0.0.1:4010/v1); OAI_API_KEY is sent as a bearer token;
# OAI_HEADERS, if set, holds more request headers, one "Name: value" per line.
# curl streams the response (-N) with its headers first (-D -); assemble.awk reads the headers for the
# status and content type, then the SSE lines or the JSON body, and prints one line of JSON.
set -eu
base=${1:?usage: client.sh BASE_URL SCENARIO < request.json}
scenario=${2:?usage: client.sh BASE_URL SCENARIO < request.json}
here=$(dirname "$0")
extra=$(mktemp)
trap 'rm -f "$extra"' EXIT
printf '%s\n' "${OAI_HEADERS:-}" > "$extra"
curl -sS -N -D - -X POST "${base%/}/chat/completions" \
  -H 'Content-Type: application/json' \
  -H 'Accept: text/event-stream, application/json' \
  -H "Authorization: Bearer ${OAI_API_KEY:-sk-mock}" \
  -H "x-mock-scenario: $scenario" \
  -H "@$extra" \
  -H 'Expect:' \
  --max-time 30 \
  --data-binary @- \
  | LC_ALL=C awk -f "$here/assemble.awk"
