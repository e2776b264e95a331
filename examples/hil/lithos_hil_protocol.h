/*
 * lithos_hil_protocol.h — the datagrams between `lithos emulate` (the HIL cell emulator) and a
 * BMS, version 1. docs/hil.md describes the protocol; this header is its reference layout.
 *
 * Every datagram is one UDP payload of a fixed size per type, little-endian, fields at the byte
 * offsets noted (the structs have no padding: every field sits at a multiple of its size, which
 * the static checks at the bottom prove on the compiling host). A receiver checks the size, the
 * magic, the version, the type and the payload_size before it reads anything else; a datagram
 * that fails a check is counted and dropped. On a big-endian host, byte-swap every field (the
 * emulator encodes and decodes byte by byte, so it does not care about the host's order).
 *
 * Strict C99; no dependency on lithos.h.
 */
#ifndef LITHOS_HIL_PROTOCOL_H
#define LITHOS_HIL_PROTOCOL_H

#include <stdint.h>

#define LHIL_MAGIC 0x4C49484Cu        /* the bytes 'L' 'H' 'I' 'L' read as a little-endian u32 */
#define LHIL_VERSION 1u

#define LHIL_MAX_CHANNELS 128u        /* voltage channels (series groups) a datagram carries */
#define LHIL_MAX_CELLS 256u           /* temperature channels (cells) a datagram carries */
#define LHIL_SNAPSHOT_SLOTS 8u        /* in-memory snapshot slots of the emulator */
#define LHIL_NAME_BYTES 64u           /* snapshot file names, reply messages (NUL-padded) */

typedef enum lhil_type {
    LHIL_COMMAND = 1,      /* BMS → emulator: pack current, balancing */
    LHIL_MEASUREMENT = 2,  /* emulator → BMS: once per tick, to the last COMMAND's sender */
    LHIL_FAULT = 3,        /* BMS/test rig → emulator: inject or clear a lithos_pack fault */
    LHIL_SNAPSHOT = 4,     /* BMS/test rig → emulator: save or restore the pack state */
    LHIL_STOP = 5,         /* → emulator: finish the run (summary, exit 0) */
    LHIL_REPLY = 6         /* emulator → sender of a FAULT, SNAPSHOT or STOP: its result */
} lhil_type;

/* Every datagram starts with this header (16 bytes). */
typedef struct lhil_header {
    uint32_t magic;         /*  0: LHIL_MAGIC */
    uint16_t version;       /*  4: LHIL_VERSION */
    uint16_t type;          /*  6: lhil_type */
    uint32_t sequence;      /*  8: sender's counter, +1 per datagram it sends */
    uint32_t payload_size;  /* 12: bytes after the header = sizeof(datagram) − 16 */
} lhil_header;

/* LHIL_COMMAND (160 bytes). The emulator applies the newest command (highest sequence from the
 * current client; an older sequence arriving late is ignored) at the start of its next tick and
 * holds it until the next one. The sender becomes the address MEASUREMENTs go to. */
#define LHIL_COMMAND_BALANCING_VALID 1u   /* flags: apply balancing[] (else keep the current mask) */
typedef struct lhil_command {
    lhil_header header;               /*   0 */
    double current_A;                 /*  16: pack current [A], discharge positive, finite, |I| ≤ 1e6 */
    uint32_t ack_sequence;            /*  24: sequence of the last MEASUREMENT the BMS processed */
    uint32_t flags;                   /*  28: LHIL_COMMAND_* */
    uint8_t balancing[LHIL_MAX_CHANNELS]; /* 32: 1 = close channel s's bleed resistor, 0 = open; only
                                           the pack's Ns first are used, the rest must be 0 */
} lhil_command;

/* Bits of lhil_measurement.status. */
#define LHIL_STATUS_CONTACTOR_OPEN  (1u << 0)  /* the contactor-open fault is in force */
#define LHIL_STATUS_LIMIT_REACHED   (1u << 1)  /* a cell or the pack crossed a limit in this tick */
#define LHIL_STATUS_STEP_REJECTED   (1u << 2)  /* the commanded current was refused (out of range);
                                                  this tick stepped at 0 A */
#define LHIL_STATUS_LATE            (1u << 3)  /* this tick started more than one period late */

/* LHIL_MEASUREMENT (1776 bytes): what the BMS's sensors read after the tick's step. */
typedef struct lhil_measurement {
    lhil_header header;               /*    0 */
    double time_s;                    /*   16: emulator (model) time = step × period [s] */
    uint64_t step;                    /*   24: ticks stepped since start */
    double pack_voltage_V;            /*   32: pack terminal voltage [V] */
    double pack_current_A;            /*   40: true pack current of the step [A] (0 with the contactor open) */
    double measured_current_A;        /*   48: what the pack current sensor reads [A] */
    double balancing_current_A;       /*   56: sum of the bleed currents [A] */
    uint32_t limit_flags;             /*   64: lithos_pack_output.limit_flags */
    uint32_t active_faults;           /*   68: bit (1 << lithos_pack_fault) per fault in force */
    uint32_t status;                  /*   72: LHIL_STATUS_* */
    uint32_t command_sequence;        /*   76: sequence of the COMMAND in force (0 = none yet) */
    uint32_t channel_count;           /*   80: Ns (valid entries of voltage_V, balancing) */
    uint32_t cell_count;              /*   84: Ns·Np (valid entries of temperature_K) */
    uint64_t missed_deadlines;        /*   88: periods skipped because a tick was late by > 1 period */
    uint32_t jitter_p50_us;           /*   96: wake-up lateness since start, median [µs] */
    uint32_t jitter_p99_us;           /*  100: 99th percentile [µs] */
    uint32_t jitter_max_us;           /*  104: largest [µs] */
    uint32_t rejected_datagrams;      /*  108: malformed, short, wrong-version or invalid datagrams so far */
    float voltage_V[LHIL_MAX_CHANNELS];   /*  112: measured channel voltages [V] (sensor faults applied) */
    float temperature_K[LHIL_MAX_CELLS];  /*  624: measured cell temperatures [K] (sensor faults applied) */
    uint8_t balancing[LHIL_MAX_CHANNELS]; /* 1648: 1 = channel s's bleed resistor is closed */
} lhil_measurement;

/* LHIL_FAULT (40 bytes). kind, index and value as lithos_pack_inject_fault (lithos.h section 9);
 * the emulator answers with a REPLY. */
typedef enum lhil_fault_action {
    LHIL_FAULT_INJECT = 1,
    LHIL_FAULT_CLEAR = 2,             /* clears kind at index */
    LHIL_FAULT_CLEAR_ALL = 3          /* kind, index, value ignored */
} lhil_fault_action;
typedef struct lhil_fault {
    lhil_header header;               /*  0 */
    uint32_t action;                  /* 16: lhil_fault_action */
    uint32_t kind;                    /* 20: lithos_pack_fault */
    uint32_t index;                   /* 24: cell, channel or wire */
    uint32_t reserved;                /* 28: 0 */
    double value;                     /* 32: per kind (Ω, V, K, W, A or a fraction) */
} lhil_fault;

/* LHIL_SNAPSHOT (88 bytes). With an empty name the state goes to / comes from memory slot `slot`
 * (0 … LHIL_SNAPSHOT_SLOTS−1); with a name, to / from the file of that name in the emulator's
 * --snapshot-dir (letters, digits, '.', '-', '_'; not starting with '.'). The emulator answers
 * with a REPLY. A restore also restores the model time, balancing and faults. */
typedef enum lhil_snapshot_action {
    LHIL_SNAPSHOT_SAVE = 1,
    LHIL_SNAPSHOT_RESTORE = 2
} lhil_snapshot_action;
typedef struct lhil_snapshot {
    lhil_header header;               /*  0 */
    uint32_t action;                  /* 16: lhil_snapshot_action */
    uint32_t slot;                    /* 20: memory slot when name is empty */
    char name[LHIL_NAME_BYTES];       /* 24: file name, NUL-padded (all NUL = memory slot) */
} lhil_snapshot;

/* LHIL_STOP (16 bytes): the header alone. */
typedef struct lhil_stop {
    lhil_header header;
} lhil_stop;

/* LHIL_REPLY (96 bytes): the result of a FAULT, SNAPSHOT or STOP, sent to its sender. */
typedef struct lhil_reply {
    lhil_header header;               /*  0 */
    uint32_t request_type;            /* 16: lhil_type answered */
    uint32_t request_sequence;        /* 20: its sequence */
    int32_t status;                   /* 24: lithos_status (0 = done) */
    uint32_t step;                    /* 28: tick at which it was applied (low 32 bits) */
    char message[LHIL_NAME_BYTES];    /* 32: NUL-padded text (the error message when status ≠ 0) */
} lhil_reply;

/* The layout is part of the protocol: these fail to compile where it does not hold. */
typedef char lhil_check_header[sizeof(lhil_header) == 16 ? 1 : -1];
typedef char lhil_check_command[sizeof(lhil_command) == 160 ? 1 : -1];
typedef char lhil_check_measurement[sizeof(lhil_measurement) == 1776 ? 1 : -1];
typedef char lhil_check_fault[sizeof(lhil_fault) == 40 ? 1 : -1];
typedef char lhil_check_snapshot[sizeof(lhil_snapshot) == 88 ? 1 : -1];
typedef char lhil_check_stop[sizeof(lhil_stop) == 16 ? 1 : -1];
typedef char lhil_check_reply[sizeof(lhil_reply) == 96 ? 1 : -1];

#endif /* LITHOS_HIL_PROTOCOL_H */
