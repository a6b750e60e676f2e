/*
 * progress: a progress bar on stderr for long jobs (region import, bulk account
 * import, demo data). On a terminal it redraws one line in place, at most ten
 * times a second, with the percentage, the rate per second and the time left;
 * when stderr is not a terminal (a log file, a CI job) it prints a plain line at
 * most every few seconds instead, so logs stay readable. A total of 0 or less
 * means unknown: the bar then shows the count and rate only. A job that goes
 * through stages (the draw: keys, drawing, writing, cards) reports to
 * progress_stage, which gives each stage a bar of its own.
 */
#ifndef PK_PROGRESS_H
#define PK_PROGRESS_H
#include <stdint.h>

struct progress {
    const char *what;       /* label, not copied: must outlive the bar */
    long total;
    long done;
    int tty;
    int64_t start_ns, last_ns;
    int drawn;
};

/* Starts a bar; what is borrowed. */
void progress_start(struct progress *p, const char *what, long total);
/* Records that done items of total are finished; redraws when due. */
void progress_update(struct progress *p, long done);
/* Draws the final state and ends the line. */
void progress_finish(struct progress *p);
/* Forces plain-line mode on or off (tests); -1 restores the isatty() choice. */
void progress_force_tty(int tty);

/* A bar per stage for a job that reports (stage, done, total) as it goes. */
struct progress_stages {
    struct progress p;
    const char *prefix;     /* put before each stage's name, not copied */
    char what[64];          /* the label of the bar shown */
    int on;                 /* 1 while a bar is shown */
};

/* Prepares s; nothing is drawn before the first report. */
void progress_stages_init(struct progress_stages *s, const char *prefix);
/* The report, with ctx a struct progress_stages (the shape of waves_draw's
 * progress callback): a stage other than the current one ends the current bar
 * and starts a bar labelled prefix + stage; a total larger than the bar's raises
 * it; then done is recorded. */
void progress_stage(void *ctx, const char *stage, long done, long total);
/* Ends the bar shown, if any. */
void progress_stages_finish(struct progress_stages *s);

#endif
