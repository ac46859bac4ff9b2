#!/usr/bin/env bash
# The quickstart, offline: start the emulator seeded with the quickstart's
# production estate, apply the DR configuration, print its outputs, destroy
# it, stop the emulator. Called by `make demo`, which builds and installs the
# provider first and sets TF_CLI_CONFIG_FILE to the local mirror.
set -euo pipefail

: "${BUILD:?run through make demo}" "${EMULATOR_BIN:?run through make demo}"
root=$(cd "$(dirname "$0")/.." && pwd)
quickstart="$root/examples/quickstart"
demo="$BUILD/demo"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Only the emulator is used: credentials from the caller's environment must
# not leak into the demo (nor fail it, e.g. a stray ARM_USE_OIDC).
for v in $(compgen -e | grep '^ARM_' || true); do unset "$v"; done

rm -rf "$demo" && mkdir -p "$demo/work"
cp "$quickstart"/*.tf "$demo/work/"

step "Starting the Azure Resource Manager emulator (seed: examples/quickstart/estate.json)"
mkfifo "$demo/emulator.out"
"$EMULATOR_BIN" --listen 127.0.0.1:0 --data "$demo/emulator-data" \
  --seed "$quickstart/estate.json" --time-scale 30 >"$demo/emulator.out" 2>"$demo/emulator.log" &
emulator_pid=$!
cleanup() { kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; }
trap cleanup EXIT

exec 3<"$demo/emulator.out"
if ! read -r -t 30 first <&3; then
  echo "the emulator did not start; its log:" >&2; cat "$demo/emulator.log" >&2; exit 1
fi
cat <&3 >/dev/null & # keep draining its stdout
url=${first#listening on }
echo "$first"
export ARM_RESOURCE_MANAGER_ENDPOINT="$url"

cd "$demo/work"
step "terraform init (provider from the local mirror, no network)"
terraform init -input=false

step "terraform apply"
terraform apply -input=false -auto-approve

step "Outputs"
terraform output

step "A second plan: everything converged, nothing to change"
terraform plan -input=false -detailed-exitcode -compact-warnings >"$demo/plan2.log" 2>&1 || {
  echo "the second plan is not empty:" >&2; cat "$demo/plan2.log" >&2; exit 1; }
grep -E 'No changes' "$demo/plan2.log"

step "terraform destroy"
terraform destroy -input=false -auto-approve

step "Emulator request counts"
curl -fsS "$url/_emulator/stats" 2>/dev/null || true
echo
step "Demo finished"
