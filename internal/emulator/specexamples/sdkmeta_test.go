package specexamples_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sdkOperation is what an SDK client method sends, read from the client's
// source: the HTTP method, the spec's path template and api-version, and the
// method's parameter names (the path arguments the examples fill in).
type sdkOperation struct {
	client, method string // e.g. ReplicationProtectedItemsClient, BeginTestFailover
	httpMethod     string
	path           string
	apiVersion     string
	params         []string // names, without ctx and options
}

// key names the method as the examples call it.
func (o sdkOperation) key() string { return o.client + "." + o.method }

// readClients parses the module's *_client.go files.
func readClients(t *testing.T, dir string) map[string]sdkOperation {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*_client.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sdkOperation{}
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parsing %s: %v", path, err)
		}
		methods := map[string]*ast.FuncDecl{} // client.method -> declaration
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			methods[receiverName(fd)+"."+fd.Name.Name] = fd
		}
		for name, fd := range methods {
			if !fd.Name.IsExported() {
				continue
			}
			client := receiverName(fd)
			req := findCreateRequest(methods, client, fd, 3)
			if req == nil {
				continue
			}
			op := sdkOperation{client: client, method: fd.Name.Name}
			readRequest(req, &op)
			for _, field := range fd.Type.Params.List {
				for _, n := range field.Names {
					if n.Name != "ctx" && n.Name != "options" {
						op.params = append(op.params, n.Name)
					}
				}
			}
			if op.path != "" && op.httpMethod != "" {
				out[name] = op
			}
		}
	}
	return out
}

func receiverName(fd *ast.FuncDecl) string {
	typ := fd.Recv.List[0].Type
	if s, ok := typ.(*ast.StarExpr); ok {
		typ = s.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// findCreateRequest follows client.x(...) calls from fd (a Begin method
// calls the unexported operation, which calls its ...CreateRequest; a pager's
// fetcher calls it directly) to the request builder.
func findCreateRequest(methods map[string]*ast.FuncDecl, client string, fd *ast.FuncDecl, depth int) *ast.FuncDecl {
	if strings.HasSuffix(fd.Name.Name, "CreateRequest") {
		return fd
	}
	if depth == 0 || fd.Body == nil {
		return nil
	}
	var found *ast.FuncDecl
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "client" {
			if next := methods[client+"."+sel.Sel.Name]; next != nil && next != fd {
				found = findCreateRequest(methods, client, next, depth-1)
			}
		}
		return true
	})
	return found
}

// readRequest takes the path template, the HTTP method and the api-version
// from a ...CreateRequest function.
func readRequest(fd *ast.FuncDecl, op *sdkOperation) {
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if id, ok := n.Lhs[0].(*ast.Ident); ok && id.Name == "urlPath" && n.Tok == token.DEFINE {
				if lit, ok := n.Rhs[0].(*ast.BasicLit); ok {
					op.path, _ = strconv.Unquote(lit.Value)
				}
			}
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && x.Name == "http" && strings.HasPrefix(n.Sel.Name, "Method") {
				op.httpMethod = strings.ToUpper(strings.TrimPrefix(n.Sel.Name, "Method"))
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Set" && len(n.Args) == 2 {
				if k, ok := n.Args[0].(*ast.BasicLit); ok && k.Value == `"api-version"` {
					if v, ok := n.Args[1].(*ast.BasicLit); ok {
						op.apiVersion, _ = strconv.Unquote(v.Value)
					}
				}
			}
		}
		return true
	})
}

// samePath reports whether an SDK path template and an emulator route
// pattern name the same path: the same literal segments (case-insensitive,
// as ARM matches them) and captures in the same places.
func samePath(sdk, route string) bool {
	a, b := strings.Split(strings.Trim(sdk, "/"), "/"), strings.Split(strings.Trim(route, "/"), "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		ca, cb := strings.HasPrefix(a[i], "{"), strings.HasPrefix(b[i], "{")
		if ca != cb || (!ca && !strings.EqualFold(a[i], b[i])) {
			return false
		}
	}
	return true
}
