package collect_test

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// efsOnly compares Amazon EFS: what describe-file-systems,
// describe-mount-targets and describe-access-points do not answer (the
// lifecycle, backup and file system policies, other calls, not
// collected; a mount target's creation time) is left out.
var efsOnly = cmp.Options{
	cmpopts.EquateEmpty(),
	cmpopts.EquateComparable(netip.Addr{}),
	cmpopts.IgnoreFields(model.FileSystem{}, "Created", "LifecyclePolicies", "BackupStatus", "Policy"),
	cmpopts.IgnoreFields(model.MountTarget{}, "Created"),
}

// A service whose tasks mount an EFS file system through mount targets
// whose security group does not admit NFS from them
// (examples/failures/efs-mount-target-sg.yaml), collected from ecsnet
// serve by ecsnet collect and by scripts/collect.sh: both snapshots hold
// the live file system, mount targets (their ENIs the mount targets') and
// access points, and the example's probe gives the live verdict and
// cause (the mount target's group refuses tcp/2049), not undecided.
// Before round thirty-four EFS was not collected: the snapshot's file
// system did not exist, and the cause was a name that does not resolve.
func TestCollectEFSFromServe(t *testing.T) {
	const path = "../../examples/failures/efs-mount-target-sg.yaml"
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	srv, url := serveScenario(t, path)
	check := func(t *testing.T, live *model.State, res *snapshot.Result) {
		t.Helper()
		snap, _ := res.Engine.Snapshot()
		if len(live.FileSystems) != 1 || len(live.MountTargets) != 2 {
			t.Fatalf("live: %d file systems, %d mount targets", len(live.FileSystems), len(live.MountTargets))
		}
		for what, pair := range map[string][2]any{
			"file systems":  {live.FileSystems, snap.FileSystems},
			"mount targets": {live.MountTargets, snap.MountTargets},
			"access points": {live.AccessPoints, snap.AccessPoints},
		} {
			if diff := cmp.Diff(pair[0], pair[1], efsOnly); diff != "" {
				t.Errorf("%s (-live +snapshot):\n%s", what, diff)
			}
		}
		for id, mt := range live.MountTargets {
			if n := snap.NetworkInterfaces[mt.ENI]; n == nil || n.OwnerKind != model.OwnedByEFSMountTarget || n.ManagedBy != id {
				t.Errorf("mount target %s's ENI %s in the snapshot: %+v", id, mt.ENI, n)
			}
		}
		// The cause, as the live state says it (the tasks that stopped
		// are not in the snapshot: ListTasks lists the running ones).
		// The task's address is not compared: the service starts a new
		// task (a new address) while the collector reads.
		cause := func(summary string) string {
			_, c, _ := strings.Cut(summary, "; the cause: ")
			return taskSource.ReplaceAllString(c, "from TASK")
		}
		for _, x := range sc.Expect {
			l, s := probeExpectation(t, live, x), probeExpectation(t, snap, x)
			if string(l.Verdict) != x.Verdict || s.Verdict != l.Verdict || cause(l.Summary) == "" || cause(l.Summary) != cause(s.Summary) {
				t.Errorf("%s → %s: live %s, snapshot %s, want %s\nlive     %s\nsnapshot %s", x.From, x.To, l.Verdict, s.Verdict, x.Verdict, l.Summary, s.Summary)
			}
			if u := res.UndecidedBy(s); len(u) != 0 {
				t.Errorf("%s → %s undecided: %v", x.From, x.To, u)
			}
		}
	}
	live, _, res := collectBoth(t, srv, url, nil)
	check(t, live, res)

	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		res2, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res2.Warnings {
			// The service's tasks stop and start again while the script
			// reads: an ENI of a task that stopped between the two calls.
			if !strings.Contains(w.String(), "whose task is not in describe-tasks (stopped since?)") {
				t.Errorf("warning: %s", w)
			}
		}
		check(t, live, res2)
	})
}

// taskSource is the source address a cause names ("does not allow
// tcp/2049 from 10.0.1.6").
var taskSource = regexp.MustCompile(`from \d+\.\d+\.\d+\.\d+`)
