package drill

import (
	"regexp"
	"strings"
)

// Target is what a check's placeholders stand for: the test VM a check
// runs against, and the item it stands in for.
type Target struct {
	Address, PrivateIP, VMName, SourceVMName, Item string
	// VMID is the test VM's resource id: where a check from the DR site
	// runs (unless the drill has a probe VM). Not a placeholder.
	VMID string
}

// Expand fills a template's placeholders.
func (t Target) Expand(tmpl string) string {
	return strings.NewReplacer(
		"{address}", t.Address,
		"{private_ip}", t.PrivateIP,
		"{vm_name}", t.VMName,
		"{source_vm_name}", t.SourceVMName,
		"{item}", t.Item,
	).Replace(tmpl)
}

// expandRegex fills a regex template's placeholders with their values,
// quoted: {vm_name} matches the name literally.
func (t Target) expandRegex(tmpl string) string {
	q := regexp.QuoteMeta
	return strings.NewReplacer(
		"{address}", q(t.Address),
		"{private_ip}", q(t.PrivateIP),
		"{vm_name}", q(t.VMName),
		"{source_vm_name}", q(t.SourceVMName),
		"{item}", q(t.Item),
	).Replace(tmpl)
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

var itemPlaceholders = map[string]bool{"{address}": true, "{private_ip}": true, "{vm_name}": true, "{source_vm_name}": true, "{item}": true}

// UsesItem reports whether a template names an item.
func UsesItem(tmpl string) bool {
	for _, p := range placeholder.FindAllString(tmpl, -1) {
		if itemPlaceholders[p] {
			return true
		}
	}
	return false
}

// UsesPlaceholder reports whether a string holds anything shaped like a
// placeholder, known or not.
func UsesPlaceholder(s string) bool { return placeholder.MatchString(s) }
