package dataplane

import (
	"context"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
)

func benchUpDown(b *testing.B, st *model.State) {
	isolated(b)
	tasks := 0
	for _, t := range st.Tasks {
		if t.LastStatus == model.TaskRunning {
			tasks++
		}
	}
	b.ReportMetric(float64(tasks), "tasks")
	var up, down time.Duration
	n := 0
	for b.Loop() {
		opt := testOptions(b)
		t0 := time.Now()
		s, err := Up(context.Background(), st, opt)
		if err != nil {
			b.Fatal(err)
		}
		up += time.Since(t0)
		s.Close()
		t1 := time.Now()
		if err := Down(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
		down += time.Since(t1)
		n++
	}
	b.ReportMetric(float64(up.Milliseconds())/float64(n), "up-ms")
	b.ReportMetric(float64(down.Milliseconds())/float64(n), "down-ms")
}

// BenchmarkUpDownArticle: up and down of examples/seed/article.yaml
// (issue 13 asks for an up under 1 s).
func BenchmarkUpDownArticle(b *testing.B) {
	benchUpDown(b, loadState(b, "examples/seed/article.yaml"))
}

// BenchmarkUpDown200Tasks: up and down of a system of 200 running tasks
// (20 instances with 3 awsvpc tasks each, 140 Fargate tasks, 2 ALBs)
// (issue 13 asks for an up under 10 s).
func BenchmarkUpDown200Tasks(b *testing.B) {
	e, err := estate.Build(estate.Size{VPCs: 1, SubnetsPerVPC: 6, SecurityGroups: 20, RulesPerGroup: 5, Clusters: 1,
		Instances: 20, InstanceType: "m5.xlarge", TasksPerInstance: 3, FargateTasks: 140, LoadBalancers: 2})
	if err != nil {
		b.Fatal(err)
	}
	st, _ := e.Snapshot()
	benchUpDown(b, st)
}

// BenchmarkPlan200Tasks: computing the plan alone.
func BenchmarkPlan200Tasks(b *testing.B) {
	e, err := estate.Build(estate.Size{VPCs: 1, SubnetsPerVPC: 6, SecurityGroups: 20, RulesPerGroup: 5, Clusters: 1,
		Instances: 20, InstanceType: "m5.xlarge", TasksPerInstance: 3, FargateTasks: 140, LoadBalancers: 2})
	if err != nil {
		b.Fatal(err)
	}
	st, _ := e.Snapshot()
	for b.Loop() {
		if _, err := MakePlan(st, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
