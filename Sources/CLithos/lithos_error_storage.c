#include "include/lithos_error_storage.h"
#include "../../Include/lithos.h"
#include <string.h>

/* One buffer per thread: handles used on different threads never see each other's messages. */
static _Thread_local char lithos_error_buffer[1024];

__attribute__((visibility("hidden")))
void lithos_internal_set_error(const char *message, size_t length) {
    if (message == NULL) { lithos_error_buffer[0] = '\0'; return; }
    if (length >= sizeof lithos_error_buffer) {
        length = sizeof lithos_error_buffer - 1;
        /* Do not cut a UTF-8 sequence in half: back up over continuation bytes (10xxxxxx) and
         * the lead byte they belong to, so the message stays valid UTF-8. */
        while (length > 0 && ((unsigned char)message[length] & 0xC0) == 0x80) length--;
    }
    memcpy(lithos_error_buffer, message, length);
    lithos_error_buffer[length] = '\0';
}

const char *lithos_last_error_message(void) { return lithos_error_buffer; }
