/*
 * Section 3 of lithos.h (cell design): lithos_cell_create / destroy / metrics_at / metrics_json /
 * design_json. Success paths with value checks (the documented formulas are recomputed from the
 * materials database for a small embedded design; the example designs in examples/cells/ are
 * read through LITHOS_SOURCE_DIR), the design_json round trip, and every error path: NULL
 * arguments, malformed JSON, unknown keys, bad values, unknown materials, NaN and out-of-range
 * temperatures, struct_size. On every error the out-values must be left untouched.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <dirent.h>
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#define T_25C 298.15

/* A sentinel handle: never dereferenced, only compared. */
static double sentinel_cell_storage;
#define SENTINEL_CELL ((lithos_cell *)(void *)&sentinel_cell_storage)

/* ---------------------------------------------------------------------------------------- */
/* designs                                                                                   */

/* The parts of a small design (1 cm², Li foil | dense LPSCl | NMC811 composite). */
#define ANODE "{\"type\": \"lithium_metal\", \"material\": \"Li\", \"thickness_um\": 20}"
#define SEPARATOR "{\"material\": \"Li6PS5Cl\", \"thickness_um\": 30}"
#define FRACTIONS "{\"active\": 0.6, \"electrolyte\": 0.33, \"carbon\": 0.02, \"binder\": 0, \"porosity\": 0.05}"
#define CATHODE_WITH(thickness, fractions) \
    "{\"active_material\": \"NMC811\", \"electrolyte\": \"Li6PS5Cl\", \"thickness_um\": " thickness \
    ", \"volume_fractions\": " fractions "}"
#define CATHODE CATHODE_WITH("60", FRACTIONS)
#define COLLECTORS \
    "{\"positive\": {\"material\": \"Al\", \"thickness_um\": 12}, \"negative\": {\"material\": \"Cu\", \"thickness_um\": 10}}"
#define DESIGN_WITH(extra, anode, separator, cathode, collectors)                                   \
    "{" extra "\"name\": \"test cell\", \"area_cm2\": 1, \"stack_pressure_MPa\": 5,\n"               \
    " \"anode\": " anode ",\n \"separator\": " separator ",\n \"cathode\": " cathode ",\n"          \
    " \"current_collectors\": " collectors "}"
#define DESIGN DESIGN_WITH("", ANODE, SEPARATOR, CATHODE, COLLECTORS)


static char *read_example(const char *file) {
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/cells/%s", source_dir(), file);
    return read_file(path);
}

static double property(const char *material, const char *key) {
    lithos_material_property p;
    p.struct_size = sizeof p;
    if (lithos_material_property_get(material, key, &p) != LITHOS_OK) return NAN;
    return p.value;
}

static double conductivity(const char *material, double temperature_K) {
    double sigma = NAN;
    (void)lithos_material_ionic_conductivity(material, temperature_K, &sigma);
    return sigma;
}

static void poison_metrics(lithos_cell_metrics *m) {
    memset(m, 0xA5, sizeof *m);
    m->struct_size = sizeof *m;
}

static int metrics_are_poisoned(const lithos_cell_metrics *m) {
    lithos_cell_metrics expected;
    poison_metrics(&expected);
    return memcmp(&expected, m, sizeof expected) == 0;
}

/* The design JSON of a cell (malloc'ed) via the size-query protocol. */
static char *design_json(const lithos_cell *cell) {
    size_t len = 0;
    char *buf;
    if (lithos_cell_design_json(cell, NULL, 0, &len) != LITHOS_OK) return NULL;
    buf = (char *)malloc(len + 1);
    if (buf == NULL) return NULL;
    if (lithos_cell_design_json(cell, buf, len + 1, &len) != LITHOS_OK) { free(buf); return NULL; }
    return buf;
}

/* Every metric field is finite and physically sensible for a working cell. */
static void check_metrics_sane(const lithos_cell_metrics *m, double temperature_K, const char *label) {
    int before = check_failures_;
    CHECK(m->struct_size == sizeof *m);
    CHECK(m->temperature_K == temperature_K);
    CHECK(isfinite(m->area_m2) && m->area_m2 > 0);
    CHECK(isfinite(m->theoretical_capacity_Ah) && m->theoretical_capacity_Ah > 0);
    CHECK(isfinite(m->practical_capacity_Ah) && m->practical_capacity_Ah > 0);
    CHECK(m->practical_capacity_Ah <= m->theoretical_capacity_Ah);
    CHECK(isfinite(m->areal_capacity_mAh_per_cm2) && m->areal_capacity_mAh_per_cm2 > 0);
    CHECK(isfinite(m->np_ratio) && m->np_ratio >= 0);
    CHECK(isfinite(m->nominal_voltage_V) && m->nominal_voltage_V > 0 && m->nominal_voltage_V < 6);
    CHECK(isfinite(m->energy_Wh) && m->energy_Wh > 0);
    CHECK(isfinite(m->stack_mass_kg) && m->stack_mass_kg > 0);
    CHECK(isfinite(m->stack_thickness_m) && m->stack_thickness_m > 0);
    CHECK(isfinite(m->specific_energy_Wh_per_kg) && m->specific_energy_Wh_per_kg > 0);
    CHECK(isfinite(m->energy_density_Wh_per_L) && m->energy_density_Wh_per_L > 0);
    CHECK(isfinite(m->cathode_loading_kg_per_m2) && m->cathode_loading_kg_per_m2 > 0);
    CHECK(isfinite(m->separator_conductivity_S_per_m) && m->separator_conductivity_S_per_m > 0);
    CHECK(isfinite(m->separator_asr_ohm_m2) && m->separator_asr_ohm_m2 > 0);
    CHECK(isfinite(m->cathode_ionic_conductivity_S_per_m) && m->cathode_ionic_conductivity_S_per_m > 0);
    CHECK(isfinite(m->cathode_electronic_conductivity_S_per_m) && m->cathode_electronic_conductivity_S_per_m >= 0);
    CHECK(isfinite(m->cathode_ionic_tortuosity_factor) && m->cathode_ionic_tortuosity_factor >= 1.0 - 1e-12);
    CHECK(isfinite(m->cathode_ionic_asr_ohm_m2) && m->cathode_ionic_asr_ohm_m2 > 0);
    CHECK(isfinite(m->stack_pressure_Pa) && m->stack_pressure_Pa >= 0);

    /* the relations the header documents */
    CHECK_NEAR(m->areal_capacity_mAh_per_cm2, m->practical_capacity_Ah * 1000.0 / (m->area_m2 * 1e4), 1e-9);
    CHECK_NEAR(m->energy_Wh, m->practical_capacity_Ah * m->nominal_voltage_V, 1e-9);
    CHECK_NEAR(m->specific_energy_Wh_per_kg, m->energy_Wh / m->stack_mass_kg, 1e-9);
    CHECK_NEAR(m->energy_density_Wh_per_L, m->energy_Wh / (m->area_m2 * m->stack_thickness_m * 1000.0), 1e-9);
    if (check_failures_ != before) fprintf(stderr, "    (metrics of %s at %g K)\n", label, temperature_K);
}

/* ---------------------------------------------------------------------------------------- */

/* The embedded design: every metric recomputed from the materials database and the formulas in
 * lithos.h / the CellMetrics documentation. */
static void test_embedded_design(void) {
    lithos_cell *cell = SENTINEL_CELL;
    lithos_cell_metrics m;
    double area = 1e-4, L_cat = 60e-6, L_sep = 30e-6;
    double loading, q_practical, q_theoretical, np, sigma, mass_known, mass_max;

    REQUIRE_OK(lithos_cell_create(DESIGN, &cell));
    REQUIRE(cell != NULL && cell != SENTINEL_CELL);

    poison_metrics(&m);
    CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &m));
    check_metrics_sane(&m, T_25C, "the embedded design");

    loading = L_cat * 0.6 * property("NMC811", "density_kg_per_m3");
    q_practical = loading * area * property("NMC811", "practical_capacity_mAh_per_g");
    q_theoretical = loading * area * property("NMC811", "theoretical_capacity_mAh_per_g");
    np = 20e-6 * area * property("Li", "density_kg_per_m3") * property("Li", "theoretical_capacity_mAh_per_g") / q_practical;
    sigma = conductivity("Li6PS5Cl", T_25C);

    CHECK_NEAR(m.area_m2, area, 1e-12);
    CHECK_NEAR(m.cathode_loading_kg_per_m2, loading, 1e-9);
    CHECK_NEAR(m.practical_capacity_Ah, q_practical, 1e-9);
    CHECK_NEAR(m.theoretical_capacity_Ah, q_theoretical, 1e-9);
    CHECK_NEAR(m.np_ratio, np, 1e-9);
    CHECK_NEAR(m.stack_thickness_m, (12 + 20 + 30 + 60 + 10) * 1e-6, 1e-9);
    CHECK_NEAR(m.stack_pressure_Pa, 5e6, 1e-12);
    CHECK_NEAR(m.separator_conductivity_S_per_m, sigma, 1e-9); /* dense separator: σ_SE(T) */
    CHECK_NEAR(m.separator_asr_ohm_m2, L_sep / sigma, 1e-9);
    CHECK_NEAR(m.cathode_ionic_asr_ohm_m2, L_cat / (3.0 * m.cathode_ionic_conductivity_S_per_m), 1e-9);
    CHECK_NEAR(m.cathode_ionic_tortuosity_factor, sigma * 0.33 / m.cathode_ionic_conductivity_S_per_m, 1e-9);
    CHECK(m.cathode_ionic_conductivity_S_per_m < sigma * 0.33); /* a composite conducts less than its SE share */
    CHECK(m.nominal_voltage_V > 3.4 && m.nominal_voltage_V < 4.0);
    CHECK(m.specific_energy_Wh_per_kg > 150 && m.specific_energy_Wh_per_kg < 600);

    /* mass: collectors, foil, separator, CAM and SE are known from the database; carbon is
     * 2 % of the cathode at a graphite-like density (1.5–2.3 g/cm³) */
    mass_known = area * (12e-6 * property("Al", "density_kg_per_m3") + 10e-6 * property("Cu", "density_kg_per_m3")
                         + 20e-6 * property("Li", "density_kg_per_m3") + L_sep * property("Li6PS5Cl", "density_kg_per_m3")
                         + L_cat * (0.6 * property("NMC811", "density_kg_per_m3") + 0.33 * property("Li6PS5Cl", "density_kg_per_m3")));
    mass_max = mass_known + area * L_cat * 0.02 * 2300.0;
    mass_known += area * L_cat * 0.02 * 1500.0;
    CHECK(m.stack_mass_kg >= mass_known * (1 - 1e-9) && m.stack_mass_kg <= mass_max * (1 + 1e-9));

    /* pure: the same call twice gives bit-identical metrics */
    {
        lithos_cell_metrics again;
        poison_metrics(&again);
        CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &again));
        CHECK(memcmp(&m, &again, sizeof m) == 0);
    }

    /* temperature: transport follows the electrolyte, capacity does not change */
    {
        lithos_cell_metrics cold, hot;
        poison_metrics(&cold);
        poison_metrics(&hot);
        CHECK_OK(lithos_cell_metrics_at(cell, 263.15, &cold));
        CHECK_OK(lithos_cell_metrics_at(cell, 333.15, &hot));
        check_metrics_sane(&cold, 263.15, "the embedded design");
        check_metrics_sane(&hot, 333.15, "the embedded design");
        CHECK(cold.separator_conductivity_S_per_m < m.separator_conductivity_S_per_m);
        CHECK(m.separator_conductivity_S_per_m < hot.separator_conductivity_S_per_m);
        CHECK_NEAR(cold.separator_conductivity_S_per_m, conductivity("Li6PS5Cl", 263.15), 1e-9);
        CHECK(cold.separator_asr_ohm_m2 > hot.separator_asr_ohm_m2);
        CHECK(cold.cathode_ionic_asr_ohm_m2 > hot.cathode_ionic_asr_ohm_m2);
        CHECK_NEAR(cold.cathode_ionic_tortuosity_factor, hot.cathode_ionic_tortuosity_factor, 1e-9);
        CHECK(cold.practical_capacity_Ah == hot.practical_capacity_Ah);
        CHECK(cold.stack_mass_kg == hot.stack_mass_kg);
    }

    /* the accepted temperature range is inclusive */
    poison_metrics(&m);
    CHECK_OK(lithos_cell_metrics_at(cell, LITHOS_TEMPERATURE_MAX_K, &m));
    CHECK(m.temperature_K == LITHOS_TEMPERATURE_MAX_K);
    {
        /* at -100 °C a sulfide still conducts (Arrhenius never reaches 0): OK; a polymer below
         * its glass temperature may be OUT_OF_RANGE, which is not this design */
        lithos_status s;
        poison_metrics(&m);
        s = lithos_cell_metrics_at(cell, LITHOS_TEMPERATURE_MIN_K, &m);
        CHECK(s == LITHOS_OK);
        if (s == LITHOS_OK) CHECK(m.separator_conductivity_S_per_m > 0);
    }

    CHECK_OK(lithos_cell_destroy(cell));
}

/* examples/cells/default.json: the numbers a reader of the README sees. */
static void test_default_design(void) {
    char *json = read_example("default.json");
    lithos_cell *cell = SENTINEL_CELL;
    lithos_cell_metrics m, cold, hot;

    if (json == NULL) {
        check_count_++;
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: cannot read %s/examples/cells/default.json (set LITHOS_SOURCE_DIR)\n",
                __FILE__, __LINE__, source_dir());
        return;
    }
    CHECK_OK(lithos_cell_create(json, &cell));
    free(json);
    REQUIRE(cell != NULL && cell != SENTINEL_CELL);

    poison_metrics(&m);
    CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &m));
    check_metrics_sane(&m, T_25C, "default.json");
    CHECK(m.specific_energy_Wh_per_kg > 150 && m.specific_energy_Wh_per_kg < 600);
    CHECK(m.nominal_voltage_V > 3.4 && m.nominal_voltage_V < 4.0);
    if (!(m.specific_energy_Wh_per_kg > 150 && m.specific_energy_Wh_per_kg < 600 && m.nominal_voltage_V > 3.4 &&
          m.nominal_voltage_V < 4.0))
        fprintf(stderr, "    default.json: %g Wh/kg, %g V\n", m.specific_energy_Wh_per_kg, m.nominal_voltage_V);

    poison_metrics(&cold);
    poison_metrics(&hot);
    CHECK_OK(lithos_cell_metrics_at(cell, 263.15, &cold));
    CHECK_OK(lithos_cell_metrics_at(cell, 333.15, &hot));
    CHECK(cold.separator_conductivity_S_per_m < hot.separator_conductivity_S_per_m);
    CHECK(cold.separator_asr_ohm_m2 > hot.separator_asr_ohm_m2);

    CHECK_OK(lithos_cell_destroy(cell));
}

/* design_json → create → identical metrics (memcmp of the whole struct), and the normalised
 * JSON is a fixed point. */
static void check_round_trip(const char *json, const char *label) {
    static const double temperatures[] = {263.15, T_25C, 333.15};
    lithos_cell *a = NULL, *b = NULL;
    char *ja = NULL, *jb = NULL;
    size_t i;
    int before = check_failures_;

    CHECK_OK(lithos_cell_create(json, &a));
    if (a == NULL) goto done;
    ja = design_json(a);
    CHECK(ja != NULL);
    if (ja == NULL) goto done;
    CHECK(ja[0] == '{');
    CHECK_OK(lithos_cell_create(ja, &b));
    if (b == NULL) goto done;
    for (i = 0; i < sizeof temperatures / sizeof temperatures[0]; i++) {
        lithos_cell_metrics ma, mb;
        poison_metrics(&ma);
        poison_metrics(&mb);
        CHECK_OK(lithos_cell_metrics_at(a, temperatures[i], &ma));
        CHECK_OK(lithos_cell_metrics_at(b, temperatures[i], &mb));
        CHECK(memcmp(&ma, &mb, sizeof ma) == 0);
    }
    jb = design_json(b);
    CHECK(jb != NULL && strcmp(ja, jb) == 0);
done:
    if (check_failures_ != before) fprintf(stderr, "    (round trip of %s)\n", label);
    CHECK_OK(lithos_cell_destroy(a));
    CHECK_OK(lithos_cell_destroy(b));
    free(ja);
    free(jb);
}

static void test_round_trip(void) {
    char *json;
    lithos_cell *cell = NULL;

    check_round_trip(DESIGN, "the embedded design");

    json = read_example("default.json");
    if (json) { check_round_trip(json, "default.json"); free(json); }

    /* normalised: canonical names, defaults filled in */
    REQUIRE_OK(lithos_cell_create(
        DESIGN_WITH("", ANODE, "{\"material\": \"lpscl\", \"thickness_um\": 30}",
                    "{\"active_material\": \"ncm811\", \"thickness_um\": 60, \"volume_fractions\": {\"active\": 0.6, \"electrolyte\": 0.38, \"carbon\": 0.02}}",
                    COLLECTORS), &cell));
    json = design_json(cell);
    REQUIRE(json != NULL);
    CHECK_CONTAINS(json, "\"Li6PS5Cl\"");
    CHECK_CONTAINS(json, "\"NMC811\"");
    CHECK(strstr(json, "lpscl") == NULL && strstr(json, "ncm811") == NULL);
    CHECK_CONTAINS(json, "porosity");
    /* the cathode electrolyte defaulted to the separator's: Li6PS5Cl appears at least twice */
    CHECK(strstr(json, "Li6PS5Cl") != NULL && strstr(strstr(json, "Li6PS5Cl") + 1, "Li6PS5Cl") != NULL);
    free(json);
    CHECK_OK(lithos_cell_destroy(cell));

    /* anode-free: N/P is 0 */
    cell = NULL;
    CHECK_OK(lithos_cell_create(DESIGN_WITH("", "{\"type\": \"anode_free\"}", SEPARATOR, CATHODE, COLLECTORS), &cell));
    if (cell) {
        lithos_cell_metrics m;
        poison_metrics(&m);
        CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &m));
        CHECK(m.np_ratio == 0.0);
        CHECK(m.practical_capacity_Ah > 0);
        CHECK_OK(lithos_cell_destroy(cell));
        check_round_trip(DESIGN_WITH("", "{\"type\": \"anode_free\"}", SEPARATOR, CATHODE, COLLECTORS), "anode-free");
    }
}

/* Every design in examples/cells/ creates, reports sane metrics and round-trips. */
static void test_all_examples(void) {
    char dir_path[4096];
    DIR *dir;
    struct dirent *entry;
    int found = 0;

    snprintf(dir_path, sizeof dir_path, "%s/examples/cells", source_dir());
    dir = opendir(dir_path);
    REQUIRE(dir != NULL);
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(entry->d_name);
        char *json;
        lithos_cell *cell = NULL;
        if (n < 6 || strcmp(entry->d_name + n - 5, ".json") != 0) continue;
        found++;
        json = read_example(entry->d_name);
        CHECK(json != NULL);
        if (json == NULL) continue;
        CHECK_OK(lithos_cell_create(json, &cell));
        if (cell == NULL) {
            fprintf(stderr, "    (examples/cells/%s)\n", entry->d_name);
        } else {
            lithos_cell_metrics m;
            poison_metrics(&m);
            CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &m));
            check_metrics_sane(&m, T_25C, entry->d_name);
            CHECK_OK(lithos_cell_destroy(cell));
            check_round_trip(json, entry->d_name);
        }
        free(json);
    }
    closedir(dir);
    CHECK(found >= 1);
}

/* ---------------------------------------------------------------------------------------- */
/* lithos_cell_create errors                                                                 */

/* create must fail with `expected` (or `alternative`, when not LITHOS_OK), leave *out_cell
 * untouched, and give a message that contains `needle` (when not NULL). */
static void check_create_fails(const char *json, lithos_status expected, lithos_status alternative,
                               const char *needle, int line) {
    lithos_cell *cell = SENTINEL_CELL;
    lithos_status s = lithos_cell_create(json, &cell);
    const char *message = lithos_last_error_message();
    check_count_++;
    if (!(s == expected || (alternative != LITHOS_OK && s == alternative))) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_cell_create returned %s, expected %s%s%s\n    message: \"%s\"\n",
                __FILE__, line, lithos_status_string(s), lithos_status_string(expected),
                alternative != LITHOS_OK ? " or " : "", alternative != LITHOS_OK ? lithos_status_string(alternative) : "",
                message);
        if (s == LITHOS_OK && cell != SENTINEL_CELL) (void)lithos_cell_destroy(cell);
        return;
    }
    check_count_++;
    if (cell != SENTINEL_CELL) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: lithos_cell_create wrote *out_cell on error\n", __FILE__, line);
    }
    check_count_++;
    if (message[0] == '\0' || (needle != NULL && strstr(message, needle) == NULL)) {
        check_failures_++;
        fprintf(stderr, "%s:%d: FAILED: the message \"%s\" does not contain \"%s\"\n", __FILE__, line, message,
                needle ? needle : "");
    }
}
#define CREATE_FAILS(json, expected, needle) \
    check_create_fails((json), (expected), LITHOS_OK, (needle), __LINE__)
#define CREATE_FAILS_EITHER(json, expected, alternative, needle) \
    check_create_fails((json), (expected), (alternative), (needle), __LINE__)

static void test_create_errors(void) {
    lithos_cell *cell = SENTINEL_CELL;

    /* NULL arguments */
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_create(NULL, &cell));
    CHECK(cell == SENTINEL_CELL);
    CHECK_MESSAGE_CONTAINS("design_json");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_create(DESIGN, NULL));
    CHECK_MESSAGE_CONTAINS("out_cell");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_create(NULL, NULL));

    /* malformed JSON: PARSE, the message gives line and column */
    CREATE_FAILS("", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS("   \n  ", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS("{", LITHOS_ERROR_PARSE, "line 1");
    CREATE_FAILS("not json", LITHOS_ERROR_PARSE, "line 1");
    CREATE_FAILS("{\"area_cm2\": }", LITHOS_ERROR_PARSE, "column");
    CREATE_FAILS("{\n  \"name\": \"x\",\n  oops\n}", LITHOS_ERROR_PARSE, "line 3");
    CREATE_FAILS("{\"name\": \"x\",}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS("{\"name\": \"unterminated}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS(DESIGN " trailing", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS("{\"area_cm2\": 1e999}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS("{\"area_cm2\": NaN}", LITHOS_ERROR_PARSE, "line");
    CREATE_FAILS("{\"name\": \"a\", \"name\": \"b\"}", LITHOS_ERROR_PARSE, "duplicate");
    CREATE_FAILS_EITHER("{\"name\": \"\xff\xfe\"}", LITHOS_ERROR_PARSE, LITHOS_ERROR_CONFIG, NULL);
    {
        /* deep nesting is an error, not a stack overflow */
        static char deep[200001];
        memset(deep, '[', sizeof deep - 1);
        deep[sizeof deep - 1] = '\0';
        CREATE_FAILS(deep, LITHOS_ERROR_PARSE, "line");
    }

    /* invalid UTF-8 inside a string of a complete design: rejected (PARSE), or accepted with
     * the bytes repaired, in which case the normalised JSON is still valid UTF-8 */
    {
        lithos_status s;
        cell = SENTINEL_CELL;
        s = lithos_cell_create("{\"name\": \"bad \xff\xfe name\", \"anode\": " ANODE ", \"separator\": " SEPARATOR
                               ", \"cathode\": " CATHODE ", \"current_collectors\": " COLLECTORS "}", &cell);
        CHECK(s == LITHOS_OK || s == LITHOS_ERROR_PARSE);
        if (s == LITHOS_OK) {
            char *json = design_json(cell);
            CHECK(json != NULL && utf8_valid(json));
            free(json);
            CHECK_OK(lithos_cell_destroy(cell));
        } else {
            CHECK(cell == SENTINEL_CELL);
        }
    }

    /* well-formed JSON that is not a design: CONFIG, the message names the key */
    CREATE_FAILS("[]", LITHOS_ERROR_CONFIG, "object");
    CREATE_FAILS("42", LITHOS_ERROR_CONFIG, "object");
    CREATE_FAILS("{}", LITHOS_ERROR_CONFIG, NULL);
    CREATE_FAILS(DESIGN_WITH("\"colour\": \"red\", ", ANODE, SEPARATOR, CATHODE, COLLECTORS),
                 LITHOS_ERROR_CONFIG, "colour");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             "{\"active_material\": \"NMC811\", \"thikness_um\": 60, \"thickness_um\": 60, \"volume_fractions\": " FRACTIONS "}",
                             COLLECTORS),
                 LITHOS_ERROR_CONFIG, "cathode.thikness_um");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR, "{\"active_material\": \"NMC811\", \"volume_fractions\": " FRACTIONS "}", COLLECTORS),
                 LITHOS_ERROR_CONFIG, "cathode.thickness_um");
    CREATE_FAILS("{\"name\": \"no cathode\", \"anode\": " ANODE ", \"separator\": " SEPARATOR ", \"current_collectors\": " COLLECTORS "}",
                 LITHOS_ERROR_CONFIG, "cathode");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR, CATHODE_WITH("\"60\"", FRACTIONS), COLLECTORS),
                 LITHOS_ERROR_CONFIG, "cathode.thickness_um");
    CREATE_FAILS(DESIGN_WITH("", "{\"type\": \"lithium_metal\", \"thickness_um\": 20, \"extra\": 1}", SEPARATOR, CATHODE, COLLECTORS),
                 LITHOS_ERROR_CONFIG, "anode.extra");
    CREATE_FAILS(DESIGN_WITH("", "{\"type\": \"magic\"}", SEPARATOR, CATHODE, COLLECTORS), LITHOS_ERROR_CONFIG, "anode.type");

    /* negative / zero thickness: CONFIG or OUT_OF_RANGE, naming the key */
    CREATE_FAILS_EITHER(DESIGN_WITH("", ANODE, SEPARATOR, CATHODE_WITH("-5", FRACTIONS), COLLECTORS),
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "cathode.thickness_um");
    CREATE_FAILS_EITHER(DESIGN_WITH("", ANODE, SEPARATOR, CATHODE_WITH("0", FRACTIONS), COLLECTORS),
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "cathode.thickness_um");
    CREATE_FAILS_EITHER(DESIGN_WITH("", ANODE, "{\"material\": \"Li6PS5Cl\", \"thickness_um\": -30}", CATHODE, COLLECTORS),
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "separator.thickness_um");
    CREATE_FAILS_EITHER(DESIGN_WITH("", "{\"type\": \"lithium_metal\", \"thickness_um\": -1}", SEPARATOR, CATHODE, COLLECTORS),
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "anode.thickness_um");
    CREATE_FAILS_EITHER(DESIGN_WITH("", ANODE, SEPARATOR, CATHODE,
                                    "{\"positive\": {\"material\": \"Al\", \"thickness_um\": -12}, \"negative\": {\"material\": \"Cu\", \"thickness_um\": 10}}"),
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "thickness_um");
    CREATE_FAILS_EITHER("{\"area_cm2\": -1, \"anode\": " ANODE ", \"separator\": " SEPARATOR ", \"cathode\": " CATHODE ", \"current_collectors\": " COLLECTORS "}",
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "area_cm2");
    CREATE_FAILS_EITHER("{\"stack_pressure_MPa\": -5, \"anode\": " ANODE ", \"separator\": " SEPARATOR ", \"cathode\": " CATHODE ", \"current_collectors\": " COLLECTORS "}",
                        LITHOS_ERROR_CONFIG, LITHOS_ERROR_OUT_OF_RANGE, "stack_pressure_MPa");
    /* absurdly large values: OUT_OF_RANGE (or CONFIG), naming the key */
    CREATE_FAILS_EITHER(DESIGN_WITH("", ANODE, SEPARATOR, CATHODE_WITH("1e300", FRACTIONS), COLLECTORS),
                        LITHOS_ERROR_OUT_OF_RANGE, LITHOS_ERROR_CONFIG, "cathode.thickness_um");

    /* volume fractions that do not sum to 1, or are negative */
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             CATHODE_WITH("60", "{\"active\": 0.5, \"electrolyte\": 0.3, \"carbon\": 0.02, \"porosity\": 0.05}"), COLLECTORS),
                 LITHOS_ERROR_CONFIG, "volume_fractions");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             CATHODE_WITH("60", "{\"active\": 0.7, \"electrolyte\": 0.4}"), COLLECTORS),
                 LITHOS_ERROR_CONFIG, "volume_fractions");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             CATHODE_WITH("60", "{\"active\": 1.2, \"electrolyte\": -0.2}"), COLLECTORS),
                 LITHOS_ERROR_CONFIG, "volume_fractions");
    /* a composite whose SE does not percolate cannot carry Li+ */
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             CATHODE_WITH("60", "{\"active\": 0.95, \"electrolyte\": 0.03, \"carbon\": 0.02}"), COLLECTORS),
                 LITHOS_ERROR_CONFIG, "cathode");

    /* unknown material: NOT_FOUND, naming the key and the name */
    CREATE_FAILS(DESIGN_WITH("", ANODE, "{\"material\": \"unobtainium\", \"thickness_um\": 30}", CATHODE, COLLECTORS),
                 LITHOS_ERROR_NOT_FOUND, "unobtainium");
    CREATE_FAILS(DESIGN_WITH("", ANODE, "{\"material\": \"unobtainium\", \"thickness_um\": 30}", CATHODE, COLLECTORS),
                 LITHOS_ERROR_NOT_FOUND, "separator.material");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             "{\"active_material\": \"NMC999\", \"thickness_um\": 60, \"volume_fractions\": " FRACTIONS "}", COLLECTORS),
                 LITHOS_ERROR_NOT_FOUND, "NMC999");
    /* a material in the wrong role: CONFIG */
    CREATE_FAILS(DESIGN_WITH("", ANODE, "{\"material\": \"NMC811\", \"thickness_um\": 30}", CATHODE, COLLECTORS),
                 LITHOS_ERROR_CONFIG, "separator.material");
    CREATE_FAILS(DESIGN_WITH("", ANODE, SEPARATOR,
                             "{\"active_material\": \"Li6PS5Cl\", \"thickness_um\": 60, \"volume_fractions\": " FRACTIONS "}", COLLECTORS),
                 LITHOS_ERROR_CONFIG, "cathode.active_material");

    /* the good design still works after all those failures */
    cell = NULL;
    CHECK_OK(lithos_cell_create(DESIGN, &cell));
    CHECK(cell != NULL);
    CHECK_OK(lithos_cell_destroy(cell));
}

static void test_destroy(void) {
    CHECK_OK(lithos_cell_destroy(NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* metrics_at / metrics_json / design_json errors                                            */

static void test_metrics_errors(void) {
    static const double out_of_range[] = {25.0, 0.0, -273.15, 173.14, 673.16, 1e6, DBL_MAX, -DBL_MAX};
    const double non_finite[] = {NAN, INFINITY, -INFINITY};
    lithos_cell *cell = NULL;
    lithos_cell_metrics m, good, after;
    size_t i;

    REQUIRE_OK(lithos_cell_create(DESIGN, &cell));
    poison_metrics(&good);
    CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &good));

    for (i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        poison_metrics(&m);
        CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_cell_metrics_at(cell, out_of_range[i], &m));
        CHECK(metrics_are_poisoned(&m));
        CHECK_MESSAGE_CONTAINS(" K");
    }
    for (i = 0; i < sizeof non_finite / sizeof non_finite[0]; i++) {
        poison_metrics(&m);
        CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_cell_metrics_at(cell, non_finite[i], &m));
        CHECK(metrics_are_poisoned(&m));
    }

    poison_metrics(&m);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_metrics_at(NULL, T_25C, &m));
    CHECK(metrics_are_poisoned(&m));
    CHECK_MESSAGE_CONTAINS("cell");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_metrics_at(cell, T_25C, NULL));
    CHECK_MESSAGE_CONTAINS("out_metrics");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_metrics_at(NULL, T_25C, NULL));

    /* struct_size too small: nothing is written */
    {
        static const size_t sizes[] = {0, 1, sizeof(size_t), sizeof(size_t) + sizeof(double),
                                       sizeof(lithos_cell_metrics) - 1};
        for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            lithos_cell_metrics expected;
            poison_metrics(&m);
            m.struct_size = sizes[i];
            expected = m;
            CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_cell_metrics_at(cell, T_25C, &m));
            CHECK(memcmp(&m, &expected, sizeof m) == 0);
            CHECK_MESSAGE_CONTAINS("struct_size");
        }
    }

    /* struct_size larger than the struct: works, keeps struct_size, bytes past the struct
     * untouched */
    {
        union {
            lithos_cell_metrics m;
            unsigned char bytes[sizeof(lithos_cell_metrics) + 64];
        } big;
        size_t k;
        int tail_ok = 1;
        memset(big.bytes, 0xA5, sizeof big.bytes);
        big.m.struct_size = sizeof big.bytes;
        CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &big.m));
        CHECK(big.m.struct_size == sizeof big.bytes);
        for (k = sizeof(lithos_cell_metrics); k < sizeof big.bytes; k++)
            if (big.bytes[k] != 0xA5) tail_ok = 0;
        CHECK(tail_ok);
        big.m.struct_size = sizeof(lithos_cell_metrics);
        CHECK(memcmp(&big.m, &good, sizeof good) == 0);
    }

    /* the cell is unchanged by all those failures */
    poison_metrics(&after);
    CHECK_OK(lithos_cell_metrics_at(cell, T_25C, &after));
    CHECK(memcmp(&after, &good, sizeof good) == 0);

    CHECK_OK(lithos_cell_destroy(cell));
}

/* The value of "key": <number> in a flat JSON object; NaN when absent. */
static double json_number(const char *json, const char *key) {
    char pattern[128];
    const char *p;
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    p = strstr(json, pattern);
    if (p == NULL) return NAN;
    p += strlen(pattern);
    while (*p == ' ' || *p == ':' || *p == '\n' || *p == '\t') p++;
    return strtod(p, NULL);
}

static void test_metrics_json(void) {
    lithos_cell *cell = NULL;
    lithos_cell_metrics m;
    size_t len = CHECK_SENTINEL_SIZE, len2, k;
    char *buf, *small;
    int untouched;

    REQUIRE_OK(lithos_cell_create(DESIGN, &cell));
    poison_metrics(&m);
    CHECK_OK(lithos_cell_metrics_at(cell, 263.15, &m));

    /* size query, then exactly length + 1 bytes */
    CHECK_OK(lithos_cell_metrics_json(cell, 263.15, NULL, 0, &len));
    REQUIRE(len != CHECK_SENTINEL_SIZE && len > 0);
    buf = (char *)malloc(len + 1 + 8);
    small = (char *)malloc(len + 8);
    REQUIRE(buf != NULL && small != NULL);
    memset(buf, 'x', len + 1 + 8);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_OK(lithos_cell_metrics_json(cell, 263.15, buf, len + 1, &len2));
    CHECK(len2 == len && buf[len] == '\0' && strlen(buf) == len && buf[len + 1] == 'x');
    CHECK(buf[0] == '{' && buf[len - 1] == '}');
    CHECK_OK(lithos_cell_metrics_json(cell, 263.15, buf, len + 1, NULL));

    /* keys are the struct's field names, values agree with metrics_at */
    {
        static const char *const keys[] = {
            "temperature_K", "area_m2", "theoretical_capacity_Ah", "practical_capacity_Ah",
            "areal_capacity_mAh_per_cm2", "np_ratio", "nominal_voltage_V", "energy_Wh", "stack_mass_kg",
            "stack_thickness_m", "specific_energy_Wh_per_kg", "energy_density_Wh_per_L",
            "cathode_loading_kg_per_m2", "separator_conductivity_S_per_m", "separator_asr_ohm_m2",
            "cathode_ionic_conductivity_S_per_m", "cathode_electronic_conductivity_S_per_m",
            "cathode_ionic_tortuosity_factor", "cathode_ionic_asr_ohm_m2", "stack_pressure_Pa"};
        const double values[] = {
            m.temperature_K, m.area_m2, m.theoretical_capacity_Ah, m.practical_capacity_Ah,
            m.areal_capacity_mAh_per_cm2, m.np_ratio, m.nominal_voltage_V, m.energy_Wh, m.stack_mass_kg,
            m.stack_thickness_m, m.specific_energy_Wh_per_kg, m.energy_density_Wh_per_L,
            m.cathode_loading_kg_per_m2, m.separator_conductivity_S_per_m, m.separator_asr_ohm_m2,
            m.cathode_ionic_conductivity_S_per_m, m.cathode_electronic_conductivity_S_per_m,
            m.cathode_ionic_tortuosity_factor, m.cathode_ionic_asr_ohm_m2, m.stack_pressure_Pa};
        for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            double v = json_number(buf, keys[k]);
            CHECK(isfinite(v));
            if (values[k] == 0.0) CHECK(v == 0.0);
            else CHECK_NEAR(v, values[k], 1e-12);
            if (!isfinite(v)) fprintf(stderr, "    (metrics JSON has no number for \"%s\")\n", keys[k]);
        }
        CHECK(k == (sizeof(lithos_cell_metrics) - sizeof(size_t)) / sizeof(double));
    }

    /* length bytes: BUFFER_TOO_SMALL, length reported, buffer untouched */
    memset(small, 'x', len + 8);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_cell_metrics_json(cell, 263.15, small, len, &len2));
    CHECK(len2 == len);
    untouched = 1;
    for (k = 0; k < len + 8; k++) if (small[k] != 'x') untouched = 0;
    CHECK(untouched);
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_cell_metrics_json(cell, 263.15, small, 1, NULL));
    CHECK(small[0] == 'x');

    /* errors as for metrics_at; nothing written */
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_cell_metrics_json(cell, 25.0, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_MESSAGE_CONTAINS(" K");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_cell_metrics_json(cell, 25.0, NULL, 0, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_cell_metrics_json(cell, NAN, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_cell_metrics_json(cell, INFINITY, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_cell_metrics_json(cell, -INFINITY, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_metrics_json(NULL, T_25C, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_MESSAGE_CONTAINS("cell");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_metrics_json(cell, T_25C, NULL, 16, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE);
    CHECK_MESSAGE_CONTAINS("buffer");

    free(buf);
    free(small);
    CHECK_OK(lithos_cell_destroy(cell));
}

static void test_design_json(void) {
    lithos_cell *cell = NULL;
    size_t len = CHECK_SENTINEL_SIZE, len2, k;
    char *buf, *small;
    int untouched;

    REQUIRE_OK(lithos_cell_create(DESIGN, &cell));
    CHECK_OK(lithos_cell_design_json(cell, NULL, 0, &len));
    REQUIRE(len != CHECK_SENTINEL_SIZE && len > 0);
    buf = (char *)malloc(len + 1 + 8);
    small = (char *)malloc(len + 8);
    REQUIRE(buf != NULL && small != NULL);

    memset(buf, 'x', len + 1 + 8);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_OK(lithos_cell_design_json(cell, buf, len + 1, &len2));
    CHECK(len2 == len && buf[len] == '\0' && strlen(buf) == len && buf[len + 1] == 'x');
    CHECK(buf[0] == '{');
    CHECK_CONTAINS(buf, "\"test cell\"");
    CHECK_CONTAINS(buf, "area_cm2");
    CHECK_CONTAINS(buf, "thickness_um");
    CHECK_OK(lithos_cell_design_json(cell, buf, len + 1, NULL));

    memset(small, 'x', len + 8);
    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_cell_design_json(cell, small, len, &len2));
    CHECK(len2 == len);
    CHECK_MESSAGE_CONTAINS("out_length");
    untouched = 1;
    for (k = 0; k < len + 8; k++) if (small[k] != 'x') untouched = 0;
    CHECK(untouched);
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_cell_design_json(cell, small, 1, NULL));
    CHECK(small[0] == 'x');

    len2 = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_design_json(NULL, small, len + 8, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE && small[0] == 'x');
    CHECK_MESSAGE_CONTAINS("cell");
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_design_json(NULL, NULL, 0, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_cell_design_json(cell, NULL, 16, &len2));
    CHECK(len2 == CHECK_SENTINEL_SIZE);
    CHECK_MESSAGE_CONTAINS("buffer");

    free(buf);
    free(small);
    CHECK_OK(lithos_cell_destroy(cell));
}

int main(void) {
    test_embedded_design();
    test_default_design();
    test_round_trip();
    test_all_examples();
    test_create_errors();
    test_destroy();
    test_metrics_errors();
    test_metrics_json();
    test_design_json();
    return check_summary("test_cell");
}
