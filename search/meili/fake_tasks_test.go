package meili

import (
	"net/http"
	"strconv"
	"time"
)

// fakeTask is a task object as GET /tasks/{uid} shows it.
type fakeTask struct {
	UID        int64          `json:"uid"`
	BatchUID   *int64         `json:"batchUid"`
	IndexUID   string         `json:"indexUid"`
	Status     string         `json:"status"`
	Type       string         `json:"type"`
	CanceledBy *int64         `json:"canceledBy"`
	Details    map[string]any `json:"details"`
	Error      *apiError      `json:"error"`
	Duration   *string        `json:"duration"`
	EnqueuedAt string         `json:"enqueuedAt"`
	StartedAt  *string        `json:"startedAt"`
	FinishedAt *string        `json:"finishedAt"`

	apply func() *apiError // the change, made when the task is processed
}

// enqueue records a task and answers 202 with the summarized task object.
func (f *fakeMeili) enqueue(w http.ResponseWriter, indexUID, typ string, details map[string]any, apply func() *apiError) {
	t := &fakeTask{
		UID: int64(len(f.tasks)), IndexUID: indexUID, Status: "enqueued", Type: typ,
		Details: details, EnqueuedAt: stamp(time.Now()), apply: apply,
	}
	f.tasks = append(f.tasks, t)
	writeJSON(w, http.StatusAccepted, map[string]any{
		"taskUid": t.UID, "indexUid": t.IndexUID, "status": t.Status, "type": t.Type, "enqueuedAt": t.EnqueuedAt,
	})
}

// process runs every enqueued task up to and including uid, in order, as
// Meilisearch's scheduler would have by the time a client looks.
func (f *fakeMeili) process(uid int64) {
	for _, t := range f.tasks[:uid+1] {
		if t.Status != "enqueued" {
			continue
		}
		start := stamp(time.Now())
		batch := t.UID
		t.BatchUID, t.StartedAt = &batch, &start
		if err := t.apply(); err != nil {
			t.Status, t.Error = "failed", err
		} else {
			t.Status = "succeeded"
		}
		end, d := stamp(time.Now()), "PT0.001S"
		t.FinishedAt, t.Duration = &end, &d
	}
}

func (f *fakeMeili) getTask(w http.ResponseWriter, r *http.Request) {
	uid, err := strconv.ParseInt(r.PathValue("taskUid"), 10, 64)
	if err != nil || uid < 0 {
		writeError(w, http.StatusBadRequest, "invalid_task_uids", "Invalid value in parameter `taskUid`: could not parse `%s` as a positive integer", r.PathValue("taskUid"))
		return
	}
	if uid >= int64(len(f.tasks)) {
		writeError(w, http.StatusNotFound, "task_not_found", "Task `%d` not found.", uid)
		return
	}
	f.process(uid)
	writeJSON(w, http.StatusOK, f.tasks[uid])
}
