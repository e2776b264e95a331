/*
 * ecm_step_benchmark.c — nanoseconds per ECM step through the public C API, against the same
 * equations written as a straight C loop (the peer DESIGN.md names for speed).
 *
 * Times, on one profile of N steps (default 1e6 steps of 10 ms, a zero-mean pulse pattern
 * around SOC 0.6 so the cell stays inside its tables):
 *   (a) lithos_model_step, one call per step, writing a lithos_model_output;
 *   (b) lithos_model_run over the whole array (voltage out), the batch entry point;
 *   (c) a plain C loop over the same ECM: exact (zero-order-hold) discretisation, bilinear
 *       table interpolation clamped to the grid, parameters frozen at the start of the step
 *       as Lithos does, every table looked up on its own (Lithos' algorithm, written in C);
 *   (c') the same loop locating the start SOC, the end SOC and T once per step for all tables
 *       (they share one grid): what a C implementation of these equations reaches.
 * Each is run once to warm up, then REPS times from the same initial state; the median is
 * reported. (c) and (c') are checked against (b): the voltages must agree to 1e-9 V (they are
 * bit-identical today), or the comparison is not like for like and the program fails.
 *
 * Usage: ecm_step_benchmark [ecm.json] [steps] [repetitions]
 *   ecm.json  Lithos ECM parameters (default validation/pybamm/ecm_example_2rc.json: PyBaMM's
 *             ECM_Example with 2 RC pairs, 101 SOC × 9 temperature breakpoints)
 * Not a test: it asserts nothing about time. Build: see benchmarks/run.sh (strict C99).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lithos.h"

#define MAX_REPS 31
#define MAX_RC 3

static const double DT_S = 0.01;          /* step [s]: 100 Hz, a firmware simulator's rate */
static const double AMBIENT_K = 298.15;   /* a node of the tables' temperature grid */
static const double INITIAL_SOC = 0.6;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof v[0], compare_doubles);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void die(const char *what, lithos_status s) {
    fprintf(stderr, "%s: %s — %s\n", what, lithos_status_string(s), lithos_last_error_message());
    exit(1);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text;
    long size;
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", path); exit(1); }
    text[size] = '\0';
    fclose(f);
    return text;
}

/* ---- The straight C loop's ECM: tables and equations ------------------------------------ */

typedef struct table {
    const double *x; size_t nx;   /* SOC breakpoints */
    const double *y; size_t ny;   /* temperature breakpoints [K] */
    double *v;                    /* values, row-major over temperature: v[j*nx + i] */
} table;

typedef struct plain_ecm {
    double capacity_Ah;
    double soc_axis[4096], temp_axis[4096];
    size_t n_soc, n_temp;
    table ocv, r0, r[MAX_RC], tau[MAX_RC];
    int rc_pairs;
} plain_ecm;

/* All numbers inside the JSON value that starts at p (a number or nested arrays), flattened
 * into out; returns how many, and sets *end past the value. Enough for the ECM format. */
static size_t read_numbers(const char *p, double *out, size_t max, const char **end) {
    size_t n = 0;
    int depth = 0;
    while (*p == ' ' || *p == '\n' || *p == ':') p++;
    do {
        if (*p == '[') { depth++; p++; }
        else if (*p == ']') { depth--; p++; }
        else if (*p == ',' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
        else {
            char *next;
            double x = strtod(p, &next);
            if (next == p) { fprintf(stderr, "unexpected '%c' in a table\n", *p); exit(1); }
            if (n == max) { fprintf(stderr, "table too large\n"); exit(1); }
            out[n++] = x;
            p = next;
        }
    } while (depth > 0);
    if (end) *end = p;
    return n;
}

static const char *find_key(const char *json, const char *key) {
    char quoted[64];
    const char *p;
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    p = strstr(json, quoted);
    if (!p) { fprintf(stderr, "ECM JSON has no \"%s\"\n", key); exit(1); }
    return p + strlen(quoted);
}

static void read_table(plain_ecm *m, table *t, const char *at) {
    size_t cap = m->n_soc * m->n_temp, n;
    t->v = malloc(cap * sizeof(double));
    n = read_numbers(at, t->v, cap, NULL);
    t->x = m->soc_axis; t->nx = m->n_soc;
    t->y = m->temp_axis; t->ny = m->n_temp;
    if (n == 1) { t->nx = 1; t->ny = 1; }                 /* a constant */
    else if (n == m->n_soc) t->ny = 1;                     /* one row over SOC */
    else if (n != cap) { fprintf(stderr, "table with %zu values on a %zu×%zu grid\n", n, m->n_soc, m->n_temp); exit(1); }
}

static void plain_ecm_load(plain_ecm *m, const char *json) {
    const char *p;
    int j;
    memset(m, 0, sizeof *m);
    read_numbers(find_key(json, "capacity_Ah"), &m->capacity_Ah, 1, NULL);
    m->n_soc = read_numbers(find_key(json, "soc_breakpoints"), m->soc_axis, 4096, NULL);
    m->n_temp = read_numbers(find_key(json, "temperature_breakpoints_K"), m->temp_axis, 4096, NULL);
    read_table(m, &m->ocv, find_key(json, "ocv_V"));
    read_table(m, &m->r0, find_key(json, "r0_ohm"));
    p = find_key(json, "rc_pairs");
    for (j = 0; j < MAX_RC; j++) {
        const char *r = strstr(p, "\"r_ohm\"");
        if (!r) break;
        read_table(m, &m->r[j], r + 7);
        read_table(m, &m->tau[j], find_key(r, "tau_s"));
        p = r + 7;
        m->rc_pairs = j + 1;
    }
    if (strstr(json, "\"hysteresis\"") || strstr(json, "\"thermal\"")) {
        fprintf(stderr, "the plain loop models no hysteresis and no thermal block; use an ECM without them\n");
        exit(1);
    }
}

/* Bracketing interval and weight, clamped at the ends (as Lithos' BilinearTable). */
static void locate(const double *axis, size_t n, double v, size_t *i, double *w) {
    size_t lo = 0, hi = n - 1;
    if (n == 1 || !(v > axis[0])) { *i = 0; *w = 0; return; }
    if (v >= axis[n - 1]) { *i = n - 2; *w = 1; return; }
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (axis[mid] <= v) lo = mid; else hi = mid;
    }
    *i = lo;
    *w = (v - axis[lo]) / (axis[lo + 1] - axis[lo]);
}

static double table_value(const table *t, double x, double y) {
    size_t i, j, i1, j1;
    double wx, wy, lo, hi;
    locate(t->x, t->nx, x, &i, &wx);
    locate(t->y, t->ny, y, &j, &wy);
    i1 = t->nx == 1 ? i : i + 1;
    j1 = t->ny == 1 ? j : j + 1;
    lo = t->v[j * t->nx + i] + wx * (t->v[j * t->nx + i1] - t->v[j * t->nx + i]);
    hi = t->v[j1 * t->nx + i] + wx * (t->v[j1 * t->nx + i1] - t->v[j1 * t->nx + i]);
    return lo + wy * (hi - lo);
}

/* The table at a located grid point (i, wx, j, wy) — for tables on the shared grid, or
 * constants/single rows (whose missing axis is ignored). */
static double table_value_at(const table *t, size_t i, double wx, size_t j, double wy) {
    size_t i1, j1;
    double lo, hi;
    if (t->nx == 1) { i = 0; wx = 0; }
    if (t->ny == 1) { j = 0; wy = 0; }
    i1 = t->nx == 1 ? i : i + 1;
    j1 = t->ny == 1 ? j : j + 1;
    lo = t->v[j * t->nx + i] + wx * (t->v[j * t->nx + i1] - t->v[j * t->nx + i]);
    hi = t->v[j1 * t->nx + i] + wx * (t->v[j1 * t->nx + i1] - t->v[j1 * t->nx + i]);
    return lo + wy * (hi - lo);
}

/* As plain_ecm_run, but every table shares one SOC × T grid (as in Lithos' ECM JSON), so each
 * step locates the start SOC, the end SOC and T once instead of once per table. Same
 * arithmetic, so the same bits. */
static void plain_ecm_run_shared(const plain_ecm *m, double soc, const double *current, size_t n, double dt,
                                 double T, double *out_voltage) {
    double v[MAX_RC] = {0, 0, 0};
    size_t k, i, j;
    double wx, wy;
    int p;
    for (k = 0; k < n; k++) {
        double I = current[k];
        double next = soc - I * dt / (3600.0 * m->capacity_Ah);
        double sum = 0;
        locate(m->temp_axis, m->n_temp, T, &j, &wy);
        locate(m->soc_axis, m->n_soc, soc, &i, &wx);
        for (p = 0; p < m->rc_pairs; p++) {
            double r = table_value_at(&m->r[p], i, wx, j, wy);
            double one_minus_a = -expm1(-dt / table_value_at(&m->tau[p], i, wx, j, wy));
            v[p] = (1 - one_minus_a) * v[p] + r * one_minus_a * I;
            sum += v[p];
        }
        soc = next;
        locate(m->soc_axis, m->n_soc, soc, &i, &wx);
        out_voltage[k] = table_value_at(&m->ocv, i, wx, j, wy) - sum - table_value_at(&m->r0, i, wx, j, wy) * I;
    }
}

/* n steps of current[k] held for dt at temperature T; writes the end-of-step voltage. */
static void plain_ecm_run(const plain_ecm *m, double soc, const double *current, size_t n, double dt,
                          double T, double *out_voltage) {
    double v[MAX_RC] = {0, 0, 0};
    size_t k;
    int j;
    for (k = 0; k < n; k++) {
        double I = current[k];
        double next = soc - I * dt / (3600.0 * m->capacity_Ah);
        double sum = 0;
        for (j = 0; j < m->rc_pairs; j++) {
            double r = table_value(&m->r[j], soc, T);
            double one_minus_a = -expm1(-dt / table_value(&m->tau[j], soc, T));
            v[j] = (1 - one_minus_a) * v[j] + r * one_minus_a * I;
            sum += v[j];
        }
        soc = next;
        out_voltage[k] = table_value(&m->ocv, soc, T) - sum - table_value(&m->r0, soc, T) * I;
    }
}

/* ---- The benchmark ------------------------------------------------------------------------ */

/* A zero-mean pulse pattern: each level held for 10 s (1000 steps of 10 ms). */
static void make_profile(double *current, size_t n) {
    static const double levels_A[] = {150, 0, -100, 50, 200, 0, -150, -150, 100, -100, 0, 0};
    const size_t hold = 1000, count = sizeof levels_A / sizeof levels_A[0];
    size_t k;
    for (k = 0; k < n; k++) current[k] = levels_A[(k / hold) % count];
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "validation/pybamm/ecm_example_2rc.json";
    size_t n = argc > 2 ? (size_t)strtod(argv[2], NULL) : 1000000;
    int reps = argc > 3 ? atoi(argv[3]) : 5, r;
    char *ecm_json = read_file(path), *options;
    double *current = malloc(n * sizeof(double)), *v_lithos = malloc(n * sizeof(double));
    double *v_plain = malloc(n * sizeof(double)), *v_shared = malloc(n * sizeof(double));
    double t_step[MAX_REPS], t_step_null[MAX_REPS], t_run[MAX_REPS], t_plain[MAX_REPS], t_shared[MAX_REPS];
    double ns_step, ns_step_null, ns_run, ns_plain, ns_shared, worst = 0, checksum = 0;
    static plain_ecm plain;
    lithos_model *model = NULL;
    lithos_model_output out;
    lithos_status s;
    size_t k, steps;
    const char *fmt = "{\"kind\": \"ecm\", \"initial_soc\": %.17g, \"initial_temperature_K\": %.17g, \"ecm\": %s}";
    size_t options_size = strlen(fmt) + strlen(ecm_json) + 64;

    if (!current || !v_lithos || !v_plain || !v_shared || n == 0) { fprintf(stderr, "out of memory or no steps\n"); return 1; }
    if (reps < 1) reps = 1;
    if (reps > MAX_REPS) reps = MAX_REPS;
    make_profile(current, n);

    options = malloc(options_size);
    snprintf(options, options_size, fmt, INITIAL_SOC, AMBIENT_K, ecm_json);
    if ((s = lithos_model_create(NULL, options, &model)) != LITHOS_OK) die("lithos_model_create", s);
    plain_ecm_load(&plain, ecm_json);

    printf("Lithos %s, ECM %s: %d RC pair(s), %zu SOC x %zu temperature breakpoints\n", lithos_version(), path,
           plain.rc_pairs, plain.n_soc, plain.n_temp);
    printf("%zu steps of %g s (pulse pattern around SOC %.1f, %.2f K), median of %d repetitions after a warm-up\n\n",
           n, DT_S, INITIAL_SOC, AMBIENT_K, reps);

    memset(&out, 0, sizeof out);
    out.struct_size = sizeof out;
    for (r = -1; r < reps; r++) {               /* r = -1: warm-up */
        double t0, t1;
        /* (a) lithos_model_step with an output struct, and (a') with out = NULL */
        if ((s = lithos_model_reset(model, INITIAL_SOC, AMBIENT_K)) != LITHOS_OK) die("lithos_model_reset", s);
        t0 = now_s();
        for (k = 0; k < n; k++) {
            s = lithos_model_step(model, LITHOS_INPUT_CURRENT, current[k], DT_S, AMBIENT_K, &out);
            if (s != LITHOS_OK && s != LITHOS_LIMIT_REACHED) die("lithos_model_step", s);
        }
        t1 = now_s();
        checksum += out.voltage_V;
        if (r >= 0) t_step[r] = (t1 - t0) / (double)n;

        if ((s = lithos_model_reset(model, INITIAL_SOC, AMBIENT_K)) != LITHOS_OK) die("lithos_model_reset", s);
        t0 = now_s();
        for (k = 0; k < n; k++) {
            s = lithos_model_step(model, LITHOS_INPUT_CURRENT, current[k], DT_S, AMBIENT_K, NULL);
            if (s != LITHOS_OK && s != LITHOS_LIMIT_REACHED) die("lithos_model_step", s);
        }
        t1 = now_s();
        if (r >= 0) t_step_null[r] = (t1 - t0) / (double)n;

        /* (b) lithos_model_run over the array */
        if ((s = lithos_model_reset(model, INITIAL_SOC, AMBIENT_K)) != LITHOS_OK) die("lithos_model_reset", s);
        t0 = now_s();
        s = lithos_model_run(model, LITHOS_INPUT_CURRENT, current, NULL, DT_S, n, AMBIENT_K,
                             v_lithos, NULL, NULL, NULL, &steps);
        t1 = now_s();
        if (s != LITHOS_OK && s != LITHOS_LIMIT_REACHED) die("lithos_model_run", s);
        if (r >= 0) t_run[r] = (t1 - t0) / (double)n;

        /* (c) the straight C loop */
        t0 = now_s();
        plain_ecm_run(&plain, INITIAL_SOC, current, n, DT_S, AMBIENT_K, v_plain);
        t1 = now_s();
        checksum += v_plain[n - 1];
        if (r >= 0) t_plain[r] = (t1 - t0) / (double)n;

        /* (c') the straight C loop with one grid lookup per SOC point */
        t0 = now_s();
        plain_ecm_run_shared(&plain, INITIAL_SOC, current, n, DT_S, AMBIENT_K, v_shared);
        t1 = now_s();
        checksum += v_shared[n - 1];
        if (r >= 0) t_shared[r] = (t1 - t0) / (double)n;
    }

    for (k = 0; k < n; k++) {
        double d = fabs(v_lithos[k] - v_plain[k]), e = fabs(v_lithos[k] - v_shared[k]);
        if (!(d <= worst)) worst = d;
        if (!(e <= worst)) worst = e;
    }
    ns_step = 1e9 * median(t_step, reps);
    ns_step_null = 1e9 * median(t_step_null, reps);
    ns_run = 1e9 * median(t_run, reps);
    ns_plain = 1e9 * median(t_plain, reps);
    ns_shared = 1e9 * median(t_shared, reps);

    printf("%-48s %9.1f ns/step\n", "(a)  lithos_model_step (output struct)", ns_step);
    printf("%-48s %9.1f ns/step\n", "(a') lithos_model_step (out = NULL)", ns_step_null);
    printf("%-48s %9.1f ns/step\n", "(b)  lithos_model_run (1 call, voltage out)", ns_run);
    printf("%-48s %9.1f ns/step\n", "(c)  straight C loop, same equations", ns_plain);
    printf("%-48s %9.1f ns/step\n", "(c') straight C loop, one lookup per SOC point", ns_shared);
    printf("\nratios: step / C loop = %.2f, run / C loop = %.2f, step / run = %.2f\n",
           ns_step / ns_plain, ns_run / ns_plain, ns_step / ns_run);
    printf("        step / C loop (c') = %.2f, run / C loop (c') = %.2f\n", ns_step / ns_shared, ns_run / ns_shared);
    printf("target <= 100 ns per step: lithos_model_step %s, lithos_model_run %s\n",
           ns_step <= 100 ? "met" : "NOT met", ns_run <= 100 ? "met" : "NOT met");
    printf("C loops vs lithos_model_run: max |dV| = %.3g V over %zu steps (checksum %.6f)\n", worst, n, checksum);

    lithos_model_destroy(model);
    free(options); free(ecm_json); free(current); free(v_lithos); free(v_plain); free(v_shared);
    if (!(worst <= 1e-9)) {
        fprintf(stderr, "the C loop does not reproduce lithos_model_run: the comparison is not like for like\n");
        return 1;
    }
    return 0;
}
