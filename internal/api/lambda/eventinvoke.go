package lambda

import (
	"sort"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A function's asynchronous invocation settings (event invoke
// configurations): PutFunctionEventInvokeConfig, Update…, Get…, Delete…
// and ListFunctionEventInvokeConfigs, as Terraform's
// aws_lambda_function_event_invoke_config uses them. No event is invoked.

// eventInvokeConfigOut is a FunctionEventInvokeConfig: the function's ARN
// with the qualifier it is kept under, DestinationConfig always with both
// members (empty when not set) [probable].
func eventInvokeConfigOut(c *api.Call, name, key string, cfg model.LambdaEventInvokeConfig) map[string]any {
	dest := func(arn string) map[string]any {
		if arn == "" {
			return map[string]any{}
		}
		return map[string]any{"Destination": arn}
	}
	out := map[string]any{"FunctionArn": c.Engine.LambdaFunctionARN(name, key), "LastModified": cfg.LastModified,
		"DestinationConfig": map[string]any{"OnSuccess": dest(cfg.OnSuccess), "OnFailure": dest(cfg.OnFailure)}}
	if cfg.MaximumRetryAttempts != nil {
		out["MaximumRetryAttempts"] = *cfg.MaximumRetryAttempts
	}
	if cfg.MaximumEventAgeInSeconds != nil {
		out["MaximumEventAgeInSeconds"] = *cfg.MaximumEventAgeInSeconds
	}
	return out
}

func eventInvokeConfigIn(c *api.Call) model.LambdaEventInvokeConfig {
	var cfg model.LambdaEventInvokeConfig
	if c.In.Has("MaximumRetryAttempts") {
		n := c.In.Int("MaximumRetryAttempts")
		cfg.MaximumRetryAttempts = &n
	}
	if c.In.Has("MaximumEventAgeInSeconds") {
		n := c.In.Int("MaximumEventAgeInSeconds")
		cfg.MaximumEventAgeInSeconds = &n
	}
	d := c.In.Struct("DestinationConfig")
	cfg.OnSuccess = d.Struct("OnSuccess").String("Destination")
	cfg.OnFailure = d.Struct("OnFailure").String("Destination")
	return cfg
}

func setEventInvokeConfig(c *api.Call, update bool) (map[string]any, error) {
	ref := c.In.String("FunctionName")
	cfg, key, err := c.Engine.PutLambdaEventInvokeConfig(ref, c.In.String("Qualifier"), update, eventInvokeConfigIn(c), c.In.Has)
	if err != nil {
		return nil, err
	}
	name, _, _ := engine.ParseLambdaFunctionRef(ref)
	return eventInvokeConfigOut(c, name, key, cfg), nil
}

func putFunctionEventInvokeConfig(c *api.Call) (map[string]any, error) {
	return setEventInvokeConfig(c, false)
}

func updateFunctionEventInvokeConfig(c *api.Call) (map[string]any, error) {
	return setEventInvokeConfig(c, true)
}

func getFunctionEventInvokeConfig(c *api.Call) (map[string]any, error) {
	ref := c.In.String("FunctionName")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		cfg, key, e := c.Engine.LambdaEventInvokeConfig(st, ref, c.In.String("Qualifier"))
		if e != nil {
			err = e
			return
		}
		name, _, _ := engine.ParseLambdaFunctionRef(ref)
		out = eventInvokeConfigOut(c, name, key, cfg)
	})
	return out, err
}

func deleteFunctionEventInvokeConfig(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteLambdaEventInvokeConfig(c.In.String("FunctionName"), c.In.String("Qualifier"))
}

// listFunctionEventInvokeConfigs lists a function's configurations by
// qualifier, MaxItems 1 to 50 (the model's bounds; 50 by default).
func listFunctionEventInvokeConfigs(c *api.Call) (map[string]any, error) {
	limit := 50
	if c.In.Has("MaxItems") {
		n := c.In.Int("MaxItems")
		if n < 1 || n > 50 {
			return nil, apierr.New("ValidationException", "1 validation error detected: Value '"+strconv.FormatInt(n, 10)+"' at 'maxItems' failed to satisfy constraint: Member must have value "+
				map[bool]string{true: "greater than or equal to 1", false: "less than or equal to 50"}[n < 1])
		}
		limit = int(n)
	}
	return read(c, func(fn *model.LambdaFunction, _ *model.LambdaVersion, _ string) (map[string]any, error) {
		keys := make([]string, 0, len(fn.EventInvokeConfigs))
		for k := range fn.EventInvokeConfigs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		pg, next, ok := api.Paginate(keys, func(k string) string { return k }, c.In.String("Marker"), limit)
		if !ok {
			return nil, invalidMarker()
		}
		list := make([]map[string]any, len(pg))
		for i, k := range pg {
			list[i] = eventInvokeConfigOut(c, fn.Name, k, fn.EventInvokeConfigs[k])
		}
		out := map[string]any{"FunctionEventInvokeConfigs": list}
		if next != "" {
			out["NextMarker"] = next
		}
		return out, nil
	})
}
