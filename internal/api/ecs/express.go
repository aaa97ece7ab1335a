package ecs

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerExpress adds ECS Express Mode's operations
// (engine/ecs_express.go).
func registerExpress(add func(string, api.Handler)) {
	add("CreateExpressGatewayService", func(c *api.Call) (map[string]any, error) {
		in := expressIn(c.In)
		in.Cluster, in.ServiceName, in.InfrastructureRoleARN = c.In.String("cluster"), c.In.String("serviceName"), c.In.String("infrastructureRoleArn")
		in.Tags = tagsIn(c.In)
		s, err := c.Engine.CreateExpressGatewayService(in)
		if err != nil {
			return nil, err
		}
		return map[string]any{"service": expressOut(s)}, nil
	})
	add("DescribeExpressGatewayService", func(c *api.Call) (map[string]any, error) {
		s, err := c.Engine.ExpressGatewayService(c.In.String("serviceArn"))
		if err != nil {
			return nil, err
		}
		out := expressOut(s)
		for _, inc := range c.In.Strings("include") {
			if inc == "TAGS" {
				out["tags"] = tagsOut(s.Tags)
			}
		}
		return map[string]any{"service": out}, nil
	})
	add("UpdateExpressGatewayService", func(c *api.Call) (map[string]any, error) {
		in := expressIn(c.In)
		in.ServiceARN = c.In.String("serviceArn")
		s, err := c.Engine.UpdateExpressGatewayService(in)
		if err != nil {
			return nil, err
		}
		x := s.Express
		return map[string]any{"service": map[string]any{
			"serviceArn": s.ARN, "cluster": s.ClusterARN, "serviceName": s.Name, "status": expressStatus(s),
			"targetConfiguration": expressConfigOut(s, x), "createdAt": api.Time(s.CreatedAt), "updatedAt": api.Time(x.UpdatedAt),
		}}, nil
	})
	add("DeleteExpressGatewayService", func(c *api.Call) (map[string]any, error) {
		s, err := c.Engine.DeleteExpressGatewayService(c.In.String("serviceArn"))
		if err != nil {
			return nil, err
		}
		return map[string]any{"service": expressOut(s)}, nil
	})
}

func expressIn(p awsproto.Params) engine.ExpressGatewayInput {
	in := engine.ExpressGatewayInput{
		ExecutionRoleARN: p.String("executionRoleArn"), TaskRoleARN: p.String("taskRoleArn"), HealthCheckPath: p.String("healthCheckPath"),
		CPU: p.String("cpu"), Memory: p.String("memory"),
	}
	if p.Has("primaryContainer") {
		pc := p.Struct("primaryContainer")
		c := &engine.ExpressContainerInput{Image: pc.String("image"), Port: pc.OptInt("containerPort"), Command: pc.Strings("command"),
			RepositoryCredentialsParameter: pc.Struct("repositoryCredentials").String("credentialsParameter")}
		for _, e := range pc.Structs("environment") {
			c.Environment = append(c.Environment, model.KeyValue{Name: e.String("name"), Value: e.String("value")})
		}
		for _, e := range pc.Structs("secrets") {
			c.Secrets = append(c.Secrets, model.KeyValue{Name: e.String("name"), Value: e.String("valueFrom")})
		}
		if l := pc.Struct("awsLogsConfiguration"); l != nil {
			c.LogGroup, c.LogStreamPrefix = l.String("logGroup"), l.String("logStreamPrefix")
		}
		in.Container = c
	}
	if n := p.Struct("networkConfiguration"); n != nil {
		for _, s := range n.Strings("subnets") {
			in.Subnets = append(in.Subnets, model.SubnetID(s))
		}
		for _, g := range n.Strings("securityGroups") {
			in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
		}
	}
	if p.Has("scalingTarget") {
		st := p.Struct("scalingTarget")
		in.Scaling = &engine.ExpressScalingInput{Metric: st.String("autoScalingMetric"), Target: st.OptInt("autoScalingTargetValue"),
			MinTasks: st.OptInt("minTaskCount"), MaxTasks: st.OptInt("maxTaskCount")}
	}
	return in
}

func expressStatus(s *model.Service) map[string]any {
	return map[string]any{"statusCode": s.Status}
}

// expressOut is an ECSExpressGatewayService.
func expressOut(s *model.Service) map[string]any {
	x := s.Express
	return map[string]any{
		"cluster": model.LastSegment(s.ClusterARN), "serviceName": s.Name, "serviceArn": s.ARN, "infrastructureRoleArn": x.InfrastructureRoleARN,
		"status": expressStatus(s), "currentDeployment": api.Str(expressDeployment(s)),
		"activeConfigurations": []map[string]any{expressConfigOut(s, x)},
		"createdAt":            api.Time(s.CreatedAt), "updatedAt": api.Time(x.UpdatedAt),
	}
}

// expressDeployment is the ARN of the service deployment that made the
// current revision (DescribeServiceDeployments finds it).
func expressDeployment(s *model.Service) string {
	if len(s.Deployments) == 0 {
		return ""
	}
	cl := &model.Cluster{ARN: s.ClusterARN, Name: model.LastSegment(s.ClusterARN)}
	return deploymentRef{svc: s, cluster: cl}.deploymentARN()
}

// expressConfigOut is an ExpressGatewayServiceConfiguration.
func expressConfigOut(s *model.Service, x *model.ExpressGateway) map[string]any {
	pc := map[string]any{"image": x.Image, "containerPort": x.ContainerPort}
	if len(x.Command) > 0 {
		pc["command"] = x.Command
	}
	if len(x.Environment) > 0 {
		env := make([]map[string]any, len(x.Environment))
		for i, kv := range x.Environment {
			env[i] = map[string]any{"name": kv.Name, "value": kv.Value}
		}
		pc["environment"] = env
	}
	if len(x.Secrets) > 0 {
		sec := make([]map[string]any, len(x.Secrets))
		for i, kv := range x.Secrets {
			sec[i] = map[string]any{"name": kv.Name, "valueFrom": kv.Value}
		}
		pc["secrets"] = sec
	}
	if x.LogGroup != "" {
		pc["awsLogsConfiguration"] = map[string]any{"logGroup": x.LogGroup, "logStreamPrefix": x.LogStreamPrefix}
	}
	if x.RepositoryCredentialsParameter != "" {
		pc["repositoryCredentials"] = map[string]any{"credentialsParameter": x.RepositoryCredentialsParameter}
	}
	return map[string]any{
		"serviceRevisionArn": api.Str(x.RevisionARN), "executionRoleArn": x.ExecutionRoleARN, "taskRoleArn": api.Str(x.TaskRoleARN),
		"cpu": x.CPU, "memory": x.Memory, "healthCheckPath": x.HealthCheckPath, "primaryContainer": pc,
		"networkConfiguration": map[string]any{"subnets": api.Strs(x.Subnets), "securityGroups": api.Strs(x.SecurityGroups)},
		"scalingTarget": map[string]any{"minTaskCount": x.MinTasks, "maxTaskCount": x.MaxTasks, "autoScalingMetric": x.ScalingMetric,
			"autoScalingTargetValue": x.ScalingTarget},
		"ingressPaths": []map[string]any{{"accessType": x.AccessType, "endpoint": "https://" + x.Endpoint}},
		"createdAt":    api.Time(x.UpdatedAt),
	}
}

// expressManagedOut is an express service revision's ecsManagedResources:
// the resources Express Mode made for it, each ACTIVE while it exists
// (DELETED once it is gone), as the state holds them.
func expressManagedOut(st *model.State, s *model.Service) map[string]any {
	x := s.Express
	partition, region, account := arnParts(s.ARN)
	status := func(ok bool) string {
		if ok {
			return "ACTIVE"
		}
		return "DELETED"
	}
	sgARN := func(id model.SecurityGroupID) string {
		return model.EC2ARN(region, account, "security-group/"+string(id))
	}
	res := func(arn string, ok bool, at any) map[string]any {
		return map[string]any{"arn": arn, "status": status(ok), "updatedAt": at}
	}
	at := api.Time(x.UpdatedAt)
	lb := res(x.LoadBalancerARN, st.LoadBalancers[x.LoadBalancerARN] != nil, at)
	if l := st.LoadBalancers[x.LoadBalancerARN]; l != nil {
		lb["scheme"], lb["securityGroupIds"] = l.Scheme, api.Strs(l.SecurityGroups)
		var subnets []string
		for _, n := range l.Nodes {
			subnets = append(subnets, string(n.SubnetID))
		}
		lb["subnetIds"] = subnets
	} else {
		lb["scheme"] = "internet-facing"
		if x.AccessType == "PRIVATE" {
			lb["scheme"] = "internal"
		}
	}
	tg := res(x.TargetGroupARN, st.TargetGroups[x.TargetGroupARN] != nil, at)
	tg["healthCheckPath"], tg["healthCheckPort"], tg["port"] = x.HealthCheckPath, x.ContainerPort, x.ContainerPort
	cert := res(x.CertificateARN, st.Certificates[x.CertificateARN] != nil, at)
	cert["domainName"] = x.Endpoint
	ingress := map[string]any{
		"accessType": x.AccessType, "endpoint": "https://" + x.Endpoint, "loadBalancer": lb,
		"loadBalancerSecurityGroups": []any{res(sgARN(x.LoadBalancerGroup), st.SecurityGroups[x.LoadBalancerGroup] != nil, at)},
		"certificate":                cert, "listener": res(x.ListenerARN, st.Listeners[x.ListenerARN] != nil, at),
		"rule": res(x.RuleARN, st.ListenerRules[x.RuleARN] != nil, at), "targetGroups": []any{tg},
	}
	key := model.ScalableTargetKey("ecs", "service/"+model.LastSegment(s.ClusterARN)+"/"+s.Name, "ecs:service:DesiredCount")
	target := map[string]any{"status": "DELETED", "updatedAt": at, "minCapacity": x.MinTasks, "maxCapacity": x.MaxTasks}
	if t := st.ScalableTargets[key]; t != nil {
		target["arn"], target["status"] = t.ARN, "ACTIVE"
	}
	policy := map[string]any{"status": "DELETED", "updatedAt": at, "policyType": "TargetTrackingScaling", "targetValue": float64(x.ScalingTarget),
		"metric": x.ScalingMetric}
	if p := st.AppScalingPolicies[model.AppScalingPolicyKey(key, x.ScalingPolicyName)]; p != nil {
		policy["arn"], policy["status"] = p.ARN, "ACTIVE"
	}
	var groups []any
	for _, g := range x.SecurityGroups {
		groups = append(groups, res(sgARN(g), st.SecurityGroups[g] != nil, at))
	}
	logs := res("arn:"+partition+":logs:"+region+":"+account+":log-group:"+x.LogGroup, st.LogGroups[x.LogGroup] != nil, at)
	logs["logGroupName"] = x.LogGroup
	return map[string]any{
		"ingressPaths": []any{ingress}, "autoScaling": map[string]any{"scalableTarget": target, "applicationAutoScalingPolicies": []any{policy}},
		"serviceSecurityGroups": groups, "logGroups": []any{logs},
	}
}

// arnParts returns an ARN's partition, region and account.
func arnParts(arn string) (string, string, string) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 {
		return "aws", "", ""
	}
	return p[1], p[3], p[4]
}
