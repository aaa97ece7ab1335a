package reach

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/benchcpu"
	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
)

func BenchmarkProbeArticle(b *testing.B) {
	n := compileEngine(article(b))
	for _, c := range []struct{ name, from, to string }{
		{"timeout", "internet", "203.0.113.2:3000"},
		{"connected", "ecs-asg/0", "web/0:3000"},
	} {
		q, err := NewQuery(n, c.from, c.to, "tcp")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer benchcpu.PerOp(b)()
			for b.Loop() {
				Probe(n, q)
			}
		})
	}
}

func BenchmarkCompileArticle(b *testing.B) {
	st := stateOf(article(b))
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		Compile(st)
	}
}

func BenchmarkStartCheckArticle(b *testing.B) {
	st := stateOf(article(b))
	var tk *model.Task
	for _, x := range st.Tasks {
		tk = x
	}
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		if StartCheck(st, tk) != "" {
			b.Fatal("the article's task starts")
		}
	}
}

// largeState builds estate.Large() once per test binary.
var largeState = sync.OnceValues(func() (*model.State, error) {
	e, err := estate.Build(estate.Large())
	if err != nil {
		return nil, err
	}
	st, _ := e.Snapshot()
	return st, nil
})

func large(b *testing.B) *model.State {
	b.Helper()
	if testing.Short() {
		b.Skip("the large estate takes a while to build")
	}
	st, err := largeState()
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// largeQueries returns a mix of probes over the large estate: the
// internet to instances' and Fargate tasks' public IPs, tasks to tasks
// in their VPC, tasks to the internet.
func largeQueries(b *testing.B, n *Network) []Query {
	var qs []Query
	internet, _ := Resolve(n, "internet")
	var tasks []*taskNode
	for _, t := range n.taskOrder {
		if t.running && t.eni != nil {
			tasks = append(tasks, t)
		}
	}
	for i := 0; i < 1000 && len(tasks) > 1; i++ {
		a, z := tasks[(i*7919)%len(tasks)], tasks[(i*104729+1)%len(tasks)]
		from := Endpoint{Kind: KindTask, Spec: a.name, Name: a.name, task: a, eni: a.eni}
		to := Endpoint{Kind: KindTask, Spec: z.name, Name: z.name, task: z, eni: z.eni}
		switch i % 4 {
		case 0: // task to task, maybe another VPC (then through the internet)
			qs = append(qs, Query{From: from, To: to, Protocol: model.TCP, Port: 3000})
		case 1: // the internet to a task (public IP for Fargate, else no route)
			qs = append(qs, Query{From: internet, To: to, Protocol: model.TCP, Port: 3000})
		case 2: // the internet to an instance
			inst := n.instanceOrder[(i*31)%len(n.instanceOrder)]
			qs = append(qs, Query{From: internet, To: Endpoint{Kind: KindInstance, Spec: inst.name, instance: inst, eni: inst.primary}, Protocol: model.TCP, Port: 3000})
		case 3: // a task to the internet
			qs = append(qs, Query{From: from, To: Endpoint{Kind: KindInternet, Spec: "internet", Address: DefaultInternetClient()}, Protocol: model.TCP, Port: 443})
		}
	}
	if len(qs) == 0 {
		b.Fatal("no queries")
	}
	return qs
}

func BenchmarkCompileLarge(b *testing.B) {
	st := large(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		Compile(st)
	}
	b.ReportMetric(float64(len(st.NetworkInterfaces)), "ENIs")
}

func BenchmarkProbeLarge(b *testing.B) {
	st := large(b)
	n := Compile(st)
	qs := largeQueries(b, n)
	// p50 and p99 of single probes, timed one by one.
	lat := make([]time.Duration, 0, 4*len(qs))
	for k := 0; k < 4; k++ {
		for _, q := range qs {
			t0 := time.Now()
			Probe(n, q)
			lat = append(lat, time.Since(t0))
		}
	}
	slices.Sort(lat)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		Probe(n, qs[i%len(qs)])
		i++
	}
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkProbeLargeLoadBalancer(b *testing.B) {
	st := large(b)
	n := Compile(st)
	lb := n.lbOrder[0]
	q := Query{From: Endpoint{Kind: KindInternet, Spec: "internet", Address: DefaultInternetClient()},
		To: Endpoint{Kind: KindLoadBalancer, Spec: lb.lb.Name, lb: lb}, Protocol: model.TCP, Port: 80}
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		Probe(n, q)
	}
}

func BenchmarkExposureLarge(b *testing.B) {
	st := large(b)
	n := Compile(st)
	var entries int
	b.ReportAllocs()
	b.ResetTimer()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		entries = len(Exposure(n).Entries)
	}
	b.ReportMetric(float64(entries), "entries")
}

// BenchmarkCompileAndExposureLarge is what `ecsnet exposure` does.
func BenchmarkCompileAndExposureLarge(b *testing.B) {
	st := large(b)
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		Exposure(Compile(st))
	}
}

func BenchmarkLintLarge(b *testing.B) {
	st := large(b)
	n := Compile(st)
	b.ReportAllocs()
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		Lint(n)
	}
}

func BenchmarkStartCheckLarge(b *testing.B) {
	st := large(b)
	var tasks []*model.Task
	for _, t := range st.Tasks {
		tasks = append(tasks, t)
	}
	slices.SortFunc(tasks, func(a, b *model.Task) int {
		if a.ARN < b.ARN {
			return -1
		}
		return 1
	})
	b.ReportAllocs()
	i := 0
	defer benchcpu.PerOp(b)()
	for b.Loop() {
		StartCheck(st, tasks[i%len(tasks)])
		i++
	}
}
