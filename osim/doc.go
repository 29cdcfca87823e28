// Package osim reads OpenSim's text formats, so that marker data exported by
// a gait lab and the results of OpenSim tools (inverse kinematics, inverse
// dynamics, ground reaction forces) can be loaded without OpenSim.
//
// # Overview
//
// ReadTRC reads a .trc marker file (PathFileType 4, X/Y/Z) into a TRC: the
// header's rates and units, the marker names, and one row of X, Y, Z
// coordinates per frame, in the file's units (usually mm). Missing
// coordinates (NaN or an empty field) are NaN.
//
// ReadTable reads a .mot or .sto table into a Table: the header up to
// "endheader" (both the current "key=value" form and the older
// "datacolumns N" / "datarows M" / "range a b" form), the column labels,
// and the numeric rows. Time is in seconds; angles are in degrees when
// InDegrees is set, otherwise in radians.
//
// # Hostile input
//
// The readers never panic on bad input. A malformed file returns a
// *FormatError naming the 1-based line. Lines longer than MaxLineLength,
// more than MaxColumns columns, declared row counts above MaxRows and
// headers longer than MaxHeaderLines are refused, and no allocation is
// sized from a declared count alone, so memory stays proportional to the
// input.
//
// # Dependencies
//
// osim owns the parsing of these files and nothing else: it knows no
// patients, models or storage. It imports only the standard library and
// must not import any other package of this module or any third-party
// package (see deps_test.go).
package osim
