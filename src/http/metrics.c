/*
 * metrics: process-wide counters for GET /metrics, in Prometheus text format 0.0.4.
 * Each thread that records requests (the event loops) owns a shard: requests
 * counted by (route pattern, method, status) in a fixed table, and the latency
 * histogram (Prometheus's default buckets). A shard has its own mutex, which only
 * its owner and a /metrics reader ever take, so recording a request never waits on
 * another loop. Shards are made on a thread's first request, kept in a list for
 * the life of the process, and summed when /metrics is read. Route strings are the
 * route table's own patterns, so they live as long as the process; rows past a
 * shard's table are counted under route "other". Database errors are an atomic.
 */
#include "http/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define METRICS_ROWS 512

struct metrics_row {
    const char *route;
    int method;
    int status;
    uint64_t count;
};

static const double bucket_le[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

struct metrics_shard {
    pthread_mutex_t lock;
    struct metrics_shard *next;
    int nrows;
    struct metrics_row rows[METRICS_ROWS];
    uint64_t bucket_count[NBUCKETS];
    uint64_t hist_count;
    double hist_sum;
};

static pthread_mutex_t shards_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_shard *shards;
static _Thread_local struct metrics_shard *my_shard;
static atomic_ullong db_errors;

void http_count_db_error(void)
{
    atomic_fetch_add(&db_errors, 1);
}

static struct metrics_shard *shard_get(void)
{
    if (my_shard)
        return my_shard;
    struct metrics_shard *m = calloc(1, sizeof *m);
    if (!m) {
        fputs("out of memory\n", stderr);
        abort();
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_mutex_lock(&shards_lock);
    m->next = shards;
    shards = m;
    pthread_mutex_unlock(&shards_lock);
    my_shard = m;
    return m;
}

/* Row i of rows[0..*nrows) for (route, method, status), appended when new; the
 * last row of a full table collects the rest as "other". */
static struct metrics_row *row_of(struct metrics_row *rows, int *nrows, const char *route,
                                  int method, int status)
{
    int i;
    for (i = 0; i < *nrows; i++)
        if (rows[i].method == method && rows[i].status == status &&
            (rows[i].route == route || strcmp(rows[i].route, route) == 0))
            return &rows[i];
    if (*nrows < METRICS_ROWS - 1) {
        rows[*nrows] = (struct metrics_row){route, method, status, 0};
        return &rows[(*nrows)++];
    }
    if (*nrows == METRICS_ROWS - 1)
        rows[(*nrows)++] = (struct metrics_row){"other", 0, 0, 0};
    return &rows[METRICS_ROWS - 1];
}

void http_metrics_observe(const char *route, int method, int status, double seconds)
{
    struct metrics_shard *m = shard_get();
    if (!route)
        route = "unmatched";
    pthread_mutex_lock(&m->lock);
    row_of(m->rows, &m->nrows, route, method, status)->count++;
    for (size_t b = 0; b < NBUCKETS; b++)
        if (seconds <= bucket_le[b])
            m->bucket_count[b]++;
    m->hist_count++;
    m->hist_sum += seconds;
    pthread_mutex_unlock(&m->lock);
}

static void put_label(buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            buf_printf(out, "\\%c", *s);
        else if (*s == '\n')
            buf_puts(out, "\\n");
        else
            buf_append(out, s, 1);
    }
}

void http_metrics(struct http_req *req)
{
    buf *out = &req->out;
    struct metrics_row *rows = arena_alloc(req->arena, sizeof *rows * METRICS_ROWS);
    uint64_t bucket_count[NBUCKETS] = {0}, hist_count = 0;
    double hist_sum = 0;
    int nrows = 0;

    pthread_mutex_lock(&shards_lock);
    for (struct metrics_shard *m = shards; m; m = m->next) {
        pthread_mutex_lock(&m->lock);
        for (int i = 0; i < m->nrows; i++)
            row_of(rows, &nrows, m->rows[i].route, m->rows[i].method, m->rows[i].status)
                ->count += m->rows[i].count;
        for (size_t b = 0; b < NBUCKETS; b++)
            bucket_count[b] += m->bucket_count[b];
        hist_count += m->hist_count;
        hist_sum += m->hist_sum;
        pthread_mutex_unlock(&m->lock);
    }
    pthread_mutex_unlock(&shards_lock);

    buf_reset(out);
    buf_puts(out, "# HELP http_requests_total HTTP requests by route pattern, method and status.\n"
                  "# TYPE http_requests_total counter\n");
    for (int i = 0; i < nrows; i++) {
        buf_puts(out, "http_requests_total{route=\"");
        put_label(out, rows[i].route);
        buf_printf(out, "\",method=\"%s\",status=\"%d\"} %llu\n", http_method_name(rows[i].method),
                   rows[i].status, (unsigned long long)rows[i].count);
    }
    buf_puts(out, "# HELP http_request_duration_seconds Time from request read to reply sent.\n"
                  "# TYPE http_request_duration_seconds histogram\n");
    for (size_t b = 0; b < NBUCKETS; b++)
        buf_printf(out, "http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bucket_le[b],
                   (unsigned long long)bucket_count[b]);
    buf_printf(out, "http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
               (unsigned long long)hist_count);
    buf_printf(out, "http_request_duration_seconds_sum %.6f\n", hist_sum);
    buf_printf(out, "http_request_duration_seconds_count %llu\n", (unsigned long long)hist_count);
    buf_printf(out, "# HELP db_errors_total Database errors seen by handlers.\n"
                    "# TYPE db_errors_total counter\n"
                    "db_errors_total %llu\n", (unsigned long long)atomic_load(&db_errors));
    req->status = 200;
    req->content_type = "text/plain; version=0.0.4";
}
