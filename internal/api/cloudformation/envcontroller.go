package cloudformation

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// envController is Copilot's environment controller run against this
// region's stacks (cfn.DeployOptions.ControlEnv), as its function
// (aws/copilot-cli cf-custom-resources/lib/env-controller.js, controlEnv)
// does it through CloudFormation's API: the environment stack's
// parameters ending in "Workloads" list the workload exactly when named
// in req.Parameters, its Aliases parameter holds the workload's aliases;
// when any changed, the stack is updated with its previous template and
// those parameters, and the answer is its outputs after the update.
func envController(c *api.Call) func(cfn.EnvControl) (map[string]string, error) {
	return func(req cfn.EnvControl) (map[string]string, error) {
		s, err := findStack(c, req.EnvStack)
		if err != nil {
			// what DescribeStacks answers the function
			return nil, errors.New("Stack with id " + req.EnvStack + " does not exist")
		}
		params, changed := controlledParameters(s.Parameters, req)
		if !changed {
			return outputMap(s.Outputs), nil
		}
		if err := updatable(s); err != nil {
			var ae *apierr.Error
			if errors.As(err, &ae) {
				if s.Status == statusUpdateInProgress {
					// The function waits for the other update to end
					// and tries again (env-controller.js controlEnv).
					return nil, &cfn.EnvStackBusy{Message: ae.Message}
				}
				return nil, errors.New(ae.Message)
			}
			return nil, err
		}
		p, err := parseBody(s.TemplateBody, s.Name)
		if err != nil {
			return nil, err
		}
		in := runInput{p: p, params: params, values: map[string]string{}, onFailure: "ROLLBACK"}
		for _, sp := range params {
			in.values[sp.Key] = sp.Value
		}
		done, err := update(c, s, in)
		if err != nil {
			return nil, err
		}
		switch {
		case done == nil:
			return nil, errors.New("Resource is not in the state stackUpdateComplete")
		case done.Status == statusUpdateComplete:
			return outputMap(done.Outputs), nil
		case done.Status == statusUpdateInProgress && done.Update != nil:
			// waiting on what the update started: its outputs as they
			// will be [choice]
			return outputMap(done.Update.Outputs), nil
		}
		// the SDK's waiter on an update that failed
		return nil, errors.New("Resource is not in the state stackUpdateComplete")
	}
}

// controlledParameters returns an environment stack's parameters with the
// workload added to those ending in "Workloads" that req names and
// removed from the others, and its aliases set in Aliases (the
// function's controlEnv), and whether any changed.
func controlledParameters(params []model.StackParameter, req cfn.EnvControl) ([]model.StackParameter, bool) {
	out := slices.Clone(params)
	changed := false
	for i, p := range out {
		if p.Key == "Aliases" {
			if v, ok := controlledAliases(p.Value, req.Workload, req.Aliases); ok {
				out[i].Value, changed = v, true
			}
			continue
		}
		if !strings.HasSuffix(p.Key, "Workloads") {
			continue
		}
		var names []string
		for n := range strings.SplitSeq(p.Value, ",") {
			if n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		has, want := slices.Contains(names, req.Workload), slices.Contains(req.Parameters, p.Key)
		switch {
		case want && !has:
			names = append(names, req.Workload)
		case !want && has:
			names = slices.DeleteFunc(names, func(n string) bool { return n == req.Workload })
		default:
			continue
		}
		out[i].Value, changed = strings.Join(names, ","), true
	}
	return out, changed
}

// controlledAliases returns the Aliases parameter (a JSON object of
// workload to its aliases, "" for none) with the workload's aliases set,
// and whether they differ from its value.
func controlledAliases(value, workload string, aliases []string) (string, bool) {
	obj := map[string][]string{}
	if value != "" && json.Unmarshal([]byte(value), &obj) != nil {
		return value, false
	}
	if slices.Equal(obj[workload], aliases) || len(obj[workload]) == 0 && len(aliases) == 0 {
		return value, false
	}
	if len(aliases) == 0 {
		delete(obj, workload)
	} else {
		obj[workload] = aliases
	}
	if len(obj) == 0 {
		return "", true
	}
	b, _ := json.Marshal(obj)
	return string(b), true
}

// outputMap is a stack's outputs by key.
func outputMap(outs []model.StackOutput) map[string]string {
	m := map[string]string{}
	for _, o := range outs {
		m[o.Key] = o.Value
	}
	return m
}

// releaseEnv is the environment controller's Delete: the workload removed
// from every parameter of its environment stack (an environment stack
// already gone is no failure [choice]).
func releaseEnv(c *api.Call, r model.StackResource) error {
	env, workload := r.Keys["EnvStack"], r.Keys["Workload"]
	if env == "" || workload == "" {
		return nil
	}
	var live bool
	c.Engine.Read(func(st *model.State) { live = engine.LiveStack(st, env) != nil })
	if !live {
		return nil
	}
	_, err := envController(c)(cfn.EnvControl{EnvStack: env, Workload: workload})
	return err
}

// controlWaitingEnvs applies the requests of the environment controllers
// stack s holds whose environment stack is no longer updating, as the
// function does when its stackUpdateComplete waiter returns: the
// resource's attributes are the environment's outputs then, or its
// failure the function's; it returns the stack as recorded after.
func controlWaitingEnvs(c *api.Call, s *model.Stack) (*model.Stack, error) {
	for _, id := range s.Waiting {
		r := stackResource(s, id)
		w := r.Await
		if w == nil || w.EnvStack == "" || w.Need == 0 {
			continue
		}
		req := cfn.EnvControl{EnvStack: r.Keys["EnvStack"], Workload: r.Keys["Workload"],
			Parameters: splitNonEmpty(r.Keys["Parameters"]), Aliases: splitNonEmpty(r.Keys["Aliases"])}
		out, err := envController(c)(req)
		var busy *cfn.EnvStackBusy
		if errors.As(err, &busy) {
			continue // still updating: the waiter waits on
		}
		applied := *w
		applied.Need = 0
		attrs := r.Attrs
		if err != nil {
			applied.Failure = cfn.EnvControllerFailure(err)
		} else {
			b, _ := json.Marshal(out)
			attrs = string(b)
		}
		s, err = newRecorder(c, s).commit(func(st *model.Stack) {
			for i := range st.Resources {
				if st.Resources[i].LogicalID == id {
					st.Resources[i].Await, st.Resources[i].Attrs = &applied, attrs
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// splitNonEmpty is a comma-separated list without its empty items.
func splitNonEmpty(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item != "" {
			out = append(out, item)
		}
	}
	return out
}
