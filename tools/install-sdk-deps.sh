#!/usr/bin/env bash
# What the tests of the generated TypeScript and Go SDKs (tests/sdkgen) need, cached outside the
# checkout and reused; quiet unless something fails:
#   .tools/nodejs-sdk/node_modules   TypeScript, @types/node and @pulumi/pulumi at the versions that
#                                    sdk/nodejs/package.json asks for, from npm (a cache folder keyed
#                                    by those versions; .tools/nodejs-sdk links to it)
#   the Go build cache               tools/gen-sdk and sdk/go built once (their first builds take minutes)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_root="${PULUMI_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-alicloud-imagebuilder}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  echo "make sdk-deps: $1" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

command -v npm >/dev/null || fail "npm (Node.js) is needed to compile the TypeScript SDK"
command -v go >/dev/null || fail "Go is needed to generate the SDKs and build the Go SDK"

# 1. npm packages, keyed by the dependency versions of the generated package.json.
deps="$(node -e '
  const p = require(process.argv[1]);
  console.log(JSON.stringify({private: true, dependencies: p.dependencies, devDependencies: p.devDependencies}, null, 2));
' "$root/sdk/nodejs/package.json")" || fail "cannot read sdk/nodejs/package.json"
dir="$cache_root/nodejs-sdk-$(printf '%s' "$deps" | sha256sum | cut -c1-16)"
if [ ! -f "$dir/node_modules/typescript/bin/tsc" ] || [ ! -d "$dir/node_modules/@pulumi/pulumi" ]; then
  echo "Installing TypeScript and @pulumi/pulumi from npm for the TypeScript SDK's tests (first time only)..." >&2
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  printf '%s\n' "$deps" >"$dir.tmp/package.json"
  (cd "$dir.tmp" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --loglevel=error) \
    >"$log" 2>&1 || fail "npm install failed"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
mkdir -p "$root/.tools"
ln -sfn "$dir" "$root/.tools/nodejs-sdk"

# 2. Go: the generator and the Go SDK, so that the tests reuse their builds.
{ (cd "$root/tools/gen-sdk" && go build -o /dev/null .) && (cd "$root/sdk/go" && go build ./...); } \
  >"$log" 2>&1 || fail "building tools/gen-sdk or sdk/go failed"
