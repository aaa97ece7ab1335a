package cfn

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::ECS::ExpressGatewayService: ECS Express Mode's service, made by
// CreateExpressGatewayService with everything it needs (the engine's
// ecs_express.go). Ref: the service ARN (the resource's primary
// identifier); Fn::GetAtt ServiceArn and Endpoint (the https URL).
// A change of Cluster, ServiceName or InfrastructureRoleArn replaces it;
// the others update it in place (updateExpressService).
func createExpressService(c *rctx) error {
	in, err := expressInput(c)
	if err != nil {
		return err
	}
	s, err := c.e().CreateExpressGatewayService(in)
	if err != nil {
		return c.p.at("PrimaryContainer", err)
	}
	c.setRef(s.ARN)
	c.set("ServiceArn", s.ARN)
	c.set("Endpoint", "https://"+s.Express.Endpoint)
	if c.s.l.serviceCreatesSettleLater {
		// The caller waits for the service to stabilize, as for an
		// AWS::ECS::Service (its HoldOn), and steps the engine itself.
		return nil
	}
	return c.converge()
}

// updateExpressService changes an express service in place with
// UpdateExpressGatewayService (the API's mutable members: roles but the
// infrastructure role, cpu, memory, health check path, container,
// network, scaling) and its tags with TagResource.
func updateExpressService(c *rctx, old obj, changed []string) error {
	if slices.Contains(changed, "Tags") {
		if err := retag(c, old, func(ch engine.TagChange) error { return c.e().TagECSResource(c.r.physical, ch) }); err != nil {
			return err
		}
		if len(changed) == 1 {
			return nil
		}
	}
	in, err := expressInput(c)
	if err != nil {
		return err
	}
	in.ServiceARN, in.Tags = c.r.physical, nil
	if _, err := c.e().UpdateExpressGatewayService(in); err != nil {
		return c.p.at("PrimaryContainer", err)
	}
	if c.s.l.serviceUpdatesSettleLater {
		// The caller waits for the update's deployment, as for an
		// AWS::ECS::Service, and steps the engine itself.
		return nil
	}
	return c.converge()
}

// expressInput reads an AWS::ECS::ExpressGatewayService's properties.
func expressInput(c *rctx) (engine.ExpressGatewayInput, error) {
	p := c.p
	in := engine.ExpressGatewayInput{}
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"Cluster", &in.Cluster}, {"Cpu", &in.CPU}, {"Memory", &in.Memory}, {"HealthCheckPath", &in.HealthCheckPath},
		{"TaskRoleArn", &in.TaskRoleARN}, {"ServiceName", &in.ServiceName}} {
		if *f.dst, err = p.str(f.key); err != nil {
			return in, err
		}
	}
	if in.ExecutionRoleARN, err = p.req("ExecutionRoleArn"); err != nil {
		return in, err
	}
	if in.InfrastructureRoleARN, err = p.req("InfrastructureRoleArn"); err != nil {
		return in, err
	}
	pc, err := p.object("PrimaryContainer")
	if err != nil {
		return in, err
	}
	if pc.n == nil {
		_, err := p.req("PrimaryContainer")
		return in, err
	}
	ct := &engine.ExpressContainerInput{}
	if ct.Image, err = pc.req("Image"); err != nil {
		return in, err
	}
	if ct.Port, err = pc.intPtr("ContainerPort"); err != nil {
		return in, err
	}
	if ct.Command, err = pc.strs("Command"); err != nil {
		return in, err
	}
	pairs := func(key, value string) ([]model.KeyValue, error) {
		os, err := pc.objects(key)
		var out []model.KeyValue
		for _, o := range os {
			n, err := o.str("Name")
			if err != nil {
				return nil, err
			}
			v, err := o.str(value)
			if err != nil {
				return nil, err
			}
			out = append(out, model.KeyValue{Name: n, Value: v})
		}
		return out, err
	}
	if ct.Environment, err = pairs("Environment", "Value"); err != nil {
		return in, err
	}
	if ct.Secrets, err = pairs("Secrets", "ValueFrom"); err != nil {
		return in, err
	}
	logs, err := pc.object("AwsLogsConfiguration")
	if err != nil {
		return in, err
	}
	if logs.n != nil {
		if ct.LogGroup, err = logs.str("LogGroup"); err != nil {
			return in, err
		}
		if ct.LogStreamPrefix, err = logs.str("LogStreamPrefix"); err != nil {
			return in, err
		}
	}
	creds, err := pc.object("RepositoryCredentials")
	if err != nil {
		return in, err
	}
	if creds.n != nil {
		if ct.RepositoryCredentialsParameter, err = creds.str("CredentialsParameter"); err != nil {
			return in, err
		}
	}
	in.Container = ct
	nc, err := p.object("NetworkConfiguration")
	if err != nil {
		return in, err
	}
	if nc.n != nil {
		subnets, err := nc.strs("Subnets")
		if err != nil {
			return in, err
		}
		groups, err := nc.strs("SecurityGroups")
		if err != nil {
			return in, err
		}
		for _, s := range subnets {
			in.Subnets = append(in.Subnets, model.SubnetID(s))
		}
		for _, g := range groups {
			in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
		}
	}
	st, err := p.object("ScalingTarget")
	if err != nil {
		return in, err
	}
	if st.n != nil {
		sc := &engine.ExpressScalingInput{}
		if sc.Metric, err = st.str("AutoScalingMetric"); err != nil {
			return in, err
		}
		if sc.Target, err = st.intPtr("AutoScalingTargetValue"); err != nil {
			return in, err
		}
		if sc.MinTasks, err = st.intPtr("MinTaskCount"); err != nil {
			return in, err
		}
		if sc.MaxTasks, err = st.intPtr("MaxTaskCount"); err != nil {
			return in, err
		}
		in.Scaling = sc
	}
	in.Tags, err = p.tagList()
	return in, err
}
