#!/usr/bin/env bash
# Applies a Terraform configuration against `ecsnet serve`, plans it again
# (which must show no changes) and destroys it. See README.md beside this file.
#
#   scripts/terraform-apply/run.sh DIR [-var k=v ...]
#
# Environment:
#   ECSNET       the ecsnet binary (default: built from this checkout into $WORK)
#   TF_PLUGINS   a filesystem mirror holding registry.terraform.io/hashicorp/aws
#                (default /opt/tf-plugins)
#   PORT         the port ecsnet serves on (default: a free one)
#   WORK         a scratch directory (default: mktemp -d); kept for inspection
set -euo pipefail

dir=${1:?usage: run.sh DIR [-var k=v ...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
plugins=${TF_PLUGINS:-/opt/tf-plugins}
work=${WORK:-$(mktemp -d /tmp/tfapply.XXXXXX)}
mkdir -p "$work"

command -v terraform >/dev/null || { echo "terraform is not installed" >&2; exit 2; }
[ -d "$plugins/registry.terraform.io/hashicorp/aws" ] || { echo "no hashicorp/aws provider under $plugins" >&2; exit 2; }

if [ -z "${ECSNET:-}" ]; then
  ECSNET=$work/ecsnet
  (cd "$repo" && go build -o "$ECSNET" ./cmd/ecsnet)
fi
if [ -z "${PORT:-}" ]; then
  PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
fi
url=http://127.0.0.1:$PORT

cat >"$work/tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE=$work/tfrc
export TF_IN_AUTOMATION=1 TF_INPUT=0
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

# The configuration, copied, with an override file that points the provider
# at ecsnet (an override file merges into the configuration's own provider
# block, so its region and default_tags stay).
cfg=$work/cfg
rm -rf "$cfg"; mkdir -p "$cfg"
cp -r "$dir"/. "$cfg"/
rm -rf "$cfg/.terraform" "$cfg"/.terraform.lock.hcl "$cfg"/terraform.tfstate*
"$here/override.sh" "$url" >"$cfg/zz_ecsnet_override.tf"

"$ECSNET" serve --ephemeral --addr "127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "$url" && break; sleep 0.1; done

fail=0
step() { echo "== $*"; }
cd "$cfg"
step init;    terraform init -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
step apply;   if ! terraform apply -no-color -auto-approve "$@" >"$work/apply.log" 2>&1; then fail=1; tail -40 "$work/apply.log"; fi
if [ $fail = 0 ]; then
  step plan; set +e; terraform plan -no-color -detailed-exitcode "$@" >"$work/plan.log" 2>&1; rc=$?; set -e
  case $rc in
    0) echo "no changes" ;;
    2) fail=1; echo "the second plan shows changes:"; grep -E '^\s+[~+-]|#' "$work/plan.log" | head -60 ;;
    *) fail=1; tail -40 "$work/plan.log" ;;
  esac
fi
step destroy; if ! terraform destroy -no-color -auto-approve "$@" >"$work/destroy.log" 2>&1; then fail=1; tail -40 "$work/destroy.log"; fi
if grep -E '"status":5[0-9][0-9]|status=5[0-9][0-9]' "$work/server.log" >"$work/5xx.log"; then
  fail=1; echo "the server answered 5xx:"; head -20 "$work/5xx.log"
fi
echo "logs in $work"
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
