// Package c3d reads C3D files, the binary format that motion-capture
// systems use to store 3D marker trajectories, analog channels (force
// plates, EMG) and the parameters that describe them.
//
// A file is read whole with [Read] (or [Open]):
//
//	f, err := c3d.Open("walk.c3d")
//	if err != nil {
//		return err
//	}
//	labels := f.Param("POINT", "LABELS").Strings()
//	heel := f.Points[0][f.PointIndex("RHEE")] // first frame
//
// # What it owns
//
// The package owns the file layout as the C3D specification
// (c3d.org) describes it: the 512-byte header block, the parameter
// section of groups and parameters, and the point and analog frames that
// follow. It decodes the three processor types (Intel, DEC/VAX and MIPS),
// integer and floating-point storage, and applies the scaling that the
// POINT and ANALOG groups declare. Events come from the header and from
// the EVENT group.
//
// It computes the force plates' wrenches from the FORCE_PLATFORM group
// ([File.ForcePlates]): force, moment, centre of pressure and free moment
// in the lab frame, for plate types 1 to 4. It does not otherwise
// interpret the data: gait events and derived biomechanics belong to the
// packages that use it.
//
// # Untrusted input
//
// Every count and pointer is checked against the file size before memory
// is allocated, so the memory used is proportional to the size of the
// file. Malformed input yields a [*FormatError] carrying the byte offset of
// the fault; Read never panics.
//
// # Dependencies
//
// c3d imports only the standard library. It must not import any other
// package of this module (in particular not the domain root tendo) nor any
// third-party code; TestDependencies enforces this.
package c3d
