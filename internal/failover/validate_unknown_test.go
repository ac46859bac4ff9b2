package failover

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configOf builds a resource configuration as Terraform sends it to
// ValidateResourceConfig: every attribute null unless set.
func configOf(t *testing.T, r resource.Resource, set map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range set {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %s", name)
		}
	}
	return tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}
}

// checkType is the type of one element of check.
func checkType(t *testing.T) tftypes.Object {
	ctx := context.Background()
	var sr resource.SchemaResponse
	(&testFailoverResource{}).Schema(ctx, resource.SchemaRequest{}, &sr)
	return sr.Schema.Type().TerraformType(ctx).(tftypes.Object).AttributeTypes["check"].(tftypes.List).ElementType.(tftypes.Object)
}

// checkValue is a check element with the given attributes, the rest null.
func checkValue(t *testing.T, set map[string]tftypes.Value) tftypes.Value {
	return objectOf(t, checkType(t), set)
}

// attrType is the type of one of the resource's object attributes.
func attrType(t *testing.T, name string) tftypes.Object {
	ctx := context.Background()
	var sr resource.SchemaResponse
	(&testFailoverResource{}).Schema(ctx, resource.SchemaRequest{}, &sr)
	return sr.Schema.Type().TerraformType(ctx).(tftypes.Object).AttributeTypes[name].(tftypes.Object)
}

// objectOf is an object of typ with the given attributes, the rest null.
func objectOf(t *testing.T, typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range set {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %s", name)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var unknownString = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

// What terraform validate sends for `check = [var.check]`, `expect_status =
// var.x` and friends: unknown values, which are checked later, never errors.
func TestValidateConfigWithUnknownValues(t *testing.T) {
	r := &testFailoverResource{}
	listOf := func(els ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(tftypes.List{ElementType: checkType(t)}, els)
	}
	base := map[string]tftypes.Value{"name": str("d"), "network_id": unknownString,
		"replicated_vm_ids": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue)}
	cases := map[string]map[string]tftypes.Value{
		"check = [var.check]":   {"check": listOf(tftypes.NewValue(checkType(t), tftypes.UnknownValue))},
		"check = var.checks":    {"check": tftypes.NewValue(tftypes.List{ElementType: checkType(t)}, tftypes.UnknownValue)},
		"expect_status = var.x": {"check": listOf(checkValue(t, map[string]tftypes.Value{"name": str("a"), "type": str("http"), "url": str("http://{address}/"), "expect_status": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)}))},
		"type = var.t":          {"check": listOf(checkValue(t, map[string]tftypes.Value{"name": str("a"), "type": unknownString, "url": str("http://{address}/")}))},
		"names unknown":         {"check": listOf(checkValue(t, map[string]tftypes.Value{"name": unknownString, "type": str("tcp"), "address": str("{address}:1")}), checkValue(t, map[string]tftypes.Value{"name": unknownString, "type": str("tcp"), "address": str("{address}:2")}))},
		"url, group, vm_names, once unknown": {"check": listOf(checkValue(t, map[string]tftypes.Value{"name": str("a"), "type": str("http"), "url": unknownString, "body_regex": unknownString,
			"group": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue), "once": tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
			"vm_names": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue)}))},
		"a vm name unknown": {"check": listOf(checkValue(t, map[string]tftypes.Value{"name": str("a"), "type": str("tcp"), "address": str("{address}:1"),
			"vm_names": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{unknownString, unknownString})}))},
		"canary = var.c, check_grace and rto unknown": {"canary": tftypes.NewValue(attrType(t, "canary"), tftypes.UnknownValue),
			"check_grace": unknownString, "rto": unknownString},
		"canary url and file unknown": {"canary": objectOf(t, attrType(t, "canary"), map[string]tftypes.Value{"url": unknownString,
			"file": tftypes.NewValue(attrType(t, "canary").AttributeTypes["file"], tftypes.UnknownValue)})},
		"canary file paths unknown": {"canary": objectOf(t, attrType(t, "canary"), map[string]tftypes.Value{
			"file": objectOf(t, attrType(t, "canary").AttributeTypes["file"].(tftypes.Object), map[string]tftypes.Value{"linux_path": unknownString, "windows_path": unknownString})})},
		"isolation_proof = var.p": {"isolation_proof": tftypes.NewValue(attrType(t, "isolation_proof"), tftypes.UnknownValue)},
		"isolation_proof settings unknown": {"isolation_proof": objectOf(t, attrType(t, "isolation_proof"), map[string]tftypes.Value{
			"enabled":          tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
			"ports":            tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, []tftypes.Value{tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)}),
			"internet_address": unknownString})},
		"probe_vm_id and from unknown": {"probe_vm_id": unknownString,
			"check": listOf(checkValue(t, map[string]tftypes.Value{"name": str("a"), "type": str("tcp"), "address": str("{address}:1"), "from": unknownString}))},
		"probe_vm = var.p": {"probe_vm": tftypes.NewValue(attrType(t, "probe_vm"), tftypes.UnknownValue)},
		"probe_vm settings unknown": {"probe_vm": objectOf(t, attrType(t, "probe_vm"), map[string]tftypes.Value{"size": unknownString, "subnet_name": unknownString,
			"image": objectOf(t, attrType(t, "probe_vm").AttributeTypes["image"].(tftypes.Object), map[string]tftypes.Value{"publisher": unknownString, "offer": str("o"), "sku": unknownString})})},
		"recovery_point = var.p": {"recovery_point": unknownString, "recovery_point_before": unknownString},
	}
	for name, set := range cases {
		all := map[string]tftypes.Value{}
		for k, v := range base {
			all[k] = v
		}
		for k, v := range set {
			all[k] = v
		}
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: configOf(t, r, all)}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s: %v", name, resp.Diagnostics)
		}
	}
}

// The same checks catch known bad values on their attribute.
func TestValidateConfigKnownBadValues(t *testing.T) {
	r := &testFailoverResource{}
	vms := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{unknownString})
	one := func(set map[string]tftypes.Value) map[string]tftypes.Value {
		return map[string]tftypes.Value{"name": str("d"), "network_id": unknownString, "replicated_vm_ids": vms,
			"check": tftypes.NewValue(tftypes.List{ElementType: checkType(t)}, []tftypes.Value{checkValue(t, set)})}
	}
	num := func(n int) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	names := func(s ...string) tftypes.Value {
		var vs []tftypes.Value
		for _, n := range s {
			vs = append(vs, str(n))
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
	}
	http := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{"name": str("a"), "type": str("http"), "url": str("http://{address}/")}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cases := map[string]map[string]tftypes.Value{
		`check[0].url: "ftp://{address}/" is not an http(s) URL`:        http(map[string]tftypes.Value{"url": str("ftp://{address}/")}),
		`check[0].url: unknown placeholder {addr}`:                      http(map[string]tftypes.Value{"url": str("http://{addr}/")}),
		`check[0].expect_status: 0 is not an HTTP status`:               http(map[string]tftypes.Value{"expect_status": num(0)}),
		`check[0].group: 0: groups are counted from 1`:                  http(map[string]tftypes.Value{"group": num(0)}),
		`check[0].group: 2: a drill of replicated_vm_ids has one group`: http(map[string]tftypes.Value{"group": num(2)}),
		`check[0].vm_names: name the VMs or the group`:                  http(map[string]tftypes.Value{"group": num(1), "vm_names": names("web-1")}),
		`check[0].vm_names: a check that runs once`:                     http(map[string]tftypes.Value{"once": tftypes.NewValue(tftypes.Bool, true), "vm_names": names("web-1")}),
		`check[0].vm_names[1]: "WEB-1" is already vm_names[0]`:          http(map[string]tftypes.Value{"vm_names": names("web-1", "WEB-1")}),
		`check[0].vm_names: a dns check asks a DNS server`:              {"name": str("a"), "type": str("dns"), "dns_name": str("app"), "expect_target": str("x"), "vm_names": names("web-1")},
		`check[0].dns_server: placeholders are not filled in here`:      {"name": str("a"), "type": str("dns"), "dns_name": str("app"), "expect_target": str("x"), "dns_server": str("{address}:53")},
		`check[0].address: "{address}" is not host:port`:                {"name": str("a"), "type": str("tcp"), "address": str("{address}")},
	}
	for want, set := range cases {
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: configOf(t, r, one(set))}, &resp)
		var got []string
		for _, d := range resp.Diagnostics.Errors() {
			got = append(got, d.Detail())
		}
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("want %q, got %q", want, got)
		}
	}
}

// azuredr_failover: an unknown dns_server (dns_server = var.dns, which may
// be null) is not "a DNS server without a profile".
func TestFailoverValidateConfigWithUnknownValues(t *testing.T) {
	r := &failoverResource{}
	set := map[string]tftypes.Value{"name": str("f"), "site_id": unknownString, "recovery_plan_id": unknownString, "approval": unknownString,
		"dns_server": unknownString, "failback_approval": unknownString, "type": unknownString,
		"failback": tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue), "reprotect": tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)}
	var resp resource.ValidateConfigResponse
	r.ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: configOf(t, r, set)}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() > 0 {
		t.Fatalf("unknown values: %v", resp.Diagnostics)
	}
	set["dns_server"] = str("127.0.0.1:53")
	resp = resource.ValidateConfigResponse{}
	r.ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: configOf(t, r, set)}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("a known dns_server without a profile: want an error")
	}
}
