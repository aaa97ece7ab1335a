package cfn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// deploySweep26 deploys a round twenty-six fixture on a fresh engine.
func deploySweep26(t *testing.T, name string, params map[string]string) (*cfn.Stack, *model.State, error) {
	t.Helper()
	tpl, err := cfn.ReadTemplate("testdata/sweep26/" + name)
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	s, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "sweep26", Parameters: params})
	st, _ := e.Snapshot()
	return s, st, err
}

// TestSweep26CloudMapHTTPHealthCheck: Cloud Map takes a Route 53 health
// check on a service of an HTTP namespace ("Public DNS and HTTP namespaces
// only"; the CDK's service-with-http-namespace test deploys one), and an
// IP instance registers in it. Before round twenty-six ecsnet refused it as
// it refuses a private DNS namespace's, which it still does.
func TestSweep26CloudMapHTTPHealthCheck(t *testing.T) {
	s, st, err := deploySweep26(t, "cloudmap-http-health.yaml", nil)
	if err != nil {
		t.Fatalf("HTTP namespace: %v, want the stack created", err)
	}
	d := st.DiscoveryServices[output(t, s, "ServiceId")]
	if d == nil || d.HealthCheck == nil || d.HealthCheck.Type != "HTTP" || d.Type != "HTTP" {
		t.Fatalf("discovery service = %+v, want an HTTP service with its HTTP health check", d)
	}
	if n := len(engine.SDInstances(st, d.ID)); n != 1 {
		t.Errorf("%d instances registered, want 1", n)
	}
	_, _, err = deploySweep26(t, "cloudmap-http-health.yaml", map[string]string{"NamespaceType": "private"})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "IpService" || !strings.Contains(ce.Msg, "HealthCheckConfig is only supported for services in public DNS namespaces and HTTP namespaces.") {
		t.Errorf("private DNS namespace: %v, want IpService refused by Cloud Map", err)
	}
}

// TestSweep26CloudMapSRVCombinations: SRV records combine with A, with
// AAAA and with both (aws/aws-cdk#38669's integration test, deployed in
// us-east-1), and an instance with both addresses and a port registers.
// Before round twenty-six ecsnet refused A, AAAA and SRV together. A CNAME
// beside another record is still refused.
func TestSweep26CloudMapSRVCombinations(t *testing.T) {
	s, st, err := deploySweep26(t, "cloudmap-srv-combinations.yaml", nil)
	if err != nil {
		t.Fatalf("A, AAAA and SRV: %v, want the stack created", err)
	}
	d := st.DiscoveryServices[output(t, s, "ServiceId")]
	if d == nil || len(d.DNSRecords) != 3 || !d.HasRecord("A") || !d.HasRecord("AAAA") || !d.HasRecord("SRV") {
		t.Fatalf("discovery service = %+v, want A, AAAA and SRV records", d)
	}
	if n := len(engine.SDInstances(st, d.ID)); n != 1 {
		t.Errorf("%d instances registered, want 1", n)
	}
	_, _, err = deploySweep26(t, "cloudmap-srv-combinations.yaml", map[string]string{"WithCname": "yes"})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "AAaaaSrv" || !strings.Contains(ce.Msg, "a CNAME record cannot be combined") {
		t.Errorf("A and CNAME: %v, want AAaaaSrv refused by Cloud Map", err)
	}
}

// TestSweep26ASGHealthCheckTypes: an Auto Scaling group's HealthCheckType
// is a comma-separated list of EC2, EBS, ELB and VPC_LATTICE (the CDK's
// health-checks test deploys "EBS,ELB,VPC_LATTICE"); ELB among them makes
// the group take its target group's health checks. Before round
// twenty-six ecsnet took only EC2 or ELB alone and refused the list. An
// unknown type is still refused.
func TestSweep26ASGHealthCheckTypes(t *testing.T) {
	s, st, err := deploySweep26(t, "asg-health-check-types.yaml", nil)
	if err != nil {
		t.Fatalf("EBS,ELB,VPC_LATTICE: %v, want the stack created", err)
	}
	g := st.AutoScalingGroups[output(t, s, "GroupName")]
	if g == nil || g.HealthCheckType != "EBS,ELB,VPC_LATTICE" || !g.ELBHealthCheck() {
		t.Fatalf("group = %+v, want HealthCheckType EBS,ELB,VPC_LATTICE with the ELB check", g)
	}
	s, st, err = deploySweep26(t, "asg-health-check-types.yaml", map[string]string{"HealthCheckType": "EC2,EBS"})
	if err != nil {
		t.Fatalf("EC2,EBS: %v, want the stack created", err)
	}
	if g := st.AutoScalingGroups[output(t, s, "GroupName")]; g == nil || g.ELBHealthCheck() {
		t.Errorf("EC2,EBS: group = %+v, want no ELB check", g)
	}
	_, _, err = deploySweep26(t, "asg-health-check-types.yaml", map[string]string{"HealthCheckType": "EC2,FOO"})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Group" || !strings.Contains(ce.Msg, "Health check type 'EC2,FOO' is not valid") {
		t.Errorf("EC2,FOO: %v, want Group refused", err)
	}
}

// TestSweep26EndpointServicePermissions:
// AWS::EC2::VPCEndpointServicePermissions adds its AllowedPrincipals to
// its service (ModifyVpcEndpointServicePermissions), a service principal
// (ec2.amazonaws.com, as the CDK's vpc-endpoint-service test deploys)
// among them; its Ref is the service's id. Before round twenty-six the
// type was not modelled (and the engine refused a service principal); a
// name that is no principal is refused, "Invalid Principal".
func TestSweep26EndpointServicePermissions(t *testing.T) {
	s, st, err := deploySweep26(t, "endpoint-service-permissions.yaml", nil)
	if err != nil {
		t.Fatalf("%v, want the stack created", err)
	}
	svc := st.EndpointServices[model.EndpointServiceID(output(t, s, "ServiceId"))]
	if svc == nil {
		t.Fatalf("no endpoint service %s (the permissions' Ref)", output(t, s, "ServiceId"))
	}
	var got []string
	for _, p := range svc.Principals {
		got = append(got, p.ARN)
	}
	if strings.Join(got, " ") != "arn:aws:iam::123456789012:root ec2.amazonaws.com" {
		t.Errorf("principals %q, want the account's root and ec2.amazonaws.com", got)
	}
	_, _, err = deploySweep26(t, "endpoint-service-permissions.yaml", map[string]string{"Principal": "not-a-principal"})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Permissions" || !strings.Contains(ce.Msg, "Invalid Principal: 'not-a-principal'") {
		t.Errorf("not-a-principal: %v, want Permissions refused", err)
	}
}

// TestSweep26JwtValidation: an ALB HTTPS listener's jwt-validation action
// (ALB's JWT verification, the CDK's alb.jwt test) is kept with its issuer
// and key set endpoint, before the fixed response it passes requests on
// to. Before round twenty-six ecsnet refused the action type (not in its
// enum). An HTTP listener's is refused.
func TestSweep26JwtValidation(t *testing.T) {
	s, st, err := deploySweep26(t, "alb-jwt-validation.yaml", nil)
	if err != nil {
		t.Fatalf("%v, want the stack created", err)
	}
	l := st.Listeners[output(t, s, "ListenerArn")]
	if l == nil || len(l.DefaultActions) != 2 || l.DefaultActions[0].Type != "jwt-validation" || l.DefaultActions[0].JwtValidation == nil ||
		l.DefaultActions[0].JwtValidation.Issuer != "https://example.auth.us-east-1.amazoncognito.com" || l.DefaultActions[1].Type != "fixed-response" {
		t.Fatalf("listener = %+v, want jwt-validation then fixed-response", l)
	}
	_, _, err = deploySweep26(t, "alb-jwt-validation.yaml", map[string]string{"Protocol": "HTTP"})
	var ce *cfn.Error
	if !errors.As(err, &ce) || ce.Resource != "Listener" || !strings.Contains(ce.Msg, "Action type 'jwt-validation' is supported only for HTTPS listeners") {
		t.Errorf("HTTP listener: %v, want Listener refused", err)
	}
}
