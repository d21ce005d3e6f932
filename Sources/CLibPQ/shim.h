#ifndef FIELDSYNC_CLIBPQ_SHIM_H
#define FIELDSYNC_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
