/*
 * Section 9 of lithos.h (packs): every lithos_pack_* function, its success paths with values
 * checked against closed forms, and every error path, with "unchanged" checked by comparing
 * the bytes of a state snapshot before and after each failing call.
 *
 * The hand-computable pack: ECM cells with OCV linear 3.0 → 4.2 V over SOC 0 → 1, Rint
 * R0 = 0.01 Ω, capacity 2 A·h, isothermal. In a 1s2p group with identical cells the pack
 * current splits equally; in an Ns×1 string the pack voltage is Σ cell voltages −
 * I·Ns·(R_tab + R_interconnect); a bled cell draws V/R_bleed.
 * The example examples/packs/4s2p-ssb-spm.json (read through LITHOS_SOURCE_DIR) runs SSB-SPM
 * cells with variation through the batch entry point.
 */
#include "check.h"

#include <stdint.h>

#define T_25C 298.15
#define ECM "{\"capacity_Ah\": 2, \"soc_breakpoints\": [0, 1], \"ocv_V\": [3.0, 4.2], \"r0_ohm\": 0.01," \
            " \"minimum_voltage_V\": 2.5, \"maximum_voltage_V\": 4.3, \"thermal\": {\"enabled\": false," \
            " \"heat_capacity_J_per_K\": 40, \"heat_transfer_W_per_K\": 0.5}}"
#define PACK(series, parallel, extra) \
    "{\"series\": " #series ", \"parallel\": " #parallel ", \"initial_soc\": 0.8, \"model\": {\"kind\": \"ecm\", \"ecm\": " ECM "}" extra "}"

static unsigned char snapshot_a[1 << 20], snapshot_b[1 << 20];

/* Saves the pack's state into `buffer`; returns its size. */
static size_t save(lithos_pack *pack, unsigned char *buffer) {
    size_t size = 0;
    CHECK_OK(lithos_pack_save_state(pack, buffer, sizeof snapshot_a, &size));
    return size;
}

/* The pack is byte-identical to the snapshot in snapshot_a of `size` bytes. */
#define CHECK_UNCHANGED(pack, size) CHECK(save(pack, snapshot_b) == (size) && memcmp(snapshot_a, snapshot_b, (size)) == 0)

static void test_create_and_info(void) {
    lithos_pack *pack = (lithos_pack *)&snapshot_a;  /* sentinel: must stay untouched on error */
    lithos_pack_info info;
    lithos_status status;

    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_create(PACK(2, 2, ""), NULL));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_create(NULL, &pack));
    CHECK_STATUS(LITHOS_ERROR_PARSE, lithos_pack_create("{\"series\": ", &pack));
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_pack_create("{\"series\": 2}", &pack));
    CHECK_MESSAGE_CONTAINS("cell");
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_pack_create(PACK(2, 2, ", \"bogus\": 1"), &pack));
    CHECK_MESSAGE_CONTAINS("bogus");
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_create(PACK(0, 2, ""), &pack));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_create(PACK(2, 101, ""), &pack));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_create(PACK(1000, 100, ""), &pack));
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_pack_create(PACK(2, 2, ", \"limits\": {\"minimum_voltage_V\": 9, \"maximum_voltage_V\": 8}"), &pack));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_create(PACK(2, 2, ", \"variation\": {\"capacity_std_fraction\": 0.9}"), &pack));
    CHECK_STATUS(LITHOS_ERROR_CONFIG, lithos_pack_create("{\"series\": 2, \"cell\": \"nonexistent\"}", &pack));
    CHECK(pack == (lithos_pack *)&snapshot_a);

    pack = NULL;
    REQUIRE_OK(lithos_pack_create(PACK(3, 2, ", \"interconnect_resistance_ohm\": 0.001"), &pack));
    info.struct_size = sizeof info;
    CHECK_OK(lithos_pack_get_info(pack, &info));
    CHECK(strcmp(info.kind, "ecm") == 0);
    CHECK(info.series == 3 && info.parallel == 2 && info.cell_count == 6);
    CHECK(info.voltage_channel_count == 3 && info.sense_wire_count == 4);
    CHECK_NEAR(info.capacity_Ah, 4.0, 1e-12);
    CHECK_NEAR(info.minimum_voltage_V, 7.5, 1e-12);
    CHECK_NEAR(info.maximum_voltage_V, 12.9, 1e-12);
    CHECK_NEAR(info.cell_minimum_voltage_V, 2.5, 1e-12);
    CHECK(info.state_size > 0);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_get_info(NULL, &info));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_get_info(pack, NULL));
    info.struct_size = 4;
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_pack_get_info(pack, &info));
    status = lithos_pack_destroy(pack);
    CHECK(status == LITHOS_OK);
    CHECK_OK(lithos_pack_destroy(NULL));
}

static void test_split_and_series(void) {
    lithos_pack *pack = NULL;
    lithos_pack_output out;
    double i[6], v[6], g[3];
    size_t length = 0, k;

    REQUIRE_OK(lithos_pack_create(PACK(1, 2, ", \"tab_resistance_ohm\": 0.001"), &pack));
    out.struct_size = sizeof out;
    CHECK_OK(lithos_pack_step(pack, 4.0, 1.0, T_25C, &out));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_CURRENT, i, 6, &length));
    CHECK(length == 2);
    CHECK_NEAR(i[0], 2.0, 1e-9);
    CHECK_NEAR(i[1], 2.0, 1e-9);
    CHECK(out.split_current_residual_A <= 1e-9 && out.split_voltage_spread_V <= 1e-11);
    lithos_pack_destroy(pack);

    pack = NULL;
    REQUIRE_OK(lithos_pack_create(PACK(3, 1, ", \"interconnect_resistance_ohm\": 0.0005, \"tab_resistance_ohm\": 0.0002,"
                                         " \"variation\": {\"seed\": 3, \"initial_soc_std\": 0.05}"), &pack));
    CHECK_OK(lithos_pack_step(pack, 5.0, 2.0, T_25C, &out));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_VOLTAGE, v, 6, &length));
    CHECK(length == 3);
    CHECK_NEAR(out.voltage_V, v[0] + v[1] + v[2] - 5.0 * 3 * (0.0005 + 0.0002), 1e-12);
    CHECK_NEAR(out.power_W, out.voltage_V * 5.0, 1e-12);
    CHECK_NEAR(out.discharged_charge_Ah, 5.0 * 2.0 / 3600, 1e-12);
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_GROUP_VOLTAGE, g, 3, &length));
    CHECK(length == 3);
    for (k = 0; k < 3; k++) CHECK_NEAR(g[k], v[k] - 5.0 * 0.0002, 1e-12);
    CHECK(out.minimum_cell_voltage_V < out.maximum_cell_voltage_V);
    lithos_pack_destroy(pack);
}

static void test_values_and_names(void) {
    lithos_pack *pack = NULL;
    double values[8];
    size_t length = CHECK_SENTINEL_SIZE;
    const char *name = CHECK_SENTINEL_STRING;
    int q;

    REQUIRE_OK(lithos_pack_create(PACK(2, 3, ""), &pack));
    for (q = 0; q <= LITHOS_PACK_CELL_RESISTANCE_FACTOR; q++) {
        size_t expected = (q == LITHOS_PACK_GROUP_VOLTAGE || q == LITHOS_PACK_MEASURED_VOLTAGE || q == LITHOS_PACK_BALANCING_CURRENT) ? 2 : 6;
        length = 0;
        CHECK_OK(lithos_pack_get_values(pack, (lithos_pack_quantity)q, NULL, 0, &length));
        CHECK(length == expected);
        CHECK_OK(lithos_pack_get_values(pack, (lithos_pack_quantity)q, values, 8, &length));
        CHECK_OK(lithos_pack_quantity_name((lithos_pack_quantity)q, &name));
        CHECK(name != NULL && strlen(name) > 3);
    }
    CHECK_OK(lithos_pack_quantity_name(LITHOS_PACK_MEASURED_VOLTAGE, &name));
    CHECK(strcmp(name, "measured_voltage_V") == 0);
    name = CHECK_SENTINEL_STRING;
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_quantity_name((lithos_pack_quantity)99, &name));
    CHECK(name == CHECK_SENTINEL_STRING);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_quantity_name(LITHOS_PACK_CELL_SOC, NULL));
    length = CHECK_SENTINEL_SIZE;
    values[0] = CHECK_SENTINEL_DOUBLE;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_pack_get_values(pack, LITHOS_PACK_CELL_SOC, values, 5, &length));
    CHECK(length == 6 && values[0] == CHECK_SENTINEL_DOUBLE);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_get_values(pack, LITHOS_PACK_CELL_SOC, NULL, 6, &length));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_get_values(NULL, LITHOS_PACK_CELL_SOC, values, 6, &length));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_get_values(pack, (lithos_pack_quantity)14, values, 8, &length));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_SOC, values, 6, NULL));
    CHECK_NEAR(values[5], 0.8, 1e-12);
    lithos_pack_destroy(pack);
}

static void test_step_errors_leave_pack_unchanged(void) {
    lithos_pack *pack = NULL;
    lithos_pack_output out;
    size_t size;

    REQUIRE_OK(lithos_pack_create(PACK(2, 2, ""), &pack));
    out.struct_size = sizeof out;
    CHECK_OK(lithos_pack_step(pack, 1.0, 1.0, T_25C, &out));
    size = save(pack, snapshot_a);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_step(NULL, 1.0, 1.0, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_step(pack, NAN, 1.0, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_step(pack, INFINITY, 1.0, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_step(pack, 1.0, NAN, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_step(pack, 1.0, 0.0, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_step(pack, 1.0, -1.0, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_step(pack, 1.0, 1e6, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_step(pack, 1.0, 1.0, 25.0, &out));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_step(pack, 1.0, 1.0, NAN, &out));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_step(pack, 1e7, 1.0, T_25C, &out));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_step(pack, 500.0, 1.0, T_25C, &out));  /* 125 C per cell */
    CHECK_MESSAGE_CONTAINS("100C");
    out.struct_size = 8;
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_pack_step(pack, 1.0, 1.0, T_25C, &out));
    CHECK_UNCHANGED(pack, size);
    CHECK_STATUS(LITHOS_ERROR_STRUCT_SIZE, lithos_pack_get_output(pack, &out));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_get_output(pack, NULL));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_get_output(NULL, &out));
    out.struct_size = sizeof out;
    CHECK_OK(lithos_pack_get_output(pack, &out));
    CHECK_NEAR(out.time_s, 1.0, 1e-15);
    CHECK_OK(lithos_pack_step(pack, 1.0, 1.0, T_25C, NULL));
    lithos_pack_destroy(pack);
}

static void test_balancing_and_faults(void) {
    lithos_pack *pack = NULL;
    lithos_pack_output out;
    unsigned char on[3] = {0, 1, 0};
    double v[3], i[3], b[3], m[3], g[3], t[3], mt[3];
    size_t size;

    REQUIRE_OK(lithos_pack_create(PACK(3, 1, ", \"bleed_resistance_ohm\": 20"), &pack));
    out.struct_size = sizeof out;
    size = save(pack, snapshot_a);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_set_balancing(pack, NULL, 3));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_set_balancing(pack, on, 2));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_set_balancing(NULL, on, 3));
    CHECK_UNCHANGED(pack, size);
    CHECK_OK(lithos_pack_set_balancing(pack, on, 3));
    CHECK_OK(lithos_pack_step(pack, 0.0, 1.0, T_25C, &out));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_VOLTAGE, v, 3, NULL));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_CURRENT, i, 3, NULL));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_BALANCING_CURRENT, b, 3, NULL));
    CHECK_NEAR(i[1], v[1] / 20, 1e-9);
    CHECK_NEAR(b[1], i[1], 1e-9);
    CHECK(i[0] == 0 && i[2] == 0 && b[0] == 0 && b[2] == 0);
    CHECK_NEAR(out.balancing_current_A, b[1], 1e-12);

    /* Fault errors. */
    size = save(pack, snapshot_a);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_inject_fault(NULL, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0, 1.0));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_inject_fault(pack, (lithos_pack_fault)42, 0, 1.0));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0, NAN));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 3, 1.0));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_OPEN_SENSE_WIRE, 4, 0.5));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_VOLTAGE_SENSOR_OFFSET, 3, 0.1));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_CONTACTOR_OPEN, 1, 0));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_THERMAL_EVENT, (size_t)-1, 1.0));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0, 0.0));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_OPEN_SENSE_WIRE, 1, 1.5));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_THERMAL_EVENT, 0, -1.0));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_STUCK, 0, -1.0));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_clear_fault(pack, (lithos_pack_fault)9, 0));
    CHECK_STATUS(LITHOS_ERROR_NOT_FOUND, lithos_pack_clear_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 9));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_clear_fault(NULL, LITHOS_PACK_FAULT_INTERNAL_SHORT, 0));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_clear_faults(NULL));
    CHECK_UNCHANGED(pack, size);

    /* Sensor faults change only what is measured. */
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_VOLTAGE_SENSOR_OFFSET, 0, 0.05));
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_VOLTAGE_SENSOR_STUCK, 2, 3.3));
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_OFFSET, 1, 2.0));
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_STUCK, 2, 250.0));
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_CURRENT_SENSOR_OFFSET, 0, 0.25));
    CHECK_OK(lithos_pack_step(pack, 1.0, 1.0, T_25C, &out));
    CHECK_NEAR(out.measured_current_A, 1.25, 1e-12);
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_GROUP_VOLTAGE, g, 3, NULL));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_MEASURED_VOLTAGE, m, 3, NULL));
    CHECK(m[0] == g[0] + 0.05 && m[1] == g[1] && m[2] == 3.3);
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_TEMPERATURE, t, 3, NULL));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_MEASURED_TEMPERATURE, mt, 3, NULL));
    CHECK(mt[0] == t[0] && mt[1] == t[1] + 2.0 && mt[2] == 250.0);
    CHECK(out.active_faults == ((1u << LITHOS_PACK_FAULT_VOLTAGE_SENSOR_OFFSET) | (1u << LITHOS_PACK_FAULT_VOLTAGE_SENSOR_STUCK) |
                                (1u << LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_OFFSET) | (1u << LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_STUCK) |
                                (1u << LITHOS_PACK_FAULT_CURRENT_SENSOR_OFFSET)));
    CHECK_OK(lithos_pack_clear_fault(pack, LITHOS_PACK_FAULT_VOLTAGE_SENSOR_STUCK, 2));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_MEASURED_VOLTAGE, m, 3, NULL));
    CHECK(m[2] == g[2]);
    CHECK_OK(lithos_pack_clear_faults(pack));
    CHECK_OK(lithos_pack_get_output(pack, &out));
    CHECK(out.active_faults == 0);

    /* Open sense wire 1 merges channels 0 and 1; an open contactor carries no current. */
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_OPEN_SENSE_WIRE, 1, 0.25));
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_CONTACTOR_OPEN, 0, 0.0));
    CHECK_OK(lithos_pack_step(pack, 10.0, 1.0, T_25C, &out));
    CHECK(out.current_A == 0.0);
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_GROUP_VOLTAGE, g, 3, NULL));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_MEASURED_VOLTAGE, m, 3, NULL));
    CHECK_NEAR(m[0], 0.25 * (g[0] + g[1]), 1e-12);
    CHECK_NEAR(m[1], 0.75 * (g[0] + g[1]), 1e-12);

    /* Internal short: the cell drains at V/R. */
    CHECK_OK(lithos_pack_clear_faults(pack));
    CHECK_OK(lithos_pack_set_balancing(pack, (const unsigned char *)"\0\0\0", 3));
    CHECK_OK(lithos_pack_inject_fault(pack, LITHOS_PACK_FAULT_INTERNAL_SHORT, 2, 2.0));
    CHECK_OK(lithos_pack_step(pack, 0.0, 1.0, T_25C, &out));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_VOLTAGE, v, 3, NULL));
    CHECK_OK(lithos_pack_get_values(pack, LITHOS_PACK_CELL_SHORT_CURRENT, i, 3, NULL));
    CHECK_NEAR(i[2], v[2] / 2.0, 1e-12);
    CHECK(i[0] == 0 && i[1] == 0);
    lithos_pack_destroy(pack);
}

static void test_run_reset_snapshots_config(void) {
    lithos_pack *pack = NULL, *other = NULL;
    lithos_pack_output out, again;
    static double current[200], dt[200], voltage[200], soc[200], vmin[200], vmax[200], cur[200], record[200 * 8];
    char json[8192];
    size_t k, steps = CHECK_SENTINEL_SIZE, size, needed = 0, length = 0;
    char path[4096];
    char *example;

    snprintf(path, sizeof path, "%s/examples/packs/4s2p-ssb-spm.json", source_dir());
    example = read_file(path);
    REQUIRE(example != NULL);
    REQUIRE_OK(lithos_pack_create(example, &pack));
    free(example);
    for (k = 0; k < 200; k++) { current[k] = (k % 20 < 10) ? 0.3 : -0.1; dt[k] = 1.0; }
    CHECK_OK(lithos_pack_run(pack, current, NULL, 1.0, 200, T_25C, voltage, cur, soc, vmin, vmax,
                             LITHOS_PACK_CELL_CURRENT, record, &steps));
    CHECK(steps == 200);
    for (k = 0; k < 200; k++) {
        double sum = 0;
        CHECK(vmin[k] <= vmax[k] && voltage[k] > 4 * vmin[k] - 0.1 && voltage[k] < 4 * vmax[k] + 0.1);
        sum = record[k * 8 + 0] + record[k * 8 + 1];
        CHECK(fabs(sum - cur[k]) <= 1e-9 * (1 + fabs(cur[k])));
    }
    CHECK(soc[199] < soc[0]);
    out.struct_size = sizeof out;
    again.struct_size = sizeof again;
    CHECK_OK(lithos_pack_get_output(pack, &out));
    CHECK_NEAR(out.time_s, 200.0, 1e-12);

    /* All or nothing: a bad dt at step 50 restores the pack. */
    size = save(pack, snapshot_a);
    dt[50] = -1;
    steps = CHECK_SENTINEL_SIZE;
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_run(pack, current, dt, 0, 200, T_25C, NULL, NULL, NULL, NULL, NULL,
                                                            LITHOS_PACK_CELL_SOC, NULL, &steps));
    CHECK(steps == 50);
    CHECK_MESSAGE_CONTAINS("step 50");
    CHECK_UNCHANGED(pack, size);
    dt[50] = 1;
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_run(pack, NULL, NULL, 1.0, 5, T_25C, NULL, NULL, NULL, NULL, NULL, LITHOS_PACK_CELL_SOC, NULL, &steps));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_run(pack, current, NULL, 0.0, 5, T_25C, NULL, NULL, NULL, NULL, NULL, LITHOS_PACK_CELL_SOC, NULL, &steps));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_run(pack, current, NULL, 1.0, 5, T_25C, NULL, NULL, NULL, NULL, NULL, (lithos_pack_quantity)77, record, &steps));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_run(NULL, current, NULL, 1.0, 5, T_25C, NULL, NULL, NULL, NULL, NULL, LITHOS_PACK_CELL_SOC, NULL, &steps));
    CHECK_UNCHANGED(pack, size);
    CHECK_OK(lithos_pack_run(pack, current, NULL, 1.0, 0, T_25C, NULL, NULL, NULL, NULL, NULL, LITHOS_PACK_CELL_SOC, NULL, &steps));
    CHECK(steps == 0);

    /* Snapshots: resume bit-exactly; bad snapshots change nothing. */
    CHECK_OK(lithos_pack_state_size(pack, &needed));
    CHECK(needed == size);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_state_size(pack, NULL));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_state_size(NULL, &needed));
    needed = 0;
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_pack_save_state(pack, snapshot_b, size - 1, &needed));
    CHECK(needed == size);
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_save_state(pack, NULL, size, &needed));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_save_state(NULL, snapshot_b, size, &needed));
    CHECK_OK(lithos_pack_step(pack, 0.2, 1.0, T_25C, &out));
    CHECK_OK(lithos_pack_load_state(pack, snapshot_a, size));
    CHECK_OK(lithos_pack_step(pack, 0.2, 1.0, T_25C, &again));
    CHECK(memcmp(&out, &again, sizeof out) == 0);
    size = save(pack, snapshot_a);
    memcpy(snapshot_b, snapshot_a, size);
    snapshot_b[size / 2] ^= 0x10;
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_load_state(pack, snapshot_b, size));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_load_state(pack, snapshot_a, size - 1));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_load_state(pack, "garbage", 7));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_load_state(pack, NULL, size));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_load_state(NULL, snapshot_a, size));
    CHECK_UNCHANGED(pack, size);

    /* The normalised configuration builds the same pack, whose snapshots this pack accepts. */
    CHECK_OK(lithos_pack_config_json(pack, NULL, 0, &length));
    REQUIRE(length > 0 && length < sizeof json);
    CHECK_STATUS(LITHOS_ERROR_BUFFER_TOO_SMALL, lithos_pack_config_json(pack, json, 10, &length));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_config_json(NULL, json, sizeof json, &length));
    CHECK_OK(lithos_pack_config_json(pack, json, sizeof json, &length));
    CHECK_CONTAINS(json, "\"ssb-spm\"");
    REQUIRE_OK(lithos_pack_create(json, &other));
    CHECK_OK(lithos_pack_load_state(other, snapshot_a, size));
    CHECK_OK(lithos_pack_step(other, 0.2, 1.0, T_25C, &again));
    CHECK_OK(lithos_pack_load_state(pack, snapshot_a, size));
    CHECK_OK(lithos_pack_step(pack, 0.2, 1.0, T_25C, &out));
    CHECK(memcmp(&out, &again, sizeof out) == 0);
    lithos_pack_destroy(other);

    /* A snapshot of another pack is refused. */
    other = NULL;
    REQUIRE_OK(lithos_pack_create(PACK(4, 2, ""), &other));
    size = save(pack, snapshot_a);
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_load_state(other, snapshot_a, size));
    lithos_pack_destroy(other);

    /* Reset. */
    size = save(pack, snapshot_a);
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_reset(pack, 1.5, T_25C));
    CHECK_STATUS(LITHOS_ERROR_INVALID_ARGUMENT, lithos_pack_reset(pack, NAN, T_25C));
    CHECK_STATUS(LITHOS_ERROR_OUT_OF_RANGE, lithos_pack_reset(pack, 0.5, 10.0));
    CHECK_STATUS(LITHOS_ERROR_NULL_ARGUMENT, lithos_pack_reset(NULL, 0.5, T_25C));
    CHECK_UNCHANGED(pack, size);
    CHECK_OK(lithos_pack_reset(pack, 0.5, T_25C));
    CHECK_OK(lithos_pack_get_output(pack, &out));
    CHECK(out.time_s == 0 && out.discharged_charge_Ah == 0);
    CHECK(fabs(out.soc - 0.5) < 0.02);
    lithos_pack_destroy(pack);
}

static void test_cut_off(void) {
    lithos_pack *pack = NULL;
    lithos_pack_output out;
    lithos_status status = LITHOS_OK;
    int k;

    REQUIRE_OK(lithos_pack_create(PACK(2, 2, ""), &pack));
    CHECK_OK(lithos_pack_reset(pack, 0.1, T_25C));
    out.struct_size = sizeof out;
    for (k = 0; k < 100 && status == LITHOS_OK; k++) status = lithos_pack_step(pack, 150.0, 1.0, T_25C, &out);
    CHECK(status == LITHOS_LIMIT_REACHED);
    CHECK((out.limit_flags & LITHOS_LIMIT_VOLTAGE_LOW) != 0);
    CHECK((out.limit_flags & LITHOS_PACK_LIMIT_VOLTAGE_LOW) != 0);
    CHECK(out.split_current_residual_A <= 150e-9);
    lithos_pack_destroy(pack);
}

int main(int argc, char **argv) {
    (void)argc;
    test_create_and_info();
    test_split_and_series();
    test_values_and_names();
    test_step_errors_leave_pack_unchanged();
    test_balancing_and_faults();
    test_run_reset_snapshots_config();
    test_cut_off();
    return check_summary(argv[0]);
}
