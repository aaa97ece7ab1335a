package engine

import (
	"maps"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A function's asynchronous invocation settings (event invoke
// configurations), one per qualifier: $LATEST, a version or an alias.
// Nothing is invoked, so they are state only.

// lambdaEventInvokeKey is the qualifier a configuration is kept under.
func lambdaEventInvokeKey(q string) string {
	if q == "" {
		return "$LATEST"
	}
	return q
}

// errNoEventInvokeConfig is Lambda's 404 for a qualifier without a
// configuration, also when the function or the version does not exist:
// "The function arn:…:function:NAME:QUALIFIER doesn't have an
// EventInvokeConfig" (test_lambda_api.snapshot.json,
// test_ops_on_nonexisting_fn and test_ops_on_nonexisting_version).
func (e *Engine) errNoEventInvokeConfig(name, q string) error {
	return lambdaNotFound("The function %s doesn't have an EventInvokeConfig", e.LambdaFunctionARN(name, lambdaEventInvokeKey(q)))
}

// LambdaEventInvokeConfig returns the configuration of the function and
// qualifier named, and the qualifier it is kept under.
func (e *Engine) LambdaEventInvokeConfig(st *model.State, ref, qualifier string) (model.LambdaEventInvokeConfig, string, error) {
	name, q, err := e.ResolveLambdaRef(ref, qualifier)
	if err != nil {
		return model.LambdaEventInvokeConfig{}, "", err
	}
	fn := st.LambdaFunctions[name]
	if fn == nil {
		return model.LambdaEventInvokeConfig{}, "", e.errNoEventInvokeConfig(name, q)
	}
	cfg, ok := fn.EventInvokeConfigs[lambdaEventInvokeKey(q)]
	if !ok {
		return model.LambdaEventInvokeConfig{}, "", e.errNoEventInvokeConfig(name, q)
	}
	return cfg, lambdaEventInvokeKey(q), nil
}

// PutLambdaEventInvokeConfig sets the configuration of a function's
// qualifier: replacing it (Put) or changing the members given (update,
// which needs one to exist). in carries the members given.
func (e *Engine) PutLambdaEventInvokeConfig(ref, qualifier string, update bool, in model.LambdaEventInvokeConfig, given func(member string) bool) (model.LambdaEventInvokeConfig, string, error) {
	if n := in.MaximumRetryAttempts; n != nil && (*n < 0 || *n > 2) {
		return model.LambdaEventInvokeConfig{}, "", lambdaValidation("maximumRetryAttempts", strconv.FormatInt(*n, 10),
			map[bool]string{true: "Member must have value greater than or equal to 0", false: "Member must have value less than or equal to 2"}[*n < 0])
	}
	if n := in.MaximumEventAgeInSeconds; n != nil && (*n < 60 || *n > 21600) {
		return model.LambdaEventInvokeConfig{}, "", lambdaValidation("maximumEventAgeInSeconds", strconv.FormatInt(*n, 10),
			map[bool]string{true: "Member must have value greater than or equal to 60", false: "Member must have value less than or equal to 21600"}[*n < 60])
	}
	if !update && in.MaximumRetryAttempts == nil && in.MaximumEventAgeInSeconds == nil && !given("DestinationConfig") {
		return model.LambdaEventInvokeConfig{}, "", lambdaInvalid("You must specify at least one of error handling or destination setting.") // [probable]
	}
	var out model.LambdaEventInvokeConfig
	var key string
	err := e.write(func(t *txn) error {
		name, q, err := e.ResolveLambdaRef(ref, qualifier)
		if err != nil {
			return err
		}
		fn := t.st.LambdaFunctions[name]
		if fn == nil {
			if update {
				return e.errNoEventInvokeConfig(name, q)
			}
			return e.errFunctionNotFound(name, q)
		}
		if q != "" && q != "$LATEST" && LambdaVersionOf(fn, q) == nil && LambdaAliasOf(fn, q) == nil {
			if update {
				return e.errNoEventInvokeConfig(name, q)
			}
			return e.errFunctionNotFound(name, q)
		}
		key = lambdaEventInvokeKey(q)
		cfg, ok := fn.EventInvokeConfigs[key]
		switch {
		case update && !ok:
			return e.errNoEventInvokeConfig(name, q)
		case update:
			if given("MaximumRetryAttempts") {
				cfg.MaximumRetryAttempts = in.MaximumRetryAttempts
			}
			if given("MaximumEventAgeInSeconds") {
				cfg.MaximumEventAgeInSeconds = in.MaximumEventAgeInSeconds
			}
			if given("DestinationConfig") {
				cfg.OnSuccess, cfg.OnFailure = in.OnSuccess, in.OnFailure
			}
		default:
			cfg = in
		}
		cfg.LastModified = t.now
		c := cloneLambdaFunction(fn)
		if c.EventInvokeConfigs == nil {
			c.EventInvokeConfigs = map[string]model.LambdaEventInvokeConfig{}
		}
		c.EventInvokeConfigs[key] = cfg
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
		out = cfg
		return nil
	})
	return out, key, err
}

// DeleteLambdaEventInvokeConfig removes the configuration of a
// function's qualifier.
func (e *Engine) DeleteLambdaEventInvokeConfig(ref, qualifier string) error {
	return e.write(func(t *txn) error {
		name, q, err := e.ResolveLambdaRef(ref, qualifier)
		if err != nil {
			return err
		}
		fn := t.st.LambdaFunctions[name]
		if fn == nil {
			return e.errNoEventInvokeConfig(name, q)
		}
		if _, ok := fn.EventInvokeConfigs[lambdaEventInvokeKey(q)]; !ok {
			return e.errNoEventInvokeConfig(name, q)
		}
		c := cloneLambdaFunction(fn)
		delete(c.EventInvokeConfigs, lambdaEventInvokeKey(q))
		put(t, model.KindLambdaFunction, t.st.LambdaFunctions, c.Name, c)
		return nil
	})
}

func cloneEventInvokeConfigs(m map[string]model.LambdaEventInvokeConfig) map[string]model.LambdaEventInvokeConfig {
	return maps.Clone(m) // nil stays nil
}
