package rekor_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sigstore/rekor/pkg/util"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"

	"github.com/sigpolicy/sigpolicy/internal/fixturegen/gen"
	"github.com/sigpolicy/sigpolicy/rekor"
)

const (
	testSeed   = "sigpolicy-rekor-proof-test"
	testHost   = "rekor.example.test"
	testTreeID = 1193050959916656506
	testLeaves = 13
)

// testLogV1 is a generated Rekor v1 log: a real RFC 6962 tree (merkle testonly) with checkpoints
// signed by rekor's own CreateAndSignCheckpoint under a fixed-seed ECDSA key.
type testLogV1 struct {
	tree   *testonly.Tree
	key    *ecdsa.PrivateKey
	signer signature.SignerVerifier
	log    *rekor.Log
}

func newTestLogV1(t testing.TB) *testLogV1 {
	t.Helper()
	key, err := gen.ECDSAKey(testSeed, "rekor-v1", elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := signature.LoadECDSASignerVerifier(key, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	log, err := rekor.NewLog(rekor.LogV1, testHost, key.Public())
	if err != nil {
		t.Fatal(err)
	}
	tree := testonly.New(rfc6962.DefaultHasher)
	for i := range testLeaves {
		tree.AppendData(leafBody(i))
	}
	return &testLogV1{tree: tree, key: key, signer: signer, log: log}
}

func leafBody(i int) []byte { return fmt.Appendf(nil, `{"kind":"hashedrekord","entry":%d}`, i) }

// checkpoint signs a checkpoint for the current tree with rekor's helper.
func (l *testLogV1) checkpoint(t testing.TB, host string, size uint64, root []byte) []byte {
	t.Helper()
	cp, err := util.CreateAndSignCheckpoint(context.Background(), host, testTreeID, size, root, l.signer)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func (l *testLogV1) proof(t testing.TB, index int) rekor.InclusionProof {
	t.Helper()
	hashes, err := l.tree.InclusionProof(uint64(index), l.tree.Size())
	if err != nil {
		t.Fatal(err)
	}
	return rekor.InclusionProof{LogIndex: int64(index), TreeSize: int64(l.tree.Size()), RootHash: l.tree.Hash(),
		Hashes: hashes, Checkpoint: l.checkpoint(t, testHost, l.tree.Size(), l.tree.Hash())}
}

func cloneProof(p rekor.InclusionProof) rekor.InclusionProof {
	q := p
	q.RootHash = bytes.Clone(p.RootHash)
	q.Checkpoint = bytes.Clone(p.Checkpoint)
	q.Hashes = nil
	for _, h := range p.Hashes {
		q.Hashes = append(q.Hashes, bytes.Clone(h))
	}
	return q
}

func TestVerifyInclusionEveryLeaf(t *testing.T) {
	l := newTestLogV1(t)
	for i := range testLeaves {
		t.Run(fmt.Sprintf("leaf-%d", i), func(t *testing.T) {
			cp, err := l.log.VerifyInclusion(leafBody(i), l.proof(t, i))
			if err != nil {
				t.Fatalf("VerifyInclusion: %v", err)
			}
			if want := fmt.Sprintf("%s - %d", testHost, testTreeID); cp.Origin != want || cp.Size != testLeaves || !bytes.Equal(cp.RootHash, l.tree.Hash()) {
				t.Errorf("checkpoint = %q %d %x, want %q %d %x", cp.Origin, cp.Size, cp.RootHash, want, testLeaves, l.tree.Hash())
			}
		})
	}
}

// TestVerifyInclusionCorruption breaks every part of a valid proof in turn; each must deny with
// the expected sentinel.
func TestVerifyInclusionCorruption(t *testing.T) {
	l := newTestLogV1(t)
	const index = 5
	valid := l.proof(t, index)
	otherKey, err := gen.ECDSAKey(testSeed, "other", elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	otherSigner, err := signature.LoadECDSASignerVerifier(otherKey, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	type probe struct {
		name   string
		body   []byte
		mutate func(p *rekor.InclusionProof)
		want   error
	}
	probes := []probe{
		{name: "other-body", body: leafBody(index + 1), want: rekor.ErrInclusionProof},
		{name: "index+1", mutate: func(p *rekor.InclusionProof) { p.LogIndex++ }, want: rekor.ErrInclusionProof},
		{name: "index-1", mutate: func(p *rekor.InclusionProof) { p.LogIndex-- }, want: rekor.ErrInclusionProof},
		{name: "index-negative", mutate: func(p *rekor.InclusionProof) { p.LogIndex = -1 }, want: rekor.ErrInclusionProof},
		{name: "index-equals-size", mutate: func(p *rekor.InclusionProof) { p.LogIndex = p.TreeSize }, want: rekor.ErrInclusionProof},
		{name: "tree-size+1", mutate: func(p *rekor.InclusionProof) { p.TreeSize++ }, want: rekor.ErrCheckpointMismatch},
		{name: "tree-size-1", mutate: func(p *rekor.InclusionProof) { p.TreeSize-- }, want: rekor.ErrCheckpointMismatch},
		{name: "tree-size-zero", mutate: func(p *rekor.InclusionProof) { p.TreeSize = 0 }, want: rekor.ErrInclusionProof},
		{name: "root-hash-flipped", mutate: func(p *rekor.InclusionProof) { p.RootHash[0] ^= 1 }, want: rekor.ErrCheckpointMismatch},
		{name: "root-hash-short", mutate: func(p *rekor.InclusionProof) { p.RootHash = p.RootHash[:31] }, want: rekor.ErrCheckpointMismatch},
		{name: "hash-missing", mutate: func(p *rekor.InclusionProof) { p.Hashes = p.Hashes[:len(p.Hashes)-1] }, want: rekor.ErrInclusionProof},
		{name: "hash-extra", mutate: func(p *rekor.InclusionProof) { p.Hashes = append(p.Hashes, make([]byte, 32)) }, want: rekor.ErrInclusionProof},
		{name: "hash-short", mutate: func(p *rekor.InclusionProof) { p.Hashes[0] = p.Hashes[0][:31] }, want: rekor.ErrInclusionProof},
		{name: "hashes-swapped", mutate: func(p *rekor.InclusionProof) { p.Hashes[0], p.Hashes[1] = p.Hashes[1], p.Hashes[0] }, want: rekor.ErrInclusionProof},
		// A checkpoint for a different (smaller) tree, correctly signed, with the proof's root.
		{name: "checkpoint-size", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = l.checkpoint(t, testHost, uint64(p.TreeSize-1), p.RootHash)
		}, want: rekor.ErrCheckpointMismatch},
		// A checkpoint signed for another root (the proof's root is then unbound).
		{name: "checkpoint-root", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = l.checkpoint(t, testHost, uint64(p.TreeSize), l.tree.HashAt(uint64(p.TreeSize-1)))
		}, want: rekor.ErrCheckpointMismatch},
		// Proof and checkpoint consistently moved to another root: the Merkle path no longer leads there.
		{name: "checkpoint-and-proof-root", mutate: func(p *rekor.InclusionProof) {
			p.RootHash = l.tree.HashAt(uint64(p.TreeSize - 1))
			p.Checkpoint = l.checkpoint(t, testHost, uint64(p.TreeSize), p.RootHash)
		}, want: rekor.ErrInclusionProof},
		{name: "checkpoint-origin-host", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = resignNote(t, p.Checkpoint, func(text string) string {
				return strings.Replace(text, testHost, "rekor.other.test", 1)
			}, l.signer, testHost)
		}, want: rekor.ErrCheckpointMismatch},
		{name: "checkpoint-origin-tree-id", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = resignNote(t, p.Checkpoint, func(text string) string {
				return strings.Replace(text, fmt.Sprint(testTreeID), "x1", 1)
			}, l.signer, testHost)
		}, want: rekor.ErrCheckpointMismatch},
		{name: "checkpoint-signed-by-other-key", mutate: func(p *rekor.InclusionProof) {
			cp, err := util.CreateAndSignCheckpoint(context.Background(), testHost, testTreeID, uint64(p.TreeSize), p.RootHash, otherSigner)
			if err != nil {
				t.Fatal(err)
			}
			p.Checkpoint = cp
		}, want: rekor.ErrNoteSignature},
		{name: "checkpoint-signature-flipped", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = editSignature(t, p.Checkpoint, func(sig []byte) { sig[len(sig)-1] ^= 1 })
		}, want: rekor.ErrNoteSignature},
		{name: "checkpoint-key-hint", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = editSignature(t, p.Checkpoint, func(sig []byte) { sig[0] ^= 1 })
		}, want: rekor.ErrNoteSignature},
		{name: "checkpoint-signer-name", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = bytes.Replace(p.Checkpoint, []byte("\u2014 "+testHost), []byte("\u2014 other.test"), 1)
		}, want: rekor.ErrNoteSignature},
		{name: "checkpoint-text-edited", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = bytes.Replace(p.Checkpoint, []byte(fmt.Sprintf("\n%d\n", p.TreeSize)), []byte(fmt.Sprintf("\n%d\n", p.TreeSize+1)), 1)
		}, want: rekor.ErrNoteSignature},
		{name: "checkpoint-no-signature", mutate: func(p *rekor.InclusionProof) {
			p.Checkpoint = p.Checkpoint[:bytes.LastIndex(p.Checkpoint, []byte("\n\n"))+2]
		}, want: rekor.ErrNoteFormat},
		{name: "checkpoint-empty", mutate: func(p *rekor.InclusionProof) { p.Checkpoint = nil }, want: rekor.ErrNoteFormat},
	}
	for i := range valid.Hashes {
		probes = append(probes, probe{name: fmt.Sprintf("hash-%d-flipped", i),
			mutate: func(p *rekor.InclusionProof) { p.Hashes[i][i%32] ^= 0x80 }, want: rekor.ErrInclusionProof})
	}
	for _, tc := range probes {
		t.Run(tc.name, func(t *testing.T) {
			p := cloneProof(valid)
			if tc.mutate != nil {
				tc.mutate(&p)
			}
			body := leafBody(index)
			if tc.body != nil {
				body = tc.body
			}
			_, err := l.log.VerifyInclusion(body, p)
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyInclusion error = %v, want one wrapping %v", err, tc.want)
			}
		})
	}
}

// resignNote rewrites a note's text and signs it again with signer under name (so only the
// rewritten content can cause a denial).
func resignNote(t testing.TB, note []byte, edit func(string) string, signer signature.Signer, name string) []byte {
	t.Helper()
	sep := bytes.LastIndex(note, []byte("\n\n"))
	text := edit(string(note[:sep+1]))
	sig, err := signer.SignMessage(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := signer.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	log, err := rekor.NewLog(rekor.LogV1, name, pub)
	if err != nil {
		t.Fatal(err)
	}
	return signedNote(text, name, log.KeyHint(), sig)
}

func signedNote(text, name string, hint uint32, sig []byte) []byte {
	raw := binary.BigEndian.AppendUint32(nil, hint)
	raw = append(raw, sig...)
	return fmt.Appendf(nil, "%s\n\u2014 %s %s\n", text, name, base64.StdEncoding.EncodeToString(raw))
}

// editSignature edits the raw (hint ‖ signature) bytes of the note's first signature line.
func editSignature(t testing.TB, note []byte, edit func([]byte)) []byte {
	t.Helper()
	sep := bytes.LastIndex(note, []byte("\n\n"))
	line := strings.TrimSuffix(string(note[sep+2:]), "\n")
	i := strings.LastIndex(line, " ")
	raw, err := base64.StdEncoding.DecodeString(line[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	edit(raw)
	return fmt.Appendf(nil, "%s\n%s %s\n", note[:sep+1], line[:i], base64.StdEncoding.EncodeToString(raw))
}

// v2 logs: Ed25519 C2SP signed notes with witness cosignatures.
func TestVerifyCheckpointV2(t *testing.T) {
	const origin = "log2025-1.rekor.example.test"
	logKey := gen.Ed25519Key(testSeed, "rekor-v2")
	witness := gen.Ed25519Key(testSeed, "witness")
	log, err := rekor.NewLog(rekor.LogV2, origin, logKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	witnessLog, err := rekor.NewLog(rekor.LogV2, "witness.example.test", witness.Public())
	if err != nil {
		t.Fatal(err)
	}
	tree := testonly.New(rfc6962.DefaultHasher)
	for i := range testLeaves {
		tree.AppendData(leafBody(i))
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", origin, tree.Size(), base64.StdEncoding.EncodeToString(tree.Hash()))
	logLine := func(text string) []byte {
		return signedNote(text, origin, log.KeyHint(), ed25519.Sign(logKey, []byte(text)))
	}
	cosig := func(text string) string {
		n := signedNote(text, "witness.example.test", witnessLog.KeyHint(), ed25519.Sign(witness, []byte(text)))
		return string(n[len(text)+1:])
	}
	hashes, err := tree.InclusionProof(3, tree.Size())
	if err != nil {
		t.Fatal(err)
	}
	proof := func(note []byte) rekor.InclusionProof {
		return rekor.InclusionProof{LogIndex: 3, TreeSize: int64(tree.Size()), RootHash: tree.Hash(), Hashes: hashes, Checkpoint: note}
	}
	wrongOrigin := strings.Replace(text, origin, "log2025-2.rekor.example.test", 1)
	tests := []struct {
		name string
		note []byte
		want error // nil: accepted
	}{
		{"log-signature", logLine(text), nil},
		{"log-then-cosignature", append(logLine(text), cosig(text)...), nil},
		{"cosignature-first", append([]byte(text+"\n"+cosig(text)), logLine(text)[len(text)+1:]...), nil},
		{"cosignature-only", []byte(text + "\n" + cosig(text)), rekor.ErrNoteSignature},
		{"wrong-origin", signedNote(wrongOrigin, origin, log.KeyHint(), ed25519.Sign(logKey, []byte(wrongOrigin))), rekor.ErrCheckpointMismatch},
		{"v1-style-origin", signedNote(origin+" - 1"+text[len(origin):], origin, log.KeyHint(), ed25519.Sign(logKey, []byte(origin+" - 1"+text[len(origin):]))), rekor.ErrCheckpointMismatch},
		{"bad-signature", signedNote(text, origin, log.KeyHint(), ed25519.Sign(witness, []byte(text))), rekor.ErrNoteSignature},
		{"missing-size", logLine(fmt.Sprintf("%s\n%s\n", origin, base64.StdEncoding.EncodeToString(tree.Hash()))), rekor.ErrNoteFormat},
		{"missing-root", logLine(fmt.Sprintf("%s\n%d\n", origin, tree.Size())), rekor.ErrNoteFormat},
		{"leading-zero-size", logLine(fmt.Sprintf("%s\n0%d\n%s\n", origin, tree.Size(), base64.StdEncoding.EncodeToString(tree.Hash()))), rekor.ErrNoteFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := log.VerifyInclusion(leafBody(3), proof(tc.note))
			if tc.want == nil && err != nil {
				t.Fatalf("VerifyInclusion: %v", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("VerifyInclusion error = %v, want one wrapping %v", err, tc.want)
			}
		})
	}
}

func TestVerifyPromise(t *testing.T) {
	l := newTestLogV1(t)
	body := leafBody(2)
	good := rekor.Promise{Body: body, IntegratedTime: 1700000000, LogIndex: 4163431 + 2, LogID: l.log.ID()}
	sign := func(p rekor.Promise) rekor.Promise {
		// The canonical payload, built independently with encoding/json-compatible field order.
		payload := fmt.Sprintf(`{"body":"%s","integratedTime":%d,"logID":"%x","logIndex":%d}`,
			base64.StdEncoding.EncodeToString(p.Body), p.IntegratedTime, p.LogID, p.LogIndex)
		sig, err := l.signer.SignMessage(strings.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		p.SignedEntryTimestamp = sig
		return p
	}
	signed := sign(good)
	it, err := l.log.VerifyPromise(signed)
	if err != nil || !it.Equal(time.Unix(1700000000, 0)) {
		t.Fatalf("VerifyPromise = %v, %v", it, err)
	}
	otherID := bytes.Clone(l.log.ID())
	otherID[0] ^= 1
	tests := []struct {
		name string
		p    rekor.Promise
		want error
	}{
		{"integrated-time+1", func() rekor.Promise { p := signed; p.IntegratedTime++; return p }(), rekor.ErrSETSignature},
		{"log-index-shard-local", func() rekor.Promise { p := signed; p.LogIndex = 2; return p }(), rekor.ErrSETSignature},
		{"body", func() rekor.Promise { p := signed; p.Body = leafBody(3); return p }(), rekor.ErrSETSignature},
		{"log-id", func() rekor.Promise { p := signed; p.LogID = otherID; return p }(), rekor.ErrLogID},
		{"log-id-resigned", sign(rekor.Promise{Body: body, IntegratedTime: 1700000000, LogIndex: 7, LogID: otherID}), rekor.ErrLogID},
		{"negative-index", sign(rekor.Promise{Body: body, IntegratedTime: 1700000000, LogIndex: -1, LogID: l.log.ID()}), rekor.ErrSETFormat},
		{"signature-flipped", func() rekor.Promise {
			p := signed
			p.SignedEntryTimestamp = bytes.Clone(p.SignedEntryTimestamp)
			p.SignedEntryTimestamp[len(p.SignedEntryTimestamp)-1] ^= 1
			return p
		}(), rekor.ErrSETSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := l.log.VerifyPromise(tc.p); !errors.Is(err, tc.want) {
				t.Fatalf("VerifyPromise error = %v, want one wrapping %v", err, tc.want)
			}
		})
	}
}
