package terraform

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The AWS provider's release decides which arguments a resource has:
// v5.0.0 removed aws_ecs_cluster's capacity_providers and
// default_capacity_provider_strategy (hashicorp/terraform-provider-aws
// #31346; aws_ecs_cluster_capacity_providers replaces them). `terraform
// init` installs the newest release that meets every module's
// constraint, or the one .terraform.lock.hcl records; with no upper
// bound, the newest (v6), whose schema then refuses the removed
// arguments ("Unsupported argument").

// awsNewestMajor is the newest major release of hashicorp/aws (v6.0.0,
// June 2025).
const awsNewestMajor = 6

var requiredProvidersSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "required_providers"}}}

// requiredAWS returns a terraform block's version constraints on the AWS
// provider: aws = { source = "hashicorp/aws", version = "~> 4.0" }, or
// Terraform 0.12's aws = "~> 2.0".
func requiredAWS(body hcl.Body) []versionConstraint {
	c, _, d := body.PartialContent(requiredProvidersSchema)
	if d.HasErrors() {
		return nil
	}
	var out []versionConstraint
	for _, b := range c.Blocks {
		attrs, d := b.Body.JustAttributes()
		if d.HasErrors() {
			continue
		}
		a := attrs["aws"]
		if a == nil {
			continue
		}
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || v.IsNull() || !v.IsWhollyKnown() {
			continue
		}
		switch {
		case v.Type() == cty.String:
			out = append(out, versionConstraint{expr: v.AsString(), rng: a.Expr.Range()})
		case v.Type().IsObjectType() && v.Type().HasAttribute("version"):
			if src := v.GetAttr("source"); v.Type().HasAttribute("source") && src.Type() == cty.String && !src.IsNull() &&
				!strings.HasSuffix(strings.ToLower(src.AsString()), "hashicorp/aws") {
				continue
			}
			if ver := v.GetAttr("version"); ver.Type() == cty.String && !ver.IsNull() {
				out = append(out, versionConstraint{expr: ver.AsString(), rng: a.Expr.Range()})
			}
		}
	}
	return out
}

// awsProviderMajor is the major release of the AWS provider `terraform
// init` installs for the configuration, and why: the lock file's, or the
// lowest upper bound of the modules' constraints (stand-ins aside), or
// the newest release when nothing bounds it.
func (l *loader) awsProviderMajor() (int, string) {
	if src, err := os.ReadFile(filepath.Join(l.root, ".terraform.lock.hcl")); err == nil {
		f, d := hclparse.NewParser().ParseHCL(src, ".terraform.lock.hcl")
		if !d.HasErrors() {
			c, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"source"}}}})
			for _, b := range c.Blocks {
				if !strings.HasSuffix(b.Labels[0], "hashicorp/aws") {
					continue
				}
				attrs, _ := b.Body.JustAttributes()
				if a := attrs["version"]; a != nil {
					if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String {
						if n := versionMajor(v.AsString()); n > 0 {
							return n, fmt.Sprintf(".terraform.lock.hcl records hashicorp/aws %s", v.AsString())
						}
					}
				}
			}
		}
	}
	major, why := 0, ""
	var unbounded []string
	for _, m := range l.modules {
		if IsStandIn(m.dir) {
			continue
		}
		for _, c := range m.awsVersions {
			n := versionMajor(c.expr)
			if n == 0 {
				unbounded = append(unbounded, c.expr)
				continue
			}
			if major == 0 || n < major {
				major, why = n, fmt.Sprintf("the configuration requires hashicorp/aws %q", c.expr)
			}
		}
	}
	if major > 0 {
		return major, why
	}
	if len(unbounded) > 0 {
		return awsNewestMajor, fmt.Sprintf("the configuration's constraint %q on hashicorp/aws has no upper bound, so `terraform init` installs the newest release (v%d)", unbounded[0], awsNewestMajor)
	}
	return awsNewestMajor, fmt.Sprintf("the configuration gives hashicorp/aws no version constraint, so `terraform init` installs the newest release (v%d)", awsNewestMajor)
}

// removedArgs are arguments (and blocks) of resources that a major
// release of the AWS provider removed, with what replaces them:
// aws_ecs_cluster's capacity providers in v5.0.0 (#31346), aws_eip's vpc
// in v6.0.0 (deprecated in v5 by #31567 for domain; v6 refuses it,
// "An argument named "vpc" is not expected here", as
// cloudposse/terraform-aws-transfer-sftp#79 shows), aws_autoscaling_group's
// tags in v5.0.0 (#30842).
// An argument the release made read-only (computed), as v5.0.0 did
// aws_route's instance_id and aws_route_table's route.*.instance_id
// (#30804: "can no longer be set in configurations. Use
// network_interface_id instead"), is Terraform core's "Value for
// unconfigurable attribute". A name "block.arg" is an argument of the
// resource's blocks of that type.
var removedArgs = map[string][]struct {
	name      string
	removedIn int
	instead   string
	computed  bool
}{
	"aws_route":       {{"instance_id", 5, "network_interface_id = aws_instance.x.primary_network_interface_id replaces it", true}},
	"aws_route_table": {{"route.instance_id", 5, "network_interface_id = aws_instance.x.primary_network_interface_id replaces it", true}},
	"aws_ecs_cluster": {
		{"capacity_providers", 5, "the cluster's capacity providers and default strategy are aws_ecs_cluster_capacity_providers'", false},
		{"default_capacity_provider_strategy", 5, "the cluster's capacity providers and default strategy are aws_ecs_cluster_capacity_providers'", false},
	},
	"aws_eip": {{"vpc", 6, `domain = "vpc" replaces it`, false}},
	// v6.0.0's other removals of arguments v5 deprecated (its CHANGELOG).
	"aws_instance": {{"cpu_core_count", 6, "a cpu_options block's core_count replaces it", false},
		{"cpu_threads_per_core", 6, "a cpu_options block's threads_per_core replaces it", false}},
	"aws_flow_log": {{"log_group_name", 6, "log_destination replaces it", false}},
	"aws_launch_template": {{"elastic_gpu_specifications", 6, "AWS no longer supports Elastic Graphics: remove it", false},
		{"elastic_inference_accelerator", 6, "AWS no longer supports Elastic Inference: remove it", false}},
	"aws_ecs_task_definition": {{"inference_accelerator", 6, "Amazon Elastic Inference reached end of life: remove it", false}},
	// v5.0.0 removed the list of tag maps, deprecated in v4 (#30842).
	"aws_autoscaling_group": {{"tags", 5, "tag blocks (or a dynamic \"tag\" block) replace it", false}},
	// EC2-Classic's arguments, gone with it in v5.0.0 (the v5 upgrade guide).
	"aws_vpc": {{"enable_classiclink", 5, "EC2-Classic is retired: remove it", false},
		{"enable_classiclink_dns_support", 5, "EC2-Classic is retired: remove it", false}},
	"aws_default_vpc": {{"enable_classiclink", 5, "EC2-Classic is retired: remove it", false},
		{"enable_classiclink_dns_support", 5, "EC2-Classic is retired: remove it", false}},
	"aws_launch_configuration": {{"vpc_classic_link_id", 5, "EC2-Classic is retired: remove it", false},
		{"vpc_classic_link_security_groups", 5, "EC2-Classic is retired: remove it", false}},
	// Deprecated in v4 for lb_target_group_arn (#22662), not in v5's schema.
	"aws_autoscaling_attachment": {{"alb_target_group_arn", 5, "lb_target_group_arn replaces it", false}},
}

// removedProviderArgs are arguments of the aws provider block that v5.0.0
// removed (the v5 upgrade guide), with the name Terraform suggests ("Did
// you mean …?", the schema's nearest), "" when it suggests none. Terraform
// refuses them when it validates the provider, before any resource: the
// resources, which depend on their provider, are then not validated
// (terraform validate, 1.11.4 with hashicorp/aws 5.100.0, says the
// provider's errors alone).
var removedProviderArgs = []struct{ name, suggest string }{
	{"shared_credentials_file", "shared_credentials_files"},
	{"skip_get_ec2_platforms", ""},
	{"s3_force_path_style", ""},
}

// noteRemovedProviderArgs records the removed arguments an aws provider
// block sets (checkRemovedArgs decides once the release is known).
func (l *loader) noteRemovedProviderArgs(p *provider) {
	sb, ok := p.body.(*hclsyntax.Body)
	if !ok || p.name != "aws" || IsStandIn(p.rng.Filename) {
		return
	}
	for _, g := range removedProviderArgs {
		if a, ok := sb.Attributes[g.name]; ok {
			l.removed = append(l.removed, removedArg{file: a.SrcRange.Filename, line: a.SrcRange.Start.Line, name: g.name,
				removedIn: 5, instead: g.suggest, provider: true})
		}
	}
}

// errProviderConfig marks an error of a provider block: Terraform says it
// alone, as the resources that depend on the provider are not validated.
var errProviderConfig = errors.New("provider configuration refused")

// removedDataSources are data sources a major release of the AWS provider
// removed, with what replaces them: aws_subnet_ids in v5.0.0 (deprecated
// in v4 for aws_subnets, #30896). Terraform refuses the block once the
// release is installed: "Invalid data source: The provider hashicorp/aws
// does not support data source "aws_subnet_ids"." (observed with
// Terraform 1.11 and provider 5.100.0).
var removedDataSources = map[string]struct {
	removedIn int
	instead   string
}{
	"aws_subnet_ids": {5, `data "aws_subnets" with filter { name = "vpc-id", values = [...] } replaces it, its ids the same`},
}

// noteRemoved records every argument or block of a managed resource that
// a provider major removed (by line: terraform validate lists each), or a data source of a type one
// removed (checkRemovedArgs decides, once every module's constraints are
// known). Stand-ins follow the releases they imitate, and are not checked.
func (l *loader) noteRemoved(r *resource, addr string) {
	if d, ok := removedDataSources[r.typ]; ok && r.mode == "data" && !IsStandIn(r.rng.Filename) {
		l.removed = append(l.removed, removedArg{file: r.rng.Filename, addr: addr, name: r.typ, line: r.rng.Start.Line,
			removedIn: d.removedIn, instead: d.instead, dataSource: true})
		return
	}
	gone := removedArgs[r.typ]
	sb, ok := r.body.(*hclsyntax.Body)
	if len(gone) == 0 || !ok || r.mode == "data" || IsStandIn(r.rng.Filename) {
		return
	}
	var found []removedArg
	for _, g := range gone {
		at := removedArg{file: r.rng.Filename, addr: addr, name: g.name, removedIn: g.removedIn, instead: g.instead, computed: g.computed}
		if blk, arg, nested := strings.Cut(g.name, "."); nested {
			at.name = arg
			for _, b := range sb.Blocks {
				inner := b.Body
				if b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == blk {
					for _, cb := range b.Body.Blocks {
						if cb.Type == "content" {
							inner = cb.Body
						}
					}
				} else if b.Type != blk {
					continue
				}
				if a, ok := inner.Attributes[arg]; ok {
					at.line = a.SrcRange.Start.Line
					break
				}
			}
		} else if a, ok := sb.Attributes[g.name]; ok {
			at.line = a.SrcRange.Start.Line
		} else if g.name != "tags" { // a tags block is refused as such (graph)
			for _, b := range sb.Blocks {
				if b.Type == g.name || b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == g.name {
					at.line, at.block = b.TypeRange.Start.Line, true
					break
				}
			}
		}
		if at.line != 0 {
			found = append(found, at)
		}
	}
	slices.SortStableFunc(found, func(a, b removedArg) int { return a.line - b.line })
	l.removed = append(l.removed, found...)
}

// removedArg is an argument of a resource that the AWS provider's newer
// majors no longer have, where the configuration sets it.
type removedArg struct {
	file, addr, name string
	line             int
	block            bool
	removedIn        int    // the major that removed it
	instead          string // what replaces it
	computed         bool   // made read-only, not removed
	dataSource       bool   // the data source type itself was removed
	provider         bool   // an argument of the provider block; instead is Terraform's suggestion
}

// checkRemovedArgs refuses, as Terraform's schema does once `terraform
// init` has installed a release without them, the arguments set that the
// AWS provider removed before the release the configuration gets.
func (l *loader) checkRemovedArgs() error {
	if len(l.removed) == 0 || l.fromJSON {
		return nil
	}
	major, why := l.awsProviderMajor()
	var el errorList
	for _, r := range l.removed {
		if major < r.removedIn {
			continue
		}
		head := fmt.Sprintf("Unsupported argument: An argument named %q is not expected here", r.name)
		if r.block {
			head = fmt.Sprintf("Unsupported block type: Blocks of type %q are not expected here", r.name)
		}
		did := "removed it"
		if r.dataSource {
			head = fmt.Sprintf("Invalid data source: The provider hashicorp/aws does not support data source %q", r.name)
		}
		if r.provider {
			msg := head + "."
			if r.instead != "" {
				msg += fmt.Sprintf(" Did you mean %q?", r.instead)
			}
			el.add(&Error{File: r.file, Line: r.line, Err: errProviderConfig,
				Msg: fmt.Sprintf("%s (%s; v%d.0.0 removed it)", msg, why, r.removedIn)})
			continue
		}
		if r.computed {
			head = fmt.Sprintf("Value for unconfigurable attribute: Can't configure a value for %q: its value will be decided automatically based on the result of applying this configuration", r.name)
			did = "made it read-only"
		}
		el.add(&Error{File: r.file, Line: r.line, Address: r.addr, Err: errValidate,
			Msg: fmt.Sprintf("%s: %s; v%d.0.0 %s (%s); pin the release the configuration was written for (required_providers { aws = { source = \"hashicorp/aws\", version = \"~> %d.0\" } })",
				head, why, r.removedIn, did, r.instead, r.removedIn-1)})
	}
	return el.err()
}

// attrRef is a reference to an attribute of a resource or data source, at
// its file and line.
type attrRef struct {
	file      string
	line      int
	key, attr string // aws_vpc.main or data.aws_region.current; id
}

// dataAttrsV5 are the attributes of data sources whose v5 schema ecsnet
// knows (hashicorp/aws 5.100.0): v6 added region to every resource and
// data source, which v5's aws_region calls name.
var dataAttrsV5 = map[string]string{
	"aws_region": "description endpoint id name",
}

// checkAttrRefs refuses, as terraform validate does, a reference to an
// attribute that the type's schema in the configuration's major of the
// provider does not have: under v5 (whose schema ecsnet holds) a
// resource's attributes are its arguments, computed attributes and blocks
// (schema_data.go), and a few data sources' are listed (dataAttrsV5);
// data.aws_region.current.region, written for v6, is "Unsupported
// attribute" under v5.
func (l *loader) checkAttrRefs() error {
	if len(l.attrRefs) == 0 {
		return nil
	}
	if major, _ := l.awsProviderMajor(); major != 5 {
		return nil
	}
	var el errorList
	seen := map[string]bool{}
	for _, r := range l.attrRefs {
		typ, known := "", ""
		if rest, ok := strings.CutPrefix(r.key, "data."); ok {
			typ, _, _ = strings.Cut(rest, ".")
			known = dataAttrsV5[typ]
		} else {
			typ, _, _ = strings.Cut(r.key, ".")
			if sc, ok := providerSchemas[typ]; ok {
				known = strings.Join([]string{sc.args, sc.computed, sc.blocks, sc.single}, " ")
			}
		}
		if known == "" {
			continue
		}
		found := false
		for _, f := range strings.Fields(known) {
			if strings.TrimSuffix(f, "!") == r.attr {
				found = true
				break
			}
		}
		id := fmt.Sprintf("%s:%d:%s", r.file, r.line, r.attr)
		if found || seen[id] {
			continue
		}
		seen[id] = true
		el.add(&Error{File: r.file, Line: r.line, Msg: fmt.Sprintf("Unsupported attribute: This object has no argument, nested block, or exported attribute named %q. (%s, hashicorp/aws v5)", r.attr, r.key)})
	}
	return el.err()
}
