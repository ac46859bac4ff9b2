package main

import "os"

// sdkLogLevels are the environment variables that set the log levels of the
// plugin SDK's own loggers (terraform-plugin-go's protocol logs and
// terraform-plugin-framework's), which otherwise log at trace level.
var sdkLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// quietSDKLogs turns the plugin SDK's trace logs off when Terraform is not
// collecting provider logs (neither TF_LOG nor TF_LOG_PROVIDER is set): it
// would discard them anyway, after the provider had written, and Terraform
// parsed, a JSON line for every attribute of every resource it plans. With a
// few hundred resources that was a third of the provider's CPU time in a
// plan. A level set explicitly is left alone, and so is any logging asked
// for: TF_LOG=trace brings every line back.
func quietSDKLogs(getenv func(string) string, setenv func(string, string) error) {
	if getenv("TF_LOG") != "" || getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, v := range sdkLogLevels {
		if getenv(v) == "" {
			_ = setenv(v, "off")
		}
	}
}

func quietSDKLogsFromEnv() { quietSDKLogs(os.Getenv, os.Setenv) }
