/*
 * support: small helpers the test suites share: running a shell command line and
 * reading a monotonic clock. Header-only (static inline) so each test executable
 * takes what it uses without a library of its own.
 */
#ifndef PK_TEST_SUPPORT_H
#define PK_TEST_SUPPORT_H
#include <criterion/criterion.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

/* Runs a command line; its stdout, trailing newlines cut, goes into out (NULL:
 * read and dropped). Returns the exit status, 128 when it did not exit. */
static inline int test_run(const char *cmd, char *out, size_t outlen)
{
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    int st;

    cr_assert_not_null(p, "popen %s", cmd);
    if (out) {
        n = fread(out, 1, outlen - 1, p);
        out[n] = '\0';
        while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
            out[--n] = '\0';
    }
    {
        char sink[4096];
        while (fread(sink, 1, sizeof sink, p) > 0)
            ;
    }
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Seconds on the monotonic clock. */
static inline double test_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
