package terraform_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestEFS: aws_efs_file_system, aws_efs_mount_target, aws_efs_access_point
// and aws_efs_backup_policy create the file system; a task definition's
// efs_volume_configuration is mounted at start. With one mount target
// (us-east-1a) the shared service's task in us-east-1b cannot mount
// (ECS_EFS_NO_MOUNT_TARGET) while the one in us-east-1a runs; the locked
// service's group is not admitted on 2049 (ECS_EFS_MOUNT_UNREACHABLE). With
// a mount target in each subnet only the locked service fails.
func TestEFS(t *testing.T) {
	for _, c := range []struct {
		mounts string
		want   []string // lint codes of the services that cannot start
	}{
		{"1", []string{reach.CodeEFSMountUnreachable + " locked", reach.CodeEFSNoMountTarget + " shared"}},
		{"2", []string{reach.CodeEFSMountUnreachable + " locked"}},
	} {
		res := load(t, "testdata/efs", map[string]string{"mount_subnets": c.mounts})
		st, _ := res.Engine.Snapshot()
		var fs *model.FileSystem
		for _, f := range st.FileSystems {
			fs = f
		}
		if fs == nil || fs.CreationToken != "shared" || !fs.Encrypted || fs.BackupStatus != "ENABLED" || len(fs.LifecyclePolicies) != 1 || fs.LifeCycleState != "available" {
			t.Fatalf("file system %+v", fs)
		}
		if n := len(st.MountTargets); fmt.Sprint(n) != c.mounts {
			t.Fatalf("%d mount targets, want %s", n, c.mounts)
		}
		if len(st.AccessPoints) != 1 {
			t.Fatalf("access points %v", st.AccessPoints)
		}
		if ip := res.Outputs["mount_target_ip"]; !strings.HasPrefix(ip, "10.0.1.") {
			t.Errorf("mount_target_ip output %q", ip)
		}
		running := map[string]int{}
		for _, tk := range st.Tasks {
			if tk.LastStatus == model.TaskRunning {
				running[tk.Group]++
			}
		}
		wantShared := 1
		if c.mounts == "2" {
			wantShared = 2
		}
		if running["service:shared"] != wantShared || running["service:locked"] != 0 {
			t.Errorf("%s mount targets: running %v", c.mounts, running)
		}
		var got []string
		for _, f := range reach.Lint(reach.Compile(st)) {
			if strings.HasPrefix(f.Code, "ECS_EFS_") {
				got = append(got, f.Code+" "+f.Resource.Name)
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s mount targets: findings %q, want %q", c.mounts, got, c.want)
		}
	}
}
