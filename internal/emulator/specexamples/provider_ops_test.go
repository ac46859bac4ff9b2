package specexamples_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
)

// The provider's side of issue 17's "Done when": every operation the
// provider calls (an SDK client method reached through an accessor of
// *azure.Client, e.g. client.ProtectedItems().BeginTestFailover(...), in
// internal/ outside the emulator and the acceptance test kit), its
// api-version, and whether a spec example was replayed for it.

// providerNotServed: operations the provider calls that the emulator does
// not serve (so no example can be replayed), and why.
var providerNotServed = map[string]string{
	"armstorage.AccountsClient.BeginCreate":   "hstore: the emulator serves Microsoft.Storage/storageAccounts once that branch lands",
	"armstorage.AccountsClient.GetProperties": "hstore: the emulator serves Microsoft.Storage/storageAccounts once that branch lands",
}

// providerCall is one SDK method the provider calls, with where.
type providerCall struct {
	key   string // pkg.Client.Method
	where []string
}

// providerCalls scans the repository's internal/ packages.
func providerCalls(t *testing.T) []providerCall {
	t.Helper()
	root := repoRoot(t)
	accessors := clientAccessors(t, filepath.Join(root, "internal", "azure"))
	found := map[string]*providerCall{}
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == filepath.Join("internal", "emulator") || rel == filepath.Join("internal", "acctest")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			inner, ok := sel.X.(*ast.CallExpr)
			if !ok || len(inner.Args) != 0 {
				return true
			}
			isel, ok := inner.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			client, ok := accessors[isel.Sel.Name]
			if !ok {
				return true
			}
			key := client + "." + sel.Sel.Name
			if found[key] == nil {
				found[key] = &providerCall{key: key}
			}
			pos := fset.Position(call.Pos())
			r, _ := filepath.Rel(root, pos.Filename)
			found[key].where = append(found[key].where, fmt.Sprintf("%s:%d", r, pos.Line))
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatalf("scanning the provider: %v", err)
	}
	var out []providerCall
	for _, c := range found {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// clientAccessors reads internal/azure's `func (c *Client) X() *pkg.YClient`
// methods: accessor name -> "pkg.YClient" (pkg as the SDK names itself).
func clientAccessors(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	pkgOf := map[string]string{} // import path -> SDK package name
	for _, m := range modules {
		pkgOf[m.path] = m.pkg
	}
	out := map[string]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f := parseFile(t, path)
		alias := map[string]string{}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			name := filepath.Base(p)
			if strings.HasPrefix(name, "v") && len(name) <= 3 { // .../armnetwork/v6
				name = filepath.Base(filepath.Dir(p))
			}
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if pkg, ok := pkgOf[p]; ok {
				alias[name] = pkg
			}
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || receiverName(fd) != "Client" || fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
				continue
			}
			star, ok := fd.Type.Results.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			sel, ok := star.X.(*ast.SelectorExpr)
			if !ok {
				continue
			}
			if pkg, ok := alias[exprName(sel.X)]; ok && strings.HasSuffix(sel.Sel.Name, "Client") {
				out[fd.Name.Name] = pkg + "." + sel.Sel.Name
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no client accessors found in %s", dir)
	}
	return out
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
	}
	t.Fatal("no go.mod above the test's directory")
	return ""
}

// providerReport lists the provider's operations with their replay, and
// fails for one served without a replayed example and without a reason.
func providerReport(t *testing.T, c *catalog, rows []outcome) {
	t.Helper()
	served := map[string]string{} // pkg.Client.Method -> operation id
	for id, ops := range c.sdk {
		for _, op := range ops {
			for _, m := range modules {
				if _, ok := c.byKey[m.pkg+"."+op.key()]; ok && c.byKey[m.pkg+"."+op.key()].path == op.path {
					served[m.pkg+"."+op.key()] = id
				}
			}
		}
	}
	byOp := map[string][]outcome{}
	for _, r := range rows {
		byOp[r.operation] = append(byOp[r.operation], r)
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SDK METHOD\tOPERATION\tAPI-VERSION\tEXAMPLE REPLAYED\tCALLED FROM")
	calls := providerCalls(t)
	for _, pc := range calls {
		sdk, known := c.byKey[pc.key]
		if !known {
			t.Errorf("the provider calls %s, which no SDK module of the replay has", pc.key)
			continue
		}
		id, isServed := served[pc.key]
		verdict := ""
		switch {
		case !isServed:
			reason, ok := providerNotServed[pc.key]
			if !ok {
				t.Errorf("the provider calls %s (%s %s), which the emulator does not serve, and no reason is stated", pc.key, sdk.httpMethod, sdk.path)
			}
			id, verdict = "-", "no: not served ("+reason+")"
		default:
			verdict = replayVerdict(byOp[id])
			if verdict == "" {
				t.Errorf("the provider calls %s (%s), served without a replayed example or a stated reason", pc.key, id)
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", pc.key, id, sdk.apiVersion, verdict, strings.Join(pc.where, " "))
	}
	w.Flush()
	t.Logf("provider operations (%d):\n%s", len(calls), b.String())
	if dir := buildDir(); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "provider-operations.txt"), []byte(b.String()), 0o644)
	}
}

// replayVerdict sums up an operation's rows: "yes: ..." when an example
// was replayed, "no: <reason>" when there is none (reason stated), "" when
// neither.
func replayVerdict(rows []outcome) string {
	counts := map[string]int{}
	var noExample string
	for _, r := range rows {
		if r.result == resNoExample {
			noExample = r.reason
			continue
		}
		counts[r.result]++
	}
	if len(counts) == 0 {
		if noExample != "" {
			return "no: " + noExample
		}
		return ""
	}
	var parts []string
	for _, res := range []string{resAccepted, resRefused, resExpected, resMismatch} {
		if counts[res] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[res], res))
		}
	}
	return "yes: " + strings.Join(parts, ", ")
}
