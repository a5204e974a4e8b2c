// Package meili is the Meilisearch engine: search.Engine over one index of a
// Meilisearch server, through meilisearch-go.
package meili

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"techbridge/search"
)

var _ search.Engine = (*Engine)(nil)

// Engine is a search.Engine backed by one Meilisearch index.
type Engine struct {
	client meilisearch.ServiceManager
	index  meilisearch.IndexManager
	uid    string
	// writes serialises Upsert, Delete and Reset so that the versions an
	// Upsert reads are still current when its documents are written.
	writes sync.Mutex
	// poll is the interval between task status checks.
	poll time.Duration
}

// indexName is the index uid under the prefix.
const indexName = "listings"

// batchSize bounds the documents sent in one request.
const batchSize = 1000

// Open connects to the server at url, creates the index indexPrefix+"listings"
// if it is missing and applies its settings, waiting until both are done.
func Open(ctx context.Context, url, apiKey, indexPrefix string) (*Engine, error) {
	var opts []meilisearch.Option
	if apiKey != "" {
		opts = append(opts, meilisearch.WithAPIKey(apiKey))
	}
	client := meilisearch.New(url, opts...)
	e := &Engine{client: client, uid: indexPrefix + indexName, poll: 50 * time.Millisecond}
	e.index = client.Index(e.uid)

	task, err := client.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: e.uid, PrimaryKey: "id"})
	if err != nil {
		return nil, fmt.Errorf("meili: create index %s: %w", e.uid, err)
	}
	if err := e.wait(ctx, task); err != nil && !isCode(err, meilisearch.APIErrCodeIndexAlreadyExists) {
		return nil, fmt.Errorf("meili: create index %s: %w", e.uid, err)
	}
	task, err = e.index.UpdateSettings(ctx, indexSettings())
	if err != nil {
		return nil, fmt.Errorf("meili: settings of %s: %w", e.uid, err)
	}
	if err := e.wait(ctx, task); err != nil {
		return nil, fmt.Errorf("meili: settings of %s: %w", e.uid, err)
	}
	return e, nil
}

// Name names the engine for /readyz.
func (e *Engine) Name() string { return "meilisearch" }

// Close releases the client's idle connections; the index stays.
func (e *Engine) Close() error {
	e.client.Close()
	return nil
}

// Count returns the number of documents in the index.
func (e *Engine) Count(ctx context.Context) (int, error) {
	st, err := e.index.GetStats(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("meili: stats: %w", err)
	}
	return int(st.NumberOfDocuments), nil
}

// Reset removes every document and waits until they are gone.
func (e *Engine) Reset(ctx context.Context) error {
	e.writes.Lock()
	defer e.writes.Unlock()
	task, err := e.index.DeleteAllDocuments(ctx, nil)
	if err != nil {
		return fmt.Errorf("meili: reset: %w", err)
	}
	return e.wait(ctx, task)
}

// Delete removes documents by id and waits until they are gone.
func (e *Engine) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	e.writes.Lock()
	defer e.writes.Unlock()
	for start := 0; start < len(ids); start += batchSize {
		task, err := e.index.DeleteDocuments(ctx, ids[start:min(start+batchSize, len(ids))], nil)
		if err != nil {
			return fmt.Errorf("meili: delete: %w", err)
		}
		if err := e.wait(ctx, task); err != nil {
			return err
		}
	}
	return nil
}

// taskError is a task that ended without succeeding.
type taskError struct {
	uid    int64
	status meilisearch.TaskStatus
	err    meilisearch.APIErrorDetails
}

func (t *taskError) Error() string {
	return fmt.Sprintf("meili: task %d %s: %s (%s)", t.uid, t.status, t.err.Message, t.err.Code)
}

// wait blocks until the task has been processed and fails unless it succeeded.
func (e *Engine) wait(ctx context.Context, info *meilisearch.TaskInfo) error {
	task, err := e.client.WaitForTask(ctx, info.TaskUID, e.poll)
	if err != nil {
		return fmt.Errorf("meili: wait for task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: info.TaskUID, status: task.Status, err: task.Error}
	}
	return nil
}

// isCode reports whether err is a failed task or API error with the code.
func isCode(err error, code meilisearch.APIErrCode) bool {
	var te *taskError
	if errors.As(err, &te) {
		return te.err.Code == code
	}
	var me *meilisearch.Error
	return errors.As(err, &me) && me.APIError.Code == code
}
