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
# The emulator's DNS server and the port its web servers share.
dns=$(curl -fsS "$url/_emulator/healthz" | sed -n 's/.*"dns":"\([^"]*\)".*/\1/p')
web_port=$(curl -fsS "$url/_emulator/vms" | grep -o '"port":[0-9]*' | head -1 | cut -d: -f2)
export TF_VAR_dns_server="$dns" TF_VAR_web_port="$web_port"
echo "DNS server: $dns; estate web servers on port $web_port"

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

# users_go_to after re-reading only the DNS answer (the rest of the
# configuration lives partly in the region that is down).
users_go_to() {
  terraform apply -refresh-only -input=false -auto-approve -target=data.azuredr_dns_answer.cms >/dev/null 2>&1 || true
  terraform output -raw users_go_to
}
wait_for_role() {
  local want=$1 got="" deadline=$((SECONDS + 90))
  while ((SECONDS < deadline)); do
    got=$(users_go_to)
    if [[ $got == *"($want)"* ]]; then echo "milestone-cms.trafficmanager.net -> $got"; return 0; fi
    sleep 1
  done
  echo "DNS never moved to the $want endpoint (last answer: $got)" >&2; return 1
}

step "Geo-DNS answers the primary"
wait_for_role primary
host=${dns%:*} port=${dns##*:}
echo "ask it yourself: dig @$host -p $port milestone-cms.trafficmanager.net"
if command -v dig >/dev/null 2>&1; then dig @"$host" -p "$port" +short milestone-cms.trafficmanager.net; fi

step "Region outage in centralus: the primary fails its probes, DNS moves to the DR site"
curl -fsS -X POST "$url/_emulator/faults" -H 'Content-Type: application/json' -d '{"kind":"outage","region":"centralus"}' >/dev/null
wait_for_role recovery

step "Outage over: DNS returns to the primary"
curl -fsS -X DELETE "$url/_emulator/faults" >/dev/null
wait_for_role primary

step "terraform destroy"
terraform destroy -input=false -auto-approve

step "Emulator request counts"
curl -fsS "$url/_emulator/stats" 2>/dev/null || true
echo
step "Demo finished"
