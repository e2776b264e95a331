/*
 * cell_emulator.c — a solid-state cell as a firmware test bench sees it, from C.
 *
 *   1. creates the SSB-P2D physics model of a cell design (the composite cathode resolved
 *      through its thickness),
 *   2. steps it at 1 Hz through a pulse profile (2C discharge, rest, 1C charge, rest), the way a
 *      hardware-in-the-loop rig or a BMS simulator would, printing voltage, SOC and two internals,
 *   3. prints the electrolyte potential through the cathode after the last pulse
 *      (lithos_model_get_profile),
 *   4. saves the model state, steps on, restores it and checks the replay is bit-identical.
 *
 * Usage: cell_emulator [cell-design.json]   (default: examples/cells/default.json, from the cwd)
 * Build: cc -std=c99 cell_emulator.c $(pkg-config --cflags --libs lithos)
 */
#include <lithos.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed(lithos_status status, const char *what) {
    if (status == LITHOS_OK || status == LITHOS_LIMIT_REACHED) return 0;
    fprintf(stderr, "error: %s: %s\n  %s\n", what, lithos_status_string(status), lithos_last_error_message());
    return 1;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text;
    long n;
    if (f == NULL) { fprintf(stderr, "error: cannot open %s: %s\n", path, strerror(errno)); return NULL; }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)n + 1);
    if (text != NULL && fread(text, 1, (size_t)n, f) != (size_t)n) { free(text); text = NULL; }
    if (text != NULL) text[n] = '\0';
    fclose(f);
    return text;
}

/* Index of the internal variable called `name`, or -1. */
static int internal_index(const lithos_model *model, unsigned int count, const char *name) {
    unsigned int k;
    for (k = 0; k < count; k++) {
        const char *n = NULL;
        if (lithos_model_internal_name(model, k, &n) == LITHOS_OK && strcmp(n, name) == 0) return (int)k;
    }
    return -1;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/cells/default.json";
    char *design = read_file(path);
    lithos_model *model = NULL;
    lithos_model_info info;
    lithos_model_output out, replay;
    unsigned char *snapshot = NULL;
    size_t state_size = 0, k, count = 0, length = 0;
    double profile[256], x[256];
    int eta, drop, status = 1, t;

    if (design == NULL) return 1;
    if (failed(lithos_model_create(design, "{\"kind\": \"ssb-p2d\", \"initial_soc\": 0.8}", &model), "lithos_model_create"))
        goto done;
    info.struct_size = sizeof info;
    if (failed(lithos_model_get_info(model, &info), "lithos_model_get_info")) goto done;
    printf("%s model of %s: %.4f Ah, %.2f-%.2f V, %u internals\n", info.kind, path, info.capacity_Ah,
           info.minimum_voltage_V, info.maximum_voltage_V, info.internal_count);
    eta = internal_index(model, info.internal_count, "positive_overpotential_separator_side_V");
    drop = internal_index(model, info.internal_count, "electrolyte_potential_drop_V");

    /* 1 Hz pulses: 10 s at 2C, 30 s rest, 10 s at 1C charge, 30 s rest. */
    printf("\n  t [s]  I [A]    V [V]    SOC     eta_sep [mV]  dphi_e [mV]\n");
    out.struct_size = sizeof out;
    for (t = 1; t <= 160; t++) {
        int phase = ((t - 1) / 10) % 8;
        double current = phase == 0 ? 2 * info.capacity_Ah : phase == 4 ? -info.capacity_Ah : 0;
        if (failed(lithos_model_step(model, LITHOS_INPUT_CURRENT, current, 1.0, 298.15, &out), "lithos_model_step")) goto done;
        if (t % 10 == 0)
            printf("  %5d  %6.3f  %7.4f  %6.4f  %11.2f  %11.2f\n", t, out.current_A, out.voltage_V, out.soc,
                   eta >= 0 ? 1e3 * out.internals[eta] : 0.0, drop >= 0 ? 1e3 * out.internals[drop] : 0.0);
    }

    /* The electrolyte potential through the cathode after a last 2C pulse. */
    for (t = 0; t < 10; t++)
        if (failed(lithos_model_step(model, LITHOS_INPUT_CURRENT, 2 * info.capacity_Ah, 1.0, 298.15, &out), "lithos_model_step")) goto done;
    if (failed(lithos_model_profile_count(model, &count), "lithos_model_profile_count")) goto done;
    for (k = 0; k < count; k++) {
        const char *name = NULL;
        if (failed(lithos_model_profile_info(model, k, &name, &length), "lithos_model_profile_info")) goto done;
        if (length > 256) { fprintf(stderr, "error: profile longer than expected\n"); goto done; }
        if (strcmp(name, "x_m") == 0 && failed(lithos_model_get_profile(model, k, x, 256, NULL), "lithos_model_get_profile")) goto done;
        if (strcmp(name, "electrolyte_potential_V") == 0
            && failed(lithos_model_get_profile(model, k, profile, 256, NULL), "lithos_model_get_profile")) goto done;
    }
    printf("\nelectrolyte potential through the cathode after 10 s at 2C (x = 0: separator side):\n");
    for (k = 0; k < length; k += 4) printf("  x = %5.1f um   phi_e - phi_e(0) = %7.2f mV\n", 1e6 * x[k], 1e3 * (profile[k] - profile[0]));

    /* Save, step on, restore, replay: bit-identical. */
    if (failed(lithos_model_state_size(model, &state_size), "lithos_model_state_size")) goto done;
    snapshot = malloc(state_size);
    if (snapshot == NULL) goto done;
    if (failed(lithos_model_save_state(model, snapshot, state_size, NULL), "lithos_model_save_state")) goto done;
    for (t = 0; t < 30; t++)
        if (failed(lithos_model_step(model, LITHOS_INPUT_POWER, 1.0, 1.0, 298.15, &out), "lithos_model_step")) goto done;
    if (failed(lithos_model_load_state(model, snapshot, state_size), "lithos_model_load_state")) goto done;
    replay.struct_size = sizeof replay;
    for (t = 0; t < 30; t++)
        if (failed(lithos_model_step(model, LITHOS_INPUT_POWER, 1.0, 1.0, 298.15, &replay), "lithos_model_step")) goto done;
    if (memcmp(&out.voltage_V, &replay.voltage_V, sizeof(double)) != 0 || memcmp(&out.soc, &replay.soc, sizeof(double)) != 0) {
        fprintf(stderr, "error: the replay after lithos_model_load_state differs\n");
        goto done;
    }
    printf("\n30 s at 1 W, saved state restored and replayed: V = %.6f V both times (%zu-byte snapshot)\n",
           out.voltage_V, state_size);
    status = 0;
done:
    free(snapshot);
    lithos_model_destroy(model);
    free(design);
    return status;
}
