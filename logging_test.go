package main

import (
	"maps"
	"testing"
)

func TestQuietSDKLogs(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"nobody collects provider logs", map[string]string{},
			map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "off"}},
		{"TF_LOG set", map[string]string{"TF_LOG": "trace"}, map[string]string{"TF_LOG": "trace"}},
		{"TF_LOG_PROVIDER set", map[string]string{"TF_LOG_PROVIDER": "debug"}, map[string]string{"TF_LOG_PROVIDER": "debug"}},
		{"an explicit level is kept", map[string]string{"TF_LOG_SDK_FRAMEWORK": "info"},
			map[string]string{"TF_LOG_SDK": "off", "TF_LOG_SDK_PROTO": "off", "TF_LOG_SDK_FRAMEWORK": "info"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := maps.Clone(tc.env)
			quietSDKLogs(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if !maps.Equal(env, tc.want) {
				t.Fatalf("env %v, want %v", env, tc.want)
			}
		})
	}
}
