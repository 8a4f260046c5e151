// Package manifest reads the contender manifests that each workload folder
// declares (services/contenders.json, ...): every contender and variant with its
// language, toolchain, build and run commands and settings, the way each
// framework of TechEmpower's suite carries its own config. The harness reads the
// manifests; adding a variant is a manifest entry, not harness code.
package manifest
