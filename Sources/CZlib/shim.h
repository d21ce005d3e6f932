#ifndef FIELDSYNC_CZLIB_SHIM_H
#define FIELDSYNC_CZLIB_SHIM_H
#include <zlib.h>
#endif
