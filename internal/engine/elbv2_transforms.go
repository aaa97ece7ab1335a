package engine

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// maxRewriteLen is the longest Regex or Replace of a rule transform's
// rewrite (ELB API reference, RewriteConfig: "The maximum length of the
// string is 1,024 characters").
const maxRewriteLen = 1024

// transformTypes are RuleTransform's Type values (TransformTypeEnum).
func transformTypes() []string {
	return []string{model.TransformHostHeaderRewrite, model.TransformURLRewrite}
}

// checkTransforms validates a rule's transforms as the ALB User Guide
// ("Transforms for listener rules") documents them: a known type, one
// host-header-rewrite and one url-rewrite at most, a regular expression of
// 1 to 1,024 characters without the features ALB's engine lacks
// (lookarounds, backreferences, atomic groups, possessive quantifiers,
// recursion and Unicode classes such as \p{L}), and a replacement of at
// most 1,024 characters. The texts are ecsnet's [choice] in AWS's shape.
func checkTransforms(in []model.RuleTransform) ([]model.RuleTransform, error) {
	if len(in) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	out := make([]model.RuleTransform, len(in))
	for i, t := range in {
		if t.Type == "" {
			return nil, errELBValidation("A transform type must be specified")
		}
		if !slices.Contains(transformTypes(), t.Type) {
			return nil, errELBEnum(t.Type, "transforms.member.type", transformTypes()...)
		}
		if seen[t.Type] {
			return nil, errELBValidation("A rule can have only one '%s' transform", t.Type)
		}
		seen[t.Type] = true
		if t.Regex == "" {
			return nil, errELBValidation("A 'Regex' value must be specified in 'RewriteConfig'")
		}
		if len(t.Regex) > maxRewriteLen {
			return nil, errELBValidation("The 'Regex' value is too long; the limit is '%d'", maxRewriteLen)
		}
		if len(t.Replace) > maxRewriteLen {
			return nil, errELBValidation("The 'Replace' value is too long; the limit is '%d'", maxRewriteLen)
		}
		if !model.ValidRuleRegex(t.Regex) {
			return nil, errELBValidation("The regular expression '%s' is not valid", t.Regex)
		}
		out[i] = t
	}
	return out, nil
}
