package main

// Every stage registers itself; importing its package adds it to compare and
// gives it a subcommand of its own.
import (
	_ "github.com/tribench/tribench/compare/stages/build"
	_ "github.com/tribench/tribench/compare/stages/userapi"
)
