package ecs

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// taskOut returns a task as DescribeTasks shows it.
func taskOut(st *model.State, tk *model.Task, withTags bool) map[string]any {
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	attachments := make([]any, len(tk.Attachments))
	var ifaces []any
	for i, a := range tk.Attachments {
		details := []any{
			map[string]any{"name": "subnetId", "value": string(a.SubnetID)},
			map[string]any{"name": "networkInterfaceId", "value": string(a.ENI)},
			map[string]any{"name": "macAddress", "value": a.MAC},
		}
		if a.DNSName != "" {
			details = append(details, map[string]any{"name": "privateDnsName", "value": a.DNSName})
		}
		details = append(details, map[string]any{"name": "privateIPv4Address", "value": a.PrivateIP.String()})
		iface := map[string]any{"attachmentId": a.ID, "privateIpv4Address": a.PrivateIP}
		if a.IPv6.IsValid() {
			details = append(details, map[string]any{"name": "ipv6Address", "value": a.IPv6.String()})
			iface["ipv6Address"] = a.IPv6
		}
		attachments[i] = map[string]any{"id": a.ID, "type": a.Type, "status": a.Status, "details": details}
		ifaces = append(ifaces, iface)
	}
	taskID := model.LastSegment(tk.ARN)
	containers := make([]any, len(tk.Containers))
	overrides := make([]any, len(tk.Containers))
	for i, ctr := range tk.Containers {
		bindings := make([]any, len(ctr.NetworkBindings))
		for k, b := range ctr.NetworkBindings {
			x := map[string]any{"bindIP": b.BindIP, "protocol": b.Protocol.String()}
			if b.IsRange() {
				// the agent reports a range's ports as one binding
				// (amazon-ecs-agent #3479): containerPortRange and
				// hostPortRange, no containerPort or hostPort
				x["containerPortRange"], x["hostPortRange"] = b.ContainerPortRange.String(), b.HostPortRange.String()
			} else {
				x["containerPort"], x["hostPort"] = int(b.ContainerPort), int(b.HostPort)
			}
			bindings[k] = x
		}
		x := map[string]any{
			"containerArn": ctr.ARN, "taskArn": tk.ARN, "name": ctr.Name, "image": ctr.Image, "lastStatus": string(ctr.LastStatus),
			"networkBindings": bindings, "healthStatus": "UNKNOWN", "cpu": strconv.Itoa(ctr.CPU), "reason": api.Str(ctr.Reason),
		}
		if ctr.ExitCode != nil {
			x["exitCode"] = *ctr.ExitCode
		}
		if !tk.PullStartedAt.IsZero() {
			// The agent reports the digest of the image it pulled.
			x["imageDigest"] = model.ImageDigest(ctr.Image)
		}
		if ctr.Memory > 0 {
			x["memory"] = strconv.Itoa(ctr.Memory)
		}
		if td != nil {
			if cd, ok := td.Container(ctr.Name); ok && cd.MemoryReservation > 0 {
				x["memoryReservation"] = strconv.Itoa(cd.MemoryReservation)
			}
		}
		if ifaces != nil {
			x["networkInterfaces"] = ifaces
		} else {
			x["networkInterfaces"] = []any{}
		}
		if ctr.LastStatus == model.TaskRunning || ctr.LastStatus == model.TaskStopped {
			x["runtimeId"] = taskID + "-" + strconv.Itoa(i)
		}
		containers[i] = x
		overrides[i] = map[string]any{"name": ctr.Name}
	}
	out := map[string]any{
		"taskArn": tk.ARN, "clusterArn": tk.ClusterARN, "taskDefinitionArn": tk.TaskDefinitionARN,
		"containerInstanceArn": api.Str(tk.ContainerInstanceARN), "lastStatus": string(tk.LastStatus), "desiredStatus": string(tk.DesiredStatus),
		"launchType": api.Str(tk.LaunchType), "capacityProviderName": api.Str(tk.CapacityProvider), "cpu": api.Str(tk.CPU), "memory": api.Str(tk.Memory),
		"availabilityZone": api.Str(tk.AvailabilityZone), "group": api.Str(tk.Group), "startedBy": api.Str(tk.StartedBy),
		"attachments": attachments, "containers": containers, "connectivity": api.Str(tk.Connectivity), "connectivityAt": api.Time(tk.ConnectivityAt),
		"createdAt": api.Time(tk.CreatedAt), "pullStartedAt": api.Time(tk.PullStartedAt), "pullStoppedAt": api.Time(tk.StartedAt),
		"startedAt": api.Time(tk.StartedAt), "stoppingAt": api.Time(tk.StoppingAt), "stoppedAt": api.Time(tk.StoppedAt),
		"executionStoppedAt": api.Time(tk.StoppedAt), "stopCode": api.Str(tk.StopCode), "stoppedReason": api.Str(tk.StoppedReason),
		"version": tk.Version, "platformVersion": api.Str(tk.PlatformVersion), "platformFamily": api.Str(tk.PlatformFamily),
		"healthStatus": "UNKNOWN", "enableExecuteCommand": false,
		"overrides": map[string]any{"containerOverrides": overrides, "inferenceAcceleratorOverrides": []any{}},
	}
	if tk.PlatformVersion != "" {
		// A Fargate task reports the architecture its task definition's
		// runtimePlatform asks for, x86_64 by default.
		arch := "x86_64"
		if td := st.TaskDefinitions[tk.TaskDefinitionARN]; td != nil && td.Architecture() != "" {
			arch = td.Architecture()
		}
		out["attributes"] = []any{map[string]any{"name": "ecs.cpu-architecture", "value": arch}}
		out["ephemeralStorage"] = map[string]any{"sizeInGiB": 20}
	}
	// Without include=TAGS ECS still answers "tags", empty (aws/aws-cli#4500).
	out["tags"] = []any{}
	if withTags {
		out["tags"] = tagsOut(tk.Tags)
	}
	return out
}

func failuresOut(fs []engine.Failure) []any {
	out := make([]any, len(fs))
	for i, f := range fs {
		out[i] = map[string]any{"arn": api.Str(f.ARN), "reason": f.Reason, "detail": api.Str(f.Detail)}
	}
	return out
}

// noResourceOverrides rejects task overrides that would change placement
// (cpu, memory), which ecsnet does not model; environment and command
// overrides do not touch networking and are accepted.
func noResourceOverrides(in awsproto.Params) error {
	o := in.Struct("overrides")
	if o == nil {
		return nil
	}
	if o.Has("cpu") || o.Has("memory") {
		return invalid("ecsnet does not model task-level cpu or memory overrides.")
	}
	for _, co := range o.Structs("containerOverrides") {
		if co.Has("cpu") || co.Has("memory") || co.Has("memoryReservation") {
			return invalid("ecsnet does not model container cpu or memory overrides.")
		}
	}
	return nil
}

func runTaskInput(c *api.Call) (engine.RunTaskInput, error) {
	if err := noResourceOverrides(c.In); err != nil {
		return engine.RunTaskInput{}, err
	}
	net, err := networkIn(c.In)
	if err != nil {
		return engine.RunTaskInput{}, err
	}
	return engine.RunTaskInput{
		Cluster: c.In.String("cluster"), TaskDefinition: c.In.String("taskDefinition"), Count: int(c.In.Int("count")),
		LaunchType: model.LaunchType(c.In.String("launchType")), CapacityProviderStrategy: strategyIn(c.In, "capacityProviderStrategy"),
		Network: net, PlatformVersion: c.In.String("platformVersion"), Group: c.In.String("group"), StartedBy: c.In.String("startedBy"),
		Tags: tagsIn(c.In), ClientToken: c.In.String("clientToken"),
		PlacementConstraints: constraintsIn(c.In), PlacementStrategy: strategiesIn(c.In), Principal: callerPrincipal(c),
	}, nil
}

func runTask(c *api.Call) (map[string]any, error) {
	in, err := runTaskInput(c)
	if err != nil {
		return nil, err
	}
	if c.In.Has("count") && in.Count == 0 {
		return nil, invalid("Count must be between 1 and 10.")
	}
	return runOrStart(c, in)
}

func startTask(c *api.Call) (map[string]any, error) {
	in, err := runTaskInput(c)
	if err != nil {
		return nil, err
	}
	in.ContainerInstances = c.In.Strings("containerInstances")
	if in.ContainerInstances == nil {
		in.ContainerInstances = []string{}
	}
	in.Count = len(in.ContainerInstances)
	if in.Count > 10 {
		return nil, invalid("containerInstances can have at most 10 items.")
	}
	return runOrStart(c, in)
}

func runOrStart(c *api.Call, in engine.RunTaskInput) (map[string]any, error) {
	out, err := c.Engine.RunTask(in)
	if err != nil {
		return nil, err
	}
	tasks := make([]any, len(out.Tasks))
	c.Engine.Read(func(st *model.State) {
		for i, tk := range out.Tasks {
			// RunTask and StartTask answer the tasks with their tags, [] when none.
			tasks[i] = taskOut(st, tk, true)
		}
	})
	return map[string]any{"tasks": tasks, "failures": failuresOut(out.Failures)}, nil
}

func stopTask(c *api.Call) (map[string]any, error) {
	tk, err := c.Engine.StopTask(c.In.String("cluster"), c.In.String("task"), c.In.String("reason"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"task": c.View(func(st *model.State) map[string]any { return taskOut(st, tk, false) })}, nil
}

// activeCluster returns the ARN of an active cluster, or
// ClusterNotFoundException.
func activeCluster(c *api.Call, st *model.State) (*model.Cluster, error) {
	cl := st.Clusters[c.Engine.ClusterARN(c.In.String("cluster"))]
	if cl == nil || cl.Status != "ACTIVE" {
		return nil, apierr.New("ClusterNotFoundException", "Cluster not found.")
	}
	return cl, nil
}

func describeTasks(c *api.Call) (map[string]any, error) {
	refs := c.In.Strings("tasks")
	if len(refs) > 100 {
		return nil, invalid("tasks can have at most 100 items.")
	}
	tasks, failures, err := describeInCluster(c, refs, "task", "Tasks cannot be empty.", func(st *model.State) map[string]*model.Task { return st.Tasks },
		func(t *model.Task) string { return t.ClusterARN }, taskOut)
	if err != nil {
		return nil, err
	}
	return map[string]any{"tasks": tasks, "failures": failures}, nil
}

func listTasks(c *api.Call) (map[string]any, error) {
	desired := c.In.String("desiredStatus")
	if desired == "" {
		desired = "RUNNING"
	}
	if c.In.String("serviceName") != "" && c.In.String("startedBy") != "" {
		return nil, invalid("startedBy and serviceName cannot both be specified.")
	}
	if err := checkLaunchTypeFilter(c.In.String("launchType")); err != nil {
		return nil, err
	}
	var arns []string
	var err error
	c.Engine.Read(func(st *model.State) {
		var cl *model.Cluster
		if cl, err = activeCluster(c, st); err != nil {
			return
		}
		ci := c.In.String("containerInstance")
		if ci != "" && !strings.HasPrefix(ci, "arn:") {
			ci = model.ARN(c.Region, "ecs", c.Account, "container-instance/"+cl.Name+"/"+ci)
		}
		if ci != "" && st.ContainerInstances[ci] == nil {
			err = invalid("The referenced container instance %s was not found.", c.In.String("containerInstance"))
			return
		}
		family, svc, startedBy, launch := c.In.String("family"), c.In.String("serviceName"), c.In.String("startedBy"), c.In.String("launchType")
		// A daemon's tasks are its group's, daemon:<name> (engine/ecs_daemon_tasks.go).
		group := ""
		if name := c.In.String("daemonName"); name != "" {
			group = "daemon:" + name
		}
		if svc != "" && strings.HasPrefix(svc, "arn:") {
			svc = model.LastSegment(svc)
		}
		// A service the cluster does not have is refused, not an empty
		// list (ListTasks' ServiceNotFoundException; an INACTIVE service
		// is still the cluster's).
		if s := st.Services[c.Engine.ServiceARN(cl.Name, svc)]; svc != "" && (s == nil || s.ClusterARN != cl.ARN) {
			err = apierr.New("ServiceNotFoundException", "Service not found.")
			return
		}
		for _, tk := range st.Tasks {
			if tk.ClusterARN != cl.ARN || string(tk.DesiredStatus) != desired {
				continue
			}
			if ci != "" && tk.ContainerInstanceARN != ci || svc != "" && tk.ServiceName != svc ||
				startedBy != "" && tk.StartedBy != startedBy || launch != "" && string(tk.LaunchType) != launch || group != "" && tk.Group != group {
				continue
			}
			if family != "" {
				if td := st.TaskDefinitions[tk.TaskDefinitionARN]; td == nil || td.Family != family || td.DaemonTaskDefinition {
					continue
				}
			}
			arns = append(arns, tk.ARN)
		}
	})
	if err != nil {
		return nil, err
	}
	return namesPage(c.In, "taskArns", arns, 100, 100)
}

func resources(cpu, mem int, tcp, udp []uint16) []any {
	ports := func(ps []uint16) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = strconv.Itoa(int(p))
		}
		return out
	}
	return []any{
		map[string]any{"name": "CPU", "type": "INTEGER", "integerValue": cpu, "doubleValue": 0.0, "longValue": 0},
		map[string]any{"name": "MEMORY", "type": "INTEGER", "integerValue": mem, "doubleValue": 0.0, "longValue": 0},
		map[string]any{"name": "PORTS", "type": "STRINGSET", "stringSetValue": ports(tcp), "integerValue": 0, "doubleValue": 0.0, "longValue": 0},
		map[string]any{"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": ports(udp), "integerValue": 0, "doubleValue": 0.0, "longValue": 0},
	}
}

func containerInstanceOut(st *model.State, ci *model.ContainerInstance, withTags bool) map[string]any {
	rem := engine.Remaining(st, ci)
	running, pending := 0, 0
	for _, tk := range st.Tasks {
		if tk.ContainerInstanceARN != ci.ARN {
			continue
		}
		switch tk.LastStatus {
		case model.TaskRunning:
			running++
		case model.TaskProvisioning, model.TaskPending, model.TaskActivating:
			pending++
		}
	}
	attrs := make([]any, len(ci.Attributes))
	for i, a := range ci.Attributes {
		x := map[string]any{"name": a.Name}
		if a.Value != "" {
			x["value"] = a.Value
		}
		attrs[i] = x
	}
	out := map[string]any{
		"containerInstanceArn": ci.ARN, "ec2InstanceId": ci.EC2InstanceID, "capacityProviderName": api.Str(ci.CapacityProvider),
		"version": ci.Version, "status": ci.Status, "statusReason": api.Str(ci.StatusReason), "agentConnected": ci.AgentConnected,
		"runningTasksCount": running, "pendingTasksCount": pending, "attributes": attrs, "registeredAt": api.Time(ci.RegisteredAt),
		"versionInfo":         map[string]any{"agentVersion": ci.AgentVersion, "agentHash": "4023248", "dockerVersion": "DockerVersion: 25.0.8"},
		"registeredResources": resources(ci.CPU, ci.MemoryMiB, ci.ReservedPorts, ci.ReservedUDPPorts),
		"remainingResources":  resources(rem.CPU, rem.MemoryMiB, rem.TCPPorts, rem.UDPPorts),
		"attachments":         []any{},
	}
	if inst := st.Instances[ci.EC2InstanceID]; inst != nil && inst.TrunkENI != "" {
		if n := st.NetworkInterfaces[inst.TrunkENI]; n != nil {
			out["attachments"] = []any{map[string]any{"id": model.LastSegment(n.Description), "type": "ElasticNetworkInterface", "status": "ATTACHED",
				"details": []any{
					map[string]any{"name": "subnetId", "value": string(n.SubnetID)},
					map[string]any{"name": "networkInterfaceId", "value": string(n.ID)},
					map[string]any{"name": "macAddress", "value": n.MAC},
					map[string]any{"name": "privateIPv4Address", "value": n.PrimaryIP().String()},
				}}}
		}
	}
	if ci.AgentUpdateStatus != "" {
		out["agentUpdateStatus"] = ci.AgentUpdateStatus
	}
	if withTags {
		out["tags"] = tagsOut(ci.Tags)
	}
	return out
}

func registerContainerInstance(c *api.Call) (map[string]any, error) {
	var doc struct {
		InstanceID string `json:"instanceId"`
	}
	if s := c.In.String("instanceIdentityDocument"); s != "" {
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			return nil, apierr.New("ClientException", "The instance identity document is not valid JSON.")
		}
	}
	if doc.InstanceID == "" {
		return nil, apierr.New("ClientException", "ecsnet registers EC2 instances: the instanceIdentityDocument must name an instanceId.")
	}
	in := engine.RegisterContainerInstanceInput{Cluster: c.In.String("cluster"), InstanceID: model.InstanceID(doc.InstanceID), Tags: tagsIn(c.In)}
	for _, r := range c.In.Structs("totalResources") {
		switch r.String("name") {
		case "CPU":
			in.CPU = int(r.Int("integerValue"))
		case "MEMORY":
			in.MemoryMiB = int(r.Int("integerValue"))
		}
	}
	for _, a := range c.In.Structs("attributes") {
		in.Attributes = append(in.Attributes, model.Attribute{Name: a.String("name"), Value: a.String("value")})
	}
	ci, err := c.Engine.RegisterContainerInstance(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"containerInstance": c.View(func(st *model.State) map[string]any { return containerInstanceOut(st, ci, true) })}, nil
}

func deregisterContainerInstance(c *api.Call) (map[string]any, error) {
	ci, err := c.Engine.DeregisterContainerInstance(c.In.String("cluster"), c.In.String("containerInstance"), c.In.Bool("force"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"containerInstance": c.View(func(st *model.State) map[string]any { return containerInstanceOut(st, ci, false) })}, nil
}

func describeContainerInstances(c *api.Call) (map[string]any, error) {
	refs := c.In.Strings("containerInstances")
	if len(refs) > 100 {
		return nil, invalid("containerInstances can have at most 100 items.")
	}
	out, failures, err := describeInCluster(c, refs, "container-instance", "Container Instances cannot be empty.", func(st *model.State) map[string]*model.ContainerInstance { return st.ContainerInstances },
		func(ci *model.ContainerInstance) string { return ci.ClusterARN }, containerInstanceOut)
	if err != nil {
		return nil, err
	}
	return map[string]any{"containerInstances": out, "failures": failures}, nil
}

func listContainerInstances(c *api.Call) (map[string]any, error) {
	var filter *engine.ContainerInstanceQuery
	if f := c.In.String("filter"); f != "" {
		var err error
		if filter, err = engine.ParseContainerInstanceQuery(f); err != nil {
			return nil, err
		}
	}
	status := c.In.String("status")
	var arns []string
	var err error
	c.Engine.Read(func(st *model.State) {
		var cl *model.Cluster
		if cl, err = activeCluster(c, st); err != nil {
			return
		}
		for _, ci := range st.ContainerInstances {
			if ci.ClusterARN != cl.ARN || ci.Status == "INACTIVE" {
				continue
			}
			if status != "" && ci.Status != status {
				continue
			}
			if filter != nil && !c.Engine.Match(filter, ci) {
				continue
			}
			arns = append(arns, ci.ARN)
		}
	})
	if err != nil {
		return nil, err
	}
	return namesPage(c.In, "containerInstanceArns", arns, 100, 100)
}

// describeInCluster answers a Describe* call for resources that live in a
// cluster (services, tasks, container instances): each ref, a name or id or
// an ARN, is described when the cluster holds it, else listed as a MISSING
// failure, as ECS answers (never an error for unknown ids). The cluster is
// checked first; then an empty list is InvalidParameterException empty.
func describeInCluster[T any](c *api.Call, refs []string, resource, empty string,
	table func(*model.State) map[string]*T, clusterOf func(*T) string,
	describe func(*model.State, *T, bool) map[string]any) ([]any, []any, error) {
	found, failures := []any{}, []any{}
	var err error
	c.Engine.Read(func(st *model.State) {
		var cl *model.Cluster
		if cl, err = activeCluster(c, st); err != nil {
			return
		}
		if len(refs) == 0 && empty != "" {
			// DescribeTasks refuses an empty list as a parameter error,
			// DescribeContainerInstances as a client error (docs/aws-behavior.md).
			err = invalid("%s", empty)
			if resource == "container-instance" {
				err = apierr.New("ClientException", empty)
			}
			return
		}
		for _, ref := range refs {
			arn := ref
			x := table(st)[arn]
			if !strings.HasPrefix(ref, "arn:") {
				arn = model.ARN(c.Region, "ecs", c.Account, resource+"/"+cl.Name+"/"+ref)
				// A short-format ARN (the account's long-ARN setting
				// disabled when it was made) has no cluster part.
				short := model.ARN(c.Region, "ecs", c.Account, resource+"/"+ref)
				if x = table(st)[arn]; x == nil {
					x = table(st)[short]
				}
				if resource == "service" {
					// ECS names a missing service by its short ARN
					// ("arn:aws:ecs:…:service/<name> is MISSING").
					arn = short
				}
			}
			if x == nil || clusterOf(x) != cl.ARN {
				failures = append(failures, map[string]any{"arn": arn, "reason": "MISSING"})
				continue
			}
			found = append(found, describe(st, x, includes(c.In, "TAGS")))
		}
	})
	return found, failures, err
}
