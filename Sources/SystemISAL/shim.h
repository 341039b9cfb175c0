#ifndef SYSTEM_ISAL_SHIM_H
#define SYSTEM_ISAL_SHIM_H
#include <stdint.h>
#include <isa-l/igzip_lib.h>

/* The level buffer ISA-L suggests for a compression level (the ISAL_DEF_LVLx_DEFAULT macros, which Swift cannot import). */
static inline uint32_t system_isal_level_buffer_size(int level) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}
#endif
