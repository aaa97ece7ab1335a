package scenario

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestFireLens: a container's firelens becomes its firelensConfiguration
// (type and options); an s3 config-file-value that is not an S3 object ARN,
// or a type that is neither fluentbit nor fluentd, is an error at its line.
func TestFireLens(t *testing.T) {
	const src = `name: firelens
clusters:
  demo: {}
task_definitions:
  web:
    containers:
      router:
        image: fluent-bit
        memory: 128
        firelens: {type: TYPE, options: {config-file-type: s3, config-file-value: FILE}}
`
	build := func(typ, file string) (*Built, error) {
		sc, err := Parse("app.yaml", []byte(strings.NewReplacer("TYPE", typ, "FILE", file).Replace(src)))
		if err != nil {
			return nil, err
		}
		return sc.Build()
	}
	b, err := build("fluentbit", "arn:aws:s3:::config/extra.conf")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	var fc map[string]any
	for _, td := range st.TaskDefinitions {
		if c, ok := td.Container("router"); ok {
			fc, _ = model.RawField(c.Raw, "firelensConfiguration").(map[string]any)
		}
	}
	opts, _ := model.RawField(fc, "options").(map[string]any)
	if model.RawString(fc, "type") != "fluentbit" || model.RawString(opts, "config-file-type") != "s3" ||
		model.RawString(opts, "config-file-value") != "arn:aws:s3:::config/extra.conf" {
		t.Fatalf("firelensConfiguration = %v", fc)
	}
	for _, bad := range [][2]string{{"fluentbit", "s3://config/extra.conf"}, {"fluentbit", "arn:aws:s3:::config"}, {"logstash", "arn:aws:s3:::config/extra.conf"}} {
		_, err := build(bad[0], bad[1])
		if err == nil || !strings.Contains(err.Error(), "app.yaml:10:") || !strings.Contains(err.Error(), "firelens:") {
			t.Errorf("%v: err = %v", bad, err)
		}
	}
}
