// The reporter's local log and sync engine live here: see the files of this module.
