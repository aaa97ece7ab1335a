package ui_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// TestMountedInEmulator mounts the UI at /ui/ beside the emulator's AWS
// APIs, as ecsnet serve does, and checks that a change made with an EC2
// call reaches the page's event stream.
func TestMountedInEmulator(t *testing.T) {
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	sc, err := scenario.Load("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.LoadScenario(sc); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/ui/", http.StripPrefix("/ui", ui.New(ui.Options{
		Engine: func() *engine.Engine {
			e, err := srv.Engine("") // the default region
			if err != nil {
				return nil
			}
			return e
		},
		Title:        "ecsnet serve",
		PollInterval: 20 * time.Millisecond,
	})))
	mux.Handle("/", srv)
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)

	var top topoJSON
	if code := (apiClient{t: t, url: hs.URL + "/ui"}).do("GET", "/api/topology", nil, &top); code != 200 || len(top.VPCs) != 1 {
		t.Fatalf("topology through the emulator: status %d, %d VPCs", code, len(top.VPCs))
	}

	resp, err := http.Get(hs.URL + "/ui/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "data: ") {
				data <- strings.TrimPrefix(l, "data: ")
			}
		}
		close(data)
	}()
	next := func() string {
		select {
		case d := <-data:
			return d
		case <-time.After(time.Minute): // generous: the CI's machine is loaded
			t.Fatal("no event within a minute")
		}
		return ""
	}
	e, _ := srv.Engine("")
	if got, want := next(), fmt.Sprintf(`{"version":%d,"generation":1}`, e.Version()); got != want {
		t.Fatalf("first event %s, want %s", got, want)
	}

	var sg model.SecurityGroupID
	e.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			if g.Name == "instance-sg" {
				sg = g.ID
			}
		}
	})
	form := url.Values{"Action": {"AuthorizeSecurityGroupIngress"}, "Version": {"2016-11-15"}, "GroupId": {string(sg)},
		"IpPermissions.1.IpProtocol": {"tcp"}, "IpPermissions.1.FromPort": {"3000"}, "IpPermissions.1.ToPort": {"3000"},
		"IpPermissions.1.IpRanges.1.CidrIp": {"0.0.0.0/0"}}
	req, _ := http.NewRequest("POST", hs.URL+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0")
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("AuthorizeSecurityGroupIngress: %d %s", r.StatusCode, body)
	}
	if got, want := next(), fmt.Sprintf(`{"version":%d,"generation":1}`, e.Version()); got != want {
		t.Fatalf("event after the API call %s, want %s", got, want)
	}
}
