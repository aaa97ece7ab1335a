package ecs

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Container definition members ecsnet models; every other member is kept
// as given (ContainerDefinition.Raw) and returned unchanged.
var modelledContainer = map[string]bool{
	"name": true, "image": true, "cpu": true, "memory": true, "memoryReservation": true, "essential": true,
	"portMappings": true, "environment": true, "command": true, "entryPoint": true, "dockerLabels": true, "links": true,
}

// Task definition members ecsnet models (the rest is TaskDefinition.Raw).
var modelledTaskDef = map[string]bool{
	"family": true, "networkMode": true, "containerDefinitions": true, "requiresCompatibilities": true, "cpu": true,
	"memory": true, "taskRoleArn": true, "executionRoleArn": true, "pidMode": true, "ipcMode": true, "tags": true,
	"placementConstraints": true, "runtimePlatform": true,
}

// protocolIn is a port mapping's protocol of container's definition:
// TransportProtocol's values, tcp or udp, read without regard to case
// ("TCP" is tcp) [choice: docs/aws-behavior.md, round twenty-eight].
func protocolIn(s, container string) (model.Protocol, error) {
	switch strings.ToLower(s) {
	case "", "tcp":
		return model.TCP, nil
	case "udp":
		return model.UDP, nil
	}
	return 0, engine.ErrPortMappingProtocol(container)
}

func containerIn(p awsproto.Params) (model.ContainerDefinition, error) {
	c := model.ContainerDefinition{
		Name: p.String("name"), Image: p.String("image"), CPU: int(p.Int("cpu")), Memory: int(p.Int("memory")),
		MemoryReservation: int(p.Int("memoryReservation")), Essential: !p.Has("essential") || p.Bool("essential"),
		Command: p.Strings("command"), EntryPoint: p.Strings("entryPoint"), Links: p.Strings("links"), DockerLabels: p.StringMap("dockerLabels"),
	}
	for _, pm := range p.Structs("portMappings") {
		proto, err := protocolIn(pm.String("protocol"), c.Name)
		if err != nil {
			return c, err
		}
		var rng model.PortRange
		if pm.Has("containerPortRange") {
			if rng, err = model.ParsePortRange(pm.String("containerPortRange")); err != nil {
				return c, apierr.Newf("ClientException", "Invalid 'containerPortRange' setting for container '%s'. "+
					"Specify a range of ports between 1 and 65535 as first-last, the first port less than the last.", c.Name)
			}
		}
		cp, hp := pm.Int("containerPort"), pm.Int("hostPort")
		if cp < 0 || cp > 65535 || hp < 0 || hp > 65535 {
			return c, apierr.Newf("ClientException", "Invalid port mapping for container '%s': ports must be between 0 and 65535.", c.Name)
		}
		c.PortMappings = append(c.PortMappings, model.PortMapping{ContainerPort: uint16(cp), HostPort: uint16(hp), Protocol: proto,
			Name: pm.String("name"), AppProtocol: pm.String("appProtocol"), ContainerPortRange: rng})
	}
	for _, e := range p.Structs("environment") {
		c.Environment = append(c.Environment, model.KeyValue{Name: e.String("name"), Value: e.String("value")})
	}
	for k, v := range p {
		if !modelledContainer[k] {
			if c.Raw == nil {
				c.Raw = map[string]any{}
			}
			c.Raw[k] = v
		}
	}
	return c, nil
}

func registerTaskDefinition(c *api.Call) (map[string]any, error) {
	var containers []model.ContainerDefinition
	for _, p := range c.In.Structs("containerDefinitions") {
		cd, err := containerIn(p)
		if err != nil {
			return nil, err
		}
		containers = append(containers, cd)
	}
	raw := map[string]any{}
	for k, v := range c.In {
		if !modelledTaskDef[k] {
			raw[k] = v
		}
	}
	if len(raw) == 0 {
		raw = nil
	}
	td, err := c.Engine.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{
		Family: c.In.String("family"), NetworkMode: c.In.String("networkMode"), Containers: containers,
		RequiresCompatibilities: c.In.Strings("requiresCompatibilities"), CPU: c.In.String("cpu"), Memory: c.In.String("memory"),
		TaskRoleARN: c.In.String("taskRoleArn"), ExecutionRoleARN: c.In.String("executionRoleArn"),
		PIDMode: c.In.String("pidMode"), IPCMode: c.In.String("ipcMode"), Raw: raw, Tags: tagsIn(c.In),
		PlacementConstraints: constraintsIn(c.In), RuntimePlatform: runtimePlatformIn(c.In),
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"taskDefinition": taskDefOut(c, td)}
	if len(td.Tags) > 0 {
		out["tags"] = tagsOut(td.Tags)
	}
	return out, nil
}

// runtimePlatformIn reads a request's runtimePlatform (nil when absent).
func runtimePlatformIn(in awsproto.Params) *model.RuntimePlatform {
	if !in.Has("runtimePlatform") {
		return nil
	}
	p := in.Struct("runtimePlatform")
	return &model.RuntimePlatform{CPUArchitecture: p.String("cpuArchitecture"), OperatingSystemFamily: p.String("operatingSystemFamily")}
}

func containerDefOut(svc *awsproto.Service, cd model.ContainerDefinition) map[string]any {
	out, _ := api.Coerce(svc.Shape("ContainerDefinition"), map[string]any(cd.Raw)).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	out["name"], out["image"], out["cpu"], out["essential"] = cd.Name, cd.Image, cd.CPU, cd.Essential
	if cd.Memory > 0 {
		out["memory"] = cd.Memory
	}
	if cd.MemoryReservation > 0 {
		out["memoryReservation"] = cd.MemoryReservation
	}
	pms := make([]any, len(cd.PortMappings))
	for i, pm := range cd.PortMappings {
		x := map[string]any{"protocol": pm.Protocol.String()}
		if pm.IsRange() {
			x["containerPortRange"] = pm.ContainerPortRange.String()
		} else {
			x["containerPort"] = int(pm.ContainerPort)
		}
		if pm.HostPort != 0 {
			x["hostPort"] = int(pm.HostPort)
		}
		if pm.Name != "" {
			x["name"] = pm.Name
		}
		if pm.AppProtocol != "" {
			x["appProtocol"] = pm.AppProtocol
		}
		pms[i] = x
	}
	out["portMappings"] = pms
	env := make([]any, len(cd.Environment))
	for i, e := range cd.Environment {
		env[i] = map[string]any{"name": e.Name, "value": e.Value}
	}
	out["environment"] = env
	if len(cd.Command) > 0 {
		out["command"] = cd.Command
	}
	if len(cd.EntryPoint) > 0 {
		out["entryPoint"] = cd.EntryPoint
	}
	if len(cd.Links) > 0 {
		out["links"] = cd.Links
	}
	if len(cd.DockerLabels) > 0 {
		out["dockerLabels"] = cd.DockerLabels
	}
	for _, k := range []string{"mountPoints", "volumesFrom", "systemControls"} {
		if _, ok := out[k]; !ok {
			out[k] = []any{}
		}
	}
	return out
}

func taskDefOut(c *api.Call, td *model.TaskDefinition) map[string]any {
	svc := c.Op.Service
	out, _ := api.Coerce(svc.Shape("TaskDefinition"), map[string]any(td.Raw)).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	cds := make([]any, len(td.Containers))
	for i, cd := range td.Containers {
		cds[i] = containerDefOut(svc, cd)
	}
	// A snapshot's definitions keep what AWS listed; registered ones get
	// what ECS derives at registration.
	attrs := make([]any, len(td.RequiresAttributes))
	for i, a := range td.RequiresAttributes {
		x := map[string]any{"name": a.Name}
		if a.Value != "" {
			x["value"] = a.Value
		}
		attrs[i] = x
	}
	if len(attrs) == 0 {
		for _, a := range model.DerivedRequiresAttributes(td) {
			attrs = append(attrs, map[string]any{"name": a})
		}
	}
	launch := func(ls []model.LaunchType) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = string(l)
		}
		return out
	}
	for k, v := range map[string]any{
		"taskDefinitionArn": td.ARN, "containerDefinitions": cds, "family": td.Family, "networkMode": string(td.NetworkMode),
		"revision": td.Revision, "status": td.Status, "requiresAttributes": attrs, "compatibilities": launch(td.Compatibilities),
		"registeredAt": api.Time(td.RegisteredAt), "registeredBy": api.Str(td.RegisteredBy), "deregisteredAt": api.Time(td.DeregisteredAt),
		"taskRoleArn": api.Str(td.TaskRoleARN), "executionRoleArn": api.Str(td.ExecutionRoleARN), "cpu": api.Str(td.CPU),
		"memory": api.Str(td.Memory), "pidMode": api.Str(td.PIDMode), "ipcMode": api.Str(td.IPCMode),
	} {
		out[k] = v
	}
	if len(td.RequiresCompatibilities) > 0 {
		out["requiresCompatibilities"] = launch(td.RequiresCompatibilities)
	}
	out["placementConstraints"] = constraintsOut(td.PlacementConstraints)
	if rp := td.RuntimePlatform; rp != nil {
		x := map[string]any{}
		if rp.CPUArchitecture != "" {
			x["cpuArchitecture"] = rp.CPUArchitecture
		}
		if rp.OperatingSystemFamily != "" {
			x["operatingSystemFamily"] = rp.OperatingSystemFamily
		}
		out["runtimePlatform"] = x
	}
	for _, k := range []string{"volumes"} {
		if _, ok := out[k]; !ok {
			out[k] = []any{}
		}
	}
	// An EFS volume without rootDirectory mounts the file system's root:
	// ECS reports it as "/".
	if vols, ok := out["volumes"].([]any); ok {
		for _, v := range vols {
			if efs, ok := v.(map[string]any)["efsVolumeConfiguration"].(map[string]any); ok {
				if _, set := efs["rootDirectory"]; !set {
					efs["rootDirectory"] = "/"
				}
			}
		}
	}
	return out
}

func describeTaskDefinition(c *api.Call) (map[string]any, error) {
	td, err := c.Engine.TaskDefinition(c.In.String("taskDefinition"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{"taskDefinition": taskDefOut(c, td)}
	if includes(c.In, "TAGS") {
		out["tags"] = tagsOut(td.Tags)
	}
	return out, nil
}

func deregisterTaskDefinition(c *api.Call) (map[string]any, error) {
	td, err := c.Engine.DeregisterTaskDefinition(c.In.String("taskDefinition"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"taskDefinition": taskDefOut(c, td)}, nil
}

func tdKey(td *model.TaskDefinition) string { return fmt.Sprintf("%s:%010d", td.Family, td.Revision) }

func listTaskDefinitions(c *api.Call) (map[string]any, error) {
	status := c.In.String("status")
	if status == "" {
		status = "ACTIVE"
	}
	prefix := c.In.String("familyPrefix")
	var items []*model.TaskDefinition
	c.Engine.Read(func(st *model.State) {
		for _, td := range st.TaskDefinitions {
			// familyPrefix is, despite its name, the full family name.
			if td.Status == status && (prefix == "" || td.Family == prefix) && !td.DaemonTaskDefinition {
				items = append(items, td)
			}
		}
	})
	order := strings.Compare
	if c.In.String("sort") == "DESC" {
		order = api.Descending
	}
	items, next, err := pageOrdered(c.In, items, tdKey, order, 100, 100)
	if err != nil {
		return nil, err
	}
	arns := make([]string, len(items))
	for i, td := range items {
		arns[i] = td.ARN
	}
	return map[string]any{"taskDefinitionArns": arns, "nextToken": next}, nil
}

func listTaskDefinitionFamilies(c *api.Call) (map[string]any, error) {
	status := c.In.String("status")
	prefix := c.In.String("familyPrefix")
	seen := map[string]bool{}
	c.Engine.Read(func(st *model.State) {
		for _, td := range st.TaskDefinitions {
			if !strings.HasPrefix(td.Family, prefix) || td.DaemonTaskDefinition {
				continue
			}
			switch status {
			case "", "ACTIVE":
				if td.Status == "ACTIVE" {
					seen[td.Family] = true
				}
			case "INACTIVE":
				if td.Status == "INACTIVE" {
					seen[td.Family] = seen[td.Family] || true
				}
			case "ALL":
				seen[td.Family] = true
			}
		}
	})
	var fams []string
	for f := range seen {
		fams = append(fams, f)
	}
	return namesPage(c.In, "families", fams, 100, 100)
}
