// Package chart draws a patient's outcome scores over time as one chart,
// rendered on the server as SVG for the web page (Timeline), and a gait
// report's curves over the gait cycle as stacked panels, in SVG or PNG
// (GaitCycles).
//
// It imports the tendo root package, gonum.org/v1/plot and the standard
// library.
//
// The output is deterministic: the same records and options give the same
// bytes (for PNG too, drawn with gonum's vgimg). Fonts are named, not embedded (Liberation Sans, falling back to
// Arial, Helvetica or the viewer's sans-serif, which share its metrics),
// text is measured with the font metrics compiled into the binary, and
// nothing depends on the clock or on map order. Coordinates are printed
// to five significant digits; on CPUs that fuse multiply-add (arm64) a
// last digit may differ from amd64, which the golden tests tolerate.
package chart
