/*
 * progress: a progress bar on stderr for long jobs (region import, bulk account
 * import, demo data). On a terminal it redraws one line in place, at most ten
 * times a second, with the percentage, the rate per second and the time left;
 * when stderr is not a terminal (a log file, a CI job) it prints a plain line at
 * most every few seconds instead, so logs stay readable. A total of 0 or less
 * means unknown: the bar then shows the count and rate only.
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

#endif
