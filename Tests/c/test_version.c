#include <lithos.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", LITHOS_VERSION_MAJOR, LITHOS_VERSION_MINOR, LITHOS_VERSION_PATCH);
    if (strcmp(lithos_version(), expected) != 0) { fprintf(stderr, "version %s != %s\n", lithos_version(), expected); return 1; }
    if (lithos_version_number() != LITHOS_VERSION_NUMBER) return 1;
    printf("ok %s\n", lithos_version());
    return 0;
}
