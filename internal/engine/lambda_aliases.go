package engine

import (
	"maps"
	"regexp"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Lambda aliases: a name for one of a function's versions (or $LATEST),
// with an optional second version taking a share of invocations. A
// qualifier that is an alias's name resolves to the alias.

// lambdaAliasName is the botocore model's Alias pattern (a name that is
// not a version number).
var lambdaAliasName = regexp.MustCompile(`^(?:[a-zA-Z0-9-_]+)$`)

// LambdaAliasOf returns a function's alias, or nil.
func LambdaAliasOf(fn *model.LambdaFunction, name string) *model.LambdaAlias {
	for i := range fn.Aliases {
		if fn.Aliases[i].Name == name {
			return &fn.Aliases[i]
		}
	}
	return nil
}

func (e *Engine) errAliasNotFound(fn *model.LambdaFunction, name string) error {
	return lambdaNotFound("Alias not found: %s", e.LambdaFunctionARN(fn.Name, name)) // [probable]
}

// checkAliasTarget checks an alias's version and routing configuration.
func (e *Engine) checkAliasTarget(fn *model.LambdaFunction, a *model.LambdaAlias) error {
	if a.FunctionVersion != "$LATEST" && LambdaVersionOf(fn, a.FunctionVersion) == nil {
		return e.errFunctionNotFound(fn.Name, a.FunctionVersion)
	}
	if len(a.AdditionalVersionWeights) > 1 {
		return lambdaInvalid("Number of items in AdditionalVersionWeights cannot be greater than 1") // [probable]
	}
	for v, w := range a.AdditionalVersionWeights {
		if a.FunctionVersion == "$LATEST" || v == "$LATEST" {
			return lambdaInvalid("$LATEST is not supported for an alias pointing to more than 1 version")
		}
		if LambdaVersionOf(fn, v) == nil {
			return e.errFunctionNotFound(fn.Name, v)
		}
		if v == a.FunctionVersion {
			return lambdaInvalid("Invalid function version %s. Function version %s is already included in routing configuration.", v, v) // [probable]
		}
		if w < 0 || w > 1 {
			return lambdaValidation("routingConfig.additionalVersionWeights", "", "Member must have value less than or equal to 1.0")
		}
	}
	return nil
}

// CreateLambdaAlias creates an alias of a function.
func (e *Engine) CreateLambdaAlias(ref string, a model.LambdaAlias) (*model.LambdaFunction, *model.LambdaAlias, error) {
	if !lambdaAliasName.MatchString(a.Name) || isAllDigits(a.Name) || a.Name == "$LATEST" {
		return nil, nil, lambdaValidation("name", a.Name, "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
	}
	var out *model.LambdaAlias
	fn, err := e.changeLambdaFunction(ref, "", func(t *txn, fn *model.LambdaFunction) error {
		if LambdaAliasOf(fn, a.Name) != nil {
			return lambdaConflict("Alias already exists: %s", e.LambdaFunctionARN(fn.Name, a.Name))
		}
		if err := e.checkAliasTarget(fn, &a); err != nil {
			return err
		}
		a.RevisionID = t.lambdaRevision()
		a.AdditionalVersionWeights = maps.Clone(a.AdditionalVersionWeights)
		fn.Aliases = append(slices.Clone(fn.Aliases), a)
		out = &fn.Aliases[len(fn.Aliases)-1]
		return nil
	})
	return fn, out, err
}

// UpdateLambdaAlias changes an alias: change gets a copy; revision, when
// given, must be the alias's RevisionId.
func (e *Engine) UpdateLambdaAlias(ref, name, revision string, change func(a *model.LambdaAlias)) (*model.LambdaFunction, *model.LambdaAlias, error) {
	var out *model.LambdaAlias
	fn, err := e.changeLambdaFunction(ref, "", func(t *txn, fn *model.LambdaFunction) error {
		i := slices.IndexFunc(fn.Aliases, func(a model.LambdaAlias) bool { return a.Name == name })
		if i < 0 {
			return e.errAliasNotFound(fn, name)
		}
		if revision != "" && revision != fn.Aliases[i].RevisionID {
			return lambdaErr(412, "PreconditionFailedException",
				"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
		}
		a := fn.Aliases[i]
		a.AdditionalVersionWeights = maps.Clone(a.AdditionalVersionWeights)
		change(&a)
		if err := e.checkAliasTarget(fn, &a); err != nil {
			return err
		}
		a.RevisionID = t.lambdaRevision()
		fn.Aliases = slices.Clone(fn.Aliases)
		fn.Aliases[i] = a
		out = &fn.Aliases[i]
		return nil
	})
	return fn, out, err
}

// DeleteLambdaAlias deletes an alias (none by that name: no error, as
// Lambda answers).
func (e *Engine) DeleteLambdaAlias(ref, name string) error {
	_, err := e.changeLambdaFunction(ref, "", func(t *txn, fn *model.LambdaFunction) error {
		fn.Aliases = slices.DeleteFunc(slices.Clone(fn.Aliases), func(a model.LambdaAlias) bool { return a.Name == name })
		return nil
	})
	return err
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
