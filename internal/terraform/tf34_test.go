package terraform_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// tf34Config writes a configuration of a VPC with two subnets in two zones
// and an internet gateway, followed by more.
func tf34Config(t *testing.T, more string) string {
	t.Helper()
	dir := t.TempDir()
	err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "us-west-2b"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}
`+more), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// natSecondaries returns each NAT gateway's secondary private addresses
// (those of its interface but its primary one) by the gateway's subnet and
// connectivity, and the public address of each.
func natSecondaries(st *model.State) map[string][]string {
	out := map[string][]string{}
	for _, ng := range st.NatGateways {
		key := string(ng.SubnetID) + "/" + ng.ConnectivityType
		for _, p := range st.NetworkInterfaces[ng.NetworkInterface].PrivateIPs {
			if p.Primary {
				continue
			}
			s := p.Addr.String()
			if p.PublicIP != nil {
				s += "=" + string(p.PublicIP.AllocationID)
			}
			out[key] = append(out[key], s)
		}
		slices.Sort(out[key])
	}
	return out
}

// A NAT gateway's secondary_private_ip_addresses,
// secondary_private_ip_address_count and secondary_allocation_ids reach its
// interface: a private gateway's fixed or counted addresses, a public
// gateway's Elastic IPs on the addresses given.
func TestNatGatewaySecondaryAddresses(t *testing.T) {
	dir := tf34Config(t, `
resource "aws_eip" "primary" {
  domain = "vpc"
}

resource "aws_eip" "secondary" {
  domain = "vpc"
}

resource "aws_nat_gateway" "public" {
  allocation_id                  = aws_eip.primary.id
  subnet_id                      = aws_subnet.a.id
  secondary_allocation_ids       = [aws_eip.secondary.id]
  secondary_private_ip_addresses = ["10.20.1.20"]
  depends_on                     = [aws_internet_gateway.igw]
}

resource "aws_nat_gateway" "fixed" {
  connectivity_type              = "private"
  subnet_id                      = aws_subnet.b.id
  private_ip                     = "10.20.2.10"
  secondary_private_ip_addresses = ["10.20.2.11", "10.20.2.12"]
}

resource "aws_nat_gateway" "counted" {
  connectivity_type                  = "private"
  subnet_id                          = aws_subnet.a.id
  secondary_private_ip_address_count = 3
}
`)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	subnets := map[string]string{}
	var secondaryEIP string
	for _, s := range st.Subnets {
		subnets[s.CIDR.String()] = string(s.ID)
	}
	for _, a := range st.Addresses {
		if a.PrivateIP == netip.MustParseAddr("10.20.1.20") {
			secondaryEIP = string(a.AllocationID)
		}
	}
	got := natSecondaries(st)
	if p := got[subnets["10.20.1.0/24"]+"/public"]; secondaryEIP == "" || !slices.Equal(p, []string{"10.20.1.20=" + secondaryEIP}) {
		t.Errorf("the public gateway's secondary addresses %v, want 10.20.1.20 with the second Elastic IP (%q)", p, secondaryEIP)
	}
	if f := got[subnets["10.20.2.0/24"]+"/private"]; !slices.Equal(f, []string{"10.20.2.11", "10.20.2.12"}) {
		t.Errorf("the fixed private gateway's secondary addresses %v, want 10.20.2.11 and 10.20.2.12", f)
	}
	if c := got[subnets["10.20.1.0/24"]+"/private"]; len(c) != 3 {
		t.Errorf("the counted private gateway's secondary addresses %v, want 3", c)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "secondary_") {
			t.Errorf("warning %q: the secondary addresses are read", w.Msg)
		}
	}
}

// A count of secondary addresses is for a private NAT gateway: a public
// one's is refused at its line, as the provider's plan refuses it.
func TestNatGatewaySecondaryCountOfPublicGateway(t *testing.T) {
	dir := tf34Config(t, `
resource "aws_eip" "primary" {
  domain = "vpc"
}

resource "aws_nat_gateway" "public" {
  allocation_id                      = aws_eip.primary.id
  subnet_id                          = aws_subnet.a.id
  secondary_private_ip_address_count = 2
}
`)
	errs := loadErrs(t, dir)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "private NAT gateway") {
		t.Errorf("errors %v, want one saying the count is for a private NAT gateway", errs)
	}
}

// An interface endpoint's subnet_configuration fixes its interface's
// address in each subnet (the analyzer sees the endpoint at it), and a
// subnet named in subnet_ids and subnet_configuration is one subnet, not a
// duplicate in its zone.
func TestEndpointSubnetConfiguration(t *testing.T) {
	dir := tf34Config(t, `
resource "aws_vpc_endpoint" "ecr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]

  subnet_configuration {
    subnet_id = aws_subnet.a.id
    ipv4      = "10.20.1.100"
  }
  subnet_configuration {
    subnet_id = aws_subnet.b.id
    ipv4      = "10.20.2.100"
  }
}
`)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	var got []string
	for _, ep := range st.VpcEndpoints {
		for _, n := range ep.NetworkInterfaces {
			got = append(got, st.NetworkInterfaces[n].PrimaryIP().String())
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"10.20.1.100", "10.20.2.100"}) {
		t.Errorf("the endpoint's interfaces are at %v, want 10.20.1.100 and 10.20.2.100", got)
	}
}

// An endpoint address outside its subnet is refused at the endpoint, as
// EC2 refuses it.
func TestEndpointSubnetConfigurationOutsideSubnet(t *testing.T) {
	dir := tf34Config(t, `
resource "aws_vpc_endpoint" "ecr" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.ecr.api"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.a.id]

  subnet_configuration {
    subnet_id = aws_subnet.a.id
    ipv4      = "10.20.2.100"
  }
}
`)
	errs := loadErrs(t, dir)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "does not fall within the subnet's address range") {
		t.Errorf("errors %v, want one saying 10.20.2.100 is not in the subnet", errs)
	}
}

// Two ways of writing a configuration that AWS applies but that never
// plans clean are warned of: an inline route naming a NAT gateway as
// gateway_id (read back as nat_gateway_id) and a service naming its task
// definition by family alone (read back as family:revision). A service
// that ignores changes to task_definition is not warned of.
func TestPlanNeverSettlesWarnings(t *testing.T) {
	dir := tf34Config(t, `
resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.a.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_ecs_cluster" "this" {
  name = "c"
}

resource "aws_ecs_task_definition" "this" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "web", image = "nginx", essential = true }])
}

resource "aws_ecs_service" "by_family" {
  name            = "by-family"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.id
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.b.id]
  }
}

resource "aws_ecs_service" "ignored" {
  name            = "ignored"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.family
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.b.id]
  }
  lifecycle {
    ignore_changes = [task_definition]
  }
}

resource "aws_ecs_service" "by_arn" {
  name            = "by-arn"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets = [aws_subnet.b.id]
  }
}
`)
	res := load(t, dir, nil)
	var route, family []string
	for _, w := range res.Warnings {
		switch {
		case strings.Contains(w.Msg, "as gateway_id"):
			route = append(route, w.Msg)
		case strings.Contains(w.Msg, "family without a revision"):
			family = append(family, w.Msg)
		}
	}
	if len(route) != 1 || !strings.Contains(route[0], "aws_route_table.private") || !strings.Contains(route[0], "nat_gateway_id") {
		t.Errorf("route warnings %q, want one for aws_route_table.private saying nat_gateway_id", route)
	}
	if len(family) != 1 || !strings.Contains(family[0], "aws_ecs_service.by_family") {
		t.Errorf("task definition warnings %q, want one for aws_ecs_service.by_family only", family)
	}
}

// A provider block naming a profile that no shared config or credentials
// file holds is warned of (Terraform stops with "failed to get shared
// config profile, NAME", static credentials or not); one the config file
// holds is not.
func TestProviderProfileMissing(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[profile present]\nregion = eu-west-1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		profile string
		warned  bool
	}{{"absent", true}, {"present", false}} {
		dir := t.TempDir()
		err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`provider "aws" {
  region  = "us-east-1"
  profile = "`+c.profile+`"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`), 0o644)
		if err != nil {
			t.Fatal(err)
		}
		res := load(t, dir, nil)
		warned := slices.ContainsFunc(res.Warnings, func(w terraform.Warning) bool {
			return strings.Contains(w.Msg, `failed to get shared config profile, `+c.profile)
		})
		if warned != c.warned {
			t.Errorf("profile %q: warned %v, want %v (warnings %v)", c.profile, warned, c.warned, res.Warnings)
		}
	}
}

// An inline route of gateway_id "local" to the VPC's CIDR block adopts the
// table's local route, as the provider does (it creates nothing); one to
// another destination fails as the provider fails it.
func TestInlineLocalRouteAdopted(t *testing.T) {
	dir := tf34Config(t, `
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "10.20.0.0/16"
    gateway_id = "local"
  }
}
`)
	res := load(t, dir, nil)
	st, _ := res.Engine.Snapshot()
	for _, rt := range st.RouteTables {
		if !rt.IsMain() && len(rt.Routes) != 1 {
			t.Errorf("route table %s has %d routes, want its local route alone", rt.ID, len(rt.Routes))
		}
	}
	bad := tf34Config(t, `
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "10.99.0.0/16"
    gateway_id = "local"
  }
}
`)
	errs := loadErrs(t, bad)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "local route cannot be created but must exist to be adopted, 10.99.0.0/16 does not exist") {
		t.Errorf("errors %v, want the provider's local route error", errs)
	}
}
