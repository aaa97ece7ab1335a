package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

const nlbALBHealthStory = "examples/failures/analyzer-only/nlb-alb-target-health-check-sg.yaml"

// An NLB's health checks of an Application Load Balancer target: sent to
// the ALB's listener on the health check port from the NLB's nodes, judged
// by the ALB's security groups, answered by the ALB's rules and targets,
// and checked against 200-399.
func TestNLBHealthChecksALBTarget(t *testing.T) {
	const partner = "internet:198.51.100.20"
	const sgVPC = "ingress: [{protocol: tcp, ports: 80, cidr: 198.51.100.0/24}, {protocol: tcp, ports: 80, cidr: 10.0.0.0/16}]}"
	const sgPartner = "ingress: [{protocol: tcp, ports: 80, cidr: 198.51.100.0/24}]}"
	t.Run("the ALB's group drops the NLB's nodes", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBHealthStory))
		hs := TargetHealth(n, tgARN(t, n, "billing-alb-tg"))
		if len(hs) != 1 || hs[0].State != HealthUnhealthy || hs[0].Reason != ReasonTimeout {
			t.Fatalf("health %+v: want unhealthy, Target.Timeout", hs)
		}
		r := probeSpec(t, n, partner, "partner-nlb:80", "tcp")
		if r.Verdict != HTTP200 {
			t.Fatalf("verdict %s (%s): the NLB fails open", r.Verdict, codeList(r))
		}
		var found bool
		for _, e := range r.Explanations {
			if e.Code == CodeTargetUnhealthy {
				found = true
				if e.Decided == nil || e.Decided.Name != "billing-alb-sg" || !strings.Contains(e.Message, "partner-nlb") {
					t.Errorf("unhealthy %+v: want decided by billing-alb-sg, naming the NLB's node", e)
				}
			}
		}
		if !found || !r.HasCode(CodeALBFailOpen) {
			t.Errorf("codes %s: want %s and %s", codeList(r), CodeTargetUnhealthy, CodeALBFailOpen)
		}
	})
	t.Run("admitting the VPC heals it", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBHealthStory, sgPartner, sgVPC))
		if hs := TargetHealth(n, tgARN(t, n, "billing-alb-tg")); len(hs) != 1 || hs[0].State != HealthHealthy {
			t.Fatalf("health %+v: want healthy", hs)
		}
		checkClean(t, probeSpec(t, n, partner, "partner-nlb:80", "tcp"), HTTP200)
	})
	t.Run("the ALB's targets answer the path 404", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBHealthStory, sgPartner, sgVPC,
			"health_check: {protocol: HTTP, path: /health}", "health_check: {protocol: HTTP, path: /healthz}"))
		hs := TargetHealth(n, tgARN(t, n, "billing-alb-tg"))
		if len(hs) != 1 || hs[0].Reason != ReasonResponseCodeMismatch || !strings.Contains(hs[0].Description, "[404]") {
			t.Fatalf("health %+v: want ResponseCodeMismatch [404]", hs)
		}
	})
	t.Run("the ALB's own targets unhealthy and gone: 503", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBHealthStory, sgPartner, sgVPC, "desired: 2", "desired: 0"))
		hs := TargetHealth(n, tgARN(t, n, "billing-alb-tg"))
		if len(hs) != 1 || hs[0].Reason != ReasonResponseCodeMismatch || !strings.Contains(hs[0].Description, "[503]") {
			t.Fatalf("health %+v: want ResponseCodeMismatch [503]", hs)
		}
	})
	t.Run("an HTTPS check on the ALB's HTTP listener", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBHealthStory, sgPartner, sgVPC,
			"health_check: {protocol: HTTP, path: /health}", "health_check: {protocol: HTTPS, path: /health}"))
		hs := TargetHealth(n, tgARN(t, n, "billing-alb-tg"))
		if len(hs) != 1 || hs[0].Reason != ReasonFailedHealthChecks {
			t.Fatalf("health %+v: want FailedHealthChecks (the handshake fails)", hs)
		}
		r := probeSpec(t, n, partner, "partner-nlb:80", "tcp")
		for _, e := range r.Explanations {
			if e.Code == CodeTargetUnhealthy && !strings.Contains(e.Message, "TLS handshake") {
				t.Errorf("message %q: want the handshake", e.Message)
			}
		}
	})
	t.Run("a health check port with no ALB listener", func(t *testing.T) {
		n := compileEngine(storyEngine(t, nlbALBHealthStory, sgPartner, sgVPC,
			"health_check: {protocol: HTTP, path: /health}", "health_check: {protocol: HTTP, path: /health, port: \"8443\"}"))
		hs := TargetHealth(n, tgARN(t, n, "billing-alb-tg"))
		if len(hs) != 1 || hs[0].Reason != ReasonTimeout {
			t.Fatalf("health %+v: want Target.Timeout (no listener on 8443)", hs)
		}
	})
}

const clbProxyStory = "examples/failures/analyzer-only/clb-proxy-protocol-app-not-reading.yaml"

// A Classic Load Balancer's proxy protocol v1 (a ProxyProtocolPolicyType
// policy on the instance port) against the application's: a line the
// application does not read is answered 400; one it expects and does not
// get closes the connection (502 behind an HTTP listener); an HTTP health
// check never carries the line.
func TestClassicProxyProtocol(t *testing.T) {
	const appReads = "serves: {/: 200, /health: 200}\n        proxy_protocol: true"
	const policy = "    proxy_protocol: [8080]\n"
	const tcpCheck = `health_check: {target: "TCP:8080"}`
	t.Run("a line the application does not read", func(t *testing.T) {
		n := compileEngine(storyEngine(t, clbProxyStory))
		r := probeSpec(t, n, "internet", "shop-elb:80", "tcp")
		byCode := check(t, r, HTTPVerdict(400), CodeClassicProxyProtocolMismatch)
		if e := byCode[CodeClassicProxyProtocolMismatch]; e.Component == nil || e.Component.Name != "shop-elb" || !strings.Contains(e.Message, "PROXY TCP4") {
			t.Errorf("explanation %+v", e)
		}
		for _, h := range ClassicInstanceHealth(n, "shop-elb") {
			if h.State != "InService" {
				t.Errorf("health %+v: an HTTP health check carries no PROXY line, so it passes", h)
			}
		}
	})
	t.Run("the application reads it", func(t *testing.T) {
		n := compileEngine(storyEngine(t, clbProxyStory, "serves: {/: 200, /health: 200}", appReads, `"HTTP:8080/health"`, `"TCP:8080"`))
		checkClean(t, probeSpec(t, n, "internet", "shop-elb:80", "tcp"), Connected)
	})
	t.Run("the application expects it and gets none", func(t *testing.T) {
		n := compileEngine(storyEngine(t, clbProxyStory, "serves: {/: 200, /health: 200}", appReads, policy, "", `health_check: {target: "HTTP:8080/health"}`, tcpCheck))
		r := probeSpec(t, n, "internet", "shop-elb:80", "tcp")
		byCode := check(t, r, Refused, CodeClassicProxyProtocolMismatch)
		if m := byCode[CodeClassicProxyProtocolMismatch].Message; !strings.Contains(m, "closes the connection") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("an HTTP listener sends none: 502", func(t *testing.T) {
		n := compileEngine(storyEngine(t, clbProxyStory, "serves: {/: 200, /health: 200}", appReads,
			"{port: 80, protocol: TCP, instance_port: 8080}", "{port: 80, protocol: HTTP, instance_port: 8080}", `health_check: {target: "HTTP:8080/health"}`, tcpCheck))
		r := probeSpec(t, n, "internet", "shop-elb:80", "tcp")
		byCode := check(t, r, HTTP502, CodeClassicProxyProtocolMismatch)
		if m := byCode[CodeClassicProxyProtocolMismatch].Message; !strings.Contains(m, "TCP and SSL back ends only") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("an HTTP health check carries no line", func(t *testing.T) {
		n := compileEngine(storyEngine(t, clbProxyStory, "serves: {/: 200, /health: 200}", appReads))
		hs := ClassicInstanceHealth(n, "shop-elb")
		if len(hs) != 2 {
			t.Fatalf("health %+v", hs)
		}
		for _, h := range hs {
			if h.State != "OutOfService" || h.Description != ClassicFailedChecks {
				t.Errorf("health %+v: want OutOfService", h)
			}
		}
		r := probeSpec(t, n, "internet", "shop-elb:80", "tcp")
		check(t, r, Refused, CodeClassicNoInService)
		var said bool
		for _, e := range r.Explanations {
			said = said || e.Code == CodeTargetUnhealthy && strings.Contains(e.Message, "carries no proxy protocol line")
		}
		if !said {
			t.Errorf("no unhealthy explanation naming the missing line: %s", codeList(r))
		}
	})
}

const hecZoneStory = "examples/failures/analyzer-only/splunk-hec-private-zone-other-vpc.yaml"

// A log collector named in a Route 53 hosted zone is looked up as the
// task's resolver looks it up: through the private zones associated with
// its VPC (NXDOMAIN from a zone of other VPCs only), to the record's
// address, whose path the security groups then decide; a name no zone
// covers stays on the internet.
func TestLogCollectorByPrivateZoneName(t *testing.T) {
	ledger := func(t *testing.T, n *Network) []StartFailure {
		t.Helper()
		for _, s := range n.st.Services {
			if s.Name == "ledger" {
				return ServiceStartFailures(n, s)
			}
		}
		t.Fatal("no service ledger")
		return nil
	}
	t.Run("a zone of another VPC: NXDOMAIN", func(t *testing.T) {
		e := storyEngine(t, hecZoneStory)
		tk := taskNamed(t, stateOf(e), "ledger/0")
		if tk.LastStatus != model.TaskStopped || !strings.HasSuffix(tk.StoppedReason, "dial tcp: lookup hec.logging.internal on 10.0.0.2:53: no such host") {
			t.Fatalf("ledger/0 is %s: %q", tk.LastStatus, tk.StoppedReason)
		}
		fs := ledger(t, compileEngine(e))
		if len(fs) == 0 || fs[0].Code != CodeLogDriverUnreachable || fs[0].Verdict != NXDomain || fs[0].Blocked == nil || fs[0].Blocked.Code != CodePrivateZoneNotAssociated {
			t.Fatalf("%+v", fs)
		}
	})
	t.Run("associated: the record's address, reached", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hecZoneStory, "vpcs: [staging]", "vpcs: [staging, main]"))
		if fs := ledger(t, n); len(fs) != 0 {
			t.Fatalf("%+v", fs)
		}
		checkClean(t, probeSpec(t, n, "internet", "payments-alb:80", "tcp"), HTTP200)
	})
	t.Run("associated: the collector's group decides", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hecZoneStory, "vpcs: [staging]", "vpcs: [staging, main]", "ports: 8088, group: task-sg", "ports: 8088, group: alb-sg"))
		fs := ledger(t, n)
		if len(fs) == 0 || fs[0].Code != CodeLogDriverUnreachable || fs[0].Verdict != Timeout || !strings.Contains(fs[0].Why, "hec-sg") {
			t.Fatalf("%+v", fs)
		}
	})
	t.Run("the record missing from the associated zone", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hecZoneStory, "vpcs: [staging]", "vpcs: [staging, main]", "hec: {values", "splunk: {values"))
		fs := ledger(t, n)
		if len(fs) == 0 || fs[0].Verdict != NXDomain || fs[0].Blocked == nil || fs[0].Blocked.Code != CodeDNSRecordMissing {
			t.Fatalf("%+v", fs)
		}
	})
}

const hostRoleStory = "examples/failures/host-mode-task-role-network-host-off.yaml"

// requiresAttributes: a task role in the host network mode needs the
// container instance attribute ecs.capability.task-iam-role-network-host,
// which the agent registers unless ecs.config turns host-mode task roles
// off; without it ECS places no task ("missing an attribute").
func TestHostModeTaskRoleAttribute(t *testing.T) {
	const off = "      echo ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false >> /etc/ecs/ecs.config\n"
	t.Run("host-mode task roles off", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hostRoleStory))
		r := probeSpec(t, n, "internet", "metrics-alb:80", "tcp")
		byCode := check(t, r, HTTP503, CodePlacementMissingAttribute)
		if m := byCode[CodePlacementMissingAttribute].Message; !strings.Contains(m, model.AttrTaskIAMRoleNetworkHost) || !strings.Contains(m, "is missing an attribute required by your task") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("the agent's default", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hostRoleStory, off, ""))
		checkClean(t, probeSpec(t, n, "internet", "metrics-alb:80", "tcp"), HTTP200)
	})
	t.Run("no task role", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hostRoleStory, "    task_role_arn: arn:aws:iam::123456789012:role/exporter-task\n", ""))
		checkClean(t, probeSpec(t, n, "internet", "metrics-alb:80", "tcp"), HTTP200)
	})
	t.Run("bridge mode needs the task-iam-role attribute only", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hostRoleStory, "network_mode: host", "network_mode: bridge", "ports: [9100]", `ports: ["9100:9100"]`))
		checkClean(t, probeSpec(t, n, "internet", "metrics-alb:80", "tcp"), HTTP200)
	})
	t.Run("task roles off altogether", func(t *testing.T) {
		n := compileEngine(storyEngine(t, hostRoleStory, "network_mode: host", "network_mode: bridge", "ports: [9100]", `ports: ["9100:9100"]`, "echo ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false", "echo ECS_ENABLE_TASK_IAM_ROLE=false"))
		r := probeSpec(t, n, "internet", "metrics-alb:80", "tcp")
		byCode := check(t, r, HTTP503, CodePlacementMissingAttribute)
		if m := byCode[CodePlacementMissingAttribute].Message; !strings.Contains(m, model.AttrTaskIAMRole) {
			t.Errorf("message %q", m)
		}
	})
}
