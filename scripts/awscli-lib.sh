# awscli-lib.sh: what the aws CLI walk-throughs share, sourced by
# article-awscli.sh, cfn-deploy-article.sh, cfn-drift-awscli.sh,
# ec2-ops-awscli.sh and cloudmap-awscli.sh. ECSNET_ENDPOINT is the
# ecsnet serve URL to use; without it, an `ecsnet serve --ephemeral` is
# started on a free port (the ecsnet on PATH, else one built from this
# checkout) and stopped when the script ends.
if [[ -z "${ECSNET_ENDPOINT:-}" ]]; then
	_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	if command -v ecsnet >/dev/null; then
		_ecsnet=ecsnet
	else
		_ecsnet="${TMPDIR:-/tmp}/ecsnet-walkthrough"
		echo "building ecsnet from this checkout (about a minute the first time)..." >&2
		(cd "$(dirname "${BASH_SOURCE[0]}")/.." && go build -o "$_ecsnet" ./cmd/ecsnet)
	fi
	"$_ecsnet" serve --ephemeral --addr "127.0.0.1:$_port" --log-level warn &
	_ecsnet_server=$!
	trap 'kill $_ecsnet_server 2>/dev/null || true' EXIT
	ECSNET_ENDPOINT="http://127.0.0.1:$_port"
	for _ in $(seq 1 100); do curl -sf "$ECSNET_ENDPOINT/_ecsnet/health" >/dev/null && break; sleep 0.1; done
	echo "started ecsnet serve --ephemeral at $ECSNET_ENDPOINT (set ECSNET_ENDPOINT to use one of yours)" >&2
fi
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1

a() { aws --endpoint-url "$ECSNET_ENDPOINT" "$@"; }
q() { a "$@" --output text; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
want() { [[ "$1" == "$2" ]] || fail "$3: got '$1', want '$2'"; ok "$3"; }
# error CODE WHAT CMD...: CMD fails with the AWS error code CODE.
error() {
	local code=$1 what=$2; shift 2
	local out
	if out=$(a "$@" 2>&1); then fail "$what: no error, want $code"; fi
	[[ "$out" == *"($code)"* ]] || fail "$what: $out"
	ok "$what"
}
