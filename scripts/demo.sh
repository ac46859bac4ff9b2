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
export TF_VAR_dns_server="$dns" TF_VAR_web_port="$web_port" TF_VAR_run_drill=false
echo "DNS server: $dns; estate web servers on port $web_port"

cd "$demo/work"
step "terraform init (provider from the local mirror, no network)"
terraform init -input=false

step "terraform apply"
terraform apply -input=false -auto-approve

step "Outputs"
terraform output

# json_query FILE EXPR evaluates a Terraform expression over the JSON in
# FILE, bound to local.d: terraform is the one JSON tool sure to be here.
mkdir -p "$demo/query"
printf 'variable "f" {}\nlocals { d = jsondecode(file(var.f)) }\n' >"$demo/query/main.tf"
json_query() { (cd "$demo/query" && echo "$2" | terraform console -var "f=$1"); }

step "A second plan: everything converged, nothing to change"
# Resources must plan no change. Outputs may: a recovery point taken since
# the apply moves the replication output, as live status should.
terraform plan -input=false -compact-warnings -out="$demo/plan2.bin" >"$demo/plan2.log" 2>&1 || {
  echo "the second plan failed:" >&2; cat "$demo/plan2.log" >&2; exit 1; }
terraform show -json "$demo/plan2.bin" >"$demo/plan2.json"
changes=$(json_query "$demo/plan2.json" 'length([for rc in try(local.d.resource_changes, []) : rc.address if !contains([["no-op"], ["read"]], rc.change.actions)])')
if [[ $changes != 0 ]]; then
  echo "the second plan changes $changes resource(s):" >&2; cat "$demo/plan2.log" >&2; exit 1
fi
grep -E 'No changes|Changes to Outputs' "$demo/plan2.log" | head -1
echo "resources planned to change: $changes"

# refresh_replication re-reads the replicated VMs into state.
refresh_replication() {
  terraform apply -refresh-only -input=false -auto-approve -target=azuredr_replicated_vm.web >/dev/null
}

step "Replication: both web VMs Protected; waiting for their first recovery points"
deadline=$((SECONDS + 120))
until refresh_replication && ! terraform output -json replication | grep -q 'none yet'; do
  ((SECONDS < deadline)) || { echo "no recovery point appeared" >&2; exit 1; }
  sleep 2
done
terraform output replication

step "A canary write on vm-cms-web-1 reaches the recovery side"
curl -fsS "$url/_emulator/vms" >"$demo/vms.json"
web1=$(json_query "$demo/vms.json" '[for v in local.d.value : v.url if v.name == "vm-cms-web-1"][0]' | tr -d '"')
canary=$(curl -fsS -X POST "${web1}canary" -d 'demo canary')
echo "POST ${web1}canary -> $canary"
version=$(echo "$canary" | grep -o '"version":[0-9]*' | cut -d: -f2)
newest_point_version() {
  curl -fsS "$url/_emulator/replication" >"$demo/replication.json"
  json_query "$demo/replication.json" \
    '[for v in local.d.value : "${v.recoveryPoints[0].dataVersion.version} ${v.recoveryPoints[0].time} ${v.recoveryPoints[0].type}" if v.vmName == "vm-cms-web-1" && length(v.recoveryPoints) > 0][0]' | tr -d '"'
}
deadline=$((SECONDS + 60))
while :; do
  read -r got at kind <<<"$(newest_point_version)"
  if [[ $got == "$version" ]]; then
    echo "newest recovery point of vm-cms-web-1: $at ($kind) holds data version $got"
    break
  fi
  ((SECONDS < deadline)) || { echo "the canary's data version $version never reached a recovery point (newest holds $got)" >&2; exit 1; }
  sleep 1
done

step "Replication paused in centralus: health goes Critical and the RPO grows"
pause=$(curl -fsS -X POST "$url/_emulator/faults" -H 'Content-Type: application/json' -d '{"kind":"replicationPause","region":"centralus"}')
pause_id=$(echo "$pause" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
for i in 1 2; do
  sleep 4
  refresh_replication
  terraform output -json replication >"$demo/replication-out.json"
  json_query "$demo/replication-out.json" '"vm-cms-web-1: health ${local.d["vm-cms-web-1"].replication_health}, RPO ${local.d["vm-cms-web-1"].rpo_seconds} s; ${try(local.d["vm-cms-web-1"].health_errors[0], "")}"' | tr -d '"'
done
curl -fsS -X DELETE "$url/_emulator/faults/$pause_id" >/dev/null
# Replication resumes and catches up: back to Normal with an RPO of about
# one replication lag.
deadline=$((SECONDS + 60))
while :; do
  refresh_replication
  terraform output -json replication >"$demo/replication-out.json"
  read -r health rpo <<<"$(json_query "$demo/replication-out.json" '"${local.d["vm-cms-web-1"].replication_health} ${local.d["vm-cms-web-1"].rpo_seconds}"' | tr -d '"')"
  if [[ $health == Normal && $rpo -lt 120 ]]; then echo "resumed: vm-cms-web-1: health $health, RPO $rpo s"; break; fi
  ((SECONDS < deadline)) || { echo "replication never caught up (health $health, RPO $rpo s)" >&2; exit 1; }
  sleep 1
done

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

step "The Milestone drill: a parallel drill of the web tier (RPO 15m, RTO 45m)"
echo "file canary on both web servers, test failover into the isolated network, isolation proof,"
echo "checks from inside the DR site through VM Run Command, cleanup"
TF_VAR_run_drill=true terraform apply -input=false -auto-approve
terraform output drill
if [[ $(terraform output -json drill | grep -o '"passed":[a-z]*') != '"passed":true' ]]; then
  echo "the drill did not pass" >&2; exit 1
fi

step "After the drill: no test VM left, no item pending cleanup"
curl -fsS "$url/_emulator/vms" >"$demo/vms.json"
curl -fsS "$url/_emulator/replication" >"$demo/replication.json"
test_vms=$(json_query "$demo/vms.json" 'length([for v in local.d.value : v.name if v.role == "test"])')
pending=$(json_query "$demo/replication.json" 'length([for v in local.d.value : v.name if !contains(["", "None"], try(v.failover.testFailoverState, ""))])')
echo "test VMs: $test_vms; items pending test failover cleanup: $pending"
[[ $test_vms == 0 && $pending == 0 ]] || { echo "the drill left something behind" >&2; exit 1; }

step "terraform destroy"
TF_VAR_run_drill=true terraform destroy -input=false -auto-approve

step "Emulator request counts"
curl -fsS "$url/_emulator/stats" 2>/dev/null || true
echo
step "Demo finished"
