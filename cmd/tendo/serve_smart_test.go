package main

// issue 11: smart. serve's SMART flags.

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/dbtest"
)

func TestSmartFlags(t *testing.T) {
	t.Parallel()
	store := dbtest.SQLite(t)
	mainStreet, err := store.CreateClinic(t.Context(), "Main Street")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		args    []string
		base    string
		wantErr string // part of the message; "" for none
		issuers int
	}{
		{"none", nil, "", "", 0},
		{"by name", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir/=Main Street"}, "https://tendo.example", "", 1},
		{"by ID, two EHRs", []string{"--smart-client-id", "tendo", "--smart-iss", "https://a.example/fhir=" + strconv.FormatInt(mainStreet.ID, 10), "--smart-iss", "https://b.example/r4=Main Street"}, "https://tendo.example/", "", 2},
		{"no client ID", []string{"--smart-iss", "https://ehr.example/fhir=Main Street"}, "https://tendo.example", "--smart-client-id", 0},
		{"client ID alone", []string{"--smart-client-id", "tendo"}, "", "needs at least one --smart-iss", 0},
		{"no base URL", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir=Main Street"}, "", "--base-url", 0},
		{"http base URL", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir=Main Street"}, "http://tendo.example", "https", 0},
		{"no clinic", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir"}, "https://tendo.example", "URL=CLINIC", 0},
		{"unknown clinic", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir=Elm Road"}, "https://tendo.example", `no clinic is named "Elm Road"`, 0},
		{"unknown clinic ID", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir=999"}, "https://tendo.example", "no clinic has ID 999", 0},
		{"http iss", []string{"--smart-client-id", "tendo", "--smart-iss", "http://ehr.example/fhir=Main Street"}, "https://tendo.example", "iss: must use https", 0},
		{"the same EHR twice", []string{"--smart-client-id", "tendo", "--smart-iss", "https://ehr.example/fhir=Main Street", "--smart-iss", "https://ehr.example/fhir/=Main Street"}, "https://tendo.example", "given twice", 0},
		{"empty scope", []string{"--smart-client-id", "tendo", "--smart-scope", " ", "--smart-iss", "https://ehr.example/fhir=Main Street"}, "https://tendo.example", "--smart-scope is empty", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := newFlagSet("serve")
			f := addSmartFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			l, err := f.launcher(t.Context(), store, tt.base)
			if tt.wantErr != "" {
				var ie inputError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ie) {
					t.Fatalf("error %v, want bad input mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.issuers == 0 {
				if l != nil {
					t.Fatalf("a launcher without --smart-iss: %+v", l)
				}
				return
			}
			if len(l.Issuers) != tt.issuers {
				t.Fatalf("%d issuers, want %d", len(l.Issuers), tt.issuers)
			}
			for _, is := range l.Issuers {
				if is.ClinicID != mainStreet.ID || is.ClientID != "tendo" || is.RedirectURL != "https://tendo.example/smart/callback" || strings.HasSuffix(is.ISS, "/") {
					t.Errorf("issuer %+v", is)
				}
			}
		})
	}
}
