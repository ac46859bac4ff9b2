package emulator

// ServedOperation is one ARM row of the route table: the HTTP method, the
// path pattern ({name} captures one segment) and the REST spec's operation
// id. Tests outside this package (the spec examples' replay) enumerate what
// the emulator serves with it.
type ServedOperation struct {
	Method    string
	Pattern   string
	Operation string
}

// ServedOperations lists the ARM operations the running server routes, in
// route table order; admin routes are left out.
func (s *Server) ServedOperations() []ServedOperation {
	var out []ServedOperation
	for _, r := range s.router.routes {
		if r.Admin {
			continue
		}
		out = append(out, ServedOperation{Method: r.Method, Pattern: r.Pattern, Operation: r.Operation})
	}
	return out
}
