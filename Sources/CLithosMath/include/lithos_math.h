/* Internal (not installed): elementary functions for the Swift core without Foundation or a
 * platform module (Glibc/Darwin), so the same sources also build with Embedded Swift, where
 * the compiler lowers these builtins to the target's libm. */
#ifndef LITHOS_MATH_H
#define LITHOS_MATH_H
static inline double lithos_math_exp(double x) { return __builtin_exp(x); }
static inline double lithos_math_log(double x) { return __builtin_log(x); }
static inline double lithos_math_tanh(double x) { return __builtin_tanh(x); }
static inline double lithos_math_pow(double x, double y) { return __builtin_pow(x, y); }
static inline double lithos_math_sqrt(double x) { return __builtin_sqrt(x); }
static inline double lithos_math_cosh(double x) { return __builtin_cosh(x); }
static inline double lithos_math_sinh(double x) { return __builtin_sinh(x); }
static inline double lithos_math_asinh(double x) { return __builtin_asinh(x); }
static inline double lithos_math_atan(double x) { return __builtin_atan(x); }
static inline double lithos_math_log10(double x) { return __builtin_log10(x); }
static inline double lithos_math_sin(double x) { return __builtin_sin(x); }
static inline double lithos_math_cos(double x) { return __builtin_cos(x); }
/* Single precision (a Cortex-M4F FPU is single precision: no double in the firmware path). */
static inline float lithos_math_expf(float x) { return __builtin_expf(x); }
static inline float lithos_math_logf(float x) { return __builtin_logf(x); }
static inline float lithos_math_sqrtf(float x) { return __builtin_sqrtf(x); }
static inline float lithos_math_tanhf(float x) { return __builtin_tanhf(x); }
static inline float lithos_math_expm1f(float x) { return __builtin_expm1f(x); }
static inline double lithos_math_expm1(double x) { return __builtin_expm1(x); }
#endif
