package server_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// TestDaemonTaskDefinitions drives ECS Managed Daemons' daemon task
// definitions through the Go SDK: revisions of a family registered,
// described by family (the latest ACTIVE), family:revision and ARN, with
// their container definitions answered as given (after a restart on the
// bolt store too); listed by family prefix, LAST_REGISTERED, status and
// sort order, a page at a time; deleted to DELETE_IN_PROGRESS, and
// refused when deleted twice, named by a bare family, or with an invalid
// family.
func TestDaemonTaskDefinitions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	c := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) })
	code := func(err error) string {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return ""
	}
	register := func(family string) string {
		t.Helper()
		out, err := c.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: &family, Cpu: aws.String("256"), Memory: aws.String("512"),
			ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String("agent"), Image: aws.String("public.ecr.aws/example/agent:1"),
				Memory: aws.Int32(128), Essential: aws.Bool(true), Privileged: aws.Bool(true),
				Environment: []ecstypes.KeyValuePair{{Name: aws.String("MODE"), Value: aws.String("node")}},
				MountPoints: []ecstypes.MountPoint{{SourceVolume: aws.String("proc"), ContainerPath: aws.String("/host/proc"), ReadOnly: aws.Bool(true)}}}},
			Volumes: []ecstypes.DaemonVolume{{Name: aws.String("proc"), Host: &ecstypes.HostVolumeProperties{SourcePath: aws.String("/proc")}}}})
		must(t, err)
		return aws.ToString(out.DaemonTaskDefinitionArn)
	}
	first := register("monitor")
	second := register("monitor")
	register("logs")
	if !strings.HasSuffix(first, ":daemon-task-definition/monitor:1") || !strings.HasSuffix(second, ":daemon-task-definition/monitor:2") {
		t.Errorf("ARNs %s, %s; want …:daemon-task-definition/monitor:1 and :2", first, second)
	}
	_, err = c.RegisterDaemonTaskDefinition(ctx, &ecs.RegisterDaemonTaskDefinitionInput{Family: aws.String("bad family"),
		ContainerDefinitions: []ecstypes.DaemonContainerDefinition{{Name: aws.String("a"), Image: aws.String("x")}}})
	if code(err) != "ClientException" {
		t.Errorf("an invalid family: %v, want ClientException", err)
	}
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	c = ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) })
	for _, ref := range []string{"monitor", "monitor:2", second} {
		d, err := c.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String(ref)})
		must(t, err)
		td := d.DaemonTaskDefinition
		if aws.ToString(td.DaemonTaskDefinitionArn) != second || td.Revision != 2 || td.Status != ecstypes.DaemonTaskDefinitionStatusActive ||
			aws.ToString(td.Cpu) != "256" || len(td.Volumes) != 1 || aws.ToString(td.Volumes[0].Host.SourcePath) != "/proc" || td.RegisteredAt == nil {
			t.Errorf("describe %s: %+v", ref, td)
		}
		if cd := td.ContainerDefinitions; len(cd) != 1 || aws.ToInt32(cd[0].Memory) != 128 || !aws.ToBool(cd[0].Privileged) ||
			len(cd[0].MountPoints) != 1 || aws.ToString(cd[0].Environment[0].Value) != "node" {
			t.Errorf("describe %s: container definitions %+v", ref, cd)
		}
	}
	if _, err := c.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String("monitor:9")}); code(err) != "ClientException" {
		t.Errorf("describe monitor:9: %v, want ClientException", err)
	}
	list := func(in *ecs.ListDaemonTaskDefinitionsInput) []string {
		t.Helper()
		var arns []string
		for {
			out, err := c.ListDaemonTaskDefinitions(ctx, in)
			must(t, err)
			for _, s := range out.DaemonTaskDefinitions {
				arns = append(arns, aws.ToString(s.Arn)[strings.LastIndexByte(aws.ToString(s.Arn), '/')+1:])
			}
			if out.NextToken == nil {
				return arns
			}
			in.NextToken = out.NextToken
		}
	}
	if got := strings.Join(list(&ecs.ListDaemonTaskDefinitionsInput{MaxResults: aws.Int32(1)}), ","); got != "logs:1,monitor:1,monitor:2" {
		t.Errorf("list: %s", got)
	}
	if got := strings.Join(list(&ecs.ListDaemonTaskDefinitionsInput{FamilyPrefix: aws.String("mon"), Sort: ecstypes.SortOrderDesc}), ","); got != "monitor:2,monitor:1" {
		t.Errorf("list mon* DESC: %s", got)
	}
	if got := strings.Join(list(&ecs.ListDaemonTaskDefinitionsInput{Revision: ecstypes.DaemonTaskDefinitionRevisionFilterLastRegistered}), ","); got != "logs:1,monitor:2" {
		t.Errorf("list LAST_REGISTERED: %s", got)
	}

	del, err := c.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String("monitor:2")})
	must(t, err)
	if aws.ToString(del.DaemonTaskDefinitionArn) != second {
		t.Errorf("delete answered %s", aws.ToString(del.DaemonTaskDefinitionArn))
	}
	if _, err := c.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionInput{DaemonTaskDefinition: &second}); code(err) != "ClientException" {
		t.Errorf("deleting it again: %v, want ClientException", err)
	}
	if _, err := c.DeleteDaemonTaskDefinition(ctx, &ecs.DeleteDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String("logs")}); code(err) != "ClientException" {
		t.Errorf("deleting a bare family: %v, want ClientException", err)
	}
	d, err := c.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionInput{DaemonTaskDefinition: &second})
	must(t, err)
	if d.DaemonTaskDefinition.Status != ecstypes.DaemonTaskDefinitionStatusDeleteInProgress || d.DaemonTaskDefinition.DeleteRequestedAt == nil {
		t.Errorf("after delete: status %s, deleteRequestedAt %v", d.DaemonTaskDefinition.Status, d.DaemonTaskDefinition.DeleteRequestedAt)
	}
	// The family now resolves to its latest ACTIVE revision, 1.
	d, err = c.DescribeDaemonTaskDefinition(ctx, &ecs.DescribeDaemonTaskDefinitionInput{DaemonTaskDefinition: aws.String("monitor")})
	must(t, err)
	if d.DaemonTaskDefinition.Revision != 1 {
		t.Errorf("monitor after deleting revision 2: revision %d, want 1", d.DaemonTaskDefinition.Revision)
	}
	if got := strings.Join(list(&ecs.ListDaemonTaskDefinitionsInput{Status: ecstypes.DaemonTaskDefinitionStatusFilterDeleteInProgress}), ","); got != "monitor:2" {
		t.Errorf("list DELETE_IN_PROGRESS: %s", got)
	}
	if got := strings.Join(list(&ecs.ListDaemonTaskDefinitionsInput{Status: ecstypes.DaemonTaskDefinitionStatusFilterAll, Family: aws.String("monitor")}), ","); got != "monitor:1,monitor:2" {
		t.Errorf("list ALL of monitor: %s", got)
	}
}
