package failover

import "regexp"

// compileRegex compiles a check's body_regex (Go RE2 syntax).
func compileRegex(s string) (*regexp.Regexp, error) { return regexp.Compile(s) }
