package terraform_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// route53TF adds zones and records to the article's configuration: a
// public zone with an alias to the ALB (its dns_name and zone_id), a
// private zone of the VPC found again by a data source, a record whose
// name is relative to its zone, and a second VPC associated with the
// private zone.
const route53TF = `
resource "aws_route53_zone" "public" {
  name = "shop.example"
}

resource "aws_route53_zone" "internal" {
  name = "corp.internal"
  vpc {
    vpc_id = module.network.vpc_id
  }
}

data "aws_route53_zone" "internal" {
  name         = aws_route53_zone.internal.name
  private_zone = true
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "www"
  type    = "A"
  alias {
    name                   = aws_lb.web[0].dns_name
    zone_id                = aws_lb.web[0].zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "db" {
  zone_id = data.aws_route53_zone.internal.zone_id
  name    = "db.corp.internal"
  type    = "A"
  ttl     = 60
  records = ["10.0.9.9"]
}

resource "aws_vpc" "other" {
  cidr_block = "10.99.0.0/16"
}

resource "aws_route53_zone_association" "other" {
  zone_id = aws_route53_zone.internal.zone_id
  vpc_id  = aws_vpc.other.id
}
`

// TestRoute53Terraform: the zones, records and association are created
// as the provider creates them (a relative record name expanded into the
// zone), and a probe by name resolves: the internet through the public
// alias to the ALB (HTTP 200, with the name as the Host), and not the
// private zone's name (NXDOMAIN, the zone is private).
func TestRoute53Terraform(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(repoFile("examples/terraform/article"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "route53.tf"), []byte(route53TF), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, map[string]string{"enable_alb": "true"})
	st, _ := res.Engine.Snapshot()
	var pub, priv *model.HostedZone
	for _, z := range st.HostedZones {
		if z.Private {
			priv = z
		} else {
			pub = z
		}
	}
	if pub == nil || priv == nil || pub.Name != "shop.example" || pub.Comment != "Managed by Terraform" {
		t.Fatalf("zones: public %+v, private %+v", pub, priv)
	}
	if len(pub.Records) != 1 || pub.Records[0].Name != "www.shop.example" || pub.Records[0].Alias == nil {
		t.Errorf("public records = %+v, want the alias www.shop.example", pub.Records)
	}
	if len(priv.Records) != 1 || priv.Records[0].Addrs[0].String() != "10.0.9.9" {
		t.Errorf("private records = %+v", priv.Records)
	}
	other := ""
	for id, v := range st.VPCs {
		if v.CIDR.String() == "10.99.0.0/16" {
			other = string(id)
		}
	}
	if len(priv.VPCs) != 2 || !slices.Contains(priv.VPCs, model.VpcID(other)) {
		t.Errorf("private zone VPCs = %v, want its VPC and %s", priv.VPCs, other)
	}

	r := probe(t, res.Engine, "internet", "www.shop.example:80")
	if r.Verdict != reach.HTTP200 || r.To.Kind != reach.KindLoadBalancer || r.To.ID != "web-alb" {
		t.Errorf("internet → www.shop.example = %s, to %+v: %s", r.Verdict, r.To, r.Summary)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "alias A record in the public hosted zone shop.example") {
		t.Errorf("notes = %q, want the resolution", r.Notes)
	}
	if got := res.Names["aws_route53_record.www"]; got != "www.shop.example" {
		t.Errorf("Names[aws_route53_record.www] = %q, want the record's name (so --to takes the address)", got)
	}
	r = probe(t, res.Engine, "internet", "db.corp.internal:5432")
	if r.Verdict != reach.NXDomain || !r.HasCode(reach.CodePrivateZoneNotAssociated) {
		t.Errorf("internet → db.corp.internal = %s %v: %s", r.Verdict, r.Explanations, r.Summary)
	}
}

// TestRoute53TerraformOutsideZone: a record in a zone the configuration
// does not make (a variable's id) is skipped, not an error; a data
// source for a zone the system lacks stands one in, with a warning.
func TestRoute53TerraformOutsideZone(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
variable "zone_id" {
  default = "Z0123456789NOTHERE00"
}

resource "aws_route53_record" "api" {
  zone_id = var.zone_id
  name    = "api.example.com"
  type    = "A"
  ttl     = 60
  records = ["192.0.2.1"]
}

data "aws_route53_zone" "main" {
  name = "example.org."
}

resource "aws_route53_record" "www" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "www"
  type    = "A"
  ttl     = 60
  records = ["192.0.2.2"]
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	if len(res.Skipped) != 1 || res.Skipped[0].Address != "aws_route53_record.api" {
		t.Errorf("skipped = %+v, want aws_route53_record.api", res.Skipped)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Msg, "stands in a public zone")
	}
	if !warned {
		t.Errorf("no stand-in warning: %v", res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.HostedZones) != 1 {
		t.Fatalf("%d zones", len(st.HostedZones))
	}
	for _, z := range st.HostedZones {
		if z.Name != "example.org" || len(z.Lookup("www.example.org")) != 1 {
			t.Errorf("zone %+v", z)
		}
	}
}

// TestRoute53TerraformWeighted: two aws_route53_record resources of one
// name and type with their own set_identifier and
// weighted_routing_policy are two records of a weighted set, each with
// its weight (neither replaces the other).
func TestRoute53TerraformWeighted(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_record" "api_old" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "api"
  type           = "A"
  ttl            = 60
  records        = ["192.0.2.1"]
  set_identifier = "old"
  weighted_routing_policy {
    weight = 80
  }
}

resource "aws_route53_record" "api_new" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "api"
  type           = "A"
  ttl            = 60
  records        = ["192.0.2.2"]
  set_identifier = "new"
  weighted_routing_policy {
    weight = 20
  }
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	got := map[string]int64{}
	for _, z := range st.HostedZones {
		for _, r := range z.Records {
			if r.Name == "api.example.com" && r.Weight != nil {
				got[r.SetIdentifier] = *r.Weight
			}
		}
	}
	if len(got) != 2 || got["old"] != 80 || got["new"] != 20 {
		t.Errorf("weighted records = %v, want old 80 and new 20", got)
	}
}

// route53RegionsTF is a configuration of two regions: the default
// provider's (eu-west-1, the region ecsnet models) and an aliased one's
// (us-west-2). The private zone holds a VPC of each (vpc_region naming
// the other's); a zone made through the aliased provider is still the
// account's (Route 53 is global) and holds a eu-west-1 VPC; an
// association names a VPC of us-west-2; a zone of us-west-2 VPCs only
// has no copy here.
const route53RegionsTF = `
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "oregon"
  region = "us-west-2"
}

resource "aws_vpc" "here" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_vpc" "there" {
  provider   = aws.oregon
  cidr_block = "10.2.0.0/16"
}

resource "aws_route53_zone" "shared" {
  name = "shared.internal"
  vpc {
    vpc_id = aws_vpc.here.id
  }
  vpc {
    vpc_id     = "vpc-0aaaabbbbccccdddd"
    vpc_region = "us-west-2"
  }
}

resource "aws_route53_record" "db" {
  zone_id = aws_route53_zone.shared.zone_id
  name    = "db"
  type    = "A"
  ttl     = 60
  records = ["10.1.0.9"]
}

resource "aws_route53_zone" "by_alias" {
  provider = aws.oregon
  name     = "alias.internal"
  vpc {
    vpc_id     = aws_vpc.here.id
    vpc_region = "eu-west-1"
  }
}

resource "aws_route53_zone_association" "there" {
  zone_id    = aws_route53_zone.shared.zone_id
  vpc_id     = "vpc-0eeeeffff00001111"
  vpc_region = "us-west-2"
}

resource "aws_route53_zone" "elsewhere" {
  name = "elsewhere.internal"
  vpc {
    vpc_id     = "vpc-0aaaabbbbccccdddd"
    vpc_region = "us-west-2"
  }
}
`

// TestRoute53TerraformVPCRegion: vpc_region places each VPC in its
// region (by default the provider's): only eu-west-1's VPCs are
// associated in the eu-west-1 system, the others are said; a zone of
// another region's VPCs only is not in it.
func TestRoute53TerraformVPCRegion(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(route53RegionsTF), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	here := ""
	for id, v := range st.VPCs {
		if v.CIDR.String() == "10.1.0.0/16" {
			here = string(id)
		}
	}
	byName := map[string]*model.HostedZone{}
	for _, z := range st.HostedZones {
		byName[z.Name] = z
	}
	shared := byName["shared.internal"]
	if shared == nil || !shared.Private || !slices.Equal(shared.VPCs, []model.VpcID{model.VpcID(here)}) {
		t.Fatalf("shared.internal = %+v, want it private with %s only", shared, here)
	}
	if len(shared.Records) != 1 || shared.Records[0].Name != "db.shared.internal" {
		t.Errorf("shared.internal's records = %+v", shared.Records)
	}
	if z := byName["alias.internal"]; z == nil || !slices.Equal(z.VPCs, []model.VpcID{model.VpcID(here)}) {
		t.Errorf("alias.internal (made through the us-west-2 provider, of a eu-west-1 VPC) = %+v, want it with %s", z, here)
	}
	if z := byName["elsewhere.internal"]; z != nil {
		t.Errorf("elsewhere.internal (us-west-2 VPCs only) is in the eu-west-1 system: %+v", z)
	}
	skipped := map[string]string{}
	for _, s := range res.Skipped {
		skipped[s.Address] = s.Reason
	}
	for _, addr := range []string{"aws_route53_zone_association.there", "aws_route53_zone.elsewhere"} {
		if !strings.Contains(skipped[addr], "us-west-2") {
			t.Errorf("%s: skipped %q, want it skipped naming us-west-2", addr, skipped[addr])
		}
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.Msg, "aws_route53_zone.shared") && strings.Contains(w.Msg, "vpc-0aaaabbbbccccdddd (us-west-2)")
	}
	if !warned {
		t.Errorf("no warning of shared.internal's us-west-2 VPC: %v", res.Warnings)
	}
	r := probe(t, res.Engine, "internet", "db.shared.internal:5432")
	if r.Verdict != reach.NXDomain {
		t.Errorf("internet → db.shared.internal = %s, want NXDOMAIN (a private zone)", r.Verdict)
	}
}

// TestRoute53TerraformFailoverHealthCheck: failover records
// (failover_routing_policy, set_identifier) and the health check the
// primary names (aws_route53_health_check, inverted) are read: the
// record keeps its policy and its check, and the internet is answered
// the secondary, since Route 53 considers the inverted check unhealthy.
func TestRoute53TerraformFailoverHealthCheck(t *testing.T) {
	dir := t.TempDir()
	src := `
provider "aws" {
  region = "eu-west-1"
}

resource "aws_route53_zone" "public" {
  name = "failover.example"
}

resource "aws_route53_health_check" "primary" {
  ip_address         = "198.51.100.10"
  port               = 80
  type               = "HTTP"
  resource_path      = "/health"
  invert_healthcheck = true
  tags               = { Name = "primary" }
}

resource "aws_route53_record" "primary" {
  zone_id         = aws_route53_zone.public.zone_id
  name            = "api"
  type            = "A"
  ttl             = 60
  records         = ["198.51.100.10"]
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "secondary" {
  zone_id        = aws_route53_zone.public.zone_id
  name           = "api"
  type           = "A"
  ttl            = 60
  records        = ["198.51.100.20"]
  set_identifier = "secondary"
  failover_routing_policy {
    type = "SECONDARY"
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir, nil)
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.HealthChecks) != 1 {
		t.Fatalf("health checks = %v, want the one", st.HealthChecks)
	}
	var check *model.Route53HealthCheck
	for _, h := range st.HealthChecks {
		check = h
	}
	if !check.Config.Inverted || check.Config.RequestInterval != 30 || check.Config.FailureThreshold != 3 || check.Tags["Name"] != "primary" {
		t.Errorf("health check = %+v, want it inverted, with the defaults and its tag", check)
	}
	var recs []model.RecordSet
	for _, z := range st.HostedZones {
		recs = z.Records
	}
	byID := map[string]model.RecordSet{}
	for _, r := range recs {
		byID[r.SetIdentifier] = r
	}
	if p := byID["primary"]; p.Failover != "PRIMARY" || p.HealthCheckID != check.ID {
		t.Errorf("primary = %+v, want PRIMARY naming %s", p, check.ID)
	}
	if s := byID["secondary"]; s.Failover != "SECONDARY" {
		t.Errorf("secondary = %+v", s)
	}
	r := probe(t, res.Engine, "internet", "api.failover.example:80")
	if !strings.Contains(strings.Join(r.Notes, " "), "198.51.100.20") || strings.Contains(strings.Join(r.Notes, " "), "198.51.100.10") {
		t.Errorf("internet → api.failover.example: notes %q, want the secondary's 198.51.100.20", r.Notes)
	}
}
