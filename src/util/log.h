/*
 * log: one JSON object per line on stderr, written with a single write(2) so lines
 * from different threads never interleave. Fields are key/value string pairs ended
 * by NULL; values are escaped here. Callers format numbers themselves. Never pass
 * a NIK, KK, password, token or code: the log is read by operators.
 *
 *   log_kv(LOG_INFO, "http.request", "method", "GET", "status", "200", NULL);
 */
#ifndef PK_LOG_H
#define PK_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level min);
void log_kv(enum log_level lvl, const char *event, ...) __attribute__((sentinel));

#endif
