package terraform

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// createExpressGatewayService: aws_ecs_express_gateway_service, ECS
// Express Mode's service, made by CreateExpressGatewayService with the
// load balancer, rule, target group and scaling it needs (the engine's
// ecs_express.go). Exports service_arn, service_revision_arn,
// current_deployment and ingress_paths (access_type, endpoint), as the
// provider's documentation lists them.
func createExpressGatewayService(c *rctx) error {
	exec, err := c.req("execution_role_arn")
	if err != nil {
		return err
	}
	infra, err := c.req("infrastructure_role_arn")
	if err != nil {
		return err
	}
	in := engine.ExpressGatewayInput{ExecutionRoleARN: exec, InfrastructureRoleARN: infra, Cluster: c.o.str("cluster"),
		ServiceName: c.o.str("service_name"), CPU: c.o.str("cpu"), Memory: c.o.str("memory"), HealthCheckPath: c.o.str("health_check_path"),
		TaskRoleARN: c.o.str("task_role_arn"), Tags: c.plainTags()}
	if !c.o.has("primary_container") {
		return c.errf("primary_container", "Insufficient primary_container blocks: At least 1 \"primary_container\" blocks are required.")
	}
	pc := c.o.block("primary_container")
	ct := &engine.ExpressContainerInput{Image: pc.str("image"), Command: pc.strs("command")}
	if pc.has("container_port") {
		p, err := pc.integer("container_port", 0)
		if err != nil {
			return err
		}
		ct.Port = &p
	}
	for _, e := range pc.blocks("environment") {
		ct.Environment = append(ct.Environment, model.KeyValue{Name: e.str("name"), Value: e.str("value")})
	}
	for _, e := range pc.blocks("secret") {
		ct.Secrets = append(ct.Secrets, model.KeyValue{Name: e.str("name"), Value: e.str("value_from")})
	}
	if l := pc.block("aws_logs_configuration"); l.v != cty.NilVal {
		ct.LogGroup, ct.LogStreamPrefix = l.str("log_group"), l.str("log_stream_prefix")
	}
	if rc := pc.block("repository_credentials"); rc.v != cty.NilVal {
		ct.RepositoryCredentialsParameter = rc.str("credentials_parameter")
	}
	in.Container = ct
	if nc := c.o.block("network_configuration"); nc.v != cty.NilVal {
		for _, s := range nc.strs("subnets") {
			in.Subnets = append(in.Subnets, model.SubnetID(s))
		}
		for _, g := range nc.strs("security_groups") {
			in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
		}
	}
	if st := c.o.block("scaling_target"); st.v != cty.NilVal {
		sc := &engine.ExpressScalingInput{Metric: st.str("auto_scaling_metric")}
		for _, f := range []struct {
			k  string
			to **int
		}{{"auto_scaling_target_value", &sc.Target}, {"min_task_count", &sc.MinTasks}, {"max_task_count", &sc.MaxTasks}} {
			if !st.has(f.k) {
				continue
			}
			n, err := st.integer(f.k, 0)
			if err != nil {
				return err
			}
			*f.to = &n
		}
		in.Scaling = sc
	}
	// wait_for_steady_state: ecsnet settles every service before it
	// answers, so the wait is always made.
	_ = c.o.flag("wait_for_steady_state")
	s, err := c.e().CreateExpressGatewayService(in)
	if err != nil {
		return c.fail("infrastructure_role_arn", err)
	}
	x := s.Express
	c.created(s.ARN, s.Name)
	c.set("service_arn", s.ARN)
	c.set("id", s.ARN)
	c.set("service_name", s.Name)
	c.set("service_revision_arn", x.RevisionARN)
	c.set("current_deployment", x.RevisionARN)
	c.out["ingress_paths"] = cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
		"access_type": cty.StringVal(x.AccessType), "endpoint": cty.StringVal("https://" + x.Endpoint)})})
	return nil
}
