package snapshot_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

const (
	d34Daemon   = "arn:aws:ecs:us-east-1:111122223333:daemon/demo/logs"
	d34Cluster  = "arn:aws:ecs:us-east-1:111122223333:cluster/demo"
	d34Revision = "arn:aws:ecs:us-east-1:111122223333:daemon-revision/demo/logs/4821937465012345678"
	d34Deploy   = "arn:aws:ecs:us-east-1:111122223333:daemon-deployment/demo/logs/0123456789abcdef"
	d34Provider = "arn:aws:ecs:us-east-1:111122223333:capacity-provider/mi"
	d34TaskDef  = "arn:aws:ecs:us-east-1:111122223333:daemon-task-definition/log-agent:1"
)

// d34Files are a daemon's describe-daemon, describe-daemon-revisions and
// daemon task definition, as the aws CLI v1 prints them.
func d34Files(t *testing.T, region string) {
	t.Helper()
	writeFile(t, filepath.Join(region, "ecs-describe-daemon.json"), `{
    "daemons": [
        {
            "daemonArn": "`+d34Daemon+`",
            "clusterArn": "`+d34Cluster+`",
            "status": "ACTIVE",
            "currentRevisions": [{"arn": "`+d34Revision+`", "capacityProviders": [{"arn": "`+d34Provider+`", "runningCount": 0}], "totalRunningCount": 0}],
            "deploymentArn": "`+d34Deploy+`",
            "createdAt": 1764979200.123
        }
    ]
}
`)
	writeFile(t, filepath.Join(region, "ecs-describe-daemon-revisions.json"), `{"daemonRevisions": [{"daemonRevisionArn": "`+d34Revision+`",
 "clusterArn": "`+d34Cluster+`", "daemonArn": "`+d34Daemon+`", "daemonTaskDefinitionArn": "`+d34TaskDef+`",
 "containerImages": [{"containerName": "agent", "image": "fluent-bit:3"}], "propagateTags": "NONE"}], "failures": []}
`)
	writeFile(t, filepath.Join(region, "ecs-describe-daemon-task-definition.json"), `{"daemonTaskDefinitions": [{"daemonTaskDefinitionArn": "`+d34TaskDef+`",
 "family": "log-agent", "revision": 1, "containerDefinitions": [{"name": "agent", "image": "fluent-bit:3", "memory": 64}]}]}
`)
}

// A daemon's deployment read from list-daemon-deployments' summary (it
// names the daemon and the target revision's ARN only): the daemon runs
// the deployment's target revision on the capacity providers
// DescribeDaemon names, and the snapshot's engine steps it without
// complaint.
func TestDaemonFromListSummary(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "us-east-1")
	d34Files(t, region)
	writeFile(t, filepath.Join(region, "ecs-list-daemon-deployments.json"), `{"daemonDeployments": [{"daemonDeploymentArn": "`+d34Deploy+`",
 "daemonArn": "`+d34Daemon+`", "clusterArn": "`+d34Cluster+`", "status": "SUCCESSFUL", "targetDaemonRevisionArn": "`+d34Revision+`"}]}
`)
	res := load(t, dir)
	for _, w := range res.Warnings {
		if w.Code != snapshot.CodeMissing {
			t.Errorf("warning: %s", w)
		}
	}
	st := state(res)
	d := st.Daemons[d34Daemon]
	if d == nil || d.Name != "logs" || d.RevisionARN != d34Revision || d.DeploymentARN != d34Deploy || d.ClusterARN != d34Cluster {
		t.Fatalf("the daemon: %+v", d)
	}
	rev := st.DaemonRevisions[d34Revision]
	if rev == nil || len(rev.CapacityProviderARNs) != 1 || rev.CapacityProviderARNs[0] != d34Provider || rev.TaskDefinitionARN != d34TaskDef {
		t.Fatalf("the revision: %+v", rev)
	}
	if dep := st.DaemonDeployments[d34Deploy]; dep == nil || dep.DaemonARN != d34Daemon || dep.TargetRevisionARN != d34Revision || dep.Status != "SUCCESSFUL" {
		t.Fatalf("the deployment: %+v", dep)
	}
	if _, err := res.Engine.Step(); err != nil {
		t.Fatal(err)
	}
}

// A daemon whose revision the snapshot lacks is skipped with a warning
// at its line (it would place tasks of nothing); one whose deployment
// is missing too says so; an element of the wrong shape is skipped at
// its own line; a truncated file is an error naming its line. The
// engine steps what remains.
func TestDaemonBadInput(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "us-east-1")
	writeFile(t, filepath.Join(region, "ecs-describe-daemon.json"), `{
    "daemons": [
        {"daemonArn": "`+d34Daemon+`", "status": "ACTIVE", "currentRevisions": [{"arn": "`+d34Revision+`"}], "deploymentArn": "`+d34Deploy+`"},
        {"daemonArn": "arn:aws:ecs:us-east-1:111122223333:daemon/demo/bad", "currentRevisions": [{"arn": 7}]}
    ]
}
`)
	res := load(t, dir)
	var dangling, bad bool
	for _, w := range res.Warnings {
		switch {
		case w.Code == snapshot.CodeDangling && w.Line == 3 && strings.Contains(w.Message, "daemon "+d34Daemon+" skipped") && strings.Contains(w.Message, "describe-daemon-revisions"):
			dangling = true
		case w.Code == snapshot.CodeBadValue && w.Line == 4 && strings.Contains(w.String(), "ecs-describe-daemon.json:4:"):
			bad = true
		}
	}
	if !dangling || !bad {
		t.Errorf("warnings: %v", res.Warnings)
	}
	if st := state(res); len(st.Daemons) != 0 {
		t.Errorf("daemons: %v", st.Daemons)
	}
	if _, err := res.Engine.Step(); err != nil {
		t.Fatal(err)
	}

	writeFile(t, filepath.Join(region, "ecs-describe-daemon-deployments.json"), "{\n  \"daemonDeployments\": [\n    {\"daemonDeploymentArn\": \"x\",")
	_, err := snapshot.Load(dir)
	var se *snapshot.SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || !strings.Contains(se.File, "ecs-describe-daemon-deployments.json") {
		t.Fatalf("a truncated file: %v", err)
	}
}

// The collector's manifest dates the snapshot (Result.TakenAt, TakenBy):
// its startedAt, as ecsnet collect and scripts/collect.sh write it; none,
// without a warning, when there is no manifest or it has no startedAt;
// none, with a warning naming the manifest, when startedAt is not a time.
func TestSnapshotTakenAt(t *testing.T) {
	for _, tc := range []struct {
		manifest, want, by, warn string
	}{
		{`{"tool": "scripts/collect.sh", "startedAt": "2026-12-01T09:30:00Z", "regions": ["us-east-1"], "calls": []}`, "2026-12-01T09:30:00Z", "scripts/collect.sh", ""},
		{`{"tool": "ecsnet collect", "startedAt": "2026-12-01T10:30:00+01:00", "calls": []}`, "2026-12-01T09:30:00Z", "ecsnet collect", ""},
		{`{"tool": "ecsnet collect", "calls": []}`, "", "ecsnet collect", ""},
		{"", "", "", ""},
		{`{"tool": "x", "startedAt": "yesterday"}`, "", "x", `startedAt "yesterday" is not an RFC 3339 time`},
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "aws_configs", "us-east-1", "ec2-describe-vpcs.json"), `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`)
		if tc.manifest != "" {
			writeFile(t, filepath.Join(dir, snapshot.ManifestName), tc.manifest)
		}
		res := load(t, dir)
		got := ""
		if !res.TakenAt.IsZero() {
			got = res.TakenAt.Format("2006-01-02T15:04:05Z07:00")
		}
		warned := false
		for _, w := range res.Warnings {
			if tc.warn != "" && strings.Contains(w.Message, tc.warn) && strings.Contains(w.File, snapshot.ManifestName) {
				warned = true
			}
		}
		if got != tc.want || res.TakenBy != tc.by || warned != (tc.warn != "") {
			t.Errorf("%s: taken at %q by %q (warned %v), want %q by %q: %v", tc.manifest, got, res.TakenBy, warned, tc.want, tc.by, res.Warnings)
		}
	}
}

// EFS written and read back: the file systems, mount targets (their ENIs
// the mount targets') and access points are the scenario's. Without the
// EFS files (a snapshot before round thirty-four), a task definition
// that mounts a file system gets a missing warning saying why its tasks
// read as failing.
func TestRoundTripEFS(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/efs-mount-target-sg.yaml")
	if len(st.FileSystems) != 1 || len(st.MountTargets) != 2 {
		t.Fatalf("the scenario: %d file systems, %d mount targets", len(st.FileSystems), len(st.MountTargets))
	}
	dir, region := writeSnapshot(t, st)
	got := state(load(t, dir))
	opts := cmp.Options{cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{}),
		cmpopts.IgnoreFields(model.FileSystem{}, "LifecyclePolicies", "BackupStatus", "Policy"), cmpopts.IgnoreFields(model.MountTarget{}, "Created")}
	for what, pair := range map[string][2]any{"file systems": {st.FileSystems, got.FileSystems}, "mount targets": {st.MountTargets, got.MountTargets},
		"access points": {st.AccessPoints, got.AccessPoints}} {
		if diff := cmp.Diff(pair[0], pair[1], opts); diff != "" {
			t.Errorf("%s (-scenario +snapshot):\n%s", what, diff)
		}
	}
	for id, mt := range st.MountTargets {
		if n := got.NetworkInterfaces[mt.ENI]; n == nil || n.OwnerKind != model.OwnedByEFSMountTarget || n.ManagedBy != id {
			t.Errorf("mount target %s's ENI: %+v", id, n)
		}
	}

	for _, f := range []string{"efs-describe-file-systems.json", "efs-describe-mount-targets.json", "efs-describe-access-points.json"} {
		if err := os.Remove(filepath.Join(region, f)); err != nil {
			t.Fatal(err)
		}
	}
	res := load(t, dir)
	missing := 0
	for _, w := range res.Warnings {
		if w.Code == snapshot.CodeMissing && strings.Contains(w.Message, "no efs describe-file-systems output") {
			missing++
		}
	}
	got = state(res)
	if missing != 1 || len(got.FileSystems) != 0 {
		t.Errorf("without the EFS files: %d file systems, warnings %v", len(got.FileSystems), res.Warnings)
	}
	// The mount targets' ENIs are still known as theirs by description.
	for id, mt := range st.MountTargets {
		if n := got.NetworkInterfaces[mt.ENI]; n == nil || n.OwnerKind != model.OwnedByEFSMountTarget || n.ManagedBy != id {
			t.Errorf("without the EFS files, mount target %s's ENI: %+v", id, n)
		}
	}
}
