// Command terraform-provider-azuredr serves the azuredr Terraform provider:
// disaster-recovery topology and drills as code for Azure.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/azuredr/terraform-provider-azuredr/internal/provider"
)

// Address is where Terraform finds the provider; `make demo` installs it at
// this address in a local filesystem mirror.
const Address = "registry.terraform.io/azuredr/azuredr"

// version is set by goreleaser (-X main.version) and by the Makefile.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		quietSDKLogsFromEnv()
	}
	relaxGCFromEnv()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: Address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
