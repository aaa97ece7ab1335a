package dataplane

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vishvananda/netlink"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/ui"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write docs/img/ui-real-probe.png")

// TestUIRealProbe is issue 13's last item in a browser: the web UI of a
// system that is up sends each probe as a real packet too and shows what
// the client experienced beside the analyzer's verdict. The system is
// examples/seed/alb.yaml, brought up as `ecsnet up` does and attached as
// another process would attach to it; the page's probes are the article's
// curl (a real timeout) and the request through the ALB (a real 200).
func TestUIRealProbe(t *testing.T) {
	isolated(t)
	browserPath := ""
	for _, name := range []string{os.Getenv("ECSNET_CHROMIUM"), "chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "headless-shell"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			browserPath = p
			break
		}
	}
	if browserPath == "" {
		t.Skip("skipping the browser test: no chromium binary found (apt-get install chromium, or set ECSNET_CHROMIUM)")
	}
	sc, err := scenario.Load(repoFile("examples/seed/alb.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	opt := testOptions(t)
	up, err := Up(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		up.Close()
		if err := Down(context.Background(), opt); err != nil {
			t.Error(err)
		}
	}()
	// The UI's process holds no listeners: it attaches to the system.
	sys, err := Attach(opt)
	if err != nil {
		t.Fatal(err)
	}
	sys.UseState(st)
	var realCalls []string
	h := ui.New(ui.Options{
		Engine: func() *engine.Engine { return b.Engine }, Title: sc.Name, PollInterval: 50 * time.Millisecond,
		Real: func(ctx context.Context, from, to, protocol string) ui.RealOutcome {
			out, _ := sys.ProbeSpec(ctx, from, to, protocol)
			realCalls = append(realCalls, from+" → "+to)
			return ui.RealOutcome{Verdict: out.Verdict, Detail: out.Detail}
		},
	})
	mux := http.NewServeMux()
	mux.Handle("/ui/", http.StripPrefix("/ui", h))
	srv := httptest.NewServer(mux)
	defer func() { srv.CloseClientConnections(); srv.Close() }()

	// Chromium calls a machine with nothing but loopback offline and
	// loads no page, not even a loopback one: give the test's own
	// namespace (never the machine's; isolated checked that) a dummy link
	// with a TEST-NET address while the browser runs (a veth pair: the
	// kernel may have no dummy links).
	dummy := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "uitest0"}, PeerName: "uitest1"}
	if err := netlink.LinkAdd(dummy); err != nil {
		t.Fatal(err)
	}
	defer netlink.LinkDel(dummy)
	if err := netlink.AddrAdd(dummy, &netlink.Addr{IPNet: &net.IPNet{IP: net.IPv4(192, 0, 2, 10), Mask: net.CIDRMask(32, 32)}}); err != nil {
		t.Fatal(err)
	}
	if lo, err := netlink.LinkByName("lo"); err == nil && lo.Attrs().Flags&net.FlagUp == 0 {
		defer netlink.LinkSetDown(lo) // as it was
	}
	for _, name := range []string{"lo", "uitest0", "uitest1"} {
		l, err := netlink.LinkByName(name)
		if err == nil {
			err = netlink.LinkSetUp(l)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.Flag("font-render-hinting", "none"), chromedp.WindowSize(1280, 800))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/ui/"), chromedp.WaitVisible(chromedp.CSS(`#run`))); err != nil {
		t.Fatalf("open the page in %s: %v", browserPath, err)
	}
	text := func(sel string) string {
		s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.textContent.trim() : ''; })()`, sel)))
		return s
	}
	probe := func(from, to, port, verdict, realDetail string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.querySelector('#real'); if (r) r.remove(); return true; })()`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#from`), from), chromedp.SetValue(chromedp.CSS(`#to`), to),
			chromedp.SetValue(chromedp.CSS(`#port`), port), chromedp.Click(chromedp.CSS(`#run`))); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && text("#real-verdict") == "" {
			time.Sleep(50 * time.Millisecond)
		}
		if got := strings.ToLower(text("#verdict")); got != verdict {
			t.Errorf("%s → %s:%s: the analyzer's verdict %q, want %q", from, to, port, got, verdict)
		}
		if got := strings.ToLower(text("#real-verdict")); got != verdict {
			t.Errorf("%s → %s:%s: the real packet %q (%s), want %q", from, to, port, got, text("#real"), verdict)
		}
		if !strings.Contains(text("#real"), realDetail) || !strings.Contains(text("#real-agree"), "agrees") {
			t.Errorf("%s → %s:%s: the page says %q, want %q and agreement", from, to, port, text("#real"), realDetail)
		}
		t.Logf("%s → %s:%s: the page shows %q", from, to, port, text("#real"))
	}
	if got := text("#real-badge"); got != "real packets" {
		t.Errorf("header badge %q, want it to say probes are real", got)
	}
	probe("internet", "203.0.113.2", "3000", "timeout", "i/o timeout")
	shot := func(name, doc string) {
		if err := chromedp.Do(ctx, chromedp.Sleep(150*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(t.ArtifactDir(), name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		if *updateScreenshots && doc != "" {
			if err := os.WriteFile(repoFile(filepath.Join("docs", "img", doc)), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("screenshot %s (%d bytes) in %s", name, len(png), t.ArtifactDir())
	}
	shot("ui-real-timeout.png", "ui-real-probe.png")
	probe("internet", "web-alb", "80", "http 200", "200 OK")
	shot("ui-real-alb.png", "")
	if len(realCalls) != 2 {
		t.Errorf("%d real probes sent (%v), want 2", len(realCalls), realCalls)
	}
}
