package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/model"
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

// restartOn closes srv and its store b, opens the state file at path
// again and starts a server on it, as a restart does.
func restartOn(t *testing.T, srv *server.Server, b *bolt.Store, path string, syncCommit bool) (*server.Server, string) {
	t.Helper()
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
	return startOn(t, b2, syncCommit)
}

func startOn(t *testing.T, st store.Store, syncCommit bool) (*server.Server, string) {
	t.Helper()
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		Store: st, SyncCommit: syncCommit, StepInterval: 10 * time.Millisecond, Models: testModels,
		Logger: slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL
}

type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }

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
			_, url2 := restartOn(t, srv, b, path, syncCommit)
			out, err := sdkClients(url2).ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"web"}}}})
			must(t, err)
			if len(out.SecurityGroups) != 1 || aws.ToString(out.SecurityGroups[0].GroupId) != aws.ToString(sg.GroupId) {
				t.Fatalf("after restart: %+v", out.SecurityGroups)
			}
		})
	}
}

// TestDiskFullConcurrentWrites: writers keep creating security groups while
// the disk fills up and frees again. Afterwards memory and disk agree: every
// group acknowledged is there (also after a restart), every one refused is
// not, and nothing else is.
func TestDiskFullConcurrentWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disk := &fullDisk{Store: b}
	srv, url := startOn(t, disk, false)
	c := sdkClients(url).ec2
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var (
		mu        sync.Mutex
		acked     = map[string]bool{}
		refused   = map[string]bool{}
		wg        sync.WaitGroup
		stop      = make(chan struct{})
		writersWG sync.WaitGroup
	)
	for w := range 4 {
		writersWG.Add(1)
		go func() {
			defer writersWG.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("w%d-%d", w, i)
				_, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: vpc.Vpc.VpcId})
				mu.Lock()
				var ae smithy.APIError
				switch {
				case err == nil:
					acked[name] = true
				case errors.As(err, &ae) && ae.ErrorCode() == "ServiceUnavailable":
					refused[name] = true
				default:
					t.Errorf("create %s: %v", name, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 6 {
			time.Sleep(40 * time.Millisecond)
			disk.full.Store(true)
			time.Sleep(20 * time.Millisecond)
			disk.full.Store(false)
		}
		close(stop)
	}()
	wg.Wait()
	writersWG.Wait()
	if len(acked) == 0 || len(refused) == 0 {
		t.Skipf("the disk's state never changed under a write (%d acknowledged, %d refused)", len(acked), len(refused))
	}
	// The groups the engine holds (memory, or what a restart loaded from
	// the disk).
	names := func(srv *server.Server) map[string]bool {
		e, err := srv.Engine("us-east-1")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		e.Read(func(st *model.State) {
			for _, g := range st.SecurityGroups {
				if g.VpcID == model.VpcID(aws.ToString(vpc.Vpc.VpcId)) && g.Name != "default" {
					got[g.Name] = true
				}
			}
		})
		return got
	}
	check := func(when string, got map[string]bool) {
		for n := range acked {
			if !got[n] {
				t.Errorf("%s: acknowledged group %s is missing", when, n)
			}
		}
		for n := range got {
			if !acked[n] {
				t.Errorf("%s: group %s is there but was never acknowledged (refused: %t)", when, n, refused[n])
			}
		}
	}
	check("in memory", names(srv))
	// One more write with room on the disk: the store is back.
	if _, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("after"), Description: aws.String("after"), VpcId: vpc.Vpc.VpcId}); err != nil {
		t.Fatalf("a write once the disk has room: %v", err)
	}
	acked["after"] = true
	srv2, _ := restartOn(t, srv, b, path, false)
	check("after a restart", names(srv2))
	t.Logf("%d acknowledged, %d refused", len(acked), len(refused))
}
