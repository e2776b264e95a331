/* SwiftPM needs one source per C target; everything lives in the header as static inline. */
#include "lithos_math.h"
