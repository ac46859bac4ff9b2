// Package framework holds what every azuredr resource shares on the Terraform
// side: turning Azure errors into diagnostics, validators for Azure names and
// regions, and the provider data handed to resources. Azure calls live in
// internal/azure; Terraform-free domain logic lives in its own packages.
package framework
