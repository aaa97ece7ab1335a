package terraform_test

import (
	"strings"
	"testing"
)

// TestSweep25DatabasePort: a container definition passing a database's
// port (aws_db_instance.x.port, not given in the configuration) was
// refused as "a value ecsnet does not know"; AWS gives the instance its
// engine's default port, which is what the definition now reads. Its
// db_name, given in the configuration, read as a placeholder
// ("spamoverflow_database-db"): it now reads as given.
func TestSweep25DatabasePort(t *testing.T) {
	res := load(t, "testdata/sweep25/db-port", nil)
	st, _ := res.Engine.Snapshot()
	found := false
	for _, td := range st.TaskDefinitions {
		for _, c := range td.Containers {
			for _, kv := range c.Environment {
				if kv.Name == "SQLALCHEMY_DATABASE_URI" {
					found = true
					if !strings.HasSuffix(kv.Value, ".amazonaws.com:5432/postgres") {
						t.Errorf("database URI %q: want the postgres engine's port 5432 and the db_name given", kv.Value)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no task definition with the database URI")
	}
}
