package services_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

func TestCoverageUpToDate(t *testing.T) {
	m, err := awsproto.LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	want := services.CoverageMarkdown(m)
	got, err := os.ReadFile("../../../docs/coverage.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docs/coverage.md is stale: run go generate ./internal/api/services")
	}
}

// TestRegisteredOperationsExist checks every handler serves an operation of
// the models (a typo would never be called).
func TestRegisteredOperationsExist(t *testing.T) {
	m, err := awsproto.LoadModels()
	if err != nil {
		t.Fatal(err)
	}
	r := services.Registry()
	for _, svc := range []string{"ec2", "ecs", "elbv2", "autoscaling"} {
		for _, op := range r.Operations(svc) {
			if !m.Service(svc).HasOperation(op) {
				t.Errorf("%s.%s is registered but not in the model", svc, op)
			}
		}
	}
}
