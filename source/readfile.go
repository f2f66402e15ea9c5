package source

import (
	"io"
	"os"
)

// readFileLimited reads the file at path, failing with a *LimitError instead of reading more than
// limit bytes. Open errors are returned unchanged (an *fs.PathError), so callers can test them
// with os.IsNotExist.
func readFileLimited(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err // already an *fs.PathError naming the file
	}
	if int64(len(data)) > limit {
		return nil, &LimitError{Path: path, What: what, Limit: limit}
	}
	return data, nil
}
