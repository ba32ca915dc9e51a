#!/usr/bin/env bash
# Installs code-server (VS Code in the browser, from npm) into a cache folder, for the tests
# that run inside VS Code on a machine that cannot download VS Code itself. About 300 MB:
# kept out of the extension's dependencies and installed on demand. Prints its folder.
set -euo pipefail

version="${CODE_SERVER_VERSION:-4.100.3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${CODE_SERVER_CACHE:-$root/.cache/code-server-$version}"
bin="$prefix/node_modules/.bin/code-server"

if [ -x "$bin" ]; then
  echo "$prefix"
  exit 0
fi

# Debian packages its native modules and its ripgrep need.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in libkrb5-dev ripgrep; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

# @vscode/ripgrep downloads a ripgrep build from the network at install time; this
# machine reaches only the package registries, so hand it Debian's rg in the archive
# name it looks for in its cache.
tmp="${TMPDIR:-/tmp}"
cache="$tmp/vscode-ripgrep-cache-1.15.11"
archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$archive" ] && command -v rg >/dev/null 2>&1; then
  mkdir -p "$cache"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$archive" -C "$staging" rg
  rm -rf "$staging"
fi

mkdir -p "$prefix"
# code-server's postinstall installs VS Code's own dependencies (native modules built with
# node-gyp); npm 11 blocks dependency install scripts unless approved, so this one
# install of a test tool, in its own folder, runs them.
npm_config_yes=true npm_config_unsafe_perm=true npm_config_dangerously_allow_all_scripts=true \
  npm install --prefix "$prefix" --no-audit --no-fund --no-save "code-server@$version" >&2
# A failed postinstall leaves a code-server without VS Code's modules: do not keep it.
if [ ! -e "$prefix/node_modules/code-server/lib/vscode/node_modules.asar" ]; then
  echo "code-server's postinstall did not complete; see the npm output above." >&2
  rm -rf "$prefix"
  exit 1
fi
echo "$prefix"
