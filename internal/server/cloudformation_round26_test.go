package server_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// createRound26 creates a stack of a sweep26 fixture with the parameters
// given (key, value pairs).
func createRound26(t *testing.T, cf *cloudformation.Client, name, file string, kv ...string) string {
	t.Helper()
	body, err := os.ReadFile("../cfn/testdata/sweep26/" + file)
	must(t, err)
	var params []cfntypes.Parameter
	for i := 0; i+1 < len(kv); i += 2 {
		params = append(params, cfntypes.Parameter{ParameterKey: aws.String(kv[i]), ParameterValue: aws.String(kv[i+1])})
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(string(body)), Parameters: params})
	must(t, err)
	return aws.ToString(out.StackId)
}

// round26Output returns a stack's output value.
func round26Output(t *testing.T, cf *cloudformation.Client, id, key string) string {
	t.Helper()
	out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if v := stackOutput(out, key); v != "" {
		return v
	}
	t.Fatalf("stack %s has no output %s", id, key)
	return ""
}

// TestCloudFormationRound26CloudMap deploys round twenty-six's Cloud Map
// fixtures as the CDK's integration tests deploy their constructs: a
// Route 53 health check on a service of an HTTP namespace, and A, AAAA
// and SRV records together (both refused before round twenty-six). Cloud
// Map's GetService answers them; a private DNS namespace's health check
// and a CNAME beside an A record still fail the stack.
func TestCloudFormationRound26CloudMap(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	sd := servicediscovery.NewFromConfig(sdkConfig(), func(o *servicediscovery.Options) { o.BaseEndpoint = aws.String(em.URL) })

	id := createRound26(t, cf, "http-health", "cloudmap-http-health.yaml")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	svc, err := sd.GetService(ctx, &servicediscovery.GetServiceInput{Id: aws.String(round26Output(t, cf, id, "ServiceId"))})
	must(t, err)
	if hc := svc.Service.HealthCheckConfig; hc == nil || aws.ToString(hc.ResourcePath) != "/check" || string(svc.Service.Type) != "HTTP" {
		t.Errorf("GetService = %+v, want an HTTP service with its /check health check", svc.Service)
	}
	id = createRound26(t, cf, "private-health", "cloudmap-http-health.yaml", "NamespaceType", "private")
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "IpService"); !strings.Contains(reason, "HealthCheckConfig is only supported for services in public DNS namespaces and HTTP namespaces.") {
		t.Errorf("IpService's reason %q, want Cloud Map's refusal", reason)
	}

	id = createRound26(t, cf, "srv", "cloudmap-srv-combinations.yaml")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	svc, err = sd.GetService(ctx, &servicediscovery.GetServiceInput{Id: aws.String(round26Output(t, cf, id, "ServiceId"))})
	must(t, err)
	var types []string
	for _, r := range svc.Service.DnsConfig.DnsRecords {
		types = append(types, string(r.Type))
	}
	if got := strings.Join(types, ","); got != "A,AAAA,SRV" {
		t.Errorf("records %s, want A,AAAA,SRV", got)
	}
	id = createRound26(t, cf, "cname", "cloudmap-srv-combinations.yaml", "WithCname", "yes")
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "AAaaaSrv"); !strings.Contains(reason, "a CNAME record cannot be combined with other record types") {
		t.Errorf("AAaaaSrv's reason %q, want Cloud Map's refusal", reason)
	}
}

// TestCloudFormationRound26HealthCheckTypes deploys an Auto Scaling group
// whose HealthCheckType is "EBS,ELB,VPC_LATTICE" (the CDK's health-checks
// test): DescribeAutoScalingGroups answers the list as given (before round
// twenty-six the group failed, "Health check type … is not valid").
func TestCloudFormationRound26HealthCheckTypes(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	asg := autoscaling.NewFromConfig(sdkConfig(), func(o *autoscaling.Options) { o.BaseEndpoint = aws.String(em.URL) })
	id := createRound26(t, cf, "hc", "asg-health-check-types.yaml")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	out, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{round26Output(t, cf, id, "GroupName")}})
	must(t, err)
	if len(out.AutoScalingGroups) != 1 || aws.ToString(out.AutoScalingGroups[0].HealthCheckType) != "EBS,ELB,VPC_LATTICE" {
		t.Errorf("groups %+v, want one with HealthCheckType EBS,ELB,VPC_LATTICE", out.AutoScalingGroups)
	}
}

// TestCloudFormationRound26EndpointServicePermissions deploys an
// AWS::EC2::VPCEndpointServicePermissions (not modelled before round
// twenty-six) whose principals include a service principal:
// DescribeVpcEndpointServicePermissions lists them with their types, an
// update replaces the service principal in place, and deleting the stack
// takes them away with the service.
func TestCloudFormationRound26EndpointServicePermissions(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ec := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	principals := func(id string) string {
		t.Helper()
		out, err := ec.DescribeVpcEndpointServicePermissions(ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: aws.String(id)})
		must(t, err)
		var got []string
		for _, p := range out.AllowedPrincipals {
			got = append(got, aws.ToString(p.Principal)+"/"+string(p.PrincipalType))
		}
		slices.Sort(got)
		return strings.Join(got, " ")
	}
	id := createRound26(t, cf, "vpce-perms", "endpoint-service-permissions.yaml")
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	svc := round26Output(t, cf, id, "ServiceId")
	if got, want := principals(svc), "arn:aws:iam::123456789012:root/Account ec2.amazonaws.com/Service"; got != want {
		t.Errorf("principals %q, want %q", got, want)
	}
	_, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Principal"), ParameterValue: aws.String("elasticloadbalancing.amazonaws.com")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if got, want := principals(svc), "arn:aws:iam::123456789012:root/Account elasticloadbalancing.amazonaws.com/Service"; got != want {
		t.Errorf("after the update: principals %q, want %q", got, want)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if _, err := ec.DescribeVpcEndpointServicePermissions(ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: aws.String(svc)}); err == nil {
		t.Errorf("the service %s outlived its stack", svc)
	}
}

// TestCloudFormationRound26JwtValidation deploys an HTTPS listener whose
// default actions are jwt-validation then a fixed response (the CDK's
// alb.jwt test; refused before round twenty-six), on an IAM server
// certificate: DescribeListeners answers the action's issuer and key set
// endpoint, and CreateRule takes one through the API.
func TestCloudFormationRound26JwtValidation(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	lb := elbv2.NewFromConfig(sdkConfig(), func(o *elbv2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	body, err := os.ReadFile("testdata/certs/cert1.pem")
	must(t, err)
	key, err := os.ReadFile("testdata/certs/key1.pem")
	must(t, err)
	cert, err := iamClient(em.URL).UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("jwt"),
		CertificateBody: aws.String(string(body)), PrivateKey: aws.String(string(key))})
	must(t, err)
	id := createRound26(t, cf, "jwt", "alb-jwt-validation.yaml", "CertificateArn", aws.ToString(cert.ServerCertificateMetadata.Arn))
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	listener := round26Output(t, cf, id, "ListenerArn")
	out, err := lb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{listener}})
	must(t, err)
	acts := out.Listeners[0].DefaultActions
	if len(acts) != 2 || acts[0].Type != elbtypes.ActionTypeEnumJwtValidation || acts[0].JwtValidationConfig == nil ||
		aws.ToString(acts[0].JwtValidationConfig.JwksEndpoint) != "https://example.auth.us-east-1.amazoncognito.com/.well-known/jwks.json" {
		t.Fatalf("default actions %+v, want jwt-validation with its key set endpoint, then the fixed response", acts)
	}
	rule, err := lb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: aws.String(listener), Priority: aws.Int32(10),
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/additional*"}}},
		Actions: []elbtypes.Action{
			{Type: elbtypes.ActionTypeEnumJwtValidation, Order: aws.Int32(1), JwtValidationConfig: &elbtypes.JwtValidationActionConfig{
				Issuer: aws.String("https://issuer.example.com"), JwksEndpoint: aws.String("https://issuer.example.com/jwks.json")}},
			{Type: elbtypes.ActionTypeEnumFixedResponse, Order: aws.Int32(2), FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200")}},
		}})
	must(t, err)
	if a := rule.Rules[0].Actions[0]; a.JwtValidationConfig == nil || aws.ToString(a.JwtValidationConfig.Issuer) != "https://issuer.example.com" {
		t.Errorf("rule action %+v, want the jwt-validation issuer", a)
	}
}
