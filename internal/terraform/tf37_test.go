package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Round thirty-seven (docs/terraform-acceptance.md, "Round thirty-seven"):
// Terraform as users write it.

// A count or for_each that the reader knows (it created what it depends
// on) but terraform plan does not (ids, ARNs and data sources read at
// apply are "known after apply") is refused with Terraform's text at its
// line, the seven that terraform 1.11.4 with hashicorp/aws 5.100.0 refuses
// in testdata/tf37-unknown-count and none of the five it plans.
func TestTF37UnknownCountAtPlan(t *testing.T) {
	es := loadErrs(t, "testdata/tf37-unknown-count")
	var got []string
	for _, e := range es {
		got = append(got, filepath.Base(e.File)+":"+strconv.Itoa(e.Line)+" "+e.Address+" "+strings.SplitN(e.Msg, ":", 2)[0])
	}
	want := []string{
		"main.tf:64 aws_route_table.bad_joined Invalid count argument",
		"main.tf:69 aws_route_table.bad_id_null Invalid count argument",
		"main.tf:74 aws_route_table.bad_set Invalid for_each argument",
		"main.tf:79 aws_route_table.bad_keys Invalid for_each argument",
		"main.tf:84 aws_route_table.bad_data Invalid count argument",
		"main.tf:10 module.bad_module.aws_security_group.this Invalid count argument",
		"main.tf:96 module.bad_module_count Invalid count argument",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range es {
		switch {
		case strings.HasSuffix(e.Address, "bad_set"):
			if !strings.Contains(e.Msg, `The "for_each" set includes values derived from resource attributes that cannot be determined until apply`) {
				t.Errorf("%s: %s, want the set text", e.Address, e.Msg)
			}
		case strings.HasSuffix(e.Address, "bad_keys"):
			if !strings.Contains(e.Msg, `The "for_each" map includes keys derived from resource attributes that cannot be determined until apply`) {
				t.Errorf("%s: %s, want the map text", e.Address, e.Msg)
			}
		case strings.HasSuffix(e.Address, "bad_data"):
			if !strings.Contains(e.Msg, "use the -target argument to first apply only the resources that the count depends on") ||
				!strings.Contains(e.Msg, "known only after apply: data.aws_subnets.private") {
				t.Errorf("%s: %s, want the count text naming the data source", e.Address, e.Msg)
			}
		}
	}

	// Without the refused ones, the rest loads: each is known at plan.
	dir := t.TempDir()
	copyTree(t, "testdata/tf37-unknown-count", dir)
	main := filepath.Join(dir, "main.tf")
	b, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	cut := strings.Index(string(b), "# Known only after apply.")
	if err := os.WriteFile(main, b[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	n := 0
	for _, r := range res.Resources {
		if regexp.MustCompile(`^(aws_route_table\.ok_length\[\d\]|aws_route_table\.ok_configured\[0\]|aws_route_table_association\.ok_static_keys\["private-\d"\]|aws_security_group\.ok_zones\[0\]|module\.ok_module\.aws_security_group\.this\[0\])$`).MatchString(r.Address) {
			n++
		}
	}
	if n != 7 {
		t.Errorf("%d of the known-at-plan instances created, want 7 (terraform plans them)", n)
	}
}

// copyTree copies a testdata directory.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The stand-ins pass what the real modules pass: the alb module's target
// group protocol_version (HTTP2 here) to aws_lb_target_group, and the ecs
// module's Service Connect service tls to aws_ecs_service, which ECS keeps
// and answers back (before, each was warned of as ignored and dropped).
func TestTF37StandinProtocolVersionAndServiceConnectTLS(t *testing.T) {
	res := load(t, "testdata/tf37-standin-keys", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "ignores") {
			t.Errorf("warning %q: the stand-ins pass protocol_version and tls", w.Msg)
		}
	}
	var versions []string
	var tls map[string]any
	res.Engine.Read(func(st *model.State) {
		for _, tg := range st.TargetGroups {
			versions = append(versions, tg.ProtocolVersion)
		}
		for _, s := range st.Services {
			if s.Name != "web" || s.ServiceConnectConfig == nil {
				continue
			}
			for _, x := range s.ServiceConnectConfig.Services {
				if m, ok := x.Unmodelled["tls"].(map[string]any); ok {
					tls = m
				}
			}
		}
	})
	if !slices.Equal(versions, []string{"HTTP2"}) {
		t.Errorf("target groups' protocol versions %v, want [HTTP2]", versions)
	}
	ca, _ := tls["issuerCertificateAuthority"].(map[string]any)
	if ca["awsPcaAuthorityArn"] != "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0f4a1b2c-1111-2222-3333-444455556666" ||
		!strings.HasSuffix(fmt.Sprint(tls["roleArn"]), ":role/keys-sc-tls") {
		t.Errorf("Service Connect tls %v, want the issuer and the role as given", tls)
	}
}

// The cloudposse ecs-alb-service-task stand-in passes the module's
// deployment_controller_type, deployment_configuration, propagate_tags
// and each load balancer's advanced_configuration, as the module does
// (cloudposse's examples/blue-green, whose cloudposse/alb and iam-policy
// calls are read with their stand-ins): the service is ECS's own blue/green
// with its alternate target group and listener rules; with
// deployment_controller_type CODE_DEPLOY, a CodeDeploy service.
func TestTF37CloudposseServiceTaskBlueGreen(t *testing.T) {
	res := load(t, "testdata/tf37-cloudposse-bluegreen", nil)
	for _, w := range res.Warnings {
		for _, k := range []string{"deployment_configuration", "deployment_controller_type", "propagate_tags", "advanced_configuration", "not installed: run"} {
			if strings.Contains(w.Msg, k) {
				t.Errorf("warning %q: the stand-ins pass %s", w.Msg, k)
			}
		}
	}
	// The cloudposse alb stand-in's load balancer, default target group
	// and HTTP listener, whose group admits HTTP from anywhere.
	var lbs, listeners int
	res.Engine.Read(func(st *model.State) {
		lbs, listeners = len(st.LoadBalancers), len(st.Listeners)
	})
	if lbs != 1 || listeners != 1 {
		t.Errorf("%d load balancers and %d listeners, want the alb module's one of each", lbs, listeners)
	}
	var svc *model.Service
	alternate := ""
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			svc = s
		}
		for arn, tg := range st.TargetGroups {
			if strings.HasPrefix(tg.Name, "bgalt") {
				alternate = arn
			}
		}
	})
	if svc == nil || svc.DeploymentConfig == nil || svc.DeploymentConfig.Strategy != "BLUE_GREEN" || svc.DeploymentConfig.BakeTimeInMinutes != 3 {
		t.Fatalf("service %+v: want a BLUE_GREEN deployment with a 3-minute bake", svc)
	}
	if len(svc.LoadBalancers) != 1 || svc.LoadBalancers[0].Advanced == nil || svc.LoadBalancers[0].Advanced.AlternateTargetGroupARN != alternate {
		t.Errorf("service load balancers %+v: want the alternate target group %s", svc.LoadBalancers, alternate)
	}

	dir := t.TempDir()
	copyTree(t, "testdata/tf37-cloudposse-bluegreen", dir)
	b, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	// The same service without ECS's blue/green: its load balancer alone.
	src = src[:strings.Index(src, "      advanced_configuration = {")] + "    }\n  ]\n  context    = module.this.context\n  depends_on = [module.alb]\n}\n"
	src = strings.Replace(src, `deployment_controller_type         = "ECS"`, `deployment_controller_type         = "CODE_DEPLOY"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res = load(t, dir, nil)
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			svc = s
		}
	})
	if svc.DeploymentController != "CODE_DEPLOY" {
		t.Errorf("deployment controller %q, want CODE_DEPLOY", svc.DeploymentController)
	}
}

// terraform_data at plan: its id is known only after apply but not null,
// its output only after apply, and each instance's id is its own (they
// were all the resource's name, so a map keyed by them was refused as a
// duplicate key). The five that terraform 1.11.4 refuses in
// testdata/tf37-terraform-data are refused, and without them the rest
// loads.
func TestTF37TerraformDataAtPlan(t *testing.T) {
	es := loadErrs(t, "testdata/tf37-terraform-data")
	var got []string
	for _, e := range es {
		got = append(got, strconv.Itoa(e.Line)+" "+e.Address+" "+strings.SplitN(e.Msg, ":", 2)[0])
	}
	want := []string{
		"15 terraform_data.bad_joined Invalid count argument",
		"19 terraform_data.bad_set Invalid for_each argument",
		"23 terraform_data.bad_keys Invalid for_each argument",
		"27 terraform_data.bad_compared Invalid for_each argument",
		"31 terraform_data.bad_output Invalid count argument",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	dir := t.TempDir()
	b, err := os.ReadFile("testdata/tf37-terraform-data/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	src := regexp.MustCompile(`(?s)resource "terraform_data" "bad_[a-z_]+" \{.*?\n\}\n`).ReplaceAllString(string(b), "")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	load(t, dir, nil)
}
