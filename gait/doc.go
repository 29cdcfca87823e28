// Package gait derives gait-analysis quantities from sampled signals: a
// zero-lag Butterworth low-pass filter for marker and force data, foot
// contacts detected from the vertical ground reaction force, the
// spatiotemporal parameters (stance, swing, stride and step times, cadence,
// stance-time asymmetry) that follow from those contacts, foot strikes and
// foot offs from heel, toe and sacrum markers when there is no force plate,
// the range of the pelvis's and thorax's rotation about the vertical, the
// ankle plantarflexor moment in stance with the Achilles tendon force it
// implies, the vertical loading rate and the foot-strike pattern, and
// reference bands of these quantities for healthy adult walking.
//
// # Overview
//
// Butterworth designs a low-pass filter as a cascade of second-order
// sections (plus one first-order section for odd orders) from the analog
// prototype by the bilinear transform with frequency pre-warping, so that a
// single pass has a gain of exactly 1/√2 at the cut-off. FiltFilt runs it
// forwards and backwards: the result has no phase shift and a gain of 1/2
// (−6 dB) at the cut-off.
//
// ContactEvents finds the contacts of one foot on one force plate from its
// vertical force, with a threshold and a hysteresis band. Spatiotemporal
// turns the contacts of the right and left feet into timing parameters.
//
// MarkerEvents finds foot strikes and foot offs from marker trajectories
// alone by the coordinate method of Zeni, Richards and Higginson (2008):
// the heel furthest ahead of the sacrum, the toe furthest behind it.
// SegmentRotationRange measures the range of the angle, in the horizontal
// plane, of a line between two markers of one segment; PelvicRotationRange
// applies it to the anterior superior iliac spines and
// ThoraxRotationRange to the line from the back trunk markers (C7, T10) to
// the front ones (CLAV, STRN), with Midpoints.
//
// FirstPeak finds the first peak of a contact's vertical force (the impact
// or weight-acceptance peak) and VerticalLoadingRate the average rate of
// rise between 20 % and 80 % of it, in body weights per second.
// InitialCOP takes the centre of pressure over the first milliseconds of a
// contact, and StrikeIndex places it along the foot from the heel marker to
// the toe marker, as a percentage of foot length, and classifies the
// strike as rearfoot, midfoot or forefoot by thirds (Cavanagh and
// Lafortune 1980; ClassifyStrike).
//
// PlantarflexorMoment estimates the ankle moment quasi-statically, as the
// moment of the ground reaction force about the ankle joint centre
// (AnkleCentre from the malleoli, or SegmentPoint from foot markers);
// markers are filtered (Filter.FiltFilt3) and interpolated to the force
// rate (Resample3) first. PlantarflexorFromID takes an inverse-dynamics
// moment instead. AchillesForce divides the moment by the tendon's moment
// arm (DefaultMomentArm), BodyWeights normalises it, and Peak and
// LoadingRate summarise it.
//
// Reference returns the band of a quantity in healthy adult walking (a
// Band: Low, High, Unit, Source), keyed by the names of the assessment
// contract's gait fields (ReferenceKeys lists them). Each band names its
// source and figure, or is marked an estimate with its reason.
//
// # Units
//
// Marker positions are in any one length unit for events and angles, in
// metres for moments; the lab's vertical axis is passed as AxisY (OpenSim)
// or AxisZ (most C3D labs). Angles are in degrees. Forces are in newtons,
// moments in newton-metres, rates and cut-offs in hertz, times in seconds;
// sample indices are 0-based. Percentages are 0–100.
//
// # Dependencies
//
// gait owns signal conditioning and the derivation of gait events,
// timing and ankle loading from sampled data, and nothing else: it knows no patients, file
// formats or storage. The reference bands (reference.go) are the one piece
// of clinical knowledge here; they depend on nothing else in the package
// and can move to a package of norms. It imports only the standard library and must not
// import any other package of this module (not even the c3d or osim
// readers; callers pass plain slices) or any third-party package (see
// deps_test.go).
package gait
