// Command benchrss measures the memory of `ecsnet serve` under a large
// estate: it starts the server (--ephemeral), creates N network interfaces
// (default 100,000) through the EC2 API, then has C clients (default 8)
// read them all at once with DescribeNetworkInterfaces, paginated
// (MaxResults, as boto3's paginator and the SDKs' paginators do) and, with
// -unpaginated, in one call each (as `aws ec2 describe-network-interfaces`
// does). It reports the server's peak RSS (VmHWM, Linux) after each phase
// as Markdown; docs/performance.md holds a run. Issue 12 asks for under
// 1 GiB.
//
//	go run ./internal/server/benchrss                        # 100,000 ENIs, 8 clients, pages of 1000
//	go run ./internal/server/benchrss -enis 20000 -unpaginated
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0"

func main() {
	bin := flag.String("ecsnet", "", "ecsnet binary (default: go build ./cmd/ecsnet)")
	enis := flag.Int("enis", 100000, "network interfaces to create")
	clients := flag.Int("c", 8, "concurrent readers")
	page := flag.Int("page", 1000, "MaxResults of each page")
	unpaginated := flag.Bool("unpaginated", false, "also read everything in one call per client")
	flag.Parse()
	if err := run(*bin, *enis, *clients, *page, *unpaginated); err != nil {
		fmt.Fprintln(os.Stderr, "benchrss:", err)
		os.Exit(1)
	}
}

func run(bin string, enis, clients, page int, unpaginated bool) error {
	if bin == "" {
		dir, err := os.MkdirTemp("", "benchrss")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "ecsnet")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/ecsnet").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--ephemeral", "--addr", addr, "--log-level", "warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	defer cmd.Process.Signal(os.Interrupt)
	base := "http://" + addr + "/"
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := c.Get(base + "_ecsnet/health"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(b, []byte(`"ready"`)) {
				break
			}
		}
		if time.Since(start) > time.Minute {
			return errors.New("the server did not become ready")
		}
	}
	pid := cmd.Process.Pid
	fmt.Printf("| phase | time | peak RSS (VmHWM) | RSS now |\n|---|---|---|---|\n")
	report := func(phase string, d time.Duration) {
		hwm, rss := memory(pid)
		fmt.Printf("| %s | %.1f s | %d MiB | %d MiB |\n", phase, d.Seconds(), hwm>>20, rss>>20)
	}
	report("started", 0)

	// Subnets of /16 in VPCs of their own: 65,531 addresses each.
	var subnets []string
	for i := 0; i*60000 < enis; i++ {
		vpc, err := call(c, base, "CreateVpc", "CidrBlock=10."+strconv.Itoa(i)+".0.0/16", `<vpcId>(.*?)</vpcId>`)
		if err != nil {
			return err
		}
		sub, err := call(c, base, "CreateSubnet", "CidrBlock=10."+strconv.Itoa(i)+".0.0/16&VpcId="+vpc, `<subnetId>(.*?)</subnetId>`)
		if err != nil {
			return err
		}
		subnets = append(subnets, sub)
	}
	t0 := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= enis {
					return
				}
				if _, err := call(c, base, "CreateNetworkInterface", "SubnetId="+subnets[i/60000], `<networkInterfaceId>(.*?)</networkInterfaceId>`); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	report(fmt.Sprintf("%d ENIs created", enis), time.Since(t0))

	read := func(name string, maxResults int) error {
		t0 := time.Now()
		var wg sync.WaitGroup
		errc := make(chan error, clients)
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, token := 0, ""
				for {
					params := ""
					if maxResults > 0 {
						params = "MaxResults=" + strconv.Itoa(maxResults)
					}
					if token != "" {
						params += "&NextToken=" + url.QueryEscape(token)
					}
					body, err := post(c, base, "DescribeNetworkInterfaces", params)
					if err != nil {
						errc <- err
						return
					}
					n += bytes.Count(body, []byte("<networkInterfaceId>"))
					token = ""
					if m := regexp.MustCompile(`<nextToken>(.*?)</nextToken>`).FindSubmatch(body); m != nil {
						token = string(m[1])
					}
					if token == "" {
						break
					}
				}
				if n != enis {
					errc <- fmt.Errorf("%s: a client read %d ENIs, want %d", name, n, enis)
				}
			}()
		}
		wg.Wait()
		select {
		case err := <-errc:
			return err
		default:
		}
		report(fmt.Sprintf("%d clients read all ENIs, %s", clients, name), time.Since(t0))
		return nil
	}
	if err := read(fmt.Sprintf("pages of %d", page), page); err != nil {
		return err
	}
	if unpaginated {
		if err := read("one call each", 0); err != nil {
			return err
		}
	}
	return nil
}

func post(c *http.Client, base, action, params string) ([]byte, error) {
	body := "Action=" + action + "&Version=2016-11-15"
	if params != "" {
		body += "&" + params
	}
	req, _ := http.NewRequest(http.MethodPost, base, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", auth)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		if len(b) > 300 {
			b = b[:300]
		}
		return nil, fmt.Errorf("%s: HTTP %d %s", action, resp.StatusCode, b)
	}
	return b, nil
}

func call(c *http.Client, base, action, params, want string) (string, error) {
	b, err := post(c, base, action, params)
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(want).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("%s: no %s in %.300s", action, want, b)
	}
	return string(m[1]), nil
}

// memory returns a process's peak and current resident set size, in bytes.
func memory(pid int) (hwm, rss int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			hwm = kb << 10
		case "VmRSS:":
			rss = kb << 10
		}
	}
	return hwm, rss
}
