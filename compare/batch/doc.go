// Package batch runs the non-server commands of contenders (resize, parse,
// probe, ...) on the process runner and reads what they print, in one of three
// output modes: one JSON line at the end; one JSON line per item and a final
// one; or a ready marker, at which the runner samples the tree's memory before
// it lets the contender finish. Every run is also measured from outside (wall,
// CPU, peak memory of the tree). A contender's failure (a non-zero exit, a
// malformed or missing line, a time-out, its memory limit) is an Outcome, never
// an error of the harness. Interleave runs jobs in interleaved rounds
// (A B C A B C) with warm-up rounds, and stops at a deadline, saying where.
package batch
