package main

import (
	"context"
	"fmt"

	"github.com/tendo-health/tendo"
)

const versionUsage = "Usage: tendo version\n\nPrints the version of this build."

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print tendo's version",
		usage:   versionUsage,
		run:     (&VersionCommand{}).Run,
	}
}

// VersionCommand is tendo version.
type VersionCommand struct{}

// Run runs the command on its arguments.
func (c *VersionCommand) Run(ctx context.Context, m *Main, args []string) error {
	pos, err := parseArgs(m, newFlagSet("version"), versionUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("version takes no arguments")
	}
	fmt.Fprintf(m.Stdout, "tendo %s\n", tendo.Version)
	return nil
}
