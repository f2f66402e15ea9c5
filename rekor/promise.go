package rekor

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"time"
)

// Promise is an untrusted inclusion promise (signed entry timestamp) of a Rekor v1 entry, as
// carried in a sigstore bundle: the log signs the RFC 8785 canonical JSON
// {"body":…,"integratedTime":…,"logID":…,"logIndex":…}. LogIndex is the global index (for a
// sharded log it differs from the inclusion proof's shard-local index).
type Promise struct {
	Body                 []byte // the entry's canonicalized body (base64 in the signed JSON)
	IntegratedTime       int64  // Unix seconds
	LogIndex             int64  // global index
	LogID                []byte // the log ID the entry claims (hex in the signed JSON)
	SignedEntryTimestamp []byte // the log's signature
}

// VerifyPromise verifies an inclusion promise and returns the integrated time it vouches for.
// The entry's log ID must equal the log's ID (a *LogIDMismatchError otherwise), the log index and
// integrated time must not be negative, and the signed entry timestamp must verify with the log's
// key over the canonical JSON. Errors wrap ErrLogID, ErrSETFormat or ErrSETSignature.
func (l *Log) VerifyPromise(untrusted Promise) (time.Time, error) {
	if err := l.checkID(untrusted.LogID); err != nil {
		return time.Time{}, err
	}
	if untrusted.LogIndex < 0 {
		return time.Time{}, newErr(ErrSETFormat, nil, "negative log index %d", untrusted.LogIndex)
	}
	if untrusted.IntegratedTime < 0 {
		return time.Time{}, newErr(ErrSETFormat, nil, "negative integrated time %d", untrusted.IntegratedTime)
	}
	if !l.verifyMessage(promisePayload(untrusted), untrusted.SignedEntryTimestamp) {
		return time.Time{}, newErr(ErrSETSignature, nil, "signed entry timestamp does not verify with the key of log %q", l.name)
	}
	return time.Unix(untrusted.IntegratedTime, 0), nil
}

// promisePayload builds the RFC 8785 canonical form of the SET payload. Keys are in UTF-16 code
// unit order (body, integratedTime, logID, logIndex); base64 and hex strings need no escaping and
// integers are written in plain decimal, so the encoding is direct.
func promisePayload(p Promise) []byte {
	buf := make([]byte, 0, base64.StdEncoding.EncodedLen(len(p.Body))+2*len(p.LogID)+96)
	buf = append(buf, `{"body":"`...)
	buf = base64.StdEncoding.AppendEncode(buf, p.Body)
	buf = append(buf, `","integratedTime":`...)
	buf = strconv.AppendInt(buf, p.IntegratedTime, 10)
	buf = append(buf, `,"logID":"`...)
	buf = hex.AppendEncode(buf, p.LogID)
	buf = append(buf, `","logIndex":`...)
	buf = strconv.AppendInt(buf, p.LogIndex, 10)
	buf = append(buf, '}')
	return buf
}
