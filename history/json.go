package history

import "time"

// LogSchema names the JSON document of `perfctl history log --format json`.
const LogSchema = "perfctl/history/v1"

// A LogDocument is the JSON of `perfctl history log --format json`:
// fields are only ever added.
type LogDocument struct {
	Schema  string      `json:"schema"`
	Records []LogRecord `json:"records"`
}

// A LogRecord is one record in a LogDocument.
type LogRecord struct {
	Commit     string    `json:"commit"`
	Env        Env       `json:"env"`
	EnvKey     string    `json:"env_key"`
	RecordedAt time.Time `json:"recorded_at"`
	Benchmarks int       `json:"benchmarks"`
}

// NewLogDocument returns the document listing recs.
func NewLogDocument(recs []*Record) LogDocument {
	doc := LogDocument{Schema: LogSchema, Records: make([]LogRecord, 0, len(recs))}
	for _, r := range recs {
		doc.Records = append(doc.Records, LogRecord{Commit: r.Commit, Env: r.Env, EnvKey: r.Key, RecordedAt: r.RecordedAt, Benchmarks: r.Benchmarks})
	}
	return doc
}
