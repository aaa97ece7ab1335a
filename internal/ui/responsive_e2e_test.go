package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// overflowJS lists what sticks out of the viewport sideways: the
// document wider than the window, or an element whose right edge is past
// it and that no scrolling or clipping box of the page keeps in.
const overflowJS = `((W) => {
  const out = [];
  // A phone zooms out to fit a page wider than itself: then the window
  // is wider than the device.
  if (window.innerWidth !== W) out.push('window.innerWidth ' + window.innerWidth + ' != the device width ' + W);
  if (document.documentElement.scrollWidth > W) out.push('document scrollWidth ' + document.documentElement.scrollWidth + ' > ' + W);
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== 'visible') return p.getBoundingClientRect().right <= W + 0.5;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if ((r.right > W + 0.5 || r.left < -0.5) && !clipped(el) && !el.closest('.skip, .copy-buffer')) {
      out.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return out.slice(0, 8);
})(%d)`

// visibleJS scrolls an element into view and says whether it is then in
// the viewport with a size.
const visibleJS = `((sel) => {
  const el = document.querySelector(sel);
  if (!el) return sel + ' missing';
  el.scrollIntoView({block: 'start'});
  const r = el.getBoundingClientRect();
  if (r.width < 10 || r.height < 10) return sel + ' has size ' + r.width + 'x' + r.height;
  if (r.left < -0.5 || r.right > window.innerWidth + 0.5) return sel + ' spans ' + r.left + '..' + r.right + ' of ' + window.innerWidth;
  if (r.top >= window.innerHeight || r.bottom <= 0) return sel + ' is off screen vertically at ' + r.top;
  return '';
})(%q)`

func viewport(t *testing.T, ctx context.Context, w, h int64, mobile bool) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h, opts...)); err != nil {
		t.Fatal(err)
	}
}

func noOverflow(t *testing.T, ctx context.Context, w int64, where string) {
	t.Helper()
	if bad := eval[[]string](t, ctx, fmt.Sprintf(overflowJS, w)); len(bad) > 0 {
		t.Errorf("%s: sticks out sideways: %q", where, bad)
	}
	for _, sel := range []string{"#diagram", "#probe-form", "#run", "#result"} {
		if msg := eval[string](t, ctx, fmt.Sprintf(visibleJS, sel)); msg != "" {
			t.Errorf("%s: %s", where, msg)
		}
	}
	eval[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
}

// TestBrowserResponsive loads the article's failing probe at a desktop,
// a tablet and two phone widths: nothing sticks out sideways, and the
// diagram, the probe form and the result are on screen once scrolled to;
// the panel stacks under the diagram on a phone. A long task name ends in
// an ellipsis in its card with the full name and id on hover.
func TestBrowserResponsive(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	sizes := []struct {
		w, h   int64
		mobile bool
		shot   string
	}{{1400, 900, false, "ui-desktop-1400.png"}, {768, 1024, true, "ui-tablet.png"}, {390, 844, true, "ui-mobile.png"}, {360, 740, true, "ui-mobile-360.png"}}
	for _, sz := range sizes {
		where := fmt.Sprintf("%dx%d", sz.w, sz.h)
		viewport(t, ctx, sz.w, sz.h, sz.mobile)
		if err := chromedp.Do(ctx, chromedp.Navigate(url+"#from=internet&to=203.0.113.2&port=3000"), chromedp.WaitVisible(chromedp.CSS(`.instance .eni`))); err != nil {
			t.Fatal(err)
		}
		waitText(t, ctx, "#verdict", "timeout")
		if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker').length`); n < 2 {
			t.Errorf("%s: %d hop markers drawn", where, n)
		}
		shot(t, ctx, sz.shot)
		noOverflow(t, ctx, sz.w, where)
		if sz.w == 390 {
			// The panel under the diagram, with the first fix opened.
			eval[bool](t, ctx, `(() => { document.querySelector('.fix details').open = true; document.getElementById('probe-form').scrollIntoView({block: 'start'}); return true; })()`)
			shot(t, ctx, "ui-mobile-probe.png")
			eval[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
		}
		stacked := eval[bool](t, ctx, `document.querySelector('.side').getBoundingClientRect().top >= document.querySelector('.topo-pane').getBoundingClientRect().bottom - 1`)
		if stacked != (sz.w < 900) {
			t.Errorf("%s: probe panel under the diagram = %v", where, stacked)
		}
		if sz.w < 900 {
			// The details drawer covers the screen and fits it.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.instance-head .name`)), chromedp.WaitVisible(chromedp.CSS(`#drawer`))); err != nil {
				t.Fatal(err)
			}
			if bad := eval[[]string](t, ctx, fmt.Sprintf(overflowJS, sz.w)); len(bad) > 0 {
				t.Errorf("%s, details open: sticks out sideways: %q", where, bad)
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#drawer-close`)), chromedp.WaitNotVisible(chromedp.CSS(`#drawer`))); err != nil {
				t.Fatal(err)
			}
		}
	}

	// A long task name (a service named at length; a standalone task is
	// named by its 32-character id) in a phone's width.
	long := "checkout-payments-reconciliation-worker-0f3e9a7b5c1d4e2f"
	src, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(p, []byte(strings.Replace(string(src), "services:\n  web:", "services:\n  "+long+":", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	e2, sc2 := system(t, p)
	url2 := serveUI(t, e2, sc2)
	viewport(t, ctx, 360, 740, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(url2), chromedp.WaitVisible(chromedp.CSS(`.task .name`))); err != nil {
		t.Fatal(err)
	}
	type nameBox struct {
		Text, Title      string
		Cut, Inside      bool
		TextOverflow     string
		UserSelect       string
		CardRight, Right float64
	}
	nb := eval[nameBox](t, ctx, `(() => {
	  const n = document.querySelector('.task .name'), card = n.closest('.task');
	  const cs = getComputedStyle(n);
	  return {Text: n.textContent, Title: n.title, Cut: n.scrollWidth > n.clientWidth, Inside: n.getBoundingClientRect().right <= card.getBoundingClientRect().right + 0.5,
	    TextOverflow: cs.textOverflow, UserSelect: cs.userSelect, CardRight: card.getBoundingClientRect().right, Right: n.getBoundingClientRect().right};
	})()`)
	if nb.Text != long+"/0" || !nb.Cut || !nb.Inside || nb.TextOverflow != "ellipsis" {
		t.Errorf("long task name in its card: %+v, want %q cut with an ellipsis inside the card", nb, long+"/0")
	}
	if !strings.HasPrefix(nb.Title, long+"/0 (arn:aws:ecs:") {
		t.Errorf("long task name's title %q, want the full name and ARN", nb.Title)
	}
	if nb.UserSelect != "text" {
		t.Errorf("long task name's user-select %q, want text (selectable, copyable)", nb.UserSelect)
	}
	noOverflow(t, ctx, 360, "360x740, long names")
	shot(t, ctx, "ui-mobile-long.png")
}

// TestBrowserFailedProbe checks that a probe answered with an error
// (an unknown name) clears the path the previous probe drew, and says
// the error.
func TestBrowserFailedProbe(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"#from=internet&to=203.0.113.2&port=3000")); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "timeout")
	if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker, #overlay .route').length`); n == 0 {
		t.Fatal("no path drawn for the first probe")
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#to`), "no-such-thing"),
		chromedp.Click(chromedp.CSS(`#run`)),
		chromedp.WaitVisible(chromedp.CSS(`#probe-error`)),
	); err != nil {
		t.Fatal(err)
	}
	msg := eval[string](t, ctx, `document.getElementById('probe-error').textContent`)
	if !strings.Contains(msg, "no-such-thing") {
		t.Errorf("error shown %q, want it to name no-such-thing", msg)
	}
	left := eval[[]string](t, ctx, `[...document.querySelectorAll('#overlay > *, .annot, .on-path, .blocked-here')].map(e => e.tagName + '.' + (e.className.baseVal ?? e.className))`)
	if len(left) > 0 {
		t.Errorf("after a failed probe the previous path is still drawn: %q", left)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#verdict').length`); n != 0 {
		t.Error("the previous verdict is still shown")
	}
	// The address bar no longer links to the previous probe: a reload
	// does not run it again.
	if h := eval[string](t, ctx, `location.hash`); h != "" {
		t.Errorf("after a failed probe the address still links the previous probe: %q", h)
	}
}

// TestBrowserCopy copies a fix's aws CLI commands with the copy button,
// from the keyboard: the clipboard then holds the commands, the button
// says so. Then again with no Clipboard API (the execCommand fallback).
func TestBrowserCopy(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted,
		}); err != nil {
			t.Fatalf("grant %s: %v", name, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"#from=internet&to=203.0.113.2&port=3000")); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "timeout")
	want := eval[string](t, ctx, `(() => { const d = document.querySelector('.fix details'); d.open = true; return d.querySelector('.snippet pre').textContent; })()`)
	if !strings.Contains(want, "aws ") {
		t.Fatalf("first fix's commands %q, want aws CLI commands", want)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`.fix .snippet .copy`)), chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, ".fix .snippet .copy", "copied")
	eval[bool](t, ctx, `(document.querySelector('.fix .snippet').scrollIntoView(), true)`)
	shot(t, ctx, "ui-copy.png")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}
	// The fallback, where the page may not use the Clipboard API.
	eval[bool](t, ctx, `(() => {
	  Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
	  window.__copied = null;
	  document.addEventListener('copy', (ev) => { window.__copied = document.getSelection().toString() || (document.activeElement && document.activeElement.value); });
	  return true;
	})()`)
	if err := chromedp.Do(ctx, chromedp.Sleep(1900*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, ".fix .snippet .copy", "copy")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.fix .snippet .copy`))); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, ".fix .snippet .copy", "copied")
	if got := eval[string](t, ctx, `window.__copied`); got != want {
		t.Errorf("fallback copied %q, want %q", got, want)
	}
}

// swapSystem is a system that can be replaced, as ecsnet ui replaces it
// when its SOURCE changes, with the source's problem.
type swapSystem struct {
	mu      sync.Mutex
	e       *engine.Engine
	sc      *scenario.Scenario
	problem string
}

func (s *swapSystem) engine() *engine.Engine { s.mu.Lock(); defer s.mu.Unlock(); return s.e }
func (s *swapSystem) describe() (string, []ui.Probe) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sc.Name, examples(s.sc)
}
func (s *swapSystem) currentProblem() string { s.mu.Lock(); defer s.mu.Unlock(); return s.problem }

// TestBrowserReload swaps the system under the page as ecsnet ui does
// when its file changes: the page redraws the new system without a
// reload; a source that no longer loads is shown with its error while the
// last good system stays drawn.
func TestBrowserReload(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	sys := &swapSystem{e: e, sc: sc}
	mux := http.NewServeMux()
	mux.Handle("/", ui.New(ui.Options{Engine: sys.engine, Describe: sys.describe, Problem: sys.currentProblem, Title: sc.Name, Examples: examples(sc), PollInterval: 50 * time.Millisecond}))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	ctx := browser(t, false)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`.instance .eni`))); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#live-text", fmt.Sprintf("live · v%d", e.Version()))
	if n := eval[int](t, ctx, `document.querySelectorAll('.instance').length`); n != 1 {
		t.Fatalf("%d instances drawn, want 1", n)
	}
	// The edited file: two instances.
	src, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "two.yaml")
	if err := os.WriteFile(p, []byte(strings.Replace(strings.Replace(string(src), "desired: 1\n    min: 1", "desired: 2\n    min: 2", 1), "public_ips: [203.0.113.2]", "public_ips: [203.0.113.2, 203.0.113.3]", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	e2, sc2 := system(t, p)
	sys.mu.Lock()
	sys.e, sys.sc = e2, sc2
	sys.mu.Unlock()
	deadline := time.Now().Add(time.Minute)
	for eval[int](t, ctx, `document.querySelectorAll('.instance').length`) != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the page did not redraw the reloaded system (2 instances)")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The file broken: the error shown, the system kept.
	sys.mu.Lock()
	sys.problem = p + ":12: subnets: public-a: bad cidr"
	sys.mu.Unlock()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#problem`))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.getElementById('problem-text').textContent`); got != p+":12: subnets: public-a: bad cidr" {
		t.Errorf("problem shown %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.instance').length`); n != 2 {
		t.Errorf("%d instances drawn while the source is broken, want the last good 2", n)
	}
	shot(t, ctx, "ui-reload-problem.png")
	sys.mu.Lock()
	sys.problem = ""
	sys.mu.Unlock()
	if err := chromedp.Do(ctx, chromedp.WaitNotVisible(chromedp.CSS(`#problem`))); err != nil {
		t.Fatal(err)
	}
}
