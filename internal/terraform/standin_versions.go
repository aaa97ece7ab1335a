package terraform

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// standinRelease is what ecsnet knows of the newest release of a registry
// module it has a stand-in for: its major version, the arguments of
// earlier majors that it no longer declares, and those whose type became
// a map. A call without version gets that release from `terraform init`
// (Terraform, "Module Sources" and "Version Constraints": "Terraform will
// use the newest installed version of the module that meets the
// constraint; if no acceptable versions are installed, it will download
// the newest version that meets the constraint"; with no constraint, the
// newest), so its stand-in is read as that release.
type standinRelease struct {
	major   int
	removed []string // arguments of earlier majors the newest does not declare
	maps    []string // arguments the newest types as a map (earlier majors took a list)
}

// standinNewest: the newest majors as of 2025 (terraform-aws-modules'
// vpc v6.0.0, ecs v6.0.0, alb v10.0.0, autoscaling v9.0.0 and
// security-group v5; the registry's pages list them) and the variables
// their variables.tf no longer has.
var standinNewest = map[string]standinRelease{
	"vpc":            {major: 6},
	"vpc-endpoints":  {major: 6},
	"security-group": {major: 5},
	"alb": {major: 10, removed: []string{"create_lb", "http_tcp_listeners", "http_tcp_listener_rules", "https_listeners", "https_listener_rules", "security_group_rules"},
		maps: []string{"target_groups"}},
	"autoscaling": {major: 9, removed: []string{"asg_name", "associate_public_ip_address", "create_asg", "create_lc", "iam_instance_profile", "launch_configuration", "lc_name", "spot_price", "tags_as_map"}},
	"ecs": {major: 6, removed: []string{"autoscaling_capacity_providers", "cluster_settings", "container_insights", "create_ecs", "default_capacity_provider_use_fargate", "fargate_capacity_providers", "name"},
		maps: []string{"capacity_providers", "default_capacity_provider_strategy"}},
	"ecs-cluster": {major: 6, removed: []string{"autoscaling_capacity_providers", "cluster_name", "cluster_settings", "default_capacity_provider_use_fargate", "fargate_capacity_providers"},
		maps: []string{"capacity_providers", "default_capacity_provider_strategy"}},
	"ecs-service":              {major: 6, removed: []string{"security_group_rules"}},
	"ecs-container-definition": {major: 6},
}

// unpinned reports whether a module call of the configuration leaves the
// release to `terraform init`: no version argument, and a git source
// without ref=. A stand-in's own calls of its submodules follow the
// stand-in.
func (c *call) unpinned() bool {
	return !versionBounded(c.version) && !strings.Contains(c.source, "ref=") && !IsStandIn(c.rng.Filename)
}

// versionBounded reports whether a version constraint bounds the release
// from above: an exact version ("0.25.0", "= 0.25.0"), "~>" or "<"/"<=".
// A major version 0 is a release like any other ("0.25.0" pins it).
func versionBounded(constraint string) bool {
	for _, part := range strings.Split(constraint, ",") {
		p := strings.TrimSpace(part)
		switch {
		case strings.HasPrefix(p, "~>"), strings.HasPrefix(p, "<"),
			strings.HasPrefix(p, "=") && !strings.HasPrefix(p, "=>"),
			p != "" && p[0] >= '0' && p[0] <= '9':
			return true
		}
	}
	return false
}

// unpinnedWhy says why a call gets the newest release: no version, or a
// constraint with no upper bound (">= 5.0").
func (c *call) unpinnedWhy() string {
	if strings.TrimSpace(c.version) == "" {
		return "the call gives no version"
	}
	return fmt.Sprintf("the call's version constraint %q has no upper bound", c.version)
}

// newestNote is the part of the stand-in warning about a call without a
// version.
func newestNote(c *call, dir string) string {
	if !c.unpinned() {
		return ""
	}
	name, _ := strings.CutPrefix(dir, standinPrefix)
	if r, ok := standinNewest[name]; ok {
		return fmt.Sprintf("; %s, so `terraform init` installs the newest release (v%d), and ecsnet reads the call as that release (a version argument pins an older one)", c.unpinnedWhy(), r.major)
	}
	return "; " + c.unpinnedWhy() + ", so `terraform init` installs the newest release, whose arguments ecsnet's stand-in does not check (it takes those of the releases it knows)"
}

// checkNewest refuses, in a call without a version, the arguments of
// earlier majors that the newest release does not declare, as Terraform
// refuses them once `terraform init` has installed that release.
func (mi *modInst) checkNewest(c *call, dir, addr string) error {
	name, ok := strings.CutPrefix(dir, standinPrefix)
	if !ok || !c.unpinned() {
		return nil
	}
	r, ok := standinNewest[name]
	if !ok {
		return nil
	}
	names := make([]string, 0, len(c.inputs))
	for n := range c.inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := c.inputs[n]
		if slices.Contains(r.removed, n) {
			return &Error{File: a.NameRange.Filename, Line: a.NameRange.Start.Line, Address: addr,
				Msg: fmt.Sprintf("Unsupported argument: an argument named %q is not expected here: %s, so `terraform init` installs the newest release of %s (v%d), which has no such variable; pin the release the call was written for with a version argument", n, c.unpinnedWhy(), c.source, r.major)}
		}
	}
	for _, n := range names {
		a := c.inputs[n]
		for _, x := range r.maps {
			if n == x && isListExpr(a) {
				return &Error{File: a.Expr.Range().Filename, Line: a.Expr.Range().Start.Line, Address: addr + "." + n,
					Msg: fmt.Sprintf("Invalid value for input variable: %s, so `terraform init` installs the newest release of %s (v%d), whose %s is a map, not a list; pin the release the call was written for with a version argument", c.unpinnedWhy(), c.source, r.major, n)}
			}
		}
	}
	return nil
}

// isListExpr reports whether an argument is written as a tuple ([...]).
func isListExpr(a *hcl.Attribute) bool {
	ex, diags := hcl.ExprList(a.Expr)
	return !diags.HasErrors() && ex != nil
}

// standinDeclared is, for the stand-ins whose registry module renamed its
// variables between majors, the majors that declare each such variable.
// The ECS root module: v2–v3 took `name`, `create_ecs`,
// `container_insights` and the lists `capacity_providers` and
// `default_capacity_provider_strategy`; v4 rewrote it (`cluster_name`,
// `cluster_settings`, `fargate_capacity_providers`,
// `autoscaling_capacity_providers`, `default_capacity_provider_use_fargate`);
// v5 added `services`; v6 dropped v4's capacity-provider variables for
// the maps `capacity_providers` and `default_capacity_provider_strategy`
// and `cluster_capacity_providers` (each release's variables.tf and
// its UPGRADE-4.0/6.0 notes).
var standinDeclared = map[string]map[string][]int{
	"ecs": {
		"name":                                  {2, 3},
		"create_ecs":                            {2, 3},
		"container_insights":                    {2, 3},
		"capacity_providers":                    {2, 3, 6},
		"default_capacity_provider_strategy":    {2, 3, 6},
		"cluster_name":                          {4, 5, 6},
		"cluster_settings":                      {4, 5},
		"fargate_capacity_providers":            {4, 5},
		"autoscaling_capacity_providers":        {4, 5},
		"default_capacity_provider_use_fargate": {4, 5},
		"cluster_capacity_providers":            {6},
		"services":                              {5, 6},
	},
}

// standinComplete is, for a stand-in and a major of its registry module,
// every variable that major declares, where ecsnet holds the whole list:
// a call pinned to it is refused any other argument (the stand-in
// declares only a part of the later majors' variables, and warns of the
// rest). The ECS module's v2 and v3 took six (their READMEs' Inputs:
// capacity_providers, container_insights, create_ecs,
// default_capacity_provider_strategy, name, tags).
var standinComplete = map[string]map[int][]string{
	"ecs": {
		2: {"capacity_providers", "container_insights", "create_ecs", "default_capacity_provider_strategy", "name", "tags"},
		3: {"capacity_providers", "container_insights", "create_ecs", "default_capacity_provider_strategy", "name", "tags"},
	},
}

// checkPinned refuses, in a call that pins a major version of a module
// ecsnet has a stand-in for, the arguments that major does not declare,
// each at its line, as Terraform refuses them once `terraform init` has
// installed that release: the stand-in takes the variables of every
// release it knows, so a v6 argument in a call pinned to v5 was read.
func (mi *modInst) checkPinned(c *call, dir, addr string) error {
	name, ok := strings.CutPrefix(dir, standinPrefix)
	if !ok || c.unpinned() {
		return nil
	}
	table := standinDeclared[name]
	m := versionMajor(c.version)
	if table == nil || m < 2 || m > standinNewest[name].major {
		return nil
	}
	var el errorList
	for _, n := range sortedKeys(c.inputs) {
		majors, ok := table[n]
		all, complete := standinComplete[name][m]
		switch {
		case ok && !slices.Contains(majors, m):
			a := c.inputs[n]
			el.add(&Error{File: a.NameRange.Filename, Line: a.NameRange.Start.Line, Address: addr,
				Msg: fmt.Sprintf("Unsupported argument: An argument named %q is not expected here: the call pins %s to %q (v%d), which declares no such variable (%s)", n, c.source, c.version, m, declaredIn(majors))})
		case !ok && complete && !slices.Contains(all, n):
			a := c.inputs[n]
			el.add(&Error{File: a.NameRange.Filename, Line: a.NameRange.Start.Line, Address: addr,
				Msg: fmt.Sprintf("Unsupported argument: An argument named %q is not expected here: the call pins %s to %q (v%d), which declares no such variable", n, c.source, c.version, m)})
		}
	}
	return el.err()
}

// declaredIn says which majors declare a variable: "v2–v3 and v6".
func declaredIn(majors []int) string {
	var parts []string
	for i := 0; i < len(majors); {
		j := i
		for j+1 < len(majors) && majors[j+1] == majors[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, fmt.Sprintf("v%d", majors[i]))
		} else {
			parts = append(parts, fmt.Sprintf("v%d–v%d", majors[i], majors[j]))
		}
		i = j + 1
	}
	return "it is a variable of " + strings.Join(parts, " and ")
}

// standinAWS is, per stand-in and major release of its registry module,
// the module's own constraint on hashicorp/aws (its versions.tf), which
// `terraform init` weighs with the configuration's: the VPC module
// requires ">= 4.35" in v4, ">= 5.0" from v5.0.0
// (terraform-aws-modules/terraform-aws-vpc#947) and ">= 6.0" from v6.0.0
// (#1205). A configuration that pins the provider to 4.x and calls the
// VPC module without a version cannot be initialized.
var standinAWS = map[string]map[int]string{
	"vpc": {4: ">= 4.35", 5: ">= 5.0", 6: ">= 6.0"},
}

// noteStandinAWS records the AWS provider constraint of the release a
// stand-in's call is read as (its pinned major, or the newest for a call
// without a version), for checkAWSConstraints.
func (l *loader) noteStandinAWS(c *call, dir string) {
	name, ok := strings.CutPrefix(dir, standinPrefix)
	if !ok || IsStandIn(c.rng.Filename) {
		return
	}
	m := versionMajor(c.version)
	if m == 0 && c.unpinned() {
		m = standinNewest[name].major
	}
	expr, ok := standinAWS[name][m]
	if !ok {
		return
	}
	for _, x := range l.standinAWS {
		if x.rng == c.rng {
			return
		}
	}
	how := fmt.Sprintf("pinned to %q", c.version)
	if c.unpinned() {
		how = c.unpinnedWhy() + ", so `terraform init` installs the newest"
	}
	l.standinAWS = append(l.standinAWS, versionConstraint{expr: expr, rng: c.rng,
		note: fmt.Sprintf("%q is the constraint of %s v%d, which module %q at %s:%d uses: %s", expr, c.source, m, c.name, c.rng.Filename, c.rng.Start.Line, how)})
}
