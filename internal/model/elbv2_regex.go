package model

import (
	"regexp"
	"strings"
)

// RegexFields are the condition fields that take RegexValues (ELB API
// reference, RuleCondition: "Specify only when Field is http-header,
// host-header, or path-pattern").
func RegexFields() []string { return []string{"host-header", "path-pattern", "http-header"} }

// ValidRuleRegex reports whether ALB accepts a regular expression of a
// rule condition or transform: it must compile, and it must use none of
// the features ALB's engine lacks ("lookaheads, lookbehinds,
// backreferences, atomic groups, possessive quantifiers, subroutines,
// recursion, and Unicode character classes (such as \p{L})", ALB User
// Guide, "Listener rules"). Go's RE2 lacks all of them but the Unicode
// classes, which are refused by name.
func ValidRuleRegex(re string) bool {
	if _, err := regexp.Compile(re); err != nil {
		return false
	}
	return !strings.Contains(re, `\p`) && !strings.Contains(re, `\P`)
}

// CompileRegexValues compiles a condition's RegexValues once, for matching
// many requests; an expression that does not compile (the API refuses it
// before a rule is stored) is left out, so it matches nothing.
func CompileRegexValues(vs []string) []*regexp.Regexp {
	if len(vs) == 0 {
		return nil
	}
	out := make([]*regexp.Regexp, 0, len(vs))
	for _, v := range vs {
		if re, err := regexp.Compile(v); err == nil {
			out = append(out, re)
		}
	}
	return out
}

// MatchAnyRegex reports whether one of the expressions matches s. A
// condition's expression matches when it matches anywhere in the value
// (it is not anchored; ^ and $ anchor it) [choice: the ALB User Guide's
// transform examples anchor with ^ explicitly].
func MatchAnyRegex(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
