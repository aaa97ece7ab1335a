package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// docker0Story builds examples/failures/docker0-vpc-cidr-overlap.yaml with
// each edit (old → new) applied.
func docker0Story(t *testing.T, edits ...string) *Network {
	t.Helper()
	path := repoFile("examples/failures/docker0-vpc-cidr-overlap.yaml")
	data := readFile(t, path)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			t.Fatalf("edit %q: not in the story", edits[i])
		}
		data = strings.Replace(data, edits[i], edits[i+1], 1)
	}
	data = data[:strings.Index(data, "\nexpect:")]
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return compileEngine(b.Engine)
}

const awsvpcWorker = `  worker:
    network_mode: awsvpc
    requires: [EC2]
    containers:
      worker: {image: public.ecr.aws/docker/library/python:3.12, memory: 256}
`

func TestDocker0Overlap(t *testing.T) {
	t.Run("the instance: the rest of the VPC goes to docker0", func(t *testing.T) {
		n := docker0Story(t)
		ex := check(t, probeSpec(t, n, "node-0", "db-host:22", "tcp"), NoRoute, CodeDocker0Overlap)
		if m := ex[CodeDocker0Overlap].Message; !strings.Contains(m, "172.17.0.0/16 dev docker0") || !strings.Contains(m, "bip") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("a bridge task of the instance too", func(t *testing.T) {
		check(t, probeSpec(t, docker0Story(t), "web", "db-host:22", "tcp"), NoRoute, CodeDocker0Overlap)
	})
	t.Run("a bridge container's own link is all of 172.17.0.0/16, its instance's subnet too", func(t *testing.T) {
		n := docker0Story(t)
		ex := check(t, probeSpec(t, n, "web", "neighbour:22", "tcp"), NoRoute, CodeDocker0Overlap)
		if m := ex[CodeDocker0Overlap].Message; !strings.Contains(m, "bridge-mode containers") || !strings.Contains(m, "own subnet") {
			t.Errorf("message %q", m)
		}
		// The instance's own address still answers (the host answers ARP
		// for it on docker0).
		checkClean(t, probeSpec(t, n, "web", "node-0:22", "tcp"), Connected)
	})
	t.Run("the instance's own subnet is more specific", func(t *testing.T) {
		checkClean(t, probeSpec(t, docker0Story(t), "node-0", "neighbour:22", "tcp"), Connected)
	})
	t.Run("no bridge task, no docker0", func(t *testing.T) {
		n := docker0Story(t, "  web:\n    cluster: demo\n    task_definition: web\n    launch_type: EC2\n", "")
		checkClean(t, probeSpec(t, n, "node-0", "db-host:22", "tcp"), Connected)
	})
	t.Run("an awsvpc task of the instance has its own namespace", func(t *testing.T) {
		n := docker0Story(t, "task_definitions:\n", "task_definitions:\n"+awsvpcWorker,
			"tasks:\n", "tasks:\n  worker:\n    cluster: demo\n    task_definition: worker\n    launch_type: EC2\n    subnets: [app-a]\n    security_groups: [hosts]\n")
		checkClean(t, probeSpec(t, n, "worker", "db-host:22", "tcp"), Connected)
	})
	t.Run("a VPC outside 172.17.0.0/16", func(t *testing.T) {
		r := strings.NewReplacer("172.17.", "10.9.")
		path := repoFile("examples/failures/docker0-vpc-cidr-overlap.yaml")
		data := r.Replace(readFile(t, path))
		data = data[:strings.Index(data, "\nexpect:")]
		sc, err := scenario.Parse(path, []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		b, err := sc.Build(engine.WithStartCheck(StartCheck))
		if err != nil {
			t.Fatal(err)
		}
		checkClean(t, probeSpec(t, compileEngine(b.Engine), "node-0", "db-host:22", "tcp"), Connected)
	})
}
