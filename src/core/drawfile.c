/*
 * drawfile: see drawfile.h. Parsing splits the line at commas in place and checks
 * each field strictly (digits only, exact widths), so that any byte changed by
 * hand either still parses to what it says or is reported as malformed.
 */
#include "core/drawfile.h"

#include <stdio.h>
#include <string.h>

static int split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == ',') {
            if (n == max)
                return max + 1;
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s || (s[0] == '0' && s[1]))
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int parse_hex(const char *s, unsigned char *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

static int two_digits(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int drawfile_province_code(const char *s)
{
    return strlen(s) == 2 ? two_digits(s) : -1;
}

int drawfile_regency_code(const char *s)
{
    if (strlen(s) != 5 || s[2] != '.')
        return -1;
    int a = two_digits(s), b = two_digits(s + 3);
    return a < 0 || b < 0 ? -1 : a * 100 + b;
}

int drawfile_public_id_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-') || n >= DRAWFILE_PUBLIC_ID_MAX)
            return 0;
    }
    return n > 0;
}

#define FAIL(msg) do { *why = (msg); return -1; } while (0)

int drawfile_parse(char *line, struct drawfile_line *out, const char **why)
{
    char *f[8];
    memset(out, 0, sizeof *out);
    if (line[0] == '#') {
        int n = split(line, f, 4);
        if (strcmp(f[0], "#prakerja_draw") == 0) {
            if (n != 2 || strcmp(f[1], "1") != 0)
                FAIL("unsupported format version");
            out->kind = DRAWFILE_VERSION;
        } else if (strcmp(f[0], "#rule") == 0) {
            if (n != 2 || draw_rule_parse(f[1], &out->rule) < 0)
                FAIL("unknown rule");
            out->kind = DRAWFILE_RULE;
        } else if (strcmp(f[0], "#seed_commitment") == 0) {
            unsigned char h[32];
            if (n != 2 || parse_hex(f[1], h, 32) < 0)
                FAIL("bad seed commitment (64 lower-case hex digits)");
            memcpy(out->commitment, f[1], 65);
            out->kind = DRAWFILE_COMMITMENT;
        } else if (strcmp(f[0], "#quota") == 0) {
            if (n != 4)
                FAIL("a quota row has 3 fields: regency,province,seats");
            if ((out->regency = drawfile_regency_code(f[1])) < 0)
                FAIL("bad regency code");
            if ((out->province = drawfile_province_code(f[2])) < 0 ||
                out->province != out->regency / 100)
                FAIL("bad province code");
            if (parse_u64(f[3], UINT32_MAX, &out->quota) < 0)
                FAIL("bad quota");
            out->kind = DRAWFILE_QUOTA;
        } else if (strcmp(f[0], "#end") == 0) {
            if (n != 2 || parse_u64(f[1], UINT64_MAX, &out->quota) < 0)
                FAIL("bad #end row");
            out->kind = DRAWFILE_END;
        } else {
            FAIL("unknown # row");
        }
        return 0;
    }
    if (strcmp(line, DRAWFILE_HEADER) == 0) {
        out->kind = DRAWFILE_HEADER_ROW;
        return 0;
    }
    int n = split(line, f, 7);
    uint64_t v;
    if (n != 7)
        FAIL("an application row has 7 fields");
    if (!drawfile_public_id_ok(f[0]))
        FAIL("bad public id");
    out->public_id = f[0];
    if ((out->regency = drawfile_regency_code(f[1])) < 0)
        FAIL("bad regency code");
    if ((out->province = drawfile_province_code(f[2])) < 0)
        FAIL("bad province code");
    if (parse_u64(f[3], 65535, &v) < 0)
        FAIL("bad tier");
    out->tier = (uint32_t)v;
    if (parse_hex(f[4], out->key, DRAW_KEY_LEN) < 0)
        FAIL("bad key (64 lower-case hex digits)");
    if (strcmp(f[5], "0") != 0 && strcmp(f[5], "1") != 0)
        FAIL("selected is not 0 or 1");
    out->selected = f[5][0] == '1';
    if ((out->stage = draw_stage_parse(f[6])) < 0)
        FAIL("unknown stage");
    if (out->selected != (out->stage != DRAW_NOT_SELECTED))
        FAIL("selected and stage disagree");
    out->kind = DRAWFILE_ROW;
    return 0;
}

int drawfile_format_row(char *buf, size_t len, const char *public_id, int regency, int province,
                        uint32_t tier, const unsigned char key[DRAW_KEY_LEN], int stage)
{
    static const char hex[] = "0123456789abcdef";
    char k[2 * DRAW_KEY_LEN + 1];
    for (int i = 0; i < DRAW_KEY_LEN; i++) {
        k[2 * i] = hex[key[i] >> 4];
        k[2 * i + 1] = hex[key[i] & 15];
    }
    k[2 * DRAW_KEY_LEN] = '\0';
    int n = snprintf(buf, len, "%s,%02d.%02d,%02d,%u,%s,%d,%s\n", public_id, regency / 100,
                     regency % 100, province, tier, k, stage != DRAW_NOT_SELECTED,
                     draw_stage_name(stage));
    return n < 0 || (size_t)n >= len ? -1 : n;
}
