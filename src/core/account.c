/*
 * account: registration validation (see account.h for the contract).
 *
 * account_validate walks the fields in the fixed order of the API's error list. Each
 * check is a small static function returning NULL or its stable code, so one bad field
 * never hides another. Every string from outside is measured with strnlen against a
 * cap just past its largest legal length, so huge or hostile input costs a bounded
 * scan. Word lists (education, occupation) are short, so they are scanned linearly.
 */
#include "core/account.h"

#include <string.h>

#include "core/text.h"

static const char *const educations[] = {
    "none", "sd", "smp", "sma", "smk", "diploma", "s1", "s2", "s3",
};

static const char *const occupations[] = {
    "unemployed", "laid_off", "employee", "entrepreneur", "farmer_fisher",
    "informal_worker", "student", "homemaker", "civil_servant", "military_police",
    "village_official", "legislator", "soe_director", "other",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *s, const char *const *list, size_t n)
{
    if (s == NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

int account_education_valid(const char *s)
{
    return in_list(s, educations, COUNT(educations));
}

int account_occupation_valid(const char *s)
{
    return in_list(s, occupations, COUNT(occupations));
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_alnum(char c) { return is_alpha(c) || is_digit(c); }

int phone_normalize(const char *in, char out[17])
{
    char digits[24];
    size_t nd = 0, i = 0, n;
    const char *rest;

    out[0] = '\0';
    if (in == NULL || (n = strnlen(in, 33)) > 32 || n == 0)
        return -1;
    if (in[0] == '+')
        i = 1;
    for (; i < n; i++) {
        char c = in[i];
        if (is_digit(c)) {
            if (nd == sizeof digits - 1)
                return -1;
            digits[nd++] = c;
        } else if ((c == ' ' || c == '-' || c == '.') && i > 0 && is_digit(in[i - 1]) &&
                   i + 1 < n && is_digit(in[i + 1])) {
            continue;
        } else {
            return -1;
        }
    }
    digits[nd] = '\0';

    if (in[0] == '+') {
        if (strncmp(digits, "62", 2) != 0)
            return -1;
        rest = digits + 2;
    } else if (strncmp(digits, "62", 2) == 0) {
        rest = digits + 2;
    } else if (digits[0] == '0') {
        rest = digits + 1;
    } else {
        return -1;
    }
    size_t nr = strlen(rest);
    if (rest[0] != '8' || nr < 1 + 7 || nr > 1 + 12)
        return -1;
    memcpy(out, "+62", 3);
    memcpy(out + 3, rest, nr + 1);
    return 0;
}

static int is_atext(char c)
{
    return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

int email_valid(const char *email)
{
    size_t n, at = 0, i;
    int ats = 0;

    if (email == NULL || (n = strnlen(email, ACCOUNT_EMAIL_MAX + 1)) > ACCOUNT_EMAIL_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (email[i] == '@') {
            ats++;
            at = i;
        }
    if (ats != 1 || at == 0 || at > 64 || at + 1 >= n)
        return 0;

    for (i = 0; i < at; i++) {
        char c = email[i];
        if (c == '.') {
            if (i == 0 || i + 1 == at || email[i + 1] == '.')
                return 0;
        } else if (!is_atext(c)) {
            return 0;
        }
    }

    size_t labels = 0, label_start = at + 1;
    for (i = at + 1; i <= n; i++) {
        if (i < n && email[i] != '.') {
            if (!is_alnum(email[i]) && email[i] != '-')
                return 0;
            continue;
        }
        size_t len = i - label_start;
        if (len < 1 || len > 63 || email[label_start] == '-' || email[i - 1] == '-')
            return 0;
        labels++;
        if (i == n) {
            if (len < 2)
                return 0;
            for (size_t k = label_start; k < n; k++)
                if (!is_alpha(email[k]))
                    return 0;
        }
        label_start = i + 1;
    }
    return labels >= 2;
}

int account_parse_date(const char *s, struct nik_date *out)
{
    static const char shape[] = "dddd-dd-dd";

    if (s == NULL || strnlen(s, sizeof shape) != sizeof shape - 1)
        return -1;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
            return -1;
    struct nik_date d = {
        (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
        (s[5] - '0') * 10 + (s[6] - '0'),
        (s[8] - '0') * 10 + (s[9] - '0'),
    };
    if (!nik_date_valid(d))
        return -1;
    *out = d;
    return 0;
}

static int empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static const char *check_email(const char *s, char out[255])
{
    if (!email_valid(s))
        return "email.invalid";
    size_t i = 0;
    for (; s[i]; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    out[i] = '\0';
    return NULL;
}

static const char *check_password(const char *s)
{
    size_t n = strnlen(s, ACCOUNT_PASSWORD_MAX + 1);

    if (n > ACCOUNT_PASSWORD_MAX)
        return "password.too_long";
    if (!text_utf8_valid(s, n))
        return "field.invalid_utf8";
    if (text_utf8_count(s) < ACCOUNT_PASSWORD_MIN)
        return "password.too_short";
    return NULL;
}

/* Code points no name may contain: C0 and C1 controls, DEL, line and paragraph
   separators, bidirectional overrides and isolates (they can make a name display as
   something else), and noncharacters. */
static int name_forbidden(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* A pragmatic "is a letter" without Unicode tables: ASCII letters, and non-ASCII code
   points outside the blocks that hold only symbols, punctuation, marks or emoji. */
static int name_letter(uint32_t cp)
{
    if (cp < 0x80)
        return is_alpha((char)cp);
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xE000 && cp <= 0xF8FF) ||
        (cp >= 0xFE00 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
        (cp >= 0xFFF0 && cp <= 0xFFFF) || cp >= 0x1F000)
        return 0;
    return 1;
}

static const char *check_full_name(const char *s)
{
    size_t n = strnlen(s, ACCOUNT_NAME_MAX + 1), i = 0;
    int letters = 0;
    uint32_t cp;

    if (n > ACCOUNT_NAME_MAX)
        return "full_name.invalid";
    if (!text_utf8_valid(s, n))
        return "field.invalid_utf8";
    while (i < n) {
        int k = text_utf8_decode(s + i, n - i, &cp);
        if (k == 0 || name_forbidden(cp))
            return "full_name.invalid";
        letters += name_letter(cp);
        i += (size_t)k;
    }
    return letters > 0 ? NULL : "full_name.invalid";
}

/* "35.09.15.2001": two digits, dot, two, dot, two, dot, four. */
static int village_shape(const char *s)
{
    static const char shape[] = "dd.dd.dd.dddd";

    if (strnlen(s, sizeof shape) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
            return 0;
    return 1;
}

struct errlist {
    struct field_error *errs;
    int max, n;
};

static void add(struct errlist *l, const char *field, const char *code)
{
    if (code == NULL || l->errs == NULL || l->n >= l->max)
        return;
    l->errs[l->n].field = field;
    l->errs[l->n].code = code;
    l->n++;
}

int account_validate(const struct account_input *in, struct nik_date today,
                     const struct account_checks *chk, struct account_clean *out,
                     struct field_error *errs, int max)
{
    struct errlist l = {errs, max, 0};
    struct nik_info nik;
    const char *code;
    nik_region_fn district_exists = chk != NULL ? chk->district_exists : NULL;
    void *ctx = chk != NULL ? chk->ctx : NULL;
    int nik_ok = 0;

    memset(out, 0, sizeof *out);

    add(&l, "email", empty(in->email) ? "field.required" : check_email(in->email, out->email));

    if (!empty(in->password))
        add(&l, "password", check_password(in->password));
    else if (chk == NULL || chk->require_password)
        add(&l, "password", "field.required");

    add(&l, "full_name", empty(in->full_name) ? "field.required" : check_full_name(in->full_name));

    if (empty(in->nik)) {
        add(&l, "nik", "field.required");
    } else if ((code = nik_parse(in->nik, today, district_exists, ctx, &nik)) != NULL) {
        add(&l, "nik", code);
    } else {
        out->nik = nik;
        nik_ok = 1;
    }

    if (empty(in->kk))
        add(&l, "kk", "field.required");
    else
        add(&l, "kk", kk_parse(in->kk, district_exists, ctx, out->kk_district));

    if (empty(in->birth_date)) {
        add(&l, "birth_date", "field.required");
    } else if (account_parse_date(in->birth_date, &out->birth) < 0 ||
               nik_date_cmp(out->birth, today) > 0) {
        memset(&out->birth, 0, sizeof out->birth);
        add(&l, "birth_date", "birth_date.invalid");
    } else if (nik_ok && nik_date_cmp(out->birth, nik.birth) != 0) {
        add(&l, "birth_date", "birth_date.nik_mismatch");
    }

    if (empty(in->sex)) {
        add(&l, "sex", "field.required");
    } else if (strcmp(in->sex, "F") != 0 && strcmp(in->sex, "M") != 0) {
        add(&l, "sex", "sex.invalid");
    } else if (nik_ok && in->sex[0] != nik.sex) {
        add(&l, "sex", "sex.nik_mismatch");
    } else {
        out->sex = in->sex[0];
    }

    if (empty(in->phone))
        add(&l, "phone", "field.required");
    else if (phone_normalize(in->phone, out->phone) < 0)
        add(&l, "phone", "phone.invalid");

    if (empty(in->village_code)) {
        add(&l, "village_code", "field.required");
    } else if (!village_shape(in->village_code) ||
               (chk != NULL && chk->village_exists != NULL &&
                !chk->village_exists(ctx, in->village_code))) {
        add(&l, "village_code", "village.unknown");
    } else {
        memcpy(out->regency_code, in->village_code, 5);
        out->regency_code[5] = '\0';
    }

    if (empty(in->education))
        add(&l, "education", "field.required");
    else if (!account_education_valid(in->education))
        add(&l, "education", "education.invalid");

    if (empty(in->occupation))
        add(&l, "occupation", "field.required");
    else if (!account_occupation_valid(in->occupation))
        add(&l, "occupation", "occupation.invalid");

    return l.n;
}
