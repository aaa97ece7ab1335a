package elbproxy

import (
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

func benchGet(b *testing.B, url string) {
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer c.CloseIdleConnections()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkDirect is a request straight to the target, the baseline.
func BenchmarkDirect(b *testing.B) {
	a := startApp(b, "127.0.0.2", "a", nil)
	benchGet(b, "http://"+a.addr.String()+"/")
}

// BenchmarkProxy is a request through the proxy to a healthy target, on
// kept-alive connections on both sides.
func BenchmarkProxy(b *testing.B) {
	a := startApp(b, "127.0.0.2", "a", nil)
	_, url := startLB(b, albState(forward("tg"), nil, httpTG("tg", a.addr)), Options{})
	benchGet(b, url+"/")
}

// BenchmarkProxyRules is the proxy with 20 path rules before the one that
// matches.
func BenchmarkProxyRules(b *testing.B) {
	a := startApp(b, "127.0.0.2", "a", nil)
	var rules []*model.ListenerRule
	for i := range 20 {
		rules = append(rules, &model.ListenerRule{Priority: i + 1, Conditions: []model.RuleCondition{
			{Field: "path-pattern", Values: []string{fmt.Sprintf("/svc%d/*", i)}}, {Field: "host-header", Values: []string{"*.example.com"}}},
			Actions: []model.ListenerAction{{Type: "fixed-response", Order: 1, FixedResponse: &model.FixedResponse{StatusCode: "404"}}}})
	}
	_, url := startLB(b, albState(forward("tg"), rules, httpTG("tg", a.addr)), Options{})
	benchGet(b, url+"/app/x")
}

// BenchmarkELBError is ELB's own 503 (no registered targets).
func BenchmarkELBError(b *testing.B) {
	_, url := startLB(b, albState(forward("tg"), nil, httpTG("tg")), Options{})
	benchGet(b, url+"/")
}

// BenchmarkMatches is one rule evaluation (path, host, header, query).
func BenchmarkMatches(b *testing.B) {
	conds := []model.RuleCondition{
		{Field: "path-pattern", Values: []string{"/api/*/orders/*"}},
		{Field: "host-header", Values: []string{"*.shop.example"}},
		{Field: "http-header", HeaderName: "User-Agent", Values: []string{"*mobile*"}},
		{Field: "query-string", Values: []string{"lang=en"}},
	}
	r := Request{Method: "GET", Host: "www.shop.example", Path: "/api/v2/orders/123", Query: "lang=en&x=1",
		Header: http.Header{"User-Agent": {"Mozilla/5.0 (iPhone) Mobile Safari"}}, Client: netip.MustParseAddr("198.51.100.7")}
	b.ReportAllocs()
	for b.Loop() {
		if !Matches(conds, r) {
			b.Fatal("no match")
		}
	}
}
