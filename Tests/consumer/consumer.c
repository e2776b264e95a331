/* A downstream C program built against an installed Lithos (header + shared library only).
 * Returns 0 when the library answers as expected. */
#include <lithos.h>

#include <stdio.h>
#include <string.h>

static int fail(const char *what, lithos_status status) {
    fprintf(stderr, "consumer: %s: %s\n  %s\n", what, lithos_status_string(status),
            lithos_last_error_message());
    return 1;
}

int main(void) {
    lithos_status status;
    size_t count = 0;
    const char *name = NULL;
    double sigma = 0.0;

    if (lithos_version_number() != LITHOS_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %d but library %u (%s)\n", LITHOS_VERSION_NUMBER,
                lithos_version_number(), lithos_version());
        return 1;
    }
    if ((status = lithos_material_count(&count)) != LITHOS_OK) return fail("material_count", status);
    if (count == 0) { fprintf(stderr, "consumer: empty materials database\n"); return 1; }
    if ((status = lithos_material_lookup("LPSCl", &name)) != LITHOS_OK) return fail("lookup", status);
    if ((status = lithos_material_ionic_conductivity(name, 298.15, &sigma)) != LITHOS_OK)
        return fail("ionic_conductivity", status);
    if (!(sigma > 0.0)) { fprintf(stderr, "consumer: sigma = %g\n", sigma); return 1; }

    /* an error path works across the library boundary too */
    status = lithos_material_ionic_conductivity(name, 25.0, &sigma);
    if (status != LITHOS_ERROR_OUT_OF_RANGE || lithos_last_error_message()[0] == '\0') {
        fprintf(stderr, "consumer: expected LITHOS_ERROR_OUT_OF_RANGE, got %s\n", lithos_status_string(status));
        return 1;
    }

    printf("consumer: lithos %s, %lu materials, sigma(%s, 25 C) = %.4g S/m\n", lithos_version(),
           (unsigned long)count, name, sigma);
    return 0;
}
