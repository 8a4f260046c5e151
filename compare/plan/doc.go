// Package plan holds the one table of time budgets, sizes and rounds that
// every stage reads: for each stage and profile (smoke, quick, full) its
// share of the run's time, its warm-up and measured rounds, and its input
// sizes. `tribench plan` prints it and the README shows it with the times
// measured on the reference machine.
package plan
