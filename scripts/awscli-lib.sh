# awscli-lib.sh: what the aws CLI walk-throughs share, sourced by
# article-awscli.sh, cfn-deploy-article.sh, ec2-ops-awscli.sh and
# cloudmap-awscli.sh. Needs ECSNET_ENDPOINT (the ecsnet serve URL).
: "${ECSNET_ENDPOINT:?set ECSNET_ENDPOINT to the ecsnet serve URL}"
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
