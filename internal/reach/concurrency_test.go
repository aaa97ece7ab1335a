package reach

import (
	"sync"
	"testing"
)

// TestConcurrentQueries runs every kind of query on one Network from many
// goroutines; run with -race.
func TestConcurrentQueries(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/seed/alb.yaml")))
	var tg string
	for _, x := range n.tgOrder {
		tg = x.tg.ARN
	}
	specs := [][2]string{{"internet", "203.0.113.2:3000"}, {"ecs-asg/0", "web/0:3000"}, {"internet", "web-alb:80"}, {"web/0", "internet:443"}}
	want := make([]Verdict, len(specs))
	for i, s := range specs {
		want[i] = probeSpec(t, n, s[0], s[1], "tcp").Verdict
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				for i, s := range specs {
					q, err := NewQuery(n, s[0], s[1], "tcp")
					if err != nil {
						t.Error(err)
						return
					}
					if v := Probe(n, q).Verdict; v != want[i] {
						t.Errorf("%v: %s, want %s", s, v, want[i])
					}
				}
				TargetHealth(n, tg)
				Exposure(n)
				Lint(n)
			}
		}()
	}
	wg.Wait()
}
