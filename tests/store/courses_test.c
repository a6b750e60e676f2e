/*
 * Tests of the course catalog in the store (src/store/courses.c) on a migrated
 * database of the engine under test (tmpdb.h), with two providers inserted as
 * partners rows:
 *   - the life of a course: draft, edits, submit, approval only with a session,
 *     rejection with its reason, edits refused once pending or approved, another
 *     provider's course not found, withdrawal; every change in the audit chain;
 *   - sessions: one for a self-paced course, a start time in the future for
 *     live ones, none added to a withdrawn course;
 *   - what purchases rely on: seats taken up to capacity and given back, the
 *     single session of a course, lookups by public id, ratings;
 *   - search over 3,000 generated approved courses (and a few that are not
 *     approved): every query's pages, followed cursor by cursor, give exactly
 *     the courses a brute-force scan of the generated data finds, in (price, id)
 *     order, with no duplicate and no gap; accents and case are folded; the plan
 *     looks the words up through course_terms' primary key and starts a later
 *     page inside the filter's index at the cursor.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpdb.h"
#include "core/catalog.h"
#include "core/terms.h"
#include "store/audit.h"
#include "store/courses.h"
#include "store/db.h"

TestSuite(courses, .init = tmpdb_setup, .fini = tmpdb_teardown, .timeout = 170);

#define T0 1796083200LL /* 1 Dec 2026 00:00 UTC */

static int64_t provider(db *d, const char *pid, const char *name)
{
    int64_t id = 0;
    db_val p[] = {DB_TEXT(pid), DB_TEXT(name)};
    cr_assert_eq(db_one_int(d, "INSERT INTO partners (public_id, kind, name, legal_name, tax_id, "
                               "status, created_at) VALUES ($1, 'provider', $2, $2, "
                               "'0123456789012345', 'active', 1) RETURNING id",
                            p, 2, &id),
                 DB_OK, "%s", db_errmsg(d));
    return id;
}

static db *open_db(int64_t *p1, int64_t *p2)
{
    db *d = tmpdb_migrated("c.db");
    *p1 = provider(d, "aaaaaaaaaaaaaaaaaaaaaaaaaa", "Lembaga Satu");
    if (p2)
        *p2 = provider(d, "bbbbbbbbbbbbbbbbbbbbbbbbbb", "Lembaga Dua");
    return d;
}

static struct course_fields fields(const char *title, const char *mode)
{
    int located = catalog_mode_located(mode);
    struct course_fields f = {
        .title = title, .description = "Belajar menyeduh kopi dan mengelola kedai.",
        .category = "food_beverage", .level = "basic", .purpose = "new_skill", .mode = mode,
        .regency_code = located ? "35.09" : NULL, .address = located ? "Jl. Kalimantan 37" : NULL,
        .hours = 16, .price = 750000};
    return f;
}

static int64_t count(db *d, const char *sql, int64_t id)
{
    int64_t v = -1;
    db_val p = DB_INT(id);
    cr_assert_eq(db_one_int(d, sql, &p, 1, &v), DB_OK, "%s: %s", sql, db_errmsg(d));
    return v;
}

Test(courses, lifecycle_and_audit)
{
    int64_t p1, p2, bad = -1;
    db *d = open_db(&p1, &p2);
    struct course c, c2;
    struct course_fields f = fields("Barista Pemula", "webinar");
    struct course_session s;
    struct course_text t;
    struct field_error err;
    int min = -1;

    cr_assert_eq(courses_min_hours(d, &min), DB_OK);
    cr_assert_eq(min, 15, "the smaller of the two shipped schemes' minimum hours");

    cr_assert_eq(courses_create(d, p1, &f, T0, "partner:test", &c), DB_OK, "%s", db_errmsg(d));
    cr_assert_str_eq(c.status, "draft");
    cr_assert_str_eq(c.provider_name, "Lembaga Satu");
    cr_assert_str_eq(c.provider_public_id, "aaaaaaaaaaaaaaaaaaaaaaaaaa");
    cr_assert_eq(strlen(c.public_id), COURSES_PUBLIC_ID_LEN);
    cr_assert_eq(c.created_at, T0);
    cr_assert_gt(count(d, "SELECT COUNT(*) FROM course_terms WHERE course_id = $1", c.id), 5);

    /* Another provider sees nothing. */
    cr_assert_eq(courses_update(d, p2, c.public_id, &f, T0, "x", &c2), DB_ENOTFOUND);
    cr_assert_eq(courses_submit(d, p2, c.public_id, T0, "x", &c2), DB_ENOTFOUND);

    /* Edits rewrite the words. */
    f.title = "Seni Latte Lanjutan";
    f.description = "Membuat pola latte art untuk kedai.";
    cr_assert_eq(courses_update(d, p1, c.public_id, &f, T0 + 1, "partner:test", &c), DB_OK);
    cr_assert_str_eq(c.title, "Seni Latte Lanjutan");
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM course_terms WHERE course_id = $1 AND "
                          "term = 'barista'", c.id), 0);
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM course_terms WHERE course_id = $1 AND "
                          "term = 'latte'", c.id), 1);

    /* Pending: no edits, no second submit, no approval without a session. */
    cr_assert_eq(courses_submit(d, p1, c.public_id, T0 + 2, "partner:test", &c), DB_OK);
    cr_assert_str_eq(c.status, "pending");
    cr_assert_eq(courses_update(d, p1, c.public_id, &f, T0, "x", &c2), COURSES_NOT_EDITABLE);
    cr_assert_eq(courses_submit(d, p1, c.public_id, T0, "x", &c2), COURSES_BAD_STATE);
    cr_assert_eq(courses_review(d, c.public_id, 1, NULL, 0, T0 + 3, "cli", &c2),
                 COURSES_NO_SESSIONS);

    /* Rejection keeps its reason until the provider edits the course again. */
    cr_assert_eq(courses_review(d, c.public_id, 0, "Silabus kurang jelas", 0, T0 + 3, "cli", &c),
                 DB_OK);
    cr_assert_str_eq(c.status, "rejected");
    cr_assert_eq(c.reviewed_at, T0 + 3);
    cr_assert_eq(courses_text(d, c.id, &t), DB_OK);
    cr_assert_str_eq(t.reject_reason, "Silabus kurang jelas");
    cr_assert_str_eq(t.description, "Membuat pola latte art untuk kedai.");
    cr_assert_str_eq(t.address, "");
    cr_assert_eq(courses_review(d, c.public_id, 0, "lagi", 0, T0, "cli", &c2), COURSES_BAD_STATE);
    cr_assert_eq(courses_update(d, p1, c.public_id, &f, T0 + 4, "partner:test", &c), DB_OK);
    cr_assert_str_eq(c.status, "draft");
    cr_assert_eq(courses_text(d, c.id, &t), DB_OK);
    cr_assert_str_eq(t.reject_reason, "");

    /* A live session must start in the future. */
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 0, 0, 20, T0, "x", &err, &s),
                 COURSES_INVALID);
    cr_assert_str_eq(err.code, "session.starts_at_required");
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 1, T0, 20, T0, "x", &err, &s),
                 COURSES_INVALID);
    cr_assert_str_eq(err.code, "session.starts_at_past");
    cr_assert_eq(courses_session_add(d, p2, c.public_id, 1, T0 + 99, 20, T0, "x", &err, &s),
                 DB_ENOTFOUND);
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 1, T0 + 86400, 20, T0, "partner:test",
                                     &err, &s), DB_OK);
    cr_assert_eq(s.starts_at, T0 + 86400);
    cr_assert_eq(s.capacity, 20);
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 1, T0 + 7200, 5, T0, "partner:test",
                                     &err, &s), DB_OK, "live courses take several sessions");

    cr_assert_eq(courses_submit(d, p1, c.public_id, T0 + 5, "partner:test", &c), DB_OK);
    cr_assert_eq(courses_review(d, c.public_id, 1, NULL, 0, T0 + 6, "cli", &c), DB_OK);
    cr_assert_str_eq(c.status, "approved");
    cr_assert_eq(courses_update(d, p1, c.public_id, &f, T0, "x", &c2), COURSES_NOT_EDITABLE);
    cr_assert_eq(courses_review(d, c.public_id, 1, NULL, 0, T0, "cli", &c2), COURSES_BAD_STATE);
    {
        struct course_session all[4];
        int n = 0;
        cr_assert_eq(courses_sessions(d, c.id, all, 4, &n), DB_OK);
        cr_assert_eq(n, 2);
        cr_assert_eq(all[0].starts_at, T0 + 7200, "in start order");
        cr_assert_eq(all[1].starts_at, T0 + 86400);
    }

    /* Withdrawn: off the catalog, no more sessions, cannot be withdrawn twice. */
    cr_assert_eq(courses_withdraw(d, p1, c.public_id, T0 + 7, "partner:test", &c), DB_OK);
    cr_assert_str_eq(c.status, "withdrawn");
    cr_assert_eq(courses_withdraw(d, p1, c.public_id, T0 + 7, "x", &c2), COURSES_BAD_STATE);
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 1, T0 + 9999, 5, T0, "x", &err, &s),
                 COURSES_NOT_EDITABLE);

    /* Every change is in the audit chain, and the chain holds. */
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'course.%' AND "
                          "at >= $1", T0),
                 10);
    cr_assert_eq(audit_verify(d, &bad), DB_OK);
    cr_assert_eq(bad, 0);
    cr_assert_str_eq(courses_code(COURSES_NO_SESSIONS), "course.no_sessions");
    cr_assert_str_eq(courses_code(DB_ENOTFOUND), "course.not_found");
    cr_assert_null(courses_code(DB_ERR));
    db_close(d);
}

Test(courses, self_paced_seats_and_ratings)
{
    int64_t p1;
    db *d = open_db(&p1, NULL);
    struct course c, byid;
    struct course_fields f = fields("Excel untuk Kantor", "self_paced");
    struct course_session s, one, again;
    struct field_error err;
    int taken = -1;

    cr_assert_eq(courses_create(d, p1, &f, T0, "t", &c), DB_OK);
    cr_assert_eq(courses_single_session(d, c.id, &one), DB_ENOTFOUND, "no session yet");
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 1, T0 + 999, 2, T0, "t", &err, &s),
                 COURSES_INVALID);
    cr_assert_str_eq(err.code, "session.starts_at_self_paced");
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 0, 0, 0, T0, "t", &err, &s),
                 COURSES_INVALID);
    cr_assert_str_eq(err.code, "session.capacity_invalid");
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 0, 0, 2, T0, "t", &err, &s), DB_OK);
    cr_assert_eq(s.starts_at, 0);
    cr_assert_eq(courses_session_add(d, p1, c.public_id, 0, 0, 2, T0, "t", &err, &again),
                 COURSES_ONE_SESSION);

    cr_assert_eq(courses_single_session(d, c.id, &one), DB_OK);
    cr_assert_eq(one.id, s.id);
    cr_assert_eq(courses_session_by_public_id(d, s.public_id, &again), DB_OK);
    cr_assert_eq(again.id, s.id);
    cr_assert_eq(again.course_id, c.id);
    cr_assert_eq(courses_session_by_id(d, s.id, &again), DB_OK);
    cr_assert_str_eq(again.public_id, s.public_id);
    cr_assert_eq(courses_session_by_public_id(d, "zzzzzzzzzzzzzzzzzzzzzzzzzz", &again),
                 DB_ENOTFOUND);
    cr_assert_eq(courses_by_public_id(d, c.public_id, &byid), DB_OK);
    cr_assert_eq(byid.id, c.id);
    cr_assert_str_eq(byid.mode, "self_paced");
    cr_assert_str_eq(byid.regency_code, "");
    cr_assert_eq(byid.price, 750000);
    cr_assert_eq(courses_by_public_id(d, "nope", &byid), DB_ENOTFOUND);

    /* Two seats, then full; a released seat can be taken again. */
    cr_assert_eq(courses_take_seat(d, s.id, &taken), DB_OK);
    cr_assert_eq(taken, 1);
    cr_assert_eq(courses_take_seat(d, s.id, &taken), DB_OK);
    cr_assert_eq(taken, 1);
    cr_assert_eq(courses_take_seat(d, s.id, &taken), DB_OK);
    cr_assert_eq(taken, 0, "full");
    cr_assert_eq(courses_session_by_id(d, s.id, &again), DB_OK);
    cr_assert_eq(again.seats_taken, 2);
    cr_assert_eq(courses_release_seat(d, s.id), DB_OK);
    cr_assert_eq(courses_take_seat(d, s.id, &taken), DB_OK);
    cr_assert_eq(taken, 1);
    cr_assert_eq(courses_release_seat(d, s.id), DB_OK);
    cr_assert_eq(courses_release_seat(d, s.id), DB_OK);
    cr_assert_eq(courses_release_seat(d, s.id), DB_OK, "never below zero");
    cr_assert_eq(courses_session_by_id(d, s.id, &again), DB_OK);
    cr_assert_eq(again.seats_taken, 0);

    cr_assert_eq(courses_add_rating(d, c.id, 5), DB_OK);
    cr_assert_eq(courses_add_rating(d, c.id, 4), DB_OK);
    cr_assert_neq(courses_add_rating(d, c.id, 6), DB_OK);
    cr_assert_neq(courses_add_rating(d, c.id, 0), DB_OK);
    cr_assert_eq(courses_by_id(d, c.id, &byid), DB_OK);
    cr_assert_eq(byid.rating_sum, 9);
    cr_assert_eq(byid.rating_count, 2);
    db_close(d);
}

/* ---- search ---- */

#define NCOURSES 3000
#define PAGE 37

static const char *const vocab[] = {
    "pemasaran", "digital", "barista", "kopi", "desain", "grafis", "akuntansi", "bahasa",
    "inggris", "jepang", "menjahit", "kue", "roti", "fotografi", "videografi", "excel",
    "kewirausahaan", "ekspor", "logistik", "gudang", "perhotelan", "tata", "boga", "rias",
    "pengelasan", "listrik", "otomotif", "hidroponik", "ikan", "budidaya", "jaringan",
    "komputer", "pemrograman", "web", "android", "data", "analisis", "keuangan", "pajak",
    "Café", "Crème", "Pâtisserie", "ÜBER", "Łódź", "a", "x9",
};
#define NVOCAB ((int)(sizeof vocab / sizeof vocab[0]))
static const char *const modes[] = {"self_paced", "webinar", "offline", "hybrid"};
static const char *const regencies[] = {"35.09", "35.10", "32.01"};

struct gen {
    struct course c;
    char text[440];                  /* title + " " + description */
};

static struct gen *gens;
static int ngens;

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) & 0xffffff;
}

static void words(char *out, size_t cap, int n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", vocab[rnd() % NVOCAB]);
}

struct gen_ctx {
    int64_t provider;
};

static int generate(db *d, void *vctx)
{
    struct gen_ctx *g = vctx;
    int i;
    for (i = 0; i < NCOURSES + 100; i++) {
        char title[120], desc[300];
        const char *mode = modes[rnd() % 4];
        int located = catalog_mode_located(mode);
        words(title, sizeof title, 2 + (int)(rnd() % 3));
        words(desc, sizeof desc, 5 + (int)(rnd() % 8));
        struct course_fields f = {
            .title = title, .description = desc,
            .category = catalog_categories(NULL)[rnd() % 15].code,
            .level = rnd() % 2 ? "basic" : "high_skill", .purpose = "upskilling", .mode = mode,
            .regency_code = located ? regencies[rnd() % 3] : NULL,
            .address = located ? "Jl. Contoh 1" : NULL, .hours = 20,
            .price = (int64_t)(rnd() % 60) * 50000};
        /* The last hundred are not approved: they must never show. */
        const char *status = i < NCOURSES ? "approved" : (i % 2 ? "pending" : "withdrawn");
        struct gen *x = &gens[ngens];
        int rc = courses_insert(d, g->provider, &f, status, T0, &x->c);
        if (rc != DB_OK)
            return rc;
        snprintf(x->text, sizeof x->text, "%s %s", title, desc);
        ngens++;
    }
    return DB_OK;
}

/* The brute-force answer: approved generated courses matching q, in (price, id)
 * order; returns how many (indexes into gens in idx). */
static int cmp_gen(const void *a, const void *b)
{
    const struct gen *x = &gens[*(const int *)a], *y = &gens[*(const int *)b];
    if (x->c.price != y->c.price)
        return x->c.price < y->c.price ? -1 : 1;
    return x->c.id < y->c.id ? -1 : x->c.id > y->c.id;
}

static int expected(const struct courses_query *q, int *idx)
{
    int n = 0;
    for (int i = 0; i < ngens; i++) {
        const struct course *c = &gens[i].c;
        terms_word w[64];
        int nw = terms_split(gens[i].text, strlen(gens[i].text), w, 64, NULL);
        int ok = strcmp(c->status, "approved") == 0;
        if (q->category && strcmp(c->category, q->category) != 0)
            ok = 0;
        if (q->mode && strcmp(c->mode, q->mode) != 0)
            ok = 0;
        if (q->level && strcmp(c->level, q->level) != 0)
            ok = 0;
        if (q->regency_code && strcmp(c->regency_code, q->regency_code) != 0)
            ok = 0;
        if (q->min_price >= 0 && c->price < q->min_price)
            ok = 0;
        if (q->max_price >= 0 && c->price > q->max_price)
            ok = 0;
        for (int k = 0; ok && k < q->nwords; k++) {
            int hit = 0;
            for (int j = 0; j < nw && !hit; j++)
                hit = strncmp(w[j], q->words[k], strlen(q->words[k])) == 0;
            ok = hit;
        }
        if (ok)
            idx[n++] = i;
    }
    qsort(idx, (size_t)n, sizeof *idx, cmp_gen);
    return n;
}

/* Pages through q with the cursor and compares with the brute-force answer. */
static int check_query(db *d, struct courses_query q, const char *label)
{
    static int idx[NCOURSES + 100];
    static struct course page[PAGE];
    int want = expected(&q, idx), got = 0, more = 1, pages = 0;

    q.limit = PAGE;
    q.after_public_id = NULL;
    while (more) {
        int n = 0;
        cr_assert_eq(courses_search(d, &q, page, &n, &more), DB_OK, "%s: %s", label,
                     db_errmsg(d));
        cr_assert(n == PAGE || !more, "%s: a short page with more after it", label);
        for (int i = 0; i < n; i++, got++) {
            cr_assert_lt(got, want, "%s: more results than expected", label);
            cr_assert_str_eq(page[i].public_id, gens[idx[got]].c.public_id,
                             "%s: result %d differs", label, got);
        }
        if (n > 0) {
            q.after_public_id = gens[idx[got - 1]].c.public_id;
            q.after_price = page[n - 1].price;
        }
        pages++;
        cr_assert_lt(pages, NCOURSES, "%s: endless paging", label);
    }
    cr_assert_eq(got, want, "%s: %d results, expected %d", label, got, want);
    return want;
}

static struct courses_query query(void)
{
    struct courses_query q = {.min_price = -1, .max_price = -1, .limit = PAGE};
    return q;
}

Test(courses, search_pages_match_brute_force)
{
    int64_t p1;
    db *d = open_db(&p1, NULL);
    struct gen_ctx g;
    terms_word w[COURSES_QUERY_WORDS];
    struct courses_query q;
    int n;

    gens = calloc(NCOURSES + 100, sizeof *gens);
    ngens = 0;
    g.provider = p1;
    cr_assert_eq(db_txn(d, generate, &g), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_exec(d, "ANALYZE"), DB_OK, "%s", db_errmsg(d));

    q = query();
    cr_assert_eq(check_query(d, q, "everything"), NCOURSES, "all approved, nothing else");

    q = query();
    q.nwords = terms_split("Pemasaran", 9, w, COURSES_QUERY_WORDS, NULL);
    q.words = w;
    n = check_query(d, q, "one word");
    cr_assert_gt(n, 100);

    q.nwords = terms_split("pem", 3, w, COURSES_QUERY_WORDS, NULL);
    cr_assert_gt(check_query(d, q, "prefix"), n, "pem matches pemasaran and pemrograman");

    q.nwords = terms_split("KOPI, barista!", 14, w, COURSES_QUERY_WORDS, NULL);
    cr_assert_eq(q.nwords, 2);
    n = check_query(d, q, "two words");
    cr_assert_gt(n, 5);

    q.nwords = terms_split("cafe creme", 10, w, COURSES_QUERY_WORDS, NULL);
    cr_assert_gt(check_query(d, q, "accents folded"), 0);
    q.nwords = terms_split("lodz uber", 9, w, COURSES_QUERY_WORDS, NULL);
    cr_assert_gt(check_query(d, q, "Latin Extended-A folded"), 0);
    q.nwords = terms_split("PÂTISS", strlen("PÂTISS"), w, COURSES_QUERY_WORDS, NULL);
    cr_assert_gt(check_query(d, q, "accented query"), 0);
    q.nwords = terms_split("zzz", 3, w, COURSES_QUERY_WORDS, NULL);
    cr_assert_eq(check_query(d, q, "no match"), 0);
    q.nwords = terms_split("x9", 2, w, COURSES_QUERY_WORDS, NULL);
    cr_assert_gt(check_query(d, q, "digits"), 0);

    q = query();
    q.category = "digital_tech";
    q.mode = "webinar";
    cr_assert_gt(check_query(d, q, "category and mode"), 5);
    q = query();
    q.regency_code = "35.09";
    q.min_price = 500000;
    q.max_price = 1500000;
    cr_assert_gt(check_query(d, q, "regency and price range"), 5);
    q = query();
    q.level = "high_skill";
    q.nwords = terms_split("data", 4, w, COURSES_QUERY_WORDS, NULL);
    q.words = w;
    cr_assert_gt(check_query(d, q, "level and a word"), 5);
    q = query();
    q.max_price = 0;
    cr_assert_gt(check_query(d, q, "free courses"), 5);

    /* An unknown cursor is refused rather than starting over. */
    {
        struct course page[PAGE];
        int more;
        q = query();
        q.after_public_id = "zzzzzzzzzzzzzzzzzzzzzzzzzz";
        cr_assert_eq(courses_search(d, &q, page, &n, &more), DB_ENOTFOUND);
    }

    /* The words are looked up through course_terms' primary key. */
    {
        char plan[4096];
        q = query();
        q.nwords = terms_split("barista kopi", 12, w, COURSES_QUERY_WORDS, NULL);
        q.words = w;
        cr_assert_eq(courses_search_explain(d, &q, plan, sizeof plan), DB_OK, "%s",
                     db_errmsg(d));
        if (tmpdb_engine() == DB_SQLITE)
            cr_assert(strstr(plan, "USING COVERING INDEX sqlite_autoindex_course_terms_1 "
                                   "(term>? AND term<?)") != NULL,
                      "plan:\n%s", plan);
        else
            cr_assert(strstr(plan, "course_terms_pkey") != NULL, "plan:\n%s", plan);
        cr_assert(strstr(plan, "SCAN course_terms") == NULL, "plan:\n%s", plan);
        cr_assert(strstr(plan, "Seq Scan on course_terms") == NULL, "plan:\n%s", plan);

        /* A later page starts inside the filter's index, past the cursor. */
        q = query();
        q.category = "digital_tech";
        q.after_public_id = gens[5].c.public_id;
        q.after_price = 100000;
        cr_assert_eq(courses_search_explain(d, &q, plan, sizeof plan), DB_OK);
        if (tmpdb_engine() == DB_SQLITE)
            cr_assert(strstr(plan, "USING INDEX courses_status_category (status=? AND "
                                   "category=? AND price>?)") != NULL,
                      "plan:\n%s", plan);
        else
            cr_assert(strstr(plan, "Index Cond: ((status = 'approved'::text) AND (category = "
                                   "'digital_tech'::text) AND (ROW(price, id) > ROW(") != NULL,
                      "plan:\n%s", plan);
    }
    free(gens);
    db_close(d);
}

Test(courses, lists_by_provider_and_status)
{
    int64_t p1, p2;
    db *d = open_db(&p1, &p2);
    struct course c, page[3];
    struct course_fields f = fields("Menjahit Dasar", "offline");
    char first[5][COURSES_PUBLIC_ID_LEN + 1];
    int n, more;

    for (int i = 0; i < 5; i++) {
        cr_assert_eq(courses_create(d, i < 4 ? p1 : p2, &f, T0 + i, "t", &c), DB_OK);
        strcpy(first[i], c.public_id);
        if (i % 2)
            cr_assert_eq(courses_submit(d, i < 4 ? p1 : p2, c.public_id, T0, "t", &c), DB_OK);
    }
    cr_assert_str_eq(c.regency_code, "35.09");
    cr_assert_eq(courses_list(d, p1, NULL, NULL, 3, page, &n, &more), DB_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(more, 1);
    cr_assert_str_eq(page[0].public_id, first[0]);
    cr_assert_str_eq(page[2].public_id, first[2]);
    cr_assert_eq(courses_list(d, p1, NULL, page[2].public_id, 3, page, &n, &more), DB_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(more, 0);
    cr_assert_str_eq(page[0].public_id, first[3]);
    cr_assert_eq(courses_list(d, 0, "pending", NULL, 3, page, &n, &more), DB_OK);
    cr_assert_eq(n, 2, "courses 1 and 3 are the pending ones");
    cr_assert_str_eq(page[0].public_id, first[1]);
    cr_assert_str_eq(page[1].public_id, first[3]);
    cr_assert_eq(courses_list(d, 0, NULL, "nope", 3, page, &n, &more), DB_ENOTFOUND);
    db_close(d);
}
