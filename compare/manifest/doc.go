// Package manifest reads the contender manifests that each workload folder
// declares (services/contenders.json, imageproc/contenders.json, ...): every
// contender and variant with its language, kind, toolchain, build commands,
// settings and the commands it answers, each an argument vector, the way each
// framework of TechEmpower's suite carries its own config. Stages register the
// commands they use and the placeholders they fill; validation holds every
// manifest to them and reports all problems at once. Adding a variant is a
// manifest entry, not harness code.
package manifest
