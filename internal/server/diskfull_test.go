package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// fullDisk is the real bolt store with a disk that can fill up: while full
// is set, every write fails as a full disk fails it (ENOSPC), and nothing
// of it reaches the file.
type fullDisk struct {
	*bolt.Store
	full atomic.Bool
}

func (d *fullDisk) Apply(changes []store.Change) error {
	if d.full.Load() {
		return fmt.Errorf("write %s: %w", d.Path(), syscall.ENOSPC)
	}
	return d.Store.Apply(changes)
}

func startOn(t *testing.T, st store.Store, syncCommit bool) (*server.Server, string) {
	t.Helper()
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		Store: st, SyncCommit: syncCommit, StepInterval: 10 * time.Millisecond, Models: testModels,
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL
}

func health(t *testing.T, url string) (int, []string) {
	t.Helper()
	resp, err := http.Get(url + "/_ecsnet/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Status   string
		Problems []string
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, h.Problems
}

// TestDiskFullLeavesNoTrace: a write that cannot be saved answers 503 and
// leaves nothing in memory (a retry is not a Duplicate); once the disk has
// room again the same write succeeds, and it survives a restart. Both with
// group commit (the default) and --sync-commit.
func TestDiskFullLeavesNoTrace(t *testing.T) {
	for _, syncCommit := range []bool{false, true} {
		t.Run(fmt.Sprintf("sync-commit=%t", syncCommit), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			b, err := bolt.Open(path, bolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			disk := &fullDisk{Store: b}
			srv, url := startOn(t, disk, syncCommit)
			c := sdkClients(url).ec2
			vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
			must(t, err)
			vpcID := aws.ToString(vpc.Vpc.VpcId)
			create := func() (*ec2.CreateSecurityGroupOutput, error) {
				return c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: &vpcID})
			}
			groups := func() int {
				out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"web"}}}})
				must(t, err)
				return len(out.SecurityGroups)
			}

			disk.full.Store(true)
			for i := range 2 { // the retry while still full fails the same way
				_, err = create()
				var ae smithy.APIError
				if !errors.As(err, &ae) || ae.ErrorCode() != "ServiceUnavailable" {
					t.Fatalf("attempt %d on a full disk: %v, want ServiceUnavailable", i+1, err)
				}
				if n := groups(); n != 0 {
					t.Fatalf("attempt %d: the unsaved group is visible (%d)", i+1, n)
				}
			}
			if code, problems := health(t, url); code != http.StatusServiceUnavailable || len(problems) == 0 {
				t.Errorf("health on a full disk: HTTP %d %v, want 503 with the problem", code, problems)
			}

			disk.full.Store(false)
			sg, err := create()
			if err != nil {
				t.Fatalf("the retry once the disk has room: %v", err)
			}
			if n := groups(); n != 1 {
				t.Fatalf("%d groups named web after the retry", n)
			}
			// Later writes work too.
			_, err = c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpcID, CidrBlock: aws.String("10.0.1.0/24")})
			must(t, err)
			if code, problems := health(t, url); code != http.StatusOK {
				t.Errorf("health after recovery: HTTP %d %v", code, problems)
			}

			// Restart on the same file: the group is there, once.
			if err := srv.Close(); err != nil {
				t.Fatal(err)
			}
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			b2, err := bolt.Open(path, bolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b2.Close() })
			_, url2 := startOn(t, b2, syncCommit)
			out, err := sdkClients(url2).ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"web"}}}})
			must(t, err)
			if len(out.SecurityGroups) != 1 || aws.ToString(out.SecurityGroups[0].GroupId) != aws.ToString(sg.GroupId) {
				t.Fatalf("after restart: %+v", out.SecurityGroups)
			}
		})
	}
}
