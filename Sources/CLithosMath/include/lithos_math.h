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
#endif
