package specexamples_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The examples' literals are a small part of Go: composite literals of the
// SDK's types (slices, maps, nested pointers, elided element types),
// to.Ptr(x) and to.Ptr[T](x), string/number/bool literals, the SDK's
// constants, and `func() time.Time { t, _ := time.Parse(layout, "..."); return t }()`.
// eval turns one into a reflect.Value of type want (nil: the literal's own).

var anyType = reflect.TypeOf((*any)(nil)).Elem()

var basicTypes = map[string]reflect.Type{
	"string": reflect.TypeOf(""), "bool": reflect.TypeOf(false),
	"int": reflect.TypeOf(0), "int32": reflect.TypeOf(int32(0)), "int64": reflect.TypeOf(int64(0)),
	"float32": reflect.TypeOf(float32(0)), "float64": reflect.TypeOf(float64(0)),
	"byte": reflect.TypeOf(byte(0)), "any": anyType,
}

func (r *registry) eval(e ast.Expr, want reflect.Type) (reflect.Value, error) {
	v, err := r.evalRaw(e, want)
	if err != nil {
		return reflect.Value{}, err
	}
	return fit(v, want)
}

func (r *registry) evalRaw(e ast.Expr, want reflect.Type) (reflect.Value, error) {
	switch e := e.(type) {
	case *ast.CompositeLit:
		typ := want
		if e.Type != nil {
			t, err := r.typeOf(e.Type)
			if err != nil {
				return reflect.Value{}, err
			}
			typ = t
		}
		if typ == nil {
			return reflect.Value{}, fmt.Errorf("composite literal of unknown type")
		}
		if typ.Kind() == reflect.Pointer { // an elided &T in []*T{{...}}
			v, err := r.composite(e, typ.Elem())
			if err != nil {
				return v, err
			}
			return addr(v), nil
		}
		return r.composite(e, typ)
	case *ast.UnaryExpr:
		if e.Op != token.AND {
			return reflect.Value{}, fmt.Errorf("operator %s", e.Op)
		}
		var elem reflect.Type
		if want != nil && want.Kind() == reflect.Pointer {
			elem = want.Elem()
		}
		v, err := r.eval(e.X, elem)
		if err != nil {
			return v, err
		}
		return addr(v), nil
	case *ast.CallExpr:
		return r.call(e, want)
	case *ast.BasicLit:
		return basic(e, want)
	case *ast.Ident:
		switch e.Name {
		case "true", "false":
			return reflect.ValueOf(e.Name == "true"), nil
		case "nil":
			if want == nil {
				return reflect.Value{}, fmt.Errorf("untyped nil")
			}
			return reflect.Zero(want), nil
		}
	case *ast.SelectorExpr:
		name := exprName(e)
		if v, ok := r.consts[name]; ok {
			return v, nil
		}
		return reflect.Value{}, fmt.Errorf("unknown constant %s", name)
	case *ast.ParenExpr:
		return r.evalRaw(e.X, want)
	}
	return reflect.Value{}, fmt.Errorf("unsupported expression %T", e)
}

func (r *registry) composite(e *ast.CompositeLit, typ reflect.Type) (reflect.Value, error) {
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.Struct:
		for _, elt := range e.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return v, fmt.Errorf("%s: positional field", typ)
			}
			name := exprName(kv.Key)
			f := v.FieldByName(name)
			if !f.IsValid() {
				return v, fmt.Errorf("%s has no field %s", typ, name)
			}
			fv, err := r.eval(kv.Value, f.Type())
			if err != nil {
				return v, fmt.Errorf("%s.%s: %w", typ.Name(), name, err)
			}
			f.Set(fv)
		}
	case reflect.Slice:
		v = reflect.MakeSlice(typ, 0, len(e.Elts))
		for i, elt := range e.Elts {
			ev, err := r.eval(elt, typ.Elem())
			if err != nil {
				return v, fmt.Errorf("[%d]: %w", i, err)
			}
			v = reflect.Append(v, ev)
		}
	case reflect.Map:
		v = reflect.MakeMapWithSize(typ, len(e.Elts))
		for _, elt := range e.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				return v, fmt.Errorf("map element without key")
			}
			k, err := r.eval(kv.Key, typ.Key())
			if err != nil {
				return v, err
			}
			ev, err := r.eval(kv.Value, typ.Elem())
			if err != nil {
				return v, fmt.Errorf("[%v]: %w", k, err)
			}
			v.SetMapIndex(k, ev)
		}
	default:
		return v, fmt.Errorf("composite literal of %s", typ)
	}
	return v, nil
}

func (r *registry) call(e *ast.CallExpr, want reflect.Type) (reflect.Value, error) {
	fun := e.Fun
	var explicit reflect.Type
	if ix, ok := fun.(*ast.IndexExpr); ok { // to.Ptr[T](x)
		t, err := r.typeOf(ix.Index)
		if err != nil {
			return reflect.Value{}, err
		}
		fun, explicit = ix.X, t
	}
	switch f := fun.(type) {
	case *ast.FuncLit:
		return parsedTime(f)
	case *ast.Ident: // a conversion: int32(5)
		if t, ok := basicTypes[f.Name]; ok && len(e.Args) == 1 {
			return r.eval(e.Args[0], t)
		}
	case *ast.SelectorExpr:
		if t, ok := r.types[exprName(f)]; ok && len(e.Args) == 1 { // a conversion: pkg.Kind("x")
			return r.eval(e.Args[0], t)
		}
		if exprName(f) == "to.Ptr" && len(e.Args) == 1 {
			elem := explicit
			if elem == nil && want != nil && want.Kind() == reflect.Pointer {
				elem = want.Elem()
			}
			v, err := r.eval(e.Args[0], elem)
			if err != nil {
				return v, err
			}
			return addr(v), nil
		}
	}
	return reflect.Value{}, fmt.Errorf("unsupported call %s", exprName(fun))
}

// parsedTime evaluates the time idiom: the time.Parse call inside.
func parsedTime(f *ast.FuncLit) (reflect.Value, error) {
	var out reflect.Value
	var err error = fmt.Errorf("no time.Parse in the function literal")
	ast.Inspect(f.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || exprName(call.Fun) != "time.Parse" || len(call.Args) != 2 {
			return true
		}
		layouts := map[string]string{"time.RFC3339Nano": time.RFC3339Nano, "time.RFC3339": time.RFC3339, "time.RFC1123": time.RFC1123}
		layout, ok := layouts[exprName(call.Args[0])]
		lit, ok2 := call.Args[1].(*ast.BasicLit)
		if !ok || !ok2 {
			err = fmt.Errorf("time.Parse with layout %s", exprName(call.Args[0]))
			return false
		}
		s, _ := strconv.Unquote(lit.Value)
		t, perr := time.Parse(layout, s)
		out, err = reflect.ValueOf(t), perr
		return false
	})
	return out, err
}

func (r *registry) typeOf(e ast.Expr) (reflect.Type, error) {
	switch e := e.(type) {
	case *ast.Ident:
		if t, ok := basicTypes[e.Name]; ok {
			return t, nil
		}
	case *ast.InterfaceType:
		return anyType, nil
	case *ast.SelectorExpr:
		name := exprName(e)
		if name == "time.Time" {
			return reflect.TypeOf(time.Time{}), nil
		}
		if t, ok := r.types[name]; ok {
			return t, nil
		}
		return nil, fmt.Errorf("unknown type %s", name)
	case *ast.StarExpr:
		t, err := r.typeOf(e.X)
		if err != nil {
			return nil, err
		}
		return reflect.PointerTo(t), nil
	case *ast.ArrayType:
		t, err := r.typeOf(e.Elt)
		if err != nil {
			return nil, err
		}
		return reflect.SliceOf(t), nil
	case *ast.MapType:
		k, err := r.typeOf(e.Key)
		if err != nil {
			return nil, err
		}
		v, err := r.typeOf(e.Value)
		if err != nil {
			return nil, err
		}
		return reflect.MapOf(k, v), nil
	}
	return nil, fmt.Errorf("unsupported type expression %s", exprName(e))
}

// basic evaluates a string or number literal as want's kind (or as string,
// int, float64 when the destination is untyped).
func basic(lit *ast.BasicLit, want reflect.Type) (reflect.Value, error) {
	var v reflect.Value
	switch lit.Kind {
	case token.STRING:
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return v, err
		}
		v = reflect.ValueOf(s)
	case token.INT:
		n, err := strconv.ParseInt(lit.Value, 0, 64)
		if err != nil {
			return v, err
		}
		v = reflect.ValueOf(n)
		if want == nil || want.Kind() == reflect.Interface {
			v = reflect.ValueOf(float64(n)) // as encoding/json decodes a number into any
		}
	case token.FLOAT:
		f, err := strconv.ParseFloat(lit.Value, 64)
		if err != nil {
			return v, err
		}
		v = reflect.ValueOf(f)
	default:
		return v, fmt.Errorf("literal %s", lit.Value)
	}
	if want != nil && want.Kind() != reflect.Interface {
		if !v.Type().ConvertibleTo(want) || (v.Kind() == reflect.String) != (want.Kind() == reflect.String) {
			return v, fmt.Errorf("literal %s for a %s", lit.Value, want)
		}
		v = v.Convert(want)
	}
	return v, nil
}

// fit makes v assignable to want.
func fit(v reflect.Value, want reflect.Type) (reflect.Value, error) {
	if want == nil || v.Type().AssignableTo(want) {
		return v, nil
	}
	if want.Kind() == reflect.Pointer && v.Type().AssignableTo(want.Elem()) {
		return addr(v), nil
	}
	if v.Type().ConvertibleTo(want) && v.Kind() != reflect.Struct && v.Kind() != reflect.Pointer {
		return v.Convert(want), nil
	}
	return v, fmt.Errorf("a %s where a %s is expected", v.Type(), want)
}

func addr(v reflect.Value) reflect.Value {
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p
}

func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprName(e.X) + "." + e.Sel.Name
	}
	return strings.TrimSpace(fmt.Sprintf("%T", e))
}
