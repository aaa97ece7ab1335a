package cfn_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep34(name string) string { return filepath.Join("testdata", "sweep34", name) }

// TestSweep34ForEachOverParameterWithoutDefault: an Fn::ForEach whose
// collection is a Ref to a CommaDelimitedList parameter without a Default
// (eijikominami/aws-cloudformation-templates' vpcendpoint.yaml) expands
// with the value given at deploy time. Before round thirty-four the first
// reading of the template, before any values, refused it ("the collection
// Ref Services names no parameter"), at ecsnet check and at CreateChangeSet
// alike. A value with a dot in it makes a logical id CloudFormation
// refuses (the template writes ${Service}, not &{Service}); no value at
// all is the missing parameter's error.
func TestSweep34ForEachOverParameterWithoutDefault(t *testing.T) {
	res, err := cfn.Load(sweep34("foreach-endpoints.yaml"), map[string]string{"Services": "ssm,ssmmessages"})
	if err != nil {
		t.Fatal(err)
	}
	var services []string
	res.Engine.Read(func(st *model.State) {
		for _, ep := range st.VpcEndpoints {
			services = append(services, ep.ServiceName)
		}
	})
	slices.Sort(services)
	if want := []string{"com.amazonaws.us-east-1.ssm", "com.amazonaws.us-east-1.ssmmessages"}; !slices.Equal(services, want) {
		t.Errorf("endpoints %v, want %v", services, want)
	}
	_, err = cfn.Load(sweep34("foreach-endpoints.yaml"), map[string]string{"Services": "ecr.dkr"})
	if err == nil || !strings.Contains(err.Error(), "Resource name VPCEndpointForecr.dkr is non alphanumeric.") {
		t.Errorf("a service name with a dot: %v, want the non-alphanumeric resource name", err)
	}
	_, err = cfn.Load(sweep34("foreach-endpoints.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "Parameters: [Services] must have values") {
		t.Errorf("no value: %v, want the parameter's missing value", err)
	}
}

// TestSweep34ListenerCertificate: an
// AWS::ElasticLoadBalancingV2::ListenerCertificate adds its certificate to
// the HTTPS listener beside the default one (AddListenerCertificates).
// Before round thirty-four the type was not modelled: the listener kept
// its default certificate only.
func TestSweep34ListenerCertificate(t *testing.T) {
	res, err := cfn.Load(sweep34("listener-certificate.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var certs []string
	res.Engine.Read(func(st *model.State) {
		for _, l := range st.Listeners {
			if l.Protocol == "HTTPS" {
				certs = l.Certificates
			}
		}
	})
	if len(certs) != 2 || certs[0] == certs[1] {
		t.Fatalf("the listener's certificates %v, want its default and the ListenerCertificate's", certs)
	}
	for _, c := range certs {
		if !strings.HasPrefix(c, "arn:aws:acm:us-east-1:") {
			t.Errorf("certificate %q, want an ACM certificate of the stack", c)
		}
	}
}

// TestSweep34ResourceDescription: a resource may have a Description member
// beside Type and Properties (whennemuth/kuali-cloudformation's
// kuali_ecs/alb.yaml gives its load balancer and listener rule one), as
// CloudFormation takes it; a misspelled attribute is still refused. Before
// round thirty-four ecsnet refused the Description too ("Invalid template
// resource property 'Description'").
func TestSweep34ResourceDescription(t *testing.T) {
	const body = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Description: >\n      Where the alarms go.\n"
	if _, err := cfn.ParseTemplate("described.yaml", []byte(body)); err != nil {
		t.Errorf("a resource's Description: %v", err)
	}
	_, err := cfn.ParseTemplate("misspelled.yaml", []byte(strings.Replace(body, "Description:", "Descripton:", 1)))
	if err == nil || !strings.Contains(err.Error(), "Invalid template resource property 'Descripton'") {
		t.Errorf("a misspelled attribute: %v, want it refused", err)
	}
}

// TestSweep34ImportCheckedFirst: an Fn::ImportValue of an export no stack
// has refuses the template before any resource is created, even when a
// resource created before it would fail (yokawasa-sandbox/ecs-fargate-cfn's
// main.yaml: a nested stack from a bucket that does not exist, then one
// whose parameters import ${Prefix}-RepositoryName). Before round
// thirty-four ecsnet created in order and reported the first resource's
// failure.
func TestSweep34ImportCheckedFirst(t *testing.T) {
	_, err := cfn.Load(sweep34("import-after-failure.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "No export named ecs-fargate-cfn-RepositoryName found") {
		t.Errorf("deploy: %v, want the missing export first", err)
	}
}

// TestSweep34EijikominamiVPCEndpoints: eijikominami's vpcendpoint.yaml, as
// published, deployed with the parameters its README asks for on a
// network of ecsnet's own: one interface endpoint per service, each in
// both subnets. The services it is given must be names a logical id can
// hold (its key writes ${Service}); "ecr.dkr" is refused as CloudFormation
// refuses it.
func TestSweep34EijikominamiVPCEndpoints(t *testing.T) {
	e := cfn.NewEngine()
	net, err := cfn.ReadTemplate(sweep34("endpoint-network.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := cfn.Deploy(e, net, cfn.DeployOptions{StackName: "network"})
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	for _, o := range base.Outputs {
		outs[o.Name] = o.Value
	}
	tpl, err := cfn.ReadTemplate(sweep34("eijikominami-vpcendpoint.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"SecurityGroupId": outs["Group"], "Services": "ssm,ssmmessages,ec2messages",
		"SubnetIds": outs["Subnets"], "VPCId": outs["Vpc"]}
	if _, err := cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "endpoints", Parameters: params}); err != nil {
		t.Fatal(err)
	}
	subnets := map[string]int{}
	e.Read(func(st *model.State) {
		for _, ep := range st.VpcEndpoints {
			subnets[ep.ServiceName] = len(ep.Subnets)
		}
	})
	for _, svc := range []string{"ssm", "ssmmessages", "ec2messages"} {
		if n := subnets["com.amazonaws.us-east-1."+svc]; n != 2 {
			t.Errorf("the %s endpoint is in %d subnets, want 2 (endpoints %v)", svc, n, subnets)
		}
	}
	params["Services"] = "ecr.dkr"
	_, err = cfn.Deploy(e, tpl, cfn.DeployOptions{StackName: "ecr-endpoints", Parameters: params})
	if err == nil || !strings.Contains(err.Error(), "Resource name VPCEndpointForecr.dkr is non alphanumeric.") {
		t.Errorf("ecr.dkr: %v, want the non-alphanumeric resource name", err)
	}
}

// A listener on a certificate of the system the template is checked on
// (--base) that ACM has not issued is warned of: ELB refuses it
// (UnsupportedCertificate). Before, a base's certificates were known only
// by their ARN, so a pending one passed without a word.
func TestSweep34BasePendingCertificate(t *testing.T) {
	e := cfn.NewEngine()
	cert, err := e.RequestCertificate(engine.RequestCertificateInput{DomainName: "extra.example.org", ValidationMethod: "DNS"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(sweep34("listener-certificate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.ParseTemplate("listener-certificate.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfn.LoadStacks([]cfn.StackInput{{Template: tpl, Name: "s", Parameters: map[string]string{"ExtraCertificateArn": cert.ARN}}}, cfn.LoadOptions{Engine: e})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "is PENDING_VALIDATION, not ISSUED: the deploy fails (UnsupportedCertificate") {
			n++
			if !strings.Contains(w.String(), cert.ARN) {
				t.Errorf("the warning names another certificate: %s", w)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d warnings of the pending certificate, want 1 (the template's own certificates are issued): %v", n, res.Warnings)
	}
}
