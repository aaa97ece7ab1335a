// Command benchcmp benchmarks `ecsnet serve` and moto_server side by side
// with the same load generator and the same requests: ListClusters,
// DescribeClusters, RunTask and DescribeNetworkInterfaces over ~200 ENIs,
// plus the time from start to the first answered request. It prints a
// Markdown report (docs/performance.md holds one).
//
//	go run ./internal/server/benchcmp                 # ecsnet --ephemeral, ecsnet --state, moto
//	go run ./internal/server/benchcmp -c 1,8 -d 5s    # concurrency levels, time per read call
//	scripts/bench-vs-moto                             # the same, via the wrapper
//
// Requests carry a SigV4-shaped Authorization header (any credentials; the
// credential scope names the service and region) so both emulators
// dispatch them the same way; bodies are built once, as botocore sends
// them.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.ecsnet, "ecsnet", "", "ecsnet binary (default: go build ./cmd/ecsnet)")
	flag.StringVar(&o.moto, "moto", "moto_server", "moto_server binary (empty: skip moto)")
	flag.DurationVar(&o.dur, "d", 5*time.Second, "how long each read call is measured")
	flag.IntVar(&o.runTasks, "runtask", 1000, "RunTask requests per measurement")
	flag.StringVar(&o.conc, "c", "1,8", "concurrency levels (clients at once)")
	flag.IntVar(&o.enis, "enis", 200, "ENIs created before DescribeNetworkInterfaces")
	flag.StringVar(&o.targets, "targets", "ecsnet-ephemeral,ecsnet-state,moto",
		"what to measure: ecsnet-ephemeral, ecsnet-state (group commit), ecsnet-state-sync (an fsync per write), ecsnet-nocache (no read cache), moto")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchcmp:", err)
		os.Exit(1)
	}
}

type options struct {
	ecsnet, moto string
	dur          time.Duration
	runTasks     int
	conc         string
	enis         int
	targets      string
}

type result struct {
	target, call string
	conc         int
	n            int
	rps          float64
	p50, p99     time.Duration
	errors       int
}

func run(o options) error {
	tmp, err := os.MkdirTemp("", "benchcmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.ecsnet == "" && strings.Contains(o.targets, "ecsnet") {
		o.ecsnet = filepath.Join(tmp, "ecsnet")
		fmt.Fprintln(os.Stderr, "building ecsnet…")
		if out, err := exec.Command("go", "build", "-o", o.ecsnet, "./cmd/ecsnet").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	var levels []int
	for _, s := range strings.Split(o.conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-c %q: want numbers >= 1", o.conc)
		}
		levels = append(levels, n)
	}
	var all []result
	starts := map[string]time.Duration{}
	for _, target := range strings.Split(o.targets, ",") {
		var argv []string
		switch target {
		case "ecsnet-ephemeral":
			argv = []string{o.ecsnet, "serve", "--ephemeral", "--log-level", "warn"}
		case "ecsnet-state":
			argv = []string{o.ecsnet, "serve", "--state", filepath.Join(tmp, "state.db"), "--log-level", "warn"}
		case "ecsnet-nocache":
			argv = []string{o.ecsnet, "serve", "--ephemeral", "--read-cache=false", "--log-level", "warn"}
		case "ecsnet-state-sync":
			argv = []string{o.ecsnet, "serve", "--state", filepath.Join(tmp, "state-sync.db"), "--sync-commit", "--log-level", "warn"}
		case "moto":
			if o.moto == "" {
				continue
			}
			argv = []string{o.moto}
		default:
			return fmt.Errorf("unknown target %q", target)
		}
		fmt.Fprintf(os.Stderr, "== %s\n", target)
		s, err := start(target, argv)
		if err != nil {
			return err
		}
		starts[target] = s.startup
		res, err := measure(s, target, o, levels)
		s.stop()
		if err != nil {
			return fmt.Errorf("%s: %w", target, err)
		}
		all = append(all, res...)
	}
	report(os.Stdout, all, starts, levels, o)
	return nil
}

// server is a running emulator.
type server struct {
	url     string
	cmd     *exec.Cmd
	startup time.Duration // from exec to the first answered ListClusters
	client  *http.Client
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func start(target string, argv []string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if target == "moto" {
		argv = append(argv, "-p", strconv.Itoa(port))
	} else {
		argv = append(argv, "--addr", "127.0.0.1:"+strconv.Itoa(port))
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64, DisableCompression: true}
	s := &server{url: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
	probe := listClusters()
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for {
		if code, _, err := s.do(probe); err == nil && code == 200 {
			break
		}
		if time.Since(t0) > 30*time.Second {
			s.stop()
			return nil, errors.New(target + " did not answer within 30 s")
		}
		time.Sleep(200 * time.Microsecond)
	}
	s.startup = time.Since(t0)
	return s, nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// request is one prepared API call.
type request struct {
	service string // credential scope service
	target  string // X-Amz-Target (JSON services)
	body    []byte
}

func (s *server) do(r request) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, s.url+"/", bytes.NewReader(r.body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/"+r.service+"/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000")
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	if r.target != "" {
		req.Header.Set("X-Amz-Target", r.target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func ecsCall(op string, body any) request {
	b, _ := json.Marshal(body)
	return request{service: "ecs", target: "AmazonEC2ContainerServiceV20141113." + op, body: b}
}

func ec2Call(form string) request {
	return request{service: "ec2", body: []byte(form + "&Version=2016-11-15")}
}

func listClusters() request { return ecsCall("ListClusters", map[string]any{}) }

var (
	vpcRE      = regexp.MustCompile(`<vpcId>(vpc-[0-9a-f]+)</vpcId>`)
	subnetRE   = regexp.MustCompile(`<subnetId>(subnet-[0-9a-f]+)</subnetId>`)
	instanceRE = regexp.MustCompile(`<instanceId>(i-[0-9a-f]+)</instanceId>`)
)

func (s *server) must(r request, re *regexp.Regexp) (string, error) {
	code, body, err := s.do(r)
	if err != nil {
		return "", err
	}
	if code != 200 {
		return "", fmt.Errorf("%s %s: HTTP %d %s", r.service, r.target, code, truncate(body))
	}
	if re == nil {
		return "", nil
	}
	m := re.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no match for %s in %s", re, truncate(body))
	}
	return string(m[1]), nil
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// setup creates the same state on both emulators: a cluster with one
// container instance (registered explicitly, as moto needs), a bridge task
// definition without ports (so RunTask never runs out of host ports), and
// o.enis network interfaces.
func setup(s *server, o options) error {
	vpc, err := s.must(ec2Call("Action=CreateVpc&CidrBlock=10.0.0.0%2F16"), vpcRE)
	if err != nil {
		return err
	}
	subnet, err := s.must(ec2Call("Action=CreateSubnet&VpcId="+vpc+"&CidrBlock=10.0.0.0%2F20&AvailabilityZone=us-east-1a"), subnetRE)
	if err != nil {
		return err
	}
	if _, err := s.must(ecsCall("CreateCluster", map[string]any{"clusterName": "bench"}), nil); err != nil {
		return err
	}
	inst, err := s.must(ec2Call("Action=RunInstances&ImageId=ami-0c1f2a3b4d5e6f708&InstanceType=m5.24xlarge&MinCount=1&MaxCount=1&SubnetId="+subnet), instanceRE)
	if err != nil {
		return err
	}
	doc, _ := json.Marshal(map[string]string{"instanceId": inst, "region": "us-east-1", "availabilityZone": "us-east-1a"})
	reg := ecsCall("RegisterContainerInstance", map[string]any{"cluster": "bench", "instanceIdentityDocument": string(doc)})
	deadline := time.Now().Add(10 * time.Second)
	for {
		// ecsnet registers only running instances: the instance boots on the
		// next engine step.
		code, body, err := s.do(reg)
		if err == nil && code == 200 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("RegisterContainerInstance: %d %s %v", code, truncate(body), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := s.must(ecsCall("RegisterTaskDefinition", map[string]any{"family": "bench", "networkMode": "bridge",
		"containerDefinitions": []any{map[string]any{"name": "app", "image": "nginx", "memory": 4, "cpu": 0}}}), nil); err != nil {
		return err
	}
	for i := 0; i < o.enis; i++ {
		if _, err := s.must(ec2Call("Action=CreateNetworkInterface&SubnetId="+subnet+"&Description=bench"), nil); err != nil {
			return err
		}
	}
	return nil
}

type call struct {
	name  string
	req   request
	count int // fixed number of requests (0: for o.dur)
}

func measure(s *server, target string, o options, levels []int) ([]result, error) {
	if err := setup(s, o); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	calls := []call{
		{name: "ListClusters", req: listClusters()},
		{name: "DescribeClusters", req: ecsCall("DescribeClusters", map[string]any{"clusters": []string{"bench"}})},
		{name: "RunTask", req: ecsCall("RunTask", map[string]any{"cluster": "bench", "taskDefinition": "bench", "launchType": "EC2"}), count: o.runTasks},
		{name: fmt.Sprintf("DescribeNetworkInterfaces (%d ENIs)", o.enis+1), req: ec2Call("Action=DescribeNetworkInterfaces")},
	}
	var out []result
	for _, c := range calls {
		for _, conc := range levels {
			r := load(s, c, conc, o.dur)
			r.target = target
			fmt.Fprintf(os.Stderr, "  %-36s c=%-3d %8.0f req/s  p50 %-10v p99 %-10v errors %d\n", c.name, conc, r.rps, r.p50, r.p99, r.errors)
			out = append(out, r)
		}
	}
	return out, nil
}

// load runs one call from conc clients, for d or for c.count requests.
func load(s *server, c call, conc int, d time.Duration) result {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	ctx, cancel := context.WithTimeout(context.Background(), d)
	if c.count > 0 {
		cancel()
		ctx, cancel = context.WithTimeout(context.Background(), 10*time.Minute)
	}
	defer cancel()
	var next int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			myErrs := 0
			for ctx.Err() == nil {
				if c.count > 0 {
					mu.Lock()
					if next >= int64(c.count) {
						mu.Unlock()
						break
					}
					next++
					mu.Unlock()
				}
				start := time.Now()
				code, _, err := s.do(c.req)
				mine = append(mine, time.Since(start))
				if err != nil || code != 200 {
					myErrs++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += myErrs
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	slices.Sort(lat)
	r := result{call: c.name, conc: conc, n: len(lat), errors: errs}
	if len(lat) > 0 {
		r.rps = float64(len(lat)) / elapsed.Seconds()
		r.p50 = lat[len(lat)/2]
		r.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return r
}

var titles = map[string]string{
	"ecsnet-ephemeral":  "ecsnet --ephemeral",
	"ecsnet-state":      "ecsnet --state",
	"ecsnet-state-sync": "ecsnet --state --sync-commit",
	"ecsnet-nocache":    "ecsnet --ephemeral --read-cache=false",
	"moto":              "moto",
}

func report(w io.Writer, all []result, starts map[string]time.Duration, levels []int, o options) {
	var targets []string
	for _, t := range strings.Split(o.targets, ",") {
		if _, ok := starts[t]; ok {
			targets = append(targets, t)
		}
	}
	fmt.Fprintf(w, "Start to first answered request (ListClusters): ")
	for i, t := range targets {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s %s", titles[t], starts[t].Round(100*time.Microsecond))
	}
	fmt.Fprintf(w, ".\n\n")
	by := map[string]result{}
	var calls []string
	for _, r := range all {
		by[r.target+"|"+r.call+"|"+strconv.Itoa(r.conc)] = r
		if !slices.Contains(calls, r.call) {
			calls = append(calls, r.call)
		}
	}
	fmt.Fprintf(w, "| Call | Clients |")
	for _, t := range targets {
		fmt.Fprintf(w, " %s req/s (p50 / p99) |", titles[t])
	}
	_, haveMoto := starts["moto"]
	for _, t := range targets {
		if t != "moto" && haveMoto {
			fmt.Fprintf(w, " %s / moto |", strings.TrimPrefix(titles[t], "ecsnet "))
		}
	}
	fmt.Fprintf(w, "\n|---|---|")
	for _, t := range targets {
		fmt.Fprint(w, "---|")
		if t != "moto" && haveMoto {
			fmt.Fprint(w, "---|")
		}
	}
	fmt.Fprintln(w)
	for _, c := range calls {
		for _, n := range levels {
			key := c + "|" + strconv.Itoa(n)
			fmt.Fprintf(w, "| %s | %d |", c, n)
			for _, t := range targets {
				r, ok := by[t+"|"+key]
				if !ok || r.n == 0 {
					fmt.Fprint(w, " — |")
					continue
				}
				fmt.Fprintf(w, " %.0f (%s / %s)", r.rps, fmtDur(r.p50), fmtDur(r.p99))
				if r.errors > 0 {
					fmt.Fprintf(w, ", %d errors", r.errors)
				}
				fmt.Fprint(w, " |")
			}
			m, mok := by["moto|"+key]
			for _, t := range targets {
				if t == "moto" || !haveMoto {
					continue
				}
				r, ok := by[t+"|"+key]
				if !ok || !mok || m.rps == 0 {
					fmt.Fprint(w, " — |")
					continue
				}
				fmt.Fprintf(w, " %.0f× |", r.rps/m.rps)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\nRead calls measured for %s each; RunTask for %d requests (count 1, bridge, no ports, one m5.24xlarge).\n", o.dur, o.runTasks)
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return d.Round(time.Millisecond).String()
}
