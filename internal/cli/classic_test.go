package cli

import (
	"strings"
	"testing"
)

// The Classic Load Balancer examples as CloudFormation and Terraform read
// them: AWS::ElasticLoadBalancing::LoadBalancer / aws_elb, an Auto Scaling
// group registered with it, and a bridge service naming it. A static host
// port answers 200; a dynamic one is refused by CreateService, as ECS
// refuses it, at the service's line.
func TestClassicLoadBalancerTemplates(t *testing.T) {
	for _, c := range []struct{ source, param, at string }{
		{"examples/classic/clb-bridge.cfn.yaml", "HostPort=0", "examples/classic/clb-bridge.cfn.yaml:"},
		{"examples/classic/terraform", "host_port=0", "examples/classic/terraform/main.tf:"},
	} {
		code, out, errs := run(t, "probe", c.source, "--from", "internet", "--to", "legacy-web:80")
		if code != ExitOK || !strings.Contains(out, "tcp/80: HTTP 200") {
			t.Errorf("%s: exit %d\n%s%s", c.source, code, out, errs)
		}
		code, out, errs = run(t, "probe", c.source, "--param", c.param, "--from", "internet", "--to", "legacy-web:80")
		if code == ExitOK || !strings.Contains(errs, c.at) || !strings.Contains(errs, "InvalidParameterException: A host port mapping for the container port 80 is required.") {
			t.Errorf("%s with %s: exit %d\n%s%s", c.source, c.param, code, out, errs)
		}
	}
}

// ecsnet show lists a Classic Load Balancer in its VPC: the health check,
// its nodes, and each listener's instance port and registered instances.
func TestShowClassicLoadBalancer(t *testing.T) {
	code, out, errs := run(t, "show", "examples/classic/clb-bridge.yaml")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"load balancer web-elb (classic, internet-facing)", "health check HTTP:8080/health",
		"(Classic Load Balancer web-elb)", "listener HTTP:80 forward → instance port 8080 of i-"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}
