package cfn

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	typeTaskSet        = "AWS::ECS::TaskSet"
	typePrimaryTaskSet = "AWS::ECS::PrimaryTaskSet"
)

// AWS::ECS::TaskSet: CreateTaskSet on a service of the EXTERNAL
// deployment controller. Ref is the resource's primary identifier,
// Cluster|Service|Id (its schema's primaryIdentifier, joined as
// CloudFormation joins a compound identifier); Fn::GetAtt Id is the task
// set's id.
func createTaskSet(c *rctx) error {
	p := c.p
	cluster, err := p.req("Cluster")
	if err != nil {
		return err
	}
	service, err := p.req("Service")
	if err != nil {
		return err
	}
	in := engine.CreateTaskSetInput{Cluster: cluster, Service: service}
	if in.TaskDefinition, err = p.req("TaskDefinition"); err != nil {
		return err
	}
	if in.ExternalID, err = p.str("ExternalId"); err != nil {
		return err
	}
	lt, err := p.str("LaunchType")
	if err != nil {
		return err
	}
	in.LaunchType = model.LaunchType(lt)
	if in.CapacityProviderStrategy, err = strategy(p, "CapacityProviderStrategy"); err != nil {
		return err
	}
	if in.PlatformVersion, err = p.str("PlatformVersion"); err != nil {
		return err
	}
	nc, awsvpc, network, err := networkConfiguration(p)
	if err != nil {
		return err
	}
	in.Network = network
	if in.LoadBalancers, err = serviceLoadBalancers(p); err != nil {
		return err
	}
	if in.Scale, err = taskSetScale(p); err != nil {
		return err
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	_, ts, err := c.e().CreateTaskSet(in)
	if err != nil {
		return serviceErrAt(p, nc, awsvpc, err)
	}
	if err := c.settleTaskSet(); err != nil {
		return err
	}
	c.setRef(cluster + "|" + service + "|" + ts.ID)
	c.keep("Cluster", cluster)
	c.keep("Service", service)
	c.keep("Id", ts.ID)
	c.set("Id", ts.ID)
	return nil
}

// AWS::ECS::PrimaryTaskSet: UpdateServicePrimaryTaskSet. Ref is
// Cluster|Service (the schema's primaryIdentifier). Deleting it changes
// nothing: the service keeps its primary task set until the task set or
// the service goes.
func createPrimaryTaskSet(c *rctx) error {
	cluster, service, err := setPrimaryTaskSet(c)
	if err != nil {
		return err
	}
	c.setRef(cluster + "|" + service)
	return nil
}

// setPrimaryTaskSet makes the task set TaskSetId names its service's
// primary one (UpdateServicePrimaryTaskSet), and waits for the service.
func setPrimaryTaskSet(c *rctx) (cluster, service string, err error) {
	p := c.p
	if cluster, err = p.req("Cluster"); err != nil {
		return "", "", err
	}
	if service, err = p.req("Service"); err != nil {
		return "", "", err
	}
	id, err := p.req("TaskSetId")
	if err != nil {
		return "", "", err
	}
	if _, _, err := c.e().UpdateServicePrimaryTaskSet(cluster, service, id); err != nil {
		return "", "", p.at("TaskSetId", err)
	}
	return cluster, service, c.settleTaskSet()
}

// settleTaskSet waits for what a task set's handler waits for. When the
// caller steps the engine and waits for ECS resources itself (the
// emulator: DeployOptions.ServiceCreatesSettleLater), nothing is run
// here: CloudFormation's AWS::ECS::TaskSet waits for its own task set to
// reach STEADY_STATE (its create handler's ecs:DescribeTaskSets), which
// the caller's HoldOn and its steps see to, and AWS::ECS::PrimaryTaskSet
// for the task set to be PRIMARY, which UpdateServicePrimaryTaskSet makes
// it at once; a service deploying beside them is left to its own wait.
// Otherwise the engine runs to its steady state (converge).
func (c *rctx) settleTaskSet() error {
	if c.s.l.serviceCreatesSettleLater {
		return nil
	}
	return c.converge()
}

// deleteTaskSet deletes a task set created by createTaskSet (with force:
// it may be the primary one, or scaled).
func deleteTaskSet(e *engine.Engine, r Resource) error {
	_, _, err := e.DeleteTaskSet(r.Keys["Cluster"], r.Keys["Service"], r.Keys["Id"], true)
	if err != nil && (strings.Contains(err.Error(), "TaskSetNotFound") || strings.Contains(err.Error(), "ServiceNotFound") ||
		strings.Contains(err.Error(), "ServiceNotActive")) {
		return nil // gone with its service
	}
	return err
}

// taskSetScale reads a task set's Scale.Value (percent); nil when absent.
func taskSetScale(p obj) (*float64, error) {
	scale, err := p.object("Scale")
	if err != nil || scale.n == nil {
		return nil, err
	}
	v := scale.get("Value")
	if v == nil {
		return nil, nil
	}
	f, perr := strconv.ParseFloat(v.str, 64)
	if v.kind != scalarNode || perr != nil {
		return nil, scale.invalid("Value", "expected type: Number, found: %s", typeName(v))
	}
	return &f, nil
}

// updateTaskSet changes a task set's Scale in place (UpdateTaskSet), as
// CloudFormation does ("Update requires: No interruption"); Tags change
// with nothing to do for the network.
func updateTaskSet(c *rctx, _ obj, changed []string) error {
	if !slices.Contains(changed, "Scale") {
		return nil
	}
	scale, err := taskSetScale(c.p)
	if err != nil {
		return err
	}
	v := 0.0
	if scale != nil {
		v = *scale
	}
	if _, _, err := c.e().UpdateTaskSet(c.r.keys["Cluster"], c.r.keys["Service"], c.r.keys["Id"], v); err != nil {
		return c.p.at("Scale", err)
	}
	if c.s.l.serviceUpdatesSettleLater {
		return nil // the caller waits for the task set's STEADY_STATE, step by step
	}
	return c.converge()
}

// updatePrimaryTaskSet makes another task set primary in place.
func updatePrimaryTaskSet(c *rctx, _ obj, _ []string) error {
	_, _, err := setPrimaryTaskSet(c)
	return err
}
