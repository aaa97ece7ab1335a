package ui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFailingService: a service whose tasks keep stopping is
// listed beside the findings with how many of its tasks run and why the
// last one stopped, in ECS's words; its details drawer makes it the
// probe's destination ("Probe to here") and a task the source ("Probe
// from here"), so a resource leads to its verdict.
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
}
