package scenario

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestEnvironmentFiles: a container's environment_files become its
// environmentFiles of type s3; a value that is not an S3 object ARN is an
// error at its line.
func TestEnvironmentFiles(t *testing.T) {
	const src = `name: env-files
clusters:
  demo: {}
task_definitions:
  web:
    containers:
      web:
        image: nginx
        memory: 128
        environment_files: [FILE]
`
	sc, err := Parse("app.yaml", []byte(strings.Replace(src, "FILE", "arn:aws:s3:::config/web.env", 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	var got []any
	for _, td := range st.TaskDefinitions {
		if c, ok := td.Container("web"); ok {
			got, _ = model.RawField(c.Raw, "environmentFiles").([]any)
		}
	}
	if len(got) != 1 {
		t.Fatalf("environmentFiles = %v, want one", got)
	}
	if m, _ := got[0].(map[string]any); model.RawString(m, "value") != "arn:aws:s3:::config/web.env" || model.RawString(m, "type") != "s3" {
		t.Errorf("environmentFiles[0] = %v", got[0])
	}
	for _, bad := range []string{"s3://config/web.env", "arn:aws:s3:::config"} {
		sc, err = Parse("app.yaml", []byte(strings.Replace(src, "FILE", bad, 1)))
		if err == nil {
			_, err = sc.Build()
		}
		if err == nil || !strings.Contains(err.Error(), "app.yaml:10:") || !strings.Contains(err.Error(), "is not an S3 object ARN") {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}
