// Debian's zlib1g-dev: inflate for gzip'd IDX files, compressed MAT v5 elements and zip archives.
#include <zlib.h>
