package terraform_test

import (
	"strings"
	"testing"
)

// Round thirty-four, second sweep (docs/terraform-acceptance.md): what the
// public service-level configurations found in the reader.

// An aws_ami found again by the image-id of an ECS-optimized AMI parameter
// is that image, without the "Your query returned no results" warning (on
// AWS the parameter names a public image the filter finds); an image id no
// one publishes stays warned of.
func TestTF34bAMIByParameterImageID(t *testing.T) {
	res := load(t, "testdata/tf34b-ami-by-parameter", nil)
	var byParameter, unknown bool
	for _, w := range res.Warnings {
		byParameter = byParameter || strings.Contains(w.Msg, "data.aws_ami.by_parameter")
		unknown = unknown || strings.Contains(w.Msg, "data.aws_ami.unknown") && strings.Contains(w.Msg, "Your query returned no results")
	}
	if byParameter || !unknown {
		t.Errorf("warnings %v: want none for data.aws_ami.by_parameter and one for data.aws_ami.unknown", res.Warnings)
	}
	if res.Outputs["by_parameter"] == "" || res.Outputs["by_parameter"] != res.Outputs["parameter"] {
		t.Errorf("outputs %v: the image found by the parameter's id is the parameter's image", res.Outputs)
	}
}

// A service waiting for one of the listener rules that forward to its
// target group is not warned of the others (CreateService needs the group
// associated with a load balancer, which one rule does); a service waiting
// for none is.
func TestTF34bOneForwarderIsEnough(t *testing.T) {
	res := load(t, "testdata/tf34b-one-forwarder", nil)
	var web, api bool
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, "puts its target group behind the load balancer") {
			continue
		}
		web = web || strings.Contains(w.Msg, "aws_ecs_service.web")
		api = api || strings.Contains(w.Msg, "aws_ecs_service.api") && strings.Contains(w.Msg, "aws_lb_listener_rule.api_path") &&
			!strings.Contains(w.Msg, "web_path")
	}
	if web || !api {
		t.Errorf("warnings %v: want none for aws_ecs_service.web and one naming aws_lb_listener_rule.api_path alone for aws_ecs_service.api", res.Warnings)
	}
}

// A root output of a sensitive value (an SSM parameter's value, a variable
// declared sensitive) without sensitive = true is refused as Terraform
// refuses it; one marked sensitive, one unmarked by nonsensitive and one
// of a non-sensitive attribute are not.
func TestTF34bSensitiveRootOutput(t *testing.T) {
	errs := loadErrs(t, "testdata/tf34b-sensitive-output")
	var got []string
	for _, e := range errs {
		if strings.Contains(e.Msg, "Output refers to sensitive values") {
			got = append(got, e.Address)
		}
	}
	if strings.Join(got, ",") != "output.leaked,output.leaked_var" {
		t.Errorf("refused outputs %v, want output.leaked and output.leaked_var (errors: %v)", got, errs)
	}
}
