package engine

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"

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
	return ErrLambdaAliasNotFound(e.LambdaFunctionARN(fn.Name, name))
}

// checkAliasTarget checks an alias's version and routing configuration.
func (e *Engine) checkAliasTarget(fn *model.LambdaFunction, a *model.LambdaAlias) error {
	if a.FunctionVersion != "$LATEST" && LambdaVersionOf(fn, a.FunctionVersion) == nil {
		return e.errFunctionNotFound(fn.Name, a.FunctionVersion)
	}
	if len(a.AdditionalVersionWeights) > 1 {
		return lambdaInvalid("Number of items in AdditionalVersionWeights cannot be greater than 1")
	}
	for v := range a.AdditionalVersionWeights {
		if a.FunctionVersion == "$LATEST" {
			// AWS's answer has no "Type" member (test_lambda_api.snapshot.json).
			return &apierr.Error{Code: "InvalidParameterValueException", HTTPStatus: http.StatusBadRequest,
				Message: "$LATEST is not supported for an alias pointing to more than 1 version"}
		}
		if LambdaVersionOf(fn, v) == nil {
			return e.errFunctionNotFound(fn.Name, v)
		}
		if v == a.FunctionVersion {
			return lambdaInvalid("Invalid function version %s. Function version %s is already included in routing configuration.", v, v)
		}
	}
	return nil
}

// ErrLambdaAliasNotFound is Lambda's 404 for an alias that does not
// exist: "Cannot find alias arn: ARN" (test_lambda_api.snapshot.json,
// alias_does_not_exist_esc).
func ErrLambdaAliasNotFound(arn string) error {
	return lambdaNotFound("Cannot find alias arn: %s", arn)
}

// checkLambdaAliasWeights is the request validation of a routing
// configuration, before any function is looked up: each key a version
// number, each weight 0 to 1; the map is written as Java's toString
// ("{2=2.0}") as AWS's ValidationException does
// (test_lambda_api.snapshot.json, routing_config_exc_toohigh,
// routing_config_exc_version_latest).
func checkLambdaAliasWeights(weights map[string]float64) error {
	if len(weights) == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(weights))
	parts := make([]string, len(keys))
	keysOK, valuesOK := true, true
	for i, k := range keys {
		w := strconv.FormatFloat(weights[k], 'f', -1, 64)
		if !strings.ContainsAny(w, ".e") {
			w += ".0"
		}
		parts[i] = k + "=" + w
		keysOK = keysOK && k != "" && len(k) <= 1024 && isAllDigits(k)
		valuesOK = valuesOK && weights[k] >= 0 && weights[k] <= 1
	}
	value := "{" + strings.Join(parts, ", ") + "}"
	switch {
	case !keysOK:
		return lambdaValidation("routingConfig.additionalVersionWeights", value,
			"Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]")
	case !valuesOK:
		return lambdaValidation("routingConfig.additionalVersionWeights", value,
			"Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]")
	}
	return nil
}

// CreateLambdaAlias creates an alias of a function.
func (e *Engine) CreateLambdaAlias(ref string, a model.LambdaAlias) (*model.LambdaFunction, *model.LambdaAlias, error) {
	if !lambdaAliasName.MatchString(a.Name) || isAllDigits(a.Name) || a.Name == "$LATEST" {
		return nil, nil, lambdaValidation("name", a.Name, "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
	}
	if err := checkLambdaAliasWeights(a.AdditionalVersionWeights); err != nil {
		return nil, nil, err
	}
	// A function that does not exist is named with the alias's version
	// (routing_config_exc_fn_doesnotexist: "Function not found: …:NAME:1").
	if name, q, err := e.ResolveLambdaRef(ref, ""); err == nil && q == "" {
		var missing bool
		e.Read(func(st *model.State) { missing = st.LambdaFunctions[name] == nil })
		if missing {
			return nil, nil, e.errFunctionNotFound(name, a.FunctionVersion)
		}
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
		if err := checkLambdaAliasWeights(a.AdditionalVersionWeights); err != nil {
			return err
		}
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
		// The alias's URL and event invoke configurations go with it.
		delete(fn.URLs, name)
		delete(fn.EventInvokeConfigs, name)
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
