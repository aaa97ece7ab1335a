package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A rejected ECR request leaves the repository as it was; Reset empties
// the registry; a clone's repositories are its own.
func TestECRRejectedRequestsChangeNothing(t *testing.T) {
	e := engine.New()
	if _, err := e.CreateRepository(engine.CreateRepositoryInput{Name: "app", TagMutability: "IMMUTABLE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutImage(engine.PutImageInput{Name: "app", Manifest: `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[{"size":1}]}`, Tag: "v1"}); err != nil {
		t.Fatal(err)
	}
	// The tag is immutable: the second image is refused, and not kept.
	_, err := e.PutImage(engine.PutImageInput{Name: "app", Manifest: `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[{"size":2}]}`, Tag: "v1"})
	if !apierr.HasCode(err, "ImageTagAlreadyExistsException") {
		t.Fatalf("moving an immutable tag: %v", err)
	}
	if _, err := e.PutImage(engine.PutImageInput{Name: "app", Manifest: "{", Tag: "v2"}); !apierr.HasCode(err, "InvalidParameterException") {
		t.Errorf("a manifest that is not JSON: %v", err)
	}
	if err := e.PutLifecyclePolicy("", "app", `{"rules":[{"selection":{}}]}`); !apierr.HasCode(err, "InvalidParameterException") {
		t.Errorf("a lifecycle rule without priority or action: %v", err)
	}
	if _, err := e.CreateRepository(engine.CreateRepositoryInput{Name: "x", RegistryID: "111122223333"}); !apierr.HasCode(err, "InvalidParameterException") {
		t.Errorf("another account's registry: %v", err)
	}
	var r *model.Repository
	e.Read(func(st *model.State) { r = st.Repositories["app"] })
	if len(r.Images) != 1 || r.LifecyclePolicy != "" || len(r.Images[0].Tags) != 1 {
		t.Errorf("after rejected requests: %+v", r)
	}
	c := e.Clone()
	if _, err := c.DeleteRepository("", "app", true); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) { r = st.Repositories["app"] })
	if r == nil {
		t.Error("deleting the clone's repository deleted the original's")
	}
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) { r = st.Repositories["app"] })
	if r != nil {
		t.Error("repository after Reset")
	}
}
