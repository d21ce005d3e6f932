// The fold from events to tallies lives here: see the files of this module.
