/*
 * log: builds the line in a stack buffer (longer values are cut), then writes it
 * at once or, on a thread that buffers, appends it to that thread's buffer. The
 * buffer holds at most PIPE_BUF bytes of whole lines, so its one write(2) is as
 * atomic as an unbuffered line's. Each thread keeps the text of the current UTC
 * second ("2026-01-31T23:59:59") and formats the rest by hand: gmtime_r and
 * snprintf ran once per line before and cost more than the line's write.
 */
#include "util/log.h"

#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 4096
#define LOG_BUF_MAX PIPE_BUF

static enum log_level min_level = LOG_INFO;

struct log_thread {
    int buffered;
    size_t len;
    time_t sec;                /* the second whose text is in stamp; -1 = none */
    char stamp[24];            /* "YYYY-MM-DDTHH:MM:SS" */
    char data[LOG_BUF_MAX];
};

static _Thread_local struct log_thread tl = {.sec = -1};

void log_set_level(enum log_level min)
{
    min_level = min;
}

static void write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

void log_flush(void)
{
    if (tl.len) {
        write_all(tl.data, tl.len);
        tl.len = 0;
    }
}

size_t log_pending(void)
{
    return tl.len;
}

void log_buffer_thread(int on)
{
    if (!on)
        log_flush();
    tl.buffered = on;
}

static size_t put_escaped(char *out, size_t pos, size_t cap, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (; *s && pos + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[pos++] = '\\';
            out[pos++] = (char)c;
        } else if (c < 0x20) {
            out[pos++] = '\\';
            out[pos++] = 'u';
            out[pos++] = '0';
            out[pos++] = '0';
            out[pos++] = hex[c >> 4];
            out[pos++] = hex[c & 15];
        } else {
            out[pos++] = (char)c;
        }
    }
    return pos;
}

static char *put_digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static size_t put_str(char *out, size_t pos, const char *s)
{
    size_t n = strlen(s);
    memcpy(out + pos, s, n);
    return pos + n;
}

/* Writes {"ts":"...","level":"...","event":" and returns the length. */
static size_t put_head(char *line, enum log_level lvl)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != tl.sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        char *p = tl.stamp;
        p = put_digits(p, (unsigned)(tm.tm_year + 1900) % 10000, 4);
        *p++ = '-';
        p = put_digits(p, (unsigned)tm.tm_mon + 1, 2);
        *p++ = '-';
        p = put_digits(p, (unsigned)tm.tm_mday, 2);
        *p++ = 'T';
        p = put_digits(p, (unsigned)tm.tm_hour, 2);
        *p++ = ':';
        p = put_digits(p, (unsigned)tm.tm_min, 2);
        *p++ = ':';
        p = put_digits(p, (unsigned)tm.tm_sec, 2);
        *p = '\0';
        tl.sec = ts.tv_sec;
    }
    size_t pos = put_str(line, 0, "{\"ts\":\"");
    pos = put_str(line, pos, tl.stamp);
    line[pos++] = '.';
    put_digits(line + pos, (unsigned)(ts.tv_nsec / 1000000), 3);
    pos += 3;
    pos = put_str(line, pos, "Z\",\"level\":\"");
    pos = put_str(line, pos, names[lvl]);
    return put_str(line, pos, "\",\"event\":\"");
}

void log_kv(enum log_level lvl, const char *event, ...)
{
    if (lvl < min_level)
        return;
    char line[LOG_LINE_MAX];
    size_t pos = put_head(line, lvl);
    pos = put_escaped(line, pos, sizeof line - 8, event);
    line[pos++] = '"';
    va_list ap;
    va_start(ap, event);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        if (pos + 8 >= sizeof line - 8)
            break;
        line[pos++] = ',';
        line[pos++] = '"';
        pos = put_escaped(line, pos, sizeof line - 8, k);
        line[pos++] = '"';
        line[pos++] = ':';
        line[pos++] = '"';
        pos = put_escaped(line, pos, sizeof line - 8, v ? v : "");
        line[pos++] = '"';
    }
    va_end(ap);
    line[pos++] = '}';
    line[pos++] = '\n';
    if (!tl.buffered) {
        write_all(line, pos);
        return;
    }
    if (tl.len + pos > sizeof tl.data)
        log_flush();
    memcpy(tl.data + tl.len, line, pos);
    tl.len += pos;
    if (lvl >= LOG_WARN)
        log_flush();
}
