package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// TerraformVersion is the newest Terraform release whose language
// ecsnet reads (Options.TerraformVersion pins another). A configuration
// without required_version is read as this release.
const TerraformVersion = "1.14.0"

// terraformReleases are the newest patch of each Terraform minor release
// whose language (HCL 2, Terraform 0.12 and later) ecsnet reads, oldest
// first. A root module's required_version picks the newest of them (or of
// the versions it names) that it allows, as a user runs the release the
// configuration asks for; a constraint none of them meets (0.11 and
// earlier, a release newer than TerraformVersion) is refused as
// TerraformVersion refuses it.
var terraformReleases = []string{"0.12.31", "0.13.7", "0.14.11", "0.15.5", "1.0.11", "1.1.9", "1.2.9", "1.3.10", "1.4.7",
	"1.5.7", "1.6.6", "1.7.5", "1.8.5", "1.9.8", "1.10.5", "1.11.4", "1.12.2", "1.13.5", TerraformVersion}

// awsNewestReleases are the newest releases of each major of
// hashicorp/aws (the registry's version list): what `terraform init`
// installs for a constraint that allows that major and no later one.
var awsNewestReleases = []string{"1.60.0", "2.70.4", "3.76.1", "4.67.0", "5.100.0", "6.20.0"}

// providerVersionDeprecated is Terraform's warning for a version argument
// in a provider block, which Terraform 0.14 deprecated
// (github.com/hashicorp/terraform/blob/v0.14/CHANGELOG.md, upgrade notes):
// a configuration read as 0.12 or 0.13 (required_version = "~> 0.12.0")
// gets none.
const providerVersionDeprecated = "Version constraints inside provider configuration blocks are deprecated"

// providerVersionDeprecatedIn is the release that deprecated it.
var providerVersionDeprecatedIn = version.Must(version.NewVersion("0.14.0"))

// dropEarlyWarnings drops the warnings of the root module, parsed before
// chooseVersion knew its release, that the release it is read as does not
// give (the modules it calls are parsed after).
func (l *loader) dropEarlyWarnings() {
	if !l.terraformVersion().LessThan(providerVersionDeprecatedIn) {
		return
	}
	l.res.Warnings = slices.DeleteFunc(l.res.Warnings, func(w Warning) bool {
		return strings.HasPrefix(w.Msg, providerVersionDeprecated+":")
	})
}

// versionConstraint is one version constraint string, where it is written.
type versionConstraint struct {
	expr string
	rng  hcl.Range
	// note says where a stand-in's constraint comes from.
	note string
}

// readCoreVersion reads a terraform block's required_version.
func readCoreVersion(body hcl.Body) ([]versionConstraint, hcl.Diagnostics) {
	c, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "required_version"}}})
	a := c.Attributes["required_version"]
	if a == nil {
		return nil, nil
	}
	v, d := a.Expr.Value(nil)
	if d.HasErrors() || v.IsNull() || !v.IsWhollyKnown() || v.Type() != cty.String {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid version constraint",
			Detail: "A string value is required for required_version.", Subject: a.Expr.Range().Ptr()}}
	}
	if _, err := version.NewConstraint(v.AsString()); err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid version constraint",
			Detail: "This string does not use correct version constraint syntax.", Subject: a.Expr.Range().Ptr()}}
	}
	return []versionConstraint{{expr: v.AsString(), rng: a.Expr.Range()}}, nil
}

// terraformVersion is the release the configuration is read as: the
// pinned one, else the one the root module's required_version picks
// (chooseVersion), else TerraformVersion.
func (l *loader) terraformVersion() *version.Version {
	if l.readAs != nil {
		return l.readAs
	}
	if v, err := version.NewVersion(l.opts.TerraformVersion); err == nil {
		return v
	}
	return version.Must(version.NewVersion(TerraformVersion))
}

// chooseVersion sets the release the configuration is read as from the
// root module's required_version, unless Options pins one: the newest of
// terraformReleases and of the versions the constraints name (from 0.12
// to TerraformVersion) that every constraint allows. When none does, the
// configuration is read as TerraformVersion, which checkCoreVersion then
// refuses.
func (l *loader) chooseVersion(root *module) {
	if l.opts.TerraformVersion != "" || len(root.coreVersions) == 0 {
		return
	}
	var cs version.Constraints
	candidates := map[string]*version.Version{}
	for _, r := range terraformReleases {
		candidates[r] = version.Must(version.NewVersion(r))
	}
	for _, c := range root.coreVersions {
		parsed, err := version.NewConstraint(c.expr)
		if err != nil {
			return
		}
		cs = append(cs, parsed...)
		for _, one := range parsed {
			if v, err := version.NewVersion(strings.TrimLeft(strings.TrimSpace(strings.TrimLeft(one.String(), "<>=!~")), "v")); err == nil {
				candidates[v.String()] = v
			}
		}
	}
	lo, hi := version.Must(version.NewVersion("0.12.0")), version.Must(version.NewVersion(TerraformVersion))
	for _, v := range candidates {
		if v.LessThan(lo) || v.GreaterThan(hi) || v.Prerelease() != "" || !cs.Check(v) {
			continue
		}
		if l.readAs == nil || v.GreaterThan(l.readAs) {
			l.readAs = v
		}
	}
}

// checkCoreVersion refuses a module whose required_version constraints
// exclude the Terraform release, with Terraform's diagnostic
// (CheckCoreVersionRequirements): the root module's "This configuration
// does not support…", a called module's "Module module.x (from SOURCE)
// does not support…".
func (l *loader) checkCoreVersion(m *module, path, source string) error {
	tv := l.terraformVersion()
	var el errorList
	for _, c := range m.coreVersions {
		cs, err := version.NewConstraint(c.expr)
		if err != nil || cs.Check(tv) {
			continue
		}
		const rest = "To proceed, either choose another supported Terraform version or update this version constraint. Version constraints are normally set for good reason, so updating the constraint may lead to other errors or unexpected behavior."
		detail := fmt.Sprintf("This configuration does not support Terraform version %s. %s", tv, rest)
		if path != "" {
			detail = fmt.Sprintf("Module %s (from %s) does not support Terraform version %s. %s", path, source, tv, rest)
		}
		el.add(&Error{File: c.rng.Filename, Line: c.rng.Start.Line, Msg: "Unsupported Terraform Core version: " + detail, Err: errCoreVersion})
	}
	return el.err()
}

// terraformProviderConstraint is a provider version constraint as Terraform reads
// it: "~> 4" is "~> 4.0" (4.x; Terraform says `Finding hashicorp/aws
// versions matching "~> 4.0"`), where go-version would allow any release
// from 4.0 on.
func terraformProviderConstraint(expr string) string {
	parts := strings.Split(expr, ",")
	for i, p := range parts {
		v, ok := strings.CutPrefix(strings.TrimSpace(p), "~>")
		v = strings.TrimSpace(v)
		if ok && v != "" && !strings.Contains(v, ".") {
			parts[i] = "~> " + v + ".0"
		}
	}
	return strings.Join(parts, ",")
}

// errCoreVersion marks the core version errors: Terraform reports them in
// preference to any other, which they likely cause.
var errCoreVersion = fmt.Errorf("unsupported Terraform Core version")

// checkAWSConstraints refuses, as `terraform init` does, AWS provider
// constraints that no release meets together, and a lock file whose
// release does not meet them.
func (l *loader) checkAWSConstraints() error {
	var all []versionConstraint
	for _, key := range sortedKeys(l.modules) {
		m := l.modules[key]
		if IsStandIn(m.dir) {
			continue
		}
		all = append(all, m.awsVersions...)
	}
	if len(all) == 0 {
		return nil
	}
	// The modules read with stand-ins bring their own constraints, said
	// after the configuration's (the error is at the configuration's).
	for _, c := range l.standinAWS {
		all = append(all, c)
	}
	if len(all) == 0 {
		return nil
	}
	var cs version.Constraints
	for _, c := range all {
		parsed, err := version.NewConstraint(terraformProviderConstraint(c.expr))
		if err != nil {
			return &Error{File: c.rng.Filename, Line: c.rng.Start.Line, Msg: fmt.Sprintf("Invalid version constraint: This string does not use correct version constraint syntax (%q).", c.expr)}
		}
		cs = append(cs, parsed...)
	}
	at := all[0].rng
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	joined := strings.Join(parts, ", ")
	if locked := l.lockedAWS(); locked != "" {
		if v, err := version.NewVersion(locked); err == nil && !cs.Check(v) {
			return &Error{File: at.Filename, Line: at.Start.Line, Msg: fmt.Sprintf(
				"Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws: locked provider registry.terraform.io/hashicorp/aws %s does not match configured version constraint %s; must use terraform init -upgrade to allow selection of new versions",
				locked, joined)}
		}
		return nil
	}
	// Candidates: the newest release of each major, and every version a
	// constraint names (a set of ranges meets at one of its bounds).
	var cands []*version.Version
	for _, s := range awsNewestReleases {
		cands = append(cands, version.Must(version.NewVersion(s)))
	}
	newest := cands[len(cands)-1]
	for _, c := range cs {
		s := c.String()
		s = strings.TrimSpace(strings.TrimLeft(s, "~<>=! "))
		if v, err := version.NewVersion(s); err == nil && !v.GreaterThan(newest) {
			cands = append(cands, v)
			seg := v.Segments()
			if len(seg) >= 3 {
				next, _ := version.NewVersion(fmt.Sprintf("%d.%d.%d", seg[0], seg[1], seg[2]+1))
				cands = append(cands, next)
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].LessThan(cands[j]) })
	for _, v := range cands {
		if cs.Check(v) {
			return nil
		}
	}
	var notes []string
	for _, c := range all {
		if c.note != "" {
			notes = append(notes, c.note)
		}
	}
	why := ""
	if len(notes) > 0 {
		why = " (" + strings.Join(notes, "; ") + ")"
	}
	return &Error{File: at.Filename, Line: at.Start.Line, Msg: fmt.Sprintf(
		"Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws: no available releases match the given constraints %s%s", joined, why)}
}

// lockedAWS is the hashicorp/aws release .terraform.lock.hcl records.
func (l *loader) lockedAWS() string {
	src, err := os.ReadFile(filepath.Join(l.root, ".terraform.lock.hcl"))
	if err != nil {
		return ""
	}
	f, d := hclparse.NewParser().ParseHCL(src, ".terraform.lock.hcl")
	if d.HasErrors() {
		return ""
	}
	c, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"source"}}}})
	for _, b := range c.Blocks {
		if !strings.HasSuffix(b.Labels[0], "hashicorp/aws") {
			continue
		}
		attrs, _ := b.Body.JustAttributes()
		if a := attrs["version"]; a != nil {
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String {
				return v.AsString()
			}
		}
	}
	return ""
}
