package storetest

import (
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// issue 11: smart. Links of an EHR's patients to tendo's patients.

// testEHRLinkRoundTrip stores a link and finds it by clinic, iss and FHIR
// id, and only by all three.
func testEHRLinkRoundTrip(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	u := user(t, s, "c@x.test", tendo.RoleClinician, c.ID)
	p := patient(t, s, c.ID, "Pat")
	const iss = "https://ehr.example/fhir"
	l, err := s.CreateEHRLink(ctx, tendo.EHRLink{ClinicID: c.ID, ISS: iss, FHIRPatientID: "87a339d0-8cae-418e-89c7-8651e6aab3c6", PatientID: p.ID, CreatedBy: u.ID})
	must(t, "create link", err)
	if l.CreatedAt.IsZero() {
		t.Error("the new link has no creation time")
	}
	got, err := s.EHRLink(ctx, c.ID, iss, "87a339d0-8cae-418e-89c7-8651e6aab3c6")
	must(t, "find link", err)
	eq(t, "patient", got.PatientID, p.ID)
	eq(t, "created by", got.CreatedBy, u.ID)
	eq(t, "created at", got.CreatedAt.Equal(l.CreatedAt), true)
	for _, tt := range []struct {
		name        string
		clinic      int64
		iss, fhirID string
	}{
		{"another clinic", c.ID + 1, iss, "87a339d0-8cae-418e-89c7-8651e6aab3c6"},
		{"another EHR", c.ID, "https://other.example/fhir", "87a339d0-8cae-418e-89c7-8651e6aab3c6"},
		{"a trailing slash is another iss", c.ID, iss + "/", "87a339d0-8cae-418e-89c7-8651e6aab3c6"},
		{"another patient", c.ID, iss, "87a339d0"},
		{"case matters", c.ID, iss, "87A339D0-8CAE-418E-89C7-8651E6AAB3C6"},
	} {
		_, err := s.EHRLink(ctx, tt.clinic, tt.iss, tt.fhirID)
		wantCode(t, tt.name, err, tendo.ENOTFOUND)
	}
}

// testEHRLinkUnique refuses a second link of one EHR patient in one
// clinic, and allows it in another clinic.
func testEHRLinkUnique(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c1, c2 := clinic(t, s, "C1"), clinic(t, s, "C2")
	p1, p1b, p2 := patient(t, s, c1.ID, "One"), patient(t, s, c1.ID, "One bis"), patient(t, s, c2.ID, "Two")
	const iss = "https://ehr.example/fhir"
	_, err := s.CreateEHRLink(ctx, tendo.EHRLink{ClinicID: c1.ID, ISS: iss, FHIRPatientID: "p1", PatientID: p1.ID})
	must(t, "first link", err)
	_, err = s.CreateEHRLink(ctx, tendo.EHRLink{ClinicID: c1.ID, ISS: iss, FHIRPatientID: "p1", PatientID: p1b.ID})
	wantCode(t, "the same EHR patient again in the clinic", err, tendo.ECONFLICT)
	_, err = s.CreateEHRLink(ctx, tendo.EHRLink{ClinicID: c2.ID, ISS: iss, FHIRPatientID: "p1", PatientID: p2.ID})
	must(t, "the same EHR patient in another clinic", err)
	got, err := s.EHRLink(ctx, c1.ID, iss, "p1")
	must(t, "find", err)
	eq(t, "the first link stands", got.PatientID, p1.ID)
}

// testEHRLinkInvalid refuses a link without its parts, one whose patient
// is of another clinic, and one to a patient that does not exist.
func testEHRLinkInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c1, c2 := clinic(t, s, "C1"), clinic(t, s, "C2")
	p2 := patient(t, s, c2.ID, "Two")
	ok := tendo.EHRLink{ClinicID: c2.ID, ISS: "https://ehr.example/fhir", FHIRPatientID: "x", PatientID: p2.ID}
	for _, tt := range []struct {
		name string
		edit func(*tendo.EHRLink)
	}{
		{"no clinic", func(l *tendo.EHRLink) { l.ClinicID = 0 }},
		{"no patient", func(l *tendo.EHRLink) { l.PatientID = 0 }},
		{"no iss", func(l *tendo.EHRLink) { l.ISS = "" }},
		{"iss too long", func(l *tendo.EHRLink) { l.ISS = "https://" + strings.Repeat("a", tendo.MaxISSLength) }},
		{"no FHIR id", func(l *tendo.EHRLink) { l.FHIRPatientID = "" }},
		{"FHIR id too long", func(l *tendo.EHRLink) { l.FHIRPatientID = strings.Repeat("a", tendo.MaxFHIRIDLength+1) }},
		{"FHIR id not UTF-8", func(l *tendo.EHRLink) { l.FHIRPatientID = "\xff" }},
		{"patient of another clinic", func(l *tendo.EHRLink) { l.ClinicID = c1.ID }},
		{"unknown patient", func(l *tendo.EHRLink) { l.PatientID = p2.ID + 1 }},
	} {
		l := ok
		tt.edit(&l)
		_, err := s.CreateEHRLink(ctx, l)
		wantCode(t, tt.name, err, tendo.EINVALID)
	}
	_, err := s.EHRLink(ctx, c2.ID, ok.ISS, ok.FHIRPatientID)
	wantCode(t, "nothing was stored", err, tendo.ENOTFOUND)
}

// end issue 11: smart
