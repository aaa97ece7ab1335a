package doctest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// buildEcsnet builds cmd/ecsnet once for the package's tests (each
// linked its own before: the link of a binary this size is seconds of
// CPU), into a folder TestMain removes; it returns the folder.
var buildEcsnet = sync.OnceValues(func() (string, error) {
	bin, err := os.MkdirTemp("", "ecsnet-doctest-bin-")
	if err != nil {
		return "", err
	}
	binDir.Store(&bin)
	root, err := filepath.Abs("../..")
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "ecsnet"), "./cmd/ecsnet")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// binDir is the folder buildEcsnet made, if it ran.
var binDir atomic.Pointer[string]

func TestMain(m *testing.M) {
	code := m.Run()
	if d := binDir.Load(); d != nil {
		os.RemoveAll(*d)
	}
	os.Exit(code)
}

// A block is a fenced ```sh block of a Markdown file.
type block struct {
	file string
	line int // the line of the opening fence
	text string
	skip string // why it does not run, from <!-- doctest: skip: … -->
}

// blocks returns the ```sh blocks of a Markdown file. A block runs unless
// an HTML comment `<!-- doctest: skip: REASON -->` stands on one of the
// three lines above it (a block that needs the network, an AWS account,
// a browser, or runs until Ctrl-C).
func blocks(t *testing.T, path string) []block {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var out []block
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```sh" {
			continue
		}
		bl := block{file: path, line: i + 1}
		for j := max(0, i-3); j < i; j++ {
			if r, ok := strings.CutPrefix(strings.TrimSpace(lines[j]), "<!-- doctest: skip:"); ok {
				bl.skip = strings.TrimSpace(strings.TrimSuffix(r, "-->"))
			}
		}
		var text []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			text = append(text, lines[i])
		}
		bl.text = strings.Join(text, "\n")
		out = append(out, bl)
	}
	return out
}

// prelude runs before every block: errors stop it, except that an ecsnet
// command may exit 1 (a verdict: the article's probe times out by design);
// exit 2 (bad input) or worse fails the block. (A command a block sends to
// the background is judged by what the commands after it see.)
const prelude = `set -eo pipefail
ecsnet() {
  local c=0
  command ecsnet "$@" || c=$?
  if [ "$c" -gt 1 ]; then echo "doctest: 'ecsnet $*' exited $c" >&2; exit 1; fi
  return 0
}
`

// Every shell block of the README and of docs/ runs as written, from a
// folder laid out like a checkout (its files linked), with ecsnet built
// and on PATH. A block's own `go test` line is left out (it is this test's
// caller).
func TestDocumentedCommandsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every documented command")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin, err := buildEcsnet()
	if err != nil {
		t.Fatal(err)
	}
	files := []string{filepath.Join(root, "README.md")}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append(files, docs...)
	modCache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	goCache, _ := exec.Command("go", "env", "GOCACHE").Output()
	ran := 0
	for _, f := range files {
		for _, bl := range blocks(t, f) {
			rel, _ := filepath.Rel(root, bl.file)
			name := fmt.Sprintf("%s:%d", rel, bl.line)
			if bl.skip != "" {
				t.Logf("%s: skipped: %s", name, bl.skip)
				continue
			}
			var keep []string
			for _, l := range strings.Split(bl.text, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(l), "go test ") {
					keep = append(keep, l)
				}
			}
			ran++
			t.Run(name, func(t *testing.T) {
				dir := checkout(t, root)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				cmd := exec.CommandContext(ctx, "bash", "-c", prelude+strings.Join(keep, "\n")+"\n")
				cmd.Dir = dir
				cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
				cmd.Env = append(os.Environ(),
					"PATH="+bin+":"+os.Getenv("PATH"),
					"GOPATH="+filepath.Join(tmp, "gopath"),
					"GOMODCACHE="+strings.TrimSpace(string(modCache)),
					"GOCACHE="+strings.TrimSpace(string(goCache)),
					"GOFLAGS=-mod=mod", "NO_COLOR=1", "HOME="+dir)
				// A file, not a pipe: a server a block starts in the
				// background must not hold the test's output open.
				outFile, err := os.Create(filepath.Join(t.TempDir(), "out"))
				if err != nil {
					t.Fatal(err)
				}
				defer outFile.Close()
				cmd.Stdout, cmd.Stderr = outFile, outFile
				err = cmd.Run()
				// Whatever a block left in the background goes with it.
				if cmd.Process != nil {
					syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				}
				if err != nil {
					out, _ := os.ReadFile(outFile.Name())
					t.Fatalf("%s: %v\n--- block\n%s\n--- output\n%s", name, err, strings.Join(keep, "\n"), tail(string(out), 60))
				}
			})
		}
	}
	if ran < 5 {
		t.Errorf("ran %d blocks", ran)
	}
}

// checkout is a folder laid out like the repository: its top-level files
// and folders linked, so what a block writes (./snap, ecsnet.sarif) stays
// out of the real tree.
func checkout(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == ".git" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func tail(s string, n int) string {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// The GitHub Actions workflow of docs/ci.md runs its steps as written:
// each `run:` step, with the ecsnet under test in place of `go install
// …@latest` (which needs the network and a release).
func TestCIWorkflowSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the workflow's commands")
	}
	root, _ := filepath.Abs("../..")
	b, err := os.ReadFile(filepath.Join(root, "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	inWorkflow := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.TrimSpace(l) == "```yaml":
			inWorkflow = true
		case strings.TrimSpace(l) == "```":
			inWorkflow = false
		case inWorkflow:
			if cmd, ok := strings.CutPrefix(strings.TrimSpace(l), "run: "); ok && !strings.Contains(cmd, "@latest") {
				steps = append(steps, cmd)
			}
		}
	}
	if len(steps) < 3 {
		t.Fatalf("found %d run: steps in docs/ci.md", len(steps))
	}
	bin, err := buildEcsnet()
	if err != nil {
		t.Fatal(err)
	}
	dir := checkout(t, root)
	for _, step := range steps {
		cmd := exec.Command("bash", "-eo", "pipefail", "-c", step)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "NO_COLOR=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("step %q: %v\n%s", step, err, tail(string(out), 30))
		}
	}
	for _, f := range []string{"ecsnet.sarif", "ecsnet-junit.xml"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("the workflow wrote no %s", f)
		}
	}
}
