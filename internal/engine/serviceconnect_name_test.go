package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestServiceConnectNamespaceByHTTPName: a Service Connect namespace given
// by name is the namespace whose HTTP name it is, whatever the ids' order:
// a private DNS namespace that reuses the name (its HTTP name suffixed)
// loses to the HTTP namespace of that name (round fifteen's CDK Service
// Connect template, whose stack could not be deleted otherwise).
func TestServiceConnectNamespaceByHTTPName(t *testing.T) {
	st := model.NewState("123456789012", "us-east-1")
	st.Namespaces["ns-0000000000000001"] = &model.Namespace{ID: "ns-0000000000000001", Name: "app.local", HTTPName: "app.local-1a2b3c4d", Type: model.NamespaceDNSPrivate}
	st.Namespaces["ns-0000000000000002"] = &model.Namespace{ID: "ns-0000000000000002", Name: "app.local", HTTPName: "app.local", Type: model.NamespaceHTTP}
	if ns := engine.ServiceConnectNamespace(st, "app.local"); ns == nil || ns.ID != "ns-0000000000000002" {
		t.Errorf("app.local = %+v, want the HTTP namespace ns-0000000000000002", ns)
	}
	st.Namespaces["ns-0000000000000003"] = &model.Namespace{ID: "ns-0000000000000003", Name: "other.local", Type: model.NamespaceDNSPrivate}
	if ns := engine.ServiceConnectNamespace(st, "other.local"); ns == nil || ns.ID != "ns-0000000000000003" {
		t.Errorf("other.local = %+v, want ns-0000000000000003 by its name (no HTTP name)", ns)
	}
}
