package awsproto_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// The models are immutable; tests share one copy.
var (
	modelsOnce sync.Once
	models     *awsproto.Models
	modelsErr  error
)

func loadModels(tb testing.TB) *awsproto.Models {
	tb.Helper()
	modelsOnce.Do(func() { models, modelsErr = awsproto.LoadModels() })
	if modelsErr != nil {
		tb.Fatalf("LoadModels: %v", modelsErr)
	}
	return models
}

// call is one request the fake server decoded.
type call struct {
	Service, Operation, Region string
	Input                      awsproto.Params
}

// fakeAWS is an httptest server whose handler uses only awsproto:
// identify, decode, answer with a canned output (or error), encode.
type fakeAWS struct {
	*httptest.Server
	mu      sync.Mutex
	calls   []call
	answers map[string]any // "service.Operation" → map[string]any or error
}

const testRequestID = "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"

func newFakeAWS(t *testing.T, answers map[string]any) *fakeAWS {
	t.Helper()
	m := loadModels(t)
	f := &fakeAWS{answers: answers}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		target, err := m.Identify(r, body)
		if err != nil {
			target.Service.WriteError(w, testRequestID, err)
			return
		}
		in, err := target.Decode()
		if err != nil {
			target.Service.WriteError(w, testRequestID, err)
			return
		}
		key := target.Service.Name + "." + target.Operation.Name
		f.mu.Lock()
		f.calls = append(f.calls, call{target.Service.Name, target.Operation.Name, target.Region, in})
		answer := f.answers[key]
		f.mu.Unlock()
		switch a := answer.(type) {
		case error:
			target.Service.WriteError(w, testRequestID, a)
		case map[string]any:
			if err := target.Operation.WriteResponse(w, testRequestID, a); err != nil {
				t.Errorf("%s: WriteResponse: %v", key, err)
			}
		case nil:
			if err := target.Operation.WriteResponse(w, testRequestID, nil); err != nil {
				t.Errorf("%s: WriteResponse: %v", key, err)
			}
		default:
			t.Errorf("%s: bad canned answer %T", key, answer)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// lastCall returns the most recent decoded request.
func (f *fakeAWS) lastCall(t *testing.T) call {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("the server decoded no request")
	}
	return f.calls[len(f.calls)-1]
}

func awsprotoLoad() (*awsproto.Models, error) { return awsproto.LoadModels() }
