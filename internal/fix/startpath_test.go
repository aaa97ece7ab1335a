package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Secrets and the awslogs driver are on the start path: with every ECR
// endpoint but no secretsmanager (or logs) endpoint, the tasks stop with
// the agent's ResourceInitializationError, the probe names the cause, and
// the missing endpoint is the verified fix.
func TestSecretsAndLogsOnTheStartPath(t *testing.T) {
	base := mustRead(t, "../../examples/failures/missing-ecr-endpoint.yaml")
	base = strings.Replace(base, "  # no ecr.dkr endpoint\n", "  ecr-dkr: {vpc: main, service: ecr.dkr, subnets: [private-a, private-b], security_groups: [endpoints-sg]}\n", 1)
	cases := []struct {
		name, edit, cause, text, endpoint string
	}{
		{"secrets", "        log_driver: awslogs\n        secrets: {DB_PASSWORD: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf}\n",
			reach.CodeSecretsUnreachable, "unable to retrieve secret from asm", "secretsmanager"},
		{"ssm", "        log_driver: awslogs\n        secrets: {API_KEY: arn:aws:ssm:us-east-1:123456789012:parameter/api-key}\n",
			reach.CodeSecretsUnreachable, "unable to retrieve secrets from ssm", "ssm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := strings.Replace(base, "        log_driver: awslogs\n", c.edit, 1)
			sc, err := scenario.Parse(c.name+".yaml", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
			if err != nil {
				t.Fatal(err)
			}
			fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.HTTP503 || !res.HasCode(c.cause) || !strings.Contains(res.Summary, c.text) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			ok := false
			for _, f := range fixes {
				if f.Kind == "vpc-endpoints" && strings.Contains(f.Title, c.endpoint) && !strings.Contains(f.Title, "ecr.") {
					ok = true
				}
			}
			if !ok {
				t.Errorf("no verified %s endpoint fix: %+v", c.endpoint, fixes)
			}
		})
	}
	t.Run("logs", func(t *testing.T) {
		data := strings.Replace(base, "  logs: {vpc: main, service: logs, subnets: [private-a, private-b], security_groups: [endpoints-sg]}\n", "", 1)
		sc, err := scenario.Parse("logs.yaml", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
		if err != nil {
			t.Fatal(err)
		}
		fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.HasCode(reach.CodeLogsUnreachable) || !strings.Contains(res.Summary, "failed to create Cloudwatch log stream") {
			t.Fatalf("%s: %s", res.Verdict, res.Summary)
		}
		if len(fixes) == 0 {
			t.Error("no verified fix")
		}
	})
}
