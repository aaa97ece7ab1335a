package collect

import (
	"bytes"
	"encoding/json"
)

// MarshalCLI encodes a decoded answer as the aws CLI prints it:
// keys sorted, four-space indentation, a final newline.
func MarshalCLI(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
