package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// httpsURL: a client that sends plain HTTP (an http:// URL) to an HTTPS
// listener, which answers 400 ("The plain HTTP request was sent to HTTPS
// port"), or to an NLB's TLS listener, which resets it. Nothing in the
// system changes: the client calls https://, and the same probe over TLS
// verifies it.
func (f *finder) httpsURL(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	port := x.Port
	if port == 0 {
		port = f.probedPort()
	}
	name := f.q.To.Name
	if name == "" {
		name = f.to
	}
	url := fmt.Sprintf("https://<DNS name of %s>:%d/", name, port)
	if port == 443 {
		url = fmt.Sprintf("https://<DNS name of %s>/", name)
	}
	proto, want, detail := "HTTPS", "http 200", "An HTTPS listener expects a TLS handshake; a plain HTTP request on its port is answered 400 Bad Request. "+
		"Point the client at https:// (or, for browsers that type http://, add an HTTP listener on port 80 whose default action redirects to HTTPS)."
	if l := f.st.Listeners[x.Component.ARN]; l != nil && l.Protocol == "TLS" {
		// A Network Load Balancer's TLS listener resets it instead.
		proto, want, detail = "TLS", "connected", "A TLS listener expects a TLS handshake; a plain HTTP request on its port fails it and the connection is reset. "+
			"Point the client at https:// (or have it connect over TLS)."
	}
	return []Fix{{
		score: 8, Kind: "client-url",
		Title:    fmt.Sprintf("Call %s instead of http://: the listener %s is %s", url, x.Component.Name, proto),
		Detail:   detail,
		Commands: []string{fmt.Sprintf("curl -v %s", url)},
		Scenario: "# no change: the client calls https://\nexpect:\n  - {from: " + f.from + ", to: \"" + f.to + "\", verdict: " + want + "}\n",
		apply:    func(*engine.Engine) error { return nil },
		tls:      true,
	}}
}
