package server

import (
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// Client-token idempotency (RunInstances ClientToken, CreateNatGateway,
// CreateLaunchTemplate, CreateNetworkInsightsPath, StartNetworkInsights-
// Analysis, ECS RunTask and CreateService clientToken, …): a request that
// repeats a successful one with the same token and the same parameters gets
// the first response again and changes nothing; the same token with other
// parameters is IdempotentParameterMismatch. A request arriving while the
// first is still running waits for it.
//
// Tokens are remembered for idemTTL (AWS keeps them for at least a day for
// RunInstances) and at most idemMax per region, in memory: a restart forgets
// them, which docs/aws-behavior.md states.

const (
	idemTTL = 24 * time.Hour
	idemMax = 10000
)

type idemEntry struct {
	hash [32]byte
	out  map[string]any
	at   time.Time
	done chan struct{} // closed when the first request finished
	ok   bool          // the first request succeeded
}

type idemCache struct {
	mu      sync.Mutex
	entries map[string]*idemEntry
	order   []string
}

func newIdemCache() *idemCache { return &idemCache{entries: map[string]*idemEntry{}} }

// tokenMember returns the name of op's idempotency-token member, or "".
func tokenMember(op *awsproto.Operation) string {
	if op.Input == nil || op.Service.Name == "efs" {
		// EFS's CreationToken and ClientToken are the resource's own:
		// the engine answers a reused one with FileSystemAlreadyExists
		// or AccessPointAlreadyExists (the existing resource's id).
		return ""
	}
	for _, m := range op.Input.Members {
		if m.IdempotencyTok {
			return m.Name
		}
	}
	return ""
}

// paramsHash hashes a request's parameters without its token.
func paramsHash(in awsproto.Params, token string) [32]byte {
	c := make(map[string]any, len(in))
	for k, v := range in {
		if k != token {
			c[k] = v
		}
	}
	b, _ := json.Marshal(c) // maps encode with sorted keys
	return sha256.Sum256(b)
}

// begin looks up key. It returns the stored output of a finished request
// with the same parameters (replay), an error for other parameters, or a
// finish function the caller must call with the outcome of its own request.
func (c *idemCache) begin(key string, hash [32]byte, svc *awsproto.Service, now time.Time) (replay map[string]any, finish func(out map[string]any, err error), err error) {
	for {
		c.mu.Lock()
		e := c.entries[key]
		if e != nil && now.Sub(e.at) > idemTTL {
			delete(c.entries, key)
			e = nil
		}
		if e == nil {
			e = &idemEntry{hash: hash, at: now, done: make(chan struct{})}
			c.entries[key] = e
			c.order = append(c.order, key)
			c.evict()
			c.mu.Unlock()
			return nil, func(out map[string]any, err error) {
				c.mu.Lock()
				if err == nil {
					e.out, e.ok = out, true
				} else if c.entries[key] == e {
					delete(c.entries, key) // a failed request may be retried
				}
				c.mu.Unlock()
				close(e.done)
			}, nil
		}
		c.mu.Unlock()
		<-e.done
		c.mu.Lock()
		ok, out, same := e.ok, e.out, e.hash == hash
		c.mu.Unlock()
		if !ok {
			continue // the first attempt failed: run this one
		}
		if !same {
			return nil, nil, mismatch(svc)
		}
		return out, nil, nil
	}
}

func (c *idemCache) evict() {
	for len(c.order) > idemMax {
		k := c.order[0]
		c.order = c.order[1:]
		if e := c.entries[k]; e != nil {
			select {
			case <-e.done:
				delete(c.entries, k)
			default:
			}
		}
	}
}

func (c *idemCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[string]*idemEntry{}
	c.order = nil
}

// mismatch is the error for a reused token with other parameters: EC2's
// IdempotentParameterMismatch (text from real AWS output); ECS has no
// documented code, so it gets InvalidParameterException with EC2's text.
func mismatch(svc *awsproto.Service) error {
	const msg = "Arguments on this idempotent request are inconsistent with arguments used in previous request(s)."
	if svc.Protocol == awsproto.ProtocolEC2 {
		return apierr.New("IdempotentParameterMismatch", msg)
	}
	return apierr.New("InvalidParameterException", msg)
}
