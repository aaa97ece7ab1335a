package reach

import "testing"

// An application port no port mapping names answers in the awsvpc and
// host network modes (nothing publishes ports: the task's namespace owns
// its ENI, a host container shares the instance's), and not in bridge
// mode (only the published host ports reach the container). A port the
// application does not bind stays refused in every mode.
func TestUnmappedAppPorts(t *testing.T) {
	e := buildFromText(t, `
name: unmapped-app-ports
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public, public_ip_on_launch: true}
route_tables:
  public: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}
security_groups:
  open: {vpc: main, ingress: [{protocol: tcp, ports: 0-65535, cidr: 10.0.0.0/16}]}
launch_templates:
  node:
    instance_type: t3.large
    security_groups: [open]
    user_data: |
      #!/bin/bash
      echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config
auto_scaling_groups:
  asg: {launch_template: node, desired: 1, subnets: [a]}
instances:
  client: {subnet: a, security_groups: [open]}
clusters:
  demo: {}
task_definitions:
  vpc:
    network_mode: awsvpc
    requires: [EC2]
    containers:
      app: {image: public.ecr.aws/nginx/nginx:1.27, memory: 128, ports: [80], app_ports: [80, 8081]}
  bridged:
    network_mode: bridge
    requires: [EC2]
    containers:
      app: {image: public.ecr.aws/nginx/nginx:1.27, memory: 128, ports: ["8090:80"], app_ports: [80, 9090]}
  hosted:
    network_mode: host
    requires: [EC2]
    containers:
      app: {image: public.ecr.aws/nginx/nginx:1.27, memory: 128, ports: [7070], app_ports: [7070, 7071]}
services:
  vpc: {cluster: demo, task_definition: vpc, desired: 1, launch_type: EC2, subnets: [a], security_groups: [open]}
  bridged: {cluster: demo, task_definition: bridged, desired: 1, launch_type: EC2}
  hosted: {cluster: demo, task_definition: hosted, desired: 1, launch_type: EC2}
`)
	n := compileEngine(e)
	for _, c := range []struct {
		to   string
		want Verdict
	}{
		{"vpc:80", Connected},
		{"vpc:8081", Connected}, // not mapped: awsvpc answers
		{"vpc:8082", Refused},   // not bound
		{"bridged:8090", Connected},
		{"bridged:9090", Refused}, // not published: bridge does not answer
		{"hosted:7070", Connected},
		{"hosted:7071", Connected}, // not mapped: the instance's namespace answers
	} {
		r := Probe(n, mustQuery(t, n, "client", c.to))
		if r.Verdict != c.want {
			t.Errorf("client → %s = %s, want %s: %s", c.to, r.Verdict, c.want, r.Summary)
		}
	}
}
