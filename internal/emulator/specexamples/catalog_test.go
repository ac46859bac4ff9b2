package specexamples_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator"
)

// catalog joins the three sources: what the emulator serves (its route
// table), what each SDK method sends (the client sources) and the examples.
type catalog struct {
	served []emulator.ServedOperation
	// sdk: for each served operation id, the SDK methods that send it.
	sdk      map[string][]sdkOperation
	examples map[string][]*example // by served operation id
	regs     map[string]*registry  // by examples' package name
	// byKey: every SDK method of the modules, "pkg.Client.Method".
	byKey map[string]sdkOperation
}

func loadCatalog(t *testing.T, served []emulator.ServedOperation) *catalog {
	t.Helper()
	c := &catalog{served: served, sdk: map[string][]sdkOperation{}, examples: map[string][]*example{},
		regs: map[string]*registry{}, byKey: map[string]sdkOperation{}}
	dirs := moduleDirs(t)
	for i := range modules {
		m := &modules[i]
		dir := dirs[m.path]
		ops := readClients(t, dir)
		c.regs[m.pkg] = newRegistry(t, m, dir)
		opOf := map[string]string{} // client.method -> served operation id
		for _, op := range ops {
			c.byKey[m.pkg+"."+op.key()] = op
			for _, s := range served {
				if s.Method == op.httpMethod && samePath(op.path, s.Pattern) {
					c.sdk[s.Operation] = append(c.sdk[s.Operation], op)
					opOf[op.key()] = s.Operation
				}
			}
		}
		for _, ex := range readExamples(t, m, dir) {
			if id, ok := opOf[ex.key()]; ok {
				c.examples[id] = append(c.examples[id], ex)
			}
		}
	}
	for id := range c.examples {
		sort.Slice(c.examples[id], func(i, j int) bool { return c.examples[id][i].file < c.examples[id][j].file })
	}
	return c
}

// operationOf is the SDK metadata of an example's method.
func (c *catalog) operationOf(ex *example) sdkOperation {
	return c.byKey[ex.module.pkg+"."+ex.key()]
}

// methodType is the reflect type of the example's client method (without
// the receiver).
func methodType(c *catalog, ex *example) (reflect.Type, bool) {
	factory := reflect.TypeOf(ex.module.newFactory).Out(0)
	nc, ok := factory.MethodByName("New" + ex.client)
	if !ok {
		return nil, false
	}
	m, ok := nc.Type.Out(0).MethodByName(ex.method)
	if !ok {
		return nil, false
	}
	return m.Type, true
}
