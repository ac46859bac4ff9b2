package arm

import (
	"regexp"
	"time"
)

// APIVersionParam is the query parameter every ARM request must carry.
const APIVersionParam = "api-version"

// apiVersionShape is ARM's api-version form: a date, optionally followed by a
// suffix such as "-preview" or "-beta".
var apiVersionShape = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(-[A-Za-z][A-Za-z0-9.]*)?$`)

// ValidAPIVersion reports whether v is a well-formed api-version with a real
// calendar date.
func ValidAPIVersion(v string) bool {
	m := apiVersionShape.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	_, err := time.Parse("2006-01-02", m[1])
	return err == nil
}
