#!/usr/bin/env bash
# `make demo`: a real `pulumi up` of examples/quickstart against the emulator, then its outputs.
# Starts the emulator, runs the example in a scratch copy with a local file backend, prints the
# stack outputs (the image id in every region), destroys the stack and stops the emulator.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
export PATH="$root/.tools/bin:$root/.venv/bin:$PATH"
export PULUMI_HOME="$work/pulumi-home"
export PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE="demo-passphrase"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The SDK sends even loopback calls through a proxy: drop the variables the emulator names.
unset $(python -c 'import alicloud_imagebuilder_emulator as e; print(*e.PROXY_VARIABLES)')
mkdir -p "$work/state"

emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Starting the ECS Image Builder emulator"
coproc EMULATOR { exec alicloud-imagebuilder-emulator --port 0 --phase-seconds "${DEMO_PHASE_SECONDS:-1}" --quiet; }
emulator_pid=$EMULATOR_PID
read -r first_line <&"${EMULATOR[0]}"
endpoint="${first_line#endpoint: }"
echo "emulator listening on $endpoint"
eval "$(python -c 'import alicloud_imagebuilder_emulator as e; print(f"ak={e.DEFAULT_ACCESS_KEY_ID} sk={e.DEFAULT_ACCESS_KEY_SECRET}")')"

step "Preparing examples/quickstart (stack 'demo', local file backend)"
cp -r "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
pulumi stack init demo >/dev/null
pulumi config set alicloud-imagebuilder:region cn-hangzhou
pulumi config set alicloud-imagebuilder:endpoint "$endpoint"
pulumi config set --secret alicloud-imagebuilder:accessKey "$ak"
pulumi config set --secret alicloud-imagebuilder:secretKey "$sk"
pulumi config set alicloud-imagebuilder:pollInterval 0.5

step "pulumi up"
pulumi up --yes --skip-preview

step "Stack outputs"
pulumi stack output --json

step "pulumi destroy"
pulumi destroy --yes --skip-preview >/dev/null
pulumi stack rm --yes demo >/dev/null
echo "destroyed the stack; stopping the emulator"
