/*
 * lithos.h — the one public C header of Lithos.
 *
 * Lithos simulates solid-state lithium batteries (SSBs) and estimates their state the way a
 * battery-management system does. The core is Swift; this header is the whole C interface.
 *
 * Conventions (they hold for every function below):
 *   - Units are SI (A, V, s, K, m, S/m, mol/m^3, kg, Pa, J) except capacity in A·h and state of
 *     charge as a fraction 0…1. Every name or doc comment states its unit.
 *   - Positive current = discharge.
 *   - Every function returns a lithos_status (LITHOS_OK = 0) and writes results through
 *     out-pointers. On any other status, lithos_last_error_message() explains the failure in
 *     words, the out-pointers are not written and every object passed in is left exactly as it was.
 *   - Strings returned as `const char *` from the materials database are static: valid for the
 *     lifetime of the process, never freed by the caller.
 *   - Strings returned as JSON are copied into a caller buffer (snprintf-style). Size query:
 *     buffer NULL, capacity 0 and out_length non-NULL returns LITHOS_OK with the length in
 *     *out_length; then pass a buffer of at least length + 1 bytes. The required length
 *     (excluding the terminating NUL) is written to *out_length (when not NULL) on success and
 *     on LITHOS_ERROR_BUFFER_TOO_SMALL (returned for any non-NULL buffer whose capacity is
 *     below length + 1, capacity 0 included), the one error that writes an out-pointer.
 *     A NULL buffer with a non-zero capacity is LITHOS_ERROR_NULL_ARGUMENT.
 *   - Structs that may grow carry `struct_size` as their first field: set it to sizeof(the
 *     struct) before the call. The library fills only the first struct_size bytes, so a program
 *     built against an older header keeps working with a newer library.
 *   - Threads: the library has no hidden global mutable state. Different handles may be used on
 *     different threads at the same time; one handle is used by one thread at a time.
 *     lithos_last_error_message() is per thread.
 *
 * Sections, from simple to advanced:
 *   1. Version and status
 *   2. Materials database (read-only, static)
 *   3. Cell design (lithos_cell handle, created from JSON)
 *   4. Cell models (lithos_model handle: step, batch run, reset, state snapshots)
 *   5. Experiments (lithos_experiment from protocol text, lithos_simulation_run, lithos_trace)
 *   6. State estimator (lithos_estimator handle: BMS-style SOC/SOH/SOP/SOE and safety monitor)
 *   7. Identification (cycler logs → OCV and ECM)
 *   8. Impedance spectra (equivalent-circuit fit, DRT)
 *   9. Packs (lithos_pack handle: Ns × Np cells, balancing, faults, measured values)
 */
#ifndef LITHOS_H
#define LITHOS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================================= */
/* 1. Version and status                                                                    */
/* ======================================================================================= */

#define LITHOS_VERSION_MAJOR 0
#define LITHOS_VERSION_MINOR 1
#define LITHOS_VERSION_PATCH 0
/* MAJOR*10000 + MINOR*100 + PATCH, comparable with lithos_version_number(). */
#define LITHOS_VERSION_NUMBER (LITHOS_VERSION_MAJOR * 10000 + LITHOS_VERSION_MINOR * 100 + LITHOS_VERSION_PATCH)

/* Temperatures accepted by every function that takes one [K]: -100 °C … 400 °C. Outside this
 * range a call returns LITHOS_ERROR_OUT_OF_RANGE. */
#define LITHOS_TEMPERATURE_MIN_K 173.15
#define LITHOS_TEMPERATURE_MAX_K 673.15

/* Status codes. 0 is success; every other value is an error with a message in
 * lithos_last_error_message(). Values are stable across versions. */
typedef enum lithos_status {
    LITHOS_OK = 0,
    LITHOS_ERROR_NULL_ARGUMENT = 1,     /* a required pointer argument was NULL */
    LITHOS_ERROR_INVALID_ARGUMENT = 2,  /* NaN, infinity, or a value of the wrong kind */
    LITHOS_ERROR_OUT_OF_RANGE = 3,      /* a finite value outside its physical/valid range */
    LITHOS_ERROR_PARSE = 4,             /* malformed JSON (the message gives line and column) */
    LITHOS_ERROR_CONFIG = 5,            /* well-formed JSON that does not describe a valid object */
    LITHOS_ERROR_NOT_FOUND = 6,         /* unknown material, property or index */
    LITHOS_ERROR_BUFFER_TOO_SMALL = 7,  /* output buffer too small; *out_length says how big */
    LITHOS_ERROR_STRUCT_SIZE = 8,       /* struct_size smaller than the oldest supported layout */
    LITHOS_ERROR_NOT_SUPPORTED = 9,     /* the operation does not apply to this object */
    LITHOS_ERROR_OUT_OF_MEMORY = 10,    /* allocation failed */
    LITHOS_ERROR_INTERNAL = 11,         /* a bug in Lithos: please report it with the message */
    /* Not an error: a model step was taken and its outputs written, but the cell crossed one
     * of its limits (voltage, SOC or temperature window); output.limit_flags says which. */
    LITHOS_LIMIT_REACHED = 100
} lithos_status;

/* The library version as "MAJOR.MINOR.PATCH". Static string; never NULL. */
const char *lithos_version(void);

/* The library version as MAJOR*10000 + MINOR*100 + PATCH (compare with LITHOS_VERSION_NUMBER
 * to detect a header/library mismatch). */
unsigned int lithos_version_number(void);

/* A static, human-readable name for a status code ("LITHOS_ERROR_PARSE: malformed JSON").
 * Unknown values give "unknown lithos_status". Never NULL. */
const char *lithos_status_string(lithos_status status);

/* The message of the most recent failed call on the calling thread: what went wrong and how to
 * fix it, e.g. "cell design: cathode.thickness_um must be > 0 (got -5)". Empty string when no
 * call has failed on this thread. The pointer stays valid until the next failing call on the
 * same thread. Successful calls do not clear it. Never NULL. */
const char *lithos_last_error_message(void);

/* ======================================================================================= */
/* 2. Materials database                                                                    */
/* ======================================================================================= */
/*
 * A static, read-only database of cathode active materials, solid electrolytes and anode
 * materials. Every number carries its unit and its citation (a reference review from
 * docs/references/SEED_DATA.md with file and line, or a primary paper). Names are looked up
 * case-insensitively and also accept aliases ("LPSCl" for Li6PS5Cl, "LLZTO" for Ta-doped LLZO).
 */

typedef enum lithos_material_role {
    LITHOS_ROLE_CATHODE = 1,            /* cathode active material (intercalation or conversion) */
    LITHOS_ROLE_SOLID_ELECTROLYTE = 2,  /* Li-ion conducting solid (or polymer) electrolyte */
    LITHOS_ROLE_ANODE = 3,              /* anode material: Li metal, alloy or intercalation host */
    LITHOS_ROLE_CURRENT_COLLECTOR = 4   /* current-collector foil (Al, Cu, Ni, stainless steel) */
} lithos_material_role;

/* One numeric property of a material. All strings are static. */
typedef struct lithos_material_property {
    size_t struct_size;       /* set to sizeof(lithos_material_property) before the call */
    const char *key;          /* stable identifier with unit suffix, e.g. "density_kg_per_m3" */
    double value;             /* the value, in `unit` */
    const char *unit;         /* unit of `value`, e.g. "kg/m^3", "S/m", "V", "mAh/g", "1" */
    const char *citation;     /* where the number comes from */
    const char *description;  /* one line saying what the number is */
} lithos_material_property;

/* Number of materials in the database. Errors: NULL_ARGUMENT. */
lithos_status lithos_material_count(size_t *out_count);

/* Canonical name of material `index` (0 ≤ index < count), static string.
 * Errors: NULL_ARGUMENT, NOT_FOUND (index out of range). */
lithos_status lithos_material_name(size_t index, const char **out_name);

/* Resolves a name or alias to its canonical name (static string). Errors: NULL_ARGUMENT,
 * NOT_FOUND (the message lists close matches). */
lithos_status lithos_material_lookup(const char *name, const char **out_canonical_name);

/* Role of a material. Errors: NULL_ARGUMENT, NOT_FOUND. */
lithos_status lithos_material_role_of(const char *name, lithos_material_role *out_role);

/* Number of numeric properties the material carries. Errors: NULL_ARGUMENT, NOT_FOUND. */
lithos_status lithos_material_property_count(const char *name, size_t *out_count);

/* Property `index` (0 ≤ index < property count) of a material.
 * Errors: NULL_ARGUMENT, NOT_FOUND (material or index), STRUCT_SIZE. */
lithos_status lithos_material_property_at(const char *name, size_t index,
                                          lithos_material_property *out_property);

/* Property by key (e.g. "ionic_conductivity_25C_S_per_m").
 * Errors: NULL_ARGUMENT, NOT_FOUND (material or key), STRUCT_SIZE. */
lithos_status lithos_material_property_get(const char *name, const char *key,
                                           lithos_material_property *out_property);

/* Li-ion conductivity of a solid electrolyte at temperature_K [K] → [S/m], from its Arrhenius
 * (ceramics, glasses) or Vogel–Tammann–Fulcher (polymers) law. A polymer at or below its ideal
 * glass temperature T0 does not conduct: the call succeeds with 0 S/m (a cell design using it
 * there reports LITHOS_ERROR_OUT_OF_RANGE from its metrics instead).
 * Errors: NULL_ARGUMENT, NOT_FOUND, NOT_SUPPORTED (not an electrolyte), INVALID_ARGUMENT (NaN/Inf),
 * OUT_OF_RANGE (temperature outside LITHOS_TEMPERATURE_MIN_K…MAX_K). */
lithos_status lithos_material_ionic_conductivity(const char *name, double temperature_K,
                                                 double *out_conductivity_S_per_m);

/* Open-circuit potential vs Li+/Li [V] of an active material at Li stoichiometry
 * `stoichiometry` (0…1, the fraction of the host's lithium sites filled) and temperature_K [K]:
 * U(θ, T) = U_ref(θ) + (T − 298.15 K)·dU/dT(θ). Li metal gives 0 V.
 * Errors: NULL_ARGUMENT, NOT_FOUND, NOT_SUPPORTED (electrolyte or collector), INVALID_ARGUMENT,
 * OUT_OF_RANGE (stoichiometry outside 0…1 or temperature outside the accepted range). */
lithos_status lithos_material_open_circuit_potential(const char *name, double stoichiometry,
                                                     double temperature_K, double *out_potential_V);

/* Entropic coefficient dU/dT [V/K] of an active material at `stoichiometry` (0…1); 0 where no
 * published value exists (the property list says which). Errors as for the potential. */
lithos_status lithos_material_entropic_coefficient(const char *name, double stoichiometry,
                                                   double *out_dUdT_V_per_K);

/* Solid-state Li diffusivity of an active material at temperature_K [K] → [m^2/s] (Arrhenius
 * from its 25 °C value). Errors: NULL_ARGUMENT, NOT_FOUND, NOT_SUPPORTED (no diffusivity),
 * INVALID_ARGUMENT, OUT_OF_RANGE. */
lithos_status lithos_material_diffusivity(const char *name, double temperature_K,
                                          double *out_diffusivity_m2_per_s);

/* The material as a JSON object (name, role, aliases, every property with unit and citation,
 * the laws it uses) written into `buffer` (NUL-terminated). Errors: NULL_ARGUMENT (name, or
 * buffer with capacity > 0), NOT_FOUND, BUFFER_TOO_SMALL (*out_length holds the needed length). */
lithos_status lithos_material_json(const char *name, char *buffer, size_t capacity,
                                   size_t *out_length);

/* The whole database as a JSON array of material objects (same form as lithos_material_json). */
lithos_status lithos_materials_json(char *buffer, size_t capacity, size_t *out_length);

/* ======================================================================================= */
/* 3. Cell design                                                                           */
/* ======================================================================================= */
/*
 * A cell design is a layered stack — anode (Li foil, anode-free, or a composite), solid-
 * electrolyte separator, composite cathode (CAM + SE + carbon + binder + porosity), current
 * collectors — with an electrode area and stack pressure, described in JSON. Keys carry their
 * unit as a suffix (thickness_um, area_cm2, stack_pressure_MPa); see docs/cell-design.md and
 * examples/cells/ for the schema. A lithos_cell is immutable once created.
 */

typedef struct lithos_cell lithos_cell;

/* Parses and validates a cell-design JSON document (NUL-terminated UTF-8) and creates a cell.
 * The caller owns *out_cell and frees it with lithos_cell_destroy().
 * Errors: NULL_ARGUMENT, PARSE (malformed JSON; message gives line:column), CONFIG (missing or
 * unknown key, wrong type, negative thickness, fractions not summing to 1, a composite whose
 * electrolyte network does not percolate, …), NOT_FOUND (unknown material name), OUT_OF_RANGE,
 * NOT_SUPPORTED (a material lacks a number the design needs). *out_cell is untouched on error. */
lithos_status lithos_cell_create(const char *design_json, lithos_cell **out_cell);

/* Frees a cell. NULL is accepted and ignored (returns LITHOS_OK). */
lithos_status lithos_cell_destroy(lithos_cell *cell);

/* Derived design metrics at one temperature. Fields are appended in later versions, never
 * reordered. Stack level = one unit cell: both current collectors, anode, separator, cathode. */
typedef struct lithos_cell_metrics {
    size_t struct_size;                         /* set to sizeof(lithos_cell_metrics) */
    double temperature_K;                       /* temperature the metrics were evaluated at [K] */
    double area_m2;                             /* electrode (footprint) area [m^2] */
    double theoretical_capacity_Ah;             /* cathode CAM mass × theoretical capacity [A·h] */
    double practical_capacity_Ah;               /* cathode CAM mass × practical capacity [A·h] */
    double areal_capacity_mAh_per_cm2;          /* practical capacity per area [mA·h/cm^2] */
    double np_ratio;                            /* negative/positive practical capacity; 0 for anode-free */
    double nominal_voltage_V;                   /* mean OCV over the practical window [V] */
    double energy_Wh;                           /* practical capacity × nominal voltage [W·h] */
    double stack_mass_kg;                       /* mass of all layers [kg] */
    double stack_thickness_m;                   /* thickness of all layers [m] */
    double specific_energy_Wh_per_kg;           /* energy / stack mass [W·h/kg] */
    double energy_density_Wh_per_L;             /* energy / stack volume [W·h/L] */
    double cathode_loading_kg_per_m2;           /* CAM mass per area [kg/m^2] */
    double separator_conductivity_S_per_m;      /* SE separator conductivity at T [S/m] */
    double separator_asr_ohm_m2;                /* separator area-specific resistance [Ω·m^2] */
    double cathode_ionic_conductivity_S_per_m;  /* effective ionic conductivity of the composite [S/m] */
    double cathode_electronic_conductivity_S_per_m; /* effective electronic conductivity [S/m] */
    double cathode_ionic_tortuosity_factor;     /* σ_SE·ε_SE / σ_eff (1 = straight channels) */
    double cathode_ionic_asr_ohm_m2;            /* ionic ASR of the composite, L/(3σ_eff) for uniform reaction [Ω·m^2] */
    double stack_pressure_Pa;                   /* applied stack pressure [Pa] */
} lithos_cell_metrics;

/* Fills *out_metrics with the design metrics at temperature_K [K].
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (NaN/Inf), OUT_OF_RANGE (temperature), STRUCT_SIZE. */
lithos_status lithos_cell_metrics_at(const lithos_cell *cell, double temperature_K,
                                     lithos_cell_metrics *out_metrics);

/* The metrics at temperature_K as a JSON object (keys as the struct fields), written into
 * buffer. Errors as for lithos_cell_metrics_at, plus BUFFER_TOO_SMALL. */
lithos_status lithos_cell_metrics_json(const lithos_cell *cell, double temperature_K,
                                       char *buffer, size_t capacity, size_t *out_length);

/* The cell design as normalised JSON (canonical material names, every default filled in), which
 * lithos_cell_create() accepts and turns into an identical cell. Errors: NULL_ARGUMENT,
 * BUFFER_TOO_SMALL. */
lithos_status lithos_cell_design_json(const lithos_cell *cell, char *buffer, size_t capacity,
                                      size_t *out_length);


/* ======================================================================================= */
/* 4. Cell models                                                                           */
/* ======================================================================================= */
/*
 * A lithos_model simulates one cell in time. It is created from a cell design (JSON, as in
 * section 3) plus model options (JSON), and stepped with a current, a power or a terminal
 * voltage held for dt seconds. Model kinds:
 *   "ecm"      equivalent circuit: Rint or Thevenin with 1–3 RC pairs, optional hysteresis,
 *              lumped thermal model (docs/models.md);
 *   "ssb-spm"  solid-state single-particle model: particle diffusion, Butler–Volmer kinetics at
 *              CAM|SE, CAM|SE film, Li-metal (or intercalation) anode kinetics and Li|SE
 *              resistance, ohmic SE separator and composite (docs/ssb-models.md);
 *   "ssb-p2d"  solid-state pseudo-2D model: the composite cathode resolved through its
 *              thickness (ionic and electronic potentials, a particle at every node).
 *
 * Model options JSON (every key optional):
 *   {"kind": "ecm", "initial_soc": 1.0, "initial_temperature_K": 298.15,
 *    "rc_pairs": 2,                       ECM derived from the design: 0, 1 or 2 RC pairs
 *    "thermal": {"enabled": true, "heat_capacity_J_per_K": 3.9, "heat_transfer_W_per_K": 0.2},
 *    "ecm": {...},                        explicit ECM parameters (docs/models.md); then the
 *                                         design may be NULL
 *    "mesh": {"particle_shells": 20, "cathode_nodes": 20},   SSB discretisation
 *    "ssb": {...}}                        explicit SSB parameters (docs/ssb-models.md); then
 *                                         the design may be NULL
 *
 * Stepping: a step never allocates. Bad input (NaN/Inf, dt <= 0, ambient temperature out of
 * range, unknown mode, a current beyond ±100 C, a voltage or power no current within ±100 C
 * can reach) returns an error
 * and leaves the model exactly as it was. Crossing a limit of the cell is not an error: the
 * step is taken, the output written, and LITHOS_LIMIT_REACHED returned with the crossed limits
 * in limit_flags.
 *
 * Threads: one model per thread at a time; different models may run concurrently.
 */

typedef struct lithos_model lithos_model;

/* What a step holds constant. */
typedef enum lithos_input_mode {
    LITHOS_INPUT_CURRENT = 0,   /* value = current [A], positive = discharge */
    LITHOS_INPUT_POWER = 1,     /* value = power V·I [W], positive = discharge */
    LITHOS_INPUT_VOLTAGE = 2    /* value = terminal voltage [V]; the model solves for the current */
} lithos_input_mode;

/* Bits of lithos_model_output.limit_flags. */
#define LITHOS_LIMIT_VOLTAGE_LOW        (1u << 0)  /* terminal voltage below the minimum voltage */
#define LITHOS_LIMIT_VOLTAGE_HIGH       (1u << 1)  /* terminal voltage above the maximum voltage */
#define LITHOS_LIMIT_SOC_LOW            (1u << 2)  /* state of charge below 0 */
#define LITHOS_LIMIT_SOC_HIGH           (1u << 3)  /* state of charge above 1 */
#define LITHOS_LIMIT_TEMPERATURE_HIGH   (1u << 4)  /* cell temperature above its maximum */
#define LITHOS_LIMIT_TEMPERATURE_LOW    (1u << 5)  /* cell temperature below its minimum */

/* Number of model-specific internal variables an output can carry. */
#define LITHOS_MODEL_MAX_INTERNALS 16

/* The state of a model after a step. Versioned (struct_size first); fields are appended in
 * later versions, never reordered. */
typedef struct lithos_model_output {
    size_t struct_size;              /* set to sizeof(lithos_model_output) */
    double time_s;                   /* model time since creation or reset [s] */
    double current_A;                /* current during the step [A], discharge positive */
    double voltage_V;                /* terminal voltage at the end of the step [V] */
    double power_W;                  /* voltage_V × current_A [W] */
    double open_circuit_voltage_V;   /* OCV at the end of the step [V] */
    double soc;                      /* state of charge [1] */
    double temperature_K;            /* cell temperature [K] */
    double heat_generation_W;        /* heat generated during the step [W] */
    double discharged_charge_Ah;     /* net charge delivered since creation/reset [A·h] */
    double discharged_energy_Wh;     /* net energy delivered since creation/reset [W·h] */
    unsigned int limit_flags;        /* LITHOS_LIMIT_* bits crossed in this step */
    unsigned int internal_count;     /* number of valid entries in internals */
    double internals[LITHOS_MODEL_MAX_INTERNALS]; /* model-specific; names from lithos_model_internal_name */
} lithos_model_output;

/* Fixed facts about a model. Versioned. */
typedef struct lithos_model_info {
    size_t struct_size;              /* set to sizeof(lithos_model_info) */
    const char *kind;                /* "ecm", "ssb-spm" or "ssb-p2d" (static string) */
    double capacity_Ah;              /* capacity used for SOC [A·h] */
    double minimum_voltage_V;        /* voltage window [V] */
    double maximum_voltage_V;
    double minimum_temperature_K;    /* temperature window [K] */
    double maximum_temperature_K;
    size_t state_size;               /* bytes of a state snapshot */
    unsigned int internal_count;     /* number of internal variables */
} lithos_model_info;

/* Creates a model. design_json: a cell design (may be NULL when options_json carries explicit
 * "ecm" parameters); options_json: model options (NULL = defaults). The caller owns *out_model
 * and frees it with lithos_model_destroy().
 * Errors: NULL_ARGUMENT (out_model), PARSE, CONFIG (also: no design and no explicit "ecm" or
 * "ssb" parameters, unknown kind), NOT_FOUND, OUT_OF_RANGE (e.g. a mesh size), NOT_SUPPORTED.
 * *out_model is untouched on error. */
lithos_status lithos_model_create(const char *design_json, const char *options_json,
                                  lithos_model **out_model);

/* Frees a model. NULL is accepted and ignored. */
lithos_status lithos_model_destroy(lithos_model *model);

/* Fixed facts about the model. Errors: NULL_ARGUMENT, STRUCT_SIZE. */
lithos_status lithos_model_get_info(const lithos_model *model, lithos_model_info *out_info);

/* Name with unit of internal variable `index` (0 ≤ index < info.internal_count), e.g.
 * "rc1_voltage_V"; static string. Errors: NULL_ARGUMENT, NOT_FOUND. */
lithos_status lithos_model_internal_name(const lithos_model *model, size_t index, const char **out_name);

/* Spatial profiles after the last step (or creation/reset): for "ssb-p2d" the composite
 * cathode through its thickness, one value per node ("x_m", "electrolyte_potential_V",
 * "solid_potential_V", "interfacial_current_A_per_m2", "surface_stoichiometry",
 * "mean_stoichiometry", "overpotential_V", "ionic_current_A_per_m2"); for "ssb-spm" the
 * particles' radial profiles ("positive_particle_radius_m", "positive_particle_stoichiometry",
 * and the negative particle's for an intercalation anode); the ECM has none.
 * lithos_model_profile_count: number of profiles. Errors: NULL_ARGUMENT. */
lithos_status lithos_model_profile_count(const lithos_model *model, size_t *out_count);

/* Name with unit of profile `index` (static string; may be NULL) and its number of values
 * (may be NULL). Errors: NULL_ARGUMENT (model), NOT_FOUND (index >= count). */
lithos_status lithos_model_profile_info(const lithos_model *model, size_t index, const char **out_name,
                                        size_t *out_length);

/* Copies profile `index` into out_values[0 … length-1]; *out_length (may be NULL) receives the
 * length. Does not allocate. Errors: NULL_ARGUMENT (model, or out_values with capacity > 0),
 * NOT_FOUND (index >= count), BUFFER_TOO_SMALL (capacity < length: nothing is written, but
 * *out_length is set). */
lithos_status lithos_model_get_profile(const lithos_model *model, size_t index, double *out_values,
                                       size_t capacity, size_t *out_length);

/* Holds `value` (current [A], power [W] or voltage [V] per `mode`) for dt_s [s] at ambient
 * temperature ambient_K [K] and writes the resulting state to *out_output (may be NULL).
 * Returns LITHOS_OK, or LITHOS_LIMIT_REACHED when a limit was crossed (output written).
 * Errors: NULL_ARGUMENT (model), INVALID_ARGUMENT (NaN/Inf, unknown mode), OUT_OF_RANGE
 * (dt_s <= 0 or > 86400, temperature, unreachable voltage/power), STRUCT_SIZE, INTERNAL. */
lithos_status lithos_model_step(lithos_model *model, lithos_input_mode mode, double value,
                                double dt_s, double ambient_K, lithos_model_output *out_output);

/* The output of the last step (or of creation/reset) without stepping.
 * Errors: NULL_ARGUMENT, STRUCT_SIZE. */
lithos_status lithos_model_get_output(const lithos_model *model, lithos_model_output *out_output);

/* Batch run: n steps of `mode` with values[k] held for dt_s[k] seconds (or for fixed_dt_s when
 * dt_s is NULL), at ambient_K. Writes per step, into each non-NULL output array of n doubles:
 * out_voltage_V, out_current_A, out_soc, out_temperature_K. All or nothing: on an error at any
 * step the model is restored to its state before the call, *out_steps is set to the index of
 * the failing step and the error returned (the output arrays then hold the values of the
 * steps before it, which the restored model no longer reflects: an exception to the rule that
 * errors write nothing); otherwise *out_steps = n. Limits crossed are not
 * errors; LITHOS_LIMIT_REACHED is returned when any step crossed one.
 * Does not allocate (the rollback copy lives in the model since creation).
 * Errors: as lithos_model_step, plus NULL_ARGUMENT (values NULL with n > 0), OUT_OF_RANGE
 * (dt_s NULL and fixed_dt_s not within (0, 86400] s). */
lithos_status lithos_model_run(lithos_model *model, lithos_input_mode mode, const double *values,
                               const double *dt_s, double fixed_dt_s, size_t n, double ambient_K,
                               double *out_voltage_V, double *out_current_A, double *out_soc,
                               double *out_temperature_K, size_t *out_steps);

/* Puts the model at rest at `soc` (0…1) and uniform temperature_K; time and throughput
 * counters restart. Errors: NULL_ARGUMENT, INVALID_ARGUMENT, OUT_OF_RANGE. */
lithos_status lithos_model_reset(lithos_model *model, double soc, double temperature_K);

/* Bytes needed for a state snapshot of this model (fixed for its lifetime). */
lithos_status lithos_model_state_size(const lithos_model *model, size_t *out_size);

/* Writes a snapshot of the dynamic state into buffer (capacity >= state size). Loading it
 * into this model (or one created with identical parameters) resumes bit-exactly.
 * Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL (*out_size, if not NULL, holds the size needed). */
lithos_status lithos_model_save_state(const lithos_model *model, void *buffer, size_t capacity,
                                      size_t *out_size);

/* Restores a snapshot. Truncated, corrupted (checksum), wrong-version, other-kind or
 * other-parameter snapshots are rejected with LITHOS_ERROR_INVALID_ARGUMENT and the model is
 * unchanged. Errors: NULL_ARGUMENT, INVALID_ARGUMENT. */
lithos_status lithos_model_load_state(lithos_model *model, const void *buffer, size_t size);

/* Small-signal impedance Z(f) of the model linearised at rest at `soc` (0…1) and temperature_K:
 * out_re[k] + j·out_im[k] [Ω] at frequencies_Hz[k] for k < n (Z = −V̂/Î with discharge-positive
 * current: a resistor gives +R, a capacitance a negative imaginary part). Kinds "ecm" (R0, RC
 * pairs and the OCV's differential capacitance) and "ssb-spm" (separator, composite, linearised
 * Butler–Volmer, CAM|SE film, spherical solid diffusion, Li|SE; docs/ssb-models.md) and
 * "ssb-p2d" (the same, with the composite cathode as a two-rail transmission line of its ionic
 * and electronic conductivities). The model's state is not used or changed. All or nothing: on
 * error nothing is written. Errors: NULL_ARGUMENT (model; frequencies or outputs with n > 0),
 * OUT_OF_RANGE (soc, temperature, a frequency not within (0, 1e9] Hz). */
lithos_status lithos_model_impedance(const lithos_model *model, double soc, double temperature_K,
                                     const double *frequencies_Hz, size_t n, double *out_re, double *out_im);

/* The model's parameters as JSON (for an ECM: the "ecm" parameter object, which can be passed
 * back in options or to the estimator; for an SSB model: the "ssb" object, which builds an
 * identical model). Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL. */
lithos_status lithos_model_parameters_json(const lithos_model *model, char *buffer, size_t capacity,
                                           size_t *out_length);

/* ======================================================================================= */
/* 5. Experiments                                                                           */
/* ======================================================================================= */
/*
 * An experiment is a cycler protocol written as text, one step per line (or ';'-separated),
 * in the PyBaMM style; docs/protocols.md has the full grammar:
 *
 *   Discharge at 1C until 3.0 V                 Discharge at 1 A for 10 minutes
 *   Charge at 0.5C until 4.2 V                  Discharge at 2 W for 10 minutes
 *   Hold at 4.2 V until C/50                    Discharge at 1C for 1 hour or until 3.0 V
 *   Rest for 30 minutes                         Run us06 until 2.5 V   (a drive cycle)
 *   repeat 3 times: … end                       # comment
 *
 * lithos_simulation_run() steps a lithos_model through the experiment with a fixed time step
 * (shortened to land exactly on each step's duration and on every drive-cycle sample time).
 * Cut-offs end a step exactly: when a model step crosses one, the model is rolled back and the
 * sub-step length at which the cut-off is met is found (|V − V_cut| ≤ 1e-9 V). When the
 * crossing is a jump — a drive-cycle current step at a sample time moves the voltage past the
 * cut-off instantly — the step ends at that sample time, on the far side of the cut-off. The cell's own
 * window acts as a cut-off too, located as exactly: SOC 0 on a discharge or drive cycle (SOC 1
 * on a charge) means the cell is empty (full): the step ends and the protocol goes on. The
 * minimum voltage on a discharge or drive cycle, the maximum voltage on a charge and the maximum
 * temperature on any step are safety limits: the step ends there and the experiment stops, like
 * on a cycler; lithos_trace_summary.completed says whether that happened. Drive cycles have no
 * upper voltage limit (regen pulses beyond it are only flagged).
 *
 * The result is a lithos_trace: one row per model step (row 0 = the state before the run) with
 * the columns below, per-step records, and a summary.
 *
 * Trace columns (names for lithos_trace_column, also the CSV header, in this order):
 *   time_s                  time since the start of the run [s]
 *   current_A               current over the step ending at this row [A], discharge positive
 *   voltage_V               terminal voltage [V]
 *   soc                     state of charge [1]
 *   temperature_K           cell temperature [K]
 *   power_W                 voltage_V × current_A [W]
 *   open_circuit_voltage_V  open-circuit voltage [V]
 *   heat_generation_W       heat generated in the cell [W]
 *   discharged_charge_Ah    net charge delivered since the start of the run [A·h]
 *   discharged_energy_Wh    net energy delivered since the start of the run [W·h]
 *   step_index              0-based index of the (expanded) experiment step
 *   cycle_index             0-based cycle: each top-level step and each pass of a top-level
 *                           'repeat' block is one cycle
 *
 * Threads: an experiment is read-only during a run, so one experiment may be run on several
 * models on different threads at once; a trace is independent of the model and experiment that
 * made it. Each handle is freed by its own destroy function.
 */

typedef struct lithos_experiment lithos_experiment;
typedef struct lithos_trace lithos_trace;

/* Why a step ended (lithos_trace_steps_json "end_reason" names them in words). The *_LIMIT
 * reasons are the cell's own window; VOLTAGE_LIMIT and TEMPERATURE_LIMIT also stop the
 * experiment. */
typedef enum lithos_step_end {
    LITHOS_STEP_END_DURATION = 0,          /* its duration elapsed (or a drive cycle's one pass) */
    LITHOS_STEP_END_VOLTAGE_CUTOFF = 1,    /* its 'until … V' was met */
    LITHOS_STEP_END_CURRENT_CUTOFF = 2,    /* its 'until C/50' / 'until 50 mA' (voltage hold) was met */
    LITHOS_STEP_END_SOC_CUTOFF = 3,        /* its 'until 20% SOC' was met */
    LITHOS_STEP_END_VOLTAGE_LIMIT = 4,     /* the cell's minimum/maximum voltage: experiment stopped */
    LITHOS_STEP_END_SOC_LIMIT = 5,         /* SOC 0 (discharge) or 1 (charge): the cell is empty/full */
    LITHOS_STEP_END_TEMPERATURE_LIMIT = 6  /* the cell's maximum temperature: experiment stopped */
} lithos_step_end;

/* Parses protocol text (NUL-terminated UTF-8) into an experiment. Repeats are expanded (at most
 * 100 000 steps; repeat blocks nest at most 16 deep). The caller owns *out_experiment and frees
 * it with lithos_experiment_destroy().
 * Errors: NULL_ARGUMENT, PARSE (the message gives the line, the step and what was expected, e.g.
 * "protocol line 3: 'Discharge at 1X until 3 V': unknown unit 'X' after 1; …"), OUT_OF_RANGE
 * (too many steps, a value beyond 1e9 in SI units). *out_experiment is untouched on error. */
lithos_status lithos_experiment_create(const char *protocol_text, lithos_experiment **out_experiment);

/* Frees an experiment. NULL is accepted and ignored. */
lithos_status lithos_experiment_destroy(lithos_experiment *experiment);

/* Registers a drive cycle that 'Run NAME' steps can use (replacing one of the same name; a name
 * may also hide the built-in "us06"). csv_text: a header naming "time_s" and exactly one of
 * "current_A" [A], "power_W" [W] or "c_rate" [1/h, multiples of the cell capacity], then one
 * sample per line; '#' lines are comments; other columns are ignored. Sample k is held from its
 * time to the next (zero-order hold), the last for the spacing before it; times are shifted to
 * start at 0 and must increase strictly; positive = discharge. Every value is multiplied by
 * `scale` (finite, non-zero; e.g. the capacity in A·h for a cycle given per A·h, or -1 to flip
 * the sign convention). name: letters, digits, '_', '-', '.', starting with a letter.
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (name, NaN scale), OUT_OF_RANGE (scale 0, more than
 * 10 000 000 samples), PARSE (the message gives the line and column). The experiment is
 * unchanged on error. */
lithos_status lithos_experiment_add_drive_cycle(lithos_experiment *experiment, const char *name,
                                                const char *csv_text, double scale);

/* Number of steps after expanding repeats. Errors: NULL_ARGUMENT. */
lithos_status lithos_experiment_step_count(const lithos_experiment *experiment, size_t *out_count);

/* Number of cycles (each top-level step and each pass of a top-level 'repeat' block).
 * Errors: NULL_ARGUMENT. */
lithos_status lithos_experiment_cycle_count(const lithos_experiment *experiment, size_t *out_count);

/* The expanded steps (text, line, cycle_index, kind with its value and unit, end conditions) and
 * the registered drive cycles as JSON, written into buffer. Errors: NULL_ARGUMENT,
 * BUFFER_TOO_SMALL. */
lithos_status lithos_experiment_json(const lithos_experiment *experiment, char *buffer, size_t capacity,
                                     size_t *out_length);

/* Runs `experiment` on `model` from the model's present state, with model time step dt_s [s]
 * ((0, 86400]; a step's own "(N second period)" overrides it) at ambient temperature ambient_K
 * [K]. C-rates are multiples of the model's capacity (lithos_model_info.capacity_Ah). On success
 * the model is left in its final state (set the start with lithos_model_reset first) and the
 * caller owns *out_trace, freed with lithos_trace_destroy(). A run stopped by a cell limit is a
 * success (see lithos_trace_summary.completed).
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (NaN/Inf), OUT_OF_RANGE (dt_s, ambient_K, a power or
 * voltage the cell cannot reach, a step that does not end within 2 000 000 model steps, a trace
 * beyond 5 000 000 rows), NOT_FOUND ('Run NAME' with no such drive cycle), OUT_OF_MEMORY,
 * INTERNAL. The message names the step, its protocol line and the time. On error the model is
 * restored to its state before the call and *out_trace is untouched. */
lithos_status lithos_simulation_run(lithos_model *model, const lithos_experiment *experiment, double dt_s,
                                    double ambient_K, lithos_trace **out_trace);

/* Frees a trace. NULL is accepted and ignored. */
lithos_status lithos_trace_destroy(lithos_trace *trace);

/* Number of rows (samples) in the trace, including row 0 (the state before the run).
 * Errors: NULL_ARGUMENT. */
lithos_status lithos_trace_length(const lithos_trace *trace, size_t *out_length);

/* Number of columns (12 in this version; later versions may append more). Errors: NULL_ARGUMENT. */
lithos_status lithos_trace_column_count(const lithos_trace *trace, size_t *out_count);

/* Name of column `index` (0 ≤ index < column count), e.g. "voltage_V"; static string.
 * Errors: NULL_ARGUMENT, NOT_FOUND (index out of range). */
lithos_status lithos_trace_column_name(const lithos_trace *trace, size_t index, const char **out_name);

/* Copies column `column_name` (see the list above; unit as in its name) into out_values, one
 * double per row. Size query: out_values NULL and capacity 0 returns LITHOS_OK with the row count
 * in *out_count. Otherwise *out_count (when not NULL) receives the row count, and the values
 * are copied when capacity ≥ row count. step_index and cycle_index come as whole numbers.
 * Errors: NULL_ARGUMENT (trace, column_name, or out_values with capacity > 0), NOT_FOUND
 * (unknown column; the message lists the names), BUFFER_TOO_SMALL (*out_count holds the count). */
lithos_status lithos_trace_column(const lithos_trace *trace, const char *column_name, double *out_values,
                                  size_t capacity, size_t *out_count);

/* The whole trace as CSV (header line with the column names above, then one line per row;
 * numbers in shortest round-trip form), written into buffer (snprintf-style, see the header's
 * conventions). Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL. */
lithos_status lithos_trace_csv(const lithos_trace *trace, char *buffer, size_t capacity, size_t *out_length);

/* What a cycler prints at the end of a test. Versioned (struct_size first); fields are appended
 * in later versions, never reordered. Throughputs integrate each row's current over its step. */
typedef struct lithos_trace_summary {
    size_t struct_size;              /* set to sizeof(lithos_trace_summary) */
    double duration_s;               /* length of the run [s] */
    size_t sample_count;             /* rows, including row 0 */
    size_t step_count;               /* steps executed (repeats counted) */
    size_t cycle_count;              /* cycles reached */
    double discharge_capacity_Ah;    /* charge delivered while discharging (I > 0) [A·h] */
    double charge_capacity_Ah;       /* charge taken in while charging (I < 0), positive [A·h] */
    double net_discharged_charge_Ah; /* discharge − charge [A·h] */
    double discharge_energy_Wh;      /* energy delivered while discharging [W·h] */
    double charge_energy_Wh;         /* energy taken in while charging, positive [W·h] */
    double net_discharged_energy_Wh; /* discharge − charge energy [W·h] */
    double minimum_voltage_V;        /* voltage extremes over all rows [V] */
    double maximum_voltage_V;
    double minimum_temperature_K;    /* temperature extremes over all rows [K] */
    double maximum_temperature_K;
    double initial_soc;              /* SOC at row 0 and at the last row [1] */
    double final_soc;
    unsigned int completed;          /* 1 when every step ran; 0 when a cell limit stopped the run */
    unsigned int stop_reason;        /* LITHOS_STEP_END_VOLTAGE_LIMIT or _TEMPERATURE_LIMIT when a
                                        limit stopped the run; 0 when completed */
} lithos_trace_summary;

/* Fills *out_summary. Errors: NULL_ARGUMENT, STRUCT_SIZE. */
lithos_status lithos_trace_get_summary(const lithos_trace *trace, lithos_trace_summary *out_summary);

/* Per-step records as JSON, written into buffer: {"completed": true|false, "stop_reason":
 * null|"voltage_limit"|…, "stop_message": "…", "steps": [{"step_index", "cycle_index", "line",
 * "text", "start_s", "end_s", "first_sample", "end_sample" (rows first_sample ≤ k < end_sample
 * belong to the step), "end_reason" ("duration", "voltage_cutoff", "current_cutoff",
 * "soc_cutoff", "voltage_limit", "soc_limit", "temperature_limit"), "ended_at_start"}, …]}.
 * Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL. */
lithos_status lithos_trace_steps_json(const lithos_trace *trace, char *buffer, size_t capacity,
                                      size_t *out_length);

/* ======================================================================================= */
/* 6. State estimator                                                                       */
/* ======================================================================================= */
/*
 * A lithos_estimator is what a BMS runs per cell: it sees only measured current, voltage,
 * temperature and dt (with their noise, offsets and faults) and its own ECM of the cell, and
 * reports SOC with its uncertainty, SOH (capacity and resistance), state of energy, time to
 * empty/full, power limits (SOP) and a safety monitor's faults. docs/estimator.md has the
 * equations and the configuration.
 *
 * Configuration JSON (only "ecm" is required; units are key suffixes):
 *   {"ecm": {…ECM parameters, as lithos_model_parameters_json returns…},
 *    "algorithm": "ekf",                 "coulomb" | "ekf" | "ukf"
 *    (tuning.current_offset_estimation: true makes the current-sensor offset a filter state,
 *     σ from sensor.current_offset_A; lithos_estimate.current_offset_A reports it)
 *    "initial_soc": 0.5, "initial_soc_std": 0.2,
 *    "tuning": {…}, "sensor": {…}, "rest": {…}, "limits": {…}}
 *    (limits.power_limit_interval_s: 0 (default) computes the power limits at every update;
 *     > 0 computes them at most every that many seconds of summed dt — e.g. 1 with a 100 Hz
 *     update — and the estimate keeps the last ones in between)
 *
 * Updates never allocate. A NaN measurement (sensor absent this cycle) is not an error: a NaN
 * voltage skips the correction (prediction only), a NaN current or temperature holds the last
 * valid one, and LITHOS_FAULT_MEASUREMENT_SKIPPED says so; NaN never enters the state.
 * A dt that is NaN, ≤ 0 or > 86400 s is an error and changes nothing.
 *
 * Threads: one estimator per thread at a time; different estimators may run concurrently.
 */

typedef struct lithos_estimator lithos_estimator;

/* Bits of lithos_estimate.active_faults / latched_faults. */
#define LITHOS_FAULT_OVER_VOLTAGE            (1u << 0)   /* voltage above maximum (debounced) */
#define LITHOS_FAULT_UNDER_VOLTAGE           (1u << 1)   /* voltage below minimum (debounced) */
#define LITHOS_FAULT_OVER_CURRENT            (1u << 2)   /* |current| above its limit (debounced) */
#define LITHOS_FAULT_OVER_TEMPERATURE        (1u << 3)   /* with hysteresis */
#define LITHOS_FAULT_UNDER_TEMPERATURE       (1u << 4)   /* with hysteresis */
#define LITHOS_FAULT_VOLTAGE_SENSOR_STUCK    (1u << 5)   /* voltage frozen while current flows */
#define LITHOS_FAULT_CURRENT_SENSOR_OFFSET   (1u << 6)   /* current read at a cell that is at rest */
#define LITHOS_FAULT_TEMPERATURE_SENSOR_STEP (1u << 7)   /* temperature jump no cell can make */
#define LITHOS_FAULT_INTERNAL_SHORT          (1u << 8)   /* unexplained self-discharge at rest */
#define LITHOS_FAULT_DENDRITE_RISK           (1u << 9)   /* charging above the CCD margin (Li metal) */
#define LITHOS_FAULT_MEASUREMENT_SKIPPED     (1u << 10)  /* a measurement was NaN this update */
#define LITHOS_FAULT_MEASUREMENT_REJECTED    (1u << 11)  /* innovation outside the gate: correction skipped */

/* The estimate after an update. Versioned (struct_size first); fields are appended in later
 * versions, never reordered. Limits are magnitudes (≥ 0). Index [0], [1], [2] of the SOP arrays
 * = horizons of 2, 10 and 30 s. */
typedef struct lithos_estimate {
    size_t struct_size;                      /* set to sizeof(lithos_estimate) */
    double time_s;                           /* time since creation [s] */
    double soc;                              /* state of charge [1] */
    double soc_std;                          /* its standard deviation [1] */
    double capacity_Ah;                      /* estimated capacity [A·h] */
    double capacity_std_Ah;                  /* its standard deviation [A·h] */
    double capacity_soh_percent;             /* capacity / nominal [%] */
    double series_resistance_ohm;            /* estimated R0 at the present temperature [Ω] */
    double resistance_soh_percent;           /* R0 of the model / R0 estimated [%] */
    double energy_remaining_Wh;              /* state of energy: W·h left to the minimum voltage */
    double time_to_empty_s;                  /* at the present discharge current [s]; +inf otherwise */
    double time_to_full_s;                   /* at the present charge current [s]; +inf otherwise */
    double discharge_current_limit_A[3];     /* SOP, 2/10/30 s [A] */
    double charge_current_limit_A[3];        /* SOP, 2/10/30 s [A] (Li metal: CCD margin included) */
    double discharge_power_limit_W[3];       /* SOP, 2/10/30 s [W] */
    double charge_power_limit_W[3];          /* SOP, 2/10/30 s [W] */
    double predicted_voltage_V;              /* terminal voltage the filter predicted [V] */
    double innovation_V;                     /* measured − predicted voltage [V] */
    unsigned int active_faults;              /* LITHOS_FAULT_* holding now */
    unsigned int latched_faults;             /* LITHOS_FAULT_* seen since creation or clear */
    /* Appended in 0.1 (a caller with the shorter struct still gets everything above): */
    double current_offset_A;                 /* estimated current-sensor offset b (measured − true) [A];
                                                0 unless tuning.current_offset_estimation */
    double current_offset_std_A;             /* its standard deviation [A] */
} lithos_estimate;

/* Creates an estimator from its configuration JSON. The caller owns *out_estimator and frees it
 * with lithos_estimator_destroy(). Errors: NULL_ARGUMENT, PARSE, CONFIG, OUT_OF_RANGE.
 * *out_estimator is untouched on error. */
lithos_status lithos_estimator_create(const char *config_json, lithos_estimator **out_estimator);

/* Frees an estimator. NULL is accepted and ignored. */
lithos_status lithos_estimator_destroy(lithos_estimator *estimator);

/* One BMS cycle: measured current_A [A] (discharge positive), voltage_V [V], temperature_K [K]
 * (each may be NaN: see the section comment) and dt_s [s] since the previous update. Writes the
 * estimate to *out_estimate (may be NULL). Errors: NULL_ARGUMENT (estimator), INVALID_ARGUMENT
 * (dt NaN/Inf, ±Inf measurements), OUT_OF_RANGE (dt ≤ 0 or > 86400 s, |current| beyond 100 C,
 * temperature outside the API range), STRUCT_SIZE. The estimator is unchanged on error. */
lithos_status lithos_estimator_update(lithos_estimator *estimator, double current_A, double voltage_V,
                                      double temperature_K, double dt_s, lithos_estimate *out_estimate);

/* The latest estimate without updating. Errors: NULL_ARGUMENT, STRUCT_SIZE. */
lithos_status lithos_estimator_get_estimate(const lithos_estimator *estimator, lithos_estimate *out_estimate);

/* Batch: n updates from arrays (dt_s may be NULL: fixed_dt_s then). Writes per update, into each
 * non-NULL array of n doubles: out_soc, out_soc_std, out_voltage_predicted_V. All or nothing: on
 * an error at update k the estimator is restored to its state before the call, *out_updates = k
 * and the error is returned (the arrays then hold the values of the updates before k).
 * Errors: as lithos_estimator_update, plus NULL_ARGUMENT (current, voltage or temperature NULL
 * with n > 0), OUT_OF_RANGE (dt_s NULL and fixed_dt_s not within (0, 86400]). */
lithos_status lithos_estimator_run(lithos_estimator *estimator, const double *current_A,
                                   const double *voltage_V, const double *temperature_K,
                                   const double *dt_s, double fixed_dt_s, size_t n,
                                   double *out_soc, double *out_soc_std,
                                   double *out_voltage_predicted_V, size_t *out_updates);

/* Restarts the SOC estimate at soc (0…1) with standard deviation soc_std (> 0, ≤ 1); the RC
 * states and hysteresis restart at 0. Errors: NULL_ARGUMENT, INVALID_ARGUMENT, OUT_OF_RANGE. */
lithos_status lithos_estimator_reset(lithos_estimator *estimator, double soc, double soc_std);

/* Clears the latched fault bits (active ones stay set while their conditions hold). */
lithos_status lithos_estimator_clear_latched_faults(lithos_estimator *estimator);

/* Bytes of a state snapshot; save and load as for models (bit-exact resume; truncated,
 * corrupted or other-configuration snapshots are rejected with INVALID_ARGUMENT and the
 * estimator is unchanged). */
lithos_status lithos_estimator_state_size(const lithos_estimator *estimator, size_t *out_size);
lithos_status lithos_estimator_save_state(const lithos_estimator *estimator, void *buffer, size_t capacity,
                                          size_t *out_size);
lithos_status lithos_estimator_load_state(lithos_estimator *estimator, const void *buffer, size_t size);

/* The configuration as normalised JSON (every default filled in), which lithos_estimator_create
 * accepts. Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL. */
lithos_status lithos_estimator_config_json(const lithos_estimator *estimator, char *buffer, size_t capacity,
                                           size_t *out_length);

/* ======================================================================================= */
/* 7. Identification: cycler logs → OCV and ECM                                             */
/* ======================================================================================= */
/*
 * From a cell's cycler data to the ECM JSON that lithos_model_create (options {"ecm": …}) and
 * lithos_estimator_create ({"ecm": …}) take directly. docs/identification.md has the methods
 * (OCV branches, per-pulse Levenberg–Marquardt with 95 % confidence intervals, SOC and
 * temperature tables) and the figures on the measured Panasonic NCR18650PF.
 *
 * Results that are documents are returned as JSON strings the library allocates: the caller
 * owns them and frees each with lithos_string_free(). Fitting can take seconds; it is not a
 * hot path and allocates freely. On error nothing is allocated and the out-pointers are
 * untouched.
 */

/* A cycler log as parallel arrays of `count` samples in the library's conventions (if your
 * tester counts discharge current as negative, negate current and counter first). Nothing in
 * it is skipped: a non-finite value or a time that does not increase is an error naming the
 * sample. The library reads the arrays during the call only. */
typedef struct lithos_cycler_log {
    size_t struct_size;            /* set to sizeof(lithos_cycler_log) */
    size_t count;                  /* samples (≥ 2) */
    const double *time_s;          /* strictly increasing [s] */
    const double *current_A;       /* discharge positive [A] */
    const double *voltage_V;       /* terminal voltage [V] */
    const double *temperature_K;   /* cell temperature [K]; NULL: 298.15 K throughout */
    const double *discharged_Ah;   /* the tester's counter, discharge positive [A·h], from 0 at a
                                      full cell; NULL: integrated from current_A (trapezoidal) */
} lithos_cycler_log;

/* Frees a string returned by a lithos_* function that says the caller owns it. NULL is
 * accepted and ignored. Do not pass any other pointer. */
void lithos_string_free(char *text);

/* OCV(SOC) from a low-rate discharge of a fully charged cell (C/20 or slower) and, optionally,
 * a low-rate charge: the average of the two branches (or the discharge branch alone) and the
 * hysteresis half-width, made monotone and smooth on a uniform SOC grid of step soc_step.
 * capacity_Ah: the SOC axis's capacity [A·h]; 0 = the charge the discharge removed.
 * *out_ocv_json receives {"capacity_Ah", "temperature_K", "soc_breakpoints", "ocv_V",
 * "hysteresis_V", "discharge_V", "charge_V"} (owned by the caller: lithos_string_free).
 * Errors: NULL_ARGUMENT (discharge, its arrays, out_ocv_json), STRUCT_SIZE, INVALID_ARGUMENT
 * (a bad sample, no discharge in the log), OUT_OF_RANGE (capacity < 0, soc_step outside
 * (0, 0.5], a value outside its physical range). */
lithos_status lithos_fit_ocv(const lithos_cycler_log *discharge, const lithos_cycler_log *charge,
                             double capacity_Ah, double soc_step, char **out_ocv_json);

/* A temperature-dependent ECM from HPPC logs (one per temperature, each starting from a full,
 * rested cell) and an OCV table (JSON as lithos_fit_ocv writes it): R0 and 1–3 RC pairs per
 * pulse by Levenberg–Marquardt, per SOC level and temperature breakpoint.
 * capacity_Ah [A·h] is the ECM's capacity. options_json may be NULL (defaults) or
 *   {"rc_pairs": 2, "soc_step": 0.01, "ocv_source": "rests" | "table", "thermal": true,
 *    "minimum_voltage_V": 2.5, "maximum_voltage_V": 4.2}
 * *out_ecm_json receives the ECM parameter JSON; *out_report_json (when out_report_json is not
 * NULL) the fit report: per temperature, the per-level elements, every pulse fit with the 95 %
 * confidence intervals of its R and τ and its residual, and the rest points used for the OCV.
 * Both are owned by the caller (lithos_string_free).
 * Errors: NULL_ARGUMENT, STRUCT_SIZE, INVALID_ARGUMENT (a bad sample, no pulses found, two logs at
 * the same temperature), OUT_OF_RANGE, PARSE / CONFIG (ocv_json, options_json). */
lithos_status lithos_fit_ecm(const lithos_cycler_log *hppc_logs, size_t log_count, const char *ocv_json,
                             double capacity_Ah, const char *options_json, char **out_ecm_json,
                             char **out_report_json);

/* Capacity and efficiency from the full cycles of a log: the log split into half cycles
 * (runs of one current sign, rests inside allowed; |I| ≤ current_threshold_A is rest), each
 * full when it ends at its voltage limit (within 10 mV) and starts at the opposite one (within
 * 50 mV, or right after a half cycle that ended there). minimum_voltage_V / maximum_voltage_V
 * are the cell's limits [V]; 0 takes the lowest / highest voltage in the log.
 * *out_json: {"discharge_capacities_Ah": […] (each full discharge), "coulombic_efficiencies":
 * […] and "energy_efficiencies": […] (each full charge followed by a full discharge),
 * "half_cycles": [{"direction", "first_sample", "last_sample", "charge_Ah", "energy_Wh",
 * "start_voltage_V", "end_voltage_V", "duration_s", "mean_temperature_K", "full"}, …]}
 * (owned by the caller: lithos_string_free).
 * Errors: NULL_ARGUMENT, STRUCT_SIZE, INVALID_ARGUMENT (a bad sample, NaN arguments, limits out
 * of order), OUT_OF_RANGE (current_threshold_A ≤ 0 or > 100 A, a limit outside 0…10 V). */
lithos_status lithos_fit_capacity(const lithos_cycler_log *log, double minimum_voltage_V, double maximum_voltage_V,
                                  double current_threshold_A, char **out_json);

/* Runs the ECM of ecm_json (the ECM parameter JSON) through a measured log — its current held
 * over each sample interval, its temperature imposed (thermal model off), SOC at the start
 * 1 − discharged_Ah[0]/Q — and compares the voltage. reset_after_gap_s > 0 re-initialises
 * the model (rested, SOC from the counter) after every time gap longer than it (HPPC logs
 * whose inter-set discharges were not logged); 0 = never. Writes the RMS and largest
 * |simulated − measured| over samples 1… [V], and the simulated voltage per sample into
 * out_simulated_V (count doubles) when it is not NULL.
 * Errors: NULL_ARGUMENT, STRUCT_SIZE, PARSE / CONFIG (ecm_json), INVALID_ARGUMENT, OUT_OF_RANGE. */
lithos_status lithos_ecm_voltage_error(const char *ecm_json, const lithos_cycler_log *log,
                                       double reset_after_gap_s, double *out_rms_V,
                                       double *out_max_V, double *out_simulated_V);

/* ======================================================================================= */
/* 8. Impedance spectra: equivalent-circuit fit and distribution of relaxation times        */
/* ======================================================================================= */
/*
 * Analysis of a measured (or simulated: lithos_model_impedance) spectrum given as n points
 * frequencies_Hz[k] > 0, Z = re_ohm[k] + j·im_ohm[k] [Ω] (a capacitance has im < 0).
 * docs/identification.md has the equations, the weighting (1/|Z|), the regularisation and the
 * round-trip figures. Results are JSON strings the library allocates (lithos_string_free); on
 * error nothing is allocated and *out_…_json is untouched.
 */

/* Fits R0 [+ L] + arcs × (R‖CPE) [+ Warburg] by modulus-weighted complex Levenberg–Marquardt
 * from deterministic starts. options_json may be NULL (2 arcs, no Warburg, no inductance) or
 *   {"arcs": 0…8, "warburg": "none" | "semi-infinite" | "finite-space", "inductance": false,
 *    "exponent_lower": 0.3, "exponent_upper": 1.0, "maximum_iterations": 400}
 * *out_fit_json: {"circuit", "parameters": [{"name", "unit", "value", "standard_error",
 * "ci95_lower", "ci95_upper"}, …], "arcs": [{"resistance_ohm", "cpe_Q", "alpha",
 * "time_constant_s", "characteristic_frequency_Hz", "effective_capacitance_F"}, …], "warburg",
 * "series_resistance_ohm", "rms_relative_residual", "converged", "points": {…, "fit_re_ohm",
 * "fit_im_ohm"}} (an interval that cannot be computed is null).
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (a non-finite or zero point, fewer equations 2n than
 * parameters), OUT_OF_RANGE (n = 0, a frequency outside (0, 1e9] Hz, an option's value),
 * PARSE / CONFIG (options_json). */
lithos_status lithos_fit_eis(const double *frequencies_Hz, const double *re_ohm, const double *im_ohm,
                             size_t n, const char *options_json, char **out_fit_json);

/* The distribution of relaxation times γ(τ) [Ω per unit ln τ]: Z = R∞ [+ jωL] [+ 1/(jωC)] +
 * Σ γ_k·Δln τ/(1 + jωτ_k) on a log-uniform τ grid, γ ≥ 0, by Tikhonov-regularised
 * non-negative least squares. options_json may be NULL or
 *   {"lambda": 1e-5, "points_per_decade": 10, "extension_decades": 1, "inductance": false,
 *    "capacitance": false, "peak_threshold": 0.01}
 * *out_drt_json: {"tau_s": […], "gamma_ohm": […], "high_frequency_resistance_ohm",
 * "polarization_resistance_ohm", "inductance_H", "capacitance_F", "peaks": [{"tau_s",
 * "frequency_Hz", "resistance_ohm", "gamma_max_ohm"}, …], "rms_relative_residual", "points"}.
 * Errors: as lithos_fit_eis. */
lithos_status lithos_drt(const double *frequencies_Hz, const double *re_ohm, const double *im_ohm,
                         size_t n, const char *options_json, char **out_drt_json);

/* ======================================================================================= */
/* 9. Packs                                                                                 */
/* ======================================================================================= */
/*
 * A lithos_pack is Ns series groups of Np parallel cells, every cell its own model of one kind
 * ("ecm", "ssb-spm" or "ssb-p2d") and one design, with seeded cell-to-cell variation, tab and
 * interconnect resistances, passive balancing, faults, optional thermal coupling, and what a
 * BMS or HIL rig measures (docs/packs.md has the equations and fault models).
 *
 * Numbering. Cell k = s·Np + p is in series group s (0…Ns−1) at parallel position p. Voltage
 * channel s reads group s, between sense wires s and s+1 (wire 0 = pack negative, wire Ns =
 * pack positive; Ns + 1 wires). Each cell has a temperature channel (index k). Balancing
 * resistors are per voltage channel.
 *
 * Parallel groups are solved every step: each cell's current is found so that all cells of a
 * group end the step at the same node voltage (behind their tab resistances) and the currents
 * sum to the pack current plus the group's bleed current, to |Σ − I| ≤ 1e-9·max(1, |I|) A and
 * node voltages within 1e-11 V (lithos_pack_output.split_*). A Np = 1 group without bleed or
 * short needs no solve.
 *
 * Pack JSON (only "cell" or an explicit "model"."ecm"/"ssb" is required; units are suffixes):
 *   {"series": 12, "parallel": 2,
 *    "cell": {…cell design, as for lithos_cell_create…} or "default",
 *    "model": {…model options, as for lithos_model_create: "kind", "mesh", "thermal", "ecm", "ssb"…},
 *    "initial_soc": 0.9, "initial_temperature_K": 298.15,
 *    "variation": {"seed": 1, "capacity_std_fraction": 0.01, "resistance_std_fraction": 0.03,
 *                  "initial_soc_std": 0.005, "temperature_std_K": 0.5},
 *    "interconnect_resistance_ohm": 2e-4,   each group's busbar (Ns of them in the current path)
 *    "tab_resistance_ohm": 1e-4,            each cell to its group node
 *    "bleed_resistance_ohm": 33, "bleed_heat_to_cells": false,
 *    "thermal_coupling_W_per_K": 0.05,      between grid neighbours (0 = none)
 *    "limits": {"minimum_voltage_V": …, "maximum_voltage_V": …}}   default Ns × the cell's
 *
 * Stepping, getting values, balancing and fault commands never allocate, so an emulator loop
 * can run them at 1 kHz. Every function validates its arguments and leaves the pack unchanged
 * on error (a step whose split fails, or whose cell fails, restores every cell).
 *
 * Threads: one pack per thread at a time; different packs may run concurrently.
 */

typedef struct lithos_pack lithos_pack;

/* Faults (lithos_pack_inject_fault). `index` and `value` per kind: */
typedef enum lithos_pack_fault {
    LITHOS_PACK_FAULT_INTERNAL_SHORT = 0,           /* cell k; value = short resistance [Ω], 1e-6…1e12 */
    LITHOS_PACK_FAULT_OPEN_SENSE_WIRE = 1,          /* wire w (0…Ns); value = fraction 0…1 of the merged
                                                       voltage the lower channel reads (0.5 typical) */
    LITHOS_PACK_FAULT_CONTACTOR_OPEN = 2,           /* index 0; value ignored (finite) */
    LITHOS_PACK_FAULT_VOLTAGE_SENSOR_OFFSET = 3,    /* channel s; value = offset [V], |.| ≤ 100 */
    LITHOS_PACK_FAULT_VOLTAGE_SENSOR_STUCK = 4,     /* channel s; value = reading [V], |.| ≤ 100 */
    LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_OFFSET = 5,/* cell k's sensor; value = offset [K], |.| ≤ 500 */
    LITHOS_PACK_FAULT_TEMPERATURE_SENSOR_STUCK = 6, /* cell k's sensor; value = reading [K], 0…2000 */
    LITHOS_PACK_FAULT_THERMAL_EVENT = 7,            /* cell k; value = heat into the cell [W], 0…1e6 */
    LITHOS_PACK_FAULT_CURRENT_SENSOR_OFFSET = 8     /* index 0; value = offset [A], |.| ≤ 1e5 */
} lithos_pack_fault;

/* Arrays read with lithos_pack_get_values: per cell (Ns·Np values, cell order) unless marked
 * per channel (Ns values). */
typedef enum lithos_pack_quantity {
    LITHOS_PACK_CELL_VOLTAGE = 0,              /* true cell terminal voltage [V] */
    LITHOS_PACK_CELL_CURRENT = 1,              /* current through the cell [A] (incl. short and bleed share) */
    LITHOS_PACK_CELL_SOC = 2,                  /* [1] */
    LITHOS_PACK_CELL_TEMPERATURE = 3,          /* true temperature [K] */
    LITHOS_PACK_CELL_HEAT = 4,                 /* electrochemical heat in the last step [W] */
    LITHOS_PACK_CELL_SHORT_CURRENT = 5,        /* through an internal short [A] */
    LITHOS_PACK_GROUP_VOLTAGE = 6,             /* per channel: true group (node) voltage [V] */
    LITHOS_PACK_MEASURED_VOLTAGE = 7,          /* per channel: what the channel reads [V] */
    LITHOS_PACK_BALANCING_CURRENT = 8,         /* per channel: bleed current [A] */
    LITHOS_PACK_MEASURED_TEMPERATURE = 9,      /* what each cell's sensor reads [K] */
    LITHOS_PACK_CELL_OPEN_CIRCUIT_VOLTAGE = 10,/* [V] */
    LITHOS_PACK_CELL_TERMINAL_CURRENT = 11,    /* delivered through the cell's tab to its group [A] */
    LITHOS_PACK_CELL_CAPACITY = 12,            /* after variation [A·h] */
    LITHOS_PACK_CELL_RESISTANCE_FACTOR = 13    /* drawn resistance factor [1] */
} lithos_pack_quantity;

/* Pack-level bits of lithos_pack_output.limit_flags (the LITHOS_LIMIT_* bits of section 4 are
 * set when any cell crossed that limit). */
#define LITHOS_PACK_LIMIT_VOLTAGE_LOW   (1u << 8)  /* pack voltage below its minimum */
#define LITHOS_PACK_LIMIT_VOLTAGE_HIGH  (1u << 9)  /* pack voltage above its maximum */

/* Fixed facts about a pack. Versioned (struct_size first). */
typedef struct lithos_pack_info {
    size_t struct_size;               /* set to sizeof(lithos_pack_info) */
    const char *kind;                 /* cell model kind: "ecm", "ssb-spm" or "ssb-p2d" (static) */
    size_t series;                    /* Ns */
    size_t parallel;                  /* Np */
    size_t cell_count;                /* Ns·Np (= temperature channels) */
    size_t voltage_channel_count;     /* Ns */
    size_t sense_wire_count;          /* Ns + 1 */
    double capacity_Ah;               /* smallest group's capacity (sum of its cells') [A·h] */
    double minimum_voltage_V;         /* pack voltage window [V] */
    double maximum_voltage_V;
    double cell_minimum_voltage_V;    /* the cell design's window [V] */
    double cell_maximum_voltage_V;
    size_t state_size;                /* bytes of a state snapshot */
} lithos_pack_info;

/* The pack after a step. Versioned (struct_size first); fields are appended, never reordered. */
typedef struct lithos_pack_output {
    size_t struct_size;               /* set to sizeof(lithos_pack_output) */
    double time_s;                    /* since creation or reset [s] */
    double current_A;                 /* pack current in the step [A], discharge + (0 if the contactor is open) */
    double measured_current_A;        /* what the current sensor reads [A] */
    double voltage_V;                 /* pack voltage: Σ group voltages − I·Ns·R_interconnect [V] */
    double power_W;                   /* voltage_V × current_A [W] */
    double soc;                       /* capacity-weighted mean cell SOC [1] */
    double minimum_soc;
    double maximum_soc;
    double minimum_cell_voltage_V;    /* true cell terminal voltages [V] */
    double maximum_cell_voltage_V;
    double minimum_temperature_K;     /* true cell temperatures [K] */
    double maximum_temperature_K;
    double balancing_current_A;       /* sum of the bleed currents [A] */
    double balancing_power_W;         /* dissipated in the bleed resistors [W] */
    double heat_generation_W;         /* cells + tabs + interconnects + bleed + shorts [W] */
    double discharged_charge_Ah;      /* at the pack terminals since creation/reset [A·h] */
    double discharged_energy_Wh;      /* [W·h] */
    double split_current_residual_A;  /* largest |Σ cell currents − group current| of the step [A] */
    double split_voltage_spread_V;    /* largest spread of the node voltages of a group [V] */
    unsigned int split_iterations;    /* most Newton iterations a group needed */
    unsigned int limit_flags;         /* LITHOS_LIMIT_* of any cell | LITHOS_PACK_LIMIT_* */
    unsigned int active_faults;       /* bit (1u << lithos_pack_fault) of every fault in force */
} lithos_pack_output;

/* Creates a pack from its JSON. The caller owns *out_pack (lithos_pack_destroy).
 * Errors: NULL_ARGUMENT, PARSE, CONFIG (unknown key, no cell), OUT_OF_RANGE (e.g. series
 * outside 1…1000, parallel outside 1…100, more than 10000 cells), NOT_FOUND (material).
 * *out_pack is untouched on error. */
lithos_status lithos_pack_create(const char *pack_json, lithos_pack **out_pack);

/* Frees a pack. NULL is accepted and ignored. */
lithos_status lithos_pack_destroy(lithos_pack *pack);

/* Fixed facts. Errors: NULL_ARGUMENT, STRUCT_SIZE. */
lithos_status lithos_pack_get_info(const lithos_pack *pack, lithos_pack_info *out_info);

/* Steps the pack: pack current current_A [A] (discharge positive) held for dt_s [s] at
 * ambient_K [K]; writes *out_output (may be NULL). Returns LITHOS_OK or LITHOS_LIMIT_REACHED
 * (a cell or the pack crossed a limit: the step was taken, limit_flags says which).
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (NaN/Inf), OUT_OF_RANGE (|current| > 1e6 A, a cell
 * beyond ±100 C, dt_s not within (0, 86400], ambient outside the API range), STRUCT_SIZE,
 * INTERNAL (a group split that does not converge). The pack is unchanged on error. */
lithos_status lithos_pack_step(lithos_pack *pack, double current_A, double dt_s, double ambient_K,
                               lithos_pack_output *out_output);

/* The output of the last step (or creation/reset/command) without stepping.
 * Errors: NULL_ARGUMENT, STRUCT_SIZE. */
lithos_status lithos_pack_get_output(const lithos_pack *pack, lithos_pack_output *out_output);

/* Copies quantity `quantity` (Ns·Np or Ns values, see lithos_pack_quantity) into out_values;
 * *out_length (may be NULL) receives the length. Size query: out_values NULL, capacity 0.
 * Does not allocate. Errors: NULL_ARGUMENT (pack; out_values with capacity > 0),
 * INVALID_ARGUMENT (unknown quantity), BUFFER_TOO_SMALL (nothing written; *out_length set). */
lithos_status lithos_pack_get_values(const lithos_pack *pack, lithos_pack_quantity quantity, double *out_values,
                                     size_t capacity, size_t *out_length);

/* Name with unit of a quantity ("cell_voltage_V"; static string), for column headers.
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT. */
lithos_status lithos_pack_quantity_name(lithos_pack_quantity quantity, const char **out_name);

/* Switches the bleed resistors: on[s] != 0 closes channel s's (count must be Ns). The bleed
 * current V_group/R_bleed is drawn from the group from the next step on (a channel with an open
 * sense wire cannot bleed). Errors: NULL_ARGUMENT, OUT_OF_RANGE (count ≠ Ns). */
lithos_status lithos_pack_set_balancing(lithos_pack *pack, const unsigned char *on, size_t count);

/* Injects (or changes) fault `fault` at `index` with `value` (see lithos_pack_fault). Physics
 * faults act from the next step; sensor faults change the measured values at once.
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT (unknown fault, NaN/Inf value), NOT_FOUND (index out
 * of range), OUT_OF_RANGE (value). */
lithos_status lithos_pack_inject_fault(lithos_pack *pack, lithos_pack_fault fault, size_t index, double value);

/* Clears fault `fault` at `index` (no error if it was not set).
 * Errors: NULL_ARGUMENT, INVALID_ARGUMENT, NOT_FOUND. */
lithos_status lithos_pack_clear_fault(lithos_pack *pack, lithos_pack_fault fault, size_t index);

/* Clears every fault. Errors: NULL_ARGUMENT. */
lithos_status lithos_pack_clear_faults(lithos_pack *pack);

/* Batch: n steps with pack currents current_A[k] held for dt_s[k] (or fixed_dt_s when dt_s is
 * NULL) at ambient_K. Writes per step, into each non-NULL array of n doubles: out_voltage_V,
 * out_current_A, out_soc, out_minimum_cell_voltage_V, out_maximum_cell_voltage_V; and, when
 * out_record is not NULL, quantity `record` after every step into out_record[k·length + i]
 * (length = Ns·Np or Ns). All or nothing: on an error at step k the pack is restored to its
 * state before the call, *out_steps = k and the error is returned (the arrays then hold the
 * steps before k). LITHOS_LIMIT_REACHED when any step crossed a limit. Does not allocate.
 * Errors: as lithos_pack_step, plus NULL_ARGUMENT (current_A NULL with n > 0), OUT_OF_RANGE
 * (dt_s NULL and fixed_dt_s not within (0, 86400]), INVALID_ARGUMENT (unknown record quantity
 * with out_record not NULL). */
lithos_status lithos_pack_run(lithos_pack *pack, const double *current_A, const double *dt_s, double fixed_dt_s,
                              size_t n, double ambient_K, double *out_voltage_V, double *out_current_A,
                              double *out_soc, double *out_minimum_cell_voltage_V,
                              double *out_maximum_cell_voltage_V, lithos_pack_quantity record,
                              double *out_record, size_t *out_steps);

/* Puts every cell at rest at soc (0…1) and temperature_K plus its own drawn offsets (clamped);
 * time and counters restart; faults and balancing stay. Errors: NULL_ARGUMENT,
 * INVALID_ARGUMENT, OUT_OF_RANGE. */
lithos_status lithos_pack_reset(lithos_pack *pack, double soc, double temperature_K);

/* State snapshots of the whole pack (every cell, balancing, faults, counters): bit-exact
 * resume. Truncated, corrupted or other-pack snapshots are rejected with INVALID_ARGUMENT and
 * the pack is unchanged. Save errors: NULL_ARGUMENT, BUFFER_TOO_SMALL (*out_size holds the size
 * needed). */
lithos_status lithos_pack_state_size(const lithos_pack *pack, size_t *out_size);
lithos_status lithos_pack_save_state(const lithos_pack *pack, void *buffer, size_t capacity, size_t *out_size);
lithos_status lithos_pack_load_state(lithos_pack *pack, const void *buffer, size_t size);

/* The configuration as normalised JSON (every default filled in), which lithos_pack_create
 * accepts. Errors: NULL_ARGUMENT, BUFFER_TOO_SMALL. */
lithos_status lithos_pack_config_json(const lithos_pack *pack, char *buffer, size_t capacity, size_t *out_length);

#ifdef __cplusplus
}
#endif

#endif /* LITHOS_H */
