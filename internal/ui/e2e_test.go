package ui_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/ui"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the end-to-end screenshots to docs/img")

// chromium returns the path of a Chromium (or Chrome) binary, or skips the
// test when there is none. CI installs Debian's chromium, so there the
// browser tests run.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ECSNET_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("skipping the browser test: no chromium binary found (apt-get install chromium chromium-driver, or set ECSNET_CHROMIUM)")
	return ""
}

// browser starts a headless Chromium with a fresh profile, its background
// networking off (the test machine's network is closed), and returns a
// tab's context.
func browser(t *testing.T, dark bool) context.Context {
	t.Helper()
	path := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		}),
	); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	return ctx
}

// system builds a scenario file into an engine, as ecsnet ui does.
func system(t testing.TB, path string) (*engine.Engine, *scenario.Scenario) {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
	if err != nil {
		t.Fatal(err)
	}
	return b.Engine, sc
}

func examples(sc *scenario.Scenario) []ui.Probe {
	var out []ui.Probe
	for _, x := range sc.Expect {
		out = append(out, ui.Probe{From: x.From, To: x.To, Protocol: x.Protocol, Verdict: x.Verdict, Note: x.Note})
	}
	return out
}

// serveUI mounts the UI at /ui/ as ecsnet serve does.
func serveUI(t *testing.T, e *engine.Engine, sc *scenario.Scenario) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/ui/", http.StripPrefix("/ui", ui.New(ui.Options{
		Engine: func() *engine.Engine { return e }, Title: sc.Name, Examples: examples(sc), PollInterval: 50 * time.Millisecond,
	})))
	srv := httptest.NewServer(mux)
	// A page still open holds an event stream: cut it, or Close waits.
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv.URL + "/ui/"
}

// docImages are the screenshots docs/img keeps (the README shows or links
// them); the others are test artifacts only.
var docImages = map[string]bool{
	"ui-article.png": true, "ui-probe-timeout.png": true, "ui-probe-alb-fixed.png": true,
	"ui-details.png": true, "ui-probe-timeout-dark.png": true, "ui-fifty.png": true,
	"ui-mobile.png": true, "ui-mobile-probe.png": true, "ui-no-nat.png": true,
	"ui-failing-service.png": true, "ui-empty-account.png": true,
}

// shot saves a screenshot of the viewport as an artifact of the test
// and, with -update-screenshots, the documented ones into docs/img.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// Park the mouse where it highlights nothing, let the page settle.
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 799), chromedp.Sleep(150*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{t.ArtifactDir()}
	if *updateScreenshots && docImages[name] {
		dirs = append(dirs, filepath.Join("..", "..", "docs", "img"))
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot %s (%d bytes)", name, len(png))
}

// waitText waits until the element matched by sel has text (trimmed,
// lower-cased) equal to want, and reports the text seen last on timeout.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var got string
	for time.Now().Before(deadline) {
		var err error
		got, err = chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.textContent.trim().toLowerCase() : ''; })()`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		if got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	errText, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector('.error-box'); return e ? e.textContent : ''; })()`))
	t.Fatalf("%s: got %q, want %q (error box: %q)", sel, got, want, errText)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestBrowserArticle drives the page in headless Chromium through the
// article's story: the system drawn with ENI 1 beside ENI 2, the failing
// curl with its blocked hop, the load balancer fix tried on a what-if copy
// (HTTP 200), reset, and a change to the real system appearing live.
func TestBrowserArticle(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)

	// The system, as the article drew it.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`.instance .eni`)),
	); err != nil {
		t.Fatal(err)
	}
	enis := eval[[]string](t, ctx, `[...document.querySelectorAll('.instance .eni')].map(e => e.querySelector('.eni-label').textContent + ' ' + e.querySelector('.pip').textContent)`)
	if len(enis) != 2 || enis[0] != "ENI 1 203.0.113.2" || enis[1] != "ENI 2 no public IP" {
		t.Fatalf("ENIs drawn: %q, want ENI 1 with 203.0.113.2 beside ENI 2 with no public IP", enis)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.eni .task').length`); n != 1 {
		t.Fatalf("%d tasks drawn on an ENI, want web/0 on ENI 2", n)
	}
	if hz := eval[bool](t, ctx, `document.getElementById('topo').scrollWidth > document.getElementById('topo').clientWidth`); hz {
		t.Error("the topology scrolls sideways at 1280x800")
	}
	shot(t, ctx, "ui-article.png")

	// Details of a resource, opened from the keyboard.
	if err := chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS(`.instance .eni .eni-label`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`#drawer`)),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#drawer-type", "network interface")
	waitText(t, ctx, "#drawer-title", "ecs-asg/0 eni 1")
	if f := eval[string](t, ctx, `document.activeElement.id`); f != "drawer-close" {
		t.Errorf("focus in the open drawer is on %q, want the close button", f)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(chromedp.CSS(`#drawer`))); err != nil {
		t.Fatal(err)
	}
	if f := eval[string](t, ctx, `document.activeElement.textContent`); f != "ENI 1" {
		t.Errorf("focus after closing the drawer is on %q, want back on ENI 1", f)
	}
	// The instance's details, with the mouse: both ENIs side by side in a table.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.instance-head .name`)), chromedp.WaitVisible(chromedp.CSS(`#drawer`))); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#drawer-type", "ec2 instance")
	shot(t, ctx, "ui-details.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#drawer-close`)), chromedp.WaitNotVisible(chromedp.CSS(`#drawer`))); err != nil {
		t.Fatal(err)
	}

	// The article's curl: internet → 203.0.113.2:3000.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#from`), "internet"),
		chromedp.SetValue(chromedp.CSS(`#to`), "203.0.113.2"),
		chromedp.SetValue(chromedp.CSS(`#port`), "3000"),
		chromedp.Click(chromedp.CSS(`#run`)),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "timeout")
	blocked := eval[[]string](t, ctx, `[...document.querySelectorAll('.hop.blocked .hop-what')].map(e => e.textContent)`)
	if len(blocked) == 0 || !strings.HasPrefix(blocked[0], "ENI ecs-asg/0 ENI 1") {
		t.Fatalf("blocked hops %q, want the first at ENI 1 of ecs-asg/0", blocked)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker.bad').length`); n < 1 {
		t.Fatal("no blocked hop marked on the topology")
	}
	// Each hop says what decided it as the console would, and the
	// internet gateway's hop what it translated.
	hopText := eval[string](t, ctx, `[...document.querySelectorAll('.hop')].map(e => e.textContent).join('\n')`)
	for _, want := range []string{"destination 203.0.113.2 → 10.0.1.4", "allow all traffic 0.0.0.0/0"} {
		if !strings.Contains(hopText, want) {
			t.Errorf("the hops lack %q:\n%s", want, hopText)
		}
	}
	if !eval[bool](t, ctx, `document.querySelector('.instance .eni').classList.contains('blocked-here')`) {
		t.Error("ENI 1 is not marked as where the packet dies")
	}
	fixes := eval[[]string](t, ctx, `[...document.querySelectorAll('.fix .fix-title')].map(e => e.textContent)`)
	if len(fixes) < 4 {
		t.Fatalf("fixes %q, want the article's four remedies", fixes)
	}
	shot(t, ctx, "ui-probe-timeout.png")
	noCoveredText(t, ctx, "ui-probe-timeout")

	// Try the load balancer fix on a what-if copy.
	alb := -1
	for i, f := range fixes {
		if strings.Contains(f, "Application Load Balancer") {
			alb = i
		}
	}
	if alb < 0 {
		t.Fatalf("no load balancer fix among %q", fixes)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.fix:nth-of-type(%d) button.try`, alb+1)))); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "http 200")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#whatif-banner`)), chromedp.WaitVisible(chromedp.CSS(`.lb.is-new`))); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker.bad').length`); n != 0 {
		t.Errorf("%d blocked markers after the fix, want none", n)
	}
	shot(t, ctx, "ui-probe-alb-fixed.png")
	noCoveredText(t, ctx, "ui-probe-alb-fixed")
	var lbs int
	e.Read(func(st *model.State) { lbs = len(st.LoadBalancers) })
	if lbs != 0 {
		t.Fatalf("the real system has %d load balancers after a what-if, want 0", lbs)
	}

	// Reset: back to the real system and its timeout.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reset-btn`)), chromedp.WaitNotVisible(chromedp.CSS(`#whatif-banner`))); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "timeout")
	if n := eval[int](t, ctx, `document.querySelectorAll('.lb').length`); n != 0 {
		t.Fatalf("%d load balancers drawn after reset, want 0", n)
	}

	// Every remedy works from the page: try it, success, reset.
	for i := range fixes {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.fix:nth-of-type(%d) button.try`, i+1)))); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#whatif-banner`)), chromedp.WaitVisible(chromedp.CSS(`.verified-note`))); err != nil {
			t.Fatal(err)
		}
		v := eval[string](t, ctx, `document.getElementById('verdict').textContent`)
		if v != "connected" && v != "http 200" {
			t.Errorf("fix %q: verdict %q on the what-if", fixes[i], v)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reset-btn`)), chromedp.WaitNotVisible(chromedp.CSS(`#whatif-banner`))); err != nil {
			t.Fatal(err)
		}
		waitText(t, ctx, "#verdict", "timeout")
	}

	// Live: open 3000 on the instance's group through the engine (as the
	// API would); the page re-probes without a reload: now the SYN gets
	// through and nothing listens on ENI 1, so the verdict is refused.
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
	waitText(t, ctx, "#verdict", "refused")
	waitText(t, ctx, "#live-text", fmt.Sprintf("live · v%d", e.Version()))
}

// TestBrowserDark takes the failing probe in the dark theme.
func TestBrowserDark(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"#from=internet&to=203.0.113.2&port=3000")); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "timeout")
	bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
	if bg != "rgb(13, 17, 23)" {
		t.Errorf("dark theme background %s, want rgb(13, 17, 23)", bg)
	}
	shot(t, ctx, "ui-probe-timeout-dark.png")
}

// TestBrowserFifty checks that a system of 50 tasks is drawn whole and
// readable at 1280x800: every task present, nothing scrolls sideways, text
// no smaller than 11px; and that a probe's path is drawn on it.
func TestBrowserFifty(t *testing.T) {
	e, sc := system(t, "testdata/fifty.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`.instance`))); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `new Set([...document.querySelectorAll('#diagram [data-ids]')].flatMap(e => e.dataset.ids.split(' ')).filter(s => s.includes(':task/'))).size`); n != 50 {
		t.Errorf("%d tasks drawn, want 50", n)
	}
	if hz := eval[bool](t, ctx, `document.getElementById('topo').scrollWidth > document.getElementById('topo').clientWidth`); hz {
		t.Error("the topology scrolls sideways at 1280x800")
	}
	if small := eval[[]string](t, ctx, `[...document.querySelectorAll('#diagram *')].filter(e => e.childElementCount === 0 && e.textContent.trim() && parseFloat(getComputedStyle(e).fontSize) < 10.5).slice(0, 5).map(e => e.textContent)`); len(small) > 0 {
		t.Errorf("text smaller than 10.5px: %q", small)
	}
	shot(t, ctx, "ui-fifty.png")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#from`), "internet"),
		chromedp.SetValue(chromedp.CSS(`#to`), "web-alb"),
		chromedp.SetValue(chromedp.CSS(`#port`), "80"),
		chromedp.Click(chromedp.CSS(`#run`)),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "http 200")
	if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker.ok').length`); n < 5 {
		t.Errorf("%d hop markers drawn, want the whole path", n)
	}
	shot(t, ctx, "ui-fifty-probe.png")
	noCoveredText(t, ctx, "ui-fifty-probe")
}

// TestBrowserNoNAT: Fargate tasks in private subnets without a NAT
// gateway. The probe through the load balancer answers 503; the page
// names the root cause in AWS's words (the tasks' stoppedReason) and the
// NAT gateway fix, verified on a copy.
func TestBrowserNoNAT(t *testing.T) {
	e, sc := system(t, "../../examples/failures/no-nat.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#run`)),
		chromedp.SetValue(chromedp.CSS(`#from`), "internet"),
		chromedp.SetValue(chromedp.CSS(`#to`), "web-alb"),
		chromedp.SetValue(chromedp.CSS(`#port`), "80"),
		chromedp.Click(chromedp.CSS(`#run`)),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "http 503")
	cause := eval[string](t, ctx, `(() => { const e = document.querySelector('#rootcause'); return e ? e.textContent : ''; })()`)
	if !strings.Contains(cause, "ECS_IMAGE_PULL_FAILED") || !strings.Contains(cause, "ResourceInitializationError") {
		t.Fatalf("root cause shown: %q", cause)
	}
	fixes := eval[[]string](t, ctx, `[...document.querySelectorAll('#fixes .fix-title')].map(e => e.textContent)`)
	if len(fixes) == 0 || !strings.Contains(fixes[0], "NAT gateway") {
		t.Fatalf("fixes shown: %q, want the NAT gateway first", fixes)
	}
	eval[bool](t, ctx, `(() => { document.querySelector('#rootcause').scrollIntoView({ block: 'start' }); return true; })()`)
	shot(t, ctx, "ui-no-nat.png")
	noCoveredText(t, ctx, "ui-no-nat")
}

// TestBrowserClassic draws a Classic Load Balancer as the ALBs are drawn:
// its listeners with their instance ports, its registered instances under
// its health check, InService (the bridge service on the listener's
// instance port) or OutOfService (published on another host port), and
// the probe through it (200, 503) with its path.
func TestBrowserClassic(t *testing.T) {
	for _, c := range []struct{ name, ports, state, verdict, shot string }{
		{"instance port", `ports: ["8080:80"]`, "InService", "http 200", "ui-classic.png"},
		{"other host port", `ports: ["8081:80"]`, "OutOfService", "http 503", "ui-classic-503.png"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data, err := os.ReadFile("../../examples/classic/clb-bridge.yaml")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "clb-bridge.yaml")
			if err := os.WriteFile(path, []byte(strings.Replace(string(data), `ports: ["8080:80"]`, c.ports, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			e, sc := system(t, path)
			url := serveUI(t, e, sc)
			ctx := browser(t, false)
			if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`.lb .clb-instances`))); err != nil {
				t.Fatal(err)
			}
			if got := eval[string](t, ctx, `document.querySelector('.lb .instance-meta').textContent`); got != "Classic · internet-facing" {
				t.Errorf("load balancer kind %q, want Classic · internet-facing", got)
			}
			if got := eval[string](t, ctx, `[...document.querySelectorAll('.lb .clb-listeners .listener')].map(e => e.textContent).join('; ')`); got != "HTTP:80 to instance port 8080" {
				t.Errorf("listeners %q", got)
			}
			states := eval[[]string](t, ctx, `[...document.querySelectorAll('.lb .clb-instances .clb-state')].map(e => e.textContent)`)
			if len(states) != 2 || states[0] != c.state || states[1] != c.state {
				t.Errorf("instance states %q, want two %s", states, c.state)
			}
			if got := eval[string](t, ctx, `document.querySelector('.lb .clb-instances .eni-dev').textContent`); !strings.Contains(got, "health check HTTP:8080/health") {
				t.Errorf("instances box %q names no health check", got)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll('.lb .lbnode').length`); n != 2 {
				t.Errorf("%d nodes drawn, want 2", n)
			}
			if hz := eval[bool](t, ctx, `document.getElementById('topo').scrollWidth > document.getElementById('topo').clientWidth`); hz {
				t.Error("the topology scrolls sideways at 1280x800")
			}
			if err := chromedp.Do(ctx,
				chromedp.SetValue(chromedp.CSS(`#from`), "internet"),
				chromedp.SetValue(chromedp.CSS(`#to`), "web-elb"),
				chromedp.SetValue(chromedp.CSS(`#port`), "80"),
				chromedp.Click(chromedp.CSS(`#run`)),
			); err != nil {
				t.Fatal(err)
			}
			waitText(t, ctx, "#verdict", c.verdict)
			if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker').length`); n < 2 {
				t.Errorf("%d hop markers drawn, want the path through the load balancer", n)
			}
			shot(t, ctx, c.shot)
			// The load balancer's details: the instances' health as
			// DescribeInstanceHealth gives it.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.lb-head .name`)), chromedp.WaitVisible(chromedp.CSS(`#drawer`))); err != nil {
				t.Fatal(err)
			}
			waitText(t, ctx, "#drawer-type", "load balancer")
			body := eval[string](t, ctx, `document.querySelector('#drawer').textContent`)
			for _, want := range []string{"Instance health", "HTTP:8080/health", c.state} {
				if !strings.Contains(body, want) {
					t.Errorf("the details do not say %q", want)
				}
			}
			shot(t, ctx, strings.TrimSuffix(c.shot, ".png")+"-details.png")
		})
	}
}

// TestBrowserBlockPublicAccess opens a subnet of an account with VPC Block
// Public Access on: its details say the mode in force there.
func TestBrowserBlockPublicAccess(t *testing.T) {
	e, sc := system(t, "../../examples/failures/bpa-fargate-public-ip.yaml")
	var subnet string
	e.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			if s.Tags.Name() == "app-a" {
				subnet = string(s.ID)
			}
		}
	})
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`#run`))); err != nil {
		t.Fatal(err)
	}
	chips := eval[[]string](t, ctx, `[...document.querySelectorAll('.subnet-head .chip.bpa')].map(e => e.closest('.subnet').dataset.subnet + ' ' + e.textContent)`)
	if len(chips) != 1 || chips[0] != subnet+" bpa block-bidirectional" {
		t.Fatalf("Block Public Access chips %q, want one on app-a (%s); lb-a and lb-b are excluded", chips, subnet)
	}
	shot(t, ctx, "ui-bpa.png")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.subnet-head button[data-key="`+subnet+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#drawer`)),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#drawer-type", "subnet")
	got := eval[string](t, ctx, `(() => { const dt = [...document.querySelectorAll('#drawer dl.fields dt')].find(e => e.textContent === 'Block Public Access'); return dt ? dt.nextElementSibling.textContent : ''; })()`)
	if got != "block-bidirectional (account: block-bidirectional)" {
		t.Fatalf("Block Public Access field: %q", got)
	}
	shot(t, ctx, "ui-bpa-subnet.png")
}
