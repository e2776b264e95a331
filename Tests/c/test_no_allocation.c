/*
 * "Hot paths do not allocate" (DESIGN.md), proven: this program replaces malloc and friends
 * with counting wrappers around glibc's own allocator (__libc_malloc …). An executable's
 * definitions take precedence over libc's for the whole process, liblithos.so (and the Swift
 * runtime linked into it) included. After creating a model and warming it up, the test counts
 * the allocations made by thousands of current, power and voltage steps, batch runs, output
 * reads, resets and state save/load cycles: there must be none. The same for the state
 * estimator (ekf, ukf, coulomb): updates, a batch run, estimate reads and snapshot save/load.
 */
#include "check.h"
#include <errno.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static volatile int counting = 0;
static volatile long allocations = 0;

void *malloc(size_t size) { if (counting) allocations++; return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { if (counting) allocations++; return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { if (counting) allocations++; return __libc_realloc(pointer, size); }
void free(void *pointer) { __libc_free(pointer); }
void *aligned_alloc(size_t alignment, size_t size) { if (counting) allocations++; return __libc_memalign(alignment, size); }
void *memalign(size_t alignment, size_t size) { if (counting) allocations++; return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    void *p;
    if (counting) allocations++;
    p = __libc_memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}


static void check_model_does_not_allocate(const char *design, const char *options, const char *label) {
    lithos_model *model = NULL;
    lithos_model_output out;
    static double values[2000], voltage[2000], soc[2000];
    static unsigned char snapshot[65536];
    size_t k, steps = 0, state_size = 0;
    long before;

    CHECK_OK(lithos_model_create(design, options, &model));
    REQUIRE(model != NULL);
    CHECK_OK(lithos_model_state_size(model, &state_size));
    REQUIRE(state_size <= sizeof snapshot);
    out.struct_size = sizeof out;
    for (k = 0; k < 2000; k++) values[k] = 0.05 * (double)((k * 7919u) % 41u) - 0.8;
    /* warm-up: first calls may initialise runtime caches once */
    for (k = 0; k < 20; k++) (void)lithos_model_step(model, LITHOS_INPUT_CURRENT, values[k], 1.0, 298.15, &out);
    (void)lithos_model_run(model, LITHOS_INPUT_CURRENT, values, NULL, 0.5, 100, 298.15, voltage, NULL, soc, NULL, &steps);
    (void)lithos_model_save_state(model, snapshot, sizeof snapshot, NULL);
    (void)lithos_model_load_state(model, snapshot, state_size);
    (void)lithos_model_step(model, LITHOS_INPUT_VOLTAGE, out.voltage_V - 0.01, 1.0, 298.15, &out);
    (void)lithos_model_step(model, LITHOS_INPUT_POWER, 0.1, 1.0, 298.15, &out);
    CHECK_OK(lithos_model_reset(model, 0.8, 298.15));

    before = allocations;
    counting = 1;
    for (k = 0; k < 5000; k++) {
        (void)lithos_model_step(model, LITHOS_INPUT_CURRENT, values[k % 2000], 1.0, 298.15 + (double)(k % 3), &out);
    }
    for (k = 0; k < 200; k++) {
        (void)lithos_model_step(model, LITHOS_INPUT_VOLTAGE, out.open_circuit_voltage_V - 0.02, 1.0, 298.15, &out);
        (void)lithos_model_step(model, LITHOS_INPUT_POWER, 0.2, 1.0, 298.15, &out);
        (void)lithos_model_step(model, LITHOS_INPUT_POWER, -0.2, 1.0, 298.15, &out);
    }
    (void)lithos_model_run(model, LITHOS_INPUT_CURRENT, values, NULL, 0.5, 2000, 298.15, voltage, NULL, soc, NULL, &steps);
    for (k = 0; k < 100; k++) {
        (void)lithos_model_get_output(model, &out);
        (void)lithos_model_save_state(model, snapshot, sizeof snapshot, NULL);
        (void)lithos_model_load_state(model, snapshot, state_size);
    }
    (void)lithos_model_reset(model, 0.5, 300.0);
    counting = 0;
    check_count_++;
    if (allocations != before) {
        check_failures_++;
        fprintf(stderr, "%s: %ld allocations during stepping (expected 0)\n", label, allocations - before);
    }
    printf("%s: %ld allocations in 5600 steps, a 2000-step batch and 100 save/load cycles\n", label, allocations - before);
    lithos_model_destroy(model);
}

/* The state estimator: updates (measured values with NaN gaps), a batch run, estimate reads,
 * resets, latched-fault clears and snapshot save/load make no allocation either. */
static void check_estimator_does_not_allocate(const char *ecm, const char *algorithm) {
    lithos_estimator *est = NULL;
    lithos_estimate e;
    static double current[2000], voltage[2000], temperature[2000], soc[2000], soc_std[2000], predicted[2000];
    static unsigned char snapshot[65536];
    static char config[262144];
    size_t k, updates = 0, state_size = 0;
    long before, after_updates, after_run;

    snprintf(config, sizeof config,
             "{\"ecm\": %s, \"algorithm\": \"%s\", \"initial_soc\": 0.7, \"initial_soc_std\": 0.3}", ecm, algorithm);
    CHECK_OK(lithos_estimator_create(config, &est));
    REQUIRE(est != NULL);
    CHECK_OK(lithos_estimator_state_size(est, &state_size));
    REQUIRE(state_size <= sizeof snapshot);
    e.struct_size = sizeof e;
    for (k = 0; k < 2000; k++) {
        current[k] = 0.02 * (double)((k * 7919u) % 41u) - 0.2;
        voltage[k] = 3.9 - 0.0002 * (double)k + 0.01 * (double)((k * 104729u) % 7u) / 7.0;
        temperature[k] = 298.15 + 0.01 * (double)(k % 5);
    }
    voltage[500] = NAN;
    current[700] = NAN;
    temperature[900] = NAN;
    /* warm-up: first calls may initialise runtime caches once */
    for (k = 0; k < 20; k++) (void)lithos_estimator_update(est, current[k], voltage[k], temperature[k], 1.0, &e);
    (void)lithos_estimator_run(est, current, voltage, temperature, NULL, 1.0, 100, soc, soc_std, predicted, &updates);
    (void)lithos_estimator_save_state(est, snapshot, sizeof snapshot, NULL);
    (void)lithos_estimator_load_state(est, snapshot, state_size);
    (void)lithos_estimator_get_estimate(est, &e);
    (void)lithos_estimator_update(est, 1.0, 3.7, 25.0, 1.0, &e); /* an error: the message is formatted */
    CHECK_OK(lithos_estimator_reset(est, 0.7, 0.3));

    before = allocations;
    counting = 1;
    for (k = 0; k < 5000; k++)
        (void)lithos_estimator_update(est, current[k % 2000], voltage[k % 2000], temperature[k % 2000], 1.0, &e);
    after_updates = allocations;
    (void)lithos_estimator_run(est, current, voltage, temperature, NULL, 1.0, 2000, soc, soc_std, predicted, &updates);
    after_run = allocations;
    for (k = 0; k < 100; k++) {
        (void)lithos_estimator_get_estimate(est, &e);
        (void)lithos_estimator_save_state(est, snapshot, sizeof snapshot, NULL);
        (void)lithos_estimator_load_state(est, snapshot, state_size);
    }
    (void)lithos_estimator_clear_latched_faults(est);
    (void)lithos_estimator_reset(est, 0.5, 0.1);
    counting = 0;
    check_count_++;
    if (allocations != before) {
        check_failures_++;
        fprintf(stderr, "estimator %s: %ld allocations (expected 0): %ld in 5000 updates, %ld in a 2000-update batch, "
                        "%ld in 100 read/save/load cycles + clear + reset\n",
                algorithm, allocations - before, after_updates - before, after_run - after_updates, allocations - after_run);
    }
    printf("estimator %s: %ld allocations in 5000 updates, a 2000-update batch and 100 save/load cycles\n",
           algorithm, allocations - before);
    lithos_estimator_destroy(est);
}

/* Packs (section 9): steps of every group kind (Np = 1 fast path, parallel groups with the
 * Newton split, bleed and short conductances), value reads, balancing and fault commands, a
 * batch run (its rollback snapshot lives in the pack since creation) and state saves. */
static void check_pack_does_not_allocate(const char *pack_json, const char *label) {
    lithos_pack *pack = NULL;
    lithos_pack_output out;
    static double currents[500], voltage[500], record[500 * 64], values[64];
    static unsigned char pack_snapshot[1 << 20];
    unsigned char on[32];
    size_t k, steps = 0, series = 0;
    lithos_pack_info info;
    long before;

    CHECK_OK(lithos_pack_create(pack_json, &pack));
    REQUIRE(pack != NULL);
    info.struct_size = sizeof info;
    CHECK_OK(lithos_pack_get_info(pack, &info));
    series = info.series;
    REQUIRE(series <= 32 && info.cell_count <= 64 && info.state_size <= sizeof pack_snapshot);
    out.struct_size = sizeof out;
    for (k = 0; k < 500; k++) currents[k] = 0.02 * (double)((k * 7919u) % 41u) - 0.3;
    for (k = 0; k < 32; k++) on[k] = (unsigned char)(k % 2);
    /* warm-up */
    for (k = 0; k < 20; k++) (void)lithos_pack_step(pack, currents[k], 1.0, 298.15, &out);
    (void)lithos_pack_run(pack, currents, NULL, 0.5, 50, 298.15, voltage, NULL, NULL, NULL, NULL, LITHOS_PACK_CELL_SOC, record, &steps);
    (void)lithos_pack_save_state(pack, pack_snapshot, sizeof pack_snapshot, NULL);
    (void)lithos_pack_set_balancing(pack, on, series);
    (void)lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0, 50.0);
    (void)lithos_pack_step(pack, 0.1, 1.0, 298.15, &out);
    (void)lithos_pack_clear_faults(pack);

    before = allocations;
    counting = 1;
    for (k = 0; k < 2000; k++) {
        (void)lithos_pack_step(pack, currents[k % 500], 1e-3 * (double)(1 + k % 1000), 298.15, &out);
        (void)lithos_pack_get_values(pack, LITHOS_PACK_MEASURED_VOLTAGE, values, 64, NULL);
        (void)lithos_pack_get_values(pack, LITHOS_PACK_MEASURED_TEMPERATURE, values, 64, NULL);
        if (k == 500) (void)lithos_pack_set_balancing(pack, on, series);
        if (k == 700) (void)lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0, 50.0);
        if (k == 800) (void)lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_VOLTAGE_SENSOR_OFFSET, 0, 0.01);
        if (k == 900) (void)lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_OPEN_SENSE_WIRE, 1, 0.5);
        if (k == 1000) (void)lithos_pack_clear_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0);
        if (k == 1200) (void)lithos_pack_clear_faults(pack);
    }
    (void)lithos_pack_run(pack, currents, NULL, 0.5, 500, 298.15, voltage, NULL, NULL, NULL, NULL, LITHOS_PACK_CELL_SOC, record, &steps);
    for (k = 0; k < 20; k++) {
        (void)lithos_pack_get_output(pack, &out);
        (void)lithos_pack_save_state(pack, pack_snapshot, sizeof pack_snapshot, NULL);
    }
    counting = 0;
    check_count_++;
    if (allocations != before) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: %s pack: %ld allocations in steps, runs, commands and saves\n", __FILE__, __LINE__,
                label, allocations - before);
    } else {
        printf("%s pack: 0 allocations in 2000 steps with commands and value reads, a 500-step batch and 20 saves\n", label);
    }
    lithos_pack_destroy(pack);
}

int main(int argc, char **argv) {
    char path[4096];
    char *design;
    (void)argc;
    snprintf(path, sizeof path, "%s/examples/cells/default.json", source_dir());
    design = read_file(path);
    if (design == NULL) { fprintf(stderr, "cannot read %s\n", path); return 1; }
    /* The counter sees the library's allocations: creating a model does allocate. */
    {
        lithos_model *probe = NULL;
        long before = allocations;
        counting = 1;
        CHECK_OK(lithos_model_create(design, NULL, &probe));
        counting = 0;
        CHECK(allocations > before);
        lithos_model_destroy(probe);
    }
    check_model_does_not_allocate(design, NULL, "ECM derived from default.json (thermal on)");
    check_model_does_not_allocate(design, "{\"rc_pairs\": 0, \"thermal\": {\"enabled\": false}}", "Rint, isothermal");
    check_model_does_not_allocate(design, "{\"kind\": \"ssb-spm\"}", "SSB-SPM derived from default.json (thermal on)");
    check_model_does_not_allocate(design, "{\"kind\": \"ssb-p2d\"}", "SSB-P2D derived from default.json (thermal on)");
    check_model_does_not_allocate(design, "{\"kind\": \"ssb-p2d\", \"mesh\": {\"particle_shells\": 9, \"cathode_nodes\": 7}}",
                                  "SSB-P2D, 7 nodes x 9 shells");
    {
        /* the estimator's ECM: the parameters of the model derived from default.json */
        lithos_model *m = NULL;
        static char ecm[200000];
        size_t length = 0;
        CHECK_OK(lithos_model_create(design, NULL, &m));
        if (m != NULL && lithos_model_parameters_json(m, ecm, sizeof ecm, &length) == LITHOS_OK) {
            check_estimator_does_not_allocate(ecm, "ekf");
            check_estimator_does_not_allocate(ecm, "ukf");
            check_estimator_does_not_allocate(ecm, "coulomb");
        } else {
            CHECK(!"model parameters for the estimator");
        }
        lithos_model_destroy(m);
    }
    {
        /* the design embedded as the pack's "cell" */
        char pack_json[200000];
        snprintf(pack_json, sizeof pack_json,
                 "{\"series\": 3, \"parallel\": 2, \"cell\": %s, \"model\": {\"kind\": \"ecm\"}, \"initial_soc\": 0.7,"
                 " \"variation\": {\"seed\": 5, \"capacity_std_fraction\": 0.02, \"resistance_std_fraction\": 0.05},"
                 " \"tab_resistance_ohm\": 0.001, \"thermal_coupling_W_per_K\": 0.01}", design);
        check_pack_does_not_allocate(pack_json, "3s2p ECM");
        snprintf(pack_json, sizeof pack_json,
                 "{\"series\": 4, \"parallel\": 1, \"cell\": %s, \"model\": {\"kind\": \"ssb-spm\"}, \"initial_soc\": 0.7}", design);
        check_pack_does_not_allocate(pack_json, "4s1p SSB-SPM");
        snprintf(pack_json, sizeof pack_json,
                 "{\"series\": 2, \"parallel\": 2, \"cell\": %s, \"model\": {\"kind\": \"ssb-spm\"}, \"initial_soc\": 0.7,"
                 " \"variation\": {\"seed\": 1, \"resistance_std_fraction\": 0.05}}", design);
        check_pack_does_not_allocate(pack_json, "2s2p SSB-SPM");
        snprintf(pack_json, sizeof pack_json,
                 "{\"series\": 1, \"parallel\": 2, \"cell\": %s, \"model\": {\"kind\": \"ssb-p2d\", \"mesh\": {\"particle_shells\": 6, \"cathode_nodes\": 5}},"
                 " \"initial_soc\": 0.7}", design);
        check_pack_does_not_allocate(pack_json, "1s2p SSB-P2D");
    }
    free(design);
    return check_summary(argv[0]);
}
