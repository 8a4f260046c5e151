package main

// Every stage registers itself; importing them adds each to compare and gives
// it a subcommand of its own.
import _ "github.com/tribench/tribench/compare/stages/all"
