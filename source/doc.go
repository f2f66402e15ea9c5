// Package source reads untrusted image data — the manifest and the signatures of one image — from
// where it is stored, for the verify package to check.
//
// The first source is the containers "dir:" layout, as `skopeo copy docker://… dir:/path` writes
// it and as containers/image's directory transport reads it:
//
//	/path/manifest.json            the image manifest
//	/path/signature-1, -2, …       one signature per file, read until the first missing number
//	/path/<hex>.manifest.json      with WithInstance: the manifest of one instance of a manifest list
//	/path/<hex>.signature-N        with WithInstance: that instance's signatures
//	/path/sigstore-bundle-N.json   sigstore bundles (sigpolicy's naming; containers/image ignores them)
//	/path/<hex>.sigstore-bundle-N.json   with WithInstance: that instance's bundles
//
// Bundle files are numbered from 1 and read until the first missing number, after the
// signature-N files, each as one Bundle (the protobuf-specs JSON of a sigstore bundle, e.g. what
// `cosign sign --bundle` writes, unmodified). `skopeo copy` does not copy them: put them there
// yourself.
//
// A signature file is either an OpenPGP "simple signing" signature (it starts with an OpenPGP
// packet tag byte) or a binary-marked blob: the byte 0x00, a format name, a newline, then the
// format's data. The format "sigstore-json" carries a cosign signature attachment as JSON
// {"mimeType", "payload" (base64), "annotations"}; "simple-signing" carries an OpenPGP signature.
// ParseSignatureBlob decodes exactly what containers/image v5.36.2 decodes, with the same
// leniencies, and any other blob makes the whole signature read fail, as in containers/image.
//
// The second source is an OCI registry, through go-containerregistry: NewRegistry resolves a docker
// reference once (tag to digest; a manifest list to the instance for the wanted platform, as
// containers/image's copy.Image chooses it) and pins the Registry to that single-platform
// manifest, so a tag that moves later cannot change what is evaluated. Its signatures are the
// cosign / containers "sigstore" attachments: the OCI manifest at the tag "sha256-<hex>.sig", one
// layer per signature, the layer blob being the payload and the layer annotations the
// signature's, read exactly as containers/image does with use-sigstore-attachments enabled.
// After them come the sigstore bundles attached as OCI 1.1 referrers, as `cosign sign` v3
// attaches them: the referrers of the manifest digest (GET /v2/<name>/referrers/<digest>; when the
// registry answers 404, 405 or 501, the referrers tag schema's index at the tag "sha256-<hex>"),
// keeping the descriptors whose artifactType is a sigstore bundle media type (or the empty config
// type "application/vnd.oci.empty.v1+json", which registries that list a referrer by its config
// media type report; such a referrer is kept only if its manifest's artifactType is a bundle
// media type, other artifacts being skipped); each such manifest
// is fetched by digest and must be an OCI image manifest whose subject is the image's digest;
// each of its layers with a bundle media type is one Bundle (blob digest-checked). containers/image
// reads none of this, so its decisions on the same registry are unaffected. Pagination of the
// referrers list is not followed: referrers beyond the first page are not seen (which can only
// deny, never allow).
// Credentials come from the default keychain; plain HTTP must be allowed explicitly.
//
// Everything returned is untrusted: the types name their fields Untrusted… and nothing here
// verifies a signature. What this package does enforce is bounded reading: every file, manifest
// and blob is read through a limit from internal/limits, every registry manifest is checked against
// the digest it was requested by, and exceeding a limit fails closed with a *LimitError.
//
// ManifestDigest and MatchesDigest compute a manifest digest the way containers/image's
// manifest.Digest does, including the JWS-payload rule for signed Docker schema 1 manifests.
package source
