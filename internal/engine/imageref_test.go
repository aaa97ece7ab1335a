package engine_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// RegisterTaskDefinition checks an image's characters and length, not
// its grammar: an ECR repository ARN registers (the task stops when the
// image is pulled), a space or a "${…}" left by a template does not.
func TestRegisterTaskDefinitionImage(t *testing.T) {
	e := engine.New()
	reg := func(img string) error {
		_, err := e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "web", Memory: "128",
			Containers: []model.ContainerDefinition{{Name: "web", Image: img, Essential: true}}})
		return err
	}
	for _, img := range []string{
		"arn:aws:ecr:us-east-1:123456789012:repository/app",
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/App:V1",
		"nginx@sha256:" + strings.Repeat("ab", 32),
		"registry.example.com:5000/team/app#1",
		strings.Repeat("a", 255) + "@sha256:" + strings.Repeat("ab", 32),
	} {
		if err := reg(img); err != nil {
			t.Errorf("%s: %v", img, err)
		}
	}
	for img, msg := range map[string]string{
		"my app:1":                      "Container.image contains invalid characters.",
		"${ECR_REGISTRY}/app:1":         "Container.image contains invalid characters.",
		"https://ghcr.io/org/app?tag=1": "Container.image contains invalid characters.",
		"nginx:1.27\n":                  "Container.image contains invalid characters.",
		strings.Repeat("a", 256):        "Container.image should not be longer than 255 characters.",
		"":                              "Container.image should not be null or empty.",
	} {
		err := reg(img)
		if !apierr.HasCode(err, "ClientException") || apierr.As(err).Message != msg {
			t.Errorf("%q: got %v, want ClientException %q", img, err, msg)
		}
	}
}
