package reach

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// efsBase is a VPC with public subnets, an EFS file system with a mount
// target in us-east-1a (subnet m) whose group admits NFS from the tasks, a
// second file system with an access point, and one standalone Fargate task
// per case (its volume and subnet set by the case).
const efsBase = `vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw, dns_hostnames: HOSTNAMES}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
  b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b, route_table: public}
  m: {vpc: main, cidr: 10.0.3.0/24, az: us-east-1a, route_table: public}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  task-sg: {vpc: main}
  efs-sg: {vpc: main, ingress: [{protocol: tcp, ports: 2049, group: task-sg}]}
NACL
file_systems:
  data:
    mount_targets: [{subnet: m, security_groups: [efs-sg]}]
  other: {}
access_points:
  app: {file_system: data, path: /app}
  elsewhere: {file_system: other, path: /x}
clusters:
  c: {}
task_definitions:
  job:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "256"
    memory: "512"
    volumes:
      v: {file_system: data, access_point: AP, transit_encryption: true}
    containers:
      job: {image: public.ecr.aws/nginx/nginx:1.27}
tasks:
  job: {cluster: c, task_definition: job, launch_type: FARGATE, subnets: [SUBNET], security_groups: [task-sg], assign_public_ip: true}
`

// TestEFSStartCheck: a task's EFS volume mounts through the mount target in
// its zone (the task runs), and each way it cannot stops it with the
// agent's text and the analyzer's code.
func TestEFSStartCheck(t *testing.T) {
	nacl := `network_acls:
  tight:
    vpc: main
    subnets: [a]
    ingress: [{rule: 100, protocol: -1, cidr: 0.0.0.0/0, action: allow}]
    egress: [{rule: 90, protocol: tcp, ports: "2049", cidr: 10.0.0.0/16, action: deny}, {rule: 100, protocol: -1, cidr: 0.0.0.0/0, action: allow}]`
	cases := []struct {
		name, hostnames, nacl, ap, subnet string
		code, reason                      string
	}{
		{"mounts", "true", "", "app", "a", "", ""},
		{"no mount target in the zone", "true", "", "app", "b", CodeEFSNoMountTarget, `Failed to resolve "fs-`},
		{"dns hostnames off", "false", "", "app", "a", CodeEFSNoMountTarget, `Failed to resolve "fs-`},
		{"access point of another file system", "true", "", "elsewhere", "a", CodeEFSAccessPointMismatch, "access denied by server"},
		{"network ACL", "true", nacl, "app", "a", CodeEFSMountUnreachable, "mount.nfs4: Connection timed out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.NewReplacer("HOSTNAMES", c.hostnames, "NACL", c.nacl, "AP", c.ap, "SUBNET", c.subnet).Replace(efsBase)
			path := filepath.Join(t.TempDir(), "efs.yaml")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			st, _ := build(t, path).Snapshot()
			var tk *model.Task
			for _, x := range st.Tasks {
				tk = x
			}
			if tk == nil {
				t.Fatal("no task")
			}
			if c.code == "" {
				if tk.LastStatus != model.TaskRunning {
					t.Fatalf("task %s: %s", tk.LastStatus, tk.StoppedReason)
				}
				return
			}
			if tk.LastStatus != model.TaskStopped || tk.StopCode != "TaskFailedToStart" || !strings.Contains(tk.StoppedReason, c.reason) ||
				!strings.HasPrefix(tk.StoppedReason, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: ") {
				t.Fatalf("task %s %s: %q", tk.LastStatus, tk.StopCode, tk.StoppedReason)
			}
			f := TaskStartFailure(st, tk)
			if f == nil || f.Code != c.code || f.Reason != tk.StoppedReason {
				t.Fatalf("start failure %+v, want %s", f, c.code)
			}
			if c.code == CodeEFSMountUnreachable && (f.Blocked == nil || f.Blocked.Code != CodeSubnetACLRestriction) {
				t.Errorf("blocked by %+v, want the network ACL", f.Blocked)
			}
			if c.hostnames == "false" && !strings.Contains(f.Why, "enableDnsHostnames") {
				t.Errorf("why %q", f.Why)
			}
		})
	}
}

// TestEFSBridgeHintNamesInstanceGroup: a bridge-mode task on EC2 mounts
// its EFS volume from the container instance's primary network interface,
// so a mount target group that admits only a tasks' group stops it, and
// the hint asks for the instances' group (aws/amazon-ecs-agent#2570).
func TestEFSBridgeHintNamesInstanceGroup(t *testing.T) {
	for _, mode := range []string{"bridge", "awsvpc"} {
		t.Run(mode, func(t *testing.T) {
			src := `vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw, dns_hostnames: true}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  instance-sg: {vpc: main}
  task-sg: {vpc: main}
  efs-sg: {vpc: main, ingress: [{protocol: tcp, ports: 2049, group: NOBODY}]}
file_systems:
  data:
    mount_targets: [{subnet: a, security_groups: [efs-sg]}]
instances:
  node: {subnet: a, instance_type: m5.large, security_groups: [instance-sg], public_ip: true, cluster: c}
clusters:
  c: {}
task_definitions:
  job:
    network_mode: MODE
    requires: [EC2]
    volumes:
      v: {file_system: data}
    containers:
      job: {image: public.ecr.aws/nginx/nginx:1.27, memory: 128}
tasks:
  job: {cluster: c, task_definition: job, launch_type: EC2TASKNET}
`
			nobody, tasknet := "task-sg", ""
			if mode == "awsvpc" {
				nobody, tasknet = "instance-sg", ", subnets: [a], security_groups: [task-sg]"
			}
			src = strings.NewReplacer("MODE", mode, "NOBODY", nobody, "TASKNET", tasknet).Replace(src)
			path := filepath.Join(t.TempDir(), "efs.yaml")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			st, _ := build(t, path).Snapshot()
			var tk *model.Task
			for _, x := range st.Tasks {
				tk = x
			}
			if tk == nil || tk.LastStatus != model.TaskStopped {
				t.Fatalf("task %+v", tk)
			}
			f := TaskStartFailure(st, tk)
			if f == nil || f.Code != CodeEFSMountUnreachable {
				t.Fatalf("start failure %+v (%s)", f, tk.StoppedReason)
			}
			hint := StartFixHint(f)
			instance := strings.Contains(hint, "the container instances' security group")
			if want := mode == "bridge"; instance != want || !strings.Contains(hint, "on security group efs-sg") {
				t.Errorf("%s: hint %q", mode, hint)
			}
		})
	}
}
