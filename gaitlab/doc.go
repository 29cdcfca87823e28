// Package gaitlab turns a gait-lab trial into tendo's gait report: it reads
// a C3D file with the c3d package, finds each foot's contacts from the
// force plates and the markers, derives the spatiotemporal figures, the
// ankle plantarflexor moment and Achilles tendon force in stance, the
// pelvic and trunk rotation, and compares each figure with its normal
// walking range. The report carries the contract's gait section (source
// instrumented), ready to merge into an assessment.
//
// # What it owns
//
// The mapping from a lab's file to the quantities of the gait package:
// marker names (Plug-in Gait and the OpenSim walking marker sets), units,
// the lab's vertical and walking directions, which foot stood on which
// plate, and the choice of the side whose figures become evidence. The
// signal processing itself belongs to gait, the file format to c3d, and
// the drawing to chart.
//
// # Dependencies
//
// gaitlab imports the domain root tendo, c3d, gait and the standard
// library. It must not import the storage, web or command packages, the
// knowledge base or any third-party package (deps_test.go).
package gaitlab
