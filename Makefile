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
