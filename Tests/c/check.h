/*
 * check.h — tiny assertion helpers for the Lithos C tests (C99, header only).
 *
 * CHECK*   record a failure (file:line, the expression, the status string and
 *          lithos_last_error_message()) and carry on.
 * REQUIRE* do the same and then `return` from the enclosing void function: use them when the
 *          rest of the function cannot run (e.g. a handle failed to be created).
 * End main with `return check_summary(argv0);` — it prints the tally and returns 1 on any failure.
 *
 * Sentinels: fill out-values with CHECK_SENTINEL_* before a call that must fail, then check that
 * they are unchanged ("the out-pointers are not written" on error).
 */
#ifndef LITHOS_TESTS_CHECK_H
#define LITHOS_TESTS_CHECK_H

#include <lithos.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_count_ = 0;
static int check_failures_ = 0;

#define CHECK_SENTINEL_SIZE ((size_t)0x5EED5EEDu)
#define CHECK_SENTINEL_DOUBLE (-123456.789)
static const char check_sentinel_string_[] = "sentinel: not written by lithos";
#define CHECK_SENTINEL_STRING (check_sentinel_string_)

static inline void check_fail_(const char *file, int line, const char *what) {
    check_failures_++;
    fprintf(stderr, "%s:%d: FAILED: %s\n    last error message: \"%s\"\n", file, line, what,
            lithos_last_error_message());
}

static inline int check_status_(lithos_status got, lithos_status expected, const char *expr,
                                const char *file, int line) {
    check_count_++;
    if (got != expected) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: %s\n    returned %d (%s)\n    expected %d (%s)\n"
                        "    last error message: \"%s\"\n",
                file, line, expr, (int)got, lithos_status_string(got), (int)expected,
                lithos_status_string(expected), lithos_last_error_message());
        return 0;
    }
    if (expected != LITHOS_OK && lithos_last_error_message()[0] == '\0') {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: %s\n    returned %s but lithos_last_error_message() is empty\n",
                file, line, expr, lithos_status_string(got));
        return 0;
    }
    return 1;
}

static inline int check_near_(double got, double expected, double rel_tol, const char *expr,
                              const char *file, int line) {
    check_count_++;
    if (!(fabs(got - expected) <= rel_tol * fabs(expected))) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: %s\n    got %.17g, expected %.17g (relative tolerance %g)\n",
                file, line, expr, got, expected, rel_tol);
        return 0;
    }
    return 1;
}

static inline int check_contains_(const char *haystack, const char *needle, const char *expr,
                                  const char *file, int line) {
    check_count_++;
    if (haystack == NULL || strstr(haystack, needle) == NULL) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: %s\n    \"%s\" does not contain \"%s\"\n", file, line, expr,
                haystack ? haystack : "(null)", needle);
        return 0;
    }
    return 1;
}

/* A condition. */
#define CHECK(cond) \
    do { check_count_++; if (!(cond)) check_fail_(__FILE__, __LINE__, #cond); } while (0)
#define REQUIRE(cond) \
    do { check_count_++; if (!(cond)) { check_fail_(__FILE__, __LINE__, #cond); return; } } while (0)

/* A call's status; for errors also that lithos_last_error_message() is not empty. */
#define CHECK_STATUS(expected, call) \
    ((void)check_status_((call), (expected), #call, __FILE__, __LINE__))
#define CHECK_OK(call) CHECK_STATUS(LITHOS_OK, call)
#define REQUIRE_STATUS(expected, call) \
    do { if (!check_status_((call), (expected), #call, __FILE__, __LINE__)) return; } while (0)
#define REQUIRE_OK(call) REQUIRE_STATUS(LITHOS_OK, call)

/* |got − expected| ≤ rel_tol·|expected|; fails on NaN. */
#define CHECK_NEAR(got, expected, rel_tol) \
    ((void)check_near_((got), (expected), (rel_tol), #got " ~= " #expected, __FILE__, __LINE__))

/* A string contains a substring. */
#define CHECK_CONTAINS(haystack, needle) \
    ((void)check_contains_((haystack), (needle), #haystack " contains " #needle, __FILE__, __LINE__))
/* The last error message contains a substring. */
#define CHECK_MESSAGE_CONTAINS(needle) CHECK_CONTAINS(lithos_last_error_message(), needle)

/* 1 if `s` is well-formed UTF-8 (no truncated or overlong sequences, no surrogates). */
static inline int utf8_valid(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int n;
        unsigned min;
        unsigned cp;
        if (c < 0x80) { p++; continue; }
        if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        p++;
        while (n-- > 0) {
            if ((*p & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (*p & 0x3F);
            p++;
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    }
    return 1;
}

/* Prints the tally; returns the exit code for main. */
static inline int check_summary(const char *name) {
    if (check_failures_ == 0) {
        printf("%s: all %d checks passed\n", name, check_count_);
        return 0;
    }
    fprintf(stderr, "%s: %d of %d checks FAILED\n", name, check_failures_, check_count_);
    return 1;
}


/* Reads a whole file into a NUL-terminated heap string (free() it); NULL when it cannot. */
static inline char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t size = 0, used = 0;
    if (f == NULL) return NULL;
    for (;;) {
        char *bigger;
        size = size ? 2 * size : 4096;
        bigger = (char *)realloc(text, size);
        if (bigger == NULL) { free(text); fclose(f); return NULL; }
        text = bigger;
        used += fread(text + used, 1, size - used - 1, f);
        if (used < size - 1) break;
    }
    fclose(f);
    text[used] = '\0';
    return text;
}

/* The source tree (ctest sets LITHOS_SOURCE_DIR), else the current directory. */
static inline const char *source_dir(void) {
    const char *dir = getenv("LITHOS_SOURCE_DIR");
    return dir && dir[0] ? dir : ".";
}

#endif /* LITHOS_TESTS_CHECK_H */
