/*
 * Section 2 of lithos.h (materials database): every function's success path with value checks
 * and every documented error path — NULL for each pointer argument, NaN/±Inf, out-of-range
 * temperature and stoichiometry, unknown material, wrong role, index out of range, struct_size
 * too small or larger than the struct. On every error the out-values must be left untouched.
 */
#include "check.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#define T_25C 298.15

/* ---------------------------------------------------------------------------------------- */
/* helpers                                                                                   */

/* A property struct whose every byte is 0xA5 except struct_size = sizeof. */
static void poison_property(lithos_material_property *p) {
    memset(p, 0xA5, sizeof *p);
    p->struct_size = sizeof *p;
}

static int property_is_poisoned(const lithos_material_property *p) {
    lithos_material_property expected;
    poison_property(&expected);
    return memcmp(&expected, p, sizeof expected) == 0;
}

static size_t material_count(void) {
    size_t n = 0;
    if (lithos_material_count(&n) != LITHOS_OK) return 0;
    return n;
}

static const char *material_at(size_t i) {
    const char *name = NULL;
    if (lithos_material_name(i, &name) != LITHOS_OK) return NULL;
    return name;
}

static lithos_material_role role_of(const char *name) {
    lithos_material_role role = (lithos_material_role)0;
    (void)lithos_material_role_of(name, &role);
    return role;
}

/* The property `key` of `name`, or `fallback` when the material lacks it. */
static double property_value(const char *name, const char *key, double fallback) {
    lithos_material_property p;
    poison_property(&p);
    if (lithos_material_property_get(name, key, &p) != LITHOS_OK) return fallback;
    return p.value;
}

static int has_property(const char *name, const char *key) {
    lithos_material_property p;
    poison_property(&p);
    return lithos_material_property_get(name, key, &p) == LITHOS_OK;
}

/* ---------------------------------------------------------------------------------------- */

static void test_count(void) {
    size_t n = CHECK_SENTINEL_SIZE;
    CHECK_OK(lithos_material_count(&n));
    CHECK(n != CHECK_SENTINEL_SIZE);
    CHECK(n >= 5); /* at least NMC811, Li6PS5Cl, Li, Al, Cu */

    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_count(NULL));
    CHECK_MESSAGE_CONTAINS("out_count");
}

static void test_name(void) {
    size_t n = material_count();
    size_t i, j;
    const char *name;
    REQUIRE(n > 0);

    for (i = 0; i < n; i++) {
        name = CHECK_SENTINEL_STRING;
        CHECK_OK(lithos_material_name(i, &name));
        REQUIRE(name != NULL && name != CHECK_SENTINEL_STRING);
        CHECK(name[0] != '\0');
        /* Static: the same pointer on every call. */
        {
            const char *again = NULL;
            CHECK_OK(lithos_material_name(i, &again));
            CHECK(again == name);
        }
        /* Canonical names are unique. */
        for (j = 0; j < i; j++) CHECK(strcmp(material_at(j), name) != 0);
    }

    /* index == count and SIZE_MAX: NOT_FOUND, out untouched. */
    name = CHECK_SENTINEL_STRING;
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_name(n, &name));
    CHECK(name == CHECK_SENTINEL_STRING);
    CHECK_MESSAGE_CONTAINS("out of range");

    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_name(SIZE_MAX, &name));
    CHECK(name == CHECK_SENTINEL_STRING);
    /* size_t is unsigned: the message must not report the index as negative. */
    CHECK(strstr(lithos_last_error_message(), "-1") == NULL);

    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_name(0, NULL));
    CHECK_MESSAGE_CONTAINS("out_name");
}

static void test_lookup(void) {
    static const char *const li6ps5cl_names[] = {"Li6PS5Cl", "li6ps5cl", "LI6PS5CL", "LPSCl",
                                                 "lpscl", "LPSCL", "argyrodite"};
    size_t i, n = material_count();
    const char *canonical;

    for (i = 0; i < sizeof li6ps5cl_names / sizeof li6ps5cl_names[0]; i++) {
        canonical = CHECK_SENTINEL_STRING;
        CHECK_OK(lithos_material_lookup(li6ps5cl_names[i], &canonical));
        CHECK(canonical != NULL && canonical != CHECK_SENTINEL_STRING && strcmp(canonical, "Li6PS5Cl") == 0);
    }

    canonical = NULL;
    CHECK_OK(lithos_material_lookup("nmc811", &canonical));
    CHECK(canonical != NULL && strcmp(canonical, "NMC811") == 0);
    canonical = NULL;
    CHECK_OK(lithos_material_lookup("NCM811", &canonical));
    CHECK(canonical != NULL && strcmp(canonical, "NMC811") == 0);

    /* Ta-doped LLZO, by its common alias. */
    canonical = NULL;
    CHECK_OK(lithos_material_lookup("LLZTO", &canonical));
    CHECK(canonical != NULL && strstr(canonical, "LLZO") != NULL);
    {
        const char *lower = NULL;
        CHECK_OK(lithos_material_lookup("llzto", &lower));
        CHECK(lower != NULL && canonical != NULL && strcmp(lower, canonical) == 0);
    }

    /* Every canonical name resolves to itself (the same static pointer). */
    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        canonical = NULL;
        CHECK_OK(lithos_material_lookup(name, &canonical));
        CHECK(canonical == name);
    }

    /* Unknown names: NOT_FOUND, out untouched, the message names the input and suggests names. */
    canonical = CHECK_SENTINEL_STRING;
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("Li6PS5Br", &canonical));
    CHECK(canonical == CHECK_SENTINEL_STRING);
    CHECK_MESSAGE_CONTAINS("Li6PS5Br");
    CHECK_MESSAGE_CONTAINS("Li6PS5Cl"); /* the close match */

    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("unobtainium", &canonical));
    CHECK(canonical == CHECK_SENTINEL_STRING);
    CHECK_MESSAGE_CONTAINS("unobtainium");

    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("", &canonical));
    CHECK(canonical == CHECK_SENTINEL_STRING);
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("---", &canonical));
    CHECK(canonical == CHECK_SENTINEL_STRING);

    /* Invalid UTF-8 is not a crash, just an unknown name; the message stays valid UTF-8. */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("\xff\xfe\xc3", &canonical));
    CHECK(canonical == CHECK_SENTINEL_STRING);
    CHECK(utf8_valid(lithos_last_error_message()));

    /* A very long name: the message is bounded, NUL-terminated and still valid UTF-8 even when
     * the cut falls inside a multi-byte character ("é" is 2 bytes; try both parities). */
    {
        int shift;
        for (shift = 0; shift < 4; shift++) {
            size_t k, len = 4000;
            char *longname = (char *)malloc(len + 8);
            REQUIRE(longname != NULL);
            for (k = 0; k < (size_t)shift; k++) longname[k] = 'x';
            for (; k + 2 <= len; k += 2) { longname[k] = '\xc3'; longname[k + 1] = '\xa9'; }
            longname[k] = '\0';
            CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup(longname, &canonical));
            CHECK(canonical == CHECK_SENTINEL_STRING);
            CHECK(strlen(lithos_last_error_message()) < 4096);
            CHECK(utf8_valid(lithos_last_error_message()));
            free(longname);
        }
    }

    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_lookup(NULL, &canonical));
    CHECK(canonical == CHECK_SENTINEL_STRING);
    CHECK_MESSAGE_CONTAINS("name");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_lookup("NMC811", NULL));
    CHECK_MESSAGE_CONTAINS("out_canonical_name");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_lookup(NULL, NULL));
}

static void test_role_of(void) {
    size_t i, n = material_count();
    lithos_material_role role;
    int seen[5] = {0, 0, 0, 0, 0};

    role = (lithos_material_role)0;
    CHECK_OK(lithos_material_role_of("NMC811", &role));
    CHECK(role == LITHOS_ROLE_CATHODE);
    CHECK_OK(lithos_material_role_of("lpscl", &role));
    CHECK(role == LITHOS_ROLE_SOLID_ELECTROLYTE);
    CHECK_OK(lithos_material_role_of("Li", &role));
    CHECK(role == LITHOS_ROLE_ANODE);
    CHECK_OK(lithos_material_role_of("Al", &role));
    CHECK(role == LITHOS_ROLE_CURRENT_COLLECTOR);
    CHECK_OK(lithos_material_role_of("copper", &role));
    CHECK(role == LITHOS_ROLE_CURRENT_COLLECTOR);

    for (i = 0; i < n; i++) {
        role = (lithos_material_role)0;
        CHECK_OK(lithos_material_role_of(material_at(i), &role));
        CHECK(role >= LITHOS_ROLE_CATHODE && role <= LITHOS_ROLE_CURRENT_COLLECTOR);
        if (role >= 1 && role <= 4) seen[role] = 1;
    }
    CHECK(seen[1] && seen[2] && seen[3] && seen[4]);

    role = (lithos_material_role)77;
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_role_of("unobtainium", &role));
    CHECK(role == (lithos_material_role)77);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_role_of(NULL, &role));
    CHECK(role == (lithos_material_role)77);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_role_of("NMC811", NULL));
    CHECK_MESSAGE_CONTAINS("out_role");
}

static void test_property_count(void) {
    size_t i, n = material_count(), count;
    for (i = 0; i < n; i++) {
        count = CHECK_SENTINEL_SIZE;
        CHECK_OK(lithos_material_property_count(material_at(i), &count));
        CHECK(count > 0 && count != CHECK_SENTINEL_SIZE);
    }
    {
        size_t a = 0, b = 0;
        CHECK_OK(lithos_material_property_count("Li6PS5Cl", &a));
        CHECK_OK(lithos_material_property_count("LPSCL", &b));
        CHECK(a == b);
    }
    count = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_count("unobtainium", &count));
    CHECK(count == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_count(NULL, &count));
    CHECK(count == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_count("NMC811", NULL));
    CHECK_MESSAGE_CONTAINS("out_count");
}

/* Every property of every material: non-empty key/unit/citation/description, finite value,
 * unique keys, and property_get(key) agrees with property_at(index). */
static void test_property_at_all(void) {
    size_t i, n = material_count();
    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        size_t k, j, count = 0;
        CHECK_OK(lithos_material_property_count(name, &count));
        for (k = 0; k < count; k++) {
            lithos_material_property p, q;
            poison_property(&p);
            CHECK_OK(lithos_material_property_at(name, k, &p));
            CHECK(p.struct_size == sizeof p);
            REQUIRE(!property_is_poisoned(&p));
            CHECK(p.key != NULL && p.key[0] != '\0');
            CHECK(p.unit != NULL && p.unit[0] != '\0');
            CHECK(p.citation != NULL && p.citation[0] != '\0');
            CHECK(p.description != NULL && p.description[0] != '\0');
            CHECK(isfinite(p.value));
            if (!(p.key && p.key[0] && p.unit && p.unit[0] && p.citation && p.citation[0] &&
                  p.description && p.description[0])) {
                fprintf(stderr, "    (material %s, property %lu)\n", name, (unsigned long)k);
                continue;
            }

            poison_property(&q);
            CHECK_OK(lithos_material_property_get(name, p.key, &q));
            CHECK(q.key == p.key && q.unit == p.unit && q.citation == p.citation);
            CHECK(q.value == p.value);

            for (j = 0; j < k; j++) {
                lithos_material_property r;
                poison_property(&r);
                CHECK_OK(lithos_material_property_at(name, j, &r));
                CHECK(strcmp(r.key, p.key) != 0);
            }
        }
    }
}

static void test_property_at_errors(void) {
    lithos_material_property p;
    size_t count = 0;
    CHECK_OK(lithos_material_property_count("NMC811", &count));

    /* index == count, SIZE_MAX */
    poison_property(&p);
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_at("NMC811", count, &p));
    CHECK(property_is_poisoned(&p));
    CHECK_MESSAGE_CONTAINS("out of range");
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_at("NMC811", SIZE_MAX, &p));
    CHECK(property_is_poisoned(&p));
    CHECK(strstr(lithos_last_error_message(), "-1") == NULL);

    /* unknown material, NULLs */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_at("unobtainium", 0, &p));
    CHECK(property_is_poisoned(&p));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_at(NULL, 0, &p));
    CHECK(property_is_poisoned(&p));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_at("NMC811", 0, NULL));
    CHECK_MESSAGE_CONTAINS("out_property");

    /* struct_size too small: 0, one field, one byte short. Nothing is written. */
    {
        static const size_t sizes[] = {0, sizeof(size_t), sizeof(lithos_material_property) - 1};
        size_t s;
        for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            lithos_material_property expected;
            poison_property(&p);
            p.struct_size = sizes[s];
            expected = p;
            CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_material_property_at("NMC811", 0, &p));
            CHECK(memcmp(&p, &expected, sizeof p) == 0);
            CHECK_MESSAGE_CONTAINS("struct_size");
            CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_material_property_get("NMC811", "density_kg_per_m3", &p));
            CHECK(memcmp(&p, &expected, sizeof p) == 0);
        }
    }
}

/* struct_size larger than the struct (a caller built against a newer header): the call works,
 * fills the known fields, keeps struct_size, and does not touch the bytes past the struct. */
static void test_property_struct_size_larger(void) {
    union {
        lithos_material_property p;
        unsigned char bytes[sizeof(lithos_material_property) + 64];
    } big;
    size_t k;
    int tail_ok;

    memset(big.bytes, 0xA5, sizeof big.bytes);
    big.p.struct_size = sizeof big.bytes;
    CHECK_OK(lithos_material_property_get("Li6PS5Cl", "ionic_conductivity_25C_S_per_m", &big.p));
    CHECK(big.p.struct_size == sizeof big.bytes);
    CHECK(big.p.key != NULL && strcmp(big.p.key, "ionic_conductivity_25C_S_per_m") == 0);
    CHECK_NEAR(big.p.value, 0.2, 0.01);
    tail_ok = 1;
    for (k = sizeof(lithos_material_property); k < sizeof big.bytes; k++)
        if (big.bytes[k] != 0xA5) tail_ok = 0;
    CHECK(tail_ok);

    memset(big.bytes, 0xA5, sizeof big.bytes);
    big.p.struct_size = sizeof big.bytes;
    CHECK_OK(lithos_material_property_at("NMC811", 0, &big.p));
    CHECK(big.p.key != NULL && big.p.unit != NULL && big.p.citation != NULL);
    tail_ok = 1;
    for (k = sizeof(lithos_material_property); k < sizeof big.bytes; k++)
        if (big.bytes[k] != 0xA5) tail_ok = 0;
    CHECK(tail_ok);
}

static void test_property_get(void) {
    lithos_material_property p;

    poison_property(&p);
    CHECK_OK(lithos_material_property_get("Li6PS5Cl", "ionic_conductivity_25C_S_per_m", &p));
    CHECK(p.struct_size == sizeof p);
    CHECK_NEAR(p.value, 0.2, 0.01); /* 2 mS/cm, SEED 001 L207 */
    CHECK(p.unit != NULL && strcmp(p.unit, "S/m") == 0);
    CHECK(p.key != NULL && strcmp(p.key, "ionic_conductivity_25C_S_per_m") == 0);
    CHECK_CONTAINS(p.citation, "SEED");

    /* through an alias */
    poison_property(&p);
    CHECK_OK(lithos_material_property_get("lpscl", "ionic_conductivity_25C_S_per_m", &p));
    CHECK_NEAR(p.value, 0.2, 0.01);

    poison_property(&p);
    CHECK_OK(lithos_material_property_get("NMC811", "density_kg_per_m3", &p));
    CHECK(p.value > 1000.0 && p.value < 10000.0);
    CHECK(p.unit != NULL && strcmp(p.unit, "kg/m^3") == 0);

    /* unknown key: NOT_FOUND, message lists the keys the material does have */
    poison_property(&p);
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_get("NMC811", "no_such_key", &p));
    CHECK(property_is_poisoned(&p));
    CHECK_MESSAGE_CONTAINS("no_such_key");
    CHECK_MESSAGE_CONTAINS("density_kg_per_m3");
    /* keys are exact (not case-folded like material names) */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_get("NMC811", "DENSITY_KG_PER_M3", &p));
    CHECK(property_is_poisoned(&p));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_get("NMC811", "", &p));
    CHECK(property_is_poisoned(&p));

    /* unknown material, NULLs */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_property_get("unobtainium", "density_kg_per_m3", &p));
    CHECK(property_is_poisoned(&p));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_get(NULL, "density_kg_per_m3", &p));
    CHECK(property_is_poisoned(&p));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_get("NMC811", NULL, &p));
    CHECK(property_is_poisoned(&p));
    CHECK_MESSAGE_CONTAINS("key");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_property_get("NMC811", "density_kg_per_m3", NULL));
    CHECK_MESSAGE_CONTAINS("out_property");
}

/* Temperature arguments shared by the T-dependent functions. */
typedef lithos_status (*temperature_fn)(const char *name, double temperature_K, double *out);

static void check_temperature_errors(temperature_fn fn, const char *name, const char *fn_name) {
    static const double out_of_range[] = {25.0, 0.0, -10.0, 173.14, 673.16, 1000.0, -DBL_MAX, DBL_MAX};
    const double non_finite[] = {NAN, INFINITY, -INFINITY};
    size_t i;
    double out;
    for (i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        out = CHECK_SENTINEL_DOUBLE;
        CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, fn(name, out_of_range[i], &out));
        CHECK(out == CHECK_SENTINEL_DOUBLE);
        CHECK_MESSAGE_CONTAINS(" K");
        if (out != CHECK_SENTINEL_DOUBLE) fprintf(stderr, "    (%s, T = %g)\n", fn_name, out_of_range[i]);
    }
    for (i = 0; i < sizeof non_finite / sizeof non_finite[0]; i++) {
        out = CHECK_SENTINEL_DOUBLE;
        CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, fn(name, non_finite[i], &out));
        CHECK(out == CHECK_SENTINEL_DOUBLE);
    }
    /* the accepted range is inclusive */
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(fn(name, LITHOS_TEMPERATURE_MIN_K, &out));
    /* ≥ 0: a VTF polymer below its ideal glass temperature conducts nothing (0 S/m) */
    CHECK(isfinite(out) && out >= 0.0);
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(fn(name, LITHOS_TEMPERATURE_MAX_K, &out));
    CHECK(isfinite(out) && out > 0.0);

    out = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, fn("unobtainium", T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, fn(NULL, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, fn(name, T_25C, NULL));
}

static void test_ionic_conductivity(void) {
    double s_m10 = 0, s_25 = 0, s_60 = 0, out;
    size_t i, n = material_count();

    CHECK_OK(lithos_material_ionic_conductivity("Li6PS5Cl", 263.15, &s_m10));
    CHECK_OK(lithos_material_ionic_conductivity("Li6PS5Cl", T_25C, &s_25));
    CHECK_OK(lithos_material_ionic_conductivity("Li6PS5Cl", 333.15, &s_60));
    CHECK_NEAR(s_25, 0.2, 0.01); /* 2 mS/cm, SEED 001 L207 */
    CHECK(s_m10 > 0.0 && s_m10 < s_25 && s_25 < s_60);
    /* Arrhenius with Ea ~ 0.2–0.6 eV: −10 °C is a few times lower than 25 °C, not orders */
    CHECK(s_25 / s_m10 > 1.5 && s_25 / s_m10 < 30.0);

    out = 0;
    CHECK_OK(lithos_material_ionic_conductivity("LPSCl", T_25C, &out));
    CHECK(out == s_25);

    /* σ(25 °C) agrees with the material's own 25 °C property, for every electrolyte; every other
     * role is NOT_SUPPORTED. */
    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        out = CHECK_SENTINEL_DOUBLE;
        if (role_of(name) == LITHOS_ROLE_SOLID_ELECTROLYTE) {
            double lo = 0, hi = 0;
            CHECK_OK(lithos_material_ionic_conductivity(name, T_25C, &out));
            CHECK(isfinite(out) && out > 0.0);
            if (has_property(name, "ionic_conductivity_25C_S_per_m"))
                CHECK_NEAR(out, property_value(name, "ionic_conductivity_25C_S_per_m", 0), 0.01);
            CHECK_OK(lithos_material_ionic_conductivity(name, 253.15, &lo));
            CHECK_OK(lithos_material_ionic_conductivity(name, 353.15, &hi));
            CHECK(lo < out && out < hi);
            check_temperature_errors(lithos_material_ionic_conductivity, name, "ionic_conductivity");
        } else {
            CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_ionic_conductivity(name, T_25C, &out));
            CHECK(out == CHECK_SENTINEL_DOUBLE);
        }
    }

    /* wrong role, by name */
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_ionic_conductivity("NMC811", T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_MESSAGE_CONTAINS("NMC811");
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_ionic_conductivity("Li", T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);

    /* 25.0 passed as if °C: OUT_OF_RANGE and the message speaks of kelvin */
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_ionic_conductivity("Li6PS5Cl", 25.0, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_MESSAGE_CONTAINS("K");
    CHECK_MESSAGE_CONTAINS("25");

    check_temperature_errors(lithos_material_ionic_conductivity, "Li6PS5Cl", "ionic_conductivity");
}

static void test_open_circuit_potential(void) {
    double lo_theta, hi_theta, u_charged = 0, u_discharged = 0, u, out;
    int k;
    size_t i, n = material_count();

    /* NMC811 over its stoichiometry window (from its own properties): 3.4–4.4 V, and the
     * charged end sits above the discharged end. */
    lo_theta = property_value("NMC811", "stoichiometry_at_full_charge", 0.27);
    hi_theta = property_value("NMC811", "stoichiometry_at_full_discharge", 0.91);
    CHECK(lo_theta > 0.0 && lo_theta < hi_theta && hi_theta < 1.0);
    for (k = 0; k <= 20; k++) {
        double theta = lo_theta + (hi_theta - lo_theta) * k / 20.0;
        u = CHECK_SENTINEL_DOUBLE;
        CHECK_OK(lithos_material_open_circuit_potential("NMC811", theta, T_25C, &u));
        CHECK(u > 3.4 && u < 4.4);
        if (!(u > 3.4 && u < 4.4)) fprintf(stderr, "    (theta = %g, U = %g V)\n", theta, u);
    }
    CHECK_OK(lithos_material_open_circuit_potential("NMC811", lo_theta, T_25C, &u_charged));
    CHECK_OK(lithos_material_open_circuit_potential("NMC811", hi_theta, T_25C, &u_discharged));
    CHECK(u_charged - u_discharged > 0.3);

    /* the window ends 0 and 1 are accepted */
    u = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_open_circuit_potential("NMC811", 0.0, T_25C, &u));
    CHECK(isfinite(u));
    u = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_open_circuit_potential("NMC811", 1.0, T_25C, &u));
    CHECK(isfinite(u));

    /* U(θ, T) = U(θ, 298.15) + (T − 298.15)·dU/dT(θ) */
    {
        double u25 = 0, u60 = 0, dudt = CHECK_SENTINEL_DOUBLE;
        CHECK_OK(lithos_material_open_circuit_potential("NMC811", 0.5, T_25C, &u25));
        CHECK_OK(lithos_material_open_circuit_potential("NMC811", 0.5, 333.15, &u60));
        CHECK_OK(lithos_material_entropic_coefficient("NMC811", 0.5, &dudt));
        CHECK(isfinite(dudt) && fabs(dudt) < 2e-3);
        CHECK(fabs(u60 - (u25 + 35.0 * dudt)) < 1e-9);
    }

    /* Li metal is the reference: 0 V */
    u = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_open_circuit_potential("Li", 0.5, T_25C, &u));
    CHECK(u == 0.0);
    u = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_open_circuit_potential("lithium", 1.0, 333.15, &u));
    CHECK(u == 0.0);

    /* every active material has a finite OCP; electrolytes and collectors are NOT_SUPPORTED */
    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        lithos_material_role role = role_of(name);
        out = CHECK_SENTINEL_DOUBLE;
        if (role == LITHOS_ROLE_CATHODE || role == LITHOS_ROLE_ANODE) {
            CHECK_OK(lithos_material_open_circuit_potential(name, 0.5, T_25C, &out));
            CHECK(isfinite(out) && out >= 0.0 && out < 6.0);
        } else {
            CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_open_circuit_potential(name, 0.5, T_25C, &out));
            CHECK(out == CHECK_SENTINEL_DOUBLE);
            CHECK_MESSAGE_CONTAINS("open-circuit potential");
        }
    }

    out = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_open_circuit_potential("Li6PS5Cl", 0.5, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_open_circuit_potential("Al", 0.5, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);

    /* stoichiometry outside 0…1 */
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("NMC811", -0.01, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_MESSAGE_CONTAINS("stoichiometry");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("NMC811", 1.01, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("NMC811", -DBL_MIN, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("Li", 2.0, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);

    /* NaN / ±Inf in either argument */
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_open_circuit_potential("NMC811", NAN, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_open_circuit_potential("NMC811", INFINITY, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_open_circuit_potential("NMC811", -INFINITY, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_open_circuit_potential("NMC811", 0.5, NAN, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_open_circuit_potential("NMC811", 0.5, INFINITY, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_open_circuit_potential("NMC811", 0.5, -INFINITY, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);

    /* temperature outside the accepted range (25.0 as if °C) */
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("NMC811", 0.5, 25.0, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_MESSAGE_CONTAINS("K");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("NMC811", 0.5, 673.16, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_open_circuit_potential("NMC811", 0.5, 173.14, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_OK(lithos_material_open_circuit_potential("NMC811", 0.5, LITHOS_TEMPERATURE_MIN_K, &out));
    CHECK(isfinite(out));
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_open_circuit_potential("NMC811", 0.5, LITHOS_TEMPERATURE_MAX_K, &out));
    CHECK(isfinite(out));

    /* unknown material, NULLs */
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_open_circuit_potential("unobtainium", 0.5, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_open_circuit_potential(NULL, 0.5, T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_open_circuit_potential("NMC811", 0.5, T_25C, NULL));
    CHECK_MESSAGE_CONTAINS("out_potential_V");
}

static void test_entropic_coefficient(void) {
    double out;
    size_t i, n = material_count();

    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        lithos_material_role role = role_of(name);
        out = CHECK_SENTINEL_DOUBLE;
        if (role == LITHOS_ROLE_CATHODE || role == LITHOS_ROLE_ANODE) {
            CHECK_OK(lithos_material_entropic_coefficient(name, 0.5, &out));
            CHECK(isfinite(out) && fabs(out) < 2e-3);
        } else {
            CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_entropic_coefficient(name, 0.5, &out));
            CHECK(out == CHECK_SENTINEL_DOUBLE);
        }
    }
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_entropic_coefficient("Li", 0.0, &out));
    CHECK(out == 0.0);
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_OK(lithos_material_entropic_coefficient("NMC811", 1.0, &out));
    CHECK(isfinite(out));

    out = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_entropic_coefficient("Li6PS5Cl", 0.5, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_entropic_coefficient("NMC811", -0.5, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_MESSAGE_CONTAINS("stoichiometry");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_material_entropic_coefficient("NMC811", 1.5, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_entropic_coefficient("NMC811", NAN, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_entropic_coefficient("NMC811", INFINITY, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_material_entropic_coefficient("NMC811", -INFINITY, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_entropic_coefficient("unobtainium", 0.5, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_entropic_coefficient(NULL, 0.5, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_entropic_coefficient("NMC811", 0.5, NULL));
    CHECK_MESSAGE_CONTAINS("out_dUdT_V_per_K");
}

static void test_diffusivity(void) {
    double out, d25 = 0, d60 = 0;
    size_t i, n = material_count();

    CHECK_OK(lithos_material_diffusivity("NMC811", T_25C, &d25));
    CHECK_NEAR(d25, property_value("NMC811", "diffusivity_25C_m2_per_s", -1.0), 1e-9);
    CHECK(d25 > 1e-20 && d25 < 1e-8);
    CHECK_OK(lithos_material_diffusivity("NMC811", 333.15, &d60));
    CHECK(d60 >= d25);
    check_temperature_errors(lithos_material_diffusivity, "NMC811", "diffusivity");

    /* a material has a diffusivity exactly when it carries the 25 °C value */
    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        out = CHECK_SENTINEL_DOUBLE;
        if (has_property(name, "diffusivity_25C_m2_per_s")) {
            CHECK_OK(lithos_material_diffusivity(name, T_25C, &out));
            CHECK_NEAR(out, property_value(name, "diffusivity_25C_m2_per_s", -1.0), 1e-9);
        } else {
            CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_diffusivity(name, T_25C, &out));
            CHECK(out == CHECK_SENTINEL_DOUBLE);
        }
    }
    out = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_diffusivity("Li6PS5Cl", T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NOT_SUPPORTED, lithos_material_diffusivity("Cu", T_25C, &out));
    CHECK(out == CHECK_SENTINEL_DOUBLE);
    CHECK_MESSAGE_CONTAINS("diffusivity");
}

/* The snprintf-style size-query protocol, for one JSON-producing call. */
typedef lithos_status (*json_fn)(const void *ctx, char *buffer, size_t capacity, size_t *out_length);

static lithos_status material_json_fn(const void *ctx, char *buffer, size_t capacity, size_t *out_length) {
    return lithos_material_json((const char *)ctx, buffer, capacity, out_length);
}

static lithos_status materials_json_fn(const void *ctx, char *buffer, size_t capacity, size_t *out_length) {
    (void)ctx;
    return lithos_materials_json(buffer, capacity, out_length);
}

/* Runs the protocol; returns the JSON text (malloc'ed, caller frees) or NULL. */
static char *check_json_protocol(json_fn fn, const void *ctx) {
    size_t len = CHECK_SENTINEL_SIZE, len2, k;
    char *buf;
    char *small;
    int untouched;

    /* size query */
    CHECK_OK(fn(ctx, NULL, 0, &len));
    if (len == CHECK_SENTINEL_SIZE || len == 0) { CHECK(len != CHECK_SENTINEL_SIZE && len > 0); return NULL; }

    /* exactly length + 1 bytes: OK, NUL-terminated, same length reported */
    buf = (char *)malloc(len + 1 + 16);
    if (buf == NULL) return NULL;
    memset(buf, 'x', len + 1 + 16);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_OK(fn(ctx, buf, len + 1, &len2));
    CHECK(len2 == len);
    CHECK(buf[len] == '\0');
    CHECK(strlen(buf) == len);
    CHECK(buf[len + 1] == 'x'); /* nothing past capacity */

    /* out_length is optional */
    CHECK_OK(fn(ctx, buf, len + 1, NULL));
    CHECK(strlen(buf) == len);

    /* length bytes (no room for the NUL): BUFFER_TOO_SMALL, *out_length = length, buffer untouched */
    small = (char *)malloc(len + 16);
    if (small == NULL) { free(buf); return NULL; }
    memset(small, 'x', len + 16);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, fn(ctx, small, len, &len2));
    CHECK(len2 == len);
    CHECK_MESSAGE_CONTAINS("out_length");
    untouched = 1;
    for (k = 0; k < len + 16; k++) if (small[k] != 'x') untouched = 0;
    CHECK(untouched);

    /* a 1-byte buffer, without out_length */
    small[0] = 'x';
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, fn(ctx, small, 1, NULL));
    CHECK(small[0] == 'x');

    /* capacity 0 with a non-NULL buffer: the length is reported (OK or BUFFER_TOO_SMALL) and
     * the buffer is not written */
    {
        lithos_status s;
        len2 = CHECK_SENTINEL_SIZE;
        s = fn(ctx, small, 0, &len2);
        CHECK(s == LITHOS_OK || s == LITHOS_ERROR_BUFFER_TOO_SMALL);
        CHECK(len2 == len);
        CHECK(small[0] == 'x');
    }

    /* NULL buffer with capacity > 0: NULL_ARGUMENT */
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, fn(ctx, NULL, 16, &len2));
    CHECK_MESSAGE_CONTAINS("buffer");
    CHECK(len2 == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, fn(ctx, NULL, len + 1, NULL));
    /* ... including capacities above SSIZE_MAX (size_t is unsigned) */
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, fn(ctx, NULL, SIZE_MAX, &len2));

    free(small);
    return buf;
}

static void test_material_json(void) {
    size_t i, n = material_count();
    char *json;
    size_t len;

    json = check_json_protocol(material_json_fn, "NMC811");
    REQUIRE(json != NULL);
    CHECK(json[0] == '{');
    CHECK(json[strlen(json) - 1] == '}');
    CHECK_CONTAINS(json, "\"NMC811\"");
    CHECK_CONTAINS(json, "density_kg_per_m3");
    CHECK_CONTAINS(json, "cathode");
    free(json);

    /* alias in, canonical name out */
    json = check_json_protocol(material_json_fn, "lpscl");
    REQUIRE(json != NULL);
    CHECK_CONTAINS(json, "\"Li6PS5Cl\"");
    CHECK_CONTAINS(json, "ionic_conductivity_25C_S_per_m");
    CHECK_CONTAINS(json, "SEED");
    free(json);

    for (i = 0; i < n; i++) {
        const char *name = material_at(i);
        char quoted[128];
        char *buf;
        len = 0;
        CHECK_OK(lithos_material_json(name, NULL, 0, &len));
        buf = (char *)malloc(len + 1);
        REQUIRE(buf != NULL);
        CHECK_OK(lithos_material_json(name, buf, len + 1, NULL));
        snprintf(quoted, sizeof quoted, "\"%s\"", name);
        CHECK_CONTAINS(buf, quoted);
        CHECK(utf8_valid(buf));
        free(buf);
    }

    /* unknown material and NULL name: error, length and buffer untouched */
    {
        char buf[64];
        memset(buf, 'x', sizeof buf);
        len = CHECK_SENTINEL_SIZE;
        CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_json("unobtainium", buf, sizeof buf, &len));
        CHECK(len == CHECK_SENTINEL_SIZE && buf[0] == 'x');
        CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_json("unobtainium", NULL, 0, &len));
        CHECK(len == CHECK_SENTINEL_SIZE);
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_json(NULL, buf, sizeof buf, &len));
        CHECK(len == CHECK_SENTINEL_SIZE && buf[0] == 'x');
        CHECK_MESSAGE_CONTAINS("name");
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_material_json(NULL, NULL, 0, &len));
        CHECK(len == CHECK_SENTINEL_SIZE);
    }
}

static void test_materials_json(void) {
    size_t i, n = material_count();
    char *json = check_json_protocol(materials_json_fn, NULL);
    REQUIRE(json != NULL);
    CHECK(json[0] == '[');
    CHECK(json[strlen(json) - 1] == ']');
    CHECK(utf8_valid(json));
    for (i = 0; i < n; i++) {
        char quoted[128];
        snprintf(quoted, sizeof quoted, "\"%s\"", material_at(i));
        CHECK_CONTAINS(json, quoted);
    }
    free(json);
}

int main(void) {
    test_count();
    test_name();
    test_lookup();
    test_role_of();
    test_property_count();
    test_property_at_all();
    test_property_at_errors();
    test_property_struct_size_larger();
    test_property_get();
    test_ionic_conductivity();
    test_open_circuit_potential();
    test_entropic_coefficient();
    test_diffusivity();
    test_material_json();
    test_materials_json();
    return check_summary("test_materials");
}
