/*
 * The solid-state physics models through the C ABI (lithos.h section 4, kinds "ssb-spm" and
 * "ssb-p2d"): creation from a design and from explicit "ssb" parameters, info and internal
 * names, physical behaviour (rest voltage = OCV, a 1C discharge delivers the capacity and ends
 * at the cut-off, Li|SE resistance shows as i·R), batch run = single steps, snapshots resume
 * bit-exactly, bad input leaves the model unchanged, bad options are refused with a message.
 */
#include "check.h"

static char *default_design = NULL;

static const char *kinds[] = {"ssb-spm", "ssb-p2d"};

static lithos_model *make(const char *design, const char *options) {
    lithos_model *m = NULL;
    CHECK_OK(lithos_model_create(design, options, &m));
    return m;
}

static void test_info_and_rest(const char *kind) {
    char options[256];
    lithos_model_info info;
    lithos_model_output out;
    lithos_model *m;
    const char *name = NULL;
    unsigned int k;
    snprintf(options, sizeof options, "{\"kind\": \"%s\", \"initial_soc\": 0.5}", kind);
    m = make(default_design, options);
    REQUIRE(m != NULL);
    info.struct_size = sizeof info;
    CHECK_OK(lithos_model_get_info(m, &info));
    CHECK(info.kind != NULL && strcmp(info.kind, kind) == 0);
    CHECK_NEAR(info.capacity_Ah, 0.3044, 0.01);          /* 3.04 mAh/cm² × 100 cm² */
    CHECK(info.internal_count >= 8 && info.internal_count <= LITHOS_MODEL_MAX_INTERNALS);
    CHECK(info.state_size > 100);
    for (k = 0; k < info.internal_count; k++) {
        name = NULL;
        CHECK_OK(lithos_model_internal_name(m, k, &name));
        CHECK(name != NULL && strlen(name) > 0);
    }
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_model_internal_name(m, info.internal_count, &name));
    out.struct_size = sizeof out;
    CHECK_OK(lithos_model_get_output(m, &out));
    CHECK_NEAR(out.soc, 0.5, 1e-12);
    CHECK(fabs(out.voltage_V - out.open_circuit_voltage_V) < 1e-12);
    CHECK(out.voltage_V > 3.6 && out.voltage_V < 3.95);
    lithos_model_destroy(m);
}

/* 1C from full to the cut-off: the capacity comes out (small particles, sulfide SE), the
 * voltage falls monotonically, LIMIT_REACHED is returned at the end. */
static void test_discharge(const char *kind) {
    char options[256];
    lithos_model_info info;
    lithos_model_output out;
    lithos_model *m;
    lithos_status s = LITHOS_OK;
    double previous = 10;
    int steps = 0, monotonic = 1;
    snprintf(options, sizeof options, "{\"kind\": \"%s\", \"thermal\": {\"enabled\": false}}", kind);
    m = make(default_design, options);
    REQUIRE(m != NULL);
    info.struct_size = sizeof info;
    CHECK_OK(lithos_model_get_info(m, &info));
    out.struct_size = sizeof out;
    while (steps < 5000) {
        s = lithos_model_step(m, LITHOS_INPUT_CURRENT, info.capacity_Ah, 10.0, 298.15, &out);
        steps++;
        if (s != LITHOS_OK) break;
        if (out.voltage_V > previous + 1e-12) monotonic = 0;
        previous = out.voltage_V;
    }
    CHECK_STATUS(LITHOS_LIMIT_REACHED, s);
    CHECK(monotonic);
    CHECK(out.discharged_charge_Ah > 0.9 * info.capacity_Ah);
    CHECK(out.discharged_charge_Ah < 1.01 * info.capacity_Ah);
    lithos_model_destroy(m);
}

/* lithos_model_run over an array equals the same steps one at a time, bit for bit; a snapshot
 * taken halfway resumes bit-exactly in a fresh model. */
static void test_run_and_snapshot(const char *kind) {
    char options[256];
    static double values[400], v_run[400], v_step[400];
    lithos_model *a, *b, *c;
    lithos_model_output out;
    size_t k, steps = 0, size = 0, written = 0;
    unsigned char *snap;
    int same = 1;
    snprintf(options, sizeof options, "{\"kind\": \"%s\", \"initial_soc\": 0.9}", kind);
    a = make(default_design, options);
    b = make(default_design, options);
    REQUIRE(a != NULL && b != NULL);
    for (k = 0; k < 400; k++) values[k] = 0.3 * sin(0.05 * (double)k) + 0.05;
    {
        lithos_status s = lithos_model_run(a, LITHOS_INPUT_CURRENT, values, NULL, 2.0, 400, 298.15, v_run, NULL, NULL, NULL, &steps);
        CHECK(s == LITHOS_OK || s == LITHOS_LIMIT_REACHED);
    }
    CHECK(steps == 400);
    out.struct_size = sizeof out;
    for (k = 0; k < 400; k++) {
        lithos_status s = lithos_model_step(b, LITHOS_INPUT_CURRENT, values[k], 2.0, 298.15, &out);
        CHECK(s == LITHOS_OK || s == LITHOS_LIMIT_REACHED);
        v_step[k] = out.voltage_V;
        if (memcmp(&v_step[k], &v_run[k], sizeof(double)) != 0) same = 0;
    }
    CHECK(same);
    CHECK_OK(lithos_model_state_size(a, &size));
    snap = malloc(size);
    REQUIRE(snap != NULL);
    CHECK_OK(lithos_model_save_state(a, snap, size, &written));
    CHECK(written == size);
    c = make(default_design, options);
    CHECK_OK(lithos_model_load_state(c, snap, size));
    same = 1;
    for (k = 0; k < 200; k++) {
        lithos_model_output oa, oc;
        oa.struct_size = oc.struct_size = sizeof oa;
        (void)lithos_model_step(a, LITHOS_INPUT_CURRENT, -values[k], 3.0, 300.0, &oa);
        (void)lithos_model_step(c, LITHOS_INPUT_CURRENT, -values[k], 3.0, 300.0, &oc);
        if (memcmp(&oa.voltage_V, &oc.voltage_V, sizeof(double)) != 0 || memcmp(oa.internals, oc.internals, sizeof oa.internals) != 0) same = 0;
    }
    CHECK(same);
    /* a snapshot of the other kind (ECM) is refused and leaves the model unchanged */
    {
        lithos_model *ecm = make(default_design, NULL);
        size_t ecm_size = 0;
        unsigned char *ecm_snap;
        lithos_model_output before, after;
        REQUIRE(ecm != NULL);
        CHECK_OK(lithos_model_state_size(ecm, &ecm_size));
        ecm_snap = malloc(ecm_size);
        CHECK_OK(lithos_model_save_state(ecm, ecm_snap, ecm_size, NULL));
        before.struct_size = after.struct_size = sizeof before;
        CHECK_OK(lithos_model_get_output(c, &before));
        CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_load_state(c, ecm_snap, ecm_size));
        CHECK_OK(lithos_model_get_output(c, &after));
        CHECK(memcmp(&before, &after, sizeof before) == 0);
        free(ecm_snap);
        lithos_model_destroy(ecm);
    }
    free(snap);
    lithos_model_destroy(a);
    lithos_model_destroy(b);
    lithos_model_destroy(c);
}

static void test_bad_input(const char *kind) {
    char options[256];
    lithos_model *m;
    lithos_model_output before, after;
    snprintf(options, sizeof options, "{\"kind\": \"%s\", \"initial_soc\": 0.5}", kind);
    m = make(default_design, options);
    REQUIRE(m != NULL);
    before.struct_size = after.struct_size = sizeof before;
    (void)lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.1, 1.0, 298.15, NULL);
    CHECK_OK(lithos_model_get_output(m, &before));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_step(m, LITHOS_INPUT_CURRENT, NAN, 1.0, 298.15, NULL));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.1, -1.0, 298.15, NULL));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_step(m, LITHOS_INPUT_CURRENT, 1e5, 1.0, 298.15, NULL));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_step(m, LITHOS_INPUT_POWER, 1e6, 1.0, 298.15, NULL));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_model_step(m, (lithos_input_mode)7, 0.1, 1.0, 298.15, NULL));
    CHECK_OK(lithos_model_get_output(m, &after));
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    lithos_model_destroy(m);
}

/* Explicit parameters (no design): a Li|SE resistance of 5542 vs 5 Ω·cm² (SEED_DATA) shows as
 * an extra i·ΔR on the first step; the model's parameters JSON builds an identical model. */
static void test_explicit_parameters(void) {
    static const char *base =
        "{\"kind\": \"ssb-spm\", \"initial_soc\": 0.8, \"ssb\": {\"area_m2\": 0.01, \"minimum_voltage_V\": 3.0, \"maximum_voltage_V\": 4.3,"
        " \"electrolyte\": {\"material\": \"LLZO-Ta\"}, \"separator\": {\"thickness_m\": 5e-5},"
        " \"positive\": {\"active_material\": \"NMC811\", \"thickness_m\": 6e-5, \"active_fraction\": 0.6, \"ionic_relative_conductivity\": 0.2},"
        " \"negative\": {\"type\": \"lithium_metal\", \"interface_resistance_ohm_m2\": %s}}}";
    char options[1024], *json;
    lithos_model *low, *high, *copy;
    lithos_model_output a, b, c;
    size_t length = 0;
    snprintf(options, sizeof options, base, "5e-4");
    low = make(NULL, options);
    snprintf(options, sizeof options, base, "0.5542");
    high = make(NULL, options);
    REQUIRE(low != NULL && high != NULL);
    a.struct_size = b.struct_size = c.struct_size = sizeof a;
    CHECK_OK(lithos_model_step(low, LITHOS_INPUT_CURRENT, 0.01, 1.0, 298.15, &a));
    CHECK_OK(lithos_model_step(high, LITHOS_INPUT_CURRENT, 0.01, 1.0, 298.15, &b));
    CHECK_NEAR(a.voltage_V - b.voltage_V, (0.01 / 0.01) * (0.5542 - 5e-4), 1e-9);
    CHECK_OK(lithos_model_parameters_json(low, NULL, 0, &length));   /* length query */
    CHECK(length > 100);
    json = malloc(length + 1);
    REQUIRE(json != NULL);
    CHECK_OK(lithos_model_parameters_json(low, json, length + 1, NULL));
    {
        char *options2 = malloc(length + 100);
        snprintf(options2, length + 100, "{\"kind\": \"ssb-spm\", \"initial_soc\": 0.8, \"ssb\": %s}", json);
        copy = make(NULL, options2);
        free(options2);
    }
    REQUIRE(copy != NULL);
    CHECK_OK(lithos_model_step(copy, LITHOS_INPUT_CURRENT, 0.01, 1.0, 298.15, &c));
    CHECK(memcmp(&a.voltage_V, &c.voltage_V, sizeof(double)) == 0);
    free(json);
    lithos_model_destroy(low);
    lithos_model_destroy(high);
    lithos_model_destroy(copy);
}

/* Spatial profiles: P2D through the cathode (x increasing, electrolyte potential falling away
 * from the separator on discharge, interfacial currents summing to the applied current), SPM
 * particles, none for the ECM; argument errors. */
static void test_profiles(const char *kind) {
    char options[256];
    lithos_model *m, *ecm;
    size_t count = 99, length = 0, k, i, want;
    const char *name = NULL;
    static double values[1024], x[1024], phi[1024], j[1024];
    int p2d = strcmp(kind, "ssb-p2d") == 0;
    snprintf(options, sizeof options, "{\"kind\": \"%s\", \"initial_soc\": 0.8}", kind);
    m = make(default_design, options);
    REQUIRE(m != NULL);
    CHECK_OK(lithos_model_step(m, LITHOS_INPUT_CURRENT, 0.9, 10.0, 298.15, NULL));   /* ≈ 3C */
    CHECK_OK(lithos_model_profile_count(m, &count));
    CHECK(count == (p2d ? 8u : 2u));
    want = p2d ? 20 : 20;   /* default meshes: 20 nodes, 20 shells */
    for (i = 0; i < count; i++) {
        name = NULL;
        length = 0;
        CHECK_OK(lithos_model_profile_info(m, i, &name, &length));
        CHECK(name != NULL && strlen(name) > 2);
        CHECK(length == want);
        CHECK_OK(lithos_model_get_profile(m, i, values, sizeof values / sizeof values[0], &length));
        for (k = 0; k < length; k++) CHECK(isfinite(values[k]));
        if (strcmp(name, "x_m") == 0 || strcmp(name, "positive_particle_radius_m") == 0) memcpy(x, values, length * sizeof(double));
        if (strcmp(name, "electrolyte_potential_V") == 0) memcpy(phi, values, length * sizeof(double));
        if (strcmp(name, "interfacial_current_A_per_m2") == 0) memcpy(j, values, length * sizeof(double));
    }
    for (k = 1; k < want; k++) CHECK(x[k] > x[k - 1]);
    if (p2d) {
        /* discharge: Li+ flows from the separator into the cathode, φ_e falls along x; every node
         * intercalates (j < 0) */
        for (k = 1; k < want; k++) CHECK(phi[k] < phi[k - 1]);
        for (k = 0; k < want; k++) CHECK(j[k] < 0);
    }
    /* errors */
    length = 12345;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_model_get_profile(m, 0, values, 3, &length));
    CHECK(length == want);
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_model_get_profile(m, count, values, 1024, &length));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_model_profile_info(m, count, &name, &length));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_get_profile(m, 0, NULL, 10, &length));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_get_profile(NULL, 0, values, 10, &length));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_profile_count(m, NULL));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_profile_count(NULL, &count));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_profile_info(NULL, 0, &name, &length));
    lithos_model_destroy(m);
    ecm = make(default_design, NULL);
    REQUIRE(ecm != NULL);
    CHECK_OK(lithos_model_profile_count(ecm, &count));
    CHECK(count == 0);
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_model_profile_info(ecm, 0, &name, &length));
    lithos_model_destroy(ecm);
}

/* lithos_model_impedance: ECM and SSB-SPM give finite spectra, capacitive toward low frequency;
 * P2D is NOT_SUPPORTED; bad arguments write nothing. */
static void test_impedance(void) {
    static const double f[4] = {1e-3, 1e-1, 10, 1e3};
    double re[4], im[4];
    size_t k;
    lithos_model *spm = make(default_design, "{\"kind\": \"ssb-spm\"}");
    lithos_model *ecm = make(default_design, NULL);
    lithos_model *p2d = make(default_design, "{\"kind\": \"ssb-p2d\"}");
    REQUIRE(spm != NULL && ecm != NULL && p2d != NULL);
    CHECK_OK(lithos_model_impedance(spm, 0.5, 298.15, f, 4, re, im));
    for (k = 0; k < 4; k++) CHECK(isfinite(re[k]) && isfinite(im[k]) && re[k] > 0 && im[k] < 0);
    CHECK(-im[0] > -im[3]);
    CHECK_OK(lithos_model_impedance(ecm, 0.5, 298.15, f, 4, re, im));
    for (k = 0; k < 4; k++) CHECK(isfinite(re[k]) && re[k] > 0);
    /* P2D: the composite as a transmission line. At rest its ohmic part sits below the SPM's
     * uniform-reaction L/3·(1/σ_ion + 1/σ_el) at high frequency (current crosses near the
     * faces), so Re Z(P2D) < Re Z(SPM) there. */
    {
        double re_spm[4], im_spm[4];
        CHECK_OK(lithos_model_impedance(spm, 0.5, 298.15, f, 4, re_spm, im_spm));
        CHECK_OK(lithos_model_impedance(p2d, 0.5, 298.15, f, 4, re, im));
        for (k = 0; k < 4; k++) CHECK(isfinite(re[k]) && isfinite(im[k]) && re[k] > 0 && im[k] < 0);
        CHECK(re[3] < re_spm[3]);
    }
    re[0] = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_impedance(spm, 1.5, 298.15, f, 4, re, im));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_impedance(spm, 0.5, 25.0, f, 4, re, im));   /* °C, not K */
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_impedance(spm, 0.5, 298.15, (const double[]){1.0, 0.0}, 2, re, im));
    CHECK(re[0] == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_impedance(NULL, 0.5, 298.15, f, 4, re, im));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_impedance(spm, 0.5, 298.15, NULL, 4, re, im));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_model_impedance(spm, 0.5, 298.15, f, 4, re, NULL));
    CHECK_OK(lithos_model_impedance(spm, 0.5, 298.15, NULL, 0, NULL, NULL));
    lithos_model_destroy(spm);
    lithos_model_destroy(ecm);
    lithos_model_destroy(p2d);
}

static void test_bad_options(void) {
    lithos_model *m = (lithos_model *)&m;
    lithos_model *sentinel = m;
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_model_create(NULL, "{\"kind\": \"ssb-spm\"}", &m));
    CHECK_MESSAGE_CONTAINS("ssb");
    CHECK(m == sentinel);
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_model_create(default_design, "{\"kind\": \"ssb-dfn\"}", &m));
    CHECK_MESSAGE_CONTAINS("ssb-spm");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_model_create(default_design, "{\"kind\": \"ssb-spm\", \"mesh\": {\"particle_shells\": 1}}", &m));
    CHECK_MESSAGE_CONTAINS("particle_shells");
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_model_create(default_design, "{\"kind\": \"ssb-spm\", \"mesh\": {\"shells\": 10}}", &m));
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_model_create(NULL,
        "{\"kind\": \"ssb-spm\", \"ssb\": {\"area_m2\": 0.01, \"minimum_voltage_V\": 3, \"maximum_voltage_V\": 4.3,"
        " \"electrolyte\": {\"conductivity_S_per_m\": 0.1}, \"positive\": {\"active_material\": \"NMC811\", \"thickness_m\": 6e-5,"
        " \"active_fraction\": 0.6}, \"negative\": {\"type\": \"sodium\"}}}", &m));
    CHECK_MESSAGE_CONTAINS("negative");
    CHECK(m == sentinel);
}

int main(int argc, char **argv) {
    char path[4096];
    size_t k;
    (void)argc;
    snprintf(path, sizeof path, "%s/examples/cells/default.json", source_dir());
    default_design = read_file(path);
    if (default_design == NULL) { fprintf(stderr, "cannot read %s\n", path); return 1; }
    for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        lithos_model *probe = NULL;
        char options[64];
        snprintf(options, sizeof options, "{\"kind\": \"%s\"}", kinds[k]);
        if (lithos_model_create(default_design, options, &probe) == LITHOS_ERROR_NOT_SUPPORTED) {
            printf("%s: not available in this build yet\n", kinds[k]);
            continue;
        }
        lithos_model_destroy(probe);
        test_info_and_rest(kinds[k]);
        test_discharge(kinds[k]);
        test_run_and_snapshot(kinds[k]);
        test_bad_input(kinds[k]);
        test_profiles(kinds[k]);
    }
    test_explicit_parameters();
    test_impedance();
    test_bad_options();
    free(default_design);
    return check_summary(argv[0]);
}
