package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/stage"
)

func init() {
	register("plan", "print every stage's time budget, rounds and sizes per profile (Markdown)", runPlan)
}

func runPlan(_ context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	_, err := io.WriteString(stdout, planTable())
	return err
}

// planTable renders the budget table of every stage as Markdown; the README
// embeds it, and a test keeps the two equal.
func planTable() string {
	var b strings.Builder
	b.WriteString("| stage |")
	for _, p := range plan.Profiles {
		fmt.Fprintf(&b, " %s |", p.Name)
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(plan.Profiles)))
	b.WriteString("\n")
	var names []string
	for _, name := range stage.Order {
		if _, err := plan.For(name, plan.Quick); err == nil {
			names = append(names, name)
		}
	}
	for _, name := range names {
		fmt.Fprintf(&b, "| %s |", name)
		for _, p := range plan.Profiles {
			pl, err := plan.For(name, p.Name)
			if err != nil {
				b.WriteString(" - |")
				continue
			}
			fmt.Fprintf(&b, " %s |", planCell(pl))
		}
		b.WriteString("\n")
	}
	b.WriteString("| harness overhead |")
	for _, p := range plan.Profiles {
		fmt.Fprintf(&b, " %s |", duration(plan.Overhead[p.Name]))
	}
	b.WriteString("\n| **total** |")
	for _, p := range plan.Profiles {
		fmt.Fprintf(&b, " **%s** |", duration(plan.Total(p.Name, names)))
	}
	b.WriteString("\n")
	return b.String()
}

func planCell(p plan.Plan) string {
	parts := []string{duration(p.Budget)}
	rounds := fmt.Sprintf("%d round", p.Rounds)
	if p.Rounds != 1 {
		rounds += "s"
	}
	if p.Warmup > 0 {
		rounds = fmt.Sprintf("%d warm-up + %s", p.Warmup, rounds)
	}
	if c := p.RoundsFor(true); c > p.Rounds {
		rounds += fmt.Sprintf(" (%d for what the claims read)", c)
	}
	parts = append(parts, rounds)
	if len(p.Sizes) > 0 {
		sizes := make([]string, len(p.Sizes))
		for i, s := range p.Sizes {
			sizes[i] = size(s, p.Unit)
		}
		unit := p.Unit
		if unit == "bytes" {
			unit = "document"
		}
		parts = append(parts, strings.Join(sizes, " / ")+" "+unit)
	} else if p.Unit != "" {
		parts = append(parts, p.Unit)
	}
	if p.Run > 0 {
		parts = append(parts, duration(p.Run)+" runs")
	}
	return strings.Join(parts, ", ")
}

// size renders a plan size compactly: bytes as MiB or decimal GB, counts
// with k and M.
func size(v int64, unit string) string {
	switch {
	case unit == "bytes" && v%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", v>>20)
	case unit == "bytes" && v >= 1e9:
		return fmt.Sprintf("%g GB", float64(v)/1e9)
	case unit == "bytes":
		return fmt.Sprintf("%g MB", float64(v)/1e6)
	case v >= 1_000_000 && v%1_000_000 == 0:
		return fmt.Sprintf("%dM", v/1_000_000)
	case v >= 1000 && v%1000 == 0:
		return fmt.Sprintf("%dk", v/1000)
	}
	return fmt.Sprint(v)
}

func duration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	if d >= time.Minute {
		return fmt.Sprintf("%.1f min", d.Minutes())
	}
	return fmt.Sprintf("%d s", int(d.Seconds()))
}
