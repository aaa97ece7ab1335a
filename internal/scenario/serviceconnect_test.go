package scenario_test

import (
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A Service Connect configuration ECS refuses, or a field the file
// cannot have, fails at its line.
func TestServiceConnectErrorsAtLine(t *testing.T) {
	data, err := os.ReadFile("../../examples/failures/analyzer-only/service-connect-client-off.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	line := func(s string) string {
		i := strings.Index(text, s)
		return "sc.yaml:" + itoa(strings.Count(text[:i], "\n")+1)
	}
	// A port name the task definition lacks: the line of service_connect.
	bad := strings.Replace(text, "- port_name: http", "- port_name: grpc", 1)
	sc, err := scenario.Parse("sc.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	want := line("    service_connect:\n      namespace: shop")
	if _, err := sc.Build(); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "grpc") {
		t.Errorf("unknown port name: %v (want %s)", err, want)
	}
	// An unknown namespace.
	bad = strings.Replace(text, "service_connect: {namespace: shop}", "service_connect: {namespace: nowhere}", 1)
	if sc, err = scenario.Parse("sc.yaml", []byte(bad)); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Build(); err == nil || !strings.Contains(err.Error(), line("service_connect: {namespace: shop}")) {
		t.Errorf("unknown namespace: %v", err)
	}
	// An unknown field.
	bad = strings.Replace(text, "service_connect: {namespace: shop}", "service_connect: {namespace: shop, port: 80}", 1)
	if _, err := scenario.Parse("sc.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), line("service_connect: {namespace: shop}")) {
		t.Errorf("unknown field: %v", err)
	}
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
