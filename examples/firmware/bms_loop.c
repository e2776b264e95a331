/*
 * bms_loop.c — the BMS loop a firmware engineer writes around lithos_fw.h.
 *
 * One cell, one estimator, 10 Hz. The estimator and its tables live in a static array sized
 * by the generated configuration header; there is no heap. Each tick: read the sensors,
 * update, then act on the estimate — publish SOC, clamp the pack's current to the 10 s power
 * limit (SOP), open the contactor on a protective fault.
 *
 * The board_* functions are the firmware's own (ADC, CAN, GPIO, timer); host_board.c
 * provides them for a test run on the host. scripts/firmware compiles this file for the host
 * (and runs it) and, freestanding, for armv7em (Cortex-M4F, hard float) and riscv32.
 */
#include <stdint.h>
#include <stddef.h>

#include "lithos_fw.h"
#include "default_cell_config.h"   /* generated on the host: the blob, its length, storage size */

/* Board support (provided by the firmware). */
void board_read_cell(float *current_A, float *voltage_V, float *temperature_K);
void board_publish(float soc, float soc_std, float energy_Wh, uint32_t active_faults);
void board_set_current_limits(float discharge_A, float charge_A);
void board_open_contactor(uint32_t faults);
int board_wait_for_tick(void);            /* blocks until the next tick; 0 stops the loop */
void board_report_error(int32_t status);

/* Update period [s]. */
#define BMS_PERIOD_S 0.1f

/* Faults that open the contactor (the others are warnings for the pack controller). */
#define BMS_PROTECTIVE_FAULTS (LITHOS_FW_FAULT_OVER_VOLTAGE | LITHOS_FW_FAULT_UNDER_VOLTAGE | \
                               LITHOS_FW_FAULT_OVER_CURRENT | LITHOS_FW_FAULT_OVER_TEMPERATURE | \
                               LITHOS_FW_FAULT_UNDER_TEMPERATURE | LITHOS_FW_FAULT_DENDRITE_RISK)

/* The estimator's storage: static, aligned, sized for this configuration. */
static _Alignas(LITHOS_FW_STORAGE_ALIGNMENT) unsigned char estimator_storage[LITHOS_FW_CONFIG_DEFAULT_CELL_STORAGE_BYTES];

/* Runs the loop until board_wait_for_tick() returns 0; returns the last status. */
int32_t bms_run(float stored_soc)
{
    lithos_fw_estimator *estimator = NULL;
    lithos_fw_estimate estimate;
    int32_t status = lithos_fw_estimator_init(estimator_storage, sizeof estimator_storage,
                                              lithos_fw_config_default_cell, LITHOS_FW_CONFIG_DEFAULT_CELL_COUNT,
                                              &estimator);
    if (status != LITHOS_FW_OK) {
        board_report_error(status);
        return status;
    }
    /* Start from the SOC stored at the last shutdown (flash), trusted to 5 points. */
    if (stored_soc >= 0.0f && stored_soc <= 1.0f) {
        status = lithos_fw_estimator_reset(estimator, stored_soc, 0.05f);
        if (status != LITHOS_FW_OK) board_report_error(status);
    }
    while (board_wait_for_tick()) {
        float current_A, voltage_V, temperature_K;
        board_read_cell(&current_A, &voltage_V, &temperature_K);   /* NaN for a failed reading */
        status = lithos_fw_estimator_update(estimator, current_A, voltage_V, temperature_K, BMS_PERIOD_S);
        if (status != LITHOS_FW_OK) {
            board_report_error(status);
            continue;
        }
        lithos_fw_estimator_get_estimate(estimator, &estimate);
        board_publish(estimate.soc, estimate.soc_std, estimate.energy_Wh, estimate.active_faults);
        /* SOP: the pack may draw what the cell sustains for the next 10 s. */
        board_set_current_limits(estimate.discharge_current_limit_A[1], estimate.charge_current_limit_A[1]);
        if (estimate.active_faults & BMS_PROTECTIVE_FAULTS) board_open_contactor(estimate.active_faults);
    }
    return status;
}
