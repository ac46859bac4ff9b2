package specexamples_test

import (
	"reflect"
	"strings"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/emulatortest"
)

// idMapper rewrites the ARM ids inside an example's input onto the estate:
// the subscription, the resource group and each named object of a
// collection the estate has. In a collection with two estate objects (the
// primary and recovery fabrics and containers), the first name the
// example uses is the primary one, any other the recovery one.
type idMapper struct {
	seen map[string][]string // collection -> example names in order
}

func newIDMapper() *idMapper { return &idMapper{seen: map[string][]string{}} }

// estateObjects are the estate's names by collection (lower case).
var estateObjects = map[string][]string{
	"resourcegroups":                         {exGroup, exRecoveryGroup},
	"vaults":                                 {exVault},
	"replicationfabrics":                     {exFabric, exRecFabric},
	"replicationprotectioncontainers":        {exContainer, exRecCont},
	"replicationpolicies":                    {exPolicy},
	"replicationprotectioncontainermappings": {exMapping},
	"replicationnetworks":                    {exNetwork},
	"replicationnetworkmappings":             {exNetMapping},
	"replicationprotecteditems":              {exVM},
	"replicationrecoveryplans":               {exPlan},
	"virtualmachines":                        {exVM},
	"virtualnetworks":                        {exVNet, exRecVNet},
	"subnets":                                {exSubnet},
	"networksecuritygroups":                  {exNSG},
	"networkinterfaces":                      {exNIC},
	"trafficmanagerprofiles":                 {exProfile},
}

func (m *idMapper) mapID(id string) string {
	if !strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return id
	}
	segs := strings.Split(id, "/")
	for i := 1; i+1 < len(segs); i += 2 {
		coll := strings.ToLower(segs[i])
		if coll == "subscriptions" {
			segs[i+1] = emulatortest.Subscription
			continue
		}
		names, ok := estateObjects[coll]
		if !ok {
			continue
		}
		seen := m.seen[coll]
		k := indexOf(seen, segs[i+1])
		if k < 0 {
			k = len(seen)
			m.seen[coll] = append(seen, segs[i+1])
		}
		if k >= len(names) {
			k = len(names) - 1
		}
		segs[i+1] = names[k]
	}
	return strings.Join(segs, "/")
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}

// rewrite maps every string inside v (addressable or not: it walks pointers,
// structs, slices, maps and interfaces) that is an ARM id.
func (m *idMapper) rewrite(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			m.rewrite(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				m.rewrite(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			m.rewrite(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.String {
				v.SetMapIndex(k, reflect.ValueOf(m.mapID(e.String())).Convert(e.Type()))
			} else {
				m.rewrite(e)
			}
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(m.mapID(v.String()))
		}
	}
}
