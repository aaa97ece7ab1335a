package ecs

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// registerOps adds cluster updates, attributes, account setting deletion,
// task definition deletion and container instance state.
func registerOps(add func(string, api.Handler)) {
	add("UpdateCluster", updateCluster)
	add("UpdateClusterSettings", updateCluster)
	add("PutAttributes", func(c *api.Call) (map[string]any, error) { return putAttributes(c, false) })
	add("DeleteAttributes", func(c *api.Call) (map[string]any, error) { return putAttributes(c, true) })
	add("ListAttributes", listAttributes)
	add("DeleteAccountSetting", deleteAccountSetting)
	add("DeleteTaskDefinitions", deleteTaskDefinitions)
	add("UpdateContainerInstancesState", updateContainerInstancesState)
	registerTaskSets(add)
	registerAgent(add)
	registerDeployments(add)
	registerExpress(add)
	add("ListServicesByNamespace", listServicesByNamespace)
	add("DiscoverPollEndpoint", discoverPollEndpoint)
}

// discoverPollEndpoint answers the agent's first call: the regional
// endpoints of the agent communication (ACS), telemetry (TCS) and Service
// Connect services. Nothing is checked: the agent asks before it registers.
func discoverPollEndpoint(c *api.Call) (map[string]any, error) {
	return map[string]any{
		"endpoint":               "https://ecs-a-1." + c.Region + ".amazonaws.com/",
		"telemetryEndpoint":      "https://ecs-t-1." + c.Region + ".amazonaws.com/",
		"serviceConnectEndpoint": "https://ecs-sc-1." + c.Region + ".amazonaws.com/",
	}, nil
}

func updateCluster(c *api.Call) (map[string]any, error) {
	in := engine.UpdateClusterInput{Cluster: c.In.String("cluster")}
	for _, s := range c.In.Structs("settings") {
		if s.String("name") != "containerInsights" {
			return nil, invalid("settings name should be one of [containerInsights]")
		}
		v := s.String("value")
		in.ContainerInsights = &v
	}
	in.ExecuteCommand = clusterConfigIn(c.In).ExecuteCommand
	if d := c.In.Struct("serviceConnectDefaults"); d != nil {
		ns := d.String("namespace")
		in.ServiceConnectNamespace = &ns
	}
	cl, err := c.Engine.UpdateCluster(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"cluster": c.View(func(st *model.State) map[string]any {
		return clusterOut(st, cl, func(f string) bool { return f == "SETTINGS" || f == "CONFIGURATIONS" || f == "ATTACHMENTS" })
	})}, nil
}

// clusterConfigIn reads a cluster's configuration (executeCommandConfiguration).
func clusterConfigIn(in awsproto.Params) engine.UpdateClusterInput {
	var out engine.UpdateClusterInput
	if x := in.Struct("configuration").Struct("executeCommandConfiguration"); x != nil {
		ec := &model.ExecuteCommandConfiguration{KMSKeyID: x.String("kmsKeyId"), Logging: x.String("logging")}
		if l := x.Struct("logConfiguration"); l != nil {
			ec.CloudWatchLogGroupName, ec.CloudWatchEncryptionEnabled = l.String("cloudWatchLogGroupName"), l.Bool("cloudWatchEncryptionEnabled")
			ec.S3BucketName, ec.S3EncryptionEnabled, ec.S3KeyPrefix = l.String("s3BucketName"), l.Bool("s3EncryptionEnabled"), l.String("s3KeyPrefix")
		}
		out.ExecuteCommand = ec
	}
	return out
}

// clusterConfigOut adds a cluster's configuration and Service Connect
// defaults to out.
func clusterConfigOut(c *model.Cluster, out map[string]any) {
	if x := c.ExecuteCommand; x != nil {
		ec := map[string]any{"kmsKeyId": api.Str(x.KMSKeyID), "logging": api.Str(x.Logging)}
		if x.CloudWatchLogGroupName != "" || x.S3BucketName != "" || x.CloudWatchEncryptionEnabled || x.S3EncryptionEnabled {
			ec["logConfiguration"] = map[string]any{"cloudWatchLogGroupName": api.Str(x.CloudWatchLogGroupName),
				"cloudWatchEncryptionEnabled": x.CloudWatchEncryptionEnabled, "s3BucketName": api.Str(x.S3BucketName),
				"s3EncryptionEnabled": x.S3EncryptionEnabled, "s3KeyPrefix": api.Str(x.S3KeyPrefix)}
		}
		out["configuration"] = map[string]any{"executeCommandConfiguration": ec}
	}
	if c.ServiceConnectNamespace != "" {
		out["serviceConnectDefaults"] = map[string]any{"namespace": c.ServiceConnectNamespace}
	}
}

func attrsIn(in awsproto.Params) []engine.TargetedAttribute {
	var out []engine.TargetedAttribute
	for _, a := range in.Structs("attributes") {
		out = append(out, engine.TargetedAttribute{Name: a.String("name"), Value: a.String("value"), TargetType: a.String("targetType"), TargetID: a.String("targetId")})
	}
	return out
}

func attrOut(a engine.TargetedAttribute) map[string]any {
	return map[string]any{"name": a.Name, "value": api.Str(a.Value), "targetType": a.TargetType, "targetId": a.TargetID}
}

func putAttributes(c *api.Call, remove bool) (map[string]any, error) {
	out, err := c.Engine.PutAttributes(c.In.String("cluster"), attrsIn(c.In), remove)
	if err != nil {
		return nil, err
	}
	list := make([]any, len(out))
	for i, a := range out {
		list[i] = attrOut(a)
	}
	return map[string]any{"attributes": list}, nil
}

func listAttributes(c *api.Call) (map[string]any, error) {
	if c.In.String("targetType") != "container-instance" {
		return nil, invalid("targetType should be one of [container-instance]")
	}
	name, value := c.In.String("attributeName"), c.In.String("attributeValue")
	if value != "" && name == "" {
		return nil, invalid("attributeName must be specified when attributeValue is specified.") // probable
	}
	var rows []engine.TargetedAttribute
	var err error
	c.Engine.Read(func(st *model.State) {
		cl, e := activeCluster(c, st)
		if e != nil {
			err = e
			return
		}
		for _, ci := range st.ContainerInstances {
			if ci.ClusterARN != cl.ARN || ci.Status == "INACTIVE" {
				continue
			}
			for _, a := range ci.Attributes {
				if (name == "" || a.Name == name) && (value == "" || a.Value == value) {
					rows = append(rows, engine.TargetedAttribute{Name: a.Name, Value: a.Value, TargetType: "container-instance", TargetID: ci.ARN})
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	key := func(a engine.TargetedAttribute) string { return a.TargetID + "\x00" + a.Name }
	rows, next, err := page(c.In, rows, key, 100, 100)
	if err != nil {
		return nil, err
	}
	list := make([]any, len(rows))
	for i, a := range rows {
		list[i] = attrOut(a)
	}
	return map[string]any{"attributes": list, "nextToken": next}, nil
}

func deleteAccountSetting(c *api.Call) (map[string]any, error) {
	principal := settingPrincipal(c)
	s, err := c.Engine.DeleteAccountSetting(c.In.String("name"), principal)
	if err != nil {
		return nil, err
	}
	p := s.PrincipalARN
	if p == "" {
		p = rootARN(c)
	}
	return map[string]any{"setting": map[string]any{"name": s.Name, "value": s.Value, "principalArn": p, "type": "user"}}, nil
}

func deleteTaskDefinitions(c *api.Call) (map[string]any, error) {
	tds, failed, err := c.Engine.DeleteTaskDefinitions(c.In.Strings("taskDefinitions"))
	if err != nil {
		return nil, err
	}
	out := make([]any, len(tds))
	for i, td := range tds {
		out[i] = taskDefOut(c, td)
	}
	fs := make([]any, len(failed))
	for i, f := range failed {
		fs[i] = map[string]any{"arn": f.ARN, "reason": f.Reason}
	}
	return map[string]any{"taskDefinitions": out, "failures": fs}, nil
}

func updateContainerInstancesState(c *api.Call) (map[string]any, error) {
	cis, failed, err := c.Engine.UpdateContainerInstancesState(c.In.String("cluster"), c.In.Strings("containerInstances"), c.In.String("status"))
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(cis))
	c.Engine.Read(func(st *model.State) {
		for _, ci := range cis {
			if cur := st.ContainerInstances[ci.ARN]; cur != nil {
				ci = cur
			}
			out = append(out, containerInstanceOut(st, ci, false))
		}
	})
	fs := make([]any, len(failed))
	for i, f := range failed {
		fs[i] = map[string]any{"arn": f.ARN, "reason": f.Reason}
	}
	return map[string]any{"containerInstances": out, "failures": fs}, nil
}

// listServicesByNamespace lists the services, of any cluster, associated
// with a Cloud Map namespace (by name or ARN): those whose service
// registries are Cloud Map services of the namespace, and Service Connect
// services of clusters whose serviceConnectDefaults name it.
func listServicesByNamespace(c *api.Call) (map[string]any, error) {
	ref := c.In.String("namespace")
	var arns []string
	var err error
	c.Engine.Read(func(st *model.State) {
		var ns *model.Namespace
		for _, n := range st.Namespaces {
			if n.Name == ref || n.ARN == ref || n.ID == ref {
				ns = n
			}
		}
		if ns == nil {
			err = apierr.New("NamespaceNotFoundException", "Namespace not found.") // probable
			return
		}
		registries := map[string]bool{}
		for _, d := range st.DiscoveryServices {
			if d.NamespaceID == ns.ID {
				registries[d.ARN] = true
			}
		}
		for _, s := range st.Services {
			if s.Status == "INACTIVE" {
				continue
			}
			in := false
			for _, r := range s.ServiceRegistries {
				in = in || registries[r.RegistryARN]
			}
			if cfg := s.ServiceConnectConfig; s.ServiceConnect && cfg != nil && cfg.NamespaceID == ns.ID {
				in = true
			} else if cl := st.Clusters[s.ClusterARN]; s.ServiceConnect && cfg == nil && cl != nil &&
				(cl.ServiceConnectNamespace == ns.Name || cl.ServiceConnectNamespace == ns.ARN || cl.ServiceConnectNamespace == ns.ID) {
				in = true
			}
			if in {
				arns = append(arns, s.ARN)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return namesPage(c.In, "serviceArns", arns, 10, 100)
}
