/*
 * Section 1 of lithos.h: version macros vs run-time version, lithos_status_string for every
 * status value and unknown values, and lithos_last_error_message before and after failures.
 */
#include "check.h"

#include <stdlib.h>

static void test_version(void) {
    char expected[32];
    const char *v = lithos_version();
    snprintf(expected, sizeof expected, "%d.%d.%d", LITHOS_VERSION_MAJOR, LITHOS_VERSION_MINOR,
             LITHOS_VERSION_PATCH);
    REQUIRE(v != NULL);
    CHECK(strcmp(v, expected) == 0);
    CHECK(lithos_version() == v); /* static */
    CHECK(lithos_version_number() == LITHOS_VERSION_NUMBER);
    CHECK(LITHOS_VERSION_NUMBER == LITHOS_VERSION_MAJOR * 10000 + LITHOS_VERSION_MINOR * 100 + LITHOS_VERSION_PATCH);
    CHECK(LITHOS_TEMPERATURE_MIN_K < LITHOS_TEMPERATURE_MAX_K);
}

static void test_status_string(void) {
    static const struct { lithos_status status; int value; const char *name; } all[] = {
        {LITHOS_OK, 0, "LITHOS_OK"},
        {LITHOS_ERROR_NULL_ARGUMENT, 1, "LITHOS_ERROR_NULL_ARGUMENT"},
        {LITHOS_ERROR_INVALID_ARGUMENT, 2, "LITHOS_ERROR_INVALID_ARGUMENT"},
        {LITHOS_ERROR_OUT_OF_RANGE, 3, "LITHOS_ERROR_OUT_OF_RANGE"},
        {LITHOS_ERROR_PARSE, 4, "LITHOS_ERROR_PARSE"},
        {LITHOS_ERROR_CONFIG, 5, "LITHOS_ERROR_CONFIG"},
        {LITHOS_ERROR_NOT_FOUND, 6, "LITHOS_ERROR_NOT_FOUND"},
        {LITHOS_ERROR_BUFFER_TOO_SMALL, 7, "LITHOS_ERROR_BUFFER_TOO_SMALL"},
        {LITHOS_ERROR_STRUCT_SIZE, 8, "LITHOS_ERROR_STRUCT_SIZE"},
        {LITHOS_ERROR_NOT_SUPPORTED, 9, "LITHOS_ERROR_NOT_SUPPORTED"},
        {LITHOS_ERROR_OUT_OF_MEMORY, 10, "LITHOS_ERROR_OUT_OF_MEMORY"},
        {LITHOS_ERROR_INTERNAL, 11, "LITHOS_ERROR_INTERNAL"},
        {LITHOS_LIMIT_REACHED, 100, "LITHOS_LIMIT_REACHED"},
    };
    size_t i, j, n = sizeof all / sizeof all[0];
    for (i = 0; i < n; i++) {
        const char *s = lithos_status_string(all[i].status);
        size_t name_len = strlen(all[i].name);
        CHECK((int)all[i].status == all[i].value); /* values are stable */
        REQUIRE(s != NULL);
        /* "NAME: explanation" — starts with the enum name followed by ':' and some words */
        CHECK(strncmp(s, all[i].name, name_len) == 0 && s[name_len] == ':');
        CHECK(strlen(s) > name_len + 3);
        CHECK(lithos_status_string(all[i].status) == s); /* static */
        for (j = 0; j < i; j++) CHECK(strcmp(lithos_status_string(all[j].status), s) != 0);
    }
    CHECK_CONTAINS(lithos_status_string(LITHOS_ERROR_PARSE), "malformed JSON");

    /* unknown values */
    {
        static const int unknown[] = {12, 13, 99, 101, 255, 65536, 0x7fffffff, -1};
        for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
            const char *s = lithos_status_string((lithos_status)unknown[i]);
            REQUIRE(s != NULL);
            CHECK(strcmp(s, "unknown lithos_status") == 0);
        }
    }
}

static void test_last_error_message(void) {
    const char *m = lithos_last_error_message();
    const char *name = NULL;
    size_t n = 0;
    char saved[1024];

    /* no call has failed on this thread yet */
    REQUIRE(m != NULL);
    CHECK(m[0] == '\0');
    CHECK_OK(lithos_material_count(&n));
    CHECK(lithos_last_error_message()[0] == '\0');

    /* a failure sets it */
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_count(NULL));
    m = lithos_last_error_message();
    REQUIRE(m != NULL);
    CHECK(m[0] != '\0');
    CHECK_CONTAINS(m, "lithos_material_count");
    snprintf(saved, sizeof saved, "%s", m);

    /* successful calls do not clear it */
    CHECK_OK(lithos_material_count(&n));
    CHECK_OK(lithos_material_name(0, &name));
    CHECK(strcmp(lithos_last_error_message(), saved) == 0);

    /* the next failure replaces it */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("unobtainium", &name));
    CHECK(strcmp(lithos_last_error_message(), saved) != 0);
    CHECK_CONTAINS(lithos_last_error_message(), "unobtainium");

    /* and a shorter message after a longer one is not polluted by the old tail */
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_count(NULL));
    CHECK(strcmp(lithos_last_error_message(), saved) == 0);
}

int main(void) {
    test_last_error_message(); /* first: needs a thread on which nothing has failed yet */
    test_version();
    test_status_string();
    return check_summary("test_version");
}
