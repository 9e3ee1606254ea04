#ifndef CPNG_H
#define CPNG_H

#include <stddef.h>

/// PNG pixels as libpng delivers them after palette expansion and expansion of 1/2/4-bit grey to 8 bits:
/// `channels` interleaved samples per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) of `bit_depth` 8 or 16
/// (16-bit samples big-endian, as in the file). `pixels` is malloc'd; release with `cpng_release`.
typedef struct {
    int width;
    int height;
    int channels;
    int bit_depth;
    unsigned char *pixels;
} cpng_image;

/// Decodes the PNG file in `data[0..<size]` into `image`. Returns 0 on success; otherwise -1 with libpng's
/// error message in `message` (NUL-terminated, truncated to `message_size`). Never longjmps into Swift.
int cpng_decode(const void *data, size_t size, cpng_image *image, char *message, size_t message_size);

/// Frees the pixels of a decoded image.
void cpng_release(cpng_image *image);

#endif
