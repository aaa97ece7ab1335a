package ui_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// TestBrowserFailingService: a service whose tasks keep stopping is
// listed beside the findings with how many of its tasks run and why the
// last one stopped, in ECS's words; its details drawer makes it the
// probe's destination ("Probe to here") and a task the source ("Probe
// from here"), so a resource leads to its verdict; after a probe,
// Overview brings the list back.
func TestBrowserFailingService(t *testing.T) {
	e, sc := system(t, "../../examples/failures/no-nat.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`.services .svc`))); err != nil {
		t.Fatal(err)
	}
	svc := eval[string](t, ctx, `document.querySelector('.services .svc.short').textContent`)
	if !strings.HasPrefix(svc, "web 0 of ") {
		t.Fatalf("the failing service: %q", svc)
	}
	if !strings.Contains(svc, "Last task stopped:") || !strings.Contains(svc, "ResourceInitializationError") {
		t.Fatalf("the failing service says no stopped reason: %q", svc)
	}
	// The legend fits its pane (it used to run under the probe panel at
	// 1280 px when the counts were long).
	if over := eval[float64](t, ctx, `(() => { const l = document.querySelector('.legend').getBoundingClientRect(), p = document.querySelector('.topo-pane').getBoundingClientRect(); return l.right - p.right; })()`); over > 0 {
		t.Errorf("the legend runs %.0f px past the topology pane", over)
	}
	shot(t, ctx, "ui-failing-service.png")
	// From the service to its verdict: its details, then "Probe to here".
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.services .svc .linkish`)),
		chromedp.WaitVisible(chromedp.CSS(`#drawer .drawer-actions`)),
	); err != nil {
		t.Fatal(err)
	}
	if typ := eval[string](t, ctx, `document.querySelector('#drawer-type').textContent`); typ != "ECS service" {
		t.Fatalf("drawer shows a %q", typ)
	}
	// The drawer opens under the toolbar, which wraps to two lines here.
	if gap := eval[float64](t, ctx, `document.querySelector('#drawer').getBoundingClientRect().top - document.querySelector('.topo-toolbar').getBoundingClientRect().bottom`); gap < -0.5 {
		t.Errorf("the drawer covers %.0f px of the toolbar", -gap)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#drawer .drawer-actions button:nth-child(2)`))); err != nil {
		t.Fatal(err)
	}
	to := eval[string](t, ctx, `document.querySelector('#to').value`)
	hidden := eval[bool](t, ctx, `document.querySelector('#drawer').hidden`)
	if to != "web" || !hidden {
		t.Fatalf("after Probe to here: to %q, drawer hidden %v", to, hidden)
	}
	// The list's own button does the same.
	eval[bool](t, ctx, `(() => { document.querySelector('#to').value = ''; return true; })()`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.services .probe-to`))); err != nil {
		t.Fatal(err)
	}
	if to := eval[string](t, ctx, `document.querySelector('#to').value`); to != "web" {
		t.Fatalf("after the service's Probe… button: to %q", to)
	}
	// A probe takes the panel; Overview brings the services back, and
	// takes the probe's path and link with it.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#from`), "internet"),
		chromedp.Click(chromedp.CSS(`#run`)),
		chromedp.WaitVisible(chromedp.CSS(`#verdict`)),
	); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#result .services').length`); n != 0 {
		t.Fatalf("the services list stays beside the probe's result (%d)", n)
	}
	if eval[string](t, ctx, `location.hash`) == "" {
		t.Fatal("the probe left no link in the address bar")
	}
	shot(t, ctx, "ui-failing-service-probe.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#overview-btn`)), chromedp.WaitVisible(chromedp.CSS(`#result .services .svc`))); err != nil {
		t.Fatal(err)
	}
	if h := eval[string](t, ctx, `location.hash`); h != "" {
		t.Errorf("after Overview the address bar keeps the probe: %q", h)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#overlay path, #overlay .marker').length`); n != 0 {
		t.Errorf("after Overview %d pieces of the path are still drawn", n)
	}
}

// TestBrowserEmptyAccount: an account as ecsnet serve starts it (the
// default VPC, nothing running) says how to begin: the environment that
// points the tools at this very endpoint, and the article's system as a
// first deployment; the VPC is marked as the default one.
func TestBrowserEmptyAccount(t *testing.T) {
	e := engine.New(engine.WithConfig(engine.Config{Region: "us-east-1", Account: "123456789012", DefaultVPC: true}))
	mux := http.NewServeMux()
	mux.Handle("/ui/", http.StripPrefix("/ui", ui.New(ui.Options{Engine: func() *engine.Engine { return e }, Title: "ecsnet serve", PollInterval: 50 * time.Millisecond})))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	ctx := browser(t, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ui/"), chromedp.WaitVisible(chromedp.CSS(`#start`))); err != nil {
		t.Fatal(err)
	}
	start := eval[string](t, ctx, `document.querySelector('#start').textContent`)
	if !strings.Contains(start, "export AWS_ENDPOINT_URL="+srv.URL+" ") || !strings.Contains(start, "cloudformation deploy") {
		t.Fatalf("the start section: %q", start)
	}
	if vpc := eval[string](t, ctx, `document.querySelector('.vpc-head').textContent`); !strings.Contains(vpc, "default VPC") {
		t.Fatalf("the VPC's head: %q", vpc)
	}
	// Six zones in three columns: each subnet's chips (a route to a long
	// internet gateway id) stay inside the subnet.
	if out := eval[int](t, ctx, `[...document.querySelectorAll('.subnet')].filter(s => { const b = s.getBoundingClientRect(); return [...s.querySelectorAll('.subnet-chips .chip')].some(c => { const r = c.getBoundingClientRect(); return r.left < b.left - 0.5 || r.right > b.right + 0.5; }); }).length`); out > 0 {
		t.Errorf("%d subnets have chips running out of them", out)
	}
	shot(t, ctx, "ui-empty-account.png")
}
