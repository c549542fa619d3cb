#!/usr/bin/env bash
# Provides a pinned Pulumi CLI and what Python programs need, in .tools/bin/:
#   pulumi                          the CLI (an installed one when recent enough, else built from Go modules)
#   pulumi-language-python          the language host (the CLI's own when it has one, else tools/pulumi_language_python.py)
#   pulumi-language-python-exec     the script that runs a program, from Pulumi's SDK module
#   pulumi-resource-pulumi-python   the dynamic provider launcher, from Pulumi's SDK module
#   pulumi-language-yaml            the YAML language host (the CLI's own when it has one, else built from Go modules)
#   pulumi-resource-alicloud-imagebuilder  this project's provider plugin (the venv's console script)
# Builds are cached outside the checkout, keyed by version, and reused. Quiet unless something fails.
# .tools/bin holds real files, not symlinks: the CLI looks for its plugins beside its own resolved
# path and warns about any it finds elsewhere on PATH.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-v3.274.1}"
PULUMI_YAML_VERSION="${PULUMI_YAML_VERSION:-v1.25.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
cache_root="${PULUMI_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-alicloud-imagebuilder}"
cache="$cache_root/pulumi-$PULUMI_VERSION"
yaml_cache="$cache_root/pulumi-language-yaml-$PULUMI_YAML_VERSION"
venv_python="$root/.venv/bin/python"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  echo "make pulumi: $1" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

version_at_least() {  # version_at_least HAVE WANT (both vX.Y.Z)
  [ "$(printf '%s\n%s\n' "${2#v}" "${1#v}" | sort -V | head -n 1)" = "${2#v}" ]
}

# go_build OUT VERSION_VAR PACKAGE@VERSION [MODULE@VERSION...]: a static build of PACKAGE in a scratch
# module (replace directives of a dependency's go.mod are ignored there), stamped with its version.
go_build() {
  local out="$1" version_var="$2" pkg="$3" work
  shift 3
  command -v go >/dev/null || fail "no Go toolchain to build ${pkg%@*}"
  work="$(mktemp -d)"
  (
    cd "$work"
    go mod init scratch-build
    go get "$pkg" "$@"
    CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X $version_var=${pkg##*@}" -o "$out.tmp" "${pkg%@*}"
  ) >"$log" 2>&1 || { rm -rf "$work"; fail "building ${pkg%@*} failed"; }
  mv "$out.tmp" "$out"
  rm -rf "$work"
}

mkdir -p "$bin" "$cache" "$yaml_cache"

# 1. The CLI: one already on PATH (outside this checkout) if recent enough, else the cached build.
cli=""
if existing="$(PATH="$(echo "$PATH" | tr ':' '\n' | grep -vxF "$bin" | paste -sd:)" command -v pulumi)"; then
  have="$("$existing" version 2>/dev/null || true)"
  if [[ "$have" == v* ]] && version_at_least "$have" "$PULUMI_VERSION"; then
    cli="$existing"
  fi
fi
if [ -z "$cli" ]; then
  cli="$cache/pulumi"
  if [ ! -x "$cli" ]; then
    command -v go >/dev/null || fail "no pulumi >= $PULUMI_VERSION on PATH and no Go toolchain to build it"
    echo "Building the Pulumi CLI $PULUMI_VERSION from Go modules (first time only, a few minutes)..." >&2
    go_build "$cli" github.com/pulumi/pulumi/sdk/v3/go/common/version.Version \
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
  fi
fi
place() {  # place SRC DEST: a hard link when possible, else a copy
  [ "$1" -ef "$2" ] && return 0
  rm -f "$2"
  ln "$1" "$2" 2>/dev/null || cp "$1" "$2"
}
place "$cli" "$bin/pulumi"

# 2. The two scripts that ship beside an installed CLI, and inside Pulumi's SDK module.
for script in pulumi-language-python-exec pulumi-resource-pulumi-python; do
  if [ -x "$(dirname "$cli")/$script" ]; then
    place "$(dirname "$cli")/$script" "$bin/$script"
    continue
  fi
  if [ ! -x "$cache/$script" ]; then
    if [ -z "${sdk_dir:-}" ]; then
      sdk_dir="$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" 2>"$log" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" || true
      [ -d "$sdk_dir" ] || fail "could not download github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
    fi
    src="$(find "$sdk_dir/python" -name "$script" -type f | head -n 1)"
    [ -n "$src" ] || fail "$script not found in the Pulumi SDK module"
    cp "$src" "$cache/$script.tmp" && chmod 755 "$cache/$script.tmp" && mv "$cache/$script.tmp" "$cache/$script"
  fi
  place "$cache/$script" "$bin/$script"
done

# 3. The language host: the one beside the CLI when there is one, else ours.
if [ -x "$(dirname "$cli")/pulumi-language-python" ]; then
  place "$(dirname "$cli")/pulumi-language-python" "$bin/pulumi-language-python"
else
  [ -x "$venv_python" ] || fail "run 'make install' first: $venv_python is missing"
  rm -f "$bin/pulumi-language-python"
  cat >"$bin/pulumi-language-python" <<EOF
#!/bin/sh
exec "$venv_python" "$root/tools/pulumi_language_python.py" --exec "$bin/pulumi-language-python-exec" "\$@"
EOF
  chmod 755 "$bin/pulumi-language-python"
fi

# 4. The YAML language host (`runtime: yaml`): the one beside the CLI when there is one, else the
# cached build of the pulumi-yaml module at its own pinned dependencies.
if [ -x "$(dirname "$cli")/pulumi-language-yaml" ]; then
  place "$(dirname "$cli")/pulumi-language-yaml" "$bin/pulumi-language-yaml"
else
  if [ ! -x "$yaml_cache/pulumi-language-yaml" ]; then
    echo "Building the Pulumi YAML language host $PULUMI_YAML_VERSION from Go modules (first time only, about a minute)..." >&2
    go_build "$yaml_cache/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/pkg/version.Version \
      "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$PULUMI_YAML_VERSION"
  fi
  place "$yaml_cache/pulumi-language-yaml" "$bin/pulumi-language-yaml"
fi

# 5. This project's provider plugin, so that the CLI finds it on PATH (YAML, other languages,
# explicit providers). A copy of the venv's console script, which runs the venv's Python.
plugin="$root/.venv/bin/pulumi-resource-alicloud-imagebuilder"
[ -x "$plugin" ] || fail "run 'make install' first: $plugin is missing"
place "$plugin" "$bin/pulumi-resource-alicloud-imagebuilder"

"$bin/pulumi" version >/dev/null 2>&1 || fail "$bin/pulumi does not run"
