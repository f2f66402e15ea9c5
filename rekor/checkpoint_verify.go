package rekor

// VerifyCheckpoint verifies a signed checkpoint (a C2SP signed note) against the log and returns
// its content. Signature lines by other keys (witness cosignatures) are ignored; at least one line
// must carry the log's name and key hint, and every such line must verify with the log's key
// over the note text (a line that claims the log's key but does not verify denies). The text must
// then parse as a checkpoint whose origin belongs to the log (see [LogVersion]). Errors wrap
// ErrNoteFormat, ErrNoteSignature or ErrCheckpointMismatch.
func (l *Log) VerifyCheckpoint(untrustedNote []byte) (Checkpoint, error) {
	note, err := parseNote(untrustedNote)
	if err != nil {
		return Checkpoint{}, err
	}
	matched := 0
	for _, sig := range note.signatures {
		if sig.Name != l.name || sig.KeyHint != l.hint {
			continue
		}
		if !l.verifyMessage(note.text, sig.Signature) {
			return Checkpoint{}, newErr(ErrNoteSignature, nil, "checkpoint signature by %q (key hint %08x) does not verify", l.name, l.hint)
		}
		matched++
	}
	if matched == 0 {
		return Checkpoint{}, newErr(ErrNoteSignature, nil, "checkpoint has no signature by %q with key hint %08x", l.name, l.hint)
	}
	text := note.text // verified by the log's key
	cp, err := parseCheckpointText(text)
	if err != nil {
		return Checkpoint{}, err
	}
	if err := l.checkOrigin(cp.Origin); err != nil {
		return Checkpoint{}, err
	}
	return cp, nil
}
