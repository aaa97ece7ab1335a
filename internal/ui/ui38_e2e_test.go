package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/ui"
)

// coveredJS lists the diagram's labels that a hop marker or a path line
// covers: a marker's rectangle intersecting a text's (each line of a
// wrapped text its own rectangle), or a point of a route line inside one
// that the line's mask does not hide (the line runs beneath the label).
// Rectangles are shrunk by a pixel, so touching is not covering.
const coveredJS = `(() => {
  const texts = [];
  const walk = document.createTreeWalker(document.getElementById('diagram'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.textContent.trim()) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width && r.height) texts.push({ r, text: n.textContent.trim() });
  }
  const inside = (x, y, r) => x > r.left + 1 && x < r.right - 1 && y > r.top + 1 && y < r.bottom - 1;
  const out = [];
  for (const m of document.querySelectorAll('#overlay .marker')) {
    const c = m.querySelector('circle').getBoundingClientRect();
    for (const t of texts) {
      const r = t.r;
      if (c.left < r.right - 1 && c.right > r.left + 1 && c.top < r.bottom - 1 && c.bottom > r.top + 1) out.push('marker ' + m.textContent.split('forward')[0].split('return')[0] + ' covers "' + t.text + '"');
    }
  }
  // Where a line's group is masked, the mask's holes hide it.
  const over = document.getElementById('overlay'), octm = over.getScreenCTM();
  const holes = (g) => {
    const m = g && g.getAttribute('mask') && document.getElementById(g.getAttribute('mask').replace(/^url\(#|\)$/g, ''));
    if (!m) return [];
    return [...m.querySelectorAll('rect')].filter((r) => r.getAttribute('fill') === '#000').map((r) => {
      const a = new DOMPoint(+r.getAttribute('x'), +r.getAttribute('y')).matrixTransform(octm);
      const b = new DOMPoint(+r.getAttribute('x') + +r.getAttribute('width'), +r.getAttribute('y') + +r.getAttribute('height')).matrixTransform(octm);
      return { left: a.x, top: a.y, right: b.x, bottom: b.y };
    });
  };
  const hidden = (x, y, hs) => hs.some((h) => x >= h.left && x <= h.right && y >= h.top && y <= h.bottom);
  for (const p of document.querySelectorAll('#overlay path.route')) {
    const ctm = p.getScreenCTM(), len = p.getTotalLength();
    const hs = holes(p.closest('g[mask]'));
    const hit = new Set();
    for (let l = 0; l <= len; l += 2) {
      const q = new DOMPoint(p.getPointAtLength(l).x, p.getPointAtLength(l).y).matrixTransform(ctm);
      if (hidden(q.x, q.y, hs)) continue;
      for (const t of texts) if (inside(q.x, q.y, t.r)) hit.add(t.text);
    }
    for (const t of hit) out.push('a path line runs through "' + t + '"');
  }
  return out;
})()`

// noCoveredText fails the test when a marker or a path line covers a
// label of the diagram.
func noCoveredText(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if got := eval[[]string](t, ctx, coveredJS); len(got) > 0 {
		t.Errorf("%s: %d labels covered:\n%s", what, len(got), strings.Join(got, "\n"))
	}
}

// TestBrowserMarkersKeepOffText probes systems of several shapes (the
// article's instance, a load balancer story, a transit gateway hub) at
// 1280x800 and 1920x1080: no hop marker and no path line covers a label,
// and the findings list says where the SOURCE defines each resource.
func TestBrowserMarkersKeepOffText(t *testing.T) {
	cases := []struct {
		source, from, to, port, verdict, shot string
		// tryFix, when set, is tried on a what-if copy too (a fix's
		// title holds it), its verdict fixed.
		tryFix, fixed string
	}{
		{"../../examples/seed/article.yaml", "internet", "203.0.113.2", "3000", "timeout", "ui38-article", "Application Load Balancer", "http 200"},
		{"../../examples/failures/no-nat.yaml", "internet", "web-alb", "80", "http 503", "ui38-no-nat", "NAT gateway", "http 200"},
		{"../../examples/tgw/centralized-egress.yaml", "client", "orders-alb", "80", "http 200", "ui38-tgw", "", ""},
	}
	for _, c := range cases {
		t.Run(c.shot, func(t *testing.T) {
			e, sc := system(t, c.source)
			url := serveUI(t, e, sc)
			ctx := browser(t, false)
			for _, sz := range []struct{ w, h int64 }{{1280, 800}, {1920, 1080}} {
				viewport(t, ctx, sz.w, sz.h, false)
				if err := chromedp.Do(ctx,
					chromedp.Navigate(url),
					chromedp.WaitVisible(chromedp.CSS(`#run`)),
					chromedp.SetValue(chromedp.CSS(`#from`), c.from),
					chromedp.SetValue(chromedp.CSS(`#to`), c.to),
					chromedp.SetValue(chromedp.CSS(`#port`), c.port),
					chromedp.Click(chromedp.CSS(`#run`)),
				); err != nil {
					t.Fatal(err)
				}
				waitText(t, ctx, "#verdict", c.verdict)
				if n := eval[int](t, ctx, `document.querySelectorAll('#overlay .marker').length`); n == 0 {
					t.Fatal("no hop marked")
				}
				shot(t, ctx, c.shot+"-"+strconv.FormatInt(sz.w, 10)+".png")
				noCoveredText(t, ctx, c.shot+" at "+strconv.FormatInt(sz.w, 10))
				if cut := eval[[]string](t, ctx, `[...document.querySelectorAll('#diagram .container-line')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)`); len(cut) > 0 {
					t.Errorf("%s at %d: port lines cut off: %q", c.shot, sz.w, cut)
				}
				if c.tryFix == "" {
					continue
				}
				i := eval[int](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('.fix .fix-title')].findIndex(e => e.textContent.includes(%q))`, c.tryFix))
				if i < 0 {
					t.Fatalf("no fix with %q", c.tryFix)
				}
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.fix:nth-of-type(%d) button.try`, i+1))), chromedp.WaitVisible(chromedp.CSS(`#whatif-banner`))); err != nil {
					t.Fatal(err)
				}
				waitText(t, ctx, "#verdict", c.fixed)
				shot(t, ctx, c.shot+"-fixed-"+strconv.FormatInt(sz.w, 10)+".png")
				noCoveredText(t, ctx, c.shot+" fixed at "+strconv.FormatInt(sz.w, 10))
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reset-btn`)), chromedp.WaitNotVisible(chromedp.CSS(`#whatif-banner`))); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestBrowserFindingsFileLine: the findings list says where the SOURCE
// defines each finding's resource (the handler's Locate, as ecsnet ui
// wires it to the SOURCE), readable beside the finding's code.
func TestBrowserFindingsFileLine(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	mux := http.NewServeMux()
	mux.Handle("/ui/", http.StripPrefix("/ui", ui.New(ui.Options{
		Engine: func() *engine.Engine { return e }, Title: sc.Name, Examples: examples(sc),
		Locate: func(c *reach.Component) (string, int) {
			if c == nil {
				return "", 0
			}
			return "examples/seed/article.yaml", 62
		},
	})))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	ctx := browser(t, false)
	for _, sz := range []struct{ w, h int64 }{{1280, 800}, {1920, 1080}} {
		viewport(t, ctx, sz.w, sz.h, false)
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/ui/"), chromedp.WaitVisible(chromedp.CSS(`.finding`))); err != nil {
			t.Fatal(err)
		}
		at := eval[[]string](t, ctx, `[...document.querySelectorAll('.finding .finding-at')].map(e => e.textContent.trim())`)
		n := eval[int](t, ctx, `document.querySelectorAll('.finding').length`)
		if len(at) != n || n == 0 || at[0] != "examples/seed/article.yaml:62" {
			t.Fatalf("%d findings, places %q, want examples/seed/article.yaml:62 on each", n, at)
		}
		if cut := eval[bool](t, ctx, `[...document.querySelectorAll('.finding .finding-at')].some(e => e.getBoundingClientRect().right > document.getElementById('result').getBoundingClientRect().right)`); cut {
			t.Error("a finding's file:line runs out of the panel")
		}
		eval[bool](t, ctx, `(() => { document.querySelector('.finding').scrollIntoView({ block: 'start' }); return true; })()`)
		if cut := eval[[]string](t, ctx, `[...document.querySelectorAll('#diagram .container-line')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)`); len(cut) > 0 {
			t.Errorf("overview at %d: port lines cut off: %q", sz.w, cut)
		}
		shot(t, ctx, "ui38-findings-"+strconv.FormatInt(sz.w, 10)+".png")
	}
}

// TestBrowserPathFollowsResize: the window grows from 1280x800 to
// 1920x1080 (the diagram zooms) with a probe shown; the blocked hop's
// marker stays at the element where the packet dies.
func TestBrowserPathFollowsResize(t *testing.T) {
	e, sc := system(t, "../../examples/seed/article.yaml")
	url := serveUI(t, e, sc)
	ctx := browser(t, false)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`#run`)),
		chromedp.SetValue(chromedp.CSS(`#from`), "internet"),
		chromedp.SetValue(chromedp.CSS(`#to`), "203.0.113.2"),
		chromedp.SetValue(chromedp.CSS(`#port`), "3000"),
		chromedp.Click(chromedp.CSS(`#run`)),
	); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#verdict", "timeout")
	const offJS = `(() => {
  const m = document.querySelector('#overlay .marker.bad circle'), el = document.querySelector('#diagram .blocked-here');
  if (!m || !el) return -1;
  const c = m.getBoundingClientRect(), r = el.getBoundingClientRect();
  const x = (c.left + c.right) / 2, y = (c.top + c.bottom) / 2;
  return Math.max(r.left - x, x - r.right, r.top - y, y - r.bottom, 0);
})()`
	if d := eval[float64](t, ctx, offJS); d < 0 || d > 30 {
		t.Fatalf("at 1280x800 the blocked marker is %.0f px off its element", d)
	}
	viewport(t, ctx, 1920, 1080, false)
	deadline := time.Now().Add(time.Minute)
	var d float64
	for time.Now().Before(deadline) {
		if d = eval[float64](t, ctx, offJS); d >= 0 && d <= 30 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	shot(t, ctx, "ui38-resized.png")
	t.Errorf("after growing to 1920x1080 the blocked marker is %.0f px off its element", d)
}
