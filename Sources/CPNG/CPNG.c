// libpng's error handling longjmps out of the failing call; this shim keeps the setjmp on the C side and
// turns errors into a return code and a message for Swift.
#include "CPNG.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    char *message;
    size_t message_size;
    jmp_buf jump;
} reader_state;

static void on_error(png_structp png, png_const_charp text) {
    reader_state *state = (reader_state *)png_get_error_ptr(png);
    if (state->message_size > 0) {
        strncpy(state->message, text, state->message_size - 1);
        state->message[state->message_size - 1] = '\0';
    }
    longjmp(state->jump, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void read_bytes(png_structp png, png_bytep out, png_size_t count) {
    reader_state *state = (reader_state *)png_get_io_ptr(png);
    if (count > state->size - state->offset) {
        png_error(png, "unexpected end of file (truncated PNG)");
    }
    memcpy(out, state->data + state->offset, count);
    state->offset += count;
}

int cpng_decode(const void *data, size_t size, size_t max_pixels, cpng_image *image, char *message, size_t message_size) {
    reader_state state = {data, size, 0, message, message_size};
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;

    memset(image, 0, sizeof(*image));
    if (message_size > 0) message[0] = '\0';
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (png == NULL) {
        if (message_size > 0) strncpy(message, "cannot create libpng reader", message_size - 1);
        return -1;
    }
    info = png_create_info_struct(png);
    if (info == NULL || setjmp(state.jump)) {
        if (info == NULL && message_size > 0) strncpy(message, "cannot create libpng info", message_size - 1);
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &state, read_bytes);
    png_read_info(png, info);

    png_uint_32 declared_width = png_get_image_width(png, info), declared_height = png_get_image_height(png, info);
    if ((unsigned long long)declared_width * declared_height > max_pixels) {
        image->width = (int)declared_width;
        image->height = (int)declared_height;
        png_destroy_read_struct(&png, &info, NULL);
        return CPNG_TOO_LARGE;
    }

    int color_type = png_get_color_type(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    size_t width = png_get_image_width(png, info);
    size_t height = png_get_image_height(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    pixels = malloc(row_bytes * height > 0 ? row_bytes * height : 1);
    rows = malloc(sizeof(png_bytep) * (height > 0 ? height : 1));
    if (pixels == NULL || rows == NULL) png_error(png, "out of memory");
    for (size_t y = 0; y < height; y++) rows[y] = pixels + y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    image->width = (int)width;
    image->height = (int)height;
    image->channels = png_get_channels(png, info);
    image->bit_depth = png_get_bit_depth(png, info);
    image->pixels = pixels;
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

void cpng_release(cpng_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}
