// The HTTP API lives here: see the files of this module.
