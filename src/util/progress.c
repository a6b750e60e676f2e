/*
 * progress: see progress.h. Time comes from CLOCK_MONOTONIC; a redraw happens when
 * 100 ms (terminal) or 5 s (plain lines) have passed since the last one, so calling
 * progress_update for every item costs one clock read. Each redraw is one write to
 * stderr so it does not interleave with other output.
 */
#include "util/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int forced_tty = -1;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void progress_force_tty(int tty)
{
    forced_tty = tty;
}

static void fmt_secs(char *out, size_t n, double s)
{
    long t = s < 0 ? 0 : (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, n, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else
        snprintf(out, n, "%ldm%02lds", t / 60, t % 60);
}

static void draw(struct progress *p, int final)
{
    char line[512], eta[96] = "";
    double el = (double)(now_ns() - p->start_ns) / 1e9;
    double rate = el > 0 ? (double)p->done / el : 0;
    int len;

    if (p->total > 0) {
        double frac = (double)p->done / (double)p->total;
        int width = 30, fill;
        char bar[31];
        if (frac > 1)
            frac = 1;
        fill = (int)(frac * width);
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(width - fill));
        bar[width] = '\0';
        if (!final && rate > 0) {
            char t[64];
            fmt_secs(t, sizeof t, (double)(p->total - p->done) / rate);
            snprintf(eta, sizeof eta, " ETA %s", t);
        } else if (final) {
            char t[64];
            fmt_secs(t, sizeof t, el);
            snprintf(eta, sizeof eta, " in %s", t);
        }
        if (p->tty)
            len = snprintf(line, sizeof line, "\r%s [%s] %5.1f%% %ld/%ld %.0f/s%s\033[K%s",
                           p->what, bar, frac * 100, p->done, p->total, rate, eta,
                           final ? "\n" : "");
        else
            len = snprintf(line, sizeof line, "%s: %.1f%% %ld/%ld %.0f/s%s\n", p->what,
                           frac * 100, p->done, p->total, rate, eta);
    } else {
        if (p->tty)
            len = snprintf(line, sizeof line, "\r%s %ld %.0f/s\033[K%s", p->what, p->done,
                           rate, final ? "\n" : "");
        else
            len = snprintf(line, sizeof line, "%s: %ld %.0f/s\n", p->what, p->done, rate);
    }
    if (len > 0) {
        if ((size_t)len >= sizeof line)
            len = (int)sizeof line - 1;
        ssize_t w = write(STDERR_FILENO, line, (size_t)len);
        (void)w;
    }
    p->drawn = 1;
}

void progress_start(struct progress *p, const char *what, long total)
{
    memset(p, 0, sizeof *p);
    p->what = what ? what : "";
    p->total = total;
    p->tty = forced_tty >= 0 ? forced_tty : isatty(STDERR_FILENO);
    p->start_ns = p->last_ns = now_ns();
}

void progress_update(struct progress *p, long done)
{
    int64_t t = now_ns();
    int64_t every = p->tty ? 100000000 : 5000000000LL;
    p->done = done;
    if (t - p->last_ns < every)
        return;
    p->last_ns = t;
    draw(p, 0);
}

void progress_finish(struct progress *p)
{
    draw(p, 1);
}

void progress_stages_init(struct progress_stages *s, const char *prefix)
{
    memset(s, 0, sizeof *s);
    s->prefix = prefix ? prefix : "";
}

void progress_stage(void *ctx, const char *stage, long done, long total)
{
    struct progress_stages *s = ctx;
    char label[64];

    snprintf(label, sizeof label, "%s%s", s->prefix, stage);
    if (!s->on || strcmp(s->what, label) != 0) {
        if (s->on)
            progress_finish(&s->p);
        snprintf(s->what, sizeof s->what, "%s", label);
        progress_start(&s->p, s->what, total);
        s->on = 1;
    }
    if (total > s->p.total)
        s->p.total = total;
    progress_update(&s->p, done);
}

void progress_stages_finish(struct progress_stages *s)
{
    if (s->on)
        progress_finish(&s->p);
    s->on = 0;
}
