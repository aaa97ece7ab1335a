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
	return editedStory(t, "examples/failures/docker0-vpc-cidr-overlap.yaml", edits...)
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

// node0UserData is node-0's line of the story with user data in place of
// the cluster shorthand: the ECS_CLUSTER line, then body.
func node0UserData(first, body string) []string {
	ud := "    user_data: |\n      " + first + "\n      echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"
	for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		ud += "      " + l + "\n"
	}
	return []string{"  node-0: {subnet: app-a, instance_type: m5.large, security_groups: [hosts], cluster: demo}\n",
		"  node-0:\n    subnet: app-a\n    instance_type: m5.large\n    security_groups: [hosts]\n" + ud}
}

// TestDocker0BIP: a bip in the instance's user data moves docker0 and its
// host route; it takes effect from a cloud boothook (before Docker
// starts), or from a script that restarts Docker after writing it (AWS's
// bootstrap example), not from a script that leaves Docker running.
func TestDocker0BIP(t *testing.T) {
	restart := "cat <<EOF >/etc/docker/daemon.json\n{\"bip\": \"192.168.254.1/24\"}\nEOF\nsystemctl restart docker --no-block\n"
	t.Run("a script that writes the bip and restarts Docker", func(t *testing.T) {
		n := docker0Story(t, node0UserData("#!/bin/bash", restart)...)
		checkClean(t, probeSpec(t, n, "node-0", "db-host:22", "tcp"), Connected)
		checkClean(t, probeSpec(t, n, "web", "db-host:22", "tcp"), Connected)
		checkClean(t, probeSpec(t, n, "web", "neighbour:22", "tcp"), Connected)
	})
	t.Run("a cloud boothook", func(t *testing.T) {
		n := docker0Story(t, node0UserData("#cloud-boothook", "mkdir -p /etc/docker\necho '{\"bip\":\"192.168.254.1/24\"}' > /etc/docker/daemon.json\n")...)
		checkClean(t, probeSpec(t, n, "node-0", "db-host:22", "tcp"), Connected)
	})
	t.Run("a script that does not restart Docker", func(t *testing.T) {
		n := docker0Story(t, node0UserData("#!/bin/bash", "echo '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n")...)
		ex := check(t, probeSpec(t, n, "node-0", "db-host:22", "tcp"), NoRoute, CodeDocker0Overlap)
		if m := ex[CodeDocker0Overlap].Message; !strings.Contains(m, "does not restart it") || !strings.Contains(m, "172.17.0.0/16 dev docker0") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("a bip inside the VPC: its /24 is taken instead", func(t *testing.T) {
		n := docker0Story(t, node0UserData("#!/bin/bash", strings.Replace(restart, "192.168.254.1/24", "172.17.2.1/24", 1))...)
		ex := check(t, probeSpec(t, n, "node-0", "db-host:22", "tcp"), NoRoute, CodeDocker0Overlap)
		if m := ex[CodeDocker0Overlap].Message; !strings.Contains(m, "172.17.2.0/24 dev docker0") || !strings.Contains(m, "moved there by the bip") {
			t.Errorf("message %q", m)
		}
		// The rest of the VPC is routed as usual again.
		checkClean(t, probeSpec(t, n, "web", "neighbour:22", "tcp"), Connected)
	})
}

// TestDocker0BIPExpectations runs testdata/docker0-bip.yaml's expect:
// list (the data plane's differential test checks it on the kernel).
func TestDocker0BIPExpectations(t *testing.T) {
	path := "testdata/docker0-bip.yaml"
	n := compileEngine(build(t, path))
	for _, x := range loadScenario(t, path) {
		r := probeSpec(t, n, x.From, x.To, x.Protocol)
		if string(r.Verdict) != x.Verdict {
			t.Errorf("%s → %s = %s, want %s (%s)\n%s", x.From, x.To, r.Verdict, x.Verdict, x.Note, r.Summary)
		}
	}
}

// TestDocker0Reply: a client whose address is in docker0's network gets
// no answer from the instance: the host's reply takes the route to
// docker0, and a bridge container's reply looks for the client on its own
// link, even from the instance's own subnet (the kernel agrees).
func TestDocker0Reply(t *testing.T) {
	n := docker0Story(t)
	ex := check(t, probeSpec(t, n, "db-host", "node-0:22", "tcp"), Timeout, CodeDocker0Overlap)
	if x := ex[CodeDocker0Overlap]; x.Path != "return" || !strings.Contains(x.Message, "reply of node-0 to 172.17.2.") || !strings.Contains(x.Message, "172.17.0.0/16 dev docker0") {
		t.Errorf("explanation %+v", x)
	}
	ex = check(t, probeSpec(t, n, "neighbour", "node-0:8080", "tcp"), Timeout, CodeDocker0Overlap)
	if x := ex[CodeDocker0Overlap]; x.Path != "return" || !strings.Contains(x.Message, "bridge-mode container") {
		t.Errorf("explanation %+v", x)
	}
	checkClean(t, probeSpec(t, n, "neighbour", "node-0:22", "tcp"), Connected)
	// With the bridge moved, both answer.
	m := docker0Story(t, node0UserData("#cloud-boothook", "echo '{\"bip\": \"192.168.254.1/24\"}' > /etc/docker/daemon.json\n")...)
	checkClean(t, probeSpec(t, m, "db-host", "node-0:22", "tcp"), Connected)
	checkClean(t, probeSpec(t, m, "neighbour", "node-0:8080", "tcp"), Connected)
}
