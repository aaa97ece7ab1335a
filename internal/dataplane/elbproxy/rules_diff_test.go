package elbproxy

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Random listener rules, random requests: the proxy's rule matching and
// the analyzer's, two implementations of ELB's conditions, pick the same
// rule for every request. Each rule answers its own fixed status, so the
// status names the rule. Deterministic (fixed seeds); no network.
func TestRulesAgreeWithAnalyzer(t *testing.T) {
	var (
		pathPats  = []string{"/api/*", "/api*", "*", "/a?c", "/img/*.png", "/API/*", "*.png", "/", "/products*", `/lit\*`}
		paths     = []string{"/", "/api", "/api/", "/api/v1/orders", "/API/x", "/abc", "/img/a/b.png", "/img/a.PNG", "/products", "/productsX", "/lit*", "/litX"}
		hostPats  = []string{"*.shop.example", "www.*", "shop.example", "*.example", "WWW.SHOP.EXAMPLE", "api.shop.?xample"}
		hosts     = []string{"www.shop.example", "WWW.Shop.Example", "api.shop.example", "shop.example", "other.test"}
		methods   = []string{"GET", "POST", "PUT", "DELETE"}
		hdrPats   = []string{"prod", "PROD", "can*", "?rod"}
		hdrVals   = []string{"", "prod", "Prod", "canary", "Canary-2"}
		queryPats = [][2]string{{"lang", "en"}, {"lang", "E?"}, {"q", "*"}, {"LANG", "fr"}}
		queries   = []string{"", "lang=en", "Lang=EN", "q=1&lang=fr", "q=", "debug"}
		srcPats   = []string{"198.51.100.0/24", "10.0.0.0/8", "0.0.0.0/0", "198.51.100.7/32"}
		// RegexValues: unanchored unless ^ or $, case sensitive as written.
		pathRes = []string{`^/api/`, `orders`, `^/img/.+\.(png|PNG)$`, `^/products$`, `(?i)^/api`}
		hostRes = []string{`^www\.`, `shop\.example$`, `^[a-z]+\.shop\.example$`, `(?i)^www`}
		hdrRes  = []string{`^prod$`, `(?i)canary`, `^C`}
	)
	checked := 0
	statuses := map[int]int{}
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
		var rules strings.Builder
		nrules := 2 + r.IntN(5)
		for i := range nrules {
			var conds []string
			for _, c := range r.Perm(6)[:1+r.IntN(3)] {
				switch c {
				case 0:
					conds = append(conds, fmt.Sprintf("path: [%q]", pick(pathPats)))
				case 1:
					conds = append(conds, fmt.Sprintf("host: [%q]", pick(hostPats)))
				case 2:
					conds = append(conds, fmt.Sprintf("method: [%s]", pick(methods)))
				case 3:
					conds = append(conds, fmt.Sprintf("header: {X-Env: %q}", pick(hdrPats)))
				case 4:
					if r.IntN(2) == 0 {
						q := queryPats[r.IntN(len(queryPats))]
						conds = append(conds, fmt.Sprintf("query: {%s: %q}", q[0], q[1]))
					} else {
						conds = append(conds, fmt.Sprintf("source_ip: [%s]", pick(srcPats)))
					}
				case 5:
					switch r.IntN(3) {
					case 0:
						conds = append(conds, fmt.Sprintf("path_regex: [%q]", pick(pathRes)))
					case 1:
						conds = append(conds, fmt.Sprintf("host_regex: [%q]", pick(hostRes)))
					default:
						conds = append(conds, fmt.Sprintf("header_regex: {X-Env: %q}", pick(hdrRes)))
					}
				}
			}
			fmt.Fprintf(&rules, "          - {priority: %d, fixed_response: %d, %s}\n", 10*(i+1), 400+i, strings.Join(conds, ", "))
		}
		text := strings.Replace(rulesScenario, "RULES\n", rules.String(), 1)
		sc, err := scenario.Parse("rules.yaml", []byte(text))
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, text)
		}
		b, err := sc.Build(engine.WithStartCheck(reach.StartCheck))
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, text)
		}
		st, _ := b.Engine.Snapshot()
		n := reach.Compile(st)
		var lb *model.LoadBalancer
		for _, x := range st.LoadBalancers {
			lb = x
		}
		p, err := New(st, lb.ARN, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for range 40 {
			path, host, method, env, query := pick(paths), pick(hosts), pick(methods), pick(hdrVals), pick(queries)
			q, err := reach.NewQuery(n, "internet", "web-alb:80", "tcp")
			if err != nil {
				t.Fatal(err)
			}
			q.HTTPPath, q.HTTPHost, q.HTTPMethod = path, host, method
			if query != "" {
				q.HTTPPath += "?" + query
			}
			if env != "" {
				q.HTTPHeaders = map[string]string{"X-Env": env}
			}
			want := reach.Probe(n, q)
			req, err := http.NewRequest(method, "http://"+host+q.HTTPPath, nil)
			if err != nil {
				t.Fatal(err)
			}
			if env != "" {
				req.Header.Set("X-Env", env)
			}
			resp := p.Handle(req, netip.MustParseAddrPort("198.51.100.7:49152"), 80)
			resp.Body.Close()
			if resp.StatusCode != want.HTTPStatus {
				t.Errorf("seed %d: %s %s%s Host %s X-Env %q: proxy %d, analyzer %s\nrules:\n%s", seed, method, path, strings.TrimPrefix(q.HTTPPath, path), host, env,
					resp.StatusCode, want.Verdict, rules.String())
			}
			checked++
			statuses[resp.StatusCode]++
		}
		p.Close()
	}
	t.Logf("%d requests, the same rule each time; statuses %v", checked, statuses)
	if statuses[200] > checked*3/4 {
		t.Errorf("%d of %d requests matched no rule: the rules test too little", statuses[200], checked)
	}
}

// rulesScenario is an internet-facing ALB whose listener's rules are
// generated (RULES); the default action answers 200.
const rulesScenario = `name: rules
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
  public-b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b, route_table: public}
route_tables:
  public:
    vpc: main
    routes: [{destination: 0.0.0.0/0, target: igw}]
security_groups:
  alb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, cidr: 0.0.0.0/0}]}
load_balancers:
  web-alb:
    subnets: [public-a, public-b]
    security_groups: [alb-sg]
    listeners:
      - port: 80
        protocol: HTTP
        fixed_response: 200
        rules:
RULES
`
