/*
 * outbox: `prakerja outbox`, what is waiting to go out by email or SMS, oldest
 * first. Until a gateway adapter exists this is how an operator (or a test) reads
 * verification codes. --json gives one object per line for scripts; --mark-sent
 * marks the printed messages sent, after they have all been printed, so a failed
 * write to stdout leaves them pending.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/outbox.h"
#include "util/utc.h"

struct walk {
    int json;
    int64_t *ids;
    size_t n, cap;
    int failed;
};

static int print_one(void *vctx, const struct outbox_msg *m)
{
    struct walk *w = vctx;
    if (w->json) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)m->id,
                              "channel", m->channel, "recipient", m->recipient, "subject",
                              m->subject ? m->subject : "", "body", m->body, "created_at",
                              (json_int_t)m->created_at);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!s) {
            w->failed = 1;
            return -1;
        }
        printf("%s\n", s);
        free(s);
    } else {
        char when[32];
        utc_format(m->created_at, when, sizeof when);
        printf("#%lld %s to %s at %s\n", (long long)m->id, m->channel, m->recipient, when);
        if (m->subject && *m->subject)
            printf("Subject: %s\n", m->subject);
        printf("\n%s\n\n", m->body);
    }
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        int64_t *p = realloc(w->ids, nc * sizeof *p);
        if (!p) {
            w->failed = 1;
            return -1;
        }
        w->ids = p;
        w->cap = nc;
    }
    w->ids[w->n++] = m->id;
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja outbox [--db PATH] [--json] [--mark-sent]\n\n"
               "Prints the email and SMS messages not yet sent, oldest first.\n\n"
               "  --db PATH    database (default $PRAKERJA_DB or %s)\n"
               "  --json       one JSON object per line: id, channel, recipient, subject,\n"
               "               body, created_at\n"
               "  --mark-sent  mark the printed messages as sent\n",
               CLI_DEFAULT_DB);
}

int cli_outbox(int argc, char **argv)
{
    const char *db_opt = NULL;
    int json = 0, mark = 0;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL}, {"json", NULL, &json}, {"mark-sent", NULL, &mark},
        {NULL, NULL, NULL},
    };
    char *pos[1];
    int npos, help, rc;
    struct walk w = {0};
    db *d = NULL;

    if ((rc = cli_parse("outbox", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    w.json = json;
    rc = 1;
    if (outbox_pending(d, 0, print_one, &w) != DB_OK || w.failed) {
        fprintf(stderr, "prakerja outbox: cannot read the outbox: %s\n", db_errmsg(d));
        goto out;
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "prakerja outbox: cannot write the messages; none marked sent\n");
        goto out;
    }
    if (mark) {
        int64_t now = cli_now();
        for (size_t i = 0; i < w.n; i++)
            if (outbox_mark_sent(d, w.ids[i], now) != DB_OK) {
                fprintf(stderr, "prakerja outbox: cannot mark message %lld sent: %s\n",
                        (long long)w.ids[i], db_errmsg(d));
                goto out;
            }
        if (!json)
            fprintf(stderr, "marked %zu message%s sent\n", w.n, w.n == 1 ? "" : "s");
    }
    rc = 0;
out:
    free(w.ids);
    db_close(d);
    return rc;
}
