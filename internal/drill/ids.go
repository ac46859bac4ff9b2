package drill

import "strings"

// NameOf is the name at the end of an id: how events and messages name an
// item.
func NameOf(id string) string {
	id = strings.TrimRight(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}
