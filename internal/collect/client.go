package collect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// maxResponse bounds one answer's size (a page of describe-instances of a
// large account is a few MiB).
const maxResponse = 256 << 20

// client makes signed requests to AWS (or an emulator) with the models of
// internal/awsproto.
type client struct {
	cfg     aws.Config
	models  *awsproto.Models
	signer  *v4.Signer
	retryer *retry.Standard
	now     func() time.Time
}

// endpoint is the URL a service's requests go to in a region: the
// configured endpoint (AWS_ENDPOINT_URL_<SERVICE>, then Options.EndpointURL,
// AWS_ENDPOINT_URL or the profile's endpoint_url), else the service's
// regional endpoint.
func (c *client) endpoint(svc *awsproto.Service, region string) string {
	env := "AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(svc.ServiceID, " ", "_"))
	if u := os.Getenv(env); u != "" {
		return u
	}
	if c.cfg.BaseEndpoint != nil && *c.cfg.BaseEndpoint != "" {
		return *c.cfg.BaseEndpoint
	}
	domain := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		domain = "amazonaws.com.cn"
	}
	if svc.Name == "route53" {
		// Route 53 is global: one endpoint per partition.
		return "https://route53." + domain
	}
	if svc.Name == "iam" {
		// IAM is global too: iam.amazonaws.com, in China
		// iam.cn-north-1.amazonaws.com.cn (IAM endpoints and quotas).
		if strings.HasPrefix(region, "cn-") {
			return "https://iam.cn-north-1." + domain
		}
		return "https://iam." + domain
	}
	return "https://" + svc.EndpointPrefix + "." + region + "." + domain
}

// call makes one request of service's operation in region, retrying what
// the SDK's standard retryer retries, and returns the decoded answer.
func (c *client) call(ctx context.Context, region, service, operation string, in map[string]any) (map[string]any, error) {
	svc := c.models.Service(service)
	if svc == nil {
		return nil, fmt.Errorf("no model for service %s", service)
	}
	op := svc.Operation(operation)
	if op == nil {
		return nil, fmt.Errorf("no operation %s %s", service, operation)
	}
	req, err := op.EncodeRequest(in)
	if err != nil {
		return nil, err
	}
	url := strings.TrimRight(c.endpoint(svc, region), "/") + "/"
	if req.Path != "" {
		url = strings.TrimRight(url, "/") + req.Path
	}
	for attempt := 1; ; attempt++ {
		body, err := c.send(ctx, svc, region, url, req)
		if err == nil {
			return op.DecodeResponse(body)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if attempt >= c.retryer.MaxAttempts() || !c.retryer.IsErrorRetryable(err) {
			return nil, err
		}
		delay, derr := c.retryer.RetryDelay(attempt, err)
		if derr != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
	}
}

// send signs and sends one request; an error answer is a
// *awsproto.ResponseError.
func (c *client) send(ctx context.Context, svc *awsproto.Service, region, url string, req awsproto.Request) ([]byte, error) {
	method := http.MethodPost
	if req.Method != "" {
		method = req.Method
	}
	hr, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	if req.ContentType != "" {
		hr.Header.Set("Content-Type", req.ContentType)
	}
	if req.Target != "" {
		hr.Header.Set("X-Amz-Target", req.Target)
	}
	hr.Header.Set("User-Agent", "ecsnet-collect")
	if c.cfg.Credentials != nil {
		creds, err := c.cfg.Credentials.Retrieve(ctx)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		sum := sha256.Sum256(req.Body)
		if err := c.signer.SignHTTP(ctx, creds, hr, hex.EncodeToString(sum[:]), svc.SigningName, c.signingRegion(svc, region), c.now()); err != nil {
			return nil, err
		}
	}
	resp, err := c.httpClient().Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, svc.DecodeError(resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), body)
	}
	return body, nil
}

func (c *client) httpClient() aws.HTTPClient {
	if c.cfg.HTTPClient != nil {
		return c.cfg.HTTPClient
	}
	return http.DefaultClient
}

// pages makes every request of a paginated operation, following its
// paginator's tokens (tokenMembers' when the model has no paginator), and
// hands each answer to each, which says how many items the page held.
func (c *client) pages(ctx context.Context, r *regionRun, ctr *counter, service, operation string, in map[string]any, each func(out map[string]any) int) error {
	op := c.models.Service(service).Operation(operation)
	if op == nil {
		return fmt.Errorf("no operation %s %s", service, operation)
	}
	params := map[string]any{}
	for k, v := range in {
		params[k] = v
	}
	seen := map[string]bool{}
	for {
		out, err := c.call(ctx, r.region, service, operation, params)
		if err != nil {
			return err
		}
		ctr.page(each(out))
		p := op.Paginator
		if p == nil {
			p = tokenMembers(op)
		}
		if p == nil {
			return nil
		}
		more := false
		for i, outTok := range p.OutputToken {
			tok, _ := out[outTok].(string)
			if i < len(p.InputToken) {
				if tok == "" {
					delete(params, p.InputToken[i])
				} else {
					params[p.InputToken[i]] = tok
					more = true
				}
			}
		}
		if !more {
			return nil
		}
		key := fmt.Sprint(params)
		if seen[key] {
			return fmt.Errorf("%s %s: the service returned the same page token twice", service, operation)
		}
		seen[key] = true
	}
}

// tokenMembers is the paginator of an operation that pages without one in
// the botocore model (ECS DescribeCapacityProviders, EventBridge
// ListEventBuses, EC2 DescribeVpcBlockPublicAccessExclusions): its output's
// NextToken (nextToken) fed back as the input member of the same name, or
// its NextMarker as Marker. Nil when the operation has none of them.
func tokenMembers(op *awsproto.Operation) *awsproto.Paginator {
	if op.Input == nil || op.Output == nil {
		return nil
	}
	for _, pair := range [][2]string{{"NextToken", "NextToken"}, {"nextToken", "nextToken"}, {"Marker", "NextMarker"}} {
		if op.Input.MemberByName(pair[0]) != nil && op.Output.MemberByName(pair[1]) != nil {
			return &awsproto.Paginator{InputToken: []string{pair[0]}, OutputToken: []string{pair[1]}}
		}
	}
	return nil
}

// signingRegion is the region a request is signed for: Route 53's global
// endpoint takes us-east-1 (cn-northwest-1 in China), IAM's us-east-1
// (cn-north-1 in China); an emulator's
// endpoint the collected region, whose zones it keeps.
func (c *client) signingRegion(svc *awsproto.Service, region string) string {
	if svc.Name != "route53" && svc.Name != "iam" || c.endpoint(svc, region) != c.defaultEndpoint(svc, region) {
		return region
	}
	if strings.HasPrefix(region, "cn-") {
		if svc.Name == "iam" {
			return "cn-north-1"
		}
		return "cn-northwest-1"
	}
	return "us-east-1"
}

// defaultEndpoint is the endpoint without overrides.
func (c *client) defaultEndpoint(svc *awsproto.Service, region string) string {
	o := *c
	o.cfg.BaseEndpoint = nil
	if os.Getenv("AWS_ENDPOINT_URL_"+strings.ToUpper(strings.ReplaceAll(svc.ServiceID, " ", "_"))) != "" {
		return ""
	}
	return o.endpoint(svc, region)
}
