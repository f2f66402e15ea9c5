package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/opencontainers/go-digest"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// Manifest media types.
const (
	mediaTypeOCIManifest        = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeOCIIndex           = "application/vnd.oci.image.index.v1+json"
	mediaTypeDockerManifest     = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerList         = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaTypeDockerSchema1      = "application/vnd.docker.distribution.manifest.v1+json"
	mediaTypeDockerSchema1Signd = "application/vnd.docker.distribution.manifest.v1+prettyjws"
)

// acceptedManifestTypes is the Accept header of every manifest request: containers/image's
// manifest.DefaultRequestedManifestMIMETypes, in its order.
var acceptedManifestTypes = strings.Join([]string{
	mediaTypeOCIManifest, mediaTypeDockerManifest, mediaTypeDockerSchema1Signd,
	mediaTypeDockerSchema1, mediaTypeDockerList, mediaTypeOCIIndex,
}, ", ")

// sharedTransport is the HTTP transport of every Registry made without WithTransport: one
// connection pool for the process (a clone of http.DefaultTransport), so that evaluating many
// images reuses connections instead of leaving a pool of idle ones behind per image.
var sharedTransport = sync.OnceValue(func() http.RoundTripper {
	return http.DefaultTransport.(*http.Transport).Clone()
})

// registryClient makes authenticated, size-limited requests to one repository.
type registryClient struct {
	repo   name.Repository
	client *http.Client
}

// newRegistryClient authenticates to repo's registry (a ping, then a token exchange if the
// registry asks for one) with credentials from cfg.keychain, for pulling from repo.
func newRegistryClient(ctx context.Context, repo name.Repository, cfg *registryConfig) (*registryClient, error) {
	base := cfg.transport
	if base == nil {
		base = sharedTransport()
	}
	if !cfg.plainHTTP {
		base = httpsOnly{inner: base}
	}
	auth, err := authn.Resolve(ctx, cfg.keychain, repo)
	if err != nil {
		return nil, fmt.Errorf("resolving credentials for %s: %w", repo, err)
	}
	rt, err := transport.NewWithContext(ctx, repo.Registry, auth, base, []string{repo.Scope(transport.PullScope)})
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", repo.RegistryStr(), err)
	}
	return &registryClient{
		repo: repo,
		client: &http.Client{
			Transport:     rt,
			CheckRedirect: checkRedirect,
		},
	}, nil
}

// httpsOnly refuses plain-HTTP requests: without WithPlainHTTP, go-containerregistry would
// still try plain HTTP for localhost and private addresses.
type httpsOnly struct{ inner http.RoundTripper }

func (h httpsOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("refusing %s request to %s without WithPlainHTTP", req.URL.Scheme, req.URL.Host)
	}
	return h.inner.RoundTrip(req)
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= limits.MaxRegistryRedirects {
		return fmt.Errorf("stopped after %d redirects", limits.MaxRegistryRedirects)
	}
	return nil
}

// url returns the registry API URL of /v2/<repo>/<kind>/<ident>. The scheme is https; the
// authenticating transport switches it to http when the ping found only plain HTTP (and
// WithPlainHTTP allowed it).
func (c *registryClient) url(kind, ident string) string {
	return fmt.Sprintf("https://%s/v2/%s/%s/%s", c.repo.RegistryStr(), c.repo.RepositoryStr(), kind, ident)
}

// get performs one GET; a non-200 response becomes a *RegistryError (op and ref describe the
// request).
func (c *registryClient) get(ctx context.Context, u, accept, op, ref string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, ref, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, newRegistryError(resp, op, ref)
	}
	return resp, nil
}

// manifestResponse is a fetched manifest: its bytes and the media type from Content-Type
// (parameters removed; "" when absent or malformed, as containers/image's simplifyContentType).
type manifestResponse struct {
	untrustedBody []byte
	mediaType     string
}

// fetchManifest fetches the manifest at tagOrDigest, reading at most limits.MaxManifestSize
// bytes. ref names it in errors.
func (c *registryClient) fetchManifest(ctx context.Context, tagOrDigest, ref string) (*manifestResponse, error) {
	resp, err := c.get(ctx, c.url("manifests", tagOrDigest), acceptedManifestTypes, "reading manifest", ref)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readAtMost(resp.Body, limits.MaxManifestSize, ref, "manifest size")
	if err != nil {
		return nil, err
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	return &manifestResponse{untrustedBody: body, mediaType: mt}, nil
}

// fetchBlob fetches the blob d of the repository, reading at most limit bytes, and checks that
// its content has digest d (in d's algorithm, which must be one Go provides: sha256, sha384 or
// sha512), as containers/image's getOCIDescriptorContents does. what names the limit in a
// *LimitError.
func (c *registryClient) fetchBlob(ctx context.Context, d digest.Digest, limit int64, what string) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("invalid digest %q: %w", d.String(), err)
	}
	if !d.Algorithm().Available() {
		return nil, fmt.Errorf("invalid digest %q: unsupported digest algorithm %q", d.String(), d.Algorithm().String())
	}
	ref := c.repo.Name() + "@" + d.String()
	resp, err := c.get(ctx, c.url("blobs", d.String()), "", "reading blob", ref)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readAtMost(resp.Body, limit, ref, what)
	if err != nil {
		return nil, err
	}
	if actual := d.Algorithm().FromBytes(body); actual != d {
		return nil, fmt.Errorf("reading blob %s: digest mismatch, expected %q, got %q", ref, d.String(), actual.String())
	}
	return body, nil
}

// readAtMost reads r to the end, failing with a *LimitError (naming ref) instead of reading more
// than limit bytes.
func readAtMost(r io.Reader, limit int64, ref, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ref, err)
	}
	if int64(len(data)) > limit {
		return nil, &LimitError{Path: ref, What: what, Limit: limit}
	}
	return data, nil
}

// isManifestUnknown reports whether err says that a manifest does not exist, with
// containers/image's isManifestUnknownError rules: the distribution error code MANIFEST_UNKNOWN;
// or an UNKNOWN (or unregistered) code whose message contains "not found" in any case (the
// registry.redhat.io and Harbor forms); or HTTP 404 with a body that carries no distribution error.
func isManifestUnknown(err error) bool {
	var re *RegistryError
	if !errors.As(err, &re) {
		return false
	}
	return re.manifestUnknown
}
