# Build tags: containers_image_openpgp makes the containers/image reference oracle (used only in
# tests) use pure-Go OpenPGP instead of cgo gpgme; exclude_graphdriver_btrfs drops the btrfs
# storage driver, which needs C headers. Every go command here uses both.
TAGS := containers_image_openpgp exclude_graphdriver_btrfs
GO ?= go

.PHONY: demo test bench lint fuzz generate build

# The main job: verify the demo image in examples/demo against the demo policy and explain.
demo:
	$(GO) run -tags "$(TAGS)" ./cmd/sigpolicy verify --policy examples/demo/policy.json \
		--from-dir examples/demo/image registry.example.com/demo/hello:1.0

# The whole test suite (what CI runs).
test:
	$(GO) vet -tags "$(TAGS)" ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) test -tags "$(TAGS)" -count=1 ./...

bench:
	$(GO) test -tags "$(TAGS)" -run '^$$' -bench . -benchmem ./...

lint:
	$(GO) vet -tags "$(TAGS)" ./...
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run -tags "$(TAGS)" ./cmd/sigpolicy lint examples/demo/policy.json testdata/containers-image/policy.json

generate:
	$(GO) generate ./...

build:
	$(GO) build -tags "$(TAGS)" -o bin/sigpolicy ./cmd/sigpolicy

# sigstore-conformance bundle-verify cases (read from ../shared/conformance, never copied here),
# run against bin/sigpolicy with the artifact as a path and as a sha256 digest.
# The shared runner looks for production-trusted_root.json beside itself, but the file lives in
# its sigstore-conformance/ folder; so the runner is started through a temporary folder of
# symbolic links (nothing is copied) in which the default root is where the runner expects it.
CONFORMANCE ?= ../shared/conformance
.PHONY: conformance
conformance: build
	@set -e; conf=$$(cd "$(CONFORMANCE)" && pwd); tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	ln -s "$$conf/run-bundle-verify" "$$tmp/run-bundle-verify"; \
	ln -s "$$conf/sigstore-conformance" "$$tmp/sigstore-conformance"; \
	root="$$conf/production-trusted_root.json"; [ -f "$$root" ] || root="$$conf/sigstore-conformance/production-trusted_root.json"; \
	ln -s "$$root" "$$tmp/production-trusted_root.json"; \
	echo "conformance (artifact paths):"; "$$tmp/run-bundle-verify" $(CURDIR)/bin/sigpolicy; \
	echo "conformance (artifact digests):"; CONFORMANCE_DIGEST=1 "$$tmp/run-bundle-verify" $(CURDIR)/bin/sigpolicy
