// Package collect takes a snapshot of a live AWS account (or of anything
// that speaks its APIs: ecsnet serve, moto): it makes every describe-* call
// internal/snapshot reads, follows every page,
// and writes each call's merged output as the aws CLI prints it, in the
// layout Batfish reads: <out>/aws_configs/<region>/<call>.json, plus a
// manifest (snapshot.ManifestName) of the calls made and the ones that
// failed.
//
// Requests are made with ecsnet's own wire layer (internal/awsproto: the
// botocore models the emulator serves, used from the client's side), so
// the answers are decoded exactly as the aws CLI decodes them, keyed by
// botocore member names. From the AWS SDK for Go v2 it takes only what is
// small and must be right: the standard credential chain (environment,
// shared config and credentials files with an optional profile, SSO,
// container and instance roles), the SigV4 signer, and the standard
// retryer's classification and backoff (exponential, with jitter). The
// SDK's service clients are not used: the EC2 client alone was two thirds
// of ecsnet's cold build (docs/performance.md).
//
// An endpoint URL (Options.EndpointURL, AWS_ENDPOINT_URL_<SERVICE>,
// AWS_ENDPOINT_URL or a profile's endpoint_url) points every request at an
// emulator; otherwise each service's regional endpoint is used.
//
// This is the only package of ecsnet that imports the AWS SDK outside
// tests.
package collect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// DefaultMaxAttempts is how many times a request is tried before its
// error is recorded (the SDK's standard retryer backs off exponentially,
// with jitter, up to 20 s between attempts).
const DefaultMaxAttempts = 5

// Options configures a collection.
type Options struct {
	// Regions to collect; none means the region the SDK configuration
	// names (AWS_REGION, the profile's region).
	Regions []string
	// Profile is the shared config profile ("" for the default chain).
	Profile string
	// EndpointURL, when set, is every client's base endpoint (an emulator);
	// without it the SDK honours AWS_ENDPOINT_URL and the per-service
	// variables itself.
	EndpointURL string
	// Out is the snapshot folder to write.
	Out string
	// MaxAttempts bounds the tries of each request (DefaultMaxAttempts
	// when 0).
	MaxAttempts int
	// Progress, when set, is told about every page and every finished call.
	// It is called from several goroutines, one at a time.
	Progress func(Event)
	// LoadOptions are further SDK configuration options (tests pass static
	// credentials).
	LoadOptions []func(*config.LoadOptions) error
	// Exports, when not nil, gets CloudFormation's exports of the first
	// region (ListExports), name → value, before the collection: what a
	// template deployed on the collected system imports. They are not
	// written to the snapshot.
	Exports map[string]string
	// Now is the clock for the manifest (time.Now when nil).
	Now func() time.Time
	// TestCredentials signs requests with fixed test credentials when the
	// standard chain finds none (an emulator, ecsnet serve or moto,
	// accepts any), and always unless a profile or AWS_ACCESS_KEY_ID /
	// AWS_PROFILE name others.
	TestCredentials bool
}

// Event reports progress: a page of a call, or a finished call.
type Event struct {
	Region string
	Call   string // "ec2 describe-vpcs"
	Pages  int    // pages (or requests) so far
	Items  int    // resources so far
	Done   bool   // the call is finished (Err says how)
	Err    error
	// Finished and Total count finished calls over the whole collection.
	Finished, Total int
}

// Run collects every region into o.Out and returns the manifest it wrote
// there. A call that fails (access denied, throttled beyond the retries)
// is recorded in the manifest and the collection goes on; Run fails only
// when the configuration cannot be loaded, no region is known, the output
// cannot be written, ctx ends, or every call failed.
func Run(ctx context.Context, o Options) (*snapshot.Manifest, error) {
	if o.Out == "" {
		return nil, errors.New("no output folder")
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	loadOpts := []func(*config.LoadOptions) error{}
	if o.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(o.Profile))
	}
	loadOpts = append(loadOpts, o.LoadOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("aws configuration: %w", err)
	}
	if o.TestCredentials {
		named := o.Profile != "" || os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_PROFILE") != ""
		if !named || cfg.Credentials == nil {
			cfg.Credentials = credentials.NewStaticCredentialsProvider("test", "test", "")
		} else if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			cfg.Credentials = credentials.NewStaticCredentialsProvider("test", "test", "")
		}
	}
	if o.EndpointURL != "" {
		cfg.BaseEndpoint = aws.String(o.EndpointURL)
	}
	models, err := awsproto.LoadModels()
	if err != nil {
		return nil, err
	}
	cl := &client{cfg: cfg, models: models, signer: v4.NewSigner(), now: time.Now,
		retryer: retry.NewStandard(func(so *retry.StandardOptions) { so.MaxAttempts = o.MaxAttempts })}
	if o.Exports != nil {
		// CloudFormation's exports, for templates deployed on this
		// system (Fn::ImportValue); not part of the snapshot.
		if len(o.Regions) == 0 {
			return nil, errors.New("no region for the exports")
		}
		rr := &regionRun{region: o.Regions[0], progress: &progress{}}
		err := cl.pages(ctx, rr, &counter{r: rr, call: "cloudformation list-exports"}, "cloudformation", "ListExports", nil, func(out map[string]any) int {
			page := items(out, "Exports")
			for _, x := range page {
				if name := fieldOf(x, "Name"); name != "" {
					o.Exports[name] = fieldOf(x, "Value")
				}
			}
			return len(page)
		})
		if err != nil {
			return nil, fmt.Errorf("cloudformation list-exports: %w", err)
		}
	}
	regions := o.Regions
	if len(regions) == 0 {
		if cfg.Region == "" {
			return nil, errors.New("no region: pass --region, or set AWS_REGION or a profile region")
		}
		regions = []string{cfg.Region}
	}
	m := &snapshot.Manifest{Tool: "ecsnet collect", Format: snapshot.FormatVersion, StartedAt: now().UTC().Format(time.RFC3339), Regions: regions}
	if cfg.BaseEndpoint != nil {
		m.Endpoint = *cfg.BaseEndpoint
	}
	p := &progress{fn: o.Progress, total: len(regions) * (len(snapshot.Calls()) + extraCallCount)}
	var wg sync.WaitGroup
	for _, region := range regions {
		dir := filepath.Join(o.Out, "aws_configs", region)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		r := &regionRun{region: region, dir: dir, out: o.Out, progress: p, client: cl}
		// The services (and EC2's transit gateways) are collected side by side; each service's
		// calls run in order, as later ones need earlier answers.
		for _, chain := range []func(context.Context){r.collectEC2, r.collectTGW, r.collectEventsThenECS, r.collectELB, r.collectAutoScaling, r.collectCloudMap, r.collectRoute53, r.collectEFS, r.collectACM, r.collectECR, r.collectCodeDeploy, r.collectNetworkFirewall} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				chain(ctx)
			}()
		}
	}
	wg.Wait()

	m.Calls = p.calls()
	sort.SliceStable(m.Calls, func(i, j int) bool {
		if m.Calls[i].Region != m.Calls[j].Region {
			return m.Calls[i].Region < m.Calls[j].Region
		}
		return callOrder(m.Calls[i].Call) < callOrder(m.Calls[j].Call)
	})
	if err := ctx.Err(); err != nil {
		return m, err
	}
	if err := p.writeError(); err != nil {
		return m, err
	}
	b, err := MarshalCLI(m)
	if err != nil {
		return m, err
	}
	if err := os.WriteFile(filepath.Join(o.Out, snapshot.ManifestName), b, 0o644); err != nil {
		return m, err
	}
	failed := 0
	var first string
	for _, c := range m.Calls {
		if c.Error != "" {
			failed++
			if first == "" {
				first = c.Region + " " + c.Call + ": " + c.Error
			}
		}
	}
	if failed > 0 && failed == len(m.Calls) {
		return m, fmt.Errorf("every call failed; the first: %s", first)
	}
	return m, nil
}

func callOrder(call string) int {
	for i, c := range snapshot.Calls() {
		if c.Command() == call {
			return i
		}
	}
	return len(snapshot.Calls())
}

// progress counts finished calls, gathers the manifest entries and reports
// events one at a time.
type progress struct {
	mu       sync.Mutex
	fn       func(Event)
	total    int
	finished int
	entries  []snapshot.ManifestCall
	err      error
}

func (p *progress) page(region, call string, pages, items int) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fn(Event{Region: region, Call: call, Pages: pages, Items: items, Finished: p.finished, Total: p.total})
}

func (p *progress) done(c snapshot.ManifestCall, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	p.entries = append(p.entries, c)
	if p.fn != nil {
		p.fn(Event{Region: c.Region, Call: c.Call, Pages: c.Pages, Items: c.Items, Done: true, Err: err, Finished: p.finished, Total: p.total})
	}
}

func (p *progress) failWrite(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
}

func (p *progress) writeError() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *progress) calls() []snapshot.ManifestCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]snapshot.ManifestCall(nil), p.entries...)
}
