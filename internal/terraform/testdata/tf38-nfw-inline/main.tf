# testdata/networkfirewall with the routes to the firewall's endpoints written
# inline (route blocks of aws_route_table) and the subnet mappings as blocks.
# tf38-nfw-inline-plan.json is its `terraform show -json` plan (terraform
# 1.11.4, hashicorp/aws 5.100.0, planned against ecsnet serve).
# An egress firewall as AWS's "internet gateway and NAT gateway"
# architecture builds it (Network Firewall developer guide,
# arch-igw-ngw.html), in two zones: each zone's NAT gateway subnet routes
# to the firewall endpoint of its zone, picked out of the firewall's
# firewall_status[0].sync_states as configurations do it; the firewall
# subnets route to the internet gateway, and the internet gateway's edge
# route table sends each public subnet's replies back through its zone's
# endpoint. The same rules as internal/cfn/testdata/networkfirewall.
# Written for ecsnet's tests.
provider "aws" {
  region = "us-east-1"
}

locals {
  zones = ["us-east-1a", "us-east-1b"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "firewall" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/24", 4, count.index)
  availability_zone = local.zones[count.index]
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, 1 + count.index * 10)
  availability_zone = local.zones[count.index]
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, 2 + count.index * 10)
  availability_zone = local.zones[count.index]
}

resource "aws_networkfirewall_rule_group" "https_only" {
  name     = "https-only"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
    stateful_rule_options {
      rule_order = "STRICT_ORDER"
    }
    rules_source {
      stateful_rule {
        action = "PASS"
        header {
          protocol         = "TCP"
          source           = "10.0.0.0/16"
          source_port      = "ANY"
          direction        = "FORWARD"
          destination      = "ANY"
          destination_port = "443"
        }
        rule_option {
          keyword  = "sid"
          settings = ["1"]
        }
      }
    }
  }
}

resource "aws_networkfirewall_rule_group" "no_dns" {
  name     = "no-outside-dns"
  type     = "STATELESS"
  capacity = 10
  rule_group {
    rules_source {
      stateless_rules_and_custom_actions {
        stateless_rule {
          priority = 10
          rule_definition {
            actions = ["aws:drop"]
            match_attributes {
              protocols = [17]
              destination_port {
                from_port = 53
                to_port   = 53
              }
              destination {
                address_definition = "0.0.0.0/0"
              }
            }
          }
        }
      }
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateless_rule_group_reference {
      priority     = 1
      resource_arn = aws_networkfirewall_rule_group.no_dns.arn
    }
    stateful_engine_options {
      rule_order = "STRICT_ORDER"
    }
    stateful_default_actions = ["aws:drop_strict", "aws:alert_strict"]
    stateful_rule_group_reference {
      priority     = 1
      resource_arn = aws_networkfirewall_rule_group.https_only.arn
    }
  }
}

resource "aws_networkfirewall_firewall" "egress" {
  name                = "egress-fw"
  firewall_policy_arn = aws_networkfirewall_firewall_policy.egress.arn
  vpc_id              = aws_vpc.main.id
  subnet_mapping {
    subnet_id = aws_subnet.firewall[0].id
  }
  subnet_mapping {
    subnet_id = aws_subnet.firewall[1].id
  }
}

locals {
  # The usual idiom: the endpoint of each zone, by zone.
  endpoint_by_zone = {
    for s in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states :
    s.availability_zone => s.attachment[0].endpoint_id
  }
}

resource "aws_route_table" "firewall" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "firewall" {
  count          = 2
  subnet_id      = aws_subnet.firewall[count.index].id
  route_table_id = aws_route_table.firewall.id
}

resource "aws_route_table" "public" {
  count  = 2
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    vpc_endpoint_id = one([
      for s in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states :
      s.attachment[0].endpoint_id if s.availability_zone == aws_subnet.public[count.index].availability_zone
    ])
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[count.index].id
}

resource "aws_route_table" "ingress" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block      = aws_subnet.public[0].cidr_block
    vpc_endpoint_id = local.endpoint_by_zone[local.zones[0]]
  }
  route {
    cidr_block      = aws_subnet.public[1].cidr_block
    vpc_endpoint_id = local.endpoint_by_zone[local.zones[1]]
  }
}

resource "aws_route_table_association" "ingress" {
  gateway_id     = aws_internet_gateway.main.id
  route_table_id = aws_route_table.ingress.id
}

resource "aws_eip" "nat" {
  count  = 2
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  count         = 2
  subnet_id     = aws_subnet.public[count.index].id
  allocation_id = aws_eip.nat[count.index].id
}

resource "aws_route_table" "private" {
  count  = 2
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[count.index].id
  }
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_instance" "worker" {
  count         = 2
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private[count.index].id
  tags = {
    Name = "worker-${count.index}"
  }
}

output "firewall_arn" {
  value = aws_networkfirewall_firewall.egress.arn
}

output "endpoint_a" {
  value = local.endpoint_by_zone["us-east-1a"]
}
