// Package smart is tendo's side of the SMART App Launch 2.x EHR launch
// (https://hl7.org/fhir/smart-app-launch/): an EHR opens tendo at its
// launch URL with iss (the EHR's FHIR base URL) and launch (an opaque
// handle of the launch), tendo reads {iss}/.well-known/smart-configuration,
// sends the browser to the EHR's authorization endpoint, and on the way
// back exchanges the code for a token whose response names the patient in
// context.
//
// It owns: the discovery client (Discover: https only, except for loopback
// addresses, a timeout and a size limit), the refusal of a server that
// does not offer PKCE with S256 (Configuration.Check), PKCE
// (NewVerifier, Challenge), the allow-list of EHRs (Issuer: iss → clinic,
// client ID, scopes, redirect URL), the state of a launch in flight
// (random, single use, bound to the browser and to the iss, 10 minutes),
// the authorization URL and the token exchange (golang.org/x/oauth2), the
// launch context of the token response (patient, encounter,
// need_patient_banner, smart_style_url, id_token) and the read of the
// context's Patient resource from the EHR's FHIR server (FetchPatient).
//
// It does not own tendo's patients, links or audit log: mapping the EHR's
// patient to a tendo patient is the clinic service's
// (tendo.EHRLinkService), and the pages are package web's. It imports the
// standard library, golang.org/x/oauth2, the root package tendo and
// package fhir (the wire format of the Patient it reads), and must not
// import web, clinic or sqlstore (deps_test.go).
package smart
