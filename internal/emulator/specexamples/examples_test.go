package specexamples_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// example is one Example function of an SDK module's example tests.
type example struct {
	module *sdkModule
	file   string // the x-ms-examples file, e.g. ReplicationProtectedItems_Get.json
	fn     string // the Example function
	client string // e.g. ReplicationProtectedItemsClient
	method string // e.g. Get, BeginCreate, NewListPager
	args   []ast.Expr
	// respField and resp are the expected response, when the example shows
	// one: `res.<respField> = <resp>` (or page.<respField> for a pager),
	// the 200 answer of the x-ms-examples file.
	respField string
	resp      ast.Expr
}

func (e *example) key() string { return e.client + "." + e.method }

const exampleHeader = "// Generated from example definition: "

// readExamples parses the module's *_client_example_test.go files.
func readExamples(t *testing.T, m *sdkModule, dir string) []*example {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_client_example_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []*example
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parsing %s: %v", p, err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fd.Name.Name, "Example") || fd.Doc == nil {
				continue
			}
			ex := &example{module: m, fn: fd.Name.Name}
			for _, c := range fd.Doc.List {
				if strings.HasPrefix(c.Text, exampleHeader) {
					ex.file = path.Base(strings.TrimPrefix(c.Text, exampleHeader))
				}
			}
			if !findCall(fd, ex) {
				continue
			}
			body := string(src[fset.Position(fd.Body.Pos()).Offset:fset.Position(fd.Body.End()).Offset])
			if err := readResponse(body, ex); err != nil {
				t.Fatalf("%s %s: the commented response: %v", filepath.Base(p), fd.Name.Name, err)
			}
			out = append(out, ex)
		}
	}
	return out
}

// findCall finds clientFactory.NewXClient().Method(ctx, args...).
func findCall(fd *ast.FuncDecl, ex *example) bool {
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || ex.client != "" {
			return ex.client == ""
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		inner, ok := sel.X.(*ast.CallExpr)
		if !ok {
			return true
		}
		isel, ok := inner.Fun.(*ast.SelectorExpr)
		if !ok || !strings.HasPrefix(isel.Sel.Name, "New") || !strings.HasSuffix(isel.Sel.Name, "Client") {
			return true
		}
		ex.client = strings.TrimPrefix(isel.Sel.Name, "New")
		ex.method = sel.Sel.Name
		ex.args = call.Args
		if len(ex.args) > 0 && exprName(ex.args[0]) == "ctx" {
			ex.args = ex.args[1:]
		}
		return false
	})
	return ex.client != ""
}

// readResponse takes the commented composite literal after the "If the
// HTTP response code is 200" line.
func readResponse(body string, ex *example) error {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "HTTP response code is") {
			continue
		}
		var b strings.Builder
		for _, c := range lines[i+1:] {
			c = strings.TrimSpace(c)
			if !strings.HasPrefix(c, "//") {
				break
			}
			b.WriteString(strings.TrimPrefix(c, "//"))
			b.WriteByte('\n')
		}
		text := strings.TrimSpace(b.String())
		lhs, rhs, ok := strings.Cut(text, " = ")
		if !ok {
			return nil
		}
		if _, field, ok := strings.Cut(lhs, "."); ok {
			ex.respField = field
		}
		expr, err := parser.ParseExpr(rhs)
		if err != nil {
			return err
		}
		ex.resp = expr
		return nil
	}
	return nil
}
