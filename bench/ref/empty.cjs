// An empty script: what starting Node to run any file costs (the floor for a CLI).
