/*
 * bms_client.c — a small BMS for the Lithos HIL emulator (`lithos emulate`), in strict C99 with
 * POSIX sockets. It links liblithos only for the estimator: the pack is on the other side of
 * the UDP link (protocol: lithos_hil_protocol.h, docs/hil.md).
 *
 *   1. builds an ECM of the pack's cell from its design (lithos_model_create, kind "ecm" →
 *      lithos_model_parameters_json) and, at the first measurement (the pack at rest), one
 *      lithos_estimator (EKF) per voltage channel, started at the SOC whose OCV is the channel's
 *      rest voltage (σ 0.05), or at --initial-soc with σ 0.2 when --no-ocv-start is given;
 *   2. sends COMMANDs with a current profile (pulses at --c-rate of the pack: on for --pulse-s,
 *      rest for --pulse-s) and reads the emulator's MEASUREMENTs;
 *   3. updates each channel's estimator with the channel voltage, the per-cell share of the
 *      measured pack current (plus the channel's bleed current when its resistor is closed) and
 *      the group's mean temperature, with dt from the emulator time;
 *   4. closes the bleed resistor of the highest-SOC channel while the SOC spread exceeds
 *      --balance-threshold;
 *   5. optionally injects a fault (--fault KIND:INDEX:VALUE at --fault-at-s), sends malformed
 *      datagrams (--malformed N: the emulator must count and drop them) and STOP (--stop);
 *   6. prints SOC ± σ per channel and a JSON summary (--json FILE).
 *
 * Exit status: 0 when measurements arrived and every estimate is finite; 1 otherwise; 2 for a
 * wrong command line.
 *
 * Usage: example_hil_client --port P --cell CELL.json [--host 127.0.0.1] [--duration-s 3]
 *            [--c-rate 0.5] [--pulse-s 1] [--initial-soc 0.5 --no-ocv-start] [--balance-threshold 0.005]
 *            [--bleed-ohm 330] [--fault KIND:INDEX:VALUE] [--fault-at-s 1] [--malformed N]
 *            [--stop] [--json FILE]
 * Build: cc -std=c99 bms_client.c $(pkg-config --cflags --libs lithos)   (a little-endian host)
 */
#define _POSIX_C_SOURCE 200112L
#include <lithos.h>

#include "lithos_hil_protocol.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHANNELS LHIL_MAX_CHANNELS

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

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* SOC whose open-circuit voltage is voltage_V at temperature_K, by bisection on the cell's ECM
 * (lithos_model_reset puts it at rest at a SOC; its output then carries the OCV). This is the
 * BMS's power-up estimate from a rested cell; NaN if the model refuses. */
static double soc_from_rest_voltage(lithos_model *model, double voltage_V, double temperature_K) {
    lithos_model_output out;
    double lo = 0, hi = 1;
    int k;
    out.struct_size = sizeof out;
    for (k = 0; k < 40; k++) {
        double mid = 0.5 * (lo + hi);
        if (lithos_model_reset(model, mid, temperature_K) != LITHOS_OK || lithos_model_get_output(model, &out) != LITHOS_OK)
            return NAN;
        if (out.open_circuit_voltage_V < voltage_V) lo = mid; else hi = mid;
    }
    return 0.5 * (lo + hi);
}

static uint32_t tx_sequence = 0;

static void header(lhil_header *h, lhil_type type, size_t size) {
    h->magic = LHIL_MAGIC;
    h->version = LHIL_VERSION;
    h->type = (uint16_t)type;
    h->sequence = ++tx_sequence;
    h->payload_size = (uint32_t)(size - sizeof(lhil_header));
}

static int send_all(int fd, const void *datagram, size_t size) {
    return send(fd, datagram, size, 0) == (ssize_t)size ? 0 : -1;
}

typedef struct options {
    const char *host, *cell_path, *json_path;
    int port, malformed, stop, ocv_start;
    double duration_s, c_rate, pulse_s, initial_soc, balance_threshold, bleed_ohm, fault_at_s;
    int fault_kind, fault_index;
    double fault_value;
} options;

static int parse(int argc, char **argv, options *o) {
    int i;
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->duration_s = 3; o->c_rate = 0.5; o->pulse_s = 1; o->initial_soc = 0.5;
    o->balance_threshold = 0.005; o->bleed_ohm = 330; o->fault_at_s = 1; o->fault_kind = -1; o->ocv_start = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--stop") == 0) { o->stop = 1; continue; }
        if (strcmp(a, "--no-ocv-start") == 0) { o->ocv_start = 0; continue; }
        if (v == NULL) { fprintf(stderr, "option %s needs a value\n", a); return -1; }
        i++;
        if (strcmp(a, "--port") == 0) o->port = atoi(v);
        else if (strcmp(a, "--host") == 0) o->host = v;
        else if (strcmp(a, "--cell") == 0) o->cell_path = v;
        else if (strcmp(a, "--json") == 0) o->json_path = v;
        else if (strcmp(a, "--duration-s") == 0) o->duration_s = atof(v);
        else if (strcmp(a, "--c-rate") == 0) o->c_rate = atof(v);
        else if (strcmp(a, "--pulse-s") == 0) o->pulse_s = atof(v);
        else if (strcmp(a, "--initial-soc") == 0) o->initial_soc = atof(v);
        else if (strcmp(a, "--balance-threshold") == 0) o->balance_threshold = atof(v);
        else if (strcmp(a, "--bleed-ohm") == 0) o->bleed_ohm = atof(v);
        else if (strcmp(a, "--fault-at-s") == 0) o->fault_at_s = atof(v);
        else if (strcmp(a, "--malformed") == 0) o->malformed = atoi(v);
        else if (strcmp(a, "--fault") == 0) {
            if (sscanf(v, "%d:%d:%lf", &o->fault_kind, &o->fault_index, &o->fault_value) != 3 || o->fault_kind < 0) {
                fprintf(stderr, "--fault takes KIND:INDEX:VALUE (lithos_pack_fault code, e.g. 5:0:10)\n");
                return -1;
            }
        } else { fprintf(stderr, "unknown option %s\n", a); return -1; }
    }
    if (o->port <= 0 || o->port > 65535 || o->cell_path == NULL || !(o->duration_s > 0) || !(o->pulse_s > 0) ||
        !(o->bleed_ohm > 0)) {
        fprintf(stderr, "usage: example_hil_client --port P --cell CELL.json [--host 127.0.0.1] [--duration-s 3] "
                        "[--c-rate 0.5] [--pulse-s 1] [--initial-soc 0.5 --no-ocv-start] [--balance-threshold 0.005] "
                        "[--bleed-ohm 330] [--fault KIND:INDEX:VALUE] [--fault-at-s 1] [--malformed N] [--stop] [--json FILE]\n");
        return -1;
    }
    return 0;
}

/* Sends n malformed datagrams of different kinds: short, wrong magic, wrong version, unknown
 * type, wrong size, NaN current. */
static void send_malformed(int fd, int n) {
    int k;
    for (k = 0; k < n; k++) {
        lhil_command c;
        unsigned char junk[7] = {1, 2, 3, 4, 5, 6, 7};
        memset(&c, 0, sizeof c);
        header(&c.header, LHIL_COMMAND, sizeof c);
        switch (k % 6) {
        case 0: (void)send(fd, junk, sizeof junk, 0); continue;
        case 1: c.header.magic = 0x12345678u; break;
        case 2: c.header.version = 99; break;
        case 3: c.header.type = 77; break;
        case 4: (void)send(fd, &c, sizeof c - 1, 0); continue;
        default: c.current_A = nan(""); break;
        }
        (void)send_all(fd, &c, sizeof c);
    }
}

int main(int argc, char **argv) {
    options o;
    char *design = NULL, *ecm = NULL, *config = NULL;
    lithos_model *model = NULL;
    lithos_model_info info;
    lithos_estimator *estimators[MAX_CHANNELS] = {0};
    lithos_estimate estimate[MAX_CHANNELS];
    size_t ecm_length = 0, channels = 0, cells = 0, parallel = 1, s;
    int fd = -1, status = 1, started = 0, fault_sent = 0, fault_replied = 0, fault_seen = 0;
    long measurements = 0, updates = 0, balancing_commands = 0, replies = 0, dropped = 0;
    double last_time = 0, t0, capacity_pack = 0, max_bleed = 0, temperature0_before = NAN, temperature0_after = NAN;
    unsigned char bleed[MAX_CHANNELS] = {0};
    uint32_t last_measurement_sequence = 0, missed = 0, rejected = 0, p50 = 0, p99 = 0, jmax = 0, endian = 1;
    struct sockaddr_in emulator;
    struct timeval timeout;
    union { lhil_measurement m; lhil_reply r; unsigned char bytes[4096]; } rx;

    if (parse(argc, argv, &o) != 0) return 2;
    if (*(unsigned char *)&endian != 1) { fprintf(stderr, "error: this example assumes a little-endian host\n"); return 1; }

    /* 1. The cell's ECM (from its design) → the estimator configuration. */
    design = read_file(o.cell_path);
    if (design == NULL) goto done;
    if (failed(lithos_model_create(design, "{\"kind\": \"ecm\", \"rc_pairs\": 2}", &model), "lithos_model_create")) goto done;
    info.struct_size = sizeof info;
    if (failed(lithos_model_get_info(model, &info), "lithos_model_get_info")) goto done;
    (void)lithos_model_parameters_json(model, NULL, 0, &ecm_length);
    ecm = malloc(ecm_length + 1);
    if (ecm == NULL || failed(lithos_model_parameters_json(model, ecm, ecm_length + 1, NULL), "lithos_model_parameters_json")) goto done;
    config = malloc(ecm_length + 256);
    if (config == NULL) goto done;

    /* 2. The socket, "connected" to the emulator (only its datagrams are received). */
    memset(&emulator, 0, sizeof emulator);
    emulator.sin_family = AF_INET;
    emulator.sin_port = htons((unsigned short)o.port);
    if (inet_pton(AF_INET, o.host, &emulator.sin_addr) != 1) { fprintf(stderr, "error: bad --host %s\n", o.host); goto done; }
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&emulator, sizeof emulator) != 0) {
        fprintf(stderr, "error: socket/connect: %s\n", strerror(errno));
        goto done;
    }
    timeout.tv_sec = 0;
    timeout.tv_usec = 200000;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

    printf("cell ECM: %.4f Ah per cell, %.2f-%.2f V\n", info.capacity_Ah, info.minimum_voltage_V, info.maximum_voltage_V);

    t0 = now_s();
    {   /* announce ourselves: a 0 A command */
        lhil_command c;
        memset(&c, 0, sizeof c);
        header(&c.header, LHIL_COMMAND, sizeof c);
        (void)send_all(fd, &c, sizeof c);
    }
    if (o.malformed > 0) send_malformed(fd, o.malformed);

    while (now_s() - t0 < o.duration_s) {
        ssize_t n = recv(fd, rx.bytes, sizeof rx.bytes, 0);
        double elapsed = now_s() - t0, current;
        lhil_command c;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                lhil_command hello;   /* nothing for 200 ms: (re)announce ourselves */
                memset(&hello, 0, sizeof hello);
                header(&hello.header, LHIL_COMMAND, sizeof hello);
                (void)send_all(fd, &hello, sizeof hello);
                continue;
            }
            fprintf(stderr, "error: recv: %s\n", strerror(errno));
            break;
        }
        if ((size_t)n < sizeof(lhil_header) || rx.m.header.magic != LHIL_MAGIC || rx.m.header.version != LHIL_VERSION) {
            dropped++;
            continue;
        }
        if (rx.m.header.type == LHIL_REPLY && (size_t)n == sizeof(lhil_reply)) {
            replies++;
            rx.r.message[LHIL_NAME_BYTES - 1] = '\0';
            printf("reply to type %u #%u: status %d (%s)\n", rx.r.request_type, rx.r.request_sequence, rx.r.status, rx.r.message);
            if (rx.r.request_type == LHIL_FAULT && rx.r.status == 0) fault_replied = 1;
            continue;
        }
        if (rx.m.header.type != LHIL_MEASUREMENT || (size_t)n != sizeof(lhil_measurement) ||
            rx.m.header.payload_size != sizeof(lhil_measurement) - sizeof(lhil_header) ||
            rx.m.channel_count == 0 || rx.m.channel_count > LHIL_MAX_CHANNELS || rx.m.cell_count > LHIL_MAX_CELLS ||
            rx.m.cell_count % rx.m.channel_count != 0) {
            dropped++;
            continue;
        }
        measurements++;
        last_measurement_sequence = rx.m.header.sequence;
        missed = (uint32_t)rx.m.missed_deadlines;
        rejected = rx.m.rejected_datagrams;
        p50 = rx.m.jitter_p50_us; p99 = rx.m.jitter_p99_us; jmax = rx.m.jitter_max_us;
        if (rx.m.balancing_current_A > max_bleed) max_bleed = rx.m.balancing_current_A;

        if (!started) {   /* the first measurement sizes the BMS: Ns channels of Np cells */
            channels = rx.m.channel_count;
            cells = rx.m.cell_count;
            parallel = cells / channels;
            capacity_pack = info.capacity_Ah * (double)parallel;
            for (s = 0; s < channels; s++) {
                double z0 = o.initial_soc, sigma0 = 0.2;
                if (o.ocv_start) {
                    double z = soc_from_rest_voltage(model, rx.m.voltage_V[s], rx.m.temperature_K[s * parallel]);
                    if (isfinite(z)) { z0 = z; sigma0 = 0.05; }
                }
                sprintf(config, "{\"ecm\": %s, \"algorithm\": \"ekf\", \"initial_soc\": %.6f, \"initial_soc_std\": %.3f}",
                        ecm, z0, sigma0);
                printf("channel %lu: rest voltage %.4f V -> initial SOC %.4f +/- %.2f\n", (unsigned long)s, rx.m.voltage_V[s],
                       z0, sigma0);
                if (failed(lithos_estimator_create(config, &estimators[s]), "lithos_estimator_create")) goto done;
                estimate[s].struct_size = sizeof estimate[s];
            }
            printf("pack: %lus%lup, %.4f Ah; %lu estimators\n", (unsigned long)channels, (unsigned long)parallel,
                   capacity_pack, (unsigned long)channels);
            last_time = rx.m.time_s;
            started = 1;
        } else if (rx.m.channel_count == channels && rx.m.cell_count == cells) {
            double dt = rx.m.time_s - last_time;
            last_time = rx.m.time_s;
            if (dt > 0 && dt <= 60) {
                for (s = 0; s < channels; s++) {
                    double temperature = 0, voltage = rx.m.voltage_V[s];
                    double i_cell = rx.m.measured_current_A / (double)parallel;
                    size_t p;
                    for (p = 0; p < parallel; p++) temperature += rx.m.temperature_K[s * parallel + p];
                    temperature /= (double)parallel;
                    if (rx.m.balancing[s]) i_cell += voltage / o.bleed_ohm / (double)parallel;
                    if (failed(lithos_estimator_update(estimators[s], i_cell, voltage, temperature, dt, &estimate[s]),
                               "lithos_estimator_update")) goto done;
                }
                updates++;
            }
        }

        /* The fault, and whether it shows: temperature sensor faults move cell k's reading. */
        if (o.fault_kind >= 0 && !fault_sent && elapsed >= o.fault_at_s) {
            lhil_fault f;
            memset(&f, 0, sizeof f);
            header(&f.header, LHIL_FAULT, sizeof f);
            f.action = LHIL_FAULT_INJECT;
            f.kind = (uint32_t)o.fault_kind;
            f.index = (uint32_t)o.fault_index;
            f.value = o.fault_value;
            if ((size_t)o.fault_index < cells) temperature0_before = rx.m.temperature_K[o.fault_index];
            (void)send_all(fd, &f, sizeof f);
            fault_sent = 1;
            printf("t %.3f s: injected fault %d at %d, value %g\n", elapsed, o.fault_kind, o.fault_index, o.fault_value);
        }
        if (fault_sent && (rx.m.active_faults & (1u << o.fault_kind))) {
            fault_seen = 1;
            if ((size_t)o.fault_index < cells) temperature0_after = rx.m.temperature_K[o.fault_index];
        }

        /* The next command: pulses at c_rate, and balancing of the highest-SOC channel. */
        memset(&c, 0, sizeof c);
        header(&c.header, LHIL_COMMAND, sizeof c);
        current = fmod(elapsed, 2 * o.pulse_s) < o.pulse_s ? o.c_rate * capacity_pack : 0;
        c.current_A = current;
        c.ack_sequence = last_measurement_sequence;
        c.flags = LHIL_COMMAND_BALANCING_VALID;
        memset(bleed, 0, sizeof bleed);
        if (started && updates > 0) {
            size_t hi = 0, lo = 0;
            for (s = 1; s < channels; s++) {
                if (estimate[s].soc > estimate[hi].soc) hi = s;
                if (estimate[s].soc < estimate[lo].soc) lo = s;
            }
            if (estimate[hi].soc - estimate[lo].soc > o.balance_threshold) bleed[hi] = 1;
        }
        memcpy(c.balancing, bleed, sizeof c.balancing);
        for (s = 0; s < channels; s++) balancing_commands += bleed[s];
        (void)send_all(fd, &c, sizeof c);
    }

    if (o.stop) {
        lhil_stop stop;
        header(&stop.header, LHIL_STOP, sizeof stop);
        (void)send_all(fd, &stop, sizeof stop);
    }

    /* 6. Results. */
    printf("\n%ld measurements, %ld estimator updates, %ld dropped, %ld replies; emulator: %u missed deadlines, "
           "lateness p50/p99/max %u/%u/%u us, %u rejected datagrams; largest bleed current %.4f A\n",
           measurements, updates, dropped, replies, missed, p50, p99, jmax, rejected, max_bleed);
    status = measurements > 0 && updates > 0 ? 0 : 1;
    if (status != 0) fprintf(stderr, "error: no measurements arrived\n");
    printf("channel  SOC      +/- sigma  R0 [mohm]\n");
    for (s = 0; s < channels && updates > 0; s++) {
        printf("%7lu  %.5f  %.5f    %.2f\n", (unsigned long)s, estimate[s].soc, estimate[s].soc_std,
               1e3 * estimate[s].series_resistance_ohm);
        if (!isfinite(estimate[s].soc) || !isfinite(estimate[s].soc_std)) {
            fprintf(stderr, "error: channel %lu: non-finite estimate\n", (unsigned long)s);
            status = 1;
        }
    }
    if (o.json_path != NULL) {
        FILE *j = fopen(o.json_path, "w");
        if (j == NULL) { fprintf(stderr, "error: cannot write %s\n", o.json_path); status = 1; goto done; }
        fprintf(j, "{\"measurements\": %ld, \"updates\": %ld, \"dropped\": %ld, \"replies\": %ld,\n", measurements, updates,
                dropped, replies);
        fprintf(j, " \"channels\": %lu, \"parallel\": %lu, \"missed_deadlines\": %u, \"rejected_datagrams\": %u,\n",
                (unsigned long)channels, (unsigned long)parallel, missed, rejected);
        fprintf(j, " \"jitter_us\": {\"p50\": %u, \"p99\": %u, \"max\": %u},\n", p50, p99, jmax);
        fprintf(j, " \"balancing_commands\": %ld, \"max_balancing_current_A\": %.9g,\n", balancing_commands, max_bleed);
        fprintf(j, " \"fault_sent\": %s, \"fault_replied\": %s, \"fault_seen\": %s,\n", fault_sent ? "true" : "false",
                fault_replied ? "true" : "false", fault_seen ? "true" : "false");
        fprintf(j, " \"fault_reading_before\": %.9g, \"fault_reading_after\": %.9g,\n",
                isfinite(temperature0_before) ? temperature0_before : -1.0,
                isfinite(temperature0_after) ? temperature0_after : -1.0);
        fprintf(j, " \"soc\": [");
        for (s = 0; s < channels && updates > 0; s++)
            fprintf(j, "%s%.9g", s ? ", " : "", isfinite(estimate[s].soc) ? estimate[s].soc : -1.0);
        fprintf(j, "],\n \"soc_std\": [");
        for (s = 0; s < channels && updates > 0; s++)
            fprintf(j, "%s%.9g", s ? ", " : "", isfinite(estimate[s].soc_std) ? estimate[s].soc_std : -1.0);
        fprintf(j, "]}\n");
        fclose(j);
    }

done:
    for (s = 0; s < MAX_CHANNELS; s++) lithos_estimator_destroy(estimators[s]);
    lithos_model_destroy(model);
    if (fd >= 0) close(fd);
    free(design);
    free(ecm);
    free(config);
    return status;
}
