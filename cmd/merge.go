package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/perfctl/perfctl/internal/atomicfile"
	"github.com/perfctl/perfctl/internal/gomod"
	"github.com/perfctl/perfctl/internal/iostreams"
	"github.com/perfctl/perfctl/internal/run"
	"github.com/perfctl/perfctl/internal/usererr"
	"github.com/perfctl/perfctl/report"
	"github.com/perfctl/perfctl/shard"
)

// MaxMergeInput bounds one file perfctl merge reads.
const MaxMergeInput = report.MaxCompareJSON

// MergeOptions are the inputs of `perfctl merge`.
type MergeOptions struct {
	IO      *iostreams.IOStreams
	Exec    run.Runner // git, to place the module in its repository (SARIF)
	Dir     string
	Version string
	Files   []string // relative to Dir
	Format  report.Format
	// FormatSet says --format was given (result files take none).
	FormatSet bool
	Out       string // "" for stdout; relative to Dir
}

// NewCmdMerge returns `perfctl merge`.
func NewCmdMerge(f *Factory, runF func(context.Context, *MergeOptions) error) *cobra.Command {
	opts := &MergeOptions{IO: f.IOStreams, Exec: f.Exec, Version: f.Version()}
	var format string
	cmd := &cobra.Command{
		Use:   "merge [flags] FILES...",
		Short: "Join the outputs of the shards of a run (--shard I/N) into one result and one verdict",
		Long: `Join what the jobs of a CI matrix wrote, each running one shard (--shard I/N), into
what one job running everything would have written:

  - the JSON documents of perfctl compare --shard I/N --format json become one
    comparison, printed in --format (text, json, markdown, junit, sarif or html). Every row is
    decided again with the correction for the number of rows over all of them,
    as an unsharded run decides (--correction holm: the chance of any false
    regression among all rows stays at alpha). The exit code is the merged
    verdict's: 0 pass, 1 a regression;
  - benchfmt files of perfctl bench --shard I/N (or baseline save --shard)
    become one benchfmt file, for perfctl baseline save --from and history add.

perfctl refuses (exit 2) a missing shard, a shard given twice, shards of plans
with a different N or a different plan (the jobs saw other packages or
weights), of other base or head commits, or measured in other environments
(goos, goarch, go, gomaxprocs; for result files also the cpu), and a mix of
JSON documents and result files.`,
		Example: `  perfctl merge --format markdown shard-1.json shard-2.json shard-3.json
  perfctl merge --out merged.txt bench-*.txt && perfctl baseline save --from merged.txt --force`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir, opts.Files = f.Dir, args
			var err error
			if opts.Format, err = parseFormat(format, report.Formats(report.DocCompare)...); err != nil {
				return err
			}
			opts.FormatSet = cmd.Flags().Changed("format")
			if len(args) > shard.MaxInputs {
				return flagErrorf("%d files: a plan has at most %d shards", len(args), shard.MaxInputs)
			}
			if opts.Out != "" {
				if err := checkOutput("--out "+opts.Out, f.Dir, opts.Out); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return mergeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&format, "format", string(report.Text), formatUsage(report.DocCompare))
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the result to `FILE` instead of stdout (written only on success)")
	return cmd
}

func mergeRun(ctx context.Context, opts *MergeOptions) error {
	texts := make([][]byte, len(opts.Files))
	jsonDocs := 0
	for i, name := range opts.Files {
		text, err := readBounded(resolve(opts.Dir, name), name)
		if err != nil {
			return err
		}
		texts[i] = text
		if t := bytes.TrimLeft(text, " \t\r\n"); len(t) > 0 && t[0] == '{' {
			jsonDocs++
		}
	}
	var out bytes.Buffer
	var failed bool
	switch jsonDocs {
	case len(texts):
		in := make([]shard.Comparison, len(texts))
		for i := range texts {
			c, err := report.ReadCompareJSON(bytes.NewReader(texts[i]), opts.Files[i])
			if err != nil {
				return err
			}
			in[i] = shard.Comparison{File: opts.Files[i], C: c}
		}
		c, err := shard.MergeComparisons(in)
		if err != nil {
			return err
		}
		o := report.Options{Color: opts.IO.ColorEnabled() && opts.Out == "", Version: opts.Version}
		if root, ok := gomod.Root(opts.Dir); ok && opts.Format.NeedsRepoPaths() {
			o.Paths = repoPaths(ctx, opts.Exec, root, "")
		}
		if err := report.RenderCompare(&out, opts.Format, c, o); err != nil {
			return fmt.Errorf("rendering the report: %w", err)
		}
		failed = c.Failed()
	case 0:
		if opts.FormatSet && opts.Format != report.Text {
			return flagErrorf("--format %s renders a comparison; benchmark result files merge into a result file: drop --format", opts.Format)
		}
		in := make([]shard.File, len(texts))
		for i := range texts {
			in[i] = shard.File{Name: opts.Files[i], Text: texts[i]}
		}
		text, err := shard.MergeResults(in)
		if err != nil {
			return err
		}
		out.Write(text)
	default:
		return usererr.New(fmt.Sprintf("%d of the %d files are comparisons (JSON) and the others are not: one merge joins one kind", jsonDocs, len(texts)),
			"merge the JSON documents of perfctl compare --shard and the result files of perfctl bench --shard separately")
	}
	var err error
	if opts.Out == "" {
		_, err = out.WriteTo(opts.IO.Out)
	} else {
		err = atomicfile.WriteFile(resolve(opts.Dir, opts.Out), out.Bytes(), 0o644)
	}
	if err != nil {
		return err
	}
	if failed {
		return errGateFailed
	}
	return nil
}

// readBounded reads the file at path (shown as name), refusing one larger
// than MaxMergeInput.
func readBounded(path, name string) ([]byte, error) {
	if name == "-" {
		return nil, usererr.New("merge reads files, not standard input", "give the shards' files")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &usererr.Error{File: name, Msg: "cannot be read: " + unwrapPath(err), Hint: "give the files the shards' jobs wrote", Err: err}
	}
	defer f.Close()
	text, err := io.ReadAll(io.LimitReader(f, MaxMergeInput+1))
	if err != nil {
		return nil, &usererr.Error{File: name, Msg: "cannot be read: " + err.Error(), Err: err}
	}
	if len(text) > MaxMergeInput {
		return nil, &usererr.Error{File: name, Msg: fmt.Sprintf("is larger than %d MiB, the largest file merge reads", MaxMergeInput>>20),
			Hint: "give the files perfctl wrote"}
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, &usererr.Error{File: name, Msg: "is empty", Hint: "the job that wrote it failed or wrote elsewhere: run it again"}
	}
	return text, nil
}

// unwrapPath says an *os.PathError without the path, which the message
// names already.
func unwrapPath(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
