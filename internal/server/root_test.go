package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/internal/sdkhttp"
)

// TestBareRootAnswersHealthy: curl http://127.0.0.1:4566/ (unsigned, no
// query, no HTML asked for) gets what an AWS JSON endpoint answers a bare
// GET /, not MissingAction; a GET with a query but no Action still gets
// MissingAction, and a signed SDK request is served as before.
func TestBareRootAnswersHealthy(t *testing.T) {
	em := newEmulator(t, nil)
	client := sdkhttp.Wrap(nil)
	get := func(url string) (int, string, string) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		must(t, err)
		req.Header.Set("Accept", "*/*") // curl's
		res, err := client.Do(req)
		must(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		must(t, err)
		return res.StatusCode, res.Header.Get("Content-Type"), string(body)
	}
	if code, ctype, body := get(em.URL + "/"); code != http.StatusOK || ctype != "text/plain" || body != "healthy: ecs.us-east-1.amazonaws.com " {
		t.Errorf("GET /: %d %s %q; want 200 text/plain \"healthy: ecs.us-east-1.amazonaws.com \"", code, ctype, body)
	}
	if code, _, body := get(em.URL + "/?Version=2016-11-15"); code != http.StatusBadRequest || !strings.Contains(body, "<Code>MissingAction</Code>") {
		t.Errorf("GET /?Version=2016-11-15: %d %q; want 400 MissingAction", code, body)
	}
	out, err := sdkClients(em.URL).ecs.ListClusters(context.Background(), &ecs.ListClustersInput{})
	must(t, err)
	if len(out.ClusterArns) != 0 {
		t.Errorf("clusters %v, want none", out.ClusterArns)
	}
}
