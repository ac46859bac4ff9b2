package failover

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// specField is the start of an engine validation error: the spec field it
// names ("Checks[0].URL: ...", "Checks[1].VMNames[2]: ...").
var specField = regexp.MustCompile(`^(?:validate: )?(Checks)\[(\d+)\]\.(\w+)(?:\[(\d+)\])?: (.*)$`)

// checkAttrs maps a drill.Check's fields to the check block's attributes.
var checkAttrs = map[string]string{
	"Name": "name", "Type": "type", "URL": "url", "ExpectStatus": "expect_status", "BodyRegex": "body_regex",
	"Address": "address", "DNSName": "dns_name", "DNSServer": "dns_server", "ExpectTarget": "expect_target",
	"Group": "group", "VMNames": "vm_names", "Once": "once", "From": "from",
}

// specFieldAttrs maps the spec's other fields to the resource's.
var specFieldAttrs = map[string]string{
	"Objectives.RTO": "rto", "Objectives.RPO": "rpo", "CheckGrace": "check_grace", "CheckInterval": "check_interval",
	"Canary.URL": "canary.url", "Canary.Wait": "canary.wait", "Canary.File": "canary.file",
	"Canary.File.LinuxPath": "canary.file.linux_path", "Canary.File.WindowsPath": "canary.file.windows_path",
	"ProbeVMID": "probe_vm_id", "ProbeVM": "probe_vm", "ProbeVM.Size": "probe_vm.size", "ProbeVM.Subnet": "probe_vm.subnet_name", "ProbeVM.Image": "probe_vm.image",
	"Isolation.Skip": "isolation_proof.enabled", "Isolation.InternetAddress": "isolation_proof.internet_address",
}

// addSpecErrors reports the drill engine's validation errors (at apply:
// what plan-time validation could not see) on the attributes they are
// about, in the configuration's names rather than the engine's.
func addSpecErrors(diags *diag.Diagnostics, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		p, msg, ok := attributeOf(line)
		if ok {
			diags.AddAttributeError(p, "Invalid drill", p.String()+": "+msg)
		} else {
			diags.AddError("Invalid drill", line)
		}
	}
}

// attributeOf finds the attribute an engine error line names.
func attributeOf(line string) (path.Path, string, bool) {
	if m := specField.FindStringSubmatch(line); m != nil {
		attr, ok := checkAttrs[m[3]]
		if !ok {
			return path.Empty(), "", false
		}
		i, _ := strconv.Atoi(m[2])
		p := path.Root("check").AtListIndex(i).AtName(attr)
		if m[4] != "" {
			j, _ := strconv.Atoi(m[4])
			p = p.AtListIndex(j)
		}
		return p, m[5], true
	}
	for field, attr := range specFieldAttrs {
		if rest, ok := strings.CutPrefix(line, field+": "); ok {
			parts := strings.Split(attr, ".")
			p := path.Root(parts[0])
			for _, n := range parts[1:] {
				p = p.AtName(n)
			}
			return p, rest, true
		}
	}
	return path.Empty(), "", false
}

// fieldInText is a check's field named inside an error's text.
var fieldInText = regexp.MustCompile(`Checks\[(\d+)\]\.(\w+)`)

// attributeNames rewrites the engine's names of check fields in a message
// ("Checks[0].VMNames[1]") to the configuration's ("check[0].vm_names[1]").
func attributeNames(s string) string {
	return fieldInText.ReplaceAllStringFunc(s, func(f string) string {
		m := fieldInText.FindStringSubmatch(f)
		if attr, ok := checkAttrs[m[2]]; ok {
			return "check[" + m[1] + "]." + attr
		}
		return f
	})
}
