package cli

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/ecsnet/ecsnet/examples"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func runDemo(stdio IO, args []string) int {
	fs := newFlags(stdio, "demo", "demo")
	pos, ferr := fs.parse(args)
	if ferr != nil {
		return flagExit(ferr)
	}
	if len(pos) > 0 {
		return fail(stdio, fmt.Errorf("demo takes no arguments, got %s", strings.Join(pos, " ")))
	}
	if err := demo(stdio); err != nil {
		return fail(stdio, err)
	}
	return ExitOK
}

// buildSeed builds an embedded seed scenario.
func buildSeed(name string) (*scenario.Scenario, *engine.Engine, error) {
	data, err := fs.ReadFile(examples.Seed, "seed/"+name)
	if err != nil {
		return nil, nil, err
	}
	sc, err := scenario.Parse("examples/seed/"+name, data)
	if err != nil {
		return nil, nil, err
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		return nil, nil, err
	}
	return sc, b.Engine, nil
}

// demo tells the article's story on its system: the failing curl, why,
// the tempting non-fix, and the four remedies, each verified.
func demo(stdio IO) error {
	w := stdio.Out
	h := func(n int, title string) {
		fmt.Fprintf(w, "\n%s\n", stdio.paint("bold", fmt.Sprintf("%d. %s", n, title)))
	}
	fmt.Fprintln(w, stdio.paint("bold", "ecsnet demo: \"could not connect to a container on ECS (EC2 launch type) in awsvpc mode\""))
	fmt.Fprintln(w, wrap("An ECS service in the awsvpc network mode runs on an EC2 instance of an Auto Scaling group in a public subnet. The instance has a public IP. The container listens on 3000. Replayed on examples/seed/article.yaml:", 100, ""))

	_, e, err := buildSeed("article.yaml")
	if err != nil {
		return err
	}
	st, _ := e.Snapshot()
	h(1, "The system")
	printDemoSystem(stdio, w, st)

	h(2, "$ curl http://203.0.113.2:3000")
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", "203.0.113.2:3000", "tcp")
	if err != nil {
		return err
	}
	res := reach.Probe(n, q)
	fmt.Fprintf(w, "   %s\n%s\n", verdictWord(stdio, res.Verdict), wrap(res.Summary, 100, "   "))
	fmt.Fprintf(w, "   path: %s\n", compactPath(stdio, res.Forward))
	for _, x := range res.Blocking() {
		fmt.Fprintf(w, "   %s %s\n", stdio.paint("red", "✗"), x.Code)
	}

	h(3, "\"Just open port 3000 on the instance's security group?\"")
	what := e.Clone()
	sg, ok := what.SecurityGroupByName("", "instance-sg")
	if !ok {
		return fmt.Errorf("article.yaml has no instance-sg")
	}
	port := 3000
	if _, err := what.AuthorizeSecurityGroup(sg.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: &port, ToPort: &port, CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}}); err != nil {
		return err
	}
	wst, _ := what.Snapshot()
	wn := reach.Compile(wst)
	wq, _ := reach.NewQuery(wn, "internet", "203.0.113.2:3000", "tcp")
	wres := reach.Probe(wn, wq)
	fmt.Fprintf(w, "   %s\n%s\n", verdictWord(stdio, wres.Verdict), wrap(wres.Summary, 100, "   "))
	fmt.Fprintln(w, wrap("The SYN now reaches ENI 1, and the instance answers with a reset: the port is on ENI 2. A timeout became \"connection refused\"; nothing got better.", 100, "   "))

	h(4, "The remedies, each applied to a copy of the system and probed again")
	fixes, _, err := fix.Find(e, "internet", "203.0.113.2:3000", "tcp", fix.Options{})
	if err != nil {
		return err
	}
	for _, f := range fixes {
		v := f.Verification
		fmt.Fprintf(w, "   %d. %s\n      %s → %s: %s\n", f.Rank, f.Title, v.From, v.To, verdictWord(stdio, v.Verdict))
	}
	fmt.Fprintln(w, wrap("Each comes with the exact aws CLI commands and the scenario change: ecsnet probe examples/seed/article.yaml --from internet --to 203.0.113.2:3000", 100, "   "))

	h(5, "The remedies as systems of their own: ecsnet check examples/seed/*.yaml")
	names, _ := fs.Glob(examples.Seed, "seed/*.yaml")
	width := 0
	for i, name := range names {
		names[i] = strings.TrimPrefix(name, "seed/")
		width = max(width, len(names[i]))
	}
	for _, name := range names {
		sc, e, err := buildSeed(name)
		if err != nil {
			return err
		}
		st, _ := e.Snapshot()
		n := reach.Compile(st)
		for _, x := range sc.Expect {
			q, err := reach.NewQuery(n, x.From, x.To, x.Protocol)
			if err != nil {
				return fmt.Errorf("%s:%d: %w", sc.File, x.Line, err)
			}
			r := reach.Probe(n, q)
			mark := stdio.paint("green", "✓")
			if string(r.Verdict) != x.Verdict {
				mark = stdio.paint("red", "✗ expected "+x.Verdict+":")
			}
			fmt.Fprintf(w, "   %s %-*s %s → %s: %s\n", mark, width, name, x.From, x.To, r.Verdict)
		}
	}
	// The next step is the reader's own system: a template, a Terraform
	// folder or a snapshot, checked as CI would (docs/ci.md).
	fmt.Fprintln(w, "\nNext, your own system (a CloudFormation template, a Terraform folder, a snapshot, or a folder of them):")
	fmt.Fprintln(w, "   ecsnet check SOURCE · ecsnet exposure SOURCE · ecsnet probe SOURCE --from X --to Y · in CI: docs/ci.md")
	return nil
}

// printDemoSystem prints the instance's ENIs and the task: ENI 1 and ENI 2.
func printDemoSystem(stdio IO, w io.Writer, st *model.State) {
	for _, inst := range sortedByName(st.Instances, func(i *model.Instance) string { return st.InstanceName(i) }) {
		fmt.Fprintf(w, "   instance %s (%s, %s) in subnet %s\n", st.InstanceName(inst), inst.ID, inst.Type, subnetTags(st, inst.SubnetID).NameOr(string(inst.SubnetID)))
		for i, n := range st.InstanceENIs(inst.ID) {
			pub := stdio.paint("red", "no public IP")
			if p, ok := n.PublicIP(); ok {
				pub = "public IP " + stdio.paint("bold", p.String())
			}
			role := "the instance's primary ENI"
			if n.OwnerKind == model.OwnedByECSTask {
				role = "the task's ENI"
				if tk := st.Tasks[n.ManagedBy]; tk != nil {
					role = "the ENI of task " + st.TaskName(tk) + ", listening on 3000"
				}
			}
			fmt.Fprintf(w, "     ENI %d  %s device %d  %s  %s  (%s)\n", i+1, n.ID, n.Attachment.DeviceIndex, n.PrimaryIP(), pub, role)
		}
	}
}

// compactPath writes a path on one line: component, then ✓ or ✗.
func compactPath(stdio IO, hops []reach.Hop) string {
	var parts []string
	for _, h := range hops {
		label := h.Component.Type + " " + h.Component.Label()
		if h.Component.Type == "internet" {
			label = "internet"
		}
		if h.Blocked {
			label += " " + stdio.paint("red", "✗ "+string(h.Action))
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, " → ")
}
