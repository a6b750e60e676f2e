/*
 * log: one JSON object per line on stderr. Fields are key/value string pairs ended
 * by NULL; values are escaped here. Callers format numbers themselves. Never pass
 * a NIK, KK, password, token or code: the log is read by operators.
 *
 *   log_kv(LOG_INFO, "http.request", "method", "GET", "status", "200", NULL);
 *
 * By default every line is written at once with a single write(2), so lines from
 * different threads never interleave. A busy thread (an HTTP event loop writes one
 * line per request) may instead buffer its own lines: after log_buffer_thread(1)
 * its debug and info lines collect in a per-thread buffer of at most PIPE_BUF bytes
 * of whole lines, written with one write(2) (still atomic on a pipe) when the next
 * line would not fit, when the thread logs a warning or an error (after the lines
 * before it, so the order holds), and whenever the thread calls log_flush(). A
 * thread that buffers must call log_flush() before it exits and should call it
 * now and then while idle (the HTTP loops do so within 100 ms of a line).
 */
#ifndef PK_LOG_H
#define PK_LOG_H
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level min);
void log_kv(enum log_level lvl, const char *event, ...) __attribute__((sentinel));

/* Turns buffering of this thread's debug/info lines on (1) or off (0, which
 * flushes first). */
void log_buffer_thread(int on);
/* Writes this thread's buffered lines; a no-op when there are none. */
void log_flush(void);
/* Bytes waiting in this thread's buffer. */
size_t log_pending(void);

#endif
