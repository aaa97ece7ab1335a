package terraform

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// deprecatedArgs are arguments of resources that a release of the AWS
// provider deprecated, with the detail of the provider's "Argument is
// deprecated" warning (the schema's DeprecationMessage, as `terraform
// validate` prints it with hashicorp/aws 5.100.0): aws_iam_role's
// inline_policy (deprecated in v5.68.0, when aws_iam_role_policies_exclusive
// came) and managed_policy_arns (v5.72.0, with
// aws_iam_role_policy_attachments_exclusive). Terraform points the
// warning at an argument's value, and at the resource block's opening
// brace for a block (inline_policy).
var deprecatedArgs = map[string][]struct {
	name   string
	since  int // the provider major whose releases warn
	detail string
	until  int // the major that removed it (removedArgs refuses it then), 0 for none
}{
	"aws_iam_role": {
		{"inline_policy", 5, "inline_policy is deprecated. Use the aws_iam_role_policy resource instead. If Terraform should exclusively manage all inline policy associations (the current behavior of this argument), use the aws_iam_role_policies_exclusive resource as well.", 0},
		{"managed_policy_arns", 5, "managed_policy_arns is deprecated. Use the aws_iam_role_policy_attachment resource instead. If Terraform should exclusively manage all managed policy attachments (the current behavior of this argument), use the aws_iam_role_policy_attachments_exclusive resource as well.", 0},
	},
	// A NAT gateway's EIP written for v3 or v4 (vpc = true): v5
	// deprecated it for domain = "vpc", v6 removed it.
	"aws_eip": {
		{"vpc", 5, "vpc is deprecated. Use domain instead.", 6},
	},
	// The rest of what 5.100.0's schema marks deprecated among the types
	// ecsnet reads (`terraform providers schema -json`), with the texts
	// terraform validate prints; v6.0.0 removed all but is_enabled (its
	// CHANGELOG: #42280, #42333, #42137, #42312).
	"aws_instance": {
		{"cpu_core_count", 5, "cpu_core_count is deprecated. Use cpu_options instead.", 6},
		{"cpu_threads_per_core", 5, "cpu_threads_per_core is deprecated. Use cpu_options instead.", 6},
	},
	"aws_flow_log": {
		{"log_group_name", 5, "log_group_name is deprecated. Use log_destination instead.", 6},
	},
	"aws_cloudwatch_event_rule": {
		{"is_enabled", 5, "is_enabled is deprecated. Use state instead.", 0},
	},
	"aws_launch_template": {
		{"elastic_gpu_specifications", 5, "elastic_gpu_specifications is deprecated. AWS no longer supports the Elastic Graphics service.", 6},
		{"elastic_inference_accelerator", 5, "elastic_inference_accelerator is deprecated. AWS no longer supports the Elastic Inference service.", 6},
	},
}

// deprecatedArg is a deprecated argument a resource sets, where
// Terraform's warning points.
type deprecatedArg struct {
	file, addr, detail string
	line, since, until int
}

// noteDeprecated records the deprecated arguments a managed resource sets
// (warnDeprecatedArgs warns once the provider release is known). A module
// called several times is noted once per file and line. Stand-ins are not
// noted.
func (l *loader) noteDeprecated(r *resource) {
	args := deprecatedArgs[r.typ]
	sb, ok := r.body.(*hclsyntax.Body)
	if len(args) == 0 || !ok || r.mode != "resource" || IsStandIn(r.rng.Filename) {
		return
	}
	for _, a := range args {
		d := deprecatedArg{file: r.rng.Filename, addr: r.key(), detail: a.detail, since: a.since, until: a.until}
		if attr, ok := sb.Attributes[a.name]; ok {
			d.line = attr.Expr.Range().Start.Line
		} else {
			for _, b := range sb.Blocks {
				if b.Type == a.name || b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == a.name {
					d.line = sb.SrcRange.Start.Line
					break
				}
			}
		}
		if d.line == 0 || slices.ContainsFunc(l.deprecated, func(o deprecatedArg) bool {
			return o.file == d.file && o.line == d.line && o.detail == d.detail
		}) {
			continue
		}
		l.deprecated = append(l.deprecated, d)
	}
}

// warnDeprecatedArgs gives Terraform's "Argument is deprecated" warning
// for each deprecated argument set, when the release the configuration
// gets deprecates it.
func (l *loader) warnDeprecatedArgs() {
	if len(l.deprecated) == 0 || l.fromJSON {
		return
	}
	major, _ := l.awsProviderMajor()
	for _, d := range l.deprecated {
		if major < d.since || (d.until > 0 && major >= d.until) {
			continue
		}
		l.res.Warnings = append(l.res.Warnings, Warning{File: d.file, Line: d.line,
			Msg: fmt.Sprintf("Argument is deprecated: %s (with %s, hashicorp/aws v%d)", d.detail, d.addr, major)})
	}
}
