/*
 * design.c — a first look at Lithos from C.
 *
 *   1. lists the materials database,
 *   2. looks up the ionic conductivity of the argyrodite Li6PS5Cl at -10, 25 and 60 °C,
 *   3. reads the open-circuit potential of NMC811 at a few stoichiometries,
 *   4. creates a cell from a design file and prints its metrics at 25 °C.
 *
 * Usage: design [cell-design.json]     (default: examples/cells/default.json, from the cwd)
 *
 * Every call returns a lithos_status; on failure lithos_last_error_message() says why.
 * Build: cc -std=c99 design.c $(pkg-config --cflags --libs lithos)
 */
#include <lithos.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELSIUS_TO_K(t) ((t) + 273.15)

/* Prints the failure and returns 1 when status is not LITHOS_OK. */
static int failed(lithos_status status, const char *what) {
    if (status == LITHOS_OK) return 0;
    fprintf(stderr, "error: %s: %s\n  %s\n", what, lithos_status_string(status),
            lithos_last_error_message());
    return 1;
}

static const char *role_name(lithos_material_role role) {
    switch (role) {
    case LITHOS_ROLE_CATHODE: return "cathode";
    case LITHOS_ROLE_SOLID_ELECTROLYTE: return "solid electrolyte";
    case LITHOS_ROLE_ANODE: return "anode";
    case LITHOS_ROLE_CURRENT_COLLECTOR: return "current collector";
    }
    return "?";
}

/* Reads a whole file into a NUL-terminated malloc'ed string; NULL on failure. */
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t size = 0, used = 0, n;
    if (f == NULL) return NULL;
    do {
        char *bigger;
        size = size ? 2 * size : 4096;
        bigger = (char *)realloc(text, size);
        if (bigger == NULL) { free(text); fclose(f); return NULL; }
        text = bigger;
        n = fread(text + used, 1, size - used - 1, f);
        used += n;
    } while (used == size - 1);
    fclose(f);
    text[used] = '\0';
    return text;
}

static int list_materials(void) {
    size_t i, count = 0;
    if (failed(lithos_material_count(&count), "lithos_material_count")) return 1;
    printf("Materials (%lu):\n", (unsigned long)count);
    for (i = 0; i < count; i++) {
        const char *name = NULL;
        lithos_material_role role;
        if (failed(lithos_material_name(i, &name), "lithos_material_name")) return 1;
        if (failed(lithos_material_role_of(name, &role), "lithos_material_role_of")) return 1;
        printf("  %-12s %s\n", name, role_name(role));
    }
    return 0;
}

static int electrolyte_conductivity(void) {
    static const double celsius[] = {-10.0, 25.0, 60.0};
    lithos_material_property p;
    size_t i;

    printf("\nLi6PS5Cl ionic conductivity:\n");
    for (i = 0; i < sizeof celsius / sizeof celsius[0]; i++) {
        double sigma = 0.0; /* S/m */
        if (failed(lithos_material_ionic_conductivity("Li6PS5Cl", CELSIUS_TO_K(celsius[i]), &sigma),
                   "lithos_material_ionic_conductivity"))
            return 1;
        printf("  %6.1f °C  %.3g S/m  (%.3g mS/cm)\n", celsius[i], sigma, sigma * 10.0);
    }

    /* Every number carries its unit and its source. */
    p.struct_size = sizeof p;
    if (failed(lithos_material_property_get("Li6PS5Cl", "ionic_conductivity_25C_S_per_m", &p),
               "lithos_material_property_get"))
        return 1;
    printf("  (25 °C value %g %s from %s)\n", p.value, p.unit, p.citation);
    return 0;
}

static int cathode_potential(void) {
    static const double stoichiometry[] = {0.3, 0.5, 0.7, 0.9};
    size_t i;

    printf("\nNMC811 open-circuit potential at 25 °C:\n");
    for (i = 0; i < sizeof stoichiometry / sizeof stoichiometry[0]; i++) {
        double u = 0.0; /* V vs Li+/Li */
        if (failed(lithos_material_open_circuit_potential("NMC811", stoichiometry[i], CELSIUS_TO_K(25.0), &u),
                   "lithos_material_open_circuit_potential"))
            return 1;
        printf("  θ = %.2f  U = %.3f V\n", stoichiometry[i], u);
    }
    return 0;
}

static int cell_metrics(const char *path) {
    lithos_cell *cell = NULL;
    lithos_cell_metrics m;
    char *json;
    int status = 1;

    errno = 0;
    json = read_file(path);
    if (json == NULL) {
        fprintf(stderr, "error: cannot read %s: %s\n(usage: design [cell-design.json])\n", path,
                errno ? strerror(errno) : "out of memory");
        return 1;
    }
    if (failed(lithos_cell_create(json, &cell), "lithos_cell_create")) goto done;

    m.struct_size = sizeof m;
    if (failed(lithos_cell_metrics_at(cell, CELSIUS_TO_K(25.0), &m), "lithos_cell_metrics_at")) goto done;

    printf("\nCell %s at %.1f °C:\n", path, m.temperature_K - 273.15);
    printf("  capacity            %.4g A·h (%.3g mA·h/cm²)\n", m.practical_capacity_Ah, m.areal_capacity_mAh_per_cm2);
    printf("  nominal voltage     %.3f V\n", m.nominal_voltage_V);
    printf("  energy              %.4g W·h\n", m.energy_Wh);
    printf("  specific energy     %.0f W·h/kg\n", m.specific_energy_Wh_per_kg);
    printf("  energy density      %.0f W·h/L\n", m.energy_density_Wh_per_L);
    printf("  N/P ratio           %.2f\n", m.np_ratio);
    printf("  stack               %.1f µm, %.3g kg\n", m.stack_thickness_m * 1e6, m.stack_mass_kg);
    printf("  separator           %.3g S/m, ASR %.3g Ω·cm²\n", m.separator_conductivity_S_per_m,
           m.separator_asr_ohm_m2 * 1e4);
    printf("  cathode ionic       %.3g S/m (tortuosity factor %.2f), ASR %.3g Ω·cm²\n",
           m.cathode_ionic_conductivity_S_per_m, m.cathode_ionic_tortuosity_factor,
           m.cathode_ionic_asr_ohm_m2 * 1e4);
    printf("  stack pressure      %.3g MPa\n", m.stack_pressure_Pa * 1e-6);
    status = 0;

done:
    lithos_cell_destroy(cell); /* NULL is fine */
    free(json);
    return status;
}

int main(int argc, char **argv) {
    const char *design = argc > 1 ? argv[1] : "examples/cells/default.json";

    printf("Lithos %s\n\n", lithos_version());
    if (list_materials()) return 1;
    if (electrolyte_conductivity()) return 1;
    if (cathode_potential()) return 1;
    if (cell_metrics(design)) return 1;
    return 0;
}
