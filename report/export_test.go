package report

// SARIFSchemaText gives the external tests (package report_test) the
// SARIF 2.1.0 schema that lint_test.go reads.
var SARIFSchemaText = sarifSchemaText
