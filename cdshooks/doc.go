// Package cdshooks is tendo's CDS Hooks 2.0 service: the protocol's types
// (discovery, hook request, cards, feedback), the two services tendo
// offers, prefetch (templates, their expansion and, when the client left a
// key out, a bounded GET from the client's FHIR server), the verification
// of the client's signed JWT, and the cards made from an assessment.
//
// # Services
//
//   - "tendo-heel-pain" on patient-view: assesses the patient's heel pain
//     from the prefetched Patient, Observations, QuestionnaireResponses and
//     Conditions and answers with a critical card for each red flag (with
//     a suggestion that creates the urgent referral), an info card with
//     the classification, the probabilities and their 90% ranges and the
//     next tests (with suggestions that create the CarePlan and the
//     imaging or referrals of the plan: package fhirmap's resources), and
//     a SMART link into tendo.
//   - "tendo-tendon-drug-risk" on order-select: warns when a draft order
//     is a fluoroquinolone or a systemic corticosteroid and the patient has
//     Achilles tendinopathy (see OrderRule).
//
// # Ports
//
// The package holds no patient data and no users. Handler takes its
// dependencies as functions in Config: the allow-list of CDS Clients
// (Clients, by the JWT's iss), the assessment (Assess, which maps the FHIR
// resources to an assessment and runs it: the clinic service does this
// through package fhirmap and the engine), the feedback store (Feedback)
// and the audit of each call (Called). Each receives the Principal the
// client's configuration carries, so the caller builds its actor from it.
//
// # Security
//
// Every hook call and feedback call needs a JWT (Authorization: Bearer)
// signed with ES384 or RS384 by a client on the allow-list; see Verifier.
// Bodies are bounded (MaxRequestBytes, MaxFeedbackBytes), as are fetched
// FHIR responses, JWK Sets, the replay cache and the JWK Set cache. FHIR
// is fetched only from a server the client's configuration allows, by GET,
// with a timeout and no redirects.
//
// # Dependencies
//
// cdshooks imports the standard library, github.com/go-jose/go-jose/v4,
// the root package tendo, fhir and fhirmap; it must not import clinic,
// web, sqlstore or assess (deps_test.go): the engine and the records are
// reached only through the ports.
package cdshooks
