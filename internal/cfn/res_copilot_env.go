package cfn

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
)

// typeEnvController is Copilot's environment controller: the custom
// resource a workload's stack declares (EnvControllerAction) so that its
// environment's stack makes what the workload needs. Its function
// (aws/copilot-cli cf-custom-resources/lib/env-controller.js) adds the
// workload's name to each environment parameter named in Parameters
// (ALBWorkloads, InternalALBWorkloads, EFSWorkloads, NATWorkloads, …:
// those ending in "Workloads"), removes it from the others, sets its
// Aliases in the environment's Aliases parameter, updates the
// environment stack with its previous template when any of them changed,
// and answers the environment stack's outputs (HTTPListenerArn, …). On
// Delete the workload is removed from every parameter. ecsnet does that
// itself when the deploy can update another stack
// (DeployOptions.ControlEnv: the emulator), from the type's name
// [choice]; otherwise (the analyzer) the resource is a placeholder whose
// attributes are the named stack's outputs (customOutput).
const typeEnvController = TypeEnvController

// TypeEnvController is typeEnvController, for the emulator, which runs
// the controller's Delete itself (it updates another stack).
const TypeEnvController = "Custom::EnvControllerFunction"

// EnvControl is one request to Copilot's environment controller.
type EnvControl struct {
	// EnvStack is the environment stack's name; Workload the workload's.
	EnvStack, Workload string
	// Parameters are the environment parameters that must list the
	// workload (nil on Delete: none).
	Parameters []string
	// Aliases are the workload's aliases (the Aliases parameter, a JSON
	// object of workload to aliases).
	Aliases []string
}

// createEnvController runs the controller's Create: Ref is the physical id
// the function answers, "envcontoller/<EnvStack>/<Workload>" (sic), and
// each output of the environment stack is an attribute.
func createEnvController(c *rctx) error {
	req, err := controlEnv(c)
	if waitEnvController(c, req, err) {
		return nil
	}
	if err != nil {
		return err
	}
	c.keep("EnvStack", req.EnvStack)
	c.keep("Workload", req.Workload)
	c.setRef("envcontoller/" + req.EnvStack + "/" + req.Workload)
	return nil
}

// waitEnvController reports whether the controller's request, answered
// err, waits for the environment stack's update to end: the function's
// UpdateStack was refused while the update is in progress, and the deploy
// can wait (DeployOptions.AwaitSignals: the emulator's settle applies the
// request once it is no longer in progress, or fails the resource after
// EnvControllerDeadline). The resource keeps the request.
func waitEnvController(c *rctx, req EnvControl, err error) bool {
	var busy *EnvStackBusy
	if !errors.As(err, &busy) || !c.s.l.awaitSignals {
		return false
	}
	c.keep("EnvStack", req.EnvStack)
	c.keep("Workload", req.Workload)
	c.keep("Parameters", strings.Join(req.Parameters, ","))
	c.keep("Aliases", strings.Join(req.Aliases, ","))
	c.setRef("envcontoller/" + req.EnvStack + "/" + req.Workload)
	c.r.await = &SignalWait{Want: 1, Need: 1, EnvStack: req.EnvStack, Timeout: EnvControllerDeadline}
	return true
}

// updateEnvController runs the controller's Update (every property change
// of a custom resource is sent to its function): the environment is
// controlled again and the attributes are its outputs now. While the
// environment stack's update is in progress the function waits and tries
// again, as on Create (env-controller.js controlEnv runs for both); the
// resource is UPDATE_IN_PROGRESS meanwhile.
func updateEnvController(c *rctx, _ obj, _ []string) error {
	req, err := controlEnv(c)
	if waitEnvController(c, req, err) {
		return nil
	}
	if err == nil {
		c.keep("EnvStack", req.EnvStack)
		c.keep("Workload", req.Workload)
	}
	return err
}

// EnvStackBusy is the environment controller's answer while the
// environment stack's update is in progress (UpdateStack's "Stack … is
// in UPDATE_IN_PROGRESS state and can not be updated."): the function
// waits for the update (its stackUpdateComplete waiter) and tries again.
type EnvStackBusy struct{ Message string }

func (e *EnvStackBusy) Error() string { return e.Message }

// EnvControllerDeadline is how long the function tries before it gives up
// (env-controller.js deadlineExpired), EnvControllerTimedOut its words then.
const (
	EnvControllerDeadline = 14*time.Minute + 30*time.Second
	EnvControllerTimedOut = "Lambda took longer than 14.5 minutes to update environment"
)

// EnvControllerFailure is the controller resource's status reason when
// its function answers err.
func EnvControllerFailure(err error) string { return envControllerFailed(err).Error() }

// controlEnv sends the controller's request to the environment stack and
// sets the stack's outputs as the resource's attributes.
func controlEnv(c *rctx) (EnvControl, error) {
	req, err := envControlOf(c.p)
	if err != nil {
		return req, err
	}
	out, err := c.s.l.controlEnv(req)
	var busy *EnvStackBusy
	if errors.As(err, &busy) {
		if !c.s.l.awaitSignals {
			return req, envControllerFailed(err)
		}
		return req, err // the caller waits
	}
	if err != nil {
		return req, envControllerFailed(err)
	}
	for _, k := range slices.Sorted(maps.Keys(out)) {
		c.set(k, out[k])
	}
	return req, nil
}

// envControllerFailed is the custom resource's failure as CloudFormation
// reports the function's FAILED response [probable: the log's name left
// out].
func envControllerFailed(err error) error {
	return errors.New("Received response status [FAILED] from custom resource. Message returned: " + err.Error())
}

// envControlOf reads the controller's properties.
func envControlOf(p obj) (EnvControl, error) {
	var req EnvControl
	var err error
	if _, err = p.req("ServiceToken"); err != nil {
		return req, err
	}
	if req.EnvStack, err = p.req("EnvStack"); err != nil {
		return req, err
	}
	if req.Workload, err = p.req("Workload"); err != nil {
		return req, err
	}
	if req.Parameters, err = p.strs("Parameters"); err != nil {
		return req, err
	}
	if req.Aliases, err = p.strs("Aliases"); err != nil {
		return req, err
	}
	return req, nil
}
