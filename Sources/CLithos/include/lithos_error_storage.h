/* Internal (not installed): the thread-local buffer behind lithos_last_error_message().
 * Swift has no thread-local storage class, so this one buffer lives in C. */
#ifndef LITHOS_ERROR_STORAGE_H
#define LITHOS_ERROR_STORAGE_H
#include <stddef.h>
/* Copies `length` bytes of `message` (not NUL-terminated) into the calling thread's buffer,
 * truncating to the buffer size, and terminates it. */
void lithos_internal_set_error(const char *message, size_t length);
#endif
