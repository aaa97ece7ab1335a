package terraform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// otherReleases are the newest release of each major of the HashiCorp
// utility providers configurations call beside hashicorp/aws (their
// registry version lists, late 2025): `terraform init` refuses a
// constraint none of their releases meets ("no available releases match
// the given constraints").
var otherReleases = map[string][]string{
	"random":    {"1.3.2", "2.3.1", "3.7.2"},
	"null":      {"1.0.0", "2.1.2", "3.2.4"},
	"tls":       {"1.2.0", "2.2.0", "3.4.0", "4.1.0"},
	"local":     {"1.4.0", "2.5.3"},
	"archive":   {"1.3.0", "2.7.1"},
	"template":  {"1.0.0", "2.2.0"},
	"cloudinit": {"2.3.7"},
	"time":      {"0.13.1"},
}

// providerConstraint is a version constraint on one of otherReleases'
// providers.
type providerConstraint struct {
	name string // the provider's type: random, tls…
	versionConstraint
}

// requiredOthers returns a terraform block's version constraints on
// otherReleases' providers (source hashicorp/NAME, or no source and the
// local name NAME).
func requiredOthers(body hcl.Body) []providerConstraint {
	c, _, d := body.PartialContent(requiredProvidersSchema)
	if d.HasErrors() {
		return nil
	}
	var out []providerConstraint
	for _, b := range c.Blocks {
		attrs, d := b.Body.JustAttributes()
		if d.HasErrors() {
			continue
		}
		for local, a := range attrs {
			v, d := a.Expr.Value(nil)
			if d.HasErrors() || v.IsNull() || !v.IsWhollyKnown() {
				continue
			}
			name, expr := local, ""
			switch {
			case v.Type() == cty.String:
				expr = v.AsString()
			case v.Type().IsObjectType() && v.Type().HasAttribute("version"):
				if v.Type().HasAttribute("source") {
					if src := v.GetAttr("source"); src.Type() == cty.String && !src.IsNull() {
						s := strings.ToLower(src.AsString())
						s = strings.TrimPrefix(s, "registry.terraform.io/")
						if !strings.HasPrefix(s, "hashicorp/") {
							continue
						}
						name = strings.TrimPrefix(s, "hashicorp/")
					}
				}
				if ver := v.GetAttr("version"); ver.Type() == cty.String && !ver.IsNull() {
					expr = ver.AsString()
				}
			}
			if _, ok := otherReleases[name]; ok && expr != "" {
				out = append(out, providerConstraint{name: name, versionConstraint: versionConstraint{expr: expr, rng: a.Expr.Range()}})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rng.Start.Line < out[j].rng.Start.Line })
	return out
}

// checkOtherProviders refuses, as `terraform init` does, constraints on
// otherReleases' providers that no release meets together.
func (l *loader) checkOtherProviders() error {
	byName := map[string][]versionConstraint{}
	var names []string
	for _, key := range sortedKeys(l.modules) {
		m := l.modules[key]
		if IsStandIn(m.dir) {
			continue
		}
		for _, c := range m.otherVersions {
			if byName[c.name] == nil {
				names = append(names, c.name)
			}
			byName[c.name] = append(byName[c.name], c.versionConstraint)
		}
	}
	var el errorList
	for _, name := range names {
		all := byName[name]
		var cs version.Constraints
		for _, c := range all {
			parsed, err := version.NewConstraint(terraformProviderConstraint(c.expr))
			if err != nil {
				el.add(&Error{File: c.rng.Filename, Line: c.rng.Start.Line, Msg: fmt.Sprintf("Invalid version constraint: This string does not use correct version constraint syntax (%q).", c.expr)})
				cs = nil
				break
			}
			cs = append(cs, parsed...)
		}
		if cs == nil {
			continue
		}
		releases := otherReleases[name]
		newest := version.Must(version.NewVersion(releases[len(releases)-1]))
		var cands []*version.Version
		for _, r := range releases {
			cands = append(cands, version.Must(version.NewVersion(r)))
		}
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = c.String()
			s := strings.TrimSpace(strings.TrimLeft(c.String(), "~<>=! "))
			if v, err := version.NewVersion(s); err == nil && !v.GreaterThan(newest) {
				cands = append(cands, v)
				if seg := v.Segments(); len(seg) >= 3 {
					if next, err := version.NewVersion(fmt.Sprintf("%d.%d.%d", seg[0], seg[1], seg[2]+1)); err == nil && !next.GreaterThan(newest) {
						cands = append(cands, next)
					}
				}
			}
		}
		ok := false
		for _, v := range cands {
			ok = ok || cs.Check(v)
		}
		if !ok {
			at := all[0].rng
			el.add(&Error{File: at.Filename, Line: at.Start.Line, Msg: fmt.Sprintf(
				"Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/%s: no available releases match the given constraints %s (the newest release is %s)",
				name, strings.Join(parts, ", "), newest)})
		}
	}
	return el.err()
}
