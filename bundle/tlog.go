package bundle

import (
	"time"

	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"

	"github.com/sigpolicy/sigpolicy/rekor"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// MaxLogEntries is the largest number of transparency-log entries accepted in one bundle.
const MaxLogEntries = limits.MaxBundleLogEntries

// isRekorV2Entry reports whether an entry is of a kind only Rekor v2 logs produce.
func isRekorV2Entry(e *protorekor.TransparencyLogEntry) bool {
	kv := e.GetKindVersion()
	return kv.GetVersion() == "0.0.2" && (kv.GetKind() == "hashedrekord" || kv.GetKind() == "dsse")
}

// checkEntries verifies every transparency-log entry of the bundle with sigpolicy's own code
// (package rekor), failing closed where sigstore-go skips: every entry must come from a trusted
// log, whose ID equals the ID of the key that verifies it; a Rekor v1 inclusion promise must
// verify (with the global log index) and its integrated time must be within the log key's
// validity window; an inclusion proof (required from bundle v0.2 on, and for Rekor v2) must lead
// from SHA-256(0x00 ‖ canonicalizedBody) at the shard-local index to the root of a checkpoint
// signed by that log, whose origin is the log's and whose size is the proof's tree size.
func (t *TrustedMaterial) checkEntries(b *sgbundle.Bundle, tsaTimes []time.Time, opts Options) ([]LogEntry, error) {
	entries := b.GetVerificationMaterial().GetTlogEntries()
	if len(entries) == 0 {
		return nil, newErr(ErrTransparencyLog, nil, "bundle has no transparency log entries")
	}
	if len(entries) > MaxLogEntries {
		return nil, newErr(ErrFormat, nil, "bundle has %d transparency log entries, more than %d", len(entries), MaxLogEntries)
	}
	var out []LogEntry
	for i, e := range entries {
		le, err := t.checkEntry(b, e, tsaTimes, opts)
		if err != nil {
			return nil, newErr(ErrTransparencyLog, err, "transparency log entry %d: %v", i, err)
		}
		out = append(out, le)
	}
	return out, nil
}

func (t *TrustedMaterial) checkEntry(b *sgbundle.Bundle, e *protorekor.TransparencyLogEntry, tsaTimes []time.Time, opts Options) (LogEntry, error) {
	untrustedID := e.GetLogId().GetKeyId()
	tl := t.logs[string(untrustedID)]
	if tl == nil {
		return LogEntry{}, newErr(ErrTransparencyLog, nil, "log %x is not in the trusted material", untrustedID)
	}
	log := tl.v1
	if isRekorV2Entry(e) {
		log = tl.v2
	}
	if log == nil {
		return LogEntry{}, newErr(ErrTransparencyLog, nil, "log %s cannot verify %s %s entries", tl.baseURL,
			e.GetKindVersion().GetKind(), e.GetKindVersion().GetVersion())
	}
	body := e.GetCanonicalizedBody()
	if len(body) == 0 {
		return LogEntry{}, newErr(ErrFormat, nil, "entry has no body")
	}
	if e.GetLogIndex() < 0 {
		return LogEntry{}, newErr(ErrFormat, nil, "negative log index %d", e.GetLogIndex())
	}
	le := LogEntry{LogID: log.ID(), Version: log.Version(), LogIndex: e.GetLogIndex(), ProofIndex: -1}

	var times []time.Time
	if promise := e.GetInclusionPromise(); promise != nil {
		if log.Version() != rekor.LogV1 {
			return LogEntry{}, newErr(ErrFormat, nil, "unexpected inclusion promise on a Rekor v2 entry")
		}
		it, err := log.VerifyPromise(rekor.Promise{Body: body, IntegratedTime: e.GetIntegratedTime(),
			LogIndex: e.GetLogIndex(), LogID: untrustedID, SignedEntryTimestamp: promise.GetSignedEntryTimestamp()})
		if err != nil {
			return LogEntry{}, err
		}
		le.IntegratedTime = it
		times = append(times, it)
	} else {
		times = append(times, tsaTimes...)
	}

	proof := e.GetInclusionProof()
	if proof == nil && (log.Version() == rekor.LogV2 || b.MinVersion("0.2")) {
		return LogEntry{}, newErr(ErrTransparencyLog, nil, "entry has no inclusion proof")
	}
	if proof != nil {
		cp, err := log.VerifyInclusion(body, rekor.InclusionProof{LogIndex: proof.GetLogIndex(), TreeSize: proof.GetTreeSize(),
			RootHash: proof.GetRootHash(), Hashes: proof.GetHashes(), Checkpoint: []byte(proof.GetCheckpoint().GetEnvelope())})
		if err != nil {
			return LogEntry{}, err
		}
		le.ProofIndex, le.Checkpoint = proof.GetLogIndex(), cp
	}
	if le.IntegratedTime.IsZero() && proof == nil {
		return LogEntry{}, newErr(ErrTransparencyLog, nil, "entry has neither an inclusion promise nor an inclusion proof")
	}

	// The log key must be valid, per the trusted material, at the time the entry was logged.
	if len(times) == 0 {
		return LogEntry{}, newErr(ErrTime, nil, "no signed time for the entry of log %s", tl.baseURL)
	}
	if tl.start.IsZero() {
		return LogEntry{}, newErr(ErrTime, nil, "log %s has no validity start in the trusted material", tl.baseURL)
	}
	for _, at := range times {
		if at.Before(tl.start) || (!tl.end.IsZero() && at.After(tl.end)) {
			return LogEntry{}, &TimeError{What: "log key " + tl.baseURL, Time: at, NotBefore: tl.start, NotAfter: tl.end}
		}
	}
	return le, nil
}
