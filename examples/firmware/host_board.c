/*
 * host_board.c — the board functions of bms_loop.c on a PC, and checks of lithos_fw.h
 * (scripts/firmware builds lithos_fw.o for the host, links this with bms_loop.c and runs it).
 *
 * Checks: the API's errors (NULL, storage too small, dt <= 0, NaN reading flagged); the
 * storage bound of the generated header; an EKF fed its own predicted voltage follows Coulomb
 * counting (SOC drop = I·t/Q); updates allocate nothing (storage in use and allocation count
 * constant after init); and the BMS loop runs to the end without a protective fault.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lithos_fw.h"
#include "default_cell_config.h"

int32_t bms_run(float stored_soc);

static int failures = 0;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

/* --- the simulated board: 0.5C discharge at 25 °C for 60 s, 10 Hz --- */
static int ticks = 0, contactor_opened = 0, errors = 0;
static float last_soc = -1.0f;
int board_wait_for_tick(void) { return ticks++ < 600; }
void board_read_cell(float *current_A, float *voltage_V, float *temperature_K)
{
    *current_A = 0.15f;
    *voltage_V = 3.9f - 0.0005f * (float)ticks;
    *temperature_K = (ticks == 300) ? NAN : 298.15f;     /* one failed temperature reading */
}
void board_publish(float soc, float soc_std, float energy_Wh, uint32_t active_faults)
{
    (void)soc_std; (void)energy_Wh; (void)active_faults;
    last_soc = soc;
}
void board_set_current_limits(float discharge_A, float charge_A) { CHECK(discharge_A >= 0.0f && charge_A >= 0.0f); }
void board_open_contactor(uint32_t faults) { fprintf(stderr, "contactor opened: faults 0x%x\n", faults); contactor_opened++; }
void board_report_error(int32_t status) { fprintf(stderr, "lithos_fw error %d\n", status); errors++; }

static _Alignas(16) unsigned char storage[LITHOS_FW_CONFIG_DEFAULT_CELL_STORAGE_BYTES];

int main(void)
{
    const float *config = lithos_fw_config_default_cell;
    const size_t count = LITHOS_FW_CONFIG_DEFAULT_CELL_COUNT;
    lithos_fw_estimator *e = NULL;
    lithos_fw_estimate s;
    size_t needed = 0, used = 0, used_after = 0, allocations = 0, allocations_after = 0;

    /* Sizes and errors. */
    CHECK(lithos_fw_estimator_storage_size(config, count, &needed) == LITHOS_FW_OK);
    CHECK(needed <= sizeof storage);
    CHECK(lithos_fw_estimator_init(storage, needed - 1, config, count, &e) == LITHOS_FW_ERROR_STORAGE_TOO_SMALL && e == NULL);
    CHECK(lithos_fw_estimator_init(NULL, sizeof storage, config, count, &e) == LITHOS_FW_ERROR_NULL_ARGUMENT);
    CHECK(lithos_fw_estimator_init(storage, sizeof storage, config, count - 1, &e) == LITHOS_FW_ERROR_CONFIG);
    CHECK(lithos_fw_estimator_update(NULL, 0, 3.7f, 298.15f, 1) == LITHOS_FW_ERROR_NULL_ARGUMENT);

    /* An EKF fed its own predicted voltage: SOC follows the charge drawn. */
    CHECK(lithos_fw_estimator_init(storage, sizeof storage, config, count, &e) == LITHOS_FW_OK && e != NULL);
    CHECK(lithos_fw_estimator_storage_used(e, &used, &allocations) == LITHOS_FW_OK);
    CHECK(used <= needed);
    CHECK(lithos_fw_estimator_reset(e, 0.8f, 0.01f) == LITHOS_FW_OK);
    CHECK(lithos_fw_estimator_reset(e, 2.0f, 0.01f) == LITHOS_FW_ERROR_OUT_OF_RANGE);
    CHECK(lithos_fw_estimator_get_estimate(e, &s) == LITHOS_FW_OK);
    const float soc0 = s.soc, capacity_Ah = s.capacity_Ah, current_A = 0.3f, dt_s = 1.0f;
    float voltage_V = s.predicted_voltage_V;
    for (int k = 0; k < 1200; k++) {
        /* The voltage the model predicts for this step's current: the prediction at rest less R0·I. */
        CHECK(lithos_fw_estimator_update(e, current_A, voltage_V, 298.15f, dt_s) == LITHOS_FW_OK);
        CHECK(lithos_fw_estimator_get_estimate(e, &s) == LITHOS_FW_OK);
        voltage_V = s.predicted_voltage_V;
    }
    const float expected = soc0 - current_A * 1200.0f / 3600.0f / capacity_Ah;
    printf("  host: SOC %.4f after 1200 s at %.2f A (Coulomb count %.4f), innovation %.2g V, storage %zu of %zu B, %zu allocations\n",
           s.soc, current_A, expected, s.innovation_V, used, needed, allocations);
    CHECK(fabsf(s.soc - expected) < 0.01f);
    CHECK((s.active_faults & (LITHOS_FW_FAULT_OVER_VOLTAGE | LITHOS_FW_FAULT_UNDER_VOLTAGE | LITHOS_FW_FAULT_OVER_CURRENT)) == 0);
    CHECK(s.discharge_current_limit_A[0] > 0.0f && s.discharge_power_limit_W[1] > 0.0f);
    CHECK(s.time_s == 1200.0f);
    CHECK(lithos_fw_estimator_update(e, current_A, NAN, 298.15f, dt_s) == LITHOS_FW_OK);
    CHECK(lithos_fw_estimator_get_estimate(e, &s) == LITHOS_FW_OK && (s.active_faults & LITHOS_FW_FAULT_MEASUREMENT_SKIPPED));
    CHECK(lithos_fw_estimator_update(e, current_A, 3.7f, 298.15f, 0.0f) == LITHOS_FW_ERROR_INVALID_ARGUMENT);
    CHECK(lithos_fw_estimator_clear_latched_faults(e) == LITHOS_FW_OK);
    /* Updates allocate nothing. */
    CHECK(lithos_fw_estimator_storage_used(e, &used_after, &allocations_after) == LITHOS_FW_OK);
    CHECK(used_after == used && allocations_after == allocations);

    /* The BMS loop of bms_loop.c. */
    CHECK(bms_run(0.9f) == LITHOS_FW_OK);
    printf("  host: bms_loop ran %d ticks, SOC %.4f, %d errors, contactor opened %d times\n", ticks - 1, last_soc, errors, contactor_opened);
    CHECK(errors == 0 && contactor_opened == 0 && last_soc > 0.0f && last_soc < 1.0f);

    if (failures) fprintf(stderr, "host firmware test: %d checks failed\n", failures);
    return failures ? 1 : 0;
}
