/*
 * Section 6 of lithos.h (state estimator): every lithos_estimator_* function, its success paths
 * checked against a simulated truth, and every error path.
 *
 * The estimator's configuration is built from a model: the ECM derived from
 * examples/cells/default.json (read through LITHOS_SOURCE_DIR), whose lithos_model_parameters_json
 * becomes the "ecm" of {"ecm": …, "algorithm": …, "initial_soc": 0.7, "initial_soc_std": 0.3}.
 * Truth = that model (started at SOC 0.9, so the estimator starts 20 % off) driven by a
 * deterministic discharge-biased pulse profile (seeded LCG, 1 s steps, 1.5 h, never at rest);
 * measurements = the model's voltage + pseudo-noise σ 2 mV, its current + σ 10 mA, its
 * temperature. Tolerances are the targets of the estimator (|SOC error| < 3 % and RMS < 1 %
 * after 5 minutes), not today's exact outputs.
 *
 * "Unchanged" is checked by comparing the bytes of a state snapshot and of get_estimate before
 * and after a failing call; "not written" by sentinel values in the out-arguments.
 * LITHOS_TEST_ITERATIONS < 2000 (the valgrind run) shortens the long drives to 400 s.
 */
#include "check.h"
#include <stddef.h>

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#define T_25C 298.15
#define N_DRIVE 5400          /* 1.5 h of 1 s steps */
#define CONVERGED_AFTER 300   /* 5 minutes */
#define TRUE_INITIAL_SOC 0.9
#define SNAPSHOT_MAX 65536

static size_t n_drive = N_DRIVE; /* samples used by the long tests */

static double sentinel_estimator_storage;
#define SENTINEL_ESTIMATOR ((lithos_estimator *)(void *)&sentinel_estimator_storage)

/* ---------------------------------------------------------------------------------------- */
/* helpers                                                                                   */


static char *default_design = NULL;
static char *ecm_json = NULL;       /* the derived model's parameters */
static double capacity_Ah = 0.0;

/* Deterministic pseudo-random numbers: a 64-bit LCG. */
static uint64_t lcg_state;
static double lcg_uniform(void) {
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg_state >> 11) * (1.0 / 9007199254740992.0);
}
/* ≈ N(0, 1): Irwin–Hall sum of 12 uniforms. */
static double lcg_normal(void) {
    double s = 0.0;
    int k;
    for (k = 0; k < 12; k++) s += lcg_uniform();
    return s - 6.0;
}

/* The measured drive cycle and its truth. */
static double meas_current[N_DRIVE], meas_voltage[N_DRIVE], meas_temperature[N_DRIVE];
static double truth_soc[N_DRIVE];

static char *model_parameters(lithos_model *m) {
    size_t len = 0, len2 = 0;
    char *buf;
    if (lithos_model_parameters_json(m, NULL, 0, &len) != LITHOS_OK) return NULL;
    buf = (char *)malloc(len + 1);
    if (buf == NULL) return NULL;
    if (lithos_model_parameters_json(m, buf, len + 1, &len2) != LITHOS_OK || len2 != len) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int setup(void) {
    char path[4096];
    lithos_model *m = NULL;
    lithos_model_info info;
    lithos_model_output out;
    size_t k, seg_left = 0;
    double current = 0.0;
    snprintf(path, sizeof path, "%s/examples/cells/default.json", source_dir());
    default_design = read_file(path);
    check_count_++;
    if (default_design == NULL) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: cannot read %s (set LITHOS_SOURCE_DIR)\n", __FILE__, __LINE__, path);
        return 0;
    }
    if (!check_status_(lithos_model_create(default_design, "{\"initial_soc\": 0.9}", &m), LITHOS_OK,
                       "lithos_model_create(default.json)", __FILE__, __LINE__))
        return 0;
    info.struct_size = sizeof info;
    CHECK_OK(lithos_model_get_info(m, &info));
    capacity_Ah = info.capacity_Ah;
    ecm_json = model_parameters(m);
    check_count_++;
    if (ecm_json == NULL || capacity_Ah <= 0.0) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: no model parameters\n", __FILE__, __LINE__);
        lithos_model_destroy(m);
        return 0;
    }
    /* Pulses of 5–60 s, −0.6 C … +1.2 C (mean ≈ +0.3 C: 0.9 → ≈ 0.45 in 1.5 h), never |I| < 0.1 C. */
    lcg_state = 20261123u;
    out.struct_size = sizeof out;
    for (k = 0; k < N_DRIVE; k++) {
        lithos_status s;
        if (seg_left == 0) {
            double c = -0.6 + 1.8 * lcg_uniform();
            if (fabs(c) < 0.1) c = c < 0 ? -0.1 : 0.1;
            current = c * capacity_Ah;
            seg_left = 5 + (size_t)(55.0 * lcg_uniform());
        }
        seg_left--;
        s = lithos_model_step(m, LITHOS_INPUT_CURRENT, current, 1.0, T_25C, &out);
        if (s != LITHOS_OK && s != LITHOS_LIMIT_REACHED) {
            check_status_(s, LITHOS_OK, "lithos_model_step (truth)", __FILE__, __LINE__);
            lithos_model_destroy(m);
            return 0;
        }
        truth_soc[k] = out.soc;
        meas_current[k] = current + 0.010 * lcg_normal();
        meas_voltage[k] = out.voltage_V + 0.002 * lcg_normal();
        meas_temperature[k] = out.temperature_K;
    }
    lithos_model_destroy(m);
    return 1;
}

/* {"ecm": <parameters>, "algorithm": …, "initial_soc": …, "initial_soc_std": …<extra>} (malloc'd). */
static char *config_with(const char *algorithm, double soc, double soc_std, const char *extra) {
    size_t n = strlen(ecm_json) + strlen(algorithm) + strlen(extra) + 200;
    char *c = (char *)malloc(n);
    if (c == NULL) return NULL;
    snprintf(c, n, "{\"ecm\": %s, \"algorithm\": \"%s\", \"initial_soc\": %.17g, \"initial_soc_std\": %.17g%s}",
             ecm_json, algorithm, soc, soc_std, extra);
    return c;
}

static lithos_estimator *make_estimator(const char *algorithm) {
    lithos_estimator *e = NULL;
    char *config = config_with(algorithm, 0.7, 0.3, "");
    lithos_status s = lithos_estimator_create(config, &e);
    check_status_(s, LITHOS_OK, "lithos_estimator_create(config, &e)", __FILE__, __LINE__);
    free(config);
    return s == LITHOS_OK ? e : NULL;
}

static void poison_estimate(lithos_estimate *e) {
    memset(e, 0xA5, sizeof *e);
    e->struct_size = sizeof *e;
}

static int estimate_is_poisoned(const lithos_estimate *e) {
    lithos_estimate expected;
    poison_estimate(&expected);
    return memcmp(&expected, e, sizeof expected) == 0;
}

static lithos_estimate get_estimate(const lithos_estimator *est) {
    lithos_estimate e;
    poison_estimate(&e);
    CHECK_OK(lithos_estimator_get_estimate(est, &e));
    return e;
}

static size_t state_size(const lithos_estimator *est) {
    size_t n = 0;
    CHECK_OK(lithos_estimator_state_size(est, &n));
    return n;
}

/* Snapshot bytes + get_estimate bytes: "the estimator is exactly as it was". */
typedef struct fingerprint {
    unsigned char state[SNAPSHOT_MAX];
    size_t size;
    lithos_estimate estimate;
} fingerprint;

static void take_fingerprint(const lithos_estimator *est, fingerprint *f) {
    memset(f, 0, sizeof *f);
    f->size = state_size(est);
    CHECK(f->size > 0 && f->size <= SNAPSHOT_MAX);
    CHECK_OK(lithos_estimator_save_state(est, f->state, SNAPSHOT_MAX, NULL));
    f->estimate = get_estimate(est);
}

static int same_fingerprint(const lithos_estimator *est, const fingerprint *before) {
    static fingerprint now;
    take_fingerprint(est, &now);
    return now.size == before->size && memcmp(now.state, before->state, now.size) == 0 &&
           memcmp(&now.estimate, &before->estimate, sizeof now.estimate) == 0;
}

static int estimate_finite(const lithos_estimate *e) {
    return isfinite(e->soc) && isfinite(e->soc_std) && isfinite(e->capacity_Ah) &&
           isfinite(e->series_resistance_ohm) && isfinite(e->predicted_voltage_V);
}

/* ---------------------------------------------------------------------------------------- */
/* tests                                                                                     */

static void check_tracking(const char *algorithm) {
    lithos_estimator *est = make_estimator(algorithm);
    lithos_estimate e;
    double sum_sq = 0.0, max_err = 0.0, first_std = 0.0;
    size_t k, n = 0;
    int failures = check_failures_;
    REQUIRE(est != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < n_drive; k++) {
        lithos_status s = lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e);
        if (s != LITHOS_OK) { CHECK_OK(s); break; }
        if (k == 0) first_std = e.soc_std;
        if (k >= CONVERGED_AFTER) {
            double err = fabs(e.soc - truth_soc[k]);
            sum_sq += err * err;
            if (err > max_err) max_err = err;
            n++;
        }
    }
    CHECK(n == n_drive - CONVERGED_AFTER);
    CHECK(max_err < 0.03);
    CHECK(sqrt(sum_sq / (double)n) < 0.01);
    CHECK(e.soc_std < first_std);
    CHECK(e.soc_std < 0.1);
    CHECK(e.soc_std > 0.0);
    CHECK(estimate_finite(&e));
    CHECK_NEAR(e.time_s, (double)n_drive, 1e-9);
    if (check_failures_ != failures)
        fprintf(stderr, "  %s: max |SOC error| after 5 min %.4f, RMS %.4f, final soc_std %.4f (first %.4f)\n",
                algorithm, max_err, sqrt(sum_sq / (double)(n ? n : 1)), e.soc_std, first_std);
    lithos_estimator_destroy(est);
}

static void test_tracking_ekf_ukf(void) {
    check_tracking("ekf");
    check_tracking("ukf");
}

/* Coulomb counting has no correction without rest: the initial error (0.7 vs 0.9) stays. */
/* The current-sensor offset state: the same drive measured with +30 mA on the current. The
 * estimator with tuning.current_offset_estimation reports the offset within 3σ and keeps SOC on
 * target; without it the fields stay 0. A caller built against the struct without the two
 * appended fields (struct_size at the old end) still gets everything else, and nothing is
 * written past its struct_size. */
static void test_current_offset_state(void) {
    lithos_estimator *with = NULL, *without = NULL;
    lithos_estimate e, old;
    char *config = config_with("ekf", 0.7, 0.3,
                               ", \"tuning\": {\"current_offset_estimation\": true}, \"sensor\": {\"current_offset_A\": 0.05}");
    size_t k;
    double sum_sq = 0.0;
    unsigned char *tail;
    size_t old_size = offsetof(lithos_estimate, latched_faults) + sizeof(unsigned int);
    REQUIRE(config != NULL);
    CHECK_OK(lithos_estimator_create(config, &with));
    free(config);
    without = make_estimator("ekf");
    REQUIRE(with != NULL && without != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < n_drive; k++) {
        double i = meas_current[k] + 0.030;
        CHECK_OK(lithos_estimator_update(with, i, meas_voltage[k], meas_temperature[k], 1.0, &e));
        if (k >= CONVERGED_AFTER) sum_sq += (e.soc - truth_soc[k]) * (e.soc - truth_soc[k]);
    }
    printf("current offset estimated: %.1f ± %.1f mA (truth 30 mA), SOC RMS %.3f %%\n", e.current_offset_A * 1e3,
           e.current_offset_std_A * 1e3, 100 * sqrt(sum_sq / (double)(n_drive - CONVERGED_AFTER)));
    CHECK(e.current_offset_std_A > 0 && e.current_offset_std_A < 0.05);
    CHECK(fabs(e.current_offset_A - 0.030) < 3 * e.current_offset_std_A);
    if (n_drive == N_DRIVE) {
        /* The full drive (the valgrind run's 400 s is too short for the offset to settle). */
        CHECK(e.current_offset_std_A < 0.01);
        CHECK(sqrt(sum_sq / (double)(n_drive - CONVERGED_AFTER)) < 0.01);
    }
    CHECK_OK(lithos_estimator_update(without, meas_current[0], meas_voltage[0], meas_temperature[0], 1.0, &e));
    CHECK(e.current_offset_A == 0.0 && e.current_offset_std_A == 0.0);
    /* Old layout: the two appended doubles are not written. */
    memset(&old, 0xA5, sizeof old);
    old.struct_size = old_size;
    CHECK_OK(lithos_estimator_get_estimate(with, &old));
    CHECK(isfinite(old.soc) && old.struct_size == old_size);
    tail = (unsigned char *)&old + old_size;
    for (k = 0; k < sizeof old - old_size; k++) CHECK(tail[k] == 0xA5);
    /* A tuning that asks for the state without a stated offset σ is a configuration error. */
    config = config_with("ekf", 0.7, 0.3, ", \"tuning\": {\"current_offset_estimation\": true}");
    {
        lithos_estimator *bad = NULL;
        CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_estimator_create(config, &bad));
        CHECK_MESSAGE_CONTAINS("current_offset_A");
        CHECK(bad == NULL);
    }
    free(config);
    lithos_estimator_destroy(with);
    lithos_estimator_destroy(without);
}

static void test_coulomb_keeps_initial_error(void) {
    lithos_estimator *est = make_estimator("coulomb");
    lithos_estimate e;
    size_t k;
    REQUIRE(est != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < n_drive; k++)
        REQUIRE_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));
    CHECK(fabs((truth_soc[n_drive - 1] - e.soc) - (TRUE_INITIAL_SOC - 0.7)) < 0.02);
    CHECK(estimate_finite(&e));
    lithos_estimator_destroy(est);
}

/* NaN samples: accepted, flagged, never in the state. */
static void test_nan_measurements(void) {
    lithos_estimator *est = make_estimator("ekf");
    lithos_estimate e;
    size_t k;
    REQUIRE(est != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < 30; k++)
        CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));
    CHECK((e.active_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED) == 0);

    poison_estimate(&e);
    CHECK_OK(lithos_estimator_update(est, meas_current[30], NAN, meas_temperature[30], 1.0, &e));
    CHECK(e.active_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED);
    CHECK(e.latched_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED);
    CHECK(estimate_finite(&e));
    poison_estimate(&e);
    CHECK_OK(lithos_estimator_update(est, NAN, meas_voltage[31], meas_temperature[31], 1.0, &e));
    CHECK(e.active_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED);
    CHECK(estimate_finite(&e));
    poison_estimate(&e);
    CHECK_OK(lithos_estimator_update(est, meas_current[32], meas_voltage[32], NAN, 1.0, &e));
    CHECK(e.active_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED);
    CHECK(estimate_finite(&e));
    poison_estimate(&e);
    CHECK_OK(lithos_estimator_update(est, NAN, NAN, NAN, 1.0, &e));
    CHECK(e.active_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED);
    CHECK(estimate_finite(&e));
    /* many in a row: prediction only, still finite */
    for (k = 0; k < 100; k++) CHECK_OK(lithos_estimator_update(est, meas_current[40 + k], NAN, NAN, 1.0, &e));
    CHECK(estimate_finite(&e) && e.soc_std > 0.0);

    /* a clean update: active bit clear, latched bit stays until cleared */
    CHECK_OK(lithos_estimator_update(est, meas_current[200], meas_voltage[200], meas_temperature[200], 1.0, &e));
    CHECK((e.active_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED) == 0);
    CHECK(e.latched_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED);
    CHECK_OK(lithos_estimator_clear_latched_faults(est));
    CHECK_OK(lithos_estimator_update(est, meas_current[201], meas_voltage[201], meas_temperature[201], 1.0, &e));
    CHECK((e.latched_faults & LITHOS_FAULT_MEASUREMENT_SKIPPED) == 0);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_clear_latched_faults(NULL));
    lithos_estimator_destroy(est);
}

/* One failing update: the expected status, a message, *out not written, estimator unchanged. */
static void check_update_fails(lithos_estimator *est, lithos_status expected, double i, double v, double t,
                               double dt, const char *what) {
    static fingerprint before;
    lithos_estimate e;
    int failures = check_failures_;
    take_fingerprint(est, &before);
    poison_estimate(&e);
    CHECK_STATUS(expected, lithos_estimator_update(est, i, v, t, dt, &e));
    CHECK(estimate_is_poisoned(&e));
    CHECK(same_fingerprint(est, &before));
    /* also without an out-pointer */
    CHECK_STATUS(expected, lithos_estimator_update(est, i, v, t, dt, NULL));
    CHECK(same_fingerprint(est, &before));
    if (check_failures_ != failures) fprintf(stderr, "  (case: %s)\n", what);
}

static void test_update_errors(void) {
    lithos_estimator *est = make_estimator("ekf");
    lithos_estimate e;
    size_t k;
    static fingerprint before;
    REQUIRE(est != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < 20; k++)
        CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));

    poison_estimate(&e);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_update(NULL, 1.0, 3.7, T_25C, 1.0, &e));
    CHECK(estimate_is_poisoned(&e));
    CHECK_MESSAGE_CONTAINS("estimator");

    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, 1.0, 3.7, T_25C, NAN, "dt NaN");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, 1.0, 3.7, T_25C, INFINITY, "dt Inf");
    check_update_fails(est, LITHOS_ERROR_OUT_OF_RANGE, 1.0, 3.7, T_25C, 0.0, "dt 0");
    check_update_fails(est, LITHOS_ERROR_OUT_OF_RANGE, 1.0, 3.7, T_25C, -1.0, "dt -1");
    check_update_fails(est, LITHOS_ERROR_OUT_OF_RANGE, 1.0, 3.7, T_25C, 1e6, "dt 1e6");
    CHECK_MESSAGE_CONTAINS("dt_s");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, INFINITY, 3.7, T_25C, 1.0, "current +Inf");
    CHECK_MESSAGE_CONTAINS("current_A");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, -INFINITY, 3.7, T_25C, 1.0, "current -Inf");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, 1.0, INFINITY, T_25C, 1.0, "voltage +Inf");
    CHECK_MESSAGE_CONTAINS("voltage_V");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, 1.0, -INFINITY, T_25C, 1.0, "voltage -Inf");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, 1.0, 3.7, INFINITY, 1.0, "temperature +Inf");
    CHECK_MESSAGE_CONTAINS("temperature_K");
    check_update_fails(est, LITHOS_ERROR_INVALID_ARGUMENT, 1.0, 3.7, -INFINITY, 1.0, "temperature -Inf");
    check_update_fails(est, LITHOS_ERROR_OUT_OF_RANGE, 1.0, 3.7, 25.0, 1.0, "temperature 25 (Celsius by mistake)");
    CHECK_MESSAGE_CONTAINS("temperature");
    check_update_fails(est, LITHOS_ERROR_OUT_OF_RANGE, 1000.0 * capacity_Ah, 3.7, T_25C, 1.0, "current 1000 C");
    check_update_fails(est, LITHOS_ERROR_OUT_OF_RANGE, -101.0 * capacity_Ah, 3.7, T_25C, 1.0, "charge current 101 C");

    /* struct_size too small: STRUCT_SIZE, nothing written, estimator NOT updated */
    take_fingerprint(est, &before);
    poison_estimate(&e);
    e.struct_size = sizeof(size_t) + sizeof(double);
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_estimator_update(est, 1.0, 3.7, T_25C, 1.0, &e));
    CHECK(e.struct_size == sizeof(size_t) + sizeof(double));
    e.struct_size = sizeof e;
    CHECK(estimate_is_poisoned(&e));
    CHECK(same_fingerprint(est, &before));
    CHECK_MESSAGE_CONTAINS("struct_size");
    poison_estimate(&e);
    e.struct_size = 0;
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_estimator_update(est, 1.0, 3.7, T_25C, 1.0, &e));
    CHECK(same_fingerprint(est, &before));
    e.struct_size = 0;
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_estimator_get_estimate(est, &e));

    /* a bigger struct_size (a newer header) is fine; only sizeof(lithos_estimate) bytes written */
    {
        unsigned char big[sizeof(lithos_estimate) + 64];
        lithos_estimate *pe = (lithos_estimate *)(void *)big;
        size_t j;
        memset(big, 0x5A, sizeof big);
        pe->struct_size = sizeof big;
        CHECK_OK(lithos_estimator_update(est, meas_current[20], meas_voltage[20], meas_temperature[20], 1.0, pe));
        for (j = sizeof(lithos_estimate); j < sizeof big && big[j] == 0x5A; j++) {}
        CHECK(j == sizeof big);
        CHECK(pe->struct_size == sizeof big);
    }

    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_get_estimate(NULL, &e));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_get_estimate(est, NULL));
    lithos_estimator_destroy(est);
}

/* get_estimate = the last update's estimate, byte for byte. */
static void test_get_estimate(void) {
    lithos_estimator *est = make_estimator("ukf");
    lithos_estimate e, g;
    size_t k;
    REQUIRE(est != NULL);
    g = get_estimate(est);
    CHECK_NEAR(g.soc, 0.7, 1e-12);
    CHECK_NEAR(g.soc_std, 0.3, 1e-12);
    CHECK(g.time_s == 0.0);
    for (k = 0; k < 50; k++) {
        poison_estimate(&e);
        CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));
    }
    g = get_estimate(est);
    CHECK(memcmp(&e, &g, sizeof e) == 0);
    CHECK(g.struct_size == sizeof g);
    lithos_estimator_destroy(est);
}

/* SOP: limits are magnitudes, finite; the discharge limits shrink at low SOC. */
static void test_power_limits(void) {
    lithos_estimator *est = make_estimator("ekf");
    lithos_estimate e, high, low;
    size_t k;
    int h, ok = 1;
    REQUIRE(est != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < 600; k++) {
        CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));
        for (h = 0; h < 3; h++) {
            ok &= isfinite(e.discharge_current_limit_A[h]) && e.discharge_current_limit_A[h] >= 0.0;
            ok &= isfinite(e.charge_current_limit_A[h]) && e.charge_current_limit_A[h] >= 0.0;
            ok &= isfinite(e.discharge_power_limit_W[h]) && e.discharge_power_limit_W[h] >= 0.0;
            ok &= isfinite(e.charge_power_limit_W[h]) && e.charge_power_limit_W[h] >= 0.0;
        }
        ok &= e.energy_remaining_Wh >= 0.0 && isfinite(e.energy_remaining_Wh);
        ok &= e.time_to_empty_s >= 0.0 && e.time_to_full_s >= 0.0;
    }
    CHECK(ok);
    /* longer horizons never allow more */
    CHECK(e.discharge_current_limit_A[2] <= e.discharge_current_limit_A[0] * (1 + 1e-12));
    CHECK(e.discharge_power_limit_W[2] <= e.discharge_power_limit_W[0] * (1 + 1e-12));

    /* The same cell at rest at SOC 0.9 and 0.1: less power can be drawn at low SOC (the
     * current limit may be the configured one at both). */
    high.struct_size = low.struct_size = sizeof e;
    CHECK_OK(lithos_estimator_reset(est, 0.9, 0.01));
    CHECK_OK(lithos_estimator_update(est, 0.0, NAN, T_25C, 1.0, &high));
    CHECK_OK(lithos_estimator_reset(est, 0.1, 0.01));
    CHECK_OK(lithos_estimator_update(est, 0.0, NAN, T_25C, 1.0, &low));
    for (h = 0; h < 3; h++) {
        CHECK(low.discharge_power_limit_W[h] < high.discharge_power_limit_W[h]);
        CHECK(low.discharge_current_limit_A[h] <= high.discharge_current_limit_A[h]);
        CHECK(high.discharge_power_limit_W[h] > 0.0 && isfinite(high.discharge_power_limit_W[h]));
        CHECK(high.discharge_current_limit_A[h] > 0.0 && isfinite(high.discharge_current_limit_A[h]));
        CHECK(low.charge_current_limit_A[h] > 0.0 && isfinite(low.charge_current_limit_A[h]));
    }
    CHECK(low.energy_remaining_Wh < high.energy_remaining_Wh);
    lithos_estimator_destroy(est);
}

static void test_reset(void) {
    lithos_estimator *est = make_estimator("ekf");
    lithos_estimate e;
    static fingerprint before;
    size_t k;
    REQUIRE(est != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < 100; k++)
        CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));
    take_fingerprint(est, &before);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_estimator_reset(est, 2.0, 0.1));
    CHECK(same_fingerprint(est, &before));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_estimator_reset(est, -0.1, 0.1));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_estimator_reset(est, 0.5, 0.0));
    CHECK(same_fingerprint(est, &before));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_estimator_reset(est, 0.5, -0.1));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_estimator_reset(est, 0.5, 2.0));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_reset(est, NAN, 0.1));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_reset(est, 0.5, NAN));
    CHECK(same_fingerprint(est, &before));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_reset(NULL, 0.5, 0.1));

    CHECK_OK(lithos_estimator_reset(est, 0.5, 0.05));
    CHECK(!same_fingerprint(est, &before));
    /* the next prediction starts from the reset SOC */
    CHECK_OK(lithos_estimator_update(est, 0.0, NAN, T_25C, 1.0, &e));
    CHECK(fabs(e.soc - 0.5) < 1e-6);
    CHECK(e.soc_std >= 0.05 * (1 - 1e-9) && e.soc_std < 0.06);
    lithos_estimator_destroy(est);
}

/* lithos_estimator_run = the same updates one by one, bit for bit. */
static void test_run_equals_updates(const char *algorithm, int with_dt_array) {
    lithos_estimator *a = make_estimator(algorithm), *b = make_estimator(algorithm);
    static double soc[N_DRIVE], std[N_DRIVE], pred[N_DRIVE], dts[N_DRIVE];
    lithos_estimate e, ga;
    size_t k, updates = CHECK_SENTINEL_SIZE, mismatches = 0;
    static fingerprint fa, fb;
    REQUIRE(a != NULL && b != NULL);
    e.struct_size = sizeof e;
    for (k = 0; k < n_drive; k++) dts[k] = 1.0;
    CHECK_OK(lithos_estimator_run(a, meas_current, meas_voltage, meas_temperature, with_dt_array ? dts : NULL, 1.0,
                                  n_drive, soc, std, pred, &updates));
    CHECK(updates == n_drive);
    for (k = 0; k < n_drive; k++) {
        CHECK_OK(lithos_estimator_update(b, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e));
        if (memcmp(&soc[k], &e.soc, sizeof(double)) != 0 || memcmp(&std[k], &e.soc_std, sizeof(double)) != 0 ||
            memcmp(&pred[k], &e.predicted_voltage_V, sizeof(double)) != 0)
            mismatches++;
    }
    CHECK(mismatches == 0);
    ga = get_estimate(a);
    CHECK(memcmp(&ga, &e, sizeof e) == 0);
    take_fingerprint(a, &fa);
    take_fingerprint(b, &fb);
    CHECK(fa.size == fb.size && memcmp(fa.state, fb.state, fa.size) == 0);
    /* NULL output arrays are fine */
    CHECK_OK(lithos_estimator_run(a, meas_current, meas_voltage, meas_temperature, NULL, 1.0, 100, NULL, NULL, NULL, NULL));
    lithos_estimator_destroy(a);
    lithos_estimator_destroy(b);
}

static void test_run_all_or_nothing(void) {
    lithos_estimator *est = make_estimator("ekf");
    static double current[400], soc[400];
    static fingerprint before;
    size_t k, updates;
    REQUIRE(est != NULL);
    for (k = 0; k < 50; k++) CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, NULL));
    memcpy(current, meas_current + 50, sizeof current);
    current[123] = INFINITY;
    take_fingerprint(est, &before);
    updates = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT,
                 lithos_estimator_run(est, current, meas_voltage + 50, meas_temperature + 50, NULL, 1.0, 400, soc, NULL, NULL, &updates));
    CHECK(updates == 123);
    CHECK(same_fingerprint(est, &before));
    CHECK_MESSAGE_CONTAINS("123");
    /* an out-of-range dt at 7 */
    {
        static double dts[400];
        for (k = 0; k < 400; k++) dts[k] = 1.0;
        dts[7] = 0.0;
        updates = CHECK_SENTINEL_SIZE;
        CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE,
                     lithos_estimator_run(est, meas_current, meas_voltage, meas_temperature, dts, 0.0, 400, NULL, NULL, NULL, &updates));
        CHECK(updates == 7);
        CHECK(same_fingerprint(est, &before));
    }
    /* a temperature in °C at the last update */
    {
        static double temps[400];
        memcpy(temps, meas_temperature, sizeof temps);
        temps[399] = 25.0;
        updates = CHECK_SENTINEL_SIZE;
        CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE,
                     lithos_estimator_run(est, meas_current, meas_voltage, temps, NULL, 1.0, 400, NULL, NULL, NULL, &updates));
        CHECK(updates == 399);
        CHECK(same_fingerprint(est, &before));
    }
    /* after the failure, the estimator carries on as if nothing happened */
    {
        lithos_estimator *twin = make_estimator("ekf");
        lithos_estimate e1, e2;
        REQUIRE(twin != NULL);
        for (k = 0; k < 50; k++) CHECK_OK(lithos_estimator_update(twin, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, NULL));
        e1.struct_size = e2.struct_size = sizeof e1;
        for (k = 50; k < 150; k++) {
            CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e1));
            CHECK_OK(lithos_estimator_update(twin, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &e2));
        }
        CHECK(memcmp(&e1, &e2, sizeof e1) == 0);
        lithos_estimator_destroy(twin);
    }
    lithos_estimator_destroy(est);
}

static void test_run_errors(void) {
    lithos_estimator *est = make_estimator("ekf");
    static fingerprint before;
    size_t updates;
    double x = 1.0;
    REQUIRE(est != NULL);
    take_fingerprint(est, &before);
    updates = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT,
                 lithos_estimator_run(NULL, meas_current, meas_voltage, meas_temperature, NULL, 1.0, 10, NULL, NULL, NULL, &updates));
    CHECK(updates == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT,
                 lithos_estimator_run(est, NULL, meas_voltage, meas_temperature, NULL, 1.0, 10, NULL, NULL, NULL, &updates));
    CHECK_MESSAGE_CONTAINS("current_A");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT,
                 lithos_estimator_run(est, meas_current, NULL, meas_temperature, NULL, 1.0, 10, NULL, NULL, NULL, &updates));
    CHECK_MESSAGE_CONTAINS("voltage_V");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT,
                 lithos_estimator_run(est, meas_current, meas_voltage, NULL, NULL, 1.0, 10, NULL, NULL, NULL, &updates));
    CHECK_MESSAGE_CONTAINS("temperature_K");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE,
                 lithos_estimator_run(est, meas_current, meas_voltage, meas_temperature, NULL, 0.0, 10, NULL, NULL, NULL, &updates));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE,
                 lithos_estimator_run(est, meas_current, meas_voltage, meas_temperature, NULL, 1e6, 10, NULL, NULL, NULL, &updates));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT,
                 lithos_estimator_run(est, meas_current, meas_voltage, meas_temperature, NULL, NAN, 10, NULL, NULL, NULL, &updates));
    CHECK(same_fingerprint(est, &before));
    /* n = 0: nothing to do, NULL arrays fine */
    updates = CHECK_SENTINEL_SIZE;
    CHECK_OK(lithos_estimator_run(est, NULL, NULL, NULL, NULL, 0.0, 0, NULL, NULL, NULL, &updates));
    CHECK(updates == 0);
    CHECK(same_fingerprint(est, &before));
    /* n = 1 */
    CHECK_OK(lithos_estimator_run(est, &x, meas_voltage, meas_temperature, NULL, 1.0, 1, NULL, NULL, NULL, &updates));
    CHECK(updates == 1);
    lithos_estimator_destroy(est);
}

/* save → N updates → load → the same N updates: bit-identical estimates. */
static void check_snapshot_resume(const char *algorithm) {
    lithos_estimator *est = make_estimator(algorithm);
    static unsigned char snap[SNAPSHOT_MAX];
    static lithos_estimate first[300], second[300];
    size_t k, size = 0, written = CHECK_SENTINEL_SIZE;
    REQUIRE(est != NULL);
    for (k = 0; k < 500; k++) CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, NULL));
    size = state_size(est);
    REQUIRE(size > 0 && size <= SNAPSHOT_MAX);
    CHECK_OK(lithos_estimator_save_state(est, snap, SNAPSHOT_MAX, &written));
    CHECK(written == size);
    for (k = 0; k < 300; k++) {
        first[k].struct_size = sizeof first[k];
        CHECK_OK(lithos_estimator_update(est, meas_current[500 + k], k == 100 ? NAN : meas_voltage[500 + k], meas_temperature[500 + k], 1.0, &first[k]));
    }
    CHECK_OK(lithos_estimator_load_state(est, snap, size));
    for (k = 0; k < 300; k++) {
        second[k].struct_size = sizeof second[k];
        CHECK_OK(lithos_estimator_update(est, meas_current[500 + k], k == 100 ? NAN : meas_voltage[500 + k], meas_temperature[500 + k], 1.0, &second[k]));
    }
    CHECK(memcmp(first, second, sizeof first) == 0);
    /* into a second estimator of the same configuration */
    {
        lithos_estimator *twin = make_estimator(algorithm);
        lithos_estimate e;
        REQUIRE(twin != NULL);
        CHECK_OK(lithos_estimator_load_state(twin, snap, size));
        for (k = 0; k < 300; k++) {
            e.struct_size = sizeof e;
            CHECK_OK(lithos_estimator_update(twin, meas_current[500 + k], k == 100 ? NAN : meas_voltage[500 + k], meas_temperature[500 + k], 1.0, &e));
        }
        CHECK(memcmp(&e, &second[299], sizeof e) == 0);
        lithos_estimator_destroy(twin);
    }
    lithos_estimator_destroy(est);
}

static void test_snapshots(void) {
    lithos_estimator *est = make_estimator("ekf"), *other = NULL;
    static unsigned char snap[SNAPSHOT_MAX], bad[SNAPSHOT_MAX];
    static fingerprint before;
    size_t size, k, n, got;
    char *config;
    check_snapshot_resume("ekf");
    check_snapshot_resume("ukf");
    check_snapshot_resume("coulomb");
    REQUIRE(est != NULL);
    for (k = 0; k < 100; k++) CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, NULL));
    size = state_size(est);
    REQUIRE(size > 16 && size <= SNAPSHOT_MAX);
    CHECK_OK(lithos_estimator_save_state(est, snap, size, NULL));
    for (k = 100; k < 150; k++) CHECK_OK(lithos_estimator_update(est, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, NULL));
    take_fingerprint(est, &before);

    /* buffer too small: the size needed in *out_size, nothing written */
    memset(bad, 'x', size);
    got = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_estimator_save_state(est, bad, size - 1, &got));
    CHECK(got == size);
    for (k = 0; k < size && bad[k] == 'x'; k++) {}
    CHECK(k == size);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_save_state(NULL, bad, size, &got));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_save_state(est, NULL, size, &got));
    got = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_state_size(NULL, &got));
    CHECK(got == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_state_size(est, NULL));

    /* truncated */
    for (n = 0; n < size; n += (n < 64 ? 1 : 97)) {
        if (lithos_estimator_load_state(est, snap, n) != LITHOS_ERROR_INVALID_ARGUMENT) {
            CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_load_state(est, snap, n));
            fprintf(stderr, "  (truncated to %zu of %zu bytes)\n", n, size);
            break;
        }
    }
    CHECK(same_fingerprint(est, &before));
    /* a flipped bit anywhere */
    for (k = 0; k < size; k += (k < 64 ? 1 : 13)) {
        memcpy(bad, snap, size);
        bad[k] ^= (unsigned char)(1u << (k % 8));
        if (lithos_estimator_load_state(est, bad, size) != LITHOS_ERROR_INVALID_ARGUMENT) {
            CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_load_state(est, bad, size));
            fprintf(stderr, "  (bit flipped in byte %zu of %zu)\n", k, size);
            break;
        }
    }
    CHECK(same_fingerprint(est, &before));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_load_state(NULL, snap, size));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_load_state(est, NULL, size));
    CHECK(same_fingerprint(est, &before));

    /* a snapshot of another configuration: another ECM (capacity scaled) */
    {
        char *scaled = (char *)malloc(strlen(ecm_json) + 64), *p;
        const char *key = "\"capacity_Ah\"";
        REQUIRE(scaled != NULL);
        strcpy(scaled, ecm_json);
        p = strstr(scaled, key);
        if (p != NULL) {
            /* replace the capacity value by 1.2345 */
            char *colon = strchr(p, ':'), *end;
            double q;
            REQUIRE(colon != NULL);
            q = strtod(colon + 1, &end);
            (void)q;
            {
                char *rest = (char *)malloc(strlen(end) + 1);
                REQUIRE(rest != NULL);
                strcpy(rest, end);
                sprintf(colon + 1, " 1.2345%s", rest);
                free(rest);
            }
            config = (char *)malloc(strlen(scaled) + 200);
            REQUIRE(config != NULL);
            sprintf(config, "{\"ecm\": %s, \"algorithm\": \"ekf\", \"initial_soc\": 0.7, \"initial_soc_std\": 0.3}", scaled);
            CHECK_OK(lithos_estimator_create(config, &other));
            free(config);
            if (other != NULL) {
                unsigned char osnap[SNAPSHOT_MAX];
                size_t osize = state_size(other);
                CHECK_OK(lithos_estimator_save_state(other, osnap, sizeof osnap, NULL));
                CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_load_state(est, osnap, osize));
                CHECK(same_fingerprint(est, &before));
                lithos_estimator_destroy(other);
                other = NULL;
            }
        } else {
            CHECK(p != NULL);
        }
        free(scaled);
    }
    /* another algorithm */
    other = make_estimator("ukf");
    if (other != NULL) {
        unsigned char osnap[SNAPSHOT_MAX];
        size_t osize = state_size(other);
        CHECK_OK(lithos_estimator_save_state(other, osnap, sizeof osnap, NULL));
        CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_load_state(est, osnap, osize));
        CHECK(same_fingerprint(est, &before));
        lithos_estimator_destroy(other);
    }
    /* a model snapshot is not an estimator snapshot */
    {
        lithos_model *m = NULL;
        unsigned char msnap[SNAPSHOT_MAX];
        size_t msize = 0;
        CHECK_OK(lithos_model_create(default_design, NULL, &m));
        if (m != NULL) {
            CHECK_OK(lithos_model_save_state(m, msnap, sizeof msnap, &msize));
            CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_estimator_load_state(est, msnap, msize));
            CHECK(same_fingerprint(est, &before));
            lithos_model_destroy(m);
        }
    }
    /* and the good one still loads */
    CHECK_OK(lithos_estimator_load_state(est, snap, size));
    CHECK(!same_fingerprint(est, &before));
    lithos_estimator_destroy(est);
}

static char *config_json_of(const lithos_estimator *est) {
    size_t len = CHECK_SENTINEL_SIZE, len2 = 0;
    char *buf;
    CHECK_OK(lithos_estimator_config_json(est, NULL, 0, &len));
    if (len == CHECK_SENTINEL_SIZE) return NULL;
    buf = (char *)malloc(len + 1);
    if (buf == NULL) return NULL;
    CHECK_OK(lithos_estimator_config_json(est, buf, len + 1, &len2));
    CHECK(len2 == len && strlen(buf) == len);
    return buf;
}

static void test_config_json(void) {
    const char *algorithms[3] = {"ekf", "ukf", "coulomb"};
    int a;
    for (a = 0; a < 3; a++) {
        lithos_estimator *e1 = make_estimator(algorithms[a]), *e2 = NULL;
        char *json, *json2;
        lithos_estimate x1, x2;
        size_t k, len2;
        char small[8];
        REQUIRE(e1 != NULL);
        json = config_json_of(e1);
        REQUIRE(json != NULL);
        CHECK(utf8_valid(json));
        CHECK_CONTAINS(json, algorithms[a]);
        CHECK_CONTAINS(json, "\"ecm\"");
        CHECK_CONTAINS(json, "initial_soc");
        CHECK_OK(lithos_estimator_create(json, &e2));
        if (e2 != NULL) {
            json2 = config_json_of(e2);
            CHECK(json2 != NULL && strcmp(json, json2) == 0);
            free(json2);
            x1.struct_size = x2.struct_size = sizeof x1;
            for (k = 0; k < (n_drive < 1000 ? n_drive : 1000); k++) {
                CHECK_OK(lithos_estimator_update(e1, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &x1));
                CHECK_OK(lithos_estimator_update(e2, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &x2));
            }
            CHECK(memcmp(&x1, &x2, sizeof x1) == 0);
            lithos_estimator_destroy(e2);
        }
        /* errors */
        memset(small, 'x', sizeof small);
        len2 = CHECK_SENTINEL_SIZE;
        CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_estimator_config_json(e1, small, sizeof small, &len2));
        CHECK(len2 == strlen(json));
        CHECK(small[1] == 'x');
        len2 = CHECK_SENTINEL_SIZE;
        CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_config_json(NULL, small, sizeof small, &len2));
        CHECK(len2 == CHECK_SENTINEL_SIZE);
        free(json);
        lithos_estimator_destroy(e1);
    }
}

static void check_create_fails(lithos_status expected, const char *config, const char *needle) {
    lithos_estimator *e = SENTINEL_ESTIMATOR;
    int failures = check_failures_;
    CHECK_STATUS(expected, lithos_estimator_create(config, &e));
    CHECK(e == SENTINEL_ESTIMATOR);
    if (needle != NULL) CHECK_MESSAGE_CONTAINS(needle);
    if (check_failures_ != failures) fprintf(stderr, "  (config: %.200s)\n", config ? config : "(NULL)");
}

static void test_create_errors(void) {
    char *c;
    lithos_estimator *e = NULL;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_create(NULL, &e));
    CHECK(e == NULL);
    c = config_with("ekf", 0.7, 0.3, "");
    REQUIRE(c != NULL);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_estimator_create(c, NULL));
    free(c);
    check_create_fails(LITHOS_ERROR_PARSE, "", NULL);
    check_create_fails(LITHOS_ERROR_PARSE, "{", NULL);
    check_create_fails(LITHOS_ERROR_PARSE, "{\"ecm\": }", NULL);
    check_create_fails(LITHOS_ERROR_PARSE, "not json", NULL);
    check_create_fails(LITHOS_ERROR_CONFIG, "{}", "ecm");
    check_create_fails(LITHOS_ERROR_CONFIG, "{\"algorithm\": \"ekf\", \"initial_soc\": 0.5}", "ecm");
    check_create_fails(LITHOS_ERROR_CONFIG, "[1, 2]", NULL);
    c = config_with("ekf", 0.7, 0.3, ", \"bogus_key\": 1");
    check_create_fails(LITHOS_ERROR_CONFIG, c, "bogus_key");
    free(c);
    c = config_with("kalman", 0.7, 0.3, "");
    check_create_fails(LITHOS_ERROR_CONFIG, c, "kalman");
    free(c);
    c = config_with("ekf", 1.5, 0.3, "");
    check_create_fails(LITHOS_ERROR_OUT_OF_RANGE, c, "initial_soc");
    free(c);
    c = config_with("ekf", 0.7, 0.0, "");
    check_create_fails(LITHOS_ERROR_OUT_OF_RANGE, c, "initial_soc_std");
    free(c);
    check_create_fails(LITHOS_ERROR_CONFIG, "{\"ecm\": {\"bogus\": 1}}", NULL);
    /* a minimal config: only "ecm" */
    {
        size_t n = strlen(ecm_json) + 16;
        c = (char *)malloc(n);
        REQUIRE(c != NULL);
        snprintf(c, n, "{\"ecm\": %s}", ecm_json);
        e = NULL;
        CHECK_OK(lithos_estimator_create(c, &e));
        CHECK(e != NULL);
        lithos_estimator_destroy(e);
        free(c);
    }
    CHECK_OK(lithos_estimator_destroy(NULL));
}

/* Two estimators built alike give the same bytes. */
static void test_deterministic(void) {
    lithos_estimator *a = make_estimator("ukf"), *b = make_estimator("ukf");
    lithos_estimate x, y;
    size_t k;
    REQUIRE(a != NULL && b != NULL);
    x.struct_size = y.struct_size = sizeof x;
    for (k = 0; k < (n_drive < 1000 ? n_drive : 1000); k++) {
        CHECK_OK(lithos_estimator_update(a, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &x));
        CHECK_OK(lithos_estimator_update(b, meas_current[k], meas_voltage[k], meas_temperature[k], 1.0, &y));
    }
    CHECK(memcmp(&x, &y, sizeof x) == 0);
    lithos_estimator_destroy(a);
    lithos_estimator_destroy(b);
}

int main(int argc, char **argv) {
    (void)argc;
    /* LITHOS_TEST_ITERATIONS (the valgrind run) shortens the long drives to 400 s */
    if (getenv("LITHOS_TEST_ITERATIONS") && atoi(getenv("LITHOS_TEST_ITERATIONS")) > 0 &&
        atoi(getenv("LITHOS_TEST_ITERATIONS")) < 2000)
        n_drive = 400;
    if (!setup()) return check_summary(argv[0]);

    test_tracking_ekf_ukf();
    test_current_offset_state();
    test_coulomb_keeps_initial_error();
    test_nan_measurements();
    test_update_errors();
    test_get_estimate();
    test_power_limits();
    test_reset();
    test_run_equals_updates("ekf", 0);
    test_run_equals_updates("ukf", 1);
    test_run_equals_updates("coulomb", 0);
    test_run_all_or_nothing();
    test_run_errors();
    test_snapshots();
    test_config_json();
    test_create_errors();
    test_deterministic();

    free(default_design);
    free(ecm_json);
    return check_summary(argv[0]);
}
