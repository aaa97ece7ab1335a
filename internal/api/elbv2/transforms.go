package elbv2

import (
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/model"
)

// transformConfigs names each transform type's config member.
var transformConfigs = [...]struct{ typ, config string }{
	{model.TransformHostHeaderRewrite, "HostHeaderRewriteConfig"},
	{model.TransformURLRewrite, "UrlRewriteConfig"},
}

// transformsIn reads a rule's Transforms, refusing the shapes AWS refuses:
// a type without its config or with the other type's, and a config with
// other than one rewrite (ALB takes one; the terraform-provider-aws pull
// request 44702 observed it). The engine checks the rest.
func transformsIn(list []awsproto.Params) ([]model.RuleTransform, error) {
	var out []model.RuleTransform
	for _, t := range list {
		typ := t.String("Type")
		x := model.RuleTransform{Type: typ}
		for _, tc := range transformConfigs {
			if tc.typ == typ {
				if !t.Has(tc.config) {
					return nil, validation("A '%s' must be specified with '%s'", tc.config, typ)
				}
				rw := t.Struct(tc.config).Structs("Rewrites")
				if len(rw) != 1 {
					return nil, validation("A '%s' transform must have exactly one rewrite", typ)
				}
				x.Regex, x.Replace = rw[0].String("Regex"), rw[0].String("Replace")
			} else if t.Has(tc.config) && typ != "" {
				return nil, validation("A '%s' cannot be specified with '%s'", tc.config, typ)
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// transformsOut answers a rule's transforms in RuleTransform's shape.
func transformsOut(ts []model.RuleTransform) []any {
	out := make([]any, len(ts))
	for i, t := range ts {
		x := map[string]any{"Type": t.Type}
		for _, tc := range transformConfigs {
			if tc.typ == t.Type {
				x[tc.config] = map[string]any{"Rewrites": []any{map[string]any{"Regex": t.Regex, "Replace": t.Replace}}}
			}
		}
		out[i] = x
	}
	return out
}
