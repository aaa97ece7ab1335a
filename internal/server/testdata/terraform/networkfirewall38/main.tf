# AWS Network Firewall through the real AWS provider (round thirty-eight):
# a stateful 5-tuple rule group and a domain list, a firewall policy that
# references both, a firewall in two subnets, and the protected subnets'
# route to the firewall endpoint of their zone through firewall_status's
# sync_states (the idiom of the provider's documentation).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "firewall" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, 10 + count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_networkfirewall_rule_group" "deny_db" {
  name     = "deny-db"
  type     = "STATEFUL"
  capacity = 10
  rule_group {
    rules_source {
      stateful_rule {
        action = "DROP"
        header {
          protocol         = "TCP"
          source           = "10.0.10.0/24"
          source_port      = "ANY"
          direction        = "FORWARD"
          destination      = "ANY"
          destination_port = "5432"
        }
        rule_option {
          keyword  = "sid"
          settings = ["1"]
        }
      }
    }
  }
  tags = { Name = "deny-db" }
}

resource "aws_networkfirewall_rule_group" "domains" {
  name     = "allow-domains"
  type     = "STATEFUL"
  capacity = 100
  rule_group {
    rules_source {
      rules_source_list {
        generated_rules_type = "ALLOWLIST"
        target_types         = ["HTTP_HOST", "TLS_SNI"]
        targets              = [".amazonaws.com", "example.com"]
      }
    }
  }
}

resource "aws_networkfirewall_firewall_policy" "main" {
  name = "egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.deny_db.arn
    }
    stateful_rule_group_reference {
      resource_arn = aws_networkfirewall_rule_group.domains.arn
    }
  }
}

resource "aws_networkfirewall_firewall" "main" {
  name                = "edge"
  firewall_policy_arn = aws_networkfirewall_firewall_policy.main.arn
  vpc_id              = aws_vpc.main.id
  dynamic "subnet_mapping" {
    for_each = aws_subnet.firewall[*].id
    content {
      subnet_id = subnet_mapping.value
    }
  }
  tags = { Name = "edge" }
}

resource "aws_route_table" "app" {
  count  = 2
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "app_to_firewall" {
  count                  = 2
  route_table_id         = aws_route_table.app[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id = one([for s in aws_networkfirewall_firewall.main.firewall_status[0].sync_states :
  s.attachment[0].endpoint_id if s.availability_zone == aws_subnet.app[count.index].availability_zone])
}

resource "aws_route_table_association" "app" {
  count          = 2
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index].id
}

output "firewall_arn" {
  value = aws_networkfirewall_firewall.main.arn
}
