package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

const transformTF = `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_lb" "web" {
  name     = "web"
  internal = true
  subnets  = [aws_subnet.a.id, aws_subnet.b.id]
}
resource "aws_lb_target_group" "api" {
  name        = "api"
  port        = 3000
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}
resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.http.arn
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern {
      values = ["/api/*"]
    }
  }
  transform {
    type = "url-rewrite"
    url_rewrite_config {
      rewrite {
        regex   = "^/api/(.*)$"
        replace = "/$1"
      }
    }
  }
  transform {
    type = "host-header-rewrite"
    host_header_rewrite_config {
      rewrite {
        regex   = "^(.+)$"
        replace = "%s"
      }
    }
  }
}
`

// aws_lb_listener_rule's transform blocks (provider 6) reach the rule; a
// second url-rewrite is refused at the block, as CreateRule refuses it.
func TestListenerRuleTransformBlocks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": strings.Replace(transformTF, "%s", "api.internal", 1)})
	st, _ := load(t, dir, nil).Engine.Snapshot()
	var r *model.ListenerRule
	for _, x := range st.ListenerRules {
		r = x
	}
	want := []model.RuleTransform{{Type: "url-rewrite", Regex: "^/api/(.*)$", Replace: "/$1"}, {Type: "host-header-rewrite", Regex: "^(.+)$", Replace: "api.internal"}}
	if r == nil || len(r.Transforms) != 2 || r.Transforms[0] != want[0] || r.Transforms[1] != want[1] {
		t.Fatalf("rule transforms: %+v", r)
	}

	bad := strings.Replace(strings.Replace(transformTF, "%s", "x", 1), `type = "host-header-rewrite"
    host_header_rewrite_config {`, `type = "url-rewrite"
    url_rewrite_config {`, 1)
	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": bad})
	_, err := terraform.Load(dir, terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "A rule can have only one 'url-rewrite' transform") {
		t.Fatalf("two url-rewrites: %v", err)
	}
}
