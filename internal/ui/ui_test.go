package ui_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// The JSON the tests read: the parts of the API's answers they check.
type (
	topoJSON struct {
		Title     string `json:"title"`
		Version   uint64 `json:"version"`
		Collapsed bool   `json:"collapsed"`
		WhatIf    *struct {
			ID    string   `json:"id"`
			Fixes []string `json:"fixes"`
		} `json:"whatIf"`
		Counts struct {
			Tasks int `json:"tasks"`
		} `json:"counts"`
		VPCs []struct {
			Name            string `json:"name"`
			InternetGateway *struct {
				Name string `json:"name"`
			} `json:"internetGateway"`
			Zones []struct {
				Name    string       `json:"name"`
				Subnets []subnetJSON `json:"subnets"`
			} `json:"zones"`
			LoadBalancers []struct {
				Name         string `json:"name"`
				TargetGroups []struct {
					Targets []struct {
						Health string `json:"health"`
						Name   string `json:"name"`
					} `json:"targets"`
				} `json:"targetGroups"`
			} `json:"loadBalancers"`
		} `json:"vpcs"`
		Endpoints []struct {
			Spec  string   `json:"spec"`
			Kind  string   `json:"kind"`
			Ports []uint16 `json:"ports"`
		} `json:"endpoints"`
		Examples []ui.Probe `json:"examples"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
	}
	subnetJSON struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Public    bool   `json:"public"`
		Collapsed bool   `json:"collapsed"`
		Counts    struct {
			Tasks int `json:"tasks"`
		} `json:"counts"`
		Instances []struct {
			Name string    `json:"name"`
			ENIs []eniJSON `json:"enis"`
		} `json:"instances"`
		Interfaces []eniJSON `json:"interfaces"`
	}
	eniJSON struct {
		ID          string `json:"id"`
		Label       string `json:"label"`
		DeviceIndex *int   `json:"deviceIndex"`
		PrivateIP   string `json:"privateIp"`
		PublicIP    string `json:"publicIp"`
		Groups      []struct {
			Name string `json:"name"`
		} `json:"securityGroups"`
		Tasks []struct {
			Name       string `json:"name"`
			Containers []struct {
				Listen string `json:"listen"`
				Ports  []struct {
					ContainerPort uint16 `json:"containerPort"`
				} `json:"ports"`
			} `json:"containers"`
		} `json:"tasks"`
	}
	probeJSON struct {
		Version uint64 `json:"version"`
		WhatIf  *struct {
			ID          string   `json:"id"`
			Fixes       []string `json:"fixes"`
			BaseVersion uint64   `json:"baseVersion"`
		} `json:"whatIf"`
		Query struct {
			From, To, Protocol string
		} `json:"query"`
		Result struct {
			Verdict string `json:"verdict"`
			Summary string `json:"summary"`
			Forward []struct {
				Seq       int    `json:"sequenceNumber"`
				Action    string `json:"action"`
				Blocked   bool   `json:"blocked"`
				Component struct {
					Type, ID, Name string
				} `json:"component"`
			} `json:"forwardPath"`
			Explanations []struct {
				Code     string `json:"code"`
				Blocking bool   `json:"blocking"`
			} `json:"explanations"`
		} `json:"result"`
		Fixes []struct {
			Title        string   `json:"title"`
			Kind         string   `json:"kind"`
			Commands     []string `json:"awsCli"`
			Verification struct {
				From, To, Verdict string
			} `json:"verification"`
		} `json:"fixes"`
		Applied *struct {
			Title string `json:"title"`
		} `json:"applied"`
		Verified bool `json:"verified"`
	}
	detailsJSON struct {
		Kind     string `json:"kind"`
		Title    string `json:"title"`
		Fields   []struct{ Label, Value, Ref, Tone string }
		Sections []struct {
			Title   string     `json:"title"`
			Columns []string   `json:"columns"`
			Rows    [][]cellJS `json:"rows"`
		} `json:"sections"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
	}
	cellJS struct {
		T   string `json:"t"`
		Ref string `json:"ref"`
	}
)

type apiClient struct {
	t   *testing.T
	url string
}

func newAPI(t *testing.T, o ui.Options) apiClient {
	t.Helper()
	srv := httptest.NewServer(ui.New(o))
	t.Cleanup(srv.Close)
	return apiClient{t: t, url: srv.URL}
}

func articleAPI(t *testing.T) (apiClient, *engine.Engine) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	return newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }, Title: sc.Name, Examples: examples(sc)}), e
}

// do sends a request and decodes a JSON answer into out (when not nil);
// it returns the status.
func (c apiClient) do(method, path string, body any, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.url+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

func TestTopologyArticle(t *testing.T) {
	c, _ := articleAPI(t)
	var top topoJSON
	if code := c.do("GET", "/api/topology", nil, &top); code != 200 {
		t.Fatalf("status %d", code)
	}
	if top.Title != "article" || len(top.VPCs) != 1 || top.VPCs[0].InternetGateway == nil || top.VPCs[0].InternetGateway.Name != "igw" {
		t.Fatalf("title %q, VPCs %+v", top.Title, top.VPCs)
	}
	zones := top.VPCs[0].Zones
	if len(zones) != 2 || zones[0].Name != "us-east-1a" || zones[1].Name != "us-east-1c" {
		t.Fatalf("zones %+v", zones)
	}
	sub := zones[0].Subnets[0]
	if sub.Name != "public-a" || !sub.Public || len(sub.Instances) != 1 || sub.Instances[0].Name != "ecs-asg/0" {
		t.Fatalf("subnet %+v", sub)
	}
	enis := sub.Instances[0].ENIs
	if len(enis) != 2 {
		t.Fatalf("ENIs %+v", enis)
	}
	eni1, eni2 := enis[0], enis[1]
	if eni1.Label != "ENI 1" || *eni1.DeviceIndex != 0 || eni1.PublicIP != "203.0.113.2" || eni1.Groups[0].Name != "instance-sg" || len(eni1.Tasks) != 0 {
		t.Errorf("ENI 1: %+v", eni1)
	}
	if eni2.Label != "ENI 2" || *eni2.DeviceIndex != 1 || eni2.PublicIP != "" || eni2.Groups[0].Name != "task-sg" || len(eni2.Tasks) != 1 {
		t.Fatalf("ENI 2: %+v", eni2)
	}
	task := eni2.Tasks[0]
	if task.Name != "web/0" || task.Containers[0].Listen != "0.0.0.0" || task.Containers[0].Ports[0].ContainerPort != 3000 {
		t.Errorf("task on ENI 2: %+v", task)
	}
	specs := map[string]bool{}
	for _, p := range top.Endpoints {
		specs[p.Spec] = true
	}
	for _, want := range []string{"internet", "203.0.113.2", "ecs-asg/0", "web/0", "web"} {
		if !specs[want] {
			t.Errorf("pickers lack %q: %+v", want, top.Endpoints)
		}
	}
	if len(top.Examples) != 3 || top.Examples[0].To != "203.0.113.2:3000" {
		t.Errorf("examples %+v", top.Examples)
	}
	found := false
	for _, f := range top.Findings {
		found = found || f.Code == "ECS_AWSVPC_PUBLIC_INSTANCE"
	}
	if !found {
		t.Errorf("findings %+v lack ECS_AWSVPC_PUBLIC_INSTANCE", top.Findings)
	}
}

func TestProbeArticle(t *testing.T) {
	c, e := articleAPI(t)
	var p probeJSON
	if code := c.do("POST", "/api/probe", map[string]any{"from": "internet", "to": "203.0.113.2", "port": 3000}, &p); code != 200 {
		t.Fatalf("status %d", code)
	}
	if p.Query.To != "203.0.113.2:3000" || p.Result.Verdict != "timeout" || p.Version != e.Version() {
		t.Fatalf("query %+v verdict %q version %d", p.Query, p.Result.Verdict, p.Version)
	}
	var blocked []string
	for _, h := range p.Result.Forward {
		if h.Blocked {
			blocked = append(blocked, h.Component.Type+" "+h.Component.Name)
		}
	}
	if len(blocked) == 0 || blocked[0] != "network-interface ecs-asg/0 ENI 1" {
		t.Errorf("blocked hops %q, want ENI 1 first", blocked)
	}
	kinds := map[string]bool{}
	for _, f := range p.Fixes {
		kinds[f.Kind] = true
		if len(f.Commands) == 0 || f.Verification.Verdict == "" {
			t.Errorf("fix %q has no commands or verification", f.Title)
		}
	}
	for _, k := range []string{"load-balancer", "private-address", "network-mode", "fargate"} {
		if !kinds[k] {
			t.Errorf("no %s fix among %+v", k, p.Fixes)
		}
	}

	// Without fixes; a task destination takes its container port.
	p = probeJSON{}
	if code := c.do("POST", "/api/probe", map[string]any{"from": "ecs-asg/0", "to": "web/0", "fixes": false}, &p); code != 200 || p.Result.Verdict != "connected" || len(p.Fixes) != 0 {
		t.Fatalf("status %d, verdict %q, %d fixes", code, p.Result.Verdict, len(p.Fixes))
	}
}

func albFix(t *testing.T, p probeJSON) string {
	t.Helper()
	for _, f := range p.Fixes {
		if f.Kind == "load-balancer" {
			return f.Title
		}
	}
	t.Fatalf("no load balancer fix in %+v", p.Fixes)
	return ""
}

func TestWhatIfALB(t *testing.T) {
	c, e := articleAPI(t)
	before := e.Version()
	q := map[string]any{"from": "internet", "to": "203.0.113.2:3000"}
	var p probeJSON
	c.do("POST", "/api/probe", q, &p)
	title := albFix(t, p)

	var w probeJSON
	if code := c.do("POST", "/api/whatif", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "fix": title}, &w); code != 201 {
		t.Fatalf("status %d", code)
	}
	if w.WhatIf == nil || w.WhatIf.ID == "" || len(w.WhatIf.Fixes) != 1 || w.WhatIf.BaseVersion != before {
		t.Fatalf("what-if %+v", w.WhatIf)
	}
	// The verification probe of the load balancer fix goes to the ALB.
	if !w.Verified || w.Applied == nil || w.Applied.Title != title || w.Result.Verdict != "http 200" || !strings.HasPrefix(w.Query.To, "web-alb") {
		t.Fatalf("verified %v applied %+v query %+v verdict %q", w.Verified, w.Applied, w.Query, w.Result.Verdict)
	}
	if e.Version() != before {
		t.Fatalf("the real engine changed: version %d, was %d", e.Version(), before)
	}

	var wt, rt topoJSON
	c.do("GET", "/api/topology?whatif="+w.WhatIf.ID, nil, &wt)
	c.do("GET", "/api/topology", nil, &rt)
	if len(wt.VPCs[0].LoadBalancers) != 1 || wt.WhatIf == nil || wt.WhatIf.ID != w.WhatIf.ID {
		t.Fatalf("what-if topology: %d load balancers, what-if %+v", len(wt.VPCs[0].LoadBalancers), wt.WhatIf)
	}
	if tg := wt.VPCs[0].LoadBalancers[0].TargetGroups; len(tg) != 1 || len(tg[0].Targets) != 1 || tg[0].Targets[0].Health != "healthy" {
		t.Errorf("target groups %+v", tg)
	}
	if len(rt.VPCs[0].LoadBalancers) != 0 || rt.WhatIf != nil {
		t.Fatalf("real topology has %d load balancers", len(rt.VPCs[0].LoadBalancers))
	}

	// Probes and details on the what-if.
	var p2 probeJSON
	c.do("POST", "/api/probe", map[string]any{"from": "internet", "to": "web-alb", "port": 80, "whatif": w.WhatIf.ID}, &p2)
	if p2.Result.Verdict != "http 200" || p2.WhatIf == nil {
		t.Errorf("probe on the what-if: %q", p2.Result.Verdict)
	}

	// Reset.
	if code := c.do("DELETE", "/api/whatif/"+w.WhatIf.ID, nil, nil); code != 204 {
		t.Fatalf("delete: status %d", code)
	}
	var gone struct{ Error string }
	if code := c.do("GET", "/api/topology?whatif="+w.WhatIf.ID, nil, &gone); code != 404 || gone.Error == "" {
		t.Fatalf("a dropped what-if: status %d %q", code, gone.Error)
	}

	// A fix that does not exist (any more).
	if code := c.do("POST", "/api/whatif", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "fix": "no such fix"}, &gone); code != 409 {
		t.Fatalf("unknown fix: status %d", code)
	}
}

func TestWhatIfBounded(t *testing.T) {
	e, _ := system(t, "../../examples/seed/article.yaml")
	c := newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }, MaxWhatIfs: 2})
	var p probeJSON
	c.do("POST", "/api/probe", map[string]any{"from": "internet", "to": "203.0.113.2:3000"}, &p)
	title := albFix(t, p)
	var ids []string
	for range 3 {
		var w probeJSON
		if code := c.do("POST", "/api/whatif", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "fix": title}, &w); code != 201 {
			t.Fatalf("status %d", code)
		}
		ids = append(ids, w.WhatIf.ID)
		time.Sleep(2 * time.Millisecond)
	}
	if code := c.do("GET", "/api/topology?whatif="+ids[0], nil, nil); code != 404 {
		t.Errorf("the oldest of 3 what-ifs (max 2): status %d, want 404", code)
	}
	for _, id := range ids[1:] {
		if code := c.do("GET", "/api/topology?whatif="+id, nil, nil); code != 200 {
			t.Errorf("what-if %s: status %d", id, code)
		}
	}
	// Fixes stack: a what-if on a what-if.
	var p2, w2 probeJSON
	c.do("POST", "/api/probe", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "whatif": ids[2]}, &p2)
	if p2.Result.Verdict != "timeout" {
		t.Fatalf("the instance's address on the ALB what-if: %q", p2.Result.Verdict)
	}
	var sgFix string
	for _, f := range p2.Fixes {
		if f.Kind == "network-mode" {
			sgFix = f.Title
		}
	}
	if code := c.do("POST", "/api/whatif", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "fix": sgFix, "base": ids[2]}, &w2); code != 201 || len(w2.WhatIf.Fixes) != 2 {
		t.Fatalf("stacked what-if: status %d %+v", code, w2.WhatIf)
	}
}

func TestEventsOnChange(t *testing.T) {
	e, _ := system(t, "../../examples/seed/article.yaml")
	srv := httptest.NewServer(ui.New(ui.Options{Engine: func() *engine.Engine { return e }, PollInterval: 10 * time.Millisecond}))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	events := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var ev, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev != "":
				events <- ev + " " + data
				ev, data = "", ""
			}
		}
		close(events)
	}()
	next := func() string {
		select {
		case ev := <-events:
			return ev
		case <-time.After(time.Minute): // generous: the CI's machine is loaded
			t.Fatal("no event within a minute")
		}
		return ""
	}
	if got, want := next(), fmt.Sprintf(`version {"version":%d,"generation":1}`, e.Version()); got != want {
		t.Fatalf("first event %q, want %q", got, want)
	}
	var sg model.SecurityGroupID
	e.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			if g.Name == "instance-sg" {
				sg = g.ID
			}
		}
	})
	port := 3000
	if _, err := e.AuthorizeSecurityGroup(sg, false, []engine.IPPermission{{Protocol: "tcp", FromPort: &port, ToPort: &port, CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}}); err != nil {
		t.Fatal(err)
	}
	if got, want := next(), fmt.Sprintf(`version {"version":%d,"generation":1}`, e.Version()); got != want {
		t.Fatalf("event after a change %q, want %q", got, want)
	}
}

// noFlush hides the ResponseWriter's Flush, as a logging wrapper without
// Unwrap does.
type noFlush struct{ w http.ResponseWriter }

func (n noFlush) Header() http.Header         { return n.w.Header() }
func (n noFlush) Write(b []byte) (int, error) { return n.w.Write(b) }
func (n noFlush) WriteHeader(code int)        { n.w.WriteHeader(code) }

func TestEventsWithoutFlush(t *testing.T) {
	e, _ := system(t, "../../examples/seed/article.yaml")
	h := ui.New(ui.Options{Engine: func() *engine.Engine { return e }})
	rec := httptest.NewRecorder()
	h.ServeHTTP(noFlush{rec}, httptest.NewRequest("GET", "http://127.0.0.1/api/events", nil))
	if rec.Code != http.StatusNotImplemented || !strings.Contains(rec.Body.String(), "api/version") {
		t.Fatalf("status %d body %s", rec.Code, rec.Body)
	}
}

func TestMountedUnderPrefix(t *testing.T) {
	e, _ := system(t, "../../examples/seed/article.yaml")
	h := ui.New(ui.Options{Engine: func() *engine.Engine { return e }, Title: "article"})
	for _, strip := range []string{"/ui", "/ui/"} {
		mux := http.NewServeMux()
		mux.Handle("/ui/", http.StripPrefix(strip, h))
		srv := httptest.NewServer(mux)
		for path, want := range map[string]string{
			"/ui/":                     "<title>article · ecsnet</title>",
			"/ui/static/app.js":        "'use strict';",
			"/ui/static/app.css":       "prefers-color-scheme: dark",
			"/ui/api/version":          `{"version":`,
			"/ui/api/topology?expand=": `"title":"article"`,
		} {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
				t.Errorf("StripPrefix(%q) GET %s: status %d, body lacks %q", strip, path, resp.StatusCode, want)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("GET %s: CSP %q", path, csp)
			}
		}
		srv.Close()
	}
}

func TestBadRequests(t *testing.T) {
	c, _ := articleAPI(t)
	var out struct{ Error string }
	cases := []struct {
		name   string
		method string
		path   string
		body   any
		code   int
	}{
		{"unknown field", "POST", "/api/probe", map[string]any{"from": "internet", "to": "x", "bogus": 1}, 400},
		{"no source", "POST", "/api/probe", map[string]any{"to": "203.0.113.2:3000"}, 400},
		{"bad protocol", "POST", "/api/probe", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "protocol": "sctp"}, 400},
		{"bad port", "POST", "/api/probe", map[string]any{"from": "internet", "to": "203.0.113.2", "port": 70000}, 400},
		{"unknown name", "POST", "/api/probe", map[string]any{"from": "internet", "to": "nope:80"}, 400},
		{"too large", "POST", "/api/probe", map[string]any{"from": strings.Repeat("x", 70<<10), "to": "y"}, 413},
		{"unknown what-if", "POST", "/api/probe", map[string]any{"from": "internet", "to": "203.0.113.2:3000", "whatif": "0123"}, 404},
		{"what-if without a fix", "POST", "/api/whatif", map[string]any{"from": "internet", "to": "203.0.113.2:3000"}, 400},
		{"no such API", "GET", "/api/nope", nil, 404},
		{"no such resource", "GET", "/api/resource?id=sg-000", nil, 404},
		{"resource without id", "GET", "/api/resource", nil, 400},
		{"drop an unknown what-if", "DELETE", "/api/whatif/abc", nil, 404},
	}
	for _, tc := range cases {
		out.Error = ""
		if code := c.do(tc.method, tc.path, tc.body, &out); code != tc.code || out.Error == "" {
			t.Errorf("%s: status %d error %q, want %d and a message", tc.name, code, out.Error, tc.code)
		}
	}

	// State-changing requests only from the page itself.
	for _, tc := range []struct {
		name, ctype, origin string
		code                int
	}{
		{"form post", "application/x-www-form-urlencoded", "", 403},
		{"text/plain", "text/plain", "", 403},
		{"other origin", "application/json", "http://evil.example", 403},
		{"opaque origin (sandboxed frame, file: page)", "application/json", "null", 403},
		{"another port of localhost", "application/json", "http://localhost:1", 403},
		{"same site, no Origin", "application/json", "same-site", 403},
		{"cross site, no Origin", "application/json", "cross-site", 403},
		{"DNS rebinding: Host evil.example", "application/json", "host:evil.example", 403},
		{"same origin", "application/json", c.url, 200},
	} {
		req, _ := http.NewRequest("POST", c.url+"/api/probe", strings.NewReader(`{"from":"internet","to":"203.0.113.2:3000","fixes":false}`))
		req.Header.Set("Content-Type", tc.ctype)
		switch {
		case strings.HasPrefix(tc.origin, "host:"):
			req.Host = strings.TrimPrefix(tc.origin, "host:")
		case strings.HasSuffix(tc.origin, "-site"):
			req.Header.Set("Sec-Fetch-Site", tc.origin)
		case tc.origin != "":
			req.Header.Set("Origin", tc.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.code)
		}
	}
	// Reads too answer loopback Host names only (DNS rebinding).
	for _, p := range []string{"/", "/api/topology", "/api/events", "/static/app.js"} {
		req, _ := http.NewRequest("GET", c.url+p, nil)
		req.Host = "rebind.evil.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("GET %s with Host rebind.evil.example: status %d, want 403", p, resp.StatusCode)
		}
	}
}

func TestNoEngine(t *testing.T) {
	c := newAPI(t, ui.Options{Engine: func() *engine.Engine { return nil }})
	var out struct{ Error string }
	if code := c.do("GET", "/api/topology", nil, &out); code != 503 || out.Error == "" {
		t.Fatalf("status %d %q", code, out.Error)
	}
	if code := c.do("GET", "/", nil, nil); code != 200 {
		t.Fatalf("page: status %d", code)
	}
}

func TestResourceDetails(t *testing.T) {
	e, sc := system(t, "../../examples/seed/alb.yaml")
	c := newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }, Title: sc.Name})
	ids := map[string]string{}
	e.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			ids[g.Name] = string(g.ID)
		}
		for _, s := range st.Subnets {
			ids[s.Tags.Name()] = string(s.ID)
		}
		for _, lb := range st.LoadBalancers {
			ids[lb.Name] = lb.ARN
		}
		for _, i := range st.Instances {
			ids["instance"] = string(i.ID)
		}
	})
	section := func(d detailsJSON, title string) [][]cellJS {
		for _, s := range d.Sections {
			if s.Title == title {
				return s.Rows
			}
		}
		t.Fatalf("%s %s has no section %q", d.Kind, d.Title, title)
		return nil
	}
	var sg detailsJSON
	c.do("GET", "/api/resource?id="+ids["task-sg"], nil, &sg)
	if in := section(sg, "Inbound rules"); len(in) != 1 || in[0][0].T != "tcp" || in[0][1].T != "3000" || in[0][2].T != "sg alb-sg" || in[0][2].Ref != ids["alb-sg"] {
		t.Errorf("task-sg inbound %+v", in)
	}
	var sub detailsJSON
	c.do("GET", "/api/resource?id="+ids["public-a"], nil, &sub)
	if routes := section(sub, "Routes"); len(routes) != 2 || routes[1][0].T != "0.0.0.0/0" || routes[1][1].T != "igw" {
		t.Errorf("public-a routes %+v", routes)
	}
	if acl := section(sub, "Network ACL inbound"); len(acl) != 2 || acl[0][0].T != "100" || acl[1][0].T != "*" {
		t.Errorf("public-a ACL inbound %+v", acl)
	}
	var lb detailsJSON
	c.do("GET", "/api/resource?id="+ids["web-alb"], nil, &lb)
	if h := section(lb, "Target health"); len(h) != 1 || h[0][4].T != "healthy" || h[0][2].T != "web/0" {
		t.Errorf("web-alb target health %+v", h)
	}
	var inst detailsJSON
	c.do("GET", "/api/resource?id="+ids["instance"], nil, &inst)
	if enis := section(inst, "Network interfaces"); len(enis) != 2 || enis[0][3].T != "203.0.113.2" || enis[1][3].T != "no public IP" {
		t.Errorf("instance ENIs %+v", enis)
	}
}

// TestFiftyTasks checks the system of 50 tasks the browser test draws, and
// collapsing: above CollapseAbove tasks subnets come as counts until
// expanded.
func TestFiftyTasks(t *testing.T) {
	e, _ := system(t, "testdata/fifty.yaml")
	c := newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }})
	var top topoJSON
	c.do("GET", "/api/topology", nil, &top)
	if top.Counts.Tasks != 50 || top.Collapsed {
		t.Fatalf("%d tasks, collapsed %v; want 50, drawn whole", top.Counts.Tasks, top.Collapsed)
	}

	small := newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }, CollapseAbove: 10})
	top = topoJSON{}
	small.do("GET", "/api/topology", nil, &top)
	if !top.Collapsed {
		t.Fatal("not collapsed above CollapseAbove")
	}
	var target subnetJSON
	total := 0
	for _, z := range top.VPCs[0].Zones {
		for _, s := range z.Subnets {
			total += s.Counts.Tasks
			if !s.Collapsed || len(s.Instances) != 0 {
				t.Errorf("subnet %s: collapsed %v with %d instances", s.Name, s.Collapsed, len(s.Instances))
			}
			if s.Name == "private-b" {
				target = s
			}
		}
	}
	if total != 50 {
		t.Errorf("collapsed subnets count %d tasks, want 50", total)
	}
	top = topoJSON{}
	small.do("GET", "/api/topology?expand="+target.ID, nil, &top)
	for _, z := range top.VPCs[0].Zones {
		for _, s := range z.Subnets {
			if s.ID == target.ID && (s.Collapsed || len(s.Instances) != 2) {
				t.Errorf("expanded %s: collapsed %v, %d instances", s.Name, s.Collapsed, len(s.Instances))
			}
		}
	}
}

// BenchmarkTopologyFifty measures api/topology on the system of 50 tasks
// after a change (compile, target health, lint, layout, JSON).
func BenchmarkTopologyFifty(b *testing.B) {
	e, _ := system(b, "testdata/fifty.yaml")
	h := ui.New(ui.Options{Engine: func() *engine.Engine { return e }})
	var sg model.SecurityGroupID
	e.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			if g.Name == "worker-sg" {
				sg = g.ID
			}
		}
	})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// A change each time, so the cache does not answer.
		p := 1 + i%60000
		perm := engine.IPPermission{Protocol: "tcp", FromPort: &p, ToPort: &p, CIDRs: []engine.RuleSource{{Value: fmt.Sprintf("10.9.%d.0/24", i/60000)}}}
		if _, err := e.AuthorizeSecurityGroup(sg, false, []engine.IPPermission{perm}); err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/api/topology", nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
		if _, err := e.RevokeSecurityGroup(sg, false, []engine.IPPermission{perm}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestResourceDetailsBlockPublicAccess checks that a VPC and its subnets
// show the Block Public Access mode in force: the account's mode where
// nothing is excluded, off where a subnet's exclusion allows both ways.
func TestResourceDetailsBlockPublicAccess(t *testing.T) {
	e, sc := system(t, "../../examples/failures/bpa-fargate-public-ip.yaml")
	c := newAPI(t, ui.Options{Engine: func() *engine.Engine { return e }, Title: sc.Name})
	ids := map[string]string{}
	e.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			ids[s.Tags.Name()] = string(s.ID)
		}
		for _, v := range st.VPCs {
			ids["vpc"] = string(v.ID)
		}
	})
	field := func(id string) (string, string) {
		var d detailsJSON
		c.do("GET", "/api/resource?id="+id, nil, &d)
		for _, f := range d.Fields {
			if f.Label == "Block Public Access" {
				return f.Value, f.Tone
			}
		}
		t.Fatalf("%s %s has no Block Public Access field: %+v", d.Kind, d.Title, d.Fields)
		return "", ""
	}
	if v, tone := field(ids["vpc"]); v != "block-bidirectional (account: block-bidirectional)" || tone != "bad" {
		t.Errorf("VPC: %q (%s)", v, tone)
	}
	if v, tone := field(ids["app-a"]); v != "block-bidirectional (account: block-bidirectional)" || tone != "bad" {
		t.Errorf("app-a: %q (%s)", v, tone)
	}
	if v, tone := field(ids["lb-a"]); !strings.HasPrefix(v, "off here (account: block-bidirectional; exclusion vpcbpa-exclude-") || !strings.HasSuffix(v, " allow-bidirectional)") || tone != "ok" {
		t.Errorf("lb-a: %q (%s)", v, tone)
	}
}
