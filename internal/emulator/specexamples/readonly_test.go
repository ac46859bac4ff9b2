package specexamples_test

import (
	"go/ast"
	"reflect"
	"strings"
	"testing"
)

// readReadOnly reads models.go's "READ-ONLY;" field comments: Azure
// computes those properties, so an answer lacking one the example carries
// is the emulator's gap, while a missing writable property may only mean
// the estate's object was not given it.
func (r *registry) readReadOnly(t *testing.T, path string) {
	r.readOnly = map[string]bool{}
	f := parseFile(t, path)
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			ts, ok := s.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fld := range st.Fields.List {
				if fld.Doc == nil || !strings.Contains(fld.Doc.Text(), "READ-ONLY") {
					continue
				}
				for _, n := range fld.Names {
					r.readOnly[ts.Name.Name+"."+n.Name] = true
				}
			}
		}
	}
}

// gap is a property of the example's response the answer lacks; computed
// when the client cannot set it: marked READ-ONLY, or of a model no request
// body carries (Site Recovery answers with other models than it takes).
type gap struct {
	path     string
	computed bool
}

// diffValues walks the example's value and the answer (both SDK models of
// one type): a property set in the example must be set in the answer; a
// polymorphic value of another concrete type (another replication
// provider's details) is noted, not compared.
func (r *registry) diffValues(path string, want, got reflect.Value, gaps *[]gap, notes *[]string) {
	switch want.Kind() {
	case reflect.Pointer:
		if want.IsNil() || got.IsNil() {
			return
		}
		r.diffValues(path, want.Elem(), got.Elem(), gaps, notes)
	case reflect.Interface:
		if want.IsNil() || got.IsNil() {
			return
		}
		if want.Elem().Type() != got.Elem().Type() {
			*notes = append(*notes, orRoot(path)+" is "+typeName(want.Elem())+" in the example, "+typeName(got.Elem())+" here: not compared")
			return
		}
		r.diffValues(path, want.Elem(), got.Elem(), gaps, notes)
	case reflect.Slice:
		if want.Len() > 0 && got.Len() > 0 {
			r.diffValues(path+"[]", want.Index(0), got.Index(0), gaps, notes)
		}
	case reflect.Struct:
		t := want.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			wf, gf := want.Field(i), got.Field(i)
			p := join(path, r.jsonKey(t.Name(), f.Name))
			if f.Anonymous {
				p = path
			}
			if empty(wf) {
				continue
			}
			if empty(gf) {
				computed := r.readOnly[t.Name()+"."+f.Name] || (!r.inputs[t] && !r.settableAs(t.Name(), f.Name))
				if path == "" && p == "value" { // a list that should have listed the estate's object
					computed = true
				}
				*gaps = append(*gaps, gap{p, computed})
				continue
			}
			r.diffValues(p, wf, gf, gaps, notes)
		}
	}
}

func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	}
	return v.IsZero()
}

func typeName(v reflect.Value) string {
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// jsonKey is the wire name of a model's field (models_serde.go), or the
// Go name when unknown.
func (r *registry) jsonKey(typ, field string) string {
	if k, ok := r.keys[typ+"."+field]; ok {
		return k
	}
	return field
}
