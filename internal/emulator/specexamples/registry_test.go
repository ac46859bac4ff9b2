package specexamples_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// registry holds an SDK package's types and constants by the names the
// examples write (pkg.Name). Go cannot list a package's types, so they are
// found by walking from the client factory: its clients, their methods'
// parameters and results, and every field; the concrete types behind a
// polymorphic field (an interface such as
// EnableProtectionProviderSpecificInputClassification) are materialised by
// decoding each discriminator value its unmarshal helper knows (read from
// polymorphic_helpers.go and models_serde.go) into the field's parent.
type registry struct {
	pkg    string // as the examples name it, e.g. armnetwork
	path   string // Go package path
	types  map[string]reflect.Type
	consts map[string]reflect.Value
	// poly: "Parent.Field" -> how its JSON decodes (models_serde.go).
	poly map[string]polyField
	// helpers: unmarshal helper -> discriminator key and values.
	helpers map[string]polyHelper
	// keys: "Type.Field" -> JSON key; readOnly: the READ-ONLY fields.
	keys     map[string]string
	readOnly map[string]bool
	// impls: an interface's concrete types found; inputs: the types a
	// request body can carry (reachable from the methods' parameters).
	impls  map[reflect.Type][]reflect.Type
	inputs map[reflect.Type]bool
	// inputFields: field name -> the input types that have it. A response
	// model's field is a setting the request could carry when an input type
	// named after the model has it (AccountProperties.IsHnsEnabled beside
	// AccountPropertiesCreateParameters.IsHnsEnabled).
	inputFields map[string][]string
}

type polyField struct{ jsonKey, helper string }

type polyHelper struct {
	key    string
	values []string
}

func newRegistry(t *testing.T, m *sdkModule, dir string) *registry {
	t.Helper()
	r := &registry{pkg: m.pkg, types: map[string]reflect.Type{}, consts: map[string]reflect.Value{},
		poly: map[string]polyField{}, helpers: map[string]polyHelper{}, keys: map[string]string{},
		impls: map[reflect.Type][]reflect.Type{}, inputs: map[reflect.Type]bool{}, inputFields: map[string][]string{}}
	r.readReadOnly(t, filepath.Join(dir, "models.go"))
	r.readSerde(t, filepath.Join(dir, "models_serde.go"))
	if helpers := filepath.Join(dir, "polymorphic_helpers.go"); fileExists(helpers) {
		r.readHelpers(t, helpers)
	}
	factory := reflect.TypeOf(m.newFactory).Out(0)
	r.path = factory.Elem().PkgPath()
	for i := 0; i < factory.NumMethod(); i++ {
		client := factory.Method(i).Type.Out(0)
		for j := 0; j < client.NumMethod(); j++ {
			mt := client.Method(j).Type
			for k := 1; k < mt.NumIn(); k++ {
				r.walk(mt.In(k))
			}
			for k := 0; k < mt.NumOut(); k++ {
				r.walkResult(mt.Out(k))
			}
		}
	}
	for i := 0; i < factory.NumMethod(); i++ {
		client := factory.Method(i).Type.Out(0)
		for j := 0; j < client.NumMethod(); j++ {
			mt := client.Method(j).Type
			for k := 1; k < mt.NumIn(); k++ {
				r.reachInput(mt.In(k))
			}
		}
	}
	r.readConsts(t, filepath.Join(dir, "constants.go"))
	return r
}

// reachInput marks the types a request body can carry.
func (r *registry) reachInput(t reflect.Type) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.PkgPath() != r.path || r.inputs[t] {
		return
	}
	r.inputs[t] = true
	switch t.Kind() {
	case reflect.Interface:
		for _, c := range r.impls[t] {
			r.reachInput(c)
		}
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			r.inputFields[t.Field(i).Name] = append(r.inputFields[t.Field(i).Name], t.Name())
			r.reachInput(t.Field(i).Type)
		}
	}
}

// walkResult walks a method's result, through azcore's Poller and Pager to
// the response they yield.
func (r *registry) walkResult(t reflect.Type) {
	for _, name := range []string{"PollUntilDone", "NextPage"} {
		if m, ok := t.MethodByName(name); ok {
			r.walk(m.Type.Out(0))
			return
		}
	}
	r.walk(t)
}

func (r *registry) walk(t reflect.Type) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.PkgPath() != r.path || t.Name() == "" {
		return
	}
	name := r.pkg + "." + t.Name()
	if _, seen := r.types[name]; seen {
		return
	}
	r.types[name] = t
	if t.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		r.walk(f.Type)
		ft := f.Type
		for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Interface {
			r.materialise(t, f)
		}
	}
}

// materialise decodes each discriminator value of a polymorphic field into
// its parent and walks the concrete types that come out.
func (r *registry) materialise(parent reflect.Type, f reflect.StructField) {
	pf, ok := r.poly[parent.Name()+"."+f.Name]
	if !ok {
		return
	}
	h := r.helpers[strings.TrimSuffix(strings.TrimSuffix(pf.helper, "Array"), "Map")]
	for _, v := range append([]string{"unknown-discriminator"}, h.values...) {
		obj, _ := json.Marshal(map[string]string{h.key: v})
		var inner any = json.RawMessage(obj)
		switch {
		case strings.HasSuffix(pf.helper, "Array"):
			inner = []any{inner}
		case strings.HasSuffix(pf.helper, "Map"):
			inner = map[string]any{"k": inner}
		}
		doc, _ := json.Marshal(map[string]any{pf.jsonKey: inner})
		p := reflect.New(parent)
		if err := json.Unmarshal(doc, p.Interface()); err != nil {
			continue
		}
		fv := p.Elem().FieldByIndex(f.Index)
		switch fv.Kind() {
		case reflect.Slice:
			if fv.Len() > 0 {
				fv = fv.Index(0)
			}
		case reflect.Map:
			if fv.Len() > 0 {
				fv = fv.MapIndex(fv.MapKeys()[0])
			}
		}
		if fv.Kind() == reflect.Interface && !fv.IsNil() {
			c := fv.Elem().Type()
			if indexOfType(r.impls[fv.Type()], c) < 0 {
				r.impls[fv.Type()] = append(r.impls[fv.Type()], c)
			}
			r.walk(c)
		}
	}
}

// readSerde finds the polymorphic fields: in an UnmarshalJSON,
// `case "key": x.Field, err = unmarshalXClassification(val)`.
func (r *registry) readSerde(t *testing.T, path string) {
	f := parseFile(t, path)
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "UnmarshalJSON" || fd.Recv == nil {
			continue
		}
		parent := receiverName(fd)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			cc, ok := n.(*ast.CaseClause)
			if !ok || len(cc.List) != 1 || len(cc.Body) == 0 {
				return true
			}
			key, ok := cc.List[0].(*ast.BasicLit)
			as, ok2 := cc.Body[0].(*ast.AssignStmt)
			if !ok || !ok2 || len(as.Rhs) != 1 {
				return true
			}
			call, ok2 := as.Rhs[0].(*ast.CallExpr)
			k, _ := strconv.Unquote(key.Value)
			if fn, ok := call.Fun.(*ast.Ident); ok2 && ok && strings.HasPrefix(fn.Name, "unpopulate") && len(call.Args) == 3 {
				if name, ok := call.Args[1].(*ast.BasicLit); ok { // unpopulate…(val, "Field", &x.Field)
					f, _ := strconv.Unquote(name.Value)
					r.keys[parent+"."+f] = k
				}
			}
			sel, ok := as.Lhs[0].(*ast.SelectorExpr)
			if !ok || !ok2 {
				return true
			}
			r.keys[parent+"."+sel.Sel.Name] = k
			if fn, ok := call.Fun.(*ast.Ident); ok && strings.HasPrefix(fn.Name, "unmarshal") {
				r.poly[parent+"."+sel.Sel.Name] = polyField{jsonKey: k, helper: fn.Name}
			}
			return true
		})
	}
}

// readHelpers reads each unmarshalXClassification's discriminator key
// (switch m["key"]) and values (case "value":).
func (r *registry) readHelpers(t *testing.T, path string) {
	f := parseFile(t, path)
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		var h polyHelper
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SwitchStmt:
				if ix, ok := n.Tag.(*ast.IndexExpr); ok {
					if lit, ok := ix.Index.(*ast.BasicLit); ok {
						h.key, _ = strconv.Unquote(lit.Value)
					}
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					if lit, ok := e.(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(lit.Value)
						h.values = append(h.values, v)
					}
				}
			}
			return true
		})
		if h.key != "" {
			r.helpers[fd.Name.Name] = h
		}
	}
}

// readConsts reads `Name Type = literal` constants of known types.
func (r *registry) readConsts(t *testing.T, path string) {
	f := parseFile(t, path)
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			id, ok := vs.Type.(*ast.Ident)
			if !ok || len(vs.Values) != 1 {
				continue
			}
			typ, ok := r.types[r.pkg+"."+id.Name]
			lit, ok2 := vs.Values[0].(*ast.BasicLit)
			if !ok || !ok2 {
				continue
			}
			v, err := basic(lit, typ)
			if err == nil {
				r.consts[r.pkg+"."+vs.Names[0].Name] = v
			}
		}
	}
}

// settableAs reports whether an input type named after model has field.
func (r *registry) settableAs(model, field string) bool {
	for _, in := range r.inputFields[field] {
		if strings.HasPrefix(in, model) {
			return true
		}
	}
	return false
}

func indexOfType(list []reflect.Type, t reflect.Type) int {
	for i, v := range list {
		if v == t {
			return i
		}
	}
	return -1
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func parseFile(t *testing.T, path string) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	return f
}
