/*
 * lithos_last_error_message() is per thread: a failure on one thread does not change the
 * message another thread sees, and a new thread starts with an empty message. Also runs the
 * materials API and one cell handle per thread from several threads at once (no hidden global
 * mutable state): every thread must get bit-identical results to the main thread.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdlib.h>

#define N_THREADS 8
/* Iterations per thread; LITHOS_TEST_ITERATIONS overrides (the valgrind run uses fewer). */
static int n_iterations = 1000;
#define N_CELL_ITERATIONS (n_iterations / 10)

static const char design[] =
    "{\"name\": \"threads\", \"area_cm2\": 1,"
    " \"anode\": {\"type\": \"lithium_metal\", \"thickness_um\": 20},"
    " \"separator\": {\"material\": \"Li6PS5Cl\", \"thickness_um\": 30},"
    " \"cathode\": {\"active_material\": \"NMC811\", \"thickness_um\": 60,"
    "   \"volume_fractions\": {\"active\": 0.6, \"electrolyte\": 0.33, \"carbon\": 0.02, \"porosity\": 0.05}},"
    " \"current_collectors\": {\"positive\": {\"material\": \"Al\", \"thickness_um\": 12},"
    "   \"negative\": {\"material\": \"Cu\", \"thickness_um\": 10}}}";

/* metrics of `design` at 263.15 K computed on the main thread */
static lithos_cell_metrics reference_metrics;

typedef struct {
    int index;
    int fresh_message_empty;   /* the message was "" when the thread started */
    int own_message_ok;        /* after its own failure the thread saw its own message */
    int errors;                /* wrong results in the hammer loop */
} worker_result;

static pthread_barrier_t barrier;

static void *worker(void *arg) {
    worker_result *r = (worker_result *)arg;
    char unknown[64];
    const char *name = NULL;
    int i;

    r->fresh_message_empty = lithos_last_error_message()[0] == '\0';
    snprintf(unknown, sizeof unknown, "no-such-material-%d", r->index);
    (void)pthread_barrier_wait(&barrier);

    for (i = 0; i < n_iterations; i++) {
        double sigma = 0;
        if (lithos_material_lookup(unknown, &name) != LITHOS_ERROR_NOT_FOUND) r->errors++;
        if (strstr(lithos_last_error_message(), unknown) == NULL) r->errors++;
        if (lithos_material_ionic_conductivity("LPSCl", 298.15, &sigma) != LITHOS_OK) r->errors++;
        if (!(sigma > 0.19 && sigma < 0.21)) r->errors++;
        /* still our own message after a success and while other threads fail */
        if (strstr(lithos_last_error_message(), unknown) == NULL) r->errors++;
    }
    r->own_message_ok = strstr(lithos_last_error_message(), unknown) != NULL;

    /* one cell per thread, created and used concurrently */
    for (i = 0; i < N_CELL_ITERATIONS; i++) {
        lithos_cell *cell = NULL;
        lithos_cell_metrics m;
        memset(&m, 0, sizeof m);
        m.struct_size = sizeof m;
        if (lithos_cell_create(design, &cell) != LITHOS_OK || cell == NULL) { r->errors++; continue; }
        if (lithos_cell_metrics_at(cell, 263.15, &m) != LITHOS_OK) r->errors++;
        if (memcmp(&m, &reference_metrics, sizeof m) != 0) r->errors++;
        if (lithos_cell_metrics_at(cell, 25.0, &m) != LITHOS_ERROR_OUT_OF_RANGE) r->errors++;
        if (lithos_cell_destroy(cell) != LITHOS_OK) r->errors++;
    }
    return NULL;
}

int main(void) {
    pthread_t threads[N_THREADS];
    worker_result results[N_THREADS];
    char main_message[1024];
    const char *name = NULL;
    int i;

    if (getenv("LITHOS_TEST_ITERATIONS") && atoi(getenv("LITHOS_TEST_ITERATIONS")) > 0)
        n_iterations = atoi(getenv("LITHOS_TEST_ITERATIONS"));

    /* the main thread fails first; its message must survive the workers' failures */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_material_lookup("main-thread-material", &name));
    snprintf(main_message, sizeof main_message, "%s", lithos_last_error_message());
    CHECK_CONTAINS(main_message, "main-thread-material");

    {
        lithos_cell *cell = NULL;
        memset(&reference_metrics, 0, sizeof reference_metrics);
        reference_metrics.struct_size = sizeof reference_metrics;
        CHECK_OK(lithos_cell_create(design, &cell));
        CHECK_OK(lithos_cell_metrics_at(cell, 263.15, &reference_metrics));
        CHECK_OK(lithos_cell_destroy(cell));
    }

    if (pthread_barrier_init(&barrier, NULL, N_THREADS) != 0) {
        fprintf(stderr, "pthread_barrier_init failed\n");
        return 1;
    }
    for (i = 0; i < N_THREADS; i++) {
        memset(&results[i], 0, sizeof results[i]);
        results[i].index = i;
        if (pthread_create(&threads[i], NULL, worker, &results[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    for (i = 0; i < N_THREADS; i++) (void)pthread_join(threads[i], NULL);
    (void)pthread_barrier_destroy(&barrier);

    for (i = 0; i < N_THREADS; i++) {
        CHECK(results[i].fresh_message_empty);
        CHECK(results[i].own_message_ok);
        CHECK(results[i].errors == 0);
        if (results[i].errors) fprintf(stderr, "    thread %d: %d errors\n", i, results[i].errors);
    }
    CHECK(strcmp(lithos_last_error_message(), main_message) == 0);
    return check_summary("test_threads");
}
