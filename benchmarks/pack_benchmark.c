/*
 * pack_benchmark.c — packs in real time (issue 8): nanoseconds per pack step of an Ns×1 pack of
 * SSB-SPM or ECM cells (the default cell, examples/cells/default.json) at dt = 1 ms, with and
 * without a per-cell state estimator (lithos_estimator, EKF on the ECM derived from the same
 * design) fed with the pack's measured values, the real-time headroom (1 ms / step time), the
 * largest pack within real time on one core (per-cell cost extrapolated linearly, the pack
 * step being a loop over cells), and the jitter of a timed 1 kHz loop (clock_nanosleep on
 * absolute deadlines, SCHED_OTHER, no CPU pinning): wake-up latency and loop-end lateness
 * percentiles and the number of overruns; also the EKFs at 100 Hz (every 10th 1 ms cycle), the
 * rate a BMS usually runs its estimator at.
 *
 * Profile: zero-mean ±1C pulses (period 2 s) around SOC 0.6, so the cells stay in their window.
 * Usage: pack_benchmark DESIGN.json [cells=96] [jitter_seconds=5]
 * Not a test: it asserts nothing about time. Build: see benchmarks/run.sh (C99 + POSIX).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lithos.h"

#define REPS 7
#define STEPS 2000

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    long n;
    char *text;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) { free(text); text = NULL; }
    if (text) text[n] = 0;
    fclose(f);
    return text;
}

static void die(const char *what, lithos_status s) {
    fprintf(stderr, "%s: %s: %s\n", what, lithos_status_string(s), lithos_last_error_message());
    exit(1);
}
#define TRY(what, call) do { lithos_status s_ = (call); if (s_ != LITHOS_OK && s_ != LITHOS_LIMIT_REACHED) die(what, s_); } while (0)

typedef struct bench {
    lithos_pack *pack;
    lithos_estimator **estimators;   /* NULL: no estimators */
    size_t cells;
    double capacity_Ah;
    double *voltage, *temperature;
    unsigned long step;
    unsigned long ekf_every;         /* update the estimators every this many cycles */
} bench;

/* One 1 ms cycle: the pack steps, the BMS reads the measured values and updates every EKF. */
static void cycle(bench *b) {
    lithos_pack_output out;
    size_t k;
    double current = ((b->step / 1000) % 2 == 0 ? 1.0 : -1.0) * b->capacity_Ah;
    out.struct_size = sizeof out;
    b->step++;
    TRY("lithos_pack_step", lithos_pack_step(b->pack, current, 1e-3, 298.15, &out));
    if (b->estimators == NULL || b->step % b->ekf_every != 0) return;
    TRY("get_values", lithos_pack_get_values(b->pack, LITHOS_PACK_MEASURED_VOLTAGE, b->voltage, b->cells, NULL));
    TRY("get_values", lithos_pack_get_values(b->pack, LITHOS_PACK_MEASURED_TEMPERATURE, b->temperature, b->cells, NULL));
    for (k = 0; k < b->cells; k++) {
        TRY("lithos_estimator_update", lithos_estimator_update(b->estimators[k], out.measured_current_A, b->voltage[k],
                                                               b->temperature[k], 1e-3 * (double)b->ekf_every, NULL));
    }
}

/* Median ns per cycle over REPS runs of STEPS cycles. */
static double time_cycles(bench *b) {
    double t[REPS];
    int r, k;
    for (k = 0; k < 200; k++) cycle(b);   /* warm-up */
    for (r = 0; r < REPS; r++) {
        double t0 = now_s();
        for (k = 0; k < STEPS; k++) cycle(b);
        t[r] = (now_s() - t0) / STEPS * 1e9;
    }
    qsort(t, REPS, sizeof t[0], compare_doubles);
    return t[REPS / 2];
}

static double percentile(double *sorted, size_t n, double p) {
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

/* A 1 kHz loop for `seconds`: sleep to the absolute deadline, run one cycle. */
static void jitter(bench *b, double seconds, const char *label) {
    size_t n = (size_t)(seconds * 1000), k, overruns = 0;
    double *wake = malloc(n * sizeof *wake), *late = malloc(n * sizeof *late);
    struct timespec deadline, t;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    for (k = 0; k < n; k++) {
        double d;
        deadline.tv_nsec += 1000000;
        if (deadline.tv_nsec >= 1000000000) { deadline.tv_nsec -= 1000000000; deadline.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t);
        d = (double)(t.tv_sec - deadline.tv_sec) * 1e9 + (double)(t.tv_nsec - deadline.tv_nsec);
        wake[k] = d / 1000.0;
        cycle(b);
        clock_gettime(CLOCK_MONOTONIC, &t);
        d = (double)(t.tv_sec - deadline.tv_sec) * 1e9 + (double)(t.tv_nsec - deadline.tv_nsec);
        late[k] = d / 1000.0;
        if (late[k] > 1000.0) overruns++;
    }
    qsort(wake, n, sizeof *wake, compare_doubles);
    qsort(late, n, sizeof *late, compare_doubles);
    printf("  1 kHz loop, %s, %zu periods: wake-up latency p50 %.1f / p99 %.1f / p99.9 %.1f / max %.1f us; "
           "cycle end after the deadline p50 %.1f / p99 %.1f / p99.9 %.1f / max %.1f us; overruns (> 1 ms) %zu\n",
           label, n, percentile(wake, n, 0.5), percentile(wake, n, 0.99), percentile(wake, n, 0.999), wake[n - 1],
           percentile(late, n, 0.5), percentile(late, n, 0.99), percentile(late, n, 0.999), late[n - 1], overruns);
    free(wake);
    free(late);
}

static void run_kind(const char *design, const char *ecm, const char *kind, size_t cells, double seconds) {
    size_t json_size = strlen(design) + 1024, k;
    char *json = malloc(json_size);
    bench b;
    lithos_pack_info info;
    double plain, with_ekf, with_ekf_100Hz, per_cell_plain, per_cell_ekf;

    snprintf(json, json_size,
             "{\"series\": %zu, \"parallel\": 1, \"cell\": %s, \"model\": {\"kind\": \"%s\"}, \"initial_soc\": 0.6,"
             " \"variation\": {\"seed\": 1, \"capacity_std_fraction\": 0.01, \"resistance_std_fraction\": 0.03,"
             " \"initial_soc_std\": 0.005, \"temperature_std_K\": 0.5}, \"interconnect_resistance_ohm\": 0.0002,"
             " \"thermal_coupling_W_per_K\": 0.01}", cells, design, kind);
    memset(&b, 0, sizeof b);
    b.cells = cells;
    b.ekf_every = 1;
    TRY("lithos_pack_create", lithos_pack_create(json, &b.pack));
    info.struct_size = sizeof info;
    TRY("lithos_pack_get_info", lithos_pack_get_info(b.pack, &info));
    b.capacity_Ah = info.capacity_Ah;
    b.voltage = malloc(cells * sizeof(double));
    b.temperature = malloc(cells * sizeof(double));

    plain = time_cycles(&b);
    printf("%zus1p %s pack (%.3g A·h cells), dt = 1 ms:\n", cells, kind, info.capacity_Ah);
    if (seconds > 0) jitter(&b, seconds, "pack only");
    b.estimators = malloc(cells * sizeof *b.estimators);
    {
        size_t size = strlen(ecm) + 256;
        char *config = malloc(size);
        snprintf(config, size, "{\"ecm\": %s, \"algorithm\": \"ekf\", \"initial_soc\": 0.6}", ecm);
        for (k = 0; k < cells; k++) TRY("lithos_estimator_create", lithos_estimator_create(config, &b.estimators[k]));
        free(config);
    }
    with_ekf = time_cycles(&b);
    b.ekf_every = 10;
    with_ekf_100Hz = time_cycles(&b);
    per_cell_plain = plain / (double)cells;
    per_cell_ekf = with_ekf / (double)cells;
    printf("  pack step                 %9.0f ns = %6.1f ns per cell; headroom at 1 kHz %.1fx; "
           "largest pack in real time ~%.0f cells\n", plain, per_cell_plain, 1e6 / plain, 1e6 / per_cell_plain);
    printf("  pack step + %zu EKFs       %9.0f ns = %6.1f ns per cell; headroom at 1 kHz %.1fx; "
           "largest pack in real time ~%.0f cells\n", cells, with_ekf, per_cell_ekf, 1e6 / with_ekf, 1e6 / per_cell_ekf);
    printf("  pack step + EKFs at 100 Hz %8.0f ns mean per 1 ms cycle; headroom %.1fx\n", with_ekf_100Hz, 1e6 / with_ekf_100Hz);
    if (seconds > 0) jitter(&b, seconds, "pack at 1 kHz + EKFs at 100 Hz");
    b.ekf_every = 1;
    if (seconds > 0) jitter(&b, seconds, "pack + EKFs at 1 kHz");
    for (k = 0; k < cells; k++) lithos_estimator_destroy(b.estimators[k]);
    free(b.estimators);
    free(b.voltage);
    free(b.temperature);
    lithos_pack_destroy(b.pack);
    free(json);
}

int main(int argc, char **argv) {
    char *design;
    char *ecm;
    size_t cells = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 96, length = 0;
    double seconds = argc > 3 ? atof(argv[3]) : 5.0;
    lithos_model *model = NULL;
    if (argc < 2 || cells == 0) {
        fprintf(stderr, "usage: %s DESIGN.json [cells=96] [jitter_seconds=5]\n", argv[0]);
        return 2;
    }
    design = read_text(argv[1]);
    if (!design) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
    /* The EKF's ECM: the one derived from the same design. */
    TRY("lithos_model_create", lithos_model_create(design, NULL, &model));
    TRY("parameters_json", lithos_model_parameters_json(model, NULL, 0, &length));
    ecm = malloc(length + 1);
    TRY("parameters_json", lithos_model_parameters_json(model, ecm, length + 1, &length));
    lithos_model_destroy(model);
    printf("Lithos %s pack benchmark (median of %d x %d steps; 1 ms budget per step)\n", lithos_version(), REPS, STEPS);
    run_kind(design, ecm, "ssb-spm", cells, seconds);
    run_kind(design, ecm, "ecm", cells, seconds);
    free(ecm);
    free(design);
    return 0;
}
