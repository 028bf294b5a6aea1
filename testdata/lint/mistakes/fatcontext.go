// Triggers: fatcontext.
// Re-assigning ctx with context.WithValue inside the loop nests a new
// context on top of the previous one each iteration, so lookups get slower
// and memory grows linearly with the number of iterations.
package mistakes

import "context"

type stepKey struct{}

// RunSteps runs each step with its index stored in the context.
func RunSteps(ctx context.Context, steps []func(context.Context) error) error {
	for i, step := range steps {
		ctx = context.WithValue(ctx, stepKey{}, i)
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}
