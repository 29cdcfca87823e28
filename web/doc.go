// Package web is tendo's clinic application: server-rendered pages
// (html/template, embedded, no scripts) for logging in, patients, the
// assessment form, results, gait-lab trials, questionnaire links and the
// timeline, and a token-authenticated JSON API under /api/ with errors
// shaped as {"error": {"code", "message", "field"}}.
//
// # Security
//
// Passwords are argon2id hashes (package passwd). Sessions live in the
// store (so several instances can serve one clinic) behind an HttpOnly,
// SameSite=Lax cookie, Secure when served over TLS; every form carries the
// session's CSRF token, and cross-origin unsafe requests are refused
// (net/http.CrossOriginProtection). Logins are limited atomically per
// account, per address and per known device, and their password checks
// are bounded (package clinic); the client's address comes from
// X-Forwarded-For only behind a trusted proxy. Sessions end after an idle
// timeout and at an absolute limit. Every response carries
// a content security policy that allows no script at all. A clinician
// sees only the patients of their clinics; another clinic's patient is
// "not found". Every read or change of a patient's data, every refused
// request and every security event is written to the audit log before the
// response (the services write most entries; the middleware records the
// refusals no service sees).
//
// Handlers decode a request, make one call to a service (package clinic,
// which checks access, validates, runs the assessor and writes the audit
// log) and encode the answer; Server.Error turns any error into the page
// or the JSON error the client expects.
//
// # Dependencies
//
// web imports the domain root (tendo), the services (clinic), the intake
// parser, the report and chart renderers, the questionnaire definitions
// and passwd, and (issue 11: smart) the SMART launch client smart, which
// brings golang.org/x/oauth2 and the FHIR wire format; never a database
// driver or the reasoning engine (cmd/tendo wires those). TestDependencies
// enforces it.
//
// (issue 11: smart) /smart/launch and /smart/callback run the SMART App
// Launch (EHR launch) for a signed-in clinician: the EHR's access token
// stays on the server, and the patient page leaves out tendo's banner
// when the EHR says need_patient_banner false.
package web
