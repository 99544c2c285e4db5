#ifndef GATEHOUSE_CHIREDIS_SHIM_H
#define GATEHOUSE_CHIREDIS_SHIM_H
// Only the reader (RESP decoding) and the command formatter (RESP encoding) are
// used; hiredis's connection functions block and must never be called.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#endif
