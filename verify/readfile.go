package verify

import (
	"fmt"
	"io"
	"os"

	"github.com/sigpolicy/sigpolicy/internal/limits"
)

// maxTrustFileSize bounds every key, certificate and keyring file Compile reads.
const maxTrustFileSize = limits.MaxTrustFileSize

// readFileLimited reads a trust-material file from the operating system, failing closed on files
// larger than maxTrustFileSize.
func readFileLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTrustFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTrustFileSize {
		return nil, fmt.Errorf("%s: file larger than %d bytes", path, maxTrustFileSize)
	}
	return data, nil
}

// readLimited calls read and applies the same size bound to what it returns.
func readLimited(read func(string) ([]byte, error), path string) ([]byte, error) {
	data, err := read(path)
	if err != nil {
		return nil, err
	}
	if len(data) > maxTrustFileSize {
		return nil, fmt.Errorf("%s: file larger than %d bytes", path, maxTrustFileSize)
	}
	return data, nil
}
