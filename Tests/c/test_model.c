/*
 * Section 4 of lithos.h (cell models): every lithos_model_* function, its success paths with
 * values checked against closed forms, and every error path.
 *
 * Two kinds of ECM are used:
 *   - the ECM derived from examples/cells/default.json (read through LITHOS_SOURCE_DIR) with
 *     default options (2 RC pairs, thermal model on);
 *   - an explicit ECM whose answer is known by hand: OCV linear 3.0 → 4.2 V over SOC 0 → 1,
 *     R0 = 0.01 Ω, one RC pair R1 = 0.02 Ω, τ1 = 30 s, capacity 2 A·h, thermal model off
 *     (cell temperature = ambient). For a constant current I from rest at SOC z0:
 *       V(t) = OCV(z(t)) − R0·I − R1·I·(1 − e^(−t/τ1)),  z(t) = z0 − I·t / (3600·Q).
 *
 * "Unchanged" is checked by comparing the bytes of a state snapshot and of get_output before
 * and after a failing call; "not written" by sentinel values in the out-arguments.
 * LITHOS_TEST_ITERATIONS scales the long random profiles (the valgrind run uses fewer).
 */
#include "check.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#define T_25C 298.15

/* The hand-computable ECM. */
#define Q_AH 2.0
#define OCV0 3.0
#define OCV1 4.2
#define R0 0.01
#define R1 0.02
#define TAU1 30.0
#define V_MIN 3.2
#define V_MAX 4.3
#define ECM_WITH(r0, extra)                                                                          \
    "{\"capacity_Ah\": 2, \"soc_breakpoints\": [0, 1], \"ocv_V\": [3.0, 4.2], \"r0_ohm\": " r0 ","    \
    " \"rc_pairs\": [{\"r_ohm\": 0.02, \"tau_s\": 30}], \"minimum_voltage_V\": 3.2,"                  \
    " \"maximum_voltage_V\": 4.3" extra "}"
#define ECM ECM_WITH("0.01", "")
#define OPTIONS_WITH(soc, ecm) "{\"kind\": \"ecm\", \"initial_soc\": " soc ", \"ecm\": " ecm "}"
#define OPTIONS OPTIONS_WITH("1.0", ECM)

/* A sentinel handle: never dereferenced, only compared. */
static double sentinel_model_storage;
#define SENTINEL_MODEL ((lithos_model *)(void *)&sentinel_model_storage)

static int n_iterations = 2000;

/* ---------------------------------------------------------------------------------------- */
/* helpers                                                                                   */


static char *default_design = NULL;

static int load_default_design(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/cells/default.json", source_dir());
    default_design = read_file(path);
    check_count_++;
    if (default_design == NULL) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: cannot read %s (set LITHOS_SOURCE_DIR)\n", __FILE__, __LINE__, path);
        return 0;
    }
    return 1;
}

static lithos_model *make_model(const char *design, const char *options) {
    lithos_model *m = NULL;
    lithos_status s = lithos_model_create(design, options, &m);
    check_status_(s, LITHOS_OK, "lithos_model_create(design, options, &m)", __FILE__, __LINE__);
    return s == LITHOS_OK ? m : NULL;
}

static lithos_model *explicit_model(void) { return make_model(NULL, OPTIONS); }
static lithos_model *derived_model(void) { return make_model(default_design, NULL); }

static void poison_output(lithos_model_output *o) {
    memset(o, 0xA5, sizeof *o);
    o->struct_size = sizeof *o;
}

static int output_is_poisoned(const lithos_model_output *o) {
    lithos_model_output expected;
    poison_output(&expected);
    return memcmp(&expected, o, sizeof expected) == 0;
}

static lithos_model_output get_output(const lithos_model *model) {
    lithos_model_output o;
    poison_output(&o);
    CHECK_OK(lithos_model_get_output(model, &o));
    return o;
}

static size_t state_size(const lithos_model *model) {
    size_t n = 0;
    CHECK_OK(lithos_model_state_size(model, &n));
    return n;
}

/* A snapshot of the model (malloc'ed), plus its size. */
static unsigned char *snapshot(const lithos_model *model, size_t *out_size) {
    size_t n = state_size(model), written = CHECK_SENTINEL_SIZE;
    unsigned char *buf = (unsigned char *)malloc(n ? n : 1);
    if (buf == NULL) return NULL;
    CHECK_OK(lithos_model_save_state(model, buf, n, &written));
    CHECK(written == n);
    if (out_size) *out_size = n;
    return buf;
}

/* Everything observable about a model's state: snapshot bytes and the current output. */
typedef struct observed {
    unsigned char *state;
    size_t size;
    lithos_model_output output;
} observed;

static observed observe(const lithos_model *model) {
    observed o;
    o.state = snapshot(model, &o.size);
    o.output = get_output(model);
    return o;
}

static int same_observed(const observed *a, const observed *b) {
    return a->size == b->size && a->state && b->state && memcmp(a->state, b->state, a->size) == 0 &&
           memcmp(&a->output, &b->output, sizeof a->output) == 0;
}

/* Fails the test (at the caller's line) when the model changed since `before`; frees before. */
static void check_unchanged_(const lithos_model *model, observed *before, const char *what, int line) {
    observed after = observe(model);
    check_count_++;
    if (!same_observed(before, &after)) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: the model changed after a failing call (%s)\n", __FILE__, line, what);
    }
    free(after.state);
    free(before->state);
    before->state = NULL;
}
#define CHECK_UNCHANGED(model, before, what) check_unchanged_((model), &(before), (what), __LINE__)

/* A failing step must return `expected`, leave the out struct and the model untouched. */
static void check_step_fails_(lithos_model *model, lithos_input_mode mode, double value, double dt, double ambient,
                              lithos_status expected, const char *needle, int line) {
    observed before = observe(model);
    lithos_model_output o;
    lithos_status s;
    poison_output(&o);
    s = lithos_model_step(model, mode, value, dt, ambient, &o);
    check_count_++;
    if (s != expected) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_model_step(mode %d, value %g, dt %g, ambient %g) returned %s, expected %s\n"
                        "    message: \"%s\"\n",
                __FILE__, line, (int)mode, value, dt, ambient, lithos_status_string(s), lithos_status_string(expected),
                lithos_last_error_message());
    } else {
        check_count_++;
        if (lithos_last_error_message()[0] == '\0' || (needle && strstr(lithos_last_error_message(), needle) == NULL)) {
            check_failures_++;
            fprintf(stderr, "%s:%d: FAILED: message \"%s\" does not contain \"%s\"\n", __FILE__, line,
                    lithos_last_error_message(), needle ? needle : "");
        }
    }
    check_count_++;
    if (!output_is_poisoned(&o)) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: a failing step wrote its output struct\n", __FILE__, line);
    }
    check_unchanged_(model, &before, "lithos_model_step", line);
}
#define STEP_FAILS(model, mode, value, dt, ambient, expected, needle) \
    check_step_fails_((model), (mode), (value), (dt), (ambient), (expected), (needle), __LINE__)

/* Deterministic pseudo-random numbers (64-bit LCG, Knuth's MMIX constants). */
static uint64_t lcg_state;
static double lcg_uniform(void) {
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) * (1.0 / 9007199254740992.0);
}

/* A step was taken (OK or a limit crossed). */
static int stepped(lithos_status s) { return s == LITHOS_OK || s == LITHOS_LIMIT_REACHED; }

static double ocv_of(double z) { return OCV0 + (OCV1 - OCV0) * z; }

/* FNV-1a 64 over bytes (the snapshot checksum, documented in StateSnapshot.swift). */
static uint64_t fnv1a(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;
    for (i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3ULL; }
    return h;
}

/* ---------------------------------------------------------------------------------------- */
/* creation, info, internal names                                                            */

static void test_info(void) {
    lithos_model *m = explicit_model();
    lithos_model *d = derived_model();
    lithos_model_info info;
    size_t n, i;
    const char *name;

    REQUIRE(m != NULL && d != NULL);

    memset(&info, 0xA5, sizeof info);
    info.struct_size = sizeof info;
    CHECK_OK(lithos_model_get_info(m, &info));
    CHECK(info.struct_size == sizeof info);
    CHECK(info.kind != NULL && strcmp(info.kind, "ecm") == 0);
    CHECK(info.capacity_Ah == Q_AH);
    CHECK(info.minimum_voltage_V == V_MIN);
    CHECK(info.maximum_voltage_V == V_MAX);
    CHECK(info.minimum_temperature_K == 243.15); /* the documented defaults */
    CHECK(info.maximum_temperature_K == 333.15);
    n = state_size(m);
    CHECK(info.state_size == n && n > 0);
    CHECK(info.internal_count >= 1 && info.internal_count <= LITHOS_MODEL_MAX_INTERNALS);

    /* every internal name: non-empty, unit-bearing identifier; distinct */
    for (i = 0; i < info.internal_count; i++) {
        size_t j;
        name = CHECK_SENTINEL_STRING;
        CHECK_OK(lithos_model_internal_name(m, i, &name));
        CHECK(name != NULL && name != CHECK_SENTINEL_STRING && name[0] != '\0');
        if (name == NULL || name == CHECK_SENTINEL_STRING) continue;
        for (j = 0; j < i; j++) {
            const char *other = NULL;
            CHECK_OK(lithos_model_internal_name(m, j, &other));
            CHECK(other != NULL && strcmp(other, name) != 0);
        }
    }
    name = NULL;
    CHECK_OK(lithos_model_internal_name(m, 0, &name));
    CHECK(name != NULL && strcmp(name, "rc1_voltage_V") == 0);

    /* out of range: NOT_FOUND, nothing written */
    {
        static const size_t bad[] = {0, 1, 1000, (size_t)-1};
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            size_t index = i == 0 ? info.internal_count : i == 1 ? LITHOS_MODEL_MAX_INTERNALS : bad[i];
            name = CHECK_SENTINEL_STRING;
            CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_model_internal_name(m, index, &name));
            CHECK(name == CHECK_SENTINEL_STRING);
            CHECK_MESSAGE_CONTAINS("index");
        }
    }
    name = CHECK_SENTINEL_STRING;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_internal_name(NULL, 0, &name));
    CHECK(name == CHECK_SENTINEL_STRING);
    CHECK_MESSAGE_CONTAINS("model");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_internal_name(m, 0, NULL));
    CHECK_MESSAGE_CONTAINS("out_name");

    /* the derived ECM: capacity = the design's practical capacity, a sane window */
    {
        lithos_cell *cell = NULL;
        lithos_cell_metrics metrics;
        memset(&info, 0xA5, sizeof info);
        info.struct_size = sizeof info;
        CHECK_OK(lithos_model_get_info(d, &info));
        CHECK(info.kind != NULL && strcmp(info.kind, "ecm") == 0);
        CHECK(info.state_size == state_size(d));
        CHECK(info.minimum_voltage_V > 2.0 && info.minimum_voltage_V < info.maximum_voltage_V &&
              info.maximum_voltage_V < 5.0);
        CHECK(info.minimum_temperature_K < T_25C && T_25C < info.maximum_temperature_K);
        CHECK_OK(lithos_cell_create(default_design, &cell));
        if (cell) {
            metrics.struct_size = sizeof metrics;
            CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &metrics));
            CHECK_NEAR(info.capacity_Ah, metrics.practical_capacity_Ah, 1e-12);
            CHECK_OK(lithos_cell_destroy(cell));
        }
    }

    /* get_info errors: NULL, struct_size too small (nothing written) */
    {
        static const size_t sizes[] = {0, 1, sizeof(size_t), sizeof(size_t) + sizeof(void *),
                                       offsetof(lithos_model_info, internal_count)};
        lithos_model_info expected;
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            memset(&info, 0xA5, sizeof info);
            info.struct_size = sizes[i];
            expected = info;
            CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_model_get_info(m, &info));
            CHECK(memcmp(&info, &expected, sizeof info) == 0);
            CHECK_MESSAGE_CONTAINS("struct_size");
        }
        memset(&info, 0xA5, sizeof info);
        info.struct_size = sizeof info;
        expected = info;
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_get_info(NULL, &info));
        CHECK(memcmp(&info, &expected, sizeof info) == 0);
        CHECK_MESSAGE_CONTAINS("model");
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_get_info(m, NULL));
        CHECK_MESSAGE_CONTAINS("out_info");
    }

    /* state_size errors */
    n = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_state_size(NULL, &n));
    CHECK(n == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_state_size(m, NULL));

    CHECK_OK(lithos_model_destroy(m));
    CHECK_OK(lithos_model_destroy(d));
    CHECK_OK(lithos_model_destroy(NULL));
}

/* The output right after creation: at rest, at the initial state. */
static void test_initial_output(void) {
    lithos_model *m = make_model(NULL, "{\"initial_soc\": 0.25, \"initial_temperature_K\": 310, \"ecm\": " ECM "}");
    lithos_model_output o;
    REQUIRE(m != NULL);
    o = get_output(m);
    CHECK(o.struct_size == sizeof o);
    CHECK(o.time_s == 0 && o.current_A == 0 && o.power_W == 0);
    CHECK(o.soc == 0.25);
    CHECK(o.temperature_K == 310);
    CHECK_NEAR(o.open_circuit_voltage_V, ocv_of(0.25), 1e-14);
    CHECK_NEAR(o.voltage_V, ocv_of(0.25), 1e-14);
    CHECK(o.discharged_charge_Ah == 0 && o.discharged_energy_Wh == 0);
    CHECK(o.limit_flags == 0);
    CHECK(o.internal_count >= 1 && o.internal_count <= LITHOS_MODEL_MAX_INTERNALS);
    CHECK(o.internals[0] == 0); /* rc1 voltage at rest */

    /* get_output errors */
    {
        static const size_t sizes[] = {0, 1, sizeof(size_t), offsetof(lithos_model_output, internals),
                                       sizeof(lithos_model_output) - 1};
        lithos_model_output expected;
        size_t i;
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            poison_output(&o);
            o.struct_size = sizes[i];
            expected = o;
            CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_model_get_output(m, &o));
            CHECK(memcmp(&o, &expected, sizeof o) == 0);
            CHECK_MESSAGE_CONTAINS("struct_size");
        }
        poison_output(&o);
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_get_output(NULL, &o));
        CHECK(output_is_poisoned(&o));
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_get_output(m, NULL));
        CHECK_MESSAGE_CONTAINS("out_output");
    }

    /* a larger struct_size: works, bytes past the struct untouched */
    {
        union {
            lithos_model_output o;
            unsigned char bytes[sizeof(lithos_model_output) + 64];
        } big;
        size_t k;
        int tail_ok = 1;
        memset(big.bytes, 0xA5, sizeof big.bytes);
        big.o.struct_size = sizeof big.bytes;
        CHECK_OK(lithos_model_get_output(m, &big.o));
        CHECK(big.o.struct_size == sizeof big.bytes);
        for (k = sizeof(lithos_model_output); k < sizeof big.bytes; k++)
            if (big.bytes[k] != 0xA5) tail_ok = 0;
        CHECK(tail_ok);
        CHECK(big.o.soc == 0.25);
    }
    CHECK_OK(lithos_model_destroy(m));
}

/* ---------------------------------------------------------------------------------------- */
/* physics of the explicit ECM against its closed form                                       */

static void test_closed_form(void) {
    static const double dts[] = {0.1, 1.0, 7.5, 30.0, 100.0, 0.001, 250.0, 3.0};
    const double I = 1.0; /* 0.5 C discharge */
    lithos_model *m = explicit_model();
    double t = 0, energy = 0;
    size_t k;
    int before = check_failures_;

    REQUIRE(m != NULL);
    for (k = 0; k < sizeof dts / sizeof dts[0]; k++) {
        lithos_model_output o;
        double z, v_rc, V;
        poison_output(&o);
        CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, I, dts[k], T_25C, &o));
        t += dts[k];
        z = 1.0 - I * t / (3600.0 * Q_AH);
        v_rc = R1 * I * (1.0 - exp(-t / TAU1));
        V = ocv_of(z) - R0 * I - v_rc;
        energy += V * I * dts[k] / 3600.0;
        CHECK(o.struct_size == sizeof o);
        CHECK(fabs(o.voltage_V - V) <= 1e-9);
        CHECK(fabs(o.time_s - t) <= 1e-12 * t);
        CHECK(o.current_A == I);
        CHECK(o.power_W == o.voltage_V * o.current_A);
        CHECK(fabs(o.soc - z) <= 1e-12);
        CHECK(fabs(o.open_circuit_voltage_V - ocv_of(z)) <= 1e-9);
        CHECK(o.temperature_K == T_25C); /* thermal model off: the cell sits at ambient */
        CHECK(fabs(o.heat_generation_W - I * (ocv_of(z) - V)) <= 1e-9);
        CHECK(fabs(o.discharged_charge_Ah - I * t / 3600.0) <= 1e-12);
        CHECK(fabs(o.discharged_energy_Wh - energy) <= 1e-9);
        CHECK(o.limit_flags == 0);
        CHECK(o.internal_count >= 6);
        CHECK(fabs(o.internals[0] - v_rc) <= 1e-12); /* rc1_voltage_V */
        CHECK(o.internals[1] == 0 && o.internals[2] == 0);
        if (o.internal_count >= 6) CHECK(fabs(o.internals[5] - R0) <= 1e-15); /* series_resistance_ohm */
        if (check_failures_ != before) {
            fprintf(stderr, "    (discharge step %u, dt %g s: V %.15g expected %.15g)\n", (unsigned)k, dts[k],
                    o.voltage_V, V);
            break;
        }
        /* get_output gives the same bits */
        {
            lithos_model_output again = get_output(m);
            CHECK(memcmp(&again, &o, sizeof o) == 0);
        }
    }

    /* then a charge at −1 A: the RC voltage relaxes from its value and reverses */
    {
        const double I2 = -0.5;
        double v_rc = R1 * I * (1.0 - exp(-t / TAU1)), t_charge = 0, q = I * t / 3600.0;
        for (k = 0; k < sizeof dts / sizeof dts[0]; k++) {
            lithos_model_output o;
            double z, V, a = exp(-dts[k] / TAU1);
            poison_output(&o);
            CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, I2, dts[k], T_25C, &o));
            t_charge += dts[k];
            v_rc = a * v_rc + R1 * I2 * (1.0 - a);
            q += I2 * dts[k] / 3600.0;
            z = 1.0 - q / Q_AH;
            V = ocv_of(z) - R0 * I2 - v_rc;
            CHECK(fabs(o.voltage_V - V) <= 1e-9);
            CHECK(fabs(o.soc - z) <= 1e-12);
            CHECK(fabs(o.discharged_charge_Ah - q) <= 1e-12);
            CHECK(fabs(o.internals[0] - v_rc) <= 1e-12);
        }
    }
    CHECK_OK(lithos_model_destroy(m));

    /* the same discharge as one long step vs many short ones: identical physics (the RC update
     * is exact for any dt), so the voltages agree to rounding */
    {
        lithos_model *a = explicit_model(), *b = explicit_model();
        lithos_model_output oa, ob;
        REQUIRE(a != NULL && b != NULL);
        poison_output(&oa);
        CHECK_OK(lithos_model_step(a, LITHOS_INPUT_CURRENT, 2.0, 600.0, T_25C, &oa));
        for (k = 0; k < 600; k++) {
            poison_output(&ob);
            CHECK_OK(lithos_model_step(b, LITHOS_INPUT_CURRENT, 2.0, 1.0, T_25C, &ob));
        }
        CHECK(fabs(oa.voltage_V - ob.voltage_V) <= 1e-9);
        CHECK(fabs(oa.soc - ob.soc) <= 1e-12);
        CHECK(fabs(oa.voltage_V - (ocv_of(1.0 - 2.0 * 600.0 / 7200.0) - R0 * 2.0 - R1 * 2.0 * (1.0 - exp(-20.0)))) <= 1e-9);
        CHECK_OK(lithos_model_destroy(a));
        CHECK_OK(lithos_model_destroy(b));
    }

    /* thermal model off: the cell temperature follows ambient */
    {
        lithos_model *c = explicit_model();
        lithos_model_output o;
        REQUIRE(c != NULL);
        poison_output(&o);
        CHECK_OK(lithos_model_step(c, LITHOS_INPUT_CURRENT, 1.0, 10.0, 273.15, &o));
        CHECK(o.temperature_K == 273.15);
        CHECK_OK(lithos_model_destroy(c));
    }
}

/* Charge conservation: ∫I dt = −ΔSOC·Q = discharged_charge_Ah, with and without a charge
 * efficiency (η_c multiplies charge currents in the SOC update only). */
static void test_charge_conservation(void) {
    int pass;
    for (pass = 0; pass < 2; pass++) {
        const double eta = pass == 0 ? 1.0 : 0.95;
        lithos_model *m = make_model(NULL, pass == 0 ? OPTIONS_WITH("0.5", ECM)
                                                     : OPTIONS_WITH("0.5", ECM_WITH("0.01", ", \"charge_efficiency\": 0.95")));
        double discharge_As = 0, charge_As = 0;
        int k;
        lithos_model_output o;
        REQUIRE(m != NULL);
        poison_output(&o);
        lcg_state = 12345;
        for (k = 0; k < n_iterations; k++) {
            double I = (lcg_uniform() - 0.5) * 4.0; /* ±1 C */
            double dt = 0.05 + 5.0 * lcg_uniform();
            lithos_status s = lithos_model_step(m, LITHOS_INPUT_CURRENT, I, dt, T_25C, &o);
            CHECK(s == LITHOS_OK || s == LITHOS_LIMIT_REACHED);
            if (I > 0) discharge_As += I * dt; else charge_As += -I * dt;
        }
        o = get_output(m);
        CHECK(fabs(o.discharged_charge_Ah - (discharge_As - charge_As) / 3600.0) <= 1e-10);
        CHECK(fabs((0.5 - o.soc) * Q_AH - (discharge_As - eta * charge_As) / 3600.0) <= 1e-10);
        CHECK_OK(lithos_model_destroy(m));
    }
}

/* Voltage and power steps solve for the current. */
static void test_voltage_and_power_steps(void) {
    static const double targets_V[] = {3.9, 3.5, 4.1, 3.96, 4.25};
    static const double dts[] = {1.0, 10.0, 0.1};
    size_t i, j;

    for (i = 0; i < sizeof targets_V / sizeof targets_V[0]; i++) {
        for (j = 0; j < sizeof dts / sizeof dts[0]; j++) {
            lithos_model *m = make_model(NULL, OPTIONS_WITH("0.8", ECM));
            lithos_model_output o;
            double dt = dts[j], ocv = ocv_of(0.8);
            /* from rest: V_end(I) = OCV(z0) − I·[(OCV1−OCV0)·dt/(3600·Q) + R0 + R1·(1 − e^(−dt/τ))] */
            double r_eff = (OCV1 - OCV0) * dt / (3600.0 * Q_AH) + R0 + R1 * (1.0 - exp(-dt / TAU1));
            double I = (ocv - targets_V[i]) / r_eff;
            lithos_status s;
            REQUIRE(m != NULL);
            poison_output(&o);
            s = lithos_model_step(m, LITHOS_INPUT_VOLTAGE, targets_V[i], dt, T_25C, &o);
            CHECK(s == LITHOS_OK);
            CHECK(fabs(o.voltage_V - targets_V[i]) <= 1e-9);
            CHECK(fabs(o.current_A - I) <= 1e-9 * (1 + fabs(I)));
            CHECK((o.current_A > 0) == (targets_V[i] < ocv)); /* below OCV → discharge */
            if (s != LITHOS_OK || fabs(o.voltage_V - targets_V[i]) > 1e-9)
                fprintf(stderr, "    (voltage step to %g V over %g s: got %.15g V, %.15g A)\n", targets_V[i], dt, o.voltage_V,
                        o.current_A);
            CHECK_OK(lithos_model_destroy(m));
        }
    }

    /* holding a voltage step after step (a CV phase): every step lands on the voltage, the
     * current decays as the RC pair charges */
    {
        lithos_model *m = make_model(NULL, OPTIONS_WITH("0.5", ECM));
        lithos_model_output o;
        double previous = INFINITY;
        int k;
        REQUIRE(m != NULL);
        for (k = 0; k < 50; k++) {
            poison_output(&o);
            CHECK_OK(lithos_model_step(m, LITHOS_INPUT_VOLTAGE, 3.5, 2.0, T_25C, &o));
            CHECK(fabs(o.voltage_V - 3.5) <= 1e-9);
            CHECK(o.current_A > 0 && o.current_A < previous);
            previous = o.current_A;
        }
        CHECK_OK(lithos_model_destroy(m));
    }

    /* power: V·I = P; on discharge the low-current root */
    {
        static const double powers_W[] = {5.0, 0.5, 20.0, -5.0, -20.0, 1e-6};
        for (i = 0; i < sizeof powers_W / sizeof powers_W[0]; i++) {
            for (j = 0; j < sizeof dts / sizeof dts[0]; j++) {
                lithos_model *m = make_model(NULL, OPTIONS_WITH("0.8", ECM));
                lithos_model_output o;
                double P = powers_W[i], dt = dts[j];
                double r_eff = (OCV1 - OCV0) * dt / (3600.0 * Q_AH) + R0 + R1 * (1.0 - exp(-dt / TAU1));
                double ocv = ocv_of(0.8);
                /* I·(OCV − r·I) = P → I = (OCV − sqrt(OCV² − 4·r·P)) / (2r) */
                double I = (ocv - sqrt(ocv * ocv - 4.0 * r_eff * P)) / (2.0 * r_eff);
                REQUIRE(m != NULL);
                poison_output(&o);
                CHECK_OK(lithos_model_step(m, LITHOS_INPUT_POWER, P, dt, T_25C, &o));
                CHECK(fabs(o.voltage_V * o.current_A - P) <= 1e-9 * (1 + fabs(P)));
                CHECK(o.power_W == o.voltage_V * o.current_A);
                CHECK(fabs(o.current_A - I) <= 1e-9 * (1 + fabs(I)));
                CHECK((o.current_A > 0) == (P > 0));
                CHECK_OK(lithos_model_destroy(m));
            }
        }
    }

    /* zero power is a rest */
    {
        lithos_model *m = make_model(NULL, OPTIONS_WITH("0.8", ECM));
        lithos_model_output o;
        REQUIRE(m != NULL);
        poison_output(&o);
        CHECK_OK(lithos_model_step(m, LITHOS_INPUT_POWER, 0.0, 10.0, T_25C, &o));
        CHECK(o.current_A == 0 && o.soc == 0.8);
        CHECK_NEAR(o.voltage_V, ocv_of(0.8), 1e-14);
        CHECK_OK(lithos_model_destroy(m));
    }
}

/* Limits: crossing is not an error; the step is taken and the bits say which limit. */
static void test_limits(void) {
    lithos_model *m = explicit_model();
    lithos_model_output o, last;
    lithos_status s = LITHOS_OK;
    int k;
    REQUIRE(m != NULL);

    /* 1C discharge: V = OCV(z) − 0.02 − 0.04·(1 − e^(−t/τ)) falls below 3.2 V near z ≈ 0.2 */
    last = get_output(m);
    for (k = 0; k < 10000; k++) {
        poison_output(&o);
        s = lithos_model_step(m, LITHOS_INPUT_CURRENT, Q_AH, 10.0, T_25C, &o);
        if (s != LITHOS_OK) break;
        CHECK(o.limit_flags == 0);
        last = o;
    }
    CHECK_STATUS(LITHOS_LIMIT_REACHED, s);
    CHECK(o.limit_flags == LITHOS_LIMIT_VOLTAGE_LOW);
    CHECK(o.voltage_V < V_MIN && last.voltage_V >= V_MIN);
    CHECK(o.soc > 0.1 && o.soc < 0.3);
    CHECK(o.time_s == last.time_s + 10.0); /* the step was taken */
    {
        lithos_model_output again = get_output(m);
        CHECK(again.limit_flags == LITHOS_LIMIT_VOLTAGE_LOW);
        CHECK(memcmp(&again, &o, sizeof o) == 0);
    }

    /* keep going past SOC 0: both bits */
    for (k = 0; k < 10000 && o.soc >= 0; k++) {
        s = lithos_model_step(m, LITHOS_INPUT_CURRENT, Q_AH, 10.0, T_25C, &o);
        CHECK(s == LITHOS_LIMIT_REACHED);
    }
    CHECK(o.soc < 0);
    CHECK(o.limit_flags == (LITHOS_LIMIT_VOLTAGE_LOW | LITHOS_LIMIT_SOC_LOW));

    /* rest at SOC 0.5: back inside the window */
    CHECK_OK(lithos_model_reset(m, 0.5, T_25C));
    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.0, 1.0, T_25C, &o));
    CHECK(o.limit_flags == 0);

    /* charge past full: voltage high (OCV(1) + IR > 4.3 V) and SOC above 1 */
    CHECK_OK(lithos_model_reset(m, 0.99, T_25C));
    s = lithos_model_step(m, LITHOS_INPUT_CURRENT, -2.0 * Q_AH, 60.0, T_25C, &o);
    CHECK_STATUS(LITHOS_LIMIT_REACHED, s);
    CHECK(o.soc > 1.0);
    CHECK(o.limit_flags == (LITHOS_LIMIT_VOLTAGE_HIGH | LITHOS_LIMIT_SOC_HIGH));

    /* temperature window (thermal model off: cell at ambient) */
    CHECK_OK(lithos_model_reset(m, 0.5, T_25C));
    s = lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.0, 1.0, 340.0, &o);
    CHECK_STATUS(LITHOS_LIMIT_REACHED, s);
    CHECK(o.limit_flags == LITHOS_LIMIT_TEMPERATURE_HIGH);
    s = lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.0, 1.0, 230.0, &o);
    CHECK_STATUS(LITHOS_LIMIT_REACHED, s);
    CHECK(o.limit_flags == LITHOS_LIMIT_TEMPERATURE_LOW);
    s = lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.0, 1.0, T_25C, &o);
    CHECK_OK(s);
    CHECK(o.limit_flags == 0);

    /* LIMIT_REACHED with a NULL output pointer still steps */
    CHECK_OK(lithos_model_reset(m, 0.21, T_25C));
    CHECK_STATUS(LITHOS_LIMIT_REACHED, lithos_model_step(m, LITHOS_INPUT_CURRENT, 20.0, 1.0, T_25C, NULL));
    o = get_output(m);
    CHECK(o.time_s == 1.0 && o.limit_flags == LITHOS_LIMIT_VOLTAGE_LOW);
    CHECK_OK(lithos_model_destroy(m));
}

/* The derived ECM (default.json): a 1C discharge to the minimum voltage delivers most of the
 * practical capacity, the thermal model heats the cell, colder is worse. */
static void test_derived_discharge(void) {
    double delivered[2];
    int pass;
    for (pass = 0; pass < 2; pass++) {
        double ambient = pass == 0 ? T_25C : 273.15;
        lithos_model *m = make_model(default_design, pass == 0 ? "{\"initial_soc\": 1}" : "{\"initial_temperature_K\": 273.15}");
        lithos_model_info info;
        lithos_model_output o;
        lithos_status s = LITHOS_OK;
        int k;
        delivered[pass] = 0;
        REQUIRE(m != NULL);
        info.struct_size = sizeof info;
        CHECK_OK(lithos_model_get_info(m, &info));
        o = get_output(m);
        CHECK(o.voltage_V > info.minimum_voltage_V && o.voltage_V <= info.maximum_voltage_V + 1e-9);
        for (k = 0; k < 4000; k++) {
            s = lithos_model_step(m, LITHOS_INPUT_CURRENT, info.capacity_Ah, 1.0, ambient, &o);
            if (s != LITHOS_OK) break;
            CHECK(o.temperature_K >= ambient); /* discharge heats */
        }
        CHECK_STATUS(LITHOS_LIMIT_REACHED, s);
        /* at 25 °C the practical window (SOC 0) ends before the minimum voltage; at 0 °C the
         * voltage limit comes first */
        CHECK(o.limit_flags == (pass == 0 ? LITHOS_LIMIT_SOC_LOW : LITHOS_LIMIT_VOLTAGE_LOW));
        if (o.limit_flags != (pass == 0 ? LITHOS_LIMIT_SOC_LOW : LITHOS_LIMIT_VOLTAGE_LOW))
            fprintf(stderr, "    (pass %d: step %d flags 0x%x V %g soc %g T %g)\n", pass, k, o.limit_flags, o.voltage_V, o.soc, o.temperature_K);
        CHECK(o.voltage_V > info.minimum_voltage_V - 0.05);
        delivered[pass] = o.discharged_charge_Ah;
        CHECK(delivered[pass] > 0.3 * info.capacity_Ah && delivered[pass] <= info.capacity_Ah * (1 + 1e-3));
        CHECK(o.temperature_K > ambient);
        CHECK(o.discharged_energy_Wh > 0 && o.discharged_energy_Wh < delivered[pass] * info.maximum_voltage_V);
        CHECK(o.internal_count >= 2 && o.internals[0] > 0 && o.internals[1] > 0); /* both RC pairs charged */
        if (pass == 0) CHECK(fabs(delivered[0] - info.capacity_Ah) <= 1.0 / 3600.0 * info.capacity_Ah);
        CHECK_OK(lithos_model_destroy(m));
    }
    CHECK(delivered[1] < delivered[0]);
}

/* ---------------------------------------------------------------------------------------- */
/* batch run                                                                                 */

/* run() equals the same steps one by one, bit for bit. */
static void check_run_equals_steps(const char *design, const char *options, lithos_input_mode mode,
                                   const double *values, const double *dts, double fixed_dt, size_t n,
                                   double ambient, const char *label) {
    lithos_model *a = make_model(design, options), *b = make_model(design, options);
    double *va = (double *)malloc(4 * n * sizeof(double)), *vb = (double *)malloc(4 * n * sizeof(double));
    size_t steps = CHECK_SENTINEL_SIZE, k;
    lithos_status sa, sb = LITHOS_OK;
    int before = check_failures_;
    observed oa, ob;

    REQUIRE(a != NULL && b != NULL && va != NULL && vb != NULL);
    sa = lithos_model_run(a, mode, values, dts, fixed_dt, n, ambient, va, va + n, va + 2 * n, va + 3 * n, &steps);
    CHECK(sa == LITHOS_OK || sa == LITHOS_LIMIT_REACHED);
    CHECK(steps == n);
    for (k = 0; k < n; k++) {
        lithos_model_output o;
        lithos_status s;
        poison_output(&o);
        s = lithos_model_step(b, mode, values[k], dts ? dts[k] : fixed_dt, ambient, &o);
        CHECK(s == LITHOS_OK || s == LITHOS_LIMIT_REACHED);
        if (s == LITHOS_LIMIT_REACHED) sb = s;
        vb[k] = o.voltage_V;
        vb[n + k] = o.current_A;
        vb[2 * n + k] = o.soc;
        vb[3 * n + k] = o.temperature_K;
    }
    CHECK(sa == sb);
    CHECK(memcmp(va, vb, 4 * n * sizeof(double)) == 0);
    oa = observe(a);
    ob = observe(b);
    CHECK(same_observed(&oa, &ob));
    free(oa.state);
    free(ob.state);
    if (check_failures_ != before) fprintf(stderr, "    (run vs step: %s)\n", label);
    free(va);
    free(vb);
    CHECK_OK(lithos_model_destroy(a));
    CHECK_OK(lithos_model_destroy(b));
}

static void test_run_equals_steps(void) {
    size_t n = (size_t)n_iterations, k;
    double *currents = (double *)malloc(n * sizeof(double));
    double *powers = (double *)malloc(n * sizeof(double));
    double *voltages = (double *)malloc(n * sizeof(double));
    double *dts = (double *)malloc(n * sizeof(double));
    lithos_model_info info;
    lithos_model *d = derived_model();

    REQUIRE(currents && powers && voltages && dts && d);
    info.struct_size = sizeof info;
    CHECK_OK(lithos_model_get_info(d, &info));
    CHECK_OK(lithos_model_destroy(d));
    lcg_state = 777;
    for (k = 0; k < n; k++) {
        currents[k] = (lcg_uniform() - 0.45) * 2.0 * info.capacity_Ah; /* −0.9 … +1.1 C, net discharge */
        powers[k] = (lcg_uniform() - 0.5) * 2.0 * info.capacity_Ah * 3.7;
        voltages[k] = 3.6 + 0.3 * lcg_uniform();
        dts[k] = 0.01 + 2.0 * lcg_uniform();
    }
    check_run_equals_steps(default_design, NULL, LITHOS_INPUT_CURRENT, currents, dts, 0.0, n, T_25C, "derived, current, dt array");
    check_run_equals_steps(default_design, NULL, LITHOS_INPUT_CURRENT, currents, NULL, 0.5, n, 283.15, "derived, current, fixed dt");
    check_run_equals_steps(default_design, NULL, LITHOS_INPUT_POWER, powers, dts, 0.0, n / 4, T_25C, "derived, power, dt array");
    check_run_equals_steps(default_design, NULL, LITHOS_INPUT_VOLTAGE, voltages, NULL, 1.0, n / 4, T_25C, "derived, voltage, fixed dt");
    for (k = 0; k < n; k++) currents[k] = (lcg_uniform() - 0.45) * 4.0;
    check_run_equals_steps(NULL, OPTIONS, LITHOS_INPUT_CURRENT, currents, dts, 0.0, n, T_25C, "explicit, current, dt array");
    check_run_equals_steps(NULL, OPTIONS, LITHOS_INPUT_CURRENT, currents, NULL, 3.0, n, T_25C, "explicit, current, fixed dt");

    /* a run that crosses a limit returns LIMIT_REACHED, all steps taken */
    {
        lithos_model *m = make_model(NULL, OPTIONS_WITH("0.3", ECM));
        double v[20];
        size_t steps = CHECK_SENTINEL_SIZE;
        REQUIRE(m != NULL);
        for (k = 0; k < 20; k++) currents[k] = Q_AH;
        CHECK_STATUS(LITHOS_LIMIT_REACHED, lithos_model_run(m, LITHOS_INPUT_CURRENT, currents, NULL, 60.0, 20, T_25C, v, NULL, NULL, NULL, &steps));
        CHECK(steps == 20);
        CHECK(v[0] > V_MIN && v[19] < V_MIN);
        CHECK(get_output(m).time_s == 1200.0);
        CHECK_OK(lithos_model_destroy(m));
    }

    free(currents);
    free(powers);
    free(voltages);
    free(dts);
}

/* All or nothing: a bad value in the middle rolls the whole run back. */
static void check_run_rolls_back_(lithos_model *m, lithos_input_mode mode, const double *values, const double *dts,
                                  double fixed_dt, size_t n, double ambient, lithos_status expected,
                                  size_t failing, int line) {
    observed before = observe(m);
    double *out = (double *)malloc(4 * n * sizeof(double));
    size_t steps = CHECK_SENTINEL_SIZE, k;
    lithos_status s;
    int tail_untouched = 1;

    if (out == NULL) return;
    for (k = 0; k < 4 * n; k++) out[k] = CHECK_SENTINEL_DOUBLE;
    s = lithos_model_run(m, mode, values, dts, fixed_dt, n, ambient, out, out + n, out + 2 * n, out + 3 * n, &steps);
    check_count_++;
    if (s != expected) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_model_run returned %s, expected %s\n    message: \"%s\"\n", __FILE__,
                line, lithos_status_string(s), lithos_status_string(expected), lithos_last_error_message());
    }
    check_count_++;
    if (steps != failing) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: *out_steps = %lu, expected the failing step %lu\n", __FILE__, line,
                (unsigned long)steps, (unsigned long)failing);
    }
    /* no output from the failing step on */
    for (k = failing; k < n; k++) {
        if (out[k] != CHECK_SENTINEL_DOUBLE || out[n + k] != CHECK_SENTINEL_DOUBLE ||
            out[2 * n + k] != CHECK_SENTINEL_DOUBLE || out[3 * n + k] != CHECK_SENTINEL_DOUBLE)
            tail_untouched = 0;
    }
    check_count_++;
    if (!tail_untouched) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_model_run wrote outputs at or after the failing step\n", __FILE__, line);
    }
    check_unchanged_(m, &before, "lithos_model_run", line);
    free(out);
}
#define RUN_ROLLS_BACK(m, mode, values, dts, fixed_dt, n, ambient, expected, failing) \
    check_run_rolls_back_((m), (mode), (values), (dts), (fixed_dt), (n), (ambient), (expected), (failing), __LINE__)

static void test_run_all_or_nothing(void) {
    enum { N = 100 };
    double values[N], dts[N];
    lithos_model *m = make_model(NULL, OPTIONS_WITH("0.9", ECM));
    lithos_model *d = derived_model();
    size_t k;

    REQUIRE(m != NULL && d != NULL);
    /* move away from the initial state so a "reset" would show */
    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 1.0, 17.0, T_25C, NULL));
    CHECK_OK(lithos_model_step(d, LITHOS_INPUT_CURRENT, 0.01, 17.0, T_25C, NULL));
    for (k = 0; k < N; k++) { values[k] = 1.0; dts[k] = 1.0; }

    values[37] = NAN;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, dts, 0.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, 37);
    CHECK_MESSAGE_CONTAINS("37");
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, NULL, 2.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, 37);
    RUN_ROLLS_BACK(d, LITHOS_INPUT_CURRENT, values, NULL, 2.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, 37);
    values[37] = INFINITY;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_POWER, values, NULL, 2.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, 37);
    values[37] = 1.0;
    values[N - 1] = -INFINITY;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, NULL, 2.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, N - 1);
    values[N - 1] = 1.0;

    dts[5] = 0.0;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, dts, 0.0, N, T_25C, LITHOS_ERROR_OUT_OF_RANGE, 5);
    dts[5] = -1.0;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, dts, 0.0, N, T_25C, LITHOS_ERROR_OUT_OF_RANGE, 5);
    dts[5] = NAN;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, dts, 0.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, 5);
    dts[5] = 86400.5;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, dts, 0.0, N, T_25C, LITHOS_ERROR_OUT_OF_RANGE, 5);
    dts[5] = 1.0;

    /* voltage steps: one unreachable target in the middle */
    for (k = 0; k < N; k++) values[k] = 3.9;
    values[60] = 9.5;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_VOLTAGE, values, NULL, 1.0, N, T_25C, LITHOS_ERROR_OUT_OF_RANGE, 60);
    values[60] = 12.0;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_VOLTAGE, values, NULL, 1.0, N, T_25C, LITHOS_ERROR_OUT_OF_RANGE, 60);
    /* power: one unreachable power */
    for (k = 0; k < N; k++) values[k] = 3.0;
    values[10] = 1e5;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_POWER, values, NULL, 1.0, N, T_25C, LITHOS_ERROR_OUT_OF_RANGE, 10);

    /* the first step fails */
    for (k = 0; k < N; k++) values[k] = 1.0;
    values[0] = NAN;
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, NULL, 1.0, N, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, 0);
    values[0] = 1.0;
    /* a bad ambient fails at step 0 */
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, NULL, 1.0, N, 25.0, LITHOS_ERROR_OUT_OF_RANGE, 0);
    RUN_ROLLS_BACK(m, LITHOS_INPUT_CURRENT, values, NULL, 1.0, N, NAN, LITHOS_ERROR_INVALID_ARGUMENT, 0);

    /* the model still works: a good run afterwards equals the same steps on a fresh twin */
    {
        lithos_model *twin = make_model(NULL, OPTIONS_WITH("0.9", ECM));
        double va[N], vb[N];
        size_t steps = 0;
        REQUIRE(twin != NULL);
        CHECK_OK(lithos_model_step(twin, LITHOS_INPUT_CURRENT, 1.0, 17.0, T_25C, NULL));
        CHECK_OK(lithos_model_run(m, LITHOS_INPUT_CURRENT, values, NULL, 1.0, N, T_25C, va, NULL, NULL, NULL, &steps));
        CHECK(steps == N);
        CHECK_OK(lithos_model_run(twin, LITHOS_INPUT_CURRENT, values, NULL, 1.0, N, T_25C, vb, NULL, NULL, NULL, &steps));
        CHECK(memcmp(va, vb, sizeof va) == 0);
        CHECK_OK(lithos_model_destroy(twin));
    }
    CHECK_OK(lithos_model_destroy(m));
    CHECK_OK(lithos_model_destroy(d));
}

static void test_run_errors(void) {
    lithos_model *m = explicit_model();
    double values[4] = {1, 1, 1, 1}, v[4];
    size_t steps;
    observed before;
    REQUIRE(m != NULL);

    /* NULL model / values */
    steps = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_run(NULL, LITHOS_INPUT_CURRENT, values, NULL, 1.0, 4, T_25C, v, NULL, NULL, NULL, &steps));
    CHECK(steps == CHECK_SENTINEL_SIZE);
    CHECK_MESSAGE_CONTAINS("model");
    before = observe(m);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_run(m, LITHOS_INPUT_CURRENT, NULL, NULL, 1.0, 4, T_25C, v, NULL, NULL, NULL, &steps));
    CHECK_MESSAGE_CONTAINS("values");
    CHECK_UNCHANGED(m, before, "run with values NULL");

    /* n = 0: nothing to do, values may be NULL */
    steps = CHECK_SENTINEL_SIZE;
    before = observe(m);
    CHECK_OK(lithos_model_run(m, LITHOS_INPUT_CURRENT, NULL, NULL, 1.0, 0, T_25C, NULL, NULL, NULL, NULL, &steps));
    CHECK(steps == 0);
    CHECK_UNCHANGED(m, before, "run with n = 0");

    /* dt_s NULL and fixed_dt_s outside (0, 86400] */
    {
        static const double bad_dt[] = {0.0, -1.0, 86400.001, 1e300, -DBL_MIN};
        size_t i;
        for (i = 0; i < sizeof bad_dt / sizeof bad_dt[0]; i++) {
            before = observe(m);
            v[0] = CHECK_SENTINEL_DOUBLE;
            CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_run(m, LITHOS_INPUT_CURRENT, values, NULL, bad_dt[i], 4, T_25C, v, NULL, NULL, NULL, &steps));
            CHECK_MESSAGE_CONTAINS("fixed_dt_s");
            CHECK(v[0] == CHECK_SENTINEL_DOUBLE);
            CHECK_UNCHANGED(m, before, "run with a bad fixed_dt_s");
        }
        before = observe(m);
        CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_run(m, LITHOS_INPUT_CURRENT, values, NULL, NAN, 4, T_25C, v, NULL, NULL, NULL, &steps));
        CHECK_UNCHANGED(m, before, "run with fixed_dt_s NaN");
        /* fixed_dt_s is ignored when dt_s is given */
        {
            double dts[4] = {1, 1, 1, 1};
            steps = CHECK_SENTINEL_SIZE;
            CHECK_OK(lithos_model_run(m, LITHOS_INPUT_CURRENT, values, dts, NAN, 4, T_25C, v, NULL, NULL, NULL, &steps));
            CHECK(steps == 4);
        }
        /* the boundary 86400 s is allowed (a day at rest) */
        {
            double rest[1] = {0.0};
            CHECK_OK(lithos_model_run(m, LITHOS_INPUT_CURRENT, rest, NULL, 86400.0, 1, T_25C, NULL, NULL, NULL, NULL, &steps));
        }
        CHECK(steps == 1);
    }

    /* unknown mode */
    before = observe(m);
    steps = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_run(m, (lithos_input_mode)7, values, NULL, 1.0, 4, T_25C, v, NULL, NULL, NULL, &steps));
    CHECK_MESSAGE_CONTAINS("mode");
    CHECK_UNCHANGED(m, before, "run with mode 7");

    /* all output arrays NULL is fine */
    steps = CHECK_SENTINEL_SIZE;
    CHECK_OK(lithos_model_reset(m, 1.0, T_25C));
    CHECK_OK(lithos_model_run(m, LITHOS_INPUT_CURRENT, values, NULL, 1.0, 4, T_25C, NULL, NULL, NULL, NULL, &steps));
    CHECK(steps == 4);
    CHECK_OK(lithos_model_destroy(m));
}

/* ---------------------------------------------------------------------------------------- */
/* step errors                                                                               */

static void test_step_errors(void) {
    static const double non_finite[] = {NAN, INFINITY, -INFINITY};
    static const double bad_dt[] = {0.0, -0.0, -1.0, -DBL_MIN, 86400.000001, 1e300, DBL_MAX};
    static const double bad_ambient[] = {25.0, 0.0, -273.15, 173.14, 673.16, 1e6};
    lithos_model *models[2];
    int which;
    size_t i;

    models[0] = make_model(NULL, OPTIONS_WITH("0.7", ECM));
    models[1] = derived_model();
    REQUIRE(models[0] != NULL && models[1] != NULL);
    for (which = 0; which < 2; which++) {
        lithos_model *m = models[which];
        int mode;
        /* a step first, so the state is not the initial one */
        CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.1, 13.0, T_25C, NULL));

        for (mode = 0; mode <= 2; mode++) {
            double good = mode == LITHOS_INPUT_VOLTAGE ? 3.7 : 0.1;
            for (i = 0; i < 3; i++) {
                STEP_FAILS(m, (lithos_input_mode)mode, non_finite[i], 1.0, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, NULL);
                STEP_FAILS(m, (lithos_input_mode)mode, good, non_finite[i], T_25C, LITHOS_ERROR_INVALID_ARGUMENT, "dt_s");
                STEP_FAILS(m, (lithos_input_mode)mode, good, 1.0, non_finite[i], LITHOS_ERROR_INVALID_ARGUMENT, "ambient_K");
            }
            for (i = 0; i < sizeof bad_dt / sizeof bad_dt[0]; i++)
                STEP_FAILS(m, (lithos_input_mode)mode, good, bad_dt[i], T_25C, LITHOS_ERROR_OUT_OF_RANGE, "dt_s");
            for (i = 0; i < sizeof bad_ambient / sizeof bad_ambient[0]; i++)
                STEP_FAILS(m, (lithos_input_mode)mode, good, 1.0, bad_ambient[i], LITHOS_ERROR_OUT_OF_RANGE, "ambient_K");
        }
        /* unknown mode */
        STEP_FAILS(m, (lithos_input_mode)7, 1.0, 1.0, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, "mode");
        STEP_FAILS(m, (lithos_input_mode)3, 1.0, 1.0, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, "mode");
        STEP_FAILS(m, (lithos_input_mode)-1, 1.0, 1.0, T_25C, LITHOS_ERROR_INVALID_ARGUMENT, "mode");
        /* voltages outside what a cell can be held at */
        STEP_FAILS(m, LITHOS_INPUT_VOLTAGE, 0.0, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        STEP_FAILS(m, LITHOS_INPUT_VOLTAGE, -3.7, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        STEP_FAILS(m, LITHOS_INPUT_VOLTAGE, 12.0, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        STEP_FAILS(m, LITHOS_INPUT_VOLTAGE, 10.0, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        if (which == 0) {
            /* the explicit ECM cannot reach these within ±100 C (±200 A): V(±200 A) ≈ OCV ∓ 2.1 V */
            STEP_FAILS(m, LITHOS_INPUT_VOLTAGE, 9.5, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
            STEP_FAILS(m, LITHOS_INPUT_VOLTAGE, 0.2, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        }
        /* power beyond the maximum the cell can deliver (discharge) or absorb within 100 C */
        STEP_FAILS(m, LITHOS_INPUT_POWER, 1e5, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        STEP_FAILS(m, LITHOS_INPUT_POWER, -1e6, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);
        STEP_FAILS(m, LITHOS_INPUT_POWER, DBL_MAX, 1.0, T_25C, LITHOS_ERROR_OUT_OF_RANGE, NULL);

        /* struct_size too small: STRUCT_SIZE, and the model is NOT stepped */
        {
            static const size_t sizes[] = {0, 1, sizeof(size_t), offsetof(lithos_model_output, internals),
                                           sizeof(lithos_model_output) - 1};
            for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
                observed before = observe(m);
                lithos_model_output o, expected;
                poison_output(&o);
                o.struct_size = sizes[i];
                expected = o;
                CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_model_step(m, LITHOS_INPUT_CURRENT, 1.0, 1.0, T_25C, &o));
                CHECK_MESSAGE_CONTAINS("struct_size");
                CHECK(memcmp(&o, &expected, sizeof o) == 0);
                CHECK_UNCHANGED(m, before, "step with a small struct_size");
            }
        }
    }

    /* NULL model */
    {
        lithos_model_output o;
        poison_output(&o);
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_step(NULL, LITHOS_INPUT_CURRENT, 1.0, 1.0, T_25C, &o));
        CHECK(output_is_poisoned(&o));
        CHECK_MESSAGE_CONTAINS("model");
    }

    /* the boundaries are accepted */
    {
        lithos_model_output o;
        poison_output(&o);
        CHECK_OK(lithos_model_step(models[0], LITHOS_INPUT_CURRENT, 0.0, 86400.0, T_25C, &o));
        CHECK_OK(lithos_model_step(models[0], LITHOS_INPUT_CURRENT, 0.0, 1e-9, T_25C, &o));
        CHECK(lithos_model_step(models[0], LITHOS_INPUT_CURRENT, 0.0, 1.0, LITHOS_TEMPERATURE_MIN_K, &o) == LITHOS_LIMIT_REACHED);
        CHECK(o.temperature_K == LITHOS_TEMPERATURE_MIN_K);
        CHECK(lithos_model_step(models[0], LITHOS_INPUT_CURRENT, 0.0, 1.0, LITHOS_TEMPERATURE_MAX_K, &o) == LITHOS_LIMIT_REACHED);
    }
    CHECK_OK(lithos_model_destroy(models[0]));
    CHECK_OK(lithos_model_destroy(models[1]));
}

/* ---------------------------------------------------------------------------------------- */
/* reset                                                                                     */

static void test_reset(void) {
    lithos_model *m = explicit_model();
    lithos_model_output o;
    observed before;
    REQUIRE(m != NULL);

    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 1.5, 100.0, T_25C, NULL));
    CHECK_OK(lithos_model_reset(m, 0.5, 300.0));
    o = get_output(m);
    CHECK(o.time_s == 0 && o.current_A == 0 && o.soc == 0.5 && o.temperature_K == 300.0);
    CHECK(o.discharged_charge_Ah == 0 && o.discharged_energy_Wh == 0 && o.limit_flags == 0);
    CHECK_NEAR(o.voltage_V, ocv_of(0.5), 1e-14);
    CHECK(o.internals[0] == 0);
    /* a reset model behaves like a fresh one created at that state */
    {
        lithos_model *fresh = make_model(NULL, "{\"initial_soc\": 0.5, \"initial_temperature_K\": 300, \"ecm\": " ECM "}");
        observed a, b;
        REQUIRE(fresh != NULL);
        a = observe(m);
        b = observe(fresh);
        CHECK(same_observed(&a, &b));
        free(a.state);
        free(b.state);
        CHECK_OK(lithos_model_destroy(fresh));
    }
    /* the boundaries */
    CHECK_OK(lithos_model_reset(m, 0.0, LITHOS_TEMPERATURE_MIN_K));
    CHECK_OK(lithos_model_reset(m, 1.0, LITHOS_TEMPERATURE_MAX_K));
    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.3, 10.0, T_25C, NULL));

    /* errors: nothing changes */
    before = observe(m);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_reset(m, 1.5, T_25C));
    CHECK_MESSAGE_CONTAINS("soc");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_reset(m, -0.01, T_25C));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_reset(m, NAN, T_25C));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_reset(m, INFINITY, T_25C));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_reset(m, 0.5, 25.0));
    CHECK_MESSAGE_CONTAINS("K");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_reset(m, 0.5, 1000.0));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_reset(m, 0.5, NAN));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_reset(m, 0.5, -INFINITY));
    CHECK_UNCHANGED(m, before, "reset errors");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_reset(NULL, 0.5, T_25C));
    CHECK_OK(lithos_model_destroy(m));
}

/* ---------------------------------------------------------------------------------------- */
/* state snapshots                                                                           */

/* save → N steps → load → the same N steps: bit-identical outputs. */
static void check_resume(const char *design, const char *options, const char *label) {
    enum { N = 50 };
    lithos_model *m = make_model(design, options), *twin = make_model(design, options);
    lithos_model_output first[N], second[N], third[N];
    unsigned char *saved;
    size_t size = 0, k;
    int before = check_failures_;

    REQUIRE(m != NULL && twin != NULL);
    lcg_state = 99;
    for (k = 0; k < 20; k++) CHECK(stepped(lithos_model_step(m, LITHOS_INPUT_CURRENT, lcg_uniform() * 0.05, 3.0, T_25C, NULL)));
    saved = snapshot(m, &size);
    REQUIRE(saved != NULL);
    lcg_state = 4242;
    for (k = 0; k < N; k++) {
        lithos_input_mode mode = k % 3 == 2 ? LITHOS_INPUT_POWER : LITHOS_INPUT_CURRENT;
        double value = (lcg_uniform() - 0.4) * 0.05, dt = 0.5 + lcg_uniform(), ambient = 280.0 + 20 * lcg_uniform();
        poison_output(&first[k]);
        CHECK(stepped(lithos_model_step(m, mode, value, dt, ambient, &first[k])));
    }
    CHECK_OK(lithos_model_load_state(m, saved, size));
    /* into a second model with identical parameters, too */
    CHECK_OK(lithos_model_load_state(twin, saved, size));
    {
        observed a = observe(m), b = observe(twin);
        CHECK(same_observed(&a, &b));
        free(a.state);
        free(b.state);
    }
    lcg_state = 4242;
    for (k = 0; k < N; k++) {
        lithos_input_mode mode = k % 3 == 2 ? LITHOS_INPUT_POWER : LITHOS_INPUT_CURRENT;
        double value = (lcg_uniform() - 0.4) * 0.05, dt = 0.5 + lcg_uniform(), ambient = 280.0 + 20 * lcg_uniform();
        poison_output(&second[k]);
        poison_output(&third[k]);
        CHECK(stepped(lithos_model_step(m, mode, value, dt, ambient, &second[k])));
        CHECK(stepped(lithos_model_step(twin, mode, value, dt, ambient, &third[k])));
    }
    CHECK(memcmp(first, second, sizeof first) == 0);
    CHECK(memcmp(first, third, sizeof first) == 0);

    if (check_failures_ != before) fprintf(stderr, "    (save/load resume of %s)\n", label);
    free(saved);
    CHECK_OK(lithos_model_destroy(m));
    CHECK_OK(lithos_model_destroy(twin));
}

/* load must fail with INVALID_ARGUMENT and leave the model as it was. */
static void check_load_rejected_(lithos_model *m, const void *buffer, size_t size, const char *what, int line) {
    observed before = observe(m);
    lithos_status s = lithos_model_load_state(m, buffer, size);
    check_count_++;
    if (s != LITHOS_ERROR_INVALID_ARGUMENT) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: loading %s returned %s, expected LITHOS_ERROR_INVALID_ARGUMENT\n", __FILE__, line,
                what, lithos_status_string(s));
    } else {
        check_count_++;
        if (lithos_last_error_message()[0] == '\0') {
            check_failures_++;
            fprintf(stderr, "%s:%d: FAILED: no message after loading %s\n", __FILE__, line, what);
        }
    }
    check_unchanged_(m, &before, what, line);
}
#define LOAD_REJECTED(m, buffer, size, what) check_load_rejected_((m), (buffer), (size), (what), __LINE__)

static void test_snapshots(void) {
    lithos_model *m = explicit_model();
    lithos_model *d = derived_model();
    lithos_model *other = make_model(NULL, OPTIONS_WITH("1.0", ECM_WITH("0.0100001", "")));
    unsigned char *good, *from_d, *from_other, *buf;
    size_t size = 0, dsize = 0, osize = 0, k, written;

    REQUIRE(m != NULL && d != NULL && other != NULL);
    check_resume(NULL, OPTIONS, "the explicit ECM");
    check_resume(default_design, NULL, "the derived ECM");

    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 1.0, 45.0, T_25C, NULL));
    good = snapshot(m, &size);
    from_d = snapshot(d, &dsize);
    from_other = snapshot(other, &osize);
    REQUIRE(good != NULL && from_d != NULL && from_other != NULL);
    CHECK(size > 32 && memcmp(good, "LITHOSST", 8) == 0);
    CHECK(osize == size);
    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, -1.0, 5.0, T_25C, NULL));

    /* save: deterministic, size query errors */
    {
        unsigned char *again = snapshot(m, NULL);
        unsigned char *twice = snapshot(m, NULL);
        CHECK(again && twice && memcmp(again, twice, size) == 0);
        free(again);
        free(twice);
    }
    buf = (unsigned char *)malloc(size + 16);
    REQUIRE(buf != NULL);
    memset(buf, 'x', size + 16);
    written = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_model_save_state(m, buf, size - 1, &written));
    CHECK(written == size);
    for (k = 0; k < size + 16 && buf[k] == 'x'; k++) {}
    CHECK(k == size + 16);
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_model_save_state(m, buf, 0, NULL));
    CHECK(buf[0] == 'x');
    written = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_save_state(NULL, buf, size, &written));
    CHECK(written == CHECK_SENTINEL_SIZE && buf[0] == 'x');
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_save_state(m, NULL, size, &written));
    CHECK(buf[0] == 'x');
    /* a larger buffer: only state_size bytes written */
    CHECK_OK(lithos_model_save_state(m, buf, size + 16, NULL));
    CHECK(buf[size] == 'x' && buf[size + 15] == 'x');

    /* load the good one: back to that state */
    CHECK_OK(lithos_model_load_state(m, good, size));
    {
        unsigned char *now = snapshot(m, NULL);
        CHECK(now && memcmp(now, good, size) == 0);
        free(now);
    }
    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, -1.0, 5.0, T_25C, NULL));

    /* truncated */
    LOAD_REJECTED(m, good, size - 1, "a snapshot missing its last byte");
    LOAD_REJECTED(m, good, size - 8, "a snapshot without its checksum");
    LOAD_REJECTED(m, good, 32, "the header only");
    LOAD_REJECTED(m, good, 8, "the magic only");
    LOAD_REJECTED(m, good, 0, "zero bytes");
    /* every single bit flip is caught */
    {
        size_t byte;
        int bit, missed = 0;
        for (byte = 0; byte < size; byte++) {
            for (bit = 0; bit < 8; bit += (n_iterations < 1000 ? 7 : 1)) {
                lithos_status s;
                memcpy(buf, good, size);
                buf[byte] ^= (unsigned char)(1u << bit);
                s = lithos_model_load_state(m, buf, size);
                if (s != LITHOS_ERROR_INVALID_ARGUMENT) {
                    if (!missed) fprintf(stderr, "    bit %d of byte %lu flipped: %s\n", bit, (unsigned long)byte, lithos_status_string(s));
                    missed++;
                }
            }
        }
        CHECK(missed == 0);
        {
            observed before = observe(m);
            memcpy(buf, good, size);
            buf[size / 2] ^= 0x10;
            LOAD_REJECTED(m, buf, size, "a bit-flipped snapshot");
            CHECK_UNCHANGED(m, before, "bit flips");
        }
    }
    /* other models */
    LOAD_REJECTED(m, from_d, dsize, "a snapshot of the derived ECM");
    LOAD_REJECTED(m, from_other, osize, "a snapshot of an ECM with R0 = 0.0100001 ohm");
    LOAD_REJECTED(d, good, size, "a snapshot of the explicit ECM into the derived one");
    LOAD_REJECTED(other, good, size, "a snapshot of an ECM with other parameters");
    /* garbage */
    {
        unsigned char *garbage = (unsigned char *)malloc(size);
        REQUIRE(garbage != NULL);
        lcg_state = 31337;
        for (k = 0; k < size; k++) garbage[k] = (unsigned char)(lcg_uniform() * 256);
        LOAD_REJECTED(m, garbage, size, "random bytes");
        memcpy(garbage, "LITHOSST", 8);
        LOAD_REJECTED(m, garbage, size, "random bytes behind the magic");
        memset(garbage, 0, size);
        LOAD_REJECTED(m, garbage, size, "zeros");
        free(garbage);
    }
    /* a well-formed snapshot (valid checksum) carrying a non-finite or out-of-range value:
     * the values are validated too. Layout: 32-byte header, n doubles, FNV-1a checksum. */
    {
        uint64_t n_values, h;
        size_t value;
        memcpy(&n_values, good + 24, 8);
        CHECK(size == 32 + 8 * n_values + 8);
        for (value = 0; value < n_values && value < 64; value++) {
            double poison = NAN;
            memcpy(buf, good, size);
            memcpy(buf + 32 + 8 * value, &poison, 8);
            h = fnv1a(buf, 32 + 8 * n_values);
            memcpy(buf + 32 + 8 * n_values, &h, 8);
            LOAD_REJECTED(m, buf, size, "a checksummed snapshot with a NaN value");
        }
        /* the same trick with the original values is accepted (the checksum recipe is right) */
        memcpy(buf, good, size);
        h = fnv1a(buf, 32 + 8 * n_values);
        CHECK(memcmp(&h, good + size - 8, 8) == 0);
    }
    /* a longer buffer holding a valid snapshot is accepted */
    memcpy(buf, good, size);
    CHECK_OK(lithos_model_load_state(m, buf, size + 16));

    /* NULL arguments */
    {
        observed before = observe(m);
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_load_state(m, NULL, size));
        CHECK_MESSAGE_CONTAINS("buffer");
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_load_state(NULL, good, size));
        CHECK_UNCHANGED(m, before, "load with NULL");
    }

    free(buf);
    free(good);
    free(from_d);
    free(from_other);
    CHECK_OK(lithos_model_destroy(m));
    CHECK_OK(lithos_model_destroy(d));
    CHECK_OK(lithos_model_destroy(other));
}

/* ---------------------------------------------------------------------------------------- */
/* parameters_json                                                                           */

static char *parameters_json(const lithos_model *m) {
    size_t len = CHECK_SENTINEL_SIZE, len2 = CHECK_SENTINEL_SIZE;
    char *buf;
    if (lithos_model_parameters_json(m, NULL, 0, &len) != LITHOS_OK || len == CHECK_SENTINEL_SIZE) return NULL;
    buf = (char *)malloc(len + 1);
    if (buf == NULL) return NULL;
    if (lithos_model_parameters_json(m, buf, len + 1, &len2) != LITHOS_OK || len2 != len || strlen(buf) != len) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* A model created from the returned "ecm" JSON steps identically (and accepts the original's
 * snapshots: identical parameters). */
static void check_parameters_round_trip(const char *design, const char *options, const char *label) {
    lithos_model *a = make_model(design, options), *b = NULL;
    char *json = NULL, *options2 = NULL, *json2 = NULL;
    int before = check_failures_;
    size_t k;

    REQUIRE(a != NULL);
    json = parameters_json(a);
    CHECK(json != NULL);
    if (json == NULL) goto done;
    CHECK(json[0] == '{');
    CHECK_CONTAINS(json, "capacity_Ah");
    CHECK_CONTAINS(json, "r0_ohm");
    options2 = (char *)malloc(strlen(json) + 64);
    if (options2 == NULL) goto done;
    sprintf(options2, "{\"kind\": \"ecm\", \"ecm\": %s}", json);
    CHECK_OK(lithos_model_create(NULL, options2, &b));
    if (b == NULL) goto done;
    json2 = parameters_json(b);
    CHECK(json2 != NULL && strcmp(json, json2) == 0);
    {
        lithos_model_info ia, ib;
        ia.struct_size = ib.struct_size = sizeof ia;
        CHECK_OK(lithos_model_get_info(a, &ia));
        CHECK_OK(lithos_model_get_info(b, &ib));
        CHECK(memcmp(&ia, &ib, sizeof ia) == 0);
    }
    /* identical parameters: a's snapshot loads into b */
    {
        unsigned char *s = snapshot(a, NULL);
        CHECK(s != NULL && lithos_model_load_state(b, s, state_size(a)) == LITHOS_OK);
        free(s);
    }
    lcg_state = 2024;
    for (k = 0; k < 300; k++) {
        lithos_model_output oa, ob;
        double I = (lcg_uniform() - 0.45) * 0.2, dt = 0.1 + 3.0 * lcg_uniform(), ambient = 270.0 + 40.0 * lcg_uniform();
        lithos_status sa, sb;
        poison_output(&oa);
        poison_output(&ob);
        sa = lithos_model_step(a, LITHOS_INPUT_CURRENT, I, dt, ambient, &oa);
        sb = lithos_model_step(b, LITHOS_INPUT_CURRENT, I, dt, ambient, &ob);
        CHECK(sa == sb);
        CHECK(memcmp(&oa, &ob, sizeof oa) == 0);
        if (memcmp(&oa, &ob, sizeof oa) != 0) break;
    }
done:
    if (check_failures_ != before) fprintf(stderr, "    (parameters_json round trip of %s)\n", label);
    free(json);
    free(json2);
    free(options2);
    CHECK_OK(lithos_model_destroy(a));
    CHECK_OK(lithos_model_destroy(b));
}

static void test_parameters_json(void) {
    lithos_model *m = explicit_model();
    size_t len = CHECK_SENTINEL_SIZE, len2, k;
    char *small;
    REQUIRE(m != NULL);

    check_parameters_round_trip(NULL, OPTIONS, "the explicit ECM");
    check_parameters_round_trip(default_design, NULL, "the derived ECM");
    check_parameters_round_trip(default_design, "{\"rc_pairs\": 0}", "the derived Rint model");
    check_parameters_round_trip(NULL, OPTIONS_WITH("0.5", ECM_WITH("0.01", ", \"charge_efficiency\": 0.97,"
        " \"hysteresis\": {\"magnitude_V\": 0.02, \"instantaneous_V\": 0.005, \"rate\": 40},"
        " \"thermal\": {\"enabled\": true, \"heat_capacity_J_per_K\": 40, \"heat_transfer_W_per_K\": 0.1}")),
        "an ECM with hysteresis and a thermal model");

    /* the explicit parameters come back */
    {
        char *json = parameters_json(m);
        REQUIRE(json != NULL);
        CHECK_CONTAINS(json, "\"capacity_Ah\"");
        CHECK_CONTAINS(json, "0.01");
        CHECK_CONTAINS(json, "4.2");
        CHECK_CONTAINS(json, "\"tau_s\"");
        len = strlen(json);
        free(json);
    }

    /* BUFFER_TOO_SMALL: length reported, buffer untouched */
    small = (char *)malloc(len + 8);
    REQUIRE(small != NULL);
    memset(small, 'x', len + 8);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_model_parameters_json(m, small, len, &len2));
    CHECK(len2 == len);
    for (k = 0; k < len + 8 && small[k] == 'x'; k++) {}
    CHECK(k == len + 8);
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_model_parameters_json(m, small, 1, NULL));
    CHECK(small[0] == 'x');
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_parameters_json(NULL, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_parameters_json(m, NULL, 16, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE);
    CHECK_MESSAGE_CONTAINS("buffer");
    free(small);
    CHECK_OK(lithos_model_destroy(m));
}

/* ---------------------------------------------------------------------------------------- */
/* create errors                                                                             */

static void check_create_fails_(const char *design, const char *options, lithos_status expected,
                                lithos_status alternative, const char *needle, int line) {
    lithos_model *m = SENTINEL_MODEL;
    lithos_status s = lithos_model_create(design, options, &m);
    const char *message = lithos_last_error_message();
    check_count_++;
    if (!(s == expected || (alternative != LITHOS_OK && s == alternative))) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_model_create returned %s, expected %s%s%s\n    message: \"%s\"\n",
                __FILE__, line, lithos_status_string(s), lithos_status_string(expected),
                alternative != LITHOS_OK ? " or " : "", alternative != LITHOS_OK ? lithos_status_string(alternative) : "",
                message);
        if (s == LITHOS_OK && m != SENTINEL_MODEL) (void)lithos_model_destroy(m);
        return;
    }
    check_count_++;
    if (m != SENTINEL_MODEL) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_model_create wrote *out_model on error\n", __FILE__, line);
    }
    check_count_++;
    if (message[0] == '\0' || (needle != NULL && strstr(message, needle) == NULL)) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: the message \"%s\" does not contain \"%s\"\n", __FILE__, line, message,
                needle ? needle : "");
    }
}
#define CREATE_FAILS(design, options, expected, needle) \
    check_create_fails_((design), (options), (expected), LITHOS_OK, (needle), __LINE__)
#define CREATE_FAILS_EITHER(design, options, expected, alternative, needle) \
    check_create_fails_((design), (options), (expected), (alternative), (needle), __LINE__)

static void test_create_errors(void) {
    lithos_model *m;

    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_create(NULL, OPTIONS, NULL));
    CHECK_MESSAGE_CONTAINS("out_model");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_create(default_design, NULL, NULL));
    /* both JSON NULL: an ECM without parameters. lithos.h documents NULL_ARGUMENT; the library
     * returns CONFIG ("an ECM needs a cell design or explicit "ecm" parameters"). Either is
     * accepted until the two agree. */
    CREATE_FAILS_EITHER(NULL, NULL, LITHOS_ERROR_NULL_ARGUMENT, LITHOS_ERROR_CONFIG, "ecm");
    /* design NULL and options without "ecm" parameters */
    CREATE_FAILS_EITHER(NULL, "{}", LITHOS_ERROR_CONFIG, LITHOS_ERROR_NULL_ARGUMENT, "ecm");
    CREATE_FAILS_EITHER(NULL, "{\"kind\": \"ecm\", \"rc_pairs\": 1}", LITHOS_ERROR_CONFIG, LITHOS_ERROR_NULL_ARGUMENT, "ecm");

    /* malformed options JSON: PARSE with a position */
    CREATE_FAILS(NULL, "", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS(NULL, "{", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS(NULL, "{\"kind\": ecm}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS(NULL, "{\"ecm\": {\"capacity_Ah\": 2,}}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS(default_design, "{\"initial_soc\": NaN}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS(default_design, OPTIONS " x", LITHOS_ERROR_PARSE, "line");
    /* malformed design JSON */
    CREATE_FAILS("{\"area_cm2\": }", NULL, LITHOS_ERROR_PARSE, "line");

    /* well-formed but wrong options: CONFIG naming the key */
    CREATE_FAILS(default_design, "[]", LITHOS_ERROR_CONFIG, NULL);
    CREATE_FAILS(default_design, "{\"colour\": \"red\"}", LITHOS_ERROR_CONFIG, "colour");
    CREATE_FAILS(default_design, "{\"thermal\": {\"enabled\": true, \"heat_capcity_J_per_K\": 3}}", LITHOS_ERROR_CONFIG, "heat_capcity_J_per_K");
    CREATE_FAILS(default_design, "{\"kind\": \"ecm\", \"initial_soc\": \"full\"}", LITHOS_ERROR_CONFIG, "initial_soc");
    CREATE_FAILS_EITHER(default_design, "{\"kind\": \"spm\"}", LITHOS_ERROR_CONFIG, LITHOS_ERROR_NOT_SUPPORTED, "kind");
    CREATE_FAILS_EITHER(default_design, "{\"kind\": 1}", LITHOS_ERROR_CONFIG, LITHOS_ERROR_NOT_SUPPORTED, "kind");
    CREATE_FAILS_EITHER(default_design, "{\"initial_soc\": 1.5}", LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "initial_soc");
    CREATE_FAILS_EITHER(default_design, "{\"initial_soc\": -0.1}", LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "initial_soc");
    CREATE_FAILS_EITHER(default_design, "{\"initial_temperature_K\": 25}", LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "initial_temperature_K");
    CREATE_FAILS_EITHER(default_design, "{\"rc_pairs\": 3}", LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "rc_pairs");
    CREATE_FAILS_EITHER(default_design, "{\"rc_pairs\": -1}", LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "rc_pairs");
    CREATE_FAILS_EITHER(default_design, "{\"thermal\": {\"heat_capacity_J_per_K\": -1}}", LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "heat_capacity_J_per_K");

    /* explicit ECM parameters that are wrong */
    CREATE_FAILS(NULL, "{\"ecm\": {\"soc_breakpoints\": [0, 1], \"ocv_V\": [3.0, 4.2], \"r0_ohm\": 0.01,"
                       " \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}}", LITHOS_ERROR_CONFIG, "capacity_Ah");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 2, \"ocv_V\": [3.0, 4.2], \"r0_ohm\": 0.01,"
                       " \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}"), LITHOS_ERROR_CONFIG, "ocv_V");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", ECM_WITH("-0.01", "")), LITHOS_ERROR_CONFIG, "R0");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", ECM_WITH("0.01", ", \"colour\": 1")), LITHOS_ERROR_CONFIG, "colour");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 2, \"ocv_V\": 3.7, \"r0_ohm\": 0.01,"
                       " \"minimum_voltage_V\": 4.3, \"maximum_voltage_V\": 3.2}"), LITHOS_ERROR_CONFIG, "voltage");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 2, \"ocv_V\": 3.7, \"r0_ohm\": 0.01,"
                       " \"rc_pairs\": [{\"r_ohm\": 0.01, \"tau_s\": 1}, {\"r_ohm\": 0.01, \"tau_s\": 1},"
                       " {\"r_ohm\": 0.01, \"tau_s\": 1}, {\"r_ohm\": 0.01, \"tau_s\": 1}],"
                       " \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}"), LITHOS_ERROR_CONFIG, "rc_pairs");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 2, \"ocv_V\": 3.7, \"r0_ohm\": 0.01,"
                       " \"rc_pairs\": [{\"r_ohm\": 0.01, \"tau_s\": 0}],"
                       " \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}"), LITHOS_ERROR_CONFIG, "time constant");
    CREATE_FAILS_EITHER(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 0, \"ocv_V\": 3.7, \"r0_ohm\": 0.01,"
                       " \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}"), LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "capacity_Ah");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 2, \"soc_breakpoints\": [0, 0.5, 1], \"ocv_V\": [3.0, 4.2],"
                       " \"r0_ohm\": 0.01, \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}"), LITHOS_ERROR_CONFIG, "ocv_V");
    CREATE_FAILS(NULL, OPTIONS_WITH("1", "{\"capacity_Ah\": 2, \"soc_breakpoints\": [1, 0], \"ocv_V\": [3.0, 4.2],"
                       " \"r0_ohm\": 0.01, \"minimum_voltage_V\": 3.2, \"maximum_voltage_V\": 4.3}"), LITHOS_ERROR_CONFIG, "soc_breakpoints");

    /* a bad design: its own errors */
    CREATE_FAILS("{\"name\": \"x\"}", NULL, LITHOS_ERROR_CONFIG, NULL);

    /* options may be NULL with a design; the explicit ECM wins over a design */
    m = NULL;
    CHECK_OK(lithos_model_create(default_design, NULL, &m));
    CHECK(m != NULL);
    CHECK_OK(lithos_model_destroy(m));
    m = NULL;
    CHECK_OK(lithos_model_create(default_design, OPTIONS, &m));
    if (m) {
        lithos_model_info info;
        info.struct_size = sizeof info;
        CHECK_OK(lithos_model_get_info(m, &info));
        CHECK(info.capacity_Ah == Q_AH);
        CHECK_OK(lithos_model_destroy(m));
    }
    /* the thermal override switches the derived model's thermal model off */
    m = NULL;
    CHECK_OK(lithos_model_create(default_design, "{\"thermal\": {\"enabled\": false}}", &m));
    if (m) {
        lithos_model_output o;
        poison_output(&o);
        CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.3, 60.0, 280.0, &o));
        CHECK(o.temperature_K == 280.0);
        CHECK_OK(lithos_model_destroy(m));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* determinism                                                                               */

static void test_deterministic(void) {
    lithos_model *a = derived_model(), *b = derived_model();
    lithos_model_info info;
    int k, differ = 0;
    REQUIRE(a != NULL && b != NULL);
    info.struct_size = sizeof info;
    CHECK_OK(lithos_model_get_info(a, &info));
    lcg_state = 20240601;
    for (k = 0; k < n_iterations; k++) {
        lithos_model_output oa, ob;
        lithos_input_mode mode;
        double value, dt = 0.001 + 5.0 * lcg_uniform(), ambient = 260.0 + 60.0 * lcg_uniform();
        double r = lcg_uniform();
        lithos_status sa, sb;
        if (r < 0.7) { mode = LITHOS_INPUT_CURRENT; value = (lcg_uniform() - 0.45) * 3.0 * info.capacity_Ah; }
        else if (r < 0.85) { mode = LITHOS_INPUT_POWER; value = (lcg_uniform() - 0.5) * info.capacity_Ah * 3.7; }
        else { mode = LITHOS_INPUT_VOLTAGE; value = 3.4 + 0.6 * lcg_uniform(); }
        if (k % 97 == 0) { CHECK_OK(lithos_model_reset(a, 0.9, T_25C)); CHECK_OK(lithos_model_reset(b, 0.9, T_25C)); }
        poison_output(&oa);
        poison_output(&ob);
        sa = lithos_model_step(a, mode, value, dt, ambient, &oa);
        sb = lithos_model_step(b, mode, value, dt, ambient, &ob);
        if (sa != sb || memcmp(&oa, &ob, sizeof oa) != 0) differ++;
        if (sa == LITHOS_OK || sa == LITHOS_LIMIT_REACHED) CHECK(oa.struct_size == sizeof oa && isfinite(oa.voltage_V));
    }
    CHECK(differ == 0);
    {
        observed oa = observe(a), ob = observe(b);
        CHECK(same_observed(&oa, &ob));
        free(oa.state);
        free(ob.state);
    }
    CHECK_OK(lithos_model_destroy(a));
    CHECK_OK(lithos_model_destroy(b));
}

int main(int argc, char **argv) {
    (void)argc;
    if (getenv("LITHOS_TEST_ITERATIONS") && atoi(getenv("LITHOS_TEST_ITERATIONS")) > 0)
        n_iterations = atoi(getenv("LITHOS_TEST_ITERATIONS"));
    if (!load_default_design()) return check_summary(argv[0]);

    test_info();
    test_initial_output();
    test_closed_form();
    test_charge_conservation();
    test_voltage_and_power_steps();
    test_limits();
    test_derived_discharge();
    test_run_equals_steps();
    test_run_all_or_nothing();
    test_run_errors();
    test_step_errors();
    test_reset();
    test_snapshots();
    test_parameters_json();
    test_create_errors();
    test_deterministic();

    free(default_design);
    return check_summary(argv[0]);
}
