/*
 * metrics: process-wide counters for GET /metrics, in Prometheus text format 0.0.4.
 * Requests are counted by (route pattern, method, status) in a fixed table under a
 * mutex (route strings are the route table's own patterns, so they live as long as
 * the process); rows past the table's size are counted under route "other". The
 * latency histogram uses Prometheus's default buckets; database errors are an atomic.
 */
#include "http/internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
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

static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metrics_row rows[METRICS_ROWS];
static int nrows;
static uint64_t bucket_count[NBUCKETS];
static uint64_t hist_count;
static double hist_sum;
static atomic_ullong db_errors;

void http_count_db_error(void)
{
    atomic_fetch_add(&db_errors, 1);
}

void http_metrics_observe(const char *route, int method, int status, double seconds)
{
    if (!route)
        route = "unmatched";
    pthread_mutex_lock(&metrics_lock);
    int i;
    for (i = 0; i < nrows; i++)
        if (rows[i].method == method && rows[i].status == status &&
            strcmp(rows[i].route, route) == 0)
            break;
    if (i == nrows) {
        if (nrows < METRICS_ROWS - 1) {
            rows[nrows++] = (struct metrics_row){route, method, status, 0};
        } else {
            i = METRICS_ROWS - 1;
            if (nrows == METRICS_ROWS - 1)
                rows[nrows++] = (struct metrics_row){"other", 0, 0, 0};
        }
    }
    rows[i].count++;
    for (size_t b = 0; b < NBUCKETS; b++)
        if (seconds <= bucket_le[b])
            bucket_count[b]++;
    hist_count++;
    hist_sum += seconds;
    pthread_mutex_unlock(&metrics_lock);
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
    buf_reset(out);
    buf_puts(out, "# HELP http_requests_total HTTP requests by route pattern, method and status.\n"
                  "# TYPE http_requests_total counter\n");
    pthread_mutex_lock(&metrics_lock);
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
    pthread_mutex_unlock(&metrics_lock);
    buf_printf(out, "# HELP db_errors_total Database errors seen by handlers.\n"
                    "# TYPE db_errors_total counter\n"
                    "db_errors_total %llu\n", (unsigned long long)atomic_load(&db_errors));
    req->status = 200;
    req->content_type = "text/plain; version=0.0.4";
}
