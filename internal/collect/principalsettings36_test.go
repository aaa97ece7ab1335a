package collect_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// The container instances' role has awsvpcTrunking enabled for itself
// (PutAccountSetting with its principalArn) while the account default is
// off, on instances of a type that cannot trunk (t3.large): both
// collectors collect the role's own settings (describe-instances'
// instance profiles, iam get-instance-profile, list-account-settings
// --principal-arn), and the analyzer warns ECS_TRUNKING_UNSUPPORTED from
// the snapshot as from the live state. Before round thirty-six only the
// collector's own effective settings were collected: the role's setting
// was not in the snapshot and the analyzer said nothing.
func TestCollectInstanceRoleSettingsFromServe(t *testing.T) {
	testCredentials(t)
	srv, url := startStepped(t)
	cfg := sdkConfig(t, url)
	deployStepped(t, srv, cfg, corpusStack{name: "alb", template: "examples/cfn/alb.yaml",
		params: func(map[string]map[string]string) map[string]string {
			return map[string]string{"InstanceType": "t3.large"}
		}}, nil)
	// The role of the instances' profile, as IAM answers it.
	var role string
	for _, p := range must[*iam.ListInstanceProfilesOutput](t)(iam.NewFromConfig(cfg).ListInstanceProfiles(context.Background(), &iam.ListInstanceProfilesInput{})).InstanceProfiles {
		for _, r := range p.Roles {
			role = aws.ToString(r.Arn)
		}
	}
	if role == "" {
		t.Fatal("no instance profile has a role")
	}
	must[*ecs.PutAccountSettingOutput](t)(ecs.NewFromConfig(cfg).PutAccountSetting(context.Background(),
		&ecs.PutAccountSettingInput{Name: ecstypes.SettingNameAwsvpcTrunking, Value: aws.String("enabled"), PrincipalArn: aws.String(role)}))
	trunking := func(st *model.State) int {
		n := 0
		for _, f := range reach.Lint(reach.Compile(st)) {
			if f.Code == reach.CodeTrunkingUnsupported {
				n++
			}
		}
		return n
	}
	check := func(t *testing.T, live, snap *model.State) {
		t.Helper()
		key := (&model.AccountSetting{Name: "awsvpcTrunking", PrincipalARN: role}).Key()
		if s := snap.AccountSettings[key]; s == nil || s.Value != "enabled" {
			t.Errorf("the snapshot's awsvpcTrunking of %s: %+v, want enabled", role, s)
		}
		if s := snap.AccountSettings["awsvpcTrunking"]; s != nil && s.Value == "enabled" {
			t.Errorf("the snapshot's account default awsvpcTrunking is enabled: the role's setting stood for it")
		}
		l, s := trunking(live), trunking(snap)
		if l == 0 || l != s {
			t.Errorf("ECS_TRUNKING_UNSUPPORTED findings: live %d, snapshot %d", l, s)
		}
	}
	out := t.TempDir()
	if _, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := e.Snapshot()
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "list-account-settings") || strings.Contains(w.Message, "principal") {
			t.Errorf("warning: %s", w)
		}
	}
	snap, _ := res.Engine.Snapshot()
	check(t, live, snap)
	t.Run("older snapshot", func(t *testing.T) {
		// Without the file the snapshot says once that the call's output
		// is missing, and the analyzer cannot warn.
		if err := os.Remove(filepath.Join(out, "aws_configs", "us-east-1", snapshot.ECSPrincipalSettingsFileName)); err != nil {
			t.Fatal(err)
		}
		res, err := snapshot.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, w := range res.Warnings {
			if strings.Contains(w.Message, "ecs list-account-settings --principal-arn") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d warnings name the missing call, want 1: %v", n, res.Warnings)
		}
		got, _ := res.Engine.Snapshot()
		if trunking(got) != 0 {
			t.Errorf("without the role's settings the analyzer still warns of trunking")
		}
	})
	t.Run("Write", func(t *testing.T) {
		dir := t.TempDir()
		if err := snapshot.Write(dir, live); err != nil {
			t.Fatal(err)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		if _, err := os.Stat(filepath.Join(dir, "aws_configs", "us-east-1", snapshot.ECSPrincipalSettingsFileName)); err != nil {
			t.Errorf("collect.sh wrote no %s: %v", snapshot.ECSPrincipalSettingsFileName, err)
		}
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			if strings.Contains(w.Message, "list-account-settings") || strings.Contains(w.Message, "principal") {
				t.Errorf("warning: %s", w)
			}
		}
		got, _ := res.Engine.Snapshot()
		check(t, live, got)
	})
}
