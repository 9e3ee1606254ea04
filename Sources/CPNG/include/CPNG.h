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

/// `cpng_decode`'s status for an image of more than `max_pixels` pixels.
#define CPNG_TOO_LARGE (-2)

/// Decodes the PNG file in `data[0..<size]` into `image`. Returns 0 on success; CPNG_TOO_LARGE, with only
/// `width` and `height` set, when the header declares more than `max_pixels` pixels (checked before any
/// pixel memory is allocated); otherwise -1 with libpng's error message in `message` (NUL-terminated,
/// truncated to `message_size`). Never longjmps into Swift.
int cpng_decode(const void *data, size_t size, size_t max_pixels, cpng_image *image, char *message, size_t message_size);

/// Frees the pixels of a decoded image.
void cpng_release(cpng_image *image);

#endif
