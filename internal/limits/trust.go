package limits

// Limits on trust material and signed content, applied by verify.
const (
	// MaxTrustFileSize is the largest key, certificate or keyring file, in bytes, that
	// verify.Compile reads for a policy's …Path fields. containers/image reads such files without a
	// bound; a larger file fails to load, and its requirement denies every signature.
	MaxTrustFileSize = 4 << 20

	// MaxSimpleSigningPayload is the largest signed content, in bytes, extracted from an OpenPGP
	// "simple signing" signature. Real payloads are a few hundred bytes; the bound keeps a
	// compressed OpenPGP message from expanding without limit.
	MaxSimpleSigningPayload = 4 << 20

	// MaxSignatureCacheEntries bounds the verified-signature cache of one compiled sigstoreSigned
	// requirement; past it, new signatures are verified in full every time.
	MaxSignatureCacheEntries = 4096

	// MaxManifestDigestMemo bounds the manifest-digest memo of one Evaluator.
	MaxManifestDigestMemo = 1024
)
