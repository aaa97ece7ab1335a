package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// TestRound34ListenerCertificate: an
// AWS::ElasticLoadBalancingV2::ListenerCertificate adds its certificate to
// the stack's HTTPS listener (DescribeListenerCertificates lists it beside
// the default); one naming a certificate the account does not hold fails
// the stack with ELB's CertificateNotFound, and the rollback completes.
// Before round thirty-four the type was a placeholder: the listener kept
// one certificate and a missing one was never looked at (CREATE_COMPLETE).
func TestRound34ListenerCertificate(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/sweep34/listener-certificate.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sni"), TemplateBody: aws.String(string(body))})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "sni")
	lc, err := c.elb.DescribeListenerCertificates(ctx, &elbv2.DescribeListenerCertificatesInput{ListenerArn: aws.String(outs["Listener"])})
	must(t, err)
	var extra []string
	for _, cert := range lc.Certificates {
		if !aws.ToBool(cert.IsDefault) {
			extra = append(extra, aws.ToString(cert.CertificateArn))
		}
	}
	if len(lc.Certificates) != 2 || !slices.Equal(extra, []string{outs["ApiCertificate"]}) {
		t.Errorf("the listener's certificates %+v, want the default and %s", lc.Certificates, outs["ApiCertificate"])
	}
	if outs["ListenerCertificate"] == "" {
		t.Error("Ref of the ListenerCertificate is empty")
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)

	missing := "arn:aws:acm:us-east-1:123456789012:certificate/0000aaaa-0000-0000-0000-000000000000"
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("sni-missing"), TemplateBody: aws.String(string(body)),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ExtraCertificateArn"), ParameterValue: aws.String(missing)},
			{ParameterKey: aws.String("Domain"), ParameterValue: aws.String("other.example.com")}}})
	must(t, err)
	id = aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "ApiListenerCertificate"); !strings.Contains(reason, "Certificate '"+missing+"' not found") {
		t.Errorf("ApiListenerCertificate failed with %q, want CertificateNotFound", reason)
	}
}

// TestRound34CertificateWaitAndTimeoutInMinutes: a stack waiting for an
// ACM certificate that is never validated (no zone of the account holds
// its name) fails when the create's TimeoutInMinutes runs out, not after
// CloudFormation's own wait for certificates: the certificate "Resource
// creation cancelled", the stack "Stack creation time exceeded the
// specified timeout. Rollback requested by user." and rolled back.
func TestRound34CertificateWaitAndTimeoutInMinutes(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	body := "Resources:\n  Cert:\n    Type: AWS::CertificateManager::Certificate\n    Properties:\n      DomainName: app.not-mine.example.org\n      ValidationMethod: DNS\n"
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("cert-wait"), TemplateBody: aws.String(body),
		TimeoutInMinutes: aws.Int32(30)})
	must(t, err)
	id := aws.ToString(out.StackId)
	clk.Advance(29 * time.Minute)
	time.Sleep(150 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("after 29 minutes: %s, want CREATE_IN_PROGRESS (TimeoutInMinutes 30)", st)
	}
	clk.Advance(2 * time.Minute)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "Cert"); reason != "Resource creation cancelled" {
		t.Errorf("Cert failed with %q, want Resource creation cancelled", reason)
	}
	ev := stackEventsOf(t, cf, id)
	if !slices.Contains(ev, "cert-wait ROLLBACK_IN_PROGRESS Stack creation time exceeded the specified timeout. Rollback requested by user.") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
}

// TestRound34SweepTemplates: what the round-thirty-four sweep found,
// through the Go SDK. eijikominami's vpcendpoint.yaml (Fn::ForEach over a
// parameter without a Default) deploys on a network stack's outputs, one
// endpoint per service (before: CreateStack refused "the collection Ref
// Services names no parameter"); a resource with a Description member
// deploys (before: "Invalid template resource property 'Description'");
// a missing export behind a failing resource refuses CreateStack
// (before: the stack was created and rolled back at the first resource).
func TestRound34SweepTemplates(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	read := func(name string) string {
		b, err := os.ReadFile("../cfn/testdata/sweep34/" + name)
		must(t, err)
		return string(b)
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("network"), TemplateBody: aws.String(read("endpoint-network.yaml"))})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	net := stackOutputs(t, cf, "network")
	param := func(k, v string) cfntypes.Parameter {
		return cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)}
	}
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("endpoints"),
		TemplateBody: aws.String(read("eijikominami-vpcendpoint.yaml")), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityAutoExpand},
		Parameters: []cfntypes.Parameter{param("SecurityGroupId", net["Group"]), param("Services", "ssm,ssmmessages"),
			param("SubnetIds", net["Subnets"]), param("VPCId", net["Vpc"])}})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	ids := stackPhysicalIDs(t, cf, "endpoints")
	for _, logical := range []string{"VPCEndpointForssm", "VPCEndpointForssmmessages"} {
		if !strings.HasPrefix(ids[logical], "vpce-") {
			t.Errorf("%s is %q, want an endpoint (resources %v)", logical, ids[logical], ids)
		}
	}

	described := "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Description: Where the alarms go\n  Group:\n    Type: AWS::EC2::SecurityGroup\n" +
		"    Description: The load balancer's group\n    Properties:\n      GroupDescription: lb\n      VpcId: " + net["Vpc"] + "\n"
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("described"), TemplateBody: aws.String(described)})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)

	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("imports"), TemplateBody: aws.String(read("import-after-failure.yaml"))})
	if err == nil || !strings.Contains(err.Error(), "No export named ecs-fargate-cfn-RepositoryName found") {
		t.Errorf("CreateStack with a missing export: %v, want ValidationError", err)
	}
}
