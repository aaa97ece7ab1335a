// Package elbproxy is the data plane of Elastic Load Balancing: an
// Application Load Balancer node as a real HTTP/1.1 reverse proxy and a
// Network Load Balancer node as a TCP forwarder, both built from the
// model's load balancer, listeners, listener rules and target groups.
//
// It is a second, independent implementation of the behaviour the analyzer
// (internal/reach) decides on paper: listener rules in priority order,
// forward (weighted), fixed-response and redirect actions, health checks
// with ELB's thresholds and reason codes, fail-open when no target is
// healthy, and the statuses ELB itself answers (502, 503, 504) with ELB's
// own error pages and "Server: awselb/2.0". The differential test compares
// the two.
//
// The package opens no sockets of its own choosing: it serves on the
// net.Listener the caller gives and reaches targets with the caller's dial
// function (the data plane passes one that dials from inside the load
// balancer node's network namespace). It knows nothing of namespaces.
//
// Time: ELB's health check interval and timeouts are seconds to minutes.
// A LoadBalancer runs them multiplied by Options.TimeScale (1 is AWS's real
// timing; the data plane uses a small scale so that `ecsnet up` settles at
// once), none shorter than Options.MinTimeout, and Settle runs rounds back
// to back until every target has left the initial state.
package elbproxy
