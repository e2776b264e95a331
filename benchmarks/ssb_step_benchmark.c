/*
 * ssb_step_benchmark.c — nanoseconds per step of the solid-state physics models (SSB-SPM,
 * SSB-P2D) through the public C API, at their default meshes (20 radial shells per particle;
 * 20 cathode nodes for the P2D), on the built-in default cell (NMC811 | Li6PS5Cl | Li, thermal
 * model on).
 *
 * Profile: N steps of 1 s, a zero-mean pulse pattern of ±1C around SOC 0.6, so the cell stays
 * inside its window for any N. Timed: (a) lithos_model_step, one call per step, writing a
 * lithos_model_output; (b) lithos_model_run over the whole array. Each is run once to warm up,
 * then REPS times from the same initial state (restored from a snapshot); the median is
 * reported. Targets (issue 4): SSB-SPM <= 1 us per step, SSB-P2D <= 30 us per step.
 * The PyBaMM comparison (SPM and DFN stepped one step at a time) is
 * benchmarks/pybamm_ssb_benchmark.py.
 *
 * Usage: ssb_step_benchmark DESIGN.json [steps] [repetitions]
 * Not a test: it asserts nothing about time. Build: see benchmarks/run.sh (strict C99).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lithos.h"

#define MAX_REPS 31

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
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    if (text != NULL && fread(text, 1, (size_t)n, f) != (size_t)n) { free(text); text = NULL; }
    if (text != NULL) text[n] = '\0';
    fclose(f);
    return text;
}

static int bench(const char *design, const char *kind, size_t steps, int reps) {
    char options[128];
    lithos_model *model = NULL;
    lithos_model_info info;
    lithos_model_output out;
    double *current = malloc(steps * sizeof(double)), *voltage = malloc(steps * sizeof(double));
    double t_step[MAX_REPS], t_run[MAX_REPS];
    unsigned char *snapshot;
    size_t k, size = 0, done = 0;
    int r;
    lithos_status s;

    snprintf(options, sizeof options, "{\"kind\": \"%s\", \"initial_soc\": 0.6}", kind);
    s = lithos_model_create(design, options, &model);
    if (s != LITHOS_OK) {
        printf("%-8s  not available: %s\n", kind, lithos_last_error_message());
        free(current); free(voltage);
        return 0;
    }
    info.struct_size = sizeof info;
    lithos_model_get_info(model, &info);
    for (k = 0; k < steps; k++) {
        /* ±1C pulses of 10 s, zero mean over 40 s */
        size_t phase = (k / 10) % 4;
        current[k] = info.capacity_Ah * (phase == 0 ? 1.0 : phase == 2 ? -1.0 : 0.0);
    }
    lithos_model_state_size(model, &size);
    snapshot = malloc(size);
    lithos_model_save_state(model, snapshot, size, NULL);
    out.struct_size = sizeof out;
    for (r = 0; r <= reps; r++) {
        double t0;
        lithos_model_load_state(model, snapshot, size);
        t0 = now_s();
        for (k = 0; k < steps; k++) {
            s = lithos_model_step(model, LITHOS_INPUT_CURRENT, current[k], 1.0, 298.15, &out);
            if (s != LITHOS_OK && s != LITHOS_LIMIT_REACHED) {
                fprintf(stderr, "%s: step %zu failed: %s\n", kind, k, lithos_last_error_message());
                return 1;
            }
        }
        if (r > 0) t_step[r - 1] = (now_s() - t0) / (double)steps;
        lithos_model_load_state(model, snapshot, size);
        t0 = now_s();
        s = lithos_model_run(model, LITHOS_INPUT_CURRENT, current, NULL, 1.0, steps, 298.15, voltage, NULL, NULL, NULL, &done);
        if (s != LITHOS_OK && s != LITHOS_LIMIT_REACHED) {
            fprintf(stderr, "%s: run failed: %s\n", kind, lithos_last_error_message());
            return 1;
        }
        if (r > 0) t_run[r - 1] = (now_s() - t0) / (double)steps;
    }
    qsort(t_step, (size_t)reps, sizeof(double), compare_doubles);
    qsort(t_run, (size_t)reps, sizeof(double), compare_doubles);
    printf("%-8s  %8.0f ns/step (lithos_model_step)  %8.0f ns/step (lithos_model_run)  [%zu steps x %d, last V %.4f]\n",
           kind, 1e9 * t_step[reps / 2], 1e9 * t_run[reps / 2], steps, reps, voltage[steps - 1]);
    free(snapshot);
    free(current);
    free(voltage);
    lithos_model_destroy(model);
    return 0;
}

int main(int argc, char **argv) {
    char *design;
    size_t steps = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    if (argc < 2) { fprintf(stderr, "usage: %s DESIGN.json [steps] [repetitions]\n", argv[0]); return 2; }
    if (reps < 1) reps = 1;
    if (reps > MAX_REPS) reps = MAX_REPS;
    design = read_text(argv[1]);
    if (design == NULL) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
    printf("%s, default meshes, dt = 1 s, +-1C pulses, median of %d\n", lithos_version(), reps);
    if (bench(design, "ssb-spm", steps, reps) != 0) return 1;
    if (bench(design, "ssb-p2d", steps / 10 > 0 ? steps / 10 : 1, reps) != 0) return 1;
    free(design);
    return 0;
}
