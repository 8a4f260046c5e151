// Package stage is the measurement core every workload stands on. A Stage is
// named (http, resize, json, mem, cpu, tasks, build), belongs to a workload
// folder, and runs build, verify (its oracle), measure, and renders its rows.
// Stages register themselves; the driver reads each workload's manifest,
// resolves every contender's declaration once into concrete specs (argv, env,
// CPU set, limits), builds, verifies and measures within the stage's time
// budget, and streams generic records to results.jsonl, so a new workload adds
// a folder, a manifest and a stage, not a branch in the CLI.
package stage
