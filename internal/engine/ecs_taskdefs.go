package engine

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// maxContainersPerTaskDefinition is ECS's quota of container definitions in
// one task definition.
const maxContainersPerTaskDefinition = 10

// RegisterTaskDefinitionInput is RegisterTaskDefinition's input.
type RegisterTaskDefinitionInput struct {
	Family                  string
	NetworkMode             string // "" is bridge, the Linux default
	Containers              []model.ContainerDefinition
	RequiresCompatibilities []string
	CPU, Memory             string
	TaskRoleARN             string
	ExecutionRoleARN        string
	PIDMode, IPCMode        string
	Raw                     map[string]any
	Tags                    model.Tags
	PlacementConstraints    []model.PlacementConstraint
	RuntimePlatform         *model.RuntimePlatform
}

// cpuArchitectures and osFamilies are the values of ECS's CPUArchitecture
// and OSFamily enums (botocore data/ecs service-2.json).
var (
	cpuArchitectures = []string{"X86_64", "ARM64"}
	osFamilies       = []string{"WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2016_FULL",
		"WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2025_CORE",
		"WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_20H2_CORE", "LINUX"}
)

// checkRuntimePlatform validates a runtimePlatform's enums [choice: the
// wording of ECS's other enum errors, "Invalid networkMode …"].
func checkRuntimePlatform(rp *model.RuntimePlatform) error {
	if rp == nil {
		return nil
	}
	if rp.CPUArchitecture != "" && !slices.Contains(cpuArchitectures, rp.CPUArchitecture) {
		return errECSClient("Invalid cpuArchitecture %s. Valid values are: %s.", rp.CPUArchitecture, strings.Join(cpuArchitectures, ", "))
	}
	if rp.OperatingSystemFamily != "" && !slices.Contains(osFamilies, rp.OperatingSystemFamily) {
		return errECSClient("Invalid operatingSystemFamily %s. Valid values are: %s.", rp.OperatingSystemFamily, strings.Join(osFamilies, ", "))
	}
	return nil
}

// RegisterTaskDefinition registers the next revision of a family. It
// enforces ECS's rules: awsvpc host ports must equal container ports
// (hostPort is filled in when absent), none takes no port mappings, Fargate
// needs awsvpc and a valid task-level cpu/memory pair.
func (e *Engine) RegisterTaskDefinition(in RegisterTaskDefinitionInput) (*model.TaskDefinition, error) {
	td, err := e.buildTaskDefinition(in)
	if err != nil {
		return nil, err
	}
	err = e.write(func(t *txn) error {
		rev := 0
		for _, old := range t.st.TaskDefinitions {
			if old.Family == td.Family && old.Revision > rev && !old.DaemonTaskDefinition {
				rev = old.Revision
			}
		}
		td.Revision = rev + 1
		td.ARN = t.e.ecsARN("task-definition/" + td.Family + ":" + strconv.Itoa(td.Revision))
		td.RegisteredAt = t.now
		td.RegisteredBy = t.e.cfg.iamARN("root")
		put(t, model.KindTaskDefinition, t.st.TaskDefinitions, td.ARN, td)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return td, nil
}

func (e *Engine) buildTaskDefinition(in RegisterTaskDefinitionInput) (*model.TaskDefinition, error) {
	if in.Family == "" {
		return nil, errECSClient("Family can not be blank.")
	}
	if err := checkPlacement(in.PlacementConstraints, nil, true); err != nil {
		return nil, err
	}
	if err := checkRuntimePlatform(in.RuntimePlatform); err != nil {
		return nil, err
	}
	if !ecsNameRE.MatchString(in.Family) {
		return nil, errECSClient("Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.")
	}
	if len(in.Containers) == 0 {
		return nil, errECSClient("Container list cannot be empty.")
	}
	if len(in.Containers) > maxContainersPerTaskDefinition {
		return nil, errECSClient("Too many containers.")
	}
	mode := model.NetworkMode(in.NetworkMode)
	switch mode {
	case "":
		mode = model.NetworkModeBridge
	case model.NetworkModeAwsvpc, model.NetworkModeBridge, model.NetworkModeHost, model.NetworkModeNone:
	default:
		return nil, errECSClient("Invalid networkMode %s. Valid values are: bridge, host, awsvpc, none.", in.NetworkMode)
	}
	td := &model.TaskDefinition{
		Family: in.Family, Status: "ACTIVE", NetworkMode: mode, CPU: in.CPU, Memory: in.Memory,
		TaskRoleARN: in.TaskRoleARN, ExecutionRoleARN: in.ExecutionRoleARN, PIDMode: in.PIDMode, IPCMode: in.IPCMode,
		Raw: in.Raw, Tags: in.Tags.Clone(), PlacementConstraints: in.PlacementConstraints,
	}
	if in.RuntimePlatform != nil {
		rp := *in.RuntimePlatform
		td.RuntimePlatform = &rp
	}
	taskCPU, taskMem := 0, 0
	if in.CPU != "" {
		n, ok := parseCPU(in.CPU)
		if !ok {
			return nil, errECSInvalid("Invalid 'cpu' setting for task.")
		}
		taskCPU = n
		// "String values are converted to an integer indicating the CPU
		// units when the task definition is registered" (RegisterTaskDefinition).
		td.CPU = strconv.Itoa(n)
	}
	if in.Memory != "" {
		n, ok := parseMemory(in.Memory)
		if !ok {
			return nil, errECSInvalid("Invalid 'memory' setting for task.")
		}
		taskMem = n
		// "It's converted to an integer indicating the MiB when the task
		// definition is registered" (RegisterTaskDefinition).
		td.Memory = strconv.Itoa(n)
	}
	fargate, managed := false, false
	for _, c := range in.RequiresCompatibilities {
		switch model.LaunchType(c) {
		case model.LaunchFargate:
			fargate = true
		case model.LaunchEC2, model.LaunchExternal:
		case model.LaunchManagedInstances:
			// "You must specify a network mode in the task definition"; the
			// modes are awsvpc and host ("Amazon ECS task networking for
			// Amazon ECS Managed Instances"), and none
			// (ManagedInstancesNetworkConfiguration).
			if in.NetworkMode == "" || mode == model.NetworkModeBridge {
				return nil, errECSClient("Task definitions for Amazon ECS Managed Instances must specify a network mode of awsvpc, host or none.")
			}
			managed = true
		default:
			return nil, errECSClient("Invalid compatibility %s. Valid values are: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES.", c)
		}
		td.RequiresCompatibilities = append(td.RequiresCompatibilities, model.LaunchType(c))
	}
	volumes := rawVolumes(in.Raw)
	if err := checkEFSVolumes(in.Raw); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, c := range in.Containers {
		if c.Name == "" {
			return nil, errECSClient("Container.name should not be null or empty.")
		}
		if c.Image == "" {
			return nil, errECSClient("Container.image should not be null or empty.")
		}
		if err := validImageString(c.Image); err != nil {
			return nil, err
		}
		if names[c.Name] {
			return nil, errECSClient("Duplicate container names are not allowed.")
		}
		names[c.Name] = true
		if taskMem == 0 && c.Memory == 0 && c.MemoryReservation == 0 {
			return nil, errECSClient("Invalid setting for container '%s'. At least one of 'memory' or 'memoryReservation' must be specified.", c.Name)
		}
		if c.Memory != 0 && c.MemoryReservation > c.Memory {
			return nil, errECSClient("Invalid setting for container '%s'. 'memory' must be greater than or equal to 'memoryReservation'.", c.Name)
		}
		// pulumi/pulumi-awsx#188 and #1220: a container's hard limit
		// above the task's memory is refused (EC2 and Fargate alike).
		if taskMem != 0 && c.Memory > taskMem {
			return nil, errECSClient("The 'memory' setting for container '%s' is greater than for the task.", c.Name)
		}
		c.PortMappings = slices.Clone(c.PortMappings)
		if mode == model.NetworkModeNone && len(c.PortMappings) > 0 {
			return nil, errECSClient("Port mappings are not allowed for 'none' network mode.")
		}
		if err := checkPortRanges(c, mode); err != nil {
			return nil, err
		}
		for i := range c.PortMappings {
			pm := &c.PortMappings[i]
			if pm.IsRange() {
				if pm.Protocol == 0 {
					pm.Protocol = model.TCP
				}
				continue
			}
			if pm.ContainerPort == 0 {
				return nil, errECSClient("Invalid 'containerPort' setting for container '%s'.", c.Name)
			}
			if pm.Protocol == 0 {
				pm.Protocol = model.TCP
			}
			switch mode {
			case model.NetworkModeAwsvpc:
				if pm.HostPort != 0 && pm.HostPort != pm.ContainerPort {
					return nil, errECSClient("When networkMode=awsvpc, the host ports and container ports in port mappings must match.")
				}
				pm.HostPort = pm.ContainerPort
			case model.NetworkModeHost:
				if pm.HostPort != 0 && pm.HostPort != pm.ContainerPort {
					return nil, errECSClient("When networkMode=host, the host ports and container ports in port mappings must match.")
				}
				pm.HostPort = pm.ContainerPort
			}
		}
		if err := checkContainerRefs(c, mode, volumes); err != nil {
			return nil, err
		}
		td.Containers = append(td.Containers, c)
	}
	if err := checkContainerSet(td.Containers, taskCPU, taskMem); err != nil {
		return nil, err
	}
	if name := emptyAWSLogsGroup(td.Containers); name != "" {
		// terraform-aws-modules/terraform-aws-ecs#206: an awslogs-group
		// of "" (a module's try(..., "")) is refused.
		return nil, errECSClient("Log driver awslogs option 'awslogs-group' should not be null or empty.")
	}
	if fargate {
		switch {
		case mode != model.NetworkModeAwsvpc:
			return nil, errECSClient("Fargate only supports network mode ‘awsvpc’.")
		case in.CPU == "":
			return nil, errECSClient("Fargate requires that 'cpu' be defined at the task level.")
		case in.Memory == "":
			return nil, errECSClient("Fargate requires that 'memory' be defined at the task level.")
		case !fargateSizeValid(taskCPU, taskMem):
			// ECS names the pair it refused (observed since 2022; the bare
			// sentence was its 2018 wording).
			return nil, errECSClient("No Fargate configuration exists for given values: %d CPU, %d memory. See the Amazon ECS documentation for the valid values.", taskCPU, taskMem)
		case in.IPCMode != "":
			return nil, errECSClient("Tasks using the Fargate launch type do not support ipcMode.")
		case in.PIDMode == "host":
			return nil, errECSClient("Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.")
		case in.ExecutionRoleARN == "" && executionRoleNeed(td.Containers) != "":
			return nil, errECSClient("Fargate requires task definition to have execution role ARN to support %s.", executionRoleNeed(td.Containers))
		case slices.ContainsFunc(volumes, func(v rawVolume) bool { return v.sourcePath }):
			return nil, errECSClient("Fargate compatible task definitions do not support sourcePath")
		}
	}
	// ECS lists EXTERNAL first: ["EXTERNAL", "EC2"] (describe-task-definition
	// outputs); an awsvpc definition Fargate can run is ["EC2", "FARGATE"].
	td.Compatibilities = []model.LaunchType{model.LaunchEC2}
	if mode != model.NetworkModeAwsvpc {
		td.Compatibilities = []model.LaunchType{model.LaunchExternal, model.LaunchEC2}
	} else if fargateSizeValid(taskCPU, taskMem) && in.IPCMode == "" && in.PIDMode != "host" {
		td.Compatibilities = append(td.Compatibilities, model.LaunchFargate)
	}
	if managed {
		// [choice] MANAGED_INSTANCES is answered only for a definition
		// that requires it (AWS's order unrecorded: last).
		td.Compatibilities = append(td.Compatibilities, model.LaunchManagedInstances)
	}
	return td, nil
}

// parseCPU reads a task cpu value: CPU units ("256") or vCPUs ("1 vCPU",
// "0.25 vcpu").
func parseCPU(s string) (int, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if v, ok := strings.CutSuffix(s, "vcpu"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f <= 0 || f > 192 {
			return 0, false
		}
		return int(f * 1024), true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n <= 196608
}

// parseMemory reads a task memory value: MiB ("512") or GB ("1 GB", "0.5GB").
func parseMemory(s string) (int, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if v, ok := strings.CutSuffix(s, "gb"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f <= 0 || f > 1024 {
			return 0, false
		}
		return int(f * 1024), true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n <= 1<<21
}

// fargateSizeValid reports whether cpu/memory is one of Fargate's task
// sizes (ECS Developer Guide, "Task CPU and memory").
func fargateSizeValid(cpu, mem int) bool {
	switch cpu {
	case 256:
		return mem == 512 || mem == 1024 || mem == 2048
	case 512:
		return mem >= 1024 && mem <= 4096 && mem%1024 == 0
	case 1024:
		return mem >= 2048 && mem <= 8192 && mem%1024 == 0
	case 2048:
		return mem >= 4096 && mem <= 16384 && mem%1024 == 0
	case 4096:
		return mem >= 8192 && mem <= 30720 && mem%1024 == 0
	case 8192:
		return mem >= 16384 && mem <= 61440 && mem%4096 == 0
	case 16384:
		return mem >= 32768 && mem <= 122880 && mem%8192 == 0
	}
	return false
}

// taskDefinition resolves "family" (latest active revision),
// "family:revision" or an ARN.
func (t *txn) taskDefinition(ref string) (*model.TaskDefinition, error) {
	return lookupTaskDefinition(t.e, t.st, ref)
}

func lookupTaskDefinition(e *Engine, st *model.State, ref string) (*model.TaskDefinition, error) {
	td, err := resolveRevision(e, st.TaskDefinitions, "task-definition", ref, errTaskDefinitionNotFound)
	if err == nil && td.DaemonTaskDefinition {
		// A daemon task definition's twin is no task definition.
		return nil, errTaskDefinitionNotFound()
	}
	return td, err
}

// TaskDefinition resolves a task definition reference.
func (e *Engine) TaskDefinition(ref string) (*model.TaskDefinition, error) {
	var td *model.TaskDefinition
	var err error
	e.Read(func(st *model.State) { td, err = lookupTaskDefinition(e, st, ref) })
	return td, err
}

// DeregisterTaskDefinition marks a revision INACTIVE: running tasks and
// services keep it, new ones cannot use it.
func (e *Engine) DeregisterTaskDefinition(ref string) (*model.TaskDefinition, error) {
	var out *model.TaskDefinition
	err := e.write(func(t *txn) error {
		name := ref[strings.LastIndexByte(ref, '/')+1:]
		i := strings.LastIndexByte(name, ':')
		if i < 0 {
			return errECSClient("Revision is missing.")
		}
		if rev := name[i+1:]; rev == "" || strings.Trim(rev, "0123456789") != "" {
			return errECSClient("Invalid revision number. Number: %s", rev)
		}
		td, err := t.taskDefinition(ref)
		if err != nil {
			return err
		}
		c := *td
		c.Status, c.DeregisteredAt = "INACTIVE", t.now
		put(t, model.KindTaskDefinition, t.st.TaskDefinitions, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}

// taskCPUMem returns what a task reserves: the task-level values, else the
// sum over its containers (memory: the reservation, else the hard limit).
func taskCPUMem(td *model.TaskDefinition, tk *model.Task) (cpu, mem int) {
	if tk != nil && tk.CPU != "" {
		cpu, _ = parseCPU(tk.CPU)
	}
	if tk != nil && tk.Memory != "" {
		mem, _ = parseMemory(tk.Memory)
	}
	if td == nil || (cpu > 0 && mem > 0) {
		return cpu, mem
	}
	if td.CPU != "" && cpu == 0 {
		cpu, _ = parseCPU(td.CPU)
	}
	if td.Memory != "" && mem == 0 {
		mem, _ = parseMemory(td.Memory)
	}
	sumCPU, sumMem := 0, 0
	for _, c := range td.Containers {
		sumCPU += c.CPU
		// ECS subtracts a container's memoryReservation from the
		// instance when it is given, else its memory (the hard limit).
		if c.MemoryReservation > 0 {
			sumMem += c.MemoryReservation
		} else {
			sumMem += c.Memory
		}
	}
	if cpu == 0 {
		cpu = sumCPU
	}
	if mem == 0 {
		mem = sumMem
	}
	return cpu, mem
}

// rawVolume is a task definition volume as far as registration checks it.
type rawVolume struct {
	name string
	// sourcePath: a bind mount of a host path (host.sourcePath), which
	// Fargate does not offer.
	sourcePath bool
}

// rawVolumes reads the task definition's volumes from its raw members.
func rawVolumes(raw map[string]any) []rawVolume {
	var out []rawVolume
	for _, v := range rawMaps(model.RawField(raw, "volumes")) {
		host, _ := model.RawField(v, "host").(map[string]any)
		out = append(out, rawVolume{name: model.RawString(v, "name"), sourcePath: model.RawString(host, "sourcePath") != ""})
	}
	return out
}

// rawMaps returns the maps of a raw list member.
func rawMaps(v any) []map[string]any {
	l, _ := v.([]any)
	var out []map[string]any
	for _, x := range l {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// checkContainerRefs applies RegisterTaskDefinition's checks of one
// container's references and network-mode rules, with ECS's texts:
// a mount point's source volume must be a volume of the task definition
// ("Unknown volume 'x'."), and awsvpc takes neither links nor a hostname.
func checkContainerRefs(c model.ContainerDefinition, mode model.NetworkMode, volumes []rawVolume) error {
	for _, mp := range rawMaps(model.RawField(c.Raw, "mountPoints")) {
		src := model.RawString(mp, "sourceVolume")
		if !slices.ContainsFunc(volumes, func(v rawVolume) bool { return v.name == src }) {
			if src == "" {
				src = "null"
			}
			return errECSClient("Unknown volume '%s'.", src)
		}
	}
	if mode == model.NetworkModeAwsvpc {
		if len(c.Links) > 0 {
			return errECSClient("Links are not supported when networkMode=awsvpc.")
		}
		if model.RawString(c.Raw, "hostname") != "" {
			return errECSClient("hostname is not supported on container when networkMode=awsvpc.")
		}
	}
	return nil
}

// checkContainerSet applies RegisterTaskDefinition's checks across the
// containers: at least one is essential, a container others wait for with
// condition SUCCESS or COMPLETE is not essential, the containers' cpu
// adds up to no more than the task's, and their memoryReservation to no
// more than the task's memory.
func checkContainerSet(cs []model.ContainerDefinition, taskCPU, taskMem int) error {
	if !slices.ContainsFunc(cs, func(c model.ContainerDefinition) bool { return c.Essential }) {
		return errECSClient("Task definition doesn't have any essential container.")
	}
	sum, reserved := 0, 0
	for _, c := range cs {
		sum += c.CPU
		reserved += c.MemoryReservation
		for _, d := range rawMaps(model.RawField(c.Raw, "dependsOn")) {
			cond := strings.ToUpper(model.RawString(d, "condition"))
			if cond != "SUCCESS" && cond != "COMPLETE" {
				continue
			}
			name := model.RawString(d, "containerName")
			if slices.ContainsFunc(cs, func(o model.ContainerDefinition) bool { return o.Name == name && o.Essential }) {
				return errECSClient("A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")
			}
		}
	}
	if taskCPU > 0 && sum > taskCPU {
		return errECSClient("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
	}
	if taskMem > 0 && reserved > taskMem {
		return errECSClient("The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.")
	}
	return nil
}

// validImageString checks a container definition's image as
// RegisterTaskDefinition does: letters, digits, '-', '_', ':', '.', '/',
// '#' and, before a digest, '@'; at most 255 characters before the '@'.
// It does not parse the reference: one that does not parse as Docker's
// (an ECR repository ARN, an uppercase repository) is registered, and the
// task stops when its image is pulled (CannotPullContainerError).
func validImageString(img string) error {
	for _, r := range img {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-_:./#@", r):
		default:
			return errECSClient("Container.image contains invalid characters.")
		}
	}
	name, _, _ := strings.Cut(img, "@")
	if len(name) > 255 {
		return errECSClient("Container.image should not be longer than 255 characters.")
	}
	return nil
}

// maxPortRanges is how many containerPortRange mappings a container may
// have ("You can specify a maximum of 100 port ranges per container",
// PortMapping.containerPortRange).
const maxPortRanges = 100

// checkPortRanges applies PortMapping.containerPortRange's rules to c's
// port mappings: bridge or awsvpc only, no containerPort or hostPort
// beside a range, at most 100 ranges, and no port in two mappings (no
// overlapping ranges, no single port inside a range). The ranges' own
// syntax (1-65535, first less than last) is checked where they are
// parsed. The messages are ecsnet's ([choice]: AWS's are not public).
func checkPortRanges(c model.ContainerDefinition, mode model.NetworkMode) error {
	n := 0
	for i, pm := range c.PortMappings {
		if !pm.IsRange() {
			continue
		}
		n++
		switch {
		case mode != model.NetworkModeBridge && mode != model.NetworkModeAwsvpc:
			return errECSClient("Invalid 'containerPortRange' setting for container '%s'. Port ranges are only supported for the awsvpc and bridge network modes.", c.Name)
		case pm.ContainerPort != 0:
			return errECSClient("Invalid port mapping for container '%s'. Specify either 'containerPort' or 'containerPortRange', not both.", c.Name)
		case pm.HostPort != 0:
			return errECSClient("Invalid port mapping for container '%s'. 'hostPort' can not be specified with 'containerPortRange'.", c.Name)
		case n > maxPortRanges:
			return errECSClient("Invalid port mappings for container '%s'. A container can have at most %d port ranges.", c.Name, maxPortRanges)
		}
		for j, o := range c.PortMappings {
			if j == i || o.IsRange() && j > i || !o.IsRange() && o.ContainerPort == 0 {
				continue // each pair of ranges once; a mapping without a port fails on its own
			}
			if pm.ContainerPortRange.Overlaps(o.ContainerPorts()) {
				return errECSClient("Invalid port mappings for container '%s'. Port range %s overlaps port mapping %s; a port can only be included in one port mapping.",
					c.Name, pm.ContainerPortRange, o.ContainerPorts())
			}
		}
	}
	return nil
}

// emptyAWSLogsGroup names the first container whose awslogs driver is
// given an awslogs-group option that is empty (or not a string), "" when
// none is. (A configuration without the option is not judged here:
// ecsnet's scenario files leave it out.)
func emptyAWSLogsGroup(containers []model.ContainerDefinition) string {
	for _, c := range containers {
		if c.LogDriver() != "awslogs" {
			continue
		}
		lc, _ := model.RawField(c.Raw, "logConfiguration").(map[string]any)
		opts, _ := model.RawField(lc, "options").(map[string]any)
		if v, ok := opts["awslogs-group"]; ok {
			if s, _ := v.(string); s == "" {
				return c.Name
			}
		}
	}
	return ""
}
