/*
 * Section 5 of lithos.h (experiments): protocol text → lithos_experiment, drive cycles from CSV
 * text, lithos_simulation_run on a model, and reading the lithos_trace (length, columns, CSV,
 * summary, step records). Checks that a cut-off ends its step exactly, that the model ends in
 * the final state, and every error path: NULL arguments, parse errors with their line, unknown
 * drive cycles, bad dt/temperature, buffer and struct sizes — on error nothing is written and
 * the model is restored. One experiment is also run on several models from several threads at
 * once (it is read-only during a run): every thread must get the same trace.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdlib.h>

#define T_25C 298.15
#define HEADER                                                                                    \
    "time_s,current_A,voltage_V,soc,temperature_K,power_W,open_circuit_voltage_V,heat_generation_W," \
    "discharged_charge_Ah,discharged_energy_Wh,step_index,cycle_index\n"

/* A small design (1 cm², Li foil | dense LPSCl | NMC811 composite). */
static const char *const DESIGN =
    "{\"name\": \"test cell\", \"area_cm2\": 1, \"stack_pressure_MPa\": 5,\n"
    " \"anode\": {\"type\": \"lithium_metal\", \"material\": \"Li\", \"thickness_um\": 20},\n"
    " \"separator\": {\"material\": \"Li6PS5Cl\", \"thickness_um\": 30},\n"
    " \"cathode\": {\"active_material\": \"NMC811\", \"electrolyte\": \"Li6PS5Cl\", \"thickness_um\": 60,\n"
    "   \"volume_fractions\": {\"active\": 0.6, \"electrolyte\": 0.33, \"carbon\": 0.02, \"binder\": 0, \"porosity\": 0.05}},\n"
    " \"current_collectors\": {\"positive\": {\"material\": \"Al\", \"thickness_um\": 12},\n"
    "   \"negative\": {\"material\": \"Cu\", \"thickness_um\": 10}}}";

static lithos_model_output output_of(lithos_model *model) {
    lithos_model_output out;
    memset(&out, 0, sizeof out);
    out.struct_size = sizeof out;
    (void)lithos_model_get_output(model, &out);
    return out;
}

static double *column(lithos_trace *trace, const char *name, size_t *count) {
    double *values;
    *count = 0;
    if (lithos_trace_column(trace, name, NULL, 0, count) != LITHOS_OK || *count == 0) return NULL;
    values = (double *)malloc(*count * sizeof(double));
    if (values && lithos_trace_column(trace, name, values, *count, count) != LITHOS_OK) {
        free(values);
        return NULL;
    }
    return values;
}

static void test_constant_current_to_cutoff(void) {
    lithos_model *model = NULL;
    lithos_experiment *experiment = NULL;
    lithos_trace *trace = NULL;
    lithos_trace_summary summary;
    size_t n = 0, steps = 0, cycles = 0, columns = 0;
    double *voltage, *time;
    const char *name = NULL;
    REQUIRE_OK(lithos_model_create(DESIGN, "{\"initial_soc\": 0.9}", &model));
    REQUIRE_OK(lithos_experiment_create("Discharge at 1C until 3.7 V\nRest for 10 minutes", &experiment));
    CHECK_OK(lithos_experiment_step_count(experiment, &steps));
    CHECK(steps == 2);
    CHECK_OK(lithos_experiment_cycle_count(experiment, &cycles));
    CHECK(cycles == 2);
    REQUIRE_OK(lithos_simulation_run(model, experiment, 1.0, T_25C, &trace));

    CHECK_OK(lithos_trace_length(trace, &n));
    CHECK(n > 100);
    CHECK_OK(lithos_trace_column_count(trace, &columns));
    CHECK(columns == 12);
    CHECK_OK(lithos_trace_column_name(trace, 0, &name));
    CHECK(name != NULL && strcmp(name, "time_s") == 0);
    CHECK_OK(lithos_trace_column_name(trace, 2, &name));
    CHECK(name != NULL && strcmp(name, "voltage_V") == 0);

    voltage = column(trace, "voltage_V", &n);
    time = column(trace, "time_s", &n);
    REQUIRE(voltage != NULL && time != NULL);
    {
        /* The discharge ends on the row where V = 3.7 V exactly; the rest lasts 600 s. */
        size_t k, end = 0;
        for (k = 1; k < n; k++) {
            if (fabs(voltage[k] - 3.7) <= 1e-6) { end = k; break; }
        }
        CHECK(end > 0);
        for (k = 1; k < end; k++) CHECK(voltage[k] > 3.7);
        CHECK_NEAR(time[n - 1] - time[end], 600.0, 1e-12);
    }

    memset(&summary, 0, sizeof summary);
    summary.struct_size = sizeof summary;
    CHECK_OK(lithos_trace_get_summary(trace, &summary));
    CHECK(summary.completed == 1 && summary.stop_reason == 0);
    CHECK(summary.sample_count == n && summary.step_count == 2 && summary.cycle_count == 2);
    CHECK(summary.discharge_capacity_Ah > 0 && summary.charge_capacity_Ah == 0);
    CHECK_NEAR(summary.net_discharged_charge_Ah, summary.discharge_capacity_Ah, 1e-12);
    CHECK(fabs(summary.minimum_voltage_V - 3.7) <= 1e-6);
    CHECK_NEAR(summary.duration_s, time[n - 1], 1e-12);
    /* The model ends in the final state. */
    CHECK_NEAR(output_of(model).time_s, summary.duration_s, 1e-12);
    CHECK_NEAR(output_of(model).soc, summary.final_soc, 1e-15);

    {   /* CSV: size query, too small, then the text. */
        size_t length = 0, small_length = CHECK_SENTINEL_SIZE;
        char small[8];
        char *csv;
        CHECK_OK(lithos_trace_csv(trace, NULL, 0, &length));
        CHECK(length > 1000);
        CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_trace_csv(trace, small, sizeof small, &small_length));
        CHECK(small_length == length);
        csv = (char *)malloc(length + 1);
        REQUIRE(csv != NULL);
        CHECK_OK(lithos_trace_csv(trace, csv, length + 1, &length));
        CHECK(strncmp(csv, HEADER, strlen(HEADER)) == 0);
        free(csv);
    }
    {   /* Step records. */
        size_t length = 0;
        char *json;
        CHECK_OK(lithos_trace_steps_json(trace, NULL, 0, &length));
        json = (char *)malloc(length + 1);
        REQUIRE(json != NULL);
        CHECK_OK(lithos_trace_steps_json(trace, json, length + 1, &length));
        CHECK_CONTAINS(json, "\"end_reason\": \"voltage_cutoff\"");
        CHECK_CONTAINS(json, "\"text\": \"Rest for 10 minutes\"");
        free(json);
    }
    free(voltage);
    free(time);
    CHECK_OK(lithos_trace_destroy(trace));
    CHECK_OK(lithos_experiment_destroy(experiment));
    CHECK_OK(lithos_model_destroy(model));
}

static void test_drive_cycle(void) {
    lithos_model *model = NULL;
    lithos_experiment *experiment = NULL;
    lithos_trace *trace = NULL;
    lithos_model_info info;
    size_t n = 0;
    double *current, *time;
    REQUIRE_OK(lithos_model_create(DESIGN, NULL, &model));
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    REQUIRE_OK(lithos_model_get_info(model, &info));
    REQUIRE_OK(lithos_experiment_create("Run pulses for 50 s\nRun us06 for 30 s", &experiment));
    CHECK_OK(lithos_experiment_add_drive_cycle(experiment, "pulses",
                                               "# two levels, as C-rates\ntime_s,c_rate\n0,1\n10,-0.5\n", 2.0));
    REQUIRE_OK(lithos_simulation_run(model, experiment, 1.0, T_25C, &trace));
    current = column(trace, "current_A", &n);
    time = column(trace, "time_s", &n);
    REQUIRE(current != NULL && time != NULL);
    {   /* Zero-order hold: 2C on [0, 10) s, −1C on [10, 20) s, repeated; then US06 for 30 s. */
        size_t k;
        for (k = 1; k < n && time[k] <= 50.0 + 1e-9; k++) {
            double t = time[k - 1] - 20.0 * (double)(long)(time[k - 1] / 20.0);
            double expected = (t < 10.0 - 1e-9 ? 2.0 : -1.0) * info.capacity_Ah;
            CHECK_NEAR(current[k], expected, 1e-12);
        }
        CHECK_NEAR(time[n - 1], 80.0, 1e-12);
    }
    free(current);
    free(time);
    CHECK_OK(lithos_trace_destroy(trace));
    CHECK_OK(lithos_experiment_destroy(experiment));
    CHECK_OK(lithos_model_destroy(model));
}

static void test_errors(void) {
    lithos_model *model = NULL;
    lithos_experiment *experiment = NULL, *bad = (lithos_experiment *)CHECK_SENTINEL_STRING;
    lithos_trace *trace = (lithos_trace *)CHECK_SENTINEL_STRING;
    lithos_model_output before, after;
    size_t count = CHECK_SENTINEL_SIZE;
    double value = CHECK_SENTINEL_DOUBLE;
    lithos_trace_summary summary;

    /* Parse errors name the line. */
    CHECK_STATUS(LITHOS_ERROR_PARSE, lithos_experiment_create("Rest for 1 minute\nDischarge at 1X until 3 V", &bad));
    CHECK_MESSAGE_CONTAINS("protocol line 2");
    CHECK_MESSAGE_CONTAINS("unknown unit 'X'");
    CHECK(bad == (lithos_experiment *)CHECK_SENTINEL_STRING);
    CHECK_STATUS(LITHOS_ERROR_PARSE, lithos_experiment_create("repeat 2 times:\nend", &bad));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_experiment_create(NULL, &bad));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_experiment_create("Rest for 1 s", NULL));
    CHECK(bad == (lithos_experiment *)CHECK_SENTINEL_STRING);

    REQUIRE_OK(lithos_model_create(DESIGN, NULL, &model));
    REQUIRE_OK(lithos_experiment_create("Discharge at 1C for 1 minute\nRun nowhere", &experiment));
    before = output_of(model);
    /* Unknown drive cycle, bad dt, bad temperature, NULLs: model restored, trace not written. */
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_simulation_run(model, experiment, 1.0, T_25C, &trace));
    CHECK_MESSAGE_CONTAINS("unknown drive cycle 'nowhere'");
    CHECK_MESSAGE_CONTAINS("line 2");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_simulation_run(model, experiment, 0.0, T_25C, &trace));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_simulation_run(model, experiment, NAN, T_25C, &trace));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_simulation_run(model, experiment, 1.0, 25.0, &trace));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_simulation_run(NULL, experiment, 1.0, T_25C, &trace));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_simulation_run(model, NULL, 1.0, T_25C, &trace));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_simulation_run(model, experiment, 1.0, T_25C, NULL));
    CHECK(trace == (lithos_trace *)CHECK_SENTINEL_STRING);
    after = output_of(model);
    CHECK(memcmp(&before, &after, sizeof before) == 0);

    /* A run that fails part-way (a power the cell cannot deliver) restores the model. */
    CHECK_OK(lithos_experiment_destroy(experiment));
    REQUIRE_OK(lithos_experiment_create("Discharge at 1C for 1 minute\nDischarge at 1 kW for 1 minute", &experiment));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_simulation_run(model, experiment, 1.0, T_25C, &trace));
    CHECK_MESSAGE_CONTAINS("line 2");
    after = output_of(model);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(trace == (lithos_trace *)CHECK_SENTINEL_STRING);

    /* Drive-cycle errors leave the experiment as it was. */
    CHECK_STATUS(LITHOS_ERROR_PARSE, lithos_experiment_add_drive_cycle(experiment, "c", "time_s,current_A\n0,1\n1,x\n", 1.0));
    CHECK_MESSAGE_CONTAINS("line 3");
    CHECK_STATUS(LITHOS_ERROR_PARSE, lithos_experiment_add_drive_cycle(experiment, "c", "time_s,voltage_V\n0,1\n1,2\n", 1.0));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_experiment_add_drive_cycle(experiment, "c", "time_s,current_A\n0,1\n1,2\n", 0.0));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_experiment_add_drive_cycle(experiment, "9lives", "time_s,current_A\n0,1\n1,2\n", 1.0));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_experiment_add_drive_cycle(experiment, NULL, "time_s,current_A\n0,1\n1,2\n", 1.0));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_experiment_add_drive_cycle(NULL, "c", "time_s,current_A\n0,1\n1,2\n", 1.0));

    /* Trace accessors. */
    CHECK_OK(lithos_experiment_destroy(experiment));
    REQUIRE_OK(lithos_experiment_create("Rest for 10 s", &experiment));
    REQUIRE_OK(lithos_simulation_run(model, experiment, 1.0, T_25C, &trace));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_trace_column(trace, "volts", &value, 1, &count));
    CHECK_MESSAGE_CONTAINS("voltage_V");
    CHECK(value == CHECK_SENTINEL_DOUBLE && count == CHECK_SENTINEL_SIZE);
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_trace_column(trace, "soc", &value, 1, &count));
    CHECK(value == CHECK_SENTINEL_DOUBLE && count == 11);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_trace_column(trace, "soc", NULL, 5, &count));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_trace_column(trace, NULL, &value, 1, &count));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_trace_length(NULL, &count));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_trace_length(trace, NULL));
    {
        const char *name = CHECK_SENTINEL_STRING;
        CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_trace_column_name(trace, 12, &name));
        CHECK(name == CHECK_SENTINEL_STRING);
    }
    memset(&summary, 0, sizeof summary);
    summary.struct_size = sizeof(size_t) + sizeof(double);
    summary.duration_s = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_trace_get_summary(trace, &summary));
    CHECK(summary.duration_s == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_trace_get_summary(trace, NULL));
    CHECK_OK(lithos_trace_destroy(trace));

    CHECK_OK(lithos_trace_destroy(NULL));
    CHECK_OK(lithos_experiment_destroy(NULL));
    CHECK_OK(lithos_experiment_destroy(experiment));
    CHECK_OK(lithos_model_destroy(model));
}

#define N_THREADS 4

typedef struct {
    const lithos_experiment *experiment;
    size_t rows;
    double final_voltage_V;
    double final_time_s;
    int failed;
} thread_run;

static void *run_on_own_model(void *arg) {
    thread_run *r = (thread_run *)arg;
    lithos_model *model = NULL;
    lithos_trace *trace = NULL;
    lithos_trace_summary summary;
    memset(&summary, 0, sizeof summary);
    summary.struct_size = sizeof summary;
    r->failed = 1;
    if (lithos_model_create(DESIGN, NULL, &model) != LITHOS_OK) return NULL;
    if (lithos_simulation_run(model, r->experiment, 2.0, T_25C, &trace) == LITHOS_OK &&
        lithos_trace_length(trace, &r->rows) == LITHOS_OK && lithos_trace_get_summary(trace, &summary) == LITHOS_OK) {
        r->final_time_s = summary.duration_s;
        r->final_voltage_V = output_of(model).voltage_V;
        r->failed = 0;
    }
    lithos_trace_destroy(trace);
    lithos_model_destroy(model);
    return NULL;
}

static void test_one_experiment_on_several_threads(void) {
    lithos_experiment *experiment = NULL;
    pthread_t threads[N_THREADS];
    thread_run runs[N_THREADS];
    int k;
    REQUIRE_OK(lithos_experiment_create("Run us06 for 300 s; Rest for 5 minutes; Discharge at 1C until 3.8 V", &experiment));
    for (k = 0; k < N_THREADS; k++) {
        memset(&runs[k], 0, sizeof runs[k]);
        runs[k].experiment = experiment;
        CHECK(pthread_create(&threads[k], NULL, run_on_own_model, &runs[k]) == 0);
    }
    for (k = 0; k < N_THREADS; k++) CHECK(pthread_join(threads[k], NULL) == 0);
    for (k = 0; k < N_THREADS; k++) {
        CHECK(runs[k].failed == 0);
        CHECK(runs[k].rows > 100 && runs[k].rows == runs[0].rows);
        CHECK(runs[k].final_time_s == runs[0].final_time_s);
        CHECK(runs[k].final_voltage_V == runs[0].final_voltage_V);
    }
    CHECK(fabs(runs[0].final_voltage_V - 3.8) <= 1e-9);
    CHECK_OK(lithos_experiment_destroy(experiment));
}

int main(void) {
    test_constant_current_to_cutoff();
    test_drive_cycle();
    test_errors();
    test_one_experiment_on_several_threads();
    return check_summary("test_experiment");
}
