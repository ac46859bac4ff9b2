package main

import "testing"

func TestRelaxGC(t *testing.T) {
	for _, tc := range []struct {
		gogc string
		want int // -1: left alone
	}{
		{"", providerGCPercent},
		{"100", -1},
		{"off", -1},
	} {
		got := -1
		relaxGC(func(k string) string {
			if k == "GOGC" {
				return tc.gogc
			}
			return ""
		}, func(p int) int { got = p; return 100 })
		if got != tc.want {
			t.Errorf("GOGC=%q: set %d, want %d", tc.gogc, got, tc.want)
		}
	}
}
