#ifndef FIELDSYNC_CSPAWN_H
#define FIELDSYNC_CSPAWN_H

#include <spawn.h>

/// Adds to `actions` the closing, in the child, of every file descriptor from `lowest` up: glibc's
/// posix_spawn_file_actions_addclosefrom_np, which its header declares only under _GNU_SOURCE.
int fieldsync_spawn_actions_add_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
